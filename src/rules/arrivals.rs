//! The day's start: reinforcements arrive on their dates (unless the enemy stands where
//! they would), units leave on theirs (to another front), and every unit may move and
//! attack again.

use bevy::prelude::*;

use super::cursor::DayCursor;
use super::events::GameEvent;
use super::state::{Board, Forces, ScenarioRes, UnitState, UnitStatus};
use crate::geo::Offset;
use crate::scenario::ids::UnitId;

/// The day's first system: a new day's trains, units ready to act, arrivals and
/// departures.
pub(super) fn start_day(
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
    board.crossing_units.clear();
    // Each side's strikes of the day; assets out of action today have none.
    board.strikes_used = s
        .strike_assets
        .iter()
        .map(|a| {
            if (a.turns.0..=a.turns.1).contains(&clock.turn) {
                0
            } else {
                a.per_day
            }
        })
        .collect();
    for u in &mut forces.units {
        u.moved = false;
        u.attacked = false;
    }
    let occupied: Vec<Offset> = forces
        .units
        .iter()
        .filter(|u| u.active())
        .map(UnitState::hex)
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
