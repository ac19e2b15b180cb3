//! A piece of a file (whole lines) parsed into observations, its rows
//! checked one by one (`row`), stray quotes found (`quotes`), rejected rows
//! kept with their raw text; the pieces of a file are parsed on all cores
//! and merged in order (`file`).

use super::chunks::Lines;
use super::header::{Header, Role};
use super::quotes::{self, Quoting};
use super::row::RowCheck;
use super::{Ingested, RejectedRow, reader};
use crate::io::dialect::Decimal;
use crate::reference::instrument::{Instruments, ItemIx, ScaleIx};
use crate::reference::register::Register;

/// What parsing a piece of a file needs to know.
pub(super) struct Chunk<'a> {
    pub file: u32,
    pub header: &'a Header,
    pub delimiter: u8,
    pub decimal: Decimal,
    pub instruments: &'a Instruments,
    pub register: &'a Register,
}

impl Chunk<'_> {
    /// Parses the rows of `text`, whose first byte is on line `first_line`
    /// of the file; returns them (evaluations numbered from 0) and the
    /// number of rows.
    pub(super) fn parse(&self, text: &str, first_line: u32) -> csv::Result<(Ingested, u64)> {
        let mut out = Ingested::default();
        let mut rdr = reader(text, self.delimiter);
        let mut rec = csv::StringRecord::new();
        let mut lines = Lines::new(text, first_line);
        let mut scores: Vec<(ItemIx, f64)> = Vec::new();
        let mut rows = 0;
        // The key fields of the last accepted row and its evaluation: rows
        // of the same evaluation follow each other, and their key fields
        // need not be checked again.
        let mut sig = String::new();
        let mut last: Option<(String, u32, ScaleIx)> = None;
        let header = self.header;
        let key_cols = [Role::Country, Role::Code, Role::Year, Role::Scale].map(|r| header.col(&r));
        let name_col = header.col(&Role::Name);
        // Only a piece with a quote can have a stray one.
        let quoted = memchr::memchr(b'"', text.as_bytes()).is_some();
        while rdr.read_record(&mut rec)? {
            // A row of empty fields (spaces only, or the `;;;;;;;` Excel
            // writes under a table) holds nothing: not a data row, as a
            // blank line is not.
            if rec.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let start = lines.record_start(rec.position().map_or(0, |p| p.byte() as usize));
            let end = rdr.position().byte() as usize;
            let line = lines.line_at(start);
            rows += 1;
            sig.clear();
            for c in key_cols {
                sig.push_str(c.and_then(|c| rec.get(c)).unwrap_or("").trim());
                sig.push('\u{1f}');
            }
            let same = last
                .as_ref()
                .filter(|(s, _, _)| rec.len() == header.names.len() && *s == sig);
            let before = out.findings.len();
            let mut row = RowCheck::new(
                self.file,
                line,
                header,
                &rec,
                &mut out.findings,
                self.delimiter,
            );
            scores.clear();
            let raw = text.as_bytes().get(start..end).unwrap_or_default();
            let quoting = if quoted && memchr::memchr(b'"', raw).is_some() {
                // Text after a closing quote is text in a name or a column
                // not read, and wrong in a key or a score.
                let strict = |f: usize| {
                    let role = header.roles.get(f);
                    role.is_some_and(|r| !matches!(r, Role::Name | Role::Unknown))
                };
                quotes::of_row(raw, self.delimiter, header.names.len(), strict)
            } else {
                Quoting::OneLine
            };
            let key = if let Quoting::Stray(stray) = quoting {
                // The line of the closing quote, or the record's last line.
                let to = match stray {
                    quotes::Stray::TextAfterClose { at, .. }
                    | quotes::Stray::RowInside { at, .. } => start + at,
                    quotes::Stray::Unclosed { .. } => start + raw.len().saturating_sub(1),
                    quotes::Stray::Joined { .. } => start,
                };
                let written = match stray {
                    quotes::Stray::Joined {
                        start: a, end: b, ..
                    } => raw.get(a..b),
                    _ => None,
                };
                let written = written.map(String::from_utf8_lossy);
                row.stray_quote(stray, line, lines.line_at(to), written.as_deref());
                None
            } else if let Some(&(_, eval, scale)) = same {
                row.scores(Some(self.instruments.get(scale)), self.decimal, &mut scores);
                Some(Err(eval))
            } else {
                row.parse(self.instruments, self.register, self.decimal, &mut scores)
                    .map(Ok)
            };
            // A well-formed quoted field over a line end: read, named.
            if let Quoting::Spans { field, close, .. } = quoting {
                row.spans_lines(field, lines.line_at(start + close));
            }
            let first_error = row.first_error();
            match (key, first_error) {
                (Some(key), None) => {
                    let name = name_col
                        .and_then(|c| rec.get(c))
                        .map(str::trim)
                        .filter(|n| !n.is_empty());
                    let scale = key.as_ref().ok().map(|k| k.scale);
                    let at = (self.file, line);
                    let eval = out.keep_row(self.instruments, at, key, name, &scores, before);
                    if let Some(scale) = scale {
                        last = Some((sig.clone(), eval, scale));
                    }
                }
                _ => {
                    let raw = text
                        .get(start..end)
                        .unwrap_or("")
                        .trim_end_matches(['\r', '\n']);
                    out.rejected.push(RejectedRow {
                        file: self.file,
                        line,
                        finding: first_error.unwrap_or(out.findings.len().saturating_sub(1)),
                        raw: raw.to_string(),
                    });
                }
            }
        }
        Ok((out, rows))
    }
}
