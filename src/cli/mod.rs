//! The command line: `railhead` opens the game; sub-commands work headlessly. The
//! arguments are [`args`]'s, what each sub-command does is [`handlers`]'.

pub mod args;
pub mod handlers;

use std::process::ExitCode;

pub use args::Cli;
use args::{Action, PlayArgs, StudyAction};
use handlers::{
    batch, calibrate, compare, contrast, debrief, demo, generate, lesson, map, play, replay,
    run_game, study, study_merge, validate, where_is,
};

/// Runs the command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let (name, outcome) = match cli.command {
        None => return play(PlayArgs::default()),
        Some(Action::Play(args)) => return play(args),
        Some(Action::Validate(args)) => return validate(&args),
        Some(Action::Map(args)) => ("railhead map", map(&args)),
        Some(Action::Where(args)) => ("railhead where", where_is(&args)),
        Some(Action::Run(args)) => ("railhead run", run_game(&args)),
        Some(Action::Demo(args)) => ("railhead demo", demo(&args)),
        Some(Action::Compare(args)) => ("railhead compare", compare(&args)),
        Some(Action::Contrast(args)) => ("railhead contrast", contrast(&args)),
        Some(Action::Debrief(args)) => ("railhead debrief", debrief(&args)),
        Some(Action::Lesson(args)) => ("railhead lesson", lesson(&args)),
        Some(Action::Batch(args)) => ("railhead batch", batch(&args)),
        Some(Action::Calibrate(args)) => ("railhead calibrate", calibrate(&args)),
        Some(Action::Replay(args)) => ("railhead replay", replay(&args)),
        Some(Action::Generate(args)) => ("railhead generate", generate(&args)),
        Some(Action::Study(args)) => match &args.command {
            Some(StudyAction::Merge(m)) => ("railhead study merge", study_merge(m)),
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
