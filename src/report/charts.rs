//! Charts with plotters, drawn into memory and saved as PNG: depot stocks and inflows,
//! territory beside the historical figures, withdrawal-day histograms. Text uses the
//! project's `DejaVu` font (no system fonts needed).

use crate::scenario::ids::SideId;
use std::sync::Once;

use plotters::prelude::*;

use super::record::{DepotDay, GameRecord};
use super::stats::Outcome;
use crate::scenario::Scenario;

/// Chart size in pixels.
pub const SIZE: (u32, u32) = (900, 560);

static FONT: Once = Once::new();

pub(crate) fn register_font() {
    FONT.call_once(|| {
        let regular: &'static [u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, regular);
    });
}

/// Colours for lines that are not a side's.
pub(crate) const PALETTE: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(140, 86, 75),
];

/// Draws into an RGB buffer and returns it as PNG bytes.
fn png(
    size: (u32, u32),
    draw: impl FnOnce(DrawingArea<BitMapBackend, plotters::coord::Shift>) -> Result<(), String>,
) -> Result<Vec<u8>, String> {
    register_font();
    let mut rgb = vec![255u8; (size.0 * size.1 * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        draw(root.clone())?;
        root.present().map_err(|e| e.to_string())?;
    }
    let mut rgba = Vec::with_capacity(rgb.len() / 3 * 4);
    for p in rgb.chunks_exact(3) {
        rgba.extend_from_slice(&[p[0], p[1], p[2], 255]);
    }
    let pm = tiny_skia::IntSize::from_wh(size.0, size.1)
        .and_then(|s| tiny_skia::Pixmap::from_vec(rgba, s))
        .ok_or("empty chart")?;
    pm.encode_png().map_err(|e| e.to_string())
}

/// An axis value as a whole number with thousands separated.
fn thousands(v: f64) -> String {
    crate::numbers::group_thousands(v.max(0.0).round() as u32)
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Draws one line: solid for the first run, dashed for the second.
fn line<DB: DrawingBackend>(
    chart: &mut ChartContext<
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordu32, plotters::coord::types::RangedCoordf64>,
    >,
    points: Vec<(u32, f64)>,
    colour: RGBColor,
    run: usize,
    label: String,
) -> Result<(), String> {
    let style = colour.stroke_width(2);
    let legend = move |(x, y): (i32, i32)| {
        PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2))
    };
    if run == 0 {
        chart
            .draw_series(LineSeries::new(points, style))
            .map_err(err)?
            .label(label)
            .legend(legend);
    } else {
        chart
            .draw_series(DashedLineSeries::new(points, 7, 5, style))
            .map_err(err)?
            .label(label)
            .legend(legend);
    }
    Ok(())
}

fn days(runs: &[(&str, &GameRecord)]) -> u32 {
    runs.iter()
        .map(|(_, r)| r.days.len() as u32)
        .max()
        .unwrap_or(1)
        .max(2)
}

fn suffix(runs: &[(&str, &GameRecord)], run: usize) -> String {
    if runs.len() > 1 {
        if run == 0 {
            format!(" ({})", runs[run].0)
        } else {
            format!(" ({}, dashed)", runs[run].0)
        }
    } else {
        String::new()
    }
}

/// Stock (top) and daily inflow (bottom) of some depots, day by day; with two runs, the
/// second dashed.
pub fn depots(runs: &[(&str, &GameRecord)], which: &[usize]) -> Result<Vec<u8>, String> {
    let Some((_, first)) = runs.first() else {
        return Err("no game to chart".into());
    };
    let s = &first.scenario;
    let n = days(runs);
    png(SIZE, |root| {
        let panels = root.split_evenly((2, 1));
        for (p, area) in panels.iter().enumerate() {
            let value = |d: &DepotDay| if p == 0 { d.stock } else { d.inflow };
            let top = runs
                .iter()
                .flat_map(|(_, r)| r.days.iter())
                .flat_map(|day| which.iter().map(|d| value(&day.depots[*d])))
                .fold(1.0f64, f64::max)
                * 1.1;
            let mut chart = ChartBuilder::on(area)
                .caption(
                    if p == 0 {
                        "Depot stock (t), end of each day"
                    } else {
                        "Received by rail (t a day)"
                    },
                    ("sans-serif", 16),
                )
                .margin(8)
                .x_label_area_size(28)
                .y_label_area_size(64)
                .build_cartesian_2d(1u32..n, 0f64..top)
                .map_err(err)?;
            chart
                .configure_mesh()
                .x_desc("day")
                .y_label_formatter(&|v| thousands(*v))
                .light_line_style(WHITE.mix(0.0))
                .draw()
                .map_err(err)?;
            for (run, (_, r)) in runs.iter().enumerate() {
                for (k, d) in which.iter().enumerate() {
                    let points: Vec<(u32, f64)> = r
                        .days
                        .iter()
                        .map(|day| (day.turn, value(&day.depots[*d])))
                        .collect();
                    line(
                        &mut chart,
                        points,
                        PALETTE[k % PALETTE.len()],
                        run,
                        format!("{}{}", s.depots[*d].name, suffix(runs, run)),
                    )?;
                    // Where the depot changed hands: a dotted upright line, named.
                    let colour = PALETTE[k % PALETTE.len()];
                    for w in r.days.windows(2) {
                        let (before, after) = (&w[0].depots[*d], &w[1].depots[*d]);
                        if before.owner == after.owner {
                            continue;
                        }
                        let day = w[1].turn;
                        chart
                            .draw_series(DashedLineSeries::new(
                                [(day, 0.0), (day, top / 1.1)],
                                3,
                                4,
                                colour.stroke_width(2),
                            ))
                            .map_err(err)?;
                        if p == 0 {
                            let by = &s.sides[after.owner.0].name;
                            chart
                                .draw_series(std::iter::once(Text::new(
                                    format!("{} taken by {by}", s.depots[*d].name),
                                    (day, top / 1.1 * (0.95 - 0.08 * k as f64)),
                                    ("sans-serif", 12).into_font().color(&colour),
                                )))
                                .map_err(err)?;
                        }
                    }
                }
            }
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK.mix(0.4))
                .label_font(("sans-serif", 12))
                .draw()
                .map_err(err)?;
        }
        Ok(())
    })
}

