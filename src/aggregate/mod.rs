//! Average profiles: per scale, grouping, group and item, the distribution of
//! scores across evaluations (n, mean, SD, quartiles, min, max and the
//! population-weighted mean), computed with polars' lazy API.
//!
//! Basis `latest` counts each municipality's most recent evaluation on the
//! scale, `all` every evaluation. An item's statistics count only the
//! evaluations that have it, so `n` differs between items of a partial data
//! set and area means need not add up to the total mean.

pub mod frame;

use std::path::Path;

use clap::ValueEnum;
use polars::prelude::*;

use crate::dialect::OutputDialect;
use crate::error::{Error, Result};
use crate::files::CsvOut;
use crate::instrument::Instruments;
use crate::output::Written;
use frame::{BANDS, Frame};

/// Which evaluations a summary counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Basis {
    /// Each municipality's most recent evaluation on the scale.
    #[default]
    Latest,
    /// Every evaluation.
    All,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Latest => "latest",
            Basis::All => "all",
        }
    }
}

/// The groupings, in output order.
pub const GROUPINGS: [&str; 5] = [
    "national",
    "kommungrupp2011",
    "kommungrupp2017",
    "eval_year",
    "population_band",
];

/// One row of `averages.csv`.
#[derive(Debug, Clone)]
pub struct Average {
    pub scale: usize,
    pub grouping: &'static str,
    pub group: String,
    pub item: u16,
    pub n: u64,
    pub mean: f64,
    pub sd: Option<f64>,
    pub min: f64,
    pub p25: f64,
    pub median: f64,
    pub p75: f64,
    pub max: f64,
    pub mean_pop_weighted: Option<f64>,
}

pub(crate) fn polars_err(e: PolarsError) -> Error {
    Error::Usage(format!("internal error in the aggregation: {e}"))
}

/// The frame's points as a polars table.
pub(crate) fn points_frame(f: &Frame) -> PolarsResult<DataFrame> {
    let p = &f.points;
    let muni = |i: usize| &f.munis[p[i].muni];
    let n = p.len();
    let cols: Vec<Column> = vec![
        Series::new(
            "scale".into(),
            p.iter().map(|x| x.scale as u32).collect::<Vec<_>>(),
        )
        .into(),
        Series::new(
            "muni".into(),
            p.iter().map(|x| x.muni as u32).collect::<Vec<_>>(),
        )
        .into(),
        Series::new(
            "country".into(),
            (0..n).map(|i| muni(i).country.clone()).collect::<Vec<_>>(),
        )
        .into(),
        Series::new(
            "year".into(),
            p.iter().map(|x| i32::from(x.year)).collect::<Vec<_>>(),
        )
        .into(),
        Series::new(
            "year_str".into(),
            p.iter().map(|x| x.year.to_string()).collect::<Vec<_>>(),
        )
        .into(),
        Series::new(
            "item".into(),
            p.iter().map(|x| u32::from(x.item)).collect::<Vec<_>>(),
        )
        .into(),
        Series::new(
            "value".into(),
            p.iter().map(|x| x.value).collect::<Vec<_>>(),
        )
        .into(),
        Series::new(
            "pop".into(),
            (0..n).map(|i| muni(i).population).collect::<Vec<_>>(),
        )
        .into(),
        Series::new(
            "g2011".into(),
            (0..n)
                .map(|i| muni(i).group_2011.clone())
                .collect::<Vec<_>>(),
        )
        .into(),
        Series::new(
            "g2017".into(),
            (0..n)
                .map(|i| muni(i).group_2017.clone())
                .collect::<Vec<_>>(),
        )
        .into(),
        Series::new(
            "band".into(),
            (0..n)
                .map(|i| muni(i).band.map(|b| BANDS[b].0.to_string()))
                .collect::<Vec<_>>(),
        )
        .into(),
        Series::new(
            "band_order".into(),
            (0..n)
                .map(|i| muni(i).band.map(|b| b as i32))
                .collect::<Vec<_>>(),
        )
        .into(),
    ];
    DataFrame::new(n, cols)
}

/// Keeps each municipality's most recent evaluation per scale.
pub(crate) fn apply_basis(lf: LazyFrame, basis: Basis) -> PolarsResult<LazyFrame> {
    Ok(match basis {
        Basis::All => lf,
        Basis::Latest => {
            lf.filter(col("year").eq(col("year").max().over([col("scale"), col("muni")])?))
        }
    })
}

/// Computes every average row.
pub fn averages(f: &Frame, basis: Basis) -> Result<Vec<Average>> {
    compute(f, basis).map_err(polars_err)
}

