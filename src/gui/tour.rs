//! The guided tour of a lesson (`railhead lesson FILE`): the instructor presses Next and
//! Back (or a presenter's Page Down and Page Up); the window plays or steps back to each
//! step's day, flies the camera to where the step looks, turns its overlay on, rings what
//! it highlights, and shows its text and question, the answer on demand (the game's own,
//! computed from the same game); at the decision, each choice's games. Presentation mode
//! (P) enlarges the panels, the counters and their figures for a projector. Leaving the
//! tour keeps the game where it is, in instructor mode.

use std::sync::Arc;

use bevy::prelude::*;
use bevy_egui::input::EguiWantsInput;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::animation::MovesShown;
use super::confirm::can_go_on;
use super::messages::{Request, WindowSystems};
use super::overlays::SupplyOverlay;
use super::view::{Dialogs, LessonChosen, PanelRects, Presentation, TourLook, Turn};
use crate::lesson::{Highlight, Lesson, Overlay};
use crate::rules::cursor::DayCursor;
use crate::rules::state::{Forces, ScenarioRes};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        (
            (chosen, keys).chain().in_set(WindowSystems::RecordInput),
            (drive, fly, draw_highlights, look)
                .chain()
                .in_set(WindowSystems::Update),
        ),
    )
    .add_systems(
        EguiPrimaryContextPass,
        (presentation_zoom, panel)
            .chain()
            .after(super::panels::PanelsDrawn),
    );
}

/// A lesson made ready for the window: the lesson, each step's answer and the decision's
/// choices in sentences, all computed from the same game as the window plays.
#[derive(Debug, Clone)]
pub struct LessonTour {
    /// The lesson.
    pub lesson: Arc<Lesson>,
    /// Each step's answer (`None`: no question).
    pub answers: Vec<Option<String>>,
    /// Each choice of the decision, played over its games, in a sentence.
    pub choices: Vec<String>,
}

impl LessonTour {
    /// A lesson made ready for the tour: its game's answers, and its decision's choices
    /// played on `jobs` threads (all cores when 0).
    pub fn prepare(lesson: Arc<Lesson>, jobs: usize) -> Result<Self, String> {
        let played = crate::lesson::play(&lesson);
        let results = crate::lesson::run_decision(&lesson, jobs)?;
        let choices = results
            .iter()
            .map(|c| crate::lesson::sheet::choice_sentence(&lesson, c))
            .collect();
        Ok(LessonTour {
            lesson,
            answers: played.answers,
            choices,
        })
    }
}

/// One stop of the tour: a step, or the decision (where it falls among the steps).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
    Step(usize),
    Decision,
}

/// The tour under way.
#[derive(Resource, Debug)]
pub(super) struct Tour {
    pub(super) prepared: LessonTour,
    pub(super) stops: Vec<Stop>,
    pub(super) at: usize,
    /// The answer (or the decision's games) is shown.
    pub(super) revealed: bool,
    /// The tour is shown; when left, the game stays where it is.
    pub(super) active: bool,
    /// The stop whose camera, overlay and day were last set (`None`: not yet).
    arrived: Option<usize>,
    /// How far the camera stands from the hex it looks at (the panels cover part of the
    /// window), world units.
    aim: Vec2,
}

impl Tour {
    pub(super) fn new(tour: LessonTour) -> Self {
        let lesson = &tour.lesson;
        let mut stops: Vec<Stop> = (0..lesson.steps.len()).map(Stop::Step).collect();
        if let Some(d) = &lesson.decision {
            let at = lesson
                .steps
                .iter()
                .position(|st| st.day > d.day)
                .unwrap_or(stops.len());
            stops.insert(at, Stop::Decision);
        }
        Tour {
            prepared: tour,
            stops,
            at: 0,
            revealed: false,
            active: true,
            arrived: None,
            aim: Vec2::ZERO,
        }
    }

    /// The day the stop shows.
    pub(super) fn day(&self) -> u32 {
        let lesson = &self.prepared.lesson;
        match self.stops[self.at] {
            Stop::Step(k) => lesson.steps[k].day,
            Stop::Decision => lesson.decision.as_ref().map_or(0, |d| d.day),
        }
    }

    /// What the stop shows: its step, or at the decision the decision's own view
    /// ([`Lesson::decision_step`]).
    pub(super) fn step(&self) -> Option<crate::lesson::Step> {
        let lesson = &self.prepared.lesson;
        match self.stops[self.at] {
            Stop::Step(k) => lesson.steps.get(k).cloned(),
            Stop::Decision => lesson.decision_step(),
        }
    }

