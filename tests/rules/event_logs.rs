//! The rules' outcomes pinned down: every event of whole games (the Kharkiv scenario over
//! several seeds, the made-up scenarios, a generated map), as `railhead run --events`
//! writes them, is compared day by day with the logs recorded in
//! `tests/golden/event_logs.json`. Work that must not change what the rules do (making
//! them faster, above all) keeps these equal; a change of the rules on purpose records
//! them again, in the same commit, with
//!
//! ```sh
//! RAILHEAD_RECORD_LOGS=1 cargo test --no-default-features --test rules event_logs
//! ```
//!
//! The file keeps, for each game, each day's number of events and a SHA-256 of that day's
//! JSON lines: a difference names the first day that differs and shows its events now.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use railhead::rules::events::{Logged, jsonl};
use railhead::rules::setup::default_controllers;
use railhead::rules::simulation::Simulation;
use railhead::scenario::{Scenario, load_file};
use sha2::{Digest, Sha256};

/// The games: (name, scenario text, seed).
fn games() -> Vec<(String, Arc<Scenario>, u64)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let read = |path: &str| Arc::new(load_file(&dir.join(path)).unwrap());
    let mut games = Vec::new();
    let kharkiv = read("scenarios/kharkiv_2022.ron");
    for seed in [1, 2, 2022] {
        games.push((format!("kharkiv_2022 seed {seed}"), kharkiv.clone(), seed));
    }
    let held = read("scenarios/kharkiv_2022_kupiansk_held.ron");
    games.push(("kharkiv_2022_kupiansk_held seed 5".into(), held, 5));
    for (path, seed) in [
        ("tests/scenarios/synthetic_chain.ron", 7),
        ("tests/scenarios/river_front.ron", 3),
        ("tests/scenarios/bridgehead_strikes.ron", 4),
        ("tests/scenarios/bridgehead_withdrawal.ron", 2),
    ] {
        let name = path.rsplit('/').next().unwrap().trim_end_matches(".ron");
        games.push((format!("{name} seed {seed}"), read(path), seed));
    }
    // A generated front (`railhead generate --cols 48 --rows 36 --seed 5`).
    let spec = railhead::scenario::generate::Spec {
        cols: 48,
        rows: 36,
        units: None,
        seed: 5,
    };
    let text = railhead::scenario::generate::generate_text(&spec).unwrap();
    let generated = Arc::new(railhead::scenario::load_str(&text, "generated.ron").unwrap());
    games.push(("generated 48x36 seed 5".into(), generated, 5));
    games
}

/// A game's days: each turn with its events as JSON lines.
type Days = Vec<(u32, Vec<String>)>;

/// One game's days.
fn days(s: &Arc<Scenario>, seed: u64) -> Days {
    let mut sim = Simulation::new(s.clone(), seed, default_controllers(s));
    while !sim.is_over() {
        sim.play_day();
    }
    let log: &[Logged] = sim.chronicle();
    let mut by_day: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for (l, line) in log.iter().zip(jsonl(s, log).lines()) {
        by_day.entry(l.turn).or_default().push(line.to_string());
    }
    by_day.into_iter().collect()
}

fn digest(lines: &[String]) -> String {
    let mut h = Sha256::new();
    for l in lines {
        h.update(l.as_bytes());
        h.update(b"\n");
    }
    format!("{:x}", h.finalize())
}

/// The recorded file: game name -> one "turn N: E events, SHA" entry per day.
type Recorded = BTreeMap<String, Vec<String>>;

fn entry(turn: u32, lines: &[String]) -> String {
    format!("turn {turn}: {} events, {}", lines.len(), digest(lines))
}

#[test]
fn whole_games_play_out_as_recorded() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/event_logs.json");
    let now: Vec<(String, Days)> = games()
        .into_iter()
        .map(|(name, s, seed)| (name, days(&s, seed)))
        .collect();
    if std::env::var_os("RAILHEAD_RECORD_LOGS").is_some() {
        let recorded: Recorded = now
            .iter()
            .map(|(name, days)| {
                (
                    name.clone(),
                    days.iter().map(|(t, lines)| entry(*t, lines)).collect(),
                )
            })
            .collect();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            serde_json::to_string_pretty(&recorded).unwrap() + "\n",
        )
        .unwrap();
        eprintln!("recorded {} games in {}", recorded.len(), path.display());
        return;
    }
    let recorded: Recorded = serde_json::from_str(
        &std::fs::read_to_string(&path).expect("tests/golden/event_logs.json is in the repository"),
    )
    .unwrap();
    assert_eq!(
        recorded.keys().collect::<Vec<_>>(),
        {
            let mut names: Vec<&String> = now.iter().map(|(n, _)| n).collect();
            names.sort();
            names
        },
        "the recorded games are the games this test plays"
    );
    for (name, days) in &now {
        let want = &recorded[name];
        for (i, (turn, lines)) in days.iter().enumerate() {
            let got = entry(*turn, lines);
            let expected = want.get(i).map_or("nothing", String::as_str);
            assert!(
                got == expected,
                "{name}: the events differ from the recorded log first on day {turn}\n  \
                 recorded: {expected}\n  now:      {got}\nThe day's events now:\n{}\n\
                 If the rules changed on purpose, record the logs again \
                 (RAILHEAD_RECORD_LOGS=1 cargo test --no-default-features --test rules event_logs).",
                lines.join("\n")
            );
        }
        assert_eq!(days.len(), want.len(), "{name}: as many days as recorded");
    }
}
