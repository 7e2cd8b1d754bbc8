//! The state of a game in progress, as types: board, depots, forces, commands and dice
//! (the day it is, in [`super::cursor`]). Nothing here computes a rule.
//!
//! Units live in one ordered resource ([`Forces`]) rather than as entities: every rule reads
//! many units at once (zones of control, stacking, combat, supply draw), and a `Vec`
//! ordered by the scenario's unit order makes each of those reads deterministic.

use std::collections::BTreeMap;
use std::sync::Arc;

use bevy::prelude::*;
use chrono::NaiveDate;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::geo::Offset;
use crate::scenario::Scenario;
use crate::scenario::ids::{DepotId, GroupingId, SideId, UnitId};

/// The scenario being played, shared read-only by every system.
#[derive(Resource, Clone)]
pub struct ScenarioRes(pub Arc<Scenario>);

/// How a unit stands for supply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SupplyLevel {
    /// Receives what it needs.
    Supplied,
    /// Receives part of what it needs.
    Short,
    /// Receives little or nothing.
    OutOfSupply,
}

/// Where a unit is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnitStatus {
    /// A reinforcement not yet arrived.
    Waiting,
    /// On the map.
    Active,
    /// Left the map.
    Departed,
    /// Destroyed or surrendered.
    Destroyed,
}

/// A unit in play.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitState {
    /// Its place in the scenario's units (and in [`Forces::units`]).
    pub id: UnitId,
    /// Side.
    pub side: SideId,
    /// Grouping.
    pub grouping: GroupingId,
    /// Where it is: [`UnitState::hex`]; changed by [`Forces::place`] only.
    hex: Offset,
    /// Fraction of establishment present.
    pub strength: f64,
    /// Readiness 0..1.
    pub readiness: f64,
    /// Equipment by kind.
    pub equipment: BTreeMap<String, u32>,
    /// Supply state.
    pub supply: SupplyLevel,
    /// Share of its need it received today.
    pub supply_share: f64,
    /// Consecutive days out of supply.
    pub days_out: u32,
    /// The depot it draws from.
    pub depot: Option<DepotId>,
    /// Where it is in its life: [`UnitState::status`]; changed by [`Forces::set_status`]
    /// only.
    status: UnitStatus,
    /// Moved in this phase.
    pub moved: bool,
    /// Attacked in this phase.
    pub attacked: bool,
    /// Has left its equipment behind in the current withdrawal.
    pub abandoned: bool,
}

impl UnitState {
    /// A unit as the scenario starts it: where, as strong and as ready as its file says,
    /// supplied, with `status` ([`status_at_start`]).
    pub fn at_start(
        id: UnitId,
        spec: &crate::scenario::model::UnitSpec,
        status: UnitStatus,
    ) -> Self {
        UnitState {
            id,
            side: spec.side,
            grouping: spec.grouping,
            hex: spec.hex,
            strength: spec.strength,
            readiness: spec.readiness,
            equipment: spec.equipment.clone(),
            supply: SupplyLevel::Supplied,
            supply_share: 1.0,
            days_out: 0,
            depot: None,
            status,
            moved: false,
            attacked: false,
            abandoned: false,
        }
    }

    /// On the map and able to act.
    pub fn active(&self) -> bool {
        self.status == UnitStatus::Active
    }

    /// Where it is.
    pub fn hex(&self) -> Offset {
        self.hex
    }

    /// Where it is in its life.
    pub fn status(&self) -> UnitStatus {
        self.status
    }

    /// The hex it stands on, if it is on the map.
    fn on_map(&self) -> Option<Offset> {
        self.active().then_some(self.hex)
    }
}

/// All units, in the scenario's order.
///
/// A unit's hex and status change only through [`Forces::place`] and
/// [`Forces::set_status`], which note each change of where the units stand in a journal:
/// whatever keeps counts by hex (the zones of control, the AI's targets) reads the changes
/// since it last looked ([`Forces::moves_since`]) instead of comparing every unit.
#[derive(Resource, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "Units")]
pub struct Forces {
    /// Units by id.
    pub units: Vec<UnitState>,
    /// The changes of where units stand, since this value was made.
    #[serde(skip)]
    journal: Journal,
    /// Where each unit stands (`None`: not on the map), in unit order: what
    /// [`Forces::in_hex`] reads, a few bytes a unit instead of a whole unit's state.
    #[serde(skip)]
    placed: Vec<Option<Offset>>,
}

