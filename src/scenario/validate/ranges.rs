//! Every fixed range a number in a scenario file must lie in, in one place: one table per
//! kind of item, read by [`super::check::Checker::ranges`]. `scenarios/README.md` gives the
//! same ranges to authors (a test checks that it does).
//!
//! A range that depends on another value (`out_of_supply_share` at most
//! `supplied_share`) is checked in its section.

use super::super::raw::{
    RawAi, RawCrossing, RawDepot, RawMap, RawObjective, RawRailLink, RawRiver, RawRules,
    RawScenario, RawStrikeAssets, RawSupplySource, RawTerrainType, RawTerritoryFigure,
    RawThresholds, RawUnit, RawVictoryLevel,
};

/// Largest map side, in hexes: a guard against files that would exhaust memory.
pub const MAX_MAP_SIDE: usize = 400;
/// Most units a scenario may hold.
pub const MAX_UNITS: usize = 5_000;
/// Most items in any other list (places, rail links, river points ...).
pub const MAX_ITEMS: usize = 20_000;
/// Most sides a scenario may have.
pub const MAX_SIDES: usize = 16;
/// Most turns a scenario may last.
pub const MAX_TURNS: u32 = 1_000;
/// Largest tonnage anywhere (capacity, stock, supply), tonnes.
pub const MAX_TONNES: u32 = 100_000_000;
/// Largest count of one kind of equipment in a unit.
pub const MAX_EQUIPMENT: u32 = 1_000_000;

/// The range of one numeric field of an item of type `T`.
pub struct Range<T> {
    /// The field's name in the file.
    pub field: &'static str,
    /// How messages name it.
    pub what: &'static str,
    /// Smallest value allowed.
    pub lo: f64,
    /// Largest value allowed.
    pub hi: f64,
    /// The field's value (`None` when an optional field is absent).
    pub get: fn(&T) -> Option<f64>,
}

impl<T> Range<T> {
    const fn new(field: &'static str, lo: f64, hi: f64, get: fn(&T) -> Option<f64>) -> Self {
        Range {
            field,
            what: field,
            lo,
            hi,
            get,
        }
    }

    const fn named(mut self, what: &'static str) -> Self {
        self.what = what;
        self
    }
}

/// Whole numbers as the tables hold them (every `u32` is exact in an `f64`).
const fn n(v: u32) -> f64 {
    v as f64
}

/// The scenario's own numbers.
pub const SCENARIO: &[Range<RawScenario>] =
    &[Range::new("turns", 1.0, n(MAX_TURNS), |s| Some(n(s.turns)))];

/// The map frame.
pub const MAP: &[Range<RawMap>] = &[
    Range::<RawMap>::new("hex_km", 0.5, 50.0, |m| Some(m.hex_km)).named("map.hex_km"),
    Range::<RawMap>::new("reference_lat", -80.0, 80.0, |m| m.reference_lat)
        .named("map.reference_lat"),
];

/// A terrain type.
pub const TERRAIN_TYPE: &[Range<RawTerrainType>] = &[
    Range::new("move_cost", 1.0, 100.0, |t| Some(n(t.move_cost))),
    Range::new("defence", 0.1, 10.0, |t| Some(t.defence)),
];

/// A river.
pub const RIVER: &[Range<RawRiver>] = &[
    Range::new("crossing_cost", 0.0, 100.0, |r| r.crossing_cost.map(n)),
    Range::new("ford_cost", 0.0, 100.0, |r| Some(n(r.ford_cost))),
];

/// A river crossing.
pub const CROSSING: &[Range<RawCrossing>] = &[
    Range::new("air_defence", 0.0, 1.0, |x| x.air_defence),
    Range::new("tonnes_per_day", 0.0, n(MAX_TONNES), |x| {
        x.tonnes_per_day.map(n)
    }),
    Range::new("units_per_day", 0.0, n(MAX_UNITS as u32), |x| {
        x.units_per_day.map(n)
    }),
    Range::new("build_days", 1.0, 100.0, |x| x.build_days.map(n)),
];

/// A side's strike assets.
pub const STRIKE_ASSETS: &[Range<RawStrikeAssets>] = &[
    Range::new("per_day", 1.0, 1000.0, |a| Some(n(a.per_day))),
    Range::new("range", 1.0, n(MAX_MAP_SIDE as u32), |a| Some(n(a.range))),
    Range::new("hit", 0.0, 1.0, |a| Some(a.hit)),
    Range::new("intercepted", 0.0, 1.0, |a| Some(a.intercepted)),
];

