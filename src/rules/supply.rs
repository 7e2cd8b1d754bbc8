//! Supply in two tiers.
//!
//! 1. Rail: each side's supply flows from off-map sources over the rail graph to depots.
//!    A link is cut for a side while any hex it runs through is held by the enemy or lies
//!    next to an enemy unit (interdiction by fire). Flow is a maximum flow: each link
//!    carries at most its capacity per day, so the narrowest link on a route bounds it,
//!    and when one route is cut another carries what its own capacity allows.
//! 2. Last mile: each unit draws from the cheapest depot of its side it can reach within
//!    the depot's range, over hexes its side holds and not through enemy zones of control
//!    (unless its own units stand there). Depot stocks rise with inflow and fall with what
//!    units draw; a depot that cannot meet its units' needs shares out what it has.
//!
//! Being short degrades a unit gradually: readiness falls each day, strength after some
//! days out of supply; both recover when supply returns. Every number is scenario data.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use petgraph::algo::dinics;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};

use crate::geo::Offset;
use crate::scenario::Scenario;

use super::events::GameEvent;
use super::movement::{Threats, crossing_cost, step_cost};
use super::state::{Board, Depots, Forces, SupplyLevel};
use crate::scenario::ids::{DepotId, LinkId, SideId, UnitId};
use crate::scenario::model::HexSide;

/// For each link, the enemy side whose presence cuts it for `side`, if any.
pub fn link_cutter(
    s: &Scenario,
    board: &Board,
    threats: &Threats,
    side: SideId,
    link: usize,
    forces: &Forces,
) -> Option<SideId> {
    for h in &s.rail_links[link].hexes {
        let i = s.index(*h);
        if let Some(holder) = board.control[i].filter(|c| *c != side) {
            return Some(holder);
        }
        // Interdiction by fire: next to an enemy unit, trains do not run, whoever holds the hex.
        if threats.enemy_zoc[i] {
            // The nearest enemy unit's side (there may be several enemies).
            let enemy = forces
                .units
                .iter()
                .filter(|u| {
                    u.active()
                        && u.side != side
                        && (u.hex() == *h || s.neighbours(*h).any(|n| n == u.hex()))
                })
                .map(|u| u.side)
                .min();
            if enemy.is_some() {
                return enemy;
            }
        }
    }
    None
}

/// Tonnes each depot of `side` receives, by maximum flow from the side's sources.
/// `open(link)` says whether a link carries this side's supply. Also returns the flow on
/// each link.
pub fn rail_flow(
    s: &Scenario,
    side: SideId,
    requests: &[u64],
    open: impl Fn(usize) -> bool,
) -> (Vec<u64>, Vec<u64>) {
    rail_flow_first(s, side, requests, &[], open)
}

/// [`rail_flow`] with first call: the depots marked in `first` are served first (a
/// maximum flow to them alone), then the others over what capacity is left. With no depot
/// marked, one maximum flow to all.
pub fn rail_flow_first(
    s: &Scenario,
    side: SideId,
    requests: &[u64],
    first: &[bool],
    open: impl Fn(usize) -> bool,
) -> (Vec<u64>, Vec<u64>) {
    let marked = |d: usize| first.get(d).copied().unwrap_or(false);
    if !(0..s.depots.len()).any(|d| marked(d) && requests[d] > 0) {
        let (inflow, net, _) = flow_stage(s, side, requests, &open, &[], &[]);
        return (inflow, net.iter().map(|f| f.unsigned_abs()).collect());
    }
    let ask = |want_first: bool| -> Vec<u64> {
        (0..s.depots.len())
            .map(|d| {
                if marked(d) == want_first {
                    requests[d]
                } else {
                    0
                }
            })
            .collect()
    };
    let (got_first, net_first, used_sources) = flow_stage(s, side, &ask(true), &open, &[], &[]);
    let (got_rest, net_rest, _) =
        flow_stage(s, side, &ask(false), &open, &net_first, &used_sources);
    let inflow = got_first
        .iter()
        .zip(&got_rest)
        .map(|(a, b)| a + b)
        .collect();
    let per_link = net_first
        .iter()
        .zip(&net_rest)
        .map(|(a, b)| (a + b).unsigned_abs())
        .collect();
    (inflow, per_link)
}

/// A side's rail network as a flow graph for one maximum flow: a node per rail node, a
/// source feeding the side's sources and a sink fed by the depots that ask.
struct Network {
    g: DiGraph<(), u64>,
    source: NodeIndex,
    sink: NodeIndex,
    /// For each open link: its index, and its edges from `from` to `to` and back.
    links: Vec<(usize, EdgeIndex, EdgeIndex)>,
    /// For each source of the side: its index and its edge.
    sources: Vec<(usize, EdgeIndex)>,
    /// For each depot that asks: its index and its edge.
    depots: Vec<(usize, EdgeIndex)>,
}

