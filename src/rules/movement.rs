//! Movement: what entering a hex costs, zones of control, stacking, and the hexes a unit
//! can reach.
//!
//! Costs belong to hex sides (a road or a river runs along a side, not inside a hex), so
//! reach and paths come from a Dijkstra search over sides here; hexx's
//! `field_of_movement` prices hexes only.

use crate::scenario::ids::SideId;
use std::sync::Arc;

use crate::geo::Offset;
use crate::scenario::Scenario;
use crate::scenario::model::HexSide;

use super::state::{Board, Forces, JournalMark, Moved, SupplyLevel, UnitState};

/// Movement points to step from `a` to its neighbour `b`, ignoring units; `None` if impassable.
pub fn step_cost(s: &Scenario, board: &Board, a: Offset, b: Offset) -> Option<u32> {
    let to = s.index(b) as u32;
    let side = s.hex_sides[s.index(a)].iter().find(|x| x.to == to)?;
    crossing_cost(s, board, side, side.base)
}

/// Movement points for a unit to step from `a` to its neighbour `b`, ignoring units, a
/// crossing that has taken its units for the day counting as none; `None` if impassable.
pub fn unit_step_cost(s: &Scenario, board: &Board, a: Offset, b: Offset) -> Option<u32> {
    let to = s.index(b) as u32;
    let side = s.hex_sides[s.index(a)].iter().find(|x| x.to == to)?;
    unit_crossing_cost(s, board, side, side.base)
}

/// [`crossing_cost`] for a unit crossing today: a crossing that has taken as many units
/// as its `units_per_day` counts as none (the river's own `crossing_cost`, or impassable).
#[inline]
pub fn unit_crossing_cost(s: &Scenario, board: &Board, side: &HexSide, base: u32) -> Option<u32> {
    if side.crossing != HexSide::NONE && board.crossing_full(s, side.crossing as usize) {
        let r = &s.rivers[side.river as usize];
        return r.crossing_cost.map(|c| base + c);
    }
    crossing_cost(s, board, side, base)
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
    let river = if side.crossing != HexSide::NONE && board.crossing_usable(c) {
        s.crossings[c].kind.cost(r.ford_cost)
    } else {
        r.crossing_cost?
    };
    Some(base + river)
}

/// For one side: which hexes hold enemy units, which lie in an enemy zone of control (a
/// hex next to an enemy unit), which are contested, and how many of its own units stand
/// in each hex.
///
/// Where the units stand changes one unit at a time (a move, a retreat), and the many
/// checks and choices of a phase ask about the same positions again and again: so each
/// side's counts are kept per thread for the last few positions asked about, shared by
/// every caller with those positions, and brought up to date by the units that moved
/// since, instead of being recomputed over the whole map.
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
/// `own_units[i]`.
#[derive(Debug, Clone, Default)]
pub struct OwnUnits(Arc<Vec<u32>>);

impl std::ops::Index<usize> for OwnUnits {
    type Output = u32;
    fn index(&self, i: usize) -> &u32 {
        &self.0[i]
    }
}

/// Where each unit stands, in unit order: its hex's row-major index and its side, packed
/// by [`placed`]; [`NOWHERE`] for a unit not on the map.
type Placements = Vec<u64>;

/// A unit not on the map.
const NOWHERE: u64 = u64::MAX;

/// A unit of `side` on `hex` (`None`: not on the map), packed as `index << 16 | side`.
fn placed(s: &Scenario, hex: Option<Offset>, side: SideId) -> u64 {
    hex.map_or(NOWHERE, |h| {
        (s.index(h) as u64) << 16 | (side.0 as u64 & 0xffff)
    })
}

fn placements(s: &Scenario, forces: &Forces) -> Placements {
    forces
        .units
        .iter()
        .map(|u| placed(s, u.active().then(|| u.hex()), u.side))
        .collect()
}

