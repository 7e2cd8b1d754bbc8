//! Batches: many seeded games of one scenario, run in parallel, and the distribution of
//! their outcomes.

use std::sync::Arc;

use rayon::prelude::*;

use super::facts::{Measure, measure_all};
use super::record::{GameRecord, SideDay, csv_text, play_recorded};
use crate::rules::state::Controller;
use crate::scenario::Scenario;

/// What one game of a batch came to.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Seed of the dice.
    pub seed: u64,
    /// For each grouping, the day a withdrawal was ordered, if it was.
    pub withdrawal_day: Vec<Option<u32>>,
    /// For each side, territory taken on each day, km² (index 0 is day 1).
    pub territory: Vec<Vec<f64>>,
    /// For each side, units lost by the end.
    pub units_lost: Vec<u32>,
    /// For each side, items of equipment lost by the end.
    pub equipment_lost: Vec<u32>,
    /// For each side, items of the enemy's equipment captured by the end.
    pub captured: Vec<u32>,
    /// Each fact of the scenario's history as this game measured it
    /// ([`super::facts::facts`] order).
    pub facts: Vec<Measure>,
}

impl Outcome {
    /// The outcome of a recorded game.
    pub fn of(r: &GameRecord) -> Self {
        let sides = r.scenario.sides.len();
        let last = r.days.last();
        let at_end = |f: &dyn Fn(&SideDay) -> u32| -> Vec<u32> {
            (0..sides)
                .map(|i| last.map_or(0, |d| f(&d.sides[i])))
                .collect()
        };
        Outcome {
            seed: r.seed,
            withdrawal_day: r.withdrawals.iter().map(|w| w.map(|(t, _)| t)).collect(),
            territory: (0..sides)
                .map(|i| r.days.iter().map(|d| d.sides[i].territory_km2).collect())
                .collect(),
            units_lost: at_end(&|d| d.units_lost),
            equipment_lost: at_end(&|d| d.equipment_lost),
            captured: at_end(&|d| d.captured),
            facts: measure_all(r),
        }
    }
}

/// Plays the games of seeds `first .. first + runs` on `jobs` threads (all cores when 0),
/// calling `done` after each; the outcomes come back in seed order, the same whatever the
/// number of jobs.
pub fn run_batch(
    scenario: Arc<Scenario>,
    controllers: Vec<Controller>,
    first: u64,
    runs: u64,
    jobs: usize,
    done: &(dyn Fn() + Sync),
) -> Result<Vec<Outcome>, String> {
    Ok(pool(jobs)?.install(|| {
        (first..first.saturating_add(runs))
            .into_par_iter()
            .map(|seed| {
                let r = play_recorded(scenario.clone(), seed, controllers.clone(), None);
                done();
                Outcome::of(&r)
            })
            .collect()
    }))
}

/// Plays the games of seeds `first .. first + runs` on `jobs` threads (all cores when 0)
/// and keeps each game's whole record, in seed order.
pub fn run_records(
    scenario: &Arc<Scenario>,
    controllers: &[Controller],
    first: u64,
    runs: u64,
    jobs: usize,
) -> Result<Vec<GameRecord>, String> {
    Ok(pool(jobs)?.install(|| {
        (first..first.saturating_add(runs))
            .into_par_iter()
            .map(|seed| play_recorded(scenario.clone(), seed, controllers.to_vec(), None))
            .collect()
    }))
}

/// A pool of `jobs` worker threads (all cores when 0) for games played in parallel.
pub fn pool(jobs: usize) -> Result<rayon::ThreadPool, String> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| format!("cannot start {jobs} worker threads: {e}"))
}

/// Mean, median and the 5th and 95th percentiles of some numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// How many.
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// Median.
    pub median: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// The value below which a share `q` of sorted numbers lie (nearest rank).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

impl Spread {
    /// The spread of `values`; `None` when there are none.
    pub fn of(values: &[f64]) -> Option<Self> {
        if values.is_empty() {
            return None;
        }
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let median = if n % 2 == 1 {
            v[n / 2]
        } else {
            f64::midpoint(v[n / 2 - 1], v[n / 2])
        };
        Some(Spread {
            n,
            mean: v.iter().sum::<f64>() / n as f64,
            median,
            p5: percentile(&v, 0.05),
            p95: percentile(&v, 0.95),
        })
    }
}

