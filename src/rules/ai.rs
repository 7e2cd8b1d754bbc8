//! The AI that gives a side its orders in its phase: withdrawing groupings fall back along
//! safe paths; in `plan` mode groupings advance along the scenario's axes from their dates;
//! in `ai` mode units make for the nearest objective their side does not hold. Then every
//! hex of enemies next to our units is attacked where the odds are good enough.
//! The AI only issues orders, through [`execute`]: the same checks apply to it as to a
//! player.

use crate::geo::Offset;
use crate::scenario::Scenario;
use crate::scenario::ids::{GroupingId, SideId, UnitId};

use super::combat::{
    attack_strength, can_attack, defence_strength, fires_from_afar, hexes_apart, odds_against,
};
use super::cursor::DayCursor;
use super::events::GameEvent;
use super::execute::{self, Theatre};
use super::orders::Order;
use super::posture::{AttackGoals, odds_needed};
use super::state::{
    Board, Controller, Depots, Forces, HighCommand, JournalMark, Moved, Posture, UnitState,
    UnitStatus, status_at_start,
};
use super::{march, movement, strikes};

/// Odds an advancing unit needs to attack.
pub const ATTACK_ODDS: f64 = 1.5;
/// Odds a holding unit needs to counter-attack.
pub const COUNTER_ODDS: f64 = 3.0;

/// How far, in hexes, a grouping of a defending side in `ai` mode looks for objectives to
/// take back: it pursues what is near, and otherwise holds.
pub const AI_REACH: u32 = 4;

/// A grouping's attack strength over the defence of the enemy holding a point (the units
/// on it and next to it, each in its own hex's terrain, but for those falling back: a
/// retreat is pursued, not waited for), the enemy's as the commander estimates it;
/// infinite where nobody holds it.
pub fn odds_at_point(
    s: &Scenario,
    forces: &Forces,
    command: &HighCommand,
    units: &[&UnitState],
    point: Offset,
    estimate: f64,
) -> f64 {
    let side = units.first().map(|u| u.side);
    let attack: f64 = units.iter().map(|u| attack_strength(s, u)).sum();
    let defence: f64 = s
        .within(point, AXIS_REACHED_WITHIN)
        .flat_map(|h| forces.in_hex(h))
        .filter(|u| Some(u.side) != side && command.withdrawals[u.grouping].is_none())
        .map(|u| defence_strength(s, u) * s.terrain_at(u.hex()).defence)
        .sum::<f64>()
        * estimate;
    if defence > 0.0 {
        attack / defence
    } else {
        f64::INFINITY
    }
}

/// Of `hexes`, those within its side's supply: within the range of a depot serving the
/// side that its trains reach today, in movement points over the ground from the depot
/// (whoever holds the ground between). An offensive culminates where its railheads
/// cannot follow: beyond them a commander pursues no further, until a line repaired
/// brings a depot taken, and its trains, forward.
fn within_supply(
    s: &Scenario,
    board: &Board,
    depots: &Depots,
    side: SideId,
    hexes: Vec<Offset>,
) -> Vec<Offset> {
    if hexes.is_empty() {
        return hexes;
    }
    let fed: Vec<usize> = depots
        .serving(s, side)
        .filter(|d| depots.0[*d].capacity_now > 0.0)
        .collect();
    let Some(range) = fed.iter().map(|d| s.depots[*d].range).max() else {
        return Vec::new();
    };
    let from: Vec<Offset> = fed.iter().map(|d| s.depots[*d].hex).collect();
    // Exact only where asked: the search stops once it has settled those hexes.
    let mut needed = movement::Needed::new(s.terrain.len());
    for h in &hexes {
        needed.insert(s.index(*h));
    }
    let field = movement::distance_field_for(s, board, &from, |_| false, Some(&needed));
    hexes
        .into_iter()
        .filter(|h| field[s.index(*h)] <= range)
        .collect()
}

/// How far, in hexes, a grouping looks for objectives the enemy has left: about two days'
/// march.
pub const EXPLOIT_REACH: u32 = 8;

