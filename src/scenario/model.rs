//! The validated scenario: what the rules, the map renderer and the window read.
//!
//! Every reference is resolved to an index, every position to a hex on the map, and every
//! number is known to be in range; nothing here can fail at run time because of a file.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use serde::{Deserialize, Serialize};

use super::ids::{CrossingId, DepotId, GroupingId, LinkId, PlaceId, RiverId, SideId, UnitId};
use super::raw::{CrossingKind, LinkMode, PlaceSize, UnitKind, UnitSize};
use crate::geo::{Frame, LatLon, Offset};

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Parses `#rrggbb`.
    pub fn parse(s: &str) -> Option<Rgb> {
        let hex = s.strip_prefix('#')?;
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Rgb(byte(0)?, byte(2)?, byte(4)?))
    }
}

/// The patterns of the terrain tileset (`assets/tiles/terrain-patterns.png`), in its order.
pub const TERRAIN_PATTERNS: [&str; 6] = ["plain", "fields", "trees", "buildings", "marsh", "hills"];

/// A kind of terrain.
#[derive(Debug, Clone, PartialEq)]
pub struct TerrainType {
    /// Identifier.
    pub id: String,
    /// Its character in the map rows.
    pub symbol: char,
    /// Movement points to enter off-road.
    pub move_cost: u32,
    /// Defence multiplier.
    pub defence: f64,
    /// Map colour.
    pub colour: Rgb,
    /// Index into [`TERRAIN_PATTERNS`] of the pattern drawn over the colour.
    pub pattern: usize,
    /// Open water: no unit enters it, nobody holds it, nothing crosses it.
    pub water: bool,
}

/// A side.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    /// Short id, e.g. `ua`.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Control symbol.
    pub symbol: char,
    /// Counter colour.
    pub colour: Rgb,
}

/// A river.
#[derive(Debug, Clone, PartialEq)]
pub struct River {
    /// Name.
    pub name: String,
    /// Its course, upstream to downstream.
    pub course: Vec<LatLon>,
    /// Extra movement points to cross away from crossings; `None`: impassable there.
    pub crossing_cost: Option<u32>,
    /// Extra movement points at a ford.
    pub ford_cost: u32,
}

/// A bridge, ford, pontoon bridge or ferry.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossing {
    /// Name.
    pub name: String,
    /// Index into [`Scenario::rivers`].
    pub river: usize,
    /// The hex it serves.
    pub hex: Offset,
    /// Bridge or ford.
    pub kind: CrossingKind,
    /// Whether it stands (a blown bridge does not).
    pub intact: bool,
    /// Most tonnes of supply a day over it, both ways; `None`: no limit.
    pub tonnes_per_day: Option<u32>,
    /// Most units over it a day, both ways; `None`: no limit.
    pub units_per_day: Option<u32>,
    /// Days to build it (a pontoon bridge or ferry), if it can be built in the game.
    pub build_days: Option<u32>,
    /// The chance that air defence over it stops a strike on it (after the striker's own
    /// interception chance).
    pub air_defence: f64,
    /// The rail links whose track crosses the river here (indices into
    /// [`Scenario::rail_links`], in order): the lines a blown bridge wrecks.
    pub rail_links: Vec<usize>,
}

/// A hex side that a river runs along.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RiverEdge {
    /// Index into [`Scenario::rivers`].
    pub river: usize,
    /// Index into [`Scenario::crossings`], where there is a bridge or ford.
    pub crossing: Option<usize>,
}

/// One side of a hex, as movement and supply searches see it: precomputed once per
/// scenario from terrain, roads and rivers, so that a search reads a flat table instead of
/// looking up the roads and rivers along each side it crosses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HexSide {
    /// Row-major index of the hex across this side; [`HexSide::OFF_MAP`] off the map.
    pub to: u32,
    /// Movement points to enter that hex across this side, before any river: the road's
    /// cost where a road crosses the side, else the terrain's.
    pub base: u32,
    /// The same the other way: to enter this hex from that one.
    pub back: u32,
    /// Index into [`Scenario::rivers`] of a river along this side; [`HexSide::NONE`] if none.
    pub river: u32,
    /// Index into [`Scenario::crossings`] of its bridge or ford; [`HexSide::NONE`] if none.
    pub crossing: u32,
}

