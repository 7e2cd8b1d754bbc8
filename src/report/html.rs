//! The report pages: one self-contained HTML file (its style inline) beside the PNGs it
//! shows, to open in a browser or project in a classroom.

use std::fmt::Write as _;

use super::{GameRecord, key_events, withdrawal_days};
use crate::render::group_thousands;
use crate::rules::narrate::narrate_day;

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:DejaVu Sans,Verdana,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{margin-bottom:.2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f1efe8}td.n{text-align:right}.lead{font-size:1.1em;color:#444}
.maps{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:1em}
.maps figure{margin:0}.maps img{width:100%;border:1px solid #ccc}figcaption{font-size:.9em;color:#555}
img.chart{max-width:100%;border:1px solid #ddd}details{margin:.3em 0}summary{cursor:pointer;font-weight:bold}
.headline{background:#fff8e0;border:1px solid #e8d9a0;padding:.6em 1em}";

/// The start of a page.
pub fn head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>\n",
        esc(title)
    )
}

/// The end of a page.
pub const TAIL: &str = "<p><small>Made by Railhead. The game is a model: the historical figures come from the scenario's sources, with their ratings.</small></p>\n</body></html>\n";

/// Which groupings withdrew and when, as a list.
pub fn headline(r: &GameRecord) -> String {
    let mut out = String::from("<ul>");
    for (g, day) in withdrawal_days(r) {
        let _ = match day {
            Some(d) => {
                let date = r.scenario.start_date + chrono::Days::new(u64::from(d - 1));
                write!(
                    out,
                    "<li><b>{}</b>: withdrawal ordered on day {d} ({})</li>",
                    esc(&g),
                    date.format("%-d %B")
                )
            }
            None => write!(out, "<li>{}: no withdrawal</li>", esc(&g)),
        };
    }
    out.push_str("</ul>");
    out
}

/// The game's key events beside the historical timeline, by date.
pub fn timeline(r: &GameRecord) -> String {
    let s = &r.scenario;
    let mut rows: Vec<(chrono::NaiveDate, String, String)> = Vec::new();
    for (_, date, text) in key_events(r) {
        rows.push((date, esc(&text), String::new()));
    }
    let last = r.days.last().map_or(s.start_date, |d| d.date);
    for h in s.history.iter().filter(|h| h.date <= last) {
        rows.push((
            h.date,
            String::new(),
            format!("{} <small>[{}]</small>", esc(&h.text), esc(&h.rating)),
        ));
    }
    rows.sort_by_key(|r| r.0);
    let mut out = String::from(
        "<table><tr><th>date</th><th>in this game</th><th>historically (source rating)</th></tr>",
    );
    for (date, game, hist) in rows {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{game}</td><td>{hist}</td></tr>",
            date.format("%-d %b")
        );
    }
    out.push_str("</table>");
    out
}

/// Territory per day per side beside the historical figure.
pub fn territory_table(r: &GameRecord) -> String {
    let s = &r.scenario;
    let mut out = String::from("<table><tr><th>day</th><th>date</th>");
    for side in &s.sides {
        let _ = write!(
            out,
            "<th>{} km² taken</th><th>historical figure</th>",
            esc(&side.name)
        );
    }
    out.push_str("</tr>");
    for d in &r.days {
        let _ = write!(
            out,
            "<tr><td class=n>{}</td><td>{}</td>",
            d.turn,
            d.date.format("%-d %b")
        );
        for side in &d.sides {
            let _ = write!(
                out,
                "<td class=n>{}</td><td class=n>{}</td>",
                group_thousands(side.territory_km2.round() as u32),
                side.historical_km2
                    .map(|h| group_thousands(h.round() as u32))
                    .unwrap_or_else(|| "-".into())
            );
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
    out
}

/// Losses and captures at the end, per side.
pub fn losses_table(r: &GameRecord) -> String {
    let s = &r.scenario;
    let mut out = String::from(
        "<table><tr><th>side</th><th>units lost</th><th>equipment lost</th><th>enemy equipment captured</th><th>victory points</th></tr>",
    );
    if let Some(d) = r.days.last() {
        for (i, side) in d.sides.iter().enumerate() {
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td></tr>",
                esc(&s.sides[i].name),
                side.units_lost,
                side.equipment_lost,
                side.captured,
                side.victory_points
            );
        }
    }
    out.push_str("</table>");
    let captured: Vec<String> = r
        .events
        .iter()
        .filter_map(|l| match &l.event {
            crate::rules::events::GameEvent::EquipmentCaptured {
                by, unit, items, ..
            } => Some(format!(
                "day {}: {} captures from {}: {}",
                l.turn,
                crate::rules::narrate::side_name(s, by),
                unit,
                items
                    .iter()
                    .map(|(k, n)| format!("{n} {k}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            _ => None,
        })
        .collect();
    if !captured.is_empty() {
        out.push_str("<details><summary>Every capture</summary><ul>");
        for c in captured {
            let _ = write!(out, "<li>{}</li>", esc(&c));
        }
        out.push_str("</ul></details>");
    }
    out
}

/// The narration, a section per day (the days in `open` unfolded).
pub fn narration(r: &GameRecord, open: &[u32]) -> String {
    let s = &r.scenario;
    let mut out = String::new();
    for d in &r.days {
        let day: Vec<_> = r
            .events
            .iter()
            .filter(|l| l.turn == d.turn)
            .cloned()
            .collect();
        let lines = narrate_day(s, &day);
        let _ = write!(
            out,
            "<details{}><summary>Day {}, {}</summary><ul>",
            if open.contains(&d.turn) { " open" } else { "" },
            d.turn,
            d.date.format("%-d %B %Y")
        );
        for l in lines.iter().skip(1) {
            let _ = write!(out, "<li>{}</li>", esc(l.trim_start()));
        }
        out.push_str("</ul></details>");
    }
    out
}

/// The summary lines.
pub fn summary(r: &GameRecord) -> String {
    let mut out = String::from("<pre>");
    for l in &r.summary {
        out.push_str(&esc(l));
        out.push('\n');
    }
    out.push_str("</pre>");
    out
}

/// A grid of day maps: (file, caption).
pub fn maps(files: &[(String, String)]) -> String {
    let mut out = String::from("<div class=maps>");
    for (file, caption) in files {
        let _ = write!(
            out,
            "<figure><a href=\"{0}\"><img src=\"{0}\" alt=\"{1}\" loading=lazy></a><figcaption>{1}</figcaption></figure>",
            esc(file),
            esc(caption)
        );
    }
    out.push_str("</div>");
    out
}

/// A chart image.
pub fn chart(file: &str, alt: &str) -> String {
    format!(
        "<p><img class=chart src=\"{}\" alt=\"{}\"></p>",
        esc(file),
        esc(alt)
    )
}
