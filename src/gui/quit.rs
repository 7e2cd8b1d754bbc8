//! Esc steps back and never loses a game by accident: it closes the topmost thing open
//! (a drop-down list, then the topmost dialog, the help, an attack being prepared, a
//! selected unit) and otherwise opens the menu (resume, save, quit, settings), which says
//! what quitting would lose.

use bevy::prelude::*;
use bevy_egui::input::EguiWantsInput;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::confirm::Settings;
use super::orders::Selection;
use super::panels::ShowHelp;
use super::saves::QuickSave;
use super::view::{CloseDialog, Dialog, Dialogs, Screen};

/// Whether the window is asking the player to confirm that they want to quit.
#[derive(Resource, Default, Debug, PartialEq, Eq)]
pub(super) struct QuitAsked(pub(super) bool);

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<QuitAsked>()
        .add_systems(Update, (on_escape, on_close_request))
        .add_systems(EguiPrimaryContextPass, quit_dialog);
}

/// Esc closes the topmost thing open, or asks to quit; Q, while asked, quits.
#[allow(
    clippy::too_many_arguments,
    reason = "a system: each thing Esc may close"
)]
fn on_escape(
    keys: Res<ButtonInput<KeyCode>>,
    wants: Option<Res<EguiWantsInput>>,
    dialogs: Res<Dialogs>,
    mut help: ResMut<ShowHelp>,
    selection: Option<ResMut<Selection>>,
    mut asked: ResMut<QuitAsked>,
    mut close: MessageWriter<CloseDialog>,
    mut exit: MessageWriter<AppExit>,
) {
    if wants.is_some_and(|w| w.wants_keyboard_input()) {
        return; // typing in a text field: the keys are the field's
    }
    if asked.0 && keys.just_pressed(KeyCode::KeyQ) {
        exit.write(AppExit::Success);
        return;
    }
    if !keys.just_pressed(KeyCode::Escape) || dialogs.popup {
        // (A drop-down list open takes Esc for itself.)
        return;
    }
    if asked.0 {
        asked.0 = false;
    } else if let Some(top) = dialogs.top() {
        close.write(CloseDialog(top));
    } else if help.0 {
        help.0 = false;
    } else if let Some(mut selection) = selection.filter(|s| s.unit.is_some() || s.attack.is_some())
    {
        *selection = Selection::default();
    } else {
        asked.0 = true;
    }
}

/// The window's close button asks too (the window plugin is told not to close by itself).
fn on_close_request(
    mut requests: MessageReader<bevy::window::WindowCloseRequested>,
    mut asked: ResMut<QuitAsked>,
) {
    if requests.read().count() > 0 {
        asked.0 = true;
    }
}

/// The menu: resume, save (in a game), quit, what quitting would lose, and the settings.
fn quit_dialog(
    mut contexts: EguiContexts,
    mut asked: ResMut<QuitAsked>,
    mut dialogs: ResMut<Dialogs>,
    mut settings: ResMut<Settings>,
    screen: Option<Res<State<Screen>>>,
    mut save: MessageWriter<QuickSave>,
    mut exit: MessageWriter<AppExit>,
) -> Result {
    if !asked.0 {
        return Ok(());
    }
    dialogs.showing(Dialog::Menu);
    let in_game = screen.is_some_and(|s| *s.get() == Screen::Game);
    let mut ask = settings.ask_before_ending;
    egui::Window::new("Railhead")
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(contexts.ctx_mut()?, |ui| {
            if in_game {
                ui.label(
                    "Quitting loses what was played since the last save (F5, or the \
                     autosave at each day's end).",
                );
            }
            ui.horizontal(|ui| {
                if ui.button("Resume (Esc)").clicked() {
                    asked.0 = false;
                }
                if in_game && ui.button("Save (F5)").clicked() {
                    save.write(QuickSave);
                }
                if ui.button("Quit (Q)").clicked() {
                    exit.write(AppExit::Success);
                }
            });
            ui.separator();
            ui.checkbox(
                &mut ask,
                "Ask before ending a phase when units have neither moved nor attacked",
            );
        });
    if ask != settings.ask_before_ending {
        settings.ask_before_ending = ask;
        settings.write();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> App {
        let mut app = App::new();
        app.add_message::<AppExit>()
            .add_message::<CloseDialog>()
            .init_resource::<ButtonInput<KeyCode>>()
            .init_resource::<Dialogs>()
            .init_resource::<ShowHelp>()
            .init_resource::<Selection>()
            .init_resource::<QuitAsked>()
            .add_systems(Update, on_escape);
        app
    }

    fn press(app: &mut App, key: KeyCode) -> bool {
        let mut keys = app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
        keys.clear();
        keys.release_all();
        keys.press(key);
        app.update();
        app.world_mut()
            .resource_mut::<Messages<AppExit>>()
            .drain()
            .count()
            > 0
    }

    #[test]
    fn the_close_button_asks_instead_of_quitting() {
        let mut app = app();
        app.add_message::<bevy::window::WindowCloseRequested>()
            .add_systems(Update, on_close_request);
        app.update();
        assert!(!app.world().resource::<QuitAsked>().0);
        app.world_mut()
            .write_message(bevy::window::WindowCloseRequested {
                window: Entity::PLACEHOLDER,
            });
        assert!(
            !press(&mut app, KeyCode::F1),
            "no quitting on a close request"
        );
        assert!(app.world().resource::<QuitAsked>().0, "the menu asks");
    }

    #[test]
    fn escape_closes_what_is_open_then_asks_and_only_q_quits() {
        let mut app = app();
        app.world_mut().resource_mut::<ShowHelp>().0 = true;
        app.world_mut().resource_mut::<Selection>().unit = Some(crate::scenario::ids::UnitId(0));
        // The help first, then the selection: nothing quits.
        assert!(!press(&mut app, KeyCode::Escape));
        assert!(!app.world().resource::<ShowHelp>().0);
        assert!(app.world().resource::<Selection>().unit.is_some());
        assert!(!press(&mut app, KeyCode::Escape));
        assert!(app.world().resource::<Selection>().unit.is_none());
        assert!(!app.world().resource::<QuitAsked>().0);
        // Then it asks; Esc again stays, and Q outside the question does nothing.
        assert!(!press(&mut app, KeyCode::Escape));
        assert!(app.world().resource::<QuitAsked>().0);
        assert!(!press(&mut app, KeyCode::Escape));
        assert!(!app.world().resource::<QuitAsked>().0);
        assert!(!press(&mut app, KeyCode::KeyQ));
        // Asked, Q quits.
        assert!(!press(&mut app, KeyCode::Escape));
        assert!(press(&mut app, KeyCode::KeyQ));
    }
}
