//! Checking an order: a pure function of the state, one per kind of order, dispatched from
//! one `match` in [`check`]. The AI and the window use the same checks as the rules apply.

use crate::geo::Offset;
use crate::scenario::Scenario;
use crate::scenario::ids::{DepotId, GroupingId, SideId, UnitId};
use crate::scenario::model::Target;
use crate::scenario::raw::UnitKind;

use super::combat;
use super::movement::{self, Threats};
use super::orders::{Order, Refusal};
use super::state::{Board, Forces, UnitState};

/// A unit of `side` on the map.
fn unit_of(forces: &Forces, side: SideId, id: UnitId) -> Result<&UnitState, Refusal> {
    let u = forces.units.get(id.0).ok_or(Refusal::NoSuchUnit(id))?;
    if u.side != side {
        return Err(Refusal::NotYours(id));
    }
    if !u.active() {
        return Err(Refusal::NotOnMap(id));
    }
    Ok(u)
}

/// A unit of `side` that may still move today, to a hex on the map.
fn mover<'a>(
    s: &Scenario,
    forces: &'a Forces,
    side: SideId,
    id: UnitId,
    to: Offset,
) -> Result<&'a UnitState, Refusal> {
    let u = unit_of(forces, side, id)?;
    if u.moved {
        return Err(Refusal::AlreadyMoved(id));
    }
    if u.attacked {
        return Err(Refusal::AttackedCannotMove(id));
    }
    if !s.frame.contains(to) {
        return Err(Refusal::OffMap(to));
    }
    Ok(u)
}

/// A move checked: what it costs and the way it takes (from the unit's hex to where it
/// ends, both included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedMove {
    /// Movement points.
    pub cost: u32,
    /// The cheapest way there, the one the unit takes.
    pub path: Vec<Offset>,
    /// Row-major: the hexes next to enemy units when it was checked (the way does not
    /// take them, the hex where it ends excepted).
    pub enemy_zoc: std::sync::Arc<Vec<bool>>,
}

/// Checks a move of a unit of `side` to `to` as [`check`] does, and says the way it
/// takes, for [`super::execute::apply_move`].
pub fn check_move(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    side: SideId,
    unit: UnitId,
    to: Offset,
) -> Result<CheckedMove, Refusal> {
    check_move_in(s, board, forces, side, unit, to, None)
}

/// [`check_move`], with the unit's reach if it has been found already (by
/// [`super::march::unit_reach`], on the same board and forces).
pub fn check_move_in(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    side: SideId,
    unit: UnitId,
    to: Offset,
    reach: Option<&movement::Reach>,
) -> Result<CheckedMove, Refusal> {
    let u = mover(s, forces, side, unit, to)?;
    let threats = Threats::for_side(s, forces, side);
    if threats.enemy_unit[s.index(to)] {
        return Err(Refusal::EnemyHolds(to));
    }
    let budget = movement::allowance(s, u);
    let found;
    let reach = if let Some(r) = reach {
        r
    } else {
        found = movement::reach(s, board, &threats, u, budget);
        &found
    };
    let Some((cost, _)) = reach.cost.get(&to) else {
        return Err(beyond_full_crossing(s, board, &threats, u, budget, to)
            .unwrap_or(Refusal::OutOfReach { to, budget }));
    };
    if !movement::can_end_in(s, &threats, u, to) {
        return Err(Refusal::Stacked {
            to,
            limit: s.rules.stacking_limit,
        });
    }
    let path = reach.path(u.hex(), to).unwrap_or_else(|| vec![u.hex(), to]);
    Ok(CheckedMove {
        cost: *cost,
        path,
        enemy_zoc: threats.enemy_zoc.clone(),
    })
}

