//! What happened: past-tense facts the rules write as Bevy messages, recorded in order in
//! the [`Chronicle`], narrated for people and written as JSON lines for programs.
//!
//! Events hold ids ([`crate::scenario::ids`]) and enums, never names or sentences: names
//! are looked up where text is made (the narration, the reports, the window, and
//! [`Logged::to_json`], which gives readers both the id and the name).

use std::collections::BTreeMap;

use bevy::prelude::*;
use chrono::NaiveDate;
use serde::Serialize;

use super::orders::{Order, Refusal};
use super::state::{Posture, SupplyLevel};
use crate::scenario::Scenario;
use crate::scenario::ids::{
    CrossingId, DepotId, GroupingId, LinkId, NodeId, PlaceId, RiverId, SideId, UnitId,
};

/// A reason the operational AI gave for a withdrawal, with the measured value and the
/// scenario's threshold it crossed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    /// Days its depots' stock lasts at today's inflow and use, below the threshold.
    DaysOfSupply {
        /// Days.
        value: f64,
        /// The threshold.
        threshold: f64,
        /// Whether the days count on losing the lines under threat (left out when not).
        #[serde(skip_serializing_if = "is_false")]
        outlook: bool,
    },
    /// Share of the rail capacity into its depots that is cut, at least the threshold.
    LinesCut {
        /// Share, 0 to 1, of which `threatened` is still open but within the enemy's reach.
        value: f64,
        /// The threshold.
        threshold: f64,
        /// Share, 0 to 1, under threat rather than cut (left out when none).
        #[serde(skip_serializing_if = "is_zero")]
        threatened: f64,
    },
    /// Enemy attack strength near it over its own defence, above the threshold.
    ForceRatio {
        /// Ratio.
        value: f64,
        /// The threshold.
        threshold: f64,
    },
    /// Share of the ground around it that the enemy holds, at least the threshold.
    Encircled {
        /// Share, 0 to 1.
        value: f64,
        /// The threshold.
        threshold: f64,
    },
    /// The grouping it withdraws with (`withdraws_with`) was ordered back: one command's
    /// decision.
    WithGrouping {
        /// That grouping.
        grouping: crate::scenario::ids::GroupingId,
    },
    /// A directive from above (the scenario's, a variant's or a lesson's choice) ordered it
    /// back on this day, whatever its own situation.
    Directive {
        /// The day the directive names.
        day: u32,
    },
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_false(b: &bool) -> bool {
    !*b
}

#[allow(clippy::trivially_copy_pass_by_ref)] // as `is_false`
fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

/// Why a grouping took its posture, with the numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum PostureWhy {
    /// Supplied and strong enough: its attack over the enemy's defence near it.
    StrongEnough {
        /// The ratio.
        ratio: f64,
    },
    /// Short of supply: the share of its need it received.
    ShortOfSupply {
        /// Share, 0 to 1.
        share: f64,
    },
    /// Not strong enough to attack.
    TooWeak {
        /// Its attack over the enemy's defence near it.
        ratio: f64,
        /// What it needs.
        needed: f64,
    },
    /// The enemy near it is too strong.
    Outnumbered {
        /// The enemy's attack over its defence.
        ratio: f64,
        /// Its side's threshold.
        threshold: f64,
    },
    /// Another grouping of its side is falling back.
    SideFallingBack,
    /// Nothing in reach to take.
    NothingToTake,
    /// Ordered back.
    Ordered,
    /// The points of its plan's axis ahead are all held too strongly: it waits.
    HeldTooStrongly {
        /// Its best odds against them.
        ratio: f64,
        /// What it needs.
        needed: f64,
    },
}