/// Some units' hexes counted: how many stand on each hex, how many next to it or on it,
/// and how many within a radius; and whether each count is above zero, to share.
#[derive(Debug)]
struct Presence {
    /// Map size, radius, the side that counts (own units) or that is threatened (enemy
    /// units), and which of the two.
    key: (i32, i32, u32, SideId, bool),
    /// Where every unit stood when counted.
    at: Placements,
    /// The place in the forces' journal the counts stand at, when they were last brought
    /// up to date from it.
    mark: Option<JournalMark>,
    on: Vec<u32>,
    next_to: Vec<u32>,
    near: Vec<u32>,
    on_any: Arc<Vec<bool>>,
    next_to_any: Arc<Vec<bool>>,
    near_any: Arc<Vec<bool>>,
    own: Arc<Vec<u32>>,
}

impl Presence {
    fn new(s: &Scenario, key: (i32, i32, u32, SideId, bool), units: usize) -> Self {
        let n = s.terrain.len();
        // Own units are only counted; the enemy's are also looked for next to and near.
        let (own, enemy) = if key.4 { (n, 0) } else { (0, n) };
        Presence {
            key,
            at: vec![NOWHERE; units],
            mark: None,
            on: vec![0; enemy],
            next_to: vec![0; enemy],
            near: vec![0; enemy],
            on_any: Arc::new(vec![false; enemy]),
            next_to_any: Arc::new(vec![false; enemy]),
            near_any: Arc::new(vec![false; enemy]),
            own: Arc::new(vec![0; own]),
        }
    }

    /// Counts the units placed at `at` instead of those counted now, found by comparing
    /// every unit's placement.
    fn update(&mut self, s: &Scenario, at: &[u64]) {
        let changed: Vec<(usize, u64)> = self
            .at
            .iter()
            .zip(at)
            .enumerate()
            .filter(|(_, (was, is))| was != is)
            .map(|(unit, (_, is))| (unit, *is))
            .collect();
        self.apply(s, changed);
    }

    /// Brings the counts up to date by the moves noted in the forces' journal since.
    fn replay(&mut self, s: &Scenario, forces: &Forces, moves: &[Moved]) {
        let changes = moves.iter().map(|m| {
            let side = forces.units[m.unit].side;
            (m.unit.0, placed(s, m.is, side))
        });
        self.apply(s, changes);
    }

    /// Places each unit named (by its index) where the changes say, in order, and counts
    /// it there instead of where it was.
    fn apply(&mut self, s: &Scenario, changes: impl IntoIterator<Item = (usize, u64)>) {
        let own = self.key.4;
        let radius = self.key.2;
        let mut changes = changes.into_iter().peekable();
        if changes.peek().is_none() {
            return;
        }
        let mut own_counts = own.then(|| Arc::make_mut(&mut self.own));
        let mut enemy = (!own).then(|| {
            (
                Arc::make_mut(&mut self.on_any),
                Arc::make_mut(&mut self.next_to_any),
                Arc::make_mut(&mut self.near_any),
            )
        });
        let count = |counts: &mut Vec<u32>, any: &mut Vec<bool>, i: usize, add: bool| {
            if add {
                counts[i] += 1;
            } else {
                counts[i] -= 1;
            }
            any[i] = counts[i] > 0;
        };
        let key = self.key;
        let counted = |placed: u64| {
            if placed == NOWHERE {
                return None;
            }
            let of_side = (placed & 0xffff) as usize == key.3.0;
            (of_side == key.4).then_some((placed >> 16) as usize)
        };
        for (unit, is) in changes {
            let was = std::mem::replace(&mut self.at[unit], is);
            for (hex, add) in [(counted(was), false), (counted(is), true)] {
                let Some(hex) = hex else { continue };
                if let Some(counts) = own_counts.as_deref_mut() {
                    if add {
                        counts[hex] += 1;
                    } else {
                        counts[hex] -= 1;
                    }
                    continue;
                }
                let Some((on_any, next_to_any, near_any)) = enemy.as_mut() else {
                    continue;
                };
                count(&mut self.on, on_any, hex, add);
                count(&mut self.next_to, next_to_any, hex, add);
                for hs in &s.hex_sides[hex] {
                    if hs.to != HexSide::OFF_MAP {
                        count(&mut self.next_to, next_to_any, hs.to as usize, add);
                    }
                }
                for i in super::ground::indices_within(s, s.offset(hex), radius) {
                    count(&mut self.near, near_any, i, add);
                }
            }
        }
    }
}

