//! The last mile of supply: from each depot over its side's ground, within the depot's
//! range, to the units; each unit draws from the depot that reaches it most cheaply, gets
//! its share of what the depot holds, and feels it.

use crate::geo::Offset;
use crate::scenario::Scenario;
use crate::scenario::ids::{CrossingId, DepotId, SideId};
use crate::scenario::model::HexSide;

use crate::rules::events::GameEvent;
use crate::rules::movement::{Threats, crossing_cost};
use crate::rules::state::{Board, Depots, Forces, SupplyLevel, UnitState};

/// What a unit needs per day, tonnes.
pub fn need(s: &Scenario, u: &UnitState) -> f64 {
    f64::from(s.units[u.id].supply_use) * u.strength
}

/// The hexes a depot at `from` reaches within `range` movement points, over its side's
/// ground, not through enemy units, and not past an enemy zone of control its side's
/// units do not hold: each hex's row-major index with its cost, in the order reached.
pub fn depot_reach(
    s: &Scenario,
    board: &Board,
    threats: &Threats,
    side: SideId,
    from: Offset,
    range: u32,
) -> Vec<(usize, u32)> {
    let mut reached = Vec::new();
    depot_search(s, board, threats, side, from, range, |i, cost| {
        reached.push((i, cost));
        true
    });
    reached
}

/// The search of [`depot_reach`]: `settle(hex, cost)` is told each hex reached, in order
/// of cost, and says whether the search goes on from there.
fn depot_search(
    s: &Scenario,
    board: &Board,
    threats: &Threats,
    side: SideId,
    from: Offset,
    range: u32,
    mut settle: impl FnMut(usize, u32) -> bool,
) {
    crate::rules::search::with_distances(s.terrain.len(), s.longest_step, |sc| {
        let start = s.index(from);
        sc.improve(start, 0, start, start as u32);
        while let Some((cost, at)) = sc.pop() {
            if !settle(at, cost) {
                continue;
            }
            if at != start && threats.enemy_zoc[at] && threats.own_units[at] == 0 {
                continue;
            }
            for hs in &s.hex_sides[at] {
                if hs.to == HexSide::OFF_MAP {
                    continue;
                }
                let i = hs.to as usize;
                if threats.enemy_unit[i] || board.control[i].is_some_and(|c| c != side) {
                    continue;
                }
                let Some(step) = crossing_cost(s, board, hs, hs.base) else {
                    continue;
                };
                let total = cost.saturating_add(step);
                if total <= range {
                    sc.improve(i, total, at, i as u32);
                }
            }
        }
    });
}

/// What the units of a side ask of their depots today.
#[derive(Debug, Clone, Default)]
pub struct Asked {
    /// Tonnes, by depot.
    pub demand: Vec<f64>,
    /// For each unit (by its place in [`Forces::units`]) the crossing with a limit its
    /// supply comes over, [`HexSide::NONE`] if none.
    pub via: Vec<u32>,
    /// Tonnes asked over each crossing by the units beyond it.
    pub over: Vec<f64>,
}

/// The crossings whose limit the last mile shares today: those usable with a
/// `tonnes_per_day` or damage (a crossing down or closed carries no last mile at all: its
/// way is barred).
pub fn last_mile_limited(s: &Scenario, board: &Board) -> Vec<bool> {
    s.crossings
        .iter()
        .enumerate()
        .map(|(c, x)| {
            (x.tonnes_per_day.is_some() || board.crossing_damage_of(c).is_some())
                && board.crossing_usable(c)
        })
        .collect()
}

