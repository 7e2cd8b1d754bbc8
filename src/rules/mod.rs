//! The rules, as Bevy ECS systems in a plugin that runs without a window.
//!
//! A day (one turn) runs three schedules in this order:
//!
//! 1. [`DayStart`]: reinforcements and departures.
//! 2. [`SidePhase`], once per side in the scenario's order: that side's supply (rail flow,
//!    depots, last mile, effects of shortage), so that what the enemy did today already
//!    counts; its operational AI's withdrawal decisions; then its AI's orders, moves first,
//!    then attacks. A person commanding the side gives orders after its phase has run
//!    ([`ApplyOrders`]).
//! 3. [`DayEnd`]: control of the hexes around units, captured equipment, objectives,
//!    territory; then the cursor moves to the next day.
//!
//! That order is written once, in [`day`]: the command line, the window, saves and
//! replays all move the game on through its [`DayCursor`]. The state is gathered in one
//! [`GameState`] ([`game`]). Every change of state comes from an order or from these
//! phases; every consequence is a [`GameEvent`] message, recorded in order in the
//! [`Chronicle`]. No rule reads the wall clock; the one random number generator is
//! [`Dice`], seeded.

pub mod ai;
pub mod combat;
pub mod day;
pub mod events;
pub mod flow;
pub mod fog;
pub mod game;
pub mod ground;
pub mod movement;
pub mod narrate;
pub mod orders;
pub mod posture;
pub mod rail;
pub mod search;
pub mod state;
pub mod supply;
pub mod withdrawal;

use std::sync::Arc;

use bevy::app::{App, Plugin};
use bevy::ecs::message::Messages;
use bevy::ecs::schedule::{Schedule, ScheduleLabel};
use bevy::prelude::*;
use serde::Serialize;

use crate::geo::Offset;
use crate::scenario::Scenario;
use crate::scenario::ids::{CrossingId, PlaceId, RiverId, SideId, UnitId};
use events::{Chronicle, GameEvent, Logged};
use orders::Order;
use state::{
    Board, Cache, Controller, Depots, Dice, Forces, HighCommand, ScenarioRes, UnitState,
    UnitStatus, Withdrawal,
};

pub use day::{DayCursor, Stage, Stop, advance, give, play_day, step};
pub use game::{GameState, GameStateRef, state_hash};

/// The first schedule of a day: arrivals and departures.
#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
pub struct DayStart;
/// One side's phase: its supply, its operational decisions, its orders.
#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
pub struct SidePhase;
/// The last schedule of a day: control, captures, objectives, territory, the clock.
#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
pub struct DayEnd;
/// Applies the orders a player has queued during their side's phase, and nothing else:
/// the window runs it after each order, so a move shows at once.
#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
pub struct ApplyOrders;

/// The phases of a day, in order.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub enum TurnSystems {
    /// Reinforcements and departures.
    Arrivals,
    /// Rail and last-mile supply.
    Supply,
    /// Withdrawal decisions.
    OperationalAi,
    /// Orders of the active side.
    Orders,
    /// Control, captures, objectives and territory.
    Consolidation,
    /// Events into the chronicle.
    Record,
}

/// Orders waiting to be applied in the active side's phase (a player's, or a replay's).
#[derive(Resource, Debug, Default)]
pub struct OrderQueue(pub Vec<Order>);

/// One recorded order.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct LoggedOrder {
    /// Turn.
    pub turn: u32,
    /// The side that gave it.
    pub side: SideId,
    /// The order.
    pub order: Order,
}

/// Every order applied, in order: with the seed, this replays the game.
#[derive(Resource, Debug, Default, Clone)]
pub struct OrderLog(pub Vec<LoggedOrder>);

/// The [`state::state_hash`] at the end of each day played: (turn, hash).
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct StateHashes(pub Vec<(u32, String)>);

/// Present in a game played only to be measured (a batch, a study, a report's games),
/// which is never saved nor replayed: its days are not hashed ([`StateHashes`] stays
/// empty), which saves a tenth of the time of a game. Not part of the game's state.
#[derive(Resource, Debug, Default)]
pub struct Unhashed;

/// Present in a game that replays a save of format 3: each day's end also records the
/// state's hash as that format took it ([`GameStateRef::hash_of_text`]), to be compared
/// with the save's: (turn, hash). Not part of the game's state.
#[derive(Resource, Debug, Default)]
pub struct TextHashes(pub Vec<(u32, String)>);

