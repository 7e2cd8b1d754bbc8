//! Victory: the objectives each side holds, with their points, and the territory each has
//! gained since the start, in km², checked at each day's end.

use bevy::prelude::*;

use super::events::GameEvent;
use super::state::{Board, ScenarioRes, Territory};
use crate::scenario::ids::PlaceId;

/// The day's end: objectives that changed hands, and each side's territory gained.
pub(super) fn objectives_and_territory(
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
