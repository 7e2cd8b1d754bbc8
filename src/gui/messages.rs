//! What the window asks of the game, and what the game's driver says happened: Bevy
//! messages, in and out.
//!
//! Keys, clicks and buttons write a [`Request`]; one exclusive system (`driver`) drains
//! the requests in the order they were made, runs the rules, and writes a [`Happened`]
//! for each thing it did. The undo list, the instructor's days, the moves shown on the
//! map, the selection and the save messages react to those in ordinary systems
//! ([`WindowSystems::React`]): no window file calls another's functions to react to a
//! change. Requests and announcements are each one message type, so that their order is
//! kept across kinds (an order given, then the phase ended; a day played, then a save
//! loaded).

use std::path::PathBuf;
use std::sync::Arc;

use bevy::prelude::*;

use crate::rules::events::Logged;
use crate::rules::game::GameState;
use crate::rules::orders::{Order, Outcome};
use crate::save::Save;
use crate::scenario::Scenario;

/// The window's systems in `Update`, in this order (`bevy_new_2d`'s `AppSystems`): input
/// becomes requests, the driver carries them out, the window reacts to what happened,
/// and the rest (hover, reach, animation, camera) follows.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum WindowSystems {
    /// Keys and clicks, read into requests.
    RecordInput,
    /// The driver: every request, in order.
    Drive,
    /// What reacts to what the driver did.
    React,
    /// Everything else.
    Update,
}

/// A request to the game, from a key, a click or a button.
#[derive(Message, Debug, Clone)]
pub(super) enum Request {
    /// End the player's phase; with nobody playing, play the day (in instructor mode,
    /// show the next day already played, if there is one).
    GoOn,
    /// Instructor mode: show the day before the one shown.
    DayBack,
    /// Instructor mode: show the next day played, or play a new one.
    DayForward,
    /// Give an order for the side whose player is at the screen.
    Give(Order),
    /// Take back the last order of this phase.
    Undo,
    /// Give the last order taken back again.
    Redo,
    /// Save the game to this file.
    Save(PathBuf),
    /// Replace the game by the one saved in this file, where it stood.
    Load(PathBuf),
    /// Watch the game saved in this file from its first day, a day at a time.
    Watch(PathBuf),
    /// Put a game already read and replayed (by the command line) in place, where it
    /// stood, or from its first day to watch when its days are given.
    Resume(Box<Loaded>),
    /// Start a new game of this scenario, for the session's command and seed.
    Start(Arc<Scenario>),
}

/// The player asks to end their phase, or (nobody playing) to play the day, by Enter or
/// the button: `confirm` lets it through as [`Request::GoOn`] when nothing is being shown,
/// no dialog is open and (if the player wishes to be asked) every unit has acted or the
/// player says so.
#[derive(Message, Debug, Clone, Copy)]
pub(super) struct EndPhase;

/// The player asks to load a save (F9, the Load list), to go on with it or (`watch`) to
/// watch it from its first day: `confirm` lets it through as [`Request::Load`] or
/// [`Request::Watch`], asking first when orders given since the last save would be lost.
#[derive(Message, Debug, Clone)]
pub(super) struct LoadAsked {
    /// The save.
    pub(super) path: PathBuf,
    /// To watch it from its first day rather than go on with it.
    pub(super) watch: bool,
}

/// A saved game read and replayed: the save, its state where it stood and, to watch it,
/// the state before its first day and at the end of each day.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The file it was read from.
    pub path: PathBuf,
    /// The save.
    pub save: Save,
    /// Its scenario.
    pub scenario: Arc<Scenario>,
    /// The game where the save stood.
    pub state: GameState,
    /// To watch it: the state before the first day and at the end of each day.
    pub days: Option<Vec<GameState>>,
}

/// What the driver did, in the order it did it.
#[derive(Message, Debug, Clone)]
pub(super) enum Happened {
    /// Another game, or another moment of this one, is now in the window.
    GameReplaced {
        /// Why.
        why: Replaced,
        /// The state now in the window.
        state: Arc<GameState>,
    },
    /// An order was given for the side at the screen.
    OrderGiven {
        /// The order.
        order: Order,
        /// What the rules made of it.
        outcome: Outcome,
        /// The state before it (to take it back).
        before: Arc<GameState>,
        /// Whether it was an order taken back and given again.
        redo: bool,
        /// The events it brought.
        events: Vec<Logged>,
    },
    /// The rules ran the phases up to the next player's orders, or a day.
    PhasesRun {
        /// The events they brought.
        events: Vec<Logged>,
        /// The state at the end of each day they ended, in order.
        days_ended: Vec<Arc<GameState>>,
        /// Whether nobody at the screen commands a side (instructor mode).
        watching: bool,
    },
    /// A save was written, or could not be.
    Saved {
        /// The file.
        path: PathBuf,
        /// Whether it was, or why not.
        result: Result<(), String>,
    },
    /// A request could not be carried out, and why (a save that does not load, a
    /// scenario the people at the screen cannot sit at).
    Refused {
        /// What was asked.
        asked: Asked,
        /// Why it could not be done.
        why: String,
    },
}

/// A request that can be refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Asked {
    /// To start a game of the scenario of this name.
    Start(String),
    /// To load or watch the save in this file.
    Load(PathBuf),
}

/// Why the game in the window was replaced.
#[derive(Debug, Clone)]
pub(super) enum Replaced {
    /// A new game was started.
    Started,
    /// A save was loaded, to go on with it.
    Loaded(PathBuf),
    /// A save is watched from its first day: the state before its first day and at the
    /// end of each.
    Watched(Vec<Arc<GameState>>),
    /// A game the command line read and replayed is put in place, where it stood.
    Resumed,
    /// Instructor mode: another day already played is shown (`shown` of the days kept).
    DayShown,
    /// The last order of the phase was taken back.
    Undone,
}
