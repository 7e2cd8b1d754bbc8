//! Fog of war: a side sees its own units, and enemy units within the reconnaissance reach
//! (`recon`, in hexes; at least the next hex) of one of its units on the map. Every event
//! joins the chronicle with the sides that learned of it.

use crate::geo::Offset;
use crate::scenario::Scenario;

use bevy::ecs::message::Messages;
use bevy::prelude::*;

use super::cursor::DayCursor;
use super::events::{Chronicle, GameEvent, Logged};
use super::state::{Forces, ScenarioRes};
use crate::scenario::ids::{SideId, UnitId};

/// For each unit (by id), whether `side` can see it.
pub fn visible_to(s: &Scenario, forces: &Forces, side: SideId) -> Vec<bool> {
    Sight::of(s, forces, side).units
}

/// What a side sees now: which units, and which hexes lie within its eyes' reach.
#[derive(Debug, Clone)]
pub struct Sight {
    /// For each unit (by id), whether the side sees it.
    pub units: Vec<bool>,
    /// The hexes within the reconnaissance reach of the side's units.
    hexes: super::ground::Near,
}

impl Sight {
    /// What `side` sees with its units where they stand.
    pub fn of(s: &Scenario, forces: &Forces, side: SideId) -> Self {
        let eyes: Vec<(Offset, u32)> = forces
            .of_side(side)
            .map(|u| (u.hex(), s.units[u.id].recon.max(1)))
            .collect();
        let hexes = super::ground::Near::each(s, &eyes, forces.units.len());
        let units = forces
            .units
            .iter()
            .map(|u| u.side == side || (u.active() && hexes.contains(s, u.hex())))
            .collect();
        Sight { units, hexes }
    }

    /// Whether the side sees the hex.
    pub fn sees(&self, s: &Scenario, hex: (i32, i32)) -> bool {
        let o = Offset {
            col: hex.0,
            row: hex.1,
        };
        s.frame.contains(o) && self.hexes.contains(s, o)
    }
}

/// Whether `side` knows of an event, given what it sees now ([`Sight`]). Fog of war hides
/// enemy units: their arrivals, departures, supply, refused orders and withdrawal orders
/// are known only for units the side can see (a withdrawal never: the side sees the moves
/// it leads to), their moves when the side sees the unit or the hex it left (a unit seen
/// to go away is seen going). Everything else is known: its own units' doings, combats (a
/// side's units were in them), rail links, bridges, depots, objectives and territory (the
/// scenario's subject is supply, and a side knows which lines it has cut and what is kept
/// from the enemy's depots).
pub fn event_known(s: &Scenario, event: &GameEvent, side: SideId, sight: &Sight) -> bool {
    let own_side = |id: &SideId| *id == side;
    let unit_seen = |u: &UnitId| {
        s.units.get(u.0).is_none_or(|spec| spec.side == side)
            || sight.units.get(u.0).copied().unwrap_or(false)
    };
    if let GameEvent::UnitMoved { unit, from, .. } | GameEvent::UnitMovedByRail { unit, from, .. } =
        event
    {
        return unit_seen(unit) || sight.sees(s, *from);
    }
    match event {
        GameEvent::ReinforcementArrived { unit, .. }
        | GameEvent::UnitDeparted { unit, .. }
        | GameEvent::UnitSupplyChanged { unit, .. }
        | GameEvent::UnitMoved { unit, .. }
        | GameEvent::UnitMovedByRail { unit, .. }
        | GameEvent::EquipmentAbandoned { unit, .. } => unit_seen(unit),
        GameEvent::WithdrawalOrdered { side: by, .. }
        | GameEvent::PostureTaken { side: by, .. }
        | GameEvent::WithdrawalEnded { side: by, .. }
        | GameEvent::DepotFirstCall { side: by, .. }
        | GameEvent::CrossingSupply { side: by, .. }
        | GameEvent::OrderRefused { side: by, .. } => own_side(by),
        GameEvent::DayStarted { .. }
        | GameEvent::RailLinkCut { .. }
        | GameEvent::RailLinkRestored { .. }
        | GameEvent::RailLinkWrecked { .. }
        | GameEvent::GroundIsolated { .. }
        | GameEvent::RailLinkRepaired { .. }
        | GameEvent::BridgeBlown { .. }
        | GameEvent::BridgeRepaired { .. }
        | GameEvent::CrossingBuilt { .. }
        | GameEvent::StrikeMade { .. }
        | GameEvent::CrossingDamaged { .. }
        | GameEvent::CrossingRepaired { .. }
        | GameEvent::RailLinkStruck { .. }
        | GameEvent::DepotStruck { .. }
        | GameEvent::DepotSupply { .. }
        | GameEvent::DepotCaptured { .. }
        | GameEvent::CombatResolved { .. }
        | GameEvent::UnitDestroyed { .. }
        | GameEvent::EquipmentCaptured { .. }
        | GameEvent::ObjectiveCaptured { .. }
        | GameEvent::TerritoryChanged { .. } => true,
    }
}

