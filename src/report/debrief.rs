//! The debrief after a class played (`railhead debrief SAVES...`): each student's game,
//! from their save, beside history, beside the lesson's game if there is one, and beside
//! the AI's games measured on the same day as the student's last, with the numbers.

use std::path::PathBuf;

use maud::{Markup, html};

use super::record::GameRecord;
use super::stats::Spread;
use crate::rules::state::Controller;
use crate::scenario::Scenario;
use crate::scenario::ids::{GroupingId, SideId};
use crate::scenario::model::Fact;

/// A student's game: a label (the save's file name) and its record.
#[derive(Debug, Clone)]
pub struct Student {
    /// The save's file name.
    pub label: String,
    /// Its file.
    pub path: PathBuf,
    /// The game, to its last whole day.
    pub game: GameRecord,
}

impl Student {
    /// The last whole day played (0: none).
    pub fn last_day(&self) -> u32 {
        self.game.days.last().map_or(0, |d| d.turn)
    }

    /// The sides the people at the screen commanded, in words.
    pub fn played(&self) -> String {
        let s = &self.game.scenario;
        let sides: Vec<&str> = self
            .game
            .controllers
            .iter()
            .enumerate()
            .filter(|(_, c)| **c == Controller::Human)
            .map(|(i, _)| s.sides[i].name.as_str())
            .collect();
        match sides.as_slice() {
            [] => "nobody (the AI on both sides)".into(),
            [one] => (*one).to_string(),
            many => many.join(" and "),
        }
    }
}

/// One row of the debrief: what is measured, history's figure, the lesson's game, and each
/// student's game beside the AI's games on that student's last day.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What is measured.
    pub what: String,
    /// History's figure, in words ("" when it has none).
    pub history: String,
    /// The lesson's game, if there is one.
    pub lesson: Option<String>,
    /// Each student's figure, and the AI's games by the same day.
    pub students: Vec<(String, String)>,
}

fn n(x: f64) -> String {
    crate::numbers::group_thousands(x.round().clamp(0.0, f64::from(u32::MAX)) as u32)
}

fn spread_text(values: &[f64], unit: &str) -> String {
    match Spread::of(values) {
        Some(x) if x.p5 == x.p95 => format!("{}{unit}", n(x.median)),
        Some(x) => format!("{}{unit} ({}-{})", n(x.median), n(x.p5), n(x.p95)),
        None => "-".into(),
    }
}

/// The day a grouping was first ordered back in a game, by day `by`.
fn ordered_by(r: &GameRecord, g: GroupingId, by: u32) -> Option<u32> {
    r.withdrawals[g.0].map(|(d, _)| d).filter(|d| *d <= by)
}

/// History's date of a grouping's order, as a day and date.
fn history_order(s: &Scenario, g: GroupingId) -> String {
    super::facts::facts(s)
        .find(|(_, f)| matches!(f, Fact::WithdrawalOrdered { grouping, .. } if *grouping == g))
        .map_or(String::new(), |(h, _)| {
            let day = (h.date - s.start_date).num_days() + 1;
            format!("day {day} ({}) [{}]", h.date.format("%-d %B"), h.rating)
        })
}

/// A side's figure on a day.
type Pick = fn(&super::record::SideDay) -> f64;

/// The rows of a debrief.
pub fn rows(students: &[Student], lesson: Option<&GameRecord>, batch: &[GameRecord]) -> Vec<Row> {
    let Some(first) = students.first() else {
        return Vec::new();
    };
    let s = first.game.scenario.clone();
    let mut out = Vec::new();
    out.push(Row {
        what: "side played, days played".into(),
        history: String::new(),
        lesson: lesson.map(|r| format!("the AI on both sides, {} days", r.days.len())),
        students: students
            .iter()
            .map(|st| {
                (
                    format!("{}, {} of {} days", st.played(), st.last_day(), s.turns),
                    String::new(),
                )
            })
            .collect(),
    });
    // The groupings ordered back in any game, or whose order history dates.
    let groupings: Vec<GroupingId> = s
        .grouping_ids()
        .filter(|g| {
            students.iter().any(|st| st.game.withdrawals[g.0].is_some())
                || lesson.is_some_and(|r| r.withdrawals[g.0].is_some())
                || batch.iter().any(|r| r.withdrawals[g.0].is_some())
                || !history_order(&s, *g).is_empty()
        })
        .collect();
    for g in groupings {
        out.push(Row {
            what: format!("{}: day ordered back", s.grouping(g).name),
            history: history_order(&s, g),
            lesson: lesson
                .map(|r| ordered_by(r, g, s.turns).map_or("never".into(), |d| format!("day {d}"))),
            students: students
                .iter()
                .map(|st| {
                    let by = st.last_day();
                    let own = ordered_by(&st.game, g, by)
                        .map_or(format!("not by day {by}"), |d| format!("day {d}"));
                    let days: Vec<f64> = batch
                        .iter()
                        .filter_map(|r| ordered_by(r, g, by).map(f64::from))
                        .collect();
                    let ai = if days.is_empty() {
                        format!("none of {} by day {by}", batch.len())
                    } else {
                        format!(
                            "day {} in {} of {}",
                            spread_text(&days, ""),
                            days.len(),
                            batch.len()
                        )
                    };
                    (own, ai)
                })
                .collect(),
        });
    }
    let at = |r: &GameRecord, day: u32| r.days.iter().find(|d| d.turn == day).cloned();
    let measures: [(&str, Pick, &str); 4] = [
        ("territory taken by {side}", |x| x.territory_km2, " km²"),
        ("units {side} lost", |x| f64::from(x.units_lost), ""),
        ("equipment {side} lost", |x| f64::from(x.equipment_lost), ""),
        (
            "enemy equipment captured by {side}",
            |x| f64::from(x.captured),
            "",
        ),
    ];
    for (what, pick, unit) in measures {
        for side in s.side_ids() {
            let name = &s.side(side).name;
            out.push(Row {
                what: format!(
                    "{}, by the student's last day",
                    what.replace("{side}", name)
                ),
                history: history_of(&s, what, side),
                lesson: lesson.and_then(|r| {
                    r.days
                        .last()
                        .map(|d| format!("{}{unit} by day {}", n(pick(&d.sides[side.0])), d.turn))
                }),
                students: students
                    .iter()
                    .map(|st| {
                        let by = st.last_day();
                        let own = at(&st.game, by).map_or("-".into(), |d| {
                            format!("{}{unit}", n(pick(&d.sides[side.0])))
                        });
                        let ai: Vec<f64> = batch
                            .iter()
                            .filter_map(|r| at(r, by).map(|d| pick(&d.sides[side.0])))
                            .collect();
                        (own, spread_text(&ai, unit))
                    })
                    .collect(),
            });
        }
    }
    out
}

