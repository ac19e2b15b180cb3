//! Where the rows of a CSV text start: the first line that is not empty is
//! the header, unless it is Excel's separator line (`sep=;`), which names
//! the file's separator; then the header is the next line. Shared by the
//! exports (`ingest`) and the side tables (`io::table`).

use crate::io::dialect::Delimiter;

/// Where a file's rows start: the header is the first line that is not
/// empty (the CSV reader skips empty lines), or the next one after an
/// Excel separator line (`sep=;`).
pub struct Start<'t> {
    /// The header's index among the file's lines, and its text.
    pub header_ix: usize,
    pub line: &'t str,
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
        let mut lines = (text.lines().enumerate()).filter(|(_, l)| !l.is_empty());
        let (ix, first) = lines.next().unwrap_or((0, ""));
        let named = match Delimiter::excel_line(first) {
            None => {
                return Ok(Start {
                    header_ix: ix,
                    line: first,
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
        let (header_ix, line) = lines.next().unwrap_or((ix + 1, ""));
        Ok(Start {
            header_ix,
            line,
            sep_line: Some(first.trim_end_matches('\r')),
            named,
        })
    }
}
