//! Playing: the flow of a day (the AI's phases run by themselves; a player's phase waits
//! for their orders), selecting a unit, seeing where it can go, moving and attacking with
//! the odds shown, ending the phase; the top bar (date, turn, territory) and the day's
//! narration. Orders go through the rules' own queue and schedules: the window never
//! changes the game's state any other way.

use bevy::prelude::*;
use bevy_egui::input::EguiWantsInput;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::animation::{MovesShown, queue_steps};
use super::geometry::{hex_corners, world_to_hex};
use super::view::{Flow, PanelRects, PendingOrder, Viewer};
use crate::geo::Offset;
use crate::rules::combat::{can_attack, odds};
use crate::rules::events::{Chronicle, GameEvent};
use crate::rules::movement::{self, Threats, allowance, can_end_in};
use crate::rules::narrate::{narrate_day, supply_word};
use crate::rules::orders::Order;
use crate::rules::state::{
    Board, Controller, DayCursor, Forces, HighCommand, ScenarioRes, SupplyLevel,
};
use crate::rules::{OrderLog, Stop, Territory};
use crate::scenario::ids::UnitId;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Flow>()
        .init_resource::<Selection>()
        .init_resource::<Hovered>()
        .init_resource::<PanelRects>()
        .init_resource::<PendingOrder>()
        .init_resource::<ShowHelp>()
        .init_resource::<Viewer>()
        .init_resource::<HandOver>()
        .add_systems(Update, update_viewer)
        .init_resource::<SupplyOverlay>()
        .add_systems(Update, (toggle_supply_overlay, draw_supply_overlay))
        .init_resource::<Ending>()
        .add_systems(
            Update,
            (
                end_phase_on_key,
                toggle_help,
                track_hover,
                click_map,
                refresh_reach,
                draw_selection,
            ),
        )
        .add_systems(
            Update,
            (
                super::instructor::apply_request.run_if(resource_exists::<super::instructor::Step>),
                advance.run_if(|f: Res<Flow>| f.advance_requested && f.started),
            )
                .chain(),
        )
        .add_systems(
            Update,
            apply_pending_order.run_if(|p: Res<PendingOrder>| p.0.is_some()),
        )
        .add_systems(Update, note_the_end.after(advance))
        .add_systems(
            EguiPrimaryContextPass,
            (
                panels,
                help_window,
                ending_window,
                hand_over_screen.after(super::animation::combat_label),
            )
                .chain(),
        );
}

/// The selected unit, where it can go (and by which path), and an attack being considered.
#[derive(Resource, Default)]
struct Selection {
    unit: Option<usize>,
    /// Hexes it can end its move in.
    reach: Vec<Offset>,
    /// The cheapest paths there.
    paths: Option<movement::Reach>,
    attack: Option<AttackPlan>,
    message: Option<String>,
}

/// An attack being prepared: the target, the units that could join and which do.
#[derive(Debug, Clone, PartialEq)]
struct AttackPlan {
    target: Offset,
    eligible: Vec<usize>,
    chosen: Vec<bool>,
}

impl AttackPlan {
    fn attackers(&self) -> Vec<usize> {
        self.eligible
            .iter()
            .zip(&self.chosen)
            .filter(|(_, c)| **c)
            .map(|(u, _)| *u)
            .collect()
    }
}

/// The on-map hex under the mouse pointer, if any (and not over a panel).
#[derive(Resource, Default, PartialEq)]
struct Hovered(Option<Offset>);

fn track_hover(
    window: Single<&Window>,
    camera: Single<(&Camera, &GlobalTransform)>,
    wants: Res<EguiWantsInput>,
    panels: Res<PanelRects>,
    scenario: Res<ScenarioRes>,
    mut hovered: ResMut<Hovered>,
) {
    let (cam, transform) = *camera;
    let hex = window
        .cursor_position()
        .filter(|c| !wants.is_pointer_over_area() && !panels.covers(*c))
        .and_then(|c| cam.viewport_to_world_2d(transform, c).ok())
        .and_then(|w| world_to_hex(&scenario.0, w));
    if hovered.0 != hex {
        hovered.0 = hex;
    }
}

/// In a hot-seat game, the side the screen is being handed over to: the map stays hidden
/// until that player says they are ready.
#[derive(Resource, Default)]
struct HandOver(Option<usize>);

