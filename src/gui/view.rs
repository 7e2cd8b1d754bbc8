//! The window's own state, shared by its modules: which screen it shows and where a game
//! stands ([`Screen`] and [`Turn`], Bevy states), whose view it shows (fog of war), where
//! the panels lie (the map under them takes no clicks), and a notice with an OK button.

use bevy::prelude::*;
use bevy_egui::egui;

use crate::scenario::ids::SideId;

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

    /// The part of the window the map shows, in egui's points (the rectangles are kept in
    /// window pixels; presentation mode makes points larger).
    pub(super) fn map_rect(&self, ctx: &egui::Context) -> egui::Rect {
        let z = ctx.zoom_factor();
        let points: Vec<egui::Rect> = self.0.iter().map(|r| *r / z).collect();
        map_area(ctx.viewport_rect(), &points)
    }

    /// Where a label of a point of the map goes, in egui's points (which presentation mode
    /// makes larger than the window's pixels), moved by `offset` pixels; `None` when the
    /// point is off the screen or under a panel.
    pub(super) fn label_at(
        &self,
        ctx: &egui::Context,
        (camera, transform): (&Camera, &GlobalTransform),
        world: Vec2,
        offset: Vec2,
    ) -> Option<egui::Pos2> {
        let at = camera
            .world_to_viewport(transform, world.extend(0.0))
            .ok()?;
        if self.covers(at) {
            return None;
        }
        let at = (at + offset) / ctx.zoom_factor();
        Some(egui::pos2(at.x, at.y))
    }
}

/// The part of the window the map shows: the screen less the top bar, the side panel (or
/// the lesson tour's) and any wide panel along the bottom.
pub(super) fn map_area(screen: egui::Rect, panels: &[egui::Rect]) -> egui::Rect {
    let mut area = screen;
    for p in panels {
        if p.min.y <= screen.min.y + 1.0 && p.width() > screen.width() / 2.0 {
            area.min.y = area.min.y.max(p.max.y); // the top bar
        } else if p.min.x > screen.center().x {
            area.max.x = area.max.x.min(p.min.x); // the side panel
        } else if p.min.y > screen.center().y && p.width() > screen.width() / 2.0 {
            area.max.y = area.max.y.min(p.min.y); // a wide panel along the bottom
        }
    }
    area
}

/// Where a label goes among others already placed this frame: at `at`, or moved down
/// below any it would cover (its size is the one it had last frame, as egui remembers its
/// area). Returns the position, and notes the label's place in `placed`.
pub(super) fn clear_of(
    ctx: &egui::Context,
    id: egui::Id,
    mut at: egui::Pos2,
    placed: &mut Vec<egui::Rect>,
) -> egui::Pos2 {
    let size = ctx
        .memory(|m| m.area_rect(id))
        .map_or(egui::vec2(160.0, 24.0), |r| r.size());
    // Each pass moves it below one it covers; as many passes as labels placed settle it.
    for _ in 0..=placed.len() {
        let rect = egui::Rect::from_min_size(at, size);
        match placed.iter().find(|p| p.intersects(rect)) {
            Some(p) => at.y = p.max.y + 2.0,
            None => break,
        }
    }
    placed.push(egui::Rect::from_min_size(at, size));
    at
}

/// The side whose view the window shows (fog of war hides enemy units it cannot see);
/// `None` when watching the AI play both sides.
#[derive(Resource, Default, PartialEq, Eq)]
pub(super) struct Viewer(pub(super) Option<SideId>);

/// Which screen the window shows: the start screen (a scenario and who commands are
/// chosen, over the scenario's map) or a game.
#[derive(States, Default, Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(super) enum Screen {
    /// Choosing a game.
    #[default]
    Start,
    /// A game is on.
    Game,
}

/// Where a game stands for the window, derived from the rules'
/// [`DayCursor`](crate::rules::cursor::DayCursor) as it stops (see `driver::turn_at`): it exists
/// only
/// in [`Screen::Game`].
#[derive(SubStates, Default, Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[source(Screen = Screen::Game)]
pub(super) enum Turn {
    /// Nobody at this screen gives orders now: the AI plays, and a day is played when
    /// asked ("Play the day").
    #[default]
    Watching,
    /// Hot seat: the screen is being handed over to this side's player; the map stays
    /// hidden until they say they are ready.
    HandOver(SideId),
    /// This side's player gives orders.
    Orders(SideId),
    /// Play by file: the game has gone to the other player ([`Sent`] says how).
    Sent,
    /// The last day has been played.
    Over,
}

impl Turn {
    /// The side giving orders at this screen now, if any.
    pub(super) fn orders(self) -> Option<SideId> {
        match self {
            Turn::Orders(side) => Some(side),
            _ => None,
        }
    }
}

/// The side giving orders at this screen now, if a game is on and it is a player's phase.
pub(super) fn ordering(turn: Option<&State<Turn>>) -> Option<SideId> {
    turn.and_then(|t| t.get().orders())
}

/// Play by file: the message that says where the game went and how the other player
/// continues it.
#[derive(Resource, Default)]
pub(super) struct Sent(pub(super) String);

/// A window with a message and an OK button, anchored at `align` and `offset` pixels in
/// from that edge; true when OK is clicked.
pub(super) fn notice(
    ctx: &egui::Context,
    title: &str,
    text: &str,
    align: egui::Align2,
    offset: f32,
) -> bool {
    let mut ok = false;
    let y = if align == egui::Align2::CENTER_BOTTOM {
        -offset
    } else {
        offset
    };
    egui::Window::new(title)
        .collapsible(false)
        .anchor(align, [0.0, y])
        .show(ctx, |ui| {
            ui.label(text);
            ok = ui.button("OK").clicked();
        });
    ok
}

