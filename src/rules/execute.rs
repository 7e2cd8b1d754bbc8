//! Orders executed, in one place: every order, a player's or the AI's, is checked
//! ([`super::check`]), then applied and recorded in the order log, or refused with its
//! reason as an event (zemeroth's command, check, apply). The AI's moves, its withdrawals
//! and stand-fasts, a player's orders and a replay's all come through [`issue`].

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;

use crate::geo::Offset;
use crate::scenario::Scenario;
use crate::scenario::ids::{CrossingId, DepotId, GroupingId, LinkId, NodeId, SideId, UnitId};
use crate::scenario::model::Target;

use super::check::{self, CheckedMove, rail_way, rail_weight};
use super::cursor::DayCursor;
use super::events::{Abandoned, GameEvent, Reason, StrikeOutcome};
use super::movement::{self, Reach};
use super::orders::{LoggedOrder, Order, OrderLog, Outcome};
use super::state::{
    Board, Cache, Controller, Depots, Dice, Forces, HighCommand, UnitState, Withdrawal,
};
use super::{combat, march, withdrawal};

/// The state an order touches, borrowed for the length of a phase: the board, the units,
/// the high command, the dice and the order log, with the day.
pub struct Theatre<'a> {
    /// Board.
    pub board: &'a mut Board,
    /// Units.
    pub forces: &'a mut Forces,
    /// Who commands, withdrawals, postures.
    pub command: &'a mut HighCommand,
    /// Dice.
    pub dice: &'a mut Dice,
    /// Depots (their stocks, which strikes burn).
    pub depots: &'a mut Depots,
    /// Order log.
    pub log: &'a mut Vec<LoggedOrder>,
    /// Turn.
    pub turn: u32,
    /// Date.
    pub date: chrono::NaiveDate,
}

/// The resources an order touches, as a system asks for them: [`TheatreParam::theatre`]
/// borrows them as a [`Theatre`].
#[derive(SystemParam)]
pub struct TheatreParam<'w> {
    /// The day (read only).
    pub clock: Res<'w, DayCursor>,
    /// Board.
    pub board: ResMut<'w, Board>,
    /// Units.
    pub forces: ResMut<'w, Forces>,
    /// Who commands, withdrawals, postures.
    pub command: ResMut<'w, HighCommand>,
    /// Dice.
    pub dice: ResMut<'w, Dice>,
    /// Depots.
    pub depots: ResMut<'w, Depots>,
    /// Order log.
    pub log: ResMut<'w, OrderLog>,
}

impl TheatreParam<'_> {
    /// The state an order touches, borrowed.
    pub fn theatre(&mut self) -> Theatre<'_> {
        Theatre {
            board: &mut self.board,
            forces: &mut self.forces,
            command: &mut self.command,
            dice: &mut self.dice,
            depots: &mut self.depots,
            log: &mut self.log.0,
            turn: self.clock.turn,
            date: self.clock.date,
        }
    }
}

/// Checks and applies one order for the active side, recording it or its refusal.
pub fn issue(
    s: &Scenario,
    theatre: &mut Theatre,
    side: SideId,
    order: Order,
    out: &mut Vec<GameEvent>,
) -> Outcome {
    issue_in(s, theatre, side, order, None, None, out)
}

/// [`issue`] for an order of the operational AI that falls back (or stands fast) with its
/// reasons, said in the event that the grouping is ordered back.
pub fn issue_with_reasons(
    s: &Scenario,
    theatre: &mut Theatre,
    side: SideId,
    order: Order,
    reasons: Vec<Reason>,
    out: &mut Vec<GameEvent>,
) -> Outcome {
    issue_in(s, theatre, side, order, None, Some(reasons), out)
}

/// [`issue`] for a move whose unit's reach the AI has found already on this board
/// ([`march::unit_reach`]).
pub fn issue_move_in(
    s: &Scenario,
    theatre: &mut Theatre,
    side: SideId,
    order: Order,
    reach: Option<&Reach>,
    out: &mut Vec<GameEvent>,
) -> Outcome {
    issue_in(s, theatre, side, order, reach, None, out)
}

