//! What the screen shows, shared by the modules that draw it: whose view it is (fog of
//! war) and where the panels lie (the map under them takes no clicks).

use bevy::prelude::*;
use bevy_egui::egui;

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
