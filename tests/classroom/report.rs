//! Classroom reports: the demonstration writes a complete report, a comparison shows the
//! what-if's effect, and a batch does not depend on the number of threads.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use railhead::report::{self, stats};
use railhead::rules::setup::default_controllers;
use railhead::scenario::{Scenario, load_file, load_or_default};

fn scenario_file(name: &str) -> Arc<Scenario> {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    Arc::new(load_file(&path).unwrap())
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("railhead-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Every `src="..."` and `href="..."` of a page.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["src=\"", "href=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].to_string());
                rest = &rest[end..];
            }
        }
    }
    out
}

/// Whether a text holds "(12, 30)": a hex's coordinates.
fn has_coordinate_pair(text: &str) -> bool {
    let digits = |x: &str| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit());
    text.split('(').skip(1).any(|rest| {
        rest.split(')')
            .next()
            .and_then(|inside| inside.split_once(", "))
            .is_some_and(|(a, b)| digits(a) && digits(b))
    })
}

#[test]
fn the_demo_writes_a_complete_report() {
    let dir = temp_dir("demo");
    railhead_ok([
        "demo".as_ref(),
        "--quiet".as_ref(),
        "--runs".as_ref(),
        "3".as_ref(),
        "--out".as_ref(),
        dir.as_os_str(),
    ]);
    let s = load_or_default(None).unwrap();

    // daily.csv: a row per day per side, each day present.
    let csv = std::fs::read_to_string(dir.join("daily.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), s.turns as usize * s.sides.len());
    for day in 1..=s.turns {
        for side in &s.sides {
            assert!(
                rows.iter().any(|r| r.starts_with(&format!("{day},"))
                    && r.split(',').nth(2) == Some(side.id.as_str())),
                "no row for day {day}, side {}",
                side.id
            );
        }
    }
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert!(header.contains(&"territory_km2") && header.contains(&"Izium depot inflow_t"));

    // events.jsonl: one JSON object per line, every day.
    let events = std::fs::read_to_string(dir.join("events.jsonl")).unwrap();
    let turns: std::collections::BTreeSet<u64> = events
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["turn"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(turns.len(), s.turns as usize);

    // One file to hand out: the page refers to nothing outside itself, its images are
    // embedded PNGs; the PNG files are beside it as well, and every one is a picture.
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let refs = links(&html);
    assert!(refs.len() > s.turns as usize, "{} images", refs.len());
    for r in &refs {
        assert!(
            r.starts_with("data:image/png;base64,"),
            "an outside reference: {r:.60}"
        );
    }
    assert!(!html.contains("url(") && !html.contains("@import"));
    for name in [
        "chart-depots.png",
        "chart-territory.png",
        &format!("map-day-{:02}.png", s.turns),
    ] {
        let bytes = std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let pm = tiny_skia::Pixmap::decode_png(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(pm.width() > 100 && pm.height() > 100);
    }
    let key_maps = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("key-day-")
        })
        .count();
    assert!(key_maps >= 1, "no key day's map");
    // The story first: its headline and chain come before anything else, the chain in the
    // order of the game's days, the order before the depot's loss.
    let story =
        &html[html.find("What this game showed").unwrap()..html.find("The scenario").unwrap()];
    assert!(
        story.contains("In this game the Izium grouping was ordered back on day"),
        "{story:.400}"
    );
    let days: Vec<u32> = story
        .split("<td>day ")
        .skip(1)
        .map(|x| x.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert!(
        days.len() >= 4 && days.windows(2).all(|w| w[0] <= w[1]),
        "{days:?}"
    );
    let order = story
        .find("The Izium grouping is ordered back")
        .expect("the order");
    let lost = story
        .find("takes the Izium depot with")
        .expect("the depot's loss");
    assert!(order < lost);
    assert!(
        story.contains("held by Ukraine") && story.contains("the grouping followed"),
        "no legend"
    );
    // The narration a student reads: no coordinates, no abbreviations of the log.
    let text = html.replace("<li>", "\n");
    for line in text.lines() {
        assert!(
            !line.contains(" inf ") && !line.contains("hex(es)"),
            "{line}"
        );
        let pair = has_coordinate_pair(line);
        assert!(!pair, "a coordinate pair: {line}");
    }
    // The model beside each dated fact of the history, over the games asked for.
    assert!(
        html.contains("The model beside history"),
        "no calibration table"
    );
    assert!(html.contains("Over 3 games"));
    assert!(html.contains("Kupiansk taken by Ukraine"));
    // It tells the story: the withdrawal, its reasons and the history beside it.
    assert!(html.contains("Izium grouping</b>: withdrawal ordered on day"));
    // The rail reason in whichever words fit the day: lines cut, or within the enemy's reach.
    assert!(html.contains("of its rail supply"));
    assert!(html.contains("Kupiansk city retaken"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn holding_kupiansk_delays_or_prevents_the_izium_withdrawal() {
    let base = scenario_file("kharkiv_2022.ron");
    let held = scenario_file("kharkiv_2022_kupiansk_held.ron");
    let izium = base
        .groupings
        .iter()
        .position(|g| g.name == "Izium grouping")
        .unwrap();
    for seed in [1, 2022] {
        let b =
            report::record::play_recorded(base.clone(), seed, default_controllers(&base), Some(12));
        let v =
            report::record::play_recorded(held.clone(), seed, default_controllers(&held), Some(12));
        let bd = b.withdrawals[izium]
            .map(|w| w.0)
            .expect("the base withdraws");
        match v.withdrawals[izium] {
            None => {}
            Some((vd, _)) => assert!(vd > bd, "seed {seed}: variant day {vd}, base day {bd}"),
        }
    }
    let dir = temp_dir("compare");
    let b = report::record::play_recorded(base.clone(), 1, default_controllers(&base), Some(8));
    let v = report::record::play_recorded(held.clone(), 1, default_controllers(&held), Some(8));
    let files = report::write_compare(&b, &v, None, &dir).unwrap();
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    for r in links(&html) {
        assert!(
            r.starts_with("data:image/png;base64,"),
            "an outside reference: {r:.60}"
        );
    }
    assert!(files.iter().all(|f| dir.join(f).is_file()));
    assert!(html.contains("what if Kupiansk had held"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The median of some numbers as the report prints it.
fn median_text(mut v: Vec<f64>) -> String {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let m = if n % 2 == 1 {
        v[n / 2]
    } else {
        f64::midpoint(v[n / 2 - 1], v[n / 2])
    };
    if m.fract() == 0.0 {
        format!("{m:.0}")
    } else {
        format!("{m:.1}")
    }
}

#[test]
fn a_comparison_opens_with_its_answer_computed_from_every_game() {
    let dir = temp_dir("compare-answer");
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/kharkiv_2022.ron");
    let held =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/kharkiv_2022_junction_held.ron");
    let out = railhead_ok([
        "compare".as_ref(),
        base.as_os_str(),
        held.as_os_str(),
        "--runs".as_ref(),
        "8".as_ref(),
        "--out".as_ref(),
        dir.as_os_str(),
    ]);
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    // The withdrawal days of the Izium grouping, game by game, from the CSVs beside it.
    let days = |file: &str| -> Vec<f64> {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let col = header
            .iter()
            .position(|h| *h == "Izium grouping withdrawal_day")
            .unwrap();
        let rows: Vec<&str> = lines.collect();
        assert_eq!(rows.len(), 8, "{file}");
        rows.iter()
            .filter_map(|r| r.split(',').nth(col).unwrap().parse().ok())
            .collect()
    };
    let (b, v) = (days("base-batch.csv"), days("variant-batch.csv"));
    let answer = &html[html.find("The answer").unwrap()..html.find("One game of each").unwrap()];
    let said = |d: &[f64]| {
        if d.is_empty() {
            format!("{} of 8 games", 0)
        } else {
            format!(
                "{} of 8 games (median day {})",
                d.len(),
                median_text(d.to_vec())
            )
        }
    };
    assert!(
        answer.contains(
            "With Kharkiv 2022: what if the junction had held, the Izium grouping was ordered back"
        ),
        "{answer:.300}"
    );
    assert!(
        answer.contains(&format!("in {}", said(&v))),
        "variant {v:?}: {answer:.400}"
    );
    let base_said = said(&b).replace(" games", "");
    assert!(
        answer.contains(&format!("against {base_said}")),
        "base {b:?}: {answer:.400}"
    );
    // The table sets territory on history's dates, losses and captures side by side.
    assert!(
        answer.contains("km² taken by 15 September"),
        "{answer:.2000}"
    );
    assert!(answer.contains("enemy equipment captured"));
    // The terminal says the same sentence.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("the Izium grouping was ordered back"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_batch_does_not_depend_on_the_number_of_threads() {
    let s = Arc::new(load_or_default(None).unwrap());
    let c = default_controllers(&s);
    let one = stats::run_batch(s.clone(), c.clone(), 5, 4, 1, &|| {}).unwrap();
    let two = stats::run_batch(s.clone(), c, 5, 4, 2, &|| {}).unwrap();
    assert_eq!(one, two);
    assert_eq!(
        one.iter().map(|o| o.seed).collect::<Vec<_>>(),
        vec![5, 6, 7, 8]
    );
    assert!(
        one.windows(2).any(|w| w[0].territory != w[1].territory),
        "different seeds, different games"
    );
    let csv = stats::batch_csv(&s, &one);
    assert_eq!(csv.lines().count(), 5);
    assert!(csv.lines().nth(1).unwrap().starts_with("5,"));
}

/// Chromium, if installed (Debian: `apt-get install chromium`).
fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// The single file opens in a headless browser with nothing beside it: at a projector's
/// 1280x720 the first screen shows the key day's map (its pixels drawn from the embedded
/// image), and printing gives a PDF of several pages.
#[test]
fn the_report_alone_opens_and_prints_in_a_browser() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let dir = temp_dir("browser");
    let report = dir.join("report");
    railhead_ok([
        "demo".as_ref(),
        "--quiet".as_ref(),
        "--runs".as_ref(),
        "1".as_ref(),
        "--out".as_ref(),
        report.as_os_str(),
    ]);
    let url = alone(&dir, &report.join("report.html"));
    let pm = first_screen(browser, &dir, &url);
    assert_eq!((pm.width(), pm.height()), (1280, 720));
    // The map's paper colour fills much of the left half: the embedded map was drawn.
    let paper = paper_pixels(&pm);
    assert!(
        paper > 5_000,
        "{paper} pixels of the map's paper on the first screen"
    );
    let pages = printed_pages(browser, &dir, &url);
    assert!(pages > 5, "{pages} pages");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Chromium; without it the test says it skipped, except where `RAILHEAD_REQUIRE_BROWSER`
/// is set (`.ci/run`), where it fails.
pub(crate) fn browser_or_skip() -> Option<&'static str> {
    let found = chromium();
    if found.is_none() {
        assert!(
            std::env::var_os("RAILHEAD_REQUIRE_BROWSER").is_none(),
            "Chromium is required here (RAILHEAD_REQUIRE_BROWSER is set) but not installed"
        );
        eprintln!("skipped: Chromium is not installed (Debian: apt-get install chromium)");
    }
    found
}

/// Runs headless Chromium on a page with these arguments (a screenshot, a PDF).
fn headless(browser: &str, dir: &Path, url: &str, extra: &[String]) {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .args(extra)
        .arg(url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `railhead` and asserts it succeeded; what it printed.
fn railhead_ok<'a>(args: impl IntoIterator<Item = &'a std::ffi::OsStr>) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_railhead"))
        .args(args)
        .output()
        .unwrap();
    crate::study_support::ok(&out);
    out
}

/// A page copied alone into a folder of its own (nothing beside it to lean on); its URL.
fn alone(dir: &Path, page: &Path) -> String {
    let alone = dir.join("alone");
    std::fs::create_dir_all(&alone).unwrap();
    let copy = alone.join(page.file_name().unwrap());
    std::fs::copy(page, &copy).unwrap();
    format!("file://{}", copy.display())
}

/// The first screen of a page at a projector's 1280x720.
fn first_screen(browser: &str, dir: &Path, url: &str) -> tiny_skia::Pixmap {
    let shot = dir.join("first-screen.png");
    headless(
        browser,
        dir,
        url,
        &[
            "--window-size=1280,720".into(),
            format!("--screenshot={}", shot.display()),
        ],
    );
    tiny_skia::Pixmap::decode_png(&std::fs::read(&shot).unwrap()).unwrap()
}

/// Prints a page to PDF and counts its pages.
fn printed_pages(browser: &str, dir: &Path, url: &str) -> usize {
    let pdf = dir.join("printed.pdf");
    headless(
        browser,
        dir,
        url,
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    bytes.windows(11).filter(|w| w == b"/Type /Page").count()
}

/// Pixels of the maps' paper colour in the left half of a 1280-wide screenshot.
fn paper_pixels(pm: &tiny_skia::Pixmap) -> usize {
    pm.pixels()
        .chunks(pm.width() as usize)
        .flat_map(|row| &row[..row.len() / 2])
        .filter(|p| {
            let c = p.demultiply();
            c.red().abs_diff(244) <= 3
                && c.green().abs_diff(241) <= 3
                && c.blue().abs_diff(232) <= 3
        })
        .count()
}

/// A lesson's worksheet alone opens in a headless browser: at 1280x720 the first screen
/// shows the first step's map (its pixels drawn from the embedded image), and it prints
/// a page or more per step.
#[test]
fn the_worksheet_alone_opens_and_prints_in_a_browser() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let dir = temp_dir("worksheet-browser");
    let lesson =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons/kharkiv_why_izium_fell.ron");
    let sheet = dir.join("sheet");
    railhead_ok([
        "lesson".as_ref(),
        lesson.as_os_str(),
        "--worksheet".as_ref(),
        sheet.as_os_str(),
    ]);
    let url = alone(&dir, &sheet.join("worksheet.html"));
    let paper = paper_pixels(&first_screen(browser, &dir, &url));
    assert!(
        paper > 5_000,
        "{paper} pixels of the map's paper on the first screen"
    );
    let pages = printed_pages(browser, &dir, &url);
    assert!(pages >= 6, "{pages} pages for 6 steps and a decision");
    let _ = std::fs::remove_dir_all(&dir);
}
