//! The headless map renderer: draws a scenario (or a game's state of it) to a PNG with
//! tiny-skia, without a window or GPU. `railhead map` uses it, and reports reuse it.
//!
//! What changes during a game (control, units, depot stocks, cut links) comes in a
//! [`MapView`]; everything else is read from the [`Scenario`].

pub mod text;
pub mod tiles;

use crate::scenario::ids::SideId;
use std::path::Path;

use tiny_skia::{
    Color, FillRule, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Rect, Stroke, StrokeDash,
    Transform,
};

use crate::geo::{LatLon, Offset};
use crate::numbers::group_thousands;
use crate::scenario::model::{Rgb, Scenario};
use crate::scenario::raw::{CrossingKind, LinkMode, PlaceSize, UnitKind, UnitSize};
use text::{TextStyle, Weight, draw_text, text_width};

/// How big to draw.
#[derive(Debug, Clone)]
pub struct MapStyle {
    /// Pixels from one hex centre to the next.
    pub hex_px: f32,
    /// Blank border around the map, pixels.
    pub margin: f32,
    /// Height of the title band, pixels.
    pub title_px: f32,
    /// Draw what the rules see over the map (`railhead map --grid`): hex coordinates,
    /// the hex sides that count as river sides, crossings with their hexes, and roads and
    /// rail links hex by hex.
    pub grid: bool,
}

impl Default for MapStyle {
    fn default() -> Self {
        Self {
            hex_px: 26.0,
            margin: 16.0,
            title_px: 44.0,
            grid: false,
        }
    }
}

/// A unit as the map shows it.
#[derive(Debug, Clone)]
pub struct UnitMarker {
    /// Name (shown when counters are large enough).
    pub name: String,
    /// Side index.
    pub side: SideId,
    /// Type.
    pub kind: UnitKind,
    /// Echelon.
    pub size: UnitSize,
    /// Where.
    pub hex: Offset,
    /// Fraction of establishment.
    pub strength: f64,
}

/// The parts of the map that change during a game.
#[derive(Debug, Clone)]
pub struct MapView {
    /// Heading under the title, e.g. the date.
    pub caption: String,
    /// Side holding each hex, row-major.
    pub control: Vec<Option<SideId>>,
    /// Units on the map.
    pub units: Vec<UnitMarker>,
    /// Stock of each depot, tonnes.
    pub depot_stock: Vec<u32>,
    /// The side each depot serves (depots change hands with their hex).
    pub depot_side: Vec<SideId>,
    /// Whether each rail link is cut.
    pub link_cut: Vec<bool>,
}

impl UnitMarker {
    /// A unit as the scenario sets it up.
    pub fn from_spec(u: &crate::scenario::model::UnitSpec) -> Self {
        UnitMarker {
            name: u.name.clone(),
            side: u.side,
            kind: u.kind,
            size: u.size,
            hex: u.hex,
            strength: u.strength,
        }
    }
}

impl MapView {
    /// The map as the scenario sets it up on its first day.
    pub fn initial(s: &Scenario) -> Self {
        let units = s
            .units
            .iter()
            .filter(|u| u.arrives.is_none() && u.departs.is_none_or(|d| d > s.start_date))
            .map(UnitMarker::from_spec)
            .collect();
        MapView {
            caption: format!("{} (start)", s.start_date.format("%-d %B %Y")),
            control: s.control.clone(),
            units,
            depot_stock: s.depots.iter().map(|d| d.stock).collect(),
            depot_side: s.depots.iter().map(|d| d.side).collect(),
            link_cut: vec![false; s.rail_links.len()],
        }
    }

    /// The map as a game stands: who holds what, the units on the map, depot stocks, and
    /// the rail links cut since the start for a side they fed.
    pub fn from_state(
        s: &Scenario,
        board: &crate::rules::state::Board,
        forces: &crate::rules::state::Forces,
        depots: &crate::rules::state::Depots,
        caption: String,
    ) -> Self {
        let units = forces
            .units
            .iter()
            .filter(|u| u.active())
            .map(|u| UnitMarker {
                hex: u.hex(),
                strength: u.strength,
                ..UnitMarker::from_spec(&s.units[u.id])
            })
            .collect();
        let link_cut = (0..s.rail_links.len())
            .map(|l| {
                // Cut, or wrecked, where it ran at the start.
                (0..s.sides.len()).any(|side| {
                    (board.link_cut_by[side][l].is_some() || board.rail[l].wrecked)
                        && !board.cut_at_start[side][l]
                })
            })
            .collect();
        MapView {
            caption,
            control: board.control.clone(),
            units,
            depot_stock: depots
                .0
                .iter()
                .map(|d| {
                    if d.active {
                        d.stock.round().max(0.0) as u32
                    } else {
                        0
                    }
                })
                .collect(),
            depot_side: (0..s.depots.len()).map(|d| depots.owner(s, d)).collect(),
            link_cut,
        }
    }
}

fn paint(rgb: (u8, u8, u8), alpha: f32) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color(Color::from_rgba8(
        rgb.0,
        rgb.1,
        rgb.2,
        (alpha.clamp(0.0, 1.0) * 255.0) as u8,
    ));
    p.anti_alias = true;
    p
}

fn rgb(c: Rgb) -> (u8, u8, u8) {
    (c.0, c.1, c.2)
}

fn stroke(width: f32) -> Stroke {
    Stroke {
        width,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        ..Stroke::default()
    }
}

/// Geometry: from kilometres to pixels.
struct Canvas<'a> {
    s: &'a Scenario,
    scale: f32,
    ox: f32,
    oy: f32,
    radius: f32,
}

