//! Broken rail stays broken: the condition of each rail line.
//!
//! A line is worked by one side (its operator: the side that held all of it when it last
//! ran). When the enemy holds any of its track, or a bridge it crosses is blown, the line
//! is wrecked: it carries nothing until repaired. A line's own bridge over a river goes
//! down when the enemy takes a bank (the side losing it blows it, as road bridges are).
//! Repair starts once one side holds every hex of it and takes the line's `repair_days`
//! (the rules' `rail_repair_days`), or `bridge_repair_days` with a bridge down; a line
//! taken from the enemy serves its new owner only when repaired. Lorry hauls (`Truck`
//! links) are never wrecked.

use bevy::prelude::*;

use crate::scenario::Scenario;
use crate::scenario::ids::{CrossingId, LinkId, RiverId, SideId};
use crate::scenario::model::edge_key;
use crate::scenario::raw::LinkMode;

use super::events::GameEvent;
use super::state::{Board, LinkCondition, ScenarioRes};

/// Whether a link can carry `side`'s supply as far as its condition goes: a lorry haul
/// always, a railway when `side` works it and it is not wrecked.
pub fn open_for(s: &Scenario, board: &Board, side: SideId, link: usize) -> bool {
    s.rail_links[link].mode == LinkMode::Truck || board.rail[link].serves(side)
}

/// The side holding every hex of a link, if one does (hexes nobody holds do not count).
fn holder(s: &Scenario, board: &Board, link: usize) -> Option<SideId> {
    let mut held = s.rail_links[link]
        .hexes
        .iter()
        .filter_map(|h| board.control[s.index(*h)]);
    let first = held.next()?;
    held.all(|c| c == first).then_some(first)
}

/// The river banks a link crosses: the two hexes of each river edge on its path.
fn river_banks(s: &Scenario, link: usize) -> impl Iterator<Item = [crate::geo::Offset; 2]> + '_ {
    s.rail_links[link]
        .hexes
        .windows(2)
        .filter(|w| s.river_edges.contains_key(&edge_key(w[0], w[1])))
        .map(|w| [w[0], w[1]])
}

/// Days until a wrecked line runs again: the days of repair left when the side holding all
/// of it works it; a fresh repair's days when a side holding all of it starts one tonight
/// (a line just taken over); `None` while no side holds all of it (repair cannot start).
pub fn repair_outlook(s: &Scenario, board: &Board, link: usize) -> Option<u32> {
    let side = holder(s, board, link)?;
    let c = &board.rail[link];
    Some(if c.operator == Some(side) && c.repair_left > 0 {
        c.repair_left
    } else {
        repair_days(s, board, link)
    })
}

/// Days to repair a link as it stands.
fn repair_days(s: &Scenario, board: &Board, link: usize) -> u32 {
    let track = s.rail_links[link]
        .repair_days
        .unwrap_or(s.rules.rail_repair_days);
    if board.rail[link].bridge_down {
        track.max(s.rules.bridge_repair_days)
    } else {
        track
    }
}

/// Each line as the scenario starts: worked by the side holding all of it, else wrecked
/// (its track lies on both sides of the front) until one side holds all of it.
pub fn initial(s: &Scenario, board: &Board) -> Vec<LinkCondition> {
    (0..s.rail_links.len())
        .map(|l| {
            let operator = holder(s, board, l);
            let rail = s.rail_links[l].mode == LinkMode::Rail;
            // A line over a bridge down at the start runs again only once it is rebuilt.
            let down = rail
                && s.rail_links[l]
                    .crossings
                    .iter()
                    .any(|x| !s.crossings[x.crossing].intact);
            LinkCondition {
                operator,
                wrecked: rail && (operator.is_none() || down),
                repair_left: if down && operator.is_some() {
                    s.rail_links[l]
                        .repair_days
                        .unwrap_or(s.rules.rail_repair_days)
                        .max(s.rules.bridge_repair_days)
                } else {
                    0
                },
                bridge_down: down,
            }
        })
        .collect()
}

/// Wrecks the lines over a bridge just blown.
pub fn bridge_blown(s: &Scenario, board: &mut Board, crossing: usize, out: &mut Vec<GameEvent>) {
    for &l in &s.crossings[crossing].rail_links {
        if s.rail_links[l].mode == LinkMode::Rail {
            board.rail[l].bridge_down = true;
            wreck(s, board, l, out);
        }
    }
}

