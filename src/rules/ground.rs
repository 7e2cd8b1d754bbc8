//! Who holds the ground: contested hexes, ground claimed as units arrive, and ground cut
//! off from its side's supply.
//!
//! - **Contested**: a hex within `contested_radius` of an enemy unit. Entering enemy ground
//!   there costs `enemy_ground_cost` more (see `movement::reach`). A move takes the hex
//!   where it ends and the hexes on its way that no enemy unit stands next to.
//! - **Claimed**: at each day's end, a hex no unit stands on passes to the side whose
//!   nearest able unit (not routed) that moved or attacked today is within
//!   `claim_radius` (in steps over land: a claim crosses a river only by a standing
//!   bridge or ford) and strictly nearer than any such unit of the side holding it; a hex
//!   with a unit is its side's. Ground behind a withdrawal is so ceded as the enemy
//!   arrives, and not before; a front where nobody moves stays where the scenario drew it.
//! - **Isolated**: in a side's supply phase, ground it holds that it cannot trace over its
//!   own ground to its supply network (its depots and the nodes where its supply enters),
//!   and that none of its units stands on, passes to the side around it (Unity of Command
//!   II and War in the East 2 treat isolated ground the same way).

use std::collections::VecDeque;

use crate::geo::{Offset, offset_to_hex};
use crate::scenario::Scenario;
use crate::scenario::ids::SideId;
use crate::scenario::model::HexSide;

use super::events::GameEvent;
use bevy::prelude::*;

use super::state::{Board, Depots, Forces, HighCommand, Posture, ScenarioRes, UnitState};

/// Row-major: whether a unit of a side other than `side` stands within `radius` hexes.
pub fn enemy_within(s: &Scenario, forces: &Forces, side: SideId, radius: u32) -> Vec<bool> {
    within(
        s,
        forces
            .units
            .iter()
            .filter(|u| u.active() && u.side != side)
            .map(super::state::UnitState::hex),
        radius,
    )
}

/// The row-major indices of the hexes on the map within `radius` hexes of `centre`, row
/// by row (in no order the callers rely on).
///
/// Each row of a disc of hexes is a run of columns: in axial coordinates (`q`, row) the
/// hexes within `r` of the centre lie, `dr` rows from it, between `q0 - r - min(dr, 0)`
/// and `q0 + r - max(dr, 0)`, and odd rows (shifted half a hex east) turn `q` into a
/// column as hexx does. So a disc is a few ranges of indices, clipped to the map, with no
/// conversion per hex.
pub fn indices_within(s: &Scenario, centre: Offset, radius: u32) -> impl Iterator<Item = usize> {
    let (cols, rows) = (i64::from(s.frame.columns), i64::from(s.frame.rows));
    let (col, row0) = (i64::from(centre.col), i64::from(centre.row));
    let r = i64::from(radius);
    let column_of = |q: i64, row: i64| q + (row - (row & 1)) / 2;
    let q0 = col - (row0 - (row0 & 1)) / 2;
    // Only the rows on the map.
    ((-r).max(-row0)..=r.min(rows - 1 - row0))
        .filter_map(move |dr| {
            let row = row0 + dr;
            let lo = column_of(q0 - r - dr.min(0), row).max(0);
            let hi = column_of(q0 + r - dr.max(0), row).min(cols - 1);
            let first = row * cols;
            (lo <= hi).then(|| (first + lo) as usize..(first + hi) as usize + 1)
        })
        .flatten()
}

/// Whether hexes lie within reach of some centres (a grouping's units, the eyes of a side),
/// each centre with its own radius, for asking it of many hexes: each hex against each
/// centre when there are few of either; else the hexes near the centres listed once, each
/// question then a look-up.
#[derive(Debug, Clone)]
pub struct Near {
    centres: Vec<(hexx::Hex, u32)>,
    /// Row-major indices, sorted, when listed.
    listed: Option<Vec<usize>>,
}

impl Near {
    /// Near `centres`, all within the same `radius`, to be asked about some `questions`
    /// hexes.
    pub fn new(s: &Scenario, centres: &[Offset], radius: u32, questions: usize) -> Self {
        let centres: Vec<(Offset, u32)> = centres.iter().map(|c| (*c, radius)).collect();
        Near::each(s, &centres, questions)
    }

