//! Saves: saving and loading at every turn changes nothing, a replay reproduces every
//! state hash, damaged saves are refused without a panic and without touching other files,
//! and an interrupted save leaves the previous one whole.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use railhead::rules::setup::default_controllers;
use railhead::rules::simulation::Simulation;
use railhead::rules::state::{Board, Depots, Forces};
use railhead::save::{self, Replayed, Save};
use railhead::scenario::{Scenario, load_file, load_or_default};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("railhead-saves-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn state(sim: &Simulation) -> (Forces, Board, Depots, String) {
    let w = sim.world();
    (
        w.resource::<Forces>().clone(),
        w.resource::<Board>().clone(),
        w.resource::<Depots>().clone(),
        railhead::rules::game::state_hash(w),
    )
}

/// Plays `days` days straight, and again saving to a file and loading it after every day.
fn save_and_load_every_day(s: Arc<Scenario>, file: Option<&Path>, days: u32, dir: &Path) {
    let seed = 11;
    let mut straight = Simulation::new(s.clone(), seed, default_controllers(&s));
    for _ in 0..days {
        straight.play_day();
    }
    let mut sim = Simulation::new(s.clone(), seed, default_controllers(&s));
    let path = dir.join("game.ron");
    for day in 0..days {
        sim.play_day();
        Save::of(sim.world(), file, seed)
            .unwrap()
            .write(&path)
            .unwrap();
        let (_, loaded) = save::load(&path).unwrap_or_else(|e| panic!("day {}: {e}", day + 1));
        assert_eq!(
            state(&loaded),
            state(&sim),
            "loading after day {} changed the game",
            day + 1
        );
        sim = loaded;
    }
    assert_eq!(state(&sim), state(&straight));
    assert_eq!(sim.orders(), straight.orders());
}

#[test]
fn saving_and_loading_at_every_turn_of_a_full_game_changes_nothing() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/synthetic_chain.ron");
    let s = Arc::new(load_file(&file).unwrap());
    let dir = temp_dir("every-turn");
    save_and_load_every_day(s.clone(), Some(&file), s.turns, &dir);
    // And the first days of the Kharkiv scenario, built in.
    let k = Arc::new(load_or_default(None).unwrap());
    save_and_load_every_day(k, None, 6, &dir);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_replay_reproduces_every_state_hash() {
    let s = Arc::new(load_or_default(None).unwrap());
    let mut sim = Simulation::new(s.clone(), 3, default_controllers(&s));
    for _ in 0..7 {
        sim.play_day();
    }
    let saved = Save::of(sim.world(), None, 3).unwrap();
    assert_eq!(saved.hashes.len(), 7);
    let (_, verdict) = save::replay(&saved, s.clone()).unwrap();
    assert_eq!(verdict, Replayed::Same { days: 7 });

    // A save whose recorded state does not match the replay is caught at that day.
    let mut wrong = saved.clone();
    wrong.hashes[4].1 = "0".repeat(32);
    let (_, verdict) = save::replay(&wrong, s.clone()).unwrap();
    assert!(
        matches!(verdict, Replayed::Differs { turn: 5, .. }),
        "{verdict:?}"
    );
    // The AI's orders are not kept: it gives them again, checked by the hashes.
    assert!(
        saved.orders.is_empty(),
        "{} orders kept",
        saved.orders.len()
    );
    // A save with orders the game does not give is caught.
    let mut wrong = saved.clone();
    wrong.orders.push(railhead::rules::orders::LoggedOrder {
        turn: 2,
        side: railhead::scenario::ids::SideId(0),
        order: railhead::rules::orders::Order::Hold {
            unit: railhead::scenario::ids::UnitId(0),
        },
    });
    let (_, verdict) = save::replay(&wrong, s).unwrap();
    assert!(matches!(verdict, Replayed::Differs { .. }), "{verdict:?}");
}

