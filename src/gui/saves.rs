//! Saves and undo in the window: quick save and load (F5, F9), a list of saves to load, an
//! autosave at each day's end (the last few kept), and undo and redo of the current side's
//! orders within its phase.

use crate::scenario::ids::SideId;
use std::path::{Path, PathBuf};

use bevy::prelude::*;
use bevy_egui::input::EguiWantsInput;
use bevy_egui::{EguiPrimaryContextPass, egui};

use super::session::save_to;
use super::session::{Command, Session};
use super::undo::{forget, redo, undo};
use super::view::{Screen, Sent, Turn, ordering};
use crate::rules::state::{Controller, DayCursor, ScenarioRes};
use crate::rules::{GameState, Stage};
use crate::save::{self, Save};

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
        .add_systems(Update, (keys, autosave))
        .add_systems(
            EguiPrimaryContextPass,
            (save_window, sent_screen.run_if(in_state(Turn::Sent))),
        );
}

/// Play by file: once the game has gone to the other player, the map is hidden (it shows
/// only what this side saw) until their answer is loaded.
fn sent_screen(world: &mut World) {
    let message = world.resource::<Sent>().0.clone();
    let Some(ctx) = super::session::egui_context(world) else {
        return;
    };
    let path = world
        .resource::<Session>()
        .by_file
        .as_ref()
        .map(|(_, p)| p.clone());
    let (mut reload, mut quit) = (false, false);
    let problem = world.resource::<SaveWindow>().message.clone();
    let screen = ctx.viewport_rect();
    egui::Area::new("sent".into())
        .order(egui::Order::Foreground)
        .fixed_pos(screen.min)
        .show(&ctx, |ui| {
            ui.painter()
                .rect_filled(screen, 0.0, egui::Color32::from_gray(24));
            ui.scope_builder(
                egui::UiBuilder::new().max_rect(screen.shrink(screen.width() / 4.0)),
                |ui| {
                    ui.vertical_centered(|ui| {
                        ui.heading("Played by file");
                        ui.label(&message);
                        if let Some(p) = &path {
                            reload = ui
                                .button(format!("Load their answer ({})", p.display()))
                                .clicked();
                        }
                        quit = ui.button("Quit").clicked();
                        if let Some(m) = &problem {
                            ui.label(m);
                        }
                    });
                },
            );
        });
    if quit {
        world.write_message(AppExit::Success);
    }
    if reload && let Some(p) = path {
        let message = load_from(world, &p).err();
        world.resource_mut::<SaveWindow>().message = message;
    }
}

/// Loads a save into the window, replacing the game: replays it and puts the window where
/// the save stood.
pub(super) fn load_from(world: &mut World, path: &Path) -> Result<(), String> {
    let (saved, sim) = save::load(path).map_err(|e| e.to_string())?;
    let w = sim.world();
    world.insert_resource(ScenarioRes(w.resource::<ScenarioRes>().0.clone()));
    GameState::take(w).insert(world);
    let s = w.resource::<ScenarioRes>().0.clone();
    {
        let mut session = world.resource_mut::<Session>();
        session.path = saved.scenario.file.as_ref().map(PathBuf::from);
        session.seed = Some(saved.seed);
        let humans: Vec<SideId> = (0..saved.controllers.len())
            .map(SideId)
            .filter(|i| saved.controllers[*i] == Controller::Human)
            .collect();
        session.command = match humans.as_slice() {
            [] => Command::Watch,
            [one] => Command::Side(s.sides[*one].id.clone()),
            _ => Command::Hotseat,
        };
        if humans.len() < 2 {
            session.by_file = None;
        }
    }
    super::flow::reset(world);
    super::instructor::reset(world);
    forget(world);
    match super::flow::turn_at(world) {
        Turn::Sent => {
            let side = match saved.position.stage {
                Stage::Phase(side) => side,
                _ => SideId(0),
            };
            world.insert_resource(Sent(format!(
                "This file waits for the {} player's orders: send it to them, or load their answer when it comes.",
                s.sides[side].name
            )));
            super::flow::show(world, Turn::Sent);
        }
        turn @ Turn::Orders(_) => super::flow::show(world, turn),
        _ => super::flow::advance_to_first_phase(world),
    }
    Ok(())
}