impl HexSide {
    /// `to` of a side on the map's edge.
    pub const OFF_MAP: u32 = u32::MAX;
    /// No river, or no crossing.
    pub const NONE: u32 = u32::MAX;
}

/// The six sides of every hex, row-major, in hexx's order of neighbours.
pub fn sides_of_hexes(
    frame: &Frame,
    terrain: &[usize],
    terrain_types: &[TerrainType],
    river_edges: &BTreeMap<(Offset, Offset), RiverEdge>,
    road_edges: &BTreeSet<(Offset, Offset)>,
    road_move_cost: u32,
) -> Vec<[HexSide; 6]> {
    let index = |o: Offset| (o.row * frame.columns + o.col) as usize;
    let off = HexSide {
        to: HexSide::OFF_MAP,
        base: 0,
        back: 0,
        river: HexSide::NONE,
        crossing: HexSide::NONE,
    };
    let mut sides = Vec::with_capacity(terrain.len());
    for row in 0..frame.rows {
        for col in 0..frame.columns {
            let at = Offset { col, row };
            let mut six = [off; 6];
            for (k, h) in crate::geo::offset_to_hex(at)
                .all_neighbors()
                .into_iter()
                .enumerate()
            {
                let nb = crate::geo::hex_to_offset(h);
                // Water is as the map's edge: no move, trace or claim crosses into it.
                let wet = |o: Offset| terrain_types[terrain[index(o)]].water;
                if !frame.contains(nb) || wet(at) || wet(nb) {
                    continue;
                }
                let key = edge_key(at, nb);
                let river = river_edges.get(&key);
                let road = road_edges.contains(&key);
                let enter = |o: Offset| {
                    if road {
                        road_move_cost
                    } else {
                        terrain_types[terrain[index(o)]].move_cost
                    }
                };
                six[k] = HexSide {
                    to: index(nb) as u32,
                    base: enter(nb),
                    back: enter(at),
                    river: river.map_or(HexSide::NONE, |e| e.river as u32),
                    crossing: river
                        .and_then(|e| e.crossing)
                        .map_or(HexSide::NONE, |c| c as u32),
                };
            }
            sides.push(six);
        }
    }
    sides
}

/// The most a step across one of `sides` can cost, its river crossed at its dearest.
pub fn longest_step(sides: &[[HexSide; 6]], rivers: &[River]) -> u32 {
    let base = sides
        .iter()
        .flatten()
        .map(|h| h.base.max(h.back))
        .max()
        .unwrap_or(0);
    let river = rivers
        .iter()
        .map(|r| r.crossing_cost.unwrap_or(0).max(r.ford_cost))
        .max()
        .unwrap_or(0);
    base + river
}

/// The least a step across one of `sides` costs, at least 1.
pub fn shortest_step(sides: &[[HexSide; 6]]) -> u32 {
    sides
        .iter()
        .flatten()
        .filter(|h| h.to != HexSide::OFF_MAP)
        .map(|h| h.base.min(h.back))
        .min()
        .unwrap_or(1)
        .max(1)
}

/// A road.
#[derive(Debug, Clone, PartialEq)]
pub struct Road {
    /// Name.
    pub name: String,
    /// The hexes it runs through, each next to the one before.
    pub hexes: Vec<Offset>,
}

/// A named place.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Name.
    pub name: String,
    /// Where it is on the ground.
    pub position: LatLon,
    /// Its hex.
    pub hex: Offset,
    /// Its size.
    pub size: PlaceSize,
}

/// A station or junction.
#[derive(Debug, Clone, PartialEq)]
pub struct RailNode {
    /// Name.
    pub name: String,
    /// Its hex.
    pub hex: Offset,
}

/// A rail line between two nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct RailLink {
    /// Name.
    pub name: String,
    /// Index of one end in [`Scenario::rail_nodes`].
    pub from: usize,
    /// Index of the other end.
    pub to: usize,
    /// Tonnes per day.
    pub capacity: u32,
    /// The hexes it runs through, from `from` to `to`, each next to the one before.
    pub hexes: Vec<Offset>,
    /// Rail or truck haul.
    pub mode: LinkMode,
    /// Days to repair its track, if the rules' default does not apply.
    pub repair_days: Option<u32>,
    /// The crossings it passes, from `from` to `to`.
    pub crossings: Vec<LinkCrossing>,
}

