//! A comparison's answer: a sentence computed over all the games of each scenario, a
//! side-by-side table of medians and 5-95% ranges (withdrawal days, territory on history's
//! dates, losses, captures), and a note when the game shown runs against the medians.

use maud::{Markup, html};

use super::record::GameRecord;
use super::stats::{Outcome, Spread};
use crate::numbers::group_thousands;
use crate::scenario::Scenario;
use crate::scenario::ids::GroupingId;

/// A grouping of the base and its index in the variant (matched by name).
fn matched(bs: &Scenario, vs: &Scenario, g: GroupingId) -> Option<usize> {
    let name = &bs.grouping(g).name;
    vs.groupings.iter().position(|x| &x.name == name)
}

fn days_of(o: &[Outcome], k: Option<usize>) -> Vec<f64> {
    o.iter()
        .filter_map(|x| {
            k.and_then(|k| x.withdrawal_day.get(k).copied().flatten())
                .map(f64::from)
        })
        .collect()
}

fn day_median(days: &[f64]) -> String {
    Spread::of(days).map_or_else(String::new, |s| {
        format!(" (median day {})", number(s.median))
    })
}

/// A median as the table shows it: whole numbers plain, halves with one decimal.
pub fn number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        group_thousands(v.max(0.0).round() as u32)
    } else {
        format!("{v:.1}")
    }
}

/// The sentence that answers the comparison's question, over all the games of each: how
/// often, and when, the grouping the base's history follows was ordered back.
pub fn headline(base: &GameRecord, vs: &Scenario, b: &[Outcome], v: &[Outcome]) -> String {
    let bs = &base.scenario;
    let Some(g) = super::account::subject(base) else {
        return format!(
            "Over {} games of each, the table below sets the two side by side.",
            b.len()
        );
    };
    let name = &bs.grouping(g).name;
    let bd = days_of(b, Some(g.0));
    let vd = days_of(v, matched(bs, vs, g));
    let change = match (bd.len(), vd.len()) {
        (x, y) if x == y => {
            let (bm, vm) = (
                Spread::of(&bd).map(|s| s.median),
                Spread::of(&vd).map(|s| s.median),
            );
            match (bm, vm) {
                (Some(bm), Some(vm)) if vm > bm => " later".to_string(),
                (Some(bm), Some(vm)) if vm < bm => " sooner".to_string(),
                _ => String::new(),
            }
        }
        (x, y) if y < x => " less often".to_string(),
        _ => " more often".to_string(),
    };
    if vd.is_empty() {
        return format!(
            "With {}, the {name} was never ordered back (0 of {} games), against {} of {}{} in {}.",
            vs.name,
            v.len(),
            bd.len(),
            b.len(),
            day_median(&bd),
            bs.name
        );
    }
    format!(
        "With {}, the {name} was ordered back{change}: in {} of {} games{}, against {} of {}{} in {}.",
        vs.name,
        vd.len(),
        v.len(),
        day_median(&vd),
        bd.len(),
        b.len(),
        day_median(&bd),
        bs.name
    )
}

/// Reads one number of a side from a game's outcome.
type Pick = fn(&Outcome, usize) -> u32;

/// One row of the side-by-side table: what, then the base's and the variant's numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What is measured.
    pub what: String,
    /// The base: in how many games, median, 5-95%.
    pub base: Option<(usize, Spread)>,
    /// The variant.
    pub variant: Option<(usize, Spread)>,
}

fn spread(values: &[f64]) -> Option<(usize, Spread)> {
    Spread::of(values).map(|s| (values.len(), s))
}

/// The rows: each grouping ordered back in any game of either, each side's territory on
/// the dates history gives a figure for, its units and equipment lost, and captures.
pub fn rows(bs: &Scenario, vs: &Scenario, b: &[Outcome], v: &[Outcome]) -> Vec<Row> {
    let mut out = Vec::new();
    for g in bs.grouping_ids() {
        let bd = days_of(b, Some(g.0));
        let vd = days_of(v, matched(bs, vs, g));
        if bd.is_empty() && vd.is_empty() {
            continue;
        }
        out.push(Row {
            what: format!("{}: day ordered back", bs.grouping(g).name),
            base: spread(&bd),
            variant: spread(&vd),
        });
    }
    let mut dates: Vec<chrono::NaiveDate> = bs
        .territory_history
        .iter()
        .filter(|t| t.since.is_none())
        .map(|t| t.date)
        .collect();
    dates.sort_unstable();
    dates.dedup();
    let on = |o: &[Outcome], side: usize, turn: usize| -> Vec<f64> {
        o.iter()
            .filter_map(|x| {
                x.territory
                    .get(side)
                    .and_then(|t| t.get(turn))
                    .map(|k| k.round())
            })
            .collect()
    };
    for (i, side) in bs.sides.iter().enumerate() {
        for date in &dates {
            let turn = (*date - bs.start_date).num_days();
            if turn < 0 || turn >= i64::from(bs.turns) {
                continue;
            }
            let turn = turn as usize;
            out.push(Row {
                what: format!("{} km² taken by {}", side.name, date.format("%-d %B")),
                base: spread(&on(b, i, turn)),
                variant: spread(&on(v, i, turn)),
            });
        }
        let last = |o: &[Outcome]| -> Vec<f64> {
            o.iter()
                .filter_map(|x| x.territory.get(i).and_then(|t| t.last()).map(|k| k.round()))
                .collect()
        };
        out.push(Row {
            what: format!("{} km² taken by the end", side.name),
            base: spread(&last(b)),
            variant: spread(&last(v)),
        });
        let measures: [(&str, Pick); 3] = [
            ("units lost", |o, i| o.units_lost[i]),
            ("equipment lost", |o, i| o.equipment_lost[i]),
            ("enemy equipment captured", |o, i| o.captured[i]),
        ];
        for (what, pick) in measures {
            let of = |o: &[Outcome]| -> Vec<f64> {
                o.iter()
                    .filter(|x| i < x.units_lost.len())
                    .map(|x| f64::from(pick(x, i)))
                    .collect()
            };
            out.push(Row {
                what: format!("{}: {what}", side.name),
                base: spread(&of(b)),
                variant: spread(&of(v)),
            });
        }
    }
    out
}

