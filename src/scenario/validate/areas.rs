//! Terrain and control from areas in latitude and longitude: the map's `areas` (polygons
//! of terrain or of a side's ground, and front lines with a side on each side) drawn onto
//! its hexes, a hex taking an area when its centre lies in it, later areas over earlier,
//! then the rows of letters over both wherever a row gives a letter (`_` leaves the hex to
//! the areas), and `background` for any hex left. The result is rows of letters, read by
//! [`super::terrain`] and [`super::sides`] as if the author had typed them.

use super::super::raw::{RawArea, RawScenario};
use super::check::{Checker, Names, valid_latlon};
use crate::geo::{Frame, Offset, in_ring, left_of_line};

/// The letter in a row that leaves its hex to the areas.
pub const FROM_AREAS: char = '_';

/// The rows of terrain and control with every area drawn: `None` when the map has no
/// areas, background or `_` (its rows are read as written).
pub fn fill(
    c: &mut Checker,
    raw: &RawScenario,
    frame: &Frame,
) -> Option<(Vec<String>, Vec<String>)> {
    let m = &raw.map;
    let blanks = |rows: &[String]| rows.iter().any(|r| r.contains(FROM_AREAS));
    if m.areas.is_empty()
        && m.background.is_none()
        && !m.terrain.is_empty()
        && !blanks(&m.terrain)
        && !blanks(&m.control)
    {
        return None;
    }
    let ids: Vec<&str> = raw.terrain_types.iter().map(|t| t.id.as_str()).collect();
    let terrains = Names::fixed("terrain type", &ids);
    let ids: Vec<&str> = raw.sides.iter().map(|s| s.id.as_str()).collect();
    let sides = Names::fixed("side", &ids);
    let (cols, rows) = (frame.columns as usize, frame.rows as usize);
    let mut terrain: Vec<Option<char>> = vec![None; cols * rows];
    let mut control: Vec<Option<char>> = vec![None; cols * rows];
    let centres: Vec<(f64, f64)> = (0..rows)
        .flat_map(|r| (0..cols).map(move |col| (col, r)))
        .map(|(col, row)| {
            frame.hex_center_km(Offset {
                col: col as i32,
                row: row as i32,
            })
        })
        .collect();
    for (i, area) in m.areas.iter().enumerate() {
        let p = format!("map.areas[{i}]");
        match area {
            RawArea::Terrain {
                terrain: id,
                points,
                holes,
            } => {
                let symbol = c
                    .lookup(&format!("{p}.terrain"), id, &terrains)
                    .map(|t| raw.terrain_types[t].symbol);
                if let (Some(symbol), Some(shape)) = (symbol, polygon(c, &p, points, holes, frame))
                {
                    paint(&mut terrain, &centres, &shape, symbol, c, &p);
                }
            }
            RawArea::Control {
                side,
                points,
                holes,
            } => {
                let symbol = c
                    .lookup(&format!("{p}.side"), side, &sides)
                    .map(|s| raw.sides[s].symbol);
                if let (Some(symbol), Some(shape)) = (symbol, polygon(c, &p, points, holes, frame))
                {
                    paint(&mut control, &centres, &shape, symbol, c, &p);
                }
            }
            RawArea::Front {
                left,
                right,
                points,
            } => {
                let l = c.lookup(&format!("{p}.left"), left, &sides);
                let r = c.lookup(&format!("{p}.right"), right, &sides);
                let line = line_km(c, &format!("{p}.points"), points, frame);
                if points.len() < 2 {
                    c.hint(
                        format!("{p}.points"),
                        format!("a front line needs two points or more, found {}", points.len()),
                        "give the line's points (latitude, longitude) from one edge of the map to the other",
                    );
                }
                if let (Some(l), Some(r), Some(line)) = (l, r, line.filter(|l| l.len() >= 2)) {
                    let (l, r) = (raw.sides[l].symbol, raw.sides[r].symbol);
                    for (cell, centre) in control.iter_mut().zip(&centres) {
                        *cell = Some(if left_of_line(*centre, &line) { l } else { r });
                    }
                }
            }
        }
    }
    let background = m.background.as_ref().and_then(|id| {
        c.lookup("map.background", id, &terrains)
            .map(|t| raw.terrain_types[t].symbol)
    });
    let terrain_rows = merge(c, &m.terrain, &terrain, cols, background, "map.terrain");
    let control_rows = merge(c, &m.control, &control, cols, Some('.'), "map.control");
    Some((terrain_rows?, control_rows?))
}

/// A polygon in map kilometres: its outline and holes, each checked to be closed.
struct Shape {
    outline: Vec<(f64, f64)>,
    holes: Vec<Vec<(f64, f64)>>,
}

impl Shape {
    fn contains(&self, p: (f64, f64)) -> bool {
        in_ring(p, &self.outline) && !self.holes.iter().any(|h| in_ring(p, h))
    }
}

