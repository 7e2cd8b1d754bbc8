//! A scripted player, for tests and demonstrations: `railhead play --script STEPS.ron`
//! moves the pointer, clicks and presses keys through the same input messages the window
//! system sends (so the map's picking, the panels and egui see them as a player's), and
//! prints what the screen shows at each `Look` as one JSON line on standard output. The
//! window closes when the steps are done; a step that cannot be carried out (a unit not on
//! the screen, a button not shown) ends it with exit code 1 and says why.
//!
//! ```ron
//! [
//!     Click(Unit("92nd Mechanized Brigade")),
//!     Look("selected"),
//!     Hover(Hex(18, 24)),
//!     Click(Button("Attack")),
//!     Key("Return"),
//! ]
//! ```

use std::path::{Path, PathBuf};

use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::input::mouse::MouseButtonInput;
use bevy::prelude::*;
use bevy::render::view::screenshot::Screenshot;
use bevy::window::{CursorMoved, PrimaryWindow, RequestRedraw, WindowEvent};
use bevy_egui::egui;
use serde::Deserialize;

use super::geometry::hex_to_world;
use super::orders::{Hovered, Selection};
use super::view::{Turn, Viewer};
use crate::geo::Offset;
use crate::rules::orders::OrderLog;
use crate::rules::state::{Board, Depots, Forces, ScenarioRes};

/// What a step points at.
#[derive(Debug, Clone, Deserialize)]
pub enum Target {
    /// The centre of a unit's hex, by the unit's name.
    Unit(String),
    /// The centre of a hex: column, row.
    Hex(i32, i32),
    /// The hex of a place, by its name.
    Place(String),
    /// A button of the panels, by its label (those the panels name: see [`remember`]).
    Button(String),
}

/// One step of a script.
#[derive(Debug, Clone, Deserialize)]
pub enum Step {
    /// Let this many frames pass.
    Wait(u32),
    /// Wait until it is this screen's turn to give orders and the moves being shown are
    /// done (at most this many frames: then the script fails).
    AwaitOrders(u32),
    /// Wait until the moves being shown are done (at most this many frames).
    AwaitQuiet(u32),
    /// Move the pointer there.
    Hover(Target),
    /// Move the pointer there and click the left button.
    Click(Target),
    /// Press and release a key: a name of Bevy's `KeyCode` such as `"Return"`, `"Escape"`,
    /// `"F1"`, `"KeyO"`.
    Key(String),
    /// Print what the screen shows, with this label, as a JSON line.
    Look(String),
    /// Save a screenshot to this PNG file.
    Screenshot(PathBuf),
}

/// A script being played.
#[derive(Resource, Debug)]
pub struct Script {
    steps: Vec<Step>,
    at: usize,
    /// The second half of a click or key press is due.
    half: bool,
    wait: u32,
    /// Frames an `AwaitOrders` has waited.
    waited: u32,
}

impl Script {
    /// Reads a script file, or says what is wrong with it (file, line, column).
    pub fn read(path: &Path) -> Result<Script, String> {
        let bytes = crate::files::read_regular(path, 1 << 20)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let text = crate::files::text(&bytes)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let steps: Vec<Step> = ron::from_str(text).map_err(|e| {
            format!(
                "{}:{}:{}: {}",
                path.display(),
                e.span.start.line,
                e.span.start.col,
                e.code
            )
        })?;
        for s in &steps {
            if let Step::Key(k) = s
                && key_code(k).is_none()
            {
                return Err(format!(
                    "{}: unknown key `{k}` (known: {})",
                    path.display(),
                    KEYS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                ));
            }
        }
        Ok(Script {
            steps,
            at: 0,
            half: false,
            waited: 0,
            // The window's first frames: the map is laid out and fitted.
            wait: 10,
        })
    }
}

/// The keys a script may press.
const KEYS: [(&str, KeyCode); 18] = [
    ("Return", KeyCode::Enter),
    ("Escape", KeyCode::Escape),
    ("F1", KeyCode::F1),
    ("F5", KeyCode::F5),
    ("F9", KeyCode::F9),
    ("KeyO", KeyCode::KeyO),
    ("KeyR", KeyCode::KeyR),
    ("KeyF", KeyCode::KeyF),
    ("KeyN", KeyCode::KeyN),
    ("KeyQ", KeyCode::KeyQ),
    ("KeyZ", KeyCode::KeyZ),
    ("KeyY", KeyCode::KeyY),
    ("BracketLeft", KeyCode::BracketLeft),
    ("BracketRight", KeyCode::BracketRight),
    ("Space", KeyCode::Space),
    ("PageDown", KeyCode::PageDown),
    ("PageUp", KeyCode::PageUp),
    ("KeyP", KeyCode::KeyP),
];

