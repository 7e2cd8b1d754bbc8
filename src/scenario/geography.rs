//! Layers of geography from GeoJSON files: rivers, roads, places, the rail network and
//! areas of terrain and control, read with the `geojson` crate and added to a parsed
//! scenario before it is validated.
//!
//! A layer's features become the file's own entries (a `River`, a `Place`, a `RailLink`,
//! a `Terrain` area ...), so everything after this step (validation, the content hash, a
//! save carrying the scenario) sees one self-contained scenario and never the files.
//! Entries the scenario file gives by the same name take precedence: a river there with
//! an empty `course`, or a rail link with an empty `via`, takes its line from the layer.
//! Every problem is reported at the feature's line and column in its GeoJSON file, and a
//! problem found later in an entry a layer made is traced back there ([`Sources`]).

use std::collections::BTreeMap;
use std::path::Path;

use geojson::{Feature, GeometryValue, JsonObject};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::error::{Diagnostic, ScenarioError};
use super::raw::{
    LinkMode, Location, PlaceSize, RawArea, RawLayer, RawPlace, RawRailLink, RawRailNode, RawRiver,
    RawRoad, RawScenario,
};
use super::read::diag;
use crate::geo::{Frame, LatLon};

/// Largest GeoJSON file read, in bytes.
pub const MAX_LAYER_BYTES: u64 = 64 * 1024 * 1024;

/// Where the entries a layer made came from: a path of the scenario (`rivers[4]`) and the
/// feature's file, line and column.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    made: Vec<(String, (String, usize, usize))>,
    /// Areas the layers put before the file's own.
    area_shift: usize,
}

impl Sources {
    /// The feature a problem's path lies in, if a layer made it.
    pub fn feature_of(&self, path: &str) -> Option<&(String, usize, usize)> {
        self.made.iter().find_map(|(prefix, at)| {
            let rest = path.strip_prefix(prefix.as_str())?;
            (rest.is_empty() || rest.starts_with('.') || rest.starts_with('[')).then_some(at)
        })
    }

    /// A problem of the scenario as a diagnostic: in the feature a layer made it from, or
    /// where `elsewhere` places it.
    pub fn place(
        &self,
        p: super::error::Problem,
        elsewhere: impl FnOnce(super::error::Problem) -> Diagnostic,
    ) -> Diagnostic {
        if let Some((file, line, column)) = self.feature_of(&p.path) {
            diag(file, *line, *column, p.message, p.hint)
        } else {
            let path = self.in_file(&p.path);
            elsewhere(super::error::Problem { path, ..p })
        }
    }

    /// A path of the scenario as the file writes it: its own areas come after the
    /// layers' in the scenario.
    pub fn in_file(&self, path: &str) -> String {
        if self.area_shift > 0
            && let Some(rest) = path.strip_prefix("map.areas[")
            && let Some((n, tail)) = rest.split_once(']')
            && let Ok(n) = n.parse::<usize>()
        {
            return format!("map.areas[{}]{tail}", n.saturating_sub(self.area_shift));
        }
        path.to_string()
    }
}

/// A feature of a layer: where it is, and what it says.
struct Found {
    line: usize,
    column: usize,
    properties: JsonObject,
    geometry: Option<GeometryValue>,
}

