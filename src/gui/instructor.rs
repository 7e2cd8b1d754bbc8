//! Instructor mode: when nobody commands a side, the window keeps the state at the end of
//! every day played, so a teacher can step back to the day Kupiansk fell, show the class the
//! depot's numbers, and step forward again; and can look at the map through either side's
//! fog of war.

use crate::scenario::ids::SideId;
use bevy::prelude::*;
use bevy_egui::input::EguiWantsInput;

use crate::rules::GameState;
#[cfg(test)]
use crate::rules::events::Chronicle;
use crate::rules::state::HighCommand;
#[cfg(test)]
use crate::rules::state::{DayCursor, Forces};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<DayHistory>()
        .init_resource::<FogView>()
        .add_systems(Update, keys);
}

/// The state before the first day and at the end of each day played, and which is shown.
#[derive(Resource, Default)]
pub(super) struct DayHistory {
    days: Vec<GameState>,
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
}

/// Shows a replayed game from its start, with each of its days to step through; the
/// commanders of the snapshots become the AI's (`Idle` for the players), so that the
/// window watches rather than waits for orders.
pub(super) fn watch_replay(world: &mut World, mut days: Vec<GameState>) {
    for d in &mut days {
        for c in &mut d.command.controllers {
            if *c == crate::rules::state::Controller::Human {
                *c = crate::rules::state::Controller::Idle;
            }
        }
    }
    if let Some(first) = days.first() {
        first.restore(world);
    }
    world.insert_resource(DayHistory { days, shown: 0 });
    world.insert_resource(FogView::default());
}

/// Forgets the days of the last game and keeps the state of the new one's start.
pub(super) fn reset(world: &mut World) {
    let start = GameState::take(world);
    world.insert_resource(DayHistory {
        days: vec![start],
        shown: 0,
    });
    world.insert_resource(FogView::default());
}

/// Keeps the state at the end of a day just played (the newest day).
pub(super) fn day_played(world: &mut World) {
    let now = GameState::take(world);
    let mut history = world.resource_mut::<DayHistory>();
    history.days.push(now);
    history.shown = history.days.len() - 1;
}

/// Shows the day before the one shown.
pub(super) fn back(world: &mut World) {
    let Some(snapshot) = ({
        let mut h = world.resource_mut::<DayHistory>();
        if h.shown == 0 {
            None
        } else {
            h.shown -= 1;
            Some(h.days[h.shown].clone())
        }
    }) else {
        return;
    };
    snapshot.restore(world);
}

/// Shows the next day already played; `false` when the newest is shown (a new day must be
/// played).
pub(super) fn forward(world: &mut World) -> bool {
    let Some(snapshot) = ({
        let mut h = world.resource_mut::<DayHistory>();
        if h.shown + 1 >= h.days.len() {
            None
        } else {
            h.shown += 1;
            Some(h.days[h.shown].clone())
        }
    }) else {
        return false;
    };
    snapshot.restore(world);
    true
}

/// Which side's fog of war the instructor looks through (`None`: everything).
#[derive(Resource, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct FogView(pub(super) Option<SideId>);

/// A request from a key or button, applied by [`apply_request`].
#[derive(Resource, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    Back,
    Forward,
}

/// `[` and `]` step back and forward through the days played; F cycles the fog view.
fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    wants: Res<EguiWantsInput>,
    command: Res<HighCommand>,
    sides: Res<crate::rules::state::ScenarioRes>,
    mut fog: ResMut<FogView>,
    mut commands: Commands,
) {
    if wants.wants_keyboard_input()
        || command
            .controllers
            .contains(&crate::rules::state::Controller::Human)
    {
        return;
    }
    if keys.just_pressed(KeyCode::BracketLeft) {
        commands.insert_resource(Step::Back);
    }
    if keys.just_pressed(KeyCode::BracketRight) {
        commands.insert_resource(Step::Forward);
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
    use crate::gui::flow::headless_app;
    use crate::gui::view::GoOn;

    fn play_a_day(app: &mut App) {
        app.world_mut().write_message(GoOn);
        app.update();
    }

    #[test]
    fn the_instructor_steps_back_and_forward_through_the_days_played() {
        let mut app = headless_app(false);
        reset(app.world_mut());
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

        back(app.world_mut());
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
            back(app.world_mut());
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
