//! Showing what happened: the AI's moves one after another and each combat marked on the
//! map with its result, rather than all in a flash (Space skips). What to show comes from
//! the driver's announcements.

use crate::scenario::ids::{SideId, UnitId};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::geometry::{HEX_WORLD, hex_to_world};
use super::messages::{Happened, WindowSystems};
use super::view::Viewer;
use crate::geo::Offset;
use crate::rules::events::GameEvent;
use crate::rules::state::{Controller, Forces, HighCommand, ScenarioRes};

pub(super) fn plugin(app: &mut App) {
    app.add_plugins(queue_plugin)
        .add_systems(
            Update,
            (show_moves, draw_combat).in_set(WindowSystems::Update),
        )
        .add_systems(EguiPrimaryContextPass, combat_label);
}

/// What to show, from what the driver says happened (no drawing: the window's logic
/// alone, as the tests run it).
pub(super) fn queue_plugin(app: &mut App) {
    app.init_resource::<MovesShown>()
        .add_systems(Update, queue_steps.in_set(WindowSystems::React));
}

/// Seconds each of the AI's moves takes on screen.
const MOVE_SECONDS: f32 = 0.3;
/// Seconds each combat's result stays on the map.
const COMBAT_SECONDS: f32 = 1.5;

/// One thing being shown on the map.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Step {
    /// A unit moving from one hex to another.
    Move {
        unit: UnitId,
        from: Offset,
        to: Offset,
    },
    /// A combat: arrows from the attackers' hexes to the target, and its result.
    Combat {
        target: Offset,
        from: Vec<Offset>,
        result: String,
    },
}

impl Step {
    fn seconds(&self) -> f32 {
        match self {
            Step::Move { .. } => MOVE_SECONDS,
            Step::Combat { .. } => COMBAT_SECONDS,
        }
    }
}

/// The moves and combats of the last advance, shown one after another rather than in a
/// flash.
#[derive(Resource, Default)]
pub(super) struct MovesShown {
    /// In the order they happened.
    pub(super) steps: std::collections::VecDeque<Step>,
    /// Seconds into the first step.
    elapsed: f32,
}

impl MovesShown {
    /// Where a unit is drawn while its moves are being shown: between `from` and `to`,
    /// `t` of the way (0 before its turn comes).
    pub(super) fn position(&self, unit: UnitId) -> Option<(Offset, Offset, f32)> {
        let (i, from, to) = self
            .steps
            .iter()
            .enumerate()
            .find_map(|(i, step)| match step {
                Step::Move { unit: u, from, to } if *u == unit => Some((i, *from, *to)),
                _ => None,
            })?;
        let t = if i == 0 {
            (self.elapsed / MOVE_SECONDS).clamp(0.0, 1.0)
        } else {
            0.0
        };
        Some((from, to, t))
    }

    /// The step being shown now.
    pub(super) fn current(&self) -> Option<&Step> {
        self.steps.front()
    }
}

fn show_moves(time: Res<Time>, keys: Res<ButtonInput<KeyCode>>, mut moves: ResMut<MovesShown>) {
    if moves.steps.is_empty() {
        return;
    }
    if keys.just_pressed(KeyCode::Space) {
        moves.steps.clear();
        return;
    }
    moves.elapsed += time.delta_secs();
    if moves
        .steps
        .front()
        .is_some_and(|s| moves.elapsed >= s.seconds())
    {
        moves.steps.pop_front();
        moves.elapsed = 0.0;
    }
}

fn offset(hex: (i32, i32)) -> Offset {
    Offset {
        col: hex.0,
        row: hex.1,
    }
}

/// Queues for showing what the driver says happened: the moves of units the people at
/// the screen do not command and every combat, those the viewing side knows of; another
/// game, or another day of this one, shows nothing of the last.
fn queue_steps(
    mut happened: MessageReader<Happened>,
    scenario: Res<ScenarioRes>,
    command: Res<HighCommand>,
    viewer: Res<Viewer>,
    forces: Res<Forces>,
    mut moves: ResMut<MovesShown>,
) {
    let s = &scenario.0;
    let human: Vec<bool> = command
        .controllers
        .iter()
        .map(|c| *c == Controller::Human)
        .collect();
    let viewer = viewer
        .0
        .or_else(|| human.iter().position(|h| *h).map(SideId));
    for h in happened.read() {
        let events = match h {
            Happened::GameReplaced { .. } => {
                *moves = MovesShown::default();
                continue;
            }
            Happened::PhasesRun { events, .. } | Happened::OrderGiven { events, .. } => events,
            Happened::Saved { .. } | Happened::Refused { .. } => continue,
        };
        let steps = events
            .iter()
            .filter(|l| viewer.is_none_or(|v| l.known_to(v)))
            .filter_map(|l| step_of(s, &human, &forces, &l.event));
        moves.steps.extend(steps);
    }
}

