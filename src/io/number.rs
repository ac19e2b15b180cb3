//! Numbers as exports write them: a cell's text without the white space
//! around it, a score or maximum read with either decimal mark, and what a
//! cell that is no number is, for a message; a year.

use super::dialect::Decimal;

/// The most characters of a number [`parse_number`] reads (digits, sign and
/// mark: more is no score, and would be a long cell copied into messages).
pub const NUMBER_MAX_LEN: usize = 40;

/// What a whole number in a reference file (a population, a published
/// `n`) is that a `u64` cannot hold: too large, not "not a whole number".
pub const TOO_LARGE: &str = "is too large (at most 18446744073709551615)";

/// A year as an export or a side table writes it: four digits, the first
/// not 0 (`0999` would be written back as `999`; `0` and `+2012` are no
/// years).
pub fn parse_year(raw: &str) -> Option<u16> {
    (raw.len() == 4 && raw.bytes().all(|b| b.is_ascii_digit()))
        .then(|| raw.parse::<u16>().ok())
        .flatten()
        .filter(|&y| y >= 1000)
}

/// What a cell that [`parse_number`] does not read is, for a message:
/// `'x' is not a number`, or, for a long one, its start and its length;
/// a number in exponent notation (`5e1`, `7,95E+01`), a spreadsheet's
/// error value (`#VALUE!`, `#N/A`, Swedish `#SAKNAS!`) or a percentage
/// (`79.5%`) is named as one.
pub fn not_a_number(raw: &str, decimal: Decimal) -> String {
    let s = raw.trim();
    if decimal != Decimal::Auto && parse_number(raw, Decimal::Auto).is_some() {
        let (setting, mark) = match decimal {
            Decimal::Comma => ("comma", "point"),
            _ => ("point", "comma"),
        };
        return format!(
            "'{raw}' is not a number with decimal = {setting} (--decimal): a decimal {mark} is \
             not read (the default, auto, reads both)"
        );
    }
    if s.chars().count() > NUMBER_MAX_LEN {
        let start: String = s.chars().take(20).collect();
        format!(
            "'{start}…' has {} characters: kompass reads numbers of at most {NUMBER_MAX_LEN}",
            s.chars().count()
        )
    } else if in_exponent_notation(s) {
        format!(
            "'{raw}' is in exponent notation, which kompass does not read: write the number out"
        )
    } else if spreadsheet_error(s) {
        format!(
            "'{raw}' is a spreadsheet's error value (the formula that made the cell failed), \
             not a number"
        )
    } else if (s.strip_suffix('%')).is_some_and(|n| parse_number(n, Decimal::Auto).is_some()) {
        format!("'{raw}' is a percentage: kompass reads points")
    } else {
        format!("'{raw}' is not a number")
    }
}

/// Whether `s` is a number in exponent notation, with either decimal mark
/// (`5e1`, `1.5e-3`, `7,95E+01`, as a spreadsheet writes a number of a
/// column saved as numbers).
pub fn in_exponent_notation(s: &str) -> bool {
    s.contains(['e', 'E']) && (s.replacen(',', ".", 1).parse::<f64>()).is_ok_and(f64::is_finite)
}

/// The digits before a mark and zero decimals (`2012` of `2012.0`, `114`
/// of `114,00`): a whole number a spreadsheet wrote with decimals.
pub fn zero_decimals(s: &str) -> Option<&str> {
    let (whole, decimals) = s.split_once(['.', ','])?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(whole) && digits(decimals) && decimals.bytes().all(|b| b == b'0')).then_some(whole)
}

/// The error values a spreadsheet writes where a formula failed, in
/// English, Swedish, Norwegian and Danish Excel (and LibreOffice's
/// `#NAME?`, `Err:502` aside), upper case.
const SPREADSHEET_ERRORS: [&str; 27] = [
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
    "#SKÄRNING!",
    "#DIVISION/0!",
    "#VÄRDEFEL!",
    "#REFERENS!",
    "#NAMN?",
    "#OGILTIGT!",
    "#SAKNAS!",
    "#BERÄKNA!",
    "#VERDI!",
    "#NAVN?",
    "#I/T",
    "#SØL!",
    "#BEREGN!",
    "#NUL!",
    "#VÆRDI!",
    "#REFERENCE!",
    "#SPILD!",
];

/// Whether `s` is one of the [`SPREADSHEET_ERRORS`], in any case.
fn spreadsheet_error(s: &str) -> bool {
    s.starts_with('#') && SPREADSHEET_ERRORS.contains(&s.to_uppercase().as_str())
}

/// `cell` without the white space around it, as [`str::trim`] (Unicode's
/// white space, the non-breaking space among it), with a quick way out
/// for a cell whose first and last bytes are ASCII and no space: nearly
/// every cell of an export, of which a run of 100,000 evaluations trims
/// some 20 million (`trim` looks at the first and last characters
/// through its general pattern matching: 2 % of a run's time).
#[inline]
pub fn trim_cell(cell: &str) -> &str {
    let seen = |b: Option<&u8>| b.is_some_and(|b| (0x21..0x7f).contains(b));
    let b = cell.as_bytes();
    if b.is_empty() || (seen(b.first()) && seen(b.last())) {
        cell
    } else {
        cell.trim()
    }
}

