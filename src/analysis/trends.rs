//! Trends between rounds: for each municipality and each consecutive pair of
//! its evaluations, the change per item on a scale both share (natively, or
//! on the `linked` scale when the two rounds used different scales and
//! linking exists), and summaries per round step and per pair of years with
//! a 95 % t-interval.

use std::path::Path;

use polars::prelude::*;

use crate::analysis::averages::{f64_column, polars_err, u32_column};
use crate::analysis::frame::{Frame, Point};
use crate::error::Result;
use crate::io::CsvOut;
use crate::io::Written;
use crate::io::dialect::{OutputDialect, STAT_DECIMALS};
use crate::reference::instrument::{Instruments, ItemIx};
use crate::stats::t_half_width;

/// The change of one item between two rounds of one municipality.
#[derive(Debug, Clone, Copy)]
pub struct Trend {
    pub muni: usize,
    /// Frame scale index.
    pub scale: usize,
    pub item: ItemIx,
    pub from_year: u16,
    pub to_year: u16,
    pub round_from: u32,
    pub round_to: u32,
    pub from_score: f64,
    pub to_score: f64,
    /// From the linking SEs when on the linked scale.
    pub delta_se: Option<f64>,
}

impl Trend {
    pub fn delta(&self) -> f64 {
        self.to_score - self.from_score
    }
}

/// Every municipality's changes between consecutive rounds.
pub fn trends(f: &Frame) -> Vec<Trend> {
    let linked = f.linked_scale().map(|i| i as u8);
    // The points by municipality, year, scale and item.
    let mut order: Vec<u32> = (0..f.points.len() as u32).collect();
    order.sort_unstable_by_key(|&i| {
        let p = &f.points[i as usize];
        (p.muni, p.year, p.scale, p.item)
    });
    let pts: Vec<&Point> = order.iter().map(|&i| &f.points[i as usize]).collect();
    let mut out = Vec::new();
    for muni in pts.chunk_by(|a, b| a.muni == b.muni) {
        let rounds: Vec<&[&Point]> = muni.chunk_by(|a, b| a.year == b.year).collect();
        for (r, w) in rounds.windows(2).enumerate() {
            let (a, b) = (by_scale(w[0]), by_scale(w[1]));
            let shared = |s: u8| b.iter().find(|g| g[0].scale == s);
            let mut pairs: Vec<(&[&Point], &[&Point])> = a
                .iter()
                .filter(|g| Some(g[0].scale) != linked)
                .filter_map(|g| shared(g[0].scale).map(|h| (*g, *h)))
                .collect();
            if pairs.is_empty() {
                let la = a.iter().find(|g| Some(g[0].scale) == linked).copied();
                let lb = b.iter().find(|g| Some(g[0].scale) == linked).copied();
                pairs.extend(la.zip(lb));
            }
            for (xs, ys) in pairs {
                let s = xs[0].scale;
                for x in xs {
                    let Some(y) = ys.iter().find(|y| y.item == x.item) else {
                        continue;
                    };
                    let delta_se = (Some(s) == linked).then(|| {
                        (x.se().unwrap_or(0.0).powi(2) + y.se().unwrap_or(0.0).powi(2)).sqrt()
                    });
                    out.push(Trend {
                        muni: x.muni as usize,
                        scale: usize::from(s),
                        item: x.item,
                        from_year: x.year,
                        to_year: y.year,
                        round_from: r as u32 + 1,
                        round_to: r as u32 + 2,
                        from_score: x.value,
                        to_score: y.value,
                        delta_se,
                    });
                }
            }
        }
    }
    // Municipality indices are in (country, code) order.
    out.sort_unstable_by_key(|t| (t.muni, t.from_year, t.scale, t.item));
    out
}

/// One round's points split by scale.
fn by_scale<'p, 'a>(round: &'a [&'p Point]) -> Vec<&'a [&'p Point]> {
    round.chunk_by(|a, b| a.scale == b.scale).collect()
}

/// What a trend summary's step counts between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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
    pub scale: usize,
    pub item: ItemIx,
    pub kind: StepKind,
    pub step: String,
    pub n: u64,
    pub mean: f64,
    pub sd: Option<f64>,
    /// mean ± t(0.975, n − 1) · sd / √n; none for n < 2.
    pub ci: Option<(f64, f64)>,
}

/// Mean change per (scale, item, round step) and (scale, item, years).
pub fn summarise(trends: &[Trend]) -> Result<Vec<TrendSummary>> {
    summary_frame(trends).map_err(polars_err)
}

