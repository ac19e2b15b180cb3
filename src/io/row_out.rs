//! [`RowOut`], the writer of the row-level tables (`evaluations`,
//! `trends`, `benchmarks`, `linked_scores`) in either format, CSV or
//! Parquet (`--format`): the same calls, columns and values.

use std::path::Path;

use super::dialect::OutputDialect;
use super::parquet_out::{Format, Kind, ParquetOut};
use super::{Cells, CsvOut, Written};
use crate::error::Result;

/// A row-level table being written as CSV or Parquet: the same calls, the
/// same columns and values.
pub enum RowOut {
    Csv(CsvOut),
    Parquet(ParquetOut),
}

impl RowOut {
    /// `<stem>.csv` or `<stem>.parquet` in `dir`.
    pub fn create(
        dir: &Path,
        stem: &str,
        format: Format,
        dialect: OutputDialect,
        columns: &[(&str, Kind)],
    ) -> Result<Self> {
        Ok(match format {
            Format::Csv => {
                let header: Vec<&str> = columns.iter().map(|c| c.0).collect();
                RowOut::Csv(CsvOut::create(dir, &format.file(stem), dialect, &header)?)
            }
            Format::Parquet => {
                RowOut::Parquet(ParquetOut::create(dir, &format.file(stem), columns)?)
            }
        })
    }

    /// Writes rows `0..n`, row `k`'s fields put by `fill(k, ..)` (CSV rows
    /// are formatted on all cores: [`CsvOut::rows`]).
    pub fn rows<F>(&mut self, n: usize, fill: F) -> Result<()>
    where
        F: Fn(usize, &mut dyn Cells) -> Result<()> + Sync,
    {
        match self {
            RowOut::Csv(o) => o.rows(n, fill),
            RowOut::Parquet(o) => o.rows(n, fill),
        }
    }

    pub fn finish(self) -> Result<Written> {
        match self {
            RowOut::Csv(o) => o.finish(),
            RowOut::Parquet(o) => o.finish(),
        }
    }
}

/// The calls are the same for either format.
impl Cells for RowOut {
    fn text(&mut self, s: &str) -> Result<()> {
        match self {
            RowOut::Csv(o) => o.text(s),
            RowOut::Parquet(o) => o.text(s),
        }
    }

    fn num(&mut self, x: f64, decimals: usize) -> Result<()> {
        match self {
            RowOut::Csv(o) => o.num(x, decimals),
            RowOut::Parquet(o) => o.num(x, decimals),
        }
    }

    fn int(&mut self, v: u64) -> Result<()> {
        match self {
            RowOut::Csv(o) => o.int(v),
            RowOut::Parquet(o) => o.int(v),
        }
    }

    fn end(&mut self) -> Result<()> {
        match self {
            RowOut::Csv(o) => o.end(),
            RowOut::Parquet(o) => o.end(),
        }
    }
}
