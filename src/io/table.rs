//! Reading small CSV tables kompass is given beside the exports (the
//! municipality register, published averages): the BOM stripped, columns
//! found by name (case and surrounding spaces ignored), each record with its
//! line number. A broken one is a configuration error (exit 2).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::io::decode::strip_bom;

/// A CSV table: its header and, read whole ([`Table::read`],
/// [`Table::parse`]), its records; opened with [`Table::open`] it holds no
/// records (they are read one at a time from [`Records`]).
pub struct Table {
    path: PathBuf,
    headers: Vec<String>,
    /// Records with the line each starts on.
    records: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    /// Reads the table in `path`.
    pub fn read(path: &Path) -> Result<Table> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Table::parse(path, &bytes)
    }

    /// Parses `bytes` (UTF-8, with or without a BOM) as read from `path`.
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Table> {
        let (mut table, mut rest) = Table::open(path, bytes)?;
        while let Some((line, rec)) = rest.next_record()? {
            table.records.push((line, rec.clone()));
        }
        Ok(table)
    }

    /// The header of the table in `bytes` (as [`Table::parse`], with no
    /// records yet) and its records, to be read one at a time: a large
    /// table is not held whole.
    pub fn open<'a>(path: &Path, bytes: &'a [u8]) -> Result<(Table, Records<'a>)> {
        let mut rdr = csv::ReaderBuilder::new().from_reader(strip_bom(bytes));
        let headers = rdr
            .headers()
            .map_err(|e| Error::config(path, e.to_string()))?
            .iter()
            .map(|h| h.trim().to_lowercase())
            .collect();
        let table = Table {
            path: path.to_path_buf(),
            headers,
            records: Vec::new(),
        };
        let rest = Records {
            rdr,
            rec: csv::StringRecord::new(),
            path: path.to_path_buf(),
            failed: false,
        };
        Ok((table, rest))
    }

    /// The index of column `name`, if the table has it.
    pub fn column(&self, name: &str) -> Option<usize> {
        let name = name.to_lowercase();
        self.headers.iter().position(|h| *h == name)
    }

    /// The index of column `name`, or an error saying that `what` needs it.
    pub fn require(&self, name: &str, what: &str) -> Result<usize> {
        self.column(name)
            .ok_or_else(|| self.error(format!("{what} need a '{name}' column")))
    }

    /// The file the table was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// An error about this table.
    pub fn error(&self, msg: impl Into<String>) -> Error {
        Error::config(&self.path, msg)
    }

    /// The records, each with the line it starts on.
    pub fn records(&self) -> impl Iterator<Item = (u64, &csv::StringRecord)> {
        self.records.iter().map(|(l, r)| (*l, r))
    }
}

/// The records of a table opened with [`Table::open`], read one at a time
/// into the same buffer.
pub struct Records<'a> {
    rdr: csv::Reader<&'a [u8]>,
    rec: csv::StringRecord,
    path: PathBuf,
    /// A record was not valid CSV (its error was returned).
    failed: bool,
}

impl Records<'_> {
    /// The next record and the line it starts on (`None` at the end).
    pub fn next_record(&mut self) -> Result<Option<(u64, &csv::StringRecord)>> {
        match self.rdr.read_record(&mut self.rec) {
            Ok(true) => {
                let line = self.rec.position().map_or(0, csv::Position::line);
                Ok(Some((line, &self.rec)))
            }
            Ok(false) => Ok(None),
            Err(e) => {
                self.failed = true;
                let err = Error::config(&self.path, e.to_string());
                Err(match e.position() {
                    Some(p) => err.at_line(p.line()),
                    None => err,
                })
            }
        }
    }

    /// The error to report for `err`, met while reading these records:
    /// itself if it is a record's CSV error, else the first CSV error of a
    /// record after it if there is one (as when the table was read whole
    /// before its records were checked).
    pub fn or_later_error(&mut self, err: Error) -> Error {
        if self.failed {
            return err;
        }
        loop {
            match self.next_record() {
                Ok(Some(_)) => {}
                Ok(None) => return err,
                Err(syntax) => return syntax,
            }
        }
    }
}

/// A field of a record, trimmed ("" when the record is short).
pub fn field(rec: &csv::StringRecord, col: usize) -> &str {
    rec.get(col).unwrap_or("").trim()
}
