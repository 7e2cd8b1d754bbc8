//! The camera: pan with the mouse, arrow keys or WASD; zoom with the wheel or + and -.

use bevy::input::mouse::{AccumulatedMouseMotion, AccumulatedMouseScroll};
use bevy::prelude::*;

use super::geometry::map_bounds;
use crate::rules::state::ScenarioRes;

/// Closest and farthest zoom (world units per screen pixel).
const ZOOM_LIMITS: (f32, f32) = (0.3, 4.0);

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, spawn_camera)
        .add_systems(Update, (centre_on, pan_and_zoom).chain())
        .add_systems(
            Update,
            centre_on_new_map
                .run_if(resource_changed::<ScenarioRes>)
                .before(pan_and_zoom),
        )
        .add_systems(Update, fit_to_screen.before(centre_on_new_map));
}

/// Room left around the window on a screen too small for it (title bar, task bar).
const SCREEN_MARGIN: Vec2 = Vec2::new(16.0, 72.0);

/// The window's size on a screen of `screen` logical pixels: as asked when it fits, else
/// as large as the screen allows less a margin.
pub(super) fn fitted(window: Vec2, screen: Vec2) -> Vec2 {
    window.min((screen - SCREEN_MARGIN).max(Vec2::new(640.0, 480.0)))
}

/// On a screen smaller than the window (a 1280x800 laptop), shrinks the window to fit
/// and fits the map into it again. Done once, when the screen is known.
fn fit_to_screen(
    mut window: Single<&mut Window, With<bevy::window::PrimaryWindow>>,
    monitors: Query<&bevy::window::Monitor, With<bevy::window::PrimaryMonitor>>,
    camera: Single<(&mut Transform, &mut Projection), With<Camera2d>>,
    shown: Res<ScenarioRes>,
    mut done: Local<bool>,
) {
    if *done {
        return;
    }
    let Some(m) = monitors.iter().next() else {
        return;
    };
    *done = true;
    let scale = m.scale_factor.max(0.1) as f32;
    let screen = Vec2::new(m.physical_width as f32, m.physical_height as f32) / scale;
    let now = Vec2::new(window.width(), window.height());
    let want = fitted(now, screen);
    if want != now {
        window.resolution.set(want.x.floor(), want.y.floor());
        let (mut transform, mut projection) = camera.into_inner();
        fit_forces(&shown.0, want.floor(), &mut transform, &mut projection);
    }
}

fn spawn_camera(mut commands: Commands, shown: Res<ScenarioRes>) {
    let bounds = map_bounds(&shown.0);
    let mut projection = OrthographicProjection::default_2d();
    projection.scale = 1.2;
    commands.spawn((
        Camera2d,
        // The map is textures and lines drawn into them; multisampling would smooth
        // little and, on a machine without a GPU, cost most of each frame.
        bevy::render::view::Msaa::Off,
        Projection::Orthographic(projection),
        Transform::from_translation(bounds.center().extend(100.0)),
        Name::new("Camera"),
    ));
}

/// The farthest zoom (world units per pixel) a game opens at: there the counters are
/// `COUNTER_WORLD` times `counter_scale` over it, 35 pixels, and their strength figures
/// 11 pixels high (`tests/window.rs` measures them at 1280 x 800).
const READABLE_SCALE: f32 = 1.8;

/// Room the panels take: the side panel's width and the top bar's height, in pixels.
const PANELS_PX: Vec2 = Vec2::new(380.0, 30.0);

/// A new scenario (the first, or another loaded later) opens on its forces: the units
/// present at the start, fitted into the part of the window the panels leave free. A game
/// of the map already shown keeps the view.
fn centre_on_new_map(
    camera: Single<(&mut Transform, &mut Projection), With<Camera2d>>,
    window: Single<&Window>,
    shown: Res<ScenarioRes>,
    mut last: Local<Option<(String, i32, i32)>>,
) {
    let s = &shown.0;
    // The same map again (a game of it loaded, or its file reloaded): the view stays.
    let this = (s.name.clone(), s.frame.columns, s.frame.rows);
    if last.as_ref() == Some(&this) {
        return;
    }
    *last = Some(this);
    let (mut transform, mut projection) = camera.into_inner();
    fit_forces(
        s,
        Vec2::new(window.width(), window.height()),
        &mut transform,
        &mut projection,
    );
}

