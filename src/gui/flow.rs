//! The flow of a day in the window: the AI's phases run by themselves, a player's phase
//! waits for their orders, a hot-seat game hands the screen over between the sides, play by
//! file sends the game to the other player, and the end brings the summary. The day itself
//! moves through the rules' cursor (`rules::advance`).

use crate::scenario::ids::SideId;
use bevy::prelude::*;
use bevy_egui::input::EguiWantsInput;

use super::animation::{MovesShown, queue_steps};
use super::orders::Selection;
use super::view::{GoOn, PanelRects, PendingOrder, Screen, Sent, Turn, Viewer, ordering};
use crate::rules::Stop;
use crate::rules::events::Chronicle;
use crate::rules::state::{Controller, DayCursor, HighCommand, ScenarioRes, Stage};

pub(super) fn plugin(app: &mut App) {
    app.init_state::<Screen>()
        .add_sub_state::<Turn>()
        .add_message::<GoOn>()
        .init_resource::<PendingOrder>()
        .init_resource::<Viewer>()
        .init_resource::<PanelRects>()
        .init_resource::<Ending>()
        .init_resource::<Sent>()
        .add_systems(Update, (update_viewer, end_phase_on_key))
        .add_systems(
            Update,
            (
                step_through_days.run_if(resource_exists::<super::instructor::Step>),
                go_on,
            )
                .chain(),
        )
        .add_systems(OnEnter(Turn::Over), note_the_end);
}

fn update_viewer(
    command: Res<HighCommand>,
    turn: Option<Res<State<Turn>>>,
    fog: Res<super::instructor::FogView>,
    session: Option<Res<super::session::Session>>,
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
        // Hot seat: each player's view while they give orders, the last one's meanwhile
        // (the hand-over screen hides the map).
        _ => ordering(turn.as_deref()).or(viewer.0),
    };
    if viewer.0 != want {
        viewer.0 = want;
    }
}

fn any_human(world: &World) -> bool {
    world
        .resource::<HighCommand>()
        .controllers
        .contains(&Controller::Human)
}

/// Shows a game at `turn`: the window's states change at once (the transition runs now,
/// not at the next frame), so that what follows in this frame sees them.
pub(super) fn show(world: &mut World, turn: Turn) {
    NextState::set_if_neq(&mut world.resource_mut::<NextState<Screen>>(), Screen::Game);
    world.resource_mut::<NextState<Turn>>().set(turn);
    world.run_schedule(StateTransition);
}

/// The window's turn where the rules' cursor stands (after a load, or a day shown again):
/// the end, a phase of a player at this screen, a phase of the other player of a game by
/// file, or nobody's here.
pub(super) fn turn_at(world: &World) -> Turn {
    let cursor = world.resource::<DayCursor>();
    let controllers = &world.resource::<HighCommand>().controllers;
    match cursor.stage {
        _ if cursor.is_over() => Turn::Over,
        Stage::Phase(side) if controllers.get(side.0) == Some(&Controller::Human) => {
            if super::session::remote_side(world, side).is_some() {
                Turn::Sent
            } else {
                Turn::Orders(side)
            }
        }
        _ => Turn::Watching,
    }
}

/// Forgets the window's part of the last game (selection, moves being shown, the ending,
/// the view), for a new game.
pub(super) fn reset(world: &mut World) {
    world.insert_resource(Selection::default());
    world.insert_resource(PendingOrder::default());
    world.insert_resource(MovesShown::default());
    world.insert_resource(Ending::default());
    world.insert_resource(Sent::default());
    world.insert_resource(Viewer::default());
}

/// Starts the game: with a player, it runs up to their first phase at once; with none, it
/// waits for the first "Play the day".
pub(super) fn advance_to_first_phase(world: &mut World) {
    if any_human(world) {
        advance(world);
    } else {
        let turn = turn_at(world);
        show(world, turn);
    }
}

