//! Writing `averages.csv` (one row per scale, basis, grouping, group and
//! item) and `group_differences.csv` (one per Swedish group's average).

use std::path::Path;

use super::{Average, Basis, Difference, Grouping};
use crate::analysis::frame::Frame;
use crate::error::Result;
use crate::io::dialect::{OutputDialect, STAT_DECIMALS};
use crate::io::{CsvOut, Written};
use crate::reference::instrument::Instruments;

/// The key columns of both files.
const KEY: [&str; 5] = ["scale", "basis", "grouping", "group", "item"];

/// A row of either file: its (scale, grouping, group, item) key.
trait Keyed {
    fn key(&self) -> (usize, Grouping, &str, u16);
}

impl Keyed for Average {
    fn key(&self) -> (usize, Grouping, &str, u16) {
        (self.scale, self.grouping, &self.group, self.item)
    }
}

impl Keyed for Difference {
    fn key(&self) -> (usize, Grouping, &str, u16) {
        (self.scale, self.grouping, &self.group, self.item)
    }
}

/// Where both files go and what their key cells are read from.
struct Files<'a> {
    dir: &'a Path,
    dialect: OutputDialect,
    f: &'a Frame,
    basis: Basis,
    instruments: &'a Instruments,
}

impl Files<'_> {
    /// Writes `name`: the [`KEY`] columns (the scale's label, the basis,
    /// the grouping, the group and the item's id) and `columns`, one row
    /// per element of `rows`, its other cells from `cells`.
    fn write<R: Keyed, const N: usize>(
        &self,
        name: &str,
        columns: [&str; N],
        rows: &[R],
        cells: impl Fn(&R) -> [String; N],
    ) -> Result<Written> {
        let head = [&KEY[..], &columns[..]].concat();
        let mut out = CsvOut::create(self.dir, name, self.dialect, &head)?;
        for r in rows {
            let (scale, grouping, group, item) = r.key();
            let key = [
                self.f.scales[scale].label.clone(),
                self.basis.as_str().to_string(),
                grouping.as_str().to_string(),
                group.to_string(),
                self.f.item_id(self.instruments, scale, item).to_string(),
            ];
            out.row(key.into_iter().chain(cells(r)))?;
        }
        out.finish()
    }
}

/// Writes `averages.csv` and `group_differences.csv`.
pub fn write(
    (dir, dialect): (&Path, OutputDialect),
    (averages, differences): (&[Average], &[Difference]),
    f: &Frame,
    basis: Basis,
    instruments: &Instruments,
) -> Result<[Written; 2]> {
    let files = Files {
        dir,
        dialect,
        f,
        basis,
        instruments,
    };
    Ok([
        write_averages(&files, averages)?,
        write_differences(&files, differences)?,
    ])
}

/// Writes `averages.csv`.
fn write_averages(files: &Files, rows: &[Average]) -> Result<Written> {
    let dialect = files.dialect;
    let num = |x: f64| dialect.num(x, STAT_DECIMALS);
    let opt = |x: Option<f64>| dialect.opt(x, STAT_DECIMALS);
    let columns = [
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
        "n_pop_weighted",
        "ci_low",
        "ci_high",
    ];
    files.write("averages.csv", columns, rows, |r| {
        [
            r.n().to_string(),
            num(r.mean),
            opt(r.errors.sd),
            opt(r.se()),
            opt(r.errors.se_link),
            num(r.min),
            num(r.p25),
            num(r.median),
            num(r.p75),
            num(r.max),
            opt(r.mean_pop_weighted),
            r.n_pop_weighted.to_string(),
            opt(r.ci.map(|c| c.0)),
            opt(r.ci.map(|c| c.1)),
        ]
    })
}

/// Writes `group_differences.csv`.
fn write_differences(files: &Files, rows: &[Difference]) -> Result<Written> {
    let dialect = files.dialect;
    let opt = |x: Option<f64>| dialect.opt(x, STAT_DECIMALS);
    let columns = [
        "n",
        "national_n",
        "difference",
        "se_sampling",
        "se_link",
        "se_total",
        "ci_low",
        "ci_high",
    ];
    files.write("group_differences.csv", columns, rows, |r| {
        [
            r.n.to_string(),
            r.national_n.to_string(),
            dialect.num(r.difference, STAT_DECIMALS),
            opt(r.se_sampling),
            opt(r.se_link),
            opt(r.se_total()),
            opt(r.ci.map(|c| c.0)),
            opt(r.ci.map(|c| c.1)),
        ]
    })
}
