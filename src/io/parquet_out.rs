//! Parquet outputs (`--format parquet`) for the row-level tables (written
//! through [`crate::io::RowOut`]): the same columns and values as the CSV,
//! a zstd-compressed row group every [`ROW_GROUP`] rows, so memory stays
//! bounded whatever the size. A table's rows are put on all cores, a row
//! group at a time, while the group before is encoded and written.
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
use crate::io::{Cells, Written};

/// Rows per row group.
pub const ROW_GROUP: usize = 1 << 16;

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
    /// An empty column of `kind`.
    fn of(kind: Kind) -> Values {
        match kind {
            Kind::Text => Values::Text(Vec::new(), Vec::new()),
            Kind::Int => Values::Int(Vec::new(), Vec::new()),
            Kind::Num => Values::Num(Vec::new(), Vec::new()),
        }
    }

    /// Appends `other`'s values (a column of the same kind).
    fn append(&mut self, other: Values) {
        match (self, other) {
            (Values::Text(v, ends), Values::Text(w, more)) => {
                let at = v.len();
                v.extend_from_slice(&w);
                ends.extend(more.iter().map(|e| e + at));
            }
            (Values::Int(v, d), Values::Int(w, e)) => {
                v.extend_from_slice(&w);
                d.extend_from_slice(&e);
            }
            (Values::Num(v, d), Values::Num(w, e)) => {
                v.extend_from_slice(&w);
                d.extend_from_slice(&e);
            }
            // Never: the groups of one file have its columns.
            _ => {}
        }
    }
}

/// A Parquet file being written; moved into place by
/// [`ParquetOut::finish`], like [`CsvOut`](crate::io::CsvOut).
pub struct ParquetOut {
    writer: SerializedFileWriter<Hashing<OutFile>>,
    tmp: PathBuf,
    path: PathBuf,
    kinds: Vec<Kind>,
    /// The row group being filled by single calls.
    group: Group,
    /// Rows in all.
    rows: u64,
}

/// A row group's values, filled field by field.
struct Group {
    columns: Vec<Values>,
    /// Field of the current row.
    field: usize,
    rows: usize,
    /// Formats a number as the CSV would (then read back as a double).
    scratch: String,
}

impl Group {
    fn new(kinds: &[Kind]) -> Group {
        Group {
            columns: kinds.iter().map(|&k| Values::of(k)).collect(),
            field: 0,
            rows: 0,
            scratch: String::new(),
        }
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
            "field {} of a Parquet output is not {want}",
            self.field
        ))
    }

    /// Appends `other`'s rows.
    fn append(&mut self, other: Group) {
        for (mine, theirs) in self.columns.iter_mut().zip(other.columns) {
            mine.append(theirs);
        }
        self.rows += other.rows;
    }
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
        let kinds: Vec<Kind> = columns.iter().map(|c| c.1).collect();
        Ok(ParquetOut {
            writer,
            tmp,
            path,
            group: Group::new(&kinds),
            kinds,
            rows: 0,
        })
    }

    /// Writes the rows of the group being filled, if any.
    fn flush(&mut self) -> Result<()> {
        let group = std::mem::replace(&mut self.group, Group::new(&self.kinds));
        write_group(&mut self.writer, &self.tmp, vec![group])
    }

    /// Writes rows `0..n`, row `k`'s fields put by `fill(k, ..)`: a row
    /// group's rows are put on all cores (in pieces, joined in order)
    /// while the group before is encoded and written: the same groups and
    /// values as row by row, where one core did all.
    pub fn rows<F>(&mut self, n: usize, fill: F) -> Result<()>
    where
        F: Fn(usize, &mut dyn Cells) -> Result<()> + Sync,
    {
        // First the rest of a group begun by single calls.
        let mut k = 0;
        while k < n && self.group.rows != 0 {
            fill(k, self)?;
            k += 1;
        }
        self.rows += (n - k) as u64;
        let (writer, tmp, kinds) = (&mut self.writer, &self.tmp, &self.kinds);
        let mut ready: Option<Vec<Group>> = None;
        while k < n {
            let end = n.min(k + ROW_GROUP);
            let (filled, written) = rayon::join(
                || fill_group(kinds, k..end, &fill),
                || ready.take().map_or(Ok(()), |g| write_group(writer, tmp, g)),
            );
            written?;
            ready = Some(filled?);
            k = end;
        }
        if let Some(last) = ready {
            if last.iter().map(|g| g.rows).sum::<usize>() == ROW_GROUP {
                write_group(writer, tmp, last)?;
            } else {
                // A group not full: later rows or `finish` complete it.
                for piece in last {
                    self.group.append(piece);
                }
            }
        }
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
        file.finish_as(&path).map_err(|e| Error::io(&tmp, e))?;
        Written::put_in_place(&tmp, path, rows, sha)
    }
}

