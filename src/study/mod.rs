//! Studies: a question asked of many games. A study file ([`mod@file`]) names a base scenario,
//! cases (variants of it), seeds and what to record; `railhead study` plays every (case,
//! seed) game and writes `results.csv` (a row per game) and `study.html` ([`html`]).
//!
//! The games of a study are in a fixed order: case by case, seed by seed (game `k` is case
//! `k / seeds`, seed `first + k % seeds`). A shard `I/N` plays the games `k` with
//! `k % N == I - 1`: the parts are disjoint, cover the study, and do not depend on timing,
//! so shards run anywhere (a Slurm job array, GNU parallel, several machines) and merged
//! ([`shard`]) give the same `results.csv`, byte for byte, as one machine.

pub mod file;
pub mod html;
pub mod shard;
pub mod slurm;

use std::fmt::Write;
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::report::facts::{self, Measure};
use crate::report::record::GameRecord;
use crate::report::stats::Spread;
use crate::rules::state::Controller;
use crate::scenario::Scenario;

/// The version of the shard format and of the study's hash.
pub const FORMAT: u32 = 1;

/// What kind of value a column holds, and so how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// A game day (`none`/`never` when it did not happen).
    Day,
    /// `yes` or `no`.
    YesNo,
    /// Square kilometres.
    Km2,
    /// Tonnes.
    Tonnes,
    /// A count.
    Count,
    /// A share, 0 to 1.
    Share,
}

/// What a column measures, by names of the study's first case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Measured {
    /// A grouping's first withdrawal order.
    Withdrawal(String),
    /// A side's territory on a day.
    Territory(String, u32),
    /// Enemy equipment a side captured.
    Captured(String),
    /// Units a side lost.
    UnitsLost(String),
    /// Equipment a side lost.
    EquipmentLost(String),
    /// A depot's stock on a day.
    Stock(String, u32),
    /// A fact of the history, by its description.
    Fact(String),
}

/// One column of `results.csv`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// Its header.
    pub name: String,
    /// Its kind of value.
    pub kind: Kind,
    /// What it measures.
    pub measured: Measured,
    /// The history's figure or band for it, in words, when it has one.
    pub history: Option<String>,
    /// What it measures in words, for the page and the terminal ("territory taken by
    /// Ukraine by day 10 (15 September)"); its header stays short for the CSV.
    #[serde(default)]
    pub words: String,
}

impl Column {
    fn new(name: String, kind: Kind, measured: Measured) -> Self {
        Column {
            name,
            kind,
            measured,
            history: None,
            words: String::new(),
        }
    }

    /// What it measures in words, else its header.
    pub fn title(&self) -> &str {
        if self.words.is_empty() {
            &self.name
        } else {
            &self.words
        }
    }
}

/// Where a column's value is found in one case's games (indices into its scenario).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Where {
    /// A grouping.
    Withdrawal(usize),
    /// A side, a day.
    Territory(usize, u32),
    /// A side.
    Captured(usize),
    /// A side.
    UnitsLost(usize),
    /// A side.
    EquipmentLost(usize),
    /// A depot, a day.
    Stock(usize, u32),
    /// A fact, in [`facts::facts`] order.
    Fact(usize),
}

/// A territory figure of the base's history, for the report's curves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Game day of its date.
    pub day: i64,
    /// The side, by index.
    pub side: usize,
    /// km².
    pub km2: f64,
    /// The band, if the scenario gives one.
    pub band: Option<(f64, f64)>,
}

/// Everything about a study that its results need to be read: hashed into the study's
/// identity, carried by every shard, so that a merge needs no file but the shards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// Title.
    pub name: String,
    /// What it asks.
    pub description: String,
    /// The cases' labels.
    pub cases: Vec<String>,
    /// Each case's scenario, by content hash.
    pub case_scenarios: Vec<String>,
    /// Each case's commanders, side by side.
    pub case_commanders: Vec<Vec<String>>,
    /// The first seed.
    pub first_seed: u64,
    /// Seeds per case.
    pub seeds: u64,
    /// What each game records.
    pub columns: Vec<Column>,
    /// The sides' names (of the first case).
    pub sides: Vec<String>,
    /// The first day's date.
    pub start_date: NaiveDate,
    /// The longest case, days.
    pub turns: u32,
    /// The history's territory figures.
    pub territory_history: Vec<Figure>,
}

