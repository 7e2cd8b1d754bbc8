//! Names on the map that stay readable and out of the way: place names (objectives with
//! their points) and depot stocks are text entities drawn at one size on the screen
//! whatever the zoom, on a light plate, and each is put beside its place where it covers
//! no unit counter and no label placed before it (objectives first, then depots, towns,
//! villages). Villages are named only when zoomed in.

use bevy::prelude::*;
use bevy::sprite::Anchor;
use bevy::text::{TextBackgroundColor, TextLayoutInfo};

use super::geometry::{HEX_WORLD, hex_to_world, km_to_world};
use super::map::{COUNTER_WORLD, Drawn, UnitCounter, counter_scale};
use crate::rules::state::{Depots, ScenarioRes};
use crate::scenario::Scenario;
use crate::scenario::ids::DepotId;
use crate::scenario::raw::PlaceSize;

/// Text height on the screen, pixels.
const TEXT_PX: f32 = 13.0;
/// Gap between a place and its name, pixels.
const GAP_PX: f32 = 5.0;
/// Zoom (world units per pixel) above which villages go unnamed.
const VILLAGES_UP_TO: f32 = 1.0;

/// A label on the map: the point it names (world), and its rank (lower placed first).
#[derive(Component, Debug, Clone, Copy)]
pub(super) struct MapLabel {
    anchor: Vec2,
    rank: u8,
    village: bool,
}

/// A depot's stock label (its text kept up to date by `map::sync_depots`).
#[derive(Component)]
pub(super) struct DepotLabel(pub(super) DepotId);

/// The font size a label's text (or span) is set in on a plain screen, pixels; presentation
/// mode sets it larger (`grow_labels`), laid out again so that it stays sharp.
#[derive(Component, Debug, Clone, Copy)]
struct BasePx(f32);

/// A span of a label's text (an objective's points).
#[derive(Component)]
struct LabelSpan;

/// The face labels are set in: the bundled `DejaVu` Sans Bold, as on `railhead map`.
#[derive(Resource)]
struct LabelFont(Handle<Font>);

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, load_font)
        .add_systems(OnEnter(Drawn::Map), spawn_labels)
        .add_systems(Update, (set_font, sync_depots, grow_labels))
        .add_systems(PostUpdate, place_labels.before(TransformSystems::Propagate));
}

fn load_font(mut commands: Commands, mut fonts: ResMut<Assets<Font>>) {
    let font = fonts.add(Font::from_bytes(crate::render::text::BOLD.to_vec()));
    commands.insert_resource(LabelFont(font));
}

/// How tall a map label's text stands on screen, in window pixels: its font's size times
/// its drawn scale over the camera's (the largest shown; `None` when none is).
pub(super) fn label_px(world: &mut World, camera_scale: f32) -> Option<f32> {
    let mut q = world.query::<(&MapLabel, &TextFont, &Transform, &Visibility)>();
    q.iter(world)
        .filter(|(_, _, _, v)| **v != Visibility::Hidden)
        .filter_map(|(_, f, t, _)| match f.font_size {
            FontSize::Px(px) => Some(px * t.scale.x / camera_scale),
            _ => None,
        })
        .reduce(f32::max)
}

/// Text of the map's labels just spawned.
type NewLabelText<'w, 's> =
    Query<'w, 's, &'static mut TextFont, Or<(Added<MapLabel>, Added<LabelSpan>)>>;

fn set_font(font: Res<LabelFont>, mut texts: NewLabelText) {
    for mut f in &mut texts {
        f.font = FontSource::Handle(font.0.clone());
    }
}

/// Presentation mode sets the labels' text larger, as it does the panels' type (and a
/// label drawn while it is on starts larger).
fn grow_labels(
    presenting: Res<super::view::Presentation>,
    mut texts: Query<(Ref<BasePx>, &mut TextFont)>,
) {
    let all = presenting.is_changed();
    for (base, mut font) in &mut texts {
        if all || base.is_added() {
            let want = base.0 * presenting.type_factor();
            if !matches!(font.font_size, FontSize::Px(px) if (px - want).abs() < 1e-3) {
                font.font_size = FontSize::Px(want);
            }
        }
    }
}

/// The plate behind a label.
fn plate() -> TextBackgroundColor {
    TextBackgroundColor(Color::srgba(1.0, 1.0, 0.97, 0.78))
}

/// Place names and depot stocks (kept up to date by [`sync_depots`]), for the map just
/// drawn, scoped like the rest of it; placed clear of the counters by [`place_labels`].
fn spawn_labels(mut commands: Commands, scenario: Res<ScenarioRes>) {
    spawn(&mut commands, &scenario.0, DespawnOnExit(Drawn::Map));
}

