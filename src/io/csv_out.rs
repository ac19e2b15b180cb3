//! Writing CSV outputs: the one CSV writer of kompass (see [`CsvOut`]).

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::io::csv_line::{Cells, Chunk, Line};
use crate::io::dialect::{Decimal, OutEncoding, OutputDialect};
use crate::io::manifest::Hashing;
use crate::io::number::parse_number;
use crate::io::out_file::OutFile;

/// A text cell as written: one that starts with `=`, `+`, `-`, `@`, a tab
/// or a carriage return (which Excel and LibreOffice would run as a
/// formula, CWE-1236), a line feed or a NUL (OWASP ASVS 1.2.10 names NUL;
/// a quoted cell may start with a line end), or with `'` gets one more `'`
/// in front (the OWASP rule), unless it is a number (`-4`, `-4,5`: numbers
/// are never changed).
/// The original is the cell with one leading `'` removed, whenever the cell
/// starts with `'`.
pub fn neutralised(s: &str) -> std::borrow::Cow<'_, str> {
    let risky = match s.as_bytes().first() {
        Some(b'=' | b'@' | b'\t' | b'\r' | b'\n' | b'\0' | b'\'') => true,
        Some(b'+' | b'-') => parse_number(s, Decimal::Auto).is_none(),
        _ => false,
    };
    if risky {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// The text of a cell [`neutralised`] gave (a register kompass wrote, such
/// as a generated data set's `meta/register.csv`, read back): one leading
/// `'` removed where the guard put it, before `=`, `+`, `-`, `@`, a tab, a
/// carriage return, a line feed, a NUL or another `'`. Any other `'` is
/// the text's own
/// (`'s-Hertogenbosch`).
pub fn unguarded(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r', '\n', '\0', '\'']) => rest,
        _ => s,
    }
}

/// A file written, with its data row count.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub rows: u64,
    /// Characters the output encoding does not have, written `?`.
    pub unmappable: u64,
    /// BLAKE3 (hex), when hashed while written (else the manifest reads
    /// the file back).
    pub blake3: Option<String>,
}

/// How a CSV file's bytes are laid out: separator, line end, encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvFormat {
    pub delimiter: u8,
    /// `\r\n` line ends (else `\n`).
    pub crlf: bool,
    /// A UTF-8 byte order mark first (for Excel).
    pub bom: bool,
    /// Windows-1252 instead of UTF-8 (Swedish Excel's own CSV exports).
    pub windows_1252: bool,
    /// Text cells that a spreadsheet would run as a formula get a leading
    /// `'` (see [`neutralised`]). On for kompass's outputs; off for the
    /// synthetic exports, which are inputs and must stay as written.
    pub neutralise_formulas: bool,
}

impl From<OutputDialect> for CsvFormat {
    /// kompass's outputs: `\n` line ends, UTF-8 or Windows-1252; for Excel
    /// `;` and (UTF-8) a BOM.
    fn from(d: OutputDialect) -> Self {
        let windows_1252 = d.encoding == OutEncoding::Windows1252;
        CsvFormat {
            delimiter: d.delimiter(),
            crlf: false,
            bom: d.excel && !windows_1252,
            windows_1252,
            neutralise_formulas: true,
        }
    }
}

/// A CSV file being written: the one CSV writer of kompass (outputs and
/// synthetic exports). Written beside its final name and moved into place
/// by [`CsvOut::finish`] (or [`CsvOut::finish_aside`] and then
/// [`Finished::put_in_place`]), so a reader never sees half a file.
///
/// Rows are built field by field in a reused line buffer and written whole
/// (faster than the csv crate's per-field writer at tens of millions of
/// rows, which is why it is not used here). The format is the csv crate's
/// default: a field quoted only when it holds the delimiter, a quote or a
/// line break (quotes doubled), and a row of one empty field written as
/// `""`.
pub struct CsvOut {
    out: BufWriter<Hashing<OutFile>>,
    tmp: PathBuf,
    path: PathBuf,
    pub dialect: OutputDialect,
    rows: u64,
    /// The row being built.
    line: Line,
}

