//! Parquet outputs (`--format parquet`) for the row-level tables, and
//! [`RowOut`], the writer those tables use for either format: the same
//! columns and values as the CSV, written field by field and flushed as a
//! zstd-compressed row group every [`ROW_GROUP`] rows, so memory stays
//! bounded whatever the size.
//!
//! Types: text as UTF-8 strings (codes too: `0114` stays `0114`), whole
//! numbers as INT64, numbers as DOUBLE holding exactly what the CSV shows
//! (rounded to the same decimals: a CSV cell `55.8333` reads back as the
//! double nearest 55.8333); an empty number cell is null.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as Physical, ZstdLevel};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use crate::error::{Error, Result};
use crate::io::dialect::OutputDialect;
use crate::io::manifest::Hashing;
use crate::io::out_file::OutFile;
use crate::io::{Cells, CsvOut, Written};

/// Rows per row group.
pub const ROW_GROUP: usize = 1 << 17;

/// Which file format the row-level tables are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    #[default]
    Csv,
    /// Apache Parquet, zstd-compressed.
    Parquet,
}

impl Format {
    /// The file a row-level table `stem` is written to in this format.
    pub fn file(self, stem: &str) -> String {
        match self {
            Format::Csv => format!("{stem}.csv"),
            Format::Parquet => format!("{stem}.parquet"),
        }
    }
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Int,
    Num,
}

/// A column's values of the current row group.
enum Values {
    /// The texts one after another, and where each ends: one buffer, not
    /// an allocation per cell (those were 40 % of a Parquet run's time).
    Text(Vec<u8>, Vec<usize>),
    Int(Vec<i64>, Vec<i16>),
    Num(Vec<f64>, Vec<i16>),
}

impl Values {
    /// Empties the buffers for the next row group.
    fn clear(&mut self) {
        match self {
            Values::Text(v, ends) => {
                v.clear();
                ends.clear();
            }
            Values::Int(v, d) => {
                v.clear();
                d.clear();
            }
            Values::Num(v, d) => {
                v.clear();
                d.clear();
            }
        }
    }
}

/// A Parquet file being written; moved into place by
/// [`ParquetOut::finish`], like [`CsvOut`].
pub struct ParquetOut {
    writer: SerializedFileWriter<Hashing<OutFile>>,
    tmp: PathBuf,
    path: PathBuf,
    columns: Vec<Values>,
    /// Field of the current row.
    field: usize,
    /// Rows in the current row group, and in all.
    pending: usize,
    rows: u64,
    /// Formats a number as the CSV would (then read back as a double).
    scratch: String,
}

fn parquet_err(path: &Path, e: parquet::errors::ParquetError) -> Error {
    Error::io(path, std::io::Error::other(e.to_string()))
}

