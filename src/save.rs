//! Saves: what is needed to continue a game exactly, built on the order log.
//!
//! A save names its scenario (and a hash of its content), the seed, who commands each
//! side, where in the day the game stands, every order given so far and a hash of the
//! rules' state at the end of each day. Loading replays the game from the start: the AI
//! sides decide again (deterministically, from the same seed), the players' orders are
//! applied as they were given, and the state is checked against the recorded hashes day
//! by day, so a save that does not replay exactly is refused, never half-loaded.
//!
//! The file is RON, with a format version and a checksum of its content; it is written
//! through a temporary file and a rename, so a crash never leaves half a save.

use crate::scenario::ids::SideId;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bevy::prelude::World;
use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::rules::cursor::{DayCursor, Stage};
use crate::rules::game::{GameStateRef, StateHashes, TextHashes};
use crate::rules::orders::LoggedOrder;
use crate::rules::simulation::Simulation;
use crate::rules::state::{Controller, ScenarioRes};
use crate::scenario::{self, Scenario};

/// The save format this version writes and reads. Format 2 stores where the game stands
/// as the rules' day cursor (format 1 had a position of its own); format 3 is a game of
/// the campaign rules (postures, ground, rail repair, the stand-fast order): its orders
/// replay only under them, so older saves are refused as older. Format 4 holds the state
/// hashes of [`crate::rules::game::GameStateRef::hash`] (format 3 those of
/// [`crate::rules::game::GameStateRef::hash_of_text`]: a save of format 3 is still read, and
/// replayed against the hashes it holds). Format 5 keeps only the orders of the sides
/// people command (the AI gives its own again on replay; formats 3 and 4, which hold
/// them, are still read), each on a line of its own.
pub const FORMAT: u32 = 5;

/// The oldest save format this version reads.
pub const OLDEST_FORMAT: u32 = 3;

/// Largest save file read, bytes.
pub const MAX_SAVE_BYTES: u64 = 64 * 1024 * 1024;

/// The scenario a save was made with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedScenario {
    /// Its title.
    pub name: String,
    /// Its file as it was opened; `None` for the built-in Kharkiv scenario. (A save without
    /// `content`, written by an earlier version, is loaded from this file, which must lie
    /// in the save's folder or below it, or from the built-in scenario if its hash is the
    /// save's.)
    pub file: Option<String>,
    /// A hash of its content.
    pub hash: String,
    /// The scenario itself (its content, as hashed): a save loads without reading any
    /// other file, and whatever has become of the scenario's file since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
}

/// A save.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "RailheadSave")]
pub struct Save {
    /// Format version ([`FORMAT`]).
    pub format: u32,
    /// The version of Railhead that wrote it.
    pub written_by: String,
    /// The scenario.
    pub scenario: SavedScenario,
    /// Seed of the dice.
    pub seed: u64,
    /// Who commands each side.
    pub controllers: Vec<Controller>,
    /// Where the game stands: the day, and how far into it.
    pub position: DayCursor,
    /// Every order given so far, in order.
    pub orders: Vec<LoggedOrder>,
    /// The state hash at the end of each day played.
    pub hashes: Vec<(u32, String)>,
    /// A checksum of everything above.
    pub check: String,
}

/// Why a save cannot be loaded or written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SaveError {
    /// The file cannot be read or written.
    #[error("{0}")]
    Io(String),
    /// The file is not a save this version understands.
    #[error("{file}:{line}:{column}: {message}")]
    Parse {
        /// The file.
        file: String,
        /// Line.
        line: usize,
        /// Column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// Anything else, in words.
    #[error("{0}")]
    Refused(String),
}

/// A hash of a scenario's content ([`crate::scenario::model::content_hash`]): stable
/// across builds and layouts of the file; any change to a value changes it.
pub fn scenario_hash(s: &Scenario) -> String {
    s.content_hash.clone()
}

/// The save in RON, nested `depth` levels deep before the rest is written on one line.
fn ron_at_depth(save: &Save, depth: usize) -> Result<String, SaveError> {
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(depth)
        .struct_names(true);
    ron::ser::to_string_pretty(save, config)
        .map_err(|e| SaveError::Io(format!("cannot write the save: {e}")))
}

