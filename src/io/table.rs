//! Reading small CSV tables kompass is given beside the exports (the
//! municipality register, published averages), as forgiving as the exports:
//! UTF-8 with or without a BOM or Windows-1252, `,`, `;` or tab separated
//! (the header line says which, or Excel's `sep=;` line before it), columns
//! found by name (case and surrounding spaces ignored), each record with
//! its line number. A broken one is a configuration error (exit 2).

use std::io::Cursor;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::io::decode::decode_table;
use crate::io::dialect::Delimiter;
use crate::io::quotes::{self, Quoting, Stray, header_over_lines, quote_left_open};
use crate::io::start::Start;

/// A CSV table's header, opened with [`Table::open`]; its records are
/// read one at a time from [`Records`].
pub struct Table {
    path: PathBuf,
    /// The column names, trimmed and lower-cased, as they are looked up.
    headers: Vec<String>,
    /// The column names as the file writes them (trimmed), for messages.
    written: Vec<String>,
    /// The line of the header.
    header_line: u64,
}

impl Table {
    /// The header of the table in `bytes`, read from `path`, and its
    /// records, to be read one at a time: a large table is not held whole.
    pub fn open(path: &Path, bytes: Vec<u8>) -> Result<(Table, Records)> {
        let mut text = decode_table(path, bytes)?.into_text();
        let start = Start::find(&text, None)
            .map_err(|(line, msg)| Error::config(path, msg).at_line(line))?;
        let delimiter = (start.named).unwrap_or_else(|| Delimiter::sniff(start.line));
        // The lines before the header (a separator line, lines of
        // separators only) emptied, not removed: the CSV reader passes over
        // an empty line and still counts it, so line numbers stay the file's.
        let ends = text[..start.header_at].matches('\n').count();
        let first = ends as u64 + 1;
        if start.header_at > 0 {
            text.replace_range(..start.header_at, &"\n".repeat(ends));
        }
        // Windows line ends made `\n`: the CSV reader gives a record after a
        // `\r\n` the line before its own (a register's error was placed
        // one line too early).
        if text.contains('\r') {
            text = text.replace("\r\n", "\n");
        }
        // Flexible: a row of empty fields is passed over whatever its
        // length; any other row is checked against the header's.
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(Cursor::new(text.into_bytes()));
        let header = rdr.headers().map_err(|e| syntax(path, &e))?.clone();
        let text = rdr.get_ref().get_ref();
        let from = header.position().map_or(0, |p| p.byte() as usize);
        let raw = text
            .get(from..rdr.position().byte() as usize)
            .unwrap_or_default();
        if let Some(msg) = header_over_lines(header.iter(), raw, delimiter, first) {
            return Err(Error::config(path, msg).at_line(first));
        }
        let written: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
        let headers: Vec<String> = written.iter().map(|h| h.to_lowercase()).collect();
        let width = headers.len();
        let table = Table {
            path: path.to_path_buf(),
            headers,
            written,
            header_line: first,
        };
        let rest = Records {
            rdr,
            rec: csv::StringRecord::new(),
            path: path.to_path_buf(),
            width,
            delimiter,
            strict: Vec::new(),
            failed: false,
        };
        Ok((table, rest))
    }

    /// The index of column `name` (names joined by `/`: any of them, as
    /// `mean/medel`), if the table has it; an error when two columns have
    /// that name (which one is meant is not known: an export with a column
    /// twice is refused too).
    pub fn column(&self, name: &str) -> Result<Option<usize>> {
        let name = name.to_lowercase();
        let names: Vec<&str> = name.split('/').collect();
        let mut at = (self.headers.iter().enumerate()).filter(|(_, h)| names.contains(&h.as_str()));
        let first = names[0];
        match (at.next(), at.next()) {
            (Some((a, x)), Some((b, y))) if x == y => Err(self
                .error(format!(
                    "columns {} and {} are both '{}': keep one of them",
                    a + 1,
                    b + 1,
                    self.written(a)
                ))
                .at_line(self.header_line)),
            (Some((a, _)), Some((b, _))) => Err(self
                .error(format!(
                    "columns {} '{}' and {} '{}' are both the '{first}' column: keep one of \
                     them",
                    a + 1,
                    self.written(a),
                    b + 1,
                    self.written(b)
                ))
                .at_line(self.header_line)),
            (first, _) => Ok(first.map(|(i, _)| i)),
        }
    }

    /// The column names, as read (lower case).
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The name of column `i` as the file writes it (`Medel`).
    pub fn written(&self, i: usize) -> &str {
        self.written.get(i).map_or("", String::as_str)
    }

