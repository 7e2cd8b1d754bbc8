//! What-if variants: a file that names a base scenario and overrides parts of it, so that a
//! teacher writes a few lines instead of copying the whole scenario.
//!
//! ```ron
//! Variant(
//!     base: "kharkiv_2022.ron",
//!     name: "Kharkiv 2022: Izium stocked twice over",
//!     overrides: [ Depot(name: "Izium depot", stock: 10000) ],
//! )
//! ```
//!
//! The overrides are applied to the base's raw form and the result is validated like any
//! scenario. Every error is reported where it was written: an override's own mistakes (an
//! unknown unit, a stock out of range) at its line and column in the variant, the rest in
//! the base file.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::error::{Diagnostic, Problem, ScenarioError, suggest};
use super::locate::SourceIndex;
use super::model::Scenario;
use super::raw::{Location, RawPlanStep, RawScenario};
use super::read::{begins_as_scenario, diag, parse_raw, parse_with, read_scenario_bytes, text_of};
use super::validate::validate;

/// A variant file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Variant")]
pub struct RawVariant {
    /// The base scenario file, relative to the variant's own folder.
    pub base: String,
    /// Title of the variant.
    pub name: String,
    /// What the variant asks; the base's description when omitted.
    #[serde(default)]
    pub description: Option<String>,
    /// Days to play, if not the base's.
    #[serde(default)]
    pub turns: Option<u32>,
    /// Seed of the dice, if not the base's.
    #[serde(default)]
    pub seed: Option<u64>,
    /// The changes, applied in order.
    pub overrides: Vec<RawOverride>,
}

