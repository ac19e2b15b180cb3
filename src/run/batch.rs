//! Running a command the way a scheduler needs it: take the output folder's
//! lock, clean up after killed runs, hash the inputs, do nothing when nothing
//! changed, otherwise run the pipeline into a staging folder, write the
//! manifest, and swap the staging folder in atomically.

use crate::run::key::Key;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::{Error, Result};
use crate::io;
use crate::io::manifest::{self, Manifest};
use crate::io::outdir;
use crate::reference::instrument::{Instruments, ScaleIx};
use crate::reference::register::Register;
use crate::run::arguments::{self, Checked};
use crate::run::config::ConfigFile;
use crate::run::hashes::Hashes;
use crate::run::pipeline::{self, Outcome, Settings, Stage};
use crate::run::record;
use crate::run::summary;
use crate::validate::rules::Severity;

/// The configuration as the manifest records it: every path resolved,
/// the link target by its id, however it was spelt (`NEW`, `ny`), where
/// it names a scale (`link_to`), and the country by its code.
fn recorded(
    settings: &Settings,
    (instruments, register): (&Instruments, &Register),
    link_to: Option<ScaleIx>,
) -> ConfigFile {
    let mut config = settings.to_config().resolved();
    if let Some(ix) = link_to {
        config.link_to = Some(instruments.get(ix).id.clone());
    }
    // By its code (`Norge`, ` no ` and `NO` are one configuration).
    config.country = Some(register.country_of(&settings.read.country));
    config
}

/// Runs the pipeline up to `last` with `settings`.
pub fn run(settings: &Settings, last: Stage) -> Result<()> {
    let started = Instant::now();
    // Everything that can be checked without reading the data, before any
    // work and before anything is written.
    let reference = arguments::reference(settings)?;
    let checked = arguments::check_arguments(settings, (&reference.0, &reference.1), last)?;
    let shown = &settings.out;
    let (real, mut lock, paths) = checked_and_locked(settings)?;
    let out = &real;
    // The run's time (`done in`, the manifest's total) leaves out the time
    // it waited for another run's lock (`--wait`).
    let started = started + lock.waited();

    // The manifest names every path in one spelling, so that "up to date"
    // does not depend on how the paths were written.
    let config = recorded(settings, (&reference.0, &reference.1), checked.link_to);
    // What it lists, also where this kompass cannot read the rest: which
    // of the previous outputs are kompass's if the manifest is removed or
    // broken while the run works.
    let (previous, listing) = Manifest::read_with_listing(out);
    // The register's and instruments' files as read, and the published one.
    let read = config.reference_files((&reference.0, &reference.1), last >= Stage::Analyse);
    // The inputs' hashes decide whether anything changed only when there
    // is a previous run to compare with and no --force; otherwise they are
    // only needed for the new manifest, and are taken while the pipeline
    // runs. The previous outputs found with another hash than their
    // manifest's are the user's (`edited`).
    let mut edited = None;
    let hashes = if previous.is_some() && !settings.control.force {
        let h = Hashes::of(&paths, last, &config, &read)?;
        let previous = previous.as_ref();
        if let Some(done) = up_to_date(settings, previous, (out, shown), &h, &mut edited) {
            return done;
        }
        Some(h)
    } else {
        None
    };
    // Where they were not hashed above (other inputs, or --force), the
    // previous outputs are hashed while the run works: an output edited
    // with its size and modification time kept (`touch -r`, a copy with
    // `cp -p`) is the user's all the same.
    let edited = edited.map_or_else(|| Edited::hashing(previous, out), Edited::Known);

    let staging = outdir::staging(out)?;
    let spinner = progress(settings);
    let prepared = Prepared {
        hashes,
        config,
        paths,
        read,
        reference,
        checked,
        started,
    };
    let result = produce(settings, last, &staging, prepared);
    spinner.finish_and_clear();
    let outcome = match result {
        Ok(v) => v,
        Err(e) => return Err(abandon(out, &staging, &mut lock, e)),
    };
    let edited = edited.found();
    let (kept, old) = match swap_in(out, &staging, settings, (&edited, listing.as_deref())) {
        Ok(swapped) => swapped,
        Err(e) => return Err(abandon(out, &staging, &mut lock, e)),
    };
    finish(settings, &staging, outcome, (kept, old.as_deref()), started)
}

