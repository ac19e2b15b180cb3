//! A header line among an export's rows, as exports joined one after
//! another (`cat`) leave it: the same columns again, a row of no scores,
//! or other columns (another order, another column), under which the rows
//! that follow cannot be read in the file's header's columns.

use super::header::{Header, Role};
use super::names::{normalised, role_of};

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

/// What the row `rec` is as a header line under `header`.
pub(super) fn header_again(rec: &csv::StringRecord, header: &Header) -> Again {
    // Every data row's code cell starts with a digit (and one that does
    // not is rejected as a code): most rows leave here.
    let code = header.col(&Role::Code).and_then(|c| rec.get(c));
    if code.is_none_or(|c| bare(c).starts_with(|ch: char| ch.is_ascii_digit())) {
        return Again::No;
    }
    let roles: Vec<Role> = rec.iter().map(|f| role_of(&normalised(bare(f)))).collect();
    if roles.iter().filter(|r| is_key(r)).count() < 2 {
        return Again::No;
    }
    let alike = |f: &str, name: &str| match f.is_ascii() && name.is_ascii() {
        true => f.eq_ignore_ascii_case(name),
        false => f.to_lowercase() == name.to_lowercase(),
    };
    let columns = header.roles.iter().zip(&header.names);
    let differs = (rec.iter().map(bare).zip(&roles))
        .zip(columns)
        .position(|((f, r), (h, name))| !(alike(f, name) || r == h));
    let (n, width) = (rec.len(), header.names.len());
    let at = match differs {
        None if n == width => return Again::Same,
        None => n.min(width),
        Some(at) => at,
    };
    let here = rec.get(at).map(|f| bare(f).to_string());
    Again::Other(at, here, header.names.get(at).cloned())
}

/// A cell without the spaces and byte order marks around it.
fn bare(f: &str) -> &str {
    f.trim_matches(|c: char| c == '\u{feff}' || c.is_whitespace())
}
