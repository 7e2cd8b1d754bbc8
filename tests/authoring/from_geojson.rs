//! A scenario drawn from geography: the made-up Vessa valley (`tests/scenarios/
//! geo_valley.ron`) has no row of letters; its rivers, places, rail and woods come from
//! GeoJSON layers, its control from a front line and an area. It validates, its hexes are
//! where the projection puts the points, it draws and it plays; a broken layer is
//! reported at the feature's line and column in its GeoJSON file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use railhead::geo::{LatLon, Offset};
use railhead::rules::simulation::Simulation;
use railhead::rules::state::Controller;
use railhead::scenario::{Scenario, load_file};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scenarios")
        .join(name)
}

fn valley() -> Scenario {
    load_file(&fixture("geo_valley.ron")).unwrap_or_else(|e| panic!("the valley validates:\n{e}"))
}

/// The hex a GIS tool puts a point in, worked out here by hand from the documented
/// projection (equirectangular about the map's middle latitude, pointy hexes in odd-r
/// offset rows, hex (0, 0) centred on the origin), not with the crate's own code.
fn by_hand(s: &Scenario, lat: f64, lon: f64) -> Offset {
    let f = &s.frame;
    let x = (lon - f.origin.lon) * 111.320 * f.reference_lat.to_radians().cos();
    let y = (f.origin.lat - lat) * 110.574;
    // Pointy hexes: size (circumradius) r = hex_km / sqrt 3; axial q, r fractional.
    let size = f.hex_km / 3f64.sqrt();
    let q = (3f64.sqrt() / 3.0 * x - y / 3.0) / size;
    let r = (2.0 / 3.0 * y) / size;
    // Cube rounding.
    let (cx, cz) = (q, r);
    let cy = -cx - cz;
    let (mut rx, ry, mut rz) = (cx.round(), cy.round(), cz.round());
    let (dx, dy, dz) = ((rx - cx).abs(), (ry - cy).abs(), (rz - cz).abs());
    if dx > dy && dx > dz {
        rx = -ry - rz;
    } else if dy <= dz {
        rz = -rx - ry;
    }
    let (q, r) = (rx as i32, rz as i32);
    // Axial to odd-r offset.
    Offset {
        col: q + (r - (r & 1)) / 2,
        row: r,
    }
}

#[test]
fn its_places_are_in_the_hexes_a_gis_tool_puts_them() {
    let s = valley();
    // The points of places.geojson; Farholt lies off the map and is left out.
    let points = [
        ("Arnfeld", 47.15, 20.08),
        ("Corran", 47.12, 20.33),
        ("Brisk", 47.05, 20.65),
        ("Dunmoor", 47.25, 20.55),
    ];
    for (name, lat, lon) in points {
        let p = s.place(name).unwrap_or_else(|| panic!("no place {name}"));
        assert_eq!(p.hex, by_hand(&s, lat, lon), "{name}");
        assert_eq!(p.position, LatLon { lat, lon });
    }
    assert!(
        s.place("Farholt").is_none(),
        "a place off the map is left out"
    );
    // Sizes from OpenStreetMap's `place` and from a population.
    let size = |n: &str| format!("{:?}", s.place(n).unwrap().size);
    assert_eq!(size("Arnfeld"), "Town");
    assert_eq!(size("Brisk"), "Town");
    assert_eq!(size("Dunmoor"), "Village");
    // The rail nodes stand where the layer's points do.
    for (name, lat, lon) in points.into_iter().filter(|p| p.0 != "Dunmoor") {
        let n = s.rail_nodes.iter().find(|n| n.name == name).unwrap();
        assert_eq!(n.hex, by_hand(&s, lat, lon), "node {name}");
    }
}

