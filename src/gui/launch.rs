//! Starting a game: the start screen that chooses the scenario file and who commands, the
//! game the command line asked for, and the scenario file watched for changes on disk and
//! reloaded. Starting is a request to the driver.
//!
//! winit allows one event loop per process, so a new game never restarts the app: the
//! driver replaces the rules' resources in place ([`crate::rules::setup::new_game`]), and
//! the map is drawn again because the scenario resource changed.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::messages::{Asked, Happened, Loaded, Replaced, Request, WindowSystems};
use super::session::{Seats, Session};
use super::view::{CloseDialog, Dialog, Dialogs, LessonChosen, Screen, notice};
use crate::rules::cursor::DayCursor;
use crate::rules::orders::OrderLog;
use crate::rules::state::{Controller, HighCommand, ScenarioRes};
use crate::scenario::{self, Scenario};

/// Seconds between looks at the scenario file's modification time.
const WATCH_SECONDS: f32 = 0.5;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<FileWatch>()
        .add_systems(Startup, begin)
        .add_systems(
            Update,
            (
                watch_file.in_set(WindowSystems::RecordInput),
                follow_the_game.in_set(WindowSystems::React),
            ),
        )
        .add_systems(
            EguiPrimaryContextPass,
            (
                start_screen
                    .run_if(in_state(Screen::Start))
                    .run_if(resource_exists::<StartScreen>),
                reload_windows,
            ),
        );
}

/// A game the command line read and replayed (a save to continue, or to watch), for the
/// first frame.
#[derive(Resource, Default)]
pub(super) struct Resume(pub(super) Option<Box<Loaded>>);

/// Opens the start screen, or asks for the game the command line chose.
fn begin(
    mut commands: Commands,
    resume: Option<ResMut<Resume>>,
    session: Res<Session>,
    scenario: Res<ScenarioRes>,
    mut requests: MessageWriter<Request>,
) {
    if let Some(loaded) = resume.and_then(|mut r| r.0.take()) {
        requests.write(Request::Resume(loaded));
        return;
    }
    if session.start_screen {
        commands.insert_resource(StartScreen::new(&session, &scenario.0));
        return;
    }
    requests.write(Request::Start(scenario.0.clone()));
}

/// The scenario files the start screen offers: those in `scenarios/` under the working
/// directory, and the one being played.
fn scenario_files(current: Option<&Path>) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ron_files("scenarios")
        .into_iter()
        // Studies (`railhead study`) sit beside the scenarios they play.
        .filter(|p| !p.to_string_lossy().ends_with(".study.ron"))
        .collect();
    if let Some(c) = current
        && !files.iter().any(|f| same_file(f, c))
    {
        files.insert(0, c.to_path_buf());
    }
    files
}

/// The `.ron` files of a folder under the working directory, sorted (none if it is
/// missing).
fn ron_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    files
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// A scenario file read: the scenario, or its errors as `file:line:column: message`.
type ScenarioFile = Result<Arc<Scenario>, Vec<String>>;

/// The lesson files the start screen offers: those in `lessons/` under the working
/// directory, each read and checked (or its first error).
fn lesson_files() -> Vec<(PathBuf, Result<Arc<crate::lesson::Lesson>, String>)> {
    ron_files("lessons")
        .into_iter()
        .map(|p| {
            let lesson = crate::lesson::file::load_lesson(&p)
                .map(Arc::new)
                .map_err(|e| {
                    e.diagnostics
                        .first()
                        .map(ToString::to_string)
                        .unwrap_or_default()
                });
            (p, lesson)
        })
        .collect()
}

/// The start screen: which scenario, who commands.
#[derive(Resource)]
struct StartScreen {
    /// Files offered, with the scenario each holds or its errors.
    files: Vec<(PathBuf, ScenarioFile)>,
    /// The chosen file (index into `files`), or the built-in scenario (`None`).
    chosen: Option<usize>,
    /// Who the people at the screen command.
    seats: Seats,
    /// The seed typed, empty for a fresh one each game.
    seed: String,
    /// The lessons offered, each checked.
    lessons: Vec<(PathBuf, Result<Arc<crate::lesson::Lesson>, String>)>,
}

