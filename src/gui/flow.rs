//! The flow of a day in the window: the AI's phases run by themselves, a player's phase
//! waits for their orders, a hot-seat game hands the screen over between the sides, play by
//! file sends the game to the other player, and the end brings the summary. The day itself
//! moves through the rules' cursor (`rules::advance`).

use bevy::prelude::*;
use bevy_egui::input::EguiWantsInput;

use super::animation::{MovesShown, queue_steps};
use super::orders::Selection;
use super::view::{Flow, PanelRects, PendingOrder, Viewer};
use crate::rules::Stop;
use crate::rules::events::Chronicle;
use crate::rules::state::{Controller, DayCursor, HighCommand, ScenarioRes};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Flow>()
        .init_resource::<PendingOrder>()
        .init_resource::<Viewer>()
        .init_resource::<PanelRects>()
        .init_resource::<HandOver>()
        .init_resource::<Ending>()
        .add_systems(Update, (update_viewer, end_phase_on_key))
        .add_systems(
            Update,
            (
                super::instructor::apply_request.run_if(resource_exists::<super::instructor::Step>),
                advance.run_if(|f: Res<Flow>| f.advance_requested && f.started),
            )
                .chain(),
        )
        .add_systems(Update, note_the_end.after(advance));
}

/// In a hot-seat game, the side the screen is being handed over to: the map stays hidden
/// until that player says they are ready.
#[derive(Resource, Default)]
pub(super) struct HandOver(pub(super) Option<usize>);

fn update_viewer(
    command: Res<HighCommand>,
    flow: Res<Flow>,
    handover: Res<HandOver>,
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
    let humans: Vec<usize> = (0..command.controllers.len())
        .filter(|i| command.controllers[*i] == Controller::Human)
        .collect();
    let want = match humans.len() {
        0 => fog.0,
        1 => Some(humans[0]),
        _ if handover.0.is_some() => viewer.0,
        _ => flow.waiting.or(viewer.0),
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

/// Forgets the window's part of the last game (selection, flow, moves being shown, the
/// ending), for a new game.
pub(super) fn reset(world: &mut World) {
    world.insert_resource(Flow::default());
    world.insert_resource(Selection::default());
    world.insert_resource(PendingOrder::default());
    world.insert_resource(MovesShown::default());
    world.insert_resource(HandOver::default());
    world.insert_resource(Ending::default());
    world.insert_resource(Viewer::default());
}

/// Starts the game: with a player, it runs up to their first phase at once; with none, it
/// waits for the first "Play the day".
pub(super) fn advance_to_first_phase(world: &mut World) {
    world.resource_mut::<Flow>().started = true;
    if any_human(world) {
        advance(world);
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
        world.resource_mut::<Flow>().advance_requested = false;
        if super::instructor::forward(world) {
            world.insert_resource(MovesShown::default());
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
    world.resource_mut::<Flow>().advance_requested = false;
    world.resource_mut::<Flow>().waiting = None;
    let s = world.resource::<ScenarioRes>().0.clone();
    let watching = !any_human(world);
    loop {
        let side = match crate::rules::advance(world) {
            Stop::Over => return,
            Stop::DayEnded if watching => return,
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
            world.resource_mut::<Flow>().sent = Some(message);
            return;
        }
        world.resource_mut::<Flow>().waiting = Some(side);
        let humans = world
            .resource::<HighCommand>()
            .controllers
            .iter()
            .filter(|c| **c == Controller::Human)
            .count();
        if humans > 1 && !super::session::by_file(world) {
            world.resource_mut::<HandOver>().0 = Some(side);
        }
        return;
    }
}

fn end_phase_on_key(
    keys: Res<ButtonInput<KeyCode>>,
    wants: Res<EguiWantsInput>,
    mut flow: ResMut<Flow>,
    mut selection: ResMut<Selection>,
) {
    if keys.any_just_pressed([KeyCode::Enter, KeyCode::NumpadEnter])
        && !wants.wants_keyboard_input()
    {
        flow.advance_requested = true;
        *selection = Selection::default();
    }
}

/// The end-of-game summary, once the last day has been played.
#[derive(Resource, Default)]
pub(super) struct Ending(pub(super) Vec<String>);

fn note_the_end(world: &mut World) {
    let s = world.resource::<ScenarioRes>().0.clone();
    if !world.resource::<DayCursor>().is_over() || !world.resource::<Ending>().0.is_empty() {
        return;
    }
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
    app.add_plugins(MinimalPlugins)
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
    app.world_mut().resource_mut::<Flow>().started = true;
    app
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
            app.world_mut().resource_mut::<Flow>().advance_requested = true;
            app.update();
        }
        let ending = &app.world().resource::<Ending>().0;
        assert!(
            ending
                .first()
                .is_some_and(|l| l.starts_with(&format!("Summary: {turns} days"))),
            "{ending:?}"
        );
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
            app.world_mut().resource_mut::<Flow>().advance_requested = true;
            app.update();
            assert_eq!(app.world().resource::<DayCursor>().turn, day);
            assert_eq!(app.world().resource::<Flow>().waiting, None);
        }
    }

    #[test]
    fn a_players_phase_waits_for_orders_and_applies_them_through_the_rules() {
        let mut app = app(true);
        app.world_mut().resource_mut::<Flow>().advance_requested = true;
        app.update();
        assert_eq!(
            app.world().resource::<Flow>().waiting,
            Some(0),
            "Ukraine's phase waits"
        );
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
            let threats = Threats::for_side(&s, forces, 0);
            let r = movement::reach(&s, board, &threats, u, allowance(&s, u));
            (
                *r.cost
                    .keys()
                    .find(|h| **h != u.hex && can_end_in(&s, &threats, u, **h))
                    .unwrap(),
                u.hex,
            )
        };
        app.world_mut().resource_mut::<PendingOrder>().0 = Some(Order::Move {
            unit: UnitId(id),
            to,
        });
        app.update();
        assert_eq!(
            app.world().resource::<Forces>().units[id].hex,
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
        app.world_mut().resource_mut::<Flow>().advance_requested = true;
        app.update();
        assert_eq!(app.world().resource::<DayCursor>().turn, 2);
        assert_eq!(app.world().resource::<Flow>().waiting, Some(0));
    }

    #[test]
    fn a_players_attack_is_shown_on_the_map_with_its_result() {
        let mut app = app(true);
        app.world_mut().resource_mut::<Flow>().advance_requested = true;
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
