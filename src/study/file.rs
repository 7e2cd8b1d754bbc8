//! The study file: a base scenario, cases (variant files or inline overrides), seeds and
//! what to record; read and checked into a [`Study`] with positioned errors.
//!
//! ```ron
//! Study(
//!     name: "Kupiansk and Izium",
//!     base: "kharkiv_2022.ron",
//!     cases: [
//!         Case(label: "as it happened"),
//!         Case(label: "Kupiansk held", variant: "kharkiv_2022_kupiansk_held.ron"),
//!         Case(label: "Izium stocked", overrides: [Depot(name: "Izium depot", stock: 10000)]),
//!     ],
//!     seeds: Seeds(count: 200, first: 1),
//!     record: [Withdrawals, Territory(side: "ua", days: [4, 6, 10]), Captures, History],
//! )
//! ```

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Column, Kind, Measured, Meta, Study};
use crate::report::{calibrate, facts};
use crate::rules::state::Controller;
use crate::scenario::error::{Diagnostic, ScenarioError, suggest};
use crate::scenario::locate::SourceIndex;
use crate::scenario::read::diag;
use crate::scenario::variant::{RawOverride, RawVariant};
use crate::scenario::{self, Scenario};

/// The most games a study may hold (cases times seeds): its results are kept in memory.
pub const MAX_GAMES: u64 = 1_000_000;

/// The most cases of a study.
pub const MAX_CASES: usize = 1_000;

/// A study file as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Study")]
pub struct RawStudy {
    /// Title of the study.
    pub name: String,
    /// What the study asks, in a sentence or two.
    #[serde(default)]
    pub description: Option<String>,
    /// The base scenario, relative to the study file's folder.
    pub base: String,
    /// The cases compared: each the base, a variant file, or the base with overrides.
    pub cases: Vec<RawCase>,
    /// Which seeds every case is played with.
    pub seeds: RawSeeds,
    /// What each game records (the columns of `results.csv`).
    pub record: Vec<RawRecord>,
    /// Who commands a side (`Plan`, `Ai` or `Idle`), by side id; the scenario's defaults
    /// for the sides not named.
    #[serde(default)]
    pub commanders: BTreeMap<String, Controller>,
}

/// One case of a study.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Case")]
pub struct RawCase {
    /// Its name in the results.
    pub label: String,
    /// A variant (or scenario) file, relative to the study file's folder.
    #[serde(default)]
    pub variant: Option<String>,
    /// Changes to the study's base, in the variant format.
    #[serde(default)]
    pub overrides: Vec<RawOverride>,
}

/// The seeds every case is played with: `first`, `first + 1`, ... (`count` of them).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Seeds")]
pub struct RawSeeds {
    /// How many seeds.
    pub count: u64,
    /// The first seed (1 when omitted).
    #[serde(default = "one")]
    pub first: u64,
}

fn one() -> u64 {
    1
}

/// Something each game records.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum RawRecord {
    /// The day each grouping was first ordered to withdraw (`none` if never).
    Withdrawals,
    /// The day one grouping was first ordered to withdraw.
    Withdrawal {
        /// The grouping, by name.
        grouping: String,
    },
    /// Territory a side has taken since the start, km², at the end of the given days.
    Territory {
        /// The side, by id.
        side: String,
        /// Days (1 is the first).
        days: Vec<u32>,
    },
    /// Items of enemy equipment each side has captured by the end.
    Captures,
    /// Units and items of equipment each side has lost by the end.
    Losses,
    /// A depot's stock, tonnes, at the end of the given days.
    DepotStock {
        /// The depot, by name.
        depot: String,
        /// Days (1 is the first).
        days: Vec<u32>,
    },
    /// Every dated fact of the scenario's `history` (the day it happened, whether it
    /// held, how much) and its territory figures (territory on their dates).
    History,
}

/// A case's scenario, or the problems that kept it from loading.
type CaseResult = Result<Arc<Scenario>, Vec<Diagnostic>>;

/// Whether a file is a study (its first value is `Study(`); false if it cannot be read.
pub fn is_study_file(path: &Path) -> bool {
    crate::files::read_regular(path, scenario::MAX_FILE_BYTES as u64)
        .ok()
        .and_then(|b| crate::files::into_text(b).ok())
        .is_some_and(|t| crate::files::first_word(&t) == "Study")
}