    /// Near the hexes of `units` (a grouping's, say), within `radius`.
    pub fn units(s: &Scenario, units: &[&UnitState], radius: u32, questions: usize) -> Self {
        let hexes: Vec<Offset> = units.iter().map(|u| u.hex()).collect();
        Near::new(s, &hexes, radius, questions)
    }

    /// Near `centres`, each within its own radius, to be asked about some `questions`
    /// hexes.
    pub fn each(s: &Scenario, centres: &[(Offset, u32)], questions: usize) -> Self {
        let around: usize = centres
            .iter()
            .map(|(_, r)| 3 * *r as usize * (*r as usize + 1) + 1)
            .sum();
        // Listing costs about four comparisons' worth a hex listed.
        let listed = (questions * centres.len() > 4 * around).then(|| {
            let mut hexes: Vec<usize> = centres
                .iter()
                .flat_map(|(c, r)| indices_within(s, *c, *r))
                .collect();
            hexes.sort_unstable();
            hexes.dedup();
            hexes
        });
        Near {
            centres: centres
                .iter()
                .map(|(c, r)| (offset_to_hex(*c), *r))
                .collect(),
            listed,
        }
    }

    /// Whether `hex` (on the map) lies within the radius of a centre.
    pub fn contains(&self, s: &Scenario, hex: Offset) -> bool {
        if let Some(hexes) = &self.listed {
            return hexes.binary_search(&s.index(hex)).is_ok();
        }
        let h = offset_to_hex(hex);
        self.centres
            .iter()
            .any(|(c, r)| c.unsigned_distance_to(h) <= *r)
    }
}

/// Row-major: whether one of `centres` lies within `radius` hexes.
pub fn within(s: &Scenario, centres: impl Iterator<Item = Offset>, radius: u32) -> Vec<bool> {
    let mut near = vec![false; s.terrain.len()];
    for c in centres {
        for i in indices_within(s, c, radius) {
            near[i] = true;
        }
    }
    near
}

/// The hexes within `steps` steps of `from` over land, with their distance in steps: a
/// step may cross a river only by a standing bridge or ford, so a claim stops at a river
/// whose crossing is blown or absent (the far bank is the enemy's until a unit crosses).
fn over_land(s: &Scenario, board: &Board, from: Offset, steps: u32) -> Vec<(Offset, u32)> {
    let mut seen = vec![(from, 0)];
    let mut queue = VecDeque::from([(from, 0)]);
    while let Some((at, d)) = queue.pop_front() {
        if d == steps {
            continue;
        }
        for n in s.neighbours(at) {
            if seen.iter().any(|(o, _)| *o == n) || !dry_step(s, board, at, n) {
                continue;
            }
            seen.push((n, d + 1));
            queue.push_back((n, d + 1));
        }
    }
    seen
}

/// Whether the step from `a` to its neighbour `b` crosses no river, or crosses it by a
/// bridge or ford that stands.
fn dry_step(s: &Scenario, board: &Board, a: Offset, b: Offset) -> bool {
    s.river_edges
        .get(&crate::scenario::model::edge_key(a, b))
        .is_none_or(|e| e.crossing.is_some_and(|c| board.crossing_usable(c)))
}