/// Writes `pieces` (a row group's rows in order, put in pieces) as one row
/// group of `writer` (a file being written at `tmp`), each column piece by
/// piece: the same pages as written in one batch (pieces of a multiple of
/// the writer's batch of 1,024 values).
fn write_group(
    writer: &mut SerializedFileWriter<Hashing<OutFile>>,
    tmp: &Path,
    pieces: Vec<Group>,
) -> Result<()> {
    if pieces.iter().all(|g| g.rows == 0) {
        return Ok(());
    }
    let err = |e| parquet_err(tmp, e);
    let mut columns: Vec<_> = pieces.into_iter().map(|g| g.columns.into_iter()).collect();
    let mut out = writer.next_row_group().map_err(err)?;
    while let Some(mut col) = out.next_column().map_err(err)? {
        for values in columns.iter_mut().filter_map(Iterator::next) {
            let written = match values {
                Values::Text(v, ends) => {
                    // Each cell a slice of the piece's one buffer.
                    let all = bytes::Bytes::from(v);
                    let mut start = 0;
                    let cells: Vec<ByteArray> = (ends.iter())
                        .map(|&end| {
                            ByteArray::from(all.slice(std::mem::replace(&mut start, end)..end))
                        })
                        .collect();
                    col.typed::<ByteArrayType>().write_batch(&cells, None, None)
                }
                Values::Int(v, d) => col.typed::<Int64Type>().write_batch(&v, Some(&d), None),
                Values::Num(v, d) => col.typed::<DoubleType>().write_batch(&v, Some(&d), None),
            };
            written.map_err(err)?;
        }
        col.close().map_err(err)?;
    }
    out.close().map_err(err)?;
    Ok(())
}

/// Rows `range` of a table put by `fill` on all cores, in pieces of
/// [`PIECE`] rows, in order.
fn fill_group<F>(kinds: &[Kind], range: std::ops::Range<usize>, fill: &F) -> Result<Vec<Group>>
where
    F: Fn(usize, &mut dyn Cells) -> Result<()> + Sync,
{
    use rayon::prelude::*;
    let starts: Vec<usize> = range.clone().step_by(PIECE).collect();
    (starts.into_par_iter())
        .map(|from| {
            let mut g = Group::new(kinds);
            for k in from..range.end.min(from + PIECE) {
                fill(k, &mut g)?;
            }
            Ok(g)
        })
        .collect()
}

/// Rows a core puts at a time in [`fill_group`]: a multiple of the
/// Parquet writer's batch of 1,024 values, so that a column written piece
/// by piece has the same pages as written whole.
const PIECE: usize = 1 << 14;

impl Cells for Group {
    fn text(&mut self, s: &str) -> Result<()> {
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

    fn num(&mut self, x: f64, decimals: usize) -> Result<()> {
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

    fn int(&mut self, v: u64) -> Result<()> {
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

    fn end(&mut self) -> Result<()> {
        if self.field != self.columns.len() {
            return Err(Error::Internal(format!(
                "a row of {} fields for {} columns in a Parquet output",
                self.field,
                self.columns.len(),
            )));
        }
        self.field = 0;
        self.rows += 1;
        Ok(())
    }
}

/// Single calls fill the group being filled, written when it is full.
impl Cells for ParquetOut {
    fn text(&mut self, s: &str) -> Result<()> {
        self.group.text(s)
    }

    fn num(&mut self, x: f64, decimals: usize) -> Result<()> {
        self.group.num(x, decimals)
    }

    fn int(&mut self, v: u64) -> Result<()> {
        self.group.int(v)
    }

    fn end(&mut self) -> Result<()> {
        self.group.end()?;
        self.rows += 1;
        if self.group.rows == ROW_GROUP {
            self.flush()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Row `k` of a test table: a text (empty every 13th), a whole number
    /// and a number (missing every 11th).
    fn row(k: usize, out: &mut dyn Cells) -> Result<()> {
        out.text(if k.is_multiple_of(13) {
            ""
        } else {
            ["SE", "0114", "Åre"][k % 3]
        })?;
        out.int(k as u64)?;
        out.opt_num((!k.is_multiple_of(11)).then(|| k as f64 / 7.0), 4)?;
        out.end()
    }

    /// The bytes of a table of `n` rows written with `single` rows put one
    /// by one first, then the rest through `rows` (on all cores, a group
    /// filled while the one before is written).
    fn table(dir: &Path, name: &str, n: usize, single: usize) -> Vec<u8> {
        let columns = [("t", Kind::Text), ("i", Kind::Int), ("x", Kind::Num)];
        let mut out = ParquetOut::create(dir, name, &columns).unwrap();
        for k in 0..single {
            row(k, &mut out).unwrap();
        }
        out.rows(n - single, |k, o| row(single + k, o)).unwrap();
        let written = out.finish().unwrap();
        assert_eq!(written.rows, n as u64);
        std::fs::read(dir.join(name)).unwrap()
    }

    /// Whole groups, a group begun by single calls and finished by
    /// `rows`, and a last group part full: the same file, byte for byte,
    /// as one row after another.
    #[test]
    fn rows_on_all_cores_write_the_same_file_as_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        let n = 2 * ROW_GROUP + 1_000;
        let one_by_one = table(dir.path(), "a.parquet", n, n);
        assert_eq!(table(dir.path(), "b.parquet", n, 0), one_by_one);
        assert_eq!(table(dir.path(), "c.parquet", n, 5), one_by_one);
        assert_eq!(
            table(dir.path(), "d.parquet", 3, 0),
            table(dir.path(), "e.parquet", 3, 3)
        );
    }
}
