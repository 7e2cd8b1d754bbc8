//! Which game is played: the scenario file, who commands each side, the seed and play by
//! file; and two helpers every window module uses (the egui context from a world, a notice
//! window). Choosing and starting a game is `launch`'s.

use crate::scenario::ids::SideId;
use std::path::{Path, PathBuf};

use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};

use crate::rules::default_controllers;
use crate::rules::state::{Controller, ScenarioRes};
use crate::save::Save;
use crate::scenario::Scenario;

/// Who the people at the screen command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// One side, by id; the AI plays the others.
    Side(String),
    /// Every side, players taking turns at one screen.
    Hotseat,
    /// No side: the AI plays them all.
    Watch,
}

impl Command {
    /// From `--side`: a side id, `hotseat` or `none`.
    pub fn from_arg(arg: &str) -> Command {
        match arg {
            "hotseat" => Command::Hotseat,
            "none" => Command::Watch,
            id => Command::Side(id.to_string()),
        }
    }

    /// Each side's controller: people for the sides they command, the scenario's plan or
    /// the AI for the others.
    pub fn controllers(&self, s: &Scenario) -> Result<Vec<Controller>, String> {
        let mut controllers = default_controllers(s);
        match self {
            Command::Watch => {}
            Command::Hotseat => controllers.iter_mut().for_each(|c| *c = Controller::Human),
            Command::Side(id) => match s.side_index(id) {
                Some(i) => controllers[i] = Controller::Human,
                None => {
                    return Err(format!(
                        "there is no side `{id}` in this scenario (sides: {}; or hotseat, none)",
                        s.side_list()
                    ));
                }
            },
        }
        Ok(controllers)
    }
}

/// The game being played: where its scenario came from, who commands, the seed.
#[derive(Resource, Debug, Clone)]
pub struct Session {
    /// The scenario file, watched for changes; `None` for the built-in copy.
    pub path: Option<PathBuf>,
    /// Who commands.
    pub command: Command,
    /// Seed of the dice; the scenario's own when `None`.
    pub seed: Option<u64>,
    /// Show the start screen first.
    pub start_screen: bool,
    /// Play by file: the side this screen plays (the others are people elsewhere), and
    /// the save file that goes between the players.
    pub by_file: Option<(SideId, PathBuf)>,
    /// A save to load at the start.
    pub load: Option<PathBuf>,
    /// Watch the save being replayed from its first day, rather than continue it.
    pub watch_replay: bool,
}

impl Session {
    /// A session of the built-in scenario's kind: no file, the scenario's seed, no start
    /// screen, nothing to load, not by file.
    pub fn new(command: Command) -> Self {
        Session {
            path: None,
            command,
            seed: None,
            start_screen: false,
            by_file: None,
            load: None,
            watch_replay: false,
        }
    }
}

pub(super) fn egui_context(world: &mut World) -> Option<egui::Context> {
    let mut state = bevy::ecs::system::SystemState::<EguiContexts>::new(world);
    let mut contexts = state.get_mut(world).ok()?;
    contexts.ctx_mut().ok().cloned()
}

/// A window with a message and an OK button, anchored at `align` and `offset` pixels in
/// from that edge; true when OK is clicked.
pub(super) fn notice(
    ctx: &egui::Context,
    title: &str,
    text: &str,
    align: egui::Align2,
    offset: f32,
) -> bool {
    let mut ok = false;
    let y = if align == egui::Align2::CENTER_BOTTOM {
        -offset
    } else {
        offset
    };
    egui::Window::new(title)
        .collapsible(false)
        .anchor(align, [0.0, y])
        .show(ctx, |ui| {
            ui.label(text);
            ok = ui.button("OK").clicked();
        });
    ok
}

/// Whether the game is played by file.
pub(super) fn by_file(world: &World) -> bool {
    world
        .get_resource::<Session>()
        .is_some_and(|s| s.by_file.is_some())
}

/// Play by file: the file to send when `side` is played by someone elsewhere.
pub(super) fn remote_side(world: &World, side: SideId) -> Option<PathBuf> {
    let (local, path) = world.get_resource::<Session>()?.by_file.clone()?;
    (side != local).then_some(path)
}

/// Saves the game in the window to `path`.
pub(super) fn save_to(world: &World, path: &Path) -> Result<(), String> {
    let session = world.resource::<Session>();
    let seed = session
        .seed
        .unwrap_or(world.resource::<ScenarioRes>().0.seed);
    Save::of(world, session.path.as_deref(), seed)
        .and_then(|s| s.write(path))
        .map_err(|e| e.to_string())
}