/// The save as its file holds it: each order on a line of its own.
fn ron_text(save: &Save) -> Result<String, SaveError> {
    ron_at_depth(save, 2)
}

/// The save's checksum: of its content in one fixed form (the form saves of every format
/// were first checked in), whatever the layout of its file.
fn checksum(save: &Save) -> Result<String, SaveError> {
    let mut unchecked = save.clone();
    unchecked.check = String::new();
    Ok(crate::numbers::hex(
        &sha2::Sha256::digest(ron_at_depth(&unchecked, 3)?.as_bytes())[..16],
    ))
}

/// The orders a save keeps: those of the sides people command. The AI's are its own to
/// give again when the save is replayed, checked by the state hash of every day; keeping
/// them made an AI's long game larger than any save is read.
fn people_s(orders: &[LoggedOrder], controllers: &[Controller]) -> Vec<LoggedOrder> {
    orders
        .iter()
        .filter(|o| controllers.get(o.side.0) == Some(&Controller::Human))
        .cloned()
        .collect()
}

impl Save {
    /// A save of the game in `world` (which has the rules), where it stands; `file` is the
    /// scenario file as opened (`None`: built in).
    pub fn of(world: &World, file: Option<&Path>, seed: u64) -> Result<Save, SaveError> {
        Save::of_state(
            &world.resource::<ScenarioRes>().0,
            GameStateRef::of(world),
            file,
            seed,
        )
    }

    /// A save of a game of `s` in the state `state`; `file` is the scenario file as opened
    /// (`None`: built in).
    pub fn of_state(
        s: &Scenario,
        state: GameStateRef,
        file: Option<&Path>,
        seed: u64,
    ) -> Result<Save, SaveError> {
        let mut save = Save {
            format: FORMAT,
            written_by: env!("CARGO_PKG_VERSION").to_string(),
            scenario: SavedScenario {
                name: s.name.clone(),
                file: file.map(|f| f.display().to_string()),
                hash: scenario_hash(s),
                content: Some(s.content.to_string()),
            },
            seed,
            controllers: state.command.controllers.clone(),
            position: *state.cursor,
            orders: people_s(&state.orders.0, &state.command.controllers),
            hashes: state.hashes.0.clone(),
            check: String::new(),
        };
        save.check = checksum(&save)?;
        Ok(save)
    }

    /// The text of the file: a header saying what it holds, then the save in RON. A save
    /// larger than any this program reads ([`MAX_SAVE_BYTES`]) is not made: what is
    /// written can always be read again. (A game's own part is well under it: a scenario
    /// is at most [`scenario::MAX_FILE_BYTES`], held escaped in at most twice that, and a
    /// hash a day; the rest is room for the orders players give, about 700,000 of them.)
    pub fn to_text(&self) -> Result<String, SaveError> {
        let text = format!(
            "// A Railhead save of {} (turn {}). It holds every order its players gave so far:\n\
             // whoever reads this file can see where the other side's units went.\n{}\n",
            self.scenario.name,
            self.position.turn,
            ron_text(self)?
        );
        if text.len() as u64 > MAX_SAVE_BYTES {
            return Err(SaveError::Refused(format!(
                "this game is too large to save: {} bytes, {} orders given by its players, \
                 beyond the {MAX_SAVE_BYTES} bytes a save may hold",
                text.len(),
                self.orders.len()
            )));
        }
        Ok(text)
    }

