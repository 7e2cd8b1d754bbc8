//! From the file's raw types to a [`Scenario`]: resolve every name and position, check
//! every number, and report every problem found (not only the first).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use petgraph::unionfind::UnionFind;

use super::error::{Problem, suggest};
use super::model::*;
use super::raw::*;
use crate::geo::{self, Frame, LatLon, Offset};

/// Largest map side, in hexes: a guard against files that would exhaust memory.
pub const MAX_MAP_SIDE: usize = 400;
/// Most units a scenario may hold.
pub const MAX_UNITS: usize = 5_000;
/// Most items in any other list (places, rail links, river points ...).
pub const MAX_ITEMS: usize = 20_000;
/// Most sides a scenario may have.
pub const MAX_SIDES: usize = 16;
/// Most turns a scenario may last.
pub const MAX_TURNS: u32 = 1_000;
/// Largest tonnage anywhere (capacity, stock, supply), tonnes.
pub const MAX_TONNES: u32 = 100_000_000;

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn err(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            column_offset: 0,
            message: message.into(),
            hint: None,
        });
    }

    fn hint(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.problems.push(Problem {
            path: path.into(),
            column_offset: 0,
            message: message.into(),
            hint: Some(hint.into()),
        });
    }

    fn range_f(&mut self, path: &str, what: &str, v: f64, lo: f64, hi: f64) {
        if !(lo..=hi).contains(&v) {
            self.err(
                path,
                format!("{what} is {v}, out of range: it must lie from {lo} to {hi}"),
            );
        }
    }

    fn range_u(&mut self, path: &str, what: &str, v: u32, lo: u32, hi: u32) {
        if !(lo..=hi).contains(&v) {
            self.err(
                path,
                format!("{what} is {v}, out of range: it must lie from {lo} to {hi}"),
            );
        }
    }

    fn count(&mut self, path: &str, what: &str, n: usize, max: usize) -> bool {
        if n > max {
            self.err(path, format!("too many {what}: {n}; the limit is {max}"));
            return false;
        }
        true
    }

    /// Checks names are unique and not empty; returns name -> index.
    fn names<'a>(
        &mut self,
        list: &str,
        what: &str,
        names: impl Iterator<Item = &'a str>,
    ) -> HashMap<String, usize> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, name) in names.enumerate() {
            let path = format!("{list}[{i}].name");
            if name.trim().is_empty() {
                self.err(&path, format!("{what} name is empty"));
            } else if let Some(first) = seen.get(name) {
                self.hint(
                    &path,
                    format!("two {what}s are named `{name}`"),
                    format!("the first is {list}[{first}]; names must be unique"),
                );
            } else {
                seen.insert(name.to_string(), i);
            }
        }
        seen
    }

    fn colour(&mut self, path: &str, s: &str) -> Rgb {
        Rgb::parse(s).unwrap_or_else(|| {
            self.hint(
                path,
                format!("`{s}` is not a colour"),
                "write it as \"#rrggbb\", e.g. \"#3a7d44\"",
            );
            Rgb(128, 128, 128)
        })
    }

    fn lookup(
        &mut self,
        path: &str,
        what: &str,
        name: &str,
        table: &HashMap<String, usize>,
        names: &[&str],
    ) -> Option<usize> {
        match table.get(name) {
            Some(i) => Some(*i),
            None => {
                self.hint(
                    path,
                    format!("there is no {what} named `{name}`"),
                    suggest(name, names.iter().copied()),
                );
                None
            }
        }
    }
}

fn valid_latlon(lat: f64, lon: f64) -> bool {
    (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)
}

struct Resolver<'a> {
    frame: &'a Frame,
    places: &'a HashMap<String, usize>,
    place_names: Vec<&'a str>,
    place_hexes: &'a [Option<Offset>],
}

