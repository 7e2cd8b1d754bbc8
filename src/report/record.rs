//! A game played and recorded day by day ([`GameRecord`]): each side's territory, supply,
//! losses and captures, each depot's stock and inflow, the map; and the record as a
//! table (`daily.csv`), as events (`events.jsonl`), and its key depots and events.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::render::MapView;
use crate::rules::events::{GameEvent, Logged};
use crate::rules::narrate;
use crate::rules::simulation::Simulation;
use crate::rules::state::{Board, Controller, Depots, Forces, SupplyLevel, Territory, UnitStatus};
use crate::scenario::Scenario;
use crate::scenario::ids::SideId;

/// One side at the end of a day.
#[derive(Debug, Clone, PartialEq)]
pub struct SideDay {
    /// Territory taken from the other side since the start, km².
    pub territory_km2: f64,
    /// The historical figure for this side dated that day, km² (none on other days: a
    /// figure is a point in time, not carried forward).
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
    record_day_of(s, sim.world())
}

/// The day just ended in a game's world (its clock showing the next day).
fn record_day_of(s: &Scenario, world: &bevy::prelude::World) -> DayRecord {
    let board = world.resource::<Board>();
    let forces = world.resource::<Forces>();
    let depots = world.resource::<Depots>();
    let territory = world.resource::<Territory>();
    let events = &world.resource::<crate::rules::events::Chronicle>().0;
    let clock = world.resource::<crate::rules::cursor::DayCursor>();
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
                historical_km2: s
                    .territory_figure(side, date)
                    .filter(|t| t.date == date)
                    .map(|t| t.km2),
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
    play_recorded_with(scenario, seed, controllers, turns, &mut |_, _| {})
}

/// As [`play_recorded`], calling `after_day` with the game and the day just played at the
/// end of each day (to look at what the record does not keep).
pub fn play_recorded_with(
    scenario: Arc<Scenario>,
    seed: u64,
    controllers: Vec<Controller>,
    turns: Option<u32>,
    after_day: &mut dyn FnMut(&Simulation, u32),
) -> GameRecord {
    let s = scenario.clone();
    let turns = turns.unwrap_or(s.turns).min(s.turns);
    let mut sim = Simulation::unhashed(scenario.clone(), seed, controllers.clone());
    let mut days = Vec::new();
    while !sim.is_over() && sim.cursor().turn <= turns {
        sim.play_day();
        let day = record_day(&s, &sim);
        after_day(&sim, day.turn);
        days.push(day);
    }
    finish(scenario, seed, controllers, days, &sim)
}

/// The record of a game played to where it stands, from its days.
fn finish(
    scenario: Arc<Scenario>,
    seed: u64,
    controllers: Vec<Controller>,
    days: Vec<DayRecord>,
    sim: &Simulation,
) -> GameRecord {
    let s = scenario.clone();
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

/// The record of a saved game, to where it stands (its whole days): read, replayed and
/// checked as a save is for loading.
pub fn record_of_save(path: &std::path::Path) -> Result<GameRecord, crate::save::SaveError> {
    let save = crate::save::Save::read(path)?;
    let scenario = save.scenario(Some(path))?;
    let mut days = Vec::new();
    let (sim, verdict) = crate::save::replay_with(&save, scenario.clone(), &mut |world| {
        // Called before the first day too: that is no day played.
        if world.resource::<crate::rules::cursor::DayCursor>().turn > 1 {
            days.push(record_day_of(&scenario, world));
        }
    })?;
    if let crate::save::Replayed::Differs { turn, .. } = verdict {
        return Err(crate::save::SaveError::Refused(format!(
            "{}: the game does not replay the same from day {turn}",
            path.display()
        )));
    }
    Ok(finish(
        scenario,
        save.seed,
        save.controllers.clone(),
        days,
        &sim,
    ))
}

/// A cell as a spreadsheet may read it: one that would be taken for a formula (it begins
/// with `=`, `+`, `-`, `@`, a tab or a carriage return, and is not a number) gets a `'` in
/// front, as OWASP advises against CSV injection; a number (`-3.5`) stays a number.
fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula && cell.trim().parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Writes rows of cells as CSV (the csv crate quotes a cell only where it must; a cell a
/// spreadsheet would evaluate is made inert).
pub fn csv_text(rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        // Writing into memory cannot fail.
        let _ = w.write_record(row.iter().map(|c| inert(c).into_owned()));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_evaluate_are_made_inert() {
        let text = csv_text([vec![
            "=HYPERLINK(\"http://x\")".to_string(),
            "+1+1".into(),
            "-2".into(),
            "-3.5".into(),
            "@SUM(A1)".into(),
            "plain".into(),
            "\tx".into(),
        ]]);
        assert_eq!(
            text,
            "\"'=HYPERLINK(\"\"http://x\"\")\",'+1+1,-2,-3.5,'@SUM(A1),plain,'\tx\n"
        );
    }
}