impl Canvas<'_> {
    fn km(&self, (x, y): (f64, f64)) -> (f32, f32) {
        (
            self.ox + x as f32 * self.scale,
            self.oy + y as f32 * self.scale,
        )
    }
    fn hex(&self, o: Offset) -> (f32, f32) {
        self.km(self.s.frame.hex_center_km(o))
    }
    fn geo(&self, p: LatLon) -> (f32, f32) {
        self.km(self.s.frame.to_km(p))
    }
    fn corners(&self, o: Offset) -> [(f32, f32); 6] {
        let (cx, cy) = self.hex(o);
        std::array::from_fn(|i| {
            let a = (60.0 * i as f32 - 30.0).to_radians();
            (cx + self.radius * a.cos(), cy + self.radius * a.sin())
        })
    }
    /// The two ends of the side shared by neighbouring hexes.
    fn shared_side(&self, a: Offset, b: Offset) -> ((f32, f32), (f32, f32)) {
        let (ax, ay) = self.hex(a);
        let (bx, by) = self.hex(b);
        let (mx, my) = (f32::midpoint(ax, bx), f32::midpoint(ay, by));
        let (dx, dy) = (bx - ax, by - ay);
        let len = (dx * dx + dy * dy).sqrt().max(1e-3);
        let (px, py) = (-dy / len * self.radius / 2.0, dx / len * self.radius / 2.0);
        ((mx - px, my - py), (mx + px, my + py))
    }
}

fn polyline(points: &[(f32, f32)]) -> Option<tiny_skia::Path> {
    let mut pb = PathBuilder::new();
    let (first, rest) = points.split_first()?;
    pb.move_to(first.0, first.1);
    for p in rest {
        pb.line_to(p.0, p.1);
    }
    pb.finish()
}

fn polygon(points: &[(f32, f32)]) -> Option<tiny_skia::Path> {
    let mut pb = PathBuilder::new();
    let (first, rest) = points.split_first()?;
    pb.move_to(first.0, first.1);
    for p in rest {
        pb.line_to(p.0, p.1);
    }
    pb.close();
    pb.finish()
}

/// Where the map lies in a rendered image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    /// Image width, pixels.
    pub width: u32,
    /// Image height, pixels.
    pub height: u32,
    /// Pixels per kilometre.
    pub scale: f32,
    /// Pixel x of map kilometre x = 0 (the centre of hex (0, 0)).
    pub origin_x: f32,
    /// Pixel y of map kilometre y = 0.
    pub origin_y: f32,
}

/// Which layers to draw.
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent switches, one per layer, read as such"
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layers {
    /// Terrain fill, control tint and hex grid, on an opaque background.
    pub terrain: bool,
    /// Rivers, border, front line, roads, rails, crossings, places and depots.
    pub features: bool,
    /// Unit counters.
    pub units: bool,
    /// Title, caption and scale bar.
    pub title: bool,
    /// The front line and depot stocks, which change during play (a live view draws them itself).
    pub changing: bool,
    /// Place names and objectives' points (a live view places them itself, clear of the
    /// counters, at a size that does not change with the zoom).
    pub names: bool,
}

impl Layers {
    /// Everything: the map as `railhead map` draws it.
    pub const ALL: Layers = Layers {
        terrain: true,
        features: true,
        units: true,
        title: true,
        changing: true,
        names: true,
    };
    /// Only the features that do not change during play, on a transparent background,
    /// for laying over a tilemap.
    pub const FEATURES: Layers = Layers {
        terrain: false,
        features: true,
        units: false,
        title: false,
        changing: false,
        names: false,
    };
}

/// Most pixels of a map image `railhead map` draws: 80 million (about 700 MB at the peak
/// of drawing and encoding it).
pub const MAX_MAP_PIXELS: u64 = 80_000_000;

/// The largest hex size, in pixels, at which the whole map of `s` (in `style`, but for
/// its hex size) has at most `pixels` pixels and neither side longer than `side`.
pub fn largest_hex_px(s: &Scenario, style: &MapStyle, pixels: u64, side: u32) -> f32 {
    let at = |hex_px: f32| {
        geometry(
            s,
            &MapStyle {
                hex_px,
                ..style.clone()
            },
            Layers::ALL,
        )
    };
    let fits = |hex_px: f32| {
        let g = at(hex_px);
        u64::from(g.width) * u64::from(g.height) <= pixels && g.width <= side && g.height <= side
    };
    // Bisection on the hex size (the image grows with it).
    let (mut lo, mut hi) = (4.0f32, style.hex_px.max(4.0));
    if fits(hi) {
        return hi;
    }
    for _ in 0..30 {
        let mid = f32::midpoint(lo, hi);
        if fits(mid) { lo = mid } else { hi = mid }
    }
    lo
}

/// The size and placement of a map image for a scenario and style.
pub fn geometry(s: &Scenario, style: &MapStyle, layers: Layers) -> Geometry {
    let hex_px = style.hex_px.max(4.0);
    let radius = hex_px / 3f32.sqrt();
    let title = if layers.title { style.title_px } else { 0.0 };
    let map_w = s.frame.columns as f32 * hex_px + hex_px / 2.0;
    let map_h = (s.frame.rows - 1).max(0) as f32 * 1.5 * radius + 2.0 * radius;
    Geometry {
        width: (map_w + 2.0 * style.margin).ceil() as u32,
        height: (map_h + 2.0 * style.margin + title).ceil() as u32,
        scale: hex_px / s.frame.hex_km as f32,
        origin_x: style.margin + hex_px / 2.0,
        origin_y: style.margin + title + radius,
    }
}

/// Draws the map of a scenario in a given state: all layers.
pub fn render_map(s: &Scenario, view: &MapView, style: &MapStyle) -> Option<Pixmap> {
    render_layers(s, view, style, Layers::ALL)
}

