//! The AI that gives a side its orders in its phase: withdrawing groupings fall back along
//! safe paths; in `plan` mode groupings advance along the scenario's axes from their dates;
//! in `ai` mode units make for the nearest objective their side does not hold. Then every
//! hex of enemies next to our units is attacked where the odds are good enough.
//! The AI only issues orders; the same checks apply to it as to a player.

use crate::geo::Offset;
use crate::scenario::Scenario;
use crate::scenario::ids::{GroupingId, SideId, UnitId};

use super::combat::{can_attack, odds};
use super::movement::{self, Threats, distance_field};
use super::orders::Order;
use super::state::{Board, Controller, DayCursor, Forces, HighCommand};

/// Odds an advancing unit needs to attack.
pub const ATTACK_ODDS: f64 = 1.5;
/// Odds a holding unit needs to counter-attack.
pub const COUNTER_ODDS: f64 = 3.0;

/// How far, in hexes, a grouping of a defending side in `ai` mode looks for objectives to
/// take back: it pursues what is near, and otherwise holds.
pub const AI_REACH: u32 = 4;

/// The hexes each grouping is making for today (empty: it holds).
pub fn goals(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    command: &HighCommand,
    side: SideId,
) -> Vec<Vec<Offset>> {
    let mode = command.controllers[side];
    let held = |h: Offset| board.control[s.index(h)] == Some(side);
    s.groupings
        .iter()
        .enumerate()
        .map(|(g, grouping)| {
            let g = GroupingId(g);
            if grouping.side != side {
                return Vec::new();
            }
            if command.withdrawals[g].is_some() {
                return grouping.fallback.clone();
            }
            match mode {
                Controller::Plan => match command.progress[g] {
                    Some((step, done)) => {
                        let axis = &s.plans[step].axis;
                        axis.get(done)
                            .or(axis.last())
                            .copied()
                            .into_iter()
                            .collect()
                    }
                    None => Vec::new(),
                },
                Controller::Ai => {
                    let near = |h: Offset| {
                        let hh = crate::geo::offset_to_hex(h);
                        forces.units.iter().any(|u| {
                            u.active()
                                && u.grouping == g
                                && crate::geo::offset_to_hex(u.hex).unsigned_distance_to(hh)
                                    <= AI_REACH
                        })
                    };
                    // A side holding less than half the objectives' points is on the
                    // offensive and goes for every objective; otherwise it defends what it
                    // holds and takes back only what is near.
                    let total: u32 = s.objectives.iter().map(|o| o.points).sum();
                    let mine: u32 = s
                        .objectives
                        .iter()
                        .filter(|o| held(s.places[o.place].hex))
                        .map(|o| o.points)
                        .sum();
                    let offensive = 2 * mine < total;
                    s.objectives
                        .iter()
                        .map(|o| s.places[o.place].hex)
                        .filter(|h| !held(*h) && (offensive || near(*h)))
                        .collect()
                }
                Controller::Idle | Controller::Human => Vec::new(),
            }
        })
        .collect()
}

/// Brings each grouping's plan up to date: the step in force today, and how far along its
/// axis the grouping has come. An objective once taken stays behind the grouping even if
/// the enemy retakes it: an axis of advance does not turn back.
pub fn advance_plans(
    s: &Scenario,
    board: &Board,
    command: &mut HighCommand,
    clock: &DayCursor,
    side: SideId,
) {
    for g in s.grouping_ids() {
        if s.groupings[g].side != side {
            continue;
        }
        let step = s
            .plans
            .iter()
            .enumerate()
            .filter(|(_, p)| p.grouping == g && p.from <= clock.date)
            .map(|(i, _)| i)
            .next_back();
        let Some(step) = step else { continue };
        let mut done = match command.progress[g] {
            Some((st, d)) if st == step => d,
            _ => 0,
        };
        let axis = &s.plans[step].axis;
        while done < axis.len() && board.control[s.index(axis[done])] == Some(side) {
            done += 1;
        }
        command.progress[g] = Some((step, done));
    }
}

/// Chooses where a unit should move toward `field` (distance to its goals), or `None` to stay.
pub fn best_move(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    unit: UnitId,
    field: &[u32],
    prefer_safe: bool,
) -> Option<Offset> {
    // Artillery keeps out of the enemy's reach.
    let prefer_safe =
        prefer_safe || s.units[unit].kind == crate::scenario::raw::UnitKind::Artillery;
    let u = &forces.units[unit];
    let threats = Threats::for_side(s, forces, u.side);
    let reach = movement::reach(s, board, &threats, u, movement::allowance(s, u));
    let score = |h: Offset| {
        let unsafe_ = prefer_safe && threats.enemy_zoc[s.index(h)];
        (u32::from(unsafe_), field[s.index(h)])
    };
    let here = score(u.hex);
    let best = reach
        .cost
        .iter()
        .filter(|(h, _)| movement::can_end_in(s, &threats, u, **h))
        .map(|(h, (cost, _))| (score(*h), *cost, *h))
        .min()?;
    (best.0 < here && best.2 != u.hex).then_some(best.2)
}

/// The attacks worth making now, best odds first; each is checked again before it is applied.
pub fn attacks(
    s: &Scenario,
    forces: &Forces,
    command: &HighCommand,
    side: SideId,
    goals: &[Vec<Offset>],
) -> Vec<Order> {
    let mut targets: Vec<Offset> = forces
        .units
        .iter()
        .filter(|u| u.active() && u.side != side)
        .map(|u| u.hex)
        .collect();
    targets.sort();
    targets.dedup();
    let mut out = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    for t in targets {
        let attackers: Vec<UnitId> = forces
            .units
            .iter()
            .filter(|u| {
                can_attack(s, u, side, t)
                    && !used.contains(&u.id)
                    && command.withdrawals[u.grouping].is_none()
            })
            .map(|u| u.id)
            .collect();
        if attackers.is_empty() {
            continue;
        }
        let advancing = attackers
            .iter()
            .any(|a| !goals[forces.units[*a].grouping].is_empty());
        let need = if advancing { ATTACK_ODDS } else { COUNTER_ODDS };
        if odds(s, forces, &attackers, t).ratio() >= need {
            used.extend(attackers.iter().copied());
            out.push(Order::Attack {
                attackers,
                target: t,
            });
        }
    }
    out
}

/// The distance field toward a grouping's goals, over hexes not blocked for `side`.
pub fn goal_field(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    goals: &[Offset],
    side: SideId,
    avoid_enemy_land: bool,
) -> Vec<u32> {
    let threats = Threats::for_side(s, forces, side);
    distance_field(s, board, goals, |h| {
        let i = s.index(h);
        threats.enemy_unit[i] || (avoid_enemy_land && board.control[i].is_some_and(|c| c != side))
    })
}
