//! The lesson file: a scenario (or a variant) and a seed, the steps a teacher walks a
//! class through (a day, where the map looks, an overlay, what is highlighted, a text, a
//! question whose answer the game computes) and a decision the class takes, each choice
//! played over many games. Checked like a scenario: every problem with its file, line and
//! column and a hint. `docs/lessons.md` describes every field.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Answer, Camera, Choice, Decision, Highlight, Lesson, Overlay, Question, Step};
use crate::geo::Offset;
use crate::scenario::error::{Diagnostic, ScenarioError, suggest};
use crate::scenario::locate::SourceIndex;
use crate::scenario::model::Directive;
use crate::scenario::raw::{Location, RawDirective};
use crate::scenario::read::diag;
use crate::scenario::{self, Scenario};

/// A lesson as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Lesson")]
pub struct RawLesson {
    /// Title.
    pub title: String,
    /// What the class learns, in a sentence or two.
    #[serde(default)]
    pub summary: String,
    /// The scenario or variant file, relative to the lesson's folder.
    pub scenario: String,
    /// The seed of the lesson's game (the scenario's own when omitted).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Minutes the lesson takes in all.
    #[serde(default)]
    pub minutes: Option<u32>,
    /// The steps, in order.
    pub steps: Vec<RawStep>,
    /// The decision the class takes, if any.
    #[serde(default)]
    pub decision: Option<RawDecision>,
    /// Terms of the built-in glossary the lesson uses (`"depot"`, `"inflow"`, ...).
    #[serde(default)]
    pub glossary: Vec<String>,
    /// Terms of its own, with their meanings.
    #[serde(default)]
    pub terms: Vec<(String, String)>,
}

/// One step as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Step")]
pub struct RawStep {
    /// Title.
    pub title: String,
    /// The day played to (0: the start, before the first day).
    pub day: u32,
    /// Where the map looks.
    pub camera: RawCamera,
    /// The overlay shown.
    #[serde(default)]
    pub overlay: Overlay,
    /// What is highlighted.
    #[serde(default)]
    pub highlight: Vec<RawHighlight>,
    /// What the teacher says or the class reads.
    pub text: String,
    /// A question, its answer from the game.
    #[serde(default)]
    pub question: Option<RawQuestion>,
    /// Minutes for the step.
    #[serde(default)]
    pub minutes: Option<u32>,
}

/// Where the map looks, as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Camera")]
pub struct RawCamera {
    /// The hex at the centre: `Place("Izium")` or `Hex(20, 30)`.
    pub at: Location,
    /// 1 shows the whole map; 2 twice as close, and so on.
    #[serde(default = "one")]
    pub zoom: f32,
}

fn one() -> f32 {
    1.0
}

/// Something highlighted, by name.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum RawHighlight {
    /// Every unit of a grouping.
    Grouping(String),
    /// A unit.
    Unit(String),
    /// A depot.
    Depot(String),
    /// A rail link.
    Link(String),
    /// A crossing.
    Crossing(String),
    /// A place.
    Place(String),
}

/// A question as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Question")]
pub struct RawQuestion {
    /// The question.
    pub ask: String,
    /// What the game answers with.
    pub answer: RawAnswer,
}

/// An answer the game computes, as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum RawAnswer {
    /// What a depot received on a day, against what open lines would bring.
    DepotInflow {
        /// The depot.
        depot: String,
        /// The day.
        day: u32,
    },
    /// A depot's stock at the end of a day.
    DepotStock {
        /// The depot.
        depot: String,
        /// The day.
        day: u32,
    },
    /// A grouping's days of supply and lines cut as its commander weighs them, at the end
    /// of a day.
    DaysOfSupply {
        /// The grouping.
        grouping: String,
        /// The day.
        day: u32,
    },
    /// When a grouping was first ordered back, and why.
    Withdrawal {
        /// The grouping.
        grouping: String,
    },
    /// What a side has taken since the start, at the end of a day.
    Territory {
        /// The side, by id.
        side: String,
        /// The day.
        day: u32,
    },
    /// When a place first changed hands.
    Taken {
        /// The place.
        place: String,
    },
    /// The equipment a grouping's units left behind, and what the enemy captured of them.
    LeftBehind {
        /// The grouping.
        grouping: String,
    },
}

