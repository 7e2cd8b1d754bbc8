//! What the rules tests share: a game played headless, with the scenario that names what
//! its events refer to (events hold ids).

use std::sync::Arc;

use railhead::rules::events::Logged;
use railhead::rules::simulation::Simulation;
use railhead::rules::state::Controller;
use railhead::scenario::Scenario;

/// A game's events, with its scenario.
pub struct Game {
    /// The scenario, to name the ids the events hold.
    pub s: Arc<Scenario>,
    /// Every event.
    pub log: Vec<Logged>,
}

impl std::ops::Deref for Game {
    type Target = [Logged];
    fn deref(&self) -> &[Logged] {
        &self.log
    }
}

/// Plays `days` days of a scenario with these commanders.
pub fn play(s: Arc<Scenario>, seed: u64, controllers: Vec<Controller>, days: u32) -> Game {
    let mut sim = Simulation::new(s.clone(), seed, controllers);
    for _ in 0..days {
        sim.play_day();
    }
    Game {
        s,
        log: sim.chronicle().to_vec(),
    }
}

/// The made-up chain scenario (`tests/scenarios/synthetic_chain.ron`).
pub fn chain() -> Scenario {
    railhead::scenario::load_file(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/scenarios/synthetic_chain.ron"),
    )
    .unwrap()
}

/// A unit of a scenario, by name.
pub fn unit(s: &Scenario, name: &str) -> railhead::scenario::ids::UnitId {
    railhead::scenario::ids::UnitId(s.units.iter().position(|u| u.name == name).unwrap())
}