impl Meta {
    /// Games in the study.
    pub fn games(&self) -> u64 {
        self.cases.len() as u64 * self.seeds
    }

    /// The case and seed of game `k`.
    pub fn game(&self, k: u64) -> (usize, u64) {
        ((k / self.seeds) as usize, self.first_seed + k % self.seeds)
    }

    /// The study's identity: a hash of everything that decides its results but the
    /// program's version (which shards carry beside it).
    pub fn hash(&self) -> String {
        let text = serde_json::to_string(&(FORMAT, self)).unwrap_or_default();
        hex(&sha2::Sha256::digest(text.as_bytes())[..16])
    }
}

/// Bytes in hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A study ready to play.
#[derive(Debug, Clone)]
pub struct Study {
    /// What it records and how it is named.
    pub meta: Meta,
    /// Each case's scenario.
    pub scenarios: Vec<Arc<Scenario>>,
    /// Each case's commanders.
    pub controllers: Vec<Vec<Controller>>,
    /// For each case, where each column is found.
    pub plans: Vec<Vec<Where>>,
}

/// One value a game recorded.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Value {
    /// A day, or none.
    Day(Option<u32>),
    /// Yes or no.
    Yes(bool),
    /// A number.
    Number(f64),
}

impl Value {
    /// As written in `results.csv` for a column of `kind`.
    pub fn text(self, kind: Kind) -> String {
        match self {
            Value::Day(Some(d)) => d.to_string(),
            Value::Day(None) => "none".into(),
            Value::Yes(b) => if b { "yes" } else { "no" }.into(),
            Value::Number(v) => match kind {
                Kind::Share => format!("{v:.3}"),
                Kind::Count => format!("{v:.0}"),
                _ => format!("{v:.1}"),
            },
        }
    }

    /// As a number for statistics: a day that never came is `None`, yes is 1.
    pub fn number(self) -> Option<f64> {
        match self {
            Value::Day(d) => d.map(f64::from),
            Value::Yes(b) => Some(f64::from(u8::from(b))),
            Value::Number(v) => Some(v),
        }
    }
}

/// What one game of a study came to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GameRow {
    /// Its place in the study's order.
    pub game: u64,
    /// The case, by index.
    pub case: usize,
    /// The seed.
    pub seed: u64,
    /// One value per column.
    pub values: Vec<Value>,
    /// Each side's territory at the end of each day, km² (for the report's curves).
    pub territory: Vec<Vec<f64>>,
}

/// The value of one column in a recorded game.
fn value_of(r: &GameRecord, w: Where, facts: &[Measure]) -> Value {
    // A game that ended early stands as it ended.
    let day = |d: u32| r.days.get(d as usize - 1).or(r.days.last());
    let last = r.days.last();
    match w {
        Where::Withdrawal(g) => Value::Day(r.withdrawals[g].map(|(t, _)| t)),
        Where::Territory(side, d) => {
            Value::Number(day(d).map_or(0.0, |x| x.sides[side].territory_km2))
        }
        Where::Captured(side) => {
            Value::Number(last.map_or(0.0, |x| f64::from(x.sides[side].captured)))
        }
        Where::UnitsLost(side) => {
            Value::Number(last.map_or(0.0, |x| f64::from(x.sides[side].units_lost)))
        }
        Where::EquipmentLost(side) => {
            Value::Number(last.map_or(0.0, |x| f64::from(x.sides[side].equipment_lost)))
        }
        Where::Stock(depot, d) => Value::Number(day(d).map_or(0.0, |x| x.depots[depot].stock)),
        Where::Fact(k) => match facts[k] {
            Measure::Day(d) => Value::Day(d),
            Measure::Holds(b) => Value::Yes(b),
            Measure::Amount(v) => Value::Number(v),
        },
    }
}

