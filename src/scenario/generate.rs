//! `railhead generate`: a made-up scenario of any legal size, the same for the same seed.
//!
//! Two sides, Blue in the west and Red in the east, face each other along a front that
//! wanders down the middle of the map. The map has forests, hills and marshes, rivers
//! from north to south with bridges where lines and roads cross them and fords between,
//! and towns on a loose grid, each a rail node: east-west lines and north-south laterals
//! make a network with junctions and alternative routes, fed from railheads on each side's
//! map edge. Each side has a depot at its railheads and one near the front in each band of
//! rows, groupings that each hold a stretch of the front with a fallback line (and a rear
//! line) behind it, and units along the front. Blue attacks by a plan (an axis of towns
//! into Red's ground for each grouping); Red defends, played by its own AI. The towns near
//! the front are the objectives.
//!
//! Used by the benchmarks and the robustness tests, and a starting point for an author:
//! `railhead generate --cols 60 --rows 40 --out my.ron`, then edit.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::raw::{
    AxisEnd, CrossingKind, LinkMode, Location, PlaceSize, RawAi, RawCrossing, RawDepot,
    RawGrouping, RawMap, RawObjective, RawPlace, RawPlanStep, RawRail, RawRailLink, RawRailNode,
    RawRiver, RawRoad, RawRules, RawScenario, RawSide, RawSupplySource, RawTerrainType, RawUnit,
    UnitKind, UnitSize,
};
use crate::geo::{Frame, LatLon, Offset};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// Columns, [`MIN_SIDE`] - 400.
    pub cols: u32,
    /// Rows, [`MIN_SIDE`] - 400.
    pub rows: u32,
    /// Units of both sides together, 2 - 5,000 (at most a quarter of the hexes); by
    /// default two per row of the map, one a side: a front held all along.
    pub units: Option<u32>,
    /// Seed of the generator.
    pub seed: u64,
}

/// The smallest map generated, in columns and rows.
pub const MIN_SIDE: u32 = 8;

/// The units a spec asks for.
pub fn units_of(spec: &Spec) -> u32 {
    spec.units
        .unwrap_or_else(|| (2 * spec.rows).min(spec.cols * spec.rows / 4))
}

/// Why a spec cannot be generated.
pub fn check(spec: &Spec) -> Result<(), String> {
    let side = MIN_SIDE..=super::validate::MAX_MAP_SIDE as u32;
    if !side.contains(&spec.cols) || !side.contains(&spec.rows) {
        return Err(format!(
            "a generated map has {} to {} columns and rows (asked for {} x {})",
            side.start(),
            side.end(),
            spec.cols,
            spec.rows
        ));
    }
    let units = units_of(spec);
    let most = (super::validate::MAX_UNITS as u32).min(spec.cols * spec.rows / 4);
    if !(2..=most).contains(&units) {
        return Err(format!(
            "a {} x {} map takes 2 to {most} units (asked for {units})",
            spec.cols, spec.rows
        ));
    }
    Ok(())
}

const HEX_KM: f64 = 5.0;
const ORIGIN: (f64, f64) = (52.0, 14.0);

/// A real place to generate a scenario of: where hex (0, 0) lies, the size of a hex, and
/// a folder of GeoJSON layers whose real geography replaces the made-up parts.
#[derive(Debug, Clone, PartialEq)]
pub struct At {
    /// Latitude and longitude of the centre of hex (0, 0), the north-west corner.
    pub origin: (f64, f64),
    /// Distance between neighbouring hex centres, km.
    pub hex_km: f64,
    /// The layers, if any.
    pub geo: Option<Geo>,
}

/// Where the GeoJSON layers are.
#[derive(Debug, Clone, PartialEq)]
pub struct Geo {
    /// The folder the scenario will be written to.
    pub folder: std::path::PathBuf,
    /// The layers' folder, relative to it (with `/`), as the scenario names it.
    pub layers: String,
}

/// The layer files `--geo` looks for in its folder, and what each replaces.
pub const LAYER_FILES: [&str; 5] = [
    "rivers.geojson",
    "places.geojson",
    "roads.geojson",
    "terrain.geojson",
    "rail.geojson",
];

/// Tonnes a day of a real rail link whose layer gives no `capacity`.
pub const REAL_LINK_TONNES: u32 = 3000;

/// The real geography read from the layers: what replaces the made-up parts.
#[derive(Debug, Clone, Default)]
struct Real {
    /// The layers, as the scenario names them.
    layers: Vec<super::raw::RawLayer>,
    /// Places on the map, to put towns at.
    places: Vec<RawPlace>,
    /// Rivers' names, in the layer's order.
    rivers: Vec<String>,
    /// Whether roads and terrain come from layers.
    roads: bool,
    terrain: bool,
    /// The rail layer's nodes on the map, with their hexes: the towns, and the network.
    rail: Vec<(String, Offset)>,
}
const BLUE: usize = 0;
const RED: usize = 1;
const SIDE_IDS: [&str; 2] = ["blue", "red"];
const SIDE_SYMBOLS: [char; 2] = ['B', 'R'];

/// A scenario for the spec, as a file would hold it. It validates (the generator's tests
/// check it on many sizes and seeds).
pub fn generate(spec: &Spec) -> Result<RawScenario, String> {
    generate_at(spec, None)
}

