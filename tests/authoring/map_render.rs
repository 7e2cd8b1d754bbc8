//! The headless map shows what the scenario says, where it says it.

use railhead::render::{Layers, MapStyle, MapView, geometry, render_map};
use railhead::scenario::{Scenario, load_or_default};
use tiny_skia::Pixmap;

fn pixel(pm: &Pixmap, x: f32, y: f32) -> (u8, u8, u8) {
    let p = pm.pixel(x as u32, y as u32).unwrap().demultiply();
    (p.red(), p.green(), p.blue())
}

/// Is there a pixel near (x, y), within `r` pixels, for which `want` holds?
fn near(pm: &Pixmap, x: f32, y: f32, r: i32, want: impl Fn((u8, u8, u8)) -> bool) -> bool {
    (-r..=r).any(|dx| (-r..=r).any(|dy| want(pixel(pm, x + dx as f32, y + dy as f32))))
}

fn to_px(s: &Scenario, style: &MapStyle, km: (f64, f64)) -> (f32, f32) {
    let g = geometry(s, style, Layers::ALL);
    (
        g.origin_x + km.0 as f32 * g.scale,
        g.origin_y + km.1 as f32 * g.scale,
    )
}

fn is_river_blue(c: (u8, u8, u8)) -> bool {
    c.2 > 150 && c.0 < 100 && c.1 > 80 && c.1 < 140
}

#[test]
fn rivers_are_drawn_along_their_courses() {
    let s = load_or_default(None).unwrap();
    let style = MapStyle::default();
    let pm = render_map(&s, &MapView::initial(&s), &style).unwrap();
    for river in &s.rivers {
        // Every tenth point of the course that lies on the map is on a blue line (but
        // where a crossing's mark lies over it).
        for p in river.course.iter().step_by(10) {
            let at = railhead::geo::offset_to_hex(s.frame.project(*p));
            if s.crossings
                .iter()
                .any(|c| railhead::geo::offset_to_hex(c.hex).unsigned_distance_to(at) <= 1)
            {
                continue;
            }
            let (x, y) = to_px(&s, &style, s.frame.to_km(*p));
            if x < 5.0 || y < 60.0 || x > pm.width() as f32 - 5.0 || y > pm.height() as f32 - 20.0 {
                continue;
            }
            assert!(
                near(&pm, x, y, 3, is_river_blue),
                "{} at {:?} is not drawn at ({x}, {y})",
                river.name,
                p
            );
        }
    }
    // And far from any river (the middle of the steppe east of Velykyi Burluk) there is none.
    let (x, y) = to_px(
        &s,
        &style,
        s.frame.to_km(railhead::geo::LatLon {
            lat: 49.95,
            lon: 37.55,
        }),
    );
    assert!(!near(&pm, x, y, 3, is_river_blue));
}

#[test]
fn both_sides_colours_and_the_terrain_appear() {
    let s = load_or_default(None).unwrap();
    let pm = render_map(&s, &MapView::initial(&s), &MapStyle::default()).unwrap();
    let mut colours = std::collections::BTreeSet::new();
    for p in pm.pixels() {
        let c = p.demultiply();
        colours.insert((c.red(), c.green(), c.blue()));
    }
    for side in &s.sides {
        let c = side.colour;
        assert!(
            colours.contains(&(c.0, c.1, c.2)),
            "no counter or depot in {}'s colour",
            side.name
        );
    }
    assert!(
        colours.len() > 500,
        "only {} colours: the map looks blank",
        colours.len()
    );
}

#[test]
fn a_larger_hex_gives_a_larger_image() {
    let s = load_or_default(None).unwrap();
    let small = geometry(
        &s,
        &MapStyle {
            hex_px: 10.0,
            ..Default::default()
        },
        Layers::ALL,
    );
    let large = geometry(
        &s,
        &MapStyle {
            hex_px: 40.0,
            ..Default::default()
        },
        Layers::ALL,
    );
    assert!(large.width > 3 * small.width - 100 && large.height > 3 * small.height - 200);
}