/// Fits the units present at the start into the part of a window of `size` that the
/// panels leave free, as far as the counters stay readable ([`READABLE_SCALE`]).
fn fit_forces(
    s: &crate::scenario::Scenario,
    size: Vec2,
    transform: &mut Transform,
    projection: &mut Projection,
) {
    let start = s
        .units
        .iter()
        .filter(|u| u.arrives.is_none_or(|d| d <= s.start_date));
    let points: Vec<Vec2> = start
        .map(|u| super::geometry::hex_to_world(s, u.hex))
        .collect();
    let area = if points.is_empty() {
        map_bounds(s)
    } else {
        let min = points.iter().copied().reduce(Vec2::min).unwrap_or_default();
        let max = points.iter().copied().reduce(Vec2::max).unwrap_or_default();
        Rect::from_corners(min, max).inflate(super::geometry::HEX_WORLD)
    };
    let free = (size - PANELS_PX).max(Vec2::splat(100.0));
    // Never so far out that the counters' figures cannot be read: a front wider than the
    // window opens on its middle, the rest a scroll or a zoom away.
    let scale = (area.size() / free)
        .max_element()
        .clamp(0.8, ZOOM_LIMITS.1)
        .min(READABLE_SCALE);
    // The free part of the window is left of the side panel and below the top bar.
    let shift = Vec2::new(PANELS_PX.x, -PANELS_PX.y) / 2.0 * scale;
    transform.translation = (area.center() + shift).extend(100.0);
    if let Projection::Orthographic(ortho) = projection {
        ortho.scale = scale;
    }
}

/// Mouse and keys move the view; the wheel and drags count only over the map, not over
/// the panels or windows (scrolling the narration must not zoom the map).
#[allow(clippy::too_many_arguments)]
fn pan_and_zoom(
    camera: Single<(&mut Transform, &mut Projection), With<Camera2d>>,
    window: Single<&Window>,
    wants: Res<bevy_egui::input::EguiWantsInput>,
    panels: Res<super::view::PanelRects>,
    mut dragging: Local<bool>,
    keys: Res<ButtonInput<KeyCode>>,
    buttons: Res<ButtonInput<MouseButton>>,
    motion: Res<AccumulatedMouseMotion>,
    scroll: Res<AccumulatedMouseScroll>,
    time: Res<Time>,
    shown: Res<ScenarioRes>,
) {
    let (mut transform, mut projection) = camera.into_inner();
    let Projection::Orthographic(ortho) = &mut *projection else {
        return;
    };
    let over_map = window
        .cursor_position()
        .is_some_and(|c| !wants.is_pointer_over_area() && !panels.covers(c));
    if buttons.any_just_pressed([MouseButton::Left, MouseButton::Middle, MouseButton::Right]) {
        *dragging = over_map;
    }
    let old_scale = ortho.scale;
    let mut zoom = ortho.scale;
    // The wheel zooms toward the cursor: the point under it stays under it.
    let mut toward = Vec2::ZERO;
    if scroll.delta.y != 0.0 && over_map {
        zoom *= 0.9f32.powf(scroll.delta.y.clamp(-5.0, 5.0));
        if let Some(c) = window.cursor_position() {
            toward = Vec2::new(c.x - window.width() / 2.0, window.height() / 2.0 - c.y);
        }
    }
    if keys.any_pressed([KeyCode::Equal, KeyCode::NumpadAdd]) {
        zoom *= 0.25f32.powf(time.delta_secs());
    }
    if keys.any_pressed([KeyCode::Minus, KeyCode::NumpadSubtract]) {
        zoom *= 4.0f32.powf(time.delta_secs());
    }
    ortho.scale = zoom.clamp(ZOOM_LIMITS.0, ZOOM_LIMITS.1);

    let mut step = Vec2::ZERO;
    for (keys_for, dir) in [
        ([KeyCode::ArrowLeft, KeyCode::KeyA], Vec2::NEG_X),
        ([KeyCode::ArrowRight, KeyCode::KeyD], Vec2::X),
        ([KeyCode::ArrowUp, KeyCode::KeyW], Vec2::Y),
        ([KeyCode::ArrowDown, KeyCode::KeyS], Vec2::NEG_Y),
    ] {
        if keys.any_pressed(keys_for) {
            step += dir;
        }
    }
    let mut pan =
        step * 450.0 * ortho.scale * time.delta_secs() + zoom_shift(toward, old_scale, ortho.scale);
    if *dragging
        && buttons.any_pressed([MouseButton::Left, MouseButton::Middle, MouseButton::Right])
    {
        pan += Vec2::new(-motion.delta.x, motion.delta.y) * ortho.scale;
    }
    let bounds = map_bounds(&shown.0);
    let p = transform.translation.truncate() + pan;
    transform.translation.x = p.x.clamp(bounds.min.x, bounds.max.x);
    transform.translation.y = p.y.clamp(bounds.min.y, bounds.max.y);
}