/// Where a rail link passes a crossing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkCrossing {
    /// Index into [`Scenario::crossings`].
    pub crossing: usize,
    /// Whether the link's `from` end lies on the crossing's own bank (the bank of its hex).
    pub from_on_own_bank: bool,
}

/// Supply entering the rail network from off the map.
#[derive(Debug, Clone, PartialEq)]
pub struct SupplySource {
    /// Name.
    pub name: String,
    /// Side it supplies.
    pub side: SideId,
    /// Node where it enters.
    pub node: usize,
    /// Tonnes per day.
    pub supply: u32,
}

/// A supply depot.
#[derive(Debug, Clone, PartialEq)]
pub struct Depot {
    /// Name.
    pub name: String,
    /// Owning side.
    pub side: SideId,
    /// Rail node it stands at.
    pub node: usize,
    /// Its hex (the node's).
    pub hex: Offset,
    /// Stock at the start, tonnes.
    pub stock: u32,
    /// Capacity, tonnes.
    pub capacity: u32,
    /// Draw range in movement points.
    pub range: u32,
}

/// A grouping (command).
#[derive(Debug, Clone, PartialEq)]
pub struct Grouping {
    /// Name.
    pub name: String,
    /// Side.
    pub side: SideId,
    /// Hexes of its fallback line.
    pub fallback: Vec<Offset>,
    /// The lines behind it, nearest first.
    pub rear_lines: Vec<Vec<Offset>>,
    /// Its own withdrawal thresholds, where they differ from its side's.
    pub withdraw: Option<super::raw::RawThresholds>,
    /// The grouping whose withdrawal order is also its own, if any.
    pub withdraws_with: Option<GroupingId>,
    /// A directive from above that overrules its commander, if any.
    pub directive: Option<Directive>,
}

/// A directive from above that overrules a grouping's commander: the decision a player,
/// a class or a scenario takes out of the operational AI's hands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Directive {
    /// Never ordered back, whatever its reasons.
    Hold,
    /// Ordered back on this day (1 = the first), not before; then on from line to line
    /// while its reasons hold, and it does not stand fast.
    WithdrawOn(u32),
}

impl Grouping {
    /// Its fallback lines in order: `fallback`, then each rear line (none without a
    /// fallback line).
    pub fn line(&self, k: usize) -> &[Offset] {
        match k {
            0 => &self.fallback,
            _ => self
                .rear_lines
                .get(k - 1)
                .or(self.rear_lines.last())
                .map_or(&self.fallback, Vec::as_slice),
        }
    }

    /// How many fallback lines it has.
    pub fn lines(&self) -> usize {
        if self.fallback.is_empty() {
            0
        } else {
            1 + self.rear_lines.len()
        }
    }
}

/// A unit as the scenario sets it up.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitSpec {
    /// Name.
    pub name: String,
    /// Side.
    pub side: SideId,
    /// Type.
    pub kind: UnitKind,
    /// Echelon.
    pub size: UnitSize,
    /// Index into [`Scenario::groupings`].
    pub grouping: GroupingId,
    /// Starting (or arrival) hex.
    pub hex: Offset,
    /// Fraction of establishment.
    pub strength: f64,
    /// Attack factor at full strength.
    pub attack: u32,
    /// Defence factor at full strength.
    pub defence: u32,
    /// Movement points per day.
    pub movement: u32,
    /// Readiness 0..1.
    pub readiness: f64,
    /// Tonnes per day at full strength.
    pub supply_use: u32,
    /// Reconnaissance reach in hexes.
    pub recon: u32,
    /// Equipment by kind.
    pub equipment: BTreeMap<String, u32>,
    /// Date it enters the map, if it is a reinforcement.
    pub arrives: Option<NaiveDate>,
    /// Date it leaves the map, if it departs.
    pub departs: Option<NaiveDate>,
}

/// An objective.
#[derive(Debug, Clone, PartialEq)]
pub struct Objective {
    /// Index into [`Scenario::places`].
    pub place: usize,
    /// Victory points.
    pub points: u32,
}

