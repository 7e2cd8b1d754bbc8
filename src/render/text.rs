//! Text on a tiny-skia pixmap, rasterised with `ab_glyph` from the bundled `DejaVu` fonts.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use tiny_skia::Pixmap;

/// The regular face, as bundled.
pub static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// The bold face, as bundled.
pub static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Which face to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// `DejaVu` Sans.
    Regular,
    /// `DejaVu` Sans Bold.
    Bold,
}

fn font(weight: Weight) -> Option<FontRef<'static>> {
    FontRef::try_from_slice(match weight {
        Weight::Regular => REGULAR,
        Weight::Bold => BOLD,
    })
    .ok()
}

/// Width in pixels of a line of text.
pub fn text_width(text: &str, size: f32, weight: Weight) -> f32 {
    let Some(font) = font(weight) else { return 0.0 };
    let scaled = font.as_scaled(PxScale::from(size));
    let mut width = 0.0;
    let mut prev = None;
    for ch in text.chars() {
        let id = scaled.glyph_id(ch);
        if let Some(p) = prev {
            width += scaled.kern(p, id);
        }
        width += scaled.h_advance(id);
        prev = Some(id);
    }
    width
}

fn blend(pixmap: &mut Pixmap, x: i32, y: i32, rgb: (u8, u8, u8), alpha: f32) {
    if x < 0 || y < 0 || x >= pixmap.width() as i32 || y >= pixmap.height() as i32 || alpha <= 0.0 {
        return;
    }
    let i = (y as u32 * pixmap.width() + x as u32) as usize * 4;
    let data = pixmap.data_mut();
    let a = alpha.clamp(0.0, 1.0);
    for (k, c) in [rgb.0, rgb.1, rgb.2].into_iter().enumerate() {
        let dst = f32::from(data[i + k]);
        data[i + k] = (dst + (f32::from(c) - dst) * a).round() as u8;
    }
    let dst_a = f32::from(data[i + 3]);
    data[i + 3] = (dst_a + (255.0 - dst_a) * a).round() as u8;
}

/// How text looks.
#[derive(Debug, Clone, Copy)]
pub struct TextStyle {
    /// Height in pixels.
    pub size: f32,
    /// Face.
    pub weight: Weight,
    /// Ink colour.
    pub rgb: (u8, u8, u8),
    /// A light outline that keeps text readable over the map, if any.
    pub halo: Option<(u8, u8, u8)>,
}

/// Draws text with its baseline starting at (x, y).
pub fn draw_text(pixmap: &mut Pixmap, text: &str, x: f32, y: f32, style: TextStyle) {
    let TextStyle {
        size,
        weight,
        rgb,
        halo,
    } = style;
    let Some(font) = font(weight) else { return };
    let scaled = font.as_scaled(PxScale::from(size));
    let mut coverage: Vec<(i32, i32, f32)> = Vec::new();
    let mut caret = x;
    let mut prev = None;
    for ch in text.chars() {
        let id = scaled.glyph_id(ch);
        if let Some(p) = prev {
            caret += scaled.kern(p, id);
        }
        let glyph = id.with_scale_and_position(PxScale::from(size), point(caret, y));
        caret += scaled.h_advance(id);
        prev = Some(id);
        if let Some(outlined) = font.outline_glyph(glyph) {
            let b = outlined.px_bounds();
            outlined.draw(|gx, gy, c| {
                coverage.push((b.min.x as i32 + gx as i32, b.min.y as i32 + gy as i32, c));
            });
        }
    }
    if let Some(h) = halo {
        for (dx, dy) in [
            (-1, 0),
            (1, 0),
            (0, -1),
            (0, 1),
            (-1, -1),
            (1, 1),
            (-1, 1),
            (1, -1),
        ] {
            for &(px, py, c) in &coverage {
                blend(pixmap, px + dx, py + dy, h, c * 0.8);
            }
        }
    }
    for &(px, py, c) in &coverage {
        blend(pixmap, px, py, rgb, c);
    }
}
