//! Which encoding an input's bytes are in (UTF-8, with or without a BOM,
//! or Windows-1252, as `--encoding` asks and the bytes allow), and the
//! errors that name the byte and line where they are neither.

use std::path::Path;

use super::{BOM, Decoded, Read, strip_bom};
use crate::error::{Error, Result};
use crate::io::dialect::Encoding;

/// `bytes` read as Windows-1252 after any BOM (decoded, the mark would be
/// three letters glued to the first column's name, which then goes
/// unread: a `country` column lost makes every row Swedish); the hash is
/// of all the bytes.
fn cp1252(bytes: &[u8]) -> Decoded {
    Decoded {
        text: encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(strip_bom(bytes))
            .0
            .into_owned(),
        encoding: "windows-1252",
        read: Read::Hashed(bytes.len() as u64, crate::io::manifest::hash_hex(bytes)),
    }
}

/// `bytes` read as Windows-1252, as `--encoding windows-1252` asks, but
/// where they say UTF-8: a BOM says so, and so do the file's letters
/// unless a tool put the mark before Windows-1252 text (bytes that are not
/// UTF-8, and no UTF-8 letter among them); without a BOM, bytes that are
/// UTF-8 throughout with a UTF-8 letter (read so, `Näcken` would be
/// `NÃ¤cken`), or that mix UTF-8 letters with bytes that are not UTF-8
/// (either reading garbles one part, as under `auto`).
fn as_windows_1252(path: &Path, bytes: &[u8]) -> Result<Decoded> {
    // The letters looked for only where they decide.
    let letter = || utf8_letter(bytes);
    match (bytes.starts_with(BOM), std::str::from_utf8(bytes)) {
        (false, Err(e)) => match letter() {
            None => Ok(cp1252(bytes)),
            Some(at) => Err(not_utf8_or_cut(path, bytes, e, &mixed(line_of(bytes, at)))),
        },
        (true, Err(_)) if letter().is_none() => Ok(cp1252(bytes)),
        (true, _) => Err(Error::input(
            path,
            "starts with a UTF-8 byte order mark and its letters are UTF-8, not \
             Windows-1252 as the encoding option says (--encoding, or `encoding` in the config \
             file): try auto",
        )),
        (false, Ok(_)) => match letter() {
            None => Ok(cp1252(bytes)),
            Some(at) => Err(Error::input(
                path,
                format!(
                    "is UTF-8 (its letters are, line {}), not Windows-1252 as the encoding \
                     option says (--encoding, or `encoding` in the config file): try auto",
                    line_of(bytes, at)
                ),
            )),
        },
    }
}

pub(super) fn decode_bytes(path: &Path, bytes: Vec<u8>, encoding: Encoding) -> Result<Decoded> {
    let has_bom = bytes.starts_with(BOM);
    let as_utf8 = |mut bytes: Vec<u8>| -> std::result::Result<Decoded, std::string::FromUtf8Error> {
        if has_bom {
            bytes.drain(..BOM.len());
        }
        String::from_utf8(bytes).map(|text| Decoded {
            text,
            encoding: if has_bom { "UTF-8 with BOM" } else { "UTF-8" },
            read: Read::AsText { bom: has_bom },
        })
    };
    match encoding {
        Encoding::Windows1252 => as_windows_1252(path, &bytes),
        Encoding::Utf8 => as_utf8(bytes).map_err(|e| {
            let why = "is not UTF-8 as the encoding option says (--encoding, or `encoding` in \
                       the config file): try windows-1252";
            not_utf8_or_cut(path, e.as_bytes(), e.utf8_error(), why)
        }),
        Encoding::Auto if has_bom => as_utf8(bytes).map_err(|e| {
            let why = match utf8_letter(e.as_bytes()) {
                Some(_) => {
                    "is not UTF-8, while the file starts with a UTF-8 BOM and its other \
                            letters are UTF-8: it mixes two encodings; save it again in one \
                            (in Excel: \"CSV UTF-8\")"
                }
                None => {
                    "is not UTF-8, though the file starts with a UTF-8 BOM: its letters \
                         look like Windows-1252 behind the mark; read it with --encoding \
                         windows-1252"
                }
            };
            not_utf8_or_cut(path, e.as_bytes(), e.utf8_error(), why)
        }),
        Encoding::Auto => match as_utf8(bytes) {
            Ok(d) => Ok(d),
            Err(e) => {
                match utf8_letter(e.as_bytes()) {
                    // UTF-8 letters and a byte that is not: a file put
                    // together from two encodings, which neither reading
                    // gets right (read as Windows-1252, its "ö" would be
                    // "Ã¶", its header unrecognised, its scales unknown).
                    // (Or a file cut short in the middle of a letter.)
                    Some(letter) => {
                        let why = mixed(line_of(e.as_bytes(), letter));
                        Err(not_utf8_or_cut(path, e.as_bytes(), e.utf8_error(), &why))
                    }
                    None => Ok(cp1252(e.as_bytes())),
                }
            }
        },
    }
}

