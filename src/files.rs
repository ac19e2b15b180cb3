//! The one place that opens files: finding input exports, decoding their
//! bytes, and writing output CSV files.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::dialect::{Encoding, OutputDialect};
use crate::error::{Error, Result};

/// Extensions read from an input folder.
const INPUT_EXTENSIONS: [&str; 3] = ["csv", "tsv", "txt"];

/// Expands `--input` arguments: files as given, folders into every `*.csv`,
/// `*.tsv` and `*.txt` file directly inside them (not in sub-folders, so a
/// generated data set's `meta/` is not read as an export), sorted by path.
/// A file named twice is read once.
pub fn discover(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found = list_exports(input)?;
            if found.is_empty() {
                return Err(Error::Usage(format!(
                    "{}: no *.csv, *.tsv or *.txt files in this folder",
                    input.display()
                )));
            }
            found.sort();
            out.extend(found);
        } else if input.is_file() {
            out.push(input.clone());
        } else {
            return Err(Error::Usage(format!(
                "{}: no such file or folder",
                input.display()
            )));
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(p.clone()));
    Ok(out)
}

fn list_exports(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        let wanted = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| INPUT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        if wanted && path.is_file() {
            found.push(path);
        }
    }
    Ok(found)
}

/// An input file's text, decoded to UTF-8 without its BOM.
pub struct Decoded {
    pub text: String,
    /// `UTF-8`, `UTF-8 with BOM` or `windows-1252`.
    pub encoding: &'static str,
}

/// Reads and decodes an input file. With [`Encoding::Auto`]: a UTF-8 BOM or
/// valid UTF-8 means UTF-8, anything else is read as Windows-1252 (the
/// encoding of Swedish Excel's "CSV (semikolonavgränsad)").
pub fn read_text(path: &Path, encoding: Encoding) -> Result<Decoded> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    decode(path, bytes, encoding)
}

fn decode(path: &Path, bytes: Vec<u8>, encoding: Encoding) -> Result<Decoded> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let has_bom = bytes.starts_with(BOM);
    let as_utf8 = |mut bytes: Vec<u8>| -> std::result::Result<Decoded, std::string::FromUtf8Error> {
        if has_bom {
            bytes.drain(..BOM.len());
        }
        String::from_utf8(bytes).map(|text| Decoded {
            text,
            encoding: if has_bom { "UTF-8 with BOM" } else { "UTF-8" },
        })
    };
    let cp1252 = |bytes: &[u8]| Decoded {
        text: encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
        encoding: "windows-1252",
    };
    match encoding {
        Encoding::Windows1252 => Ok(cp1252(&bytes)),
        Encoding::Utf8 => as_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to() + if has_bom { BOM.len() } else { 0 };
            Error::input(
                path,
                format!("not valid UTF-8 (byte {at}); try --encoding windows-1252"),
            )
        }),
        Encoding::Auto if has_bom => as_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to() + BOM.len();
            Error::input(
                path,
                format!("starts with a UTF-8 BOM but is not valid UTF-8 (byte {at})"),
            )
        }),
        Encoding::Auto => match as_utf8(bytes) {
            Ok(d) => Ok(d),
            Err(e) => Ok(cp1252(e.as_bytes())),
        },
    }
}

/// An output CSV file, written beside its final name and moved into place by
/// [`CsvOut::finish`], so a reader never sees half a file.
///
/// Rows are built field by field in a reused line buffer and written whole.
/// The format is the csv crate's default: `\n` line ends, a field quoted
/// only when it holds the delimiter, a quote or a line break (quotes
/// doubled), and a row of one empty field written as `""`.
pub struct CsvOut {
    out: BufWriter<File>,
    tmp: PathBuf,
    path: PathBuf,
    pub dialect: OutputDialect,
    delimiter: u8,
    rows: u64,
    /// The row being built, and its number of fields so far.
    line: String,
    fields: usize,
}

impl CsvOut {
    pub fn create(dir: &Path, name: &str, dialect: OutputDialect, header: &[&str]) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let path = dir.join(name);
        let tmp = dir.join(format!(".{name}.partial"));
        let file = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        let mut out = BufWriter::with_capacity(1 << 16, file);
        if dialect.excel {
            out.write_all(b"\xEF\xBB\xBF")
                .map_err(|e| Error::io(&tmp, e))?;
        }
        let mut out = CsvOut {
            out,
            tmp,
            path,
            dialect,
            delimiter: dialect.delimiter(),
            rows: 0,
            line: String::with_capacity(256),
            fields: 0,
        };
        out.row(header)?;
        out.rows = 0;
        Ok(out)
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