/// Territory each side has gained, km², as of yesterday's end.
#[derive(Resource, Debug, Default, Clone)]
pub struct Territory(pub Vec<f64>);

/// The rules plugin: resources, schedules and systems. Insert a [`ScenarioRes`] first.
pub struct RulesPlugin {
    /// Seed of the dice.
    pub seed: u64,
    /// Controller of each side.
    pub controllers: Vec<Controller>,
}

/// Sets up a new game of `scenario` in a world (the scenario, its initial state, the dice,
/// an empty chronicle and order log), replacing any game already there. The window uses
/// this to start over on a reloaded or newly chosen scenario without a new app.
pub fn new_game(
    world: &mut World,
    scenario: Arc<Scenario>,
    seed: u64,
    controllers: Vec<Controller>,
) {
    GameState::new(&scenario, seed, controllers).insert(world);
    world.insert_resource(ScenarioRes(scenario));
    world.insert_resource(OrderQueue::default());
    if let Some(mut pending) = world.get_resource_mut::<Messages<GameEvent>>() {
        pending.clear();
    }
}

impl Plugin for RulesPlugin {
    fn build(&self, app: &mut App) {
        let s = app.world().resource::<ScenarioRes>().0.clone();
        new_game(app.world_mut(), s, self.seed, self.controllers.clone());
        app.add_message::<GameEvent>()
            .add_schedule(Schedule::new(DayStart))
            .add_schedule(Schedule::new(SidePhase))
            .add_schedule(Schedule::new(DayEnd))
            .add_schedule(Schedule::new(ApplyOrders));
        for schedule in [
            DayStart.intern(),
            SidePhase.intern(),
            DayEnd.intern(),
            ApplyOrders.intern(),
        ] {
            app.configure_sets(
                schedule,
                (
                    TurnSystems::Arrivals,
                    TurnSystems::Supply,
                    TurnSystems::OperationalAi,
                    TurnSystems::Orders,
                    TurnSystems::Consolidation,
                    TurnSystems::Record,
                )
                    .chain(),
            );
            app.add_systems(schedule, record_events.in_set(TurnSystems::Record));
        }
        app.add_systems(DayStart, start_day.in_set(TurnSystems::Arrivals))
            .add_systems(
                SidePhase,
                (
                    run_supply.in_set(TurnSystems::Supply),
                    operational_ai.in_set(TurnSystems::OperationalAi),
                    (side_orders, capture_caches, blow_bridges)
                        .chain()
                        .in_set(TurnSystems::Orders),
                ),
            )
            .add_systems(
                DayEnd,
                (
                    consolidate_control,
                    capture_caches,
                    blow_bridges,
                    rail_condition,
                    objectives_and_territory,
                )
                    .chain()
                    .in_set(TurnSystems::Consolidation),
            )
            .add_systems(
                DayEnd,
                (record_state_hash, advance_clock)
                    .chain()
                    .after(TurnSystems::Record),
            )
            .add_systems(
                ApplyOrders,
                (side_orders, capture_caches, blow_bridges)
                    .chain()
                    .in_set(TurnSystems::Orders),
            );
    }
}

fn start_day(
    scenario: Res<ScenarioRes>,
    clock: Res<DayCursor>,
    mut board: ResMut<Board>,
    mut forces: ResMut<Forces>,
    mut out: MessageWriter<GameEvent>,
) {
    let s = &scenario.0;
    out.write(GameEvent::DayStarted { turn: clock.turn });
    // A new day's trains.
    for t in &mut board.rail_moves {
        *t = 0;
    }
    for u in &mut forces.units {
        u.moved = false;
        u.attacked = false;
    }
    let occupied: Vec<Offset> = forces
        .units
        .iter()
        .filter(|u| u.active())
        .map(state::UnitState::hex)
        .collect();
    for id in 0..forces.units.len() {
        let id = UnitId(id);
        let spec = &s.units[id];
        let side = forces.units[id].side;
        if forces.units[id].status() == UnitStatus::Waiting
            && spec.arrives.is_some_and(|d| d <= clock.date)
        {
            // An arrival waits while enemies stand in its hex.
            let enemy_there = occupied.contains(&spec.hex) && s.control_at(spec.hex) != Some(side);
            if !enemy_there {
                forces.set_status(id, UnitStatus::Active);
                board.control[s.index(spec.hex)] = Some(side);
                out.write(GameEvent::ReinforcementArrived {
                    unit: id,
                    side,
                    hex: (spec.hex.col, spec.hex.row),
                });
            }
        }
        if forces.units[id].status() == UnitStatus::Active
            && spec.departs.is_some_and(|d| d <= clock.date)
        {
            forces.set_status(id, UnitStatus::Departed);
            out.write(GameEvent::UnitDeparted { unit: id });
        }
    }
}

