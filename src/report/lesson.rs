//! A lesson that sets two scenarios side by side (`railhead lesson`): in each, the grouping
//! whose withdrawal the history dates, its supply day by day, what cut it (capture of the
//! lines, or strikes), when and why its command ordered it back, how long the withdrawal
//! took and what was left behind; then the model over many games beside the sources'
//! dates. One page, to project.

use maud::{Markup, html};

use super::record::GameRecord;
use super::{calibrate, charts, stats, write};
use crate::rules::events::GameEvent;
use crate::rules::narrate;
use crate::scenario::Scenario;
use crate::scenario::ids::{GroupingId, SideId};
use crate::scenario::model::Fact;

/// One scenario of a lesson: a game shown day by day and games of further seeds.
pub struct Part<'a> {
    /// The game shown.
    pub game: &'a GameRecord,
    /// Games of further seeds, for the model beside history.
    pub batch: &'a [stats::Outcome],
}

/// What one game tells of the grouping a lesson follows.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    /// The grouping.
    pub grouping: GroupingId,
    /// The history's date of its withdrawal order, with the entry's rating.
    pub history: Option<(chrono::NaiveDate, String)>,
    /// The day it was ordered back in the game, with the reasons in words.
    pub ordered: Option<(u32, chrono::NaiveDate, Vec<String>)>,
    /// The depots its units drew from.
    pub depots: Vec<usize>,
    /// Rail lines of its side the enemy cut by taking or reaching their track, by the
    /// order (or the end): the day and the line.
    pub lines_cut: Vec<(u32, String)>,
    /// The enemy's strikes that hit a crossing by then: the day and the crossing.
    pub crossings_hit: Vec<(u32, String)>,
    /// Crossings damaged before the scenario began (the scenario's dated damage).
    pub damaged_before: Vec<String>,
    /// Tonnes of its side's depot stock the enemy's strikes burnt by then.
    pub stock_burnt: f64,
    /// Days from the order until most of its units stood on its line (`None`: not by the
    /// end, or never ordered).
    pub took: Option<u32>,
    /// Items its units left behind while falling back.
    pub abandoned: u32,
    /// Items of its units the enemy captured, all game.
    pub captured: u32,
    /// Its units lost, all game.
    pub units_lost: usize,
    /// Its units.
    pub units: usize,
}

/// The grouping a lesson follows in a scenario: the one whose withdrawal its history
/// dates, else the first ordered back in the game, else the first of a side with an
/// operational AI.
pub fn subject(r: &GameRecord) -> Option<GroupingId> {
    let s = &r.scenario;
    s.history
        .iter()
        .flat_map(|h| &h.facts)
        .find_map(|f| match f {
            Fact::WithdrawalOrdered { grouping, .. } => Some(*grouping),
            _ => None,
        })
        .or_else(|| {
            r.withdrawals
                .iter()
                .position(Option::is_some)
                .map(GroupingId)
        })
        .or_else(|| {
            s.grouping_ids()
                .find(|g| !s.grouping(*g).fallback.is_empty())
        })
}

fn items(m: &std::collections::BTreeMap<String, u32>) -> u32 {
    m.values().sum()
}

/// What the game tells of grouping `g`.
pub fn account(r: &GameRecord, g: GroupingId) -> Account {
    let s = &r.scenario;
    let side: SideId = s.grouping(g).side;
    let ours = |u: crate::scenario::ids::UnitId| s.unit(u).grouping == g;
    let history = s.history.iter().find_map(|h| {
        h.facts.iter().find_map(|f| match f {
            Fact::WithdrawalOrdered { grouping, .. } if *grouping == g => {
                Some((h.date, h.rating.clone()))
            }
            _ => None,
        })
    });
    let ordered = r.events.iter().find_map(|l| match &l.event {
        GameEvent::WithdrawalOrdered {
            grouping, reasons, ..
        } if *grouping == g => Some((
            l.turn,
            l.date,
            reasons.iter().map(|x| narrate::reason_text(s, x)).collect(),
        )),
        _ => None,
    });
    let until = ordered.as_ref().map_or(u32::MAX, |(turn, _, _)| *turn);
    let mut lines_cut = Vec::new();
    let mut crossings_hit = Vec::new();
    let mut damaged_before = Vec::new();
    let mut stock_burnt = 0.0;
    let (mut abandoned, mut captured, mut units_lost) = (0, 0, 0);
    for l in &r.events {
        match &l.event {
            GameEvent::RailLinkCut { link, owner, .. } if *owner == side && l.turn <= until => {
                lines_cut.push((l.turn, s.rail_links[link.0].name.clone()));
            }
            GameEvent::CrossingDamaged {
                crossing, by: None, ..
            } if board_side(r, crossing.0) == Some(side) && l.turn == 1 => {
                damaged_before.push(s.crossing(*crossing).name.clone());
            }
            GameEvent::CrossingDamaged {
                crossing,
                by: Some(by),
                ..
            } if *by != side && l.turn <= until => {
                crossings_hit.push((l.turn, s.crossing(*crossing).name.clone()));
            }
            GameEvent::DepotStruck {
                depot,
                by: Some(by),
                tonnes,
            } if *by != side && l.turn <= until && r.scenario.depots[depot.0].side == side => {
                stock_burnt += tonnes;
            }
            GameEvent::EquipmentAbandoned { unit, items: i, .. } if ours(*unit) => {
                abandoned += items(i);
            }
            GameEvent::EquipmentCaptured {
                unit, items: i, by, ..
            } if ours(*unit) && *by != side => {
                captured += items(i);
            }
            GameEvent::UnitDestroyed { unit, .. } if ours(*unit) => units_lost += 1,
            _ => {}
        }
    }
    Account {
        grouping: g,
        history,
        took: ordered.as_ref().and_then(|(turn, _, _)| took(r, g, *turn)),
        ordered,
        depots: super::depots_of(r, g, until.min(r.days.len() as u32)),
        lines_cut,
        crossings_hit,
        damaged_before,
        stock_burnt,
        abandoned,
        captured,
        units_lost,
        units: s.units.iter().filter(|u| u.grouping == g).count(),
    }
}