    /// The index of column `name`, or an error saying that `what` needs it.
    pub fn require(&self, name: &str, what: &str) -> Result<usize> {
        let named = name.replace('/', "' or '");
        let a = match named.starts_with(['a', 'e', 'i', 'o', 'u']) {
            true => "an",
            false => "a",
        };
        self.column(name)?
            .ok_or_else(|| self.lacks(format!("{what} need {a} '{named}' column")))
    }

    /// The error for columns it lacks (`msg` names them), saying so when
    /// the file has no header line at all (an empty file).
    pub fn lacks(&self, msg: impl Into<String>) -> Error {
        let msg = msg.into();
        if self.headers.iter().all(String::is_empty) {
            self.error(format!("the file has no header line: {msg}"))
        } else {
            self.error(msg)
        }
    }

    /// The file the table was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// An error about this table.
    pub fn error(&self, msg: impl Into<String>) -> Error {
        Error::config(&self.path, msg)
    }
}

/// The records of a table opened with [`Table::open`], read one at a time
/// into the same buffer.
pub struct Records {
    rdr: csv::Reader<Cursor<Vec<u8>>>,
    rec: csv::StringRecord,
    path: PathBuf,
    /// The header's number of columns.
    width: usize,
    delimiter: u8,
    /// The columns read as numbers or codes, with their names as the file
    /// writes them ([`Records::strict`]).
    strict: Vec<(usize, String)>,
    /// A record was not valid CSV (its error was returned).
    failed: bool,
}

impl Records {
    /// The next record and the line it starts on (`None` at the end). A
    /// record of empty fields (spaces only, or the `;;;` Excel writes
    /// under a table) is no record, as a blank line is not, as in an
    /// export.
    pub fn next_record(&mut self) -> Result<Option<(u64, &csv::StringRecord)>> {
        loop {
            match self.rdr.read_record(&mut self.rec) {
                Ok(true) if self.rec.iter().all(|f| f.trim().is_empty()) => {}
                Ok(true) if self.rec.len() != self.width => {
                    self.failed = true;
                    let msg = field_count(self.rec.len(), self.width);
                    return Err(Error::config(&self.path, msg).at_line(self.line()));
                }
                Ok(true) if self.left_open() => {
                    self.failed = true;
                    let msg = "a quoted field is never closed (a stray '\"'): the rest of the \
                               file was read as its field";
                    return Err(Error::config(&self.path, msg).at_line(self.line()));
                }
                Ok(true) if self.rec.iter().any(|f| f.contains('\n')) => {
                    self.failed = true;
                    let first = self.line();
                    let breaks: usize = self.rec.iter().map(|f| f.matches('\n').count()).sum();
                    let msg = format!(
                        "a quoted field runs over lines {first}-{} (a stray '\"'): the lines \
                         below its first were read as its text; a value of this file is on one \
                         line",
                        first + breaks as u64
                    );
                    return Err(Error::config(&self.path, msg).at_line(first));
                }
                Ok(true) => match self.joined() {
                    Some(err) => {
                        self.failed = true;
                        return Err(err);
                    }
                    None => return Ok(Some((self.line(), &self.rec))),
                },
                Ok(false) => return Ok(None),
                Err(e) => {
                    self.failed = true;
                    return Err(syntax(&self.path, &e));
                }
            }
        }
    }

    /// Reads the columns `cols` of `table` as numbers or codes: a quoted
    /// field there with text after its closing quote (`"4"9`, which the
    /// CSV reader reads as `49`) is a stray quote, an error at its cell,
    /// as it is in an export (`bad-quote`). Elsewhere (a name,
    /// `"Upplands" Väsby`) the text is read on, as in an export.
    pub fn strict(&mut self, table: &Table, cols: impl IntoIterator<Item = usize>) {
        self.strict = (cols.into_iter())
            .map(|c| (c, table.written(c).to_string()))
            .collect();
    }

    /// The error for the record just read (one line: one over several
    /// was refused before) when a field of [`Records::strict`]'s columns
    /// has text after its closing quote.
    fn joined(&self) -> Option<Error> {
        if self.strict.is_empty() {
            return None;
        }
        let text = self.rdr.get_ref().get_ref();
        let end = self.rdr.position().byte() as usize;
        let raw = text.get(self.own_start()..end).unwrap_or_default();
        let strict = |c| self.strict.iter().any(|s| s.0 == c);
        let Quoting::Stray(Stray::Joined { field: col, .. }) =
            quotes::of_row(raw, self.delimiter, self.width, strict)
        else {
            return None;
        };
        let name = (self.strict.iter()).find_map(|(c, n)| (*c == col).then_some(n.as_str()));
        let read = field(&self.rec, col);
        let msg = format!(
            "a quoted field has text after its closing quote (a stray '\"'): it would be read \
             as '{read}'"
        );
        Some(Error::config(&self.path, msg).at_cell(self.line(), name.unwrap_or(""), read))
    }

