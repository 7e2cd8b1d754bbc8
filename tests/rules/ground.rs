//! Who holds the ground, on the made-up synthetic scenario: contested enemy ground is slow
//! going, ground passes to a side as its units arrive (and not before), and a pocket cut
//! off from its side's supply passes to the side around it.

use std::path::Path;

use railhead::geo::{Offset, offset_to_hex};
use railhead::rules::events::GameEvent;
use railhead::rules::game::GameState;
use railhead::rules::ground;
use railhead::rules::movement::{Threats, allowance, reach, step_cost};
use railhead::rules::setup::{default_controllers, initial_state};
use railhead::rules::state::{Board, Forces};
use railhead::scenario::ids::{SideId, UnitId};
use railhead::scenario::{Scenario, load_file};

fn synthetic() -> Scenario {
    load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/synthetic_chain.ron"))
        .unwrap()
}

fn unit(s: &Scenario, name: &str) -> UnitId {
    UnitId(s.units.iter().position(|u| u.name == name).unwrap())
}

fn distance(a: Offset, b: Offset) -> u32 {
    offset_to_hex(a).unsigned_distance_to(offset_to_hex(b))
}

/// The distance from a hex to the nearest active unit of a side.
fn nearest(s: &Scenario, forces: &Forces, side: SideId, hex: Offset) -> u32 {
    let _ = s;
    forces
        .units
        .iter()
        .filter(|u| u.active() && u.side == side)
        .map(|u| distance(u.hex(), hex))
        .min()
        .unwrap_or(u32::MAX)
}

#[test]
fn contested_enemy_ground_costs_more_to_enter_and_uncontested_costs_nothing_extra() {
    let s = synthetic();
    let (blue, red) = (s.side_index("blue").unwrap(), s.side_index("red").unwrap());
    let (_, board, _, mut forces) = initial_state(&s);
    let tank = unit(&s, "1st Blue Armoured");
    let (mut contested, mut open) = (0, 0);
    // Along blue's side of the front, step into each red hex next to the unit.
    for row in 0..s.frame.rows {
        forces.place(tank, Offset { col: 5, row });
        let threats = Threats::for_side(&s, &forces, blue);
        if threats.enemy_zoc[s.index(forces.units[tank].hex())] {
            continue;
        }
        let u = &forces.units[tank];
        let r = reach(&s, &board, &threats, u, allowance(&s, u));
        for nb in s.neighbours(u.hex()) {
            if board.control[s.index(nb)] != Some(red) || threats.enemy_unit[s.index(nb)] {
                continue;
            }
            let near = nearest(&s, &forces, red, nb) <= s.rules.contested_radius;
            let expected = step_cost(&s, &board, u.hex(), nb).unwrap()
                + if near { s.rules.enemy_ground_cost } else { 0 };
            assert_eq!(
                r.cost.get(&nb).map(|c| c.0),
                Some(expected),
                "from {} into {nb} (contested: {near})",
                u.hex()
            );
            if near {
                contested += 1;
            } else {
                open += 1;
            }
        }
    }
    assert!(
        contested > 0 && open > 0,
        "{contested} contested, {open} open"
    );
}

#[test]
fn ground_passes_to_a_side_as_its_units_arrive_and_not_before() {
    let s = synthetic();
    let (blue, red) = (s.side_index("blue").unwrap(), s.side_index("red").unwrap());
    let (_, mut board, _, mut forces) = initial_state(&s);
    let command = GameState::new(&s, 1, default_controllers(&s)).command;
    let tank = unit(&s, "1st Blue Armoured");
    forces.place(tank, Offset { col: 7, row: 4 });
    let before: Board = board.clone();
    // Standing still, a unit holds only its own hex.
    ground::consolidate(&s, &mut board, &forces, &command);
    for hex in s.hexes() {
        let i = s.index(hex);
        match forces.in_hex(hex).next() {
            Some(u) => assert_eq!(board.control[i], Some(u.side), "{hex}"),
            None => assert_eq!(board.control[i], before.control[i], "{hex}"),
        }
    }
    // Having moved there, it takes the ground around it that no red unit covers as
    // closely (red's units have not moved: they hold only their own hexes).
    forces.units[tank].moved = true;
    let before: Board = board.clone();
    ground::consolidate(&s, &mut board, &forces, &command);
    let radius = s.rules.claim_radius;
    let mut taken = 0;
    for hex in s.hexes() {
        let i = s.index(hex);
        let near = distance(forces.units[tank].hex(), hex) <= radius;
        if let Some(u) = forces.in_hex(hex).next() {
            assert_eq!(board.control[i], Some(u.side), "{hex}");
        } else if before.control[i] == Some(red) && near {
            assert_eq!(board.control[i], Some(blue), "{hex}");
            taken += 1;
        } else {
            assert_eq!(board.control[i], before.control[i], "{hex}");
        }
    }
    assert!(taken > 0, "the tank takes the ground around it");
}

