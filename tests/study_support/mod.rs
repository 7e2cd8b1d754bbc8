//! What the study tests share: a small study on a generated scenario, and the command.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use railhead::scenario::generate::{Spec, generate_text};

/// The program under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_railhead");

/// A folder with a generated scenario, a variant of it and a study of both (plus an
/// inline case): 3 cases x `seeds` seeds.
pub fn study_dir(seeds: u64, name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let text = generate_text(&Spec {
        cols: 24,
        rows: 16,
        units: None,
        seed: 3,
    })
    .unwrap();
    std::fs::write(dir.path().join("gen.ron"), text).unwrap();
    std::fs::write(
        dir.path().join("gen_variant.ron"),
        r#"Variant(base: "gen.ron", name: "Dunford empty", overrides: [Depot(name: "Dunford depot", stock: 0)])"#,
    )
    .unwrap();
    let study = dir.path().join("s.study.ron");
    std::fs::write(
        &study,
        format!(
            r#"Study(
    name: "{name}",
    base: "gen.ron",
    cases: [
        Case(label: "base"),
        Case(label: "Dunford empty", variant: "gen_variant.ron"),
        Case(label: "Red stocked", overrides: [Depot(name: "Corford depot", stock: 8000), Depot(name: "Dunford depot", stock: 8000)]),
    ],
    seeds: Seeds(count: {seeds}, first: 11),
    record: [
        Withdrawals,
        Territory(side: "blue", days: [3, 20]),
        DepotStock(depot: "Dunford depot", days: [1, 5]),
        Captures,
        Losses,
        History,
    ],
)"#
        ),
    )
    .unwrap();
    (dir, study)
}

pub fn railhead(args: &[&str]) -> std::process::Output {
    Command::new(BIN).args(args).output().unwrap()
}

pub fn ok(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "railhead failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}
