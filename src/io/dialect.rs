//! CSV dialects: separators, decimal marks and text encodings, for reading
//! exports and for writing outputs the way Swedish Excel expects them.
//!
//! Flags are parsed into these types at the command-line boundary; the rest of
//! the code never looks at the flag strings.

use clap::ValueEnum;

/// Field separator of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Delimiter {
    /// Named by an Excel `sep=;` line, else sniffed from the header line.
    #[default]
    Auto,
    Comma,
    Semicolon,
    Tab,
}

impl Delimiter {
    pub fn byte(self) -> Option<u8> {
        match self {
            Delimiter::Auto => None,
            Delimiter::Comma => Some(b','),
            Delimiter::Semicolon => Some(b';'),
            Delimiter::Tab => Some(b'\t'),
        }
    }

    /// The word `--delimiter` takes for separator byte `b` (the inverse of
    /// [`Delimiter::byte`]; `auto` for none of them, which is never read).
    pub fn word_for(b: u8) -> String {
        let d = (Delimiter::value_variants().iter()).find(|d| d.byte() == Some(b));
        let d = d.copied().unwrap_or(Delimiter::Auto);
        d.to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_string())
    }

    /// Separator byte `b` as messages and the run summary name it: `','`,
    /// `';'`, `tabs`.
    pub fn named(b: u8) -> &'static str {
        match b {
            b'\t' => "tabs",
            b';' => "';'",
            b',' => "','",
            _ => "another character",
        }
    }

    /// The separator an Excel separator line names (`sep=;`, `sep=,`, or
    /// `sep=` and a tab; `sep` in any case, spaces around the line ignored):
    /// `Some(Ok(byte))`, `Some(Err(named))` for another separator, `None`
    /// when `line` is not such a line. As a spreadsheet saves the line
    /// back: quoted, a cell holding the separator (`"sep=;"`), or `sep=`
    /// and the row's empty cells (`sep=;;;;;;;`, LibreOffice), which repeat
    /// the separator.
    pub fn excel_line(line: &str) -> Option<std::result::Result<u8, String>> {
        let line = line.trim_end_matches(['\r', '\n']);
        let mut rest = line.trim_start_matches([' ', '\u{feff}']);
        // Quoted: the cells after it empty, separated by the one it names.
        let mut after = "";
        if let Some(quoted) = rest.strip_prefix('"') {
            (rest, after) = quoted.split_once('"')?;
        }
        let (name, named) = (rest.get(..4)?, rest.get(4..)?);
        if !name.eq_ignore_ascii_case("sep=") {
            return None;
        }
        // One character after `sep=` (a space too), else one between
        // spaces; or the same separator again and again (empty cells).
        let one = |s: &str| {
            let mut chars = s.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Some(c),
                _ => None,
            }
        };
        let repeated = |s: &str| {
            let c = s.chars().next().filter(|c| matches!(c, ';' | ',' | '\t'))?;
            s.chars().all(|d| d == c).then_some(c)
        };
        let c = (one(named).or_else(|| one(named.trim_matches(' '))))
            .or_else(|| repeated(named.trim_end_matches(' ')))?;
        if !after.chars().all(|d| d == c || d == ' ') {
            return None;
        }
        match c {
            ';' | ',' | '\t' => Some(Ok(c as u8)),
            other => Some(Err(other.to_string())),
        }
    }

    /// The separator of a header line: the most frequent of `;`, tab and `,`
    /// outside quotes (`,` when none occurs).
    pub fn sniff(header_line: &str) -> u8 {
        Delimiter::ranked(header_line)[0]
    }

    /// The separators a header line has outside quotes, the most frequent
    /// first (of as many, `,` before tab before `;`); `,` alone when it has
    /// none.
    pub fn ranked(header_line: &str) -> Vec<u8> {
        let mut counts = [0usize; 3];
        let mut quoted = false;
        for c in header_line.chars() {
            match c {
                '"' => quoted = !quoted,
                ';' if !quoted => counts[0] += 1,
                '\t' if !quoted => counts[1] += 1,
                ',' if !quoted => counts[2] += 1,
                _ => {}
            }
        }
        let seps = [b';', b'\t', b','];
        let mut order: Vec<usize> = (0..3).filter(|&i| counts[i] > 0).collect();
        order.sort_by_key(|&i| std::cmp::Reverse((counts[i], i)));
        match order.is_empty() {
            true => vec![b','],
            false => order.into_iter().map(|i| seps[i]).collect(),
        }
    }
}