/// The objectives the enemy has left within [`EXPLOIT_REACH`] of a grouping's units: held by
/// the enemy with troops at the start (a unit on or next to it), held by it still, and no
/// enemy unit on or next to it now. Ground to take for the walking in. (An objective held
/// only by the line of the front, with nobody in it from the start, is the plan's to
/// take, not an opening.)
pub fn abandoned_objectives(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    units: &[&UnitState],
) -> Vec<Offset> {
    let Some(side) = units.first().map(|u| u.side) else {
        return Vec::new();
    };
    // Held by the enemy with nobody on or next to it now, then within reach; the scan of
    // the start's units last, for the few left.
    let left: Vec<Offset> = s
        .objectives
        .iter()
        .map(|o| s.places[o.place].hex)
        .filter(|h| board.control[s.index(*h)].is_some_and(|c| c != side))
        .filter(|h| {
            !s.within(*h, AXIS_REACHED_WITHIN)
                .any(|n| forces.in_hex(n).any(|u| u.side != side))
        })
        .collect();
    if left.is_empty() {
        return left;
    }
    let near = super::ground::Near::units(s, units, EXPLOIT_REACH, left.len());
    left.into_iter()
        .filter(|h| near.contains(s, *h))
        .filter(|h| {
            s.units.iter().any(|u| {
                u.side != side
                    && status_at_start(s, u) == UnitStatus::Active
                    && hexes_apart(u.hex, *h) <= AXIS_REACHED_WITHIN
            })
        })
        .collect()
}

/// Row-major: the hexes within `steps` steps of `units` without crossing a river (bridge
/// or no bridge) or open water. A defending grouping in `ai` mode takes back what it has
/// lost on its own bank: a counter-attack over a river, say into a city it has left for
/// the far bank, is an operation of its own, for a plan to order.
fn own_bank(s: &Scenario, units: &[&UnitState], steps: u32) -> Vec<bool> {
    let mut seen = vec![false; s.terrain.len()];
    let mut queue: std::collections::VecDeque<(usize, u32)> = std::collections::VecDeque::new();
    for u in units {
        let i = s.index(u.hex());
        if !seen[i] {
            seen[i] = true;
            queue.push_back((i, 0));
        }
    }
    while let Some((at, d)) = queue.pop_front() {
        if d == steps {
            continue;
        }
        for hs in &s.hex_sides[at] {
            if hs.to == crate::scenario::model::HexSide::OFF_MAP
                || hs.river != crate::scenario::model::HexSide::NONE
            {
                continue;
            }
            let to = hs.to as usize;
            if !seen[to] {
                seen[to] = true;
                queue.push_back((to, d + 1));
            }
        }
    }
    seen
}

