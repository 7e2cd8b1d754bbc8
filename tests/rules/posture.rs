//! Postures, on the made-up synthetic scenario: a grouping attacks only when supplied and
//! locally strong enough, a side falling back somewhere opens no offensive elsewhere, a
//! garrison stays, and a grouping in withdrawal never attacks.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use railhead::geo::Offset;
use railhead::rules::ai;
use railhead::rules::events::{GameEvent, PostureWhy};
use railhead::rules::posture::{self, AttackGoals, Situation};
use railhead::rules::setup::initial_state;
use railhead::rules::simulation::Simulation;
use railhead::rules::state::{Controller, HighCommand, Posture, Withdrawal};
use railhead::scenario::ids::{GroupingId, UnitId};
use railhead::scenario::{Scenario, load_file};

fn synthetic() -> Scenario {
    load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/synthetic_chain.ron"))
        .unwrap()
}

fn grouping(s: &Scenario, name: &str) -> GroupingId {
    GroupingId(s.groupings.iter().position(|g| g.name == name).unwrap())
}

fn command(s: &Scenario, red: Controller) -> HighCommand {
    HighCommand {
        controllers: vec![Controller::Ai, red],
        withdrawals: vec![None; s.groupings.len()],
        progress: vec![None; s.groupings.len()],
        posture: vec![Posture::Hold; s.groupings.len()],
        line: vec![0; s.groupings.len()],
    }
}

/// Something to take: a hex of its axis.
fn something() -> AttackGoals {
    AttackGoals {
        hexes: vec![Offset { col: 8, row: 2 }],
        waits: None,
    }
}

/// Nothing to take.
fn nothing() -> AttackGoals {
    AttackGoals::default()
}

fn at(supply: f64, odds: f64, threat: f64) -> Situation {
    Situation {
        supply,
        exhausted: if supply < 0.25 { 1.0 } else { 0.0 },
        odds,
        threat,
    }
}

#[test]
fn a_grouping_attacks_only_when_supplied_and_locally_strong_enough() {
    let s = synthetic();
    let c = command(&s, Controller::Ai);
    let g = grouping(&s, "Hollow grouping");
    let needed = s.rules.attack_ratio;
    assert_eq!(
        posture::choose(&s, &c, g, &at(1.0, needed + 0.1, 0.5), &something()).0,
        Posture::Attack
    );
    assert!(matches!(
        posture::choose(&s, &c, g, &at(1.0, needed - 0.1, 0.5), &something()),
        (Posture::Hold, PostureWhy::TooWeak { .. })
    ));
    // Out of supply beyond its own stocks, it does not attack, however strong.
    let starving = s.rules.out_of_supply_share / 2.0;
    assert!(matches!(
        posture::choose(&s, &c, g, &at(starving, 10.0, 0.5), &something()),
        (Posture::Hold, PostureWhy::ShortOfSupply { .. })
    ));
    // Outnumbered beyond its side's threshold, it gives ground slowly.
    let threshold =
        s.ai.iter()
            .find(|a| a.side == s.grouping(g).side)
            .unwrap()
            .force_ratio_above;
    assert!(matches!(
        posture::choose(&s, &c, g, &at(1.0, 10.0, threshold + 1.0), &something()),
        (Posture::Delay, PostureWhy::Outnumbered { .. })
    ));
    // With nothing to take, it holds.
    assert!(matches!(
        posture::choose(&s, &c, g, &at(1.0, 10.0, 0.5), &nothing()),
        (Posture::Hold, PostureWhy::NothingToTake)
    ));
}

#[test]
fn a_side_falling_back_somewhere_opens_no_offensive_elsewhere() {
    let s = synthetic();
    let mut c = command(&s, Controller::Ai);
    let hollow = grouping(&s, "Hollow grouping");
    let guard = grouping(&s, "Crossways guard");
    c.withdrawals[hollow] = Some(Withdrawal {
        turn: 1,
        date: s.start_date,
        calm_days: 0,
    });
    assert_eq!(
        posture::choose(&s, &c, hollow, &at(1.0, 10.0, 0.5), &something()).0,
        Posture::Withdraw
    );
    assert!(matches!(
        posture::choose(&s, &c, guard, &at(1.0, 10.0, 0.5), &something()),
        (Posture::Hold, PostureWhy::SideFallingBack)
    ));
}