#[test]
fn a_pocket_cut_off_from_supply_passes_to_the_side_around_it_except_where_units_stand() {
    let s = synthetic();
    let (blue, red) = (s.side_index("blue").unwrap(), s.side_index("red").unwrap());
    let (_, mut board, depots, mut forces) = initial_state(&s);
    // Blue holds a wall down column 7: red's column 6 is cut from its depot and railhead.
    for row in 0..s.frame.rows {
        board.control[s.index(Offset { col: 7, row })] = Some(blue);
    }
    let guard = unit(&s, "Junction guard");
    forces.place(guard, Offset { col: 6, row: 5 });
    let pocket: Vec<Offset> = (0..s.frame.rows)
        .map(|row| Offset { col: 6, row })
        .collect();
    assert!(
        pocket
            .iter()
            .all(|h| board.control[s.index(*h)] == Some(red))
    );
    let events = ground::isolate(&s, &mut board, &forces, &depots, red);
    assert!(
        matches!(events.as_slice(), [GameEvent::GroundIsolated { side, to, hexes, .. }]
            if *side == red && *to == blue && *hexes == pocket.len() as u32 - 1),
        "{events:?}"
    );
    for h in &pocket {
        let want = if *h == forces.units[guard].hex() {
            red
        } else {
            blue
        };
        assert_eq!(board.control[s.index(*h)], Some(want), "{h}");
    }
    // Red's ground east of the wall still traces to its supply: none of it changed.
    assert!(
        s.hexes()
            .filter(|h| h.col > 7)
            .all(|h| board.control[s.index(h)] == Some(red))
    );
    // Blue, tracing from its own railhead, loses nothing.
    let before = board.control.clone();
    assert!(ground::isolate(&s, &mut board, &forces, &depots, blue).is_empty());
    assert_eq!(board.control, before);
}

/// A unit's claim spreads over land: a river whose bridge is blown stops it, a standing
/// bridge carries it across.
#[test]
fn ground_is_claimed_over_land_across_a_river_only_by_a_standing_bridge() {
    let s =
        load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/river_front.ron"))
            .unwrap();
    let (west, east) = (s.side_index("west").unwrap(), s.side_index("east").unwrap());
    let (bridge, edge) = s
        .river_edges
        .iter()
        .find_map(|(k, e)| e.crossing.map(|c| (c, *k)))
        .expect("the river has its bridge");
    // The rifles stand at the west end of the bridge, having moved there today.
    let (near_end, far_end) = if s.control_at(edge.0) == Some(west) {
        (edge.0, edge.1)
    } else {
        (edge.1, edge.0)
    };
    let command = GameState::new(&s, 1, default_controllers(&s)).command;
    let claim = |intact: bool| {
        let (_, mut board, _, mut forces) = initial_state(&s);
        board.crossing_intact[bridge] = intact;
        let rifles = unit(&s, "1st West Rifles");
        forces.place(rifles, near_end);
        forces.units[rifles].moved = true;
        let before = board.control.clone();
        ground::consolidate(&s, &mut board, &forces, &command);
        s.hexes()
            .filter(|h| {
                before[s.index(*h)] == Some(east) && board.control[s.index(*h)] != Some(east)
            })
            .collect::<Vec<_>>()
    };
    // Blown: the whole east bank stays East's, though the rifles stand next to it.
    assert!(
        s.hexes()
            .any(|h| s.control_at(h) == Some(east) && distance(h, near_end) == 1),
        "the far bank is next to the rifles"
    );
    assert_eq!(claim(false), Vec::<Offset>::new());
    // Standing: the ground across it passes to West, and only ground the bridge leads to.
    let taken = claim(true);
    assert!(taken.contains(&far_end), "{taken:?}");
    assert!(
        taken
            .iter()
            .all(|h| distance(*h, far_end) < s.rules.claim_radius),
        "{taken:?}"
    );
}
