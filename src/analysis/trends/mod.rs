//! Trends between rounds: for each municipality and each consecutive pair of
//! its evaluations, the change per item on each scale both have it on
//! natively, else through linking on the target scale (item by item: two
//! rounds may share a scale for some items and not for others), and
//! summaries per round step and per pair of years with a 95 % interval.
//! The changes through linking are labelled [`CROSS_SCALE`] in the
//! outputs: they are the cross-scale changes only, while `linked` in the
//! averages means every score on the target scale.

mod chain;
mod write;

pub use chain::{for_each, trends};
pub use write::{TrendRows, summary_csv};

use polars::prelude::*;
use rayon::prelude::*;

use crate::analysis::frame::Frame;
use crate::analysis::link_error::{LinkedTerms, TermErrors};
use crate::error::Result;
use crate::linking::Linking;
use crate::reference::instrument::{Instruments, ItemIx};
use crate::stats::interval::{Errors, half_widths};

/// The label of changes through linking in `trends.csv` and
/// `trend_summary.csv` (the analysis scale is the frame's `linked` one).
pub const CROSS_SCALE: &str = "cross-scale";

/// The label of analysis scale `scale` in the trend outputs.
pub fn scale_label(f: &Frame, scale: usize) -> &str {
    let s = &f.scales[scale];
    if s.is_linked() { CROSS_SCALE } else { &s.label }
}

/// The change of one item between two rounds of one municipality.
#[derive(Debug, Clone, Copy)]
pub struct Trend {
    /// Index into the frame's municipalities.
    pub muni: u32,
    /// Frame scale index.
    pub scale: u8,
    pub item: ItemIx,
    pub from_year: u16,
    pub to_year: u16,
    pub round_from: u16,
    pub round_to: u16,
    pub from_score: f64,
    pub to_score: f64,
    /// From the linking SEs when on the linked scale; `None` on a native
    /// scale, and when a linked end has no SE (never 0 for unknown).
    pub delta_se: Option<f64>,
    /// Linked ends: the link and the score linked from.
    pub from_link: Option<(u16, f32)>,
    pub to_link: Option<(u16, f32)>,
}

impl Trend {
    pub fn delta(&self) -> f64 {
        self.to_score - self.from_score
    }

    /// Its linked ends (none on a native scale): the link each came
    /// through and the score linked from.
    pub fn links(&self) -> impl Iterator<Item = (u16, f32)> {
        [self.from_link, self.to_link].into_iter().flatten()
    }

    /// Whether an end is linked: a change across the change of scale.
    pub fn is_linked(&self) -> bool {
        self.from_link.is_some() || self.to_link.is_some()
    }
}

/// Whether the report shows change `t`: areas and totals, or the totals
/// only when `areas` is false (the index lists only those).
pub fn shown(t: &Trend, f: &Frame, instruments: &Instruments, areas: bool) -> bool {
    (instruments.get(f.scales[usize::from(t.scale)].instrument))
        .get(t.item)
        .kind
        .in_report(areas)
}

/// What the trend summary needs of each change, gathered as the changes
/// stream past, per country (a mean change is of one country's
/// municipalities, as a national average is).
#[derive(Debug)]
pub struct Steps<'f> {
    /// By country code ([`crate::analysis::frame::GroupCodes`]).
    countries: Vec<CountrySteps>,
    /// Per municipality of the frame, its country's code.
    muni_country: &'f [u32],
}

impl<'f> Steps<'f> {
    /// Empty, for the countries of frame `f`.
    pub fn new(f: &'f Frame) -> Steps<'f> {
        Steps {
            countries: (f.codes.countries.iter())
                .map(|_| CountrySteps::default())
                .collect(),
            muni_country: &f.codes.country,
        }
    }

    /// Change `t` of one of the frame's municipalities.
    pub fn add(&mut self, t: &Trend) {
        let c = self.muni_country[t.muni as usize];
        self.countries[c as usize].add(t);
    }
}

/// One country's part of [`Steps`]: each change's two step keys and delta
/// (24 bytes instead of the whole change), and the linked ends per
/// summary group.
#[derive(Debug, Default)]
struct CountrySteps {
    round: Vec<u64>,
    years: Vec<u64>,
    delta: Vec<f64>,
    /// By kind and step key ([`step_key`]).
    terms: foldhash::HashMap<(StepKind, u64), LinkedTerms>,
}

impl CountrySteps {
    fn add(&mut self, t: &Trend) {
        let scale = usize::from(t.scale);
        let (round, years) = (
            (u32::from(t.round_from), u32::from(t.round_to)),
            (u32::from(t.from_year), u32::from(t.to_year)),
        );
        let round = step_key(scale, t.item, round.0, round.1);
        let years = step_key(scale, t.item, years.0, years.1);
        self.round.push(round);
        self.years.push(years);
        self.delta.push(t.delta());
        if !t.is_linked() {
            return;
        }
        for key in [(StepKind::Round, round), (StepKind::Years, years)] {
            let terms = self.terms.entry(key).or_default();
            if let Some((l, x)) = t.to_link {
                terms.add(l, x, 1.0);
            }
            if let Some((l, x)) = t.from_link {
                terms.add(l, x, -1.0);
            }
        }
    }
}

/// What a trend summary's step counts between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StepKind {
    /// Between a municipality's rounds (1→2, 2→3, ...).
    Round,
    /// Between evaluation years (2008→2010, ...).
    Years,
}

