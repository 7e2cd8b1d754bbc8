//! A plan answers what the enemy does, on the made-up synthetic scenario: a step whose
//! next point is held beyond the odds its side needs waits, or shifts to a point of its
//! axis beyond that it is strong enough for; and an objective the enemy held with troops
//! and has left is taken by a grouping within reach, whatever its plan says.

use std::sync::Arc;

use railhead::geo::Offset;
use railhead::rules::ai::{abandoned_objectives, advance_plans, attack_goals};
use railhead::rules::events::{GameEvent, PostureWhy};
use railhead::rules::game::GameState;
use railhead::rules::posture::{self, odds_needed, units_of};
use railhead::rules::setup::default_controllers;
use railhead::rules::simulation::Simulation;
use railhead::rules::state::{Controller, Posture};
use railhead::scenario::Scenario;
use railhead::scenario::ids::GroupingId;

use crate::common::{chain, unit};

fn synthetic() -> Scenario {
    let mut s = chain();
    // The commanders see the enemy as it is: the odds below are the odds.
    s.rules.intel_error = 0.0;
    s
}

fn grouping(s: &Scenario, name: &str) -> GroupingId {
    GroupingId(s.groupings.iter().position(|g| g.name == name).unwrap())
}

fn place(s: &Scenario, name: &str) -> Offset {
    s.place(name).unwrap().hex
}

/// Red's Hollow grouping moved up to the Crossways junction (and next to it).
fn crossways_reinforced(s: &mut Scenario) {
    let crossways = place(s, "Crossways");
    for (name, at) in [
        ("Hollow Tank Regiment", crossways),
        ("Hollow Rifle Regiment", Offset { col: 8, row: 3 }),
        ("Hollow Guns", Offset { col: 9, row: 2 }),
    ] {
        let u = unit(s, name);
        s.units[u.0].hex = at;
    }
}

/// The goals of Blue's Northern thrust on the first day, with its posture and why.
fn thrust_on_day_one(s: &Scenario) -> (Vec<Offset>, Option<(f64, f64)>, Posture, PostureWhy) {
    let blue = s.side_index("blue").unwrap();
    let thrust = grouping(s, "Northern thrust");
    let mut g = GameState::new(s, 1, default_controllers(s));
    advance_plans(s, &g.board, &g.forces, &mut g.command, &g.cursor, blue);
    let goals = attack_goals(s, &g.board, &g.forces, &g.depots, &g.command, thrust, 1.0);
    let at = posture::situation(s, &g.forces, thrust, 1.0).unwrap();
    let (now, why) = posture::choose(s, &g.command, thrust, &at, &goals);
    (goals.hexes, goals.waits, now, why)
}

#[test]
fn a_step_whose_point_is_reinforced_beyond_its_odds_waits() {
    let mut s = synthetic();
    let crossways = place(&s, "Crossways");
    let needed = odds_needed(&s, s.side_index("blue").unwrap());
    // As written: a battalion holds the junction, and the thrust goes for it.
    let (hexes, waits, now, _) = thrust_on_day_one(&s);
    assert_eq!(hexes, vec![crossways]);
    assert_eq!((waits, now), (None, Posture::Attack));

    crossways_reinforced(&mut s);
    let (hexes, waits, now, why) = thrust_on_day_one(&s);
    assert!(hexes.is_empty(), "{hexes:?}");
    let (ratio, need) = waits.expect("it waits");
    assert!(ratio < needed && need == needed, "{ratio} against {need}");
    assert_eq!(now, Posture::Hold);
    assert!(matches!(why, PostureWhy::HeldTooStrongly { .. }), "{why:?}");
    assert!(why.text().contains("waits"), "{}", why.text());

    // Played: the thrust holds, and does not storm the junction.
    let thrust = grouping(&s, "Northern thrust");
    let mut sim = Simulation::new(
        Arc::new(s.clone()),
        5,
        vec![Controller::Plan, Controller::Idle],
    );
    sim.play_day();
    let command = sim
        .world()
        .resource::<railhead::rules::state::HighCommand>();
    assert_eq!(command.posture[thrust], Posture::Hold);
    assert!(
        !sim.chronicle().iter().any(|l| matches!(&l.event,
            GameEvent::CombatResolved { hex, .. } if *hex == (crossways.col, crossways.row))),
        "it stormed the junction"
    );
}

#[test]
fn a_step_whose_point_is_held_too_strongly_shifts_to_a_weaker_point_of_its_axis() {
    let mut s = synthetic();
    let (crossways, fort) = (place(&s, "Crossways"), place(&s, "Fort Hollow"));
    s.plans[0].axis = vec![crossways, fort];
    crossways_reinforced(&mut s);
    // Fort Hollow, left by the grouping that held it, is the weaker point.
    let (hexes, waits, now, _) = thrust_on_day_one(&s);
    assert_eq!(hexes, vec![fort]);
    assert_eq!((waits, now), (None, Posture::Attack));
}