impl Network {
    /// The graph over the links `open` says are open, with what an earlier flow left: its
    /// net tonnes on each link in `net_used` (positive from the link's `from` to its `to`),
    /// what it took from each source in `sources_used`. Each depot asks `requests[d]`.
    fn new(
        s: &Scenario,
        side: SideId,
        requests: &[u64],
        open: &impl Fn(usize) -> bool,
        net_used: &[i64],
        sources_used: &[u64],
    ) -> Self {
        let mut g: DiGraph<(), u64> = DiGraph::new();
        let nodes: Vec<NodeIndex> = s.rail_nodes.iter().map(|_| g.add_node(())).collect();
        let source = g.add_node(());
        let sink = g.add_node(());
        let mut links = Vec::new();
        for (i, l) in s.rail_links.iter().enumerate() {
            if open(i) {
                // A line carries at most its capacity either way, net of what runs on it.
                let cap = i64::from(l.capacity);
                let used = net_used.get(i).copied().unwrap_or(0);
                let forward = (cap - used).max(0) as u64;
                let back = (cap + used).max(0) as u64;
                let a = g.add_edge(nodes[l.from], nodes[l.to], forward);
                let b = g.add_edge(nodes[l.to], nodes[l.from], back);
                links.push((i, a, b));
            }
        }
        let mut sources = Vec::new();
        for (k, src) in s.sources.iter().enumerate().filter(|(_, x)| x.side == side) {
            let left =
                u64::from(src.supply).saturating_sub(sources_used.get(k).copied().unwrap_or(0));
            sources.push((k, g.add_edge(source, nodes[src.node], left)));
        }
        let mut depots = Vec::new();
        // The caller asks only for the depots serving `side`.
        for (d, depot) in s.depots.iter().enumerate() {
            if requests[d] > 0 {
                depots.push((d, g.add_edge(nodes[depot.node], sink, requests[d])));
            }
        }
        Network {
            g,
            source,
            sink,
            links,
            sources,
            depots,
        }
    }

    /// A maximum flow: the flow on each edge.
    fn max_flow(&self) -> Vec<u64> {
        dinics(&self.g, self.source, self.sink).1
    }

    /// The net flow on each link (positive from its `from` to its `to`; 0 if closed).
    fn net(&self, s: &Scenario, flows: &[u64]) -> Vec<i64> {
        let mut net = vec![0i64; s.rail_links.len()];
        for &(i, a, b) in &self.links {
            net[i] = flows[a.index()] as i64 - flows[b.index()] as i64;
        }
        net
    }
}

/// One maximum flow over what an earlier flow left: `net_used` is that flow's net tonnes
/// on each link (positive from its `from` to its `to`), `sources_used` what it took from
/// each source. Returns what each depot receives, the net flow on each link and what each
/// source gave.
fn flow_stage(
    s: &Scenario,
    side: SideId,
    requests: &[u64],
    open: &impl Fn(usize) -> bool,
    net_used: &[i64],
    sources_used: &[u64],
) -> (Vec<u64>, Vec<i64>, Vec<u64>) {
    let net_graph = Network::new(s, side, requests, open, net_used, sources_used);
    let flows = net_graph.max_flow();
    let mut inflow = vec![0u64; s.depots.len()];
    for &(d, e) in &net_graph.depots {
        inflow[d] = flows[e.index()];
    }
    let net = net_graph.net(s, &flows);
    let mut given = sources_used.to_vec();
    given.resize(s.sources.len(), 0);
    for &(k, e) in &net_graph.sources {
        given[k] += flows[e.index()];
    }
    (inflow, net, given)
}

/// The hexes a depot at `from` reaches within `range` movement points, over its side's
/// ground, not through enemy units, and not past an enemy zone of control its side's
/// units do not hold: each hex's row-major index with its cost, in the order reached.
pub fn depot_reach(
    s: &Scenario,
    board: &Board,
    threats: &Threats,
    side: SideId,
    from: Offset,
    range: u32,
) -> Vec<(usize, u32)> {
    let mut reached = Vec::new();
    depot_search(s, board, threats, side, from, range, |i, cost| {
        reached.push((i, cost));
        true
    });
    reached
}

/// The search of [`depot_reach`]: `settle(hex, cost)` is told each hex reached, in order
/// of cost, and says whether the search goes on from there.
fn depot_search(
    s: &Scenario,
    board: &Board,
    threats: &Threats,
    side: SideId,
    from: Offset,
    range: u32,
    mut settle: impl FnMut(usize, u32) -> bool,
) {
    super::search::with_distances(s.terrain.len(), s.longest_step, |sc| {
        let start = s.index(from);
        sc.improve(start, 0, start, start as u32);
        while let Some((cost, at)) = sc.pop() {
            if !settle(at, cost) {
                continue;
            }
            if at != start && threats.enemy_zoc[at] && threats.own_units[at] == 0 {
                continue;
            }
            for hs in &s.hex_sides[at] {
                if hs.to == HexSide::OFF_MAP {
                    continue;
                }
                let i = hs.to as usize;
                if threats.enemy_unit[i] || board.control[i].is_some_and(|c| c != side) {
                    continue;
                }
                let Some(step) = crossing_cost(s, board, hs, hs.base) else {
                    continue;
                };
                let total = cost.saturating_add(step);
                if total <= range {
                    sc.improve(i, total, at, i as u32);
                }
            }
        }
    });
}

/// What a unit needs per day, tonnes.
pub fn need(s: &Scenario, u: &super::state::UnitState) -> f64 {
    f64::from(s.units[u.id].supply_use) * u.strength
}

