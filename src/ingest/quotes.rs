//! Stray quotes: a quoted field whose closing quote is followed by more
//! text. The csv crate reads such a field on (across line ends, up to the
//! next quote) and keeps the text after it, so one stray `"` can fold the
//! rows below it into one row's field without an error; the row is
//! rejected instead (`bad-quote`), with the lines it took.

/// Where the first quoted field of the record `raw` closes with text after
/// its closing quote: (the field's index, the byte offset of that quote in
/// `raw`). `None` for a well-formed record. A quote inside an unquoted
/// field (`Upplands "Väsby"`) is kept as text, as the csv crate does, and
/// is not an error.
pub(super) fn stray_quote(raw: &[u8], delimiter: u8) -> Option<(usize, usize)> {
    let mut field = 0;
    let mut at_start = true;
    let mut quoted = false;
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if quoted {
            if b == b'"' {
                if raw.get(i + 1) == Some(&b'"') {
                    i += 2;
                    continue;
                }
                quoted = false;
                match raw.get(i + 1) {
                    None => {}
                    Some(&next) if next == delimiter || next == b'\r' || next == b'\n' => {}
                    Some(_) => return Some((field, i)),
                }
            }
        } else if b == delimiter {
            field += 1;
            at_start = true;
            i += 1;
            continue;
        } else if b == b'"' && at_start {
            quoted = true;
        }
        at_start = false;
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::stray_quote;

    #[test]
    fn stray_quotes_are_found_and_well_formed_records_pass() {
        let ok: [&[u8]; 6] = [
            b"SE,0114,Upplands V\xc3\xa4sby,2012",
            b"SE,0114,\"Upplands V\xc3\xa4sby\",2012",
            b"SE,0114,\"a \"\"b\"\" c\",2012\r\n",
            b"SE,0114,\"two\nlines\",2012\n",
            b"SE,0114,Upplands \"V\xc3\xa4sby\",2012",
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
        assert_eq!(stray_quote(raw, b','), closing.map(|at| (2, at)));
        assert_eq!(stray_quote(b"a;\"b\"c;d", b';'), Some((1, 4)));
    }
}