    /// Writes the save atomically: a crash or a full disk leaves the previous file whole.
    pub fn write(&self, path: &Path) -> Result<(), SaveError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| SaveError::Io(format!("cannot create {}: {e}", dir.display())))?;
        }
        crate::render::write_atomically(path, self.to_text()?.as_bytes())
            .map_err(|e| SaveError::Io(format!("cannot write {}: {e}", path.display())))
    }

    /// Parses and checks a save's text (format version, checksum).
    pub fn parse(text: &str, file: &str) -> Result<Save, SaveError> {
        let save: Save = ron::Options::default()
            .from_str(text)
            .map_err(|e| SaveError::Parse {
                file: file.to_string(),
                line: e.span.start.line,
                column: e.span.start.col,
                message: format!("this is not a Railhead save, or it is damaged: {}", e.code),
            })?;
        if !(OLDEST_FORMAT..=FORMAT).contains(&save.format) {
            return Err(SaveError::Refused(format!(
                "{file}: save format {} is not one this version reads (it reads formats {OLDEST_FORMAT} to {FORMAT}); it was written by Railhead {}",
                save.format, save.written_by
            )));
        }
        if checksum(&save)? != save.check {
            return Err(SaveError::Refused(format!(
                "{file}: the save's checksum does not match its content: it is damaged or was edited by hand"
            )));
        }
        Ok(save)
    }

    /// Reads a save file.
    pub fn read(path: &Path) -> Result<Save, SaveError> {
        let file = path.display().to_string();
        let bytes = crate::files::read_regular(path, MAX_SAVE_BYTES).map_err(|e| match e {
            crate::files::ReadError::TooLarge { .. } => {
                SaveError::Refused(format!("{file} is larger than any save: {e}"))
            }
            e => SaveError::Io(format!("cannot read {file}: {e}")),
        })?;
        let text = crate::files::text(&bytes).map_err(|e| match e {
            crate::files::TextError::Utf16 => SaveError::Refused(format!(
                "{file} is UTF-16 text, not a save as Railhead writes it: save it as UTF-8"
            )),
            crate::files::TextError::NotUtf8 { .. } => SaveError::Refused(format!(
                "{file} is not text: it is not a Railhead save, or it is damaged"
            )),
        })?;
        // Said without quoting the file: it may be anything at all.
        if !matches!(crate::files::first_word(text), "RailheadSave" | "(") {
            return Err(SaveError::Refused(format!(
                "{file} is not a Railhead save: its first value is not `RailheadSave(`"
            )));
        }
        Save::parse(text, &file)
    }

    /// The scenario the save was made with, checked against its hash: the one it carries,
    /// or (a save of an earlier version) its file in the save's folder or below, or the
    /// built-in scenario.
    pub fn scenario(&self, save_path: Option<&Path>) -> Result<Arc<Scenario>, SaveError> {
        if let Some(content) = &self.scenario.content {
            return self.carried(content);
        }
        let builtin = || {
            scenario::load_or_default(None)
                .ok()
                .filter(|s| scenario_hash(s) == self.scenario.hash)
        };
        let path: Option<PathBuf> = match &self.scenario.file {
            None => None,
            Some(f) => {
                let dir = save_path
                    .and_then(Path::parent)
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                let p = dir.join(f);
                let inside = match (std::fs::canonicalize(&p), std::fs::canonicalize(dir)) {
                    (Ok(p), Ok(d)) => p.starts_with(d),
                    _ => false,
                };
                if !inside {
                    if let Some(s) = builtin() {
                        return Ok(Arc::new(s));
                    }
                    return Err(SaveError::Refused(format!(
                        "the save names its scenario {f}, which is not in the save's folder (or below it): a save is read with its scenario beside it (saves written by this version carry their scenario)"
                    )));
                }
                Some(p)
            }
        };
        let s = scenario::load_or_default(path.as_deref()).map_err(|e| {
            SaveError::Refused(format!("the save's scenario cannot be loaded:\n{e}"))
        })?;
        if scenario_hash(&s) != self.scenario.hash {
            return Err(SaveError::Refused(format!(
                "the scenario `{}` ({}) has changed since the game was saved: the save would not replay",
                s.name,
                path.map_or("built in".to_string(), |p| p.display().to_string())
            )));
        }
        Ok(Arc::new(s))
    }
}

impl Save {
    /// Sets the checksum for the save as it now is (after a tool or a test has changed it).
    pub fn seal(&mut self) -> Result<(), SaveError> {
        self.check = checksum(self)?;
        Ok(())
    }

