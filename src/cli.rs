//! The command line: `railhead` opens the game; sub-commands work headlessly.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};

use crate::scenario::{self, Diagnostic};

/// Railhead: a turn-based operational wargame about rail supply.
///
/// With no sub-command, opens the game window on the Kharkiv 2022 scenario.
#[derive(Debug, Parser)]
#[command(name = "railhead", version, about, long_about = None, after_help = "With no command, railhead opens the game window on the built-in Kharkiv 2022 scenario.")]
pub struct Cli {
    /// What to do; `play` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The sub-commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the game window on a scenario (the default).
    Play(PlayArgs),
    /// Check scenario files and report every error with file, line and column.
    ///
    /// Exits 0 when every file is valid, 1 when any is not, 2 on a usage error.
    Validate(ValidateArgs),
    /// Draw a scenario's map to a PNG file, without a window or GPU.
    Map(MapArgs),
    /// Play a scenario headlessly, AI against AI, narrating each day.
    Run(RunArgs),
    /// A classroom demonstration: play the scenario, narrate each day and write a report
    /// (report.html with maps, charts, timeline and narration; daily.csv; events.jsonl).
    Demo(DemoArgs),
    /// Play a base scenario and a what-if variant and report them side by side.
    Compare(CompareArgs),
    /// Play many seeded games in parallel and print the distribution of their outcomes.
    Batch(BatchArgs),
    /// Play many seeded games and set each dated fact of the scenario's history (and each
    /// territory figure) beside the games' median and 5th-95th percentile, judged against
    /// its band.
    ///
    /// Exits 0 when every fact with a band is inside it, 1 when any is outside, 2 on a
    /// usage error.
    Calibrate(CalibrateArgs),
    /// Replay a saved game from its order log and check, day by day, that the rules reach
    /// the same state as when it was saved.
    ///
    /// Exits 0 when every day matches, 1 when a day differs or the save cannot be read.
    Replay(ReplayArgs),
    /// Write a made-up scenario of any legal size: terrain with forests and rivers, two
    /// sides with a front, a rail network with railheads, junctions, alternative routes
    /// and depots, groupings with fallback lines, a plan for the attacker. The same for
    /// the same seed; a starting point for a scenario of your own.
    Generate(GenerateArgs),
    /// Play a study: every case of a study file (variants of a base scenario) with every
    /// seed, and write results.csv (a row per game) and study.html (distributions case
    /// by case, beside the history). Runs whole, as one shard of several (`--shard I/N`,
    /// merged with `railhead study merge`), or writes a Slurm batch script
    /// (`--slurm-script`). The study file is described in docs/studies.md.
    Study(StudyArgs),
}

/// Arguments of `railhead study`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct StudyArgs {
    /// `merge`: put shards together.
    #[command(subcommand)]
    pub command: Option<StudyCommand>,
    /// The study file (RON).
    #[arg(required = true, value_name = "STUDY.ron")]
    pub study: Option<PathBuf>,
    /// Folder to write into (created if needed): results.csv and study.html; with
    /// `--shard`, the shard file; with `--slurm-script`, the script (shards and logs go
    /// into its `shards/` and `logs/`).
    #[arg(long, default_value = "study-out", value_name = "DIR")]
    pub out: PathBuf,
    /// Worker threads; all cores when omitted (with `--slurm-script`: the CPUs of each
    /// array task, 1 when omitted). The results do not depend on it.
    #[arg(long, default_value_t = 0, value_name = "J", value_parser = parse_jobs)]
    pub jobs: usize,
    /// Play only the I-th of N disjoint parts of the games (by their fixed order, case by
    /// case and seed by seed: game k goes to part k mod N + 1) and write it as a shard file.
    #[arg(long, value_name = "I/N", value_parser = parse_shard, conflicts_with = "slurm_script")]
    pub shard: Option<(u64, u64)>,
    /// Write a Slurm batch script (a job array of shards and a merge job that depends on
    /// it) into the `--out` folder instead of playing; submit it with `sbatch`.
    #[arg(long)]
    pub slurm_script: bool,
    /// With `--slurm-script`: shards (array tasks); 10 when omitted, at most one per game.
    #[arg(long, value_name = "N", requires = "slurm_script", value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub shards: Option<u64>,
    /// With `--slurm-script`: the partition to submit to (the cluster's default when
    /// omitted).
    #[arg(long, value_name = "P", requires = "slurm_script")]
    pub partition: Option<String>,
    /// With `--slurm-script`: the time limit of each task, as Slurm writes it (e.g.
    /// `01:00:00`); the partition's default when omitted.
    #[arg(long, value_name = "T", requires = "slurm_script")]
    pub time: Option<String>,
    /// Print only what was written, not the summary of outcomes.
    #[arg(long)]
    pub quiet: bool,
}