fn update_viewer(
    command: Res<HighCommand>,
    flow: Res<Flow>,
    handover: Res<HandOver>,
    fog: Res<super::instructor::FogView>,
    session: Option<Res<super::session::Session>>,
    mut viewer: ResMut<Viewer>,
) {
    if let Some((local, _)) = session.as_ref().and_then(|s| s.by_file.clone()) {
        if viewer.0 != Some(local) {
            viewer.0 = Some(local);
        }
        return;
    }
    let humans: Vec<usize> = (0..command.controllers.len())
        .filter(|i| command.controllers[*i] == Controller::Human)
        .collect();
    let want = match humans.len() {
        0 => fog.0,
        1 => Some(humans[0]),
        _ if handover.0.is_some() => viewer.0,
        _ => flow.waiting.or(viewer.0),
    };
    if viewer.0 != want {
        viewer.0 = want;
    }
}

/// Whether the supply overlay is shown: each unit ringed by its supply state and joined to
/// the depot it draws from.
#[derive(Resource, Default)]
struct SupplyOverlay(bool);

fn toggle_supply_overlay(
    keys: Res<ButtonInput<KeyCode>>,
    wants: Res<EguiWantsInput>,
    mut overlay: ResMut<SupplyOverlay>,
) {
    if keys.just_pressed(KeyCode::KeyO) && !wants.wants_keyboard_input() {
        overlay.0 = !overlay.0;
    }
}

fn draw_supply_overlay(
    scenario: Res<ScenarioRes>,
    forces: Res<Forces>,
    overlay: Res<SupplyOverlay>,
    viewer: Res<Viewer>,
    mut gizmos: Gizmos,
) {
    if !overlay.0 {
        return;
    }
    let s = &scenario.0;
    // Fog of war: enemy units the viewing side cannot see are not drawn.
    let seen = viewer
        .0
        .map(|v| crate::rules::fog::visible_to(s, &forces, v));
    for u in forces
        .units
        .iter()
        .filter(|u| u.active() && seen.as_ref().is_none_or(|v| v[u.id]))
    {
        let colour = match u.supply {
            SupplyLevel::Supplied => Color::srgb(0.1, 0.7, 0.2),
            SupplyLevel::Short => Color::srgb(0.95, 0.7, 0.1),
            SupplyLevel::OutOfSupply => Color::srgb(0.9, 0.1, 0.1),
        };
        let at = super::geometry::hex_to_world(s, u.hex);
        gizmos.circle_2d(at, super::geometry::HEX_WORLD * 0.45, colour);
        if let Some(d) = u.depot {
            gizmos.line_2d(
                at,
                super::geometry::hex_to_world(s, s.depots[d].hex),
                colour.with_alpha(0.6),
            );
        }
    }
}

/// Whether the keyboard help is shown.
#[derive(Resource, Default)]
struct ShowHelp(bool);

