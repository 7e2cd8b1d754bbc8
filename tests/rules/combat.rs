//! The combat preview tells the truth: the attack is decided by the very preview the
//! player was shown (odds, column, the six results), and odds are never shown as a figure
//! that would reach a better column than they do.

use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use railhead::rules::combat::{self, COLUMN_EDGES, column, odds_text};
use railhead::rules::events::GameEvent;
use railhead::rules::setup::initial_state;
use railhead::scenario::ids::UnitId;
use railhead::scenario::load_or_default;

use crate::common::{chain, unit};

#[test]
fn every_combat_is_decided_by_its_preview() {
    let s = load_or_default(None).unwrap();
    let (_, board, _, start) = initial_state(&s);
    let mut fought = 0;
    let mut columns = std::collections::BTreeSet::new();
    let ua = s.side_index("ua").unwrap();
    let own: Vec<UnitId> = start
        .units
        .iter()
        .filter(|u| u.side == ua && u.active())
        .map(|u| u.id)
        .collect();
    // Each enemy unit, attacked from the hexes around it by one, two or three units.
    for (k, defender) in start
        .units
        .iter()
        .filter(|u| u.side != ua && u.active())
        .enumerate()
    {
        let target = defender.hex();
        let mut forces = start.clone();
        let around: Vec<_> = s
            .neighbours(target)
            .filter(|h| forces.in_hex(*h).next().is_none())
            .collect();
        let n = 1 + k % 3;
        let attackers: Vec<UnitId> = own
            .iter()
            .cycle()
            .skip(k)
            .take(n.min(around.len()))
            .copied()
            .collect();
        for (a, h) in attackers.iter().zip(&around) {
            forces.place(*a, *h);
        }
        if attackers.is_empty() {
            continue;
        }
        for seed in 0..6 {
            let preview = combat::preview(&s, &forces, &attackers, target);
            let (mut board, mut forces) = (board.clone(), forces.clone());
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let events = combat::resolve(&s, &mut board, &mut forces, &mut rng, &attackers, target);
            let Some(GameEvent::CombatResolved {
                column,
                die,
                attacker_loss,
                defender_loss,
                retreat,
                odds,
                ..
            }) = events.first()
            else {
                panic!("no combat: {events:?}");
            };
            assert_eq!(*column, preview.column);
            assert_eq!(
                (*attacker_loss, *defender_loss, *retreat),
                preview.results[usize::from(*die - 1)]
            );
            assert!((odds - preview.odds.ratio()).abs() < 0.01);
            // The parts add up to the odds.
            let attack: f64 = preview.attackers.iter().map(|c| c.total).sum();
            let defence: f64 = preview.defenders.iter().map(|c| c.total).sum::<f64>()
                * preview.odds.terrain
                * preview.odds.river;
            assert!((attack - preview.odds.attack).abs() < 1e-9);
            assert!((defence - preview.odds.defence).abs() < 1e-9);
            columns.insert(preview.column);
            fought += 1;
        }
    }
    assert!(fought > 20, "only {fought} combats tried");
    assert!(columns.len() > 1, "one column only: {columns:?}");
}

proptest! {
    /// The odds shown fall in the same column as the odds.
    #[test]
    fn shown_odds_never_reach_a_better_column(ratio in 0.0f64..20.0) {
        let text = odds_text(ratio);
        let shown: f64 = text.split(' ').next().unwrap().parse().unwrap();
        prop_assert!(shown <= ratio);
        prop_assert_eq!(column(shown), column(ratio), "{} shown as {}", ratio, text);
    }
}

#[test]
fn the_column_edges_are_shown_as_they_are() {
    for edge in COLUMN_EDGES {
        assert_eq!(column(edge), column(edge + 1e-9));
        assert_eq!(odds_text(edge), format!("{edge:.1} to 1"));
        assert!(column(edge - 0.01) < column(edge));
    }
}

/// A defender driven into a corner of the map by an attacker beside it, in the made-up
/// chain scenario: its first hex of retreat takes it away from the attacker, into the
/// corner; from there no hex is farther, so it steps sideways along the edge.
fn cornered(rifles_close_the_side: bool) -> bool {
    use railhead::geo::{Offset, offset_to_hex};
    let s = chain();
    let (_, board, _, mut forces) = initial_state(&s);
    let find = |name: &str| unit(&s, name);
    let (armour, rifles, tanks) = (
        find("1st Blue Armoured"),
        find("2nd Blue Rifles"),
        find("Hollow Tank Regiment"),
    );
    let (corner_side, start, attacker) = (
        Offset { col: 0, row: 1 },
        Offset { col: 1, row: 0 },
        Offset { col: 2, row: 0 },
    );
    forces.place(tanks, start);
    forces.place(armour, attacker);
    // Far away, or standing where its zone of control closes the way along the edge.
    forces.place(
        rifles,
        if rifles_close_the_side {
            Offset { col: 0, row: 2 }
        } else {
            Offset { col: 5, row: 8 }
        },
    );
    // A die that gives a retreat of two hexes or more and leaves the defender standing.
    for seed in 0..200 {
        let (mut board, mut forces) = (board.clone(), forces.clone());
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let events = combat::resolve(&s, &mut board, &mut forces, &mut rng, &[armour], start);
        let Some(GameEvent::CombatResolved {
            retreat,
            defender_loss,
            ..
        }) = events.first()
        else {
            panic!("no combat: {events:?}");
        };
        if *retreat < 2 || forces.units[tanks].strength < 0.05 || *defender_loss <= 0.0 {
            continue;
        }
        let u = &forces.units[tanks];
        if !u.active() {
            return false;
        }
        let d = |h: Offset| offset_to_hex(h).unsigned_distance_to(offset_to_hex(attacker));
        assert!(
            d(u.hex()) >= 2,
            "it ended {:?}, next to the attacker",
            u.hex()
        );
        assert_eq!(u.hex(), corner_side, "along the edge from the corner");
        return true;
    }
    panic!("no die of 200 gave a retreat of two hexes");
}

