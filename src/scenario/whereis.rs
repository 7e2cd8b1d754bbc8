//! `railhead where`: which hex a point falls in, what the rules see there (terrain, who
//! holds it, places, rail, depots, units, the river sides along it) and the nearest river
//! side and crossing: what an author needs to place a crossing on the first try.

use std::fmt::Write as _;

use super::model::Scenario;
use crate::geo::{LatLon, Offset, hexes_apart};

/// The compass direction from one hex centre to another's (eight ways).
pub fn direction(s: &Scenario, from: Offset, to: Offset) -> &'static str {
    const NAMES: [&str; 8] = [
        "north",
        "north-east",
        "east",
        "south-east",
        "south",
        "south-west",
        "west",
        "north-west",
    ];
    let (ax, ay) = s.frame.hex_center_km(from);
    let (bx, by) = s.frame.hex_center_km(to);
    // Angle east of north, y growing southward.
    let deg = (bx - ax).atan2(ay - by).to_degrees().rem_euclid(360.0);
    NAMES[((deg + 22.5) / 45.0) as usize % 8]
}

/// The river sides along a hex, as the rules count them: "Oskil on its west side (to
/// (24, 24)), crossed by Kupiansk bridges". A crossing at the hex serves every one.
pub fn river_sides(s: &Scenario, at: Offset) -> Vec<String> {
    let mut sides: Vec<String> = Vec::new();
    for n in s.neighbours(at) {
        let key = if at < n { (at, n) } else { (n, at) };
        if let Some(e) = s.river_edges.get(&key) {
            let crossing = e
                .crossing
                .map(|c| format!(", crossed by {}", s.crossings[c].name))
                .unwrap_or_default();
            sides.push(format!(
                "{} on its {} side (to {n}){crossing}",
                s.rivers[e.river].name,
                direction(s, at, n)
            ));
        }
    }
    sides
}

/// The nearest river side (when the hex has none) and the nearest crossing.
fn nearest(s: &Scenario, at: Offset, no_sides: bool, out: &mut String) {
    // The nearest river side, and the nearest crossing.
    if let Some(((a, b), e)) = s
        .river_edges
        .iter()
        .min_by_key(|((a, b), _)| (hexes_apart(at, *a).min(hexes_apart(at, *b)), *a, *b))
    {
        if no_sides {
            let d = hexes_apart(at, *a).min(hexes_apart(at, *b));
            let _ = writeln!(
                out,
                "  nearest river side: {} between hexes {a} and {b}, {d} hex{} away: a crossing of it goes at one of those two",
                s.rivers[e.river].name,
                if d == 1 { "" } else { "es" }
            );
        }
    } else {
        let _ = writeln!(out, "  nearest river side: the map has no rivers");
    }
    match s
        .crossings
        .iter()
        .min_by_key(|c| (hexes_apart(at, c.hex), c.hex))
    {
        Some(c) => {
            let d = hexes_apart(at, c.hex);
            let _ = writeln!(
                out,
                "  nearest crossing: {} ({} over the {}) at hex {}, {d} hex{} away",
                c.name,
                c.kind.text(),
                s.rivers[c.river].name,
                c.hex,
                if d == 1 { "" } else { "es" }
            );
        }
        None => {
            let _ = writeln!(out, "  nearest crossing: none on the map");
        }
    }
}

