//! Moving a unit by rail: from a station its side holds to another, over lines open to it
//! with room for the unit after the day's supply and earlier rail moves; the unit has
//! moved for the day and the lines lose its weight of capacity until the next day. On the
//! made-up synthetic scenario, with Redland played by a person.

use std::path::Path;
use std::sync::Arc;

use railhead::geo::Offset;
use railhead::rules::check::{rail_destinations, rail_weight};
use railhead::rules::day::Stop;
use railhead::rules::events::GameEvent;
use railhead::rules::orders::Order;
use railhead::rules::simulation::Simulation;
use railhead::rules::state::{Board, Controller, Forces};
use railhead::scenario::ids::UnitId;
use railhead::scenario::{Scenario, load_str};

fn synthetic(edit: impl Fn(String) -> String) -> Arc<Scenario> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/synthetic_chain.ron");
    Arc::new(
        load_str(
            &edit(std::fs::read_to_string(&path).unwrap()),
            "synthetic_chain.ron",
        )
        .unwrap(),
    )
}

/// The hex of the station of that name.
fn station(s: &Scenario, name: &str) -> Offset {
    s.rail_nodes.iter().find(|n| n.name == name).unwrap().hex
}

/// Gives an order and says whether the rules refused it.
fn refused(sim: &mut Simulation, order: Order) -> bool {
    let n = sim.chronicle().len();
    sim.give([order]);
    matches!(sim.chronicle()[n].event, GameEvent::OrderRefused { .. })
}

/// Red's first phase, with the Hollow Guns moved onto the Fort Hollow station.
fn guns_at_fort_hollow(s: &Arc<Scenario>) -> (Simulation, UnitId) {
    let mut sim = Simulation::new(s.clone(), 3, vec![Controller::Idle, Controller::Human]);
    assert_eq!(sim.advance(), Stop::Orders(s.side_index("red").unwrap()));
    let guns = UnitId(
        s.units
            .iter()
            .position(|u| u.name == "Hollow Guns")
            .unwrap(),
    );
    let station = station(s, "Fort Hollow");
    sim.world_mut()
        .resource_mut::<Forces>()
        .place(guns, station);
    (sim, guns)
}

#[test]
fn a_unit_goes_by_rail_to_a_station_its_side_holds_and_uses_the_lines_capacity() {
    // Two days of the guns' supply (600 t): room on the 3,000 t lines beside the day's supply.
    let s = synthetic(|t| {
        t.replace(
            "rules: Rules(depot_reserve_days: 2.0),",
            "rules: Rules(depot_reserve_days: 2.0, rail_move_days: 2.0),",
        )
    });
    let (mut sim, guns) = guns_at_fort_hollow(&s);
    let crossways = station(&s, "Crossways");
    let eastgate = station(&s, "Eastgate");
    let (board, forces) = (
        sim.world().resource::<Board>().clone(),
        sim.world().resource::<Forces>().clone(),
    );
    let places: Vec<_> = rail_destinations(&s, &board, &forces, guns)
        .into_iter()
        .map(|(h, _)| h)
        .collect();
    assert!(
        places.contains(&crossways) && places.contains(&eastgate),
        "{places:?}"
    );
    let weight = rail_weight(&s, &forces.units[guns]);
    let n = sim.chronicle().len();
    sim.give([Order::RailMove {
        unit: guns,
        to: eastgate,
    }]);
    assert!(
        matches!(sim.chronicle()[n].event, GameEvent::UnitMovedByRail { tonnes, .. } if tonnes == weight),
        "{:?}",
        sim.chronicle()[n].event
    );
    let forces = sim.world().resource::<Forces>();
    assert_eq!(forces.units[guns].hex(), eastgate);
    assert!(forces.units[guns].moved);
    let used: u64 = sim.world().resource::<Board>().rail_moves.iter().sum();
    assert_eq!(
        used,
        2 * weight,
        "two lines, Fort Hollow-Crossways-Eastgate"
    );
    // Moved: no second journey today.
    assert!(refused(
        &mut sim,
        Order::RailMove {
            unit: guns,
            to: crossways
        }
    ));
    // The next day the lines are free again.
    while let Stop::DayEnded = sim.advance() {}
    assert!(
        sim.world()
            .resource::<Board>()
            .rail_moves
            .iter()
            .all(|t| *t == 0)
    );
}

#[test]
fn no_room_on_the_line_or_no_station_no_rail_move() {
    // The guns weigh ten days of their supply (3,000 t): more than the lines have left.
    let s = synthetic(|t| t);
    let (mut sim, guns) = guns_at_fort_hollow(&s);
    let crossways = station(&s, "Crossways");
    assert!(refused(
        &mut sim,
        Order::RailMove {
            unit: guns,
            to: crossways
        }
    ));
    // Not at a station.
    let s = synthetic(|t| t);
    let mut sim = Simulation::new(s.clone(), 3, vec![Controller::Idle, Controller::Human]);
    sim.advance();
    let tank = UnitId(
        s.units
            .iter()
            .position(|u| u.name == "Hollow Tank Regiment")
            .unwrap(),
    );
    assert!(refused(
        &mut sim,
        Order::RailMove {
            unit: tank,
            to: crossways
        }
    ));
}
