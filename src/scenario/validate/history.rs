//! The scenario's history: dated facts with their sources' ratings, and the territory
//! figures the game's territory is shown beside.

use super::super::error::suggest;
use super::super::model::{Fact, HistoryEntry, TerritoryFigure};
use super::super::raw::{RawFact, RawScenario};
use super::check::{Checker, Names};
use super::places::Places;
use super::ranges;
use crate::scenario::ids::{GroupingId, PlaceId, SideId};

/// Most hexes a `Reached` fact may look around its place.
pub const MAX_REACHED_WITHIN: u32 = 10;

/// The lists a fact's names are looked up in.
pub struct FactNames<'a> {
    /// Places.
    pub places: &'a Places,
    /// Side ids.
    pub sides: &'a Names,
    /// Grouping names.
    pub groupings: &'a Names,
}

/// How sure a historical fact's sources are.
pub const RATINGS: [&str; 6] = [
    "firm",
    "single",
    "claim",
    "uncertain",
    "derived",
    "secondary",
];

/// Checks the dated facts: their ratings, and the names and bands of what a game is
/// measured against.
pub fn history(c: &mut Checker, raw: &RawScenario, names: &FactNames) -> Vec<HistoryEntry> {
    raw.history
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let facts = h
                .facts
                .iter()
                .enumerate()
                .filter_map(|(k, f)| fact(c, raw, names, &format!("history[{i}].facts[{k}]"), f))
                .collect();
            if !RATINGS.contains(&h.rating.as_str()) {
                c.hint(
                    format!("history[{i}].rating"),
                    format!("unknown rating `{}`", h.rating),
                    suggest(&h.rating, RATINGS),
                );
            }
            HistoryEntry {
                date: h.date,
                text: h.text.clone(),
                rating: h.rating.clone(),
                facts,
            }
        })
        .collect()
}

/// Checks the territory figures (the first side's when no side is named).
pub fn territory(c: &mut Checker, raw: &RawScenario, side_ids: &Names) -> Vec<TerritoryFigure> {
    raw.territory_history
        .iter()
        .enumerate()
        .map(|(i, t)| {
            c.ranges(
                &format!("territory_history[{i}]"),
                t,
                ranges::TERRITORY_FIGURE,
            );
            let side = match &t.side {
                Some(id) => c.lookup(&format!("territory_history[{i}].side"), id, side_ids),
                None => Some(0),
            };
            if let Some(b) = t.band {
                band(
                    c,
                    &format!("territory_history[{i}].band"),
                    "km²",
                    b,
                    (0.0, 1e7),
                );
            }
            if let Some(since) = t.since.filter(|s| *s >= t.date) {
                c.hint(
                    format!("territory_history[{i}].since"),
                    format!(
                        "the period runs from {since} to {}: it must begin before it ends",
                        t.date
                    ),
                    "`since` is the date the period starts after; `date` the one it ends on",
                );
            }
            TerritoryFigure {
                since: t.since,
                date: t.date,
                km2: t.km2,
                source: t.source.clone(),
                side: side.map_or(SideId(0), SideId),
                band: t.band,
            }
        })
        .collect()
}

/// Checks a band: its least no more than its most, both within `limits`.
fn band(c: &mut Checker, path: &str, unit: &str, (lo, hi): (f64, f64), limits: (f64, f64)) {
    if !(lo.is_finite() && hi.is_finite()) || lo < limits.0 || hi > limits.1 {
        c.hint(
            path.to_string(),
            format!(
                "band ({lo}, {hi}) is outside {} to {} {unit}",
                limits.0, limits.1
            ),
            "a band is (least, most) within the range the measure can take",
        );
    } else if lo > hi {
        c.hint(
            path.to_string(),
            format!("band ({lo}, {hi}) has its least above its most"),
            "write the band as (least, most)",
        );
    }
}

/// A day band: days of the game, 1 to the scenario's `turns`.
fn days(c: &mut Checker, raw: &RawScenario, path: &str, days: Option<(u32, u32)>) {
    if let Some((a, b)) = days {
        band(
            c,
            &format!("{path}.days"),
            "days",
            (f64::from(a), f64::from(b)),
            (1.0, f64::from(raw.turns.max(1))),
        );
    }
}

