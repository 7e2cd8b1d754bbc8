//! The driver: the one system that changes the game in the window. It drains the
//! window's [`Request`]s in the order they were made, carries each out through the rules
//! (`rules::day`: the AI's phases run by themselves, a player's phase waits for their
//! orders), saves and loads, and says what it did as [`Happened`] messages, to which the
//! rest of the window reacts. It also keeps the window's [`Turn`] where the rules' cursor
//! stands: a hot-seat game hands the screen over between the sides, play by file sends the
//! game to the other player, and the end brings the summary.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bevy::prelude::*;

use super::instructor::{DayHistory, FogView};
use super::messages::{Asked, Happened, Loaded, Replaced, Request, WindowSystems};
use super::session::{Seats, Session};
use super::undo::UndoHistory;
use super::view::{
    CentreOn, CloseDialog, Dialogs, PanelRects, Screen, Sent, Turn, Viewer, ordering, turn_the_page,
};
use crate::rules::cursor::{DayCursor, Stage};
use crate::rules::day::{Stop, advance, give};
use crate::rules::events::Chronicle;
use crate::rules::game::GameState;
use crate::rules::orders::{Order, Outcome};
use crate::rules::setup::new_game;
use crate::rules::state::{Controller, HighCommand, ScenarioRes};
use crate::save::{self, Save};
use crate::scenario::Scenario;
use crate::scenario::ids::SideId;

pub(super) fn plugin(app: &mut App) {
    app.init_state::<Screen>()
        .add_sub_state::<Turn>()
        .add_message::<Request>()
        .add_message::<Happened>()
        .configure_sets(
            Update,
            (
                WindowSystems::RecordInput,
                WindowSystems::Drive,
                WindowSystems::React,
                WindowSystems::Update,
            )
                .chain(),
        )
        .init_resource::<Viewer>()
        .init_resource::<PanelRects>()
        .init_resource::<Ending>()
        .init_resource::<Sent>()
        .init_resource::<Dialogs>()
        .add_message::<CloseDialog>()
        .add_message::<CentreOn>()
        .add_systems(Last, turn_the_page)
        .add_systems(
            Update,
            ((drive, update_viewer).chain().in_set(WindowSystems::Drive),),
        )
        .add_systems(OnEnter(Turn::Over), note_the_end);
}

/// Carries out every request made since it last ran, in order.
fn drive(world: &mut World) {
    let requests: Vec<Request> = world.resource_mut::<Messages<Request>>().drain().collect();
    for r in requests {
        carry_out(world, r);
    }
}

/// Carries out one request.
fn carry_out(world: &mut World, request: Request) {
    let playing = world
        .get_resource::<State<Screen>>()
        .is_some_and(|s| *s.get() == Screen::Game);
    let ordering = ordering(world.get_resource::<State<Turn>>()).is_some();
    let watching = playing && !any_human(world);
    match request {
        Request::GoOn if playing => go_on(world),
        Request::DayBack if watching => day_back(world),
        Request::DayForward if watching => go_on(world),
        Request::Give(order) if ordering => give_order(world, order, false),
        Request::Undo if ordering => undo(world),
        Request::Redo if ordering => redo(world),
        Request::Save(path) if playing => {
            let result = save_to(world, &path);
            world.write_message(Happened::Saved { path, result });
        }
        Request::Load(path) => match save::load(&path) {
            Ok((saved, sim)) => install(
                world,
                Loaded {
                    scenario: sim.scenario(),
                    state: GameState::take(sim.world()),
                    save: saved,
                    days: None,
                    path: path.clone(),
                },
                Replaced::Loaded(path),
            ),
            Err(e) => refused(world, Asked::Load(path), e.to_string()),
        },
        Request::Watch(path) => {
            let mut days = Vec::new();
            match save::load_with(&path, &mut |w| days.push(GameState::take(w))) {
                Ok((saved, sim)) => {
                    let loaded = Loaded {
                        scenario: sim.scenario(),
                        state: GameState::take(sim.world()),
                        save: saved,
                        days: Some(days),
                        path,
                    };
                    install(world, loaded, Replaced::Resumed);
                }
                Err(e) => refused(world, Asked::Load(path), e.to_string()),
            }
        }
        Request::Resume(loaded) => install(world, *loaded, Replaced::Resumed),
        Request::Start(scenario) => start(world, scenario),
        // Asked when it cannot be done (no game yet, nobody's orders): nothing to do.
        Request::GoOn
        | Request::DayBack
        | Request::DayForward
        | Request::Give(_)
        | Request::Undo
        | Request::Redo
        | Request::Save(_) => {}
    }
}