/// The side holding a crossing's hex at the start.
fn board_side(r: &GameRecord, crossing: usize) -> Option<SideId> {
    let s = &r.scenario;
    s.control[s.index(s.crossings[crossing].hex)]
}

/// Days from the order (on day `from`) to the first day's end when most of the grouping's
/// units on the map stood within a hex of a point of its fallback line (or of a rear line).
fn took(r: &GameRecord, g: GroupingId, from: u32) -> Option<u32> {
    let s = &r.scenario;
    let grouping = s.grouping(g);
    let points: Vec<hexx::Hex> = (0..grouping.lines())
        .flat_map(|k| grouping.line(k).iter())
        .map(|h| crate::geo::offset_to_hex(*h))
        .collect();
    let names: std::collections::BTreeSet<&str> = s
        .units
        .iter()
        .filter(|u| u.grouping == g)
        .map(|u| u.name.as_str())
        .collect();
    r.days.iter().filter(|d| d.turn >= from).find_map(|d| {
        let here: Vec<hexx::Hex> = d
            .view
            .units
            .iter()
            .filter(|u| names.contains(u.name.as_str()))
            .map(|u| crate::geo::offset_to_hex(u.hex))
            .collect();
        let on = here
            .iter()
            .filter(|h| points.iter().any(|p| p.unsigned_distance_to(**h) <= 1))
            .count();
        (!here.is_empty() && 2 * on > here.len()).then_some(d.turn - from)
    })
}

/// How the grouping's supply was cut, in a few words: by capture, by strikes, or both.
pub fn cut_by(a: &Account) -> &'static str {
    let struck = !a.crossings_hit.is_empty() || !a.damaged_before.is_empty() || a.stock_burnt > 0.0;
    match (a.lines_cut.is_empty(), struck) {
        (false, false) => "capture: the enemy took or reached its lines",
        (true, true) => "strikes: its crossings and depots under fire",
        (false, true) => "capture and strikes",
        (true, false) => "neither: its supply was not cut",
    }
}

fn list(v: &[(u32, String)]) -> String {
    // Each name once, with the day of its first and how many times.
    let mut seen: Vec<(String, u32, usize)> = Vec::new();
    for (day, name) in v {
        match seen.iter_mut().find(|(n, _, _)| n == name) {
            Some(x) => x.2 += 1,
            None => seen.push((name.clone(), *day, 1)),
        }
    }
    let mut seen: Vec<String> = seen
        .into_iter()
        .map(|(name, day, n)| match n {
            1 => format!("{name} (day {day})"),
            n => format!("{name} ({n} times, first on day {day})"),
        })
        .collect();
    let more = seen.len().saturating_sub(6);
    seen.truncate(6);
    let text = seen.join(", ");
    if more > 0 {
        format!("{text} and {more} more")
    } else {
        text
    }
}

fn median_days(o: &[stats::Outcome], g: GroupingId) -> (usize, String) {
    let days: Vec<f64> = o
        .iter()
        .filter_map(|x| x.withdrawal_day.get(g.0).copied().flatten())
        .map(f64::from)
        .collect();
    (
        days.len(),
        stats::Spread::of(&days).map_or("-".into(), |sp| {
            format!("day {:.0} (days {:.0}-{:.0})", sp.median, sp.p5, sp.p95)
        }),
    )
}