/// The sub-commands of `railhead study`.
#[derive(Debug, Subcommand)]
pub enum StudyCommand {
    /// Merge the shard files of one study (folders of shard-*.jsonl, or the files) into
    /// the same results.csv and study.html as one machine writes; refuses a shard of
    /// another study or version, a missing shard and a shard given twice, by name.
    Merge(MergeArgs),
}

/// Arguments of `railhead study merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Folders holding shard files, or shard files.
    #[arg(required = true, value_name = "DIR")]
    pub inputs: Vec<PathBuf>,
    /// Folder to write results.csv and study.html into (created if needed).
    #[arg(long, default_value = "study-out", value_name = "DIR")]
    pub out: PathBuf,
    /// Print only what was written, not the summary of outcomes.
    #[arg(long)]
    pub quiet: bool,
}

/// `I/N`: the I-th of N shards, 1 <= I <= N.
fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| format!("`{s}` is not I/N, e.g. 3/10 for the third of ten shards"))?;
    let i: u64 = i
        .trim()
        .parse()
        .map_err(|_| format!("`{i}` is not a shard number"))?;
    let n: u64 = n
        .trim()
        .parse()
        .map_err(|_| format!("`{n}` is not a number of shards"))?;
    if n == 0 || i == 0 || i > n {
        return Err(format!(
            "shard {i} of {n} does not exist: shards are numbered 1 to N"
        ));
    }
    Ok((i, n))
}

/// Arguments of `railhead generate`.
#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// Columns of the map (8 - 400).
    #[arg(long, value_parser = clap::value_parser!(u32).range(8..=400))]
    pub cols: u32,
    /// Rows of the map (8 - 400).
    #[arg(long, value_parser = clap::value_parser!(u32).range(8..=400))]
    pub rows: u32,
    /// Units of both sides together (2 - 5,000, at most a quarter of the hexes); two per
    /// row of the map (one a side, a front held all along) when omitted.
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=5000))]
    pub units: Option<u32>,
    /// Seed of the generator: the same seed, the same scenario.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The scenario file to write (RON).
    #[arg(long, short, value_name = "FILE.ron")]
    pub out: PathBuf,
}

/// Arguments of `railhead demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Scenario or variant file (RON); the built-in Kharkiv 2022 scenario when omitted.
    pub scenario: Option<PathBuf>,
    /// Seed of the dice; the scenario's own seed when omitted.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Folder to write the report into (created if needed).
    #[arg(long, default_value = "demo-out", value_name = "DIR")]
    pub out: PathBuf,
    /// Who commands a side, as for `railhead run` (default: plan where there is one).
    #[arg(long = "ai", value_name = "SIDE=MODE", value_parser = parse_side_mode)]
    pub ai: Vec<(String, crate::rules::state::Controller)>,
    /// Write the report without narrating on the terminal.
    #[arg(long)]
    pub quiet: bool,
    /// Games (from this seed on) over which the report's calibration table sets the model
    /// beside each dated fact of the history; 1 measures this game alone.
    #[arg(long, default_value_t = 20, value_name = "N", value_parser = parse_runs)]
    pub runs: u64,
}

/// Arguments of `railhead compare`.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// The base scenario file.
    pub base: PathBuf,
    /// The variant (or any other scenario) to compare with it.
    pub variant: PathBuf,
    /// Seed of the dice for the games shown day by day; the base's seed when omitted.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Also play this many seeds of each (from the seed on) and compare the withdrawal days.
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = parse_runs)]
    pub runs: u64,
    /// Folder to write the report into.
    #[arg(long, default_value = "compare-out", value_name = "DIR")]
    pub out: PathBuf,
    /// Who commands a side, as for `railhead run`.
    #[arg(long = "ai", value_name = "SIDE=MODE", value_parser = parse_side_mode)]
    pub ai: Vec<(String, crate::rules::state::Controller)>,
}