/// Goes on when asked (once however many times in a frame), if a game is on.
fn go_on(world: &mut World) {
    let asked = world.resource_mut::<Messages<GoOn>>().drain().count() > 0;
    let playing = world
        .get_resource::<State<Screen>>()
        .is_some_and(|s| *s.get() == Screen::Game);
    if asked && playing {
        advance(world);
    }
}

/// Applies the instructor's request to step back a day, or forward (past the newest day,
/// a new one is played).
fn step_through_days(world: &mut World) {
    let Some(step) = world.remove_resource::<super::instructor::Step>() else {
        return;
    };
    match step {
        super::instructor::Step::Back => {
            super::instructor::back(world);
            let turn = turn_at(world);
            show(world, turn);
        }
        super::instructor::Step::Forward => advance(world),
    }
}

/// Runs the day's phases until a player must give orders, the game ends, or (with no
/// player at all) one whole day has been played.
pub(super) fn advance(world: &mut World) {
    super::undo::forget(world);
    let instructor =
        !any_human(world) && world.contains_resource::<super::instructor::DayHistory>();
    if instructor {
        // Watching: a day already played is shown again rather than played anew.
        if super::instructor::forward(world) {
            world.insert_resource(MovesShown::default());
            let turn = turn_at(world);
            show(world, turn);
            return;
        }
    }
    let before = world.resource::<Chronicle>().0.len();
    let turn = world.resource::<DayCursor>().turn;
    advance_phases(world);
    if instructor && world.resource::<DayCursor>().turn > turn {
        super::instructor::day_played(world);
    }
    if world.contains_resource::<MovesShown>() {
        queue_steps(world, before);
    }
}

/// Moves the game on through the rules' day cursor: to the next phase of a player at this
/// screen, or (with nobody playing) to the end of the day.
fn advance_phases(world: &mut World) {
    let s = world.resource::<ScenarioRes>().0.clone();
    let watching = !any_human(world);
    let turn = loop {
        let side = match crate::rules::advance(world) {
            Stop::Over => break Turn::Over,
            // The day ended, or the last day did.
            Stop::DayEnded if watching => break turn_at(world),
            Stop::DayEnded if world.resource::<DayCursor>().is_over() => break Turn::Over,
            Stop::DayEnded => continue,
            Stop::Orders(side) => side,
        };
        if let Some(path) = super::session::remote_side(world, side) {
            // Play by file: the other player's phase; the game goes to them in a file.
            let message = match super::session::save_to(world, &path) {
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
        break if humans > 1 && !super::session::by_file(world) {
            Turn::HandOver(side)
        } else {
            Turn::Orders(side)
        };
    };
    show(world, turn);
}

fn end_phase_on_key(
    keys: Res<ButtonInput<KeyCode>>,
    wants: Res<EguiWantsInput>,
    mut go_on: MessageWriter<GoOn>,
    mut selection: ResMut<Selection>,
) {
    if keys.any_just_pressed([KeyCode::Enter, KeyCode::NumpadEnter])
        && !wants.wants_keyboard_input()
    {
        go_on.write(GoOn);
        *selection = Selection::default();
    }
}

/// The end-of-game summary, made when the last day has been played.
#[derive(Resource, Default)]
pub(super) struct Ending(pub(super) Vec<String>);

fn note_the_end(world: &mut World) {
    let s = world.resource::<ScenarioRes>().0.clone();
    let lines = crate::rules::narrate::summary(&s, world, s.seed);
    world.resource_mut::<Ending>().0 = lines;
}

/// The window's game logic without a window, for tests that need no GPU: the rules and the
/// window's logic plugins, the same as the app's (the flow of the day, orders, undo, the
/// instructor's days), with the input resources a window would provide; the plugins that
/// draw (map, overlays, animation, panels) are left out.
#[cfg(test)]
pub(super) fn headless_app(human: bool) -> App {
    use std::sync::Arc;

    use crate::rules::{RulesPlugin, default_controllers};

    let s = Arc::new(crate::scenario::load_or_default(None).unwrap());
    let mut controllers = default_controllers(&s);
    if human {
        controllers[0] = Controller::Human;
    }
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, bevy::state::app::StatesPlugin))
        .init_resource::<ButtonInput<KeyCode>>()
        .init_resource::<ButtonInput<MouseButton>>()
        .init_resource::<bevy_egui::input::EguiWantsInput>()
        .init_resource::<MovesShown>()
        .insert_resource(ScenarioRes(s))
        .add_plugins(RulesPlugin {
            seed: 1,
            controllers,
        })
        .add_plugins((
            plugin,
            super::orders::plugin,
            super::undo::plugin,
            super::instructor::plugin,
        ));
    let turn = turn_at(app.world());
    show(app.world_mut(), turn);
    app
}

