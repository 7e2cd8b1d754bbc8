//! Marching toward a goal: a distance field over the ground toward a grouping's goals, a
//! unit's reach for the day, the best move along the field, and whether a unit can still
//! reach its fallback line. The AI's moves and a player's grouping ordered back both walk
//! these.

use crate::geo::Offset;
use crate::scenario::Scenario;
use crate::scenario::ids::{SideId, UnitId};

use super::movement::{self, Threats};
use super::state::{Board, Forces};

/// Where a unit can move today, as the rules measure a move ([`movement::reach`] with its
/// full allowance): what [`best_move_in`] chooses from and [`super::check::check_move_in`]
/// checks against, found once for both.
pub fn unit_reach(s: &Scenario, board: &Board, forces: &Forces, unit: UnitId) -> movement::Reach {
    let u = &forces.units[unit];
    let threats = Threats::for_side(s, forces, u.side);
    movement::reach(s, board, &threats, u, movement::allowance(s, u))
}

/// Where a unit should move toward `field` (distance to its goals), choosing from its
/// [`unit_reach`] found already; `None` to stay. With `prefer_safe` (and always for
/// artillery), a hex out of the enemy's zones of control is better than any in them.
pub fn best_move_in(
    s: &Scenario,
    forces: &Forces,
    unit: UnitId,
    field: &[u32],
    prefer_safe: bool,
    reach: &movement::Reach,
) -> Option<Offset> {
    // Artillery keeps out of the enemy's reach.
    let prefer_safe =
        prefer_safe || s.units[unit].kind == crate::scenario::raw::UnitKind::Artillery;
    let u = &forces.units[unit];
    let threats = Threats::for_side(s, forces, u.side);
    let score = |h: Offset| {
        let unsafe_ = prefer_safe && threats.enemy_zoc[s.index(h)];
        (u32::from(unsafe_), field[s.index(h)])
    };
    let here = score(u.hex());
    let best = reach
        .cost
        .iter()
        .filter(|(h, _)| movement::can_end_in(s, &threats, u, **h))
        .map(|(h, (cost, _))| (score(*h), *cost, *h))
        .min()?;
    (best.0 < here && best.2 != u.hex()).then_some(best.2)
}

/// Whether a unit can still reach its grouping's fallback line `line` over hexes its side
/// may cross in a withdrawal (its own ground, no enemy units): where the field toward the
/// line ([`goal_field`] avoiding enemy ground) reaches it. A crossing closed by damage is
/// a way back still, once repaired (a unit waits for it, and is not cut off).
pub fn can_fall_back(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    unit: UnitId,
    line: usize,
) -> bool {
    let repaired;
    let board = if board.crossing_damage.iter().any(Option::is_some) {
        let mut b = board.clone();
        b.crossing_damage.clear();
        repaired = b;
        &repaired
    } else {
        board
    };
    let u = &forces.units[unit];
    let threats = Threats::for_side(s, forces, u.side);
    movement::leads_to(s, board, u.hex(), s.groupings[u.grouping].line(line), |i| {
        threats.enemy_unit[i] || board.control[i].is_some_and(|c| c != u.side)
    })
}

/// The distance field toward a grouping's goals, over hexes not blocked for `side`, as
/// `units` will read it: exact wherever one of them could move today (within its movement
/// over the cheapest steps), and perhaps `u32::MAX` farther out, which none of them reads.
/// `None`: exact everywhere.
pub fn goal_field(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    goals: &[Offset],
    side: SideId,
    avoid_enemy_land: bool,
    units: Option<&[UnitId]>,
) -> Vec<u32> {
    let threats = Threats::for_side(s, forces, side);
    let n = s.terrain.len();
    // Slices taken once: the search reads them for every side of every hex it settles.
    let (enemy_unit, control): (&[bool], &[Option<SideId>]) = (&threats.enemy_unit, &board.control);
    let blocked =
        |i: usize| enemy_unit[i] || (avoid_enemy_land && control[i].is_some_and(|c| c != side));
    let goal_hexes = movement::sorted_indices(s, goals);
    // Where each unit could go today at most: as many hexes from where it stands as its
    // full movement allowance buys at the cheapest step.
    let radius = |id: &UnitId| s.units[*id].movement / s.shortest_step;
    let needed: Option<movement::Needed> = units.and_then(|units| {
        // Not worth marking much more than the whole map.
        let work: u64 = units
            .iter()
            .map(|id| {
                let r = u64::from(radius(id));
                3 * r * (r + 1) + 1
            })
            .sum();
        if work >= 2 * n as u64 {
            return None;
        }
        let mut m = movement::Needed::new(n);
        for id in units {
            for i in super::ground::indices_within(s, forces.units[*id].hex(), radius(id)) {
                // A blocked hex (not a goal) is never reached, so the field is `u32::MAX`
                // there in any case: waiting for it would only make the search cover
                // everything it can reach.
                if !blocked(i) || goal_hexes.binary_search(&i).is_ok() {
                    m.insert(i);
                }
            }
        }
        Some(m)
    });
    movement::distance_field_for(s, board, goals, blocked, needed.as_ref())
}
