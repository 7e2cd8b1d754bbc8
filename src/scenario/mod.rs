//! Scenarios: the RON file format ([`raw`]), its validation ([`validate()`]) into the
//! runtime model ([`model`]), and errors with file, line and column ([`error`]).
//!
//! Loading is two steps: `ron` parses the text into the raw types (syntax, unknown or
//! missing fields, wrong types, with `ron`'s own positions), then validation resolves
//! names and positions and checks ranges, reporting every problem with the position of
//! the value it concerns (found by [`locate`]).

pub mod error;
pub mod generate;
pub mod geography;
pub mod glossary;
pub mod ids;
pub mod locate;
pub mod model;
pub mod raw;
pub mod read;
pub mod validate;
pub mod variant;
pub mod whereis;

use std::path::Path;

pub use error::{Diagnostic, ScenarioError};
pub use model::Scenario;
pub use read::{MAX_FILE_BYTES, parse_raw, text_of};
pub use validate::validate;

use locate::SourceIndex;
use read::{diag, not_a_scenario, read_scenario_bytes};

/// The Kharkiv 2022 scenario, built into the binary so it works from any directory.
pub const KHARKIV_2022: &str = include_str!("../../scenarios/kharkiv_2022.ron");
/// The file name under which the built-in scenario is reported.
pub const KHARKIV_2022_NAME: &str = "scenarios/kharkiv_2022.ron";

/// Parses and validates scenario text; `file` is the name used in messages. A variant's
/// base is looked for relative to the working directory; [`load_file`] looks beside the
/// variant.
pub fn load_str(src: &str, file: &str) -> Result<Scenario, ScenarioError> {
    load_str_in(src, file, Path::new(""))
}

/// Parses and validates scenario text, a variant's base relative to `dir`.
fn load_str_in(src: &str, file: &str, dir: &Path) -> Result<Scenario, ScenarioError> {
    load_located(src, file, dir).map(|(s, _)| s)
}

/// Places a problem found in a loaded scenario after validation (a warning) at its file,
/// line and column: in the scenario file, or in the GeoJSON feature a layer made it from.
pub struct Locator {
    file: String,
    index: SourceIndex,
    sources: geography::Sources,
}

impl Locator {
    /// The problem as a diagnostic.
    pub fn place(&self, p: error::Problem) -> Diagnostic {
        self.sources.place(p, |p| {
            let pos = self.index.find(&p.path);
            diag(
                &self.file,
                pos.line,
                pos.column + p.column_offset,
                p.message,
                p.hint,
            )
        })
    }
}

fn load_located(src: &str, file: &str, dir: &Path) -> Result<(Scenario, Locator), ScenarioError> {
    // A byte-order mark is not part of the text (files are read past it already).
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    if let Some(e) = not_a_scenario(src, file) {
        return Err(e);
    }
    if variant::is_variant(src) {
        // A variant's later problems are placed in the variant file.
        let s = variant::load_variant(src, file, dir)?;
        let locator = Locator {
            file: file.to_string(),
            index: SourceIndex::build(src),
            sources: geography::Sources::default(),
        };
        return Ok((s, locator));
    }
    let mut raw = parse_raw(src, file)?;
    let index = SourceIndex::build(src);
    let at = |path: &str, message: String, hint: Option<String>| {
        let pos = index.find(path);
        diag(file, pos.line, pos.column, message, hint)
    };
    let sources = geography::merge(&mut raw, dir, &at)?;
    let locator = Locator {
        file: file.to_string(),
        index,
        sources,
    };
    match validate(&raw) {
        Ok(s) => Ok((s, locator)),
        Err(problems) => Err(ScenarioError::sorted(
            problems.into_iter().map(|p| locator.place(p)).collect(),
        )),
    }
}

/// Reads, parses and validates a scenario file, with the [`Locator`] that places any
/// problem found in it later (`railhead validate`'s warnings).
pub fn load_file_located(path: &Path) -> Result<(Scenario, Locator), ScenarioError> {
    let file = path.display().to_string();
    let bytes = read_scenario_bytes(path, "the file", (&file, 1, 1))?;
    let src = text_of(&bytes, &file)?;
    load_located(src, &file, path.parent().unwrap_or(Path::new("")))
}

/// Reads, parses and validates a scenario file.
pub fn load_file(path: &Path) -> Result<Scenario, ScenarioError> {
    let file = path.display().to_string();
    let bytes = read_scenario_bytes(path, "the file", (&file, 1, 1))?;
    let src = text_of(&bytes, &file)?;
    load_str_in(src, &file, path.parent().unwrap_or(Path::new("")))
}

/// Loads a scenario named on the command line, or the built-in Kharkiv scenario.
pub fn load_or_default(path: Option<&Path>) -> Result<Scenario, ScenarioError> {
    match path {
        Some(p) => load_file(p),
        None => load_str(KHARKIV_2022, KHARKIV_2022_NAME),
    }
}
