//! Calibration: facts of a scenario's history measured over seeded games and judged
//! against their bands, on the made-up synthetic scenario.

use std::path::Path;
use std::sync::Arc;

use railhead::report::calibrate::{self, Verdict};
use railhead::report::facts::{self, Measure};
use railhead::report::record::play_recorded;
use railhead::report::stats;
use railhead::rules::events::GameEvent;
use railhead::rules::setup::default_controllers;
use railhead::scenario::model::Fact;
use railhead::scenario::{Scenario, load_str};

fn synthetic_text() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/synthetic_chain.ron"),
    )
    .unwrap()
}

fn synthetic(replace: Option<(&str, &str)>) -> Arc<Scenario> {
    let mut text = synthetic_text();
    if let Some((from, to)) = replace {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    Arc::new(load_str(&text, "synthetic_chain.ron").unwrap())
}

const CROSSWAYS: &str = r#"Taken(place: "Crossways", by: "blue", days: (1, 10))"#;

#[test]
fn a_place_is_taken_on_the_day_its_objective_is_captured() {
    let s = synthetic(None);
    let (_, fact) = facts::facts(&s).next().unwrap();
    let Fact::Taken { place, by, .. } = *fact else {
        panic!("the first fact is Crossways taken: {fact:?}");
    };
    for seed in 1..=4 {
        let r = play_recorded(s.clone(), seed, default_controllers(&s), None);
        // Crossways is an objective too: its capture is an event of its own.
        let captured = r
            .events
            .iter()
            .find(|l| {
                matches!(l.event, GameEvent::ObjectiveCaptured { place: p, by: b, .. }
                    if p == place && b == by)
            })
            .map(|l| l.turn);
        assert!(captured.is_some(), "seed {seed}: Crossways never falls");
        assert_eq!(
            facts::measure(&r, fact),
            Measure::Day(captured),
            "seed {seed}"
        );
    }
}

#[test]
fn a_fact_is_inside_its_band_when_the_median_game_is() {
    let s = synthetic(None);
    let outcomes = stats::run_batch(s.clone(), default_controllers(&s), 1, 6, 1, &|| {}).unwrap();
    let rows = calibrate::table(&s, &outcomes);
    assert_eq!(
        rows.len(),
        facts::facts(&s).count() + s.territory_history.len()
    );
    let crossways = &rows[0];
    assert_eq!(crossways.verdict, Verdict::Inside, "{crossways:?}");
    assert_eq!(crossways.share_inside, Some(1.0));
    // A fact without a band is shown, not judged.
    assert!(rows.iter().any(|r| r.verdict == Verdict::Shown));
    let (judged, outside) = calibrate::counts(&rows);
    assert_eq!(outside, 0, "{rows:#?}");

    // The same games against a band that ends before the day Crossways fell.
    let day: u32 = crossways
        .median
        .trim_start_matches("day ")
        .parse()
        .expect("a day");
    let narrow = format!(
        r#"Taken(place: "Crossways", by: "blue", days: ({}, 10))"#,
        day + 1
    );
    let s2 = synthetic(Some((CROSSWAYS, &narrow)));
    let rows = calibrate::table(&s2, &outcomes);
    assert_eq!(rows[0].verdict, Verdict::Outside, "{:?}", rows[0]);
    assert_eq!(rows[0].share_inside, Some(0.0));
    assert_eq!(calibrate::counts(&rows), (judged, 1));
}

#[test]
fn a_place_lost_on_any_day_is_not_never_lost() {
    // Blue never holds Fort Hollow at the start, so "never lost by blue" is false in every
    // game; Westbury, far behind blue's front, is never lost.
    let s = synthetic(Some((
        r#"NeverLost(place: "Westbury", side: "blue")"#,
        r#"NeverLost(place: "Fort Hollow", side: "blue")"#,
    )));
    let r = play_recorded(s.clone(), 3, default_controllers(&s), None);
    let facts: Vec<_> = facts::facts(&s).map(|(_, f)| f.clone()).collect();
    let never = facts
        .iter()
        .find(|f| matches!(f, Fact::NeverLost { .. }))
        .unwrap();
    assert_eq!(facts::measure(&r, never), Measure::Holds(false));
    let s = synthetic(None);
    let r = play_recorded(s.clone(), 3, default_controllers(&s), None);
    let never = facts::facts(&s)
        .find(|(_, f)| matches!(f, Fact::NeverLost { .. }))
        .unwrap()
        .1;
    assert_eq!(facts::measure(&r, never), Measure::Holds(true));
}

#[test]
fn a_territory_figure_over_a_period_is_the_gain_between_its_dates() {
    let s = synthetic(None);
    let outcomes = stats::run_batch(s.clone(), default_controllers(&s), 1, 6, 1, &|| {}).unwrap();
    let blue = s.side_index("blue").unwrap().0;
    // Blue's gains after day 2 (2 March), up to day 5 (5 March), game by game.
    let gains: Vec<f64> = outcomes
        .iter()
        .map(|o| o.territory[blue][4] - o.territory[blue][1])
        .collect();
    let (lo, hi) = gains
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), g| (a.min(*g), b.max(*g)));
    assert!(hi > 0.0, "blue gains ground in those days: {gains:?}");
    let figure = |band: (f64, f64)| {
        format!(
            r#"TerritoryFigure(date: "2031-03-05", since: "2031-03-02", km2: 100, source: "made up", side: "blue", band: ({}, {})),
        TerritoryFigure(date: "2031-03-05", km2: 300,"#,
            band.0, band.1
        )
    };
    let total = r#"TerritoryFigure(date: "2031-03-05", km2: 300,"#;
    let around = synthetic(Some((total, &figure((lo.floor(), hi.ceil())))));
    let rows = calibrate::table(&around, &outcomes);
    let row = rows
        .iter()
        .find(|r| r.fact.contains("after 2031-03-02"))
        .expect("the period's row");
    assert_eq!(row.verdict, Verdict::Inside, "{row:?}");
    assert_eq!(row.share_inside, Some(1.0));
    let above = synthetic(Some((total, &figure((hi.ceil() + 1.0, hi.ceil() + 50.0)))));
    let rows = calibrate::table(&above, &outcomes);
    let row = rows
        .iter()
        .find(|r| r.fact.contains("after 2031-03-02"))
        .unwrap();
    assert_eq!(row.verdict, Verdict::Outside, "{row:?}");
    // A period that ends before it begins is refused.
    let text = synthetic_text().replacen(
        total,
        r#"TerritoryFigure(date: "2031-03-05", since: "2031-03-06", km2: 1, source: "x"),
        TerritoryFigure(date: "2031-03-05", km2: 300,"#,
        1,
    );
    let e = load_str(&text, "bad.ron").expect_err("since after date");
    assert!(
        e.diagnostics[0]
            .message
            .contains("it must begin before it ends"),
        "{e}"
    );
}

/// `Captured(by, from: grouping)` counts only the equipment taken from that grouping's
/// units; without `from`, everything the side took (on the Kherson scenario, where
/// equipment is taken from several groupings).
#[test]
fn equipment_captured_from_one_grouping_is_counted_apart() {
    let s = Arc::new(
        railhead::scenario::load_file(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/kherson_2022.ron"),
        )
        .unwrap(),
    );
    let ua = s.side_index("ua").unwrap();
    let from = |g: Option<railhead::scenario::ids::GroupingId>| Fact::Captured {
        by: ua,
        from: g,
        items: None,
    };
    let groupings: Vec<_> = s
        .grouping_ids()
        .filter(|g| s.grouping(*g).side != ua)
        .collect();
    let mut apart = 0;
    for seed in 1..=3 {
        let r = play_recorded(s.clone(), seed, default_controllers(&s), None);
        let amount = |f: &Fact| match facts::measure(&r, f) {
            Measure::Amount(a) => a,
            m => panic!("{m:?}"),
        };
        let each: Vec<f64> = groupings.iter().map(|g| amount(&from(Some(*g)))).collect();
        assert_eq!(
            each.iter().sum::<f64>(),
            amount(&from(None)),
            "seed {seed}: {each:?}"
        );
        apart += each.iter().filter(|a| **a > 0.0).count();
    }
    assert!(
        apart >= 2,
        "captures from at least two groupings to tell apart"
    );
    let g = groupings[0];
    assert_eq!(
        calibrate::describe(&s, &from(Some(g))),
        format!(
            "equipment of the {} captured by Ukraine",
            s.grouping(g).name
        )
    );
}
