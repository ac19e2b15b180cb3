//! Stray quotes: a quoted field that never closes, or that runs over a
//! line end and closes with text after its closing quote. The csv crate
//! reads such a field on (across line ends, up to the next quote or the end
//! of the file) without an error, so one stray `"` can fold the rows below
//! it into one row's field; the row is rejected instead (`bad-quote`), with
//! the lines it took. A quoted field over a line end that closes where its
//! field ends is well-formed, and read; the row is named (`multi-line`).
//! On one line, text after a closing quote is text (`"Upplands" Väsby`),
//! but not in a field a score or a key is read from: `"7"9,5` would be
//! read as 79,5.

mod header;

pub use header::header_over_lines;
pub(crate) use header::quote_left_open;

/// What is wrong with a record's quoting ([`of_row`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stray {
    /// A quoted field `field` ran over a line end and its closing quote, at
    /// byte `at` of the record, has text after it.
    TextAfterClose { field: usize, at: usize },
    /// A quoted field `field`, opened at byte `at`, was never closed: the
    /// record runs to the end of the text, over the lines after it or, on
    /// the last line, over the rest of its own.
    Unclosed { field: usize, at: usize },
    /// A quoted field `field` ran over a line end and closed, at byte `at`,
    /// where its field ends, but holds as many separators as a whole row
    /// has ([`swallows_a_row`]): two stray quotes, lines apart.
    RowInside { field: usize, at: usize },
    /// A quoted key or score field `field` has text after its closing
    /// quote on the same line (`"7"9,5`, read as `79,5`): the field runs
    /// from byte `start` to byte `end` of the record.
    Joined {
        field: usize,
        start: usize,
        end: usize,
    },
}

impl Stray {
    /// The field with the stray quote.
    pub(crate) fn field(self) -> usize {
        match self {
            Stray::TextAfterClose { field, .. }
            | Stray::Unclosed { field, .. }
            | Stray::RowInside { field, .. }
            | Stray::Joined { field, .. } => field,
        }
    }

    /// What is wrong, in words, for the row at `line`: `to` is the line of
    /// the closing quote, or the record's last line (a row over several
    /// lines is named so); `read` the field as read.
    pub(crate) fn message(self, line: u32, to: u32, read: &str) -> String {
        let what = match self {
            Stray::TextAfterClose { .. } => format!(
                "a quoted field has text after its closing quote on line {to} (a stray '\"')"
            ),
            Stray::Unclosed { .. } => "a quoted field is never closed (a stray '\"')".to_string(),
            Stray::RowInside { .. } => format!(
                "a quoted field closed on line {to} holds a whole row (stray '\"' at both ends)"
            ),
            Stray::Joined { .. } => format!(
                "a quoted key or score field has text after its closing quote (a stray '\"'): \
                 it would be read as '{read}'"
            ),
        };
        if to > line {
            format!("{what}: lines {line}-{to} were read as this one row; rejected")
        } else if let Stray::Joined { .. } = self {
            format!("{what}; rejected")
        } else {
            format!("{what}: the rest of the line was read as its field; rejected")
        }
    }
}

/// How a record's quoting spans its lines ([`scan`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quoting {
    /// No quoted field runs over a line end.
    OneLine,
    /// The first quoted field to run over a line end, `field`, closes
    /// where its field ends, at byte `close` of the record: well-formed
    /// (a name on two lines), but so is one quote too many that took the
    /// next row into a field, so the row is named (`multi-line`).
    Spans {
        field: usize,
        open: usize,
        close: usize,
    },
    /// A stray quote: the row is rejected (`bad-quote`).
    Stray(Stray),
}

/// How the record `raw` (its bytes, line ends included) is quoted: the
/// first stray quote, if any, else the first well-formed quoted field
/// over a line end. Quoting that stays on one line is left as the csv
/// crate reads it, as before: a quote inside an unquoted field (`Upplands
/// "Väsby"`) is text, and so is text after a closing quote on the same
/// line (`"Upplands" Väsby`). Jumps from quote to delimiter to line end
/// with `memchr3`: a file whose every field is quoted is read as one
/// piece, and every row of it is scanned.
#[cfg(test)]
fn quoting(raw: &[u8], delimiter: u8) -> Quoting {
    scan(raw, delimiter, |_, _| false, |_| false).0
}

