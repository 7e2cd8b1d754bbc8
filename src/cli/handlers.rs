//! What each sub-command does: load, play, write, and say what happened; every failure
//! a [`CliError`] with the exit code that says what kind it is.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use super::args::{
    BatchArgs, CalibrateArgs, CompareArgs, ContrastArgs, DebriefArgs, DemoArgs, Format,
    GenerateArgs, LessonArgs, MapArgs, MergeArgs, PlayArgs, ReplayArgs, RunArgs, StudyArgs,
    TableFormat, ValidateArgs, WhereArgs,
};
use crate::scenario::{self, Diagnostic};

/// Why a command did not do what it was asked, and the exit code that says so.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A scenario file has problems, each with its file, line and column (exit 1).
    #[error("{0}")]
    Scenario(#[from] scenario::ScenarioError),
    /// The arguments do not make sense together (exit 2).
    #[error("{0}")]
    Usage(String),
    /// The work could not be done: a file could not be read or written, a save does not
    /// replay (exit 1).
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    /// The process exit code: 2 for a usage error, 1 for anything else.
    pub fn code(&self) -> ExitCode {
        match self {
            CliError::Usage(_) => ExitCode::from(2),
            CliError::Scenario(_) | CliError::Failed(_) => ExitCode::from(1),
        }
    }

    /// Prints the error on standard error: a scenario's problems one per line as
    /// `file:line:column: message`, anything else after the command's name.
    pub(super) fn report(&self, command: &str) {
        match self {
            CliError::Scenario(e) => report(&e.diagnostics),
            CliError::Usage(m) | CliError::Failed(m) => crate::diag!("{command}: {m}"),
        }
    }
}

impl From<crate::save::SaveError> for CliError {
    fn from(e: crate::save::SaveError) -> Self {
        CliError::Failed(e.to_string())
    }
}

/// What a command returns.
pub type Outcome = Result<(), CliError>;

type Controllers = Vec<crate::rules::state::Controller>;

/// Loads a scenario for a command.
fn load_for(path: Option<&Path>) -> Result<Arc<scenario::Scenario>, CliError> {
    Ok(Arc::new(scenario::load_or_default(path)?))
}

/// Each side's controller: the scenario's defaults, changed by `--ai SIDE=MODE`.
fn controllers_for(
    s: &scenario::Scenario,
    ai: &[(String, crate::rules::state::Controller)],
) -> Result<Controllers, CliError> {
    let mut controllers = crate::rules::setup::default_controllers(s);
    for (side, mode) in ai {
        let i = s.side_index(side).ok_or_else(|| {
            CliError::Usage(format!(
                "there is no side `{side}` in this scenario (sides: {})",
                s.side_list()
            ))
        })?;
        controllers[i] = *mode;
    }
    Ok(controllers)
}

/// Refuses, before any work, outputs that name an input (a scenario, a save), another
/// output, or something that is not a regular file (a device, a FIFO, a folder): writing
/// one would destroy what the command reads or what it just wrote, or replace a device.
fn distinct(inputs: &[&Path], outputs: &[&Path]) -> Outcome {
    for (i, out) in outputs.iter().enumerate() {
        crate::render::refuse_to_replace(out)
            .map_err(|e| CliError::Failed(format!("cannot write {}: {e}", out.display())))?;
        // Compared by where they lead (links, `./`, `..`), whether or not they exist yet,
        // and by the file itself where both exist (a hard link).
        let same = |other: &Path| crate::files::same_file(other, out);
        if let Some(input) = inputs.iter().find(|p| same(p)) {
            return Err(CliError::Usage(format!(
                "{} is read by this command ({}): name another file to write",
                out.display(),
                input.display()
            )));
        }
        if outputs[..i].iter().any(|p| same(p)) {
            return Err(CliError::Usage(format!(
                "{} is named for two outputs: give each its own file",
                out.display()
            )));
        }
    }
    Ok(())
}

/// Writes a file atomically, saying which file could not be written.
fn write_file(path: &Path, bytes: &[u8]) -> Outcome {
    crate::render::write_atomically(path, bytes)
        .map_err(|e| CliError::Failed(format!("cannot write {}: {e}", path.display())))
}

/// Creates the folder a file goes into.
fn create_parent(path: &Path) -> Outcome {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => std::fs::create_dir_all(dir)
            .map_err(|e| CliError::Failed(format!("cannot create {}: {e}", dir.display()))),
        None => Ok(()),
    }
}

/// Prints lines on standard output until a reader that went away stops them (not an
/// error: `railhead run | head`); false then.
fn say_all<'a>(lines: impl IntoIterator<Item = &'a str>) {
    for l in lines {
        say(l);
    }
}

