//! What happened: past-tense facts the rules write as Bevy messages, recorded in order in
//! the [`Chronicle`], narrated for people and written as JSON lines for programs.

use std::collections::BTreeMap;

use bevy::prelude::*;
use chrono::NaiveDate;
use serde::Serialize;

use super::state::SupplyLevel;

/// A reason the operational AI gave for a withdrawal, with its numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// `days_of_supply`, `lines_cut` or `force_ratio`.
    pub reason: String,
    /// The measured value.
    pub value: f64,
    /// The scenario's threshold it crossed.
    pub threshold: f64,
}

/// One fact. Names (units, depots, links, places) are the scenario's; sides are side ids.
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
        unit: String,
        /// Side.
        side: String,
        /// Where (column, row).
        hex: (i32, i32),
    },
    /// A unit left the map.
    UnitDeparted {
        /// Unit.
        unit: String,
        /// Why.
        reason: String,
    },
    /// A rail link stopped carrying its owner's supply.
    RailLinkCut {
        /// Link.
        link: String,
        /// Side that cut it.
        by: String,
        /// Side whose supply it carried.
        owner: String,
    },
    /// A rail link carries supply again.
    RailLinkRestored {
        /// Link.
        link: String,
        /// Side that had cut it.
        by: String,
        /// Side whose supply it carries.
        owner: String,
    },
    /// A bridge was blown by the side losing it.
    BridgeBlown {
        /// Crossing.
        crossing: String,
        /// River.
        river: String,
        /// Side that blew it.
        by: String,
    },
    /// A depot's day: once per depot per turn.
    DepotSupply {
        /// Depot.
        depot: String,
        /// Owner.
        side: String,
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
    /// A depot's hex fell to the enemy.
    DepotCaptured {
        /// Depot.
        depot: String,
        /// Capturing side.
        by: String,
        /// Stock lost, tonnes.
        stock: f64,
    },
    /// A unit's supply state changed.
    UnitSupplyChanged {
        /// Unit.
        unit: String,
        /// Before.
        from: SupplyLevel,
        /// After.
        to: SupplyLevel,
        /// Depot it draws from, if any.
        depot: Option<String>,
        /// Share of its need received.
        share: f64,
    },
    /// The operational AI ordered a grouping to fall back.
    WithdrawalOrdered {
        /// Grouping.
        grouping: String,
        /// Side.
        side: String,
        /// Why, with the numbers.
        reasons: Vec<Reason>,
    },
    /// A unit moved.
    UnitMoved {
        /// Unit.
        unit: String,
        /// From (column, row).
        from: (i32, i32),
        /// To (column, row).
        to: (i32, i32),
        /// Movement points spent.
        cost: u32,
    },
    /// An order was refused.
    OrderRefused {
        /// Side.
        side: String,
        /// The order, in words.
        order: String,
        /// Why.
        reason: String,
    },
    /// A combat was fought.
    CombatResolved {
        /// Attacking units.
        attackers: Vec<String>,
        /// Defending units.
        defenders: Vec<String>,
        /// The defenders' hex.
        hex: (i32, i32),
        /// Attack over defence.
        odds: f64,
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
        unit: String,
        /// How.
        cause: String,
    },
    /// Equipment was left behind.
    EquipmentAbandoned {
        /// Unit.
        unit: String,
        /// Where.
        hex: (i32, i32),
        /// Items by kind.
        items: BTreeMap<String, u32>,
    },
    /// Equipment fell into the enemy's hands.
    EquipmentCaptured {
        /// Capturing side.
        by: String,
        /// Side that lost it.
        from: String,
        /// Unit it belonged to.
        unit: String,
        /// Where.
        hex: (i32, i32),
        /// Items by kind.
        items: BTreeMap<String, u32>,
    },
    /// An objective changed hands.
    ObjectiveCaptured {
        /// Place.
        place: String,
        /// New holder.
        by: String,
        /// Victory points.
        points: u32,
    },
    /// Territory at the end of the day.
    TerritoryChanged {
        /// Side.
        side: String,
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
}

impl Logged {
    /// One JSON object: `turn`, `date` (YYYY-MM-DD), `kind` and the event's fields.
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(&self.event).unwrap_or(serde_json::Value::Null);
        if let serde_json::Value::Object(map) = &mut v {
            map.insert("turn".into(), self.turn.into());
            map.insert(
                "date".into(),
                self.date.format("%Y-%m-%d").to_string().into(),
            );
        }
        v
    }
}

/// Every event of the game, in order.
#[derive(Resource, Debug, Clone, Default)]
pub struct Chronicle(pub Vec<Logged>);
