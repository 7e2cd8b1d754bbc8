//! What the rules keep between calls to go faster gives the answers worked out afresh:
//! the threats brought up to date as units move, a withdrawing unit's way back searched
//! from the unit, and "near a grouping" by a listed neighbourhood. (The rail flows kept
//! while still the maximum are checked in `rules::supply`'s own tests; the last mile's
//! depots and every other speed-up are held to whole games by `tests/event_logs.rs`.)

use std::sync::Arc;

use railhead::geo::Offset;
use railhead::rules::ground::{Near, enemy_within};
use railhead::rules::movement::{Threats, distance_field_for, leads_to};
use railhead::rules::state::{Forces, UnitStatus, initial_state};
use railhead::rules::{Simulation, default_controllers};
use railhead::scenario::Scenario;
use railhead::scenario::generate::{Spec, generate_text};
use railhead::scenario::ids::{SideId, UnitId};
use railhead::scenario::load_str;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn generated(cols: u32, rows: u32, seed: u64) -> Arc<Scenario> {
    let spec = Spec {
        cols,
        rows,
        units: None,
        seed,
    };
    let text = generate_text(&spec).unwrap();
    Arc::new(load_str(&text, "generated.ron").unwrap())
}

/// The threats to `side`, counted from nothing.
fn threats_afresh(s: &Scenario, forces: &Forces, side: SideId) -> (Vec<bool>, Vec<bool>, Vec<u32>) {
    let n = s.terrain.len();
    let mut unit = vec![false; n];
    let mut zoc = vec![false; n];
    let mut own = vec![0u32; n];
    for u in forces.units.iter().filter(|u| u.active()) {
        let i = s.index(u.hex());
        if u.side == side {
            own[i] += 1;
        } else {
            unit[i] = true;
            zoc[i] = true;
            for nb in s.neighbours(u.hex()) {
                zoc[s.index(nb)] = true;
            }
        }
    }
    (unit, zoc, own)
}

fn assert_threats_fresh(s: &Scenario, forces: &Forces, when: &str) {
    for side in s.side_ids() {
        let kept = Threats::for_side(s, forces, side);
        let (unit, zoc, own) = threats_afresh(s, forces, side);
        assert_eq!(*kept.enemy_unit, unit, "enemy units, {when}");
        assert_eq!(*kept.enemy_zoc, zoc, "zones of control, {when}");
        assert_eq!(
            *kept.contested,
            enemy_within(s, forces, side, s.rules.contested_radius),
            "contested ground, {when}"
        );
        for (i, n) in own.iter().enumerate() {
            assert_eq!(kept.own_units[i], *n, "own units at hex {i}, {when}");
        }
    }
}

#[test]
fn threats_kept_up_to_date_are_the_threats_counted_afresh() {
    let s = generated(40, 30, 3);
    let mut sim = Simulation::new(s.clone(), 3, default_controllers(&s));
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    for day in 1..=8 {
        sim.play_day();
        let mut forces = sim.world().resource::<Forces>().clone();
        assert_threats_fresh(&s, &forces, &format!("after day {day}"));
        // Units moved by hand, one at a time, some taken off the map: each step is
        // brought up to date from the last.
        for k in 0..12 {
            let id = UnitId(rng.random_range(0..forces.units.len()));
            if k % 5 == 4 {
                // Off the map, or back on it.
                let status = if forces.units[id].active() {
                    UnitStatus::Destroyed
                } else {
                    UnitStatus::Active
                };
                forces.set_status(id, status);
            } else {
                let hex = Offset {
                    col: rng.random_range(0..s.frame.columns),
                    row: rng.random_range(0..s.frame.rows),
                };
                forces.place(id, hex);
            }
            assert_threats_fresh(&s, &forces, &format!("day {day}, change {k}"));
        }
    }
}

#[test]
fn a_way_back_searched_from_the_unit_is_the_field_from_the_line() {
    let s = generated(36, 28, 11);
    let (_, board, _, _) = initial_state(&s);
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let n = s.terrain.len();
    for round in 0..20 {
        let goals: Vec<Offset> = (0..rng.random_range(1..6))
            .map(|_| s.offset(rng.random_range(0..n)))
            .collect();
        // A fifth of the map blocked, at random; sometimes a goal among it.
        let blocked: Vec<bool> = (0..n).map(|_| rng.random_bool(0.2)).collect();
        let field = distance_field_for(&s, &board, &goals, |i| blocked[i], None);
        for (i, d) in field.iter().enumerate() {
            let from = s.offset(i);
            assert_eq!(
                leads_to(&s, &board, from, &goals, |j| blocked[j]),
                *d != u32::MAX,
                "round {round}, from {from}"
            );
        }
    }
}

#[test]
fn near_a_grouping_listed_or_measured_is_the_same() {
    let s = generated(50, 40, 2);
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let n = s.terrain.len();
    for round in 0..30 {
        let centres: Vec<Offset> = (0..rng.random_range(1..25))
            .map(|_| s.offset(rng.random_range(0..n)))
            .collect();
        let radius = rng.random_range(0..5);
        // Few questions: each hex measured against each centre; many: the hexes listed.
        let measured = Near::new(&s, &centres, radius, 1);
        let listed = Near::new(&s, &centres, radius, 1_000_000);
        for i in 0..n {
            let h = s.offset(i);
            let truth = centres.iter().any(|c| {
                railhead::geo::offset_to_hex(*c)
                    .unsigned_distance_to(railhead::geo::offset_to_hex(h))
                    <= radius
            });
            assert_eq!(measured.contains(&s, h), truth, "round {round}, {h}");
            assert_eq!(listed.contains(&s, h), truth, "round {round}, {h}");
        }
    }
}
