//! Errors that end a command, and the one place where they become exit
//! codes (`cli` sets the process's code from them; an interrupt's 130 is
//! set by `io::outdir::interrupt`, which exits from its signal thread).
//!
//! Data problems inside input rows are not errors of this kind: they are
//! findings (see `rules`) written to `rejects.csv` and `validation.csv`.

pub mod meant;

use std::fmt;
use std::path::{Path, PathBuf};

/// Exit codes, documented in the README and in `kompass --help`.
pub mod exit {
    /// Success (or, for a scheduled run, nothing to do).
    pub const OK: u8 = 0;
    /// Runtime failure: an input could not be read or decoded, an output
    /// could not be written.
    pub const RUNTIME: u8 = 1;
    /// Bad usage or configuration: an unknown flag, a broken instrument or
    /// register file.
    pub const USAGE: u8 = 2;
    /// `--strict` and the data had at least one error or warning.
    pub const DATA: u8 = 3;
    /// Another run holds the lock on the output folder.
    pub const LOCKED: u8 = 4;
    /// An internal error: a bug in kompass.
    pub const INTERNAL: u8 = 5;
    /// Interrupted by SIGINT, SIGTERM or SIGHUP.
    pub const INTERRUPTED: u8 = 130;
    /// Every code, in order (the help text and the README list these).
    pub const ALL: [u8; 7] = [OK, RUNTIME, USAGE, DATA, LOCKED, INTERNAL, INTERRUPTED];
}

/// Where in a file an error is: its line (1-based), its column (a CSV
/// column's name, a TOML file's character position) and the offending
/// value, as far as known. Shown before the message: `line 3, column
/// population: '12x' is not a whole number` (the message quotes the value
/// in its own words).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    pub line: Option<u64>,
    pub column: Option<String>,
    pub value: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, &self.column) {
            (Some(line), Some(column)) => write!(f, "line {line}, column {column}: "),
            (Some(line), None) => write!(f, "line {line}: "),
            (None, Some(column)) => write!(f, "column {column}: "),
            (None, None) => Ok(()),
        }
    }
}

/// An error that stops a command.
#[derive(Debug)]
pub enum Error {
    /// The command line asks for something impossible.
    Usage(String),
    /// A configuration file (instrument, register) is unusable.
    Config {
        path: PathBuf,
        at: Box<Location>,
        msg: String,
    },
    /// An input file cannot be processed at all (unreadable, undecodable, a
    /// broken header; one with no recognisable header is
    /// [`Error::NotExport`]).
    Input {
        path: PathBuf,
        at: Box<Location>,
        msg: String,
    },
    /// An input file is not an export at all (no recognisable header, or
    /// empty): an error when named, skipped when found in an input folder.
    NotExport { path: PathBuf, msg: String },
    /// Reading or writing a file failed.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// `--strict` (`by`: as the user asked for it) and the data had
    /// findings.
    Strict {
        by: String,
        errors: usize,
        warnings: usize,
        /// Of the warnings: outputs written with characters their
        /// encoding lacks (said on stderr, not among the findings).
        lossy: usize,
    },
    /// Another run is writing the same output folder, or `synth` the
    /// folder it generates into ([`Holder`]). `pid` is the other
    /// command's, as its lock file names it.
    Locked {
        out: PathBuf,
        lock: PathBuf,
        pid: Option<u32>,
        holder: Holder,
    },
    /// A bug in kompass (a worker's panic, an error inside polars).
    Internal(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn config(path: &Path, msg: impl Into<String>) -> Self {
        Error::Config {
            path: path.to_path_buf(),
            at: Box::default(),
            msg: msg.into(),
        }
    }

    pub fn input(path: &Path, msg: impl Into<String>) -> Self {
        Error::Input {
            path: path.to_path_buf(),
            at: Box::default(),
            msg: msg.into(),
        }
    }

    /// The error at line `line` of its file (a configuration or input
    /// error; any other is returned as it is).
    pub fn at_line(mut self, line: u64) -> Self {
        if let Some(at) = self.location_mut() {
            at.line = Some(line);
        }
        self
    }

    /// The error in the cell at `line`, `column`, holding `value`.
    pub fn at_cell(mut self, line: u64, column: &str, value: &str) -> Self {
        if let Some(at) = self.location_mut() {
            **at = Location {
                line: Some(line),
                column: Some(column.to_string()),
                value: Some(value.to_string()),
            };
        }
        self
    }

    /// Where in its file the error is, if it is about a file's content
    /// (for the tests: messages give it).
    #[cfg(test)]
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::Config { at, .. } | Error::Input { at, .. } => Some(at),
            _ => None,
        }
    }

    fn location_mut(&mut self) -> Option<&mut Box<Location>> {
        match self {
            Error::Config { at, .. } | Error::Input { at, .. } => Some(at),
            _ => None,
        }
    }

    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) | Error::Config { .. } => exit::USAGE,
            Error::Input { .. } | Error::NotExport { .. } | Error::Io { .. } => exit::RUNTIME,
            Error::Strict { .. } => exit::DATA,
            Error::Locked { .. } => exit::LOCKED,
            Error::Internal(_) => exit::INTERNAL,
        }
    }
}