/// Where the file at `path` is written until it is finished (then
/// renamed): `.<name>.partial` beside it; a file there is not yet whole.
pub fn partial_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.partial"))
}

/// `dir/name` for a temporary `dir/.name.partial` ([`partial_path`]'s
/// inverse), to name a write that failed as the file it was to become;
/// any other path as it is.
pub fn unpartial_path(path: &Path) -> PathBuf {
    let name = path.file_name().and_then(|n| n.to_str());
    match name.and_then(|n| n.strip_prefix('.')?.strip_suffix(".partial")) {
        Some(real) => path.with_file_name(real),
        None => path.to_path_buf(),
    }
}

impl CsvOut {
    /// An output file `name` in `dir` (created if missing), laid out for
    /// `dialect`.
    pub fn create(dir: &Path, name: &str, dialect: OutputDialect, header: &[&str]) -> Result<Self> {
        crate::io::create_dir(dir)?;
        Self::with_layout(&dir.join(name), dialect, dialect.into(), header)
    }

    /// A CSV file at `path` with the given byte layout; numbers written with
    /// [`CsvOut::num`] follow `dialect`.
    pub fn with_layout(
        path: &Path,
        dialect: OutputDialect,
        layout: CsvFormat,
        header: &[&str],
    ) -> Result<Self> {
        let tmp = partial_path(path);
        let file = OutFile::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        let mut out = BufWriter::with_capacity(1 << 16, Hashing::new(file));
        if layout.bom {
            out.write_all(b"\xEF\xBB\xBF")
                .map_err(|e| Error::io(&tmp, e))?;
        }
        let mut out = CsvOut {
            out,
            tmp,
            path: path.to_path_buf(),
            dialect,
            rows: 0,
            line: Line::new(layout, dialect),
        };
        out.row(header)?;
        out.rows = 0;
        Ok(out)
    }

    /// The line number the next row will have (the header is line 1; a
    /// field with a line break counts as one row).
    pub fn next_line(&self) -> u64 {
        self.rows + 2
    }

    /// Writes one data row.
    pub fn row<I, T>(&mut self, fields: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        for f in fields {
            self.text(f.as_ref())?;
        }
        self.end()
    }

    /// Appends a text field to the current row (quoted as needed).
    pub fn text(&mut self, s: &str) -> Result<()> {
        self.line.text(s);
        Ok(())
    }

    /// Appends a number field, formatted as [`OutputDialect::num`] (digits,
    /// sign and decimal mark: never quoted).
    pub fn num(&mut self, x: f64, decimals: usize) -> Result<()> {
        self.line.num(x, decimals);
        Ok(())
    }

    /// Appends a number field, or an empty one for a missing value.
    pub fn opt_num(&mut self, x: Option<f64>, decimals: usize) -> Result<()> {
        Cells::opt_num(self, x, decimals)
    }

    /// Appends a whole number field.
    pub fn int(&mut self, v: u64) -> Result<()> {
        self.line.int(v);
        Ok(())
    }

    /// Appends a whole number field, or an empty one for a missing value.
    pub fn opt_int(&mut self, v: Option<u64>) -> Result<()> {
        Cells::opt_int(self, v)
    }

    /// Ends the row begun with [`CsvOut::text`], [`CsvOut::num`] and the like.
    pub fn end(&mut self) -> Result<()> {
        let bytes = self.line.close();
        self.out
            .write_all(&bytes)
            .map_err(|e| Error::io(&self.tmp, e))?;
        self.line.clear();
        self.rows += 1;
        Ok(())
    }