/// The layers of `geo` merged into a copy of `raw`, as loading the file will.
fn merged(raw: &RawScenario, geo: Option<&Geo>) -> Result<RawScenario, String> {
    let mut m = raw.clone();
    if let Some(g) = geo {
        super::geography::merge(&mut m, &g.folder, &|path, message, hint| {
            super::read::diag(path, 0, 0, message, hint)
        })
        .map_err(|e| format!("the GeoJSON layers do not read:\n{e}"))?;
    }
    Ok(m)
}

/// A scenario for the spec at a real place (`None`: the made-up place of [`generate`]),
/// its made-up rivers, towns, roads and terrain replaced by the real ones of the layers
/// in `at.geo`.
pub fn generate_at(spec: &Spec, at: Option<&At>) -> Result<RawScenario, String> {
    check(spec)?;
    let geo = at.and_then(|a| a.geo.as_ref());
    let mut g = Gen::new(spec, at);
    g.front();
    g.terrain();
    if let Some(geo) = geo {
        g.read_layers(geo)?;
    }
    g.towns();
    g.rail();
    g.rivers();
    g.forces();
    let mut raw = g.raw();
    // Bridges where lines and roads cross the rivers, fords between: where the rivers'
    // sides lie is the validator's to say.
    let mut full = merged(&raw, geo)?;
    let s = super::validate::validate_with(&full, false).map_err(|p| problems(&p))?;
    add_crossings(&mut raw, &s);
    // The layers are read once: the file's rivers are the merged scenario's first ones,
    // in the same order, so their crossings go over as they are.
    for (m, r) in full.rivers.iter_mut().zip(&raw.rivers) {
        m.crossings.clone_from(&r.crossings);
    }
    super::validate(&full).map_err(|p| problems(&p))?;
    Ok(raw)
}

/// The generated scenario as RON text, with a heading comment.
pub fn generate_text(spec: &Spec) -> Result<String, String> {
    generate_text_at(spec, None)
}

/// [`generate_at`] as RON text, with a heading comment.
pub fn generate_text_at(spec: &Spec, at: Option<&At>) -> Result<String, String> {
    let raw = generate_at(spec, at)?;
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(2)
        .struct_names(true);
    let body = ron::ser::to_string_pretty(&raw, config).map_err(|e| e.to_string())?;
    // The map's rows one per line, north to south, as an author writes them.
    let rows = |rows: &[String]| {
        let lines: Vec<String> = rows
            .iter()
            .map(|r| format!("            \"{r}\","))
            .collect();
        format!("[\n{}\n        ]", lines.join("\n"))
    };
    let one_line = |rows: &[String]| {
        let quoted: Vec<String> = rows.iter().map(|r| format!("\"{r}\"")).collect();
        format!("[{}]", quoted.join(", "))
    };
    let mut body = body;
    for r in [&raw.map.terrain, &raw.map.control] {
        if !r.is_empty() {
            body = body.replacen(&one_line(r), &rows(r), 1);
        }
    }
    let place = match at {
        None => String::new(),
        Some(a) => format!(
            " --origin {},{} --hex-km {}{}",
            a.origin.0,
            a.origin.1,
            a.hex_km,
            a.geo
                .as_ref()
                .map_or(String::new(), |g| format!(" --geo {}", g.layers))
        ),
    };
    let what = match at.and_then(|a| a.geo.as_ref()) {
        None => "A made-up front",
        Some(_) => {
            "A made-up front over real geography (the layers in `geography`; the front, units and plan made up)"
        }
    };
    Ok(format!(
        "// Generated by `railhead generate --cols {} --rows {} --units {} --seed {}{place}`.\n\
         // {what}: edit it freely (see scenarios/README.md for every field).\n{body}\n",
        spec.cols,
        spec.rows,
        units_of(spec),
        spec.seed
    ))
}

fn problems(p: &[super::error::Problem]) -> String {
    let text: Vec<String> = p
        .iter()
        .take(5)
        .map(|p| format!("{}: {}", p.path, p.message))
        .collect();
    format!(
        "the generated scenario does not validate: {}",
        text.join("; ")
    )
}

/// A town of the grid.
struct Town {
    name: String,
    at: Offset,
    size: PlaceSize,
    /// Its column on the grid of towns.
    gx: usize,
}

struct Gen {
    spec: Spec,
    real: Real,
    cols: i32,
    rows: i32,
    rng: ChaCha8Rng,
    frame: Frame,
    /// The first Red column of each row.
    front: Vec<i32>,
    terrain: Vec<Vec<char>>,
    towns: Vec<Town>,
    /// Towns by grid position.
    grid: BTreeMap<(usize, usize), usize>,
    grid_cols: usize,
    grid_rows: usize,
    links: Vec<RawRailLink>,
    roads: Vec<RawRoad>,
    sources: Vec<RawSupplySource>,
    depots: Vec<RawDepot>,
    rivers: Vec<RawRiver>,
    groupings: Vec<RawGrouping>,
    units: Vec<RawUnit>,
    objectives: Vec<RawObjective>,
    plans: Vec<RawPlanStep>,
}