impl PostureWhy {
    /// In words.
    pub fn text(self) -> String {
        match self {
            PostureWhy::StrongEnough { ratio } if !ratio.is_finite() => {
                "supplied, with no enemy in reach".into()
            }
            PostureWhy::StrongEnough { ratio } => {
                format!("supplied, and {ratio:.1} to 1 against the enemy near it")
            }
            PostureWhy::ShortOfSupply { share } => {
                format!("short of supply ({:.0}% of its need)", share * 100.0)
            }
            PostureWhy::TooWeak { needed, .. } if !needed.is_finite() => {
                "not strong enough to attack".into()
            }
            PostureWhy::TooWeak { ratio, .. } | PostureWhy::HeldTooStrongly { ratio, .. }
                if !ratio.is_finite() =>
            {
                "no enemy in reach".into()
            }
            PostureWhy::TooWeak { ratio, needed } => {
                format!(
                    "{ratio:.1} to 1 against the enemy near it, short of the {needed:.1} an attack needs"
                )
            }
            PostureWhy::Outnumbered { ratio, threshold } if !ratio.is_finite() => format!(
                "the enemy near it is overwhelming against its defence (above {threshold:.1})"
            ),
            PostureWhy::Outnumbered { ratio, threshold } => {
                format!("the enemy near it is {ratio:.1} times its defence (above {threshold:.1})")
            }
            PostureWhy::SideFallingBack => {
                "another grouping of its side is falling back, so it stays on the defensive".into()
            }
            PostureWhy::NothingToTake => "nothing in reach to take".into(),
            PostureWhy::Ordered => "ordered back".into(),
            PostureWhy::HeldTooStrongly { ratio, needed } => format!(
                "its next objective is held at {ratio:.1} to 1 against it, short of the \
                 {needed:.1} it needs: it waits for better odds"
            ),
        }
    }
}

/// How a unit was lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Loss {
    /// Its strength fell to nothing in combat.
    #[serde(rename = "destroyed in combat")]
    DestroyedInCombat,
    /// It had to retreat and had nowhere to go.
    #[serde(rename = "surrendered: no line of retreat")]
    Surrendered,
    /// It was out of supply, cut off, for the rules' `surrender_after_days` in a row.
    #[serde(rename = "surrendered: cut off and out of supply")]
    CutOff,
}

impl Loss {
    /// In words, as the narration tells it.
    pub fn text(self) -> &'static str {
        match self {
            Loss::DestroyedInCombat => "destroyed in combat",
            Loss::Surrendered => "surrendered: no line of retreat",
            Loss::CutOff => "surrendered: cut off and out of supply",
        }
    }
}

/// A hex as events give it: (column, row).
pub type HexPair = (i32, i32);

/// Why a unit left equipment behind.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "cause", rename_all = "snake_case")]
pub enum Abandoned {
    /// Falling back: what it lacked fuel and transport for (the share of its supply it
    /// had), and what it lost breaking contact with the enemy.
    Withdrawing {
        /// The share of its supply it had today.
        supply: f64,
        /// Whether it broke contact with the enemy.
        in_contact: bool,
    },
    /// Routed: it left everything.
    Routed,
    /// No way back to its line: it left everything.
    NoWayBack,
}

impl Abandoned {
    /// Why, in words.
    pub fn text(self) -> String {
        match self {
            Abandoned::Withdrawing { supply, in_contact } => {
                let mut why = Vec::new();
                if supply < 1.0 {
                    why.push(format!(
                        "short of fuel and transport (it had {:.0}% of its supply)",
                        supply * 100.0
                    ));
                }
                if in_contact {
                    why.push("breaking contact with the enemy".to_string());
                }
                if why.is_empty() {
                    "falling back".to_string()
                } else {
                    why.join(" and ")
                }
            }
            Abandoned::Routed => "routed, it takes nothing with it".to_string(),
            Abandoned::NoWayBack => {
                "no way back to its line is open, so it takes nothing with it".to_string()
            }
        }
    }
}

/// What became of a strike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StrikeOutcome {
    /// It hit.
    Hit,
    /// It missed.
    Missed,
    /// The enemy's air defence stopped it.
    Intercepted,
}

