//! Reading input text: an export's bytes decoded to UTF-8 (with or without a
//! BOM, or Windows-1252), with its letters composed, and the BOM stripped
//! from any text kompass reads.

use std::path::Path;

use crate::error::{Error, Result};
use crate::io::dialect::Encoding;

mod charset;
pub use charset::byte_not_utf8;
use charset::decode_bytes;

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// `bytes` without a leading UTF-8 BOM.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// An input file's text, decoded to UTF-8 without its BOM.
pub struct Decoded {
    /// Changed only through [`Decoded::text_to_change`], which hashes the
    /// bytes read first while they are the text.
    text: String,
    /// `UTF-8`, `UTF-8 with BOM` or `windows-1252`.
    pub encoding: &'static str,
    /// The bytes read, for [`Decoded::read`].
    read: Read,
}

/// What is known of the bytes read: their size and BLAKE3, or that the
/// text is those bytes (after the BOM, if they had one).
enum Read {
    Hashed(u64, String),
    AsText { bom: bool },
}

impl Decoded {
    /// The text, decoded and mended.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text, for a caller that keeps it (a side table).
    pub fn into_text(self) -> String {
        self.text
    }

    /// The text's memory, to read the next file into.
    pub fn into_buffer(self) -> Vec<u8> {
        self.text.into_bytes()
    }

    /// The size and BLAKE3 of the bytes read: what the manifest records
    /// of a file is what was read of it, even when it changed while it was
    /// read or hashed. When the text is those bytes (UTF-8 as it was read,
    /// the BOM aside: nearly every export) they are hashed from the text
    /// here, which the ingest does beside its parsing (120 MB took 0.08 s
    /// on one core while the other waited); otherwise (a text re-encoded
    /// or mended) they were hashed as read.
    pub fn read(&self) -> (u64, String) {
        match &self.read {
            Read::Hashed(len, hex) => (*len, hex.clone()),
            Read::AsText { bom } => {
                let mut hasher = blake3::Hasher::new();
                let bom = if *bom { BOM } else { b"" };
                hasher.update(bom);
                hasher.update(self.text.as_bytes());
                let len = (bom.len() + self.text.len()) as u64;
                (len, hasher.finalize().to_hex().to_string())
            }
        }
    }

    /// The text, to be changed: the bytes read are hashed first if they
    /// were the text.
    fn text_to_change(&mut self) -> &mut String {
        if matches!(self.read, Read::AsText { .. }) {
            let (len, hex) = self.read();
            self.read = Read::Hashed(len, hex);
        }
        &mut self.text
    }
}

/// Reads and decodes an input file. With [`Encoding::Auto`]: a UTF-8 BOM or
/// valid UTF-8 means UTF-8, anything else is read as Windows-1252 (the
/// encoding of Swedish Excel's "CSV (semikolonavgränsad)").
pub fn read_text(path: &Path, encoding: Encoding) -> Result<Decoded> {
    read_text_into(path, encoding, Vec::new())
}