thread_local! {
    static PRESENCE: std::cell::RefCell<Vec<Presence>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The last few positions of each side are what the next calls ask about.
const KEPT_POSITIONS: usize = 8;

/// The counts of the units as `forces` places them: those kept at the same place in its
/// journal; or else those kept at an earlier place of it, brought up to date by the moves
/// since; or else those kept with the same key last used, brought up to date by comparing
/// every unit's placement (another forces, or a journal started again).
fn presence<T>(
    s: &Scenario,
    key: (i32, i32, u32, SideId, bool),
    forces: &Forces,
    read: impl FnOnce(&Presence) -> T,
) -> T {
    let mark = forces.mark();
    let units = forces.units.len();
    PRESENCE.with_borrow_mut(|kept| {
        let same = |p: &Presence| p.key == key && p.at.len() == units;
        // The last used first: most calls ask about the positions of the call before.
        let k = if let Some(k) = kept.iter().rposition(|p| same(p) && p.mark == Some(mark)) {
            k
        } else if let Some((k, moves)) = kept.iter().enumerate().rev().find_map(|(k, p)| {
            let moves = p
                .mark
                .filter(|_| same(p))
                .and_then(|m| forces.moves_since(m))?;
            Some((k, moves))
        }) {
            kept[k].replay(s, forces, moves);
            kept[k].mark = Some(mark);
            k
        } else {
            let k = if let Some(k) = kept.iter().rposition(same) {
                k
            } else {
                if kept.len() >= KEPT_POSITIONS {
                    kept.remove(0);
                }
                kept.push(Presence::new(s, key, units));
                kept.len() - 1
            };
            kept[k].update(s, &placements(s, forces));
            kept[k].mark = Some(mark);
            k
        };
        debug_assert!(
            kept[k].at == placements(s, forces),
            "a unit's hex or status changed without Forces::place or Forces::set_status"
        );
        // The last used last: the one to bring up to date next time.
        let p = kept.remove(k);
        kept.push(p);
        read(kept.last().expect("just pushed"))
    })
}

impl Threats {
    /// Threats to `side` as the forces stand.
    pub fn for_side(s: &Scenario, forces: &Forces, side: SideId) -> Self {
        let (columns, rows) = (s.frame.columns, s.frame.rows);
        let own_units = presence(s, (columns, rows, 0, side, true), forces, |p| p.own.clone());
        let radius = s.rules.contested_radius;
        presence(s, (columns, rows, radius, side, false), forces, |p| {
            Threats {
                enemy_unit: p.on_any.clone(),
                enemy_zoc: p.next_to_any.clone(),
                own_units: OwnUnits(own_units),
                contested: p.near_any.clone(),
            }
        })
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    /// Cost to reach each hex and the previous hex on the cheapest path.
    pub cost: HexCosts,
}

/// Hexes with the cost of reaching each and the hex it was reached from: a map by hex, kept
/// as a list in the order of the hexes (as a `BTreeMap` would iterate), found by binary
/// search. A reach is built once and read a few times; a list builds in a fraction of the
/// time of a tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HexCosts(Vec<(Offset, (u32, Offset))>);

impl HexCosts {
    /// From entries in any order, each hex once.
    fn new(mut entries: Vec<(Offset, (u32, Offset))>) -> Self {
        entries.sort_unstable_by_key(|e| e.0);
        HexCosts(entries)
    }

    /// The cost of reaching `hex` and the hex it was reached from.
    pub fn get(&self, hex: &Offset) -> Option<&(u32, Offset)> {
        self.0
            .binary_search_by_key(hex, |e| e.0)
            .ok()
            .map(|k| &self.0[k].1)
    }

    /// Whether `hex` is reached.
    pub fn contains_key(&self, hex: &Offset) -> bool {
        self.get(hex).is_some()
    }

    /// The hexes reached, in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Offset> + ExactSizeIterator {
        self.0.iter().map(|e| &e.0)
    }

    /// The hexes reached, in order, with their cost and the hex each was reached from.
    pub fn iter(
        &self,
    ) -> impl DoubleEndedIterator<Item = (&Offset, &(u32, Offset))> + ExactSizeIterator {
        self.0.iter().map(|e| (&e.0, &e.1))
    }

    /// How many hexes are reached.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
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

impl<'a> IntoIterator for &'a HexCosts {
    type Item = (&'a Offset, &'a (u32, Offset));
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Offset, (u32, Offset))>,
        fn(&'a (Offset, (u32, Offset))) -> (&'a Offset, &'a (u32, Offset)),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|e| (&e.0, &e.1))
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
        let start = s.index(u.hex());
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
                let Some(step) = unit_crossing_cost(s, board, hs, hs.base) else {
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
            cost: HexCosts::new(
                sc.touched()
                    .iter()
                    .map(|&i| (s.offset(i), (sc.dist(i), s.offset(sc.prev(i)))))
                    .collect(),
            ),
        }
    })
}

