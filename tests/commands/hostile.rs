//! What a hostile user (or an unlucky one) can do around the parsers: close the pipe the
//! narration goes to, make standard error unwritable, name a device, a FIFO or the input
//! itself as an output, feed `/dev/zero` or a FIFO as a scenario, point a variant's base
//! outside its folder, ask for absurd counts. Nothing panics, nothing hangs, nothing
//! asked for is lost without saying so, no device is replaced, no foreign file is quoted.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn railhead() -> Command {
    Command::new(env!("CARGO_BIN_EXE_railhead"))
}

/// A scratch folder holding a copy of a small scenario, `t.ron`.
fn folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t.ron");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/tiny_valid.ron"),
        &t,
    )
    .unwrap();
    (dir, t)
}

/// Runs a command to its end, failing the test if it has not ended within 20 seconds
/// (a hang) or if it panicked (exit 101).
fn finish(mut cmd: Command) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("{cmd:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    assert_ne!(
        out.status.code(),
        Some(101),
        "{cmd:?} panicked: {}",
        text(&out.stderr)
    );
    out
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Plays one day of `scenario` and saves it to `save`.
fn save_one_day(scenario: &Path, save: &Path) {
    let mut cmd = railhead();
    cmd.arg("run")
        .arg(scenario)
        .args(["--turns", "1", "--quiet", "--save"])
        .arg(save);
    assert_eq!(finish(cmd).status.code(), Some(0));
}

fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_closed_pipe_stops_the_narration_not_the_work() {
    let (dir, t) = folder();
    let (save, events) = (dir.path().join("p.ron"), dir.path().join("p.jsonl"));
    let mut child = railhead()
        .arg("run")
        .arg(&t)
        .arg("--save")
        .arg(&save)
        .arg("--events")
        .arg(&events)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away at once, as `| head -0` would.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(save.is_file(), "the save was not written");
    assert!(events.is_file(), "the events were not written");
}

#[test]
fn an_unwritable_standard_error_is_no_panic() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("SKIPPED: no /dev/full on this machine");
        return;
    };
    let out = railhead()
        .args(["validate", "no_such_file.ron"])
        .stderr(Stdio::from(full))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn outputs_replace_only_regular_files_and_never_an_input() {
    let (dir, t) = folder();
    let before = std::fs::read(&t).unwrap();
    // The scenario itself as the save, or as the map.
    for args in [vec!["run", "--save"], vec!["map", "--out"]] {
        let mut cmd = railhead();
        cmd.arg(args[0]).arg(&t).arg(args[1]).arg(&t);
        let out = finish(cmd);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        assert!(text(&out.stderr).contains("is read by this command"));
        assert_eq!(
            std::fs::read(&t).unwrap(),
            before,
            "the scenario was changed"
        );
    }
    // The same file for two outputs.
    let x = dir.path().join("x.ron");
    let mut cmd = railhead();
    cmd.arg("run")
        .arg(&t)
        .arg("--save")
        .arg(&x)
        .arg("--events")
        .arg(&x);
    assert_eq!(finish(cmd).status.code(), Some(2));
    // A device, refused before the game is played.
    let mut cmd = railhead();
    cmd.arg("run").arg(&t).args(["--events", "/dev/null"]);
    let out = finish(cmd);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("not a regular file"),
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stdout).is_empty(), "the game was played first");
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let m = std::fs::metadata("/dev/null").unwrap();
        assert!(m.file_type().is_char_device(), "/dev/null was replaced");
    }
    // A FIFO and a folder.
    let fifo = dir.path().join("out.fifo");
    if mkfifo(&fifo) {
        let mut cmd = railhead();
        cmd.arg("map").arg(&t).arg("--out").arg(&fifo);
        assert_eq!(finish(cmd).status.code(), Some(1));
    }
    let mut cmd = railhead();
    cmd.arg("map").arg(&t).arg("--out").arg(dir.path());
    assert_eq!(finish(cmd).status.code(), Some(1));
}

