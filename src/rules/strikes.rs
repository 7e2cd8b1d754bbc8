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
        Target::Node(n) => {
            for l in railways_at(s, n) {
                out.push(GameEvent::RailLinkStruck {
                    link: LinkId(l),
                    by,
                    days: harm.days,
                });
                super::track::struck(board, l, harm.days, out);
            }
        }
    }
}

/// The railways meeting at rail node `n`.
pub fn railways_at(s: &Scenario, n: usize) -> Vec<usize> {
    (0..s.rail_links.len())
        .filter(|l| {
            let link = &s.rail_links[*l];
            link.mode == crate::scenario::raw::LinkMode::Rail && (link.from == n || link.to == n)
        })
        .collect()
}

/// Repairs `target` at once (the scenario's dated repairs): a crossing's damage is gone
/// and a crossing down stands again; a railway's repair ends at the day's end if one side
/// holds all of it.
pub fn repair(s: &Scenario, board: &mut Board, target: Target, out: &mut Vec<GameEvent>) {
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
        Target::Node(n) => {
            for l in railways_at(s, n) {
                let c = &mut board.rail[l];
                if c.wrecked {
                    c.repair_left = c.repair_left.min(1);
                }
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
            None => repair(s, &mut board, d.target, &mut events),
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

/// What each depot of `side` must bring its units a day, as a commander reckons it: the
/// needs of the side's units to which it is the nearest of the side's depots (by hexes),
/// whether or not they can draw from it today (a bridgehead cut off from its depot still
/// needs what the depot would bring).
fn wants(s: &Scenario, forces: &super::state::Forces, depots: &Depots, side: SideId) -> Vec<u64> {
    let own: Vec<usize> = depots.serving(s, side).collect();
    let mut want = vec![0.0f64; s.depots.len()];
    for u in forces.units.iter().filter(|u| u.active() && u.side == side) {
        let nearest = own
            .iter()
            .copied()
            .min_by_key(|d| (super::combat::hexes_apart(u.hex(), s.depots[*d].hex), *d));
        if let Some(d) = nearest {
            want[d] += super::supply::last_mile::need(s, u);
        }
    }
    want.into_iter().map(|w| w.round() as u64).collect()
}

/// Tonnes a day the units of `side` draw over crossing `c` from depots on its other bank
/// (the last mile), as they would with the crossing repaired: the needs of the units
/// whose way from their depot first crosses it.
fn last_mile_over(
    s: &Scenario,
    board: &Board,
    forces: &super::state::Forces,
    depots: &Depots,
    side: SideId,
    c: usize,
) -> f64 {
    let mut repaired = board.clone();
    if let Some(d) = repaired.crossing_damage.get_mut(c) {
        *d = None;
    }
    let threats = super::movement::Threats::for_side(s, forces, side);
    let own: Vec<usize> = depots.serving(s, side).collect();
    let mut limited = vec![false; s.crossings.len()];
    limited[c] = true;
    let (_, via) =
        super::supply::last_mile::nearest_depots_via(s, &repaired, &threats, side, &own, &limited);
    forces
        .units
        .iter()
        .filter(|u| u.active() && u.side == side)
        .filter(|u| via.get(s.index(u.hex())) == Some(&(c as u32)))
        .map(|u| super::supply::last_mile::need(s, u))
        .sum()
}

/// A change to the open lines and the crossings' limits, to reckon a flow with.
type Change<'a> = &'a dyn Fn(&mut Vec<bool>, &mut Vec<Option<u64>>);

/// What a hit on a target would take from the enemy's supply, in its parts.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StrikeEstimate {
    /// Tonnes a day the enemy's trains would lose.
    pub per_day: f64,
    /// For how many more days.
    pub days: u32,
    /// Tonnes of stock burnt that its units would have drawn.
    pub burnt: f64,
}

impl StrikeEstimate {
    /// The whole, in tonnes.
    pub fn value(&self) -> f64 {
        self.per_day * f64::from(self.days) + self.burnt
    }
}

/// What striking `target` would take from its side's supply, as a commander choosing
/// targets reckons it: for a crossing or railway, the tonnes a day its trains would lose
/// (and, over a crossing, what its units across it draw from depots on the other bank)
/// (for each of its depots, the maximum flow to it alone, up to what its nearest units
/// need), times the days of repair a hit would add to what it already needs (a
/// crossing or line already down is valued by what it carries once repaired); for a depot,
/// the stock a hit would burn, up to its nearest units' need over the days of reserve a depot
/// keeps (`depot_reserve_days`: a rear depot's great stock is not the front's supply).
/// 0 for what is not the enemy's of `side`.
pub fn strike_estimate(
    s: &Scenario,
    board: &Board,
    forces: &super::state::Forces,
    depots: &Depots,
    side: SideId,
    target: Target,
    harm: &Harm,
) -> StrikeEstimate {
    let none = StrikeEstimate::default();
    let lasting = |per_day: f64, days: u32| StrikeEstimate {
        per_day,
        days,
        burnt: 0.0,
    };
    if !super::check::enemy_target(s, board, side, target) {
        return none;
    }
    // The tonnes a day `enemy`'s trains bring its depots with the lines and crossings as
    // `with` leaves them, less as `without` leaves them.
    let loss = |enemy: SideId, with: Change, without: Change| -> f64 {
        let want = wants(s, forces, depots, enemy);
        let open: Vec<bool> = (0..s.rail_links.len())
            .map(|l| {
                board.link_cut_by[enemy][l].is_none() && super::track::open_for(s, board, enemy, l)
            })
            .collect();
        let limits = super::supply::trains::crossing_limits(s, board);
        // What the lines could bring each depot alone, up to what it wants.
        let alone = |change: Change, d: usize| -> u64 {
            let (mut open, mut limits) = (open.clone(), limits.clone());
            change(&mut open, &mut limits);
            let mut requests = vec![0u64; s.depots.len()];
            requests[d] = want[d];
            super::supply::trains::rail_flow_net(s, enemy, &requests, &[], |l| open[l], &limits)
                .inflow[d]
        };
        (0..s.depots.len())
            .filter(|d| want[*d] > 0)
            .map(|d| alone(with, d).saturating_sub(alone(without, d)) as f64)
            .sum()
    };
    let as_is: Change = &|_, _| {};
    match target {
        Target::Crossing(c) => {
            let Some(enemy) = board.control[s.index(s.crossings[c].hex)] else {
                return none;
            };
            let nominal = super::supply::trains::nominal_capacity(s, c) as f64;
            let harmed = (nominal * harm.capacity_left).floor() as u64;
            let cut: Change = &|_, limits| {
                limits[c] = Some(limits[c].map_or(harmed, |l| l.min(harmed)));
            };
            // What the enemy's units across it would lose of what depots on the other
            // bank give them over it (the last mile), besides its trains.
            let across = last_mile_over(s, board, forces, depots, enemy, c)
                * (1.0 - harm.capacity_left).clamp(0.0, 1.0);
            match board.crossing_damage_of(c) {
                // Cut as far already: a hit adds only the days before it carries again.
                Some(d) if d.capacity_left <= harm.capacity_left => {
                    let repaired: Change = &|_, limits| {
                        limits[c] = s.crossings[c].tonnes_per_day.map(u64::from);
                    };
                    lasting(
                        loss(enemy, repaired, cut) + across,
                        harm.days.saturating_sub(d.days_left),
                    )
                }
                Some(d) => lasting(loss(enemy, as_is, cut) + across, harm.days.max(d.days_left)),
                None => lasting(loss(enemy, as_is, cut) + across, harm.days),
            }
        }
        Target::Link(l) => {
            let Some(enemy) = board.rail[l].operator else {
                return none;
            };
            let c = &board.rail[l];
            let closed: Change = &|open, _| open[l] = false;
            if c.wrecked {
                let running: Change = &|open, _| open[l] = board.link_cut_by[enemy][l].is_none();
                lasting(
                    loss(enemy, running, closed),
                    harm.days.saturating_sub(c.repair_left),
                )
            } else {
                lasting(loss(enemy, as_is, closed), harm.days)
            }
        }
        Target::Node(n) => {
            let Some(enemy) = board.control[s.index(s.rail_nodes[n].hex)] else {
                return none;
            };
            let lines = railways_at(s, n);
            let closed: Change = &|open, _| {
                for l in &lines {
                    open[*l] = false;
                }
            };
            lasting(loss(enemy, as_is, closed), harm.days)
        }
        // What its units would have drawn of the stock burnt: no more than their need
        // over the days of reserve a depot keeps.
        Target::Depot(d) => {
            let st = &depots.0[d];
            let want = wants(s, forces, depots, depots.owner(s, d))[d] as f64;
            StrikeEstimate {
                burnt: (st.stock * harm.stock_lost).min(want * s.rules.depot_reserve_days),
                ..none
            }
        }
    }
}

/// The targets `side`'s strike assets `assets` could strike now (each passing the order's
/// check), with what a hit would take from the enemy's supply, the most first (of equals,
/// the first in the scenario's order): what the AI chooses from, and what the window's
/// strike panel lists.
pub fn strike_options(
    s: &Scenario,
    board: &Board,
    forces: &super::state::Forces,
    depots: &Depots,
    side: SideId,
    assets: usize,
) -> Vec<(Target, StrikeEstimate)> {
    let Some(a) = s.strike_assets.get(assets) else {
        return Vec::new();
    };
    let kinds = (0..s.crossings.len())
        .map(Target::Crossing)
        .filter(|_| a.crossings.is_some())
        .chain(
            (0..s.rail_links.len())
                .map(Target::Link)
                .filter(|_| a.links.is_some()),
        )
        .chain(
            (0..s.depots.len())
                .map(Target::Depot)
                .filter(|_| a.depots.is_some()),
        )
        .chain(
            (0..s.rail_nodes.len())
                .map(Target::Node)
                .filter(|_| a.nodes.is_some()),
        );
    let mut options: Vec<(Target, StrikeEstimate)> = kinds
        .filter(|t| super::check::check_strike(s, board, forces, side, assets, *t).is_ok())
        .filter_map(|t| {
            let harm = a.harm_to(t)?;
            Some((t, strike_estimate(s, board, forces, depots, side, t, harm)))
        })
        .collect();
    // A crossing under air defence is worth its value only as often as a strike gets through.
    let through = |t: &Target| match t {
        Target::Crossing(c) => 1.0 - s.crossings[*c].air_defence,
        _ => 1.0,
    };
    options.sort_by(|x, y| {
        (y.1.value() * through(&y.0))
            .total_cmp(&(x.1.value() * through(&x.0)))
            .then(x.0.cmp(&y.0))
    });
    options
}

/// The day's end: engineers build the pontoon bridges and ferries the scenario allows
/// (`build_days`) that are down: a day further for each held by a side with no enemy unit
/// next to its hex (work stops under the enemy's guns, and what was built stays), standing
/// once its days are done.
pub fn build_day(
    s: &Scenario,
    board: &mut Board,
    forces: &super::state::Forces,
    out: &mut Vec<GameEvent>,
) {
    for (c, x) in s.crossings.iter().enumerate() {
        let Some(days) = x.build_days else { continue };
        if board.crossing_intact[c] {
            continue;
        }
        let Some(holder) = board.control[s.index(x.hex)] else {
            continue;
        };
        let enemy_near = forces.units.iter().any(|u| {
            u.active() && u.side != holder && super::combat::hexes_apart(u.hex(), x.hex) <= 1
        });
        if enemy_near {
            continue;
        }
        board.building.resize(s.crossings.len(), 0);
        board.building[c] += 1;
        if board.building[c] >= days {
            board.building[c] = 0;
            board.crossing_intact[c] = true;
            board.crossing_holder[c] = Some(holder);
            out.push(GameEvent::CrossingBuilt {
                crossing: CrossingId(c),
                by: holder,
            });
        }
    }
}

/// [`build_day`] as a system.
pub(super) fn build_crossings(
    scenario: Res<ScenarioRes>,
    forces: Res<super::state::Forces>,
    mut board: ResMut<Board>,
    mut out: MessageWriter<GameEvent>,
) {
    let mut events = Vec::new();
    build_day(&scenario.0, &mut board, &forces, &mut events);
    out.write_batch(events);
}
