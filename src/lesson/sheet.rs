//! The worksheet and its answer key: `worksheet.html` (each step's map, text and question
//! with room to answer, the decision with its choices, the glossary) for the class, and
//! `answers.html` (each question's answer from the lesson's game, each choice's games
//! beside history) for the teacher. Both are single files, images embedded, with a print
//! layout; printed to PDF beside them when Chromium is installed.

use std::path::{Path, PathBuf};

use maud::{Markup, PreEscaped, html};

use super::{ChoiceResult, Highlight, Lesson, Played, Step};
use crate::render::{MapStyle, MapView, Marks};
use crate::report::stats::Spread;

/// The worksheet's own style, after the reports'.
const SHEET_STYLE: &str = ".step{break-inside:avoid;margin-bottom:1.5em}
.step img,.decision img{display:block;width:100%;max-width:900px;height:auto;max-height:75vh;object-fit:contain;object-position:left top}
.ask{font-weight:bold;margin:.6em 0 .3em}.lines{border:none;margin:0 0 .4em}
.lines div{border-bottom:1px solid #999;height:2em}
.choice{font-size:1.1em;margin:.3em 0}.box{display:inline-block;width:1em;height:1em;border:1.5px solid #333;margin-right:.5em;vertical-align:middle}
table.expect td{height:2.2em;min-width:7em}.answer{background:#eef6ee;border-left:4px solid #4a8a4a;padding:.4em .8em}
@media print{.step{break-inside:avoid}.step img{max-height:120mm}.decision{break-inside:avoid}.decision img{max-height:80mm}}";

/// The map of a step: its day, looking where its camera looks, its highlights ringed.
pub fn step_map(lesson: &Lesson, played: &Played, step: &Step) -> Result<Vec<u8>, String> {
    let s = &lesson.scenario;
    let view = if step.day == 0 {
        MapView::initial(s)
    } else {
        played
            .record
            .days
            .iter()
            .find(|d| d.turn == step.day)
            .map(|d| d.view.clone())
            .ok_or_else(|| format!("the lesson's game did not reach day {}", step.day))?
    };
    let marks = marks(lesson, &view, &step.highlight);
    let zoom = step.camera.zoom.max(0.5);
    let style = MapStyle {
        hex_px: (12.0 * zoom).clamp(10.0, 36.0),
        ..MapStyle::default()
    };
    let pm = crate::render::render_marked(s, &view, &style, &marks)
        .ok_or("the map is too large to draw")?;
    // The part of the map the camera sees: 1/zoom of it each way, around the camera's
    // hex, kept within the map.
    // Closer than the whole map, the view is landscape, as on a projector or the window.
    let (w, h) = (pm.width() as f32, pm.height() as f32);
    let (cw, ch) = if zoom <= 1.0 {
        (w, h)
    } else {
        let cw = (w * 1.25 / zoom).clamp(200.0_f32.min(w), w);
        (cw, (cw * 0.7).min(h))
    };
    let (cx, cy) = crate::render::hex_pixel(s, &style, step.camera.at);
    let x = (cx - cw / 2.0).clamp(0.0, w - cw);
    let y = (cy - ch / 2.0).clamp(0.0, h - ch);
    let rect = tiny_skia::IntRect::from_xywh(x as i32, y as i32, cw as u32, ch as u32)
        .ok_or("the camera's view is empty")?;
    let part = pm.clone_rect(rect).ok_or("the camera looks off the map")?;
    let png = part.encode_png().map_err(|e| e.to_string())?;
    crate::report::embed::compact_png(&png)
}

/// The highlights of a step as marks: a grouping's or unit's counters in one ring,
/// depots, places, crossings and the two ends of a rail link each ringed alone.
pub fn marks(lesson: &Lesson, view: &MapView, highlight: &[Highlight]) -> Marks {
    let s = &lesson.scenario;
    let mut m = Marks::default();
    let mut counters = Vec::new();
    for h in highlight {
        match *h {
            Highlight::Grouping(g) => counters.extend(
                view.units
                    .iter()
                    .filter(|u| s.units.iter().any(|x| x.name == u.name && x.grouping == g))
                    .map(|u| u.hex),
            ),
            Highlight::Unit(u) => counters.extend(
                view.units
                    .iter()
                    .filter(|x| x.name == s.unit(u).name)
                    .map(|x| x.hex),
            ),
            Highlight::Depot(d) => m.spots.push(s.depot(d).hex),
            Highlight::Place(p) => m.spots.push(s.places[p.0].hex),
            Highlight::Crossing(c) => m.spots.push(s.crossings[c.0].hex),
            Highlight::Link(l) => {
                let link = s.rail_link(l);
                m.spots.extend(link.hexes.first().copied());
                m.spots.extend(link.hexes.last().copied());
            }
        }
    }
    // One ring around the counters' main body: a unit far off does not stretch it.
    m.ring = crate::report::story::main_body(counters);
    m
}

/// A lesson's day in words: "the start, 6 September 2022", "day 4, 9 September 2022".
pub fn date(lesson: &Lesson, day: u32) -> String {
    if day == 0 {
        format!(
            "the start, {}",
            lesson.scenario.start_date.format("%-d %B %Y")
        )
    } else {
        format!(
            "day {day}, {}",
            (lesson.scenario.start_date + chrono::Days::new(u64::from(day - 1)))
                .format("%-d %B %Y")
        )
    }
}

fn glossary(lesson: &Lesson) -> Markup {
    html! {
        @if !lesson.glossary.is_empty() {
            // Kept together on paper, with the closing note after them.
            div.words {
                h2 { "Words used" }
                (crate::report::html::glosses(&lesson.glossary))
            }
        }
    }
}

/// The class's worksheet.
pub fn worksheet(lesson: &Lesson, played: &Played) -> Result<String, String> {
    let s = &lesson.scenario;
    let mut steps = Vec::new();
    for (k, st) in lesson.steps.iter().enumerate() {
        let map = crate::report::embed::data_uri(&step_map(lesson, played, st)?)?;
        steps.push((k, st, map));
    }
    // The decision's map: its day, where it looks, its grouping ringed.
    let decision_map = match lesson.decision_step() {
        Some(st) => Some(crate::report::embed::data_uri(&step_map(
            lesson, played, &st,
        )?)?),
        None => None,
    };
    let decision = decision_part(lesson, decision_map.as_deref());
    let body = html! {
        style { (PreEscaped(SHEET_STYLE)) }
        h1 { (lesson.title) }
        @if !lesson.summary.is_empty() { p.lead { (lesson.summary) } }
        p { "Name: ________________________   Date: ____________" }
        p.note {
            (s.name) ", played from seed " (lesson.seed)
            @if let Some(m) = lesson.minutes { "; about " (m) " minutes" }
            ". The maps are the game's own, at the end of each step's day; what the teacher "
            "points to is ringed in orange."
        }
        (crate::report::html::legend(s, false))
        @for (k, st, map) in &steps {
            @if decision_before(lesson, *k) { (decision) }
            div.step {
                h2 { "Step " (k + 1) ": " (st.title) }
                p.note { (date(lesson, st.day)) }
                img src=(map) alt=(format!("the map on {}", date(lesson, st.day)));
                p { (st.text) }
                @if let Some(q) = &st.question {
                    p.ask { "Question " (k + 1) ": " (q.ask) }
                    div.lines { div {} div {} div {} }
                }
            }
        }
        @if decision_before(lesson, steps.len()) { (decision) }
        (glossary(lesson))
    };
    Ok(crate::report::html::page(
        &format!("Worksheet: {}", lesson.title),
        &body,
    ))
}

/// Whether the decision comes just before step `k` (`k` = the number of steps: after the
/// last): after every step of its day or before, before the first step of a later day.
fn decision_before(lesson: &Lesson, k: usize) -> bool {
    let Some(d) = &lesson.decision else {
        return false;
    };
    let first_later = lesson
        .steps
        .iter()
        .position(|st| st.day > d.day)
        .unwrap_or(lesson.steps.len());
    k == first_later
}

/// The decision as the class meets it: the question, the choices to tick, room for why,
/// and a table of what they expect.
fn decision_part(lesson: &Lesson, map: Option<&str>) -> Markup {
    html! {
        @if let Some(d) = &lesson.decision {
            div.decision {
                h2 { "Your decision: " (date(lesson, d.day)) }
                @if let Some(map) = map {
                    img src=(map) alt=(format!("the map on {}, the {} ringed", date(lesson, d.day), lesson.scenario.grouping(d.grouping).name));
                }
                p { (d.ask) }
                @for c in &d.choices {
                    p.choice { span.box {} (c.label) }
                }
                p { "Why? What do you expect to happen?" }
                div.lines { div {} div {} div {} div {} }
                p { "Before the game plays each choice " (d.runs) " times, write down what you expect:" }
                table.expect {
                    tr { th { "choice" } th { "day ordered back" } th { "equipment left behind" } th { "units lost" } }
                    @for c in &d.choices { tr { td { (c.label) } td {} td {} td {} } }
                }
            }
        }
    }
}

fn spread_words(values: &[f64], unit: &str) -> String {
    let n =
        |x: f64| crate::numbers::group_thousands(x.round().clamp(0.0, f64::from(u32::MAX)) as u32);
    match Spread::of(values) {
        Some(x) if x.p5 == x.p95 => format!("{}{unit}", n(x.median)),
        Some(x) => format!("{}{unit} ({}-{})", n(x.median), n(x.p5), n(x.p95)),
        None => "-".into(),
    }
}

/// What a choice's games came to, in a sentence.
pub fn choice_sentence(lesson: &Lesson, c: &ChoiceResult) -> String {
    let Some(d) = &lesson.decision else {
        return String::new();
    };
    let name = &lesson.scenario.grouping(d.grouping).name;
    let ordered = match Spread::of(&c.ordered) {
        None => format!("the {name} was never ordered back in {} games", c.games),
        Some(x) => format!(
            "the {name} was ordered back in {} of {} games (median day {:.0})",
            c.ordered.len(),
            c.games,
            x.median
        ),
    };
    format!(
        "{}: {ordered}; it left {} items of equipment behind and lost {} of its {} units (medians).",
        c.label,
        spread_words(&c.left_behind, ""),
        spread_words(&c.units_lost, ""),
        c.units
    )
}

/// The teacher's answer key.
pub fn answers(lesson: &Lesson, played: &Played, results: &[ChoiceResult]) -> String {
    let s = &lesson.scenario;
    let history = lesson
        .decision
        .as_ref()
        .and_then(|d| crate::report::account::account(&played.record, d.grouping).history);
    let body = html! {
        style { (PreEscaped(SHEET_STYLE)) }
        h1 { "Answer key: " (lesson.title) }
        p.note {
            "Every answer is the game's own: " (s.name) ", seed " (lesson.seed)
            ", the game the guided tour plays. Another seed plays another game; the decision's "
            "table below sets out many."
        }
        @for (k, (st, a)) in lesson.steps.iter().zip(&played.answers).enumerate() {
            @if let (Some(q), Some(a)) = (&st.question, a) {
                div.step {
                    p.ask { "Question " (k + 1) " (" (st.title) ", " (date(lesson, st.day)) "): " (q.ask) }
                    p.answer { (a) }
                }
            }
        }
        @if let Some(d) = &lesson.decision {
            h2 { "The decision, played " (d.runs) " times each (seeds " (lesson.seed) " to " (lesson.seed + u64::from(d.runs) - 1) ")" }
            p { (d.ask) }
            ul { @for c in results { li { (choice_sentence(lesson, c)) } } }
            table {
                tr {
                    th { "choice" } th { "ordered back" } th { "day (median, 5-95%)" }
                    th { "equipment left behind" } th { "its equipment captured" }
                    th { "units lost" } th { "enemy's ground taken, km²" }
                }
                @for c in results {
                    tr {
                        td { (c.label) }
                        td.n { (c.ordered.len()) " of " (c.games) }
                        td { (spread_words(&c.ordered, "")) }
                        td { (spread_words(&c.left_behind, "")) }
                        td { (spread_words(&c.captured, "")) }
                        td { (spread_words(&c.units_lost, "")) " of " (c.units) }
                        td { (spread_words(&c.enemy_km2, "")) }
                    }
                }
            }
            @if let Some((date, rating)) = &history {
                p { "History: the " (s.grouping(d.grouping).name) " was ordered back on "
                    (date.format("%-d %B %Y")) " [" (rating) "]." }
            }
        }
        (glossary(lesson))
    };
    crate::report::html::page(&format!("Answer key: {}", lesson.title), &body)
}

/// The teacher's notes: each step with its day, where to look, its text, its question and
/// the game's answer; then the decision and what its choices came to.
pub fn notes(lesson: &Lesson, played: &Played, results: &[ChoiceResult]) -> Vec<String> {
    let s = &lesson.scenario;
    let mut out = vec![format!(
        "{}: {}, seed {}{}",
        lesson.title,
        s.name,
        lesson.seed,
        lesson
            .minutes
            .map_or(String::new(), |m| format!(", about {m} minutes"))
    )];
    if !lesson.summary.is_empty() {
        out.push(lesson.summary.clone());
    }
    // The steps' minutes against the lesson's, when both are given: the rest is the
    // decision's and the discussion's.
    let timed: Vec<u32> = lesson.steps.iter().filter_map(|st| st.minutes).collect();
    if !timed.is_empty() {
        let sum: u32 = timed.iter().sum();
        out.push(match lesson.minutes {
            Some(m) if sum <= m => format!(
                "The steps take {sum} of the {m} minutes; {} are left for the decision and discussion.",
                m - sum
            ),
            Some(m) => format!(
                "The steps take {sum} minutes, {} more than the lesson's {m}: shorten a step or give the lesson more time.",
                sum - m
            ),
            None => format!("The steps take {sum} minutes."),
        });
    }
    for (k, (st, answer)) in lesson.steps.iter().zip(&played.answers).enumerate() {
        out.push(String::new());
        out.push(format!(
            "Step {}: {} ({}{})",
            k + 1,
            st.title,
            date(lesson, st.day),
            st.minutes.map_or(String::new(), |m| format!(", {m} min"))
        ));
        out.push(format!(
            "  Look {} (zoom {}){}.",
            crate::rules::narrate::hex_name(s, st.camera.at),
            st.camera.zoom,
            if st.overlay == super::Overlay::Supply {
                ", supply overlay on"
            } else {
                ""
            }
        ));
        if !st.highlight.is_empty() {
            let names: Vec<&str> = st.highlight.iter().map(|h| h.name(s)).collect();
            out.push(format!("  Ringed: {}.", names.join(", ")));
        }
        out.push(format!("  {}", st.text));
        if let (Some(q), Some(a)) = (&st.question, answer) {
            out.push(format!("  Q: {}", q.ask));
            out.push(format!("  A (the game's): {a}"));
        }
    }
    if let Some(d) = &lesson.decision {
        out.push(String::new());
        out.push(format!("Decision ({}): {}", date(lesson, d.day), d.ask));
        for c in results {
            out.push(format!("  {}", choice_sentence(lesson, c)));
        }
    }
    out
}

/// Chromium, if installed, to print pages to PDF.
fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            std::process::Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// Prints an HTML file to a PDF beside it with headless Chromium; `None` when Chromium is
/// not installed or fails (the HTML prints from any browser).
fn print_pdf(html: &Path) -> Option<PathBuf> {
    let browser = chromium()?;
    let pdf = html.with_extension("pdf");
    let profile = tempfile::tempdir().ok()?;
    let url = format!("file://{}", std::fs::canonicalize(html).ok()?.display());
    let ok = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(url)
        .output()
        .is_ok_and(|o| o.status.success());
    (ok && pdf.is_file()).then_some(pdf)
}

/// Writes the worksheet and the answer key into `dir` (PDFs beside them when Chromium is
/// installed); returns the files written.
pub fn write(lesson: &Lesson, jobs: usize, dir: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let played = super::play(lesson);
    let results = super::run_decision(lesson, jobs)?;
    let mut files = Vec::new();
    for (name, text) in [
        ("worksheet.html", worksheet(lesson, &played)?),
        ("answers.html", answers(lesson, &played, &results)),
    ] {
        let path = dir.join(name);
        crate::render::write_atomically(&path, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        files.push(path.clone());
        if let Some(pdf) = print_pdf(&path) {
            files.push(pdf);
        }
    }
    Ok(files)
}