#[test]
fn an_interrupted_write_leaves_nothing_behind_after_the_next() {
    let (dir, t) = folder();
    let save = dir.path().join("s.ron");
    // What a `kill -9` during a save leaves: a hidden temporary file, old.
    let stale = dir.path().join(".s.ron.AbC123.tmp");
    std::fs::write(&stale, b"half a save").unwrap();
    let old = std::time::SystemTime::now() - Duration::from_hours(1);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(old)
        .unwrap();
    save_one_day(&t, &save);
    assert!(save.is_file());
    assert!(!stale.exists(), "the stale temporary file is still there");
}

#[test]
fn devices_fifos_and_folders_are_not_read() {
    let (dir, _) = folder();
    let fifo = dir.path().join("in.fifo");
    let mut inputs = vec![PathBuf::from("/dev/zero"), dir.path().to_path_buf()];
    if mkfifo(&fifo) {
        inputs.push(fifo);
    }
    for input in inputs {
        for sub in ["validate", "map"] {
            let mut cmd = railhead();
            cmd.arg(sub).arg(&input);
            if sub == "map" {
                cmd.arg("--out").arg(dir.path().join("m.png"));
            }
            let out = finish(cmd);
            assert_eq!(out.status.code(), Some(1), "{sub} {}", input.display());
            assert!(
                text(&out.stderr).contains("not a regular file"),
                "{}",
                text(&out.stderr)
            );
        }
        let mut cmd = railhead();
        cmd.arg("run").arg("--load").arg(&input);
        assert_eq!(
            finish(cmd).status.code(),
            Some(1),
            "run --load {}",
            input.display()
        );
    }
}

#[test]
fn a_variant_reads_nothing_outside_its_folder_and_quotes_no_other_file() {
    let (dir, _) = folder();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("notes.ron"), "SECRET_WORD: do not show").unwrap();
    let variant = |name: &str, base: &str| {
        let p = sub.join(name);
        std::fs::write(
            &p,
            format!("Variant(\n    name: \"v\",\n    base: {base:?},\n    overrides: [],\n)\n"),
        )
        .unwrap();
        p
    };
    for (name, base, says) in [
        ("up.ron", "../t.ron", "outside the variant's folder"),
        ("abs.ron", "/etc/passwd", "outside the variant's folder"),
        ("notes_base.ron", "notes.ron", "is not a Railhead scenario"),
    ] {
        let mut cmd = railhead();
        cmd.arg("validate").arg(variant(name, base));
        let out = finish(cmd);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(says), "{base}: {err}");
        assert!(err.contains(":3:"), "not at the line of `base`: {err}");
        assert!(
            !err.contains("SECRET_WORD") && !err.contains("root"),
            "{err}"
        );
    }
    // Not a scenario named on the command line: said so, without quoting it.
    let mut cmd = railhead();
    cmd.arg("validate").arg(sub.join("notes.ron"));
    let err = text(&finish(cmd).stderr);
    assert!(
        err.contains("not a Railhead scenario") && !err.contains("SECRET_WORD"),
        "{err}"
    );
}

#[test]
fn counts_are_bounded_before_anything_is_allocated() {
    for args in [
        vec!["batch", "--runs", "18446744073709551615"],
        vec!["batch", "--runs", "100000000000"],
        vec!["calibrate", "--runs", "100001"],
        vec!["batch", "--runs", "2", "--jobs", "5000"],
    ] {
        let mut cmd = railhead();
        cmd.args(&args);
        let started = Instant::now();
        let out = finish(cmd);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains("at most"),
            "{}",
            text(&out.stderr)
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{args:?} took long to refuse"
        );
    }
    // A huge number of days to continue a save plays to the end, not zero days.
    let (dir, t) = folder();
    let save = dir.path().join("s.ron");
    save_one_day(&t, &save);
    let mut cmd = railhead();
    cmd.arg("run")
        .arg("--load")
        .arg(&save)
        .args(["--turns", "4294967295"]);
    let out = finish(cmd);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("Day 5"), "{}", text(&out.stdout));
}