/// The last mile: each unit of the side draws from the depot it reaches most cheaply.
/// Returns what each depot's units want today, tonnes, and what crosses where.
pub(super) fn last_mile(
    s: &Scenario,
    board: &Board,
    forces: &mut Forces,
    threats: &Threats,
    side: SideId,
    own_depots: &[usize],
) -> Asked {
    let limited = last_mile_limited(s, board);
    let any = limited.iter().any(|l| *l);
    let (nearest, via_hex) = nearest_depots_via(
        s,
        board,
        threats,
        side,
        own_depots,
        if any { &limited } else { &[] },
    );
    let mut asked = Asked {
        demand: vec![0.0f64; s.depots.len()],
        via: vec![HexSide::NONE; forces.units.len()],
        over: vec![0.0; s.crossings.len()],
    };
    for (k, u) in forces.units.iter_mut().enumerate() {
        if !(u.active() && u.side == side) {
            continue;
        }
        let at = s.index(u.hex());
        u.depot = nearest[at].map(|(_, d)| DepotId(d));
        if let Some(d) = u.depot {
            let need = f64::from(s.units[u.id].supply_use) * u.strength;
            asked.demand[d] += need;
            if let Some(&c) = via_hex.get(at).filter(|c| **c != HexSide::NONE) {
                asked.via[k] = c;
                asked.over[c as usize] += need;
            }
        }
    }
    asked
}

/// For each hex, the depot of `depots` (of `side`) that reaches it most cheaply within
/// its range, with that cost, the lower id at equal cost: where a unit standing there
/// draws from. The same as keeping the best of each depot's [`depot_reach`].
///
/// One search from every depot at once, its ways in order of cost and, at equal cost, of
/// depot: the first way to come to a hex is its nearest depot's. A way goes on from a
/// hex only with more range left than every way that came there before it: each of
/// those came at no more cost (or at equal cost from a lower depot) with no less range
/// left, so it reaches whatever this one would from there, at no more cost, and wins a
/// tie. So most hexes are settled once, where searching depot by depot settles the
/// ground between depots once for each.
pub fn nearest_depots(
    s: &Scenario,
    board: &Board,
    threats: &Threats,
    side: SideId,
    depots: &[usize],
) -> Vec<Option<(u32, usize)>> {
    nearest_depots_via(s, board, threats, side, depots, &[]).0
}

