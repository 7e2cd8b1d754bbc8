//! The classroom tools: reports, calibration against history, studies on one machine and
//! on a Slurm cluster.
//!
//! One test crate of several modules (a crate per subject links once, not once per file).

#[path = "../study_support/mod.rs"]
mod study_support;

mod calibrate;
mod debrief;
mod kherson;
mod lesson;
mod report;
mod slurm;
mod study;
