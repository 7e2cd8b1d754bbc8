//! Combat: odds of attack over defence, modified by terrain, rivers, supply and readiness;
//! a seeded die on a combat results table; losses in strength and equipment; retreats, and
//! surrender for defenders who cannot retreat.

use crate::scenario::ids::{SideId, UnitId};
use std::collections::BTreeMap;

use rand::Rng;

use crate::geo::Offset;
use crate::scenario::Scenario;
use crate::scenario::model::edge_key;
use crate::scenario::raw::{COMBAT_COLUMNS, UnitKind};

use super::events::{GameEvent, Loss};
use super::movement::Threats;
use super::state::{Board, Cache, Forces, SupplyLevel, UnitState, UnitStatus};

fn supply_factor(level: SupplyLevel) -> f64 {
    match level {
        SupplyLevel::Supplied => 1.0,
        SupplyLevel::Short => 0.75,
        SupplyLevel::OutOfSupply => 0.5,
    }
}

fn readiness_factor(r: f64) -> f64 {
    0.5 + 0.5 * r
}

/// A unit is lost (destroyed or surrendered): the event, and what equipment it still had
/// left in its hex, for the enemy to capture with the hex.
pub fn lose(
    board: &mut Board,
    forces: &mut Forces,
    unit: UnitId,
    cause: Loss,
    events: &mut Vec<GameEvent>,
) {
    forces.set_status(unit, UnitStatus::Destroyed);
    let u = &mut forces.units[unit];
    let items: BTreeMap<String, u32> = std::mem::take(&mut u.equipment)
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect();
    events.push(GameEvent::UnitDestroyed { unit: u.id, cause });
    if !items.is_empty() {
        board.caches.push(Cache {
            hex: u.hex(),
            side: u.side,
            unit: u.id,
            items,
        });
    }
}

/// A unit's attack strength as it stands.
pub fn attack_strength(s: &Scenario, u: &UnitState) -> f64 {
    contribution(u, s.units[u.id].attack).total
}

/// A unit's defence strength as it stands, before terrain.
pub fn defence_strength(s: &Scenario, u: &UnitState) -> f64 {
    contribution(u, s.units[u.id].defence).total
}

/// Whether a unit can join an attack on `target` now: on the map, of `side`, next to the
/// target (or artillery within range of it), not routed, and not yet attacked today.
/// (Orders are still checked in full.)
pub fn can_attack(s: &Scenario, u: &UnitState, side: SideId, target: Offset) -> bool {
    u.active()
        && u.side == side
        && !u.attacked
        && u.readiness >= s.rules.routed_readiness
        && (s.neighbours(u.hex()).any(|n| n == target) || fires_from_afar(s, u, target))
}

pub use crate::geo::hexes_apart;

/// Whether the unit would join an attack on `target` as artillery firing from beyond the
/// hexes next to it, within the scenario's `artillery_range`: it adds its attack, takes no
/// losses and does not move in.
pub fn fires_from_afar(s: &Scenario, u: &UnitState, target: Offset) -> bool {
    s.units[u.id].kind == UnitKind::Artillery && {
        let d = hexes_apart(u.hex(), target);
        d > 1 && d <= s.rules.artillery_range
    }
}

/// Attack over defence for attackers (by id) against a hex, with the modifiers explained.
#[derive(Debug, Clone, PartialEq)]
pub struct Odds {
    /// Total attack.
    pub attack: f64,
    /// Total defence, after terrain and river.
    pub defence: f64,
    /// Terrain multiplier applied to the defence.
    pub terrain: f64,
    /// River multiplier applied to the defence (1.5 when every attacker crosses a river).
    pub river: f64,
}

impl Odds {
    /// Attack over defence.
    pub fn ratio(&self) -> f64 {
        if self.defence <= 0.0 {
            99.0
        } else {
            self.attack / self.defence
        }
    }
}

/// The odds of an attack.
pub fn odds(s: &Scenario, forces: &Forces, attackers: &[UnitId], target: Offset) -> Odds {
    odds_against(s, forces, attackers, target, forces.in_hex(target))
}

/// [`odds`] with the units in the target hex given (in the scenario's order, as
/// `Forces::in_hex` gives them), by a caller that has them at hand.
pub fn odds_against<'a>(
    s: &Scenario,
    forces: &Forces,
    attackers: &[UnitId],
    target: Offset,
    defenders: impl Iterator<Item = &'a UnitState>,
) -> Odds {
    let attack: f64 = attackers
        .iter()
        .map(|a| attack_strength(s, &forces.units[*a]))
        .sum();
    let terrain = s.terrain_at(target).defence;
    // The river counts against those who assault over it, not guns firing from afar.
    let mut assault = attackers
        .iter()
        .map(|a| &forces.units[*a])
        .filter(|u| !fires_from_afar(s, u, target))
        .peekable();
    let assaulted = assault.peek().is_some();
    let across = assault.all(|u| s.river_edges.contains_key(&edge_key(u.hex(), target)));
    let river = if across && assaulted { 1.5 } else { 1.0 };
    let defence: f64 = defenders.map(|d| defence_strength(s, d)).sum::<f64>() * terrain * river;
    Odds {
        attack,
        defence,
        terrain,
        river,
    }
}