/// The output folder checked ([`outdir::check`]), its lock taken and the
/// inputs listed: the folder's resolved path, the lock and the inputs.
fn checked_and_locked(settings: &Settings) -> Result<(PathBuf, outdir::Lock, Vec<io::Input>)> {
    // `shown` is the output folder as the user wrote it, for messages; the
    // folder itself is handled by its resolved path (no `..`, no link), so
    // that what was checked is what is written.
    let shown = &settings.out;
    let named = settings.origins.named(Key::Out, crate::io::named(shown));
    let real = io::resolved(shown);
    let out = &real;
    // A folder another run is writing is waited on with `--wait`, and
    // checked again below; one that `synth` is generating is not (once
    // generated it is data, not an output folder: waiting could only end
    // in its refusal).
    match outdir::check(shown, &named, &settings.inputs) {
        Err(Error::Locked {
            holder: crate::error::Holder::Run,
            ..
        }) if settings.control.wait => {}
        checked => checked?,
    }
    let discover = || {
        let found =
            io::discover(&settings.inputs).map_err(|e| settings.origins.within(Key::Inputs, e));
        found.and_then(|f| outdir::check_found(shown, &named, &f).map(|()| f))
    };
    // Listed before the lock, so that a missing input is refused before
    // anything is written; a run that may have waited for another
    // (`--wait`) lists them again under it, as they are now (it read a
    // file removed meanwhile: "No such file", and missed one added).
    let listed = discover()?;
    let lock = outdir::take(out, settings.control.wait)?;
    // The folder is checked again under the lock, as it is now: a run that
    // waited may find a generation begun in it, or ended; and of two runs
    // started at once on nested folders (`-o F`, `-o F/sub`), each of
    // which passed the first check before the other took its lock, the
    // one that took its lock last sees the other's and is refused.
    outdir::check(shown, &named, &settings.inputs)?;
    let paths = if settings.control.wait {
        discover()?
    } else {
        listed
    };
    Ok((real, lock, paths))
}

/// The run's end, its output swapped in: the old output (at `old`) is gone
/// through (still under the lock) while the summary is printed and the
/// run's tables are freed; what the user saved into the folder meanwhile
/// is moved into the new output. `staging` is where the outputs were
/// written (the summary strips it from their paths); `kept`, the user's
/// files carried under another name.
fn finish(
    settings: &Settings,
    staging: &Path,
    outcome: Outcome,
    (kept, old): (Vec<String>, Option<&Path>),
    started: Instant,
) -> Result<()> {
    let (checked, old_gone) = std::thread::scope(|s| {
        let removal = old.map(|old| s.spawn(move || outdir::retire(old)));
        let text = report(settings, &outcome, staging, &kept, started);
        io::print(&text);
        let checked = outcome.strict_check(strict_by(settings));
        drop(outcome);
        let (gone, late) = removal.map_or((true, Vec::new()), |r| {
            r.join().unwrap_or((false, Vec::new()))
        });
        outdir::announce_moved(&late);
        (checked, gone)
    });
    // What is left of the previous output may be the user's (a file that
    // could not be moved): named, and left for them, not for a later run
    // to remove.
    if let Some(left) = old.filter(|_| !old_gone) {
        outdir::announce_left(left);
    }
    checked
}

/// The previous outputs found with another hash than their manifest's:
/// known, or being hashed beside the run.
enum Edited {
    Known(Vec<String>),
    Hashing(Option<std::thread::JoinHandle<Vec<String>>>),
}

impl Edited {
    /// The outputs of manifest `previous` (if any) in `out`, hashed on a
    /// thread of their own.
    fn hashing(previous: Option<Manifest>, out: &Path) -> Self {
        let out = out.to_path_buf();
        Edited::Hashing(previous.map(|m| std::thread::spawn(move || m.outputs_changed(&out))))
    }

    /// The outputs found changed (none where hashing them failed: their
    /// size and modification time still tell).
    fn found(self) -> Vec<String> {
        match self {
            Edited::Known(e) => e,
            Edited::Hashing(h) => h.and_then(|h| h.join().ok()).unwrap_or_default(),
        }
    }
}