fn key_code(name: &str) -> Option<KeyCode> {
    KEYS.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
}

/// A button that a script can click by its label.
pub(super) fn button(ui: &mut egui::Ui, label: &str) -> egui::Response {
    let r = ui.button(label);
    remember(ui.ctx(), label, r.rect);
    r
}

/// Remembers where the panels drew a named button this frame, for scripts to click.
pub(super) fn remember(ctx: &egui::Context, label: &str, rect: egui::Rect) {
    ctx.data_mut(|d| d.insert_temp(egui::Id::new(("script button", label)), rect));
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, run.run_if(resource_exists::<Script>));
}

/// The egui context of the window, from a world (the script's steps are exclusive: they
/// write input and read the screen in one go).
fn egui_context(world: &mut World) -> Option<egui::Context> {
    let mut state = bevy::ecs::system::SystemState::<bevy_egui::EguiContexts>::new(world);
    let mut contexts = state.get_mut(world).ok()?;
    contexts.ctx_mut().ok().cloned()
}

/// Plays the next step when its time has come.
fn run(world: &mut World) {
    world.write_message(RequestRedraw);
    // A script's press and release are a click however slowly the frames come (egui
    // counts a press held longer than 0.8 s as a drag; a loaded machine under software
    // rendering can take that long for two frames).
    if let Some(ctx) = egui_context(world) {
        ctx.options_mut(|o| o.input_options.max_click_duration = f64::INFINITY);
    }
    let mut script = world.resource_mut::<Script>();
    if script.wait > 0 {
        script.wait -= 1;
        return;
    }
    let Some(step) = script.steps.get(script.at).cloned() else {
        world.write_message(AppExit::Success);
        return;
    };
    let half = script.half;
    match step_once(world, &step, half) {
        Ok(done) => {
            let mut script = world.resource_mut::<Script>();
            script.half = !done && !matches!(step, Step::AwaitOrders(_) | Step::AwaitQuiet(_));
            script.wait = match step {
                Step::Wait(n) => n,
                Step::Look(_) | Step::AwaitOrders(_) | Step::AwaitQuiet(_) => 0,
                Step::Screenshot(_) => 5,
                _ => 2,
            };
            if done {
                script.at += 1;
            }
        }
        Err(e) => {
            crate::diag!("railhead play --script: step {}: {e}", script_at(world) + 1);
            world.write_message(AppExit::error());
            world.remove_resource::<Script>();
        }
    }
}

fn script_at(world: &World) -> usize {
    world.resource::<Script>().at
}

/// Carries out a step (or its first half); true when it is done.
fn step_once(world: &mut World, step: &Step, second_half: bool) -> Result<bool, String> {
    match step {
        Step::Wait(_) => Ok(true),
        Step::AwaitOrders(most) | Step::AwaitQuiet(most) => {
            let orders = world
                .get_resource::<State<Turn>>()
                .is_some_and(|t| matches!(t.get(), Turn::Orders(_)));
            let ready = (orders || matches!(step, Step::AwaitQuiet(_)))
                && world
                    .get_resource::<super::animation::MovesShown>()
                    .is_none_or(|m| m.current().is_none());
            let mut script = world.resource_mut::<Script>();
            if ready {
                script.waited = 0;
                return Ok(true);
            }
            script.waited += 1;
            if script.waited > *most {
                return Err(format!("still busy after {most} frames"));
            }
            Ok(false)
        }
        Step::Hover(t) => {
            let at = locate(world, t)?;
            point(world, at);
            Ok(true)
        }
        Step::Click(t) => {
            let window = primary(world)?;
            let state = if second_half {
                ButtonState::Released
            } else {
                let at = locate(world, t)?;
                point(world, at);
                ButtonState::Pressed
            };
            let m = MouseButtonInput {
                button: MouseButton::Left,
                state,
                window,
            };
            world.write_message(WindowEvent::MouseButtonInput(m));
            world.write_message(m);
            Ok(second_half)
        }
        Step::Key(name) => {
            let window = primary(world)?;
            let key_code = key_code(name).ok_or_else(|| format!("unknown key `{name}`"))?;
            let k = KeyboardInput {
                key_code,
                logical_key: Key::Unidentified(bevy::input::keyboard::NativeKey::Unidentified),
                state: if second_half {
                    ButtonState::Released
                } else {
                    ButtonState::Pressed
                },
                text: None,
                repeat: false,
                window,
            };
            world.write_message(WindowEvent::KeyboardInput(k.clone()));
            world.write_message(k);
            Ok(second_half)
        }
        Step::Look(label) => {
            let seen = look(world, label);
            {
                use std::io::Write as _;
                let _ = writeln!(std::io::stdout(), "{seen}");
            }
            Ok(true)
        }
        Step::Screenshot(path) => {
            let path = path.clone();
            world
                .spawn(Screenshot::primary_window())
                .observe(bevy::render::view::screenshot::save_to_disk(path));
            Ok(true)
        }
    }
}