#[test]
fn an_objective_the_enemy_has_left_is_taken_whatever_the_plan() {
    let mut s = synthetic();
    let fort = place(&s, "Fort Hollow");
    let blue = s.side_index("blue").unwrap();
    // Blue's plan is for Crossways only, and holds once it is taken; a brigade of it
    // stands four hexes from Fort Hollow, which the Hollow grouping garrisons.
    s.plans[0].then = railhead::scenario::raw::AxisEnd::Hold;
    let rifles = unit(&s, "2nd Blue Rifles");
    s.units[rifles.0].hex = Offset { col: 5, row: 8 };
    let g = GameState::new(&s, 1, default_controllers(&s));
    let thrust = grouping(&s, "Northern thrust");
    let units = units_of(&g.forces, thrust);
    assert!(abandoned_objectives(&s, &g.board, &g.forces, &units).is_empty());

    // The Hollow grouping leaves on day 2: the fort stands empty from then on.
    let leave = s.start_date.succ_opt().unwrap();
    for u in &mut s.units {
        if s.groupings[u.grouping].name == "Hollow grouping" {
            u.departs = Some(leave);
        }
    }
    let mut sim = Simulation::new(
        Arc::new(s.clone()),
        5,
        vec![Controller::Plan, Controller::Ai],
    );
    let mut taken = None;
    while !sim.is_over() && taken.is_none() {
        sim.play_day();
        let board = sim.world().resource::<railhead::rules::state::Board>();
        if board.control[s.index(fort)] == Some(blue) {
            taken = Some(sim.cursor().turn);
        }
    }
    assert!(taken.is_some(), "the empty fort was never taken");

    // An objective held only by the line of the front, with nobody in it from the start,
    // is no opening: moved far from the fort at the start, the Hollow grouping never
    // garrisoned it.
    let mut s2 = synthetic();
    s2.plans[0].then = railhead::scenario::raw::AxisEnd::Hold;
    s2.units[rifles.0].hex = Offset { col: 5, row: 8 };
    for u in &mut s2.units {
        if s2.groupings[u.grouping].name == "Hollow grouping" {
            u.hex = Offset { col: 13, row: 0 };
        }
    }
    let g = GameState::new(&s2, 1, default_controllers(&s2));
    let units = units_of(&g.forces, thrust);
    assert!(abandoned_objectives(&s2, &g.board, &g.forces, &units).is_empty());
}

/// An offensive culminates where its railheads cannot follow: past the end of its axis a
/// grouping pursues the enemy's depots and objectives only within the range of a depot of
/// its side that its trains reach.
#[test]
fn past_its_axis_a_grouping_pursues_only_as_far_as_its_railheads_reach() {
    let s = Arc::new(synthetic());
    let thrust = grouping(&s, "Northern thrust");
    let mut sim = Simulation::new(s.clone(), 1, default_controllers(&s));
    // Blue's own supply reckoned (its depot's trains), before its orders.
    sim.step();
    sim.step();
    let mut g = GameState::take(sim.world());
    let step = s.plans.iter().position(|p| p.grouping == thrust).unwrap();
    g.command.progress[thrust.0] = Some((step, s.plans[step].axis.len()));
    let fort = s
        .depots
        .iter()
        .find(|d| d.name == "Fort Hollow depot")
        .unwrap()
        .hex;
    let goals = |g: &GameState, s: &Scenario| {
        attack_goals(s, &g.board, &g.forces, &g.depots, &g.command, thrust, 1.0).hexes
    };
    assert!(g.depots.0[0].capacity_now > 0.0, "Blue's depot is fed");
    assert!(
        goals(&g, &s).contains(&fort),
        "within reach, it pursues to the enemy's depot"
    );
    // The same depot with no trains reaching it: no railhead, no pursuit.
    let mut cut = GameState::take(sim.world());
    cut.command.progress[thrust.0] = Some((step, s.plans[step].axis.len()));
    cut.depots.0[0].capacity_now = 0.0;
    assert!(goals(&cut, &s).is_empty());
    // A depot of a short range: the enemy's depot lies beyond it.
    let mut near = (*s).clone();
    near.depots[0].range = 2;
    assert!(!goals(&g, &near).contains(&fort));
}

/// A defending side's grouping in `ai` mode takes back a lost objective on its own bank,
/// but not one across a river from all its units (a city it has left for the far bank):
/// a counter-attack over a river is a plan's to order.
#[test]
fn an_ai_grouping_takes_back_what_it_lost_on_its_own_bank_not_over_the_river() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/river_front.ron"),
    )
    .unwrap();
    let text = text
        .replace(
            "        Place(name: \"Elmwick\", at: Hex(7, 2), size: Town),",
            "        Place(name: \"Elmwick\", at: Hex(7, 2), size: Town),\n        Place(name: \"Riverside\", at: Hex(3, 4), size: Village),\n        Place(name: \"Eastfield\", at: Hex(5, 5), size: Village),",
        )
        .replace(
            "    rail: Rail(",
            "    objectives: [Objective(place: \"Riverside\", points: 5), Objective(place: \"Eastfield\", points: 5)],\n    rail: Rail(",
        )
        .replace("at: Hex(6, 4),", "at: Hex(4, 4),");
    let mut s = railhead::scenario::load_str(&text, "river_front.ron").unwrap();
    let west = s.side_index("west").unwrap();
    let east = s.side_index("east").unwrap();
    let (riverside, eastfield) = (place(&s, "Riverside"), place(&s, "Eastfield"));
    // Eastfield, on the east bank, was lost to the West; Riverside is the West's across
    // the river, one hex from the East's brigade.
    let i = s.index(eastfield);
    s.control[i] = Some(west);
    let mut controllers = default_controllers(&s);
    controllers[east.0] = Controller::Ai;
    let g = GameState::new(&s, 1, controllers);
    let east_army = grouping(&s, "East army");
    let goals = attack_goals(
        &s, &g.board, &g.forces, &g.depots, &g.command, east_army, 1.0,
    );
    assert!(goals.hexes.contains(&eastfield), "{:?}", goals.hexes);
    assert!(!goals.hexes.contains(&riverside), "{:?}", goals.hexes);
}
