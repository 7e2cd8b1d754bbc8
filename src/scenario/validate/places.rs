//! Places (towns and other named points), and the [`Resolver`] every later section uses to
//! turn a location (latitude and longitude, a hex, or a place's name) into a hex.

use std::collections::HashMap;

use super::super::error::suggest;
use super::super::model::Place;
use super::super::raw::{Location, RawScenario};
use super::check::{Checker, Names, valid_latlon};
use crate::geo::{self, Frame, LatLon, Offset};

/// The places, and what the resolver needs of them.
#[derive(Debug, Clone, Default)]
pub struct Places {
    /// The valid places, in the file's order.
    pub places: Vec<Place>,
    /// Place names, to resolve references.
    pub ids: Names,
    /// The hex of each place of the file (by the file's index), if it is valid.
    pub hexes: Vec<Option<Offset>>,
    /// Index of each valid place's name in `places`.
    pub index: HashMap<String, usize>,
}

impl Places {
    /// The resolver of locations on this frame.
    pub fn resolver<'a>(&'a self, frame: &'a Frame) -> Resolver<'a> {
        Resolver {
            frame,
            places: &self.ids,
            place_hexes: &self.hexes,
        }
    }
}

/// Checks the places and puts each in its hex.
pub fn places(c: &mut Checker, raw: &RawScenario, frame: &Frame) -> Places {
    let ids = c.names(
        "places",
        "place",
        raw.places.iter().map(|p| p.name.as_str()),
    );
    let mut place_hexes: Vec<Option<Offset>> = Vec::new();
    let mut places = Vec::new();
    for (i, p) in raw.places.iter().enumerate() {
        let path = format!("places[{i}].at");
        let (pos, hex) = match &p.at {
            Location::LatLon(lat, lon) if valid_latlon(*lat, *lon) => {
                let pos = LatLon {
                    lat: *lat,
                    lon: *lon,
                };
                (Some(pos), Some(frame.project(pos)))
            }
            Location::LatLon(lat, lon) => {
                c.hint(
                    &path,
                    format!(
                        "place `{}`: ({lat}, {lon}) is not a latitude and longitude",
                        p.name
                    ),
                    "write LatLon(latitude, longitude) in decimal degrees",
                );
                (None, None)
            }
            Location::Hex(col, row) => {
                let o = Offset {
                    col: *col,
                    row: *row,
                };
                (Some(frame.hex_center(o)), Some(o))
            }
            Location::Place(other) => {
                c.hint(
                    &path,
                    format!("place `{}` is given by another place (`{other}`)", p.name),
                    "give a place by LatLon(latitude, longitude) or Hex(column, row)",
                );
                (None, None)
            }
        };
        let hex = match hex {
            Some(h) if frame.contains(h) => Some(h),
            Some(h) => {
                let (nw, se) = frame.bounds();
                c.hint(
                    &path,
                    format!(
                        "place `{}` lies outside the map, in hex {h}, {}",
                        p.name,
                        frame.beyond(h)
                    ),
                    format!(
                        "the map covers latitude {:.2} to {:.2} and longitude {:.2} to {:.2}",
                        se.lat, nw.lat, nw.lon, se.lon
                    ),
                );
                None
            }
            None => None,
        };
        place_hexes.push(hex);
        if let (Some(position), Some(hex)) = (pos, hex) {
            places.push(Place {
                name: p.name.clone(),
                position,
                hex,
                size: p.size,
            });
        }
    }
    // Index of each valid place's name in the final list.
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, p) in places.iter().enumerate() {
        index.entry(p.name.clone()).or_insert(i);
    }
    Places {
        places,
        ids,
        hexes: place_hexes,
        index,
    }
}

/// Turns locations into hexes, and waypoints into lines of hexes.
pub struct Resolver<'a> {
    /// The map frame.
    pub frame: &'a Frame,
    places: &'a Names,
    place_hexes: &'a [Option<Offset>],
}

impl Resolver<'_> {
    /// Resolves a location to a hex; `on_map` demands that it lie on the map.
    pub fn hex(
        &self,
        c: &mut Checker,
        path: &str,
        what: &str,
        loc: &Location,
        on_map: bool,
    ) -> Option<Offset> {
        let (hex, described) = match loc {
            Location::LatLon(lat, lon) => {
                if !valid_latlon(*lat, *lon) {
                    c.hint(path, format!("{what}: ({lat}, {lon}) is not a latitude and longitude"), "write LatLon(latitude, longitude) in decimal degrees, e.g. LatLon(49.71, 37.62)");
                    return None;
                }
                (
                    self.frame.project(LatLon {
                        lat: *lat,
                        lon: *lon,
                    }),
                    format!("at ({lat}, {lon})"),
                )
            }
            Location::Hex(col, row) => (
                Offset {
                    col: *col,
                    row: *row,
                },
                String::new(),
            ),
            Location::Place(name) => {
                if let Some(i) = self.places.get(name) {
                    (self.place_hexes[i]?, format!("at place `{name}`"))
                } else {
                    c.hint(
                        path,
                        format!("{what}: there is no place named `{name}`"),
                        suggest(name, self.places.all.iter().map(String::as_str)),
                    );
                    return None;
                }
            }
        };
        if on_map && !self.frame.contains(hex) {
            let (nw, se) = self.frame.bounds();
            c.hint(
                path,
                if described.is_empty() { format!("{what} lies outside the map, in hex {hex}, {}", self.frame.beyond(hex)) } else { format!("{what} {described} lies outside the map, in hex {hex}, {}", self.frame.beyond(hex)) },
                format!(
                    "the map has columns 0-{} and rows 0-{}, covering latitude {:.2} to {:.2} and longitude {:.2} to {:.2}",
                    self.frame.columns - 1,
                    self.frame.rows - 1,
                    se.lat,
                    nw.lat,
                    nw.lon,
                    se.lon
                ),
            );
            return None;
        }
        Some(hex)
    }

    /// Resolves waypoints and joins them by straight hex lines.
    pub fn path(
        &self,
        c: &mut Checker,
        what: &str,
        points: &[(String, &Location)],
    ) -> Option<Vec<Offset>> {
        let mut hexes: Vec<Offset> = Vec::new();
        let mut ok = true;
        for (path, loc) in points {
            match self.hex(c, path, what, loc, true) {
                Some(h) => match hexes.last() {
                    None => hexes.push(h),
                    Some(last) => {
                        let line: Vec<Offset> = geo::offset_to_hex(*last)
                            .line_to(geo::offset_to_hex(h))
                            .map(geo::hex_to_offset)
                            .collect();
                        hexes.extend(line.into_iter().skip(1));
                    }
                },
                None => ok = false,
            }
        }
        ok.then_some(hexes)
    }
}
