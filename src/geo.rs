//! Geography: the one projection from latitude/longitude to map kilometres and hexes.
//!
//! The map is a grid of pointy-top hexes in "odd-r" offset coordinates: column 0, row 0 is
//! the north-west corner, columns grow eastward, rows grow southward, and odd rows are
//! shifted half a hex to the east. Every place, unit, river point and rail waypoint given
//! by latitude/longitude goes through [`Frame::project`], so the geography is right by
//! construction.

use hexx::{Hex, HexLayout, HexOrientation, OffsetHexMode};
use serde::{Deserialize, Serialize};

/// Kilometres per degree of latitude (mean, WGS84).
pub const KM_PER_DEG_LAT: f64 = 110.574;
/// Kilometres per degree of longitude at the equator (WGS84).
pub const KM_PER_DEG_LON_EQUATOR: f64 = 111.320;

/// A geographic position in decimal degrees (WGS84).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    /// Latitude, degrees north.
    pub lat: f64,
    /// Longitude, degrees east.
    pub lon: f64,
}

impl LatLon {
    /// Great-circle distance in kilometres (haversine on a 6371 km sphere).
    pub fn distance_km(self, other: LatLon) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * 6371.0 * a.sqrt().asin()
    }
}

/// A hex by its printed coordinates: column (west to east) and row (north to south).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Offset {
    /// Column, 0 at the western edge.
    pub col: i32,
    /// Row, 0 at the northern edge.
    pub row: i32,
}

impl std::fmt::Display for Offset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "({}, {})", self.col, self.row)
    }
}

/// Converts printed (column, row) coordinates to a cube/axial [`Hex`].
pub fn offset_to_hex(o: Offset) -> Hex {
    Hex::from_offset_coordinates([o.col, o.row], OffsetHexMode::Odd, HexOrientation::Pointy)
}

/// Converts a [`Hex`] to printed (column, row) coordinates.
pub fn hex_to_offset(h: Hex) -> Offset {
    let [col, row] = h.to_offset_coordinates(OffsetHexMode::Odd, HexOrientation::Pointy);
    Offset { col, row }
}

/// Hexes between two hexes.
pub fn hexes_apart(a: Offset, b: Offset) -> u32 {
    offset_to_hex(a).unsigned_distance_to(offset_to_hex(b))
}

/// The geographic frame of a map: where hex (0, 0) lies and how big a hex is.
///
/// The projection is equirectangular about `reference_lat`: east-west distances are
/// scaled by the cosine of that latitude. Over a map 200 km across this distorts
/// distances by well under one percent, far below the size of a hex.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// Centre of hex (0, 0).
    pub origin: LatLon,
    /// Distance between the centres of two neighbouring hexes, in km.
    pub hex_km: f64,
    /// Latitude at which east-west distances are true.
    pub reference_lat: f64,
    /// Number of columns.
    pub columns: i32,
    /// Number of rows.
    pub rows: i32,
}

impl Frame {
    fn km_per_deg_lon(&self) -> f64 {
        KM_PER_DEG_LON_EQUATOR * self.reference_lat.to_radians().cos()
    }

    /// The hexx layout in kilometres, x east and y south, hex (0, 0) at the origin.
    pub fn layout(&self) -> HexLayout {
        // hexx sizes a pointy hex by its circumradius; neighbours are sqrt(3) radii apart.
        // Rows grow with y, as ours grow southward.
        HexLayout::pointy().with_hex_size((self.hex_km / 3f64.sqrt()) as f32)
    }

    /// Projects a position to map kilometres (x east, y south of the origin).
    pub fn to_km(&self, p: LatLon) -> (f64, f64) {
        (
            (p.lon - self.origin.lon) * self.km_per_deg_lon(),
            (self.origin.lat - p.lat) * KM_PER_DEG_LAT,
        )
    }

    /// The inverse of [`Frame::to_km`].
    pub fn from_km(&self, x: f64, y: f64) -> LatLon {
        LatLon {
            lat: self.origin.lat - y / KM_PER_DEG_LAT,
            lon: self.origin.lon + x / self.km_per_deg_lon(),
        }
    }

    /// The hex containing a geographic position (it may lie outside the map).
    pub fn project(&self, p: LatLon) -> Offset {
        let (x, y) = self.to_km(p);
        hex_to_offset(
            self.layout()
                .world_pos_to_hex(hexx::Vec2::new(x as f32, y as f32)),
        )
    }

    /// The centre of a hex in map kilometres.
    pub fn hex_center_km(&self, o: Offset) -> (f64, f64) {
        let v = self.layout().hex_to_world_pos(offset_to_hex(o));
        (f64::from(v.x), f64::from(v.y))
    }

    /// The geographic position of a hex's centre.
    pub fn hex_center(&self, o: Offset) -> LatLon {
        let (x, y) = self.hex_center_km(o);
        self.from_km(x, y)
    }