/// Spawns the labels of a scenario's map, scoped like the rest of the map.
pub(super) fn spawn(commands: &mut Commands, s: &Scenario, scope: impl Bundle + Clone) {
    let font = |px: f32| {
        (
            TextFont {
                font_size: FontSize::Px(px),
                ..default()
            },
            BasePx(px),
        )
    };
    for (k, p) in s.places.iter().enumerate() {
        let anchor = km_to_world(s, s.frame.to_km(p.position));
        let objective = s.objectives.iter().find(|o| o.place == k);
        let (rank, size) = match (objective, p.size) {
            (Some(_), _) => (0, TEXT_PX),
            (None, PlaceSize::City) => (2, TEXT_PX + 1.0),
            (None, PlaceSize::Town) => (3, TEXT_PX),
            (None, PlaceSize::Village) => (4, TEXT_PX - 1.0),
        };
        let mut label = commands.spawn((
            Text2d::new(p.name.clone()),
            font(size),
            TextColor(Color::srgb(0.08, 0.08, 0.08)),
            plate(),
            Anchor::CENTER,
            Transform::from_translation(anchor.extend(1.5)),
            MapLabel {
                anchor,
                rank,
                village: p.size == PlaceSize::Village && objective.is_none(),
            },
            Name::new(format!("{} label", p.name)),
            scope.clone(),
        ));
        if let Some(o) = objective {
            label.with_child((
                TextSpan::new(format!(" {} VP", o.points)),
                font(size - 1.0),
                TextColor(Color::srgb(0.6, 0.4, 0.0)),
                plate(),
                LabelSpan,
            ));
        }
    }
    for (i, d) in s.depots.iter().enumerate() {
        // The depot's square is drawn just below its hex's centre.
        let anchor = hex_to_world(s, d.hex) - Vec2::new(0.0, HEX_WORLD * 0.32);
        commands.spawn((
            Text2d::new(format!("{} t", crate::numbers::group_thousands(d.stock))),
            font(TEXT_PX - 1.0),
            TextColor(Color::srgb(0.1, 0.1, 0.1)),
            plate(),
            Anchor::CENTER,
            Transform::from_translation(anchor.extend(1.6)),
            MapLabel {
                anchor,
                rank: 1,
                village: false,
            },
            DepotLabel(DepotId(i)),
            Name::new(format!("{} stock", d.name)),
            scope.clone(),
        ));
    }
}

/// Shows each depot's stock as it stands, and who took it (the square drawn on the map
/// is in the colour of its side at the start).
fn sync_depots(
    scenario: Res<ScenarioRes>,
    depots: Res<Depots>,
    mut labels: Query<(&DepotLabel, &mut Text2d)>,
) {
    if !depots.is_changed() {
        return;
    }
    for (label, mut text) in &mut labels {
        if let Some(d) = depots.0.get(label.0.0) {
            let stock = crate::numbers::group_thousands(d.stock.round() as u32);
            let line = if let (true, Some(by)) = (d.active, d.taken_by) {
                format!("{stock} t, taken by {}", scenario.0.sides[by].name)
            } else if d.active {
                format!("{stock} t")
            } else {
                "lost".to_string()
            };
            if text.0 != line {
                text.0 = line;
            }
        }
    }
}

/// Where a label of `size` (world units) may go around its anchor, in order of preference:
/// right, upper right, lower right, above, below, left.
pub(super) fn candidates(anchor: Vec2, size: Vec2, gap: f32) -> [Vec2; 6] {
    let (w, h) = (size.x / 2.0, size.y / 2.0);
    [
        anchor + Vec2::new(gap + w, 0.0),
        anchor + Vec2::new(gap + w, h + gap / 2.0),
        anchor + Vec2::new(gap + w, -h - gap / 2.0),
        anchor + Vec2::new(0.0, gap + h),
        anchor + Vec2::new(0.0, -gap - h),
        anchor + Vec2::new(-gap - w, 0.0),
    ]
}

/// The first place for a label of `size` around `anchor`, at one of `gaps` from it (the
/// nearest first), that overlaps none of the `labels` placed before it nor the `counters`;
/// else the first clear of the labels (over a counter); `None` when every place would
/// cover another label (the label is then hidden: those placed before it matter more).
pub(super) fn choose(
    anchor: Vec2,
    size: Vec2,
    gaps: &[f32],
    labels: &[Rect],
    counters: &[Rect],
) -> Option<Vec2> {
    let clear = |c: &Vec2, of: &[Rect]| {
        let r = Rect::from_center_size(*c, size);
        of.iter().all(|t| t.intersect(r).is_empty())
    };
    let places: Vec<Vec2> = gaps
        .iter()
        .flat_map(|g| candidates(anchor, size, *g))
        .collect();
    places
        .iter()
        .find(|c| clear(c, labels) && clear(c, counters))
        .or_else(|| places.iter().find(|c| clear(c, labels)))
        .copied()
}

