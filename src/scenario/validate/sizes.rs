//! The sizes of the file's lists, checked before anything loops over them.

use super::super::raw::RawScenario;
use super::check::Checker;
use super::ranges::{MAX_ITEMS, MAX_SIDES, MAX_UNITS};

/// Most terrain types a scenario may define.
pub const MAX_TERRAIN_TYPES: usize = 64;

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
    let mut ok = true;
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