/// The supply phase of one side, at the start of its phase (so that what the enemy did
/// in its own phase today already counts). Returns the events, in order.
pub fn supply_phase(
    s: &Scenario,
    board: &mut Board,
    depots: &mut Depots,
    forces: &mut Forces,
    side: SideId,
) -> Vec<GameEvent> {
    let mut events = Vec::new();
    let served: Vec<SideId> = (0..s.depots.len()).map(|d| depots.owner(s, d)).collect();
    change_hands(s, board, depots, &mut events);
    events.extend(super::ground::isolate(s, board, forces, depots, side));
    let threats = Threats::for_side(s, forces, side);
    note_cut_links(s, board, forces, &threats, side, &mut events);
    let own_depots: Vec<usize> = depots.serving(s, side).collect();
    reckon_capacity(s, board, depots, forces, side, &own_depots);
    // Units draw only from depots with something to give: stock, or trains able to reach
    // it today. An emptied depot whose lines are cut, or one just taken whose lines are
    // not yet repaired, sends its units to the next.
    let giving: Vec<usize> = own_depots
        .iter()
        .copied()
        .filter(|d| depots.0[*d].stock >= 1.0 || depots.0[*d].capacity_now > 0.0)
        .collect();
    let demand = last_mile(s, board, forces, &threats, side, &giving);
    receive_by_rail(s, board, depots, side, &own_depots, &demand);
    let drawn = draw_supply(s, depots, forces, side, &demand, &mut events);
    surrender_cut_off(s, board, depots, forces, side, &mut events);
    for d in own_depots {
        let st = &mut depots.0[d];
        st.stock = (st.stock - drawn[d]).max(0.0);
    }
    // One report per depot a day: each in the phase of the side it serves, held or lost;
    // one that passed from this side to a side whose phase came earlier today, now.
    let reported: Vec<usize> = (0..s.depots.len())
        .filter(|d| {
            let now = depots.owner(s, *d);
            now == side || (served[*d] == side && now < side)
        })
        .collect();
    for d in reported {
        let owner = depots.owner(s, d);
        let st = &mut depots.0[d];
        if !st.active {
            st.inflow = 0.0;
            st.demand = 0.0;
        }
        events.push(GameEvent::DepotSupply {
            depot: DepotId(d),
            side: owner,
            stock: st.stock.round(),
            inflow: st.inflow.round(),
            nominal_inflow: st.nominal_inflow.round(),
            demand: st.demand.round(),
            drawn: drawn[d].round(),
        });
    }
    events
}

/// Units of `side` cut off (on a hex it cannot trace over its own ground to its supply
/// network) and out of supply for the rules' `surrender_after_days` days in a row
/// surrender, as isolated units do in War in the East 2: a pocket that no depot reaches
/// does not hold out for ever. (A unit that has only outrun its depots, with its own ground
/// behind it, does not.) The unit is lost; its equipment stays in its hex, for the enemy to
/// capture with the hex (which no unit now holds, so it passes as the enemy arrives or as
/// ground cut off from supply).
fn surrender_cut_off(
    s: &Scenario,
    board: &mut Board,
    depots: &Depots,
    forces: &mut Forces,
    side: SideId,
    events: &mut Vec<GameEvent>,
) {
    let after = s.rules.surrender_after_days;
    if after == 0
        || !forces
            .units
            .iter()
            .any(|u| u.active() && u.side == side && u.days_out >= after)
    {
        return;
    }
    // A side with no network left on its own ground has every unit cut off.
    let traced = super::ground::traced(s, board, depots, side);
    let cut_off = |h: Offset| traced.as_ref().is_none_or(|t| !t[s.index(h)]);
    let lost: Vec<UnitId> = forces
        .units
        .iter()
        .filter(|u| u.active() && u.side == side && u.days_out >= after && cut_off(u.hex()))
        .map(|u| u.id)
        .collect();
    for unit in lost {
        super::combat::lose(board, forces, unit, super::events::Loss::CutOff, events);
    }
}

/// Depots change hands with their hex, as supply hubs do in Unity of Command II: a depot
/// whose hex the enemy holds is lost with its stock, and serves the captor from then on,
/// with the rules' `captured_stock_share` of that stock; its rail brings the captor
/// supply once the lines to it serve the captor (repaired). A depot whose hex nobody
/// holds serves nobody until a side holds it again.
fn change_hands(s: &Scenario, board: &mut Board, depots: &mut Depots, events: &mut Vec<GameEvent>) {
    for d in 0..s.depots.len() {
        let holder = board.control[s.index(s.depots[d].hex)];
        let owner = depots.owner(s, d);
        let st = &mut depots.0[d];
        if holder == Some(owner) {
            st.active = true;
            continue;
        }
        if !st.active && holder.is_none() {
            continue;
        }
        let lost = if st.active { st.stock } else { 0.0 };
        let kept = holder.map_or(0.0, |_| (lost * s.rules.captured_stock_share).floor());
        events.push(GameEvent::DepotCaptured {
            depot: DepotId(d),
            by: holder,
            stock: lost.round(),
            kept,
        });
        st.stock = kept;
        st.inflow = 0.0;
        st.nominal_inflow = 0.0;
        st.demand = 0.0;
        st.capacity_now = 0.0;
        st.capacity_open = 0.0;
        st.capacity_outlook = None;
        st.active = holder.is_some();
        if let Some(captor) = holder {
            st.taken_by = (captor != s.depots[d].side).then_some(captor);
            // Its new side has given it no call on the trains.
            if let Some(first) = board.first_call.get_mut(d) {
                *first = false;
            }
        }
    }
}

/// Which links are cut for this side now, and what changed since yesterday.
fn note_cut_links(
    s: &Scenario,
    board: &mut Board,
    forces: &Forces,
    threats: &Threats,
    side: SideId,
    events: &mut Vec<GameEvent>,
) {
    for l in 0..s.rail_links.len() {
        let by = link_cutter(s, board, threats, side, l, forces);
        match (board.link_cut_by[side][l], by) {
            (None, Some(b)) => events.push(GameEvent::RailLinkCut {
                link: LinkId(l),
                by: b,
                owner: side,
            }),
            (Some(b), None) => events.push(GameEvent::RailLinkRestored {
                link: LinkId(l),
                by: b,
                owner: side,
            }),
            _ => {}
        }
        board.link_cut_by[side][l] = by;
    }
}

