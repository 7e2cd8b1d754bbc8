//! A plan grouping goes to the places of its axis: on the made-up synthetic scenario, a
//! point its side holds (claimed from afar, say) is passed only once one of the grouping's
//! own units stands within `AXIS_REACHED_WITHIN` hexes of it, and then stays passed.

use std::path::Path;

use railhead::geo::{Offset, offset_to_hex};
use railhead::rules::ai::{AXIS_REACHED_WITHIN, advance_plans};
use railhead::rules::game::GameState;
use railhead::rules::setup::default_controllers;
use railhead::scenario::ids::UnitId;
use railhead::scenario::{Scenario, load_file};

fn synthetic() -> Scenario {
    load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/synthetic_chain.ron"))
        .unwrap()
}

fn distance(a: Offset, b: Offset) -> u32 {
    offset_to_hex(a).unsigned_distance_to(offset_to_hex(b))
}

#[test]
fn an_axis_point_held_from_afar_is_passed_only_when_a_unit_of_the_grouping_comes_to_it() {
    let s = synthetic();
    let blue = s.side_index("blue").unwrap();
    let mut g = GameState::new(&s, 1, default_controllers(&s));
    let step = 0;
    let grouping = s.plans[step].grouping;
    let point = s.plans[step].axis[0];
    let members: Vec<UnitId> = (0..s.units.len())
        .map(UnitId)
        .filter(|u| s.units[*u].grouping == grouping)
        .collect();
    assert!(!members.is_empty());
    // The point is its side's (claimed by the ground rules, with nobody there yet).
    g.board.control[s.index(point)] = Some(blue);
    assert!(
        members
            .iter()
            .all(|u| distance(g.forces.units[*u].hex(), point) > AXIS_REACHED_WITHIN + 1),
        "the grouping starts away from its axis"
    );
    let advance = |g: &mut GameState| {
        advance_plans(&s, &g.board, &g.forces, &mut g.command, &g.cursor, blue);
        g.command.progress[grouping]
    };
    assert_eq!(
        advance(&mut g),
        Some((step, 0)),
        "held from afar: not passed"
    );

    // A unit of the grouping one hex farther than the rule asks: still not passed.
    let lead = members[0];
    let farther = s
        .neighbours(point)
        .flat_map(|n| s.neighbours(n))
        .find(|h| distance(*h, point) == AXIS_REACHED_WITHIN + 1)
        .unwrap();
    g.forces.place(lead, farther);
    assert_eq!(advance(&mut g), Some((step, 0)), "a unit at {farther}");

    // Within reach of the point: passed.
    let near = s
        .neighbours(point)
        .chain([point])
        .find(|h| distance(*h, point) <= AXIS_REACHED_WITHIN)
        .unwrap();
    g.forces.place(lead, near);
    assert_eq!(advance(&mut g), Some((step, 1)), "a unit at {near}");

    // Once passed it stays passed, though the unit moves on and the point is lost.
    g.forces.place(lead, farther);
    g.board.control[s.index(point)] = None;
    assert_eq!(advance(&mut g), Some((step, 1)));
}

#[test]
fn a_unit_of_another_grouping_at_the_point_does_not_move_the_plan_on() {
    let s = synthetic();
    let blue = s.side_index("blue").unwrap();
    let mut g = GameState::new(&s, 1, default_controllers(&s));
    let grouping = s.plans[0].grouping;
    let point = s.plans[0].axis[0];
    g.board.control[s.index(point)] = Some(blue);
    // A red unit stands on the point: the side's hold and a unit near are both needed, and
    // the unit must be blue's and the grouping's.
    let red = (0..s.units.len())
        .map(UnitId)
        .find(|u| s.units[*u].side != blue)
        .unwrap();
    g.forces.place(red, point);
    advance_plans(&s, &g.board, &g.forces, &mut g.command, &g.cursor, blue);
    assert_eq!(g.command.progress[grouping], Some((0, 0)));
}
