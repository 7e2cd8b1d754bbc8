//! The camera: pan with the mouse, arrow keys or WASD; zoom with the wheel or + and -.

use bevy::input::mouse::{AccumulatedMouseMotion, AccumulatedMouseScroll};
use bevy::prelude::*;

use super::map::map_bounds;
use crate::rules::state::ScenarioRes;

/// Closest and farthest zoom (world units per screen pixel).
const ZOOM_LIMITS: (f32, f32) = (0.3, 4.0);

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, spawn_camera)
        .add_systems(Update, (pan_and_zoom, quit_on_escape));
}

fn spawn_camera(mut commands: Commands, shown: Res<ScenarioRes>) {
    let bounds = map_bounds(&shown.0);
    let mut projection = OrthographicProjection::default_2d();
    projection.scale = 1.2;
    commands.spawn((
        Camera2d,
        Projection::Orthographic(projection),
        Transform::from_translation(bounds.center().extend(100.0)),
        Name::new("Camera"),
    ));
}

fn pan_and_zoom(
    camera: Single<(&mut Transform, &mut Projection), With<Camera2d>>,
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
    let mut zoom = ortho.scale;
    if scroll.delta.y != 0.0 {
        zoom *= 0.9f32.powf(scroll.delta.y.clamp(-5.0, 5.0));
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
    let mut pan = step * 700.0 * ortho.scale * time.delta_secs();
    if buttons.any_pressed([MouseButton::Left, MouseButton::Middle, MouseButton::Right]) {
        pan += Vec2::new(-motion.delta.x, motion.delta.y) * ortho.scale;
    }
    let bounds = map_bounds(&shown.0);
    let p = transform.translation.truncate() + pan;
    transform.translation.x = p.x.clamp(bounds.min.x, bounds.max.x);
    transform.translation.y = p.y.clamp(bounds.min.y, bounds.max.y);
}

fn quit_on_escape(keys: Res<ButtonInput<KeyCode>>, mut exit: MessageWriter<AppExit>) {
    if keys.just_pressed(KeyCode::Escape) {
        exit.write(AppExit::Success);
    }
}
