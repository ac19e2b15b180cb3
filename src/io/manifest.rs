//! `manifest.json`: what a run read, how it was configured, what it wrote and
//! how long it took. It is what makes a rerun incremental: when the tool
//! version, the effective configuration and every input hash the same as in
//! the existing manifest, and every output listed there is intact, there is
//! nothing to do. Timings live here only, never in the data files.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::run::config::ConfigFile;
use crate::validate::rules::Severity;

mod hash;
mod seal;
use hash::sha256_file;
pub use hash::{Hashing, fingerprint, hash_file, hash_hex, sha256_hex};
use seal::{edited_text, sealed};

pub const FILE_NAME: &str = "manifest.json";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct InputFile {
    pub path: String,
    pub size: u64,
    /// BLAKE3 (hex) of the bytes read.
    pub blake3: String,
    pub rows_read: u64,
    pub rows_accepted: u64,
    pub rows_rejected: u64,
    /// Score cells rejected on their own in rows otherwise accepted (the
    /// wide layout); each is a row of `rejects.csv` too.
    #[serde(default)]
    pub cells_rejected: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output folder.
    pub path: String,
    /// BLAKE3 (hex) of the bytes written.
    pub blake3: String,
    /// Its size: a later run tells an output the user changed from one
    /// kompass wrote by it (and by its time) before it hashes it.
    #[serde(default)]
    pub bytes: u64,
    /// Data rows (CSV) or 0.
    pub rows: u64,
    /// Its modification time as written, in nanoseconds since 1970: an
    /// output with this size and time is taken as kompass's without being
    /// hashed (older manifests have none: then its hash is compared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_ns: Option<u64>,
    /// Characters the output encoding lacks, written `?` (a warning, which
    /// `--strict` counts, also when a later run finds the output up to
    /// date); not written when none.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unmappable: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A file's modification time in nanoseconds since 1970, where the system
/// tells it.
pub fn modified_ns(meta: &fs::Metadata) -> Option<u64> {
    let t = meta.modified().ok()?;
    let d = t.duration_since(std::time::UNIX_EPOCH).ok()?;
    u64::try_from(d.as_nanos()).ok()
}

/// A file the run read besides the data: the register, the instrument
/// definitions, the published figures (when given; the shipped ones come
/// with the tool's version). A change to one is a change of the run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReferenceFile {
    pub path: String,
    pub size: u64,
    /// BLAKE3 (hex) of the bytes read.
    pub blake3: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub tool: String,
    pub version: String,
    /// SHA-256 over version, stage, configuration and the hashes of the
    /// inputs and the reference files.
    pub fingerprint: String,
    pub stage: String,
    pub config: ConfigFile,
    pub inputs: Vec<InputFile>,
    /// Read besides the inputs (older manifests list none).
    #[serde(default)]
    pub reference: Vec<ReferenceFile>,
    pub outputs: Vec<OutputFile>,
    /// Findings per severity and rule.
    pub findings: BTreeMap<String, BTreeMap<String, u64>>,
    pub timings_seconds: BTreeMap<String, f64>,
    /// Changed since kompass wrote it (its seal, [`edited_text`]), as
    /// read; never written.
    #[serde(skip)]
    pub edited: bool,
}

/// Whether `out` holds a `manifest.json` written by kompass (any version:
/// only its `tool` field is read).
pub fn written_by_kompass(out: &Path) -> bool {
    parsed::<serde_json::Value>(out).is_some_and(|v| v["tool"] == "kompass")
}

/// The `manifest.json` in `out` read as a `T` (a [`Manifest`], or any
/// version's as JSON), if there is one that parses as one.
fn parsed<T: serde::de::DeserializeOwned>(out: &Path) -> Option<T> {
    parse(&read_manifest(out)?.0)
}

/// Manifest `bytes` read as a `T`.
fn parse<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    let text = std::str::from_utf8(crate::io::decode::strip_bom(bytes)).ok()?;
    serde_json::from_str(text).ok()
}

/// The outputs manifest `value` lists, as it writes them (read without
/// the rest of the manifest: also one of another kompass version).
fn listing_of(mut value: serde_json::Value) -> Option<Vec<serde_json::Value>> {
    match value["outputs"].take() {
        serde_json::Value::Array(listed) => Some(listed),
        _ => None,
    }
}