    /// Writes rows `0..n`, row `k`'s fields put by `fill(k, ..)`: the rows
    /// are formatted on all cores, a batch of chunks at a time, and written
    /// in order (the bytes are the same as row by row); a batch is written
    /// and hashed while the next one is formatted.
    pub fn rows<F>(&mut self, n: usize, fill: F) -> Result<()>
    where
        F: Fn(usize, &mut dyn Cells) -> Result<()> + Sync,
    {
        use rayon::prelude::*;
        /// Rows per chunk, and chunks per batch (this bounds the memory:
        /// two batches of a few MB per chunk).
        const CHUNK: usize = 16_384;
        const AHEAD: usize = 8;
        let (layout, dialect) = (self.line.layout, self.line.dialect);
        // Each chunk's room made at once: as large as the largest of the
        // batch before, and a little more (grown as it filled, a chunk of
        // `benchmarks.csv` was copied once at 1 MiB: 1.4 % of a run).
        let room = |batch: &[Result<Chunk>]| {
            let most = batch.iter().flatten().map(|c| c.bytes().len()).max();
            most.map_or(1 << 20, |b| b + b / 16)
        };
        let format = |start: usize, capacity: usize| -> Vec<Result<Chunk>> {
            let end = n.min(start + CHUNK * AHEAD);
            (start..end)
                .step_by(CHUNK)
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(|from| {
                    let mut chunk = Chunk::new(Line::new(layout, dialect), capacity);
                    for k in from..end.min(from + CHUNK) {
                        fill(k, &mut chunk)?;
                    }
                    Ok(chunk)
                })
                .collect()
        };
        let (out, tmp, rows) = (&mut self.out, &self.tmp, &mut self.rows);
        let unmappable = &mut self.line.unmappable;
        let mut write = |batch: Vec<Result<Chunk>>| -> Result<()> {
            for chunk in batch {
                let chunk = chunk?;
                out.write_all(chunk.bytes())
                    .map_err(|e| Error::io(tmp, e))?;
                *rows += chunk.rows;
                *unmappable += chunk.unmappable();
            }
            Ok(())
        };
        let mut pending = Vec::new();
        let mut start = 0;
        while start < n {
            let capacity = room(&pending);
            let (next, written) = rayon::join(|| format(start, capacity), || write(pending));
            written?;
            pending = next;
            start = n.min(start + CHUNK * AHEAD);
        }
        write(pending)
    }

    /// Flushes, moves the file into place and returns its path and row count.
    pub fn finish(self) -> Result<Written> {
        self.finish_aside()?.put_in_place()
    }

    /// Flushes the file and returns it whole at its temporary name, with
    /// its BLAKE3, for [`Finished::put_in_place`] (a generation lists it
    /// between the two).
    pub fn finish_aside(self) -> Result<Finished> {
        let CsvOut {
            out,
            tmp,
            path,
            rows,
            line,
            ..
        } = self;
        // The file's flush to the disk starts as it is finished, on a
        // thread of its own (`io::flush`); the run waits for it only
        // before its output is swapped in.
        let (file, sha) = out
            .into_inner()
            .map_err(|e| Error::io(&tmp, std::io::Error::other(e.to_string())))?
            .finish();
        file.finish_as(&path).map_err(|e| Error::io(&tmp, e))?;
        Ok(Finished {
            tmp,
            path,
            rows,
            unmappable: line.unmappable,
            blake3: sha,
        })
    }
}

/// A file written whole at its temporary name ([`CsvOut::finish_aside`]).
pub struct Finished {
    tmp: PathBuf,
    path: PathBuf,
    rows: u64,
    unmappable: u64,
    /// Its BLAKE3 (hex), hashed while written.
    pub blake3: String,
}

impl Finished {
    /// Its temporary name.
    pub fn tmp(&self) -> &Path {
        &self.tmp
    }

    /// Moves it to its own name.
    pub fn put_in_place(self) -> Result<Written> {
        let mut written = Written::put_in_place(&self.tmp, self.path, self.rows, self.blake3)?;
        written.unmappable = self.unmappable;
        Ok(written)
    }
}

impl Cells for CsvOut {
    fn text(&mut self, s: &str) -> Result<()> {
        CsvOut::text(self, s)
    }

    fn num(&mut self, x: f64, decimals: usize) -> Result<()> {
        CsvOut::num(self, x, decimals)
    }

    fn int(&mut self, v: u64) -> Result<()> {
        CsvOut::int(self, v)
    }

    fn end(&mut self) -> Result<()> {
        CsvOut::end(self)
    }
}

