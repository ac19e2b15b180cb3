//! A quoted field left open in a header or a side table's record: whether
//! a record's text ends inside one, and why a header that a stray quote
//! ran over more lines swallowed the rows below it.

/// Whether `raw`, one record's text, ends inside a quoted field: one
/// opened by a quote at the start of a field and not closed (a doubled
/// quote inside it is a quote). A quote within a field is text.
pub(crate) fn quote_left_open(raw: &[u8], delimiter: u8) -> bool {
    let mut open = false;
    let mut field_start = true;
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        i += 1;
        if open {
            if b == b'"' {
                if raw.get(i) == Some(&b'"') {
                    i += 1;
                } else {
                    open = false;
                }
            }
            continue;
        }
        open = b == b'"' && field_start;
        field_start = b == delimiter || b == b'\n';
    }
    open
}

/// Why a header record that starts on line `first` (`raw`, its text as
/// read, split at `delimiter`) swallowed rows: a quoted field ran over
/// line ends holding separators (a stray `"`), the rows below read as a
/// column name and counted nowhere; to the end of the text when it never
/// closed. `None` for a header on its line, and for a name wrapped in its
/// cell (Alt+Enter in Excel: `"Kommentar\n(fritext)"`, no separator in it).
pub fn header_over_lines<'a>(
    fields: impl Iterator<Item = &'a str>,
    raw: &[u8],
    delimiter: u8,
    first: u64,
) -> Option<String> {
    let open = quote_left_open(raw, delimiter);
    // Never closed, the last field holds the file's last line end too.
    let end = |f: &'a str| {
        if open {
            f.trim_end_matches(['\r', '\n'])
        } else {
            f
        }
    };
    let over: Vec<&str> = fields.map(end).filter(|f| f.contains('\n')).collect();
    if !over.iter().any(|f| f.as_bytes().contains(&delimiter)) {
        return None;
    }
    let breaks: usize = over.iter().map(|f| f.matches('\n').count()).sum();
    let last = first + breaks as u64;
    Some(if open {
        format!(
            "a quoted field of the header is never closed (a stray '\"'): the rest of the file, \
             lines {first}-{last}, was read as its header"
        )
    } else {
        format!(
            "a quoted field of the header runs over lines {first}-{last} (a stray '\"'): the \
             rows below its first were read as a column name, and would be counted nowhere"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::quote_left_open;

    #[test]
    fn a_quote_left_open_is_told_from_quotes_that_close() {
        let open: [&[u8]; 4] = [
            b"SE;0114;\"Upplands V\xc3\xa4sby\n",
            b"SE;0114;\"Upplands\nSE;0115;Vallentuna\n",
            b"\"",
            b"SE;0114;\"a \"\"b\"\" c\n",
        ];
        for raw in open {
            assert!(
                quote_left_open(raw, b';'),
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
        let closed: [&[u8]; 5] = [
            b"SE;0114;\"Upplands V\xc3\xa4sby\"\n",
            b"SE;0114;Upplands \"V\xc3\xa4sby\n",
            b"SE;\"0114\";\"two\nlines\"\n",
            b"SE;0114;\"a \"\"b\"\"\"\n",
            b"",
        ];
        for raw in closed {
            assert!(
                !quote_left_open(raw, b';'),
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
    }
}
