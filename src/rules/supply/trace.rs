//! Why a unit has the supply it has, traced as the supply phase traces it and put in one
//! line a player can act on: supplied, its depot short, out of its depot's range, or the
//! way broken at a hex (and by what).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use crate::geo::Offset;
use crate::scenario::Scenario;
use crate::scenario::ids::{DepotId, UnitId};

use super::last_mile::depot_reach;
use crate::rules::movement::{Threats, step_cost};
use crate::rules::state::{Board, Depots, Forces, SupplyLevel};

/// Why a unit has the supply it has, in one line a player can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum Trace {
    /// It gets all it needs from this depot.
    Supplied(DepotId),
    /// Its depot reaches it but cannot give all its units need: what it received today,
    /// what they asked, and what it holds.
    DepotShort {
        /// The depot.
        depot: DepotId,
        /// Received today, tonnes.
        inflow: f64,
        /// Its units' need today, tonnes.
        demand: f64,
        /// Stock, tonnes.
        stock: f64,
    },
    /// A depot reaches it, within its range, but has nothing to give: its stock is gone
    /// and no train can reach it today (its lines cut, or not yet repaired).
    DepotEmpty {
        /// The depot.
        depot: DepotId,
        /// Movement points from the depot to the unit.
        cost: u32,
    },
    /// A depot could reach it over its side's ground, but not within the depot's range.
    OutOfRange {
        /// The nearest such depot.
        depot: DepotId,
        /// Movement points from the depot to the unit.
        cost: u32,
        /// The depot's range.
        range: u32,
    },
    /// No depot can trace to it: the way from the nearest depot breaks at `at`.
    Broken {
        /// The nearest depot by a free way.
        depot: DepotId,
        /// The first hex on that way the trace cannot pass.
        at: Offset,
        /// Why.
        why: Break,
    },
    /// Its side has no depot left, or none it could reach even over open ground.
    NoDepot,
}

/// What stops a supply trace at a hex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Break {
    /// An enemy unit stands there.
    EnemyUnit,
    /// The enemy holds the ground.
    EnemyGround,
    /// It lies next to an enemy unit and none of the side's units stands there.
    EnemyZoneOfControl,
}

/// Traces a unit's supply as the supply phase does, and where it fails, says why.
pub fn trace(s: &Scenario, board: &Board, forces: &Forces, depots: &Depots, unit: UnitId) -> Trace {
    let u = &forces.units[unit];
    let side = u.side;
    if let Some(d) = u.depot {
        let st = &depots.0[d];
        return if u.supply == SupplyLevel::Supplied {
            Trace::Supplied(d)
        } else {
            Trace::DepotShort {
                depot: d,
                inflow: st.inflow,
                demand: st.demand,
                stock: st.stock,
            }
        };
    }
    let threats = Threats::for_side(s, forces, side);
    let own: Vec<usize> = depots.serving(s, side).collect();
    // Over the side's ground, as the trace goes, with no limit of range.
    let in_reach = own
        .iter()
        .filter_map(|d| {
            let at = s.index(u.hex());
            depot_reach(s, board, &threats, side, s.depots[*d].hex, u32::MAX)
                .into_iter()
                .find(|(i, _)| *i == at)
                .map(|(_, c)| (c, *d))
        })
        .min();
    if let Some((cost, d)) = in_reach {
        // Within the depot's range, the last mile passed it by only because it had nothing
        // to give (the rule that sends units to a depot that has).
        if cost <= s.depots[d].range {
            return Trace::DepotEmpty {
                depot: DepotId(d),
                cost,
            };
        }
        return Trace::OutOfRange {
            depot: DepotId(d),
            cost,
            range: s.depots[d].range,
        };
    }
    // Over any ground: the cheapest way from a depot, and the first hex on it the trace
    // cannot pass.
    let Some((_, d, path)) = own
        .iter()
        .filter_map(|d| free_way(s, board, s.depots[*d].hex, u.hex()).map(|(c, p)| (c, *d, p)))
        .min_by_key(|(c, d, _)| (*c, *d))
    else {
        return Trace::NoDepot;
    };
    for (k, h) in path.iter().enumerate().skip(1) {
        let i = s.index(*h);
        let why = if threats.enemy_unit[i] {
            Some(Break::EnemyUnit)
        } else if board.control[i].is_some_and(|c| c != side) {
            Some(Break::EnemyGround)
        } else if k + 1 < path.len() && threats.enemy_zoc[i] && threats.own_units[i] == 0 {
            Some(Break::EnemyZoneOfControl)
        } else {
            None
        };
        if let Some(why) = why {
            return Trace::Broken {
                depot: DepotId(d),
                at: *h,
                why,
            };
        }
    }
    Trace::NoDepot
}

