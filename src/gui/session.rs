//! Which game is played: the scenario file, who sits at the screen (the sides its people
//! command), the seed and play by file. Choosing and starting a game is `launch`'s.

use std::path::PathBuf;

use bevy::prelude::*;

use crate::rules::setup::default_controllers;
use crate::rules::state::Controller;
use crate::scenario::Scenario;
use crate::scenario::ids::SideId;

/// Who the people at the screen command: the seats at the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seats {
    /// One side, by id; the AI plays the others.
    Side(String),
    /// Every side, players taking turns at one screen.
    Hotseat,
    /// No side: the AI plays them all.
    Watch,
}

impl Seats {
    /// From `--side`: a side id, `hotseat` or `none`.
    pub fn from_arg(arg: &str) -> Seats {
        match arg {
            "hotseat" => Seats::Hotseat,
            "none" => Seats::Watch,
            id => Seats::Side(id.to_string()),
        }
    }

    /// Each side's controller: people for the sides they command, the scenario's plan or
    /// the AI for the others.
    pub fn controllers(&self, s: &Scenario) -> Result<Vec<Controller>, String> {
        let mut controllers = default_controllers(s);
        match self {
            Seats::Watch => {}
            Seats::Hotseat => controllers.iter_mut().for_each(|c| *c = Controller::Human),
            Seats::Side(id) => match s.side_index(id) {
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
    /// Who the people at the screen command.
    pub seats: Seats,
    /// Seed of the dice of every new game (`--seed`, the start screen); a fresh one for
    /// each new game when `None`.
    pub seed: Option<u64>,
    /// The seed of the dice of the game in the window (what a save of it records).
    pub game_seed: u64,
    /// Show the start screen first.
    pub start_screen: bool,
    /// Play by file: the side this screen plays (the others are people elsewhere), and
    /// the save file that goes between the players.
    pub by_file: Option<(SideId, PathBuf)>,
}

impl Session {
    /// A session of the built-in scenario's kind: no file, the scenario's seed, no start
    /// screen, not by file.
    pub fn new(seats: Seats) -> Self {
        Session {
            path: None,
            seats,
            seed: None,
            game_seed: 0,
            start_screen: false,
            by_file: None,
        }
    }
}
