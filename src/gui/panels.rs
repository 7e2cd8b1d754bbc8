//! The panels: the top bar (buttons, date, side to move, territory beside history, victory
//! points), the instructor's bar, the orders panel, the day's narration, the help, the
//! hand-over screen and the ending.

use crate::scenario::ids::SideId;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::animation::MovesShown;
use super::confirm::can_go_on;
use super::driver::Ending;
use super::messages::{EndPhase, Request};
use super::orders::{Hovered, RailHover, Selection, next_to_act, previewed_path};
use super::overlays::SupplyOverlay;
use super::view::{CentreOn, CloseDialog, Dialog, Dialogs, PanelRects, Screen, Turn, Viewer};
use crate::geo::Offset;
use crate::rules::cursor::DayCursor;
use crate::rules::events::Chronicle;
use crate::rules::movement::allowance;
use crate::rules::narrate::{narrate_day, supply_word};
use crate::rules::orders::Order;
use crate::rules::state::{Board, Controller, Forces, HighCommand, ScenarioRes, Territory};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ShowHelp>()
        .add_systems(Update, toggle_help)
        .add_systems(
            EguiPrimaryContextPass,
            (
                panels.in_set(PanelsDrawn),
                help_window,
                ending_window.run_if(in_state(Turn::Over)),
                hand_over_screen.after(super::animation::combat_label),
                legends,
            )
                .chain(),
        );
}

/// The top bar and the side panel are drawn (what draws over them comes after).
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct PanelsDrawn;

/// Whether the keyboard help is shown.
#[derive(Resource, Default)]
pub(super) struct ShowHelp(pub(super) bool);

/// Every shortcut, for the help window.
const SHORTCUTS: [(&str, &str); 24] = [
    (
        "click a unit",
        "select it (click again to cycle through a stack)",
    ),
    (
        "point at a yellow hex",
        "preview the path there and its cost in movement points",
    ),
    (
        "click a yellow hex",
        "move the selected unit there, onto your own units too (stacks move; a full hex is refused with the stacking limit)",
    ),
    (
        "N, or the panel's list of your forces",
        "select the next unit that can still act (greyed counters have moved or attacked today), and bring it into view",
    ),
    (
        "Shift+click",
        "select a unit in a hex without moving there (again to cycle through the stack)",
    ),
    (
        "click an enemy",
        "prepare an attack by every unit of yours that can: the odds, each factor, the table's column and the six results; untick those that stay out; then Attack or Cancel",
    ),
    (
        "rest the pointer on a hex",
        "what is there: place, terrain, holder, points, units in sight, depot, rail lines",
    ),
    (
        "the unit's panel",
        "By rail: a station to go to (from a station you hold); its grouping: Order it back to its line, Fall back on, Stand fast",
    ),
    (
        "Trains (orders panel)",
        "tick the depots served first when the lines cannot bring every depot what it asks",
    ),
    (
        "Enter",
        "end your phase (or play the day when watching); not while the other side's moves are shown, nor behind a dialog; with units that have not acted it asks first (the Esc menu turns that off)",
    ),
    ("Space", "skip the showing of the AI's moves and of combats"),
    (
        "[ and ]",
        "instructor mode: a day back, a day forward (or play the next)",
    ),
    (
        "F",
        "instructor mode: fog of war off, or as each side sees it",
    ),
    ("drag, arrow keys, W A S D", "pan the map"),
    (
        "mouse wheel, + and -",
        "zoom (the wheel toward the pointer)",
    ),
    (
        "O",
        "supply overlay: units ringed green supplied, yellow short, red out, with lines to the feeding depot; ground shaded by what a unit would get there (grey: no depot reaches)",
    ),
    (
        "R",
        "rail overlay: lines red where cut, green to orange by the share of capacity used",
    ),
    ("F1 or ?", "show or hide this help"),
    ("F12", "save a screenshot (railhead-screenshot-N.png)"),
    (
        "F5, F9",
        "quick save to saves/quicksave-GAME.ron, quick load (Load... lists every save with its day and who played; the game also saves itself at each day's end, keeping the last five of each game)",
    ),
    (
        "Ctrl+Z",
        "undo your last order of this phase (not an attack: its dice are rolled)",
    ),
    ("Ctrl+Y or Ctrl+Shift+Z", "redo an order you undid"),
    (
        "Esc",
        "close the topmost thing open (a drop-down, a dialog, the help, an attack, a selection); with nothing open, the menu: resume, save, settings, quit (Q)",
    ),
    ("railhead run", "play the scenario in a terminal, narrated"),
];

fn toggle_help(keys: Res<ButtonInput<KeyCode>>, mut help: ResMut<ShowHelp>) {
    if keys.just_pressed(KeyCode::F1)
        || (keys.just_pressed(KeyCode::Slash)
            && keys.any_pressed([KeyCode::ShiftLeft, KeyCode::ShiftRight]))
    {
        help.0 = !help.0;
    }
}

/// A hex for people: the place in it, if any, and its column and row.
fn hex_name(s: &crate::scenario::Scenario, hex: Offset) -> String {
    match s.places.iter().find(|p| p.hex == hex) {
        Some(p) => format!("{} {hex}", p.name),
        None => format!("hex {hex}"),
    }
}

