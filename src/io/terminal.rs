//! Text bound for the terminal or a log: the characters that would act
//! instead of show escaped. A file name or a register cell can hold an
//! escape sequence (`ESC ] 0;...`: a window title; `ESC ] 52`: the
//! clipboard; `ESC [2J`: a cleared screen), a carriage return that
//! overwrites the line before it, or a bidirectional override that shows
//! text in another order than it is; kompass prints all of them as
//! `\u{1b}`, `\u{d}`, `\u{202e}`.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` acts on a terminal or on how the text around it is shown:
/// the control characters (C0, DEL, C1) and the bidirectional formatting
/// characters (Unicode's `Bidi_Control`). With `lines`, a line feed and a
/// tab are text (a message's own lines); without, they act too (in a
/// name, where a line feed would start a line of its own).
pub fn acts(c: char, lines: bool) -> bool {
    match c {
        '\n' | '\t' => !lines,
        '\u{061C}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' => true,
        c => c.is_control(),
    }
}

/// `text` with every character that [`acts`] written `\u{..}` (its code
/// point in hex). Lines and tabs are kept with `lines`.
pub fn escaped(text: &str, lines: bool) -> Cow<'_, str> {
    written_out(text, |c| acts(c, lines))
}

/// Whether `c` shows as nothing where it is printed: a byte order mark
/// inside a text (two exports joined), a zero-width space or joiner, a word
/// joiner, a soft hyphen.
pub fn unseen(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// A finding's message as `rejects.csv` and `validation.csv` write it: on
/// one line, with every character that acts or shows as nothing written
/// `\u{..}`, so that a value it quotes reads as it is (`country
/// '\u{feff}SE' is not in the register`, which showed as `'SE'`; a NUL
/// byte was copied into the file). The `value` and `raw` columns keep the
/// text as it was. A message longer than [`LONGEST`] characters (one
/// quoting a 200,000-character cell) keeps its first and last
/// characters, what it says of the value, with `… [N characters left
/// out] …` between: the whole value is in the `value` column.
pub fn message(text: &str) -> Cow<'_, str> {
    match written_out(text, |c| acts(c, false) || unseen(c)) {
        Cow::Borrowed(t) => clipped(t).map_or(Cow::Borrowed(t), Cow::Owned),
        Cow::Owned(t) => Cow::Owned(clipped(&t).unwrap_or(t)),
    }
}

/// The most characters of a message [`message`] writes whole.
pub const LONGEST: usize = 1000;

/// `text` with its middle left out when it has more than [`LONGEST`]
/// characters; `None` when it is short enough.
fn clipped(text: &str) -> Option<String> {
    clip(text, LONGEST, (400, 200))
}

/// `text` with its first `head` and last `tail` characters kept and
/// `… [N characters left out] …` between, when it has more than `longest`
/// characters (a message and the huge value it quotes); `None` when it is
/// short enough as it is.
pub fn clip(text: &str, longest: usize, (head, tail): (usize, usize)) -> Option<String> {
    let count = match text.len() > longest {
        true => text.chars().count(),
        false => return None,
    };
    if count <= longest {
        return None;
    }
    let start = text
        .char_indices()
        .nth(head)
        .map_or(text.len(), |(at, _)| at);
    let end = (text.char_indices().rev().nth(tail - 1)).map_or(0, |(at, _)| at);
    let left_out = count - head - tail;
    Some(format!(
        "{} … [{left_out} characters left out] … {}",
        &text[..start],
        &text[end..]
    ))
}

/// `text` with each character `escape` picks written `\u{..}`.
fn written_out(text: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match escape(c) {
            true => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            false => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::escaped;

    #[test]
    fn a_long_message_keeps_its_ends() {
        use super::{LONGEST, message};
        let cell = "å".repeat(5000);
        let text = format!("country '{cell}' is not in the register");
        let m = message(&text);
        assert!(m.chars().count() < LONGEST);
        assert!(m.starts_with("country 'ååå"));
        assert!(m.ends_with("ååå' is not in the register"));
        // 9 + 5,000 + 24 characters, 400 + 200 kept.
        assert!(m.contains(" … [4433 characters left out] … "), "{m}");
        let short = "x".repeat(LONGEST);
        assert_eq!(message(&short), short);
        // Escapes are counted as written: a NUL is five (`\u{0}`).
        let nul = "\0".repeat(LONGEST);
        let nuls = message(&nul);
        assert!(nuls.contains("characters left out"));
    }

    #[test]
    fn a_message_shows_what_would_not_show() {
        use super::message;
        assert_eq!(message("country '\u{feff}SE'"), "country '\\u{feff}SE'");
        assert_eq!(
            message("code '\u{200b}0115\u{0}'"),
            "code '\\u{200b}0115\\u{0}'"
        );
        assert_eq!(message("lines 2-3\n"), "lines 2-3\\u{a}");
        assert_eq!(message("Östersund – 79,5"), "Östersund – 79,5");
    }

    #[test]
    fn what_acts_is_written_out() {
        assert_eq!(escaped("plain åäö – text", true), "plain åäö – text");
        assert_eq!(
            escaped("n\u{1b}]0;PWNED\u{7}\u{1b}[2J.txt", true),
            "n\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J.txt"
        );
        assert_eq!(escaped("a\nb\tc\r", true), "a\nb\tc\\u{d}");
        assert_eq!(escaped("a\nb\tc", false), "a\\u{a}b\\u{9}c");
        assert_eq!(
            escaped("x\u{202e}y\u{85}z\u{7f}", true),
            "x\\u{202e}y\\u{85}z\\u{7f}"
        );
    }
}