/// How the end of the game is judged, for one side ([`Scenario::victory`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Victory {
    /// The side whose success is judged.
    pub side: crate::scenario::ids::SideId,
    /// The levels, best first.
    pub levels: Vec<VictoryLevel>,
    /// The verdict when no level holds.
    pub otherwise: String,
    /// How history came out.
    pub history: Option<String>,
}

/// One level of success: every condition given holds at the end.
#[derive(Debug, Clone, PartialEq)]
pub struct VictoryLevel {
    /// The verdict.
    pub name: String,
    /// Victory points at least.
    pub points_at_least: Option<u32>,
    /// Territory taken since the start, km², at least.
    pub km2_at_least: Option<f64>,
    /// Places held (indices into [`Scenario::places`]).
    pub holds: Vec<usize>,
}

/// Operational AI thresholds of one side.
#[derive(Debug, Clone, PartialEq)]
pub struct AiSettings {
    /// Side.
    pub side: SideId,
    /// Withdraw reason: days of supply below this.
    pub days_of_supply_below: f64,
    /// Withdraw reason: share of rail supply cut at least this.
    pub lines_cut_at_least: f64,
    /// Withdraw reason: enemy/own force ratio above this.
    pub force_ratio_above: f64,
    /// Reasons needed at once.
    pub reasons_needed: u32,
    /// Withdraw reason: share of the ground around it the enemy holds at least this.
    pub encircled_at_least: Option<f64>,
    /// Attack ratio this side needs, if not the rules' own.
    pub attack_ratio: Option<f64>,
    /// Hexes within which an enemy unit puts a rail link at risk, in the commander's
    /// outlook (none: lines count as lost only when cut).
    pub threat_radius: Option<u32>,
    /// Days in a row without a reason to withdraw before a grouping ordered back stands
    /// fast (1: the first such day).
    pub stand_fast_after_days: u32,
    /// Days of supply at or above which a grouping ordered back with no reason left stands
    /// fast at once.
    pub stand_fast_above_days: Option<f64>,
}

/// Numbers the rules use; see [`super::raw::RawRules`] for each field.
pub type Rules = super::raw::RawRules;

/// One step of an operational plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanStep {
    /// Index into [`Scenario::groupings`].
    pub grouping: GroupingId,
    /// From this date on.
    pub from: NaiveDate,
    /// Objective hexes in order.
    pub axis: Vec<Offset>,
    /// What the grouping does past the end of its axis.
    pub then: super::raw::AxisEnd,
}

/// A historical timeline entry.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    /// When.
    pub date: NaiveDate,
    /// What.
    pub text: String,
    /// Source rating.
    pub rating: String,
    /// What of it a game is measured against.
    pub facts: Vec<Fact>,
}

/// A fact of the timeline a game is measured against (`railhead calibrate`), with its
/// band; see [`super::raw::RawFact`] for each.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    /// The first day the place is held by `by`; the band is a day range.
    Taken {
        /// The place.
        place: PlaceId,
        /// The side.
        by: SideId,
        /// First and last day.
        days: Option<(u32, u32)>,
    },
    /// The first day a unit of `by` stands within `within` hexes of the place.
    Reached {
        /// The place.
        place: PlaceId,
        /// The side.
        by: SideId,
        /// Hexes.
        within: u32,
        /// First and last day.
        days: Option<(u32, u32)>,
    },
    /// The place held by `side` at the end of every day.
    NeverLost {
        /// The place.
        place: PlaceId,
        /// The side.
        side: SideId,
    },
    /// The place held by `side` at the end.
    HeldAtEnd {
        /// The place.
        place: PlaceId,
        /// The side.
        side: SideId,
    },
    /// The day the grouping is ordered to withdraw.
    WithdrawalOrdered {
        /// The grouping.
        grouping: GroupingId,
        /// First and last day.
        days: Option<(u32, u32)>,
    },
    /// The share of the grouping's units not destroyed by the end.
    Escapes {
        /// The grouping.
        grouping: GroupingId,
        /// Least and most share.
        share: Option<(f64, f64)>,
    },
    /// Items of enemy equipment `by` captured by the end.
    Captured {
        /// The side.
        by: SideId,
        /// Only what was taken from this grouping's units, if given.
        from: Option<GroupingId>,
        /// Least and most items.
        items: Option<(u32, u32)>,
    },
}

