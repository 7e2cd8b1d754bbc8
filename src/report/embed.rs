//! Images inside the page: a report's PNGs re-encoded with a palette of 256 colours
//! (`NeuQuant`, via `color_quant`) and written into the HTML as `data:` URIs, so that the
//! page is one file a teacher can hand out and open offline.

use base64::Engine;

/// Colours of an embedded image's palette.
const COLOURS: usize = 64;

/// A PNG decoded to 8-bit RGBA: width, height, pixels.
fn decode(png_bytes: &[u8]) -> Result<(u32, u32, Vec<u8>), String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let mut buf = vec![0; reader.output_buffer_size().ok_or("image too large")?];
    let info = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
    buf.truncate(info.buffer_size());
    let rgba = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        png::ColorType::GrayscaleAlpha => buf
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0], p[1]])
            .collect(),
        png::ColorType::Grayscale => buf.iter().flat_map(|&v| [v, v, v, 255]).collect(),
        png::ColorType::Indexed => return Err("an indexed PNG was not expanded".into()),
    };
    Ok((info.width, info.height, rgba))
}

/// The same picture as a PNG of at most 256 colours, compressed hard: a report's maps
/// and charts are flat colours with anti-aliased edges, which a palette keeps.
pub fn compact_png(png_bytes: &[u8]) -> Result<Vec<u8>, String> {
    let (width, height, rgba) = decode(png_bytes)?;
    // Flatten onto white: the page's background.
    let rgba: Vec<u8> = rgba
        .chunks_exact(4)
        .flat_map(|p| {
            let a = u16::from(p[3]);
            let mix = |c: u8| ((u16::from(c) * a + 255 * (255 - a)) / 255) as u8;
            [mix(p[0]), mix(p[1]), mix(p[2]), 255]
        })
        .collect();
    let quant = color_quant::NeuQuant::new(10, COLOURS, &rgba);
    let indices: Vec<u8> = rgba
        .chunks_exact(4)
        .map(|p| quant.index_of(p) as u8)
        .collect();
    let palette: Vec<u8> = quant.color_map_rgb().into_iter().collect();
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Indexed);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_palette(palette);
        encoder.set_compression(png::Compression::High);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer
            .write_image_data(&indices)
            .map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// A PNG as a `data:` URI, compacted first.
pub fn data_uri(png_bytes: &[u8]) -> Result<String, String> {
    let small = compact_png(png_bytes)?;
    Ok(format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(small)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_keeps_its_size_and_colours_and_gets_smaller() {
        let s = crate::scenario::load_or_default(None).unwrap();
        let view = crate::render::MapView::initial(&s);
        let style = crate::render::MapStyle {
            hex_px: 13.0,
            ..Default::default()
        };
        let pm = crate::render::render_map(&s, &view, &style).unwrap();
        let original = pm.encode_png().unwrap();
        let small = compact_png(&original).unwrap();
        assert!(
            small.len() * 2 < original.len(),
            "{} vs {}",
            small.len(),
            original.len()
        );
        let (w, h, px) = decode(&small).unwrap();
        assert_eq!((w, h), (pm.width(), pm.height()));
        // The background's colour comes through within a few levels.
        let (_, _, orig) = decode(&original).unwrap();
        for i in [0usize, 4 * (w as usize * 10 + 10)] {
            for c in 0..3 {
                assert!(orig[i + c].abs_diff(px[i + c]) <= 8, "pixel {i}");
            }
        }
        assert!(
            data_uri(&original)
                .unwrap()
                .starts_with("data:image/png;base64,iVBOR")
        );
    }
}