/// The overlays' legends, over the map's lower left corner while they are on: what each
/// colour of the supply overlay (O) and of the rail overlay (R) means.
fn legends(
    mut contexts: EguiContexts,
    supply: Res<SupplyOverlay>,
    rail: Res<super::map::RailOverlay>,
    screen: Res<State<Screen>>,
) -> Result {
    if *screen.get() != Screen::Game || !(supply.0 || rail.0) {
        return Ok(());
    }
    let swatch = |ui: &mut egui::Ui, c: Color, text: &str| {
        let c = c.to_srgba();
        let c32 = egui::Color32::from_rgb(
            (c.red * 255.0) as u8,
            (c.green * 255.0) as u8,
            (c.blue * 255.0) as u8,
        );
        let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
        ui.painter().rect_filled(rect, 2.0, c32);
        ui.label(text);
    };
    let ctx = contexts.ctx_mut()?;
    // Above the bottom buttons (a lesson's tour panel is on the right, with the side
    // panel's).
    let lift = 40.0;
    egui::Area::new("legends".into())
        .anchor(egui::Align2::LEFT_BOTTOM, [8.0, -lift])
        .interactable(false)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                if supply.0 {
                    ui.horizontal(|ui| {
                        ui.strong("Supply (O), what a unit would get there:");
                        swatch(ui, super::map::SUPPLIED_GROUND, "supplied");
                        swatch(ui, super::map::SHORT_GROUND, "short");
                        swatch(ui, super::map::OUT_GROUND, "out");
                        swatch(ui, super::map::UNREACHED_GROUND, "no depot reaches");
                    });
                }
                if rail.0 {
                    ui.horizontal(|ui| {
                        ui.strong("Rail (R):");
                        swatch(ui, Color::srgb(0.2, 0.75, 0.15), "running");
                        swatch(ui, Color::srgb(0.95, 0.45, 0.15), "full");
                        swatch(ui, Color::srgb(0.9, 0.05, 0.05), "cut or wrecked");
                        swatch(
                            ui,
                            super::depots::FEEDING,
                            "feeding the depot under the pointer",
                        );
                    });
                }
            });
        });
    Ok(())
}

/// In a hot-seat game, a screen that hides the map until the next player is ready.
fn hand_over_screen(
    mut contexts: EguiContexts,
    scenario: Res<ScenarioRes>,
    turn: Option<Res<State<Turn>>>,
    mut next: ResMut<NextState<Turn>>,
) -> Result {
    let Some(Turn::HandOver(side)) = turn.map(|t| *t.get()) else {
        return Ok(());
    };
    let s = &scenario.0;
    let ctx = contexts.ctx_mut()?;
    let screen = ctx.viewport_rect();
    egui::Area::new("hand_over".into())
        .order(egui::Order::Foreground)
        .fixed_pos(screen.min)
        .show(ctx, |ui| {
            ui.painter()
                .rect_filled(screen, 0.0, egui::Color32::from_gray(24));
            ui.scope_builder(
                egui::UiBuilder::new().max_rect(screen.shrink(screen.width() / 3.0)),
                |ui| {
                    ui.vertical_centered(|ui| {
                        ui.heading(format!("Hand over to {}", s.sides[side].name));
                        ui.label("The other player should look away: the next screen shows only what this side can see.");
                        if ui
                            .button(format!("I command {}: show my forces", s.sides[side].name))
                            .clicked()
                        {
                            next.set(Turn::Orders(side));
                        }
                    });
                },
            );
        });
    Ok(())
}

fn help_window(
    mut contexts: EguiContexts,
    mut help: ResMut<ShowHelp>,
    scenario: Res<ScenarioRes>,
) -> Result {
    if !help.0 {
        return Ok(());
    }
    let mut open = true;
    egui::Window::new("Help")
        .open(&mut open)
        .collapsible(false)
        .default_width(620.0)
        .max_width(640.0)
        .show(contexts.ctx_mut()?, |ui| {
            egui::ScrollArea::vertical()
                .max_height(620.0)
                .show(ui, |ui| {
                    for (title, lines) in crate::rules::narrate::how_it_works(&scenario.0) {
                        ui.heading(title);
                        for line in lines {
                            ui.label(line);
                        }
                        ui.add_space(6.0);
                    }
                    ui.heading("Keys and clicks");
                    // Wrapped lines rather than a grid: a grid's cells do not wrap, and the
                    // longest line would widen the window past the screen.
                    for (key, what) in SHORTCUTS {
                        ui.horizontal_wrapped(|ui| {
                            ui.strong(key);
                            ui.label(what);
                        });
                    }
                });
        });
    help.0 = open;
    Ok(())
}

/// The end of the game and its summary; it closes with its button or Esc, and the top
/// bar's Summary opens it again.
fn ending_window(
    mut contexts: EguiContexts,
    mut ending: ResMut<Ending>,
    mut dialogs: ResMut<Dialogs>,
    mut close: MessageReader<CloseDialog>,
    tour: Res<super::view::TourLook>,
) -> Result {
    if close.read().any(|c| c.0 == Dialog::Ending) {
        ending.closed = true;
    }
    // A lesson's tour tells the end its own way (its last stop); leaving it shows this.
    if ending.lines.is_empty() || ending.closed || tour.touring() {
        return Ok(());
    }
    dialogs.showing(Dialog::Ending);
    let mut closed = false;
    egui::Window::new("The end")
        .collapsible(false)
        .show(contexts.ctx_mut()?, |ui| {
            egui::ScrollArea::vertical()
                .max_height(480.0)
                .show(ui, |ui| {
                    for line in &ending.lines {
                        ui.label(line.trim_start());
                    }
                });
            closed = super::script::button(ui, "Close (Esc)").clicked();
        });
    if closed {
        ending.closed = true;
    }
    Ok(())
}