impl Gen {
    fn new(spec: &Spec, at: Option<&At>) -> Self {
        let (cols, rows) = (spec.cols as i32, spec.rows as i32);
        let (origin, hex_km) = at.map_or((ORIGIN, HEX_KM), |a| (a.origin, a.hex_km));
        let mut frame = Frame {
            origin: LatLon {
                lat: origin.0,
                lon: origin.1,
            },
            hex_km,
            reference_lat: origin.0,
            columns: cols,
            rows,
        };
        // True east-west at the map's middle, as a scenario without `reference_lat` has.
        let (nw, se) = frame.bounds();
        frame.reference_lat = round6(f64::midpoint(nw.lat, se.lat));
        if at.is_none() {
            frame.reference_lat = ORIGIN.0;
        }
        Gen {
            spec: *spec,
            real: Real::default(),
            cols,
            rows,
            rng: ChaCha8Rng::seed_from_u64(spec.seed),
            frame,
            front: Vec::new(),
            terrain: Vec::new(),
            towns: Vec::new(),
            grid: BTreeMap::new(),
            grid_cols: 0,
            grid_rows: 0,
            links: Vec::new(),
            roads: Vec::new(),
            sources: Vec::new(),
            depots: Vec::new(),
            rivers: Vec::new(),
            groupings: Vec::new(),
            units: Vec::new(),
            objectives: Vec::new(),
            plans: Vec::new(),
        }
    }

    /// Reads the layers found in the folder: what they give replaces the made-up parts.
    fn read_layers(&mut self, geo: &Geo) -> Result<(), String> {
        use super::raw::RawLayer;
        let mut layers = Vec::new();
        for name in LAYER_FILES {
            let file = if geo.layers.is_empty() {
                name.to_string()
            } else {
                format!("{}/{name}", geo.layers.trim_end_matches('/'))
            };
            if !geo.folder.join(&file).is_file() {
                continue;
            }
            layers.push(match name {
                "rivers.geojson" => RawLayer::Rivers { file },
                "places.geojson" => RawLayer::Places { file },
                "roads.geojson" => RawLayer::Roads { file },
                "rail.geojson" => RawLayer::Rail {
                    file,
                    capacity: Some(REAL_LINK_TONNES),
                },
                _ => RawLayer::Terrain {
                    file,
                    terrain: None,
                },
            });
        }
        if layers.is_empty() {
            return Err(format!(
                "{} holds none of {}",
                geo.folder.join(&geo.layers).display(),
                LAYER_FILES.join(", ")
            ));
        }
        let mut scratch = self.raw();
        scratch.places.clear();
        scratch.rivers.clear();
        scratch.roads.clear();
        scratch.rail.nodes.clear();
        scratch.rail.links.clear();
        scratch.geography.clone_from(&layers);
        let scratch = merged(
            &scratch,
            Some(&Geo {
                folder: geo.folder.clone(),
                layers: geo.layers.clone(),
            }),
        )?;
        let rail = scratch
            .rail
            .nodes
            .iter()
            .filter_map(|n| match n.at {
                Location::LatLon(lat, lon) => {
                    Some((n.name.clone(), self.frame.project(LatLon { lat, lon })))
                }
                _ => None,
            })
            .filter(|(_, o)| self.frame.contains(*o))
            .collect();
        self.real = Real {
            rail,
            places: scratch.places,
            rivers: scratch.rivers.iter().map(|r| r.name.clone()).collect(),
            roads: layers.iter().any(|l| matches!(l, RawLayer::Roads { .. })),
            terrain: layers.iter().any(|l| matches!(l, RawLayer::Terrain { .. })),
            layers,
        };
        Ok(())
    }

    /// The real place nearest a town's slot, within `reach` hexes, not yet taken.
    fn real_town(
        &self,
        slot: Offset,
        reach: u32,
        taken: &BTreeSet<String>,
    ) -> Option<(String, Offset, PlaceSize)> {
        let apart = |o: Offset| crate::geo::hexes_apart(o, slot);
        self.real
            .places
            .iter()
            .filter(|p| !taken.contains(&p.name))
            .filter_map(|p| match p.at {
                Location::LatLon(lat, lon) => Some((p, self.frame.project(LatLon { lat, lon }))),
                _ => None,
            })
            .filter(|(_, o)| self.frame.contains(*o) && apart(*o) <= reach)
            // The nearest, the bigger of two as near.
            .min_by_key(|(p, o)| (apart(*o), std::cmp::Reverse(p.size), p.name.clone()))
            .map(|(p, o)| (p.name.clone(), o, p.size))
    }

    fn side_at(&self, o: Offset) -> usize {
        if o.col < self.front[o.row as usize] {
            BLUE
        } else {
            RED
        }
    }

    /// The front: a random walk down the middle of the map.
    fn front(&mut self) {
        let (lo, hi) = (
            (self.cols * 3 / 8).max(2),
            (self.cols * 5 / 8).min(self.cols - 2),
        );
        let mut col = self.cols / 2;
        let mut last = 0;
        for _ in 0..self.rows {
            self.front.push(col);
            // Never straight back: a step out and back leaves a hex of one side with a
            // single neighbour of its own, a salient whose units no supply can reach.
            let mut step = self.rng.random_range(-1..=1);
            if step == -last {
                step = 0;
            }
            let next = (col + step).clamp(lo, hi);
            last = next - col;
            col = next;
        }
    }