/// The decision as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Decision")]
pub struct RawDecision {
    /// The day the class decides on (the game stops at its end).
    pub day: u32,
    /// The grouping the decision is about.
    pub grouping: String,
    /// The question put to the class.
    pub ask: String,
    /// The choices.
    pub choices: Vec<RawChoice>,
    /// Games played for each choice (default 20).
    #[serde(default)]
    pub runs: Option<u32>,
    /// Where the map looks while the class decides (default: where the step before looks).
    #[serde(default)]
    pub camera: Option<RawCamera>,
}

/// A choice as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Choice")]
pub struct RawChoice {
    /// What the class chooses, in words.
    pub label: String,
    /// The directive it gives the grouping; none leaves the decision to its commander.
    #[serde(default)]
    pub directive: Option<RawDirective>,
}

/// Most steps in a lesson.
pub const MAX_STEPS: usize = 60;
/// Most games per choice.
pub const MAX_RUNS: u32 = 500;

/// Whether a file is a lesson (its first value is `Lesson(`); false if it cannot be read.
pub fn is_lesson_file(path: &Path) -> bool {
    crate::files::read_regular(path, scenario::MAX_FILE_BYTES as u64)
        .ok()
        .and_then(|b| crate::files::into_text(b).ok())
        .is_some_and(|t| crate::files::first_word(&t) == "Lesson")
}

/// Reads and checks a lesson file; every problem with its file, line and column (its
/// scenario's in the scenario's file).
pub fn load_lesson(path: &Path) -> Result<Lesson, ScenarioError> {
    let file = path.display().to_string();
    let bytes = scenario::read::read_scenario_bytes(path, "the lesson file", (&file, 1, 1))?;
    let src = scenario::text_of(&bytes, &file)?;
    let dir = path.parent().unwrap_or(Path::new(""));
    load_lesson_str(src, &file, dir)
}

/// Reads and checks lesson text; `file` names it in messages, its scenario is found in
/// `dir`.
pub fn load_lesson_str(src: &str, file: &str, dir: &Path) -> Result<Lesson, ScenarioError> {
    if crate::files::first_word(src) != "Lesson" {
        return Err(ScenarioError {
            diagnostics: vec![diag(
                file,
                1,
                1,
                "this is not a Railhead lesson: its first value is not `Lesson(`",
                Some("docs/lessons.md describes the lesson file; start from lessons/kharkiv_why_izium_fell.ron".into()),
            )],
        });
    }
    let raw: RawLesson = scenario::read::parse_with(src, file)?;
    let index = SourceIndex::build(src);
    let at = |path: &str, message: String, hint: Option<String>| -> Diagnostic {
        let pos = index.find(path);
        diag(file, pos.line, pos.column, message, hint)
    };
    let scenario_path = dir.join(&raw.scenario);
    let s = match scenario::load_file(&scenario_path) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            let mut d = vec![at(
                "scenario",
                format!(
                    "the lesson's scenario {} has problems (listed with their places)",
                    raw.scenario
                ),
                Some("name a scenario or variant file, relative to the lesson's folder".into()),
            )];
            d.extend(e.diagnostics);
            return Err(ScenarioError::sorted(d));
        }
    };
    let mut c = Check {
        s: &s,
        at: &at,
        problems: Vec::new(),
    };
    let lesson = c.lesson(&raw, s.clone(), scenario_path);
    if c.problems.is_empty() {
        Ok(lesson)
    } else {
        Err(ScenarioError::sorted(c.problems))
    }
}

/// The checks of one lesson against its scenario.
struct Check<'a> {
    s: &'a Scenario,
    at: &'a dyn Fn(&str, String, Option<String>) -> Diagnostic,
    problems: Vec<Diagnostic>,
}