fn run_supply(
    scenario: Res<ScenarioRes>,
    clock: Res<DayCursor>,
    mut board: ResMut<Board>,
    mut depots: ResMut<Depots>,
    mut forces: ResMut<Forces>,
    mut out: MessageWriter<GameEvent>,
) {
    out.write_batch(supply::supply_phase(
        &scenario.0,
        &mut board,
        &mut depots,
        &mut forces,
        clock.active_side(),
    ));
}

#[allow(clippy::too_many_arguments)]
fn operational_ai(
    scenario: Res<ScenarioRes>,
    clock: Res<DayCursor>,
    board: Res<Board>,
    depots: Res<Depots>,
    mut forces: ResMut<Forces>,
    mut command: ResMut<HighCommand>,
    dice: Res<Dice>,
    mut log: ResMut<OrderLog>,
    mut out: MessageWriter<GameEvent>,
) {
    let s = &scenario.0;
    let side = clock.active_side();
    if matches!(
        command.controllers[side],
        Controller::Idle | Controller::Human
    ) {
        return;
    }
    ai::advance_plans(s, &board, &forces, &mut command, &clock, side);
    for g in s.grouping_ids() {
        let grouping = s.grouping(g);
        if grouping.side != side {
            continue;
        }
        // The commander's estimate of the enemy near this grouping, off by up to the
        // rules' intel_error.
        let estimate = posture::estimate(&dice, clock.turn, g, s.rules.intel_error);
        // Only a grouping with a line to fall back to is assessed for it, once a day.
        let assessment = if grouping.fallback.is_empty() {
            None
        } else {
            withdrawal::assess(s, &board, &depots, &forces, g, estimate)
        };
        let reasons = assessment
            .as_ref()
            .map(|a| withdrawal::reasons(s, a, side))
            .unwrap_or_default();
        let enough = assessment
            .as_ref()
            .and_then(|a| withdrawal::reasons_to_withdraw(s, a, side));
        let withdrawing = command.withdrawals[g].is_some();
        let mut order_back = |reasons: Vec<events::Reason>| {
            log.0.push(LoggedOrder {
                turn: clock.turn,
                side,
                order: Order::Withdraw { grouping: g },
            });
            out.write(GameEvent::WithdrawalOrdered {
                grouping: g,
                side,
                reasons,
            });
        };
        if !withdrawing && let Some(reasons) = enough {
            command.withdrawals[g] = Some(Withdrawal {
                turn: clock.turn,
                date: clock.date,
            });
            order_back(reasons);
        } else if withdrawing
            && command.line[g] + 1 < grouping.lines()
            && withdrawal::on_line(&forces, g, grouping.line(command.line[g]))
            && let Some(reasons) = enough
        {
            // On its line and still in trouble: back to the next one.
            command.line[g] += 1;
            order_back(reasons);
        } else if withdrawing && assessment.is_some() && reasons.is_empty() {
            // Reassessed each day: with no reason left to fall back, it stands fast.
            command.withdrawals[g] = None;
            for u in &mut forces.units {
                if u.grouping == g {
                    u.abandoned = false;
                }
            }
            log.0.push(LoggedOrder {
                turn: clock.turn,
                side,
                order: Order::StandFast { grouping: g },
            });
            out.write(GameEvent::WithdrawalEnded { grouping: g, side });
        }
        let Some(at) = posture::situation(s, &forces, g, estimate) else {
            continue;
        };
        let has_goals = !ai::attack_goals(s, &board, &forces, &command, g).is_empty();
        let (now, why) = posture::choose(s, &command, g, &at, has_goals);
        if now != command.posture[g] {
            command.posture[g] = now;
            if now != posture::Posture::Withdraw {
                out.write(GameEvent::PostureTaken {
                    grouping: g,
                    side,
                    posture: now,
                    why,
                });
            }
        }
    }
}