/// A save written before the state hash was taken of a binary encoding (format 3, written
/// by the build before it and kept in `tests/saves/`) still loads and replays against the
/// hashes it holds, and saved again it is written in today's format, whose hashes replay.
#[test]
fn a_save_of_format_3_replays_against_its_hashes_and_is_saved_again_in_today_s_format() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/saves/format3_synthetic_chain.ron");
    let old = Save::read(&path).unwrap();
    assert_eq!(old.format, 3);
    let s = old.scenario(Some(&path)).unwrap();
    let (sim, verdict) = save::replay(&old, s.clone()).unwrap();
    assert_eq!(verdict, Replayed::Same { days: 5 });
    // Its hashes are read, not skipped: one changed is found on its day.
    let mut wrong = old.clone();
    wrong.hashes[2].1 = "0".repeat(32);
    wrong.seal().unwrap();
    let (_, verdict) = save::replay(&wrong, s.clone()).unwrap();
    assert!(
        matches!(verdict, Replayed::Differs { turn: 3, .. }),
        "{verdict:?}"
    );
    // Saved again: today's format, the same days, hashes of the binary encoding.
    let again = Save::of(sim.world(), None, old.seed).unwrap();
    assert_eq!(again.format, save::FORMAT);
    // It keeps the orders of the sides people command (the AI gives its own again).
    let people: Vec<_> = old
        .orders
        .iter()
        .filter(|o| old.controllers[o.side.0] == railhead::rules::state::Controller::Human)
        .cloned()
        .collect();
    assert_eq!(again.orders, people);
    let days = |s: &Save| s.hashes.iter().map(|(t, _)| *t).collect::<Vec<_>>();
    assert_eq!(days(&again), days(&old));
    assert!(
        again
            .hashes
            .iter()
            .zip(&old.hashes)
            .all(|(a, b)| a.1 != b.1),
        "the hashes are of another encoding"
    );
    let (_, verdict) = save::replay(&again, s).unwrap();
    assert_eq!(verdict, Replayed::Same { days: 5 });
}

fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn damaged_saves_are_refused_and_nothing_else_is_touched() {
    let s = Arc::new(load_or_default(None).unwrap());
    let mut sim = Simulation::new(s.clone(), 2, default_controllers(&s));
    for _ in 0..3 {
        sim.play_day();
    }
    let dir = temp_dir("damaged");
    let good = dir.join("good.ron");
    Save::of(sim.world(), None, 2)
        .unwrap()
        .write(&good)
        .unwrap();
    let text = std::fs::read_to_string(&good).unwrap();
    let bytes = text.as_bytes().to_vec();
    let format = format!("format: {},", save::FORMAT);

    let mut damaged: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", bytes[..bytes.len() / 2].to_vec()),
        ("empty", Vec::new()),
        ("binary", vec![0xff, 0xfe, 0x00, 0x41]),
        (
            "edited seed",
            text.replacen("seed: 2,", "seed: 3,", 1).into_bytes(),
        ),
        (
            "newer format",
            text.replacen(&format, "format: 99,", 1).into_bytes(),
        ),
        (
            "older format",
            text.replacen(&format, "format: 1,", 1).into_bytes(),
        ),
        (
            "unknown field",
            text.replacen(&format, &format!("{format} cheat: true,"), 1)
                .into_bytes(),
        ),
    ];
    assert!(
        damaged.iter().all(|(_, d)| d != &bytes),
        "a damage changed nothing"
    );
    // Every bit of one byte flipped in turn, somewhere in the orders.
    let at = text.find("orders").unwrap() + 40;
    for bit in 0..8 {
        let mut b = bytes.clone();
        b[at] ^= 1 << bit;
        damaged.push(("bit flipped", b));
    }
    for (i, (what, content)) in damaged.iter().enumerate() {
        let path = dir.join(format!("bad-{i}.ron"));
        std::fs::write(&path, content).unwrap();
        let before = listing(&dir);
        let result = save::load(&path);
        assert!(result.is_err(), "a save {what} was accepted");
        let message = result.err().unwrap().to_string();
        assert!(
            message.contains(&format!("bad-{i}.ron")),
            "{what}: {message}"
        );
        assert_eq!(listing(&dir), before, "loading a save {what} touched files");
    }
    assert!(save::load(&good).is_ok(), "the good save still loads");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_save_carries_its_scenario_and_reads_no_file_outside_its_folder() {
    let dir = temp_dir("changed");
    let file = dir.join("tiny.ron");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/synthetic_chain.ron");
    std::fs::copy(&src, &file).unwrap();
    let s = Arc::new(load_file(&file).unwrap());
    let mut sim = Simulation::new(s.clone(), 1, default_controllers(&s));
    sim.play_day();
    let path = dir.join("game.ron");
    let saved = Save::of(sim.world(), Some(&file), 1).unwrap();
    saved.write(&path).unwrap();
    // The scenario file changed, then gone: the save still loads the scenario it was made
    // with, and replays.
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("seed: 7", "seed: 8", 1)).unwrap();
    let (_, loaded) = save::load(&path).expect("the save loads with its own scenario");
    assert_eq!(loaded.scenario().content_hash, s.content_hash);
    std::fs::remove_file(&file).unwrap();
    assert!(save::load(&path).is_ok(), "the save needs no other file");
    // What it carries, tampered with: refused.
    let mut forged = saved.clone();
    forged.scenario.content = forged
        .scenario
        .content
        .map(|c| c.replacen("\"seed\":7", "\"seed\":8", 1));
    forged.seal().unwrap();
    let e = forged
        .scenario(Some(&path))
        .map(|_| ())
        .expect_err("refused")
        .to_string();
    assert!(e.contains("damaged"), "{e}");
    // A save of an earlier version, without its scenario: the file it names is read only
    // in the save's folder (or below it), else the built-in scenario when it matches.
    let mut old = saved.clone();
    old.scenario.content = None;
    old.scenario.file = Some("/etc/passwd".into());
    old.seal().unwrap();
    let e = old
        .scenario(Some(&path))
        .map(|_| ())
        .expect_err("refused")
        .to_string();
    assert!(e.contains("not in the save's folder"), "{e}");
    assert!(!e.contains("root"), "{e}");
    std::fs::write(&file, &text).unwrap();
    old.scenario.file = Some("tiny.ron".into());
    old.seal().unwrap();
    assert!(old.scenario(Some(&path)).is_ok(), "its scenario beside it");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_interrupted_save_leaves_the_previous_one_whole() {
    let dir = temp_dir("interrupted");
    let path = dir.join("game.ron");
    let railhead = env!("CARGO_BIN_EXE_railhead");
    let ok = std::process::Command::new(railhead)
        .args(["run", "--turns", "1", "--quiet", "--save"])
        .arg(&path)
        .status()
        .unwrap();
    assert!(ok.success());
    let before = std::fs::read(&path).unwrap();
    let (first, _) = save::load(&path).unwrap();

    // The next save is killed while it writes (files may grow to 4 KiB only: the kernel
    // stops the process at the limit, as a crash or a full disk would stop it).
    let killed = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -f 8; exec \"$0\" run --load \"$1\" --turns 2 --quiet --save \"$1\"")
        .arg(railhead)
        .arg(&path)
        .status()
        .unwrap();
    assert!(!killed.success(), "the save was not interrupted");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the previous save was touched"
    );
    let (loaded, _) = save::load(&path).unwrap();
    assert_eq!(loaded, first);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A player's strike (an order like any other, with its target) is saved, loaded and
/// replayed: the game by file goes on as it was, the strike's dice rolled again the same.
#[test]
fn a_players_strike_is_saved_and_replays() {
    use railhead::rules::day::Stop;
    use railhead::rules::orders::Order;
    use railhead::rules::state::Controller;
    use railhead::scenario::model::Target;
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/bridgehead_strikes.ron");
    let s = Arc::new(railhead::scenario::load_file(&file).unwrap());
    let mut sim = Simulation::new(s.clone(), 4, vec![Controller::Idle, Controller::Human]);
    let east = railhead::scenario::ids::SideId(1);
    assert_eq!(sim.advance(), Stop::Orders(east));
    let out = sim.give([Order::Strike {
        assets: 0,
        target: Target::Crossing(0),
    }]);
    assert_eq!(out, vec![Ok(())]);
    sim.play_day();
    let dir = temp_dir("strike");
    let path = dir.join("game.ron");
    Save::of(sim.world(), Some(&file), 4)
        .unwrap()
        .write(&path)
        .unwrap();
    let saved = Save::read(&path).unwrap();
    assert!(
        saved
            .orders
            .iter()
            .any(|o| matches!(o.order, Order::Strike { .. })),
        "the strike is in the save"
    );
    let (replayed, verdict) = save::replay(&saved, s).unwrap();
    assert!(matches!(verdict, Replayed::Same { .. }), "{verdict:?}");
    assert_eq!(state(&replayed), state(&sim));
    let _ = std::fs::remove_dir_all(&dir);
}
