//! Undo and redo of the current side's orders within its phase: the game state before each
//! order is kept, and undo puts it back; an attack's dice cannot be taken back.

use bevy::prelude::*;
use bevy_egui::{EguiPrimaryContextPass, egui};

use super::view::{PendingOrder, Turn, ordering};
use crate::rules::GameState;
use crate::rules::orders::Order;
use crate::rules::state::ScenarioRes;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Undo>()
        .add_systems(EguiPrimaryContextPass, undo_panel);
}

/// The current side's orders of this phase that can be taken back, and those taken back.
#[derive(Resource, Default)]
pub(super) struct Undo {
    /// Orders given this phase, each with the state before it.
    pub(super) done: Vec<(GameState, Order)>,
    /// Orders taken back, the last first to give again.
    undone: Vec<Order>,
    /// Set while an undone order is given again, so that the redo list is kept.
    redoing: bool,
    /// Why older orders can no longer be undone, if they cannot.
    pub(super) note: Option<String>,
}

/// Records an order the rules accepted, with the state before it.
pub(super) fn order_given(world: &mut World, before: GameState, order: Order) {
    let mut undo = world.resource_mut::<Undo>();
    if !undo.redoing {
        undo.undone.clear();
    }
    undo.redoing = false;
    if matches!(order, Order::Attack { .. }) {
        // The dice have been rolled: what came before cannot be taken back.
        undo.done.clear();
        undo.undone.clear();
        undo.note = Some(
            "The attack's dice have been rolled: it, and the orders before it, cannot be undone."
                .into(),
        );
    } else {
        undo.done.push((before, order));
        undo.note = None;
    }
}

/// Forgets the undo lists (a phase ended, a game was loaded).
pub(super) fn forget(world: &mut World) {
    if world.contains_resource::<Undo>() {
        world.insert_resource(Undo::default());
    }
}

/// Takes back the last order of this phase.
pub(super) fn undo(world: &mut World) {
    let Some((snapshot, order)) = world.resource_mut::<Undo>().done.pop() else {
        return;
    };
    snapshot.restore(world);
    world.resource_mut::<Undo>().undone.push(order);
}

/// Gives the last order taken back again.
pub(super) fn redo(world: &mut World) {
    let Some(order) = world.resource_mut::<Undo>().undone.pop() else {
        return;
    };
    world.resource_mut::<Undo>().redoing = true;
    world.resource_mut::<PendingOrder>().0 = Some(order);
}

/// Undo and redo buttons while a player gives orders, and why an attack cannot be undone.
fn undo_panel(world: &mut World) {
    if ordering(world.get_resource::<State<Turn>>()).is_none() {
        return;
    }
    let Some(ctx) = super::session::egui_context(world) else {
        return;
    };
    let s = world.resource::<ScenarioRes>().0.clone();
    let (can_undo, can_redo, last, note) = {
        let u = world.resource::<Undo>();
        (
            !u.done.is_empty(),
            !u.undone.is_empty(),
            u.done.last().map(|(_, o)| o.describe(&s)),
            u.note.clone(),
        )
    };
    let (mut do_undo, mut do_redo) = (false, false);
    egui::Area::new("undo_buttons".into())
        .anchor(egui::Align2::LEFT_BOTTOM, [180.0, -8.0])
        .show(&ctx, |ui| {
            // On a frame of their own: a disabled button is drawn faded, and over the light
            // map it would show as an empty grey box.
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.horizontal(|ui| {
                    do_undo = ui
                        .add_enabled(can_undo, egui::Button::new("Undo (Ctrl+Z)"))
                        .on_hover_text(
                            last.map_or("Nothing to undo in this phase.".to_string(), |l| {
                                format!("Take back: {l}")
                            }),
                        )
                        .clicked();
                    do_redo = ui
                        .add_enabled(can_redo, egui::Button::new("Redo (Ctrl+Y)"))
                        .clicked();
                    if let Some(n) = &note {
                        ui.label(
                            egui::RichText::new(n)
                                .color(egui::Color32::from_rgb(150, 60, 20))
                                .background_color(egui::Color32::from_white_alpha(200)),
                        );
                    }
                })
            });
        });
    if do_undo {
        undo(world);
    }
    if do_redo {
        redo(world);
    }
}
