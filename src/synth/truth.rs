//! `meta/truth.json`: what a generation is (its options, the model it drew
//! from, what it realised) and the files it wrote, each with its BLAKE3,
//! so that the next generation into the folder removes exactly those
//! files, and none that was changed since (see `folder::claim`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::export::ExportDialect;
use super::model::Model;
use super::{Realised, SynthOptions};
use crate::error::{Error, Result};

#[derive(Serialize)]
struct Truth<'a> {
    generator: String,
    seed: u64,
    evaluations_requested: u64,
    layout: &'static str,
    dialect: &'static str,
    countries: &'a [String],
    /// The municipalities `--avoid` kept out ("SE 2380"), sorted: with
    /// them the generation can be made again from this file.
    avoided: Vec<String>,
    fault_rate: f64,
    model: &'a Model,
    realised: &'a Realised,
    notes: [&'static str; 4],
    /// Every file this generation wrote, relative to `--out`: what the next
    /// generation into the folder removes, and nothing else.
    files: &'a [String],
    /// The BLAKE3 of each of those files but this one: one that no longer
    /// has it was changed, and the next generation leaves it alone.
    blake3: &'a BTreeMap<String, String>,
}

/// Writes the truth of the generation `opts` made from `model`, which
/// realised `real` in `files`, of hashes `hashes`, beside `path` (its
/// partial name, returned): it replaces the provisional truth only once
/// it is on the disk ([`crate::io::put_in_place`]).
pub(super) fn write(
    opts: &SynthOptions,
    (model, real): (&Model, &Realised),
    (files, hashes): (&[String], &BTreeMap<String, String>),
    path: &Path,
) -> Result<PathBuf> {
    let truth = Truth {
        generator: format!("kompass synth {}", env!("CARGO_PKG_VERSION")),
        seed: opts.seed,
        evaluations_requested: opts.evaluations,
        layout: opts.layout.as_str(),
        dialect: match opts.dialect {
            ExportDialect::Plain => "plain",
            ExportDialect::ExcelSv => "excel-sv",
        },
        countries: &opts.countries,
        avoided: {
            let mut v: Vec<String> = (opts.avoid.iter())
                .map(|(c, m)| format!("{c} {m}"))
                .collect();
            v.sort();
            v.dedup();
            v
        },
        fault_rate: opts.faults,
        model,
        realised: real,
        notes: [
            "Relations: to = intercept + slope * from + N(0, noise_sd); old area a from new area a; 2020 area j from new area map_2020_to_new[j-1]+1.",
            "Linking old to new inverts old_from_new: new = (old - intercept) / slope, i.e. slope 1/slope and intercept -intercept/slope.",
            "A linear (mean-sigma) link estimates sd_new / sd_old instead, and sd_old^2 = slope^2 sd_new^2 + noise_sd^2 (+ 1/48 for old scores rounded to halves): its slope is about 1 % flatter than 1/slope, a difference of about 0.5 bootstrap SE at 60 pairs that grows with the square root of the pairs.",
            "Latent new-scale area score = first_round_profile + municipality effect + area effect + gains + evaluation noise, clamped to 0-100.",
        ],
        files,
        blake3: hashes,
    };
    let text = serde_json::to_string_pretty(&truth)
        .map_err(|e| Error::io(path, std::io::Error::other(e)))?;
    crate::io::write_file_aside(path, text + "\n")
}
