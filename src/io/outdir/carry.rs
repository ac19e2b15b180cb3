//! What survives a run: everything in the old output folder that kompass did
//! not write (the previous manifest lists what it wrote; an output changed
//! since is the user's) is carried into the staging folder before the swap:
//! files, sub-folders (a notes folder, a `.git/`) and symbolic links, at the
//! same place. A file is carried as a second hard link to it (the same file:
//! its bytes, permissions, owner and times), or where the file system
//! refuses one, copied with its permissions, times and, as far as the
//! system allows, owner; folders keep theirs, and the output folder and its
//! sub-folders their permissions and owner; copies and folders also keep
//! their extended attributes and access lists (`attrs`). The originals stay where they
//! are until the swap has succeeded, so a failed run loses nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Path, PathBuf};

use super::copy::{copy, keep_access, not_mounted};
use crate::error::{Error, Result};

/// `r, changed since kompass wrote it`, for output `r` at `src` found
/// changed; or, for a regular file this user may not read (its hash
/// cannot be taken), that it is taken as changed for that: its content
/// may be as kompass wrote it. (Only a regular file is opened: a pipe
/// put in its place would wait.)
fn changed(src: &Path, r: &str) -> String {
    let regular = fs::symlink_metadata(src).is_ok_and(|m| m.is_file());
    match regular.then(|| fs::File::open(src).err()).flatten() {
        None => format!("{r}, changed since kompass wrote it"),
        Some(e) => {
            format!("{r}, which cannot be read ({e}): taken as changed since kompass wrote it")
        }
    }
}

/// The paths kompass wrote in the old output and that are still as it
/// wrote them, and the outputs changed since (relative, `/`-separated).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Own {
    written: BTreeSet<String>,
    changed: BTreeSet<String>,
    /// Each written file's size and modification time as it was judged
    /// kompass's ([`Own::of_output`]; `None`: there was none): one edited
    /// since, or one put where there was none (saved during the run), is
    /// the user's, not removed with the old output.
    seen: BTreeMap<String, Option<Stamp>>,
}

impl Own {
    pub fn new(
        written: impl IntoIterator<Item = String>,
        changed: impl IntoIterator<Item = String>,
    ) -> Self {
        Own {
            written: written.into_iter().collect(),
            changed: changed.into_iter().collect(),
            seen: BTreeMap::new(),
        }
    }

    /// What kompass wrote in output folder `dir`, as its manifest lists it
    /// (read on its own: a manifest of another kompass version, with other
    /// configuration keys, still says what kompass wrote, which must not be
    /// kept as the user's; but an output the user changed since, or one a
    /// manifest lists that kompass did not write as it says, is theirs),
    /// and the manifest itself (unless it was edited: then it is among the
    /// changed, the user's). `start`: the manifest's listing as read
    /// at the run's start, which stands in where the manifest was removed
    /// or broken since: each output it lists is still judged by its
    /// recorded size, time and hash, rather than every output being taken
    /// for the user's.
    pub fn of_output(dir: &Path, start: Option<&[serde_json::Value]>) -> Self {
        use crate::io::manifest;
        let look = manifest::look(dir);
        let listed = look.listing.as_deref().or(start);
        let (listed, mut changed) = manifest::listed_outputs(dir, listed);
        // Each file's stamp from the look that judged it, not a second one
        // (a file edited between the two would be taken for kompass's).
        let mut seen: BTreeMap<_, _> = (listed.into_iter())
            .map(|(rel, meta)| (rel, meta.as_ref().map(stamp)))
            .collect();
        let mut written: Vec<String> = seen.keys().cloned().collect();
        // The manifest is kompass's unless it was edited (then the user's:
        // carried as `manifest.json.kept`).
        let name = manifest::FILE_NAME.to_string();
        match look.edited {
            true => changed.push(name.clone()),
            false => written.push(name.clone()),
        }
        seen.insert(name, look.meta.as_ref().map(stamp));
        Own {
            seen,
            ..Own::new(written, changed)
        }
    }

    /// The same, with the outputs in `edited` (found with another hash
    /// than the manifest's) taken as changed: an edit that kept the size
    /// and the modification time is the user's all the same.
    pub fn and_edited(mut self, edited: &[String]) -> Self {
        for rel in edited {
            if self.written.remove(rel) {
                self.changed.insert(rel.clone());
            }
        }
        self
    }

