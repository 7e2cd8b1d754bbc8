//! How long the things a teacher's batch of games repeats take: loading and validating the
//! Kharkiv scenario, and playing its days with the AI on both sides.
//! Run with `cargo bench --no-default-features`.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use railhead::rules::Simulation;
use railhead::rules::state::Controller;
use railhead::scenario::{KHARKIV_2022, load_str};

fn load(c: &mut Criterion) {
    c.bench_function("load and validate the Kharkiv scenario", |b| {
        b.iter(|| load_str(black_box(KHARKIV_2022), "kharkiv.ron").unwrap());
    });
}

fn play(c: &mut Criterion) {
    let s = Arc::new(load_str(KHARKIV_2022, "kharkiv.ron").unwrap());
    let mut group = c.benchmark_group("play");
    group.sample_size(10);
    group.bench_function("12 days of the Kharkiv scenario, plan against AI", |b| {
        b.iter(|| {
            let mut sim = Simulation::new(
                s.clone(),
                black_box(2022),
                vec![Controller::Plan, Controller::Ai],
            );
            for _ in 0..12 {
                sim.play_day();
            }
            sim.chronicle().len()
        });
    });
    group.finish();
}

criterion_group!(benches, load, play);
criterion_main!(benches);
