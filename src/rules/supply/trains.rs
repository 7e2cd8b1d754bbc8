//! The rail tier of supply: which lines are cut for a side (by the enemy's ground, or by
//! fire next to its units), the maximum flow from the side's sources to its depots over
//! the lines open to it (depots with first call served first), and what each depot could
//! receive alone with today's cuts, at the start, and as its commander expects them.

use std::collections::BTreeMap;

use petgraph::algo::dinics;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};

use crate::scenario::Scenario;
use crate::scenario::ids::{LinkId, SideId};

use crate::rules::events::GameEvent;
use crate::rules::maxflow::Residual;
use crate::rules::movement::Threats;
use crate::rules::state::{Board, Depots, Fed, Forces, UnitStatus, status_at_start};

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

/// Which links are cut for this side now, and what changed since yesterday.
pub(super) fn note_cut_links(
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
    let (inflow, net) = rail_flow_net(s, side, requests, first, open);
    (inflow, net.iter().map(|f| f.unsigned_abs()).collect())
}

/// [`rail_flow_first`], with the net tonnes on each link signed: positive from the link's
/// `from` to its `to`.
pub fn rail_flow_net(
    s: &Scenario,
    side: SideId,
    requests: &[u64],
    first: &[bool],
    open: impl Fn(usize) -> bool,
) -> (Vec<u64>, Vec<i64>) {
    let marked = |d: usize| first.get(d).copied().unwrap_or(false);
    if !(0..s.depots.len()).any(|d| marked(d) && requests[d] > 0) {
        let (inflow, net, _) = flow_stage(s, side, requests, &open, &[], &[]);
        return (inflow, net);
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
    let net = net_first
        .iter()
        .zip(&net_rest)
        .map(|(a, b)| a + b)
        .collect();
    (inflow, net)
}

/// Which lines fed each depot of `side` today, and how many tonnes each: the day's flow
/// (each depot's `inflow`, the `net` tonnes on each link) told as ways from the side's
/// sources to each depot in turn, each way following, back from the depot, the lowest
/// link that still carries flow toward it. A flow splits into such ways in more than one
/// manner; this one is the same for the same flow. Depots of other sides get nothing.
pub fn feeding_lines(s: &Scenario, side: SideId, inflow: &[u64], net: &[i64]) -> Vec<Fed> {
    let mut left: Vec<i64> = net.to_vec();
    let mut source_left = vec![0u64; s.rail_nodes.len()];
    for x in s.sources.iter().filter(|x| x.side == side) {
        source_left[x.node] += u64::from(x.supply);
    }
    let mut fed = vec![Fed::default(); s.depots.len()];
    for (d, depot) in s.depots.iter().enumerate() {
        let mut want = inflow.get(d).copied().unwrap_or(0);
        let mut tonnes: BTreeMap<usize, u64> = BTreeMap::new();
        let mut at_railhead = 0;
        while want > 0 {
            // A way back from the depot to a source with supply left.
            let mut at = depot.node;
            let mut way: Vec<usize> = Vec::new();
            let mut seen = vec![false; s.rail_nodes.len()];
            seen[at] = true;
            while source_left[at] == 0 {
                let step = (0..s.rail_links.len()).find_map(|l| {
                    let link = &s.rail_links[l];
                    let into = if link.to == at && left[l] > 0 {
                        link.from
                    } else if link.from == at && left[l] < 0 {
                        link.to
                    } else {
                        return None;
                    };
                    (!seen[into]).then_some((l, into))
                });
                let Some((l, from)) = step else { break };
                way.push(l);
                seen[from] = true;
                at = from;
            }
            if source_left[at] == 0 {
                break; // the flow held no more way here (cannot happen for a flow)
            }
            let room = way
                .iter()
                .map(|l| left[*l].unsigned_abs())
                .chain([want, source_left[at]])
                .min()
                .unwrap_or(0);
            if room == 0 {
                break;
            }
            for &l in &way {
                // Less of the flow, in the direction it runs.
                left[l] -= left[l].signum() * room as i64;
                *tonnes.entry(l).or_default() += room;
            }
            if way.is_empty() {
                at_railhead += room;
            }
            source_left[at] -= room;
            want -= room;
        }
        let mut lines: Vec<(LinkId, u64)> =
            tonnes.into_iter().map(|(l, t)| (LinkId(l), t)).collect();
        lines.sort_by_key(|(l, t)| (std::cmp::Reverse(*t), *l));
        fed[d] = Fed { lines, at_railhead };
    }
    fed
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

/// Records what the network could bring each depot of the side alone with today's cuts
/// (which also tells the last mile whether trains can reach it at all) and with the lines
/// open at the start, for the operational AI: the measure of how badly its lines are cut,
/// whatever it asks for today.
pub(super) fn reckon_capacity(
    s: &Scenario,
    board: &Board,
    depots: &mut Depots,
    forces: &Forces,
    side: SideId,
    own_depots: &[usize],
) {
    let open_now = |l: usize| {
        board.link_cut_by[side][l].is_none() && crate::rules::track::open_for(s, board, side, l)
    };
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
    empty: Residual,
    /// For each open link: its index and its arc.
    links: Vec<(usize, usize)>,
    /// Each depot's arc to the sink.
    to_sink: Vec<usize>,
}

impl AloneNetwork {
    fn new(s: &Scenario, side: SideId, open: &[bool]) -> Self {
        let nodes = s.rail_nodes.len();
        let (source, sink) = (nodes, nodes + 1);
        let mut r = Residual::new(nodes + 2);
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
pub(super) fn receive_by_rail(
    s: &Scenario,
    board: &mut Board,
    depots: &mut Depots,
    side: SideId,
    own_depots: &[usize],
    demand: &[f64],
) -> Vec<Fed> {
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
    let open_now = |l: usize| {
        board.link_cut_by[side][l].is_none() && crate::rules::track::open_for(s, board, side, l)
    };
    let (inflow, net) = rail_flow_net(s, side, &requests, &board.first_call, open_now);
    let (nominal, _) = rail_flow(s, side, &requests, |l| !board.cut_at_start[side][l]);
    let fed = feeding_lines(s, side, &inflow, &net);
    board.link_flow[side] = net.iter().map(|f| f.unsigned_abs()).collect();
    for d in own_depots.iter().copied() {
        let st = &mut depots.0[d];
        st.inflow = inflow[d] as f64;
        st.nominal_inflow = nominal[d] as f64;
        st.demand = demand[d];
        st.stock = (st.stock + st.inflow).min(f64::from(s.depots[d].capacity));
    }
    fed
}

/// For a side whose commander watches its lines (its AI's `threat_radius`), the rail
/// links an enemy unit now stands within that many hexes of, where none stood at the
/// start: the lines a commander reckons may go next. Lines the front has run beside from
/// the start are the situation he accepted, not news. `None` for a side that does not
/// watch its lines.
pub fn newly_threatened(s: &Scenario, forces: &Forces, side: SideId) -> Option<Vec<bool>> {
    let radius = s.ai.iter().find(|a| a.side == side)?.threat_radius?;
    let near_now = crate::rules::ground::enemy_within(s, forces, side, radius);
    // The enemy units on the map when the scenario starts, where they started.
    let start = crate::rules::ground::within(
        s,
        s.units
            .iter()
            .filter(|u| u.side != side && status_at_start(s, u) == UnitStatus::Active)
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

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Kharkiv, and a generated 60 x 40 front of `seed`.
    fn kharkiv_and_generated(seed: u64) -> [crate::scenario::Scenario; 2] {
        let spec = crate::scenario::generate::Spec {
            cols: 60,
            rows: 40,
            units: None,
            seed,
        };
        let text = crate::scenario::generate::generate_text(&spec).unwrap();
        [
            crate::scenario::load_or_default(None).unwrap(),
            crate::scenario::load_str(&text, "generated.ron").unwrap(),
        ]
    }

    /// Each depot's feeding lines tell its day: the tonnes arriving at its node over them
    /// are what it received (less what a source at its own node gave), every link's
    /// tonnes over all depots are no more than it carried, and a depot's ways run from a
    /// source, through nodes that pass on what they take.
    #[test]
    fn feeding_lines_add_up_to_each_depots_inflow() {
        let scenarios = kharkiv_and_generated(3);
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for s in &scenarios {
            for _ in 0..20 {
                let open: Vec<bool> = (0..s.rail_links.len())
                    .map(|_| rng.random_range(0..10) > 1)
                    .collect();
                for side in s.side_ids() {
                    let requests: Vec<u64> = (0..s.depots.len())
                        .map(|d| {
                            if s.depots[d].side == side {
                                rng.random_range(0..3000)
                            } else {
                                0
                            }
                        })
                        .collect();
                    let (inflow, net) = rail_flow_net(s, side, &requests, &[], |l| open[l]);
                    let fed = feeding_lines(s, side, &inflow, &net);
                    let mut carried = vec![0u64; s.rail_links.len()];
                    for (d, f) in fed.iter().enumerate() {
                        let lines = &f.lines;
                        let node = s.depots[d].node;
                        // Signed tonnes into each node, along the flow's direction.
                        let mut balance = vec![0i64; s.rail_nodes.len()];
                        for (l, tonnes) in lines {
                            let link = &s.rail_links[l.0];
                            let (from, to) = if net[l.0] > 0 {
                                (link.from, link.to)
                            } else {
                                (link.to, link.from)
                            };
                            balance[to] += *tonnes as i64;
                            balance[from] -= *tonnes as i64;
                            carried[l.0] += tonnes;
                        }
                        let at_source = s.sources.iter().any(|x| x.side == side && x.node == node);
                        if at_source {
                            assert_eq!(
                                balance[node] + f.at_railhead as i64,
                                inflow[d] as i64,
                                "{}",
                                s.depots[d].name
                            );
                        } else {
                            assert_eq!(f.at_railhead, 0);
                            assert_eq!(balance[node], inflow[d] as i64, "{}", s.depots[d].name);
                        }
                        for (n, b) in balance.iter().enumerate() {
                            let source = s.sources.iter().any(|x| x.side == side && x.node == n);
                            if n != node && !source {
                                assert_eq!(
                                    *b, 0,
                                    "node {} passes on what it takes",
                                    s.rail_nodes[n].name
                                );
                            }
                        }
                    }
                    for l in 0..s.rail_links.len() {
                        assert!(
                            carried[l] <= net[l].unsigned_abs(),
                            "link {}",
                            s.rail_links[l].name
                        );
                    }
                }
            }
        }
    }

    /// A depot's flow kept while it is still the maximum is the maximum found afresh, as
    /// lines close and open a few at a time (and now and then many at once).
    #[test]
    fn kept_flows_are_the_maximum_found_afresh() {
        let scenarios = kharkiv_and_generated(8);
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