/// Every shortcut, for the help window.
const SHORTCUTS: [(&str, &str); 19] = [
    (
        "click a unit",
        "select it (click again to cycle through a stack)",
    ),
    (
        "point at a yellow hex",
        "preview the path there and its cost in movement points",
    ),
    ("click a yellow hex", "move the selected unit there"),
    (
        "click an enemy next to it",
        "show the odds; tick the units that join; then Attack or Cancel",
    ),
    ("Enter", "end your phase (or play the day when watching)"),
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
    ("mouse wheel, + and -", "zoom"),
    (
        "O",
        "supply overlay: green supplied, yellow short, red out; lines to the feeding depot",
    ),
    (
        "R",
        "rail overlay: lines red where cut, green to orange by the share of capacity used",
    ),
    ("F1 or ?", "show or hide this help"),
    ("F12", "save a screenshot (railhead-screenshot-N.png)"),
    (
        "F5, F9",
        "quick save to saves/quicksave.ron, quick load (Load... lists every save; the game also saves itself at each day's end, keeping the last five)",
    ),
    (
        "Ctrl+Z",
        "undo your last order of this phase (not an attack: its dice are rolled)",
    ),
    ("Ctrl+Y or Ctrl+Shift+Z", "redo an order you undid"),
    ("Esc", "quit"),
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

fn any_human(world: &World) -> bool {
    world
        .resource::<HighCommand>()
        .controllers
        .contains(&Controller::Human)
}

/// Forgets the window's part of the last game (selection, flow, moves being shown, the
/// ending), for a new game.
pub(super) fn reset(world: &mut World) {
    world.insert_resource(Flow::default());
    world.insert_resource(Selection::default());
    world.insert_resource(PendingOrder::default());
    world.insert_resource(MovesShown::default());
    world.insert_resource(HandOver::default());
    world.insert_resource(Ending::default());
    world.insert_resource(Viewer::default());
}

/// Starts the game: with a player, it runs up to their first phase at once; with none, it
/// waits for the first "Play the day".
pub(super) fn advance_to_first_phase(world: &mut World) {
    world.resource_mut::<Flow>().started = true;
    if any_human(world) {
        advance(world);
    }
}

/// Runs the day's phases until a player must give orders, the game ends, or (with no
/// player at all) one whole day has been played.
pub(super) fn advance(world: &mut World) {
    super::undo::forget(world);
    let instructor =
        !any_human(world) && world.contains_resource::<super::instructor::DayHistory>();
    if instructor {
        // Watching: a day already played is shown again rather than played anew.
        world.resource_mut::<Flow>().advance_requested = false;
        if super::instructor::forward(world) {
            world.insert_resource(MovesShown::default());
            return;
        }
    }
    let before = world.resource::<Chronicle>().0.len();
    let turn = world.resource::<DayCursor>().turn;
    advance_phases(world);
    if instructor && world.resource::<DayCursor>().turn > turn {
        super::instructor::day_played(world);
    }
    if world.contains_resource::<MovesShown>() {
        queue_steps(world, before);
    }
}

/// Moves the game on through the rules' day cursor: to the next phase of a player at this
/// screen, or (with nobody playing) to the end of the day.
fn advance_phases(world: &mut World) {
    world.resource_mut::<Flow>().advance_requested = false;
    world.resource_mut::<Flow>().waiting = None;
    let s = world.resource::<ScenarioRes>().0.clone();
    let watching = !any_human(world);
    loop {
        let side = match crate::rules::advance(world) {
            Stop::Over => return,
            Stop::DayEnded if watching => return,
            Stop::DayEnded => continue,
            Stop::Orders(side) => side,
        };
        if let Some(path) = super::session::remote_side(world, side) {
            // Play by file: the other player's phase; the game goes to them in a file.
            let message = match super::session::save_to(world, &path) {
                Ok(()) => format!(
                    "Your phase is done. Send {} to the {} player: they continue with\n  railhead play --load {} --side {}",
                    path.display(),
                    s.sides[side].name,
                    path.display(),
                    s.sides[side].id
                ),
                Err(e) => format!("The game could not be saved for the other player: {e}"),
            };
            world.resource_mut::<Flow>().sent = Some(message);
            return;
        }
        world.resource_mut::<Flow>().waiting = Some(side);
        let humans = world
            .resource::<HighCommand>()
            .controllers
            .iter()
            .filter(|c| **c == Controller::Human)
            .count();
        if humans > 1 && !super::session::by_file(world) {
            world.resource_mut::<HandOver>().0 = Some(side);
        }
        return;
    }
}

fn end_phase_on_key(
    keys: Res<ButtonInput<KeyCode>>,
    wants: Res<EguiWantsInput>,
    mut flow: ResMut<Flow>,
    mut selection: ResMut<Selection>,
) {
    if keys.any_just_pressed([KeyCode::Enter, KeyCode::NumpadEnter])
        && !wants.wants_keyboard_input()
    {
        flow.advance_requested = true;
        *selection = Selection::default();
    }
}

/// Applies the order a click made, and remembers why it was refused if it was.
fn apply_pending_order(world: &mut World) {
    let Some(order) = world.resource_mut::<PendingOrder>().0.take() else {
        return;
    };
    let before = world.resource::<Chronicle>().0.len();
    let undo_point = world
        .contains_resource::<super::undo::Undo>()
        .then(|| crate::rules::GameState::take(world));
    crate::rules::give(world, [order.clone()]);
    let accepted = world
        .resource::<OrderLog>()
        .0
        .last()
        .is_some_and(|o| o.order == order)
        && world.resource::<Chronicle>().0[before..]
            .iter()
            .all(|l| !matches!(l.event, GameEvent::OrderRefused { .. }));
    if let Some(snapshot) = undo_point
        && accepted
    {
        super::undo::order_given(world, snapshot, order);
    }
    if world.contains_resource::<MovesShown>() {
        queue_steps(world, before);
    }
    let s = world.resource::<ScenarioRes>().0.clone();
    let refusal = world.resource::<Chronicle>().0[before..]
        .iter()
        .find_map(|l| match &l.event {
            GameEvent::OrderRefused { reason, .. } => Some(reason.describe(&s)),
            _ => None,
        });
    let mut selection = world.resource_mut::<Selection>();
    selection.message = refusal;
    selection.attack = None;
}

/// Left click (not a drag) on the map: select, move or set up an attack.
#[allow(clippy::too_many_arguments)]
fn click_map(
    buttons: Res<ButtonInput<MouseButton>>,
    window: Single<&Window>,
    camera: Single<(&Camera, &GlobalTransform)>,
    wants: Res<EguiWantsInput>,
    panels: Res<PanelRects>,
    scenario: Res<ScenarioRes>,
    forces: Res<Forces>,
    flow: Res<Flow>,
    mut selection: ResMut<Selection>,
    mut pending: ResMut<PendingOrder>,
    mut pressed_at: Local<Option<Vec2>>,
) {
    let Some(cursor) = window.cursor_position() else {
        return;
    };
    if buttons.just_pressed(MouseButton::Left) {
        *pressed_at = (!wants.is_pointer_over_area() && !panels.covers(cursor)).then_some(cursor);
    }
    if !buttons.just_released(MouseButton::Left) {
        return;
    }
    let Some(start) = pressed_at.take() else {
        return;
    };
    if start.distance(cursor) > 5.0 {
        return; // a drag pans the map
    }
    let Some(side) = flow.waiting else { return };
    let (cam, transform) = *camera;
    let Ok(world_pos) = cam.viewport_to_world_2d(transform, cursor) else {
        return;
    };
    let s = &scenario.0;
    let Some(hex) = world_to_hex(s, world_pos) else {
        return;
    };
    selection.message = None;
    let own: Vec<usize> = forces
        .in_hex(hex)
        .filter(|u| u.side == side)
        .map(|u| u.id)
        .collect();
    if !own.is_empty() {
        // Select the next of our units in this hex.
        let next = match selection
            .unit
            .and_then(|u| own.iter().position(|x| *x == u))
        {
            Some(i) => own[(i + 1) % own.len()],
            None => own[0],
        };
        selection.unit = Some(next);
        selection.attack = None;
        return;
    }
    let Some(unit) = selection.unit else { return };
    let u = &forces.units[unit];
    if forces.in_hex(hex).any(|e| e.side != side) {
        if s.neighbours(u.hex).any(|n| n == hex) {
            let eligible: Vec<usize> = forces
                .units
                .iter()
                .filter(|a| can_attack(s, a, side, hex))
                .map(|a| a.id)
                .collect();
            let chosen = vec![true; eligible.len()];
            selection.attack = Some(AttackPlan {
                target: hex,
                eligible,
                chosen,
            });
        } else {
            selection.message = Some("Move next to the enemy to attack it.".into());
        }
        return;
    }
    if selection.reach.contains(&hex) {
        pending.0 = Some(Order::Move {
            unit: UnitId(unit),
            to: hex,
        });
    } else {
        selection.unit = None;
        selection.attack = None;
    }
}

/// Where the selected unit can end its move.
fn refresh_reach(
    scenario: Res<ScenarioRes>,
    forces: Res<Forces>,
    board: Res<Board>,
    mut selection: ResMut<Selection>,
) {
    if !(forces.is_changed() || selection.is_changed()) {
        return;
    }
    let s = &scenario.0;
    let (reach, paths) = match selection.unit.map(|id| &forces.units[id]) {
        Some(u) if u.active() && !u.moved && !u.attacked => {
            let threats = Threats::for_side(s, &forces, u.side);
            let paths = movement::reach(s, &board, &threats, u, allowance(s, u));
            let reach = paths
                .cost
                .keys()
                .copied()
                .filter(|h| *h != u.hex && can_end_in(s, &threats, u, *h))
                .collect();
            (reach, Some(paths))
        }
        _ => (Vec::new(), None),
    };
    if selection.reach != reach {
        selection.reach = reach;
        selection.paths = paths;
    }
}

fn outline(gizmos: &mut Gizmos, s: &crate::scenario::Scenario, hex: Offset, colour: Color) {
    let c = hex_corners(s, hex);
    for i in 0..6 {
        gizmos.line_2d(c[i], c[(i + 1) % 6], colour);
    }
}

/// The path the selected unit would take to the hovered hex, with what it costs.
fn previewed_path(
    selection: &Selection,
    forces: &Forces,
    hovered: &Hovered,
) -> Option<(Vec<Offset>, u32)> {
    let hex = hovered.0.filter(|h| selection.reach.contains(h))?;
    let start = forces.units[selection.unit?].hex;
    let paths = selection.paths.as_ref()?;
    Some((paths.path(start, hex)?, paths.cost.get(&hex)?.0))
}

fn draw_selection(
    scenario: Res<ScenarioRes>,
    forces: Res<Forces>,
    selection: Res<Selection>,
    hovered: Res<Hovered>,
    mut gizmos: Gizmos,
) {
    let s = &scenario.0;
    for h in &selection.reach {
        outline(&mut gizmos, s, *h, Color::srgba(1.0, 0.85, 0.1, 0.9));
    }
    if let Some(u) = selection.unit {
        outline(&mut gizmos, s, forces.units[u].hex, Color::WHITE);
    }
    if let Some(plan) = &selection.attack {
        outline(&mut gizmos, s, plan.target, Color::srgb(1.0, 0.1, 0.1));
        let to = super::geometry::hex_to_world(s, plan.target);
        for a in plan.attackers() {
            let from = super::geometry::hex_to_world(s, forces.units[a].hex);
            gizmos.arrow_2d(from, from.lerp(to, 0.75), Color::srgb(1.0, 0.1, 0.1));
        }
    }
    if let Some((path, _)) = previewed_path(&selection, &forces, &hovered) {
        let white = Color::srgb(1.0, 1.0, 1.0);
        for w in path.windows(2) {
            let (a, b) = (
                super::geometry::hex_to_world(s, w[0]),
                super::geometry::hex_to_world(s, w[1]),
            );
            gizmos.line_2d(a, b, white);
            gizmos.line_2d(a + Vec2::Y, b + Vec2::Y, white);
        }
        if let Some(end) = path.last() {
            gizmos.circle_2d(super::geometry::hex_to_world(s, *end), 6.0, white);
        }
    }
}

/// A hex for people: the place in it, if any, and its column and row.
fn hex_name(s: &crate::scenario::Scenario, hex: Offset) -> String {
    match s.places.iter().find(|p| p.hex == hex) {
        Some(p) => format!("{} {hex}", p.name),
        None => format!("hex {hex}"),
    }
}

/// The end-of-game summary, once the last day has been played.
#[derive(Resource, Default)]
struct Ending(Vec<String>);

fn note_the_end(world: &mut World) {
    let s = world.resource::<ScenarioRes>().0.clone();
    if !world.resource::<DayCursor>().is_over() || !world.resource::<Ending>().0.is_empty() {
        return;
    }
    let lines = crate::rules::narrate::summary(&s, world, s.seed);
    world.resource_mut::<Ending>().0 = lines;
}

/// In a hot-seat game, a screen that hides the map until the next player is ready.
fn hand_over_screen(
    mut contexts: EguiContexts,
    scenario: Res<ScenarioRes>,
    mut handover: ResMut<HandOver>,
) -> Result {
    let Some(side) = handover.0 else {
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
                            handover.0 = None;
                        }
                    });
                },
            );
        });
    Ok(())
}