    /// Open ground with blobs of forest, hills and marsh.
    fn terrain(&mut self) {
        self.terrain = vec![vec!['.'; self.cols as usize]; self.rows as usize];
        let area = self.cols * self.rows;
        for (symbol, per, radius) in [('f', 40, 2), ('h', 150, 2), ('m', 250, 1)] {
            for _ in 0..(area / per).max(1) {
                let centre = Offset {
                    col: self.rng.random_range(0..self.cols),
                    row: self.rng.random_range(0..self.rows),
                };
                let r = self.rng.random_range(0..=radius);
                for h in crate::geo::offset_to_hex(centre).range(r) {
                    let o = crate::geo::hex_to_offset(h);
                    if self.frame.contains(o) {
                        self.terrain[o.row as usize][o.col as usize] = symbol;
                    }
                }
            }
        }
    }

    /// Towns on a loose grid, the outer columns on the map's edges (the railheads).
    fn towns(&mut self) {
        let spacing = (self.cols.min(self.rows) / 3).clamp(3, 8);
        self.grid_cols = ((self.cols - 1) / spacing + 1).max(2) as usize;
        self.grid_rows = (self.rows / spacing).max(1) as usize;
        if !self.real.rail.is_empty() {
            self.rail_towns(spacing);
            return;
        }
        let mut taken = BTreeSet::new();
        let mut real_taken: BTreeSet<String> = BTreeSet::new();
        for gy in 0..self.grid_rows {
            for gx in 0..self.grid_cols {
                let edge = gx == 0 || gx + 1 == self.grid_cols;
                let base_col = (gx as i32 * (self.cols - 1)) / (self.grid_cols as i32 - 1);
                let base_row = gy as i32 * spacing + spacing / 2;
                let jitter = if edge {
                    0
                } else {
                    self.rng.random_range(-1..=1)
                };
                let mut at = Offset {
                    col: (base_col + jitter).clamp(0, self.cols - 1),
                    row: (base_row + self.rng.random_range(-1..=1)).clamp(0, self.rows - 1),
                };
                // At a real place, the real place nearest the slot (a made-up town where
                // none is near: the network needs its railheads and junctions).
                let mut real = None;
                if let Some((name, o, size)) =
                    self.real_town(at, (spacing / 2).max(1) as u32, &real_taken)
                {
                    at = o;
                    real = Some((name, size));
                }
                // A town neither on the front line nor on another town.
                let front = self.front[at.row as usize];
                if !edge && (at.col == front || at.col == front - 1) || !taken.insert(at) {
                    continue;
                }
                let n = self.towns.len();
                let size = match self.rng.random_range(0..10) {
                    0 => PlaceSize::City,
                    1..=2 => PlaceSize::Village,
                    _ => PlaceSize::Town,
                };
                let (name, size) = real.unwrap_or((town_name(n), size));
                real_taken.insert(name.clone());
                self.grid.insert((gx, gy), n);
                self.towns.push(Town { name, at, size, gx });
            }
        }
    }

    /// The real rail network's nodes as the towns, on the grid by where they lie (the
    /// westmost and eastmost of a grid row on its edge columns, where the railheads go).
    fn rail_towns(&mut self, spacing: i32) {
        let mut nodes = self.real.rail.clone();
        nodes.sort_by_key(|(name, o)| (o.row, o.col, name.clone()));
        let last = self.grid_cols - 1;
        for (name, at) in nodes {
            let gy = ((at.row / spacing) as usize).min(self.grid_rows - 1);
            let gx =
                ((at.col * last as i32 + (self.cols - 1) / 2) / (self.cols - 1).max(1)) as usize;
            let size = self
                .real
                .places
                .iter()
                .find(|p| p.name == name)
                .map_or(PlaceSize::Town, |p| p.size);
            let n = self.towns.len();
            // The nearest the edge of each grid row and column holds the slot.
            let better = |g: &Gen, other: usize| {
                let o = g.towns[other].at;
                if gx == 0 {
                    at.col < o.col
                } else {
                    at.col > o.col
                }
            };
            match self.grid.get(&(gx, gy)) {
                Some(&other) if !better(self, other) => {}
                _ => {
                    self.grid.insert((gx, gy), n);
                }
            }
            self.towns.push(Town { name, at, size, gx });
        }
    }

    /// Lines east-west between neighbouring towns of a grid row and north-south between
    /// neighbouring grid rows, a road beside each; railheads on the map's edges. With a
    /// real rail network, its lines.
    fn rail(&mut self) {
        if !self.real.rail.is_empty() {
            return;
        }
        let mut pairs = Vec::new();
        for (&(gx, gy), &a) in &self.grid {
            // The next town east in this grid row, and the next south in this column.
            if let Some(&b) = (gx + 1..self.grid_cols).find_map(|x| self.grid.get(&(x, gy))) {
                pairs.push((a, b, 6000));
            }
            if let Some(&b) = (gy + 1..self.grid_rows).find_map(|y| self.grid.get(&(gx, y))) {
                pairs.push((a, b, 3000));
            }
        }
        for (a, b, capacity) in pairs {
            let (from, to) = (self.towns[a].name.clone(), self.towns[b].name.clone());
            if !self.real.roads {
                self.roads.push(RawRoad {
                    name: format!("{from}-{to} road"),
                    route: vec![Location::Place(from.clone()), Location::Place(to.clone())],
                });
            }
            self.links.push(RawRailLink {
                name: format!("{from}-{to}"),
                from,
                to,
                capacity,
                via: Vec::new(),
                mode: LinkMode::Rail,
                repair_days: None,
            });
        }
    }

