//! `kompass run`: the whole pipeline: ingest, validation, linking, averages,
//! trends, benchmarks, the check of published figures, charts and the HTML
//! report. Safe to rerun on a schedule: see `run::batch`.

use crate::error::Result;
use crate::run::batch;
use crate::run::pipeline::Stage;

pub const ABOUT: &str =
    "Run the whole pipeline: validate, link, averages, trends, benchmarks, charts, report";

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub data: super::DataArgs,
    #[command(flatten)]
    pub link: super::LinkArgs,
    #[command(flatten)]
    pub analysis: super::AnalysisArgs,
}

pub fn run(args: &Args) -> Result<()> {
    let settings = super::settings(&args.data, &args.link, &args.analysis)?;
    batch::run(&settings, Stage::Analyse)
}
