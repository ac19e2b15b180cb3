//! How to link: the options of the link stage (`--link-method`,
//! `--bootstrap`, `--link-seed`, `--link-to`) as domain values, and the
//! checks of the numbers given for them.

use super::methods::MethodChoice;
use crate::reference::instrument::{Instruments, ScaleIx};

/// The most bootstrap replicates a run draws: every replicate keeps the
/// linked value of every score point of every item (about 25 kB a scale).
/// More replicates do not make the SE of a link of few municipalities much
/// steadier: at 5–9 the resamples with almost no spread dominate it, and
/// 10,000 replicates still leave it about ±13 % from seed to seed.
pub const MAX_BOOTSTRAP: u32 = 10_000;

/// A number of bootstrap replicates as `--bootstrap` (or the config file)
/// gives it: 0 (no standard errors) or 2 to [`MAX_BOOTSTRAP`] (one
/// replicate has no spread to take an SD of).
pub fn bootstrap_replicates(text: &str) -> std::result::Result<u32, String> {
    let n: u32 = (text.trim().parse()).map_err(|_| {
        format!("'{text}' is not a number of replicates: give 0 (no standard errors) or 2 to {MAX_BOOTSTRAP}")
    })?;
    allowed_replicates(n)
}

/// A bootstrap seed as `--link-seed` gives it: a whole number from 0 to
/// `i64::MAX` (what `kompass.toml`, a TOML integer, can hold).
pub fn link_seed(text: &str) -> std::result::Result<u64, String> {
    (text.trim().parse::<u64>().ok())
        .filter(|s| i64::try_from(*s).is_ok())
        .ok_or_else(|| {
            format!(
                "'{text}' is not a seed: give a whole number from 0 to {}",
                i64::MAX
            )
        })
}

/// The scale named by `--link-to` (`link_to` in the config file), or why
/// there is none.
pub fn link_target(instruments: &Instruments, name: &str) -> std::result::Result<ScaleIx, String> {
    instruments.lookup(name).ok_or_else(|| {
        let names = instruments.names_meant();
        let meant = crate::error::meant::closest_meant(name.trim(), names)
            .map(|id| format!("; did you mean {id}?"))
            .unwrap_or_default();
        format!("unknown scale (known: {}{meant})", instruments.names())
    })
}

/// `n` if it is a number of bootstrap replicates a run may draw (see
/// [`bootstrap_replicates`]).
pub fn allowed_replicates(n: u32) -> std::result::Result<u32, String> {
    if n == 1 || n > MAX_BOOTSTRAP {
        return Err(format!(
            "{n} replicates: give 0 (no standard errors) or 2 to {MAX_BOOTSTRAP}"
        ));
    }
    Ok(n)
}

/// How to link.
#[derive(Debug, Clone)]
pub struct LinkOptions {
    pub method: MethodChoice,
    /// Bootstrap replicates (at most [`MAX_BOOTSTRAP`]).
    pub bootstrap: u32,
    pub seed: u64,
    /// Target scale (id or alias).
    pub to: String,
}

impl Default for LinkOptions {
    fn default() -> Self {
        LinkOptions {
            method: MethodChoice::Auto,
            bootstrap: 1000,
            seed: 2010,
            to: "new".into(),
        }
    }
}
