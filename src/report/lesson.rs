//! Two scenarios side by side (`railhead contrast`): in each, the grouping
//! whose withdrawal the history dates, its supply day by day, what cut it (capture of the
//! lines, or strikes), when and why its command ordered it back, how long the withdrawal
//! took and what was left behind; then the model over many games beside the sources'
//! dates. One page, to project.

use maud::{Markup, html};

use super::account::{Account, account, cut_by, subject};
use super::record::GameRecord;
use super::{calibrate, charts, stats, write};
use crate::scenario::Scenario;
use crate::scenario::ids::GroupingId;

/// One scenario of a lesson: a game shown day by day and games of further seeds.
pub struct Part<'a> {
    /// The game shown.
    pub game: &'a GameRecord,
    /// Games of further seeds, for the model beside history.
    pub batch: &'a [stats::Outcome],
}

fn list(v: &[(u32, String)]) -> String {
    // Each name once, with the day of its first and how many times.
    let mut seen: Vec<(String, u32, usize)> = Vec::new();
    for (day, name) in v {
        match seen.iter_mut().find(|(n, _, _)| n == name) {
            Some(x) => x.2 += 1,
            None => seen.push((name.clone(), *day, 1)),
        }
    }
    let mut seen: Vec<String> = seen
        .into_iter()
        .map(|(name, day, n)| match n {
            1 => format!("{name} (day {day})"),
            n => format!("{name} ({n} times, first on day {day})"),
        })
        .collect();
    let more = seen.len().saturating_sub(6);
    seen.truncate(6);
    let text = seen.join(", ");
    if more > 0 {
        format!("{text} and {more} more")
    } else {
        text
    }
}

fn median_days(o: &[stats::Outcome], g: GroupingId) -> (usize, String) {
    let days: Vec<f64> = o
        .iter()
        .filter_map(|x| x.withdrawal_day.get(g.0).copied().flatten())
        .map(f64::from)
        .collect();
    (
        days.len(),
        stats::Spread::of(&days).map_or("-".into(), |sp| {
            format!("day {:.0} (days {:.0}-{:.0})", sp.median, sp.p5, sp.p95)
        }),
    )
}

/// The side-by-side table: a column per scenario.
fn table(parts: &[(&Part, &Account)]) -> Markup {
    let day = |s: &Scenario, d: chrono::NaiveDate| (d - s.start_date).num_days() + 1;
    html! {
        table.lesson {
            tr { th {} @for (p, _) in parts { th { (p.game.scenario.name) } } }
            tr {
                td { "The grouping" }
                @for (p, a) in parts {
                    td { (p.game.scenario.grouping(a.grouping).name) " (" (a.units) " units)" }
                }
            }
            tr {
                td { "Its supply was cut by" }
                @for (_, a) in parts { td { b { (cut_by(a)) } } }
            }
            tr {
                td { "Lines cut by capture (before the order)" }
                @for (_, a) in parts {
                    td { (a.lines_cut.len()) @if !a.lines_cut.is_empty() { ": " (list(&a.lines_cut)) } }
                }
            }
            tr {
                td { "Crossings struck (before the order)" }
                @for (_, a) in parts {
                    td {
                        (a.crossings_hit.len()) " hits"
                        @if !a.crossings_hit.is_empty() { ": " (list(&a.crossings_hit)) }
                        @if !a.damaged_before.is_empty() {
                            "; down at the start: " (a.damaged_before.join(", "))
                        }
                        @if a.stock_burnt > 0.0 {
                            "; depot stock burnt: " (crate::numbers::group_thousands(a.stock_burnt.round() as u32)) " t"
                        }
                    }
                }
            }
            tr {
                td { "Ordered back (this game)" }
                @for (_, a) in parts {
                    td {
                        @match &a.ordered {
                            Some((turn, date, _)) => { "day " (turn) ", " (date.format("%-d %B")) }
                            None => { "never" }
                        }
                    }
                }
            }
            tr {
                td { "Ordered back (history)" }
                @for (p, a) in parts {
                    td {
                        @match &a.history {
                            Some((date, rating)) => {
                                "day " (day(&p.game.scenario, *date)) ", " (date.format("%-d %B")) " [" (rating) "]"
                            }
                            None => { "not dated" }
                        }
                    }
                }
            }
            tr {
                td { "Why (the command's reasons)" }
                @for (_, a) in parts {
                    td { @if let Some((_, _, why)) = &a.ordered { (why.join("; ")) } }
                }
            }
            tr {
                td { "The withdrawal took" }
                @for (_, a) in parts {
                    td {
                        @match (a.ordered.is_some(), a.took) {
                            (true, Some(0)) => { "under a day to reach its line" }
                            (true, Some(d)) => { (crate::numbers::count(u64::from(d), "day", "days")) " to reach its line" }
                            (true, None) => { "its line not reached by the end" }
                            (false, _) => { "-" }
                        }
                    }
                }
            }
            tr {
                td { "Left behind" }
                @for (_, a) in parts {
                    td {
                        (a.abandoned) " items abandoned falling back; "
                        (a.captured) " items captured by the enemy; "
                        (a.units_lost) " of " (a.units) " units lost"
                    }
                }
            }
            tr {
                td { "Over the batch" }
                @for (p, a) in parts {
                    @let (n, median) = median_days(p.batch, a.grouping);
                    td { "ordered back in " (n) " of " (p.batch.len()) " games; " (median) }
                }
            }
        }
    }
}

