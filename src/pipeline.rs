//! The stages of a run, in order, shared by the commands that run them:
//! load the instrument and register, ingest, validate, link, write.

use std::path::PathBuf;

use crate::aggregate::{self, Basis, frame::Frame};
use std::time::Instant;

use clap::ValueEnum;

use crate::benchmark;
use crate::charts::{self, ChartSet, Lang};
use crate::config::ConfigFile;
use crate::dialect::OutputDialect;
use crate::error::{Error, Result};
use crate::ingest::{self, ReadOptions};
use crate::instrument::Instruments;
use crate::linking::{self, LinkOptions, Linking};
use crate::output::{self, Written};
use crate::published;
use crate::register::Register;
use crate::report;
use crate::rules::Severity;
use crate::trends;
use crate::validate::{self, Validated};

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
    pub lang: Lang,
    pub control: Control,
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
            delimiter: name(self.read.delimiter),
            decimal: name(self.read.decimal),
            encoding: name(self.read.encoding),
            charts: name(self.charts),
            lang: name(self.lang),
        }
    }
}

/// How far a command runs the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Validate,
    Link,
    /// Averages, trends, benchmarks, published figures.
    Analyse,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Validate => "validate",
            Stage::Link => "link",
            Stage::Analyse => "analyse",
        }
    }
}

/// What a run produced.
#[derive(Debug)]
pub struct Outcome {
    pub data: Validated,
    pub linking: Option<Linking>,
    pub instruments: Instruments,
    pub written: Vec<Written>,
    /// Seconds per stage, in order.
    pub timings: Vec<(&'static str, f64)>,
}

impl Outcome {
    pub fn count(&self, severity: Severity) -> usize {
        self.data
            .findings
            .iter()
            .filter(|f| f.rule.severity() == severity)
            .count()
    }

    /// Under `--strict`, any finding is an error.
    pub fn strict_check(&self, strict: bool) -> Result<()> {
        let (errors, warnings) = (self.count(Severity::Error), self.count(Severity::Warning));
        if strict && errors + warnings > 0 {
            return Err(Error::Strict { errors, warnings });
        }
        Ok(())
    }
}

/// Loads the instrument definitions and the register named by the settings,
/// or the shipped ones.
pub fn reference(settings: &Settings) -> Result<(Instruments, Register)> {
    let instruments = match &settings.instruments {
        Some(dir) => Instruments::load_dir(dir)?,
        None => Instruments::shipped()?,
    };
    let register = match &settings.register {
        Some(path) => Register::load(path)?,
        None => Register::shipped()?,
    };
    Ok((instruments, register))
}

/// Runs the stages up to `last` on the input files `paths` (as found by
/// [`crate::files::discover`] from `settings.inputs`) and writes their outputs.
pub fn execute(settings: &Settings, paths: &[PathBuf], last: Stage) -> Result<Outcome> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str| {
        timings.push((name, clock.elapsed().as_secs_f64()));
        clock = Instant::now();
    };
    let (instruments, register) = reference(settings)?;
    let ingested = ingest::read_all(paths, settings.read, &instruments, &register)?;
    lap("ingest");
    let mut data = validate::validate(
        ingested,
        &instruments,
        &register,
        settings.read.encoding,
        validate::current_year(),
    )?;
    lap("validate");
    let linking = if last >= Stage::Link {
        let l = linking::link(&mut data, &instruments, &settings.link)?;
        lap("link");
        Some(l)
    } else {
        None
    };
    let dir = &settings.out;
    let dialect = settings.output;
    let mut written = Vec::new();
    if last >= Stage::Analyse {
        let frame = Frame::build(&data, linking.as_ref(), &instruments, &register);
        lap("frame");
        let averages = aggregate::averages(&frame, settings.basis)?;
        written.push(aggregate::write(
            dir,
            dialect,
            &averages,
            &frame,
            settings.basis,
            &instruments,
        )?);
        lap("averages");
        let trends = trends::trends(&frame);
        let summary = trends::summarise(&trends)?;
        written.extend(trends::write(
            dir,
            dialect,
            &frame,
            &trends,
            &summary,
            &instruments,
        )?);
        lap("trends");
        let bench = benchmark::benchmarks(&frame);
        let models = benchmark::role_models(&frame, &instruments);
        written.extend(benchmark::write(
            dir,
            dialect,
            &frame,
            &bench,
            &models,
            &instruments,
        )?);
        lap("benchmarks");
        if let Some(path) = &settings.published {
            let file = data.add_other_file(path);
            let found = published::check(path, file, &frame, &instruments)?;
            data.findings.extend(found);
        }
        lap("published");
        let chart_files = charts::plan::draw(
            &dir.join("charts"),
            settings.charts,
            &charts::plan::Inputs {
                frame: &frame,
                averages: &averages,
                basis: settings.basis,
                linking: linking.as_ref(),
                instruments: &instruments,
                lang: settings.lang,
            },
        )?;
        written.extend(
            chart_files
                .into_iter()
                .map(|path| Written { path, rows: 0 }),
        );
        lap("charts");
        let pages = report::write(
            &dir.join("report"),
            &report::Inputs {
                data: &data,
                frame: &frame,
                averages: &averages,
                basis: settings.basis,
                trends: &summary,
                benchmarks: &bench,
                role_models: &models,
                linking: linking.as_ref(),
                instruments: &instruments,
                charts: settings.charts,
                lang: settings.lang,
            },
        )?;
        written.extend(pages.into_iter().map(|path| Written { path, rows: 0 }));
        lap("report");
    }
    written.extend(output::write_validation_outputs(
        dir,
        dialect,
        &data,
        &instruments,
        &register,
    )?);
    if let Some(l) = &linking {
        written.extend(linking::write::write_linking_outputs(
            dir,
            settings.output,
            l,
            &data,
            &instruments,
        )?);
    }
    lap("write");
    Ok(Outcome {
        data,
        linking,
        instruments,
        written,
        timings,
    })
}