    /// Whether kompass wrote file `rel` (and it is as kompass wrote it).
    pub(super) fn wrote(&self, rel: &str) -> bool {
        self.written.contains(rel)
    }

    /// Whether kompass wrote file `rel`, found now with `meta`, and it has
    /// not been changed since this was worked out (a file of the user's
    /// saved over it during the run is theirs).
    pub(super) fn wrote_as_seen(&self, rel: &str, meta: &fs::Metadata) -> bool {
        self.wrote(rel) && (self.seen.get(rel)).is_none_or(|was| *was == Some(stamp(meta)))
    }

    /// Whether kompass wrote anything below folder `rel`.
    pub(super) fn has_under(&self, rel: &str) -> bool {
        let prefix = format!("{rel}/");
        let under = |set: &BTreeSet<String>| {
            (set.range(prefix.clone()..).next()).is_some_and(|p| p.starts_with(&prefix))
        };
        under(&self.written) || under(&self.changed)
    }
}

/// A file's size and modification time, to tell whether it changed.
type Stamp = (u64, Option<std::time::SystemTime>);

/// The [`Stamp`] of a file found with `meta`.
fn stamp(meta: &fs::Metadata) -> Stamp {
    (meta.len(), meta.modified().ok())
}

/// What was carried under another name, or kept where it was though
/// changed: for the summary, and for
/// [`super::retire()`] to find it.
#[derive(Debug, Default)]
pub struct Carried {
    /// Each as the summary names it.
    pub kept: Vec<String>,
    /// Relative place in the old output → the name it has in the new
    /// (in the same folder).
    pub moved: BTreeMap<String, OsString>,
}

/// Copies what kompass did not write from `out` into `staging`. A file of
/// the user's at a place the new run wrote to is kept beside it as
/// `<name>.kept` (then `.kept2`, ...); those places are returned. A volume
/// mounted inside `out` since the run's check refuses it (its files would
/// be copied, then removed from the volume with the old output).
pub fn carry_over(out: &Path, staging: &Path, own: &Own) -> Result<Carried> {
    super::mounts::no_volume_inside(out)?;
    let mut renamed = Carried::default();
    if out.is_dir() {
        walk(out, staging, "", own, &mut renamed)
            .and_then(|()| keep_access(out, staging))
            .map_err(|e| match e {
                Error::Io { path, source } if path.starts_with(out) => {
                    let why = format!(
                        "{source}: kompass keeps what you put in its output folder by copying it \
                     into the new output, and could not copy this (the previous output is left \
                     as it was)"
                    );
                    Error::Io {
                        path,
                        source: super::told(source.kind(), why),
                    }
                }
                e => e,
            })?;
    }
    Ok(renamed)
}

fn walk(dir: &Path, stage: &Path, rel: &str, own: &Own, renamed: &mut Carried) -> Result<()> {
    for (entry, r) in entries(dir, rel).map_err(|e| Error::io(dir, e))? {
        let name = entry.file_name();
        let src = entry.path();
        let kind = entry.file_type().map_err(|e| Error::io(&src, e))?;
        if kind.is_dir() {
            not_mounted(&src)?;
        }
        if kind.is_dir() && own.has_under(&r) {
            walk(&src, &stage.join(&name), &r, own, renamed)?;
            if stage.join(&name).is_dir() {
                keep_access(&src, &stage.join(&name))?;
            }
            continue;
        }
        // kompass writes files only: a folder or a link at a place it
        // wrote to before is the user's, and is kept.
        if own.written.contains(&r) && kind.is_file() {
            continue;
        }
        // A folder of the user's that the new output has too: merged.
        if kind.is_dir() && stage.join(&name).is_dir() {
            let dst = stage.join(&name);
            walk(&src, &dst, &r, own, renamed)?;
            keep_access(&src, &dst)?;
            continue;
        }
        let (dst, kept) = free_name(stage, dir, &name);
        if kept == name && own.changed.contains(&r) {
            // An output this run does not write (`--format parquet` after
            // CSV, `--charts none`) that the user changed: theirs, kept
            // under its name, and said, so that the stale file is known.
            (renamed.kept).push(format!(
                "{} (kept where it is): this run does not write it",
                changed(&src, &r)
            ));
        } else if kept != name {
            let at = match rel {
                "" => kept.to_string_lossy().into_owned(),
                _ => format!("{rel}/{}", kept.to_string_lossy()),
            };
            renamed.moved.insert(r.clone(), kept);
            let what = if kind.is_symlink() {
                "link"
            } else if kind.is_dir() {
                "folder"
            } else {
                "file"
            };
            renamed.kept.push(if own.changed.contains(&r) {
                format!(
                    "{} (kept as {at}): kompass now writes there",
                    changed(&src, &r)
                )
            } else {
                format!("your {what} {r} (kept as {at}): kompass now writes there")
            });
        }
        crate::io::create_dir(stage)?;
        copy(&src, &dst, kind)?;
    }
    Ok(())
}

