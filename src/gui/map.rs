//! The map: terrain tiles tinted by who holds them, the fixed feature overlay, the front
//! line and unit counters, kept in step with the rules' state (the names and depot stocks
//! over it are `labels`').

use crate::scenario::ids::{SideId, UnitId};
use bevy::asset::RenderAssetUsages;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};
use bevy_ecs_tilemap::prelude::*;
use tiny_skia::{Color as SkColor, FillRule, Paint, PathBuilder, Pixmap, Transform as SkTransform};

use super::geometry::{HEX_WORLD, hex_to_world};
use crate::geo::Offset;
use crate::render::{self, Layers, MapStyle, MapView, UnitMarker};
use crate::rules::state::{Board, Controller, Depots, Forces, HighCommand, ScenarioRes};
use crate::scenario::Scenario;

/// A unit counter's side on the map, world units (before `counter_scale`): most of a hex,
/// so that its figures read at the zoom a game starts at.
pub(super) const COUNTER_WORLD: f32 = HEX_WORLD * 0.72;

/// Overlay pixels per world unit: drawn finer than the world so text stays sharp when zoomed.
const OVERLAY_DETAIL: f32 = 1.5;

pub(super) fn plugin(app: &mut App) {
    app.init_state::<Drawn>()
        .add_systems(Update, redraw.run_if(resource_changed::<ScenarioRes>))
        .add_systems(OnEnter(Drawn::Map), spawn_map)
        .add_systems(Update, (sync_units, sync_control, size_counters))
        .init_resource::<RailOverlay>()
        .add_systems(
            Update,
            (
                draw_front_line,
                draw_rail_state,
                draw_crossing_state,
                toggle_rail_overlay,
            ),
        )
        .add_systems(
            bevy_egui::EguiPrimaryContextPass,
            crossing_labels.run_if(resource_exists::<ScenarioRes>),
        );
}

/// Crossings down or closed (a red cross on their river sides) and damaged (orange), as
/// the game stands: the static map draws them as the scenario starts.
fn draw_crossing_state(scenario: Res<ScenarioRes>, board: Res<Board>, mut gizmos: Gizmos) {
    let s = &scenario.0;
    for ((a, b), e) in &s.river_edges {
        let Some(c) = e.crossing else { continue };
        let damage = board.crossing_damage_of(c);
        let colour = if !board.crossing_usable(c) {
            Color::srgb(0.9, 0.05, 0.05)
        } else if damage.is_some() {
            Color::srgb(0.95, 0.55, 0.05)
        } else {
            continue;
        };
        let (pa, pb) = (hex_to_world(s, *a), hex_to_world(s, *b));
        let mid = (pa + pb) / 2.0;
        let along = (pb - pa) * 0.22;
        let across = Vec2::new(-along.y, along.x);
        gizmos.line_2d(mid - along - across, mid + along + across, colour);
        gizmos.line_2d(mid - along + across, mid + along - across, colour);
    }
}

/// With the rail overlay on, each crossing with a limit today says what the lines of the
/// side holding it carried over it against that limit.
fn crossing_labels(
    mut contexts: bevy_egui::EguiContexts,
    scenario: Res<ScenarioRes>,
    board: Res<Board>,
    viewer: Res<super::view::Viewer>,
    overlay: Res<RailOverlay>,
    camera: Single<(&Camera, &GlobalTransform)>,
    panels: Res<super::view::PanelRects>,
) -> Result {
    if !overlay.0 {
        return Ok(());
    }
    let s = &scenario.0;
    let limits = crate::rules::supply::trains::crossing_limits(s, &board);
    let ctx = contexts.ctx_mut()?;
    let mut placed = Vec::new();
    for (c, x) in s.crossings.iter().enumerate() {
        let Some(limit) = limits[c] else { continue };
        if !board.crossing_intact[c] {
            continue;
        }
        // The flow of the side holding it (a side's lines run over the crossings it holds).
        let holder = board.control[s.index(x.hex)].or(viewer.0);
        let crossed = holder.map_or(0, |h| board.crossed_by(h, c));
        let Some(at) = panels.label_at(ctx, *camera, hex_to_world(s, x.hex), Vec2::splat(6.0))
        else {
            continue;
        };
        let t = |v: u64| crate::numbers::group_thousands(u32::try_from(v).unwrap_or(u32::MAX));
        // Crossings close together (a bridge and the ferry beside it) stack their labels.
        let id = bevy_egui::egui::Id::new(("crossing flow", c));
        let at = super::view::clear_of(ctx, id, at, &mut placed);
        bevy_egui::egui::Area::new(id)
            .order(bevy_egui::egui::Order::Foreground)
            .fixed_pos(at)
            .constrain_to(panels.map_rect(ctx))
            .interactable(false)
            .show(ctx, |ui| {
                bevy_egui::egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.label(format!("{}: {} of {} t", x.name, t(crossed), t(limit)));
                });
            });
    }
    Ok(())
}

