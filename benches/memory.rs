//! Peak memory (resident set) of `railhead validate`, `run` and `map` on the largest legal
//! scenario: a generated 400 x 400 map with 5,000 units, and the Kharkiv scenario beside
//! it. Each command runs as its own process, under a copy of this program that waits for
//! it and asks the kernel for the peak of its children (`getrusage`): that one command's.
//! Run with `cargo bench --no-default-features --bench memory`; the figures are in
//! `docs/performance.md`.

use std::process::{Command, Stdio};
use std::time::Instant;

use nix::sys::resource::{UsageWho, getrusage};

/// Marks the copy that runs one command and prints its peak.
const MEASURE: &str = "--measure-one";

/// Runs `args` (the railhead binary's) under a copy of this program; its exit code, peak
/// resident set in MiB and wall time in seconds.
fn measure(args: &[String]) -> (i32, f64, f64) {
    let start = Instant::now();
    let out = Command::new(std::env::current_exe().unwrap())
        .arg(MEASURE)
        .args(args)
        .output()
        .expect("this benchmark runs itself");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace();
    let code = it.next().and_then(|c| c.parse().ok()).unwrap_or(-1);
    let kib: f64 = it.next().and_then(|c| c.parse().ok()).unwrap_or(f64::NAN);
    (code, kib / 1024.0, start.elapsed().as_secs_f64())
}

/// The copy's work: run the command, then print its exit code and the peak of this
/// process's children (it has only that one) in KiB.
fn measure_one(args: &[String]) {
    let status = Command::new(env!("CARGO_BIN_EXE_railhead"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the railhead binary runs");
    let peak = getrusage(UsageWho::RUSAGE_CHILDREN).map_or(-1, |u| u.max_rss());
    println!("{} {peak}", status.code().unwrap_or(-1));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(MEASURE) {
        return measure_one(&args[1..]);
    }
    // `cargo bench` passes its own arguments (--bench); nothing else is read.
    let dir = std::env::temp_dir().join(format!("railhead-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let big = dir.join("largest.ron").to_string_lossy().into_owned();
    let (code, _, _) = measure(
        &[
            "generate", "--cols", "400", "--rows", "400", "--units", "5000", "--out", &big,
        ]
        .map(String::from),
    );
    assert_eq!(code, 0, "railhead generate");
    let kharkiv = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/kharkiv_2022.ron");
    let png = dir.join("map.png").to_string_lossy().into_owned();
    println!("peak resident memory and wall time of each command (release build):");
    // The largest map `railhead map` draws: at the most pixels per hex under its limit
    // of 80 million pixels for the big one (it says so: 23), the default for Kharkiv.
    for (label, file, hex_px) in [
        ("generated 400 x 400, 5,000 units", big.as_str(), "23"),
        ("Kharkiv 2022", kharkiv, "26"),
    ] {
        for (what, args) in [
            ("validate", vec!["validate", file]),
            (
                "run --turns 1",
                vec!["run", file, "--turns", "1", "--quiet"],
            ),
            ("map", vec!["map", file, "--hex-px", hex_px, "--out", &png]),
        ] {
            let args: Vec<String> = args.into_iter().map(String::from).collect();
            let (code, mib, secs) = measure(&args);
            println!("  {label:34} {what:14} {mib:8.0} MiB {secs:7.2} s  (exit {code})");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