impl Study {
    /// Plays game `k` of the study.
    pub fn play(&self, k: u64) -> GameRow {
        let (case, seed) = self.meta.game(k);
        let r = crate::report::record::play_recorded(
            self.scenarios[case].clone(),
            seed,
            self.controllers[case].clone(),
            None,
        );
        let facts = if self.plans[case].iter().any(|w| matches!(w, Where::Fact(_))) {
            facts::measure_all(&r)
        } else {
            Vec::new()
        };
        GameRow {
            game: k,
            case,
            seed,
            values: self.plans[case]
                .iter()
                .map(|w| value_of(&r, *w, &facts))
                .collect(),
            territory: (0..r.scenario.sides.len())
                .map(|i| r.days.iter().map(|d| d.sides[i].territory_km2).collect())
                .collect(),
        }
    }

    /// Plays the games of shard `index` of `of` (1-based; `1/1` is the whole study) on
    /// `jobs` threads (all cores when 0), calling `done` after each; the rows come back
    /// in the study's order, the same whatever the number of jobs.
    pub fn run(
        &self,
        (index, of): (u64, u64),
        jobs: usize,
        done: &(dyn Fn() + Sync),
    ) -> Result<Vec<GameRow>, String> {
        let games: Vec<u64> = shard_games(self.meta.games(), index, of).collect();
        Ok(crate::report::stats::pool(jobs)?.install(|| {
            games
                .into_par_iter()
                .map(|k| {
                    let row = self.play(k);
                    done();
                    row
                })
                .collect()
        }))
    }
}

/// The games of shard `index` of `of` (1-based) in a study of `games` games.
pub fn shard_games(games: u64, index: u64, of: u64) -> impl Iterator<Item = u64> {
    (index.saturating_sub(1)..games).step_by(of.max(1) as usize)
}

/// `results.csv`: a header, then a row per game in the study's order.
pub fn results_csv(meta: &Meta, rows: &[GameRow]) -> String {
    let header = ["case".to_string(), "seed".to_string()]
        .into_iter()
        .chain(meta.columns.iter().map(|c| c.name.clone()))
        .collect::<Vec<_>>();
    let lines = rows.iter().map(|r| {
        [meta.cases[r.case].clone(), r.seed.to_string()]
            .into_iter()
            .chain(
                r.values
                    .iter()
                    .zip(&meta.columns)
                    .map(|(v, c)| v.text(c.kind)),
            )
            .collect::<Vec<_>>()
    });
    crate::report::record::csv_text(std::iter::once(header).chain(lines))
}

/// One column in one case over its games: the spread of the values it had, and how many
/// games had none (a withdrawal never ordered, a place never taken).
#[derive(Debug, Clone, PartialEq)]
pub struct CaseSpread {
    /// Of the values there were.
    pub spread: Option<Spread>,
    /// Games without a value.
    pub none: usize,
    /// Games.
    pub games: usize,
}

/// The spread of column `c` in case `case`.
pub fn case_spread(rows: &[GameRow], case: usize, c: usize) -> CaseSpread {
    let all: Vec<Option<f64>> = rows
        .iter()
        .filter(|r| r.case == case)
        .map(|r| r.values[c].number())
        .collect();
    let values: Vec<f64> = all.iter().flatten().copied().collect();
    CaseSpread {
        spread: Spread::of(&values),
        none: all.len() - values.len(),
        games: all.len(),
    }
}

/// A number of a column's kind, in words.
pub fn amount(kind: Kind, v: f64) -> String {
    match kind {
        Kind::Day if v.fract() == 0.0 => format!("day {v:.0}"),
        Kind::Day => format!("day {v:.1}"),
        Kind::YesNo => format!("{:.0}% yes", v * 100.0),
        Kind::Km2 => format!("{v:.0} km²"),
        Kind::Tonnes => format!("{v:.0} t"),
        Kind::Count => format!("{v:.0}"),
        Kind::Share => format!("{:.0}%", v * 100.0),
    }
}

