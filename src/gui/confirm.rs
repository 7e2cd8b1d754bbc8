//! Nothing is lost to a key: the phase ends (or the day is played) only by a deliberate
//! act. Enter and the button ask; the request goes through only when the moves of the
//! side before are no longer being shown, no dialog is open and it is a phase that can
//! end (never on the hot-seat hand-over screen), and, with units that have neither moved
//! nor attacked, once the player confirms (a setting turns the question off). Loading a
//! save over orders not saved asks first too.

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use bevy_egui::input::EguiWantsInput;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use serde::{Deserialize, Serialize};

use super::animation::MovesShown;
use super::messages::{EndPhase, Happened, LoadAsked, Replaced, Request, WindowSystems};
use super::view::{CloseDialog, Dialog, Dialogs, Turn};
use crate::rules::orders::OrderLog;
use crate::rules::state::{Controller, Forces, HighCommand};

/// Where the window keeps its settings (beside its saves).
const SETTINGS_FILE: &str = "saves/window-settings.ron";

pub(super) fn plugin(app: &mut App) {
    app.insert_resource(Settings::read(Path::new(SETTINGS_FILE)))
        .init_resource::<Confirming>()
        .init_resource::<Unsaved>()
        .add_message::<EndPhase>()
        .add_message::<LoadAsked>()
        .add_systems(
            Update,
            (
                (enter_key, confirm_end, confirm_load)
                    .chain()
                    .in_set(WindowSystems::RecordInput),
                note_saved.in_set(WindowSystems::React),
            ),
        )
        .add_systems(EguiPrimaryContextPass, confirm_windows);
}

/// The player's settings, kept between games.
#[derive(Resource, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub(super) struct Settings {
    /// Ask before ending a phase with units that have neither moved nor attacked.
    pub(super) ask_before_ending: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            ask_before_ending: true,
        }
    }
}

impl Settings {
    /// The settings in `path`, or the defaults (a file that cannot be read is said in the
    /// log, and left as it is until the settings change).
    fn read(path: &Path) -> Self {
        let Ok(bytes) = crate::files::read_regular(path, 64 * 1024) else {
            return Settings::default();
        };
        if let Some(s) = crate::files::text(&bytes)
            .ok()
            .and_then(|t| ron::from_str(t).ok())
        {
            s
        } else {
            warn!(
                "{}: not settings this window reads; using the defaults",
                path.display()
            );
            Settings::default()
        }
    }

    /// Writes the settings (atomically); a failure is said in the log.
    pub(super) fn write(&self) {
        let path = Path::new(SETTINGS_FILE);
        let text = ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default());
        let written = text.map_err(|e| e.to_string()).and_then(|t| {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
            }
            crate::render::write_atomically(path, t.as_bytes()).map_err(|e| e.to_string())
        });
        if let Err(e) = written {
            warn!("cannot write {}: {e}", path.display());
        }
    }
}

/// What the player is asked to confirm, if anything.
#[derive(Resource, Default, Debug)]
pub(super) struct Confirming {
    /// Ending the phase: units that have not acted, of how many.
    end: Option<(usize, usize)>,
    /// Loading this save (to watch it, or not): orders that would be lost.
    load: Option<(PathBuf, bool, usize)>,
}

/// How many orders the log held when the game was last saved (or loaded, or started).
#[derive(Resource, Default, Debug)]
pub(super) struct Unsaved {
    saved_at: usize,
}

/// Whether going on can be asked now: a phase that can end (a player's orders, or
/// watching), nothing being shown, no dialog open.
pub(super) fn can_go_on(turn: Option<&State<Turn>>, dialogs: &Dialogs, moves: &MovesShown) -> bool {
    matches!(turn.map(State::get), Some(Turn::Orders(_) | Turn::Watching))
        && !dialogs.any()
        && moves.current().is_none()
}

/// Enter asks to end the phase, or to play the day.
fn enter_key(
    keys: Res<ButtonInput<KeyCode>>,
    wants: Res<EguiWantsInput>,
    mut asked: MessageWriter<EndPhase>,
) {
    if keys.any_just_pressed([KeyCode::Enter, KeyCode::NumpadEnter])
        && !wants.wants_keyboard_input()
    {
        asked.write(EndPhase);
    }
}

