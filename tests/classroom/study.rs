//! `railhead study`: a study file of cases x seeds, played whole or in shards merged in any
//! order into the same results, byte for byte; shards of another study, missing or given
//! twice refused by name; study files checked with positioned errors; GNU parallel.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::study_support::{BIN, ok, p, railhead, study_dir};
use railhead::study::file::load_study;

#[test]
fn shards_merged_in_any_order_give_the_same_results_as_one_machine() {
    let (dir, study) = study_dir(5, "shards");
    let whole = dir.path().join("whole");
    let out = railhead(&["study", p(&study), "--out", p(&whole), "--jobs", "2"]);
    ok(&out);
    let csv = std::fs::read_to_string(whole.join("results.csv")).unwrap();
    let html = std::fs::read_to_string(whole.join("study.html")).unwrap();
    // A header and a row per game, case by case and seed by seed.
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 15);
    assert!(lines[0].starts_with("case,seed,1st Blue Army withdrawal_day,"));
    assert!(lines[1].starts_with("base,11,"));
    assert!(lines[6].starts_with("Dunford empty,11,"));
    assert!(lines[15].starts_with("Red stocked,15,"));
    // The cases differ where they should: the emptied depot has nothing on day 1.
    let header: Vec<&str> = lines[0].split(',').collect();
    let stock = header
        .iter()
        .position(|h| *h == "Dunford depot stock_t day 1")
        .unwrap();
    let day1 = |line: &str| line.split(',').nth(stock).unwrap().parse::<f64>().unwrap();
    assert!(day1(lines[1]) > 0.0);
    assert_eq!(day1(lines[6]), 0.0);
    assert!(day1(lines[11]) > day1(lines[1]));
    assert!(html.contains("<svg"), "the page draws its charts inline");
    // The page and the summary name outcomes in words; the short headers stay in the CSV.
    let said = String::from_utf8_lossy(&out.stdout);
    for text in [&html, &said.to_string()] {
        assert!(!text.contains("territory_km2") && !text.contains("stock_t"));
        assert!(text.contains("Dunford depot's stock on day 1 ("), "{text}");
        assert!(text.contains("territory taken by "), "{text}");
    }
    // The summary names every case.
    for label in ["base", "Dunford empty", "Red stocked"] {
        assert!(said.contains(label), "{said}");
    }

    for n in [1u64, 3, 7] {
        let shards = dir.path().join(format!("shards-{n}"));
        for i in 1..=n {
            ok(&railhead(&[
                "study",
                p(&study),
                "--shard",
                &format!("{i}/{n}"),
                "--out",
                p(&shards),
                "--jobs",
                "1",
            ]));
        }
        // The shard files named one by one, in a shuffled order.
        let mut files: Vec<PathBuf> = std::fs::read_dir(&shards)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert_eq!(files.len() as u64, n);
        files.reverse();
        files.rotate_left((n / 2) as usize);
        let merged = dir.path().join(format!("merged-{n}"));
        let mut args = vec!["study", "merge"];
        args.extend(files.iter().map(|f| p(f)));
        args.extend(["--out", p(&merged), "--quiet"]);
        ok(&railhead(&args));
        assert_eq!(
            std::fs::read_to_string(merged.join("results.csv")).unwrap(),
            csv,
            "{n} shards"
        );
        assert_eq!(
            std::fs::read_to_string(merged.join("study.html")).unwrap(),
            html,
            "{n} shards"
        );
    }
}

/// The shipped study's page, two seeds a case: the games with no withdrawal order (the
/// Izium grouping when Kupiansk holds) are counted right of the plot's last day, in a
/// margin of their own, never over a box.
#[test]
fn games_without_an_order_are_counted_beside_the_boxes() {
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let shipped = std::fs::read_to_string(scenarios.join("kharkiv_2022.study.ron")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let text = shipped.replace("count: 200", "count: 2");
    assert!(!text.contains("count: 200"));
    for file in [
        "kharkiv_2022.ron",
        "kharkiv_2022_junction_held.ron",
        "kharkiv_2022_kupiansk_held.ron",
    ] {
        std::fs::copy(scenarios.join(file), dir.path().join(file)).unwrap();
    }
    let study = dir.path().join("two.study.ron");
    std::fs::write(&study, text).unwrap();
    let out_dir = dir.path().join("out");
    ok(&railhead(&[
        "study",
        p(&study),
        "--out",
        p(&out_dir),
        "--jobs",
        "2",
    ]));
    let html = std::fs::read_to_string(out_dir.join("study.html")).unwrap();
    let xs = |svg: &str, keep: &dyn Fn(&str) -> bool| -> Vec<f64> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                let text = t.split('>').nth(1)?.split('<').next()?.trim();
                let x = t.split("x=\"").nth(1)?.split('"').next()?.parse().ok()?;
                keep(text).then_some(x)
            })
            .collect()
    };
    let mut counted = 0;
    for svg in html.split("<svg").skip(1) {
        let svg = svg.split("</svg>").next().unwrap();
        let never = xs(svg, &|t| t.starts_with("never in "));
        let ticks = xs(svg, &|t| t.parse::<u32>().is_ok());
        if let Some(edge) = ticks.iter().copied().reduce(f64::max) {
            assert!(never.iter().all(|x| *x > edge), "{never:?} left of {edge}");
            counted += never.len();
        }
    }
    assert!(
        counted > 0,
        "no game without a withdrawal: the check tests nothing"
    );
}

