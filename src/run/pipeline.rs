//! The stages of a run, in order, shared by the commands that run them:
//! load the instrument and register, ingest, validate; then the data
//! outputs are written while the links are fitted, and the linking outputs
//! while the analysis frame is built (and the published figures checked);
//! then, with the canonical scores freed unless the report's municipality
//! pages need them, the analysis stages ([`super::analyse`]).

use std::path::PathBuf;
use std::time::Instant;

use crate::analysis::frame::Frame;
use crate::analysis::published;
use crate::error::{Error, Result};
use crate::ingest;
use crate::io::Written;
use crate::linking::{self, Linking};
use crate::reference::instrument::Instruments;
use crate::reference::register::Register;
use crate::render::report;
use crate::run::arguments::Checked;
pub use crate::run::settings::{Control, Settings};
use crate::validate::output;
use crate::validate::rules::{Finding, Severity};
use crate::validate::{self, Validated};

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
    /// Inputs and reference files that changed between being read and
    /// being hashed (either way round).
    pub changed_while_read: Vec<PathBuf>,
}

impl Outcome {
    pub fn count(&self, severity: Severity) -> usize {
        let counts = self.data.rule_counts().into_iter();
        let n: u64 = (counts.filter(|(rule, _)| rule.severity() == severity))
            .map(|(_, n)| n)
            .sum();
        n as usize
    }

    /// The outputs written with characters their encoding lacks, each a
    /// warning on stderr (not a finding: it is about the output).
    pub fn lossy_outputs(&self) -> impl Iterator<Item = &Written> {
        self.written.iter().filter(|w| w.unmappable > 0)
    }

    /// Under `--strict` (`strict`: as the user asked for it), any finding
    /// is an error, and so is an output written with characters its
    /// encoding lacks.
    pub fn strict_check(&self, strict: Option<String>) -> Result<()> {
        check_strict(
            strict,
            self.count(Severity::Error),
            (self.count(Severity::Warning), self.lossy_outputs().count()),
        )
    }
}

/// Under `--strict` (`strict`: as the user asked for it, `None` without
/// it), any error or warning ends the run with exit code 3: `findings`
/// the data's warnings, `lossy` the outputs written with characters their
/// encoding lacks (each a warning, on stderr, not among the findings).
pub fn check_strict(
    strict: Option<String>,
    errors: usize,
    (findings, lossy): (usize, usize),
) -> Result<()> {
    let warnings = findings + lossy;
    if let Some(by) = strict.filter(|_| errors + warnings > 0) {
        return Err(Error::Strict {
            by,
            errors,
            warnings,
            lossy,
        });
    }
    Ok(())
}

/// Runs the stages up to `last` on the input files `paths` (as found by
/// [`crate::io::discover()`] from `settings.inputs`) and writes their outputs.
pub fn execute(
    settings: &Settings,
    (instruments, register): (Instruments, Register),
    checked: &Checked,
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
    let sink = validate::spill::Sink::in_folder(&settings.out, spill_limit()?)?;
    let refs = (&instruments, &register);
    let ingested = ingest::read_all(paths, settings.read.clone(), refs, Some(sink))?;
    lap("ingest");
    announce(v, "validate");
    let mut data = validate::validate(ingested, &instruments, &register, validate::current_year())?;
    lap("validate");
    // A run with every row rejected would replace the previous output with
    // empty tables, as one of exports with no rows would.
    if last >= Stage::Link
        && let Some(msg) = data.nothing_to_compute()
    {
        return Err(crate::error::Error::Usage(msg));
    }
    // From here on the data are read only until the findings of the link
    // stage and of the published figures are added at the end.
    let (mut written, linked) = link_beside_writing(settings, &data, refs, checked, last)?;
    let Linked {
        times: overlapped,
        mut linking,
        link_findings,
        frame,
        published_findings,
        ..
    } = linked;
    let (dir, dialect) = (&settings.out, settings.output);
    data.findings.extend(link_findings);
    timings.extend(overlapped);
    if let Some(frame) = frame {
        let analysed = (&frame, published_findings.as_slice(), &instruments);
        let (w, t) = analyse_frame(settings, &mut data, &mut linking, analysed)?;
        // Listed as before the stages were reordered: analysis first.
        written.splice(0..0, w);
        timings.extend(t);
    }
    if let Some(p) = &checked.published {
        data.add_other_file(p.path());
    }
    data.findings.extend(published_findings);
    let start = Instant::now();
    written.push(output::write_findings(dir, dialect, &data)?);
    if let Some(t) = timings.iter_mut().find(|(name, _)| *name == WRITE) {
        t.1 += start.elapsed().as_secs_f64();
    }
    Ok(Outcome {
        data,
        linking,
        instruments,
        written,
        timings,
        changed_while_read: Vec::new(),
    })
}

