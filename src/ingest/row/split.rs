//! A decimal comma that split a score in a comma-separated file without
//! making the row longer than the header: `79,5` unquoted is read as a
//! score of 79 and a 5 in the next column, and where that column is one
//! kompass does not read (a trailing separator in the header, a
//! `kommentar` column) the row has as many fields as the header and
//! would be read with a score that is not in the export.
//!
//! The columns where it can happen are found once per file
//! ([`columns`]); a row holding a whole number in a score column and
//! digits alone in such a column next to it is rejected
//! ([`RowCheck::split_score`]).

use super::RowCheck;
use crate::ingest::header::{Header, Layout, Role};
use crate::io::dialect::Decimal;
use crate::io::number::parse_number;
use crate::io::quotes;
use crate::io::records::records;
use crate::validate::rules::Rule;

/// Digits alone: what either half of an unquoted `79,5` is (the field
/// as read; the caller trims it where a score cell would be).
pub(super) fn digits(field: &str) -> bool {
    !field.is_empty() && field.bytes().all(|b| b.is_ascii_digit())
}

/// The columns of `header` a split decimal comma can hide in, in a file
/// of rows `body` separated by `delimiter`: a column kompass does not
/// read right after a score column, in a comma-separated file, unless
/// it is named and holds a number in every row whose score cell is not
/// empty (a column of percentages, say: a column of notes, or one empty
/// beside a score that had no decimals, is no such column). Rows of
/// another length than the header, blank ones and the header repeated
/// say nothing of it. Reads the rows only where the header has a named one.
pub(in crate::ingest) fn columns(header: &Header, (body, delimiter): (&str, u8)) -> Vec<usize> {
    if delimiter != b',' {
        return Vec::new();
    }
    let score = |role: &Role| matches!(role, Role::Score | Role::ItemScore(_));
    let after_score = |c: usize| c > 0 && score(&header.roles[c - 1]);
    // kompass's own evaluations.csv read back: its `percent` and `source`
    // are its own.
    let own = header.col(&Role::Origin).is_some();
    let candidates: Vec<usize> = (header.roles.iter().enumerate())
        .filter(|&(c, role)| *role == Role::Unknown && after_score(c) && !own)
        .map(|(c, _)| c)
        .collect();
    // A column with no name is one whatever it holds: the rows are read
    // only for a named one.
    if candidates.iter().all(|&c| header.names[c].is_empty()) {
        return candidates;
    }
    // A number, or empty beside an empty score (a score not published).
    let number = |cell: &str, score: &str| match cell.trim() {
        "" => score.trim().is_empty(),
        cell => parse_number(cell, Decimal::Auto).is_some(),
    };
    let mut always_numbers = vec![true; candidates.len()];
    let mut rdr = records(body, delimiter);
    let mut rec = csv::StringRecord::new();
    while rdr.read_record(&mut rec).unwrap_or(false) {
        let blank = rec.iter().all(|f| f.trim().is_empty());
        if rec.len() != header.names.len() || blank {
            continue;
        }
        for (k, &c) in candidates.iter().enumerate() {
            // The header again holds the score column's name there.
            if rec[c - 1].trim() != header.names[c - 1] {
                always_numbers[k] &= number(&rec[c], &rec[c - 1]);
            }
        }
    }
    (candidates.into_iter().zip(always_numbers))
        .filter(|&(c, numbers)| header.names[c].is_empty() || !numbers)
        .map(|(c, _)| c)
        .collect()
}

