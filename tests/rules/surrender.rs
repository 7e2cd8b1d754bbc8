//! A pocket that no depot reaches does not hold out for ever: on the made-up synthetic
//! scenario, a unit cut off behind the enemy's lines surrenders after the rules'
//! `surrender_after_days` days out of supply in a row, and the enemy captures the
//! equipment it leaves once the ground passes to it. Units in supply never do, and
//! `surrender_after_days: 0` turns the rule off.

use std::sync::Arc;

use railhead::rules::events::{GameEvent, Loss};
use railhead::rules::state::{Controller, SupplyLevel};
use railhead::scenario::{Scenario, load_str};

const SYNTHETIC: &str = include_str!("../scenarios/synthetic_chain.ron");

/// The synthetic scenario's text with the junction's guard standing in a corner of
/// Blueland, far from any red depot, and the rule set to `days`.
fn cut_off_text(days: u32) -> String {
    let text = SYNTHETIC
        .replace(
            r#"grouping: "Crossways guard", at: Place("Crossways"),"#,
            r#"grouping: "Crossways guard", at: Hex(0, 9),"#,
        )
        // The corner hex is red's: a pocket left behind the front.
        .replace(
            "\"BBBBBBRRRRRRRR\",\n        ],",
            "\"RBBBBBRRRRRRRR\",\n        ],",
        )
        .replace(
            "rules: Rules(depot_reserve_days: 2.0),",
            &format!("rules: Rules(depot_reserve_days: 2.0, surrender_after_days: {days}),"),
        )
        .replace(
            "strength: 0.3, attack: 1, defence: 1, movement: 8, readiness: 0.4, supply_use: 10)",
            "strength: 0.3, attack: 1, defence: 1, movement: 8, readiness: 0.4, supply_use: 10, equipment: {\"apc\": 12})",
        );
    assert!(
        text.contains("at: Hex(0, 9)")
            && text.contains("\"apc\": 12")
            && text.contains("\"RBBBBBRRRRRRRR\"")
    );
    text
}

fn cut_off(days: u32) -> Arc<Scenario> {
    Arc::new(
        load_str(&cut_off_text(days), "synthetic_cut_off.ron")
            .expect("the edited scenario validates"),
    )
}

fn idle(s: Arc<Scenario>, days: u32) -> crate::common::Game {
    crate::common::play(s, 7, vec![Controller::Idle, Controller::Idle], days)
}

#[test]
fn a_unit_cut_off_surrenders_after_the_days_the_rules_give_and_its_equipment_is_captured() {
    let days = 3;
    let g = idle(cut_off(days), 8);
    let guard =
        g.s.units
            .iter()
            .position(|u| u.name == "Junction guard")
            .unwrap();
    // Out of supply from the first day, and never back in.
    let supply: Vec<(u32, SupplyLevel)> = g
        .iter()
        .filter_map(|l| match &l.event {
            GameEvent::UnitSupplyChanged { unit, to, .. } if unit.0 == guard => Some((l.turn, *to)),
            _ => None,
        })
        .collect();
    assert_eq!(supply, vec![(1, SupplyLevel::OutOfSupply)]);
    let surrendered: Vec<(u32, Loss)> = g
        .iter()
        .filter_map(|l| match &l.event {
            GameEvent::UnitDestroyed { unit, cause } if unit.0 == guard => Some((l.turn, *cause)),
            _ => None,
        })
        .collect();
    assert_eq!(
        surrendered,
        vec![(days, Loss::CutOff)],
        "surrenders once, on the day its days out of supply reach {days}"
    );
    // Its apcs lie where it stood, and Blueland takes them with the ground.
    let captured = g
        .iter()
        .find_map(|l| match &l.event {
            GameEvent::EquipmentCaptured {
                unit, by, items, ..
            } if unit.0 == guard => Some((l.turn, *by, items.get("apc").copied())),
            _ => None,
        })
        .expect("the equipment is captured");
    assert!(captured.0 >= days, "captured on day {}", captured.0);
    assert_eq!(g.s.side(captured.1).id, "blue");
    assert_eq!(captured.2, Some(12));
    // Nobody in supply gave up.
    assert_eq!(
        g.iter()
            .filter(|l| matches!(&l.event, GameEvent::UnitDestroyed { .. }))
            .count(),
        1
    );
}

#[test]
fn a_unit_that_has_only_outrun_its_depot_does_not_surrender() {
    // Fort Hollow's depot reaches no unit: the Hollow grouping starves on its own ground,
    // which still traces to its depot. It weakens but is not cut off.
    let text = cut_off_text(3).replace(
        "stock: 1800, capacity: 20000, range: 10)",
        "stock: 1800, capacity: 20000, range: 1)",
    );
    assert!(text.contains("range: 1)"));
    let short = Arc::new(load_str(&text, "synthetic_short.ron").unwrap());
    let g = idle(short, 8);
    let hollow: Vec<usize> = (0..g.s.units.len())
        .filter(|u| g.s.units[*u].name.starts_with("Hollow"))
        .collect();
    assert_eq!(hollow.len(), 3);
    for u in &hollow {
        assert!(
            g.iter().any(|l| matches!(&l.event,
                GameEvent::UnitSupplyChanged { unit, to: SupplyLevel::OutOfSupply, .. } if unit.0 == *u)),
            "{} starves",
            g.s.units[*u].name
        );
    }
    let lost: Vec<usize> = g
        .iter()
        .filter_map(|l| match &l.event {
            GameEvent::UnitDestroyed { unit, .. } => Some(unit.0),
            _ => None,
        })
        .collect();
    assert!(
        !lost.iter().any(|u| hollow.contains(u)),
        "only the guard, cut off, gives up: {lost:?}"
    );
    assert_eq!(lost.len(), 1);
}

#[test]
fn with_the_rule_off_a_cut_off_unit_holds_out() {
    let g = idle(cut_off(0), 8);
    assert!(
        !g.iter()
            .any(|l| matches!(&l.event, GameEvent::UnitDestroyed { .. })),
        "nobody surrenders with surrender_after_days: 0"
    );
    // And with a longer count than the game, nobody does either.
    let g = idle(cut_off(9), 8);
    assert!(
        !g.iter()
            .any(|l| matches!(&l.event, GameEvent::UnitDestroyed { .. }))
    );
}
