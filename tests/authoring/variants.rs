//! What-if variants: each shipped variant changes what it says and nothing else, and the
//! Kupiansk-held variant delays (or prevents) the Izium withdrawal.

use std::path::{Path, PathBuf};

use railhead::scenario::raw::AxisEnd;
use railhead::scenario::{Scenario, load_file};

fn scenario(name: &str) -> Scenario {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    load_file(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The variant with the base's title and description (and so content and its hash), to
/// compare the rest.
fn untitled(mut v: Scenario, base: &Scenario) -> Scenario {
    assert_ne!(
        v.content_hash, base.content_hash,
        "a variant hashes as its base"
    );
    v.content_hash.clone_from(&base.content_hash);
    v.content.clone_from(&base.content);
    v.name.clone_from(&base.name);
    v.description.clone_from(&base.description);
    v
}

#[test]
fn doubling_izium_stock_changes_that_stock_only() {
    let base = scenario("kharkiv_2022.ron");
    let v = scenario("kharkiv_2022_izium_stocked.ron");
    assert_ne!(v.name, base.name);
    let mut expected = base.clone();
    let izium = expected
        .depots
        .iter()
        .position(|d| d.name == "Izium depot")
        .unwrap();
    expected.depots[izium].stock *= 2;
    assert_eq!(untitled(v, &base), expected);
}

#[test]
fn no_kherson_diversion_keeps_the_two_units_in_the_thin_sector_and_changes_nothing_else() {
    let base = scenario("kharkiv_2022.ron");
    let v = scenario("kharkiv_2022_no_kherson_diversion.ron");
    let mut expected = base.clone();
    let place = |name: &str| base.places.iter().find(|p| p.name == name).unwrap().hex;
    let balakliia_group = railhead::scenario::ids::GroupingId(
        base.groupings
            .iter()
            .position(|g| g.name == "Balakliia group")
            .unwrap(),
    );
    let mut kept = 0;
    for u in &mut expected.units {
        let to = match u.name.as_str() {
            "147th Artillery Regiment (1st GTA)" => "Balakliia",
            "1st GTA detachment sent south" => "Volokhiv Yar",
            _ => continue,
        };
        assert!(u.departs.is_some(), "the base sends {} away", u.name);
        u.departs = None;
        u.hex = place(to);
        u.grouping = balakliia_group;
        kept += 1;
    }
    assert_eq!(kept, 2, "the base sends both units away");
    assert_eq!(untitled(v, &base), expected);
}

#[test]
fn kupiansk_held_changes_the_plans_only_the_north_digs_in_and_the_south_stands() {
    let base = scenario("kharkiv_2022.ron");
    let v = untitled(scenario("kharkiv_2022_kupiansk_held.ron"), &base);
    let grouping = |name: &str| {
        base.groupings
            .iter()
            .position(|g| g.name == name)
            .map(railhead::scenario::ids::GroupingId)
            .unwrap()
    };
    let strike = grouping("Kharkiv strike group");
    // The fronts south of Izium attacked only into the retreat: with none, they stand.
    let south = [grouping("Izium front"), grouping("Sloviansk-Siversk front")];
    let kupiansk = base
        .places
        .iter()
        .find(|p| p.name == "Kupiansk")
        .unwrap()
        .hex;
    assert!(base.plans.iter().any(|p| south.contains(&p.grouping)));
    assert!(!v.plans.iter().any(|p| south.contains(&p.grouping)));
    // The fronts north of it keep their axes (the ones the junction's fall did not open:
    // a step of the base may be left out, none is added or changed), and dig in at the end
    // of them instead of pursuing.
    let others = |s: &Scenario| -> Vec<_> {
        let mut steps: Vec<_> = s
            .plans
            .iter()
            .filter(|p| p.grouping != strike && !south.contains(&p.grouping))
            .map(|p| (p.grouping, p.from, p.axis.clone()))
            .collect();
        steps.sort();
        steps
    };
    assert!(!others(&v).is_empty());
    for step in others(&v) {
        assert!(others(&base).contains(&step), "{step:?} is not in the base");
    }
    assert!(v.plans.iter().all(|p| p.then == AxisEnd::Hold));
    assert!(base.plans.iter().any(|p| p.then == AxisEnd::Pursue));
    let new: Vec<_> = v.plans.iter().filter(|p| p.grouping == strike).collect();
    assert_eq!(new.len(), 1);
    assert!(
        !new[0].axis.contains(&kupiansk),
        "the new plan stops short of Kupiansk"
    );
    let mut rest = v.clone();
    rest.plans = base.plans.clone();
    assert_eq!(rest, base, "nothing but the plan differs");
}

#[test]
fn a_variant_can_change_the_campaign_numbers_and_a_bad_one_is_refused_where_it_is_written() {
    let base_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/kharkiv_2022.ron");
    let dir = std::env::temp_dir().join(format!("railhead-variant-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // A variant's base lies in its folder (or below): a copy of the base beside it.
    std::fs::copy(&base_path, dir.join("kharkiv_2022.ron")).unwrap();
    let write = |name: &str, overrides: &str| {
        let path = dir.join(name);
        std::fs::write(
            &path,
            format!(
                "Variant(\n    base: \"kharkiv_2022.ron\",\n    name: \"Quick repairs\",\n    overrides: [\n        {overrides}\n    ],\n)\n"
            ),
        )
        .unwrap();
        path
    };
    let base = scenario("kharkiv_2022.ron");
    let v = load_file(&write(
        "quick.ron",
        r#"Rules(rail_repair_days: 3, intel_error: 0.0), Ai(side: "ru", attack_ratio: 5.0),"#,
    ))
    .unwrap();
    assert_eq!(v.rules.rail_repair_days, 3);
    assert_eq!(v.rules.intel_error, 0.0);
    assert_eq!(
        v.ai.iter().find(|a| a.side.0 == 1).unwrap().attack_ratio,
        Some(5.0)
    );
    let mut rest = untitled(v, &base);
    rest.rules = base.rules.clone();
    rest.ai = base.ai.clone();
    assert_eq!(rest, base, "nothing else changes");

    let bad = write("bad.ron", "Rules(claim_radius: 0),");
    let e = load_file(&bad).unwrap_err();
    let d = &e.diagnostics[0];
    assert!(d.to_string().contains("claim_radius"), "{d}");
    assert_eq!(d.line, 5, "{d}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_variant_can_take_away_strikes_and_dated_damage_and_widen_a_crossing() {
    let dir = std::env::temp_dir().join(format!("railhead-variant-fire-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let base_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/bridgehead_strikes.ron"),
    )
    .unwrap()
    .replace(
        "    groupings: [",
        r#"    events: [
        Damage(date: "2030-06-02", target: Crossing("Lantern bridge"), capacity_left: 0.0, days: 3),
    ],
    groupings: ["#,
    );
    std::fs::write(dir.join("base.ron"), &base_text).unwrap();
    let write = |name: &str, overrides: &str| {
        let path = dir.join(name);
        std::fs::write(
            &path,
            format!("Variant(\n    base: \"base.ron\",\n    name: \"No fire\",\n    overrides: [\n        {overrides}\n    ],\n)\n"),
        )
        .unwrap();
        path
    };
    let base = load_file(&dir.join("base.ron")).unwrap();
    assert_eq!((base.strike_assets.len(), base.damage.len()), (1, 1));
    let v = load_file(&write(
        "quiet.ron",
        r#"CancelStrikes(name: "Rocket artillery"), CancelDamage(target: Crossing("Lantern bridge")), Crossing(name: "Lantern bridge", tonnes_per_day: 400),"#,
    ))
    .unwrap();
    assert!(v.strike_assets.is_empty() && v.damage.is_empty());
    assert_eq!(v.crossings[0].tonnes_per_day, Some(400));
    assert_eq!(
        v.crossings[0].units_per_day,
        Some(2),
        "what is not given stays"
    );
    let bad = write("bad.ron", r#"CancelStrikes(name: "HIMARS"),"#);
    let e = load_file(&bad).unwrap_err();
    assert!(
        e.diagnostics[0]
            .message
            .contains("no strike assets named `HIMARS`"),
        "{e:?}"
    );
    assert_eq!(e.diagnostics[0].line, 5);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `Absent` takes a unit out of a variant: it never reaches the map (a departure before the
/// start), whatever the base scheduled for it; a misspelt unit is an error at its name.
#[test]
fn an_absent_unit_is_never_on_the_map() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let base = load_file(&dir.join("kherson_2022.ron")).unwrap();
    let v = load_file(&dir.join("kherson_2022_no_kharkiv_units.ron")).unwrap();
    for name in [
        "147th Artillery Regiment (1st GTA)",
        "1st GTA detachment sent south",
    ] {
        let b = base.units.iter().find(|u| u.name == name).unwrap();
        assert!(b.arrives.is_some(), "{name} arrives in the base");
        let u = v.units.iter().find(|u| u.name == name).unwrap();
        assert_eq!(u.arrives, None, "{name}");
        assert!(
            u.departs.is_some_and(|d| d < v.start_date),
            "{name}: {:?}",
            u.departs
        );
    }
    let scratch = std::env::temp_dir().join(format!("railhead-absent-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/tiny_valid.ron"),
        scratch.join("tiny.ron"),
    )
    .unwrap();
    let bad = scratch.join("bad.ron");
    std::fs::write(
        &bad,
        "Variant(\n    base: \"tiny.ron\",\n    name: \"x\",\n    overrides: [\n        Absent(unit: \"1st Brigad\"),\n    ],\n)\n",
    )
    .unwrap();
    let e = load_file(&bad).unwrap_err();
    let d = &e.diagnostics[0];
    assert!(d.message.contains("1st Brigad"), "{e:?}");
    assert_eq!(d.line, 5, "{e:?}");
    std::fs::remove_dir_all(&scratch).ok();
}

/// `withdraws_with` names another grouping of the same side with a fallback line; else an
/// error at the field.
#[test]
fn a_tied_withdrawal_must_name_a_grouping_of_its_own_side() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/bridgehead_withdrawal.ron"),
    )
    .unwrap();
    // The Bridgehead grouping (the first) tied to another.
    let with = |other: &str| {
        assert!(text.contains("Hex(1, 3)]),"));
        text.replacen(
            "Hex(1, 3)]),",
            &format!("Hex(1, 3)], withdraws_with: \"{other}\"),"),
            1,
        )
    };
    let err = railhead::scenario::load_str(&with("Nobody"), "t.ron").unwrap_err();
    assert!(
        format!("{err:?}").contains("no grouping named `Nobody`"),
        "{err:?}"
    );
    let sides = railhead::scenario::load_str(&text, "t.ron").unwrap();
    let first_name = &sides.groupings[0].name;
    let err = railhead::scenario::load_str(&with(first_name), "t.ron").unwrap_err();
    assert!(
        format!("{err:?}").contains("withdraws with itself"),
        "{err:?}"
    );
    let other_side = sides
        .groupings
        .iter()
        .find(|g| g.side != sides.groupings[0].side)
        .unwrap();
    let err = railhead::scenario::load_str(&with(&other_side.name), "t.ron").unwrap_err();
    assert!(format!("{err:?}").contains("of another side"), "{err:?}");
}