/// Forces as a file holds them: their units (the rest is made from them).
#[derive(Deserialize)]
struct Units {
    units: Vec<UnitState>,
}

impl From<Units> for Forces {
    fn from(file: Units) -> Self {
        Forces::new(file.units)
    }
}

/// One change of where a unit stands: it moved, or came onto the map, or left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moved {
    /// The unit.
    pub unit: UnitId,
    /// Where it stood; `None`: not on the map.
    pub was: Option<Offset>,
    /// Where it stands now; `None`: not on the map.
    pub is: Option<Offset>,
}

/// A point in a [`Forces`]'s journal, to ask for the changes since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JournalMark {
    journal: u64,
    len: usize,
}

/// The changes of where units stand, in order, under an identity of their own: a copy of
/// the forces (a clone, a loaded game) starts a new journal, since its changes from then
/// on are not the original's. Bookkeeping, not state: two forces with the same units are
/// equal whatever their journals.
struct Journal {
    id: u64,
    moves: Vec<Moved>,
}

/// A journal this long starts again (under a new identity), so a long game does not keep
/// every move it made; a reader then counts afresh, once.
const JOURNAL_LIMIT: usize = 1 << 16;

impl Journal {
    fn fresh() -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        Journal {
            id: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            moves: Vec::new(),
        }
    }

    fn note(&mut self, moved: Moved) {
        if moved.was == moved.is {
            return;
        }
        if self.moves.len() >= JOURNAL_LIMIT {
            *self = Journal::fresh();
        }
        self.moves.push(moved);
    }
}

impl Default for Journal {
    fn default() -> Self {
        Journal::fresh()
    }
}

impl Clone for Journal {
    fn clone(&self) -> Self {
        Journal::fresh()
    }
}

impl PartialEq for Journal {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Journal({}: {} moves)", self.id, self.moves.len())
    }
}

impl Forces {
    /// Forces of these units, with a journal of their own.
    pub fn new(units: Vec<UnitState>) -> Self {
        Forces {
            placed: units.iter().map(UnitState::on_map).collect(),
            units,
            journal: Journal::fresh(),
        }
    }

    /// Puts a unit on a hex.
    pub fn place(&mut self, id: UnitId, hex: Offset) {
        self.change(id, |u| u.hex = hex);
    }

    /// Sets where a unit is in its life (on the map or not).
    pub fn set_status(&mut self, id: UnitId, status: UnitStatus) {
        self.change(id, |u| u.status = status);
    }

    /// Changes a unit's place, noting where it stood and where it stands.
    fn change(&mut self, id: UnitId, change: impl FnOnce(&mut UnitState)) {
        let u = &mut self.units[id.0];
        let was = u.on_map();
        change(u);
        let is = u.on_map();
        self.placed[id.0] = is;
        self.journal.note(Moved { unit: id, was, is });
    }

    /// Where the journal stands now.
    pub fn mark(&self) -> JournalMark {
        JournalMark {
            journal: self.journal.id,
            len: self.journal.moves.len(),
        }
    }

    /// The changes of where units stand since `mark`, in order; `None` if `mark` is not of
    /// this journal (another forces', or one that has started again).
    pub fn moves_since(&self, mark: JournalMark) -> Option<&[Moved]> {
        (mark.journal == self.journal.id)
            .then(|| self.journal.moves.get(mark.len..))
            .flatten()
    }

    /// Active units in a hex.
    pub fn in_hex(&self, hex: Offset) -> impl Iterator<Item = &UnitState> {
        debug_assert!(
            self.units
                .iter()
                .map(UnitState::on_map)
                .eq(self.placed.iter().copied()),
            "units placed without Forces::place or Forces::set_status"
        );
        self.placed
            .iter()
            .zip(&self.units)
            .filter(move |(at, _)| **at == Some(hex))
            .map(|(_, u)| u)
    }

