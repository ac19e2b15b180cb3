//! Average profiles: per scale, grouping, group and item, the distribution of
//! scores across evaluations (n, mean, SD, quartiles, min, max and the
//! population-weighted mean), computed with polars' lazy API.
//!
//! Basis `latest` counts each municipality's most recent evaluation on the
//! scale, `all` every evaluation. An item's statistics count only the
//! evaluations that have it, so `n` differs between items of a partial data
//! set and area means need not add up to the total mean.

use std::path::Path;

use clap::ValueEnum;
use polars::prelude::*;

use crate::analysis::frame::{BANDS, Frame, GroupCodes, Point};
use crate::error::{Error, Result};
use crate::io::CsvOut;
use crate::io::Written;
use crate::io::dialect::{OutputDialect, STAT_DECIMALS};
use crate::reference::instrument::Instruments;

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

/// How municipalities are grouped for an average, in output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grouping {
    /// Per country.
    National,
    /// SKL's 2011 municipality groups (Swedish municipalities).
    Kommungrupp2011,
    /// SKR's 2017 municipality groups.
    Kommungrupp2017,
    /// Per evaluation year.
    EvalYear,
    /// Per population band (Swedish municipalities).
    PopulationBand,
}

impl Grouping {
    /// Every grouping, in output order.
    pub const ALL: [Grouping; 5] = [
        Grouping::National,
        Grouping::Kommungrupp2011,
        Grouping::Kommungrupp2017,
        Grouping::EvalYear,
        Grouping::PopulationBand,
    ];

    /// The name in `averages.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Grouping::National => "national",
            Grouping::Kommungrupp2011 => "kommungrupp2011",
            Grouping::Kommungrupp2017 => "kommungrupp2017",
            Grouping::EvalYear => "eval_year",
            Grouping::PopulationBand => "population_band",
        }
    }

    /// The code of the group point `p` belongs to (`None`: in none, as a
    /// Norwegian municipality in the SKL groups).
    pub fn code(self, f: &Frame, p: &Point) -> Option<u32> {
        let m = p.muni as usize;
        match self {
            Grouping::National => Some(f.codes.country[m]),
            Grouping::Kommungrupp2011 => f.codes.group_2011[m],
            Grouping::Kommungrupp2017 => f.codes.group_2017[m],
            Grouping::EvalYear => Some(u32::from(p.year)),
            Grouping::PopulationBand => f.munis[m].band.map(|b| b as u32),
        }
    }

    /// The group label of code `code` (see [`GroupCodes`]).
    fn label(self, codes: &GroupCodes, code: u32) -> String {
        let pick = |v: &Vec<String>| v.get(code as usize).cloned().unwrap_or_default();
        match self {
            Grouping::National => pick(&codes.countries),
            Grouping::Kommungrupp2011 => pick(&codes.g2011),
            Grouping::Kommungrupp2017 => pick(&codes.g2017),
            Grouping::EvalYear => code.to_string(),
            Grouping::PopulationBand => BANDS
                .get(code as usize)
                .map_or(String::new(), |b| b.0.to_string()),
        }
    }
}

/// One row of `averages.csv`.
#[derive(Debug, Clone)]
pub struct Average {
    pub scale: usize,
    pub grouping: Grouping,
    pub group: String,
    /// The group's code ([`Grouping::code`]).
    pub code: u32,
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
    /// The linking error of the mean (the linked scale only; see
    /// `analysis::link_error`).
    pub se_link: Option<f64>,
}

impl Average {
    /// The sampling SE of the mean, sd / √n.
    pub fn se(&self) -> Option<f64> {
        self.sd.map(|sd| sd / (self.n as f64).sqrt())
    }
}

pub(crate) fn polars_err(e: PolarsError) -> Error {
    Error::Internal(format!("in the aggregation (polars): {e}"))
}

/// One grouping's key of a point: scale, group code and item in one
/// integer (scale in bits 48-55, group in 16-47, item in 0-15), so that
/// polars groups on one integer column instead of row-encoding three.
fn group_key(scale: u8, group: u32, item: u16) -> u64 {
    (u64::from(scale) << 48) | (u64::from(group) << 16) | u64::from(item)
}

