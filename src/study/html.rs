//! `study.html`: one self-contained page (charts inline as SVG) with, per recorded
//! withdrawal, box plots and histograms of its day case beside case; each side's
//! territory curve per case with its 5-95% band and the history's figures; and a table of
//! every recorded outcome, per case, beside the history.
//!
//! The page is made from the study's [`Meta`] and its rows alone, so a merge of shards
//! writes the same page as one machine.

use maud::{Markup, PreEscaped, html};
use plotters::prelude::*;

use super::{GameRow, Kind, Meta, case_spread, spread_text};
use crate::report::charts::{PALETTE, register_font};

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Draws into an SVG string.
fn svg(
    size: (u32, u32),
    draw: impl FnOnce(DrawingArea<SVGBackend, plotters::coord::Shift>) -> Result<(), String>,
) -> Result<String, String> {
    register_font();
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, size).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        draw(root.clone())?;
        root.present().map_err(err)?;
    }
    Ok(text)
}

fn colour(case: usize) -> RGBColor {
    PALETTE[case % PALETTE.len()]
}

/// The value below which a share `q` of sorted numbers lie (nearest rank).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The sorted values of column `c` in case `case` (games without one left out).
fn values(rows: &[GameRow], case: usize, c: usize) -> Vec<f64> {
    let mut v: Vec<f64> = rows
        .iter()
        .filter(|r| r.case == case)
        .filter_map(|r| r.values[c].number())
        .collect();
    v.sort_by(f64::total_cmp);
    v
}

