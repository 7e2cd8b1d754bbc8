//! Orders: every change a player or an AI wants is an order, checked against the rules,
//! applied, and recorded. Checking is a pure function the AI and the window reuse.

use serde::{Deserialize, Serialize};

use crate::geo::Offset;
use crate::scenario::Scenario;
use crate::scenario::ids::{DepotId, GroupingId, SideId, UnitId};

use super::combat;
use super::events::GameEvent;
use super::movement::{self, Threats};
use super::state::{Board, Forces, UnitState};

/// An order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Order {
    /// Move a unit to a hex by the cheapest path.
    Move {
        /// The unit.
        unit: UnitId,
        /// Destination.
        to: Offset,
    },
    /// Attack the units in a hex with units next to it.
    Attack {
        /// The attacking units.
        attackers: Vec<UnitId>,
        /// The defenders' hex.
        target: Offset,
    },
    /// Order a grouping to fall back to its fallback line.
    Withdraw {
        /// The grouping.
        grouping: GroupingId,
    },
    /// A grouping falling back stops and holds where it stands (its situation recovered).
    StandFast {
        /// The grouping.
        grouping: GroupingId,
    },
    /// Give a depot first call on its side's trains (or take it back): when the lines
    /// cannot bring every depot what it asks, depots with first call are served first.
    FirstCall {
        /// The depot.
        depot: DepotId,
        /// First call or not.
        first: bool,
    },
    /// Move a unit by rail from the station it stands at to another its side holds, over
    /// lines open to its side with capacity left today.
    RailMove {
        /// The unit.
        unit: UnitId,
        /// The hex of the station it goes to.
        to: Offset,
    },
    /// A unit stays where it is today. A unit of a withdrawing grouping that holds leaves
    /// behind what it cannot move, and everything when it has no way back.
    Hold {
        /// The unit.
        unit: UnitId,
    },
}

