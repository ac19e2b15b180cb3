//! What a code cell that is no code of its country likely is, for the
//! `bad-code` message: a code whose leading zero was lost, one behind
//! Excel's apostrophe, written as a number with decimals, in exponent
//! notation or as a formula for the text, or another country's code.
//! Only named: the code is never read from a hint.

use crate::io::number::{behind_apostrophe, in_exponent_notation, zero_decimals};
use crate::reference::register::Register;

/// A code cell that is no code of `country`'s, with what of its row the
/// hint reads.
pub(super) struct CodeCell<'a> {
    pub code: &'a str,
    pub country: &'a str,
    /// The row's municipality name, if it gives one: another country's
    /// code is named only where the name is that municipality's.
    pub name: Option<&'a str>,
    /// Whether the file has a country column (without one, its rows are
    /// read as `--country`'s, Sweden's by default).
    pub country_column: bool,
}

/// The end of the `bad-code` message of `cell`, whose country's codes
/// have `width` digits: ` (a leading zero lost in Excel? 0114)`, ` (a
/// number with decimals: 0114?)`, `; DK 101 is København: ...`, or
/// nothing. A code is suggested only where `register` has it (today's or
/// a former one of the country's), of the row's name where it gives one:
/// `9` is no `0009`, and `101` in a row of København's no `0101`, Halden's
/// code until 2019. Another country's code is named as written, or with
/// the zero put back where the row's name is its municipality's (`301` in
/// a row of Oslo's: `NO 0301 is Oslo`).
pub(super) fn hint(cell: &CodeCell, width: usize, register: &Register) -> String {
    let &CodeCell {
        code,
        country,
        name,
        country_column,
    } = cell;
    let known = |c: &str| register.has_code(country, c, name);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    // The digits a spreadsheet wrote the code as, and how.
    let (number, form) = match (formula_text(code), zero_decimals(code)) {
        (Some(d), _) => (d, Some("a spreadsheet's formula for the text")),
        (None, Some(d)) => (d, Some("a number with decimals")),
        (None, None) => (code, None),
    };
    let (meant, elsewhere) = if digits(number) {
        let padded = format!("{number:0>width$}");
        let meant = [padded.as_str(), number].into_iter().find(|c| known(c));
        // Another country's code, as written or, beside its municipality's
        // name, with the zeros put back ([`Register::elsewhere_note`]).
        let note = register.elsewhere_note((country, number), name, country_column);
        (meant.map(str::to_string), note)
    } else {
        (None, None)
    };
    let dar = (form.is_none() && meant.is_none())
        .then(|| register.unpadded(country, number))
        .flatten();
    let first = match (form, meant, dar) {
        (None, None, Some(u)) => format!(
            " (Denmark's address register's four digits for {u}? read as {u} beside the \
             municipality's name)"
        ),
        (None, Some(m), _) => format!(" (a leading zero lost in Excel? {m})"),
        (Some(f), Some(m), _) => format!(" ({f}: {m}?)"),
        (Some(f), None, _) => format!(" ({f})"),
        (None, None, None) => other_form(code),
    };
    format!("{first}{}", elsewhere.unwrap_or_default())
}

/// `0114` of `="0114"`, a spreadsheet's formula for the text.
fn formula_text(code: &str) -> Option<&str> {
    let d = code.strip_prefix("=\"")?.strip_suffix('"')?;
    (!d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())).then_some(d)
}

/// ` (an apostrophe before the digits: 0114?)` for `'0114` inside quotes,
/// ` (a number in exponent notation: ...)` for `1,14E+02`, or nothing.
fn other_form(code: &str) -> String {
    if let Some(c) = behind_apostrophe(code) {
        return format!(" (an apostrophe before the digits: {c}?)");
    }
    match in_exponent_notation(code) {
        true => " (a number in exponent notation: the column was saved as numbers; save it as \
                 text)"
            .to_string(),
        false => String::new(),
    }
}
