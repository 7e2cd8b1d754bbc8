//! The game window: the rules plugin runs inside it, and the window shows its state: a
//! hex tilemap of the scenario with its rivers, rails and towns, live unit counters,
//! control, the front line and depot stocks, the day's narration, and a control to play
//! the next day.
//!
//! Only this module depends on Bevy's render stack. It reads the rules' resources and
//! never changes them except by running the rules' own schedules. Terrain is a
//! `bevy_ecs_tilemap` hex map whose tileset is painted at start-up from the scenario's own
//! terrain colours; the fixed features (rivers, rails, names) are one texture drawn by the
//! same renderer as `railhead map`, laid over the tiles.

mod animation;
mod camera;
mod confirm;
mod depots;
mod driver;
pub mod frametime;
mod geometry;
mod idle;
mod instructor;
mod labels;
mod launch;
mod map;
mod messages;
mod orders;
mod overlays;
mod panels;
mod quit;
mod saves;
mod screenshot;
pub mod script;
mod session;
mod tooltip;
mod tour;
mod undo;
mod view;

use std::process::ExitCode;
use std::sync::Arc;

use bevy::prelude::*;
use bevy::window::WindowResolution;
use bevy_ecs_tilemap::TilemapPlugin;

pub use messages::Loaded;
pub use tour::LessonTour;

use crate::rules::RulesPlugin;
use crate::rules::state::ScenarioRes;
use crate::scenario::Scenario;

/// How the window is asked to open (the command line's `railhead play` fills it in).
#[derive(Debug, Clone, Default)]
pub struct Launch {
    /// The scenario file, watched and reloaded; `None` for the built-in copy.
    pub scenario: Option<std::path::PathBuf>,
    /// Render some frames, save a screenshot to this PNG file and exit.
    pub screenshot: Option<std::path::PathBuf>,
    /// Frames to render before the screenshot.
    pub frames: u32,
    /// The side the people at the screen command (a side id, `hotseat` or `none`); the
    /// start screen asks when it is `None`.
    pub side: Option<String>,
    /// A saved game to continue, or (with its days) to watch from its first day: read
    /// and replayed already.
    pub loaded: Option<Loaded>,
    /// Play by file: the save that goes between the players.
    pub by_file: Option<std::path::PathBuf>,
    /// Steps for a scripted player (see [`script`]).
    pub script: Option<std::path::PathBuf>,
    /// Measure the frame time over this many frames, print it and exit ([`frametime`]).
    pub frame_time: Option<u32>,
    /// Seed of the dice of every new game; a fresh one each game when `None`.
    pub seed: Option<u64>,
    /// A lesson's guided tour to play (with `side: none` and the lesson's seed).
    pub lesson: Option<LessonTour>,
}

/// Why no window can open here, when that can be told before trying: on Linux and the
/// BSDs, neither an X display nor a Wayland one is named.
fn no_display() -> Option<String> {
    if !cfg!(all(unix, not(target_os = "macos"))) {
        return None;
    }
    let named = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty());
    (!named("DISPLAY") && !named("WAYLAND_DISPLAY")).then(|| {
        "no display is set (neither DISPLAY nor WAYLAND_DISPLAY). Start it from a desktop \
         session; the headless commands (`railhead run`, `demo`, `lesson --worksheet`, ...) \
         need none"
            .to_string()
    })
}

