//! Our hex-side searches against the `pathfinding` crate's Dijkstra with the same costs:
//! a unit's reach (every active unit of the Kharkiv scenario) and a distance field toward
//! goals (every objective). Before timing, it says how often the two agree on costs and on
//! the paths chosen between equal-cost ones (which decide the hexes a move takes).
//! Run with `cargo bench --no-default-features --bench search`.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use pathfinding::directed::dijkstra::{dijkstra_all, dijkstra_reach};
use railhead::geo::Offset;
use railhead::rules::movement::{Threats, allowance, distance_field, reach, step_cost};
use railhead::rules::setup::initial_state;
use railhead::rules::state::{Board, Forces, UnitState};
use railhead::scenario::{KHARKIV_2022, Scenario, load_str};

/// A unit's reach by `pathfinding::dijkstra_reach`, with the rules of `movement::reach`.
fn crate_reach(
    s: &Scenario,
    board: &Board,
    threats: &Threats,
    u: &UnitState,
    budget: u32,
) -> BTreeMap<Offset, (u32, Offset)> {
    let start_in_zoc = threats.enemy_zoc[s.index(u.hex())];
    let successors = |at: &Offset| -> Vec<(Offset, u32)> {
        if *at != u.hex() && threats.enemy_zoc[s.index(*at)] {
            return Vec::new();
        }
        s.neighbours(*at)
            .filter(|nb| !threats.enemy_unit[s.index(*nb)])
            .filter_map(|nb| {
                let extra = if *at == u.hex() && start_in_zoc {
                    s.rules.zoc_cost
                } else {
                    0
                };
                step_cost(s, board, *at, nb).map(|c| (nb, c + extra))
            })
            .collect()
    };
    dijkstra_reach(&u.hex(), successors)
        .take_while(|item| item.total_cost <= budget)
        .map(|item| (item.node, (item.total_cost, item.parent.unwrap_or(u.hex()))))
        .collect()
}

/// A distance field toward goals by `pathfinding::dijkstra_all` from a virtual node
/// joined to every goal.
fn crate_field(s: &Scenario, board: &Board, goals: &[Offset]) -> Vec<u32> {
    let virtual_node = Offset { col: -1, row: -1 };
    let all = dijkstra_all(&virtual_node, |at: &Offset| -> Vec<(Offset, u32)> {
        if *at == virtual_node {
            return goals.iter().map(|g| (*g, 0)).collect();
        }
        s.neighbours(*at)
            .filter_map(|nb| step_cost(s, board, nb, *at).map(|c| (nb, c)))
            .collect()
    });
    let mut dist = vec![u32::MAX; s.hexes().count()];
    for g in goals {
        dist[s.index(*g)] = 0;
    }
    for (h, (_, c)) in all {
        if h != virtual_node {
            dist[s.index(h)] = c;
        }
    }
    dist
}

fn setup() -> (Scenario, Board, Forces) {
    let s = load_str(KHARKIV_2022, "kharkiv.ron").unwrap();
    let (_, board, _, forces) = initial_state(&s);
    (s, board, forces)
}

fn agreement(s: &Scenario, board: &Board, forces: &Forces) {
    let (mut same_costs, mut same_paths, mut units) = (0, 0, 0);
    for u in forces.units.iter().filter(|u| u.active()) {
        units += 1;
        let threats = Threats::for_side(s, forces, u.side);
        let ours = reach(s, board, &threats, u, allowance(s, u)).cost;
        let theirs = crate_reach(s, board, &threats, u, allowance(s, u));
        let ours: BTreeMap<Offset, (u32, Offset)> = ours.iter().map(|(h, c)| (*h, *c)).collect();
        let costs = |m: &BTreeMap<Offset, (u32, Offset)>| -> Vec<(Offset, u32)> {
            m.iter().map(|(h, (c, _))| (*h, *c)).collect()
        };
        same_costs += usize::from(costs(&ours) == costs(&theirs));
        same_paths += usize::from(ours == theirs);
    }
    let goals: Vec<Offset> = s.objectives.iter().map(|o| s.places[o.place].hex).collect();
    let fields_agree = distance_field(s, board, &goals, |_| false) == crate_field(s, board, &goals);
    println!(
        "reach: equal costs for {same_costs} of {units} units, equal paths for {same_paths}; \
         distance fields equal: {fields_agree}"
    );
}

fn searches(c: &mut Criterion) {
    let (s, board, forces) = setup();
    agreement(&s, &board, &forces);
    let s = Arc::new(s);
    let active: Vec<&UnitState> = forces.units.iter().filter(|u| u.active()).collect();
    let threats: Vec<Threats> = s
        .side_ids()
        .map(|side| Threats::for_side(&s, &forces, side))
        .collect();
    let mut g = c.benchmark_group("reach of every unit");
    g.bench_function("ours (movement::reach)", |b| {
        b.iter(|| {
            active
                .iter()
                .map(|u| {
                    reach(&s, &board, &threats[u.side], u, allowance(&s, u))
                        .cost
                        .len()
                })
                .sum::<usize>()
        });
    });
    g.bench_function("pathfinding::dijkstra_reach", |b| {
        b.iter(|| {
            active
                .iter()
                .map(|u| crate_reach(&s, &board, &threats[u.side], u, allowance(&s, u)).len())
                .sum::<usize>()
        });
    });
    g.finish();
    let goals: Vec<Offset> = s.objectives.iter().map(|o| s.places[o.place].hex).collect();
    let mut g = c.benchmark_group("distance field to the objectives");
    g.bench_function("ours (movement::distance_field)", |b| {
        b.iter(|| distance_field(&s, &board, black_box(&goals), |_| false));
    });
    g.bench_function("pathfinding::dijkstra_all", |b| {
        b.iter(|| crate_field(&s, &board, black_box(&goals)));
    });
    g.finish();
}

criterion_group!(benches, searches);
criterion_main!(benches);
