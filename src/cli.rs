//! The command line: `railhead` opens the game; sub-commands work headlessly.

use std::path::PathBuf;
use std::process::ExitCode;

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
    /// scenarios/kharkiv_2022.ron if the working directory has it, else the built-in copy.
    pub scenario: Option<PathBuf>,
    /// Render this many frames, save a screenshot to this PNG file and exit.
    #[arg(long, value_name = "FILE.png")]
    pub screenshot: Option<PathBuf>,
    /// Frames to render before the screenshot.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub frames: u32,
    /// The side you command (a side id, e.g. `ua` or `ru`), `hotseat` for every side at
    /// one screen, or `none` to watch the AI play both. When omitted, a start screen asks.
    #[arg(long, value_name = "SIDE")]
    pub side: Option<String>,
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

/// Runs the command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        None => play(PlayArgs::default()),
        Some(Command::Play(args)) => play(args),
        Some(Command::Validate(args)) => validate(&args),
        Some(Command::Map(args)) => map(&args),
        Some(Command::Run(args)) => run_game(&args),
    }
}

fn run_game(args: &RunArgs) -> ExitCode {
    use crate::rules::{Simulation, narrate, state::Controller};
    let scenario = match scenario::load_or_default(args.scenario.as_deref()) {
        Ok(s) => std::sync::Arc::new(s),
        Err(e) => {
            report(&e.diagnostics);
            return ExitCode::from(1);
        }
    };
    let mut controllers: Vec<Controller> = crate::rules::default_controllers(&scenario);
    for (side, mode) in &args.ai {
        match scenario.side_index(side) {
            Some(i) => controllers[i] = *mode,
            None => {
                eprintln!(
                    "railhead run: there is no side `{side}` in this scenario (sides: {})",
                    scenario.side_list()
                );
                return ExitCode::from(2);
            }
        }
    }
    let seed = args.seed.unwrap_or(scenario.seed);
    let turns = args.turns.unwrap_or(scenario.turns).min(scenario.turns);
    let mut sim = Simulation::new(scenario.clone(), seed, controllers.clone());
    let mut printed = 0;
    while sim.clock().turn <= turns {
        sim.play_day();
        if !args.quiet {
            let day = &sim.chronicle()[printed..];
            for line in narrate::narrate_day(&scenario, day) {
                if say(&line).is_err() {
                    return ExitCode::SUCCESS;
                }
            }
            if say("").is_err() {
                return ExitCode::SUCCESS;
            }
        }
        printed = sim.chronicle().len();
    }
    if let Some(path) = &args.events {
        let mut text = String::new();
        for l in sim.chronicle() {
            text.push_str(&l.to_json().to_string());
            text.push('\n');
        }
        if let Err(e) = crate::render::write_atomically(path, text.as_bytes()) {
            eprintln!("railhead run: cannot write {}: {e}", path.display());
            return ExitCode::from(1);
        }
    }
    for line in narrate::summary(&scenario, sim.world(), seed) {
        if say(&line).is_err() {
            return ExitCode::SUCCESS;
        }
    }
    ExitCode::SUCCESS
}

/// Prints a line on standard output. A reader that has gone away (`railhead run | head`)
/// is not an error worth a panic: the caller stops writing.
fn say(line: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
}

fn report(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}

fn validate(args: &ValidateArgs) -> ExitCode {
    let mut all: Vec<Diagnostic> = Vec::new();
    for file in &args.files {
        match scenario::load_file(file) {
            Ok(s) => {
                if args.format == Format::Text {
                    eprintln!(
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
            Ok(json) => {
                let _ = say(&json);
            }
            Err(e) => {
                eprintln!("railhead: cannot write JSON: {e}");
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

fn map(args: &MapArgs) -> ExitCode {
    let scenario = match scenario::load_or_default(args.scenario.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            report(&e.diagnostics);
            return ExitCode::from(1);
        }
    };
    let style = crate::render::MapStyle {
        hex_px: args.hex_px as f32,
        ..Default::default()
    };
    match crate::render::write_map_png(&scenario, &style, &args.out) {
        Ok(()) => {
            eprintln!("wrote {}", args.out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("railhead: cannot write {}: {e}", args.out.display());
            ExitCode::from(1)
        }
    }
}

#[cfg(feature = "gui")]
fn play(mut args: PlayArgs) -> ExitCode {
    // With no file named, play the Kharkiv file of the working directory if there is one
    // (so that editing it reloads the game), else the built-in copy.
    if args.scenario.is_none() {
        let local = std::path::Path::new(scenario::KHARKIV_2022_NAME);
        if local.is_file() {
            args.scenario = Some(local.to_path_buf());
        }
    }
    let scenario = match scenario::load_or_default(args.scenario.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            report(&e.diagnostics);
            return ExitCode::from(1);
        }
    };
    crate::gui::run(scenario, args)
}

#[cfg(not(feature = "gui"))]
fn play(_args: PlayArgs) -> ExitCode {
    eprintln!(
        "railhead: this build has no window (it was built without the `gui` feature).\n\
         Rebuild with default features to play, or use a sub-command: see `railhead --help`."
    );
    ExitCode::from(2)
}