impl Written {
    /// Moves a finished file from its temporary name `tmp` to `path`.
    pub fn put_in_place(tmp: &Path, path: PathBuf, rows: u64, blake3: String) -> Result<Written> {
        crate::io::outdir::creating(|| std::fs::rename(tmp, &path))
            .map_err(|e| Error::io(&path, e))?;
        Ok(Written {
            path,
            rows,
            unmappable: 0,
            blake3: Some(blake3),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows formatted in parallel chunks come out as row by row: more rows
    /// than several chunks and batches (one written while the next is
    /// formatted), quoted, Excel-style numbers and empty cells.
    #[test]
    fn rows_in_parallel_chunks_match_row_by_row() {
        let dir = tempfile::tempdir().unwrap();
        let excel = OutputDialect {
            excel: true,
            ..OutputDialect::default()
        };
        let n = 16_384 * 17 + 77;
        let fill = |k: usize, out: &mut dyn Cells| -> Result<()> {
            out.text(&format!("m{k};x"))?;
            out.opt_num((!k.is_multiple_of(3)).then(|| k as f64 / 8.0), 4)?;
            out.int(k as u64)?;
            out.end()
        };
        let mut one = CsvOut::create(dir.path(), "one.csv", excel, &["a", "b", "c"]).unwrap();
        for k in 0..n {
            fill(k, &mut one).unwrap();
        }
        let one = one.finish().unwrap();
        let mut par = CsvOut::create(dir.path(), "par.csv", excel, &["a", "b", "c"]).unwrap();
        par.rows(n, fill).unwrap();
        let par = par.finish().unwrap();
        assert_eq!((one.rows, par.rows), (n as u64, n as u64));
        assert_eq!(one.blake3, par.blake3);
        let text = std::fs::read_to_string(&par.path).unwrap();
        assert!(text.contains("\n\"m10;x\";1,25;10\n"), "{}", &text[..200]);
        assert_eq!(std::fs::read(&one.path).unwrap(), text.into_bytes());
    }

    /// The csv crate's conventions, written by hand.
    /// What the formula guard wrote is read back as the text it had, and
    /// a `'` the guard did not put there stays.
    #[test]
    fn the_formula_guard_is_undone_on_reading() {
        let texts = [
            "=Väsby",
            "+A",
            "-1+1",
            "-4",
            "@SUM(1)",
            "\tx",
            "\r=1",
            "\n=1",
            "\0=1",
            "'",
            "''",
            "'s-Hertogenbosch",
            "Åre",
            "",
        ];
        for s in texts {
            assert_eq!(unguarded(&neutralised(s)), s, "{s:?}");
        }
        assert_eq!(neutralised("=Väsby"), "'=Väsby");
        assert_eq!(unguarded("'s-Hertogenbosch"), "'s-Hertogenbosch");
    }

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        let dir = tempfile::tempdir().unwrap();
        let plain = OutputDialect::default();
        let mut out = CsvOut::create(dir.path(), "a.csv", plain, &["x", "y"]).unwrap();
        out.row(["a,b", "say \"hi\""]).unwrap();
        out.row(["two\nlines", "semi;colon"]).unwrap();
        out.text("").unwrap();
        out.end().unwrap();
        out.num(614.5, 6).unwrap();
        out.int(547).unwrap();
        out.end().unwrap();
        let Written { path, rows, .. } = out.finish().unwrap();
        assert_eq!(rows, 4);
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(
            text,
            "x,y\n\"a,b\",\"say \"\"hi\"\"\"\n\"two\nlines\",semi;colon\n\"\"\n614.5,547\n"
        );
        let excel = OutputDialect {
            excel: true,
            ..OutputDialect::default()
        };
        let mut out = CsvOut::create(dir.path(), "b.csv", excel, &["x", "y"]).unwrap();
        out.num(79.5, 6).unwrap();
        out.text("a;b").unwrap();
        out.end().unwrap();
        let path = out.finish().unwrap().path;
        let bytes = std::fs::read(path).unwrap();
        assert_eq!(bytes, b"\xEF\xBB\xBFx;y\n79,5;\"a;b\"\n");
    }
}