#[test]
fn its_terrain_and_control_come_from_the_areas() {
    let s = valley();
    let terrain_at = |lat, lon| {
        let o = by_hand(&s, lat, lon);
        let i = (o.row * s.frame.columns + o.col) as usize;
        s.terrain_types[s.terrain[i]].id.clone()
    };
    let held_at = |lat, lon| {
        let o = by_hand(&s, lat, lon);
        let i = (o.row * s.frame.columns + o.col) as usize;
        s.control[i].map(|id| s.sides[id.0].id.clone())
    };
    assert_eq!(terrain_at(47.24, 20.17), "forest", "the Arn woods");
    assert_eq!(
        terrain_at(46.965, 20.365),
        "marsh",
        "the southern marsh, a MultiPolygon"
    );
    assert_eq!(terrain_at(47.05, 20.10), "open", "the background");
    // East of the front is Red's (left of the line walked south), west Blue's.
    assert_eq!(held_at(47.00, 20.60).as_deref(), Some("red"));
    assert_eq!(held_at(47.00, 20.10).as_deref(), Some("blue"));
    // The Control area over the front: Red's bridgehead on the west bank.
    assert_eq!(held_at(47.29, 20.39).as_deref(), Some("red"));
}

#[test]
fn its_river_is_joined_from_two_pieces_and_its_links_follow_the_layer() {
    let s = valley();
    let v = s.rivers.iter().find(|r| r.name == "Vessa").unwrap();
    let (first, last) = (v.course[0], v.course[v.course.len() - 1]);
    assert_eq!((first.lat, first.lon), (47.36, 20.385), "upstream first");
    assert_eq!(
        (last.lat, last.lon),
        (46.85, 20.36),
        "the second piece turned round"
    );
    let bridge = s
        .crossings
        .iter()
        .find(|c| c.name == "Corran bridge")
        .unwrap();
    assert_eq!(
        s.rivers[bridge.river].name, "Vessa",
        "the file's crossing on the layer's river"
    );
    let east = s.rail_links.iter().find(|l| l.name == "East line").unwrap();
    assert_eq!(east.capacity, 900, "a feature's own capacity");
    let west = s.rail_links.iter().find(|l| l.name == "West line").unwrap();
    assert_eq!(west.capacity, 1200, "the layer's capacity");
    // The link runs hex by hex along the layer's line, through the hex of its middle point.
    assert!(west.hexes.contains(&by_hand(&s, 47.13, 20.25)));
}

#[test]
fn it_draws_and_plays() {
    let s = Arc::new(valley());
    let style = railhead::render::MapStyle::default();
    let view = railhead::render::MapView::initial(&s);
    let png = railhead::render::render_map(&s, &view, &style).expect("it draws");
    assert!(png.width() > 200 && png.height() > 150);
    let mut sim = Simulation::new(s.clone(), 7, vec![Controller::Plan, Controller::Ai]);
    for _ in 0..s.turns {
        sim.play_day();
    }
    let moved = sim
        .chronicle()
        .iter()
        .any(|l| format!("{:?}", l.event).starts_with("UnitMoved"));
    assert!(moved, "units moved in six days");
}

/// A copy of the valley in a folder of its own, with one layer replaced.
fn with_layer(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("geo")).unwrap();
    for f in ["rivers", "places", "rail", "terrain"] {
        let file = format!("{f}.geojson");
        std::fs::copy(
            fixture("geo").join(&file),
            dir.path().join("geo").join(&file),
        )
        .unwrap();
    }
    std::fs::write(dir.path().join("geo").join(name), text).unwrap();
    let ron = dir.path().join("valley.ron");
    std::fs::copy(fixture("geo_valley.ron"), &ron).unwrap();
    (dir, ron)
}

fn errors(ron: &Path) -> Vec<String> {
    let e = load_file(ron).expect_err("it should not validate");
    e.diagnostics
        .iter()
        .map(|d| {
            let file = Path::new(&d.file)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_string();
            format!("{file}:{}:{}: {}", d.line, d.column, d.message)
        })
        .collect()
}

#[test]
fn a_feature_with_no_name_and_an_open_ring_are_errors_at_the_feature() {
    let places = std::fs::read_to_string(fixture("geo/places.geojson"))
        .unwrap()
        .replace("\"name\": \"Corran\", ", "");
    let (_d, ron) = with_layer("places.geojson", &places);
    assert_eq!(
        errors(&ron),
        vec!["places.geojson:3:3: this place has no name"],
    );
    // GeoJSON's rings close; one that does not is reported at its feature's last point.
    let terrain = std::fs::read_to_string(fixture("geo/terrain.geojson"))
        .unwrap()
        .replacen(", [20.1, 47.28]]]}", "]]}", 1);
    let (_d, ron) = with_layer("terrain.geojson", &terrain);
    let got = errors(&ron);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("terrain.geojson:2:3: the polygon does not close"),
        "{got:?}"
    );
}