pub(super) fn demo(args: &DemoArgs) -> Outcome {
    use crate::rules::narrate;
    let scenario = load_for(args.scenario.as_deref())?;
    let controllers = controllers_for(&scenario, &args.ai)?;
    let seed = args.seed.unwrap_or(scenario.seed);
    let record = crate::report::record::play_recorded(scenario.clone(), seed, controllers, None);
    if !args.quiet {
        for day in &record.days {
            let start = record.events.partition_point(|l| l.turn < day.turn);
            let end = record.events.partition_point(|l| l.turn <= day.turn);
            let lines = narrate::narrate_day_after(
                &scenario,
                &record.events[start..end],
                &record.events[..start],
            );
            say_all(lines.iter().map(String::as_str).chain([""]));
        }
        say_all(record.summary.iter().map(String::as_str));
    }
    let batch = if args.runs > 1 {
        batch_with_bar(
            &scenario,
            record.controllers.clone(),
            seed,
            args.runs,
            0,
            "measuring",
        )?
    } else {
        Vec::new()
    };
    let files = crate::report::write_demo(&record, &batch, &args.out).map_err(CliError::Failed)?;
    say(&format!("\n{}", wrote_report(&files, &args.out)));
    Ok(())
}

/// What a report command tells when its files are written.
fn wrote_report(files: &[String], dir: &Path) -> String {
    format!(
        "Wrote {} files to {}; open {} in a browser.",
        files.len(),
        dir.display(),
        dir.join("report.html").display()
    )
}

/// Plays `runs` seeded games from `seed` on `jobs` threads with a progress bar.
fn batch_with_bar(
    scenario: &Arc<scenario::Scenario>,
    controllers: Vec<crate::rules::state::Controller>,
    seed: u64,
    runs: u64,
    jobs: usize,
    what: &str,
) -> Result<Vec<crate::report::stats::Outcome>, CliError> {
    let bar = progress(runs, what);
    let tick = || bar.inc(1);
    let outcomes =
        crate::report::stats::run_batch(scenario.clone(), controllers, seed, runs, jobs, &tick);
    bar.finish_and_clear();
    outcomes.map_err(CliError::Usage)
}

/// A progress bar on a terminal (hidden otherwise).
fn progress(total: u64, what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total);
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{msg} [{bar:40}] {pos}/{len} games, {elapsed} elapsed, about {eta} to go",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    bar
}

pub(super) fn compare(args: &CompareArgs) -> Outcome {
    let base = load_for(Some(&args.base))?;
    let variant = load_for(Some(&args.variant))?;
    let bc = controllers_for(&base, &args.ai)?;
    let vc = controllers_for(&variant, &args.ai)?;
    let seed = args.seed.unwrap_or(base.seed);
    let b = crate::report::record::play_recorded(base.clone(), seed, bc.clone(), None);
    let v = crate::report::record::play_recorded(variant.clone(), seed, vc.clone(), None);
    let spread = if args.runs > 1 {
        let bar = progress(2 * args.runs, "comparing");
        let tick = || bar.inc(1);
        let runs = crate::report::stats::run_batch(base.clone(), bc, seed, args.runs, 0, &tick)
            .and_then(|bo| {
                crate::report::stats::run_batch(variant.clone(), vc, seed, args.runs, 0, &tick)
                    .map(|vo| (bo, vo))
            });
        bar.finish_and_clear();
        Some(runs.map_err(CliError::Failed)?)
    } else {
        None
    };
    let show = |d: Option<u32>| d.map_or("none".to_string(), |d| format!("day {d}"));
    say(&format!(
        "Base: {}\nVariant: {}\nWithdrawal ordered (seed {seed}):",
        base.name, variant.name
    ));
    let vw = crate::report::record::withdrawal_days(&v);
    for (g, day) in crate::report::record::withdrawal_days(&b) {
        let other = vw.iter().find(|(n, _)| *n == g).and_then(|(_, d)| *d);
        if day.is_some() || other.is_some() {
            say(&format!(
                "  {g}: base {}, variant {}",
                show(day),
                show(other)
            ));
        }
    }
    let spread_ref = spread.as_ref().map(|(b, v)| (b.as_slice(), v.as_slice()));
    if let Some((bo, vo)) = spread_ref {
        say(&crate::report::answer::headline(&b, &variant, bo, vo));
    }
    let files =
        crate::report::write_compare(&b, &v, spread_ref, &args.out).map_err(CliError::Failed)?;
    say(&wrote_report(&files, &args.out));
    Ok(())
}