    /// Whether a hex lies on the map.
    pub fn contains(&self, o: Offset) -> bool {
        (0..self.columns).contains(&o.col) && (0..self.rows).contains(&o.row)
    }

    /// The geographic bounds of the map's hex centres: (north-west, south-east).
    pub fn bounds(&self) -> (LatLon, LatLon) {
        let nw = self.hex_center(Offset { col: 0, row: 0 });
        let se = self.hex_center(Offset {
            col: self.columns - 1,
            row: self.rows - 1,
        });
        (nw, se)
    }

    /// How far, and which way, a hex off the map lies beyond its edge: "about 12 km
    /// north-west of the map's edge" (empty for a hex on the map).
    pub fn beyond(&self, o: Offset) -> String {
        let over = |v: i32, n: i32| if v < 0 { -v } else { (v - (n - 1)).max(0) };
        let (dc, dr) = (over(o.col, self.columns), over(o.row, self.rows));
        if dc == 0 && dr == 0 {
            return String::new();
        }
        let ns = match (dr > 0, o.row < 0) {
            (false, _) => "",
            (true, true) => "north",
            (true, false) => "south",
        };
        let ew = match (dc > 0, o.col < 0) {
            (false, _) => "",
            (true, true) => "west",
            (true, false) => "east",
        };
        let way = if ns.is_empty() || ew.is_empty() {
            format!("{ns}{ew}")
        } else {
            format!("{ns}-{ew}")
        };
        let km =
            (f64::from(dc) * self.hex_km).hypot(f64::from(dr) * self.hex_km * 3f64.sqrt() / 2.0);
        format!("about {km:.0} km {way} of the map's edge")
    }

    /// Area of one hex in km² (a regular hexagon with this centre spacing).
    pub fn hex_area_km2(&self) -> f64 {
        3f64.sqrt() / 2.0 * self.hex_km * self.hex_km
    }
}

/// Do the segments a-b and c-d cross? (Touching at an end counts.)
pub fn segments_intersect(a: (f64, f64), b: (f64, f64), c: (f64, f64), d: (f64, f64)) -> bool {
    fn orient(p: (f64, f64), q: (f64, f64), r: (f64, f64)) -> f64 {
        (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0)
    }
    let (d1, d2) = (orient(c, d, a), orient(c, d, b));
    let (d3, d4) = (orient(a, b, c), orient(a, b, d));
    (d1 * d2 <= 0.0) && (d3 * d4 <= 0.0) && !(d1 == 0.0 && d2 == 0.0 && d3 == 0.0 && d4 == 0.0)
}

