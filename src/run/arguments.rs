//! The arguments checked before any data is read: the instrument
//! definitions and register loaded, the link target, the published
//! figures, and the config file's values that flags override, so that a
//! mistake is reported at once, named as the user gave it.

use std::path::Path;

use super::pipeline::{Stage, spill_limit};
use super::settings::Settings;
use crate::analysis::published::{self, Published};
use crate::error::Result;
use crate::linking;
use crate::reference::instrument::Instruments;
use crate::reference::register::Register;

/// Loads the instrument definitions and the register named by the settings,
/// or the shipped ones.
pub fn reference(settings: &Settings) -> Result<(Instruments, Register)> {
    let refuse = |key: &str, path: &std::path::Path, what: &str| {
        settings.origins.refuse(key, crate::io::named(path), what)
    };
    let instruments = match &settings.instruments {
        Some(dir) if dir.is_file() => {
            return Err(refuse(
                "instruments",
                dir,
                "is a file; name the folder of instrument files (*.toml)",
            ));
        }
        Some(dir) if !dir.is_dir() => {
            return Err(refuse("instruments", dir, "no such file or folder"));
        }
        Some(dir) => Instruments::load_dir(dir)?,
        None => Instruments::shipped()?,
    };
    let register = match &settings.register {
        Some(path) if !path.exists() => {
            return Err(refuse("register", path, "no such file or folder"));
        }
        // A pipe would wait for a writer forever.
        Some(path) if !path.is_file() && !path.is_dir() => {
            return Err(refuse(
                "register",
                path,
                "not a regular file (a device, pipe or socket)",
            ));
        }
        Some(path) => Register::load(path)?,
        None => Register::shipped()?,
    };
    // Printed under --quiet too: the run goes on without what they hold.
    for (path, column, meant) in &register.misspelt {
        crate::io::warn(&format!(
            "{}: the register column '{column}' is not read (did you mean '{meant}'?); its \
             values are not used",
            crate::io::shown(path)
        ));
    }
    Ok((instruments, register))
}

/// Checks the arguments that need no data, so that a mistake is reported
/// at once: the link target names a scale, the published figures are a
/// readable file of published averages. Every command checks those it was
/// given, even one that stops before they are used (`validate` with a
/// `kompass.toml` shared with `run`), as it checks every other key: a
/// nightly `validate` does not stay green on a config that `run` refuses.
/// The default link target is checked only where it is used (instruments
/// without a `new` scale can be validated). Then `KOMPASS_SPILL_AT`, and
/// the config file's values that flags override ([`check_shadowed`]). The
/// published figures are returned when the run goes as far as the
/// analysis.
pub fn check_arguments(
    settings: &Settings,
    instruments: &Instruments,
    last: Stage,
) -> Result<Option<Published>> {
    if last >= Stage::Link || !settings.origins.is_default("link_to") {
        linking::link_target(instruments, &settings.link.to)
            .map_err(|why| settings.origins.refuse("link_to", &settings.link.to, why))?;
    }
    // Checked here too, so that a run found up to date does not pass over it.
    spill_limit()?;
    // After the values used, which are named first.
    let published = check_published(settings)?;
    check_shadowed(&settings.origins, instruments)?;
    Ok(published.filter(|_| last >= Stage::Analyse))
}

/// The published figures `--published` (or the file) names, read.
fn check_published(settings: &Settings) -> Result<Option<Published>> {
    let Some(path) = settings.published.as_ref() else {
        return Ok(None);
    };
    let refuse = |what: &str| {
        Err(settings
            .origins
            .refuse("published", crate::io::named(path), what))
    };
    if path.is_dir() {
        return refuse("is a folder; name the file of published averages (CSV)");
    }
    if !path.is_file() {
        // A device, pipe or socket is there, but is no file to read.
        return refuse(match std::fs::metadata(path) {
            Ok(_) => {
                "is not a regular file (a device, pipe or socket); name the file of \
                      published averages (CSV)"
            }
            Err(_) => "no such file",
        });
    }
    let published = published::read(path)?;
    Ok(Some(published))
}

/// The config file's values that flags override, checked as if they were
/// used, as far as that goes without loading them: the link target names
/// a scale of the instruments in use (the flag's, when `--instruments`
/// overrides the file's too), the register is a file or folder, the
/// instruments a folder, the published figures a readable file of
/// published averages.
fn check_shadowed(origins: &crate::run::config::Origins, instruments: &Instruments) -> Result<()> {
    let refuse = |key: &str, v: &Path, why: &str| Err(origins.refuse_shadowed(key, v, why));
    if let Some(v) = origins.shadowed("link_to") {
        // Not UTF-8: no scale's id or alias.
        let to = v.to_str().unwrap_or("\u{FFFD}");
        linking::link_target(instruments, to)
            .map_err(|why| origins.refuse_shadowed("link_to", v, why))?;
    }
    let kind = |v: &Path| std::fs::metadata(v).map(|m| (m.is_file(), m.is_dir())).ok();
    if let Some(v) = origins.shadowed("register") {
        match kind(v) {
            None => return refuse("register", v, "no such file or folder"),
            Some((false, false)) => {
                return refuse(
                    "register",
                    v,
                    "not a regular file (a device, pipe or socket)",
                );
            }
            Some(_) => {}
        }
    }
    if let Some(v) = origins.shadowed("instruments") {
        match kind(v) {
            None => return refuse("instruments", v, "no such file or folder"),
            Some((_, false)) => {
                return refuse("instruments", v, "not a folder of instrument files");
            }
            Some(_) => {}
        }
    }
    if let Some(v) = origins.shadowed("published") {
        match kind(v) {
            None => return refuse("published", v, "no such file"),
            Some((false, _)) => {
                return refuse("published", v, "not a regular file of published averages");
            }
            // Read as if used: a malformed one is refused too.
            Some(_) => drop(published::read(v)?),
        }
    }
    Ok(())
}