fn help_window(mut contexts: EguiContexts, mut help: ResMut<ShowHelp>) -> Result {
    if !help.0 {
        return Ok(());
    }
    let mut open = true;
    egui::Window::new("Keys and clicks")
        .open(&mut open)
        .collapsible(false)
        .show(contexts.ctx_mut()?, |ui| {
            egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                for (key, what) in SHORTCUTS {
                    ui.strong(key);
                    ui.label(what);
                    ui.end_row();
                }
            });
        });
    help.0 = open;
    Ok(())
}

fn ending_window(mut contexts: EguiContexts, ending: Res<Ending>) -> Result {
    if ending.0.is_empty() {
        return Ok(());
    }
    egui::Window::new("The end")
        .collapsible(false)
        .show(contexts.ctx_mut()?, |ui| {
            for line in &ending.0 {
                ui.label(line.trim_start());
            }
        });
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
    viewer: Res<'w, Viewer>,
    hovered: Res<'w, Hovered>,
    command: Res<'w, HighCommand>,
}

/// The instructor's controls: days played, the fog view, requests to step.
#[derive(bevy::ecs::system::SystemParam)]
struct InstructorControls<'w, 's> {
    history: Res<'w, super::instructor::DayHistory>,
    fog: ResMut<'w, super::instructor::FogView>,
    rail: ResMut<'w, super::map::RailOverlay>,
    commands: Commands<'w, 's>,
}

