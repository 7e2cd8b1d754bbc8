//! The `railhead` binary: parses the command line and hands over to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    railhead::cli::run(railhead::cli::Cli::parse())
}
