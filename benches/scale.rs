//! How the rules' cost grows with the map: one day on generated maps of about 1,000,
//! 10,000 and 100,000 hexes, with units and rail in proportion (`railhead generate`, one
//! unit per 50 hexes). Run with `cargo bench --no-default-features --bench scale`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use railhead::rules::setup::default_controllers;
use railhead::rules::simulation::Simulation;
use railhead::scenario::generate::{Spec, generate_text};
use railhead::scenario::load_str;

fn scale(c: &mut Criterion) {
    let mut g = c.benchmark_group("one day on a generated map");
    g.sample_size(10);
    for (side, label) in [(32, "1k hexes"), (100, "10k hexes"), (316, "100k hexes")] {
        let spec = Spec {
            cols: side,
            rows: side,
            units: Some(side * side / 50),
            seed: 1,
        };
        let text = generate_text(&spec).unwrap();
        let s = Arc::new(load_str(&text, "generated.ron").unwrap());
        g.bench_function(label, |b| {
            // Each sample times the first days of a fresh game in turn.
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                let mut sim = Simulation::new(s.clone(), 1, default_controllers(&s));
                for i in 0..iters {
                    if i % 5 == 0 {
                        sim = Simulation::new(s.clone(), 1, default_controllers(&s));
                    }
                    let t = Instant::now();
                    sim.play_day();
                    total += t.elapsed();
                }
                total
            });
        });
    }
    g.finish();
}

criterion_group!(benches, scale);
criterion_main!(benches);