/// Why the last bytes of a UTF-8 file are not UTF-8 when they begin a
/// letter that the file's end cuts off.
const CUT_SHORT: &str = "ends the file in the middle of a UTF-8 letter: the file was cut short \
                         (while it was copied or saved?); copy or export it again";

/// The line (from 1) of byte `at` of `bytes`: a line feed ends a line, and
/// so does a carriage return not followed by one (old Mac line ends), as
/// everywhere else kompass counts lines.
fn line_of(bytes: &[u8], at: usize) -> u64 {
    let before = &bytes[..at.min(bytes.len())];
    let lone_cr = memchr::memchr_iter(b'\r', before)
        .filter(|&i| bytes.get(i + 1) != Some(&b'\n'))
        .count();
    (memchr::memchr_iter(b'\n', before).count() + lone_cr) as u64 + 1
}

/// Why a byte that is not UTF-8 cannot be read in a file whose letters
/// (the first on line `letters`) are.
fn mixed(letters: u64) -> String {
    format!(
        "is not UTF-8, while the file's other letters are (line {letters}): it mixes two \
         encodings, which neither reading gets right; save it again in one (in Excel: \"CSV \
         UTF-8\")"
    )
}

/// The error for the first byte of `bytes` that is not UTF-8 (`e`, from
/// reading them as UTF-8): `why`, or that the file was cut short in a
/// letter.
fn not_utf8_or_cut(path: &Path, bytes: &[u8], e: std::str::Utf8Error, why: &str) -> Error {
    let why = match e.error_len() {
        None => CUT_SHORT,
        Some(_) => why,
    };
    not_utf8(path, bytes, e.valid_up_to(), why)
}

/// The error for the byte at `at`, which is not UTF-8: at its line, its
/// value and what it would be in Windows-1252, then `why`.
fn not_utf8(path: &Path, bytes: &[u8], at: usize, why: &str) -> Error {
    let (line, byte) = byte_not_utf8(bytes, at);
    Error::input(path, format!("{byte} {why}")).at_line(line)
}

/// The line of the byte at `at` of `bytes`, and the byte in words: its
/// value and what it would be in Windows-1252 ("byte 0xD6 (Windows-1252
/// 'Ö')").
pub fn byte_not_utf8(bytes: &[u8], at: usize) -> (u64, String) {
    let byte = bytes.get(at).copied().unwrap_or(0);
    let one = [byte];
    let as_1252 = encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(&one)
        .0;
    let msg = format!("byte 0x{byte:02X} (Windows-1252 '{as_1252}')");
    (line_of(bytes, at), msg)
}

/// Where `bytes` hold a Latin letter or a punctuation mark in UTF-8 (å, ä,
/// ö as 0xC3 and a continuation byte; š, ž, č, đ, ŋ, ŧ as 0xC4 or 0xC5 and
/// one; a dash, a curly quote or € as 0xE2 and two), if anywhere.
/// Windows-1252 text has such a sequence only as "Ã" before a symbol, "Ä"
/// or "Å" before one of a few, or "â€" before one, which Nordic text does
/// not have. Other valid sequences are Windows-1252
/// letters too: Sami "Evenášši" is 0xE1 0x9A 0x9A, in UTF-8 an Ogham
/// letter, and a real name.
fn utf8_letter(bytes: &[u8]) -> Option<usize> {
    // Not a no-break space or U+0100-U+024F beyond the letters of Nordic
    // and Sami names: "Å" before a no-break space is "Š" in UTF-8, and
    // "Ä" before a curly quote "Ē", both Windows-1252 text.
    let latin_or_punctuation = |c: char| match u32::from(c) {
        0xA1..=0xFF | 0x2010..=0x206F | 0x20AC => true,
        _ => matches!(
            c,
            'š' | 'ž' | 'č' | 'đ' | 'ŋ' | 'ŧ' | 'Ž' | 'Č' | 'Đ' | 'Ŋ' | 'Ŧ'
        ),
    };
    let mut at = 0;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        if let Some((i, _)) = (valid.char_indices()).find(|&(_, c)| latin_or_punctuation(c)) {
            return Some(at + i);
        }
        at += valid.len() + chunk.invalid().len();
    }
    None
}