/// [`read_text`] into `buffer`'s memory (its bytes are discarded): with
/// the buffer of the file before ([`Decoded::into_buffer`]), one file after
/// another is read into memory already in use instead of fresh pages (at
/// 1,000,000 evaluations ten files of 125 MB, whose fresh pages cost the
/// system more than the copy).
pub fn read_text_into(path: &Path, encoding: Encoding, mut buffer: Vec<u8>) -> Result<Decoded> {
    use std::io::Read;
    buffer.clear();
    // A pipe, a device or a socket found in an input folder: not opened (a
    // pipe would wait for a writer), and not an export; nor a folder named
    // like one (`2019.csv/`), whose files are not read.
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        let msg = match meta.is_dir() {
            true => {
                "a folder named like a file, whose files are not read: name it as its parent folder was named"
            }
            false => "not a regular file (a pipe, a device or a socket)",
        };
        return Err(Error::NotExport {
            path: path.to_path_buf(),
            msg: msg.into(),
        });
    }
    let mut file = super::open_file(path)?;
    if let Ok(size) = file
        .metadata()
        .map(|m| usize::try_from(m.len()).unwrap_or(usize::MAX))
    {
        // Room for the file, as std::fs::read makes it; a buffer more than
        // twice that (a larger file before, or a decoded text that grew) is
        // cut down, so that it does not hold that memory through the rest.
        if buffer.capacity() / 2 > size {
            buffer.shrink_to(size);
        }
        // The start first: a file without a line end in it is no CSV
        // export, however large, and is not read whole (2 GB of one line
        // took 6.5 GB of memory and ended in an abort).
        let _ = buffer.try_reserve_exact(size.min(FIRST_LINE_LIMIT as usize));
        (&mut file)
            .take(FIRST_LINE_LIMIT)
            .read_to_end(&mut buffer)
            .map_err(|e| Error::io(path, e))?;
        if buffer.len() as u64 == FIRST_LINE_LIMIT
            && memchr::memchr2(b'\n', b'\r', &buffer).is_none()
        {
            if let Some(what) = not_text(&buffer) {
                return Err(Error::input(path, what));
            }
            return Err(Error::NotExport {
                path: path.to_path_buf(),
                msg: "no line end in its first 16 MiB: not a CSV export (is this a binary file?)"
                    .into(),
            });
        }
        buffer
            .try_reserve_exact(size.saturating_sub(buffer.len()))
            .map_err(|e| {
                Error::io(
                    path,
                    std::io::Error::new(std::io::ErrorKind::OutOfMemory, e),
                )
            })?;
    }
    file.read_to_end(&mut buffer)
        .map_err(|e| Error::io(path, e))?;
    let bytes = buffer;
    if let Some(what) = not_text(&bytes) {
        return Err(Error::input(path, what));
    }
    if binary(&bytes) {
        // Not "mixes two encodings", which its random bytes would be taken
        // for: skipped in a folder, as a file without a header is.
        return Err(Error::NotExport {
            path: path.to_path_buf(),
            msg: "control characters in more than 1 in 20 of its first bytes: a binary file, \
                  not CSV text"
                .into(),
        });
    }
    decode(path, bytes, encoding)
}

/// The most a file is read before a line end must have come ([`read_text_into`]).
const FIRST_LINE_LIMIT: u64 = 16 << 20;

/// Whether the start of `bytes` (64 KiB) is more than 1 in 20 control
/// characters besides tab, line ends and form feed: random or binary bytes
/// (about 1 in 8), not a text with a stray NUL in a field.
fn binary(bytes: &[u8]) -> bool {
    let start = &bytes[..bytes.len().min(1 << 16)];
    let control = (start.iter())
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    control * 20 > start.len()
}

/// What a file is when it is plainly not CSV text, with what to do.
fn not_text(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"PK\x03\x04") {
        Some(
            "this looks like an Excel workbook (.xlsx) or another zip file, not CSV: in Excel, \
             save it as \"CSV UTF-8\" or \"CSV (semikolonavgränsad)\"",
        )
    } else if bytes.starts_with(b"PAR1") {
        Some(
            "this is an Apache Parquet file (as `--format parquet` writes the row-level \
             tables), not CSV: give a run's evaluations.csv (`--format csv`), or the export",
        )
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        Some(
            "this looks like an old Excel workbook (.xls), not CSV: in Excel, save it as \
             \"CSV UTF-8\" or \"CSV (semikolonavgränsad)\"",
        )
    } else if bytes.starts_with(b"\xFF\xFE\0\0")
        || bytes.starts_with(b"\0\0\xFE\xFF")
        // Without a byte order mark: a letter and three zero bytes, or the
        // other way round, as UTF-32 writes an ASCII header.
        || matches!(bytes, [a, 0, 0, 0, ..] | [0, 0, 0, a, ..] if a.is_ascii_graphic())
    {
        Some(
            "UTF-32 text, which kompass does not read: save it as UTF-8 CSV (in Excel: \
             \"CSV UTF-8\")",
        )
    } else if bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF")
        // Without a byte order mark: a letter and a zero byte, or the
        // other way round, as UTF-16 writes an ASCII header.
        || matches!(bytes, [a, 0, b, 0, ..] | [0, a, 0, b, ..] if a.is_ascii_graphic() && b.is_ascii_graphic())
    {
        Some(
            "UTF-16 text (as Excel's \"Unicode text\" saves it), which kompass does not read: \
             save it as UTF-8 CSV (in Excel: \"CSV UTF-8\")",
        )
    } else {
        None
    }
}