impl Resolver<'_> {
    /// Resolves a location to a hex; `on_map` demands that it lie on the map.
    fn hex(
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
            Location::Place(name) => match self.places.get(name) {
                Some(i) => (self.place_hexes[*i]?, format!("at place `{name}`")),
                None => {
                    c.hint(
                        path,
                        format!("{what}: there is no place named `{name}`"),
                        suggest(name, self.place_names.iter().copied()),
                    );
                    return None;
                }
            },
        };
        if on_map && !self.frame.contains(hex) {
            let (nw, se) = self.frame.bounds();
            c.hint(
                path,
                if described.is_empty() { format!("{what} lies outside the map, in hex {hex}") } else { format!("{what} {described} lies outside the map, in hex {hex}") },
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
    fn path(
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

/// Validates a parsed scenario file.
pub fn validate(raw: &RawScenario) -> Result<Scenario, Vec<Problem>> {
    let mut c = Checker {
        problems: Vec::new(),
    };

    if raw.name.trim().is_empty() {
        c.err("name", "the scenario has no name");
    }
    c.range_u("turns", "turns", raw.turns, 1, MAX_TURNS);

    // Sizes first: nothing below should loop over absurd lists.
    let lists: [(&str, &str, usize, usize); 13] = [
        ("units", "units", raw.units.len(), MAX_UNITS),
        ("places", "places", raw.places.len(), MAX_ITEMS),
        ("rail.nodes", "rail nodes", raw.rail.nodes.len(), MAX_ITEMS),
        ("rail.links", "rail links", raw.rail.links.len(), MAX_ITEMS),
        (
            "rail.sources",
            "supply sources",
            raw.rail.sources.len(),
            MAX_ITEMS,
        ),
        ("depots", "depots", raw.depots.len(), MAX_ITEMS),
        ("groupings", "groupings", raw.groupings.len(), MAX_ITEMS),
        ("rivers", "rivers", raw.rivers.len(), MAX_ITEMS),
        ("roads", "roads", raw.roads.len(), MAX_ITEMS),
        ("border", "border points", raw.border.len(), MAX_ITEMS),
        ("events", "events", raw.events.len(), MAX_ITEMS),
        (
            "terrain_types",
            "terrain types",
            raw.terrain_types.len(),
            64,
        ),
        ("sides", "sides", raw.sides.len(), MAX_SIDES),
    ];
    let mut sizes_ok = true;
    for (path, what, n, max) in lists {
        sizes_ok &= c.count(path, what, n, max);
    }
    let point_total: usize = raw.rivers.iter().map(|r| r.course.len()).sum::<usize>()
        + raw.roads.iter().map(|r| r.route.len()).sum::<usize>()
        + raw.rail.links.iter().map(|l| l.via.len()).sum::<usize>();
    sizes_ok &= c.count(
        "rivers",
        "points in rivers, roads and rail links together",
        point_total,
        MAX_ITEMS * 5,
    );
    if !sizes_ok {
        return Err(c.problems);
    }

    // --- The map frame and its rows ---
    let m = &raw.map;
    c.range_f("map.hex_km", "map.hex_km", m.hex_km, 0.5, 50.0);
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
    let rows = m.terrain.len();
    if rows == 0 {
        c.err("map.terrain", "the map has no rows of terrain");
    }
    if !c.count("map.terrain", "map rows", rows, MAX_MAP_SIDE) {
        return Err(c.problems);
    }
    let row_cells = |s: &str| s.chars().filter(|ch| !ch.is_whitespace()).count();
    let columns = m.terrain.first().map(|r| row_cells(r)).unwrap_or(0);
    if rows > 0 && columns == 0 {
        c.err("map.terrain[0]", "the first row of the map is empty");
    }
    if !c.count("map.terrain[0]", "map columns", columns, MAX_MAP_SIDE) {
        return Err(c.problems);
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
    if m.control.len() != rows {
        c.hint(
            "map.control",
            format!(
                "map.control has {} rows, but map.terrain has {rows}",
                m.control.len()
            ),
            "give one control row for each terrain row",
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
    if let Some(lat) = m.reference_lat {
        c.range_f("map.reference_lat", "map.reference_lat", lat, -80.0, 80.0);
    }
    if !c.problems.is_empty() {
        // Without a sound frame no position can be checked.
        return Err(c.problems);
    }
    let mut frame = Frame {
        origin: LatLon {
            lat: m.origin.0,
            lon: m.origin.1,
        },
        hex_km: m.hex_km,
        reference_lat: m.origin.0,
        columns: columns as i32,
        rows: rows as i32,
    };
    frame.reference_lat = m.reference_lat.unwrap_or_else(|| {
        let (nw, se) = frame.bounds();
        (nw.lat + se.lat) / 2.0
    });

    // --- Terrain types and rows ---
    // Ids are checked for clashes; terrain is referred to by symbol.
    c.names(
        "terrain_types",
        "terrain type",
        raw.terrain_types.iter().map(|t| t.id.as_str()),
    );
    let mut terrain_types = Vec::new();
    let pattern_ids: HashMap<String, usize> = TERRAIN_PATTERNS
        .iter()
        .enumerate()
        .map(|(i, p)| (p.to_string(), i))
        .collect();
    let mut by_symbol: BTreeMap<char, usize> = BTreeMap::new();
    for (i, t) in raw.terrain_types.iter().enumerate() {
        let p = format!("terrain_types[{i}]");
        if t.symbol.is_whitespace() {
            c.err(format!("{p}.symbol"), "a terrain symbol cannot be a space");
        } else if let Some(first) = by_symbol.get(&t.symbol) {
            c.err(
                format!("{p}.symbol"),
                format!(
                    "symbol '{}' is already used by terrain type `{}`",
                    t.symbol, raw.terrain_types[*first].id
                ),
            );
        } else {
            by_symbol.insert(t.symbol, i);
        }
        c.range_u(&format!("{p}.move_cost"), "move_cost", t.move_cost, 1, 100);
        c.range_f(&format!("{p}.defence"), "defence", t.defence, 0.1, 10.0);
        let colour = c.colour(&format!("{p}.colour"), &t.colour);
        let pattern = match &t.pattern {
            None => 0,
            Some(name) => c
                .lookup(
                    &format!("{p}.pattern"),
                    "terrain pattern",
                    name,
                    &pattern_ids,
                    &TERRAIN_PATTERNS,
                )
                .unwrap_or(0),
        };
        terrain_types.push(TerrainType {
            id: t.id.clone(),
            symbol: t.symbol,
            move_cost: t.move_cost,
            defence: t.defence,
            colour,
            pattern,
        });
    }
    if raw.terrain_types.is_empty() {
        c.err("terrain_types", "no terrain types are defined");
    }
    let symbols: String = by_symbol.keys().map(|ch| format!("'{ch}' ")).collect();
    let mut terrain = Vec::with_capacity(rows * columns);
    for (r, row) in m.terrain.iter().enumerate() {
        for (ci, ch) in row.chars().enumerate() {
            if ch.is_whitespace() {
                continue;
            }
            match by_symbol.get(&ch) {
                Some(t) => terrain.push(*t),
                None => {
                    terrain.push(0);
                    c.problems.push(Problem {
                        path: format!("map.terrain[{r}]"),
                        column_offset: ci + 1,
                        message: format!("unknown terrain symbol '{ch}' in row {r}"),
                        hint: Some(format!("terrain_types define: {}", symbols.trim_end())),
                    });
                }
            }
        }
    }

    // --- Sides and control ---
    let side_ids = c.names("sides", "side", raw.sides.iter().map(|s| s.id.as_str()));
    let side_names: Vec<&str> = raw.sides.iter().map(|s| s.id.as_str()).collect();
    let mut sides = Vec::new();
    let mut side_by_symbol: BTreeMap<char, usize> = BTreeMap::new();
    for (i, s) in raw.sides.iter().enumerate() {
        let p = format!("sides[{i}]");
        if s.id.trim().is_empty() {
            c.err(format!("{p}.id"), "a side id is empty");
        }
        if s.symbol.is_whitespace() || s.symbol == '.' {
            c.err(
                format!("{p}.symbol"),
                "a side symbol cannot be a space or '.' (which marks hexes nobody holds)",
            );
        } else if let Some(first) = side_by_symbol.insert(s.symbol, i) {
            c.err(
                format!("{p}.symbol"),
                format!(
                    "symbol '{}' is already used by side `{}`",
                    s.symbol, raw.sides[first].id
                ),
            );
        }
        let colour = c.colour(&format!("{p}.colour"), &s.colour);
        sides.push(Side {
            id: s.id.clone(),
            name: s.name.clone(),
            symbol: s.symbol,
            colour,
        });
    }
    if raw.sides.len() < 2 {
        c.err(
            "sides",
            format!(
                "a scenario needs at least two sides, found {}",
                raw.sides.len()
            ),
        );
    }
    let side_of =
        |c: &mut Checker, path: &str, id: &str| c.lookup(path, "side", id, &side_ids, &side_names);
    let mut control = Vec::with_capacity(rows * columns);
    for (r, row) in m.control.iter().enumerate() {
        for (ci, ch) in row.chars().enumerate() {
            if ch.is_whitespace() {
                continue;
            }
            if ch == '.' {
                control.push(None);
            } else if let Some(s) = side_by_symbol.get(&ch) {
                control.push(Some(*s));
            } else {
                control.push(None);
                let known: String = side_by_symbol.keys().map(|k| format!("'{k}' ")).collect();
                c.problems.push(Problem {
                    path: format!("map.control[{r}]"),
                    column_offset: ci + 1,
                    message: format!("unknown control symbol '{ch}' in row {r}"),
                    hint: Some(format!(
                        "use a side's symbol ({}) or '.' for nobody",
                        known.trim_end()
                    )),
                });
            }
        }
    }

    // --- Places ---
    let place_ids = c.names(
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
                    format!("place `{}` lies outside the map, in hex {h}", p.name),
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
    let resolver = Resolver {
        frame: &frame,
        places: &place_ids,
        place_names: raw.places.iter().map(|p| p.name.as_str()).collect(),
        place_hexes: &place_hexes,
    };
    // Index of each raw place in the final list (skipping invalid ones).
    let mut place_final: HashMap<String, usize> = HashMap::new();
    for (i, p) in places.iter().enumerate() {
        place_final.entry(p.name.clone()).or_insert(i);
    }

    // --- Rivers and their crossings ---
    c.names(
        "rivers",
        "river",
        raw.rivers.iter().map(|r| r.name.as_str()),
    );
    let mut rivers = Vec::new();
    let mut crossings = Vec::new();
    let mut river_edges: BTreeMap<(Offset, Offset), RiverEdge> = BTreeMap::new();
    for (ri, r) in raw.rivers.iter().enumerate() {
        let p = format!("rivers[{ri}]");
        if r.course.len() < 2 {
            c.err(
                format!("{p}.course"),
                format!("river `{}` needs at least two points", r.name),
            );
            continue;
        }
        let mut course = Vec::new();
        for (k, (lat, lon)) in r.course.iter().enumerate() {
            if valid_latlon(*lat, *lon) {
                course.push(LatLon {
                    lat: *lat,
                    lon: *lon,
                });
            } else {
                c.hint(
                    format!("{p}.course[{k}]"),
                    format!("({lat}, {lon}) is not a latitude and longitude"),
                    "write (latitude, longitude) in decimal degrees",
                );
            }
        }
        if let Some(cost) = r.crossing_cost {
            c.range_u(&format!("{p}.crossing_cost"), "crossing_cost", cost, 0, 100);
        }
        c.range_u(&format!("{p}.ford_cost"), "ford_cost", r.ford_cost, 0, 100);
        let index = rivers.len();
        for (a, b) in river_hex_sides(&frame, &course) {
            river_edges.entry((a, b)).or_insert(RiverEdge {
                river: index,
                crossing: None,
            });
        }
        for (k, x) in r.crossings.iter().enumerate() {
            let path = format!("{p}.crossings[{k}].at");
            let Some(hex) = resolver.hex(
                &mut c,
                &path,
                &format!("crossing `{}`", x.name),
                &x.at,
                true,
            ) else {
                continue;
            };
            let touching: Vec<(Offset, Offset)> = river_edges
                .iter()
                .filter(|((a, b), e)| e.river == index && (*a == hex || *b == hex))
                .map(|(k, _)| *k)
                .collect();
            if touching.is_empty() {
                c.hint(
                    &path,
                    format!(
                        "crossing `{}` in hex {hex} is not beside river `{}`",
                        x.name, r.name
                    ),
                    "put it in a hex the river runs along (see `railhead map`)",
                );
                continue;
            }
            let id = crossings.len();
            crossings.push(Crossing {
                name: x.name.clone(),
                river: index,
                hex,
                kind: x.kind,
                intact: x.intact,
            });
            for key in touching {
                if let Some(e) = river_edges.get_mut(&key) {
                    e.crossing = Some(id);
                }
            }
        }
        rivers.push(River {
            name: r.name.clone(),
            course,
            crossing_cost: r.crossing_cost,
            ford_cost: r.ford_cost,
        });
    }

    // --- Roads ---
    let mut roads = Vec::new();
    let mut road_edges = BTreeSet::new();
    for (i, r) in raw.roads.iter().enumerate() {
        let p = format!("roads[{i}]");
        if r.route.len() < 2 {
            c.err(
                format!("{p}.route"),
                format!("road `{}` needs at least two points", r.name),
            );
            continue;
        }
        let points: Vec<(String, &Location)> = r
            .route
            .iter()
            .enumerate()
            .map(|(k, l)| (format!("{p}.route[{k}]"), l))
            .collect();
        if let Some(hexes) = resolver.path(&mut c, &format!("road `{}`", r.name), &points) {
            for w in hexes.windows(2) {
                road_edges.insert(edge_key(w[0], w[1]));
            }
            roads.push(Road {
                name: r.name.clone(),
                hexes,
            });
        }
    }

    // --- Border ---
    let mut border = Vec::new();
    for (k, (lat, lon)) in raw.border.iter().enumerate() {
        if valid_latlon(*lat, *lon) {
            border.push(LatLon {
                lat: *lat,
                lon: *lon,
            });
        } else {
            c.hint(
                format!("border[{k}]"),
                format!("({lat}, {lon}) is not a latitude and longitude"),
                "write (latitude, longitude) in decimal degrees",
            );
        }
    }

    // --- Rail network ---
    let node_ids = c.names(
        "rail.nodes",
        "rail node",
        raw.rail.nodes.iter().map(|n| n.name.as_str()),
    );
    let node_names: Vec<&str> = raw.rail.nodes.iter().map(|n| n.name.as_str()).collect();
    let mut node_hexes: Vec<Option<Offset>> = Vec::new();
    for (i, n) in raw.rail.nodes.iter().enumerate() {
        node_hexes.push(resolver.hex(
            &mut c,
            &format!("rail.nodes[{i}].at"),
            &format!("rail node `{}`", n.name),
            &n.at,
            true,
        ));
    }
    c.names(
        "rail.links",
        "rail link",
        raw.rail.links.iter().map(|l| l.name.as_str()),
    );
    let mut rail_links = Vec::new();
    let mut network = UnionFind::<usize>::new(raw.rail.nodes.len());
    for (i, l) in raw.rail.links.iter().enumerate() {
        let p = format!("rail.links[{i}]");
        let from = c.lookup(
            &format!("{p}.from"),
            "rail node",
            &l.from,
            &node_ids,
            &node_names,
        );
        let to = c.lookup(
            &format!("{p}.to"),
            "rail node",
            &l.to,
            &node_ids,
            &node_names,
        );
        c.range_u(
            &format!("{p}.capacity"),
            "capacity",
            l.capacity,
            1,
            MAX_TONNES,
        );
        let (Some(from), Some(to)) = (from, to) else {
            continue;
        };
        if from == to {
            c.err(
                format!("{p}.to"),
                format!("rail link `{}` runs from `{}` to itself", l.name, l.from),
            );
            continue;
        }
        let (Some(fh), Some(th)) = (node_hexes[from], node_hexes[to]) else {
            continue;
        };
        let from_loc = Location::Hex(fh.col, fh.row);
        let to_loc = Location::Hex(th.col, th.row);
        let mut points: Vec<(String, &Location)> = vec![(format!("{p}.from"), &from_loc)];
        points.extend(
            l.via
                .iter()
                .enumerate()
                .map(|(k, v)| (format!("{p}.via[{k}]"), v)),
        );
        points.push((format!("{p}.to"), &to_loc));
        if let Some(hexes) = resolver.path(&mut c, &format!("rail link `{}`", l.name), &points) {
            network.union(from, to);
            rail_links.push(RailLink {
                name: l.name.clone(),
                from,
                to,
                capacity: l.capacity,
                hexes,
                mode: l.mode,
            });
        }
    }
    let rail_nodes: Vec<RailNode> = raw
        .rail
        .nodes
        .iter()
        .zip(&node_hexes)
        .map(|(n, h)| RailNode {
            name: n.name.clone(),
            hex: h.unwrap_or(Offset { col: 0, row: 0 }),
        })
        .collect();
    c.names(
        "rail.sources",
        "supply source",
        raw.rail.sources.iter().map(|s| s.name.as_str()),
    );
    let mut sources = Vec::new();
    for (i, s) in raw.rail.sources.iter().enumerate() {
        let p = format!("rail.sources[{i}]");
        let side = side_of(&mut c, &format!("{p}.side"), &s.side);
        let node = c.lookup(
            &format!("{p}.node"),
            "rail node",
            &s.node,
            &node_ids,
            &node_names,
        );
        c.range_u(&format!("{p}.supply"), "supply", s.supply, 0, MAX_TONNES);
        if let (Some(side), Some(node)) = (side, node) {
            sources.push(SupplySource {
                name: s.name.clone(),
                side,
                node,
                supply: s.supply,
            });
        }
    }

    // --- Depots ---
    c.names(
        "depots",
        "depot",
        raw.depots.iter().map(|d| d.name.as_str()),
    );
    let mut depots = Vec::new();
    for (i, d) in raw.depots.iter().enumerate() {
        let p = format!("depots[{i}]");
        let side = side_of(&mut c, &format!("{p}.side"), &d.side);
        let node = c.lookup(
            &format!("{p}.node"),
            "rail node",
            &d.node,
            &node_ids,
            &node_names,
        );
        c.range_u(
            &format!("{p}.capacity"),
            "capacity",
            d.capacity,
            1,
            MAX_TONNES,
        );
        c.range_u(&format!("{p}.range"), "range", d.range, 1, 200);
        if d.stock > d.capacity {
            c.hint(
                format!("{p}.stock"),
                format!(
                    "depot `{}` starts with {} t, more than its capacity of {} t",
                    d.name, d.stock, d.capacity
                ),
                "lower the stock or raise the capacity",
            );
        }
        let (Some(side), Some(node)) = (side, node) else {
            continue;
        };
        let fed = sources
            .iter()
            .any(|s| s.side == side && network.equiv(s.node, node));
        if !fed {
            let own: Vec<&str> = sources
                .iter()
                .filter(|s| s.side == side)
                .map(|s| s.name.as_str())
                .collect();
            c.hint(
                format!("{p}.node"),
                format!("depot `{}` at rail node `{}` is not connected by rail to any supply source of side `{}`", d.name, d.node, d.side),
                if own.is_empty() { format!("side `{}` has no supply source in rail.sources", d.side) } else { format!("add rail links from `{}` to the network of: {}", d.node, own.join(", ")) },
            );
        }
        let Some(hex) = node_hexes[node] else {
            continue;
        };
        depots.push(Depot {
            name: d.name.clone(),
            side,
            node,
            hex,
            stock: d.stock,
            capacity: d.capacity,
            range: d.range,
        });
    }

    // --- Groupings ---
    let grouping_ids = c.names(
        "groupings",
        "grouping",
        raw.groupings.iter().map(|g| g.name.as_str()),
    );
    let grouping_names: Vec<&str> = raw.groupings.iter().map(|g| g.name.as_str()).collect();
    let mut groupings = Vec::new();
    for (i, g) in raw.groupings.iter().enumerate() {
        let p = format!("groupings[{i}]");
        let side = side_of(&mut c, &format!("{p}.side"), &g.side);
        let fallback: Vec<Offset> = g
            .fallback
            .iter()
            .enumerate()
            .filter_map(|(k, l)| {
                resolver.hex(
                    &mut c,
                    &format!("{p}.fallback[{k}]"),
                    &format!("fallback of `{}`", g.name),
                    l,
                    true,
                )
            })
            .collect();
        groupings.push(Grouping {
            name: g.name.clone(),
            side: side.unwrap_or(0),
            fallback,
        });
    }

    // --- Events (resolved before units, which carry their dates) ---
    let unit_ids = c.names("units", "unit", raw.units.iter().map(|u| u.name.as_str()));
    let unit_names: Vec<&str> = raw.units.iter().map(|u| u.name.as_str()).collect();
    let mut arrives: HashMap<usize, chrono::NaiveDate> = HashMap::new();
    let mut departs: HashMap<usize, chrono::NaiveDate> = HashMap::new();
    for (i, e) in raw.events.iter().enumerate() {
        let p = format!("events[{i}]");
        match e {
            RawEvent::Reinforcement { date, unit } => {
                if let Some(u) =
                    c.lookup(&format!("{p}.unit"), "unit", unit, &unit_ids, &unit_names)
                {
                    if *date < raw.start_date {
                        c.hint(format!("{p}.date"), format!("reinforcement `{unit}` arrives on {date}, before the scenario starts ({})", raw.start_date), "a unit there from the start needs no event");
                    }
                    if arrives.insert(u, *date).is_some() {
                        c.err(&p, format!("unit `{unit}` has two reinforcement events"));
                    }
                }
            }
            RawEvent::Departure { date, unit, .. } => {
                if let Some(u) =
                    c.lookup(&format!("{p}.unit"), "unit", unit, &unit_ids, &unit_names)
                    && departs.insert(u, *date).is_some()
                {
                    c.err(&p, format!("unit `{unit}` has two departure events"));
                }
            }
        }
    }

    // --- Units ---
    let mut units = Vec::new();
    let mut stacks: BTreeMap<Offset, Vec<usize>> = BTreeMap::new();
    for (i, u) in raw.units.iter().enumerate() {
        let p = format!("units[{i}]");
        let side = side_of(&mut c, &format!("{p}.side"), &u.side);
        let grouping = c.lookup(
            &format!("{p}.grouping"),
            "grouping",
            &u.grouping,
            &grouping_ids,
            &grouping_names,
        );
        if let (Some(s), Some(g)) = (side, grouping) {
            let gs = &raw.groupings[g].side;
            if side_ids.get(gs.as_str()) != Some(&s) {
                c.hint(
                    format!("{p}.grouping"),
                    format!(
                        "unit `{}` of side `{}` is in grouping `{}` of side `{gs}`",
                        u.name, u.side, u.grouping
                    ),
                    "a unit's grouping must belong to its own side",
                );
            }
        }
        let hex = resolver.hex(
            &mut c,
            &format!("{p}.at"),
            &format!("unit `{}`", u.name),
            &u.at,
            true,
        );
        c.range_f(&format!("{p}.strength"), "strength", u.strength, 0.05, 1.0);
        c.range_f(
            &format!("{p}.readiness"),
            "readiness",
            u.readiness,
            0.0,
            1.0,
        );
        c.range_u(&format!("{p}.attack"), "attack", u.attack, 0, 100);
        c.range_u(&format!("{p}.defence"), "defence", u.defence, 0, 100);
        c.range_u(&format!("{p}.movement"), "movement", u.movement, 1, 100);
        c.range_u(
            &format!("{p}.supply_use"),
            "supply_use",
            u.supply_use,
            0,
            100_000,
        );
        c.range_u(&format!("{p}.recon"), "recon", u.recon, 0, 20);
        for (k, n) in &u.equipment {
            c.range_u(
                &format!("{p}.equipment.{k}"),
                &format!("equipment `{k}`"),
                *n,
                0,
                1_000_000,
            );
        }
        let (Some(side), Some(grouping), Some(hex)) = (side, grouping, hex) else {
            continue;
        };
        let arrives = arrives.get(&i).copied();
        let departs = departs.get(&i).copied();
        let on_map_at_start = arrives.is_none() && departs.is_none_or(|d| d > raw.start_date);
        if on_map_at_start {
            stacks.entry(hex).or_default().push(i);
            if let Some(holder) = control
                .get((hex.row as usize) * columns + hex.col as usize)
                .copied()
                .flatten()
                && holder != side
            {
                c.hint(
                    format!("{p}.at"),
                    format!(
                        "unit `{}` of side `{}` starts in hex {hex}, held by side `{}`",
                        u.name, u.side, raw.sides[holder].id
                    ),
                    "move the unit or change map.control for that hex",
                );
            }
        }
        units.push(UnitSpec {
            name: u.name.clone(),
            side,
            kind: u.kind,
            size: u.size,
            grouping,
            hex,
            strength: u.strength,
            attack: u.attack,
            defence: u.defence,
            movement: u.movement,
            readiness: u.readiness,
            supply_use: u.supply_use,
            recon: u.recon,
            equipment: u.equipment.clone(),
            arrives,
            departs,
        });
    }

    // --- Rules, then the checks that depend on them ---
    let r = &raw.rules;
    c.range_u(
        "rules.stacking_limit",
        "stacking_limit",
        r.stacking_limit,
        1,
        50,
    );
    c.range_u(
        "rules.road_move_cost",
        "road_move_cost",
        r.road_move_cost,
        1,
        100,
    );
    c.range_u("rules.zoc_cost", "zoc_cost", r.zoc_cost, 0, 100);
    c.range_f(
        "rules.supplied_share",
        "supplied_share",
        r.supplied_share,
        0.0,
        1.0,
    );
    c.range_f(
        "rules.out_of_supply_share",
        "out_of_supply_share",
        r.out_of_supply_share,
        0.0,
        r.supplied_share.clamp(0.0, 1.0),
    );
    c.range_f(
        "rules.readiness_loss_short",
        "readiness_loss_short",
        r.readiness_loss_short,
        0.0,
        1.0,
    );
    c.range_f(
        "rules.readiness_loss_out",
        "readiness_loss_out",
        r.readiness_loss_out,
        0.0,
        1.0,
    );
    c.range_f(
        "rules.readiness_recovery",
        "readiness_recovery",
        r.readiness_recovery,
        0.0,
        1.0,
    );
    c.range_u(
        "rules.attrition_after_days",
        "attrition_after_days",
        r.attrition_after_days,
        0,
        1000,
    );
    c.range_f(
        "rules.attrition_per_day",
        "attrition_per_day",
        r.attrition_per_day,
        0.0,
        1.0,
    );
    c.range_f(
        "rules.depot_reserve_days",
        "depot_reserve_days",
        r.depot_reserve_days,
        0.0,
        365.0,
    );
    c.range_u(
        "rules.force_ratio_radius",
        "force_ratio_radius",
        r.force_ratio_radius,
        0,
        50,
    );
    c.range_f(
        "rules.routed_readiness",
        "routed_readiness",
        r.routed_readiness,
        0.0,
        1.0,
    );
    let rules = r.clone();
    for (hex, stack) in &stacks {
        if stack.len() > rules.stacking_limit as usize {
            let last = *stack.last().unwrap_or(&0);
            let names: Vec<&str> = stack.iter().map(|k| raw.units[*k].name.as_str()).collect();
            c.hint(
                format!("units[{last}].at"),
                format!(
                    "{} units start in hex {hex}; the stacking limit is {}",
                    stack.len(),
                    rules.stacking_limit
                ),
                format!("spread out: {}", names.join(", ")),
            );
        }
    }

    // --- Objectives, AI, history ---
    let mut objectives = Vec::new();
    for (i, o) in raw.objectives.iter().enumerate() {
        let p = format!("objectives[{i}]");
        c.range_u(&format!("{p}.points"), "points", o.points, 0, 10_000);
        if let Some(raw_index) = c.lookup(
            &format!("{p}.place"),
            "place",
            &o.place,
            &place_ids,
            &resolver.place_names,
        ) && let Some(place) = place_final.get(&raw.places[raw_index].name)
        {
            objectives.push(Objective {
                place: *place,
                points: o.points,
            });
        }
    }
    let mut ai = Vec::new();
    for (i, a) in raw.ai.iter().enumerate() {
        let p = format!("ai[{i}]");
        let side = side_of(&mut c, &format!("{p}.side"), &a.side);
        c.range_f(
            &format!("{p}.days_of_supply_below"),
            "days_of_supply_below",
            a.days_of_supply_below,
            0.0,
            1000.0,
        );
        c.range_f(
            &format!("{p}.lines_cut_at_least"),
            "lines_cut_at_least",
            a.lines_cut_at_least,
            0.0,
            1.0,
        );
        c.range_f(
            &format!("{p}.force_ratio_above"),
            "force_ratio_above",
            a.force_ratio_above,
            0.0,
            1000.0,
        );
        c.range_u(
            &format!("{p}.reasons_needed"),
            "reasons_needed",
            a.reasons_needed,
            1,
            3,
        );
        if let Some(side) = side {
            if ai.iter().any(|x: &AiSettings| x.side == side) {
                c.err(
                    format!("{p}.side"),
                    format!("side `{}` has two ai entries", a.side),
                );
            }
            ai.push(AiSettings {
                side,
                days_of_supply_below: a.days_of_supply_below,
                lines_cut_at_least: a.lines_cut_at_least,
                force_ratio_above: a.force_ratio_above,
                reasons_needed: a.reasons_needed,
            });
        }
    }
    let mut plans = Vec::new();
    for (i, step) in raw.plans.iter().enumerate() {
        let p = format!("plans[{i}]");
        let grouping = c.lookup(
            &format!("{p}.grouping"),
            "grouping",
            &step.grouping,
            &grouping_ids,
            &grouping_names,
        );
        if step.axis.is_empty() {
            c.err(
                format!("{p}.axis"),
                "a plan step needs at least one objective on its axis",
            );
        }
        let axis: Vec<Offset> = step
            .axis
            .iter()
            .enumerate()
            .filter_map(|(k, l)| {
                resolver.hex(&mut c, &format!("{p}.axis[{k}]"), "plan objective", l, true)
            })
            .collect();
        if let Some(grouping) = grouping {
            plans.push(PlanStep {
                grouping,
                from: step.from,
                axis,
            });
        }
    }
    const RATINGS: [&str; 6] = [
        "firm",
        "single",
        "claim",
        "uncertain",
        "derived",
        "secondary",
    ];
    let history = raw
        .history
        .iter()
        .enumerate()
        .map(|(i, h)| {
            if !RATINGS.contains(&h.rating.as_str()) {
                c.hint(
                    format!("history[{i}].rating"),
                    format!("unknown rating `{}`", h.rating),
                    suggest(&h.rating, RATINGS),
                );
            }
            HistoryEntry {
                date: h.date,
                text: h.text.clone(),
                rating: h.rating.clone(),
            }
        })
        .collect();
    let territory_history = raw
        .territory_history
        .iter()
        .enumerate()
        .map(|(i, t)| {
            c.range_f(
                &format!("territory_history[{i}].km2"),
                "km2",
                t.km2,
                0.0,
                1e7,
            );
            let side = match &t.side {
                Some(id) => side_of(&mut c, &format!("territory_history[{i}].side"), id),
                None => Some(0),
            };
            TerritoryFigure {
                date: t.date,
                km2: t.km2,
                source: t.source.clone(),
                side: side.unwrap_or(0),
            }
        })
        .collect();

    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    Ok(Scenario {
        name: raw.name.clone(),
        description: raw.description.clone(),
        start_date: raw.start_date,
        turns: raw.turns,
        seed: raw.seed,
        frame,
        terrain_types,
        terrain,
        control,
        sides,
        rivers,
        crossings,
        river_edges,
        roads,
        road_edges,
        border,
        places,
        rail_nodes,
        rail_links,
        sources,
        depots,
        groupings,
        units,
        objectives,
        ai,
        plans,
        rules,
        history,
        territory_history,
    })
}

/// The hex sides a river runs along: every pair of neighbouring on-map hexes whose
/// centre-to-centre segment crosses the river's course.
fn river_hex_sides(frame: &Frame, course: &[LatLon]) -> Vec<(Offset, Offset)> {
    let mut sides = BTreeSet::new();
    for seg in course.windows(2) {
        let (p, q) = (frame.to_km(seg[0]), frame.to_km(seg[1]));
        let (a, b) = (
            geo::offset_to_hex(frame.project(seg[0])),
            geo::offset_to_hex(frame.project(seg[1])),
        );
        if a.unsigned_distance_to(b) > 10 * MAX_MAP_SIDE as u32 {
            continue;
        }
        let mut near: BTreeSet<Offset> = BTreeSet::new();
        for h in a.line_to(b) {
            near.insert(geo::hex_to_offset(h));
            for n in h.all_neighbors() {
                near.insert(geo::hex_to_offset(n));
            }
        }
        for h in near {
            if !frame.contains(h) {
                continue;
            }
            for n in geo::offset_to_hex(h)
                .all_neighbors()
                .map(geo::hex_to_offset)
            {
                if !frame.contains(n) || n <= h {
                    continue;
                }
                if geo::segments_intersect(frame.hex_center_km(h), frame.hex_center_km(n), p, q) {
                    sides.insert((h, n));
                }
            }
        }
    }
    sides.into_iter().collect()
}