impl StartScreen {
    fn new(session: &Session, current: &Scenario) -> Self {
        let files: Vec<_> = scenario_files(session.path.as_deref())
            .into_iter()
            .map(|p| {
                let loaded = scenario::load_file(&p).map(Arc::new).map_err(|e| {
                    e.diagnostics
                        .iter()
                        .map(std::string::ToString::to_string)
                        .collect()
                });
                (p, loaded)
            })
            .collect();
        let chosen = session
            .path
            .as_deref()
            .and_then(|c| files.iter().position(|(f, _)| same_file(f, c)));
        let seats = match &session.seats {
            Seats::Side(id) if current.side_index(id).is_none() => {
                Seats::Side(current.sides[0].id.clone())
            }
            c => c.clone(),
        };
        StartScreen {
            files,
            chosen,
            seats,
            seed: session.seed.map(|s| s.to_string()).unwrap_or_default(),
            lessons: lesson_files(),
        }
    }
}

/// The start screen's window: the scenario, who commands, and Start.
#[allow(
    clippy::too_many_arguments,
    reason = "a system: each resource it reads"
)]
fn start_screen(
    mut contexts: EguiContexts,
    mut screen: ResMut<StartScreen>,
    scenario: Res<ScenarioRes>,
    mut session: ResMut<Session>,
    mut watch: ResMut<FileWatch>,
    mut requests: MessageWriter<Request>,
    mut chosen: MessageWriter<LessonChosen>,
) -> Result {
    let current = scenario.0.clone();
    let ctx = contexts.ctx_mut()?;
    let mut start = false;
    let mut give: Option<Arc<crate::lesson::Lesson>> = None;
    let screen = &mut *screen;
    let chosen_scenario: Option<Arc<Scenario>> = match screen.chosen {
        None => Some(current.clone()),
        Some(i) => screen.files[i].1.as_ref().ok().cloned(),
    };
    egui::Window::new("Railhead")
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .default_width(520.0)
        .show(ctx, |ui| {
            ui.heading("A new game");
            ui.label("Scenario");
            let label = |i: Option<usize>| match i {
                None => format!("{} (as loaded)", current.name),
                Some(i) => match &screen.files[i].1 {
                    Ok(s) => format!("{} ({})", s.name, screen.files[i].0.display()),
                    Err(_) => format!("{} (has errors)", screen.files[i].0.display()),
                },
            };
            egui::ComboBox::from_id_salt("scenario_file")
                .width(480.0)
                .selected_text(label(screen.chosen))
                .show_ui(ui, |ui| {
                    if screen.files.is_empty() {
                        ui.selectable_value(&mut screen.chosen, None, label(None));
                    }
                    for i in 0..screen.files.len() {
                        ui.selectable_value(&mut screen.chosen, Some(i), label(Some(i)));
                    }
                });
            match screen.chosen.map(|i| &screen.files[i].1) {
                Some(Err(problems)) => {
                    ui.colored_label(
                        egui::Color32::from_rgb(200, 40, 40),
                        "This file does not validate:",
                    );
                    for p in problems.iter().take(8) {
                        ui.monospace(p);
                    }
                }
                _ => {
                    if let Some(s) = &chosen_scenario {
                        ui.label(format!("{} days. {}", s.turns, s.description.trim()));
                    }
                }
            }
            ui.separator();
            ui.label("You command");
            if let Some(s) = &chosen_scenario {
                for side in &s.sides {
                    ui.radio_value(
                        &mut screen.seats,
                        Seats::Side(side.id.clone()),
                        format!("{} (the AI plays the others)", side.name),
                    );
                }
                if let Seats::Side(id) = &screen.seats
                    && s.side_index(id).is_none()
                {
                    screen.seats = Seats::Side(s.sides[0].id.clone());
                }
            }
            ui.radio_value(
                &mut screen.seats,
                Seats::Hotseat,
                "Every side: two players taking turns at this screen",
            );
            ui.radio_value(
                &mut screen.seats,
                Seats::Watch,
                "Nobody (instructor mode): the AI plays every side a day at a time; step back and forward through the days",
            );
            ui.separator();
            ui.horizontal(|ui| {
                ui.label("Seed of the dice");
                ui.add(egui::TextEdit::singleline(&mut screen.seed).desired_width(160.0))
                    .on_hover_text("Empty: a fresh seed for each game. The same seed and orders give the same game.");
                if screen.seed.trim().parse::<u64>().is_err() && !screen.seed.trim().is_empty() {
                    ui.colored_label(egui::Color32::from_rgb(200, 40, 40), "a whole number, or empty");
                }
            });
            let seed_ok = screen.seed.trim().is_empty() || screen.seed.trim().parse::<u64>().is_ok();
            ui.horizontal(|ui| {
                start = ui
                    .add_enabled(chosen_scenario.is_some() && seed_ok, egui::Button::new("Start"))
                    .clicked();
                ui.label("F1 lists every key once the game has begun.");
            });
            if !screen.lessons.is_empty() {
                ui.separator();
                ui.heading("Or give a lesson");
                ui.label("A guided tour of a game, step by step, with questions and the game's answers (the AI plays every side).");
                for (path, lesson) in &screen.lessons {
                    match lesson {
                        Ok(l) => {
                            let label = format!("Give the lesson: {}", l.title);
                            if super::script::button(ui, &label)
                                .on_hover_text(format!("{}: {}", path.display(), l.summary))
                                .clicked()
                            {
                                give = Some(l.clone());
                            }
                        }
                        Err(e) => {
                            ui.colored_label(egui::Color32::from_rgb(200, 40, 40), e);
                        }
                    }
                }
            }
        });
    if let Some(lesson) = give {
        session.seats = Seats::Watch;
        session.seed = Some(lesson.seed);
        session.path = Some(lesson.scenario_file.clone());
        watch.seen = None;
        requests.write(Request::Start(lesson.scenario.clone()));
        chosen.write(LessonChosen(Some(lesson)));
        return Ok(());
    }
    let Some(s) = chosen_scenario.filter(|_| start) else {
        return Ok(());
    };
    session.seats = screen.seats.clone();
    session.seed = screen.seed.trim().parse().ok();
    if let Some(i) = screen.chosen {
        session.path = Some(screen.files[i].0.clone());
        watch.seen = None;
    }
    // A game of one's own: no lesson's tour steers it.
    chosen.write(LessonChosen(None));
    requests.write(Request::Start(s));
    Ok(())
}