#[test]
fn a_report_folder_is_replaced_whole_and_a_folder_of_other_files_is_left_alone() {
    let (dir, t) = folder();
    let demo = |out: &Path| {
        let mut cmd = railhead();
        cmd.arg("demo")
            .arg(&t)
            .args(["--quiet", "--runs", "1", "--out"])
            .arg(out);
        finish(cmd)
    };
    let out = dir.path().join("report");
    assert_eq!(demo(&out).status.code(), Some(0));
    let files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.contains(&"report.html".to_string()), "{files:?}");
    // An old report's page is replaced by the new one, with nothing left beside it.
    std::fs::write(out.join("report.html"), "old").unwrap();
    assert_eq!(demo(&out).status.code(), Some(0));
    assert_ne!(
        std::fs::read_to_string(out.join("report.html")).unwrap(),
        "old"
    );
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left: {leftovers:?}"
    );
    // A folder with the user's own file: the report goes in, the file stays.
    let mine = dir.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "keep me").unwrap();
    assert_eq!(demo(&mine).status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(mine.join("notes.txt")).unwrap(),
        "keep me"
    );
    assert!(mine.join("report.html").is_file());
    // A file where the folder should be.
    let out = demo(&t);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("not a folder"),
        "{}",
        text(&out.stderr)
    );
}

/// The small scenario's text stretched to the largest legal map, 400 x 400 hexes of open
/// ground, its split of control (west and east) kept.
fn largest_map(src: &str) -> String {
    let mut lines = Vec::new();
    let mut in_rows = false;
    for line in src.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("terrain: [") || trimmed.starts_with("control: [") {
            lines.push(line.to_string());
            let row = if trimmed.starts_with("terrain") {
                ".".repeat(400)
            } else {
                format!("AAAA{}", "B".repeat(396))
            };
            for _ in 0..400 {
                lines.push(format!("            \"{row}\","));
            }
            in_rows = true;
        } else if in_rows && trimmed.starts_with('"') {
            // the small map's rows: replaced
        } else {
            in_rows = false;
            lines.push(line.to_string());
        }
    }
    lines.join("\n")
}

#[test]
fn a_map_too_large_to_draw_is_refused_with_the_size_that_fits() {
    let (dir, t) = folder();
    let big = dir.path().join("big.ron");
    std::fs::write(&big, largest_map(&std::fs::read_to_string(&t).unwrap())).unwrap();
    let mut cmd = railhead();
    cmd.arg("validate").arg(&big);
    let out = finish(cmd);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut cmd = railhead();
    cmd.arg("map")
        .arg(&big)
        .args(["--hex-px", "80", "--out"])
        .arg(dir.path().join("m.png"));
    let started = Instant::now();
    let out = finish(cmd);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("--hex-px"), "{err}");
    let n: u32 = err
        .split("--hex-px ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no size in {err}"));
    assert!((8..80).contains(&n), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "refused only after drawing"
    );
}

