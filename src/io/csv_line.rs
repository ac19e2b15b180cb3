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
    fields: usize,
    pub layout: CsvFormat,
    pub dialect: OutputDialect,
}

impl Line {
    pub fn new(layout: CsvFormat, dialect: OutputDialect) -> Line {
        Line {
            text: String::with_capacity(256),
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
        if self.fields == 1 && self.text.is_empty() {
            self.text.push_str("\"\"");
        }
        self.text
            .push_str(if self.layout.crlf { "\r\n" } else { "\n" });
        if self.layout.windows_1252 {
            match encoding_rs::WINDOWS_1252.encode(&self.text).0 {
                Cow::Borrowed(b) => Cow::Borrowed(b),
                Cow::Owned(b) => Cow::Owned(b),
            }
        } else {
            Cow::Borrowed(self.text.as_bytes())
        }
    }

    /// Starts the next row.
    pub fn clear(&mut self) {
        self.text.clear();
        self.fields = 0;
    }
}

/// Rows formatted into memory, to be written after the chunks before it.
#[derive(Debug)]
pub struct Chunk {
    line: Line,
    pub bytes: Vec<u8>,
    pub rows: u64,
}

impl Chunk {
    pub fn new(line: Line) -> Chunk {
        Chunk {
            line,
            bytes: Vec::with_capacity(1 << 20),
            rows: 0,
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
        let bytes = self.line.close();
        self.bytes.extend_from_slice(&bytes);
        self.line.clear();
        self.rows += 1;
        Ok(())
    }
}