/// The odds at which each column of the results table after the first begins.
pub const COLUMN_EDGES: [f64; 6] = [1.0, 1.5, 2.0, 3.0, 4.0, 6.0];

/// The column of the results table for an odds ratio.
pub fn column(ratio: f64) -> usize {
    COLUMN_EDGES.iter().take_while(|e| ratio >= **e).count()
}

/// A column's name, as a player reads it.
pub fn column_name(column: usize) -> &'static str {
    COMBAT_COLUMNS[column.min(COMBAT_COLUMNS.len() - 1)]
}

/// Odds as they are shown everywhere: rounded down to a tenth, so that a figure shown
/// never reaches a column its odds do not (1.46 is "1.4 to 1", in the 1:1 column).
pub fn odds_text(ratio: f64) -> String {
    if ratio >= 99.0 {
        "99 or more to 1".to_string()
    } else {
        format!("{:.1} to 1", (ratio * 10.0).floor() / 10.0)
    }
}

/// What a unit brings to a combat: its strength on paper and the factors applied to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// The unit.
    pub unit: UnitId,
    /// Attack (for attackers) or defence (for defenders) on paper.
    pub base: f64,
    /// Share of its full strength left.
    pub strength: f64,
    /// Readiness factor (0.5 to 1).
    pub readiness: f64,
    /// Supply factor (1 supplied, 0.75 short, 0.5 out of supply).
    pub supply: f64,
    /// What it counts for: base x strength x readiness x supply.
    pub total: f64,
    /// Artillery firing from beyond the hexes next to the target (no losses, no advance).
    pub from_afar: bool,
}

fn contribution(u: &UnitState, base: u32) -> Contribution {
    let readiness = readiness_factor(u.readiness);
    let supply = supply_factor(u.supply);
    Contribution {
        unit: u.id,
        base: f64::from(base),
        strength: u.strength,
        readiness,
        supply,
        total: f64::from(base) * u.strength * readiness * supply,
        from_afar: false,
    }
}

/// Everything an attack would be decided by, before the die: the odds with each factor,
/// the column of the results table they fall in, and the six results the die can give.
/// The combat itself ([`resolve`]) is decided by this same preview.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    /// Attack over defence.
    pub odds: Odds,
    /// Each attacker's part.
    pub attackers: Vec<Contribution>,
    /// Each defender's part, before terrain and river.
    pub defenders: Vec<Contribution>,
    /// The column of the results table.
    pub column: usize,
    /// For a die of 1 to 6: attacker loss, defender loss (shares of strength) and the
    /// hexes the defenders fall back.
    pub results: [(f64, f64, u32); 6],
}

impl Preview {
    /// Whether the odds are past the table's last column (more attack adds nothing).
    pub fn capped(&self) -> bool {
        self.odds.ratio() >= COLUMN_EDGES[COLUMN_EDGES.len() - 1]
    }

    /// The odds needed for the next column, if there is one.
    pub fn next_column_at(&self) -> Option<f64> {
        COLUMN_EDGES.get(self.column).copied()
    }
}

/// The preview of an attack by `attackers` on `target`.
pub fn preview(s: &Scenario, forces: &Forces, attackers: &[UnitId], target: Offset) -> Preview {
    let odds = odds(s, forces, attackers, target);
    let column = column(odds.ratio());
    Preview {
        attackers: attackers
            .iter()
            .map(|a| {
                let u = &forces.units[*a];
                Contribution {
                    from_afar: fires_from_afar(s, u, target),
                    ..contribution(u, s.units[u.id].attack)
                }
            })
            .collect(),
        defenders: forces
            .in_hex(target)
            .map(|d| contribution(d, s.units[d.id].defence))
            .collect(),
        column,
        results: s.rules.combat_results(column),
        odds,
    }
}

fn lose_equipment(u: &mut UnitState, share: f64) -> BTreeMap<String, u32> {
    let mut lost = BTreeMap::new();
    for (k, n) in &mut u.equipment {
        let l = ((f64::from(*n)) * share).round() as u32;
        if l > 0 {
            *n -= l.min(*n);
            lost.insert(k.clone(), l);
        }
    }
    lost
}

