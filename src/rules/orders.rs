//! Orders as types: every change a player or an AI wants is an [`Order`], checked against
//! the rules ([`super::check`]), applied ([`super::execute`]) and recorded in the
//! [`OrderLog`]; a refused order says why ([`Refusal`]).

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use crate::geo::Offset;
use crate::scenario::Scenario;
use crate::scenario::ids::{CrossingId, DepotId, GroupingId, SideId, UnitId};
use crate::scenario::model::Target;

/// An order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Order {
    /// Move a unit to a hex by the cheapest path.
    Move {
        /// The unit.
        unit: UnitId,
        /// Destination.
        to: Offset,
    },
    /// Attack the units in a hex with units next to it.
    Attack {
        /// The attacking units.
        attackers: Vec<UnitId>,
        /// The defenders' hex.
        target: Offset,
    },
    /// Order a grouping to fall back to its fallback line.
    Withdraw {
        /// The grouping.
        grouping: GroupingId,
    },
    /// A grouping falling back stops and holds where it stands (its situation recovered).
    StandFast {
        /// The grouping.
        grouping: GroupingId,
    },
    /// Give a depot first call on its side's trains (or take it back): when the lines
    /// cannot bring every depot what it asks, depots with first call are served first.
    FirstCall {
        /// The depot.
        depot: DepotId,
        /// First call or not.
        first: bool,
    },
    /// Move a unit by rail from the station it stands at to another its side holds, over
    /// lines open to its side with capacity left today.
    RailMove {
        /// The unit.
        unit: UnitId,
        /// The hex of the station it goes to.
        to: Offset,
    },
    /// A unit stays where it is today. A unit of a withdrawing grouping that holds leaves
    /// behind what it cannot move, and everything when it has no way back.
    Hold {
        /// The unit.
        unit: UnitId,
    },
    /// Strike an enemy crossing, railway or depot with the side's strike assets.
    Strike {
        /// Index of the assets in the scenario's `strikes`.
        assets: usize,
        /// What.
        target: Target,
    },
}