/// Reads and checks a study file; every problem with its file, line and column (a case's
/// own problems at the case, its scenario's in the scenario's file).
pub fn load_study(path: &Path) -> Result<Study, ScenarioError> {
    let file = path.display().to_string();
    let bytes = scenario::read::read_scenario_bytes(path, "the study file", (&file, 1, 1))?;
    let src = scenario::text_of(&bytes, &file)?;
    let dir = path.parent().unwrap_or(Path::new(""));
    load_study_str(src, &file, dir)
}

/// Reads and checks study text; `file` names it in messages, files are found in `dir`.
pub fn load_study_str(src: &str, file: &str, dir: &Path) -> Result<Study, ScenarioError> {
    if crate::files::first_word(src) != "Study" {
        return Err(ScenarioError {
            diagnostics: vec![diag(
                file,
                1,
                1,
                "this is not a Railhead study: its first value is not `Study(`",
                Some("docs/studies.md describes the study file; start from scenarios/kharkiv_2022.study.ron".into()),
            )],
        });
    }
    let raw: RawStudy = scenario::read::parse_with(src, file)?;
    let index = SourceIndex::build(src);
    let at = |path: &str, message: String, hint: Option<String>| -> Diagnostic {
        let pos = index.find(path);
        diag(file, pos.line, pos.column, message, hint)
    };
    let mut problems = check_shape(&raw, &at);
    if !problems.is_empty() {
        return Err(ScenarioError::sorted(problems));
    }
    let cases: Vec<CaseResult> = raw
        .cases
        .iter()
        .enumerate()
        .map(|(i, case)| load_case(&raw, i, case, dir, &at))
        .collect();
    let mut scenarios = Vec::new();
    for r in cases {
        match r {
            Ok(s) => scenarios.push(s),
            Err(d) => problems.extend(d),
        }
    }
    if !problems.is_empty() {
        // Cases that share a broken base report its problems once.
        let mut seen = std::collections::BTreeSet::new();
        problems.retain(|d| seen.insert(d.to_string()));
        return Err(ScenarioError::sorted(problems));
    }
    let controllers = scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| controllers_of(&raw, i, s, &at))
        .collect::<Vec<_>>();
    let columns = columns_of(&raw, &scenarios[0], &at);
    let mut controllers_ok = Vec::new();
    for c in controllers {
        match c {
            Ok(c) => controllers_ok.push(c),
            Err(d) => problems.extend(d),
        }
    }
    let columns = match columns {
        Ok(c) => c,
        Err(d) => {
            problems.extend(d);
            Vec::new()
        }
    };
    let mut plans = Vec::new();
    if problems.is_empty() {
        for (i, s) in scenarios.iter().enumerate() {
            match resolve(&columns, s) {
                Ok(p) => plans.push(p),
                Err(m) => problems.push(at(
                    &format!("cases[{i}]"),
                    format!("case `{}`: {m}", raw.cases[i].label),
                    Some("every case must have what the study records; record it by a name all cases share".into()),
                )),
            }
        }
    }
    if !problems.is_empty() {
        return Err(ScenarioError::sorted(problems));
    }
    let base = &scenarios[0];
    let meta = Meta {
        name: raw.name.clone(),
        description: raw.description.clone().unwrap_or_default(),
        cases: raw.cases.iter().map(|c| c.label.clone()).collect(),
        case_scenarios: scenarios.iter().map(|s| s.content_hash.clone()).collect(),
        case_commanders: controllers_ok
            .iter()
            .map(|c| c.iter().map(|x| format!("{x:?}")).collect())
            .collect(),
        first_seed: raw.seeds.first,
        seeds: raw.seeds.count,
        columns,
        sides: base.sides.iter().map(|s| s.name.clone()).collect(),
        start_date: base.start_date,
        turns: scenarios.iter().map(|s| s.turns).max().unwrap_or(0),
        territory_history: base
            .territory_history
            .iter()
            .filter(|t| t.since.is_none())
            .map(|t| super::Figure {
                day: (t.date - base.start_date).num_days() + 1,
                side: t.side.0,
                km2: t.km2,
                band: t.band,
            })
            .collect(),
    };
    Ok(Study {
        meta,
        scenarios,
        controllers: controllers_ok,
        plans,
    })
}

