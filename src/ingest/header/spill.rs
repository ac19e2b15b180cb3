//! A header whose quoted field swallowed rows (a stray `"`) may have
//! swallowed its key columns too, and then looks like no export at all:
//! its first line alone tells an export with a stray quote, which cannot
//! be read, from a note in an input folder, which is skipped.

use super::{Unusable, recognise};
use crate::ingest::titles::ItemTitles;

/// Whether the first line of `text` (a header's, which a stray quote ran
/// over more lines), split at `delimiter` with its quotes taken off, is an
/// export's header (recognised, or an export's with a fault).
pub fn first_line_is_export(text: &str, delimiter: u8, titles: &ItemTitles) -> bool {
    let line = text.lines().next().unwrap_or("");
    let fields = (line.split(char::from(delimiter))).map(|f| f.trim().trim_matches('"'));
    !matches!(recognise(fields, titles), Err(Unusable::NotAnExport(_)))
}
