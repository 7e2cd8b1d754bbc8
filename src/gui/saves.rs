//! Saves in the window: quick save and load (F5, F9), a list of saves to load, an
//! autosave at each day's end (the last few kept), and the screen of a game played by file
//! while it is with the other player. Saving and loading are requests to the driver; what
//! it says of them is shown here.

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use bevy_egui::input::EguiWantsInput;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::messages::{Happened, LoadAsked, Replaced, Request, WindowSystems};
use super::session::Session;
use super::view::{CloseDialog, Dialog, Dialogs, Screen, Sent, Turn, notice};
use crate::rules::game::GameState;
use crate::rules::state::{Controller, HighCommand, ScenarioRes};
use crate::save::{self, Save};
use crate::scenario::Scenario;

/// Where the window keeps its saves.
pub const SAVE_DIR: &str = "saves";
/// Autosaves kept for each game (`autosave-GAME-1.ron` the newest).
pub const AUTOSAVES: usize = 5;

/// A request to save the game as F5 does (from a button elsewhere, such as the menu).
#[derive(Message, Debug, Clone, Copy)]
pub(super) struct QuickSave;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<SaveWindow>()
        .add_message::<QuickSave>()
        .add_systems(
            Update,
            (
                keys.in_set(WindowSystems::RecordInput),
                (tell_what_happened, autosave).in_set(WindowSystems::React),
            ),
        )
        .add_systems(
            EguiPrimaryContextPass,
            (save_window, sent_screen.run_if(in_state(Turn::Sent))),
        );
}

/// Play by file: once the game has gone to the other player, the map is hidden (it shows
/// only what this side saw) until their answer is loaded.
fn sent_screen(
    mut contexts: EguiContexts,
    sent: Res<Sent>,
    session: Res<Session>,
    window: Res<SaveWindow>,
    mut requests: MessageWriter<Request>,
    mut exit: MessageWriter<AppExit>,
) -> Result {
    let path = session.by_file.as_ref().map(|(_, p)| p.clone());
    let ctx = contexts.ctx_mut()?;
    let screen = ctx.viewport_rect();
    egui::Area::new("sent".into())
        .order(egui::Order::Foreground)
        .fixed_pos(screen.min)
        .show(ctx, |ui| {
            ui.painter()
                .rect_filled(screen, 0.0, egui::Color32::from_gray(24));
            ui.scope_builder(
                egui::UiBuilder::new().max_rect(screen.shrink(screen.width() / 4.0)),
                |ui| {
                    ui.vertical_centered(|ui| {
                        ui.heading("Played by file");
                        ui.label(&sent.0);
                        if let Some(p) = &path
                            && ui
                                .button(format!("Load their answer ({})", p.display()))
                                .clicked()
                        {
                            requests.write(Request::Load(p.clone()));
                        }
                        if ui.button("Quit").clicked() {
                            exit.write(AppExit::Success);
                        }
                        if let Some(m) = &window.message {
                            ui.label(m);
                        }
                    });
                },
            );
        });
    Ok(())
}

/// The save list and messages.
#[derive(Resource, Default)]
pub(super) struct SaveWindow {
    open: bool,
    /// The saves found, by game, newest first within each: the file, its game and how
    /// the list shows it.
    files: Vec<(PathBuf, String, String)>,
    message: Option<String>,
}

fn saves_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .map(|p| {
            (
                std::fs::metadata(&p)
                    .and_then(|m| m.modified())
                    .unwrap_or(std::time::UNIX_EPOCH),
                p,
            )
        })
        .collect();
    files.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    files.into_iter().map(|(_, p)| p).collect()
}

/// The game a save belongs to, for its file name: the scenario and who plays it at this
/// screen (the human sides, or `watching`), so that games do not write over each other's
/// autosaves and an instructor's demonstration never over a player's game.
fn game_key(s: &Scenario, command: &HighCommand) -> String {
    let slug: String = s
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let slug: String = slug.chars().take(40).collect();
    let humans: Vec<&str> = command
        .controllers
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == Controller::Human)
        .map(|(i, _)| s.sides[i].id.as_str())
        .collect();
    let who = if humans.is_empty() {
        "watching".to_string()
    } else {
        humans.join("+")
    };
    format!("{}-{who}", if slug.is_empty() { "game" } else { &slug })
}