/// The top bar (date, turn, side to move, territory beside history, victory points, the
/// buttons) and the side panel (orders, the day's narration).
#[allow(clippy::too_many_arguments)]
fn panels(
    mut contexts: EguiContexts,
    view: GameView,
    mut help: ResMut<ShowHelp>,
    mut overlay: ResMut<SupplyOverlay>,
    mut flow: ResMut<Flow>,
    mut selection: ResMut<Selection>,
    mut pending: ResMut<PendingOrder>,
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
    let top = egui::Panel::top("top_bar").show(&mut root, |ui| {
        ui.horizontal(|ui| {
            top_bar(
                ui,
                &view,
                &mut flow,
                &mut selection,
                &mut overlay,
                &mut help,
            );
        });
        if flow.started && !view.command.controllers.contains(&Controller::Human) {
            ui.horizontal(|ui| instructor_bar(ui, &view, &mut instructor));
        }
    });
    let side = egui::Panel::right("side_panel")
        .min_size(360.0)
        .default_size(380.0)
        .show(&mut root, |ui| {
            if let Some(side) = flow.waiting {
                orders_panel(ui, &view, side, &mut selection, &mut pending);
                ui.separator();
            }
            narration_panel(ui, &view);
        });
    let now = vec![top.response.rect, side.response.rect];
    if rects.0 != now {
        rects.0 = now;
    }
    Ok(())
}