/// What holds the lock on a folder, as far as the command it stops can
/// tell (the lock file names a pid, not a command).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// A run writing the folder, kompass's output (what a run finds).
    Run,
    /// `synth`, generating data into a folder that is no output of
    /// kompass's (a run finds the lock held there).
    Synth,
    /// A run or a generation: what `synth` finds holding its folder.
    RunOrSynth,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(msg) => write!(f, "{msg}"),
            Error::Config { path, at, msg } | Error::Input { path, at, msg } => {
                write!(f, "{}: {at}{msg}", crate::io::text_of(path))
            }
            Error::NotExport { path, msg } => write!(f, "{}: {msg}", crate::io::text_of(path)),
            Error::Io { path, source } => write!(f, "{}: {source}", crate::io::text_of(path)),
            Error::Strict {
                by,
                errors,
                warnings,
                lossy,
            } => {
                write!(
                    f,
                    "{by}: the data has {errors} error(s) and {warnings} warning(s)"
                )?;
                if *lossy > 0 {
                    write!(
                        f,
                        " ({lossy} of them an output written with characters its encoding \
                         lacks, named above)"
                    )?;
                }
                Ok(())
            }
            Error::Internal(msg) => write!(
                f,
                "internal error, please report it (with the command you ran): {msg}"
            ),
            Error::Locked {
                out,
                lock,
                pid,
                holder: holder @ (Holder::Run | Holder::RunOrSynth),
            } => {
                let (who, what) = match holder {
                    Holder::Run => ("run", "this output folder"),
                    _ => ("run or synth", "this folder"),
                };
                write!(
                    f,
                    "{}: another kompass {who}{} is writing {what} (lock {}); try again later or \
                     pass --wait",
                    crate::io::shown(out),
                    pid_text(*pid),
                    crate::io::shown(lock)
                )
            }
            Error::Locked {
                out,
                lock,
                pid,
                holder: Holder::Synth,
            } => write!(
                f,
                "{}: kompass synth{} is generating data in this folder now (lock {}): it is no output \
                 folder of kompass's, and once generated it is data to read (-i {}), not a folder \
                 kompass replaces; choose another --out",
                crate::io::shown(out),
                pid_text(*pid),
                crate::io::shown(lock),
                crate::io::shown(out)
            ),
        }
    }
}

impl std::error::Error for Error {}

/// " (pid N)" for the run a lock file names, or nothing.
fn pid_text(pid: Option<u32>) -> String {
    pid.map(|p| format!(" (pid {p})")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_located_error_carries_and_shows_its_place() {
        let path = Path::new("register.csv");
        let e = Error::config(path, "'12x' is not a whole number").at_cell(3, "population", "12x");
        assert_eq!(
            e.to_string(),
            "register.csv: line 3, column population: '12x' is not a whole number"
        );
        let at = e.location().unwrap();
        assert_eq!(
            (at.line, at.column.as_deref(), at.value.as_deref()),
            (Some(3), Some("population"), Some("12x"))
        );
        assert_eq!(e.exit_code(), exit::USAGE);
        let e = Error::input(Path::new("in.csv"), "CSV error").at_line(7);
        assert_eq!(e.to_string(), "in.csv: line 7: CSV error");
        assert_eq!(Error::Usage("x".into()).at_line(2).location(), None);
    }
}
