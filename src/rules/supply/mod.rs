//! Supply in two tiers, run at the start of each side's phase (so that what the enemy did
//! in its own phase today already counts).
//!
//! 1. Rail ([`trains`]): each side's supply flows from off-map sources over the rail graph
//!    to depots. A link is cut for a side while any hex it runs through is held by the
//!    enemy or lies next to an enemy unit (interdiction by fire). Flow is a maximum flow:
//!    each link carries at most its capacity per day, so the narrowest link on a route
//!    bounds it, and when one route is cut another carries what its own capacity allows.
//! 2. Last mile ([`last_mile`]): each unit draws from the cheapest depot of its side it can
//!    reach within the depot's range, over hexes its side holds and not through enemy
//!    zones of control (unless its own units stand there). Depot stocks rise with inflow
//!    and fall with what units draw; a depot that cannot meet its units' needs shares out
//!    what it has.
//!
//! Being short degrades a unit gradually: readiness falls each day, strength after some
//! days out of supply; both recover when supply returns. Every number is scenario data.
//! Why a unit has the supply it has, in words a player can act on, is [`mod@trace`]'s.

pub mod last_mile;
pub mod trace;
pub mod trains;

use bevy::prelude::*;

use crate::geo::Offset;
use crate::scenario::Scenario;
use crate::scenario::ids::{DepotId, SideId, UnitId};

use super::cursor::DayCursor;
use super::events::{GameEvent, Loss};
use super::movement::Threats;
use super::state::{Board, Depots, Fed, Feeding, Forces, ScenarioRes};

/// Each side's phase begins with its supply: both tiers, and what they do to its units.
#[allow(
    clippy::too_many_arguments,
    reason = "a system: each resource it reads"
)]
pub(super) fn run_supply(
    scenario: Res<ScenarioRes>,
    clock: Res<DayCursor>,
    mut board: ResMut<Board>,
    mut depots: ResMut<Depots>,
    mut forces: ResMut<Forces>,
    mut feeding: ResMut<Feeding>,
    mut out: MessageWriter<GameEvent>,
) {
    out.write_batch(supply_phase_feeding(
        &scenario.0,
        &mut board,
        &mut depots,
        &mut forces,
        clock.active_side(),
        &mut feeding,
    ));
}

/// The supply phase of one side, at the start of its phase (so that what the enemy did
/// in its own phase today already counts). Returns the events, in order.
pub fn supply_phase(
    s: &Scenario,
    board: &mut Board,
    depots: &mut Depots,
    forces: &mut Forces,
    side: SideId,
) -> Vec<GameEvent> {
    let mut feeding = Feeding(vec![Fed::default(); s.depots.len()]);
    supply_phase_feeding(s, board, depots, forces, side, &mut feeding)
}

/// [`supply_phase`], keeping which lines fed each of the side's depots ([`Feeding`]).
pub fn supply_phase_feeding(
    s: &Scenario,
    board: &mut Board,
    depots: &mut Depots,
    forces: &mut Forces,
    side: SideId,
    feeding: &mut Feeding,
) -> Vec<GameEvent> {
    let mut events = Vec::new();
    let served: Vec<SideId> = (0..s.depots.len()).map(|d| depots.owner(s, d)).collect();
    change_hands(s, board, depots, &mut events);
    events.extend(super::ground::isolate(s, board, forces, depots, side));
    let threats = Threats::for_side(s, forces, side);
    trains::note_cut_links(s, board, forces, &threats, side, &mut events);
    let own_depots: Vec<usize> = depots.serving(s, side).collect();
    trains::reckon_capacity(s, board, depots, forces, side, &own_depots);
    // Units draw only from depots with something to give: stock, or trains able to reach
    // it today. An emptied depot whose lines are cut, or one just taken whose lines are
    // not yet repaired, sends its units to the next.
    let giving: Vec<usize> = own_depots
        .iter()
        .copied()
        .filter(|d| depots.0[*d].stock >= 1.0 || depots.0[*d].capacity_now > 0.0)
        .collect();
    let asked = last_mile::last_mile(s, board, forces, &threats, side, &giving);
    let fed = trains::receive_by_rail(s, board, depots, side, &own_depots, &asked.demand);
    feeding.0.resize(s.depots.len(), Fed::default());
    for d in &own_depots {
        feeding.0[*d].clone_from(&fed[*d]);
    }
    let drawn = last_mile::draw_supply(s, board, depots, forces, side, &asked, &mut events);
    surrender_cut_off(s, board, depots, forces, side, &mut events);
    for d in own_depots {
        let st = &mut depots.0[d];
        st.stock = (st.stock - drawn[d]).max(0.0);
    }
    // One report per depot a day: each in the phase of the side it serves, held or lost;
    // one that passed from this side to a side whose phase came earlier today, now.
    let reported: Vec<usize> = (0..s.depots.len())
        .filter(|d| {
            let now = depots.owner(s, *d);
            now == side || (served[*d] == side && now < side)
        })
        .collect();
    for d in reported {
        let owner = depots.owner(s, d);
        let st = &mut depots.0[d];
        if !st.active {
            st.inflow = 0.0;
            st.demand = 0.0;
        }
        events.push(GameEvent::DepotSupply {
            depot: DepotId(d),
            side: owner,
            stock: st.stock.round(),
            inflow: st.inflow.round(),
            nominal_inflow: st.nominal_inflow.round(),
            demand: st.demand.round(),
            drawn: drawn[d].round(),
        });
    }
    events
}