/// One change to the base scenario. Fields left out keep the base's value.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum RawOverride {
    /// Changes a unit.
    Unit {
        /// The unit, by name.
        name: String,
        /// Where it starts.
        #[serde(default)]
        at: Option<Location>,
        /// Strength, 0 to 1.
        #[serde(default)]
        strength: Option<f64>,
        /// Readiness, 0 to 1.
        #[serde(default)]
        readiness: Option<f64>,
        /// Attack factor.
        #[serde(default)]
        attack: Option<u32>,
        /// Defence factor.
        #[serde(default)]
        defence: Option<u32>,
        /// Movement points per day.
        #[serde(default)]
        movement: Option<u32>,
        /// Grouping, by name.
        #[serde(default)]
        grouping: Option<String>,
    },
    /// Cancels the scheduled events (departures and reinforcements) of a unit: a unit that
    /// was to leave stays; one that was to arrive is there from the start.
    CancelEvents {
        /// The unit, by name.
        unit: String,
    },
    /// Takes a unit out of the scenario: it is somewhere else (say, kept on another front)
    /// and never on this map. Its scheduled events go with it.
    Absent {
        /// The unit, by name.
        unit: String,
        /// Why, in a few words, for the narration.
        #[serde(default)]
        reason: String,
    },
    /// Changes a depot.
    Depot {
        /// The depot, by name.
        name: String,
        /// Stock at the start, tonnes.
        #[serde(default)]
        stock: Option<u32>,
        /// Most it can hold, tonnes.
        #[serde(default)]
        capacity: Option<u32>,
        /// Draw range in movement points.
        #[serde(default)]
        range: Option<u32>,
    },
    /// Takes a side's strike assets off the scenario (what if there had been none).
    CancelStrikes {
        /// The assets, by name.
        name: String,
    },
    /// Takes off the scenario's dated damage (and repairs) to one target.
    CancelDamage {
        /// The crossing, railway or depot: `Crossing("...")`, `Link("...")`, `Depot("...")`.
        target: super::raw::RawTarget,
    },
    /// Changes what a crossing carries a day.
    Crossing {
        /// The crossing, by name.
        name: String,
        /// Tonnes of supply a day.
        #[serde(default)]
        tonnes_per_day: Option<u32>,
        /// Units a day.
        #[serde(default)]
        units_per_day: Option<u32>,
        /// The chance air defence over it stops a strike on it, 0 to 1.
        #[serde(default)]
        air_defence: Option<f64>,
    },
    /// Changes a rail link.
    RailLink {
        /// The link, by name.
        name: String,
        /// Tonnes a day.
        #[serde(default)]
        capacity: Option<u32>,
    },
    /// Changes a side's operational AI thresholds.
    Ai {
        /// The side, by id.
        side: String,
        /// Withdraw reason: days of supply below this.
        #[serde(default)]
        days_of_supply_below: Option<f64>,
        /// Withdraw reason: share of rail supply cut at least this.
        #[serde(default)]
        lines_cut_at_least: Option<f64>,
        /// Withdraw reason: enemy/own force ratio above this.
        #[serde(default)]
        force_ratio_above: Option<f64>,
        /// Reasons needed at once.
        #[serde(default)]
        reasons_needed: Option<u32>,
        /// The attack ratio the side's AI needs.
        #[serde(default)]
        attack_ratio: Option<f64>,
        /// Withdraw reason: share of the ground around a grouping the enemy holds.
        #[serde(default)]
        encircled_at_least: Option<f64>,
        /// Hexes within which an enemy unit puts a line at risk in the commander's outlook.
        #[serde(default)]
        threat_radius: Option<u32>,
        /// Days without a reason before a grouping ordered back stands fast.
        #[serde(default)]
        stand_fast_after_days: Option<u32>,
        /// Days of supply at which a grouping ordered back with no reason stands fast.
        #[serde(default)]
        stand_fast_above_days: Option<f64>,
    },
    /// Changes numbers of the rules (the campaign's: repair, ground, posture).
    Rules {
        /// Days to repair a line whose track the enemy held.
        #[serde(default)]
        rail_repair_days: Option<u32>,
        /// Days to repair a line over a blown bridge.
        #[serde(default)]
        bridge_repair_days: Option<u32>,
        /// Extra movement points into contested enemy ground.
        #[serde(default)]
        enemy_ground_cost: Option<u32>,
        /// Hexes within which ground is contested.
        #[serde(default)]
        contested_radius: Option<u32>,
        /// Hexes within which arriving units claim ground.
        #[serde(default)]
        claim_radius: Option<u32>,
        /// Units kept in objectives and cities.
        #[serde(default)]
        garrison_units: Option<u32>,
        /// The attack ratio the AI needs.
        #[serde(default)]
        attack_ratio: Option<f64>,
        /// How far a commander's estimate may be off.
        #[serde(default)]
        intel_error: Option<f64>,
        /// Days out of supply after which a unit surrenders.
        #[serde(default)]
        surrender_after_days: Option<u32>,
        /// Share of a captured depot's stock its captor takes over.
        #[serde(default)]
        captured_stock_share: Option<f64>,
        /// Hexes from which guns join an attack.
        #[serde(default)]
        artillery_range: Option<u32>,
        /// A combat results table of its own (the whole table, as in `Rules`).
        #[serde(default)]
        combat_table: Option<Vec<Vec<super::raw::CombatResult>>>,
    },
    /// Gives a grouping a directive from above: `Hold` (never ordered back) or
    /// `WithdrawOn("2022-09-08")` (ordered back that day, whatever its reasons).
    Grouping {
        /// The grouping, by name.
        name: String,
        /// The directive.
        directive: super::raw::RawDirective,
    },
    /// Replaces a grouping's operational plan (every step of it); no steps: no plan.
    Plan {
        /// The grouping, by name.
        grouping: String,
        /// The new steps.
        steps: Vec<RawVariantStep>,
    },
}

/// A plan step in a variant (its grouping is the override's).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Step")]
pub struct RawVariantStep {
    /// From this date on.
    pub from: NaiveDate,
    /// Objectives in order.
    pub axis: Vec<Location>,
    /// Past the end of the axis: `Pursue` (the default) or `Hold`.
    #[serde(default)]
    pub then: super::raw::AxisEnd,
}

/// Whether a file's text is a variant (its first value is `Variant(`), not a scenario.
pub fn is_variant(src: &str) -> bool {
    crate::files::first_word(src) == "Variant"
}

/// Where the changed values of the merged scenario came from: a path in the merged raw
/// scenario (e.g. `depots[3].stock`) and the path in the variant that set it.
type Origins = BTreeMap<String, String>;

/// Sets `target.field` from the override's `field` when it is given, and records where it
/// was written.
macro_rules! override_field {
    ($target:expr, $field:ident, $path:expr, $set:ident) => {
        if let Some(x) = $field {
            $target.$field = x.clone();
            $set($path.clone(), stringify!($field));
        }
    };
}

/// The index of the item of the base whose `key` is `name`; if there is none, a problem at
/// `path` (the override's field) with the closest name as a hint.
fn find<T>(
    items: &[T],
    key: impl Fn(&T) -> &str,
    name: &str,
    what: &str,
    path: String,
    problems: &mut Vec<Problem>,
) -> Option<usize> {
    let found = items.iter().position(|x| key(x) == name);
    if found.is_none() {
        problems.push(Problem {
            path,
            column_offset: 0,
            message: format!("the base scenario has no {what} named `{name}`"),
            hint: Some(suggest(name, items.iter().map(&key))),
        });
    }
    found
}