/// What one read of the `manifest.json` in an output folder finds, for
/// the swap ([`look`]).
#[derive(Debug, Default)]
pub struct Look {
    /// The outputs it lists ([`listed_outputs`]), if it is JSON with a
    /// list of outputs.
    pub listing: Option<Vec<serde_json::Value>>,
    /// Changed since kompass wrote it (its seal: [`edited_text`]).
    pub edited: bool,
    /// The metadata of the open file; `None`: no manifest file there (a
    /// link to one is followed, as when it is read).
    pub meta: Option<fs::Metadata>,
}

/// The `manifest.json` in `out` read once: what it lists, whether it was
/// edited, and its metadata as read.
pub fn look(out: &Path) -> Look {
    let Some((bytes, meta)) = read_manifest(out) else {
        return Look::default();
    };
    Look {
        listing: parse(&bytes).and_then(listing_of),
        edited: edited_text(&bytes),
        meta: Some(meta),
    }
}

/// The bytes of the `manifest.json` in `out` and the metadata of the open
/// file: a regular file only (a link to one followed). A named pipe there
/// is opened without waiting for a writer (which would be forever: the
/// never-destroy audit, 2026-12-04, found the run hung) and refused.
fn read_manifest(out: &Path) -> Option<(Vec<u8>, fs::Metadata)> {
    let path = out.join(FILE_NAME);
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    #[cfg(not(target_os = "linux"))]
    if !fs::metadata(&path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let mut file = options.open(&path).ok()?;
    let meta = file.metadata().ok().filter(fs::Metadata::is_file)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).ok()?;
    Some((bytes, meta))
}

/// What the `manifest.json` in a folder makes of it ([`manifested`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Manifested {
    /// No manifest written by kompass.
    NotKompass,
    /// kompass's manifest, but none of the outputs it lists is there as
    /// kompass wrote it: a manifest copied into the folder alone.
    NoOutputThere,
    /// kompass's manifest and at least one output it lists, as written:
    /// an output folder of kompass's.
    Output,
}

/// Whether `out` is kompass's output folder by its manifest: written by
/// kompass, with at least one output it lists there as kompass wrote it
/// (see [`listed_outputs`]); a manifest copied into a folder alone does
/// not make the folder kompass's. The manifest is read once.
pub fn manifested(out: &Path) -> Manifested {
    let Some(value) = parsed::<serde_json::Value>(out).filter(|v| v["tool"] == "kompass") else {
        return Manifested::NotKompass;
    };
    let listed = value["outputs"].as_array().into_iter().flatten();
    match (listed.filter_map(|o| found(out, o))).any(|(_, found, _)| found == Found::AsWritten) {
        true => Manifested::Output,
        false => Manifested::NoOutputThere,
    }
}

/// The outputs the manifest in `out` lists (paths relative to `out`) that
/// are still as kompass wrote them, and those that are not (changed since,
/// or listed by a manifest that is not kompass's own record of them). Read
/// without the rest of the manifest: also from one of another kompass
/// version, whose configuration this one would not parse: `listed`, as
/// [`look`] found it (or as the run found it at its start, where the
/// manifest was removed or broken since). Both empty without a listing.
///
/// An output is as written when its size and modification time are the
/// recorded ones (to the nanosecond: a file put there under a copied
/// manifest does not have them), or else when its hash is the recorded
/// one; without a recorded time (a manifest of an earlier version), when
/// its hash is (BLAKE3, or SHA-256 in a manifest of an earlier version).
///
/// Each output as written comes with what was found at its place when it
/// was judged so (`None`: nothing): the same look, not a later one, so that
/// a file edited just after it is found changed when it is looked at again.
pub fn listed_outputs(
    out: &Path,
    listed: Option<&[serde_json::Value]>,
) -> (Vec<(String, Option<fs::Metadata>)>, Vec<String>) {
    let Some(listed) = listed else {
        return (Vec::new(), Vec::new());
    };
    let verdicts: Vec<(String, Found, Option<fs::Metadata>)> = listed
        .par_iter()
        .filter_map(|o| {
            let (rel, found, meta) = found(out, o)?;
            Some((rel.to_string(), found, meta))
        })
        .collect();
    let (own, changed): (Vec<_>, Vec<_>) =
        (verdicts.into_iter()).partition(|(_, found, _)| *found != Found::Changed);
    let own = own.into_iter().map(|(p, _, meta)| (p, meta)).collect();
    (own, changed.into_iter().map(|(p, ..)| p).collect())
}

