//! The story a report opens with: the grouping a scenario's history follows (the one
//! whose withdrawal it dates), the chain of what happened to it in this game, a sentence
//! per link with its numbers and its date beside history's, a headline computed from the
//! chain, and the key day's map with the grouping ringed and the enemy's main advances.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::account::{Account, account, subject};
use super::record::GameRecord;
use crate::geo::Offset;
use crate::numbers::group_thousands;
use crate::render::Marks;
use crate::rules::events::GameEvent;
use crate::rules::narrate::side_name;
use crate::scenario::ids::{GroupingId, PlaceId, SideId};
use crate::scenario::model::Fact;

/// One link of the chain: what happened on a day, and history's date for it if the
/// scenario's sources date it.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Turn.
    pub turn: u32,
    /// Date in the game.
    pub date: NaiveDate,
    /// The sentence.
    pub text: String,
    /// History's date of the same event, with the source's rating.
    pub history: Option<(NaiveDate, String)>,
}

/// The story of one game.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    /// The grouping followed.
    pub grouping: Option<GroupingId>,
    /// What this game showed, in a sentence or three.
    pub headline: String,
    /// The chain, in the order it happened.
    pub links: Vec<Link>,
    /// The days whose maps tell it (the order, the depot's loss), in order.
    pub key_days: Vec<u32>,
}

fn tonnes(t: f64) -> String {
    format!("{} t", group_thousands(t.max(0.0).round() as u32))
}

/// A link of the chain on a turn.
fn link(r: &GameRecord, turn: u32, text: String, history: Option<(NaiveDate, String)>) -> Link {
    Link {
        turn,
        date: date_of(r, turn),
        text,
        history,
    }
}

fn date_of(r: &GameRecord, turn: u32) -> NaiveDate {
    r.scenario.start_date + chrono::Days::new(u64::from(turn.saturating_sub(1)))
}

/// History's date (and rating) of a place taken by a side.
pub(crate) fn history_taken(
    r: &GameRecord,
    place: PlaceId,
    by: SideId,
) -> Option<(NaiveDate, String)> {
    r.scenario.history.iter().find_map(|h| {
        h.facts
            .iter()
            .any(|f| matches!(f, Fact::Taken { place: p, by: b, .. } if *p == place && *b == by))
            .then(|| (h.date, h.rating.clone()))
    })
}

/// The depot the grouping lives on: for each of its units, the depot it last drew from
/// by the day (as the supply events tell), else the nearest depot of its side to where it
/// started; the depot most units name (the lowest index on a tie).
pub fn main_depot(r: &GameRecord, g: GroupingId, until: u32) -> Option<usize> {
    let s = &r.scenario;
    let side = s.grouping(g).side;
    let mut by_unit: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for (i, u) in s.units.iter().enumerate().filter(|(_, u)| u.grouping == g) {
        let here = crate::geo::offset_to_hex(u.hex);
        if let Some((d, _)) = s
            .depots
            .iter()
            .enumerate()
            .filter(|(_, d)| d.side == side)
            .min_by_key(|(k, d)| {
                (
                    here.unsigned_distance_to(crate::geo::offset_to_hex(d.hex)),
                    *k,
                )
            })
        {
            by_unit.insert(i, d);
        }
    }
    for l in r.events.iter().filter(|l| l.turn <= until) {
        if let GameEvent::UnitSupplyChanged {
            unit,
            depot: Some(d),
            ..
        } = &l.event
            && s.unit(*unit).grouping == g
        {
            by_unit.insert(unit.0, d.0);
        }
    }
    let mut count: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for d in by_unit.values() {
        *count.entry(*d).or_default() += 1;
    }
    count
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(d, _)| d)
}

/// A depot's name as a sentence uses it ("the Izium depot").
pub fn depot_words(name: &str) -> String {
    if name.to_lowercase().contains("depot") {
        name.to_string()
    } else {
        format!("{name} depot")
    }
}

/// The first day the depot received less than half of what open lines would bring while
/// its side held it: the day, the depot, inflow, nominal, stock.
fn first_short_day(
    r: &GameRecord,
    depot: Option<usize>,
    side: SideId,
) -> Option<(u32, usize, f64, f64, f64)> {
    let k = depot?;
    r.days.iter().find_map(|d| {
        let x = d.depots.get(k)?;
        (x.active && x.owner == side && x.nominal_inflow > 1.0 && x.inflow < 0.5 * x.nominal_inflow)
            .then_some((d.turn, k, x.inflow, x.nominal_inflow, x.stock))
    })
}

