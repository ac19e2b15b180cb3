//! `kompass validate`: read exports, check every row, write the canonical
//! table and the account of what was wrong.

use crate::error::Result;
use crate::run::batch;
use crate::run::pipeline::Stage;

pub const ABOUT: &str = "Read evaluation exports, validate them, and write evaluations.csv, rejects.csv, validation.csv, inputs.csv and manifest.json";

pub const LONG_ABOUT: &str = "\
Read evaluation exports (long or wide layout; ',', ';' or tab separated; \
decimal point or comma; UTF-8, UTF-8 with BOM or Windows-1252), check every \
row, and write to the output folder:

  evaluations.csv  one row per evaluation and item (published or derived)
  inputs.csv       the input files, their ids (as `source` names them),
                   layout, encoding, separator and rows read/used/rejected
  rejects.csv      every rejected input row with file, line, rule and reason
  validation.csv   every finding (errors and warnings) with its rule code
  manifest.json    inputs and outputs with their BLAKE3 hashes, timings

Every input row is either accepted or rejected; the summary reconciles the \
counts per file.";

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub data: super::DataArgs,
}

pub fn run(args: &Args) -> Result<()> {
    let settings = super::settings(
        &args.data,
        &super::LinkArgs::default(),
        &super::AnalysisArgs::default(),
    )?;
    batch::run(&settings, Stage::Validate)
}