/// Checks and applies one order for the active side, recording it or its refusal.
pub fn issue(
    s: &Scenario,
    world: &mut PhaseWorld,
    side: SideId,
    order: Order,
    out: &mut Vec<GameEvent>,
) -> bool {
    issue_in(s, world, side, order, None, out)
}

/// [`issue`], with the moving unit's reach if the AI has found it already on this board
/// ([`ai::unit_reach`]).
fn issue_in(
    s: &Scenario,
    world: &mut PhaseWorld,
    side: SideId,
    order: Order,
    reach: Option<&movement::Reach>,
    out: &mut Vec<GameEvent>,
) -> bool {
    // A move is checked with the way it takes, which it then walks.
    let checked = match &order {
        Order::Move { unit, to } => {
            orders::check_move_in(s, world.board, world.forces, side, *unit, *to, reach).map(Some)
        }
        _ => orders::check(s, world.board, world.forces, side, &order).map(|_| None),
    };
    match checked {
        Err(r) => {
            out.push(GameEvent::OrderRefused {
                side,
                order,
                reason: r,
            });
            false
        }
        Ok(checked) => {
            world.log.push(LoggedOrder {
                turn: world.turn,
                side,
                order: order.clone(),
            });
            match order {
                Order::Move { unit, .. } => {
                    if let Some(checked) = checked {
                        walk(s, world, unit, &checked, out);
                    }
                }
                Order::Attack { attackers, target } => out.extend(orders::apply_attack(
                    s,
                    world.board,
                    world.forces,
                    world.rng,
                    &attackers,
                    target,
                )),
                Order::Hold { unit } => {
                    hold(s, world, unit, out);
                }
                Order::RailMove { unit, to } => {
                    out.extend(orders::apply_rail_move(
                        s,
                        world.board,
                        world.forces,
                        unit,
                        to,
                    ));
                }
                Order::FirstCall { depot, first } => {
                    // (A state read from before first call existed has none recorded.)
                    world.board.first_call.resize(s.depots.len(), false);
                    if world.board.first_call[depot.0] != first {
                        world.board.first_call[depot.0] = first;
                        out.push(GameEvent::DepotFirstCall { depot, side, first });
                    }
                }
                Order::StandFast { grouping } => {
                    if world.command.withdrawals[grouping].take().is_some() {
                        for u in &mut world.forces.units {
                            if u.grouping == grouping {
                                u.abandoned = false;
                            }
                        }
                        out.push(GameEvent::WithdrawalEnded { grouping, side });
                    }
                }
                Order::Withdraw { grouping } => {
                    if world.command.withdrawals[grouping.0].is_none() {
                        world.command.withdrawals[grouping.0] = Some(Withdrawal {
                            turn: world.turn,
                            date: world.date,
                        });
                    } else if withdrawal::on_line(
                        world.forces,
                        grouping,
                        s.grouping(grouping).line(world.command.line[grouping]),
                    ) {
                        // Already falling back and on its line: on to the next, if any.
                        let last = s.grouping(grouping).lines().saturating_sub(1);
                        world.command.line[grouping] = (world.command.line[grouping] + 1).min(last);
                    }
                    // A player's order: said, and carried out at once by the grouping's
                    // units (the operational AI says its own, with its reasons, and moves
                    // its units in its orders).
                    if world.command.controllers[side] == Controller::Human {
                        out.push(GameEvent::WithdrawalOrdered {
                            grouping,
                            side,
                            reasons: Vec::new(),
                        });
                        fall_back(s, world, side, grouping, out);
                    }
                }
            }
            true
        }
    }
}

/// A checked move applied: a withdrawing unit first leaves what it cannot carry.
fn walk(
    s: &Scenario,
    world: &mut PhaseWorld,
    unit: UnitId,
    checked: &orders::CheckedMove,
    out: &mut Vec<GameEvent>,
) {
    withdrawal_losses(s, world, unit, out);
    out.extend(orders::apply_move(
        s,
        world.board,
        world.forces,
        unit,
        checked,
    ));
}

