//! A commander who watches his lines (`threat_radius`) orders the withdrawal as the enemy
//! nears the junction that feeds him, not the day after it falls; lines the front has run
//! beside from the start are not news. On the made-up chain scenario, with Blue starting
//! two days' march from the Crossways junction.

use std::sync::Arc;

use crate::common::Game;
use railhead::rules::events::{GameEvent, Reason};
use railhead::rules::state::Controller;
use railhead::scenario::{Scenario, load_str};

/// The chain scenario with Blue further west and Red's commander watching his lines
/// within `radius` hexes (none: not watching).
fn chain(radius: Option<u32>) -> Arc<Scenario> {
    let mut text = std::fs::read_to_string("tests/scenarios/synthetic_chain.ron")
        .unwrap()
        .replace("at: Hex(4, 2)", "at: Hex(0, 2)")
        .replace("at: Hex(4, 1)", "at: Hex(0, 1)");
    if let Some(r) = radius {
        text = text.replace(
            "reasons_needed: 2),",
            &format!("reasons_needed: 2, threat_radius: {r}),"),
        );
    }
    Arc::new(load_str(&text, "synthetic_chain.ron").expect("the edited scenario validates"))
}

fn play(s: Arc<Scenario>) -> Game {
    crate::common::play(s, 7, vec![Controller::Plan, Controller::Ai], 6)
}

/// The turn of the Hollow grouping's withdrawal order, with its reasons.
fn withdrawal(g: &Game) -> (u32, Vec<Reason>) {
    g.iter()
        .find_map(|l| match &l.event {
            GameEvent::WithdrawalOrdered {
                grouping, reasons, ..
            } if g.s.grouping(*grouping).name == "Hollow grouping" => {
                Some((l.turn, reasons.clone()))
            }
            _ => None,
        })
        .expect("the Hollow grouping is ordered back")
}

/// The turn Blue first cuts a rail line.
fn first_cut(g: &Game) -> u32 {
    g.iter()
        .find(|l| matches!(l.event, GameEvent::RailLinkCut { .. }))
        .map(|l| l.turn)
        .expect("Blue cuts the junction")
}

#[test]
fn a_commander_who_watches_his_lines_falls_back_before_the_junction_falls() {
    let blind = play(chain(None));
    let (w, reasons) = withdrawal(&blind);
    assert_eq!(
        w,
        first_cut(&blind),
        "without an outlook, ordered back on the day of the cut"
    );
    assert!(reasons.iter().all(|r| match r {
        Reason::DaysOfSupply { outlook, .. } => !outlook,
        Reason::LinesCut { threatened, .. } => *threatened == 0.0,
        _ => true,
    }));

    let watching = play(chain(Some(3)));
    let (w, reasons) = withdrawal(&watching);
    assert!(
        w < first_cut(&watching),
        "ordered back on turn {w}, the junction cut on turn {}",
        first_cut(&watching)
    );
    // Both supply reasons say they count on losing the lines in reach, not a cut.
    assert!(
        reasons
            .iter()
            .any(|r| matches!(r, Reason::DaysOfSupply { outlook: true, .. }))
    );
    assert!(reasons.iter().any(
        |r| matches!(r, Reason::LinesCut { value, threatened, .. } if threatened == value && *value > 0.5)
    ));
    let text = railhead::rules::narrate::reason_text(&watching.s, &reasons[0]);
    assert!(text.contains("enemy's reach"), "{text}");
}

#[test]
fn lines_the_front_ran_beside_from_the_start_are_not_news() {
    // Blue starts 8 hexes from the junction: within a radius of 8 from the first day, so
    // its nearing changes nothing the commander did not already accept.
    let blind = play(chain(None));
    let wide = play(chain(Some(8)));
    assert_eq!(withdrawal(&wide).0, withdrawal(&blind).0);
}
