//! The AI that gives a side its orders in its phase: withdrawing groupings fall back along
//! safe paths; in `plan` mode groupings advance along the scenario's axes from their dates;
//! in `ai` mode units make for the nearest objective their side does not hold. Then every
//! hex of enemies next to our units is attacked where the odds are good enough.
//! The AI only issues orders; the same checks apply to it as to a player.

use crate::geo::Offset;
use crate::scenario::Scenario;
use crate::scenario::ids::{GroupingId, SideId, UnitId};

use super::combat::{can_attack, odds_against};
use super::movement::{self, Threats};
use super::orders::Order;
use super::posture::Posture;
use super::state::{Board, Controller, DayCursor, Forces, HighCommand, UnitState};

/// Odds an advancing unit needs to attack.
pub const ATTACK_ODDS: f64 = 1.5;
/// Odds a holding unit needs to counter-attack.
pub const COUNTER_ODDS: f64 = 3.0;

/// How far, in hexes, a grouping of a defending side in `ai` mode looks for objectives to
/// take back: it pursues what is near, and otherwise holds.
pub const AI_REACH: u32 = 4;

/// What a grouping would go for if it attacked: under `plan`, the next objective of its
/// axis, and past the end of the axis the enemy's depots and the objectives the enemy
/// holds (it pursues, toward the enemy's supply); under `ai`, the objectives its side does
/// not hold within reach of its units ([`AI_REACH`]).
pub fn attack_goals(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    command: &HighCommand,
    g: GroupingId,
) -> Vec<Offset> {
    let side = s.grouping(g).side;
    let held = |h: Offset| board.control[s.index(h)] == Some(side);
    let enemy_objectives = || {
        s.objectives
            .iter()
            .map(|o| s.places[o.place].hex)
            .filter(|h| !held(*h))
    };
    match command.controllers[side] {
        Controller::Plan => match command.progress[g] {
            Some((step, done)) => match s.plans[step].axis.get(done) {
                Some(next) => vec![*next],
                None if s.plans[step].then == crate::scenario::raw::AxisEnd::Hold => Vec::new(),
                None => s
                    .depots
                    .iter()
                    // Depots change hands with their hex: the ones it does not hold.
                    .filter(|d| !held(d.hex))
                    .map(|d| d.hex)
                    .chain(enemy_objectives())
                    .collect(),
            },
            None => Vec::new(),
        },
        Controller::Ai => {
            let units = super::posture::units_of(forces, g);
            let near = super::ground::Near::units(s, &units, AI_REACH, s.objectives.len());
            enemy_objectives()
                .filter(|h| near.contains(s, *h))
                .collect()
        }
        Controller::Idle | Controller::Human => Vec::new(),
    }
}

/// The hexes each grouping of `side` is making for today, by its posture: its objectives
/// when it attacks, its fallback line when it withdraws, its fallback line (or else its
/// side's depots) for the units in contact when it delays, nothing when it holds.
pub fn goals(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    command: &HighCommand,
    side: SideId,
) -> Vec<Vec<Offset>> {
    s.grouping_ids()
        .map(|g| {
            let grouping = s.grouping(g);
            if grouping.side != side {
                return Vec::new();
            }
            match command.posture[g] {
                Posture::Withdraw => grouping.line(command.line[g]).to_vec(),
                Posture::Attack => attack_goals(s, board, forces, command, g),
                Posture::Delay if !grouping.fallback.is_empty() => grouping.fallback.clone(),
                Posture::Delay => s
                    .depots
                    .iter()
                    .filter(|d| board.control[s.index(d.hex)] == Some(side))
                    .map(|d| d.hex)
                    .collect(),
                Posture::Hold => Vec::new(),
            }
        })
        .collect()
}

/// The hexes the AI keeps garrisoned: every objective and every city.
pub fn garrison_hexes(s: &Scenario) -> Vec<Offset> {
    let mut hexes: Vec<Offset> = s
        .objectives
        .iter()
        .map(|o| s.places[o.place].hex)
        .chain(
            s.places
                .iter()
                .filter(|p| p.size == crate::scenario::raw::PlaceSize::City)
                .map(|p| p.hex),
        )
        .collect();
    hexes.sort();
    hexes.dedup();
    hexes
}

/// Whether a unit is part of a garrison its side keeps: it stands on an objective or a
/// city its side held at the start and holds now, among the first `garrison_units` of its
/// side's units there. (Places taken on the way are not garrisoned: an advance does not
/// leave its strength behind in every town it passes.)
pub fn in_garrison(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    garrisons: &[Offset],
    u: &UnitState,
) -> bool {
    if garrisons.binary_search(&u.hex()).is_err()
        || board.control[s.index(u.hex())] != Some(u.side)
        || s.control_at(u.hex()) != Some(u.side)
    {
        return false;
    }
    let rank = forces
        .in_hex(u.hex())
        .filter(|o| o.side == u.side && o.id < u.id)
        .count();
    (rank as u32) < s.rules.garrison_units
}

/// How near, in hexes, one of a grouping's units must come to a point of its axis for the
/// grouping to have passed it.
pub const AXIS_REACHED_WITHIN: u32 = 1;

