//! A game driven headless: the command line, the reports and the tests play through
//! this. It owns an app with the rules; the day's flow is [`super::day`]'s.

use std::sync::Arc;

use bevy::prelude::*;

use super::RulesPlugin;
use super::cursor::DayCursor;
use super::day::{Stop, advance, give, play_day, step};
use super::events::{Chronicle, Logged};
use super::game::Unhashed;
use super::orders::{LoggedOrder, Order, OrderLog, Outcome};
use super::state::{Controller, ScenarioRes};
use crate::scenario::Scenario;

/// A game driven headless, with the app that runs it.
pub struct Simulation {
    app: App,
}

impl Simulation {
    /// A new game of a scenario with a seed and a controller for each side.
    pub fn new(scenario: Arc<Scenario>, seed: u64, controllers: Vec<Controller>) -> Self {
        let mut app = App::new();
        app.add_plugins(MinimalPlugins)
            .insert_resource(ScenarioRes(scenario))
            .add_plugins(RulesPlugin { seed, controllers });
        app.finish();
        app.cleanup();
        Simulation { app }
    }

    /// A new game that will not be saved nor replayed: the same game as [`Simulation::new`]
    /// gives, without a hash of the state at each day's end ([`Unhashed`]).
    pub fn unhashed(scenario: Arc<Scenario>, seed: u64, controllers: Vec<Controller>) -> Self {
        let mut sim = Simulation::new(scenario, seed, controllers);
        sim.app.world_mut().insert_resource(Unhashed);
        sim
    }

    /// The scenario.
    pub fn scenario(&self) -> Arc<Scenario> {
        self.app.world().resource::<ScenarioRes>().0.clone()
    }

    /// The world, to read any resource.
    pub fn world(&self) -> &World {
        self.app.world()
    }

    /// The world, to change it as the tests must.
    pub fn world_mut(&mut self) -> &mut World {
        self.app.world_mut()
    }

    /// Runs the next step of the day ([`step`]).
    pub fn step(&mut self) {
        step(self.app.world_mut());
    }

    /// Steps until a person must give orders or the day ends ([`advance`]).
    pub fn advance(&mut self) -> Stop {
        advance(self.app.world_mut())
    }

    /// Plays on to the end of the day ([`play_day`]).
    pub fn play_day(&mut self) {
        play_day(self.app.world_mut());
    }

    /// Gives orders for the side whose phase it is, and says what became of each
    /// ([`give`]).
    pub fn give(&mut self, orders: impl IntoIterator<Item = Order>) -> Vec<Outcome> {
        give(self.app.world_mut(), orders)
    }

    /// Where the game stands.
    pub fn cursor(&self) -> &DayCursor {
        self.app.world().resource::<DayCursor>()
    }

    /// Whether every turn has been played.
    pub fn is_over(&self) -> bool {
        self.cursor().is_over()
    }

    /// Every event so far.
    pub fn chronicle(&self) -> &[Logged] {
        &self.app.world().resource::<Chronicle>().0
    }

    /// Every order so far.
    pub fn orders(&self) -> &[LoggedOrder] {
        &self.app.world().resource::<OrderLog>().0
    }
}