fn compute(f: &Frame, basis: Basis) -> PolarsResult<Vec<Average>> {
    let base = apply_basis(points_frame(f)?.lazy(), basis)?;
    let groupings: [(Expr, Expr); 5] = [
        (col("country"), lit(0i32)),
        (col("g2011"), lit(0i32)),
        (col("g2017"), lit(0i32)),
        (col("year_str"), col("year")),
        (col("band"), col("band_order")),
    ];
    let mut parts = Vec::new();
    for (g, (group, order)) in groupings.into_iter().enumerate() {
        let lf = base
            .clone()
            .with_columns([group.alias("group"), order.alias("group_order")])
            .filter(col("group").is_not_null())
            .group_by([col("scale"), col("group_order"), col("group"), col("item")])
            .agg([
                col("value").count().cast(DataType::Float64).alias("n"),
                col("value").mean().alias("mean"),
                col("value").std(1).alias("sd"),
                col("value").min().alias("min"),
                col("value")
                    .quantile(lit(0.25), QuantileMethod::Linear)
                    .alias("p25"),
                col("value").median().alias("median"),
                col("value")
                    .quantile(lit(0.75), QuantileMethod::Linear)
                    .alias("p75"),
                col("value").max().alias("max"),
                ((col("value") * col("pop")).sum() / col("pop").sum()).alias("weighted"),
            ])
            .with_column(lit(g as i32).alias("grouping"));
        parts.push(lf);
    }
    let out = concat(parts, UnionArgs::default())?
        .sort_by_exprs(
            [
                col("scale"),
                col("grouping"),
                col("group_order"),
                col("group"),
                col("item"),
            ],
            SortMultipleOptions::default(),
        )
        .collect()?;
    let u32s = |name: &str| -> PolarsResult<Vec<u32>> {
        Ok(out
            .column(name)?
            .cast(&DataType::UInt32)?
            .u32()?
            .iter()
            .map(|v| v.unwrap_or(0))
            .collect())
    };
    let f64s = |name: &str| -> PolarsResult<Vec<Option<f64>>> {
        let c = out.column(name)?.cast(&DataType::Float64)?;
        Ok(c.f64()?
            .iter()
            .map(|v| v.filter(|x| x.is_finite()))
            .collect())
    };
    let (scale, item) = (u32s("scale")?, u32s("item")?);
    let grouping = u32s("grouping")?;
    let group: Vec<String> = out
        .column("group")?
        .str()?
        .iter()
        .map(|v| v.unwrap_or_default().to_string())
        .collect();
    let [n, mean, sd, min, p25, median, p75, max, weighted] = [
        "n", "mean", "sd", "min", "p25", "median", "p75", "max", "weighted",
    ]
    .map(f64s);
    let (n, mean, sd, min, p25, median, p75, max, weighted) =
        (n?, mean?, sd?, min?, p25?, median?, p75?, max?, weighted?);
    Ok((0..out.height())
        .map(|i| Average {
            scale: scale[i] as usize,
            grouping: GROUPINGS[grouping[i] as usize],
            group: group[i].clone(),
            item: item[i] as u16,
            n: n[i].unwrap_or(0.0) as u64,
            mean: mean[i].unwrap_or(f64::NAN),
            sd: sd[i],
            min: min[i].unwrap_or(f64::NAN),
            p25: p25[i].unwrap_or(f64::NAN),
            median: median[i].unwrap_or(f64::NAN),
            p75: p75[i].unwrap_or(f64::NAN),
            max: max[i].unwrap_or(f64::NAN),
            mean_pop_weighted: weighted[i],
        })
        .collect())
}

/// Writes `averages.csv`.
pub fn write(
    dir: &Path,
    dialect: OutputDialect,
    rows: &[Average],
    f: &Frame,
    basis: Basis,
    instruments: &Instruments,
) -> Result<Written> {
    let num = |x: f64| dialect.num(x, 4);
    let mut out = CsvOut::create(
        dir,
        "averages.csv",
        dialect,
        &[
            "scale",
            "basis",
            "grouping",
            "group",
            "item",
            "n",
            "mean",
            "sd",
            "min",
            "p25",
            "median",
            "p75",
            "max",
            "mean_pop_weighted",
        ],
    )?;
    for r in rows {
        let scale = &f.scales[r.scale];
        out.row([
            scale.label.clone(),
            basis.as_str().to_string(),
            r.grouping.to_string(),
            r.group.clone(),
            instruments.get(scale.instrument).get(r.item).id.clone(),
            r.n.to_string(),
            num(r.mean),
            r.sd.map_or(String::new(), num),
            num(r.min),
            num(r.p25),
            num(r.median),
            num(r.p75),
            num(r.max),
            r.mean_pop_weighted.map_or(String::new(), num),
        ])?;
    }
    let (path, rows) = out.finish()?;
    Ok(Written { path, rows })
}