impl Order {
    /// The order in words, for messages.
    pub fn describe(&self, s: &Scenario) -> String {
        match self {
            Order::Move { unit, to } => format!(
                "move {} to {to}",
                s.units.get(unit.0).map_or("?", |u| u.name.as_str())
            ),
            Order::Attack { attackers, target } => format!(
                "attack {target} with {}",
                attackers
                    .iter()
                    .map(|a| s.units.get(a.0).map_or("?", |u| u.name.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Order::Withdraw { grouping } => format!(
                "withdraw {}",
                s.groupings.get(grouping.0).map_or("?", |g| g.name.as_str())
            ),
            Order::StandFast { grouping } => format!(
                "stand fast with {}",
                s.groupings.get(grouping.0).map_or("?", |g| g.name.as_str())
            ),
            Order::RailMove { unit, to } => format!(
                "move {} by rail to {to}",
                s.units.get(unit.0).map_or("?", |u| u.name.as_str())
            ),
            Order::FirstCall { depot, first } => format!(
                "{} first call on the trains for {}",
                if *first { "give" } else { "take back" },
                s.depots.get(depot.0).map_or("?", |d| d.name.as_str())
            ),
            Order::Hold { unit } => format!(
                "hold {}",
                s.units.get(unit.0).map_or("?", |u| u.name.as_str())
            ),
            Order::Strike { assets, target } => format!(
                "strike {} with {}",
                target_name(s, *target),
                s.strike_assets
                    .get(*assets)
                    .map_or("?", |a| a.name.as_str())
            ),
        }
    }
}

/// A strike's target in words: the crossing, the railway or the depot.
pub fn target_name(s: &Scenario, target: Target) -> String {
    match target {
        Target::Crossing(c) => s
            .crossings
            .get(c)
            .map_or_else(|| "?".into(), |x| format!("the {}", x.name)),
        Target::Link(l) => s
            .rail_links
            .get(l)
            .map_or_else(|| "?".into(), |x| format!("the {} line", x.name)),
        Target::Depot(d) => s
            .depots
            .get(d)
            .map_or_else(|| "?".into(), |x| x.name.clone()),
        Target::Node(n) => s.rail_nodes.get(n).map_or_else(
            || "?".into(),
            |x| format!("the railway junction at {}", x.name),
        ),
    }
}

/// Why the rules refused an order: ids and numbers, put in words by [`Refusal::describe`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// The unit id names no unit.
    NoSuchUnit(UnitId),
    /// The unit belongs to another side.
    NotYours(UnitId),
    /// The unit is not on the map (not arrived, departed or destroyed).
    NotOnMap(UnitId),
    /// The unit has moved this phase.
    AlreadyMoved(UnitId),
    /// The unit has attacked this phase and cannot move.
    AttackedCannotMove(UnitId),
    /// The hex is off the map.
    OffMap(Offset),
    /// Enemy units stand in the hex.
    EnemyHolds(Offset),
    /// The hex is beyond the unit's movement points today.
    OutOfReach {
        /// The hex.
        to: Offset,
        /// The unit's movement points today.
        budget: u32,
    },
    /// The hex lies beyond a crossing that has taken as many units as it can today.
    CrossingFull {
        /// The hex.
        to: Offset,
        /// The crossing.
        crossing: CrossingId,
    },
    /// The hex holds as many units as the stacking limit allows.
    Stacked {
        /// The hex.
        to: Offset,
        /// The limit.
        limit: u32,
    },
    /// An attack names no unit.
    NoAttackers,
    /// No enemy stands in the hex attacked.
    NoEnemy(Offset),
    /// A unit is named twice in one attack.
    NamedTwice(UnitId),
    /// The unit has attacked this phase.
    AlreadyAttacked(UnitId),
    /// The unit is not next to the hex it would attack.
    NotNextTo(UnitId, Offset),
    /// The unit cannot cross into the hex it would attack (an impassable river).
    CannotCross(UnitId, Offset),
    /// The unit is routed and cannot attack.
    Routed(UnitId),
    /// The grouping id names no grouping.
    NoSuchGrouping(GroupingId),
    /// The grouping belongs to another side.
    GroupingNotYours(GroupingId),
    /// The grouping has no fallback line in the scenario.
    NoFallback(GroupingId),
    /// The unit does not stand at a station its side holds, or stands next to an enemy.
    NotAtStation(UnitId),
    /// No line open to the side, with capacity left today for the unit, leads there.
    NoRailWay(UnitId, Offset),
    /// The depot id names no depot.
    NoSuchDepot(DepotId),
    /// The depot belongs to another side, or its side has lost it.
    DepotNotYours(DepotId),
    /// Artillery farther from the hex it would attack than its range.
    BeyondRange {
        /// The unit.
        unit: UnitId,
        /// The hex attacked.
        target: Offset,
        /// The scenario's artillery range, in hexes.
        range: u32,
    },
    /// Only artillery firing from afar would attack the hex: someone must assault it.
    NoAssault(Offset),
    /// The strike assets named are not the side's, or do not exist.
    NoSuchAssets(usize),
    /// The assets have made all their strikes today, or are not in action today.
    NoStrikesLeft(usize),
    /// The assets do not strike that kind of target.
    CannotStrike(usize),
    /// The target is farther than the assets' range from the side's nearest unit.
    OutOfStrikeRange {
        /// The assets.
        assets: usize,
        /// Their range, hexes.
        range: u32,
    },
    /// The target is not the enemy's (or no longer stands).
    NotAnEnemyTarget,
}

impl Refusal {
    /// The refusal in words, for the narration, the window and the event log.
    pub fn describe(&self, s: &Scenario) -> String {
        let unit = |u: &UnitId| s.units.get(u.0).map_or("?", |x| x.name.as_str());
        let grouping = |g: &GroupingId| s.groupings.get(g.0).map_or("?", |x| x.name.as_str());
        match self {
            Refusal::NoSuchUnit(u) => format!("there is no unit {u}"),
            Refusal::NotYours(u) => format!("{} is not yours", unit(u)),
            Refusal::NotOnMap(u) => format!("{} is not on the map", unit(u)),
            Refusal::AlreadyMoved(u) => format!("{} has already moved today", unit(u)),
            Refusal::AttackedCannotMove(u) => {
                format!("{} has attacked today and cannot move", unit(u))
            }
            Refusal::OffMap(h) => format!("{h} is off the map"),
            Refusal::EnemyHolds(h) => format!("enemy units hold {h}: attack it instead"),
            Refusal::OutOfReach { to, budget } => {
                format!("{to} is out of reach ({budget} movement points today)")
            }
            Refusal::CrossingFull { to, crossing } => {
                let x = s.crossings.get(crossing.0);
                format!(
                    "{to} lies beyond the {}, which has taken its {} today",
                    x.map_or("?", |x| x.name.as_str()),
                    x.and_then(|x| x.units_per_day)
                        .map_or_else(String::new, |n| crate::numbers::count(
                            u64::from(n),
                            "unit",
                            "units"
                        ))
                )
            }
            Refusal::Stacked { to, limit } => {
                format!("{to} already holds {limit} units, the stacking limit")
            }
            Refusal::NoAttackers => "an attack needs at least one unit".into(),
            Refusal::NoEnemy(h) => format!("there is no enemy in {h}"),
            Refusal::NamedTwice(u) => format!("{} is named twice", unit(u)),
            Refusal::AlreadyAttacked(u) => format!("{} has already attacked today", unit(u)),
            Refusal::NotNextTo(u, h) => format!("{} is not next to {h}", unit(u)),
            Refusal::CannotCross(u, h) => format!("{} cannot cross into {h}", unit(u)),
            Refusal::Routed(u) => format!("{} is routed and cannot attack", unit(u)),
            Refusal::NoSuchGrouping(g) => format!("there is no grouping {g}"),
            Refusal::GroupingNotYours(g) => format!("{} is not yours", grouping(g)),
            Refusal::NoFallback(g) => {
                format!("{} has no fallback line in the scenario", grouping(g))
            }
            Refusal::NotAtStation(u) => format!(
                "{} must stand at a station your side holds, not next to the enemy, to go by rail",
                unit(u)
            ),
            Refusal::NoRailWay(u, h) => format!(
                "no line open to you with room for {} today leads to a station at {h}",
                unit(u)
            ),
            Refusal::NoSuchDepot(d) => format!("there is no depot {}", d.0),
            Refusal::DepotNotYours(d) => format!(
                "{} is not yours",
                s.depots.get(d.0).map_or("?", |x| x.name.as_str())
            ),
            Refusal::BeyondRange {
                unit: u,
                target,
                range,
            } => format!(
                "{} is more than {} from {target}, its range",
                unit(u),
                crate::numbers::count(u64::from(*range), "hex", "hexes")
            ),
            Refusal::NoAssault(h) => {
                format!("artillery alone cannot attack {h}: a unit next to it must join the attack")
            }
            Refusal::NoSuchAssets(a) => format!("your side has no strike assets {a}"),
            Refusal::NoStrikesLeft(a) => format!(
                "{} have no strikes left today",
                s.strike_assets.get(*a).map_or("?", |x| x.name.as_str())
            ),
            Refusal::CannotStrike(a) => format!(
                "{} do not strike that kind of target",
                s.strike_assets.get(*a).map_or("?", |x| x.name.as_str())
            ),
            Refusal::OutOfStrikeRange { assets, range } => format!(
                "the target is more than {} from your nearest unit, the range of {}",
                crate::numbers::count(u64::from(*range), "hex", "hexes"),
                s.strike_assets.get(*assets).map_or("?", |x| x.name.as_str())
            ),
            Refusal::NotAnEnemyTarget => {
                "the target is not the enemy's (a crossing in enemy hands, a railway the enemy works, an enemy depot)".into()
            }
        }
    }
}

/// What became of an order: applied, or refused with the reason.
pub type Outcome = Result<(), Refusal>;

/// Orders waiting to be applied in the active side's phase (a player's, or a replay's),
/// and the outcomes of those applied, in order, until they are collected
/// ([`super::day::give`]).
#[derive(Resource, Debug, Default)]
pub struct OrderQueue {
    /// Orders to apply, in the order given.
    pub waiting: Vec<Order>,
    /// Outcomes of the orders applied from the queue, in order.
    pub outcomes: Vec<Outcome>,
}

/// One recorded order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoggedOrder {
    /// Turn.
    pub turn: u32,
    /// The side that gave it.
    pub side: SideId,
    /// The order.
    pub order: Order,
}

/// Every order applied, in order: with the seed, this replays the game.
#[derive(Resource, Debug, Default, Clone)]
pub struct OrderLog(pub Vec<LoggedOrder>);
