//! Sides, and which side holds each hex at the start (the map's control rows).

use crate::scenario::ids::SideId;
use std::collections::BTreeMap;

use super::super::model::Side;
use super::super::raw::RawScenario;
use super::check::{Checker, Names};

/// The sides and the control of every hex.
#[derive(Debug, Clone, Default)]
pub struct Sides {
    /// The sides, in the file's order.
    pub sides: Vec<Side>,
    /// Side ids, to resolve references.
    pub ids: Names,
    /// The side holding each hex at the start, row-major.
    pub control: Vec<Option<SideId>>,
}

/// Checks the sides and reads the map's control rows.
pub fn sides(c: &mut Checker, raw: &RawScenario) -> Sides {
    let ids = c.names("sides", "side", raw.sides.iter().map(|s| s.id.as_str()));
    let mut sides = Vec::new();
    let mut by_symbol: BTreeMap<char, usize> = BTreeMap::new();
    for (i, s) in raw.sides.iter().enumerate() {
        let p = format!("sides[{i}]");
        if s.id.trim().is_empty() {
            c.err(format!("{p}.id"), "a side id is empty");
        }
        if s.symbol.is_whitespace() || s.symbol == '.' {
            c.err(
                format!("{p}.symbol"),
                "a side symbol cannot be a space or '.' (which marks hexes nobody holds)",
            );
        } else if let Some(first) = by_symbol.insert(s.symbol, i) {
            c.err(
                format!("{p}.symbol"),
                format!(
                    "symbol '{}' is already used by side `{}`",
                    s.symbol, raw.sides[first].id
                ),
            );
        }
        let colour = c.colour(&format!("{p}.colour"), &s.colour);
        sides.push(Side {
            id: s.id.clone(),
            name: s.name.clone(),
            symbol: s.symbol,
            colour,
        });
    }
    if raw.sides.len() < 2 {
        c.err(
            "sides",
            format!(
                "a scenario needs at least two sides, found {}",
                raw.sides.len()
            ),
        );
    }
    let mut control = Vec::new();
    for (r, row) in raw.map.control.iter().enumerate() {
        for (ci, ch) in row.chars().enumerate() {
            if ch.is_whitespace() {
                continue;
            }
            if ch == '.' {
                control.push(None);
            } else if let Some(s) = by_symbol.get(&ch) {
                control.push(Some(SideId(*s)));
            } else {
                control.push(None);
                let known: Vec<String> = by_symbol.keys().map(|k| format!("'{k}'")).collect();
                c.at_column(
                    format!("map.control[{r}]"),
                    ci + 1,
                    format!("unknown control symbol '{ch}' in row {r}"),
                    format!(
                        "use a side's symbol ({}) or '.' for nobody",
                        known.join(" ")
                    ),
                );
            }
        }
    }
    Sides {
        sides,
        ids,
        control,
    }
}
