//! Writing `year_totals.csv`: each country's mean total per evaluation year
//! and scale, the figures its trend chart draws.

use std::path::Path;

use super::ByCountry;
use crate::analysis::frame::Frame;
use crate::error::Result;
use crate::io::dialect::{OutputDialect, STAT_DECIMALS};
use crate::io::{CsvOut, Written};

/// `year_totals.csv`, by country, scale (the frame's order) and year.
pub fn write(dir: &Path, dialect: OutputDialect, f: &Frame, years: &ByCountry) -> Result<Written> {
    let mut out = CsvOut::create(
        dir,
        "year_totals.csv",
        dialect,
        &[
            "country",
            "scale",
            "eval_year",
            "n",
            "mean_total",
            "ci_low",
            "ci_high",
        ],
    )?;
    let d = STAT_DECIMALS;
    for (country, scales) in years {
        for (&s, points) in scales {
            for p in points {
                out.text(country)?;
                out.text(&f.scales[s].label)?;
                out.int(u64::from(p.year))?;
                out.int(p.n)?;
                out.num(p.mean, d)?;
                out.opt_num(p.interval.map(|i| i.0), d)?;
                out.opt_num(p.interval.map(|i| i.1), d)?;
                out.end()?;
            }
        }
    }
    out.finish()
}
