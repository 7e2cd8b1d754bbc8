//! The chain the game exists to show, asserted on events: a junction taken, a depot that
//! receives less, a grouping that withdraws and leaves equipment behind; and the controls:
//! no cut, no withdrawal; more stock, later withdrawal; no alternative route, no inflow.

use std::sync::Arc;

use crate::common::Game;
use railhead::rules::events::{GameEvent, Reason};
use railhead::rules::state::Controller;
use railhead::scenario::{KHARKIV_2022, Scenario, load_str};

fn kharkiv_with(edit: impl Fn(String) -> String) -> Arc<Scenario> {
    Arc::new(
        load_str(&edit(KHARKIV_2022.to_string()), "kharkiv.ron")
            .expect("the edited scenario validates"),
    )
}

fn play(s: Arc<Scenario>, seed: u64, ua: Controller, days: u32) -> Game {
    crate::common::play(s, seed, vec![ua, Controller::Ai], days)
}

fn withdrawal_turn(log: &Game, grouping: &str) -> Option<u32> {
    log.iter().find(|l| matches!(&l.event, GameEvent::WithdrawalOrdered { grouping: g, .. } if log.s.grouping(*g).name == grouping)).map(|l| l.turn)
}

fn izium_inflow(log: &Game, turn: u32) -> f64 {
    inflow(log, "Izium depot", turn)
}

