//! Rivers (their courses, and the bridges and fords over them), roads and the border.

use std::collections::{BTreeMap, BTreeSet};

use super::super::model::{Crossing, River, RiverEdge, Road, edge_key};
use super::super::raw::{CrossingKind, Location, RawScenario};
use super::check::{Checker, valid_latlon};
use super::places::Resolver;
use super::ranges::{self, MAX_MAP_SIDE};
use crate::geo::{self, Frame, LatLon, Offset};

/// The rivers, their crossings and the hex sides they run along.
#[derive(Debug, Clone, Default)]
pub struct Waters {
    /// The valid rivers.
    pub rivers: Vec<River>,
    /// Their bridges and fords.
    pub crossings: Vec<Crossing>,
    /// The river on each hex side a river runs along, with its crossing if any.
    pub edges: BTreeMap<(Offset, Offset), RiverEdge>,
}

/// Checks the rivers and finds the hex sides they run along.
pub fn rivers(c: &mut Checker, raw: &RawScenario, resolver: &Resolver) -> Waters {
    c.names(
        "rivers",
        "river",
        raw.rivers.iter().map(|r| r.name.as_str()),
    );
    let mut rivers = Vec::new();
    let mut crossings = Vec::new();
    let mut river_edges: BTreeMap<(Offset, Offset), RiverEdge> = BTreeMap::new();
    for (ri, r) in raw.rivers.iter().enumerate() {
        let p = format!("rivers[{ri}]");
        if r.course.len() < 2 {
            c.err(
                format!("{p}.course"),
                format!("river `{}` needs at least two points", r.name),
            );
            continue;
        }
        let course = points(c, &format!("{p}.course"), &r.course);
        c.ranges(&p, r, ranges::RIVER);
        for (k, x) in r.crossings.iter().enumerate() {
            c.ranges(&format!("{p}.crossings[{k}]"), x, ranges::CROSSING);
        }
        let index = rivers.len();
        for (a, b) in river_hex_sides(resolver.frame, &course) {
            river_edges.entry((a, b)).or_insert(RiverEdge {
                river: index,
                crossing: None,
            });
        }
        for (k, x) in r.crossings.iter().enumerate() {
            let path = format!("{p}.crossings[{k}].at");
            let Some(hex) = resolver.hex(c, &path, &format!("crossing `{}`", x.name), &x.at, true)
            else {
                continue;
            };
            let touching: Vec<(Offset, Offset)> = river_edges
                .iter()
                .filter(|((a, b), e)| e.river == index && (*a == hex || *b == hex))
                .map(|(k, _)| *k)
                .collect();
            if touching.is_empty() {
                c.hint(
                    &path,
                    format!(
                        "crossing `{}` in hex {hex} is not beside river `{}`",
                        x.name, r.name
                    ),
                    nearest_banks(&river_edges, index, hex),
                );
                continue;
            }
            if x.build_days.is_some()
                && !matches!(x.kind, CrossingKind::Pontoon | CrossingKind::Ferry)
            {
                c.hint(
                    format!("{p}.crossings[{k}].build_days"),
                    format!(
                        "crossing `{}` is a {}: only a pontoon bridge or ferry is built in the game",
                        x.name,
                        x.kind.text()
                    ),
                    "a bridge is rebuilt with the railway over it (`bridge_repair_days`); make it `kind: Pontoon` or `kind: Ferry`, or leave `build_days` out",
                );
            }
            let id = crossings.len();
            crossings.push(Crossing {
                name: x.name.clone(),
                river: index,
                hex,
                kind: x.kind,
                intact: x.intact,
                tonnes_per_day: x.tonnes_per_day,
                units_per_day: x.units_per_day,
                build_days: x.build_days,
                air_defence: x.air_defence.unwrap_or(0.0),
                rail_links: Vec::new(),
            });
            for key in touching {
                if let Some(e) = river_edges.get_mut(&key) {
                    e.crossing = Some(id);
                }
            }
        }
        rivers.push(River {
            name: r.name.clone(),
            course,
            crossing_cost: r.crossing_cost,
            ford_cost: r.ford_cost,
        });
    }

    Waters {
        rivers,
        crossings,
        edges: river_edges,
    }
}

/// The roads and the hex sides they run along.
#[derive(Debug, Clone, Default)]
pub struct Roads {
    /// The valid roads.
    pub roads: Vec<Road>,
    /// Every hex side a road runs along.
    pub edges: BTreeSet<(Offset, Offset)>,
}