/// Where the game shown runs against the medians of its own batch: the followed grouping
/// ordered back when most games did not (or the reverse), or on a day outside the middle
/// half of the games' days; each side's final territory outside the middle half.
pub fn against_medians(r: &GameRecord, batch: &[Outcome]) -> Vec<String> {
    let s = &r.scenario;
    let mut out = Vec::new();
    if batch.len() < 4 {
        return out;
    }
    let quartiles = |v: &[f64]| -> Option<(f64, f64, f64)> {
        let mut v = v.to_vec();
        v.sort_by(f64::total_cmp);
        let q = |p: f64| v[((p * (v.len() - 1) as f64).round() as usize).min(v.len() - 1)];
        (!v.is_empty()).then(|| {
            (
                q(0.25),
                Spread::of(&v).map_or(f64::NAN, |s| s.median),
                q(0.75),
            )
        })
    };
    if let Some(g) = super::account::subject(r) {
        let name = &s.grouping(g).name;
        let days = days_of(batch, Some(g.0));
        let shown = r.withdrawals.get(g.0).copied().flatten().map(|w| w.0);
        let most = 2 * days.len() > batch.len();
        match shown {
            Some(d) if !most => out.push(format!(
                "the {name} was ordered back (day {d}), as it was in only {} of {} games",
                days.len(),
                batch.len()
            )),
            None if most => out.push(format!(
                "the {name} was never ordered back, though it was in {} of {} games",
                days.len(),
                batch.len()
            )),
            Some(d) => {
                if let Some((lo, med, hi)) = quartiles(&days)
                    && (f64::from(d) < lo || f64::from(d) > hi)
                {
                    out.push(format!(
                        "the {name} was ordered back on day {d}, against a median of day {}",
                        number(med)
                    ));
                }
            }
            None => {}
        }
    }
    for (i, side) in s.sides.iter().enumerate() {
        let finals: Vec<f64> = batch
            .iter()
            .filter_map(|o| o.territory.get(i).and_then(|t| t.last()).copied())
            .collect();
        let shown = r.days.last().map_or(0.0, |d| d.sides[i].territory_km2);
        if let Some((lo, med, hi)) = quartiles(&finals)
            && (shown < lo - 0.5 || shown > hi + 0.5)
            && (shown - med).abs() > (0.1 * med).max(100.0)
        {
            out.push(format!(
                "{} took {} km², against a median of {} km²",
                side.name,
                number(shown.round()),
                number(med.round())
            ));
        }
    }
    out
}

fn cell(x: Option<&(usize, Spread)>, total: usize, days: bool) -> Markup {
    html! {
        @match x {
            None => td.n { "never" },
            Some((n, s)) => td.n {
                (number(s.median))
                " " small { "(" (number(s.p5)) "–" (number(s.p95)) ")" }
                @if days { br; small { "in " (n) " of " (total) } }
            },
        }
    }
}

/// The answer as the page shows it: the sentence, the table, the note.
pub fn section(base: &GameRecord, variant: &GameRecord, b: &[Outcome], v: &[Outcome]) -> Markup {
    let (bs, vs) = (&base.scenario, &variant.scenario);
    let rows = rows(bs, vs, b, v);
    let against: Vec<(String, Vec<String>)> = [("base", base, b), ("variant", variant, v)]
        .into_iter()
        .map(|(what, r, o)| (format!("{what} (seed {})", r.seed), against_medians(r, o)))
        .filter(|(_, notes)| !notes.is_empty())
        .collect();
    html! {
        div.headline { p { (headline(base, vs, b, v)) } }
        table {
            tr {
                th { "over " (b.len()) " games of each" }
                th { "base: median (5–95%)" }
                th { "variant: median (5–95%)" }
            }
            @for row in &rows {
                @let days = row.what.ends_with("day ordered back");
                tr {
                    td { (row.what) }
                    (cell(row.base.as_ref(), b.len(), days))
                    (cell(row.variant.as_ref(), v.len(), days))
                }
            }
        }
        @for (which, notes) in &against {
            p.note {
                "Note: the " (which) " game shown below runs against the medians of its games: "
                (notes.join("; ")) ". Read it as one possible game, not the typical one."
            }
        }
    }
}
