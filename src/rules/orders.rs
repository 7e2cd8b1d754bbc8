//! Orders: every change a player or an AI wants is an order, checked against the rules,
//! applied, and recorded. Checking is a pure function the AI and the window reuse.

use serde::{Deserialize, Serialize};

use crate::geo::Offset;
use crate::scenario::Scenario;
use crate::scenario::ids::{GroupingId, UnitId};

use super::combat;
use super::events::GameEvent;
use super::movement::{self, Threats};
use super::state::{Board, Forces};

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
            Order::Hold { unit } => format!(
                "hold {}",
                s.units.get(unit.0).map_or("?", |u| u.name.as_str())
            ),
        }
    }
}

/// An order that was refused, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

/// Checks an order for the side whose phase it is. On success, a move returns its cost.
pub fn check(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    side: usize,
    order: &Order,
) -> Result<u32, Refusal> {
    let unit_of = |id: UnitId| {
        let id = id.0;
        let u = forces
            .units
            .get(id)
            .ok_or_else(|| Refusal(format!("there is no unit {id}")))?;
        if u.side != side {
            return Err(Refusal(format!("{} is not yours", s.units[id].name)));
        }
        if !u.active() {
            return Err(Refusal(format!("{} is not on the map", s.units[id].name)));
        }
        Ok(u)
    };
    match order {
        Order::Move { unit, to } => {
            let u = unit_of(*unit)?;
            let unit = &unit.0;
            if u.moved {
                return Err(Refusal(format!(
                    "{} has already moved today",
                    s.units[*unit].name
                )));
            }
            if u.attacked {
                return Err(Refusal(format!(
                    "{} has attacked today and cannot move",
                    s.units[*unit].name
                )));
            }
            if !s.frame.contains(*to) {
                return Err(Refusal(format!("{to} is off the map")));
            }
            let threats = Threats::for_side(s, forces, side);
            if threats.enemy_unit[s.index(*to)] {
                return Err(Refusal(format!("enemy units hold {to}: attack it instead")));
            }
            let budget = movement::allowance(s, u);
            let reach = movement::reach(s, board, &threats, u, budget);
            let Some((cost, _)) = reach.cost.get(to) else {
                return Err(Refusal(format!(
                    "{to} is out of reach ({budget} movement points today)"
                )));
            };
            if !movement::can_end_in(s, &threats, u, *to) {
                return Err(Refusal(format!(
                    "{to} already holds {} units, the stacking limit",
                    s.rules.stacking_limit
                )));
            }
            Ok(*cost)
        }
        Order::Attack { attackers, target } => {
            if attackers.is_empty() {
                return Err(Refusal("an attack needs at least one unit".into()));
            }
            if !s.frame.contains(*target) {
                return Err(Refusal(format!("{target} is off the map")));
            }
            if !forces.in_hex(*target).any(|u| u.side != side) {
                return Err(Refusal(format!("there is no enemy in {target}")));
            }
            let mut seen = std::collections::BTreeSet::new();
            for a in attackers {
                let u = unit_of(*a)?;
                let a = &a.0;
                if !seen.insert(*a) {
                    return Err(Refusal(format!("{} is named twice", s.units[*a].name)));
                }
                if u.attacked {
                    return Err(Refusal(format!(
                        "{} has already attacked today",
                        s.units[*a].name
                    )));
                }
                if !s.neighbours(u.hex).any(|n| n == *target) {
                    return Err(Refusal(format!(
                        "{} is not next to {target}",
                        s.units[*a].name
                    )));
                }
                if movement::step_cost(s, board, u.hex, *target).is_none() {
                    return Err(Refusal(format!(
                        "{} cannot cross into {target}",
                        s.units[*a].name
                    )));
                }
                if u.readiness < s.rules.routed_readiness {
                    return Err(Refusal(format!(
                        "{} is routed and cannot attack",
                        s.units[*a].name
                    )));
                }
            }
            Ok(0)
        }
        Order::Hold { unit } => {
            let u = unit_of(*unit)?;
            let unit = &unit.0;
            if u.moved {
                return Err(Refusal(format!(
                    "{} has already moved today",
                    s.units[*unit].name
                )));
            }
            Ok(0)
        }
        Order::Withdraw { grouping } => {
            let g = s
                .groupings
                .get(grouping.0)
                .ok_or_else(|| Refusal(format!("there is no grouping {grouping}")))?;
            if g.side != side {
                return Err(Refusal(format!("{} is not yours", g.name)));
            }
            if g.fallback.is_empty() {
                return Err(Refusal(format!(
                    "{} has no fallback line in the scenario",
                    g.name
                )));
            }
            Ok(0)
        }
    }
}

/// Applies a checked move: the unit walks its path, taking the hexes it enters.
pub fn apply_move(
    s: &Scenario,
    board: &mut Board,
    forces: &mut Forces,
    unit: UnitId,
    to: Offset,
    cost: u32,
) -> Vec<GameEvent> {
    let unit = unit.0;
    let side = forces.units[unit].side;
    let threats = Threats::for_side(s, forces, side);
    let u = &forces.units[unit];
    let reach = movement::reach(s, board, &threats, u, movement::allowance(s, u));
    let path = reach.path(u.hex, to).unwrap_or_else(|| vec![u.hex, to]);
    let from = u.hex;
    for h in &path {
        let i = s.index(*h);
        board.control[i] = Some(side);
    }
    let u = &mut forces.units[unit];
    u.hex = to;
    u.moved = true;
    vec![GameEvent::UnitMoved {
        unit: UnitId(unit),
        from: (from.col, from.row),
        to: (to.col, to.row),
        cost,
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
    let attackers: Vec<usize> = attackers.iter().map(|a| a.0).collect();
    combat::resolve(s, board, forces, rng, &attackers, target)
}
