//! Lessons: a teacher's frame around a game. A lesson file names a scenario and a seed and
//! lists steps (a day, where the map looks, an overlay, what is highlighted, a text, a
//! question whose answer the game computes) and a decision the class takes for a
//! commander, each choice played over many games. From it come the worksheet and its
//! answer key ([`sheet`]), and the guided tour in the window.

pub mod file;
pub mod sheet;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::geo::Offset;
use crate::report::record::GameRecord;
use crate::report::stats::Spread;
use crate::rules::simulation::Simulation;
use crate::scenario::Scenario;
use crate::scenario::ids::{CrossingId, DepotId, GroupingId, LinkId, PlaceId, SideId, UnitId};
use crate::scenario::model::Directive;

/// A lesson, checked against its scenario.
#[derive(Debug, Clone)]
pub struct Lesson {
    /// Title.
    pub title: String,
    /// What the class learns.
    pub summary: String,
    /// Minutes in all, if the file says.
    pub minutes: Option<u32>,
    /// The scenario (or variant) the lesson plays.
    pub scenario: Arc<Scenario>,
    /// Its file.
    pub scenario_file: PathBuf,
    /// The seed of the lesson's game.
    pub seed: u64,
    /// The steps, in the order of their days.
    pub steps: Vec<Step>,
    /// The decision the class takes, if any.
    pub decision: Option<Decision>,
    /// The terms it uses, with their meanings and the scenario's examples.
    pub glossary: Vec<crate::scenario::glossary::Gloss>,
}

/// One step of a lesson.
#[derive(Debug, Clone)]
pub struct Step {
    /// Title.
    pub title: String,
    /// The day played to (0: the start).
    pub day: u32,
    /// Where the map looks.
    pub camera: Camera,
    /// The overlay shown.
    pub overlay: Overlay,
    /// What is highlighted.
    pub highlight: Vec<Highlight>,
    /// The text.
    pub text: String,
    /// A question, if any.
    pub question: Option<Question>,
    /// Minutes, if the file says.
    pub minutes: Option<u32>,
}

/// Where the map looks: the hex at the centre and how close (1: the whole map).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    /// The hex at the centre.
    pub at: Offset,
    /// 1 the whole map, 2 twice as close.
    pub zoom: f32,
}

/// An overlay over the map.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Overlay {
    /// None.
    #[default]
    None,
    /// Each unit ringed by its supply state and joined to its depot (the window's O).
    Supply,
}

impl Lesson {
    /// What the map shows while the class decides, as a step: the decision's grouping
    /// ringed, where the decision's `camera` looks (else where the last step of its day or
    /// before looks, else the whole map), with that step's overlay.
    #[must_use]
    pub fn decision_step(&self) -> Option<Step> {
        let d = self.decision.as_ref()?;
        let before = self.steps.iter().rev().find(|st| st.day <= d.day);
        let s = &self.scenario;
        let whole = Camera {
            at: Offset {
                col: s.frame.columns / 2,
                row: s.frame.rows / 2,
            },
            zoom: 1.0,
        };
        Some(Step {
            title: "Your decision".into(),
            day: d.day,
            camera: d.camera.or(before.map(|b| b.camera)).unwrap_or(whole),
            overlay: before.map_or(Overlay::None, |b| b.overlay),
            highlight: vec![Highlight::Grouping(d.grouping)],
            text: d.ask.clone(),
            question: None,
            minutes: None,
        })
    }
}

/// Something a step highlights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Highlight {
    /// Every unit of a grouping.
    Grouping(GroupingId),
    /// A unit.
    Unit(UnitId),
    /// A depot.
    Depot(DepotId),
    /// A rail link.
    Link(LinkId),
    /// A crossing.
    Crossing(CrossingId),
    /// A place.
    Place(PlaceId),
}

impl Highlight {
    /// Its name in the scenario.
    #[must_use]
    pub fn name(self, s: &Scenario) -> &str {
        match self {
            Highlight::Grouping(g) => &s.grouping(g).name,
            Highlight::Unit(u) => &s.unit(u).name,
            Highlight::Depot(d) => &s.depot(d).name,
            Highlight::Link(l) => &s.rail_link(l).name,
            Highlight::Crossing(c) => &s.crossings[c.0].name,
            Highlight::Place(p) => &s.places[p.0].name,
        }
    }
}

/// A question and what answers it.
#[derive(Debug, Clone)]
pub struct Question {
    /// The question.
    pub ask: String,
    /// What the game answers with.
    pub answer: Answer,
}