/// A side table's bytes (a register, published averages) decoded as an
/// export's are with `--encoding auto`: UTF-8 with or without a BOM, else
/// Windows-1252. A workbook or UTF-16 file, or a BOM before bytes that are
/// not UTF-8, is a configuration error (exit 2).
pub fn decode_table(path: &Path, bytes: Vec<u8>) -> Result<Decoded> {
    if let Some(what) = not_text(&bytes) {
        return Err(Error::config(path, what));
    }
    decode(path, bytes, Encoding::Auto).map_err(|e| match e {
        Error::Input { path, at, msg } => Error::Config { path, at, msg },
        other => other,
    })
}

fn decode(path: &Path, bytes: Vec<u8>, encoding: Encoding) -> Result<Decoded> {
    let mut d = decode_bytes(path, bytes, encoding)?;
    lone_cr_to_lf(&mut d);
    composed(&mut d);
    Ok(d)
}

/// Letters written decomposed (`a` and a combining ring for `å`, as some
/// macOS tools save text) composed (Unicode NFC), so that a header `år`,
/// a scale `äldre` and a name `Österåker` match however they were typed.
/// A text without a combining mark (U+0300 to U+036F: bytes 0xCC, 0xCD
/// in UTF-8) is left as it is, found with one fast search.
fn composed(d: &mut Decoded) {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    if memchr::memchr2(0xCC, 0xCD, d.text.as_bytes()).is_none()
        || is_nfc_quick(d.text.chars()) == IsNormalized::Yes
    {
        return;
    }
    let text = d.text_to_change();
    *text = text.nfc().collect();
}

/// A carriage return not followed by a line feed (old Mac line ends, or a
/// stray one) ends a record for the CSV reader; made a line feed, so that
/// the line numbers kompass reports count it as a line end too, as editors
/// do, and no two records share a line number.
fn lone_cr_to_lf(d: &mut Decoded) {
    let b = d.text.as_bytes();
    // Most files have no carriage return at all (a fast search says so).
    if !b.contains(&b'\r') {
        return;
    }
    let lone = |i: usize| b[i] == b'\r' && b.get(i + 1) != Some(&b'\n');
    if !(0..b.len()).any(lone) {
        return;
    }
    let text = d.text_to_change();
    let fixed: String = text
        .char_indices()
        .map(|(i, c)| {
            if c == '\r' && text.as_bytes().get(i + 1) != Some(&b'\n') {
                '\n'
            } else {
                c
            }
        })
        .collect();
    *text = fixed;
}
#[cfg(test)]
mod tests {
    use super::*;

    /// A file read into the memory of a longer one before has its own
    /// bytes only, BOM stripped, in the same memory; a buffer more than
    /// twice a file's size is cut down first.
    #[test]
    fn reading_into_a_used_buffer() {
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str| dir.path().join(name);
        std::fs::write(path("long.csv"), "a,b\n1,2\n3,4\n5,6\n".repeat(100)).unwrap();
        let medium = [
            b"\xEF\xBB\xBF".as_slice(),
            "x;y\r\n7;8\n".repeat(100).as_bytes(),
        ]
        .concat();
        std::fs::write(path("medium.csv"), medium).unwrap();
        std::fs::write(path("short.csv"), "p,q\n9,9\n").unwrap();
        let first = read_text_into(&path("long.csv"), Encoding::Auto, Vec::new()).unwrap();
        assert_eq!(first.text.len(), 1600);
        let buffer = first.into_buffer();
        let at = buffer.as_ptr();
        let second = read_text_into(&path("medium.csv"), Encoding::Auto, buffer).unwrap();
        assert_eq!(second.encoding, "UTF-8 with BOM");
        assert_eq!(second.text, "x;y\r\n7;8\n".repeat(100));
        let buffer = second.into_buffer();
        assert_eq!(buffer.as_ptr(), at);
        let third = read_text_into(&path("short.csv"), Encoding::Auto, buffer).unwrap();
        assert_eq!(third.text, "p,q\n9,9\n");
        assert!(third.into_buffer().capacity() < 100);
    }

    #[test]
    fn decoding() {
        let p = Path::new("x.csv");
        let d = decode(p, b"\xEF\xBB\xBFa\xC3\xA5".to_vec(), Encoding::Auto).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("aå", "UTF-8 with BOM"));
        let d = decode(p, b"po\xE4ng".to_vec(), Encoding::Auto).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("poäng", "windows-1252"));
        assert!(decode(p, b"po\xE4ng".to_vec(), Encoding::Utf8).is_err());
        let d = decode(p, b"a\r\nb\rc\r".to_vec(), Encoding::Auto).unwrap();
        assert_eq!(d.text, "a\r\nb\nc\n");
    }
}