/// The last mile: each unit of the side draws from the depot it reaches most cheaply.
/// Returns what each depot's units want today, tonnes.
fn last_mile(
    s: &Scenario,
    board: &Board,
    forces: &mut Forces,
    threats: &Threats,
    side: SideId,
    own_depots: &[usize],
) -> Vec<f64> {
    let nearest = nearest_depots(s, board, threats, side, own_depots);
    let mut demand = vec![0.0f64; s.depots.len()];
    for u in forces
        .units
        .iter_mut()
        .filter(|u| u.active() && u.side == side)
    {
        u.depot = nearest[s.index(u.hex())].map(|(_, d)| DepotId(d));
        if let Some(d) = u.depot {
            demand[d] += f64::from(s.units[u.id].supply_use) * u.strength;
        }
    }
    demand
}

/// For each hex, the depot of `depots` (of `side`) that reaches it most cheaply within
/// its range, with that cost, the lower id at equal cost: where a unit standing there
/// draws from. The same as keeping the best of each depot's [`depot_reach`].
///
/// One search from every depot at once, its ways in order of cost and, at equal cost, of
/// depot: the first way to come to a hex is its nearest depot's. A way goes on from a
/// hex only with more range left than every way that came there before it: each of
/// those came at no more cost (or at equal cost from a lower depot) with no less range
/// left, so it reaches whatever this one would from there, at no more cost, and wins a
/// tie. So most hexes are settled once, where searching depot by depot settles the
/// ground between depots once for each.
pub fn nearest_depots(
    s: &Scenario,
    board: &Board,
    threats: &Threats,
    side: SideId,
    depots: &[usize],
) -> Vec<Option<(u32, usize)>> {
    thread_local! {
        /// The ways waiting, by cost, kept allocated between searches (each search
        /// empties them).
        static WAITING: std::cell::RefCell<Vec<Vec<(u32, u32)>>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    /// What the search knows of one hex.
    #[derive(Clone, Copy, Default)]
    struct Mark {
        /// The most range left of the ways that came to it, plus one (0: none).
        best_left: u32,
        /// The last way sent to it: cost, depot, range left plus one (0: none).
        sent: (u32, u32, u32),
        /// The cost, plus one, of the ways last counted there, and their lowest depot.
        counted: u32,
        lowest: u32,
    }
    let n = s.terrain.len();
    let mut nearest: Vec<Option<(u32, usize)>> = vec![None; n];
    let Some(longest) = depots.iter().map(|d| s.depots[*d].range).max() else {
        return nearest;
    };
    let mut marks = vec![Mark::default(); n];
    let (enemy_unit, enemy_zoc, control): (&[bool], &[bool], &[Option<SideId>]) =
        (&threats.enemy_unit, &threats.enemy_zoc, &board.control);
    WAITING.with_borrow_mut(|waiting| {
        // By cost: (depot, hex). A step costs at least 1, so a cost's ways are all known
        // when the search comes to it.
        if waiting.len() <= longest as usize {
            waiting.resize_with(longest as usize + 1, Vec::new);
        }
        for &d in depots {
            waiting[0].push((d as u32, s.index(s.depots[d].hex) as u32));
        }
        let mut later = Vec::new();
        for cost in 0..=longest {
            let mut ways = std::mem::take(&mut waiting[cost as usize]);
            // Ways to different hexes do not meet at this cost, and go in any order; of
            // two to one hex, the lower depot's goes first.
            let stamp = cost + 1;
            let mut meet = false;
            for &(d, at) in &ways {
                let m = &mut marks[at as usize];
                if m.counted == stamp {
                    meet = true;
                    m.lowest = m.lowest.min(d);
                } else {
                    m.counted = stamp;
                    m.lowest = d;
                }
            }
            if meet {
                later.clear();
                ways.retain(|&(d, at)| {
                    let first = d == marks[at as usize].lowest;
                    if !first {
                        later.push((d, at));
                    }
                    first
                });
                later.sort_unstable();
                ways.extend_from_slice(&later);
            }
            for &(d, at) in &ways {
                let (d, at) = (d as usize, at as usize);
                let depot = &s.depots[d];
                let left = depot.range - cost;
                if marks[at].best_left > left {
                    continue;
                }
                marks[at].best_left = left + 1;
                if nearest[at].is_none() {
                    nearest[at] = Some((cost, d));
                }
                // No further through an enemy's zone of control that no unit of the
                // side holds (a depot's own hex excepted).
                if enemy_zoc[at] && threats.own_units[at] == 0 && at != s.index(depot.hex) {
                    continue;
                }
                for hs in &s.hex_sides[at] {
                    if hs.to == HexSide::OFF_MAP {
                        continue;
                    }
                    let i = hs.to as usize;
                    let Some(step) = crossing_cost(s, board, hs, hs.base) else {
                        continue;
                    };
                    let total = cost.saturating_add(step);
                    if total > depot.range {
                        continue;
                    }
                    let left = depot.range - total;
                    // A way that came there first, or will (at no more cost, from a lower
                    // depot at equal cost), with no less range left, reaches more.
                    let m = &mut marks[i];
                    let (their_cost, their_depot, their_left) = m.sent;
                    if m.best_left > left
                        || (their_left > left && (their_cost, their_depot) <= (total, d as u32))
                    {
                        continue;
                    }
                    // (Looked at last: most sides lead back to hexes already reached.)
                    if enemy_unit[i] || control[i].is_some_and(|c| c != side) {
                        continue;
                    }
                    m.sent = (total, d as u32, left + 1);
                    waiting[total as usize].push((d as u32, i as u32));
                }
            }
            ways.clear();
            waiting[cost as usize] = ways;
        }
    });
    nearest
}

/// Records what the network could bring each depot of the side alone with today's cuts
/// (which also tells the last mile whether trains can reach it at all) and with the lines
/// open at the start, for the operational AI: the measure of how badly its lines are cut,
/// whatever it asks for today.
fn reckon_capacity(
    s: &Scenario,
    board: &Board,
    depots: &mut Depots,
    forces: &Forces,
    side: SideId,
    own_depots: &[usize],
) {
    let open_now =
        |l: usize| board.link_cut_by[side][l].is_none() && super::rail::open_for(s, board, side, l);
    let now: Vec<bool> = (0..s.rail_links.len()).map(open_now).collect();
    let at_start: Vec<bool> = board.cut_at_start[side].iter().map(|c| !c).collect();
    // The lines newly in the enemy's reach that still run: only if there are any does the
    // outlook differ from today's capacity.
    let outlook: Option<Option<Vec<bool>>> = newly_threatened(s, forces, side).map(|t| {
        (0..s.rail_links.len())
            .any(|l| t[l] && now[l])
            .then(|| (0..s.rail_links.len()).map(|l| now[l] && !t[l]).collect())
    });
    for d in own_depots.iter().copied() {
        let st = &mut depots.0[d];
        st.capacity_now = alone_capacity(s, side, d, &now);
        st.capacity_open = alone_capacity(s, side, d, &at_start);
        st.capacity_outlook = outlook.as_ref().map(|o| match o {
            Some(open) => alone_capacity(s, side, d, open),
            None => st.capacity_now,
        });
    }
}

/// A maximum flow to one depot alone, kept with what shows that it is still a maximum
/// when lines open or close: the links it runs on, and a minimum cut (the rail nodes the
/// sources can still send more to).
#[derive(Debug)]
struct AloneFlow {
    /// The links open when it was found (or last shown to hold).
    open: Vec<bool>,
    /// Tonnes a day.
    value: u64,
    /// The links carrying some of it.
    carrying: Vec<bool>,
    /// The rail nodes on the sources' side of a minimum cut.
    sources_side: Vec<bool>,
}

/// A side's rail network over some open lines, with no flow yet, for the flows to each
/// depot alone: the same for every depot but for the depot's arc to the sink, so built
/// once for all of them. Every depot has an arc to the sink, closed until it asks.
#[derive(Debug)]
struct AloneNetwork {
    side: SideId,
    open: Vec<bool>,
    empty: super::flow::Residual,
    /// For each open link: its index and its arc.
    links: Vec<(usize, usize)>,
    /// Each depot's arc to the sink.
    to_sink: Vec<usize>,
}

impl AloneNetwork {
    fn new(s: &Scenario, side: SideId, open: &[bool]) -> Self {
        let nodes = s.rail_nodes.len();
        let (source, sink) = (nodes, nodes + 1);
        let mut r = super::flow::Residual::new(nodes + 2);
        // A line carries at most its capacity either way.
        let links = (0..s.rail_links.len())
            .filter(|l| open[*l])
            .map(|l| {
                let link = &s.rail_links[l];
                let cap = u64::from(link.capacity);
                (l, r.add(link.from, link.to, cap, cap))
            })
            .collect();
        for x in s.sources.iter().filter(|x| x.side == side) {
            r.add(source, x.node, u64::from(x.supply), 0);
        }
        let to_sink = s.depots.iter().map(|d| r.add(d.node, sink, 0, 0)).collect();
        AloneNetwork {
            side,
            open: open.to_vec(),
            empty: r,
            links,
            to_sink,
        }
    }
}

impl AloneFlow {
    /// The maximum flow from the network's sources to depot `d` alone.
    fn find(s: &Scenario, network: &AloneNetwork, d: usize) -> Self {
        let nodes = s.rail_nodes.len();
        let (source, sink) = (nodes, nodes + 1);
        let mut r = network.empty.clone();
        r.set_room(network.to_sink[d], u64::from(u32::MAX));
        let (value, sources_side) = r.augment(source, sink);
        let mut carrying = vec![false; s.rail_links.len()];
        for &(l, arc) in &network.links {
            carrying[l] = r.room(arc) != u64::from(s.rail_links[l].capacity);
        }
        AloneFlow {
            open: network.open.clone(),
            value,
            carrying,
            sources_side: sources_side[..nodes].to_vec(),
        }
    }

    /// Whether it is still a maximum flow over the links `open`: closing a line it does
    /// not run on leaves it possible and the cut no wider, and opening a line with both
    /// ends on one side of the cut leaves the cut as it was; a flow as large as a cut is
    /// the most there is. If so, it is kept as the flow for `open`.
    fn holds_for(&mut self, s: &Scenario, open: &[bool]) -> bool {
        if self.open.as_slice() == open {
            return true;
        }
        let holds = self
            .open
            .iter()
            .zip(open)
            .enumerate()
            .all(|(l, (was, is))| match (was, is) {
                (true, false) => !self.carrying[l],
                (false, true) => {
                    let link = &s.rail_links[l];
                    self.sources_side[link.from] == self.sources_side[link.to]
                }
                _ => true,
            });
        if holds {
            self.open.copy_from_slice(open);
        }
        holds
    }
}

/// What the network could bring depot `d` of `side` alone over the links marked open: a
/// maximum flow. The network does not change during a game and most days open or close
/// few lines, most of them away from any one depot's flow, so each depot's last few flows
/// are kept (per thread, for the scenario) and found again only when a line it runs on
/// closes or a line across its cut opens.
fn alone_capacity(s: &Scenario, side: SideId, d: usize, open: &[bool]) -> f64 {
    /// Flows kept per depot and side: today's lines, those open at the start, the outlook;
    /// and networks, for both sides.
    const KEPT: usize = 4;
    type Kept = (
        String,
        BTreeMap<(SideId, usize), Vec<AloneFlow>>,
        Vec<AloneNetwork>,
    );
    thread_local! {
        static FLOWS: std::cell::RefCell<Kept> =
            const { std::cell::RefCell::new((String::new(), BTreeMap::new(), Vec::new())) };
    }
    FLOWS.with_borrow_mut(|(scenario, kept, networks)| {
        if *scenario != s.content_hash {
            scenario.clone_from(&s.content_hash);
            kept.clear();
            networks.clear();
        }
        let flows = kept.entry((side, d)).or_default();
        if let Some(f) = flows.iter().find(|f| f.open.as_slice() == open) {
            return f.value as f64;
        }
        for f in flows.iter_mut() {
            if f.holds_for(s, open) {
                return f.value as f64;
            }
        }
        if flows.len() >= KEPT {
            flows.remove(0);
        }
        let same = |n: &AloneNetwork| n.side == side && n.open.as_slice() == open;
        let k = if let Some(k) = networks.iter().position(same) {
            k
        } else {
            if networks.len() >= 2 * KEPT {
                networks.remove(0);
            }
            networks.push(AloneNetwork::new(s, side, open));
            networks.len() - 1
        };
        let f = AloneFlow::find(s, &networks[k], d);
        let value = f.value as f64;
        flows.push(f);
        value
    })
}

/// The rail tier: each depot asks for today's demand and a refill toward its reserve, the
/// network's maximum flow brings what it can, and the depot's stock rises.
fn receive_by_rail(
    s: &Scenario,
    board: &mut Board,
    depots: &mut Depots,
    side: SideId,
    own_depots: &[usize],
    demand: &[f64],
) {
    let requests: Vec<u64> = (0..s.depots.len())
        .map(|d| {
            let st = &depots.0[d];
            if depots.owner(s, d) != side || !st.active {
                return 0;
            }
            let room = f64::from(s.depots[d].capacity) - st.stock + demand[d];
            let reserve = demand[d] * s.rules.depot_reserve_days;
            let want = demand[d] + ((reserve - st.stock) / 2.0).max(0.0);
            want.min(room).max(0.0).round() as u64
        })
        .collect();
    let open_now =
        |l: usize| board.link_cut_by[side][l].is_none() && super::rail::open_for(s, board, side, l);
    let (inflow, per_link) = rail_flow_first(s, side, &requests, &board.first_call, open_now);
    let (nominal, _) = rail_flow(s, side, &requests, |l| !board.cut_at_start[side][l]);
    board.link_flow[side] = per_link;
    for d in own_depots.iter().copied() {
        let st = &mut depots.0[d];
        st.inflow = inflow[d] as f64;
        st.nominal_inflow = nominal[d] as f64;
        st.demand = demand[d];
        st.stock = (st.stock + st.inflow).min(f64::from(s.depots[d].capacity));
    }
}

/// For a side whose commander watches its lines (its AI's `threat_radius`), the rail
/// links an enemy unit now stands within that many hexes of, where none stood at the
/// start: the lines a commander reckons may go next. Lines the front has run beside from
/// the start are the situation he accepted, not news. `None` for a side that does not
/// watch its lines.
pub fn newly_threatened(s: &Scenario, forces: &Forces, side: SideId) -> Option<Vec<bool>> {
    let radius = s.ai.iter().find(|a| a.side == side)?.threat_radius?;
    let near_now = super::ground::enemy_within(s, forces, side, radius);
    // The enemy units on the map when the scenario starts, where they started.
    let start = super::ground::within(
        s,
        s.units
            .iter()
            .filter(|u| {
                u.side != side
                    && super::state::status_at_start(s, u) == super::state::UnitStatus::Active
            })
            .map(|u| u.hex),
        radius,
    );
    Some(
        s.rail_links
            .iter()
            .map(|l| {
                l.hexes.iter().any(|h| near_now[s.index(*h)])
                    && !l.hexes.iter().any(|h| start[s.index(*h)])
            })
            .collect(),
    )
}

/// Units draw their share of what their depot holds, and feel it: readiness and, after
/// some days out of supply, strength. Returns what each depot gave out, tonnes.
fn draw_supply(
    s: &Scenario,
    depots: &Depots,
    forces: &mut Forces,
    side: SideId,
    demand: &[f64],
    events: &mut Vec<GameEvent>,
) -> Vec<f64> {
    let share: Vec<f64> = (0..s.depots.len())
        .map(|d| {
            if demand[d] > 0.0 {
                (depots.0[d].stock / demand[d]).min(1.0)
            } else {
                1.0
            }
        })
        .collect();
    let mut drawn = vec![0.0f64; s.depots.len()];
    let rules = &s.rules;
    for u in forces
        .units
        .iter_mut()
        .filter(|u| u.active() && u.side == side)
    {
        let got = u.depot.map_or(0.0, |d| share[d]);
        if let Some(d) = u.depot {
            drawn[d] += f64::from(s.units[u.id].supply_use) * u.strength * got;
        }
        let level = if got >= rules.supplied_share {
            SupplyLevel::Supplied
        } else if got >= rules.out_of_supply_share {
            SupplyLevel::Short
        } else {
            SupplyLevel::OutOfSupply
        };
        if level != u.supply {
            events.push(GameEvent::UnitSupplyChanged {
                unit: u.id,
                from: u.supply,
                to: level,
                depot: u.depot,
                share: (got * 100.0).round() / 100.0,
            });
        }
        u.supply = level;
        u.supply_share = got;
        let ceiling = s.units[u.id].readiness;
        match level {
            SupplyLevel::Supplied => {
                u.days_out = 0;
                u.readiness =
                    (u.readiness + rules.readiness_recovery).min(ceiling.max(u.readiness));
            }
            SupplyLevel::Short => {
                u.days_out = 0;
                u.readiness = (u.readiness
                    - rules.readiness_loss_short * (1.0 - got)
                        / (1.0 - rules.out_of_supply_share).max(0.01))
                .max(0.0);
            }
            SupplyLevel::OutOfSupply => {
                u.days_out += 1;
                u.readiness = (u.readiness - rules.readiness_loss_out).max(0.0);
                if u.days_out > rules.attrition_after_days {
                    u.strength = (u.strength * (1.0 - rules.attrition_per_day)).max(0.01);
                }
            }
        }
    }
    drawn
}

/// Why a unit has the supply it has, in one line a player can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum Trace {
    /// It gets all it needs from this depot.
    Supplied(DepotId),
    /// Its depot reaches it but cannot give all its units need: what it received today,
    /// what they asked, and what it holds.
    DepotShort {
        /// The depot.
        depot: DepotId,
        /// Received today, tonnes.
        inflow: f64,
        /// Its units' need today, tonnes.
        demand: f64,
        /// Stock, tonnes.
        stock: f64,
    },
    /// A depot could reach it over its side's ground, but not within the depot's range.
    OutOfRange {
        /// The nearest such depot.
        depot: DepotId,
        /// Movement points from the depot to the unit.
        cost: u32,
        /// The depot's range.
        range: u32,
    },
    /// No depot can trace to it: the way from the nearest depot breaks at `at`.
    Broken {
        /// The nearest depot by a free way.
        depot: DepotId,
        /// The first hex on that way the trace cannot pass.
        at: Offset,
        /// Why.
        why: Break,
    },
    /// Its side has no depot left, or none it could reach even over open ground.
    NoDepot,
}