/// Checks what can be checked without loading a scenario: names, sizes, seeds.
fn check_shape(
    raw: &RawStudy,
    at: &dyn Fn(&str, String, Option<String>) -> Diagnostic,
) -> Vec<Diagnostic> {
    let mut p = Vec::new();
    if raw.name.trim().is_empty() {
        p.push(at(
            "name",
            "the study has no name".into(),
            Some("name it: it heads the report and the shards".into()),
        ));
    }
    if raw.cases.is_empty() {
        p.push(at(
            "cases",
            "the study has no cases".into(),
            Some("add `Case(label: \"base\")` to play the base scenario".into()),
        ));
    }
    if raw.cases.len() > MAX_CASES {
        p.push(at(
            "cases",
            format!("{} cases; at most {MAX_CASES}", raw.cases.len()),
            None,
        ));
    }
    let max = scenario::validate::sizes::MAX_NAME_CHARS;
    let chars = raw.name.chars().count();
    if chars > scenario::validate::sizes::MAX_TITLE_CHARS {
        p.push(at(
            "name",
            format!(
                "the study's name has {chars} characters; the limit is {}",
                scenario::validate::sizes::MAX_TITLE_CHARS
            ),
            Some("shorten it: it heads the report".into()),
        ));
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, c) in raw.cases.iter().enumerate() {
        let chars = c.label.chars().count();
        if chars > max {
            // Said without quoting it.
            p.push(at(
                &format!("cases[{i}].label"),
                format!(
                    "case {}'s label has {chars} characters; the limit is {max}",
                    i + 1
                ),
                Some("give each case a short label: it names its rows in results.csv".into()),
            ));
            continue;
        }
        if c.label.trim().is_empty() {
            p.push(at(
                &format!("cases[{i}].label"),
                "a case has an empty label".into(),
                Some("give each case a short label: it names its rows in results.csv".into()),
            ));
        }
        if let Some(j) = seen.insert(c.label.as_str(), i) {
            p.push(at(
                &format!("cases[{i}].label"),
                format!(
                    "two cases are labelled `{}` (cases {} and {})",
                    c.label,
                    j + 1,
                    i + 1
                ),
                Some("give each case its own label".into()),
            ));
        }
        if c.variant.is_some() && !c.overrides.is_empty() {
            p.push(at(&format!("cases[{i}].overrides"), format!("case `{}` names a variant file and has overrides", c.label), Some("give a case either `variant` or `overrides`: put the overrides in the variant file".into())));
        }
    }
    if raw.seeds.count == 0 {
        p.push(at(
            "seeds.count",
            "no seeds: each case would be played no times".into(),
            Some("`count: 100` plays each case with 100 seeds".into()),
        ));
    }
    let games = raw.seeds.count.saturating_mul(raw.cases.len() as u64);
    if games > MAX_GAMES {
        p.push(at(
            "seeds.count",
            format!(
                "{} cases x {} seeds is {games} games; a study holds at most {MAX_GAMES}",
                raw.cases.len(),
                raw.seeds.count
            ),
            Some("split it into several studies".into()),
        ));
    }
    if raw.seeds.first.checked_add(raw.seeds.count).is_none() {
        p.push(at(
            "seeds.first",
            "the seeds run past the largest seed".into(),
            Some("start from a smaller seed".into()),
        ));
    }
    if raw.record.is_empty() {
        p.push(at(
            "record",
            "the study records nothing".into(),
            Some("record at least one thing, e.g. `record: [Withdrawals, History]`".into()),
        ));
    }
    for (mode, k) in raw
        .commanders
        .iter()
        .filter(|(_, c)| **c == Controller::Human)
    {
        p.push(at(
            &format!("commanders.{mode}"),
            format!("side `{mode}` is given to `{k:?}`: a study plays without a person"),
            Some("use Plan, Ai or Idle".into()),
        ));
    }
    p
}

