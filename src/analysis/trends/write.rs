//! Writing the trends: `trends.csv` (or `.parquet`), every change, and
//! `trend_summary.csv`.

use std::path::Path;

use super::{Trend, TrendSummary, scale_label};
use crate::analysis::frame::Frame;
use crate::error::Result;
use crate::ingest::header::own::TRENDS;
use crate::io::dialect::{OutputDialect, STAT_DECIMALS};
use crate::io::{Cells, CsvOut, Kind, RowOut, Written};
use crate::reference::instrument::{Instruments, ItemIx};

/// `trends.csv` (or `.parquet`) being written, a change at a time.
pub struct TrendRows {
    out: RowOut,
}

impl TrendRows {
    pub fn create(dir: &Path, dialect: OutputDialect) -> Result<TrendRows> {
        let out = RowOut::create(
            dir,
            "trends",
            dialect.rows,
            dialect,
            &TRENDS.into_iter().zip(TREND_KINDS).collect::<Vec<_>>(),
        )?;
        Ok(TrendRows { out })
    }

    /// Writes change `t`.
    pub fn row(&mut self, f: &Frame, t: &Trend, instruments: &Instruments) -> Result<()> {
        let out = &mut self.out;
        let m = &f.munis[t.muni as usize];
        out.text(&m.country)?;
        out.text(&m.code)?;
        out.text(&m.name)?;
        out.text(f.item_id(instruments, usize::from(t.scale), t.item))?;
        out.int(u64::from(t.from_year))?;
        out.int(u64::from(t.to_year))?;
        out.int(u64::from(t.round_from))?;
        out.int(u64::from(t.round_to))?;
        out.text(scale_label(f, usize::from(t.scale)))?;
        out.num(t.from_score, STAT_DECIMALS)?;
        out.num(t.to_score, STAT_DECIMALS)?;
        out.num(t.delta(), STAT_DECIMALS)?;
        out.opt_num(t.delta_se, STAT_DECIMALS)?;
        out.end()
    }

    pub fn finish(self) -> Result<Written> {
        self.out.finish()
    }
}

/// `trend_summary.csv`.
pub fn summary_csv(
    dir: &Path,
    dialect: OutputDialect,
    f: &Frame,
    summary: &[TrendSummary],
    instruments: &Instruments,
) -> Result<Written> {
    let num = |x: f64| dialect.num(x, STAT_DECIMALS);
    let opt = |x: Option<f64>| dialect.opt(x, STAT_DECIMALS);
    let item_id = |scale: usize, item: ItemIx| f.item_id(instruments, scale, item).to_string();
    let mut out = CsvOut::create(
        dir,
        "trend_summary.csv",
        dialect,
        &[
            "country",
            "scale",
            "item",
            "step_kind",
            "step",
            "n",
            "mean_delta",
            "sd",
            "se_sampling",
            "se_link",
            "se_total",
            "ci_low",
            "ci_high",
        ],
    )?;
    for s in summary {
        out.row([
            f.codes
                .countries
                .get(s.country)
                .cloned()
                .unwrap_or_default(),
            scale_label(f, s.scale).to_string(),
            item_id(s.scale, s.item),
            s.kind.as_str().to_string(),
            s.step.clone(),
            s.n().to_string(),
            num(s.mean),
            opt(s.errors.sd),
            opt(s.se_sampling()),
            opt(s.errors.se_link),
            opt(s.se_total()),
            opt(s.ci.map(|c| c.0)),
            opt(s.ci.map(|c| c.1)),
        ])?;
    }
    out.finish()
}

/// The kinds of `trends.csv`'s columns ([`TRENDS`]).
const TREND_KINDS: [Kind; 13] = [
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Int,
    Kind::Int,
    Kind::Int,
    Kind::Int,
    Kind::Text,
    Kind::Num,
    Kind::Num,
    Kind::Num,
    Kind::Num,
];