/// One fact, in ids: see [`crate::scenario::ids`] for the names they stand for.
#[derive(Message, Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind")]
pub enum GameEvent {
    /// A new day began.
    DayStarted {
        /// Turn number.
        turn: u32,
    },
    /// A reinforcement entered the map.
    ReinforcementArrived {
        /// Unit.
        unit: UnitId,
        /// Side.
        side: SideId,
        /// Where.
        hex: HexPair,
    },
    /// A unit left the map (for another front).
    UnitDeparted {
        /// Unit.
        unit: UnitId,
    },
    /// A rail link stopped carrying its owner's supply.
    RailLinkCut {
        /// Link.
        link: LinkId,
        /// Side that cut it.
        by: SideId,
        /// Side whose supply it carried.
        owner: SideId,
    },
    /// A rail link carries supply again.
    RailLinkRestored {
        /// Link.
        link: LinkId,
        /// Side that had cut it.
        by: SideId,
        /// Side whose supply it carries.
        owner: SideId,
    },
    /// A rail line was wrecked: the enemy held its track, or a bridge on it was blown.
    RailLinkWrecked {
        /// Link.
        link: LinkId,
        /// The side that worked it, if one did.
        operator: Option<SideId>,
        /// Days its repair will take once one side holds all of it.
        days: u32,
    },
    /// A wrecked rail line was repaired and carries its new operator's trains.
    RailLinkRepaired {
        /// Link.
        link: LinkId,
        /// The side that repaired it.
        by: SideId,
    },
    /// Ground a side held but could no longer trace to its supply passed to the side
    /// around it.
    GroundIsolated {
        /// The side that lost it.
        side: SideId,
        /// The side it passed to.
        to: SideId,
        /// Hexes.
        hexes: u32,
        /// Area, km².
        km2: f64,
    },
    /// A bridge was blown by the side losing it.
    BridgeBlown {
        /// Crossing.
        crossing: CrossingId,
        /// River.
        river: RiverId,
        /// Side that blew it.
        by: SideId,
    },
    /// A strike was made: intercepted, missed, or hit (its damage follows).
    StrikeMade {
        /// The striking side.
        by: SideId,
        /// Index of its strike assets in the scenario's `strikes`.
        assets: usize,
        /// The crossing struck, if a crossing.
        crossing: Option<CrossingId>,
        /// The railway struck, if a railway.
        link: Option<LinkId>,
        /// The depot struck, if a depot.
        depot: Option<DepotId>,
        /// The rail node struck, if a rail node.
        #[serde(skip_serializing_if = "Option::is_none")]
        node: Option<NodeId>,
        /// What became of it.
        outcome: StrikeOutcome,
        /// What a hit takes from the enemy's supply, as reckoned when it was made: tonnes
        /// a day (its trains, and the units across a crossing) for a crossing, railway or
        /// junction; tonnes its units would have drawn for a depot.
        #[serde(default)]
        supply: f64,
    },
    /// A crossing was damaged: cut to a share of its capacity (closed at 0) until
    /// repaired.
    CrossingDamaged {
        /// Crossing.
        crossing: CrossingId,
        /// The side whose strike did it (none for damage the scenario dates).
        by: Option<SideId>,
        /// The share of its capacity left.
        capacity_left: f64,
        /// Days of repair it now needs.
        days: u32,
    },
    /// A damaged crossing was repaired.
    CrossingRepaired {
        /// Crossing.
        crossing: CrossingId,
        /// The side holding it, which repaired it (none for a repair the scenario dates).
        by: Option<SideId>,
    },
    /// A railway was cut by a strike (it is wrecked until repaired).
    RailLinkStruck {
        /// Link.
        link: LinkId,
        /// The side whose strike did it (none for damage the scenario dates).
        by: Option<SideId>,
        /// Days of repair it needs.
        days: u32,
    },
    /// A depot was struck and lost part of its stock.
    DepotStruck {
        /// Depot.
        depot: DepotId,
        /// The side whose strike did it (none for damage the scenario dates).
        by: Option<SideId>,
        /// Tonnes destroyed.
        tonnes: f64,
    },
    /// A pontoon bridge or ferry was built.
    CrossingBuilt {
        /// Crossing.
        crossing: CrossingId,
        /// The side that built it.
        by: SideId,
    },
    /// A crossing down was rebuilt with the rail line over it.
    BridgeRepaired {
        /// Crossing.
        crossing: CrossingId,
        /// Side that rebuilt it.
        by: SideId,
    },
    /// What crossed a crossing with a limit today for one side: by its rail and lorry
    /// links, and from depots across it to units (the last mile). Once per side and
    /// crossing that carried or was asked to carry something.
    CrossingSupply {
        /// Crossing.
        crossing: CrossingId,
        /// Side whose supply crossed.
        side: SideId,
        /// Tonnes by rail and lorry links.
        by_links: f64,
        /// Tonnes from depots across it to units.
        last_mile: f64,
        /// Tonnes units across it asked of their depots.
        asked: f64,
        /// Its limit today, tonnes.
        limit: f64,
    },
    /// A depot's day: once per depot per turn.
    DepotSupply {
        /// Depot.
        depot: DepotId,
        /// Owner.
        side: SideId,
        /// Stock after today's inflow and draw, tonnes.
        stock: f64,
        /// Received today, tonnes.
        inflow: f64,
        /// What it would have received with no link cut, tonnes.
        nominal_inflow: f64,
        /// What its units wanted, tonnes.
        demand: f64,
        /// What its units drew, tonnes.
        drawn: f64,
    },
    /// A unit went by rail from one station to another.
    UnitMovedByRail {
        /// Unit.
        unit: UnitId,
        /// From hex.
        from: HexPair,
        /// To hex.
        to: HexPair,
        /// Tonnes of each line's day it took.
        tonnes: u64,
    },
    /// A side gave a depot first call on its trains, or took it back.
    DepotFirstCall {
        /// Depot.
        depot: DepotId,
        /// Its side.
        side: SideId,
        /// First call now or not.
        first: bool,
    },
    /// A depot's hex fell to the enemy: the depot serves the captor from now on.
    DepotCaptured {
        /// Depot.
        depot: DepotId,
        /// Capturing side (none when the hex is left to nobody).
        by: Option<SideId>,
        /// Stock its side lost, tonnes.
        stock: f64,
        /// Of that, what the captor took over (the rules' `captured_stock_share`), tonnes.
        #[serde(default)]
        kept: f64,
    },
    /// A unit's supply state changed.
    UnitSupplyChanged {
        /// Unit.
        unit: UnitId,
        /// Before.
        from: SupplyLevel,
        /// After.
        to: SupplyLevel,
        /// Depot it draws from, if any.
        depot: Option<DepotId>,
        /// Share of its need received.
        share: f64,
    },
    /// The operational AI ordered a grouping to fall back.
    WithdrawalOrdered {
        /// Grouping.
        grouping: GroupingId,
        /// Side.
        side: SideId,
        /// Why, with the numbers.
        reasons: Vec<Reason>,
    },
    /// A grouping stopped falling back: its situation recovered.
    WithdrawalEnded {
        /// Grouping.
        grouping: GroupingId,
        /// Side.
        side: SideId,
    },
    /// A grouping of an AI side took a new posture.
    PostureTaken {
        /// Grouping.
        grouping: GroupingId,
        /// Side.
        side: SideId,
        /// What it does now.
        posture: Posture,
        /// Why, with the numbers.
        why: PostureWhy,
    },
    /// A unit moved.
    UnitMoved {
        /// Unit.
        unit: UnitId,
        /// From.
        from: HexPair,
        /// To.
        to: HexPair,
        /// Movement points spent.
        cost: u32,
    },
    /// An order was refused.
    OrderRefused {
        /// Side.
        side: SideId,
        /// The order.
        order: Order,
        /// Why.
        reason: Refusal,
    },
    /// A combat was fought.
    CombatResolved {
        /// Attacking units.
        attackers: Vec<UnitId>,
        /// Defending units.
        defenders: Vec<UnitId>,
        /// The defenders' hex.
        hex: HexPair,
        /// Attack over defence.
        odds: f64,
        /// The column of the results table the odds fell in (0: under 1:1).
        column: usize,
        /// The die, 1 to 6.
        die: u8,
        /// Share of strength the attackers lost.
        attacker_loss: f64,
        /// Share of strength the defenders lost.
        defender_loss: f64,
        /// Hexes the defenders had to retreat.
        retreat: u32,
        /// Whether the attackers took the hex.
        hex_taken: bool,
    },
    /// A unit was destroyed or surrendered.
    UnitDestroyed {
        /// Unit.
        unit: UnitId,
        /// How.
        cause: Loss,
    },
    /// Equipment was left behind.
    EquipmentAbandoned {
        /// Unit.
        unit: UnitId,
        /// Where.
        hex: HexPair,
        /// Items by kind.
        items: BTreeMap<String, u32>,
        /// Why.
        why: Abandoned,
    },
    /// Equipment fell into the enemy's hands.
    EquipmentCaptured {
        /// Capturing side.
        by: SideId,
        /// Side that lost it.
        from: SideId,
        /// Unit it belonged to.
        unit: UnitId,
        /// Where.
        hex: HexPair,
        /// Items by kind.
        items: BTreeMap<String, u32>,
    },
    /// An objective changed hands.
    ObjectiveCaptured {
        /// Place.
        place: PlaceId,
        /// New holder.
        by: SideId,
        /// Victory points.
        points: u32,
    },
    /// Territory at the end of the day.
    TerritoryChanged {
        /// Side.
        side: SideId,
        /// Km² it holds that another side held at the start.
        gained_km2: f64,
        /// Change since yesterday.
        change_km2: f64,
    },
}