/// Draws chosen layers of the map.
pub fn render_layers(
    s: &Scenario,
    view: &MapView,
    style: &MapStyle,
    layers: Layers,
) -> Option<Pixmap> {
    let hex_px = style.hex_px.max(4.0);
    let radius = hex_px / 3f32.sqrt();
    let g = geometry(s, style, layers);
    let (width, scale) = (g.width, g.scale);
    let mut pm = Pixmap::new(g.width, g.height)?;
    if layers.terrain {
        pm.fill(Color::from_rgba8(244, 241, 232, 255));
    }
    let cv = Canvas {
        s,
        scale,
        ox: g.origin_x,
        oy: g.origin_y,
        radius,
    };
    if layers.terrain {
        draw_terrain(&mut pm, &cv, view);
    }
    if layers.features {
        draw_features(&mut pm, &cv, view, hex_px, layers.changing);
    }
    if layers.units {
        draw_units(&mut pm, &cv, view, hex_px);
    }
    if layers.features && layers.names {
        draw_names(&mut pm, &cv, view, hex_px, layers.units);
    }
    if style.grid {
        draw_grid(&mut pm, &cv, hex_px);
    }
    if layers.title {
        draw_title(&mut pm, s, view, style, width, scale);
    }
    Some(pm)
}

/// What a report marks on a key day's map: a grouping ringed, and arrows of advances.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Marks {
    /// Hexes of the grouping to ring (one ring around them all).
    pub ring: Vec<Offset>,
    /// Advances: from, to, and the advancing side.
    pub arrows: Vec<(Offset, Offset, SideId)>,
    /// Hexes ringed one by one (a lesson's highlighted depots, places, crossings).
    pub spots: Vec<Offset>,
}

/// The pixel at the centre of hex `o` in a map drawn with `style`.
pub fn hex_pixel(s: &Scenario, style: &MapStyle, o: Offset) -> (f32, f32) {
    let g = geometry(s, style, Layers::ALL);
    let (x, y) = s.frame.hex_center_km(o);
    (
        g.origin_x + x as f32 * g.scale,
        g.origin_y + y as f32 * g.scale,
    )
}

/// Colour of the ring a report draws around a threatened grouping (its legend uses it).
pub const RING_RGB: (u8, u8, u8) = (235, 130, 0);

/// Draws the map with a report's marks over it.
pub fn render_marked(
    s: &Scenario,
    view: &MapView,
    style: &MapStyle,
    marks: &Marks,
) -> Option<Pixmap> {
    let mut pm = render_map(s, view, style)?;
    let hex_px = style.hex_px.max(4.0);
    let g = geometry(s, style, Layers::ALL);
    let cv = Canvas {
        s,
        scale: g.scale,
        ox: g.origin_x,
        oy: g.origin_y,
        radius: hex_px / 3f32.sqrt(),
    };
    let id = Transform::identity();
    for (from, to, side) in &marks.arrows {
        let (a, b) = (cv.hex(*from), cv.hex(*to));
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = (dx * dx + dy * dy).sqrt();
        if len < hex_px {
            continue;
        }
        let (ux, uy) = (dx / len, dy / len);
        let head = hex_px * 0.9;
        let base = (b.0 - ux * head, b.1 - uy * head);
        let colour = s.sides.get(side.0).map_or((40, 40, 40), |x| rgb(x.colour));
        let dark = (colour.0 / 2, colour.1 / 2, colour.2 / 2);
        if let Some(path) = polyline(&[a, base]) {
            pm.stroke_path(
                &path,
                &paint((255, 255, 255), 0.9),
                &stroke(hex_px * 0.42),
                id,
                None,
            );
            pm.stroke_path(&path, &paint(dark, 0.95), &stroke(hex_px * 0.26), id, None);
        }
        let (px, py) = (-uy * head * 0.6, ux * head * 0.6);
        if let Some(path) = polygon(&[b, (base.0 + px, base.1 + py), (base.0 - px, base.1 - py)]) {
            pm.fill_path(&path, &paint(dark, 0.95), FillRule::Winding, id, None);
            pm.stroke_path(&path, &paint((255, 255, 255), 0.9), &stroke(1.5), id, None);
        }
    }
    for o in &marks.spots {
        let (cx, cy) = cv.hex(*o);
        if let Some(c) = PathBuilder::from_circle(cx, cy, hex_px * 0.95) {
            pm.stroke_path(
                &c,
                &paint((255, 255, 255), 0.9),
                &stroke(hex_px * 0.3),
                id,
                None,
            );
            pm.stroke_path(&c, &paint(RING_RGB, 1.0), &stroke(hex_px * 0.16), id, None);
        }
    }
    if !marks.ring.is_empty() {
        let pts: Vec<(f32, f32)> = marks.ring.iter().map(|o| cv.hex(*o)).collect();
        let n = pts.len() as f32;
        let (cx, cy) = (
            pts.iter().map(|p| p.0).sum::<f32>() / n,
            pts.iter().map(|p| p.1).sum::<f32>() / n,
        );
        let r = pts
            .iter()
            .map(|p| ((p.0 - cx).powi(2) + (p.1 - cy).powi(2)).sqrt())
            .fold(0.0f32, f32::max)
            + hex_px * 1.1;
        if let Some(c) = PathBuilder::from_circle(cx, cy, r) {
            pm.stroke_path(
                &c,
                &paint((255, 255, 255), 0.9),
                &stroke(hex_px * 0.35),
                id,
                None,
            );
            let mut st = stroke(hex_px * 0.2);
            st.dash = StrokeDash::new(vec![hex_px * 0.6, hex_px * 0.3], 0.0);
            pm.stroke_path(&c, &paint(RING_RGB, 1.0), &st, id, None);
        }
    }
    Some(pm)
}