impl StepKind {
    /// Both kinds, in output order.
    pub const ALL: [StepKind; 2] = [StepKind::Round, StepKind::Years];

    /// The name in `trend_summary.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Round => "round",
            StepKind::Years => "years",
        }
    }
}

/// One row of `trend_summary.csv`.
#[derive(Debug, Clone)]
pub struct TrendSummary {
    /// Index into the frame's country codes (`Frame::codes.countries`).
    pub country: usize,
    pub scale: usize,
    pub item: ItemIx,
    pub kind: StepKind,
    pub step: String,
    pub mean: f64,
    /// n, SD, and on the linked scale the error shared through the links
    /// (`None` on a native scale, and when a link has no replicates) with
    /// the fewest dual-scored pairs behind the linked scores (for the
    /// degrees of freedom of the interval).
    pub errors: Errors,
    /// The 95 % interval ([`crate::stats::interval`]); none for n < 2, for
    /// changes all equal (SD 0) and where the linking error is unknown.
    pub ci: Option<(f64, f64)>,
}

impl TrendSummary {
    /// How many changes the mean is of.
    pub fn n(&self) -> u64 {
        self.errors.n
    }

    /// sd / √n (n ≥ 2).
    pub fn se_sampling(&self) -> Option<f64> {
        self.errors.se_sampling()
    }

    /// √(se_sampling² + se_link²); the sampling SE alone on a native scale.
    pub fn se_total(&self) -> Option<f64> {
        self.errors.se_total()
    }
}

/// Mean change per (country, scale, item, round step) and (country, scale,
/// item, years), with the linking error of the linked scale's changes
/// (`linking`).
pub fn summarise(
    f: &Frame,
    trends: &[Trend],
    linking: Option<&Linking>,
) -> Result<Vec<TrendSummary>> {
    let mut steps = Steps::new(f);
    for t in trends {
        steps.add(t);
    }
    summarise_steps(f, steps, linking)
}

/// [`summarise`] from the changes' [`Steps`].
pub fn summarise_steps(
    f: &Frame,
    steps: Steps,
    linking: Option<&Linking>,
) -> Result<Vec<TrendSummary>> {
    // Country by country, in code (label) order: one aggregation each.
    let mut rows = Vec::new();
    let mut terms = Vec::new();
    for (country, c) in steps.countries.into_iter().enumerate() {
        terms.push(c.terms);
        if c.delta.is_empty() {
            continue;
        }
        rows.extend(summary_frame(country, c.round, c.years, c.delta).map_err(polars_err)?);
    }
    let linked = f.linked_scale();
    // The linking errors on all cores (each is its mean recomputed under
    // every replicate of the links).
    rows.par_iter_mut().for_each(|(key, r)| {
        let e = &mut r.errors;
        e.linked = Some(r.scale) == linked;
        if e.linked {
            let t = terms.get(r.country).and_then(|t| t.get(&(r.kind, *key)));
            TermErrors::set(t, linking, e);
        }
    });
    let errors: Vec<Errors> = rows.iter().map(|(_, r)| r.errors).collect();
    for ((_, r), half) in rows.iter_mut().zip(half_widths(&errors)) {
        r.ci = half.map(|h| (r.mean - h, r.mean + h));
    }
    Ok(rows.into_iter().map(|(_, r)| r).collect())
}

/// A step's label, as in `trend_summary.csv`.
fn step(a: u32, b: u32) -> String {
    format!("{a}→{b}")
}

