//! The game window: a hex tilemap of the scenario with its rivers, rails, towns, depots and
//! unit counters, a camera to pan and zoom, and a screenshot key.
//!
//! Only this module depends on Bevy's render stack; it reads the validated scenario and
//! draws it. Terrain is a bevy_ecs_tilemap hex map whose tileset is painted at start-up
//! from the scenario's own terrain colours; the features (rivers, rails, names) are one
//! texture drawn by the same renderer as `railhead map`, laid over the tiles.

mod camera;
mod map;
mod screenshot;

use std::process::ExitCode;

use bevy::prelude::*;
use bevy::window::WindowResolution;
use bevy_ecs_tilemap::TilemapPlugin;

use crate::cli::PlayArgs;
use crate::scenario::Scenario;

/// The scenario being shown.
#[derive(Resource)]
pub struct ShownScenario(pub Scenario);

/// Opens the window on a scenario and runs until it is closed.
pub fn run(scenario: Scenario, args: PlayArgs) -> ExitCode {
    let title = format!("Railhead - {}", scenario.name);
    let mut app = App::new();
    app.add_plugins(DefaultPlugins.set(WindowPlugin {
        primary_window: Some(Window {
            title,
            resolution: WindowResolution::new(1280, 900),
            ..default()
        }),
        ..default()
    }))
    .add_plugins((TilemapPlugin, bevy_egui::EguiPlugin::default()))
    .insert_resource(ClearColor(Color::srgb_u8(236, 232, 220)))
    .insert_resource(ShownScenario(scenario))
    .add_plugins((map::plugin, camera::plugin, screenshot::plugin));
    if let Some(path) = args.screenshot {
        app.insert_resource(screenshot::AutoScreenshot {
            path,
            frames: args.frames.max(1),
        });
    }
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}