pub(super) fn lesson(args: &LessonArgs) -> Outcome {
    let lesson = crate::lesson::file::load_lesson(&args.file).map_err(CliError::Scenario)?;
    if !args.notes && args.worksheet.is_none() {
        return tour(lesson, args);
    }
    if args.notes {
        let played = crate::lesson::play(&lesson);
        let results = crate::lesson::run_decision(&lesson, args.jobs).map_err(CliError::Failed)?;
        for line in crate::lesson::sheet::notes(&lesson, &played, &results) {
            say(&line);
        }
    }
    if let Some(dir) = &args.worksheet {
        let files =
            crate::lesson::sheet::write(&lesson, args.jobs, dir).map_err(CliError::Failed)?;
        say(&format!(
            "Wrote {} to {}; print worksheet.html for the class and keep answers.html.",
            files
                .iter()
                .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect::<Vec<_>>()
                .join(", "),
            dir.display()
        ));
    }
    Ok(())
}

/// Opens the window on the lesson's game, the guided tour under way.
#[cfg(feature = "gui")]
fn tour(lesson: crate::lesson::Lesson, args: &LessonArgs) -> Outcome {
    let scenario = (*lesson.scenario).clone();
    let launch = crate::gui::Launch {
        scenario: Some(lesson.scenario_file.clone()),
        side: Some("none".into()),
        seed: Some(lesson.seed),
        script: args.script.clone(),
        lesson: Some(
            crate::gui::LessonTour::prepare(std::sync::Arc::new(lesson), args.jobs)
                .map_err(CliError::Failed)?,
        ),
        ..crate::gui::Launch::default()
    };
    match crate::gui::run(scenario, launch) {
        code if code == ExitCode::SUCCESS => Ok(()),
        _ => Err(CliError::Failed("the window closed with an error".into())),
    }
}

#[cfg(not(feature = "gui"))]
fn tour(_lesson: crate::lesson::Lesson, _args: &LessonArgs) -> Outcome {
    Err(CliError::Usage(
        "this build has no window (it was built without the `gui` feature): the guided tour \
         needs it. Use --worksheet DIR or --notes, or rebuild with default features."
            .into(),
    ))
}

pub(super) fn debrief(args: &DebriefArgs) -> Outcome {
    use crate::report::debrief::{Student, page, sentences};
    let lesson = match &args.lesson {
        Some(path) => Some(crate::lesson::file::load_lesson(path)?),
        None => None,
    };
    let mut students = Vec::new();
    for path in &args.saves {
        let game = crate::report::record::record_of_save(path)?;
        students.push(Student {
            label: path.file_stem().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            path: path.clone(),
            game,
        });
    }
    let s = students[0].game.scenario.clone();
    let hash = crate::save::scenario_hash(&s);
    for st in &students[1..] {
        if crate::save::scenario_hash(&st.game.scenario) != hash {
            return Err(CliError::Usage(format!(
                "{} is a game of `{}`, {} of `{}`: a debrief sets games of one scenario side by side",
                st.path.display(),
                st.game.scenario.name,
                students[0].path.display(),
                s.name
            )));
        }
    }
    if let Some(l) = &lesson
        && crate::save::scenario_hash(&l.scenario) != hash
    {
        return Err(CliError::Usage(format!(
            "the lesson plays `{}`, the saves `{}`",
            l.scenario.name, s.name
        )));
    }
    let lesson_game = lesson.as_ref().map(|l| crate::lesson::play(l).record);
    let first = args.seed.or(lesson.as_ref().map(|l| l.seed)).unwrap_or(1);
    let controllers = crate::rules::setup::default_controllers(&s);
    let batch = crate::report::stats::run_records(&s, &controllers, first, args.runs, 0)
        .map_err(CliError::Failed)?;
    for line in sentences(&students, &batch) {
        say(&line);
    }
    std::fs::create_dir_all(&args.out)
        .map_err(|e| CliError::Failed(format!("cannot create {}: {e}", args.out.display())))?;
    let path = args.out.join("debrief.html");
    let html = page(&s, &students, lesson_game.as_ref(), &batch, first);
    crate::render::write_atomically(&path, html.as_bytes())
        .map_err(|e| CliError::Failed(format!("cannot write {}: {e}", path.display())))?;
    say(&format!("Wrote {}; open it in a browser.", path.display()));
    Ok(())
}