    /// Whether the record just read ran to the end of the text inside a
    /// quoted field that never closed: the CSV reader reads such a field
    /// to the end without an error, rows below it and all, and in the
    /// last column the record still has the header's width. Only the
    /// record that ends the text can be one.
    fn left_open(&self) -> bool {
        let text = self.rdr.get_ref().get_ref();
        if (self.rdr.position().byte() as usize) < text.len() {
            return false;
        }
        let start = self.rec.position().map_or(0, |p| p.byte() as usize);
        quote_left_open(text.get(start..).unwrap_or_default(), self.delimiter)
    }

    /// The line the record just read starts on. The CSV reader's position
    /// is where it began to read, before the blank lines it passed over
    /// (a row after a blank line was placed on the blank line): those
    /// are counted on.
    fn line(&self) -> u64 {
        let Some(p) = self.rec.position() else {
            return 0;
        };
        p.line() + (self.own_start() - p.byte() as usize) as u64
    }

    /// Where the text of the record just read starts: past the blank
    /// lines the CSV reader passed over before it.
    fn own_start(&self) -> usize {
        let text = self.rdr.get_ref().get_ref();
        let start = self.rec.position().map_or(0, |p| p.byte() as usize);
        let from = text.get(start..).unwrap_or_default();
        start + from.iter().take_while(|&&b| b == b'\n').count()
    }

    /// The error to report for `err`, met while reading these records:
    /// itself if it is a record's CSV error, else the first CSV error of a
    /// record after it if there is one (as when the table was read whole
    /// before its records were checked). A stray quote is such an error
    /// (the CSV reader would have read the rows wrongly), a value a
    /// caller refuses is not: a stray quote on line 9 is named before a
    /// mean that is no number on line 2.
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

/// A record that is not valid CSV, at its line: what is wrong in words
/// (the CSV reader's own message repeats the line and adds a byte offset).
fn syntax(path: &Path, e: &csv::Error) -> Error {
    let msg = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => field_count(*len as usize, *expected_len as usize),
        _ => e.to_string(),
    };
    let err = Error::config(path, msg);
    match e.position() {
        Some(p) => err.at_line(p.line()),
        None => err,
    }
}

/// A record of `len` fields in a table of `width` columns, in words.
fn field_count(len: usize, width: usize) -> String {
    format!(
        "{len} field(s) where the header has {width}: a separator too many or too few, or a \
         quote left open"
    )
}

/// A CSV reader over an export's header line and what follows, records
/// without a header and of any length: ingest reads the header with it
/// (a BOM before the header dropped, as the csv crate does) and the rows
/// with [`crate::io::records`], which keeps a BOM at their start.
pub fn header_reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// A field of a record, trimmed ("" when the record is short).
pub fn field(rec: &csv::StringRecord, col: usize) -> &str {
    rec.get(col).unwrap_or("").trim()
}

#[cfg(test)]
mod tests {
    use crate::io::quotes::{self, Quoting, Stray};

    /// The stray quote a side table's strict column may not have, as
    /// [`quotes::of_row`] finds it (shared with the exports' `bad-quote`).
    #[test]
    fn text_after_a_closing_quote_is_found_in_the_columns_asked() {
        let joined =
            |raw: &[u8], strict: &dyn Fn(usize) -> bool| match quotes::of_row(raw, b';', 3, strict)
            {
                Quoting::Stray(Stray::Joined { field, .. }) => Some(field),
                _ => None,
            };
        let all = |_| true;
        let cases: [(&[u8], Option<usize>); 9] = [
            (b"SE;\"4\"9;x\n", Some(1)),
            (b"\"SE\";\"01\"14\r\n", Some(1)),
            (b"SE;\"a \"\"b\"\" c\"d;1\n", Some(1)),
            (b"SE;\"4\" ;\"9\"\n", None),
            (b"SE;Upplands \"V\";1\n", None),
            (b"\"4\";\"4;9\";\"\"\n", None),
            (b"SE;1;\"2\"x", Some(2)),
            ("SE;\"4\"\u{f6};1\n".as_bytes(), Some(1)),
            (b"", None),
        ];
        for (raw, want) in cases {
            let shown = String::from_utf8_lossy(raw);
            assert_eq!(joined(raw, &all), want, "{shown}");
        }
        // A name is read on: only the columns asked are looked at.
        assert_eq!(joined(b"\"Upplands\" V;\"4\"9\n", &|c| c == 1), Some(1));
        assert_eq!(joined(b"\"Upplands\" V;49\n", &|c| c == 1), None);
    }
}