/// Opens a saved game to watch from its first day: replays it, keeping each day, and
/// shows the start; `]` then steps through the days as they were played.
pub(super) fn watch_from(world: &mut World, path: &Path) -> Result<(), String> {
    load_from(world, path)?;
    let saved = Save::read(path).map_err(|e| e.to_string())?;
    let scenario = world.resource::<ScenarioRes>().0.clone();
    let mut days = Vec::new();
    save::replay_with(&saved, scenario, &mut |w| days.push(GameState::take(w)))
        .map_err(|e| e.to_string())?;
    world.resource_mut::<Session>().command = Command::Watch;
    world.resource_mut::<Session>().by_file = None;
    super::flow::reset(world);
    forget(world);
    super::instructor::watch_replay(world, days);
    let turn = super::flow::turn_at(world);
    super::flow::show(world, turn);
    Ok(())
}

/// The save list and messages.
#[derive(Resource, Default)]
pub(super) struct SaveWindow {
    open: bool,
    /// The saves found, newest first, each with how the list shows it.
    files: Vec<(PathBuf, String)>,
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
fn game_key(world: &World) -> String {
    let s = &world.resource::<ScenarioRes>().0;
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
    let humans: Vec<&str> = world
        .resource::<crate::rules::state::HighCommand>()
        .controllers
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == crate::rules::state::Controller::Human)
        .map(|(i, _)| s.sides[i].id.as_str())
        .collect();
    let who = if humans.is_empty() {
        "watching".to_string()
    } else {
        humans.join("+")
    };
    format!("{}-{who}", if slug.is_empty() { "game" } else { &slug })
}

fn quick_path(world: &World) -> PathBuf {
    Path::new(SAVE_DIR).join(format!("quicksave-{}.ron", game_key(world)))
}

/// A save as the Load list shows it: scenario, who plays, day and date, when it was
/// saved; or why it cannot be read.
fn describe_save(path: &Path, shown: &crate::scenario::Scenario) -> String {
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
            format!(
                "{}: day {}, {}; {}; saved {when} ({file})",
                saved.scenario.name,
                saved.position.turn,
                saved.position.date.format("%-d %b %Y"),
                if humans.is_empty() {
                    "watching".to_string()
                } else {
                    format!("{} played here", humans.join(" and "))
                },
            )
        }
        Err(e) => format!("{file}: cannot be read ({e})"),
    }
}

/// F5 quick save, F9 quick load, Ctrl+Z undo, Ctrl+Y (or Ctrl+Shift+Z) redo.
fn keys(world: &mut World) {
    let (save, load, undo_key, redo_key) = {
        let keys = world.resource::<ButtonInput<KeyCode>>();
        if world.resource::<EguiWantsInput>().wants_keyboard_input() {
            return;
        }
        let ctrl = keys.any_pressed([KeyCode::ControlLeft, KeyCode::ControlRight]);
        let shift = keys.any_pressed([KeyCode::ShiftLeft, KeyCode::ShiftRight]);
        (
            keys.just_pressed(KeyCode::F5),
            keys.just_pressed(KeyCode::F9),
            ctrl && !shift && keys.just_pressed(KeyCode::KeyZ),
            ctrl && (keys.just_pressed(KeyCode::KeyY)
                || (shift && keys.just_pressed(KeyCode::KeyZ))),
        )
    };
    let asked = world
        .get_resource_mut::<Messages<QuickSave>>()
        .is_some_and(|mut m| m.drain().count() > 0);
    if world
        .get_resource::<State<Screen>>()
        .is_none_or(|s| *s.get() != Screen::Game)
    {
        return;
    }
    if save || asked {
        let path = quick_path(world);
        let message = match save_to(world, &path) {
            Ok(()) => format!("Saved to {}.", path.display()),
            Err(e) => e,
        };
        world.resource_mut::<SaveWindow>().message = Some(message);
    }
    if load {
        let path = quick_path(world);
        let message = match load_from(world, &path) {
            Ok(()) => format!("Loaded {}.", path.display()),
            Err(e) => e,
        };
        world.resource_mut::<SaveWindow>().message = Some(message);
    }
    let ordering = ordering(world.get_resource::<State<Turn>>()).is_some();
    if undo_key && ordering {
        undo(world);
    }
    if redo_key && ordering {
        redo(world);
    }
}

