//! One input file read, its header recognised and its rows parsed on all
//! cores into pieces, before they are merged into the rest.

use std::path::Path;

use rayon::prelude::*;

use super::chunks::chunks;
use super::columns;
use super::header::{self, Header, Unusable};
use super::titles::ItemTitles;
use super::{Chunk, FileInfo, Ingested, ReadAs, ReadOptions};
use crate::error::{Error, Result};
use crate::io::discover::Input;
use crate::io::start::Start;
use crate::io::table::header_reader;
use crate::io::{self, dialect::Delimiter};
use crate::reference::instrument::Instruments;
use crate::reference::register::Register;
use crate::validate::rules::Finding;

/// What reading files needs besides the file.
pub(super) struct Reading<'a> {
    pub(super) opts: ReadOptions,
    pub(super) instruments: &'a Instruments,
    pub(super) register: &'a Register,
    /// The instruments' item names, for columns named with them.
    pub(super) titles: ItemTitles,
    /// Where a piece's findings go once it holds many.
    pub(super) sink: Option<std::sync::Arc<crate::validate::spill::Sink>>,
    /// Reading the files again for the names of the rows kept
    /// (`ingest::kept`): per file, the lines (sorted) of rows rejected
    /// since, not read; no scores are kept.
    pub(super) names_only: Option<&'a [Vec<u32>]>,
}

/// One file read and parsed, not yet merged into the rest.
pub(super) struct ParsedFile {
    /// The file index it was parsed as.
    pub(super) file: usize,
    pub(super) info: FileInfo,
    /// The header's findings (unknown columns).
    pub(super) findings: Vec<Finding>,
    /// Its pieces in order, each with its number of rows.
    pub(super) parts: Vec<(Ingested, u64)>,
    /// The memory its text was read into, for the next file.
    pub(super) buffer: Vec<u8>,
}

impl ParsedFile {
    /// The memory its text was read into; the rest is dropped.
    pub(super) fn into_buffer(self) -> Vec<u8> {
        self.buffer
    }
}

impl Reading<'_> {
    /// Reads file `input` as file number `file` (into `buffer`'s memory) and
    /// parses its rows on all cores.
    pub(super) fn parse_file(
        &self,
        input: &Input,
        file: usize,
        buffer: Vec<u8>,
    ) -> Result<ParsedFile> {
        let (opts, path) = (&self.opts, input.path.as_path());
        unread_by_name(input)?;
        let file_ix = u32::try_from(file).map_err(|_| Error::input(path, "too many files"))?;
        let modified = crate::io::modified(path);
        let decoded = io::read_text_into(path, opts.encoding, buffer).map_err(gone_since_listed)?;
        let text = decoded.text();
        let start = Start::find(text, opts.delimiter.byte())
            .map_err(|(line, msg)| Error::input(path, msg).at_line(line))?;
        let (header_ix, first_line) = (start.header_ix, start.line);
        let header_line = u32::try_from(header_ix + 1).unwrap_or(u32::MAX);
        let delimiter = (opts.delimiter.byte())
            .or(start.named)
            .unwrap_or_else(|| sniffed(&text[start.header_at..], first_line, &self.titles));
        // From the header on (a `sep=` line, lines of separators: no records).
        let mut rdr = header_reader(&text[start.header_at..], delimiter);
        let mut rec = csv::StringRecord::new();
        read_header(&mut rdr, &mut rec, (&start, text), path)?;
        // Where the header ends and the rows begin.
        let body = start.header_at + rdr.position().byte() as usize;
        let forced = opts.delimiter.byte();
        let at = (&start, text, header_line, body);
        let mut header = recognised(&rec, at, (delimiter, forced), path, &self.titles)?;
        // The rows in chunks of whole lines, parsed on all cores and merged
        // in order (the same result as one pass). A quote could hide a line
        // break inside a field, so a file with quotes is read in one piece.
        let on_header = (file_ix, header_line);
        let chunks = chunks(text, body);
        // The line `body` starts on (the header's, at its line end).
        let body_line = chunks.first().map_or(header_line, |c| c.2);
        let rows = (&text[body..], delimiter, body_line);
        let findings = columns::findings(&header, on_header, &self.titles, rows);
        header.split_into = super::row::split::columns(&header, (rows.0, delimiter));
        let chunk = Chunk {
            file: file_ix,
            header: &header,
            delimiter,
            decimal: opts.decimal,
            instruments: self.instruments,
            register: self.register,
            country: &self.opts.country,
            path,
            sink: &self.sink,
            titles: &self.titles,
            pieces: chunks.len(),
            names_only: (self.names_only).map(|a| a.get(file).map_or(&[][..], Vec::as_slice)),
        };
        let (read, parts) = parse_and_hash(&decoded, &chunk, &chunks);
        let mut parts = parts?;
        let read_as = header.col(&header::Role::Country).is_none().then(|| {
            let pieces = parts.iter_mut();
            let codes = pieces.flat_map(|(p, _)| std::mem::take(&mut p.written_codes));
            ReadAs {
                country: self.opts.country.clone(),
                codes: super::info::distinct_codes(codes.collect()),
            }
        });
        let info = FileInfo {
            path: path.to_path_buf(),
            layout: header.layout,
            delimiter,
            encoding: decoded.encoding,
            rows_read: 0,
            header_line,
            text_len: text.len(),
            modified,
            read,
            score_columns: columns::score_columns(&header),
            key_columns: columns::key_columns(&header),
            read_as,
        };
        Ok(ParsedFile {
            file,
            info,
            findings,
            parts,
            buffer: decoded.into_buffer(),
        })
    }
}