/// Whether the scenario's map is drawn. Every entity drawn for a scenario is scoped to
/// [`Drawn::Map`] (`DespawnOnExit`): a new scenario, or the file reloaded, enters the state
/// again (a transition to itself), which despawns the old map and draws the new one.
#[derive(States, Default, Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(super) enum Drawn {
    /// Nothing yet (the first frame).
    #[default]
    Nothing,
    /// The map of the scenario in [`ScenarioRes`].
    Map,
}

/// The scenario changed: leave its map and draw the new one.
fn redraw(mut next: ResMut<NextState<Drawn>>) {
    next.set(Drawn::Map);
}

/// The tile of a hex (its row-major index).
#[derive(Component)]
struct HexTile(usize);

/// The counter of a unit (its id in the rules' forces).
#[derive(Component)]
pub(super) struct UnitCounter(UnitId);

/// A tile's tint: a light wash of the holder's colour.
/// The supply overlay's ground: where a unit would be supplied.
pub(super) const SUPPLIED_GROUND: Color = Color::srgb(0.55, 0.86, 0.50);
/// Where a unit would be short of supply.
pub(super) const SHORT_GROUND: Color = Color::srgb(0.98, 0.86, 0.30);
/// Where a unit would be out of supply.
pub(super) const OUT_GROUND: Color = Color::srgb(0.93, 0.45, 0.40);
/// Where no depot of the side holding the ground reaches.
pub(super) const UNREACHED_GROUND: Color = Color::srgb(0.62, 0.62, 0.62);

fn tint(s: &Scenario, holder: Option<SideId>) -> Color {
    match holder {
        Some(side) => {
            let c = s.sides[side].colour;
            let mix = |v: u8| (1.0 - 0.32 * (1.0 - f32::from(v) / 255.0)).clamp(0.0, 1.0);
            Color::srgb(mix(c.0), mix(c.1), mix(c.2))
        }
        None => Color::WHITE,
    }
}

fn image_from(pm: &Pixmap) -> Image {
    let mut data = Vec::with_capacity((pm.width() * pm.height() * 4) as usize);
    for p in pm.pixels() {
        let c = p.demultiply();
        data.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
    }
    Image::new(
        Extent3d {
            width: pm.width(),
            height: pm.height(),
            depth_or_array_layers: 1,
        },
        TextureDimension::D2,
        data,
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::RENDER_WORLD | RenderAssetUsages::MAIN_WORLD,
    )
}

/// One pointy hex per terrain type, side by side, in the scenario's colours with the
/// pattern of the project's tileset (`assets/tiles/terrain-patterns.png`) over them.
fn tileset(s: &Scenario, w: u32, h: u32) -> Option<Pixmap> {
    let mut pm = Pixmap::new(w * s.terrain_types.len() as u32, h)?;
    let strip = render::tiles::patterns();
    for (i, t) in s.terrain_types.iter().enumerate() {
        let (cx, cy) = (i as f32 * w as f32 + w as f32 / 2.0, h as f32 / 2.0);
        let r = h as f32 / 2.0;
        let mut pb = PathBuilder::new();
        for k in 0..6 {
            let a = (60.0 * k as f32 - 90.0).to_radians();
            let (x, y) = (cx + r * a.cos(), cy + r * a.sin());
            if k == 0 {
                pb.move_to(x, y);
            } else {
                pb.line_to(x, y);
            }
        }
        pb.close();
        let Some(path) = pb.finish() else { continue };
        let mut paint = Paint::default();
        paint.set_color(SkColor::from_rgba8(t.colour.0, t.colour.1, t.colour.2, 255));
        paint.anti_alias = false;
        pm.fill_path(
            &path,
            &paint,
            FillRule::Winding,
            SkTransform::identity(),
            None,
        );
        if let Some(pattern) = strip
            .as_ref()
            .and_then(|p| render::tiles::pattern(p, t.pattern))
        {
            let scale = w as f32 * 0.66 / render::tiles::CELL_PX as f32;
            render::tiles::fill_with_pattern(&mut pm, &path, &pattern, scale);
        }
        let mut edge = Paint::default();
        edge.set_color(SkColor::from_rgba8(60, 60, 50, 40));
        pm.stroke_path(
            &path,
            &edge,
            &tiny_skia::Stroke {
                width: 1.0,
                ..Default::default()
            },
            SkTransform::identity(),
            None,
        );
    }
    Some(pm)
}