/// What is in `out` at the place of a listed output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    AsWritten,
    Changed,
    Nothing,
}

/// The path of listed output `o` (as the manifest gives it), what is
/// there and the file's metadata as it was judged; `None` for a folder or
/// link of the user's where an output was (kompass writes files only:
/// theirs, not a changed output) or an entry without a path.
fn found<'o>(
    out: &Path,
    o: &'o serde_json::Value,
) -> Option<(&'o str, Found, Option<fs::Metadata>)> {
    let rel = o["path"].as_str()?;
    // Only a place inside `out` can be kompass's.
    let inside = Path::new(rel)
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    let file = out.join(rel);
    let Ok(meta) = fs::symlink_metadata(&file) else {
        return Some((rel, Found::Nothing, None));
    };
    if !meta.is_file() {
        return None;
    }
    // A manifest of an earlier version gives the SHA-256.
    let same_hash = || match (o["blake3"].as_str(), o["sha256"].as_str()) {
        (Some(want), _) => hash_file(&file).is_ok_and(|(_, h)| h == want),
        (None, Some(want)) => sha256_file(&file).is_ok_and(|h| h == want),
        (None, None) => false,
    };
    let as_written = inside
        && match (o["bytes"].as_u64(), o["modified_ns"].as_u64()) {
            (Some(bytes), Some(ns)) if meta.len() == bytes => {
                modified_ns(&meta) == Some(ns) || same_hash()
            }
            (Some(bytes), _) if meta.len() != bytes => false,
            _ => same_hash(),
        };
    let found = match as_written {
        true => Found::AsWritten,
        false => Found::Changed,
    };
    Some((rel, found, Some(meta)))
}

impl Manifest {
    /// The manifest in `out`, if there is a readable one.
    pub fn read(out: &Path) -> Option<Manifest> {
        parsed(out)
    }

    /// The manifest in `out`, as [`Manifest::read`], and what it lists
    /// (also where this kompass cannot read the rest: another version's),
    /// from one read.
    /// Whether it was edited is in [`Manifest::edited`].
    pub fn read_with_listing(out: &Path) -> (Option<Manifest>, Option<Vec<serde_json::Value>>) {
        let Some((bytes, _)) = read_manifest(out) else {
            return (None, None);
        };
        let Some(value) = parse::<serde_json::Value>(&bytes) else {
            return (None, None);
        };
        let listing = value["outputs"].as_array().cloned();
        let manifest = serde_json::from_value(value)
            .ok()
            .map(|m: Manifest| Manifest {
                edited: edited_text(&bytes),
                ..m
            });
        (manifest, listing)
    }

    /// The outputs it lists that are not in `out` with the same hash
    /// (changed since, or gone): none when the output is intact.
    pub fn outputs_changed(&self, out: &Path) -> Vec<String> {
        (self.outputs.par_iter())
            .filter(|o| !hash_file(&out.join(&o.path)).is_ok_and(|(_, hash)| hash == o.blake3))
            .map(|o| o.path.clone())
            .collect()
    }

    /// How many findings of `severity` the run that wrote it had.
    pub fn count(&self, severity: Severity) -> usize {
        let n: u64 = (self.findings.get(severity.as_str())).map_or(0, |m| m.values().sum());
        usize::try_from(n).unwrap_or(usize::MAX)
    }

    /// The outputs written with characters their encoding lacks (each a
    /// warning, as `Outcome::lossy_outputs` in a run).
    pub fn lossy_outputs(&self) -> impl Iterator<Item = &OutputFile> {
        self.outputs.iter().filter(|o| o.unmappable > 0)
    }

    /// Writes it into `dir`, sealed with its own hash ([`sealed`]).
    pub fn write(&self, dir: &Path) -> Result<()> {
        let path = dir.join(FILE_NAME);
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| Error::io(&path, std::io::Error::other(e)))?;
        crate::io::write_file(&path, sealed(text + "\n"))
    }
}