/// A dialog of the window: while one is open the map takes no clicks, no key ends a phase
/// or plays a day, and Esc closes the topmost. Later in this list is higher on the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Dialog {
    /// The scenario file changed, or no longer validates.
    Reload,
    /// The end of the game and its summary.
    Ending,
    /// The list of saves to load.
    Saves,
    /// Loading would lose orders not saved.
    ConfirmLoad,
    /// Ending the phase with units that have not acted.
    ConfirmEnd,
    /// The menu (resume, save, quit).
    Menu,
}

/// The dialogs open: each dialog says so while it is drawn ([`Dialogs::showing`]); what
/// was drawn in a frame is what the next frame's input sees. Also whether an egui pop-up
/// (a drop-down list) is open, which takes Esc for itself.
#[derive(Resource, Default, Debug)]
pub(super) struct Dialogs {
    open: Vec<Dialog>,
    drawn: Vec<Dialog>,
    /// An egui pop-up was open.
    pub(super) popup: bool,
}

impl Dialogs {
    /// A dialog is being drawn this frame.
    pub(super) fn showing(&mut self, d: Dialog) {
        self.drawn.push(d);
    }

    /// Whether a dialog was open (or a pop-up), so that the map and the keys behind it
    /// wait.
    pub(super) fn any(&self) -> bool {
        !self.open.is_empty() || self.popup
    }

    /// The topmost dialog open.
    pub(super) fn top(&self) -> Option<Dialog> {
        self.open.iter().max().copied()
    }
}

/// A request to bring a hex to the middle of the view (a unit chosen from the list, the
/// next unit that can act).
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct CentreOn(pub(super) crate::geo::Offset);

/// A request to close a dialog (Esc on the topmost).
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct CloseDialog(pub(super) Dialog);

/// The dialogs drawn this frame are those open for the next one's input.
pub(super) fn turn_the_page(mut dialogs: ResMut<Dialogs>) {
    let drawn = std::mem::take(&mut dialogs.drawn);
    dialogs.open = drawn;
}

/// Whether an egui pop-up is open, for Esc.
fn note_popups(mut contexts: bevy_egui::EguiContexts, mut dialogs: ResMut<Dialogs>) -> Result {
    let open = egui::Popup::is_any_open(contexts.ctx_mut()?);
    if dialogs.popup != open {
        dialogs.popup = open;
    }
    Ok(())
}

/// What only a window has: egui's pop-ups looked at each frame (the dialogs' own
/// bookkeeping is the driver's, with the rest of the window's state).
pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Presentation>()
        .init_resource::<TourLook>()
        .add_message::<LessonChosen>()
        .add_systems(bevy_egui::EguiPrimaryContextPass, note_popups);
}

/// Presentation mode: the panels, the counters and their figures enlarged for a
/// projector (P, or the lesson tour's button).
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Presentation(pub(super) bool);

impl Presentation {
    /// How much larger the counters and their figures are drawn: at the zoom of a
    /// lesson's closer steps on a 1280x720 screen their figures grow from about 9 pixels
    /// to about 15 (`tests/window.rs` measures them).
    pub(super) fn factor(self) -> f32 {
        if self.0 { 1.75 } else { 1.0 }
    }

    /// How much larger the panels' type is drawn (less than the counters: the panels must
    /// still leave the map room on a 1280x720 screen).
    pub(super) fn type_factor(self) -> f32 {
        if self.0 { 1.35 } else { 1.0 }
    }
}

/// What the lesson's tour shows, for a script's `Look` (`None`: no tour).
#[derive(Resource, Debug, Default, Clone)]
pub(super) struct TourLook(pub(super) Option<serde_json::Value>);

impl TourLook {
    /// Whether a lesson's tour is shown (and so holds the day of its stop).
    pub(super) fn touring(&self) -> bool {
        self.0.as_ref().is_some_and(|t| t["active"] == true)
    }
}

/// The start screen's choice: a lesson to give (`Some`), or a game of one's own (`None`,
/// which ends any tour).
#[derive(Message, Debug, Clone)]
pub(super) struct LessonChosen(pub(super) Option<std::sync::Arc<crate::lesson::Lesson>>);

#[cfg(test)]
mod label_tests {
    use super::*;

    #[test]
    fn labels_at_one_point_stack_and_a_label_elsewhere_stays() {
        let ctx = egui::Context::default();
        let mut placed = Vec::new();
        let id = |k: u32| egui::Id::new(("label", k));
        let p = egui::pos2(100.0, 100.0);
        let first = clear_of(&ctx, id(0), p, &mut placed);
        let second = clear_of(&ctx, id(1), p, &mut placed);
        let third = clear_of(&ctx, id(2), egui::pos2(105.0, 110.0), &mut placed);
        let far = clear_of(&ctx, id(3), egui::pos2(600.0, 100.0), &mut placed);
        assert_eq!(first, p);
        assert!(second.y >= first.y + 24.0, "{second:?}");
        assert!(third.y >= second.y + 24.0, "{third:?}");
        assert_eq!(far, egui::pos2(600.0, 100.0));
        for (k, a) in placed.iter().enumerate() {
            for b in &placed[k + 1..] {
                assert!(!a.intersects(*b), "{a:?} {b:?}");
            }
        }
    }
}