/// An answer the game computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// What a depot received on a day, against open lines.
    DepotInflow {
        /// The depot.
        depot: DepotId,
        /// The day.
        day: u32,
    },
    /// A depot's stock at the end of a day.
    DepotStock {
        /// The depot.
        depot: DepotId,
        /// The day.
        day: u32,
    },
    /// A grouping's days of supply and lines cut as its commander weighs them.
    DaysOfSupply {
        /// The grouping.
        grouping: GroupingId,
        /// The day.
        day: u32,
    },
    /// When a grouping was first ordered back, and why.
    Withdrawal {
        /// The grouping.
        grouping: GroupingId,
    },
    /// A side's territory taken since the start, at the end of a day.
    Territory {
        /// The side.
        side: SideId,
        /// The day.
        day: u32,
    },
    /// When a place first changed hands.
    Taken {
        /// The place.
        place: PlaceId,
    },
    /// Equipment a grouping left behind and the enemy captured.
    LeftBehind {
        /// The grouping.
        grouping: GroupingId,
    },
}

/// The decision a class takes for a commander.
#[derive(Debug, Clone)]
pub struct Decision {
    /// The day the class decides on.
    pub day: u32,
    /// Where the map looks while the class decides (`None`: where the step before looks).
    pub camera: Option<Camera>,
    /// The grouping it is about.
    pub grouping: GroupingId,
    /// The question.
    pub ask: String,
    /// The choices.
    pub choices: Vec<Choice>,
    /// Games per choice.
    pub runs: u32,
}

/// One choice of a decision.
#[derive(Debug, Clone)]
pub struct Choice {
    /// In words.
    pub label: String,
    /// The directive it gives; none leaves it to the commander.
    pub directive: Option<Directive>,
}

/// The lesson's game, played: its record and each step's answer in words.
#[derive(Debug, Clone)]
pub struct Played {
    /// The game.
    pub record: GameRecord,
    /// For each step, its question's answer in words (`None`: no question).
    pub answers: Vec<Option<String>>,
}

/// What the games of one choice came to.
#[derive(Debug, Clone)]
pub struct ChoiceResult {
    /// The choice's label.
    pub label: String,
    /// Games played.
    pub games: usize,
    /// Days the grouping was first ordered back, in the games that ordered it.
    pub ordered: Vec<f64>,
    /// Items of equipment its units left behind, per game.
    pub left_behind: Vec<f64>,
    /// Items of its equipment the enemy captured, per game.
    pub captured: Vec<f64>,
    /// Its units lost, per game.
    pub units_lost: Vec<f64>,
    /// Its units.
    pub units: usize,
    /// The enemy's territory taken since the start at the end, km², per game.
    pub enemy_km2: Vec<f64>,
}

impl ChoiceResult {
    /// The median and 5-95% of one of its measures.
    pub fn spread(values: &[f64]) -> Option<Spread> {
        Spread::of(values)
    }
}

/// Plays the lesson's game to its end and answers each step's question from it.
pub fn play(lesson: &Lesson) -> Played {
    let s = lesson.scenario.clone();
    // The grouping assessments the questions ask for, taken at the end of their days.
    let wanted: Vec<(GroupingId, u32)> = lesson
        .steps
        .iter()
        .filter_map(|st| match st.question.as_ref()?.answer {
            Answer::DaysOfSupply { grouping, day } => Some((grouping, day)),
            _ => None,
        })
        .collect();
    let mut assessed: BTreeMap<(GroupingId, u32), Option<crate::rules::withdrawal::Assessment>> =
        BTreeMap::new();
    let record = crate::report::record::play_recorded_with(
        s.clone(),
        lesson.seed,
        crate::rules::setup::default_controllers(&s),
        None,
        &mut |sim: &Simulation, turn: u32| {
            for (g, _) in wanted.iter().filter(|(_, d)| *d == turn) {
                assessed.insert((*g, turn), assess(sim, *g));
            }
        },
    );
    let answers = lesson
        .steps
        .iter()
        .map(|st| {
            st.question
                .as_ref()
                .map(|q| answer_text(&record, &assessed, q.answer, st.day))
        })
        .collect();
    Played { record, answers }
}

/// A grouping as its commander sees it at the end of the day just played (the enemy
/// estimated exactly).
fn assess(sim: &Simulation, g: GroupingId) -> Option<crate::rules::withdrawal::Assessment> {
    use crate::rules::state::{Board, Depots, Forces};
    let w = sim.world();
    crate::rules::withdrawal::assess(
        &sim.scenario(),
        w.resource::<Board>(),
        w.resource::<Depots>(),
        w.resource::<Forces>(),
        g,
        1.0,
    )
}