/// A rail link.
pub const RAIL_LINK: &[Range<RawRailLink>] = &[
    Range::new("capacity", 1.0, n(MAX_TONNES), |l| Some(n(l.capacity))),
    Range::new("repair_days", 0.0, 1000.0, |l| l.repair_days.map(n)),
];

/// A supply source.
pub const SUPPLY_SOURCE: &[Range<RawSupplySource>] =
    &[Range::new("supply", 0.0, n(MAX_TONNES), |s| {
        Some(n(s.supply))
    })];

/// A depot.
pub const DEPOT: &[Range<RawDepot>] = &[
    Range::new("capacity", 1.0, n(MAX_TONNES), |d| Some(n(d.capacity))),
    Range::new("range", 1.0, 200.0, |d| Some(n(d.range))),
];

/// A unit (its equipment counts: 0 to [`MAX_EQUIPMENT`] each).
pub const UNIT: &[Range<RawUnit>] = &[
    Range::new("strength", 0.05, 1.0, |u| Some(u.strength)),
    Range::new("readiness", 0.0, 1.0, |u| Some(u.readiness)),
    Range::new("attack", 0.0, 100.0, |u| Some(n(u.attack))),
    Range::new("defence", 0.0, 100.0, |u| Some(n(u.defence))),
    Range::new("movement", 1.0, 100.0, |u| Some(n(u.movement))),
    Range::new("supply_use", 0.0, 100_000.0, |u| Some(n(u.supply_use))),
    Range::new("recon", 0.0, 20.0, |u| Some(n(u.recon))),
];

/// The rules' numbers (`out_of_supply_share` also at most `supplied_share`).
pub const RULES: &[Range<RawRules>] = &[
    Range::new("stacking_limit", 1.0, 50.0, |r| Some(n(r.stacking_limit))),
    Range::new("road_move_cost", 1.0, 100.0, |r| Some(n(r.road_move_cost))),
    Range::new("zoc_cost", 0.0, 100.0, |r| Some(n(r.zoc_cost))),
    Range::new("supplied_share", 0.0, 1.0, |r| Some(r.supplied_share)),
    Range::new("readiness_loss_short", 0.0, 1.0, |r| {
        Some(r.readiness_loss_short)
    }),
    Range::new("readiness_loss_out", 0.0, 1.0, |r| {
        Some(r.readiness_loss_out)
    }),
    Range::new("readiness_recovery", 0.0, 1.0, |r| {
        Some(r.readiness_recovery)
    }),
    Range::new("attrition_after_days", 0.0, 1000.0, |r| {
        Some(n(r.attrition_after_days))
    }),
    Range::new("attrition_per_day", 0.0, 1.0, |r| Some(r.attrition_per_day)),
    Range::new("depot_reserve_days", 0.0, 365.0, |r| {
        Some(r.depot_reserve_days)
    }),
    Range::new("force_ratio_radius", 0.0, 50.0, |r| {
        Some(n(r.force_ratio_radius))
    }),
    Range::new("routed_readiness", 0.0, 1.0, |r| Some(r.routed_readiness)),
    Range::new("enemy_ground_cost", 0.0, 100.0, |r| {
        Some(n(r.enemy_ground_cost))
    }),
    Range::new("contested_radius", 0.0, 20.0, |r| {
        Some(n(r.contested_radius))
    }),
    Range::new("claim_radius", 1.0, 20.0, |r| Some(n(r.claim_radius))),
    Range::new("rail_move_days", 0.0, 1000.0, |r| Some(r.rail_move_days)),
    Range::new("rail_repair_days", 0.0, 1000.0, |r| {
        Some(n(r.rail_repair_days))
    }),
    Range::new("bridge_repair_days", 0.0, 1000.0, |r| {
        Some(n(r.bridge_repair_days))
    }),
    Range::new("garrison_units", 0.0, 50.0, |r| Some(n(r.garrison_units))),
    Range::new("attack_ratio", 0.0, 100.0, |r| Some(r.attack_ratio)),
    Range::new("intel_error", 0.0, 0.9, |r| Some(r.intel_error)),
    Range::new("surrender_after_days", 0.0, 1000.0, |r| {
        Some(n(r.surrender_after_days))
    }),
    Range::new("captured_stock_share", 0.0, 1.0, |r| {
        Some(r.captured_stock_share)
    }),
    Range::new("artillery_range", 1.0, 10.0, |r| Some(n(r.artillery_range))),
];

