//! Undo and redo of the current side's orders within its phase: the game state before each
//! order given is kept, and undo puts it back; an attack's dice cannot be taken back. The
//! list follows what the driver announces: an order given joins it, a phase run or another
//! game empties it.

use std::sync::Arc;

use bevy::prelude::*;
use bevy_egui::input::EguiWantsInput;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::messages::{Happened, Replaced, Request, WindowSystems};
use super::view::{Dialogs, Turn, ordering};
use crate::rules::game::GameState;
use crate::rules::orders::Order;
use crate::rules::state::ScenarioRes;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<UndoHistory>()
        .add_systems(
            Update,
            (
                keys.in_set(WindowSystems::RecordInput),
                keep_orders.in_set(WindowSystems::React),
            ),
        )
        .add_systems(EguiPrimaryContextPass, undo_panel);
}

/// The current side's orders of this phase that can be taken back, and those taken back.
#[derive(Resource, Default)]
pub(super) struct UndoHistory {
    /// Orders given this phase, each with the state before it.
    done: Vec<(Arc<GameState>, Order)>,
    /// Orders taken back, the last first to give again.
    undone: Vec<Order>,
    /// Why older orders can no longer be undone, if they cannot, and since when (the
    /// game's clock, seconds): it shows while the attack is news.
    pub(super) note: Option<(String, f64)>,
}

/// Seconds the note that an attack cannot be undone stays on screen.
const NOTE_SECONDS: f64 = 8.0;

impl UndoHistory {
    /// The state before the last order given; the order moves to those taken back.
    pub(super) fn take_last(&mut self) -> Option<Arc<GameState>> {
        let (state, order) = self.done.pop()?;
        self.undone.push(order);
        Some(state)
    }

    /// The last order taken back, to give again.
    pub(super) fn take_undone(&mut self) -> Option<Order> {
        self.undone.pop()
    }

    /// Orders that can be taken back.
    pub(super) fn can_undo(&self) -> usize {
        self.done.len()
    }
}

/// Keeps the list as the driver says what it did: an order accepted joins it (an attack
/// empties it: its dice are rolled), a new order other than one given again empties the
/// orders taken back, and phases run or another game forget it all.
fn keep_orders(
    mut happened: MessageReader<Happened>,
    time: Res<Time>,
    mut undo: ResMut<UndoHistory>,
) {
    for h in happened.read() {
        match h {
            Happened::OrderGiven {
                order,
                outcome: Ok(()),
                before,
                redo,
                ..
            } => {
                if !redo {
                    undo.undone.clear();
                }
                if matches!(order, Order::Attack { .. }) {
                    undo.done.clear();
                    undo.undone.clear();
                    undo.note = Some((
                        "The attack's dice have been rolled: it, and the orders before it, cannot be undone."
                            .into(),
                        time.elapsed_secs_f64(),
                    ));
                } else {
                    undo.done.push((before.clone(), order.clone()));
                    undo.note = None;
                }
            }
            Happened::GameReplaced {
                why: Replaced::Undone,
                ..
            }
            | Happened::OrderGiven { .. }
            | Happened::Saved { .. }
            | Happened::Refused { .. } => {}
            Happened::GameReplaced { .. } | Happened::PhasesRun { .. } => {
                *undo = UndoHistory::default();
            }
        }
    }
}

/// Ctrl+Z undo, Ctrl+Y (or Ctrl+Shift+Z) redo, while a player gives orders.
fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    wants: Res<EguiWantsInput>,
    turn: Option<Res<State<Turn>>>,
    dialogs: Res<Dialogs>,
    mut requests: MessageWriter<Request>,
) {
    if wants.wants_keyboard_input() || dialogs.any() || ordering(turn.as_deref()).is_none() {
        return;
    }
    let ctrl = keys.any_pressed([KeyCode::ControlLeft, KeyCode::ControlRight]);
    let shift = keys.any_pressed([KeyCode::ShiftLeft, KeyCode::ShiftRight]);
    if ctrl && !shift && keys.just_pressed(KeyCode::KeyZ) {
        requests.write(Request::Undo);
    }
    if ctrl && (keys.just_pressed(KeyCode::KeyY) || (shift && keys.just_pressed(KeyCode::KeyZ))) {
        requests.write(Request::Redo);
    }
}

