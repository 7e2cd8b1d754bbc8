//! The narration tells a day against the days before it: a depot is told on the days that
//! are news (its cut begins or ends, its days of stock cross a band, its figures move by
//! more than a tenth), not day after day.

use std::sync::Arc;

use railhead::rules::narrate::{narrate_day, narrate_day_after};
use railhead::rules::simulation::Simulation;
use railhead::rules::state::Controller;
use railhead::scenario::load_file;

#[test]
fn a_depot_unchanged_for_days_is_told_once() {
    let s = Arc::new(
        load_file(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/scenarios/geo_valley.ron"),
        )
        .unwrap(),
    );
    let mut sim = Simulation::new(s.clone(), 1, vec![Controller::Idle, Controller::Idle]);
    for _ in 0..5 {
        sim.play_day();
    }
    let log = sim.chronicle().to_vec();
    let brisk = |lines: &[String]| -> Vec<String> {
        lines
            .iter()
            .filter(|l| l.trim_start().starts_with("Brisk depot"))
            .map(|l| l.trim().to_string())
            .collect()
    };
    let mut told = Vec::new();
    let mut alone = Vec::new();
    for turn in 1..=5 {
        let start = log.partition_point(|l| l.turn < turn);
        let end = log.partition_point(|l| l.turn <= turn);
        told.push(brisk(&narrate_day_after(
            &s,
            &log[start..end],
            &log[..start],
        )));
        alone.push(brisk(&narrate_day(&s, &log[start..end])));
    }
    // Told alone, every day repeats the same line.
    assert!(
        alone[0][0].starts_with("Brisk depot: received "),
        "{alone:?}"
    );
    assert!(alone.iter().all(|d| d == &alone[0]), "{alone:?}");
    // Told against the days before: in full, then nothing.
    assert_eq!(told[0], alone[0]);
    for (k, day) in told.iter().enumerate().skip(1) {
        assert!(day.is_empty(), "day {}: {day:?}", k + 1);
    }
}