/// An objective.
pub const OBJECTIVE: &[Range<RawObjective>] =
    &[Range::new("points", 0.0, 10_000.0, |o| Some(n(o.points)))];

/// A grouping's own withdrawal thresholds.
pub const THRESHOLDS: &[Range<RawThresholds>] = &[
    Range::new("days_of_supply_below", 0.0, 1000.0, |a| {
        a.days_of_supply_below
    }),
    Range::new("lines_cut_at_least", 0.0, 1.0, |a| a.lines_cut_at_least),
    Range::new("force_ratio_above", 0.0, 1000.0, |a| a.force_ratio_above),
    Range::new("reasons_needed", 1.0, 4.0, |a| a.reasons_needed.map(n)),
    Range::new("encircled_at_least", 0.0, 1.0, |a| a.encircled_at_least),
    Range::new("stand_fast_after_days", 1.0, 30.0, |a| {
        a.stand_fast_after_days.map(n)
    }),
    Range::new("stand_fast_above_days", 0.0, 1000.0, |a| {
        a.stand_fast_above_days
    }),
];

/// A side's operational AI.
pub const AI: &[Range<RawAi>] = &[
    Range::new("days_of_supply_below", 0.0, 1000.0, |a| {
        Some(a.days_of_supply_below)
    }),
    Range::new("lines_cut_at_least", 0.0, 1.0, |a| {
        Some(a.lines_cut_at_least)
    }),
    Range::new("force_ratio_above", 0.0, 1000.0, |a| {
        Some(a.force_ratio_above)
    }),
    Range::new("reasons_needed", 1.0, 4.0, |a| Some(n(a.reasons_needed))),
    Range::new("encircled_at_least", 0.0, 1.0, |a| a.encircled_at_least),
    Range::new("attack_ratio", 0.0, 100.0, |a| a.attack_ratio),
    Range::new("threat_radius", 0.0, 20.0, |a| a.threat_radius.map(n)),
    Range::new("stand_fast_after_days", 1.0, 30.0, |a| {
        a.stand_fast_after_days.map(n)
    }),
    Range::new("stand_fast_above_days", 0.0, 1000.0, |a| {
        a.stand_fast_above_days
    }),
];

/// A level of victory.
pub const VICTORY_LEVEL: &[Range<RawVictoryLevel>] = &[
    Range::new("points_at_least", 0.0, 1_000_000.0, |l| {
        l.points_at_least.map(n)
    }),
    Range::new("km2_at_least", 0.0, 1e7, |l| l.km2_at_least),
];

/// A historical territory figure.
pub const TERRITORY_FIGURE: &[Range<RawTerritoryFigure>] =
    &[Range::new("km2", 0.0, 1e7, |t| Some(t.km2))];

/// Every fixed range of every table: (field, smallest, largest).
pub fn every_range() -> Vec<(&'static str, f64, f64)> {
    fn of<T>(table: &[Range<T>]) -> impl Iterator<Item = (&'static str, f64, f64)> + '_ {
        table.iter().map(|r| (r.field, r.lo, r.hi))
    }
    of(SCENARIO)
        .chain(of(MAP))
        .chain(of(TERRAIN_TYPE))
        .chain(of(RIVER))
        .chain(of(CROSSING))
        .chain(of(STRIKE_ASSETS))
        .chain(of(RAIL_LINK))
        .chain(of(SUPPLY_SOURCE))
        .chain(of(DEPOT))
        .chain(of(UNIT))
        .chain(of(RULES))
        .chain(of(OBJECTIVE))
        .chain(of(AI))
        .chain(of(THRESHOLDS))
        .chain(of(TERRITORY_FIGURE))
        .chain(of(VICTORY_LEVEL))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bound as the authors' guide writes it: whole numbers with thousands separated.
    fn written(v: f64) -> String {
        if v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&v) {
            crate::numbers::group_thousands(v as u32)
        } else {
            format!("{v}")
        }
    }

    #[test]
    fn the_authors_guide_gives_every_range_the_validator_checks() {
        let guide = include_str!("../../../scenarios/README.md");
        let mut missing = Vec::new();
        for (field, lo, hi) in every_range() {
            let range = format!("{} - {}", written(lo), written(hi));
            let documented = guide
                .lines()
                .any(|l| l.starts_with(&format!("| `{field}` |")) && l.contains(&range));
            if !documented {
                missing.push(format!("{field}: {range}"));
            }
        }
        assert!(
            missing.is_empty(),
            "scenarios/README.md does not give these ranges: {missing:?}"
        );
    }
}