/// A seed no game before has had: from the operating system's randomness (the hasher
/// keys every process draws) and the clock. Only a new game in the window draws one; the
/// rules' dice are seeded from it like from any other.
fn fresh_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    h.write_u128(now);
    h.finish()
}

fn refused(world: &mut World, asked: Asked, why: String) {
    error!("{asked:?}: {why}");
    world.write_message(Happened::Refused { asked, why });
}

fn any_human(world: &World) -> bool {
    world
        .resource::<HighCommand>()
        .controllers
        .contains(&Controller::Human)
}

/// The state in the world, to be kept in an announcement.
fn snapshot(world: &World) -> Arc<GameState> {
    Arc::new(GameState::take(world))
}

/// Shows a game at `turn`: the window's states change at once (the transition runs now,
/// not at the next frame), so that what follows in this frame sees them.
fn show(world: &mut World, turn: Turn) {
    NextState::set_if_neq(&mut world.resource_mut::<NextState<Screen>>(), Screen::Game);
    world.resource_mut::<NextState<Turn>>().set(turn);
    world.run_schedule(StateTransition);
}

/// The window's turn where the rules' cursor stands (after a load, or a day shown again):
/// the end, a phase of a player at this screen, a phase of the other player of a game by
/// file, or nobody's here.
fn turn_at(world: &World) -> Turn {
    let cursor = world.resource::<DayCursor>();
    let controllers = &world.resource::<HighCommand>().controllers;
    match cursor.stage {
        _ if cursor.is_over() => Turn::Over,
        Stage::Phase(side) if controllers.get(side.0) == Some(&Controller::Human) => {
            if remote_side(world, side).is_some() {
                Turn::Sent
            } else {
                Turn::Orders(side)
            }
        }
        _ => Turn::Watching,
    }
}

/// Play by file: the file to send when `side` is played by someone elsewhere.
fn remote_side(world: &World, side: SideId) -> Option<PathBuf> {
    let (local, path) = world.get_resource::<Session>()?.by_file.clone()?;
    (side != local).then_some(path)
}

/// Saves the game in the window to `path`.
fn save_to(world: &World, path: &Path) -> Result<(), String> {
    let session = world.resource::<Session>();
    Save::of(world, session.path.as_deref(), session.game_seed)
        .and_then(|s| s.write(path))
        .map_err(|e| e.to_string())
}

/// Forgets the driver's part of the last game (the ending, the message of a game sent,
/// the view), for another.
fn forget_the_last_game(world: &mut World) {
    world.insert_resource(Ending::default());
    world.insert_resource(Sent::default());
    world.insert_resource(Viewer::default());
}

/// Starts a new game of `scenario` for the session's command, in place: the rules' state
/// and (through the changed scenario) the map. With a player, runs up to their first
/// phase.
fn start(world: &mut World, scenario: Arc<Scenario>) {
    let session = world.resource::<Session>().clone();
    let controllers = match session.seats.controllers(&scenario) {
        Ok(c) => c,
        Err(e) => return refused(world, Asked::Start(scenario.name.clone()), e),
    };
    let seed = session.seed.unwrap_or_else(fresh_seed);
    world.resource_mut::<Session>().game_seed = seed;
    new_game(world, scenario, seed, controllers);
    forget_the_last_game(world);
    let state = snapshot(world);
    world.write_message(Happened::GameReplaced {
        why: Replaced::Started,
        state,
    });
    advance_to_first_phase(world);
}