pub(super) fn contrast(args: &ContrastArgs) -> Outcome {
    let mut games = Vec::new();
    for path in [&args.first, &args.second] {
        let s = load_for(Some(path))?;
        let controllers = controllers_for(&s, &[])?;
        let seed = args.seed.unwrap_or(s.seed);
        let game = crate::report::record::play_recorded(s.clone(), seed, controllers.clone(), None);
        let batch = batch_with_bar(&s, controllers, seed, args.runs, 0, "playing")?;
        games.push((game, batch));
    }
    let parts: Vec<crate::report::lesson::Part> = games
        .iter()
        .map(|(game, batch)| crate::report::lesson::Part { game, batch })
        .collect();
    for p in &parts {
        if let Some(g) = crate::report::account::subject(p.game) {
            let a = crate::report::account::account(p.game, g);
            let when = a
                .ordered
                .as_ref()
                .map_or("never ordered back".to_string(), |(t, d, _)| {
                    format!("ordered back on day {t} ({})", d.format("%-d %B"))
                });
            say(&format!(
                "{}: the {}, supply cut by {}; {when}; {} items left behind, {} captured",
                p.game.scenario.name,
                p.game.scenario.grouping(g).name,
                crate::report::account::cut_by(&a),
                a.abandoned,
                a.captured
            ));
        }
    }
    let files = crate::report::lesson::write_lesson(&parts, &args.out).map_err(CliError::Failed)?;
    say(&wrote_report(&files, &args.out));
    Ok(())
}

pub(super) fn batch(args: &BatchArgs) -> Outcome {
    use crate::report::{charts, stats};
    let scenario = load_for(args.scenario.as_deref())?;
    let controllers = controllers_for(&scenario, &args.ai)?;
    if let Some(d) = args.days.iter().find(|d| **d == 0 || **d > scenario.turns) {
        return Err(CliError::Usage(format!(
            "--day {d} is not a day of the scenario (1 to {})",
            scenario.turns
        )));
    }
    let png = args.out.with_extension("png");
    distinct(
        &args.scenario.as_deref().into_iter().collect::<Vec<_>>(),
        &[&args.out, &png],
    )?;
    let outcomes = batch_with_bar(
        &scenario,
        controllers,
        args.seed,
        args.runs,
        args.jobs,
        "playing",
    )?;
    let days: Vec<u32> = if args.days.is_empty() {
        let mut d: Vec<u32> = (5..scenario.turns).step_by(5).collect();
        d.push(scenario.turns);
        d
    } else {
        args.days.clone()
    };
    let lines = stats::describe(&scenario, &outcomes, &days);
    say_all(lines.iter().map(String::as_str));
    create_parent(&args.out)?;
    write_file(&args.out, stats::batch_csv(&scenario, &outcomes).as_bytes())?;
    let histogram = charts::withdrawal_histogram(&scenario, &outcomes).map_err(CliError::Failed)?;
    write_file(&png, &histogram)?;
    say(&format!(
        "Wrote {} (a row per game) and {} (withdrawal days).",
        args.out.display(),
        png.display()
    ));
    Ok(())
}

pub(super) fn calibrate(args: &CalibrateArgs) -> Outcome {
    use crate::report::calibrate;
    let scenario = load_for(args.scenario.as_deref())?;
    let controllers = controllers_for(&scenario, &args.ai)?;
    let outcomes = batch_with_bar(
        &scenario,
        controllers,
        args.seed,
        args.runs,
        args.jobs,
        "calibrating",
    )?;
    let rows = calibrate::table(&scenario, &outcomes);
    // A variant is a what-if: where it leaves history's bands is its answer, not a failure.
    let counterfactual = args
        .scenario
        .as_deref()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .is_some_and(|text| crate::scenario::variant::is_variant(&text));
    match args.format {
        TableFormat::Text => say_all(
            calibrate::text(&scenario, outcomes.len(), &rows, counterfactual)
                .iter()
                .map(String::as_str),
        ),
        TableFormat::Json => say(&serde_json::to_string_pretty(&rows)
            .map_err(|e| CliError::Failed(format!("cannot write the table: {e}")))?),
    }
    match calibrate::counts(&rows) {
        (_, 0) => Ok(()),
        _ if counterfactual => Ok(()),
        (judged, outside) => Err(CliError::Failed(format!(
            "{outside} of {judged} facts with a band are outside it"
        ))),
    }
}

/// Every event of a game, one JSON object per line.
fn events_text(sim: &crate::rules::simulation::Simulation) -> String {
    crate::rules::events::jsonl(&sim.scenario(), sim.chronicle())
}

