//! The map frame: where the map lies on the globe, its hex size, and the shape of its rows
//! of terrain and control. Without a sound frame no position can be checked, so problems
//! here stop validation.

use super::super::raw::RawMap;
use super::check::{Checker, valid_latlon};
use super::ranges::{self, MAX_MAP_SIDE};
use crate::geo::{Frame, LatLon};

/// The map frame, with its size in hexes.
#[derive(Debug, Clone)]
pub struct MapFrame {
    /// The frame.
    pub frame: Frame,
    /// Hexes in a row.
    pub columns: usize,
}

/// Hexes in a row of map text (spaces are ignored).
pub fn row_cells(s: &str) -> usize {
    s.chars().filter(|ch| !ch.is_whitespace()).count()
}

/// Checks the map and builds its frame; `None` when the map is too large to go on.
pub fn frame(c: &mut Checker, m: &RawMap) -> Option<MapFrame> {
    c.ranges("map", m, ranges::MAP);
    if !valid_latlon(m.origin.0, m.origin.1) || m.origin.0.abs() > 80.0 {
        c.hint(
            "map.origin",
            format!(
                "map.origin ({}, {}) is not a latitude and longitude",
                m.origin.0, m.origin.1
            ),
            "write (latitude, longitude) in decimal degrees, within 80 degrees of the equator",
        );
    }
    let given = m.size.map(|(c, r)| (c as usize, r as usize));
    let rows = if m.terrain.is_empty() {
        given.map_or(0, |g| g.1)
    } else {
        m.terrain.len()
    };
    if rows == 0 {
        c.hint(
            "map.terrain",
            "the map has no rows of terrain",
            "give rows of terrain symbols, or `size: (columns, rows)` with `areas`",
        );
    }
    if !c.count("map.terrain", "map rows", rows, MAX_MAP_SIDE) {
        return None;
    }
    let columns = match m.terrain.first() {
        Some(r) => row_cells(r),
        None => given.map_or(0, |g| g.0),
    };
    if rows > 0 && columns == 0 {
        c.err("map.terrain[0]", "the first row of the map is empty");
    }
    if !c.count("map.terrain[0]", "map columns", columns, MAX_MAP_SIDE) {
        return None;
    }
    if let Some(g) = given.filter(|_| !m.terrain.is_empty())
        && g != (columns, rows)
    {
        c.hint(
            "map.size",
            format!(
                "map.size is ({}, {}), but the rows of terrain make {columns} columns and {rows} rows",
                g.0, g.1
            ),
            "give the size the rows have, or leave `size` out",
        );
    }
    for (i, row) in m.terrain.iter().enumerate() {
        let n = row_cells(row);
        if n != columns {
            c.hint(
                format!("map.terrain[{i}]"),
                format!("row {i} of map.terrain has {n} hexes, but row 0 has {columns}"),
                "every row must have the same number of hexes (spaces are ignored)",
            );
        }
    }
    let from_areas = m.control.is_empty() && !m.areas.is_empty();
    if m.control.len() != rows && !from_areas {
        c.hint(
            "map.control",
            format!(
                "map.control has {} rows, but the map has {rows}",
                m.control.len()
            ),
            if m.areas.is_empty() {
                "give one control row for each terrain row (or `Control` or `Front` areas)"
            } else {
                "give one control row for each terrain row, or none to take control from the areas"
            },
        );
    }
    for (i, row) in m.control.iter().enumerate() {
        let n = row_cells(row);
        if n != columns {
            c.hint(
                format!("map.control[{i}]"),
                format!("row {i} of map.control has {n} hexes, but the map has {columns} columns"),
                "every row must have the same number of hexes (spaces are ignored)",
            );
        }
    }
    let mut frame = Frame {
        origin: LatLon {
            lat: m.origin.0,
            lon: m.origin.1,
        },
        hex_km: m.hex_km,
        reference_lat: m.origin.0,
        columns: i32::try_from(columns).unwrap_or(0),
        rows: i32::try_from(rows).unwrap_or(0),
    };
    frame.reference_lat = m.reference_lat.unwrap_or_else(|| {
        let (nw, se) = frame.bounds();
        f64::midpoint(nw.lat, se.lat)
    });
    Some(MapFrame { frame, columns })
}