/// How many findings are held in memory before they go to disk
/// ([`validate::spill`]): `KOMPASS_SPILL_AT`, else the default.
pub(super) fn spill_limit() -> Result<usize> {
    let Some(v) = std::env::var_os("KOMPASS_SPILL_AT") else {
        return Ok(validate::spill::DEFAULT_LIMIT);
    };
    let v = v.to_string_lossy();
    match v.trim().parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(Error::Usage(format!(
            "KOMPASS_SPILL_AT is '{v}': it must be a whole number of findings from 1 to {}",
            usize::MAX
        ))),
    }
}

/// The analysis of `frame` ([`super::analyse::analyse`]): what it
/// writes, and its stages' times. The canonical scores have been written
/// and are in the frame: only the per-municipality report pages read them
/// again, and they are freed first otherwise, and so are the linked scores.
fn analyse_frame(
    settings: &Settings,
    data: &mut Validated,
    linking: &mut Option<Linking>,
    (frame, published_findings, instruments): (&Frame, &[Finding], &Instruments),
) -> Result<(Vec<Written>, Vec<StageTime>)> {
    if settings.report != report::ReportSet::All {
        data.release_scores();
    }
    if let Some(l) = linking.as_mut() {
        l.release_scores();
    }
    super::analyse::analyse(
        settings,
        frame,
        data,
        published_findings,
        linking.as_ref(),
        instruments,
    )
}

/// Runs the link and frame stages ([`link_and_frame`]) while the data
/// outputs are written: evaluations and rejects need nothing more, so they
/// are written while the links are fitted, and the linking outputs while
/// the analysis table is built (their times overlap). Returns every file
/// written, the data outputs first, and what the stages give, their times
/// with the writing's.
fn link_beside_writing(
    settings: &Settings,
    data: &Validated,
    (instruments, register): (&Instruments, &Register),
    checked: &Checked,
    last: Stage,
) -> Result<(Vec<Written>, Linked)> {
    let (dir, dialect) = (&settings.out, settings.output);
    let v = settings.control.verbose;
    std::thread::scope(|s| {
        let outputs = s.spawn(move || {
            timed(v, WRITE, || {
                output::write_data_outputs(dir, dialect, data, instruments, register)
            })
        });
        let linked = link_and_frame(settings, data, (instruments, register), checked, last);
        // Errors in the order of the stages when they ran one after the
        // other: link, frame and published figures, data outputs, linking
        // outputs.
        let data_written = joined(outputs);
        let mut l = linked?;
        let (mut written, (name, mut seconds)) = data_written?;
        if let Some((w, t)) = l.link_written.take().transpose()? {
            written.extend(w);
            seconds += t;
        }
        l.times.push((name, seconds));
        Ok((written, l))
    })
}

/// What the link and frame stages give (see [`link_and_frame`]).
struct Linked {
    times: Vec<StageTime>,
    linking: Option<Linking>,
    link_findings: Vec<Finding>,
    /// The linking outputs and their seconds (when linked).
    link_written: Option<Result<(Vec<Written>, f64)>>,
    frame: Option<Frame>,
    published_findings: Vec<Finding>,
}

/// Fits the links (up to `last`), then builds the analysis frame and
/// checks the published figures while the linking outputs are written.
fn link_and_frame(
    settings: &Settings,
    data: &Validated,
    (instruments, register): (&Instruments, &Register),
    checked: &Checked,
    last: Stage,
) -> Result<Linked> {
    let (dir, dialect) = (&settings.out, settings.output);
    let v = settings.control.verbose;
    let mut times = Vec::new();
    let (linking, link_findings) = if last >= Stage::Link {
        // Checked before any work (`check_arguments` refuses a run that
        // links to no scale).
        let to = checked.link_to.ok_or_else(|| {
            Error::Internal(format!("link target '{}' not looked up", settings.link.to))
        })?;
        let ((l, found), t) = timed(v, "link", || {
            linking::link_read_only(data, instruments, &settings.link, to)
        })?;
        times.push(t);
        warn_few_replicates(settings, &l);
        (Some(l), found)
    } else {
        (None, Vec::new())
    };
    let (link_written, frame, published_findings) = std::thread::scope(|s| -> Result<_> {
        let outputs = linking.as_ref().map(|l| {
            s.spawn(move || {
                let start = Instant::now();
                let w = linking::write::write_linking_outputs(dir, dialect, l, data, instruments)?;
                Ok((w, start.elapsed().as_secs_f64()))
            })
        });
        let analysed = (last >= Stage::Analyse)
            .then(|| -> Result<_> {
                let linking = linking.as_ref();
                let (f, t1) = timed(v, "frame", || {
                    Ok(Frame::build(data, linking, instruments, register))
                })?;
                let (found, t2) = timed(v, "published", || {
                    Ok(checked.published.as_ref().map_or_else(Vec::new, |p| {
                        published::check(p, data.next_other_file(), &f, instruments, register)
                    }))
                })?;
                Ok((f, [t1, t2], found))
            })
            .transpose();
        let link_written = outputs.map(joined);
        let (frame, published) = match analysed? {
            Some((f, t, found)) => {
                times.extend(t);
                (Some(f), found)
            }
            None => (None, Vec::new()),
        };
        Ok((link_written, frame, published))
    })?;
    Ok(Linked {
        times,
        linking,
        link_findings,
        link_written,
        frame,
        published_findings,
    })
}

