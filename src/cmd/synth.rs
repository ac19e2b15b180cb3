//! `kompass synth`: generate realistic synthetic evaluation exports.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::error::{Error, Holder, Result};
use crate::ingest::{self, ReadOptions, header::Layout};
use crate::io;
use crate::reference::instrument::Instruments;
use crate::reference::register::Register;
use crate::run::path_value::PathValue;
use crate::run::pipeline;
use crate::synth::{self, SynthOptions, export::ExportDialect};
use crate::validate::rules::Rule;

pub const ABOUT: &str = "Generate realistic synthetic evaluation exports (seeded, deterministic)";

pub const LONG_ABOUT: &str = "\
Generate realistic synthetic Kommunkompassen evaluation exports. The same \
arguments give byte-identical files. Municipalities come from the register; \
when N needs more than real histories hold, municipalities with 6-digit codes \
starting with 9 are invented and written with the real register to \
meta/register.csv (pass it to --register when validating).

Writes into --out:
  evaluations.csv (or evaluations_001.csv ... with --files)
  meta/truth.json   the generator's parameters and what it realised
  meta/faults.csv   every planted fault: file, line, rule, note";

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Number of evaluations (municipality, year, scale) to generate: 1 to
    /// 10,000,000 (about 1.2 kB each in the long layout, so that a typo
    /// cannot fill a disk).
    #[arg(short = 'n', long, value_name = "N", allow_negative_numbers = true,
          value_parser = evaluations)]
    pub evaluations: u64,

    /// Random seed, 0 to 18446744073709551615.
    #[arg(long, default_value_t = 1, allow_negative_numbers = true, value_parser = seed)]
    pub seed: u64,

    /// Output folder.
    #[arg(short, long, value_name = "DIR", value_parser = PathValue)]
    pub out: PathBuf,

    /// Export layout.
    #[arg(long, value_enum, ignore_case = true, default_value_t)]
    pub layout: Layout,

    /// Export dialect.
    #[arg(long, value_enum, ignore_case = true, default_value_t)]
    pub dialect: ExportDialect,

    /// Countries, comma-separated (SE, NO, DK).
    #[arg(long, value_delimiter = ',', default_value = "SE")]
    pub countries: Vec<String>,

    /// Share of evaluations with one planted fault (0 to 1).
    #[arg(
        long,
        value_name = "RATE",
        default_value_t = 0.0,
        allow_negative_numbers = true,
        value_parser = rate
    )]
    pub faults: f64,

    /// Number of export files, 1 to the number of evaluations (each holds
    /// at least one).
    #[arg(long, value_name = "K", default_value_t = 1, allow_negative_numbers = true, value_parser = files)]
    pub files: u32,

    /// Municipality register to draw from (default: the shipped one).
    #[arg(long, value_name = "PATH", value_parser = PathValue)]
    pub register: Option<PathBuf>,

    /// Exports (files or folders) whose municipalities synth must not use,
    /// so synthetic data never collides with real published evaluations.
    #[arg(long, value_name = "PATH", num_args = 1.., value_parser = PathValue)]
    pub avoid: Vec<PathBuf>,

    /// Folder of instrument definitions (default: the shipped ones).
    #[arg(long, value_name = "DIR", value_parser = PathValue)]
    pub instruments: Option<PathBuf>,

    /// Wait for another generation or run on the same folder instead of
    /// exiting 4.
    #[arg(long)]
    pub wait: bool,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `--seed`: a whole number from 0 to `u64::MAX` ("invalid digit found in
/// string" said nothing of what a seed is).
fn seed(text: &str) -> std::result::Result<u64, String> {
    (text.trim().parse()).map_err(|_| {
        format!(
            "'{text}' is not a seed: give a whole number from 0 to {}",
            u64::MAX
        )
    })
}

/// The most evaluations one generation writes.
const MOST_EVALUATIONS: u64 = 10_000_000;

/// `-n`: a whole number from 1 to [`MOST_EVALUATIONS`] (`-n -1` was "an
/// unexpected argument", `-n 1.5` "invalid digit found in string").
fn evaluations(text: &str) -> std::result::Result<u64, String> {
    (text.trim().parse().ok())
        .filter(|n| (1..=MOST_EVALUATIONS).contains(n))
        .ok_or_else(|| {
            format!(
                "'{text}' is not a number of evaluations: give a whole number from 1 to \
                 {MOST_EVALUATIONS}"
            )
        })
}

/// `--faults`: a number ("invalid float literal" said nothing of what is
/// asked; its range, 0 to 1, is checked with the other options).
fn rate(text: &str) -> std::result::Result<f64, String> {
    (text.trim().parse()).map_err(|_| {
        format!("'{text}' is not a share of evaluations: give a number from 0 to 1 (e.g. 0.05)")
    })
}

/// `--files`: a whole number from 1 (its upper bound, the number of
/// evaluations, is checked with them).
fn files(text: &str) -> std::result::Result<u32, String> {
    (text.trim().parse().ok())
        .filter(|&k| k >= 1)
        .ok_or_else(|| format!("'{text}' is not a number of files: give a whole number from 1 to the number of evaluations (-n)"))
}

pub fn run(args: &Args) -> Result<()> {
    let settings = pipeline::Settings {
        register: args.register.clone(),
        instruments: args.instruments.clone(),
        ..pipeline::Settings::default()
    };
    let (instruments, register) = crate::run::arguments::reference(&settings)?;
    let mut countries: Vec<String> = args
        .countries
        .iter()
        .map(|c| c.trim().to_uppercase())
        .collect();
    // Each country once, in the order given (`SE,NO,SE` is SE and NO: a
    // country twice would be drawn twice over).
    let mut seen = std::collections::HashSet::new();
    countries.retain(|c| seen.insert(c.clone()));
    let avoid = if args.avoid.is_empty() {
        Vec::new()
    } else {
        avoided(&args.avoid, &instruments, &register)?
    };
    let opts = SynthOptions {
        avoid,
        register_path: args.register.clone(),
        evaluations: args.evaluations,
        seed: args.seed,
        out: args.out.clone(),
        layout: args.layout,
        dialect: args.dialect,
        countries,
        faults: args.faults,
        files: args.files,
        progress: !args.quiet && std::io::stderr().is_terminal(),
    };
    // One generation at a time into a folder, and none while a run writes
    // it: the lock `run` takes (`.<out>.lock` beside the folder, found
    // from the resolved path as `run` finds it), with what a killed run
    // left removed first; released and removed when the generation ends.
    // Its lock file names the holder's pid, not its command: a run or
    // another generation.
    let lock = io::outdir::take(&io::resolved(&args.out), args.wait).map_err(|e| match e {
        Error::Locked { out, lock, pid, .. } => Error::Locked {
            out,
            lock,
            pid,
            holder: Holder::RunOrSynth,
        },
        e => e,
    })?;
    let real = synth::generate(&opts, &instruments, &register)?;
    drop(lock);
    if !args.quiet {
        io::print(&format!(
            "synth: {} evaluations, {} rows, {} municipalities ({} invented), {} faults planted ({} findings expected), {} old/new pairs, into {}\n",
            real.evaluations,
            real.rows,
            real.municipalities,
            real.invented_municipalities,
            real.faults,
            real.expected_findings,
            real.pairs_old_new,
            io::named(&args.out)
        ));
    }
    Ok(())
}

/// The municipalities (country, code) the exports `avoid` name: those of
/// the evaluations read, and of rows rejected (a real one whose row had a
/// malformed score was drawn into the set) where the register knows the
/// code, or knows it with the leading zeros Excel drops (`115` is 0115),
/// or as a code before a reform (Bærum's `0219` is 3201);
/// not from a row whose cells were shifted (`field-count`): its code
/// cell may hold a year.
fn avoided(
    avoid: &[PathBuf],
    instruments: &Instruments,
    register: &Register,
) -> Result<Vec<(String, String)>> {
    let paths = io::discover(avoid).map_err(avoid_error)?;
    let read = ingest::read_all(
        &paths,
        ReadOptions::default(),
        (instruments, register),
        None,
    )
    .map_err(avoid_error)?;
    let known = |country: &str, code: &str| {
        let width = register.code_widths(country)?.first().copied()?;
        let digits = !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit());
        let code = format!("{code:0>width$}");
        // A code from before a reform is its municipality's today.
        let code = (register.kept_under(country, &code)).map_or(code, str::to_string);
        (digits && register.get(country, &code).is_some()).then(|| (country.to_string(), code))
    };
    let named = (read.findings.iter())
        .filter(|f| !matches!(f.rule, Rule::FieldCount | Rule::RepeatedHeader))
        .filter_map(|f| known(&f.context.country.to_uppercase(), &f.context.code));
    let mut keys: Vec<(String, String)> = (read.evals.iter())
        .map(|e| (e.key.country.clone(), e.key.code.clone()))
        .chain(named)
        .collect();
    keys.sort();
    keys.dedup();
    Ok(keys)
}

/// An error reading the `--avoid` exports, named as theirs (an export that
/// cannot be read is a wrong argument here: exit 2), in `synth`'s words,
/// not `run`'s; a file that cannot be read at all stays an I/O error.
fn avoid_error(e: Error) -> Error {
    let msg = match e {
        Error::Usage(msg) => msg,
        Error::Input { .. } | Error::NotExport { .. } | Error::Config { .. } => e.to_string(),
        e => return e,
    };
    // The hints of `run`'s messages in `synth`'s words (each checked by
    // `test_synth_counts`: `avoid_s_messages_speak_of_avoid` and
    // `avoid_keeps_out_...`, so that a message reworded where it is made
    // is not left in `run`'s words here).
    let msg = (msg.replace("; any previous output is left as it was", "")).replace(
        "read it with --encoding windows-1252",
        "save it as UTF-8 (synth reads --avoid in either encoding, not this mix)",
    );
    Error::Usage(format!("--avoid: {msg}"))
}