/// Lets a request to end the phase through, or asks first, or (when the phase cannot end
/// now) lets it go.
#[allow(
    clippy::too_many_arguments,
    reason = "a system: each resource it reads"
)]
fn confirm_end(
    mut asked: MessageReader<EndPhase>,
    turn: Option<Res<State<Turn>>>,
    dialogs: Res<Dialogs>,
    moves: Res<MovesShown>,
    forces: Res<Forces>,
    settings: Res<Settings>,
    mut confirming: ResMut<Confirming>,
    mut requests: MessageWriter<Request>,
    tour: Res<super::view::TourLook>,
) {
    // A lesson's tour holds the day of its stop: Enter plays no day under it.
    if asked.read().count() == 0 || tour.touring() || !can_go_on(turn.as_deref(), &dialogs, &moves)
    {
        return;
    }
    if let Some(Turn::Orders(side)) = turn.as_deref().map(State::get)
        && settings.ask_before_ending
    {
        let units: Vec<_> = forces.of_side(*side).collect();
        let idle = units.iter().filter(|u| !u.moved && !u.attacked).count();
        if idle > 0 {
            confirming.end = Some((idle, units.len()));
            return;
        }
    }
    requests.write(Request::GoOn);
}

/// Lets a load through, or asks first when it would lose orders not saved.
fn confirm_load(
    mut asked: MessageReader<LoadAsked>,
    unsaved: Res<Unsaved>,
    log: Res<OrderLog>,
    command: Res<HighCommand>,
    mut confirming: ResMut<Confirming>,
    mut requests: MessageWriter<Request>,
) {
    for LoadAsked { path, watch } in asked.read() {
        let lost = log
            .0
            .get(unsaved.saved_at..)
            .unwrap_or_default()
            .iter()
            .filter(|o| command.controllers.get(o.side.0) == Some(&Controller::Human))
            .count();
        if lost > 0 {
            confirming.load = Some((path.clone(), *watch, lost));
        } else {
            requests.write(load_request(path.clone(), *watch));
        }
    }
}

/// The request that loads a save, to go on with it or to watch it.
fn load_request(path: PathBuf, watch: bool) -> Request {
    if watch {
        Request::Watch(path)
    } else {
        Request::Load(path)
    }
}

/// The game is saved (by hand, or by the autosave at a day's end), loaded or started:
/// nothing given so far would be lost.
fn note_saved(
    mut happened: MessageReader<Happened>,
    log: Res<OrderLog>,
    mut unsaved: ResMut<Unsaved>,
) {
    for h in happened.read() {
        let saved = match h {
            Happened::Saved { result, .. } => result.is_ok(),
            Happened::GameReplaced { why, .. } => {
                !matches!(why, Replaced::DayShown | Replaced::Undone)
            }
            Happened::PhasesRun { days_ended, .. } => !days_ended.is_empty(),
            Happened::OrderGiven { .. } | Happened::Refused { .. } => false,
        };
        if saved {
            unsaved.saved_at = log.0.len();
        }
    }
}