/// Draws the scenario's map (the map of any scenario before it left with its state).
fn spawn_map(
    mut commands: Commands,
    scenario: Res<ScenarioRes>,
    mut images: ResMut<Assets<Image>>,
    mut forces: ResMut<Forces>,
    mut depots: ResMut<Depots>,
    mut board: ResMut<Board>,
) {
    // The new counters and labels take their places from the state on the next pass.
    forces.set_changed();
    depots.set_changed();
    board.set_changed();
    let s = &scenario.0;
    let view = MapView::initial(s);
    let (cols, rows) = (s.frame.columns as u32, s.frame.rows as u32);

    // Terrain tiles. Tile y grows northward, our rows southward: flip, and keep the
    // parity of shifted rows.
    let tile_w = HEX_WORLD;
    let tile_h = HEX_WORLD * 2.0 / 3f32.sqrt();
    if let Some(pm) = tileset(s, tile_w as u32, tile_h.ceil() as u32) {
        let texture = images.add(image_from(&pm));
        let size = TilemapSize { x: cols, y: rows };
        let mut storage = TileStorage::empty(size);
        let map_entity = commands.spawn(DespawnOnExit(Drawn::Map)).id();
        for o in s.hexes() {
            let pos = TilePos {
                x: o.col as u32,
                y: rows - 1 - o.row as u32,
            };
            let terrain = s.terrain[s.index(o)];
            let tint = tint(s, s.control_at(o));
            let tile = commands
                .spawn((
                    TileBundle {
                        position: pos,
                        tilemap_id: TilemapId(map_entity),
                        texture_index: TileTextureIndex(terrain as u32),
                        color: TileColor(tint),
                        ..default()
                    },
                    Name::new("Hex"),
                    HexTile(s.index(o)),
                    DespawnOnExit(Drawn::Map),
                ))
                .id();
            storage.set(&pos, tile);
        }
        let parity = if (rows - 1) % 2 == 0 {
            HexCoordSystem::RowOdd
        } else {
            HexCoordSystem::RowEven
        };
        let origin = hex_to_world(
            s,
            Offset {
                col: 0,
                row: rows as i32 - 1,
            },
        );
        commands.entity(map_entity).insert((
            TilemapBundle {
                grid_size: TilemapGridSize {
                    x: tile_w,
                    y: tile_h,
                },
                size,
                storage,
                texture: TilemapTexture::Single(texture),
                tile_size: TilemapTileSize {
                    x: tile_w,
                    y: tile_h.ceil(),
                },
                map_type: TilemapType::Hexagon(parity),
                transform: Transform::from_translation(origin.extend(0.0)),
                ..default()
            },
            Name::new("Terrain"),
        ));
    }

    // Features: one texture from the shared renderer, laid over the tiles.
    // As fine as the GPU's largest texture and a sane amount of memory allow: a map of
    // 400 x 400 hexes is drawn coarser than Kharkiv's.
    let mut style = MapStyle {
        hex_px: HEX_WORLD * OVERLAY_DETAIL,
        margin: 8.0,
        title_px: 0.0,
        grid: false,
    };
    style.hex_px = render::largest_hex_px(s, &style, 64_000_000, 8192);
    if let Some(pm) = render::render_layers(s, &view, &style, Layers::FEATURES) {
        let g = render::geometry(s, &style, Layers::FEATURES);
        let per_px = HEX_WORLD / style.hex_px;
        // Pixel (origin_x, origin_y) is map km (0, 0), world (0, 0).
        let centre_px = Vec2::new(g.width as f32 / 2.0, g.height as f32 / 2.0);
        let centre = Vec2::new(
            (centre_px.x - g.origin_x) * per_px,
            -(centre_px.y - g.origin_y) * per_px,
        );
        commands.spawn((
            Sprite {
                image: images.add(image_from(&pm)),
                custom_size: Some(Vec2::new(g.width as f32, g.height as f32) * per_px),
                ..default()
            },
            Transform::from_translation(centre.extend(1.0)),
            Name::new("Map features"),
            DespawnOnExit(Drawn::Map),
        ));
    }

    // Unit counters, one per unit, placed by `sync_units`; hidden while off the map.
    for (id, u) in s.units.iter().enumerate() {
        let Some(pm) =
            render::render_counter(s, &UnitMarker::from_spec(u), 64, render::WINDOW_DIGITS)
        else {
            continue;
        };
        commands.spawn((
            Sprite {
                image: images.add(image_from(&pm)),
                custom_size: Some(Vec2::splat(COUNTER_WORLD)),
                ..default()
            },
            Transform::from_translation(hex_to_world(s, u.hex).extend(2.0)),
            Visibility::Hidden,
            UnitCounter(UnitId(id)),
            Name::new(u.name.clone()),
            DespawnOnExit(Drawn::Map),
        ));
    }
}

