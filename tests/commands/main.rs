//! The command line as a user meets it, hostile input, fuzzed files and saves.
//!
//! One test crate of several modules (a crate per subject links once, not once per file).

mod cli;
mod hostile;
mod robustness;
mod saves;