/// The points of a line in map kilometres, each checked to be a latitude and longitude.
fn line_km(
    c: &mut Checker,
    path: &str,
    points: &[(f64, f64)],
    frame: &Frame,
) -> Option<Vec<(f64, f64)>> {
    let mut ok = true;
    for (k, &(lat, lon)) in points.iter().enumerate() {
        if !valid_latlon(lat, lon) {
            c.hint(
                format!("{path}[{k}]"),
                format!("({lat}, {lon}) is not a latitude and longitude"),
                "write (latitude, longitude) in decimal degrees",
            );
            ok = false;
        }
    }
    ok.then(|| {
        points
            .iter()
            .map(|&(lat, lon)| frame.to_km(crate::geo::LatLon { lat, lon }))
            .collect()
    })
}

/// Checks a ring: three corners at least, closed (its last point its first).
fn ring(
    c: &mut Checker,
    path: &str,
    points: &[(f64, f64)],
    frame: &Frame,
) -> Option<Vec<(f64, f64)>> {
    let km = line_km(c, path, points, frame)?;
    if points.len() < 4 {
        c.hint(
            path,
            format!("a polygon needs three corners or more and its first point again at the end, found {} points", points.len()),
            "list the corners (latitude, longitude) in order around it, then the first again",
        );
        return None;
    }
    let (first, last) = (points[0], points[points.len() - 1]);
    if first != last {
        c.hint(
            format!("{path}[{}]", points.len() - 1),
            format!(
                "the polygon does not close: its last point ({}, {}) is not its first ({}, {})",
                last.0, last.1, first.0, first.1
            ),
            format!(
                "end it with its first point again, ({}, {})",
                first.0, first.1
            ),
        );
        return None;
    }
    Some(km)
}

fn polygon(
    c: &mut Checker,
    p: &str,
    points: &[(f64, f64)],
    holes: &[Vec<(f64, f64)>],
    frame: &Frame,
) -> Option<Shape> {
    let outline = ring(c, &format!("{p}.points"), points, frame);
    let holes: Vec<Option<Vec<(f64, f64)>>> = holes
        .iter()
        .enumerate()
        .map(|(h, pts)| ring(c, &format!("{p}.holes[{h}]"), pts, frame))
        .collect();
    Some(Shape {
        outline: outline?,
        holes: holes.into_iter().collect::<Option<_>>()?,
    })
}

