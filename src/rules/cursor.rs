//! Where the game stands: the day being played and how far into it. Every front end (the
//! command line, the window, saves and replays) asks this, and only the day's last system
//! (`advance_clock`) moves it to the next day.

use bevy::prelude::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::state::ScenarioRes;
use crate::scenario::Scenario;
use crate::scenario::ids::SideId;

/// How far into its day the game is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stage {
    /// The day has not started.
    Dawn,
    /// This side's phase has run (its supply, its operational AI, its AI's orders); a
    /// person commanding it may still be giving orders.
    Phase(SideId),
    /// Every day of the scenario has been played.
    Over,
}

/// Where the game stands: the day being played (or about to be) and how far into it.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCursor {
    /// Turn number, from 1 (one past the last day once the game is over).
    pub turn: u32,
    /// The date of this turn.
    pub date: NaiveDate,
    /// How far into the day.
    pub stage: Stage,
}

impl DayCursor {
    /// Before the first day of a scenario.
    pub fn start(s: &Scenario) -> Self {
        DayCursor {
            turn: 1,
            date: s.start_date,
            stage: Stage::Dawn,
        }
    }

    /// The side whose phase it is (the first side outside a phase).
    pub fn active_side(&self) -> SideId {
        match self.stage {
            Stage::Phase(side) => side,
            Stage::Dawn | Stage::Over => SideId(0),
        }
    }

    /// Whether the day has started and not yet ended.
    pub fn in_day(&self) -> bool {
        matches!(self.stage, Stage::Phase(_))
    }

    /// Whether every day has been played.
    pub fn is_over(&self) -> bool {
        self.stage == Stage::Over
    }

    /// The cursor after the day's end: the next day's dawn, or the end of the game.
    fn next_day(&mut self, last_turn: u32) {
        self.turn += 1;
        self.date = self.date.succ_opt().unwrap_or(self.date);
        self.stage = if self.turn > last_turn {
            Stage::Over
        } else {
            Stage::Dawn
        };
    }
}

/// The day's last system: the cursor moves to the next day's dawn, or the game ends.
pub(super) fn advance_clock(scenario: Res<ScenarioRes>, mut clock: ResMut<DayCursor>) {
    clock.next_day(scenario.0.turns);
}
