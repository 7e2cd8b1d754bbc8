//! Crossings with a capacity, on the made-up bridgehead (`tests/scenarios/bridgehead.ron`):
//! the lines over a bridge carry no more than it does, a depot across the river feeds the
//! far bank only as much as the bridge has left, and a bridge takes so many units a day.
//! Each test has its control: the same scenario without the limit.

use std::sync::Arc;

use railhead::rules::day::Stop;
use railhead::rules::events::GameEvent;
use railhead::rules::orders::{Order, Refusal};
use railhead::rules::simulation::Simulation;
use railhead::rules::state::{Controller, Depots, Forces};
use railhead::scenario::{Scenario, load_str};

use crate::common::unit;

const BRIDGEHEAD: &str = include_str!("../scenarios/bridgehead.ron");
const LIMITS: &str = ", tonnes_per_day: 150, units_per_day: 2";

fn bridgehead(edit: impl Fn(String) -> String) -> Arc<Scenario> {
    Arc::new(load_str(&edit(BRIDGEHEAD.to_string()), "bridgehead.ron").unwrap())
}

fn without_limits(t: String) -> String {
    assert!(t.contains(LIMITS));
    t.replace(LIMITS, "")
}

/// No lorry haul and no depot in the bridgehead: its units draw from Ashby, across.
fn fed_from_across(t: String) -> String {
    t.lines()
        .filter(|l| !l.contains("Ashby-Bridgeford haul") && !l.contains("Bridgeford depot"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Both sides idle for `days` days.
fn idle(s: &Arc<Scenario>, days: u32) -> Simulation {
    let mut sim = Simulation::new(s.clone(), 1, vec![Controller::Idle, Controller::Idle]);
    for _ in 0..days {
        sim.play_day();
    }
    sim
}

fn share(sim: &Simulation, name: &str) -> f64 {
    let s = sim.scenario();
    sim.world().resource::<Forces>().units[unit(&s, name)].supply_share
}

#[test]
fn a_depot_across_the_river_feeds_the_far_bank_only_as_much_as_the_bridge_carries() {
    let s = bridgehead(fed_from_across);
    let sim = idle(&s, 1);
    // Three brigades of 100 t a day over a bridge of 150 t: half each.
    for n in ["1st", "2nd", "3rd"] {
        let got = share(&sim, &format!("{n} Bridgehead Rifles"));
        assert!((got - 0.5).abs() < 0.01, "{n}: {got}");
    }
    // The reserve on the near bank is not held up by the bridge.
    assert_eq!(share(&sim, "2nd Reserve Rifles"), 1.0);
    let said = sim.chronicle().iter().find_map(|l| match &l.event {
        GameEvent::CrossingSupply {
            last_mile, asked, ..
        } => Some((*last_mile, *asked)),
        _ => None,
    });
    assert_eq!(said, Some((150.0, 300.0)));
    let told = railhead::rules::narrate::narrate_day(&s, sim.chronicle()).join("\n");
    assert!(
        told.contains(
            "Lantern bridge (bridge, 150 t a day): 150 t of Westland supply over it; units \
             across it got 150 t of the 300 t they asked of depots on the far bank."
        ),
        "{told}"
    );
    let stock = sim.world().resource::<Depots>().0[0].stock;
    // Ashby gave out what crossed and what the reserve drew, no more.
    assert!(stock >= 5000.0 - 150.0 - 30.0 - 1.0, "{stock}");

    let open = idle(&bridgehead(|t| without_limits(fed_from_across(t))), 1);
    for n in ["1st", "2nd", "3rd"] {
        assert_eq!(share(&open, &format!("{n} Bridgehead Rifles")), 1.0);
    }
}

/// Tonnes the Bridgeford depot received on each day.
fn bridgeford_inflow(sim: &Simulation) -> Vec<f64> {
    let s = sim.scenario();
    sim.chronicle()
        .iter()
        .filter_map(|l| match &l.event {
            GameEvent::DepotSupply { depot, inflow, .. }
                if s.depot(*depot).name == "Bridgeford depot" =>
            {
                Some(*inflow)
            }
            _ => None,
        })
        .collect()
}

#[test]
fn a_line_over_a_bridge_carries_no_more_than_the_bridge() {
    let sim = idle(&bridgehead(|t| t), 4);
    let limited = bridgeford_inflow(&sim);
    assert_eq!(limited.len(), 4);
    assert!(limited.iter().all(|t| *t == 150.0), "{limited:?}");
    let open = bridgeford_inflow(&idle(&bridgehead(without_limits), 4));
    // Unlimited, the haul brings what the depot asks: its units' needs and a reserve.
    assert!(open.iter().all(|t| *t > 300.0), "{open:?}");
}

#[test]
fn a_bridge_takes_so_many_units_a_day() {
    for (limited, crossed) in [(true, 2), (false, 3)] {
        let s = bridgehead(|t| if limited { t } else { without_limits(t) });
        let mut sim = Simulation::new(s.clone(), 1, vec![Controller::Human, Controller::Idle]);
        assert_eq!(
            sim.advance(),
            Stop::Orders(railhead::scenario::ids::SideId(0))
        );
        let orders =
            [("1st", 4, 1), ("2nd", 4, 3), ("3rd", 4, 0)].map(|(n, col, row)| Order::Move {
                unit: unit(&s, &format!("{n} Reserve Rifles")),
                to: railhead::geo::Offset { col, row },
            });
        let outcomes = sim.give(orders.clone());
        assert_eq!(
            outcomes.iter().filter(|o| o.is_ok()).count(),
            crossed,
            "{outcomes:?}"
        );
        if limited {
            assert!(
                matches!(outcomes[2], Err(Refusal::CrossingFull { .. })),
                "{:?}",
                outcomes[2]
            );
            let text = outcomes[2].clone().unwrap_err().describe(&s);
            assert!(
                text.contains("Lantern bridge") && text.contains("2 units"),
                "{text}"
            );
            // The next day the bridge has room again.
            sim.play_day();
            assert_eq!(
                sim.advance(),
                Stop::Orders(railhead::scenario::ids::SideId(0))
            );
            let again = sim.give([orders[2].clone()]);
            assert!(again[0].is_ok(), "{again:?}");
        }
    }
}

/// The bridgehead with `events` added.
fn with_events(t: String, events: &str) -> String {
    t.replace(
        "    groupings: [",
        &format!("    events: [\n{events}\n    ],\n    groupings: ["),
    )
}

#[test]
fn dated_damage_closes_a_bridge_until_its_side_has_repaired_it() {
    let damaged = |t| {
        with_events(
            t,
            r#"Damage(date: "2030-06-02", target: Crossing("Lantern bridge"), capacity_left: 0.0, days: 3),"#,
        )
    };
    let inflow = bridgeford_inflow(&idle(&bridgehead(damaged), 6));
    // Closed on day 2, repaired a day at each day's end: open again on day 5.
    assert_eq!(inflow, vec![150.0, 0.0, 0.0, 0.0, 150.0, 150.0]);

    // Half its capacity left: half the supply over it.
    let halved = |t| {
        with_events(
            t,
            r#"Damage(date: "2030-06-02", target: Crossing("Lantern bridge"), capacity_left: 0.5, days: 2),"#,
        )
    };
    let inflow = bridgeford_inflow(&idle(&bridgehead(halved), 4));
    assert_eq!(inflow, vec![150.0, 75.0, 75.0, 150.0]);

    // A repair the scenario dates comes when it says.
    let repaired = |t| {
        with_events(
            t,
            r#"Damage(date: "2030-06-02", target: Crossing("Lantern bridge"), capacity_left: 0.0, days: 20),
        Repair(date: "2030-06-04", target: Crossing("Lantern bridge")),"#,
        )
    };
    let inflow = bridgeford_inflow(&idle(&bridgehead(repaired), 5));
    assert_eq!(inflow, vec![150.0, 0.0, 0.0, 150.0, 150.0]);
}

#[test]
fn dated_damage_cuts_a_railway_and_burns_a_depots_stock() {
    // The haul as a railway over the bridge, cut on day 2 for two days of repair.
    let rail = |t: String| {
        with_events(
            t.replace(", capacity: 1000, mode: Truck)", ", capacity: 1000)"),
            r#"Damage(date: "2030-06-02", target: Link("Ashby-Bridgeford haul"), days: 2),
        Damage(date: "2030-06-03", target: Depot("Ashby depot"), stock_lost: 0.5),"#,
        )
    };
    let sim = idle(&bridgehead(rail), 4);
    assert_eq!(bridgeford_inflow(&sim), vec![150.0, 0.0, 0.0, 150.0]);
    let burnt = sim.chronicle().iter().find_map(|l| match &l.event {
        GameEvent::DepotStruck { tonnes, .. } => Some((l.turn, *tonnes)),
        _ => None,
    });
    let (turn, tonnes) = burnt.expect("the depot was struck");
    assert_eq!(turn, 3);
    assert!((2000.0..=2600.0).contains(&tonnes), "{tonnes}");

    // A junction struck: every railway meeting there is cut.
    let junction = |t: String| {
        with_events(
            t.replace(", capacity: 1000, mode: Truck)", ", capacity: 1000)"),
            r#"Damage(date: "2030-06-02", target: Node("Bridgeford"), days: 2),"#,
        )
    };
    assert_eq!(
        bridgeford_inflow(&idle(&bridgehead(junction), 4)),
        vec![150.0, 0.0, 0.0, 150.0]
    );
}

const UNDER_FIRE: &str = include_str!("../scenarios/bridgehead_strikes.ron");

fn under_fire(edit: impl Fn(String) -> String) -> Arc<Scenario> {
    Arc::new(load_str(&edit(UNDER_FIRE.to_string()), "bridgehead_strikes.ron").unwrap())
}

/// East's AI strikes, West stands: `days` days.
fn struck(s: &Arc<Scenario>, seed: u64, days: u32) -> Simulation {
    let mut sim = Simulation::new(s.clone(), seed, vec![Controller::Idle, Controller::Ai]);
    for _ in 0..days {
        sim.play_day();
    }
    sim
}

#[test]
fn strikes_on_its_one_bridge_starve_a_bridgehead() {
    let sure = |t: String| t.replace("hit: 0.9, intercepted: 0.1", "hit: 1.0, intercepted: 0.0");
    let sim = struck(&under_fire(sure), 1, 6);
    let inflow = bridgeford_inflow(&sim);
    // Fed on the first day (East's phase comes after West's), then never again: the AI
    // strikes the bridge again before its repair is done.
    assert_eq!(inflow[0], 150.0);
    assert!(inflow[1..].iter().all(|t| *t == 0.0), "{inflow:?}");
    let strikes: Vec<_> = sim
        .chronicle()
        .iter()
        .filter(|l| matches!(l.event, GameEvent::CrossingDamaged { by: Some(_), .. }))
        .map(|l| l.turn)
        .collect();
    assert_eq!(strikes, vec![1, 2, 3, 4, 5, 6]);
    let forces = sim.world().resource::<Forces>();
    let s = sim.scenario();
    for n in ["1st", "2nd", "3rd"] {
        let u = &forces.units[unit(&s, &format!("{n} Bridgehead Rifles"))];
        assert_eq!(u.supply_share, 0.0, "{n}");
    }

    // The same bridgehead without East's rockets is fed every day.
    let quiet = struck(
        &under_fire(|t| {
            t.lines()
                .filter(|l| !l.contains("StrikeAssets(") && !l.contains("crossings: Harm("))
                .collect::<Vec<_>>()
                .join("\n")
        }),
        1,
        6,
    );
    assert_eq!(bridgeford_inflow(&quiet), vec![150.0; 6]);
}

/// Air defence over a crossing: a shield that stops every strike keeps the bridgehead fed,
/// and the rockets go to what they can reach (the depots); a crossing's worth to the AI is
/// scaled by the share of strikes that get through.
#[test]
fn a_bridge_under_air_defence_is_not_closed_and_the_rockets_go_elsewhere() {
    let sure = |t: String| {
        t.replace("hit: 0.9, intercepted: 0.1", "hit: 1.0, intercepted: 0.0")
            .replace(
                "tonnes_per_day: 150, units_per_day: 2)",
                "tonnes_per_day: 150, units_per_day: 2, air_defence: 1.0)",
            )
    };
    let s = under_fire(sure);
    assert_eq!(s.crossings[0].air_defence, 1.0);
    let sim = struck(&s, 1, 6);
    assert_eq!(bridgeford_inflow(&sim), vec![150.0; 6]);
    let at_bridge: Vec<_> = sim
        .chronicle()
        .iter()
        .filter_map(|l| match &l.event {
            GameEvent::StrikeMade {
                crossing: Some(_),
                outcome,
                ..
            } => Some(*outcome),
            _ => None,
        })
        .collect();
    assert!(
        at_bridge
            .iter()
            .all(|o| *o == railhead::rules::events::StrikeOutcome::Intercepted),
        "{at_bridge:?}"
    );
    let at_depots = sim
        .chronicle()
        .iter()
        .filter(|l| matches!(l.event, GameEvent::StrikeMade { depot: Some(_), .. }))
        .count();
    assert!(at_depots > 0, "the rockets found other targets");
}

/// A hit is narrated with what it takes from the enemy's supply: the bridgehead's bridge
/// carries its 150 t a day, and the line says so before the damage.
#[test]
fn a_hit_is_told_with_the_supply_it_takes() {
    let sure = |t: String| t.replace("hit: 0.9, intercepted: 0.1", "hit: 1.0, intercepted: 0.0");
    let s = under_fire(sure);
    let sim = struck(&s, 1, 2);
    let day2: Vec<_> = sim
        .chronicle()
        .iter()
        .filter(|l| l.turn == 2)
        .cloned()
        .collect();
    let lines = railhead::rules::narrate::narrate_day(&s, &day2);
    let hit = lines
        .iter()
        .position(|l| {
            l.contains("hit the Lantern bridge, worth about 150 t a day of the enemy's supply")
        })
        .unwrap_or_else(|| panic!("{lines:#?}"));
    let damage = lines
        .iter()
        .position(|l| l.contains("strikes the Lantern bridge: closed to traffic"))
        .unwrap_or_else(|| panic!("{lines:#?}"));
    assert!(hit < damage, "{lines:#?}");
}

#[test]
fn strikes_are_dice_that_replay_exactly() {
    let s = under_fire(|t| t.replace("hit: 0.9, intercepted: 0.1", "hit: 0.5, intercepted: 0.2"));
    let outcomes = |seed| -> Vec<String> {
        struck(&s, seed, 6)
            .chronicle()
            .iter()
            .filter(|l| matches!(l.event, GameEvent::StrikeMade { .. }))
            .map(|l| l.to_json(&s).to_string())
            .collect()
    };
    assert_eq!(outcomes(3), outcomes(3));
    let all: std::collections::BTreeSet<Vec<String>> = (0..6).map(outcomes).collect();
    assert!(all.len() > 1, "six seeds, one sequence of strikes");
    let kinds: std::collections::BTreeSet<String> = all
        .iter()
        .flatten()
        .map(|j| serde_json::from_str::<serde_json::Value>(j).unwrap()["outcome"].to_string())
        .collect();
    assert_eq!(kinds.len(), 3, "hits, misses and interceptions: {kinds:?}");
}

#[test]
fn a_strike_order_is_checked_like_any_other() {
    use railhead::scenario::model::Target;
    // A range of 6 hexes: the bridge is 5 from East's unit, Ashby 8.
    let s = under_fire(|t| t.replace("range: 8", "range: 6"));
    let mut sim = Simulation::new(s.clone(), 1, vec![Controller::Idle, Controller::Human]);
    sim.play_day();
    let east = railhead::scenario::ids::SideId(1);
    assert_eq!(sim.advance(), Stop::Orders(east));
    let bridge = Target::Crossing(0);
    let depot = |name: &str| Target::Depot(s.depots.iter().position(|d| d.name == name).unwrap());
    let refused = |sim: &mut Simulation, target| sim.give([Order::Strike { assets: 0, target }]);
    // East's own depot, a railway it has no effect for, a depot out of range.
    assert_eq!(
        refused(&mut sim, depot("Elmwick depot")),
        vec![Err(Refusal::NotAnEnemyTarget)]
    );
    assert_eq!(
        refused(&mut sim, Target::Link(0)),
        vec![Err(Refusal::CannotStrike(0))]
    );
    assert_eq!(
        refused(&mut sim, depot("Ashby depot")),
        vec![Err(Refusal::OutOfStrikeRange {
            assets: 0,
            range: 6
        })]
    );
    assert_eq!(refused(&mut sim, bridge), vec![Ok(())]);
    assert_eq!(
        refused(&mut sim, bridge),
        vec![Err(Refusal::NoStrikesLeft(0))]
    );
    let text = Refusal::NoStrikesLeft(0).describe(&s);
    assert_eq!(text, "Rocket artillery have no strikes left today");
}

#[test]
fn the_help_gives_the_scenarios_crossings_and_strikes() {
    let s = under_fire(|t| t);
    let help = railhead::rules::narrate::how_it_works(&s);
    let (title, lines) = help
        .iter()
        .find(|(t, _)| t == "Rivers, crossings and strikes")
        .expect("the section");
    assert!(!title.is_empty());
    let text = lines.join("\n");
    assert!(
        text.contains("Lantern bridge (150 t and 2 units a day)"),
        "{text}"
    );
    assert!(
        text.contains("Eastland's Rocket artillery: 1 strike a day at targets within 8 hexes of its units; 90% hit, 10% are intercepted. A hit closes a crossing for 3 days; burns 40% of a depot's stock."),
        "{text}"
    );
}

const WITHDRAWAL: &str = include_str!("../scenarios/bridgehead_withdrawal.ron");

fn withdrawal(edit: impl Fn(String) -> String) -> Arc<Scenario> {
    Arc::new(load_str(&edit(WITHDRAWAL.to_string()), "bridgehead_withdrawal.ron").unwrap())
}

/// West's AI falls back, East stands: each day, the units that crossed the Lantern west
/// (from column 4 or beyond to column 3 or before).
fn crossings_by_day(s: &Arc<Scenario>, days: u32) -> (Simulation, Vec<Vec<String>>) {
    let mut sim = Simulation::new(s.clone(), 2, vec![Controller::Ai, Controller::Idle]);
    for _ in 0..days {
        sim.play_day();
    }
    let mut by_day = vec![Vec::new(); days as usize];
    for l in sim.chronicle() {
        if let GameEvent::UnitMoved { unit, from, to, .. } = &l.event
            && from.0 >= 4
            && to.0 <= 3
        {
            by_day[l.turn as usize - 1].push(s.unit(*unit).name.clone());
        }
    }
    (sim, by_day)
}

#[test]
fn a_withdrawal_over_a_narrow_bridge_takes_the_days_it_must_its_rearguard_last() {
    let s = withdrawal(|t| t);
    let (sim, by_day) = crossings_by_day(&s, 4);
    // Two a day over a bridge of two units a day: five brigades take three days.
    let counts: Vec<usize> = by_day.iter().map(Vec::len).collect();
    assert_eq!(counts, vec![2, 2, 1, 0], "{by_day:?}");
    // The two out of contact go first; the three in contact with the enemy hold it off
    // and cross last.
    let mut first = by_day[0].clone();
    first.sort();
    assert_eq!(
        first,
        vec!["4th Bridgehead Rifles", "5th Bridgehead Rifles"]
    );
    for name in by_day[1].iter().chain(&by_day[2]) {
        assert!(
            ["1st", "2nd", "3rd"].iter().any(|n| name.starts_with(n)),
            "{name}"
        );
    }
    // All of them over: none left on the east bank.
    let forces = sim.world().resource::<Forces>();
    assert!(
        forces
            .units
            .iter()
            .filter(|u| u.active() && s.grouping(u.grouping).name == "Bridgehead")
            .all(|u| u.hex().col <= 3)
    );

    // The same bridge without its limit: all five over on the first two days.
    let open = withdrawal(without_limits);
    let (_, by_day) = crossings_by_day(&open, 4);
    assert!(by_day[0].len() >= 3, "{by_day:?}");
}

/// Equipment the Bridgehead's brigades left behind, with the causes said.
fn left_behind(sim: &Simulation) -> (u32, Vec<String>) {
    let mut total = 0;
    let mut why = Vec::new();
    for l in sim.chronicle() {
        if let GameEvent::EquipmentAbandoned { items, why: w, .. } = &l.event {
            total += items.values().sum::<u32>();
            why.push(w.text());
        }
    }
    (total, why)
}

#[test]
fn an_early_planned_withdrawal_leaves_less_than_a_late_forced_one() {
    let equipped = |t: String| {
        t.replace(
            "readiness: 0.9, supply_use: 100),",
            r#"readiness: 0.9, supply_use: 100, equipment: {"tanks": 20, "ifv": 40}),"#,
        )
    };
    // Early: the depot in the bridgehead stocked, the enemy three hexes off.
    let early = withdrawal(|t| {
        equipped(t)
            .replace(
                r#"node: "Bridgeford", stock: 0,"#,
                r#"node: "Bridgeford", stock: 5000,"#,
            )
            .replace(
                r#"grouping: "East army", at: Hex(6, 2)"#,
                r#"grouping: "East army", at: Hex(8, 2)"#,
            )
    });
    // Late: the bridge closed by strikes before the order, the depot empty, the enemy in
    // contact.
    let late = withdrawal(|t| {
        with_events(
            equipped(t),
            r#"Damage(date: "2030-06-01", target: Crossing("Lantern bridge"), capacity_left: 0.0, days: 3),"#,
        )
    });
    let (early_sim, _) = crossings_by_day(&early, 6);
    let (late_sim, _) = crossings_by_day(&late, 6);
    let (early_left, _) = left_behind(&early_sim);
    let (late_left, why) = left_behind(&late_sim);
    assert_eq!(
        early_left, 0,
        "a supplied grouping out of contact leaves nothing"
    );
    assert!(late_left > 100, "{late_left}");
    assert!(
        why.iter()
            .any(|w| w.contains("short of fuel") && w.contains("breaking contact")),
        "{why:?}"
    );
}

/// The bridgehead with a second, narrow crossing (a ferry), its depot stocked, the enemy
/// three hexes off with rockets: West's command falls back when its lines are cut.
fn under_fire_with_a_ferry(strikes: bool) -> Arc<Scenario> {
    withdrawal(|t| {
        let mut t = t
            .replace(
                r#"Crossing(name: "Lantern bridge", at: Hex(3, 2), kind: Bridge, tonnes_per_day: 150, units_per_day: 2)]"#,
                r#"Crossing(name: "Lantern bridge", at: Hex(3, 2), kind: Bridge, tonnes_per_day: 600, units_per_day: 3),
                Crossing(name: "Lantern ferry", at: Hex(3, 4), kind: Ferry, tonnes_per_day: 60, units_per_day: 2)]"#,
            )
            .replace(r#"node: "Bridgeford", stock: 0,"#, r#"node: "Bridgeford", stock: 2000,"#)
            .replace(
                "days_of_supply_below: 0.0, lines_cut_at_least: 1.0, force_ratio_above: 0.0, reasons_needed: 1)",
                "days_of_supply_below: 3.0, lines_cut_at_least: 0.9, force_ratio_above: 5.0, reasons_needed: 1, stand_fast_after_days: 3)",
            )
            .replace(r#"grouping: "East army", at: Hex(6, 2)"#, r#"grouping: "East army", at: Hex(8, 2)"#)
            .replace("turns: 8,", "turns: 12,")
            .replace(
                "readiness: 0.9, supply_use: 100),",
                r#"readiness: 0.9, supply_use: 100, equipment: {"tanks": 20, "ifv": 40}),"#,
            );
        if strikes {
            t = t.replace(
                "    groupings: [",
                r#"    strikes: [
        StrikeAssets(name: "Rocket artillery", side: "east", per_day: 1, range: 8, hit: 0.9, intercepted: 0.1,
            crossings: Harm(capacity_left: 0.0, days: 4)),
    ],
    groupings: ["#,
            );
        }
        t
    })
}

#[test]
fn a_bridgehead_starved_by_strikes_falls_back_over_its_ferry_in_order_and_leaves_little() {
    for seed in [1, 2, 3, 4, 5] {
        let s = under_fire_with_a_ferry(true);
        let mut sim = Simulation::new(s.clone(), seed, vec![Controller::Ai, Controller::Ai]);
        for _ in 0..10 {
            sim.play_day();
        }
        let log = sim.chronicle();
        let ordered: Vec<u32> = log
            .iter()
            .filter(|l| matches!(l.event, GameEvent::WithdrawalOrdered { .. }))
            .map(|l| l.turn)
            .collect();
        assert!(
            !ordered.is_empty() && ordered[0] <= 4,
            "seed {seed}: {ordered:?}"
        );
        // No order taken back the day after it was given.
        for l in log {
            if matches!(l.event, GameEvent::WithdrawalEnded { .. }) {
                assert!(
                    ordered.iter().all(|o| l.turn > o + 1),
                    "seed {seed}: ended on day {}",
                    l.turn
                );
            }
        }
        // Everyone over, none lost, and (fed from its depot's stock as it went) nothing left.
        let forces = sim.world().resource::<Forces>();
        let bridgehead: Vec<_> = forces
            .units
            .iter()
            .filter(|u| s.grouping(u.grouping).name == "Bridgehead")
            .collect();
        assert!(
            bridgehead.iter().all(|u| u.active() && u.hex().col <= 3),
            "seed {seed}"
        );
        assert_eq!(
            left_behind(&sim).0,
            0,
            "seed {seed}: {:?}",
            left_behind(&sim).1
        );
    }
    // The same bridgehead without the rockets holds where it is.
    let s = under_fire_with_a_ferry(false);
    let mut sim = Simulation::new(s.clone(), 1, vec![Controller::Ai, Controller::Ai]);
    for _ in 0..10 {
        sim.play_day();
    }
    assert!(
        !sim.chronicle()
            .iter()
            .any(|l| matches!(l.event, GameEvent::WithdrawalOrdered { .. }))
    );
    let forces = sim.world().resource::<Forces>();
    assert!(
        forces
            .units
            .iter()
            .filter(|u| s.grouping(u.grouping).name == "Bridgehead")
            .all(|u| u.hex().col >= 4)
    );
}

#[test]
fn a_pontoon_is_built_in_its_days_and_not_under_the_enemys_guns() {
    let site = |t: String| {
        t.replace(
            "tonnes_per_day: 150, units_per_day: 2)]",
            r#"tonnes_per_day: 150, units_per_day: 2),
                Crossing(name: "Lantern pontoon", at: Hex(3, 4), kind: Pontoon, intact: false, build_days: 3, units_per_day: 2)]"#,
        )
    };
    let built = |sim: &Simulation| -> Vec<u32> {
        sim.chronicle()
            .iter()
            .filter(|l| matches!(l.event, GameEvent::CrossingBuilt { .. }))
            .map(|l| l.turn)
            .collect()
    };
    let s = bridgehead(site);
    let sim = idle(&s, 5);
    assert_eq!(built(&sim), vec![3]);
    assert!(
        sim.world()
            .resource::<railhead::rules::state::Board>()
            .crossing_intact[1]
    );
    let told = railhead::rules::narrate::narrate_day(&s, sim.chronicle()).join("\n");
    assert!(
        told.contains(
            "Westland finishes the Lantern pontoon over the Lantern: a pontoon bridge it can cross."
        ),
        "{told}"
    );
    // An enemy brigade next to the site (East holding the far bank's row 4): no work is
    // done.
    let watched = bridgehead(|t| {
        let mut rows = 0;
        site(t)
            .lines()
            .map(|l| {
                if l.trim() == r#""WWWWWWEEEE","# {
                    rows += 1;
                    if rows == 5 {
                        return l.replace("WWWWWWEEEE", "WWWWEEEEEE");
                    }
                }
                l.to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
            .replace(
                r#"grouping: "East army", at: Hex(8, 2)"#,
                r#"grouping: "East army", at: Hex(4, 4)"#,
            )
    });
    let sim = idle(&watched, 5);
    assert!(built(&sim).is_empty());
}

/// The bridgehead ordered back with two strong East brigades beside the first, attacking
/// (East's AI goes for Bridgeford), units out of supply a few days surrendering: with its
/// bridge taking `per_day` units a day (`None`: no limit).
fn pursued(per_day: Option<u32>) -> Arc<Scenario> {
    withdrawal(|t| {
        let east = r#"        Unit(name: "1st East Rifles", side: "east", kind: Infantry, size: Brigade, grouping: "East army", at: Hex(6, 2),
            strength: 1.0, attack: 6, defence: 6, movement: 8, readiness: 0.9, supply_use: 100),"#;
        assert!(t.contains(east));
        let tanks = |n: &str, row: u32| {
            east.replace("1st East Rifles", n)
                .replace("Hex(6, 2)", &format!("Hex(6, {row})"))
                .replace("attack: 6", "attack: 14")
        };
        let limit = per_day.map_or(String::new(), |n| format!(", units_per_day: {n}"));
        t.replace(east, &format!("{east}\n{}\n{}", tanks("2nd East Tanks", 1), tanks("3rd East Tanks", 3)))
            .replace("tonnes_per_day: 150, units_per_day: 2)", &format!("tonnes_per_day: 150{limit})"))
            .replace(
                "    ai: [",
                "    objectives: [Objective(place: \"Bridgeford\", points: 5)],\n    rules: Rules(surrender_after_days: 4),\n    ai: [",
            )
            .replace("turns: 8,", "turns: 12,")
    })
}

#[test]
fn with_its_crossing_too_narrow_for_the_withdrawal_the_rearguard_is_lost() {
    let lost = |per_day| -> Vec<String> {
        let s = pursued(per_day);
        let mut sim = Simulation::new(s.clone(), 1, vec![Controller::Ai, Controller::Ai]);
        for _ in 0..12 {
            sim.play_day();
        }
        sim.chronicle()
            .iter()
            .filter_map(|l| match &l.event {
                GameEvent::UnitDestroyed { unit, .. } => Some(s.unit(*unit).name.clone()),
                _ => None,
            })
            .collect()
    };
    let narrow = lost(Some(1));
    assert!(!narrow.is_empty(), "nobody was lost");
    // The rearguard (in contact at the start) is among those lost; the first over is not
    // (the others of the main body may be caught waiting at the bridge).
    assert!(
        narrow
            .iter()
            .any(|name| ["1st", "2nd", "3rd"].iter().any(|n| name.starts_with(n))),
        "{narrow:?}"
    );
    assert!(!narrow.iter().any(|n| n.starts_with("4th")), "{narrow:?}");
    assert!(lost(None).is_empty(), "a bridge wide enough loses nobody");
}

#[test]
fn an_order_back_is_taken_back_at_once_when_supply_is_plainly_restored() {
    let ended = |s: &Arc<Scenario>| -> Option<u32> {
        let mut sim = Simulation::new(s.clone(), 2, vec![Controller::Ai, Controller::Ai]);
        for _ in 0..10 {
            sim.play_day();
        }
        sim.chronicle()
            .iter()
            .find(|l| matches!(l.event, GameEvent::WithdrawalEnded { .. }))
            .map(|l| l.turn)
    };
    // Over the ferry and fed again from Ashby: after three days with no reason...
    let patient = ended(&under_fire_with_a_ferry(true)).expect("it stands fast in the end");
    // ... or at once, its supply above the higher threshold.
    let recovering = {
        let s = under_fire_with_a_ferry(true);
        let mut s = (*s).clone();
        s.ai[0].stand_fast_above_days = Some(5.0);
        Arc::new(s)
    };
    let at_once = ended(&recovering).expect("it stands fast");
    assert_eq!(at_once + 2, patient, "{at_once} against {patient}");
}

#[test]
fn a_bridge_that_carries_only_the_last_mile_is_worth_striking() {
    // No haul and no depot in the bridgehead: its brigades draw from Ashby, across.
    let s = under_fire(|t| fed_from_across(t).replace(", depots: Harm(stock_lost: 0.4)", ""));
    let sim = struck(&s, 1, 2);
    let hit_or_tried: Vec<u32> = sim
        .chronicle()
        .iter()
        .filter(|l| {
            matches!(
                l.event,
                GameEvent::StrikeMade {
                    crossing: Some(_),
                    ..
                }
            )
        })
        .map(|l| l.turn)
        .collect();
    assert_eq!(hit_or_tried.first(), Some(&1), "{hit_or_tried:?}");
}