/// A player's grouping ordered back moves toward its line as the AI's would: each unit
/// that has neither moved nor attacked today takes its best step back (leaving behind what
/// it cannot carry), and one with no way back holds and leaves what it cannot take. The
/// moves follow from the logged `Withdraw` and are not logged themselves, so a replay
/// makes them again from it.
fn fall_back(
    s: &Scenario,
    world: &mut PhaseWorld,
    side: SideId,
    grouping: crate::scenario::ids::GroupingId,
    out: &mut Vec<GameEvent>,
) {
    let line = s
        .grouping(grouping)
        .line(world.command.line[grouping])
        .to_vec();
    let units: Vec<UnitId> = world
        .forces
        .units
        .iter()
        .filter(|u| u.active() && u.grouping == grouping && !u.moved && !u.attacked)
        .map(|u| u.id)
        .collect();
    let field = ai::goal_field(
        s,
        world.board,
        world.forces,
        &line,
        side,
        true,
        Some(&units),
    );
    for id in units {
        let u = &world.forces.units[id];
        let reach = (field[s.index(u.hex())] != u32::MAX)
            .then(|| ai::unit_reach(s, world.board, world.forces, id));
        let to = reach
            .as_ref()
            .and_then(|r| ai::best_move_in(s, world.forces, id, &field, true, r));
        let checked = to.and_then(|to| {
            orders::check_move_in(s, world.board, world.forces, side, id, to, reach.as_ref()).ok()
        });
        match checked {
            Some(checked) => walk(s, world, id, &checked, out),
            None => hold(s, world, id, out),
        }
    }
}

/// The state an order touches, borrowed for the length of a phase.
pub struct PhaseWorld<'a> {
    /// Board.
    pub board: &'a mut Board,
    /// Units.
    pub forces: &'a mut Forces,
    /// `HighCommand`.
    pub command: &'a mut HighCommand,
    /// Dice.
    pub rng: &'a mut rand_chacha::ChaCha8Rng,
    /// Order log.
    pub log: &'a mut Vec<LoggedOrder>,
    /// Turn.
    pub turn: u32,
    /// Date.
    pub date: chrono::NaiveDate,
}

/// A unit holds for the day. If its grouping is withdrawing, it leaves behind what it cannot
/// move; cut off from its fallback line, it leaves everything.
fn hold(s: &Scenario, world: &mut PhaseWorld, unit: UnitId, out: &mut Vec<GameEvent>) {
    let u = &world.forces.units[unit];
    let g = u.grouping;
    world.forces.units[unit].moved = true;
    if world.command.withdrawals[g].is_none() || world.forces.units[unit].abandoned {
        return;
    }
    if ai::can_fall_back(s, world.board, world.forces, unit, world.command.line[g]) {
        withdrawal_losses(s, world, unit, out);
    } else {
        let u = &mut world.forces.units[unit];
        u.abandoned = true;
        abandon(world.board, u, 1.0, out);
    }
}

/// Share of its equipment a unit in contact with the enemy leaves behind when it breaks off.
pub const DISENGAGEMENT_LOSS: f64 = 0.3;

/// A unit of a withdrawing grouping leaves behind what it cannot move: 60% of the share of
/// its supply it lacks (units carry some fuel of their own), plus a share when it must break
/// contact with the enemy; all of it when routed.
fn withdrawal_losses(s: &Scenario, world: &mut PhaseWorld, unit: UnitId, out: &mut Vec<GameEvent>) {
    let u = &world.forces.units[unit];
    if world.command.withdrawals[u.grouping].is_none() || u.abandoned {
        return;
    }
    let in_contact =
        movement::Threats::for_side(s, world.forces, u.side).enemy_zoc[s.index(u.hex())];
    let u = &mut world.forces.units[unit];
    u.abandoned = true;
    let fuel = 0.6 * (1.0 - u.supply_share);
    let contact = if in_contact { DISENGAGEMENT_LOSS } else { 0.0 };
    let share = if u.readiness < s.rules.routed_readiness {
        1.0
    } else {
        (fuel + contact).clamp(0.0, 1.0)
    };
    abandon(world.board, u, share, out);
}

fn abandon(board: &mut Board, u: &mut UnitState, share: f64, out: &mut Vec<GameEvent>) {
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
        });
        board.caches.push(Cache {
            hex: u.hex(),
            side: u.side,
            unit: u.id,
            items,
        });
    }
}