/// The one way an order is carried out: checked, then recorded and applied, or refused.
fn issue_in(
    s: &Scenario,
    theatre: &mut Theatre,
    side: SideId,
    order: Order,
    reach: Option<&Reach>,
    reasons: Option<Vec<Reason>>,
    out: &mut Vec<GameEvent>,
) -> Outcome {
    // A move is checked with the way it takes, which it then walks.
    let checked = match &order {
        Order::Move { unit, to } => {
            check::check_move_in(s, theatre.board, theatre.forces, side, *unit, *to, reach)
                .map(Some)
        }
        _ => check::check(s, theatre.board, theatre.forces, side, &order).map(|_| None),
    };
    let checked = match checked {
        Err(reason) => {
            out.push(GameEvent::OrderRefused {
                side,
                order,
                reason: reason.clone(),
            });
            return Err(reason);
        }
        Ok(checked) => checked,
    };
    theatre.log.push(LoggedOrder {
        turn: theatre.turn,
        side,
        order: order.clone(),
    });
    match order {
        Order::Move { unit, .. } => {
            if let Some(checked) = checked {
                walk(s, theatre, unit, &checked, out);
            }
        }
        Order::Attack { attackers, target } => out.extend(apply_attack(
            s,
            theatre.board,
            theatre.forces,
            &mut theatre.dice.0,
            &attackers,
            target,
        )),
        Order::Hold { unit } => hold(s, theatre, unit, out),
        Order::RailMove { unit, to } => {
            out.extend(apply_rail_move(s, theatre.board, theatre.forces, unit, to));
        }
        Order::FirstCall { depot, first } => {
            // (A state read from before first call existed has none recorded.)
            theatre.board.first_call.resize(s.depots.len(), false);
            if theatre.board.first_call[depot.0] != first {
                theatre.board.first_call[depot.0] = first;
                out.push(GameEvent::DepotFirstCall { depot, side, first });
            }
        }
        Order::StandFast { grouping } => stand_fast(theatre, side, grouping, out),
        Order::Strike { assets, target } => strike(s, theatre, side, assets, target, out),
        Order::Withdraw { grouping } => withdraw(s, theatre, side, grouping, reasons, out),
    }
    Ok(())
}

/// A checked strike: the enemy's air defence may intercept it (a die), else it hits or
/// misses (another); a hit does its harm.
fn strike(
    s: &Scenario,
    theatre: &mut Theatre,
    side: SideId,
    assets: usize,
    target: Target,
    out: &mut Vec<GameEvent>,
) {
    use rand::Rng;
    let a = &s.strike_assets[assets];
    theatre.board.strikes_used.resize(s.strike_assets.len(), 0);
    theatre.board.strikes_used[assets] += 1;
    // The striker's interception chance, then (a die of its own, only where there is any)
    // the air defence over a crossing.
    let shield = match target {
        Target::Crossing(c) => s.crossings[c].air_defence,
        _ => 0.0,
    };
    let intercepted = theatre.dice.0.random::<f64>() < a.intercepted
        || (shield > 0.0 && theatre.dice.0.random::<f64>() < shield);
    let hit = !intercepted && theatre.dice.0.random::<f64>() < a.hit;
    let outcome = if intercepted {
        StrikeOutcome::Intercepted
    } else if hit {
        StrikeOutcome::Hit
    } else {
        StrikeOutcome::Missed
    };
    // What it takes, as the striker reckons it before the blow.
    let supply = a.harm_to(target).map_or(0.0, |h| {
        let e = super::strikes::strike_estimate(
            s,
            theatre.board,
            theatre.forces,
            theatre.depots,
            side,
            target,
            h,
        );
        e.per_day + e.burnt
    });
    out.push(GameEvent::StrikeMade {
        by: side,
        assets,
        crossing: match target {
            Target::Crossing(c) => Some(CrossingId(c)),
            _ => None,
        },
        link: match target {
            Target::Link(l) => Some(LinkId(l)),
            _ => None,
        },
        depot: match target {
            Target::Depot(d) => Some(DepotId(d)),
            _ => None,
        },
        node: match target {
            Target::Node(n) => Some(NodeId(n)),
            _ => None,
        },
        outcome,
        supply: supply.round(),
    });
    if let (true, Some(harm)) = (hit, a.harm_to(target)) {
        super::strikes::harm(
            s,
            theatre.board,
            theatre.depots,
            target,
            harm,
            Some(side),
            out,
        );
    }
}

/// A grouping falling back stops: its units keep what they still have from now on.
fn stand_fast(theatre: &mut Theatre, side: SideId, grouping: GroupingId, out: &mut Vec<GameEvent>) {
    if theatre.command.withdrawals[grouping].take().is_some() {
        for u in &mut theatre.forces.units {
            if u.grouping == grouping {
                u.abandoned = false;
            }
        }
        out.push(GameEvent::WithdrawalEnded { grouping, side });
    }
}

/// A grouping is ordered back to its fallback line; one already falling back and on its
/// line goes on to the next, if it has one. A player's order is said, and carried out at
/// once by the grouping's units; the operational AI's is said with its reasons, and its
/// units move in its orders.
fn withdraw(
    s: &Scenario,
    theatre: &mut Theatre,
    side: SideId,
    grouping: GroupingId,
    reasons: Option<Vec<Reason>>,
    out: &mut Vec<GameEvent>,
) {
    if theatre.command.withdrawals[grouping.0].is_none() {
        theatre.command.withdrawals[grouping.0] = Some(Withdrawal {
            turn: theatre.turn,
            date: theatre.date,
            calm_days: 0,
        });
    } else if withdrawal::on_line(
        theatre.forces,
        grouping,
        s.grouping(grouping).line(theatre.command.line[grouping]),
    ) {
        let last = s.grouping(grouping).lines().saturating_sub(1);
        theatre.command.line[grouping] = (theatre.command.line[grouping] + 1).min(last);
    }
    if theatre.command.controllers[side] == Controller::Human {
        out.push(GameEvent::WithdrawalOrdered {
            grouping,
            side,
            reasons: reasons.unwrap_or_default(),
        });
        fall_back(s, theatre, side, grouping, out);
    } else if let Some(reasons) = reasons {
        out.push(GameEvent::WithdrawalOrdered {
            grouping,
            side,
            reasons,
        });
    }
}

