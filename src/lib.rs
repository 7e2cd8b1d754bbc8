//! Railhead: a turn-based operational wargame about rail supply.
//!
//! The library holds everything but the window: the scenario format and its validation
//! ([`scenario`]), geography ([`geo`]), the headless map renderer ([`render`]) and the
//! command line ([`cli`]). The window lives in `gui`, behind the `gui` feature.
//!
//! # Loading a scenario
//!
//! A scenario is RON text; loading validates it and resolves every name and position.
//! The Kharkiv 2022 scenario is built in:
//!
//! ```
//! let s = railhead::scenario::load_or_default(None).unwrap();
//! let kupiansk = s.place("Kupiansk").unwrap();
//! assert!(s.frame.contains(kupiansk.hex));
//! assert_eq!(s.sides[s.control_at(kupiansk.hex).unwrap()].id, "ru");
//! ```
//!
//! A broken file is refused with every problem, each with its line and column:
//!
//! ```
//! let text = railhead::scenario::KHARKIV_2022.replace("turns: 30", "turns: 0");
//! let err = railhead::scenario::load_str(&text, "k.ron").unwrap_err();
//! let d = &err.diagnostics[0];
//! assert!(d.message.starts_with("turns is 0, out of range"));
//! assert!(d.to_string().starts_with(&format!("k.ron:{}:{}:", d.line, d.column)));
//! ```
//!
//! # Geography
//!
//! One projection puts every latitude and longitude in its hex:
//!
//! ```
//! use railhead::geo::{Frame, LatLon, Offset};
//! let frame = Frame {
//!     origin: LatLon { lat: 50.0, lon: 36.0 },
//!     hex_km: 5.0,
//!     reference_lat: 49.5,
//!     columns: 20,
//!     rows: 20,
//! };
//! // 10 km east and about 8.7 km south of the origin: two columns east, two rows south.
//! let p = frame.from_km(10.0, 5.0 * 3f64.sqrt());
//! assert_eq!(frame.project(p), Offset { col: 2, row: 2 });
//! ```

/// Writes a line on standard error. A standard error that cannot be written
/// (`2>/dev/full`, a closed pipe) loses the line, never the command: unlike `eprintln!`,
/// this never panics.
#[macro_export]
macro_rules! diag {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

pub mod cli;
pub mod files;
pub mod geo;
pub mod lesson;
pub mod lint;
pub mod numbers;
pub mod render;
pub mod report;
pub mod rules;
pub mod save;
pub mod scenario;
pub mod study;

#[cfg(feature = "gui")]
pub mod gui;
