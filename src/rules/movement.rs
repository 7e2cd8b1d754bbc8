//! Movement: what entering a hex costs, zones of control, stacking, and the hexes a unit
//! can reach.
//!
//! Costs belong to hex sides (a road or a river runs along a side, not inside a hex), so
//! reach and paths come from a Dijkstra search over sides here; hexx's
//! `field_of_movement` prices hexes only.

use crate::scenario::ids::SideId;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::geo::Offset;
use crate::scenario::Scenario;
use crate::scenario::model::HexSide;

use super::state::{Board, Forces, SupplyLevel, UnitState};

/// Movement points to step from `a` to its neighbour `b`, ignoring units; `None` if impassable.
pub fn step_cost(s: &Scenario, board: &Board, a: Offset, b: Offset) -> Option<u32> {
    let to = s.index(b) as u32;
    let side = s.hex_sides[s.index(a)].iter().find(|x| x.to == to)?;
    crossing_cost(s, board, side, side.base)
}

/// What crossing a hex side costs: `base` (the side's [`HexSide::base`] one way, or
/// [`HexSide::back`] the other) plus the river along it, if any, as its crossing stands;
/// `None` if impassable.
#[inline]
pub fn crossing_cost(s: &Scenario, board: &Board, side: &HexSide, base: u32) -> Option<u32> {
    if side.river == HexSide::NONE {
        return Some(base);
    }
    let r = &s.rivers[side.river as usize];
    let c = side.crossing as usize;
    let river = if side.crossing != HexSide::NONE && board.crossing_intact[c] {
        match s.crossings[c].kind {
            crate::scenario::raw::CrossingKind::Bridge => 0,
            crate::scenario::raw::CrossingKind::Ford => r.ford_cost,
        }
    } else {
        r.crossing_cost?
    };
    Some(base + river)
}

/// For one side: which hexes hold enemy units, which lie in an enemy zone of control (a
/// hex next to an enemy unit), which are contested, and how many of its own units stand
/// in each hex.
///
/// The enemy's part depends only on where the enemy's units stand, which does not change
/// while a side moves: it is computed once for those positions and shared (kept per
/// thread for the last few positions asked about), so that the many moves of a phase do
/// not each recompute it over the whole map.
#[derive(Debug, Clone)]
pub struct Threats {
    /// Row-major: an enemy unit stands here.
    pub enemy_unit: Arc<Vec<bool>>,
    /// Row-major: next to an enemy unit (or on one).
    pub enemy_zoc: Arc<Vec<bool>>,
    /// Own units in each hex (row-major index).
    pub own_units: OwnUnits,
    /// Row-major: an enemy unit within the rules' `contested_radius`.
    pub contested: Arc<Vec<bool>>,
}

/// How many of a side's units stand in each hex, indexed by the hex's row-major index:
/// `own_units[i]`. Only the hexes with units are kept.
#[derive(Debug, Clone, Default)]
pub struct OwnUnits(Vec<(usize, u32)>);

impl std::ops::Index<usize> for OwnUnits {
    type Output = u32;
    fn index(&self, i: usize) -> &u32 {
        match self.0.binary_search_by_key(&i, |(h, _)| *h) {
            Ok(k) => &self.0[k].1,
            Err(_) => &0,
        }
    }
}

/// The enemy's part of [`Threats`], and the positions it was computed for.
#[derive(Debug)]
struct EnemyThreats {
    /// Map size and contested radius, the side, and the enemy units' hexes in unit order.
    key: (i32, i32, u32, SideId, Vec<usize>),
    enemy_unit: Arc<Vec<bool>>,
    enemy_zoc: Arc<Vec<bool>>,
    contested: Arc<Vec<bool>>,
}