    /// Active units of a side.
    pub fn of_side(&self, side: SideId) -> impl Iterator<Item = &UnitState> {
        self.units
            .iter()
            .filter(move |u| u.active() && u.side == side)
    }

    /// The unit an id names.
    pub fn unit(&self, id: UnitId) -> &UnitState {
        &self.units[id.0]
    }
}

/// Equipment left behind, waiting to be captured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cache {
    /// Where it lies.
    pub hex: Offset,
    /// The side that left it.
    pub side: SideId,
    /// The unit that left it.
    pub unit: UnitId,
    /// Items by kind.
    pub items: BTreeMap<String, u32>,
}

fn no_first_call(v: &[bool]) -> bool {
    !v.contains(&true)
}

fn no_rail_moves_u32(v: &[u32]) -> bool {
    v.iter().all(|t| *t == 0)
}

fn nothing_crossed(v: &[Vec<u64>]) -> bool {
    v.iter().flatten().all(|t| *t == 0)
}

fn no_rail_moves(v: &[u64]) -> bool {
    v.iter().all(|t| *t == 0)
}

/// The map as it stands: control, rail links, bridges and abandoned equipment.
#[derive(Resource, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Board {
    /// Side holding each hex, row-major.
    pub control: Vec<Option<SideId>>,
    /// For each side and rail link, the enemy side that cuts the link for it, if any.
    pub link_cut_by: Vec<Vec<Option<SideId>>>,
    /// For each side and rail link, whether it was cut at the start: the baseline against
    /// which the operational AI measures how badly its lines are cut.
    pub cut_at_start: Vec<Vec<bool>>,
    /// For each side, tonnes of its supply that moved over each link today.
    pub link_flow: Vec<Vec<u64>>,
    /// For each depot, whether its side gives it first call on the trains: when the
    /// lines cannot bring every depot what it asks, these are served first.
    /// (Left out of the text when no depot has it, so that the state's hash, and saves
    /// made before first call existed, stay as they were.)
    #[serde(default, skip_serializing_if = "no_first_call")]
    pub first_call: Vec<bool>,
    /// For each rail link, the tonnes of today's capacity taken by units moved by rail
    /// (left out of the text when none is, as `first_call`).
    #[serde(default, skip_serializing_if = "no_rail_moves")]
    pub rail_moves: Vec<u64>,
    /// Whether each crossing stands.
    pub crossing_intact: Vec<bool>,
    /// Strikes each of the scenario's strike assets made today (left out of the text when
    /// none did).
    #[serde(default, skip_serializing_if = "no_rail_moves_u32")]
    pub strikes_used: Vec<u32>,
    /// Days of building done on each pontoon bridge or ferry being built (left out of the
    /// text until any is).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub building: Vec<u32>,
    /// Damage to each crossing not yet repaired (left out of the text until there is any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crossing_damage: Vec<Option<CrossingDamage>>,
    /// Units that crossed each crossing today (left out of the text when none did).
    #[serde(default, skip_serializing_if = "no_rail_moves_u32")]
    pub crossing_units: Vec<u32>,
    /// For each side, tonnes of its supply over each crossing with a limit today (left out
    /// of the text when none crossed, as `first_call`).
    #[serde(default, skip_serializing_if = "nothing_crossed")]
    pub crossed: Vec<Vec<u64>>,
    /// Side holding each crossing's hex when last looked at: a bridge is blown by the side
    /// that loses it.
    pub crossing_holder: Vec<Option<SideId>>,
    /// Abandoned equipment.
    pub caches: Vec<Cache>,
    /// Side holding each objective.
    pub objective_holder: Vec<Option<SideId>>,
    /// The condition of each rail link: who works it, whether it is wrecked.
    pub rail: Vec<LinkCondition>,
}

impl Board {
    /// The damage crossing `c` bears, if any.
    pub fn crossing_damage_of(&self, c: usize) -> Option<CrossingDamage> {
        self.crossing_damage.get(c).copied().flatten()
    }

    /// Whether units and the last mile can use crossing `c`: it stands and damage has not
    /// closed it.
    pub fn crossing_usable(&self, c: usize) -> bool {
        self.crossing_intact[c]
            && self
                .crossing_damage_of(c)
                .is_none_or(|d| d.capacity_left > 0.0)
    }

