//! The records of an export's rows (or a stretch of them): a CSV reader
//! without a header and of any length, with each record's place in the
//! text read. Ingest reads the header itself, keeps its own line numbers
//! (`ingest::Lines`) and checks each record's length against the header's.
//!
//! A UTF-8 BOM at the start of the text read is the rows' own: a line of a
//! BOM alone, or a row that starts with one, right after the header or at
//! the start of a piece of a file parsed on another core. The csv crate
//! drops a BOM at the start of whatever it reads (csv-core's
//! `strip_utf8_bom`, without a switch): a BOM-only line then gave its
//! line end to the next row (line numbers one short, a `raw` of two
//! lines), a row starting with one was read or rejected by where it fell,
//! and the rows read depended on the number of cores. Such a text is read
//! after a line end of its own, which the reader skips as a blank line;
//! every position is given in the text's own bytes.

use std::io::{Chain, Read};

/// The records of `text`, read as [`records`] opens them.
pub struct Records<'a> {
    rdr: csv::Reader<Chain<&'static [u8], &'a [u8]>>,
    /// Bytes read before `text`: 1 where it starts with a BOM, else 0.
    shift: u64,
}

/// The records of `text` separated by `delimiter`, every byte of it read
/// as data (a BOM at its start too).
pub fn records(text: &str, delimiter: u8) -> Records<'_> {
    let before: &'static [u8] = match text.starts_with('\u{feff}') {
        true => b"\n",
        false => b"",
    };
    let rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(before.chain(text.as_bytes()));
    Records {
        rdr,
        shift: before.len() as u64,
    }
}

impl Records<'_> {
    /// Reads the next record into `rec`; false at the end.
    pub fn read_record(&mut self, rec: &mut csv::StringRecord) -> csv::Result<bool> {
        self.rdr.read_record(rec)
    }

    /// Where `rec`, the record just read, starts in the text, before any
    /// blank lines above it (`ingest::Lines::record_start` skips them).
    pub fn start(&self, rec: &csv::StringRecord) -> usize {
        rec.position()
            .map_or(0, |p| p.byte().saturating_sub(self.shift) as usize)
    }

    /// Where the reader stands in the text: after the record last read.
    pub fn end(&self) -> usize {
        self.rdr.position().byte().saturating_sub(self.shift) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::records;

    /// Every record of `text` with its start and end.
    fn all(text: &str) -> Vec<(Vec<String>, usize, usize)> {
        let mut r = records(text, b',');
        let mut rec = csv::StringRecord::new();
        let mut out = Vec::new();
        while r.read_record(&mut rec).unwrap() {
            let fields = rec.iter().map(str::to_string).collect();
            out.push((fields, r.start(&rec), r.end()));
        }
        out
    }

    #[test]
    fn a_bom_at_the_start_is_data_and_positions_are_the_texts() {
        let s = |v: &[&str]| v.iter().map(|f| f.to_string()).collect::<Vec<_>>();
        // The csv crate alone reads "a" and "b,c".
        assert_eq!(
            all("\u{feff}a\nb,c\n"),
            vec![(s(&["\u{feff}a"]), 0, 5), (s(&["b", "c"]), 5, 9)]
        );
        assert_eq!(
            all("\u{feff}\nb,c\n"),
            vec![(s(&["\u{feff}"]), 0, 4), (s(&["b", "c"]), 4, 8)]
        );
        // Without a BOM as before; a blank line above a record is in its
        // start.
        assert_eq!(
            all("a\n\nb,c"),
            vec![(s(&["a"]), 0, 2), (s(&["b", "c"]), 2, 6)]
        );
    }
}