/// Moves this schedule's messages into the chronicle. Draining (rather than reading)
/// keeps each message in the chronicle once, whichever schedule wrote it.
pub(super) fn record_events(
    scenario: Res<ScenarioRes>,
    forces: Res<Forces>,
    clock: Res<DayCursor>,
    mut messages: ResMut<Messages<GameEvent>>,
    mut chronicle: ResMut<Chronicle>,
) {
    let s = &scenario.0;
    // What each side's units see now, found once for the events of this step.
    let mut seen: Option<Vec<Sight>> = None;
    for e in messages.drain() {
        let seen = seen.get_or_insert_with(|| {
            s.side_ids()
                .map(|side| Sight::of(s, &forces, side))
                .collect()
        });
        let known_to = s
            .side_ids()
            .map(|side| event_known(s, &e, side, &seen[side.0]))
            .collect();
        chronicle.0.push(Logged {
            turn: clock.turn,
            date: clock.date,
            event: e,
            known_to,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::setup::initial_state;

    #[test]
    fn enemies_are_seen_only_within_reconnaissance_reach() {
        let s = crate::scenario::load_or_default(None).unwrap();
        let (_, _, _, mut forces) = initial_state(&s);
        let ua = s.side_index("ua").unwrap();
        let seen = visible_to(&s, &forces, ua);
        // Own units are always seen; far enemies are not; the BARS detachment at Verbivka,
        // two hexes from the 92nd, is.
        assert!(
            forces
                .units
                .iter()
                .filter(|u| u.side == ua)
                .all(|u| seen[u.id])
        );
        let izium = s
            .units
            .iter()
            .position(|u| u.name == "13th Guards Tank Regiment (4th GTD)")
            .unwrap();
        assert!(!seen[izium]);
        let bars = s
            .units
            .iter()
            .position(|u| u.name == "BARS detachment")
            .unwrap();
        assert!(seen[bars]);
        // Move a Ukrainian unit next to Izium and the tank regiment is seen.
        let scout = s
            .units
            .iter()
            .position(|u| u.name == "4th Tank Brigade")
            .unwrap();
        let next_to = s.neighbours(forces.units[izium].hex()).next().unwrap();
        forces.place(UnitId(scout), next_to);
        assert!(visible_to(&s, &forces, ua)[izium]);
    }

    #[test]
    fn a_side_hears_of_enemy_moves_only_when_it_sees_the_unit_or_where_it_left() {
        let s = crate::scenario::load_or_default(None).unwrap();
        let (_, _, _, forces) = initial_state(&s);
        let ua = s.side_index("ua").unwrap();
        let sight = Sight::of(&s, &forces, ua);
        let seen = &sight.units;
        let far = (0, 0);
        assert!(!sight.sees(&s, far), "the map's corner is out of sight");
        let moved = |i: usize, from: (i32, i32)| GameEvent::UnitMoved {
            unit: UnitId(i),
            from,
            to: (1, 0),
            cost: 1,
        };
        let hidden = seen.iter().position(|v| !v).unwrap();
        let visible_enemy = (0..s.units.len())
            .find(|i| seen[*i] && s.units[*i].side != ua)
            .unwrap();
        let own = (0..s.units.len()).find(|i| s.units[*i].side == ua).unwrap();
        assert!(!event_known(&s, &moved(hidden, far), ua, &sight));
        assert!(event_known(&s, &moved(visible_enemy, far), ua, &sight));
        assert!(event_known(&s, &moved(own, far), ua, &sight));
        // A unit out of sight now, that left a hex the side sees, is seen going.
        let watched = forces.units[own].hex();
        assert!(event_known(
            &s,
            &moved(hidden, (watched.col, watched.row)),
            ua,
            &sight
        ));
        let withdrawal = |side: &str| GameEvent::WithdrawalOrdered {
            grouping: crate::scenario::ids::GroupingId(0),
            side: s.side_index(side).unwrap(),
            reasons: vec![],
        };
        assert!(!event_known(&s, &withdrawal("ru"), ua, &sight));
        assert!(event_known(&s, &withdrawal("ua"), ua, &sight));
        assert!(event_known(
            &s,
            &GameEvent::DayStarted { turn: 2 },
            ua,
            &sight
        ));
    }
}
