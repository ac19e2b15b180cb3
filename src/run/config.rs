//! `kompass.toml`: every option of a run in a file, for scheduled reruns.
//! Command-line flags override it; an unknown key is an error naming the key.
//! Relative paths in the file are relative to the file's folder.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde::{Deserialize, Serialize};

use super::key::Key;
use super::origins::{Origins, Places};
use crate::error::{Error, Result};
use crate::io::config_text::{at_offset, parse_toml_keyed, read_config_text};
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
    pub country: Option<String>,
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
    fn paths_mut(&mut self) -> impl Iterator<Item = (Key, &mut PathBuf)> {
        let single = [
            (Key::Out, &mut self.out),
            (Key::Register, &mut self.register),
            (Key::Instruments, &mut self.instruments),
            (Key::Published, &mut self.published),
        ];
        let inputs = self.inputs.iter_mut().flatten().map(|p| (Key::Inputs, p));
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

/// What the key `name` holds, for a value of the wrong type.
fn expected(name: &str) -> Option<&'static str> {
    Key::named(name).map(Key::expected)
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
        Origins::new(self.path.clone(), self.places.clone())
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
            let err = Error::config(&path, format!("{}: {why}", key.name()));
            let shown = crate::io::text_of(p);
            return Err(match places.starts.get(key.name()) {
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
    fn bad_value(&self, key: Key, value: &str, msg: String) -> Error {
        let err = Error::config(self.path.as_deref().unwrap_or(Path::new(DEFAULT_PATH)), msg);
        match self.places.starts.get(key.name()) {
            Some(&at) => at_offset(err, &self.places.text, at, value),
            None => err,
        }
    }

    /// A number given in the file, checked as its flag checks it.
    /// `flag`: a flag overrides it (checked all the same, and said so).
    pub fn checked(
        &self,
        key: Key,
        (value, flag): (Option<u32>, bool),
        check: impl Fn(u32) -> std::result::Result<u32, String>,
    ) -> Result<Option<u32>> {
        value.map(check).transpose().map_err(|why| {
            let shown = value.map_or(String::new(), |v| v.to_string());
            let msg = format!("{} = {shown}{}: {why}", key.name(), overridden(key, flag));
            self.bad_value(key, &shown, msg)
        })
    }

    /// An enumerated option: the flag's value if given, else the file's
    /// (`value`, checked even when a flag overrides it: a broken file is
    /// an error either way), else the default.
    pub fn option<T: ValueEnum + Default>(
        &self,
        key: Key,
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
        key: Key,
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
                "{} = \"{v}\"{} is not one of: {}",
                key.name(),
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
            if let Some(meant) = crate::error::meant::closest_meant(v, names) {
                msg = format!("{msg} (did you mean \"{meant}\"?)");
            }
            self.bad_value(key, v, msg)
        })
    }
}

/// What a refused value of the file adds when a flag overrides it (the
/// file is checked all the same: a broken file is an error either way).
fn overridden(key: Key, flag: bool) -> String {
    let said = format!(" (overridden by {}, checked all the same)", key.flag());
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
        // Not to be looked at (a folder on its way without permission):
        // the system's reason, exit 1, as for a file that cannot be read.
        Err(e) if !crate::io::is_missing(&e) => Err(Error::io(path, e)),
        Err(_) if std::fs::symlink_metadata(path).is_ok() => Err(Error::Usage(format!(
            "{shown}: config file not found (a symbolic link to nothing)"
        ))),
        Err(_) => Err(Error::Usage(format!("{shown}: config file not found"))),
    }
}
