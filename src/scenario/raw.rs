//! The scenario file format, exactly as written in RON.
//!
//! These types mirror the text an author edits; they are deserialised with
//! `deny_unknown_fields` so a misspelt field is an error, never silently ignored.
//! [`super::validate()`] turns them into the runtime [`super::model::Scenario`].
//! Every field is documented for authors in `scenarios/README.md`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A position as an author may write it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Location {
    /// Latitude and longitude in decimal degrees: `LatLon(49.71, 37.62)`.
    LatLon(f64, f64),
    /// A hex by column and row: `Hex(12, 30)`.
    Hex(i32, i32),
    /// The hex of a named place from `places`: `Place("Kupiansk")`.
    Place(String),
}

/// A whole scenario file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Scenario")]
pub struct RawScenario {
    /// Title shown to players.
    pub name: String,
    /// A paragraph or two for the start screen and reports.
    pub description: String,
    /// Date of turn 1, `"YYYY-MM-DD"`.
    pub start_date: NaiveDate,
    /// Number of turns (days).
    pub turns: u32,
    /// Default seed of the random number generator.
    #[serde(default)]
    pub seed: u64,
    /// The map: frame, terrain and initial control.
    pub map: RawMap,
    /// Layers of geography from GeoJSON files beside the scenario, added to it when it is
    /// loaded (and so absent from its content).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub geography: Vec<RawLayer>,
    /// The kinds of terrain the map's rows may use.
    pub terrain_types: Vec<RawTerrainType>,
    /// The sides.
    pub sides: Vec<RawSide>,
    /// Rivers, as lines of (lat, lon) points.
    #[serde(default)]
    pub rivers: Vec<RawRiver>,
    /// Roads, as routes through places and points.
    #[serde(default)]
    pub roads: Vec<RawRoad>,
    /// The international border, as (lat, lon) points.
    #[serde(default)]
    pub border: Vec<(f64, f64)>,
    /// Towns and villages.
    #[serde(default)]
    pub places: Vec<RawPlace>,
    /// The rail network and its off-map supply sources.
    pub rail: RawRail,
    /// Supply depots.
    #[serde(default)]
    pub depots: Vec<RawDepot>,
    /// Groupings (commands) that units belong to.
    pub groupings: Vec<RawGrouping>,
    /// The units.
    pub units: Vec<RawUnit>,
    /// Objectives and their victory points.
    #[serde(default)]
    pub objectives: Vec<RawObjective>,
    /// Dated events: reinforcements and departures.
    #[serde(default)]
    pub events: Vec<RawEvent>,
    /// Each side's operational AI settings.
    #[serde(default)]
    pub ai: Vec<RawAi>,
    /// Operational plans: axes and objectives per grouping, by date.
    #[serde(default)]
    pub plans: Vec<RawPlanStep>,
    /// Numbers the rules use (movement, stacking, supply effects).
    #[serde(default)]
    pub rules: RawRules,
    /// The historical timeline, for comparison in reports.
    #[serde(default)]
    pub history: Vec<RawHistory>,
    /// Historical territory figures, for comparison.
    #[serde(default)]
    pub territory_history: Vec<RawTerritoryFigure>,
    /// How the end of the game is judged: levels of one side's success, the first that
    /// holds is the verdict (left out of the content when absent, so that files without
    /// it keep their hash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub victory: Option<RawVictory>,
    /// Each side's long-range strike assets (left out of the content when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strikes: Vec<RawStrikeAssets>,
    /// The scenario's own examples of terms of Railhead's glossary, as (term, example):
    /// `("junction", "Kupiansk-Vuzlovyi, ...")` (left out of the content when there are
    /// none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub glossary: Vec<(String, String)>,
}

/// A side's long-range strike assets (rocket launchers, strike aircraft): so many strikes
/// a day, within a range of the side's units, each hitting or not by a seeded die, against
/// the kinds of target it is given an effect for.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "StrikeAssets")]
pub struct RawStrikeAssets {
    /// Name, e.g. `"HIMARS"`.
    pub name: String,
    /// The side that has them.
    pub side: String,
    /// Strikes a day.
    pub per_day: u32,
    /// Hexes from the nearest unit of the side on the map to the target.
    pub range: u32,
    /// The chance a strike that is not intercepted hits.
    pub hit: f64,
    /// The chance the enemy's air defence intercepts a strike.
    #[serde(default)]
    pub intercepted: f64,
    /// From this date (absent: from the start).
    #[serde(default)]
    pub from: Option<NaiveDate>,
    /// Until this date, inclusive (absent: to the end).
    #[serde(default)]
    pub until: Option<NaiveDate>,
    /// What a hit does to a crossing (absent: it does not strike crossings).
    #[serde(default)]
    pub crossings: Option<RawHarm>,
    /// What a hit does to a railway (absent: it does not strike railways).
    #[serde(default)]
    pub links: Option<RawHarm>,
    /// What a hit does to a depot (absent: it does not strike depots).
    #[serde(default)]
    pub depots: Option<RawHarm>,
    /// What a hit does to a rail node, every railway meeting there (absent: it does not
    /// strike rail nodes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nodes: Option<RawHarm>,
}