/// The two questions, when asked: end the phase with units that have not acted; load
/// over orders not saved. Each closes with a button, or Esc (which keeps the game as it is).
fn confirm_windows(
    mut contexts: EguiContexts,
    mut confirming: ResMut<Confirming>,
    mut settings: ResMut<Settings>,
    mut dialogs: ResMut<Dialogs>,
    mut close: MessageReader<CloseDialog>,
    mut requests: MessageWriter<Request>,
) -> Result {
    for CloseDialog(d) in close.read() {
        match d {
            Dialog::ConfirmEnd => confirming.end = None,
            Dialog::ConfirmLoad => confirming.load = None,
            _ => {}
        }
    }
    let ctx = contexts.ctx_mut()?;
    if let Some((idle, of)) = confirming.end {
        dialogs.showing(Dialog::ConfirmEnd);
        let mut ask = settings.ask_before_ending;
        let (mut end, mut back) = (false, false);
        egui::Window::new("End your phase?")
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                ui.label(format!(
                    "{idle} of your {of} units have neither moved nor attacked today: they will hold where they are."
                ));
                ui.horizontal(|ui| {
                    end = super::script::button(ui, "End the phase").clicked();
                    back = ui.button("Back to my orders (Esc)").clicked();
                });
                ui.checkbox(&mut ask, "Ask me when units have not acted");
            });
        if ask != settings.ask_before_ending {
            settings.ask_before_ending = ask;
            settings.write();
        }
        if end {
            requests.write(Request::GoOn);
        }
        if end || back {
            confirming.end = None;
        }
    }
    if let Some((path, watch, lost)) = confirming.load.clone() {
        dialogs.showing(Dialog::ConfirmLoad);
        let (mut load, mut cancel) = (false, false);
        egui::Window::new("Load a saved game?")
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                ui.label(format!(
                    "Loading {} replaces this game: the {lost} order(s) you gave since it was last saved will be lost.",
                    path.display()
                ));
                ui.horizontal(|ui| {
                    load = super::script::button(ui, "Load it").clicked();
                    cancel = ui.button("Keep playing (Esc)").clicked();
                });
            });
        if load {
            requests.write(load_request(path, watch));
        }
        if load || cancel {
            confirming.load = None;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::animation::Step;
    use crate::gui::driver::{headless_app, request, waiting};
    use crate::rules::cursor::DayCursor;
    use crate::scenario::ids::{SideId, UnitId};

    /// A player's app with the confirmations, at Ukraine's orders, asking or not.
    fn app(ask: bool) -> App {
        let mut app = headless_app(true);
        app.add_plugins(plugin).insert_resource(Settings {
            ask_before_ending: ask,
        });
        request(&mut app, Request::GoOn);
        assert_eq!(waiting(&app), Some(SideId(0)));
        app
    }

    /// Asks to end the phase, as Enter or the button does, and lets a frame pass.
    fn end_phase(app: &mut App) {
        app.world_mut().write_message(EndPhase);
        app.update();
    }

    fn day(app: &App) -> u32 {
        app.world().resource::<DayCursor>().turn
    }

    #[test]
    fn the_phase_does_not_end_while_moves_are_shown_nor_behind_a_dialog() {
        let mut app = app(false);
        let shown = Step::Move {
            unit: UnitId(0),
            from: crate::geo::Offset { col: 0, row: 0 },
            to: crate::geo::Offset { col: 1, row: 0 },
        };
        app.world_mut()
            .resource_mut::<MovesShown>()
            .steps
            .push_back(shown);
        end_phase(&mut app);
        assert_eq!(day(&app), 1, "ended while the enemy's moves were shown");
        app.world_mut().resource_mut::<MovesShown>().steps.clear();
        // A dialog open (drawn last frame).
        app.world_mut()
            .resource_mut::<Dialogs>()
            .showing(Dialog::Menu);
        app.update();
        end_phase(&mut app);
        assert_eq!(day(&app), 1, "ended behind the menu");
        app.update();
        end_phase(&mut app);
        assert_eq!(day(&app), 2, "with nothing in the way, the phase ends");
    }

    #[test]
    fn the_hand_over_screen_ends_nothing() {
        let mut app = app(false);
        app.world_mut()
            .resource_mut::<NextState<Turn>>()
            .set(Turn::HandOver(SideId(0)));
        app.update();
        end_phase(&mut app);
        end_phase(&mut app);
        assert_eq!(day(&app), 1);
    }

    #[test]
    fn units_that_have_not_acted_are_asked_about_unless_the_setting_is_off() {
        let mut app = app(true);
        end_phase(&mut app);
        assert_eq!(day(&app), 1, "the phase waits for the answer");
        let (idle, of) = app
            .world()
            .resource::<Confirming>()
            .end
            .expect("the player is asked");
        assert!(idle > 0 && idle <= of, "{idle} of {of}");
        let mut app = app_without_asking();
        end_phase(&mut app);
        assert_eq!(day(&app), 2);
    }

    fn app_without_asking() -> App {
        app(false)
    }

    #[test]
    fn settings_read_back_as_written_and_a_broken_file_gives_the_defaults() {
        let dir = std::env::temp_dir().join(format!("railhead-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("s.ron");
        assert_eq!(Settings::read(&path), Settings::default(), "no file");
        let off = Settings {
            ask_before_ending: false,
        };
        std::fs::write(&path, ron::to_string(&off).unwrap()).unwrap();
        assert_eq!(Settings::read(&path), off);
        std::fs::write(&path, "Settings(ask_before_ending: maybe)").unwrap();
        assert_eq!(Settings::read(&path), Settings::default());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
