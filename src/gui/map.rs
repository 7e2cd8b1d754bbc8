//! Spawns the map: terrain tiles, the feature overlay, unit counters and the top bar.

use bevy::asset::RenderAssetUsages;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};
use bevy_ecs_tilemap::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use tiny_skia::{Color as SkColor, FillRule, Paint, PathBuilder, Pixmap, Transform as SkTransform};

use super::ShownScenario;
use crate::geo::Offset;
use crate::render::{self, Layers, MapStyle, MapView};
use crate::scenario::Scenario;

/// World units from one hex centre to the next.
pub const HEX_WORLD: f32 = 48.0;
/// Overlay pixels per world unit: drawn finer than the world so text stays sharp when zoomed.
const OVERLAY_DETAIL: f32 = 1.5;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, spawn_map).add_systems(
        EguiPrimaryContextPass,
        top_bar.run_if(resource_exists::<TopBar>),
    );
}

/// The line shown in the top bar.
#[derive(Resource)]
struct TopBar(String);

fn top_bar(mut contexts: EguiContexts, bar: Res<TopBar>) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = egui::Ui::new(
        ctx.clone(),
        "top_bar_root".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    );
    egui::Panel::top("top_bar").show(&mut root, |ui| {
        ui.horizontal(|ui| {
            ui.strong(&bar.0);
            ui.separator();
            ui.label("drag / arrows / WASD: pan   wheel / + -: zoom   F12: screenshot   Esc: quit");
        });
    });
    Ok(())
}

/// World units per map kilometre.
pub fn world_per_km(s: &Scenario) -> f32 {
    HEX_WORLD / s.frame.hex_km as f32
}

/// World position of a point given in map kilometres (x east, y south).
pub fn km_to_world(s: &Scenario, (x, y): (f64, f64)) -> Vec2 {
    let k = world_per_km(s);
    Vec2::new(x as f32 * k, -(y as f32) * k)
}

/// World position of a hex centre.
pub fn hex_to_world(s: &Scenario, o: Offset) -> Vec2 {
    km_to_world(s, s.frame.hex_center_km(o))
}

/// The world rectangle the map covers.
pub fn map_bounds(s: &Scenario) -> Rect {
    let a = hex_to_world(s, Offset { col: 0, row: 0 });
    let b = hex_to_world(
        s,
        Offset {
            col: s.frame.columns - 1,
            row: s.frame.rows - 1,
        },
    );
    Rect::from_corners(a, b).inflate(HEX_WORLD)
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

/// One pointy hex per terrain type, side by side, in the scenario's colours.
fn tileset(s: &Scenario, w: u32, h: u32) -> Option<Pixmap> {
    let mut pm = Pixmap::new(w * s.terrain_types.len() as u32, h)?;
    for (i, t) in s.terrain_types.iter().enumerate() {
        let (cx, cy) = (i as f32 * w as f32 + w as f32 / 2.0, h as f32 / 2.0);
        let r = h as f32 / 2.0;
        let mut pb = PathBuilder::new();
        for k in 0..6 {
            let a = (60.0 * k as f32 - 90.0).to_radians();
            let (x, y) = (cx + r * a.cos(), cy + r * a.sin());
            if k == 0 {
                pb.move_to(x, y)
            } else {
                pb.line_to(x, y)
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

fn spawn_map(mut commands: Commands, shown: Res<ShownScenario>, mut images: ResMut<Assets<Image>>) {
    let s = &shown.0;
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
        let map_entity = commands.spawn_empty().id();
        for o in s.hexes() {
            let pos = TilePos {
                x: o.col as u32,
                y: rows - 1 - o.row as u32,
            };
            let terrain = s.terrain[s.index(o)];
            let tint = match s.control_at(o) {
                Some(side) => {
                    let c = s.sides[side].colour;
                    let mix = |v: u8| (1.0 - 0.22 * (1.0 - f32::from(v) / 255.0)).clamp(0.0, 1.0);
                    Color::srgb(mix(c.0), mix(c.1), mix(c.2))
                }
                None => Color::WHITE,
            };
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
    let style = MapStyle {
        hex_px: HEX_WORLD * OVERLAY_DETAIL,
        margin: 8.0,
        title_px: 0.0,
    };
    if let Some(pm) = render::render_layers(s, &view, &style, Layers::FEATURES) {
        let g = render::geometry(s, &style, Layers::FEATURES);
        let per_px = 1.0 / OVERLAY_DETAIL;
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
        ));
    }

    // Unit counters, fanned out in stacks.
    let mut stacks = std::collections::BTreeMap::<Offset, usize>::new();
    for u in &view.units {
        let Some(pm) = render::render_counter(s, u, 64) else {
            continue;
        };
        let k = stacks.entry(u.hex).or_insert(0);
        let shift = *k as f32 * HEX_WORLD * 0.12;
        *k += 1;
        let at =
            hex_to_world(s, u.hex) + Vec2::new(-HEX_WORLD * 0.1 + shift, HEX_WORLD * 0.12 + shift);
        commands.spawn((
            Sprite {
                image: images.add(image_from(&pm)),
                custom_size: Some(Vec2::splat(HEX_WORLD * 0.62)),
                ..default()
            },
            Transform::from_translation(at.extend(2.0 + *k as f32 * 0.01)),
            Name::new(u.name.clone()),
        ));
    }

    commands.insert_resource(TopBar(format!(
        "{}   |   {}   |   {} units, {} depots, {} rail links",
        s.name,
        s.start_date.format("%-d %B %Y"),
        view.units.len(),
        s.depots.len(),
        s.rail_links.len()
    )));
}