/// Units of `side` cut off (on a hex it cannot trace over its own ground to its supply
/// network) and out of supply for the rules' `surrender_after_days` days in a row
/// surrender, as isolated units do in War in the East 2: a pocket that no depot reaches
/// does not hold out for ever. (A unit that has only outrun its depots, with its own ground
/// behind it, does not.) The unit is lost; its equipment stays in its hex, for the enemy to
/// capture with the hex (which no unit now holds, so it passes as the enemy arrives or as
/// ground cut off from supply).
fn surrender_cut_off(
    s: &Scenario,
    board: &mut Board,
    depots: &Depots,
    forces: &mut Forces,
    side: SideId,
    events: &mut Vec<GameEvent>,
) {
    let after = s.rules.surrender_after_days;
    if after == 0
        || !forces
            .units
            .iter()
            .any(|u| u.active() && u.side == side && u.days_out >= after)
    {
        return;
    }
    // A side with no network left on its own ground has every unit cut off.
    let traced = super::ground::traced(s, board, depots, side);
    let cut_off = |h: Offset| traced.as_ref().is_none_or(|t| !t[s.index(h)]);
    let lost: Vec<UnitId> = forces
        .units
        .iter()
        .filter(|u| u.active() && u.side == side && u.days_out >= after && cut_off(u.hex()))
        .map(|u| u.id)
        .collect();
    for unit in lost {
        super::combat::lose(board, forces, unit, Loss::CutOff, events);
    }
}

/// Depots change hands with their hex, as supply hubs do in Unity of Command II: a depot
/// whose hex the enemy holds is lost with its stock, and serves the captor from then on,
/// with the rules' `captured_stock_share` of that stock; its rail brings the captor
/// supply once the lines to it serve the captor (repaired). A depot whose hex nobody
/// holds serves nobody until a side holds it again.
fn change_hands(s: &Scenario, board: &mut Board, depots: &mut Depots, events: &mut Vec<GameEvent>) {
    for d in 0..s.depots.len() {
        let holder = board.control[s.index(s.depots[d].hex)];
        let owner = depots.owner(s, d);
        let st = &mut depots.0[d];
        if holder == Some(owner) {
            st.active = true;
            continue;
        }
        if !st.active && holder.is_none() {
            continue;
        }
        let lost = if st.active { st.stock } else { 0.0 };
        let kept = holder.map_or(0.0, |_| (lost * s.rules.captured_stock_share).floor());
        events.push(GameEvent::DepotCaptured {
            depot: DepotId(d),
            by: holder,
            stock: lost.round(),
            kept,
        });
        st.stock = kept;
        st.inflow = 0.0;
        st.nominal_inflow = 0.0;
        st.demand = 0.0;
        st.capacity_now = 0.0;
        st.capacity_open = 0.0;
        st.capacity_outlook = None;
        st.active = holder.is_some();
        if let Some(captor) = holder {
            st.taken_by = (captor != s.depots[d].side).then_some(captor);
            // Its new side has given it no call on the trains.
            if let Some(first) = board.first_call.get_mut(d) {
                *first = false;
            }
        }
    }
}
