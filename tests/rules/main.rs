//! The rules, each tested on its own (mostly on small made-up scenarios) and whole games
//! pinned down by their event logs.
//!
//! One test crate of several modules (a crate per subject links once, not once per file).

#[path = "../common/mod.rs"]
mod common;

mod chain;
mod combat;
mod crossings;
mod depot_capture;
mod event_logs;
mod first_call;
mod fog;
mod ground;
mod invariants;
mod kept;
mod movement;
mod narration;
mod outlook;
mod plan_answers;
mod plan_axis;
mod posture;
mod rail;
mod rail_move;
mod replay;
mod supply_trace;
mod surrender;
mod synthetic;
mod victory;
mod withdraw_order;
