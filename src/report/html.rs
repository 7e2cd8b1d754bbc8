//! The report pages: one self-contained HTML file (its style inline) beside the PNGs it
//! shows, to open in a browser or project in a classroom. Written with maud, whose
//! templates are checked by the compiler and escape every text they are given.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::record::{GameRecord, key_events, withdrawal_days};
use crate::numbers::group_thousands;
use crate::rules::narrate::narrate_day_after;

const STYLE: &str = "body{font-family:DejaVu Sans,Verdana,sans-serif;max-width:1240px;margin:.6em auto;padding:0 1em;color:#222;line-height:1.45}
h1{margin:.2em 0}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f1efe8}td.n{text-align:right}.lead{font-size:1.1em;color:#444}
.maps{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:1em}
.maps figure{margin:0}.maps img{width:100%;border:1px solid #ccc}figcaption{font-size:.9em;color:#555}
img.chart{max-width:100%;border:1px solid #ddd}details{margin:.3em 0}summary{cursor:pointer;font-weight:bold}
.headline{background:#fff8e0;border:1px solid #e8d9a0;padding:.6em 1em;font-size:1.15em}
pre{white-space:pre-wrap}.opening{display:grid;grid-template-columns:minmax(0,11fr) minmax(0,9fr);gap:1.2em;align-items:start}
.opening h2{margin-top:0}.opening .headline{font-size:1.05em}.key{margin:0 0 1em}.key img{width:100%;max-width:1000px;border:1px solid #ccc}
.legend{display:flex;flex-wrap:wrap;gap:.3em 1.2em;font-size:.9em;margin:.3em 0 1em}.legend span{white-space:nowrap}
.sw{display:inline-block;width:1.6em;height:.9em;vertical-align:middle;margin-right:.35em;border:1px solid #888}
.chain td:first-child{white-space:nowrap}.chain td.h{color:#555;white-space:nowrap}
@media print{body{max-width:none;margin:0;font-size:10.5pt}h2{break-after:avoid}
figure,tr,img,.headline,.legend,.words{break-inside:avoid}.made{break-before:avoid}.key img{max-width:100%}.pagebreak{break-before:page}
details::details-content{display:block;content-visibility:visible}a{color:inherit;text-decoration:none}
.maps{grid-template-columns:repeat(3,1fr)}}";

/// Opens every folded section before printing, so that nothing is cut off the paper.
const PRINT_SCRIPT: &str = "addEventListener('beforeprint',()=>document.querySelectorAll('details').forEach(d=>d.open=true));";

/// A whole page: the title, the style, the body and the closing note.
pub fn page(title: &str, body: &Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { (title) }
                style { (PreEscaped(STYLE)) }
                script { (PreEscaped(PRINT_SCRIPT)) }
            }
            body {
                (body)
                p.made { small { "Made by Railhead. The game is a model: the historical figures come from the scenario's sources, with their ratings." } }
            }
        }
    }
    .into_string()
}

/// Which groupings withdrew and when, as a list.
pub fn headline(r: &GameRecord) -> Markup {
    html! {
        ul {
            @for (g, day) in withdrawal_days(r) {
                @match day {
                    Some(d) => li {
                        b { (g) } ": withdrawal ordered on day " (d) " ("
                        ((r.scenario.start_date + chrono::Days::new(u64::from(d - 1))).format("%-d %B"))
                        ")"
                    },
                    None => li { (g) ": no withdrawal" },
                }
            }
        }
    }
}

/// A row of the timeline: the date, what happened in this game, what happened historically
/// (with the rating of its sources).
type TimelineRow<'a> = (
    chrono::NaiveDate,
    Option<String>,
    Option<(&'a str, &'a str)>,
);

/// The game's key events beside the historical timeline on one date axis: a row per
/// date, the game's events in one column and history's in the other.
pub fn timeline(r: &GameRecord) -> Markup {
    let s = &r.scenario;
    let mut rows: Vec<TimelineRow> = Vec::new();
    for (_, date, text) in key_events(r) {
        rows.push((date, Some(text), None));
    }
    let last = r.days.last().map_or(s.start_date, |d| d.date);
    for h in s.history.iter().filter(|h| h.date <= last) {
        rows.push((h.date, None, Some((h.text.as_str(), h.rating.as_str()))));
    }
    rows.sort_by_key(|r| r.0);
    let mut dates: Vec<chrono::NaiveDate> = rows.iter().map(|r| r.0).collect();
    dates.dedup();
    html! {
        table {
            tr { th { "date" } th { "in this game" } th { "historically (source rating)" } }
            @for date in &dates {
                tr {
                    td { (date.format("%-d %b")) }
                    td { @for (_, game, _) in rows.iter().filter(|r| r.0 == *date) { @if let Some(g) = game { (g) br; } } }
                    td { @for (_, _, hist) in rows.iter().filter(|r| r.0 == *date) { @if let Some((text, rating)) = hist { (text) " " small { "[" (rating) "]" } br; } } }
                }
            }
        }
    }
}

/// The story's chain, a link per row, the game's day and date beside
/// history's date for the same event.
pub fn story(st: &super::story::Story) -> Markup {
    html! {
        @if !st.links.is_empty() {
            table.chain {
                tr { th { "in this game" } th { "what happened" } th { "history" } }
                @for l in &st.links {
                    tr {
                        td { "day " (l.turn) ", " (l.date.format("%-d %b")) }
                        td { (l.text) }
                        td.h { @if let Some((d, rating)) = &l.history { (d.format("%-d %b")) " " small { "[" (rating) "]" } } }
                    }
                }
            }
        }
    }
}

/// What the marks on a report's map mean: each side's ground, the front, rail lines open
/// and cut, depots, objectives, the grouping ringed and the advances.
pub fn legend(s: &crate::scenario::Scenario, marked: bool) -> Markup {
    let css = |c: crate::scenario::model::Rgb, a: f32| {
        format!("background:rgba({},{},{},{a})", c.0, c.1, c.2)
    };
    let ring = crate::render::RING_RGB;
    html! {
        div.legend {
            @for side in &s.sides {
                span { span.sw style=(css(side.colour, 0.35)) {} "held by " (side.name) }
            }
            span { span.sw style="background:none;border:none;border-bottom:3px solid rgb(200,30,30)" {} "front line" }
            span { span.sw style="background:repeating-linear-gradient(90deg,#191919 0 6px,#fafafa 6px 9px);border:2px solid #191919" {} "railway" }
            span { span.sw style="background:repeating-linear-gradient(90deg,#d21e1e 0 6px,#fafafa 6px 9px);border:2px solid #d21e1e" {} "railway cut" }
            span { span.sw style="background:none;border:none;border-bottom:3px solid rgb(58,110,190)" {} "river" }
            span { "▣ counters: units (NATO symbols, strength)" }
            span { "■ depot, with its stock in tonnes" }
            span { "◎ objective, victory points (VP)" }
            @if marked {
                span { span.sw style=(format!("background:none;border:3px dashed rgb({},{},{});border-radius:50%", ring.0, ring.1, ring.2)) {} "the grouping followed" }
                span { "➜ the enemy's main advances since the start, in its colour" }
            }
        }
    }
}

/// The calibration table: each dated fact of the history beside the games' median, 5th-95th
/// percentile and the share of games inside its band.
pub fn calibration(rows: &[super::calibrate::Row], seeds: &[u64]) -> Markup {
    use super::calibrate::Verdict;
    let (judged, outside) = super::calibrate::counts(rows);
    let runs = seeds.len();
    let which = match (seeds.iter().min(), seeds.iter().max()) {
        (Some(a), Some(b)) if a == b => format!("seed {a}"),
        (Some(a), Some(b)) if b - a + 1 == runs as u64 => format!("seeds {a} to {b}"),
        _ => format!("{runs} seeds"),
    };
    html! {
        p {
            "Over " (runs) (if runs == 1 { " game" } else { " games" }) " (" (which) "): "
            (judged - outside) " of " (judged) " facts with a band are inside it "
            "(a fact is inside when the median game is). "
            @if runs > 1 {
                "Other seeds give other games: " code { "railhead calibrate" } " plays seeds 1 to 50, and "
                "a fact whose games sit near its band's edge can fall inside over one set of "
                "seeds and outside over another. That is the spread of the dice, not another model."
            }
        }
        table {
            tr {
                th { "date" } th { "day" } th { "fact" } th { "band" } th { "median" }
                th { "5th-95th" } th { "games inside" } th { "verdict" } th { "rating / source" }
            }
            @for r in rows {
                tr {
                    td { (r.date.format("%-d %b")) }
                    td.n { (r.day) }
                    td { (r.fact) }
                    td { (r.band) }
                    td { (r.median) }
                    td { (r.p5_p95) }
                    td.n { (r.share_inside.map_or(String::new(), |v| format!("{:.0}%", v * 100.0))) }
                    td {
                        (match r.verdict {
                            Verdict::Inside => "inside",
                            Verdict::Outside => "outside",
                            Verdict::Shown => "shown",
                            Verdict::NotPlayed => "not played",
                        })
                    }
                    td { small { (r.rating) } }
                }
            }
        }
    }
}

/// Territory per day per side beside the historical figure.
pub fn territory_table(r: &GameRecord) -> Markup {
    let km2 = |v: f64| group_thousands(v.round() as u32);
    html! {
        table {
            tr {
                th { "day" } th { "date" }
                @for side in &r.scenario.sides {
                    th { (side.name) " km² taken" } th { "historical figure" }
                }
            }
            @for d in &r.days {
                tr {
                    td.n { (d.turn) }
                    td { (d.date.format("%-d %b")) }
                    @for side in &d.sides {
                        td.n { (km2(side.territory_km2)) }
                        td.n { (side.historical_km2.map_or_else(|| "-".to_string(), km2)) }
                    }
                }
            }
        }
    }
}

/// Losses and captures at the end, per side.
pub fn losses_table(r: &GameRecord) -> Markup {
    let s = &r.scenario;
    let captured: Vec<String> = r
        .events
        .iter()
        .filter_map(|l| match &l.event {
            crate::rules::events::GameEvent::EquipmentCaptured {
                by, unit, items, ..
            } => Some(format!(
                "day {}: {} captures from {}: {}",
                l.turn,
                crate::rules::narrate::side_name(s, *by),
                s.unit(*unit).name,
                items
                    .iter()
                    .map(|(k, n)| format!("{n} {k}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            _ => None,
        })
        .collect();
    html! {
        table {
            tr {
                th { "side" } th { "units lost" } th { "equipment lost" }
                th { "enemy equipment captured" } th { "victory points" }
            }
            @if let Some(d) = r.days.last() {
                @for (i, side) in d.sides.iter().enumerate() {
                    tr {
                        td { (s.sides[i].name) }
                        td.n { (side.units_lost) }
                        td.n { (side.equipment_lost) }
                        td.n { (side.captured) }
                        td.n { (side.victory_points) }
                    }
                }
            }
        }
        @if !captured.is_empty() {
            details {
                summary { "Every capture" }
                ul { @for c in &captured { li { (c) } } }
            }
        }
    }
}

/// The narration, a section per day (the days in `open` unfolded).
pub fn narration(r: &GameRecord, open: &[u32]) -> Markup {
    let s = &r.scenario;
    html! {
        @for d in &r.days {
            @let start = r.events.partition_point(|l| l.turn < d.turn);
            @let end = r.events.partition_point(|l| l.turn <= d.turn);
            details open[open.contains(&d.turn)] {
                summary { "Day " (d.turn) ", " (d.date.format("%-d %B %Y")) }
                ul { @for l in narrate_day_after(s, &r.events[start..end], &r.events[..start]).iter().skip(1) { li { (l.trim_start()) } } }
            }
        }
    }
}

/// The summary lines.
pub fn summary(r: &GameRecord) -> Markup {
    html! { pre { @for l in &r.summary { (l) "\n" } } }
}

/// A grid of day maps: (image source, caption).
pub fn maps(files: &[(String, String)]) -> Markup {
    html! {
        div.maps {
            @for (file, caption) in files {
                figure {
                    img src=(file) alt=(caption) loading="lazy";
                    figcaption { (caption) }
                }
            }
        }
    }
}

/// A chart image.
pub fn chart(file: &str, alt: &str) -> Markup {
    html! { p { img.chart src=(file) alt=(alt); } }
}

/// The glossary as a definition list: each term, its meaning, and the scenario's own
/// example when it gives one.
pub fn glossary(s: &crate::scenario::Scenario) -> Markup {
    glosses(&crate::scenario::glossary::of_scenario(s))
}

/// Terms as a definition list, each with its meaning and its example ("Here: ...").
pub fn glosses(terms: &[crate::scenario::glossary::Gloss]) -> Markup {
    html! {
        dl {
            @for g in terms {
                dt { b { (g.term) } }
                dd {
                    (g.meaning)
                    @if let Some(e) = &g.example {
                        br;
                        i { "Here: " } (e)
                    }
                }
            }
        }
    }
}