/// Territory each side has taken, day by day, with the historical figures as dots.
pub fn territory(runs: &[(&str, &GameRecord)]) -> Result<Vec<u8>, String> {
    let Some((_, first)) = runs.first() else {
        return Err("no game to chart".into());
    };
    let s = &first.scenario;
    let n = days(runs);
    let last_date = s.start_date + chrono::Days::new(u64::from(n - 1));
    let history: Vec<(SideId, u32, f64)> = s
        .territory_history
        .iter()
        .filter(|t| t.date >= s.start_date && t.date <= last_date && t.since.is_none())
        .map(|t| (t.side, (t.date - s.start_date).num_days() as u32 + 1, t.km2))
        .collect();
    let top = runs
        .iter()
        .flat_map(|(_, r)| r.days.iter())
        .flat_map(|d| d.sides.iter().map(|x| x.territory_km2))
        .chain(history.iter().map(|h| h.2))
        .fold(100.0f64, f64::max)
        * 1.1;
    png(SIZE, |root| {
        let mut chart = ChartBuilder::on(&root)
            .caption("Territory taken (km²), end of each day", ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(70)
            .build_cartesian_2d(1u32..n, 0f64..top)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("day")
            .y_desc("km²")
            .y_label_formatter(&|v| thousands(*v))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        for (run, (_, r)) in runs.iter().enumerate() {
            for (i, side) in s.sides.iter().enumerate() {
                let c = side.colour;
                let points = r
                    .days
                    .iter()
                    .map(|d| (d.turn, d.sides[i].territory_km2))
                    .collect();
                line(
                    &mut chart,
                    points,
                    RGBColor(c.0, c.1, c.2),
                    run,
                    format!("{}{}", side.name, suffix(runs, run)),
                )?;
            }
        }
        if !history.is_empty() {
            chart
                .draw_series(history.iter().map(|(side, day, km2)| {
                    let c = s.sides[*side].colour;
                    Circle::new((*day, *km2), 5, RGBColor(c.0, c.1, c.2).filled())
                }))
                .map_err(err)?
                .label("historical figure")
                .legend(|(x, y)| Circle::new((x + 9, y), 5, BLACK.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .label_font(("sans-serif", 13))
            .draw()
            .map_err(err)?;
        Ok(())
    })
}

/// For each grouping ordered to withdraw in any game, how many games ordered it on each
/// day (and how many never did), one panel per grouping.
pub fn withdrawal_histogram(s: &Scenario, outcomes: &[Outcome]) -> Result<Vec<u8>, String> {
    let groupings: Vec<usize> = (0..s.groupings.len())
        .filter(|g| outcomes.iter().any(|o| o.withdrawal_day[*g].is_some()))
        .collect();
    let panels = groupings.len().max(1);
    let size = (SIZE.0, (180 * panels as u32).max(240));
    let never = s.turns + 1;
    png(size, |root| {
        if groupings.is_empty() {
            root.draw(&Text::new(
                "No grouping was ordered to withdraw in any game.",
                (20, 20),
                ("sans-serif", 18),
            ))
            .map_err(err)?;
            return Ok(());
        }
        let areas = root.split_evenly((panels, 1));
        for (area, g) in areas.iter().zip(&groupings) {
            let days: Vec<u32> = outcomes
                .iter()
                .map(|o| o.withdrawal_day[*g].unwrap_or(never))
                .collect();
            let most = (1..=never)
                .map(|d| days.iter().filter(|x| **x == d).count() as u32)
                .max()
                .unwrap_or(1)
                .max(1);
            let mut chart = ChartBuilder::on(area)
                .caption(
                    format!(
                        "{}: day the withdrawal was ordered ({} games; {} = never)",
                        s.groupings[*g].name,
                        outcomes.len(),
                        never
                    ),
                    ("sans-serif", 14),
                )
                .margin(6)
                .x_label_area_size(24)
                .y_label_area_size(48)
                .build_cartesian_2d(
                    (1u32..never + 1).into_segmented(),
                    0u32..most + most / 5 + 1,
                )
                .map_err(err)?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .y_desc("games")
                .draw()
                .map_err(err)?;
            chart
                .draw_series(
                    Histogram::vertical(&chart)
                        .style(PALETTE[0].filled())
                        .margin(3)
                        .data(days.iter().map(|d| (*d, 1u32))),
                )
                .map_err(err)?;
        }
        Ok(())
    })
}
