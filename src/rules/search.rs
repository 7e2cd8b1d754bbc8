//! The working memory of the rules' searches (a depot's reach, a unit's reach, distance
//! fields): a distance and a previous hex per hex, flat and indexed by the hex's row-major
//! index, and a priority queue, kept per thread and reused from one search to the next, so
//! that a search costs what it visits rather than the size of the map.

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A Dijkstra search's distances, previous hexes and queue.
#[derive(Default)]
pub struct Scratch {
    dist: Vec<u32>,
    prev: Vec<u32>,
    touched: Vec<usize>,
    /// (distance, tie-break key, hex): equal distances leave in the order of their keys.
    heap: BinaryHeap<Reverse<(u32, u32, u32)>>,
    /// Instead of the heap, for searches that need only distances (not which of two
    /// equal ways was found first): a ring of buckets by distance, one per distance from
    /// the nearest unsettled to the farthest a single step can add (Dial's algorithm).
    /// Kept allocated between searches; the first `ring` are in use (none: the heap).
    buckets: Vec<Vec<u32>>,
    ring: usize,
    /// The distance of the bucket the search is at, and how many hexes wait in the ring.
    at: u32,
    waiting: usize,
    /// For [`Scratch::flood`]: the flood that last marked each hex (0: none yet), the
    /// last flood's id, its stack and the hexes it marked.
    flood_marks: Vec<u32>,
    flood_id: u32,
    flood_stack: Vec<u32>,
    flood_region: Vec<u32>,
}

/// How a [`Scratch::flood`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flood {
    /// It came to a hex the search has reached.
    Joins,
    /// It marked every hex it could come to, none of them reached by the search: they
    /// are a pocket the search cannot reach ([`Scratch::flood_region`]).
    Sealed,
    /// It marked as many hexes as it was allowed to without coming to either end.
    TooBig,
}

impl Scratch {
    /// Every hex unreached, on a map of `n` hexes; with `ring` buckets for distances
    /// (a power of two above the longest step), or the heap when 0.
    fn reset(&mut self, n: usize, ring: usize) {
        // A search empties the buckets it used as it goes; one cut short may leave some.
        for b in &mut self.buckets[..self.ring] {
            b.clear();
        }
        if self.buckets.len() < ring {
            self.buckets.resize_with(ring, Vec::new);
        }
        self.ring = ring;
        self.at = 0;
        self.waiting = 0;
        if self.dist.len() == n {
            for i in self.touched.drain(..) {
                self.dist[i] = u32::MAX;
            }
        } else {
            self.dist.clear();
            self.dist.resize(n, u32::MAX);
            self.prev.clear();
            self.prev.resize(n, u32::MAX);
            self.touched.clear();
        }
        self.heap.clear();
        if self.flood_id > u32::MAX / 2 {
            self.flood_marks.fill(0);
            self.flood_id = 0;
        }
    }

    /// The distance found so far to hex `i` (`u32::MAX`: none).
    pub fn dist(&self, i: usize) -> u32 {
        self.dist[i]
    }

    /// The hex the best way to `i` came from (meaningful once `i` is reached, in a search
    /// with the heap: [`with_scratch`]; a ring of buckets keeps distances alone).
    pub fn prev(&self, i: usize) -> usize {
        self.prev[i] as usize
    }

    /// A new flood id over a map of `n` hexes: no hex is marked by it yet.
    fn new_flood(&mut self, n: usize) -> u32 {
        // (Ids only grow within a search: `reset` starts them again long before they run
        // out.)
        if self.flood_marks.len() != n {
            self.flood_marks.clear();
            self.flood_marks.resize(n, 0);
            self.flood_id = 0;
        }
        self.flood_id += 1;
        self.flood_id
    }

    /// The flood that last marked hex `i` (0: none).
    pub fn flood_mark(&self, i: usize) -> u32 {
        self.flood_marks.get(i).copied().unwrap_or(0)
    }

    /// Marks, from hex `start` (not yet reached by the search), the hexes `steps` lead
    /// to that are `open`, until it comes to a hex this search has reached (whatever
    /// `open` says of it), or has marked them all, or has marked `budget`. Connectivity
    /// without distances: for a search whose steps go both ways, a flood that marks every
    /// hex it can come to and never meets the search has found hexes the search will
    /// never reach. Returns how it ended, and the flood's id ([`Scratch::flood_mark`]).
    pub fn flood<I: Iterator<Item = usize>>(
        &mut self,
        start: usize,
        budget: usize,
        open: impl Fn(usize) -> bool,
        steps: impl Fn(usize) -> I,
    ) -> (Flood, u32) {
        let id = self.new_flood(self.dist.len());
        self.flood_stack.clear();
        self.flood_region.clear();
        self.flood_marks[start] = id;
        self.flood_stack.push(start as u32);
        self.flood_region.push(start as u32);
        while let Some(at) = self.flood_stack.pop() {
            for j in steps(at as usize) {
                if self.dist[j] != u32::MAX {
                    return (Flood::Joins, id);
                }
                if self.flood_marks[j] == id || !open(j) {
                    continue;
                }
                if self.flood_region.len() >= budget {
                    return (Flood::TooBig, id);
                }
                self.flood_marks[j] = id;
                self.flood_stack.push(j as u32);
                self.flood_region.push(j as u32);
            }
        }
        (Flood::Sealed, id)
    }

