//! One module per user-facing command: its help text, its arguments and its
//! `run`.

pub mod link;
pub mod run;
pub mod synth;
pub mod validate;

use std::path::PathBuf;

use crate::aggregate::Basis;
use crate::dialect::{Decimal, Delimiter, Encoding, OutputDialect};
use crate::ingest::ReadOptions;
use crate::linking::{LinkOptions, methods::MethodChoice};
use crate::pipeline::Settings;

/// Options shared by the commands that read exports.
#[derive(clap::Args, Debug, Clone)]
pub struct DataArgs {
    /// Export files or folders to read (a folder: every *.csv, *.tsv and
    /// *.txt file below it, in sorted order).
    #[arg(short, long = "input", value_name = "PATH", required = true, num_args = 1..)]
    pub input: Vec<PathBuf>,

    /// Output folder.
    #[arg(short, long, value_name = "DIR", default_value = "notebooks-out")]
    pub out: PathBuf,

    /// Municipality register: a CSV file or a folder of CSV files
    /// (default: the shipped data/reference).
    #[arg(long, value_name = "PATH")]
    pub register: Option<PathBuf>,

    /// Folder of instrument definitions, one TOML file per scale version
    /// (default: the shipped data/instrument).
    #[arg(long, value_name = "DIR")]
    pub instruments: Option<PathBuf>,

    /// Field separator of the inputs.
    #[arg(long, value_enum, default_value_t)]
    pub delimiter: Delimiter,

    /// Decimal mark of the inputs.
    #[arg(long, value_enum, default_value_t)]
    pub decimal: Decimal,

    /// Text encoding of the inputs.
    #[arg(long, value_enum, default_value_t)]
    pub encoding: Encoding,

    /// Exit with code 3 when the data has any error or warning.
    #[arg(long)]
    pub strict: bool,

    /// Write CSV outputs for Swedish Excel: ';' separators, decimal comma,
    /// UTF-8 with BOM.
    #[arg(long)]
    pub excel: bool,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Options of the link stage.
#[derive(clap::Args, Debug, Clone)]
pub struct LinkArgs {
    /// Linking method: auto = linear with 3+ pairs, mean with 1-2, else none.
    #[arg(long, value_enum, default_value_t)]
    pub link_method: MethodChoice,

    /// Bootstrap replicates for the standard errors.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub bootstrap: u32,

    /// Seed of the bootstrap.
    #[arg(long, value_name = "S", default_value_t = 2010)]
    pub link_seed: u64,

    /// Scale to link the others to.
    #[arg(long, value_name = "SCALE", default_value = "new")]
    pub link_to: String,
}

impl LinkArgs {
    pub fn options(&self) -> LinkOptions {
        LinkOptions {
            method: self.link_method,
            bootstrap: self.bootstrap,
            seed: self.link_seed,
            to: self.link_to.clone(),
        }
    }
}

impl DataArgs {
    pub fn settings(&self) -> Settings {
        Settings {
            inputs: self.input.clone(),
            out: self.out.clone(),
            register: self.register.clone(),
            instruments: self.instruments.clone(),
            read: ReadOptions {
                delimiter: self.delimiter,
                decimal: self.decimal,
                encoding: self.encoding,
            },
            output: OutputDialect { excel: self.excel },
            strict: self.strict,
            link: LinkOptions::default(),
            basis: Basis::default(),
            published: None,
        }
    }
}