    /// The units crossing `c` takes a day as it stands (its `units_per_day`, less for
    /// damage), if it has a limit.
    pub fn crossing_units_per_day(&self, s: &Scenario, c: usize) -> Option<u32> {
        let n = s.crossings[c].units_per_day?;
        Some(match self.crossing_damage_of(c) {
            Some(d) => (f64::from(n) * d.capacity_left).ceil() as u32,
            None => n,
        })
    }

    /// Whether crossing `c` has taken as many units today as it can.
    pub fn crossing_full(&self, s: &Scenario, c: usize) -> bool {
        self.crossing_units_per_day(s, c)
            .is_some_and(|n| self.crossing_units.get(c).copied().unwrap_or(0) >= n)
    }

    /// Counts a unit over each crossing on its way (`path`, hex by hex).
    pub fn count_crossings(&mut self, s: &Scenario, path: &[Offset]) {
        for w in path.windows(2) {
            let key = crate::scenario::model::edge_key(w[0], w[1]);
            if let Some(c) = s.river_edges.get(&key).and_then(|e| e.crossing)
                && s.crossings[c].units_per_day.is_some()
                && self.crossing_intact[c]
            {
                self.crossing_units.resize(s.crossings.len(), 0);
                self.crossing_units[c] += 1;
            }
        }
    }

    /// Records the tonnes of `side`'s supply over each crossing today.
    pub fn set_crossed(&mut self, side: SideId, crossed: Vec<u64>) {
        if self.crossed.len() <= side.0 {
            if crossed.iter().all(|t| *t == 0) {
                return;
            }
            self.crossed.resize(side.0 + 1, Vec::new());
        }
        self.crossed[side.0] = crossed;
    }

    /// Tonnes of `side`'s supply over crossing `c` today, by rail and lorry links.
    pub fn crossed_by(&self, side: SideId, c: usize) -> u64 {
        self.crossed
            .get(side.0)
            .and_then(|v| v.get(c))
            .copied()
            .unwrap_or(0)
    }

    /// The victory points of the objectives `side` holds.
    pub fn victory_points(&self, s: &Scenario, side: SideId) -> u32 {
        s.objectives
            .iter()
            .zip(&self.objective_holder)
            .filter(|(_, h)| **h == Some(side))
            .map(|(o, _)| o.points)
            .sum()
    }
}

/// Damage a crossing bears until repaired.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CrossingDamage {
    /// The share of its capacity left (0: closed).
    pub capacity_left: f64,
    /// Days of repair still needed.
    pub days_left: u32,
}

/// The condition of one rail line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkCondition {
    /// The side whose trains run on it, if any.
    pub operator: Option<SideId>,
    /// Whether its track or a bridge on it is wrecked.
    pub wrecked: bool,
    /// Days of repair still needed while wrecked.
    pub repair_left: u32,
    /// Whether a bridge on it is down (repair takes `bridge_repair_days`).
    pub bridge_down: bool,
}

impl LinkCondition {
    /// Whether the line can carry `side`'s trains (interdiction aside: see
    /// `supply::trains::link_cutter`).
    pub fn serves(&self, side: SideId) -> bool {
        self.operator == Some(side) && !self.wrecked
    }
}

/// What a grouping is doing today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Posture {
    /// Going for its objectives.
    Attack,
    /// Standing where it is.
    #[default]
    Hold,
    /// Giving ground slowly before a stronger enemy.
    Delay,
    /// Falling back to its fallback line.
    Withdraw,
}

impl Posture {
    /// In words.
    pub fn text(self) -> &'static str {
        match self {
            Posture::Attack => "attacks",
            Posture::Hold => "holds",
            Posture::Delay => "delays",
            Posture::Withdraw => "withdraws",
        }
    }
}