/// Arguments of `railhead batch`.
#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// Scenario or variant file; the built-in Kharkiv 2022 scenario when omitted.
    pub scenario: Option<PathBuf>,
    /// Games to play.
    #[arg(long, default_value_t = 100, value_name = "N", value_parser = parse_runs)]
    pub runs: u64,
    /// Seed of the first game; the others take the seeds after it.
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,
    /// Worker threads; all cores when omitted. The results do not depend on it.
    #[arg(long, default_value_t = 0, value_name = "J", value_parser = parse_jobs)]
    pub jobs: usize,
    /// CSV file to write, one row per game; a histogram of withdrawal days goes beside it
    /// (same name, `.png`).
    #[arg(long, default_value = "batch.csv", value_name = "FILE.csv")]
    pub out: PathBuf,
    /// Who commands a side, as for `railhead run`.
    #[arg(long = "ai", value_name = "SIDE=MODE", value_parser = parse_side_mode)]
    pub ai: Vec<(String, crate::rules::state::Controller)>,
    /// Days on which to report territory (default: every fifth day and the last).
    #[arg(long = "day", value_name = "N")]
    pub days: Vec<u32>,
}

/// Arguments of `railhead calibrate`.
#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// Scenario or variant file; the built-in Kharkiv 2022 scenario when omitted.
    pub scenario: Option<PathBuf>,
    /// Games to play.
    #[arg(long, default_value_t = 50, value_name = "N", value_parser = parse_runs)]
    pub runs: u64,
    /// Seed of the first game; the others take the seeds after it.
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,
    /// Worker threads; all cores when omitted. The results do not depend on it.
    #[arg(long, default_value_t = 0, value_name = "J", value_parser = parse_jobs)]
    pub jobs: usize,
    /// Who commands a side, as for `railhead run`.
    #[arg(long = "ai", value_name = "SIDE=MODE", value_parser = parse_side_mode)]
    pub ai: Vec<(String, crate::rules::state::Controller)>,
    /// How to print the table.
    #[arg(long, value_enum, default_value_t = TableFormat::Text)]
    pub format: TableFormat,
}

/// How `railhead calibrate` prints its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// A table on standard output, one fact per line.
    Text,
    /// The same rows as a JSON array on standard output.
    Json,
}

/// Arguments of `railhead run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file (RON); the built-in Kharkiv 2022 scenario when omitted.
    pub scenario: Option<PathBuf>,
    /// Seed of the dice; the scenario's own seed when omitted.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Days to play; the whole scenario when omitted.
    #[arg(long, value_name = "N")]
    pub turns: Option<u32>,
    /// Who commands a side: SIDE=plan (follow the scenario's plan), SIDE=ai (pursue
    /// objectives) or SIDE=idle (no orders). Default: plan for sides with a plan, else ai.
    #[arg(long = "ai", value_name = "SIDE=MODE", value_parser = parse_side_mode)]
    pub ai: Vec<(String, crate::rules::state::Controller)>,
    /// Write every event to this file, one JSON object per line.
    #[arg(long, value_name = "FILE")]
    pub events: Option<PathBuf>,
    /// Print only the final summary.
    #[arg(long)]
    pub quiet: bool,
    /// Save the game at the end to this file (RON), to continue it with `--load`.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// Continue a saved game (its scenario, seed and commanders come from the save);
    /// `--turns N` then plays N more days.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["scenario", "seed", "ai"])]
    pub load: Option<PathBuf>,
}

/// Arguments of `railhead replay`.
#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// The save to replay.
    pub save: PathBuf,
    /// Write every event of the replay to this file, one JSON object per line.
    #[arg(long, value_name = "FILE")]
    pub events: Option<PathBuf>,
}

/// A number of games: a whole number, at least 1.
/// The most games one command plays (`--runs`): checked before anything is allocated.
pub const MAX_RUNS: u64 = 100_000;

/// The most worker threads (`--jobs`).
pub const MAX_JOBS: usize = 256;