pub(super) fn replay(args: &ReplayArgs) -> Outcome {
    use crate::save::{Replayed, Save, replay};
    if let Some(events) = &args.events {
        distinct(&[&args.save], &[events])?;
    }
    let save = Save::read(&args.save)?;
    let scenario = save.scenario(Some(&args.save))?;
    let (sim, verdict) = replay(&save, scenario)?;
    if let Some(path) = &args.events {
        write_file(path, events_text(&sim).as_bytes())?;
    }
    match verdict {
        Replayed::Same { days } => {
            say(&format!(
                "{}: {} replayed from its {} orders; the state matches the save on all {days} days.",
                args.save.display(),
                save.scenario.name,
                save.orders.len()
            ));
            Ok(())
        }
        Replayed::Differs { turn, saved, now } => Err(CliError::Failed(format!(
            "{}: the replay parts from the save on day {turn} (saved {saved}, replayed {now})",
            args.save.display()
        ))),
    }
}

pub(super) fn run_game(args: &RunArgs) -> Outcome {
    use crate::rules::narrate;
    use crate::rules::simulation::Simulation;
    let (scenario, mut sim, seed, file) = if let Some(path) = &args.load {
        let (save, mut sim) = crate::save::load(path)?;
        // A day the save stopped in the middle of is finished first.
        if sim.cursor().in_day() {
            sim.play_day();
        }
        (
            sim.scenario(),
            sim,
            save.seed,
            save.scenario.file.map(PathBuf::from),
        )
    } else {
        let scenario = load_for(args.scenario.as_deref())?;
        let controllers = controllers_for(&scenario, &args.ai)?;
        let seed = args.seed.unwrap_or(scenario.seed);
        let sim = Simulation::new(scenario.clone(), seed, controllers);
        (scenario, sim, seed, args.scenario.clone())
    };
    let inputs: Vec<&Path> = [
        args.load.as_deref(),
        args.scenario.as_deref(),
        file.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let outputs: Vec<&Path> = [args.save.as_deref(), args.events.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    distinct(&inputs, &outputs)?;
    let done = sim.cursor().turn - 1;
    let turns = match (&args.load, args.turns) {
        (Some(_), Some(n)) => done.saturating_add(n),
        (_, Some(n)) => n,
        (_, None) => scenario.turns,
    }
    .min(scenario.turns);
    let mut printed = sim.chronicle().len();
    while !sim.is_over() && sim.cursor().turn <= turns {
        sim.play_day();
        if !args.quiet {
            let log = sim.chronicle();
            let lines = narrate::narrate_day_after(&scenario, &log[printed..], &log[..printed]);
            say_all(lines.iter().map(String::as_str).chain([""]));
        }
        printed = sim.chronicle().len();
    }
    if let Some(path) = &args.save {
        crate::save::Save::of(sim.world(), file.as_deref(), seed)?.write(path)?;
    }
    if let Some(path) = &args.events {
        write_file(path, events_text(&sim).as_bytes())?;
    }
    say_all(
        narrate::summary(&scenario, sim.world(), seed)
            .iter()
            .map(String::as_str),
    );
    Ok(())
}

/// Set once standard output cannot be written (its reader has gone: `railhead run | head`).
static STDOUT_GONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Prints a line on standard output. Once a reader has gone away nothing more is printed,
/// and the command goes on with its work: the files it was asked for are still written.
fn say(line: &str) {
    use std::io::Write;
    use std::sync::atomic::Ordering;
    if STDOUT_GONE.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
        STDOUT_GONE.store(true, Ordering::Relaxed);
    }
}

fn report(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        crate::diag!("{d}");
    }
}