/// What the top bar and the side panel read.
#[derive(bevy::ecs::system::SystemParam)]
struct GameView<'w> {
    scenario: Res<'w, ScenarioRes>,
    clock: Res<'w, DayCursor>,
    territory: Res<'w, Territory>,
    chronicle: Res<'w, Chronicle>,
    forces: Res<'w, Forces>,
    board: Res<'w, Board>,
    depots: Res<'w, crate::rules::state::Depots>,
    viewer: Res<'w, Viewer>,
    hovered: Res<'w, Hovered>,
    command: Res<'w, HighCommand>,
    session: Res<'w, super::session::Session>,
}

/// Where the window's game stands, and the requests the panels make of it.
#[derive(bevy::ecs::system::SystemParam)]
struct GameFlow<'w> {
    screen: Res<'w, State<Screen>>,
    turn: Option<Res<'w, State<Turn>>>,
    dialogs: Res<'w, Dialogs>,
    moves: Res<'w, MovesShown>,
    ending: ResMut<'w, Ending>,
    requests: MessageWriter<'w, Request>,
    end_phase: MessageWriter<'w, EndPhase>,
    centre: MessageWriter<'w, CentreOn>,
    rail_hover: ResMut<'w, RailHover>,
}

impl GameFlow<'_> {
    fn started(&self) -> bool {
        *self.screen.get() == Screen::Game
    }

    fn ordering(&self) -> Option<SideId> {
        super::view::ordering(self.turn.as_deref())
    }

    /// Whether going on can be asked now (`confirm::can_go_on`).
    fn can_go_on(&self) -> bool {
        can_go_on(self.turn.as_deref(), &self.dialogs, &self.moves)
    }
}

/// The instructor's controls: days played, the fog view, the rail overlay.
#[derive(bevy::ecs::system::SystemParam)]
struct InstructorControls<'w> {
    history: Res<'w, super::instructor::DayHistory>,
    tour: Res<'w, super::view::TourLook>,
    fog: ResMut<'w, super::instructor::FogView>,
    rail: ResMut<'w, super::map::RailOverlay>,
}

/// The top bar (date, turn, side to move, territory beside history, victory points, the
/// buttons) and the side panel (orders, the day's narration).
#[allow(clippy::too_many_arguments)]
fn panels(
    mut contexts: EguiContexts,
    view: GameView,
    mut help: ResMut<ShowHelp>,
    mut overlay: ResMut<SupplyOverlay>,
    mut game: GameFlow,
    mut selection: ResMut<Selection>,
    mut rects: ResMut<PanelRects>,
    mut instructor: InstructorControls,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = egui::Ui::new(
        ctx.clone(),
        "panels_root".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    );
    let width = ctx.viewport_rect().width();
    let top = egui::Panel::top("top_bar").show(&mut root, |ui| {
        // Wrapped: on a narrow window the figures go to a second line, never off the edge.
        ui.horizontal_wrapped(|ui| {
            let touring = instructor.tour.touring();
            top_bar(ui, &view, &mut game, &mut overlay, &mut help, touring);
            let watching = game.started() && !view.command.controllers.contains(&Controller::Human);
            if !watching {
                // The instructor's bar has its own; a player gets it here.
                rail_button(ui, &mut instructor.rail);
            }
        });
        if game.started() && !view.command.controllers.contains(&Controller::Human) {
            ui.horizontal_wrapped(|ui| instructor_bar(ui, &view, &mut instructor, &mut game));
        }
    });
    // While a lesson's tour is shown, its own panel takes the right side instead (the
    // tour's text tells the day).
    let z = ctx.zoom_factor();
    if instructor.tour.touring() {
        let now = [top.response.rect * z, egui::Rect::NOTHING];
        if rects.0.get(..2) != Some(&now[..]) {
            let kept = rects.0.len().min(2);
            rects.0.splice(..kept, now);
        }
        return Ok(());
    }
    // The side panel takes under a third of a narrow window, 380 pixels of a wide one.
    let side = egui::Panel::right("side_panel")
        .min_size(240.0)
        .default_size((width * 0.3).clamp(240.0, 380.0))
        .show(&mut root, |ui| {
            if let Some(side) = game.ordering() {
                let mut order = None;
                let mut centre = None;
                let mut rail_hover = None;
                orders_panel(
                    ui,
                    &view,
                    side,
                    &mut selection,
                    &mut order,
                    &mut centre,
                    &mut rail_hover,
                );
                game.rail_hover.set_if_neq(RailHover(rail_hover));
                if let Some(order) = order {
                    game.requests.write(Request::Give(order));
                }
                if let Some(hex) = centre {
                    game.centre.write(CentreOn(hex));
                }
                ui.separator();
            }
            narration_panel(ui, &view);
        });
    // The top bar and the side panel come first; the lesson's panel, if any, after them.
    // In window pixels: egui's points are larger in presentation mode.
    let now = [top.response.rect * z, side.response.rect * z];
    if rects.0.get(..2) != Some(&now[..]) {
        rects.0 = now.to_vec();
    }
    Ok(())
}

