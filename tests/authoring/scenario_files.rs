//! Every shipped scenario validates, and every scenario made to fail on purpose fails with
//! exactly the errors (line, column, message) written in its `// expect:` header.

use std::path::{Path, PathBuf};

use railhead::scenario::{self, load_file};

fn ron_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
            .expect("directory exists")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "ron"))
            .filter(|p| !p.to_string_lossy().ends_with(".study.ron"))
            .collect();
    files.sort();
    files
}

#[test]
fn every_shipped_scenario_validates() {
    let files = ron_files("scenarios");
    assert!(!files.is_empty(), "scenarios/ holds no .ron files");
    for f in files {
        if let Err(e) = load_file(&f) {
            panic!("{} does not validate:\n{e}", f.display());
        }
    }
}

#[test]
fn the_built_in_scenario_is_the_file_on_disk() {
    let disk = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/kharkiv_2022.ron"),
    )
    .unwrap();
    assert_eq!(disk, scenario::KHARKIV_2022);
    let s = scenario::load_or_default(None).expect("built-in scenario validates");
    assert_eq!(
        s.sides.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["ua", "ru"]
    );
}

#[test]
fn tiny_valid_is_valid() {
    let f = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/tiny_valid.ron");
    let s = load_file(&f).expect("tiny_valid.ron validates");
    assert_eq!(s.units.len(), 2);
    assert_eq!((s.frame.columns, s.frame.rows), (8, 6));
}

#[test]
fn every_broken_scenario_fails_exactly_as_expected() {
    let files: Vec<PathBuf> = ron_files("tests/scenarios")
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("fail_"))
        })
        .collect();
    assert!(
        files.len() >= 12,
        "expected at least a dozen broken scenarios, found {}",
        files.len()
    );
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let header = text
            .lines()
            .find_map(|l| l.strip_prefix("// expect: "))
            .unwrap_or_else(|| panic!("{} has no `// expect:` line", f.display()));
        let expected: Vec<&str> = header.split(" | ").collect();
        let err = load_file(&f).expect_err(&format!("{} should not validate", f.display()));
        let got: Vec<String> = err
            .diagnostics
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
            .collect();
        assert_eq!(
            got.len(),
            expected.len(),
            "{}: expected {expected:#?}\ngot {got:#?}",
            f.display()
        );
        for (g, e) in got.iter().zip(&expected) {
            assert!(
                g.starts_with(e),
                "{}: expected `{e}`\ngot `{g}`",
                f.display()
            );
        }
        for d in &err.diagnostics {
            assert_eq!(d.file, f.display().to_string());
        }
    }
}

#[test]
fn misspellings_get_a_did_you_mean_hint() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    for (file, hint) in [
        ("fail_unknown_field.ron", "did you mean `grouping`?"),
        ("fail_unknown_grouping.ron", "did you mean `First`?"),
        ("fail_unknown_place.ron", "did you mean `Bramble`?"),
        ("fail_unknown_variant.ron", "did you mean `Mechanized`?"),
    ] {
        let err = load_file(&dir.join(file)).unwrap_err();
        assert_eq!(err.diagnostics[0].hint.as_deref(), Some(hint), "{file}");
    }
}

#[test]
fn a_scenarios_content_hash_is_stable_and_ignores_layout_and_comments() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/tiny_valid.ron");
    let s = load_file(&file).unwrap();
    // The hash saves record: a change here means every save of this file stops loading,
    // so it must come only from a change of the file or of the format (the last: the
    // campaign rules' numbers, added to `Rules` with their defaults).
    assert_eq!(s.content_hash, "5200ad6cbda69967c5cea1c1c0df7893");
    let text = std::fs::read_to_string(&file).unwrap();
    let relaid = format!(
        "// another comment\n{}",
        text.replace("turns: 5,", "turns:    5 , // five days")
    );
    assert_eq!(
        scenario::load_str(&relaid, "t.ron").unwrap().content_hash,
        s.content_hash
    );
    let changed = text.replace("turns: 5,", "turns: 6,");
    assert_ne!(
        scenario::load_str(&changed, "t.ron").unwrap().content_hash,
        s.content_hash
    );
}

