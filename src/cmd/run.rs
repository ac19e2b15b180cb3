//! `kompass run`: the whole pipeline: ingest, validation, linking, averages,
//! trends, benchmarks and the check of published figures (charts and the
//! report attach here as they are built).

use std::path::PathBuf;

use crate::aggregate::Basis;
use crate::error::Result;
use crate::pipeline::Stage;

pub const ABOUT: &str = "Run the whole pipeline: validate, link, averages, trends, benchmarks";

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub data: super::DataArgs,
    #[command(flatten)]
    pub link: super::LinkArgs,

    /// Which evaluations the averages count: each municipality's latest on
    /// the scale, or all.
    #[arg(long, value_enum, default_value_t)]
    pub basis: Basis,

    /// Published average profiles to check and compare with ours
    /// (columns: source, published_year, country, scale, basis, item, mean, n).
    #[arg(long, value_name = "FILE")]
    pub published: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<()> {
    let mut settings = args.data.settings();
    settings.link = args.link.options();
    settings.basis = args.basis;
    settings.published = args.published.clone();
    super::validate::run_stages(&settings, Stage::Analyse, args.data.quiet)
}