/// Loads one case's scenario: the base, a variant file, or the base with overrides.
fn load_case(
    raw: &RawStudy,
    i: usize,
    case: &RawCase,
    dir: &Path,
    at: &dyn Fn(&str, String, Option<String>) -> Diagnostic,
) -> CaseResult {
    let header = |what: &str, path: &str| {
        at(
            path,
            format!(
                "case `{}`: {what} has problems (listed with their places)",
                case.label
            ),
            None,
        )
    };
    let (file_path, field) = match &case.variant {
        Some(v) => (v.as_str(), format!("cases[{i}].variant")),
        None => (raw.base.as_str(), "base".to_string()),
    };
    if let Err(d) = readable(dir, file_path, &at(&field, String::new(), None)) {
        return Err(vec![d]);
    }
    if let Some(variant) = &case.variant {
        return scenario::load_file(&dir.join(variant))
            .map(Arc::new)
            .map_err(|e| {
                let mut d = vec![header(
                    &format!("the variant {variant}"),
                    &format!("cases[{i}].variant"),
                )];
                d.extend(e.diagnostics);
                d
            });
    }
    if case.overrides.is_empty() {
        return scenario::load_file(&dir.join(&raw.base))
            .map(Arc::new)
            .map_err(|e| {
                // The base's problems once, at the first case that plays it as it is.
                let mut d = vec![header(&format!("the base {}", raw.base), "base")];
                d.extend(e.diagnostics);
                d
            });
    }
    let v = RawVariant {
        base: raw.base.clone(),
        name: case.label.clone(),
        description: None,
        turns: None,
        seed: None,
        overrides: case.overrides.clone(),
    };
    let at_case = |path: &str, message: String, hint: Option<String>| -> Diagnostic {
        if path == "base" {
            at("base", message, hint)
        } else {
            at(&format!("cases[{i}].{path}"), message, hint)
        }
    };
    crate::scenario::variant::build_variant(&v, dir, &at_case)
        .map(Arc::new)
        .map_err(|e| {
            let mut d = vec![header("its overrides", &format!("cases[{i}].overrides"))];
            d.extend(e.diagnostics);
            d
        })
}

/// Checks that a file a study names lies in the study's folder or below it (a study
/// shared or downloaded must not read, or reveal, anything else on the machine) and can
/// be read; the error is placed where the study names it (`place`).
fn readable(dir: &Path, name: &str, place: &Diagnostic) -> Result<(), Diagnostic> {
    let path = dir.join(name);
    let at = |message: String, hint: Option<String>| {
        diag(&place.file, place.line, place.column, message, hint)
    };
    let folder = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    if let (Ok(p), Ok(d)) = (std::fs::canonicalize(&path), std::fs::canonicalize(folder))
        && !p.starts_with(&d)
    {
        return Err(at(
            format!("{name} is outside the study's folder"),
            Some("put the study in the scenarios' folder (or a folder above it) and name them relative to it".into()),
        ));
    }
    scenario::read::read_scenario_bytes(&path, name, (&place.file, place.line, place.column))
        .map(|_| ())
        .map_err(|mut e| e.diagnostics.remove(0))
}

/// Each side's commander in one case: the scenario's defaults, changed by `commanders`.
fn controllers_of(
    raw: &RawStudy,
    i: usize,
    s: &Scenario,
    at: &dyn Fn(&str, String, Option<String>) -> Diagnostic,
) -> Result<Vec<Controller>, Vec<Diagnostic>> {
    let mut c = crate::rules::setup::default_controllers(s);
    let mut problems = Vec::new();
    for (side, mode) in &raw.commanders {
        match s.side_index(side) {
            Some(k) => c[k.0] = *mode,
            None => problems.push(at(
                &format!("commanders.{side}"),
                format!("case `{}` has no side `{side}`", raw.cases[i].label),
                Some(suggest(side, s.sides.iter().map(|x| x.id.as_str()))),
            )),
        }
    }
    if problems.is_empty() {
        Ok(c)
    } else {
        Err(problems)
    }
}

