//! Victory: the objectives each side holds, with their points, and the territory each has
//! gained since the start, in km², checked at each day's end; and the verdict the
//! scenario's levels of victory give of the game as it stands.

use bevy::prelude::*;

use super::events::GameEvent;
use super::state::{Board, ScenarioRes, Territory};
use crate::scenario::Scenario;
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

/// The scenario's verdict on the game as it stands: the first of its levels of victory
/// whose every condition holds for its side (victory points, territory taken, places
/// held), else its `otherwise`; `None` when the scenario gives no levels.
pub fn verdict<'s>(s: &'s Scenario, board: &Board, territory: &Territory) -> Option<&'s str> {
    let v = s.victory.as_ref()?;
    let side = v.side;
    let points = board.victory_points(s, side);
    let km2 = territory.0.get(side.0).copied().unwrap_or(0.0);
    let level = v.levels.iter().find(|l| {
        l.points_at_least.is_none_or(|p| points >= p)
            && l.km2_at_least.is_none_or(|k| km2 >= k)
            && l.holds
                .iter()
                .all(|p| board.control[s.index(s.places[*p].hex)] == Some(side))
    });
    Some(level.map_or(v.otherwise.as_str(), |l| l.name.as_str()))
}
