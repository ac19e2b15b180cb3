//! A file's rows in pieces of whole lines, a few per core, and the line on
//! which each record starts.

use super::PARALLEL_MIN_BYTES;

/// Splits `text[body..]` into pieces of whole lines, four per core, so
/// that a core slowed by other work (the input hashes are taken meanwhile)
/// does not hold the others up; just one piece on one core, for a small
/// file or one with quotes: (start, end, line of start).
pub(super) fn chunks(text: &str, body: usize) -> Vec<(usize, usize, u32)> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let pieces = if cores < 2 { 1 } else { cores * 4 };
    split(text, body, pieces, PARALLEL_MIN_BYTES)
}

fn split(text: &str, body: usize, workers: usize, min: usize) -> Vec<(usize, usize, u32)> {
    let bytes = text.as_bytes();
    let len = bytes.len().saturating_sub(body);
    let line_of = |at: usize| 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count() as u32;
    if workers < 2 || len < min || bytes[body..].contains(&b'"') {
        return vec![(body, bytes.len(), line_of(body))];
    }
    let mut out = Vec::new();
    let mut start = body;
    let mut line = line_of(body);
    for w in 1..=workers {
        let target = (body + len * w / workers).max(start);
        let end = if w == workers {
            bytes.len()
        } else {
            bytes[target..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |p| target + p + 1)
        };
        if end > start {
            out.push((start, end, line));
            line += bytes[start..end].iter().filter(|&&b| b == b'\n').count() as u32;
        }
        start = end;
    }
    out
}

/// Line numbers by byte offset, counted from the text itself (the csv
/// crate's own line count is off for CRLF line ends). Offsets must be asked
/// for in increasing order.
pub(super) struct Lines<'t> {
    text: &'t [u8],
    offset: usize,
    line: u32,
}

impl<'t> Lines<'t> {
    /// Lines of `text`, whose first byte is on line `first`.
    pub(super) fn new(text: &'t str, first: u32) -> Self {
        Lines {
            text: text.as_bytes(),
            offset: 0,
            line: first,
        }
    }

    /// Where a record starting at `offset` really starts: the csv crate may
    /// point at the end of the previous line's CRLF, and skips blank lines.
    pub(super) fn record_start(&self, mut offset: usize) -> usize {
        while offset < self.text.len() && matches!(self.text[offset], b'\r' | b'\n') {
            offset += 1;
        }
        offset
    }

    /// The 1-based line on which the byte at `offset` stands.
    pub(super) fn line_at(&mut self, offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        if offset > self.offset {
            let newlines = self.text[self.offset..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.line = self.line.saturating_add(newlines as u32);
            self.offset = offset;
        }
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn pieces_are_whole_lines_and_know_their_line() {
        let text = "h1,h2\r\na,1\r\nb,2\r\n\r\nc,3\nd,4\ne,5";
        let body = 5; // at the header's CRLF
        for workers in 1..6 {
            let parts = split(text, body, workers, 0);
            assert_eq!(parts.first().map(|p| p.0), Some(body));
            assert_eq!(parts.last().map(|p| p.1), Some(text.len()));
            for w in parts.windows(2) {
                assert_eq!(w[0].1, w[1].0, "contiguous");
                assert_eq!(&text[w[1].0 - 1..w[1].0], "\n", "starts a line");
            }
            for &(start, _, line) in &parts {
                let by_hand = 1 + text[..start].matches('\n').count() as u32;
                assert_eq!(line, by_hand);
            }
        }
        assert_eq!(split(text, body, 2, 0).len(), 2);
        assert_eq!(
            split("h\n\"a\nb\"\nc\n", 2, 2, 0).len(),
            1,
            "quotes: one piece"
        );
        assert_eq!(split(text, body, 2, 1 << 20).len(), 1, "small: one piece");
    }
}