#[allow(clippy::too_many_arguments)]
fn side_orders(
    scenario: Res<ScenarioRes>,
    clock: Res<DayCursor>,
    mut board: ResMut<Board>,
    mut forces: ResMut<Forces>,
    mut command: ResMut<HighCommand>,
    mut dice: ResMut<Dice>,
    mut queue: ResMut<OrderQueue>,
    mut log: ResMut<OrderLog>,
    mut out: MessageWriter<GameEvent>,
) {
    let s = &scenario.0;
    let side = clock.active_side();
    let mut events = Vec::new();
    let mut world = PhaseWorld {
        board: &mut board,
        forces: &mut forces,
        command: &mut command,
        rng: &mut dice.0,
        log: &mut log.0,
        turn: clock.turn,
        date: clock.date,
    };
    // Queued orders (a player's) first, in the order given.
    for order in std::mem::take(&mut queue.0) {
        issue(s, &mut world, side, order, &mut events);
    }
    if !matches!(
        world.command.controllers[side],
        Controller::Idle | Controller::Human
    ) {
        run_ai(s, &mut world, side, &mut events);
    }
    out.write_batch(events);
}

/// A unit of a delaying grouping out of contact: it stays where it is today.
fn delays_out_of_contact(
    s: &Scenario,
    command: &HighCommand,
    enemy_zoc: &[bool],
    u: &state::UnitState,
) -> bool {
    command.posture[u.grouping] == posture::Posture::Delay && !enemy_zoc[s.index(u.hex())]
}

/// What a grouping's distance field is toward: its goals (sorted) and whether it keeps off
/// enemy ground.
type FieldKey = (Vec<Offset>, bool);

fn run_ai(s: &Scenario, world: &mut PhaseWorld, side: SideId, events: &mut Vec<GameEvent>) {
    let goals = ai::goals(s, world.board, world.forces, world.command, side);
    let garrisons = ai::garrison_hexes(s);
    // The enemy does not move in this side's phase: where its zones of control lie is
    // known once for every move.
    let enemy_zoc = movement::Threats::for_side(s, world.forces, side).enemy_zoc;
    // Moves, unit by unit in the scenario's order. Groupings making for the same hexes
    // (pursuers after the enemy's depots, say) share one field, exact where their units
    // that have yet to move could go.
    let keys: Vec<Option<FieldKey>> = goals
        .iter()
        .enumerate()
        .map(|(g, hexes)| {
            (!hexes.is_empty()).then(|| {
                let mut sorted = hexes.clone();
                sorted.sort_unstable();
                sorted.dedup();
                (sorted, world.command.withdrawals[g].is_some())
            })
        })
        .collect();
    let mut made: Vec<(FieldKey, std::rc::Rc<Vec<u32>>)> = Vec::new();
    let mut fields: Vec<Option<std::rc::Rc<Vec<u32>>>> = vec![None; keys.len()];
    for (g, key) in keys.iter().enumerate() {
        let Some(key) = key else { continue };
        if let Some((_, field)) = made.iter().find(|(k, _)| k == key) {
            fields[g] = Some(field.clone());
            continue;
        }
        // The units that will read it (the enemy's zones of control do not change in this
        // phase, so those staying out of contact are known now).
        let readers: Vec<UnitId> = world
            .forces
            .units
            .iter()
            .filter(|u| {
                u.active()
                    && u.side == side
                    && !u.moved
                    && !u.attacked
                    && keys[u.grouping.0].as_ref() == Some(key)
                    && !delays_out_of_contact(s, world.command, &enemy_zoc, u)
            })
            .map(|u| u.id)
            .collect();
        if readers.is_empty() {
            // Nobody reads it.
            continue;
        }
        let field = std::rc::Rc::new(ai::goal_field(
            s,
            world.board,
            world.forces,
            &key.0,
            side,
            key.1,
            Some(&readers),
        ));
        made.push((key.clone(), field.clone()));
        fields[g] = Some(field);
    }
    for id in (0..world.forces.units.len()).map(UnitId) {
        let u = &world.forces.units[id];
        if !u.active() || u.side != side || u.moved || u.attacked {
            continue;
        }
        let withdrawing = world.command.withdrawals[u.grouping].is_some();
        let Some(field) = &fields[u.grouping] else {
            continue;
        };
        // A garrison stays (unless its grouping falls back); a delaying grouping gives
        // ground only where it is in contact.
        if !withdrawing && ai::in_garrison(s, world.board, world.forces, &garrisons, u) {
            continue;
        }
        if delays_out_of_contact(s, world.command, &enemy_zoc, u) {
            continue;
        }
        let cut_off = withdrawing && field[s.index(u.hex())] == u32::MAX;
        let reach = (!cut_off).then(|| ai::unit_reach(s, world.board, world.forces, id));
        let to = reach
            .as_ref()
            .and_then(|r| ai::best_move_in(s, world.forces, id, field, withdrawing, r));
        match to {
            Some(to) => {
                let order = Order::Move { unit: id, to };
                issue_in(s, world, side, order, reach.as_ref(), events);
            }
            // A withdrawing unit that cannot move holds, leaving what it cannot take.
            None if withdrawing => {
                issue(s, world, side, Order::Hold { unit: id }, events);
            }
            None => {}
        }
    }
    // (Let go, so that the counts of where the enemy stands are brought up to date in
    // place as attacks move it.)
    drop(enemy_zoc);
    // Then attacks, one at a time, each chosen as the last one left things.
    let mut attacks = ai::Attacks::new(world.forces, side);
    while let Some(order) = attacks.next(s, world.board, world.forces, world.command, &garrisons) {
        if !issue(s, world, side, order, events) {
            break;
        }
    }
}