/// Puts a game read from a save in place: where it stood, or (its days given) from its
/// first day to watch. The session takes the save's scenario, seed and commanders.
fn install(world: &mut World, loaded: Loaded, why: Replaced) {
    let Loaded {
        path,
        save,
        scenario,
        state,
        days,
    } = loaded;
    world.insert_resource(ScenarioRes(scenario.clone()));
    {
        let mut session = world.resource_mut::<Session>();
        session.path = save.scenario.file.as_ref().map(PathBuf::from);
        session.game_seed = save.seed;
        let humans: Vec<SideId> = (0..save.controllers.len())
            .map(SideId)
            .filter(|i| save.controllers[*i] == Controller::Human)
            .collect();
        session.seats = match (humans.as_slice(), &days) {
            (_, Some(_)) | ([], None) => Seats::Watch,
            ([one], None) => Seats::Side(scenario.sides[*one].id.clone()),
            (_, None) => Seats::Hotseat,
        };
        if humans.len() < 2 || days.is_some() {
            session.by_file = None;
        }
    }
    forget_the_last_game(world);
    if let Some(days) = days {
        // Watching: the commanders of the days kept become the AI's (`Idle` for the
        // players), so that the window watches rather than waits for orders.
        let days: Vec<Arc<GameState>> = days
            .into_iter()
            .map(|mut d| {
                for c in &mut d.command.controllers {
                    if *c == Controller::Human {
                        *c = Controller::Idle;
                    }
                }
                Arc::new(d)
            })
            .collect();
        let Some(first) = days.first().cloned() else {
            return refused(world, Asked::Load(path), "the save holds no day".into());
        };
        first.restore(world);
        world.write_message(Happened::GameReplaced {
            why: Replaced::Watched(days),
            state: first,
        });
        let turn = turn_at(world);
        show(world, turn);
        return;
    }
    state.insert(world);
    let state = snapshot(world);
    world.write_message(Happened::GameReplaced { why, state });
    match turn_at(world) {
        Turn::Sent => {
            let side = match save.position.stage {
                Stage::Phase(side) => side,
                _ => SideId(0),
            };
            world.insert_resource(Sent(format!(
                "This file waits for the {} player's orders: send it to them, or load their answer when it comes.",
                scenario.sides[side].name
            )));
            show(world, Turn::Sent);
        }
        turn @ Turn::Orders(_) => show(world, turn),
        _ => advance_to_first_phase(world),
    }
}

/// Starts the game: with a player, it runs up to their first phase at once; with none, it
/// waits for the first "Play the day".
fn advance_to_first_phase(world: &mut World) {
    if any_human(world) {
        run_phases(world);
    } else {
        let turn = turn_at(world);
        show(world, turn);
    }
}

/// Goes on: in instructor mode a day already played is shown again rather than played
/// anew; otherwise the phases run.
fn go_on(world: &mut World) {
    if !any_human(world)
        && let Some(state) = world
            .get_resource_mut::<DayHistory>()
            .and_then(|mut h| h.forward())
    {
        show_day(world, state);
        return;
    }
    run_phases(world);
}

/// Instructor mode: shows the day before the one shown.
fn day_back(world: &mut World) {
    if let Some(state) = world
        .get_resource_mut::<DayHistory>()
        .and_then(|mut h| h.back())
    {
        show_day(world, state);
    }
}

/// Instructor mode: puts a day already played in the window, and says so.
fn show_day(world: &mut World, state: Arc<GameState>) {
    state.restore(world);
    let turn = turn_at(world);
    show(world, turn);
    world.write_message(Happened::GameReplaced {
        why: Replaced::DayShown,
        state,
    });
}

