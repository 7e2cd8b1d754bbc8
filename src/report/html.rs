//! The report pages: one self-contained HTML file (its style inline) beside the PNGs it
//! shows, to open in a browser or project in a classroom. Written with maud, whose
//! templates are checked by the compiler and escape every text they are given.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::record::{GameRecord, key_events, withdrawal_days};
use crate::numbers::group_thousands;
use crate::rules::narrate::narrate_day_after;

const STYLE: &str = "body{font-family:DejaVu Sans,Verdana,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{margin-bottom:.2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f1efe8}td.n{text-align:right}.lead{font-size:1.1em;color:#444}
.maps{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:1em}
.maps figure{margin:0}.maps img{width:100%;border:1px solid #ccc}figcaption{font-size:.9em;color:#555}
img.chart{max-width:100%;border:1px solid #ddd}details{margin:.3em 0}summary{cursor:pointer;font-weight:bold}
.headline{background:#fff8e0;border:1px solid #e8d9a0;padding:.6em 1em}";

/// A whole page: the title, the style, the body and the closing note.
pub fn page(title: &str, body: &Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                (body)
                p { small { "Made by Railhead. The game is a model: the historical figures come from the scenario's sources, with their ratings." } }
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

/// The game's key events beside the historical timeline, by date.
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
    html! {
        table {
            tr { th { "date" } th { "in this game" } th { "historically (source rating)" } }
            @for (date, game, hist) in &rows {
                tr {
                    td { (date.format("%-d %b")) }
                    td { @if let Some(g) = game { (g) } }
                    td { @if let Some((text, rating)) = hist { (text) " " small { "[" (rating) "]" } } }
                }
            }
        }
    }
}

/// The calibration table: each dated fact of the history beside the games' median, 5th-95th
/// percentile and the share of games inside its band.
pub fn calibration(rows: &[super::calibrate::Row], runs: usize) -> Markup {
    use super::calibrate::Verdict;
    let (judged, outside) = super::calibrate::counts(rows);
    html! {
        p {
            "Over " (runs) (if runs == 1 { " game" } else { " games" }) " (seeds from this one on): "
            (judged - outside) " of " (judged) " facts with a band are inside it "
            "(a fact is inside when the median game is)."
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

/// A grid of day maps: (file, caption).
pub fn maps(files: &[(String, String)]) -> Markup {
    html! {
        div.maps {
            @for (file, caption) in files {
                figure {
                    a href=(file) { img src=(file) alt=(caption) loading="lazy"; }
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