/// Why a hex out of reach would be in reach but for a crossing that has taken its units
/// for the day: the first such crossing on the way the unit would take, if any.
fn beyond_full_crossing(
    s: &Scenario,
    board: &Board,
    threats: &Threats,
    u: &crate::rules::state::UnitState,
    budget: u32,
    to: Offset,
) -> Option<Refusal> {
    if !(0..s.crossings.len()).any(|c| board.crossing_full(s, c)) {
        return None;
    }
    let mut open = board.clone();
    open.crossing_units.clear();
    let path = movement::reach(s, &open, threats, u, budget).path(u.hex(), to)?;
    path.windows(2).find_map(|w| {
        let c = s
            .river_edges
            .get(&crate::scenario::model::edge_key(w[0], w[1]))?
            .crossing?;
        board.crossing_full(s, c).then_some(Refusal::CrossingFull {
            to,
            crossing: crate::scenario::ids::CrossingId(c),
        })
    })
}

/// Checks an order for the side whose phase it is. On success, a move returns its cost.
pub fn check(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    side: SideId,
    order: &Order,
) -> Result<u32, Refusal> {
    match order {
        Order::Move { unit, to } => check_move(s, board, forces, side, *unit, *to).map(|m| m.cost),
        Order::Attack { attackers, target } => {
            check_attack(s, board, forces, side, attackers, *target).map(|()| 0)
        }
        Order::Hold { unit } => check_hold(forces, side, *unit).map(|()| 0),
        Order::RailMove { unit, to } => {
            check_rail_move(s, board, forces, side, *unit, *to).map(|_| 0)
        }
        Order::FirstCall { depot, .. } => check_first_call(s, board, side, *depot).map(|()| 0),
        Order::Withdraw { grouping } | Order::StandFast { grouping } => {
            check_grouping_order(s, side, *grouping).map(|()| 0)
        }
        Order::Strike { assets, target } => {
            check_strike(s, board, forces, side, *assets, *target).map(|()| 0)
        }
    }
}

/// The hexes a strike on `target` may be aimed at: a crossing's or depot's hex, any hex of
/// a railway.
pub fn target_hexes(s: &Scenario, target: Target) -> Vec<Offset> {
    match target {
        Target::Crossing(c) => s.crossings.get(c).map(|x| vec![x.hex]).unwrap_or_default(),
        Target::Link(l) => s
            .rail_links
            .get(l)
            .map(|x| x.hexes.clone())
            .unwrap_or_default(),
        Target::Depot(d) => s.depots.get(d).map(|x| vec![x.hex]).unwrap_or_default(),
        Target::Node(n) => s.rail_nodes.get(n).map(|x| vec![x.hex]).unwrap_or_default(),
    }
}

/// Hexes from the nearest of `side`'s units on the map to the nearest hex of `target`
/// (`u32::MAX` with no unit on the map).
pub fn strike_distance(s: &Scenario, forces: &Forces, side: SideId, target: Target) -> u32 {
    let hexes = target_hexes(s, target);
    forces
        .units
        .iter()
        .filter(|u| u.active() && u.side == side)
        .flat_map(|u| {
            hexes
                .iter()
                .map(move |h| crate::rules::combat::hexes_apart(u.hex(), *h))
        })
        .min()
        .unwrap_or(u32::MAX)
}

/// Whether `target` is the enemy's, for `side`: a standing crossing whose hex an enemy
/// holds, a railway an enemy works, a depot or rail node whose hex an enemy holds.
pub fn enemy_target(s: &Scenario, board: &Board, side: SideId, target: Target) -> bool {
    let enemy_at = |h: Offset| board.control[s.index(h)].is_some_and(|c| c != side);
    match target {
        Target::Crossing(c) => {
            c < s.crossings.len() && board.crossing_intact[c] && enemy_at(s.crossings[c].hex)
        }
        Target::Link(l) => board
            .rail
            .get(l)
            .is_some_and(|r| r.operator.is_some_and(|o| o != side)),
        Target::Depot(d) => d < s.depots.len() && enemy_at(s.depots[d].hex),
        Target::Node(n) => n < s.rail_nodes.len() && enemy_at(s.rail_nodes[n].hex),
    }
}