/// Box plots of a day column, one row per case: the box from the 25th to the 75th
/// percentile, the median across it, whiskers to the 5th and 95th.
fn boxes(meta: &Meta, rows: &[GameRow], c: usize) -> Result<String, String> {
    let n = meta.cases.len();
    let height = 90 + 46 * n as u32;
    let turns = f64::from(meta.turns.max(1));
    svg((900, height), |root| {
        // The games with no order are counted in a margin of their own, right of the
        // plot, where no box can reach them.
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .margin_right(150)
            .x_label_area_size(36)
            .y_label_area_size(200)
            .build_cartesian_2d(0.0..turns + 1.0, -0.5..(n as f64 - 0.5))
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n.max(1))
            .y_label_formatter(&|y| {
                let k = y.round();
                if (y - k).abs() < 1e-6 && k >= 0.0 {
                    meta.cases.get(k as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .x_desc("day the withdrawal was ordered")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .label_style(("sans-serif", 13))
            .draw()
            .map_err(err)?;
        for case in 0..n {
            let v = values(rows, case, c);
            let y = case as f64;
            let col = colour(case);
            let s = case_spread(rows, case, c);
            if !v.is_empty() {
                let (p5, q1, med, q3, p95) = (
                    quantile(&v, 0.05),
                    quantile(&v, 0.25),
                    quantile(&v, 0.5),
                    quantile(&v, 0.75),
                    quantile(&v, 0.95),
                );
                let h = 0.28;
                chart
                    .draw_series([
                        PathElement::new(vec![(p5, y), (q1, y)], col.stroke_width(2)),
                        PathElement::new(vec![(q3, y), (p95, y)], col.stroke_width(2)),
                        PathElement::new(
                            vec![(p5, y - h / 2.0), (p5, y + h / 2.0)],
                            col.stroke_width(2),
                        ),
                        PathElement::new(
                            vec![(p95, y - h / 2.0), (p95, y + h / 2.0)],
                            col.stroke_width(2),
                        ),
                    ])
                    .map_err(err)?;
                chart
                    .draw_series([Rectangle::new(
                        [(q1 - 0.05, y - h), (q3 + 0.05, y + h)],
                        col.mix(0.35).filled(),
                    )])
                    .map_err(err)?;
                chart
                    .draw_series([PathElement::new(
                        vec![(med, y - h), (med, y + h)],
                        BLACK.stroke_width(3),
                    )])
                    .map_err(err)?;
            }
            if s.none > 0 {
                let (px, py) = chart.backend_coord(&(turns + 1.0, y));
                root.draw(&Text::new(
                    format!("never in {} of {}", s.none, s.games),
                    (px + 10, py - 7),
                    ("sans-serif", 13).into_font().color(&col),
                ))
                .map_err(err)?;
            }
        }
        Ok(())
    })
}

/// Histogram of a day column: for each day, the share of each case's games whose
/// withdrawal was ordered that day, the cases' bars side by side.
fn histogram(meta: &Meta, rows: &[GameRow], c: usize) -> Result<String, String> {
    let n = meta.cases.len();
    let turns = meta.turns.max(1);
    let shares: Vec<Vec<f64>> = (0..n)
        .map(|case| {
            let games = rows.iter().filter(|r| r.case == case).count().max(1) as f64;
            let v = values(rows, case, c);
            (1..=turns)
                .map(|d| v.iter().filter(|x| **x == f64::from(d)).count() as f64 / games * 100.0)
                .collect()
        })
        .collect();
    let top = shares
        .iter()
        .flatten()
        .copied()
        .fold(0.0, f64::max)
        .max(10.0)
        * 1.1;
    svg((900, 320), |root| {
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d(0.5..f64::from(turns) + 0.5, 0.0..top)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc("day the withdrawal was ordered")
            .y_desc("% of the case's games")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style(("sans-serif", 13))
            .draw()
            .map_err(err)?;
        let width = 0.8 / n as f64;
        for (case, share) in shares.iter().enumerate() {
            let col = colour(case);
            let bars = share
                .iter()
                .enumerate()
                .filter(|(_, s)| **s > 0.0)
                .map(|(d, s)| {
                    let x0 = d as f64 + 1.0 - 0.4 + width * case as f64;
                    Rectangle::new([(x0, 0.0), (x0 + width, *s)], col.filled())
                });
            chart
                .draw_series(bars)
                .map_err(err)?
                .label(meta.cases[case].clone())
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], col.filled()));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .label_font(("sans-serif", 13))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(err)?;
        Ok(())
    })
}

/// A side's territory, day by day: each case's median game as a line and its 5th-95th
/// percentile as a band, with the history's figures (and their bands) as black marks.
fn territory(meta: &Meta, rows: &[GameRow], side: usize) -> Result<String, String> {
    let n = meta.cases.len();
    let turns = meta.turns.max(1);
    // Per case, per day: (p5, median, p95).
    let curves: Vec<Vec<(u32, f64, f64, f64)>> = (0..n)
        .map(|case| {
            (1..=turns)
                .filter_map(|d| {
                    let mut v: Vec<f64> = rows
                        .iter()
                        .filter(|r| r.case == case)
                        .filter_map(|r| r.territory.get(side)?.get(d as usize - 1).copied())
                        .collect();
                    if v.is_empty() {
                        return None;
                    }
                    v.sort_by(f64::total_cmp);
                    Some((d, quantile(&v, 0.05), quantile(&v, 0.5), quantile(&v, 0.95)))
                })
                .collect()
        })
        .collect();
    let figures: Vec<_> = meta
        .territory_history
        .iter()
        .filter(|f| f.side == side && f.day >= 1 && f.day <= i64::from(turns))
        .collect();
    let top = curves
        .iter()
        .flatten()
        .map(|c| c.3)
        .chain(
            figures
                .iter()
                .map(|f| f.band.map_or(f.km2, |b| b.1.max(f.km2))),
        )
        .fold(0.0, f64::max)
        .max(100.0)
        * 1.08;
    // One panel per case on a shared scale, so no case's band hides another's; from the
    // second panel on, the first case's median is drawn thin and grey for reference.
    let per_row = n.clamp(1, 3);
    let panel_rows = n.div_ceil(per_row).max(1);
    svg((900, 340 * panel_rows as u32), |root| {
        let panels = root.split_evenly((panel_rows, per_row));
        for (case, (curve, area)) in curves.iter().zip(panels.iter()).enumerate() {
            let col = colour(case);
            let mut chart = ChartBuilder::on(area)
                .margin(8)
                .caption(
                    &meta.cases[case],
                    ("sans-serif", 15).into_font().color(&col),
                )
                .x_label_area_size(32)
                .y_label_area_size(if case % per_row == 0 { 62 } else { 44 })
                .build_cartesian_2d(1.0..f64::from(turns), 0.0..top)
                .map_err(err)?;
            chart
                .configure_mesh()
                .x_desc("day")
                .y_desc(if case % per_row == 0 {
                    "km² taken since the start"
                } else {
                    ""
                })
                .x_labels(6)
                .y_labels(6)
                .x_label_formatter(&|x| format!("{x:.0}"))
                .y_label_formatter(&|y| format!("{y:.0}"))
                .label_style(("sans-serif", 12))
                .light_line_style(WHITE)
                .draw()
                .map_err(err)?;
            let band: Vec<(f64, f64)> = curve
                .iter()
                .map(|p| (f64::from(p.0), p.1))
                .chain(curve.iter().rev().map(|p| (f64::from(p.0), p.3)))
                .collect();
            chart
                .draw_series([Polygon::new(band, col.mix(0.25).filled())])
                .map_err(err)?;
            if case > 0 {
                chart
                    .draw_series(LineSeries::new(
                        curves[0].iter().map(|p| (f64::from(p.0), p.2)),
                        RGBColor(120, 120, 120).stroke_width(1),
                    ))
                    .map_err(err)?;
            }
            chart
                .draw_series(LineSeries::new(
                    curve.iter().map(|p| (f64::from(p.0), p.2)),
                    col.stroke_width(2),
                ))
                .map_err(err)?;
            if !figures.is_empty() {
                for f in &figures {
                    if let Some((lo, hi)) = f.band {
                        let x = f.day as f64;
                        chart
                            .draw_series([PathElement::new(
                                vec![(x, lo), (x, hi)],
                                BLACK.stroke_width(1),
                            )])
                            .map_err(err)?;
                    }
                }
                chart
                    .draw_series(
                        figures
                            .iter()
                            .map(|f| Circle::new((f.day as f64, f.km2), 4, BLACK.filled())),
                    )
                    .map_err(err)?;
            }
        }
        Ok(())
    })
}

/// The table of every recorded outcome: per case, the median and 5-95%.
fn table(meta: &Meta, rows: &[GameRow]) -> Markup {
    html! {
        table {
            tr {
                th { "outcome" }
                th { "history" }
                @for label in &meta.cases { th { (label) } }
            }
            @for (c, col) in meta.columns.iter().enumerate() {
                tr {
                    td { (col.title()) }
                    td { (col.history.clone().unwrap_or_default()) }
                    @for case in 0..meta.cases.len() {
                        td { (spread_text(col.kind, &case_spread(rows, case, c))) }
                    }
                }
            }
        }
    }
}

/// The page.
pub fn page(meta: &Meta, rows: &[GameRow]) -> Result<String, String> {
    let withdrawals: Vec<(usize, String, String)> = meta
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            matches!(c.measured, super::Measured::Withdrawal(_)) && c.kind == Kind::Day
        })
        .filter(|(c, _)| rows.iter().any(|r| r.values[*c].number().is_some()))
        .map(|(c, _)| Ok((c, boxes(meta, rows, c)?, histogram(meta, rows, c)?)))
        .collect::<Result<_, String>>()?;
    let sides: Vec<(usize, String)> = (0..meta.sides.len())
        .filter(|s| {
            meta.territory_history.iter().any(|f| f.side == *s)
                || rows.iter().any(|r| {
                    r.territory
                        .get(*s)
                        .is_some_and(|t| t.iter().any(|v| *v > 0.0))
                })
        })
        .map(|s| territory(meta, rows, s).map(|svg| (s, svg)))
        .collect::<Result<_, String>>()?;
    let games = rows.len();
    let body = html! {
        h1 { (meta.name) }
        @if !meta.description.is_empty() { p.lead { (meta.description) } }
        p {
            (meta.cases.len()) " cases x " (meta.seeds) " seeds (" (meta.first_seed) " to "
            (meta.first_seed + meta.seeds - 1) ") = " (games) " games of " (meta.turns) " days from "
            (meta.start_date.format("%-d %B %Y")) ". Every game's outcomes are in results.csv."
        }
        h2 { "Cases" }
        ul {
            @for (k, label) in meta.cases.iter().enumerate() {
                li { span style=(format!("color:rgb({},{},{})", colour(k).0, colour(k).1, colour(k).2)) { "■ " } b { (label) } " (commanders: " (meta.case_commanders[k].join(", ")) ")" }
            }
        }
        @if !withdrawals.is_empty() {
            h2 { "Withdrawals" }
            p { "Boxes span the middle half of the games (25th to 75th percentile), the black bar is the median, whiskers reach the 5th and 95th percentiles; games in which no withdrawal was ordered are counted beside." }
            @for (c, b, h) in &withdrawals {
                h3 { (meta.columns[*c].name.trim_end_matches(" withdrawal_day")) }
                div { (PreEscaped(b)) }
                div { (PreEscaped(h)) }
            }
        }
        @if !sides.is_empty() {
            h2 { "Territory" }
            @for (s, svg) in &sides {
                h3 { (meta.sides[*s]) }
                div { (PreEscaped(svg)) }
                p.note { "A panel per case, on one scale: the shaded band holds 5-95% of its games, the line is its median" @if meta.cases.len() > 1 { ", the thin grey line the median of " (meta.cases[0]) } "; black dots are history's figures on their dates, with the band the sources allow." }
            }
        }
        h2 { "Every outcome recorded" }
        p { "Median and, in brackets, the 5th to 95th percentile over each case's games." }
        (table(meta, rows))
    };
    Ok(crate::report::html::page(
        &format!("Study: {}", meta.name),
        &body,
    ))
}
