//! Errors a scenario author can act on: file, line, column, message and a hint.

use serde::Serialize;

/// One problem found in a scenario file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// The file, as the user named it.
    pub file: String,
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What was probably meant, or what is allowed.
    pub hint: Option<String>,
    /// A warning: legal, but likely a mistake (`railhead validate` prints it and passes,
    /// unless `--deny-warnings`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub warning: bool,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}{}",
            self.file,
            self.line,
            self.column,
            if self.warning { "warning: " } else { "" },
            self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// Most characters of a message, and of a hint, in a diagnostic: a name of millions of
/// characters is quoted cut short.
pub const MAX_MESSAGE_CHARS: usize = 600;

/// Most diagnostics reported for one file; the rest are counted in a last one.
pub const MAX_DIAGNOSTICS: usize = 200;

/// `text` cut to at most `max` characters, with an ellipsis where it was cut.
pub fn cut(text: String, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// Why a scenario could not be loaded: every problem found, in file order.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", .diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct ScenarioError {
    /// The problems, sorted by line and column.
    pub diagnostics: Vec<Diagnostic>,
}

impl ScenarioError {
    /// The error for these problems, sorted by file, line and column, at most
    /// [`MAX_DIAGNOSTICS`] of them (a last one says how many more there were).
    pub fn sorted(mut diagnostics: Vec<Diagnostic>) -> ScenarioError {
        diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        if diagnostics.len() > MAX_DIAGNOSTICS {
            let more = diagnostics.len() - MAX_DIAGNOSTICS;
            diagnostics.truncate(MAX_DIAGNOSTICS);
            let last = diagnostics[MAX_DIAGNOSTICS - 1].clone();
            diagnostics.push(Diagnostic {
                message: format!("and {more} more problems"),
                hint: Some("fix these first: the rest may go with them".into()),
                ..last
            });
        }
        ScenarioError { diagnostics }
    }
}

/// A problem found by validation, located by the path of the value it concerns.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Path of the offending value, e.g. `units[3].grouping`.
    pub path: String,
    /// Characters to add to the value's column (to point inside a terrain row).
    pub column_offset: usize,
    /// What is wrong.
    pub message: String,
    /// A hint, if any.
    pub hint: Option<String>,
}

/// The name in `candidates` closest to `wanted`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let wanted_lower = wanted.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&wanted_lower, &c.to_lowercase());
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.filter(|(s, _)| *s >= 0.8)
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

/// A hint naming the closest candidate, or else listing them all (at most 12).
pub fn suggest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str> + Clone) -> String {
    did_you_mean(wanted, candidates.clone()).unwrap_or_else(|| {
        let all: Vec<&str> = candidates.into_iter().collect();
        if all.is_empty() {
            "there are none defined".to_string()
        } else if all.len() > 12 {
            format!(
                "expected one of: {}, ... ({} in all)",
                all[..12].join(", "),
                all.len()
            )
        } else {
            format!("expected one of: {}", all.join(", "))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("Izum", ["Kupiansk", "Izium"]).as_deref(),
            Some("did you mean `Izium`?")
        );
        assert_eq!(did_you_mean("Zzzz", ["Kupiansk", "Izium"]), None);
        assert!(suggest("Zzzz", ["Kupiansk", "Izium"]).contains("Kupiansk, Izium"));
    }
}