impl Order {
    /// The order in words, for messages.
    pub fn describe(&self, s: &Scenario) -> String {
        match self {
            Order::Move { unit, to } => format!(
                "move {} to {to}",
                s.units.get(unit.0).map_or("?", |u| u.name.as_str())
            ),
            Order::Attack { attackers, target } => format!(
                "attack {target} with {}",
                attackers
                    .iter()
                    .map(|a| s.units.get(a.0).map_or("?", |u| u.name.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Order::Withdraw { grouping } => format!(
                "withdraw {}",
                s.groupings.get(grouping.0).map_or("?", |g| g.name.as_str())
            ),
            Order::StandFast { grouping } => format!(
                "stand fast with {}",
                s.groupings.get(grouping.0).map_or("?", |g| g.name.as_str())
            ),
            Order::RailMove { unit, to } => format!(
                "move {} by rail to {to}",
                s.units.get(unit.0).map_or("?", |u| u.name.as_str())
            ),
            Order::FirstCall { depot, first } => format!(
                "{} first call on the trains for {}",
                if *first { "give" } else { "take back" },
                s.depots.get(depot.0).map_or("?", |d| d.name.as_str())
            ),
            Order::Hold { unit } => format!(
                "hold {}",
                s.units.get(unit.0).map_or("?", |u| u.name.as_str())
            ),
        }
    }
}

/// Why the rules refused an order: ids and numbers, put in words by [`Refusal::describe`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// The unit id names no unit.
    NoSuchUnit(UnitId),
    /// The unit belongs to another side.
    NotYours(UnitId),
    /// The unit is not on the map (not arrived, departed or destroyed).
    NotOnMap(UnitId),
    /// The unit has moved this phase.
    AlreadyMoved(UnitId),
    /// The unit has attacked this phase and cannot move.
    AttackedCannotMove(UnitId),
    /// The hex is off the map.
    OffMap(Offset),
    /// Enemy units stand in the hex.
    EnemyHolds(Offset),
    /// The hex is beyond the unit's movement points today.
    OutOfReach {
        /// The hex.
        to: Offset,
        /// The unit's movement points today.
        budget: u32,
    },
    /// The hex holds as many units as the stacking limit allows.
    Stacked {
        /// The hex.
        to: Offset,
        /// The limit.
        limit: u32,
    },
    /// An attack names no unit.
    NoAttackers,
    /// No enemy stands in the hex attacked.
    NoEnemy(Offset),
    /// A unit is named twice in one attack.
    NamedTwice(UnitId),
    /// The unit has attacked this phase.
    AlreadyAttacked(UnitId),
    /// The unit is not next to the hex it would attack.
    NotNextTo(UnitId, Offset),
    /// The unit cannot cross into the hex it would attack (an impassable river).
    CannotCross(UnitId, Offset),
    /// The unit is routed and cannot attack.
    Routed(UnitId),
    /// The grouping id names no grouping.
    NoSuchGrouping(GroupingId),
    /// The grouping belongs to another side.
    GroupingNotYours(GroupingId),
    /// The grouping has no fallback line in the scenario.
    NoFallback(GroupingId),
    /// The unit does not stand at a station its side holds, or stands next to an enemy.
    NotAtStation(UnitId),
    /// No line open to the side, with capacity left today for the unit, leads there.
    NoRailWay(UnitId, Offset),
    /// The depot id names no depot.
    NoSuchDepot(DepotId),
    /// The depot belongs to another side, or its side has lost it.
    DepotNotYours(DepotId),
}

impl Refusal {
    /// The refusal in words, for the narration, the window and the event log.
    pub fn describe(&self, s: &Scenario) -> String {
        let unit = |u: &UnitId| s.units.get(u.0).map_or("?", |x| x.name.as_str());
        let grouping = |g: &GroupingId| s.groupings.get(g.0).map_or("?", |x| x.name.as_str());
        match self {
            Refusal::NoSuchUnit(u) => format!("there is no unit {u}"),
            Refusal::NotYours(u) => format!("{} is not yours", unit(u)),
            Refusal::NotOnMap(u) => format!("{} is not on the map", unit(u)),
            Refusal::AlreadyMoved(u) => format!("{} has already moved today", unit(u)),
            Refusal::AttackedCannotMove(u) => {
                format!("{} has attacked today and cannot move", unit(u))
            }
            Refusal::OffMap(h) => format!("{h} is off the map"),
            Refusal::EnemyHolds(h) => format!("enemy units hold {h}: attack it instead"),
            Refusal::OutOfReach { to, budget } => {
                format!("{to} is out of reach ({budget} movement points today)")
            }
            Refusal::Stacked { to, limit } => {
                format!("{to} already holds {limit} units, the stacking limit")
            }
            Refusal::NoAttackers => "an attack needs at least one unit".into(),
            Refusal::NoEnemy(h) => format!("there is no enemy in {h}"),
            Refusal::NamedTwice(u) => format!("{} is named twice", unit(u)),
            Refusal::AlreadyAttacked(u) => format!("{} has already attacked today", unit(u)),
            Refusal::NotNextTo(u, h) => format!("{} is not next to {h}", unit(u)),
            Refusal::CannotCross(u, h) => format!("{} cannot cross into {h}", unit(u)),
            Refusal::Routed(u) => format!("{} is routed and cannot attack", unit(u)),
            Refusal::NoSuchGrouping(g) => format!("there is no grouping {g}"),
            Refusal::GroupingNotYours(g) => format!("{} is not yours", grouping(g)),
            Refusal::NoFallback(g) => {
                format!("{} has no fallback line in the scenario", grouping(g))
            }
            Refusal::NotAtStation(u) => format!(
                "{} must stand at a station your side holds, not next to the enemy, to go by rail",
                unit(u)
            ),
            Refusal::NoRailWay(u, h) => format!(
                "no line open to you with room for {} today leads to a station at {h}",
                unit(u)
            ),
            Refusal::NoSuchDepot(d) => format!("there is no depot {}", d.0),
            Refusal::DepotNotYours(d) => format!(
                "{} is not yours",
                s.depots.get(d.0).map_or("?", |x| x.name.as_str())
            ),
        }
    }
}

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
/// takes, for [`apply_move`].
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
/// [`crate::rules::ai::unit_reach`], on the same board and forces).
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
        return Err(Refusal::OutOfReach { to, budget });
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

/// Checks an order for the side whose phase it is. On success, a move returns its cost.
pub fn check(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    side: SideId,
    order: &Order,
) -> Result<u32, Refusal> {
    let unit_of = |id: UnitId| unit_of(forces, side, id);
    let mover = |id: UnitId, to: Offset| mover(s, forces, side, id, to);
    match order {
        Order::Move { unit, to } => check_move(s, board, forces, side, *unit, *to).map(|m| m.cost),
        Order::Attack { attackers, target } => {
            if attackers.is_empty() {
                return Err(Refusal::NoAttackers);
            }
            if !s.frame.contains(*target) {
                return Err(Refusal::OffMap(*target));
            }
            if !forces.in_hex(*target).any(|u| u.side != side) {
                return Err(Refusal::NoEnemy(*target));
            }
            let mut seen = std::collections::BTreeSet::new();
            for a in attackers {
                let u = unit_of(*a)?;
                if !seen.insert(*a) {
                    return Err(Refusal::NamedTwice(*a));
                }
                if u.attacked {
                    return Err(Refusal::AlreadyAttacked(*a));
                }
                if !s.neighbours(u.hex()).any(|n| n == *target) {
                    return Err(Refusal::NotNextTo(*a, *target));
                }
                if movement::step_cost(s, board, u.hex(), *target).is_none() {
                    return Err(Refusal::CannotCross(*a, *target));
                }
                if u.readiness < s.rules.routed_readiness {
                    return Err(Refusal::Routed(*a));
                }
            }
            Ok(0)
        }
        Order::Hold { unit } => {
            let u = unit_of(*unit)?;
            if u.moved {
                return Err(Refusal::AlreadyMoved(*unit));
            }
            Ok(0)
        }
        Order::RailMove { unit, to } => {
            let u = mover(*unit, *to)?;
            let threats = Threats::for_side(s, forces, side);
            let at_station = s.rail_nodes.iter().any(|n| n.hex == u.hex())
                && !threats.enemy_zoc[s.index(u.hex())];
            if !at_station {
                return Err(Refusal::NotAtStation(*unit));
            }
            if !movement::can_end_in(s, &threats, u, *to) {
                return Err(Refusal::Stacked {
                    to: *to,
                    limit: s.rules.stacking_limit,
                });
            }
            rail_way(s, board, forces, *unit, *to).ok_or(Refusal::NoRailWay(*unit, *to))?;
            Ok(0)
        }
        Order::FirstCall { depot, .. } => {
            let d = s.depots.get(depot.0).ok_or(Refusal::NoSuchDepot(*depot))?;
            // Depots change hands with their hex: a side's depots are the ones it holds.
            if board.control[s.index(d.hex)] != Some(side) {
                return Err(Refusal::DepotNotYours(*depot));
            }
            Ok(0)
        }
        Order::Withdraw { grouping } | Order::StandFast { grouping } => {
            let g = s
                .groupings
                .get(grouping.0)
                .ok_or(Refusal::NoSuchGrouping(*grouping))?;
            if g.side != side {
                return Err(Refusal::GroupingNotYours(*grouping));
            }
            if g.fallback.is_empty() {
                return Err(Refusal::NoFallback(*grouping));
            }
            Ok(0)
        }
    }
}

/// Tonnes of each line's day a unit takes to go by rail.
pub fn rail_weight(s: &Scenario, u: &crate::rules::state::UnitState) -> u64 {
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
                && super::rail::open_for(s, board, side, *l)
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

/// Applies a checked rail move: the unit goes to the station and has moved for the day;
/// the lines it took lose its weight of today's capacity.
pub fn apply_rail_move(
    s: &Scenario,
    board: &mut Board,
    forces: &mut Forces,
    unit: UnitId,
    to: Offset,
) -> Vec<GameEvent> {
    let Some(path) = rail_way(s, board, forces, unit, to) else {
        return Vec::new();
    };
    let weight = rail_weight(s, &forces.units[unit]);
    board.rail_moves.resize(s.rail_links.len(), 0);
    for l in &path {
        board.rail_moves[*l] += weight;
    }
    let from = forces.units[unit].hex();
    forces.place(unit, to);
    forces.units[unit].moved = true;
    vec![GameEvent::UnitMovedByRail {
        unit,
        from: (from.col, from.row),
        to: (to.col, to.row),
        tonnes: weight,
    }]
}

/// Applies a checked move: the unit walks its path, taking the hexes it enters.
pub fn apply_move(
    s: &Scenario,
    board: &mut Board,
    forces: &mut Forces,
    unit: UnitId,
    checked: &CheckedMove,
) -> Vec<GameEvent> {
    let side = forces.units[unit].side;
    let from = forces.units[unit].hex();
    let to = *checked.path.last().unwrap_or(&from);
    // The move takes the hex where it ends, and the ground on its way that no enemy unit
    // stands next to.
    for h in &checked.path {
        let i = s.index(*h);
        if *h == to || !checked.enemy_zoc[i] {
            board.control[i] = Some(side);
        }
    }
    forces.place(unit, to);
    forces.units[unit].moved = true;
    vec![GameEvent::UnitMoved {
        unit,
        from: (from.col, from.row),
        to: (to.col, to.row),
        cost: checked.cost,
    }]
}

/// Applies a checked attack.
pub fn apply_attack(
    s: &Scenario,
    board: &mut Board,
    forces: &mut Forces,
    rng: &mut impl rand::Rng,
    attackers: &[UnitId],
    target: Offset,
) -> Vec<GameEvent> {
    combat::resolve(s, board, forces, rng, attackers, target)
}