/// A stage's name and its seconds.
pub(super) type StageTime = (&'static str, f64);

/// A stage's result and its time.
pub(super) type Timed<T> = Result<(T, StageTime)>;

/// Under `--verbose`, says on stderr that stage `name` begins (a scheduler's
/// log shows how far a run got; the tests kill runs at these points).
pub fn announce(verbose: bool, name: &str) {
    if verbose {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "kompass: stage {name}");
    }
}

/// Runs stage `name` (announced under `--verbose`) and times it.
pub(super) fn timed<T>(v: bool, name: &'static str, f: impl FnOnce() -> Result<T>) -> Timed<T> {
    announce(v, name);
    let start = Instant::now();
    let v = f()?;
    give_back_free_memory();
    Ok((v, (name, start.elapsed().as_secs_f64())))
}

/// Returns the memory a finished stage freed to the system, once the
/// process holds more than [`TRIM_ABOVE`]. glibc keeps freed blocks below
/// its mmap threshold in its (per-thread) arenas, so without this the
/// resident size only ever grew: at 1,000,000 evaluations the trend stage
/// began 1.4 GB above what was in use. Below that size the trim is not
/// worth its cost: walking the arenas, and the page faults of memory taken
/// back from the system by the next stage.
fn give_back_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if resident_bytes().is_none_or(|b| b > TRIM_ABOVE) {
        // SAFETY: malloc_trim only releases free heap pages; it has no
        // preconditions.
        unsafe {
            libc::malloc_trim(0);
        }
    }
}

/// The stage that writes the data outputs beside the linking, and the
/// findings at the end (its time is both's).
const WRITE: &str = "write";

/// The resident size above which finished stages give memory back.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TRIM_ABOVE: u64 = 1 << 30;

/// The process's resident size (`/proc/self/statm` counts pages).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf only reads a system setting.
    let page = u64::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).ok()?;
    Some(pages * page)
}

pub(super) fn joined<T>(h: std::thread::ScopedJoinHandle<'_, Result<T>>) -> Result<T> {
    h.join()
        .unwrap_or_else(|_| Err(Error::Internal("a worker thread panicked".into())))
}

/// Replicates below which a bootstrap SE is itself off by more than a
/// tenth (its relative SE about 1 / √(2 (B − 1)): 0.10 at 50).
const FEW_REPLICATES: u32 = 50;

/// Warns (under --quiet too: it is about the figures) that a bootstrap of
/// fewer than [`FEW_REPLICATES`] replicates gave standard errors that are
/// themselves uncertain, where a link of `linking` took its SEs from the
/// bootstrap (not a jackknife's, an analytic or none): `--bootstrap 2` ran
/// without a word, its slope SE 0.005 where 1,000 replicates give 0.15
/// (audit of `link`).
fn warn_few_replicates(settings: &Settings, linking: &Linking) {
    let b = settings.link.bootstrap;
    if (1..FEW_REPLICATES).contains(&b) && linking.items.iter().any(|l| l.bootstrapped) {
        let off = 100.0 / (2.0 * f64::from(b - 1)).sqrt();
        crate::io::warn(&format!(
            "{}: a bootstrap standard error from {b} replicates is itself off by about {off:.0} % \
             (1 / sqrt(2 (B - 1))); {FEW_REPLICATES} give 10 %, the default 1000 give 2 %",
            settings.origins.named(crate::run::key::Key::Bootstrap, b)
        ));
    }
}