/// What a hit does: the numbers of a `Damage` event for its kind of target.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Harm")]
pub struct RawHarm {
    /// A crossing: the share of its capacity left.
    #[serde(default)]
    pub capacity_left: Option<f64>,
    /// A crossing or railway: days to repair it.
    #[serde(default)]
    pub days: Option<u32>,
    /// A depot: the share of its stock destroyed.
    #[serde(default)]
    pub stock_lost: Option<f64>,
}

/// How the end of the game is judged, for one side: its levels of success from the best,
/// each with what it takes; the first that holds at the end is the verdict, `otherwise`
/// when none does.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Victory")]
pub struct RawVictory {
    /// The side whose success is judged.
    pub side: String,
    /// The levels, best first.
    pub levels: Vec<RawVictoryLevel>,
    /// The verdict when no level holds.
    pub otherwise: String,
    /// How history came out, in the same words, to set beside the game's verdict.
    #[serde(default)]
    pub history: Option<String>,
}

/// One level of success: all of its conditions must hold at the end (at least one given).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Level")]
pub struct RawVictoryLevel {
    /// The verdict, e.g. "Decisive Ukrainian victory".
    pub name: String,
    /// The side's victory points at least.
    #[serde(default)]
    pub points_at_least: Option<u32>,
    /// Territory the side has taken since the start, km², at least.
    #[serde(default)]
    pub km2_at_least: Option<f64>,
    /// Places the side holds.
    #[serde(default)]
    pub holds: Vec<String>,
}

/// The map's geographic frame and its rows of terrain and control.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Map")]
pub struct RawMap {
    /// Distance between neighbouring hex centres, km.
    pub hex_km: f64,
    /// Latitude and longitude of the centre of hex (0, 0), the north-west corner.
    pub origin: (f64, f64),
    /// Latitude at which east-west distances are true; default: the map's middle.
    #[serde(default)]
    pub reference_lat: Option<f64>,
    /// Columns and rows: needed when the map is drawn from `areas` without rows of
    /// letters; checked against the rows when both are given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<(u32, u32)>,
    /// One string per row, north to south, one terrain symbol per hex; `_` takes the hex's
    /// terrain from `areas`. May be left out when `areas` and `size` are given.
    #[serde(default)]
    pub terrain: Vec<String>,
    /// One string per row: the side symbol holding each hex at the start, `.` for nobody,
    /// `_` for what `areas` say. May be left out when `areas` are given.
    #[serde(default)]
    pub control: Vec<String>,
    /// The terrain id of every hex that neither a row nor an area gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<String>,
    /// Terrain and control as areas in latitude and longitude, later over earlier; rows
    /// of letters take precedence over them wherever a row gives a letter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<RawArea>,
}

/// An area of the map in latitude and longitude: a hex belongs to it when its centre does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RawArea {
    /// Hexes of one terrain: a closed polygon (its last point repeats its first), less
    /// any holes.
    Terrain {
        /// A terrain type's id.
        terrain: String,
        /// The outline, (lat, lon), closed.
        points: Vec<(f64, f64)>,
        /// Outlines cut out of it, each closed.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        holes: Vec<Vec<(f64, f64)>>,
    },
    /// Hexes one side holds at the start: a closed polygon, less any holes.
    Control {
        /// A side's id.
        side: String,
        /// The outline, (lat, lon), closed.
        points: Vec<(f64, f64)>,
        /// Outlines cut out of it, each closed.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        holes: Vec<Vec<(f64, f64)>>,
    },
    /// A front line across the whole map: every hex to the left of the line as it is
    /// walked from its first point to its last is held by `left`, every other by `right`.
    Front {
        /// The side on the left.
        left: String,
        /// The side on the right.
        right: String,
        /// The line, (lat, lon), at least two points; beyond its ends it runs on straight.
        points: Vec<(f64, f64)>,
    },
}

/// A layer of geography read from a GeoJSON file (a `FeatureCollection`, the format GIS
/// tools and OpenStreetMap extracts write), relative to the scenario's folder. Its
/// features are added to the scenario when it is loaded; entries the file itself gives
/// by the same name take precedence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RawLayer {
    /// `LineString`s named by `name`: rivers (`crossing_cost` and `ford_cost` as
    /// properties, if any).
    Rivers {
        /// The GeoJSON file.
        file: String,
    },
    /// `LineString`s named by `name` (or `ref`): roads.
    Roads {
        /// The GeoJSON file.
        file: String,
    },
    /// `Point`s named by `name`: places, sized by `size`, OpenStreetMap's `place` or
    /// `population`.
    Places {
        /// The GeoJSON file.
        file: String,
    },
    /// `Point`s are rail nodes, `LineString`s rail links between the nodes at their ends
    /// (or the properties `from` and `to`), carrying `capacity` tonnes a day.
    Rail {
        /// The GeoJSON file.
        file: String,
        /// Tonnes a day of a link without a `capacity` property.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        capacity: Option<u32>,
    },
    /// `Polygon`s and `MultiPolygon`s of terrain: the property `terrain`, or this.
    Terrain {
        /// The GeoJSON file.
        file: String,
        /// The terrain id of every feature without a `terrain` property.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        terrain: Option<String>,
    },
    /// `Polygon`s and `MultiPolygon`s held by a side at the start: the property `side`,
    /// or this.
    Control {
        /// The GeoJSON file.
        file: String,
        /// The side id of every feature without a `side` property.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        side: Option<String>,
    },
}

