//! From the file's raw types to a [`Scenario`]: resolve every name and position, check
//! every number, and report every problem found (not only the first).
//!
//! One section per part of the file, in the order the parts depend on each other: the
//! sizes of its lists ([`sizes`]), the map frame ([`map`]), terrain ([`terrain`]), sides
//! and who holds each hex ([`sides`]), places ([`places`]), rivers, roads and the border
//! ([`rivers`]), the rail network ([`rail`]), depots ([`depots`]), groupings and units
//! with their dates ([`units`]), the rules ([`rules`]), objectives, the AI and plans
//! ([`ai`]), history ([`history`]). Each section takes what it needs of the sections
//! before it, writes its problems to the one [`Checker`], and can be run (and tested)
//! alone. Fixed ranges come from one table per kind of item ([`ranges`]).

pub mod ai;
pub mod areas;
pub mod check;
pub mod damage;
pub mod depots;
pub mod history;
pub mod map;
pub mod places;
pub mod rail;
pub mod ranges;
pub mod rivers;
pub mod rules;
pub mod sides;
pub mod sizes;
pub mod terrain;
pub mod units;

pub use check::{Checker, Names};
pub use ranges::{MAX_ITEMS, MAX_MAP_SIDE, MAX_SIDES, MAX_TONNES, MAX_TURNS, MAX_UNITS};

use super::error::Problem;
use super::model::{Scenario, content_of, hash_of};
use super::raw::RawScenario;

/// Validates a parsed scenario file.
pub fn validate(raw: &RawScenario) -> Result<Scenario, Vec<Problem>> {
    validate_with(raw, true)
}

