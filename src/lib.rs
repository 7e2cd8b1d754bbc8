//! Railhead: a turn-based operational wargame about rail supply.
//!
//! The library holds everything but the window: the scenario format and its validation
//! ([`scenario`]), geography ([`geo`]), the headless map renderer ([`render`]) and the
//! command line ([`cli`]). The window lives in `gui`, behind the `gui` feature.

pub mod cli;
pub mod geo;
pub mod render;
pub mod scenario;

#[cfg(feature = "gui")]
pub mod gui;
