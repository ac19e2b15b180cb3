//! A file's rows in pieces of whole lines, a few per core, and the line on
//! which each record starts.

use rayon::prelude::*;

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
    let first = 1 + newlines(&bytes[..body]);
    let whole = vec![(body, bytes.len(), first)];
    if workers < 2 || len < min {
        return whole;
    }
    // The pieces' ends: the line end after each worker's share.
    let mut pieces = Vec::with_capacity(workers);
    let mut start = body;
    for w in 1..=workers {
        let target = (body + len * w / workers).max(start);
        let end = if w == workers {
            bytes.len()
        } else {
            memchr::memchr(b'\n', &bytes[target..]).map_or(bytes.len(), |p| target + p + 1)
        };
        if end > start {
            pieces.push((start, end));
        }
        start = end;
    }
    // Each piece's line ends and whether it has a quote, on all cores (one
    // core took 40 ms for this at 120 MB while the other waited).
    let scanned: Vec<(u32, bool)> = pieces
        .par_iter()
        .map(|&(s, e)| {
            let piece = &bytes[s..e];
            (newlines(piece), memchr::memchr(b'"', piece).is_some())
        })
        .collect();
    if scanned.iter().any(|&(_, quote)| quote) {
        return whole;
    }
    let mut line = first;
    pieces
        .into_iter()
        .zip(scanned)
        .map(|((s, e), (n, _))| {
            let at = (s, e, line);
            line = line.saturating_add(n);
            at
        })
        .collect()
}

/// The number of line ends in `bytes`.
fn newlines(bytes: &[u8]) -> u32 {
    u32::try_from(memchr::memchr_iter(b'\n', bytes).count()).unwrap_or(u32::MAX)
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
            self.line = self
                .line
                .saturating_add(newlines(&self.text[self.offset..offset]));
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
        let late_quote = "h\na,1\nb,2\nc,3\nd,4\ne,\"5\n6\"\n";
        assert_eq!(
            split(late_quote, 2, 4, 0),
            vec![(2, late_quote.len(), 2)],
            "a quote in the last piece: one piece"
        );
        assert_eq!(split(text, body, 2, 1 << 20).len(), 1, "small: one piece");
    }
}