/// Places each unit's counter in its hex, stacks fanned out; hides units off the map and
/// enemy units the viewing side cannot see.
fn sync_units(
    scenario: Res<ScenarioRes>,
    forces: Res<Forces>,
    viewer: Res<super::view::Viewer>,
    moves: Res<super::animation::MovesShown>,
    command: Res<HighCommand>,
    mut counters: Query<(&UnitCounter, &mut Transform, &mut Visibility, &mut Sprite)>,
) {
    if !forces.is_changed() && !viewer.is_changed() && !moves.is_changed() {
        return;
    }
    // A counter of a side played at this screen that has moved or attacked today is
    // greyed, as Unity of Command marks its spent units: what is bright can still act.
    let played_here = |side: SideId| command.controllers.get(side.0) == Some(&Controller::Human);
    let s = &scenario.0;
    // Fog of war: only what the viewing side can see.
    let seen = viewer
        .0
        .map(|side| crate::rules::fog::visible_to(s, &forces, side));
    let mut slot = std::collections::BTreeMap::<UnitId, usize>::new();
    let mut stacks = std::collections::BTreeMap::<Offset, usize>::new();
    for u in forces.units.iter().filter(|u| u.active()) {
        let k = stacks.entry(u.hex()).or_insert(0);
        slot.insert(u.id, *k);
        *k += 1;
    }
    for (counter, mut transform, mut visibility, mut sprite) in &mut counters {
        let u = &forces.units[counter.0];
        let spent = played_here(u.side) && (u.moved || u.attacked);
        let tint = if spent {
            Color::srgb(0.55, 0.55, 0.55)
        } else {
            Color::WHITE
        };
        if sprite.color != tint {
            sprite.color = tint;
        }
        let hidden_by_fog = seen.as_ref().is_some_and(|v| !v[counter.0]);
        match slot.get(&counter.0).filter(|_| !hidden_by_fog) {
            Some(k) => {
                let shift = *k as f32 * HEX_WORLD * 0.12;
                // A move still being shown puts the counter on its way, not where it ended.
                let centre = moves.position(counter.0).map_or_else(
                    || hex_to_world(s, u.hex()),
                    |(from, to, t)| hex_to_world(s, from).lerp(hex_to_world(s, to), t),
                );
                let at = centre + Vec2::new(-HEX_WORLD * 0.1 + shift, HEX_WORLD * 0.12 + shift);
                transform.translation = at.extend(2.0 + *k as f32 * 0.01);
                *visibility = Visibility::Inherited;
            }
            None => *visibility = Visibility::Hidden,
        }
    }
}

/// How much larger than its map size a counter is drawn at a zoom of `scale` world units
/// per pixel: zoomed out, counters grow (up to 1.8 times) so that they and their numbers
/// stay readable (about 27 pixels at the widest view instead of 15); zoomed in, they keep
/// their size on the map.
pub(super) fn counter_scale(scale: f32, presenting: super::view::Presentation) -> f32 {
    scale.clamp(1.0, 1.8) * presenting.factor()
}

/// Sizes the counters for the zoom.
fn size_counters(
    camera: Single<&Projection, With<Camera2d>>,
    presenting: Res<super::view::Presentation>,
    mut counters: Query<&mut Transform, With<UnitCounter>>,
) {
    let Projection::Orthographic(ortho) = *camera else {
        return;
    };
    let k = counter_scale(ortho.scale, *presenting);
    for mut t in &mut counters {
        if t.scale.x != k {
            t.scale = Vec3::splat(k);
        }
    }
}