/// A strike: assets of `side` in action today with a strike left, that strike this kind
/// of target, at an enemy target within their range of the side's nearest unit.
pub fn check_strike(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    side: SideId,
    assets: usize,
    target: Target,
) -> Result<(), Refusal> {
    let Some(a) = s.strike_assets.get(assets).filter(|a| a.side == side) else {
        return Err(Refusal::NoSuchAssets(assets));
    };
    // (Out of action today counts as every strike used: see the day's start.)
    let used = board.strikes_used.get(assets).copied().unwrap_or(0);
    if used >= a.per_day {
        return Err(Refusal::NoStrikesLeft(assets));
    }
    if a.harm_to(target).is_none() {
        return Err(Refusal::CannotStrike(assets));
    }
    if !enemy_target(s, board, side, target) {
        return Err(Refusal::NotAnEnemyTarget);
    }
    if strike_distance(s, forces, side, target) > a.range {
        return Err(Refusal::OutOfStrikeRange {
            assets,
            range: a.range,
        });
    }
    Ok(())
}

/// An attack: at least one unit, each of `side`, named once, not yet attacked today, not
/// routed, next to the target over a side it can cross (or artillery within range of it,
/// beside at least one unit next to it); enemies in the target.
pub fn check_attack(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    side: SideId,
    attackers: &[UnitId],
    target: Offset,
) -> Result<(), Refusal> {
    if attackers.is_empty() {
        return Err(Refusal::NoAttackers);
    }
    if !s.frame.contains(target) {
        return Err(Refusal::OffMap(target));
    }
    if !forces.in_hex(target).any(|u| u.side != side) {
        return Err(Refusal::NoEnemy(target));
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut assault = false;
    for a in attackers {
        let u = unit_of(forces, side, *a)?;
        if !seen.insert(*a) {
            return Err(Refusal::NamedTwice(*a));
        }
        if u.attacked {
            return Err(Refusal::AlreadyAttacked(*a));
        }
        if u.readiness < s.rules.routed_readiness {
            return Err(Refusal::Routed(*a));
        }
        if combat::fires_from_afar(s, u, target) {
            continue;
        }
        if !s.neighbours(u.hex()).any(|n| n == target) {
            return Err(
                if s.units[u.id].kind == UnitKind::Artillery && s.rules.artillery_range > 1 {
                    Refusal::BeyondRange {
                        unit: *a,
                        target,
                        range: s.rules.artillery_range,
                    }
                } else {
                    Refusal::NotNextTo(*a, target)
                },
            );
        }
        if movement::step_cost(s, board, u.hex(), target).is_none() {
            return Err(Refusal::CannotCross(*a, target));
        }
        assault = true;
    }
    if !assault {
        return Err(Refusal::NoAssault(target));
    }
    Ok(())
}

/// A unit of `side` that has not moved today holds.
pub fn check_hold(forces: &Forces, side: SideId, unit: UnitId) -> Result<(), Refusal> {
    let u = unit_of(forces, side, unit)?;
    if u.moved {
        return Err(Refusal::AlreadyMoved(unit));
    }
    Ok(())
}

/// A move by rail: from a station its side holds, not next to the enemy, over lines open
/// to its side with room for it today, to a station where it may stand. Returns the lines
/// it takes.
pub fn check_rail_move(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    side: SideId,
    unit: UnitId,
    to: Offset,
) -> Result<Vec<usize>, Refusal> {
    let u = mover(s, forces, side, unit, to)?;
    let threats = Threats::for_side(s, forces, side);
    let at_station =
        s.rail_nodes.iter().any(|n| n.hex == u.hex()) && !threats.enemy_zoc[s.index(u.hex())];
    if !at_station {
        return Err(Refusal::NotAtStation(unit));
    }
    if !movement::can_end_in(s, &threats, u, to) {
        return Err(Refusal::Stacked {
            to,
            limit: s.rules.stacking_limit,
        });
    }
    rail_way(s, board, forces, unit, to).ok_or(Refusal::NoRailWay(unit, to))
}

/// First call on the trains, for a depot whose hex `side` holds (depots change hands with
/// their hex: a side's depots are the ones it holds).
pub fn check_first_call(
    s: &Scenario,
    board: &Board,
    side: SideId,
    depot: DepotId,
) -> Result<(), Refusal> {
    let d = s.depots.get(depot.0).ok_or(Refusal::NoSuchDepot(depot))?;
    if board.control[s.index(d.hex)] != Some(side) {
        return Err(Refusal::DepotNotYours(depot));
    }
    Ok(())
}

/// An order to a grouping (to fall back, or to stand fast): one of `side`'s, with a
/// fallback line in the scenario.
pub fn check_grouping_order(
    s: &Scenario,
    side: SideId,
    grouping: GroupingId,
) -> Result<(), Refusal> {
    let g = s
        .groupings
        .get(grouping.0)
        .ok_or(Refusal::NoSuchGrouping(grouping))?;
    if g.side != side {
        return Err(Refusal::GroupingNotYours(grouping));
    }
    if g.fallback.is_empty() {
        return Err(Refusal::NoFallback(grouping));
    }
    Ok(())
}

/// Tonnes of each line's day a unit takes to go by rail.
pub fn rail_weight(s: &Scenario, u: &UnitState) -> u64 {
    (f64::from(s.units[u.id].supply_use) * u.strength * s.rules.rail_move_days).round() as u64
}

/// The stations a unit could reach by rail today, with the lines it would take: over
/// links open to its side (worked by it, not cut, not wrecked; lorry hauls carry no
/// units), each with room for the unit after today's supply and earlier rail moves, to
/// stations whose hex its side holds and no enemy stands next to. Fewest lines first.
pub fn rail_destinations(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    unit: UnitId,
) -> Vec<(Offset, Vec<usize>)> {
    let u = &forces.units[unit];
    let side = u.side;
    let Some(start) = s.rail_nodes.iter().position(|n| n.hex == u.hex()) else {
        return Vec::new();
    };
    let threats = Threats::for_side(s, forces, side);
    let weight = rail_weight(s, u);
    let usable: Vec<usize> = (0..s.rail_links.len())
        .filter(|l| {
            let link = &s.rail_links[*l];
            let used = board.link_flow[side][*l] + board.rail_moves.get(*l).copied().unwrap_or(0);
            link.mode == crate::scenario::raw::LinkMode::Rail
                && super::track::open_for(s, board, side, *l)
                && board.link_cut_by[side][*l].is_none()
                && u64::from(link.capacity) >= used + weight
        })
        .collect();
    // Breadth first over stations, the lowest link index first (the same way each time).
    let mut via: Vec<Option<Vec<usize>>> = vec![None; s.rail_nodes.len()];
    via[start] = Some(Vec::new());
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        for &l in &usable {
            let link = &s.rail_links[l];
            let next = if link.from == n {
                link.to
            } else if link.to == n {
                link.from
            } else {
                continue;
            };
            let hex = s.rail_nodes[next].hex;
            let i = s.index(hex);
            if via[next].is_some() || board.control[i] != Some(side) || threats.enemy_zoc[i] {
                continue;
            }
            let mut path = via[n].clone().unwrap_or_default();
            path.push(l);
            via[next] = Some(path);
            queue.push_back(next);
        }
    }
    via.into_iter()
        .enumerate()
        .filter(|(n, p)| *n != start && p.is_some())
        .filter_map(|(n, p)| p.map(|p| (s.rail_nodes[n].hex, p)))
        .collect()
}

/// The lines a unit would take by rail to `to`, if it can go.
pub fn rail_way(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    unit: UnitId,
    to: Offset,
) -> Option<Vec<usize>> {
    rail_destinations(s, board, forces, unit)
        .into_iter()
        .find(|(h, _)| *h == to)
        .map(|(_, p)| p)
}