/// The hint for a crossing off its river: the nearest hexes the river runs along.
fn nearest_banks(
    edges: &BTreeMap<(Offset, Offset), RiverEdge>,
    river: usize,
    hex: Offset,
) -> String {
    let apart = |o: Offset| geo::hexes_apart(o, hex);
    let mut banks: Vec<Offset> = edges
        .iter()
        .filter(|(_, e)| e.river == river)
        .flat_map(|((a, b), _)| [*a, *b])
        .collect();
    banks.sort_by_key(|o| (apart(*o), *o));
    banks.dedup();
    let Some(best) = banks.first().map(|o| apart(*o)) else {
        return "the river runs along no side of any hex of the map: check its course".into();
    };
    let near: Vec<String> = banks
        .iter()
        .filter(|o| apart(**o) == best)
        .take(4)
        .map(|o| format!("Hex({}, {})", o.col, o.row))
        .collect();
    format!(
        "the nearest hexes the river runs along, {best} hex{} away: {} (`railhead where` and `railhead map --grid` show the river sides)",
        if best == 1 { "" } else { "es" },
        near.join(" or ")
    )
}

/// Checks the roads and lays them along hex lines between their points.
pub fn roads(c: &mut Checker, raw: &RawScenario, resolver: &Resolver) -> Roads {
    let mut roads = Vec::new();
    let mut road_edges = BTreeSet::new();
    for (i, r) in raw.roads.iter().enumerate() {
        let p = format!("roads[{i}]");
        if r.route.len() < 2 {
            c.err(
                format!("{p}.route"),
                format!("road `{}` needs at least two points", r.name),
            );
            continue;
        }
        let points: Vec<(String, &Location)> = r
            .route
            .iter()
            .enumerate()
            .map(|(k, l)| (format!("{p}.route[{k}]"), l))
            .collect();
        if let Some(hexes) = resolver.path(c, &format!("road `{}`", r.name), &points) {
            for w in hexes.windows(2) {
                road_edges.insert(edge_key(w[0], w[1]));
            }
            roads.push(Road {
                name: r.name.clone(),
                hexes,
            });
        }
    }

    Roads {
        roads,
        edges: road_edges,
    }
}

/// Checks the border's points.
pub fn border(c: &mut Checker, raw: &RawScenario) -> Vec<LatLon> {
    points(c, "border", &raw.border)
}

/// The valid points of a list of (latitude, longitude) at `path`; each invalid one is a
/// problem at its place in the list.
fn points(c: &mut Checker, path: &str, list: &[(f64, f64)]) -> Vec<LatLon> {
    let mut valid = Vec::new();
    for (k, (lat, lon)) in list.iter().enumerate() {
        if valid_latlon(*lat, *lon) {
            valid.push(LatLon {
                lat: *lat,
                lon: *lon,
            });
        } else {
            c.hint(
                format!("{path}[{k}]"),
                format!("({lat}, {lon}) is not a latitude and longitude"),
                "write (latitude, longitude) in decimal degrees",
            );
        }
    }
    valid
}

/// The hex sides a river runs along: every pair of neighbouring on-map hexes whose
/// centre-to-centre segment crosses the river's course.
fn river_hex_sides(frame: &Frame, course: &[LatLon]) -> Vec<(Offset, Offset)> {
    let mut sides = BTreeSet::new();
    for seg in course.windows(2) {
        let (p, q) = (frame.to_km(seg[0]), frame.to_km(seg[1]));
        let (a, b) = (
            geo::offset_to_hex(frame.project(seg[0])),
            geo::offset_to_hex(frame.project(seg[1])),
        );
        if a.unsigned_distance_to(b) > 10 * MAX_MAP_SIDE as u32 {
            continue;
        }
        let mut near: BTreeSet<Offset> = BTreeSet::new();
        for h in a.line_to(b) {
            near.insert(geo::hex_to_offset(h));
            for n in h.all_neighbors() {
                near.insert(geo::hex_to_offset(n));
            }
        }
        for h in near {
            if !frame.contains(h) {
                continue;
            }
            for n in geo::offset_to_hex(h)
                .all_neighbors()
                .map(geo::hex_to_offset)
            {
                if !frame.contains(n) || n <= h {
                    continue;
                }
                if geo::segments_intersect(frame.hex_center_km(h), frame.hex_center_km(n), p, q) {
                    sides.insert((h, n));
                }
            }
        }
    }
    sides.into_iter().collect()
}