/// The columns the study records, named after the first case's scenario.
fn columns_of(
    raw: &RawStudy,
    s: &Scenario,
    at: &dyn Fn(&str, String, Option<String>) -> Diagnostic,
) -> Result<Vec<Column>, Vec<Diagnostic>> {
    let mut cols: Vec<Column> = Vec::new();
    let mut problems = Vec::new();
    let push = |cols: &mut Vec<Column>, c: Column| {
        if !cols.iter().any(|x| x.name == c.name) {
            cols.push(c);
        }
    };
    let check_days = |path: &str, days: &[u32], problems: &mut Vec<Diagnostic>| {
        if days.is_empty() {
            problems.push(at(
                &format!("{path}.days"),
                "no days".into(),
                Some("e.g. `days: [5, 10, 30]`".into()),
            ));
        }
        for (k, d) in days.iter().enumerate() {
            if *d == 0 || *d > s.turns {
                problems.push(at(
                    &format!("{path}.days[{k}]"),
                    format!("day {d} is not a day of the scenario (1 to {})", s.turns),
                    None,
                ));
            }
        }
    };
    for (r, rec) in raw.record.iter().enumerate() {
        let path = format!("record[{r}]");
        match rec {
            RawRecord::Withdrawals => {
                for g in &s.groupings {
                    push(
                        &mut cols,
                        Column::new(
                            format!("{} withdrawal_day", g.name),
                            Kind::Day,
                            Measured::Withdrawal(g.name.clone()),
                        ),
                    );
                }
            }
            RawRecord::Withdrawal { grouping } => {
                if s.groupings.iter().any(|g| g.name == *grouping) {
                    push(
                        &mut cols,
                        Column::new(
                            format!("{grouping} withdrawal_day"),
                            Kind::Day,
                            Measured::Withdrawal(grouping.clone()),
                        ),
                    );
                } else {
                    problems.push(at(
                        &format!("{path}.grouping"),
                        format!("there is no grouping `{grouping}`"),
                        Some(suggest(
                            grouping,
                            s.groupings.iter().map(|g| g.name.as_str()),
                        )),
                    ));
                }
            }
            RawRecord::Territory { side, days } => {
                check_days(&path, days, &mut problems);
                if s.side_index(side).is_none() {
                    problems.push(at(
                        &format!("{path}.side"),
                        format!("there is no side `{side}`"),
                        Some(suggest(side, s.sides.iter().map(|x| x.id.as_str()))),
                    ));
                }
                for d in days {
                    push(
                        &mut cols,
                        Column::new(
                            format!("{side} territory_km2 day {d}"),
                            Kind::Km2,
                            Measured::Territory(side.clone(), *d),
                        ),
                    );
                }
            }
            RawRecord::Captures => {
                for side in &s.sides {
                    push(
                        &mut cols,
                        Column::new(
                            format!("{} equipment_captured", side.id),
                            Kind::Count,
                            Measured::Captured(side.id.clone()),
                        ),
                    );
                }
            }
            RawRecord::Losses => {
                for side in &s.sides {
                    push(
                        &mut cols,
                        Column::new(
                            format!("{} units_lost", side.id),
                            Kind::Count,
                            Measured::UnitsLost(side.id.clone()),
                        ),
                    );
                    push(
                        &mut cols,
                        Column::new(
                            format!("{} equipment_lost", side.id),
                            Kind::Count,
                            Measured::EquipmentLost(side.id.clone()),
                        ),
                    );
                }
            }
            RawRecord::DepotStock { depot, days } => {
                check_days(&path, days, &mut problems);
                if !s.depots.iter().any(|d| d.name == *depot) {
                    problems.push(at(
                        &format!("{path}.depot"),
                        format!("there is no depot `{depot}`"),
                        Some(suggest(depot, s.depots.iter().map(|d| d.name.as_str()))),
                    ));
                }
                for d in days {
                    push(
                        &mut cols,
                        Column::new(
                            format!("{depot} stock_t day {d}"),
                            Kind::Tonnes,
                            Measured::Stock(depot.clone(), *d),
                        ),
                    );
                }
            }
            RawRecord::History => history_columns(s, &mut cols),
        }
    }
    for c in &mut cols {
        c.words = words(s, &c.measured);
    }
    if problems.is_empty() {
        Ok(cols)
    } else {
        Err(problems)
    }
}

/// What a column measures, in words a reader of the page follows.
fn words(s: &Scenario, m: &Measured) -> String {
    let side = |id: &str| {
        s.side_index(id)
            .map_or_else(|| id.to_string(), |i| s.sides[i].name.clone())
    };
    let day = |d: u32| {
        let date = s.start_date + chrono::Days::new(u64::from(d.saturating_sub(1)));
        format!("day {d} ({})", date.format("%-d %B"))
    };
    match m {
        Measured::Withdrawal(g) => format!("{g}: day ordered back"),
        Measured::Territory(id, d) => {
            format!("territory taken by {} by {}", side(id), day(*d))
        }
        Measured::Captured(id) => format!("enemy equipment captured by {}", side(id)),
        Measured::UnitsLost(id) => format!("units {} lost", side(id)),
        Measured::EquipmentLost(id) => format!("equipment {} lost", side(id)),
        Measured::Stock(depot, d) => format!("{depot}'s stock on {}", day(*d)),
        Measured::Fact(_) => String::new(),
    }
}