fn primary(world: &mut World) -> Result<Entity, String> {
    world
        .query_filtered::<Entity, With<PrimaryWindow>>()
        .single(world)
        .map_err(|_| "no window".to_string())
}

/// Where a target is on the screen, in logical pixels.
fn locate(world: &mut World, t: &Target) -> Result<Vec2, String> {
    let s = world.resource::<ScenarioRes>().0.clone();
    let hex = match t {
        Target::Button(label) => {
            let ctx = egui_context(world).ok_or("no egui context")?;
            let rect = ctx
                .data(|d| {
                    d.get_temp::<egui::Rect>(egui::Id::new(("script button", label.as_str())))
                })
                .ok_or_else(|| format!("the button `{label}` is not on the screen"))?;
            let zoom = ctx.zoom_factor();
            let c = rect.center();
            return Ok(Vec2::new(c.x, c.y) * zoom);
        }
        Target::Hex(col, row) => Offset {
            col: *col,
            row: *row,
        },
        Target::Place(name) => {
            s.place(name)
                .ok_or_else(|| format!("no place named `{name}`"))?
                .hex
        }
        Target::Unit(name) => {
            let id = s
                .units
                .iter()
                .position(|u| &u.name == name)
                .ok_or_else(|| format!("no unit named `{name}`"))?;
            world.resource::<Forces>().units[id].hex()
        }
    };
    if !s.frame.contains(hex) {
        return Err(format!("hex ({}, {}) is off the map", hex.col, hex.row));
    }
    let (cam, transform) = world
        .query::<(&Camera, &GlobalTransform)>()
        .single(world)
        .map_err(|_| "no camera".to_string())?;
    let at = cam
        .world_to_viewport(transform, hex_to_world(&s, hex).extend(0.0))
        .map_err(|e| format!("hex ({}, {}) is not on the screen: {e}", hex.col, hex.row))?;
    let window = world
        .query_filtered::<&Window, With<PrimaryWindow>>()
        .single(world)
        .map_err(|_| "no window".to_string())?;
    let size = window.size();
    if at.x < 0.0 || at.y < 0.0 || at.x >= size.x || at.y >= size.y {
        return Err(format!(
            "hex ({}, {}) is outside the window, at {at}",
            hex.col, hex.row
        ));
    }
    if world.resource::<super::view::PanelRects>().covers(at) {
        return Err(format!(
            "hex ({}, {}) is under a panel, at {at}",
            hex.col, hex.row
        ));
    }
    Ok(at)
}

/// Moves the pointer, as the window system reports a move.
fn point(world: &mut World, at: Vec2) {
    let Ok((entity, mut window)) = world
        .query_filtered::<(Entity, &mut Window), With<PrimaryWindow>>()
        .single_mut(world)
    else {
        return;
    };
    window.set_cursor_position(Some(at));
    let m = CursorMoved {
        window: entity,
        position: at,
        delta: None,
    };
    world.write_message(WindowEvent::CursorMoved(m.clone()));
    world.write_message(m);
}

