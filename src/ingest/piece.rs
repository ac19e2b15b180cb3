//! A piece of a file (whole lines) parsed into observations, its rows
//! checked one by one (`row`), stray quotes found (`quotes`), rejected rows
//! kept with their raw text; the pieces of a file are parsed on all cores
//! and merged in order (`file`).

use super::again::{Again, header_again};
use super::chunks::Lines;
use super::header::{Header, Role};
use super::row::RowCheck;
use super::{EvalKey, Ingested};
use crate::error::{Error, Result};
use crate::io::dialect::Decimal;
use crate::io::number::trim_cell;
use crate::io::quotes::{self, Quoting, Stray};
use crate::io::records::records;
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
    /// The country of the rows of a file without a country column.
    pub country: &'a str,
    /// The file's path, for its errors.
    pub path: &'a std::path::Path,
    pub sink: &'a Option<std::sync::Arc<crate::validate::spill::Sink>>,
    /// The instruments' item names, to read a header line among the rows
    /// as the header was read.
    pub titles: &'a super::titles::ItemTitles,
    /// How many pieces the file is parsed in: each holds its share of the
    /// findings' limit.
    pub pieces: usize,
    /// Read again for the names of the rows kept
    /// ([`super::file::Reading::names_only`]): the lines (sorted) of rows not
    /// to read; no scores are kept.
    pub names_only: Option<&'a [u32]>,
}