/// What stops a supply trace at a hex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Break {
    /// An enemy unit stands there.
    EnemyUnit,
    /// The enemy holds the ground.
    EnemyGround,
    /// It lies next to an enemy unit and none of the side's units stands there.
    EnemyZoneOfControl,
}

/// Traces a unit's supply as the supply phase does, and where it fails, says why.
pub fn trace(s: &Scenario, board: &Board, forces: &Forces, depots: &Depots, unit: UnitId) -> Trace {
    let u = &forces.units[unit];
    let side = u.side;
    if let Some(d) = u.depot {
        let st = &depots.0[d];
        return if u.supply == SupplyLevel::Supplied {
            Trace::Supplied(d)
        } else {
            Trace::DepotShort {
                depot: d,
                inflow: st.inflow,
                demand: st.demand,
                stock: st.stock,
            }
        };
    }
    let threats = Threats::for_side(s, forces, side);
    let own: Vec<usize> = depots.serving(s, side).collect();
    // Over the side's ground, as the trace goes, with no limit of range.
    let in_reach = own
        .iter()
        .filter_map(|d| {
            let at = s.index(u.hex());
            depot_reach(s, board, &threats, side, s.depots[*d].hex, u32::MAX)
                .into_iter()
                .find(|(i, _)| *i == at)
                .map(|(_, c)| (c, *d))
        })
        .min();
    if let Some((cost, d)) = in_reach {
        return Trace::OutOfRange {
            depot: DepotId(d),
            cost,
            range: s.depots[d].range,
        };
    }
    // Over any ground: the cheapest way from a depot, and the first hex on it the trace
    // cannot pass.
    let Some((_, d, path)) = own
        .iter()
        .filter_map(|d| free_way(s, board, s.depots[*d].hex, u.hex()).map(|(c, p)| (c, *d, p)))
        .min_by_key(|(c, d, _)| (*c, *d))
    else {
        return Trace::NoDepot;
    };
    for (k, h) in path.iter().enumerate().skip(1) {
        let i = s.index(*h);
        let why = if threats.enemy_unit[i] {
            Some(Break::EnemyUnit)
        } else if board.control[i].is_some_and(|c| c != side) {
            Some(Break::EnemyGround)
        } else if k + 1 < path.len() && threats.enemy_zoc[i] && threats.own_units[i] == 0 {
            Some(Break::EnemyZoneOfControl)
        } else {
            None
        };
        if let Some(why) = why {
            return Trace::Broken {
                depot: DepotId(d),
                at: *h,
                why,
            };
        }
    }
    Trace::NoDepot
}