/// The cheapest way by movement cost from `from` to `to` over any passable ground, with
/// its hexes (`from` first).
fn free_way(s: &Scenario, board: &Board, from: Offset, to: Offset) -> Option<(u32, Vec<Offset>)> {
    let mut best: BTreeMap<Offset, (u32, Offset)> = BTreeMap::new();
    let mut heap = BinaryHeap::new();
    best.insert(from, (0, from));
    heap.push(Reverse((0u32, from)));
    while let Some(Reverse((cost, at))) = heap.pop() {
        if at == to {
            let mut path = vec![to];
            let mut h = to;
            while h != from {
                h = best[&h].1;
                path.push(h);
            }
            path.reverse();
            return Some((cost, path));
        }
        if best.get(&at).is_some_and(|(c, _)| *c < cost) {
            continue;
        }
        for nb in s.neighbours(at) {
            let Some(step) = step_cost(s, board, at, nb) else {
                continue;
            };
            let total = cost + step;
            if best.get(&nb).is_none_or(|(c, _)| total < *c) {
                best.insert(nb, (total, at));
                heap.push(Reverse((total, nb)));
            }
        }
    }
    None
}

impl Trace {
    /// The trace in words, for the unit's panel and tooltip.
    pub fn describe(&self, s: &Scenario) -> String {
        let place = |h: Offset| match s.places.iter().find(|p| p.hex == h) {
            Some(p) => format!("{} ({}, {})", p.name, h.col, h.row),
            None => format!("hex ({}, {})", h.col, h.row),
        };
        let tonnes = |t: f64| crate::numbers::group_thousands(t.round().max(0.0) as u32);
        match self {
            Trace::Supplied(d) => format!("Supplied from {}.", s.depots[*d].name),
            Trace::DepotShort {
                depot,
                inflow,
                demand,
                stock,
            } => format!(
                "{} reaches it but is short: it received {} t today for the {} t its units need, and holds {} t.",
                s.depots[*depot].name,
                tonnes(*inflow),
                tonnes(*demand),
                tonnes(*stock)
            ),
            Trace::DepotEmpty { depot, cost } => format!(
                "{} is {cost} movement points away, within its range, but has nothing to give: its stock is gone and no train reaches it today (its lines are cut, or not yet repaired).",
                s.depots[*depot].name
            ),
            Trace::OutOfRange { depot, cost, range } => format!(
                "Out of range: {} is {cost} movement points away over your ground; it supplies units up to {range} away.",
                s.depots[*depot].name
            ),
            Trace::Broken { depot, at, why } => format!(
                "The trace from {} breaks at {}: {}.",
                s.depots[*depot].name,
                place(*at),
                match why {
                    Break::EnemyUnit => "an enemy unit stands there",
                    Break::EnemyGround => "the enemy holds that ground",
                    Break::EnemyZoneOfControl =>
                        "it lies next to an enemy unit (zone of control) and no unit of yours holds it",
                }
            ),
            Trace::NoDepot => "No depot of its side is left that could reach it.".to_string(),
        }
    }
}