impl RowCheck<'_> {
    /// Whether the row (of as many fields as the header) holds a whole
    /// number in a score column and digits alone in the column after it
    /// that kompass does not read (one of [`columns`]), neither of them in
    /// quotes (a writer that quotes would have quoted `"79,5"` whole;
    /// `raw` is the row's text where the file has a quote); if so, records
    /// a `field-count` error and the row is not read.
    pub(in crate::ingest) fn split_score(&mut self, raw: Option<&[u8]>) -> bool {
        let (rec, header) = (self.rec, self.header);
        if header.split_into.is_empty() || rec.len() != header.names.len() {
            return false;
        }
        let quoted = |c: usize| raw.is_some_and(|raw| quotes::opens_quoted(raw, self.delimiter, c));
        let Some(c) = (header.split_into.iter().copied()).find(|&c| {
            digits(rec[c - 1].trim()) && digits(rec[c].trim()) && !quoted(c - 1) && !quoted(c)
        }) else {
            return false;
        };
        let (whole, part) = (rec[c - 1].trim(), rec[c].trim());
        let name = &header.names[c];
        let column = match name.is_empty() {
            true => format!("column {}, which has no name", c + 1),
            false => format!("'{name}', a column kompass does not read"),
        };
        let (column, value, message) = match header.layout {
            Layout::Long => (
                self.column_name(c - 1),
                format!("{whole},{part}"),
                format!(
                    "the score {whole} is followed by {part} in {column}: if the score has a \
                     decimal comma ({whole},{part}), it needs quotes (\"{whole},{part}\") or the \
                     file ';' separators; the row is not read"
                ),
            ),
            // Any score of the row may have split, moving every later cell
            // one column on.
            Layout::Wide => (
                match name.is_empty() {
                    true => format!("({})", c + 1).into(),
                    false => name.as_str().into(),
                },
                part.to_string(),
                format!(
                    "the row holds {part} in {column}, after the score column '{}': a score with \
                     a decimal comma (79,5) unquoted is split in two and moves the row's later \
                     cells one column on; it needs quotes (\"79,5\") or the file ';' \
                     separators; the row is not read",
                    header.names[c - 1]
                ),
            ),
        };
        // What to do where the column is a table's own.
        let own = match name.is_empty() {
            true => "",
            false => {
                " (a column of numbers of its own is read past where it holds a number in every \
                 row with a score)"
            }
        };
        self.fail_at(Rule::FieldCount, column, value.into(), message + own);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::header::recognise;
    use crate::ingest::titles::ItemTitles;

    fn found(header_line: &str, body: &str, delimiter: u8) -> Vec<usize> {
        let names: Vec<&str> = header_line.split(',').collect();
        let titles = ItemTitles::default();
        let header = recognise(names, &titles).expect("a header");
        columns(&header, (body, delimiter))
    }

    /// By hand: the column after `score` is 7 (from 0); a column of
    /// percentages in every row is no place for a split, one of notes or
    /// one empty in a row is, as is one with no name; a `;` file has none.
    #[test]
    fn the_columns_a_split_can_hide_in() {
        let long = "country,municipality_code,eval_year,scale,item,score";
        let rows = "SE,0114,2008,old,1,79,5\nSE,0114,2008,old,2,80,\n";
        assert_eq!(found(&format!("{long},kommentar"), rows, b','), [6]);
        assert_eq!(found(&format!("{long},"), rows, b','), [6]);
        assert_eq!(
            found(&format!("{long},kommentar"), rows, b';'),
            [] as [usize; 0]
        );
        let percent = "SE,0114,2008,old,1,24,80\nSE,0114,2008,old,2,15,\"62.5\"\n";
        assert_eq!(
            found(&format!("{long},percent"), percent, b','),
            [] as [usize; 0]
        );
        assert_eq!(found(&format!("{long},"), percent, b','), [6]);
        let wide = "municipality_code,eval_year,scale,a1,a2,a3,a4,a5,a6,a7,a8,";
        assert_eq!(
            found(wide, "0115,2008,old,60,5,61,62,63,64,65,66,67\n", b','),
            [11]
        );
        // Percentages beside a score not published, under a blank row, a
        // row too short and the header again: still percentages.
        let header = format!("{long},percent");
        let more = format!("{percent}SE,0114,2008,old,3,,\n,,,,,,\nSE,0114\n{header}\n");
        assert_eq!(found(&header, &more, b','), [] as [usize; 0]);
        // Empty beside a score: notes, or a split's column.
        let gap = format!("{percent}SE,0114,2008,old,3,40,\n");
        assert_eq!(found(&header, &gap, b','), [6]);
    }
}