/// Wrecks a railway for `days` of repair (more, if it was wrecked already for longer):
/// struck from afar, or with the enemy on its track (`wreck`).
pub fn struck(board: &mut Board, l: usize, days: u32, out: &mut Vec<GameEvent>) {
    let c = &mut board.rail[l];
    if c.wrecked {
        c.repair_left = c.repair_left.max(days);
        return;
    }
    c.wrecked = true;
    c.repair_left = days;
    out.push(GameEvent::RailLinkWrecked {
        link: LinkId(l),
        operator: c.operator,
        days,
    });
}

fn wreck(s: &Scenario, board: &mut Board, l: usize, out: &mut Vec<GameEvent>) {
    let days = repair_days(s, board, l);
    struck(board, l, days, out);
}

/// The day's end: lines whose track the enemy of their operator now holds are wrecked;
/// a wrecked line held whole by one side is repaired a day further (taken over, its repair
/// starts afresh), and runs again when done.
pub fn day_end(s: &Scenario, board: &mut Board, out: &mut Vec<GameEvent>) {
    for l in 0..s.rail_links.len() {
        if s.rail_links[l].mode != LinkMode::Rail {
            continue;
        }
        let operator = board.rail[l].operator;
        let enemy = |h: &crate::geo::Offset| {
            board.control[s.index(*h)].is_some_and(|c| Some(c) != operator)
        };
        if operator.is_some() && river_banks(s, l).any(|b| b.iter().any(enemy)) {
            board.rail[l].bridge_down = true;
        }
        if s.rail_links[l].hexes.iter().any(enemy) {
            wreck(s, board, l, out);
        }
        let Some(side) = holder(s, board, l) else {
            continue;
        };
        if !board.rail[l].wrecked {
            continue;
        }
        if board.rail[l].operator != Some(side) {
            let days = repair_days(s, board, l);
            let c = &mut board.rail[l];
            c.operator = Some(side);
            c.repair_left = days;
        }
        let c = &mut board.rail[l];
        if c.repair_left > 0 {
            c.repair_left -= 1;
        }
        if c.repair_left == 0 {
            c.wrecked = false;
            let rebuilt = std::mem::take(&mut c.bridge_down);
            out.push(GameEvent::RailLinkRepaired {
                link: LinkId(l),
                by: side,
            });
            // Its bridges are rebuilt with it.
            for x in &s.rail_links[l].crossings {
                if rebuilt && !board.crossing_intact[x.crossing] {
                    board.crossing_intact[x.crossing] = true;
                    out.push(GameEvent::BridgeRepaired {
                        crossing: CrossingId(x.crossing),
                        by: side,
                    });
                }
            }
        }
    }
}

/// A side that loses the hex of a bridge blows the bridge behind it.
pub(super) fn blow_bridges(
    scenario: Res<ScenarioRes>,
    mut board: ResMut<Board>,
    mut out: MessageWriter<GameEvent>,
) {
    let s = &scenario.0;
    for (i, c) in s.crossings.iter().enumerate() {
        let now = board.control[s.index(c.hex)];
        let before = board.crossing_holder[i];
        if now == before {
            continue;
        }
        board.crossing_holder[i] = now;
        if c.kind.destructible()
            && board.crossing_intact[i]
            && let Some(loser) = before
        {
            board.crossing_intact[i] = false;
            out.write(GameEvent::BridgeBlown {
                crossing: CrossingId(i),
                river: RiverId(c.river),
                by: loser,
            });
            let mut wrecked = Vec::new();
            bridge_blown(s, &mut board, i, &mut wrecked);
            out.write_batch(wrecked);
        }
    }
}

/// The rail lines' condition at the day's end: wrecked where the enemy holds track,
/// repaired a day further where one side holds a whole line.
pub(super) fn rail_condition(
    scenario: Res<ScenarioRes>,
    mut board: ResMut<Board>,
    mut out: MessageWriter<GameEvent>,
) {
    let mut events = Vec::new();
    day_end(&scenario.0, &mut board, &mut events);
    out.write_batch(events);
}
