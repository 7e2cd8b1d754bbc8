//! Reports for teachers: a game played and recorded day by day ([`GameRecord`]), written
//! as `daily.csv`, `events.jsonl`, maps, charts and one HTML page; comparisons of two
//! games; batches of seeded games and their distributions.
//!
//! Everything here is headless: the maps come from the same renderer as `railhead map`,
//! the charts from plotters drawing into memory with the project's own font.

pub mod calibrate;
pub mod charts;
pub mod html;
pub mod stats;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use maud::{Markup, html};

use crate::render::MapView;
use crate::rules::events::{GameEvent, Logged};
use crate::rules::state::{Board, Controller, Depots, Forces, SupplyLevel, UnitStatus};
use crate::rules::{Simulation, Territory, narrate};
use crate::scenario::Scenario;
use crate::scenario::ids::{GroupingId, SideId};

/// One side at the end of a day.
#[derive(Debug, Clone, PartialEq)]
pub struct SideDay {
    /// Territory taken from the other side since the start, km².
    pub territory_km2: f64,
    /// The latest historical figure for this side as of the date, km².
    pub historical_km2: Option<f64>,
    /// Units on the map by supply state.
    pub supplied: u32,
    /// Units short of supply.
    pub short: u32,
    /// Units out of supply.
    pub out: u32,
    /// Units destroyed or surrendered so far.
    pub units_lost: u32,
    /// Items of equipment lost so far (in combat, left behind or surrendered).
    pub equipment_lost: u32,
    /// Items of the enemy's equipment captured so far.
    pub captured: u32,
    /// Victory points of the objectives held.
    pub victory_points: u32,
    /// Stock of the side's depots, tonnes.
    pub depot_stock: f64,
    /// What its depots received today, tonnes.
    pub depot_inflow: f64,
}

/// One depot at the end of a day.
#[derive(Debug, Clone, PartialEq)]
pub struct DepotDay {
    /// Stock, tonnes.
    pub stock: f64,
    /// Received today, tonnes.
    pub inflow: f64,
    /// What it would have received with no link cut, tonnes.
    pub nominal_inflow: f64,
    /// Whether the side it serves holds it.
    pub active: bool,
    /// The side it serves (depots change hands with their hex).
    pub owner: SideId,
}

/// The game at the end of one day.
#[derive(Debug, Clone)]
pub struct DayRecord {
    /// Turn, from 1.
    pub turn: u32,
    /// Date.
    pub date: NaiveDate,
    /// Each side.
    pub sides: Vec<SideDay>,
    /// Each depot, in the scenario's order.
    pub depots: Vec<DepotDay>,
    /// The map as it stands.
    pub view: MapView,
}

/// A whole game, recorded.
#[derive(Debug, Clone)]
pub struct GameRecord {
    /// The scenario.
    pub scenario: Arc<Scenario>,
    /// Seed of the dice.
    pub seed: u64,
    /// Who commanded each side.
    pub controllers: Vec<Controller>,
    /// Each day played, in order.
    pub days: Vec<DayRecord>,
    /// Every event.
    pub events: Vec<Logged>,
    /// The closing summary, as `railhead run` prints it.
    pub summary: Vec<String>,
    /// For each grouping, the turn and date a withdrawal was first ordered, if it was.
    pub withdrawals: Vec<Option<(u32, NaiveDate)>>,
}

/// Items of equipment in a map of kinds to counts.
fn items(m: &BTreeMap<String, u32>) -> u32 {
    m.values().sum()
}