/// Combats are told at places, not coordinates: the place in the hex, else the nearest
/// within two hexes (the larger of equals), else the way and distance from the nearest.
#[test]
fn a_hex_is_named_by_the_place_in_it_or_near_it() {
    use railhead::geo::Offset;
    use railhead::rules::narrate::hex_name;
    let s = load_file(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/tiny_valid.ron"),
    )
    .unwrap();
    let at = |col, row| hex_name(&s, Offset { col, row });
    assert_eq!(at(2, 3), "at Aster");
    assert_eq!(at(6, 3), "at Bramble");
    assert_eq!(at(5, 3), "near Bramble");
    // Two hexes from the town Aster and from the village Bramble: the town.
    assert_eq!(at(4, 3), "near Aster");
    // Farther than two hexes from any place: how far and which way from the nearest, never
    // coordinates. (7, 0) is three rows north of Bramble (6, 3), half a column east.
    let far = at(7, 0);
    let km = 3.0 * s.frame.hex_km * 0.9;
    assert!(
        far.starts_with("about ") && far.contains("north") && far.ends_with(" of Bramble"),
        "{far}"
    );
    let said: f64 = far["about ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((said - km).abs() <= 5.0, "{far}: about {km:.0} km expected");
}

/// A depot that holds day after day, its figures moving a little, is told the first day
/// it holds and then not again until it stops holding (Kharkiv's depots behind the front).
#[test]
fn a_depot_that_goes_on_holding_is_told_once() {
    let s = Arc::new(railhead::scenario::load_or_default(None).unwrap());
    let mut sim = Simulation::new(s.clone(), 2022, vec![Controller::Plan, Controller::Ai]);
    for _ in 0..8 {
        sim.play_day();
    }
    let log = sim.chronicle().to_vec();
    let mut quiet = 0;
    for depot in [
        "Kharkiv depot",
        "Chuhuiv depot",
        "Lozova depot",
        "Sloviansk depot",
    ] {
        let mut alone = Vec::new();
        let mut told = Vec::new();
        for turn in 1..=8 {
            let start = log.partition_point(|l| l.turn < turn);
            let end = log.partition_point(|l| l.turn <= turn);
            let pick = |lines: Vec<String>| -> Vec<String> {
                lines
                    .into_iter()
                    .filter(|l| l.trim_start().starts_with(&format!("{depot}:")))
                    .collect()
            };
            alone.push(pick(narrate_day(&s, &log[start..end])));
            told.push(pick(narrate_day_after(&s, &log[start..end], &log[..start])));
        }
        let holding = |d: &Vec<String>| d.iter().any(|l| l.ends_with(", holding."));
        // Days it held with figures that moved from the day before: told no more.
        for k in 1..8 {
            if holding(&alone[k]) && holding(&alone[k - 1]) && alone[k] != alone[k - 1] {
                assert!(told[k].is_empty(), "{depot} day {}: {:?}", k + 1, told[k]);
                quiet += 1;
            }
        }
        if holding(&alone[0]) {
            assert_eq!(told[0], alone[0], "{depot}: told the first day");
        }
    }
    assert!(
        quiet > 0,
        "no depot held with moving figures: the test tests nothing"
    );
}

/// A depot drained day after day (its lines cut) is told when its days of stock cross
/// 10, 5, 3 and 1, not every day its stock falls (Kharkiv's Lyman and Kupiansk depots).
#[test]
fn a_draining_depot_is_told_as_its_days_cross_a_band() {
    let s = Arc::new(railhead::scenario::load_or_default(None).unwrap());
    let mut sim = Simulation::new(s.clone(), 2022, vec![Controller::Plan, Controller::Ai]);
    while !sim.is_over() {
        sim.play_day();
    }
    let log = sim.chronicle().to_vec();
    let last = log.last().map_or(0, |l| l.turn);
    let days_left = |l: &str| -> Option<f64> {
        let head = l.strip_suffix(" days of stock left.")?;
        head.rsplit(' ').next()?.parse().ok()
    };
    let band = |d: f64| [10.0, 5.0, 3.0, 1.0].iter().filter(|b| d < **b).count();
    let (mut quiet, mut crossed) = (0, 0);
    for depot in s.depots.iter().map(|d| d.name.clone()) {
        let key = format!("{} depot:", depot.trim_end_matches(" depot"));
        let mut before: Option<String> = None;
        for turn in 1..=last {
            let start = log.partition_point(|l| l.turn < turn);
            let end = log.partition_point(|l| l.turn <= turn);
            let pick = |lines: Vec<String>| -> Option<String> {
                lines
                    .into_iter()
                    .map(|l| l.trim().to_string())
                    .find(|l| l.starts_with(&key))
            };
            let alone = pick(narrate_day(&s, &log[start..end]));
            let told = pick(narrate_day_after(&s, &log[start..end], &log[..start]));
            if let (Some(a), Some(b)) = (
                alone.as_deref().and_then(days_left),
                before.as_deref().and_then(days_left),
            ) {
                if band(a) != band(b) {
                    assert_eq!(
                        told, alone,
                        "{key} day {turn}: crossed from {b} to {a} days"
                    );
                    crossed += 1;
                } else if told.is_none() {
                    quiet += 1;
                }
            }
            before = alone;
        }
    }
    assert!(crossed > 0 && quiet > 0, "crossed {crossed}, quiet {quiet}");
}

/// A town taken whose depot stands elsewhere (Kupiansk's, at Kupiansk-Vuzlovyi across the
/// Oskil) is told with where its depot is, so the town is not taken for the depot; a town
/// whose depot stands in it is told plainly.
#[test]
fn a_town_taken_says_where_its_depot_stands_when_apart() {
    let s = Arc::new(railhead::scenario::load_or_default(None).unwrap());
    let mut sim = Simulation::new(s.clone(), 2022, vec![Controller::Plan, Controller::Ai]);
    for _ in 0..10 {
        sim.play_day();
    }
    let lines = narrate_day(&s, sim.chronicle());
    let taken = |town: &str| {
        lines
            .iter()
            .find(|l| {
                l.trim_start()
                    .starts_with(&format!("{town} is taken by Ukraine"))
            })
            .cloned()
            .unwrap_or_else(|| panic!("{town} not taken: {lines:#?}"))
    };
    assert!(
        taken("Kupiansk")
            .contains("The Kupiansk depot stands at Kupiansk-Vuzlovyi, not in the town"),
        "{}",
        taken("Kupiansk")
    );
    assert!(!taken("Izium").contains("depot"), "{}", taken("Izium"));
}

/// Damage the scenario dates is told with the reason its file gives, so a student reads
/// why a bridge is down on day 1.
#[test]
fn dated_damage_is_told_with_its_reason() {
    let s = Arc::new(
        load_file(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/kherson_2022.ron"),
        )
        .unwrap(),
    );
    let mut sim = Simulation::new(s.clone(), 1, vec![Controller::Idle, Controller::Idle]);
    sim.play_day();
    let lines = narrate_day(&s, sim.chronicle());
    let bridge = lines
        .iter()
        .find(|l| l.contains("The Antonivskyi road bridge is damaged"))
        .unwrap_or_else(|| panic!("{lines:#?}"));
    assert!(
        bridge.ends_with("of repair (HIMARS strikes of 19 July to 22 August: the deck holed, closed to vehicles)."),
        "{bridge}"
    );
}