/// A hex asked for comes to the middle of the map's part of the window (the side panel
/// covers the rest), the zoom as it is.
fn centre_on(
    mut asked: MessageReader<super::view::CentreOn>,
    camera: Single<(&mut Transform, &Projection), With<Camera2d>>,
    window: Single<&Window>,
    panels: Res<super::view::PanelRects>,
    shown: Res<ScenarioRes>,
) {
    let Some(hex) = asked.read().last().map(|c| c.0) else {
        return;
    };
    let s = &shown.0;
    if !s.frame.contains(hex) {
        return;
    }
    let (mut transform, projection) = camera.into_inner();
    let scale = match projection {
        Projection::Orthographic(o) => o.scale,
        _ => 1.0,
    };
    // The panels on the right (starting past the window's middle) narrow the map.
    let covered: f32 = panels
        .0
        .iter()
        .filter(|r| r.min.x > window.width() / 2.0)
        .map(|r| window.width() - r.min.x)
        .fold(0.0, f32::max);
    let at = super::geometry::hex_to_world(s, hex) + Vec2::new(covered / 2.0 * scale, 0.0);
    transform.translation.x = at.x;
    transform.translation.y = at.y;
}

/// How far the camera moves so that the point `offset` screen pixels from the window's
/// centre stays where it is when the zoom goes from `old` to `new` world units per pixel.
fn zoom_shift(offset: Vec2, old: f32, new: f32) -> Vec2 {
    offset * (old - new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_fits_a_small_screen_and_keeps_its_size_on_a_large_one() {
        let asked = Vec2::new(1280.0, 900.0);
        assert_eq!(fitted(asked, Vec2::new(1920.0, 1080.0)), asked);
        let small = fitted(asked, Vec2::new(1280.0, 800.0));
        assert!(small.x <= 1280.0 && small.y <= 800.0 - 60.0, "{small}");
        assert_eq!(small.x, 1264.0);
    }

    #[test]
    fn zooming_keeps_the_point_under_the_cursor() {
        let camera = Vec2::new(100.0, -40.0);
        let offset = Vec2::new(250.0, -120.0);
        let (old, new) = (1.2, 0.8);
        let under = camera + offset * old;
        let moved = camera + zoom_shift(offset, old, new);
        assert!((moved + offset * new - under).length() < 1e-4);
        // At the centre, zooming does not move the camera.
        assert_eq!(zoom_shift(Vec2::ZERO, old, new), Vec2::ZERO);
    }
}
