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

use crate::dialect::{OutputDialect, STAT_DECIMALS};
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

/// Group labels behind the integer group codes of [`points_frame`]; codes
/// are assigned in label order, so sorting by code sorts by label (years by
/// year, bands by size).
pub(crate) struct GroupLabels {
    countries: Vec<String>,
    g2011: Vec<String>,
    g2017: Vec<String>,
}

impl GroupLabels {
    fn label(&self, grouping: usize, code: u32) -> String {
        let pick = |v: &Vec<String>| v.get(code as usize).cloned().unwrap_or_default();
        match grouping {
            0 => pick(&self.countries),
            1 => pick(&self.g2011),
            2 => pick(&self.g2017),
            3 => code.to_string(),
            _ => BANDS
                .get(code as usize)
                .map_or(String::new(), |b| b.0.to_string()),
        }
    }
}

/// The frame's points as a polars table with integer keys (no string per
/// row): scale, muni, year, item, value, pop and one group code per grouping.
pub(crate) fn points_frame(f: &Frame, basis: Basis) -> PolarsResult<(DataFrame, GroupLabels)> {
    fn codes<'a>(
        labels: impl Iterator<Item = Option<&'a String>>,
    ) -> (Vec<String>, Vec<Option<u32>>) {
        let all: Vec<Option<&String>> = labels.collect();
        let mut sorted: Vec<String> = all.iter().flatten().map(|s| s.to_string()).collect();
        sorted.sort();
        sorted.dedup();
        let code = all
            .iter()
            .map(|l| l.map(|l| sorted.binary_search(l).unwrap_or(0) as u32))
            .collect();
        (sorted, code)
    }
    let (countries, country) = codes(f.munis.iter().map(|m| Some(&m.country)));
    let (g2011, g11) = codes(f.munis.iter().map(|m| m.group_2011.as_ref()));
    let (g2017, g17) = codes(f.munis.iter().map(|m| m.group_2017.as_ref()));
    // The basis is applied here, on the points, rather than as a window
    // expression each grouping would evaluate again.
    let latest;
    let p: &[frame::Point] = match basis {
        Basis::All => &f.points,
        Basis::Latest => {
            latest = f.latest_points();
            &latest
        }
    };
    let per_muni = |v: &Vec<Option<u32>>| -> Vec<Option<u32>> {
        p.iter().map(|x| v[x.muni as usize]).collect()
    };
    let cols: Vec<Column> = vec![
        Series::new(
            "scale".into(),
            p.iter().map(|x| x.scale as u32).collect::<Vec<_>>(),
        )
        .into(),
        Series::new("muni".into(), p.iter().map(|x| x.muni).collect::<Vec<_>>()).into(),
        Series::new(
            "year".into(),
            p.iter().map(|x| u32::from(x.year)).collect::<Vec<_>>(),
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
            p.iter()
                .map(|x| f.munis[x.muni as usize].population)
                .collect::<Vec<_>>(),
        )
        .into(),
        Series::new("g0".into(), per_muni(&country)).into(),
        Series::new("g1".into(), per_muni(&g11)).into(),
        Series::new("g2".into(), per_muni(&g17)).into(),
        Series::new(
            "g3".into(),
            p.iter()
                .map(|x| Some(u32::from(x.year)))
                .collect::<Vec<_>>(),
        )
        .into(),
        Series::new(
            "g4".into(),
            p.iter()
                .map(|x| f.munis[x.muni as usize].band.map(|b| b as u32))
                .collect::<Vec<_>>(),
        )
        .into(),
    ];
    Ok((
        DataFrame::new(p.len(), cols)?,
        GroupLabels {
            countries,
            g2011,
            g2017,
        },
    ))
}

/// A column as whole numbers (missing values as 0).
pub(crate) fn u32_column(df: &DataFrame, name: &str) -> PolarsResult<Vec<u32>> {
    Ok(df
        .column(name)?
        .cast(&DataType::UInt32)?
        .u32()?
        .iter()
        .map(|v| v.unwrap_or(0))
        .collect())
}

/// A column as numbers, with missing, NaN and infinite values as `None`.
pub(crate) fn f64_column(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    let c = df.column(name)?.cast(&DataType::Float64)?;
    Ok(c.f64()?
        .iter()
        .map(|v| v.filter(|x| x.is_finite()))
        .collect())
}

/// Computes every average row.
pub fn averages(f: &Frame, basis: Basis) -> Result<Vec<Average>> {
    compute(f, basis).map_err(polars_err)
}

fn compute(f: &Frame, basis: Basis) -> PolarsResult<Vec<Average>> {
    let (df, labels) = points_frame(f, basis)?;
    let base = df.lazy();
    let mut parts = Vec::new();
    for g in 0..GROUPINGS.len() {
        let lf = base
            .clone()
            .with_column(col(format!("g{g}")).alias("group"))
            .filter(col("group").is_not_null())
            .group_by([col("scale"), col("group"), col("item")])
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
            .with_column(lit(g as u32).alias("grouping"));
        parts.push(lf);
    }
    // One grouping after the other: in parallel they held five sets of
    // group buffers at once, while the other analysis stages already use
    // the cores.
    let union = UnionArgs {
        parallel: false,
        ..UnionArgs::default()
    };
    let out = concat(parts, union)?
        .sort_by_exprs(
            [col("scale"), col("grouping"), col("group"), col("item")],
            SortMultipleOptions::default(),
        )
        .collect()?;
    let u32s = |name: &str| u32_column(&out, name);
    let f64s = |name: &str| f64_column(&out, name);
    let (scale, item, grouping, group) = (
        u32s("scale")?,
        u32s("item")?,
        u32s("grouping")?,
        u32s("group")?,
    );
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
            group: labels.label(grouping[i] as usize, group[i]),
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
    let num = |x: f64| dialect.num(x, STAT_DECIMALS);
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
            dialect.opt(r.sd, STAT_DECIMALS),
            num(r.min),
            num(r.p25),
            num(r.median),
            num(r.p75),
            num(r.max),
            dialect.opt(r.mean_pop_weighted, STAT_DECIMALS),
        ])?;
    }
    let (path, rows) = out.finish()?;
    Ok(Written { path, rows })
}