fn quick_path(s: &Scenario, command: &HighCommand) -> PathBuf {
    Path::new(SAVE_DIR).join(format!("quicksave-{}.ron", game_key(s, command)))
}

/// A save as the Load list shows it: the game it belongs to (the scenario and who plays
/// it: the list groups saves by it), and its line: scenario, who plays, day and date, when
/// it was saved; or why it cannot be read.
fn save_entry(path: &Path, shown: &crate::scenario::Scenario) -> (String, String) {
    let file = path
        .file_name()
        .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
    let when = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .map(|t| {
            chrono::DateTime::<chrono::Utc>::from(t)
                .format("%-d %b %H:%M UTC")
                .to_string()
        })
        .unwrap_or_default();
    match save::Save::read(path) {
        Ok(saved) => {
            let humans: Vec<String> = saved
                .controllers
                .iter()
                .enumerate()
                .filter(|(_, c)| **c == crate::rules::state::Controller::Human)
                .map(|(i, _)| {
                    // Side names are known when the save is of the scenario shown.
                    shown
                        .sides
                        .get(i)
                        .filter(|_| shown.name == saved.scenario.name)
                        .map_or_else(|| format!("side {}", i + 1), |x| x.name.clone())
                })
                .collect();
            let who = if humans.is_empty() {
                "watching".to_string()
            } else {
                format!("{} played here", humans.join(" and "))
            };
            let game = format!("{}, {who}", saved.scenario.name);
            let line = format!(
                "{}: day {}, {}; {who}; saved {when} ({file})",
                saved.scenario.name,
                saved.position.turn,
                saved.position.date.format("%-d %b %Y"),
            );
            (game, line)
        }
        Err(e) => (
            "Files that are not saves".to_string(),
            format!("{file}: cannot be read ({e})"),
        ),
    }
}

/// F5 quick save (or the menu's Save), F9 quick load (asking first if orders would be
/// lost), in a game and with no dialog open.
#[allow(
    clippy::too_many_arguments,
    reason = "a system: each resource it reads"
)]
fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    wants: Res<EguiWantsInput>,
    screen: Res<State<Screen>>,
    dialogs: Res<Dialogs>,
    scenario: Res<ScenarioRes>,
    command: Res<HighCommand>,
    mut quick_save: MessageReader<QuickSave>,
    mut requests: MessageWriter<Request>,
    mut load: MessageWriter<LoadAsked>,
) {
    let asked = quick_save.read().count() > 0;
    if *screen.get() != Screen::Game {
        return;
    }
    let keyed = !wants.wants_keyboard_input() && !dialogs.any();
    let path = || quick_path(&scenario.0, &command);
    if asked || (keyed && keys.just_pressed(KeyCode::F5)) {
        requests.write(Request::Save(path()));
    }
    if keyed && keys.just_pressed(KeyCode::F9) {
        load.write(LoadAsked {
            path: path(),
            watch: false,
        });
    }
}

/// What became of a save or a load, for the player.
fn tell_what_happened(mut happened: MessageReader<Happened>, mut window: ResMut<SaveWindow>) {
    for h in happened.read() {
        match h {
            Happened::Saved { path, result } => {
                window.message = Some(match result {
                    Ok(()) => format!("Saved to {}.", path.display()),
                    Err(e) => e.clone(),
                });
            }
            Happened::GameReplaced {
                why: Replaced::Loaded(path),
                ..
            } => {
                window.message = Some(format!("Loaded {}.", path.display()));
                window.open = false;
            }
            Happened::GameReplaced {
                why: Replaced::Watched(_),
                ..
            } => {
                window.message = Some(
                    "Watching the saved game from its first day: ] (Day forward) steps through the days as they were played."
                        .into(),
                );
                window.open = false;
            }
            Happened::Refused { why, .. } => window.message = Some(why.clone()),
            _ => {}
        }
    }
}

