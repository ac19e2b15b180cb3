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
    if !text.chars().any(|c| acts(c, lines)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match acts(c, lines) {
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