/// Runs the day's phases until a player must give orders, the game ends, or (with no
/// player at all) one whole day has been played; says what they brought.
fn run_phases(world: &mut World) {
    let before = world.resource::<Chronicle>().0.len();
    let watching = !any_human(world);
    let mut days_ended = Vec::new();
    let turn = loop {
        let stop = advance(world);
        if stop == Stop::DayEnded {
            days_ended.push(snapshot(world));
        }
        let side = match stop {
            Stop::Over => break Turn::Over,
            // The day ended, or the last day did.
            Stop::DayEnded if watching => break turn_at(world),
            Stop::DayEnded if world.resource::<DayCursor>().is_over() => break Turn::Over,
            Stop::DayEnded => continue,
            Stop::Orders(side) => side,
        };
        if let Some(path) = remote_side(world, side) {
            // Play by file: the other player's phase; the game goes to them in a file.
            let s = world.resource::<ScenarioRes>().0.clone();
            let message = match save_to(world, &path) {
                Ok(()) => format!(
                    "Your phase is done. Send {} to the {} player: they continue with\n  railhead play --load {} --side {}",
                    path.display(),
                    s.sides[side].name,
                    path.display(),
                    s.sides[side].id
                ),
                Err(e) => format!("The game could not be saved for the other player: {e}"),
            };
            world.insert_resource(Sent(message));
            break Turn::Sent;
        }
        let humans = world
            .resource::<HighCommand>()
            .controllers
            .iter()
            .filter(|c| **c == Controller::Human)
            .count();
        let by_file = world
            .get_resource::<Session>()
            .is_some_and(|s| s.by_file.is_some());
        break if humans > 1 && !by_file {
            Turn::HandOver(side)
        } else {
            Turn::Orders(side)
        };
    };
    show(world, turn);
    let events = world.resource::<Chronicle>().0[before..].to_vec();
    world.write_message(Happened::PhasesRun {
        events,
        days_ended,
        watching,
    });
}

/// Gives an order for the side at the screen, and says what became of it.
fn give_order(world: &mut World, order: Order, redo: bool) {
    let before = snapshot(world);
    let from = world.resource::<Chronicle>().0.len();
    let outcome: Outcome = give(world, [order.clone()]).pop().unwrap_or(Ok(()));
    let events = world.resource::<Chronicle>().0[from..].to_vec();
    world.write_message(Happened::OrderGiven {
        order,
        outcome,
        before,
        redo,
        events,
    });
}

/// Takes back the last order of this phase.
fn undo(world: &mut World) {
    let Some(state) = world.resource_mut::<UndoHistory>().take_last() else {
        return;
    };
    state.restore(world);
    world.write_message(Happened::GameReplaced {
        why: Replaced::Undone,
        state,
    });
}

/// Gives the last order taken back again.
fn redo(world: &mut World) {
    if let Some(order) = world.resource_mut::<UndoHistory>().take_undone() {
        give_order(world, order, true);
    }
}

/// Whose view the window shows: the player's at this screen (in a hot-seat game, the one
/// giving orders, the last one's meanwhile: the hand-over screen hides the map), or in
/// instructor mode the fog view chosen.
fn update_viewer(
    command: Res<HighCommand>,
    turn: Option<Res<State<Turn>>>,
    fog: Res<FogView>,
    session: Option<Res<Session>>,
    mut viewer: ResMut<Viewer>,
) {
    if let Some((local, _)) = session.as_ref().and_then(|s| s.by_file.clone()) {
        if viewer.0 != Some(local) {
            viewer.0 = Some(local);
        }
        return;
    }
    let humans: Vec<SideId> = (0..command.controllers.len())
        .map(SideId)
        .filter(|i| command.controllers[*i] == Controller::Human)
        .collect();
    let want = match humans.len() {
        0 => fog.0,
        1 => Some(humans[0]),
        _ => ordering(turn.as_deref()).or(viewer.0),
    };
    if viewer.0 != want {
        viewer.0 = want;
    }
}

/// The end-of-game summary, made when the last day has been played, and whether the
/// player has closed it (the top bar opens it again).
#[derive(Resource, Default)]
pub(super) struct Ending {
    /// The summary's lines.
    pub(super) lines: Vec<String>,
    /// Closed by the player.
    pub(super) closed: bool,
}

fn note_the_end(world: &mut World) {
    let s = world.resource::<ScenarioRes>().0.clone();
    let seed = world
        .get_resource::<Session>()
        .map_or(s.seed, |session| session.game_seed);
    let lines = crate::rules::narrate::summary(&s, world, seed);
    world.insert_resource(Ending {
        lines,
        closed: false,
    });
}