/// How a record's quoting spans its lines, and the first field with text after its closing quote on
/// the same line for which `strict(field, text)` holds, as a stray quote
/// ([`Stray::Joined`]). The field ends at the first separator or line end
/// after its closing quote: the csv reader takes a quote after it as text.
/// Each quoted field over a line end whose text from its opening quote
/// to its closing one `swallows` is a stray quote ([`Stray::RowInside`]),
/// not only the first: a name on two lines before it hid it.
fn scan(
    raw: &[u8],
    delimiter: u8,
    strict: impl Fn(usize, &[u8]) -> bool,
    swallows: impl Fn(&[u8]) -> bool,
) -> (Quoting, Option<Stray>) {
    let mut field = 0;
    let mut field_start = 0;
    // The open quoted field: where it opened, and whether it ran over a
    // line end.
    let mut open: Option<(usize, bool)> = None;
    let mut spans = None;
    let mut joined: Option<Stray> = None;
    let mut i = 0;
    while let Some(k) = memchr::memchr3(b'"', delimiter, b'\n', &raw[i..]) {
        let at = i + k;
        let b = raw[at];
        i = at + 1;
        match open {
            Some((opened, over)) => {
                if b == b'\n' {
                    open = Some((opened, true));
                } else if b == b'"' {
                    if raw.get(at + 1) == Some(&b'"') {
                        i = at + 2;
                        continue;
                    }
                    open = None;
                    let ends = match raw.get(at + 1) {
                        None => true,
                        Some(&next) => next == delimiter || next == b'\r' || next == b'\n',
                    };
                    // A lone carriage return ends a line too (old Mac
                    // files); looked for only here, where it matters.
                    if !ends && (over || memchr::memchr(b'\r', &raw[opened..at]).is_some()) {
                        return (Quoting::Stray(Stray::TextAfterClose { field, at }), None);
                    }
                    if !ends && joined.is_none() {
                        let rest = &raw[at + 1..];
                        let len = memchr::memchr3(delimiter, b'\r', b'\n', rest);
                        let len = len.unwrap_or(rest.len());
                        if strict(field, &rest[..len]) {
                            let end = at + 1 + len;
                            let start = field_start;
                            joined = Some(Stray::Joined { field, start, end });
                            // After the closing quote a quote is text.
                            i = end;
                        }
                    }
                    if over && swallows(&raw[opened..at]) {
                        return (Quoting::Stray(Stray::RowInside { field, at }), None);
                    }
                    if over && spans.is_none() {
                        spans = Some(Quoting::Spans {
                            field,
                            open: opened,
                            close: at,
                        });
                    }
                }
            }
            None => {
                if b == delimiter {
                    field += 1;
                    field_start = at + 1;
                } else if b == b'"' && at == field_start {
                    open = Some((at, false));
                }
            }
        }
    }
    // Never closed: a stray quote, whether it took the lines after it or,
    // on the file's last line, only the rest of its own line (the csv
    // reader reads it to the end of the text without an error).
    if let Some((at, _)) = open {
        return (Quoting::Stray(Stray::Unclosed { field, at }), None);
    }
    (spans.unwrap_or(Quoting::OneLine), joined)
}

/// How the quoting of a row of a `width`-column file spans its lines, a field that swallowed
/// a row ([`swallows_a_row`]) a stray quote, and so, after that, is text
/// after a closing quote on one line in a field for which `strict(field)`
/// holds (a key or a score), but for white space.
pub(crate) fn of_row(
    raw: &[u8],
    delimiter: u8,
    width: usize,
    strict: impl Fn(usize) -> bool,
) -> Quoting {
    let text = |rest: &[u8]| !std::str::from_utf8(rest).is_ok_and(|t| t.trim().is_empty());
    let strict = |field, rest: &[u8]| strict(field) && text(rest);
    let swallows = |inside: &[u8]| swallows_a_row(inside, delimiter, width);
    match scan(raw, delimiter, strict, swallows) {
        (Quoting::Stray(stray), _) => Quoting::Stray(stray),
        (q, joined) => joined.map_or(q, Quoting::Stray),
    }
}

/// Whether the text of a quoted field over a line end, `inside` (between
/// its quotes), holds a whole row of a `width`-column file: as many
/// separators as a row has. A name on two lines has none or a few; a
/// quote too many that opened a field and another that closed it lines
/// later hold every row between them.
fn swallows_a_row(inside: &[u8], delimiter: u8, width: usize) -> bool {
    width >= 2 && memchr::memchr_iter(delimiter, inside).count() + 1 >= width
}