fn record_day(s: &Scenario, sim: &Simulation) -> DayRecord {
    let world = sim.world();
    let board = world.resource::<Board>();
    let forces = world.resource::<Forces>();
    let depots = world.resource::<Depots>();
    let territory = world.resource::<Territory>();
    let events = sim.chronicle();
    let clock = sim.cursor();
    // The state is recorded after the day's end, when the clock already shows the next day.
    let turn = clock.turn.saturating_sub(1).max(1);
    let date = s.start_date + chrono::Days::new(u64::from(turn - 1));
    let sides = s
        .side_ids()
        .map(|side| {
            let mine = || forces.units.iter().filter(move |u| u.side == side);
            let count = |level: SupplyLevel| {
                mine().filter(|u| u.active() && u.supply == level).count() as u32
            };
            let equipment_lost = mine()
                .filter(|u| u.status() != UnitStatus::Waiting)
                .map(|u| items(&s.units[u.id].equipment).saturating_sub(items(&u.equipment)))
                .sum();
            let captured = events
                .iter()
                .filter_map(|l| match &l.event {
                    GameEvent::EquipmentCaptured { by, items: it, .. } if *by == side => {
                        Some(items(it))
                    }
                    _ => None,
                })
                .sum();
            let own_depots = depots
                .0
                .iter()
                .enumerate()
                .filter(|(d, _)| depots.owner(s, *d) == side);
            SideDay {
                territory_km2: territory.0[side],
                historical_km2: s.territory_figure(side, date).map(|t| t.km2),
                supplied: count(SupplyLevel::Supplied),
                short: count(SupplyLevel::Short),
                out: count(SupplyLevel::OutOfSupply),
                units_lost: mine()
                    .filter(|u| u.status() == UnitStatus::Destroyed)
                    .count() as u32,
                equipment_lost,
                captured,
                victory_points: board.victory_points(s, side),
                depot_stock: own_depots
                    .clone()
                    .filter(|(_, d)| d.active)
                    .map(|(_, d)| d.stock)
                    .sum(),
                depot_inflow: own_depots
                    .filter(|(_, d)| d.active)
                    .map(|(_, d)| d.inflow)
                    .sum(),
            }
        })
        .collect();
    DayRecord {
        turn,
        date,
        sides,
        depots: depots
            .0
            .iter()
            .enumerate()
            .map(|(i, d)| DepotDay {
                stock: d.stock,
                inflow: d.inflow,
                nominal_inflow: d.nominal_inflow,
                active: d.active,
                owner: depots.owner(s, i),
            })
            .collect(),
        view: MapView::from_state(
            s,
            board,
            forces,
            depots,
            format!("Day {turn}, {} (end of day)", date.format("%-d %B %Y")),
        ),
    }
}

/// Plays a game of `turns` days (the whole scenario when `None`) and records each day.
pub fn play_recorded(
    scenario: Arc<Scenario>,
    seed: u64,
    controllers: Vec<Controller>,
    turns: Option<u32>,
) -> GameRecord {
    let s = scenario.clone();
    let turns = turns.unwrap_or(s.turns).min(s.turns);
    let mut sim = Simulation::unhashed(scenario.clone(), seed, controllers.clone());
    let mut days = Vec::new();
    while !sim.is_over() && sim.cursor().turn <= turns {
        sim.play_day();
        days.push(record_day(&s, &sim));
    }
    let summary = narrate::summary(&s, sim.world(), seed);
    // The first order to fall back of each grouping (a grouping may stand fast later, and
    // be ordered back again).
    let mut withdrawals = vec![None; s.groupings.len()];
    for l in sim.chronicle() {
        if let GameEvent::WithdrawalOrdered { grouping, .. } = &l.event {
            withdrawals[*grouping].get_or_insert((l.turn, l.date));
        }
    }
    GameRecord {
        scenario,
        seed,
        controllers,
        days,
        events: sim.chronicle().to_vec(),
        summary,
        withdrawals,
    }
}