impl Found {
    fn text(&self, key: &str) -> Option<String> {
        match self.properties.get(key)? {
            serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    fn number(&self, key: &str) -> Option<f64> {
        match self.properties.get(key)? {
            serde_json::Value::Number(n) => n.as_f64(),
            serde_json::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

/// One layer being read: its file's name for messages, and the problems found.
struct Reader<'a> {
    file: String,
    problems: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn at(&mut self, f: &Found, message: impl Into<String>, hint: impl Into<String>) {
        self.problems.push(diag(
            &self.file,
            f.line,
            f.column,
            message,
            Some(hint.into()),
        ));
    }
}

#[derive(Deserialize)]
struct Collection<'a> {
    #[serde(rename = "type")]
    kind: String,
    #[serde(borrow, default)]
    features: Vec<&'a RawValue>,
}

/// Line and column (from 1, in characters) of a byte offset of `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Reads a GeoJSON `FeatureCollection`'s features, each with its position in the text.
fn features(text: &str, file: &str) -> Result<Vec<Found>, Vec<Diagnostic>> {
    let collection: Collection = serde_json::from_str(text).map_err(|e| {
        vec![diag(
            file,
            e.line(),
            e.column(),
            format!("not GeoJSON: {e}"),
            Some("a layer is a GeoJSON FeatureCollection, as GIS tools export it".into()),
        )]
    })?;
    if collection.kind != "FeatureCollection" {
        return Err(vec![diag(
            file,
            1,
            1,
            format!(
                "the file is a GeoJSON {}, not a FeatureCollection",
                collection.kind
            ),
            Some("export the layer as a FeatureCollection (every GIS tool can)".into()),
        )]);
    }
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for raw in collection.features {
        // The feature's text is a slice of the file's: its offset is where it starts.
        let offset = (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        let (line, column) = line_column(text, offset);
        match serde_json::from_str::<Feature>(raw.get()) {
            Ok(f) => found.push(Found {
                line,
                column,
                properties: f.properties.unwrap_or_default(),
                geometry: f.geometry.map(|g| g.value),
            }),
            Err(e) => problems.push(diag(
                file,
                line,
                column,
                format!("not a GeoJSON feature: {e}"),
                None,
            )),
        }
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems)
    }
}

/// A GeoJSON position, `[longitude, latitude]`, as the file's `(latitude, longitude)`.
fn lat_lon(p: &geojson::Position) -> (f64, f64) {
    let s = p.as_slice();
    (
        s.get(1).copied().unwrap_or(f64::NAN),
        s.first().copied().unwrap_or(f64::NAN),
    )
}

fn line_of(ps: &[geojson::Position]) -> Vec<(f64, f64)> {
    ps.iter().map(lat_lon).collect()
}

/// The lines of a `LineString` or `MultiLineString`.
fn lines(g: &GeometryValue) -> Option<Vec<Vec<(f64, f64)>>> {
    match g {
        GeometryValue::LineString { coordinates } => Some(vec![line_of(coordinates)]),
        GeometryValue::MultiLineString { coordinates } => {
            Some(coordinates.iter().map(|l| line_of(l)).collect())
        }
        _ => None,
    }
}

/// The polygons (outline, holes) of a `Polygon` or `MultiPolygon`.
type Polygon = (Vec<(f64, f64)>, Vec<Vec<(f64, f64)>>);

fn polygons(g: &GeometryValue) -> Option<Vec<Polygon>> {
    let one = |rings: &Vec<Vec<geojson::Position>>| -> Polygon {
        let mut rings = rings.iter().map(|r| line_of(r));
        (rings.next().unwrap_or_default(), rings.collect())
    };
    match g {
        GeometryValue::Polygon { coordinates } => Some(vec![one(coordinates)]),
        GeometryValue::MultiPolygon { coordinates } => Some(coordinates.iter().map(one).collect()),
        _ => None,
    }
}

fn kind_of(g: Option<&GeometryValue>) -> &'static str {
    g.map_or("no geometry", GeometryValue::type_name)
}

/// The map's frame, as validation will build it, when the file's map is sound (else
/// nothing is left out for lying off the map; validation reports the map's problems).
fn rough_frame(raw: &RawScenario) -> Option<Frame> {
    let mut c = super::validate::Checker::default();
    super::validate::map::frame(&mut c, &raw.map)
        .filter(|_| c.clean())
        .map(|f| f.frame)
}

fn on_map(frame: Option<&Frame>, p: (f64, f64)) -> bool {
    frame.is_none_or(|f| f.contains(f.project(LatLon { lat: p.0, lon: p.1 })))
}

/// Drops points closer than `step` km to the last one kept (the last point is kept): a
/// line from a GIS tool has a point every few metres, the map a hex every few km.
fn thin(line: &[(f64, f64)], step: f64) -> Vec<(f64, f64)> {
    let ll = |p: (f64, f64)| LatLon { lat: p.0, lon: p.1 };
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (i, &p) in line.iter().enumerate() {
        let last = i + 1 == line.len();
        match out.last() {
            Some(&q) if !last && ll(q).distance_km(ll(p)) < step => {}
            Some(&q) if last && q == p => {}
            _ => out.push(p),
        }
    }
    out
}

/// Joins the pieces of one named line (OpenStreetMap cuts a river into many ways) end to
/// end, turning pieces round as needed: the joined line, or the first piece that joins
/// nothing.
fn join(mut pieces: Vec<Vec<(f64, f64)>>) -> Result<Vec<(f64, f64)>, usize> {
    const NEAR: f64 = 1e-6;
    let same = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() < NEAR && (a.1 - b.1).abs() < NEAR;
    pieces.retain(|p| !p.is_empty());
    let mut order: Vec<usize> = (1..pieces.len()).collect();
    let Some(first) = pieces.first() else {
        return Ok(Vec::new());
    };
    let mut line = first.clone();
    while !order.is_empty() {
        let (head, tail) = (line[0], line[line.len() - 1]);
        let next = order.iter().position(|&k| {
            let p = &pieces[k];
            let (a, b) = (p[0], p[p.len() - 1]);
            same(a, tail) || same(b, tail) || same(b, head) || same(a, head)
        });
        let Some(at) = next else {
            return Err(order[0]);
        };
        let mut p = pieces[order.remove(at)].clone();
        let (a, b) = (p[0], p[p.len() - 1]);
        if same(a, tail) {
            line.extend(p.into_iter().skip(1));
        } else if same(b, tail) {
            p.reverse();
            line.extend(p.into_iter().skip(1));
        } else if same(b, head) {
            p.pop();
            p.extend(line);
            line = p;
        } else {
            p.reverse();
            p.pop();
            p.extend(line);
            line = p;
        }
    }
    Ok(line)
}

/// The size of a place from its properties: `size` (village, town, city), else
/// OpenStreetMap's `place`, else `population`.
fn place_size(f: &Found) -> Option<PlaceSize> {
    let word = |w: &str| match w.to_ascii_lowercase().as_str() {
        "city" => Some(PlaceSize::City),
        "town" => Some(PlaceSize::Town),
        "village" | "hamlet" | "suburb" | "locality" | "isolated_dwelling" => {
            Some(PlaceSize::Village)
        }
        _ => None,
    };
    if let Some(s) = f.text("size") {
        return word(&s);
    }
    if let Some(s) = f.text("place").and_then(|s| word(&s)) {
        return Some(s);
    }
    f.number("population").map(|n| {
        if n >= 100_000.0 {
            PlaceSize::City
        } else if n >= 10_000.0 {
            PlaceSize::Town
        } else {
            PlaceSize::Village
        }
    })
}

/// A named line: its name, its points and the feature it first appears in.
type NamedLine = (String, Vec<(f64, f64)>, usize);
/// The pieces of a named line, each with its feature.
type Pieces = BTreeMap<String, Vec<(usize, Vec<(f64, f64)>)>>;

/// What one layer adds, and where each came from.
struct Adder<'a> {
    raw: &'a mut RawScenario,
    frame: Option<Frame>,
    sources: &'a mut Sources,
    /// Areas from layers, put before the file's own (which are drawn over them).
    areas: Vec<RawArea>,
}

impl Adder<'_> {
    fn came_from(&mut self, path: String, r: &Reader<'_>, f: &Found) {
        self.sources
            .made
            .push((path, (r.file.clone(), f.line, f.column)));
    }

