//! The command line as a user runs it: exit codes, messages and files written.

use std::path::{Path, PathBuf};
use std::process::Command;

fn railhead() -> Command {
    Command::new(env!("CARGO_BIN_EXE_railhead"))
}

/// Asserts a command succeeded, showing what it printed on error if not.
fn assert_ok(out: &std::process::Output) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("railhead-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn validate_accepts_the_shipped_scenario() {
    let out = railhead()
        .args(["validate"])
        .arg(repo("scenarios/kharkiv_2022.ron"))
        .output()
        .unwrap();
    assert_ok(&out);
}

#[test]
fn validate_reports_errors_with_file_line_and_column_and_exits_1() {
    let bad = repo("tests/scenarios/fail_many_errors.ron");
    let good = repo("tests/scenarios/tiny_valid.ron");
    let out = railhead()
        .arg("validate")
        .arg(&good)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with(&bad.display().to_string()))
        .collect();
    assert_eq!(errors.len(), 3, "{stderr}");
    assert!(
        errors[0].starts_with(&format!(
            "{}:70:93: there is no grouping named `Frist`",
            bad.display()
        )),
        "{stderr}"
    );
    assert!(errors[0].contains("did you mean `First`?"));
}

#[test]
fn validate_json_lists_errors_for_editors() {
    let bad = repo("tests/scenarios/fail_unknown_grouping.ron");
    let out = railhead()
        .args(["validate", "--format", "json"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let items = v.as_array().expect("a JSON array");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["line"], 70);
    assert_eq!(items[0]["column"], 93);
    assert_eq!(items[0]["file"], bad.display().to_string());
    assert_eq!(items[0]["hint"], "did you mean `First`?");
    assert!(items[0]["message"].as_str().unwrap().contains("Frist"));
}

#[test]
fn validate_usage_errors_exit_2() {
    let out = railhead().arg("validate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Usage"));
    let out = railhead()
        .args(["validate", "--format", "xml", "x.ron"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = railhead().arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let out = railhead()
        .args(["validate", "/nonexistent/nowhere.ron"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("/nonexistent/nowhere.ron:1:1: cannot read the file")
    );
}

#[test]
fn every_sub_command_has_help() {
    for sub in [
        vec!["--help"],
        vec!["validate", "--help"],
        vec!["map", "--help"],
        vec!["play", "--help"],
        vec!["run", "--help"],
        vec!["demo", "--help"],
        vec!["compare", "--help"],
        vec!["lesson", "--help"],
        vec!["contrast", "--help"],
        vec!["batch", "--help"],
        vec!["help", "map"],
    ] {
        let out = railhead().args(&sub).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{sub:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage"),
            "{sub:?}"
        );
    }
}

#[test]
fn map_draws_the_built_in_scenario_from_any_directory() {
    let png = scratch("kharkiv.png");
    let out = railhead()
        .current_dir(std::env::temp_dir())
        .args(["map", "--out"])
        .arg(&png)
        .output()
        .unwrap();
    assert_ok(&out);
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let pm = tiny_skia::Pixmap::decode_png(&bytes).unwrap();
    assert!(
        pm.width() > 800 && pm.height() > 800,
        "{}x{}",
        pm.width(),
        pm.height()
    );
}

/// Pixels of exactly one colour in a PNG.
fn pixels_of(png: &Path, rgb: (u8, u8, u8)) -> usize {
    let pm = tiny_skia::Pixmap::decode_png(&std::fs::read(png).unwrap()).unwrap();
    pm.pixels()
        .iter()
        .filter(|p| p.alpha() == 255 && (p.red(), p.green(), p.blue()) == rgb)
        .count()
}

#[test]
fn map_grid_draws_the_river_sides_and_crossings_the_rules_count() {
    let (plain, grid) = (scratch("valley.png"), scratch("valley-grid.png"));
    let valley = repo("tests/scenarios/geo_valley.ron");
    for (png, extra) in [(&plain, None), (&grid, Some("--grid"))] {
        let out = railhead()
            .arg("map")
            .arg(&valley)
            .args(["--hex-px", "40", "--out"])
            .arg(png)
            .args(extra)
            .output()
            .unwrap();
        assert_ok(&out);
    }
    // River sides in blue, the crossing's side and hex in magenta: only on the grid.
    for colour in [(0, 150, 255), (220, 0, 160)] {
        assert_eq!(pixels_of(&plain, colour), 0, "{colour:?}");
        assert!(pixels_of(&grid, colour) > 100, "{colour:?}");
    }
}

#[test]
fn where_places_a_point_in_its_hex_and_names_the_river_sides_there() {
    let valley = repo("tests/scenarios/geo_valley.ron");
    let out = railhead()
        .arg("where")
        .arg(&valley)
        .args(["47.12", "20.33"])
        .output()
        .unwrap();
    assert_ok(&out);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("(47.1200, 20.3300) falls in hex (5, 4)"),
        "{text}"
    );
    assert!(text.contains("places: Corran (village)"), "{text}");
    assert!(
        text.contains("river sides: Vessa on its east side (to (6, 4))"),
        "{text}"
    );
    assert!(text.contains("nearest crossing: Corran bridge"), "{text}");
    let out = railhead()
        .arg("where")
        .arg(&valley)
        .args(["--hex", "0", "9"])
        .output()
        .unwrap();
    assert_ok(&out);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("nearest river side: Vessa between hexes"),
        "{text}"
    );
    // A point without its longitude is a usage error.
    let out = railhead()
        .arg("where")
        .arg(&valley)
        .arg("47.1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn validate_prints_warnings_and_passes_unless_told_to_deny_them() {
    // The made-up chain's junction guard starts beyond its depot's range, on purpose.
    let chain = repo("tests/scenarios/synthetic_chain.ron");
    let out = railhead().arg("validate").arg(&chain).output().unwrap();
    assert_ok(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("synthetic_chain.ron:91:120: warning: unit `Junction guard` can draw on no depot on day 1: Out of range: Fort Hollow depot is 12 movement points away"),
        "{err}"
    );
    let out = railhead()
        .args(["validate", "--deny-warnings"])
        .arg(&chain)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // The shipped scenario has none.
    let out = railhead()
        .args(["validate", "--deny-warnings"])
        .arg(repo("scenarios/kharkiv_2022.ron"))
        .output()
        .unwrap();
    assert_ok(&out);
}

#[test]
fn map_refuses_a_broken_scenario_and_writes_nothing() {
    let png = scratch("broken.png");
    let out = railhead()
        .arg("map")
        .arg(repo("tests/scenarios/fail_bad_date.ron"))
        .arg("--out")
        .arg(&png)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("fail_bad_date.ron:6:18"));
    assert!(!png.exists());
}

#[test]
fn run_narrates_each_day_and_writes_json_events() {
    let events = scratch("events.jsonl");
    let out = railhead()
        .args(["run", "--turns", "3", "--ai", "ua=plan", "--events"])
        .arg(&events)
        .output()
        .unwrap();
    assert_ok(&out);
    let text = String::from_utf8_lossy(&out.stdout);
    for day in [
        "Day 1, 6 September 2022",
        "Day 2, 7 September 2022",
        "Day 3, 8 September 2022",
    ] {
        assert!(text.contains(day), "{day} missing:\n{text}");
    }
    assert!(!text.contains("Day 4,"));
    assert!(text.contains("Summary: 3 days"));
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&events)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert!(
        lines
            .iter()
            .all(|v| v["turn"].is_u64() && v["date"].is_string() && v["kind"].is_string())
    );
    let depot_days = lines.iter().filter(|v| v["kind"] == "DepotSupply").count();
    let depots = railhead::scenario::load_or_default(None)
        .unwrap()
        .depots
        .len();
    assert_eq!(depot_days, 3 * depots, "one DepotSupply per depot per turn");
    for v in lines.iter().filter(|v| v["kind"] == "DepotSupply") {
        for key in ["depot", "stock", "inflow", "demand"] {
            assert!(!v[key].is_null(), "DepotSupply without {key}: {v}");
        }
    }
    assert_eq!(lines[0]["date"], "2022-09-06");
}