/// Gives every hex whose centre lies in the shape its symbol; an area that takes no hex is
/// a mistake (off the map, or smaller than a hex).
fn paint(
    cells: &mut [Option<char>],
    centres: &[(f64, f64)],
    shape: &Shape,
    symbol: char,
    c: &mut Checker,
    p: &str,
) {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in &shape.outline {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    let mut taken = 0;
    for (cell, &(x, y)) in cells.iter_mut().zip(centres) {
        if (x0..=x1).contains(&x) && (y0..=y1).contains(&y) && shape.contains((x, y)) {
            *cell = Some(symbol);
            taken += 1;
        }
    }
    if taken == 0 {
        c.hint(
            format!("{p}.points"),
            "the area holds the centre of no hex of the map",
            "check that it lies on the map (`railhead where` tells where a point falls) and is wider than a hex",
        );
    }
}

/// The rows: each given letter as written, `_` and missing rows from the areas, then the
/// fallback; a hex with none is an error.
fn merge(
    c: &mut Checker,
    given: &[String],
    areas: &[Option<char>],
    cols: usize,
    fallback: Option<char>,
    path: &str,
) -> Option<Vec<String>> {
    let rows = areas.len() / cols.max(1);
    let mut out = Vec::with_capacity(rows);
    let mut missing: Option<(usize, usize, usize)> = None; // (count, col, row) of the first
    let mut note = |col: usize, row: usize| {
        let m = missing.get_or_insert((0, col, row));
        m.0 += 1;
    };
    for row in 0..rows {
        let from_area = |col: usize| areas.get(row * cols + col).copied().flatten();
        // A row not given is a row of `_`: all from the areas.
        let blank = FROM_AREAS.to_string().repeat(cols);
        let text = given.get(row).map_or(blank.as_str(), String::as_str);
        let mut col = 0;
        let mut line = String::with_capacity(text.len());
        for ch in text.chars() {
            if ch == FROM_AREAS {
                if let Some(s) = from_area(col).or(fallback) {
                    line.push(s);
                } else {
                    note(col, row);
                    line.push(ch);
                }
            } else {
                line.push(ch);
            }
            if !ch.is_whitespace() {
                col += 1;
            }
        }
        out.push(line);
    }
    if let Some((n, col, row)) = missing {
        c.hint(
            if given.is_empty() { "map.areas".to_string() } else { format!("{path}[{row}]") },
            format!("{n} hexes have no terrain: no row or area gives one, the first at hex ({col}, {row})"),
            "give `background: \"...\"` (a terrain id) for the hexes no area covers, or an area over them",
        );
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawScenario {
        let text = include_str!("../../../tests/scenarios/tiny_valid.ron");
        crate::scenario::parse_raw(text, "tiny.ron").unwrap()
    }

    fn frame(raw: &RawScenario) -> Frame {
        let mut c = Checker::default();
        super::super::map::frame(&mut c, &raw.map).unwrap().frame
    }

    /// The corners of a box around the centres of hexes from `a` to `b`, closed.
    fn around(f: &Frame, a: Offset, b: Offset) -> Vec<(f64, f64)> {
        let (p, q) = (f.hex_center(a), f.hex_center(b));
        let pad = 0.01;
        let (n, s) = (p.lat.max(q.lat) + pad, p.lat.min(q.lat) - pad);
        let (w, e) = (p.lon.min(q.lon) - pad, p.lon.max(q.lon) + pad);
        vec![(n, w), (n, e), (s, e), (s, w), (n, w)]
    }

    #[test]
    fn areas_later_over_earlier_and_rows_over_areas() {
        let mut raw = raw();
        let f = frame(&raw);
        let forest = raw.terrain_types[1].clone();
        raw.map.size = Some((f.columns as u32, f.rows as u32));
        raw.map.terrain.clear();
        raw.map.control.clear();
        raw.map.background = Some(raw.terrain_types[0].id.clone());
        raw.map.areas = vec![
            RawArea::Terrain {
                terrain: forest.id.clone(),
                points: around(&f, Offset { col: 1, row: 1 }, Offset { col: 3, row: 2 }),
                holes: vec![],
            },
            RawArea::Front {
                left: raw.sides[1].id.clone(),
                right: raw.sides[0].id.clone(),
                // Walked south between columns 3 and 4: east of it is on the left.
                points: vec![
                    {
                        let p = f.hex_center(Offset { col: 3, row: 0 });
                        let q = f.hex_center(Offset { col: 4, row: 0 });
                        (p.lat + 0.2, f64::midpoint(p.lon, q.lon))
                    },
                    {
                        let p = f.hex_center(Offset { col: 3, row: 0 });
                        let q = f.hex_center(Offset { col: 4, row: 0 });
                        (p.lat - 2.0, f64::midpoint(p.lon, q.lon))
                    },
                ],
            },
        ];
        let mut c = Checker::default();
        let (terrain, control) = fill(&mut c, &raw, &f).unwrap();
        assert!(c.clean(), "{:?}", c.problems);
        let open = raw.terrain_types[0].symbol;
        assert_eq!(terrain[0].chars().nth(1), Some(open));
        assert_eq!(terrain[1].chars().nth(1), Some(forest.symbol));
        assert_eq!(terrain[2].chars().nth(3), Some(forest.symbol));
        assert_eq!(terrain[3].chars().nth(3), Some(open));
        let (a, b) = (raw.sides[0].symbol, raw.sides[1].symbol);
        assert_eq!(control[0].chars().nth(3), Some(a));
        assert_eq!(control[0].chars().nth(4), Some(b));
        // A row given with `_` takes the areas there and its own letters elsewhere.
        raw.map.terrain = vec!["_".repeat(f.columns as usize); f.rows as usize];
        raw.map.terrain[1] = format!("{}{}", open, "_".repeat(f.columns as usize - 1));
        let mut c = Checker::default();
        let (terrain, _) = fill(&mut c, &raw, &f).unwrap();
        assert_eq!(terrain[1].chars().next(), Some(open));
        assert_eq!(terrain[1].chars().nth(1), Some(forest.symbol));
        // Hex (1, 2) lies west of the box (even rows are not shifted), (2, 2) in it.
        assert_eq!(terrain[2].chars().nth(1), Some(open));
        assert_eq!(terrain[2].chars().nth(2), Some(forest.symbol));
    }

    #[test]
    fn an_open_polygon_and_an_unknown_side_are_errors_at_their_points() {
        let mut raw = raw();
        let f = frame(&raw);
        let mut points = around(&f, Offset { col: 1, row: 1 }, Offset { col: 2, row: 2 });
        points.pop();
        raw.map.areas = vec![
            RawArea::Control {
                side: "xx".into(),
                points: points.clone(),
                holes: vec![],
            },
            RawArea::Terrain {
                terrain: raw.terrain_types[0].id.clone(),
                points,
                holes: vec![],
            },
        ];
        let mut c = Checker::default();
        assert!(fill(&mut c, &raw, &f).is_some());
        let found: Vec<&str> = c.problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            found,
            vec![
                "map.areas[0].side",
                "map.areas[0].points[3]",
                "map.areas[1].points[3]"
            ]
        );
        assert!(
            c.problems[1].message.contains("does not close"),
            "{:?}",
            c.problems[1]
        );
    }

    #[test]
    fn hexes_no_area_covers_need_a_background() {
        let mut raw = raw();
        let f = frame(&raw);
        raw.map.size = Some((f.columns as u32, f.rows as u32));
        raw.map.terrain.clear();
        raw.map.areas = vec![RawArea::Terrain {
            terrain: raw.terrain_types[0].id.clone(),
            points: around(&f, Offset { col: 0, row: 0 }, Offset { col: 1, row: 1 }),
            holes: vec![],
        }];
        let mut c = Checker::default();
        assert!(fill(&mut c, &raw, &f).is_none());
        assert_eq!(c.problems[0].path, "map.areas");
        assert!(
            c.problems[0].message.contains("the first at hex (2, 0)"),
            "{:?}",
            c.problems
        );
    }
}
