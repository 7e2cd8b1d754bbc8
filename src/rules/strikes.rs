//! Damage from afar and its repair: a crossing cut to a share of its capacity for days, a
//! railway cut until repaired, part of a depot's stock destroyed; the scenario's dated
//! damage and repairs, applied at the start of their day; and the day's end, when the side
//! holding a damaged crossing repairs it a day further.

use bevy::prelude::*;

use crate::scenario::Scenario;
use crate::scenario::ids::{CrossingId, DepotId, LinkId, SideId};
use crate::scenario::model::{Harm, Target};

use super::cursor::DayCursor;
use super::events::GameEvent;
use super::state::{Board, CrossingDamage, Depots, ScenarioRes};

/// Does `harm` to `target`; `by` is the striking side (none for the scenario's dated
/// damage). Damage on damage keeps the worse of each.
pub fn harm(
    s: &Scenario,
    board: &mut Board,
    depots: &mut Depots,
    target: Target,
    harm: &Harm,
    by: Option<SideId>,
    out: &mut Vec<GameEvent>,
) {
    match target {
        Target::Crossing(c) => {
            board.crossing_damage.resize(s.crossings.len(), None);
            let was = board.crossing_damage[c];
            let now = CrossingDamage {
                capacity_left: was.map_or(harm.capacity_left, |w| {
                    w.capacity_left.min(harm.capacity_left)
                }),
                days_left: was.map_or(harm.days, |w| w.days_left.max(harm.days)),
            };
            board.crossing_damage[c] = Some(now);
            out.push(GameEvent::CrossingDamaged {
                crossing: CrossingId(c),
                by,
                capacity_left: now.capacity_left,
                days: now.days_left,
            });
        }
        Target::Link(l) => {
            out.push(GameEvent::RailLinkStruck {
                link: LinkId(l),
                by,
                days: harm.days,
            });
            super::track::struck(board, l, harm.days, out);
        }
        Target::Depot(d) => {
            let st = &mut depots.0[d];
            let tonnes = (st.stock * harm.stock_lost).floor();
            st.stock -= tonnes;
            out.push(GameEvent::DepotStruck {
                depot: DepotId(d),
                by,
                tonnes,
            });
        }
    }
}

/// Repairs `target` at once (the scenario's dated repairs): a crossing's damage is gone
/// and a crossing down stands again; a railway's repair ends at the day's end if one side
/// holds all of it.
pub fn repair(board: &mut Board, target: Target, out: &mut Vec<GameEvent>) {
    match target {
        Target::Crossing(c) => {
            let damaged = board.crossing_damage_of(c).is_some();
            if damaged || !board.crossing_intact[c] {
                if let Some(d) = board.crossing_damage.get_mut(c) {
                    *d = None;
                }
                board.crossing_intact[c] = true;
                out.push(GameEvent::CrossingRepaired {
                    crossing: CrossingId(c),
                    by: None,
                });
            }
        }
        Target::Link(l) => {
            let c = &mut board.rail[l];
            if c.wrecked {
                c.repair_left = c.repair_left.min(1);
            }
        }
        Target::Depot(_) => {}
    }
}

/// The scenario's damage and repairs dated today, before either side's phase.
pub(super) fn dated_damage(
    scenario: Res<ScenarioRes>,
    clock: Res<DayCursor>,
    mut board: ResMut<Board>,
    mut depots: ResMut<Depots>,
    mut out: MessageWriter<GameEvent>,
) {
    let s = &scenario.0;
    let mut events = Vec::new();
    for d in s.damage.iter().filter(|d| d.turn == clock.turn) {
        match &d.harm {
            Some(h) => harm(s, &mut board, &mut depots, d.target, h, None, &mut events),
            None => repair(&mut board, d.target, &mut events),
        }
    }
    out.write_batch(events);
}

/// The day's end: the side holding a damaged crossing's hex repairs it a day further.
pub fn repair_day(s: &Scenario, board: &mut Board, out: &mut Vec<GameEvent>) {
    for c in 0..board.crossing_damage.len() {
        let Some(mut d) = board.crossing_damage[c] else {
            continue;
        };
        let Some(holder) = board.control[s.index(s.crossings[c].hex)] else {
            continue;
        };
        d.days_left = d.days_left.saturating_sub(1);
        if d.days_left == 0 {
            board.crossing_damage[c] = None;
            out.push(GameEvent::CrossingRepaired {
                crossing: CrossingId(c),
                by: Some(holder),
            });
        } else {
            board.crossing_damage[c] = Some(d);
        }
    }
}

/// [`repair_day`] as a system.
pub(super) fn repair_crossings(
    scenario: Res<ScenarioRes>,
    mut board: ResMut<Board>,
    mut out: MessageWriter<GameEvent>,
) {
    let mut events = Vec::new();
    repair_day(&scenario.0, &mut board, &mut events);
    out.write_batch(events);
}