/// The window's game logic without a window, for tests that need no GPU: the rules and the
/// window's logic plugins, the same as the app's (the driver, orders, undo, the
/// instructor's days, what the moves shown follow), with the input resources a window
/// would provide and a session of the built-in scenario; the plugins that draw (map,
/// overlays, animation, panels) are left out.
#[cfg(test)]
pub(super) fn headless_app(human: bool) -> App {
    use crate::rules::RulesPlugin;
    use crate::rules::setup::default_controllers;

    let s = Arc::new(crate::scenario::load_or_default(None).unwrap());
    let mut controllers = default_controllers(&s);
    if human {
        controllers[0] = Controller::Human;
    }
    let seats = if human {
        Seats::Side(s.sides[0].id.clone())
    } else {
        Seats::Watch
    };
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, bevy::state::app::StatesPlugin))
        .init_resource::<ButtonInput<KeyCode>>()
        .init_resource::<ButtonInput<MouseButton>>()
        .init_resource::<bevy_egui::input::EguiWantsInput>()
        .insert_resource(ScenarioRes(s))
        .insert_resource(Session {
            seed: Some(1),
            game_seed: 1,
            ..Session::new(seats)
        })
        .add_plugins(RulesPlugin {
            seed: 1,
            controllers,
        })
        .add_plugins((
            plugin,
            super::orders::plugin,
            super::undo::plugin,
            super::instructor::plugin,
            super::animation::queue_plugin,
        ));
    let turn = turn_at(app.world());
    show(app.world_mut(), turn);
    let state = snapshot(app.world());
    app.world_mut().write_message(Happened::GameReplaced {
        why: Replaced::Started,
        state,
    });
    app
}

/// A test app with a player at Ukraine's orders on day 1.
#[cfg(test)]
pub(super) fn at_the_players_orders() -> App {
    let mut app = headless_app(true);
    request(&mut app, Request::GoOn);
    app
}

/// Asks the driver of a test app for something, and lets a frame pass.
#[cfg(test)]
pub(super) fn request(app: &mut App, r: Request) {
    app.world_mut().write_message(r);
    app.update();
}