    fn separate(&mut self) {
        if self.fields > 0 {
            self.line.push(char::from(self.delimiter));
        }
        self.fields += 1;
    }

    /// Appends a text field to the current row (quoted as needed).
    pub fn text(&mut self, s: &str) -> Result<()> {
        self.separate();
        let d = self.delimiter;
        if s.bytes()
            .any(|b| b == d || b == b'"' || b == b'\n' || b == b'\r')
        {
            self.line.push('"');
            for (i, part) in s.split('"').enumerate() {
                if i > 0 {
                    self.line.push_str("\"\"");
                }
                self.line.push_str(part);
            }
            self.line.push('"');
        } else {
            self.line.push_str(s);
        }
        Ok(())
    }

    /// Appends a number field, formatted as [`OutputDialect::num`] (digits,
    /// sign and decimal mark: never quoted).
    pub fn num(&mut self, x: f64, decimals: usize) -> Result<()> {
        self.separate();
        self.dialect.push_num(&mut self.line, x, decimals);
        Ok(())
    }

    /// Appends a number field, or an empty one for a missing value.
    pub fn opt_num(&mut self, x: Option<f64>, decimals: usize) -> Result<()> {
        match x {
            Some(x) => self.num(x, decimals),
            None => self.text(""),
        }
    }

    /// Appends a whole number field.
    pub fn int(&mut self, v: u64) -> Result<()> {
        self.separate();
        let mut tmp = [0u8; 20];
        let mut i = tmp.len();
        let mut n = v;
        loop {
            i -= 1;
            tmp[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        // Only ASCII digits were written.
        self.line
            .push_str(std::str::from_utf8(&tmp[i..]).unwrap_or("0"));
        Ok(())
    }

    /// Appends a whole number field, or an empty one for a missing value.
    pub fn opt_int(&mut self, v: Option<u64>) -> Result<()> {
        match v {
            Some(v) => self.int(v),
            None => self.text(""),
        }
    }

    /// Ends the row begun with [`CsvOut::text`], [`CsvOut::num`] and the like.
    pub fn end(&mut self) -> Result<()> {
        if self.fields == 1 && self.line.is_empty() {
            self.line.push_str("\"\"");
        }
        self.line.push('\n');
        self.out
            .write_all(self.line.as_bytes())
            .map_err(|e| Error::io(&self.tmp, e))?;
        self.line.clear();
        self.fields = 0;
        self.rows += 1;
        Ok(())
    }

    /// Flushes, moves the file into place and returns its path and row count.
    pub fn finish(self) -> Result<(PathBuf, u64)> {
        let CsvOut {
            out,
            tmp,
            path,
            rows,
            ..
        } = self;
        // No fsync: the run's staging folder is swapped in only when complete,
        // which protects against a killed process; an fsync of every output
        // cost seconds per run and protects only against power loss.
        drop(
            out.into_inner()
                .map_err(|e| Error::io(&tmp, std::io::Error::other(e.to_string())))?,
        );
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
        Ok((path, rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The csv crate's conventions, written by hand.
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
        let (path, rows) = out.finish().unwrap();
        assert_eq!(rows, 4);
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(
            text,
            "x,y\n\"a,b\",\"say \"\"hi\"\"\"\n\"two\nlines\",semi;colon\n\"\"\n614.5,547\n"
        );
        let excel = OutputDialect { excel: true };
        let mut out = CsvOut::create(dir.path(), "b.csv", excel, &["x", "y"]).unwrap();
        out.num(79.5, 6).unwrap();
        out.text("a;b").unwrap();
        out.end().unwrap();
        let (path, _) = out.finish().unwrap();
        let bytes = std::fs::read(path).unwrap();
        assert_eq!(bytes, b"\xEF\xBB\xBFx;y\n79,5;\"a;b\"\n");
    }

    #[test]
    fn decoding() {
        let p = Path::new("x.csv");
        let d = decode(p, b"\xEF\xBB\xBFa\xC3\xA5".to_vec(), Encoding::Auto).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("aå", "UTF-8 with BOM"));
        let d = decode(p, b"po\xE4ng".to_vec(), Encoding::Auto).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("poäng", "windows-1252"));
        assert!(decode(p, b"po\xE4ng".to_vec(), Encoding::Utf8).is_err());
    }
}