/// A number of a column's kind without its unit (the ends of a range).
fn bare(kind: Kind, v: f64) -> String {
    match kind {
        Kind::Day if v.fract() != 0.0 => format!("{v:.1}"),
        Kind::Share => format!("{:.0}%", v * 100.0),
        _ => format!("{v:.0}"),
    }
}

/// A spread in words: median and 5-95% (the share of yes for yes/no), and the games
/// without a value.
pub fn spread_text(kind: Kind, s: &CaseSpread) -> String {
    let mut t = match (&s.spread, kind) {
        (None, Kind::Day) => return format!("never (in all {})", s.games),
        (None, _) => return "-".to_string(),
        (Some(sp), Kind::YesNo) => amount(kind, sp.mean),
        (Some(sp), _) if sp.p5 == sp.p95 => amount(kind, sp.median),
        (Some(sp), _) => format!(
            "{} ({}-{})",
            amount(kind, sp.median),
            bare(kind, sp.p5),
            bare(kind, sp.p95)
        ),
    };
    if s.none > 0 {
        let _ = write!(t, ", never in {} of {}", s.none, s.games);
    }
    t
}

/// The terminal's summary: per column, each case's median and 5-95%.
pub fn summary(meta: &Meta, rows: &[GameRow]) -> Vec<String> {
    let mut lines = vec![format!(
        "{}: {} cases x {} seeds (from {}) = {} games",
        meta.name,
        meta.cases.len(),
        meta.seeds,
        meta.first_seed,
        rows.len()
    )];
    let width = meta
        .cases
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0);
    for (c, col) in meta.columns.iter().enumerate() {
        let history = col
            .history
            .as_ref()
            .filter(|h| !h.is_empty())
            .map_or(String::new(), |h| format!(" [history: {h}]"));
        lines.push(format!("{}{history}", col.title()));
        for (k, label) in meta.cases.iter().enumerate() {
            lines.push(format!(
                "  {label:width$}  {}",
                spread_text(col.kind, &case_spread(rows, k, c))
            ));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_disjoint_and_cover_the_study() {
        for games in [1u64, 2, 7, 15, 100] {
            for of in 1..=games.min(12) {
                let mut all: Vec<u64> = (1..=of).flat_map(|i| shard_games(games, i, of)).collect();
                all.sort_unstable();
                assert_eq!(
                    all,
                    (0..games).collect::<Vec<_>>(),
                    "{games} games, {of} shards"
                );
                // Balanced: no shard has more than one game more than another.
                let sizes: Vec<usize> = (1..=of)
                    .map(|i| shard_games(games, i, of).count())
                    .collect();
                assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1);
            }
        }
    }

    #[test]
    fn values_are_written_by_their_kind() {
        assert_eq!(Value::Day(Some(5)).text(Kind::Day), "5");
        assert_eq!(Value::Day(None).text(Kind::Day), "none");
        assert_eq!(Value::Yes(true).text(Kind::YesNo), "yes");
        assert_eq!(Value::Number(0.456_78).text(Kind::Share), "0.457");
        assert_eq!(Value::Number(12.0).text(Kind::Count), "12");
        assert_eq!(Value::Number(1234.56).text(Kind::Km2), "1234.6");
        let s = CaseSpread {
            spread: Spread::of(&[3.0, 4.0, 5.0, 5.0, 6.0]),
            none: 2,
            games: 7,
        };
        assert_eq!(spread_text(Kind::Day, &s), "day 5 (3-6), never in 2 of 7");
        let never = CaseSpread {
            spread: None,
            none: 4,
            games: 4,
        };
        assert_eq!(spread_text(Kind::Day, &never), "never (in all 4)");
    }
}