fn draw_terrain(pm: &mut Pixmap, cv: &Canvas, view: &MapView) {
    let (s, id) = (cv.s, Transform::identity());
    let strip = tiles::patterns();
    let patterns: Vec<Option<Pixmap>> = (0..tiles::TERRAIN_PATTERNS.len())
        .map(|i| strip.as_ref().and_then(|p| tiles::pattern(p, i)))
        .collect();
    // A pattern cell covers about two thirds of a hex.
    let pattern_scale = cv.radius * 3f32.sqrt() * 0.66 / tiles::CELL_PX as f32;
    for o in s.hexes() {
        let Some(path) = polygon(&cv.corners(o)) else {
            continue;
        };
        let terrain = s.terrain_at(o);
        pm.fill_path(
            &path,
            &paint(rgb(terrain.colour), 1.0),
            FillRule::Winding,
            id,
            None,
        );
        if let Some(Some(pattern)) = patterns.get(terrain.pattern) {
            tiles::fill_with_pattern(pm, &path, pattern, pattern_scale);
        }
        if let Some(side) = view.control.get(s.index(o)).copied().flatten() {
            pm.fill_path(
                &path,
                &paint(rgb(s.sides[side].colour), 0.16),
                FillRule::Winding,
                id,
                None,
            );
        }
        pm.stroke_path(&path, &paint((90, 90, 80), 0.18), &stroke(0.6), id, None);
    }
}

fn draw_features(pm: &mut Pixmap, cv: &Canvas, view: &MapView, hex_px: f32, changing: bool) {
    let (s, id) = (cv.s, Transform::identity());
    // Rivers, from their real courses.
    for r in &s.rivers {
        let pts: Vec<(f32, f32)> = r.course.iter().map(|p| cv.geo(*p)).collect();
        if let Some(path) = polyline(&pts) {
            pm.stroke_path(
                &path,
                &paint((58, 110, 190), 1.0),
                &stroke((hex_px * 0.13).max(1.5)),
                id,
                None,
            );
        }
    }

    // The border.
    let border: Vec<(f32, f32)> = s.border.iter().map(|p| cv.geo(*p)).collect();
    if let Some(path) = polyline(&border) {
        let mut st = stroke((hex_px * 0.1).max(1.5));
        st.dash = StrokeDash::new(
            vec![hex_px * 0.5, hex_px * 0.2, hex_px * 0.1, hex_px * 0.2],
            0.0,
        );
        pm.stroke_path(&path, &paint((120, 40, 120), 0.9), &st, id, None);
    }

    // Front line: hex sides between hexes held by different sides.
    let mut front = PathBuilder::new();
    for o in s.hexes().filter(|_| changing) {
        let mine = view.control.get(s.index(o)).copied().flatten();
        for n in s.neighbours(o) {
            if n <= o {
                continue;
            }
            let theirs = view.control.get(s.index(n)).copied().flatten();
            if mine.is_some() && theirs.is_some() && mine != theirs {
                let (a, b) = cv.shared_side(o, n);
                front.move_to(a.0, a.1);
                front.line_to(b.0, b.1);
            }
        }
    }
    if let Some(path) = front.finish() {
        pm.stroke_path(
            &path,
            &paint((200, 30, 30), 0.85),
            &stroke((hex_px * 0.12).max(1.5)),
            id,
            None,
        );
    }

    // Roads.
    for r in &s.roads {
        let pts: Vec<(f32, f32)> = r.hexes.iter().map(|h| cv.hex(*h)).collect();
        if let Some(path) = polyline(&pts) {
            pm.stroke_path(
                &path,
                &paint((150, 95, 40), 0.9),
                &stroke((hex_px * 0.09).max(1.2)),
                id,
                None,
            );
        }
    }

    // Rail links: black with white ticks; truck hauls dashed; cut links red.
    for (i, l) in s.rail_links.iter().enumerate() {
        let pts: Vec<(f32, f32)> = l.hexes.iter().map(|h| cv.hex(*h)).collect();
        let Some(path) = polyline(&pts) else { continue };
        let cut = view.link_cut.get(i).copied().unwrap_or(false);
        let colour = if cut { (210, 30, 30) } else { (25, 25, 25) };
        let w = (hex_px * 0.14).max(2.0);
        match l.mode {
            LinkMode::Rail => {
                pm.stroke_path(&path, &paint(colour, 1.0), &stroke(w), id, None);
                let mut ticks = stroke(w * 0.45);
                ticks.line_cap = LineCap::Butt;
                ticks.dash = StrokeDash::new(vec![w * 1.2, w * 1.2], 0.0);
                pm.stroke_path(&path, &paint((250, 250, 250), 1.0), &ticks, id, None);
            }
            LinkMode::Truck => {
                let mut st = stroke(w * 0.8);
                st.dash = StrokeDash::new(vec![w * 1.5, w * 1.2], 0.0);
                pm.stroke_path(&path, &paint(colour, 0.9), &st, id, None);
            }
        }
    }

    draw_markers(pm, cv, view, hex_px, changing);
}

