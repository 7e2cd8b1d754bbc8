//! Playing the days: the top bar (date, turn, territory), the narration of the last day,
//! and the control that plays the next day (a button, or Enter). In this version the AI
//! commands every side, as in `railhead run`; the window runs the rules' own schedules.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use crate::rules::events::Chronicle;
use crate::rules::narrate::narrate_day;
use crate::rules::state::{Clock, ScenarioRes};
use crate::rules::{Territory, play_day};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<DayRequested>()
        .init_resource::<DayLog>()
        .add_systems(Update, request_day_on_key)
        .add_systems(
            Update,
            play_requested_day.run_if(|r: Res<DayRequested>| r.0),
        )
        .add_systems(EguiPrimaryContextPass, panels);
}

/// The player asked for the next day.
#[derive(Resource, Default)]
struct DayRequested(bool);

/// The narration of the last day played.
#[derive(Resource, Default)]
struct DayLog(Vec<String>);

fn request_day_on_key(keys: Res<ButtonInput<KeyCode>>, mut requested: ResMut<DayRequested>) {
    if keys.any_just_pressed([KeyCode::Enter, KeyCode::NumpadEnter]) {
        requested.0 = true;
    }
}

/// Plays one day through the rules' schedules and narrates it.
fn play_requested_day(world: &mut World) {
    world.resource_mut::<DayRequested>().0 = false;
    let s = world.resource::<ScenarioRes>().0.clone();
    if world.resource::<Clock>().turn > s.turns {
        return;
    }
    let before = world.resource::<Chronicle>().0.len();
    play_day(world);
    let lines = narrate_day(&s, &world.resource::<Chronicle>().0[before..]);
    world.resource_mut::<DayLog>().0 = lines;
}

fn panels(
    mut contexts: EguiContexts,
    scenario: Res<ScenarioRes>,
    clock: Res<Clock>,
    territory: Res<Territory>,
    log: Res<DayLog>,
    mut requested: ResMut<DayRequested>,
) -> Result {
    let s = &scenario.0;
    let ctx = contexts.ctx_mut()?;
    let mut root = egui::Ui::new(
        ctx.clone(),
        "panels_root".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    );
    let over = clock.turn > s.turns;
    egui::Panel::top("top_bar").show(&mut root, |ui| {
        ui.horizontal(|ui| {
            ui.strong(&s.name);
            ui.separator();
            if over {
                ui.label(format!("The scenario is over ({} days)", s.turns));
            } else {
                ui.label(format!(
                    "Turn {} of {}: {}",
                    clock.turn,
                    s.turns,
                    clock.date.format("%-d %B %Y")
                ));
            }
            for (i, side) in s.sides.iter().enumerate() {
                ui.separator();
                ui.label(format!(
                    "{}: {} km² taken",
                    side.name,
                    crate::render::group_thousands(territory.0[i].round() as u32)
                ));
            }
            ui.separator();
            if ui
                .add_enabled(!over, egui::Button::new("Play the day (Enter)"))
                .clicked()
            {
                requested.0 = true;
            }
            ui.separator();
            ui.label("drag / arrows / WASD: pan   wheel / + -: zoom   F12: screenshot   Esc: quit");
        });
    });
    egui::Panel::right("day_log").default_size(380.0).show(&mut root, |ui| {
        ui.heading("What happened");
        egui::ScrollArea::vertical().show(ui, |ui| {
            if log.0.is_empty() {
                ui.label("Nothing yet. Play the day to see the AI command both sides, as `railhead run` does.");
            }
            for line in &log.0 {
                ui.label(line.trim_start());
            }
        });
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use bevy::state::app::StatesPlugin;

    use super::*;
    use crate::rules::{RulesPlugin, default_controllers};

    #[test]
    fn asking_for_a_day_plays_it_through_the_rules_and_narrates_it() {
        let s = Arc::new(crate::scenario::load_or_default(None).unwrap());
        let mut app = App::new();
        app.add_plugins((MinimalPlugins, StatesPlugin))
            .insert_resource(ScenarioRes(s.clone()))
            .add_plugins(RulesPlugin {
                seed: 1,
                controllers: default_controllers(&s),
            })
            .init_resource::<DayRequested>()
            .init_resource::<DayLog>()
            .add_systems(
                Update,
                play_requested_day.run_if(|r: Res<DayRequested>| r.0),
            );
        app.update();
        assert_eq!(
            app.world().resource::<Clock>().turn,
            1,
            "no day is played unasked"
        );
        app.world_mut().resource_mut::<DayRequested>().0 = true;
        app.update();
        assert_eq!(app.world().resource::<Clock>().turn, 2);
        assert!(!app.world().resource::<DayRequested>().0);
        let log = &app.world().resource::<DayLog>().0;
        assert_eq!(
            log.first().map(String::as_str),
            Some("Day 1, 6 September 2022")
        );
        assert!(log.len() > 3);
    }
}