    /// Rivers from north to south between columns, away from the front's middle.
    fn rivers(&mut self) {
        if !self.real.rivers.is_empty() {
            // The layer's rivers, each crossable at a cost (the layer may say otherwise):
            // the file names them, for the crossings the generator adds.
            self.rivers = self
                .real
                .rivers
                .iter()
                .map(|name| RawRiver {
                    name: name.clone(),
                    course: Vec::new(),
                    crossing_cost: Some(3),
                    ford_cost: 2,
                    crossings: Vec::new(),
                })
                .collect();
            return;
        }
        let count = if self.cols < 16 {
            0
        } else {
            self.cols / 50 + 1
        };
        let middle = self.cols / 2;
        for k in 0..count {
            let mut col = (k + 1) * self.cols / (count + 1);
            if (col - middle).abs() < 4 {
                col += 5;
            }
            if col >= self.cols - 2 {
                continue;
            }
            let mut course = Vec::new();
            let step = 3;
            let mut row = -1;
            let mut x = f64::from(col);
            while row <= self.rows + step {
                let (cx, _) = self.frame.hex_center_km(Offset { col: 0, row: 0 });
                let hex_km = self.frame.hex_km;
                let y = f64::from(row) * hex_km * 3f64.sqrt() / 2.0;
                let p = self.frame.from_km(cx + (x + 0.5) * hex_km, y);
                course.push((round6(p.lat), round6(p.lon)));
                x = (x + self.rng.random_range(-0.4..=0.4)).clamp(1.0, f64::from(self.cols - 3));
                row += step;
            }
            self.rivers.push(RawRiver {
                name: format!("{} river", river_name(k as usize)),
                course,
                crossing_cost: Some(3),
                ford_cost: 2,
                crossings: Vec::new(),
            });
        }
    }

    /// Groupings by bands of rows, units along the front, depots, sources, objectives and
    /// Blue's plan.
    fn forces(&mut self) {
        let bands = (self.rows / 24).max(1) as usize;
        let total = units_of(&self.spec) as usize;
        // As many units a side (Blue one fewer when the count is odd): the attacker
        // must concentrate to break through.
        let blue_units = (total / 2).max(1);
        let mut stacks: BTreeMap<Offset, u32> = BTreeMap::new();
        for side in [BLUE, RED] {
            let count = if side == BLUE {
                blue_units
            } else {
                total - blue_units
            };
            for b in 0..bands {
                let (first, last) = (
                    (b * self.rows as usize / bands) as i32,
                    ((b + 1) * self.rows as usize / bands) as i32 - 1,
                );
                let name = format!(
                    "{} {} {}",
                    ordinal(b + 1),
                    ["Blue", "Red"][side],
                    ["Army", "Corps"][side]
                );
                self.grouping(side, &name, first, last);
                let here = count / bands + usize::from(b < count % bands);
                for j in 0..here {
                    let row = first + (j as i32 * (last - first + 1)) / here.max(1) as i32;
                    let at = self.unit_hex(side, row, &mut stacks);
                    let n = self.units.len();
                    let unit = self.unit(side, &name, n, at);
                    self.units.push(unit);
                }
                if side == BLUE {
                    self.plan(&name, first, last);
                }
            }
        }
        self.supply();
        self.objectives();
    }

    fn grouping(&mut self, side: usize, name: &str, first: i32, last: i32) {
        let line = |depth: i32, g: &Gen| -> Vec<Location> {
            let mut rows = vec![first, i32::midpoint(first, last), last];
            rows.dedup();
            rows.into_iter()
                .map(|row| {
                    let f = g.front[row as usize];
                    let col = if side == RED {
                        (f + depth).min(g.cols - 1)
                    } else {
                        (f - 1 - depth).max(0)
                    };
                    Location::Hex(col, row)
                })
                .collect()
        };
        let deep = (self.cols / 8).max(2);
        self.groupings.push(RawGrouping {
            name: name.to_string(),
            side: SIDE_IDS[side].to_string(),
            fallback: line(deep, self),
            rear_lines: vec![line(deep * 2, self)],
            withdraw: None,
            withdraws_with: None,
            directive: None,
        });
    }

    /// A hex of the side's ground near the front in `row` with room for one more unit:
    /// the first line, then further back.
    fn unit_hex(&self, side: usize, row: i32, stacks: &mut BTreeMap<Offset, u32>) -> Offset {
        let f = self.front[row as usize];
        for depth in 0..self.cols {
            for dr in [0, 1, -1, 2, -2] {
                let r = row + dr;
                if !(0..self.rows).contains(&r) {
                    continue;
                }
                let f = self.front[r as usize];
                let col = if side == RED {
                    f + depth
                } else {
                    f - 1 - depth
                };
                let o = Offset { col, row: r };
                if !self.frame.contains(o) || self.side_at(o) != side {
                    continue;
                }
                let n = stacks.entry(o).or_insert(0);
                if *n < 3 {
                    *n += 1;
                    return o;
                }
            }
        }
        Offset {
            col: if side == RED { f } else { f - 1 },
            row,
        }
    }

