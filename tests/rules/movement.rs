//! Movement costs across hex sides: roads, rivers, bridges (standing or blown), fords; and
//! zones of control that end a move.

use std::path::Path;
use std::sync::Arc;

use railhead::rules::events::GameEvent;
use railhead::rules::movement::{Threats, reach, step_cost};
use railhead::rules::setup::initial_state;
use railhead::rules::simulation::Simulation;
use railhead::rules::state::Controller;
use railhead::scenario::{Scenario, load_file, load_or_default};

fn tiny() -> Scenario {
    load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/tiny_valid.ron"))
        .unwrap()
}

#[test]
fn rivers_cost_extra_except_at_a_standing_bridge() {
    let s = tiny();
    let (_, mut board, _, _) = initial_state(&s);
    let bridged = s
        .river_edges
        .iter()
        .find(|(_, e)| e.crossing.is_some())
        .map(|(k, _)| *k)
        .expect("a bridged river side");
    let open_river = s
        .river_edges
        .iter()
        .find(|(_, e)| e.crossing.is_none())
        .map(|(k, _)| *k)
        .expect("an unbridged river side");
    let terrain = |b| s.terrain_at(b).move_cost;
    let (a, b) = bridged;
    let road = s.road_edges.contains(&bridged);
    let base = if road {
        s.rules.road_move_cost
    } else {
        terrain(b)
    };
    assert_eq!(
        step_cost(&s, &board, a, b),
        Some(base),
        "a standing bridge costs nothing extra"
    );
    board.crossing_intact[0] = false;
    assert_eq!(
        step_cost(&s, &board, a, b),
        Some(base + 4),
        "a blown bridge is a river again"
    );
    let (c, d) = open_river;
    let base = if s.road_edges.contains(&open_river) {
        s.rules.road_move_cost
    } else {
        terrain(d)
    };
    assert_eq!(step_cost(&s, &board, c, d), Some(base + 4));
}

#[test]
fn an_impassable_river_stops_movement_where_there_is_no_crossing() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/tiny_valid.ron"),
    )
    .unwrap();
    let s =
        railhead::scenario::load_str(&text.replace("crossing_cost: 4,", ""), "tiny.ron").unwrap();
    let (_, board, _, _) = initial_state(&s);
    let open_river = s
        .river_edges
        .iter()
        .find(|(_, e)| e.crossing.is_none())
        .map(|(k, _)| *k)
        .unwrap();
    assert_eq!(step_cost(&s, &board, open_river.0, open_river.1), None);
}

#[test]
fn entering_an_enemy_zone_of_control_ends_the_move() {
    let s = load_or_default(None).unwrap();
    let (_, board, _, forces) = initial_state(&s);
    for u in forces.units.iter().filter(|u| u.active()) {
        let threats = Threats::for_side(&s, &forces, u.side);
        let r = reach(&s, &board, &threats, u, 30);
        for (hex, (_, prev)) in &r.cost {
            if *hex != u.hex() && *prev != u.hex() {
                assert!(
                    !threats.enemy_zoc[s.index(*prev)],
                    "{} passes through the zone of control at {prev}",
                    s.units[u.id].name
                );
            }
            assert!(
                !threats.enemy_unit[s.index(*hex)],
                "{} enters enemy-held {hex}",
                s.units[u.id].name
            );
        }
    }
}

#[test]
fn a_side_that_loses_a_bridge_blows_it() {
    let s = Arc::new(load_or_default(None).unwrap());
    let mut sim = Simulation::new(s.clone(), 2022, vec![Controller::Plan, Controller::Ai]);
    for _ in 0..6 {
        sim.play_day();
    }
    let kupiansk = sim.chronicle().iter().find(|l| matches!(&l.event, GameEvent::ObjectiveCaptured { place, .. } if s.place_by_id(*place).name == "Kupiansk")).map(|l| l.turn);
    let blown = sim.chronicle().iter().find(|l| matches!(&l.event, GameEvent::BridgeBlown { crossing, by, .. } if s.crossing(*crossing).name == "Kupiansk bridges" && s.side(*by).id == "ru")).map(|l| l.turn);
    assert!(
        blown.is_some() && blown == kupiansk,
        "bridge blown on {blown:?}, Kupiansk taken on {kupiansk:?}"
    );
}

/// The tiny scenario with its last row open water (a lake along its southern edge).
fn tiny_with_a_lake(extra: &str) -> Result<Scenario, String> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/tiny_valid.ron"),
    )
    .unwrap();
    let text = text
        .replacen(
            "            \"........\",\n        ],\n        control",
            "            \"wwwwwwww\",\n        ],\n        control",
            1,
        )
        .replace(
            "    ],\n    sides:",
            "        TerrainType(id: \"lake\", symbol: 'w', move_cost: 1, defence: 1.0, colour: \"#8fb8de\", water: true),\n    ],\n    sides:",
        )
        .replace("    units: [", &format!("    units: [{extra}"));
    railhead::scenario::load_str(&text, "lake.ron").map_err(|e| format!("{e:?}"))
}

#[test]
fn open_water_is_entered_by_nobody_held_by_nobody_and_claimed_by_nobody() {
    let s = tiny_with_a_lake("").unwrap();
    let (_, board, _, _) = initial_state(&s);
    let shore = railhead::geo::Offset { col: 2, row: 4 };
    let lake = railhead::geo::Offset { col: 2, row: 5 };
    assert!(s.terrain_at(lake).water);
    assert_eq!(
        step_cost(&s, &board, shore, lake),
        None,
        "no step into water"
    );
    assert_eq!(step_cost(&s, &board, lake, shore), None, "nor out of it");
    assert!(
        (0..8).all(|col| board.control[s.index(railhead::geo::Offset { col, row: 5 })].is_none()),
        "the control rows give the lake to sides; water is nobody's"
    );
    // Days of both sides moving along its shore claim none of it.
    let mut sim = Simulation::new(Arc::new(s.clone()), 3, vec![Controller::Ai, Controller::Ai]);
    for _ in 0..5 {
        sim.play_day();
    }
    let after = sim.world().resource::<railhead::rules::state::Board>();
    assert!(
        (0..8).all(|col| after.control[s.index(railhead::geo::Offset { col, row: 5 })].is_none())
    );
}

#[test]
fn a_unit_put_in_open_water_is_an_error_at_its_position() {
    let err = tiny_with_a_lake(
        "\n        Unit(name: \"Swimmers\", side: \"north\", kind: Infantry, size: Battalion, grouping: \"First\", at: Hex(1, 5), strength: 1.0, attack: 2, defence: 2, movement: 8, readiness: 0.8, supply_use: 20),",
    )
    .unwrap_err();
    assert!(err.contains("open water"), "{err}");
}
