//! Where things are in the window's world: hex centres and corners, the map's bounds, and
//! the hex under a point. Every drawing module and the camera place things with these.

use bevy::prelude::*;

use crate::geo::Offset;
use crate::scenario::Scenario;

/// World units from one hex centre to the next.
pub const HEX_WORLD: f32 = 48.0;

/// World units per map kilometre.
pub fn world_per_km(s: &Scenario) -> f32 {
    HEX_WORLD / s.frame.hex_km as f32
}

/// World position of a point given in map kilometres (x east, y south).
pub fn km_to_world(s: &Scenario, (x, y): (f64, f64)) -> Vec2 {
    let k = world_per_km(s);
    Vec2::new(x as f32 * k, -(y as f32) * k)
}

/// World position of a hex centre.
pub fn hex_to_world(s: &Scenario, o: Offset) -> Vec2 {
    km_to_world(s, s.frame.hex_center_km(o))
}

/// The on-map hex under a world position, if any.
pub fn world_to_hex(s: &Scenario, world: Vec2) -> Option<Offset> {
    let k = world_per_km(s);
    let (x, y) = (world.x / k, -world.y / k);
    let hex = crate::geo::hex_to_offset(s.frame.layout().world_pos_to_hex(hexx::Vec2::new(x, y)));
    s.frame.contains(hex).then_some(hex)
}

/// The corners of a hex in world units.
pub fn hex_corners(s: &Scenario, o: Offset) -> [Vec2; 6] {
    let c = hex_to_world(s, o);
    let r = HEX_WORLD / 3f32.sqrt();
    std::array::from_fn(|i| {
        let a = (60.0 * i as f32 + 30.0).to_radians();
        c + Vec2::new(r * a.cos(), r * a.sin())
    })
}

/// The world rectangle the map covers.
pub fn map_bounds(s: &Scenario) -> Rect {
    let a = hex_to_world(s, Offset { col: 0, row: 0 });
    let b = hex_to_world(
        s,
        Offset {
            col: s.frame.columns - 1,
            row: s.frame.rows - 1,
        },
    );
    Rect::from_corners(a, b).inflate(HEX_WORLD)
}