/// A whole number with its thousands grouped ("4,641").
fn n(x: f64) -> String {
    crate::numbers::group_thousands(x.round().clamp(0.0, f64::from(u32::MAX)) as u32)
}

fn tonnes(t: f64) -> String {
    format!("{} t", n(t))
}

fn date_of(s: &Scenario, day: u32) -> String {
    (s.start_date + chrono::Days::new(u64::from(day.saturating_sub(1))))
        .format("%-d %B")
        .to_string()
}

/// An answer in words, from the game as it stood at the end of day `by` (the step's): what
/// came later is not told (a step on day 3 asking whether a grouping was ordered back
/// learns that it had not been by then, not the day it would be).
pub fn answer_text(
    r: &GameRecord,
    assessed: &BTreeMap<(GroupingId, u32), Option<crate::rules::withdrawal::Assessment>>,
    a: Answer,
    by: u32,
) -> String {
    let s = &r.scenario;
    // "By the end of day N (date)" when the game went on after the step, else "in this game".
    let last = r.days.last().map_or(0, |d| d.turn);
    let so_far = if by < last {
        format!("by the end of day {by} ({})", date_of(s, by))
    } else {
        "in this game".to_string()
    };
    let day_of = |d: u32| r.days.iter().find(|x| x.turn == d);
    match a {
        Answer::DepotInflow { depot, day } => match day_of(day).and_then(|d| d.depots.get(depot.0))
        {
            Some(x) if x.inflow + 0.5 < x.nominal_inflow => format!(
                "On day {day} ({}) the {} received {}, of the {} its lines would bring open.",
                date_of(s, day),
                s.depot(depot).name,
                tonnes(x.inflow),
                tonnes(x.nominal_inflow)
            ),
            Some(x) => format!(
                "On day {day} ({}) the {} received {}: its lines were open.",
                date_of(s, day),
                s.depot(depot).name,
                tonnes(x.inflow)
            ),
            None => format!("The game did not reach day {day}."),
        },
        Answer::DepotStock { depot, day } => {
            match day_of(day).and_then(|d| d.depots.get(depot.0)) {
                Some(x) => format!(
                    "At the end of day {day} ({}) the {} held {}{}.",
                    date_of(s, day),
                    s.depot(depot).name,
                    tonnes(x.stock),
                    if x.owner == s.depot(depot).side {
                        String::new()
                    } else {
                        format!(", in the hands of {}", s.side(x.owner).name)
                    }
                ),
                None => format!("The game did not reach day {day}."),
            }
        }
        Answer::DaysOfSupply { grouping, day } => {
            let name = &s.grouping(grouping).name;
            let th = s.thresholds(grouping);
            match assessed.get(&(grouping, day)).cloned().flatten() {
                None => format!("On day {day} the {name} had no unit on the map."),
                Some(x) => {
                    let days = if x.days_of_supply.is_finite() {
                        format!("{:.1} days of supply", x.days_of_supply)
                    } else {
                        "supply for as long as its trains run (they bring all it draws)".into()
                    };
                    let lines = format!(
                        "{:.0}% of its rail supply cut or within the enemy's reach",
                        x.lines_cut * 100.0
                    );
                    match th {
                        Some(t) => format!(
                            "At the end of day {day} ({}) the {name} had {days} (its commander falls back below {}) and {lines} (threshold {:.0}%), outnumbered {:.1} to 1 (threshold {}).",
                            date_of(s, day),
                            t.days_of_supply_below,
                            t.lines_cut_at_least * 100.0,
                            x.force_ratio,
                            t.force_ratio_above
                        ),
                        None => format!(
                            "At the end of day {day} ({}) the {name} had {days} and {lines}.",
                            date_of(s, day)
                        ),
                    }
                }
            }
        }
        Answer::Withdrawal { grouping } => {
            let acc = crate::report::account::account(r, grouping);
            let name = &s.grouping(grouping).name;
            let history = acc.history.as_ref().map_or(String::new(), |(d, rating)| {
                format!(" History: {} [{rating}].", d.format("%-d %B"))
            });
            match &acc.ordered {
                Some((day, date, why)) if *day <= by => format!(
                    "The {name} was ordered back on day {day} ({}): {}.{history}",
                    date.format("%-d %B"),
                    why.join("; ")
                ),
                _ => format!("The {name} had not been ordered back {so_far}.{history}"),
            }
        }
        Answer::Territory { side, day } => match day_of(day) {
            Some(d) => {
                let x = &d.sides[side.0];
                let history = x.historical_km2.map_or(String::new(), |h| {
                    format!(" History on that date: about {} km².", n(h))
                });
                format!(
                    "By the end of day {day} ({}) {} had taken {} km².{history}",
                    date_of(s, day),
                    s.side(side).name,
                    n(x.territory_km2)
                )
            }
            None => format!("The game did not reach day {day}."),
        },
        Answer::Taken { place } => {
            let p = &s.places[place.0];
            let at = s.index(p.hex);
            let start = s.control_at(p.hex);
            let taken = r.days.iter().filter(|d| d.turn <= by).find_map(|d| {
                let now = d.view.control.get(at).copied().flatten();
                (now != start).then_some((d.turn, d.date, now))
            });
            match taken {
                Some((turn, date, Some(by))) => {
                    let history = crate::report::story::history_taken(r, place, by)
                        .map_or(String::new(), |(d, rating)| {
                            format!(" History: {} [{rating}].", d.format("%-d %B"))
                        });
                    format!(
                        "{} was taken by {} on day {turn} ({}).{history}",
                        p.name,
                        s.side(by).name,
                        date.format("%-d %B")
                    )
                }
                Some((turn, date, None)) => format!(
                    "{} was lost on day {turn} ({}), held by neither side.",
                    p.name,
                    date.format("%-d %B")
                ),
                None => format!("{} had not changed hands {so_far}.", p.name),
            }
        }
        Answer::LeftBehind { grouping } => left_behind_text(r, grouping, by, last),
    }
}