    fn step(&self) -> f64 {
        self.raw.map.hex_km / 4.0
    }

    fn name(r: &mut Reader<'_>, f: &Found, keys: &[&str], what: &str) -> Option<String> {
        let name = keys.iter().find_map(|k| f.text(k));
        if name.is_none() {
            r.at(
                f,
                format!("this {what} has no name"),
                format!(
                    "give the feature a `{}` property: the scenario refers to it by name",
                    keys[0]
                ),
            );
        }
        name
    }

    /// Named lines, joined by name, in the order each name first appears.
    fn named_lines(
        &mut self,
        r: &mut Reader<'_>,
        found: &[Found],
        keys: &[&str],
        what: &str,
    ) -> Vec<NamedLine> {
        let mut by_name: Pieces = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        for (i, f) in found.iter().enumerate() {
            let Some(ls) = f.geometry.as_ref().and_then(lines) else {
                r.at(
                    f,
                    format!(
                        "a {what} must be a LineString or MultiLineString, not {}",
                        kind_of(f.geometry.as_ref())
                    ),
                    "keep only lines in this layer",
                );
                continue;
            };
            let Some(name) = Self::name(r, f, keys, what) else {
                continue;
            };
            if !by_name.contains_key(&name) {
                order.push(name.clone());
            }
            let e = by_name.entry(name).or_default();
            e.extend(ls.into_iter().map(|l| (i, l)));
        }
        let mut out = Vec::new();
        for name in order {
            let pieces = by_name.remove(&name).unwrap_or_default();
            let first = pieces.first().map_or(0, |p| p.0);
            let features: Vec<usize> = pieces.iter().map(|p| p.0).collect();
            match join(pieces.into_iter().map(|p| p.1).collect()) {
                Ok(line) => out.push((name, thin(&line, self.step()), first)),
                Err(k) => r.at(
                    &found[features[k]],
                    format!("this piece of {what} `{name}` does not join its other pieces end to end"),
                    "join the pieces in a GIS tool so that each begins where another ends, or give them different names",
                ),
            }
        }
        out
    }