/// The links before the order: the damage the scenario dates, the first towns the enemy
/// takes (and every town history dates), the first cut of the grouping's lines, strikes.
fn before_the_order(r: &GameRecord, a: &Account, side: SideId) -> Vec<Link> {
    let s = &r.scenario;
    let mut links = Vec::new();
    let push =
        |links: &mut Vec<Link>, turn, text, history| links.push(link(r, turn, text, history));
    // Before the game: the damage the scenario dates.
    if !a.damaged_before.is_empty() {
        push(
            &mut links,
            1,
            format!(
                "Before the game begins, {} {} already out of use.",
                join(&a.damaged_before),
                if a.damaged_before.len() == 1 {
                    "is"
                } else {
                    "are"
                }
            ),
            None,
        );
    }
    // The breakthrough: the first towns the enemy takes, before the order (two at most),
    // and every town the history dates.
    let until = a.ordered.as_ref().map_or(u32::MAX, |o| o.0);
    let mut early = 0;
    for l in &r.events {
        if let GameEvent::ObjectiveCaptured { place, by, .. } = &l.event
            && *by != side
            && s.control[s.index(s.place_by_id(*place).hex)] == Some(side)
        {
            let history = history_taken(r, *place, *by);
            let first = l.turn <= until && early < 2;
            if first || history.is_some() {
                if l.turn <= until {
                    early += 1;
                }
                push(
                    &mut links,
                    l.turn,
                    format!(
                        "{} takes {}.",
                        side_name(s, *by),
                        s.place_by_id(*place).name
                    ),
                    history,
                );
            }
        }
    }
    // The lines: the first cut of its side's rail, and strikes on its crossings.
    if let Some((turn, line)) = a.lines_cut.first() {
        let more = a.lines_cut.len() - 1;
        push(
            &mut links,
            *turn,
            format!(
                "The enemy reaches the {line} rail line and cuts it{}.",
                if more > 0 {
                    format!(
                        "; {more} more cuts of {}'s lines follow by the order",
                        side_name(s, side)
                    )
                } else {
                    String::new()
                }
            ),
            None,
        );
    }
    if let Some((turn, crossing)) = a.crossings_hit.first() {
        push(
            &mut links,
            *turn,
            format!(
                "Strikes hit {crossing}; {} hits on crossings by the order.",
                a.crossings_hit.len()
            ),
            None,
        );
    }
    links
}

/// The chain and headline of a game.
pub fn story(r: &GameRecord) -> Story {
    let s = &r.scenario;
    let Some(g) = subject(r) else {
        return Story {
            grouping: None,
            headline: "No grouping of this scenario has a withdrawal to follow.".into(),
            links: Vec::new(),
            key_days: r.days.last().map(|d| d.turn).into_iter().collect(),
        };
    };
    let a = account(r, g);
    let grouping = s.grouping(g);
    let side = grouping.side;
    let name = &grouping.name;
    let mut links: Vec<Link> = Vec::new();
    let push =
        |links: &mut Vec<Link>, turn, text, history| links.push(link(r, turn, text, history));

    links.extend(before_the_order(r, &a, side));
    // The order.
    if let Some((turn, _, reasons)) = &a.ordered {
        push(
            &mut links,
            *turn,
            format!("The {name} is ordered back: {}.", reasons.join("; ")),
            a.history.clone(),
        );
    }
    // The cut reaching its depot.
    let until = a.ordered.as_ref().map_or(u32::MAX, |o| o.0);
    let depot = main_depot(r, g, until.min(r.days.len() as u32));
    let short = first_short_day(r, depot, side);
    if let Some((turn, k, inflow, nominal, stock)) = short {
        push(
            &mut links,
            turn,
            format!(
                "The {} receives {} of the {} open lines would bring; it holds {}.",
                depot_words(&s.depots[k].name),
                tonnes(inflow),
                tonnes(nominal),
                tonnes(stock)
            ),
            None,
        );
    }
    // Its depot taken, with what was in it.
    let main = depot;
    let mut lost_depot: Option<(u32, usize, f64)> = None;
    for l in &r.events {
        if let GameEvent::DepotCaptured {
            depot,
            by: Some(by),
            stock,
            ..
        } = &l.event
            && *by != side
            && Some(depot.0) == main
            && s.depots[depot.0].side == side
        {
            lost_depot.get_or_insert((l.turn, depot.0, *stock));
            push(
                &mut links,
                l.turn,
                format!(
                    "{} takes the {} with {} still in it: it was taken, not run dry.",
                    side_name(s, *by),
                    depot_words(&s.depots[depot.0].name),
                    tonnes(*stock)
                ),
                None,
            );
        }
    }
    // What was left.
    if a.abandoned + a.captured > 0 || a.units_lost > 0 {
        let turn = r
            .events
            .iter()
            .filter(|l| match &l.event {
                GameEvent::EquipmentAbandoned { unit, .. }
                | GameEvent::EquipmentCaptured { unit, .. } => s.unit(*unit).grouping == g,
                _ => false,
            })
            .map(|l| l.turn)
            .max()
            .or(r.days.last().map(|d| d.turn))
            .unwrap_or(1);
        push(
            &mut links,
            turn,
            format!(
                "By then the {name} has left {} items of equipment behind and the enemy has captured {} of its items; {} of its {} units are lost.",
                a.abandoned, a.captured, a.units_lost, a.units
            ),
            None,
        );
    }
    links.sort_by_key(|l| l.turn);

    let headline = headline(r, &a, short, lost_depot);
    let mut key_days: Vec<u32> = a.ordered.iter().map(|o| o.0).collect();
    if let Some((turn, _, _)) = lost_depot {
        key_days.push(turn);
    }
    if key_days.is_empty() {
        key_days.extend(short.map(|x| x.0).or(r.days.last().map(|d| d.turn)));
    }
    key_days.sort_unstable();
    key_days.dedup();
    Story {
        grouping: Some(g),
        headline,
        links,
        key_days,
    }
}

