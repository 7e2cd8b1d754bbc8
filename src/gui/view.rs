//! The window's own state, shared by its modules: what it is doing with the game (the
//! [`Flow`]), an order a click has made, whose view it shows (fog of war) and where the
//! panels lie (the map under them takes no clicks).

use bevy::prelude::*;
use bevy_egui::egui;

use crate::rules::orders::Order;

/// Where the top bar and side panel are on screen (logical pixels): the map under them
/// takes no clicks. (egui's own test, `is_pointer_over_area`, does not see panels laid
/// out in a hand-made root `Ui`.)
#[derive(Resource, Default)]
pub(super) struct PanelRects(pub(super) Vec<egui::Rect>);

impl PanelRects {
    /// Whether a window position is over a panel.
    pub(super) fn covers(&self, at: Vec2) -> bool {
        self.0.iter().any(|r| r.contains(egui::pos2(at.x, at.y)))
    }
}

/// The side whose view the window shows (fog of war hides enemy units it cannot see);
/// `None` when watching the AI play both sides.
#[derive(Resource, Default, PartialEq, Eq)]
pub(super) struct Viewer(pub(super) Option<usize>);

/// What the window is doing with the game (where the game stands is the rules'
/// [`DayCursor`](crate::rules::DayCursor)).
#[derive(Resource, Default)]
pub(super) struct Flow {
    /// A game has begun (the start screen is behind us).
    pub(super) started: bool,
    /// The side whose player is giving orders now, if any.
    pub(super) waiting: Option<usize>,
    /// The player (or the watch button) asked to go on.
    pub(super) advance_requested: bool,
    /// Play by file: the game has gone to the other player, with this message.
    pub(super) sent: Option<String>,
}

/// An order from a click, applied by the next exclusive step.
#[derive(Resource, Default)]
pub(super) struct PendingOrder(pub(super) Option<Order>);