/// A checked move applied: a withdrawing unit first leaves what it cannot carry.
fn walk(
    s: &Scenario,
    theatre: &mut Theatre,
    unit: UnitId,
    checked: &CheckedMove,
    out: &mut Vec<GameEvent>,
) {
    withdrawal_losses(s, theatre, unit, out);
    out.extend(apply_move(s, theatre.board, theatre.forces, unit, checked));
}

/// A player's grouping ordered back moves toward its line as the AI's would: each unit
/// that has neither moved nor attacked today takes its best step back (leaving behind what
/// it cannot carry), and one with no way back holds and leaves what it cannot take. The
/// moves follow from the logged `Withdraw` and are not logged themselves, so a replay
/// makes them again from it.
fn fall_back(
    s: &Scenario,
    theatre: &mut Theatre,
    side: SideId,
    grouping: GroupingId,
    out: &mut Vec<GameEvent>,
) {
    let line = s
        .grouping(grouping)
        .line(theatre.command.line[grouping])
        .to_vec();
    let units: Vec<UnitId> = theatre
        .forces
        .units
        .iter()
        .filter(|u| u.active() && u.grouping == grouping && !u.moved && !u.attacked)
        .map(|u| u.id)
        .collect();
    let field = march::goal_field(
        s,
        theatre.board,
        theatre.forces,
        &line,
        side,
        true,
        Some(&units),
    );
    for id in units {
        let u = &theatre.forces.units[id];
        let reach = (field[s.index(u.hex())] != u32::MAX)
            .then(|| march::unit_reach(s, theatre.board, theatre.forces, id));
        let to = reach
            .as_ref()
            .and_then(|r| march::best_move_in(s, theatre.forces, id, &field, true, r));
        let checked = to.and_then(|to| {
            check::check_move_in(
                s,
                theatre.board,
                theatre.forces,
                side,
                id,
                to,
                reach.as_ref(),
            )
            .ok()
        });
        match checked {
            Some(checked) => walk(s, theatre, id, &checked, out),
            None => hold(s, theatre, id, out),
        }
    }
}

/// A unit holds for the day. If its grouping is withdrawing, it leaves behind what it
/// cannot move; cut off from its fallback line, it leaves everything.
fn hold(s: &Scenario, theatre: &mut Theatre, unit: UnitId, out: &mut Vec<GameEvent>) {
    let g = theatre.forces.units[unit].grouping;
    theatre.forces.units[unit].moved = true;
    if theatre.command.withdrawals[g].is_none() || theatre.forces.units[unit].abandoned {
        return;
    }
    if march::can_fall_back(
        s,
        theatre.board,
        theatre.forces,
        unit,
        theatre.command.line[g],
    ) {
        withdrawal_losses(s, theatre, unit, out);
    } else {
        let u = &mut theatre.forces.units[unit];
        u.abandoned = true;
        abandon(theatre.board, u, 1.0, Abandoned::NoWayBack, out);
    }
}

/// A unit of a withdrawing grouping leaves behind, once in the withdrawal, the share of
/// its equipment it cannot move ([`withdrawal::left_behind`]).
fn withdrawal_losses(s: &Scenario, theatre: &mut Theatre, unit: UnitId, out: &mut Vec<GameEvent>) {
    let u = &theatre.forces.units[unit];
    if theatre.command.withdrawals[u.grouping].is_none() || u.abandoned {
        return;
    }
    let in_contact =
        movement::Threats::for_side(s, theatre.forces, u.side).enemy_zoc[s.index(u.hex())];
    let u = &mut theatre.forces.units[unit];
    u.abandoned = true;
    let (share, why) = withdrawal::left_behind(s, u, in_contact);
    abandon(theatre.board, u, share, why, out);
}

/// A unit leaves `share` of each kind of its equipment where it stands, for the enemy to
/// capture.
fn abandon(
    board: &mut Board,
    u: &mut UnitState,
    share: f64,
    why: Abandoned,
    out: &mut Vec<GameEvent>,
) {
    let mut items = std::collections::BTreeMap::new();
    for (k, n) in &mut u.equipment {
        let left = (f64::from(*n) * share).round() as u32;
        if left > 0 {
            *n -= left.min(*n);
            items.insert(k.clone(), left);
        }
    }
    if !items.is_empty() {
        out.push(GameEvent::EquipmentAbandoned {
            unit: u.id,
            hex: (u.hex().col, u.hex().row),
            items: items.clone(),
            why,
        });
        board.caches.push(Cache {
            hex: u.hex(),
            side: u.side,
            unit: u.id,
            items,
        });
    }
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
    board.count_crossings(s, &checked.path);
    forces.place(unit, to);
    forces.units[unit].moved = true;
    vec![GameEvent::UnitMoved {
        unit,
        from: (from.col, from.row),
        to: (to.col, to.row),
        cost: checked.cost,
    }]
}

/// Applies a checked attack: the combat is resolved with the game's dice.
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