/// The entries of folder `dir` (at relative place `rel`), by name, each
/// with its relative place (`/`-separated).
pub(super) fn entries(dir: &Path, rel: &str) -> std::io::Result<Vec<(fs::DirEntry, String)>> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    Ok(entries
        .into_iter()
        .map(|e| {
            let name = e.file_name();
            let r = match rel {
                "" => name.to_string_lossy().into_owned(),
                _ => format!("{rel}/{}", name.to_string_lossy()),
            };
            (e, r)
        })
        .collect())
}

/// The place in folder `into` for the entry `name` of folder `from`: its
/// own name if free, else `<name>.kept` (then `.kept2`, ...), free in
/// `into` and not taken by another entry of `from` (an `x.kept` of the
/// user's is carried as it is, not pushed aside by their `x`).
/// Bytes as they are: a name that is not UTF-8 keeps them.
pub(super) fn free_name(into: &Path, from: &Path, name: &OsStr) -> (PathBuf, OsString) {
    let mut kept = name.to_os_string();
    let mut dst = into.join(name);
    let mut n = 1;
    while fs::symlink_metadata(&dst).is_ok()
        || (n > 1 && fs::symlink_metadata(from.join(&kept)).is_ok())
    {
        kept = with_suffix(
            name,
            &match n {
                1 => ".kept".to_string(),
                _ => format!(".kept{n}"),
            },
        );
        dst = into.join(&kept);
        n += 1;
    }
    (dst, kept)
}

/// The longest file name most file systems take, in bytes.
const NAME_MAX: usize = 255;

/// `name` with `suffix`, its end cut (before a character) where the two
/// would be longer than [`NAME_MAX`] bytes: a name of 251 to 255 bytes
/// saved again during a run could not become `<name>.kept`, and its new
/// content was left behind in the previous output.
fn with_suffix(name: &OsStr, suffix: &str) -> OsString {
    let bytes = name.as_encoded_bytes();
    let mut cut = bytes.len().min(NAME_MAX.saturating_sub(suffix.len()));
    // Not inside a UTF-8 character (a continuation byte is 10xxxxxx).
    while cut > 0 && cut < bytes.len() && bytes[cut] & 0xC0 == 0x80 {
        cut -= 1;
    }
    let mut kept = short(name, cut);
    kept.push(suffix);
    kept
}

/// The first `cut` bytes of `name`.
#[cfg(unix)]
fn short(name: &OsStr, cut: usize) -> OsString {
    use std::os::unix::ffi::OsStrExt;
    OsStr::from_bytes(&name.as_bytes()[..cut]).to_os_string()
}

/// The first `cut` bytes of `name` (as text: names elsewhere are Unicode).
#[cfg(not(unix))]
fn short(name: &OsStr, cut: usize) -> OsString {
    let text = name.to_string_lossy();
    let mut end = cut.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    OsString::from(&text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A name of 255 bytes (the longest) keeps its start and takes the
    /// suffix within 255 bytes; a cut never splits a character; a short
    /// name is only suffixed.
    #[test]
    fn a_kept_name_fits_in_255_bytes() {
        let long = "L".repeat(255);
        let kept = with_suffix(OsStr::new(&long), ".kept");
        assert_eq!(kept, OsString::from(format!("{}.kept", "L".repeat(250))));
        let wide = "å".repeat(127);
        let kept = with_suffix(OsStr::new(&wide), ".kept12");
        assert_eq!(kept, OsString::from(format!("{}.kept12", "å".repeat(124))));
        assert_eq!(with_suffix(OsStr::new("a.csv"), ".kept"), "a.csv.kept");
    }
}