fn parse_runs(s: &str) -> Result<u64, String> {
    match s.parse::<u64>() {
        Ok(0) => Err("--runs must be at least 1".into()),
        Ok(n) if n > MAX_RUNS => Err(format!("--runs is at most {MAX_RUNS}")),
        Ok(n) => Ok(n),
        Err(e) => Err(format!("{s:?} is not a number of games: {e}")),
    }
}

fn parse_jobs(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n > MAX_JOBS => Err(format!(
            "--jobs is at most {MAX_JOBS} (0, the default, uses every core)"
        )),
        Ok(n) => Ok(n),
        Err(e) => Err(format!("{s:?} is not a number of threads: {e}")),
    }
}

fn parse_side_mode(s: &str) -> Result<(String, crate::rules::state::Controller), String> {
    use crate::rules::state::Controller;
    let (side, mode) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not SIDE=MODE, e.g. ua=plan"))?;
    let mode = match mode {
        "plan" => Controller::Plan,
        "ai" => Controller::Ai,
        "idle" => Controller::Idle,
        other => return Err(format!("unknown mode `{other}`: use plan, ai or idle")),
    };
    if side.is_empty() {
        return Err("the side is missing, e.g. ua=plan".into());
    }
    Ok((side.to_string(), mode))
}

/// Arguments of `railhead play`.
#[derive(Debug, clap::Args, Default)]
pub struct PlayArgs {
    /// Scenario file (RON), reloaded when it changes on disk. When omitted:
    /// `scenarios/kharkiv_2022.ron` if the working directory has it, else the built-in copy.
    pub scenario: Option<PathBuf>,
    /// Render this many frames, save a screenshot to this PNG file and exit.
    #[arg(long, value_name = "FILE.png")]
    pub screenshot: Option<PathBuf>,
    /// Frames to render before the screenshot.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub frames: u32,
    /// The side you command (a side id, e.g. `ua` or `ru`), `hotseat` for every side at
    /// one screen, or `none` to watch the AI play both. When omitted, a start screen asks.
    /// With `--by-file` or `--load` of a game by file: the side this screen plays.
    #[arg(long, value_name = "SIDE")]
    pub side: Option<String>,
    /// Continue a saved game (its scenario, seed and commanders come from the save).
    #[arg(long, value_name = "FILE", conflicts_with = "scenario")]
    pub load: Option<PathBuf>,
    /// Play by file against someone elsewhere: you play `--side`, they play the other
    /// side; when your phase ends the game is saved to FILE for them to continue with
    /// `railhead play --load FILE --side THEIRS`.
    #[arg(long, value_name = "FILE", conflicts_with = "load")]
    pub by_file: Option<PathBuf>,
    /// Watch a saved game from its first day: `]` steps through the days as they were
    /// played, `[` steps back.
    #[arg(long, value_name = "SAVE", conflicts_with_all = ["scenario", "load", "by_file", "side"])]
    pub replay: Option<PathBuf>,
    /// Play a script of pointer moves, clicks and keys (RON; see `railhead::gui::script`),
    /// print what the screen shows at each `Look` as a JSON line, and close the window.
    #[arg(long, value_name = "STEPS.ron")]
    pub script: Option<PathBuf>,
    /// Redraw continuously, measure the frame time over N frames (after a warm-up),
    /// print its mean, median and 95th percentile, and exit.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(10..=100_000))]
    pub frame_time: Option<u32>,
    /// With `--frame-time`: measure an empty Bevy 2D scene in a window of the same size
    /// instead of the game, for comparison.
    #[arg(long, requires = "frame_time")]
    pub empty_scene: bool,
}

/// Output format of `railhead validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `file:line:column: message (hint: ...)`, one per line on stderr.
    Text,
    /// A JSON array of {file, line, column, message, hint} on stdout.
    Json,
}