/// A piece of a file parsed: what it holds, and its rows.
type Piece = (super::Ingested, u64);

/// The pieces `chunks` of `decoded`'s text parsed on all cores, and beside
/// them the size and hash of the bytes read (taken from the text when it
/// is those bytes, [`io::Decoded::read`]).
fn parse_and_hash(
    decoded: &io::Decoded,
    chunk: &Chunk,
    chunks: &[(usize, usize, u32)],
) -> ((u64, String), Result<Vec<Piece>>) {
    let text = decoded.text();
    rayon::join(
        || decoded.read(),
        || {
            (chunks.par_iter())
                .map(|&(start, end, line)| chunk.parse(&text[start..end], line))
                .collect()
        },
    )
}

/// The header read into `rec` (on line `line` of `text`, found by
/// `start`, ending at byte `end`, split at `delimiter`; `forced` the
/// option's separator, if any), recognised, or the error saying why not,
/// at its line where that is not the first (a blank line or a separator
/// line before it); an export's whose quoted field swallowed rows (a stray
/// quote) cannot be read.
fn recognised(
    rec: &csv::StringRecord,
    (start, text, line, end): (&Start, &str, u32, usize),
    (delimiter, forced): (u8, Option<u8>),
    path: &Path,
    titles: &ItemTitles,
) -> Result<Header> {
    let recognised = header::recognise(rec.iter(), titles);
    // A stray quote that swallowed rows into an export's header, its key
    // columns too where its first line alone is an export's (a note in an
    // input folder whose first line opens a quote is no export: it is
    // skipped as one).
    let raw = &text.as_bytes()[start.header_at..end.min(text.len())];
    if let Some(msg) = io::quotes::header_over_lines(rec.iter(), raw, delimiter, line.into())
        && (!matches!(recognised, Err(Unusable::NotAnExport(_)))
            || header::spill::first_line_is_export(&text[start.header_at..], delimiter, titles))
    {
        return Err(Error::input(path, msg).at_line(line.into()));
    }
    recognised.map_err(|why| {
        let why = titled(why, (&text[start.header_at..], titles), forced, line);
        let looks = sniffed(&text[start.header_at..], start.line, titles);
        let error = header_error(path, why, (looks, delimiter), (forced, start.sep_line));
        match line {
            1 => error,
            _ => error.at_line(u64::from(line)),
        }
    })
}

/// Reads the header record into `rec` (the reader starts at its line of
/// `text`, found by `start`); a file without one (after its separator
/// line, if it has one) is not an export.
fn read_header(
    rdr: &mut csv::Reader<&[u8]>,
    rec: &mut csv::StringRecord,
    (start, text): (&Start, &str),
    path: &Path,
) -> Result<()> {
    let csv_err = |e: csv::Error| Error::input(path, e.to_string());
    if rdr.read_record(rec).map_err(csv_err)? {
        return Ok(());
    }
    let msg = match start.sep_line {
        Some(sep) => format!("no header row after its separator line '{sep}'"),
        None if text.is_empty() => "empty file: no header row".into(),
        None => "no header row: no line of the file has data (only blank lines, spaces or \
                 separators)"
            .into(),
    };
    Err(Error::NotExport {
        path: path.to_path_buf(),
        msg,
    })
}

/// The error for a header that cannot be read: `why`, and where the
/// header line looks separated by another separator (`sniffed`) than the
/// one it was split with (`delimiter`, set by the option or the file's
/// separator line: `set_by`), that.
fn header_error(
    path: &Path,
    why: Unusable,
    (sniffed, delimiter): (u8, u8),
    set_by: (Option<u8>, Option<&str>),
) -> Error {
    // What set the separator the header was split with.
    let said = match set_by {
        (None, Some(sep)) => format!("as its separator line '{sep}' says"),
        _ => "as the delimiter option says (--delimiter, or `delimiter` in the config file): \
              try auto"
            .into(),
    };
    match why {
        // An export read with the wrong separator (an option's or its
        // separator line's).
        why if sniffed != delimiter => Error::input(
            path,
            format!(
                "{}; the header line looks separated by '{}', not '{}' {said}",
                why.message(),
                char::from(sniffed).escape_default(),
                char::from(delimiter).escape_default()
            ),
        ),
        // Not an export at all (notes, another table).
        Unusable::NotAnExport(msg) => Error::NotExport {
            path: path.to_path_buf(),
            msg,
        },
        // An export whose rows cannot be read.
        Unusable::Broken(msg) => Error::input(path, msg),
    }
}