/// Decimal mark of numbers in an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Decimal {
    /// Accept both `79.5` and `79,5` (scores never have thousands separators).
    #[default]
    Auto,
    Point,
    Comma,
}

/// Text encoding of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Encoding {
    /// UTF-8 (with or without BOM) when the bytes are valid UTF-8, else
    /// Windows-1252.
    #[default]
    Auto,
    /// UTF-8, with or without BOM (also written utf8).
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// Windows-1252, as Swedish Excel saves CSV (also written cp1252 or
    /// latin1).
    #[value(name = "windows-1252", alias = "cp1252", alias = "latin1")]
    Windows1252,
}

/// The encoding of the CSV outputs (the report, charts and JSON stay
/// UTF-8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutEncoding {
    /// UTF-8, with a BOM under `--excel` (also written utf8).
    #[default]
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// Windows-1252, as Swedish Excel's own CSV exports; a character it
    /// does not have is written `?` (and counted in a warning). Also
    /// written cp1252 or latin1.
    #[value(name = "windows-1252", alias = "cp1252", alias = "latin1")]
    Windows1252,
}

/// How output files are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutputDialect {
    /// Swedish Excel: `;` separators, decimal comma, a BOM when UTF-8.
    pub excel: bool,
    /// The CSV outputs' encoding.
    pub encoding: OutEncoding,
    /// The format of the row-level tables (`evaluations`, `trends`,
    /// `benchmarks`, `linked_scores`); the summaries are always CSV.
    pub rows: crate::io::parquet_out::Format,
}

/// Decimals written for statistics (means, SDs, linked scores, deltas).
pub const STAT_DECIMALS: usize = 4;

/// Decimals written for a score as the input gave it (in
/// `evaluations.csv`, and as the score linked from in `linked_scores.csv`).
pub const SCORE_DECIMALS: usize = 6;

/// A computed figure as a message quotes it: at most [`STAT_DECIMALS`]
/// decimals, a decimal point (`81.3`, where the sum of 10.1, 10.2, ... is
/// 81.29999999999998 in binary).
pub fn in_message(x: f64) -> String {
    OutputDialect::default().num(x, STAT_DECIMALS)
}

impl OutputDialect {
    /// [`OutputDialect::num`], or an empty field for a missing value.
    pub fn opt(self, x: Option<f64>, decimals: usize) -> String {
        x.map_or(String::new(), |x| self.num(x, decimals))
    }

    pub fn delimiter(self) -> u8 {
        if self.excel { b';' } else { b',' }
    }

    /// A number with at most `decimals` decimals, trailing zeros removed
    /// (`547`, `614.5`, `73.33`); `-0` is written `0`.
    pub fn num(self, x: f64, decimals: usize) -> String {
        let mut s = String::with_capacity(16);
        self.push_num(&mut s, x, decimals);
        s
    }

    /// Appends [`OutputDialect::num`] to `buf` (no allocation beyond `buf`).
    pub fn push_num(self, buf: &mut String, x: f64, decimals: usize) {
        let mark = if self.excel { b',' } else { b'.' };
        if push_fixed(buf, x, decimals, mark) {
            return;
        }
        let mut s = format!("{x:.decimals$}");
        if s.contains('.') {
            while s.ends_with('0') {
                s.pop();
            }
            if s.ends_with('.') {
                s.pop();
            }
        }
        if s == "-0" {
            s = "0".into();
        }
        if self.excel {
            s = s.replace('.', ",");
        }
        buf.push_str(&s);
    }
}