/// What a grouping would go for if it attacked. Under `plan`: the next point of its axis,
/// unless the enemy holds it too strongly for the odds its side needs (`estimate` scales
/// the enemy's strength, the commander's error), when it shifts to the weakest-held point
/// of its axis beyond that it is strong enough for, or else waits; past the end of the axis
/// the enemy's depots and the objectives the enemy holds (it pursues, toward the enemy's
/// supply), or nothing if the step ends in `Hold`; and whatever its plan, the objectives
/// the enemy has left within reach ([`abandoned_objectives`]). Under `ai`, the objectives
/// its side does not hold within reach of its units ([`AI_REACH`]).
pub fn attack_goals(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    depots: &Depots,
    command: &HighCommand,
    g: GroupingId,
    estimate: f64,
) -> AttackGoals {
    let side = s.grouping(g).side;
    let held = |h: Offset| board.control[s.index(h)] == Some(side);
    let enemy_objectives = || {
        s.objectives
            .iter()
            .map(|o| s.places[o.place].hex)
            .filter(|h| !held(*h))
    };
    match command.controllers[side] {
        Controller::Plan => {
            let units = super::posture::units_of(forces, g);
            let mut goals = AttackGoals::default();
            if let Some((step, done)) = command.progress[g] {
                let plan = &s.plans[step];
                match plan.axis.get(done) {
                    Some(next) => {
                        let needed = odds_needed(s, side);
                        let odds =
                            |p: Offset| odds_at_point(s, forces, command, &units, p, estimate);
                        let here = odds(*next);
                        if here >= needed {
                            goals.hexes.push(*next);
                        } else {
                            // The points beyond that it is strong enough for, the
                            // weakest held first (the nearest of equals).
                            let beyond = plan.axis[done + 1..]
                                .iter()
                                .filter(|p| !held(**p))
                                .map(|p| (odds(*p), *p))
                                .filter(|(o, _)| *o >= needed)
                                .max_by(|a, b| a.0.total_cmp(&b.0));
                            match beyond {
                                Some((_, p)) => goals.hexes.push(p),
                                None => goals.waits = Some((here, needed)),
                            }
                        }
                    }
                    None if plan.then == crate::scenario::raw::AxisEnd::Hold => {}
                    None => {
                        let pursuit: Vec<Offset> = s
                            .depots
                            .iter()
                            // Depots change hands with their hex: the ones it does not hold.
                            .filter(|d| !held(d.hex))
                            .map(|d| d.hex)
                            .chain(enemy_objectives())
                            .collect();
                        goals
                            .hexes
                            .extend(within_supply(s, board, depots, side, pursuit));
                    }
                }
            }
            let left = abandoned_objectives(s, board, forces, &units);
            for h in within_supply(s, board, depots, side, left) {
                if !goals.hexes.contains(&h) {
                    goals.hexes.push(h);
                }
            }
            if !goals.hexes.is_empty() {
                goals.waits = None;
            }
            goals
        }
        Controller::Ai => {
            let units = super::posture::units_of(forces, g);
            // A hex within reach lies within as many columns and rows of a unit (a step
            // moves at most one of each): the objectives outside that box are not asked.
            let r = AI_REACH as i32;
            let (mut low, mut high) = ((i32::MAX, i32::MAX), (i32::MIN, i32::MIN));
            for u in &units {
                let h = u.hex();
                low = (low.0.min(h.col - r), low.1.min(h.row - r));
                high = (high.0.max(h.col + r), high.1.max(h.row + r));
            }
            let wanted: Vec<Offset> = enemy_objectives()
                .filter(|h| (low.0..=high.0).contains(&h.col) && (low.1..=high.1).contains(&h.row))
                .collect();
            if wanted.is_empty() {
                return AttackGoals::default();
            }
            let bank = own_bank(s, &units, AI_REACH);
            AttackGoals {
                hexes: wanted.into_iter().filter(|h| bank[s.index(*h)]).collect(),
                waits: None,
            }
        }
        Controller::Idle | Controller::Human => AttackGoals::default(),
    }
}

/// The hexes each grouping of `side` is making for today, by its posture: its objectives
/// when it attacks, its fallback line when it withdraws, its fallback line (or else its
/// side's depots) for the units in contact when it delays, nothing when it holds.
pub fn goals(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    depots: &Depots,
    command: &HighCommand,
    side: SideId,
    estimate: impl Fn(GroupingId) -> f64,
) -> Vec<Vec<Offset>> {
    s.grouping_ids()
        .map(|g| {
            let grouping = s.grouping(g);
            if grouping.side != side {
                return Vec::new();
            }
            match command.posture[g] {
                Posture::Withdraw => grouping.line(command.line[g]).to_vec(),
                Posture::Attack => {
                    attack_goals(s, board, forces, depots, command, g, estimate(g)).hexes
                }
                Posture::Delay if !grouping.fallback.is_empty() => grouping.fallback.clone(),
                Posture::Delay => s
                    .depots
                    .iter()
                    .filter(|d| board.control[s.index(d.hex)] == Some(side))
                    .map(|d| d.hex)
                    .collect(),
                Posture::Hold => Vec::new(),
            }
        })
        .collect()
}

/// The hexes the AI keeps garrisoned: every objective and every city.
pub fn garrison_hexes(s: &Scenario) -> Vec<Offset> {
    let mut hexes: Vec<Offset> = s
        .objectives
        .iter()
        .map(|o| s.places[o.place].hex)
        .chain(
            s.places
                .iter()
                .filter(|p| p.size == crate::scenario::raw::PlaceSize::City)
                .map(|p| p.hex),
        )
        .collect();
    hexes.sort();
    hexes.dedup();
    hexes
}

/// Whether a unit is part of a garrison its side keeps: it stands on an objective or a
/// city its side held at the start and holds now, among the first `garrison_units` of its
/// side's units there. (Places taken on the way are not garrisoned: an advance does not
/// leave its strength behind in every town it passes.)
pub fn in_garrison(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    garrisons: &[Offset],
    u: &UnitState,
) -> bool {
    in_garrison_among(s, board, garrisons, u, forces.in_hex(u.hex()))
}