/// What the screen shows: the day and whose phase it is (the rules' cursor), the window's
/// turn, the moves being shown and the topmost dialog, the selected unit, the hovered hex and its tooltip,
/// the attack prepared with its preview, the orders given and the last refusal.
fn look(world: &mut World, label: &str) -> serde_json::Value {
    // A counter's side on the screen, and the height of its strength figures, in pixels.
    let scale = world
        .query_filtered::<&Projection, With<Camera2d>>()
        .iter(world)
        .find_map(|p| match p {
            Projection::Orthographic(o) => Some(o.scale),
            _ => None,
        })
        .unwrap_or(1.0);
    let presenting = *world.resource::<super::view::Presentation>();
    let counter_px =
        super::map::COUNTER_WORLD * super::map::counter_scale(scale, presenting) / scale;
    let digits_px = counter_px * crate::render::WINDOW_DIGITS * 64.0 / 66.0;
    let label_px = super::labels::label_px(world, scale);
    let s = world.resource::<ScenarioRes>().0.clone();
    let forces = world.resource::<Forces>();
    let selection = world.resource::<Selection>();
    let hovered = world.resource::<Hovered>().0;
    let name = |u: crate::scenario::ids::UnitId| s.units[u].name.clone();
    let attack = selection.attack.as_ref().map(|plan| {
        let attackers = plan.attackers();
        let p = crate::rules::combat::preview(&s, forces, &attackers, plan.target);
        serde_json::json!({
            "target": [plan.target.col, plan.target.row],
            "eligible": plan.eligible.iter().map(|u| name(*u)).collect::<Vec<_>>(),
            "attackers": attackers.iter().map(|u| name(*u)).collect::<Vec<_>>(),
            "column": crate::rules::combat::column_name(p.column),
            "odds": crate::rules::combat::odds_text(p.odds.ratio()),
        })
    });
    let tooltip = hovered.map(|h| {
        let known = super::tooltip::Known {
            board: world.resource::<Board>(),
            forces,
            depots: world.resource::<Depots>(),
            feeding: world.resource::<crate::rules::state::Feeding>(),
            intel: super::depots::Intel::of(
                world.resource::<crate::rules::state::Dice>(),
                world.resource::<crate::rules::cursor::DayCursor>(),
            ),
            viewer: world.resource::<Viewer>().0,
        };
        super::tooltip::hex_lines(&s, &known, h)
    });
    // The lines lit up as feeding the depot under the pointer.
    let feeding: Vec<String> = hovered
        .map(|h| {
            let depots = world.resource::<Depots>();
            let feeding = world.resource::<crate::rules::state::Feeding>();
            (0..s.depots.len())
                .filter(|d| s.depots[*d].hex == h && depots.0[*d].active)
                .flat_map(|d| {
                    feeding.0[d]
                        .lines
                        .iter()
                        .map(|(l, _)| s.rail_link(*l).name.clone())
                })
                .collect()
        })
        .unwrap_or_default();
    let orders: Vec<serde_json::Value> = world
        .resource::<OrderLog>()
        .0
        .iter()
        .map(|o| serde_json::to_value(&o.order).unwrap_or_default())
        .collect();
    let turn = world
        .get_resource::<State<Turn>>()
        .map(|t| format!("{:?}", t.get()));
    let cursor = world.resource::<crate::rules::cursor::DayCursor>();
    let stage = match cursor.stage {
        crate::rules::cursor::Stage::Phase(side) => s.sides[side].id.clone(),
        other => format!("{other:?}"),
    };
    let moves = world.resource::<super::animation::MovesShown>();
    let showing: Vec<String> = moves
        .steps
        .iter()
        .map(|step| match step {
            super::animation::Step::Move { unit, .. } => format!("move {}", name(*unit)),
            super::animation::Step::Combat { target, .. } => {
                format!("combat ({}, {})", target.col, target.row)
            }
        })
        .collect();
    let dialogs = format!("{:?}", world.resource::<super::view::Dialogs>().top());
    // What the panel says of the selected unit's supply.
    let supply = selection.unit.map(|u| {
        crate::rules::supply::trace::trace(
            &s,
            world.resource::<Board>(),
            forces,
            world.resource::<Depots>(),
            u,
        )
        .describe(&s)
    });
    // The strike waiting for its confirmation, the strikes made, the crossings damaged.
    let armed = selection
        .strike
        .map(|(_, target)| crate::rules::orders::target_name(&s, target));
    let strikes: Vec<String> = world
        .resource::<crate::rules::events::Chronicle>()
        .0
        .iter()
        .filter_map(|l| match &l.event {
            crate::rules::events::GameEvent::StrikeMade { outcome, .. } => {
                Some(format!("{outcome:?}"))
            }
            _ => None,
        })
        .collect();
    let board = world.resource::<Board>();
    let damaged: Vec<String> = (0..s.crossings.len())
        .filter(|c| board.crossing_damage_of(*c).is_some())
        .map(|c| s.crossings[c].name.clone())
        .collect();
    let tour = world.resource::<super::view::TourLook>().0.clone();
    serde_json::json!({
        "look": label,
        "tour": tour,
        "presentation": presenting.0,
        "label_px": label_px,
        "strike_armed": armed,
        "strikes": strikes,
        "damaged": damaged,
        "turn": turn,
        "day": cursor.turn,
        "phase": stage,
        "showing": showing,
        "dialog": dialogs,
        "counter_px": counter_px,
        "digits_px": digits_px,
        "selected": selection.unit.map(name),
        "supply": supply,
        "reach": selection.reach.len(),
        "hovered": hovered.map(|h| [h.col, h.row]),
        "tooltip": tooltip,
        "feeding": feeding,
        "attack": attack,
        "orders": orders,
        "message": selection.message,
    })
}
