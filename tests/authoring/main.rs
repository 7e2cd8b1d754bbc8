//! What scenario authors use: scenario files and their errors, geography, generated maps,
//! variants, and the maps drawn of them.
//!
//! One test crate of several modules (a crate per subject links once, not once per file).

mod from_geojson;
mod generate;
mod geography;
mod map_render;
mod scenario_files;
mod tiles;
mod variants;