/// Whether a point lies inside a closed ring (even-odd rule; the ring's last point may
/// repeat its first). Points in map kilometres.
pub fn in_ring(p: (f64, f64), ring: &[(f64, f64)]) -> bool {
    let mut inside = false;
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let mut j = n - 1;
    for i in 0..n {
        let (a, b) = (ring[i], ring[j]);
        if (a.1 > p.1) != (b.1 > p.1) && p.0 < (b.0 - a.0) * (p.1 - a.1) / (b.1 - a.1) + a.0 {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// Whether a point lies to the left of a line walked from its first point to its last,
/// on a map with north up, the line running on straight beyond its ends. Points in map
/// kilometres (x east, y south). The side is the side of the nearest part of the line:
/// at a corner, left of both legs when the line turns left there, of either when it
/// turns right.
pub fn left_of_line(p: (f64, f64), line: &[(f64, f64)]) -> bool {
    // North up: flip y so that the usual orientation holds.
    let up = |q: (f64, f64)| (q.0, -q.1);
    let p = up(p);
    let pts: Vec<(f64, f64)> = line.iter().copied().map(up).collect();
    let cross = |a: (f64, f64), b: (f64, f64), q: (f64, f64)| {
        (b.0 - a.0) * (q.1 - a.1) - (b.1 - a.1) * (q.0 - a.0)
    };
    if pts.len() < 2 {
        return false;
    }
    let last = pts.len() - 2;
    // The nearest leg, and where on it (0..=1) the nearest point lies; the first and last
    // legs run on without end.
    let mut best = (f64::INFINITY, 0, 0.0);
    for i in 0..=last {
        let (a, b) = (pts[i], pts[i + 1]);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len2 = dx * dx + dy * dy;
        if len2 == 0.0 {
            continue;
        }
        let mut t = ((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2;
        if i > 0 {
            t = t.max(0.0);
        }
        if i < last {
            t = t.min(1.0);
        }
        let (qx, qy) = (a.0 + t * dx, a.1 + t * dy);
        let d = (p.0 - qx).powi(2) + (p.1 - qy).powi(2);
        if d < best.0 - 1e-12 {
            best = (d, i, t);
        }
    }
    let (_, i, t) = best;
    let leg = |k: usize| cross(pts[k], pts[k + 1], p) > 0.0;
    // At a corner the nearest point is the vertex between two legs.
    let corner = if t >= 1.0 && i < last {
        Some((i, i + 1))
    } else if t <= 0.0 && i > 0 {
        Some((i - 1, i))
    } else {
        None
    };
    match corner {
        Some((a, b)) => {
            let turns_left = cross(pts[a], pts[a + 1], pts[b + 1]) > 0.0;
            if turns_left {
                leg(a) && leg(b)
            } else {
                leg(a) || leg(b)
            }
        }
        None => leg(i),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> Frame {
        Frame {
            origin: LatLon {
                lat: 50.0,
                lon: 36.0,
            },
            hex_km: 5.0,
            reference_lat: 49.5,
            columns: 10,
            rows: 10,
        }
    }

    #[test]
    fn odd_rows_are_shifted_east_and_rows_go_south() {
        let f = frame();
        let (x0, y0) = f.hex_center_km(Offset { col: 0, row: 0 });
        let (x1, y1) = f.hex_center_km(Offset { col: 0, row: 1 });
        let (x2, _) = f.hex_center_km(Offset { col: 1, row: 0 });
        assert!((x0, y0) == (0.0, 0.0));
        assert!(
            (x1 - 2.5).abs() < 1e-4,
            "odd row shifted half a hex east, got {x1}"
        );
        assert!(
            (y1 - 5.0 * 3f64.sqrt() / 2.0).abs() < 1e-4,
            "row spacing, got {y1}"
        );
        assert!((x2 - 5.0).abs() < 1e-4);
    }

    #[test]
    fn projection_round_trips_through_hex_centres() {
        let f = frame();
        for col in 0..10 {
            for row in 0..10 {
                let o = Offset { col, row };
                assert_eq!(f.project(f.hex_center(o)), o);
            }
        }
    }

    #[test]
    fn neighbours_are_one_hex_apart_on_the_ground() {
        let f = frame();
        let a = f.hex_center(Offset { col: 3, row: 3 });
        let b = f.hex_center(Offset { col: 4, row: 3 });
        assert!(
            (a.distance_km(b) - 5.0).abs() < 0.05,
            "{}",
            a.distance_km(b)
        );
    }

    #[test]
    fn rings_hold_their_inside_only() {
        let square = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0)];
        assert!(in_ring((2.0, 2.0), &square));
        assert!(!in_ring((5.0, 2.0), &square));
        assert!(!in_ring((2.0, -1.0), &square));
        // A U shape: its notch is outside.
        let u = [
            (0., 0.),
            (3., 0.),
            (3., 3.),
            (2., 3.),
            (2., 1.),
            (1., 1.),
            (1., 3.),
            (0., 3.),
        ];
        assert!(!in_ring((1.5, 2.0), &u));
        assert!(in_ring((0.5, 2.0), &u));
    }

    #[test]
    fn left_of_a_line_is_left_as_walked_with_north_up() {
        // Walked south (y grows southward): left is east.
        let south = [(0.0, 0.0), (0.0, 10.0)];
        assert!(left_of_line((3.0, 5.0), &south));
        assert!(!left_of_line((-3.0, 5.0), &south));
        // Beyond its ends it runs on straight.
        assert!(left_of_line((3.0, 40.0), &south));
        assert!(!left_of_line((-3.0, -40.0), &south));
        // A line walked east that turns north (a left turn with north up): the inside of
        // the corner is left, the outside right, near the corner and far from it.
        let bend = [(0.0, 0.0), (10.0, 0.0), (10.0, -10.0)];
        assert!(left_of_line((5.0, -5.0), &bend));
        assert!(!left_of_line((12.0, 2.0), &bend));
        assert!(!left_of_line((5.0, 1.0), &bend));
        assert!(!left_of_line((11.0, -5.0), &bend));
        // The same line walked back turns right: every side swaps.
        let back = [(10.0, -10.0), (10.0, 0.0), (0.0, 0.0)];
        for p in [(5.0, -5.0), (12.0, 2.0), (5.0, 1.0), (11.0, -5.0)] {
            assert_ne!(left_of_line(p, &bend), left_of_line(p, &back), "{p:?}");
        }
    }

    #[test]
    fn a_hex_off_the_map_is_placed_beyond_its_edge() {
        let f = frame();
        assert_eq!(f.beyond(Offset { col: 3, row: 3 }), "");
        assert_eq!(
            f.beyond(Offset { col: -2, row: 3 }),
            "about 10 km west of the map's edge"
        );
        assert_eq!(
            f.beyond(Offset { col: 12, row: -2 }),
            "about 17 km north-east of the map's edge"
        );
    }

    #[test]
    fn crossing_segments() {
        assert!(segments_intersect((0., 0.), (2., 2.), (0., 2.), (2., 0.)));
        assert!(!segments_intersect((0., 0.), (1., 0.), (0., 1.), (1., 1.)));
    }
}