    fn go(&mut self, by: isize) {
        let next = self.at.saturating_add_signed(by).min(self.stops.len() - 1);
        if next != self.at {
            self.at = next;
            self.revealed = false;
            self.arrived = None;
        }
    }

    /// What the tour shows, for a script's `Look`; `camera` is where the camera stands.
    pub(super) fn look(&self, s: &crate::scenario::Scenario, camera: Vec2) -> serde_json::Value {
        let looking_at = super::geometry::world_to_hex(s, camera - self.aim);
        let step = self.step();
        let step = step.as_ref();
        let answer = match self.stops[self.at] {
            Stop::Step(k) if self.revealed => self.prepared.answers[k].clone(),
            Stop::Decision if self.revealed => Some(self.prepared.choices.join(" ")),
            _ => None,
        };
        serde_json::json!({
            "active": self.active,
            "stop": self.at + 1,
            "stops": self.stops.len(),
            "decision": self.stops[self.at] == Stop::Decision,
            "title": step.map(|st| st.title.clone()),
            "day": self.day(),
            "camera": step.map(|st| [st.camera.at.col, st.camera.at.row]),
            "looking_at": looking_at.map(|h| [h.col, h.row]),
            "zoom": step.map(|st| st.camera.zoom),
            "highlight": step.map(|st| st.highlight.iter().map(|h| h.name(s)).collect::<Vec<_>>()),
            "answer": answer,
        })
    }
}

/// A lesson being prepared on a thread of its own (its games take a second or two, and
/// must not hold up the window's systems, whose task pools the games share).
#[derive(Resource)]
struct Preparing(std::sync::Mutex<std::sync::mpsc::Receiver<Result<LessonTour, String>>>);

/// A lesson chosen on the start screen: prepared (its game's answers, its decision's
/// games) on a thread, its tour begun when ready; a game of one's own ends any tour.
fn chosen(
    mut commands: Commands,
    mut asked: MessageReader<LessonChosen>,
    preparing: Option<Res<Preparing>>,
) {
    // The last choice made counts.
    if let Some(LessonChosen(lesson)) = asked.read().last() {
        commands.remove_resource::<Tour>();
        commands.remove_resource::<Preparing>();
        if let Some(lesson) = lesson.clone() {
            let (send, receive) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let _ = send.send(LessonTour::prepare(lesson, 0));
            });
            commands.insert_resource(Preparing(std::sync::Mutex::new(receive)));
        }
        return;
    }
    let Some(preparing) = preparing else {
        return;
    };
    let ready = preparing.0.lock().ok().and_then(|r| r.try_recv().ok());
    match ready {
        Some(Ok(tour)) => {
            commands.insert_resource(Tour::new(tour));
            commands.remove_resource::<Preparing>();
        }
        Some(Err(e)) => {
            crate::diag!("railhead: the lesson could not be prepared: {e}");
            commands.remove_resource::<Preparing>();
        }
        None => {}
    }
}

/// What the tour shows, kept for a script's `Look`.
fn look(
    tour: Option<Res<Tour>>,
    shown: Res<ScenarioRes>,
    camera: Single<&Transform, With<Camera2d>>,
    window: Single<&Window>,
    panels: Res<PanelRects>,
    mut out: ResMut<TourLook>,
) {
    out.0 = tour.map(|t| {
        let mut look = t.look(&shown.0, camera.translation.truncate());
        // The part of the window the map keeps, in window pixels, beside the window's.
        let (_, _, free) = map_area(&window, &panels);
        look["map_area"] = serde_json::json!([free.x.round(), free.y.round()]);
        look["window"] = serde_json::json!([window.width(), window.height()]);
        look
    });
}

/// The part of the window the panels leave the map: how much the right-hand panels
/// cover, where the top bar ends, and the free width and height (window pixels).
fn map_area(window: &Window, panels: &PanelRects) -> (f32, f32, Vec2) {
    let screen = egui::Rect::from_min_size(
        egui::Pos2::ZERO,
        egui::vec2(window.width(), window.height()),
    );
    let free = super::view::map_area(screen, &panels.0);
    (
        window.width() - free.max.x,
        free.min.y,
        Vec2::new(free.width(), free.height()),
    )
}

