//! Plain-language narration of the events of a day, for the terminal and the window.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::scenario::Scenario;

use super::events::{GameEvent, Logged, Reason};
use crate::scenario::ids::{DepotId, SideId, UnitId};

fn tonnes(t: f64) -> String {
    crate::numbers::group_thousands(t.max(0.0).round() as u32) + " t"
}

fn items(items: &BTreeMap<String, u32>) -> String {
    items
        .iter()
        .map(|(k, n)| format!("{n} {}", equipment_words(k, *n)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A kind of equipment in words a student reads: the abbreviations scenarios use spelled
/// out (`ifv`: infantry fighting vehicles), others as written.
pub fn equipment_words(kind: &str, n: u32) -> String {
    let (one, many) = match kind {
        "ifv" => ("infantry fighting vehicle", "infantry fighting vehicles"),
        "apc" => ("armoured personnel carrier", "armoured personnel carriers"),
        "mrl" => ("rocket launcher", "rocket launchers"),
        "tanks" | "tank" => ("tank", "tanks"),
        "artillery" => ("gun", "guns"),
        _ => return kind.to_string(),
    };
    if n == 1 { one } else { many }.to_string()
}

/// A side's name (`Ukraine`; its short id, `ua`, is `s.side(id).id`).
pub fn side_name(s: &Scenario, id: SideId) -> &str {
    &s.side(id).name
}

/// A unit's name.
fn unit_name(s: &Scenario, id: UnitId) -> &str {
    &s.unit(id).name
}

/// Units' names joined by ` + `.
fn unit_names(s: &Scenario, ids: &[UnitId]) -> String {
    ids.iter()
        .map(|u| unit_name(s, *u))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// A supply state in words.
pub fn supply_word(level: super::state::SupplyLevel) -> &'static str {
    match level {
        super::state::SupplyLevel::Supplied => "supplied",
        super::state::SupplyLevel::Short => "short of supply",
        super::state::SupplyLevel::OutOfSupply => "out of supply",
    }
}

/// A withdrawal reason in words, with its value and threshold.
pub fn reason_text(s: &Scenario, r: &Reason) -> String {
    match *r {
        Reason::DaysOfSupply {
            value,
            threshold,
            outlook,
        } => {
            let lost = if outlook {
                " once the lines in the enemy's reach are lost"
            } else {
                ""
            };
            format!("supply for {value:.1} days{lost} (threshold {threshold})")
        }
        Reason::LinesCut {
            value,
            threshold,
            threatened,
        } if threatened >= value && threatened > 0.0 => format!(
            "{:.0}% of its rail supply on lines within the enemy's reach, still running (threshold {:.0}%)",
            value * 100.0,
            threshold * 100.0
        ),
        Reason::LinesCut {
            value,
            threshold,
            threatened,
        } if threatened > 0.0 => format!(
            "{:.0}% of its rail supply cut or within the enemy's reach ({:.0}% still running) (threshold {:.0}%)",
            value * 100.0,
            threatened * 100.0,
            threshold * 100.0
        ),
        Reason::LinesCut {
            value, threshold, ..
        } => format!(
            "{:.0}% of its rail supply cut (threshold {:.0}%)",
            value * 100.0,
            threshold * 100.0
        ),
        Reason::ForceRatio { value, threshold } => {
            format!("outnumbered {value:.1} to 1 (threshold {threshold})")
        }
        Reason::Encircled { value, threshold } => format!(
            "threat of encirclement: the enemy holds {:.0}% of the ground around it (threshold {:.0}%)",
            value * 100.0,
            threshold * 100.0
        ),
        Reason::WithGrouping { grouping } => format!(
            "the {} is ordered back, and the same command's decision covers it",
            s.grouping(grouping).name
        ),
        Reason::Directive { day } => format!(
            "a directive from above orders it back on day {day} ({}), whatever its situation",
            (s.start_date + chrono::Days::new(u64::from(day.saturating_sub(1)))).format("%-d %B")
        ),
    }
}

/// Each grouping ordered back, once: the day and the reasons of the first order, then
/// each order on to a further line, each time it stood fast, and each order back after.
fn withdrawals_told(s: &Scenario, log: &[Logged]) -> Vec<String> {
    // For each grouping: its line so far, and whether it stands fast now.
    let mut told: BTreeMap<crate::scenario::ids::GroupingId, (String, bool)> = BTreeMap::new();
    for l in log {
        match &l.event {
            GameEvent::WithdrawalOrdered {
                grouping, reasons, ..
            } => {
                let when = format!("day {} ({})", l.turn, l.date.format("%-d %B"));
                let why = reasons
                    .iter()
                    .map(|r| reason_text(s, r))
                    .collect::<Vec<_>>()
                    .join("; ");
                let why = if why.is_empty() {
                    "by its commander".to_string()
                } else {
                    why
                };
                match told.get_mut(grouping) {
                    None => {
                        let line = format!(
                            "  {}: withdrawal ordered on {when}: {why}",
                            s.grouping(*grouping).name
                        );
                        told.insert(*grouping, (line, false));
                    }
                    Some((line, standing)) if *standing => {
                        let _ = write!(line, "; ordered back again on {when}: {why}");
                        *standing = false;
                    }
                    Some((line, _)) => {
                        let _ = write!(line, "; on to its next line on {when}");
                    }
                }
            }
            GameEvent::WithdrawalEnded { grouping, .. } => {
                if let Some((line, standing)) = told.get_mut(grouping) {
                    let _ = write!(line, "; stood fast on day {}", l.turn);
                    *standing = true;
                }
            }
            _ => {}
        }
    }
    if told.is_empty() {
        return vec!["  No grouping was ordered to withdraw.".into()];
    }
    told.into_values().map(|(l, _)| format!("{l}.")).collect()
}

/// Narrates one day's events as lines of text (the first line is the day's heading).
pub fn narrate_day(s: &Scenario, day: &[Logged]) -> Vec<String> {
    narrate_day_after(s, day, &[])
}

/// The line of a depot's day, `None` when it has nothing to tell.
fn depot_event_line(s: &Scenario, e: &GameEvent) -> Option<(usize, Option<String>)> {
    DepotDay::of(e).map(|(d, day)| (d, depot_line(&s.depots[d].name, day)))
}

/// A depot's day as figures, to judge whether it is news.
#[derive(Clone, Copy)]
struct DepotDay {
    stock: f64,
    inflow: f64,
    nominal: f64,
    demand: f64,
}

impl DepotDay {
    fn of(e: &GameEvent) -> Option<(usize, Self)> {
        match e {
            GameEvent::DepotSupply {
                depot,
                stock,
                inflow,
                nominal_inflow,
                demand,
                ..
            } => Some((
                depot.0,
                Self {
                    stock: *stock,
                    inflow: *inflow,
                    nominal: *nominal_inflow,
                    demand: *demand,
                },
            )),
            _ => None,
        }
    }

    /// Whether it has anything to tell: its units draw on it, or its lines are cut.
    fn tells(&self) -> bool {
        !(self.demand <= 0.0 && self.inflow == self.nominal)
    }

    /// Its trains bring less than they would with its lines open.
    fn cut(&self) -> bool {
        self.inflow + 0.5 < self.nominal
    }

    /// How long its stock lasts, in bands a reader notices: 0 holding (its trains bring
    /// what its units draw), then more than 10 days, 5 to 10, 3 to 5, 1 to 3, under 1
    /// day, and 6 for empty.
    fn band(&self) -> u8 {
        if self.demand <= self.inflow {
            return 0;
        }
        if self.stock < 0.5 {
            return 6;
        }
        let days = self.stock / (self.demand - self.inflow);
        match days {
            d if d >= 10.0 => 1,
            d if d >= 5.0 => 2,
            d if d >= 3.0 => 3,
            d if d >= 1.0 => 4,
            _ => 5,
        }
    }

    /// Whether this day is news after the day last told: the cut begins or ends, its
    /// stock's days cross a band, or what it receives or what its units draw moves by
    /// more than a tenth. A depot holding uncut day after day is not news.
    fn news_after(&self, told: &Self) -> bool {
        let moved = |a: f64, b: f64| (a - b).abs() > 0.1 * a.max(b).max(1.0);
        if self.band() == 0 && told.band() == 0 && !self.cut() && !told.cut() {
            return false;
        }
        self.cut() != told.cut()
            || self.band() != told.band()
            || moved(self.inflow, told.inflow)
            || moved(self.demand, told.demand)
    }
}

/// A depot's line as the days before tell it: the full line the first day, then only on
/// a day that is news after the last day told (see [`DepotDay::news_after`]), so a
/// depot drained day after day is told as its days of stock cross 10, 5, 3 and 1, not
/// every day.
fn depot_line_after(
    depot: usize,
    line: String,
    today: &GameEvent,
    before: &[Logged],
) -> Option<String> {
    let mut told: Option<DepotDay> = None;
    for e in before
        .iter()
        .map(|l| &l.event)
        .chain(std::iter::once(today))
    {
        let Some((d, day)) = DepotDay::of(e) else {
            continue;
        };
        if d != depot || !day.tells() {
            continue;
        }
        if told.is_none_or(|t| day.news_after(&t)) {
            if std::ptr::eq(e, today) {
                return Some(line);
            }
            told = Some(day);
        }
    }
    None
}

/// Narrates one day's events, told against the days `before` it (all the events of the
/// game until then): a depot is told only on a day that is news after the last day it
/// was told (its cut begins or ends, its days of stock cross a band, its trains or its
/// units' draw move by more than a tenth), not day after day.
pub fn narrate_day_after(s: &Scenario, day: &[Logged], before: &[Logged]) -> Vec<String> {
    let Some(first) = day.first() else {
        return Vec::new();
    };
    let mut lines = vec![format!(
        "Day {}, {}",
        first.turn,
        first.date.format("%-d %B %Y")
    )];
    let mut moves: BTreeMap<UnitId, u32> = BTreeMap::new();
    for l in day {
        if let GameEvent::UnitMoved { unit, .. } = &l.event {
            *moves.entry(*unit).or_default() += 1;
            continue;
        }
        let line = match depot_event_line(s, &l.event) {
            Some((depot, Some(line))) => depot_line_after(depot, line, &l.event, before),
            _ => event_line(s, &l.event),
        };
        if let Some(line) = line {
            let why = dated_reason(s, &l.event, l.turn);
            let line = match line.strip_suffix('.') {
                Some(head) if !why.is_empty() => format!("{head}{why}."),
                _ => line,
            };
            lines.push(format!("  {line}"));
        }
    }
    if !moves.is_empty() {
        lines.insert(1, format!("  {}", moves_line(s, &moves)));
    }
    lines
}

/// The reason the scenario gives for damage it dates (" (HIMARS strikes of ...)"), for
/// the damage that day's events report with no striker; "" for anything else.
fn dated_reason(s: &Scenario, e: &GameEvent, turn: u32) -> String {
    use crate::scenario::model::Target;
    let target = match e {
        GameEvent::CrossingDamaged {
            crossing, by: None, ..
        } => Target::Crossing(crossing.0),
        GameEvent::DepotStruck {
            depot, by: None, ..
        } => Target::Depot(depot.0),
        GameEvent::RailLinkStruck { link, by: None, .. } => Target::Link(link.0),
        _ => return String::new(),
    };
    s.damage
        .iter()
        .find(|d| {
            d.turn == turn
                && d.harm.is_some()
                && !d.reason.is_empty()
                && (d.target == target
                    || matches!((d.target, target), (Target::Node(n), Target::Link(l))
                        if super::strikes::railways_at(s, n).contains(&l)))
        })
        .map_or_else(String::new, |d| format!(" ({})", d.reason))
}

/// How many units of each side moved: "Ukraine moved 7 units; Russia moved 1 unit."
fn moves_line(s: &Scenario, moves: &BTreeMap<UnitId, u32>) -> String {
    let by_side: Vec<String> = s
        .side_ids()
        .filter_map(|side| {
            let n = moves.keys().filter(|u| s.unit(**u).side == side).count();
            (n > 0).then(|| {
                format!(
                    "{} moved {n} unit{}",
                    side_name(s, side),
                    if n == 1 { "" } else { "s" }
                )
            })
        })
        .collect();
    format!("{}.", by_side.join("; "))
}

/// A crossing's day for one side: what its lines carried over it, and what reached units
/// across it from depots on the other bank, against its limit.
fn crossing_line(
    s: &Scenario,
    crossing: crate::scenario::ids::CrossingId,
    side: SideId,
    by_links: f64,
    last_mile: f64,
    asked: f64,
    limit: f64,
) -> String {
    let x = s.crossing(crossing);
    let mut line = format!(
        "{} ({}, {} a day): {} of {} supply over it",
        x.name,
        x.kind.text(),
        tonnes(limit),
        tonnes(by_links + last_mile),
        side_name(s, side),
    );
    if by_links >= 0.5 {
        line.push_str(", ");
        line.push_str(&tonnes(by_links));
        line.push_str(" by its lines");
    }
    if asked >= 0.5 {
        line.push_str("; units across it got ");
        if last_mile + 0.5 < asked {
            line.push_str(&tonnes(last_mile));
            line.push_str(" of the ");
        } else {
            line.push_str("the ");
        }
        line.push_str(&tonnes(asked));
        line.push_str(" they asked of depots on the far bank");
    }
    line + "."
}

/// Whether an event leads a day's account: what changes the campaign (combats, captures,
/// withdrawals, cut and mended lines, pockets, units lost) rather than its routine
/// (moves, postures, depot figures, supply states).
pub fn leads(event: &GameEvent) -> bool {
    matches!(
        event,
        GameEvent::CombatResolved { .. }
            | GameEvent::ObjectiveCaptured { .. }
            | GameEvent::WithdrawalOrdered { .. }
            | GameEvent::WithdrawalEnded { .. }
            | GameEvent::DepotCaptured { .. }
            | GameEvent::RailLinkCut { .. }
            | GameEvent::RailLinkWrecked { .. }
            | GameEvent::RailLinkRepaired { .. }
            | GameEvent::BridgeBlown { .. }
            | GameEvent::BridgeRepaired { .. }
            | GameEvent::CrossingBuilt { .. }
            | GameEvent::CrossingDamaged { .. }
            | GameEvent::CrossingRepaired { .. }
            | GameEvent::RailLinkStruck { .. }
            | GameEvent::DepotStruck { .. }
            | GameEvent::StrikeMade { .. }
            | GameEvent::GroundIsolated { .. }
            | GameEvent::UnitDestroyed { .. }
            | GameEvent::EquipmentCaptured { .. }
            | GameEvent::ReinforcementArrived { .. }
            | GameEvent::UnitDeparted { .. }
    )
}

/// The lines of the campaign's events: postures, isolated ground, wrecked and repaired
/// rail.
fn campaign_line(s: &Scenario, event: &GameEvent) -> Option<String> {
    match event {
        GameEvent::UnitMovedByRail {
            unit,
            from,
            to,
            tonnes,
        } => {
            let station = |h: &(i32, i32)| {
                s.rail_nodes
                    .iter()
                    .find(|n| (n.hex.col, n.hex.row) == *h)
                    .map_or_else(
                        || {
                            hex_name(s, crate::geo::Offset { col: h.0, row: h.1 })
                                .trim_start_matches("at ")
                                .to_string()
                        },
                        |n| n.name.clone(),
                    )
            };
            Some(format!(
                "{} goes by rail from {} to {} ({} t of each line's day).",
                s.unit(*unit).name,
                station(from),
                station(to),
                crate::numbers::group_thousands(*tonnes as u32)
            ))
        }
        GameEvent::DepotFirstCall { depot, side, first } => Some(if *first {
            format!(
                "{} gives the {} first call on its trains.",
                side_name(s, *side),
                s.depot(*depot).name
            )
        } else {
            format!(
                "{} takes back the {}'s first call on its trains.",
                side_name(s, *side),
                s.depot(*depot).name
            )
        }),

        GameEvent::WithdrawalEnded { grouping, side } => Some(format!(
            "{} stops the {}'s withdrawal: no reason to fall back holds any longer.",
            side_name(s, *side),
            s.grouping(*grouping).name
        )),
        GameEvent::PostureTaken {
            grouping,
            posture,
            why,
            ..
        } => Some(format!(
            "{} {}: {}.",
            s.grouping(*grouping).name,
            posture.text(),
            why.text()
        )),
        GameEvent::GroundIsolated { side, to, km2, .. } => Some(format!(
            "Cut off from {} supply, {} km² pass to {}.",
            side_name(s, *side),
            crate::numbers::group_thousands(*km2 as u32),
            side_name(s, *to)
        )),
        GameEvent::RailLinkWrecked { link, days, .. } => Some(format!(
            "Rail: {} is wrecked; it carries nothing until one side holds all of it and repairs it ({days} days).",
            s.rail_link(*link).name,
        )),
        GameEvent::RailLinkRepaired { link, by } => Some(format!(
            "Rail: {} is repaired and carries {} supply.",
            s.rail_link(*link).name,
            side_name(s, *by)
        )),
        _ => None,
    }
}

/// The lines of crossings and of damage from afar and its repair.
fn damage_line(s: &Scenario, event: &GameEvent) -> Option<String> {
    match event {
        GameEvent::CrossingBuilt { crossing, by } => {
            let x = s.crossing(*crossing);
            Some(format!(
                "{} finishes the {} over the {}: a {} it can cross.",
                side_name(s, *by),
                x.name,
                s.rivers[x.river].name,
                x.kind.text()
            ))
        }
        GameEvent::StrikeMade {
            by,
            assets,
            crossing,
            link,
            depot,
            node,
            outcome,
            supply,
        } => {
            use crate::scenario::model::Target;
            let target = crossing
                .map(|c| Target::Crossing(c.0))
                .or(link.map(|l| Target::Link(l.0)))
                .or(depot.map(|d| Target::Depot(d.0)))
                .or(node.map(|n| Target::Node(n.0)))?;
            let who = format!(
                "{}'s {}",
                side_name(s, *by),
                s.strike_assets
                    .get(*assets)
                    .map_or("?", |a| a.name.as_str())
            );
            let what = super::orders::target_name(s, target);
            match outcome {
                // What the hit takes from the enemy's supply; the damage itself follows.
                super::events::StrikeOutcome::Hit => {
                    let t = crate::numbers::group_thousands(supply.max(0.0).round() as u32);
                    Some(match target {
                        // A depot's line says the stock burnt.
                        Target::Depot(_) => return None,
                        _ if *supply < 1.0 => format!(
                            "{who} hit {what}, which carried nothing of the enemy's supply today."
                        ),
                        _ => format!(
                            "{who} hit {what}, worth about {t} t a day of the enemy's supply until it is repaired."
                        ),
                    })
                }
                super::events::StrikeOutcome::Missed => {
                    Some(format!("{who} strike at {what} and miss."))
                }
                super::events::StrikeOutcome::Intercepted => Some(format!(
                    "{who} strike at {what}: the enemy's air defence intercepts it."
                )),
            }
        }
        GameEvent::CrossingDamaged {
            crossing,
            by,
            capacity_left,
            days,
        } => {
            let x = s.crossing(*crossing);
            let what = if *capacity_left <= 0.0 {
                "closed to traffic".to_string()
            } else {
                format!("cut to {:.0}% of its capacity", capacity_left * 100.0)
            };
            let repair = crate::numbers::count(u64::from(*days), "day", "days");
            Some(match by {
                Some(by) => format!(
                    "{} strikes the {}: {what} for {repair} of repair.",
                    side_name(s, *by),
                    x.name
                ),
                None => format!("The {} is damaged: {what} for {repair} of repair.", x.name),
            })
        }
        GameEvent::CrossingRepaired { crossing, by } => {
            let x = s.crossing(*crossing);
            Some(match by {
                Some(by) => format!("{} repairs the {}.", side_name(s, *by), x.name),
                None => format!("The {} is repaired.", x.name),
            })
        }
        GameEvent::RailLinkStruck { link, by, days } => {
            let repair = crate::numbers::count(u64::from(*days), "day", "days");
            let name = &s.rail_link(*link).name;
            Some(match by {
                Some(by) => format!(
                    "{} strikes the {name} line: cut for {repair} of repair.",
                    side_name(s, *by)
                ),
                None => format!("The {name} line is cut: {repair} of repair."),
            })
        }
        GameEvent::DepotStruck {
            depot,
            by,
            tonnes: lost,
        } => {
            let name = &s.depot(*depot).name;
            Some(match by {
                Some(by) => format!(
                    "{} strikes {name}: {} of its stock destroyed.",
                    side_name(s, *by),
                    tonnes(*lost)
                ),
                None => format!(
                    "{name} is struck: {} of its stock destroyed.",
                    tonnes(*lost)
                ),
            })
        }
        GameEvent::BridgeRepaired { crossing, by } => {
            let x = s.crossing(*crossing);
            Some(format!(
                "{} rebuilds the {} over the {} with the line across it.",
                side_name(s, *by),
                x.name,
                s.rivers[x.river].name
            ))
        }
        GameEvent::CrossingSupply {
            crossing,
            side,
            by_links,
            last_mile,
            asked,
            limit,
        } => Some(crossing_line(
            s, *crossing, *side, *by_links, *last_mile, *asked, *limit,
        )),
        _ => None,
    }
}

/// One event in words, or `None` for one not told on its own.
fn event_line(s: &Scenario, event: &GameEvent) -> Option<String> {
    match event {
        GameEvent::ReinforcementArrived { unit, side, hex } => Some(format!(
            "Reinforcement: {} ({}) arrives {}.",
            unit_name(s, *unit),
            side_name(s, *side),
            hex_name(
                s,
                crate::geo::Offset {
                    col: hex.0,
                    row: hex.1
                }
            )
        )),
        GameEvent::UnitDeparted { unit } => {
            Some(format!("{} left the theatre.", unit_name(s, *unit)))
        }
        GameEvent::RailLinkCut { link, by, owner } => Some(format!(
            "Rail: {} is cut by {}; it no longer carries {} supply.",
            s.rail_link(*link).name,
            side_name(s, *by),
            side_name(s, *owner)
        )),
        GameEvent::RailLinkRestored { link, owner, .. } => Some(format!(
            "Rail: {} is clear of the enemy again for {}.",
            s.rail_link(*link).name,
            side_name(s, *owner)
        )),
        GameEvent::DepotSupply { .. } => depot_event_line(s, event).and_then(|(_, line)| line),
        GameEvent::BridgeBlown {
            crossing,
            river,
            by,
        } => Some(format!(
            "{} blows the {} over the {} as it loses the crossing.",
            side_name(s, *by),
            s.crossing(*crossing).name,
            s.river(*river).name
        )),
        GameEvent::CrossingDamaged { .. }
        | GameEvent::CrossingRepaired { .. }
        | GameEvent::RailLinkStruck { .. }
        | GameEvent::DepotStruck { .. }
        | GameEvent::BridgeRepaired { .. }
        | GameEvent::CrossingBuilt { .. }
        | GameEvent::StrikeMade { .. }
        | GameEvent::CrossingSupply { .. } => damage_line(s, event),
        GameEvent::DepotCaptured {
            depot,
            by,
            stock,
            kept,
        } => Some(depot_captured(s, *depot, *by, *stock, *kept)),
        GameEvent::UnitSupplyChanged {
            unit,
            to,
            depot,
            share,
            ..
        } => Some(format!(
            "Supply: {} is now {} ({:.0}% of its needs{}).",
            unit_name(s, *unit),
            supply_word(*to),
            share * 100.0,
            depot.map_or_else(
                || ", no depot in reach".to_string(),
                |d| format!(", from {}", s.depot(d).name)
            )
        )),
        GameEvent::WithdrawalOrdered {
            grouping,
            side,
            reasons,
        } => Some(format!(
            "WITHDRAWAL: {} orders the {} back to its fallback line: {}.",
            side_name(s, *side),
            s.grouping(*grouping).name,
            if reasons.is_empty() {
                "by its commander's decision".to_string()
            } else {
                reasons
                    .iter()
                    .map(|r| reason_text(s, r))
                    .collect::<Vec<_>>()
                    .join("; ")
            }
        )),
        // The day's heading says it; moves are counted, not told one by one.
        GameEvent::DayStarted { .. } | GameEvent::UnitMoved { .. } => None,
        GameEvent::OrderRefused { order, reason, .. } => Some(format!(
            "Refused: {}: {}.",
            order.describe(s),
            reason.describe(s)
        )),
        GameEvent::CombatResolved { .. } => combat_line(s, event),
        GameEvent::UnitDestroyed { unit, cause } => {
            Some(format!("{} {}.", unit_name(s, *unit), cause.text()))
        }
        GameEvent::EquipmentAbandoned {
            unit,
            items: it,
            why,
            ..
        } => Some(format!(
            "{} leaves behind {}: {}.",
            unit_name(s, *unit),
            items(it),
            why.text()
        )),
        GameEvent::EquipmentCaptured {
            by,
            unit,
            items: it,
            ..
        } => Some(format!(
            "Captured by {}: {} of {}.",
            side_name(s, *by),
            items(it),
            unit_name(s, *unit)
        )),
        GameEvent::ObjectiveCaptured { place, by, points } => {
            let p = s.place_by_id(*place);
            // A depot named for the town but standing elsewhere (a station across a river)
            // does not fall with it: say so, or the reader takes one for the other.
            let apart: Vec<String> = s
                .depots
                .iter()
                .filter(|d| d.name.starts_with(p.name.as_str()) && d.hex != p.hex)
                .map(|d| {
                    format!(
                        " The {} stands at {}, not in the town: it changes hands only with that hex.",
                        d.name, s.rail_nodes[d.node].name
                    )
                })
                .collect();
            Some(format!(
                "{} is taken by {} ({points} points).{}",
                p.name,
                side_name(s, *by),
                apart.concat()
            ))
        }
        GameEvent::TerritoryChanged {
            side,
            gained_km2,
            change_km2,
        } => Some(format!(
            "Territory: {} holds {} km² taken since the start ({:+} today).",
            side_name(s, *side),
            crate::numbers::group_thousands(*gained_km2 as u32),
            change_km2.round() as i64
        )),
        _ => campaign_line(s, event),
    }
}

/// Where a hex is, in words a reader knows: "at Kherson" for a hex with a place in it (the
/// largest), "near Kherson" for one within two hexes of a place (the nearest, the larger
/// of equals), else how far and which way from the nearest place ("about 15 km north-east
/// of Izium"); never coordinates.
pub fn hex_name(s: &Scenario, hex: crate::geo::Offset) -> String {
    let at = crate::geo::offset_to_hex(hex);
    let best = s
        .places
        .iter()
        .map(|p| (crate::geo::offset_to_hex(p.hex).unsigned_distance_to(at), p))
        .filter(|(d, _)| *d <= 2)
        .min_by(|a, b| a.0.cmp(&b.0).then(b.1.size.cmp(&a.1.size)));
    match best {
        Some((0, p)) => format!("at {}", p.name),
        Some((_, p)) => format!("near {}", p.name),
        None => {
            let (x, y) = s.frame.hex_center_km(hex);
            s.places
                .iter()
                .map(|p| {
                    let (px, py) = s.frame.hex_center_km(p.hex);
                    ((x - px).hypot(y - py), p)
                })
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .map_or_else(
                    || "on open ground".to_string(),
                    |(km, p)| {
                        let way = crate::scenario::whereis::direction(s, p.hex, hex);
                        format!(
                            "about {:.0} km {way} of {}",
                            (km / 5.0).round() * 5.0,
                            p.name
                        )
                    },
                )
        }
    }
}

/// A combat in words.
fn combat_line(s: &Scenario, event: &GameEvent) -> Option<String> {
    match event {
        GameEvent::CombatResolved {
            attackers,
            defenders,
            hex,
            odds,
            column,
            die,
            attacker_loss,
            defender_loss,
            retreat,
            hex_taken,
        } => Some(format!(
            "Combat {}: {} against {}, odds {} (column {}), die {die}: attackers lose {:.0}%, defenders {:.0}%{}{}.",
            hex_name(
                s,
                crate::geo::Offset {
                    col: hex.0,
                    row: hex.1
                }
            ),
            unit_names(s, attackers),
            unit_names(s, defenders),
            super::combat::odds_text(*odds),
            super::combat::column_name(*column),
            attacker_loss * 100.0,
            defender_loss * 100.0,
            if *retreat > 0 {
                format!(
                    " and fall back {}",
                    crate::numbers::count(u64::from(*retreat), "hex", "hexes")
                )
            } else {
                String::new()
            },
            if *hex_taken { "; the hex is taken" } else { "" }
        )),
        _ => None,
    }
}

/// A depot's day in words (`None` for one with nothing to tell).
fn depot_line(depot: &str, day: DepotDay) -> Option<String> {
    if !day.tells() {
        return None;
    }
    let days = if day.demand > day.inflow {
        format!(
            "{:.1} days of stock left",
            day.stock / (day.demand - day.inflow)
        )
    } else {
        "holding".to_string()
    };
    let cut = if day.cut() {
        format!(
            " of the {} it would get with its lines open",
            tonnes(day.nominal)
        )
    } else {
        String::new()
    };
    Some(format!(
        "{}: received {}{cut}; units need {} a day; stock {}, {days}.",
        depot_name(depot),
        tonnes(day.inflow),
        tonnes(day.demand),
        tonnes(day.stock)
    ))
}

/// The final summary of a game: withdrawals, objectives, territory, losses and captures.
pub fn summary(s: &Scenario, world: &bevy::prelude::World, seed: u64) -> Vec<String> {
    let log = &world.resource::<super::events::Chronicle>().0;
    let controllers = &world.resource::<super::state::HighCommand>().controllers;
    let modes: Vec<String> = s
        .sides
        .iter()
        .zip(controllers)
        .map(|(side, c)| format!("{}={:?}", side.id, c).to_lowercase())
        .collect();
    let modes = modes.join(" ");
    let days = log.last().map_or(0, |l| l.turn);
    let mut lines = vec![format!(
        "Summary: {} days of {} (seed {seed}, {modes})",
        days, s.name
    )];
    let board = world.resource::<super::state::Board>();
    let territory = world.resource::<super::state::Territory>();
    if let Some(verdict) = super::victory::verdict(s, board, territory) {
        lines.push(format!("  Verdict: {verdict}."));
        if let Some(history) = s.victory.as_ref().and_then(|v| v.history.as_ref()) {
            lines.push(format!("  History: {history}."));
        }
    }
    lines.extend(withdrawals_told(s, log));
    for side_i in s.side_ids() {
        let side = s.side(side_i);
        let points = board.victory_points(s, side_i);
        let held: Vec<&str> = s
            .objectives
            .iter()
            .zip(&board.objective_holder)
            .filter(|(_, h)| **h == Some(side_i))
            .map(|(o, _)| s.places[o.place].name.as_str())
            .collect();
        let territory = world.resource::<super::state::Territory>().0[side_i];
        let destroyed = log
            .iter()
            .filter(|l| matches!(&l.event, GameEvent::UnitDestroyed { unit, .. } if s.unit(*unit).side == side_i))
            .count();
        let mut captured: BTreeMap<String, u32> = BTreeMap::new();
        for l in log {
            if let GameEvent::EquipmentCaptured { by, items: it, .. } = &l.event
                && *by == side_i
            {
                for (k, n) in it {
                    *captured.entry(k.clone()).or_default() += n;
                }
            }
        }
        lines.push(format!(
            "  {}: {} victory points ({}); {} km² taken; {} unit{} lost; captured {}.",
            side.name,
            points,
            if held.is_empty() {
                "no objectives".to_string()
            } else {
                held.join(", ")
            },
            crate::numbers::group_thousands(territory as u32),
            destroyed,
            if destroyed == 1 { "" } else { "s" },
            if captured.is_empty() {
                "nothing".to_string()
            } else {
                items(&captured)
            }
        ));
    }
    lines
}

/// A depot named for a sentence's start: "Izium depot" as it is, "Izium" as "Depot Izium".
/// A depot changing hands: what its side lost, what the captor took over.
fn depot_captured(
    s: &Scenario,
    depot: DepotId,
    by: Option<SideId>,
    stock: f64,
    kept: f64,
) -> String {
    let name = depot_name(&s.depot(depot).name);
    let Some(b) = by else {
        return format!("{name} falls to nobody; {} of stock lost.", tonnes(stock));
    };
    let taken = if kept > 0.0 {
        format!(", {} of it taken over", tonnes(kept))
    } else {
        String::new()
    };
    format!(
        "{name} falls to {}; {} of stock lost{taken}. It serves {} now, by rail once its lines are repaired.",
        side_name(s, b),
        tonnes(stock),
        side_name(s, b)
    )
}

fn depot_name(name: &str) -> String {
    if name.to_lowercase().contains("depot") {
        name.to_string()
    } else {
        format!("Depot {name}")
    }
}

/// The help's section on rivers, their crossings and strikes from afar, with this
/// scenario's numbers.
fn crossings_and_strikes(s: &Scenario) -> (String, Vec<String>) {
    let pct = |x: f64| format!("{:.0}%", x * 100.0);
    let mut lines = vec![
        "A river is crossed at a bridge or pontoon bridge at no extra cost, at a ford or ferry at the river's ford cost, and elsewhere only where the river can be waded, at its crossing cost. Railways cross only at bridges. A side that loses a crossing's hex destroys it (a ford excepted); a railway over it is rebuilt with it when repaired.".to_string(),
    ];
    let limited: Vec<String> = s
        .crossings
        .iter()
        .filter(|x| x.tonnes_per_day.is_some() || x.units_per_day.is_some())
        .map(|x| {
            let mut parts = Vec::new();
            if let Some(t) = x.tonnes_per_day {
                parts.push(tonnes(f64::from(t)));
            }
            if let Some(n) = x.units_per_day {
                parts.push(crate::numbers::count(u64::from(n), "unit", "units"));
            }
            format!("{} ({} a day)", x.name, parts.join(" and "))
        })
        .collect();
    if limited.is_empty() {
        lines.push("No crossing of this scenario limits what passes it in a day.".to_string());
    } else {
        lines.push(format!(
            "Some crossings carry only so much a day, both ways together: {}. The lines over a crossing share its tonnes; what they leave is all that depots on one bank can give units on the other; once its units have crossed, the river there is as if it had no crossing until the next day. With the rail overlay on, each shows what crossed it today.",
            limited.join(", ")
        ));
    }
    for a in &s.strike_assets {
        let mut does = Vec::new();
        if let Some(h) = &a.crossings {
            does.push(if h.capacity_left <= 0.0 {
                format!(
                    "closes a crossing for {}",
                    crate::numbers::count(u64::from(h.days), "day", "days")
                )
            } else {
                format!(
                    "cuts a crossing to {} of its capacity for {}",
                    pct(h.capacity_left),
                    crate::numbers::count(u64::from(h.days), "day", "days")
                )
            });
        }
        if let Some(h) = &a.links {
            does.push(format!(
                "cuts a railway for {}",
                crate::numbers::count(u64::from(h.days), "day", "days")
            ));
        }
        if let Some(h) = &a.depots {
            does.push(format!("burns {} of a depot's stock", pct(h.stock_lost)));
        }
        if let Some(h) = &a.nodes {
            does.push(format!(
                "cuts every railway at a junction for {}",
                crate::numbers::count(u64::from(h.days), "day", "days")
            ));
        }
        lines.push(format!(
            "{}'s {}: {} a day at targets within {} of its units; {} hit, {} are intercepted. A hit {}.",
            side_name(s, a.side),
            a.name,
            crate::numbers::count(u64::from(a.per_day), "strike", "strikes"),
            crate::numbers::count(u64::from(a.range), "hex", "hexes"),
            pct(a.hit),
            pct(a.intercepted),
            does.join("; ")
        ));
    }
    let sites: Vec<String> = s
        .crossings
        .iter()
        .filter_map(|x| {
            x.build_days.map(|d| {
                format!(
                    "{} ({})",
                    x.name,
                    crate::numbers::count(u64::from(d), "day", "days")
                )
            })
        })
        .collect();
    if !sites.is_empty() {
        lines.push(format!(
            "Engineers build a pontoon bridge or ferry that is down at these sites, a day at each day's end while their side holds its hex and no enemy stands next to it: {}.",
            sites.join(", ")
        ));
    }
    if !s.strike_assets.is_empty() {
        lines.push("The side holding a damaged crossing repairs it a day at each day's end. Your side's strikes are in the Strikes panel: each target in range shows what a hit would take from the enemy's supply, and a strike is made only once you confirm it.".to_string());
    }
    ("Rivers, crossings and strikes".to_string(), lines)
}

/// "How supply works", rivers and strikes, combat and "how you win", in words, with the
/// scenario's own numbers: the page the window's help shows.
pub fn how_it_works(s: &Scenario) -> Vec<(String, Vec<String>)> {
    let r = &s.rules;
    let pct = |x: f64| format!("{:.0}%", x * 100.0);
    let mut objectives: Vec<String> = s
        .objectives
        .iter()
        .map(|o| format!("{} {}", s.places[o.place].name, o.points))
        .collect();
    objectives.sort();
    vec![
        (
            "How supply works".to_string(),
            vec![
                "Supply comes in by rail from each side's sources to its depots. A line carries at most its capacity a day; it is cut while the enemy holds any hex of it or stands next to it, and a line the enemy held, or whose bridge was blown, carries nothing until its side holds all of it again and has repaired it ".to_string()
                    + &format!(
                        "({} days for track, {} for a bridge).",
                        r.rail_repair_days, r.bridge_repair_days
                    ),
                format!(
                    "Each depot asks for its units' need and a reserve of {:.0} days; when the lines cannot bring it all, the depot lives on its stock.",
                    r.depot_reserve_days
                ),
                "Each unit draws from the cheapest depot with something to give (stock, or trains that can reach it) it can reach within that depot's range, counted in movement points over ground its side holds, never through an enemy unit, and not past a hex next to an enemy unit unless a unit of its side stands there.".to_string(),
                if r.captured_stock_share > 0.0 {
                    format!(
                        "A depot changes hands with its hex: its side loses its stock, and the captor takes over {} of it and the depot, which its trains reach once the lines to it are repaired.",
                        pct(r.captured_stock_share)
                    )
                } else {
                    "A depot changes hands with its hex: its side loses its stock, and the captor takes over the empty depot, which its trains reach once the lines to it are repaired.".to_string()
                },
                format!(
                    "A unit that gets at least {} of its need is supplied and recovers {} readiness a day; one that gets less is short and loses up to {} a day; under {} it is out of supply: it loses {} readiness a day, and after {} days {} of its strength a day.",
                    pct(r.supplied_share),
                    pct(r.readiness_recovery),
                    pct(r.readiness_loss_short),
                    pct(r.out_of_supply_share),
                    pct(r.readiness_loss_out),
                    r.attrition_after_days,
                    pct(r.attrition_per_day)
                ),
                "Supply, readiness and strength multiply a unit's attack and defence. Select a unit that is short to read why: its depot is short, the nearest is out of range, or the hex where the trace breaks.".to_string(),
                "Ground a side holds that it can no longer trace to its supply network, and where none of its units stands, passes to the side that cut it off.".to_string(),
                if r.surrender_after_days > 0 {
                    format!(
                        "A unit cut off (its ground no longer traces to its side's supply) and out of supply {} days in a row surrenders: a pocket does not hold out for ever. Its equipment stays where it stood, for the enemy to take with the ground.",
                        r.surrender_after_days
                    )
                } else {
                    "Units cut off from supply never surrender in this scenario; they only weaken.".to_string()
                },
            ],
        ),
        crossings_and_strikes(s),
        (
            "How combat works".to_string(),
            {
                let pushes: Vec<String> = crate::scenario::raw::COMBAT_COLUMNS
                    .iter()
                    .enumerate()
                    .map(|(c, name)| {
                        let n = r.combat_results(c).iter().filter(|x| x.2 > 0).count();
                        format!("{name} {n} in 6")
                    })
                    .collect();
                let mut lines = vec![
                    "Attack over defence gives the odds: each unit's factor times its strength, readiness (x 0.5 to 1) and supply (x 1, 0.75 short, 0.5 out); the defence times its hex's terrain, and x 1.5 when every unit assaulting crosses a river to the hex. The panel shows every part before you commit.".to_string(),
                    format!(
                        "A die picks one of six results from the odds' column of the results table: losses to both sides, and a retreat of the defenders or none. The dice that push the defender back: {}. A defender that cannot retreat surrenders; an emptied hex is taken by the strongest unit that assaulted.",
                        pushes.join(", ")
                    ),
                ];
                lines.push(if r.artillery_range > 1 {
                    format!(
                        "Guns (artillery) join an attack from up to {} away in support of a unit next to the target: they add their attack, take none of the losses and do not move; they cannot attack alone.",
                        crate::numbers::count(r.artillery_range, "hex", "hexes")
                    )
                } else {
                    "Every unit, guns too, attacks from next to the target.".to_string()
                });
                lines.push("An enemy following a plan does not storm a point held beyond the odds it needs: it turns to a weaker point of its axis or waits, and it takes objectives you have left.".to_string());
                lines
            },
        ),
        (
            "How you win".to_string(),
            vec![
                format!(
                    "At the end of day {}, each side scores the points of the objectives it holds: {}.",
                    s.turns,
                    if objectives.is_empty() {
                        "this scenario has none".to_string()
                    } else {
                        objectives.join(", ")
                    }
                ),
                "The summary sets the points beside the ground each side took, the units it lost and the equipment it captured.".to_string(),
            ],
        ),
    ]
}