/// Replaces a grouping's plan: the base's other steps keep their places (and where they
/// were written), this grouping's new steps go to the end, written at `here`.
fn replace_plan(
    base: &mut RawScenario,
    origins: &mut Origins,
    grouping: &str,
    steps: &[RawVariantStep],
    here: &str,
) {
    // The base's other steps keep their places; this grouping's go to the end.
    let kept: Vec<(usize, RawPlanStep)> = base
        .plans
        .drain(..)
        .enumerate()
        .filter(|(_, p)| p.grouping != grouping)
        .collect();
    // Steps that moved keep pointing where they were written; re-key them.
    let moved: Origins = kept
        .iter()
        .enumerate()
        .map(|(new, (old, _))| {
            let from = origins
                .get(&format!("plans[{old}]"))
                .cloned()
                .unwrap_or_else(|| format!("@base:plans[{old}]"));
            (format!("plans[{new}]"), from)
        })
        .collect();
    origins.retain(|k, _| !k.starts_with("plans["));
    origins.extend(moved);
    base.plans = kept.into_iter().map(|(_, p)| p).collect();
    for (j, s) in steps.iter().enumerate() {
        origins.insert(
            format!("plans[{}]", base.plans.len()),
            format!("{here}.steps[{j}]"),
        );
        base.plans.push(RawPlanStep {
            grouping: grouping.to_string(),
            from: s.from,
            axis: s.axis.clone(),
            then: s.then,
        });
    }
}

/// The overrides of fire and crossings: strike assets and dated damage taken away, a
/// crossing's capacities changed.
fn apply_fire(o: &RawOverride, here: &str, base: &mut RawScenario, problems: &mut Vec<Problem>) {
    match o {
        RawOverride::CancelStrikes { name } => {
            let found = find(
                &base.strikes,
                |a| &a.name,
                name,
                "strike assets",
                format!("{here}.name"),
                problems,
            );
            base.strikes.retain(|a| found.is_none() || &a.name != name);
        }
        RawOverride::CancelDamage { target } => {
            let names = |e: &super::raw::RawEvent| match e {
                super::raw::RawEvent::Damage { target: t, .. }
                | super::raw::RawEvent::Repair { target: t, .. } => Some(t.clone()),
                _ => None,
            };
            let before = base.events.len();
            base.events.retain(|e| names(e).as_ref() != Some(target));
            if base.events.len() == before {
                problems.push(Problem {
                    path: format!("{here}.target"),
                    column_offset: 0,
                    message: format!("the base scenario dates no damage to {target:?}"),
                    hint: Some("name a target of one of its `Damage` or `Repair` events".into()),
                });
            }
        }
        RawOverride::Crossing {
            name,
            tonnes_per_day,
            units_per_day,
            air_defence,
        } => {
            let all: Vec<(usize, usize, String)> = base
                .rivers
                .iter()
                .enumerate()
                .flat_map(|(r, river)| {
                    river
                        .crossings
                        .iter()
                        .enumerate()
                        .map(move |(k, x)| (r, k, x.name.clone()))
                })
                .collect();
            let Some(i) = find(
                &all,
                |(_, _, n)| n,
                name,
                "crossing",
                format!("{here}.name"),
                problems,
            ) else {
                return;
            };
            let (r, k) = (all[i].0, all[i].1);
            let x = &mut base.rivers[r].crossings[k];
            if tonnes_per_day.is_some() {
                x.tonnes_per_day = *tonnes_per_day;
            }
            if units_per_day.is_some() {
                x.units_per_day = *units_per_day;
            }
            if air_defence.is_some() {
                x.air_defence = *air_defence;
            }
        }
        _ => {}
    }
}

/// Cancels a unit's scheduled events (departures and reinforcements); `false`, with the
/// problem noted, when the base has no such unit.
fn cancel_events(
    unit: &str,
    here: &str,
    base: &mut RawScenario,
    problems: &mut Vec<Problem>,
) -> bool {
    let known = find(
        &base.units,
        |u| &u.name,
        unit,
        "unit",
        format!("{here}.unit"),
        problems,
    )
    .is_some();
    if known {
        base.events.retain(|e| e.unit() != Some(unit));
    }
    known
}

