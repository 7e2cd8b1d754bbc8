//! Classroom reports: the demonstration writes a complete report, a comparison shows the
//! what-if's effect, and a batch does not depend on the number of threads.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use railhead::report::{self, stats};
use railhead::rules::setup::default_controllers;
use railhead::scenario::{Scenario, load_file, load_or_default};

fn scenario_file(name: &str) -> Arc<Scenario> {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    Arc::new(load_file(&path).unwrap())
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("railhead-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Every `src="..."` and `href="..."` of a page.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["src=\"", "href=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].to_string());
                rest = &rest[end..];
            }
        }
    }
    out
}

#[test]
fn the_demo_writes_a_complete_report() {
    let dir = temp_dir("demo");
    let out = Command::new(env!("CARGO_BIN_EXE_railhead"))
        .args(["demo", "--quiet", "--runs", "3", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = load_or_default(None).unwrap();

    // daily.csv: a row per day per side, each day present.
    let csv = std::fs::read_to_string(dir.join("daily.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), s.turns as usize * s.sides.len());
    for day in 1..=s.turns {
        for side in &s.sides {
            assert!(
                rows.iter().any(|r| r.starts_with(&format!("{day},"))
                    && r.split(',').nth(2) == Some(side.id.as_str())),
                "no row for day {day}, side {}",
                side.id
            );
        }
    }
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert!(header.contains(&"territory_km2") && header.contains(&"Izium depot inflow_t"));

    // events.jsonl: one JSON object per line, every day.
    let events = std::fs::read_to_string(dir.join("events.jsonl")).unwrap();
    let turns: std::collections::BTreeSet<u64> = events
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["turn"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(turns.len(), s.turns as usize);

    // The page refers only to files that exist, and every PNG is a picture.
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let refs = links(&html);
    assert!(refs.iter().any(|r| r == "chart-depots.png"));
    assert!(refs.iter().any(|r| r == "chart-territory.png"));
    assert!(
        refs.iter()
            .any(|r| r == &format!("map-day-{:02}.png", s.turns))
    );
    for r in &refs {
        assert!(
            dir.join(r).is_file(),
            "report.html refers to {r}, which is missing"
        );
        if std::path::Path::new(r)
            .extension()
            .is_some_and(|x| x == "png")
        {
            let bytes = std::fs::read(dir.join(r)).unwrap();
            let pm = tiny_skia::Pixmap::decode_png(&bytes).unwrap_or_else(|e| panic!("{r}: {e}"));
            assert!(pm.width() > 100 && pm.height() > 100);
        }
    }
    // The model beside each dated fact of the history, over the games asked for.
    assert!(
        html.contains("The model beside history"),
        "no calibration table"
    );
    assert!(html.contains("Over 3 games"));
    assert!(html.contains("Kupiansk taken by Ukraine"));
    // It tells the story: the withdrawal, its reasons and the history beside it.
    assert!(html.contains("Izium grouping</b>: withdrawal ordered on day"));
    // The rail reason in whichever words fit the day: lines cut, or within the enemy's reach.
    assert!(html.contains("of its rail supply"));
    assert!(html.contains("Kupiansk city retaken"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn holding_kupiansk_delays_or_prevents_the_izium_withdrawal() {
    let base = scenario_file("kharkiv_2022.ron");
    let held = scenario_file("kharkiv_2022_kupiansk_held.ron");
    let izium = base
        .groupings
        .iter()
        .position(|g| g.name == "Izium grouping")
        .unwrap();
    for seed in [1, 2022] {
        let b =
            report::record::play_recorded(base.clone(), seed, default_controllers(&base), Some(12));
        let v =
            report::record::play_recorded(held.clone(), seed, default_controllers(&held), Some(12));
        let bd = b.withdrawals[izium]
            .map(|w| w.0)
            .expect("the base withdraws");
        match v.withdrawals[izium] {
            None => {}
            Some((vd, _)) => assert!(vd > bd, "seed {seed}: variant day {vd}, base day {bd}"),
        }
    }
    let dir = temp_dir("compare");
    let b = report::record::play_recorded(base.clone(), 1, default_controllers(&base), Some(8));
    let v = report::record::play_recorded(held.clone(), 1, default_controllers(&held), Some(8));
    let files = report::write_compare(&b, &v, None, &dir).unwrap();
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    for r in links(&html) {
        assert!(dir.join(&r).is_file(), "{r} is missing");
    }
    assert!(files.iter().all(|f| dir.join(f).is_file()));
    assert!(html.contains("what if Kupiansk had held"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_batch_does_not_depend_on_the_number_of_threads() {
    let s = Arc::new(load_or_default(None).unwrap());
    let c = default_controllers(&s);
    let one = stats::run_batch(s.clone(), c.clone(), 5, 4, 1, &|| {}).unwrap();
    let two = stats::run_batch(s.clone(), c, 5, 4, 2, &|| {}).unwrap();
    assert_eq!(one, two);
    assert_eq!(
        one.iter().map(|o| o.seed).collect::<Vec<_>>(),
        vec![5, 6, 7, 8]
    );
    assert!(
        one.windows(2).any(|w| w[0].territory != w[1].territory),
        "different seeds, different games"
    );
    let csv = stats::batch_csv(&s, &one);
    assert_eq!(csv.lines().count(), 5);
    assert!(csv.lines().nth(1).unwrap().starts_with("5,"));
}
