//! The command line's arguments: the sub-commands and their options, as clap reads them,
//! with the checks of values clap cannot make alone (`--shard I/N`, `--jobs`, `--ai`).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Railhead: a turn-based operational wargame about rail supply.
///
/// With no sub-command, opens the game window on the Kharkiv 2022 scenario.
#[derive(Debug, Parser)]
#[command(name = "railhead", version, about, long_about = None, after_help = "With no command, railhead opens the game window on the built-in Kharkiv 2022 scenario.")]
pub struct Cli {
    /// What to do; `play` when omitted.
    #[command(subcommand)]
    pub command: Option<Action>,
}

/// The sub-commands: what `railhead` is asked to do.
#[derive(Debug, Subcommand)]
pub enum Action {
    /// Open the game window on a scenario (the default).
    Play(PlayArgs),
    /// Check scenario files and report every error with file, line and column.
    ///
    /// Exits 0 when every file is valid, 1 when any is not, 2 on a usage error.
    Validate(ValidateArgs),
    /// Draw a scenario's map to a PNG file, without a window or GPU.
    Map(MapArgs),
    /// Say which hex a point falls in (`railhead where FILE LAT LON`, or `--hex COL ROW`),
    /// what the rules see there (terrain, control, places, rail, roads, depots, units, the
    /// river sides along it) and the nearest river side and crossing.
    Where(WhereArgs),
    /// Play a scenario headlessly, AI against AI, narrating each day.
    Run(RunArgs),
    /// A classroom demonstration: play the scenario, narrate each day and write a report
    /// (report.html with maps, charts, timeline and narration; daily.csv; events.jsonl).
    Demo(DemoArgs),
    /// Play a base scenario and a what-if variant and report them side by side.
    Compare(CompareArgs),
    /// Two scenarios side by side: in each, the grouping whose withdrawal the history
    /// dates, its supply day by day, what cut it (capture or strikes), when and why it was
    /// ordered back, how long the withdrawal took and what was left behind, with the
    /// sources' dates beside the model's. Writes report.html.
    Contrast(ContrastArgs),
    /// After a class played: each student's saved game beside history, the lesson's game
    /// and the AI's games on the same day. Writes debrief.html.
    Debrief(DebriefArgs),
    /// A lesson file (lessons/*.ron): its guided tour in the window; its worksheet and
    /// answer key with the game's own numbers (--worksheet DIR); its teacher's notes
    /// (--notes).
    Lesson(LessonArgs),
    /// Play many seeded games in parallel and print the distribution of their outcomes.
    Batch(BatchArgs),
    /// Play many seeded games and set each dated fact of the scenario's history (and each
    /// territory figure) beside the games' median and 5th-95th percentile, judged against
    /// its band.
    ///
    /// Exits 0 when every fact with a band is inside it, 1 when any is outside, 2 on a
    /// usage error. A what-if variant exits 0: the facts it departs from are its answer,
    /// named at the end.
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
    pub command: Option<StudyAction>,
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
    #[arg(long, value_name = "P", requires = "slurm_script", value_parser = crate::study::slurm::partition)]
    pub partition: Option<String>,
    /// With `--slurm-script`: the time limit of each task, as Slurm writes it (e.g.
    /// `01:00:00`); the partition's default when omitted.
    #[arg(long, value_name = "T", requires = "slurm_script", value_parser = crate::study::slurm::time_limit)]
    pub time: Option<String>,
    /// Print only what was written, not the summary of outcomes.
    #[arg(long)]
    pub quiet: bool,
}

/// The sub-commands of `railhead study`.
#[derive(Debug, Subcommand)]
pub enum StudyAction {
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
    /// A real place: latitude and longitude of the map's north-west hex (0, 0), in
    /// decimal degrees, e.g. `--origin 47.30,32.20`.
    #[arg(long, value_name = "LAT,LON", value_parser = lat_lon, allow_hyphen_values = true)]
    pub origin: Option<(f64, f64)>,
    /// Kilometres from one hex centre to the next (0.5 - 50; 5 when omitted).
    #[arg(long, value_name = "KM", requires = "origin")]
    pub hex_km: Option<f64>,
    /// A folder of GeoJSON layers, in the scenario's folder or below it: `rivers.geojson`,
    /// `places.geojson`, `roads.geojson`, `terrain.geojson`, `rail.geojson` (whichever are
    /// there). The scenario reads them (`geography`); they replace the made-up rivers,
    /// towns, roads, terrain and rail network; the front, units and plan are made up.
    #[arg(long, value_name = "DIR", requires = "origin")]
    pub geo: Option<PathBuf>,
}

