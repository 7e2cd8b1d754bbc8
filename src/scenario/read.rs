//! Reading a scenario's text: from a file (a regular file of bounded size), as UTF-8, into
//! the raw types with `ron` (its errors turned into diagnostics with hints), and the
//! diagnostics' one constructor. Loading, with validation and variants, is the module's.

use std::path::Path;

use super::error::{self, Diagnostic, ScenarioError, suggest};
use super::raw::RawScenario;

/// Largest scenario file accepted, in bytes.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

pub(crate) fn diag(
    file: &str,
    line: usize,
    column: usize,
    message: impl Into<String>,
    hint: Option<String>,
) -> Diagnostic {
    Diagnostic {
        file: file.to_string(),
        line,
        column,
        message: error::cut(message.into(), error::MAX_MESSAGE_CHARS),
        hint: hint.map(|h| error::cut(h, error::MAX_MESSAGE_CHARS)),
        warning: false,
    }
}

fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

const CHRONO_ERRORS: [&str; 6] = [
    "input is out of range",
    "premature end of input",
    "input contains invalid characters",
    "trailing input",
    "no possible date and time matching input",
    "input is not enough for unique date and time",
];

/// Turns a `ron` error into a diagnostic with a hint where one can be given.
fn ron_diagnostic(file: &str, e: &ron::error::SpannedError) -> Diagnostic {
    use ron::error::Error as E;
    let hint = match &e.code {
        E::NoSuchStructField {
            expected, found, ..
        }
        | E::NoSuchEnumVariant {
            expected, found, ..
        } => Some(suggest(found, expected.iter().copied())),
        E::MissingStructField { field, .. } => Some(format!(
            "add `{field}: ...`; scenarios/README.md describes every field"
        )),
        E::DuplicateStructField { field, .. } => {
            Some(format!("remove one of the two `{field}` fields"))
        }
        E::ExpectedStructLikeEnd | E::ExpectedArrayEnd | E::ExpectedMapEnd => {
            Some("check for a missing comma or a bracket that is not closed".to_string())
        }
        E::ExpectedComma => Some("put a comma after the value before this one".to_string()),
        E::Eof => Some("the file ends too early: check that every bracket is closed".to_string()),
        _ => None,
    };
    let message = match &e.code {
        // chrono's date parsing errors, which say nothing of dates themselves.
        E::Message(m) if CHRONO_ERRORS.iter().any(|c| m.contains(c)) => {
            format!("not a valid date: {m} (dates are written \"YYYY-MM-DD\")")
        }
        code => code.to_string(),
    };
    diag(file, e.span.start.line, e.span.start.col, message, hint)
}

/// The error for a file over [`MAX_FILE_BYTES`], if it is.
fn check_size(len: usize, file: &str) -> Result<(), ScenarioError> {
    if len <= MAX_FILE_BYTES {
        return Ok(());
    }
    Err(ScenarioError {
        diagnostics: vec![diag(
            file,
            1,
            1,
            format!("the file is {len} bytes; the limit is {MAX_FILE_BYTES}"),
            Some("a scenario file should be well under a megabyte".into()),
        )],
    })
}

/// Parses scenario text into the raw file types, without semantic checks.
pub fn parse_raw(src: &str, file: &str) -> Result<RawScenario, ScenarioError> {
    parse_with(src, file)
}

/// Parses RON text into any of the file types, with the scenario's error messages.
pub(crate) fn parse_with<T: serde::de::DeserializeOwned>(
    src: &str,
    file: &str,
) -> Result<T, ScenarioError> {
    check_size(src.len(), file)?;
    ron_options().from_str::<T>(src).map_err(|e| ScenarioError {
        diagnostics: vec![ron_diagnostic(file, &e)],
    })
}

/// Reads a scenario file (a regular file of at most [`MAX_FILE_BYTES`]); a failure says
/// it cannot read `what`, at a place (`file`, line, column: the file itself, or the
/// variant naming it).
pub(crate) fn read_scenario_bytes(
    path: &Path,
    what: &str,
    (file, line, column): (&str, usize, usize),
) -> Result<Vec<u8>, ScenarioError> {
    crate::files::read_regular(path, MAX_FILE_BYTES as u64).map_err(|e| ScenarioError {
        diagnostics: vec![diag(
            file,
            line,
            column,
            format!("cannot read {what}: {e}"),
            matches!(e, crate::files::ReadError::TooLarge { .. })
                .then(|| "a scenario file should be well under a megabyte".to_string()),
        )],
    })
}

/// Whether text begins as a scenario or a variant does (its first value `Scenario(`,
/// `Variant(`, or an unnamed `(`), read without looking further.
pub(crate) fn begins_as_scenario(src: &str) -> bool {
    matches!(crate::files::first_word(src), "Scenario" | "Variant" | "(")
}

/// The error for text that does not begin as a scenario (or a variant) does: it is
/// reported without quoting any of the text, which may be anything at all.
pub(crate) fn not_a_scenario(src: &str, file: &str) -> Option<ScenarioError> {
    if begins_as_scenario(src) {
        return None;
    }
    Some(ScenarioError {
        diagnostics: vec![diag(
            file,
            1,
            1,
            "this is not a Railhead scenario: its first value is not `Scenario(` (or `Variant(` for a what-if)",
            Some("open the file you meant, or start from `scenarios/kharkiv_2022.ron`".into()),
        )],
    })
}

/// Checks that bytes are UTF-8 text of an acceptable size.
pub fn text_of<'a>(bytes: &'a [u8], file: &str) -> Result<&'a str, ScenarioError> {
    check_size(bytes.len(), file)?;
    crate::files::text(bytes).map_err(|e| {
        let (line, column) = match e {
            crate::files::TextError::Utf16 => (1, 1),
            crate::files::TextError::NotUtf8 { valid_up_to } => {
                let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
                let text = std::str::from_utf8(&body[..valid_up_to]).unwrap_or("");
                (
                    1 + text.matches('\n').count(),
                    1 + text.rsplit('\n').next().map_or(0, |l| l.chars().count()),
                )
            }
        };
        ScenarioError {
            diagnostics: vec![diag(
                file,
                line,
                column,
                format!("the file cannot be read: {e}"),
                Some("save it as UTF-8 (in Notepad: Save as, Encoding: UTF-8)".into()),
            )],
        }
    })
}
