//! Groupings (a side's formations, with their fallback lines), the dated events that bring
//! units in or take them away, and the units themselves.

use crate::scenario::ids::{GroupingId, SideId};
use std::collections::{BTreeMap, HashMap};

use super::super::model::{Directive, Grouping, UnitSpec};
use super::super::raw::{RawDirective, RawEvent, RawScenario};
use super::check::{Checker, Names};
use super::places::Resolver;
use super::ranges::{self, MAX_EQUIPMENT};
use super::sides::Sides;
use crate::geo::Offset;

/// The groupings and their names.
#[derive(Debug, Clone, Default)]
pub struct Groupings {
    /// The groupings, in the file's order.
    pub groupings: Vec<Grouping>,
    /// Their names, to resolve references.
    pub ids: Names,
}

/// Checks the groupings and their fallback lines.
pub fn groupings(
    c: &mut Checker,
    raw: &RawScenario,
    resolver: &Resolver,
    side_ids: &Names,
) -> Groupings {
    let ids = c.names(
        "groupings",
        "grouping",
        raw.groupings.iter().map(|g| g.name.as_str()),
    );
    let mut groupings = Vec::new();
    for (i, g) in raw.groupings.iter().enumerate() {
        let p = format!("groupings[{i}]");
        let side = c
            .lookup(&format!("{p}.side"), &g.side, side_ids)
            .map(SideId);
        let fallback: Vec<Offset> = g
            .fallback
            .iter()
            .enumerate()
            .filter_map(|(k, l)| {
                resolver.hex(
                    c,
                    &format!("{p}.fallback[{k}]"),
                    &format!("fallback of `{}`", g.name),
                    l,
                    true,
                )
            })
            .collect();
        let rear_lines: Vec<Vec<Offset>> = g
            .rear_lines
            .iter()
            .enumerate()
            .map(|(r, line)| {
                line.iter()
                    .enumerate()
                    .filter_map(|(k, l)| {
                        resolver.hex(
                            c,
                            &format!("{p}.rear_lines[{r}][{k}]"),
                            &format!("rear line of `{}`", g.name),
                            l,
                            true,
                        )
                    })
                    .collect()
            })
            .collect();
        if fallback.is_empty() && !rear_lines.is_empty() {
            c.hint(
                format!("{p}.rear_lines"),
                format!("grouping `{}` has rear lines but no fallback line", g.name),
                "give it a `fallback` line first: rear lines come after it",
            );
        }
        if let Some(w) = &g.withdraw {
            c.ranges(&format!("{p}.withdraw"), w, super::ranges::THRESHOLDS);
        }
        let directive = match g.directive {
            None => None,
            Some(RawDirective::Hold) => Some(Directive::Hold),
            Some(RawDirective::WithdrawOn(date)) => {
                let last = raw.start_date + chrono::Days::new(u64::from(raw.turns.max(1) - 1));
                if fallback.is_empty() {
                    c.hint(
                        format!("{p}.directive"),
                        format!(
                            "grouping `{}` is ordered back on {date} but has no fallback line",
                            g.name
                        ),
                        "give it a `fallback` line to fall back to",
                    );
                    None
                } else if date < raw.start_date || date > last {
                    c.hint(
                        format!("{p}.directive"),
                        format!("grouping `{}` is ordered back on {date}, outside the scenario ({} to {last})", g.name, raw.start_date),
                        "a date within the scenario's days",
                    );
                    None
                } else {
                    Some(Directive::WithdrawOn(
                        (date - raw.start_date).num_days() as u32 + 1,
                    ))
                }
            }
        };
        groupings.push(Grouping {
            name: g.name.clone(),
            side: side.unwrap_or(SideId(0)),
            fallback,
            rear_lines,
            withdraw: g.withdraw.clone(),
            withdraws_with: None,
            directive,
        });
    }
    // Tied withdrawals: another grouping of the same side, with a line to fall back to.
    for (i, g) in raw.groupings.iter().enumerate() {
        let Some(other) = &g.withdraws_with else {
            continue;
        };
        let p = format!("groupings[{i}].withdraws_with");
        let Some(j) = c.lookup(&p, other, &ids) else {
            continue;
        };
        if j == i {
            c.hint(
                &p,
                format!("grouping `{}` withdraws with itself", g.name),
                "name another grouping of its side",
            );
        } else if groupings[j].side != groupings[i].side {
            c.hint(
                &p,
                format!(
                    "grouping `{}` cannot withdraw with `{other}`, of another side",
                    g.name
                ),
                "name a grouping of its own side",
            );
        } else if groupings[i].fallback.is_empty() {
            c.hint(
                &p,
                format!(
                    "grouping `{}` withdraws with `{other}` but has no fallback line",
                    g.name
                ),
                "give it a `fallback` line to fall back to",
            );
        } else {
            groupings[i].withdraws_with = Some(crate::scenario::ids::GroupingId(j));
        }
    }

    Groupings { groupings, ids }
}

