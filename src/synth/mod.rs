//! `kompass synth`: a seeded generator of realistic evaluation exports, for
//! demonstrations, tests and benchmarks at any size.
//!
//! It walks municipality by municipality (real ones from the register first,
//! invented ones when N needs more), draws each one's history of 1-4
//! evaluations and writes its rows at once, so memory stays at one history
//! however large N is. Same arguments, same bytes.

pub mod export;
pub mod faults;
mod folder;
pub mod model;
mod pool;
mod sink;
mod truth;

use std::path::PathBuf;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::ingest::EvalKey;
use crate::ingest::header::Layout;
use crate::reference::instrument::{Instruments, Scale, ScaleIx};
use crate::reference::register::{Municipality, Register};
use crate::stats::rng::Rng;
use export::{ExportDialect, Renderer, SynthEval};
use model::{AREAS, Latent, Model, relate, round_to, split};
use pool::Pool;
use sink::Sink;

/// Earliest and latest evaluation years generated.
pub const FIRST_YEAR: u32 = 2002;
pub const LAST_YEAR: u32 = 2024;

/// What to generate.
#[derive(Debug, Clone)]
pub struct SynthOptions {
    pub evaluations: u64,
    pub seed: u64,
    pub out: PathBuf,
    pub layout: Layout,
    pub dialect: ExportDialect,
    pub countries: Vec<String>,
    /// Share of evaluations with one planted fault.
    pub faults: f64,
    /// Number of export files (municipalities are spread over them).
    pub files: u32,
    /// (country, code) of municipalities not to use (real published ones).
    pub avoid: Vec<(String, String)>,
    /// The register drawn from (`--register`, where given): it may not be
    /// a file the generation removes.
    pub register_path: Option<PathBuf>,
    pub progress: bool,
}

/// What was generated.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Realised {
    pub evaluations: u64,
    pub rows: u64,
    pub municipalities: u64,
    pub invented_municipalities: u64,
    /// Evaluations per country and scale, as "SE/new" -> n.
    pub by_country_scale: std::collections::BTreeMap<String, u64>,
    /// Municipality-years scored on both `old` and `new` (2010), as
    /// written: a history cut short at `-n` counts what it wrote.
    pub pairs_old_new: u64,
    /// Municipality-years scored on both `new` and `2020` (2020).
    pub pairs_new_2020: u64,
    /// Latent total gains between consecutive rounds written.
    pub gains: u64,
    pub gain_mean: f64,
    /// Evaluations given a fault (`--faults`).
    pub faults: u64,
    /// The findings those faults should give: the lines of
    /// `meta/faults.csv` (a conflict gives two, a moved area may break its
    /// total too).
    pub expected_findings: u64,
}

#[derive(Debug, Clone, Copy)]
enum Publication {
    Full { subquestions: bool },
    TotalOnly,
    SomeAreas,
}

struct Scales {
    old: ScaleIx,
    new: ScaleIx,
    y2020: ScaleIx,
}

/// Generates the exports, `meta/truth.json`, `meta/faults.csv` and (when
/// municipalities were invented) `meta/register.csv`.
pub fn generate(
    opts: &SynthOptions,
    instruments: &Instruments,
    register: &Register,
) -> Result<Realised> {
    let scales = check(opts, instruments, register)?;
    let planned = folder::planned(opts.files);
    let claim = folder::claim(&opts.out, &planned, opts.register_path.as_deref())?;
    let made = claim.made;
    let meta = opts.out.join("meta");
    crate::io::create_dir(&meta)?;
    let mut record = folder::begin(&opts.out, &planned, claim)?;
    // A generation that fails (a full disk) removes the temporary files it
    // was writing, which may be large, and names the file as it would
    // have been called; what it finished stays listed for the next one
    // (a folder it made and put nothing in is removed).
    let real = write_files(
        opts,
        (instruments, register),
        &scales,
        &planned,
        &mut record,
    )
    .map_err(|e| record.abandon(&opts.out, made, e))?;
    let (written, hashes) = record.written();
    let path = opts.out.join(folder::TRUTH);
    let aside = truth::write(opts, (&real.1, &real.0), (&written, &hashes), &path)?;
    // The finished truth under its partial name, the files' renames and
    // the folder's entries on the disk too (one syncfs of the folder's
    // file system, as a run makes its output durable), and only then the
    // truth in place: a write refused there leaves the provisional one,
    // the finished one removed from its partial name, where it was the
    // latest word (a run read the folder as finished: review, 2026-12-06).
    if let Err(e) = crate::io::outdir::durable(&opts.out) {
        crate::io::discard_file(&aside);
        return Err(e);
    }
    crate::io::put_in_place(&aside, &path)?;
    crate::io::flush_folder(&opts.out.join("meta"));
    Ok(real.0)
}