impl RawLayer {
    /// The GeoJSON file it reads.
    pub fn file(&self) -> &str {
        match self {
            RawLayer::Rivers { file }
            | RawLayer::Roads { file }
            | RawLayer::Places { file }
            | RawLayer::Rail { file, .. }
            | RawLayer::Terrain { file, .. }
            | RawLayer::Control { file, .. } => file,
        }
    }
}

/// A kind of terrain.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "TerrainType")]
pub struct RawTerrainType {
    /// Identifier, e.g. `"forest"`.
    pub id: String,
    /// The character that stands for it in `map.terrain`.
    pub symbol: char,
    /// Movement points to enter a hex of it off-road.
    pub move_cost: u32,
    /// Multiplier on a defender's strength in it.
    pub defence: f64,
    /// Colour on maps, `"#rrggbb"`.
    pub colour: String,
    /// Pattern drawn over the colour: plain, fields, trees, buildings, marsh or hills.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Open water (sea, estuary, lake, reservoir): no unit enters it, nobody holds it,
    /// no supply or claim crosses it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub water: bool,
}

/// A side.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Side")]
pub struct RawSide {
    /// Short identifier, e.g. `"ua"`.
    pub id: String,
    /// Full name.
    pub name: String,
    /// The character that marks its hexes in `map.control`.
    pub symbol: char,
    /// Colour of its counters, `"#rrggbb"`.
    pub colour: String,
}

/// What kind of river crossing: a bridge, a ford, a pontoon bridge or a ferry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CrossingKind {
    /// A bridge: crossing costs nothing extra while it stands; railways cross only here.
    Bridge,
    /// A ford: crossing costs the river's `ford_cost`; never blown.
    Ford,
    /// A pontoon bridge: crossing costs nothing extra while it stands; lorries, not trains.
    Pontoon,
    /// A ferry: crossing costs the river's `ford_cost`; lorries, not trains.
    Ferry,
}

impl CrossingKind {
    /// In words, for people.
    pub fn text(self) -> &'static str {
        match self {
            CrossingKind::Bridge => "bridge",
            CrossingKind::Ford => "ford",
            CrossingKind::Pontoon => "pontoon bridge",
            CrossingKind::Ferry => "ferry",
        }
    }

    /// Whether the side losing its hex destroys it (a ford cannot be).
    pub fn destructible(self) -> bool {
        self != CrossingKind::Ford
    }

    /// Extra movement points to cross, on a river whose ford costs `ford_cost`.
    pub fn cost(self, ford_cost: u32) -> u32 {
        match self {
            CrossingKind::Bridge | CrossingKind::Pontoon => 0,
            CrossingKind::Ford | CrossingKind::Ferry => ford_cost,
        }
    }
}

/// A river.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "River")]
pub struct RawRiver {
    /// Name.
    pub name: String,
    /// Points upstream to downstream, (lat, lon).
    pub course: Vec<(f64, f64)>,
    /// Extra movement points to cross where there is no bridge or ford; absent: impassable.
    #[serde(default)]
    pub crossing_cost: Option<u32>,
    /// Extra movement points to cross at a ford.
    #[serde(default = "default_ford_cost")]
    pub ford_cost: u32,
    /// Bridges and fords.
    #[serde(default)]
    pub crossings: Vec<RawCrossing>,
}

fn default_ford_cost() -> u32 {
    2
}

fn yes() -> bool {
    true
}

/// A bridge or ford.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Crossing")]
pub struct RawCrossing {
    /// Name.
    pub name: String,
    /// Where it is: every crossing of the river from or into this hex uses it.
    pub at: Location,
    /// Bridge or ford.
    pub kind: CrossingKind,
    /// False for a bridge already blown at the start.
    #[serde(default = "yes")]
    pub intact: bool,
    /// Most tonnes of supply it carries a day, both ways together: the rail and lorry
    /// links over it and the last mile from depots across it share them. Absent: no limit.
    #[serde(default)]
    pub tonnes_per_day: Option<u32>,
    /// Most units that cross it a day, both ways together (moves and retreats). Absent: no
    /// limit.
    #[serde(default)]
    pub units_per_day: Option<u32>,
    /// A pontoon bridge or ferry down (or destroyed): days the side holding its hex needs
    /// to build it, with no enemy unit next to it. Absent: it is not built in the game.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_days: Option<u32>,
    /// The chance that air defence over it stops a strike on it, besides the striker's own
    /// `intercepted`. Absent: 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub air_defence: Option<f64>,
}

/// A road.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Road")]
pub struct RawRoad {
    /// Name or number.
    pub name: String,
    /// Places and points it runs through, in order.
    pub route: Vec<Location>,
}