/// Opens the window on a scenario and runs until it is closed.
pub fn run(scenario: Scenario, args: Launch) -> ExitCode {
    let title = format!("Railhead - {}", scenario.name);
    let seats = args.side.as_deref().map_or_else(
        || session::Seats::Side(scenario.sides[0].id.clone()),
        session::Seats::from_arg,
    );
    let side_index = |id: &str| {
        scenario.side_index(id).ok_or_else(|| {
            format!(
                "there is no side `{id}` in this scenario (sides: {})",
                scenario.side_list()
            )
        })
    };
    // Play by file: this screen plays one side, the others are played elsewhere.
    let continued = args
        .loaded
        .as_ref()
        .filter(|l| l.days.is_none())
        .map(|l| l.path.clone());
    let by_file = match (&args.by_file, continued, args.side.as_deref()) {
        (Some(file), _, Some(id)) => side_index(id).map(|i| Some((i, file.clone()))),
        (Some(_), _, None) => Err("--by-file needs --side: the side this screen plays".into()),
        (None, Some(file), Some(id)) => side_index(id).map(|i| Some((i, file))),
        (None, _, _) => Ok(None),
    };
    let by_file = match by_file {
        Ok(b) => b,
        Err(e) => {
            crate::diag!("railhead play: {e}");
            return ExitCode::from(2);
        }
    };
    let seats = if by_file.is_some() {
        session::Seats::Hotseat
    } else {
        seats
    };
    let controllers = match seats.controllers(&scenario) {
        Ok(c) => c,
        Err(e) => {
            crate::diag!("railhead play: {e}");
            return ExitCode::from(2);
        }
    };
    let session = session::Session {
        path: args.scenario.clone(),
        start_screen: args.side.is_none() && args.loaded.is_none(),
        by_file,
        seed: args.seed,
        ..session::Session::new(seats)
    };
    // (The game the window starts with is drawn again, with its seed, on its first frame.)
    let seed = args.seed.unwrap_or(scenario.seed);
    let script = match args.script.as_deref().map(script::Script::read).transpose() {
        Ok(s) => s,
        Err(e) => {
            crate::diag!("railhead play: {e}");
            return ExitCode::from(2);
        }
    };
    // The arguments checked, the window is tried: said plainly when it cannot open.
    if let Some(why) = no_display() {
        crate::diag!("railhead: the window cannot open: {why}");
        return ExitCode::from(1);
    }
    // A display named but not reached fails inside winit, which panics: say so plainly.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info.payload_as_str().unwrap_or_default();
        if message.contains("Failed to build event loop") {
            crate::diag!(
                "railhead: the window cannot open: no display could be reached ({message}). \
                 Start it from a desktop session, or under a virtual X server: \
                 `Xvfb :99 &` then `DISPLAY=:99`."
            );
        } else {
            default_hook(info);
        }
    }));
    let mut app = App::new();
    app.add_plugins(DefaultPlugins.set(WindowPlugin {
        primary_window: Some(Window {
            title,
            resolution: WindowResolution::new(1280, 900),
            ..default()
        }),
        // Closing the window asks first, as Esc does (`quit`).
        close_when_requested: false,
        ..default()
    }))
    .add_plugins((TilemapPlugin, bevy_egui::EguiPlugin::default()))
    .insert_resource(ClearColor(Color::srgb_u8(236, 232, 220)))
    .insert_resource(ScenarioRes(Arc::new(scenario)))
    .insert_resource(session)
    .insert_resource(launch::Resume(args.loaded.map(Box::new)))
    .add_plugins(RulesPlugin { seed, controllers })
    .add_plugins((
        driver::plugin,
        map::plugin,
        camera::plugin,
        animation::plugin,
        orders::plugin,
        overlays::plugin,
        panels::plugin,
        screenshot::plugin,
        launch::plugin,
        undo::plugin,
        instructor::plugin,
        saves::plugin,
        idle::plugin,
        quit::plugin,
        tooltip::plugin,
    ))
    .add_plugins((
        script::plugin,
        labels::plugin,
        confirm::plugin,
        view::plugin,
        depots::plugin,
        tour::plugin,
    ));
    if let Some(lesson) = args.lesson {
        app.insert_resource(tour::Tour::new(lesson));
    }
    if let Some(script) = script {
        app.insert_resource(script);
    }
    if let Some(frames) = args.frame_time {
        app.insert_resource(frametime::FrameTiming::new(frames));
        frametime::plugin(&mut app);
    }
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
