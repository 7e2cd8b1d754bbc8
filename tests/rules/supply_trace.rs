//! A unit's supply, explained: the trace the supply phase makes and, where it fails, why
//! (a depot out of range, the hex where the way breaks and what stands there, a depot
//! that is short, no depot at all), and the help page that explains supply with the
//! scenario's own numbers. On the made-up synthetic scenario.

use std::path::Path;

use railhead::geo::Offset;
use railhead::rules::setup::initial_state;
use railhead::rules::state::SupplyLevel;
use railhead::rules::supply::supply_phase;
use railhead::rules::supply::trace::{Break, Trace, trace};
use railhead::scenario::ids::{DepotId, UnitId};
use railhead::scenario::{Scenario, load_str};

fn synthetic(edit: impl Fn(String) -> String) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/synthetic_chain.ron");
    load_str(
        &edit(std::fs::read_to_string(&path).unwrap()),
        "synthetic_chain.ron",
    )
    .unwrap()
}

fn unit(s: &Scenario, name: &str) -> UnitId {
    UnitId(s.units.iter().position(|u| u.name == name).unwrap())
}

fn depot(s: &Scenario, name: &str) -> DepotId {
    DepotId(s.depots.iter().position(|d| d.name == name).unwrap())
}

#[test]
fn a_supplied_unit_names_its_depot_and_a_short_one_its_depots_figures() {
    let s = synthetic(|t| t);
    let (blue, red) = (s.side_index("blue").unwrap(), s.side_index("red").unwrap());
    let (_, mut board, mut depots, mut forces) = initial_state(&s);
    supply_phase(&s, &mut board, &mut depots, &mut forces, blue);
    let tank = unit(&s, "1st Blue Armoured");
    let westbury = depot(&s, "Westbury depot");
    assert_eq!(
        trace(&s, &board, &forces, &depots, tank),
        Trace::Supplied(westbury)
    );
    assert!(
        trace(&s, &board, &forces, &depots, tank)
            .describe(&s)
            .contains("Westbury depot")
    );
    // Blue holds the junction: Fort Hollow lives on the lorry route and its stock.
    let crossways = s.places.iter().find(|p| p.name == "Crossways").unwrap().hex;
    board.control[s.index(crossways)] = Some(blue);
    let hollow = depot(&s, "Fort Hollow depot");
    depots.0[hollow].stock = 0.0;
    supply_phase(&s, &mut board, &mut depots, &mut forces, red);
    let guns = unit(&s, "Hollow Guns");
    assert_ne!(forces.units[guns].supply, SupplyLevel::Supplied);
    match trace(&s, &board, &forces, &depots, guns) {
        Trace::DepotShort {
            depot,
            inflow,
            demand,
            ..
        } => {
            assert_eq!(depot, hollow);
            assert!(inflow < demand, "{inflow} < {demand}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_depot_too_far_is_named_with_its_distance_and_range() {
    let s = synthetic(|t| t.replace("capacity: 20000, range: 30)", "capacity: 20000, range: 3)"));
    let blue = s.side_index("blue").unwrap();
    let (_, mut board, mut depots, mut forces) = initial_state(&s);
    supply_phase(&s, &mut board, &mut depots, &mut forces, blue);
    let tank = unit(&s, "1st Blue Armoured");
    assert_eq!(forces.units[tank].depot, None);
    match trace(&s, &board, &forces, &depots, tank) {
        Trace::OutOfRange {
            depot: d,
            cost,
            range,
        } => {
            assert_eq!(d, depot(&s, "Westbury depot"));
            assert_eq!(range, 3);
            assert!(cost > range);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_depot_in_range_with_nothing_to_give_is_not_called_out_of_range() {
    // Blue takes Fort Hollow's depot with nothing in it (none of the stock is kept) and
    // its line from Crossways still Red's: it reaches a Blue tank beside it, well within
    // range, and has nothing to give; Westbury's is too far. The message must not say the
    // tank is out of a range it is in.
    let s = synthetic(|t| {
        t.replace("capacity: 20000, range: 30)", "capacity: 20000, range: 3)")
            .replace(
                "rules: Rules(depot_reserve_days: 2.0)",
                "rules: Rules(depot_reserve_days: 2.0, captured_stock_share: 0.0)",
            )
    });
    let blue = s.side_index("blue").unwrap();
    let (_, mut board, mut depots, mut forces) = initial_state(&s);
    let hollow = depot(&s, "Fort Hollow depot");
    let at = s.depots[hollow.0].hex;
    board.control[s.index(at)] = Some(blue);
    for u in forces.units.clone() {
        if u.side != blue {
            forces.set_status(u.id, railhead::rules::state::UnitStatus::Destroyed);
        }
    }
    let tank = unit(&s, "1st Blue Armoured");
    let beside = s.neighbours(at).next().unwrap();
    board.control[s.index(beside)] = Some(blue);
    forces.place(tank, beside);
    supply_phase(&s, &mut board, &mut depots, &mut forces, blue);
    assert_eq!(depots.owner(&s, hollow.0), blue);
    assert_eq!(forces.units[tank].depot, None, "nothing to give");
    let why = trace(&s, &board, &forces, &depots, tank);
    match &why {
        Trace::DepotEmpty { depot: d, cost } => {
            assert_eq!(*d, hollow);
            assert!(*cost <= s.depots[hollow.0].range);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        why.describe(&s).contains("nothing to give"),
        "{}",
        why.describe(&s)
    );
}

#[test]
fn a_broken_trace_names_the_hex_where_it_breaks_and_why() {
    let s = synthetic(|t| t);
    let (blue, red) = (s.side_index("blue").unwrap(), s.side_index("red").unwrap());
    let (_, mut board, mut depots, mut forces) = initial_state(&s);
    // Red ground across the whole map at column 3: the tank, at column 4, is cut off.
    for row in 0..s.frame.rows {
        board.control[s.index(Offset { col: 3, row })] = Some(red);
    }
    supply_phase(&s, &mut board, &mut depots, &mut forces, blue);
    let tank = unit(&s, "1st Blue Armoured");
    assert_eq!(forces.units[tank].depot, None);
    match trace(&s, &board, &forces, &depots, tank) {
        Trace::Broken { depot: d, at, why } => {
            assert_eq!(d, depot(&s, "Westbury depot"));
            assert_eq!(at.col, 3, "breaks at the wall: {at}");
            assert_eq!(why, Break::EnemyGround);
        }
        other => panic!("{other:?}"),
    }
    // With no depot left, it says so.
    depots.0[depot(&s, "Westbury depot").0].active = false;
    assert_eq!(trace(&s, &board, &forces, &depots, tank), Trace::NoDepot);
}

/// The help page as one text.
fn page(s: &Scenario) -> String {
    railhead::rules::narrate::how_it_works(s)
        .into_iter()
        .flat_map(|(title, lines)| std::iter::once(title).chain(lines))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_help_page_uses_the_scenarios_own_numbers() {
    let s = synthetic(|t| t);
    let text = page(&s);
    assert!(
        text.contains("(7 days for track, 21 for a bridge)"),
        "{text}"
    );
    assert!(text.contains("Crossways 10"), "{text}");
    let changed = synthetic(|t| {
        t.replace(
            "rules: Rules(depot_reserve_days: 2.0),",
            "rules: Rules(depot_reserve_days: 2.0, rail_repair_days: 9, supplied_share: 0.8),",
        )
    });
    let text = page(&changed);
    assert!(text.contains("(9 days for track"), "{text}");
    assert!(text.contains("at least 80% of its need"), "{text}");
    // Combat: the standard table's dice, and guns only from next to the target.
    let text = page(&s);
    assert!(text.contains("2:1 5 in 6"), "{text}");
    assert!(text.contains("guns too, attacks from next to"), "{text}");
    let changed = synthetic(|t| {
        t.replace(
            "rules: Rules(depot_reserve_days: 2.0),",
            "rules: Rules(depot_reserve_days: 2.0, artillery_range: 3),",
        )
    });
    let text = page(&changed);
    assert!(text.contains("from up to 3 hexes away"), "{text}");
}

#[test]
fn the_supply_reach_is_the_last_mile_s_own() {
    let s = synthetic(|t| t.replace("capacity: 20000, range: 30)", "capacity: 20000, range: 8)"));
    let blue = s.side_index("blue").unwrap();
    let (_, mut board, mut depots, mut forces) = initial_state(&s);
    for side in s.side_ids() {
        supply_phase(&s, &mut board, &mut depots, &mut forces, side);
    }
    let reach = railhead::rules::supply::last_mile::supply_reach(&s, &board, &forces, &depots);
    let westbury = depot(&s, "Westbury depot");
    // Every unit with a depot stands where the reach names that depot; every unit
    // without one stands where nothing reaches.
    for u in forces.units.iter().filter(|u| u.active()) {
        assert_eq!(
            reach[s.index(u.hex())].map(|r| r.0),
            u.depot,
            "{}",
            s.units[u.id].name
        );
    }
    // Westbury's reach ends within its range, on blue ground only.
    let covered: Vec<_> = s
        .hexes()
        .filter(|h| reach[s.index(*h)].is_some_and(|r| r.0 == westbury))
        .collect();
    assert!(covered.len() > 5);
    assert!(
        covered
            .iter()
            .all(|h| board.control[s.index(*h)] == Some(blue))
    );
    assert!(
        s.hexes()
            .any(|h| board.control[s.index(h)] == Some(blue) && reach[s.index(h)].is_none()),
        "some blue ground lies beyond range 8"
    );
}