    fn unit(&mut self, side: usize, grouping: &str, n: usize, at: Offset) -> RawUnit {
        // (kind, attack, defence, movement, supply use, equipment)
        let (kind, attack, defence, movement, supply_use, equipment): (
            UnitKind,
            u32,
            u32,
            u32,
            u32,
            &[(&str, u32)],
        ) = match self.rng.random_range(0..20) {
            0..=6 => (
                UnitKind::Infantry,
                5,
                6,
                8,
                120,
                &[("ifv", 30), ("artillery", 12)],
            ),
            7..=10 => (
                UnitKind::Mechanized,
                8,
                7,
                12,
                200,
                &[("tanks", 20), ("ifv", 80)],
            ),
            11..=13 => (
                UnitKind::Tank,
                10,
                6,
                12,
                250,
                &[("tanks", 80), ("ifv", 30)],
            ),
            14..=16 => (UnitKind::Artillery, 6, 2, 10, 300, &[("artillery", 48)]),
            _ => (UnitKind::Territorial, 3, 5, 8, 80, &[("trucks", 40)]),
        };
        RawUnit {
            name: format!(
                "{} {} {}",
                ordinal(n + 1),
                ["Blue", "Red"][side],
                kind_word(kind)
            ),
            side: SIDE_IDS[side].to_string(),
            kind,
            size: if side == BLUE {
                UnitSize::Brigade
            } else {
                UnitSize::Regiment
            },
            grouping: grouping.to_string(),
            at: Location::Hex(at.col, at.row),
            strength: f64::from(self.rng.random_range(70..=100u32)) / 100.0,
            attack,
            defence,
            movement,
            readiness: f64::from(self.rng.random_range(60..=90u32)) / 100.0,
            supply_use,
            recon: 2,
            equipment: equipment
                .iter()
                .map(|(k, v)| ((*k).to_string(), *v))
                .collect(),
        }
    }

    /// Blue's axis for the grouping holding rows `first..=last`: the Red towns of its band
    /// nearest the front, then one further east.
    fn plan(&mut self, grouping: &str, first: i32, last: i32) {
        let mut red: Vec<&Town> = self
            .towns
            .iter()
            .filter(|t| (first..=last).contains(&t.at.row) && self.side_at(t.at) == RED)
            .collect();
        red.sort_by_key(|t| (t.at.col - self.front[t.at.row as usize], t.at.row, t.at.col));
        let mut axis: Vec<Location> = red
            .iter()
            .take(1)
            .map(|t| Location::Place(t.name.clone()))
            .collect();
        if let Some(far) = red.iter().find(|t| t.at.col >= red[0].at.col + 3) {
            axis.push(Location::Place(far.name.clone()));
        }
        if axis.is_empty() {
            return;
        }
        self.plans.push(RawPlanStep {
            grouping: grouping.to_string(),
            from: start_date(),
            axis,
            then: AxisEnd::Pursue,
        });
    }

    /// Sources at the railheads on each side's edge, a depot at each railhead and one at
    /// each side's town nearest the front in each grid row.
    fn supply(&mut self) {
        let demand: [u32; 2] = [BLUE, RED].map(|side| {
            self.units
                .iter()
                .filter(|u| u.side == SIDE_IDS[side])
                .map(|u| u.supply_use)
                .sum()
        });
        let mut depot_towns: Vec<(usize, usize, bool)> = Vec::new();
        for gy in 0..self.grid_rows {
            let row: Vec<usize> = (0..self.grid_cols)
                .filter_map(|gx| self.grid.get(&(gx, gy)).copied())
                .collect();
            for side in [BLUE, RED] {
                let mine: Vec<usize> = row
                    .iter()
                    .copied()
                    .filter(|t| self.side_at(self.towns[*t].at) == side)
                    .collect();
                let (Some(&rear), Some(&near)) = (
                    if side == BLUE {
                        mine.first()
                    } else {
                        mine.last()
                    },
                    if side == BLUE {
                        mine.last()
                    } else {
                        mine.first()
                    },
                ) else {
                    continue;
                };
                let edge = self.towns[rear].gx == 0 || self.towns[rear].gx + 1 == self.grid_cols;
                if edge {
                    depot_towns.push((side, rear, true));
                }
                if near != rear || !edge {
                    depot_towns.push((side, near, false));
                }
            }
        }
        // A side whose rows have no town on its edge (a real network) gets its railhead
        // at its town farthest from the front.
        for side in [BLUE, RED] {
            if depot_towns.iter().any(|(s, _, rear)| *s == side && *rear) {
                continue;
            }
            let deepest = (0..self.towns.len())
                .filter(|t| self.side_at(self.towns[*t].at) == side)
                .min_by_key(|t| {
                    let o = self.towns[*t].at;
                    (if side == BLUE { o.col } else { -o.col }, o.row, *t)
                });
            if let Some(t) = deepest {
                depot_towns.retain(|(s, d, _)| !(*s == side && *d == t));
                depot_towns.push((side, t, true));
            }
        }
        let railheads = [BLUE, RED].map(|side| {
            depot_towns
                .iter()
                .filter(|(s, _, rear)| *s == side && *rear)
                .count()
                .max(1) as u32
        });
        let depots_of = [BLUE, RED].map(|side| {
            depot_towns
                .iter()
                .filter(|(s, _, _)| *s == side)
                .count()
                .max(1) as u32
        });
        for (side, t, rear) in depot_towns {
            let name = self.towns[t].name.clone();
            let share = demand[side] / depots_of[side];
            if rear {
                self.sources.push(RawSupplySource {
                    name: format!("{name} railhead"),
                    side: SIDE_IDS[side].to_string(),
                    node: name.clone(),
                    supply: (demand[side] * 2 / railheads[side]).max(2000),
                });
            }
            let stock = (share * 5).max(1000);
            self.depots.push(RawDepot {
                name: format!("{name} depot"),
                side: SIDE_IDS[side].to_string(),
                node: name,
                stock,
                capacity: stock * 4,
                range: 24,
            });
        }
    }

