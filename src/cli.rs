//! The command line: the command list, and turning a command's result into
//! an exit code (the only place that does).

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::cmd;
use crate::error::exit;

const AFTER_HELP: &str = "\
Exit codes:
  0  success
  1  runtime failure (an input unreadable or undecodable, an output not writable)
  2  bad usage or configuration (unknown flag, missing input, broken instrument/register file)
  3  --strict and the data had at least one error or warning
  4  another run holds the lock on the output folder (--wait waits instead)";

#[derive(Parser, Debug)]
#[command(name = "kompass", version, about = "Batch pipeline for Kommunkompassen evaluations", after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    #[command(about = cmd::validate::ABOUT, long_about = cmd::validate::LONG_ABOUT, after_help = AFTER_HELP)]
    Validate(cmd::validate::Args),
    #[command(about = cmd::link::ABOUT, long_about = cmd::link::LONG_ABOUT, after_help = AFTER_HELP)]
    Link(cmd::link::Args),
    #[command(about = cmd::run::ABOUT, after_help = AFTER_HELP)]
    Run(cmd::run::Args),
    #[command(about = cmd::synth::ABOUT, long_about = cmd::synth::LONG_ABOUT, after_help = AFTER_HELP)]
    Synth(cmd::synth::Args),
}

/// Parses the arguments, runs the command and returns the exit code.
pub fn main_with_args<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            });
        }
    };
    let result = match &cli.command {
        Command::Validate(args) => cmd::validate::run(args),
        Command::Link(args) => cmd::link::run(args),
        Command::Run(args) => cmd::run::run(args),
        Command::Synth(args) => cmd::synth::run(args),
    };
    match result {
        Ok(()) => ExitCode::from(exit::OK),
        Err(e) => {
            eprintln!("kompass: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