/// At each day's end, saves `saves/autosave-GAME-1.ron` (GAME: the scenario and who plays
/// it here, see `game_key`), keeping the last [`AUTOSAVES`].
fn autosave(
    mut happened: MessageReader<Happened>,
    scenario: Res<ScenarioRes>,
    session: Res<Session>,
    mut window: ResMut<SaveWindow>,
) {
    let Some(day) = happened
        .read()
        .filter_map(|h| match h {
            Happened::PhasesRun { days_ended, .. } => days_ended.last(),
            _ => None,
        })
        .last()
    else {
        return;
    };
    if let Err(e) = write_autosave(&scenario.0, &session, day) {
        window.message = Some(format!("Autosave failed: {e}"));
    }
}

/// Writes an autosave of `state`, the older ones moved down the list.
fn write_autosave(s: &Scenario, session: &Session, state: &GameState) -> Result<(), String> {
    let dir = Path::new(SAVE_DIR);
    let key = game_key(s, &state.command);
    let name = |i: usize| dir.join(format!("autosave-{key}-{i}.ron"));
    for i in (1..AUTOSAVES).rev() {
        if name(i).is_file() {
            let _ = std::fs::rename(name(i), name(i + 1));
        }
    }
    Save::of_state(
        s,
        state.as_ref(),
        session.path.as_deref(),
        session.game_seed,
    )
    .and_then(|save| save.write(&name(1)))
    .map_err(|e| e.to_string())
}