#[test]
fn run_quiet_prints_only_the_summary() {
    let out = railhead()
        .args(["run", "--turns", "2", "--quiet", "--ai", "ua=idle"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Day 1,"));
    assert!(text.starts_with("Summary: 2 days"), "{text}");
    assert!(text.contains("No grouping was ordered to withdraw"));
}

#[test]
fn run_refuses_unknown_sides_and_modes() {
    let out = railhead()
        .args(["run", "--ai", "xx=plan"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no side `xx`"));
    let out = railhead()
        .args(["run", "--ai", "ua=attack"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown mode `attack`"));
}

#[test]
fn a_reader_that_goes_away_is_not_an_error() {
    let mut child = railhead()
        .args(["run", "--turns", "2"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Close the pipe before the first day is narrated, as `railhead run | head -0` would.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn play_refuses_an_unknown_side() {
    let out = railhead()
        .args(["play", "--side", "xx"])
        .env_remove("DISPLAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn batch_writes_a_row_per_game_and_a_histogram() {
    let csv = scratch("batch/b.csv");
    let out = railhead()
        .args(["batch", "--runs", "3", "--seed", "7", "--day", "4", "--out"])
        .arg(&csv)
        .output()
        .unwrap();
    assert_ok(&out);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("3 games of"), "{text}");
    assert!(text.contains("territory on day 4: mean"), "{text}");
    let rows = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(rows.lines().count(), 4);
    assert!(rows.lines().nth(1).unwrap().starts_with("7,"));
    let png = std::fs::read(csv.with_extension("png")).unwrap();
    assert!(tiny_skia::Pixmap::decode_png(&png).is_ok());
}

#[test]
fn batch_and_compare_refuse_bad_arguments_with_usage_errors() {
    for args in [
        vec!["batch", "--runs", "0"],
        vec!["batch", "--day", "99"],
        vec!["batch", "--runs", "many"],
        vec!["batch", "--ai", "xx=plan"],
    ] {
        let out = railhead().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).is_empty());
    }
    let out = railhead()
        .args(["compare", "scenarios/kharkiv_2022.ron"])
        .current_dir(repo(""))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a variant is needed");
    let out = railhead()
        .arg("compare")
        .arg(repo("scenarios/kharkiv_2022.ron"))
        .arg(repo("tests/scenarios/fail_variant_unknown_depot.ron"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("fail_variant_unknown_depot.ron:7:21:"));
}

#[test]
fn run_saves_and_continues_a_game_and_replay_checks_it() {
    let first = scratch("saves/first.ron");
    let out = railhead()
        .args(["run", "--turns", "3", "--quiet", "--save"])
        .arg(&first)
        .output()
        .unwrap();
    assert_ok(&out);
    let out = railhead().arg("replay").arg(&first).output().unwrap();
    assert_ok(&out);
    assert!(String::from_utf8_lossy(&out.stdout).contains("matches the save on all 3 days"));

    let next = scratch("saves/next.ron");
    let out = railhead()
        .args(["run", "--turns", "2", "--load"])
        .arg(&first)
        .arg("--save")
        .arg(&next)
        .output()
        .unwrap();
    assert_ok(&out);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Day 4,") && text.contains("Day 5,") && !text.contains("Day 3,"),
        "{text}"
    );

    // The same as five days straight.
    let straight = scratch("saves/straight.ron");
    assert_ok(
        &railhead()
            .args(["run", "--turns", "5", "--quiet", "--save"])
            .arg(&straight)
            .output()
            .unwrap(),
    );
    let body = |p: &PathBuf| {
        std::fs::read_to_string(p)
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with("//") && !l.trim_start().starts_with("check:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(body(&next), body(&straight));

    // A damaged save: refused, exit 1, the file left as it was.
    let damaged = scratch("saves/damaged.ron");
    let text = std::fs::read_to_string(&first).unwrap();
    std::fs::write(&damaged, &text[..text.len() / 3]).unwrap();
    for args in [vec!["replay"], vec!["run", "--load"]] {
        let out = railhead().args(&args).arg(&damaged).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("damaged.ron:"),
            "{args:?}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(&damaged).unwrap(),
        &text[..text.len() / 3]
    );
    // --load takes its scenario, seed and commanders from the save.
    let out = railhead()
        .args(["run", "--seed", "3", "--load"])
        .arg(&first)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn calibrate_judges_each_fact_against_its_band_and_exits_1_when_one_is_outside() {
    let out = railhead()
        .args(["calibrate", "--runs", "3"])
        .arg(repo("tests/scenarios/synthetic_chain.ron"))
        .output()
        .unwrap();
    assert_ok(&out);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Crossways taken by Blueland"), "{text}");
    assert!(text.contains("facts with a band inside it"), "{text}");

    let json = railhead()
        .args(["calibrate", "--runs", "2", "--format", "json"])
        .arg(repo("tests/scenarios/synthetic_chain.ron"))
        .output()
        .unwrap();
    assert_ok(&json);
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let rows = rows.as_array().expect("an array of rows");
    assert!(rows.iter().any(|r| r["verdict"] == "inside"), "{rows:?}");

    // Crossways falls on the first day in these games: a band of day 10 alone is missed.
    let text = std::fs::read_to_string(repo("tests/scenarios/synthetic_chain.ron")).unwrap();
    let file = scratch("calibrate-outside.ron");
    std::fs::write(
        &file,
        text.replacen(
            r#"Taken(place: "Crossways", by: "blue", days: (1, 10))"#,
            r#"Taken(place: "Crossways", by: "blue", days: (10, 10))"#,
            1,
        ),
    )
    .unwrap();
    let out = railhead()
        .args(["calibrate", "--runs", "2"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("facts with a band are outside it"), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("OUTSIDE"));
}

#[test]
fn contrast_writes_one_page_on_two_scenarios_and_needs_both() {
    let out_dir = scratch("contrast");
    let out = railhead()
        .arg("contrast")
        .arg(repo("scenarios/kharkiv_2022.ron"))
        .arg(repo("scenarios/kherson_2022.ron"))
        .args(["--runs", "2", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_ok(&out);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("Izium grouping, supply cut by capture"),
        "{said}"
    );
    assert!(
        said.contains("Kherson grouping, supply cut by strikes"),
        "{said}"
    );
    let page = std::fs::read_to_string(out_dir.join("report.html")).unwrap();
    assert!(page.contains("Over 2 games"), "the model over the batch");
    assert!(out_dir.join("supply-2.png").is_file());
    let out = railhead()
        .args(["contrast", "scenarios/kharkiv_2022.ron"])
        .current_dir(repo(""))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "two scenarios are needed");
}

#[test]
fn calibrate_on_a_variant_says_where_the_what_if_departs_and_exits_0() {
    let out = railhead()
        .arg("calibrate")
        .arg(repo("scenarios/kherson_2022_no_strikes.ron"))
        .args(["--runs", "3"])
        .output()
        .unwrap();
    assert_ok(&out);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("departs"), "{text}");
    assert!(!text.contains("OUTSIDE"), "{text}");
    assert!(
        text.contains("A what-if: it departs from history in")
            && text.contains("ordered to withdraw"),
        "{text}"
    );
}