    /// The scenario a save carries, checked against its hash.
    fn carried(&self, content: &str) -> Result<Arc<Scenario>, SaveError> {
        let damaged = || {
            SaveError::Refused(format!(
                "the scenario `{}` that the save carries is damaged: the save would not replay",
                self.scenario.name
            ))
        };
        if crate::scenario::model::hash_of(content) != self.scenario.hash {
            return Err(damaged());
        }
        let raw: crate::scenario::raw::RawScenario =
            serde_json::from_str(content).map_err(|_| damaged())?;
        let s = crate::scenario::validate(&raw).map_err(|_| damaged())?;
        if scenario_hash(&s) != self.scenario.hash {
            return Err(damaged());
        }
        Ok(Arc::new(s))
    }
}

/// What a replay found.
#[derive(Debug, Clone, PartialEq)]
pub enum Replayed {
    /// Every day's state hash matched.
    Same {
        /// Days checked.
        days: usize,
    },
    /// The first day whose state differs.
    Differs {
        /// Turn.
        turn: u32,
        /// The save's hash.
        saved: String,
        /// The replay's hash.
        now: String,
    },
}

/// Gives a person's orders of one phase again, one at a time, as the window gave them.
fn give_logged(sim: &mut Simulation, save: &Save, turn: u32, side: SideId) {
    let orders: Vec<_> = save
        .orders
        .iter()
        .filter(|o| o.turn == turn && o.side == side)
        .map(|o| o.order.clone())
        .collect();
    for order in orders {
        sim.give([order]);
    }
}

/// Replays a save into a new game: the same scenario, seed and commanders; the players'
/// orders as given; stopping where the save stands. Checks each day's state hash and, at
/// the end, that the order log is the save's.
pub fn replay(save: &Save, scenario: Arc<Scenario>) -> Result<(Simulation, Replayed), SaveError> {
    replay_with(save, scenario, &mut |_| {})
}

/// [`replay`], calling `on_day` with the game's world before the first day and at the end
/// of each whole day replayed.
pub fn replay_with(
    save: &Save,
    scenario: Arc<Scenario>,
    on_day: &mut dyn FnMut(&World),
) -> Result<(Simulation, Replayed), SaveError> {
    if save.controllers.len() != scenario.sides.len() {
        return Err(SaveError::Refused(
            "the save's sides do not match its scenario".into(),
        ));
    }
    let mut sim = Simulation::new(scenario.clone(), save.seed, save.controllers.clone());
    if save.format == 3 {
        // Its hashes are of the state as text.
        sim.world_mut().insert_resource(TextHashes::default());
    }
    let target = save.position;
    let mut verdict = None;
    on_day(sim.world());
    while (sim.cursor().turn, sim.cursor().stage) != (target.turn, target.stage) && !sim.is_over() {
        let turn = sim.cursor().turn;
        sim.step();
        match sim.cursor().stage {
            Stage::Phase(side) => {
                if save.controllers[side] == Controller::Human {
                    give_logged(&mut sim, save, turn, side);
                }
            }
            Stage::Dawn | Stage::Over => {
                on_day(sim.world());
                let now = match sim.world().get_resource::<TextHashes>() {
                    Some(text) => text.0.last().cloned(),
                    None => sim.world().resource::<StateHashes>().0.last().cloned(),
                };
                let saved = save.hashes.iter().find(|(t, _)| *t == turn);
                if verdict.is_none()
                    && let (Some((_, now)), Some((_, saved))) = (now, saved)
                    && &now != saved
                {
                    verdict = Some(Replayed::Differs {
                        turn,
                        saved: saved.clone(),
                        now,
                    });
                }
            }
        }
    }
    let verdict = verdict.unwrap_or(Replayed::Same {
        days: save.hashes.len(),
    });
    // Saves before format 5 hold the AI's orders too.
    let now = if save.format >= 5 {
        people_s(sim.orders(), &save.controllers)
    } else {
        sim.orders().to_vec()
    };
    if matches!(verdict, Replayed::Same { .. }) && now != save.orders {
        // Same states but other orders: the first order that differs tells the day.
        let at = now
            .iter()
            .zip(&save.orders)
            .position(|(a, b)| a != b)
            .unwrap_or(now.len().min(save.orders.len()));
        let turn = save
            .orders
            .get(at)
            .or(now.get(at))
            .map_or(target.turn, |o| o.turn);
        let differs = Replayed::Differs {
            turn,
            saved: format!("{} orders", save.orders.len()),
            now: format!("{} orders, the first different at position {at}", now.len()),
        };
        return Ok((sim, differs));
    }
    Ok((sim, verdict))
}