    fn rivers(&mut self, r: &mut Reader<'_>, found: &[Found]) {
        for (name, course, i) in self.named_lines(r, found, &["name"], "river") {
            let f = &found[i];
            if !course.iter().any(|&p| on_map(self.frame.as_ref(), p)) {
                continue;
            }
            if let Some(k) = self.raw.rivers.iter().position(|x| x.name == name) {
                if self.raw.rivers[k].course.is_empty() {
                    self.raw.rivers[k].course = course;
                    self.came_from(format!("rivers[{k}].course"), r, f);
                }
                continue;
            }
            let cost = |key: &str| f.number(key).filter(|n| *n >= 0.0).map(|n| n as u32);
            self.came_from(format!("rivers[{}]", self.raw.rivers.len()), r, f);
            self.raw.rivers.push(RawRiver {
                name,
                course,
                crossing_cost: cost("crossing_cost"),
                ford_cost: cost("ford_cost").unwrap_or(2),
                crossings: Vec::new(),
            });
        }
    }

    fn roads(&mut self, r: &mut Reader<'_>, found: &[Found]) {
        for (name, line, i) in self.named_lines(r, found, &["name", "ref"], "road") {
            if self.raw.roads.iter().any(|x| x.name == name) {
                continue;
            }
            // Only the stretches on the map: a road off it and back is two roads.
            let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
            for p in line {
                if on_map(self.frame.as_ref(), p) {
                    runs.last_mut().expect("one run at least").push(p);
                } else if runs.last().is_some_and(|l| !l.is_empty()) {
                    runs.push(Vec::new());
                }
            }
            runs.retain(|l| l.len() >= 2);
            let many = runs.len() > 1;
            for (k, run) in runs.into_iter().enumerate() {
                self.came_from(format!("roads[{}]", self.raw.roads.len()), r, &found[i]);
                self.raw.roads.push(RawRoad {
                    name: if many {
                        format!("{name} ({})", k + 1)
                    } else {
                        name.clone()
                    },
                    route: run
                        .into_iter()
                        .map(|(a, b)| Location::LatLon(a, b))
                        .collect(),
                });
            }
        }
    }

