//! The scenario's dated facts measured in one recorded game: the day a place was taken or
//! reached, whether it held, when a withdrawal was ordered, how many escaped, how much was
//! captured; one [`Measure`] per fact, in the file's order.

use serde::Serialize;

use super::record::GameRecord;
use crate::geo::offset_to_hex;
use crate::rules::events::GameEvent;
use crate::scenario::Scenario;
use crate::scenario::ids::SideId;
use crate::scenario::model::{Fact, HistoryEntry};

/// What one game shows for one fact.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Measure {
    /// The day it happened (0: so at the start), or `None` if it never did.
    Day(Option<u32>),
    /// Whether it holds.
    Holds(bool),
    /// How much.
    Amount(f64),
}

/// Every fact of the scenario's history, in the file's order, with its entry.
pub fn facts(s: &Scenario) -> impl Iterator<Item = (&HistoryEntry, &Fact)> {
    s.history
        .iter()
        .flat_map(|h| h.facts.iter().map(move |f| (h, f)))
}

/// The side holding a place's hex on each day of a game (index 0 is the start).
fn holders(r: &GameRecord, place: crate::scenario::ids::PlaceId) -> Vec<Option<SideId>> {
    let s = &r.scenario;
    let i = s.index(s.place_by_id(place).hex);
    std::iter::once(s.control[i])
        .chain(r.days.iter().map(|d| d.view.control[i]))
        .collect()
}

/// Measures one fact in one recorded game.
pub fn measure(r: &GameRecord, fact: &Fact) -> Measure {
    let s = &r.scenario;
    match *fact {
        Fact::Taken { place, by, .. } => {
            let held = holders(r, place);
            Measure::Day(held.iter().position(|h| *h == Some(by)).map(|d| d as u32))
        }
        Fact::Reached {
            place, by, within, ..
        } => {
            let at = offset_to_hex(s.place_by_id(place).hex);
            let near = |hex| offset_to_hex(hex).unsigned_distance_to(at) <= within;
            let start = s
                .units
                .iter()
                .any(|u| u.side == by && u.arrives.is_none() && near(u.hex));
            Measure::Day(if start {
                Some(0)
            } else {
                r.days
                    .iter()
                    .find(|d| d.view.units.iter().any(|u| u.side == by && near(u.hex)))
                    .map(|d| d.turn)
            })
        }
        Fact::NeverLost { place, side } => {
            Measure::Holds(holders(r, place).iter().all(|h| *h == Some(side)))
        }
        Fact::HeldAtEnd { place, side } => {
            Measure::Holds(holders(r, place).last() == Some(&Some(side)))
        }
        Fact::WithdrawalOrdered { grouping, .. } => {
            Measure::Day(r.withdrawals[grouping].map(|(turn, _)| turn))
        }
        Fact::Escapes { grouping, .. } => {
            let members = s.units.iter().filter(|u| u.grouping == grouping).count();
            let lost = r
                .events
                .iter()
                .filter(|l| {
                    matches!(l.event, GameEvent::UnitDestroyed { unit, .. }
                        if s.unit(unit).grouping == grouping)
                })
                .count();
            Measure::Amount(if members == 0 {
                1.0
            } else {
                1.0 - lost as f64 / members as f64
            })
        }
        Fact::Captured { by, from: None, .. } => Measure::Amount(
            r.days
                .last()
                .map_or(0.0, |d| f64::from(d.sides[by].captured)),
        ),
        Fact::Captured {
            by,
            from: Some(grouping),
            ..
        } => Measure::Amount(
            r.events
                .iter()
                .filter_map(|l| match &l.event {
                    GameEvent::EquipmentCaptured {
                        by: taker,
                        unit,
                        items,
                        ..
                    } if *taker == by && s.unit(*unit).grouping == grouping => {
                        Some(items.values().map(|n| f64::from(*n)).sum::<f64>())
                    }
                    _ => None,
                })
                .sum(),
        ),
    }
}

/// Every fact of the scenario measured in one game, in [`facts`] order.
pub fn measure_all(r: &GameRecord) -> Vec<Measure> {
    facts(&r.scenario).map(|(_, f)| measure(r, f)).collect()
}
