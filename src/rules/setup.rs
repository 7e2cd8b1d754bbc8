//! A new game: the starting state of a scenario (its units where the file puts them, the
//! lines already cut at the start, each rail line's condition), the dice seeded, and who
//! commands each side unless told otherwise.

use std::sync::Arc;

use bevy::ecs::message::Messages;
use bevy::prelude::*;

use super::cursor::DayCursor;
use super::events::{Chronicle, GameEvent};
use super::game::{GameState, StateHashes};
use super::orders::{OrderLog, OrderQueue};
use super::state::{
    Board, Controller, DepotState, Depots, Dice, Fed, Feeding, Forces, HighCommand, Posture,
    ScenarioRes, Territory, UnitState, status_at_start,
};
use crate::scenario::Scenario;
use crate::scenario::ids::UnitId;

impl GameState {
    /// The state of a new game of `scenario`: its starting positions, the dice seeded, no
    /// events, orders or hashes yet.
    pub fn new(scenario: &Scenario, seed: u64, controllers: Vec<Controller>) -> Self {
        let (cursor, board, depots, forces) = initial_state(scenario);
        let groupings = scenario.groupings.len();
        GameState {
            cursor,
            board,
            depots,
            forces,
            command: HighCommand {
                controllers,
                withdrawals: vec![None; groupings],
                progress: vec![None; groupings],
                posture: vec![Posture::default(); groupings],
                line: vec![0; groupings],
            },
            dice: Dice::new(seed),
            territory: Territory(vec![0.0; scenario.sides.len()]),
            chronicle: Chronicle::default(),
            orders: OrderLog::default(),
            hashes: StateHashes::default(),
            feeding: Feeding(vec![Fed::default(); scenario.depots.len()]),
        }
    }
}

/// Sets up a new game of `scenario` in a world (the scenario, its initial state, the dice,
/// an empty chronicle and order log), replacing any game already there. The window uses
/// this to start over on a reloaded or newly chosen scenario without a new app.
pub fn new_game(
    world: &mut World,
    scenario: Arc<Scenario>,
    seed: u64,
    controllers: Vec<Controller>,
) {
    GameState::new(&scenario, seed, controllers).insert(world);
    world.insert_resource(ScenarioRes(scenario));
    world.insert_resource(OrderQueue::default());
    if let Some(mut pending) = world.get_resource_mut::<Messages<GameEvent>>() {
        pending.clear();
    }
}

/// The controllers a side gets unless told otherwise: `Plan` for sides whose scenario has
/// a plan, `Ai` for the others.
pub fn default_controllers(s: &Scenario) -> Vec<Controller> {
    s.side_ids()
        .map(|i| {
            if s.has_plan(i) {
                Controller::Plan
            } else {
                Controller::Ai
            }
        })
        .collect()
}

/// Builds the starting state of a scenario's board, depots and forces.
pub fn initial_state(s: &Scenario) -> (DayCursor, Board, Depots, Forces) {
    let units = s
        .units
        .iter()
        .enumerate()
        .map(|(id, u)| UnitState::at_start(UnitId(id), u, status_at_start(s, u)))
        .collect();
    let board = Board {
        control: s.control.clone(),
        link_cut_by: vec![vec![None; s.rail_links.len()]; s.sides.len()],
        cut_at_start: vec![vec![false; s.rail_links.len()]; s.sides.len()],
        link_flow: vec![vec![0; s.rail_links.len()]; s.sides.len()],
        first_call: vec![false; s.depots.len()],
        rail_moves: vec![0; s.rail_links.len()],
        crossing_intact: s.crossings.iter().map(|c| c.intact).collect(),
        crossed: Vec::new(),
        crossing_units: Vec::new(),
        crossing_damage: Vec::new(),
        strikes_used: Vec::new(),
        building: Vec::new(),
        crossing_holder: s.crossings.iter().map(|c| s.control_at(c.hex)).collect(),
        caches: Vec::new(),
        objective_holder: s
            .objectives
            .iter()
            .map(|o| s.control_at(s.places[o.place].hex))
            .collect(),
        rail: Vec::new(),
    };
    let depots = Depots(
        s.depots
            .iter()
            .map(|d| DepotState {
                stock: f64::from(d.stock),
                inflow: 0.0,
                nominal_inflow: 0.0,
                demand: 0.0,
                capacity_now: 0.0,
                capacity_open: 0.0,
                capacity_outlook: None,
                active: s.control_at(d.hex) == Some(d.side),
                taken_by: None,
            })
            .collect(),
    );
    let clock = DayCursor::start(s);
    let forces = Forces::new(units);
    let mut board = board;
    board.rail = super::track::initial(s, &board);
    // Links already cut at the start are cut silently: only changes are news.
    for side in s.side_ids() {
        let threats = super::movement::Threats::for_side(s, &forces, side);
        for l in 0..s.rail_links.len() {
            board.link_cut_by[side][l] =
                super::supply::trains::link_cutter(s, &board, &threats, side, l, &forces);
            board.cut_at_start[side][l] = board.link_cut_by[side][l].is_some();
        }
    }
    (clock, board, depots, forces)
}