/// The side-by-side table: a column per scenario.
fn table(parts: &[(&Part, &Account)]) -> Markup {
    let day = |s: &Scenario, d: chrono::NaiveDate| (d - s.start_date).num_days() + 1;
    html! {
        table.lesson {
            tr { th {} @for (p, _) in parts { th { (p.game.scenario.name) } } }
            tr {
                td { "The grouping" }
                @for (p, a) in parts {
                    td { (p.game.scenario.grouping(a.grouping).name) " (" (a.units) " units)" }
                }
            }
            tr {
                td { "Its supply was cut by" }
                @for (_, a) in parts { td { b { (cut_by(a)) } } }
            }
            tr {
                td { "Lines cut by capture (before the order)" }
                @for (_, a) in parts {
                    td { (a.lines_cut.len()) @if !a.lines_cut.is_empty() { ": " (list(&a.lines_cut)) } }
                }
            }
            tr {
                td { "Crossings struck (before the order)" }
                @for (_, a) in parts {
                    td {
                        (a.crossings_hit.len()) " hits"
                        @if !a.crossings_hit.is_empty() { ": " (list(&a.crossings_hit)) }
                        @if !a.damaged_before.is_empty() {
                            "; down at the start: " (a.damaged_before.join(", "))
                        }
                        @if a.stock_burnt > 0.0 {
                            "; depot stock burnt: " (crate::numbers::group_thousands(a.stock_burnt.round() as u32)) " t"
                        }
                    }
                }
            }
            tr {
                td { "Ordered back (this game)" }
                @for (_, a) in parts {
                    td {
                        @match &a.ordered {
                            Some((turn, date, _)) => { "day " (turn) ", " (date.format("%-d %B")) }
                            None => { "never" }
                        }
                    }
                }
            }
            tr {
                td { "Ordered back (history)" }
                @for (p, a) in parts {
                    td {
                        @match &a.history {
                            Some((date, rating)) => {
                                "day " (day(&p.game.scenario, *date)) ", " (date.format("%-d %B")) " [" (rating) "]"
                            }
                            None => { "not dated" }
                        }
                    }
                }
            }
            tr {
                td { "Why (the command's reasons)" }
                @for (_, a) in parts {
                    td { @if let Some((_, _, why)) = &a.ordered { (why.join("; ")) } }
                }
            }
            tr {
                td { "The withdrawal took" }
                @for (_, a) in parts {
                    td {
                        @match (a.ordered.is_some(), a.took) {
                            (true, Some(0)) => { "under a day to reach its line" }
                            (true, Some(d)) => { (crate::numbers::count(u64::from(d), "day", "days")) " to reach its line" }
                            (true, None) => { "its line not reached by the end" }
                            (false, _) => { "-" }
                        }
                    }
                }
            }
            tr {
                td { "Left behind" }
                @for (_, a) in parts {
                    td {
                        (a.abandoned) " items abandoned falling back; "
                        (a.captured) " items captured by the enemy; "
                        (a.units_lost) " of " (a.units) " units lost"
                    }
                }
            }
            tr {
                td { "Over the batch" }
                @for (p, a) in parts {
                    @let (n, median) = median_days(p.batch, a.grouping);
                    td { "ordered back in " (n) " of " (p.batch.len()) " games; " (median) }
                }
            }
        }
    }
}

/// Writes a lesson on two (or more) scenarios into `dir`: `report.html` and a supply chart
/// per scenario. Returns the files written, the page first.
pub fn write_lesson(parts: &[Part], dir: &std::path::Path) -> Result<Vec<String>, String> {
    super::into_folder(dir, |d| fill(parts, d))
}

fn fill(parts: &[Part], dir: &std::path::Path) -> Result<Vec<String>, String> {
    let mut accounts = Vec::new();
    for p in parts {
        let g = subject(p.game).ok_or_else(|| {
            format!(
                "{} has no grouping with a fallback line: nothing to follow",
                p.game.scenario.name
            )
        })?;
        accounts.push(account(p.game, g));
    }
    let mut files = vec!["report.html".to_string()];
    let mut charts = Vec::new();
    for (k, (p, a)) in parts.iter().zip(&accounts).enumerate() {
        let name = format!("supply-{}.png", k + 1);
        let mut which = a.depots.clone();
        which.truncate(4);
        write(dir, &name, &charts::depots(&[("game", p.game)], &which)?)?;
        charts.push(name.clone());
        files.push(name);
    }
    let pairs: Vec<(&Part, &Account)> = parts.iter().zip(&accounts).collect();
    let body = html! {
        h1 { "Two ways to lose supply" }
        p.lead {
            "Each scenario below follows one grouping whose supply failed. Read across: what cut it, "
            "when and why its command ordered it back, how long getting back took, and what it left "
            "behind. The history's dates stand beside the model's, with the sources' ratings."
        }
        @for p in parts {
            p { b { (p.game.scenario.name) } ": " (p.game.scenario.description) " (seed " (p.game.seed) ")" }
        }
        h2 { "Side by side" }
        (table(&pairs))
        h2 { "Supply, day by day" }
        @for ((p, a), chart) in pairs.iter().zip(&charts) {
            h3 { (p.game.scenario.name) ": the depots of the " (p.game.scenario.grouping(a.grouping).name) }
            (super::html::chart(chart, "depot stock and inflow"))
        }
        h2 { "The model beside history" }
        @for (p, _) in &pairs {
            h3 { (p.game.scenario.name) }
            @if p.batch.is_empty() {
                (super::html::calibration(&calibrate::table(&p.game.scenario, &[stats::Outcome::of(p.game)]), 1))
            } @else {
                (super::html::calibration(&calibrate::table(&p.game.scenario, p.batch), p.batch.len()))
            }
        }
    };
    let page = super::html::page("Two ways to lose supply", &body);
    write(dir, "report.html", page.as_bytes())?;
    Ok(files)
}