fn top_bar(
    ui: &mut egui::Ui,
    view: &GameView,
    game: &mut GameFlow,
    overlay: &mut SupplyOverlay,
    help: &mut ShowHelp,
    touring: bool,
) {
    let s = &view.scenario.0;
    let clock = &view.clock;
    let over = clock.is_over();
    {
        // The buttons first, so that they stay where they are as the figures change.
        let label = if game.ordering().is_some() {
            "End your phase (Enter)"
        } else {
            "Play the day (Enter)"
        };
        // A lesson's tour holds the day of its stop (Enter is held too).
        let play = ui.add_enabled(
            !over && !touring && game.can_go_on(),
            egui::Button::new(label),
        );
        let play = if touring {
            play.on_disabled_hover_text(TOUR_HOLDS)
        } else {
            play
        };
        if play.clicked() {
            game.end_phase.write(EndPhase);
        }
        if over && game.ending.closed && ui.button("Summary").clicked() {
            game.ending.closed = false;
        }
        let label = if overlay.0 {
            "Supply overlay: on (O)"
        } else {
            "Supply overlay: off (O)"
        };
        if ui.button(label).clicked() {
            overlay.0 = !overlay.0;
        }
        if ui.button("Help (F1)").clicked() {
            help.0 = !help.0;
        }
        ui.separator();
        if over {
            ui.label(format!("{}: over ({} days)", s.name, s.turns));
        } else {
            // Watching, the clock stands at the start of the day to be played next.
            let next = if game.started() && game.ordering().is_none() {
                "Next: day"
            } else {
                "Day"
            };
            ui.label(format!(
                "{next} {}/{}: {}",
                clock.turn,
                s.turns,
                clock.date.format("%-d %b %Y")
            ))
            .on_hover_text(format!(
                "{}, seed {} (the same seed and orders give the same game)",
                s.name, view.session.game_seed
            ));
            ui.separator();
            let showing = game.moves.current().map(|step| match step {
                super::animation::Step::Move { unit, .. } => {
                    format!("{} moves (Space skips)", s.sides[s.unit(*unit).side].name)
                }
                super::animation::Step::Combat { .. } => "combat (Space skips)".to_string(),
            });
            match (showing, game.ordering()) {
                (Some(showing), _) => ui.strong(showing),
                (None, Some(side)) => ui.strong(format!("{} to move", s.sides[side].name)),
                (None, None) if game.started() => ui.label("the AI plays"),
                (None, None) => ui.label("choose a game"),
            };
        }
        for i in s.side_ids() {
            let side = s.side(i);
            ui.separator();
            let history = s
                .territory_figure(i, clock.date)
                .map(|t| {
                    format!(
                        " (history {})",
                        crate::numbers::group_thousands(t.km2.round() as u32),
                    )
                })
                .unwrap_or_default();
            let tip = s
                .territory_figure(i, clock.date)
                .map(|t| {
                    format!(
                        " Historical figure as of {}: {} ({}).",
                        t.date.format("%-d %B"),
                        crate::numbers::group_thousands(t.km2.round() as u32),
                        t.source
                    )
                })
                .unwrap_or_default();
            ui.label(format!(
                "{}: {} km²{history}, {} VP",
                side.name,
                crate::numbers::group_thousands(view.territory.0[i].round() as u32),
                view.board.victory_points(s, i)
            ))
            .on_hover_text(format!("Territory taken from the other side since the start, and victory points of the objectives held.{tip}"));
        }
    }
}

/// Why the day buttons are held while a lesson's tour is shown.
const TOUR_HOLDS: &str =
    "The lesson's tour holds this day: leave the tour to play or step through the days";

/// Instructor mode: step through the days played, look through a side's fog of war.
fn instructor_bar(
    ui: &mut egui::Ui,
    view: &GameView,
    controls: &mut InstructorControls,
    game: &mut GameFlow,
) {
    use super::instructor::next_fog;
    let s = &view.scenario.0;
    ui.label("Instructor:");
    // A lesson's tour holds the day of its stop: the days are stepped by leaving it.
    let free = !controls.tour.touring();
    let held = TOUR_HOLDS;
    if ui
        .add_enabled(
            free && controls.history.can_go_back() && game.can_go_on(),
            egui::Button::new("< Day back ([)"),
        )
        .on_disabled_hover_text(held)
        .clicked()
    {
        game.requests.write(Request::DayBack);
    }
    let forward = if controls.history.can_go_forward() {
        "Day forward (])"
    } else {
        "Play the next day (])"
    };
    if ui
        .add_enabled(
            free && !view.clock.is_over() && game.can_go_on(),
            egui::Button::new(forward),
        )
        .on_disabled_hover_text(held)
        .clicked()
    {
        game.requests.write(Request::DayForward);
    }
    let ahead = controls.history.ahead();
    if ahead > 0 {
        ui.label(format!("showing an earlier day: {ahead} more played"));
    }
    ui.separator();
    let fog = match controls.fog.0 {
        None => "Fog of war: off, all units shown (F)".to_string(),
        Some(i) => format!("Fog of war: as {} sees it (F)", s.sides[i].name),
    };
    if ui.button(fog).clicked() {
        controls.fog.0 = next_fog(controls.fog.0, s.sides.len());
    }
    rail_button(ui, &mut controls.rail);
}

/// The rail overlay's button (R does the same).
fn rail_button(ui: &mut egui::Ui, rail: &mut super::map::RailOverlay) {
    let label = if rail.0 {
        "Rail overlay: on (R)"
    } else {
        "Rail overlay: off (R)"
    };
    if ui.button(label).clicked() {
        rail.0 = !rail.0;
    }
}