/// The cheapest way by movement cost from `from` to `to` over any passable ground, with
/// its hexes (`from` first).
fn free_way(s: &Scenario, board: &Board, from: Offset, to: Offset) -> Option<(u32, Vec<Offset>)> {
    let mut best: BTreeMap<Offset, (u32, Offset)> = BTreeMap::new();
    let mut heap = BinaryHeap::new();
    best.insert(from, (0, from));
    heap.push(Reverse((0u32, from)));
    while let Some(Reverse((cost, at))) = heap.pop() {
        if at == to {
            let mut path = vec![to];
            let mut h = to;
            while h != from {
                h = best[&h].1;
                path.push(h);
            }
            path.reverse();
            return Some((cost, path));
        }
        if best.get(&at).is_some_and(|(c, _)| *c < cost) {
            continue;
        }
        for nb in s.neighbours(at) {
            let Some(step) = step_cost(s, board, at, nb) else {
                continue;
            };
            let total = cost + step;
            if best.get(&nb).is_none_or(|(c, _)| total < *c) {
                best.insert(nb, (total, at));
                heap.push(Reverse((total, nb)));
            }
        }
    }
    None
}

impl Trace {
    /// The trace in words, for the unit's panel and tooltip.
    pub fn describe(&self, s: &Scenario) -> String {
        let place = |h: Offset| match s.places.iter().find(|p| p.hex == h) {
            Some(p) => format!("{} ({}, {})", p.name, h.col, h.row),
            None => format!("hex ({}, {})", h.col, h.row),
        };
        let tonnes = |t: f64| crate::numbers::group_thousands(t.round().max(0.0) as u32);
        match self {
            Trace::Supplied(d) => format!("Supplied from {}.", s.depots[*d].name),
            Trace::DepotShort {
                depot,
                inflow,
                demand,
                stock,
            } => format!(
                "{} reaches it but is short: it received {} t today for the {} t its units need, and holds {} t.",
                s.depots[*depot].name,
                tonnes(*inflow),
                tonnes(*demand),
                tonnes(*stock)
            ),
            Trace::OutOfRange { depot, cost, range } => format!(
                "Out of range: {} is {cost} movement points away over your ground; it supplies units within {range}.",
                s.depots[*depot].name
            ),
            Trace::Broken { depot, at, why } => format!(
                "The trace from {} breaks at {}: {}.",
                s.depots[*depot].name,
                place(*at),
                match why {
                    Break::EnemyUnit => "an enemy unit stands there",
                    Break::EnemyGround => "the enemy holds that ground",
                    Break::EnemyZoneOfControl =>
                        "it lies next to an enemy unit (zone of control) and no unit of yours holds it",
                }
            ),
            Trace::NoDepot => "No depot of its side is left that could reach it.".to_string(),
        }
    }
}