#[test]
fn a_layer_that_is_not_geojson_is_an_error_at_its_line() {
    let (_d, ron) = with_layer(
        "rail.geojson",
        "{\"type\": \"FeatureCollection\",\n \"features\": [ oops ]}",
    );
    let got = errors(&ron);
    assert_eq!(got.len(), 1);
    assert!(
        got[0].starts_with("rail.geojson:2:16: not GeoJSON"),
        "{got:?}"
    );
    // A layer missing is an error at its entry in the scenario.
    let (d, ron) = with_layer("rail.geojson", "");
    std::fs::remove_file(d.path().join("geo/rail.geojson")).unwrap();
    let got = errors(&ron);
    assert!(got[0].starts_with("valley.ron:25:20: "), "{got:?}");
    assert!(got[0].contains("cannot read the layer"), "{got:?}");
}

#[test]
fn a_loaded_scenario_carries_its_layers_in_its_content() {
    // A save carries the scenario's content: it must replay without the GeoJSON files.
    let s = valley();
    let raw: railhead::scenario::raw::RawScenario = serde_json::from_str(&s.content).unwrap();
    assert!(raw.geography.is_empty());
    let again = railhead::scenario::validate(&raw).expect("the content validates alone");
    assert_eq!(again.content_hash, s.content_hash);
    assert_eq!(again.places.len(), s.places.len());
}

/// The valley with one more village in the file, drawn as `railhead map` draws it, with
/// where the village's dot is, in pixels.
fn drawn_with_village(at: (f64, f64)) -> (tiny_skia::Pixmap, (f32, f32)) {
    let (_d, ron) = with_layer(
        "places.geojson",
        &std::fs::read_to_string(fixture("geo/places.geojson")).unwrap(),
    );
    let text = std::fs::read_to_string(&ron).unwrap().replacen(
        "    rail: Rail(",
        &format!(
            "    places: [Place(name: \"Aaavik\", at: LatLon({}, {}), size: Village)],\n    rail: Rail(",
            at.0, at.1
        ),
        1,
    );
    std::fs::write(&ron, text).unwrap();
    let s = load_file(&ron).unwrap_or_else(|e| panic!("{e}"));
    let pm = draw(&s);
    let g = railhead::render::geometry(&s, &style(), railhead::render::Layers::ALL);
    let (x, y) = s.frame.to_km(LatLon {
        lat: at.0,
        lon: at.1,
    });
    (
        pm,
        (
            g.origin_x + x as f32 * g.scale,
            g.origin_y + y as f32 * g.scale,
        ),
    )
}

fn style() -> railhead::render::MapStyle {
    railhead::render::MapStyle {
        hex_px: 40.0,
        ..Default::default()
    }
}

fn draw(s: &Scenario) -> tiny_skia::Pixmap {
    railhead::render::render_map(s, &railhead::render::MapView::initial(s), &style()).unwrap()
}

/// The farthest, in pixels, of the pixels that differ between two drawings from a point.
fn farthest_change(a: &tiny_skia::Pixmap, b: &tiny_skia::Pixmap, from: (f32, f32)) -> f32 {
    assert_eq!((a.width(), a.height()), (b.width(), b.height()));
    let w = a.width() as usize;
    a.pixels()
        .iter()
        .zip(b.pixels())
        .enumerate()
        .filter(|(_, (p, q))| p != q)
        .map(|(i, _)| {
            let (x, y) = ((i % w) as f32, (i / w) as f32);
            (x - from.0).hypot(y - from.1)
        })
        .fold(0.0, f32::max)
}

#[test]
fn a_village_whose_name_would_cover_another_is_left_unnamed() {
    // On Dunmoor (an objective, named first), the new village's name is left out: only
    // its dot is drawn. In open country, it is named too.
    let base = draw(&valley());
    let (on_dunmoor, dot) = drawn_with_village((47.25, 20.55));
    let far = farthest_change(&base, &on_dunmoor, dot);
    assert!(
        far <= 6.0,
        "something beyond the dot changed, {far} px from it"
    );
    let (open, dot) = drawn_with_village((46.95, 20.05));
    let far = farthest_change(&base, &open, dot);
    assert!(far > 15.0, "its name is drawn beside it: {far} px");
}