pub(super) fn validate(args: &ValidateArgs) -> ExitCode {
    let mut all: Vec<Diagnostic> = Vec::new();
    for file in &args.files {
        if crate::lesson::file::is_lesson_file(file) {
            match crate::lesson::file::load_lesson(file) {
                Ok(l) if args.format == Format::Text => crate::diag!(
                    "{}: ok: lesson `{}`, {}, {}{}, on {}",
                    file.display(),
                    l.title,
                    crate::numbers::count(l.steps.len() as u64, "step", "steps"),
                    crate::numbers::count(
                        l.steps.iter().filter(|s| s.question.is_some()).count() as u64,
                        "question",
                        "questions"
                    ),
                    l.decision.as_ref().map_or(String::new(), |d| format!(
                        ", a decision of {} choices",
                        d.choices.len()
                    )),
                    l.scenario.name
                ),
                Ok(_) => {}
                Err(e) => all.extend(e.diagnostics),
            }
            continue;
        }
        if crate::study::file::is_study_file(file) {
            match crate::study::file::load_study(file) {
                Ok(s) if args.format == Format::Text => crate::diag!(
                    "{}: ok: study `{}`, {} cases x {} seeds, {} outcomes recorded",
                    file.display(),
                    s.meta.name,
                    s.meta.cases.len(),
                    s.meta.seeds,
                    s.meta.columns.len()
                ),
                Ok(_) => {}
                Err(e) => all.extend(e.diagnostics),
            }
            continue;
        }
        match scenario::load_file_located(file) {
            Ok((s, locator)) => {
                let mut warnings: Vec<Diagnostic> = crate::lint::lint(&s)
                    .into_iter()
                    .map(|p| Diagnostic {
                        warning: true,
                        ..locator.place(p)
                    })
                    .collect();
                warnings
                    .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
                all.extend(warnings);
                if args.format == Format::Text {
                    crate::diag!(
                        "{}: ok: `{}`, {}x{} hexes, {} units, {} rail links, {} depots",
                        file.display(),
                        s.name,
                        s.frame.columns,
                        s.frame.rows,
                        s.units.len(),
                        s.rail_links.len(),
                        s.depots.len()
                    );
                }
            }
            Err(e) => all.extend(e.diagnostics),
        }
    }
    match args.format {
        Format::Text => report(&all),
        Format::Json => match serde_json::to_string_pretty(&all) {
            Ok(json) => say(&json),
            Err(e) => {
                crate::diag!("railhead: cannot write JSON: {e}");
                return ExitCode::from(1);
            }
        },
    }
    if all.iter().all(|d| d.warning && !args.deny_warnings) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

pub(super) fn map(args: &MapArgs) -> Outcome {
    distinct(
        &args.scenario.as_deref().into_iter().collect::<Vec<_>>(),
        &[&args.out],
    )?;
    let scenario = scenario::load_or_default(args.scenario.as_deref())?;
    let style = crate::render::MapStyle {
        hex_px: args.hex_px as f32,
        grid: args.grid,
        ..Default::default()
    };
    crate::render::write_map_png(&scenario, &style, &args.out)
        .map_err(|e| CliError::Failed(format!("cannot write {}: {e}", args.out.display())))?;
    crate::diag!("wrote {}", args.out.display());
    Ok(())
}

pub(super) fn where_is(args: &WhereArgs) -> Outcome {
    let s = scenario::load_file(&args.scenario)?;
    let text = match (&args.hex, args.lat, args.lon) {
        (Some(h), _, _) => {
            let at = crate::geo::Offset {
                col: h[0],
                row: h[1],
            };
            scenario::whereis::describe(&s, at, None)
        }
        (None, Some(lat), Some(lon)) => {
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                return Err(CliError::Usage(format!(
                    "({lat}, {lon}) is not a latitude and longitude: give LAT LON in decimal degrees"
                )));
            }
            let p = crate::geo::LatLon { lat, lon };
            scenario::whereis::describe(&s, s.frame.project(p), Some(p))
        }
        _ => {
            return Err(CliError::Usage(
                "give a point as LAT LON, or a hex as --hex COL ROW".into(),
            ));
        }
    };
    print!("{text}");
    Ok(())
}

/// The layers' folder as the scenario written to `out` will name it: inside `out`'s
/// folder, relative to it.
fn geo_folder(out: &Path, geo: &Path) -> Result<scenario::generate::Geo, CliError> {
    let folder = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let (Ok(f), Ok(g)) = (std::fs::canonicalize(folder), std::fs::canonicalize(geo)) else {
        return Err(CliError::Usage(format!(
            "--geo {}: no such folder (or the folder of --out does not exist)",
            geo.display()
        )));
    };
    let rel = g.strip_prefix(&f).map_err(|_| {
        CliError::Usage(format!(
            "--geo {}: the layers must be in the scenario's folder ({}) or below it, for the scenario to read them",
            geo.display(),
            folder.display()
        ))
    })?;
    let layers: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    Ok(scenario::generate::Geo {
        folder: f,
        layers: layers.join("/"),
    })
}

pub(super) fn generate(args: &GenerateArgs) -> Outcome {
    distinct(&[], &[&args.out])?;
    let spec = scenario::generate::Spec {
        cols: args.cols,
        rows: args.rows,
        units: args.units,
        seed: args.seed,
    };
    scenario::generate::check(&spec).map_err(CliError::Usage)?;
    let at = match args.origin {
        None => None,
        Some(origin) => Some(scenario::generate::At {
            origin,
            hex_km: match args.hex_km {
                None => 5.0,
                Some(k) if (0.5..=50.0).contains(&k) => k,
                Some(k) => {
                    return Err(CliError::Usage(format!(
                        "--hex-km {k}: a hex is 0.5 to 50 km across"
                    )));
                }
            },
            geo: args
                .geo
                .as_deref()
                .map(|g| geo_folder(&args.out, g))
                .transpose()?,
        }),
    };
    let text =
        scenario::generate::generate_text_at(&spec, at.as_ref()).map_err(CliError::Failed)?;
    crate::render::write_atomically(&args.out, text.as_bytes())
        .map_err(|e| CliError::Failed(format!("cannot write {}: {e}", args.out.display())))?;
    crate::diag!(
        "wrote {}: {} x {} hexes, {} units (seed {}); check it with `railhead validate {}`",
        args.out.display(),
        spec.cols,
        spec.rows,
        scenario::generate::units_of(&spec),
        spec.seed,
        args.out.display()
    );
    Ok(())
}

