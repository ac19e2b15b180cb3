//! One CSV row being built, field by field: the formatting shared by the
//! file writer ([`crate::io::CsvOut`]) and the chunks of rows it formats
//! on all cores ([`Chunk`]).

use std::borrow::Cow;

use crate::error::Result;
use crate::io::csv_out::{CsvFormat, neutralised};
use crate::io::dialect::OutputDialect;

/// The fields of a row, appended one by one: the calls every row-level
/// writer makes, whether the row goes to a CSV file, a chunk of one, or a
/// Parquet file.
pub trait Cells {
    /// A text field (quoted as needed; an empty one in a number column is
    /// a missing value).
    fn text(&mut self, s: &str) -> Result<()>;
    /// A number, with `decimals` decimals at most (trailing zeros trimmed).
    fn num(&mut self, x: f64, decimals: usize) -> Result<()>;
    /// A whole number.
    fn int(&mut self, v: u64) -> Result<()>;
    /// Ends the row.
    fn end(&mut self) -> Result<()>;

    /// A number, or an empty field for a missing value.
    fn opt_num(&mut self, x: Option<f64>, decimals: usize) -> Result<()> {
        match x {
            Some(x) => self.num(x, decimals),
            None => self.text(""),
        }
    }

    /// A whole number, or an empty field for a missing value.
    fn opt_int(&mut self, v: Option<u64>) -> Result<()> {
        match v {
            Some(v) => self.int(v),
            None => self.text(""),
        }
    }
}

/// A row being built in a reused buffer.
#[derive(Debug, Clone)]
pub struct Line {
    text: String,
    /// Where the row being built starts in `text` (rows before it are
    /// kept when they are written later, as a chunk's are).
    row_start: usize,
    fields: usize,
    pub layout: CsvFormat,
    pub dialect: OutputDialect,
}

impl Line {
    pub fn new(layout: CsvFormat, dialect: OutputDialect) -> Line {
        Line {
            text: String::with_capacity(256),
            row_start: 0,
            fields: 0,
            layout,
            dialect,
        }
    }

    fn separate(&mut self) {
        if self.fields > 0 {
            self.text.push(char::from(self.layout.delimiter));
        }
        self.fields += 1;
    }

    /// Appends a text field (quoted as needed).
    pub fn text(&mut self, s: &str) {
        self.separate();
        let s = if self.layout.neutralise_formulas {
            neutralised(s)
        } else {
            Cow::Borrowed(s)
        };
        let d = self.layout.delimiter;
        if s.bytes()
            .any(|b| b == d || b == b'"' || b == b'\n' || b == b'\r')
        {
            self.text.push('"');
            for (i, part) in s.split('"').enumerate() {
                if i > 0 {
                    self.text.push_str("\"\"");
                }
                self.text.push_str(part);
            }
            self.text.push('"');
        } else {
            self.text.push_str(&s);
        }
    }

    /// Appends a number field, formatted as [`OutputDialect::num`] (digits,
    /// sign and decimal mark: never quoted).
    pub fn num(&mut self, x: f64, decimals: usize) {
        self.separate();
        self.dialect.push_num(&mut self.text, x, decimals);
    }

    /// Appends a whole number field.
    pub fn int(&mut self, v: u64) {
        self.separate();
        self.text.push_str(itoa::Buffer::new().format(v));
    }

    /// Ends the row: its bytes, line end included, in the output encoding.
    /// Call [`Line::clear`] once they are written.
    pub fn close(&mut self) -> Cow<'_, [u8]> {
        if self.fields == 1 && self.text.len() == self.row_start {
            self.text.push_str("\"\"");
        }
        self.text
            .push_str(if self.layout.crlf { "\r\n" } else { "\n" });
        let row = &self.text[self.row_start..];
        if self.layout.windows_1252 {
            match encoding_rs::WINDOWS_1252.encode(row).0 {
                Cow::Borrowed(b) => Cow::Borrowed(b),
                Cow::Owned(b) => Cow::Owned(b),
            }
        } else {
            Cow::Borrowed(row.as_bytes())
        }
    }

    /// Starts the next row.
    pub fn clear(&mut self) {
        self.text.clear();
        self.row_start = 0;
        self.fields = 0;
    }

    /// Starts the next row after the ones closed, which stay in the
    /// buffer (UTF-8 output only: they are written as they are).
    fn keep_and_start_next(&mut self) {
        self.row_start = self.text.len();
        self.fields = 0;
    }
}

/// Rows formatted into memory, to be written after the chunks before it.
/// In UTF-8 the rows are built one after the other in the line's own
/// buffer (no copy per row); in Windows-1252 each row is encoded into
/// `encoded`.
#[derive(Debug)]
pub struct Chunk {
    line: Line,
    encoded: Vec<u8>,
    pub rows: u64,
}

impl Chunk {
    pub fn new(mut line: Line) -> Chunk {
        line.clear();
        line.text.reserve(1 << 20);
        Chunk {
            line,
            encoded: Vec::new(),
            rows: 0,
        }
    }

    /// The rows' bytes, line ends included, in the output encoding.
    pub fn bytes(&self) -> &[u8] {
        if self.line.layout.windows_1252 {
            &self.encoded
        } else {
            self.line.text.as_bytes()
        }
    }
}

impl Cells for Chunk {
    fn text(&mut self, s: &str) -> Result<()> {
        self.line.text(s);
        Ok(())
    }

    fn num(&mut self, x: f64, decimals: usize) -> Result<()> {
        self.line.num(x, decimals);
        Ok(())
    }

    fn int(&mut self, v: u64) -> Result<()> {
        self.line.int(v);
        Ok(())
    }

    fn end(&mut self) -> Result<()> {
        if self.line.layout.windows_1252 {
            let bytes = self.line.close();
            self.encoded.extend_from_slice(&bytes);
            self.line.clear();
        } else {
            let _ = self.line.close();
            self.line.keep_and_start_next();
        }
        self.rows += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows built one after the other in a chunk are the bytes of the same
    /// rows built one at a time, in UTF-8 and in Windows-1252, including a
    /// row of one empty field (written `""`) and fields that need quotes.
    #[test]
    fn a_chunk_holds_the_rows_as_built_one_by_one() {
        let rows: [&[&str]; 4] = [&["Åre", "a,b"], &[""], &["x\"y", "7"], &["", ""]];
        for windows_1252 in [false, true] {
            let layout = CsvFormat {
                delimiter: b',',
                crlf: windows_1252,
                bom: false,
                windows_1252,
                neutralise_formulas: true,
            };
            let dialect = OutputDialect::default();
            let mut one = Line::new(layout, dialect);
            let mut want = Vec::new();
            let mut chunk = Chunk::new(Line::new(layout, dialect));
            for row in rows {
                for f in row {
                    one.text(f);
                    chunk.text(f).unwrap();
                }
                if row.len() > 1 {
                    chunk.num(2.5, 1).unwrap();
                    one.num(2.5, 1);
                }
                want.extend_from_slice(&one.close());
                one.clear();
                chunk.end().unwrap();
            }
            assert_eq!(chunk.rows, 4);
            assert_eq!(
                chunk.bytes(),
                want.as_slice(),
                "windows-1252: {windows_1252}"
            );
            let first: &[u8] = if windows_1252 {
                b"\xC5re"
            } else {
                "Åre".as_bytes()
            };
            assert!(want.starts_with(first));
            let end: &[u8] = if windows_1252 {
                b"\r\n\"\"\r\n"
            } else {
                b"\n\"\"\n"
            };
            assert!(want.windows(end.len()).any(|w| w == end), "the empty row");
        }
    }
}