/// Crossings, rail nodes, places, and depots with their stocks (shown
/// when the map draws what changes).
fn draw_markers(pm: &mut Pixmap, cv: &Canvas, view: &MapView, hex_px: f32, changing: bool) {
    let (s, id, radius) = (cv.s, Transform::identity(), cv.radius);
    // Bridges (bars across the river side) and fords (dots).
    for (key, e) in &s.river_edges {
        let Some(ci) = e.crossing else { continue };
        let x = &s.crossings[ci];
        let (a, b) = cv.shared_side(key.0, key.1);
        let (mx, my) = (f32::midpoint(a.0, b.0), f32::midpoint(a.1, b.1));
        match x.kind {
            CrossingKind::Bridge | CrossingKind::Pontoon => {
                let pontoon = x.kind == CrossingKind::Pontoon;
                let (ax, ay) = cv.hex(key.0);
                let (bx, by) = cv.hex(key.1);
                let (dx, dy) = ((bx - ax) * 0.18, (by - ay) * 0.18);
                if let Some(path) = polyline(&[(mx - dx, my - dy), (mx + dx, my + dy)]) {
                    let colour = match (x.intact, pontoon) {
                        (false, _) => (210, 30, 30),
                        (true, false) => (30, 30, 30),
                        (true, true) => (150, 105, 40),
                    };
                    let width = if pontoon { 0.11 } else { 0.16 };
                    pm.stroke_path(
                        &path,
                        &paint(colour, 1.0),
                        &stroke((hex_px * width).max(2.0)),
                        id,
                        None,
                    );
                }
            }
            CrossingKind::Ford | CrossingKind::Ferry => {
                let ferry = x.kind == CrossingKind::Ferry;
                let r = if ferry { 0.11 } else { 0.08 };
                if let Some(c) = PathBuilder::from_circle(mx, my, (hex_px * r).max(1.5)) {
                    let fill = if ferry {
                        (40, 60, 120)
                    } else {
                        (240, 240, 255)
                    };
                    pm.fill_path(&c, &paint(fill, 1.0), FillRule::Winding, id, None);
                    if ferry {
                        pm.stroke_path(&c, &paint((250, 250, 250), 1.0), &stroke(1.2), id, None);
                    }
                }
            }
        }
    }

    // Rail nodes.
    for n in &s.rail_nodes {
        let (x, y) = cv.hex(n.hex);
        if let Some(c) = PathBuilder::from_circle(x, y, (hex_px * 0.12).max(2.0)) {
            pm.fill_path(
                &c,
                &paint((250, 250, 250), 1.0),
                FillRule::Winding,
                id,
                None,
            );
            pm.stroke_path(&c, &paint((25, 25, 25), 1.0), &stroke(1.2), id, None);
        }
    }

    // Places: dots; objectives ringed in gold (names and points come after the
    // counters, in `draw_names`).
    for (k, p) in s.places.iter().enumerate() {
        let (x, y) = cv.geo(p.position);
        let objective = s.objectives.iter().find(|o| o.place == k);
        if objective.is_some()
            && let Some(c) = PathBuilder::from_circle(x, y, (hex_px * 0.3).max(4.0))
        {
            pm.stroke_path(
                &c,
                &paint((200, 150, 20), 1.0),
                &stroke((hex_px * 0.07).max(1.5)),
                id,
                None,
            );
        }
        let r = match p.size {
            PlaceSize::City => hex_px * 0.2,
            PlaceSize::Town => hex_px * 0.13,
            PlaceSize::Village => hex_px * 0.08,
        };
        if let Some(c) = PathBuilder::from_circle(x, y, r.max(1.5)) {
            pm.fill_path(&c, &paint((40, 40, 40), 1.0), FillRule::Winding, id, None);
        }
    }

    // Depots: a square in the owner's colour with the stock.
    for (i, d) in s.depots.iter().enumerate() {
        let (x, y) = cv.hex(d.hex);
        let half = hex_px * 0.22;
        if let Some(rect) = Rect::from_xywh(x - half, y + radius * 0.25, half * 2.0, half * 2.0) {
            let path = PathBuilder::from_rect(rect);
            pm.fill_path(
                &path,
                &paint(
                    rgb(s.sides[view.depot_side.get(i).copied().unwrap_or(d.side)].colour),
                    1.0,
                ),
                FillRule::Winding,
                id,
                None,
            );
            pm.stroke_path(&path, &paint((20, 20, 20), 1.0), &stroke(1.2), id, None);
        }
        if !changing {
            continue;
        }
        let stock = view.depot_stock.get(i).copied().unwrap_or(d.stock);
        let txt = format!("{} t", group_thousands(stock));
        draw_text(
            pm,
            &txt,
            x + half + 3.0,
            y + radius * 0.25 + half * 1.6,
            TextStyle {
                size: (hex_px * 0.42).clamp(8.0, 20.0) * 0.8,
                weight: Weight::Regular,
                rgb: (20, 20, 20),
                halo: Some((255, 255, 250)),
            },
        );
    }
}