/// What the grouping had left behind and lost by the end of day `by` (the whole game when
/// that is its last day, `last`).
fn left_behind_text(r: &GameRecord, grouping: GroupingId, by: u32, last: u32) -> String {
    let s = &r.scenario;
    let lost = crate::report::account::losses(r, grouping, by);
    let name = &s.grouping(grouping).name;
    let units = s.units.iter().filter(|u| u.grouping == grouping).count();
    let (left, captured, lost_units) = (
        n(f64::from(lost.abandoned)),
        n(f64::from(lost.captured)),
        lost.units_lost,
    );
    if by < last {
        format!(
            "By the end of day {by} ({}) the {name}'s units had left {left} items of equipment behind; the enemy had captured {captured} of its equipment in all, and it had lost {lost_units} of its {units} units.",
            date_of(s, by)
        )
    } else {
        format!(
            "The {name}'s units left {left} items of equipment behind; the enemy captured {captured} of its equipment in all, and it lost {lost_units} of its {units} units."
        )
    }
}

/// Plays each choice of the decision over its games (seeds from the lesson's on), on
/// `jobs` threads (all cores when 0): the grouping under the choice's directive, every
/// other command as in the lesson's game.
pub fn run_decision(lesson: &Lesson, jobs: usize) -> Result<Vec<ChoiceResult>, String> {
    let Some(d) = &lesson.decision else {
        return Ok(Vec::new());
    };
    let base = &lesson.scenario;
    let g = d.grouping;
    let enemy = base
        .side_ids()
        .find(|x| *x != base.grouping(g).side)
        .unwrap_or(SideId(0));
    d.choices
        .iter()
        .map(|c| {
            let mut s = (**base).clone();
            s.groupings[g.0].directive = c.directive;
            let s = Arc::new(s);
            let controllers = crate::rules::setup::default_controllers(&s);
            let games = crate::report::stats::run_records(
                &s,
                &controllers,
                lesson.seed,
                u64::from(d.runs),
                jobs,
            )?;
            let mut out = ChoiceResult {
                label: c.label.clone(),
                games: games.len(),
                ordered: Vec::new(),
                left_behind: Vec::new(),
                captured: Vec::new(),
                units_lost: Vec::new(),
                units: 0,
                enemy_km2: Vec::new(),
            };
            for r in &games {
                let acc = crate::report::account::account(r, g);
                if let Some((day, _, _)) = &acc.ordered {
                    out.ordered.push(f64::from(*day));
                }
                out.left_behind.push(f64::from(acc.abandoned));
                out.captured.push(f64::from(acc.captured));
                out.units_lost.push(acc.units_lost as f64);
                out.units = acc.units;
                out.enemy_km2.push(
                    r.days
                        .last()
                        .map_or(0.0, |x| x.sides[enemy.0].territory_km2),
                );
            }
            Ok(out)
        })
        .collect()
}
