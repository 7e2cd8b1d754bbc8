//! Calibration: a batch of games measured against the scenario's own dated facts
//! (`history` entries' `facts`, `territory_history` figures), each beside its band.
//!
//! Each game yields one [`Measure`] per fact ([`super::facts::measure`]); over the batch, a fact's
//! median and 5th-95th percentile are set beside its band, and the fact is inside its
//! band when the median game is. A fact without a band is shown, not judged.

use serde::Serialize;

use super::facts::{Measure, facts};
use super::stats::{Outcome, Spread};
use crate::scenario::Scenario;
use crate::scenario::model::Fact;

/// Whether a fact came out inside its band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The median game is inside the band.
    Inside,
    /// The median game is outside it.
    Outside,
    /// The fact has no band: shown, not judged.
    Shown,
    /// The games did not reach the fact's date.
    NotPlayed,
}

/// One line of the calibration table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// The historical date.
    pub date: chrono::NaiveDate,
    /// The game day of that date (day 1 is the scenario's first).
    pub day: i64,
    /// What is measured, in words.
    pub fact: String,
    /// The band, in words ("" when none).
    pub band: String,
    /// The median game, in words.
    pub median: String,
    /// The 5th and 95th percentiles, in words.
    pub p5_p95: String,
    /// The share of games inside the band, if there is one.
    pub share_inside: Option<f64>,
    /// The verdict.
    pub verdict: Verdict,
    /// The source's rating (or the territory figure's source).
    pub rating: String,
}

/// The game day of a date.
fn day_of(s: &Scenario, date: chrono::NaiveDate) -> i64 {
    (date - s.start_date).num_days() + 1
}

