//! Objectives and their points, the levels of victory, each side's operational AI
//! thresholds, and the plans its groupings follow.

use super::super::model::{AiSettings, Objective, PlanStep, Victory, VictoryLevel};
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

/// Checks the levels of victory: a known side, at least one level, each with a name and
/// at least one condition, places that exist, territory in range.
pub fn victory(
    c: &mut Checker,
    raw: &RawScenario,
    places: &Places,
    side_ids: &Names,
) -> Option<Victory> {
    let v = raw.victory.as_ref()?;
    let side = c.lookup("victory.side", &v.side, side_ids).map(SideId);
    if v.levels.is_empty() {
        c.hint(
            "victory.levels",
            "victory has no levels",
            "give at least one: Level(name: \"Victory\", points_at_least: 40)",
        );
    }
    let mut levels = Vec::new();
    for (i, l) in v.levels.iter().enumerate() {
        let p = format!("victory.levels[{i}]");
        if l.name.trim().is_empty() {
            c.err(format!("{p}.name"), "a level needs a name".to_string());
        }
        if l.points_at_least.is_none() && l.km2_at_least.is_none() && l.holds.is_empty() {
            c.hint(
                p.clone(),
                format!("level `{}` has no condition", l.name),
                "give points_at_least, km2_at_least or holds (places)",
            );
        }
        c.ranges(&p, l, ranges::VICTORY_LEVEL);
        let mut holds = Vec::new();
        for (k, name) in l.holds.iter().enumerate() {
            if let Some(raw_index) = c.lookup(&format!("{p}.holds[{k}]"), name, &places.ids)
                && let Some(place) = places.index.get(&raw.places[raw_index].name)
            {
                holds.push(*place);
            }
        }
        levels.push(VictoryLevel {
            name: l.name.clone(),
            points_at_least: l.points_at_least,
            km2_at_least: l.km2_at_least,
            holds,
        });
    }
    Some(Victory {
        side: side?,
        levels,
        otherwise: v.otherwise.clone(),
        history: v.history.clone(),
    })
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
                stand_fast_after_days: a.stand_fast_after_days.unwrap_or(1),
                stand_fast_above_days: a.stand_fast_above_days,
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
