//! `railhead generate`: made-up scenarios of any legal size that validate, play, and are
//! the same for the same seed; and the command as a user runs it.

use std::process::Command;
use std::sync::Arc;

use railhead::rules::events::GameEvent;
use railhead::rules::setup::default_controllers;
use railhead::rules::simulation::Simulation;
use railhead::scenario::generate::{Spec, check, generate_text, units_of};
use railhead::scenario::{Scenario, load_str};

fn spec(cols: u32, rows: u32, units: Option<u32>, seed: u64) -> Spec {
    Spec {
        cols,
        rows,
        units,
        seed,
    }
}

fn load(spec: &Spec) -> Scenario {
    let text = generate_text(spec).unwrap_or_else(|e| panic!("{spec:?}: {e}"));
    load_str(&text, "generated.ron").unwrap_or_else(|e| panic!("{spec:?}: {e}"))
}

#[test]
fn every_size_and_seed_validates_with_what_was_asked_for() {
    for (cols, rows, units) in [
        (8, 8, None),
        (8, 60, None),
        (60, 8, None),
        (13, 9, Some(2)),
        (40, 30, None),
        (97, 61, Some(700)),
        (150, 120, None),
    ] {
        for seed in [1, 2, 99] {
            let sp = spec(cols, rows, units, seed);
            let s = load(&sp);
            assert_eq!(
                (s.frame.columns, s.frame.rows),
                (cols as i32, rows as i32),
                "{sp:?}"
            );
            assert_eq!(s.units.len() as u32, units_of(&sp), "{sp:?}");
            // Two sides with a front, railheads, depots, groupings with fallback lines.
            for side in s.side_ids() {
                assert!(s.control.contains(&Some(side)), "{sp:?}");
                assert!(s.sources.iter().any(|x| x.side == side), "{sp:?}");
                assert!(s.depots.iter().any(|d| d.side == side), "{sp:?}");
                assert!(
                    s.groupings
                        .iter()
                        .any(|g| g.side == side && !g.fallback.is_empty()),
                    "{sp:?}"
                );
            }
            assert!(!s.plans.is_empty() && !s.objectives.is_empty(), "{sp:?}");
            if cols >= 40 {
                assert!(!s.rivers.is_empty() && !s.crossings.is_empty(), "{sp:?}");
                let forest = s.terrain_types.iter().position(|t| t.id == "forest");
                assert!(s.terrain.iter().any(|t| Some(*t) == forest), "{sp:?}");
                // Junctions: a node where three or more lines meet.
                let mut degree = vec![0; s.rail_nodes.len()];
                for l in &s.rail_links {
                    degree[l.from] += 1;
                    degree[l.to] += 1;
                }
                assert!(degree.iter().any(|d| *d >= 3), "{sp:?}");
            }
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_file_and_another_seed_another() {
    let a = generate_text(&spec(50, 40, None, 7)).unwrap();
    assert_eq!(a, generate_text(&spec(50, 40, None, 7)).unwrap());
    assert_ne!(a, generate_text(&spec(50, 40, None, 8)).unwrap());
    // Written as an author would: the map's rows one per line.
    assert!(
        a.contains("        terrain: [\n            \""),
        "{}",
        &a[..600]
    );
}

#[test]
fn sizes_out_of_range_are_refused_before_anything_is_made() {
    for bad in [
        spec(7, 20, None, 1),
        spec(20, 401, None, 1),
        spec(20, 20, Some(1), 1),
        spec(20, 20, Some(101), 1),
        spec(400, 400, Some(5001), 1),
    ] {
        assert!(check(&bad).is_err(), "{bad:?}");
        assert!(generate_text(&bad).is_err(), "{bad:?}");
    }
}

#[test]
fn a_generated_front_plays_both_sides_fight_and_supply_flows() {
    let s = Arc::new(load(&spec(40, 30, None, 3)));
    let mut sim = Simulation::new(s.clone(), 3, default_controllers(&s));
    for _ in 0..5 {
        sim.play_day();
    }
    let log = sim.chronicle();
    for side in s.side_ids() {
        assert!(
            log.iter().any(|l| matches!(&l.event,
                GameEvent::DepotSupply { side: d, inflow, .. } if *d == side && *inflow > 0.0)),
            "{side:?} gets supply by rail"
        );
    }
    assert!(
        log.iter()
            .any(|l| matches!(l.event, GameEvent::CombatResolved { .. }))
    );
    assert!(
        log.iter()
            .any(|l| matches!(l.event, GameEvent::TerritoryChanged { .. }))
    );
}

fn railhead() -> Command {
    Command::new(env!("CARGO_BIN_EXE_railhead"))
}

#[test]
fn the_command_writes_a_scenario_that_validates_and_refuses_bad_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("front.ron");
    let run = railhead()
        .args([
            "generate", "--cols", "30", "--rows", "20", "--seed", "4", "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stderr).contains("30 x 20 hexes, 40 units"));
    let check = railhead().arg("validate").arg(&out).output().unwrap();
    assert_eq!(check.status.code(), Some(0));
    // The same command again gives the same file.
    let first = std::fs::read(&out).unwrap();
    railhead()
        .args([
            "generate", "--cols", "30", "--rows", "20", "--seed", "4", "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(first, std::fs::read(&out).unwrap());
    // Bad sizes are usage errors; an output that is not a regular file is refused.
    for args in [
        vec!["--cols", "3", "--rows", "20"],
        vec!["--cols", "30", "--rows", "20", "--units", "600"],
    ] {
        let bad = railhead()
            .arg("generate")
            .args(&args)
            .arg("--out")
            .arg(dir.path().join("bad.ron"))
            .output()
            .unwrap();
        assert_eq!(bad.status.code(), Some(2), "{args:?}");
        assert!(!dir.path().join("bad.ron").exists());
    }
    let folder = railhead()
        .args(["generate", "--cols", "30", "--rows", "20", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_ne!(folder.status.code(), Some(0));
    assert!(dir.path().is_dir());
}

/// The made-up valley's GeoJSON layers copied into a fresh folder, under `geo/`.
fn folder_with_layers() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/geo");
    std::fs::create_dir(dir.path().join("geo")).unwrap();
    for f in ["rivers", "places", "terrain", "rail"] {
        let name = format!("{f}.geojson");
        std::fs::copy(from.join(&name), dir.path().join("geo").join(&name)).unwrap();
    }
    dir
}

#[test]
fn generate_from_a_real_place_uses_its_rivers_towns_and_terrain() {
    let dir = folder_with_layers();
    let out = dir.path().join("valley.ron");
    let run = Command::new(env!("CARGO_BIN_EXE_railhead"))
        .current_dir(dir.path())
        .args([
            "generate",
            "--cols",
            "14",
            "--rows",
            "12",
            "--origin",
            "47.32,19.98",
            "--hex-km",
            "5",
            "--geo",
            "geo",
            "--out",
            "valley.ron",
        ])
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let s = railhead::scenario::load_file(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((s.frame.origin.lat, s.frame.origin.lon), (47.32, 19.98));
    assert_eq!(
        (s.frame.columns, s.frame.rows, s.frame.hex_km),
        (14, 12, 5.0)
    );
    // The real river, with the crossings the generator put where its lines cross it.
    let vessa = s
        .rivers
        .iter()
        .position(|r| r.name == "Vessa")
        .expect("the Vessa");
    assert!(
        s.crossings.iter().any(|c| c.river == vessa),
        "crossings of the Vessa"
    );
    assert_eq!(s.rivers.len(), 1, "no made-up river beside the real one");
    // Real towns on the rail network, where the layer puts them.
    let arnfeld = s.place("Arnfeld").expect("a real town");
    assert_eq!((arnfeld.position.lat, arnfeld.position.lon), (47.15, 20.08));
    assert!(
        s.rail_nodes
            .iter()
            .any(|n| n.name == "Arnfeld" || n.name == "Brisk"),
        "a real town is a rail node"
    );
    // Terrain from the layer's areas, open elsewhere.
    let at = s.frame.project(railhead::geo::LatLon {
        lat: 47.24,
        lon: 20.17,
    });
    assert_eq!(s.terrain_at(at).id, "forest");
    // It plays.
    let s = Arc::new(s);
    let mut sim = Simulation::new(s.clone(), 1, default_controllers(&s));
    for _ in 0..3 {
        sim.play_day();
    }
    assert!(
        sim.chronicle()
            .iter()
            .any(|l| matches!(l.event, GameEvent::UnitMoved { .. }))
    );
}

#[test]
fn generate_refuses_layers_outside_the_scenarios_folder() {
    let dir = folder_with_layers();
    let elsewhere = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_railhead"))
        .args([
            "generate",
            "--cols",
            "14",
            "--rows",
            "12",
            "--origin",
            "47.32,19.98",
            "--geo",
        ])
        .arg(dir.path().join("geo"))
        .arg("--out")
        .arg(elsewhere.path().join("x.ron"))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&run.stderr)
            .contains("the layers must be in the scenario's folder"),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(!elsewhere.path().join("x.ron").exists());
    // A bad origin is a usage error.
    let run = Command::new(env!("CARGO_BIN_EXE_railhead"))
        .args([
            "generate", "--cols", "14", "--rows", "12", "--origin", "47.3", "--out",
        ])
        .arg(elsewhere.path().join("y.ron"))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
}

#[test]
fn the_generated_front_never_steps_out_and_straight_back() {
    // A step out and back would leave a one-hex salient whose units no supply reaches
    // (`railhead validate` warns of them).
    for (cols, rows, seed) in [(14, 12, 1), (30, 30, 3), (60, 40, 1), (100, 80, 2)] {
        let s = load(&spec(cols, rows, None, seed));
        let red = s.side_index("red").unwrap();
        let front: Vec<i32> = (0..s.frame.rows)
            .map(|row| {
                (0..s.frame.columns)
                    .find(|&col| {
                        s.control[s.index(railhead::geo::Offset { col, row })] == Some(red)
                    })
                    .unwrap()
            })
            .collect();
        for w in front.windows(3) {
            let (a, b) = (w[1] - w[0], w[2] - w[1]);
            assert!(!(a != 0 && b == -a), "{cols}x{rows} seed {seed}: {front:?}");
        }
        // And so its front-line units are all in supply on day 1 but for the odd one.
        let warned = railhead::lint::lint(&s)
            .iter()
            .filter(|p| p.message.contains("can draw on no depot"))
            .count();
        assert!(
            warned <= 2,
            "{cols}x{rows} seed {seed}: {warned} units cut off"
        );
    }
}