/// Writes a study's results.csv and study.html into `out`, and says so.
fn write_study(
    meta: &crate::study::Meta,
    rows: &[crate::study::GameRow],
    out: &Path,
    quiet: bool,
) -> Outcome {
    let csv = crate::study::results_csv(meta, rows);
    let page = crate::study::html::page(meta, rows).map_err(CliError::Failed)?;
    std::fs::create_dir_all(out)
        .map_err(|e| CliError::Failed(format!("cannot create {}: {e}", out.display())))?;
    write_file(&out.join("results.csv"), csv.as_bytes())?;
    write_file(&out.join("study.html"), page.as_bytes())?;
    if !quiet {
        say_all(crate::study::summary(meta, rows).iter().map(String::as_str));
    }
    say(&format!(
        "Wrote {} (a row per game) and {}; open it in a browser.",
        out.join("results.csv").display(),
        out.join("study.html").display()
    ));
    Ok(())
}

pub(super) fn study(args: &StudyArgs) -> Outcome {
    let Some(path) = args.study.as_deref() else {
        return Err(CliError::Usage(
            "name a study file (see docs/studies.md)".into(),
        ));
    };
    let study = crate::study::file::load_study(path)?;
    let games = study.meta.games();
    if args.slurm_script {
        return slurm_script(args, path, &study);
    }
    if let Some((_, n)) = args.shard
        && n > games
    {
        return Err(CliError::Usage(format!(
            "{n} shards for {games} games: use at most one shard per game"
        )));
    }
    let shard = args.shard.unwrap_or((1, 1));
    let in_shard = crate::study::shard_games(games, shard.0, shard.1).count() as u64;
    let outputs: Vec<PathBuf> = if args.shard.is_some() {
        vec![
            args.out
                .join(crate::study::shard::file_name(shard.0, shard.1)),
        ]
    } else {
        vec![args.out.join("results.csv"), args.out.join("study.html")]
    };
    distinct(
        &[path],
        &outputs.iter().map(PathBuf::as_path).collect::<Vec<_>>(),
    )?;
    let bar = progress(in_shard, "playing");
    let tick = || bar.inc(1);
    let rows = study.run(shard, args.jobs, &tick);
    bar.finish_and_clear();
    let rows = rows.map_err(CliError::Usage)?;
    if args.shard.is_some() {
        std::fs::create_dir_all(&args.out)
            .map_err(|e| CliError::Failed(format!("cannot create {}: {e}", args.out.display())))?;
        let text = crate::study::shard::shard_text(&study.meta, shard, &rows);
        write_file(&outputs[0], text.as_bytes())?;
        say(&format!(
            "Wrote {}: shard {} of {} ({} of the study's {games} games); merge the shards with `railhead study merge {}`.",
            outputs[0].display(),
            shard.0,
            shard.1,
            rows.len(),
            args.out.display()
        ));
        return Ok(());
    }
    write_study(&study.meta, &rows, &args.out, args.quiet)
}

pub(super) fn study_merge(args: &MergeArgs) -> Outcome {
    use crate::study::shard;
    let files = shard::shard_files(&args.inputs).map_err(CliError::Failed)?;
    let shards = files
        .iter()
        .map(|f| shard::read_shard(f))
        .collect::<Result<Vec<_>, _>>()
        .map_err(CliError::Failed)?;
    let (meta, rows) = shard::merge(shards).map_err(CliError::Failed)?;
    write_study(&meta, &rows, &args.out, args.quiet)
}