fn summary_frame(trends: &[Trend]) -> PolarsResult<Vec<TrendSummary>> {
    let n = trends.len();
    let col_u32 = |name: &str, f: &dyn Fn(&Trend) -> u32| -> Column {
        Series::new(name.into(), trends.iter().map(f).collect::<Vec<_>>()).into()
    };
    let df = DataFrame::new(
        n,
        vec![
            col_u32("scale", &|t| t.scale as u32),
            col_u32("item", &|t| u32::from(t.item)),
            col_u32("round_from", &|t| t.round_from),
            col_u32("round_to", &|t| t.round_to),
            col_u32("from_year", &|t| u32::from(t.from_year)),
            col_u32("to_year", &|t| u32::from(t.to_year)),
            Series::new(
                "delta".into(),
                trends.iter().map(Trend::delta).collect::<Vec<_>>(),
            )
            .into(),
        ],
    )?;
    let stats = [
        col("delta").count().cast(DataType::Float64).alias("n"),
        col("delta").mean().alias("mean"),
        col("delta").std(1).alias("sd"),
    ];
    // One summary per step kind, its index in `StepKind::ALL` as a column.
    let steps = |kind: StepKind, a: &str, b: &str| {
        df.clone()
            .lazy()
            .group_by([
                col("scale"),
                col("item"),
                col(a).alias("a"),
                col(b).alias("b"),
            ])
            .agg(stats.clone())
            .with_column(lit(kind as u32).alias("kind"))
    };
    let (rounds, years) = (
        steps(StepKind::Round, "round_from", "round_to"),
        steps(StepKind::Years, "from_year", "to_year"),
    );
    let out = concat([rounds, years], UnionArgs::default())?
        .sort_by_exprs(
            [col("scale"), col("item"), col("kind"), col("a"), col("b")],
            SortMultipleOptions::default(),
        )
        .collect()?;
    let u = |name: &str| u32_column(&out, name);
    let fl = |name: &str| f64_column(&out, name);
    let (scale, item, kind, a, b) = (u("scale")?, u("item")?, u("kind")?, u("a")?, u("b")?);
    let (nn, mean, sd) = (fl("n")?, fl("mean")?, fl("sd")?);
    Ok((0..out.height())
        .map(|i| {
            let n = nn[i].unwrap_or(0.0) as u64;
            let m = mean[i].unwrap_or(f64::NAN);
            let ci = sd[i]
                .and_then(|s| t_half_width(s, n))
                .map(|h| (m - h, m + h));
            TrendSummary {
                scale: scale[i] as usize,
                item: item[i] as ItemIx,
                kind: StepKind::ALL[kind[i] as usize],
                step: format!("{}→{}", a[i], b[i]),
                n,
                mean: m,
                sd: sd[i].filter(|_| n >= 2),
                ci,
            }
        })
        .collect())
}

/// Writes `trends.csv` and `trend_summary.csv`.
pub fn write(
    dir: &Path,
    dialect: OutputDialect,
    f: &Frame,
    trends: &[Trend],
    summary: &[TrendSummary],
    instruments: &Instruments,
) -> Result<Vec<Written>> {
    let num = |x: f64| dialect.num(x, STAT_DECIMALS);
    let opt = |x: Option<f64>| dialect.opt(x, STAT_DECIMALS);
    let item_id = |scale: usize, item: ItemIx| {
        instruments
            .get(f.scales[scale].instrument)
            .get(item)
            .id
            .clone()
    };
    let mut out = CsvOut::create(
        dir,
        "trends.csv",
        dialect,
        &[
            "country",
            "municipality_code",
            "municipality",
            "item",
            "from_year",
            "to_year",
            "round_from",
            "round_to",
            "scale",
            "from_score",
            "to_score",
            "delta",
            "delta_se",
        ],
    )?;
    for t in trends {
        let m = &f.munis[t.muni];
        out.text(&m.country)?;
        out.text(&m.code)?;
        out.text(&m.name)?;
        out.text(&instruments.get(f.scales[t.scale].instrument).get(t.item).id)?;
        out.int(u64::from(t.from_year))?;
        out.int(u64::from(t.to_year))?;
        out.int(u64::from(t.round_from))?;
        out.int(u64::from(t.round_to))?;
        out.text(&f.scales[t.scale].label)?;
        out.num(t.from_score, STAT_DECIMALS)?;
        out.num(t.to_score, STAT_DECIMALS)?;
        out.num(t.delta(), STAT_DECIMALS)?;
        out.opt_num(t.delta_se, STAT_DECIMALS)?;
        out.end()?;
    }
    let a = out.finish()?;
    let mut out = CsvOut::create(
        dir,
        "trend_summary.csv",
        dialect,
        &[
            "scale",
            "item",
            "step_kind",
            "step",
            "n",
            "mean_delta",
            "sd",
            "ci_low",
            "ci_high",
        ],
    )?;
    for s in summary {
        out.row([
            f.scales[s.scale].label.clone(),
            item_id(s.scale, s.item),
            s.kind.as_str().to_string(),
            s.step.clone(),
            s.n.to_string(),
            num(s.mean),
            opt(s.sd),
            opt(s.ci.map(|c| c.0)),
            opt(s.ci.map(|c| c.1)),
        ])?;
    }
    let b = out.finish()?;
    Ok([a, b].into())
}