/// Writes the exports and the meta files of a generation recorded in
/// `record`; what it realised, and the model it drew from.
fn write_files(
    opts: &SynthOptions,
    (instruments, register): (&Instruments, &Register),
    scales: &Scales,
    planned: &[String],
    record: &mut folder::Provisional,
) -> Result<(Realised, Model)> {
    let meta = opts.out.join("meta");
    let model = Model::calibrated(&opts.countries);
    let renderer = Renderer::new(opts.layout, opts.dialect, instruments);
    let export_names = &planned[..opts.files as usize];
    let mut sink = Sink::create(opts, &renderer, export_names, &meta)?;
    let mut pool = Pool::new(opts, register, &meta);
    let mut rng = Rng::derive(opts.seed, 1);
    let weights: Vec<f64> = model.countries.iter().map(|c| c.weight).collect();
    let mut real = Realised::default();
    let bar = progress(opts);
    let mut history = 0u64;
    while real.evaluations < opts.evaluations {
        let c = rng.weighted(&weights);
        let muni = pool.next(c, &mut rng)?;
        let file = (history % u64::from(opts.files)) as usize;
        history += 1;
        // Room left for one evaluation in each file not yet written to, so
        // that no file is only a header (5 evaluations in 5 files: the
        // first two histories took them all).
        let reserve = u64::from(opts.files).saturating_sub(history);
        real.municipalities += 1;
        let evals = simulate_history(&model, c, &muni, scales, instruments, &mut rng);
        for drawn in evals {
            if real.evaluations + reserve >= opts.evaluations {
                break;
            }
            real.tally(&drawn);
            sink.write(drawn.eval, file, instruments, &mut real)?;
            bar.inc(1);
        }
    }
    bar.finish_and_clear();
    sink.finish(record, export_names)?;
    real.invented_municipalities = pool.invented;
    pool.finish(record)?;
    // Every file on the disk before the truth lists them as a finished
    // generation: a write the disk refuses only on its way there (a full
    // disk under a cache) is an error here, not a silent exit 0.
    crate::io::flush::flushed().map_err(|(path, e)| Error::io(&path, e))?;
    Ok((real, model))
}

/// The options checked against the instruments and the register; the three
/// scales the generator writes.
fn check(opts: &SynthOptions, instruments: &Instruments, register: &Register) -> Result<Scales> {
    let need = |id: &str| {
        instruments
            .lookup(id)
            .ok_or_else(|| Error::Usage(format!("synth needs the instrument version '{id}'")))
    };
    let scales = Scales {
        old: need("old")?,
        new: need("new")?,
        y2020: need("2020")?,
    };
    for ix in [scales.old, scales.new, scales.y2020] {
        model_shape(instruments.get(ix))?;
    }
    for c in &opts.countries {
        if register.code_widths(c).is_none() {
            return Err(Error::Usage(format!(
                "--countries: '{c}' is not in the register (known: {})",
                register.countries().join(", ")
            )));
        }
    }
    // Every file holds at least one evaluation (their names are made up
    // front: 2^32 of them would not fit in memory).
    if opts.files == 0 || u64::from(opts.files) > opts.evaluations.max(1) {
        return Err(Error::Usage(format!(
            "--files must be between 1 and the number of evaluations ({}), got {}",
            opts.evaluations.max(1),
            opts.files
        )));
    }
    export::room_to_open(opts.files)?;
    if !(0.0..=1.0).contains(&opts.faults) {
        return Err(Error::Usage(format!(
            "--faults must be between 0 and 1, got {}",
            opts.faults
        )));
    }
    Ok(scales)
}

/// The model draws 8 area scores of 0-100 points per evaluation (as the
/// seed's instruments have them): a version of another shape is refused,
/// not generated with areas missing or above their max.
fn model_shape(scale: &Scale) -> Result<()> {
    let areas = scale.areas();
    let found = if areas.len() != AREAS {
        format!("it has {} areas", areas.len())
    } else if let Some(a) = areas.iter().map(|&a| scale.get(a)).find(|a| a.max != 100.0) {
        format!("area {} has max {}", a.id, a.max)
    } else {
        return Ok(());
    };
    Err(Error::Usage(format!(
        "synth models instrument versions of {AREAS} areas of 100 points each; \
         version '{}' does not fit ({found})",
        scale.id
    )))
}

