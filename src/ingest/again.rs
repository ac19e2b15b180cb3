//! A header line among an export's rows, as exports joined one after
//! another (`cat`) leave it: the same columns again, a row of no scores,
//! or other columns (another order, another column), under which the rows
//! that follow cannot be read in the file's header's columns.

use super::header::{Header, Role, bare, recognise};
use super::names::{normalised, role_of};
use super::titles::ItemTitles;

/// What a row is as a header line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Again {
    /// A row of data (or of mistakes), not a header line.
    No,
    /// The header's columns again, in its order (in either language, or
    /// with a byte order mark that came with it).
    Same,
    /// A header line of other columns: the first column where it differs
    /// from the file's header (0-based), its name there and the header's
    /// (none beyond the end of either).
    Other(usize, Option<String>, Option<String>),
}

/// The key columns' roles: two of their names in one row make it a header
/// line (a municipality named `Land` is one at most).
fn is_key(role: &Role) -> bool {
    use Role::*;
    matches!(role, Country | Code | Year | Scale | Item | Score | Max)
}

/// What the row `rec` is as a header line under `header`, its names read
/// as the header's were (with the instruments' item `titles`).
pub(super) fn header_again(rec: &csv::StringRecord, header: &Header, titles: &ItemTitles) -> Again {
    // Every data row's code cell starts with a digit (and one that does
    // not is rejected as a code): most rows leave here.
    let code = header.col(&Role::Code).and_then(|c| rec.get(c));
    if code.is_none_or(|c| bare(c).starts_with(|ch: char| ch.is_ascii_digit())) {
        return Again::No;
    }
    let keys = rec
        .iter()
        .filter(|f| is_key(&role_of(&normalised(bare(f)))));
    if keys.count() < 2 {
        return Again::No;
    }
    // A header of its own (a row of units under the header, `;;Poäng`, is
    // not one: it names no code or year).
    let Ok(other) = recognise(rec.iter(), titles) else {
        return Again::No;
    };
    // Columns with no name at the end (Excel's `;` at the end of a line)
    // are no column to compare: such a line is left to `field-count`.
    let named = |names: &[String]| {
        names
            .iter()
            .rposition(|n| !n.is_empty())
            .map_or(0, |i| i + 1)
    };
    let (n, width) = (named(&other.names), named(&header.names));
    let differs = (0..n.min(width)).find(|&i| other.roles[i] != header.roles[i]);
    let at = match differs {
        None if n == width && rec.len() == header.names.len() => return Again::Same,
        None if n == width => return Again::No,
        None => n.min(width),
        Some(at) => at,
    };
    let here = other.names.get(at).filter(|_| at < n).cloned();
    let there = header.names.get(at).filter(|_| at < width).cloned();
    Again::Other(at, here, there)
}
