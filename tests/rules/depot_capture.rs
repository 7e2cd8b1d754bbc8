//! Depots change hands with their hex, as supply hubs do in Unity of Command II: the side
//! that loses one loses its stock, the captor takes over the depot (with the rules'
//! `captured_stock_share` of the stock) and its units draw from it; a depot with nothing
//! to give (no stock, no trains able to reach it) sends units to the next one. On the
//! made-up chain scenario, with Blue taking Fort Hollow.

use std::path::Path;

use railhead::geo::Offset;
use railhead::rules::events::GameEvent;
use railhead::rules::setup::initial_state;
use railhead::rules::state::{Board, Depots, Forces, SupplyLevel};
use railhead::rules::supply::supply_phase;
use railhead::rules::supply::trace::{Trace, trace};
use railhead::scenario::ids::{DepotId, SideId, UnitId};
use railhead::scenario::{Scenario, load_str};

fn synthetic(rules: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/synthetic_chain.ron");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "rules: Rules(depot_reserve_days: 2.0),",
        &format!("rules: Rules(depot_reserve_days: 2.0{rules}),"),
    );
    load_str(&text, "synthetic_chain.ron").unwrap()
}

fn unit(s: &Scenario, name: &str) -> UnitId {
    UnitId(s.units.iter().position(|u| u.name == name).unwrap())
}

fn depot(s: &Scenario, name: &str) -> DepotId {
    DepotId(s.depots.iter().position(|d| d.name == name).unwrap())
}

/// Blue takes the ground around Fort Hollow, the Hollow grouping gone east to Southport's
/// road, and the Blue tank stands next to the depot.
fn blue_takes_fort_hollow(s: &Scenario) -> (Board, Depots, Forces, Vec<GameEvent>) {
    let (blue, red) = (SideId(0), SideId(1));
    let (_, mut board, mut depots, mut forces) = initial_state(s);
    let hollow = s.depots[depot(s, "Fort Hollow depot").0].hex;
    for col in 6..=10 {
        for row in 5..s.frame.rows {
            board.control[s.index(Offset { col, row })] = Some(blue);
        }
    }
    for (name, col) in [
        ("Hollow Tank Regiment", 13),
        ("Hollow Rifle Regiment", 12),
        ("Hollow Guns", 13),
    ] {
        let u = unit(s, name);
        forces.place(
            u,
            Offset {
                col,
                row: if col == 12 { 8 } else { 9 - u.0 as i32 % 2 },
            },
        );
    }
    let tank = unit(s, "1st Blue Armoured");
    forces.place(
        tank,
        Offset {
            col: hollow.col - 1,
            row: hollow.row,
        },
    );
    let mut events = supply_phase(s, &mut board, &mut depots, &mut forces, blue);
    events.extend(supply_phase(s, &mut board, &mut depots, &mut forces, red));
    (board, depots, forces, events)
}

#[test]
fn a_captured_depot_serves_the_captor_with_its_share_of_the_stock() {
    let s = synthetic(", captured_stock_share: 0.5");
    let (blue, red) = (SideId(0), SideId(1));
    let hollow = depot(&s, "Fort Hollow depot");
    let (board, depots, forces, events) = blue_takes_fort_hollow(&s);
    let taken = events
        .iter()
        .find_map(|e| match e {
            GameEvent::DepotCaptured {
                depot,
                by,
                stock,
                kept,
            } if *depot == hollow => Some((*by, *stock, *kept)),
            _ => None,
        })
        .expect("the depot is captured");
    assert_eq!(taken, (Some(blue), 1800.0, 900.0));
    assert_eq!(depots.owner(&s, hollow.0), blue);
    // The Blue tank beside it draws from it, not from Westbury far behind.
    let tank = unit(&s, "1st Blue Armoured");
    assert_eq!(forces.units[tank].depot, Some(hollow));
    assert_eq!(
        trace(&s, &board, &forces, &depots, tank),
        Trace::Supplied(hollow)
    );
    assert!(depots.0[hollow.0].stock < 900.0, "the tank drew on it");
    // Red's units no longer draw from it; its report is Blue's now.
    for name in [
        "Hollow Tank Regiment",
        "Hollow Rifle Regiment",
        "Hollow Guns",
    ] {
        assert_ne!(forces.units[unit(&s, name)].depot, Some(hollow), "{name}");
    }
    assert!(events.iter().any(|e| matches!(e,
        GameEvent::DepotSupply { depot, side, .. } if *depot == hollow && *side == blue)));
    assert!(!events.iter().any(|e| matches!(e,
        GameEvent::DepotSupply { depot, side, .. } if *depot == hollow && *side == red)));
}

#[test]
fn an_empty_captured_depot_sends_the_captors_units_to_the_next_depot() {
    // By default the stock is lost with the depot, and the lines to it are Red's (the
    // rail wrecked, the lorry road from Red's Southport): it has nothing to give.
    let s = synthetic("");
    let blue = SideId(0);
    let hollow = depot(&s, "Fort Hollow depot");
    let westbury = depot(&s, "Westbury depot");
    let (board, depots, forces, events) = blue_takes_fort_hollow(&s);
    assert!(events.iter().any(|e| matches!(e,
        GameEvent::DepotCaptured { depot, by: Some(b), kept, .. } if *depot == hollow && *b == blue && *kept == 0.0)));
    assert_eq!(depots.owner(&s, hollow.0), blue);
    let tank = unit(&s, "1st Blue Armoured");
    assert_eq!(forces.units[tank].depot, Some(westbury));
    assert_eq!(forces.units[tank].supply, SupplyLevel::Supplied);
    assert_eq!(
        trace(&s, &board, &forces, &depots, tank),
        Trace::Supplied(westbury)
    );
}

#[test]
fn a_depot_retaken_serves_its_first_side_again() {
    let s = synthetic(", captured_stock_share: 0.5");
    let (blue, red) = (SideId(0), SideId(1));
    let hollow = depot(&s, "Fort Hollow depot");
    let (mut board, mut depots, mut forces, _) = blue_takes_fort_hollow(&s);
    let left = depots.0[hollow.0].stock;
    board.control[s.index(s.depots[hollow.0].hex)] = Some(red);
    let events = supply_phase(&s, &mut board, &mut depots, &mut forces, red);
    assert!(events.iter().any(|e| matches!(e,
        GameEvent::DepotCaptured { depot, by: Some(b), stock, kept } if *depot == hollow && *b == red
            && (*stock - left.round()).abs() < 1e-9 && (*kept - (left * 0.5).floor()).abs() < 1e-9)));
    assert_eq!(depots.owner(&s, hollow.0), red);
    assert_eq!(depots.0[hollow.0].taken_by, None);
    assert!(depots.serving(&s, blue).all(|d| d != hollow.0));
}