/// A side that loses the hex of a bridge blows the bridge behind it.
fn blow_bridges(
    scenario: Res<ScenarioRes>,
    mut board: ResMut<Board>,
    mut out: MessageWriter<GameEvent>,
) {
    let s = &scenario.0;
    for (i, c) in s.crossings.iter().enumerate() {
        let now = board.control[s.index(c.hex)];
        let before = board.crossing_holder[i];
        if now == before {
            continue;
        }
        board.crossing_holder[i] = now;
        if c.kind == crate::scenario::raw::CrossingKind::Bridge
            && board.crossing_intact[i]
            && let Some(loser) = before
        {
            board.crossing_intact[i] = false;
            out.write(GameEvent::BridgeBlown {
                crossing: CrossingId(i),
                river: RiverId(c.river),
                by: loser,
            });
            let mut wrecked = Vec::new();
            rail::bridge_blown(s, &mut board, i, &mut wrecked);
            out.write_batch(wrecked);
        }
    }
}

/// The rail lines' condition at the day's end: wrecked where the enemy holds track,
/// repaired a day further where one side holds a whole line.
fn rail_condition(
    scenario: Res<ScenarioRes>,
    mut board: ResMut<Board>,
    mut out: MessageWriter<GameEvent>,
) {
    let mut events = Vec::new();
    rail::day_end(&scenario.0, &mut board, &mut events);
    out.write_batch(events);
}