/// `LAT,LON` in decimal degrees.
fn lat_lon(s: &str) -> Result<(f64, f64), String> {
    let (a, b) = s
        .split_once(',')
        .ok_or_else(|| format!("`{s}` is not LAT,LON (e.g. 47.30,32.20)"))?;
    let (lat, lon): (f64, f64) = (
        a.trim()
            .parse()
            .map_err(|_| format!("`{a}` is not a latitude"))?,
        b.trim()
            .parse()
            .map_err(|_| format!("`{b}` is not a longitude"))?,
    );
    if !(-80.0..=80.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(format!(
            "({lat}, {lon}) is not a latitude within 80 degrees of the equator and a longitude"
        ));
    }
    Ok((lat, lon))
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
    /// Games of each (from the seed on) over which the report states its answer: how often
    /// and when each grouping was ordered back, territory, losses and captures; 1 compares the
    /// two games shown alone.
    #[arg(long, default_value_t = 20, value_name = "N", value_parser = parse_runs)]
    pub runs: u64,
    /// Folder to write the report into.
    #[arg(long, default_value = "compare-out", value_name = "DIR")]
    pub out: PathBuf,
    /// Who commands a side, as for `railhead run`.
    #[arg(long = "ai", value_name = "SIDE=MODE", value_parser = parse_side_mode)]
    pub ai: Vec<(String, crate::rules::state::Controller)>,
}

/// Arguments of `railhead lesson`.
#[derive(Debug, clap::Args)]
pub struct LessonArgs {
    /// The lesson file (RON; see docs/lessons.md).
    pub file: PathBuf,
    /// Write the worksheet (worksheet.html) and its answer key (answers.html) into this
    /// folder, with PDFs beside them when Chromium is installed.
    #[arg(long, value_name = "DIR")]
    pub worksheet: Option<PathBuf>,
    /// Print the teacher's notes: each step with its day, text, question and the game's
    /// answer, and the decision's choices played over their games.
    #[arg(long)]
    pub notes: bool,
    /// Threads for the decision's games (all cores when 0).
    #[arg(long, default_value_t = 0, value_name = "J")]
    pub jobs: usize,
    /// In the window: play a list of pointer moves, clicks and keys as `railhead play
    /// --script` does (for tests, and for recording the lesson's pictures).
    #[arg(long, value_name = "STEPS.ron")]
    pub script: Option<PathBuf>,
}

/// Arguments of `railhead debrief`.
#[derive(Debug, clap::Args)]
pub struct DebriefArgs {
    /// The students' saves (all of one scenario).
    #[arg(required = true, num_args = 1..)]
    pub saves: Vec<PathBuf>,
    /// The lesson they played: its game beside theirs, its seed the first of the AI's games.
    #[arg(long, value_name = "FILE")]
    pub lesson: Option<PathBuf>,
    /// The AI's games to set beside them.
    #[arg(long, default_value_t = 20, value_name = "N", value_parser = parse_runs)]
    pub runs: u64,
    /// Seed of the AI's first game (the lesson's seed, else 1, when omitted).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Folder to write debrief.html into.
    #[arg(long, default_value = "debrief-out", value_name = "DIR")]
    pub out: PathBuf,
}

/// Arguments of `railhead contrast`.
#[derive(Debug, clap::Args)]
pub struct ContrastArgs {
    /// The first scenario file (say, the Kharkiv one).
    pub first: PathBuf,
    /// The second scenario file (say, the Kherson one).
    pub second: PathBuf,
    /// Seed of the dice for the games shown; each scenario's own seed when omitted.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Games of each (from the seed on) over which the model is set beside history.
    #[arg(long, default_value_t = 20, value_name = "N", value_parser = parse_runs)]
    pub runs: u64,
    /// Folder to write the page into.
    #[arg(long, default_value = "contrast-out", value_name = "DIR")]
    pub out: PathBuf,
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
    /// Seed of the dice of every new game; a fresh seed for each when omitted (shown in
    /// the top bar; a save keeps its own).
    #[arg(long, value_name = "N", conflicts_with_all = ["load", "replay"])]
    pub seed: Option<u64>,
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
    /// Fail (exit 1) on warnings too: what is legal but likely a mistake (a unit that can
    /// reach no depot on day 1, a fallback line on enemy ground, an objective no one can
    /// reach ...).
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Arguments of `railhead where`.
#[derive(Debug, clap::Args)]
#[command(allow_negative_numbers = true)]
pub struct WhereArgs {
    /// Scenario file (RON).
    pub scenario: PathBuf,
    /// Latitude, decimal degrees north.
    #[arg(
        required_unless_present = "hex",
        requires = "lon",
        allow_hyphen_values = true
    )]
    pub lat: Option<f64>,
    /// Longitude, decimal degrees east.
    #[arg(allow_hyphen_values = true)]
    pub lon: Option<f64>,
    /// A hex by column and row instead of a point.
    #[arg(long, num_args = 2, value_names = ["COL", "ROW"], conflicts_with = "lat")]
    pub hex: Option<Vec<i32>>,
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
    /// Draw what the rules see: hex coordinates (every hex from --hex-px 48, every 2nd
    /// from 30, else every 5th), the hex sides counted as river sides (blue; magenta with
    /// a crossing), each crossing's hex, and roads and rail links hex by hex.
    #[arg(long)]
    pub grid: bool,
}