/// A historical territory figure.
#[derive(Debug, Clone, PartialEq)]
pub struct TerritoryFigure {
    /// As of.
    pub date: NaiveDate,
    /// km².
    pub km2: f64,
    /// Source and scope.
    pub source: String,
    /// The side that regained it.
    pub side: SideId,
    /// The band the game's figure should fall in, km².
    pub band: Option<(f64, f64)>,
    /// A figure over a period: gained after the end of this date, up to `date`.
    pub since: Option<NaiveDate>,
}

/// A validated scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// A hash of the scenario's content ([`content_hash`]): the same for the same content
    /// whatever the file's layout and comments; any change to a value changes it.
    pub content_hash: String,
    /// The content itself, as hashed: the raw scenario (a variant's merged with its base)
    /// as JSON. A save carries it, so that it loads without reading any other file.
    pub content: std::sync::Arc<str>,
    /// Title.
    pub name: String,
    /// Description.
    pub description: String,
    /// Date of turn 1.
    pub start_date: NaiveDate,
    /// Number of turns.
    pub turns: u32,
    /// Default seed.
    pub seed: u64,
    /// Geographic frame and size of the map.
    pub frame: Frame,
    /// Terrain kinds.
    pub terrain_types: Vec<TerrainType>,
    /// Terrain of each hex, row-major, as an index into `terrain_types`.
    pub terrain: Vec<usize>,
    /// Side holding each hex at the start, row-major.
    pub control: Vec<Option<SideId>>,
    /// Sides.
    pub sides: Vec<Side>,
    /// Rivers.
    pub rivers: Vec<River>,
    /// Bridges and fords.
    pub crossings: Vec<Crossing>,
    /// Hex sides along rivers, keyed by the ordered pair of hexes.
    pub river_edges: BTreeMap<(Offset, Offset), RiverEdge>,
    /// Roads.
    pub roads: Vec<Road>,
    /// Hex sides a road crosses, as ordered pairs.
    pub road_edges: BTreeSet<(Offset, Offset)>,
    /// The six sides of every hex, row-major ([`sides_of_hexes`]): what the searches read.
    pub hex_sides: Vec<[HexSide; 6]>,
    /// The axial coordinates (hexx's `x`, `y`) of every hex, row-major: a hex's
    /// neighbour across side `k` lies at `hexx::Hex::NEIGHBORS_COORDS[k]` from it. What a
    /// search that measures how far a hex lies from others reads, instead of dividing.
    pub axial: Vec<[i32; 2]>,
    /// The most a single step across a hex side can cost, river included (what a search's
    /// queue of distances must span).
    pub longest_step: u32,
    /// The least a single step can cost (at least 1): a unit with `n` movement points
    /// goes at most `n / shortest_step` hexes.
    pub shortest_step: u32,
    /// The border line.
    pub border: Vec<LatLon>,
    /// Places.
    pub places: Vec<Place>,
    /// Rail nodes.
    pub rail_nodes: Vec<RailNode>,
    /// Rail links.
    pub rail_links: Vec<RailLink>,
    /// Off-map supply sources.
    pub sources: Vec<SupplySource>,
    /// Depots.
    pub depots: Vec<Depot>,
    /// Groupings.
    pub groupings: Vec<Grouping>,
    /// Units.
    pub units: Vec<UnitSpec>,
    /// Objectives.
    pub objectives: Vec<Objective>,
    /// How the end of the game is judged, if the scenario says.
    pub victory: Option<Victory>,
    /// AI settings per side.
    pub ai: Vec<AiSettings>,
    /// Operational plans, in file order.
    pub plans: Vec<PlanStep>,
    /// Rule numbers.
    pub rules: Rules,
    /// Historical timeline.
    pub history: Vec<HistoryEntry>,
    /// Historical territory figures.
    pub territory_history: Vec<TerritoryFigure>,
    /// Damage and repairs on dates, in date order (the file's order on one date).
    pub damage: Vec<DatedDamage>,
    /// Long-range strike assets, in the file's order.
    pub strike_assets: Vec<StrikeAssets>,
    /// The scenario's examples of glossary terms, as (term, example), in the file's order
    /// ([`super::glossary`]).
    pub glossary: Vec<(String, String)>,
}

