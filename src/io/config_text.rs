//! Reading kompass's own text files, all UTF-8 without a BOM:
//! configuration and instrument definitions (TOML, an error placed at its
//! line and column) and a generated set's `meta/truth.json`, a misspelt
//! key given the one it meant (`error::meant`).

use std::path::Path;

use super::decode::{byte_not_utf8, strip_bom};
use crate::error::{Error, Result};

/// A UTF-8 text file (configuration, instrument definitions, a generated
/// data set's `meta/truth.json`), without its BOM.
pub fn read_utf8(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    String::from_utf8(strip_bom(&bytes).to_vec()).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        )
    })
}

/// Where a `kompass synth` generation records what it is and what it
/// wrote, in its `--out` folder.
pub const SYNTH_TRUTH: &str = "meta/truth.json";

/// The `meta/truth.json` at `path` of a `kompass synth` generation, if it
/// is one (JSON whose `generator` is kompass synth).
pub fn synth_truth(path: &Path) -> Option<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_str(&read_utf8(path).ok()?).ok()?;
    v["generator"]
        .as_str()
        .is_some_and(|g| g.starts_with("kompass synth"))
        .then_some(v)
}

/// The latest word of the `kompass synth` generation in `folder`, for the
/// next generation and for a run alike: its `meta/truth.json`, or, where
/// that is one, a whole truth a generation stopped as it put it in place
/// left at its temporary name (a file); and whether it is that one.
pub fn latest_synth_truth(folder: &Path) -> Option<(serde_json::Value, bool)> {
    let in_place = synth_truth(&folder.join(SYNTH_TRUTH))?;
    let left = folder.join(super::csv_out::partial_path(Path::new(SYNTH_TRUTH)));
    let file = std::fs::symlink_metadata(&left).is_ok_and(|m| m.is_file());
    Some(match file.then(|| synth_truth(&left)).flatten() {
        Some(newer) => (newer, true),
        None => (in_place, false),
    })
}

/// A configuration file's text (kompass.toml, an instrument definition):
/// not found or unreadable is an I/O error (exit 1), not UTF-8 a broken
/// configuration file (exit 2).
pub fn read_config_text(path: &Path) -> Result<String> {
    let bytes = super::read_bytes(path)?;
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
    parse_toml_keyed(path, text, |_| None)
}

/// [`parse_toml`], with a value of the wrong type (`link_seed = -1`,
/// `strict = "yes"`) said in the user's terms: `link_seed = -1 is not a
/// whole number from 0 to ...`, from `expected(key)`, instead of the
/// deserializer's (`expected u64`), for the keys it knows.
pub fn parse_toml_keyed<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
    expected: impl Fn(&str) -> Option<&'static str>,
) -> Result<T> {
    toml::from_str(text).map_err(|e| {
        let mut msg = e.message().trim_end().replace('\n', "; ");
        if let Some(meant) = unknown_key_meant(&msg) {
            msg = format!("{msg} (did you mean `{meant}`?)");
        }
        let Some(span) = e.span() else {
            return Error::config(path, msg);
        };
        let start = span.start.min(text.len());
        if let Some(control) = control_at(text, start).or_else(|| lone_cr_near(text, start)) {
            msg = control;
        } else if msg.is_empty() {
            msg = "not valid TOML here".to_string();
        }
        // The parser's spans fall on characters; if one did not, no value
        // is quoted rather than a panic.
        let value = (text.get(start..span.end.clamp(start, text.len())))
            .unwrap_or("")
            .trim();
        // The offending value: its first line (a span may be a whole
        // table).
        let value = value.lines().next().unwrap_or("");
        let wrong_type = ["invalid type", "invalid value", "number too large"];
        if wrong_type.iter().any(|w| msg.starts_with(w)) {
            // The whole value, where the parser points at its start (not
            // at one element of a list: `inputs = ["a", 1]` is a list).
            let line = key_value_at(text, start);
            let whole = line.filter(|(_, _, at)| *at == start);
            if let Some((key, given, what)) = whole.and_then(|(k, v, _)| Some((k, v, expected(k)?)))
            {
                msg = format!("{key} = {given} is not {what}");
            } else if let Some((key, _, _)) = line {
                // Within a list, or a dotted key: named all the same.
                msg = format!("{}: {msg}", key.trim());
            } else if let Some((name, header)) = table_name(text, start) {
                // `[report]`: a key that takes a value written as a table.
                msg = format!(
                    "{name}: {msg} (written as a table, {header}: it takes a value, {name} = ...)"
                );
            } else if let Some(key) = key_holding(text, start) {
                // An element of a list over several lines.
                msg = format!("{key}: {msg}");
            }
        }
        // A `[table]` line: the files kompass reads have their keys at the
        // top, or in the tables their README names.
        let table = text[line_start(text, start)..]
            .trim_start()
            .starts_with('[');
        if msg.starts_with("unknown field") && table {
            msg = format!("{msg}; a table ([...]) this file does not have");
        }
        at_offset(Error::config(path, msg), text, start, value)
    })
}