#[test]
fn a_defender_in_a_corner_retreats_sideways_rather_than_surrender() {
    assert!(
        cornered(false),
        "it surrendered with a way open along the edge"
    );
    assert!(
        !cornered(true),
        "with the way along the edge in an enemy zone of control it has nowhere to go"
    );
}

/// The odds columns of the standard table in which some die pushes the defender back, and
/// in which some die leaves it in place.
#[test]
fn the_standard_table_lets_a_two_to_one_fail_and_a_one_to_one_succeed() {
    use railhead::scenario::raw::{COMBAT_COLUMNS, RawRules};
    let rules = RawRules::default();
    let moves = |c: usize| rules.combat_results(c).iter().filter(|r| r.2 > 0).count();
    let one_to_one = COMBAT_COLUMNS.iter().position(|c| *c == "1:1").unwrap();
    let two_to_one = COMBAT_COLUMNS.iter().position(|c| *c == "2:1").unwrap();
    assert!(moves(one_to_one) >= 2, "a 1:1 attack rarely succeeds");
    assert!(moves(two_to_one) < 6, "every die takes the hex at 2:1");
    // Better odds never make it less likely, nor cost the attackers more.
    for c in 1..COMBAT_COLUMNS.len() {
        assert!(moves(c) >= moves(c - 1), "column {c}");
        let cost = |c: usize| rules.combat_results(c).iter().map(|r| r.0).sum::<f64>();
        assert!(cost(c) <= cost(c - 1) + 1e-9, "column {c}");
    }
}

/// A scenario's own table decides its combats: one where every die at every column is a
/// retreat of one hex with a fifth of the defender lost, and every attack takes its hex.
#[test]
fn a_scenario_s_own_results_table_decides_its_combats() {
    let mut s = chain();
    s.rules.combat_table = Some(vec![vec![(0.0, 0.2, 1); 6]; 7]);
    let (_, board, _, mut forces) = initial_state(&s);
    let find = |name: &str| unit(&s, name);
    let (attacker, defender) = (find("2nd Blue Rifles"), find("Hollow Tank Regiment"));
    let target = railhead::geo::Offset { col: 4, row: 4 };
    forces.place(defender, target);
    let beside = s
        .neighbours(target)
        .find(|h| forces.in_hex(*h).next().is_none())
        .unwrap();
    forces.place(attacker, beside);
    for seed in 0..12 {
        let (mut board, mut forces) = (board.clone(), forces.clone());
        let before = forces.units[defender].strength;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let events = combat::resolve(&s, &mut board, &mut forces, &mut rng, &[attacker], target);
        let Some(GameEvent::CombatResolved {
            attacker_loss,
            defender_loss,
            retreat,
            hex_taken,
            ..
        }) = events.first()
        else {
            panic!("no combat: {events:?}");
        };
        assert_eq!((*attacker_loss, *defender_loss, *retreat), (0.0, 0.2, 1));
        assert!(*hex_taken, "seed {seed}: {events:?}");
        assert!((forces.units[defender].strength - before * 0.8).abs() < 1e-9);
    }
}

/// The made-up chain scenario with a Blue brigade in the open, a Red tank regiment next
/// to it and Red's guns two hexes from it: (scenario, board, forces, the brigade, the
/// tanks, the guns, the brigade's hex, the guns' hex, an empty hex three from it).
#[allow(clippy::type_complexity)]
fn guns_two_hexes_off() -> (
    railhead::scenario::Scenario,
    railhead::rules::state::Board,
    railhead::rules::state::Forces,
    [UnitId; 3],
    [railhead::geo::Offset; 3],
) {
    use railhead::geo::Offset;
    let s = chain();
    let (_, board, _, mut forces) = initial_state(&s);
    let find = |name: &str| unit(&s, name);
    let (defender, tanks, guns) = (
        find("2nd Blue Rifles"),
        find("Hollow Tank Regiment"),
        find("Hollow Guns"),
    );
    let target = Offset { col: 4, row: 6 };
    let empty = |forces: &railhead::rules::state::Forces, d: u32| {
        s.hexes()
            .find(|h| combat::hexes_apart(*h, target) == d && forces.in_hex(*h).next().is_none())
            .unwrap()
    };
    forces.place(defender, target);
    let beside = empty(&forces, 1);
    forces.place(tanks, beside);
    let (two, three) = (empty(&forces, 2), empty(&forces, 3));
    forces.place(guns, two);
    (
        s,
        board,
        forces,
        [defender, tanks, guns],
        [target, two, three],
    )
}

