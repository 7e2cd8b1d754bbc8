//! What the rules keep between calls to go faster gives the answers worked out afresh:
//! the threats brought up to date as units move, the AI's attacks found one after another,
//! a withdrawing unit's way back searched from the unit, "near a grouping" by a listed
//! neighbourhood, the rail lines over each crossing, and each hex's nearest depot found in
//! one search from every depot. (The rail flows kept while still the maximum are checked
//! in `rules::supply`'s own tests; every other speed-up is held to whole games by
//! `tests/rules/event_logs.rs`.)

use std::sync::Arc;

use railhead::geo::Offset;
use railhead::rules::ai::{Attacks, first_attack, garrison_hexes};
use railhead::rules::execute::apply_attack;
use railhead::rules::ground::{Near, enemy_within};
use railhead::rules::movement::{Needed, Threats, distance_field_for, leads_to};
use railhead::rules::orders::Order;
use railhead::rules::setup::{default_controllers, initial_state};
use railhead::rules::simulation::Simulation;
use railhead::rules::state::{Board, Forces, HighCommand, Moved, UnitStatus};
use railhead::rules::supply::last_mile::{depot_reach, nearest_depots};
use railhead::scenario::generate::{Spec, generate_text};
use railhead::scenario::ids::{SideId, UnitId};
use railhead::scenario::{Scenario, load_str};
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

/// A few hexes of the map at random, as many as `count` says.
fn random_hexes(s: &Scenario, rng: &mut ChaCha8Rng, count: std::ops::Range<usize>) -> Vec<Offset> {
    let n = s.terrain.len();
    (0..rng.random_range(count))
        .map(|_| s.offset(rng.random_range(0..n)))
        .collect()
}