/// Once a game is on, the start screen goes; a start refused says why.
fn follow_the_game(
    mut happened: MessageReader<Happened>,
    mut commands: Commands,
    mut watch: ResMut<FileWatch>,
) {
    for h in happened.read() {
        match h {
            Happened::GameReplaced {
                why: Replaced::DayShown | Replaced::Undone,
                ..
            } => {}
            Happened::GameReplaced { .. } => commands.remove_resource::<StartScreen>(),
            Happened::Refused {
                asked: Asked::Start(_),
                why,
            } => {
                watch.problems = vec![why.clone()];
                watch.note = None;
            }
            _ => {}
        }
    }
}

/// What the watch of the scenario file has found.
#[derive(Resource, Default)]
pub(super) struct FileWatch {
    /// Modification time of the version loaded (or last looked at).
    seen: Option<SystemTime>,
    /// A change seen, waiting one more look for the writing to finish.
    settling: bool,
    /// Seconds until the next look.
    wait: f32,
    /// The file's errors, when its latest version does not validate.
    pub(super) problems: Vec<String>,
    /// A valid new version, waiting for the player's word.
    pub(super) ready: Option<Arc<Scenario>>,
    /// What the last reload did, for the player.
    pub(super) note: Option<String>,
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Looks at the scenario file twice a second; a new version that validates is loaded at
/// once if no day's orders would be lost (before the players' first order), else offered;
/// one that does not validate has its errors shown while the game goes on.
fn watch_file(time: Res<Time>, mut reloading: Reloading) {
    let Some(path) = reloading.session.path.clone() else {
        return;
    };
    let watch = &mut reloading.watch;
    watch.wait -= time.delta_secs();
    if watch.wait > 0.0 {
        return;
    }
    watch.wait = WATCH_SECONDS;
    let Some(now) = modified(&path) else { return };
    match watch.seen {
        None => {
            watch.seen = Some(now);
            return;
        }
        Some(t) if t == now && !watch.settling => return,
        Some(t) if t != now => {
            // Changed: look again next time, when an editor has finished writing.
            watch.seen = Some(now);
            watch.settling = true;
            return;
        }
        _ => watch.settling = false,
    }
    reloading.reload(&path);
}

/// What reloading the scenario file reads and changes.
#[derive(SystemParam)]
struct Reloading<'w> {
    scenario: Res<'w, ScenarioRes>,
    clock: Res<'w, DayCursor>,
    log: Res<'w, OrderLog>,
    command: Res<'w, HighCommand>,
    session: Res<'w, Session>,
    watch: ResMut<'w, FileWatch>,
    screen: Option<ResMut<'w, StartScreen>>,
    requests: MessageWriter<'w, Request>,
}