/// The parts of a [`group_key`]: (scale, group, item).
fn key_parts(key: u64) -> (usize, u32, u16) {
    ((key >> 48) as usize, (key >> 16) as u32, key as u16)
}

/// The frame's points as a polars table: value, pop and, per grouping, the
/// point's [`group_key`] (null when the point has no group in it).
pub(crate) fn points_frame(f: &Frame, basis: Basis) -> PolarsResult<DataFrame> {
    // The basis is applied here, on the points, rather than as a window
    // expression each grouping would evaluate again.
    let latest;
    let p: &[Point] = match basis {
        Basis::All => &f.points,
        Basis::Latest => {
            latest = f.latest_points();
            &latest
        }
    };
    let mut cols: Vec<Column> = vec![
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
    ];
    for (i, g) in Grouping::ALL.iter().enumerate() {
        let keys: Vec<Option<u64>> = p
            .iter()
            .map(|x| g.code(f, x).map(|c| group_key(x.scale, c, x.item)))
            .collect();
        cols.push(Series::new(format!("k{i}").into(), keys).into());
    }
    DataFrame::new(p.len(), cols)
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
    let df = points_frame(f, basis)?;
    let base = df.lazy();
    let mut parts = Vec::new();
    for g in 0..Grouping::ALL.len() {
        let lf = base
            .clone()
            .with_column(col(format!("k{g}")).alias("key"))
            .filter(col("key").is_not_null())
            .group_by([col("key")])
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
    let out = concat(parts, union)?.collect()?;
    let keys: Vec<u64> = out
        .column("key")?
        .u64()?
        .iter()
        .map(|v| v.unwrap_or(0))
        .collect();
    let grouping = u32_column(&out, "grouping")?;
    let f64s = |name: &str| f64_column(&out, name);
    let [n, mean, sd, min, p25, median, p75, max, weighted] = [
        "n", "mean", "sd", "min", "p25", "median", "p75", "max", "weighted",
    ]
    .map(f64s);
    let (n, mean, sd, min, p25, median, p75, max, weighted) =
        (n?, mean?, sd?, min?, p25?, median?, p75?, max?, weighted?);
    // In output order: scale, grouping, group, item.
    let mut order: Vec<usize> = (0..out.height()).collect();
    order.sort_unstable_by_key(|&i| {
        let (scale, group, item) = key_parts(keys[i]);
        (scale, grouping[i], group, item)
    });
    Ok(order
        .into_iter()
        .map(|i| {
            let (scale, group, item) = key_parts(keys[i]);
            let grouping = Grouping::ALL[grouping[i] as usize];
            Average {
                scale,
                grouping,
                group: grouping.label(&f.codes, group),
                code: group,
                item,
                n: n[i].unwrap_or(0.0) as u64,
                mean: mean[i].unwrap_or(f64::NAN),
                sd: sd[i],
                min: min[i].unwrap_or(f64::NAN),
                p25: p25[i].unwrap_or(f64::NAN),
                median: median[i].unwrap_or(f64::NAN),
                p75: p75[i].unwrap_or(f64::NAN),
                max: max[i].unwrap_or(f64::NAN),
                mean_pop_weighted: weighted[i],
                se_link: None,
            }
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
            "se",
            "se_link",
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
            r.grouping.as_str().to_string(),
            r.group.clone(),
            instruments.get(scale.instrument).get(r.item).id.clone(),
            r.n.to_string(),
            num(r.mean),
            dialect.opt(r.sd, STAT_DECIMALS),
            dialect.opt(r.se(), STAT_DECIMALS),
            dialect.opt(r.se_link, STAT_DECIMALS),
            num(r.min),
            num(r.p25),
            num(r.median),
            num(r.p75),
            num(r.max),
            dialect.opt(r.mean_pop_weighted, STAT_DECIMALS),
        ])?;
    }
    out.finish()
}