fn capture_caches(
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

fn consolidate_control(
    scenario: Res<ScenarioRes>,
    mut board: ResMut<Board>,
    forces: Res<Forces>,
    command: Res<HighCommand>,
) {
    ground::consolidate(&scenario.0, &mut board, &forces, &command);
}

fn objectives_and_territory(
    scenario: Res<ScenarioRes>,
    mut board: ResMut<Board>,
    mut territory: ResMut<Territory>,
    mut out: MessageWriter<GameEvent>,
) {
    let s = &scenario.0;
    for (i, o) in s.objectives.iter().enumerate() {
        let holder = board.control[s.index(s.places[o.place].hex)];
        if holder != board.objective_holder[i] {
            board.objective_holder[i] = holder;
            if let Some(by) = holder {
                out.write(GameEvent::ObjectiveCaptured {
                    place: PlaceId(o.place),
                    by,
                    points: o.points,
                });
            }
        }
    }
    let area = s.frame.hex_area_km2();
    for side in s.side_ids() {
        let gained = board
            .control
            .iter()
            .zip(&s.control)
            .filter(|(now, start)| **now == Some(side) && **start != Some(side))
            .count() as f64
            * area;
        let change = gained - territory.0[side];
        territory.0[side] = gained;
        if change.abs() > 0.0 {
            out.write(GameEvent::TerritoryChanged {
                side,
                gained_km2: gained.round(),
                change_km2: change.round(),
            });
        }
    }
}

fn record_state_hash(world: &mut World) {
    if world.contains_resource::<Unhashed>() {
        return;
    }
    let h = state_hash(world);
    let turn = world.resource::<DayCursor>().turn;
    world.resource_mut::<StateHashes>().0.push((turn, h));
    if world.contains_resource::<TextHashes>() {
        let h = GameStateRef::of(world).hash_of_text();
        world.resource_mut::<TextHashes>().0.push((turn, h));
    }
}

fn advance_clock(scenario: Res<ScenarioRes>, mut clock: ResMut<DayCursor>) {
    clock.next_day(scenario.0.turns);
}

/// Moves this schedule's messages into the chronicle. Draining (rather than reading)
/// keeps each message in the chronicle once, whichever schedule wrote it.
fn record_events(
    scenario: Res<ScenarioRes>,
    forces: Res<Forces>,
    clock: Res<DayCursor>,
    mut messages: ResMut<Messages<GameEvent>>,
    mut chronicle: ResMut<Chronicle>,
) {
    let s = &scenario.0;
    // What each side's units see now, found once for the events of this step.
    let mut seen: Option<Vec<Vec<bool>>> = None;
    for e in messages.drain() {
        let seen = seen.get_or_insert_with(|| {
            s.side_ids()
                .map(|side| fog::visible_to(s, &forces, side))
                .collect()
        });
        let known_to = s
            .side_ids()
            .map(|side| fog::event_known(s, &e, side, &seen[side.0]))
            .collect();
        chronicle.0.push(Logged {
            turn: clock.turn,
            date: clock.date,
            event: e,
            known_to,
        });
    }
}

/// The controllers a side gets unless told otherwise: `Plan` for sides whose scenario has
/// a plan, `Ai` for the others.
pub fn default_controllers(s: &Scenario) -> Vec<Controller> {
    s.side_ids()
        .map(|i| {
            if s.has_plan(i) {
                Controller::Plan
            } else {
                Controller::Ai
            }
        })
        .collect()
}

/// A game driven headless: the command line, the reports and the tests play through this.
/// The day's flow is [`day`]'s; this only owns the app.
pub struct Simulation {
    app: App,
}

impl Simulation {
    /// A new game of a scenario with a seed and a controller for each side.
    pub fn new(scenario: Arc<Scenario>, seed: u64, controllers: Vec<Controller>) -> Self {
        let mut app = App::new();
        app.add_plugins(MinimalPlugins)
            .insert_resource(ScenarioRes(scenario))
            .add_plugins(RulesPlugin { seed, controllers });
        app.finish();
        app.cleanup();
        Simulation { app }
    }

    /// A new game that will not be saved nor replayed: the same game as [`Simulation::new`]
    /// gives, without a hash of the state at each day's end ([`Unhashed`]).
    pub fn unhashed(scenario: Arc<Scenario>, seed: u64, controllers: Vec<Controller>) -> Self {
        let mut sim = Simulation::new(scenario, seed, controllers);
        sim.app.world_mut().insert_resource(Unhashed);
        sim
    }

    /// The scenario.
    pub fn scenario(&self) -> Arc<Scenario> {
        self.app.world().resource::<ScenarioRes>().0.clone()
    }

    /// The world, to read any resource.
    pub fn world(&self) -> &World {
        self.app.world()
    }

    /// The world, to change it as the tests must.
    pub fn world_mut(&mut self) -> &mut World {
        self.app.world_mut()
    }

    /// Runs the next step of the day ([`day::step`]).
    pub fn step(&mut self) {
        step(self.app.world_mut());
    }

    /// Steps until a person must give orders or the day ends ([`day::advance`]).
    pub fn advance(&mut self) -> Stop {
        advance(self.app.world_mut())
    }

    /// Plays on to the end of the day ([`day::play_day`]).
    pub fn play_day(&mut self) {
        play_day(self.app.world_mut());
    }

    /// Gives orders for the side whose phase it is ([`day::give`]).
    pub fn give(&mut self, orders: impl IntoIterator<Item = Order>) {
        give(self.app.world_mut(), orders);
    }

    /// Where the game stands.
    pub fn cursor(&self) -> &DayCursor {
        self.app.world().resource::<DayCursor>()
    }

    /// Whether every turn has been played.
    pub fn is_over(&self) -> bool {
        self.cursor().is_over()
    }

    /// Every event so far.
    pub fn chronicle(&self) -> &[Logged] {
        &self.app.world().resource::<Chronicle>().0
    }

    /// Every order so far.
    pub fn orders(&self) -> &[LoggedOrder] {
        &self.app.world().resource::<OrderLog>().0
    }
}
