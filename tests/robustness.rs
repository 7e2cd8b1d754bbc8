//! Whatever the bytes, loading a scenario returns an error or a scenario: never a panic,
//! and every error points inside the file.

use proptest::prelude::*;
use railhead::scenario::{self, load_str, text_of};

const TINY: &str = include_str!("scenarios/tiny_valid.ron");

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
    #![proptest_config(ProptestConfig::with_cases(200))]

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
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), at in 0usize..TINY.len()) {
        let mut data = TINY.as_bytes()[..at].to_vec();
        data.extend_from_slice(&bytes);
        if let Ok(text) = text_of(&data, "mutant.ron") {
            check(text);
        }
    }
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