    /// The towns within a few hexes of the front, and in each row of towns the nearest
    /// on each side of it, worth points to whoever holds them.
    fn objectives(&mut self) {
        let reach = (self.cols / 6).max(3);
        let mut nearest: BTreeMap<(i32, usize), (i32, usize)> = BTreeMap::new();
        for (n, t) in self.towns.iter().enumerate() {
            let gap = (t.at.col - self.front[t.at.row as usize]).abs();
            let key = (t.at.row / 4, self.side_at(t.at));
            if nearest.get(&key).is_none_or(|(g, _)| gap < *g) {
                nearest.insert(key, (gap, n));
            }
        }
        let chosen: BTreeSet<usize> = nearest.values().map(|(_, n)| *n).collect();
        for (n, t) in self.towns.iter().enumerate() {
            let f = self.front[t.at.row as usize];
            if (t.at.col - f).abs() <= reach || chosen.contains(&n) {
                self.objectives.push(RawObjective {
                    place: t.name.clone(),
                    points: if t.size == PlaceSize::City { 10 } else { 5 },
                });
            }
        }
    }

    fn raw(&self) -> RawScenario {
        let rows = |f: &dyn Fn(Offset) -> char| -> Vec<String> {
            (0..self.rows)
                .map(|row| (0..self.cols).map(|col| f(Offset { col, row })).collect())
                .collect()
        };
        RawScenario {
            name: format!(
                "Generated front, {} x {} (seed {})",
                self.cols, self.rows, self.spec.seed
            ),
            description: format!(
                "A made-up front of {} x {} hexes, generated by railhead generate. Blue attacks eastward by its plan; Red defends, fed by rail from the eastern edge as Blue is from the western. Each side holds the front with {} grouping(s), each with a fallback line behind it.",
                self.cols,
                self.rows,
                self.groupings.len() / 2
            ),
            start_date: start_date(),
            turns: 20,
            seed: self.spec.seed,
            map: RawMap {
                hex_km: self.frame.hex_km,
                origin: (self.frame.origin.lat, self.frame.origin.lon),
                reference_lat: Some(self.frame.reference_lat),
                // Terrain from a layer: every hex open but what its areas cover.
                terrain: if self.real.terrain {
                    Vec::new()
                } else {
                    rows(&|o| self.terrain[o.row as usize][o.col as usize])
                },
                control: rows(&|o| SIDE_SYMBOLS[self.side_at(o)]),
                size: self
                    .real
                    .terrain
                    .then_some((self.cols as u32, self.rows as u32)),
                background: self.real.terrain.then(|| "open".to_string()),
                areas: Vec::new(),
            },
            geography: self.real.layers.clone(),
            terrain_types: vec![
                terrain_type("open", '.', 2, 1.0, "#dcd9a4", "fields"),
                terrain_type("forest", 'f', 3, 1.5, "#8fb57a", "trees"),
                terrain_type("hills", 'h', 3, 1.3, "#c9b48a", "hills"),
                terrain_type("marsh", 'm', 4, 1.2, "#9fc3b8", "marsh"),
            ],
            sides: vec![
                RawSide {
                    id: SIDE_IDS[BLUE].into(),
                    name: "Blueland".into(),
                    symbol: SIDE_SYMBOLS[BLUE],
                    colour: "#2f6fbf".into(),
                },
                RawSide {
                    id: SIDE_IDS[RED].into(),
                    name: "Redland".into(),
                    symbol: SIDE_SYMBOLS[RED],
                    colour: "#c0392b".into(),
                },
            ],
            rivers: self.rivers.clone(),
            roads: self.roads.clone(),
            border: Vec::new(),
            places: self
                .towns
                .iter()
                .filter(|t| !self.real.places.iter().any(|p| p.name == t.name))
                .map(|t| RawPlace {
                    name: t.name.clone(),
                    at: Location::Hex(t.at.col, t.at.row),
                    size: t.size,
                })
                .collect(),
            rail: RawRail {
                nodes: self
                    .towns
                    .iter()
                    .filter(|_| self.real.rail.is_empty())
                    .map(|t| RawRailNode {
                        name: t.name.clone(),
                        at: Location::Place(t.name.clone()),
                    })
                    .collect(),
                links: self.links.clone(),
                sources: self.sources.clone(),
            },
            depots: self.depots.clone(),
            groupings: self.groupings.clone(),
            units: self.units.clone(),
            objectives: self.objectives.clone(),
            events: Vec::new(),
            ai: vec![ai(RED, 4.0, 2.5, Some(3)), ai(BLUE, 3.0, 3.0, None)],
            plans: self.plans.clone(),
            rules: RawRules::default(),
            history: Vec::new(),
            territory_history: Vec::new(),
            victory: None,
            strikes: Vec::new(),
            glossary: Vec::new(),
        }
    }
}

