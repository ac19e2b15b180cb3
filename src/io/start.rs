//! Where the rows of a CSV text start: the first line with data is the
//! header, unless it is Excel's separator line (`sep=;`), which names the
//! file's separator; then the header is the next line with data. A line
//! with no data (blank, spaces only, or only separators, as Excel writes
//! `;;;;;;;` for an empty first row) is passed over. Shared by the exports
//! (`ingest`) and the side tables (`io::table`).

use crate::io::dialect::Delimiter;

/// Where a file's rows start: the header is the first line with data, or
/// the next one after an Excel separator line (`sep=;`). The lines before
/// it are passed over by its readers, and still counted.
pub struct Start<'t> {
    /// The header's index among the file's lines, and its text.
    pub header_ix: usize,
    pub line: &'t str,
    /// Where the header line starts in the text (its length when the text
    /// has no header line).
    pub header_at: usize,
    /// The separator line before it, if any, and the separator it names
    /// (none when `--delimiter` was given: that wins).
    pub sep_line: Option<&'t str>,
    pub named: Option<u8>,
}

impl<'t> Start<'t> {
    /// The start of `text`; `forced` is a separator the user chose (it
    /// wins over a separator line's). A separator line naming a separator
    /// kompass does not read is an error: its line and message.
    pub fn find(text: &'t str, forced: Option<u8>) -> Result<Start<'t>, (u64, String)> {
        let mut lines = (text.lines().enumerate()).filter(|(_, l)| !no_data(l));
        // A line of `text` (from `lines()`) starts this far into it.
        let at = |l: &str| (l.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        let Some((ix, first)) = lines.next() else {
            return Ok(Start {
                header_ix: 0,
                line: "",
                header_at: text.len(),
                sep_line: None,
                named: None,
            });
        };
        let named = match Delimiter::excel_line(first) {
            None => {
                return Ok(Start {
                    header_ix: ix,
                    line: first,
                    header_at: at(first),
                    sep_line: None,
                    named: None,
                });
            }
            Some(Err(named)) if forced.is_none() => {
                let msg = format!(
                    "'{first}' names the separator '{}'; kompass reads ',', ';' or tab separated files",
                    named.escape_default()
                );
                return Err((ix as u64 + 1, msg));
            }
            Some(named) => named.ok().filter(|_| forced.is_none()),
        };
        let (header_ix, line, header_at) = match lines.next() {
            Some((i, l)) => (i, l, at(l)),
            None => (ix + 1, "", text.len()),
        };
        Ok(Start {
            header_ix,
            line,
            header_at,
            sep_line: Some(first.trim_end_matches('\r')),
            named,
        })
    }
}

/// Whether `line` holds no data: empty, or only spaces and separators
/// (`;;;;;;;` is what Excel writes for an empty row).
pub fn no_data(line: &str) -> bool {
    line.chars()
        .all(|c| matches!(c, ' ' | '\t' | ',' | ';' | '\r' | '\u{a0}'))
}