/// Arguments of `railhead validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Scenario files to check.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// How to print errors.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Arguments of `railhead map`.
#[derive(Debug, clap::Args)]
pub struct MapArgs {
    /// Scenario file (RON); the built-in Kharkiv 2022 scenario when omitted.
    pub scenario: Option<PathBuf>,
    /// The PNG file to write.
    #[arg(long, short, value_name = "FILE.png")]
    pub out: PathBuf,
    /// Pixels from one hex centre to the next.
    #[arg(long, default_value_t = 26, value_parser = clap::value_parser!(u32).range(8..=80))]
    pub hex_px: u32,
}

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
    fn report(&self, command: &str) {
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
type Outcome = Result<(), CliError>;

/// Runs the command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let (name, outcome) = match cli.command {
        None => return play(PlayArgs::default()),
        Some(Command::Play(args)) => return play(args),
        Some(Command::Validate(args)) => return validate(&args),
        Some(Command::Map(args)) => ("railhead map", map(&args)),
        Some(Command::Run(args)) => ("railhead run", run_game(&args)),
        Some(Command::Demo(args)) => ("railhead demo", demo(&args)),
        Some(Command::Compare(args)) => ("railhead compare", compare(&args)),
        Some(Command::Batch(args)) => ("railhead batch", batch(&args)),
        Some(Command::Calibrate(args)) => ("railhead calibrate", calibrate(&args)),
        Some(Command::Replay(args)) => ("railhead replay", replay(&args)),
        Some(Command::Generate(args)) => ("railhead generate", generate(&args)),
        Some(Command::Study(args)) => match &args.command {
            Some(StudyCommand::Merge(m)) => ("railhead study merge", study_merge(m)),
            None => ("railhead study", study(&args)),
        },
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            e.report(name);
            e.code()
        }
    }
}

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
    let mut controllers = crate::rules::default_controllers(s);
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
    let real = |p: &Path| std::fs::canonicalize(p).ok();
    for (i, out) in outputs.iter().enumerate() {
        crate::render::refuse_to_replace(out)
            .map_err(|e| CliError::Failed(format!("cannot write {}: {e}", out.display())))?;
        // An output that exists is compared by where it really is (links, `./`); one that
        // does not yet exist can only be named twice as it is.
        let out_real = real(out);
        let same = |other: &Path| {
            other == *out
                || out_real
                    .as_ref()
                    .is_some_and(|o| real(other).as_ref() == Some(o))
        };
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

fn demo(args: &DemoArgs) -> Outcome {
    use crate::rules::narrate;
    let scenario = load_for(args.scenario.as_deref())?;
    let controllers = controllers_for(&scenario, &args.ai)?;
    let seed = args.seed.unwrap_or(scenario.seed);
    let record = crate::report::play_recorded(scenario.clone(), seed, controllers, None);
    if !args.quiet {
        for day in &record.days {
            let events: Vec<_> = record
                .events
                .iter()
                .filter(|l| l.turn == day.turn)
                .cloned()
                .collect();
            let lines = narrate::narrate_day(&scenario, &events);
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

fn compare(args: &CompareArgs) -> Outcome {
    let base = load_for(Some(&args.base))?;
    let variant = load_for(Some(&args.variant))?;
    let bc = controllers_for(&base, &args.ai)?;
    let vc = controllers_for(&variant, &args.ai)?;
    let seed = args.seed.unwrap_or(base.seed);
    let b = crate::report::play_recorded(base.clone(), seed, bc.clone(), None);
    let v = crate::report::play_recorded(variant.clone(), seed, vc.clone(), None);
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
    let vw = crate::report::withdrawal_days(&v);
    for (g, day) in crate::report::withdrawal_days(&b) {
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
    let files =
        crate::report::write_compare(&b, &v, spread_ref, &args.out).map_err(CliError::Failed)?;
    say(&wrote_report(&files, &args.out));
    Ok(())
}

fn batch(args: &BatchArgs) -> Outcome {
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

fn calibrate(args: &CalibrateArgs) -> Outcome {
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
    match args.format {
        TableFormat::Text => say_all(
            calibrate::text(&scenario, outcomes.len(), &rows)
                .iter()
                .map(String::as_str),
        ),
        TableFormat::Json => say(&serde_json::to_string_pretty(&rows)
            .map_err(|e| CliError::Failed(format!("cannot write the table: {e}")))?),
    }
    match calibrate::counts(&rows) {
        (_, 0) => Ok(()),
        (judged, outside) => Err(CliError::Failed(format!(
            "{outside} of {judged} facts with a band are outside it"
        ))),
    }
}

/// Every event of a game, one JSON object per line.
fn events_text(sim: &crate::rules::Simulation) -> String {
    crate::rules::events::jsonl(&sim.scenario(), sim.chronicle())
}

fn replay(args: &ReplayArgs) -> Outcome {
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

fn run_game(args: &RunArgs) -> Outcome {
    use crate::rules::{Simulation, narrate};
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
            let lines = narrate::narrate_day(&scenario, &sim.chronicle()[printed..]);
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

fn validate(args: &ValidateArgs) -> ExitCode {
    let mut all: Vec<Diagnostic> = Vec::new();
    for file in &args.files {
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
        match scenario::load_file(file) {
            Ok(s) => {
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
    if all.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn map(args: &MapArgs) -> Outcome {
    distinct(
        &args.scenario.as_deref().into_iter().collect::<Vec<_>>(),
        &[&args.out],
    )?;
    let scenario = scenario::load_or_default(args.scenario.as_deref())?;
    let style = crate::render::MapStyle {
        hex_px: args.hex_px as f32,
        ..Default::default()
    };
    crate::render::write_map_png(&scenario, &style, &args.out)
        .map_err(|e| CliError::Failed(format!("cannot write {}: {e}", args.out.display())))?;
    crate::diag!("wrote {}", args.out.display());
    Ok(())
}

fn generate(args: &GenerateArgs) -> Outcome {
    distinct(&[], &[&args.out])?;
    let spec = scenario::generate::Spec {
        cols: args.cols,
        rows: args.rows,
        units: args.units,
        seed: args.seed,
    };
    scenario::generate::check(&spec).map_err(CliError::Usage)?;
    let text = scenario::generate::generate_text(&spec).map_err(CliError::Failed)?;
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

fn study(args: &StudyArgs) -> Outcome {
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

fn study_merge(args: &MergeArgs) -> Outcome {
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
    let program = std::env::current_exe()
        .map_err(|e| CliError::Failed(format!("cannot tell where railhead is: {e}")))?;
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
    write_file(&script_path, script.text().as_bytes())?;
    say(&format!(
        "Wrote {}: {games} games in {shards} array tasks of {} CPU(s) each, and a merge job.\n\
         Submit it with:  sbatch {}\n\
         When every task has succeeded the merge job writes {} and {}; follow the jobs with `squeue -u $USER`.",
        script_path.display(),
        args.jobs.max(1),
        script_path.display(),
        out.join("results.csv").display(),
        out.join("study.html").display()
    ));
    Ok(())
}

/// Opens the window (its exit code is the command's), or says why it cannot.
fn play(args: PlayArgs) -> ExitCode {
    match window(args) {
        Ok(code) => code,
        Err(e) => {
            e.report("railhead play");
            e.code()
        }
    }
}

#[cfg(feature = "gui")]
impl From<PlayArgs> for crate::gui::Launch {
    fn from(a: PlayArgs) -> Self {
        crate::gui::Launch {
            scenario: a.scenario,
            screenshot: a.screenshot,
            frames: a.frames,
            side: a.side,
            load: a.load,
            by_file: a.by_file,
            replay: a.replay,
            script: a.script,
            frame_time: a.frame_time,
        }
    }
}

#[cfg(feature = "gui")]
fn window(mut args: PlayArgs) -> Result<ExitCode, CliError> {
    if let (Some(frames), true) = (args.frame_time, args.empty_scene) {
        return Ok(crate::gui::frametime::run_empty(frames));
    }
    if let Some(path) = args.load.as_ref().or(args.replay.as_ref()) {
        // The scenario comes from the save (the whole save is checked when the window opens).
        let s = crate::save::Save::read(path)?.scenario(Some(path))?;
        return Ok(crate::gui::run((*s).clone(), args.into()));
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
    Ok(crate::gui::run(scenario, args.into()))
}

#[cfg(not(feature = "gui"))]
fn window(_args: PlayArgs) -> Result<ExitCode, CliError> {
    Err(CliError::Usage(
        "this build has no window (it was built without the `gui` feature).\n\
         Rebuild with default features to play, or use a sub-command: see `railhead --help`."
            .into(),
    ))
}