#[test]
fn the_situation_sets_own_attack_against_the_enemy_near_it_as_the_commander_estimates_it() {
    let s = synthetic();
    let (_, _, _, mut forces) = initial_state(&s);
    let g = grouping(&s, "Northern thrust");
    // Blue's armour comes up to the junction its guard holds.
    let tank = UnitId(
        s.units
            .iter()
            .position(|u| u.name == "1st Blue Armoured")
            .unwrap(),
    );
    forces.place(tank, Offset { col: 6, row: 2 });
    let exact = posture::situation(&s, &forces, g, 1.0).unwrap();
    let over = posture::situation(&s, &forces, g, 1.25).unwrap();
    // Overrating the enemy lowers the odds by as much.
    assert!(exact.odds.is_finite() && exact.odds > 0.0);
    assert!((over.odds - exact.odds / 1.25).abs() < 1e-9);
    assert_eq!(exact.supply, 1.0, "supplied at the start");
}

#[test]
fn a_garrison_is_the_first_units_of_its_side_in_an_objective_or_city() {
    let s = synthetic();
    let (_, board, _, mut forces) = initial_state(&s);
    let crossways = s.places.iter().find(|p| p.name == "Crossways").unwrap().hex;
    let garrisons = ai::garrison_hexes(&s);
    assert!(garrisons.contains(&crossways));
    let guard = UnitId(
        s.units
            .iter()
            .position(|u| u.name == "Junction guard")
            .unwrap(),
    );
    let tanks = UnitId(
        s.units
            .iter()
            .position(|u| u.name == "Hollow Tank Regiment")
            .unwrap(),
    );
    forces.place(tanks, crossways);
    assert!(ai::in_garrison(
        &s,
        &board,
        &forces,
        &garrisons,
        &forces.units[guard]
    ));
    assert!(
        !ai::in_garrison(&s, &board, &forces, &garrisons, &forces.units[tanks]),
        "one unit is garrison enough by default"
    );
    forces.place(guard, Offset { col: 11, row: 4 });
    assert!(!ai::in_garrison(
        &s,
        &board,
        &forces,
        &garrisons,
        &forces.units[guard]
    ));
}

#[test]
fn with_the_ai_on_both_sides_no_grouping_attacks_once_ordered_back() {
    let s = Arc::new(synthetic());
    for seed in 1..=4 {
        let mut sim = Simulation::new(s.clone(), seed, vec![Controller::Ai, Controller::Ai]);
        while !sim.is_over() {
            sim.play_day();
        }
        let mut back: BTreeMap<GroupingId, u32> = BTreeMap::new();
        for l in sim.chronicle() {
            match &l.event {
                GameEvent::WithdrawalOrdered { grouping, .. } => {
                    back.entry(*grouping).or_insert(l.turn);
                }
                GameEvent::CombatResolved { attackers, .. } => {
                    for a in attackers {
                        let g = s.unit(*a).grouping;
                        assert!(
                            back.get(&g).is_none_or(|t| *t > l.turn),
                            "seed {seed}: {} attacks on day {} after its withdrawal",
                            s.grouping(g).name,
                            l.turn
                        );
                    }
                }
                _ => {}
            }
        }
        // Each posture taken is narrated with its reason.
        assert!(
            sim.chronicle()
                .iter()
                .any(|l| matches!(l.event, GameEvent::PostureTaken { .. })),
            "seed {seed}: no posture was taken"
        );
    }
}

#[test]
fn the_threat_of_encirclement_is_the_share_of_the_ground_around_a_grouping_the_enemy_holds() {
    use railhead::rules::withdrawal;
    let s = synthetic();
    let (blue, red) = (s.side_index("blue").unwrap(), s.side_index("red").unwrap());
    let (_, mut board, _, forces) = initial_state(&s);
    let hollow = grouping(&s, "Hollow grouping");
    let units = posture::units_of(&forces, hollow);
    // Near the front at the start: part of what is around it is blue's.
    let start = withdrawal::encircled(&s, &board, &units, red);
    assert!(start > 0.0 && start < 1.0, "{start}");
    // All red: nothing around it is the enemy's.
    for c in &mut board.control {
        *c = Some(red);
    }
    assert_eq!(withdrawal::encircled(&s, &board, &units, red), 0.0);
    // Blue takes everything: it is ringed in.
    for c in &mut board.control {
        *c = Some(blue);
    }
    assert_eq!(withdrawal::encircled(&s, &board, &units, red), 1.0);
    // With a threshold, that is a reason to fall back; without one, it is not.
    let a = withdrawal::Assessment {
        days_of_supply: f64::INFINITY,
        lines_cut: 0.0,
        threatened: 0.0,
        outlook: false,
        force_ratio: 0.0,
        encircled: 0.8,
    };
    assert!(withdrawal::reasons(&s, &a, hollow).is_empty());
    let mut with = s.clone();
    with.ai[0].encircled_at_least = Some(0.7);
    assert!(matches!(
        withdrawal::reasons(&with, &a, hollow).as_slice(),
        [railhead::rules::events::Reason::Encircled { .. }]
    ));
    // A grouping's own threshold takes the side's place: at 0.9, 0.8 is no reason.
    with.groupings[hollow.0].withdraw = Some(railhead::scenario::raw::RawThresholds {
        encircled_at_least: Some(0.9),
        ..Default::default()
    });
    assert!(withdrawal::reasons(&with, &a, hollow).is_empty());
    let other = grouping(&with, "Crossways guard");
    assert!(!withdrawal::reasons(&with, &a, other).is_empty());
}

