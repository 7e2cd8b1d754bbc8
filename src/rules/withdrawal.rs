//! The defender's operational AI: for each grouping, days of supply left (stock and
//! today's inflow over every open route, lorry routes included, against its use), the
//! share of its rail supply that is cut where what is left cannot bring its need (and its
//! stock would not outlast a repair of the line, `rail_repair_days`), and the
//! local force ratio, against the scenario's thresholds. A commander who watches his
//! lines (`threat_radius`) counts a line the enemy has come within reach of as lost
//! already, in both supply reasons: he orders the withdrawal as the enemy nears the
//! junction, not the day after it falls. When enough reasons hold, it
//! orders the grouping back to its fallback line, and says why; it looks again each day,
//! and a grouping with no reason left stands fast.
//!
//! A withdrawing unit that lacks the fuel to move everything leaves the rest behind: it
//! abandons the share of its equipment it was not supplied for; a routed unit, or one with
//! no way back, abandons all of it. The enemy captures what it finds.

use crate::scenario::ids::{DepotId, GroupingId, SideId};
use std::collections::BTreeSet;

use crate::scenario::Scenario;

use super::combat::{attack_strength, defence_strength};
use super::events::Reason;
use super::state::{Board, Depots, Forces};

/// How a grouping stands, as its commander sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// Days its depots' stock lasts at today's inflow and use (infinite when inflow covers use).
    pub days_of_supply: f64,
    /// Share of the rail capacity into its depots that is cut, or (for a commander who
    /// watches his lines) still open but within the enemy's reach (0 to 1).
    pub lines_cut: f64,
    /// The part of `lines_cut` that is only under threat, not yet cut (0 to 1).
    pub threatened: f64,
    /// Whether `days_of_supply` counts on losing the lines under threat.
    pub outlook: bool,
    /// Enemy attack strength near it over its own defence strength.
    pub force_ratio: f64,
    /// Share of the ground around it (the ring just beyond `force_ratio_radius` of its
    /// units) that the enemy holds.
    pub encircled: f64,
}

/// Assesses a grouping; `estimate` scales the enemy's strength as its commander sees it
/// (1: exactly). `None` when it has no unit on the map.
pub fn assess(
    s: &Scenario,
    board: &Board,
    depots: &Depots,
    forces: &Forces,
    grouping: GroupingId,
    estimate: f64,
) -> Option<Assessment> {
    let units = super::posture::units_of(forces, grouping);
    if units.is_empty() {
        return None;
    }
    let used: BTreeSet<DepotId> = units.iter().filter_map(|u| u.depot).collect();
    let (mut stock, mut demand, mut cap_open) = (0.0, 0.0, 0.0);
    // Inflow and capacity as they are, and as the commander expects them once the lines
    // within the enemy's reach are lost too (the same without a `threat_radius`).
    let (mut inflow, mut inflow_seen, mut cap_now, mut cap_seen) = (0.0, 0.0, 0.0, 0.0);
    for d in &used {
        let st = &depots.0[*d];
        let outlook = st.capacity_outlook.unwrap_or(st.capacity_now);
        stock += st.stock;
        demand += st.demand;
        inflow += st.inflow;
        inflow_seen += st.inflow.min(outlook);
        cap_now += st.capacity_now;
        cap_seen += st.capacity_now.min(outlook);
        cap_open += st.capacity_open;
    }
    // Units with no depot at all have no supply left.
    let days_of_supply = if used.is_empty() {
        0.0
    } else if demand > inflow_seen {
        stock / (demand - inflow_seen)
    } else {
        f64::INFINITY
    };
    // Capacity lost since the start counts only where what is left (lorry routes
    // included) cannot bring what the grouping's depots need: a cut another route makes
    // good is no reason to fall back.
    let lost = |cap: f64| {
        if cap_open > 0.0 && cap < demand {
            (1.0 - cap / cap_open).clamp(0.0, 1.0)
        } else {
            0.0
        }
    };
    let lines_cut = lost(cap_seen);
    let threatened = (lines_cut - lost(cap_now)).max(0.0);
    let outlook = inflow_seen < inflow;
    let side = s.groupings[grouping].side;
    let radius = s.rules.force_ratio_radius;
    let near = super::ground::Near::units(s, &units, radius, forces.units.len());
    let enemy: f64 = forces
        .units
        .iter()
        .filter(|u| u.active() && u.side != side && near.contains(s, u.hex()))
        .map(|u| attack_strength(s, u))
        .sum::<f64>()
        * estimate;
    let own: f64 = units.iter().map(|u| defence_strength(s, u)).sum();
    let force_ratio = if own > 0.0 {
        enemy / own
    } else {
        f64::INFINITY
    };
    Some(Assessment {
        days_of_supply,
        lines_cut,
        threatened,
        outlook,
        force_ratio,
        encircled: encircled(s, board, &units, side),
    })
}