fn orders_panel(
    ui: &mut egui::Ui,
    view: &GameView,
    side: SideId,
    selection: &mut Selection,
    pending: &mut Option<Order>,
    centre: &mut Option<Offset>,
    rail_hover: &mut Option<Offset>,
) {
    let s = &view.scenario.0;
    let forces = &view.forces;
    ui.horizontal(|ui| {
        ui.heading("Your orders");
        let next = next_to_act(forces, side, selection.unit);
        if ui
            .add_enabled(next.is_some(), egui::Button::new("Next unit to act (N)"))
            .clicked()
            && let Some(next) = next
        {
            *selection = Selection {
                unit: Some(next),
                ..Selection::default()
            };
            *centre = Some(forces.units[next].hex());
        }
    });
    order_of_battle(ui, view, side, selection, centre);
    match selection.unit {
        None => {
            ui.label(format!("Click one of the {} units to select it; yellow hexes show where it can go. Click a yellow hex to move there, or an enemy next to it to attack.", s.sides[side].name));
        }
        Some(id) => {
            let u = &forces.units[id];
            let spec = &s.units[id];
            ui.strong(&spec.name);
            ui.label(format!(
                "{:?} {}, {}",
                spec.kind,
                format!("{:?}", spec.size).to_lowercase(),
                s.groupings[u.grouping].name
            ));
            ui.label(format!(
                "Strength {:.0}%, readiness {:.0}%",
                u.strength * 100.0,
                u.readiness * 100.0
            ));
            ui.label(format!(
                "{} ({:.0}% of its needs){}",
                supply_word(u.supply),
                u.supply_share * 100.0,
                u.depot.map_or_else(
                    || ", no depot in reach".into(),
                    |d| format!(", from {}", s.depots[d].name)
                )
            ));
            if u.supply != crate::rules::state::SupplyLevel::Supplied {
                // Why, in one line the player can act on.
                let why =
                    crate::rules::supply::trace::trace(s, &view.board, forces, &view.depots, id);
                ui.colored_label(egui::Color32::from_rgb(200, 120, 40), why.describe(s));
            }
            ui.label(format!(
                "Movement {} points today{}{}",
                allowance(s, u),
                if u.moved { ", has moved" } else { "" },
                if u.attacked { ", has attacked" } else { "" }
            ));
            let gear: Vec<String> = u
                .equipment
                .iter()
                .map(|(k, n)| format!("{n} {k}"))
                .collect();
            if !gear.is_empty() {
                ui.label(gear.join(", "));
            }
            if let Some((path, cost)) = previewed_path(selection, forces, &view.hovered) {
                ui.label(format!(
                    "To {}: {}, {cost} of {} movement points. Click to move.",
                    hex_name(s, path.last().copied().unwrap_or(u.hex())),
                    crate::numbers::count(path.len().saturating_sub(1) as u64, "hex", "hexes"),
                    allowance(s, u)
                ));
            }
            rail_orders(ui, view, id, pending, rail_hover);
            grouping_orders(ui, view, u.grouping, pending);
        }
    }
    if let Some(plan) = selection.attack.as_mut() {
        ui.separator();
        ui.strong(format!("Attack {}", hex_name(s, plan.target)));
        ui.label("Units that join (tick or untick):");
        for (i, a) in plan.eligible.iter().enumerate() {
            let u = &forces.units[*a];
            let afar = crate::rules::combat::fires_from_afar(s, u, plan.target);
            ui.checkbox(
                &mut plan.chosen[i],
                format!(
                    "{} ({:.0}%){}",
                    s.units[*a].name,
                    u.strength * 100.0,
                    if afar {
                        format!(
                            ", guns firing from {}",
                            crate::numbers::count(
                                crate::rules::combat::hexes_apart(u.hex(), plan.target),
                                "hex",
                                "hexes"
                            )
                        )
                    } else {
                        String::new()
                    }
                ),
            );
        }
        let attackers = plan.attackers();
        let target = plan.target;
        let assault = attackers
            .iter()
            .any(|a| !crate::rules::combat::fires_from_afar(s, &forces.units[*a], target));
        if attackers.is_empty() {
            ui.label("Choose at least one unit.");
        } else {
            if !assault {
                ui.label("Guns alone cannot attack: tick a unit next to it.");
            }
            attack_preview(ui, s, forces, &attackers, target);
        }
        let mut cancel = false;
        ui.horizontal(|ui| {
            let attack = ui.add_enabled(assault, egui::Button::new("Attack"));
            super::script::remember(ui.ctx(), "Attack", attack.rect);
            if attack.clicked() {
                *pending = Some(Order::Attack {
                    attackers: attackers.clone(),
                    target,
                });
            }
            cancel = ui.button("Cancel").clicked();
        });
        if cancel {
            selection.attack = None;
        }
    }
    if let Some(m) = &selection.message {
        ui.colored_label(egui::Color32::from_rgb(200, 40, 40), m);
    }
    first_call_panel(ui, view, side, pending);
    strike_panel(ui, view, side, selection, pending, centre);
}

