//! Movement: what entering a hex costs, zones of control, stacking, and the hexes a unit
//! can reach.
//!
//! Costs belong to hex sides (a road or a river runs along a side, not inside a hex), so
//! reach and paths come from a Dijkstra search over sides here; hexx's
//! `field_of_movement` prices hexes only.

use crate::scenario::ids::SideId;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use crate::geo::Offset;
use crate::scenario::Scenario;
use crate::scenario::model::edge_key;

use super::state::{Board, Forces, SupplyLevel, UnitState};

/// Movement points to step from `a` to its neighbour `b`, ignoring units; `None` if impassable.
pub fn step_cost(s: &Scenario, board: &Board, a: Offset, b: Offset) -> Option<u32> {
    let key = edge_key(a, b);
    let base = if s.road_edges.contains(&key) {
        s.rules.road_move_cost
    } else {
        s.terrain_at(b).move_cost
    };
    let river = match s.river_edges.get(&key) {
        None => 0,
        Some(e) => {
            let r = &s.rivers[e.river];
            match e
                .crossing
                .map(|c| (&s.crossings[c], board.crossing_intact[c]))
            {
                Some((x, true)) => match x.kind {
                    crate::scenario::raw::CrossingKind::Bridge => 0,
                    crate::scenario::raw::CrossingKind::Ford => r.ford_cost,
                },
                _ => r.crossing_cost?,
            }
        }
    };
    Some(base + river)
}

/// For one side: which hexes hold enemy units, and which lie in an enemy zone of control
/// (a hex next to an enemy unit).
#[derive(Debug, Clone)]
pub struct Threats {
    /// Row-major: an enemy unit stands here.
    pub enemy_unit: Vec<bool>,
    /// Row-major: next to an enemy unit (or on one).
    pub enemy_zoc: Vec<bool>,
    /// Row-major: own units here.
    pub own_units: Vec<u32>,
    /// Row-major: an enemy unit within the rules' `contested_radius`.
    pub contested: Vec<bool>,
}

impl Threats {
    /// Threats to `side` as the forces stand.
    pub fn for_side(s: &Scenario, forces: &Forces, side: SideId) -> Self {
        let n = (s.frame.columns * s.frame.rows) as usize;
        let mut t = Threats {
            enemy_unit: vec![false; n],
            enemy_zoc: vec![false; n],
            own_units: vec![0; n],
            contested: super::ground::enemy_within(s, forces, side, s.rules.contested_radius),
        };
        for u in forces.units.iter().filter(|u| u.active()) {
            let i = s.index(u.hex);
            if u.side == side {
                t.own_units[i] += 1;
            } else {
                t.enemy_unit[i] = true;
                t.enemy_zoc[i] = true;
                for nb in s.neighbours(u.hex) {
                    t.enemy_zoc[s.index(nb)] = true;
                }
            }
        }
        t
    }
}

/// Movement points a unit has today: its allowance, cut by poor supply and low readiness.
pub fn allowance(s: &Scenario, u: &UnitState) -> u32 {
    let spec = &s.units[u.id];
    let supply = match u.supply {
        SupplyLevel::Supplied => 1.0,
        SupplyLevel::Short => 0.85,
        SupplyLevel::OutOfSupply => 0.6,
    };
    let readiness = 0.6 + 0.4 * u.readiness;
    ((f64::from(spec.movement) * supply * readiness).floor() as u32).max(1)
}

/// The hexes a unit can end its move in, with the cost and the hex it came from.
#[derive(Debug, Clone, Default)]
pub struct Reach {
    /// Cost to reach each hex and the previous hex on the cheapest path.
    pub cost: BTreeMap<Offset, (u32, Offset)>,
}

impl Reach {
    /// The cheapest path from the start to `to`, both included.
    pub fn path(&self, start: Offset, to: Offset) -> Option<Vec<Offset>> {
        let mut path = vec![to];
        let mut at = to;
        while at != start {
            let (_, prev) = self.cost.get(&at)?;
            at = *prev;
            path.push(at);
            if path.len() > self.cost.len() + 1 {
                return None;
            }
        }
        path.reverse();
        Some(path)
    }
}

/// Where a unit can go this phase. It may not enter hexes with enemy units; entering an
/// enemy zone of control ends the move; leaving one costs `zoc_cost` more. Stacking is
/// checked where the move ends ([`can_end_in`]); a unit may pass through a full hex.
pub fn reach(s: &Scenario, board: &Board, threats: &Threats, u: &UnitState, budget: u32) -> Reach {
    let mut best: BTreeMap<Offset, (u32, Offset)> = BTreeMap::new();
    let mut heap = BinaryHeap::new();
    best.insert(u.hex, (0, u.hex));
    heap.push(Reverse((0u32, u.hex)));
    let start_in_zoc = threats.enemy_zoc[s.index(u.hex)];
    while let Some(Reverse((cost, at))) = heap.pop() {
        if best.get(&at).is_some_and(|(c, _)| *c < cost) {
            continue;
        }
        // Entering a zone of control ends the move (the start hex excepted).
        if at != u.hex && threats.enemy_zoc[s.index(at)] {
            continue;
        }
        for nb in s.neighbours(at) {
            let i = s.index(nb);
            if threats.enemy_unit[i] {
                continue;
            }
            let Some(step) = step_cost(s, board, at, nb) else {
                continue;
            };
            let mut extra = if at == u.hex && start_in_zoc {
                s.rules.zoc_cost
            } else {
                0
            };
            // Contested enemy ground is slow going; uncontested, it is simply walked into.
            if threats.contested[i] && board.control[i].is_some_and(|c| c != u.side) {
                extra += s.rules.enemy_ground_cost;
            }
            let total = cost + step + extra;
            if total > budget {
                continue;
            }
            if best.get(&nb).is_none_or(|(c, _)| total < *c) {
                best.insert(nb, (total, at));
                heap.push(Reverse((total, nb)));
            }
        }
    }
    Reach { cost: best }
}

/// Whether `hex` is a legal place to end a move (as opposed to a hex only passed through).
pub fn can_end_in(s: &Scenario, threats: &Threats, u: &UnitState, hex: Offset) -> bool {
    hex == u.hex || threats.own_units[s.index(hex)] < s.rules.stacking_limit
}

/// Movement-point distance from every hex to the nearest of `goals`, over terrain alone
/// (units ignored), `u32::MAX` where none can be reached. Blocked hexes are never entered.
pub fn distance_field(
    s: &Scenario,
    board: &Board,
    goals: &[Offset],
    blocked: impl Fn(Offset) -> bool,
) -> Vec<u32> {
    let n = (s.frame.columns * s.frame.rows) as usize;
    let mut dist = vec![u32::MAX; n];
    let mut heap = BinaryHeap::new();
    for g in goals {
        if s.frame.contains(*g) {
            dist[s.index(*g)] = 0;
            heap.push(Reverse((0u32, *g)));
        }
    }
    while let Some(Reverse((d, at))) = heap.pop() {
        if d > dist[s.index(at)] {
            continue;
        }
        for nb in s.neighbours(at) {
            if blocked(nb) {
                continue;
            }
            // Distance toward the goal: the cost of stepping from nb to at.
            let Some(step) = step_cost(s, board, nb, at) else {
                continue;
            };
            let nd = d.saturating_add(step);
            let i = s.index(nb);
            if nd < dist[i] {
                dist[i] = nd;
                heap.push(Reverse((nd, nb)));
            }
        }
    }
    dist
}