/// Tints each hex with the colour of the side holding it.
/// With the supply overlay on, each side's ground is also shaded by its supply: green
/// where a depot reaches that can give a unit all it needs, yellow where the depot is
/// short, red where it can give less than a unit needs to stay in supply, grey where no
/// depot reaches at all (`supply::supply_reach`, the last mile's own trace).
fn sync_control(
    scenario: Res<ScenarioRes>,
    board: Res<Board>,
    forces: Res<Forces>,
    depots: Res<Depots>,
    overlay: Res<super::overlays::SupplyOverlay>,
    mut tiles: Query<(&HexTile, &mut TileColor)>,
) {
    if !(board.is_changed()
        || overlay.is_changed()
        || (overlay.0 && (forces.is_changed() || depots.is_changed())))
    {
        return;
    }
    let s = &scenario.0;
    let reach = overlay
        .0
        .then(|| crate::rules::supply::last_mile::supply_reach(s, &board, &forces, &depots));
    for (tile, mut c) in &mut tiles {
        if let Some(holder) = board.control.get(tile.0) {
            let mut want = tint(s, *holder);
            if let (Some(reach), Some(_)) = (&reach, holder) {
                // The overlay's own colours, in place of the sides' tints (which they would
                // blend with): the front line still shows who holds what.
                want = match reach[tile.0] {
                    Some((_, share)) if share >= s.rules.supplied_share => SUPPLIED_GROUND,
                    Some((_, share)) if share >= s.rules.out_of_supply_share => SHORT_GROUND,
                    Some(_) => OUT_GROUND,
                    None => UNREACHED_GROUND,
                };
            }
            if c.0 != want {
                c.0 = want;
            }
        }
    }
}

/// Draws the front line: the hex sides between hexes held by different sides.
fn draw_front_line(scenario: Res<ScenarioRes>, board: Res<Board>, mut gizmos: Gizmos) {
    let s = &scenario.0;
    let radius = HEX_WORLD / 3f32.sqrt();
    for o in s.hexes() {
        let mine = board.control[s.index(o)];
        for n in s.neighbours(o) {
            if n <= o {
                continue;
            }
            let theirs = board.control[s.index(n)];
            if mine.is_some() && theirs.is_some() && mine != theirs {
                let (a, b) = (hex_to_world(s, o), hex_to_world(s, n));
                let mid = (a + b) / 2.0;
                let along = (b - a).normalize_or_zero().perp() * radius / 2.0;
                gizmos.line_2d(mid - along, mid + along, Color::srgb(0.8, 0.1, 0.1));
            }
        }
    }
}

/// Whether the rail lines are coloured by their state (R).
#[derive(Resource)]
pub(super) struct RailOverlay(pub(super) bool);

impl Default for RailOverlay {
    fn default() -> Self {
        RailOverlay(true)
    }
}

fn toggle_rail_overlay(
    keys: Res<ButtonInput<KeyCode>>,
    wants: Res<bevy_egui::input::EguiWantsInput>,
    mut overlay: ResMut<RailOverlay>,
) {
    if keys.just_pressed(KeyCode::KeyR) && !wants.wants_keyboard_input() {
        overlay.0 = !overlay.0;
    }
}

/// Colours the rail lines by their state for the viewing side (both sides when watching):
/// red where a line open at the start is now cut, and from green to orange by the share of
/// its capacity that its traffic used today.
fn draw_rail_state(
    scenario: Res<ScenarioRes>,
    board: Res<Board>,
    viewer: Res<super::view::Viewer>,
    overlay: Res<RailOverlay>,
    mut gizmos: Gizmos,
) {
    if !overlay.0 {
        return;
    }
    let s = &scenario.0;
    let sides: Vec<SideId> = match viewer.0 {
        Some(v) => vec![v],
        None => s.side_ids().collect(),
    };
    for (l, link) in s.rail_links.iter().enumerate() {
        let cut = sides.iter().any(|side| {
            (board.link_cut_by[*side][l].is_some() || board.rail[l].wrecked)
                && !board.cut_at_start[*side][l]
        });
        let used = sides
            .iter()
            .map(|side| board.link_flow[*side][l])
            .max()
            .unwrap_or(0) as f32
            / link.capacity.max(1) as f32;
        let colour = if cut {
            Color::srgb(0.9, 0.05, 0.05)
        } else if used > 0.0 {
            let u = used.clamp(0.0, 1.0);
            Color::srgb(0.2 + 0.75 * u, 0.75 - 0.3 * u, 0.15)
        } else {
            continue;
        };
        for w in link.hexes.windows(2) {
            gizmos.line_2d(hex_to_world(s, w[0]), hex_to_world(s, w[1]), colour);
        }
    }
}