/// [`nearest_depots`], with the crossing marked in `limited` that the way from each hex's
/// depot first crosses, if any ([`HexSide::NONE`] if none): the crossings whose limit the
/// supply of a unit there shares.
pub fn nearest_depots_via(
    s: &Scenario,
    board: &Board,
    threats: &Threats,
    side: SideId,
    depots: &[usize],
    limited: &[bool],
) -> (Vec<Option<(u32, usize)>>, Vec<u32>) {
    thread_local! {
        /// The ways waiting, by cost, kept allocated between searches (each search
        /// empties them): depot, hex and the limited crossing crossed.
        static WAITING: std::cell::RefCell<Vec<Vec<(u32, u32, u32)>>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    /// What the search knows of one hex.
    #[derive(Clone, Copy, Default)]
    struct Mark {
        /// The most range left of the ways that came to it, plus one (0: none).
        best_left: u32,
        /// The last way sent to it: cost, depot, range left plus one (0: none).
        sent: (u32, u32, u32),
        /// The cost, plus one, of the ways last counted there, and their lowest depot.
        counted: u32,
        lowest: u32,
    }
    let is_limited =
        |c: u32| c != HexSide::NONE && limited.get(c as usize).copied().unwrap_or(false);
    let n = s.terrain.len();
    let mut nearest: Vec<Option<(u32, usize)>> = vec![None; n];
    let mut via = vec![HexSide::NONE; if limited.is_empty() { 0 } else { n }];
    let Some(longest) = depots.iter().map(|d| s.depots[*d].range).max() else {
        return (nearest, via);
    };
    let mut marks = vec![Mark::default(); n];
    let (enemy_unit, enemy_zoc, control): (&[bool], &[bool], &[Option<SideId>]) =
        (&threats.enemy_unit, &threats.enemy_zoc, &board.control);
    WAITING.with_borrow_mut(|waiting| {
        // By cost: (depot, hex). A step costs at least 1, so a cost's ways are all known
        // when the search comes to it.
        if waiting.len() <= longest as usize {
            waiting.resize_with(longest as usize + 1, Vec::new);
        }
        for &d in depots {
            waiting[0].push((d as u32, s.index(s.depots[d].hex) as u32, HexSide::NONE));
        }
        let mut later = Vec::new();
        for cost in 0..=longest {
            let mut ways = std::mem::take(&mut waiting[cost as usize]);
            // Ways to different hexes do not meet at this cost, and go in any order; of
            // two to one hex, the lower depot's goes first.
            let stamp = cost + 1;
            let mut meet = false;
            for &(d, at, _) in &ways {
                let m = &mut marks[at as usize];
                if m.counted == stamp {
                    meet = true;
                    m.lowest = m.lowest.min(d);
                } else {
                    m.counted = stamp;
                    m.lowest = d;
                }
            }
            if meet {
                later.clear();
                ways.retain(|&(d, at, over)| {
                    let first = d == marks[at as usize].lowest;
                    if !first {
                        later.push((d, at, over));
                    }
                    first
                });
                later.sort_unstable();
                ways.extend_from_slice(&later);
            }
            for &(d, at, over) in &ways {
                let (d, at) = (d as usize, at as usize);
                let depot = &s.depots[d];
                let left = depot.range - cost;
                if marks[at].best_left > left {
                    continue;
                }
                marks[at].best_left = left + 1;
                if nearest[at].is_none() {
                    nearest[at] = Some((cost, d));
                    if let Some(v) = via.get_mut(at) {
                        *v = over;
                    }
                }
                // No further through an enemy's zone of control that no unit of the
                // side holds (a depot's own hex excepted).
                if enemy_zoc[at] && threats.own_units[at] == 0 && at != s.index(depot.hex) {
                    continue;
                }
                for hs in &s.hex_sides[at] {
                    if hs.to == HexSide::OFF_MAP {
                        continue;
                    }
                    let i = hs.to as usize;
                    let Some(step) = crossing_cost(s, board, hs, hs.base) else {
                        continue;
                    };
                    let total = cost.saturating_add(step);
                    if total > depot.range {
                        continue;
                    }
                    let left = depot.range - total;
                    // A way that came there first, or will (at no more cost, from a lower
                    // depot at equal cost), with no less range left, reaches more.
                    let m = &mut marks[i];
                    let (their_cost, their_depot, their_left) = m.sent;
                    if m.best_left > left
                        || (their_left > left && (their_cost, their_depot) <= (total, d as u32))
                    {
                        continue;
                    }
                    // (Looked at last: most sides lead back to hexes already reached.)
                    if enemy_unit[i] || control[i].is_some_and(|c| c != side) {
                        continue;
                    }
                    m.sent = (total, d as u32, left + 1);
                    let over = if over == HexSide::NONE && is_limited(hs.crossing) {
                        hs.crossing
                    } else {
                        over
                    };
                    waiting[total as usize].push((d as u32, i as u32, over));
                }
            }
            ways.clear();
            waiting[cost as usize] = ways;
        }
    });
    (nearest, via)
}

/// Units draw their share of what their depot holds (and, beyond a crossing with a
/// limit, of what the crossing has left after the day's trains and lorries), and feel it:
/// readiness and, after some days out of supply, strength. Returns what each depot gave
/// out, tonnes.
pub(super) fn draw_supply(
    s: &Scenario,
    board: &Board,
    depots: &Depots,
    forces: &mut Forces,
    side: SideId,
    asked: &Asked,
    events: &mut Vec<GameEvent>,
) -> Vec<f64> {
    let demand = &asked.demand;
    let limits = super::trains::crossing_limits(s, board);
    let crossing_share: Vec<f64> = (0..s.crossings.len())
        .map(|c| {
            let left = limits[c].map_or(f64::INFINITY, |l| {
                l.saturating_sub(board.crossed_by(side, c)) as f64
            });
            if asked.over[c] > 0.0 {
                (left / asked.over[c]).min(1.0)
            } else {
                1.0
            }
        })
        .collect();
    let mut carried = vec![0.0f64; s.crossings.len()];
    let share: Vec<f64> = (0..s.depots.len())
        .map(|d| {
            if demand[d] > 0.0 {
                (depots.0[d].stock / demand[d]).min(1.0)
            } else {
                1.0
            }
        })
        .collect();
    let mut drawn = vec![0.0f64; s.depots.len()];
    let rules = &s.rules;
    for (k, u) in forces.units.iter_mut().enumerate() {
        if !(u.active() && u.side == side) {
            continue;
        }
        let over = asked.via.get(k).copied().unwrap_or(HexSide::NONE);
        let mut got = u.depot.map_or(0.0, |d| share[d]);
        if over != HexSide::NONE {
            got = got.min(crossing_share[over as usize]);
        }
        if let Some(d) = u.depot {
            let tonnes = f64::from(s.units[u.id].supply_use) * u.strength * got;
            drawn[d] += tonnes;
            if over != HexSide::NONE {
                carried[over as usize] += tonnes;
            }
        }
        let level = if got >= rules.supplied_share {
            SupplyLevel::Supplied
        } else if got >= rules.out_of_supply_share {
            SupplyLevel::Short
        } else {
            SupplyLevel::OutOfSupply
        };
        if level != u.supply {
            events.push(GameEvent::UnitSupplyChanged {
                unit: u.id,
                from: u.supply,
                to: level,
                depot: u.depot,
                share: (got * 100.0).round() / 100.0,
            });
        }
        u.supply = level;
        u.supply_share = got;
        let ceiling = s.units[u.id].readiness;
        match level {
            SupplyLevel::Supplied => {
                u.days_out = 0;
                u.readiness =
                    (u.readiness + rules.readiness_recovery).min(ceiling.max(u.readiness));
            }
            SupplyLevel::Short => {
                u.days_out = 0;
                u.readiness = (u.readiness
                    - rules.readiness_loss_short * (1.0 - got)
                        / (1.0 - rules.out_of_supply_share).max(0.01))
                .max(0.0);
            }
            SupplyLevel::OutOfSupply => {
                u.days_out += 1;
                u.readiness = (u.readiness - rules.readiness_loss_out).max(0.0);
                if u.days_out > rules.attrition_after_days {
                    u.strength = (u.strength * (1.0 - rules.attrition_per_day)).max(0.01);
                }
            }
        }
    }
    for (c, limit) in limits.iter().enumerate() {
        let by_links = board.crossed_by(side, c) as f64;
        let limited =
            s.crossings[c].tonnes_per_day.is_some() || board.crossing_damage_of(c).is_some();
        let Some(limit) = limit.filter(|_| limited) else {
            continue;
        };
        if by_links > 0.0 || asked.over[c] > 0.0 {
            events.push(GameEvent::CrossingSupply {
                crossing: CrossingId(c),
                side,
                by_links,
                last_mile: carried[c].round(),
                asked: asked.over[c].round(),
                limit: limit as f64,
            });
        }
    }
    drawn
}

/// Where each side's depots reach, as the last mile traces it: for every hex, the depot a
/// unit of the side holding it would draw from there, and the share of a unit's need that
/// depot can give today (all of it while it has stock; else what today's inflow covers).
/// `None` where no depot of the holder reaches.
pub fn supply_reach(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    depots: &Depots,
) -> Vec<Option<(DepotId, f64)>> {
    let mut best: Vec<Option<(u32, DepotId, f64)>> = vec![None; s.terrain.len()];
    for side in s.side_ids() {
        let threats = Threats::for_side(s, forces, side);
        for (d, depot) in s.depots.iter().enumerate() {
            let st = &depots.0[d];
            if depots.owner(s, d) != side || !st.active {
                continue;
            }
            let share = if st.stock >= 1.0 || st.demand <= 0.0 {
                1.0
            } else {
                (st.inflow / st.demand).clamp(0.0, 1.0)
            };
            for (i, cost) in depot_reach(s, board, &threats, side, depot.hex, depot.range) {
                if board.control[i] != Some(side) {
                    continue;
                }
                if best[i].is_none_or(|(c, dd, _)| (cost, DepotId(d)) < (c, dd)) {
                    best[i] = Some((cost, DepotId(d), share));
                }
            }
        }
    }
    best.into_iter()
        .map(|b| b.map(|(_, d, share)| (d, share)))
        .collect()
}
