//! Instructor mode: when nobody commands a side, the window keeps the state at the end of
//! every day played, so a teacher can step back to the day Kupiansk fell, show the class the
//! depot's numbers, and step forward again; and can look at the map through either side's
//! fog of war. The days kept follow what the driver announces; stepping through them is a
//! request to the driver.

use std::sync::Arc;

use bevy::prelude::*;
use bevy_egui::input::EguiWantsInput;

use super::animation::MovesShown;
use super::confirm::can_go_on;
use super::messages::{Happened, Replaced, Request, WindowSystems};
use super::view::{Dialogs, Turn};
use crate::rules::game::GameState;
use crate::rules::state::{Controller, HighCommand, ScenarioRes};
use crate::scenario::ids::SideId;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<DayHistory>()
        .init_resource::<FogView>()
        .init_resource::<super::view::TourLook>()
        .add_systems(
            Update,
            (
                keys.in_set(WindowSystems::RecordInput),
                keep_days.in_set(WindowSystems::React),
            ),
        );
}

/// The state before the first day and at the end of each day played, and which is shown.
#[derive(Resource, Default)]
pub(super) struct DayHistory {
    days: Vec<Arc<GameState>>,
    shown: usize,
}

impl DayHistory {
    /// Whether an earlier day can be shown.
    pub(super) fn can_go_back(&self) -> bool {
        self.shown > 0
    }

    /// Whether a later day, already played, can be shown.
    pub(super) fn can_go_forward(&self) -> bool {
        self.shown + 1 < self.days.len()
    }

    /// Days played after the one shown.
    pub(super) fn ahead(&self) -> usize {
        self.days.len().saturating_sub(self.shown + 1)
    }

    /// The day before the one shown, now shown; `None` at the first.
    pub(super) fn back(&mut self) -> Option<Arc<GameState>> {
        self.can_go_back().then(|| {
            self.shown -= 1;
            self.days[self.shown].clone()
        })
    }

    /// The next day already played, now shown; `None` when the newest is shown (a new day
    /// must be played).
    pub(super) fn forward(&mut self) -> Option<Arc<GameState>> {
        self.can_go_forward().then(|| {
            self.shown += 1;
            self.days[self.shown].clone()
        })
    }
}

/// Keeps the days as the driver says what it did: a new or loaded game starts them again
/// from its state, a watched save brings all of its own, and each day played while
/// nobody commands is kept (the newest shown).
fn keep_days(
    mut happened: MessageReader<Happened>,
    mut history: ResMut<DayHistory>,
    mut fog: ResMut<FogView>,
) {
    for h in happened.read() {
        match h {
            Happened::GameReplaced {
                why: Replaced::Started | Replaced::Loaded(_) | Replaced::Resumed,
                state,
            } => {
                *history = DayHistory {
                    days: vec![state.clone()],
                    shown: 0,
                };
                *fog = FogView::default();
            }
            Happened::GameReplaced {
                why: Replaced::Watched(days),
                ..
            } => {
                *history = DayHistory {
                    days: days.clone(),
                    shown: 0,
                };
                *fog = FogView::default();
            }
            Happened::PhasesRun {
                days_ended,
                watching: true,
                ..
            } => {
                history.days.extend(days_ended.iter().cloned());
                history.shown = history.days.len().saturating_sub(1);
            }
            _ => {}
        }
    }
}

/// Which side's fog of war the instructor looks through (`None`: everything).
#[derive(Resource, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct FogView(pub(super) Option<SideId>);

/// `[` and `]` step back and forward through the days played; F cycles the fog view.
#[allow(
    clippy::too_many_arguments,
    reason = "a system: each resource it reads"
)]
fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    wants: Res<EguiWantsInput>,
    command: Res<HighCommand>,
    sides: Res<ScenarioRes>,
    turn: Option<Res<State<Turn>>>,
    dialogs: Res<Dialogs>,
    moves: Res<MovesShown>,
    tour: Res<super::view::TourLook>,
    mut fog: ResMut<FogView>,
    mut requests: MessageWriter<Request>,
) {
    if wants.wants_keyboard_input()
        || dialogs.any()
        || command.controllers.contains(&Controller::Human)
    {
        return;
    }
    // A step through the days waits, as ending a phase does, for the moves being shown;
    // a lesson's tour holds the day of its stop.
    let can_step = can_go_on(turn.as_deref(), &dialogs, &moves) && !tour.touring();
    if can_step && keys.just_pressed(KeyCode::BracketLeft) {
        requests.write(Request::DayBack);
    }
    if can_step && keys.just_pressed(KeyCode::BracketRight) {
        requests.write(Request::DayForward);
    }
    if keys.just_pressed(KeyCode::KeyF) {
        fog.0 = next_fog(fog.0, sides.0.sides.len());
    }
}

/// The fog view after `now`: everything, then each side in turn.
pub(super) fn next_fog(now: Option<SideId>, sides: usize) -> Option<SideId> {
    match now {
        None if sides > 0 => Some(SideId(0)),
        Some(i) if i.0 + 1 < sides => Some(SideId(i.0 + 1)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::driver::{headless_app, request};
    use crate::rules::cursor::DayCursor;
    use crate::rules::events::Chronicle;
    use crate::rules::state::Forces;

    fn play_a_day(app: &mut App) {
        request(app, Request::GoOn);
    }

    #[test]
    fn the_instructor_steps_back_and_forward_through_the_days_played() {
        let mut app = headless_app(false);
        play_a_day(&mut app);
        let after_one = (
            app.world().resource::<Forces>().clone(),
            *app.world().resource::<DayCursor>(),
        );
        play_a_day(&mut app);
        let after_two = (
            app.world().resource::<Forces>().clone(),
            *app.world().resource::<DayCursor>(),
        );
        assert_eq!(after_two.1.turn, 3);
        assert_ne!(after_one.0, after_two.0, "the second day changed something");

        request(&mut app, Request::DayBack);
        assert_eq!(app.world().resource::<Forces>(), &after_one.0);
        assert_eq!(app.world().resource::<DayCursor>(), &after_one.1);
        assert!(app.world().resource::<DayHistory>().can_go_forward());

        // Forward shows the day already played; it is not played again.
        let events = app.world().resource::<Chronicle>().0.len();
        play_a_day(&mut app);
        assert_eq!(app.world().resource::<Forces>(), &after_two.0);
        assert_eq!(app.world().resource::<DayCursor>(), &after_two.1);
        assert!(app.world().resource::<Chronicle>().0.len() > events);
        assert!(!app.world().resource::<DayHistory>().can_go_forward());

        // Past the newest day, a new one is played.
        play_a_day(&mut app);
        assert_eq!(app.world().resource::<DayCursor>().turn, 4);
        assert_eq!(app.world().resource::<DayHistory>().days.len(), 4);

        // Back to the start.
        for _ in 0..3 {
            request(&mut app, Request::DayBack);
        }
        assert_eq!(app.world().resource::<DayCursor>().turn, 1);
        assert!(!app.world().resource::<DayHistory>().can_go_back());
    }

    #[test]
    fn the_fog_view_cycles_through_the_sides() {
        let (ua, ru) = (SideId(0), SideId(1));
        assert_eq!(next_fog(None, 2), Some(ua));
        assert_eq!(next_fog(Some(ua), 2), Some(ru));
        assert_eq!(next_fog(Some(ru), 2), None);
    }
}