thread_local! {
    static ENEMY_THREATS: std::cell::RefCell<Vec<Arc<EnemyThreats>>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

impl Threats {
    /// Threats to `side` as the forces stand.
    pub fn for_side(s: &Scenario, forces: &Forces, side: SideId) -> Self {
        let mut own: Vec<(usize, u32)> = Vec::new();
        let mut enemies = Vec::new();
        for u in forces.units.iter().filter(|u| u.active()) {
            let i = s.index(u.hex);
            if u.side == side {
                own.push((i, 1));
            } else {
                enemies.push(i);
            }
        }
        own.sort_unstable();
        own.dedup_by(|later, first| {
            let same = later.0 == first.0;
            if same {
                first.1 += later.1;
            }
            same
        });
        let key = (
            s.frame.columns,
            s.frame.rows,
            s.rules.contested_radius,
            side,
            enemies,
        );
        let enemy = ENEMY_THREATS.with_borrow_mut(|cache| {
            if let Some(e) = cache.iter().find(|e| e.key == key) {
                return e.clone();
            }
            let e = Arc::new(enemy_threats(s, forces, side, key));
            // The last positions of each side are what the next calls ask about.
            if cache.len() >= 4 {
                cache.remove(0);
            }
            cache.push(e.clone());
            e
        });
        Threats {
            enemy_unit: enemy.enemy_unit.clone(),
            enemy_zoc: enemy.enemy_zoc.clone(),
            own_units: OwnUnits(own),
            contested: enemy.contested.clone(),
        }
    }
}

fn enemy_threats(
    s: &Scenario,
    forces: &Forces,
    side: SideId,
    key: (i32, i32, u32, SideId, Vec<usize>),
) -> EnemyThreats {
    let n = s.terrain.len();
    let mut enemy_unit = vec![false; n];
    let mut enemy_zoc = vec![false; n];
    for &i in &key.4 {
        enemy_unit[i] = true;
        enemy_zoc[i] = true;
        for hs in &s.hex_sides[i] {
            if hs.to != HexSide::OFF_MAP {
                enemy_zoc[hs.to as usize] = true;
            }
        }
    }
    EnemyThreats {
        enemy_unit: Arc::new(enemy_unit),
        enemy_zoc: Arc::new(enemy_zoc),
        contested: Arc::new(super::ground::enemy_within(
            s,
            forces,
            side,
            s.rules.contested_radius,
        )),
        key,
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
    // Hexes of equal cost leave the queue in the order of their offsets (column, then
    // row), which decides between paths of equal cost.
    let rows = s.frame.rows as u32;
    let key = |i: usize| {
        let o = s.offset(i);
        o.col as u32 * rows + o.row as u32
    };
    super::search::with_scratch(s.terrain.len(), |sc| {
        let start = s.index(u.hex);
        sc.improve(start, 0, start, key(start));
        let start_in_zoc = threats.enemy_zoc[start];
        while let Some((cost, at)) = sc.pop() {
            // Entering a zone of control ends the move (the start hex excepted).
            if at != start && threats.enemy_zoc[at] {
                continue;
            }
            for hs in &s.hex_sides[at] {
                if hs.to == HexSide::OFF_MAP {
                    continue;
                }
                let i = hs.to as usize;
                if threats.enemy_unit[i] {
                    continue;
                }
                let Some(step) = crossing_cost(s, board, hs, hs.base) else {
                    continue;
                };
                let mut extra = if at == start && start_in_zoc {
                    s.rules.zoc_cost
                } else {
                    0
                };
                // Contested enemy ground is slow going; uncontested, it is simply walked into.
                if threats.contested[i] && board.control[i].is_some_and(|c| c != u.side) {
                    extra += s.rules.enemy_ground_cost;
                }
                let total = cost + step + extra;
                if total <= budget {
                    sc.improve(i, total, at, key(i));
                }
            }
        }
        Reach {
            cost: sc
                .touched()
                .iter()
                .map(|&i| (s.offset(i), (sc.dist(i), s.offset(sc.prev(i)))))
                .collect(),
        }
    })
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
    distance_field_for(s, board, goals, |i| blocked(s.offset(i)), None)
}

/// [`distance_field`] with the blocked hexes by row-major index, needed only at the hexes
/// marked in `needed` (row-major): the search stops once they are all settled, and the
/// hexes farther from the goals than the farthest of them are left at `u32::MAX`. `None`:
/// every hex.
pub fn distance_field_for(
    s: &Scenario,
    board: &Board,
    goals: &[Offset],
    blocked: impl Fn(usize) -> bool,
    needed: Option<&[bool]>,
) -> Vec<u32> {
    let n = s.terrain.len();
    let mut waiting = needed.map_or(usize::MAX, |m| m.iter().filter(|x| **x).count());
    super::search::with_distances(n, s.longest_step, |sc| {
        for g in goals.iter().filter(|g| s.frame.contains(**g)) {
            let i = s.index(*g);
            sc.improve(i, 0, i, i as u32);
        }
        while let Some((d, at)) = sc.pop() {
            if let Some(m) = needed
                && m[at]
            {
                waiting -= 1;
                if waiting == 0 {
                    break;
                }
            }
            for hs in &s.hex_sides[at] {
                if hs.to == HexSide::OFF_MAP {
                    continue;
                }
                let i = hs.to as usize;
                if blocked(i) {
                    continue;
                }
                // Distance toward the goal: the cost of stepping from there to here.
                let Some(step) = crossing_cost(s, board, hs, hs.back) else {
                    continue;
                };
                sc.improve(i, d.saturating_add(step), at, i as u32);
            }
        }
        let mut dist = vec![u32::MAX; n];
        for &i in sc.touched() {
            dist[i] = sc.dist(i);
        }
        // Stopped early: what was found but not settled may not be the shortest.
        if waiting == 0 {
            while let Some((_, i)) = sc.pop() {
                dist[i] = u32::MAX;
            }
        }
        dist
    })
}
