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

    /// Puts again the first fields of the last row that had `key`, when
    /// the writer kept them (see `repeated` on `dyn Cells`); false when they are
    /// to be put.
    fn repeat(&mut self, key: u64) -> bool {
        let _ = key;
        false
    }

    /// The first fields of a row that are about to be put are to be kept
    /// under `key` once put (`None`: they are put).
    fn keep(&mut self, key: Option<u64>) {
        let _ = key;
    }

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

impl dyn Cells + '_ {
    /// The first fields of a row, put by `put`, when they are the same on
    /// every row with `key` (an evaluation's key, a municipality): a writer
    /// may repeat the bytes it made for the last row with that key instead
    /// of formatting them again (a chunk of CSV rows does; the others just
    /// put them).
    pub fn repeated(
        &mut self,
        key: u64,
        put: impl FnOnce(&mut dyn Cells) -> Result<()>,
    ) -> Result<()> {
        if self.repeat(key) {
            return Ok(());
        }
        self.keep(Some(key));
        put(self)?;
        self.keep(None);
        Ok(())
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
    /// Characters Windows-1252 does not have, written `?` so far.
    pub unmappable: u64,
}

/// Appends `text` in Windows-1252 to `out`: kompass's own arrow (`1→2`,
/// the steps of `trend_summary.csv`) as `->`, any other character it does
/// not have (the C1 controls of its five undefined bytes among them) as
/// `?`; returns how many of those there were.
fn push_windows_1252(text: &str, out: &mut Vec<u8>) -> u64 {
    use encoding_rs::EncoderResult;
    let mut encoder = encoding_rs::WINDOWS_1252.new_encoder();
    let mut missing = 0;
    let mut rest = text;
    out.reserve(text.len());
    loop {
        let start = out.len();
        out.resize(start + rest.len().max(4), 0);
        let (result, read, written) =
            encoder.encode_from_utf8_without_replacement(rest, &mut out[start..], true);
        out.truncate(start + written);
        // The five bytes Windows-1252 leaves undefined: the WHATWG encoding
        // maps the C1 controls of their numbers to them and back, but
        // Microsoft's and Python's cp1252 cannot read a file holding one.
        for b in &mut out[start..] {
            if matches!(*b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D) {
                *b = b'?';
                missing += 1;
            }
        }
        rest = &rest[read..];
        match result {
            EncoderResult::InputEmpty => return missing,
            EncoderResult::Unmappable('→') => out.extend_from_slice(b"->"),
            EncoderResult::Unmappable(_) => {
                out.push(b'?');
                missing += 1;
            }
            EncoderResult::OutputFull => {}
        }
    }
}

impl Line {
    pub fn new(layout: CsvFormat, dialect: OutputDialect) -> Line {
        Line {
            text: String::with_capacity(256),
            row_start: 0,
            fields: 0,
            layout,
            dialect,
            unmappable: 0,
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
            // In Windows-1252 a leading arrow is written `->`: a `-`
            // that starts the cell, guarded as one.
            if self.layout.windows_1252 && s.starts_with('→') {
                Cow::Owned(format!("'{s}"))
            } else {
                neutralised(s)
            }
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
            let mut bytes = Vec::with_capacity(row.len());
            self.unmappable += push_windows_1252(row, &mut bytes);
            Cow::Owned(bytes)
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
    /// The last first fields kept to repeat.
    repeat: Option<Repeat>,
    /// The key and start of the first fields being put, to keep.
    pending: Option<(u64, usize)>,
}

/// First fields kept to repeat: their key, text and number.
#[derive(Debug)]
struct Repeat {
    key: u64,
    text: String,
    fields: usize,
}

impl Chunk {
    /// A chunk whose rows are expected to take about `capacity` bytes
    /// (room made at once: grown as it fills, the buffer was copied).
    pub fn new(mut line: Line, capacity: usize) -> Chunk {
        line.clear();
        line.text.reserve(capacity);
        Chunk {
            line,
            encoded: Vec::new(),
            rows: 0,
            repeat: None,
            pending: None,
        }
    }

    /// Characters of its rows the output encoding does not have (`?`).
    pub fn unmappable(&self) -> u64 {
        self.line.unmappable
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

    fn repeat(&mut self, key: u64) -> bool {
        let line = &mut self.line;
        match &self.repeat {
            Some(r) if line.fields == 0 && r.key == key => {
                line.text.push_str(&r.text);
                line.fields = r.fields;
                true
            }
            _ => false,
        }
    }

    fn keep(&mut self, key: Option<u64>) {
        let line = &self.line;
        match key {
            // Only fields at the start of a row are kept.
            Some(key) => self.pending = (line.fields == 0).then_some((key, line.text.len())),
            None => {
                if let Some((key, start)) = self.pending.take() {
                    // The kept text's buffer is reused from key to key.
                    let r = self.repeat.get_or_insert_with(|| Repeat {
                        key,
                        text: String::new(),
                        fields: 0,
                    });
                    r.key = key;
                    r.text.clear();
                    r.text.push_str(&line.text[start..]);
                    r.fields = line.fields;
                }
            }
        }
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
            let mut chunk = Chunk::new(Line::new(layout, dialect), 64);
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

    /// Repeated first fields are the bytes formatted anew: for a key seen
    /// in the row before, for a new key, and for a key seen earlier but not
    /// last (formatted again, not taken from an older row).
    #[test]
    fn repeated_fields_are_the_same_bytes() {
        let layout = CsvFormat::from(OutputDialect::default());
        let rows = [
            (1, "Åre", "=1"),
            (1, "Åre", "a\"b"),
            (2, "Bjuv", "x"),
            (1, "Älvdalen", "y"),
        ];
        let mut chunk = Chunk::new(Line::new(layout, OutputDialect::default()), 64);
        let mut want = Line::new(layout, OutputDialect::default());
        let mut bytes = Vec::new();
        for (key, name, rest) in rows {
            let out: &mut dyn Cells = &mut chunk;
            out.repeated(key, |out| {
                out.text(name)?;
                out.int(key)
            })
            .unwrap();
            chunk.text(rest).unwrap();
            chunk.end().unwrap();
            want.text(name);
            want.int(key);
            want.text(rest);
            bytes.extend_from_slice(&want.close());
            want.clear();
        }
        assert_eq!(
            String::from_utf8_lossy(chunk.bytes()),
            String::from_utf8_lossy(&bytes)
        );
        assert!(String::from_utf8_lossy(&bytes).ends_with("Älvdalen,1,y\n"));
    }
}