/// The size of a settlement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PlaceSize {
    /// A village.
    Village,
    /// A town.
    Town,
    /// A city.
    City,
}

/// A named place.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Place")]
pub struct RawPlace {
    /// Name, unique.
    pub name: String,
    /// Where it is: `LatLon(..)` or `Hex(..)`.
    pub at: Location,
    /// Village, Town or City.
    pub size: PlaceSize,
}

/// The rail network.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Rail")]
pub struct RawRail {
    /// Stations and junctions.
    pub nodes: Vec<RawRailNode>,
    /// Lines between nodes.
    pub links: Vec<RawRailLink>,
    /// Off-map supply sources feeding nodes.
    pub sources: Vec<RawSupplySource>,
}

/// A station or junction.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "RailNode")]
pub struct RawRailNode {
    /// Name, unique among nodes.
    pub name: String,
    /// Where it is.
    pub at: Location,
}

/// A rail line between two nodes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "RailLink")]
pub struct RawRailLink {
    /// Name, unique among links.
    pub name: String,
    /// Node at one end.
    pub from: String,
    /// Node at the other end.
    pub to: String,
    /// Tonnes per day it can carry.
    pub capacity: u32,
    /// Points the line passes between its ends, in order.
    #[serde(default)]
    pub via: Vec<Location>,
    /// `Rail` (the default) or `Truck`: a road haul that stands in for a missing line.
    #[serde(default)]
    pub mode: LinkMode,
    /// Days to repair the line once the enemy has held its track; the rules'
    /// `rail_repair_days` when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repair_days: Option<u32>,
}

/// How a supply link carries its tonnage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkMode {
    /// A railway.
    #[default]
    Rail,
    /// Lorries on a road, where no railway runs.
    Truck,
}

/// Supply entering the network from off the map.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "SupplySource")]
pub struct RawSupplySource {
    /// Name.
    pub name: String,
    /// Side it supplies.
    pub side: String,
    /// Node where it enters.
    pub node: String,
    /// Tonnes per day it delivers.
    pub supply: u32,
}

/// A supply depot at a rail node.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Depot")]
pub struct RawDepot {
    /// Name, unique.
    pub name: String,
    /// Owning side.
    pub side: String,
    /// Rail node it stands at.
    pub node: String,
    /// Stock at the start, tonnes.
    pub stock: u32,
    /// Most it can hold, tonnes.
    pub capacity: u32,
    /// How far units can draw from it, in movement points.
    pub range: u32,
}

/// A grouping (command) of units.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Grouping")]
pub struct RawGrouping {
    /// Name, unique.
    pub name: String,
    /// Side.
    pub side: String,
    /// Hexes of the line it falls back to when ordered to withdraw.
    #[serde(default)]
    pub fallback: Vec<Location>,
    /// Further lines behind it, nearest first: a grouping still in trouble on one line
    /// falls back to the next, one line at a time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rear_lines: Vec<Vec<Location>>,
    /// Its own thresholds for its side's operational AI, where they differ from the side's
    /// (`OperationalAi`): each field given replaces the side's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdraw: Option<RawThresholds>,
    /// Another grouping of its side under the same command decision: while that one is
    /// ordered back, so is this one (the same day when that one comes first in the file,
    /// else the next), on to its further lines as it reaches each, and it does not stand
    /// fast meanwhile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdraws_with: Option<String>,
    /// A directive from above that overrules its commander's judgement: `Hold` (never
    /// ordered back, whatever its reasons) or `WithdrawOn("2022-09-08")` (ordered back on
    /// that date, and not before, then on from line to line without standing fast).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directive: Option<RawDirective>,
}

/// A grouping's directive from above (see `RawGrouping::directive`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RawDirective {
    /// Never ordered back.
    Hold,
    /// Ordered back on this date.
    WithdrawOn(NaiveDate),
}

/// A grouping's own withdrawal thresholds: each field given replaces its side's in
/// `OperationalAi`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Thresholds")]
pub struct RawThresholds {
    /// Days of supply below which it has a reason to fall back.
    #[serde(default)]
    pub days_of_supply_below: Option<f64>,
    /// Share of its rail supply cut at which it has a reason to fall back.
    #[serde(default)]
    pub lines_cut_at_least: Option<f64>,
    /// Enemy over own strength near it above which it has a reason to fall back.
    #[serde(default)]
    pub force_ratio_above: Option<f64>,
    /// Reasons needed at once.
    #[serde(default)]
    pub reasons_needed: Option<u32>,
    /// Share of the ground around it the enemy holds at which it has a reason.
    #[serde(default)]
    pub encircled_at_least: Option<f64>,
    /// Days in a row without a reason before, once ordered back, it stands fast.
    #[serde(default)]
    pub stand_fast_after_days: Option<u32>,
    /// Days of supply at or above which, once ordered back with no reason left, it stands
    /// fast at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stand_fast_above_days: Option<f64>,
}