#[test]
fn foreign_missing_and_doubled_shards_are_refused_by_name() {
    let (dir, study) = study_dir(2, "mine");
    let (other_dir, other) = study_dir(2, "someone else's");
    let shards = dir.path().join("shards");
    for i in 1..=3 {
        ok(&railhead(&[
            "study",
            p(&study),
            "--shard",
            &format!("{i}/3"),
            "--out",
            p(&shards),
        ]));
    }
    let foreign_dir = other_dir.path().join("shards");
    ok(&railhead(&[
        "study",
        p(&other),
        "--shard",
        "2/3",
        "--out",
        p(&foreign_dir),
    ]));
    let shard = |i: u64| shards.join(format!("shard-{i:04}-of-0003.jsonl"));
    let foreign = foreign_dir.join("shard-0002-of-0003.jsonl");
    let out_dir = dir.path().join("out");
    let merge = |files: &[&Path]| {
        let mut args = vec!["study", "merge"];
        args.extend(files.iter().map(|f| p(f)));
        args.extend(["--out", p(&out_dir)]);
        let out = railhead(&args);
        assert_eq!(out.status.code(), Some(1));
        assert!(!out_dir.join("results.csv").exists(), "nothing is written");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = merge(&[&shard(1), &foreign, &shard(3)]);
    assert!(
        err.contains(p(&foreign)) && err.contains("another study"),
        "{err}"
    );
    let err = merge(&[&shard(1), &shard(3)]);
    assert!(
        err.contains("missing: shard 2 (shard-0002-of-0003.jsonl)"),
        "{err}"
    );
    let copy = dir.path().join("copy.jsonl");
    std::fs::copy(shard(3), &copy).unwrap();
    let err = merge(&[&shard(1), &shard(2), &shard(3), &copy]);
    assert!(
        err.contains("shard 3 of 3 is given twice") && err.contains(p(&copy)),
        "{err}"
    );
    // A shard cut short, and a file that is no shard at all.
    let text = std::fs::read_to_string(shard(2)).unwrap();
    let cut = dir.path().join("cut.jsonl");
    std::fs::write(&cut, &text[..=text.trim_end().rfind('\n').unwrap()]).unwrap();
    let err = merge(&[&shard(1), &cut, &shard(3)]);
    assert!(err.contains(p(&cut)) && err.contains("incomplete"), "{err}");
    let err = merge(&[&shard(1), &study, &shard(3)]);
    assert!(
        err.contains(p(&study)) && err.contains("not a Railhead study shard"),
        "{err}"
    );
    // And whole, they merge.
    ok(&railhead(&[
        "study",
        "merge",
        p(&shards),
        "--out",
        p(&out_dir),
    ]));
    assert!(out_dir.join("results.csv").exists());
}

/// Checks a study text and returns its errors as `line:column: message` strings.
fn errors(text: &str) -> Vec<String> {
    let (dir, _) = study_dir(1, "x");
    let path = dir.path().join("bad.study.ron");
    std::fs::write(&path, text).unwrap();
    match load_study(&path) {
        Ok(_) => Vec::new(),
        Err(e) => e
            .diagnostics
            .iter()
            .map(|d| {
                let file = if d.file.ends_with("bad.study.ron") {
                    ""
                } else {
                    "(other file) "
                };
                format!("{file}{}:{}: {}", d.line, d.column, d.message)
            })
            .collect(),
    }
}

#[test]
fn study_files_are_checked_with_positions() {
    let errs = errors(
        r#"Study(
    name: "bad",
    base: "gen.ron",
    cases: [
        Case(label: "a"),
        Case(label: "a"),
        Case(label: "b", overrides: [Depot(name: "Nowhere depot", stock: 5)]),
        Case(label: "c", variant: "missing.ron"),
    ],
    seeds: Seeds(count: 0),
    record: [Withdrawal(grouping: "1st Blue Armee"), Territory(side: "blue", days: [0, 21])],
)"#,
    );
    let want = [
        "6:21: two cases are labelled `a` (cases 1 and 2)",
        "10:25: no seeds: each case would be played no times",
        "6:35: there is no grouping `1st Blue Armee`",
        "6:85: day 0 is not a day of the scenario (1 to 20)",
        "6:88: day 21 is not a day of the scenario (1 to 20)",
    ];
    // The shape is checked first; names and days once every case loads.
    assert_eq!(errs, want[..2], "{errs:#?}");
    let errs = errors(
        r#"Study(
    name: "bad",
    base: "gen.ron",
    cases: [
        Case(label: "a"),
        Case(label: "b", overrides: [Depot(name: "Nowhere depot", stock: 5)]),
        Case(label: "c", variant: "missing.ron"),
    ],
    seeds: Seeds(count: 2),
    record: [Withdrawal(grouping: "1st Blue Armee")],
)"#,
    );
    assert!(
        errs.iter()
            .any(|e| e.starts_with("6:37: case `b`: its overrides")),
        "an inline override's mistake is at its place in the study: {errs:#?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.starts_with("6:50: ") && e.contains("no depot named `Nowhere depot`")),
        "{errs:#?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.starts_with("7:35: cannot read missing.ron")),
        "a variant file that is not there is reported where the study names it: {errs:#?}"
    );
    // A study in a folder below the scenario may not reach up to it.
    let (dir, _) = study_dir(1, "x");
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let below = dir.path().join("sub/up.study.ron");
    std::fs::write(
        &below,
        r#"Study(name: "x", base: "../gen.ron", cases: [Case(label: "a")], seeds: Seeds(count: 1), record: [Captures])"#,
    )
    .unwrap();
    let e = load_study(&below).unwrap_err().diagnostics;
    assert_eq!(
        (e[0].line, e[0].column, e[0].message.as_str()),
        (1, 24, "../gen.ron is outside the study's folder"),
        "{e:#?}"
    );
    let errs = errors(
        r#"Study(
    name: "bad",
    base: "gen.ron",
    cases: [Case(label: "a")],
    seeds: Seeds(count: 2),
    record: [Withdrawal(grouping: "1st Blue Armee"), Territory(side: "blue", days: [0, 21])],
)"#,
    );
    assert_eq!(errs, want[2..], "{errs:#?}");
    // Not a study at all, and a syntax error.
    assert!(errors("Scenario(name: \"x\")")[0].contains("not a Railhead study"));
    assert!(errors("Study(name: \"x\",, )")[0].starts_with("1:"));
}