/// Powers of ten for the fast path.
const POW10: [f64; 10] = [1.0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/// x·10^decimals rounded to a whole number as `format!` rounds it, and
/// whether x is negative; `None` when only `format!` can tell. `scaled` is
/// x·10^d rounded once, off by at most half an ulp; below 1e10 (< 2^34)
/// that is under 1e-6, the margin around a tie, so the side of the tie is
/// the exact one. Larger values, NaN and values within the margin of a tie
/// are left to `format!`. (Integer casts: no libm call for round and floor
/// on baseline x86-64.)
fn fixed_units(x: f64, decimals: usize) -> Option<(bool, u64)> {
    let &scale = POW10.get(decimals)?;
    let scaled = x * scale;
    let magnitude = scaled.abs();
    if magnitude.is_nan() || magnitude >= 1.0e10 {
        return None;
    }
    let truncated = magnitude as u64;
    let frac = magnitude - truncated as f64;
    if (frac - 0.5).abs() < 1e-6 {
        return None;
    }
    Some((scaled < 0.0, truncated + u64::from(frac > 0.5)))
}

/// `x` as it is written with `decimals` decimals ([`OutputDialect::num`]),
/// as a number: two values are equal after this exactly when they are
/// written alike. It never decreases as `x` grows, so values sorted by `x`
/// are sorted by what is written too.
pub fn as_written(x: f64, decimals: usize) -> f64 {
    if x.fract() == 0.0 || !x.is_finite() {
        return x;
    }
    match fixed_units(x, decimals) {
        Some((_, 0)) => 0.0,
        Some((negative, n)) => {
            let v = n as f64 / POW10[decimals];
            if negative { -v } else { v }
        }
        None => format!("{x:.decimals$}").parse().unwrap_or(x),
    }
}

/// Appends `x` with `decimals` decimals, trailing zeros trimmed, without the
/// slow exact float formatting: x·10^decimals is rounded to a whole number,
/// which gives the same digits as `format!` unless x lies within a hair of a
/// rounding tie (then it returns false, appends nothing, and `format!`
/// decides).
fn push_fixed(buf: &mut String, x: f64, decimals: usize, mark: u8) -> bool {
    // Whole numbers (maxima, many scores and counts): their digits, as
    // `format!` gives them below 2^53 (no decimals to trim; -0 is 0).
    let whole = x as i64;
    if whole as f64 == x && whole.unsigned_abs() < 1 << 53 {
        if whole < 0 {
            buf.push('-');
        }
        buf.push_str(itoa::Buffer::new().format(whole.unsigned_abs()));
        return true;
    }
    let Some((negative, mut n)) = fixed_units(x, decimals) else {
        return false;
    };
    if n == 0 {
        buf.push('0');
        return true;
    }
    let mut frac = decimals;
    while frac > 0 && n.is_multiple_of(10) {
        n /= 10;
        frac -= 1;
    }
    // The digits, then the decimal mark put in (with leading zeros).
    let mut digits = itoa::Buffer::new();
    let s = digits.format(n);
    if negative {
        buf.push('-');
    }
    if frac == 0 {
        buf.push_str(s);
    } else if s.len() > frac {
        let (whole, decimals) = s.split_at(s.len() - frac);
        buf.push_str(whole);
        buf.push(char::from(mark));
        buf.push_str(decimals);
    } else {
        buf.push('0');
        buf.push(char::from(mark));
        buf.extend(std::iter::repeat_n('0', frac - s.len()));
        buf.push_str(s);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_separator_lines() {
        assert_eq!(Delimiter::excel_line("sep=;"), Some(Ok(b';')));
        assert_eq!(Delimiter::excel_line("SEP=,\r\n"), Some(Ok(b',')));
        assert_eq!(Delimiter::excel_line("sep=\t"), Some(Ok(b'\t')));
        assert_eq!(Delimiter::excel_line(" sep=; "), Some(Ok(b';')));
        assert_eq!(Delimiter::excel_line("sep=|"), Some(Err("|".into())));
        assert_eq!(Delimiter::excel_line("sep= "), Some(Err(" ".into())));
        // As spreadsheets save the line back: the row's empty cells after
        // it (LibreOffice), or the cell quoted for the separator it holds.
        assert_eq!(Delimiter::excel_line("sep=;;;;;;;\r\n"), Some(Ok(b';')));
        assert_eq!(Delimiter::excel_line("sep=,,,"), Some(Ok(b',')));
        assert_eq!(Delimiter::excel_line("\"sep=;\""), Some(Ok(b';')));
        assert_eq!(Delimiter::excel_line("\"sep=;\";;;;"), Some(Ok(b';')));
        assert_eq!(Delimiter::excel_line("sep=;;;; \r\n"), Some(Ok(b';')));
        for not in [
            "sep",
            "sep=",
            "separator=;",
            "sep=;,",
            "kommunkod;sep=;",
            "\"sep=;\";x",
            "\"sep=;\",,,",
            "\"sep=;",
        ] {
            assert_eq!(Delimiter::excel_line(not), None, "{not}");
        }
    }

    #[test]
    fn sniffing() {
        assert_eq!(Delimiter::sniff("a;b;c"), b';');
        assert_eq!(Delimiter::sniff("a\tb\tc"), b'\t');
        assert_eq!(Delimiter::sniff("a,b,c"), b',');
        assert_eq!(Delimiter::sniff("\"a;b\",c"), b',');
        assert_eq!(Delimiter::sniff("abc"), b',');
        assert_eq!(Delimiter::ranked("a;b,c;d,e"), vec![b',', b';']);
        assert_eq!(Delimiter::ranked("a;b;c,d\te"), vec![b';', b',', b'\t']);
        assert_eq!(Delimiter::ranked("abc"), vec![b',']);
    }

    #[test]
    fn formatting() {
        let plain = OutputDialect::default();
        let excel = OutputDialect {
            excel: true,
            ..OutputDialect::default()
        };
        assert_eq!(plain.num(547.0, 6), "547");
        assert_eq!(plain.num(614.5, 6), "614.5");
        assert_eq!(plain.num(100.0 * 11.0 / 15.0, 2), "73.33");
        assert_eq!(excel.num(614.5, 6), "614,5");
        assert_eq!(plain.num(-0.0001, 2), "0");
        // The fast path agrees with format! on whole and short numbers.
        for x in [
            0.0,
            0.5,
            1.0,
            12.5,
            100.0,
            614.5,
            0.05,
            -3.25,
            1234.5678,
            7.0 / 3.0,
            1e-7,
            0.1 + 0.2,
            -0.0,
            -7.0,
            30.0,
            1e15,
            -4503599627370495.0,
            9007199254740992.0,
            1e300,
        ] {
            for d in [0, 2, 4, 6, 12] {
                let mut want = format!("{x:.d$}");
                if want.contains('.') {
                    want = want.trim_end_matches('0').trim_end_matches('.').to_string();
                }
                if want == "-0" {
                    want = "0".into();
                }
                assert_eq!(plain.num(x, d), want, "{x} with {d} decimals");
            }
        }
        // And on many scores, means and differences (a fixed LCG sequence).
        // Magnitudes up to 10^7 as well (populations, sums): at 6 decimals
        // these pass the fast path's limit and go to format!. Every third
        // is a whole number or a half (points as published).
        let mut state = 12345u64;
        for k in 0..40_000 {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            let scale = if k % 2 == 0 { 1000.0 } else { 1.0e7 };
            let mut x = ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.3) * scale;
            if k % 3 == 0 {
                x = (x * 2.0).round() / 2.0;
            }
            for d in [2, 4, 6] {
                let mut want = format!("{x:.d$}");
                want = want.trim_end_matches('0').trim_end_matches('.').to_string();
                if want == "-0" {
                    want = "0".into();
                }
                assert_eq!(plain.num(x, d), want, "{x} with {d} decimals");
                assert_eq!(excel.num(x, d), want.replace('.', ","));
            }
        }
    }

    #[test]
    fn as_written_is_equal_exactly_when_the_text_is() {
        let plain = OutputDialect::default();
        let mut state = 777u64;
        let mut xs: Vec<f64> = vec![
            51.081_81, 51.081_84, 51.081_85, -0.000_01, 0.0, 2.5, 0.000_05,
        ];
        for _ in 0..20_000 {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            // Near-ties: values a few millionths apart around a few points.
            let base = [12.0, 51.0818, 99.99995][(state >> 60) as usize % 3];
            xs.push(base + ((state >> 11) % 200) as f64 * 1e-6 - 1e-4);
        }
        for w in xs.windows(2) {
            let (a, b) = (w[0], w[1]);
            let same_text = plain.num(a, 4) == plain.num(b, 4);
            let same = as_written(a, 4) == as_written(b, 4);
            assert_eq!(same_text, same, "{a} and {b}");
            // Never decreasing.
            if a <= b {
                assert!(as_written(a, 4) <= as_written(b, 4), "{a} <= {b}");
            }
            assert_eq!(plain.num(as_written(a, 4), 4), plain.num(a, 4), "{a}");
        }
    }
}