/// [`in_garrison`], given the units in the unit's hex.
fn in_garrison_among<'a>(
    s: &Scenario,
    board: &Board,
    garrisons: &[Offset],
    u: &UnitState,
    in_hex: impl Iterator<Item = &'a UnitState>,
) -> bool {
    if garrisons.binary_search(&u.hex()).is_err()
        || board.control[s.index(u.hex())] != Some(u.side)
        || s.control_at(u.hex()) != Some(u.side)
    {
        return false;
    }
    let rank = in_hex.filter(|o| o.side == u.side && o.id < u.id).count();
    (rank as u32) < s.rules.garrison_units
}

/// How near, in hexes, one of a grouping's units must come to a point of its axis for the
/// grouping to have passed it.
pub const AXIS_REACHED_WITHIN: u32 = 1;

/// Brings each grouping's plan up to date: the step in force today, and how far along its
/// axis the grouping has come. A point is passed when its side holds it and one of the
/// grouping's units stands within [`AXIS_REACHED_WITHIN`] hexes of it: ground its side has
/// claimed from afar does not move the grouping on, so it goes to the places of its axis.
/// A point once passed stays behind the grouping even if the enemy retakes it: an axis of
/// advance does not turn back.
pub fn advance_plans(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    command: &mut HighCommand,
    clock: &DayCursor,
    side: SideId,
) {
    for g in s.grouping_ids() {
        if s.groupings[g].side != side {
            continue;
        }
        let step = s
            .plans
            .iter()
            .enumerate()
            .filter(|(_, p)| p.grouping == g && p.from <= clock.date)
            .map(|(i, _)| i)
            .next_back();
        let Some(step) = step else { continue };
        let mut done = match command.progress[g] {
            Some((st, d)) if st == step => d,
            _ => 0,
        };
        let axis = &s.plans[step].axis;
        let reached = |at: Offset| {
            let hex = crate::geo::offset_to_hex(at);
            board.control[s.index(at)] == Some(side)
                && forces.units.iter().any(|u| {
                    u.active()
                        && u.grouping == g
                        && crate::geo::offset_to_hex(u.hex()).unsigned_distance_to(hex)
                            <= AXIS_REACHED_WITHIN
                })
        };
        while done < axis.len() && reached(axis[done]) {
            done += 1;
        }
        command.progress[g] = Some((step, done));
    }
}

/// The first attack worth making now (by target hex, in order), checked again before it
/// is applied: the AI makes one, then looks again. Units of groupings that attack need
/// `ATTACK_ODDS`; of groupings that hold, `COUNTER_ODDS`; groupings that delay or withdraw
/// do not attack, nor do garrisons (the [`garrison_hexes`]).
///
/// Looks at every target; [`Attacks`] finds the same attacks one after another, looking
/// again only near what each attack changed.
pub fn first_attack(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    command: &HighCommand,
    side: SideId,
    garrisons: &[Offset],
) -> Option<Order> {
    let by_hex = ByHex::new(forces);
    let c = AttackContext {
        s,
        board,
        forces,
        command,
        side,
        garrisons,
    };
    by_hex
        .targets(forces, side, None)
        .find_map(|t| c.attack_on(&by_hex, t))
}

/// Every unit on the map by hex, in the scenario's order within a hex: the units in a hex
/// are found by a look-up.
#[derive(Debug, Clone)]
struct ByHex(Vec<(Offset, UnitId)>);

impl ByHex {
    fn new(forces: &Forces) -> Self {
        let mut by_hex: Vec<(Offset, UnitId)> = forces
            .units
            .iter()
            .filter(|u| u.active())
            .map(|u| (u.hex(), u.id))
            .collect();
        by_hex.sort_unstable();
        ByHex(by_hex)
    }

    fn in_hex<'f>(&'f self, forces: &'f Forces, h: Offset) -> impl Iterator<Item = &'f UnitState> {
        let from = self.0.partition_point(|(o, _)| *o < h);
        self.0[from..]
            .iter()
            .take_while(move |(o, _)| *o == h)
            .map(|(_, id)| &forces.units[*id])
    }