/// Brings each grouping's plan up to date: the step in force today, and how far along its
/// axis the grouping has come. A point is passed when its side holds it and one of the
/// grouping's units stands within [`AXIS_REACHED_WITHIN`] hexes of it: ground its side has
/// claimed from afar does not move the grouping on, so it goes to the places of its axis.
/// A point once passed stays behind the grouping even if the enemy retakes it: an axis of
/// advance does not turn back.
pub fn advance_plans(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
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
        let reached = |at: Offset| {
            let hex = crate::geo::offset_to_hex(at);
            board.control[s.index(at)] == Some(side)
                && forces.units.iter().any(|u| {
                    u.active()
                        && u.grouping == g
                        && crate::geo::offset_to_hex(u.hex()).unsigned_distance_to(hex)
                            <= AXIS_REACHED_WITHIN
                })
        };
        while done < axis.len() && reached(axis[done]) {
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
    let here = score(u.hex());
    let best = reach
        .cost
        .iter()
        .filter(|(h, _)| movement::can_end_in(s, &threats, u, **h))
        .map(|(h, (cost, _))| (score(*h), *cost, *h))
        .min()?;
    (best.0 < here && best.2 != u.hex()).then_some(best.2)
}

/// The first attack worth making now (by target hex, in order), checked again before it
/// is applied: the AI makes one, then looks again. Units of groupings that attack need
/// `ATTACK_ODDS`; of groupings that hold, `COUNTER_ODDS`; groupings that delay or withdraw
/// do not attack, nor do garrisons (the [`garrison_hexes`]).
pub fn first_attack(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    command: &HighCommand,
    side: SideId,
    garrisons: &[Offset],
) -> Option<Order> {
    // Every unit on the map by hex, in the scenario's order within a hex: the targets, the
    // units next to each, and the defenders, each found by a look-up.
    let mut by_hex: Vec<(Offset, UnitId)> = forces
        .units
        .iter()
        .filter(|u| u.active())
        .map(|u| (u.hex(), u.id))
        .collect();
    by_hex.sort_unstable();
    let in_hex = |h: Offset| {
        let from = by_hex.partition_point(|(o, _)| *o < h);
        by_hex[from..]
            .iter()
            .take_while(move |(o, _)| *o == h)
            .map(|(_, id)| &forces.units[*id])
    };
    let mut targets: Vec<Offset> = by_hex
        .iter()
        .filter(|(_, id)| forces.units[*id].side != side)
        .map(|(h, _)| *h)
        .collect();
    targets.dedup();
    for t in targets {
        let mut attackers: Vec<UnitId> = s
            .neighbours(t)
            .flat_map(in_hex)
            .filter(|u| {
                u.side == side
                    && can_attack(s, u, side, t)
                    && matches!(command.posture[u.grouping], Posture::Attack | Posture::Hold)
                    && command.withdrawals[u.grouping].is_none()
                    && !in_garrison(s, board, forces, garrisons, u)
            })
            .map(|u| u.id)
            .collect();
        // In the scenario's order of units.
        attackers.sort_unstable();
        if attackers.is_empty() {
            continue;
        }
        let advancing = attackers
            .iter()
            .any(|a| command.posture[forces.units[*a].grouping] == Posture::Attack);
        let need = if advancing { ATTACK_ODDS } else { COUNTER_ODDS };
        if odds_against(s, forces, &attackers, t, in_hex(t)).ratio() >= need {
            return Some(Order::Attack {
                attackers,
                target: t,
            });
        }
    }
    None
}

/// Whether a unit can still reach its grouping's fallback line `line` over hexes its side
/// may cross in a withdrawal (its own ground, no enemy units): where the field toward the
/// line ([`goal_field`] avoiding enemy ground) reaches it.
pub fn can_fall_back(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    unit: UnitId,
    line: usize,
) -> bool {
    let u = &forces.units[unit];
    let threats = Threats::for_side(s, forces, u.side);
    movement::leads_to(s, board, u.hex(), s.groupings[u.grouping].line(line), |i| {
        threats.enemy_unit[i] || board.control[i].is_some_and(|c| c != u.side)
    })
}

/// The distance field toward a grouping's goals, over hexes not blocked for `side`, as
/// `units` will read it: exact wherever one of them could move today (within its movement
/// over the cheapest steps), and perhaps `u32::MAX` farther out, which none of them reads.
/// `None`: exact everywhere.
pub fn goal_field(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    goals: &[Offset],
    side: SideId,
    avoid_enemy_land: bool,
    units: Option<&[UnitId]>,
) -> Vec<u32> {
    let threats = Threats::for_side(s, forces, side);
    let n = s.terrain.len();
    let blocked = |i: usize| {
        threats.enemy_unit[i] || (avoid_enemy_land && board.control[i].is_some_and(|c| c != side))
    };
    let goal_hexes = movement::sorted_indices(s, goals);
    // Where each unit could go today at most: as many hexes from where it stands as its
    // full movement allowance buys at the cheapest step.
    let radius = |id: &UnitId| s.units[*id].movement / s.shortest_step;
    let needed: Option<Vec<bool>> = units.and_then(|units| {
        // Not worth marking much more than the whole map.
        let work: u64 = units
            .iter()
            .map(|id| {
                let r = u64::from(radius(id));
                3 * r * (r + 1) + 1
            })
            .sum();
        if work >= 2 * n as u64 {
            return None;
        }
        let mut m = vec![false; n];
        for id in units {
            for i in super::ground::indices_within(s, forces.units[*id].hex(), radius(id)) {
                // A blocked hex (not a goal) is never reached, so the field is `u32::MAX`
                // there in any case: waiting for it would only make the search cover
                // everything it can reach.
                m[i] = !blocked(i) || goal_hexes.binary_search(&i).is_ok();
            }
        }
        Some(m)
    });
    movement::distance_field_for(s, board, goals, blocked, needed.as_deref())
}
