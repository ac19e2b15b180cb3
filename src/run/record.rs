//! The run's record in its manifest: the input files with their row
//! counts, the outputs with their sizes and hashes, the findings per rule
//! and the stages' times.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::io::csv_out::Written;
use crate::io::manifest::{self, InputFile, OutputFile, ReferenceFile};
use crate::validate::Validated;

/// A file with its size and BLAKE3.
pub(super) type Hashed = (PathBuf, u64, String);

/// The input files (as found, `hashed`; as the manifest names them,
/// `resolved`) with the rows read, accepted and rejected in each.
pub(super) fn inputs(hashed: &[Hashed], resolved: &[Hashed], data: &Validated) -> Vec<InputFile> {
    let counts = data.reconciliation().files;
    hashed
        .iter()
        .zip(resolved)
        .map(|((path, size, hash), (real, _, _))| {
            let i = data.files.iter().position(|f| &f.path == path);
            let c = i.and_then(|i| counts.get(i)).copied().unwrap_or_default();
            InputFile {
                path: crate::io::text_of(real),
                size: *size,
                blake3: hash.clone(),
                rows_read: c.read,
                rows_accepted: c.accepted(),
                rows_rejected: c.rejected,
                cells_rejected: c.cells_rejected,
            }
        })
        .collect()
}

/// The files written into `staging`, sorted by their paths in it, with
/// size, rows and BLAKE3 (taken while written, else read back). Hashed on
/// all cores: at scale the outputs are gigabytes.
pub(super) fn outputs(written: &[Written], staging: &Path) -> Result<Vec<OutputFile>> {
    let mut outputs: Vec<OutputFile> = written
        .par_iter()
        .map(|w| {
            let hash = match &w.blake3 {
                Some(hash) => hash.clone(),
                None => manifest::hash_file(&w.path)?.1,
            };
            let rel = w.path.strip_prefix(staging).unwrap_or(&w.path);
            let name = rel.to_string_lossy().replace('\\', "/");
            let meta = std::fs::metadata(&w.path).map_err(|e| Error::io(&w.path, e))?;
            Ok(OutputFile {
                path: name,
                blake3: hash,
                bytes: meta.len(),
                rows: w.rows,
                modified_ns: manifest::modified_ns(&meta),
                unmappable: w.unmappable,
            })
        })
        .collect::<Result<_>>()?;
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(outputs)
}

/// The reference files read beside the inputs.
pub(super) fn reference(files: Vec<Hashed>) -> Vec<ReferenceFile> {
    let file = |(path, size, blake3): Hashed| ReferenceFile {
        path: crate::io::text_of(&path),
        size,
        blake3,
    };
    files.into_iter().map(file).collect()
}

/// The number of findings per severity and rule.
pub(super) fn findings(data: &Validated) -> BTreeMap<String, BTreeMap<String, u64>> {
    let mut findings: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for (rule, n) in data.rule_counts() {
        let sev = rule.severity().as_str();
        *findings
            .entry(sev.into())
            .or_default()
            .entry(rule.code().into())
            .or_default() += n;
    }
    findings
}

/// Each stage's seconds, to the millisecond, and the run's `total` since
/// `started`.
pub(super) fn timings(stages: &[(&str, f64)], started: Instant) -> BTreeMap<String, f64> {
    let ms = |s: f64| (s * 1000.0).round() / 1000.0;
    let mut timings: BTreeMap<String, f64> = (stages.iter())
        .map(|(k, v)| ((*k).to_string(), ms(*v)))
        .collect();
    timings.insert("total".into(), ms(started.elapsed().as_secs_f64()));
    timings
}
