//! `kompass bench`: the benchmark harness. Generates (and caches) data sets
//! of increasing size with `kompass synth`, runs `kompass run --charts
//! summary` on each as a separate process, and reports wall time, rows per
//! second, peak memory (the child's max RSS from wait4) and the time of each
//! stage (from its manifest). Writes the table to `--table` as CSV too.

use std::path::PathBuf;

use crate::bench;
use crate::error::Result;

pub const ABOUT: &str = "Benchmark the pipeline on generated data sets of increasing size";

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Data set sizes, in evaluations.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "1000,10000,100000,1000000"
    )]
    pub sizes: Vec<u64>,

    /// Folder for the generated data sets (reused between runs) and outputs.
    #[arg(long, value_name = "DIR", default_value = "target/bench-data")]
    pub cache: PathBuf,

    /// Where to write the results table.
    #[arg(long, value_name = "FILE", default_value = "notebooks-out/bench.csv")]
    pub table: PathBuf,

    /// Also time the hot paths in-process (number parsing and formatting,
    /// row checks, cross-row rules, frame, averages, ranks); writes
    /// `bench_micro.csv` beside the table.
    #[arg(long)]
    pub micro: bool,
}

pub fn run(args: &Args) -> Result<()> {
    bench::run(&args.sizes, &args.cache, &args.table)?;
    if args.micro {
        bench::micro(&args.cache, &args.table)?;
    }
    Ok(())
}
