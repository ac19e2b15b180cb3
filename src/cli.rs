//! The command line: the command list, and turning a command's result into
//! an exit code (the only place that does, but for an interrupt's 130:
//! `io::outdir::interrupt`).

use std::ffi::OsString;
use std::process::ExitCode;

use clap::error::{ContextValue, ErrorKind};
use clap::{Parser, Subcommand};

use crate::cmd;
use crate::error::{Error, exit};
use std::io::Write as _;

const AFTER_HELP: &str = "\
Exit codes:
  0  success
  1  runtime failure (an input unreadable, undecodable or without a recognisable header;
     a register, instrument, published or config file that cannot be read; an output not
     writable)
  2  bad usage or configuration (unknown flag or value, missing input, broken instrument,
     register or published file)
  3  --strict and the data had at least one error or warning
  4  another run or synth holds the lock on the output folder (--wait waits instead,
     but a run into a folder synth is generating exits 4 at once, --wait or not)
  5  internal error: a bug in kompass (a worker's panic, an error inside polars):
     please report it with the command
  130  interrupted (SIGINT, SIGTERM, SIGHUP): the previous output is left as it was
       (an interrupt after the output swap leaves the new output, whole); an
       interrupted synth leaves its files and what is left of its earlier
       generation listed as unfinished, which the next synth into the folder
       removes and a run refuses to read";

#[derive(Parser, Debug)]
#[command(name = "kompass", version, about = "Batch pipeline for Kommunkompassen evaluations", after_help = AFTER_HELP, styles = clap::builder::Styles::plain())]
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
    #[command(about = cmd::run::ABOUT, long_about = cmd::run::LONG_ABOUT, after_help = AFTER_HELP)]
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
        Err(e) if e.use_stderr() => {
            // A usage error quotes what was given, written out where it
            // would act on a terminal (clap wrote it as given there). The
            // parser writes no colours (`Styles::plain`), whose escape
            // sequences nothing would tell from a value's, so its text is
            // taken as it is (`ansi`; clap's plain text strips whatever
            // reads as a sequence: a value's last ESC took the message's
            // next letters, `'as not a seed`). A huge value is cut; the
            // help that `kompass` alone shows is not.
            let text = match e.kind() {
                ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => e.render().to_string(),
                _ => usage_error(&e),
            };
            let text = crate::io::terminal::escaped(&text, true);
            let _ = write!(std::io::stderr(), "{text}");
            return ExitCode::from(exit::USAGE);
        }
        Err(e) => {
            // Help or version that cannot be written (a full disk; not a
            // reader that closed the pipe, which is no error) is a failure.
            if let Err(w) = e.print()
                && w.kind() != std::io::ErrorKind::BrokenPipe
            {
                let _ = writeln!(std::io::stderr(), "kompass: writing to stdout: {w}");
                return ExitCode::from(exit::RUNTIME);
            }
            return ExitCode::from(exit::OK);
        }
    };
    // An interrupted run leaves no staging folder or lock file behind.
    let _ = ctrlc::set_handler(|| crate::io::outdir::on_interrupt(i32::from(exit::INTERRUPTED)));
    // A panic is a bug: one line that says so, exit code 5, and what the
    // run in progress would leave behind removed.
    std::panic::set_hook(Box::new(|info| {
        let text = Error::Internal(info.to_string()).to_string();
        let _ = writeln!(
            std::io::stderr(),
            "kompass: {}",
            crate::io::terminal::escaped(&text, false)
        );
    }));
    let result = std::panic::catch_unwind(|| match &cli.command {
        Command::Validate(args) => cmd::validate::run(args),
        Command::Link(args) => cmd::link::run(args),
        Command::Run(args) => cmd::run::run(args),
        Command::Synth(args) => cmd::synth::run(args),
    });
    match result {
        // The run is done, but what it printed (its summary) was lost: a
        // failure to write an output.
        Ok(Ok(())) => match crate::io::stdout_failure() {
            Some(why) => {
                let _ = writeln!(
                    std::io::stderr(),
                    "kompass: writing to stdout: {why} (what it printed was lost, the \
                     summary with it; the files of its output folder are in place)"
                );
                ExitCode::from(exit::RUNTIME)
            }
            None => ExitCode::from(exit::OK),
        },
        Ok(Err(e)) => {
            let text = e.to_string();
            // One line: a line feed in a path or a value is written out.
            let text = crate::io::terminal::escaped(&text, false);
            let _ = writeln!(std::io::stderr(), "kompass: {}", clipped(&text));
            ExitCode::from(e.exit_code())
        }
        Err(_) => crate::io::outdir::clean_up_and_exit(i32::from(exit::INTERNAL)),
    }
}

/// A usage error as printed: each value it quotes cut to its ends where
/// huge (as often as it quotes it: `invalid value '9…9' for '--evaluations
/// <N>': '9…9' is not a number ...`), so that the message still names the
/// flag; then the message, as [`clipped`].
fn usage_error(e: &clap::Error) -> String {
    let mut text = e.render().ansi().to_string();
    for (_, value) in e.context() {
        if let ContextValue::String(value) = value
            && let Some(cut) = crate::io::terminal::clip(value, 300, (200, 60))
        {
            text = text.replace(value.as_str(), &cut);
        }
    }
    clipped(&text).into_owned()
}

/// An error message as printed: one that quotes a huge value (a 100 MB
/// config value, a 20 MB register cell) keeps its first 1,000 characters
/// (file, line, column) and its last 200, and says how many are left out
/// between, as `rejects.csv`'s messages do ([`terminal::clip`]).
///
/// [`terminal::clip`]: crate::io::terminal::clip
fn clipped(message: &str) -> std::borrow::Cow<'_, str> {
    crate::io::terminal::clip(message, 1300, (1000, 200)).map_or(message.into(), Into::into)
}

#[cfg(test)]
mod message_tests {
    #[test]
    fn a_huge_message_keeps_its_ends() {
        let long = format!(
            "k.toml: line 3: lang = \"{}\": unknown",
            "x".repeat(100_000)
        );
        let shown = super::clipped(&long);
        assert!(shown.len() < 1400, "{}", shown.len());
        assert!(shown.starts_with("k.toml: line 3: lang = \"xx"));
        assert!(shown.ends_with("xx\": unknown"));
        // 24 + 100,000 + 10 characters, less 1,000 and 200 kept.
        assert!(
            shown.contains(" … [98834 characters left out] … "),
            "{shown}"
        );
        assert_eq!(super::clipped("short"), "short");
    }

    /// The exit codes in `kompass --help` and in the README's table are
    /// exactly those of `error::exit`, in order.
    #[test]
    fn the_help_and_the_readme_list_every_exit_code() {
        let listed =
            |lines: Vec<&str>| -> Vec<u8> { lines.iter().filter_map(|c| c.parse().ok()).collect() };
        let help = (super::AFTER_HELP.lines())
            .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        assert_eq!(listed(help), super::exit::ALL);
        let readme = include_str!("../README.md");
        let table = readme
            .split("| code | meaning |")
            .nth(1)
            .expect("the README's exit-code table");
        let rows = (table.lines().skip(2))
            .take_while(|l| l.starts_with('|'))
            .filter_map(|l| l.split('|').nth(1).map(str::trim))
            .collect();
        assert_eq!(listed(rows), super::exit::ALL);
    }
}
