//! Reading kompass's own text files: configuration and instrument
//! definitions (TOML, an error placed at its line and column) and the
//! manifest, all UTF-8 without a BOM.

use std::path::Path;

use super::decode::{byte_not_utf8, strip_bom};
use crate::error::{Error, Result};

/// A UTF-8 text file (configuration, instrument definitions, manifest),
/// without its BOM.
pub fn read_utf8(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    String::from_utf8(strip_bom(&bytes).to_vec()).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        )
    })
}

/// A configuration file's text (kompass.toml, an instrument definition):
/// not found or unreadable is an I/O error (exit 1), not UTF-8 a broken
/// configuration file (exit 2).
pub fn read_config_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    super::note_read(path, &bytes);
    let text = strip_bom(&bytes);
    match std::str::from_utf8(text) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            let (line, msg) = byte_not_utf8(text, at);
            let msg =
                format!("{msg} is not UTF-8: a configuration file is (TOML); save it as UTF-8");
            Err(Error::config(path, msg).at_line(line))
        }
    }
}

/// Parses a TOML file's text; an error names the line and column.
pub fn parse_toml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| {
        let msg = e.message().trim_end().replace('\n', "; ");
        let err = Error::config(path, msg);
        match e.span() {
            Some(span) => {
                let start = span.start.min(text.len());
                // The parser's spans fall on characters; if one did not,
                // no value is quoted rather than a panic.
                let value = (text.get(start..span.end.clamp(start, text.len())))
                    .unwrap_or("")
                    .trim();
                // The offending value: its first line (a span may be a
                // whole table).
                let value = value.lines().next().unwrap_or("");
                at_offset(err, text, start, value)
            }
            None => err,
        }
    })
}

/// `err` placed at byte `offset` of the config file `text`: its line and
/// column (in characters, from 1), holding `value`.
pub fn at_offset(err: Error, text: &str, offset: usize, value: &str) -> Error {
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.chars().rev().take_while(|&c| c != '\n').count() + 1;
    err.at_cell(line as u64, &column.to_string(), value)
}

#[cfg(test)]
mod tests {
    use super::at_offset;
    use crate::error::Error;
    use std::path::Path;

    /// An offset inside a character (the second byte of "é") is placed at
    /// the character, not a panic; columns count characters.
    #[test]
    fn an_offset_inside_a_character_is_placed_at_it() {
        let text = "a = 1\nname = \"é\"\n";
        let err = || Error::config(Path::new("k.toml"), "bad");
        let inside = text.find('é').expect("é") + 1;
        let at = at_offset(err(), text, inside, "é");
        let loc = at.location().expect("a location");
        assert_eq!((loc.line, loc.column.as_deref()), (Some(2), Some("9")));
        let at = at_offset(err(), text, inside + 1, "\"");
        let loc = at.location().expect("a location");
        assert_eq!((loc.line, loc.column.as_deref()), (Some(2), Some("10")));
    }
}
