//! A player can order a grouping back, as the operational AI does: the order is said, the
//! grouping's units move toward its fallback line at once (leaving what they cannot
//! carry), only the order is logged, and a replay of the log makes the same moves. On the
//! made-up synthetic scenario, with Redland played by a person.

use std::path::Path;
use std::sync::Arc;

use railhead::geo::offset_to_hex;
use railhead::rules::day::Stop;
use railhead::rules::events::GameEvent;
use railhead::rules::game::state_hash;
use railhead::rules::orders::Order;
use railhead::rules::simulation::Simulation;
use railhead::rules::state::{Controller, Forces};
use railhead::scenario::ids::GroupingId;
use railhead::scenario::{Scenario, load_file};

fn synthetic() -> Arc<Scenario> {
    Arc::new(
        load_file(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/synthetic_chain.ron"),
        )
        .unwrap(),
    )
}

/// Blue on its plan, Red a person: the game stopped at Red's first phase.
fn at_reds_orders(s: &Arc<Scenario>) -> Simulation {
    let mut sim = Simulation::new(s.clone(), 5, vec![Controller::Plan, Controller::Human]);
    let red = s.side_index("red").unwrap();
    assert_eq!(sim.advance(), Stop::Orders(red));
    sim
}

/// Each unit's distance in hexes to the nearest hex of the grouping's first line.
fn distances(s: &Scenario, forces: &Forces, g: GroupingId) -> Vec<u32> {
    let line = s.grouping(g).line(0);
    forces
        .units
        .iter()
        .filter(|u| u.active() && u.grouping == g)
        .map(|u| {
            line.iter()
                .map(|h| offset_to_hex(*h).unsigned_distance_to(offset_to_hex(u.hex())))
                .min()
                .unwrap()
        })
        .collect()
}

#[test]
fn a_players_withdrawal_is_said_carried_out_logged_once_and_replayed_the_same() {
    let s = synthetic();
    let hollow = GroupingId(
        s.groupings
            .iter()
            .position(|g| g.name == "Hollow grouping")
            .unwrap(),
    );
    let mut sim = at_reds_orders(&s);
    let before = distances(&s, sim.world().resource::<Forces>(), hollow);
    let (events_before, orders_before) = (sim.chronicle().len(), sim.orders().len());
    sim.give([Order::Withdraw { grouping: hollow }]);
    let events: Vec<_> = sim.chronicle()[events_before..]
        .iter()
        .map(|l| l.event.clone())
        .collect();
    assert!(
        events.iter().any(|e| matches!(e, GameEvent::WithdrawalOrdered { grouping, reasons, .. } if *grouping == hollow && reasons.is_empty())),
        "{events:?}"
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, GameEvent::UnitMoved { .. }))
    );
    let after = distances(&s, sim.world().resource::<Forces>(), hollow);
    assert!(
        after.iter().sum::<u32>() < before.iter().sum::<u32>(),
        "closer to the line: {before:?} -> {after:?}"
    );
    assert!(
        sim.world()
            .resource::<Forces>()
            .units
            .iter()
            .filter(|u| u.active() && u.grouping == hollow)
            .all(|u| u.moved),
        "every unit of the grouping has moved or held"
    );
    let logged: Vec<_> = sim.orders()[orders_before..]
        .iter()
        .map(|o| o.order.clone())
        .collect();
    assert_eq!(logged, vec![Order::Withdraw { grouping: hollow }]);
    // The log given again to a new game makes the same moves.
    let mut again = at_reds_orders(&s);
    again.give(logged);
    assert_eq!(state_hash(again.world()), state_hash(sim.world()));
    // Not one's own grouping: refused, nothing moves.
    let guard = GroupingId(
        s.groupings
            .iter()
            .position(|g| g.side != s.groupings[hollow.0].side)
            .unwrap(),
    );
    let hash = state_hash(sim.world());
    let n = sim.chronicle().len();
    sim.give([Order::Withdraw { grouping: guard }]);
    assert!(matches!(
        sim.chronicle()[n].event,
        GameEvent::OrderRefused { .. }
    ));
    assert_eq!(state_hash(sim.world()), hash);
}