/// Checks one fact and resolves its names.
fn fact(
    c: &mut Checker,
    raw: &RawScenario,
    names: &FactNames,
    path: &str,
    f: &RawFact,
) -> Option<Fact> {
    let place = |c: &mut Checker, name: &str| {
        let raw_index = c.lookup(&format!("{path}.place"), name, &names.places.ids)?;
        names
            .places
            .index
            .get(&raw.places[raw_index].name)
            .map(|i| PlaceId(*i))
    };
    let side = |c: &mut Checker, field: &str, id: &str| {
        c.lookup(&format!("{path}.{field}"), id, names.sides)
            .map(SideId)
    };
    let grouping = |c: &mut Checker, name: &str| {
        c.lookup(&format!("{path}.grouping"), name, names.groupings)
            .map(GroupingId)
    };
    match f {
        RawFact::Taken {
            place: p,
            by,
            days: d,
        } => {
            days(c, raw, path, *d);
            let (place, by) = (place(c, p), side(c, "by", by));
            Some(Fact::Taken {
                place: place?,
                by: by?,
                days: *d,
            })
        }
        RawFact::Reached {
            place: p,
            by,
            within,
            days: d,
        } => {
            days(c, raw, path, *d);
            c.range(
                &format!("{path}.within"),
                "within",
                f64::from(*within),
                0.0,
                f64::from(MAX_REACHED_WITHIN),
            );
            let (place, by) = (place(c, p), side(c, "by", by));
            Some(Fact::Reached {
                place: place?,
                by: by?,
                within: *within,
                days: *d,
            })
        }
        RawFact::NeverLost { place: p, side: s } => {
            let (place, side) = (place(c, p), side(c, "side", s));
            Some(Fact::NeverLost {
                place: place?,
                side: side?,
            })
        }
        RawFact::HeldAtEnd { place: p, side: s } => {
            let (place, side) = (place(c, p), side(c, "side", s));
            Some(Fact::HeldAtEnd {
                place: place?,
                side: side?,
            })
        }
        RawFact::WithdrawalOrdered {
            grouping: g,
            days: d,
        } => {
            days(c, raw, path, *d);
            Some(Fact::WithdrawalOrdered {
                grouping: grouping(c, g)?,
                days: *d,
            })
        }
        RawFact::Escapes { grouping: g, share } => {
            if let Some(b) = share {
                band(c, &format!("{path}.share"), "", *b, (0.0, 1.0));
            }
            Some(Fact::Escapes {
                grouping: grouping(c, g)?,
                share: *share,
            })
        }
        RawFact::Captured { by, from, items } => {
            if let Some((a, b)) = items {
                band(
                    c,
                    &format!("{path}.items"),
                    "items",
                    (f64::from(*a), f64::from(*b)),
                    (0.0, f64::from(ranges::MAX_EQUIPMENT)),
                );
            }
            let from = match from {
                Some(g) => Some(grouping(c, g)?),
                None => None,
            };
            Some(Fact::Captured {
                by: side(c, "by", by)?,
                from,
                items: *items,
            })
        }
    }
}

/// Longest example of a glossary term, in characters.
pub const MAX_GLOSS: usize = 400;

/// Checks the scenario's examples of glossary terms: each of a term Railhead's glossary
/// has (a misspelt one named with the nearest), once, in a sentence or two.
pub fn glossary(c: &mut Checker, raw: &RawScenario) -> Vec<(String, String)> {
    use crate::scenario::glossary::{TERMS, meaning};
    let mut seen: Vec<&str> = Vec::new();
    for (i, (term, text)) in raw.glossary.iter().enumerate() {
        let p = format!("glossary[{i}]");
        if meaning(term).is_none() {
            let nearest = suggest(term, TERMS.iter().map(|(t, _)| *t));
            let stop = if nearest.ends_with('?') { "" } else { "." };
            c.hint(
                p.clone(),
                format!("Railhead's glossary has no term `{term}`"),
                format!("{nearest}{stop} A word of a lesson's own goes in the lesson's `terms`"),
            );
        } else if seen.contains(&term.as_str()) {
            c.err(
                p.clone(),
                format!("the term `{term}` has an example already"),
            );
        }
        seen.push(term);
        let n = text.trim().chars().count();
        if n == 0 || n > MAX_GLOSS {
            c.err(
                p,
                format!("the example of `{term}` has {n} characters: give 1 to {MAX_GLOSS}"),
            );
        }
    }
    raw.glossary.clone()
}
