//! Random legal orders for many turns never break the game's invariants, and illegal
//! orders are refused with a reason and change nothing.

use std::sync::Arc;

use railhead::geo::Offset;
use railhead::rules::day::Stop;
use railhead::rules::events::GameEvent;
use railhead::rules::movement::{Threats, allowance, can_end_in, reach};
use railhead::rules::orders::Order;
use railhead::rules::simulation::Simulation;
use railhead::rules::state::{Board, Controller, Depots, Forces};
use railhead::scenario::ids::{SideId, UnitId};
use railhead::scenario::load_or_default;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn check_invariants(sim: &Simulation) {
    let s = sim.scenario();
    let forces = sim.world().resource::<Forces>();
    let mut stacks = std::collections::BTreeMap::<Offset, u32>::new();
    for u in forces.units.iter().filter(|u| u.active()) {
        assert!(
            s.frame.contains(u.hex()),
            "{} is off the map at {}",
            s.units[u.id].name,
            u.hex()
        );
        assert!(
            u.strength >= 0.0 && u.strength <= 1.0,
            "{} strength {}",
            s.units[u.id].name,
            u.strength
        );
        assert!((0.0..=1.0).contains(&u.readiness));
        *stacks.entry(u.hex()).or_default() += 1;
    }
    for (hex, n) in stacks {
        assert!(n <= s.rules.stacking_limit, "{n} units in {hex}");
    }
    for (d, st) in sim.world().resource::<Depots>().0.iter().enumerate() {
        assert!(
            st.stock >= 0.0 && st.stock <= f64::from(s.depots[d].capacity) + 1e-6,
            "{} stock {}",
            s.depots[d].name,
            st.stock
        );
    }
    // No hex is held by a side while only enemy units stand in it.
    let board = sim.world().resource::<Board>();
    for u in forces.units.iter().filter(|u| u.active()) {
        let held = board.control[s.index(u.hex())];
        assert!(
            held == Some(u.side) || forces.in_hex(u.hex()).any(|o| Some(o.side) == held),
            "control of {} disagrees with its units",
            u.hex()
        );
    }
}

fn random_orders(sim: &Simulation, side: SideId, rng: &mut ChaCha8Rng) -> Vec<Order> {
    let s = sim.scenario();
    let forces = sim.world().resource::<Forces>();
    let board = sim.world().resource::<Board>();
    let threats = Threats::for_side(&s, forces, side);
    let mut out = Vec::new();
    for u in forces.units.iter().filter(|u| u.active() && u.side == side) {
        if rng.random_bool(0.5) {
            let r = reach(&s, board, &threats, u, allowance(&s, u));
            let options: Vec<Offset> = r
                .cost
                .keys()
                .copied()
                .filter(|h| can_end_in(&s, &threats, u, *h))
                .collect();
            if let Some(to) = options.choose(rng) {
                out.push(Order::Move {
                    unit: u.id,
                    to: *to,
                });
            }
        } else if let Some(t) = s
            .neighbours(u.hex())
            .find(|n| forces.in_hex(*n).any(|e| e.side != side))
        {
            out.push(Order::Attack {
                attackers: vec![u.id],
                target: t,
            });
        }
    }
    out
}

#[test]
fn random_legal_orders_keep_the_game_sound() {
    let s = Arc::new(load_or_default(None).unwrap());
    for seed in 0..3u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut sim = Simulation::new(s.clone(), seed, vec![Controller::Human, Controller::Human]);
        for _ in 0..10 {
            // Each side's phase runs, then its orders are given, until the day ends.
            while let Stop::Orders(side) = sim.advance() {
                check_invariants(&sim);
                let orders = random_orders(&sim, side, &mut rng);
                sim.give(orders);
                check_invariants(&sim);
            }
            check_invariants(&sim);
        }
    }
}

/// Where each unit is and how strong.
fn positions(sim: &Simulation) -> Vec<(Offset, f64)> {
    sim.world()
        .resource::<Forces>()
        .units
        .iter()
        .map(|u| (u.hex(), u.strength))
        .collect()
}

#[test]
fn an_illegal_order_is_refused_with_a_reason_and_changes_nothing() {
    let s = Arc::new(load_or_default(None).unwrap());
    let mut sim = Simulation::new(s.clone(), 1, vec![Controller::Human, Controller::Human]);
    let ua = s.side_index("ua").unwrap();
    assert_eq!(sim.advance(), Stop::Orders(ua));
    let unit = UnitId(
        s.units
            .iter()
            .position(|u| u.name == "92nd Mechanized Brigade")
            .unwrap(),
    );
    let before = positions(&sim);
    let far = Offset { col: 39, row: 0 };
    let enemy = UnitId(s.units.iter().position(|u| u.side != ua).unwrap());
    sim.give(vec![
        Order::Move { unit, to: far },
        Order::Move {
            unit: enemy,
            to: s.unit(enemy).hex,
        },
        Order::Attack {
            attackers: vec![unit],
            target: far,
        },
    ]);
    let after = positions(&sim);
    assert_eq!(after, before, "refused orders moved or hurt units");
    assert!(!sim.chronicle().iter().any(|l| matches!(
        l.event,
        GameEvent::UnitMoved { .. } | GameEvent::CombatResolved { .. }
    )));
    let refusals: Vec<String> = sim
        .chronicle()
        .iter()
        .filter_map(|l| match &l.event {
            GameEvent::OrderRefused { reason, .. } => Some(reason.describe(&s)),
            _ => None,
        })
        .collect();
    assert_eq!(refusals.len(), 3, "{refusals:?}");
    assert!(refusals[0].contains("out of reach"), "{}", refusals[0]);
    assert!(refusals[1].contains("not yours"), "{}", refusals[1]);
    assert!(refusals[2].contains("no enemy"), "{}", refusals[2]);
    assert!(
        sim.orders().is_empty(),
        "refused orders were recorded as applied"
    );
}
