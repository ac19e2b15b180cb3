//! `kompass link`: ingest, validate and link other scales to the link
//! target (`--link-to`, the new scale by default): linking.csv,
//! concordance.csv, linked_scores.csv, link_invariance.csv.

use crate::error::Result;
use crate::run::batch;
use crate::run::pipeline::Stage;

pub const ABOUT: &str = "Link the other scales' scores to one scale (--link-to, default new), with \
     their standard errors";

pub const LONG_ABOUT: &str = "\
Ingest and validate the inputs, then fit a linking function per item from each \
other scale to the target scale (default: new) on the evaluations scored on \
both in the same year, and write:

  linking.csv        per scale and item: method, pairs, means, SDs, slope,
                     intercept, their SEs (a linear link's by the
                     bootstrap, by the jackknife with 5-8 municipalities;
                     a mean link's of 2-4 municipalities analytic,
                     s(y - x) / sqrt(n), whatever N --bootstrap
                     gives but 0, which leaves every link without SEs),
                     leave-one-out error
  concordance.csv    every possible score on the other scale, linked, with SE
  linked_scores.csv  every evaluation not on the target scale, linked, with SE
  link_invariance.csv  per country and item, how far the link fitted in
                     that country alone lies from the pooled one

and everything `kompass validate` writes. A scale with no dual-scored \
evaluations is not linked (a no-linking warning), but by `--link-method identity`, \
which needs no pairs.";

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub data: super::DataArgs,
    #[command(flatten)]
    pub link: super::LinkArgs,
}

pub fn run(args: &Args) -> Result<()> {
    let settings = super::settings(&args.data, &args.link, &super::AnalysisArgs::default())?;
    batch::run(&settings, Stage::Link)
}