/// A control character (not a line end or tab) at byte `at` of `text`
/// said as such: the parser's message for one is empty (in a comment) or
/// names what it expected instead (`expected newline`, `invalid basic
/// string`).
fn control_at(text: &str, at: usize) -> Option<String> {
    // TOML's set: ASCII's (U+0080 to U+009F are allowed); not a line end,
    // where the parser points at an unclosed string.
    let unsaid = |c: &char| c.is_ascii_control() && !matches!(c, '\n' | '\r' | '\t');
    let c = text.get(at..)?.chars().next().filter(unsaid)?;
    Some(format!(
        "a control character (U+{:04X}): TOML allows none but tab, in comments and strings \
         too; remove it",
        u32::from(c)
    ))
}

/// A carriage return without a line feed at byte `at` of `text`, or at
/// the end of what comes before it on its line (the parser may point at
/// the next token), said as such: a file saved with old Mac line ends
/// (CR alone) is one line to TOML, and the parser's message named what it
/// expected instead (`invalid table header; expected newline, #`).
fn lone_cr_near(text: &str, at: usize) -> Option<String> {
    let lone = |i: usize| {
        text.as_bytes().get(i) == Some(&b'\r') && text.as_bytes().get(i + 1) != Some(&b'\n')
    };
    let before = text.get(..at)?.trim_end_matches([' ', '\t']).len();
    let found = lone(at) || before.checked_sub(1).is_some_and(lone);
    found.then(|| {
        "a carriage return without a line feed (a line end of old Mac files): TOML's lines \
         end in a line feed (LF) or CR LF; save the file with those"
            .to_string()
    })
}

/// The key (or value) a misspelt one most likely meant, from the parser's
/// message ``unknown field `lnag`, expected one of `inputs`, ..., `lang` ``.
fn unknown_key_meant(msg: &str) -> Option<&str> {
    let rest =
        (msg.strip_prefix("unknown field `")).or_else(|| msg.strip_prefix("unknown variant `"))?;
    let (given, expected) = rest.split_once('`')?;
    let names = expected.split('`').skip(1).step_by(2);
    crate::error::meant::closest(given, names)
}

/// The name of the `[table]` (or `[[table]]`) whose header is the line
/// holding byte `offset` of `text`, and the header as written: a
/// top-level key of the file (`["b"]`, an element of a list on its own
/// line, is none).
fn table_name(text: &str, offset: usize) -> Option<(String, &str)> {
    let header = text[line_start(text, offset)..].lines().next()?.trim();
    let inner = header.strip_prefix('[')?.strip_suffix(']')?;
    let name = inner.trim_matches(['[', ']']).trim();
    value_places(text)
        .contains_key(name)
        .then(|| (name.to_string(), header))
}

/// The top-level key whose value holds byte `offset` of `text` (the last
/// to start before it: an element of a list written over several lines).
fn key_holding(text: &str, offset: usize) -> Option<String> {
    let places = value_places(text);
    let before = places.into_iter().filter(|(_, at)| *at <= offset);
    before.max_by_key(|(_, at)| *at).map(|(k, _)| k)
}

/// The byte offset where the line holding byte `offset` of `text` starts.
fn line_start(text: &str, offset: usize) -> usize {
    (text[..text.floor_char_boundary(offset)].rfind('\n')).map_or(0, |i| i + 1)
}

