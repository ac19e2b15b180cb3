//! The stages of a run, in order, shared by the commands that run them:
//! load the instrument and register, ingest, validate, link; then, side by
//! side, the data outputs and the analysis frame (and the published
//! figures' check); then, the canonical scores freed unless the report's
//! municipality pages need them, averages, benchmarks and trends one after
//! another, the charts and the report.

use std::path::PathBuf;

use crate::analysis::averages::{self, Basis};
use crate::analysis::frame::Frame;
use crate::analysis::link_error;
use std::time::Instant;

use clap::ValueEnum;

use crate::analysis::published;
use crate::analysis::standings;
use crate::analysis::trends;
use crate::error::{Error, Result};
use crate::ingest::{self, ReadOptions};
use crate::io::Written;
use crate::io::dialect::OutputDialect;
use crate::linking::{self, LinkOptions, Linking};
use crate::reference::instrument::Instruments;
use crate::reference::register::Register;
use crate::render::charts::{self, ChartSet, Lang};
use crate::render::report;
use crate::run::config::ConfigFile;
use crate::validate::output;
use crate::validate::rules::{Finding, Severity};
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
    pub report: report::ReportSet,
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
            format: name(self.output.rows),
            delimiter: name(self.read.delimiter),
            decimal: name(self.read.decimal),
            encoding: name(self.read.encoding),
            charts: name(self.charts),
            report: name(self.report),
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
        check_strict(
            strict,
            self.count(Severity::Error),
            self.count(Severity::Warning),
        )
    }
}

/// Under `--strict`, any error or warning ends the run with exit code 3.
pub fn check_strict(strict: bool, errors: usize, warnings: usize) -> Result<()> {
    if strict && errors + warnings > 0 {
        return Err(Error::Strict { errors, warnings });
    }
    Ok(())
}

/// Loads the instrument definitions and the register named by the settings,
/// or the shipped ones.
pub fn reference(settings: &Settings) -> Result<(Instruments, Register)> {
    let missing = |option: &str, path: &std::path::Path, what: &str| {
        Error::Usage(format!("{option} {}: {what}", path.display()))
    };
    let instruments = match &settings.instruments {
        Some(dir) if dir.is_file() => {
            return Err(missing(
                "--instruments",
                dir,
                "is a file; name the folder of instrument files (*.toml)",
            ));
        }
        Some(dir) if !dir.is_dir() => {
            return Err(missing("--instruments", dir, "no such file or folder"));
        }
        Some(dir) => Instruments::load_dir(dir)?,
        None => Instruments::shipped()?,
    };
    let register = match &settings.register {
        Some(path) if !path.exists() => {
            return Err(missing("--register", path, "no such file or folder"));
        }
        Some(path) => Register::load(path)?,
        None => Register::shipped()?,
    };
    Ok((instruments, register))
}

/// Checks the arguments that need no data, so that a mistake is reported
/// at once: the link target names a scale, the published figures exist.
pub fn check_arguments(settings: &Settings, instruments: &Instruments, last: Stage) -> Result<()> {
    if last >= Stage::Link {
        linking::link_target(instruments, &settings.link.to)?;
    }
    if let Some(path) = settings
        .published
        .as_ref()
        .filter(|_| last >= Stage::Analyse)
        && !path.is_file()
    {
        return Err(Error::Usage(format!(
            "--published {}: no such file",
            path.display()
        )));
    }
    Ok(())
}