/// What the rules see, over the map: roads and rail links hex by hex (a line from centre
/// to centre of each hex they pass), every hex side the rules count as a river side, each
/// crossing's hex outlined with its name, and hex coordinates every few hexes.
fn draw_grid(pm: &mut Pixmap, cv: &Canvas, hex_px: f32) {
    let (s, id) = (cv.s, Transform::identity());
    let small = (hex_px * 0.28).clamp(7.0, 13.0);
    // Roads: each hex side a road crosses, centre to centre.
    for (a, b) in &s.road_edges {
        if let Some(path) = polyline(&[cv.hex(*a), cv.hex(*b)]) {
            pm.stroke_path(
                &path,
                &paint((200, 110, 0), 0.9),
                &stroke((hex_px * 0.06).max(1.5)),
                id,
                None,
            );
        }
    }
    // Rail and lorry links: their hexes, joined, with a dot in each.
    for l in &s.rail_links {
        let pts: Vec<(f32, f32)> = l.hexes.iter().map(|h| cv.hex(*h)).collect();
        let colour = if l.mode == LinkMode::Truck {
            (120, 60, 160)
        } else {
            (20, 20, 20)
        };
        if let Some(path) = polyline(&pts) {
            pm.stroke_path(
                &path,
                &paint(colour, 0.8),
                &stroke((hex_px * 0.05).max(1.2)),
                id,
                None,
            );
        }
        for &(x, y) in &pts {
            if let Some(c) = PathBuilder::from_circle(x, y, (hex_px * 0.06).max(1.5)) {
                pm.fill_path(&c, &paint(colour, 1.0), FillRule::Winding, id, None);
            }
        }
    }
    // River sides, as the rules count them; a side with a crossing in magenta.
    for (key, e) in &s.river_edges {
        let (a, b) = cv.shared_side(key.0, key.1);
        let colour = if e.crossing.is_some() {
            (220, 0, 160)
        } else {
            (0, 150, 255)
        };
        if let Some(path) = polyline(&[a, b]) {
            pm.stroke_path(
                &path,
                &paint(colour, 1.0),
                &stroke((hex_px * 0.12).max(2.5)),
                id,
                None,
            );
        }
    }
    // Crossings: their hex outlined, their name beside it.
    for x in &s.crossings {
        if let Some(path) = polygon(&cv.corners(x.hex)) {
            pm.stroke_path(
                &path,
                &paint((220, 0, 160), 1.0),
                &stroke((hex_px * 0.05).max(1.5)),
                id,
                None,
            );
        }
        let (cx, cy) = cv.hex(x.hex);
        draw_text(
            pm,
            &format!("{} {}", x.name, x.hex),
            cx - cv.radius * 0.8,
            cy + cv.radius * 0.75,
            TextStyle {
                size: small,
                weight: Weight::Bold,
                rgb: (160, 0, 120),
                halo: Some((255, 255, 255)),
            },
        );
    }
    // Coordinates: every hex when there is room, else every 2nd or 5th.
    let step = if hex_px >= 48.0 {
        1
    } else if hex_px >= 30.0 {
        2
    } else {
        5
    };
    for row in (0..s.frame.rows).step_by(step) {
        for col in (0..s.frame.columns).step_by(step) {
            let o = Offset { col, row };
            let (x, y) = cv.hex(o);
            let txt = format!("{col},{row}");
            let w = text_width(&txt, small, Weight::Regular);
            draw_text(
                pm,
                &txt,
                x - w / 2.0,
                y - cv.radius * 0.45,
                TextStyle {
                    size: small,
                    weight: Weight::Regular,
                    rgb: (60, 60, 60),
                    halo: Some((255, 255, 255)),
                },
            );
        }
    }
}

/// The boxes of the names placed so far: a village's name that would overlap one is left
/// out (a city's, a town's or an objective's is always drawn).
#[derive(Default)]
struct Placed(Vec<(f32, f32, f32, f32)>);

impl Placed {
    fn clear(&self, b: (f32, f32, f32, f32)) -> bool {
        !self
            .0
            .iter()
            .any(|o| b.0 < o.2 && o.0 < b.2 && b.1 < o.3 && o.1 < b.3)
    }
}

/// Place names, and objectives' points, after the counters and clear of them: a name
/// whose hex holds counters (fanned out to the right) or a depot starts right of them.
/// Objectives and the larger places are named first; a village's name that would
/// overlap one already placed is left out, so a crowded map stays readable.
fn draw_names(pm: &mut Pixmap, cv: &Canvas, view: &MapView, hex_px: f32, units: bool) {
    let s = cv.s;
    let label = (hex_px * 0.42).clamp(8.0, 20.0);
    let mut order: Vec<usize> = (0..s.places.len()).collect();
    let is_objective = |k: usize| s.objectives.iter().any(|o| o.place == k);
    order.sort_by_key(|&k| (!is_objective(k), std::cmp::Reverse(s.places[k].size), k));
    let mut placed = Placed::default();
    for k in order {
        let p = &s.places[k];
        let (x, y) = cv.geo(p.position);
        let objective = s.objectives.iter().find(|o| o.place == k);
        let (r, size, weight) = match p.size {
            PlaceSize::City => (hex_px * 0.2, label * 1.25, Weight::Bold),
            PlaceSize::Town => (hex_px * 0.13, label, Weight::Bold),
            PlaceSize::Village => (hex_px * 0.08, label * 0.85, Weight::Regular),
        };
        let stacked = if units {
            view.units.iter().filter(|u| u.hex == p.hex).count()
        } else {
            0
        };
        let depot = s.depots.iter().any(|d| d.hex == p.hex);
        let (hx, _) = cv.hex(p.hex);
        let mut lx = x + r + 2.0;
        if stacked > 0 {
            // The counters' right edge, the last of the fan furthest right.
            lx = lx.max(
                hx - hex_px * 0.1 + hex_px * 0.31 + (stacked - 1) as f32 * hex_px * 0.12 + 2.0,
            );
        }
        if depot {
            lx = lx.max(hx + hex_px * 0.22 + 2.0);
        }
        let base = y - r - 1.0;
        let w = text_width(&p.name, size, weight);
        // An objective's points go under its name, or beside it where a depot's stock is
        // written under the depot.
        let vp = objective.map(|o| format!("{} VP", o.points));
        let vp_w = vp
            .as_ref()
            .map_or(0.0, |t| text_width(t, size * 0.8, Weight::Bold) + 4.0);
        let (vp_at, bounds) = if depot {
            (
                (lx + w + 4.0, base),
                (lx, base - size * 0.8, lx + w + vp_w, base + size * 0.25),
            )
        } else {
            let below = if vp.is_some() { size } else { 0.0 };
            (
                (lx, base + size),
                (
                    lx,
                    base - size * 0.8,
                    lx + w.max(vp_w),
                    base + size * 0.25 + below,
                ),
            )
        };
        if p.size == PlaceSize::Village && objective.is_none() && !placed.clear(bounds) {
            continue;
        }
        placed.0.push(bounds);
        draw_text(
            pm,
            &p.name,
            lx,
            base,
            TextStyle {
                size,
                weight,
                rgb: (20, 20, 20),
                halo: Some((255, 255, 250)),
            },
        );
        if let Some(vp) = vp {
            draw_text(
                pm,
                &vp,
                vp_at.0,
                vp_at.1,
                TextStyle {
                    size: size * 0.8,
                    weight: Weight::Bold,
                    rgb: (150, 100, 0),
                    halo: Some((255, 255, 250)),
                },
            );
        }
    }
}