/// The digits of a code cell written with Excel's mark of a number kept
/// as text before them (`'0114`: the mark, or a guard against formulas,
/// typed into the cell), if it is one.
pub fn behind_apostrophe(cell: &str) -> Option<&str> {
    (cell.strip_prefix('\'')).filter(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()))
}

/// Parses a score or maximum: optional sign, digits, at most one decimal mark
/// (as `decimal` allows) followed by digits. Surrounding spaces (also
/// non-breaking ones) are ignored. Anything else (`1e3`, `inf`, `1 000`,
/// `7,5,1`, empty) is `None`. Never allocates.
pub fn parse_number(raw: &str, decimal: Decimal) -> Option<f64> {
    // (The non-breaking space is white space to `trim`.)
    let s = trim_cell(raw);
    let bytes = s.as_bytes();
    if bytes.is_empty() || bytes.len() > NUMBER_MAX_LEN {
        return None;
    }
    let mut buf = [0u8; NUMBER_MAX_LEN];
    let mut seen_digit = false;
    let mut seen_mark = false;
    for (i, &b) in bytes.iter().enumerate() {
        buf[i] = match b {
            b'0'..=b'9' => {
                seen_digit = true;
                b
            }
            b'-' | b'+' if i == 0 => b,
            b'.' if !seen_mark && decimal != Decimal::Comma => {
                seen_mark = true;
                b'.'
            }
            b',' if !seen_mark && decimal != Decimal::Point => {
                seen_mark = true;
                b'.'
            }
            _ => return None,
        };
    }
    if !seen_digit || bytes.last() == Some(&b'.') || bytes.last() == Some(&b',') {
        return None;
    }
    std::str::from_utf8(&buf[..bytes.len()]).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `trim_cell` is `str::trim` on cells made of ASCII letters, digits
    /// and spaces, Unicode white space (no-break, em and ideographic
    /// spaces, tab, line ends) and non-ASCII letters, at either end.
    #[test]
    fn trim_cell_is_trim() {
        let parts = [
            "", "a", "7", "79,5", " ", "\t", "\r\n", "\u{a0}", "\u{2003}", "\u{3000}", "å", "Ö",
            "\u{85}", "-", "\u{7f}", "=", "\u{1f}",
        ];
        for a in parts {
            for b in parts {
                for c in parts {
                    let cell = format!("{a}{b}{c}");
                    assert_eq!(trim_cell(&cell), cell.trim(), "{cell:?}");
                }
            }
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("79,5", Decimal::Auto), Some(79.5));
        assert_eq!(parse_number(" 79.5 ", Decimal::Auto), Some(79.5));
        assert_eq!(parse_number("614,5", Decimal::Comma), Some(614.5));
        assert_eq!(parse_number("614,5", Decimal::Point), None);
        assert_eq!(parse_number("-3", Decimal::Auto), Some(-3.0));
        assert_eq!(parse_number("\u{a0}12\u{a0}", Decimal::Auto), Some(12.0));
        for bad in [
            "", "x", "1e3", "inf", "NaN", "1 000", "7,5,1", "7.", ",5x", "-", "1-2",
        ] {
            assert_eq!(parse_number(bad, Decimal::Auto), None, "{bad}");
        }
        assert_eq!(parse_number(",5", Decimal::Auto), Some(0.5));
        // The README's words: leading zeros and a '+' are read.
        assert_eq!(parse_number("05", Decimal::Auto), Some(5.0));
        assert_eq!(parse_number("+5", Decimal::Auto), Some(5.0));
        assert_eq!(parse_number("00079,50", Decimal::Auto), Some(79.5));
        assert_eq!(parse_number("-0", Decimal::Auto), Some(0.0));
        // At most 40 characters, as the README says.
        let long = format!("7,{}", "0".repeat(38));
        assert_eq!(parse_number(&long, Decimal::Auto), Some(7.0));
        assert_eq!(parse_number(&format!("{long}0"), Decimal::Auto), None);
    }

    #[test]
    fn what_a_cell_that_is_no_number_is() {
        let said = |raw: &str| not_a_number(raw, Decimal::Auto);
        for raw in ["5e1", "7,95E+01", "1.5e-3"] {
            assert!(
                said(raw).ends_with(
                    "is in exponent notation, which kompass does not read: write the number out"
                ),
                "{raw}"
            );
        }
        for raw in [
            "#VALUE!",
            "#N/A",
            "#DIV/0!",
            "#NAME?",
            "#SAKNAS!",
            "#VÄRDEFEL!",
            "#I/T",
        ] {
            assert!(said(raw).contains("a spreadsheet's error value"), "{raw}");
        }
        assert_eq!(
            said("79.5%"),
            "'79.5%' is a percentage: kompass reads points"
        );
        assert_eq!(
            said("79,5 %"),
            "'79,5 %' is a percentage: kompass reads points"
        );
        for raw in [
            "#", "#1", "#a!", "# N/A", "%", "x%", "e5", "1e", "#hashtag", "#TODO", "#TBD",
        ] {
            assert_eq!(said(raw), format!("'{raw}' is not a number"), "{raw}");
        }
    }
}
