//! Reports for teachers: a game played and recorded day by day ([`record`]), written
//! as `daily.csv`, `events.jsonl`, maps, charts and one HTML page; comparisons of two
//! games; batches of seeded games and their distributions.
//!
//! Everything here is headless: the maps come from the same renderer as `railhead map`,
//! the charts from plotters drawing into memory with the project's own font.

pub mod calibrate;
pub mod charts;
pub mod facts;
pub mod html;
pub mod lesson;
pub mod record;
pub mod stats;

use maud::{Markup, html};

use crate::render::MapView;
use crate::rules::events::{GameEvent, Logged};
use crate::rules::narrate;
use crate::scenario::Scenario;
use crate::scenario::ids::GroupingId;
use record::{GameRecord, daily_csv, events_jsonl, key_depots, withdrawal_days};

/// Pixels between hex centres on the day maps of a report.
const REPORT_HEX_PX: f32 = 13.0;

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> Result<(), String> {
    let path = dir.join(name);
    crate::render::write_atomically(&path, bytes)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn map_png(s: &Scenario, view: &MapView) -> Result<Vec<u8>, String> {
    let style = crate::render::MapStyle {
        hex_px: REPORT_HEX_PX,
        ..crate::render::MapStyle::default()
    };
    crate::render::render_map(s, view, &style)
        .ok_or("the map is too large to draw")?
        .encode_png()
        .map_err(|e| e.to_string())
}

/// Writes the maps of the start and of each day's end as `prefix-day-NN.png`; returns
/// (file, caption) pairs.
fn write_maps(
    r: &GameRecord,
    dir: &std::path::Path,
    prefix: &str,
) -> Result<Vec<(String, String)>, String> {
    let s = &r.scenario;
    let mut files = Vec::new();
    let start = MapView::initial(s);
    let name = format!("{prefix}day-00.png");
    write(dir, &name, &map_png(s, &start)?)?;
    files.push((name, format!("Start, {}", s.start_date.format("%-d %B"))));
    for d in &r.days {
        let name = format!("{prefix}day-{:02}.png", d.turn);
        write(dir, &name, &map_png(s, &d.view)?)?;
        files.push((
            name,
            format!("Day {}, {} (end)", d.turn, d.date.format("%-d %B")),
        ));
    }
    Ok(files)
}

/// Why each grouping withdrew: the reasons with their numbers, and what its depots received
/// the day before the first cut and on the day of the order.
fn why(r: &GameRecord) -> Markup {
    let s = &r.scenario;
    let tonnes = |t: f64| crate::numbers::group_thousands(t.round() as u32);
    let withdrawals: Vec<&Logged> = r
        .events
        .iter()
        .filter(|l| matches!(l.event, GameEvent::WithdrawalOrdered { .. }))
        .collect();
    html! {
        @for l in &withdrawals {
            @if let GameEvent::WithdrawalOrdered { grouping, reasons, .. } = &l.event {
                p {
                    b { (s.grouping(*grouping).name) } ", day " (l.turn) " (" (l.date.format("%-d %B")) "): "
                    (reasons.iter().map(|x| narrate::reason_text(s, x)).collect::<Vec<_>>().join("; ")) "."
                }
                @if let Some(day) = r.days.iter().find(|d| d.turn == l.turn) {
                    ul {
                        @for d in depots_of(r, *grouping, l.turn) {
                            @let x = &day.depots[d];
                            @let first = r.days.first().map_or(0.0, |f| f.depots[d].inflow);
                            li {
                                (s.depots[d].name) ": received " (tonnes(x.inflow))
                                " t that day, of the " (tonnes(x.nominal_inflow))
                                " t open lines would bring (day 1: " (tonnes(first))
                                " t); stock " (tonnes(x.stock)) " t."
                            }
                        }
                    }
                }
            }
        }
        @if withdrawals.is_empty() {
            p { "No grouping was ordered to withdraw." }
        }
    }
}

/// The depots a grouping's units drew from up to a day (the key depots if none is known).
fn depots_of(r: &GameRecord, grouping: GroupingId, turn: u32) -> Vec<usize> {
    let s = &r.scenario;
    let fed: std::collections::BTreeSet<usize> = r
        .events
        .iter()
        .filter(|e| e.turn <= turn)
        .filter_map(|e| match &e.event {
            GameEvent::UnitSupplyChanged {
                unit,
                depot: Some(d),
                ..
            } => (s.unit(*unit).grouping == grouping).then_some(d.0),
            _ => None,
        })
        .collect();
    if fed.is_empty() {
        key_depots(r)
    } else {
        fed.into_iter().collect()
    }
}

fn modes(r: &GameRecord) -> String {
    r.scenario
        .sides
        .iter()
        .zip(&r.controllers)
        .map(|(s, c)| format!("{} {}", s.name, format!("{c:?}").to_lowercase()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes a demonstration's files into `dir`: `report.html`, the day maps, the charts,
/// `events.jsonl` and `daily.csv`; the page's calibration table is measured over `batch`
/// (games of further seeds), or over this game alone when `batch` is empty. Returns the
/// files written, the page first.
pub fn write_demo(
    r: &GameRecord,
    batch: &[stats::Outcome],
    dir: &std::path::Path,
) -> Result<Vec<String>, String> {
    into_folder(dir, |d| fill_demo(r, batch, d))
}

/// Writes a report's files whole into `dir`: into a fresh hidden folder beside it, then
/// swapped in, so that an interrupted command leaves the old report or the new one, never
/// a mix of both. A folder holding any file the new report does not write (the user's
/// own) is not swapped: the report's files are written into it one by one (each whole)
/// and nothing else in it is touched.
fn into_folder(
    dir: &std::path::Path,
    fill: impl FnOnce(&std::path::Path) -> Result<Vec<String>, String>,
) -> Result<Vec<String>, String> {
    use std::path::Path;
    if std::fs::symlink_metadata(dir).is_ok_and(|m| !m.is_dir()) {
        return Err(format!("{} exists and is not a folder", dir.display()));
    }
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let Some(name) = dir.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        // `.` or `..`: no folder to swap; each file is written whole.
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        return fill(dir);
    };
    let prefix = format!(".{name}.");
    crate::render::clean_stale_temps(parent, &prefix);
    let tmp = tempfile::Builder::new()
        .prefix(&crate::render::temp_prefix(&prefix))
        .suffix(".tmp")
        .tempdir_in(parent)
        .map_err(|e| format!("cannot create a folder in {}: {e}", parent.display()))?;
    let files = fill(tmp.path())?;
    let only_reports = std::fs::read_dir(dir).map_or(true, |entries| {
        entries.flatten().all(|e| {
            e.file_type().is_ok_and(|t| t.is_file())
                && files.iter().any(|f| *f == e.file_name().to_string_lossy())
        })
    });
    if !only_reports {
        for f in &files {
            let bytes = std::fs::read(tmp.path().join(f))
                .map_err(|e| format!("cannot read back {f}: {e}"))?;
            write(dir, f, &bytes)?;
        }
        return Ok(files);
    }
    let fresh = tmp.keep();
    let old = parent.join(format!("{}old.tmp", crate::render::temp_prefix(&prefix)));
    let had = dir.exists();
    if had && let Err(e) = std::fs::rename(dir, &old) {
        let _ = std::fs::remove_dir_all(&fresh);
        return Err(format!("cannot replace {}: {e}", dir.display()));
    }
    if let Err(e) = std::fs::rename(&fresh, dir) {
        if had {
            let _ = std::fs::rename(&old, dir);
        }
        let _ = std::fs::remove_dir_all(&fresh);
        return Err(format!("cannot put the report in {}: {e}", dir.display()));
    }
    if had {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(files)
}

/// Writes a demonstration's files into `dir`, which exists.
fn fill_demo(
    r: &GameRecord,
    batch: &[stats::Outcome],
    dir: &std::path::Path,
) -> Result<Vec<String>, String> {
    let s = &r.scenario;
    let mut files = Vec::new();
    write(dir, "daily.csv", daily_csv(r).as_bytes())?;
    write(dir, "events.jsonl", events_jsonl(r).as_bytes())?;
    let depots = key_depots(r);
    write(
        dir,
        "chart-depots.png",
        &charts::depots(&[("game", r)], &depots)?,
    )?;
    write(
        dir,
        "chart-territory.png",
        &charts::territory(&[("game", r)])?,
    )?;
    let maps = write_maps(r, dir, "map-")?;
    let open: Vec<u32> = r.withdrawals.iter().flatten().map(|(t, _)| *t).collect();
    let body = html! {
        h1 { (s.name) }
        p.lead { (s.description) }
        p { (r.days.len()) " days from " (s.start_date.format("%-d %B %Y")) "; seed " (r.seed) "; " (modes(r)) "." }
        h2 { "What happened" }
        div.headline { (html::headline(r)) }
        h2 { "Why" }
        (why(r))
        h2 { "Supply" }
        p { "The depots a cut reached: what they held and what the railways brought each day." }
        (html::chart("chart-depots.png", "depot stocks and inflows"))
        h2 { "Territory" }
        (html::chart("chart-territory.png", "territory taken per day"))
        (html::territory_table(r))
        h2 { "Timeline: the game and history" }
        (html::timeline(r))
        h2 { "The model beside history" }
        @if batch.is_empty() {
            (html::calibration(&calibrate::table(s, &[stats::Outcome::of(r)]), 1))
        } @else {
            (html::calibration(&calibrate::table(s, batch), batch.len()))
        }
        h2 { "Losses and captures" }
        (html::losses_table(r))
        h2 { "The map, day by day" }
        (html::maps(&maps))
        h2 { "Day by day" }
        (html::narration(r, &open))
        h2 { "Summary" }
        (html::summary(r))
        p {
            "Data: " a href="daily.csv" { "daily.csv" } " (a row per day per side), "
            a href="events.jsonl" { "events.jsonl" } " (every event)."
        }
    };
    let page = html::page(&s.name, &body);
    write(dir, "report.html", page.as_bytes())?;
    files.push("report.html".to_string());
    files.extend(
        [
            "daily.csv",
            "events.jsonl",
            "chart-depots.png",
            "chart-territory.png",
        ]
        .map(String::from),
    );
    files.extend(maps.into_iter().map(|(f, _)| f));
    Ok(files)
}

/// Writes a comparison of two games into `dir` (`report.html`, charts of both, the maps of
/// each game's last day, each game's `daily.csv`); `spread` adds the withdrawal days over
/// several seeds of each.
pub fn write_compare(
    base: &GameRecord,
    variant: &GameRecord,
    spread: Option<(&[stats::Outcome], &[stats::Outcome])>,
    dir: &std::path::Path,
) -> Result<Vec<String>, String> {
    into_folder(dir, |d| fill_compare(base, variant, spread, d))
}

/// Writes a comparison's files into `dir`, which exists.
fn fill_compare(
    base: &GameRecord,
    variant: &GameRecord,
    spread: Option<(&[stats::Outcome], &[stats::Outcome])>,
    dir: &std::path::Path,
) -> Result<Vec<String>, String> {
    let (bs, vs) = (&base.scenario, &variant.scenario);
    let runs = [("base", base), ("variant", variant)];
    let mut depots = key_depots(base);
    for d in key_depots(variant) {
        if !depots.contains(&d) && d < bs.depots.len() {
            depots.push(d);
        }
    }
    depots.retain(|d| *d < vs.depots.len() && bs.depots[*d].name == vs.depots[*d].name);
    depots.truncate(4);
    write(dir, "chart-depots.png", &charts::depots(&runs, &depots)?)?;
    write(dir, "chart-territory.png", &charts::territory(&runs)?)?;
    write(dir, "base-daily.csv", daily_csv(base).as_bytes())?;
    write(dir, "variant-daily.csv", daily_csv(variant).as_bytes())?;
    let last = |r: &GameRecord, prefix: &str| -> Result<(String, String), String> {
        let name = format!("{prefix}-last-day.png");
        let view = r
            .days
            .last()
            .map_or_else(|| MapView::initial(&r.scenario), |d| d.view.clone());
        write(dir, &name, &map_png(&r.scenario, &view)?)?;
        Ok((name, format!("{}: {}", prefix, view.caption)))
    };
    let maps = vec![last(base, "base")?, last(variant, "variant")?];
    let show = |d: Option<u32>| d.map_or("none".to_string(), |d| format!("day {d}"));
    let vw = withdrawal_days(variant);
    let body = html! {
        h1 { "What if?" }
        p.lead {
            b { "Base:" } " " (bs.name) br;
            b { "Variant:" } " " (vs.name) " — " (vs.description)
        }
        p { "Seed " (base.seed) "; " (modes(base)) "." }
        h2 { "Withdrawals" }
        table {
            tr { th { "grouping" } th { "base" } th { "variant" } }
            @for (g, day) in withdrawal_days(base) {
                @let other = vw.iter().find(|(n, _)| *n == g).and_then(|(_, d)| *d);
                tr { td { (g) } td { (show(day)) } td { (show(other)) } }
            }
        }
        @if let Some((b, v)) = spread {
            (spread_table(bs, vs, b, v))
        }
        h2 { "Supply" }
        p { "Solid lines: the base; dashed: the variant." }
        (html::chart("chart-depots.png", "depot stocks and inflows, both games"))
        h2 { "Territory" }
        (html::chart("chart-territory.png", "territory per day, both games"))
        h3 { "Base" } (html::territory_table(base))
        h3 { "Variant" } (html::territory_table(variant))
        h2 { "Losses and captures" }
        h3 { "Base" } (html::losses_table(base))
        h3 { "Variant" } (html::losses_table(variant))
        h2 { "The last day" }
        (html::maps(&maps))
        h2 { "Why" }
        h3 { "Base" } (why(base))
        h3 { "Variant" } (why(variant))
        h2 { "Day by day" }
        h3 { "Base" } (html::narration(base, &[]))
        h3 { "Variant" } (html::narration(variant, &[]))
        p {
            "Data: " a href="base-daily.csv" { "base-daily.csv" } ", "
            a href="variant-daily.csv" { "variant-daily.csv" } "."
        }
    };
    let page = html::page(&format!("{} / {}", bs.name, vs.name), &body);
    write(dir, "report.html", page.as_bytes())?;
    let mut files = vec!["report.html".to_string()];
    files.extend(
        [
            "chart-depots.png",
            "chart-territory.png",
            "base-daily.csv",
            "variant-daily.csv",
        ]
        .map(String::from),
    );
    files.extend(maps.into_iter().map(|(f, _)| f));
    Ok(files)
}

/// The withdrawal days over several seeds of each game, side by side.
fn spread_table(
    bs: &Scenario,
    vs: &Scenario,
    b: &[stats::Outcome],
    v: &[stats::Outcome],
) -> Markup {
    let col = |o: &[stats::Outcome], k: Option<usize>| -> (usize, String) {
        let days: Vec<f64> = o
            .iter()
            .filter_map(|x| k.and_then(|k| x.withdrawal_day[k]).map(f64::from))
            .collect();
        (
            days.len(),
            stats::Spread::of(&days).map_or("-".into(), |s| format!("{:.1}", s.median)),
        )
    };
    html! {
        h3 { "Over " (b.len()) " seeds each" }
        table {
            tr {
                th { "grouping" } th { "base: games with a withdrawal" } th { "median day" }
                th { "variant: games with a withdrawal" } th { "median day" }
            }
            @for (g, grouping) in bs.groupings.iter().enumerate() {
                @let (bn, bm) = col(b, Some(g));
                @let (vn, vm) = col(v, vs.groupings.iter().position(|x| x.name == grouping.name));
                tr {
                    td { (grouping.name) }
                    td.n { (bn) " of " (b.len()) }
                    td.n { (bm) }
                    td.n { (vn) " of " (v.len()) }
                    td.n { (vm) }
                }
            }
        }
    }
}