/// A side's long-range strike assets.
#[derive(Debug, Clone, PartialEq)]
pub struct StrikeAssets {
    /// Name.
    pub name: String,
    /// The side that has them.
    pub side: SideId,
    /// Strikes a day.
    pub per_day: u32,
    /// Hexes from the nearest unit of the side to the target.
    pub range: u32,
    /// The chance a strike not intercepted hits.
    pub hit: f64,
    /// The chance the enemy's air defence intercepts a strike.
    pub intercepted: f64,
    /// The turns it can strike on (from 1), inclusive.
    pub turns: (u32, u32),
    /// What a hit does to a crossing, a railway, a depot (`None`: it does not strike them).
    pub crossings: Option<Harm>,
    /// What a hit does to a railway.
    pub links: Option<Harm>,
    /// What a hit does to a depot.
    pub depots: Option<Harm>,
    /// What a hit does to a rail node (every railway meeting there).
    pub nodes: Option<Harm>,
}

impl StrikeAssets {
    /// What a hit does to `target`, if these assets strike its kind.
    pub fn harm_to(&self, target: Target) -> Option<&Harm> {
        match target {
            Target::Crossing(_) => self.crossings.as_ref(),
            Target::Link(_) => self.links.as_ref(),
            Target::Depot(_) => self.depots.as_ref(),
            Target::Node(_) => self.nodes.as_ref(),
        }
    }
}

/// What damage or a strike is done to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Target {
    /// A crossing (index into [`Scenario::crossings`]).
    Crossing(usize),
    /// A rail link (index into [`Scenario::rail_links`]).
    Link(usize),
    /// A depot (index into [`Scenario::depots`]).
    Depot(usize),
    /// A rail node, a junction or station (index into [`Scenario::rail_nodes`]): every
    /// railway meeting there.
    Node(usize),
}

/// What damage does.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Harm {
    /// A crossing: the share of its capacity left.
    pub capacity_left: f64,
    /// A crossing or link: days to repair it.
    pub days: u32,
    /// A depot: the share of its stock destroyed.
    pub stock_lost: f64,
}

/// Damage, or a repair, on a date.
#[derive(Debug, Clone, PartialEq)]
pub struct DatedDamage {
    /// The turn it happens on, from 1 (before the start: 1).
    pub turn: u32,
    /// What.
    pub target: Target,
    /// The damage; `None` for a repair.
    pub harm: Option<Harm>,
    /// Why, in a few words.
    pub reason: String,
}

/// Orders a pair of hexes so that a hex side has one key.
pub fn edge_key(a: Offset, b: Offset) -> (Offset, Offset) {
    if a <= b { (a, b) } else { (b, a) }
}

impl Scenario {
    /// The withdrawal thresholds a grouping is judged by: its side's `OperationalAi`, with
    /// the grouping's own `withdraw` fields in their place (`None` when its side has no
    /// operational AI settings).
    pub fn thresholds(&self, g: GroupingId) -> Option<AiSettings> {
        let grouping = self.groupings.get(g.0)?;
        let mut t = self.ai.iter().find(|a| a.side == grouping.side)?.clone();
        if let Some(w) = &grouping.withdraw {
            t.days_of_supply_below = w.days_of_supply_below.unwrap_or(t.days_of_supply_below);
            t.lines_cut_at_least = w.lines_cut_at_least.unwrap_or(t.lines_cut_at_least);
            t.force_ratio_above = w.force_ratio_above.unwrap_or(t.force_ratio_above);
            t.reasons_needed = w.reasons_needed.unwrap_or(t.reasons_needed);
            t.encircled_at_least = w.encircled_at_least.or(t.encircled_at_least);
            t.stand_fast_after_days = w.stand_fast_after_days.unwrap_or(t.stand_fast_after_days);
            t.stand_fast_above_days = w.stand_fast_above_days.or(t.stand_fast_above_days);
        }
        Some(t)
    }

    /// Row-major index of an on-map hex.
    pub fn index(&self, o: Offset) -> usize {
        (o.row * self.frame.columns + o.col) as usize
    }

    /// The hex at a row-major index.
    pub fn offset(&self, i: usize) -> Offset {
        let columns = self.frame.columns as usize;
        Offset {
            col: (i % columns) as i32,
            row: (i / columns) as i32,
        }
    }

    /// The terrain of an on-map hex.
    pub fn terrain_at(&self, o: Offset) -> &TerrainType {
        &self.terrain_types[self.terrain[self.index(o)]]
    }