/// Page Down / Page Up step the tour (a presenter's clicker sends them); P toggles
/// presentation mode.
fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    wants: Res<EguiWantsInput>,
    tour: Option<ResMut<Tour>>,
    mut presenting: ResMut<Presentation>,
) {
    if wants.wants_keyboard_input() {
        return;
    }
    if keys.just_pressed(KeyCode::KeyP) {
        presenting.0 = !presenting.0;
    }
    let Some(mut tour) = tour else {
        return;
    };
    if !tour.active {
        return;
    }
    if keys.just_pressed(KeyCode::PageDown) {
        tour.go(1);
    }
    if keys.just_pressed(KeyCode::PageUp) {
        tour.go(-1);
    }
}

/// The camera's flight to a stop: where it goes and how close.
#[derive(Resource, Debug, Clone, Copy)]
struct Flight {
    to: Vec2,
    scale: f32,
    /// Seconds flown.
    t: f32,
}

/// Seconds a flight takes.
const FLIGHT_S: f32 = 0.8;

/// Brings the game to the stop's day (a day back or forward at a time, as the instructor's
/// keys do, once the moves being shown are done), sets its overlay, and starts the
/// camera's flight.
#[allow(
    clippy::too_many_arguments,
    reason = "a system: each resource it reads"
)]
fn drive(
    mut commands: Commands,
    tour: Option<ResMut<Tour>>,
    cursor: Res<DayCursor>,
    turn: Option<Res<State<Turn>>>,
    dialogs: Res<Dialogs>,
    mut moves: ResMut<MovesShown>,
    shown: Res<ScenarioRes>,
    window: Single<&Window>,
    panels: Res<PanelRects>,
    mut overlay: ResMut<SupplyOverlay>,
    mut requests: MessageWriter<Request>,
    presenting: Res<Presentation>,
) {
    let Some(mut tour) = tour else {
        return;
    };
    if !tour.active {
        return;
    }
    // Larger type makes a larger panel: the camera aims again.
    if presenting.is_changed() && !presenting.is_added() {
        tour.arrived = None;
    }
    let s = &shown.0;
    // The day shown: the clock stands at the start of the next day to be played.
    let day = if cursor.is_over() {
        s.turns
    } else {
        cursor.turn.saturating_sub(1)
    };
    let want = tour.day();
    // On the way to the stop's day the days between are not shown move by move; the
    // stop's own day is.
    if day != want {
        moves.steps.clear();
    }
    if day != want && can_go_on(turn.as_deref(), &dialogs, &moves) {
        requests.write(if day < want {
            Request::DayForward
        } else {
            Request::DayBack
        });
    }
    if tour.arrived == Some(tour.at) {
        return;
    }
    tour.arrived = Some(tour.at);
    let Some(step) = tour.step() else {
        return;
    };
    overlay.0 = step.overlay == Overlay::Supply;
    // Zoom 1 fits the whole map into the part of the window the panels leave free (below
    // the top bar, left of the tour's panel).
    let (covered_right, top, free) = map_area(&window, &panels);
    let bounds = super::geometry::map_bounds(s);
    let fit = (bounds.size() / free).max_element();
    let scale = (fit / step.camera.zoom.max(0.1)).clamp(0.3, 4.0);
    // The hex sits in the middle of what the panels leave free.
    let aim = Vec2::new(
        covered_right / 2.0,
        top + free.y / 2.0 - window.height() / 2.0,
    ) * scale;
    tour.aim = aim;
    let at = super::geometry::hex_to_world(s, step.camera.at) + aim;
    commands.insert_resource(Flight {
        to: at,
        scale,
        t: 0.0,
    });
}

/// Flies the camera to the stop, easing in and out, and lands it exactly.
fn fly(
    mut commands: Commands,
    flight: Option<ResMut<Flight>>,
    time: Res<Time>,
    camera: Single<(&mut Transform, &mut Projection), With<Camera2d>>,
) {
    let Some(mut flight) = flight else {
        return;
    };
    let (mut transform, mut projection) = camera.into_inner();
    let Projection::Orthographic(ortho) = &mut *projection else {
        return;
    };
    flight.t += time.delta_secs();
    let k = (flight.t / FLIGHT_S).clamp(0.0, 1.0);
    // Each frame closes a share of what is left, so the flight ends where it should.
    let ease = if k >= 1.0 { 1.0 } else { (k * 0.5).max(0.15) };
    let now = transform.translation.truncate();
    let next = now.lerp(flight.to, ease);
    transform.translation.x = next.x;
    transform.translation.y = next.y;
    ortho.scale += (flight.scale - ortho.scale) * ease;
    if k >= 1.0 {
        commands.remove_resource::<Flight>();
    }
}