/// The glossary across the scenarios: each term, its meaning, and each scenario's own
/// example of it side by side (the terms no scenario gives an example of follow, with
/// their meanings alone).
fn glossary_across(parts: &[Part]) -> Markup {
    use crate::scenario::glossary::{TERMS, example};
    let given = |t: &str| parts.iter().any(|p| example(&p.game.scenario, t).is_some());
    let shown = TERMS.iter().filter(|(t, _)| given(t));
    let rest: Vec<_> = TERMS.iter().filter(|(t, _)| !given(t)).collect();
    html! {
        table.glossary {
            tr {
                th { "term" } th { "meaning" }
                @for p in parts { th { (p.game.scenario.name) } }
            }
            @for (term, meaning) in shown {
                tr {
                    td { b { (term) } }
                    td { (meaning) }
                    @for p in parts {
                        td { (example(&p.game.scenario, term).unwrap_or_default()) }
                    }
                }
            }
        }
        @if !rest.is_empty() {
            dl {
                @for (term, meaning) in rest {
                    dt { b { (term) } }
                    dd { (meaning) }
                }
            }
        }
    }
}

/// Writes a lesson on two (or more) scenarios into `dir`: `report.html` and a supply chart
/// per scenario. Returns the files written, the page first.
pub fn write_lesson(parts: &[Part], dir: &std::path::Path) -> Result<Vec<String>, String> {
    super::into_folder(dir, |d| fill(parts, d))
}

fn fill(parts: &[Part], dir: &std::path::Path) -> Result<Vec<String>, String> {
    let mut accounts = Vec::new();
    for p in parts {
        let g = subject(p.game).ok_or_else(|| {
            format!(
                "{} has no grouping with a fallback line: nothing to follow",
                p.game.scenario.name
            )
        })?;
        accounts.push(account(p.game, g));
    }
    let mut files = vec!["report.html".to_string()];
    let mut charts = Vec::new();
    for (k, (p, a)) in parts.iter().zip(&accounts).enumerate() {
        let name = format!("supply-{}.png", k + 1);
        let mut which = a.depots.clone();
        which.truncate(4);
        write(dir, &name, &charts::depots(&[("game", p.game)], &which)?)?;
        charts.push(name.clone());
        files.push(name);
    }
    let pairs: Vec<(&Part, &Account)> = parts.iter().zip(&accounts).collect();
    let body = html! {
        h1 { "Two ways to lose supply" }
        p.lead {
            "Each scenario below follows one grouping whose supply failed. Read across: what cut it, "
            "when and why its command ordered it back, how long getting back took, and what it left "
            "behind. The history's dates stand beside the model's, with the sources' ratings."
        }
        @for p in parts {
            p { b { (p.game.scenario.name) } ": " (p.game.scenario.description) " (seed " (p.game.seed) ")" }
        }
        h2 { "Side by side" }
        (table(&pairs))
        h2 { "Supply, day by day" }
        @for ((p, a), chart) in pairs.iter().zip(&charts) {
            h3 { (p.game.scenario.name) ": the depots of the " (p.game.scenario.grouping(a.grouping).name) }
            (super::html::chart(chart, "depot stock and inflow"))
        }
        h2 { "The model beside history" }
        @for (p, _) in &pairs {
            h3 { (p.game.scenario.name) }
            @if p.batch.is_empty() {
                (super::html::calibration(&calibrate::table(&p.game.scenario, &[stats::Outcome::of(p.game)]), &[p.game.seed]))
            } @else {
                (super::html::calibration(&calibrate::table(&p.game.scenario, p.batch), &p.batch.iter().map(|o| o.seed).collect::<Vec<_>>()))
            }
        }
        h2 { "The words, across both" }
        (glossary_across(parts))
    };
    let page = super::html::page("Two ways to lose supply", &body);
    write(dir, "report.html", page.as_bytes())?;
    Ok(files)
}