/// [`validate`], with `crossings_required` false for a draft whose rail links may still
/// cross rivers where no crossing is (the generator's, which then puts bridges there).
pub fn validate_with(
    raw: &RawScenario,
    crossings_required: bool,
) -> Result<Scenario, Vec<Problem>> {
    let mut c = Checker::default();
    if raw.name.trim().is_empty() {
        c.err("name", "the scenario has no name");
    }
    c.ranges("", raw, ranges::SCENARIO);
    // Sizes first: nothing below should loop over absurd lists.
    if !sizes::check(&mut c, raw) {
        return Err(c.problems);
    }
    // Without a sound frame no position can be checked.
    let Some(frame) = map::frame(&mut c, &raw.map).filter(|_| c.clean()) else {
        return Err(c.problems);
    };
    // Areas drawn onto the rows: the rows are then read as if typed.
    let drawn = areas::fill(&mut c, raw, &frame.frame).map(|(terrain, control)| {
        let mut drawn = raw.clone();
        drawn.map.terrain = terrain;
        drawn.map.control = control;
        drawn
    });
    let rows_of = drawn.as_ref().unwrap_or(raw);
    let terrain = terrain::terrain(&mut c, rows_of);
    let mut sides = sides::sides(&mut c, rows_of);
    // Nobody holds open water, whatever the rows or areas say.
    for (held, t) in sides.control.iter_mut().zip(&terrain.cells) {
        if terrain.types.get(*t).is_some_and(|t| t.water) {
            *held = None;
        }
    }
    let places = places::places(&mut c, raw, &frame.frame);
    let resolver = places.resolver(&frame.frame);
    let mut waters = rivers::rivers(&mut c, raw, &resolver);
    let roads = rivers::roads(&mut c, raw, &resolver);
    let border = rivers::border(&mut c, raw);
    let mut rail = rail::rail(&mut c, raw, &resolver, &sides.ids);
    rail::crossings(
        &mut c,
        raw,
        &mut rail.links,
        &mut waters,
        crossings_required,
    );
    let depots = depots::depots(&mut c, raw, &sides.ids, &rail);
    depots::on_own_ground(&mut c, &depots, &rail, &sides, frame.columns);
    let groupings = units::groupings(&mut c, raw, &resolver, &sides.ids);
    let water: Vec<bool> = terrain
        .cells
        .iter()
        .map(|t| terrain.types.get(*t).is_some_and(|t| t.water))
        .collect();
    let units = units::units(
        &mut c,
        raw,
        &resolver,
        &sides,
        &groupings,
        frame.columns,
        &water,
    );
    let rules = rules::rules(&mut c, raw, &units.stacks);
    let objectives = ai::objectives(&mut c, raw, &places);
    let victory = ai::victory(&mut c, raw, &places, &sides.ids);
    let ai = ai::ai(&mut c, raw, &sides.ids);
    let plans = ai::plans(&mut c, raw, &resolver, &groupings.ids);
    let history = history::history(
        &mut c,
        raw,
        &history::FactNames {
            places: &places,
            sides: &sides.ids,
            groupings: &groupings.ids,
        },
    );
    let territory_history = history::territory(&mut c, raw, &sides.ids);
    let strike_assets = damage::strike_assets(&mut c, raw, &sides.ids);
    let damage = damage::damage(
        &mut c,
        raw,
        &damage::Targets {
            crossings: &waters.crossings,
            links: &rail.links,
            depots: &depots,
            nodes: &rail.nodes,
        },
    );
    let glossary = history::glossary(&mut c, raw);
    if !c.clean() {
        return Err(c.problems);
    }
    let content = content_of(raw);
    let hex_sides = super::model::sides_of_hexes(
        &frame.frame,
        &terrain.cells,
        &terrain.types,
        &waters.edges,
        &roads.edges,
        rules.road_move_cost,
    );
    let longest_step = super::model::longest_step(&hex_sides, &waters.rivers);
    let crossings = waters.crossings;
    let (columns, rows) = (frame.frame.columns, frame.frame.rows);
    let axial = (0..rows)
        .flat_map(|row| (0..columns).map(move |col| crate::geo::Offset { col, row }))
        .map(|o| {
            let h = crate::geo::offset_to_hex(o);
            [h.x, h.y]
        })
        .collect();
    Ok(Scenario {
        content_hash: hash_of(&content),
        content: content.into(),
        name: raw.name.clone(),
        description: raw.description.clone(),
        start_date: raw.start_date,
        turns: raw.turns,
        seed: raw.seed,
        frame: frame.frame,
        terrain_types: terrain.types,
        terrain: terrain.cells,
        control: sides.control,
        sides: sides.sides,
        rivers: waters.rivers,
        crossings,
        river_edges: waters.edges,
        roads: roads.roads,
        road_edges: roads.edges,
        longest_step,
        shortest_step: super::model::shortest_step(&hex_sides),
        axial,
        hex_sides,
        border,
        places: places.places,
        rail_nodes: rail.nodes,
        rail_links: rail.links,
        sources: rail.sources,
        depots,
        groupings: groupings.groupings,
        units: units.units,
        objectives,
        victory,
        ai,
        plans,
        rules,
        history,
        territory_history,
        damage,
        strike_assets,
        glossary,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::scenario::ids::SideId;

    fn tiny() -> RawScenario {
        let text = include_str!("../../../tests/scenarios/tiny_valid.ron");
        crate::scenario::parse_raw(text, "tiny.ron").unwrap()
    }

    #[test]
    fn the_rules_section_alone_checks_its_table_and_its_dependent_range() {
        let mut raw = tiny();
        raw.rules.zoc_cost = 500;
        raw.rules.out_of_supply_share = 0.9;
        let mut c = Checker::default();
        let rules = rules::rules(&mut c, &raw, &BTreeMap::new());
        assert_eq!(rules.zoc_cost, 500);
        let found: Vec<(&str, &str)> = c
            .problems
            .iter()
            .map(|p| (p.path.as_str(), p.message.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    "rules.zoc_cost",
                    "zoc_cost is 500, out of range: it must lie from 0 to 100"
                ),
                (
                    "rules.out_of_supply_share",
                    "out_of_supply_share is 0.9, out of range: it must lie from 0 to 0.75"
                ),
            ]
        );
    }

    #[test]
    fn the_sides_section_alone_reads_control_and_points_at_an_unknown_symbol() {
        let mut raw = tiny();
        raw.map.control[2] = "AAAXBBBB".into();
        let mut c = Checker::default();
        let sides = sides::sides(&mut c, &raw);
        assert_eq!(sides.sides.len(), 2);
        assert_eq!(sides.control.len(), 6 * 8);
        assert_eq!(sides.control[0], Some(SideId(0)));
        assert_eq!(sides.control[7], Some(SideId(1)));
        assert_eq!(sides.control[2 * 8 + 3], None);
        let p = &c.problems[0];
        assert_eq!((p.path.as_str(), p.column_offset), ("map.control[2]", 4));
        assert!(p.message.contains("unknown control symbol 'X'"), "{p:?}");
    }

    #[test]
    fn the_depots_section_alone_needs_only_the_rail_network() {
        let raw = tiny();
        let mut c = Checker::default();
        let frame = map::frame(&mut c, &raw.map).unwrap();
        let sides = sides::sides(&mut c, &raw);
        let places = places::places(&mut c, &raw, &frame.frame);
        let mut rail = rail::rail(&mut c, &raw, &places.resolver(&frame.frame), &sides.ids);
        assert!(c.clean(), "{:?}", c.problems);
        assert_eq!(
            depots::depots(&mut c, &raw, &sides.ids, &rail).len(),
            raw.depots.len()
        );
        // Without its sources, no depot is fed.
        rail.sources.clear();
        let mut c = Checker::default();
        depots::depots(&mut c, &raw, &sides.ids, &rail);
        assert_eq!(c.problems.len(), raw.depots.len());
        assert!(c.problems[0].message.contains("is not connected by rail"));
    }
}