fn draw_units(pm: &mut Pixmap, cv: &Canvas, view: &MapView, hex_px: f32) {
    let s = cv.s;
    // Units: NATO-style counters, stacks fanned out.
    let mut stacks: std::collections::BTreeMap<Offset, usize> = std::collections::BTreeMap::new();
    for u in &view.units {
        let k = stacks.entry(u.hex).or_insert(0);
        let (x, y) = cv.hex(u.hex);
        let shift = *k as f32 * hex_px * 0.12;
        *k += 1;
        draw_counter(
            pm,
            s,
            u,
            x - hex_px * 0.1 + shift,
            y - hex_px * 0.12 - shift,
            hex_px * 0.62,
            MAP_DIGITS,
        );
    }
}

fn draw_title(
    pm: &mut Pixmap,
    s: &Scenario,
    view: &MapView,
    style: &MapStyle,
    width: u32,
    scale: f32,
) {
    let id = Transform::identity();
    draw_text(
        pm,
        &s.name,
        style.margin,
        style.margin + 18.0,
        TextStyle {
            size: 20.0,
            weight: Weight::Bold,
            rgb: (20, 20, 20),
            halo: None,
        },
    );
    let sub = format!(
        "{}  ·  {} km per hex  ·  {}x{} hexes",
        view.caption, s.frame.hex_km, s.frame.columns, s.frame.rows
    );
    draw_text(
        pm,
        &sub,
        style.margin,
        style.margin + 36.0,
        TextStyle {
            size: 13.0,
            weight: Weight::Regular,
            rgb: (60, 60, 60),
            halo: None,
        },
    );
    let bar_km = 20.0_f32;
    let bar_px = bar_km * scale;
    let bx = width as f32 - style.margin - bar_px;
    let by = style.margin + 30.0;
    if let Some(path) = polyline(&[
        (bx, by - 4.0),
        (bx, by),
        (bx + bar_px, by),
        (bx + bar_px, by - 4.0),
    ]) {
        pm.stroke_path(&path, &paint((20, 20, 20), 1.0), &stroke(2.0), id, None);
    }
    let lbl = format!("{bar_km} km");
    draw_text(
        pm,
        &lbl,
        bx + bar_px / 2.0 - text_width(&lbl, 12.0, Weight::Regular) / 2.0,
        by - 8.0,
        TextStyle {
            size: 12.0,
            weight: Weight::Regular,
            rgb: (20, 20, 20),
            halo: None,
        },
    );
}

/// The strength figures' height on a counter of a map drawn whole, as a share of its side.
const MAP_DIGITS: f32 = 0.24;

/// The strength figures' height on the window's counters, as a share of their side: larger
/// than on a map drawn whole, so that they read at the zoom a game starts at.
pub const WINDOW_DIGITS: f32 = 0.32;

/// Draws one unit counter, `size` pixels square, on a transparent image, its strength
/// figures `digits` of its side high.
pub fn render_counter(s: &Scenario, u: &UnitMarker, size: u32, digits: f32) -> Option<Pixmap> {
    let mut pm = Pixmap::new(size + 2, size + 2)?;
    let c = f32::midpoint(size as f32, 2.0);
    draw_counter(&mut pm, s, u, c, c, size as f32, digits);
    Some(pm)
}

fn draw_counter(
    pm: &mut Pixmap,
    s: &Scenario,
    u: &UnitMarker,
    cx: f32,
    cy: f32,
    size: f32,
    digits: f32,
) {
    let id = Transform::identity();
    let side = rgb(s.sides[u.side].colour);
    let half = size / 2.0;
    let Some(rect) = Rect::from_xywh(cx - half, cy - half, size, size) else {
        return;
    };
    let body = PathBuilder::from_rect(rect);
    pm.fill_path(&body, &paint(side, 1.0), FillRule::Winding, id, None);
    pm.stroke_path(&body, &paint((15, 15, 15), 1.0), &stroke(1.0), id, None);
    // The symbol box.
    let (bw, bh) = (size * 0.7, size * 0.42);
    let (bx, by) = (cx - bw / 2.0, cy - bh / 2.0 - size * 0.02);
    let Some(boxr) = Rect::from_xywh(bx, by, bw, bh) else {
        return;
    };
    let symbol = PathBuilder::from_rect(boxr);
    pm.fill_path(
        &symbol,
        &paint((250, 250, 245), 1.0),
        FillRule::Winding,
        id,
        None,
    );
    pm.stroke_path(&symbol, &paint((15, 15, 15), 1.0), &stroke(0.9), id, None);
    let ink = paint((15, 15, 15), 1.0);
    let line = stroke((size * 0.05).max(0.8));
    let cross = |pm: &mut Pixmap| {
        if let Some(p) = polyline(&[(bx, by), (bx + bw, by + bh)]) {
            pm.stroke_path(&p, &ink, &line, id, None);
        }
        if let Some(p) = polyline(&[(bx, by + bh), (bx + bw, by)]) {
            pm.stroke_path(&p, &ink, &line, id, None);
        }
    };
    let oval = |pm: &mut Pixmap| {
        if let Some(r) = Rect::from_xywh(bx + bw * 0.18, by + bh * 0.22, bw * 0.64, bh * 0.56)
            && let Some(p) = PathBuilder::from_oval(r)
        {
            pm.stroke_path(&p, &ink, &line, id, None);
        }
    };
    match u.kind {
        UnitKind::Tank => oval(pm),
        UnitKind::Mechanized => {
            cross(pm);
            oval(pm);
        }
        UnitKind::Infantry => cross(pm),
        UnitKind::AirAssault => {
            cross(pm);
            // Wings: the airborne arc under the cross.
            let mut pb = PathBuilder::new();
            pb.move_to(bx + bw * 0.3, by + bh * 0.85);
            pb.quad_to(bx + bw * 0.4, by + bh * 0.6, bx + bw * 0.5, by + bh * 0.85);
            pb.quad_to(bx + bw * 0.6, by + bh * 0.6, bx + bw * 0.7, by + bh * 0.85);
            if let Some(p) = pb.finish() {
                pm.stroke_path(&p, &ink, &line, id, None);
            }
        }
        UnitKind::Territorial => {
            cross(pm);
            if let Some(p) = polyline(&[(bx, by + bh * 0.5), (bx + bw, by + bh * 0.5)]) {
                pm.stroke_path(&p, &ink, &line, id, None);
            }
        }
        UnitKind::Artillery => {
            if let Some(c) = PathBuilder::from_circle(bx + bw / 2.0, by + bh / 2.0, bh * 0.2) {
                pm.fill_path(&c, &ink, FillRule::Winding, id, None);
            }
        }
    }
    // Echelon above the box.
    let marker = match u.size {
        UnitSize::Battalion => "II",
        UnitSize::Regiment => "III",
        UnitSize::Brigade => "X",
        UnitSize::Division => "XX",
    };
    let ms = size * 0.24;
    if ms >= 5.0 {
        draw_text(
            pm,
            marker,
            cx - text_width(marker, ms, Weight::Bold) / 2.0,
            by - size * 0.03,
            TextStyle {
                size: ms,
                weight: Weight::Bold,
                rgb: (15, 15, 15),
                halo: None,
            },
        );
        let st = format!("{}", (u.strength * 100.0).round() as u32);
        let ds = size * digits;
        draw_text(
            pm,
            &st,
            cx - text_width(&st, ds, Weight::Bold) / 2.0,
            cy + half - size * 0.04,
            TextStyle {
                size: ds,
                weight: Weight::Bold,
                rgb: (15, 15, 15),
                halo: None,
            },
        );
    }
}