    /// The side holding an on-map hex at the start.
    pub fn control_at(&self, o: Offset) -> Option<SideId> {
        self.control[self.index(o)]
    }

    /// Every hex of the map, row by row.
    pub fn hexes(&self) -> impl Iterator<Item = Offset> + '_ {
        (0..self.frame.rows)
            .flat_map(move |row| (0..self.frame.columns).map(move |col| Offset { col, row }))
    }

    /// The on-map neighbours of a hex.
    pub fn neighbours(&self, o: Offset) -> impl Iterator<Item = Offset> + '_ {
        crate::geo::offset_to_hex(o)
            .all_neighbors()
            .into_iter()
            .map(crate::geo::hex_to_offset)
            .filter(|n| self.frame.contains(*n))
    }

    /// The on-map hexes within `radius` hexes of a hex (itself among them).
    pub fn within(&self, o: Offset, radius: u32) -> impl Iterator<Item = Offset> + '_ {
        crate::geo::offset_to_hex(o)
            .range(radius)
            .map(crate::geo::hex_to_offset)
            .filter(|n| self.frame.contains(*n))
    }

    /// Looks up a side by its id in the file (`ua`).
    pub fn side_index(&self, id: &str) -> Option<SideId> {
        self.sides.iter().position(|s| s.id == id).map(SideId)
    }

    /// Every side, in the file's order.
    pub fn side_ids(&self) -> impl Iterator<Item = SideId> + use<> {
        (0..self.sides.len()).map(SideId)
    }

    /// Every grouping, in the file's order.
    pub fn grouping_ids(&self) -> impl Iterator<Item = GroupingId> + use<> {
        (0..self.groupings.len()).map(GroupingId)
    }

    /// The latest historical territory figure of `side` as of `date`, if any (a total
    /// since the start, not a figure over a period).
    pub fn territory_figure(&self, side: SideId, date: NaiveDate) -> Option<&TerritoryFigure> {
        self.territory_history
            .iter()
            .filter(|t| t.side == side && t.date <= date && t.since.is_none())
            .max_by_key(|t| t.date)
    }

    /// The side ids, comma-separated, for messages.
    pub fn side_list(&self) -> String {
        self.sides
            .iter()
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Looks up a place by name.
    pub fn place(&self, name: &str) -> Option<&Place> {
        self.places.iter().find(|p| p.name == name)
    }

    /// The sides that have a plan.
    pub fn has_plan(&self, side: SideId) -> bool {
        self.plans
            .iter()
            .any(|p| self.groupings[p.grouping].side == side)
    }
}

/// A stable hash of a scenario's content: SHA-256 (the first 16 bytes, in hex) of the raw
/// scenario (a variant's overrides applied) written as JSON, in the order its fields are
/// declared. Whitespace and comments do not count; any value does.
pub fn content_hash(raw: &super::raw::RawScenario) -> String {
    hash_of(&content_of(raw))
}

/// The content a scenario is hashed by: its raw values as JSON.
pub fn content_of(raw: &super::raw::RawScenario) -> String {
    serde_json::to_string(raw).unwrap_or_default()
}

/// The hash of a scenario's content ([`content_of`]).
pub fn hash_of(content: &str) -> String {
    use sha2::Digest;
    crate::numbers::hex(&sha2::Sha256::digest(content.as_bytes())[..16])
}

/// The scenario's entries an id names: `s.unit(id)` for `&s.units[id]`, and so on.
macro_rules! named_by_ids {
    ($($id:ident => $what:ident: $ty:ty, $list:ident;)*) => {
        impl Scenario {
            $(
                #[doc = concat!("The ", stringify!($what), " an id names.")]
                pub fn $what(&self, id: $id) -> &$ty {
                    &self.$list[id.0]
                }
            )*
        }
    };
}

named_by_ids! {
    UnitId => unit: UnitSpec, units;
    SideId => side: Side, sides;
    GroupingId => grouping: Grouping, groupings;
    DepotId => depot: Depot, depots;
    LinkId => rail_link: RailLink, rail_links;
    CrossingId => crossing: Crossing, crossings;
    RiverId => river: River, rivers;
    PlaceId => place_by_id: Place, places;
}
