//! Posture: each grouping of an AI side, each day, from its own situation.
//!
//! - **Withdraw** once the operational AI has ordered it back ([`super::withdrawal`]).
//! - **Delay** when the enemy near it outnumbers it beyond its side's `force_ratio_above`:
//!   no attacks; units in contact step back toward its fallback line or its depots.
//! - **Attack** only when it is not out of supply (most of its units have had no supply
//!   for longer than the `attrition_after_days` their own stocks last), there is
//!   something to take, and (for a
//!   side the AI commands on its own, `ai`) its attack strength is at least its side's
//!   `attack_ratio` times the defence of the enemy near it and no other grouping of its
//!   side is falling back. A grouping following a written plan (`plan`) was given the
//!   means for its task: it attacks unless short of supply or outnumbered, or the points
//!   of its axis ahead are all held too strongly for its side's odds (it waits; see
//!   [`super::ai::attack_goals`]).
//! - **Hold** otherwise: it stays, and counter-attacks only at good odds.
//!
//! The strengths are the commander's estimate: the enemy's is off by up to the rules'
//! `intel_error`, drawn each day from the game's dice, so that two games of one scenario
//! need not turn on the same day.

use crate::geo::Offset;
use crate::scenario::Scenario;
use crate::scenario::ids::{GroupingId, SideId};

use super::combat::{attack_strength, defence_strength};
use super::events::PostureWhy;
use super::state::{Controller, Dice, Forces, HighCommand, Posture, UnitState};

/// How a commander rates the enemy near grouping `g` on day `turn`: a factor from
/// `1 - error` to `1 + error`. It is drawn from the game's seed, the day and the grouping
/// (not from the running dice), so the same game gives the same estimates and a replay of
/// its orders meets the same combat dice.
pub fn estimate(dice: &Dice, turn: u32, g: GroupingId, error: f64) -> f64 {
    use rand::{Rng, SeedableRng};
    let mut seed = dice.0.get_seed();
    for (i, b) in turn
        .to_le_bytes()
        .into_iter()
        .chain((g.0 as u64).to_le_bytes())
        .enumerate()
    {
        seed[i] ^= b.rotate_left(3) ^ 0xA5;
    }
    let u: f64 = rand_chacha::ChaCha8Rng::from_seed(seed).random();
    1.0 + error * (2.0 * u - 1.0)
}

/// What a grouping would go for if it attacked ([`super::ai::attack_goals`]): the hexes, and, when
/// it has none because the points of its axis ahead are all held too strongly, its best
/// odds against them and the odds it needs (it waits).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AttackGoals {
    /// The hexes it makes for.
    pub hexes: Vec<Offset>,
    /// Its best odds against the points of its axis ahead and the odds it needs, when it
    /// waits for better.
    pub waits: Option<(f64, f64)>,
}

/// The odds a grouping of `side` needs to attack: its side's `attack_ratio` in `ai`, or
/// the rules'.
pub fn odds_needed(s: &Scenario, side: SideId) -> f64 {
    s.ai.iter()
        .find(|a| a.side == side)
        .and_then(|a| a.attack_ratio)
        .unwrap_or(s.rules.attack_ratio)
}

/// A grouping's situation as its commander sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Situation {
    /// Mean share of their need its units received today.
    pub supply: f64,
    /// Share of its units out of supply for longer than their own stocks last (the rules'
    /// `attrition_after_days`).
    pub exhausted: f64,
    /// Its attack strength over the estimated defence of the enemy near it (infinite with
    /// no enemy near).
    pub odds: f64,
    /// The estimated attack strength of the enemy near it over its defence.
    pub threat: f64,
}

/// The units of a grouping on the map.
pub fn units_of(forces: &Forces, g: GroupingId) -> Vec<&UnitState> {
    forces
        .units
        .iter()
        .filter(|u| u.active() && u.grouping == g)
        .collect()
}

/// Sizes up a grouping; `estimate` scales the enemy's strength (the commander's error).
/// `None` when it has no unit on the map.
pub fn situation(s: &Scenario, forces: &Forces, g: GroupingId, estimate: f64) -> Option<Situation> {
    let units = units_of(forces, g);
    if units.is_empty() {
        return None;
    }
    let side = s.grouping(g).side;
    let radius = s.rules.force_ratio_radius;
    let near = super::ground::Near::units(s, &units, radius, forces.units.len());
    let enemies: Vec<&UnitState> = forces
        .units
        .iter()
        .filter(|u| u.active() && u.side != side && near.contains(s, u.hex()))
        .collect();
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::INFINITY };
    let own_attack: f64 = units.iter().map(|u| attack_strength(s, u)).sum();
    let own_defence: f64 = units.iter().map(|u| defence_strength(s, u)).sum();
    let enemy_attack: f64 = enemies.iter().map(|u| attack_strength(s, u)).sum::<f64>() * estimate;
    let enemy_defence: f64 = enemies.iter().map(|u| defence_strength(s, u)).sum::<f64>() * estimate;
    Some(Situation {
        supply: units.iter().map(|u| u.supply_share).sum::<f64>() / units.len() as f64,
        exhausted: units
            .iter()
            .filter(|u| u.days_out > s.rules.attrition_after_days)
            .count() as f64
            / units.len() as f64,
        odds: ratio(own_attack, enemy_defence),
        threat: if enemy_attack > 0.0 {
            ratio(enemy_attack, own_defence)
        } else {
            0.0
        },
    })
}

/// The posture a grouping takes, and why. `has_goals`: whether it has something to take
/// (its plan's axis, objectives in reach).
pub fn choose(
    s: &Scenario,
    command: &HighCommand,
    g: GroupingId,
    at: &Situation,
    goals: &AttackGoals,
) -> (Posture, PostureWhy) {
    let side: SideId = s.grouping(g).side;
    if command.withdrawals[g].is_some() {
        return (Posture::Withdraw, PostureWhy::Ordered);
    }
    let threshold = s.thresholds(g).map(|a| a.force_ratio_above);
    let outnumbered = threshold.filter(|t| at.threat > *t);
    if at.exhausted > 0.5 {
        let why = PostureWhy::ShortOfSupply { share: at.supply };
        return match outnumbered {
            Some(_) => (Posture::Delay, why),
            None => (Posture::Hold, why),
        };
    }
    if let Some(threshold) = outnumbered {
        return (
            Posture::Delay,
            PostureWhy::Outnumbered {
                ratio: at.threat,
                threshold,
            },
        );
    }
    let falling_back = s
        .grouping_ids()
        .any(|o| o != g && s.grouping(o).side == side && command.withdrawals[o].is_some());
    if falling_back && command.controllers[side] == Controller::Ai {
        return (Posture::Hold, PostureWhy::SideFallingBack);
    }
    if goals.hexes.is_empty() {
        return match goals.waits {
            Some((ratio, needed)) => (Posture::Hold, PostureWhy::HeldTooStrongly { ratio, needed }),
            None => (Posture::Hold, PostureWhy::NothingToTake),
        };
    }
    let needed = odds_needed(s, side);
    if at.odds >= needed || command.controllers[side] == Controller::Plan {
        (Posture::Attack, PostureWhy::StrongEnough { ratio: at.odds })
    } else {
        (
            Posture::Hold,
            PostureWhy::TooWeak {
                ratio: at.odds,
                needed,
            },
        )
    }
}