#[test]
fn a_way_back_searched_from_the_unit_is_the_field_from_the_line() {
    let s = generated(36, 28, 11);
    let (_, board, _, _) = initial_state(&s);
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let n = s.terrain.len();
    for round in 0..20 {
        let goals = random_hexes(&s, &mut rng, 1..6);
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
fn a_field_needed_only_near_some_hexes_is_exact_there_and_stops_short_of_pockets() {
    let s = generated(60, 44, 5);
    let (_, board, _, _) = initial_state(&s);
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let n = s.terrain.len();
    let mut stopped_short_of_pockets = 0;
    for round in 0..40 {
        let goals = random_hexes(&s, &mut rng, 1..4);
        // Enough of the map blocked, at random, to leave pockets no way leads into.
        let share = rng.random_range(0.25..0.45);
        let blocked: Vec<bool> = (0..n).map(|_| rng.random_bool(share)).collect();
        let exact = distance_field_for(&s, &board, &goals, |i| blocked[i], None);
        // Needed around a few centres, as around a grouping's units.
        let mut needed = Needed::new(n);
        for _ in 0..rng.random_range(1..5) {
            let centre = s.offset(rng.random_range(0..n));
            for i in railhead::rules::ground::indices_within(&s, centre, rng.random_range(1..5)) {
                if !blocked[i] {
                    needed.insert(i);
                }
            }
        }
        let field = distance_field_for(&s, &board, &goals, |i| blocked[i], Some(&needed));
        for &i in needed.hexes() {
            assert_eq!(field[i], exact[i], "round {round}, hex {}", s.offset(i));
        }
        let finite = |f: &[u32]| f.iter().filter(|d| **d != u32::MAX).count();
        if needed.hexes().iter().any(|&i| exact[i] == u32::MAX) && finite(&field) < finite(&exact) {
            stopped_short_of_pockets += 1;
        }
    }
    // Without the floods, a field with a needed hex it cannot reach covers all it can.
    assert!(
        stopped_short_of_pockets >= 5,
        "only {stopped_short_of_pockets} fields stopped short of a pocket"
    );
}

#[test]
fn the_hexes_within_a_radius_run_by_row_are_hexx_s_disc() {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let base = generated(36, 28, 11);
    for (cols, rows) in [(36, 28), (9, 13), (1, 6), (5, 1)] {
        // Only the frame's size counts here.
        let mut s = (*base).clone();
        s.frame.columns = cols;
        s.frame.rows = rows;
        for _ in 0..200 {
            // Centres on the map and off it, radii past its edges.
            let centre = Offset {
                col: rng.random_range(-4..cols + 4),
                row: rng.random_range(-4..rows + 4),
            };
            let radius = rng.random_range(0..12);
            let mut by_rows: Vec<usize> =
                railhead::rules::ground::indices_within(&s, centre, radius).collect();
            let mut by_hexx: Vec<usize> = railhead::geo::offset_to_hex(centre)
                .range(radius)
                .map(railhead::geo::hex_to_offset)
                .filter(|o| s.frame.contains(*o))
                .map(|o| s.index(o))
                .collect();
            by_rows.sort_unstable();
            by_hexx.sort_unstable();
            assert_eq!(
                by_rows, by_hexx,
                "{cols} x {rows}, {centre}, radius {radius}"
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

#[test]
fn the_journal_lists_each_change_of_place_and_a_copy_starts_its_own() {
    let s = generated(40, 30, 3);
    let (_, _, _, mut forces) = initial_state(&s);
    let mark = forces.mark();
    assert_eq!(forces.moves_since(mark), Some(&[][..]));
    let id = UnitId(0);
    let from = forces.units[id].hex();
    let to = s.neighbours(from).next().unwrap();
    forces.place(id, to);
    // Placing a unit where it stands is no change.
    forces.place(id, to);
    forces.set_status(id, UnitStatus::Destroyed);
    let moves = forces.moves_since(mark).unwrap().to_vec();
    assert_eq!(
        moves,
        vec![
            Moved {
                unit: id,
                was: Some(from),
                is: Some(to)
            },
            Moved {
                unit: id,
                was: Some(to),
                is: None
            },
        ]
    );
    // A unit off the map moved: no change of where the units stand.
    let later = forces.mark();
    forces.place(id, from);
    assert_eq!(forces.moves_since(later), Some(&[][..]));
    // A copy has a journal of its own, and equals the original.
    let copy = forces.clone();
    assert_eq!(copy, forces);
    assert_eq!(copy.moves_since(mark), None);
    assert_eq!(forces.moves_since(mark).map(<[Moved]>::len), Some(2));
}

/// Plays every attack `side` would make now, one at a time, finding each both ways;
/// returns how many were made.
fn attacks_both_ways(
    s: &Scenario,
    board: &mut Board,
    forces: &mut Forces,
    command: &HighCommand,
    side: SideId,
    rng: &mut ChaCha8Rng,
) -> usize {
    let garrisons = garrison_hexes(s);
    let mut attacks = Attacks::new(forces, side);
    let mut made = 0;
    loop {
        let afresh = first_attack(s, board, forces, command, side, &garrisons);
        let kept = attacks.next(s, board, forces, command, &garrisons);
        assert_eq!(kept, afresh, "attack {made} of side {side:?}");
        let Some(Order::Attack { attackers, target }) = kept else {
            return made;
        };
        apply_attack(s, board, forces, rng, &attackers, target);
        made += 1;
    }
}

#[test]
fn attacks_found_one_after_another_are_those_found_afresh() {
    let mut made = 0;
    for (s, days) in [
        (generated(80, 60, 5), 10),
        (generated(40, 30, 3), 6),
        (
            Arc::new(railhead::scenario::load_or_default(None).unwrap()),
            6,
        ),
    ] {
        let mut sim = Simulation::new(s.clone(), 5, default_controllers(&s));
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for day in 0..days {
            sim.play_day();
            let world = sim.world();
            let command = world.resource::<HighCommand>().clone();
            // The day's positions, and the same units shuffled a hex or two either way, so
            // that fronts tangle and attacks open and close targets all along them.
            for shuffled in [false, true] {
                let mut board = world.resource::<Board>().clone();
                let mut forces = world.resource::<Forces>().clone();
                for id in (0..forces.units.len()).map(UnitId) {
                    // As at the start of a phase: nobody has attacked yet.
                    forces.units[id].attacked = false;
                    if shuffled && forces.units[id].active() {
                        let mut at = forces.units[id].hex();
                        for _ in 0..rng.random_range(0..=2) {
                            let next: Vec<Offset> = s.neighbours(at).collect();
                            at = next[rng.random_range(0..next.len())];
                        }
                        forces.place(id, at);
                    }
                }
                for side in s.side_ids() {
                    let n =
                        attacks_both_ways(&s, &mut board, &mut forces, &command, side, &mut rng);
                    made += n;
                    assert!(n < 10_000, "day {day}: attacks without end");
                }
            }
        }
    }
    // Enough attacks that the targets looked at again mattered.
    assert!(made >= 60, "only {made} attacks made");
}

#[test]
fn each_crossing_lists_the_rail_links_over_it() {
    for s in [
        generated(60, 40, 5),
        Arc::new(railhead::scenario::load_or_default(None).unwrap()),
    ] {
        let mut over = 0;
        for (c, crossing) in s.crossings.iter().enumerate() {
            let afresh: Vec<usize> = (0..s.rail_links.len())
                .filter(|l| {
                    s.rail_links[*l].hexes.windows(2).any(|w| {
                        s.river_edges
                            .get(&railhead::scenario::model::edge_key(w[0], w[1]))
                            .is_some_and(|e| e.crossing == Some(c))
                    })
                })
                .collect();
            assert_eq!(crossing.rail_links, afresh, "crossing {}", crossing.name);
            over += afresh.len();
        }
        assert!(over > 0, "some rail line crosses a river at a crossing");
    }
}

/// Each hex's nearest depot found in one search from all of them is the best of each
/// depot's own search: on generated maps and the Kharkiv map, with units placed and
/// ground taken at random, ranges drawn anew (many equal, so that ways of two depots
/// often meet at equal cost) and some of the depots only.
#[test]
fn the_nearest_depot_found_from_all_at_once_is_the_best_of_each_depot_s_search() {
    let mut rng = ChaCha8Rng::seed_from_u64(21);
    let maps = [
        generated(48, 36, 5),
        generated(30, 60, 13),
        Arc::new(railhead::scenario::load_or_default(None).unwrap()),
    ];
    let mut met = 0;
    for base in &maps {
        for round in 0..12 {
            let mut s = (**base).clone();
            for d in &mut s.depots {
                d.range = if round % 2 == 0 {
                    rng.random_range(1..6) * 3
                } else {
                    rng.random_range(1..30)
                };
            }
            let (_, mut board, _, mut forces) = initial_state(&s);
            for _ in 0..rng.random_range(0..forces.units.len()) {
                let id = UnitId(rng.random_range(0..forces.units.len()));
                let hex = s.offset(rng.random_range(0..s.terrain.len()));
                forces.place(id, hex);
            }
            for _ in 0..rng.random_range(0..40) {
                let i = rng.random_range(0..s.terrain.len());
                board.control[i] = Some(SideId(rng.random_range(0..s.sides.len())));
            }
            for side in s.side_ids() {
                let threats = Threats::for_side(&s, &forces, side);
                let depots: Vec<usize> = (0..s.depots.len())
                    .filter(|_| rng.random_bool(0.8))
                    .collect();
                let mut best: Vec<Option<(u32, usize)>> = vec![None; s.terrain.len()];
                for &d in &depots {
                    let depot = &s.depots[d];
                    for (i, cost) in depot_reach(&s, &board, &threats, side, depot.hex, depot.range)
                    {
                        if best[i].is_some_and(|b| b.0 == cost) {
                            met += 1;
                        }
                        if best[i].is_none_or(|b| (cost, d) < b) {
                            best[i] = Some((cost, d));
                        }
                    }
                }
                let found = nearest_depots(&s, &board, &threats, side, &depots);
                for i in 0..s.terrain.len() {
                    assert_eq!(found[i], best[i], "hex {:?}, round {round}", s.offset(i));
                }
            }
        }
    }
    assert!(
        met > 1000,
        "only {met} hexes where two depots come at equal cost"
    );
}