/// An input missing when read, that the run listed at its start: removed
/// or renamed while the run went on, said so (it was a bare "No such file
/// or directory" for a file the user had named).
pub(super) fn gone_since_listed(e: Error) -> Error {
    match e {
        Error::Io { path, source } if source.kind() == std::io::ErrorKind::NotFound => {
            let why = format!(
                "{source}: it was there when the run listed its inputs, and was removed or \
                 renamed since; run again"
            );
            Error::io(&path, std::io::Error::new(source.kind(), why))
        }
        e => e,
    }
}

/// A workbook found in a folder is not read (often the original of a CSV
/// saved beside it; a text file named `.xls` by a web tool would duplicate
/// that CSV's rows): named, and skipped; so is a Parquet table there.
fn unread_by_name(input: &Input) -> Result<()> {
    let path = &input.path;
    if !input.in_folder {
        return Ok(());
    }
    let msg = if io::discover::is_workbook(path) {
        "a spreadsheet workbook, not read: kompass reads CSV (in Excel, save it as \"CSV UTF-8\" \
         or \"CSV (semikolonavgränsad)\")"
    } else if io::discover::is_parquet(path) {
        "an Apache Parquet table, not read: kompass reads CSV (to read a run's output back, give \
         its evaluations.csv, written with --format csv)"
    } else {
        return Ok(());
    };
    Err(Error::NotExport {
        path: input.path.clone(),
        msg: msg.into(),
    })
}

/// `why` the first line of `text` (line `line` of its file) is no header,
/// or, when an export's header stands a few lines below it, that a title
/// stands above the header: an export whose rows would otherwise be in no
/// count.
fn titled(
    why: Unusable,
    (text, titles): (&str, &ItemTitles),
    delimiter: Option<u8>,
    line: u32,
) -> Unusable {
    match (why, header_below(text, delimiter, titles)) {
        (Unusable::NotAnExport(_), Some(k)) => Unusable::Broken(format!(
            "line {} is an export's header, below line(s) that are not part of the table (a \
             title?): remove the line(s) above the header",
            line as usize + k
        )),
        (why, _) => why,
    }
}

/// How many lines below the first line of `text` (which is no header) an
/// export's header stands, when one does among the next few and the line
/// after it has as many fields (a row of it): a title written above the
/// table. A line that only looks like part of a header (a note naming the
/// columns) is not taken for one. Each line is split by `delimiter`, else
/// by the separator the line taken for the header looks to have.
fn header_below(text: &str, delimiter: Option<u8>, titles: &ItemTitles) -> Option<usize> {
    const LOOK: usize = 5;
    let fields = |line: &str, sep: u8| -> Option<csv::StringRecord> {
        // Lines below the first: a BOM there is data (`records`).
        let mut rec = csv::StringRecord::new();
        crate::io::records::records(line, sep)
            .read_record(&mut rec)
            .ok()?
            .then_some(rec)
    };
    let lines: Vec<&str> = text.lines().take(LOOK + 2).collect();
    (1..lines.len().min(LOOK + 1)).find(|&k| {
        // The row split as the header is (a `;` header with commas in its
        // names over a row with commas in a cell).
        let sep = delimiter.unwrap_or_else(|| sniffed(lines[k], lines[k], titles));
        let Some(header) = fields(lines[k], sep) else {
            return false;
        };
        let row = (lines[k + 1..].iter()).find(|l| !l.trim().is_empty());
        header::recognise(header.iter(), titles).is_ok()
            && row
                .and_then(|r| fields(r, sep))
                .is_some_and(|r| r.len() == header.len())
    })
}

/// The separator of an export whose header starts `from` (its first line
/// `first_line`), where neither `--delimiter` nor a `sep=` line names one:
/// the one its first line has most of, unless the header split by that one
/// is no export's header and split by another it has is (a `;` export
/// with commas in a column's name, `Källa (rapport, sida)`, which Excel
/// does not quote).
fn sniffed(from: &str, first_line: &str, titles: &ItemTitles) -> u8 {
    let ranked = Delimiter::ranked(first_line);
    // One separator on the line: nothing to choose (the header is read
    // once, by the caller).
    if ranked.len() == 1 {
        return ranked[0];
    }
    let recognised = |sep: u8| {
        let mut rec = csv::StringRecord::new();
        header_reader(from, sep)
            .read_record(&mut rec)
            .is_ok_and(|read| read)
            && header::recognise(rec.iter(), titles).is_ok()
    };
    match ranked.iter().copied().find(|&sep| recognised(sep)) {
        Some(sep) => sep,
        None => ranked[0],
    }
}