/// At each day's end (when the turn moves on), saves `saves/autosave-GAME-1.ron` (GAME:
/// the scenario and who plays it here, see `game_key`), keeping the
/// last [`AUTOSAVES`].
fn autosave(world: &mut World, mut last: Local<Option<u32>>) {
    let turn = world.resource::<DayCursor>().turn;
    let started = world
        .get_resource::<State<Screen>>()
        .is_some_and(|s| *s.get() == Screen::Game);
    if !started || last.is_none() {
        *last = Some(turn);
        return;
    }
    if last.is_some_and(|t| turn <= t) {
        *last = Some(turn);
        return;
    }
    *last = Some(turn);
    let dir = Path::new(SAVE_DIR);
    let key = game_key(world);
    let name = |i: usize| dir.join(format!("autosave-{key}-{i}.ron"));
    for i in (1..AUTOSAVES).rev() {
        if name(i).is_file() {
            let _ = std::fs::rename(name(i), name(i + 1));
        }
    }
    if let Err(e) = save_to(world, &name(1)) {
        world.resource_mut::<SaveWindow>().message = Some(format!("Autosave failed: {e}"));
    }
}

/// The Save and Load buttons' window, and messages.
fn save_window(world: &mut World) {
    let Some(ctx) = super::session::egui_context(world) else {
        return;
    };
    let mut state = std::mem::take(&mut *world.resource_mut::<SaveWindow>());
    let mut load: Option<PathBuf> = None;
    let mut save_now = false;
    egui::Area::new("save_buttons".into())
        .anchor(egui::Align2::LEFT_BOTTOM, [8.0, -8.0])
        .show(&ctx, |ui| {
            ui.horizontal(|ui| {
                if ui.button("Save (F5)").clicked() {
                    save_now = true;
                }
                if ui.button("Load...").clicked() {
                    state.open = !state.open;
                    let shown = world.resource::<ScenarioRes>().0.clone();
                    state.files = saves_in(Path::new(SAVE_DIR))
                        .into_iter()
                        .map(|p| {
                            let label = describe_save(&p, &shown);
                            (p, label)
                        })
                        .collect();
                }
            });
        });
    if state.open {
        let mut open = true;
        egui::Window::new("Load a saved game")
            .open(&mut open)
            .collapsible(false)
            .show(&ctx, |ui| {
                if state.files.is_empty() {
                    ui.label(format!("No saves in {SAVE_DIR}/ yet: F5 saves, and the game saves itself at each day's end."));
                }
                for (f, label) in &state.files {
                    if ui.button(label).clicked() {
                        load = Some(f.clone());
                    }
                }
            });
        state.open = open;
    }
    if let Some(m) = state.message.clone()
        && super::session::notice(&ctx, "Saves", &m, egui::Align2::CENTER_BOTTOM, 40.0)
    {
        state.message = None;
    }
    *world.resource_mut::<SaveWindow>() = state;
    if save_now {
        let path = quick_path(world);
        let message = match save_to(world, &path) {
            Ok(()) => format!("Saved to {}.", path.display()),
            Err(e) => e,
        };
        world.resource_mut::<SaveWindow>().message = Some(message);
    }
    if let Some(path) = load {
        let message = match load_from(world, &path) {
            Ok(()) => format!("Loaded {}.", path.display()),
            Err(e) => e,
        };
        let mut w = world.resource_mut::<SaveWindow>();
        w.message = Some(message);
        w.open = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::flow::{headless_app, waiting};
    use crate::gui::undo::Undo;
    use crate::gui::view::{GoOn, PendingOrder};
    use crate::rules::OrderLog;
    use crate::rules::movement::{self, Threats, allowance, can_end_in};
    use crate::rules::orders::Order;
    use crate::rules::state::{Board, Forces, HighCommand};

    fn app() -> App {
        let mut app = headless_app(true);
        app.init_resource::<Undo>();
        app.world_mut().write_message(GoOn);
        app.update();
        app
    }

    #[test]
    fn each_game_has_its_own_autosaves_and_the_watching_instructor_never_a_players() {
        let player = headless_app(true);
        let watcher = headless_app(false);
        let (p, w) = (game_key(player.world()), game_key(watcher.world()));
        assert_eq!(p, "kharkiv-2022-the-kupiansk-junction-ua");
        assert_eq!(w, "kharkiv-2022-the-kupiansk-junction-watching");
        assert_ne!(quick_path(player.world()), quick_path(watcher.world()));
    }

    #[test]
    fn the_load_list_says_what_each_save_is() {
        let dir = std::env::temp_dir().join(format!("railhead-load-list-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut app = app();
        app.insert_resource(Session {
            seed: Some(1),
            ..Session::new(Command::Side("ua".into()))
        });
        let path = dir.join("a.ron");
        save_to(app.world(), &path).unwrap();
        let s = app.world().resource::<ScenarioRes>().0.clone();
        let label = describe_save(&path, &s);
        assert!(label.starts_with("Kharkiv 2022: the Kupiansk junction: day 1, 6 Sep 2022; Ukraine played here; saved "), "{label}");
        std::fs::write(dir.join("b.ron"), "not a save").unwrap();
        assert!(describe_save(&dir.join("b.ron"), &s).starts_with("b.ron: cannot be read"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A move the 92nd can make now, and where it is.
    fn a_move(app: &App, name: &str) -> (crate::scenario::ids::UnitId, crate::geo::Offset) {
        let s = app.world().resource::<ScenarioRes>().0.clone();
        let id = s.units.iter().position(|u| u.name == name).unwrap();
        let forces = app.world().resource::<Forces>();
        let u = &forces.units[id];
        let threats = Threats::for_side(&s, forces, u.side);
        let r = movement::reach(
            &s,
            app.world().resource::<Board>(),
            &threats,
            u,
            allowance(&s, u),
        );
        let to = *r
            .cost
            .keys()
            .filter(|h| **h != u.hex() && can_end_in(&s, &threats, u, **h))
            .max()
            .unwrap();
        (crate::scenario::ids::UnitId(id), to)
    }

    fn give(app: &mut App, order: Order) {
        app.world_mut().resource_mut::<PendingOrder>().0 = Some(order);
        app.update();
    }

    #[test]
    fn undo_restores_exactly_the_state_before_the_undone_orders_and_redo_gives_them_again() {
        let mut app = app();
        let before = GameState::take(app.world());
        let hash = crate::rules::state_hash(app.world());
        let (a, to_a) = a_move(&app, "92nd Mechanized Brigade");
        give(&mut app, Order::Move { unit: a, to: to_a });
        let (b, to_b) = a_move(&app, "25th Airborne Brigade");
        give(&mut app, Order::Move { unit: b, to: to_b });
        let after = crate::rules::state_hash(app.world());
        assert_ne!(after, hash);
        assert_eq!(app.world().resource::<OrderLog>().0.len(), 2);

        undo(app.world_mut());
        undo(app.world_mut());
        assert_eq!(
            crate::rules::state_hash(app.world()),
            hash,
            "two undos, back to the start of the phase"
        );
        assert_eq!(app.world().resource::<Forces>(), &before_forces(&before));
        assert!(
            app.world().resource::<OrderLog>().0.is_empty(),
            "the log forgets undone orders"
        );

        redo(app.world_mut());
        app.update();
        redo(app.world_mut());
        app.update();
        assert_eq!(
            crate::rules::state_hash(app.world()),
            after,
            "redo gives both orders again"
        );
    }

    fn before_forces(s: &GameState) -> Forces {
        s.forces.clone()
    }

    #[test]
    fn an_attack_cannot_be_undone() {
        let mut app = app();
        let (a, to) = a_move(&app, "92nd Mechanized Brigade");
        give(&mut app, Order::Move { unit: a, to });
        assert_eq!(app.world().resource::<Undo>().done.len(), 1);
        let (attacker, target) = super::super::orders::put_next_to_an_enemy(&mut app);
        give(
            &mut app,
            Order::Attack {
                attackers: vec![attacker],
                target,
            },
        );
        let undo_state = app.world().resource::<Undo>();
        assert!(undo_state.done.is_empty());
        assert!(
            undo_state
                .note
                .as_deref()
                .is_some_and(|n| n.contains("cannot be undone"))
        );
    }

    #[test]
    fn a_game_saved_in_a_players_phase_loads_where_it_stood() {
        let mut app = app();
        app.insert_resource(Session {
            seed: Some(1),
            ..Session::new(Command::Side("ua".into()))
        });
        let (a, to) = a_move(&app, "92nd Mechanized Brigade");
        give(&mut app, Order::Move { unit: a, to });
        let dir = std::env::temp_dir().join(format!("railhead-window-save-{}", std::process::id()));
        let path = dir.join("mid-phase.ron");
        save_to(app.world(), &path).unwrap();
        let hash = crate::rules::state_hash(app.world());

        let mut other = headless_app(false);
        other.insert_resource(Session::new(Command::Watch));
        load_from(other.world_mut(), &path).unwrap();
        assert_eq!(crate::rules::state_hash(other.world()), hash);
        assert_eq!(waiting(&other), Some(SideId(0)), "Ukraine's phase goes on");
        assert_eq!(other.world().resource::<Forces>().units[a.0].hex(), to);
        assert_eq!(
            other.world().resource::<Session>().command,
            Command::Side("ua".into())
        );
        // Ending the phase plays on as the original would.
        app.world_mut().write_message(GoOn);
        app.update();
        other.world_mut().write_message(GoOn);
        other.update();
        assert_eq!(
            crate::rules::state_hash(other.world()),
            crate::rules::state_hash(app.world())
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn by_file_app(local: usize, path: &Path) -> App {
        let local = SideId(local);
        let mut app = headless_app(true);
        app.init_resource::<Undo>().init_resource::<SaveWindow>();
        app.world_mut().resource_mut::<HighCommand>().controllers =
            vec![Controller::Human, Controller::Human];
        app.insert_resource(Session {
            seed: Some(1),
            by_file: Some((local, path.to_path_buf())),
            ..Session::new(Command::Hotseat)
        });
        app
    }

    #[test]
    fn two_players_take_turns_by_file() {
        let dir = std::env::temp_dir().join(format!("railhead-by-file-{}", std::process::id()));
        let path = dir.join("game.ron");
        // Ukraine's player starts and moves a unit.
        let mut ua = by_file_app(0, &path);
        ua.world_mut().write_message(GoOn);
        ua.update();
        assert_eq!(waiting(&ua), Some(SideId(0)));
        let (a, to) = a_move(&ua, "92nd Mechanized Brigade");
        give(&mut ua, Order::Move { unit: a, to });
        ua.world_mut().write_message(GoOn);
        ua.update();
        assert_eq!(ua.world().resource::<State<Turn>>().get(), &Turn::Sent);
        let sent = ua.world().resource::<Sent>().0.clone();
        assert!(sent.contains("--side ru"), "{sent}");
        assert_eq!(waiting(&ua), None);
        assert!(path.is_file());

        // Russia's player loads it and plays their phase; the day ends, the file goes back.
        let mut ru = by_file_app(1, &path);
        load_from(ru.world_mut(), &path).unwrap();
        assert_eq!(waiting(&ru), Some(SideId(1)));
        assert_eq!(
            ru.world().resource::<Forces>().units[a.0].hex(),
            to,
            "Ukraine's move is in"
        );
        ru.world_mut().write_message(GoOn);
        ru.update();
        assert_eq!(ru.world().resource::<State<Turn>>().get(), &Turn::Sent);
        assert_eq!(ru.world().resource::<DayCursor>().turn, 2);

        // Ukraine loads the answer: day 2, Ukraine to move, the same game.
        load_from(ua.world_mut(), &path).unwrap();
        assert_eq!(waiting(&ua), Some(SideId(0)));
        assert_eq!(ua.world().resource::<DayCursor>().turn, 2);
        assert_eq!(
            crate::rules::state_hash(ua.world()),
            crate::rules::state_hash(ru.world())
        );
        // And Russia's screen, loading the same file, waits for Ukraine.
        load_from(ru.world_mut(), &path).unwrap();
        assert_eq!(waiting(&ru), None);
        assert_eq!(ru.world().resource::<State<Turn>>().get(), &Turn::Sent);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_saved_game_can_be_watched_day_by_day() {
        let s = std::sync::Arc::new(crate::scenario::load_or_default(None).unwrap());
        let mut sim =
            crate::rules::Simulation::new(s.clone(), 9, crate::rules::default_controllers(&s));
        let mut hashes = vec![crate::rules::state_hash(sim.world())];
        for _ in 0..4 {
            sim.play_day();
            hashes.push(crate::rules::state_hash(sim.world()));
        }
        let dir = std::env::temp_dir().join(format!("railhead-watch-{}", std::process::id()));
        let path = dir.join("four-days.ron");
        Save::of(sim.world(), None, 9)
            .unwrap()
            .write(&path)
            .unwrap();

        let mut app = headless_app(false);
        app.insert_resource(Session {
            watch_replay: true,
            ..Session::new(Command::Watch)
        });
        watch_from(app.world_mut(), &path).unwrap();
        assert_eq!(
            app.world().resource::<DayCursor>().turn,
            1,
            "the replay starts at the start"
        );
        assert_eq!(crate::rules::state_hash(app.world()), hashes[0]);
        for (day, hash) in hashes.iter().enumerate().skip(1) {
            app.world_mut().write_message(GoOn);
            app.update();
            assert_eq!(&crate::rules::state_hash(app.world()), hash, "day {day}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
