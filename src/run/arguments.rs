//! The arguments checked before any data is read: the instrument
//! definitions and register loaded, the link target, the published
//! figures, and the config file's values that flags override, so that a
//! mistake is reported at once, named as the user gave it.

use std::path::Path;

use super::key::Key;
use super::pipeline::{Stage, spill_limit};
use super::settings::Settings;
use crate::analysis::published::{self, Published};
use crate::error::Result;
use crate::linking;
use crate::reference::instrument::{Instruments, ScaleIx};
use crate::reference::register::Register;

/// Loads the instrument definitions and the register named by the settings,
/// or the shipped ones.
pub fn reference(settings: &Settings) -> Result<(Instruments, Register)> {
    for (key, path) in [
        (Key::Instruments, &settings.instruments),
        (Key::Register, &settings.register),
    ] {
        if let Some((p, why)) = path.as_ref().and_then(|p| Some((p, unusable(key, p)?))) {
            return Err(settings.origins.refuse(key, crate::io::named(p), why));
        }
    }
    let instruments = match &settings.instruments {
        Some(dir) => {
            Instruments::load_dir(dir).map_err(|e| by_key(settings, Key::Instruments, dir, e))?
        }
        None => Instruments::shipped()?,
    };
    let register = match &settings.register {
        Some(path) => Register::load(path).map_err(|e| by_key(settings, Key::Register, path, e))?,
        None => Register::shipped()?,
    };
    // Printed under --quiet too: the run goes on without what they hold.
    for (path, column, meant) in &register.misspelt {
        warn_unread(path, "register", column, meant);
    }
    Ok((instruments, register))
}

/// Warns that the `what` file `path`'s column `column`, which looks like
/// the column `meant` misspelt, is not read.
fn warn_unread(path: &Path, what: &str, column: &str, meant: &str) {
    crate::io::warn(&format!(
        "{}: the {what} column '{column}' is not read (did you mean '{meant}'?); its values \
         are not used",
        crate::io::shown(path)
    ));
}

/// Checks the arguments that need no data, so that a mistake is reported
/// at once: the link target names a scale, the country of exports without
/// a country column one of the register's, the published figures are a
/// readable file of published averages. Every command checks those it was
/// given, even one that stops before they are used (`validate` with a
/// `kompass.toml` shared with `run`), as it checks every other key: a
/// nightly `validate` does not stay green on a config that `run` refuses.
/// The default link target is checked only where it is used (instruments
/// without a `new` scale can be validated). Then `KOMPASS_SPILL_AT`, and
/// the config file's values that flags override ([`check_shadowed`]).
/// Returns the link target's scale, where the name is one, and, when the
/// run goes as far as the analysis, the published figures.
pub fn check_arguments(
    settings: &Settings,
    (instruments, register): (&Instruments, &Register),
    last: Stage,
) -> Result<Checked> {
    let link_to = match linking::link_target(instruments, &settings.link.to) {
        Ok(ix) => Some(ix),
        Err(why) if last >= Stage::Link || !settings.origins.is_default(Key::LinkTo) => {
            return Err(settings.origins.refuse(Key::LinkTo, &settings.link.to, why));
        }
        Err(_) => None,
    };
    // The default (Sweden) is not checked: a register without it reads
    // exports that each name their country, as before there was a flag.
    if !settings.origins.is_default(Key::Country)
        && let Some(why) = unknown_country(register, &settings.read.country)
    {
        return Err((settings.origins).refuse(Key::Country, &settings.read.country, why));
    }
    // Checked here too, so that a run found up to date does not pass over it.
    spill_limit()?;
    // After the values used, which are named first.
    let published = check_published(settings, (instruments, register))?;
    check_shadowed(&settings.origins, (instruments, register))?;
    Ok(Checked {
        published: published.filter(|_| last >= Stage::Analyse),
        link_to,
    })
}

/// What [`check_arguments`] found, for the run to use as found.
pub struct Checked {
    /// The published figures, read, where the run goes as far as the
    /// analysis.
    pub published: Option<Published>,
    /// The scale the others are linked to (`--link-to`, looked up once):
    /// always there where the run links, since a name that is no scale
    /// stops it; else where the name is one.
    pub link_to: Option<ScaleIx>,
}

/// Why `given` (`--country`) is not a country of `register`, if it is not:
/// every row of an export without a country column would be an
/// `unknown-country` error.
fn unknown_country(register: &Register, given: &str) -> Option<String> {
    let country = register.country_of(given);
    register.code_widths(&country).is_none().then(|| {
        format!(
            "not a country of the register (known: {}; a code, or a name as Norge or Denmark)",
            register.countries().join(", ")
        )
    })
}