fn inflow(log: &Game, name: &str, turn: u32) -> f64 {
    log.iter()
        .find_map(|l| match &l.event {
            GameEvent::DepotSupply { depot, inflow, .. }
                if log.s.depot(*depot).name == name && l.turn == turn =>
            {
                Some(*inflow)
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no {name} supply on turn {turn}"))
}

/// What reaches the depots at the two ends of the longer route (Izium's and Lyman's,
/// which share its one road haul) on a turn.
fn route_inflow(log: &Game, turn: u32) -> f64 {
    inflow(log, "Izium depot", turn) + inflow(log, "Lyman depot", turn)
}

/// The turn Ukraine first cuts a rail link at the Kupiansk junction for Russia.
fn junction_cut_turn(log: &Game) -> Option<u32> {
    let s = &log.s;
    log.iter()
        .find(|l| matches!(&l.event, GameEvent::RailLinkCut { link, by, owner } if s.side(*by).id == "ua" && s.side(*owner).id == "ru" && s.rail_link(*link).name.contains("Kupiansk")))
        .map(|l| l.turn)
}

/// The turn Ukraine takes Kupiansk-Vuzlovyi, the junction itself (across the Oskil from
/// the city).
fn junction_taken_turn(log: &Game) -> Option<u32> {
    let s = &log.s;
    log.iter()
        .find(|l| matches!(&l.event, GameEvent::ObjectiveCaptured { place, by, .. } if s.side(*by).id == "ua" && s.place_by_id(*place).name == "Kupiansk-Vuzlovyi"))
        .map(|l| l.turn)
}

#[test]
fn cutting_kupiansk_starves_izium_and_the_grouping_withdraws() {
    let log = play(kharkiv_with(|t| t), 2022, Controller::Plan, 12);
    let first_cut =
        junction_cut_turn(&log).expect("the plan cuts the Kupiansk junction within 12 days");
    // The junction itself (the east bank) holds out longer, as in history; its lines are
    // cut from the west bank.
    assert!(junction_taken_turn(&log).is_none_or(|taken| first_cut <= taken));
    assert!(
        izium_inflow(&log, first_cut) < 0.5 * izium_inflow(&log, first_cut - 1),
        "Izium's inflow falls on the turn the junction's lines are cut"
    );
    // Ordered back as the enemy comes within reach of the lines (the Russian AI's
    // `threat_radius`), up to a day before they are cut, and no later than three after.
    let w = withdrawal_turn(&log, "Izium grouping").expect("the Izium grouping withdraws");
    assert!(
        w + 1 >= first_cut && w <= first_cut + 3,
        "withdrawal on turn {w}, the junction's lines cut on turn {first_cut}"
    );
    // The reasons name the supply, with numbers.
    let reasons = log
        .iter()
        .find_map(|l| match &l.event {
            GameEvent::WithdrawalOrdered {
                grouping, reasons, ..
            } if log.s.grouping(*grouping).name == "Izium grouping" => Some(reasons.clone()),
            _ => None,
        })
        .unwrap();
    assert!(reasons.iter().any(|r| matches!(
        r,
        Reason::LinesCut { value, threshold, .. } if value >= threshold
    )));
}

#[test]
fn without_an_attack_nobody_withdraws() {
    let log = play(kharkiv_with(|t| t), 2022, Controller::Idle, 12);
    assert_eq!(
        log.iter()
            .filter(|l| matches!(l.event, GameEvent::WithdrawalOrdered { .. }))
            .count(),
        0
    );
    assert!(junction_cut_turn(&log).is_none());
}

#[test]
fn a_larger_izium_stock_delays_the_withdrawal() {
    let mut turns = Vec::new();
    for stock in [2000, 5000, 20000] {
        let s = kharkiv_with(|t| {
            t.replace(
                r#"Depot(name: "Izium depot", side: "ru", node: "Izium", stock: 5000, capacity: 20000,"#,
                &format!(r#"Depot(name: "Izium depot", side: "ru", node: "Izium", stock: {stock}, capacity: 40000,"#),
            )
        });
        let log = play(s, 2022, Controller::Plan, 12);
        turns.push(withdrawal_turn(&log, "Izium grouping").unwrap_or(u32::MAX));
    }
    assert!(
        turns.windows(2).all(|w| w[0] <= w[1]),
        "withdrawal turns by stock 2000, 5000, 20000: {turns:?}"
    );
    assert!(
        turns[0] < turns[2],
        "a much larger stock must make a difference: {turns:?}"
    );
}

/// The scenario with the fronts south of Izium standing still, so that only the
/// junction's fall changes what reaches Izium.
fn only_the_junction(t: String) -> String {
    t.lines()
        .filter(|l| {
            !(l.contains("PlanStep(grouping: \"Izium front\"")
                || l.contains("PlanStep(grouping: \"Sloviansk-Siversk front\""))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_longer_route_keeps_some_supply_flowing_and_without_it_none_does() {
    let with = play(kharkiv_with(only_the_junction), 2022, Controller::Plan, 9);
    let cut = junction_cut_turn(&with).unwrap();
    let before = route_inflow(&with, cut - 1);
    let after = route_inflow(&with, cut);
    assert!(
        after > 0.0 && after < before,
        "with the Svatove-Lyman route: {before} t, then {after} t"
    );

    let without_route = kharkiv_with(|t| {
        let t = only_the_junction(t);
        let line = t
            .lines()
            .find(|l| l.contains(r#"RailLink(name: "Svatove-Lyman road haul""#))
            .unwrap()
            .to_string();
        t.replace(&line, "")
    });
    let without = play(without_route, 2022, Controller::Plan, 9);
    let cut = junction_cut_turn(&without).unwrap();
    assert_eq!(route_inflow(&without, cut), 0.0);
}

#[test]
fn a_withdrawal_leaves_equipment_that_the_enemy_captures() {
    let log = play(kharkiv_with(|t| t), 2022, Controller::Plan, 12);
    let abandoned: u32 = log
        .iter()
        .filter_map(|l| match &l.event {
            GameEvent::EquipmentAbandoned { items, .. } => Some(items.values().sum::<u32>()),
            _ => None,
        })
        .sum();
    let captured: u32 = log
        .iter()
        .filter_map(|l| match &l.event {
            GameEvent::EquipmentCaptured {
                by, from, items, ..
            } if log.s.side(*by).id == "ua" && log.s.side(*from).id == "ru" => {
                Some(items.values().sum::<u32>())
            }
            _ => None,
        })
        .sum();
    assert!(abandoned > 0, "nothing was abandoned");
    assert!(captured > 0, "nothing was captured");
}

#[test]
fn the_same_seed_gives_the_same_game_and_other_seeds_other_dice() {
    let s = kharkiv_with(|t| t);
    let json = |log: &Game| {
        log.iter()
            .map(|l| l.to_json(&log.s).to_string())
            .collect::<Vec<_>>()
    };
    let a = json(&play(s.clone(), 11, Controller::Plan, 8));
    let b = json(&play(s.clone(), 11, Controller::Plan, 8));
    assert_eq!(a, b);
    let dice = |seed| {
        play(s.clone(), seed, Controller::Plan, 8)
            .iter()
            .filter_map(|l| match &l.event {
                GameEvent::CombatResolved { die, .. } => Some(*die),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    assert_ne!(dice(11), dice(12));
}