/// Where the unit counters are, and whether each is shown, to keep labels off them.
type CounterPlaces<'w, 's> = Query<
    'w,
    's,
    (Ref<'static, Transform>, Ref<'static, Visibility>),
    (With<UnitCounter>, Without<MapLabel>),
>;

fn place_labels(
    camera: Single<Ref<Projection>, With<Camera2d>>,
    presenting: Res<super::view::Presentation>,
    counters: CounterPlaces,
    mut labels: Query<(
        &MapLabel,
        Ref<TextLayoutInfo>,
        &mut Transform,
        &mut Visibility,
    )>,
) {
    let Projection::Orthographic(ortho) = &**camera else {
        return;
    };
    let moved = camera.is_changed()
        || presenting.is_changed()
        || counters
            .iter()
            .any(|(t, v)| t.is_changed() || v.is_changed())
        || labels.iter().any(|(_, l, _, _)| l.is_changed());
    if !moved {
        return;
    }
    let scale = ortho.scale;
    let mut placed: Vec<Rect> = Vec::new();
    let taken: Vec<Rect> = counters
        .iter()
        .filter(|(_, v)| **v != Visibility::Hidden)
        .map(|(t, _)| {
            Rect::from_center_size(
                t.translation.truncate(),
                Vec2::splat(COUNTER_WORLD * t.scale.x),
            )
        })
        .collect();
    let mut order: Vec<_> = labels.iter_mut().collect();
    order.sort_by(|a, b| {
        (a.0.rank, a.0.anchor.x.to_bits(), a.0.anchor.y.to_bits()).cmp(&(
            b.0.rank,
            b.0.anchor.x.to_bits(),
            b.0.anchor.y.to_bits(),
        ))
    });
    for (label, layout, transform, visibility) in &mut order {
        // Text is laid out in screen pixels; scaled by the zoom it keeps its size on screen.
        let size = layout.size / layout.scale_factor.max(0.01) * scale;
        // Beside its place, or if a counter is there, a counter's width farther out.
        let gap = GAP_PX * scale;
        let counter = COUNTER_WORLD * counter_scale(scale, *presenting);
        let at = (!label.village || scale <= VILLAGES_UP_TO)
            .then(|| {
                choose(
                    label.anchor,
                    size,
                    &[gap, gap + counter * 0.5, gap + counter],
                    &placed,
                    &taken,
                )
            })
            .flatten();
        let want = if at.is_some() {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        };
        if **visibility != want {
            **visibility = want;
        }
        let Some(at) = at else {
            continue;
        };
        placed.push(Rect::from_center_size(at, size));
        let z = transform.translation.z;
        let new = Transform::from_translation(at.extend(z)).with_scale(Vec3::splat(scale));
        if **transform != new {
            **transform = new;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_goes_where_nothing_is_in_its_way_or_hides() {
        let size = Vec2::new(40.0, 10.0);
        let anchor = Vec2::ZERO;
        // Nothing taken: to the right.
        let first = choose(anchor, size, &[2.0], &[], &[]).unwrap();
        assert_eq!(first, candidates(anchor, size, 2.0)[0]);
        // A counter to the right, above and below: it goes left.
        let counter = Rect::from_center_size(Vec2::new(20.0, 4.0), Vec2::new(30.0, 14.0));
        let at = choose(anchor, size, &[2.0], &[], &[counter]).unwrap();
        assert!(
            Rect::from_center_size(at, size)
                .intersect(counter)
                .is_empty(),
            "{at} overlaps the counter"
        );
        assert_eq!(at, candidates(anchor, size, 2.0)[5]);
        // A counter on the place itself: a ring farther out.
        let on = Rect::from_center_size(anchor, Vec2::splat(30.0));
        let at = choose(anchor, size, &[2.0, 20.0], &[], &[on]).unwrap();
        assert_eq!(at, candidates(anchor, size, 20.0)[0]);
        // Counters everywhere: over a counter, beside it all the same.
        let wall = Rect::from_center_size(anchor, Vec2::splat(500.0));
        assert_eq!(
            choose(anchor, size, &[2.0, 20.0], &[], &[wall]),
            Some(first)
        );
        // Labels everywhere: hidden, never over another label.
        assert_eq!(choose(anchor, size, &[2.0, 20.0], &[wall], &[]), None);
    }
}