/// The published figures `--published` (or the file) names, read.
fn check_published(
    settings: &Settings,
    (instruments, register): (&Instruments, &Register),
) -> Result<Option<Published>> {
    let Some(path) = settings.published.as_ref() else {
        return Ok(None);
    };
    if let Some(why) = unusable(Key::Published, path) {
        return Err((settings.origins).refuse(Key::Published, crate::io::named(path), why));
    }
    let read = (published::read(path).and_then(|p| p.once_each(instruments, register).map(|()| p)))
        .map_err(|e| by_key(settings, Key::Published, path, e))?;
    // Printed under --quiet too, as the register's.
    for (column, meant) in &read.misspelt {
        warn_unread(path, "published", column, meant);
    }
    Ok(Some(read))
}

/// The error `e` of the file `path` that `key` names: where the config
/// file gave it and `e` is about what the file holds (exit 2), named as
/// that key, as a missing file is (`v.toml: line 2, column 13: published
/// = "p.csv": p.csv: published averages need a 'source' ...`); else as it
/// is (a flag's, or a file that cannot be read at all, exit 1).
fn by_key(
    settings: &Settings,
    key: Key,
    path: &Path,
    e: crate::error::Error,
) -> crate::error::Error {
    match e {
        crate::error::Error::Config { .. } if settings.origins.from_file(key) => {
            (settings.origins).refuse(key, crate::io::named(path), e)
        }
        e => e,
    }
}

/// Why the file or folder that `key` (`instruments`, `register`,
/// `published`) names cannot be read, if it cannot: not there, or not
/// what the key takes (a pipe would wait for a writer forever). One that
/// cannot be looked at (a folder on its way without permission) is read
/// all the same, and its read gives the system's reason (exit 1; it was
/// "no such file", exit 2: reference audit of the seventy-sixth session).
fn unusable(key: Key, path: &Path) -> Option<&'static str> {
    let m = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if !crate::io::is_missing(&e) => return None,
        Err(_) => {
            return Some(match key {
                Key::Published => "no such file",
                _ => "no such file or folder",
            });
        }
    };
    let (file, dir) = (m.is_file(), m.is_dir());
    match key {
        Key::Instruments if file => Some("is a file; name the folder of instrument files (*.toml)"),
        Key::Instruments if !dir => Some("not a folder of instrument files"),
        Key::Register if !file && !dir => Some("not a regular file (a device, pipe or socket)"),
        Key::Published if dir => Some("is a folder; name the file of published averages (CSV)"),
        Key::Published if !file => Some(
            "is not a regular file (a device, pipe or socket); name the file of published \
             averages (CSV)",
        ),
        _ => None,
    }
}

/// The config file's values that flags override, checked as if they were
/// used: the link target names a scale of the instruments in use (the
/// flag's, when `--instruments` overrides the file's too), the country one
/// of the register in use; the register, the instruments and the
/// published figures are loaded (and dropped).
fn check_shadowed(
    origins: &crate::run::origins::Origins,
    (instruments, register): (&Instruments, &Register),
) -> Result<()> {
    if let Some(v) = origins.shadowed(Key::LinkTo) {
        // Not UTF-8: no scale's id or alias.
        let to = v.to_str().unwrap_or("\u{FFFD}");
        linking::link_target(instruments, to)
            .map_err(|why| origins.refuse_shadowed(Key::LinkTo, v, why))?;
    }
    if let Some(v) = origins.shadowed(Key::Country)
        && let Some(why) = unknown_country(register, &v.to_string_lossy())
    {
        return Err(origins.refuse_shadowed(Key::Country, v, why));
    }
    for key in [Key::Register, Key::Instruments, Key::Published] {
        let Some(v) = origins.shadowed(key) else {
            continue;
        };
        if let Some(why) = unusable(key, v) {
            return Err(origins.refuse_shadowed(key, v, why));
        }
        // Loaded as if used: a malformed one is refused too, named as the
        // key that gave it.
        let loaded = match key {
            Key::Published => published::read(v).and_then(|p| p.once_each(instruments, register)),
            Key::Register => Register::load(v).map(drop),
            Key::Instruments => Instruments::load_dir(v).map(drop),
            // No other key names a file to load.
            _ => Ok(()),
        };
        loaded.map_err(|e| origins.refuse_shadowed(key, v, e))?;
    }
    Ok(())
}