/// The first stray quote of the record `raw`, if any ([`quoting`]).
#[cfg(test)]
fn stray_quote(raw: &[u8], delimiter: u8) -> Option<Stray> {
    match quoting(raw, delimiter) {
        Quoting::Stray(stray) => Some(stray),
        _ => None,
    }
}

/// Whether field `index` of row `raw` (its text, fields separated by
/// `delimiter`) is in quotes, its fields counted as the csv reader counts
/// them (whose records no longer say it): a quote opens a field only as its
/// first byte, a doubled quote inside is one quote, and any other quote is
/// text (`Upp"lands`, or ` "b` with a space before it).
pub(crate) fn opens_quoted(raw: &[u8], delimiter: u8, index: usize) -> bool {
    let (mut field, mut start, mut inside) = (0, true, false);
    let mut bytes = raw.iter().peekable();
    while let Some(&b) = bytes.next() {
        if inside {
            if b == b'"' && bytes.next_if_eq(&&b'"').is_none() {
                inside = false;
            }
            continue;
        }
        if start && field == index {
            return b == b'"';
        }
        if b == delimiter {
            field += 1;
            start = true;
        } else {
            inside = start && b == b'"';
            start = false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::{Quoting, Stray, opens_quoted, quoting, stray_quote};

    #[test]
    fn a_well_formed_field_over_a_line_end_is_told_apart() {
        assert_eq!(
            quoting(b"SE,0114,\"Upplands V\xc3\xa4sby\",2012\n", b','),
            Quoting::OneLine
        );
        let raw = b"SE,0114,\"two\nlines\",2012,\"and\nmore\"\n";
        assert_eq!(
            quoting(raw, b','),
            Quoting::Spans {
                field: 2,
                open: 8,
                close: 18
            }
        );
        assert_eq!(raw[18], b'"');
    }

    #[test]
    fn a_field_holding_a_whole_row_is_a_stray_quote() {
        use super::of_row;
        let name = b"SE,0114,\"Upplands\nV\xc3\xa4sby\",2012,new\n";
        assert!(matches!(
            of_row(name, b',', 5, |_| true),
            Quoting::Spans { .. }
        ));
        let swallowed = b"SE,0114,\"Upplands,2012,new\nSE,0115,Vallentuna\",2012,new\n";
        assert_eq!(
            of_row(swallowed, b',', 5, |_| true),
            Quoting::Stray(Stray::RowInside { field: 2, at: 45 })
        );
        assert_eq!(swallowed[45], b'"');
        // The same record in a file of more columns holds no whole row.
        assert!(matches!(
            of_row(swallowed, b',', 7, |_| true),
            Quoting::Spans { .. }
        ));
    }

    #[test]
    fn text_after_a_closing_quote_is_a_stray_quote_in_a_strict_field() {
        use super::of_row;
        // Field 2 a name (not strict), field 3 a score.
        let strict = |f: usize| f != 2;
        let raw = b"SE;0114;\"Upplands\" V\xc3\xa4sby;\"7\"9,5;x\r\n";
        let want = Stray::Joined {
            field: 3,
            start: 26,
            end: 32,
        };
        assert_eq!(of_row(raw, b';', 5, strict), Quoting::Stray(want));
        assert_eq!(&raw[26..32], b"\"7\"9,5");
        // The last field, up to the line end; spaces after the quote
        // are no text; a name may have text after its quote.
        let last = b"SE;0114;x;\"7\"9\r\n";
        let got = of_row(last, b';', 4, strict);
        let want = Stray::Joined {
            field: 3,
            start: 10,
            end: 14,
        };
        assert_eq!(got, Quoting::Stray(want));
        let fine: [&[u8]; 3] = [
            b"SE;0114;x;\"79\" ;y",
            b"SE;0114;x;\"79\"\xc2\xa0;y",
            b"SE;0114;\"a\"b;79;y",
        ];
        for raw in fine {
            assert_eq!(of_row(raw, b';', 5, strict), Quoting::OneLine);
        }
        // A lone quote in an earlier unquoted field is text (the review's
        // case: the field was found by counting quotes, and ran on); after
        // a closing quote, a quote is text too: the field ends at the next
        // separator.
        let cases: [(&[u8], usize, usize); 2] = [
            (b"SE;0114;\xc3\x96 12\" tv;\"7\"9;x\n", 18, 22),
            (b"SE;0114;x;\"7\"9\"5;100", 10, 16),
        ];
        for (raw, start, end) in cases {
            let got = of_row(raw, b';', 5, strict);
            let field = 3;
            assert_eq!(got, Quoting::Stray(Stray::Joined { field, start, end }));
        }
        // A field that swallowed a row is named as such first, with the
        // lines it took.
        let raw = b"SE;0114;\"1\"x;\"7\nSE;0114;2;7;y\nSE;0114;3;7\";y";
        let got = of_row(raw, b';', 5, |f| f != 0);
        assert!(matches!(
            got,
            Quoting::Stray(Stray::RowInside { field: 3, .. })
        ));
    }

    #[test]
    fn stray_quotes_are_found_and_well_formed_records_pass() {
        let ok: [&[u8]; 8] = [
            b"SE,0114,Upplands V\xc3\xa4sby,2012",
            b"SE,0114,\"Upplands V\xc3\xa4sby\",2012",
            b"SE,0114,\"a \"\"b\"\" c\",2012\r\n",
            b"SE,0114,\"two\nlines\",2012\n",
            b"SE,0114,Upplands \"V\xc3\xa4sby\",2012",
            b"SE,0114,\"Upplands\" V\xc3\xa4sby,2012\n",
            b"SE,0114,\"Upplands V\xc3\xa4sby\" ,2012\n",
            b"\"\"",
        ];
        for raw in ok {
            assert_eq!(
                stray_quote(raw, b','),
                None,
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
        // The audit's case: a quote opened on one line closes inside a
        // later row's name, with text after it.
        let raw = b"SE,0114,\"Upplands V\xc3\xa4sby,2012,new,2\nSE,0114,Upplands \"V\xc3\xa4sby\",2012,new,5";
        let closing = raw.windows(2).position(|w| w == b"\"V");
        assert_eq!(
            stray_quote(raw, b','),
            closing.map(|at| Stray::TextAfterClose { field: 2, at })
        );
        let cases: [(&[u8], u8, Option<Stray>); 6] = [
            (
                b"a;\"b\nc\"d;e",
                b';',
                Some(Stray::TextAfterClose { field: 1, at: 6 }),
            ),
            // Opened in the last field and never closed: to the end.
            (
                b"SE,0114,2012,\"se not\nSE,0114,2012,x\n",
                b',',
                Some(Stray::Unclosed { field: 3, at: 13 }),
            ),
            // On the last line: never closed all the same.
            (
                b"SE,0114,\"open at the end",
                b',',
                Some(Stray::Unclosed { field: 2, at: 8 }),
            ),
            (
                b"SE,0114,\"open at the end\r\n",
                b',',
                Some(Stray::Unclosed { field: 2, at: 8 }),
            ),
            // Lone carriage returns end lines too.
            (
                b"a,\"b\rc\"d,e",
                b',',
                Some(Stray::TextAfterClose { field: 1, at: 6 }),
            ),
            (b"a,\"b\rc", b',', Some(Stray::Unclosed { field: 1, at: 2 })),
        ];
        for (raw, delimiter, want) in cases {
            assert_eq!(
                stray_quote(raw, delimiter),
                want,
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
    }

    /// By hand: the fields of `a, "b,c" ,d` are `a`, ` "b,c" ` and `d`.
    #[test]
    fn a_field_in_quotes_is_told_by_its_text() {
        let opens = |raw: &[u8], n| {
            (0..n)
                .map(|i| opens_quoted(raw, b',', i))
                .collect::<Vec<_>>()
        };
        assert_eq!(opens(br#"a,"b,c",d"#, 4), [false, true, false, false]);
        // A quote inside a field, or after a space, is text, as the csv
        // reader has it: the fields after it are counted all the same.
        let raw = br#"SE,Upp"lands,"12","5""#;
        assert_eq!(opens(raw, 4), [false, false, true, true]);
        assert_eq!(opens(br#"a, "b,c" ,d"#, 4), [false, false, false, false]);
        // A doubled quote inside quotes is one quote, not the end.
        assert_eq!(opens(br#""a"",b",c,"d""#, 3), [true, false, true]);
        // The csv reader's fields, for comparison.
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&raw[..]);
        let rec = rdr
            .records()
            .next()
            .and_then(Result::ok)
            .unwrap_or_default();
        assert_eq!(
            rec.iter().collect::<Vec<_>>(),
            ["SE", "Upp\"lands", "12", "5"]
        );
    }
}
