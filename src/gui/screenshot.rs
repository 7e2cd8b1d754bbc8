//! Screenshots: F12 saves one beside the working directory; `--screenshot FILE` saves one
//! after a number of frames and closes the window (for tests and the docs).

use std::path::PathBuf;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};

/// Take a screenshot after `frames` frames, save it to `path`, then exit.
#[derive(Resource, Debug, Clone)]
pub struct AutoScreenshot {
    /// Where to save the PNG.
    pub path: PathBuf,
    /// Frames to render first.
    pub frames: u32,
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        (
            auto_screenshot.run_if(resource_exists::<AutoScreenshot>),
            screenshot_on_key,
        ),
    );
}

/// Saves a captured screenshot as PNG (atomically) and, if asked, ends the app.
fn saver(
    path: PathBuf,
    exit_after: bool,
) -> impl FnMut(On<ScreenshotCaptured>, MessageWriter<AppExit>) {
    move |captured, mut exit| {
        let result = captured
            .image
            .clone()
            .try_into_dynamic()
            .map_err(|e| e.to_string())
            .and_then(|img| {
                let rgba = img.to_rgba8();
                let (w, h) = rgba.dimensions();
                let mut data = rgba.into_raw();
                for px in data.chunks_exact_mut(4) {
                    px[3] = 255;
                }
                let size = tiny_skia::IntSize::from_wh(w, h).ok_or("empty screenshot")?;
                let pm = tiny_skia::Pixmap::from_vec(data, size).ok_or("bad screenshot size")?;
                let png = pm.encode_png().map_err(|e| e.to_string())?;
                crate::render::write_atomically(&path, &png).map_err(|e| e.to_string())
            });
        match result {
            Ok(()) => info!("screenshot saved to {}", path.display()),
            Err(e) => error!("cannot save the screenshot to {}: {e}", path.display()),
        }
        if exit_after {
            exit.write(if result_ok(&path) {
                AppExit::Success
            } else {
                AppExit::error()
            });
        }
    }
}

fn result_ok(path: &std::path::Path) -> bool {
    path.exists()
}

fn auto_screenshot(mut commands: Commands, shot: Res<AutoScreenshot>, mut frame: Local<u32>) {
    *frame += 1;
    if *frame == shot.frames {
        commands
            .spawn(Screenshot::primary_window())
            .observe(saver(shot.path.clone(), true));
    }
}

fn screenshot_on_key(mut commands: Commands, keys: Res<ButtonInput<KeyCode>>, mut n: Local<u32>) {
    if keys.just_pressed(KeyCode::F12) {
        *n += 1;
        let path = PathBuf::from(format!("railhead-screenshot-{}.png", *n));
        commands
            .spawn(Screenshot::primary_window())
            .observe(saver(path, false));
    }
}