/// Guns join an attack from within the scenario's `artillery_range`: they add their
/// attack, take none of its losses and stay where they are; alone they cannot attack, and
/// beyond the range (or at the default range of 1) they are refused with the reason.
#[test]
fn guns_support_an_assault_from_within_their_range() {
    use railhead::rules::check::check_attack;
    use railhead::rules::orders::Refusal;
    let (mut s, board, forces, [_, tanks, guns], [target, two, three]) = guns_two_hexes_off();
    let red = forces.units[tanks].side;

    // At the default range, guns two hexes off are not next to the target.
    assert_eq!(s.rules.artillery_range, 1);
    assert_eq!(
        check_attack(&s, &board, &forces, red, &[tanks, guns], target),
        Err(Refusal::NotNextTo(guns, target))
    );
    s.rules.artillery_range = 2;
    assert_eq!(
        check_attack(&s, &board, &forces, red, &[tanks, guns], target),
        Ok(())
    );
    assert!(combat::can_attack(&s, &forces.units[guns], red, target));
    assert_eq!(
        check_attack(&s, &board, &forces, red, &[guns], target),
        Err(Refusal::NoAssault(target)),
        "guns alone"
    );
    let mut far = forces.clone();
    far.place(guns, three);
    assert_eq!(
        check_attack(&s, &board, &far, red, &[tanks, guns], target),
        Err(Refusal::BeyondRange {
            unit: guns,
            target,
            range: 2
        })
    );
    assert!(!combat::can_attack(&s, &far.units[guns], red, target));

    // The guns add their attack and take no loss.
    let alone = combat::preview(&s, &forces, &[tanks], target);
    let supported = combat::preview(&s, &forces, &[tanks, guns], target);
    assert!(supported.odds.ratio() > alone.odds.ratio());
    assert!(supported.attackers[1].from_afar && !supported.attackers[0].from_afar);
    let mut losses = 0;
    for seed in 0..12 {
        let (mut board, mut forces) = (board.clone(), forces.clone());
        let guns_before = forces.units[guns].clone();
        let tanks_before = forces.units[tanks].strength;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let events = combat::resolve(
            &s,
            &mut board,
            &mut forces,
            &mut rng,
            &[tanks, guns],
            target,
        );
        let Some(GameEvent::CombatResolved { attacker_loss, .. }) = events.first() else {
            panic!("no combat: {events:?}");
        };
        let g = &forces.units[guns];
        assert_eq!(g.hex(), two, "the guns stay where they are");
        assert_eq!(g.strength, guns_before.strength, "the guns lose nothing");
        assert_eq!(g.equipment, guns_before.equipment);
        assert!(g.attacked, "they have fired today");
        if *attacker_loss > 0.0 {
            assert!(forces.units[tanks].strength < tanks_before);
            losses += 1;
        }
    }
    assert!(losses > 0, "the assault never lost anything");
}

/// The operational AI brings its guns within range into an attack, and makes none with
/// guns alone.
#[test]
fn the_ai_brings_its_guns_within_range_into_its_attacks() {
    use railhead::rules::ai::first_attack;
    use railhead::rules::orders::Order;
    use railhead::rules::state::{Controller, HighCommand, Posture};
    let (mut s, board, mut forces, [_, tanks, guns], [target, ..]) = guns_two_hexes_off();
    s.rules.artillery_range = 2;
    let red = forces.units[tanks].side;
    let command = HighCommand {
        controllers: vec![Controller::Ai; s.sides.len()],
        withdrawals: vec![None; s.groupings.len()],
        progress: vec![None; s.groupings.len()],
        posture: vec![Posture::Attack; s.groupings.len()],
        line: vec![0; s.groupings.len()],
    };
    let attack = first_attack(&s, &board, &forces, &command, red, &[]);
    assert!(
        matches!(&attack, Some(Order::Attack { attackers, target: t })
            if *t == target && attackers.contains(&guns) && attackers.contains(&tanks)),
        "{attack:?}"
    );
    // The tanks far away: the guns alone make no attack on the brigade.
    forces.place(tanks, railhead::geo::Offset { col: 13, row: 0 });
    let attack = first_attack(&s, &board, &forces, &command, red, &[]);
    assert!(
        !matches!(&attack, Some(Order::Attack { target: t, .. }) if *t == target),
        "{attack:?}"
    );
}
