//! Terrain types, and the terrain of every hex from the map's rows of symbols.

use std::collections::BTreeMap;

use super::super::model::{TERRAIN_PATTERNS, TerrainType};
use super::super::raw::RawScenario;
use super::check::{Checker, Names};
use super::ranges;

/// The terrain types and each hex's type.
#[derive(Debug, Clone, Default)]
pub struct Terrain {
    /// The types, in the file's order.
    pub types: Vec<TerrainType>,
    /// Each hex's type (index into `types`), row-major.
    pub cells: Vec<usize>,
}

/// Checks the terrain types and reads the map's terrain rows.
pub fn terrain(c: &mut Checker, raw: &RawScenario) -> Terrain {
    // Ids are checked for clashes; terrain is referred to by symbol.
    c.names(
        "terrain_types",
        "terrain type",
        raw.terrain_types.iter().map(|t| t.id.as_str()),
    );
    let patterns = Names::fixed("terrain pattern", &TERRAIN_PATTERNS);
    let mut types = Vec::new();
    let mut by_symbol: BTreeMap<char, usize> = BTreeMap::new();
    for (i, t) in raw.terrain_types.iter().enumerate() {
        let p = format!("terrain_types[{i}]");
        if t.symbol.is_whitespace() {
            c.err(format!("{p}.symbol"), "a terrain symbol cannot be a space");
        } else if let Some(first) = by_symbol.get(&t.symbol) {
            c.err(
                format!("{p}.symbol"),
                format!(
                    "symbol '{}' is already used by terrain type `{}`",
                    t.symbol, raw.terrain_types[*first].id
                ),
            );
        } else {
            by_symbol.insert(t.symbol, i);
        }
        c.ranges(&p, t, ranges::TERRAIN_TYPE);
        let colour = c.colour(&format!("{p}.colour"), &t.colour);
        let pattern = match &t.pattern {
            None => 0,
            Some(name) => c
                .lookup(&format!("{p}.pattern"), name, &patterns)
                .unwrap_or(0),
        };
        types.push(TerrainType {
            id: t.id.clone(),
            symbol: t.symbol,
            move_cost: t.move_cost,
            defence: t.defence,
            colour,
            pattern,
            water: t.water,
        });
    }
    if raw.terrain_types.is_empty() {
        c.err("terrain_types", "no terrain types are defined");
    }
    let symbols: Vec<String> = by_symbol.keys().map(|ch| format!("'{ch}'")).collect();
    let mut cells = Vec::new();
    for (r, row) in raw.map.terrain.iter().enumerate() {
        for (ci, ch) in row.chars().enumerate() {
            if ch.is_whitespace() {
                continue;
            }
            if let Some(t) = by_symbol.get(&ch) {
                cells.push(*t);
            } else {
                cells.push(0);
                c.at_column(
                    format!("map.terrain[{r}]"),
                    ci + 1,
                    format!("unknown terrain symbol '{ch}' in row {r}"),
                    format!("terrain_types define: {}", symbols.join(" ")),
                );
            }
        }
    }
    Terrain { types, cells }
}