/// Bridges where the lines and roads cross a river, fords every few rows between.
fn add_crossings(raw: &mut RawScenario, s: &super::Scenario) {
    let mut at: Vec<BTreeSet<Offset>> = vec![BTreeSet::new(); raw.rivers.len()];
    let mut bridges: Vec<Vec<Offset>> = vec![Vec::new(); raw.rivers.len()];
    let ways = s
        .rail_links
        .iter()
        .map(|l| &l.hexes)
        .chain(s.roads.iter().map(|r| &r.hexes));
    for hexes in ways {
        for w in hexes.windows(2) {
            if let Some(e) = s.river_edges.get(&super::model::edge_key(w[0], w[1])) {
                let near = w[0].min(w[1]);
                if at[e.river].insert(near) {
                    bridges[e.river].push(near);
                }
            }
        }
    }
    let mut fords: Vec<Vec<Offset>> = vec![Vec::new(); raw.rivers.len()];
    let mut last_row: Vec<i32> = vec![-10; raw.rivers.len()];
    for ((a, _), e) in &s.river_edges {
        if a.row - last_row[e.river] >= 5
            && !at[e.river].iter().any(|b| (b.row - a.row).abs() < 2)
            && at[e.river].insert(*a)
        {
            last_row[e.river] = a.row;
            fords[e.river].push(*a);
        }
    }
    for (k, river) in raw.rivers.iter_mut().enumerate() {
        let mut all: Vec<(Offset, CrossingKind)> = bridges[k]
            .iter()
            .map(|o| (*o, CrossingKind::Bridge))
            .chain(fords[k].iter().map(|o| (*o, CrossingKind::Ford)))
            .collect();
        all.sort_by_key(|(o, _)| (o.row, o.col));
        river.crossings = all
            .into_iter()
            .enumerate()
            .map(|(n, (o, kind))| RawCrossing {
                name: format!(
                    "{} {} {}",
                    river.name.trim_end_matches(" river"),
                    if kind == CrossingKind::Bridge {
                        "bridge"
                    } else {
                        "ford"
                    },
                    n + 1
                ),
                at: Location::Hex(o.col, o.row),
                kind,
                intact: true,
                tonnes_per_day: None,
                units_per_day: None,
                build_days: None,
                air_defence: None,
            })
            .collect();
    }
}

fn ai(side: usize, days: f64, ratio: f64, threat_radius: Option<u32>) -> RawAi {
    RawAi {
        side: SIDE_IDS[side].to_string(),
        days_of_supply_below: days,
        lines_cut_at_least: 0.5,
        force_ratio_above: ratio,
        reasons_needed: 2,
        encircled_at_least: Some(0.7),
        attack_ratio: None,
        threat_radius,
        stand_fast_after_days: None,
        stand_fast_above_days: None,
    }
}

fn terrain_type(
    id: &str,
    symbol: char,
    move_cost: u32,
    defence: f64,
    colour: &str,
    pattern: &str,
) -> RawTerrainType {
    RawTerrainType {
        id: id.into(),
        symbol,
        move_cost,
        defence,
        colour: colour.into(),
        pattern: Some(pattern.into()),
        water: false,
    }
}

fn start_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2030, 5, 1).unwrap_or_default()
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// A made-up town name, different for every `n`.
fn town_name(n: usize) -> String {
    const HEAD: [&str; 24] = [
        "Al", "Bar", "Cor", "Dun", "El", "Fen", "Gar", "Hal", "Ives", "Kel", "Lor", "Mar", "Nor",
        "Os", "Pel", "Quin", "Ros", "Sel", "Tor", "Ul", "Val", "Wen", "Yar", "Zel",
    ];
    const MID: [&str; 6] = ["", "an", "er", "in", "on", "ar"];
    const TAIL: [&str; 16] = [
        "ford", "wick", "mere", "by", "ton", "stead", "holm", "gate", "field", "bridge", "moor",
        "dale", "haven", "well", "cote", "ley",
    ];
    let per = HEAD.len() * MID.len() * TAIL.len();
    let k = n % per;
    let name = format!(
        "{}{}{}",
        HEAD[k % HEAD.len()],
        MID[(k / HEAD.len()) % MID.len()],
        TAIL[k / (HEAD.len() * MID.len())]
    );
    if n < per {
        name
    } else {
        format!("{name} {}", n / per + 1)
    }
}

fn river_name(k: usize) -> String {
    const NAMES: [&str; 9] = [
        "Lantern", "Silver", "Marrow", "Kestrel", "Wend", "Amber", "Tallow", "Ember", "Fallow",
    ];
    if k < NAMES.len() {
        NAMES[k].to_string()
    } else {
        format!("{} {}", NAMES[k % NAMES.len()], k / NAMES.len() + 1)
    }
}

fn kind_word(kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::Tank => "Tank",
        UnitKind::Mechanized => "Mechanized",
        UnitKind::AirAssault => "Air Assault",
        UnitKind::Infantry => "Rifles",
        UnitKind::Territorial => "Territorial",
        UnitKind::Artillery => "Artillery",
    }
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, r) if r != 11 => "st",
        (2, r) if r != 12 => "nd",
        (3, r) if r != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}