/// Runs the stages up to `last` on the input files `paths` (as found by
/// [`crate::io::discover`] from `settings.inputs`) and writes their outputs.
pub fn execute(
    settings: &Settings,
    (instruments, register): (Instruments, Register),
    paths: &[crate::io::Input],
    last: Stage,
) -> Result<Outcome> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str| {
        give_back_free_memory();
        timings.push((name, clock.elapsed().as_secs_f64()));
        clock = Instant::now();
    };
    let v = settings.control.verbose;
    announce(v, "ingest");
    let ingested = ingest::read_all(paths, settings.read, &instruments, &register)?;
    lap("ingest");
    announce(v, "validate");
    let mut data = validate::validate(
        ingested,
        &instruments,
        &register,
        settings.read.encoding,
        validate::current_year(),
    )?;
    lap("validate");
    let mut linking = if last >= Stage::Link {
        announce(v, "link");
        let l = linking::link(&mut data, &instruments, &settings.link)?;
        lap("link");
        Some(l)
    } else {
        None
    };
    // From here on the data are read only until the published figures'
    // findings are added at the end. Evaluations, rejects and the linking
    // outputs need nothing more, so they are written while the analysis
    // table is built (their times overlap); the analysis stages then run
    // one after another.
    let (dir, dialect) = (&settings.out, settings.output);
    let mut published_findings = Vec::new();
    let (mut written, overlapped, frame) = std::thread::scope(|s| -> Result<_> {
        let (data, linking, instruments) = (&data, linking.as_ref(), &instruments);
        let register = &register;
        let outputs = s.spawn(move || {
            timed(v, "write", || {
                let mut written =
                    output::write_data_outputs(dir, dialect, data, instruments, register)?;
                if let Some(l) = linking {
                    written.extend(linking::write::write_linking_outputs(
                        dir,
                        dialect,
                        l,
                        data,
                        instruments,
                    )?);
                }
                Ok(written)
            })
        });
        let mut times = Vec::new();
        let mut frame = None;
        if last >= Stage::Analyse {
            let (f, t) = timed(v, "frame", || {
                Ok(Frame::build(data, linking, instruments, register))
            })?;
            times.push(t);
            let (found, t) = timed(v, "published", || match &settings.published {
                Some(path) => published::check(path, data.next_other_file(), &f, instruments),
                None => Ok(Vec::new()),
            })?;
            times.push(t);
            published_findings = found;
            frame = Some(f);
        }
        let (written, t) = joined(outputs)?;
        times.push(t);
        Ok((written, times, frame))
    })?;
    timings.extend(overlapped);
    if let Some(frame) = frame {
        // The canonical scores have been written and are in the frame: only
        // the per-municipality report pages read them again.
        if settings.report != report::ReportSet::All {
            data.release_scores();
        }
        if let Some(l) = linking.as_mut() {
            l.release_scores();
        }
        let (w, t) = analyse(
            settings,
            &frame,
            &data,
            &published_findings,
            linking.as_ref(),
            &instruments,
        )?;
        // Listed as before the stages were reordered: analysis first.
        written.splice(0..0, w);
        timings.extend(t);
    }
    if let Some(path) = settings
        .published
        .as_ref()
        .filter(|_| last >= Stage::Analyse)
    {
        data.add_other_file(path);
    }
    data.findings.extend(published_findings);
    let start = Instant::now();
    written.push(output::write_findings(dir, dialect, &data)?);
    if let Some(t) = timings.iter_mut().find(|(name, _)| *name == "write") {
        t.1 += start.elapsed().as_secs_f64();
    }
    Ok(Outcome {
        data,
        linking,
        instruments,
        written,
        timings,
    })
}

/// A stage's name and its seconds.
type StageTime = (&'static str, f64);

/// A stage's result and its time.
type Timed<T> = Result<(T, StageTime)>;

/// Under `--verbose`, says on stderr that stage `name` begins (a scheduler's
/// log shows how far a run got; the tests kill runs at these points).
pub fn announce(verbose: bool, name: &str) {
    if verbose {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "kompass: stage {name}");
    }
}

/// Runs stage `name` (announced under `--verbose`) and times it.
fn timed<T>(v: bool, name: &'static str, f: impl FnOnce() -> Result<T>) -> Timed<T> {
    announce(v, name);
    let start = Instant::now();
    let v = f()?;
    give_back_free_memory();
    Ok((v, (name, start.elapsed().as_secs_f64())))
}

/// Returns the memory a finished stage freed to the system. glibc keeps
/// freed blocks below its mmap threshold in its (per-thread) arenas, so
/// without this the resident size only ever grew: at 1,000,000 evaluations
/// the trend stage began 1.4 GB above what was in use.
fn give_back_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free heap pages; it has no
    // preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn joined<T>(h: std::thread::ScopedJoinHandle<'_, Result<T>>) -> Result<T> {
    h.join()
        .unwrap_or_else(|_| Err(Error::Internal("a worker thread panicked".into())))
}

