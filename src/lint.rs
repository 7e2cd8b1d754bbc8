//! Warnings for a scenario that validates but will likely play wrong: what the rules
//! would do on day 1, checked before any game is played. `railhead validate` prints them
//! (and fails on them with `--deny-warnings`); nothing else does.
//!
//! Validation ([`crate::scenario::validate()`]) refuses what cannot be right; these are
//! legal and sometimes meant (a garrison cut off from the start), so they are warnings:
//! - a unit present at the start that can reach no depot of its side;
//! - a depot on ground nobody holds;
//! - a grouping's fallback or rear line on ground the enemy holds, or where its units
//!   cannot go over the ground (an impassable river between);
//! - an objective no unit of any side can reach over the ground.

use crate::rules::movement::distance_field;
use crate::rules::setup::initial_state;
use crate::rules::state::{Board, Depots, Forces};
use crate::rules::supply::trace::{Trace, trace};
use crate::scenario::Scenario;
use crate::scenario::error::Problem;
use crate::scenario::ids::UnitId;

fn warn(path: String, message: String, hint: &str) -> Problem {
    Problem {
        path,
        column_offset: 0,
        message,
        hint: Some(hint.to_string()),
    }
}

/// The warnings for a scenario, in the order of the file's parts.
pub fn lint(s: &Scenario) -> Vec<Problem> {
    let mut out = Vec::new();
    let (_, board, depots, forces) = initial_state(s);
    let start = Start {
        board: &board,
        depots: &depots,
        forces: &forces,
    };
    depots_on_open_ground(s, &mut out);
    fallback_lines(s, &start, &mut out);
    units_out_of_reach(s, &start, &mut out);
    objectives_out_of_reach(s, &start, &mut out);
    out
}

/// The game as it will start.
struct Start<'a> {
    board: &'a Board,
    depots: &'a Depots,
    forces: &'a Forces,
}

fn depots_on_open_ground(s: &Scenario, out: &mut Vec<Problem>) {
    for (i, d) in s.depots.iter().enumerate() {
        if s.control[s.index(d.hex)].is_none() {
            out.push(warn(
                format!("depots[{i}].node"),
                format!(
                    "depot `{}` stands in hex {}, which nobody holds at the start: the first unit of either side to enter takes it",
                    d.name, d.hex
                ),
                "give its hex to its side in `map.control` or `areas`",
            ));
        }
    }
}

fn fallback_lines(s: &Scenario, start: &Start<'_>, out: &mut Vec<Problem>) {
    let Start { board, forces, .. } = *start;
    for (g, grouping) in s.groupings.iter().enumerate() {
        let lines = std::iter::once((format!("groupings[{g}].fallback"), &grouping.fallback))
            .chain(
                grouping
                    .rear_lines
                    .iter()
                    .enumerate()
                    .map(|(k, l)| (format!("groupings[{g}].rear_lines[{k}]"), l)),
            );
        let units: Vec<_> = forces
            .units
            .iter()
            .filter(|u| u.active() && s.units[u.id.0].grouping.0 == g)
            .map(crate::rules::state::UnitState::hex)
            .collect();
        let field = (!units.is_empty()).then(|| distance_field(s, board, &units, |_| false));
        for (path, line) in lines {
            for (k, hex) in line.iter().enumerate() {
                let i = s.index(*hex);
                if let Some(other) = s.control[i].filter(|c| *c != grouping.side) {
                    out.push(warn(
                        format!("{path}[{k}]"),
                        format!(
                            "grouping `{}` would fall back to hex {hex}, which `{}` holds at the start",
                            grouping.name, s.sides[other.0].id
                        ),
                        "draw the line on its own side's ground (`railhead where` says who holds a hex)",
                    ));
                } else if field.as_ref().is_some_and(|f| f[i] == u32::MAX) {
                    out.push(warn(
                        format!("{path}[{k}]"),
                        format!(
                            "no unit of grouping `{}` can reach hex {hex} over the ground: an impassable river or the map's edge lies between",
                            grouping.name
                        ),
                        "draw the line on its units' side of the river, or give the river a crossing (`railhead map --grid` shows them)",
                    ));
                }
            }
        }
    }
}

fn units_out_of_reach(s: &Scenario, start: &Start<'_>, out: &mut Vec<Problem>) {
    let Start {
        board,
        depots,
        forces,
    } = *start;
    for u in forces.units.iter().filter(|u| u.active()) {
        let t = trace(s, board, forces, depots, u.id);
        if matches!(
            t,
            Trace::OutOfRange { .. } | Trace::Broken { .. } | Trace::NoDepot
        ) {
            let UnitId(i) = u.id;
            out.push(warn(
                format!("units[{i}].at"),
                format!(
                    "unit `{}` can draw on no depot on day 1: {}",
                    s.units[i].name,
                    t.describe(s)
                ),
                "move it, or put a depot of its side within range of it over its side's ground (unless it starts cut off on purpose)",
            ));
        }
    }
}

fn objectives_out_of_reach(s: &Scenario, start: &Start<'_>, out: &mut Vec<Problem>) {
    let Start { board, forces, .. } = *start;
    let units: Vec<_> = forces.units.iter().map(|u| s.index(u.hex())).collect();
    for (i, o) in s.objectives.iter().enumerate() {
        let place = &s.places[o.place];
        let field = distance_field(s, board, &[place.hex], |_| false);
        if !units.iter().any(|u| field[*u] != u32::MAX) {
            out.push(warn(
                format!("objectives[{i}].place"),
                format!(
                    "no unit of any side can reach objective `{}` (hex {}) over the ground",
                    place.name, place.hex
                ),
                "an impassable river or the map's edge cuts it off: give the river a crossing, or choose another place",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> crate::scenario::raw::RawScenario {
        crate::scenario::parse_raw(
            include_str!("../tests/scenarios/tiny_valid.ron"),
            "tiny.ron",
        )
        .unwrap()
    }

    #[test]
    fn the_tiny_scenario_has_no_warnings() {
        let s = crate::scenario::validate(&tiny()).unwrap();
        assert_eq!(lint(&s), Vec::new());
    }

    #[test]
    fn a_unit_far_from_its_depots_and_a_fallback_across_the_front_are_warned_of() {
        let mut raw = tiny();
        // The north's only depot reaches 1 movement point.
        raw.depots[0].range = 1;
        // The south falls back into the north's ground.
        raw.groupings[1].fallback = vec![crate::scenario::raw::Location::Hex(0, 0)];
        let s = crate::scenario::validate(&raw).unwrap();
        let paths: Vec<String> = lint(&s).into_iter().map(|p| p.path).collect();
        assert_eq!(paths, vec!["groupings[1].fallback[0]", "units[0].at"]);
    }
}
