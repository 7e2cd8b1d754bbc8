//! Broken rail stays broken: a line whose track the enemy held carries nothing until one
//! side holds all of it and has repaired it; a line over a river whose bank the enemy took
//! needs the bridge's longer repair. On made-up scenarios.

use std::path::Path;

use railhead::rules::events::GameEvent;
use railhead::rules::setup::initial_state;
use railhead::rules::state::Board;
use railhead::rules::supply::supply_phase;
use railhead::rules::track;
use railhead::scenario::ids::{LinkId, SideId};
use railhead::scenario::model::edge_key;
use railhead::scenario::{Scenario, load_file};

fn scenario(name: &str) -> Scenario {
    load_file(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/scenarios")
            .join(name),
    )
    .unwrap()
}

fn link(s: &Scenario, name: &str) -> usize {
    s.rail_links.iter().position(|l| l.name == name).unwrap()
}

fn side(s: &Scenario, id: &str) -> SideId {
    s.side_index(id).unwrap()
}

/// Gives every hex of a link to `side`.
fn hold_link(s: &Scenario, board: &mut Board, l: usize, side: SideId) {
    for h in &s.rail_links[l].hexes {
        board.control[s.index(*h)] = Some(side);
    }
}

fn day_end(s: &Scenario, board: &mut Board) -> Vec<GameEvent> {
    let mut events = Vec::new();
    track::day_end(s, board, &mut events);
    events
}

#[test]
fn a_line_the_enemy_held_carries_nothing_until_its_owner_has_repaired_it() {
    let s = scenario("synthetic_chain.ron");
    let (red, blue) = (side(&s, "red"), side(&s, "blue"));
    let (_, mut board, mut depots, mut forces) = initial_state(&s);
    let l = link(&s, "Eastgate-Crossways");
    assert!(
        track::open_for(&s, &board, red, l),
        "red's line runs at the start"
    );
    let hollow = s
        .depots
        .iter()
        .position(|d| d.name == "Fort Hollow depot")
        .unwrap();
    supply_phase(&s, &mut board, &mut depots, &mut forces, red);
    let open_inflow = depots.0[hollow].inflow;

    // Blue holds one hex of the line for a day, then red has it all again.
    let hex = s.rail_links[l].hexes[1];
    board.control[s.index(hex)] = Some(blue);
    let events = day_end(&s, &mut board);
    assert!(
        events.iter().any(
            |e| matches!(e, GameEvent::RailLinkWrecked { link, operator: Some(o), days }
            if *link == LinkId(l) && *o == red && *days == s.rules.rail_repair_days)
        ),
        "{events:?}"
    );
    hold_link(&s, &mut board, l, red);
    for day in 1..=s.rules.rail_repair_days {
        // While wrecked, the depot gets no more than the lorry route brings.
        assert!(!track::open_for(&s, &board, red, l), "day {day}");
        supply_phase(&s, &mut board, &mut depots, &mut forces, red);
        assert!(
            depots.0[hollow].inflow <= 250.0 && depots.0[hollow].inflow < open_inflow,
            "day {day}: {} of {open_inflow}",
            depots.0[hollow].inflow
        );
        let events = day_end(&s, &mut board);
        let repaired = events.iter().any(|e| {
            matches!(e, GameEvent::RailLinkRepaired { link, by } if *link == LinkId(l) && *by == red)
        });
        assert_eq!(repaired, day == s.rules.rail_repair_days, "day {day}");
    }
    assert!(track::open_for(&s, &board, red, l));
    supply_phase(&s, &mut board, &mut depots, &mut forces, red);
    assert!(depots.0[hollow].inflow > 250.0);
}

#[test]
fn a_captured_line_serves_its_new_owner_only_after_repair_and_repair_waits_for_the_whole_line() {
    let s = scenario("synthetic_chain.ron");
    let (red, blue) = (side(&s, "red"), side(&s, "blue"));
    let (_, mut board, _, _) = initial_state(&s);
    let l = link(&s, "Eastgate-Crossways");
    // Blue holds part of it: wrecked, and no repair while red still holds the rest.
    board.control[s.index(s.rail_links[l].hexes[0])] = Some(blue);
    for _ in 0..10 {
        day_end(&s, &mut board);
    }
    assert!(!track::open_for(&s, &board, red, l));
    assert!(!track::open_for(&s, &board, blue, l));
    // Blue takes it all: its repair starts, and the line is blue's when done.
    hold_link(&s, &mut board, l, blue);
    let mut days = 0;
    while !track::open_for(&s, &board, blue, l) {
        day_end(&s, &mut board);
        days += 1;
        assert!(days <= s.rules.rail_repair_days, "never repaired");
    }
    assert_eq!(days, s.rules.rail_repair_days);
    assert!(
        !track::open_for(&s, &board, red, l),
        "red's trains do not run on it"
    );
}

#[test]
fn a_line_whose_river_bank_the_enemy_takes_needs_the_bridge_rebuilt() {
    let s = scenario("tiny_valid.ron");
    let (north, south) = (side(&s, "north"), side(&s, "south"));
    let (_, mut board, _, _) = initial_state(&s);
    let l = link(&s, "Aster-Bramble");
    // Split by the front at the start: wrecked until one side holds all of it.
    assert!(!track::open_for(&s, &board, north, l));
    hold_link(&s, &mut board, l, north);
    for _ in 0..s.rules.rail_repair_days {
        day_end(&s, &mut board);
    }
    assert!(track::open_for(&s, &board, north, l), "repaired as track");
    // South takes the far bank: the line's bridge goes down with it.
    let bank = s.rail_links[l]
        .hexes
        .windows(2)
        .find(|w| s.river_edges.contains_key(&edge_key(w[0], w[1])))
        .expect("the line crosses the river")[1];
    board.control[s.index(bank)] = Some(south);
    let events = day_end(&s, &mut board);
    let days = events.iter().find_map(|e| match e {
        GameEvent::RailLinkWrecked { link, days, .. } if *link == LinkId(l) => Some(*days),
        _ => None,
    });
    assert_eq!(
        days,
        Some(s.rules.bridge_repair_days.max(s.rules.rail_repair_days))
    );
}

#[test]
fn the_days_of_repair_a_player_is_told_count_down_to_the_day_the_line_runs() {
    let s = scenario("synthetic_chain.ron");
    let (red, blue) = (side(&s, "red"), side(&s, "blue"));
    let (_, mut board, _, _) = initial_state(&s);
    let l = link(&s, "Eastgate-Crossways");
    // Split between the sides: wrecked, and no repair can start.
    let hex = s.rail_links[l].hexes[1];
    board.control[s.index(hex)] = Some(blue);
    day_end(&s, &mut board);
    assert!(board.rail[l].wrecked);
    assert_eq!(track::repair_outlook(&s, &board, l), None);
    // Red's again: the days told on each day are the nights until it runs.
    hold_link(&s, &mut board, l, red);
    let told: Vec<Option<u32>> = (0..s.rules.rail_repair_days)
        .map(|_| {
            let days = track::repair_outlook(&s, &board, l);
            day_end(&s, &mut board);
            days
        })
        .collect();
    let want: Vec<Option<u32>> = (1..=s.rules.rail_repair_days).rev().map(Some).collect();
    assert_eq!(told, want);
    assert!(!board.rail[l].wrecked, "it runs after the last night");
}