/// Resolves an attack and applies its results. `attackers` are unit ids, all adjacent to
/// `target`, which holds enemy units. Returns the events.
pub fn resolve(
    s: &Scenario,
    board: &mut Board,
    forces: &mut Forces,
    rng: &mut impl Rng,
    attackers: &[UnitId],
    target: Offset,
) -> Vec<GameEvent> {
    let mut events = Vec::new();
    let p = preview(s, forces, attackers, target);
    let o = &p.odds;
    let die: u8 = rng.random_range(1..=6);
    let (att_loss, def_loss, retreat) = p.results[usize::from(die - 1)];
    let att_side = forces.units[attackers[0]].side;
    let defenders: Vec<UnitId> = forces.in_hex(target).map(|u| u.id).collect();
    // Those who assault from next to the target; guns firing from afar are spared its
    // losses and stay where they are.
    let assault: Vec<UnitId> = attackers
        .iter()
        .zip(&p.attackers)
        .filter(|(_, c)| !c.from_afar)
        .map(|(a, _)| *a)
        .collect();
    for a in attackers {
        let u = &mut forces.units[*a];
        u.readiness = (u.readiness - 0.03).max(0.0);
        u.attacked = true;
    }
    for a in &assault {
        let u = &mut forces.units[*a];
        u.strength = (u.strength * (1.0 - att_loss)).max(0.01);
        lose_equipment(u, att_loss);
    }
    let attack_hexes: Vec<Offset> = assault.iter().map(|a| forces.units[*a].hex()).collect();
    let mut destroyed = Vec::new();
    for d in &defenders {
        let u = &mut forces.units[*d];
        u.strength = (u.strength * (1.0 - def_loss)).max(0.0);
        u.readiness = (u.readiness - 0.05 - 0.05 * f64::from(retreat)).max(0.0);
        lose_equipment(u, def_loss);
        if u.strength < 0.05 {
            destroyed.push((*d, Loss::DestroyedInCombat));
        }
    }
    // Retreat, hex by hex, away from the attackers, or sideways (no nearer, and not back
    // over its own path) where no hex is farther; a unit that cannot, surrenders.
    if retreat > 0 {
        for d in &defenders {
            if destroyed.iter().any(|(x, _)| x == d) {
                continue;
            }
            let side = forces.units[*d].side;
            let mut at = target;
            let mut path = vec![target];
            let mut ok = true;
            for _ in 0..retreat {
                let threats = Threats::for_side(s, forces, side);
                let far = |h: Offset| {
                    attack_hexes
                        .iter()
                        .map(|a| hexes_apart(*a, h))
                        .min()
                        .unwrap_or(0)
                };
                let next = s
                    .neighbours(at)
                    .filter(|n| {
                        let i = s.index(*n);
                        !threats.enemy_unit[i]
                            && (!threats.enemy_zoc[i] || threats.own_units[i] > 0)
                            && threats.own_units[i] < s.rules.stacking_limit
                            && super::movement::unit_step_cost(s, board, at, *n).is_some()
                            && (far(*n) > far(at) || far(*n) == far(at) && !path.contains(n))
                    })
                    .max_by_key(|n| (far(*n), std::cmp::Reverse(*n)));
                if let Some(n) = next {
                    board.count_crossings(s, &[at, n]);
                    at = n;
                    path.push(n);
                    forces.place(*d, n);
                    board.control[s.index(n)] = Some(side);
                } else {
                    ok = false;
                    break;
                }
            }
            if !ok {
                destroyed.push((*d, Loss::Surrendered));
            }
        }
    }
    for (d, cause) in &destroyed {
        lose(board, forces, *d, *cause, &mut events);
    }
    // The attackers take the hex if it is empty: the strongest of the assault moves in.
    let empty = forces.in_hex(target).next().is_none();
    let mut taken = false;
    if empty
        && let Some(best) = assault.iter().copied().max_by(|a, b| {
            attack_strength(s, &forces.units[*a])
                .total_cmp(&attack_strength(s, &forces.units[*b]))
                .then(b.cmp(a))
        })
    {
        forces.place(best, target);
        let i = s.index(target);
        board.control[i] = Some(att_side);
        taken = true;
    }
    let round2 = |x: f64| (x * 100.0).round() / 100.0;
    events.insert(
        0,
        GameEvent::CombatResolved {
            attackers: attackers.to_vec(),
            defenders: defenders.clone(),
            hex: (target.col, target.row),
            odds: round2(o.ratio()),
            column: p.column,
            die,
            attacker_loss: att_loss,
            defender_loss: def_loss,
            retreat,
            hex_taken: taken,
        },
    );
    events
}