/// The side's strike assets: for each, the strikes left today and the enemy targets in
/// range with what a hit would take from the enemy's supply (the rules' own estimate, the
/// AI's too), the most first; a target chosen is struck only once confirmed.
fn strike_panel(
    ui: &mut egui::Ui,
    view: &GameView,
    side: SideId,
    selection: &mut Selection,
    pending: &mut Option<Order>,
    centre: &mut Option<Offset>,
) {
    use crate::rules::orders::target_name;
    let s = &view.scenario.0;
    let own: Vec<usize> = (0..s.strike_assets.len())
        .filter(|k| s.strike_assets[*k].side == side)
        .collect();
    if own.is_empty() {
        return;
    }
    ui.separator();
    egui::CollapsingHeader::new("Strikes")
        .id_salt("strikes")
        .default_open(true)
        .show(ui, |ui| {
            for k in own {
                let a = &s.strike_assets[k];
                let used = view.board.strikes_used.get(k).copied().unwrap_or(a.per_day);
                let left = a.per_day.saturating_sub(used);
                ui.label(format!(
                    "{}: {} of {} left today; {} from your nearest unit; {:.0}% hit, {:.0}% intercepted.",
                    a.name,
                    left,
                    crate::numbers::count(u64::from(a.per_day), "strike", "strikes"),
                    crate::numbers::count(u64::from(a.range), "hex", "hexes"),
                    a.hit * 100.0,
                    a.intercepted * 100.0
                ));
                if left == 0 {
                    continue;
                }
                let options = crate::rules::strikes::strike_options(
                    s,
                    &view.board,
                    &view.forces,
                    &view.depots,
                    side,
                    k,
                );
                if options.is_empty() {
                    ui.label("No enemy crossing, railway or depot in range.");
                    continue;
                }
                egui::Grid::new(("strike targets", k))
                    .striped(true)
                    .show(ui, |ui| {
                        for (target, est) in options.iter().take(8) {
                            let name = target_name(s, *target);
                            if super::script::button(ui, &name).clicked() {
                                selection.strike = Some((k, *target));
                                *centre = crate::rules::check::target_hexes(s, *target)
                                    .first()
                                    .copied();
                            }
                            ui.label(estimate_text(est));
                            ui.end_row();
                        }
                    });
            }
            if let Some((k, target)) = selection.strike {
                let a = &s.strike_assets[k];
                ui.separator();
                ui.strong(format!(
                    "Strike {} with {}? {:.0}% chance of a hit.",
                    target_name(s, target),
                    a.name,
                    a.hit * (1.0 - a.intercepted) * 100.0
                ));
                ui.horizontal(|ui| {
                    if super::script::button(ui, "Strike").clicked() {
                        *pending = Some(Order::Strike { assets: k, target });
                        selection.strike = None;
                    }
                    if ui.button("Cancel").clicked() {
                        selection.strike = None;
                    }
                });
            }
        });
}

/// What a hit would take, in words.
fn estimate_text(e: &crate::rules::strikes::StrikeEstimate) -> String {
    let t = |x: f64| crate::numbers::group_thousands(x.round().max(0.0) as u32);
    if e.burnt > 0.0 {
        format!("burns about {} t its units would draw", t(e.burnt))
    } else if e.per_day > 0.0 && e.days > 0 {
        format!(
            "cuts about {} t a day of its trains for {}",
            t(e.per_day),
            crate::numbers::count(u64::from(e.days), "day", "days")
        )
    } else {
        "would take nothing from its supply today".into()
    }
}

/// The side's units by grouping, each with whether it can still act today; a click
/// selects one and brings it to the middle of the view.
fn order_of_battle(
    ui: &mut egui::Ui,
    view: &GameView,
    side: SideId,
    selection: &mut Selection,
    centre: &mut Option<Offset>,
) {
    let s = &view.scenario.0;
    let units: Vec<_> = view.forces.of_side(side).collect();
    let to_act = units.iter().filter(|u| !u.moved && !u.attacked).count();
    egui::CollapsingHeader::new(format!(
        "Your forces: {to_act} of {} can still act",
        units.len()
    ))
    .id_salt("order_of_battle")
    .default_open(false)
    .show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("order_of_battle_list")
            .max_height(220.0)
            .show(ui, |ui| {
                for g in s.grouping_ids().filter(|g| s.grouping(*g).side == side) {
                    let members: Vec<_> = units.iter().filter(|u| u.grouping == g).collect();
                    if members.is_empty() {
                        continue;
                    }
                    ui.strong(&s.grouping(g).name);
                    for u in members {
                        let state = match (u.moved, u.attacked) {
                            (_, true) => "attacked",
                            (true, false) => "moved",
                            (false, false) => "can act",
                        };
                        let label = format!(
                            "{} ({:.0}%, {}): {state}",
                            s.units[u.id].name,
                            u.strength * 100.0,
                            supply_word(u.supply)
                        );
                        if ui
                            .selectable_label(selection.unit == Some(u.id), label)
                            .clicked()
                        {
                            *selection = Selection {
                                unit: Some(u.id),
                                ..Selection::default()
                            };
                            *centre = Some(u.hex());
                        }
                    }
                }
            });
    });
}

/// Which of the side's depots have first call on its trains (served first when the
/// lines cannot bring every depot what it asks), with what each received today.
fn first_call_panel(ui: &mut egui::Ui, view: &GameView, side: SideId, pending: &mut Option<Order>) {
    let s = &view.scenario.0;
    let own: Vec<usize> = view.depots.serving(s, side).collect();
    if own.is_empty() {
        return;
    }
    ui.separator();
    egui::CollapsingHeader::new("Trains: which depots are served first")
        .id_salt("first_call")
        .default_open(false)
        .show(ui, |ui| {
            ui.label("When the lines cannot bring every depot what it asks, depots ticked here are served first; the others share what is left.");
            for d in own {
                let st = &view.depots.0[d];
                let mut first = view.board.first_call.get(d).copied().unwrap_or(false);
                let label = format!(
                    "{} (received {} t today; {} t with its lines open)",
                    s.depots[d].name,
                    crate::numbers::group_thousands(st.inflow.round().max(0.0) as u32),
                    crate::numbers::group_thousands(st.nominal_inflow.round().max(0.0) as u32),
                );
                if ui.checkbox(&mut first, label).changed() {
                    *pending = Some(Order::FirstCall {
                        depot: crate::scenario::ids::DepotId(d),
                        first,
                    });
                }
            }
        });
}