/// What an event shows on the map, if anything: a move of a unit nobody at the screen
/// commands, or a combat.
fn step_of(
    s: &crate::scenario::Scenario,
    human: &[bool],
    forces: &Forces,
    event: &GameEvent,
) -> Option<Step> {
    match event {
        GameEvent::UnitMoved { unit, from, to, .. } => {
            (!human.get(s.unit(*unit).side.0).copied().unwrap_or(false)).then_some(Step::Move {
                unit: *unit,
                from: offset(*from),
                to: offset(*to),
            })
        }
        GameEvent::CombatResolved {
            attackers,
            hex,
            odds,
            die,
            attacker_loss,
            defender_loss,
            retreat,
            hex_taken,
            ..
        } => Some(Step::Combat {
            target: offset(*hex),
            from: attackers
                .iter()
                .map(|a| forces.units[a.0].hex())
                .filter(|h| *h != offset(*hex))
                .collect(),
            result: format!(
                "{:.1} to 1, die {die}\nattackers -{:.0}%, defenders -{:.0}%{}",
                odds,
                attacker_loss * 100.0,
                defender_loss * 100.0,
                if *hex_taken {
                    ", hex taken".to_string()
                } else if *retreat > 0 {
                    format!(", {retreat} hex retreat")
                } else {
                    String::new()
                }
            ),
        }),
        _ => None,
    }
}

/// Draws the combat being shown: the target ringed in red, arrows from the attackers.
fn draw_combat(scenario: Res<ScenarioRes>, moves: Res<MovesShown>, mut gizmos: Gizmos) {
    let Some(Step::Combat { target, from, .. }) = moves.current() else {
        return;
    };
    let s = &scenario.0;
    let at = hex_to_world(s, *target);
    let red = Color::srgb(0.85, 0.05, 0.05);
    gizmos.circle_2d(at, HEX_WORLD * 0.5, red);
    gizmos.circle_2d(at, HEX_WORLD * 0.46, red);
    for h in from {
        let start = hex_to_world(s, *h);
        gizmos.arrow_2d(start, start.lerp(at, 0.8), red);
    }
}

/// The result of the combat being shown, written beside its hex.
pub(super) fn combat_label(
    mut contexts: EguiContexts,
    moves: Res<MovesShown>,
    scenario: Res<ScenarioRes>,
    camera: Single<(&Camera, &GlobalTransform)>,
    panels: Res<super::view::PanelRects>,
) -> Result {
    let Some(Step::Combat { target, result, .. }) = moves.current() else {
        return Ok(());
    };
    let ctx = contexts.ctx_mut()?;
    let at = hex_to_world(&scenario.0, *target) + Vec2::new(HEX_WORLD * 0.6, 0.0);
    let Some(screen) = panels.label_at(ctx, *camera, at, Vec2::ZERO) else {
        return Ok(());
    };
    egui::Area::new("combat_result".into())
        .order(egui::Order::Foreground)
        .fixed_pos(screen)
        .constrain_to(panels.map_rect(ctx))
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.strong("Combat");
                ui.label(result);
            });
        });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ais_moves_are_shown_one_after_another() {
        let a = Offset { col: 1, row: 1 };
        let b = Offset { col: 2, row: 1 };
        let mut moves = MovesShown::default();
        moves.steps.extend([
            Step::Move {
                unit: UnitId(7),
                from: a,
                to: b,
            },
            Step::Move {
                unit: UnitId(9),
                from: b,
                to: a,
            },
        ]);
        moves.elapsed = MOVE_SECONDS / 2.0;
        assert_eq!(moves.position(UnitId(7)), Some((a, b, 0.5)));
        assert_eq!(
            moves.position(UnitId(9)),
            Some((b, a, 0.0)),
            "the second waits where it started"
        );
        assert_eq!(moves.position(UnitId(3)), None);
    }
}
