//! `kompass run`: the whole pipeline: ingest, validation, linking, averages,
//! trends, benchmarks, the check of published figures, charts and the HTML
//! report. Safe to rerun on a schedule: see `run::batch`.

use crate::error::Result;
use crate::run::batch;
use crate::run::pipeline::Stage;

pub const ABOUT: &str =
    "Run the whole pipeline: validate, link, averages, trends, benchmarks, charts, report";

pub const LONG_ABOUT: &str = "\
Validate and link the inputs (everything `kompass link` writes), then compute \
and write:

  averages.csv       national and group averages per scale and item, with n,
                     SD, SE, quartiles, the linking error of linked ones
                     and 95 % intervals
  group_differences.csv
                     each Swedish group's mean less Sweden's, with its
                     95 % interval (against the rest of Sweden)
  trends.csv         every municipality's change between rounds, per item
  trend_summary.csv  the changes summarised per country, with 95 % intervals
  benchmarks.csv     every latest score with national and group mean, rank
                     and percentile
  role_models.csv    the municipalities ranked 1 to 3 per item
  year_totals.csv    the mean total per evaluation year and scale, with
                     95 % intervals (what the trend charts draw)
  charts/            PNG and SVG charts (--charts all, summary or none)
  report/            the HTML report (--report all: a page per municipality,
                     about 3 times the run's time at 100,000 evaluations;
                     summary: the index and the group pages; none)

With --published, published average profiles are checked and set beside \
ours (findings in validation.csv). A rerun with unchanged inputs, \
configuration and reference files does nothing (see manifest.json).";

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
