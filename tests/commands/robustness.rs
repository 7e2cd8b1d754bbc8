//! Whatever the bytes, loading a scenario returns an error or a scenario, and reading a
//! save returns an error or a save: never a panic, and every scenario error points inside
//! the file.
//!
//! `cargo test` runs each property over a thousand cases from a fixed seed (well under a
//! minute). The long run, for anyone hunting for new failures, takes a case count and a
//! seed from the environment:
//!
//! ```sh
//! RAILHEAD_FUZZ_CASES=200000 RAILHEAD_FUZZ_SEED=7 cargo test --release --no-default-features --test commands robustness
//! ```
//!
//! Failures found are kept by proptest in `tests/robustness.proptest-regressions` (the
//! corpus, replayed first on every run).

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use railhead::scenario::{self, load_str, text_of};

const TINY: &str = include_str!("../scenarios/tiny_valid.ron");

/// Cases per property and the seed: a thousand from seed 2022 unless the environment
/// asks for a longer run.
fn config() -> ProptestConfig {
    let env = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<u64>().ok());
    ProptestConfig {
        cases: env("RAILHEAD_FUZZ_CASES").map_or(1_000, |n| n as u32),
        rng_seed: RngSeed::Fixed(env("RAILHEAD_FUZZ_SEED").unwrap_or(2022)),
        ..ProptestConfig::default()
    }
}

/// A real save's text: two days of the small scenario (its file named, so that a save
/// that survives a mutation is replayed).
fn a_save() -> &'static str {
    static SAVE: OnceLock<String> = OnceLock::new();
    SAVE.get_or_init(|| {
        let s = std::sync::Arc::new(load_str(TINY, "tiny.ron").unwrap());
        let mut sim = railhead::rules::simulation::Simulation::new(
            s.clone(),
            5,
            railhead::rules::setup::default_controllers(&s),
        );
        sim.play_day();
        sim.play_day();
        let file = std::path::Path::new("tests/scenarios/tiny_valid.ron");
        railhead::save::Save::of(sim.world(), Some(file), 5)
            .unwrap()
            .to_text()
            .unwrap()
    })
}

/// Reads save text as `railhead` does; never panics, whatever the text.
fn check_save(text: &str) {
    if let Ok(save) = railhead::save::Save::parse(text, "mutant.ron") {
        // A save that still parses (its checksum fitted) must still be replayable or refused.
        if let Ok(s) = save.scenario(None) {
            let _ = railhead::save::replay(&save, s);
        }
    }
}

