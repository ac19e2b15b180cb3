//! `kompass.toml`: every option of a run in a file, for scheduled reruns.
//! Command-line flags override it; an unknown key is an error naming the key.
//! Relative paths in the file are relative to the file's folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::io::config_text::{
    at_offset, line_column, parse_toml_keyed, read_config_text, value_places,
};
use crate::reference::instrument::Instruments;
use crate::reference::register::Register;

/// The default config file, read when present and `--config` is not given.
pub const DEFAULT_PATH: &str = "kompass.toml";

/// The file's keys. Enumerated options are the same words as the flags.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub inputs: Option<Vec<PathBuf>>,
    pub out: Option<PathBuf>,
    pub register: Option<PathBuf>,
    pub instruments: Option<PathBuf>,
    pub published: Option<PathBuf>,
    pub basis: Option<String>,
    pub link_method: Option<String>,
    pub bootstrap: Option<u32>,
    pub link_seed: Option<u64>,
    pub link_to: Option<String>,
    pub strict: Option<bool>,
    pub excel: Option<bool>,
    pub out_encoding: Option<String>,
    pub format: Option<String>,
    pub delimiter: Option<String>,
    pub decimal: Option<String>,
    pub encoding: Option<String>,
    pub charts: Option<String>,
    pub report: Option<String>,
    pub lang: Option<String>,
}

impl ConfigFile {
    /// The same configuration with every path resolved (absolute, links
    /// and `..` followed: see [`crate::io::resolved`]), as the manifest
    /// records it: in UTF-8, a name in another encoding with U+FFFD for
    /// what is not (JSON holds text only; it failed the run at its end).
    pub fn resolved(mut self) -> Self {
        let resolved = |p: &Path| {
            let p = crate::io::resolved(p);
            match p.to_str() {
                Some(_) => p,
                None => PathBuf::from(p.to_string_lossy().into_owned()),
            }
        };
        for (_, p) in self.paths_mut() {
            *p = resolved(p);
        }
        self
    }

    /// Every path the configuration gives, with its key.
    fn paths_mut(&mut self) -> impl Iterator<Item = (&'static str, &mut PathBuf)> {
        let single = [
            ("out", &mut self.out),
            ("register", &mut self.register),
            ("instruments", &mut self.instruments),
            ("published", &mut self.published),
        ];
        let inputs = self.inputs.iter_mut().flatten().map(|p| ("inputs", p));
        inputs.chain(
            single
                .into_iter()
                .filter_map(|(k, p)| p.as_mut().map(|p| (k, p))),
        )
    }
}

impl ConfigFile {
    /// The files a run read besides its inputs, paths resolved: the
    /// register's (a file, or every `*.csv` in its folder) and the
    /// instrument definitions (every `*.toml` in their folder) as they
    /// were read, not as their folders are listed now (a file removed
    /// since would be left out of the fingerprint, and the outputs made
    /// with it taken for up to date ever after), and, when the run goes as
    /// far as the analysis (`published`), the published figures.
    pub fn reference_files(
        &self,
        (instruments, register): (&Instruments, &Register),
        published: bool,
    ) -> Vec<PathBuf> {
        let read = register.files.iter().chain(&instruments.files);
        let mut files: Vec<PathBuf> = read.map(|p| crate::io::resolved(p)).collect();
        files.extend(self.published.clone().filter(|_| published));
        files
    }
}

/// What a key of the file holds, for a value of the wrong type.
fn expected(key: &str) -> Option<&'static str> {
    Some(match key {
        "inputs" => "a list of files or folders in brackets, e.g. inputs = [\"exports/\"]",
        "out" | "register" | "instruments" | "published" => "a path in quotes",
        "bootstrap" => "a whole number of replicates: 0 (none) or 2 to 10000",
        "link_seed" => "a whole number from 0 to 9223372036854775807",
        "strict" | "excel" => "true or false",
        "basis" | "link_method" | "link_to" | "out_encoding" | "format" | "delimiter"
        | "decimal" | "encoding" | "charts" | "report" | "lang" => "a word in quotes",
        _ => return None,
    })
}

/// Checks (in debug builds, as the tests run) that `key` is a key of the
/// config file: a misspelt key in a lookup of [`Origins`] would otherwise
/// just never be found ("not the default", "not from the file").
fn known(key: &str) {
    debug_assert!(
        expected(key).is_some(),
        "not a key of the config file: {key}"
    );
}