/// History's figure for a measure of a side, where the scenario gives one.
fn history_of(s: &Scenario, what: &str, side: SideId) -> String {
    if what.starts_with("territory") {
        return s
            .territory_history
            .iter()
            .filter(|t| t.side == side && t.since.is_none())
            .map(|t| format!("{} km² on {}", n(t.km2), t.date.format("%-d %B")))
            .collect::<Vec<_>>()
            .join("; ");
    }
    if what.starts_with("enemy equipment captured") {
        return super::facts::facts(s)
            .find_map(|(h, f)| match f {
                Fact::Captured { by, items, .. } if *by == side => Some(match items {
                    Some((a, b)) => format!(
                        "{}-{} by {}",
                        n(f64::from(*a)),
                        n(f64::from(*b)),
                        h.date.format("%-d %B")
                    ),
                    None => String::new(),
                }),
                _ => None,
            })
            .unwrap_or_default();
    }
    String::new()
}

/// A sentence for each student: their game beside the AI's and history, on what the
/// lesson turns on (each grouping whose order history dates).
pub fn sentences(students: &[Student], batch: &[GameRecord]) -> Vec<String> {
    students
        .iter()
        .map(|st| {
            let s = &st.game.scenario;
            let by = st.last_day();
            let mut parts = vec![format!(
                "{} played {} for {} of {} days.",
                st.label,
                st.played(),
                by,
                s.turns
            )];
            for g in s
                .grouping_ids()
                .filter(|g| !history_order(s, *g).is_empty())
            {
                let name = &s.grouping(g).name;
                let ai: Vec<f64> = batch
                    .iter()
                    .filter_map(|r| ordered_by(r, g, by).map(f64::from))
                    .collect();
                let ai = match Spread::of(&ai) {
                    Some(x) => format!(
                        "the AI's games: day {} in {} of {}",
                        n(x.median),
                        ai.len(),
                        batch.len()
                    ),
                    None => format!("the AI's games: not by day {by} in any of {}", batch.len()),
                };
                parts.push(match ordered_by(&st.game, g, by) {
                    Some(d) => format!(
                        "The {name} was ordered back on day {d} (history: {}; {ai}).",
                        history_order(s, g)
                    ),
                    None => format!(
                        "The {name} was not ordered back by day {by} (history: {}; {ai}).",
                        history_order(s, g)
                    ),
                });
            }
            parts.join(" ")
        })
        .collect()
}

/// The debrief page.
pub fn page(
    s: &Scenario,
    students: &[Student],
    lesson: Option<&GameRecord>,
    batch: &[GameRecord],
    first_seed: u64,
) -> String {
    let rows = rows(students, lesson, batch);
    let body: Markup = html! {
        h1 { "Debrief: " (s.name) }
        p.lead {
            (students.len()) " games played by the class, each beside history and beside "
            (batch.len()) " games the AI played on both sides (seeds " (first_seed) " to "
            (first_seed + batch.len() as u64 - 1) "), measured on the same day as the student's last."
        }
        ul { @for line in sentences(students, batch) { li { (line) } } }
        table {
            tr {
                th { "what" } th { "history" }
                @if lesson.is_some() { th { "the lesson's game" } }
                @for st in students { th { (st.label) } th { "the AI's games, same day" } }
            }
            @for r in &rows {
                tr {
                    td { (r.what) }
                    td { (r.history) }
                    @if let Some(l) = &r.lesson { td { (l) } } @else if lesson.is_some() { td {} }
                    @for (own, ai) in &r.students { td { b { (own) } } td { (ai) } }
                }
            }
        }
        p.note { "The AI's figures are medians with the 5th to 95th percentile in brackets. A student's game differs from the AI's by the student's orders and by the dice." }
    };
    super::html::page(&format!("Debrief: {}", s.name), &body)
}
