//! Trends between rounds: for each municipality and each consecutive pair of
//! its evaluations, the change per item on a scale both share (natively, or
//! on the `linked` scale when the two rounds used different scales and
//! linking exists), and summaries per round step and per pair of years with
//! a 95 % t-interval.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use polars::prelude::*;

use crate::aggregate::frame::{Frame, LINKED};
use crate::aggregate::{f64_column, polars_err, u32_column};
use crate::dialect::{OutputDialect, STAT_DECIMALS};
use crate::error::Result;
use crate::files::CsvOut;
use crate::instrument::{Instruments, ItemIx};
use crate::output::Written;
use crate::stats::t_quantile;

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
    let linked = f.scales.iter().position(|s| s.label == LINKED);
    // (muni, year) -> frame scale -> item -> (value, se).
    type Items = BTreeMap<ItemIx, (f64, Option<f64>)>;
    let mut at: BTreeMap<(usize, u16), BTreeMap<usize, Items>> = BTreeMap::new();
    for p in &f.points {
        at.entry((p.muni, p.year))
            .or_default()
            .entry(p.scale)
            .or_default()
            .insert(p.item, (p.value, p.se));
    }
    let mut years: BTreeMap<usize, Vec<u16>> = BTreeMap::new();
    for &(m, y) in at.keys() {
        years.entry(m).or_default().push(y);
    }
    let mut out = Vec::new();
    for (m, ys) in years {
        for (r, w) in ys.windows(2).enumerate() {
            let (a, b) = (&at[&(m, w[0])], &at[&(m, w[1])]);
            let native = |s: &usize| Some(*s) != linked;
            let common: BTreeSet<usize> = a
                .keys()
                .filter(|s| native(s) && b.contains_key(s))
                .copied()
                .collect();
            let scales: Vec<usize> = if common.is_empty() {
                linked
                    .filter(|l| a.contains_key(l) && b.contains_key(l))
                    .into_iter()
                    .collect()
            } else {
                common.into_iter().collect()
            };
            for s in scales {
                for (item, &(x, se_x)) in &a[&s] {
                    let Some(&(y, se_y)) = b[&s].get(item) else {
                        continue;
                    };
                    let delta_se = (Some(s) == linked).then(|| {
                        (se_x.unwrap_or(0.0).powi(2) + se_y.unwrap_or(0.0).powi(2)).sqrt()
                    });
                    out.push(Trend {
                        muni: m,
                        scale: s,
                        item: *item,
                        from_year: w[0],
                        to_year: w[1],
                        round_from: r as u32 + 1,
                        round_to: r as u32 + 2,
                        from_score: x,
                        to_score: y,
                        delta_se,
                    });
                }
            }
        }
    }
    out.sort_by(|p, q| {
        let (mp, mq) = (&f.munis[p.muni], &f.munis[q.muni]);
        (&mp.country, &mp.code, p.from_year, p.scale, p.item).cmp(&(
            &mq.country,
            &mq.code,
            q.from_year,
            q.scale,
            q.item,
        ))
    });
    out
}

/// One row of `trend_summary.csv`.
#[derive(Debug, Clone)]
pub struct TrendSummary {
    pub scale: usize,
    pub item: ItemIx,
    /// `round` or `years`.
    pub kind: &'static str,
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
    // One summary per step: kind 0 = rounds (round_from -> round_to),
    // kind 1 = years (from_year -> to_year).
    let steps = |kind: u32, a: &str, b: &str| {
        df.clone()
            .lazy()
            .group_by([
                col("scale"),
                col("item"),
                col(a).alias("a"),
                col(b).alias("b"),
            ])
            .agg(stats.clone())
            .with_column(lit(kind).alias("kind"))
    };
    let (rounds, years) = (
        steps(0, "round_from", "round_to"),
        steps(1, "from_year", "to_year"),
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
            let ci = sd[i].filter(|_| n >= 2).map(|s| {
                let h = t_quantile(0.975, (n - 1) as f64) * s / (n as f64).sqrt();
                (m - h, m + h)
            });
            TrendSummary {
                scale: scale[i] as usize,
                item: item[i] as ItemIx,
                kind: if kind[i] == 0 { "round" } else { "years" },
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
        out.row([
            m.country.clone(),
            m.code.clone(),
            m.name.clone(),
            item_id(t.scale, t.item),
            t.from_year.to_string(),
            t.to_year.to_string(),
            t.round_from.to_string(),
            t.round_to.to_string(),
            f.scales[t.scale].label.clone(),
            num(t.from_score),
            num(t.to_score),
            num(t.delta()),
            opt(t.delta_se),
        ])?;
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
            s.kind.to_string(),
            s.step.clone(),
            s.n.to_string(),
            num(s.mean),
            opt(s.sd),
            opt(s.ci.map(|c| c.0)),
            opt(s.ci.map(|c| c.1)),
        ])?;
    }
    let b = out.finish()?;
    Ok([a, b]
        .into_iter()
        .map(|(path, rows)| Written { path, rows })
        .collect())
}