/// An event with the day it happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Logged {
    /// Turn, from 1.
    pub turn: u32,
    /// Date.
    pub date: NaiveDate,
    /// The event.
    pub event: GameEvent,
    /// For each side, whether it learned of the event when it happened (fog of war, as
    /// its units saw then): what a side knew of a past day stays as it was.
    #[serde(skip)]
    pub known_to: Vec<bool>,
}

impl Logged {
    /// Whether `side` learned of the event when it happened (a side not recorded, as in
    /// an event logged by hand, knows).
    pub fn known_to(&self, side: SideId) -> bool {
        self.known_to.get(side.0).copied().unwrap_or(true)
    }

    /// One JSON object: `turn`, `date` (YYYY-MM-DD), `kind` and the event's fields. A field
    /// that holds an id holds the name for readers (a side's short id, e.g. `ua`), and the
    /// id itself beside it as `FIELD_id`; a refused order and its reason are in words.
    pub fn to_json(&self, s: &Scenario) -> serde_json::Value {
        let mut v = serde_json::to_value(&self.event).unwrap_or(serde_json::Value::Null);
        if let serde_json::Value::Object(map) = &mut v {
            let kind = map
                .get("kind")
                .and_then(|k| k.as_str())
                .unwrap_or_default()
                .to_string();
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                let Some(name) = id_kind(&kind, &key) else {
                    continue;
                };
                let Some(ids) = map.remove(&key) else {
                    continue;
                };
                map.insert(key.clone(), named(s, name, &ids));
                map.insert(format!("{key}_id"), ids);
            }
            if let GameEvent::OrderRefused { order, reason, .. } = &self.event {
                map.insert("order".into(), order.describe(s).into());
                map.insert("reason".into(), reason.describe(s).into());
            }
            map.insert("turn".into(), self.turn.into());
            map.insert(
                "date".into(),
                self.date.format("%Y-%m-%d").to_string().into(),
            );
        }
        v
    }
}

