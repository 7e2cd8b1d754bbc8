//! The same chain on a made-up scenario of another shape and other names: proof that
//! nothing in the rules is keyed to a town.

use std::path::Path;
use std::sync::Arc;

use crate::common::Game;
use railhead::rules::events::GameEvent;
use railhead::rules::state::Controller;
use railhead::scenario::{Scenario, load_file, load_str};

fn synthetic() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/synthetic_chain.ron"),
    )
    .unwrap()
}

fn play(s: Scenario, blue: Controller, days: u32) -> Game {
    crate::common::play(Arc::new(s), 7, vec![blue, Controller::Ai], days)
}

/// The first turn blue cuts a rail link.
fn blue_cuts(log: &Game) -> Option<u32> {
    log.iter()
        .find(|l| matches!(&l.event, GameEvent::RailLinkCut { by, .. } if log.s.side(*by).id == "blue"))
        .map(|l| l.turn)
}

/// Inflow and what would have come with the lines open, on a turn.
fn inflow(log: &Game, turn: u32) -> (f64, f64) {
    log.iter()
        .find_map(|l| match &l.event {
            GameEvent::DepotSupply {
                depot,
                inflow,
                nominal_inflow,
                ..
            } if log.s.depot(*depot).name == "Fort Hollow depot" && l.turn == turn => {
                Some((*inflow, *nominal_inflow))
            }
            _ => None,
        })
        .unwrap()
}

#[test]
fn taking_the_junction_starves_the_depot_and_its_grouping_falls_back() {
    let s = load_file(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/synthetic_chain.ron"),
    )
    .unwrap();
    let log = play(s, Controller::Plan, 6);
    let cut = blue_cuts(&log).expect("blue cuts a link");
    let (got, open) = inflow(&log, cut);
    assert!(
        got < 0.5 * open,
        "in the turn of the cut the depot gets {got} t of {open} t"
    );
    assert!(got > 0.0, "the lorry route still carries something");
    let w = log.iter().find(|l| matches!(&l.event, GameEvent::WithdrawalOrdered { grouping, .. } if log.s.grouping(*grouping).name == "Hollow grouping")).map(|l| l.turn);
    assert!(
        w.is_some_and(|w| w <= cut + 2),
        "withdrawal {w:?}, cut on turn {cut}"
    );
}

#[test]
fn left_alone_the_grouping_stays() {
    let s = load_file(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/synthetic_chain.ron"),
    )
    .unwrap();
    let log = play(s, Controller::Idle, 8);
    assert!(
        !log.iter()
            .any(|l| matches!(l.event, GameEvent::WithdrawalOrdered { .. }))
    );
}

#[test]
fn without_the_lorry_route_nothing_arrives_after_the_cut() {
    let text = synthetic().replace(r#"RailLink(name: "Southport road", from: "Southport", to: "Fort Hollow", capacity: 250, mode: Truck),"#, "");
    // The harbour's source now feeds a node with no line: keep the scenario valid.
    let s = load_str(&text, "synthetic.ron").unwrap();
    let log = play(s, Controller::Plan, 4);
    let cut = blue_cuts(&log).unwrap();
    assert_eq!(inflow(&log, cut).0, 0.0);
}

fn withdrawn(log: &Game) -> Vec<(u32, Vec<railhead::rules::events::Reason>)> {
    log.iter()
        .filter_map(|l| match &l.event {
            GameEvent::WithdrawalOrdered {
                grouping, reasons, ..
            } if log.s.grouping(*grouping).name == "Hollow grouping" => {
                Some((l.turn, reasons.clone()))
            }
            _ => None,
        })
        .collect()
}

/// A directive from above overrules the commander, written in a variant as a class or a
/// what-if would: held, the grouping stays whatever its reasons; ordered back on a date,
/// it goes that day, before any reason, names the directive as its reason, and does not
/// stand fast on the calm days after.
#[test]
fn a_directive_from_above_overrules_the_commander() {
    use railhead::rules::events::Reason;
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("synthetic_chain.ron");
    std::fs::write(&base, synthetic()).unwrap();
    let variant = |directive: &str| {
        let path = dir.path().join("v.ron");
        std::fs::write(
            &path,
            format!(
                r#"Variant(base: "synthetic_chain.ron", name: "directed", overrides: [Grouping(name: "Hollow grouping", directive: {directive})])"#
            ),
        )
        .unwrap();
        load_file(&path).unwrap_or_else(|e| panic!("{e}"))
    };
    let free = withdrawn(&play(load_file(&base).unwrap(), Controller::Plan, 8));
    assert_eq!(
        free.first().map(|w| w.0),
        Some(1),
        "its commander orders it back at once: {free:?}"
    );

    let held = withdrawn(&play(variant("Hold"), Controller::Plan, 8));
    assert!(held.is_empty(), "held, yet ordered back: {held:?}");

    // Ordered back on 4 March (day 4): not before, though its reasons hold from day 1.
    let log = play(variant(r#"WithdrawOn("2031-03-04")"#), Controller::Plan, 8);
    let late = withdrawn(&log);
    assert_eq!(late.first().map(|w| w.0), Some(4), "{late:?}");
    assert_eq!(late[0].1, vec![Reason::Directive { day: 4 }]);
    assert!(
        !log.iter().any(|l| matches!(&l.event, GameEvent::WithdrawalEnded { grouping, .. } if log.s.grouping(*grouping).name == "Hollow grouping")),
        "a directed withdrawal does not stand fast"
    );

    // A date outside the scenario is refused at the directive, with a hint.
    let path = dir.path().join("bad.ron");
    std::fs::write(
        &path,
        r#"Variant(base: "synthetic_chain.ron", name: "late", overrides: [Grouping(name: "Hollow grouping", directive: WithdrawOn("2031-05-01"))])"#,
    )
    .unwrap();
    let err = load_file(&path).unwrap_err().to_string();
    assert!(err.contains("outside the scenario"), "{err}");
    assert!(
        err.contains("bad.ron:1:"),
        "positioned in the variant: {err}"
    );
}
