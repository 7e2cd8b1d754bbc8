//! The day's flow, written once: the schedules of a day and the steps that move the
//! game's [`DayCursor`] on. The command line, the window, saves and replays all drive the game through
//! [`step`], [`advance`], [`play_day`] and [`give`]; none of them knows the order of a
//! day's phases.
//!
//! A day is: its start (arrivals and departures), then each side's phase in the
//! scenario's order (that side's supply, its operational AI, its AI's orders), then its
//! end (control, captures, objectives, territory, the clock). A side commanded by a person
//! gives its orders after its phase has run and before the next step.
//!
//! ```
//! use std::sync::Arc;
//! use railhead::rules::cursor::Stage;
//! use railhead::rules::day::Stop;
//! use railhead::rules::setup::default_controllers;
//! use railhead::rules::simulation::Simulation;
//! use railhead::rules::state::Controller;
//! use railhead::scenario::ids::SideId;
//!
//! let s = Arc::new(railhead::scenario::load_or_default(None).unwrap());
//! let mut controllers = default_controllers(&s);
//! controllers[1] = Controller::Human;
//! let mut sim = Simulation::new(s, 1, controllers);
//! assert_eq!(sim.cursor().stage, Stage::Dawn);
//! // The first side's phase runs by itself; the second side's person is asked for orders.
//! assert_eq!(sim.advance(), Stop::Orders(SideId(1)));
//! assert_eq!(sim.cursor().stage, Stage::Phase(SideId(1)));
//! // With no orders given, going on ends the day.
//! assert_eq!(sim.advance(), Stop::DayEnded);
//! assert_eq!((sim.cursor().turn, sim.cursor().stage), (2, Stage::Dawn));
//! ```

use bevy::ecs::schedule::ScheduleLabel;
use bevy::prelude::*;

use super::cursor::{DayCursor, Stage};
use super::orders::{Order, OrderQueue, Outcome};
use super::state::{Controller, HighCommand, ScenarioRes};
use crate::scenario::ids::SideId;

/// The first schedule of a day: arrivals and departures.
#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
pub struct DayStart;
/// One side's phase: its supply, its operational decisions, its orders.
#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
pub struct SidePhase;
/// The last schedule of a day: control, captures, objectives, territory, the clock.
#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
pub struct DayEnd;
/// Applies the orders a player has queued during their side's phase, and nothing else:
/// the window runs it after each order, so a move shows at once.
#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
pub struct ApplyOrders;

/// Where [`advance`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// A side commanded by a person has had its phase: its orders are awaited. Give them
    /// with [`give`], then advance again.
    Orders(SideId),
    /// The day ended: the cursor is at the next day's dawn, or the game is over.
    DayEnded,
    /// The game was already over; nothing was played.
    Over,
}

/// Runs the next step of the day from where the cursor stands: the day's start and the
/// first side's phase; the next side's phase; or the day's end. Does nothing once the game
/// is over.
pub fn step(world: &mut World) {
    let cursor = *world.resource::<DayCursor>();
    let sides = world.resource::<ScenarioRes>().0.sides.len();
    let next_side = match cursor.stage {
        Stage::Over => return,
        Stage::Dawn => {
            world.run_schedule(DayStart);
            0
        }
        Stage::Phase(side) => side.0 + 1,
    };
    if next_side < sides {
        world.resource_mut::<DayCursor>().stage = Stage::Phase(SideId(next_side));
        world.run_schedule(SidePhase);
    } else {
        // The day's end moves the cursor on (its last system).
        world.run_schedule(DayEnd);
    }
}

/// Steps until a person must give orders or the day ends.
pub fn advance(world: &mut World) -> Stop {
    if world.resource::<DayCursor>().is_over() {
        return Stop::Over;
    }
    loop {
        step(world);
        match world.resource::<DayCursor>().stage {
            Stage::Phase(side)
                if world.resource::<HighCommand>().controllers.get(side.0)
                    == Some(&Controller::Human) =>
            {
                return Stop::Orders(side);
            }
            Stage::Phase(_) => {}
            Stage::Dawn | Stage::Over => return Stop::DayEnded,
        }
    }
}

/// Plays on to the end of the day the cursor stands in (a whole day from its dawn); a
/// person's phase passes with the orders given so far.
pub fn play_day(world: &mut World) {
    while let Stop::Orders(_) = advance(world) {}
}

/// Gives orders for the side whose phase it is: each is checked and, if the rules accept
/// it, applied and recorded; a refusal is recorded as an event with its reason. Returns
/// each order's outcome, in the order given.
pub fn give(world: &mut World, orders: impl IntoIterator<Item = Order>) -> Vec<Outcome> {
    world.resource_mut::<OrderQueue>().waiting.extend(orders);
    world.run_schedule(ApplyOrders);
    std::mem::take(&mut world.resource_mut::<OrderQueue>().outcomes)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::rules::setup::default_controllers;
    use crate::rules::simulation::Simulation;

    #[test]
    fn each_step_runs_the_next_phase_of_the_day_in_the_scenarios_order() {
        let s = Arc::new(crate::scenario::load_or_default(None).unwrap());
        let mut sim = Simulation::new(s.clone(), 1, default_controllers(&s));
        let stages = |sim: &mut Simulation| {
            let mut seen = Vec::new();
            for _ in 0..=s.sides.len() {
                sim.step();
                seen.push((sim.cursor().turn, sim.cursor().stage));
            }
            seen
        };
        assert_eq!(
            stages(&mut sim),
            vec![
                (1, Stage::Phase(SideId(0))),
                (1, Stage::Phase(SideId(1))),
                (2, Stage::Dawn)
            ]
        );
        assert_eq!(sim.cursor().date, s.start_date.succ_opt().unwrap());
        // Every side's phase ran its supply: each side's depots reported once on day 1.
        let reports = sim
            .chronicle()
            .iter()
            .filter(|l| matches!(l.event, crate::rules::events::GameEvent::DepotSupply { .. }))
            .count();
        assert_eq!(reports, s.depots.len());
    }

    #[test]
    fn the_last_days_end_ends_the_game_and_nothing_plays_after_it() {
        let s = Arc::new(crate::scenario::load_or_default(None).unwrap());
        let mut sim = Simulation::new(s.clone(), 1, default_controllers(&s));
        for day in 1..=s.turns {
            assert_eq!(sim.cursor().turn, day);
            assert!(!sim.is_over());
            sim.play_day();
        }
        assert!(sim.is_over());
        assert_eq!(sim.cursor().turn, s.turns + 1);
        let events = sim.chronicle().len();
        assert_eq!(sim.advance(), Stop::Over);
        sim.step();
        sim.play_day();
        assert_eq!(
            sim.chronicle().len(),
            events,
            "a day was played after the end"
        );
    }

    #[test]
    fn a_day_stopped_in_a_persons_phase_finishes_as_a_whole_day_would() {
        let s = Arc::new(crate::scenario::load_or_default(None).unwrap());
        let mut controllers = default_controllers(&s);
        controllers[0] = Controller::Human;
        let mut whole = Simulation::new(s.clone(), 2, controllers.clone());
        whole.play_day();
        let mut halting = Simulation::new(s.clone(), 2, controllers);
        assert_eq!(halting.advance(), Stop::Orders(SideId(0)));
        assert!(halting.cursor().in_day());
        halting.play_day();
        assert_eq!(
            crate::rules::game::state_hash(halting.world()),
            crate::rules::game::state_hash(whole.world())
        );
    }
}