/// The type of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum UnitKind {
    /// Tank.
    Tank,
    /// Mechanized or motor rifle.
    Mechanized,
    /// Airborne, air assault or airmobile.
    AirAssault,
    /// Infantry, marines, volunteers.
    Infantry,
    /// Territorial defence, national guard, Rosgvardia, militia.
    Territorial,
    /// Artillery and rocket artillery.
    Artillery,
}

/// The echelon of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum UnitSize {
    /// Battalion or battalion tactical group.
    Battalion,
    /// Regiment.
    Regiment,
    /// Brigade.
    Brigade,
    /// Division.
    Division,
}

/// A unit.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Unit")]
pub struct RawUnit {
    /// Name, unique.
    pub name: String,
    /// Side.
    pub side: String,
    /// Type.
    pub kind: UnitKind,
    /// Echelon.
    pub size: UnitSize,
    /// Grouping it belongs to.
    pub grouping: String,
    /// Where it starts (or arrives, for a reinforcement).
    pub at: Location,
    /// Fraction of its establishment present, 0.05 to 1.
    pub strength: f64,
    /// Attack factor at full strength.
    pub attack: u32,
    /// Defence factor at full strength.
    pub defence: u32,
    /// Movement points per day.
    pub movement: u32,
    /// Readiness (training, morale, fatigue), 0 to 1.
    pub readiness: f64,
    /// Supply it uses per day at full strength, tonnes.
    pub supply_use: u32,
    /// How far it sees enemy units, in hexes.
    #[serde(default = "default_recon")]
    pub recon: u32,
    /// Counts of its major equipment by kind.
    #[serde(default)]
    pub equipment: BTreeMap<String, u32>,
}

fn default_recon() -> u32 {
    2
}

/// An objective.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Objective")]
pub struct RawObjective {
    /// The place.
    pub place: String,
    /// Victory points to the side holding it at the end.
    pub points: u32,
}

/// A dated event.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename = "Event", deny_unknown_fields)]
pub enum RawEvent {
    /// A unit enters the map at its `at` on a date.
    Reinforcement {
        /// When.
        date: NaiveDate,
        /// Which unit.
        unit: String,
    },
    /// A unit leaves the map on a date (before the start: it is never on the map).
    Departure {
        /// When.
        date: NaiveDate,
        /// Which unit.
        unit: String,
        /// Why, in a few words.
        #[serde(default)]
        reason: String,
    },
    /// Damage done at the start of a day (a strike the scenario dates, or one made before
    /// it starts, dated on its first day): a crossing cut to a share of its capacity, a
    /// railway cut, a depot's stock partly destroyed.
    Damage {
        /// When.
        date: NaiveDate,
        /// What.
        target: RawTarget,
        /// A crossing: the share of its capacity left (0 closes it to supply and units).
        #[serde(default)]
        capacity_left: Option<f64>,
        /// A crossing or a railway: days its side needs to repair it.
        #[serde(default)]
        days: Option<u32>,
        /// A depot: the share of its stock destroyed.
        #[serde(default)]
        stock_lost: Option<f64>,
        /// Why, in a few words.
        #[serde(default)]
        reason: String,
    },
    /// A crossing or railway repaired (or a crossing down rebuilt) at the start of a day.
    Repair {
        /// When.
        date: NaiveDate,
        /// What.
        target: RawTarget,
        /// Why, in a few words.
        #[serde(default)]
        reason: String,
    },
}

impl RawEvent {
    /// The unit the event concerns, if it concerns one.
    pub fn unit(&self) -> Option<&str> {
        match self {
            RawEvent::Reinforcement { unit, .. } | RawEvent::Departure { unit, .. } => Some(unit),
            RawEvent::Damage { .. } | RawEvent::Repair { .. } => None,
        }
    }
}

/// What damage or a strike is done to: a crossing, a railway or a depot, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RawTarget {
    /// A crossing.
    Crossing(String),
    /// A rail link (a railway; a lorry haul is struck at its crossing).
    Link(String),
    /// A depot.
    Depot(String),
    /// A rail node (a junction or station): every railway meeting there.
    Node(String),
}

/// When a side's operational AI orders a grouping to withdraw.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "OperationalAi")]
pub struct RawAi {
    /// The side.
    pub side: String,
    /// A reason to withdraw: days of supply left (stock over use at the current inflow) below this.
    pub days_of_supply_below: f64,
    /// A reason to withdraw: the share of a grouping's rail supply that is cut, at or above this (0 to 1).
    pub lines_cut_at_least: f64,
    /// A reason to withdraw: local enemy to own strength ratio above this.
    pub force_ratio_above: f64,
    /// How many of the reasons must hold at once.
    pub reasons_needed: u32,
    /// A reason to withdraw: the share of the ground around a grouping (the ring just
    /// beyond `force_ratio_radius` of its units) that the enemy holds, at or above this
    /// (0 to 1): the threat of encirclement. Not a reason when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encircled_at_least: Option<f64>,
    /// The ratio of attack to the enemy's defence near a grouping that this side's AI
    /// needs to take the offensive; the rules' `attack_ratio` when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attack_ratio: Option<f64>,
    /// The commander watches its lines: a rail link that an enemy unit has come within
    /// this many hexes of (where none stood at the start) counts, in the supply and lines
    /// reasons, as if already cut. Lines are counted lost only once cut when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threat_radius: Option<u32>,
    /// A grouping ordered back stands fast only once no reason to withdraw has held for
    /// this many days in a row (1 to 30): an order is not taken back the day after it was
    /// given because the units falling back have come within reach of another depot. The
    /// first day without a reason when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stand_fast_after_days: Option<u32>,
    /// Or sooner: a grouping ordered back with no reason left stands fast at once when its
    /// days of supply have risen to this many (the other way across a higher threshold
    /// than `days_of_supply_below`). Only after `stand_fast_after_days` when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stand_fast_above_days: Option<f64>,
}

