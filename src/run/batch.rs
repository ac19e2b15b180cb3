//! Running a command the way a scheduler needs it: take the output folder's
//! lock, clean up after killed runs, hash the inputs, do nothing when nothing
//! changed, otherwise run the pipeline into a staging folder, write the
//! manifest, and swap the staging folder in atomically.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::Result;
use crate::io;
use crate::io::manifest::{self, InputFile, Manifest, OutputFile};
use crate::io::outdir;
use crate::run::pipeline::{self, Outcome, Settings, Stage};
use crate::run::summary;
use rayon::prelude::*;

/// Runs the pipeline up to `last` with `settings`.
pub fn run(settings: &Settings, last: Stage) -> Result<()> {
    let started = Instant::now();
    let out = &settings.out;
    let _lock = outdir::lock(out, settings.control.wait)?;
    outdir::clean_leftovers(out)?;

    let paths = io::discover(&settings.inputs)?;
    let hashed: Vec<_> = paths
        .par_iter()
        .map(|p| {
            let (size, sha) = manifest::hash_file(p)?;
            Ok((p.clone(), size, sha))
        })
        .collect::<Result<_>>()?;
    let config = settings.to_config();
    let fingerprint = manifest::fingerprint(last.as_str(), &config, &hashed);
    let previous = Manifest::read(out);
    let unchanged = previous.as_ref().filter(|m| {
        !settings.control.force && m.fingerprint == fingerprint && m.outputs_intact(out)
    });
    if let Some(m) = unchanged {
        if !settings.control.quiet {
            println!(
                "up to date: {} is from identical inputs, configuration and kompass {} (--force reruns)",
                out.display(),
                m.version
            );
        }
        let (errors, warnings) = (m.count("error") as usize, m.count("warning") as usize);
        return pipeline::check_strict(settings.strict, errors, warnings);
    }

    let staging = outdir::staging(out)?;
    let spinner = progress(settings);
    let result = produce(
        settings,
        last,
        &staging,
        fingerprint,
        config,
        &hashed,
        started,
    );
    spinner.finish_and_clear();
    let outcome = match result {
        Ok(v) => v,
        Err(e) => {
            outdir::discard(&staging);
            return Err(e);
        }
    };
    let own: Vec<String> = previous
        .iter()
        .flat_map(|m| m.outputs.iter().map(|o| o.path.clone()))
        .chain(std::iter::once(manifest::FILE_NAME.to_string()))
        .collect();
    outdir::carry_over(out, &staging, |name| {
        !own.iter().any(|o| o == name) && !name.ends_with(".partial")
    })?;
    pipeline::announce(settings.control.verbose, "swap");
    outdir::replace(out, &staging)?;

    if !settings.control.quiet {
        print!("{}", summary::render(&outcome, &staging, out));
        if settings.control.verbose {
            for (stage, secs) in &outcome.timings {
                println!("  time {stage:<10}{secs:>9.3} s");
            }
        }
        println!(
            "done in {:.2} s; manifest {}",
            started.elapsed().as_secs_f64(),
            out.join(manifest::FILE_NAME).display()
        );
    }
    outcome.strict_check(settings.strict)
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

/// Runs the pipeline into `staging` and writes the manifest there.
fn produce(
    settings: &Settings,
    last: Stage,
    staging: &Path,
    fingerprint: String,
    config: crate::run::config::ConfigFile,
    hashed: &[(PathBuf, u64, String)],
    started: Instant,
) -> Result<Outcome> {
    let mut staged = settings.clone();
    staged.out = staging.to_path_buf();
    let paths: Vec<PathBuf> = hashed.iter().map(|(p, _, _)| p.clone()).collect();
    let outcome = pipeline::execute(&staged, &paths, last)?;
    pipeline::announce(settings.control.verbose, "manifest");
    let data = &outcome.data;
    let rejected = data.rejected_per_file();
    let inputs = hashed
        .iter()
        .map(|(path, size, sha)| {
            let i = data.files.iter().position(|f| &f.path == path);
            let read = i.map_or(0, |i| data.files[i].rows_read);
            let rej = i.map_or(0, |i| rejected[i]);
            InputFile {
                path: path.display().to_string(),
                size: *size,
                sha256: sha.clone(),
                rows_read: read,
                rows_accepted: read - rej,
                rows_rejected: rej,
            }
        })
        .collect();
    // Hashed on all cores: at scale the outputs are gigabytes.
    let mut outputs: Vec<OutputFile> = outcome
        .written
        .par_iter()
        .map(|w| {
            let (_, sha) = manifest::hash_file(&w.path)?;
            let rel = w.path.strip_prefix(staging).unwrap_or(&w.path);
            let name = rel.to_string_lossy().replace('\\', "/");
            Ok(OutputFile {
                path: name,
                sha256: sha,
                rows: w.rows,
            })
        })
        .collect::<Result<_>>()?;
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    let mut findings: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for f in &data.findings {
        let sev = f.rule.severity().as_str();
        *findings
            .entry(sev.into())
            .or_default()
            .entry(f.rule.code().into())
            .or_default() += 1;
    }
    let mut timings: BTreeMap<String, f64> = outcome
        .timings
        .iter()
        .map(|(k, v)| ((*k).to_string(), (v * 1000.0).round() / 1000.0))
        .collect();
    timings.insert(
        "total".into(),
        (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
    );
    let manifest = Manifest {
        tool: "kompass".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        fingerprint,
        stage: last.as_str().into(),
        config,
        inputs,
        outputs,
        findings,
        timings_seconds: timings,
    };
    manifest.write(staging)?;
    Ok(outcome)
}
