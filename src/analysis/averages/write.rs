//! Writing `averages.csv`: one row per scale, basis, grouping, group and
//! item.

use std::path::Path;

use super::{Average, Basis};
use crate::analysis::frame::Frame;
use crate::error::Result;
use crate::io::dialect::{OutputDialect, STAT_DECIMALS};
use crate::io::{CsvOut, Written};
use crate::reference::instrument::Instruments;

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
            "n_pop_weighted",
            "ci_low",
            "ci_high",
        ],
    )?;
    for r in rows {
        let scale = &f.scales[r.scale];
        out.row([
            scale.label.clone(),
            basis.as_str().to_string(),
            r.grouping.as_str().to_string(),
            r.group.clone(),
            f.item_id(instruments, r.scale, r.item).to_string(),
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
        ])?;
    }
    out.finish()
}
