//! What one game tells of a grouping: what cut its supply, when and why it was ordered
//! back, how long it took and what it left behind. The lesson, the story a report opens
//! with and a comparison's answer all read it.

use super::record::{GameRecord, key_depots};
use crate::rules::events::GameEvent;
use crate::rules::narrate;
use crate::scenario::ids::{GroupingId, SideId};
use crate::scenario::model::Fact;

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
            _ => {}
        }
    }
    let Losses {
        abandoned,
        captured,
        units_lost,
    } = losses(r, g, u32::MAX);
    Account {
        grouping: g,
        history,
        took: ordered.as_ref().and_then(|(turn, _, _)| took(r, g, *turn)),
        ordered,
        depots: depots_of(r, g, until.min(r.days.len() as u32)),
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

/// What a grouping lost by the end of a day: the items its units left behind, the items
/// of its units the enemy captured, and its units destroyed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Losses {
    /// Items left behind while falling back.
    pub abandoned: u32,
    /// Items the enemy captured.
    pub captured: u32,
    /// Units destroyed.
    pub units_lost: usize,
}

/// The grouping's losses by the end of day `by` (`u32::MAX`: all game).
pub fn losses(r: &GameRecord, g: GroupingId, by: u32) -> Losses {
    let s = &r.scenario;
    let side = s.grouping(g).side;
    let ours = |u: crate::scenario::ids::UnitId| s.unit(u).grouping == g;
    let mut out = Losses {
        abandoned: 0,
        captured: 0,
        units_lost: 0,
    };
    for l in r.events.iter().filter(|l| l.turn <= by) {
        match &l.event {
            GameEvent::EquipmentAbandoned { unit, items: i, .. } if ours(*unit) => {
                out.abandoned += items(i);
            }
            GameEvent::EquipmentCaptured {
                unit, items: i, by, ..
            } if ours(*unit) && *by != side => {
                out.captured += items(i);
            }
            GameEvent::UnitDestroyed { unit, .. } if ours(*unit) => out.units_lost += 1,
            _ => {}
        }
    }
    out
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

/// The depots a grouping's units drew from up to a day (the key depots if none is known).
pub fn depots_of(r: &GameRecord, grouping: GroupingId, turn: u32) -> Vec<usize> {
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
