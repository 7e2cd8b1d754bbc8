//! The scenario's history: dated facts with their sources' ratings, and the territory
//! figures the game's territory is shown beside.

use super::super::error::suggest;
use super::super::model::{HistoryEntry, TerritoryFigure};
use super::super::raw::RawScenario;
use super::check::{Checker, Names};
use super::ranges;
use crate::scenario::ids::SideId;

/// How sure a historical fact's sources are.
pub const RATINGS: [&str; 6] = [
    "firm",
    "single",
    "claim",
    "uncertain",
    "derived",
    "secondary",
];

/// Checks the dated facts' ratings.
pub fn history(c: &mut Checker, raw: &RawScenario) -> Vec<HistoryEntry> {
    raw.history
        .iter()
        .enumerate()
        .map(|(i, h)| {
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
            TerritoryFigure {
                date: t.date,
                km2: t.km2,
                source: t.source.clone(),
                side: side.map_or(SideId(0), SideId),
            }
        })
        .collect()
}