/// Whether `hex` is a legal place to end a move (as opposed to a hex only passed through).
pub fn can_end_in(s: &Scenario, threats: &Threats, u: &UnitState, hex: Offset) -> bool {
    hex == u.hex() || threats.own_units[s.index(hex)] < s.rules.stacking_limit
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

/// The hexes where a distance field must be exact: marked by row-major index, and listed
/// in the order first marked.
#[derive(Debug, Clone)]
pub struct Needed {
    mask: Vec<bool>,
    list: Vec<usize>,
}

impl Needed {
    /// None yet, on a map of `n` hexes.
    pub fn new(n: usize) -> Self {
        Needed {
            mask: vec![false; n],
            list: Vec::new(),
        }
    }

    /// Marks hex `i` as needed.
    pub fn insert(&mut self, i: usize) {
        if !self.mask[i] {
            self.mask[i] = true;
            self.list.push(i);
        }
    }

    /// Whether hex `i` is needed.
    pub fn contains(&self, i: usize) -> bool {
        self.mask[i]
    }

    /// The hexes needed, in the order first marked.
    pub fn hexes(&self) -> &[usize] {
        &self.list
    }
}

/// [`distance_field`] with the blocked hexes by row-major index, needed only at the hexes
/// in `needed`: the search stops once they are all settled, or all those it can reach
/// (below), and the hexes farther from the goals than the farthest of them are left at
/// `u32::MAX`. `None`: every hex.
///
/// A needed hex in a pocket the goals cannot reach (own ground ringed by the enemy's, say)
/// is never settled, and waiting for it would make the search cover everything it can
/// reach: on a big map, half of it. So once the search has settled four times as many
/// hexes as are needed, and again each time that doubles, the needed hexes it has not
/// reached are flooded (connectivity only, as much as it has settled): a flood that
/// marks its whole pocket without meeting the search shows that no hex of the pocket
/// will be reached, and they are no longer waited for. The field is the same wherever
/// it is needed.
///
/// Toward the needed hexes, the search goes first (A*): it settles hexes in the order of
/// their distance plus a lower bound of the way still to go to the nearest needed hex
/// (the steps to the smallest hexagon that holds them all, at the cheapest step). A
/// bound that grows by no more than a step costs settles each hex at its distance, as
/// Dijkstra's order does, and leaves the ground beyond the goals, away from the needed
/// hexes, for last.
pub fn distance_field_for(
    s: &Scenario,
    board: &Board,
    goals: &[Offset],
    blocked: impl Fn(usize) -> bool,
    needed: Option<&Needed>,
) -> Vec<u32> {
    let n = s.terrain.len();
    let mut waiting = needed.map_or(usize::MAX, |m| m.hexes().len());
    let mut settled = 0usize;
    let mut next_check = needed.map_or(usize::MAX, |m| 4 * m.hexes().len().max(16));
    let bound = needed.and_then(|m| ToNeeded::new(s, m));
    let hex_of = |i: usize| hexx::Hex::from(s.axial[i]);
    let to_go = |h: hexx::Hex| bound.as_ref().map_or(0, |b| b.to_go(h));
    let seeds: Vec<(usize, u32)> = goals
        .iter()
        .filter(|g| s.frame.contains(**g))
        .map(|g| (s.index(*g), to_go(hex_of(s.index(*g)))))
        .collect();
    // The ring of buckets spans the orders waiting at once: the goals' bounds, and a
    // step and a change of bound beyond the order being settled.
    let span = seeds.iter().map(|g| g.1).max().unwrap_or(0)
        + s.longest_step
        + bound.as_ref().map_or(0, |b| b.step);
    super::search::with_distances(n, span, |sc| {
        for &(i, order) in &seeds {
            sc.improve_ordered(i, 0, order);
        }
        // Whether each flood of this search settled its hexes (found a pocket, or met
        // the search), by id less `first_flood`.
        let mut first_flood = None;
        let mut settled_floods: Vec<bool> = Vec::new();
        while let Some((d, at)) = sc.pop_ordered() {
            if let Some(m) = needed {
                if m.contains(at) {
                    waiting -= 1;
                    if waiting == 0 {
                        break;
                    }
                }
                settled += 1;
                if settled == next_check {
                    next_check = next_check.saturating_mul(2);
                    waiting -= seal_pockets(
                        s,
                        board,
                        sc,
                        m,
                        &blocked,
                        settled,
                        &mut first_flood,
                        &mut settled_floods,
                    );
                    if waiting == 0 {
                        break;
                    }
                }
            }
            let here = bound.as_ref().map(|_| hex_of(at));
            for (k, hs) in s.hex_sides[at].iter().enumerate() {
                if hs.to == HexSide::OFF_MAP {
                    continue;
                }
                let i = hs.to as usize;
                // Distance toward the goal: the cost of stepping from there to here.
                let Some(step) = crossing_cost(s, board, hs, hs.back) else {
                    continue;
                };
                let to_here = d.saturating_add(step);
                // (Whether the hex is blocked only for a shorter way: most sides lead
                // back to hexes already settled.)
                if to_here >= sc.dist(i) || blocked(i) {
                    continue;
                }
                // The sides run in hexx's order of neighbours.
                let order = here.map_or(to_here, |h| {
                    to_here.saturating_add(to_go(h + hexx::Hex::NEIGHBORS_COORDS[k]))
                });
                sc.improve_ordered(i, to_here, order);
            }
        }
        let mut dist = vec![u32::MAX; n];
        for &i in sc.touched() {
            dist[i] = sc.dist(i);
        }
        // Stopped early: what was found but not settled may not be the shortest.
        if waiting == 0 {
            while let Some((_, i)) = sc.pop_ordered() {
                dist[i] = u32::MAX;
            }
        }
        dist
    })
}

/// For [`distance_field_for`]: a lower bound of the distance from a hex to the nearest
/// needed hex, the steps to the smallest hexagon (in cube coordinates) holding them all,
/// each at the cheapest step. One step changes it by at most one cheapest step.
struct ToNeeded {
    /// The least and greatest of each cube coordinate (x, y, z) over the needed hexes.
    min: [i32; 3],
    max: [i32; 3],
    /// The cheapest step.
    step: u32,
}

impl ToNeeded {
    fn new(s: &Scenario, needed: &Needed) -> Option<Self> {
        let mut b = ToNeeded {
            min: [i32::MAX; 3],
            max: [i32::MIN; 3],
            step: s.shortest_step,
        };
        for &i in needed.hexes() {
            let h = hexx::Hex::from(s.axial[i]);
            for (k, c) in [h.x, h.y, -h.x - h.y].into_iter().enumerate() {
                b.min[k] = b.min[k].min(c);
                b.max[k] = b.max[k].max(c);
            }
        }
        (!needed.hexes().is_empty()).then_some(b)
    }

    fn to_go(&self, h: hexx::Hex) -> u32 {
        let mut gap = 0;
        for (k, c) in [h.x, h.y, -h.x - h.y].into_iter().enumerate() {
            gap = gap.max(self.min[k] - c).max(c - self.max[k]);
        }
        (gap as u32).saturating_mul(self.step)
    }
}

/// For [`distance_field_for`]: floods from the needed hexes the search has not reached,
/// within `budget` hexes in all, and returns how many needed hexes the floods found in
/// pockets the search cannot reach, each counted once over the search (`settled_floods`
/// keeps whether each flood of the search settled its hexes, by id less `first_flood`).
#[allow(clippy::too_many_arguments)]
fn seal_pockets(
    s: &Scenario,
    board: &Board,
    sc: &mut super::search::Scratch,
    needed: &Needed,
    blocked: impl Fn(usize) -> bool,
    mut budget: usize,
    first_flood: &mut Option<u32>,
    settled_floods: &mut Vec<bool>,
) -> usize {
    use super::search::Flood;
    let mut sealed = 0;
    for &h in needed.hexes() {
        if sc.dist(h) != u32::MAX {
            continue;
        }
        // Already in a pocket, or already known to meet the search.
        let mark = sc.flood_mark(h);
        if let Some(first) = *first_flood
            && mark >= first
            && settled_floods[(mark - first) as usize]
        {
            continue;
        }
        // The steps the search takes, either way (a river without a crossing bars both).
        let steps = |at: usize| {
            s.hex_sides[at].iter().filter_map(|hs| {
                (hs.to != HexSide::OFF_MAP && crossing_cost(s, board, hs, hs.back).is_some())
                    .then_some(hs.to as usize)
            })
        };
        let (how, id) = sc.flood(h, budget, |i| !blocked(i), steps);
        let first = *first_flood.get_or_insert(id);
        let slot = (id - first) as usize;
        if settled_floods.len() <= slot {
            settled_floods.resize(slot + 1, false);
        }
        match how {
            Flood::TooBig => break,
            Flood::Joins => settled_floods[slot] = true,
            Flood::Sealed => {
                settled_floods[slot] = true;
                sealed += sc
                    .flood_region()
                    .iter()
                    .filter(|&&i| needed.contains(i as usize))
                    .count();
            }
        }
        budget = budget.saturating_sub(sc.flood_region().len());
        if budget == 0 {
            break;
        }
    }
    sealed
}

/// Whether a way leads from `from` to any of `goals` over hexes not blocked (the goal
/// entered last excepted): the same as [`distance_field_for`]`(s, board, goals, blocked,
/// ..)[from] != u32::MAX`, found by searching from `from` instead, which stops at the first
/// goal it finds rather than covering the ground between every goal and `from`.
pub fn leads_to(
    s: &Scenario,
    board: &Board,
    from: Offset,
    goals: &[Offset],
    blocked: impl Fn(usize) -> bool,
) -> bool {
    let goal = sorted_indices(s, goals);
    let is_goal = |i: usize| goal.binary_search(&i).is_ok();
    let start = s.index(from);
    if is_goal(start) {
        return true;
    }
    if blocked(start) || goal.is_empty() {
        return false;
    }
    super::search::with_distances(s.terrain.len(), s.longest_step, |sc| {
        sc.improve(start, 0, start, start as u32);
        while let Some((d, at)) = sc.pop() {
            for hs in &s.hex_sides[at] {
                if hs.to == HexSide::OFF_MAP {
                    continue;
                }
                let i = hs.to as usize;
                // The step from here to there, as the field prices it from there.
                let Some(step) = crossing_cost(s, board, hs, hs.base) else {
                    continue;
                };
                if is_goal(i) {
                    return true;
                }
                if !blocked(i) {
                    sc.improve(i, d.saturating_add(step), at, i as u32);
                }
            }
        }
        false
    })
}

/// The row-major indices of those of `hexes` on the map, sorted (to look hexes up in).
pub fn sorted_indices(s: &Scenario, hexes: &[Offset]) -> Vec<usize> {
    let mut indices: Vec<usize> = hexes
        .iter()
        .filter(|h| s.frame.contains(**h))
        .map(|h| s.index(*h))
        .collect();
    indices.sort_unstable();
    indices
}