impl Chunk<'_> {
    /// Parses the rows of `text`, whose first byte is on line `first_line`
    /// of the file; returns them (evaluations numbered from 0) and the
    /// number of rows.
    pub(super) fn parse(&self, text: &str, first_line: u32) -> Result<(Ingested, u64)> {
        let mut out = Ingested::spilling(self.sink.clone(), self.pieces);
        let csv_err = |e: csv::Error| Error::input(self.path, e.to_string());
        let mut rdr = records(text, self.delimiter);
        let mut rec = csv::StringRecord::new();
        let mut lines = Lines::new(text, first_line);
        let mut scores: Vec<(ItemIx, f64)> = Vec::new();
        let mut rows = 0;
        let mut previous = Previous::new(self.header);
        let header = self.header;
        let refs = (self.delimiter, self.instruments, self.register);
        let mut codes = WrittenCodes::new(header);
        let given_cols = (header.col(&Role::Name), header.col(&Role::Origin));
        // Only a piece with a quote can have a stray one.
        let quoted = memchr::memchr(b'"', text.as_bytes()).is_some();
        while rdr.read_record(&mut rec).map_err(&csv_err)? {
            // Between rows no finding is pointed to by index.
            self.between_rows(&mut out)?;
            let (start, end) = (lines.record_start(rdr.start(&rec)), rdr.end());
            let line = lines.line_at(start);
            // A row of empty fields (spaces only, or the `;;;;;;;` Excel
            // writes under a table) holds nothing: not a data row, as a
            // blank line is not; a line not to read is left out.
            if rec.iter().all(|f| trim_cell(f).is_empty()) || self.skipped(line) {
                continue;
            }
            rows += 1;
            let same = previous.same(&rec);
            let again = same.map_or_else(|| header_again(&rec, header, self.titles), |_| Again::No);
            if let Again::Other(at, here, there) = again {
                let msg = other_header(header, at, (here, there));
                return Err(Error::input(self.path, msg).at_line(line.into()));
            }
            let before = out.findings.len();
            let mut row = RowCheck::new(self.file, line, header, &rec, &mut out.findings, refs)
                .in_country(self.country);
            scores.clear();
            let raw = text.as_bytes().get(start..end).unwrap_or_default();
            let quoting = if quoted {
                self.quoting(raw)
            } else {
                Quoting::OneLine
            };
            let key = if let Quoting::Stray(stray) = quoting {
                stray_quote(&mut row, stray, raw, (start, line), &mut lines);
                None
            } else if again == Again::Same {
                row.repeated_header();
                None
            } else if row.split_score(quoted.then_some(raw)) {
                // A score a decimal comma unquoted split (`row::split`).
                None
            } else if let Some((eval, scale)) = same {
                row.scores(Some(self.instruments.get(scale)), self.decimal, &mut scores);
                Some(Err(eval))
            } else {
                row.parse(self.instruments, self.register, self.decimal, &mut scores)
                    .map(Ok)
            };
            // A well-formed quoted field over a line end: read, named with
            // the record's last line (another quoted field may run over
            // a line end after it).
            if let Quoting::Spans { field, .. } = quoting {
                row.spans_lines(field, lines.line_at(start + raw.len().saturating_sub(1)));
            }
            let first_error = row.first_error();
            match (key, first_error) {
                (Some(mut key), None) => {
                    let (name, table) = given(given_cols, &rec);
                    codes.note(&key, name);
                    let former = self.renumber(&mut key);
                    let scale = key.as_ref().ok().map(|k| k.scale);
                    let at = (self.file, line);
                    let cells = row.take_rejected_cells();
                    let kept = self.kept(&scores);
                    let eval = out.keep_row(self.instruments, (at, table), key, name, kept, before);
                    out.former_code_given(eval, former, at);
                    if !cells.is_empty() {
                        out.reject(at, &cells, text.get(start..end), true);
                    }
                    if let Some(scale) = scale {
                        previous.accepted(eval, scale);
                    }
                }
                _ => out.reject_row((self.file, line), first_error, text.get(start..end)),
            }
        }
        out.written_codes = codes.sorted();
        Ok((out, rows))
    }

    /// The `scores` of a row to keep: none when reading again for names
    /// ([`Chunk::names_only`]).
    fn kept<'s>(&self, scores: &'s [(ItemIx, f64)]) -> &'s [(ItemIx, f64)] {
        if self.names_only.is_some() {
            &[]
        } else {
            scores
        }
    }

    /// The findings and rejected rows held between rows: spilled to disk
    /// once there are many, none kept when reading again for names
    /// ([`Chunk::names_only`]: a file of many rejected rows held them all).
    fn between_rows(&self, out: &mut Ingested) -> Result<()> {
        if self.names_only.is_some() {
            out.findings.clear();
            out.rejected.clear();
            return Ok(());
        }
        out.spill_over()
    }

    /// Whether `line` is one of the lines not to read ([`Chunk::names_only`]).
    fn skipped(&self, line: u32) -> bool {
        self.names_only
            .is_some_and(|lines| lines.binary_search(&line).is_ok())
    }

    /// Today's code in `key` for a code from before a reform (the
    /// municipality's today listed, [`Register::kept_under`]; for a merged
    /// one renumbered before the merger, the code it went on under): the
    /// row is that code's. The former code, if it was one.
    fn renumber(&self, key: &mut std::result::Result<EvalKey, u32>) -> Option<String> {
        let Ok(key) = key else { return None };
        let today = self.register.kept_under(&key.country, &key.code)?;
        Some(std::mem::replace(&mut key.code, today.to_string()))
    }

    /// How the row `raw` is quoted: on one line without a quote; text
    /// after a closing quote is text in a name or a column not read, and a
    /// stray quote in a key or a score.
    fn quoting(&self, raw: &[u8]) -> Quoting {
        if memchr::memchr(b'"', raw).is_none() {
            return Quoting::OneLine;
        }
        let roles = &self.header.roles;
        let strict =
            |f: usize| (roles.get(f)).is_some_and(|r| !matches!(r, Role::Name | Role::Unknown));
        quotes::of_row(raw, self.delimiter, self.header.names.len(), strict)
    }
}

/// The distinct codes a piece's rows give as written (before a former
/// code is read as today's), each with the first name a row gives it,
/// kept for a file without a country column only ([`super::ReadAs`]).
struct WrittenCodes(Option<Vec<(String, Option<String>)>>);

impl WrittenCodes {
    fn new(header: &Header) -> Self {
        WrittenCodes(header.col(&Role::Country).is_none().then(Vec::new))
    }

    /// Notes the code of an accepted row's key and the name the row gives
    /// (a row of the evaluation before it has the same code).
    fn note(&mut self, key: &std::result::Result<EvalKey, u32>, name: Option<&str>) {
        if let Some(codes) = &mut self.0
            && let Ok(k) = key
            && codes
                .last()
                .is_none_or(|(c, n)| *c != k.code || (n.is_none() && name.is_some()))
        {
            codes.push((k.code.clone(), name.map(str::to_string)));
        }
    }

    fn sorted(self) -> Vec<(String, Option<String>)> {
        super::info::distinct_codes(self.0.unwrap_or_default())
    }
}