#[test]
fn long_texts_are_refused_and_never_quoted_whole() {
    let (dir, t) = folder();
    let src = std::fs::read_to_string(&t).unwrap();
    // A title of a million characters, and a side id of two million used where a side is
    // named.
    let long_title = src.replacen(
        "name: \"Tiny valid\"",
        &format!("name: \"{}\"", "T".repeat(1_000_000)),
        1,
    );
    let id = "s".repeat(2_000_000);
    let long_id = src.replacen(
        "grouping: \"First\", at",
        &format!("grouping: \"{id}\", at"),
        1,
    );
    for (name, body, says) in [
        ("title.ron", long_title, "the limit is 120"),
        ("id.ron", long_id, "no grouping"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        let mut cmd = railhead();
        cmd.arg("map")
            .arg(&path)
            .arg("--out")
            .arg(dir.path().join("m.png"));
        let out = finish(cmd);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(
            err.to_lowercase().contains(says),
            "{name}: {}",
            &err[..err.len().min(400)]
        );
        assert!(
            err.len() < 10_000,
            "{name}: {} bytes of messages",
            err.len()
        );
    }
}

#[test]
fn a_scenario_whose_day_would_take_minutes_is_refused() {
    let (dir, t) = folder();
    let big = largest_map(&std::fs::read_to_string(&t).unwrap());
    // Two thousand depots reaching 200 movement points each, over the largest map.
    let depots: Vec<String> = (0..2000)
        .map(|i| {
            format!(
                "Depot(name: \"D{i}\", side: \"north\", node: \"Aster\", stock: 500, capacity: 2000, range: 200)"
            )
        })
        .collect();
    let start = big.find("    depots: [").unwrap();
    let end = start + big[start..].find("],").unwrap() + 2;
    let heavy = format!(
        "{}    depots: [{}],{}",
        &big[..start],
        depots.join(", "),
        &big[end..]
    );
    let path = dir.path().join("heavy.ron");
    std::fs::write(&path, heavy).unwrap();
    let mut cmd = railhead();
    cmd.arg("validate").arg(&path);
    let started = Instant::now();
    let out = finish(cmd);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("depots' reach") && err.contains("the limit is"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

/// The same bytes with a UTF-8 byte-order mark in front, as Windows Notepad writes them.
fn with_bom(path: &Path) {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(std::fs::read(path).unwrap());
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_file_from_notepad_with_a_byte_order_mark_reads_as_any_other() {
    let (dir, t) = folder();
    with_bom(&t);
    let d = dir.path();
    let ok = |args: &[&std::ffi::OsStr]| {
        let mut cmd = railhead();
        cmd.args(args);
        let out = finish(cmd);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        out
    };
    let os = |s: &str| std::ffi::OsString::from(s);
    ok(&[&os("validate"), t.as_os_str()]);
    // A variant with a mark of its own, of a base with one.
    let v = d.join("v.ron");
    std::fs::write(
        &v,
        "Variant(base: \"t.ron\", name: \"v\", overrides: [Depot(name: \"Aster depot\", stock: 900)])",
    )
    .unwrap();
    with_bom(&v);
    ok(&[&os("validate"), v.as_os_str()]);
    // A save: written, given a mark, loaded and replayed.
    let save = d.join("s.ron");
    save_one_day(&t, &save);
    with_bom(&save);
    ok(&[&os("replay"), save.as_os_str()]);
    ok(&[
        &os("run"),
        &os("--load"),
        save.as_os_str(),
        &os("--turns"),
        &os("1"),
        &os("--quiet"),
    ]);
    // A study, and a shard of it.
    let study = d.join("x.study.ron");
    std::fs::write(
        &study,
        "Study(name: \"x\", base: \"t.ron\", cases: [Case(label: \"a\")], seeds: Seeds(count: 2), record: [Captures])",
    )
    .unwrap();
    with_bom(&study);
    let shards = d.join("shards");
    ok(&[
        &os("study"),
        study.as_os_str(),
        &os("--shard"),
        &os("1/1"),
        &os("--out"),
        shards.as_os_str(),
        &os("--quiet"),
    ]);
    for f in std::fs::read_dir(&shards).unwrap() {
        with_bom(&f.unwrap().path());
    }
    let merged = d.join("merged");
    ok(&[
        &os("study"),
        &os("merge"),
        shards.as_os_str(),
        &os("--out"),
        merged.as_os_str(),
        &os("--quiet"),
    ]);
    assert!(merged.join("results.csv").is_file());
}

#[test]
fn a_utf16_file_is_refused_as_such() {
    let (dir, t) = folder();
    // "Unicode" as Notepad calls it: UTF-16, little-endian, with its mark.
    let src = std::fs::read_to_string(&t).unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(src.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&t, &bytes).unwrap();
    let save = dir.path().join("s.ron");
    std::fs::write(&save, &bytes).unwrap();
    for args in [
        vec!["validate".into(), t.clone()],
        vec!["run".into(), "--load".into(), save.clone()],
    ] {
        let mut cmd = railhead();
        cmd.args(&args);
        let out = finish(cmd);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            text(&out.stderr).contains("UTF-16"),
            "{}",
            text(&out.stderr)
        );
    }
}

#[test]
fn a_slurm_script_is_refused_for_what_slurm_cannot_carry_before_anything_is_written() {
    // The study's base is the folder's `t.ron`.
    let (dir, _) = folder();
    let study = dir.path().join("x.study.ron");
    std::fs::write(
        &study,
        "Study(name: \"x\", base: \"t.ron\", cases: [Case(label: \"a\")], seeds: Seeds(count: 2), record: [Captures])",
    )
    .unwrap();
    let cases: [(&str, &[&str], &str); 5] = [
        ("a\nb", &[], "control character"),
        ("back\\slash", &[], "backslash"),
        (
            "ok",
            &["--partition", "short; rm -rf ~"],
            "not a Slurm partition",
        ),
        ("ok", &["--partition", "a b"], "not a Slurm partition"),
        (
            "ok",
            &["--time", "01:00:00\n$(id)"],
            "not a Slurm time limit",
        ),
    ];
    for (out, extra, said) in cases {
        let target = dir.path().join(out);
        let mut cmd = railhead();
        cmd.arg("study")
            .arg(&study)
            .args(["--slurm-script", "--shards", "2"])
            .args(extra)
            .arg("--out")
            .arg(&target);
        let got = finish(cmd);
        assert_eq!(got.status.code(), Some(2), "{out:?} {extra:?}");
        assert!(text(&got.stderr).contains(said), "{}", text(&got.stderr));
        assert!(!target.exists(), "{} was written", target.display());
    }
}

/// A study of the small scenario played as two shards into `shards/`: the study file and
/// the two shard files.
fn two_shards(dir: &Path) -> (PathBuf, [PathBuf; 2]) {
    let study = dir.join("x.study.ron");
    std::fs::write(
        &study,
        "Study(name: \"x\", base: \"t.ron\", cases: [Case(label: \"a\")], seeds: Seeds(count: 4), record: [Captures, Losses])",
    )
    .unwrap();
    let shards = dir.join("shards");
    for i in 1..=2 {
        let mut cmd = railhead();
        cmd.arg("study")
            .arg(&study)
            .args(["--shard", &format!("{i}/2"), "--quiet", "--out"])
            .arg(&shards);
        assert_eq!(finish(cmd).status.code(), Some(0));
    }
    let files = [
        shards.join("shard-0001-of-0002.jsonl"),
        shards.join("shard-0002-of-0002.jsonl"),
    ];
    assert!(files.iter().all(|f| f.is_file()));
    (study, files)
}

/// `railhead study merge` of the shards: its exit code and what it said.
fn merge(dir: &Path, shards: &[PathBuf]) -> (Option<i32>, String) {
    let mut cmd = railhead();
    cmd.args(["study", "merge"])
        .args(shards)
        .arg("--out")
        .arg(dir.join("merged"))
        .arg("--quiet");
    let out = finish(cmd);
    (out.status.code(), text(&out.stderr))
}

/// A shard's header as JSON, changed by `edit`, with the study's hash made to fit again
/// (anyone can compute it), written back over the first line.
fn forge_header(shard: &Path, edit: impl Fn(&mut serde_json::Value)) {
    let text = std::fs::read_to_string(shard).unwrap();
    let (head, rest) = text.split_once('\n').unwrap();
    let mut h: serde_json::Value = serde_json::from_str(head).unwrap();
    edit(&mut h);
    if let Ok(meta) = serde_json::from_value::<railhead::study::Meta>(h["meta"].clone()) {
        h["hash"] = meta.hash().into();
    }
    std::fs::write(shard, format!("{h}\n{rest}")).unwrap();
}

/// A change to a shard's header.
type HeaderEdit = dyn Fn(&mut serde_json::Value);

/// A change to a shard file.
type ShardDamage = dyn Fn(&Path);

#[test]
fn forged_shard_headers_are_refused_before_their_numbers_are_used() {
    let edits: [(&str, &HeaderEdit, &str); 6] = [
        ("seeds 0", &|h| h["meta"]["seeds"] = 0.into(), "seeds"),
        (
            "seeds 10^18",
            &|h| h["meta"]["seeds"] = 1_000_000_000_000_000_000u64.into(),
            "seeds",
        ),
        (
            "seeds 10^8",
            &|h| h["meta"]["seeds"] = 100_000_000u64.into(),
            "seeds",
        ),
        (
            "no cases",
            &|h| h["meta"]["cases"] = serde_json::json!([]),
            "cases",
        ),
        ("shard 0 of 0", &|h| h["of"] = 0.into(), "cannot be"),
        ("games", &|h| h["games"] = 1_000_000u64.into(), "holds"),
    ];
    for (what, edit, said) in edits {
        let (dir, _) = folder();
        let (_, shards) = two_shards(dir.path());
        forge_header(&shards[0], edit);
        let (code, err) = merge(dir.path(), &shards);
        assert_eq!(code, Some(1), "{what}: {err}");
        assert!(
            err.contains("shard-0001-of-0002.jsonl") && err.contains(said),
            "{what}: {err}"
        );
        assert!(!dir.path().join("merged").exists(), "{what}");
    }
}

#[test]
fn an_edited_cut_padded_or_foreign_version_shard_is_refused_by_name() {
    let cases: [(&str, &ShardDamage, &str); 5] = [
        (
            "a result edited",
            &|f| {
                let t = std::fs::read_to_string(f).unwrap();
                let (head, rest) = t.split_once('\n').unwrap();
                // A number of the results, 0.0 made 10.0 (or 12 made 112).
                let edited = rest.replacen("\"Number\":", "\"Number\":1", 1);
                assert_ne!(edited, rest, "no number to edit");
                std::fs::write(f, format!("{head}\n{edited}")).unwrap();
            },
            "checksum",
        ),
        (
            "cut short",
            &|f| {
                let t = std::fs::read_to_string(f).unwrap();
                let keep = t.trim_end().rsplit_once('\n').unwrap().0;
                std::fs::write(f, format!("{keep}\n")).unwrap();
            },
            "incomplete",
        ),
        (
            "padded far beyond its games",
            &|f| {
                let mut t = std::fs::read(f).unwrap();
                t.extend(std::iter::repeat_n(b' ', 4 << 20));
                std::fs::write(f, t).unwrap();
            },
            "more than its",
        ),
        (
            "a game added",
            &|f| {
                let t = std::fs::read_to_string(f).unwrap();
                let last = t.trim_end().rsplit_once('\n').unwrap().1.to_string();
                std::fs::write(f, format!("{t}{last}\n")).unwrap();
            },
            "incomplete",
        ),
        (
            "another version",
            &|f| forge_header(f, |h| h["version"] = "0.0.1".into()),
            "Railhead 0.0.1",
        ),
    ];
    for (what, damage, said) in cases {
        let (dir, _) = folder();
        let (_, shards) = two_shards(dir.path());
        damage(&shards[1]);
        let (code, err) = merge(dir.path(), &shards);
        assert_eq!(code, Some(1), "{what}: {err}");
        assert!(
            err.contains("shard-0002-of-0002.jsonl") && err.contains(said),
            "{what}: {err}"
        );
    }
}

#[test]
fn one_file_under_two_spellings_is_caught() {
    let (dir, t) = folder();
    let d = dir.path();
    std::fs::create_dir(d.join("sub")).unwrap();
    let name = d.file_name().unwrap().to_str().unwrap().to_string();
    for other in [
        "./s.ron".to_string(),
        format!("../{name}/s.ron"),
        "sub/../s.ron".to_string(),
        "nowhere/../s.ron".to_string(),
    ] {
        let mut cmd = railhead();
        cmd.current_dir(d)
            .arg("run")
            .arg(&t)
            .args(["--turns", "1", "--quiet", "--save", "s.ron", "--events"])
            .arg(&other);
        let out = finish(cmd);
        assert_eq!(out.status.code(), Some(2), "{other}: {}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("two outputs"),
            "{other}: {}",
            text(&out.stderr)
        );
        assert!(!d.join("s.ron").exists(), "{other}: written");
    }
    // The scenario read, named another way as an output.
    let mut cmd = railhead();
    cmd.current_dir(d).arg("run").arg("t.ron").args([
        "--turns",
        "1",
        "--quiet",
        "--save",
        "sub/../t.ron",
    ]);
    let out = finish(cmd);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("is read by this command"));
}

/// The id of a process that has ended.
fn an_ended_process() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn what_a_killed_write_left_is_removed_by_the_next_at_once() {
    let (dir, t) = folder();
    let d = dir.path();
    let dead = an_ended_process();
    // What `kill -9` leaves during a save and during a demonstration's report: fresh, and
    // named by the process that was writing them.
    let file = d.join(format!(".s.ron.{dead}-AbC123.tmp"));
    std::fs::write(&file, b"half a save").unwrap();
    let folder = d.join(format!(".demo.{dead}-XyZ789.tmp"));
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("report.html"), vec![b'x'; 1 << 20]).unwrap();
    // One of a writer still running (this test) is left alone.
    let live = d.join(format!(".s.ron.{}-Live12.tmp", std::process::id()));
    std::fs::write(&live, b"being written").unwrap();
    save_one_day(&t, &d.join("s.ron"));
    assert!(
        !file.exists(),
        "the killed save's temporary file is still there"
    );
    assert!(live.exists(), "a running writer's file was removed");
    let mut cmd = railhead();
    cmd.arg("demo")
        .arg(&t)
        .args(["--runs", "2", "--out"])
        .arg(d.join("demo"));
    assert_eq!(finish(cmd).status.code(), Some(0));
    assert!(
        !folder.exists(),
        "the killed report's temporary folder is still there"
    );
    assert!(d.join("demo/report.html").is_file());
}

#[test]
fn a_long_study_label_is_refused_at_the_label_and_formulas_stay_inert() {
    let (dir, _) = folder();
    let d = dir.path();
    let study = d.join("x.study.ron");
    let label = "L".repeat(10_000);
    std::fs::write(
        &study,
        format!(
            "Study(name: \"x\",\n    cases: [Case(label: \"{label}\", overrides: [Depot(name: \"Aster depot\", stock: 5)])],\n    base: \"t.ron\", seeds: Seeds(count: 2), record: [Captures])"
        ),
    )
    .unwrap();
    let mut cmd = railhead();
    cmd.arg("study").arg(&study).arg("--out").arg(d.join("o"));
    let out = finish(cmd);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("x.study.ron:2:25: case 1's label has 10000"),
        "{err}"
    );
    assert!(!err.contains(&label[..200]), "the label is quoted: {err}");
    // A label a spreadsheet would run.
    std::fs::write(
        &study,
        "Study(name: \"x\", base: \"t.ron\", cases: [Case(label: \"=cmd|' /C calc'!A0\"), Case(label: \"-3\")], seeds: Seeds(count: 1), record: [Captures])",
    )
    .unwrap();
    let mut cmd = railhead();
    cmd.arg("study")
        .arg(&study)
        .arg("--out")
        .arg(d.join("o"))
        .arg("--quiet");
    assert_eq!(finish(cmd).status.code(), Some(0));
    let csv = std::fs::read_to_string(d.join("o/results.csv")).unwrap();
    assert!(csv.contains("\n'=cmd|' /C calc'!A0,"), "{csv}");
    assert!(csv.contains("\n-3,"), "a number stays a number: {csv}");
}