/// Events as JSON lines, one [`Logged::to_json`] object per line: `railhead run --events`,
/// `railhead replay --events` and a report's `events.jsonl`.
pub fn jsonl(s: &Scenario, events: &[Logged]) -> String {
    let mut out = String::new();
    for l in events {
        out.push_str(&l.to_json(s).to_string());
        out.push('\n');
    }
    out
}

/// What kind of id a field of an event holds, if any.
fn id_kind(kind: &str, key: &str) -> Option<IdKind> {
    Some(match key {
        "unit" | "attackers" | "defenders" => IdKind::Unit,
        "side" | "by" | "owner" | "operator" => IdKind::Side,
        "from" if kind == "EquipmentCaptured" => IdKind::Side,
        "to" if kind == "GroundIsolated" => IdKind::Side,
        "grouping" => IdKind::Grouping,
        "depot" => IdKind::Depot,
        "link" => IdKind::Link,
        "crossing" => IdKind::Crossing,
        "river" => IdKind::River,
        "place" => IdKind::Place,
        "node" => IdKind::Node,
        _ => return None,
    })
}

/// The kinds of ids events hold.
#[derive(Debug, Clone, Copy)]
enum IdKind {
    Unit,
    Side,
    Grouping,
    Depot,
    Link,
    Crossing,
    River,
    Place,
    Node,
}

