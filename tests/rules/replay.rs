//! The order log and the seed replay the game exactly: feeding the recorded orders to a
//! new game in which nobody decides anything yields the same state, day by day.

use std::sync::Arc;

use railhead::rules::day::Stop;
use railhead::rules::simulation::Simulation;
use railhead::rules::state::{Board, Controller, Depots, Forces};
use railhead::scenario::load_or_default;

#[test]
fn the_order_log_replays_the_game() {
    let s = Arc::new(load_or_default(None).unwrap());
    let mut original = Simulation::new(s.clone(), 5, vec![Controller::Plan, Controller::Ai]);
    let mut states = Vec::new();
    for _ in 0..8 {
        original.play_day();
        let w = original.world();
        states.push((
            w.resource::<Forces>().clone(),
            w.resource::<Board>().clone(),
            w.resource::<Depots>().clone(),
        ));
    }
    let log = original.orders().to_vec();
    assert!(log.len() > 50, "only {} orders were recorded", log.len());

    let mut replay = Simulation::new(s.clone(), 5, vec![Controller::Human, Controller::Human]);
    for (day, expected) in states.iter().enumerate() {
        let turn = day as u32 + 1;
        while let Stop::Orders(side) = replay.advance() {
            let orders: Vec<_> = log
                .iter()
                .filter(|o| o.turn == turn && o.side == side)
                .map(|o| o.order.clone())
                .collect();
            replay.give(orders);
        }
        let w = replay.world();
        assert_eq!(
            w.resource::<Forces>(),
            &expected.0,
            "units differ after day {turn}"
        );
        assert_eq!(
            w.resource::<Board>(),
            &expected.1,
            "the board differs after day {turn}"
        );
        assert_eq!(
            w.resource::<Depots>(),
            &expected.2,
            "depots differ after day {turn}"
        );
    }
}