/// Writes rows of cells as CSV (the csv crate quotes a cell only where it must).
pub fn csv_text(rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        // Writing into memory cannot fail.
        let _ = w.write_record(&row);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// `daily.csv`: one row per day per side: territory (and the historical figure), units in,
/// short of and out of supply, losses, captures, victory points, the side's depot totals,
/// then each depot's stock and inflow (blank in the rows of the sides it does not serve
/// that day).
pub fn daily_csv(r: &GameRecord) -> String {
    let s = &r.scenario;
    let mut header: Vec<String> = [
        "turn",
        "date",
        "side",
        "territory_km2",
        "historical_km2",
        "units_supplied",
        "units_short",
        "units_out_of_supply",
        "units_lost",
        "equipment_lost",
        "equipment_captured",
        "victory_points",
        "depot_stock_t",
        "depot_inflow_t",
    ]
    .map(String::from)
    .to_vec();
    for d in &s.depots {
        header.push(format!("{} stock_t", d.name));
        header.push(format!("{} inflow_t", d.name));
    }
    let mut rows = vec![header];
    for day in &r.days {
        for (i, side) in day.sides.iter().enumerate() {
            let mut row = vec![
                day.turn.to_string(),
                day.date.format("%Y-%m-%d").to_string(),
                s.sides[i].id.clone(),
                format!("{:.0}", side.territory_km2),
                side.historical_km2
                    .map(|h| format!("{h:.0}"))
                    .unwrap_or_default(),
                side.supplied.to_string(),
                side.short.to_string(),
                side.out.to_string(),
                side.units_lost.to_string(),
                side.equipment_lost.to_string(),
                side.captured.to_string(),
                side.victory_points.to_string(),
                format!("{:.0}", side.depot_stock),
                format!("{:.0}", side.depot_inflow),
            ];
            for dd in &day.depots {
                if dd.owner.0 == i {
                    row.push(format!("{:.0}", dd.stock));
                    row.push(format!("{:.0}", dd.inflow));
                } else {
                    row.extend([String::new(), String::new()]);
                }
            }
            rows.push(row);
        }
    }
    csv_text(rows)
}

/// `events.jsonl`: every event, one JSON object per line.
pub fn events_jsonl(r: &GameRecord) -> String {
    crate::rules::events::jsonl(&r.scenario, &r.events)
}

/// The groupings a withdrawal was ordered for, with the day, or "none".
pub fn withdrawal_days(r: &GameRecord) -> Vec<(String, Option<u32>)> {
    r.scenario
        .groupings
        .iter()
        .zip(&r.withdrawals)
        .map(|(g, w)| (g.name.clone(), w.map(|(t, _)| t)))
        .collect()
}

/// The depots a report follows: those whose inflow fell below half of what open lines
/// would bring on some day (the ones a cut reached), else the busiest three.
pub fn key_depots(r: &GameRecord) -> Vec<usize> {
    let s = &r.scenario;
    let mut hit: Vec<usize> = (0..s.depots.len())
        .filter(|d| {
            r.days.iter().any(|day| {
                let x = &day.depots[*d];
                x.active && x.nominal_inflow > 1.0 && x.inflow < 0.5 * x.nominal_inflow
            })
        })
        .collect();
    if hit.is_empty() {
        let mut by_inflow: Vec<(usize, f64)> = (0..s.depots.len())
            .map(|d| {
                (
                    d,
                    r.days.iter().map(|day| day.depots[d].nominal_inflow).sum(),
                )
            })
            .collect();
        by_inflow.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        hit = by_inflow.into_iter().take(3).map(|(d, _)| d).collect();
    }
    hit.truncate(6);
    hit
}

/// The game's key events (rail links cut, depots lost, objectives taken, withdrawals), with
/// their day, for a timeline beside the historical one.
pub fn key_events(r: &GameRecord) -> Vec<(u32, NaiveDate, String)> {
    let s = &r.scenario;
    let mut seen_cut = std::collections::BTreeSet::new();
    r.events
        .iter()
        .filter_map(|l| {
            let text = match &l.event {
                GameEvent::RailLinkCut { link, by, owner } => {
                    if !seen_cut.insert((*link, *owner)) {
                        return None;
                    }
                    format!(
                        "{} cuts the {} rail link for {}",
                        narrate::side_name(s, *by),
                        s.rail_link(*link).name,
                        narrate::side_name(s, *owner)
                    )
                }
                GameEvent::DepotCaptured { depot, by, .. } => format!(
                    "{} takes {}",
                    by.map_or("nobody", |b| narrate::side_name(s, b)),
                    s.depot(*depot).name
                ),
                GameEvent::ObjectiveCaptured { place, by, .. } => format!(
                    "{} takes {}",
                    narrate::side_name(s, *by),
                    s.place_by_id(*place).name
                ),
                GameEvent::WithdrawalOrdered { grouping, .. } => {
                    format!("{} ordered to withdraw", s.grouping(*grouping).name)
                }
                GameEvent::BridgeBlown { crossing, .. } => {
                    format!("{} blown", s.crossing(*crossing).name)
                }
                _ => return None,
            };
            Some((l.turn, l.date, text))
        })
        .collect()
}

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
                    (reasons.iter().map(narrate::reason_text).collect::<Vec<_>>().join("; ")) "."
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
        .prefix(&prefix)
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
    let old = parent.join(format!("{prefix}old-{}.tmp", std::process::id()));
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