/// The run's result when the previous output, `previous`'s, in `out`
/// (`shown` as the user wrote it), is from the same inputs,
/// configuration and kompass as `hashes` say and intact: nothing is
/// redone, and `--strict` judges its findings. Otherwise `None`, with the
/// outputs whose hash was found changed (they were hashed only when
/// nothing else had changed) in `edited`.
fn up_to_date(
    settings: &Settings,
    previous: Option<&Manifest>,
    (out, shown): (&Path, &Path),
    hashes: &Hashes,
    edited: &mut Option<Vec<String>>,
) -> Option<Result<()>> {
    // A manifest edited since (its seal) is no record of the output: the
    // run is redone, and the edited one kept as the user's (it passed for
    // up to date, its findings, outputs or configuration as edited).
    let m = previous.filter(|m| m.fingerprint == hashes.fingerprint && !m.edited)?;
    let changed = edited.insert(m.outputs_changed(out));
    if !changed.is_empty() {
        return None;
    }
    if !settings.control.quiet {
        io::print(&format!(
            "up to date: {} is from identical inputs, configuration and kompass {} (--force reruns)\n",
            io::named(shown),
            m.version
        ));
    }
    // What the run before warned of on stderr alone, said again.
    for o in m.lossy_outputs() {
        io::warn(&format!(
            "{}: {} character(s) that Windows-1252 does not have written as '?' (by the run \
             that wrote it)",
            io::named(&shown.join(&o.path)),
            o.unmappable
        ));
    }
    let errors = m.count(Severity::Error);
    let warnings = (m.count(Severity::Warning), m.lossy_outputs().count());
    Some(pipeline::check_strict(
        strict_by(settings),
        errors,
        warnings,
    ))
}

/// `--strict` as the user asked for it (the flag or the config file's
/// key), `None` without it.
fn strict_by(settings: &Settings) -> Option<String> {
    settings
        .strict
        .then(|| settings.origins.switch(Key::Strict))
}

/// Removes the staging folder of a failed run and returns its error; what
/// cannot be removed, or a previous output that a failed swap could not
/// put back, is left, with the lock file naming this run, for the next
/// run.
fn abandon(out: &Path, staging: &Path, lock: &mut outdir::Lock, e: Error) -> Error {
    // This run's flushes, ended and forgotten: not a later run's to wait
    // for or to report.
    let _ = crate::io::flush::flushed();
    let discarded = outdir::discard(staging);
    if let Err(why) = &discarded {
        // Said, not left unsaid beside the output (with few file
        // descriptors left, removing it can fail as writing did).
        // The next run removes it only if the lock file names this run (a
        // killed run's leftovers that could not be removed keep it theirs).
        let who = match lock.claimed() {
            true => "the next run on this folder removes it".to_string(),
            false => format!("remove {} yourself", crate::io::named(staging)),
        };
        crate::io::warn(&format!(
            "this run's unfinished output could not be removed ({why}); {who}"
        ));
    }
    if discarded.is_err() || outdir::left_aside() {
        lock.leave_for_next_run();
    }
    outdir::as_in_output(e, out, staging)
}

/// Carries what the user put in the old output over into `staging` and
/// swaps it in (an output in `edited`, found with another hash, is the
/// user's, whatever its size and time); returns the user's files carried
/// under another name, and where the old output is now (to be gone
/// through: [`outdir::retire`]).
fn swap_in(
    out: &Path,
    staging: &Path,
    settings: &Settings,
    (edited, listing): (&[String], Option<&[serde_json::Value]>),
) -> Result<(Vec<String>, Option<PathBuf>)> {
    // Before the user's files are carried in: a failure here leaves
    // nothing of theirs in the staging folder.
    outdir::durable(staging)?;
    let own = outdir::Own::of_output(out, listing).and_edited(edited);
    let carried = outdir::carry_over(out, staging, &own)?;
    pipeline::announce(settings.control.verbose, "swap");
    let old = outdir::replace(out, staging, &own, &carried)?;
    Ok((carried.kept, old))
}

