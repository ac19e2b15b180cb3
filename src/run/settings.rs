//! What a run needs to know, resolved from the flags and the config file
//! (`Settings`), and how it behaves (`Control`); `Settings::to_config`
//! gives it back in `kompass.toml`'s vocabulary for the manifest.

use std::path::PathBuf;

use clap::ValueEnum;

use crate::analysis::averages::Basis;
use crate::ingest::ReadOptions;
use crate::io::dialect::OutputDialect;
use crate::linking::LinkOptions;
use crate::render::charts::{ChartSet, Lang};
use crate::render::report;
use crate::run::config::ConfigFile;
use crate::run::origins::Origins;

/// Everything a run needs to know, resolved from flags.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub register: Option<PathBuf>,
    pub instruments: Option<PathBuf>,
    pub read: ReadOptions,
    pub output: OutputDialect,
    pub strict: bool,
    pub link: LinkOptions,
    pub basis: Basis,
    /// Published average profiles to check and compare with.
    pub published: Option<PathBuf>,
    pub charts: ChartSet,
    pub report: report::ReportSet,
    pub lang: Lang,
    pub control: Control,
    /// Which options came from the config file, for messages.
    pub origins: Origins,
}

/// How a run behaves (not part of its configuration fingerprint).
#[derive(Debug, Clone, Copy, Default)]
pub struct Control {
    pub force: bool,
    pub wait: bool,
    pub quiet: bool,
    pub verbose: bool,
}

impl Settings {
    /// The effective configuration, in `kompass.toml`'s vocabulary.
    pub fn to_config(&self) -> ConfigFile {
        fn name<T: ValueEnum>(v: T) -> Option<String> {
            v.to_possible_value().map(|p| p.get_name().to_string())
        }
        ConfigFile {
            inputs: Some(self.inputs.clone()),
            out: Some(self.out.clone()),
            register: self.register.clone(),
            instruments: self.instruments.clone(),
            published: self.published.clone(),
            basis: name(self.basis),
            link_method: name(self.link.method),
            bootstrap: Some(self.link.bootstrap),
            link_seed: Some(self.link.seed),
            link_to: Some(self.link.to.clone()),
            strict: Some(self.strict),
            excel: Some(self.output.excel),
            out_encoding: name(self.output.encoding),
            format: name(self.output.rows),
            delimiter: name(self.read.delimiter),
            decimal: name(self.read.decimal),
            encoding: name(self.read.encoding),
            country: Some(self.read.country.clone()),
            charts: name(self.charts),
            report: name(self.report),
            lang: name(self.lang),
        }
    }
}