    /// The hexes holding units of a side other than `side`, in order, from `from` on.
    fn targets<'f>(
        &'f self,
        forces: &'f Forces,
        side: SideId,
        from: Option<Offset>,
    ) -> impl Iterator<Item = Offset> + 'f {
        let start = from.map_or(0, |h| self.0.partition_point(|(o, _)| *o < h));
        let mut last = None;
        self.0[start..]
            .iter()
            .filter(move |(h, id)| {
                let new = forces.units[*id].side != side && last != Some(*h);
                if new {
                    last = Some(*h);
                }
                new
            })
            .map(|(h, _)| *h)
    }

    /// Brings the look-up up to date with a unit's move.
    fn moved(&mut self, m: &Moved) {
        if let Some(was) = m.was
            && let Ok(k) = self.0.binary_search(&(was, m.unit))
        {
            self.0.remove(k);
        }
        if let Some(is) = m.is {
            let k = self.0.partition_point(|x| *x < (is, m.unit));
            self.0.insert(k, (is, m.unit));
        }
    }
}

/// What deciding an attack reads.
struct AttackContext<'a> {
    s: &'a Scenario,
    board: &'a Board,
    forces: &'a Forces,
    command: &'a HighCommand,
    side: SideId,
    garrisons: &'a [Offset],
}

impl AttackContext<'_> {
    /// The attack on the units in `t` worth making, if any. It reads only the units in
    /// `t`, next to it and (guns) within the artillery range of it, and who holds the hexes
    /// next to it.
    fn attack_on(&self, by_hex: &ByHex, t: Offset) -> Option<Order> {
        let (s, forces, command, side) = (self.s, self.forces, self.command, self.side);
        let mut attackers: Vec<UnitId> = s
            .within(t, s.rules.artillery_range.max(1))
            .filter(|n| *n != t)
            .flat_map(|n| by_hex.in_hex(forces, n))
            .filter(|u| {
                u.side == side
                    && can_attack(s, u, side, t)
                    && matches!(command.posture[u.grouping], Posture::Attack | Posture::Hold)
                    && command.withdrawals[u.grouping].is_none()
                    && !in_garrison_among(
                        s,
                        self.board,
                        self.garrisons,
                        u,
                        by_hex.in_hex(forces, u.hex()),
                    )
            })
            .map(|u| u.id)
            .collect();
        // In the scenario's order of units.
        attackers.sort_unstable();
        // Guns firing from afar support an assault; they do not make one.
        if attackers
            .iter()
            .all(|a| fires_from_afar(s, &forces.units[*a], t))
        {
            return None;
        }
        let advancing = attackers
            .iter()
            .any(|a| command.posture[forces.units[*a].grouping] == Posture::Attack);
        let need = if advancing { ATTACK_ODDS } else { COUNTER_ODDS };
        (odds_against(s, forces, &attackers, t, by_hex.in_hex(forces, t)).ratio() >= need)
            .then_some(Order::Attack {
                attackers,
                target: t,
            })
    }
}

/// The attacks of one side's phase, found one at a time as [`first_attack`] finds them,
/// for a loop that applies each attack found (and nothing else) before asking for the
/// next. An attack changes only the units in its target and next to it, those it moves,
/// and guns it spends (which makes no other attack more worth making); so the targets
/// before the last one found, which were not worth attacking, are looked at again only
/// where they are next to such a change, or within the guns' range of it.
#[derive(Debug)]
pub struct Attacks {
    side: SideId,
    by_hex: ByHex,
    /// Where the forces' journal stood at the last look.
    mark: JournalMark,
    /// Every target before this hex was not worth attacking, but for those in `again`.
    cursor: Option<Offset>,
    /// Targets before the cursor to look at again.
    again: std::collections::BTreeSet<Offset>,
    /// The hexes of the last attack found: its target and its attackers' hexes.
    last: Vec<Offset>,
}

impl Attacks {
    /// The attacks of `side` as the forces stand.
    pub fn new(forces: &Forces, side: SideId) -> Self {
        Attacks {
            side,
            by_hex: ByHex::new(forces),
            mark: forces.mark(),
            cursor: None,
            again: std::collections::BTreeSet::new(),
            last: Vec::new(),
        }
    }