/// Undo and redo buttons while a player gives orders, and why an attack cannot be undone.
fn undo_panel(
    mut contexts: EguiContexts,
    time: Res<Time>,
    turn: Option<Res<State<Turn>>>,
    scenario: Res<ScenarioRes>,
    undo: Res<UndoHistory>,
    mut requests: MessageWriter<Request>,
) -> Result {
    if ordering(turn.as_deref()).is_none() {
        return Ok(());
    }
    let s = &scenario.0;
    let last = undo.done.last().map(|(_, o)| o.describe(s));
    let ctx = contexts.ctx_mut()?;
    egui::Area::new("undo_buttons".into())
        .anchor(egui::Align2::LEFT_BOTTOM, [180.0, -8.0])
        .show(ctx, |ui| {
            // On a frame of their own: a disabled button is drawn faded, and over the light
            // map it would show as an empty grey box.
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(undo.can_undo() > 0, egui::Button::new("Undo (Ctrl+Z)"))
                        .on_hover_text(
                            last.map_or("Nothing to undo in this phase.".to_string(), |l| {
                                format!("Take back: {l}")
                            }),
                        )
                        .clicked()
                    {
                        requests.write(Request::Undo);
                    }
                    if ui
                        .add_enabled(!undo.undone.is_empty(), egui::Button::new("Redo (Ctrl+Y)"))
                        .clicked()
                    {
                        requests.write(Request::Redo);
                    }
                    if let Some((n, since)) = &undo.note
                        && time.elapsed_secs_f64() - since < NOTE_SECONDS
                    {
                        ui.label(
                            egui::RichText::new(n)
                                .color(egui::Color32::from_rgb(150, 60, 20))
                                .background_color(egui::Color32::from_white_alpha(200)),
                        );
                    }
                })
            });
        });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::driver::{a_move, at_the_players_orders as app, request};
    use crate::rules::orders::OrderLog;
    use crate::rules::state::Forces;

    #[test]
    fn undo_restores_exactly_the_state_before_the_undone_orders_and_redo_gives_them_again() {
        let mut app = app();
        let before = GameState::take(app.world());
        let hash = crate::rules::game::state_hash(app.world());
        let (a, to_a) = a_move(&app, "92nd Mechanized Brigade");
        request(&mut app, Request::Give(Order::Move { unit: a, to: to_a }));
        let (b, to_b) = a_move(&app, "25th Airborne Brigade");
        request(&mut app, Request::Give(Order::Move { unit: b, to: to_b }));
        let after = crate::rules::game::state_hash(app.world());
        assert_ne!(after, hash);
        assert_eq!(app.world().resource::<OrderLog>().0.len(), 2);

        request(&mut app, Request::Undo);
        request(&mut app, Request::Undo);
        assert_eq!(
            crate::rules::game::state_hash(app.world()),
            hash,
            "two undos, back to the start of the phase"
        );
        assert_eq!(app.world().resource::<Forces>(), &before_forces(&before));
        assert!(
            app.world().resource::<OrderLog>().0.is_empty(),
            "the log forgets undone orders"
        );

        request(&mut app, Request::Redo);
        request(&mut app, Request::Redo);
        assert_eq!(
            crate::rules::game::state_hash(app.world()),
            after,
            "redo gives both orders again"
        );
    }

    fn before_forces(s: &GameState) -> Forces {
        s.forces.clone()
    }

    #[test]
    fn an_attack_cannot_be_undone() {
        let mut app = app();
        let (a, to) = a_move(&app, "92nd Mechanized Brigade");
        request(&mut app, Request::Give(Order::Move { unit: a, to }));
        assert_eq!(app.world().resource::<UndoHistory>().can_undo(), 1);
        let (attacker, target) = crate::gui::orders::put_next_to_an_enemy(&mut app);
        request(
            &mut app,
            Request::Give(Order::Attack {
                attackers: vec![attacker],
                target,
            }),
        );
        let undo_state = app.world().resource::<UndoHistory>();
        assert_eq!(undo_state.can_undo(), 0);
        assert!(
            undo_state
                .note
                .as_ref()
                .is_some_and(|(n, _)| n.contains("cannot be undone"))
        );
    }
}
