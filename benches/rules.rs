//! How long the things a teacher's batch of games, and an analyst's sweep, repeat take:
//! loading and validating the Kharkiv scenario; one day and a whole game with the AI on
//! both sides; the supply phase alone; each kind of search; batch throughput on one core
//! and on all. Generated maps of growing size are in `benches/scale.rs`, memory in
//! `benches/memory.rs`. Run with `cargo bench --no-default-features`; the figures are in
//! `docs/performance.md`.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use railhead::geo::Offset;
use railhead::rules::movement::{Threats, allowance, distance_field, reach};
use railhead::rules::setup::{default_controllers, initial_state};
use railhead::rules::simulation::Simulation;
use railhead::rules::state::Controller;
use railhead::rules::supply::last_mile::depot_reach;
use railhead::rules::supply::supply_phase;
use railhead::scenario::ids::SideId;
use railhead::scenario::{KHARKIV_2022, Scenario, load_str};

fn kharkiv() -> Arc<Scenario> {
    Arc::new(load_str(KHARKIV_2022, "kharkiv.ron").unwrap())
}

fn load(c: &mut Criterion) {
    c.bench_function("load and validate the Kharkiv scenario", |b| {
        b.iter(|| load_str(black_box(KHARKIV_2022), "kharkiv.ron").unwrap());
    });
}

/// The time of one day, over every day of a game in turn (each sample plays from the
/// start to the day it times, untimed).
pub fn one_day(c: &mut Criterion, name: &str, s: &Arc<Scenario>) {
    let days = s.turns;
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            let mut sim = Simulation::new(s.clone(), 2022, default_controllers(s));
            for i in 0..iters {
                if u64::from(sim.cursor().turn) > u64::from(days) || sim.is_over() || i == 0 {
                    sim = Simulation::new(s.clone(), 2022, default_controllers(s));
                }
                let t = Instant::now();
                sim.play_day();
                total += t.elapsed();
            }
            total
        });
    });
}

fn days(c: &mut Criterion) {
    let s = kharkiv();
    one_day(c, "one day of the Kharkiv scenario, both AIs", &s);
    let mut g = c.benchmark_group("game");
    g.sample_size(20);
    g.bench_function("a 30-day Kharkiv game, plan against AI", |b| {
        b.iter(|| {
            let mut sim = Simulation::new(
                s.clone(),
                black_box(2022),
                vec![Controller::Plan, Controller::Ai],
            );
            while !sim.is_over() {
                sim.play_day();
            }
            sim.chronicle().len()
        });
    });
    g.finish();
}

fn supply(c: &mut Criterion) {
    let s = kharkiv();
    let (_, board, depots, forces) = initial_state(&s);
    c.bench_function("the supply phase of both sides (Kharkiv, day 1)", |b| {
        b.iter(|| {
            let (mut board, mut depots, mut forces) =
                (board.clone(), depots.clone(), forces.clone());
            let mut n = 0;
            for side in s.side_ids() {
                n += supply_phase(&s, &mut board, &mut depots, &mut forces, side).len();
            }
            n
        });
    });
}

fn searches(c: &mut Criterion) {
    let s = kharkiv();
    let (_, board, _, forces) = initial_state(&s);
    let mut g = c.benchmark_group("search");
    // The first Ukrainian unit of the strike group, at the start.
    let u = forces.units.iter().find(|u| u.active()).unwrap().clone();
    let threats = Threats::for_side(&s, &forces, u.side);
    g.bench_function("a unit's reach", |b| {
        b.iter(|| {
            reach(&s, &board, &threats, black_box(&u), allowance(&s, &u))
                .cost
                .len()
        });
    });
    let depot = &s.depots[0];
    let own = Threats::for_side(&s, &forces, depot.side);
    g.bench_function("a depot's reach", |b| {
        b.iter(|| {
            depot_reach(
                &s,
                &board,
                &own,
                depot.side,
                black_box(depot.hex),
                depot.range,
            )
            .len()
        });
    });
    let goals: Vec<Offset> = s.objectives.iter().map(|o| s.places[o.place].hex).collect();
    g.bench_function("a path: the distance field to the objectives", |b| {
        b.iter(|| distance_field(&s, &board, black_box(&goals), |_| false));
    });
    g.bench_function("a path: a unit's way to a hex in its reach", |b| {
        let r = reach(&s, &board, &threats, &u, allowance(&s, &u));
        let far = r
            .cost
            .iter()
            .max_by_key(|(_, (c, _))| *c)
            .map(|(h, _)| *h)
            .unwrap();
        b.iter(|| r.path(u.hex(), black_box(far)));
    });
    g.bench_function(
        "the threats to a side (zones of control, contested ground)",
        |b| {
            b.iter(|| Threats::for_side(&s, black_box(&forces), SideId(1)).own_units[0]);
        },
    );
    g.finish();
}

fn batch(c: &mut Criterion) {
    let s = kharkiv();
    let games = 8;
    let mut g = c.benchmark_group("batch of 8 Kharkiv games (railhead batch)");
    g.sample_size(10);
    g.throughput(Throughput::Elements(games));
    for (name, jobs) in [("one core", 1), ("all cores", 0)] {
        g.bench_function(name, |b| {
            b.iter(|| {
                railhead::report::stats::run_batch(
                    s.clone(),
                    default_controllers(&s),
                    1,
                    games,
                    jobs,
                    &|| {},
                )
                .unwrap()
                .len()
            });
        });
    }
    g.finish();
}

criterion_group!(benches, load, days, supply, searches, batch);
criterion_main!(benches);
