//! `kompass run`: the whole pipeline. For now it is ingest and validation;
//! the later stages (linking, averages, trends, charts, report) attach here
//! as they are built.

use crate::error::Result;

pub const ABOUT: &str = "Run the whole pipeline on the inputs (currently: ingest and validation)";

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub data: super::DataArgs,
}

pub fn run(args: &Args) -> Result<()> {
    super::validate::run(&super::validate::Args {
        data: args.data.clone(),
    })
}