/// A summary's key: scale (bits 56-63), item (40-55) and the step's two
/// ends (20-39 and 0-19: rounds or years), so that polars groups on one
/// integer column instead of row-encoding four.
fn step_key(scale: usize, item: ItemIx, a: u32, b: u32) -> u64 {
    ((scale as u64) << 56) | (u64::from(item) << 40) | (u64::from(a) << 20) | u64::from(b)
}

/// The parts of a [`step_key`]: (scale, item, a, b).
fn step_parts(key: u64) -> (usize, ItemIx, u32, u32) {
    (
        (key >> 56) as usize,
        (key >> 40) as ItemIx,
        ((key >> 20) & 0xF_FFFF) as u32,
        (key & 0xF_FFFF) as u32,
    )
}

/// The summary rows of country `country` (without the linking error) with
/// their step keys, in output order.
fn summary_frame(
    country: usize,
    round: Vec<u64>,
    years: Vec<u64>,
    delta: Vec<f64>,
) -> PolarsResult<Vec<(u64, TrendSummary)>> {
    let n = delta.len();
    let df = DataFrame::new(
        n,
        vec![
            Series::from_vec("round".into(), round).into(),
            Series::from_vec("years".into(), years).into(),
            Series::from_vec("delta".into(), delta).into(),
        ],
    )?;
    let stats = [
        col("delta").count().cast(DataType::Float64).alias("n"),
        col("delta").mean().alias("mean"),
        col("delta").std(1).alias("sd"),
        (col("delta").max() - col("delta").min()).alias("range"),
    ];
    // One summary per step kind, its index in `StepKind::ALL` as a column.
    let steps = |kind: StepKind, key: &str| {
        df.clone()
            .lazy()
            .group_by([col(key).alias("key")])
            .agg(stats.clone())
            .with_column(lit(kind as u32).alias("kind"))
    };
    let (rounds, years) = (
        steps(StepKind::Round, "round"),
        steps(StepKind::Years, "years"),
    );
    // One after the other: in parallel they held two sets of group buffers.
    let union = UnionArgs {
        parallel: false,
        ..UnionArgs::default()
    };
    let out = concat([rounds, years], union)?.collect()?;
    let keys: Vec<u64> = out
        .column("key")?
        .u64()?
        .iter()
        .map(|v| v.unwrap_or(0))
        .collect();
    let kind = u32_column(&out, "kind")?;
    let fl = |name: &str| f64_column(&out, name);
    let (nn, mean, sd, range) = (fl("n")?, fl("mean")?, fl("sd")?, fl("range")?);
    // In output order: scale, item, kind, then the step.
    let mut order: Vec<usize> = (0..out.height()).collect();
    order.sort_unstable_by_key(|&i| {
        let (scale, item, a, b) = step_parts(keys[i]);
        (scale, item, kind[i], a, b)
    });
    Ok(order
        .into_iter()
        .map(|i| {
            let (scale, item, a, b) = step_parts(keys[i]);
            let n = nn[i].unwrap_or(0.0) as u64;
            let m = mean[i].unwrap_or(f64::NAN);
            let sd = (sd[i].filter(|_| n >= 2))
                .map(|sd| crate::stats::sd_beyond_noise(sd, range[i].unwrap_or(f64::INFINITY)));
            let row = TrendSummary {
                country,
                scale,
                item,
                kind: StepKind::ALL[kind[i] as usize],
                step: step(a, b),
                mean: m,
                errors: Errors {
                    n,
                    sd,
                    linked: false,
                    se_link: None,
                    link_municipalities: None,
                    link_df: None,
                },
                ci: None,
            };
            (keys[i], row)
        })
        .collect())
}

fn polars_err(e: PolarsError) -> crate::error::Error {
    crate::error::Error::Internal(format!("in the aggregation (polars): {e}"))
}

/// A column as whole numbers (missing values as 0).
fn u32_column(df: &DataFrame, name: &str) -> PolarsResult<Vec<u32>> {
    Ok(df
        .column(name)?
        .cast(&DataType::UInt32)?
        .u32()?
        .iter()
        .map(|v| v.unwrap_or(0))
        .collect())
}

/// A column as numbers, with missing, NaN and infinite values as `None`.
fn f64_column(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    let c = df.column(name)?.cast(&DataType::Float64)?;
    Ok(c.f64()?
        .iter()
        .map(|v| v.filter(|x| x.is_finite()))
        .collect())
}
