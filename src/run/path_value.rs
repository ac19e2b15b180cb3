//! A path as the user gave it, refused where kompass would take it for
//! something else: empty, with a NUL, `-` (standard input or output to
//! many tools: kompass reads and writes neither) or starting with `~` (a
//! shell's home folder, which kompass does not expand and would make a
//! folder of), in `kompass.toml` ([`unusable`]) and as a flag's value
//! ([`PathValue`]).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// Why a path cannot be used as written, if it cannot.
pub fn unusable(p: &Path) -> Option<&'static str> {
    let text = p.as_os_str().as_encoded_bytes();
    match text {
        [] => Some("an empty path; name a file or folder, or leave the key out"),
        _ if text.contains(&0) => Some("a path with a NUL character, which no file name has"),
        b"-" => Some(
            "kompass reads no standard input and writes no file to standard output: name a file \
             or folder (./- for one named so)",
        ),
        [b'~', ..] => Some(
            "a path starting with ~, which kompass does not expand (a shell does): write the \
             folder out (/home/me/...), or ./~ for a folder named so",
        ),
        _ => None,
    }
}

/// The value parser of every path flag: a path, refused as [`unusable`]
/// says (a `--out=~/x` or a `-o '~/x'` in a scheduler's command line,
/// where no shell expands it, made a folder named `~` beside the job; a
/// file `~x.csv` that exists is fine). Not UTF-8 is fine: file names need
/// not be.
#[derive(Clone, Copy, Debug, Default)]
pub struct PathValue;

impl clap::builder::TypedValueParser for PathValue {
    type Value = PathBuf;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<PathBuf, clap::Error> {
        let path = Path::new(value);
        let why = match value.as_encoded_bytes() {
            // An empty value is named by clap as such.
            [] => None,
            // A file named `~x.csv` that a glob found (one component, and
            // there) is read as such.
            [b'~', ..] if path.components().count() == 1 && value != "~" && path.exists() => None,
            _ => unusable(path),
        };
        let Some(why) = why else {
            return clap::builder::PathBufValueParser::new().parse_ref(cmd, arg, value);
        };
        let arg = arg.map_or_else(|| "...".to_string(), ToString::to_string);
        let msg = format!(
            "invalid value '{}' for '{arg}': {why}\n",
            crate::io::terminal::message(&value.to_string_lossy())
        );
        Err(clap::Error::raw(clap::error::ErrorKind::ValueValidation, msg).with_cmd(cmd))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_kompass_would_misread_are_refused() {
        assert!(unusable(Path::new("~/x")).is_some_and(|w| w.contains("does not expand")));
        assert!(unusable(Path::new("~alice")).is_some());
        assert_eq!(unusable(Path::new("./~/x")), None);
        assert_eq!(unusable(Path::new("a~b")), None);
        assert!(unusable(Path::new("")).is_some());
        assert!(unusable(Path::new("a\0b")).is_some());
        assert!(unusable(Path::new("-")).is_some_and(|w| w.contains("./- for one")));
        assert_eq!(unusable(Path::new("./-")), None);
        assert_eq!(unusable(Path::new("-x")), None);
    }
}