/// Loads a save to continue it: reads, checks, replays; refuses anything that does not
/// replay exactly.
pub fn load(path: &Path) -> Result<(Save, Simulation), SaveError> {
    load_with(path, &mut |_| {})
}

/// [`load`], calling `on_day` as [`replay_with`] does: the file is read and replayed once,
/// whatever is kept of its days.
pub fn load_with(
    path: &Path,
    on_day: &mut dyn FnMut(&World),
) -> Result<(Save, Simulation), SaveError> {
    let save = Save::read(path)?;
    let scenario = save.scenario(Some(path))?;
    let (sim, verdict) = replay_with(&save, scenario, on_day)?;
    match verdict {
        Replayed::Same { .. } => Ok((save, sim)),
        Replayed::Differs { turn, .. } => Err(SaveError::Refused(format!(
            "{}: the game does not replay the same from turn {turn}: the save cannot be continued",
            path.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::orders::Order;
    use crate::scenario::ids::UnitId;

    /// A save of the largest game a legal scenario makes: its scenario as large as a file
    /// may be, every character one that is written escaped; a state hash for each of the
    /// most days; the most sides, all the AI's (whose orders are not kept).
    fn largest(orders: usize) -> Save {
        let content = "\"".repeat(scenario::MAX_FILE_BYTES);
        let turns = crate::scenario::validate::ranges::MAX_TURNS;
        let sides = crate::scenario::validate::ranges::MAX_SIDES;
        let order = LoggedOrder {
            turn: turns,
            side: SideId(sides - 1),
            order: Order::RailMove {
                unit: UnitId(crate::scenario::validate::ranges::MAX_UNITS - 1),
                to: crate::geo::Offset { col: 399, row: 399 },
            },
        };
        let mut save = Save {
            format: FORMAT,
            written_by: env!("CARGO_PKG_VERSION").to_string(),
            scenario: SavedScenario {
                name: "n".repeat(200),
                file: Some("f".repeat(4096)),
                hash: "0".repeat(32),
                content: Some(content),
            },
            seed: u64::MAX,
            controllers: vec![Controller::Ai; sides],
            position: DayCursor {
                turn: turns,
                date: chrono::NaiveDate::MAX,
                stage: Stage::Dawn,
            },
            orders: vec![order; orders],
            hashes: (1..=turns).map(|t| (t, "f".repeat(32))).collect(),
            check: String::new(),
        };
        save.seal().unwrap();
        save
    }

    #[test]
    fn the_largest_game_of_the_ai_saves_under_the_read_limit_and_reads_again() {
        let save = largest(0);
        let text = save.to_text().expect("written");
        assert!(
            (text.len() as u64) < MAX_SAVE_BYTES / 2,
            "{} bytes: too near the limit of {MAX_SAVE_BYTES}",
            text.len()
        );
        assert_eq!(Save::parse(&text, "largest.ron").unwrap(), save);
    }

    #[test]
    fn a_save_beyond_the_read_limit_is_not_written() {
        // Its players gave more orders than a save holds: as many as fill what the largest
        // game leaves of the limit, and more.
        let base = largest(0).to_text().unwrap().len() as u64;
        let one =
            largest(2).to_text().unwrap().len() as u64 - largest(1).to_text().unwrap().len() as u64;
        let room = usize::try_from((MAX_SAVE_BYTES - base) / one).unwrap();
        assert!(room > 300_000, "room for {room} orders only");
        let too_many = largest(room + 10);
        assert!(matches!(
            too_many.to_text(),
            Err(SaveError::Refused(m)) if m.contains("too large to save")
        ));
    }
}