fn join(v: &[String]) -> String {
    match v {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The headline: when the grouping was ordered back beside history, whether before or
/// after its supply was cut, and what the enemy took.
fn headline(
    r: &GameRecord,
    a: &Account,
    short: Option<(u32, usize, f64, f64, f64)>,
    lost: Option<(u32, usize, f64)>,
) -> String {
    let s = &r.scenario;
    let name = &s.grouping(a.grouping).name;
    let day = |turn: u32| format!("day {turn} ({})", date_of(r, turn).format("%-d %B"));
    let hist = a
        .history
        .as_ref()
        .map(|(d, _)| format!("; history: {}", d.format("%-d %B")))
        .unwrap_or_default();
    let when = |turn: u32| format!("day {turn} ({}{hist})", date_of(r, turn).format("%-d %B"));
    let days = |n: u32| {
        if n == 1 {
            "a day".to_string()
        } else {
            format!("{n} days")
        }
    };
    let mut out = match (&a.ordered, short) {
        (Some((turn, _, reasons)), Some((cut, k, inflow, nominal, _))) if cut > *turn => format!(
            "In this game the {name} was ordered back on {}, {} before its supply was cut: {}. The {} still received its trains until day {cut}, when it got {} of {}.",
            when(*turn),
            days(cut - turn),
            reasons.join("; "),
            depot_words(&s.depots[k].name),
            tonnes(inflow),
            tonnes(nominal)
        ),
        (Some((turn, _, reasons)), Some((cut, k, inflow, nominal, _))) => format!(
            "In this game the {name} was ordered back on {}, after the {}'s supply was cut on day {cut} ({} of {}): {}.",
            when(*turn),
            depot_words(&s.depots[k].name),
            tonnes(inflow),
            tonnes(nominal),
            reasons.join("; ")
        ),
        (Some((turn, _, reasons)), None) => format!(
            "In this game the {name} was ordered back on {}, its supply never cut: {}.",
            when(*turn),
            reasons.join("; ")
        ),
        (None, Some((cut, k, inflow, nominal, _))) => format!(
            "In this game the {name} was never ordered back, though the {}'s supply was cut on {} ({} of {}).",
            depot_words(&s.depots[k].name),
            day(cut),
            tonnes(inflow),
            tonnes(nominal)
        ),
        (None, None) => format!(
            "In this game the {name} was never ordered back, and its supply was never cut (history orders it back{hist})."
        ),
    };
    if let Some((turn, k, stock)) = lost {
        let _ = write!(
            out,
            " The enemy took the {} on {} with {} still in it.",
            depot_words(&s.depots[k].name),
            day(turn),
            tonnes(stock)
        );
    }
    if a.ordered.is_some() {
        let _ = write!(
            out,
            " It left {} items of equipment behind, and the enemy captured {}.",
            a.abandoned, a.captured
        );
    }
    out
}

/// The hexes of a grouping's main body: those within twice the median distance of their
/// middle hex (and at least within 4 hexes), so one unit standing far off does not
/// stretch the ring over half the map.
pub(crate) fn main_body(hexes: Vec<Offset>) -> Vec<Offset> {
    use crate::geo::offset_to_hex;
    if hexes.len() < 3 {
        return hexes;
    }
    let mut cols: Vec<i32> = hexes.iter().map(|h| h.col).collect();
    let mut rows: Vec<i32> = hexes.iter().map(|h| h.row).collect();
    cols.sort_unstable();
    rows.sort_unstable();
    let middle = offset_to_hex(Offset {
        col: cols[cols.len() / 2],
        row: rows[rows.len() / 2],
    });
    let far = |h: &Offset| middle.unsigned_distance_to(offset_to_hex(*h));
    let mut d: Vec<u32> = hexes.iter().map(far).collect();
    d.sort_unstable();
    let reach = (2 * d[d.len() / 2]).max(4);
    hexes.into_iter().filter(|h| far(h) <= reach).collect()
}

/// The key day's marks: the grouping's units ringed, and arrows from where each enemy
/// grouping's units stood at the start to where they stand that day (the four that moved
/// farthest, three hexes or more).
pub fn marks(r: &GameRecord, g: Option<GroupingId>, turn: u32) -> Marks {
    let s = &r.scenario;
    let Some(day) = r.days.iter().find(|d| d.turn == turn) else {
        return Marks::default();
    };
    let grouping_of = |name: &str| s.units.iter().find(|u| u.name == name).map(|u| u.grouping);
    let ring: Vec<Offset> = g
        .map(|g| {
            day.view
                .units
                .iter()
                .filter(|u| grouping_of(&u.name) == Some(g))
                .map(|u| u.hex)
                .collect()
        })
        .unwrap_or_default();
    let side = g.map(|g| s.grouping(g).side);
    let ring = main_body(ring);
    let centre = |hexes: &[Offset]| -> Option<Offset> {
        let n = hexes.len() as i64;
        (n > 0).then(|| {
            let (c, r) = hexes.iter().fold((0i64, 0i64), |a, h| {
                (a.0 + i64::from(h.col), a.1 + i64::from(h.row))
            });
            Offset {
                col: ((c + n / 2) / n) as i32,
                row: ((r + n / 2) / n) as i32,
            }
        })
    };
    let mut arrows: Vec<(u32, Offset, Offset, SideId)> = s
        .grouping_ids()
        .filter(|e| Some(s.grouping(*e).side) != side)
        .filter_map(|e| {
            let start: Vec<Offset> = s
                .units
                .iter()
                .filter(|u| u.grouping == e)
                .map(|u| u.hex)
                .collect();
            let now: Vec<Offset> = day
                .view
                .units
                .iter()
                .filter(|u| grouping_of(&u.name) == Some(e))
                .map(|u| u.hex)
                .collect();
            let (a, b) = (centre(&start)?, centre(&now)?);
            let moved =
                crate::geo::offset_to_hex(a).unsigned_distance_to(crate::geo::offset_to_hex(b));
            (moved >= 3).then_some((moved, a, b, s.grouping(e).side))
        })
        .collect();
    arrows.sort_by_key(|x| std::cmp::Reverse(x.0));
    arrows.truncate(4);
    Marks {
        ring,
        spots: Vec::new(),
        arrows: arrows
            .into_iter()
            .map(|(_, a, b, side)| (a, b, side))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_unit_far_off_is_left_out_of_the_ring() {
        let at = |col, row| Offset { col, row };
        let body = vec![at(10, 10), at(11, 10), at(10, 11), at(12, 11), at(11, 12)];
        let mut with_far = body.clone();
        with_far.push(at(30, 2));
        assert_eq!(main_body(with_far), body);
        // A body spread wide is kept whole: the reach grows with the median distance.
        let wide = vec![at(0, 0), at(6, 0), at(12, 0), at(3, 4), at(9, 4)];
        assert_eq!(main_body(wide.clone()), wide);
        // Two units are too few to tell a body from a stray.
        let two = vec![at(0, 0), at(30, 30)];
        assert_eq!(main_body(two.clone()), two);
    }
}