#[test]
fn a_crossing_off_its_river_is_told_which_hexes_would_do() {
    let f =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/fail_crossing_off_river.ron");
    let e = load_file(&f).expect_err("the crossing is off its river");
    let hint = e.diagnostics[0].hint.as_deref().unwrap_or_default();
    assert!(
        hint.starts_with("the nearest hexes the river runs along, 1 hex away: Hex(2, 2)"),
        "{hint}"
    );
    // And that hex does: the same file with the crossing there validates.
    let fixed = std::fs::read_to_string(&f)
        .unwrap()
        .replace("at: Hex(1, 2), kind: Bridge", "at: Hex(2, 2), kind: Bridge");
    scenario::load_str(&fixed, "fixed.ron").expect("the hint's hex is beside the river");
}

#[test]
fn every_scenario_made_to_warn_warns_exactly_as_expected() {
    let files: Vec<PathBuf> = ron_files("tests/scenarios")
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("warn_"))
        })
        .collect();
    assert!(files.len() >= 2, "found {}", files.len());
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let header = text
            .lines()
            .find_map(|l| l.strip_prefix("// expect-warning: "))
            .unwrap_or_else(|| panic!("{} has no `// expect-warning:` line", f.display()));
        let expected: Vec<&str> = header.split(" | ").collect();
        let (s, locator) = scenario::load_file_located(&f)
            .unwrap_or_else(|e| panic!("{} should validate:\n{e}", f.display()));
        let mut got: Vec<_> = railhead::lint::lint(&s)
            .into_iter()
            .map(|p| locator.place(p))
            .collect();
        got.sort_by_key(|d| (d.line, d.column));
        let got: Vec<String> = got
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
            .collect();
        assert_eq!(got, expected, "{}", f.display());
    }
}

/// A scenario's glossary gives its own examples of the glossary's terms: a term Railhead
/// does not know is refused at its place with the nearest as the hint, a term given twice
/// or an empty example too; a good one is kept and read back by term.
#[test]
fn a_scenarios_glossary_examples_are_checked_and_kept() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/tiny_valid.ron");
    let text = std::fs::read_to_string(&file).unwrap();
    let with = |entries: &str| {
        let end = text.trim_end().rfind(')').unwrap();
        format!(
            "{}    glossary: [\n{entries}\n    ],\n{}",
            &text[..end],
            &text[end..]
        )
    };
    let good = with(r#"        ("junction", "the crossroads of the two lines at Bramble."),"#);
    let s = scenario::load_str(&good, "t.ron").unwrap();
    assert_eq!(
        railhead::scenario::glossary::example(&s, "junction").as_deref(),
        Some("the crossroads of the two lines at Bramble.")
    );
    let g = railhead::scenario::glossary::gloss(&s, "junction").unwrap();
    assert!(g.meaning.contains("railway lines meet"), "{g:?}");
    assert_eq!(railhead::scenario::glossary::example(&s, "depot"), None);

    let bad = with(
        r#"        ("junction", "one"),
        ("junctoin", "two"),
        ("junction", "three"),
        ("depot", ""),"#,
    );
    let err = scenario::load_str(&bad, "t.ron").unwrap_err();
    let said: Vec<String> = err.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(said.len(), 3, "{said:#?}");
    let line_of = |needle: &str| bad.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let d = &err.diagnostics;
    assert!(d[0].message.contains("no term `junctoin`"), "{said:#?}");
    assert_eq!(d[0].line, line_of("junctoin"), "{said:#?}");
    assert!(
        d[0].hint
            .as_deref()
            .unwrap()
            .contains("did you mean `junction`?"),
        "{said:#?}"
    );
    assert!(d[1].message.contains("has an example already"), "{said:#?}");
    assert_eq!(d[1].line, line_of("\"three\""), "{said:#?}");
    assert!(d[2].message.contains("0 characters"), "{said:#?}");
    assert_eq!(d[2].line, line_of("(\"depot\", \"\")"), "{said:#?}");
}
