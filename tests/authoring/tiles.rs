//! The terrain tileset in `assets/` is the one the project draws: this test compares the
//! file with what `render::tiles::draw_patterns` draws now, and `RAILHEAD_BLESS=1 cargo
//! test --test authoring tiles` writes the file anew after a change to the drawing.

use railhead::render::tiles::{CELL_PX, TERRAIN_PATTERNS, draw_patterns, pattern, patterns};

const ASSET: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/tiles/terrain-patterns.png"
);

#[test]
fn the_tileset_in_assets_is_the_one_the_code_draws() {
    let drawn = draw_patterns(CELL_PX).expect("the patterns draw");
    if std::env::var_os("RAILHEAD_BLESS").is_some() {
        std::fs::write(ASSET, drawn.encode_png().unwrap()).unwrap();
    }
    let file = tiny_skia::Pixmap::decode_png(&std::fs::read(ASSET).unwrap())
        .expect("assets/tiles/terrain-patterns.png is a PNG (RAILHEAD_BLESS=1 writes it)");
    assert_eq!(
        (file.width(), file.height()),
        (CELL_PX * TERRAIN_PATTERNS.len() as u32, CELL_PX)
    );
    assert!(
        file.data() == drawn.data(),
        "the tileset in assets/ differs from what the code draws: run RAILHEAD_BLESS=1 cargo test --test authoring tiles"
    );
}

#[test]
fn each_pattern_but_plain_marks_its_cell() {
    let strip = patterns().unwrap();
    for (i, name) in TERRAIN_PATTERNS.iter().enumerate() {
        let cell = pattern(&strip, i).unwrap();
        let inked = cell.pixels().iter().filter(|p| p.alpha() > 0).count();
        if *name == "plain" {
            assert_eq!(inked, 0, "plain is plain");
        } else {
            assert!(inked > 20, "{name} draws only {inked} pixels");
        }
    }
    assert!(pattern(&strip, TERRAIN_PATTERNS.len()).is_none());
}