/// The day's end: occupied hexes are their occupant's; other hexes within `claim_radius`
/// of a side's able units pass to the side with the strictly nearest unit, if the holder's
/// own units are farther.
pub fn consolidate(s: &Scenario, board: &mut Board, forces: &Forces, command: &HighCommand) {
    let n = board.control.len();
    let radius = s.rules.claim_radius;
    // For each side, the distance from each hex to its nearest able unit (within radius).
    let mut nearest: Vec<Vec<u32>> = vec![vec![u32::MAX; n]; s.sides.len()];
    let mut occupied: Vec<Option<SideId>> = vec![None; n];
    for u in forces.units.iter().filter(|u| u.active()) {
        occupied[s.index(u.hex())] = Some(u.side);
        // Ground changes hands as units arrive: a unit that has neither moved nor attacked
        // today, or whose grouping is falling back or delaying, claims only its own hex.
        let leaving = command.withdrawals[u.grouping].is_some()
            || command.posture[u.grouping] == Posture::Delay;
        let reach =
            if u.readiness >= s.rules.routed_readiness && (u.moved || u.attacked) && !leaving {
                radius
            } else {
                0
            };
        for (o, d) in over_land(s, board, u.hex(), reach) {
            let best = &mut nearest[u.side][s.index(o)];
            *best = (*best).min(d);
        }
    }
    for i in 0..n {
        if let Some(side) = occupied[i] {
            board.control[i] = Some(side);
            continue;
        }
        let best = (0..s.sides.len())
            .map(|k| nearest[k][i])
            .min()
            .unwrap_or(u32::MAX);
        if best == u32::MAX {
            continue;
        }
        let mut closest = (0..s.sides.len()).filter(|k| nearest[*k][i] == best);
        let (Some(claimant), None) = (closest.next(), closest.next()) else {
            continue; // two sides as near: contested, it stays as it is
        };
        let claimant = SideId(claimant);
        let holder_distance = board.control[i].map_or(u32::MAX, |h| nearest[h][i]);
        if board.control[i] != Some(claimant) && best < holder_distance {
            board.control[i] = Some(claimant);
        }
    }
}

/// The hexes `side`'s supply starts from: its active depots and the nodes where its
/// supply enters the network.
fn supply_network(s: &Scenario, depots: &Depots, side: SideId) -> Vec<Offset> {
    let depots = depots.serving(s, side).map(|d| s.depots[d].hex);
    let sources = s
        .sources
        .iter()
        .filter(|x| x.side == side)
        .map(|x| s.rail_nodes[x.node].hex);
    depots.chain(sources).collect()
}

/// The row-major indices of a hex's neighbours on the map, from the table of hex sides.
fn neighbours(s: &Scenario, i: usize) -> impl Iterator<Item = usize> + '_ {
    s.hex_sides[i]
        .iter()
        .filter(|hs| hs.to != HexSide::OFF_MAP)
        .map(|hs| hs.to as usize)
}

/// Row-major: the hexes `side` holds that it can trace over its own ground to its supply
/// network (its active depots and the nodes where its supply enters). `None` when it has
/// no network left on ground it holds.
pub fn traced(s: &Scenario, board: &Board, depots: &Depots, side: SideId) -> Option<Vec<bool>> {
    const OWN: u8 = 1;
    const TRACED: u8 = 2;
    let starts: Vec<Offset> = supply_network(s, depots, side)
        .into_iter()
        .filter(|h| board.control[s.index(*h)] == Some(side))
        .collect();
    if starts.is_empty() {
        return None;
    }
    // A flood fill over a byte a hex (0: not the side's, 1: its own, 2: traced), read
    // from the board once in order, on a grid with a border of hexes nobody holds so that
    // every hex has six neighbours at fixed steps: a flood over half of a big map then
    // stays within a small array, where reading each hex's holder and sides as it went
    // missed the caches at every step. Which hexes are reached does not depend on the
    // order they are visited in.
    let cols = s.frame.columns.max(0) as usize;
    let w = cols + 2;
    let mut ground = vec![0u8; w * (s.frame.rows.max(0) as usize + 2)];
    for (r, row) in board.control.chunks(cols.max(1)).enumerate() {
        let first = (r + 1) * w + 1;
        for (g, c) in ground[first..first + row.len()].iter_mut().zip(row) {
            if *c == Some(side) {
                *g = OWN;
            }
        }
    }
    // (Index on the grid, row on the map.)
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for h in starts {
        let (r, c) = (h.row as usize, h.col as usize);
        let i = (r + 1) * w + c + 1;
        if ground[i] != TRACED {
            ground[i] = TRACED;
            stack.push((i, r));
        }
    }
    while let Some((at, r)) = stack.pop() {
        // Odd rows are shifted half a hex east: the rows above and below meet the
        // columns `c - 1` and `c` from an even row, `c` and `c + 1` from an odd one.
        let o = r % 2;
        let six = [
            (at - 1, r),
            (at + 1, r),
            (at - w - 1 + o, r.wrapping_sub(1)),
            (at - w + o, r.wrapping_sub(1)),
            (at + w - 1 + o, r + 1),
            (at + w + o, r + 1),
        ];
        for (i, ri) in six {
            if ground[i] == OWN {
                ground[i] = TRACED;
                stack.push((i, ri));
            }
        }
    }
    let mut traced = Vec::with_capacity(board.control.len());
    for r in 0..board.control.len() / cols.max(1) {
        let first = (r + 1) * w + 1;
        traced.extend(ground[first..first + cols].iter().map(|g| *g == TRACED));
    }
    Some(traced)
}

