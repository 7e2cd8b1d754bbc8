//! The verdict at the end: the first of the scenario's levels of victory whose every
//! condition holds, else its `otherwise`; on the made-up synthetic chain.

use std::sync::Arc;

use railhead::rules::narrate::summary;
use railhead::rules::setup::{default_controllers, initial_state};
use railhead::rules::simulation::Simulation;
use railhead::rules::state::Territory;
use railhead::rules::victory::verdict;
use railhead::scenario::{Scenario, load_str};

const LEVELS: &str = r#"
    victory: Victory(
        side: "blue",
        levels: [
            Level(name: "Blue triumph", holds: ["Crossways", "Fort Hollow"]),
            Level(name: "Blue takes the junction", holds: ["Crossways"], km2_at_least: 10),
        ],
        otherwise: "Red holds",
        history: "Blue took the junction",
    ),
)"#;

fn scenario() -> Scenario {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scenarios/synthetic_chain.ron"
    ))
    .unwrap();
    let text = text.trim_end().strip_suffix(')').unwrap().to_string() + LEVELS;
    load_str(&text, "synthetic_chain.ron").unwrap()
}

#[test]
fn the_verdict_is_the_first_level_that_holds() {
    let s = scenario();
    let blue = s.side_index("blue").unwrap();
    let (_, mut board, _, _) = initial_state(&s);
    let none = Territory(vec![0.0; s.sides.len()]);
    assert_eq!(verdict(&s, &board, &none), Some("Red holds"));
    let crossways = s.index(s.place("Crossways").unwrap().hex);
    board.control[crossways] = Some(blue);
    // The junction, but not the territory the second level asks.
    assert_eq!(verdict(&s, &board, &none), Some("Red holds"));
    let some = Territory(vec![25.0, 0.0]);
    assert_eq!(verdict(&s, &board, &some), Some("Blue takes the junction"));
    let hollow = s.index(s.place("Fort Hollow").unwrap().hex);
    board.control[hollow] = Some(blue);
    assert_eq!(verdict(&s, &board, &none), Some("Blue triumph"));
}

#[test]
fn the_end_summary_gives_the_verdict_beside_history_and_a_scenario_without_levels_none() {
    let s = Arc::new(scenario());
    let mut sim = Simulation::new(s.clone(), 7, default_controllers(&s));
    while !sim.is_over() {
        sim.play_day();
    }
    let lines = summary(&s, sim.world(), 7);
    let expected = verdict(
        &s,
        sim.world().resource(),
        sim.world().resource::<Territory>(),
    )
    .unwrap();
    assert_eq!(lines[1], format!("  Verdict: {expected}."));
    assert_eq!(lines[2], "  History: Blue took the junction.");
    let plain = railhead::scenario::load_file(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scenarios/synthetic_chain.ron"
    )))
    .unwrap();
    let (_, board, _, _) = initial_state(&plain);
    assert_eq!(verdict(&plain, &board, &Territory(vec![0.0, 0.0])), None);
}