fn day_number(v: f64) -> String {
    if v.is_infinite() {
        "never".into()
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

const DAYS: Shown = Shown {
    median: |v| {
        if v.is_infinite() {
            "never".into()
        } else if v == 0.0 {
            "at start".into()
        } else {
            format!("day {}", day_number(v))
        }
    },
    range: |a, b| format!("{}-{}", day_number(a), day_number(b)),
};

const YES_NO: Shown = Shown {
    median: |v| if v >= 0.5 { "yes".into() } else { "no".into() },
    range: |_, _| String::new(),
};

const SHARE: Shown = Shown {
    median: |v| format!("{:.0}%", v * 100.0),
    range: |a, b| format!("{:.0}-{:.0}%", a * 100.0, b * 100.0),
};

const COUNT: Shown = Shown {
    median: |v| format!("{v:.0}"),
    range: |a, b| format!("{a:.0}-{b:.0}"),
};

const KM2: Shown = Shown {
    median: |v| format!("{v:.0} km²"),
    range: |a, b| format!("{a:.0}-{b:.0} km²"),
};

/// How a kind of measure is written: the median, and the two ends of the 5th-95th range.
struct Shown {
    median: fn(f64) -> String,
    range: fn(f64, f64) -> String,
}

/// A row from the values of the games and a test of one value against the band.
fn row_of(
    values: &[f64],
    band: Option<(f64, f64)>,
    show: &Shown,
) -> (String, String, Option<f64>, Verdict) {
    let Some(sp) = Spread::of(values) else {
        return (String::new(), String::new(), None, Verdict::NotPlayed);
    };
    let inside = |v: f64| band.is_some_and(|(lo, hi)| v >= lo && v <= hi);
    let share =
        band.map(|_| values.iter().filter(|v| inside(**v)).count() as f64 / values.len() as f64);
    let verdict = match band {
        None => Verdict::Shown,
        Some(_) if inside(sp.median) => Verdict::Inside,
        Some(_) => Verdict::Outside,
    };
    // `+ 0.0` makes a negative zero (an interpolation between zeros) print as "0".
    (
        (show.median)(sp.median + 0.0),
        (show.range)(sp.p5 + 0.0, sp.p95 + 0.0),
        share,
        verdict,
    )
}

/// Describes a fact in words.
pub fn describe(s: &Scenario, fact: &Fact) -> String {
    let place = |p| s.place_by_id(p).name.as_str();
    let side = |x| s.side(x).name.as_str();
    match *fact {
        Fact::Taken { place: p, by, .. } => format!("{} taken by {}", place(p), side(by)),
        Fact::Reached {
            place: p,
            by,
            within,
            ..
        } => format!(
            "{} within {within} {} of {}",
            side(by),
            if within == 1 { "hex" } else { "hexes" },
            place(p)
        ),
        Fact::NeverLost { place: p, side: x } => format!("{} never lost by {}", place(p), side(x)),
        Fact::HeldAtEnd { place: p, side: x } => {
            format!("{} held by {} at the end", place(p), side(x))
        }
        Fact::WithdrawalOrdered { grouping, .. } => {
            format!("{} ordered to withdraw", s.grouping(grouping).name)
        }
        Fact::Escapes { grouping, .. } => {
            format!("share of {} not destroyed", s.grouping(grouping).name)
        }
        Fact::Captured { by, from: None, .. } => {
            format!("enemy equipment captured by {}", side(by))
        }
        Fact::Captured {
            by, from: Some(g), ..
        } => format!(
            "equipment of the {} captured by {}",
            s.grouping(g).name,
            side(by)
        ),
    }
}

/// The calibration table of a batch: every fact, then every territory figure.
pub fn table(s: &Scenario, outcomes: &[Outcome]) -> Vec<Row> {
    let mut rows = Vec::new();
    for (k, (entry, fact)) in facts(s).enumerate() {
        let measures: Vec<Measure> = outcomes
            .iter()
            .filter_map(|o| o.facts.get(k).copied())
            .collect();
        let day_band = |d: Option<(u32, u32)>| d.map(|(a, b)| (f64::from(a), f64::from(b)));
        let amounts = || -> Vec<f64> {
            measures
                .iter()
                .map(|m| match m {
                    Measure::Amount(v) => *v,
                    _ => 0.0,
                })
                .collect()
        };
        let (values, band, show, band_text): (Vec<f64>, Option<(f64, f64)>, &Shown, String) =
            match fact {
                Fact::Taken { days, .. }
                | Fact::Reached { days, .. }
                | Fact::WithdrawalOrdered { days, .. } => (
                    measures
                        .iter()
                        .map(|m| match m {
                            Measure::Day(Some(d)) => f64::from(*d),
                            _ => f64::INFINITY,
                        })
                        .collect(),
                    day_band(*days),
                    &DAYS,
                    days.map_or(String::new(), |(a, b)| {
                        if a == b {
                            format!("day {a}")
                        } else {
                            format!("days {a}-{b}")
                        }
                    }),
                ),
                Fact::NeverLost { .. } | Fact::HeldAtEnd { .. } => (
                    measures
                        .iter()
                        .map(|m| f64::from(u8::from(matches!(m, Measure::Holds(true)))))
                        .collect(),
                    Some((1.0, 1.0)),
                    &YES_NO,
                    "yes".into(),
                ),
                Fact::Escapes { share, .. } => (
                    amounts(),
                    *share,
                    &SHARE,
                    share.map_or(String::new(), |(a, b)| {
                        format!("{:.0}-{:.0}%", a * 100.0, b * 100.0)
                    }),
                ),
                Fact::Captured { items, .. } => (
                    amounts(),
                    items.map(|(a, b)| (f64::from(a), f64::from(b))),
                    &COUNT,
                    items.map_or(String::new(), |(a, b)| format!("{a}-{b}")),
                ),
            };
        let (median, p5_p95, share_inside, verdict) = row_of(&values, band, show);
        rows.push(Row {
            date: entry.date,
            day: day_of(s, entry.date),
            fact: describe(s, fact),
            band: band_text,
            median,
            p5_p95,
            share_inside,
            verdict,
            rating: entry.rating.clone(),
        });
    }
    for t in &s.territory_history {
        let day = day_of(s, t.date);
        // Over a period: the figure at its end less the figure at the end of `since`
        // (nothing before the first day).
        let from = t.since.map_or(0, |d| day_of(s, d));
        let at = |v: &Vec<f64>, d: i64| -> Option<f64> {
            if d < 1 {
                Some(0.0)
            } else {
                v.get(usize::try_from(d - 1).ok()?).copied()
            }
        };
        let values: Vec<f64> = if day >= 1 {
            outcomes
                .iter()
                .filter_map(|o| {
                    let v = o.territory.get(t.side.0)?;
                    Some(at(v, day)? - at(v, from)?)
                })
                .collect()
        } else {
            Vec::new()
        };
        let band_text = t
            .band
            .map_or(String::new(), |(a, b)| format!("{a:.0}-{b:.0} km²"));
        let (median, p5_p95, share_inside, verdict) = row_of(&values, t.band, &KM2);
        rows.push(Row {
            date: t.date,
            day,
            fact: match t.since {
                Some(since) => format!(
                    "territory gained by {} after {since} (history {:.0} km²)",
                    s.side(t.side).name,
                    t.km2
                ),
                None => format!(
                    "territory gained by {} (history {:.0} km²)",
                    s.side(t.side).name,
                    t.km2
                ),
            },
            band: band_text,
            median,
            p5_p95,
            share_inside,
            verdict,
            rating: t.source.clone(),
        });
    }
    rows
}

/// The table as text, one line per row, with a closing count of verdicts. For a what-if
/// (`counterfactual`), a fact outside its band is where it departs from history, and says so.
pub fn text(s: &Scenario, runs: usize, rows: &[Row], counterfactual: bool) -> Vec<String> {
    let mut lines = vec![format!(
        "{} - {runs} games, each fact beside its band (inside when the median game is)",
        s.name
    )];
    let w = rows
        .iter()
        .map(|r| r.fact.chars().count())
        .max()
        .unwrap_or(0);
    lines.push(format!(
        "{:<10} {:>4}  {:<w$}  {:<14} {:<10} {:<15} {:>7}  verdict",
        "date", "day", "fact", "band", "median", "5th-95th", "inside"
    ));
    for r in rows {
        let verdict = match r.verdict {
            Verdict::Inside => "inside",
            Verdict::Outside if counterfactual => "departs",
            Verdict::Outside => "OUTSIDE",
            Verdict::Shown => "-",
            Verdict::NotPlayed => "not played",
        };
        lines.push(format!(
            "{:<10} {:>4}  {:<w$}  {:<14} {:<10} {:<15} {:>7}  {verdict}",
            r.date.format("%Y-%m-%d").to_string(),
            r.day,
            r.fact,
            r.band,
            r.median,
            r.p5_p95,
            r.share_inside
                .map_or(String::new(), |v| format!("{:.0}%", v * 100.0)),
        ));
    }
    let (judged, outside) = counts(rows);
    lines.push(format!(
        "{} of {judged} facts with a band inside it; {} shown without one.",
        judged - outside,
        rows.iter().filter(|r| r.verdict == Verdict::Shown).count()
    ));
    if counterfactual {
        lines.push(if outside == 0 {
            "A what-if: it departs from none of history's banded facts.".to_string()
        } else {
            format!(
                "A what-if: it departs from history in {}: {}. That is its answer, not an error.",
                crate::numbers::count(outside as u64, "fact", "facts"),
                rows.iter()
                    .filter(|r| r.verdict == Verdict::Outside)
                    .map(|r| r.fact.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        });
    }
    lines
}

/// Facts with a band that the games reached, and how many of them are outside it.
pub fn counts(rows: &[Row]) -> (usize, usize) {
    let judged = rows
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Inside | Verdict::Outside))
        .count();
    let outside = rows
        .iter()
        .filter(|r| r.verdict == Verdict::Outside)
        .count();
    (judged, outside)
}