/// A depot in play.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepotState {
    /// Stock, tonnes.
    pub stock: f64,
    /// Received today, tonnes.
    pub inflow: f64,
    /// What it would have received today with no link cut.
    pub nominal_inflow: f64,
    /// What its units wanted today, tonnes.
    pub demand: f64,
    /// Tonnes a day the rail network could bring it alone, with today's cuts.
    pub capacity_now: f64,
    /// Tonnes a day the rail network could bring it alone, with no link cut.
    pub capacity_open: f64,
    /// Tonnes a day the rail network could bring it alone if the lines newly under threat
    /// were lost too (the commander's outlook; only for a side with a `threat_radius`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_outlook: Option<f64>,
    /// Whether the side it serves holds its hex.
    pub active: bool,
    /// The side that took it from the side it served at the start, while that side holds
    /// it (`None`: it serves the side of the scenario's `Depot`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_by: Option<SideId>,
}

/// All depots, in the scenario's order.
#[derive(Resource, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Depots(pub Vec<DepotState>);

impl Depots {
    /// The side a depot serves now: the side that took it, or its side at the start.
    pub fn owner(&self, s: &Scenario, d: usize) -> SideId {
        self.0[d].taken_by.unwrap_or(s.depots[d].side)
    }

    /// The depots serving `side` whose hex it holds, in the scenario's order.
    pub fn serving(&self, s: &Scenario, side: SideId) -> impl Iterator<Item = usize> {
        (0..self.0.len()).filter(move |d| self.0[*d].active && self.owner(s, *d) == side)
    }
}

/// Who gives a side its orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Controller {
    /// The AI follows the scenario's operational plan and chooses the details.
    Plan,
    /// The AI pursues objectives on its own.
    Ai,
    /// No orders at all.
    Idle,
    /// A person (the window).
    Human,
}

/// A withdrawal in progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Withdrawal {
    /// Turn it was ordered.
    pub turn: u32,
    /// Date it was ordered.
    pub date: NaiveDate,
    /// Days in a row, up to today, on which no reason to withdraw held (left out of the
    /// state's encoding at 0, so that games of scenarios that stand fast on the first such
    /// day hash as they did).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub calm_days: u32,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_zero(v: &u32) -> bool {
    *v == 0
}

/// Who commands each side, and which groupings are withdrawing.
#[derive(Resource, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HighCommand {
    /// Controller of each side.
    pub controllers: Vec<Controller>,
    /// Withdrawal of each grouping, if ordered.
    pub withdrawals: Vec<Option<Withdrawal>>,
    /// For each grouping: the plan step it follows (index into the scenario's plans) and
    /// how far along its axis it has come (objectives taken so far).
    pub progress: Vec<Option<(usize, usize)>>,
    /// The posture each grouping took today.
    pub posture: Vec<Posture>,
    /// For each grouping, the fallback line it makes for (0: its `fallback`, then its rear
    /// lines in order).
    pub line: Vec<usize>,
}

/// For each depot, what fed it in its side's last supply phase
/// (`supply::trains::feeding_lines`). Told to players, never read by a rule: not in the
/// state's hash.
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub struct Feeding(pub Vec<Fed>);

/// What fed one depot: the lines, each with the tonnes it brought, and the tonnes that
/// came straight from a railhead at the depot's own station.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Fed {
    /// Lines and their tonnes, the most first.
    pub lines: Vec<(crate::scenario::ids::LinkId, u64)>,
    /// Tonnes from a source at the depot's own station.
    pub at_railhead: u64,
}

/// Territory each side has gained, km², as of yesterday's end.
#[derive(Resource, Debug, Default, Clone)]
pub struct Territory(pub Vec<f64>);

/// The one random number generator of a game.
#[derive(Resource, Debug, Clone)]
pub struct Dice(pub ChaCha8Rng);

impl Dice {
    /// Seeded.
    pub fn new(seed: u64) -> Self {
        Dice(ChaCha8Rng::seed_from_u64(seed))
    }
}

/// Where a unit stands when the scenario starts: gone already, still to come, or on the map.
pub fn status_at_start(s: &Scenario, u: &crate::scenario::model::UnitSpec) -> UnitStatus {
    if u.departs.is_some_and(|d| d <= s.start_date) {
        UnitStatus::Departed
    } else if u.arrives.is_some_and(|d| d > s.start_date) {
        UnitStatus::Waiting
    } else {
        UnitStatus::Active
    }
}