impl ParquetOut {
    /// `name` in `dir` with the given columns.
    pub fn create(dir: &Path, name: &str, columns: &[(&str, Kind)]) -> Result<Self> {
        crate::io::create_dir(dir)?;
        let path = dir.join(name);
        let tmp = crate::io::csv_out::partial_path(&path);
        let fields = columns
            .iter()
            .map(|(name, kind)| {
                let (physical, logical, repetition) = match kind {
                    Kind::Text => (
                        Physical::BYTE_ARRAY,
                        Some(LogicalType::String),
                        Repetition::REQUIRED,
                    ),
                    Kind::Int => (Physical::INT64, None, Repetition::OPTIONAL),
                    Kind::Num => (Physical::DOUBLE, None, Repetition::OPTIONAL),
                };
                Type::primitive_type_builder(name, physical)
                    .with_logical_type(logical)
                    .with_repetition(repetition)
                    .build()
                    .map(Arc::new)
            })
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| parquet_err(&path, e))?;
        let schema = Type::group_type_builder("schema")
            .with_fields(fields)
            .build()
            .map_err(|e| parquet_err(&path, e))?;
        let level = ZstdLevel::try_new(3).map_err(|e| parquet_err(&path, e))?;
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(level))
            .set_created_by("kompass".into())
            .build();
        let file = OutFile::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        let writer =
            SerializedFileWriter::new(Hashing::new(file), Arc::new(schema), Arc::new(props))
                .map_err(|e| parquet_err(&tmp, e))?;
        let columns = columns
            .iter()
            .map(|(_, kind)| match kind {
                Kind::Text => Values::Text(Vec::new(), Vec::new()),
                Kind::Int => Values::Int(Vec::new(), Vec::new()),
                Kind::Num => Values::Num(Vec::new(), Vec::new()),
            })
            .collect();
        Ok(ParquetOut {
            writer,
            tmp,
            path,
            columns,
            field: 0,
            pending: 0,
            rows: 0,
            scratch: String::new(),
        })
    }

    fn next(&mut self) -> Result<&mut Values> {
        let i = self.field;
        self.field += 1;
        let n = self.columns.len();
        self.columns.get_mut(i).ok_or_else(|| {
            Error::Internal(format!("a row of more than {n} fields in a Parquet output"))
        })
    }

    fn kind_err(&self, want: &str) -> Error {
        Error::Internal(format!(
            "field {} of {} is not {want}",
            self.field,
            self.path.display()
        ))
    }

    pub fn text(&mut self, s: &str) -> Result<()> {
        match self.next()? {
            Values::Text(v, ends) => {
                v.extend_from_slice(s.as_bytes());
                ends.push(v.len());
            }
            // An empty cell in a number column is a null.
            Values::Int(_, d) | Values::Num(_, d) if s.is_empty() => d.push(0),
            _ => return Err(self.kind_err("text")),
        }
        Ok(())
    }

    pub fn num(&mut self, x: f64, decimals: usize) -> Result<()> {
        self.scratch.clear();
        OutputDialect::default().push_num(&mut self.scratch, x, decimals);
        let parsed = self.scratch.parse::<f64>().ok();
        match self.next()? {
            Values::Num(v, d) => match parsed {
                Some(x) => {
                    v.push(x);
                    d.push(1);
                }
                None => d.push(0),
            },
            _ => return Err(self.kind_err("a number")),
        }
        Ok(())
    }

    pub fn int(&mut self, v: u64) -> Result<()> {
        let v = i64::try_from(v).map_err(|_| self.kind_err("a whole number below 2^63"))?;
        match self.next()? {
            Values::Int(vals, d) => {
                vals.push(v);
                d.push(1);
            }
            _ => return Err(self.kind_err("a whole number")),
        }
        Ok(())
    }

    pub fn end(&mut self) -> Result<()> {
        if self.field != self.columns.len() {
            return Err(Error::Internal(format!(
                "a row of {} fields for {} columns in {}",
                self.field,
                self.columns.len(),
                self.path.display()
            )));
        }
        self.field = 0;
        self.pending += 1;
        self.rows += 1;
        if self.pending == ROW_GROUP {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the buffered rows as one row group.
    fn flush(&mut self) -> Result<()> {
        if self.pending == 0 {
            return Ok(());
        }
        let tmp = self.tmp.clone();
        let err = |e| parquet_err(&tmp, e);
        let mut group = self.writer.next_row_group().map_err(err)?;
        for values in &mut self.columns {
            let Some(mut col) = group.next_column().map_err(err)? else {
                break;
            };
            let written = match values {
                Values::Text(v, ends) => {
                    // Each cell a slice of the group's one buffer.
                    let all = bytes::Bytes::from(std::mem::replace(v, Vec::with_capacity(v.len())));
                    let mut start = 0;
                    let cells: Vec<ByteArray> = (ends.iter())
                        .map(|&end| {
                            ByteArray::from(all.slice(std::mem::replace(&mut start, end)..end))
                        })
                        .collect();
                    col.typed::<ByteArrayType>().write_batch(&cells, None, None)
                }
                Values::Int(v, d) => col.typed::<Int64Type>().write_batch(v, Some(d), None),
                Values::Num(v, d) => col.typed::<DoubleType>().write_batch(v, Some(d), None),
            };
            written.map_err(err)?;
            values.clear();
            col.close().map_err(err)?;
        }
        group.close().map_err(err)?;
        self.pending = 0;
        Ok(())
    }

    pub fn finish(mut self) -> Result<Written> {
        self.flush()?;
        let ParquetOut {
            writer,
            tmp,
            path,
            rows,
            ..
        } = self;
        let (file, sha) = writer
            .into_inner()
            .map_err(|e| parquet_err(&tmp, e))?
            .finish();
        file.finish().map_err(|e| Error::io(&tmp, e))?;
        Written::put_in_place(&tmp, path, rows, sha)
    }
}

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
            RowOut::Parquet(o) => (0..n).try_for_each(|k| fill(k, o)),
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

impl Cells for ParquetOut {
    fn text(&mut self, s: &str) -> Result<()> {
        ParquetOut::text(self, s)
    }

    fn num(&mut self, x: f64, decimals: usize) -> Result<()> {
        ParquetOut::num(self, x, decimals)
    }

    fn int(&mut self, v: u64) -> Result<()> {
        ParquetOut::int(self, v)
    }

    fn end(&mut self) -> Result<()> {
        ParquetOut::end(self)
    }
}