/// The Save and Load buttons' window, and messages.
#[allow(
    clippy::too_many_arguments,
    reason = "a system: each resource it reads"
)]
fn save_window(
    mut contexts: EguiContexts,
    mut state: ResMut<SaveWindow>,
    mut dialogs: ResMut<Dialogs>,
    mut close: MessageReader<CloseDialog>,
    screen: Res<State<Screen>>,
    scenario: Res<ScenarioRes>,
    command: Res<HighCommand>,
    mut requests: MessageWriter<Request>,
    mut load_asked: MessageWriter<LoadAsked>,
) -> Result {
    if close.read().any(|c| c.0 == Dialog::Saves) {
        state.open = false;
    }
    let ctx = contexts.ctx_mut()?;
    let in_game = *screen.get() == Screen::Game;
    egui::Area::new("save_buttons".into())
        .anchor(egui::Align2::LEFT_BOTTOM, [8.0, -8.0])
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(in_game, egui::Button::new("Save (F5)"))
                    .clicked()
                {
                    requests.write(Request::Save(quick_path(&scenario.0, &command)));
                }
                if ui.button("Load...").clicked() {
                    state.open = !state.open;
                    let mut files: Vec<(PathBuf, String, String)> = saves_in(Path::new(SAVE_DIR))
                        .into_iter()
                        .map(|p| {
                            let (game, label) = save_entry(&p, &scenario.0);
                            (p, game, label)
                        })
                        .collect();
                    // By game (a stable sort keeps the newest first within each).
                    files.sort_by(|a, b| a.1.cmp(&b.1));
                    state.files = files;
                }
            });
        });
    if state.open {
        dialogs.showing(Dialog::Saves);
        let mut open = true;
        let mut load = None;
        egui::Window::new("Load a saved game")
            .open(&mut open)
            .collapsible(false)
            .show(ctx, |ui| {
                if state.files.is_empty() {
                    ui.label(format!("No saves in {SAVE_DIR}/ yet: F5 saves, and the game saves itself at each day's end."));
                }
                egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
                    let mut game = None;
                    for (f, g, label) in &state.files {
                        if game != Some(g) {
                            ui.add_space(4.0);
                            ui.strong(g);
                            game = Some(g);
                        }
                        ui.horizontal(|ui| {
                            if ui
                                .button(label)
                                .on_hover_text("Go on with this game where it was saved.")
                                .clicked()
                            {
                                load = Some((f.clone(), false));
                            }
                            if ui
                                .button("Watch")
                                .on_hover_text("Watch this game from its first day, a day at a time, as it was played (instructor mode).")
                                .clicked()
                            {
                                load = Some((f.clone(), true));
                            }
                        });
                    }
                });
            });
        state.open = open;
        if let Some((path, watch)) = load {
            load_asked.write(LoadAsked { path, watch });
        }
    }
    if let Some(m) = state.message.clone()
        && notice(ctx, "Saves", &m, egui::Align2::CENTER_BOTTOM, 40.0)
    {
        state.message = None;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::driver::{
        a_move, at_the_players_orders as app, headless_app, request, waiting,
    };
    use crate::gui::session::Seats;
    use crate::rules::cursor::DayCursor;
    use crate::rules::orders::Order;
    use crate::rules::state::Forces;
    use crate::scenario::ids::SideId;

    /// Saves the game in `app` to `path`, as F5 would.
    fn save(app: &mut App, path: &Path) {
        request(app, Request::Save(path.to_path_buf()));
        assert!(path.is_file(), "saved to {}", path.display());
    }

    #[test]
    fn each_game_has_its_own_autosaves_and_the_watching_instructor_never_a_players() {
        let player = headless_app(true);
        let watcher = headless_app(false);
        let key = |app: &App| {
            let w = app.world();
            (
                game_key(&w.resource::<ScenarioRes>().0, w.resource::<HighCommand>()),
                quick_path(&w.resource::<ScenarioRes>().0, w.resource::<HighCommand>()),
            )
        };
        let ((p, p_path), (w, w_path)) = (key(&player), key(&watcher));
        assert_eq!(p, "kharkiv-2022-the-kupiansk-junction-ua");
        assert_eq!(w, "kharkiv-2022-the-kupiansk-junction-watching");
        assert_ne!(p_path, w_path);
    }

    #[test]
    fn the_load_list_says_what_each_save_is() {
        let dir = std::env::temp_dir().join(format!("railhead-load-list-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut app = app();
        app.insert_resource(Session {
            seed: Some(1),
            game_seed: 1,
            ..Session::new(Seats::Side("ua".into()))
        });
        let path = dir.join("a.ron");
        save(&mut app, &path);
        let s = app.world().resource::<ScenarioRes>().0.clone();
        let (game, label) = save_entry(&path, &s);
        assert_eq!(
            game,
            "Kharkiv 2022: the Kupiansk junction, Ukraine played here"
        );
        assert!(label.starts_with("Kharkiv 2022: the Kupiansk junction: day 1, 6 Sep 2022; Ukraine played here; saved "), "{label}");
        std::fs::write(dir.join("b.ron"), "not a save").unwrap();
        assert!(
            save_entry(&dir.join("b.ron"), &s)
                .1
                .starts_with("b.ron: cannot be read")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_game_saved_in_a_players_phase_loads_where_it_stood() {
        let mut app = app();
        app.insert_resource(Session {
            seed: Some(1),
            game_seed: 1,
            ..Session::new(Seats::Side("ua".into()))
        });
        let (a, to) = a_move(&app, "92nd Mechanized Brigade");
        request(&mut app, Request::Give(Order::Move { unit: a, to }));
        let dir = std::env::temp_dir().join(format!("railhead-window-save-{}", std::process::id()));
        let path = dir.join("mid-phase.ron");
        save(&mut app, &path);
        let hash = crate::rules::game::state_hash(app.world());

        let mut other = headless_app(false);
        other.insert_resource(Session::new(Seats::Watch));
        request(&mut other, Request::Load(path.clone()));
        assert_eq!(crate::rules::game::state_hash(other.world()), hash);
        assert_eq!(waiting(&other), Some(SideId(0)), "Ukraine's phase goes on");
        assert_eq!(other.world().resource::<Forces>().units[a.0].hex(), to);
        assert_eq!(
            other.world().resource::<Session>().seats,
            Seats::Side("ua".into())
        );
        // Ending the phase plays on as the original would.
        request(&mut app, Request::GoOn);
        request(&mut other, Request::GoOn);
        assert_eq!(
            crate::rules::game::state_hash(other.world()),
            crate::rules::game::state_hash(app.world())
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn by_file_app(local: usize, path: &Path) -> App {
        let local = SideId(local);
        let mut app = headless_app(true);
        app.world_mut().resource_mut::<HighCommand>().controllers =
            vec![Controller::Human, Controller::Human];
        app.insert_resource(Session {
            seed: Some(1),
            game_seed: 1,
            by_file: Some((local, path.to_path_buf())),
            ..Session::new(Seats::Hotseat)
        });
        app
    }

    #[test]
    fn two_players_take_turns_by_file() {
        let dir = std::env::temp_dir().join(format!("railhead-by-file-{}", std::process::id()));
        let path = dir.join("game.ron");
        // Ukraine's player starts and moves a unit.
        let mut ua = by_file_app(0, &path);
        request(&mut ua, Request::GoOn);
        assert_eq!(waiting(&ua), Some(SideId(0)));
        let (a, to) = a_move(&ua, "92nd Mechanized Brigade");
        request(&mut ua, Request::Give(Order::Move { unit: a, to }));
        request(&mut ua, Request::GoOn);
        assert_eq!(ua.world().resource::<State<Turn>>().get(), &Turn::Sent);
        let sent = ua.world().resource::<Sent>().0.clone();
        assert!(sent.contains("--side ru"), "{sent}");
        assert_eq!(waiting(&ua), None);
        assert!(path.is_file());

        // Russia's player loads it and plays their phase; the day ends, the file goes back.
        let mut ru = by_file_app(1, &path);
        request(&mut ru, Request::Load(path.clone()));
        assert_eq!(waiting(&ru), Some(SideId(1)));
        assert_eq!(
            ru.world().resource::<Forces>().units[a.0].hex(),
            to,
            "Ukraine's move is in"
        );
        request(&mut ru, Request::GoOn);
        assert_eq!(ru.world().resource::<State<Turn>>().get(), &Turn::Sent);
        assert_eq!(ru.world().resource::<DayCursor>().turn, 2);

        // Ukraine loads the answer: day 2, Ukraine to move, the same game.
        request(&mut ua, Request::Load(path.clone()));
        assert_eq!(waiting(&ua), Some(SideId(0)));
        assert_eq!(ua.world().resource::<DayCursor>().turn, 2);
        assert_eq!(
            crate::rules::game::state_hash(ua.world()),
            crate::rules::game::state_hash(ru.world())
        );
        // And Russia's screen, loading the same file, waits for Ukraine.
        request(&mut ru, Request::Load(path.clone()));
        assert_eq!(waiting(&ru), None);
        assert_eq!(ru.world().resource::<State<Turn>>().get(), &Turn::Sent);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_saved_game_can_be_watched_day_by_day() {
        let s = std::sync::Arc::new(crate::scenario::load_or_default(None).unwrap());
        let mut sim = crate::rules::simulation::Simulation::new(
            s.clone(),
            9,
            crate::rules::setup::default_controllers(&s),
        );
        let mut hashes = vec![crate::rules::game::state_hash(sim.world())];
        for _ in 0..4 {
            sim.play_day();
            hashes.push(crate::rules::game::state_hash(sim.world()));
        }
        let dir = std::env::temp_dir().join(format!("railhead-watch-{}", std::process::id()));
        let path = dir.join("four-days.ron");
        Save::of(sim.world(), None, 9)
            .unwrap()
            .write(&path)
            .unwrap();

        let mut app = headless_app(false);
        app.insert_resource(Session::new(Seats::Watch));
        request(&mut app, Request::Watch(path.clone()));
        assert_eq!(
            app.world().resource::<DayCursor>().turn,
            1,
            "the replay starts at the start"
        );
        assert_eq!(crate::rules::game::state_hash(app.world()), hashes[0]);
        for (day, hash) in hashes.iter().enumerate().skip(1) {
            request(&mut app, Request::GoOn);
            assert_eq!(
                &crate::rules::game::state_hash(app.world()),
                hash,
                "day {day}"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
