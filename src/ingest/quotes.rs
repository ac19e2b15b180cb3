//! Stray quotes: a quoted field that runs over a line end and then either
//! closes with text after its closing quote or never closes. The csv crate
//! reads such a field on (across line ends, up to the next quote or the end
//! of the file) without an error, so one stray `"` can fold the rows below
//! it into one row's field; the row is rejected instead (`bad-quote`), with
//! the lines it took.

/// What is wrong with a record's quoting ([`stray_quote`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stray {
    /// A quoted field `field` ran over a line end and its closing quote, at
    /// byte `at` of the record, has text after it.
    TextAfterClose { field: usize, at: usize },
    /// A quoted field `field`, opened at byte `at`, ran over a line end and
    /// was never closed (the record runs to the end of the text).
    Unclosed { field: usize, at: usize },
}

/// The first stray quote of the record `raw` (its bytes, line ends
/// included), if any. Quoting that stays on one line is left as the csv
/// crate reads it, as before: a quote inside an unquoted field (`Upplands
/// "Väsby"`) is text, and so is text after a closing quote on the same
/// line (`"Upplands" Väsby`); a quoted field over several lines that
/// closes where the field ends (a name on two lines) is well-formed. Jumps
/// from quote to delimiter to line end with `memchr3`: a file whose every
/// field is quoted is read as one piece, and every row of it is scanned.
pub(super) fn stray_quote(raw: &[u8], delimiter: u8) -> Option<Stray> {
    let mut field = 0;
    let mut field_start = 0;
    // The open quoted field: where it opened, and whether it ran over a
    // line end.
    let mut open: Option<(usize, bool)> = None;
    let mut i = 0;
    while let Some(k) = memchr::memchr3(b'"', delimiter, b'\n', &raw[i..]) {
        let at = i + k;
        let b = raw[at];
        i = at + 1;
        match open {
            Some((opened, spans)) => {
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
                    if !ends && (spans || memchr::memchr(b'\r', &raw[opened..at]).is_some()) {
                        return Some(Stray::TextAfterClose { field, at });
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
    // Never closed: a stray quote when a line end inside it has more text
    // after it (the record's own line end does not count).
    let (at, _) = open?;
    let body = &raw[at..];
    let end = body.len()
        - body
            .iter()
            .rev()
            .take_while(|&&b| matches!(b, b'\r' | b'\n'))
            .count();
    memchr::memchr2(b'\n', b'\r', &body[..end]).map(|_| Stray::Unclosed { field, at })
}

#[cfg(test)]
mod tests {
    use super::{Stray, stray_quote};

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
            (b"SE,0114,\"open at the end", b',', None),
            (b"SE,0114,\"open at the end\r\n", b',', None),
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
}
