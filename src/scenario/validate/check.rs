//! The checker every section writes its problems to, the name tables sections resolve
//! references with, and range checks driven by the tables of [`super::ranges`].

use std::collections::HashMap;

use super::super::error::{Problem, suggest};
use super::super::model::Rgb;
use super::ranges::Range;

/// Collects every problem of a file, each at the path of the value it concerns.
#[derive(Debug, Default)]
pub struct Checker {
    /// The problems found so far, in the order found.
    pub problems: Vec<Problem>,
}

impl Checker {
    /// A problem at `path`.
    pub fn err(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            column_offset: 0,
            message: message.into(),
            hint: None,
        });
    }

    /// A problem at `path`, with a hint of what was meant or is allowed.
    pub fn hint(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.problems.push(Problem {
            path: path.into(),
            column_offset: 0,
            message: message.into(),
            hint: Some(hint.into()),
        });
    }

    /// A problem at a column of a map row (a symbol in the text of `map.terrain[3]`).
    pub fn at_column(&mut self, path: String, column: usize, message: String, hint: String) {
        self.problems.push(Problem {
            path,
            column_offset: column,
            message,
            hint: Some(hint),
        });
    }

    /// Whether no problem has been found.
    pub fn clean(&self) -> bool {
        self.problems.is_empty()
    }

    /// Checks a value against its range: `what` is how the message names it.
    pub fn range(&mut self, path: &str, what: &str, v: f64, lo: f64, hi: f64) {
        if !(lo..=hi).contains(&v) {
            self.err(
                path,
                format!("{what} is {v}, out of range: it must lie from {lo} to {hi}"),
            );
        }
    }

    /// Checks every range of a table for one item of the file at `prefix` (`units[3]`).
    pub fn ranges<T>(&mut self, prefix: &str, item: &T, table: &[Range<T>]) {
        for r in table {
            if let Some(v) = (r.get)(item) {
                let path = if prefix.is_empty() {
                    r.field.to_string()
                } else {
                    format!("{prefix}.{}", r.field)
                };
                self.range(&path, r.what, v, r.lo, r.hi);
            }
        }
    }

    /// Checks a list is not longer than `max`; false when it is.
    pub fn count(&mut self, path: &str, what: &str, n: usize, max: usize) -> bool {
        if n > max {
            self.err(path, format!("too many {what}: {n}; the limit is {max}"));
            return false;
        }
        true
    }

    /// Checks names are unique and not empty; returns the table to look them up in.
    pub fn names<'a>(
        &mut self,
        list: &str,
        what: &str,
        names: impl Iterator<Item = &'a str>,
    ) -> Names {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut all = Vec::new();
        for (i, name) in names.enumerate() {
            all.push(name.to_string());
            let path = format!("{list}[{i}].name");
            if name.trim().is_empty() {
                self.err(&path, format!("{what} name is empty"));
            } else if let Some(first) = seen.get(name) {
                self.hint(
                    &path,
                    format!("two {what}s are named `{name}`"),
                    format!("the first is {list}[{first}]; names must be unique"),
                );
            } else {
                seen.insert(name.to_string(), i);
            }
        }
        Names {
            what: what.to_string(),
            index: seen,
            all,
        }
    }

    /// Parses a colour, or says how to write one.
    pub fn colour(&mut self, path: &str, s: &str) -> Rgb {
        Rgb::parse(s).unwrap_or_else(|| {
            self.hint(
                path,
                format!("`{s}` is not a colour"),
                "write it as \"#rrggbb\", e.g. \"#3a7d44\"",
            );
            Rgb(128, 128, 128)
        })
    }

    /// Looks a name up, or says it is unknown with the closest names as the hint.
    pub fn lookup(&mut self, path: &str, name: &str, table: &Names) -> Option<usize> {
        if let Some(i) = table.index.get(name) {
            Some(*i)
        } else {
            self.hint(
                path,
                format!("there is no {} named `{name}`", table.what),
                suggest(name, table.all.iter().map(String::as_str)),
            );
            None
        }
    }
}

/// The names of one list of the file (sides, places, rail nodes ...): each name's index,
/// and every name as written, for hints.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// What the list holds, as messages name it (`rail node`).
    pub what: String,
    /// The index of each (first) name.
    pub index: HashMap<String, usize>,
    /// Every name, in the file's order.
    pub all: Vec<String>,
}

impl Names {
    /// A table of names that cannot clash (the ids of a fixed list).
    pub fn fixed(what: &str, names: &[&str]) -> Self {
        Names {
            what: what.to_string(),
            index: names
                .iter()
                .enumerate()
                .map(|(i, n)| ((*n).to_string(), i))
                .collect(),
            all: names.iter().map(|n| (*n).to_string()).collect(),
        }
    }

    /// The index of a name, if it is known.
    pub fn get(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }
}

/// Whether two numbers are a latitude and a longitude.
pub fn valid_latlon(lat: f64, lon: f64) -> bool {
    (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)
}