/// What the rules see at a hex, and near it; `point` is the position asked about, if one
/// was given.
pub fn describe(s: &Scenario, at: Offset, point: Option<LatLon>) -> String {
    let mut out = String::new();
    let centre = s.frame.hex_center(at);
    match point {
        Some(p) => {
            let _ = write!(
                out,
                "({:.4}, {:.4}) falls in hex {at}, {:.1} km from its centre ({:.4}, {:.4})",
                p.lat,
                p.lon,
                p.distance_km(centre),
                centre.lat,
                centre.lon
            );
        }
        None => {
            let _ = write!(
                out,
                "hex {at}: its centre is at ({:.4}, {:.4})",
                centre.lat, centre.lon
            );
        }
    }
    if !s.frame.contains(at) {
        let _ = writeln!(
            out,
            ", outside the map (columns 0-{}, rows 0-{}).",
            s.frame.columns - 1,
            s.frame.rows - 1
        );
        return out;
    }
    out.push_str(".\n");
    let i = (at.row * s.frame.columns + at.col) as usize;
    let terrain = &s.terrain_types[s.terrain[i]];
    let held = s.control[i].map_or("nobody".to_string(), |id| {
        format!("{} ({})", s.sides[id.0].name, s.sides[id.0].id)
    });
    let _ = writeln!(
        out,
        "  terrain: {}; held by {held} at the start",
        terrain.id
    );
    let list = |names: Vec<String>| {
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        }
    };
    let places: Vec<String> = s
        .places
        .iter()
        .filter(|p| p.hex == at)
        .map(|p| format!("{} ({})", p.name, format!("{:?}", p.size).to_lowercase()))
        .collect();
    let _ = writeln!(out, "  places: {}", list(places));
    let nodes: Vec<String> = s
        .rail_nodes
        .iter()
        .filter(|n| n.hex == at)
        .map(|n| n.name.clone())
        .collect();
    let links: Vec<String> = s
        .rail_links
        .iter()
        .filter(|l| l.hexes.contains(&at))
        .map(|l| l.name.clone())
        .collect();
    let _ = writeln!(
        out,
        "  rail: nodes {}; links through it {}",
        list(nodes),
        list(links)
    );
    let roads: Vec<String> = s
        .roads
        .iter()
        .filter(|r| r.hexes.contains(&at))
        .map(|r| r.name.clone())
        .collect();
    let _ = writeln!(out, "  roads: {}", list(roads));
    let depots: Vec<String> = s
        .depots
        .iter()
        .filter(|d| d.hex == at)
        .map(|d| format!("{} ({})", d.name, s.sides[d.side.0].id))
        .collect();
    let units: Vec<String> = s
        .units
        .iter()
        .filter(|u| u.hex == at)
        .map(|u| format!("{} ({})", u.name, s.sides[u.side.0].id))
        .collect();
    let _ = writeln!(
        out,
        "  depots: {}; units at the start: {}",
        list(depots),
        list(units)
    );
    // River sides along this hex: where a crossing at it would count.
    let sides = river_sides(s, at);
    if sides.is_empty() {
        let _ = writeln!(
            out,
            "  river sides: none; a crossing here would cross no river"
        );
    } else {
        let _ = writeln!(
            out,
            "  river sides: {}; a crossing here (`at: Hex({}, {})`) serves them",
            sides.join("; "),
            at.col,
            at.row
        );
    }
    nearest(s, at, sides.is_empty(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Scenario {
        crate::scenario::load_str(
            include_str!("../../tests/scenarios/tiny_valid.ron"),
            "tiny.ron",
        )
        .unwrap()
    }

    #[test]
    fn a_hex_beside_the_river_names_its_river_sides_and_one_away_names_the_nearest() {
        let s = tiny();
        let beside = s.crossings[0].hex;
        let text = describe(&s, beside, None);
        assert!(text.contains("river sides: Glimmer on its"), "{text}");
        assert!(text.contains("serves them"), "{text}");
        let far = Offset { col: 0, row: 5 };
        let text = describe(&s, far, None);
        assert!(text.contains("river sides: none"), "{text}");
        assert!(
            text.contains("nearest river side: Glimmer between hexes"),
            "{text}"
        );
        assert!(text.contains("nearest crossing: "), "{text}");
    }

    #[test]
    fn a_point_is_placed_in_its_hex_with_what_is_there() {
        let s = tiny();
        let aster = s.place("Aster").unwrap();
        let text = describe(&s, s.frame.project(aster.position), Some(aster.position));
        assert!(
            text.starts_with(&format!(
                "({:.4}, {:.4}) falls in hex {}",
                aster.position.lat, aster.position.lon, aster.hex
            )),
            "{text}"
        );
        assert!(text.contains("places: Aster (town)"), "{text}");
        assert!(text.contains("rail: nodes Aster"), "{text}");
        assert!(text.contains("depots: Aster depot (north)"), "{text}");
        let off = describe(&s, Offset { col: 40, row: 2 }, None);
        assert!(off.contains("outside the map"), "{off}");
    }
}