/// The name (or names) for an id (or a list of them, or null) as JSON.
fn named(s: &Scenario, kind: IdKind, ids: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match ids {
        Value::Array(list) => Value::Array(list.iter().map(|v| named(s, kind, v)).collect()),
        Value::Number(n) => {
            let i = n.as_u64().unwrap_or(u64::MAX) as usize;
            let name = match kind {
                IdKind::Unit => s.units.get(i).map(|x| &x.name),
                IdKind::Side => s.sides.get(i).map(|x| &x.id),
                IdKind::Grouping => s.groupings.get(i).map(|x| &x.name),
                IdKind::Depot => s.depots.get(i).map(|x| &x.name),
                IdKind::Link => s.rail_links.get(i).map(|x| &x.name),
                IdKind::Crossing => s.crossings.get(i).map(|x| &x.name),
                IdKind::River => s.rivers.get(i).map(|x| &x.name),
                IdKind::Place => s.places.get(i).map(|x| &x.name),
                IdKind::Node => s.rail_nodes.get(i).map(|x| &x.name),
            };
            name.map_or(Value::Null, |n| Value::String(n.clone()))
        }
        other => other.clone(),
    }
}

/// Every event of the game, in order.
#[derive(Resource, Debug, Clone, Default)]
pub struct Chronicle(pub Vec<Logged>);

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::rules::setup::default_controllers;
    use crate::rules::simulation::Simulation;

    #[test]
    fn a_posture_with_no_enemy_in_reach_never_prints_an_infinite_ratio() {
        let none = f64::INFINITY;
        for why in [
            PostureWhy::StrongEnough { ratio: none },
            PostureWhy::TooWeak {
                ratio: none,
                needed: 1.5,
            },
            PostureWhy::TooWeak {
                ratio: 1.0,
                needed: none,
            },
            PostureWhy::HeldTooStrongly {
                ratio: none,
                needed: 2.0,
            },
            PostureWhy::Outnumbered {
                ratio: none,
                threshold: 3.0,
            },
        ] {
            let text = why.text();
            assert!(
                !text.contains("inf") && !text.contains("NaN"),
                "{why:?}: {text}"
            );
        }
        assert_eq!(
            PostureWhy::StrongEnough { ratio: none }.text(),
            "supplied, with no enemy in reach"
        );
    }

    #[test]
    fn the_json_of_an_event_names_each_id_and_keeps_the_id_beside_it() {
        let s = Arc::new(crate::scenario::load_or_default(None).unwrap());
        let mut sim = Simulation::new(s.clone(), 1, default_controllers(&s));
        for _ in 0..5 {
            sim.play_day();
        }
        let mut kinds = std::collections::BTreeSet::new();
        for l in sim.chronicle() {
            let json = l.to_json(&s);
            let map = json.as_object().unwrap();
            for (key, value) in map {
                if let Some(field) = key.strip_suffix("_id") {
                    let name = &map[field];
                    assert!(
                        name.is_string() || name.is_array() || name.is_null(),
                        "{key} without a name: {json}"
                    );
                    assert!(!value.is_string(), "{key} is not an id: {json}");
                }
            }
            kinds.insert(map["kind"].as_str().unwrap().to_string());
        }
        // The kinds that carry ids were all seen in five days of the Kharkiv scenario.
        for kind in ["DepotSupply", "RailLinkCut", "UnitMoved", "CombatResolved"] {
            assert!(kinds.contains(kind), "no {kind} in {kinds:?}");
        }
        let moved = sim
            .chronicle()
            .iter()
            .find(|l| matches!(l.event, GameEvent::UnitMoved { .. }))
            .unwrap();
        let (GameEvent::UnitMoved { unit, .. }, json) = (&moved.event, moved.to_json(&s)) else {
            unreachable!()
        };
        assert_eq!(json["unit"], s.unit(*unit).name.as_str());
        assert_eq!(json["unit_id"], unit.0);
    }

    #[test]
    fn a_withdrawal_reason_is_written_as_before() {
        let r = Reason::LinesCut {
            value: 0.88,
            threshold: 0.5,
            threatened: 0.0,
        };
        assert_eq!(
            serde_json::to_value(r).unwrap(),
            serde_json::json!({"reason": "lines_cut", "value": 0.88, "threshold": 0.5})
        );
    }
}