impl Check<'_> {
    fn problem(&mut self, path: &str, message: String, hint: impl Into<String>) {
        let d = (self.at)(path, message, Some(hint.into()));
        self.problems.push(d);
    }

    fn text(&mut self, path: &str, what: &str, text: &str, most: usize) {
        if text.trim().is_empty() {
            self.problem(
                path,
                format!("the {what} is empty"),
                "write it out: the class reads it",
            );
        } else if text.chars().count() > most {
            self.problem(
                path,
                format!(
                    "the {what} runs to {} characters, more than {most}",
                    text.chars().count()
                ),
                "split it over two steps: a projected screen holds a short paragraph",
            );
        }
    }

    fn day(&mut self, path: &str, day: u32) -> u32 {
        if day > self.s.turns {
            self.problem(
                path,
                format!(
                    "day {day} is past the scenario's last day ({})",
                    self.s.turns
                ),
                format!("a day from 0 (the start) to {}", self.s.turns),
            );
        }
        day.min(self.s.turns)
    }

    fn named<T>(
        &mut self,
        path: &str,
        kind: &str,
        name: &str,
        items: &[T],
        name_of: impl Fn(&T) -> &str,
    ) -> Option<usize> {
        let found = items.iter().position(|x| name_of(x) == name);
        if found.is_none() {
            let hint = suggest(name, items.iter().map(&name_of));
            self.problem(path, format!("there is no {kind} `{name}`"), hint);
        }
        found
    }

    fn grouping(&mut self, path: &str, name: &str) -> Option<crate::scenario::ids::GroupingId> {
        let s = self.s;
        self.named(path, "grouping", name, &s.groupings, |g| &g.name)
            .map(crate::scenario::ids::GroupingId)
    }

    fn depot(&mut self, path: &str, name: &str) -> Option<crate::scenario::ids::DepotId> {
        let s = self.s;
        self.named(path, "depot", name, &s.depots, |d| &d.name)
            .map(crate::scenario::ids::DepotId)
    }

    fn place(&mut self, path: &str, name: &str) -> Option<crate::scenario::ids::PlaceId> {
        let s = self.s;
        self.named(path, "place", name, &s.places, |p| &p.name)
            .map(crate::scenario::ids::PlaceId)
    }

    fn location(&mut self, path: &str, l: &Location) -> Offset {
        let s = self.s;
        let centre = Offset {
            col: s.frame.columns / 2,
            row: s.frame.rows / 2,
        };
        match l {
            Location::Place(name) => self.place(path, name).map_or(centre, |p| s.places[p.0].hex),
            Location::Hex(col, row) => {
                let o = Offset {
                    col: *col,
                    row: *row,
                };
                if s.frame.contains(o) {
                    o
                } else {
                    self.problem(
                        path,
                        format!("hex ({col}, {row}) is off the map"),
                        format!(
                            "columns 0 to {}, rows 0 to {}",
                            s.frame.columns - 1,
                            s.frame.rows - 1
                        ),
                    );
                    centre
                }
            }
            Location::LatLon(lat, lon) => match s.frame.project(crate::geo::LatLon {
                lat: *lat,
                lon: *lon,
            }) {
                o if s.frame.contains(o) => o,
                _ => {
                    self.problem(
                        path,
                        format!("{lat}, {lon} is off the map"),
                        "a point within the scenario's map, or Place(\"...\")",
                    );
                    centre
                }
            },
        }
    }

    fn lesson(&mut self, raw: &RawLesson, s: Arc<Scenario>, file: std::path::PathBuf) -> Lesson {
        self.text("title", "title", &raw.title, 120);
        if raw.steps.is_empty() {
            self.problem(
                "steps",
                "the lesson has no steps".into(),
                "give it at least one `Step(...)`",
            );
        }
        if raw.steps.len() > MAX_STEPS {
            self.problem(
                "steps",
                format!("{} steps, more than {MAX_STEPS}", raw.steps.len()),
                "split it into two lessons",
            );
        }
        let steps: Vec<Step> = raw
            .steps
            .iter()
            .enumerate()
            .map(|(i, st)| self.step(i, st))
            .collect();
        for (i, w) in steps.windows(2).enumerate() {
            if w[1].day < w[0].day {
                self.problem(
                    &format!("steps[{}].day", i + 1),
                    format!(
                        "step {} goes back to day {} after day {}",
                        i + 2,
                        w[1].day,
                        w[0].day
                    ),
                    "put the steps in the order of their days: the game only plays forward",
                );
            }
        }
        let decision = raw.decision.as_ref().map(|d| self.decision(d));
        let mut glossary = Vec::new();
        for (i, term) in raw.glossary.iter().enumerate() {
            use crate::scenario::glossary::{TERMS, gloss};
            match gloss(&s, term) {
                Some(g) => glossary.push(g),
                None => self.problem(
                    &format!("glossary[{i}]"),
                    format!("the glossary has no term `{term}`"),
                    suggest(term, TERMS.iter().map(|(t, _)| *t)),
                ),
            }
        }
        for (i, (term, text)) in raw.terms.iter().enumerate() {
            self.text(&format!("terms[{i}]"), "term", term, 60);
            self.text(&format!("terms[{i}]"), "term's meaning", text, 400);
            glossary.push(crate::scenario::glossary::Gloss {
                term: term.clone(),
                meaning: text.clone(),
                example: None,
            });
        }
        Lesson {
            title: raw.title.clone(),
            summary: raw.summary.clone(),
            minutes: raw.minutes,
            seed: raw.seed.unwrap_or(s.seed),
            scenario: s,
            scenario_file: file,
            steps,
            decision,
            glossary,
        }
    }

    /// A camera: its place on the map, its zoom in range.
    fn camera(&mut self, p: &str, c: &RawCamera) -> Camera {
        let at = self.location(&format!("{p}.at"), &c.at);
        let zoom = c.zoom;
        if !(0.5..=8.0).contains(&zoom) || !zoom.is_finite() {
            self.problem(
                &format!("{p}.zoom"),
                format!("zoom {zoom} is out of range"),
                "0.5 (farther than the whole map) to 8 (a few hexes); 1 shows the whole map",
            );
        }
        Camera { at, zoom }
    }

    fn step(&mut self, i: usize, st: &RawStep) -> Step {
        let p = format!("steps[{i}]");
        self.text(&format!("{p}.title"), "step's title", &st.title, 120);
        self.text(&format!("{p}.text"), "step's text", &st.text, 900);
        let day = self.day(&format!("{p}.day"), st.day);
        let camera = self.camera(&format!("{p}.camera"), &st.camera);
        let s = self.s;
        let highlight = st
            .highlight
            .iter()
            .enumerate()
            .filter_map(|(k, h)| {
                let hp = format!("{p}.highlight[{k}]");
                match h {
                    RawHighlight::Grouping(n) => self.grouping(&hp, n).map(Highlight::Grouping),
                    RawHighlight::Unit(n) => self
                        .named(&hp, "unit", n, &s.units, |u| &u.name)
                        .map(|u| Highlight::Unit(crate::scenario::ids::UnitId(u))),
                    RawHighlight::Depot(n) => self.depot(&hp, n).map(Highlight::Depot),
                    RawHighlight::Link(n) => self
                        .named(&hp, "rail link", n, &s.rail_links, |l| &l.name)
                        .map(|l| Highlight::Link(crate::scenario::ids::LinkId(l))),
                    RawHighlight::Crossing(n) => self
                        .named(&hp, "crossing", n, &s.crossings, |c| &c.name)
                        .map(|c| Highlight::Crossing(crate::scenario::ids::CrossingId(c))),
                    RawHighlight::Place(n) => self.place(&hp, n).map(Highlight::Place),
                }
            })
            .collect();
        let question = st.question.as_ref().and_then(|q| {
            self.text(&format!("{p}.question.ask"), "question", &q.ask, 300);
            self.answer(&format!("{p}.question.answer"), &q.answer, day)
                .map(|answer| Question {
                    ask: q.ask.clone(),
                    answer,
                })
        });
        Step {
            title: st.title.clone(),
            day,
            camera,
            overlay: st.overlay,
            highlight,
            text: st.text.clone(),
            question,
            minutes: st.minutes,
        }
    }

    fn answer(&mut self, p: &str, a: &RawAnswer, step_day: u32) -> Option<Answer> {
        // An answer about a day is known once the game has played it: not after the step.
        let dated = |c: &mut Self, day: u32| -> u32 {
            let day = c.day(&format!("{p}.day"), day);
            if day == 0 || day > step_day {
                let hint = if step_day == 0 {
                    "the step shows the start, before any day is played: put it on day 1 or later"
                        .to_string()
                } else {
                    format!("a day from 1 to {step_day}: the class sees the game up to its step")
                };
                c.problem(
                    &format!("{p}.day"),
                    format!("day {day} is not played by this step (day {step_day})"),
                    hint,
                );
            }
            day
        };
        Some(match a {
            RawAnswer::DepotInflow { depot, day } => {
                let day = dated(self, *day);
                Answer::DepotInflow {
                    depot: self.depot(&format!("{p}.depot"), depot)?,
                    day,
                }
            }
            RawAnswer::DepotStock { depot, day } => {
                let day = dated(self, *day);
                Answer::DepotStock {
                    depot: self.depot(&format!("{p}.depot"), depot)?,
                    day,
                }
            }
            RawAnswer::DaysOfSupply { grouping, day } => {
                let day = dated(self, *day);
                Answer::DaysOfSupply {
                    grouping: self.grouping(&format!("{p}.grouping"), grouping)?,
                    day,
                }
            }
            RawAnswer::Withdrawal { grouping } => Answer::Withdrawal {
                grouping: self.grouping(&format!("{p}.grouping"), grouping)?,
            },
            RawAnswer::Territory { side, day } => {
                let day = dated(self, *day);
                let Some(side_id) = self.s.side_index(side) else {
                    let hint = suggest(side, self.s.sides.iter().map(|x| x.id.as_str()));
                    self.problem(
                        &format!("{p}.side"),
                        format!("there is no side `{side}`"),
                        hint,
                    );
                    return None;
                };
                Answer::Territory { side: side_id, day }
            }
            RawAnswer::Taken { place } => Answer::Taken {
                place: self.place(&format!("{p}.place"), place)?,
            },
            RawAnswer::LeftBehind { grouping } => Answer::LeftBehind {
                grouping: self.grouping(&format!("{p}.grouping"), grouping)?,
            },
        })
    }

    fn decision(&mut self, d: &RawDecision) -> Decision {
        let day = self.day("decision.day", d.day);
        self.text("decision.ask", "decision's question", &d.ask, 600);
        let grouping = self.grouping("decision.grouping", &d.grouping);
        if let Some(g) = grouping
            && self.s.grouping(g).fallback.is_empty()
        {
            self.problem(
                "decision.grouping",
                format!(
                    "grouping `{}` has no fallback line to be ordered back to",
                    d.grouping
                ),
                "choose a grouping with a `fallback` line in the scenario",
            );
        }
        if d.choices.len() < 2 {
            self.problem(
                "decision.choices",
                format!(
                    "{} choice(s): a decision needs two or more",
                    d.choices.len()
                ),
                "for example: pull back now, leave it to the commander, hold",
            );
        }
        let runs = d.runs.unwrap_or(20);
        if runs == 0 || runs > MAX_RUNS {
            self.problem(
                "decision.runs",
                format!("{runs} games per choice"),
                format!("1 to {MAX_RUNS}; 20 answers a class in seconds"),
            );
        }
        let start = self.s.start_date;
        let last = self.s.turns;
        let choices = d
            .choices
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let p = format!("decision.choices[{i}]");
                self.text(&format!("{p}.label"), "choice's label", &c.label, 160);
                let directive = match c.directive {
                    None => None,
                    Some(RawDirective::Hold) => Some(Directive::Hold),
                    Some(RawDirective::WithdrawOn(date)) => {
                        let turn = (date - start).num_days() + 1;
                        if turn < 1 || turn > i64::from(last) {
                            self.problem(
                                &format!("{p}.directive"),
                                format!("{date} is outside the scenario"),
                                format!(
                                    "a date from {start} to {}",
                                    start + chrono::Days::new(u64::from(last - 1))
                                ),
                            );
                            None
                        } else {
                            Some(Directive::WithdrawOn(turn as u32))
                        }
                    }
                };
                Choice {
                    label: c.label.clone(),
                    directive,
                }
            })
            .collect();
        let camera = d.camera.as_ref().map(|c| self.camera("decision.camera", c));
        Decision {
            day,
            camera,
            grouping: grouping.unwrap_or(crate::scenario::ids::GroupingId(0)),
            ask: d.ask.clone(),
            choices,
            runs: runs.clamp(1, MAX_RUNS),
        }
    }
}