fn check(src: &str) -> bool {
    match load_str(src, "mutant.ron") {
        Ok(_) => true,
        Err(e) => {
            let lines = src.lines().count().max(1) + 1;
            assert!(!e.diagnostics.is_empty());
            for d in &e.diagnostics {
                assert!(
                    d.line >= 1 && d.line <= lines,
                    "line {} outside a file of {lines} lines: {d}",
                    d.line
                );
                assert!(d.column >= 1, "column {} in {d}", d.column);
                assert!(!d.message.is_empty());
            }
            false
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn truncated_files_are_refused(cut in 0usize..TINY.len()) {
        // Cut before the last `)`, which closes the scenario (what follows is white space).
        let mut cut = cut.min(TINY.rfind(')').unwrap_or(0));
        while !TINY.is_char_boundary(cut) { cut -= 1; }
        prop_assert!(!check(&TINY[..cut]));
    }

    #[test]
    fn swapped_characters_never_panic(a in 0usize..TINY.len(), b in 0usize..TINY.len()) {
        let mut chars: Vec<char> = TINY.chars().collect();
        let (a, b) = (a % chars.len(), b % chars.len());
        chars.swap(a, b);
        check(&chars.iter().collect::<String>());
    }

    #[test]
    fn huge_and_odd_numbers_never_panic(
        at in 0usize..TINY.len(),
        n in prop_oneof![
            Just("99999999999999999999999".to_string()),
            Just("-1".to_string()),
            Just("1e308".to_string()),
            Just("NaN".to_string()),
            Just("inf".to_string()),
            Just("4294967296".to_string()),
            any::<i64>().prop_map(|v| v.to_string()),
            any::<f64>().prop_map(|v| v.to_string()),
        ],
    ) {
        // Replace the number nearest `at` with `n`.
        let bytes = TINY.as_bytes();
        let mut start = at;
        while start < bytes.len() && !bytes[start].is_ascii_digit() { start += 1; }
        let mut end = start;
        while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') { end += 1; }
        let mutated = format!("{}{}{}", &TINY[..start], n, &TINY[end..]);
        check(&mutated);
    }

    #[test]
    fn random_bytes_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
        at in 0usize..TINY.len(),
        mark in prop_oneof![Just(&b""[..]), Just(&b"\xEF\xBB\xBF"[..]), Just(&b"\xFF\xFE"[..])],
    ) {
        // Behind a byte-order mark (UTF-8's, skipped, or UTF-16's, refused) or none.
        let mut data = mark.to_vec();
        data.extend_from_slice(&TINY.as_bytes()[..at]);
        data.extend_from_slice(&bytes);
        if let Ok(text) = text_of(&data, "mutant.ron") {
            check(text);
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_saves_never_panic(
        cut in 0usize..4096,
        a in 0usize..4096,
        b in 0usize..4096,
        bytes in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let save = a_save();
        let n = save.len();
        // Cut short.
        let mut c = cut % n;
        while !save.is_char_boundary(c) { c -= 1; }
        check_save(&save[..c]);
        // Two characters swapped.
        let mut chars: Vec<char> = save.chars().collect();
        let k = chars.len();
        chars.swap(a % k, b % k);
        check_save(&chars.iter().collect::<String>());
        // Bytes spliced in.
        let at = a % n;
        let mut data = save.as_bytes()[..at].to_vec();
        data.extend_from_slice(&bytes);
        data.extend_from_slice(&save.as_bytes()[at..]);
        if let Ok(text) = std::str::from_utf8(&data) {
            check_save(text);
        }
    }
}

#[test]
fn the_save_the_mutations_start_from_replays() {
    let save = railhead::save::Save::parse(a_save(), "a.ron").expect("the save parses");
    let s = save.scenario(None).expect("its scenario is found");
    let (_, verdict) = railhead::save::replay(&save, s).expect("it replays");
    assert!(
        matches!(verdict, railhead::save::Replayed::Same { .. }),
        "{verdict:?}"
    );
}

#[test]
fn mutations_of_the_kharkiv_scenario_never_panic() {
    // A deterministic sweep over the real scenario: cut it, and blank out a line, at many places.
    let src = scenario::KHARKIV_2022;
    let lines: Vec<&str> = src.lines().collect();
    for i in (0..lines.len()).step_by(lines.len() / 40 + 1) {
        let cut: String = lines[..i].join("\n");
        assert!(!check(&cut), "a prefix of {i} lines was accepted");
        let mut blanked = lines.clone();
        blanked[i] = "";
        check(&blanked.join("\n"));
    }
}

#[test]
fn non_utf8_is_refused_with_a_position() {
    let mut data = b"Scenario(\n  name: \"x".to_vec();
    data.push(0xff);
    let err = text_of(&data, "bad.ron").unwrap_err();
    assert_eq!(
        (err.diagnostics[0].line, err.diagnostics[0].column),
        (2, 11)
    );
}

/// A real shard's text: the first of two shards of a small study of the tiny scenario.
fn a_shard() -> &'static str {
    static SHARD: OnceLock<String> = OnceLock::new();
    SHARD.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.ron"), TINY).unwrap();
        let study = dir.path().join("x.study.ron");
        std::fs::write(
            &study,
            "Study(name: \"x\", base: \"t.ron\", cases: [Case(label: \"a\"), Case(label: \"b\", overrides: [Depot(name: \"Aster depot\", stock: 0)])], seeds: Seeds(count: 3), record: [Captures, Losses, Withdrawals])",
        )
        .unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_railhead"))
            .arg("study")
            .arg(&study)
            .args(["--shard", "1/2", "--quiet", "--out"])
            .arg(dir.path().join("s"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        std::fs::read_to_string(dir.path().join("s/shard-0001-of-0002.jsonl")).unwrap()
    })
}

/// Reads shard bytes as `railhead study merge` does; never panics.
fn check_shard(bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("shard-0001-of-0002.jsonl");
    std::fs::write(&f, bytes).unwrap();
    let _ = railhead::study::shard::read_shard(&f);
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_and_forged_shards_never_panic(
        cut in 0usize..1 << 16,
        a in 0usize..1 << 16,
        b in 0usize..1 << 16,
        bytes in proptest::collection::vec(any::<u8>(), 0..64),
        field in prop_oneof![
            Just("/meta/seeds"), Just("/meta/first_seed"), Just("/of"), Just("/shard"),
            Just("/games"), Just("/meta/turns"),
        ],
        number in prop_oneof![
            Just(0u64), Just(1), Just(2), Just(u64::MAX), Just(1 << 40),
            Just(100_000_000), any::<u64>(),
        ],
        bom in any::<bool>(),
    ) {
        let shard = a_shard();
        let n = shard.len();
        let mark: &[u8] = if bom { b"\xEF\xBB\xBF" } else { b"" };
        // Cut short.
        check_shard(&[mark, &shard.as_bytes()[..cut % n]].concat());
        // Two bytes swapped, bytes spliced in.
        let mut swapped = shard.as_bytes().to_vec();
        swapped.swap(a % n, b % n);
        check_shard(&swapped);
        let at = a % n;
        check_shard(&[&shard.as_bytes()[..at], &bytes, &shard.as_bytes()[at..]].concat());
        // A header number forged, its study's hash made to fit again.
        let (head, rest) = shard.split_once('\n').unwrap();
        let mut h: serde_json::Value = serde_json::from_str(head).unwrap();
        if let Some(v) = h.pointer_mut(field) {
            *v = number.into();
        }
        if let Ok(meta) = serde_json::from_value::<railhead::study::Meta>(h["meta"].clone()) {
            h["hash"] = meta.hash().into();
        }
        check_shard(&[mark, format!("{h}\n{rest}").as_bytes()].concat());
    }
}
