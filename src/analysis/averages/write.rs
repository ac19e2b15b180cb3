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

/// A row's [`KEY`] cells: its scale's label, the basis, the grouping, the
/// group and the item's id.
fn key_cells(
    f: &Frame,
    instruments: &Instruments,
    basis: Basis,
    (scale, grouping, group, item): (usize, Grouping, &str, u16),
) -> [String; 5] {
    [
        f.scales[scale].label.clone(),
        basis.as_str().to_string(),
        grouping.as_str().to_string(),
        group.to_string(),
        f.item_id(instruments, scale, item).to_string(),
    ]
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
            &KEY[..],
            &[
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
            ],
        ]
        .concat(),
    )?;
    for r in rows {
        let key = key_cells(
            f,
            instruments,
            basis,
            (r.scale, r.grouping, &r.group, r.item),
        );
        out.row(key.into_iter().chain([
            r.n().to_string(),
            num(r.mean),
            dialect.opt(r.errors.sd, STAT_DECIMALS),
            dialect.opt(r.se(), STAT_DECIMALS),
            dialect.opt(r.errors.se_link, STAT_DECIMALS),
            num(r.min),
            num(r.p25),
            num(r.median),
            num(r.p75),
            num(r.max),
            dialect.opt(r.mean_pop_weighted, STAT_DECIMALS),
            r.n_pop_weighted.to_string(),
            dialect.opt(r.ci.map(|c| c.0), STAT_DECIMALS),
            dialect.opt(r.ci.map(|c| c.1), STAT_DECIMALS),
        ]))?;
    }
    out.finish()
}

/// Writes `group_differences.csv`.
pub fn write_differences(
    dir: &Path,
    dialect: OutputDialect,
    rows: &[Difference],
    f: &Frame,
    basis: Basis,
    instruments: &Instruments,
) -> Result<Written> {
    let opt = |x: Option<f64>| dialect.opt(x, STAT_DECIMALS);
    let mut out = CsvOut::create(
        dir,
        "group_differences.csv",
        dialect,
        &[
            &KEY[..],
            &[
                "n",
                "national_n",
                "difference",
                "se_sampling",
                "se_link",
                "se_total",
                "ci_low",
                "ci_high",
            ],
        ]
        .concat(),
    )?;
    for r in rows {
        let key = key_cells(
            f,
            instruments,
            basis,
            (r.scale, r.grouping, &r.group, r.item),
        );
        out.row(key.into_iter().chain([
            r.n.to_string(),
            r.national_n.to_string(),
            dialect.num(r.difference, STAT_DECIMALS),
            opt(r.se_sampling),
            opt(r.se_link),
            opt(r.se_total()),
            opt(r.ci.map(|c| c.0)),
            opt(r.ci.map(|c| c.1)),
        ]))?;
    }
    out.finish()
}