/// Averages, benchmarks and trends in turn, then the charts and the report
/// that draw on all three.
fn analyse<'env>(
    settings: &'env Settings,
    frame: &'env Frame,
    data: &'env Validated,
    published: &'env [Finding],
    linking: Option<&'env Linking>,
    instruments: &'env Instruments,
) -> Result<(Vec<Written>, Vec<StageTime>)> {
    let (dir, dialect) = (&settings.out, settings.output);
    let v = settings.control.verbose;
    // Municipality pages show areas too; the index only totals.
    let pages = settings.report == report::ReportSet::All;
    // One stage after the other, each freeing its row-level tables once
    // written (side by side they held them all at once: at 1,000,000
    // evaluations several GB); each uses both cores inside.
    let ((averages, w), t_averages) = timed(v, "averages", || {
        let mut averages = averages::averages(frame, settings.basis)?;
        link_error::average_link_errors(frame, settings.basis, &mut averages, linking);
        let w = averages::write(dir, dialect, &averages, frame, settings.basis, instruments)?;
        Ok((averages, w))
    })?;
    let mut written = vec![w];
    let ((bench, extremes, models, w), t_bench) = timed(v, "benchmarks", || {
        let bench = standings::benchmarks(frame)?;
        let models = standings::role_models(frame, &bench, instruments);
        let written = standings::write(dir, dialect, frame, &bench, &models, instruments)?;
        // The report shows areas and totals and, on the municipality
        // pages, each one's strongest and weakest sub-questions: the rest
        // is freed.
        let extremes = match settings.report {
            report::ReportSet::All => standings::extremes(&bench, frame, instruments),
            _ => Vec::new(),
        };
        let bench = bench.areas_and_totals(frame, instruments, pages);
        Ok((bench, extremes, models, written))
    })?;
    let bench_written = w;
    let ((summary, changes, w), t_trends) = timed(v, "trends", || {
        // The changes stream into trends.csv: only their summary keys and
        // the ones the report shows are kept.
        let mut rows = trends::TrendRows::create(dir, dialect)?;
        let mut steps = trends::Steps::default();
        let mut changes = Vec::new();
        let mut last = None;
        trends::for_each(frame, |t| {
            let key = (t.muni, t.from_year, t.scale, t.item);
            if last.is_some_and(|l| l >= key) {
                return Err(Error::Internal("changes out of order".into()));
            }
            last = Some(key);
            rows.row(frame, &t, instruments)?;
            steps.add(&t);
            if trends::shown(&t, frame, instruments, pages) {
                changes.push(t);
            }
            Ok(())
        })?;
        let rows = rows.finish()?;
        let summary = trends::summarise_steps(frame, steps, linking)?;
        let table = trends::summary_csv(dir, dialect, frame, &summary, instruments)?;
        Ok((summary, changes, vec![rows, table]))
    })?;
    // In the order of the stages before they were reordered.
    written.extend(w);
    written.extend(bench_written);
    let (drawn, t_charts) = timed(v, "charts", || {
        charts::plan::draw(
            &dir.join("charts"),
            settings.charts,
            &charts::plan::Inputs {
                frame,
                averages: &averages,
                basis: settings.basis,
                linking,
                instruments,
                lang: settings.lang,
            },
        )
    })?;
    let (pages, t_report) = timed(v, "report", || {
        report::write(
            &dir.join("report"),
            &report::Inputs {
                data,
                published,
                frame,
                averages: &averages,
                basis: settings.basis,
                trends: &summary,
                benchmarks: &bench,
                extremes: &extremes,
                changes: &changes,
                role_models: &models,
                linking,
                instruments,
                charts: &drawn.described,
                lang: settings.lang,
                pages: settings.report,
            },
        )
    })?;
    written.extend(drawn.files.into_iter().chain(pages).map(|path| Written {
        path,
        rows: 0,
        sha256: None,
    }));
    Ok((
        written,
        vec![t_averages, t_trends, t_bench, t_charts, t_report],
    ))
}