/// `side`'s phase: ground it holds but cannot trace over its own ground to its supply
/// network, with none of its units on it, passes to the side holding most of the ground
/// around each such pocket. Returns the event, if any ground changed hands.
pub fn isolate(
    s: &Scenario,
    board: &mut Board,
    forces: &Forces,
    depots: &Depots,
    side: SideId,
) -> Vec<GameEvent> {
    let n = board.control.len();
    let Some(traced) = traced(s, board, depots, side) else {
        // A side with no supply network left has nothing to trace from: its ground is
        // taken as the enemy arrives, not all at once.
        return Vec::new();
    };
    let mut stack: Vec<usize> = Vec::new();
    let mut manned = vec![false; n];
    for u in forces.units.iter().filter(|u| u.active() && u.side == side) {
        manned[s.index(u.hex())] = true;
    }
    // Each pocket (a connected piece of untraced ground) goes whole to one side.
    let mut seen = vec![false; n];
    let mut lost: Vec<(SideId, u32)> = Vec::new();
    let mut pocket: Vec<usize> = Vec::new();
    for i in 0..n {
        if seen[i] || traced[i] || board.control[i] != Some(side) {
            continue;
        }
        pocket.clear();
        let mut around = vec![0u32; s.sides.len()];
        seen[i] = true;
        stack.push(i);
        while let Some(at) = stack.pop() {
            pocket.push(at);
            for j in neighbours(s, at) {
                match board.control[j] {
                    Some(c) if c == side && !seen[j] && !traced[j] => {
                        seen[j] = true;
                        stack.push(j);
                    }
                    Some(c) if c != side => around[c] += 1,
                    _ => {}
                }
            }
        }
        let Some(to) = (0..s.sides.len())
            .filter(|k| around[*k] > 0)
            .max_by_key(|k| (around[*k], std::cmp::Reverse(*k)))
            .map(SideId)
        else {
            continue;
        };
        let mut count = 0;
        for &j in &pocket {
            if !manned[j] {
                board.control[j] = Some(to);
                count += 1;
            }
        }
        if count > 0 {
            match lost.iter_mut().find(|(t, _)| *t == to) {
                Some((_, c)) => *c += count,
                None => lost.push((to, count)),
            }
        }
    }
    lost.into_iter()
        .map(|(to, hexes)| GameEvent::GroundIsolated {
            side,
            to,
            hexes,
            km2: (f64::from(hexes) * s.frame.hex_area_km2()).round(),
        })
        .collect()
}

/// The day's end: ground changes hands around the units ([`consolidate`]).
pub(super) fn consolidate_control(
    scenario: Res<ScenarioRes>,
    mut board: ResMut<Board>,
    forces: Res<Forces>,
    command: Res<HighCommand>,
) {
    consolidate(&scenario.0, &mut board, &forces, &command);
}

/// Equipment left on ground the enemy now stands on or holds is captured.
pub(super) fn capture_caches(
    scenario: Res<ScenarioRes>,
    mut board: ResMut<Board>,
    forces: Res<Forces>,
    mut out: MessageWriter<GameEvent>,
) {
    let s = &scenario.0;
    let caches = std::mem::take(&mut board.caches);
    for c in caches {
        let captor = forces
            .in_hex(c.hex)
            .find(|u| u.side != c.side)
            .map(|u| u.side)
            .or(board.control[s.index(c.hex)].filter(|h| *h != c.side));
        if let Some(by) = captor {
            out.write(GameEvent::EquipmentCaptured {
                by,
                from: c.side,
                unit: c.unit,
                hex: (c.hex.col, c.hex.row),
                items: c.items,
            });
        } else {
            board.caches.push(c);
        }
    }
}