/// What a finished run prints: kept files, the summary, stage times.
fn report(
    settings: &Settings,
    outcome: &Outcome,
    staging: &Path,
    kept: &[String],
    started: Instant,
) -> String {
    let shown = &settings.out;
    let mut text = String::new();
    // On stderr, under --quiet too: a file of the user's is not where they
    // left it (a cron line that sends stdout to /dev/null keeps stderr).
    for k in kept {
        io::warn(&format!("kept: {k}"));
    }
    // On stderr, under --quiet too: what was written differs from the data.
    for p in &outcome.changed_while_read {
        io::warn(&format!(
            "{} changed while it was read or since: this run used what it read, and the next one \
             reads it again",
            io::shown(p)
        ));
    }
    // On stderr, under --quiet too: nothing of a file is used (a file read
    // as another country's: every code `bad-code`).
    let counts = outcome.data.reconciliation();
    for (f, c) in outcome.data.files.iter().zip(&counts.files) {
        if c.read > 0 && c.accepted() == 0 {
            let all = match c.read {
                1 => "its one row".to_string(),
                n => format!("all {n} rows"),
            };
            io::warn(&format!(
                "{}: {all} rejected: nothing of it is used (rejects.csv and validation.csv say \
                 why)",
                io::shown(&f.path),
            ));
        }
    }
    // On stderr, under --quiet too: a file of an input folder not read
    // (a new export that cannot be read would otherwise pass a cron run
    // unseen).
    for (path, why) in &outcome.data.skipped {
        io::warn(&format!(
            "{}: skipped, not an export ({why}): nothing of it is read",
            io::shown(path)
        ));
    }
    for w in outcome.lossy_outputs() {
        let name = w.path.strip_prefix(staging).unwrap_or(&w.path);
        io::warn(&format!(
            "{}: {} character(s) that Windows-1252 does not have written as '?'",
            io::named(&shown.join(name)),
            w.unmappable
        ));
    }
    if !settings.control.quiet {
        text += &summary::render(outcome, &counts, staging, shown, settings.control.verbose);
        if settings.control.verbose {
            for (stage, secs) in &outcome.timings {
                text += &format!("  time {stage:<10}{secs:>9.3} s\n");
            }
        }
        text += &format!(
            "done in {:.2} s; manifest {}\n",
            started.elapsed().as_secs_f64(),
            io::named(&shown.join(manifest::FILE_NAME))
        );
    }
    text
}

/// A spinner on stderr while the pipeline runs, only on a terminal (cron
/// logs stay clean) and not with --quiet.
fn progress(settings: &Settings) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if settings.control.quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_message(format!(
        "kompass: processing {} input(s) ...",
        settings.inputs.len()
    ));
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// What is known before the pipeline runs.
struct Prepared {
    /// `None`: taken while the pipeline runs.
    hashes: Option<Hashes>,
    /// The effective configuration, paths resolved.
    config: ConfigFile,
    /// The input files as found.
    paths: Vec<io::Input>,
    /// The reference files the run read ([`ConfigFile::reference_files`]).
    read: Vec<PathBuf>,
    reference: (Instruments, Register),
    checked: Checked,
    started: Instant,
}

/// Runs the pipeline into `staging` and writes the manifest there.
fn produce(settings: &Settings, last: Stage, staging: &Path, p: Prepared) -> Result<Outcome> {
    let Prepared {
        hashes,
        config,
        paths,
        read,
        reference,
        checked,
        started,
    } = p;
    let mut staged = settings.clone();
    staged.out = staging.to_path_buf();
    let (outcome, hashes) = std::thread::scope(|s| {
        // Taken beside the pipeline unless they were taken before it.
        let hashes = hashes.ok_or_else(|| s.spawn(|| Hashes::of(&paths, last, &config, &read)));
        let outcome = pipeline::execute(&staged, reference, &checked, &paths, last);
        (outcome, hashes.or_else(pipeline::joined))
    });
    let (outcome, hashes) = (outcome?, hashes?);
    let (hashes, changed) = hashes.recorded_as_read(&outcome.data.files, last, &config);
    let mut outcome = outcome;
    outcome.changed_while_read = changed;
    let Hashes {
        fingerprint,
        hashed,
        resolved,
        reference: read_besides,
    } = hashes;
    pipeline::announce(settings.control.verbose, "manifest");
    let inputs = record::inputs(&hashed, &resolved, &outcome.data);
    let outputs = record::outputs(&outcome.written, staging)?;
    let manifest = Manifest {
        tool: "kompass".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        fingerprint,
        stage: last.as_str().into(),
        config,
        inputs,
        reference: record::reference(read_besides),
        outputs,
        findings: record::findings(&outcome.data),
        timings_seconds: record::timings(&outcome.timings, started),
        edited: false,
    };
    manifest.write(staging)?;
    Ok(outcome)
}
