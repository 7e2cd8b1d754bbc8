//! The terrain tileset: one pattern per kind of ground (fields, trees, buildings, marsh,
//! hills), drawn dark on transparent and laid over each hex's terrain colour, by the map
//! picture and by the window's tiles alike.
//!
//! The patterns live in `assets/tiles/terrain-patterns.png`, a strip of square cells in the
//! order of [`TERRAIN_PATTERNS`]. The project draws that file itself ([`draw_patterns`]);
//! `tests/authoring/tiles.rs` checks that the file in `assets/` is what the code draws, and writes it
//! anew with `RAILHEAD_BLESS=1`. An artist may replace it with a hand-drawn strip of the
//! same layout.

use tiny_skia::{
    FillRule, FilterQuality, Paint, PathBuilder, Pattern, Pixmap, SpreadMode, Stroke, Transform,
};

pub use crate::scenario::model::TERRAIN_PATTERNS;

/// Pixels on a side of one pattern cell in the asset.
pub const CELL_PX: u32 = 32;

/// The tileset as shipped in `assets/`.
const ASSET: &[u8] = include_bytes!("../../assets/tiles/terrain-patterns.png");

/// Draws the pattern strip: one `cell`-pixel square per entry of [`TERRAIN_PATTERNS`].
pub fn draw_patterns(cell: u32) -> Option<Pixmap> {
    let mut pm = Pixmap::new(cell * TERRAIN_PATTERNS.len() as u32, cell)?;
    let c = cell as f32;
    let mut ink = Paint::default();
    ink.set_color_rgba8(40, 50, 30, 70);
    ink.anti_alias = true;
    let thin = Stroke {
        width: c / 32.0 * 1.2,
        ..Stroke::default()
    };
    for (i, name) in TERRAIN_PATTERNS.iter().enumerate() {
        let x0 = i as f32 * c;
        let mut pb = PathBuilder::new();
        let mut fill = false;
        match *name {
            "fields" => {
                // Furrows: short parallel strokes, offset row by row.
                for row in 0..4 {
                    let y = (row as f32 + 0.5) * c / 4.0;
                    let shift = if row % 2 == 0 { 0.0 } else { c / 4.0 };
                    for k in 0..2 {
                        let x = x0 + shift + k as f32 * c / 2.0 + c / 16.0;
                        pb.move_to(x, y);
                        pb.line_to(x + c / 4.0, y);
                    }
                }
            }
            "trees" => {
                // Tree crowns: small filled circles on a staggered grid.
                fill = true;
                for row in 0..3 {
                    for k in 0..3 {
                        let shift = if row % 2 == 0 { 0.0 } else { c / 6.0 };
                        let (x, y) = (
                            x0 + shift + (k as f32 + 0.25) * c / 3.0,
                            (row as f32 + 0.5) * c / 3.0,
                        );
                        pb.push_circle(x, y, c / 14.0);
                    }
                }
            }
            "buildings" => {
                // Blocks: small squares with streets between them.
                fill = true;
                for row in 0..2 {
                    for k in 0..2 {
                        let (x, y) = (
                            x0 + (k as f32 + 0.2) * c / 2.0,
                            (row as f32 + 0.2) * c / 2.0,
                        );
                        if let Some(r) = tiny_skia::Rect::from_xywh(x, y, c / 4.0, c / 4.0) {
                            pb.push_rect(r);
                        }
                    }
                }
            }
            "marsh" => {
                // Reeds: short dashes with tufts.
                for row in 0..4 {
                    let y = (row as f32 + 0.6) * c / 4.0;
                    let shift = if row % 2 == 0 { c / 8.0 } else { c / 2.0 };
                    let x = x0 + shift;
                    pb.move_to(x, y);
                    pb.line_to(x + c / 3.0, y);
                    for t in 0..3 {
                        let tx = x + c / 12.0 + t as f32 * c / 12.0;
                        pb.move_to(tx, y);
                        pb.line_to(tx + (t as f32 - 1.0) * c / 32.0, y - c / 10.0);
                    }
                }
            }
            "hills" => {
                // Hachures: arcs of low rises.
                for row in 0..2 {
                    let y = (row as f32 + 0.7) * c / 2.0;
                    let x = x0 + if row == 0 { c / 8.0 } else { c / 2.0 };
                    pb.move_to(x, y);
                    pb.quad_to(x + c / 6.0, y - c / 4.0, x + c / 3.0, y);
                }
            }
            // "plain": nothing over the colour.
            _ => continue,
        }
        let Some(path) = pb.finish() else { continue };
        if fill {
            pm.fill_path(&path, &ink, FillRule::Winding, Transform::identity(), None);
        } else {
            pm.stroke_path(&path, &ink, &thin, Transform::identity(), None);
        }
    }
    Some(pm)
}

/// The pattern strip from `assets/` (drawn by [`draw_patterns`] if the file cannot be read,
/// which a test rules out).
pub fn patterns() -> Option<Pixmap> {
    Pixmap::decode_png(ASSET)
        .ok()
        .or_else(|| draw_patterns(CELL_PX))
}

/// One pattern cut out of the strip, as a pixmap of its own.
pub fn pattern(strip: &Pixmap, index: usize) -> Option<Pixmap> {
    let cell = strip.height();
    if index >= (strip.width() / cell.max(1)) as usize {
        return None;
    }
    let mut pm = Pixmap::new(cell, cell)?;
    pm.draw_pixmap(
        -((index as u32 * cell) as i32),
        0,
        strip.as_ref(),
        &tiny_skia::PixmapPaint::default(),
        Transform::identity(),
        None,
    );
    Some(pm)
}

/// Fills `path` with a pattern repeated across it, `scale` times its drawn size.
pub fn fill_with_pattern(pm: &mut Pixmap, path: &tiny_skia::Path, pattern: &Pixmap, scale: f32) {
    let paint = Paint {
        shader: Pattern::new(
            pattern.as_ref(),
            SpreadMode::Repeat,
            FilterQuality::Bilinear,
            1.0,
            Transform::from_scale(scale, scale),
        ),
        anti_alias: true,
        ..Paint::default()
    };
    pm.fill_path(path, &paint, FillRule::Winding, Transform::identity(), None);
}