/// `Absent`: the unit's scheduled events cancelled, it departs the day before the start
/// (never on the map).
fn absent(
    unit: &str,
    reason: &str,
    here: &str,
    base: &mut RawScenario,
    problems: &mut Vec<Problem>,
) {
    if !cancel_events(unit, here, base, problems) {
        return;
    }
    base.events.push(super::raw::RawEvent::Departure {
        date: base.start_date - chrono::Duration::days(1),
        unit: unit.to_string(),
        reason: if reason.is_empty() {
            "not in this variant".to_string()
        } else {
            reason.to_string()
        },
    });
}

/// Applies the overrides to the base; problems found on the way are the variant's.
fn apply(v: &RawVariant, base: &mut RawScenario) -> (Origins, Vec<Problem>) {
    let mut origins = Origins::new();
    let mut problems = Vec::new();
    if let Some(t) = v.turns {
        base.turns = t;
        origins.insert("turns".into(), "turns".into());
    }
    if let Some(s) = v.seed {
        base.seed = s;
        origins.insert("seed".into(), "seed".into());
    }
    base.name.clone_from(&v.name);
    if let Some(d) = &v.description {
        base.description.clone_from(d);
    }
    for (i, o) in v.overrides.iter().enumerate() {
        let here = format!("overrides[{i}]");
        let mut set = |target: String, field: &str| {
            origins.insert(format!("{target}.{field}"), format!("{here}.{field}"));
        };
        match o {
            RawOverride::Unit {
                name,
                at,
                strength,
                readiness,
                attack,
                defence,
                movement,
                grouping,
            } => {
                let Some(k) = find(
                    &base.units,
                    |u| &u.name,
                    name,
                    "unit",
                    format!("{here}.name"),
                    &mut problems,
                ) else {
                    continue;
                };
                let u = &mut base.units[k];
                let t = format!("units[{k}]");
                override_field!(u, at, t, set);
                override_field!(u, strength, t, set);
                override_field!(u, readiness, t, set);
                override_field!(u, attack, t, set);
                override_field!(u, defence, t, set);
                override_field!(u, movement, t, set);
                override_field!(u, grouping, t, set);
            }
            RawOverride::CancelEvents { unit } => {
                cancel_events(unit, &here, base, &mut problems);
            }
            RawOverride::Absent { unit, reason } => {
                absent(unit, reason, &here, base, &mut problems);
            }
            RawOverride::Depot {
                name,
                stock,
                capacity,
                range,
            } => {
                let Some(k) = find(
                    &base.depots,
                    |d| &d.name,
                    name,
                    "depot",
                    format!("{here}.name"),
                    &mut problems,
                ) else {
                    continue;
                };
                let d = &mut base.depots[k];
                let t = format!("depots[{k}]");
                override_field!(d, stock, t, set);
                override_field!(d, capacity, t, set);
                override_field!(d, range, t, set);
            }
            RawOverride::CancelStrikes { .. }
            | RawOverride::CancelDamage { .. }
            | RawOverride::Crossing { .. } => apply_fire(o, &here, base, &mut problems),
            RawOverride::RailLink { name, capacity } => {
                let Some(k) = find(
                    &base.rail.links,
                    |l| &l.name,
                    name,
                    "rail link",
                    format!("{here}.name"),
                    &mut problems,
                ) else {
                    continue;
                };
                override_field!(
                    base.rail.links[k],
                    capacity,
                    format!("rail.links[{k}]"),
                    set
                );
            }
            RawOverride::Ai { .. } | RawOverride::Rules { .. } => {
                apply_numbers(o, &here, base, &mut set, &mut problems);
            }
            RawOverride::Grouping { name, directive } => {
                let Some(k) = find(
                    &base.groupings,
                    |g| &g.name,
                    name,
                    "grouping",
                    format!("{here}.name"),
                    &mut problems,
                ) else {
                    continue;
                };
                base.groupings[k].directive = Some(*directive);
                set(format!("groupings[{k}]"), "directive");
            }
            RawOverride::Plan { grouping, steps } => {
                if find(
                    &base.groupings,
                    |g| &g.name,
                    grouping,
                    "grouping",
                    format!("{here}.grouping"),
                    &mut problems,
                )
                .is_none()
                {
                    continue;
                }
                replace_plan(base, &mut origins, grouping, steps, &here);
            }
        }
    }
    (origins, problems)
}