/// Where each side's depots reach, as the last mile traces it: for every hex, the depot a
/// unit of the side holding it would draw from there, and the share of a unit's need that
/// depot can give today (all of it while it has stock; else what today's inflow covers).
/// `None` where no depot of the holder reaches.
pub fn supply_reach(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    depots: &Depots,
) -> Vec<Option<(DepotId, f64)>> {
    let mut best: Vec<Option<(u32, DepotId, f64)>> = vec![None; s.terrain.len()];
    for side in s.side_ids() {
        let threats = Threats::for_side(s, forces, side);
        for (d, depot) in s.depots.iter().enumerate() {
            let st = &depots.0[d];
            if depots.owner(s, d) != side || !st.active {
                continue;
            }
            let share = if st.stock >= 1.0 || st.demand <= 0.0 {
                1.0
            } else {
                (st.inflow / st.demand).clamp(0.0, 1.0)
            };
            for (i, cost) in depot_reach(s, board, &threats, side, depot.hex, depot.range) {
                if board.control[i] != Some(side) {
                    continue;
                }
                if best[i].is_none_or(|(c, dd, _)| (cost, DepotId(d)) < (c, dd)) {
                    best[i] = Some((cost, DepotId(d), share));
                }
            }
        }
    }
    best.into_iter()
        .map(|b| b.map(|(_, d, share)| (d, share)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// A depot's flow kept while it is still the maximum is the maximum found afresh, as
    /// lines close and open a few at a time (and now and then many at once).
    #[test]
    fn kept_flows_are_the_maximum_found_afresh() {
        let spec = crate::scenario::generate::Spec {
            cols: 60,
            rows: 40,
            units: None,
            seed: 8,
        };
        let text = crate::scenario::generate::generate_text(&spec).unwrap();
        let scenarios = [
            crate::scenario::load_or_default(None).unwrap(),
            crate::scenario::load_str(&text, "generated.ron").unwrap(),
        ];
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for s in &scenarios {
            let links = s.rail_links.len();
            let mut open = vec![true; links];
            assert!(links > 0 && !s.depots.is_empty());
            for step in 0..60 {
                let changes = if step % 10 == 9 { links / 3 } else { 2 };
                for _ in 0..changes {
                    let l = rng.random_range(0..links);
                    open[l] = !open[l];
                }
                for side in s.side_ids() {
                    for d in (0..s.depots.len()).filter(|d| s.depots[*d].side == side) {
                        let mut alone = vec![0u64; s.depots.len()];
                        alone[d] = u64::from(u32::MAX);
                        let afresh = rail_flow(s, side, &alone, |l| open[l]).0[d] as f64;
                        assert_eq!(
                            alone_capacity(s, side, d, &open),
                            afresh,
                            "step {step}, depot {}",
                            s.depots[d].name
                        );
                    }
                }
            }
        }
    }
}