/// Orange rings around what the stop highlights: a grouping's or unit's counters (one
/// ring around their main body), and each depot, place, crossing and rail link's ends.
fn draw_highlights(
    tour: Option<Res<Tour>>,
    shown: Res<ScenarioRes>,
    forces: Res<Forces>,
    mut gizmos: Gizmos,
) {
    let Some(tour) = tour else {
        return;
    };
    if !tour.active {
        return;
    }
    let Some(step) = tour.step() else {
        return;
    };
    let s = &shown.0;
    let orange = Color::srgb_u8(235, 130, 0);
    let hex = super::geometry::HEX_WORLD;
    let mut counters = Vec::new();
    let mut spots = Vec::new();
    for h in &step.highlight {
        match *h {
            Highlight::Grouping(g) => counters.extend(
                forces
                    .units
                    .iter()
                    .filter(|u| u.active() && u.grouping == g)
                    .map(crate::rules::state::UnitState::hex),
            ),
            Highlight::Unit(u) => counters.extend(
                forces
                    .units
                    .iter()
                    .filter(|x| x.id == u && x.active())
                    .map(crate::rules::state::UnitState::hex),
            ),
            Highlight::Depot(d) => spots.push(s.depot(d).hex),
            Highlight::Place(p) => spots.push(s.places[p.0].hex),
            Highlight::Crossing(c) => spots.push(s.crossings[c.0].hex),
            Highlight::Link(l) => {
                let link = s.rail_link(l);
                spots.extend(link.hexes.first().copied());
                spots.extend(link.hexes.last().copied());
            }
        }
    }
    for o in spots {
        let at = super::geometry::hex_to_world(s, o);
        for r in [0.62, 0.66, 0.70] {
            gizmos.circle_2d(at, hex * r, orange);
        }
    }
    let body = crate::report::story::main_body(counters);
    if !body.is_empty() {
        let pts: Vec<Vec2> = body
            .iter()
            .map(|o| super::geometry::hex_to_world(s, *o))
            .collect();
        let centre = pts.iter().copied().sum::<Vec2>() / pts.len() as f32;
        let r = pts.iter().map(|p| p.distance(centre)).fold(0.0, f32::max) + hex * 0.9;
        for dr in [0.0, 3.0, 6.0] {
            gizmos.circle_2d(centre, r + dr, orange);
        }
    }
}

/// The panels' type enlarged in presentation mode.
fn presentation_zoom(mut contexts: EguiContexts, presenting: Res<Presentation>) -> Result {
    let ctx = contexts.ctx_mut()?;
    let want = presenting.type_factor();
    if (ctx.zoom_factor() - want).abs() > 1e-3 {
        ctx.set_zoom_factor(want);
    }
    Ok(())
}

