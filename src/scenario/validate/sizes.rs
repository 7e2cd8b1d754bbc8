//! The sizes of the file's lists, checked before anything loops over them.

use super::super::raw::RawScenario;
use super::check::Checker;
use super::ranges::{MAX_ITEMS, MAX_SIDES, MAX_UNITS};

/// Most terrain types a scenario may define.
pub const MAX_TERRAIN_TYPES: usize = 64;

/// Most characters of the scenario's name (its title on maps and reports).
pub const MAX_TITLE_CHARS: usize = 120;
/// Most characters of the scenario's description.
pub const MAX_DESCRIPTION_CHARS: usize = 4_000;
/// Most characters of a name drawn or told: a place, unit, side, depot, rail node or link,
/// grouping, river, road, crossing or terrain type.
pub const MAX_NAME_CHARS: usize = 100;
/// Most characters of a history entry's text (and a territory figure's source).
pub const MAX_TEXT_CHARS: usize = 1_000;

/// Checks that every text is within its limit, before anything draws or quotes it: a
/// title of millions of characters would take gigabytes to draw, and a name of millions
/// would be quoted in every message about it.
pub fn texts(c: &mut Checker, raw: &RawScenario) {
    let mut check = |path: String, text: &str, max: usize| {
        let n = text.chars().count();
        if n > max {
            c.hint(
                path,
                format!("this text has {n} characters; the limit is {max}"),
                "shorten it (scenarios/README.md, \"Limits\")".to_string(),
            );
        }
    };
    check("name".into(), &raw.name, MAX_TITLE_CHARS);
    check(
        "description".into(),
        &raw.description,
        MAX_DESCRIPTION_CHARS,
    );
    let names = |list: &str, items: Vec<&str>| -> Vec<(String, String)> {
        items
            .into_iter()
            .enumerate()
            .map(|(i, n)| (format!("{list}[{i}].name"), n.to_string()))
            .collect()
    };
    let mut all = Vec::new();
    all.extend(names(
        "places",
        raw.places.iter().map(|p| p.name.as_str()).collect(),
    ));
    all.extend(names(
        "rail.nodes",
        raw.rail.nodes.iter().map(|p| p.name.as_str()).collect(),
    ));
    all.extend(names(
        "rail.links",
        raw.rail.links.iter().map(|p| p.name.as_str()).collect(),
    ));
    all.extend(names(
        "rail.sources",
        raw.rail.sources.iter().map(|p| p.name.as_str()).collect(),
    ));
    all.extend(names(
        "depots",
        raw.depots.iter().map(|p| p.name.as_str()).collect(),
    ));
    all.extend(names(
        "groupings",
        raw.groupings.iter().map(|p| p.name.as_str()).collect(),
    ));
    all.extend(names(
        "units",
        raw.units.iter().map(|p| p.name.as_str()).collect(),
    ));
    all.extend(names(
        "rivers",
        raw.rivers.iter().map(|p| p.name.as_str()).collect(),
    ));
    all.extend(names(
        "roads",
        raw.roads.iter().map(|p| p.name.as_str()).collect(),
    ));
    all.extend(names(
        "sides",
        raw.sides.iter().map(|p| p.name.as_str()).collect(),
    ));
    for (path, name) in &all {
        check(path.clone(), name, MAX_NAME_CHARS);
    }
    for (i, s) in raw.sides.iter().enumerate() {
        check(format!("sides[{i}].id"), &s.id, MAX_NAME_CHARS);
    }
    for (i, t) in raw.terrain_types.iter().enumerate() {
        check(format!("terrain_types[{i}].id"), &t.id, MAX_NAME_CHARS);
    }
    for (i, r) in raw.rivers.iter().enumerate() {
        for (j, x) in r.crossings.iter().enumerate() {
            check(
                format!("rivers[{i}].crossings[{j}].name"),
                &x.name,
                MAX_NAME_CHARS,
            );
        }
    }
    for (i, h) in raw.history.iter().enumerate() {
        check(format!("history[{i}].text"), &h.text, MAX_TEXT_CHARS);
    }
    for (i, t) in raw.territory_history.iter().enumerate() {
        check(
            format!("territory_history[{i}].source"),
            &t.source,
            MAX_TEXT_CHARS,
        );
    }
}

/// Checks every list is within its limit; false when one is not (validation stops there).
pub fn check(c: &mut Checker, raw: &RawScenario) -> bool {
    let lists: [(&str, &str, usize, usize); 13] = [
        ("units", "units", raw.units.len(), MAX_UNITS),
        ("places", "places", raw.places.len(), MAX_ITEMS),
        ("rail.nodes", "rail nodes", raw.rail.nodes.len(), MAX_ITEMS),
        ("rail.links", "rail links", raw.rail.links.len(), MAX_ITEMS),
        (
            "rail.sources",
            "supply sources",
            raw.rail.sources.len(),
            MAX_ITEMS,
        ),
        ("depots", "depots", raw.depots.len(), MAX_ITEMS),
        ("groupings", "groupings", raw.groupings.len(), MAX_ITEMS),
        ("rivers", "rivers", raw.rivers.len(), MAX_ITEMS),
        ("roads", "roads", raw.roads.len(), MAX_ITEMS),
        ("border", "border points", raw.border.len(), MAX_ITEMS),
        ("events", "events", raw.events.len(), MAX_ITEMS),
        (
            "terrain_types",
            "terrain types",
            raw.terrain_types.len(),
            MAX_TERRAIN_TYPES,
        ),
        ("sides", "sides", raw.sides.len(), MAX_SIDES),
    ];
    let before = c.problems.len();
    texts(c, raw);
    let mut ok = c.problems.len() == before;
    for (path, what, n, max) in lists {
        ok &= c.count(path, what, n, max);
    }
    let points: usize = raw.rivers.iter().map(|r| r.course.len()).sum::<usize>()
        + raw.roads.iter().map(|r| r.route.len()).sum::<usize>()
        + raw.rail.links.iter().map(|l| l.via.len()).sum::<usize>();
    ok &= c.count(
        "rivers",
        "points in rivers, roads and rail links together",
        points,
        MAX_ITEMS * 5,
    );
    ok
}