    /// The hexes the last flood marked.
    pub fn flood_region(&self) -> &[u32] {
        &self.flood_region
    }

    /// The hexes reached, in the order first reached.
    pub fn touched(&self) -> &[usize] {
        &self.touched
    }

    /// Records a way to hex `i` at distance `d`, from hex `from`, if it is shorter than
    /// any found before; `key` orders hexes of equal distance in the queue (the lower
    /// first). Returns whether it was shorter. Inlined: the searches call it for every
    /// side of every hex they settle.
    // Measured: with several searches calling it the compiler stops inlining a plain
    // `#[inline]`, which costs a tenth of a game's instructions.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub fn improve(&mut self, i: usize, d: u32, from: usize, key: u32) -> bool {
        if self.ring > 0 {
            // By distance alone: the order is the distance.
            return self.improve_ordered(i, d, d);
        }
        if d >= self.dist[i] {
            return false;
        }
        if self.dist[i] == u32::MAX {
            self.touched.push(i);
        }
        self.dist[i] = d;
        self.prev[i] = from as u32;
        self.heap.push(Reverse((d, key, i as u32)));
        true
    }

    /// For a search ordered by distance plus a lower bound of the distance still to go
    /// (A*, with a bound that grows by no more than a step costs): records a way to hex
    /// `i` at distance `d`, to be settled in the order of `order` (`d` plus the bound),
    /// if it is shorter than any found before; returns whether it was. The ring's buckets
    /// are by `order`, and it is kept in place of the previous hex (a search by order
    /// finds distances alone).
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub fn improve_ordered(&mut self, i: usize, d: u32, order: u32) -> bool {
        if d >= self.dist[i] {
            return false;
        }
        if self.dist[i] == u32::MAX {
            self.touched.push(i);
        }
        self.dist[i] = d;
        self.prev[i] = order;
        self.buckets[order as usize & (self.ring - 1)].push(i as u32);
        self.waiting += 1;
        true
    }

    /// For a search by [`Scratch::improve_ordered`] (or [`Scratch::improve`] with a ring):
    /// the hex of lowest order not yet settled, with its distance.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub fn pop_ordered(&mut self) -> Option<(u32, usize)> {
        while self.waiting > 0 {
            let bucket = self.at as usize & (self.ring - 1);
            while let Some(i) = self.buckets[bucket].pop() {
                self.waiting -= 1;
                // Stale: a shorter way to it was found since (it waits at a lower order).
                if self.prev[i as usize] == self.at {
                    return Some((self.dist[i as usize], i as usize));
                }
            }
            self.at += 1;
        }
        None
    }

    /// The nearest hex not yet settled, with its distance.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub fn pop(&mut self) -> Option<(u32, usize)> {
        if self.ring > 0 {
            return self.pop_ordered();
        }
        while let Some(Reverse((d, _, i))) = self.heap.pop() {
            // An entry above the hex's distance is stale: a shorter way was found since.
            if d == self.dist[i as usize] {
                return Some((d, i as usize));
            }
        }
        None
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs `f` with this thread's scratch, emptied for a map of `n` hexes, its queue a heap
/// that settles hexes of equal distance in the order of their keys. Searches do not
/// nest: `f` must not start another.
pub fn with_scratch<T>(n: usize, f: impl FnOnce(&mut Scratch) -> T) -> T {
    SCRATCH.with_borrow_mut(|sc| {
        sc.reset(n, 0);
        f(sc)
    })
}

/// Runs `f` with this thread's scratch, emptied for a map of `n` hexes, its queue a ring
/// of buckets for steps of at most `longest_step`: faster, for searches whose result is
/// the distances alone (hexes of equal distance settle in no particular order).
pub fn with_distances<T>(n: usize, longest_step: u32, f: impl FnOnce(&mut Scratch) -> T) -> T {
    SCRATCH.with_borrow_mut(|sc| {
        sc.reset(n, (longest_step as usize + 1).next_power_of_two());
        f(sc)
    })
}