/// The key fields of the last accepted row and its evaluation: rows of the
/// same evaluation follow each other, and their key fields need not be
/// checked again.
struct Previous {
    /// The columns of country, code, year and scale.
    key_cols: [Option<usize>; 4],
    /// The header's number of columns.
    width: usize,
    /// The key fields of the row being read, joined.
    sig: String,
    /// Those of the last accepted row, with its evaluation and scale.
    last: Option<(String, u32, ScaleIx)>,
}

impl Previous {
    fn new(header: &Header) -> Self {
        let key_cols = [Role::Country, Role::Code, Role::Year, Role::Scale].map(|r| header.col(&r));
        Previous {
            key_cols,
            width: header.names.len(),
            sig: String::new(),
            last: None,
        }
    }

    /// Takes the key fields of `rec`: the evaluation and scale of the last
    /// accepted row if they are its.
    fn same(&mut self, rec: &csv::StringRecord) -> Option<(u32, ScaleIx)> {
        self.sig.clear();
        for c in self.key_cols {
            self.sig
                .push_str(trim_cell(c.and_then(|c| rec.get(c)).unwrap_or("")));
            self.sig.push('\u{1f}');
        }
        let last = self.last.as_ref();
        let same = last.filter(|(s, _, _)| rec.len() == self.width && *s == self.sig);
        same.map(|&(_, eval, scale)| (eval, scale))
    }

    /// The row whose key fields [`Previous::same`] took was accepted, as
    /// evaluation `eval` on `scale`.
    fn accepted(&mut self, eval: u32, scale: ScaleIx) {
        self.last = Some((self.sig.clone(), eval, scale));
    }
}

/// Rejects the row `raw`, which starts at byte `start` of the piece, on
/// line `line`, for the stray quote `stray`.
fn stray_quote(
    row: &mut RowCheck,
    stray: Stray,
    raw: &[u8],
    (start, line): (usize, u32),
    lines: &mut Lines,
) {
    // The line of the closing quote, or the record's last line.
    let to = match stray {
        Stray::TextAfterClose { at, .. } | Stray::RowInside { at, .. } => start + at,
        Stray::Unclosed { .. } | Stray::Joined { .. } => start + raw.len().saturating_sub(1),
    };
    // The field as written, where it is not the field as read.
    let written = match stray {
        Stray::Joined {
            start: a, end: b, ..
        } => raw.get(a..b).map(String::from_utf8_lossy),
        _ => None,
    };
    row.stray_quote(stray, line, lines.line_at(to), written.as_deref());
}

/// What an accepted row `rec` gives besides its scores, from its columns
/// `(name, origin)`: the municipality's name (none when empty; without the
/// `'` kompass's formula guard put before a name such as `+Samsø`, where
/// its own output is read back) and, in kompass's own `evaluations.csv`
/// read back, whether kompass had derived the score.
fn given(
    (name, origin): (Option<usize>, Option<usize>),
    rec: &csv::StringRecord,
) -> (Option<&str>, Option<bool>) {
    let cell = |c: Option<usize>| c.and_then(|c| rec.get(c)).map(trim_cell);
    let derived = |c| cell(Some(c)).is_some_and(|v| v.eq_ignore_ascii_case("derived"));
    let name = cell(name).map(crate::io::csv_out::unguarded);
    (name.filter(|n| !n.is_empty()), origin.map(derived))
}

/// Why a header line of other columns than the file's `header` among its
/// rows (exports joined one after another, each with its own columns)
/// ends the run: the rows under it would be read in the header's columns,
/// their scores on other items. `at`: the first column where they differ,
/// its names on the line and in the header. (The same columns again are
/// a `repeated-header` row.)
fn other_header(header: &Header, at: usize, names: (Option<String>, Option<String>)) -> String {
    let columns = super::header::shown(&header.names.join(", "));
    let shown = |name: &str| crate::io::terminal::message(name).into_owned();
    let n = at + 1;
    let differs = match names {
        (Some(h), Some(t)) => format!("column {n} is '{}' here, '{}' there", shown(&h), shown(&t)),
        (None, Some(t)) => format!("it ends before column {n} ('{}' there)", shown(&t)),
        (Some(h), _) => format!(
            "its column {n} ('{}') is beyond the header's last",
            shown(&h)
        ),
        (None, None) => String::new(),
    };
    format!(
        "a header line of other columns than the file's header ({columns}): {differs}, and \
         the rows under it cannot be read in the header's columns (exports joined one after \
         another?); give each export its own file"
    )
}