/// The columns of `History`: every dated fact, then every territory figure (on a
/// territory column of its day, if one is recorded already).
fn history_columns(s: &Scenario, cols: &mut Vec<Column>) {
    use crate::scenario::model::Fact;
    for (entry, fact) in facts::facts(s) {
        let text = calibrate::describe(s, fact);
        let kind = match fact {
            Fact::NeverLost { .. } | Fact::HeldAtEnd { .. } => Kind::YesNo,
            Fact::Escapes { .. } => Kind::Share,
            Fact::Captured { .. } => Kind::Count,
            _ => Kind::Day,
        };
        let mut c = Column::new(
            format!("{} ({})", text, entry.date),
            kind,
            Measured::Fact(text),
        );
        c.history = Some(fact_band(fact));
        if !cols.iter().any(|x| x.name == c.name) {
            cols.push(c);
        }
    }
    for t in s.territory_history.iter().filter(|t| t.since.is_none()) {
        let day = (t.date - s.start_date).num_days() + 1;
        if day < 1 || day > i64::from(s.turns) {
            continue;
        }
        let side = &s.side(t.side).id;
        let mut c = Column::new(
            format!("{side} territory_km2 day {day}"),
            Kind::Km2,
            Measured::Territory(side.clone(), day as u32),
        );
        c.history = Some(format!(
            "{:.0} km²{}",
            t.km2,
            t.band
                .map_or(String::new(), |(a, b)| format!(" (band {a:.0}-{b:.0})"))
        ));
        if let Some(x) = cols.iter_mut().find(|x| x.name == c.name) {
            x.history = c.history;
        } else {
            cols.push(c);
        }
    }
}

/// A fact's band in words ("" when it has none).
fn fact_band(fact: &crate::scenario::model::Fact) -> String {
    use crate::scenario::model::Fact;
    match *fact {
        Fact::Taken { days, .. }
        | Fact::Reached { days, .. }
        | Fact::WithdrawalOrdered { days, .. } => days.map_or(String::new(), |(a, b)| {
            if a == b {
                format!("day {a}")
            } else {
                format!("days {a}-{b}")
            }
        }),
        Fact::NeverLost { .. } | Fact::HeldAtEnd { .. } => "yes".into(),
        Fact::Escapes { share, .. } => share.map_or(String::new(), |(a, b)| {
            format!("{:.0}-{:.0}%", a * 100.0, b * 100.0)
        }),
        Fact::Captured { items, .. } => items.map_or(String::new(), |(a, b)| format!("{a}-{b}")),
    }
}

/// Where each column is found in one case's scenario (indices of its groupings, sides,
/// depots and facts), or what it lacks.
fn resolve(columns: &[Column], s: &Scenario) -> Result<Vec<super::Where>, String> {
    use super::Where;
    let facts: Vec<String> = facts::facts(s)
        .map(|(_, f)| calibrate::describe(s, f))
        .collect();
    let side = |id: &str| {
        s.side_index(id)
            .map(|x| x.0)
            .ok_or_else(|| format!("it has no side `{id}`"))
    };
    columns
        .iter()
        .map(|c| {
            Ok(match &c.measured {
                Measured::Withdrawal(g) => Where::Withdrawal(
                    s.groupings
                        .iter()
                        .position(|x| x.name == *g)
                        .ok_or_else(|| format!("it has no grouping `{g}`"))?,
                ),
                Measured::Territory(x, d) => {
                    if *d > s.turns {
                        return Err(format!(
                            "it is {} days long; the study records day {d}",
                            s.turns
                        ));
                    }
                    Where::Territory(side(x)?, *d)
                }
                Measured::Captured(x) => Where::Captured(side(x)?),
                Measured::UnitsLost(x) => Where::UnitsLost(side(x)?),
                Measured::EquipmentLost(x) => Where::EquipmentLost(side(x)?),
                Measured::Stock(depot, d) => {
                    if *d > s.turns {
                        return Err(format!(
                            "it is {} days long; the study records day {d}",
                            s.turns
                        ));
                    }
                    Where::Stock(
                        s.depots
                            .iter()
                            .position(|x| x.name == *depot)
                            .ok_or_else(|| format!("it has no depot `{depot}`"))?,
                        *d,
                    )
                }
                Measured::Fact(text) => Where::Fact(
                    facts
                        .iter()
                        .position(|f| f == text)
                        .ok_or_else(|| format!("its history has no fact `{text}`"))?,
                ),
            })
        })
        .collect()
}