/// The tour's panel on the right of the window: Back, Next, presentation mode and leave
/// (or, left, a button to resume); the stop, its text, its question and the answer on
/// demand, or the decision and its games.
fn panel(
    mut contexts: EguiContexts,
    tour: Option<ResMut<Tour>>,
    mut presenting: ResMut<Presentation>,
    mut rects: ResMut<PanelRects>,
) -> Result {
    let Some(mut tour) = tour else {
        return Ok(());
    };
    let ctx = contexts.ctx_mut()?;
    if !tour.active {
        let r = egui::Area::new("resume tour".into())
            .anchor(egui::Align2::LEFT_BOTTOM, egui::vec2(8.0, -8.0))
            .show(ctx, |ui| {
                if super::script::button(ui, "Back to the lesson").clicked() {
                    tour.active = true;
                    tour.arrived = None;
                }
            });
        keep_rect(&mut rects, r.response.rect * ctx.zoom_factor());
        return Ok(());
    }
    let lesson = tour.prepared.lesson.clone();
    let stops = tour.stops.len();
    // On the right, below the top bar, in place of the narration: the map keeps the rest
    // of the window, its full height (on a 1280x720 projector too).
    let z = ctx.zoom_factor();
    let screen = ctx.viewport_rect();
    let top = rects.0.first().map_or(0.0, |r| r.max.y / z);
    let mut root = egui::Ui::new(
        ctx.clone(),
        "tour_root".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(egui::Rect::from_min_max(
                egui::pos2(screen.min.x, screen.min.y + top),
                screen.max,
            )),
    );
    // A set share of the window, in presentation mode too (egui would keep the points
    // of the size it had before the type grew).
    let r = egui::Panel::right("lesson tour")
        .resizable(false)
        .exact_size((screen.width() * 0.36).clamp(260.0, 520.0))
        .show(&mut root, |ui| {
            ui.add_space(4.0);
            ui.label(egui::RichText::new(format!("Lesson: {}", lesson.title)).weak());
            // The buttons first, where they stay whatever the stop's length.
            ui.horizontal_wrapped(|ui| {
                let back = ui.add_enabled(tour.at > 0, egui::Button::new("Back (Page Up)"));
                super::script::remember(ui.ctx(), "Back", back.rect);
                if back.clicked() {
                    tour.go(-1);
                }
                let next =
                    ui.add_enabled(tour.at + 1 < stops, egui::Button::new("Next (Page Down)"));
                super::script::remember(ui.ctx(), "Next", next.rect);
                if next.clicked() {
                    tour.go(1);
                }
            });
            ui.horizontal_wrapped(|ui| {
                let label = if presenting.0 {
                    "Presentation mode: on (P)"
                } else {
                    "Presentation mode: off (P)"
                };
                if super::script::button(ui, label).clicked() {
                    presenting.0 = !presenting.0;
                }
                if super::script::button(ui, "Leave the tour").clicked() {
                    tour.active = false;
                }
            });
            ui.separator();
            egui::ScrollArea::vertical().show(ui, |ui| {
                stop(ui, &mut tour, &lesson, stops);
                words(ui, &lesson);
            });
        });
    keep_rect(&mut rects, r.response.rect * z);
    Ok(())
}

/// The stop's title, date, text and question, the answer on demand; or the decision and
/// its games.
fn stop(ui: &mut egui::Ui, tour: &mut Tour, lesson: &Lesson, stops: usize) {
    let date = |day: u32| crate::lesson::sheet::date(lesson, day);
    match tour.stops[tour.at] {
        Stop::Step(k) => {
            let st = &lesson.steps[k];
            ui.heading(format!("{} of {stops}: {}", tour.at + 1, st.title));
            ui.label(egui::RichText::new(date(st.day)).weak());
            ui.label(&st.text);
            if let Some(q) = &st.question {
                ui.add_space(4.0);
                ui.strong(&q.ask);
                if tour.revealed {
                    if let Some(a) = &tour.prepared.answers[k] {
                        ui.label(egui::RichText::new(a).color(ANSWER));
                    }
                } else if super::script::button(ui, "Show the answer").clicked() {
                    tour.revealed = true;
                }
            }
        }
        Stop::Decision => {
            if let Some(d) = &lesson.decision {
                ui.heading(format!("{} of {stops}: your decision", tour.at + 1));
                ui.label(egui::RichText::new(date(d.day)).weak());
                ui.label(&d.ask);
                for c in &d.choices {
                    ui.label(format!("•  {}", c.label));
                }
                if tour.revealed {
                    ui.add_space(4.0);
                    ui.strong(format!("Each choice, played {} times:", d.runs));
                    for line in &tour.prepared.choices {
                        ui.label(line);
                    }
                } else if super::script::button(ui, "Play each choice").clicked() {
                    tour.revealed = true;
                }
            }
        }
    }
}

/// The lesson's words, folded: each term's meaning and the scenario's example.
fn words(ui: &mut egui::Ui, lesson: &Lesson) {
    if lesson.glossary.is_empty() {
        return;
    }
    ui.add_space(8.0);
    egui::CollapsingHeader::new(format!("Words of the lesson ({})", lesson.glossary.len()))
        .id_salt("lesson words")
        .show(ui, |ui| {
            for g in &lesson.glossary {
                ui.label(egui::RichText::new(&g.term).strong());
                ui.label(&g.meaning);
                if let Some(e) = &g.example {
                    ui.label(egui::RichText::new(format!("Here: {e}")).italics());
                }
                ui.add_space(4.0);
            }
        });
}

/// The answer's colour: a green light enough to read on the dark panel.
const ANSWER: egui::Color32 = egui::Color32::from_rgb(120, 200, 120);

/// The tour's panel among the rectangles the map does not take clicks under (after the
/// top bar and the side panel), changed only when it moves.
fn keep_rect(rects: &mut PanelRects, r: egui::Rect) {
    if rects.0.get(2) != Some(&r) {
        rects.0.truncate(2);
        rects.0.push(r);
    }
}