/// Renders the map and writes it as a PNG, atomically (a temporary file, then a rename).
pub fn write_map_png(s: &Scenario, style: &MapStyle, out: &Path) -> std::io::Result<()> {
    let g = geometry(s, style, Layers::ALL);
    let pixels = u64::from(g.width) * u64::from(g.height);
    if pixels > MAX_MAP_PIXELS {
        return Err(std::io::Error::other(format!(
            "the map would be {} x {} pixels, more than the limit of {} million: draw it with --hex-px {} or less",
            g.width,
            g.height,
            MAX_MAP_PIXELS / 1_000_000,
            largest_hex_px(s, style, MAX_MAP_PIXELS, u32::MAX).floor()
        )));
    }
    let pm = render_map(s, &MapView::initial(s), style)
        .ok_or_else(|| std::io::Error::other("the map is too large to draw"))?;
    let png = pm.encode_png().map_err(std::io::Error::other)?;
    write_atomically(out, &png)
}

/// Writes a file through a temporary sibling and a rename, so a crash leaves either the
/// old file or the new one, never half of one. The temporary file (tempfile's, with a
/// unique name) is removed if anything fails before the rename.
pub fn write_atomically(out: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    refuse_to_replace(out)?;
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .ok_or_else(|| std::io::Error::other("no file name"))?;
    let prefix = format!(".{}.", name.to_string_lossy());
    clean_stale_temps(dir, &prefix);
    let mut builder = tempfile::Builder::new();
    let mine = temp_prefix(&prefix);
    builder.prefix(&mine).suffix(".tmp");
    // As `File::create` would make it (less the umask), not private to its owner.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    // On disk before the rename, so a crash leaves the old file or the whole new one.
    tmp.as_file().sync_all()?;
    tmp.persist(out).map(|_| ()).map_err(|e| e.error)
}

/// Refuses to write over anything but a regular file: a device (`/dev/null`), a FIFO or
/// a folder named as an output is left as it is.
pub fn refuse_to_replace(out: &Path) -> std::io::Result<()> {
    match std::fs::metadata(out) {
        Ok(m) if !m.is_file() => Err(std::io::Error::other(
            "it exists and is not a regular file (a device, a FIFO or a folder); only a regular file is replaced",
        )),
        _ => Ok(()),
    }
}

/// The start of the name of a temporary file (or folder) this process writes for an
/// output whose temporaries start `prefix`: the process's id follows, so that a later
/// write can tell whether the writer is still running.
pub(crate) fn temp_prefix(prefix: &str) -> String {
    format!("{prefix}{}-", std::process::id())
}

/// Whether the process `pid` is running (where the system says; elsewhere, taken to be).
fn running(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// Removes temporary files (or a report's temporary folders) of earlier writes of the same
/// output that were interrupted (a crash, a `kill -9`): those whose writing process has
/// ended (its id is in their name), at once; any other (of an older version, or where the
/// system cannot say) once it is ten minutes old, when no write can still be using it.
pub(crate) fn clean_stale_temps(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let old = std::time::SystemTime::now() - std::time::Duration::from_mins(10);
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let Some(rest) = name.strip_prefix(prefix) else {
            continue;
        };
        if !name.ends_with(".tmp") {
            continue;
        }
        let Ok(m) = e.metadata() else { continue };
        let writer = rest
            .split_once('-')
            .and_then(|(pid, _)| pid.parse::<u32>().ok());
        let dead = writer.is_some_and(|pid| pid != std::process::id() && !running(pid));
        if !(dead || m.modified().is_ok_and(|t| t < old)) {
            continue;
        }
        if m.is_file() {
            let _ = std::fs::remove_file(e.path());
        } else if m.is_dir() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}