/// Where the options naming a file, a folder or a scale came from, so that
/// a message about such a value names it as the user gave it: `--register
/// sub/x` for a flag, `kompass.toml: register = "sub/x"` for a key of the
/// config file.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// The config file, when one was read.
    file: Option<PathBuf>,
    /// The keys whose value came from it.
    keys: Vec<&'static str>,
    /// The keys given neither way, whose default was taken.
    defaults: Vec<&'static str>,
    /// Where each key's value stands in the config file.
    places: Places,
    /// The config file's values its flags override, of the keys checked
    /// all the same (`link_to`, `register`, `instruments`, `published`):
    /// a broken file is an error either way.
    shadowed: Vec<(&'static str, PathBuf)>,
}

/// A config file's text and where each key's value starts in it, to say
/// where a value stands.
#[derive(Debug, Clone, Default)]
struct Places {
    text: String,
    starts: BTreeMap<String, usize>,
}

impl Places {
    fn new(text: String) -> Places {
        let starts = value_places(&text);
        Places { text, starts }
    }

    /// The line and column of the value of `key`, if the file gives it.
    fn line_column(&self, key: &str) -> Option<(usize, usize)> {
        (self.starts.get(key)).map(|&at| line_column(&self.text, at))
    }
}

impl Origins {
    /// `flag` when given, else the file's `value`, recording where it came
    /// from.
    pub fn pick<T>(&mut self, key: &'static str, flag: Option<T>, value: Option<T>) -> Option<T> {
        if flag.is_none() && value.is_some() {
            self.keys.push(key);
        }
        flag.or(value)
    }

    /// Notes the file's `value` of `key` as overridden when its flag is
    /// given ([`Origins::shadowed`]).
    pub fn shadow<T: AsRef<std::ffi::OsStr>>(
        &mut self,
        key: &'static str,
        flag: bool,
        value: Option<&T>,
    ) {
        if let Some(v) = value.filter(|_| flag) {
            self.shadowed.push((key, PathBuf::from(v.as_ref())));
        }
    }

    /// The file's value of `key` that a flag overrides, if any.
    pub fn shadowed(&self, key: &str) -> Option<&Path> {
        (self.shadowed.iter())
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_path())
    }

    /// An overridden value of the file refused: `k.toml: line 2, column
    /// 11: link_to = "x" (overridden by --link-to, checked all the same):
    /// why`.
    pub fn refuse_shadowed(&self, key: &str, value: &Path, why: impl std::fmt::Display) -> Error {
        let file = self.file.as_deref().unwrap_or(Path::new("kompass.toml"));
        Error::Usage(format!(
            "{}: {key} = \"{}\" (overridden by --{}, checked all the same): {why}",
            self.at(file, key),
            crate::io::named(value),
            key.replace('_', "-")
        ))
    }

    /// Whether the config file gave `key`'s value (no flag overrode it).
    pub fn from_file(&self, key: &str) -> bool {
        known(key);
        self.file.is_some() && self.keys.contains(&key)
    }

    /// Whether `key` took its default: neither its flag nor the file gave it.
    pub fn is_default(&self, key: &str) -> bool {
        known(key);
        self.defaults.contains(&key)
    }

    /// [`Origins::pick`], or `default` when neither gave a value.
    pub fn pick_or<T>(
        &mut self,
        key: &'static str,
        flag: Option<T>,
        value: Option<T>,
        default: T,
    ) -> T {
        self.pick(key, flag, value).unwrap_or_else(|| {
            self.defaults.push(key);
            default
        })
    }

    /// The config file and where in it the value of `key` stands: `k.toml:
    /// line 2, column 11` (the file alone where the key is not found).
    fn at(&self, file: &Path, key: &str) -> String {
        match self.places.line_column(key) {
            Some((line, column)) => {
                format!("{}: line {line}, column {column}", crate::io::named(file))
            }
            None => crate::io::named(file),
        }
    }

    /// The option `key` with its `value`, as the user gave it.
    pub fn named(&self, key: &str, value: impl std::fmt::Display) -> String {
        known(key);
        let flag = key.replace('_', "-");
        match &self.file {
            Some(file) if self.keys.contains(&key) => {
                format!("{}: {key} = \"{value}\"", self.at(file, key))
            }
            _ if self.defaults.contains(&key) => format!("--{flag} {value} (the default)"),
            _ => format!("--{flag} {value}"),
        }
    }

    /// The switch `key` as the user turned it on: `--strict`, or the
    /// config file's `strict = true`.
    pub fn switch(&self, key: &str) -> String {
        known(key);
        match &self.file {
            Some(file) if self.keys.contains(&key) => {
                format!("{}: {key} = true", self.at(file, key))
            }
            _ => format!("--{}", key.replace('_', "-")),
        }
    }

    /// The usage error `e` about a value of the option `key`, prefixed
    /// with the config file and key where the value came from there
    /// (`kompass.toml: inputs: sub/nope.csv: no such file or folder`).
    pub fn within(&self, key: &str, e: Error) -> Error {
        known(key);
        match (&self.file, e) {
            (Some(file), Error::Usage(msg)) if self.keys.contains(&key) => {
                Error::Usage(format!("{}: {key}: {msg}", self.at(file, key)))
            }
            (_, e) => e,
        }
    }

    /// A usage error (exit 2) about the option `key` with its `value`,
    /// named as the user gave it: `why` says what is wrong.
    pub fn refuse(
        &self,
        key: &str,
        value: impl std::fmt::Display,
        why: impl std::fmt::Display,
    ) -> Error {
        Error::Usage(format!("{}: {why}", self.named(key, value)))
    }
}