fn slurm_script(args: &StudyArgs, path: &Path, study: &crate::study::Study) -> Outcome {
    let games = study.meta.games();
    let shards = args.shards.unwrap_or(10).min(games);
    if args.shards.is_some_and(|n| n > games) {
        return Err(CliError::Usage(format!(
            "{} shards for {games} games: use at most one shard per game",
            args.shards.unwrap_or(0)
        )));
    }
    let script_path = args.out.join("study.sbatch");
    distinct(&[path], &[&script_path])?;
    // Every path the script will hold, checked before anything is written.
    let here = std::env::current_dir()
        .map_err(|e| CliError::Failed(format!("cannot tell the current folder: {e}")))?;
    let program = std::env::current_exe()
        .map_err(|e| CliError::Failed(format!("cannot tell where railhead is: {e}")))?;
    crate::study::slurm::check_path("the --out folder", &here.join(&args.out))
        .map_err(CliError::Usage)?;
    crate::study::slurm::check_path("the study file", &here.join(path))
        .and_then(|_| crate::study::slurm::check_path("the railhead program", &program))
        .map_err(CliError::Failed)?;
    for dir in [
        args.out.clone(),
        args.out.join("logs"),
        args.out.join("shards"),
    ] {
        std::fs::create_dir_all(&dir)
            .map_err(|e| CliError::Failed(format!("cannot create {}: {e}", dir.display())))?;
    }
    let absolute = |p: &Path| {
        std::fs::canonicalize(p)
            .map_err(|e| CliError::Failed(format!("cannot find {}: {e}", p.display())))
    };
    let out = absolute(&args.out)?;
    let hash = study.meta.hash();
    let script = crate::study::slurm::Script {
        name: &study.meta.name,
        hash: &hash,
        program: &program,
        study: &absolute(path)?,
        out: &out,
        shards,
        jobs: args.jobs.max(1),
        partition: args.partition.as_deref(),
        time: args.time.as_deref(),
    };
    let text = script.text().map_err(CliError::Failed)?;
    write_file(&script_path, text.as_bytes())?;
    say(&format!(
        "Wrote {}: {games} games in {shards} array tasks of {} CPU(s) each, and a merge job.\n\
         Submit it with:  sbatch {}\n\
         When every task has succeeded the merge job writes {} and {}; follow the jobs with `squeue -u $USER`.",
        script_path.display(),
        args.jobs.max(1),
        crate::study::slurm::quote(&script_path.display().to_string()),
        out.join("results.csv").display(),
        out.join("study.html").display()
    ));
    Ok(())
}

/// Opens the window (its exit code is the command's), or says why it cannot.
pub(super) fn play(args: PlayArgs) -> ExitCode {
    match window(args) {
        Ok(code) => code,
        Err(e) => {
            e.report("railhead play");
            e.code()
        }
    }
}

#[cfg(feature = "gui")]
fn window(mut args: PlayArgs) -> Result<ExitCode, CliError> {
    if let (Some(frames), true) = (args.frame_time, args.empty_scene) {
        return Ok(crate::gui::frametime::run_empty(frames));
    }
    let launch = |args: PlayArgs, loaded: Option<crate::gui::Loaded>| crate::gui::Launch {
        scenario: args.scenario,
        screenshot: args.screenshot,
        frames: args.frames,
        side: args.side,
        loaded,
        by_file: args.by_file,
        script: args.script,
        frame_time: args.frame_time,
        seed: args.seed,
        lesson: None,
    };
    if let Some(path) = args.load.clone().or(args.replay.clone()) {
        // The save is read and replayed here, once: the window opens on its game, or a
        // save that does not load is refused before any window opens.
        let watch = args.replay.is_some();
        let mut days = Vec::new();
        let (save, sim) = crate::save::load_with(&path, &mut |w| {
            if watch {
                days.push(crate::rules::game::GameState::take(w));
            }
        })?;
        let scenario = sim.scenario();
        let loaded = crate::gui::Loaded {
            path,
            save,
            scenario: scenario.clone(),
            state: crate::rules::game::GameState::take(sim.world()),
            days: watch.then_some(days),
        };
        return Ok(crate::gui::run(
            (*scenario).clone(),
            launch(args, Some(loaded)),
        ));
    }
    // With no file named, play the Kharkiv file of the working directory if there is one
    // (so that editing it reloads the game), else the built-in copy.
    if args.scenario.is_none() {
        let local = Path::new(scenario::KHARKIV_2022_NAME);
        if local.is_file() {
            args.scenario = Some(local.to_path_buf());
        }
    }
    let scenario = scenario::load_or_default(args.scenario.as_deref())?;
    Ok(crate::gui::run(scenario, launch(args, None)))
}

#[cfg(not(feature = "gui"))]
fn window(_args: PlayArgs) -> Result<ExitCode, CliError> {
    Err(CliError::Usage(
        "this build has no window (it was built without the `gui` feature).\n\
         Rebuild with default features to play, or use a sub-command: see `railhead --help`."
            .into(),
    ))
}
