//! Objectives and their points, each side's operational AI thresholds, and the plans its
//! groupings follow.

use super::super::model::{AiSettings, Objective, PlanStep};
use super::super::raw::RawScenario;
use super::check::{Checker, Names};
use super::places::{Places, Resolver};
use super::ranges;
use crate::geo::Offset;
use crate::scenario::ids::{GroupingId, SideId};

/// Checks the objectives: each a valid place, with its points.
pub fn objectives(c: &mut Checker, raw: &RawScenario, places: &Places) -> Vec<Objective> {
    let mut objectives = Vec::new();
    for (i, o) in raw.objectives.iter().enumerate() {
        let p = format!("objectives[{i}]");
        c.ranges(&p, o, ranges::OBJECTIVE);
        if let Some(raw_index) = c.lookup(&format!("{p}.place"), &o.place, &places.ids)
            && let Some(place) = places.index.get(&raw.places[raw_index].name)
        {
            objectives.push(Objective {
                place: *place,
                points: o.points,
            });
        }
    }
    objectives
}

/// Checks each side's operational AI thresholds (one entry per side at most).
pub fn ai(c: &mut Checker, raw: &RawScenario, side_ids: &Names) -> Vec<AiSettings> {
    let mut ai = Vec::new();
    for (i, a) in raw.ai.iter().enumerate() {
        let p = format!("ai[{i}]");
        let side = c
            .lookup(&format!("{p}.side"), &a.side, side_ids)
            .map(SideId);
        c.ranges(&p, a, ranges::AI);
        if let Some(side) = side {
            if ai.iter().any(|x: &AiSettings| x.side == side) {
                c.err(
                    format!("{p}.side"),
                    format!("side `{}` has two ai entries", a.side),
                );
            }
            ai.push(AiSettings {
                side,
                days_of_supply_below: a.days_of_supply_below,
                lines_cut_at_least: a.lines_cut_at_least,
                force_ratio_above: a.force_ratio_above,
                reasons_needed: a.reasons_needed,
                encircled_at_least: a.encircled_at_least,
                attack_ratio: a.attack_ratio,
                threat_radius: a.threat_radius,
            });
        }
    }
    ai
}

/// Checks the plans: each step a known grouping, with objectives on the map.
pub fn plans(
    c: &mut Checker,
    raw: &RawScenario,
    resolver: &Resolver,
    grouping_ids: &Names,
) -> Vec<PlanStep> {
    let mut plans = Vec::new();
    for (i, step) in raw.plans.iter().enumerate() {
        let p = format!("plans[{i}]");
        let grouping = c
            .lookup(&format!("{p}.grouping"), &step.grouping, grouping_ids)
            .map(GroupingId);
        if step.axis.is_empty() {
            c.err(
                format!("{p}.axis"),
                "a plan step needs at least one objective on its axis",
            );
        }
        let axis: Vec<Offset> = step
            .axis
            .iter()
            .enumerate()
            .filter_map(|(k, l)| {
                resolver.hex(c, &format!("{p}.axis[{k}]"), "plan objective", l, true)
            })
            .collect();
        if let Some(grouping) = grouping {
            plans.push(PlanStep {
                grouping,
                from: step.from,
                axis,
                then: step.then,
            });
        }
    }
    plans
}