/// The batch's CSV: one row per game.
pub fn batch_csv(s: &Scenario, outcomes: &[Outcome]) -> String {
    let mut header = vec!["seed".to_string()];
    for g in &s.groupings {
        header.push(format!("{} withdrawal_day", g.name));
    }
    for side in &s.sides {
        for what in [
            "territory_final_km2",
            "units_lost",
            "equipment_lost",
            "equipment_captured",
        ] {
            header.push(format!("{} {what}", side.id));
        }
    }
    let rows = outcomes.iter().map(|o| {
        let mut row = vec![o.seed.to_string()];
        for w in &o.withdrawal_day {
            row.push(w.map_or_else(|| "none".to_string(), |d| d.to_string()));
        }
        for i in 0..s.sides.len() {
            row.extend([
                format!("{:.0}", o.territory[i].last().copied().unwrap_or(0.0)),
                o.units_lost[i].to_string(),
                o.equipment_lost[i].to_string(),
                o.captured[i].to_string(),
            ]);
        }
        row
    });
    csv_text(std::iter::once(header).chain(rows))
}

fn spread_line(label: &str, values: &[f64], unit: &str) -> String {
    match Spread::of(values) {
        Some(sp) => format!(
            "  {label}: mean {:.1}{unit}, median {:.1}{unit}, 5-95% {:.1}-{:.1}{unit}",
            sp.mean, sp.median, sp.p5, sp.p95
        ),
        None => format!("  {label}: no values"),
    }
}

/// The distribution of the key outcomes, in words.
pub fn describe(s: &Scenario, outcomes: &[Outcome], days: &[u32]) -> Vec<String> {
    let n = outcomes.len();
    let mut lines = vec![format!("{n} games of {}", s.name)];
    lines.push("Withdrawal ordered (day of the order, in the games where it was):".into());
    let mut never = Vec::new();
    for (g, grouping) in s.groupings.iter().enumerate() {
        let ordered: Vec<f64> = outcomes
            .iter()
            .filter_map(|o| o.withdrawal_day[g].map(f64::from))
            .collect();
        if ordered.is_empty() {
            never.push(grouping.name.as_str());
            continue;
        }
        lines.push(format!(
            "{} (in {} of {n} games)",
            spread_line(&grouping.name, &ordered, ""),
            ordered.len()
        ));
    }
    if !never.is_empty() {
        lines.push(format!("  never: {}", never.join(", ")));
    }
    for (i, side) in s.sides.iter().enumerate() {
        lines.push(format!("{}:", side.name));
        for day in days {
            let v: Vec<f64> = outcomes
                .iter()
                .filter_map(|o| o.territory[i].get(*day as usize - 1).copied())
                .collect();
            lines.push(spread_line(&format!("territory on day {day}"), &v, " km²"));
        }
        let f = |x: &dyn Fn(&Outcome) -> u32| -> Vec<f64> {
            outcomes.iter().map(|o| f64::from(x(o))).collect()
        };
        lines.push(spread_line("units lost", &f(&|o| o.units_lost[i]), ""));
        lines.push(spread_line(
            "equipment lost",
            &f(&|o| o.equipment_lost[i]),
            "",
        ));
        lines.push(spread_line(
            "equipment captured",
            &f(&|o| o.captured[i]),
            "",
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_gives_mean_median_and_percentiles() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        let sp = Spread::of(&v).unwrap();
        assert_eq!(sp.n, 100);
        assert_eq!(sp.mean, 50.5);
        assert_eq!(sp.median, 50.5);
        assert_eq!(sp.p5, 5.0);
        assert_eq!(sp.p95, 95.0);
        let one = Spread::of(&[7.0]).unwrap();
        assert_eq!((one.median, one.p5, one.p95), (7.0, 7.0, 7.0));
        assert!(Spread::of(&[]).is_none());
    }
}