/// A loaded config file and where it was.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub file: ConfigFile,
    pub path: Option<PathBuf>,
    /// Where each key's value stands in the file.
    places: Places,
}

impl Config {
    /// An empty record of where options came from, for this file.
    pub fn origins(&self) -> Origins {
        Origins {
            file: self.path.clone(),
            places: self.places.clone(),
            ..Origins::default()
        }
    }

    /// `--config PATH`, or `./kompass.toml` if it exists, or nothing.
    pub fn load(explicit: Option<&Path>) -> Result<Config> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None if Path::new(DEFAULT_PATH).is_file() => PathBuf::from(DEFAULT_PATH),
            None => {
                // Something else at the name (a folder, a link to nothing)
                // is not read, and says so: the run would otherwise go on
                // without the options the user meant it to have.
                if std::fs::symlink_metadata(DEFAULT_PATH).is_ok() {
                    crate::io::warn(&format!(
                        "{DEFAULT_PATH} is not a regular file (a folder, a pipe or device, or a \
                         link to nothing): not read as the config file"
                    ));
                }
                return Ok(Config::default());
            }
        };
        check_config_file(&path)?;
        let text = read_config_text(&path)?;
        let mut file: ConfigFile = parse_toml_keyed(&path, &text, expected)?;
        let places = Places::new(text);
        if let Some((key, p, why)) = file
            .paths_mut()
            .find_map(|(k, p)| super::path_value::unusable(p).map(|w| (k, p, w)))
        {
            let err = Error::config(&path, format!("{key}: {why}"));
            let shown = crate::io::text_of(p);
            return Err(match places.starts.get(key) {
                Some(&at) => at_offset(err, &places.text, at, &shown),
                None => err,
            });
        }
        let base = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf);
        if let Some(base) = base {
            let fix = |p: &mut PathBuf| {
                if p.is_relative() {
                    *p = base.join(&*p);
                }
            };
            file.paths_mut().for_each(|(_, p)| fix(p));
        }
        Ok(Config {
            file,
            path: Some(path),
            places,
        })
    }

    /// A configuration error about the value of `key`, at the place in
    /// the file where it stands (line, and column of the value).
    fn bad_value(&self, key: &str, value: &str, msg: String) -> Error {
        let err = Error::config(self.path.as_deref().unwrap_or(Path::new(DEFAULT_PATH)), msg);
        match self.places.starts.get(key) {
            Some(&at) => at_offset(err, &self.places.text, at, value),
            None => err,
        }
    }

    /// A number given in the file, checked as its flag checks it.
    /// `flag`: a flag overrides it (checked all the same, and said so).
    pub fn checked(
        &self,
        key: &str,
        (value, flag): (Option<u32>, bool),
        check: impl Fn(u32) -> std::result::Result<u32, String>,
    ) -> Result<Option<u32>> {
        value.map(check).transpose().map_err(|why| {
            let shown = value.map_or(String::new(), |v| v.to_string());
            let msg = format!("{key} = {shown}{}: {why}", overridden(key, flag));
            self.bad_value(key, &shown, msg)
        })
    }

    /// An enumerated option: the flag's value if given, else the file's
    /// (`value`, checked even when a flag overrides it: a broken file is
    /// an error either way), else the default.
    pub fn option<T: ValueEnum + Default>(
        &self,
        key: &str,
        flag: Option<T>,
        value: &Option<String>,
    ) -> Result<T> {
        let file = self.choice(key, value, flag.is_some())?;
        Ok(flag.or(file).unwrap_or_default())
    }

    /// Parses an enumerated option given in the file (`flag`: a flag
    /// overrides it).
    fn choice<T: ValueEnum>(
        &self,
        key: &str,
        value: &Option<String>,
        flag: bool,
    ) -> Result<Option<T>> {
        let Some(v) = value else { return Ok(None) };
        T::from_str(v, true).map(Some).map_err(|_| {
            let values: Vec<_> = (T::value_variants().iter())
                .filter_map(|x| x.to_possible_value())
                .collect();
            let allowed: Vec<&str> = values.iter().map(|p| p.get_name()).collect();
            let mut msg = format!(
                "{key} = \"{v}\"{} is not one of: {}",
                overridden(key, flag),
                allowed.join(", ")
            );
            // Its other names too (`latin1` for windows-1252), as the
            // values one is likely to have meant.
            let names: Vec<(&str, &str)> = (values.iter())
                .flat_map(|p| p.get_name_and_aliases().map(move |a| (a, p.get_name())))
                .collect();
            let aliases: Vec<&str> = (names.iter().copied())
                .filter(|(a, name)| a != name)
                .map(|(a, _)| a)
                .collect();
            if !aliases.is_empty() {
                msg = format!("{msg} (or {})", aliases.join(", "));
            }
            if let Some(meant) = crate::io::config_text::closest_meant(v, names) {
                msg = format!("{msg} (did you mean \"{meant}\"?)");
            }
            self.bad_value(key, v, msg)
        })
    }
}