/// Applies an override of numbers (a side's AI thresholds, the rules' campaign numbers).
fn apply_numbers(
    o: &RawOverride,
    here: &str,
    base: &mut RawScenario,
    set: &mut impl FnMut(String, &str),
    problems: &mut Vec<Problem>,
) {
    match o {
        RawOverride::Ai {
            side,
            days_of_supply_below,
            lines_cut_at_least,
            force_ratio_above,
            reasons_needed,
            attack_ratio,
            encircled_at_least,
            threat_radius,
            stand_fast_after_days,
            stand_fast_above_days,
        } => {
            let Some(k) = find(
                &base.ai,
                |a| &a.side,
                side,
                "AI settings for the side",
                format!("{here}.side"),
                problems,
            ) else {
                return;
            };
            let a = &mut base.ai[k];
            let t = format!("ai[{k}]");
            override_field!(a, days_of_supply_below, t, set);
            override_field!(a, lines_cut_at_least, t, set);
            override_field!(a, force_ratio_above, t, set);
            override_field!(a, reasons_needed, t, set);
            if let Some(x) = attack_ratio {
                a.attack_ratio = Some(*x);
                set(t.clone(), "attack_ratio");
            }
            if let Some(x) = encircled_at_least {
                a.encircled_at_least = Some(*x);
                set(t.clone(), "encircled_at_least");
            }
            if let Some(x) = threat_radius {
                a.threat_radius = Some(*x);
                set(t.clone(), "threat_radius");
            }
            if let Some(x) = stand_fast_after_days {
                a.stand_fast_after_days = Some(*x);
                set(t.clone(), "stand_fast_after_days");
            }
            if let Some(x) = stand_fast_above_days {
                a.stand_fast_above_days = Some(*x);
                set(t.clone(), "stand_fast_above_days");
            }
        }
        RawOverride::Rules {
            rail_repair_days,
            bridge_repair_days,
            enemy_ground_cost,
            contested_radius,
            claim_radius,
            garrison_units,
            attack_ratio,
            intel_error,
            captured_stock_share,
            surrender_after_days,
            artillery_range,
            combat_table,
        } => {
            let r = &mut base.rules;
            let t = "rules".to_string();
            override_field!(r, rail_repair_days, t, set);
            override_field!(r, bridge_repair_days, t, set);
            override_field!(r, enemy_ground_cost, t, set);
            override_field!(r, contested_radius, t, set);
            override_field!(r, claim_radius, t, set);
            override_field!(r, garrison_units, t, set);
            override_field!(r, attack_ratio, t, set);
            override_field!(r, intel_error, t, set);
            override_field!(r, captured_stock_share, t, set);
            override_field!(r, surrender_after_days, t, set);
            override_field!(r, artillery_range, t, set);
            if let Some(x) = combat_table {
                r.combat_table = Some(x.clone());
                set(t.clone(), "combat_table");
            }
        }
        _ => {}
    }
}