/// A move the named unit can make now (the farthest hex it can end in, by its order), and
/// where it is.
#[cfg(test)]
pub(super) fn a_move(app: &App, name: &str) -> (crate::scenario::ids::UnitId, crate::geo::Offset) {
    use crate::rules::movement::{self, Threats, allowance, can_end_in};
    use crate::rules::state::{Board, Forces};
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

/// The side giving orders at this screen in a test app, if any.
#[cfg(test)]
pub(super) fn waiting(app: &App) -> Option<SideId> {
    ordering(app.world().get_resource::<State<Turn>>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::animation::{MovesShown, Step};
    use crate::gui::orders::{Selection, put_next_to_an_enemy};
    use crate::rules::movement::{self, Threats, allowance, can_end_in};
    use crate::rules::orders::Order;
    use crate::rules::state::{Board, Forces};
    use crate::scenario::ids::UnitId;

    fn app(human: bool) -> App {
        headless_app(human)
    }

    #[test]
    fn a_new_game_draws_a_fresh_seed_unless_one_is_asked_for() {
        let mut app = app(true);
        let s = app.world().resource::<ScenarioRes>().0.clone();
        app.world_mut().resource_mut::<Session>().seed = None;
        let mut seeds = Vec::new();
        for _ in 0..3 {
            request(&mut app, Request::Start(s.clone()));
            seeds.push(app.world().resource::<Session>().game_seed);
        }
        seeds.dedup();
        assert_eq!(seeds.len(), 3, "the same seed twice: {seeds:?}");
        // Asked for one, every new game has it, and is the game of that seed.
        app.world_mut().resource_mut::<Session>().seed = Some(7);
        request(&mut app, Request::Start(s.clone()));
        assert_eq!(app.world().resource::<Session>().game_seed, 7);
        let mut controllers = crate::rules::setup::default_controllers(&s);
        controllers[0] = Controller::Human;
        let mut sim = crate::rules::simulation::Simulation::new(s.clone(), 7, controllers);
        assert_eq!(sim.advance(), Stop::Orders(SideId(0)));
        assert_eq!(
            crate::rules::game::state_hash(app.world()),
            crate::rules::game::state_hash(sim.world())
        );
    }

    #[test]
    fn the_end_of_the_scenario_brings_its_summary() {
        let mut app = app(false);
        let turns = app.world().resource::<ScenarioRes>().0.turns;
        for _ in 0..turns {
            assert!(
                app.world().resource::<Ending>().lines.is_empty(),
                "a summary before the end"
            );
            request(&mut app, Request::GoOn);
        }
        let ending = &app.world().resource::<Ending>().lines;
        assert!(
            ending
                .first()
                .is_some_and(|l| l.starts_with(&format!("Summary: {turns} days"))),
            "{ending:?}"
        );
        assert_eq!(app.world().resource::<State<Turn>>().get(), &Turn::Over);
        // A request after the end plays nothing.
        let events = app.world().resource::<Chronicle>().0.len();
        request(&mut app, Request::GoOn);
        assert_eq!(app.world().resource::<Chronicle>().0.len(), events);
    }

    #[test]
    fn with_nobody_playing_each_request_plays_one_day() {
        let mut app = app(false);
        app.update();
        assert_eq!(
            app.world().resource::<DayCursor>().turn,
            1,
            "no day is played unasked"
        );
        for day in 2..=3 {
            request(&mut app, Request::GoOn);
            assert_eq!(app.world().resource::<DayCursor>().turn, day);
            assert_eq!(waiting(&app), None);
            assert_eq!(app.world().resource::<State<Turn>>().get(), &Turn::Watching);
        }
    }

    #[test]
    fn a_players_phase_waits_for_orders_and_applies_them_through_the_rules() {
        let mut app = app(true);
        request(&mut app, Request::GoOn);
        assert_eq!(waiting(&app), Some(SideId(0)), "Ukraine's phase waits");
        assert_eq!(app.world().resource::<DayCursor>().turn, 1);
        // Move the 92nd one hex along its reach.
        let s = app.world().resource::<ScenarioRes>().0.clone();
        let id = s
            .units
            .iter()
            .position(|u| u.name == "92nd Mechanized Brigade")
            .unwrap();
        let (to, from) = {
            let forces = app.world().resource::<Forces>();
            let board = app.world().resource::<Board>();
            let u = &forces.units[id];
            let threats = Threats::for_side(&s, forces, SideId(0));
            let r = movement::reach(&s, board, &threats, u, allowance(&s, u));
            (
                *r.cost
                    .keys()
                    .find(|h| **h != u.hex() && can_end_in(&s, &threats, u, **h))
                    .unwrap(),
                u.hex(),
            )
        };
        request(
            &mut app,
            Request::Give(Order::Move {
                unit: UnitId(id),
                to,
            }),
        );
        assert_eq!(
            app.world().resource::<Forces>().units[id].hex(),
            to,
            "moved from {from}"
        );
        // A second move of the same unit is refused, with the reason kept for the panel.
        request(
            &mut app,
            Request::Give(Order::Move {
                unit: UnitId(id),
                to: from,
            }),
        );
        assert!(
            app.world()
                .resource::<Selection>()
                .message
                .as_deref()
                .is_some_and(|m| m.contains("already moved"))
        );
        // Ending the phase lets Russia play and starts the next day, waiting for Ukraine again.
        request(&mut app, Request::GoOn);
        assert_eq!(app.world().resource::<DayCursor>().turn, 2);
        assert_eq!(waiting(&app), Some(SideId(0)));
    }

    #[test]
    fn a_players_attack_is_shown_on_the_map_with_its_result() {
        let mut app = app(true);
        request(&mut app, Request::GoOn);
        let (attacker, target) = put_next_to_an_enemy(&mut app);
        app.world_mut().resource_mut::<MovesShown>().steps.clear();
        request(
            &mut app,
            Request::Give(Order::Attack {
                attackers: vec![attacker],
                target,
            }),
        );
        let shown = app.world().resource::<MovesShown>();
        match shown.current() {
            Some(Step::Combat {
                target: t, result, ..
            }) => {
                assert_eq!(*t, target);
                assert!(result.contains("to 1, die"), "{result}");
            }
            other => panic!("no combat shown: {other:?}"),
        }
    }
}