/// One step of an operational plan: from a date, a grouping advances along an axis.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "PlanStep")]
pub struct RawPlanStep {
    /// The grouping.
    pub grouping: String,
    /// From this date on.
    pub from: NaiveDate,
    /// Objectives in order: the grouping takes each in turn.
    pub axis: Vec<Location>,
    /// What the grouping does past the end of its axis: `Pursue` (the default: on toward
    /// the enemy's depots and objectives) or `Hold` (dig in).
    #[serde(default, skip_serializing_if = "AxisEnd::is_pursue")]
    pub then: AxisEnd,
}

/// What a plan grouping does once it has taken the whole of its axis.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum AxisEnd {
    /// Exploit: on toward the enemy's depots and the objectives the enemy holds.
    #[default]
    Pursue,
    /// Dig in where it stands.
    Hold,
}

impl AxisEnd {
    /// Whether it is the default, `Pursue`.
    pub fn is_pursue(&self) -> bool {
        *self == AxisEnd::Pursue
    }
}

/// Numbers the rules use. Every field has a default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Rules")]
pub struct RawRules {
    /// Most units in one hex.
    pub stacking_limit: u32,
    /// Movement points to move along a road from hex to hex.
    pub road_move_cost: u32,
    /// Extra movement points to leave a hex in an enemy zone of control.
    pub zoc_cost: u32,
    /// A unit receiving at least this share of its supply is supplied.
    pub supplied_share: f64,
    /// A unit receiving less than this share is out of supply (between the two: short).
    pub out_of_supply_share: f64,
    /// Readiness lost per day short of supply.
    pub readiness_loss_short: f64,
    /// Readiness lost per day out of supply.
    pub readiness_loss_out: f64,
    /// Readiness regained per day in supply, up to the unit's starting readiness.
    pub readiness_recovery: f64,
    /// Days out of supply before strength starts to fall.
    pub attrition_after_days: u32,
    /// Share of strength lost per day out of supply after that.
    pub attrition_per_day: f64,
    /// Days of use a depot tries to hold in stock.
    pub depot_reserve_days: f64,
    /// Hexes around a grouping in which the operational AI counts forces.
    pub force_ratio_radius: u32,
    /// Readiness below which a unit is routed: it cannot attack and abandons its equipment.
    pub routed_readiness: f64,
    /// Extra movement points to enter a hex the enemy holds, unless it is uncontested (no
    /// enemy unit within `contested_radius`).
    pub enemy_ground_cost: u32,
    /// Hexes from an enemy unit within which ground is contested: entering enemy ground
    /// there costs extra, and a move through it does not take it.
    pub contested_radius: u32,
    /// At each day's end, ground no unit stands on passes to the side with a unit within
    /// this many hexes, when no unit of the side holding it is as near.
    pub claim_radius: u32,
    /// Rail capacity a unit takes to move by rail, in days of its supply use (a unit using
    /// 250 t a day takes 2,500 t of each line's day at 10). Left out of the scenario's
    /// content hash at its default, so that scenarios written before it hash as they did.
    #[serde(skip_serializing_if = "is_default_rail_move_days")]
    pub rail_move_days: f64,
    /// Days to repair a rail link whose track the enemy held, once a side holds all of it.
    pub rail_repair_days: u32,
    /// Days to repair a rail link over a blown bridge.
    pub bridge_repair_days: u32,
    /// Units the AI keeps in each objective and city its side holds (its garrison).
    pub garrison_units: u32,
    /// The ratio of a grouping's attack strength to the defence of the enemy near it that
    /// the AI needs to take the offensive.
    pub attack_ratio: f64,
    /// How far a commander's estimate of the enemy's strength may be off, as a share
    /// (0.25: from 25% under to 25% over, drawn each day with the game's dice).
    pub intel_error: f64,
    /// Share of a depot's stock its captor takes over with it (the rest is destroyed or
    /// carried off). Left out of the scenario's content hash at its default.
    #[serde(skip_serializing_if = "is_zero")]
    pub captured_stock_share: f64,
    /// Days in a row out of supply after which a unit, cut off and starving, surrenders
    /// (0: never); its equipment stays where it stood, for the enemy to take with the hex.
    /// Left out of the scenario's content hash at its default.
    #[serde(skip_serializing_if = "is_default_surrender_after_days")]
    pub surrender_after_days: u32,
    /// The combat results table: one row for each odds column ([`COMBAT_COLUMNS`]: under
    /// 1:1, 1:1, 1.5:1, 2:1, 3:1, 4:1, 6:1 and more), each of six results, for a die of 1
    /// to 6: `(attacker_loss, defender_loss, retreat)`, the shares of strength each side
    /// loses and the hexes the defenders fall back (0: they hold the hex). Omitted: the
    /// standard table, [`COMBAT_TABLE`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub combat_table: Option<Vec<Vec<CombatResult>>>,
    /// Hexes from which artillery joins an attack: at 1 it attacks from next to the target
    /// like any unit; farther, it fires in support of units next to the target (it takes
    /// no losses and does not move in). Left out of the scenario's content hash at 1.
    #[serde(skip_serializing_if = "is_one")]
    pub artillery_range: u32,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_one(v: &u32) -> bool {
    *v == 1
}

/// One result of the combat results table: the attackers' loss and the defenders' loss
/// (shares of strength, 0 to 1) and the hexes the defenders fall back.
pub type CombatResult = (f64, f64, u32);

/// The odds columns of the combat results table, as a player reads them: a row of the
/// table for each.
pub const COMBAT_COLUMNS: [&str; 7] = [
    "under 1:1",
    "1:1",
    "1.5:1",
    "2:1",
    "3:1",
    "4:1",
    "6:1 and more",
];

/// The standard combat results table (`combat_table` when a scenario leaves it out). At
/// 1:1 half the dice push the defender back; at 1.5:1 two in three; at 2:1 all but a 1,
/// which leaves the defender in place for the attackers' heavier loss; from 3:1 every die.
/// Under 1:1 only a 6 moves the defender.
pub const COMBAT_TABLE: [[CombatResult; 6]; 7] = [
    [
        (0.10, 0.00, 0),
        (0.10, 0.00, 0),
        (0.08, 0.02, 0),
        (0.06, 0.04, 0),
        (0.05, 0.05, 0),
        (0.04, 0.06, 1),
    ],
    [
        (0.08, 0.02, 0),
        (0.07, 0.03, 0),
        (0.06, 0.05, 0),
        (0.05, 0.06, 1),
        (0.04, 0.08, 1),
        (0.03, 0.10, 1),
    ],
    [
        (0.07, 0.03, 0),
        (0.06, 0.05, 0),
        (0.04, 0.08, 1),
        (0.04, 0.10, 1),
        (0.03, 0.12, 1),
        (0.02, 0.15, 2),
    ],
    [
        (0.06, 0.05, 0),
        (0.04, 0.08, 1),
        (0.03, 0.10, 1),
        (0.03, 0.12, 2),
        (0.02, 0.15, 2),
        (0.02, 0.20, 2),
    ],
    [
        (0.04, 0.08, 1),
        (0.03, 0.10, 1),
        (0.03, 0.12, 2),
        (0.02, 0.15, 2),
        (0.02, 0.20, 2),
        (0.01, 0.25, 3),
    ],
    [
        (0.03, 0.10, 1),
        (0.02, 0.12, 2),
        (0.02, 0.15, 2),
        (0.02, 0.20, 2),
        (0.01, 0.25, 3),
        (0.01, 0.30, 3),
    ],
    [
        (0.02, 0.15, 2),
        (0.02, 0.20, 2),
        (0.01, 0.25, 3),
        (0.01, 0.30, 3),
        (0.01, 0.35, 3),
        (0.00, 0.40, 3),
    ],
];

impl RawRules {
    /// The six results of an odds column (0: under 1:1; past the last, the last), from
    /// the scenario's table or the standard one. A table of the wrong shape (which
    /// validation refuses) reads as the standard one.
    pub fn combat_results(&self, column: usize) -> [CombatResult; 6] {
        let column = column.min(COMBAT_COLUMNS.len() - 1);
        self.combat_table
            .as_ref()
            .filter(|t| t.len() == COMBAT_COLUMNS.len())
            .and_then(|t| <[CombatResult; 6]>::try_from(t[column].as_slice()).ok())
            .unwrap_or(COMBAT_TABLE[column])
    }
}

/// The default of `surrender_after_days`.
pub const SURRENDER_AFTER_DAYS: u32 = 14;

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_default_surrender_after_days(v: &u32) -> bool {
    *v == SURRENDER_AFTER_DAYS
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

/// The default of `rail_move_days`.
const RAIL_MOVE_DAYS: f64 = 10.0;

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_default_rail_move_days(v: &f64) -> bool {
    *v == RAIL_MOVE_DAYS
}

impl Default for RawRules {
    fn default() -> Self {
        Self {
            stacking_limit: 3,
            road_move_cost: 1,
            zoc_cost: 2,
            supplied_share: 0.75,
            out_of_supply_share: 0.25,
            readiness_loss_short: 0.03,
            readiness_loss_out: 0.08,
            readiness_recovery: 0.04,
            attrition_after_days: 2,
            attrition_per_day: 0.03,
            depot_reserve_days: 5.0,
            force_ratio_radius: 3,
            routed_readiness: 0.2,
            enemy_ground_cost: 2,
            contested_radius: 2,
            claim_radius: 2,
            rail_move_days: RAIL_MOVE_DAYS,
            rail_repair_days: 7,
            bridge_repair_days: 21,
            garrison_units: 1,
            attack_ratio: 1.5,
            intel_error: 0.25,
            captured_stock_share: 0.0,
            surrender_after_days: SURRENDER_AFTER_DAYS,
            combat_table: None,
            artillery_range: 1,
        }
    }
}

/// A dated entry of the historical timeline.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "History")]
pub struct RawHistory {
    /// When.
    pub date: NaiveDate,
    /// What happened.
    pub text: String,
    /// How sure the sources are: firm, single, claim, uncertain, derived.
    pub rating: String,
    /// What of it a game can be checked against (`railhead calibrate`), each with the
    /// band the game should fall in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<RawFact>,
}

/// A fact of the timeline that a game can be measured against, with its band (a day
/// range counted from the scenario's first day, day 1; a share; a count). A fact without
/// a band is shown, not judged.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum RawFact {
    /// The first day at whose end the place's hex is held by `by`:
    /// `Taken(place: "Kupiansk", by: "ua", days: (4, 6))`.
    Taken {
        /// A place from `places`.
        place: String,
        /// A side id.
        by: String,
        /// The band: first and last day.
        #[serde(default)]
        days: Option<(u32, u32)>,
    },
    /// The first day at whose end a unit of `by` stands within `within` hexes of the
    /// place (a river reached or crossed near it): `Reached(place: "Borova", by: "ua",
    /// within: 1, days: (5, 11))`.
    Reached {
        /// A place from `places`.
        place: String,
        /// A side id.
        by: String,
        /// Hexes from the place, 0 to 10.
        #[serde(default)]
        within: u32,
        /// The band: first and last day.
        #[serde(default)]
        days: Option<(u32, u32)>,
    },
    /// The place is held by `side` at the end of every day: `NeverLost(place: "Kharkiv",
    /// side: "ua")`.
    NeverLost {
        /// A place from `places`.
        place: String,
        /// A side id.
        side: String,
    },
    /// The place is held by `side` at the end of the game: `HeldAtEnd(place:
    /// "Vovchansk", side: "ua")`.
    HeldAtEnd {
        /// A place from `places`.
        place: String,
        /// A side id.
        side: String,
    },
    /// The day the operational AI orders the grouping to withdraw:
    /// `WithdrawalOrdered(grouping: "Izium grouping", days: (4, 6))`.
    WithdrawalOrdered {
        /// A grouping from `groupings`.
        grouping: String,
        /// The band: first and last day.
        #[serde(default)]
        days: Option<(u32, u32)>,
    },
    /// The share of the grouping's units not destroyed by the end (its garrison escapes):
    /// `Escapes(grouping: "Lyman-Siversk group", share: (0.5, 1.0))`.
    Escapes {
        /// A grouping from `groupings`.
        grouping: String,
        /// The band: least and most share, 0 to 1.
        #[serde(default)]
        share: Option<(f64, f64)>,
    },
    /// Items of enemy equipment `by` has captured by the end: `Captured(by: "ua", items:
    /// (300, 1500))`.
    Captured {
        /// A side id.
        by: String,
        /// A grouping of the enemy's: count only what was taken from its units (what its
        /// withdrawal cost); absent: everything `by` captured.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        /// The band: least and most items.
        #[serde(default)]
        items: Option<(u32, u32)>,
    },
}

/// A historical figure of territory regained.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "TerritoryFigure")]
pub struct RawTerritoryFigure {
    /// As of.
    pub date: NaiveDate,
    /// Square kilometres.
    pub km2: f64,
    /// Who said so, and what the figure covers.
    pub source: String,
    /// Id of the side that regained it; the first side when omitted.
    #[serde(default)]
    pub side: Option<String>,
    /// The band the game's figure on that day should fall in (least and most km²), for
    /// `railhead calibrate`; without it the figure is shown, not judged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<(f64, f64)>,
    /// A figure over a period ("about 500 km² in a week"): what was gained after the end
    /// of this date, up to the end of `date`. Absent: since the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<NaiveDate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The authors' guide prints the standard results table as a `Rules` an author can
    /// copy; it is the table the rules use.
    #[test]
    fn the_authors_guide_prints_the_standard_results_table() {
        let guide = include_str!("../../scenarios/README.md");
        let start = guide
            .find("rules: Rules(\n    combat_table:")
            .expect("the guide prints the table");
        let end = start + guide[start..].find("\n```").expect("its block ends");
        let text = guide[start + "rules: ".len()..end]
            .trim_end()
            .trim_end_matches(',');
        let rules: RawRules = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(text)
            .expect("the guide's table reads");
        let table = rules.combat_table.expect("a table");
        let standard: Vec<Vec<CombatResult>> = COMBAT_TABLE.iter().map(|r| r.to_vec()).collect();
        assert_eq!(table, standard);
    }
}