    /// The first attack worth making now (see [`first_attack`]).
    pub fn next(
        &mut self,
        s: &Scenario,
        board: &Board,
        forces: &Forces,
        command: &HighCommand,
        garrisons: &[Offset],
    ) -> Option<Order> {
        // What changed since the last look: the last attack's hexes, and the moves.
        let mut changed = std::mem::take(&mut self.last);
        match forces.moves_since(self.mark) {
            Some(moves) => {
                for m in moves {
                    self.by_hex.moved(m);
                    changed.extend(m.was);
                    changed.extend(m.is);
                }
            }
            None => {
                // Another forces: look at everything again.
                *self = Attacks::new(forces, self.side);
            }
        }
        self.mark = forces.mark();
        if let Some(cursor) = self.cursor {
            // Where an attack could now be made: next to a change, or within the guns'
            // range of one.
            let reach = s.rules.artillery_range.max(1);
            for h in changed {
                for n in s.within(h, reach) {
                    if n < cursor {
                        self.again.insert(n);
                    }
                }
            }
        }
        let c = AttackContext {
            s,
            board,
            forces,
            command,
            side: self.side,
            garrisons,
        };
        let targets = &self.by_hex;
        let is_target = |h: Offset| targets.in_hex(forces, h).any(|u| u.side != c.side);
        let mut found = None;
        while let Some(h) = self.again.pop_first() {
            if is_target(h)
                && let Some(order) = c.attack_on(targets, h)
            {
                found = Some(order);
                break;
            }
        }
        if found.is_none() {
            for t in targets.targets(forces, c.side, self.cursor) {
                self.cursor = Some(t);
                if let Some(order) = c.attack_on(targets, t) {
                    found = Some(order);
                    break;
                }
            }
            if found.is_none() {
                // Past every target.
                self.cursor = Some(Offset {
                    col: i32::MAX,
                    row: i32::MAX,
                });
            }
        }
        if let Some(Order::Attack { attackers, target }) = &found {
            self.last = std::iter::once(*target)
                .chain(attackers.iter().map(|a| forces.units[*a].hex()))
                .collect();
        }
        debug_assert_eq!(
            found,
            first_attack(s, board, forces, command, self.side, garrisons),
            "the attacks found one after another are those found afresh"
        );
        found
    }
}

/// A unit of a delaying grouping out of contact: it stays where it is today.
fn delays_out_of_contact(
    s: &Scenario,
    command: &HighCommand,
    enemy_zoc: &[bool],
    u: &UnitState,
) -> bool {
    command.posture[u.grouping] == Posture::Delay && !enemy_zoc[s.index(u.hex())]
}

/// The side's strikes of the day, before its moves: each of its strike assets, while it
/// has strikes left, at the enemy target in its range whose loss takes the most from the
/// enemy's supply ([`strikes::strike_estimate`]; re-striking what is being repaired when that
/// is worth most), one strike at a time (each result counts for the next); none at a
/// target worth nothing.
fn strike(s: &Scenario, world: &mut Theatre, side: SideId, events: &mut Vec<GameEvent>) {
    for (k, a) in s.strike_assets.iter().enumerate() {
        if a.side != side {
            continue;
        }
        while world
            .board
            .strikes_used
            .get(k)
            .is_some_and(|u| *u < a.per_day)
        {
            let options =
                strikes::strike_options(s, world.board, world.forces, world.depots, side, k);
            let Some((target, _)) = options.into_iter().find(|(_, e)| e.value() > 0.0) else {
                break;
            };
            let order = Order::Strike { assets: k, target };
            if execute::issue(s, world, side, order, events).is_err() {
                break;
            }
        }
    }
}

/// What a grouping's distance field is toward: its goals (sorted) and whether it keeps off
/// enemy ground.
type FieldKey = (Vec<Offset>, bool);

