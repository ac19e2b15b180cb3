//! Writing the standings: `benchmarks.csv` (or `.parquet`), every latest
//! point with its ranks, and `role_models.csv`.

use std::path::Path;

use super::Benchmarks;
use crate::analysis::frame::{Frame, Point};
use crate::error::Result;
use crate::ingest::header::own::{BENCHMARKS, ROLE_MODELS};
use crate::io::dialect::{OutputDialect, STAT_DECIMALS};
use crate::io::{CsvOut, Kind, RowOut, Written};
use crate::reference::instrument::Instruments;

/// Writes `benchmarks.csv` and `role_models.csv`.
pub fn write(
    dir: &Path,
    dialect: OutputDialect,
    f: &Frame,
    rows: &Benchmarks,
    models: &[(usize, Point)],
    instruments: &Instruments,
) -> Result<Vec<Written>> {
    Ok(vec![
        benchmarks_csv(dir, dialect, f, rows, instruments)?,
        role_models_csv(dir, dialect, f, models, instruments)?,
    ])
}

/// `benchmarks.csv`: every benchmark, in output order.
fn benchmarks_csv(
    dir: &Path,
    dialect: OutputDialect,
    f: &Frame,
    rows: &Benchmarks,
    instruments: &Instruments,
) -> Result<Written> {
    let mut out = RowOut::create(
        dir,
        "benchmarks",
        dialect.rows,
        dialect,
        &BENCHMARKS
            .into_iter()
            .zip(BENCHMARK_KINDS)
            .collect::<Vec<_>>(),
    )?;
    let order = &rows.order;
    out.rows(order.len(), |k, out| {
        let b = rows.get(f, order[k] as usize);
        let p = &b.point;
        let m = &f.munis[p.muni as usize];
        let item = f.item_id(instruments, p.scale as usize, p.item);
        let d = STAT_DECIMALS;
        // The municipality and scale, the same on all their rows.
        out.repeated(u64::from(p.muni) << 32 | u64::from(p.scale), |out| {
            out.text(&m.country)?;
            out.text(&m.code)?;
            out.text(&m.name)?;
            out.text(&f.scales[p.scale as usize].label)
        })?;
        out.text(item)?;
        out.int(u64::from(p.year))?;
        out.num(p.value, d)?;
        out.opt_num(f.se(p), d)?;
        out.num(b.national_mean, d)?;
        out.num(p.value - b.national_mean, d)?;
        out.int(b.rank as u64)?;
        out.int(b.n as u64)?;
        out.opt_num(b.percentile, d)?;
        out.text(m.group_2017.as_deref().unwrap_or(""))?;
        out.opt_num(b.group_mean, d)?;
        out.opt_int(b.group_rank.map(|v| v as u64))?;
        out.opt_int(b.group_n.map(|v| v as u64))?;
        out.opt_num(b.group_percentile, d)?;
        out.end()
    })?;
    out.finish()
}

/// The kinds of `benchmarks.csv`'s columns ([`BENCHMARKS`]).
const BENCHMARK_KINDS: [Kind; 18] = [
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Int,
    Kind::Num,
    Kind::Num,
    Kind::Num,
    Kind::Num,
    Kind::Int,
    Kind::Int,
    Kind::Num,
    Kind::Text,
    Kind::Num,
    Kind::Int,
    Kind::Int,
    Kind::Num,
];

/// `role_models.csv`.
fn role_models_csv(
    dir: &Path,
    dialect: OutputDialect,
    f: &Frame,
    models: &[(usize, Point)],
    instruments: &Instruments,
) -> Result<Written> {
    let num = |x: f64| dialect.num(x, STAT_DECIMALS);
    let item_id = |p: &Point| f.item_id(instruments, p.scale as usize, p.item).to_string();
    let mut out = CsvOut::create(dir, "role_models.csv", dialect, &ROLE_MODELS)?;
    for (pos, p) in models {
        let m = &f.munis[p.muni as usize];
        out.row([
            m.country.clone(),
            f.scales[p.scale as usize].label.clone(),
            item_id(p),
            pos.to_string(),
            m.code.clone(),
            m.name.clone(),
            p.year.to_string(),
            num(p.value),
        ])?;
    }
    out.finish()
}
