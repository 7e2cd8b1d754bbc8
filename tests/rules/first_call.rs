//! First call on the trains: a side may give a depot first call, so that when the lines
//! cannot bring every depot what it asks, that depot is served first and the others get
//! what capacity is left. On the Kharkiv network (the only shipped one with several depots
//! behind shared lines) and its Russian depots, asked for more than the sources hold.

use std::sync::Arc;

use railhead::rules::day::Stop;
use railhead::rules::events::GameEvent;
use railhead::rules::orders::Order;
use railhead::rules::simulation::Simulation;
use railhead::rules::state::{Board, Controller};
use railhead::rules::supply::trains::{rail_flow, rail_flow_first};
use railhead::scenario::ids::DepotId;
use railhead::scenario::load_or_default;

#[test]
fn a_depot_with_first_call_gets_what_it_would_alone_and_lines_stay_within_capacity() {
    let s = load_or_default(None).unwrap();
    let ru = s.side_index("ru").unwrap();
    let izium = s
        .depots
        .iter()
        .position(|d| d.name == "Izium depot")
        .unwrap();
    let requests: Vec<u64> = s
        .depots
        .iter()
        .map(|d| if d.side == ru { 10_000 } else { 0 })
        .collect();
    let open = |_: usize| true;
    let alone: Vec<u64> = (0..s.depots.len())
        .map(|d| if d == izium { 10_000 } else { 0 })
        .collect();
    let best_alone = rail_flow(&s, ru, &alone, open).0[izium];
    let mut first = vec![false; s.depots.len()];
    first[izium] = true;
    let (with, links) = rail_flow_first(&s, ru, &requests, &first, open);
    let (without, _) = rail_flow(&s, ru, &requests, open);
    assert_eq!(
        with[izium], best_alone,
        "served first, it gets all it could alone"
    );
    assert!(without[izium] <= with[izium]);
    // The others share what is left: never more in all than the sources hold, and each
    // line within its capacity.
    let supply: u64 = s
        .sources
        .iter()
        .filter(|x| x.side == ru)
        .map(|x| u64::from(x.supply))
        .sum();
    assert!(with.iter().sum::<u64>() <= supply);
    assert!(
        with.iter().sum::<u64>() > with[izium],
        "the others still get some"
    );
    for (l, link) in s.rail_links.iter().enumerate() {
        assert!(
            links[l] <= u64::from(link.capacity),
            "{}: {}",
            link.name,
            links[l]
        );
    }
    // With nobody marked, it is the one maximum flow.
    assert_eq!(
        rail_flow_first(&s, ru, &requests, &[], open),
        rail_flow(&s, ru, &requests, open)
    );
}

#[test]
fn first_call_is_an_order_of_the_depots_side_narrated_and_refused_for_the_enemys() {
    let s = Arc::new(load_or_default(None).unwrap());
    let (ua, ru) = (s.side_index("ua").unwrap(), s.side_index("ru").unwrap());
    let mut sim = Simulation::new(s.clone(), 1, vec![Controller::Plan, Controller::Human]);
    assert_eq!(sim.advance(), Stop::Orders(ru));
    let izium = DepotId(
        s.depots
            .iter()
            .position(|d| d.name == "Izium depot")
            .unwrap(),
    );
    let kharkiv = DepotId(s.depots.iter().position(|d| d.side == ua).unwrap());
    let n = sim.chronicle().len();
    sim.give([Order::FirstCall {
        depot: izium,
        first: true,
    }]);
    assert!(matches!(
        sim.chronicle()[n].event,
        GameEvent::DepotFirstCall { depot, first: true, .. } if depot == izium
    ));
    assert!(sim.world().resource::<Board>().first_call[izium.0]);
    let n = sim.chronicle().len();
    sim.give([Order::FirstCall {
        depot: kharkiv,
        first: true,
    }]);
    assert!(matches!(
        sim.chronicle()[n].event,
        GameEvent::OrderRefused { .. }
    ));
    assert!(!sim.world().resource::<Board>().first_call[kharkiv.0]);
}