/// The AI's orders for `side` in its phase: moves, unit by unit in the scenario's order,
/// toward each grouping's goals (back to its line when it withdraws), then attacks, one at
/// a time, each chosen as the last one left things. Every order goes through
/// [`execute::issue`], checked as a player's is.
pub fn run(s: &Scenario, world: &mut Theatre, side: SideId, events: &mut Vec<GameEvent>) {
    strike(s, world, side, events);
    let estimate = |g| super::posture::estimate(world.dice, world.turn, g, s.rules.intel_error);
    let goals = goals(
        s,
        world.board,
        world.forces,
        world.depots,
        world.command,
        side,
        estimate,
    );
    let garrisons = garrison_hexes(s);
    // The enemy does not move in this side's phase: where its zones of control lie is
    // known once for every move.
    let enemy_zoc = movement::Threats::for_side(s, world.forces, side).enemy_zoc;
    // Moves, unit by unit in the scenario's order. Groupings making for the same hexes
    // (pursuers after the enemy's depots, say) share one field, exact where their units
    // that have yet to move could go.
    let keys: Vec<Option<FieldKey>> = goals
        .iter()
        .enumerate()
        .map(|(g, hexes)| {
            (!hexes.is_empty()).then(|| {
                let mut sorted = hexes.clone();
                sorted.sort_unstable();
                sorted.dedup();
                (sorted, world.command.withdrawals[g].is_some())
            })
        })
        .collect();
    let mut made: Vec<(FieldKey, std::rc::Rc<Vec<u32>>)> = Vec::new();
    let mut fields: Vec<Option<std::rc::Rc<Vec<u32>>>> = vec![None; keys.len()];
    for (g, key) in keys.iter().enumerate() {
        let Some(key) = key else { continue };
        if let Some((_, field)) = made.iter().find(|(k, _)| k == key) {
            fields[g] = Some(field.clone());
            continue;
        }
        // The units that will read it (the enemy's zones of control do not change in this
        // phase, so those staying out of contact are known now).
        let readers: Vec<UnitId> = world
            .forces
            .units
            .iter()
            .filter(|u| {
                u.active()
                    && u.side == side
                    && !u.moved
                    && !u.attacked
                    && keys[u.grouping.0].as_ref() == Some(key)
                    && !delays_out_of_contact(s, world.command, &enemy_zoc, u)
            })
            .map(|u| u.id)
            .collect();
        if readers.is_empty() {
            // Nobody reads it.
            continue;
        }
        let field = std::rc::Rc::new(march::goal_field(
            s,
            world.board,
            world.forces,
            &key.0,
            side,
            key.1,
            Some(&readers),
        ));
        made.push((key.clone(), field.clone()));
        fields[g] = Some(field);
    }
    // A grouping falling back moves its units out of contact first: those in contact are
    // its rearguard, holding the enemy off while the rest get away (and over crossings
    // that take so many units a day), and go last.
    let mut order: Vec<UnitId> = (0..world.forces.units.len()).map(UnitId).collect();
    order.sort_by_key(|id| {
        let u = &world.forces.units[*id];
        u.active() && world.command.withdrawals[u.grouping].is_some() && enemy_zoc[s.index(u.hex())]
    });
    for id in order {
        let u = &world.forces.units[id];
        if !u.active() || u.side != side || u.moved || u.attacked {
            continue;
        }
        let withdrawing = world.command.withdrawals[u.grouping].is_some();
        let Some(field) = &fields[u.grouping] else {
            continue;
        };
        // A garrison stays (unless its grouping falls back); a delaying grouping gives
        // ground only where it is in contact.
        if !withdrawing && in_garrison(s, world.board, world.forces, &garrisons, u) {
            continue;
        }
        if delays_out_of_contact(s, world.command, &enemy_zoc, u) {
            continue;
        }
        let cut_off = withdrawing && field[s.index(u.hex())] == u32::MAX;
        let reach = (!cut_off).then(|| march::unit_reach(s, world.board, world.forces, id));
        let to = reach
            .as_ref()
            .and_then(|r| march::best_move_in(s, world.forces, id, field, withdrawing, r));
        match to {
            Some(to) => {
                let order = Order::Move { unit: id, to };
                let _ = execute::issue_move_in(s, world, side, order, reach.as_ref(), events);
            }
            // A withdrawing unit that cannot move holds, leaving what it cannot take.
            None if withdrawing => {
                let _ = execute::issue(s, world, side, Order::Hold { unit: id }, events);
            }
            None => {}
        }
    }
    // (Let go, so that the counts of where the enemy stands are brought up to date in
    // place as attacks move it.)
    drop(enemy_zoc);
    // Then attacks, one at a time, each chosen as the last one left things.
    let mut attacks = Attacks::new(world.forces, side);
    while let Some(order) = attacks.next(s, world.board, world.forces, world.command, &garrisons) {
        if execute::issue(s, world, side, order, events).is_err() {
            break;
        }
    }
}