/// The side giving orders at this screen in a test app, if any.
#[cfg(test)]
pub(super) fn waiting(app: &App) -> Option<SideId> {
    ordering(app.world().get_resource::<State<Turn>>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::animation::Step;
    use crate::gui::orders::put_next_to_an_enemy;
    use crate::rules::movement::{self, Threats, allowance, can_end_in};
    use crate::rules::orders::Order;
    use crate::rules::state::{Board, Forces};
    use crate::scenario::ids::UnitId;

    fn app(human: bool) -> App {
        headless_app(human)
    }

    #[test]
    fn the_end_of_the_scenario_brings_its_summary() {
        let mut app = app(false);
        let turns = app.world().resource::<ScenarioRes>().0.turns;
        for _ in 0..turns {
            assert!(
                app.world().resource::<Ending>().0.is_empty(),
                "a summary before the end"
            );
            app.world_mut().write_message(GoOn);
            app.update();
        }
        let ending = &app.world().resource::<Ending>().0;
        assert!(
            ending
                .first()
                .is_some_and(|l| l.starts_with(&format!("Summary: {turns} days"))),
            "{ending:?}"
        );
        assert_eq!(app.world().resource::<State<Turn>>().get(), &Turn::Over);
        // A request after the end plays nothing.
        let events = app.world().resource::<Chronicle>().0.len();
        app.world_mut().write_message(GoOn);
        app.update();
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
            app.world_mut().write_message(GoOn);
            app.update();
            assert_eq!(app.world().resource::<DayCursor>().turn, day);
            assert_eq!(waiting(&app), None);
            assert_eq!(app.world().resource::<State<Turn>>().get(), &Turn::Watching);
        }
    }

    #[test]
    fn a_players_phase_waits_for_orders_and_applies_them_through_the_rules() {
        let mut app = app(true);
        app.world_mut().write_message(GoOn);
        app.update();
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
        app.world_mut().resource_mut::<PendingOrder>().0 = Some(Order::Move {
            unit: UnitId(id),
            to,
        });
        app.update();
        assert_eq!(
            app.world().resource::<Forces>().units[id].hex(),
            to,
            "moved from {from}"
        );
        // A second move of the same unit is refused, with the reason kept for the panel.
        app.world_mut().resource_mut::<PendingOrder>().0 = Some(Order::Move {
            unit: UnitId(id),
            to: from,
        });
        app.update();
        assert!(
            app.world()
                .resource::<Selection>()
                .message
                .as_deref()
                .is_some_and(|m| m.contains("already moved"))
        );
        // Ending the phase lets Russia play and starts the next day, waiting for Ukraine again.
        app.world_mut().write_message(GoOn);
        app.update();
        assert_eq!(app.world().resource::<DayCursor>().turn, 2);
        assert_eq!(waiting(&app), Some(SideId(0)));
    }

    #[test]
    fn a_players_attack_is_shown_on_the_map_with_its_result() {
        let mut app = app(true);
        app.world_mut().write_message(GoOn);
        app.update();
        let (attacker, target) = put_next_to_an_enemy(&mut app);
        app.world_mut().resource_mut::<MovesShown>().steps.clear();
        app.world_mut().resource_mut::<PendingOrder>().0 = Some(Order::Attack {
            attackers: vec![attacker],
            target,
        });
        app.update();
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
