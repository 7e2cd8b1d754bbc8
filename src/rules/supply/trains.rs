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

/// Tonnes each depot of `side` receives, by maximum flow from the side's sources, with
/// the crossings as the scenario starts. `open(link)` says whether a link carries this
/// side's supply. Also returns the flow on each link.
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
    let day = rail_flow_net(s, side, requests, first, open, &initial_limits(s));
    (
        day.inflow,
        day.net.iter().map(|f| f.unsigned_abs()).collect(),
    )
}

/// A day's maximum flow.
#[derive(Debug, Clone, PartialEq)]
pub struct RailDay {
    /// What each depot receives, tonnes.
    pub inflow: Vec<u64>,
    /// The net tonnes on each link, positive from its `from` to its `to`.
    pub net: Vec<i64>,
    /// The tonnes over each limited crossing (0 over one without a limit).
    pub crossed: Vec<u64>,
}

/// [`rail_flow_first`] with the crossings' limits given (see [`crossing_limits`]), the
/// net tonnes on each link signed and the tonnes over each crossing.
pub fn rail_flow_net(
    s: &Scenario,
    side: SideId,
    requests: &[u64],
    first: &[bool],
    open: impl Fn(usize) -> bool,
    limits: &[Option<u64>],
) -> RailDay {
    let layout = Layout::new(s, limits);
    let caps = layout.caps(s, &open, limits);
    let marked = |d: usize| first.get(d).copied().unwrap_or(false);
    let day = |inflow: Vec<u64>, arc_net: Vec<i64>| RailDay {
        inflow,
        net: layout.link_net(s, &arc_net),
        crossed: layout.crossing_flow(s, &arc_net),
    };
    if !(0..s.depots.len()).any(|d| marked(d) && requests[d] > 0) {
        let (inflow, net, _) = flow_stage(s, side, requests, &layout, &caps, &[], &[]);
        return day(inflow, net);
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
    let (got_first, net_first, used_sources) =
        flow_stage(s, side, &ask(true), &layout, &caps, &[], &[]);
    let (got_rest, net_rest, _) = flow_stage(
        s,
        side,
        &ask(false),
        &layout,
        &caps,
        &net_first,
        &used_sources,
    );
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
    day(inflow, net)
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

/// Today's limit on the supply each crossing carries, tonnes a day: a crossing down
/// carries nothing; a damaged one its share left of its [`nominal_capacity`]; one with a
/// `tonnes_per_day` that many; any other, no limit (`None`).
pub fn crossing_limits(s: &Scenario, board: &Board) -> Vec<Option<u64>> {
    (0..s.crossings.len())
        .map(|c| {
            let intact = board.crossing_intact.get(c).copied().unwrap_or(true);
            match board.crossing_damage_of(c) {
                Some(d) if intact => {
                    Some((nominal_capacity(s, c) as f64 * d.capacity_left).floor() as u64)
                }
                _ => crossing_limit(s, intact, c),
            }
        })
        .collect()
}

/// What a crossing carries a day undamaged: its `tonnes_per_day`, or else what the links
/// over it carry together.
pub fn nominal_capacity(s: &Scenario, c: usize) -> u64 {
    s.crossings[c].tonnes_per_day.map_or_else(
        || {
            s.crossings[c]
                .rail_links
                .iter()
                .map(|l| u64::from(s.rail_links[*l].capacity))
                .sum()
        },
        u64::from,
    )
}

/// The limits of [`crossing_limits`] as the scenario starts.
pub fn initial_limits(s: &Scenario) -> Vec<Option<u64>> {
    (0..s.crossings.len())
        .map(|c| crossing_limit(s, s.crossings[c].intact, c))
        .collect()
}

fn crossing_limit(s: &Scenario, intact: bool, c: usize) -> Option<u64> {
    if intact {
        s.crossings[c].tonnes_per_day.map(u64::from)
    } else {
        Some(0)
    }
}

/// The flow graph's arcs for one set of crossing limits: each link from its `from` to its
/// `to`, cut where it passes a limited crossing into segments that meet the crossing's
/// arc, one per crossing, from the node of its own bank to the node of the other. Lines
/// over one crossing meet at it (goods change lines at a bridge). With no limited
/// crossing a link is one arc, as a plain graph of the rail network.
#[derive(Debug, Clone, PartialEq)]
struct Layout {
    /// Nodes: the rail nodes, a source, a sink, then two per crossing.
    nodes: usize,
    /// Arcs: ends and owner.
    arcs: Vec<(usize, usize, Owner)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Link(usize),
    Crossing(usize),
}

impl Layout {
    fn new(s: &Scenario, limits: &[Option<u64>]) -> Self {
        let n = s.rail_nodes.len();
        let bank = |c: usize, own: bool| n + 2 + 2 * c + usize::from(!own);
        let limited = |c: usize| limits.get(c).is_some_and(Option::is_some);
        let mut arcs = Vec::new();
        let mut used = vec![false; s.crossings.len()];
        for (l, link) in s.rail_links.iter().enumerate() {
            let mut at = link.from;
            for x in link.crossings.iter().filter(|x| limited(x.crossing)) {
                used[x.crossing] = true;
                arcs.push((at, bank(x.crossing, x.from_on_own_bank), Owner::Link(l)));
                at = bank(x.crossing, !x.from_on_own_bank);
            }
            arcs.push((at, link.to, Owner::Link(l)));
        }
        for c in (0..s.crossings.len()).filter(|c| used[*c]) {
            arcs.push((bank(c, true), bank(c, false), Owner::Crossing(c)));
        }
        Layout {
            nodes: n + 2 + 2 * s.crossings.len(),
            arcs,
        }
    }

    /// What each arc carries at most either way: its link's capacity where `open`, its
    /// crossing's limit.
    fn caps(
        &self,
        s: &Scenario,
        open: &impl Fn(usize) -> bool,
        limits: &[Option<u64>],
    ) -> Vec<u64> {
        self.arcs
            .iter()
            .map(|(_, _, o)| match *o {
                Owner::Link(l) if open(l) => u64::from(s.rail_links[l].capacity),
                Owner::Link(_) => 0,
                Owner::Crossing(c) => limits.get(c).copied().flatten().unwrap_or(0),
            })
            .collect()
    }

    /// Each link's net tonnes (positive from its `from` to its `to`): its first segment's.
    fn link_net(&self, s: &Scenario, arc_net: &[i64]) -> Vec<i64> {
        let mut net = vec![0i64; s.rail_links.len()];
        let mut seen = vec![false; s.rail_links.len()];
        for (k, (_, _, o)) in self.arcs.iter().enumerate() {
            if let Owner::Link(l) = *o
                && !seen[l]
            {
                seen[l] = true;
                net[l] = arc_net[k];
            }
        }
        net
    }

    /// Tonnes over each crossing (0 where it has no limit: the links over it carry them).
    fn crossing_flow(&self, s: &Scenario, arc_net: &[i64]) -> Vec<u64> {
        let mut flow = vec![0u64; s.crossings.len()];
        for (k, (_, _, o)) in self.arcs.iter().enumerate() {
            if let Owner::Crossing(c) = *o {
                flow[c] = arc_net[k].unsigned_abs();
            }
        }
        flow
    }
}

/// A side's rail network as a flow graph for one maximum flow: a node per node of its
/// [`Layout`], a source feeding the side's sources and a sink fed by the depots that ask.
struct Network {
    g: DiGraph<(), u64>,
    source: NodeIndex,
    sink: NodeIndex,
    /// For each arc of the layout that can carry: its index, and its edges from its first
    /// end to its second and back.
    arcs: Vec<(usize, EdgeIndex, EdgeIndex)>,
    /// For each source of the side: its index and its edge.
    sources: Vec<(usize, EdgeIndex)>,
    /// For each depot that asks: its index and its edge.
    depots: Vec<(usize, EdgeIndex)>,
}

impl Network {
    /// The graph over the layout's arcs that can carry (`caps`), with what an earlier flow
    /// left: its net tonnes on each arc in `net_used` (positive from its first end to its
    /// second), what it took from each source in `sources_used`. Each depot asks
    /// `requests[d]`.
    fn new(
        s: &Scenario,
        side: SideId,
        requests: &[u64],
        layout: &Layout,
        caps: &[u64],
        net_used: &[i64],
        sources_used: &[u64],
    ) -> Self {
        let mut g: DiGraph<(), u64> = DiGraph::new();
        let nodes: Vec<NodeIndex> = (0..layout.nodes).map(|_| g.add_node(())).collect();
        let n = s.rail_nodes.len();
        let (source, sink) = (nodes[n], nodes[n + 1]);
        let mut arcs = Vec::new();
        for (k, &(a, b, _)) in layout.arcs.iter().enumerate() {
            if caps[k] == 0 {
                continue;
            }
            // An arc carries at most its capacity either way, net of what runs on it.
            let cap = caps[k] as i64;
            let used = net_used.get(k).copied().unwrap_or(0);
            let forward = (cap - used).max(0) as u64;
            let back = (cap + used).max(0) as u64;
            let x = g.add_edge(nodes[a], nodes[b], forward);
            let y = g.add_edge(nodes[b], nodes[a], back);
            arcs.push((k, x, y));
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
            arcs,
            sources,
            depots,
        }
    }

    /// A maximum flow: the flow on each edge.
    fn max_flow(&self) -> Vec<u64> {
        dinics(&self.g, self.source, self.sink).1
    }

    /// The net flow on each arc of the layout (positive from its first end; 0 if none).
    fn net(&self, layout: &Layout, flows: &[u64]) -> Vec<i64> {
        let mut net = vec![0i64; layout.arcs.len()];
        for &(k, a, b) in &self.arcs {
            net[k] = flows[a.index()] as i64 - flows[b.index()] as i64;
        }
        net
    }
}

/// One maximum flow over what an earlier flow left: `net_used` is that flow's net tonnes
/// on each arc of the layout, `sources_used` what it took from each source. Returns what
/// each depot receives, the net flow on each arc and what each source gave.
fn flow_stage(
    s: &Scenario,
    side: SideId,
    requests: &[u64],
    layout: &Layout,
    caps: &[u64],
    net_used: &[i64],
    sources_used: &[u64],
) -> (Vec<u64>, Vec<i64>, Vec<u64>) {
    let net_graph = Network::new(s, side, requests, layout, caps, net_used, sources_used);
    let flows = net_graph.max_flow();
    let mut inflow = vec![0u64; s.depots.len()];
    for &(d, e) in &net_graph.depots {
        inflow[d] = flows[e.index()];
    }
    let net = net_graph.net(layout, &flows);
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
    let limits_now = crossing_limits(s, board);
    let limits_start = initial_limits(s);
    // The lines newly in the enemy's reach that still run: only if there are any does the
    // outlook differ from today's capacity.
    let outlook: Option<Option<Vec<bool>>> = newly_threatened(s, forces, side).map(|t| {
        (0..s.rail_links.len())
            .any(|l| t[l] && now[l])
            .then(|| (0..s.rail_links.len()).map(|l| now[l] && !t[l]).collect())
    });
    for d in own_depots.iter().copied() {
        let st = &mut depots.0[d];
        st.capacity_now = alone_capacity(s, side, d, &now, &limits_now);
        st.capacity_open = alone_capacity(s, side, d, &at_start, &limits_start);
        st.capacity_outlook = outlook.as_ref().map(|o| match o {
            Some(open) => alone_capacity(s, side, d, open, &limits_now),
            None => st.capacity_now,
        });
    }
}

/// A maximum flow to one depot alone, kept with what shows that it is still a maximum
/// when lines open or close: the links it runs on, and a minimum cut (the nodes the
/// sources can still send more to).
#[derive(Debug)]
struct AloneFlow {
    /// The links open when it was found (or last shown to hold).
    open: Vec<bool>,
    /// The crossings' limits it was found with.
    limits: Vec<Option<u64>>,
    /// Tonnes a day.
    value: u64,
    /// The links carrying some of it.
    carrying: Vec<bool>,
    /// The nodes of the layout on the sources' side of a minimum cut.
    sources_side: Vec<bool>,
}

/// A side's rail network over some open lines, with no flow yet, for the flows to each
/// depot alone: the same for every depot but for the depot's arc to the sink, so built
/// once for all of them. Every depot has an arc to the sink, closed until it asks.
#[derive(Debug)]
struct AloneNetwork {
    side: SideId,
    open: Vec<bool>,
    limits: Vec<Option<u64>>,
    layout: Layout,
    empty: Residual,
    /// For each arc of the layout that can carry: its owner and its arc, with its capacity.
    arcs: Vec<(Owner, usize, u64)>,
    /// Each depot's arc to the sink.
    to_sink: Vec<usize>,
}

impl AloneNetwork {
    fn new(s: &Scenario, side: SideId, open: &[bool], limits: &[Option<u64>]) -> Self {
        let layout = Layout::new(s, limits);
        let caps = layout.caps(s, &|l| open[l], limits);
        let n = s.rail_nodes.len();
        let (source, sink) = (n, n + 1);
        let mut r = Residual::new(layout.nodes);
        // An arc carries at most its capacity either way.
        let arcs = layout
            .arcs
            .iter()
            .zip(&caps)
            .filter(|(_, cap)| **cap > 0)
            .map(|(&(a, b, o), &cap)| (o, r.add(a, b, cap, cap), cap))
            .collect();
        for x in s.sources.iter().filter(|x| x.side == side) {
            r.add(source, x.node, u64::from(x.supply), 0);
        }
        let to_sink = s.depots.iter().map(|d| r.add(d.node, sink, 0, 0)).collect();
        AloneNetwork {
            side,
            open: open.to_vec(),
            limits: limits.to_vec(),
            layout,
            empty: r,
            arcs,
            to_sink,
        }
    }
}

impl AloneFlow {
    /// The maximum flow from the network's sources to depot `d` alone.
    fn find(s: &Scenario, network: &AloneNetwork, d: usize) -> Self {
        let n = s.rail_nodes.len();
        let (source, sink) = (n, n + 1);
        let mut r = network.empty.clone();
        r.set_room(network.to_sink[d], u64::from(u32::MAX));
        let (value, sources_side) = r.augment(source, sink);
        let mut carrying = vec![false; s.rail_links.len()];
        for &(o, arc, cap) in &network.arcs {
            if let Owner::Link(l) = o
                && r.room(arc) != cap
            {
                carrying[l] = true;
            }
        }
        AloneFlow {
            open: network.open.clone(),
            limits: network.limits.clone(),
            value,
            carrying,
            sources_side,
        }
    }

    /// Whether it is still a maximum flow over the links `open`, with the same crossings:
    /// closing a line it does not run on leaves it possible and the cut no wider, and
    /// opening a line whose every segment has both ends on one side of the cut leaves the
    /// cut as it was; a flow as large as a cut is the most there is. If so, it is kept as
    /// the flow for `open`.
    fn holds_for(&mut self, layout: &Layout, open: &[bool], limits: &[Option<u64>]) -> bool {
        if self.limits.as_slice() != limits {
            return false;
        }
        if self.open.as_slice() == open {
            return true;
        }
        let side_of = |node: usize| self.sources_side.get(node).copied().unwrap_or(false);
        let holds = self
            .open
            .iter()
            .zip(open)
            .enumerate()
            .all(|(l, (was, is))| match (was, is) {
                (true, false) => !self.carrying[l],
                (false, true) => layout
                    .arcs
                    .iter()
                    .filter(|(_, _, o)| *o == Owner::Link(l))
                    .all(|&(a, b, _)| side_of(a) == side_of(b)),
                _ => true,
            });
        if holds {
            self.open.copy_from_slice(open);
        }
        holds
    }
}

/// What the network could bring depot `d` of `side` alone over the links marked open,
/// with the crossings' `limits`: a maximum flow. The network does not change during a
/// game and most days open or close few lines, most of them away from any one depot's
/// flow, so each depot's last few flows are kept (per thread, for the scenario) and found
/// again only when a line it runs on closes, a line across its cut opens or a crossing's
/// limit changes.
fn alone_capacity(
    s: &Scenario,
    side: SideId,
    d: usize,
    open: &[bool],
    limits: &[Option<u64>],
) -> f64 {
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
        if let Some(f) = flows
            .iter()
            .find(|f| f.open.as_slice() == open && f.limits.as_slice() == limits)
        {
            return f.value as f64;
        }
        let layout = Layout::new(s, limits);
        for f in flows.iter_mut() {
            if f.holds_for(&layout, open, limits) {
                return f.value as f64;
            }
        }
        if flows.len() >= KEPT {
            flows.remove(0);
        }
        let same = |n: &AloneNetwork| {
            n.side == side && n.open.as_slice() == open && n.limits.as_slice() == limits
        };
        let k = if let Some(k) = networks.iter().position(same) {
            k
        } else {
            if networks.len() >= 2 * KEPT {
                networks.remove(0);
            }
            networks.push(AloneNetwork::new(s, side, open, limits));
            networks.len() - 1
        };
        debug_assert_eq!(networks[k].layout, layout);
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
    let limits = crossing_limits(s, board);
    let RailDay {
        inflow,
        net,
        crossed,
    } = rail_flow_net(s, side, &requests, &board.first_call, open_now, &limits);
    let (nominal, _) = rail_flow(s, side, &requests, |l| !board.cut_at_start[side][l]);
    let fed = feeding_lines(s, side, &inflow, &net);
    board.link_flow[side] = net.iter().map(|f| f.unsigned_abs()).collect();
    board.set_crossed(side, crossed);
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
                    let RailDay { inflow, net, .. } =
                        rail_flow_net(s, side, &requests, &[], |l| open[l], &initial_limits(s));
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
                            alone_capacity(s, side, d, &open, &initial_limits(s)),
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
