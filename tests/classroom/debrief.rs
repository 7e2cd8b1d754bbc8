//! `railhead debrief SAVES...`: students' saved games (a person commanding Russia) set side
//! by side beside history, the lesson's game and the AI's games on the same day; the
//! numbers are each game's own; saves of another scenario are refused by name.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::study_support::{ok, p, railhead};
use railhead::rules::day::Stop;
use railhead::rules::orders::Order;
use railhead::rules::simulation::Simulation;
use railhead::rules::state::Controller;
use railhead::save::Save;
use railhead::scenario::ids::GroupingId;

/// A student's game: Russia commanded by a person who orders the Izium grouping back on
/// `withdraw_on` (or never), played for `days` days and saved to `path`.
fn student(path: &Path, withdraw_on: Option<u32>, days: u32) {
    let s = Arc::new(railhead::scenario::load_or_default(None).unwrap());
    let izium = GroupingId(
        s.groupings
            .iter()
            .position(|g| g.name == "Izium grouping")
            .unwrap(),
    );
    let ru = s.side_index("ru").unwrap();
    let mut sim = Simulation::new(s.clone(), 7, vec![Controller::Plan, Controller::Human]);
    while sim.cursor().turn <= days {
        if let Stop::Orders(side) = sim.advance() {
            assert_eq!(side, ru);
            if withdraw_on == Some(sim.cursor().turn) {
                sim.give([Order::Withdraw { grouping: izium }]);
            }
        }
    }
    Save::of(sim.world(), None, 7).unwrap().write(path).unwrap();
}

#[test]
fn a_debrief_sets_each_students_game_beside_history_and_the_ai() {
    let dir = tempfile::tempdir().unwrap();
    let early: PathBuf = dir.path().join("early.ron");
    let holder: PathBuf = dir.path().join("holder.ron");
    student(&early, Some(2), 8);
    student(&holder, None, 6);
    let lesson = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons/kharkiv_why_izium_fell.ron");
    let out_dir = dir.path().join("out");
    let out = railhead(&[
        "debrief",
        p(&early),
        p(&holder),
        "--lesson",
        p(&lesson),
        "--runs",
        "4",
        "--out",
        p(&out_dir),
    ]);
    ok(&out);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("early played Russia for 8 of 30 days.")
            && said.contains(
                "The Izium grouping was ordered back on day 2 (history: day 4 (9 September) [firm]"
            ),
        "{said}"
    );
    assert!(
        said.contains("holder played Russia for 6 of 30 days.")
            && said.contains("The Izium grouping was not ordered back by day 6"),
        "{said}"
    );
    let page = std::fs::read_to_string(out_dir.join("debrief.html")).unwrap();
    // Each student's figures are their game's own.
    let game = railhead::report::record::record_of_save(&early).unwrap();
    let last = game.days.last().unwrap();
    assert_eq!(last.turn, 8);
    let km2 = railhead::numbers::group_thousands(last.sides[0].territory_km2.round() as u32);
    assert!(
        page.contains(&format!("<b>{km2} km²</b>")),
        "Ukraine's ground by day 8"
    );
    assert!(page.contains("the lesson&#39;s game") || page.contains("the lesson's game"));
    assert!(
        page.contains("the AI&#39;s games, same day") || page.contains("the AI's games, same day")
    );
    // A save of another scenario is refused, named.
    let other = dir.path().join("other.ron");
    let s = Arc::new(
        railhead::scenario::load_file(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/synthetic_chain.ron"),
        )
        .unwrap(),
    );
    let mut sim = Simulation::new(
        s.clone(),
        1,
        railhead::rules::setup::default_controllers(&s),
    );
    sim.play_day();
    Save::of(sim.world(), None, 1)
        .unwrap()
        .write(&other)
        .unwrap();
    let out = railhead(&[
        "debrief",
        p(&early),
        p(&other),
        "--runs",
        "2",
        "--out",
        p(&out_dir),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("other.ron"));
}