/// Whether a grouping has reached a line: most of its units on the map stand within a hex
/// of it.
pub fn on_line(forces: &Forces, g: GroupingId, line: &[crate::geo::Offset]) -> bool {
    let units = super::posture::units_of(forces, g);
    let near = units
        .iter()
        .filter(|u| {
            line.iter().any(|h| {
                crate::geo::offset_to_hex(*h)
                    .unsigned_distance_to(crate::geo::offset_to_hex(u.hex()))
                    <= 1
            })
        })
        .count();
    !units.is_empty() && 2 * near > units.len()
}

/// The share of the ground around a grouping that the enemy holds: of the hexes on the
/// map just beyond `force_ratio_radius` of its units (its surroundings), those held by a
/// side other than its own.
pub fn encircled(
    s: &Scenario,
    board: &Board,
    units: &[&super::state::UnitState],
    side: SideId,
) -> f64 {
    let radius = s.rules.force_ratio_radius + 1;
    let hexes: Vec<_> = units.iter().map(|u| u.hex()).collect();
    // A hex of a unit's ring is the grouping's surroundings unless it lies nearer another.
    let inside = super::ground::Near::new(s, &hexes, radius - 1, hexes.len() * 6 * radius as usize);
    // Row-major indices, each once (only how many there are, and are held, is asked).
    let mut ring: Vec<usize> = Vec::with_capacity(hexes.len() * 6 * radius as usize);
    for c in &hexes {
        for h in crate::geo::offset_to_hex(*c).ring(radius) {
            let o = crate::geo::hex_to_offset(h);
            // Open water, like the map's edge, neither hems a grouping in nor leaves it a way out.
            if s.frame.contains(o) && !s.terrain_at(o).water && !inside.contains(s, o) {
                ring.push(s.index(o));
            }
        }
    }
    ring.sort_unstable();
    ring.dedup();
    if ring.is_empty() {
        return 0.0;
    }
    let enemy = ring
        .iter()
        .filter(|&&i| board.control[i].is_some_and(|c| c != side))
        .count();
    enemy as f64 / ring.len() as f64
}

/// The reasons to fall back that hold for grouping `g` under its thresholds (its side's,
/// with its own in their place: [`Scenario::thresholds`]; none when its side has none).
pub fn reasons(s: &Scenario, a: &Assessment, g: GroupingId) -> Vec<Reason> {
    let Some(t) = s.thresholds(g) else {
        return Vec::new();
    };
    let round = |x: f64| {
        if x.is_finite() {
            (x * 100.0).round() / 100.0
        } else {
            9999.0
        }
    };
    let mut reasons = Vec::new();
    if a.days_of_supply < t.days_of_supply_below {
        reasons.push(Reason::DaysOfSupply {
            value: round(a.days_of_supply),
            threshold: t.days_of_supply_below,
            outlook: a.outlook,
        });
    }
    // A cut is a reason only while the stock would not outlast a repair of the line: a
    // grouping with weeks of stock can wait for its railway to be mended or retaken.
    let cut_matters = a.days_of_supply < f64::from(s.rules.rail_repair_days);
    if a.lines_cut >= t.lines_cut_at_least && a.lines_cut > 0.0 && cut_matters {
        reasons.push(Reason::LinesCut {
            value: round(a.lines_cut),
            threshold: t.lines_cut_at_least,
            threatened: round(a.threatened),
        });
    }
    if a.force_ratio > t.force_ratio_above {
        reasons.push(Reason::ForceRatio {
            value: round(a.force_ratio),
            threshold: t.force_ratio_above,
        });
    }
    if let Some(threshold) = t.encircled_at_least
        && a.encircled >= threshold
        && a.encircled > 0.0
    {
        reasons.push(Reason::Encircled {
            value: round(a.encircled),
            threshold,
        });
    }
    reasons
}

/// The reasons that hold for grouping `g`, if enough hold to withdraw.
pub fn reasons_to_withdraw(s: &Scenario, a: &Assessment, g: GroupingId) -> Option<Vec<Reason>> {
    let t = s.thresholds(g)?;
    let reasons = reasons(s, a, g);
    (reasons.len() as u32 >= t.reasons_needed).then_some(reasons)
}

/// Share of its equipment a unit in contact with the enemy leaves behind when it breaks off.
pub const DISENGAGEMENT_LOSS: f64 = 0.3;

/// The share of its equipment a unit of a withdrawing grouping leaves behind, once in the
/// withdrawal: 60% of the share of its supply it lacks (units carry some fuel of their
/// own), plus a share when it must break contact with the enemy; all of it when routed.
pub fn left_behind(
    s: &Scenario,
    u: &super::state::UnitState,
    in_contact: bool,
) -> (f64, super::events::Abandoned) {
    let fuel = 0.6 * (1.0 - u.supply_share);
    let contact = if in_contact { DISENGAGEMENT_LOSS } else { 0.0 };
    if u.readiness < s.rules.routed_readiness {
        (1.0, super::events::Abandoned::Routed)
    } else {
        (
            (fuel + contact).clamp(0.0, 1.0),
            super::events::Abandoned::Withdrawing {
                supply: (u.supply_share * 100.0).round() / 100.0,
                in_contact,
            },
        )
    }
}