fn top_bar(
    ui: &mut egui::Ui,
    view: &GameView,
    flow: &mut Flow,
    selection: &mut Selection,
    overlay: &mut SupplyOverlay,
    help: &mut ShowHelp,
) {
    let s = &view.scenario.0;
    let clock = &view.clock;
    let over = clock.is_over();
    {
        // The buttons first, so that they stay where they are as the figures change.
        let label = if flow.waiting.is_some() {
            "End your phase (Enter)"
        } else {
            "Play the day (Enter)"
        };
        if ui
            .add_enabled(!over && flow.started, egui::Button::new(label))
            .clicked()
        {
            flow.advance_requested = true;
            *selection = Selection::default();
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
            ui.label(format!(
                "Turn {}/{}: {}",
                clock.turn,
                s.turns,
                clock.date.format("%-d %b %Y")
            ))
            .on_hover_text(&s.name);
            ui.separator();
            match flow.waiting {
                Some(side) => ui.strong(format!("{} to move", s.sides[side].name)),
                None if flow.started => ui.label("the AI plays"),
                None => ui.label("choose a game"),
            };
        }
        for (i, side) in s.sides.iter().enumerate() {
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

/// Instructor mode: step through the days played, look through a side's fog of war.
fn instructor_bar(ui: &mut egui::Ui, view: &GameView, controls: &mut InstructorControls) {
    use super::instructor::{Step, next_fog};
    let s = &view.scenario.0;
    ui.label("Instructor:");
    if ui
        .add_enabled(
            controls.history.can_go_back(),
            egui::Button::new("< Day back ([)"),
        )
        .clicked()
    {
        controls.commands.insert_resource(Step::Back);
    }
    let forward = if controls.history.can_go_forward() {
        "Day forward (])"
    } else {
        "Play the next day (])"
    };
    if ui
        .add_enabled(!view.clock.is_over(), egui::Button::new(forward))
        .clicked()
    {
        controls.commands.insert_resource(Step::Forward);
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
    let rail = if controls.rail.0 {
        "Rail overlay: on (R)"
    } else {
        "Rail overlay: off (R)"
    };
    if ui.button(rail).clicked() {
        controls.rail.0 = !controls.rail.0;
    }
}

fn orders_panel(
    ui: &mut egui::Ui,
    view: &GameView,
    side: usize,
    selection: &mut Selection,
    pending: &mut PendingOrder,
) {
    let s = &view.scenario.0;
    let forces = &view.forces;
    ui.heading("Your orders");
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
                    "To {}: {} hex(es), {cost} of {} movement points. Click to move.",
                    hex_name(s, path.last().copied().unwrap_or(u.hex)),
                    path.len().saturating_sub(1),
                    allowance(s, u)
                ));
            }
        }
    }
    if let Some(plan) = selection.attack.as_mut() {
        ui.separator();
        ui.strong(format!("Attack {}", hex_name(s, plan.target)));
        ui.label("Units that join (tick or untick):");
        for (i, a) in plan.eligible.iter().enumerate() {
            let u = &forces.units[*a];
            ui.checkbox(
                &mut plan.chosen[i],
                format!("{} ({:.0}%)", s.units[*a].name, u.strength * 100.0),
            );
        }
        let attackers = plan.attackers();
        let target = plan.target;
        if attackers.is_empty() {
            ui.label("Choose at least one unit.");
        } else {
            let o = odds(s, forces, &attackers, target);
            ui.strong(format!("Odds {:.1} to 1", o.ratio()));
            ui.label(format!(
                "attack {:.1} against defence {:.1} (terrain x{:.1}, river x{:.1})",
                o.attack, o.defence, o.terrain, o.river
            ));
        }
        let mut cancel = false;
        ui.horizontal(|ui| {
            if ui
                .add_enabled(!attackers.is_empty(), egui::Button::new("Attack"))
                .clicked()
            {
                pending.0 = Some(Order::Attack {
                    attackers: attackers.iter().copied().map(UnitId).collect(),
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
}

/// Today's and yesterday's events in words, less what fog of war hides from the viewer.
fn narration_panel(ui: &mut egui::Ui, view: &GameView) {
    let s = &view.scenario.0;
    let clock = &view.clock;
    ui.heading("What happened");
    let seen = view
        .viewer
        .0
        .map(|v| (v, crate::rules::fog::visible_to(s, &view.forces, v)));
    let known = |l: &&crate::rules::events::Logged| {
        seen.as_ref()
            .is_none_or(|(v, seen)| crate::rules::fog::event_known(s, &l.event, *v, seen))
    };
    egui::ScrollArea::vertical().show(ui, |ui| {
        let day = |turn: u32| -> Vec<crate::rules::events::Logged> {
            view.chronicle
                .0
                .iter()
                .filter(|l| l.turn == turn)
                .filter(known)
                .cloned()
                .collect()
        };
        let (today, yesterday) = (day(clock.turn), day(clock.turn.saturating_sub(1)));
        if today.is_empty() && yesterday.is_empty() {
            ui.label("Nothing yet.");
        }
        for line in narrate_day(s, &today)
            .iter()
            .chain(narrate_day(s, &yesterday).iter())
        {
            ui.label(line.trim_start());
        }
    });
}

/// The window's game logic without a window: the rules, the flow of the day and the
/// orders of a click, for tests that need no GPU.
#[cfg(test)]
pub(super) fn headless_app(human: bool) -> App {
    use std::sync::Arc;

    use bevy::state::app::StatesPlugin;

    use crate::rules::{RulesPlugin, default_controllers};

    let s = Arc::new(crate::scenario::load_or_default(None).unwrap());
    let mut controllers = default_controllers(&s);
    if human {
        controllers[0] = Controller::Human;
    }
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin))
        .insert_resource(ScenarioRes(s))
        .add_plugins(RulesPlugin {
            seed: 1,
            controllers,
        })
        .init_resource::<Flow>()
        .init_resource::<Selection>()
        .init_resource::<PendingOrder>()
        .add_systems(
            Update,
            advance.run_if(|f: Res<Flow>| f.advance_requested && f.started),
        )
        .add_systems(
            Update,
            apply_pending_order.run_if(|p: Res<PendingOrder>| p.0.is_some()),
        )
        .init_resource::<Ending>()
        .init_resource::<MovesShown>()
        .init_resource::<Viewer>()
        .add_systems(Update, note_the_end.after(advance));
    app.world_mut().resource_mut::<Flow>().started = true;
    app
}

/// Puts a unit of the first side that has not moved in an empty hex next to an enemy, for
/// tests of attacks; returns it and the enemy's hex.
#[cfg(test)]
pub(super) fn put_next_to_an_enemy(app: &mut App) -> (UnitId, Offset) {
    let s = app.world().resource::<ScenarioRes>().0.clone();
    let forces = app.world().resource::<Forces>();
    let enemy = forces
        .units
        .iter()
        .find(|u| u.side == 1 && u.active())
        .unwrap();
    let me = forces
        .units
        .iter()
        .find(|u| u.side == 0 && u.active() && !u.moved)
        .unwrap()
        .id;
    let (target, next) = (
        enemy.hex,
        s.neighbours(enemy.hex)
            .find(|h| forces.in_hex(*h).next().is_none())
            .unwrap(),
    );
    app.world_mut().resource_mut::<Forces>().units[me].hex = next;
    (UnitId(me), target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::animation::Step;

    fn app(human: bool) -> App {
        headless_app(human)
    }

    #[test]
    fn the_end_of_the_scenario_brings_its_summary() {
        let mut app = app(false);
        let turns = app.world().resource::<ScenarioRes>().0.turns;
        for _ in 0..turns {
            assert!(
                app.world().resource::<Ending>().0.is_empty(),
                "a summary before the end"
            );
            app.world_mut().resource_mut::<Flow>().advance_requested = true;
            app.update();
        }
        let ending = &app.world().resource::<Ending>().0;
        assert!(
            ending
                .first()
                .is_some_and(|l| l.starts_with(&format!("Summary: {turns} days"))),
            "{ending:?}"
        );
    }

    #[test]
    fn with_nobody_playing_each_request_plays_one_day() {
        let mut app = app(false);
        app.update();
        assert_eq!(
            app.world().resource::<DayCursor>().turn,
            1,
            "no day is played unasked"
        );
        for day in 2..=3 {
            app.world_mut().resource_mut::<Flow>().advance_requested = true;
            app.update();
            assert_eq!(app.world().resource::<DayCursor>().turn, day);
            assert_eq!(app.world().resource::<Flow>().waiting, None);
        }
    }

    #[test]
    fn a_players_phase_waits_for_orders_and_applies_them_through_the_rules() {
        let mut app = app(true);
        app.world_mut().resource_mut::<Flow>().advance_requested = true;
        app.update();
        assert_eq!(
            app.world().resource::<Flow>().waiting,
            Some(0),
            "Ukraine's phase waits"
        );
        assert_eq!(app.world().resource::<DayCursor>().turn, 1);
        // Move the 92nd one hex along its reach.
        let s = app.world().resource::<ScenarioRes>().0.clone();
        let id = s
            .units
            .iter()
            .position(|u| u.name == "92nd Mechanized Brigade")
            .unwrap();
        let (to, from) = {
            let forces = app.world().resource::<Forces>();
            let board = app.world().resource::<Board>();
            let u = &forces.units[id];
            let threats = Threats::for_side(&s, forces, 0);
            let r = movement::reach(&s, board, &threats, u, allowance(&s, u));
            (
                *r.cost
                    .keys()
                    .find(|h| **h != u.hex && can_end_in(&s, &threats, u, **h))
                    .unwrap(),
                u.hex,
            )
        };
        app.world_mut().resource_mut::<PendingOrder>().0 = Some(Order::Move {
            unit: UnitId(id),
            to,
        });
        app.update();
        assert_eq!(
            app.world().resource::<Forces>().units[id].hex,
            to,
            "moved from {from}"
        );
        // A second move of the same unit is refused, with the reason kept for the panel.
        app.world_mut().resource_mut::<PendingOrder>().0 = Some(Order::Move {
            unit: UnitId(id),
            to: from,
        });
        app.update();
        assert!(
            app.world()
                .resource::<Selection>()
                .message
                .as_deref()
                .is_some_and(|m| m.contains("already moved"))
        );
        // Ending the phase lets Russia play and starts the next day, waiting for Ukraine again.
        app.world_mut().resource_mut::<Flow>().advance_requested = true;
        app.update();
        assert_eq!(app.world().resource::<DayCursor>().turn, 2);
        assert_eq!(app.world().resource::<Flow>().waiting, Some(0));
    }

    #[test]
    fn a_players_attack_is_shown_on_the_map_with_its_result() {
        let mut app = app(true);
        app.world_mut().resource_mut::<Flow>().advance_requested = true;
        app.update();
        let (attacker, target) = put_next_to_an_enemy(&mut app);
        app.world_mut().resource_mut::<MovesShown>().steps.clear();
        app.world_mut().resource_mut::<PendingOrder>().0 = Some(Order::Attack {
            attackers: vec![attacker],
            target,
        });
        app.update();
        let shown = app.world().resource::<MovesShown>();
        match shown.current() {
            Some(Step::Combat {
                target: t, result, ..
            }) => {
                assert_eq!(*t, target);
                assert!(result.contains("to 1, die"), "{result}");
            }
            other => panic!("no combat shown: {other:?}"),
        }
    }
}
