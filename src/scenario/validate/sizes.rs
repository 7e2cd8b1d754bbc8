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

/// Most hexes the day's searches may visit, for each kind of search: the depots' reach
/// (each depot's range, in hexes at the cheapest step, over the map) and the units' moves
/// (each unit's movement likewise). Measured on a 2-core machine: about 4 s a day at the
/// depots' limit, 0.5 s at the units'.
pub const MAX_SEARCH_HEXES: u64 = 10_000_000;

/// Most rail work a day: depots times rail links and nodes (each depot's maximum flow
/// runs over the whole network, a few times a day); about 4 s a day at the limit.
pub const MAX_RAIL_WORK: u64 = 25_000_000;

/// Hexes within `radius` hexes of one, at most `map` (the whole map).
fn hexes_within(radius: u64, map: u64) -> u64 {
    radius
        .saturating_mul(radius.saturating_add(1))
        .saturating_mul(3)
        .saturating_add(1)
        .min(map)
}

/// Checks that a day's work is bounded: what the depots' reach, the units' moves and the
/// rail flows would search, against the limits above, so that any legal scenario plays a
/// day in seconds.
pub fn work(c: &mut Checker, raw: &RawScenario) -> bool {
    let map = (raw.map.terrain.len() as u64).saturating_mul(
        raw.map
            .terrain
            .iter()
            .map(|r| r.chars().count() as u64)
            .max()
            .unwrap_or(0),
    );
    // The cheapest step: a road, or the cheapest terrain.
    let step = raw
        .terrain_types
        .iter()
        .map(|t| u64::from(t.move_cost))
        .chain((!raw.roads.is_empty()).then_some(u64::from(raw.rules.road_move_cost)))
        .min()
        .unwrap_or(1)
        .max(1);
    let reach: u64 = raw
        .depots
        .iter()
        .map(|d| hexes_within(u64::from(d.range) / step, map))
        .fold(0, u64::saturating_add);
    let moves: u64 = raw
        .units
        .iter()
        .map(|u| hexes_within(u64::from(u.movement) / step, map))
        .fold(0, u64::saturating_add);
    let rail = (raw.depots.len() as u64)
        .saturating_mul((raw.rail.links.len() + raw.rail.nodes.len()) as u64);
    let mut ok = true;
    for (path, what, n, max, hint) in [
        (
            "depots",
            "hexes searched a day for the depots' reach",
            reach,
            MAX_SEARCH_HEXES,
            "fewer depots, or shorter ranges",
        ),
        (
            "units",
            "hexes searched a day for the units' moves",
            moves,
            MAX_SEARCH_HEXES,
            "fewer units, or less movement",
        ),
        (
            "depots",
            "rail work a day (depots x rail links and nodes)",
            rail,
            MAX_RAIL_WORK,
            "fewer depots, or a smaller rail network",
        ),
    ] {
        if n > max {
            c.hint(
                path,
                format!("the {what} would be {n}; the limit is {max}"),
                format!("{hint} (scenarios/README.md, \"Limits\")"),
            );
            ok = false;
        }
    }
    ok
}

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
    let names: [(&str, Vec<&str>); 10] = [
        (
            "places",
            raw.places.iter().map(|x| x.name.as_str()).collect(),
        ),
        (
            "rail.nodes",
            raw.rail.nodes.iter().map(|x| x.name.as_str()).collect(),
        ),
        (
            "rail.links",
            raw.rail.links.iter().map(|x| x.name.as_str()).collect(),
        ),
        (
            "rail.sources",
            raw.rail.sources.iter().map(|x| x.name.as_str()).collect(),
        ),
        (
            "depots",
            raw.depots.iter().map(|x| x.name.as_str()).collect(),
        ),
        (
            "groupings",
            raw.groupings.iter().map(|x| x.name.as_str()).collect(),
        ),
        ("units", raw.units.iter().map(|x| x.name.as_str()).collect()),
        (
            "rivers",
            raw.rivers.iter().map(|x| x.name.as_str()).collect(),
        ),
        ("roads", raw.roads.iter().map(|x| x.name.as_str()).collect()),
        ("sides", raw.sides.iter().map(|x| x.name.as_str()).collect()),
    ];
    for (list, items) in names {
        for (i, name) in items.into_iter().enumerate() {
            check(format!("{list}[{i}].name"), name, MAX_NAME_CHARS);
        }
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
    ok &= work(c, raw);
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