/// The key (bare or quoted), the value as written and the value's byte
/// offset in `text`, of the `key = value` line holding byte `offset`;
/// `None` when the line is not one.
fn key_value_at(text: &str, offset: usize) -> Option<(&str, &str, usize)> {
    let line_start = line_start(text, offset);
    let line = text[line_start..].lines().next().unwrap_or("");
    let (key, value) = line.split_once('=')?;
    let at = line_start + key.len() + 1 + (value.len() - value.trim_start().len());
    let key = key.trim();
    let unquoted = (key.strip_prefix('"').and_then(|k| k.strip_suffix('"')))
        .or_else(|| key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')));
    Some((unquoted.unwrap_or(key), without_comment(value).trim(), at))
}

/// `value` up to a `#` comment outside quotes (a `\"` inside a basic
/// string does not end it).
fn without_comment(value: &str) -> &str {
    let mut quote = None;
    let mut escaped = false;
    for (i, c) in value.char_indices() {
        match (quote, c) {
            _ if escaped => escaped = false,
            (Some('"'), '\\') => escaped = true,
            (None, '#') => return &value[..i],
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
    }
    value
}

/// `err` placed at byte `offset` of the config file `text`: its line and
/// column (in characters, from 1), holding `value`.
pub fn at_offset(err: Error, text: &str, offset: usize, value: &str) -> Error {
    let (line, column) = line_column(text, offset);
    err.at_cell(line as u64, &column.to_string(), value)
}

/// Where the value of each top-level key of a config file's `text`
/// starts (a byte offset, from the parser's spans: a key's text inside
/// another value or a comment is not the key), for a message about a
/// value to say where it stands. Empty where the text does not parse.
pub fn value_places(text: &str) -> std::collections::BTreeMap<String, usize> {
    type Spans = std::collections::BTreeMap<String, toml::Spanned<toml::Value>>;
    (toml::from_str::<Spans>(text).map(|m| m.into_iter().map(|(k, v)| (k, v.span().start))))
        .map(Iterator::collect)
        .unwrap_or_default()
}

/// The line and column (from 1, in characters) of byte `offset` of `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.chars().rev().take_while(|&c| c != '\n').count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::at_offset;
    use crate::error::Error;
    use std::path::Path;

    /// A value of the wrong type is said with its key and what the key
    /// holds, the value as written (a comment after it left out).
    #[test]
    fn a_wrong_type_names_the_key_and_what_it_holds() {
        let path = Path::new("k.toml");
        let what = |k: &str| (k == "seed").then_some("a whole number");
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            seed: Option<u32>,
            other: Option<u32>,
        }
        let err = |text: &str| {
            let e = super::parse_toml_keyed::<T>(path, text, what).expect_err("a wrong type");
            e.to_string()
        };
        let e = err("other = 1\nseed = \"x#y\" # a comment\n");
        assert!(e.contains("line 2"), "{e}");
        assert!(e.contains("seed = \"x#y\" is not a whole number"), "{e}");
        assert!(err("seed = -1").contains("seed = -1 is not a whole number"));
        let e = err("seed = \"a \\\"#\\\" b\" # c");
        assert!(e.contains(r##"seed = "a \"#\" b" is not"##), "{e}");
        // An element of a list is not the whole value.
        let what = |k: &str| (k == "list").then_some("a list of whole numbers");
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct L {
            list: Vec<u32>,
        }
        let e = super::parse_toml_keyed::<L>(path, "list = [1, -1]", what).expect_err("-1");
        assert!(!e.to_string().contains("is not a list"), "{e}");
        // A key without a description keeps the parser's words.
        assert!(err("other = -1").contains("expected u32"));
    }

    /// A misspelt key is given the key it likely meant; a word far from
    /// every key, or a short one, none.
    #[test]
    fn a_misspelt_key_is_given_the_one_it_meant() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            inputs: Option<u32>,
            out: Option<u32>,
            lang: Option<u32>,
            link_to: Option<u32>,
        }
        let err = |text: &str| {
            let e = super::parse_toml::<T>(Path::new("k.toml"), text).expect_err("unknown");
            e.to_string()
        };
        assert!(
            err("lnag = 1").ends_with("(did you mean `lang`?)"),
            "{}",
            err("lnag = 1")
        );
        assert!(err("input = 1").ends_with("(did you mean `inputs`?)"));
        assert!(err("Link_To = 1").ends_with("(did you mean `link_to`?)"));
        assert!(err("link_tooo = 1").ends_with("(did you mean `link_to`?)"));
        assert!(!err("basis_typo = 1").contains("did you mean"));
        assert!(!err("ot = 1").contains("did you mean"));
        assert!(
            !err("lnga = 1").contains("did you mean"),
            "two letters from lang"
        );
    }

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
