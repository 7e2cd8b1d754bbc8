//! A maximum flow by Dinic's algorithm over a residual network kept in flat arrays.
//!
//! The rail flows that decide what each depot receives use petgraph's `dinics`, whose
//! flows the event logs record. A depot's flow "alone" ([`super::supply`]'s measure of
//! how badly its lines are cut, of which only the amount counts) is found again whenever
//! a line it runs on closes, for every depot of every side: on a large network
//! petgraph's version, which starts each augmenting path's search afresh (clearing a mark
//! per node), grows with the number of paths times the number of nodes. This one keeps
//! each node's next arc for the whole phase and drops dead ends, as Dinic's algorithm
//! does; a line that carries either way is one pair of arcs, with room both ways.

/// A flow network with its residual capacities: arcs in pairs, an arc and its reverse.
#[derive(Debug, Clone)]
pub struct Residual {
    /// For each node, its first arc in `next` order (`NONE` if none).
    head: Vec<u32>,
    /// The arc after each arc out of the same node.
    next: Vec<u32>,
    /// Where each arc leads.
    to: Vec<u32>,
    /// What each arc can still carry.
    room: Vec<u64>,
}

const NONE: u32 = u32::MAX;

impl Residual {
    /// A network of `nodes` nodes and no arcs.
    pub fn new(nodes: usize) -> Self {
        Residual {
            head: vec![NONE; nodes],
            next: Vec::new(),
            to: Vec::new(),
            room: Vec::new(),
        }
    }

    /// Adds an arc from `a` to `b` with `room` left on it, and its reverse, with `back`
    /// left (what could be sent back: the flow on it, or for a line that carries either
    /// way, its room the other way). Returns the arc's index; its reverse is `index ^ 1`.
    pub fn add(&mut self, a: usize, b: usize, room: u64, back: u64) -> usize {
        let arc = self.to.len();
        for (from, to, room) in [(a, b, room), (b, a, back)] {
            self.next.push(self.head[from]);
            self.head[from] = self.to.len() as u32;
            self.to.push(to as u32);
            self.room.push(room);
        }
        arc
    }

    /// What an arc can still carry.
    pub fn room(&self, arc: usize) -> u64 {
        self.room[arc]
    }

    /// Sets what an arc can still carry.
    pub fn set_room(&mut self, arc: usize, room: u64) {
        self.room[arc] = room;
    }

    /// Sends as much more as the network allows from `source` to `sink` (Dinic's
    /// algorithm: shortest augmenting paths, a phase per length). Returns how much, and
    /// for each node whether the source can still send more to it: the source's side of
    /// a minimum cut.
    pub fn augment(&mut self, source: usize, sink: usize) -> (u64, Vec<bool>) {
        let n = self.head.len();
        let mut level = vec![0u32; n];
        let mut queue = Vec::with_capacity(n);
        let mut current = vec![NONE; n];
        let mut path: Vec<u32> = Vec::new();
        let mut sent = 0u64;
        loop {
            // Levels: hexes by the number of arcs with room from the source (1 at the source).
            level.fill(0);
            level[source] = 1;
            queue.clear();
            queue.push(source as u32);
            let mut k = 0;
            while k < queue.len() {
                let v = queue[k] as usize;
                k += 1;
                let mut a = self.head[v];
                while a != NONE {
                    let w = self.to[a as usize] as usize;
                    if self.room[a as usize] > 0 && level[w] == 0 {
                        level[w] = level[v] + 1;
                        queue.push(w as u32);
                    }
                    a = self.next[a as usize];
                }
            }
            if level[sink] == 0 {
                return (sent, level.iter().map(|l| *l > 0).collect());
            }
            current.copy_from_slice(&self.head);
            // A blocking flow: paths along rising levels, each node's next arc kept.
            path.clear();
            let mut v = source;
            loop {
                if v == sink {
                    let least = path
                        .iter()
                        .map(|a| self.room[*a as usize])
                        .min()
                        .unwrap_or(0);
                    for a in &path {
                        self.room[*a as usize] -= least;
                        self.room[(*a ^ 1) as usize] += least;
                    }
                    sent += least;
                    // Back to the tail of the first arc the path filled.
                    let full = path
                        .iter()
                        .position(|a| self.room[*a as usize] == 0)
                        .unwrap_or(0);
                    path.truncate(full);
                    v = path
                        .last()
                        .map_or(source, |a| self.to[*a as usize] as usize);
                    continue;
                }
                let mut a = current[v];
                while a != NONE {
                    let w = self.to[a as usize] as usize;
                    if self.room[a as usize] > 0 && level[w] == level[v] + 1 {
                        break;
                    }
                    a = self.next[a as usize];
                }
                current[v] = a;
                if a != NONE {
                    path.push(a);
                    v = self.to[a as usize] as usize;
                    continue;
                }
                // A dead end: no path on from here in this phase.
                if v == source {
                    break;
                }
                level[v] = 0;
                let back = path
                    .pop()
                    .expect("a node other than the source has an arc in");
                v = path
                    .last()
                    .map_or(source, |a| self.to[*a as usize] as usize);
                // The arc into the dead end leads nowhere now.
                current[v] = self.next[back as usize];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use petgraph::graph::DiGraph;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// The flow is as large as petgraph's, and the cut it reports as small; and a flow
    /// found over part of the network, then augmented over its residual network with
    /// the rest, comes to the same maximum.
    #[test]
    fn the_maximum_is_petgraphs_from_nothing_or_from_a_flow() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for case in 0..300 {
            let n = rng.random_range(2..40);
            let m = rng.random_range(0..n * 4);
            let arcs: Vec<(usize, usize, u64)> = (0..m)
                .map(|_| {
                    (
                        rng.random_range(0..n),
                        rng.random_range(0..n),
                        rng.random_range(0..20),
                    )
                })
                .collect();
            let (s, t) = (0, n - 1);
            let mut g: DiGraph<(), u64> = DiGraph::new();
            let nodes: Vec<_> = (0..n).map(|_| g.add_node(())).collect();
            for (a, b, c) in &arcs {
                g.add_edge(nodes[*a], nodes[*b], *c);
            }
            let expected = petgraph::algo::dinics(&g, nodes[s], nodes[t]).0;
            // From nothing.
            let mut r = Residual::new(n);
            let ids: Vec<usize> = arcs.iter().map(|(a, b, c)| r.add(*a, *b, *c, 0)).collect();
            let (sent, side) = r.augment(s, t);
            assert_eq!(sent, expected, "case {case}");
            assert!(side[s] && (s == t || !side[t]));
            let cut: u64 = arcs
                .iter()
                .filter(|(a, b, _)| side[*a] && !side[*b])
                .map(|(_, _, c)| c)
                .sum();
            assert_eq!(cut, expected, "case {case}: the cut is a minimum");
            // Each arc carries at most its capacity.
            for (k, (_, _, c)) in arcs.iter().enumerate() {
                assert!(r.room(ids[k]) <= *c);
            }
            // From the flow over half the arcs, with the rest added: the same maximum.
            let mut first = Residual::new(n);
            let half: Vec<usize> = arcs
                .iter()
                .map(|(a, b, c)| first.add(*a, *b, if rng.random() { *c } else { 0 }, 0))
                .collect();
            let (part, _) = first.augment(s, t);
            let mut again = Residual::new(n);
            for (k, (a, b, c)) in arcs.iter().enumerate() {
                let carried = first.room(half[k] ^ 1);
                again.add(*a, *b, c - carried, carried);
            }
            let (more, _) = again.augment(s, t);
            assert_eq!(part + more, expected, "case {case}, in two steps");
        }
    }
}
