//! The window's frame time, measured: `railhead play --frame-time N` redraws continuously
//! and, after a warm-up, records the interval between frames (what Bevy's frame-time
//! diagnostic measures, from `Time<Real>`) over N frames, prints its mean, median and 95th
//! percentile, and exits. `--empty-scene` measures an empty Bevy 2D scene (a camera and
//! nothing else, in a window of the same size) the same way, for comparison.

use std::process::ExitCode;

use bevy::prelude::*;
use bevy::window::WindowResolution;
use bevy::winit::WinitSettings;

/// Frames drawn before the measurement starts (the map is laid out, textures uploaded).
const WARM_UP: u32 = 60;

/// The frames to measure and the intervals measured so far, in seconds.
#[derive(Resource, Debug)]
pub struct FrameTiming {
    /// Frames to measure.
    pub frames: u32,
    seen: u32,
    intervals: Vec<f64>,
}

impl FrameTiming {
    /// A measurement over `frames` frames.
    pub fn new(frames: u32) -> Self {
        FrameTiming {
            frames,
            seen: 0,
            intervals: Vec::with_capacity(frames as usize),
        }
    }
}

/// Redraws continuously and measures: added after every other plugin.
pub fn plugin(app: &mut App) {
    app.insert_resource(WinitSettings::continuous())
        .add_systems(Last, measure);
}

fn measure(
    time: Res<Time<Real>>,
    mut timing: ResMut<FrameTiming>,
    mut exit: MessageWriter<AppExit>,
) {
    timing.seen += 1;
    if timing.seen <= WARM_UP {
        return;
    }
    let dt = time.delta_secs_f64();
    timing.intervals.push(dt);
    if timing.intervals.len() as u32 >= timing.frames {
        let mut v = timing.intervals.clone();
        v.sort_by(f64::total_cmp);
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        let median = v[v.len() / 2];
        let p95 = v[((v.len() as f64 * 0.95) as usize).min(v.len() - 1)];
        println!(
            "frame time over {} frames: mean {:.1} ms, median {:.1} ms, 95th percentile {:.1} ms",
            v.len(),
            mean * 1e3,
            median * 1e3,
            p95 * 1e3
        );
        exit.write(AppExit::Success);
    }
}

/// Measures an empty Bevy 2D scene in a window the size of the game's.
pub fn run_empty(frames: u32) -> ExitCode {
    let mut app = App::new();
    app.add_plugins(DefaultPlugins.set(WindowPlugin {
        primary_window: Some(Window {
            title: "Railhead - empty 2D scene".into(),
            resolution: WindowResolution::new(1280, 900),
            ..default()
        }),
        ..default()
    }))
    .insert_resource(ClearColor(Color::srgb_u8(236, 232, 220)))
    .insert_resource(FrameTiming::new(frames))
    .add_systems(Startup, |mut commands: Commands| {
        commands.spawn(Camera2d);
    });
    plugin(&mut app);
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}
