//! The window rests when nothing moves: it redraws on input, and otherwise every two
//! seconds (so that a scenario edited in another window is still reloaded), instead of as
//! fast as it can. While something is in motion (the AI's moves being shown, a key or
//! mouse button held for panning or zooming, a state just changed, the pointer on a new
//! hex, a screenshot on its way) it asks for the next frame at once.

use std::time::Duration;

use bevy::prelude::*;
use bevy::render::view::screenshot::Screenshot;
use bevy::window::RequestRedraw;
use bevy::winit::{UpdateMode, WinitSettings};
use bevy_egui::{EguiInput, EguiPreUpdateSet, egui};

use super::animation::MovesShown;
use super::screenshot::AutoScreenshot;
use super::view::{Screen, Turn};

/// How long the window waits for input before it looks again on its own.
const IDLE_WAIT: Duration = Duration::from_secs(2);

pub(super) fn plugin(app: &mut App) {
    app.insert_resource(WinitSettings {
        focused_mode: UpdateMode::reactive(IDLE_WAIT),
        unfocused_mode: UpdateMode::reactive_low_power(IDLE_WAIT),
    })
    .add_systems(
        PreUpdate,
        unchanged_modifiers_are_no_news
            .after(EguiPreUpdateSet::ProcessInput)
            .before(EguiPreUpdateSet::BeginPass),
    )
    .add_systems(Last, keep_awake);
}

/// What, having just changed, needs another frame: the screen, the turn, the hex under
/// the pointer.
type Changes<'w> = (
    Res<'w, State<Screen>>,
    Option<Res<'w, State<Turn>>>,
    Option<Res<'w, super::orders::Hovered>>,
);

/// Asks for the next frame while anything is in motion.
fn keep_awake(
    moves: Option<Res<MovesShown>>,
    keys: Res<ButtonInput<KeyCode>>,
    mouse: Res<ButtonInput<MouseButton>>,
    auto_shot: Option<Res<AutoScreenshot>>,
    shots: Query<(), With<Screenshot>>,
    (screen, turn, hovered): Changes<'_>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let busy = moves.is_some_and(|m| m.current().is_some())
        || keys.get_pressed().next().is_some()
        || mouse.get_pressed().next().is_some()
        || auto_shot.is_some()
        || !shots.is_empty()
        || screen.is_changed()
        || turn.is_some_and(|t| t.is_changed())
        // A new hex under the pointer: its tooltip is laid out this frame, drawn the next.
        || hovered.is_some_and(|h| h.is_changed());
    if busy {
        redraw.write(RequestRedraw);
    }
}

/// `bevy_egui` tells egui the state of the modifier keys every frame, as an event; egui
/// takes any event as a reason to paint again at once, so the window would never rest.
/// The event is dropped when the modifiers are as they were last frame.
fn unchanged_modifiers_are_no_news(
    mut inputs: Query<&mut EguiInput>,
    mut last: Local<Option<egui::Modifiers>>,
) {
    for mut input in &mut inputs {
        input.0.events.retain(|e| match e {
            egui::Event::ModifiersChanged(m) => {
                let news = *last != Some(*m);
                *last = Some(*m);
                news
            }
            _ => true,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::animation::Step;
    use crate::scenario::ids::UnitId;

    fn redraws(app: &mut App) -> usize {
        app.update();
        app.world_mut()
            .resource_mut::<Messages<RequestRedraw>>()
            .drain()
            .count()
    }

    #[test]
    fn the_window_asks_for_frames_only_while_something_moves() {
        let mut app = crate::gui::driver::headless_app(false);
        app.add_message::<RequestRedraw>()
            .add_systems(Last, keep_awake);
        app.update();
        app.world_mut()
            .resource_mut::<Messages<RequestRedraw>>()
            .drain()
            .for_each(drop);
        assert_eq!(redraws(&mut app), 0, "at rest");
        // The AI's moves being shown.
        let o = crate::geo::Offset { col: 1, row: 1 };
        app.world_mut()
            .resource_mut::<MovesShown>()
            .steps
            .push_back(Step::Move {
                unit: UnitId(0),
                from: o,
                to: o,
            });
        assert_eq!(redraws(&mut app), 1, "a move on screen");
        app.world_mut().resource_mut::<MovesShown>().steps.clear();
        assert_eq!(redraws(&mut app), 0, "at rest again");
        // A key held down (panning).
        app.world_mut()
            .resource_mut::<ButtonInput<KeyCode>>()
            .press(KeyCode::ArrowLeft);
        assert_eq!(redraws(&mut app), 1, "a key held");
        app.world_mut()
            .resource_mut::<ButtonInput<KeyCode>>()
            .release(KeyCode::ArrowLeft);
        app.world_mut()
            .resource_mut::<ButtonInput<KeyCode>>()
            .clear();
        assert_eq!(redraws(&mut app), 0, "released");
    }

    #[test]
    fn the_modifier_keys_reach_egui_only_when_they_change() {
        let mut app = App::new();
        app.add_systems(Update, unchanged_modifiers_are_no_news);
        let e = app.world_mut().spawn(EguiInput::default()).id();
        let frame = |app: &mut App, m: egui::Modifiers| {
            let mut input = app.world_mut().get_mut::<EguiInput>(e).unwrap();
            input.0.events.clear();
            input.0.events.push(egui::Event::ModifiersChanged(m));
            input.0.events.push(egui::Event::Text("x".into()));
            app.update();
            let events = &app.world().get::<EguiInput>(e).unwrap().0.events;
            assert!(
                events.contains(&egui::Event::Text("x".into())),
                "other input passes"
            );
            events
                .iter()
                .any(|ev| matches!(ev, egui::Event::ModifiersChanged(_)))
        };
        assert!(
            frame(&mut app, egui::Modifiers::NONE),
            "the first frame says"
        );
        assert!(
            !frame(&mut app, egui::Modifiers::NONE),
            "unchanged: no news"
        );
        assert!(frame(&mut app, egui::Modifiers::SHIFT), "shift pressed");
        assert!(!frame(&mut app, egui::Modifiers::SHIFT));
        assert!(frame(&mut app, egui::Modifiers::NONE), "shift released");
    }
}
