//! The rules, as Bevy ECS systems in a plugin that runs without a window. This file is the
//! table of contents of a day; each system lives in the file of its subject.
//!
//! A day (one turn) runs three schedules in this order ([`day`]):
//!
//! 1. [`DayStart`]: reinforcements arrive and units leave on their dates ([`arrivals`]).
//! 2. [`SidePhase`], once per side in the scenario's order:
//!    - its supply, so that what the enemy did today already counts: the trains to the
//!      depots, the last mile to the units, what shortage does to them ([`supply`]);
//!    - its operational AI: which groupings fall back or stand fast, and the posture of
//!      each ([`command`], judging by [`withdrawal`] and [`posture`]);
//!    - its orders: a player's queued orders, then its AI's, moves first, then attacks
//!      ([`command`], [`ai`]), every one carried out by [`execute`]; then the equipment
//!      on ground just taken is captured ([`ground`]) and bridges lost are blown
//!      ([`track`]).
//!
//!    A person commanding the side gives orders after its phase has run
//!    ([`ApplyOrders`]: the orders step alone).
//! 3. [`DayEnd`]: ground changes hands around the units and equipment left on it is
//!    captured ([`ground`]), bridges lost are blown and rail lines wrecked or repaired
//!    ([`track`]), objectives and territory are counted ([`victory`]); the state's hash
//!    is recorded ([`game`]) and the cursor moves to the next day ([`cursor`]).
//!
//! In every schedule, each consequence is a [`events::GameEvent`] message, moved in order
//! into the [`events::Chronicle`] with the sides that learned of it ([`fog`]).
//!
//! The files are in layers, each importing only its own layer and those below
//! (`docs/design.md`; `tests/layers.rs` checks it):
//!
//! - data: the cursor, the state, orders, events and the game state as types;
//! - mechanics: search, [`maxflow`], ground, movement, [`march`], combat, track, supply,
//!   posture, withdrawal, fog, [`check`], arrivals, victory;
//! - orders executed: [`execute`];
//! - commanders: [`ai`], [`command`];
//! - the day: [`setup`] (a new game), [`day`] (its steps), this plugin, [`simulation`] (a
//!   game run headless) and [`narrate`] (its telling).
//!
//! No rule reads the wall clock; the one random number generator is
//! [`state::Dice`], seeded.

pub mod ai;
pub mod arrivals;
pub mod check;
pub mod combat;
pub mod command;
pub mod cursor;
pub mod day;
pub mod events;
pub mod execute;
pub mod fog;
pub mod game;
pub mod ground;
pub mod march;
pub mod maxflow;
pub mod movement;
pub mod narrate;
pub mod orders;
pub mod posture;
pub mod search;
pub mod setup;
pub mod simulation;
pub mod state;
pub mod strikes;
pub mod supply;
pub mod track;
pub mod victory;
pub mod withdrawal;

use bevy::app::{App, Plugin};
use bevy::ecs::schedule::{Schedule, ScheduleLabel};
use bevy::prelude::*;

use day::{ApplyOrders, DayEnd, DayStart, SidePhase};
use events::GameEvent;
use state::{Controller, ScenarioRes};

/// The phases of a day, in order, in every schedule.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub enum TurnSystems {
    /// Reinforcements and departures.
    Arrivals,
    /// Rail and last-mile supply.
    Supply,
    /// Withdrawal decisions.
    OperationalAi,
    /// Orders of the active side.
    Orders,
    /// Control, captures, objectives and territory.
    Consolidation,
    /// Events into the chronicle.
    Record,
}

/// The rules plugin: resources, schedules and systems. Insert a [`ScenarioRes`] first.
pub struct RulesPlugin {
    /// Seed of the dice.
    pub seed: u64,
    /// Controller of each side.
    pub controllers: Vec<Controller>,
}

impl Plugin for RulesPlugin {
    fn build(&self, app: &mut App) {
        let s = app.world().resource::<ScenarioRes>().0.clone();
        setup::new_game(app.world_mut(), s, self.seed, self.controllers.clone());
        app.add_message::<GameEvent>();
        for schedule in [
            DayStart.intern(),
            SidePhase.intern(),
            DayEnd.intern(),
            ApplyOrders.intern(),
        ] {
            app.add_schedule(Schedule::new(schedule))
                .configure_sets(
                    schedule,
                    (
                        TurnSystems::Arrivals,
                        TurnSystems::Supply,
                        TurnSystems::OperationalAi,
                        TurnSystems::Orders,
                        TurnSystems::Consolidation,
                        TurnSystems::Record,
                    )
                        .chain(),
                )
                .add_systems(schedule, fog::record_events.in_set(TurnSystems::Record));
        }
        // A side's orders: its own, then the captures and blown bridges they bring.
        let orders = || {
            (
                command::side_orders,
                ground::capture_caches,
                track::blow_bridges,
            )
                .chain()
                .in_set(TurnSystems::Orders)
        };
        app.add_systems(
            DayStart,
            (arrivals::start_day, strikes::dated_damage)
                .chain()
                .in_set(TurnSystems::Arrivals),
        )
        .add_systems(
            SidePhase,
            (
                supply::run_supply.in_set(TurnSystems::Supply),
                command::operational_ai.in_set(TurnSystems::OperationalAi),
                orders(),
            ),
        )
        .add_systems(ApplyOrders, orders())
        .add_systems(
            DayEnd,
            (
                ground::consolidate_control,
                ground::capture_caches,
                track::blow_bridges,
                track::rail_condition,
                strikes::repair_crossings,
                strikes::build_crossings,
                victory::objectives_and_territory,
            )
                .chain()
                .in_set(TurnSystems::Consolidation),
        )
        .add_systems(
            DayEnd,
            (game::record_state_hash, cursor::advance_clock)
                .chain()
                .after(TurnSystems::Record),
        );
    }
}