/// Where a problem of the merged scenario was written: in the variant (`Some(path)`) or
/// in the base (`None`, or `Some` of a base path after `@base:`).
fn origin_of(origins: &Origins, path: &str) -> Option<(String, bool)> {
    // The longest recorded path that is `path` itself or encloses it.
    let (k, v) = origins
        .iter()
        .filter(|(k, _)| {
            path.strip_prefix(k.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        })
        .max_by_key(|(k, _)| k.len())?;
    let rest = &path[k.len()..];
    Some(match v.strip_prefix("@base:") {
        Some(base) => (format!("{base}{rest}"), false),
        None => (format!("{v}{rest}"), true),
    })
}

/// Loads a variant: its base (relative to `dir`), the overrides, validation.
pub fn load_variant(src: &str, file: &str, dir: &Path) -> Result<Scenario, ScenarioError> {
    let v: RawVariant = parse_with(src, file)?;
    let variant_index = SourceIndex::build(src);
    let at_variant = |path: &str, message: String, hint: Option<String>| -> Diagnostic {
        let pos = variant_index.find(path);
        diag(file, pos.line, pos.column, message, hint)
    };
    build_variant(&v, dir, &at_variant)
}

/// Where a problem of a variant is reported: the place of a path of the variant
/// (`base`, `overrides[2].stock`), with its message and hint.
pub type VariantPlace<'a> = &'a dyn Fn(&str, String, Option<String>) -> Diagnostic;

/// Applies a parsed variant to its base (relative to `dir`) and validates the result;
/// the variant's own problems are reported through `at_variant`, the base's in the base
/// file. A study's inline case is a variant written inside the study file.
pub fn build_variant(
    v: &RawVariant,
    dir: &Path,
    at_variant: VariantPlace<'_>,
) -> Result<Scenario, ScenarioError> {
    let base_path = dir.join(&v.base);
    let base_file = base_path.display().to_string();
    // The base must lie in the variant's folder or below it: a file shared or downloaded
    // must not read, or reveal, anything else on the machine.
    let inside = match (
        std::fs::canonicalize(&base_path),
        std::fs::canonicalize(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        }),
    ) {
        (Ok(b), Ok(d)) => b.starts_with(&d),
        _ => true, // not there: reading it says so
    };
    if !inside {
        return Err(ScenarioError {
            diagnostics: vec![at_variant(
                "base",
                format!("the base scenario {base_file} is outside the variant's folder"),
                Some("put the variant in the base scenario's folder (or a folder above it) and name the base relative to it".into()),
            )],
        });
    }
    let at_base = at_variant("base", String::new(), None);
    let bytes = read_scenario_bytes(
        &base_path,
        &format!("the base scenario {base_file}"),
        (&at_base.file, at_base.line, at_base.column),
    )?;
    let base_src = text_of(&bytes, &base_file)?.to_string();
    if !begins_as_scenario(&base_src) {
        return Err(ScenarioError {
            diagnostics: vec![at_variant(
                "base",
                format!("{base_file} is not a Railhead scenario"),
                Some("a variant's base must be a whole scenario".into()),
            )],
        });
    }
    if is_variant(&base_src) {
        return Err(ScenarioError {
            diagnostics: vec![at_variant(
                "base",
                format!("{base_file} is itself a variant"),
                Some("a variant's base must be a whole scenario".into()),
            )],
        });
    }
    let mut raw: RawScenario = parse_raw(&base_src, &base_file)?;
    let base_index = SourceIndex::build(&base_src);
    let base_dir = base_path.parent().unwrap_or(Path::new(""));
    let sources = super::geography::merge(&mut raw, base_dir, &|path, message, hint| {
        let pos = base_index.find(path);
        diag(&base_file, pos.line, pos.column, message, hint)
    })?;
    let (origins, mut problems) = apply(v, &mut raw);
    let mut diagnostics: Vec<Diagnostic> = problems
        .drain(..)
        .map(|p| at_variant(&p.path, p.message, p.hint))
        .collect();
    if diagnostics.is_empty() {
        match validate(&raw) {
            Ok(s) => return Ok(s),
            Err(found) => {
                for p in found {
                    if let Some((file, line, column)) = sources.feature_of(&p.path) {
                        diagnostics.push(diag(file, *line, *column, p.message, p.hint));
                        continue;
                    }
                    let p = super::error::Problem {
                        path: sources.in_file(&p.path),
                        ..p
                    };
                    let d = match origin_of(&origins, &p.path) {
                        Some((path, true)) => at_variant(&path, p.message, p.hint),
                        Some((path, false)) => {
                            let pos = base_index.find(&path);
                            diag(
                                &base_file,
                                pos.line,
                                pos.column + p.column_offset,
                                p.message,
                                p.hint,
                            )
                        }
                        None => {
                            let pos = base_index.find(&p.path);
                            diag(
                                &base_file,
                                pos.line,
                                pos.column + p.column_offset,
                                p.message,
                                p.hint,
                            )
                        }
                    };
                    diagnostics.push(d);
                }
            }
        }
    }
    Err(ScenarioError::sorted(diagnostics))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variant_is_told_from_a_scenario_by_its_first_value() {
        assert!(is_variant("// what if\n/* c */ Variant(base: \"x\")"));
        assert!(!is_variant("// Variant(\nScenario(name: \"x\")"));
    }

    #[test]
    fn problems_are_traced_to_the_override_that_made_them() {
        let mut o = Origins::new();
        o.insert("depots[3].stock".into(), "overrides[1].stock".into());
        o.insert("plans[4]".into(), "overrides[2].steps[0]".into());
        o.insert("plans[2]".into(), "@base:plans[3]".into());
        assert_eq!(
            origin_of(&o, "depots[3].stock"),
            Some(("overrides[1].stock".into(), true))
        );
        assert_eq!(
            origin_of(&o, "plans[4].axis[1]"),
            Some(("overrides[2].steps[0].axis[1]".into(), true))
        );
        assert_eq!(
            origin_of(&o, "plans[2].from"),
            Some(("plans[3].from".into(), false))
        );
        assert_eq!(origin_of(&o, "depots[3].capacity"), None);
        assert_eq!(origin_of(&o, "plans[40]"), None);
        assert_eq!(origin_of(&o, "depots[31].stock"), None);
    }
}