#[test]
fn the_shipped_study_validates_and_its_cases_differ() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/kharkiv_2022.study.ron");
    let s = load_study(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.meta.cases.len(), 4);
    assert_eq!(s.meta.seeds, 200);
    let hashes: std::collections::BTreeSet<_> = s.meta.case_scenarios.iter().collect();
    assert_eq!(hashes.len(), 4, "each case plays its own scenario");
    let out = railhead(&["validate", p(&path)]);
    ok(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("ok: study"));
}

#[test]
fn bad_shard_arguments_are_usage_errors() {
    let (_dir, study) = study_dir(1, "x");
    for bad in ["0/3", "4/3", "3", "a/b"] {
        let out = railhead(&["study", p(&study), "--shard", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
    }
    // More shards than games.
    let out = railhead(&["study", p(&study), "--shard", "1/4"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("4 shards for 3 games"));
}

/// GNU parallel (not moreutils' `parallel`), if installed.
fn gnu_parallel() -> bool {
    Command::new("parallel")
        .arg("--version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("GNU parallel"))
}

#[test]
fn gnu_parallel_runs_the_readme_recipe() {
    if !gnu_parallel() {
        assert!(
            std::env::var_os("RAILHEAD_REQUIRE_CLUSTER_TOOLS").is_none(),
            "GNU parallel is required here (RAILHEAD_REQUIRE_CLUSTER_TOOLS is set) but not installed"
        );
        eprintln!("skipped: GNU parallel is not installed (Debian: apt-get install parallel)");
        return;
    }
    let (dir, study) = study_dir(3, "parallel");
    let shards = dir.path().join("shards");
    // The README's recipe, as a user types it.
    let recipe = format!(
        "parallel --will-cite {BIN} study {} --shard {{}}/4 --out {} --jobs 1 ::: 1 2 3 4",
        p(&study),
        p(&shards)
    );
    let out = Command::new("sh").arg("-c").arg(&recipe).output().unwrap();
    ok(&out);
    let merged = dir.path().join("merged");
    ok(&railhead(&[
        "study",
        "merge",
        p(&shards),
        "--out",
        p(&merged),
    ]));
    let whole = dir.path().join("whole");
    ok(&railhead(&["study", p(&study), "--out", p(&whole)]));
    assert_eq!(
        std::fs::read(merged.join("results.csv")).unwrap(),
        std::fs::read(whole.join("results.csv")).unwrap()
    );
}

#[test]
fn a_broken_base_is_reported_once_for_all_its_cases() {
    let (dir, _) = study_dir(1, "x");
    std::fs::write(dir.path().join("broken.ron"), "Scenario(name: 1)").unwrap();
    let path = dir.path().join("b.study.ron");
    std::fs::write(
        &path,
        r#"Study(name: "x", base: "broken.ron", cases: [Case(label: "a"), Case(label: "b"), Case(label: "c", overrides: [Depot(name: "d", stock: 1)])], seeds: Seeds(count: 1), record: [Captures])"#,
    )
    .unwrap();
    let e = load_study(&path).unwrap_err().diagnostics;
    let in_base: Vec<_> = e
        .iter()
        .filter(|d| d.file.ends_with("broken.ron"))
        .collect();
    assert_eq!(in_base.len(), 1, "{e:#?}");
    assert!(e.iter().any(|d| d.message.contains("case `c`")), "{e:#?}");
}