/// What a refused value of the file adds when a flag overrides it (the
/// file is checked all the same: a broken file is an error either way).
fn overridden(key: &str, flag: bool) -> String {
    let said = format!(
        " (overridden by --{}, checked all the same)",
        key.replace('_', "-")
    );
    if flag { said } else { String::new() }
}

/// `--config`'s file, refused unless it is a regular file: a folder, a
/// link to nothing, missing; a pipe would wait for a writer forever, and a
/// device is not a configuration.
fn check_config_file(path: &Path) -> Result<()> {
    let shown = crate::io::named(path);
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(Error::config(
            path,
            "this is a folder; --config names a file (e.g. kompass.toml)",
        )),
        Ok(m) if !m.is_file() => Err(Error::config(
            path,
            "not a regular file (a device, pipe or socket); --config names a file",
        )),
        Ok(_) => Ok(()),
        Err(_) if std::fs::symlink_metadata(path).is_ok() => Err(Error::Usage(format!(
            "{shown}: config file not found (a symbolic link to nothing)"
        ))),
        Err(_) => Err(Error::Usage(format!("{shown}: config file not found"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_named_as_they_were_given() {
        let mut o = Origins {
            file: Some(PathBuf::from("sub/kompass.toml")),
            ..Origins::default()
        };
        assert_eq!(o.pick("register", None, Some(1)), Some(1));
        assert_eq!(o.pick("published", Some(2), Some(3)), Some(2));
        assert_eq!(o.pick_or("link_to", None, None, "new"), "new");
        assert_eq!(o.pick_or("out", Some("o"), None, "notebooks-out"), "o");
        assert_eq!(
            o.named("register", "sub/r.csv"),
            "sub/kompass.toml: register = \"sub/r.csv\""
        );
        assert_eq!(o.named("published", "p.csv"), "--published p.csv");
        assert_eq!(o.named("link_to", "new"), "--link-to new (the default)");
        assert_eq!(o.named("out", "o"), "--out o");
    }
}