impl Reloading<'_> {
    /// Loads the scenario file again and acts on what it holds.
    fn reload(&mut self, path: &Path) {
        let file = path.display().to_string();
        match scenario::load_file(path) {
            Err(e) => {
                self.watch.problems = e
                    .diagnostics
                    .iter()
                    .map(std::string::ToString::to_string)
                    .collect();
                self.watch.ready = None;
                self.watch.note = None;
            }
            Ok(new) => {
                let new = Arc::new(new);
                self.watch.problems.clear();
                if *new == *self.scenario.0 {
                    return;
                }
                if let Some(screen) = self.screen.as_mut() {
                    **screen = StartScreen::new(&self.session, &new);
                    self.watch.ready = None;
                } else if self.nothing_to_lose() {
                    self.watch.note = Some(format!("{file} changed on disk and was reloaded."));
                    self.requests.write(Request::Start(new));
                } else {
                    self.watch.ready = Some(new);
                    self.watch.note = None;
                }
            }
        }
    }

    /// Whether restarting would lose nothing a player did: it is still the first day and
    /// no player has given an order.
    fn nothing_to_lose(&self) -> bool {
        let controllers = &self.command.controllers;
        self.clock.turn == 1
            && !self
                .log
                .0
                .iter()
                .any(|o| controllers.get(o.side.0) == Some(&Controller::Human))
    }
}