    fn places(&mut self, r: &mut Reader<'_>, found: &[Found]) {
        for f in found {
            let Some(GeometryValue::Point { coordinates }) = &f.geometry else {
                r.at(
                    f,
                    format!(
                        "a place must be a Point, not {}",
                        kind_of(f.geometry.as_ref())
                    ),
                    "keep only points in this layer",
                );
                continue;
            };
            let Some(name) = Self::name(r, f, &["name"], "place") else {
                continue;
            };
            let p = lat_lon(coordinates);
            if !on_map(self.frame.as_ref(), p) || self.raw.places.iter().any(|x| x.name == name) {
                continue;
            }
            let Some(size) = place_size(f) else {
                r.at(
                    f,
                    format!("place `{name}` has no size"),
                    "give it a `size` (village, town or city), OpenStreetMap's `place` or a `population`",
                );
                continue;
            };
            self.came_from(format!("places[{}]", self.raw.places.len()), r, f);
            self.raw.places.push(RawPlace {
                name,
                at: Location::LatLon(p.0, p.1),
                size,
            });
        }
    }

    fn rail(&mut self, r: &mut Reader<'_>, found: &[Found], capacity: Option<u32>) {
        // Nodes first: the links' ends are looked for among them.
        for f in found {
            if let Some(GeometryValue::Point { coordinates }) = &f.geometry {
                let Some(name) = Self::name(r, f, &["name"], "rail node") else {
                    continue;
                };
                let p = lat_lon(coordinates);
                if self.raw.rail.nodes.iter().any(|x| x.name == name) {
                    continue;
                }
                self.came_from(format!("rail.nodes[{}]", self.raw.rail.nodes.len()), r, f);
                self.raw.rail.nodes.push(RawRailNode {
                    name,
                    at: Location::LatLon(p.0, p.1),
                });
            }
        }
        let near = self.raw.map.hex_km / 2.0;
        let node_at = |raw: &RawScenario, p: (f64, f64)| -> Option<String> {
            let here = LatLon { lat: p.0, lon: p.1 };
            raw.rail
                .nodes
                .iter()
                .filter_map(|n| match n.at {
                    Location::LatLon(a, b) => {
                        Some((LatLon { lat: a, lon: b }.distance_km(here), &n.name))
                    }
                    _ => None,
                })
                .filter(|(d, _)| *d <= near)
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, n)| n.clone())
        };
        for f in found {
            match &f.geometry {
                Some(GeometryValue::Point { .. }) => {}
                Some(GeometryValue::LineString { coordinates }) => {
                    let Some(name) = Self::name(r, f, &["name"], "rail link") else {
                        continue;
                    };
                    let line = line_of(coordinates);
                    let (Some(&a), Some(&b)) = (line.first(), line.last()) else {
                        continue;
                    };
                    let from = f.text("from").or_else(|| node_at(self.raw, a));
                    let to = f.text("to").or_else(|| node_at(self.raw, b));
                    let thinned = thin(&line, self.step());
                    let via: Vec<Location> = thinned[1..thinned.len().saturating_sub(1).max(1)]
                        .iter()
                        .map(|&(x, y)| Location::LatLon(x, y))
                        .collect();
                    if let Some(k) = self.raw.rail.links.iter().position(|x| x.name == name) {
                        if self.raw.rail.links[k].via.is_empty() {
                            self.raw.rail.links[k].via = via;
                            self.came_from(format!("rail.links[{k}].via"), r, f);
                        }
                        continue;
                    }
                    let (Some(from), Some(to)) = (from, to) else {
                        r.at(
                            f,
                            format!("rail link `{name}` has an end at no rail node"),
                            format!("put a rail node (a Point of this layer, or a RailNode at a LatLon) within {near:.1} km of each end, or give the link `from` and `to` properties"),
                        );
                        continue;
                    };
                    let Some(capacity) = f.number("capacity").map(|n| n as u32).or(capacity) else {
                        r.at(
                            f,
                            format!("rail link `{name}` has no capacity"),
                            "give it a `capacity` property (tonnes a day), or the layer a `capacity`",
                        );
                        continue;
                    };
                    let mode = match f.text("mode").as_deref() {
                        Some("Truck" | "truck") => LinkMode::Truck,
                        _ => LinkMode::Rail,
                    };
                    self.came_from(format!("rail.links[{}]", self.raw.rail.links.len()), r, f);
                    self.raw.rail.links.push(RawRailLink {
                        name,
                        from,
                        to,
                        capacity,
                        via,
                        mode,
                        repair_days: f.number("repair_days").map(|n| n as u32),
                    });
                }
                g => r.at(
                    f,
                    format!(
                        "a rail feature must be a Point (a node) or a LineString (a link), not {}",
                        kind_of(g.as_ref())
                    ),
                    "keep only nodes and links in this layer",
                ),
            }
        }
    }

    fn areas(&mut self, r: &mut Reader<'_>, found: &[Found], key: &str, given: Option<&String>) {
        for f in found {
            let Some(shapes) = f.geometry.as_ref().and_then(polygons) else {
                r.at(
                    f,
                    format!(
                        "an area must be a Polygon or MultiPolygon, not {}",
                        kind_of(f.geometry.as_ref())
                    ),
                    "keep only polygons in this layer",
                );
                continue;
            };
            let Some(id) = f.text(key).or_else(|| given.cloned()) else {
                r.at(
                    f,
                    format!("this area has no `{key}`"),
                    format!("give the feature a `{key}` property, or the layer a `{key}`"),
                );
                continue;
            };
            for (outline, holes) in shapes {
                self.came_from(format!("map.areas[{}]", self.areas.len()), r, f);
                self.areas.push(if key == "terrain" {
                    RawArea::Terrain {
                        terrain: id.clone(),
                        points: outline,
                        holes,
                    }
                } else {
                    RawArea::Control {
                        side: id.clone(),
                        points: outline,
                        holes,
                    }
                });
            }
        }
    }
}

