//! The names a version is found by (its id and aliases), checked as they
//! are added: each names one version however an export writes it, in any
//! case and white space and with a word for "scale" after it, and none is
//! a word for "scale" alone or the linked scale's.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::file::{is_scale_word, name_key, without_scale_word};
use super::{LINKED, Scale, ScaleIx};
use crate::error::{Error, Result};

/// The versions' names so far.
#[derive(Default)]
pub(super) struct Names {
    /// Each id and alias as [`name_key`] makes it: what
    /// [`super::Instruments::lookup`] finds a version by.
    pub(super) by_name: HashMap<String, ScaleIx>,
    /// Each as an export's scale cell is read: without a word for "scale"
    /// after it (`ny skala` is `ny`), so that no cell reads as two versions.
    /// (The version and the name as given.)
    read_as: HashMap<String, (ScaleIx, String)>,
}

impl Names {
    /// Adds the id and aliases of `scale`, version `ix` of file `path`;
    /// `earlier` are the versions before it and their files.
    pub(super) fn add(
        &mut self,
        scale: &Scale,
        ix: ScaleIx,
        path: &Path,
        earlier: (&[Scale], &[PathBuf]),
    ) -> Result<()> {
        let used_by = |other: ScaleIx| {
            let (s, at) = (&earlier.0[other as usize], &earlier.1[other as usize]);
            format!("version '{}' ({})", s.id, crate::io::shown(at))
        };
        for name in std::iter::once(&scale.id).chain(&scale.aliases) {
            let key = name_key(name);
            if key == LINKED {
                return Err(Error::config(
                    path,
                    format!(
                        "'{name}' is reserved for the scale that linked scores are written on; choose another id or alias"
                    ),
                ));
            }
            // "skala" alone names no version (README: an export's `skala`
            // is no scale); as an alias it made every such cell this one's
            // (reference audit of the seventy-sixth session).
            if is_scale_word(&key) {
                return Err(Error::config(
                    path,
                    format!(
                        "'{name}' is a word for \"scale\" alone, which names no version; choose another id or alias"
                    ),
                ));
            }
            if let Some(other) = self.by_name.insert(key.clone(), ix) {
                // Its own id again, or an alias twice (in any case).
                return Err(Error::config(
                    path,
                    match other == ix {
                        true => format!(
                            "name or alias '{name}' is given twice in version '{}' (its id and aliases are one name each, in any case)",
                            scale.id
                        ),
                        false => {
                            format!("name or alias '{name}' is also used by {}", used_by(other))
                        }
                    },
                ));
            }
            // `ny skala` beside another version's `ny`: a cell `Ny skala`
            // was read as this version, found first (the same audit).
            let read = without_scale_word(name).unwrap_or(key);
            if let Some((other, as_given)) = self.read_as.insert(read.clone(), (ix, name.clone()))
                && other != ix
            {
                return Err(Error::config(
                    path,
                    format!(
                        "name or alias '{name}' and {}'s '{as_given}' are read alike, as '{read}' (a word for \"scale\" after a name is left out, as in an export's scale cell)",
                        used_by(other)
                    ),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::Instruments;

    /// An alias another version's name is read as in an export's scale
    /// cell (`ny skala` is `ny`, `2010 års skala` is `2010`), or a word
    /// for "scale" alone, is refused (reference audit of the
    /// seventy-sixth session: each was taken, and a cell `Ny skala` read
    /// as the 2015 version, without a word).
    #[test]
    fn aliases_an_export_reads_as_another_versions_name_are_refused() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/instrument");
        let with = |aliases: &str| {
            let files = ["2015", "2020", "new", "old"].map(|id| {
                let p = dir.join(format!("{id}.toml"));
                let text = std::fs::read_to_string(&p).expect("shipped");
                let text = match id {
                    "2015" => {
                        let at = text.find("aliases = [").expect("aliases");
                        let end = at + text[at..].find(']').expect("end");
                        format!("{}aliases = [{aliases}{}", &text[..at], &text[end..])
                    }
                    _ => text,
                };
                (p, text)
            });
            Instruments::from_texts(files.into())
        };
        assert!(with("\"reviderad 2015\", \"2015 skala\"").is_ok());
        for (aliases, says) in [
            ("\"ny skala\"", "'ny' and version '2015'"),
            ("\"2010 års skala\"", "are read alike, as '2010'"),
            ("\"Skala\"", "'Skala' is a word for \"scale\" alone"),
        ] {
            let err = with(aliases).expect_err(aliases).to_string();
            assert!(err.contains(says), "{aliases}: {err}");
        }
    }
}