/// The stations the selected unit can reach by rail today, each a button.
fn rail_orders(
    ui: &mut egui::Ui,
    view: &GameView,
    unit: crate::scenario::ids::UnitId,
    pending: &mut Option<Order>,
    rail_hover: &mut Option<Offset>,
) {
    let s = &view.scenario.0;
    let u = &view.forces.units[unit];
    if u.moved || u.attacked {
        return;
    }
    if !s.rail_nodes.iter().any(|n| n.hex == u.hex()) {
        // Not at a station: which to make for.
        let here = crate::geo::offset_to_hex(u.hex());
        let nearest = s
            .rail_nodes
            .iter()
            .filter(|n| view.board.control[s.index(n.hex)] == Some(u.side))
            .map(|n| {
                (
                    crate::geo::offset_to_hex(n.hex).unsigned_distance_to(here),
                    n,
                )
            })
            .min_by_key(|(d, n)| (*d, n.name.clone()));
        ui.separator();
        match nearest {
            Some((d, n)) => ui.label(format!(
                "By rail: a unit boards at a station your side holds. The nearest is {}, {} away: move it there, and it can go by rail next day.",
                n.name,
                crate::numbers::count(u64::from(d), "hex", "hexes")
            )),
            None => ui.label("By rail: your side holds no station."),
        };
        return;
    }
    let places = crate::rules::check::rail_destinations(s, &view.board, &view.forces, unit);
    ui.separator();
    if places.is_empty() {
        ui.label("By rail: no line open to you has room for it today.");
        return;
    }
    ui.label(format!(
        "By rail ({} t of each line's day):",
        crate::numbers::group_thousands(crate::rules::check::rail_weight(s, u) as u32)
    ));
    ui.horizontal_wrapped(|ui| {
        for (hex, _) in places {
            let name = s
                .rail_nodes
                .iter()
                .find(|n| n.hex == hex)
                .map_or_else(|| format!("{hex}"), |n| n.name.clone());
            let button = super::script::button(ui, &name);
            if button.hovered() {
                *rail_hover = Some(hex);
            }
            if button.clicked() {
                *pending = Some(Order::RailMove { unit, to: hex });
            }
        }
    });
}

/// Orders for the selected unit's whole grouping: back to its fallback line (its units
/// move at once, as the AI's would), on toward it or the next line, or stand fast.
fn grouping_orders(
    ui: &mut egui::Ui,
    view: &GameView,
    g: crate::scenario::ids::GroupingId,
    pending: &mut Option<Order>,
) {
    let s = &view.scenario.0;
    let grouping = s.grouping(g);
    if grouping.fallback.is_empty() {
        return;
    }
    ui.separator();
    let withdrawing = view.command.withdrawals[g].is_some();
    ui.label(format!(
        "{}: {}",
        grouping.name,
        if withdrawing {
            format!(
                "falling back, to line {} of {}",
                view.command.line[g] + 1,
                grouping.lines()
            )
        } else {
            format!("has a fallback line ({} hexes)", grouping.fallback.len())
        }
    ));
    ui.horizontal_wrapped(|ui| {
        let label = if withdrawing {
            "Fall back on"
        } else {
            "Order it back to its line"
        };
        if super::script::button(ui, label)
            .on_hover_text("Every unit of the grouping that has not moved or attacked today moves toward the line now; what a unit cannot carry is left behind.")
            .clicked()
        {
            *pending = Some(Order::Withdraw { grouping: g });
        }
        if withdrawing && super::script::button(ui, "Stand fast").clicked() {
            *pending = Some(Order::StandFast { grouping: g });
        }
    });
}

/// The attack as the rules will decide it: the odds and every factor in them, the column
/// of the results table, and what each face of the die gives (`combat::preview`, the
/// function the combat itself is decided by).
fn attack_preview(
    ui: &mut egui::Ui,
    s: &crate::scenario::Scenario,
    forces: &Forces,
    attackers: &[crate::scenario::ids::UnitId],
    target: Offset,
) {
    use crate::rules::combat::{column_name, odds_text, preview};
    let p = preview(s, forces, attackers, target);
    ui.strong(format!(
        "Odds {}: column {}",
        odds_text(p.odds.ratio()),
        column_name(p.column)
    ));
    if p.capped() {
        ui.label("The table stops at 6 to 1: more attack adds nothing.");
    } else if let Some(next) = p.next_column_at() {
        ui.label(format!("{next:.1} to 1 would reach the next column."));
    }
    let part = |c: &crate::rules::combat::Contribution| {
        format!(
            "{}: {:.0} x {:.0}% strength x {:.2} readiness x {:.2} supply = {:.1}{}",
            s.units[c.unit].name,
            c.base,
            c.strength * 100.0,
            c.readiness,
            c.supply,
            c.total,
            if c.from_afar {
                " (guns from afar: no losses)"
            } else {
                ""
            }
        )
    };
    ui.label(format!("Attack {:.1}:", p.odds.attack));
    for c in &p.attackers {
        ui.label(part(c));
    }
    ui.label(format!(
        "Defence {:.1}: terrain x{:.1}{}",
        p.odds.defence,
        p.odds.terrain,
        if p.odds.river > 1.0 {
            format!(
                ", river x{:.1} (every unit assaulting crosses it)",
                p.odds.river
            )
        } else {
            String::new()
        }
    ));
    for c in &p.defenders {
        ui.label(part(c));
    }
    egui::Grid::new("results").striped(true).show(ui, |ui| {
        ui.label("die");
        ui.label("attackers lose");
        ui.label("defenders lose");
        ui.label("defenders fall back");
        ui.end_row();
        for (die, (att, def, back)) in p.results.iter().enumerate() {
            ui.label(format!("{}", die + 1));
            ui.label(format!("{:.0}%", att * 100.0));
            ui.label(format!("{:.0}%", def * 100.0));
            ui.label(if *back == 0 {
                "no".to_string()
            } else {
                crate::numbers::count(u64::from(*back), "hex", "hexes")
            });
            ui.end_row();
        }
    });
}

