//! Where each option came from (a flag, the config file, the default),
//! so that a message about a value names it as the user gave it:
//! `--register sub/x`, or `kompass.toml: line 2, column 12: register =
//! "sub/x"`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::key::Key;
use crate::error::Error;
use crate::io::config_text::{line_column, value_places};

/// Where the options naming a file, a folder or a scale came from, so that
/// a message about such a value names it as the user gave it: `--register
/// sub/x` for a flag, `kompass.toml: register = "sub/x"` for a key of the
/// config file.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// The config file, when one was read.
    file: Option<PathBuf>,
    /// The keys whose value came from it.
    keys: Vec<Key>,
    /// The keys given neither way, whose default was taken.
    defaults: Vec<Key>,
    /// Where each key's value stands in the config file.
    places: Places,
    /// The config file's values its flags override, of the keys checked
    /// all the same (`link_to`, `country`, `register`, `instruments`,
    /// `published`):
    /// a broken file is an error either way.
    shadowed: Vec<(Key, PathBuf)>,
}

/// A config file's text and where each key's value starts in it, to say
/// where a value stands.
#[derive(Debug, Clone, Default)]
pub(super) struct Places {
    pub(super) text: String,
    pub(super) starts: BTreeMap<String, usize>,
}

impl Places {
    pub(super) fn new(text: String) -> Places {
        let starts = value_places(&text);
        Places { text, starts }
    }

    /// The line and column of the value of `key`, if the file gives it.
    fn line_column(&self, key: Key) -> Option<(usize, usize)> {
        (self.starts.get(key.name())).map(|&at| line_column(&self.text, at))
    }
}

impl Origins {
    /// An empty record of where options came from, for the config file
    /// `file` (none read: `None`) whose values stand at `places`.
    pub(super) fn new(file: Option<PathBuf>, places: Places) -> Origins {
        Origins {
            file,
            places,
            ..Origins::default()
        }
    }

    /// `flag` when given, else the file's `value`, recording where it came
    /// from.
    pub fn pick<T>(&mut self, key: Key, flag: Option<T>, value: Option<T>) -> Option<T> {
        if flag.is_none() && value.is_some() {
            self.keys.push(key);
        }
        flag.or(value)
    }

    /// Notes the file's `value` of `key` as overridden when its flag is
    /// given ([`Origins::shadowed`]).
    pub fn shadow<T: AsRef<std::ffi::OsStr>>(&mut self, key: Key, flag: bool, value: Option<&T>) {
        if let Some(v) = value.filter(|_| flag) {
            self.shadowed.push((key, PathBuf::from(v.as_ref())));
        }
    }

    /// The file's value of `key` that a flag overrides, if any.
    pub fn shadowed(&self, key: Key) -> Option<&Path> {
        (self.shadowed.iter())
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_path())
    }

    /// An overridden value of the file refused: `k.toml: line 2, column
    /// 11: link_to = "x" (overridden by --link-to, checked all the same):
    /// why`.
    pub fn refuse_shadowed(&self, key: Key, value: &Path, why: impl std::fmt::Display) -> Error {
        let file = self.file.as_deref().unwrap_or(Path::new("kompass.toml"));
        Error::Usage(format!(
            "{}: {} = \"{}\" (overridden by {}, checked all the same): {why}",
            self.at(file, key),
            key.name(),
            crate::io::named(value),
            key.flag()
        ))
    }

    /// Whether the config file gave `key`'s value (no flag overrode it).
    pub fn from_file(&self, key: Key) -> bool {
        self.file.is_some() && self.keys.contains(&key)
    }

    /// Whether `key` took its default: neither its flag nor the file gave it.
    pub fn is_default(&self, key: Key) -> bool {
        self.defaults.contains(&key)
    }

    /// [`Origins::pick`], or `default` when neither gave a value.
    pub fn pick_or<T>(&mut self, key: Key, flag: Option<T>, value: Option<T>, default: T) -> T {
        self.pick(key, flag, value).unwrap_or_else(|| {
            self.defaults.push(key);
            default
        })
    }

    /// The config file and where in it the value of `key` stands: `k.toml:
    /// line 2, column 11` (the file alone where the key is not found).
    fn at(&self, file: &Path, key: Key) -> String {
        match self.places.line_column(key) {
            Some((line, column)) => {
                format!("{}: line {line}, column {column}", crate::io::named(file))
            }
            None => crate::io::named(file),
        }
    }

    /// The option `key` with its `value`, as the user gave it.
    pub fn named(&self, key: Key, value: impl std::fmt::Display) -> String {
        let flag = key.flag();
        match &self.file {
            Some(file) if self.keys.contains(&key) && key.is_number() => {
                format!("{}: {} = {value}", self.at(file, key), key.name())
            }
            Some(file) if self.keys.contains(&key) => {
                format!("{}: {} = \"{value}\"", self.at(file, key), key.name())
            }
            _ if self.defaults.contains(&key) => format!("{flag} {value} (the default)"),
            _ => format!("{flag} {value}"),
        }
    }

    /// The switch `key` as the user turned it on: `--strict`, or the
    /// config file's `strict = true`.
    pub fn switch(&self, key: Key) -> String {
        match &self.file {
            Some(file) if self.keys.contains(&key) => {
                format!("{}: {} = true", self.at(file, key), key.name())
            }
            _ => key.flag(),
        }
    }

    /// The usage error `e` about a value of the option `key`, prefixed
    /// with the config file and key where the value came from there
    /// (`kompass.toml: inputs: sub/nope.csv: no such file or folder`).
    pub fn within(&self, key: Key, e: Error) -> Error {
        match (&self.file, e) {
            (Some(file), Error::Usage(msg)) if self.keys.contains(&key) => {
                Error::Usage(format!("{}: {}: {msg}", self.at(file, key), key.name()))
            }
            (_, e) => e,
        }
    }

    /// A usage error (exit 2) about the option `key` with its `value`,
    /// named as the user gave it: `why` says what is wrong.
    pub fn refuse(
        &self,
        key: Key,
        value: impl std::fmt::Display,
        why: impl std::fmt::Display,
    ) -> Error {
        Error::Usage(format!("{}: {why}", self.named(key, value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_named_as_they_were_given() {
        let mut o = Origins::new(Some(PathBuf::from("sub/kompass.toml")), Places::default());
        assert_eq!(o.pick(Key::Register, None, Some(1)), Some(1));
        assert_eq!(o.pick(Key::Published, Some(2), Some(3)), Some(2));
        assert_eq!(o.pick_or(Key::LinkTo, None, None, "new"), "new");
        assert_eq!(o.pick_or(Key::Out, Some("o"), None, "notebooks-out"), "o");
        assert_eq!(
            o.named(Key::Register, "sub/r.csv"),
            "sub/kompass.toml: register = \"sub/r.csv\""
        );
        assert_eq!(o.named(Key::Published, "p.csv"), "--published p.csv");
        assert_eq!(o.named(Key::LinkTo, "new"), "--link-to new (the default)");
        assert_eq!(o.named(Key::Out, "o"), "--out o");
        // A number as the file writes it, unquoted.
        assert_eq!(o.pick(Key::Bootstrap, None, Some(10)), Some(10));
        assert_eq!(
            o.named(Key::Bootstrap, 10),
            "sub/kompass.toml: bootstrap = 10"
        );
    }
}