/// The units, and where each starts (for the stacking check, once the rules are known).
#[derive(Debug, Clone, Default)]
pub struct Units {
    /// The valid units.
    pub units: Vec<UnitSpec>,
    /// The units (by the file's index) on each hex at the start.
    pub stacks: BTreeMap<Offset, Vec<usize>>,
}

/// Checks the events (arrivals and departures) and the units they date.
pub fn units(
    c: &mut Checker,
    raw: &RawScenario,
    resolver: &Resolver,
    sides: &Sides,
    groupings: &Groupings,
    columns: usize,
    water: &[bool],
) -> Units {
    let unit_ids = c.names("units", "unit", raw.units.iter().map(|u| u.name.as_str()));
    let mut arrives: HashMap<usize, chrono::NaiveDate> = HashMap::new();
    let mut departs: HashMap<usize, chrono::NaiveDate> = HashMap::new();
    for (i, e) in raw.events.iter().enumerate() {
        let p = format!("events[{i}]");
        match e {
            RawEvent::Reinforcement { date, unit } => {
                if let Some(u) = c.lookup(&format!("{p}.unit"), unit, &unit_ids) {
                    if *date < raw.start_date {
                        c.hint(format!("{p}.date"), format!("reinforcement `{unit}` arrives on {date}, before the scenario starts ({})", raw.start_date), "a unit there from the start needs no event");
                    }
                    if arrives.insert(u, *date).is_some() {
                        c.err(&p, format!("unit `{unit}` has two reinforcement events"));
                    }
                }
            }
            RawEvent::Departure { date, unit, .. } => {
                if let Some(u) = c.lookup(&format!("{p}.unit"), unit, &unit_ids)
                    && departs.insert(u, *date).is_some()
                {
                    c.err(&p, format!("unit `{unit}` has two departure events"));
                }
            }
            RawEvent::Damage { .. } | RawEvent::Repair { .. } => {}
        }
    }

    let mut units = Vec::new();
    let mut stacks: BTreeMap<Offset, Vec<usize>> = BTreeMap::new();
    for (i, u) in raw.units.iter().enumerate() {
        let p = format!("units[{i}]");
        let side = c
            .lookup(&format!("{p}.side"), &u.side, &sides.ids)
            .map(SideId);
        let grouping = c
            .lookup(&format!("{p}.grouping"), &u.grouping, &groupings.ids)
            .map(GroupingId);
        if let (Some(s), Some(g)) = (side, grouping) {
            let gs = &raw.groupings[g.0].side;
            if sides.ids.get(gs).map(SideId) != Some(s) {
                c.hint(
                    format!("{p}.grouping"),
                    format!(
                        "unit `{}` of side `{}` is in grouping `{}` of side `{gs}`",
                        u.name, u.side, u.grouping
                    ),
                    "a unit's grouping must belong to its own side",
                );
            }
        }
        let hex = resolver.hex(
            c,
            &format!("{p}.at"),
            &format!("unit `{}`", u.name),
            &u.at,
            true,
        );
        c.ranges(&p, u, ranges::UNIT);
        for (k, n) in &u.equipment {
            c.range(
                &format!("{p}.equipment.{k}"),
                &format!("equipment `{k}`"),
                f64::from(*n),
                0.0,
                f64::from(MAX_EQUIPMENT),
            );
        }
        let (Some(side), Some(grouping), Some(hex)) = (side, grouping, hex) else {
            continue;
        };
        let arrives = arrives.get(&i).copied();
        let departs = departs.get(&i).copied();
        let on_map_at_start = arrives.is_none() && departs.is_none_or(|d| d > raw.start_date);
        let cell =
            usize::try_from(hex.row).unwrap_or(0) * columns + usize::try_from(hex.col).unwrap_or(0);
        if water.get(cell).copied().unwrap_or(false) {
            c.hint(
                format!("{p}.at"),
                format!("unit `{}` stands in hex {hex}, which is open water", u.name),
                "put it on land: `railhead where FILE --hex COL ROW` names a hex's terrain",
            );
        }
        if on_map_at_start {
            stacks.entry(hex).or_default().push(i);
            if let Some(holder) = sides.control.get(cell).copied().flatten()
                && holder != side
            {
                c.hint(
                    format!("{p}.at"),
                    format!(
                        "unit `{}` of side `{}` starts in hex {hex}, held by side `{}`",
                        u.name, u.side, raw.sides[holder].id
                    ),
                    "move the unit or change map.control for that hex",
                );
            }
        }
        units.push(UnitSpec {
            name: u.name.clone(),
            side,
            kind: u.kind,
            size: u.size,
            grouping,
            hex,
            strength: u.strength,
            attack: u.attack,
            defence: u.defence,
            movement: u.movement,
            readiness: u.readiness,
            supply_use: u.supply_use,
            recon: u.recon,
            equipment: u.equipment.clone(),
            arrives,
            departs,
        });
    }

    Units { units, stacks }
}