fn progress(opts: &SynthOptions) -> indicatif::ProgressBar {
    if !opts.progress {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(opts.evaluations);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("synth {bar:40} {pos}/{len} evaluations ({eta})")
    {
        bar.set_style(style);
    }
    bar
}

/// An evaluation drawn, with what it adds to the realised figures when it
/// is written (a history is cut short at the evaluations asked for: until
/// 2026-12-01 its pairs and gains were counted as drawn, and the shipped
/// sample's `truth.json` gave 7 old/new pairs for the 6 written).
struct Drawn {
    eval: SynthEval,
    /// The latent total gain since the round before, on the first
    /// evaluation of a later round.
    gain: Option<f64>,
    /// On the second scale of a dual-scored year (old in 2010, new in
    /// 2020), whose first is written before it.
    pair: Option<Pair>,
}

#[derive(Clone, Copy)]
enum Pair {
    OldNew,
    New2020,
}

impl Realised {
    /// Counts what `drawn` adds, as it is written.
    fn tally(&mut self, drawn: &Drawn) {
        if let Some(gain) = drawn.gain {
            self.gains += 1;
            self.gain_mean += (gain - self.gain_mean) / self.gains as f64;
        }
        match drawn.pair {
            Some(Pair::OldNew) => self.pairs_old_new += 1,
            Some(Pair::New2020) => self.pairs_new_2020 += 1,
            None => {}
        }
    }
}

/// One municipality's evaluations, in year order (a dual-scored year gives
/// two, the primary scale first).
fn simulate_history(
    model: &Model,
    country: usize,
    muni: &Municipality,
    scales: &Scales,
    instruments: &Instruments,
    rng: &mut Rng,
) -> Vec<Drawn> {
    let k = 1 + rng.weighted(&model.rounds_weights);
    let gaps: Vec<u32> = (1..k).map(|_| rng.range(2, 4)).collect();
    let span: u32 = gaps.iter().sum();
    let mut year = rng.range(FIRST_YEAR, LAST_YEAR - span);
    let mut latent = Latent::first(model, country, rng);
    let mut out = Vec::new();
    for round in 0..k {
        let mut gain = None;
        if round > 0 {
            year += gaps[round - 1];
            gain = Some(latent.advance(model, rng));
        }
        let new_scores = latent.observe(model, rng);
        let publication = if rng.chance(model.total_only) {
            Publication::TotalOnly
        } else if rng.chance(model.some_areas) {
            Publication::SomeAreas
        } else {
            Publication::Full {
                subquestions: rng.chance(model.subquestions),
            }
        };
        let mut on = |scale: ScaleIx, pair: Option<Pair>, rng: &mut Rng| {
            let values = publish(
                model,
                scales,
                instruments,
                scale,
                &new_scores,
                publication,
                rng,
            );
            let key = EvalKey {
                country: muni.country.clone(),
                code: muni.code.clone(),
                year: year as u16,
                scale,
            };
            let name = muni.name.clone();
            let eval = SynthEval { key, name, values };
            // The round's gain on its first evaluation.
            let gain = gain.take();
            out.push(Drawn { eval, gain, pair });
        };
        match year {
            ..2010 => on(scales.old, None, rng),
            2010..2020 => {
                on(scales.new, None, rng);
                if year == 2010 && rng.chance(model.dual_2010) {
                    on(scales.old, Some(Pair::OldNew), rng);
                }
            }
            _ => {
                on(scales.y2020, None, rng);
                if year == 2020 && rng.chance(model.dual_2020) {
                    on(scales.new, Some(Pair::New2020), rng);
                }
            }
        }
    }
    out
}

/// The published values of one evaluation on one scale.
fn publish(
    model: &Model,
    scales: &Scales,
    instruments: &Instruments,
    scale_ix: ScaleIx,
    new_scores: &[f64; AREAS],
    publication: Publication,
    rng: &mut Rng,
) -> Vec<Option<f64>> {
    let scale = instruments.get(scale_ix);
    let unrounded: Vec<f64> = (0..AREAS)
        .map(|a| {
            if scale_ix == scales.new {
                new_scores[a]
            } else if scale_ix == scales.old {
                relate(&model.old_from_new[a], new_scores[a], rng)
            } else {
                relate(
                    &model.y2020_from_new[a],
                    new_scores[model.map_2020_to_new[a]],
                    rng,
                )
            }
        })
        .collect();
    let res = scale.resolution;
    let mut values = vec![None; scale.items.len()];
    let areas = scale.areas().to_vec();
    match publication {
        Publication::TotalOnly => {
            values[scale.total() as usize] = Some(round_to(unrounded.iter().sum(), res));
        }
        Publication::SomeAreas => {
            let n = rng.range(3, 6) as usize;
            let mut order: Vec<usize> = (0..areas.len()).collect();
            rng.shuffle(&mut order);
            for &a in order.iter().take(n) {
                values[areas[a] as usize] = Some(round_to(unrounded[a], res));
            }
        }
        Publication::Full { subquestions } => {
            for (a, &area) in areas.iter().enumerate() {
                values[area as usize] = Some(round_to(unrounded[a], res));
                let parts = &scale.get(area).parts;
                if subquestions && !parts.is_empty() {
                    let maxes: Vec<f64> = parts.iter().map(|&p| scale.get(p).max).collect();
                    for (&p, q) in parts.iter().zip(split(unrounded[a], &maxes, rng)) {
                        values[p as usize] = Some(round_to(q, res).clamp(0.0, scale.get(p).max));
                    }
                }
            }
            values[scale.total() as usize] = Some(round_to(unrounded.iter().sum(), res));
        }
    }
    values
}