#[test]
fn a_grouping_still_in_trouble_on_its_line_falls_back_to_the_next_one() {
    // The Hollow grouping, starved (no lorry route) once blue takes the junction, with a
    // second line behind its first, near its own railhead.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/synthetic_chain.ron"),
    )
    .unwrap();
    let road = text
        .lines()
        .find(|l| l.contains(r#"RailLink(name: "Southport road""#))
        .unwrap()
        .to_string();
    let text = text.replace(&road, "").replace(
        r"fallback: [Hex(12, 8), Hex(12, 9), Hex(13, 8)])",
        r"fallback: [Hex(12, 8), Hex(12, 9), Hex(13, 8)], rear_lines: [[Hex(12, 3), Hex(13, 3)]])",
    );
    let s = Arc::new(railhead::scenario::load_str(&text, "two_lines.ron").unwrap());
    let hollow = grouping(&s, "Hollow grouping");
    assert_eq!(s.grouping(hollow).lines(), 2);
    let mut sim = Simulation::new(s.clone(), 3, vec![Controller::Plan, Controller::Ai]);
    while !sim.is_over() {
        sim.play_day();
    }
    let orders: Vec<u32> = sim
        .chronicle()
        .iter()
        .filter(|l| matches!(l.event, GameEvent::WithdrawalOrdered { grouping, .. } if grouping == hollow))
        .map(|l| l.turn)
        .collect();
    assert!(orders.len() >= 2, "ordered back {orders:?}");
    assert!(orders[1] > orders[0], "one line at a time: {orders:?}");
    assert_eq!(sim.world().resource::<HighCommand>().line[hollow], 1);
}

/// The day a grouping ordered back before the game (with no reason to be) stands fast, and
/// whether it attacked before: under the side's `stand_fast_after_days` (none: the first
/// day without a reason).
fn stands_fast_on(after: Option<u32>) -> (Option<u32>, bool) {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/synthetic_chain.ron"),
    )
    .unwrap();
    let text = match after {
        Some(n) => text.replace(
            "reasons_needed: 2)",
            &format!("reasons_needed: 2, stand_fast_after_days: {n})"),
        ),
        None => text,
    };
    let s = Arc::new(railhead::scenario::load_str(&text, "calm.ron").unwrap());
    let hollow = grouping(&s, "Hollow grouping");
    let mut sim = Simulation::new(s.clone(), 3, vec![Controller::Idle, Controller::Ai]);
    sim.world_mut().resource_mut::<HighCommand>().withdrawals[hollow] = Some(Withdrawal {
        turn: 1,
        date: s.start_date,
        calm_days: 0,
    });
    let mut ended = None;
    let mut attacked = false;
    while !sim.is_over() && ended.is_none() {
        sim.play_day();
        for l in sim.chronicle() {
            match &l.event {
                GameEvent::WithdrawalEnded { grouping, .. } if *grouping == hollow => {
                    ended = Some(l.turn);
                }
                GameEvent::CombatResolved { attackers, .. }
                    if ended.is_none()
                        && attackers.iter().any(|a| s.unit(*a).grouping == hollow) =>
                {
                    attacked = true;
                }
                _ => {}
            }
        }
    }
    (ended, attacked)
}

#[test]
fn an_order_to_fall_back_is_not_taken_back_before_its_reasons_have_been_gone_for_days() {
    // Blue stands idle: the Hollow grouping, ordered back with nothing wrong, has no
    // reason to fall back from the first day.
    assert_eq!(stands_fast_on(None), (Some(1), false));
    assert_eq!(stands_fast_on(Some(1)), (Some(1), false));
    // Three days in a row without a reason: it stands fast on the third, and does not
    // attack meanwhile.
    assert_eq!(stands_fast_on(Some(3)), (Some(3), false));
}
