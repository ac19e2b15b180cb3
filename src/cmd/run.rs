//! `kompass run`: the whole pipeline. For now: ingest, validation and
//! linking; the later stages (averages, trends, charts, report) attach here
//! as they are built.

use crate::error::Result;

pub const ABOUT: &str =
    "Run the whole pipeline on the inputs (currently: ingest, validation, linking)";

/// The same options as `link` (the stages run so far).
pub type Args = super::link::Args;

pub fn run(args: &Args) -> Result<()> {
    super::link::run(args)
}