/// Today's and yesterday's events in words, less what fog of war hid from the viewer when
/// they happened. What matters leads (combats, captures, withdrawals, cuts); the rest
/// follows in a quieter colour; the depots' figures are a table, folded.
/// The narration's lines that lead a day (combats, captures, withdrawals, cut lines):
/// near white on the dark panel.
const LEAD_TEXT: egui::Color32 = egui::Color32::from_gray(225);
/// Its routine lines (moves, postures): set back from those, yet above the contrast
/// WCAG AA asks of text (4.5 to 1) on the panel (a test measures it).
const ROUTINE_TEXT: egui::Color32 = egui::Color32::from_gray(165);

fn narration_panel(ui: &mut egui::Ui, view: &GameView) {
    use crate::rules::events::{GameEvent, Logged};
    let s = &view.scenario.0;
    let clock = &view.clock;
    ui.heading("What happened");
    let viewer = view.viewer.0;
    egui::ScrollArea::vertical().show(ui, |ui| {
        let mut any = false;
        for turn in [clock.turn, clock.turn.saturating_sub(1)] {
            if turn == 0 {
                continue;
            }
            let day: Vec<Logged> = view
                .chronicle
                .0
                .iter()
                .filter(|l| l.turn == turn && viewer.is_none_or(|v| l.known_to(v)))
                .cloned()
                .collect();
            let Some(first) = day.first() else { continue };
            any = true;
            ui.strong(format!("Day {turn}: {}", first.date.format("%-d %b %Y")));
            let (lead, rest): (Vec<Logged>, Vec<Logged>) = day
                .iter()
                .filter(|l| !matches!(l.event, GameEvent::DepotSupply { .. }))
                .cloned()
                .partition(|l| crate::rules::narrate::leads(&l.event));
            for line in narrate_day(s, &lead).iter().skip(1) {
                ui.label(egui::RichText::new(line.trim_start()).color(LEAD_TEXT));
            }
            for line in narrate_day(s, &rest).iter().skip(1) {
                ui.label(egui::RichText::new(line.trim_start()).color(ROUTINE_TEXT));
            }
            depot_table(ui, s, turn, &day);
        }
        if !any {
            ui.label("Nothing yet.");
        }
    });
}

/// The depots' day as a folded table: received (of what open lines would bring), needed,
/// stock and days left.
fn depot_table(
    ui: &mut egui::Ui,
    s: &crate::scenario::Scenario,
    turn: u32,
    day: &[crate::rules::events::Logged],
) {
    use crate::numbers::group_thousands;
    use crate::rules::events::GameEvent;
    let rows: Vec<_> = day
        .iter()
        .filter_map(|l| match &l.event {
            GameEvent::DepotSupply {
                depot,
                stock,
                inflow,
                nominal_inflow,
                demand,
                ..
            } => Some((*depot, *stock, *inflow, *nominal_inflow, *demand)),
            _ => None,
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    let short = rows.iter().filter(|r| r.2 + 0.5 < r.3).count();
    let t = |x: f64| group_thousands(x.round().max(0.0) as u32);
    egui::CollapsingHeader::new(format!(
        "Depots: {} ({short} receiving less than with their lines open)",
        rows.len()
    ))
    .id_salt(("depots", turn))
    .default_open(false)
    .show(ui, |ui| {
        egui::Grid::new(("depot_table", turn))
            .striped(true)
            .show(ui, |ui| {
                for h in ["depot", "received t", "needed t", "stock t", "days"] {
                    ui.strong(h);
                }
                ui.end_row();
                for (depot, stock, inflow, nominal, demand) in rows {
                    ui.label(s.depots[depot].name.trim_end_matches(" depot"));
                    let received = if inflow + 0.5 < nominal {
                        egui::RichText::new(format!("{} of {}", t(inflow), t(nominal)))
                            .color(egui::Color32::from_rgb(220, 120, 60))
                    } else {
                        egui::RichText::new(t(inflow))
                    };
                    ui.label(received);
                    ui.label(t(demand));
                    ui.label(t(stock));
                    ui.label(if demand > inflow {
                        format!("{:.1}", stock / (demand - inflow))
                    } else {
                        "holding".to_string()
                    });
                    ui.end_row();
                }
            });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG's contrast ratio of two colours.
    fn contrast(a: egui::Color32, b: egui::Color32) -> f32 {
        let lum = |c: egui::Color32| {
            let ch = |v: u8| {
                let v = f32::from(v) / 255.0;
                if v <= 0.03928 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * ch(c.r()) + 0.7152 * ch(c.g()) + 0.0722 * ch(c.b())
        };
        let (x, y) = (lum(a), lum(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn the_narration_reads_at_wcag_aa_on_the_panel() {
        let panel = egui::Visuals::dark().panel_fill;
        for c in [LEAD_TEXT, ROUTINE_TEXT] {
            let r = contrast(c, panel);
            assert!(r >= 4.5, "{c:?} on {panel:?}: {r:.1} to 1");
        }
        assert!(contrast(LEAD_TEXT, panel) > contrast(ROUTINE_TEXT, panel));
    }
}