/// Adds the scenario's layers of geography (files relative to `dir`, and inside it) to
/// it, and empties its list of them; `at_layer` places a problem of the layer list itself
/// (`geography[2].file`). Every problem of every layer is reported together.
pub fn merge(
    raw: &mut RawScenario,
    dir: &Path,
    at_layer: &dyn Fn(&str, String, Option<String>) -> Diagnostic,
) -> Result<Sources, ScenarioError> {
    let layers = std::mem::take(&mut raw.geography);
    let mut sources = Sources::default();
    if layers.is_empty() {
        return Ok(sources);
    }
    let frame = rough_frame(raw);
    let mut problems = Vec::new();
    let mut adder = Adder {
        raw,
        frame,
        sources: &mut sources,
        areas: Vec::new(),
    };
    let folder = std::fs::canonicalize(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    });
    for (i, layer) in layers.iter().enumerate() {
        let path = dir.join(layer.file());
        let file = path.display().to_string();
        let at = format!("geography[{i}].file");
        let inside = match (std::fs::canonicalize(&path), &folder) {
            (Ok(p), Ok(d)) => p.starts_with(d),
            _ => true,
        };
        if !inside {
            problems.push(at_layer(
                &at,
                format!("the layer {file} is outside the scenario's folder"),
                Some("put the GeoJSON files in the scenario's folder or below it".into()),
            ));
            continue;
        }
        let text = match crate::files::read_regular(&path, MAX_LAYER_BYTES) {
            Ok(bytes) => {
                if let Ok(t) = String::from_utf8(bytes) {
                    t
                } else {
                    problems.push(diag(
                        &file,
                        1,
                        1,
                        "the layer is not UTF-8 text",
                        Some("GeoJSON is UTF-8".into()),
                    ));
                    continue;
                }
            }
            Err(e) => {
                problems.push(at_layer(
                    &at,
                    format!("cannot read the layer {file}: {e}"),
                    Some("name the GeoJSON file relative to the scenario's folder".into()),
                ));
                continue;
            }
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let found = match features(text, &file) {
            Ok(f) => f,
            Err(mut p) => {
                problems.append(&mut p);
                continue;
            }
        };
        let mut r = Reader {
            file,
            problems: &mut problems,
        };
        match layer {
            RawLayer::Rivers { .. } => adder.rivers(&mut r, &found),
            RawLayer::Roads { .. } => adder.roads(&mut r, &found),
            RawLayer::Places { .. } => adder.places(&mut r, &found),
            RawLayer::Rail { capacity, .. } => adder.rail(&mut r, &found, *capacity),
            RawLayer::Terrain { terrain, .. } => {
                adder.areas(&mut r, &found, "terrain", terrain.as_ref());
            }
            RawLayer::Control { side, .. } => adder.areas(&mut r, &found, "side", side.as_ref()),
        }
    }
    // The layers' areas go under the file's own: the file's are drawn over them. The
    // file's areas move up by as many.
    let own = std::mem::take(&mut adder.raw.map.areas);
    adder.sources.area_shift = adder.areas.len();
    adder.raw.map.areas = adder.areas;
    adder.raw.map.areas.extend(own);
    if problems.is_empty() {
        Ok(sources)
    } else {
        Err(ScenarioError::sorted(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_join_end_to_end_whichever_way_they_run() {
        let a = vec![(0.0, 0.0), (0.0, 1.0)];
        let b = vec![(0.0, 2.0), (0.0, 1.0)]; // runs backwards
        let c = vec![(0.0, -1.0), (0.0, 0.0)]; // comes before the first
        assert_eq!(
            join(vec![a.clone(), b.clone(), c]),
            Ok(vec![(0.0, -1.0), (0.0, 0.0), (0.0, 1.0), (0.0, 2.0)])
        );
        assert_eq!(join(vec![a, vec![(5.0, 5.0), (6.0, 6.0)], b]), Err(1));
    }

    #[test]
    fn features_are_found_at_their_line_and_column() {
        let text = "{\"type\": \"FeatureCollection\", \"features\": [\n  {\"type\": \"Feature\", \"properties\": {\"name\": \"A\"},\n   \"geometry\": {\"type\": \"Point\", \"coordinates\": [33.1, 46.6]}},\n  {\"type\": \"Feature\", \"properties\": null, \"geometry\": null}\n]}";
        let found = features(text, "f.geojson").unwrap();
        assert_eq!((found[0].line, found[0].column), (2, 3));
        assert_eq!((found[1].line, found[1].column), (4, 3));
        assert_eq!(found[0].text("name").as_deref(), Some("A"));
        let Some(GeometryValue::Point { coordinates }) = &found[0].geometry else {
            panic!("a point");
        };
        assert_eq!(lat_lon(coordinates), (46.6, 33.1));
    }

    #[test]
    fn places_are_sized_by_size_by_openstreetmap_or_by_population() {
        let f = |props: serde_json::Value| Found {
            line: 1,
            column: 1,
            properties: props.as_object().cloned().unwrap_or_default(),
            geometry: None,
        };
        assert_eq!(
            place_size(&f(serde_json::json!({"size": "Town"}))),
            Some(PlaceSize::Town)
        );
        assert_eq!(
            place_size(&f(serde_json::json!({"place": "hamlet"}))),
            Some(PlaceSize::Village)
        );
        assert_eq!(
            place_size(&f(serde_json::json!({"population": 283_000}))),
            Some(PlaceSize::City)
        );
        assert_eq!(place_size(&f(serde_json::json!({}))), None);
    }
}