/// The windows of the file watch: errors in a changed file, a new version to load.
fn reload_windows(
    mut contexts: EguiContexts,
    session: Res<Session>,
    mut watch: ResMut<FileWatch>,
    mut dialogs: ResMut<Dialogs>,
    mut close: MessageReader<CloseDialog>,
    mut requests: MessageWriter<Request>,
) -> Result {
    if close.read().any(|c| c.0 == Dialog::Reload) {
        // Esc: the errors are seen, and the game goes on as it is.
        watch.problems.clear();
        watch.ready = None;
    }
    if !watch.problems.is_empty() || watch.ready.is_some() {
        dialogs.showing(Dialog::Reload);
    }
    let ctx = contexts.ctx_mut()?;
    let file = session
        .path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let mut dismiss_problems = false;
    if !watch.problems.is_empty() {
        egui::Window::new("The scenario file has errors")
            .collapsible(false)
            .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0])
            .show(ctx, |ui| {
                ui.label(format!(
                    "{file} changed on disk and no longer validates. The game goes on with the version loaded before; fix the file and it is looked at again."
                ));
                egui::ScrollArea::vertical().max_height(240.0).show(ui, |ui| {
                    for p in &watch.problems {
                        ui.monospace(p);
                    }
                });
                dismiss_problems = ui.button("Close").clicked();
            });
    }
    if dismiss_problems {
        watch.problems.clear();
    }
    let mut decision = None;
    if watch.ready.is_some() {
        egui::Window::new("The scenario file changed")
            .collapsible(false)
            .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0])
            .show(ctx, |ui| {
                ui.label(format!(
                    "{file} changed on disk. Reloading starts the game again from the first day with the new version."
                ));
                ui.horizontal(|ui| {
                    if ui.button("Reload and start again").clicked() {
                        decision = Some(true);
                    }
                    if ui.button("Keep playing this game").clicked() {
                        decision = Some(false);
                    }
                });
            });
    }
    let mut dismiss_note = false;
    if let Some(note) = &watch.note {
        dismiss_note = notice(ctx, "Reloaded", note, egui::Align2::CENTER_TOP, 60.0);
    }
    if dismiss_note {
        watch.note = None;
    }
    match decision {
        Some(true) => {
            if let Some(new) = watch.ready.take() {
                requests.write(Request::Start(new));
            }
        }
        Some(false) => watch.ready = None,
        None => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bevy::ecs::system::RunSystemOnce;

    use crate::gui::driver::{headless_app, request, waiting};
    use crate::scenario::ids::SideId;

    /// The file watch looks at the file now, and a frame passes.
    fn reload(app: &mut App, path: &Path) {
        let path = path.to_path_buf();
        app.world_mut()
            .run_system_once(move |mut r: Reloading| r.reload(&path))
            .unwrap();
        app.update();
    }

    #[test]
    fn a_command_gives_each_side_its_controller() {
        let s = crate::scenario::load_or_default(None).unwrap();
        let ua = s.side_index("ua").unwrap();
        let ru = s.side_index("ru").unwrap();
        let c = Seats::from_arg("ru").controllers(&s).unwrap();
        assert_eq!(c[ru], Controller::Human);
        assert_ne!(c[ua], Controller::Human);
        let c = Seats::from_arg("hotseat").controllers(&s).unwrap();
        assert!(c.iter().all(|c| *c == Controller::Human));
        let c = Seats::from_arg("none").controllers(&s).unwrap();
        assert!(!c.contains(&Controller::Human));
        let e = Seats::from_arg("xx").controllers(&s).unwrap_err();
        assert!(e.contains("no side `xx`") && e.contains("ua, ru"), "{e}");
    }

    /// A game of the headless window, its scenario read from a temporary file.
    fn game_from_file(name: &str) -> (App, PathBuf) {
        let dir =
            std::env::temp_dir().join(format!("railhead-reload-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("k.ron");
        std::fs::write(&path, crate::scenario::KHARKIV_2022).unwrap();
        let mut app = headless_app(true);
        app.insert_resource(Session {
            path: Some(path.clone()),
            seed: Some(1),
            game_seed: 1,
            ..Session::new(Seats::Side("ua".into()))
        })
        .init_resource::<FileWatch>()
        .add_systems(Update, follow_the_game.in_set(WindowSystems::React));
        request(&mut app, Request::GoOn);
        (app, path)
    }

    fn stock_of_first_depot(app: &App) -> u64 {
        u64::from(app.world().resource::<ScenarioRes>().0.depots[0].stock)
    }

    fn with_first_depot_stock(stock: u64) -> String {
        let s = crate::scenario::load_or_default(None).unwrap();
        let old = format!("stock: {}", s.depots[0].stock);
        let src = crate::scenario::KHARKIV_2022;
        let at = src.find(&format!("\"{}\"", s.depots[0].name)).unwrap();
        let (head, tail) = src.split_at(at);
        format!(
            "{head}{}",
            tail.replacen(&old, &format!("stock: {stock}"), 1)
        )
    }

    #[test]
    fn a_changed_file_reloads_at_once_before_the_first_order() {
        let (mut app, path) = game_from_file("early");
        std::fs::write(&path, with_first_depot_stock(12345)).unwrap();
        reload(&mut app, &path);
        assert_eq!(stock_of_first_depot(&app), 12345);
        assert!(app.world().resource::<FileWatch>().note.is_some());
        assert_eq!(
            waiting(&app),
            Some(SideId(0)),
            "the new game waits for Ukraine's orders"
        );
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }

    #[test]
    fn after_a_day_a_changed_file_waits_for_the_players_word() {
        let (mut app, path) = game_from_file("late");
        request(&mut app, Request::GoOn);
        assert_eq!(app.world().resource::<DayCursor>().turn, 2);
        let before = stock_of_first_depot(&app);
        std::fs::write(&path, with_first_depot_stock(12345)).unwrap();
        reload(&mut app, &path);
        assert_eq!(stock_of_first_depot(&app), before, "not reloaded unasked");
        assert_eq!(app.world().resource::<DayCursor>().turn, 2);
        let ready = app.world_mut().resource_mut::<FileWatch>().ready.take();
        let ready = ready.expect("the new version is offered");
        request(&mut app, Request::Start(ready));
        assert_eq!(stock_of_first_depot(&app), 12345);
        assert_eq!(
            app.world().resource::<DayCursor>().turn,
            1,
            "the new game starts on day 1"
        );
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }

    #[test]
    fn a_broken_file_shows_its_errors_and_the_game_goes_on() {
        let (mut app, path) = game_from_file("broken");
        let before = app.world().resource::<ScenarioRes>().0.clone();
        std::fs::write(
            &path,
            crate::scenario::KHARKIV_2022.replacen("turns: 30", "turns: \"x\"", 1),
        )
        .unwrap();
        reload(&mut app, &path);
        let problems = &app.world().resource::<FileWatch>().problems;
        assert!(
            problems.first().is_some_and(|p| p.contains("k.ron:14:")),
            "{problems:?}"
        );
        assert!(Arc::ptr_eq(
            &before,
            &app.world().resource::<ScenarioRes>().0
        ));
        assert_eq!(waiting(&app), Some(SideId(0)));
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }
}
