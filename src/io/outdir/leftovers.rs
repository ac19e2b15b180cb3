//! What a killed run left beside the output folder (its staging folder,
//! its old output or its own unswapped output at `.<out>.old-<pid>`),
//! known by the pid its lock file names: removed, put back or gone
//! through by the run that takes its lock over.

use std::fs;
use std::path::{Path, PathBuf};

use super::{Own, announce_moved, carry, lock, remove_tree, retire, sibling};
use crate::error::{Error, Result};
use crate::io::manifest;

/// Removes what the killed run `left_by` (the pid in the lock file this
/// run took over) left beside `out` (call with the lock held): its staging
/// folder, and its old output (`.<out>.old-<pid>`, after the swap),
/// gone through as the killed run would have, except that when `out` is
/// missing (or a placeholder), that is the previous output and is put
/// back. Nothing else:
/// without a killed run's pid, nothing.
pub(super) fn clean_leftovers(out: &Path, left_by: Option<u32>) -> Result<usize> {
    let Some(pid) = left_by else {
        return Ok(0);
    };
    let mut removed = 0;
    let old = old_output_of(out, pid);
    let tmp = sibling(out, &format!("tmp-{pid}"));
    let staged = fs::symlink_metadata(&tmp).is_ok_and(|m| m.is_dir());
    // Said before it is done (under `--quiet` too): going through a large
    // output left behind takes long, and an earlier run was killed.
    let left: Vec<String> = (old.iter().chain(staged.then_some(&tmp)))
        .map(|p| crate::io::named(p))
        .collect();
    if !left.is_empty() {
        crate::io::warn(&format!(
            "an earlier run into this folder (process {pid}) was stopped before it finished; \
             what it left beside it is put back or cleared up first ({})",
            left.join(", ")
        ));
    }
    if let Some(old) = old {
        removed += put_back_or_retire(out, &old)?;
    }
    if staged {
        // A staging folder whose manifest is older than the output's: a
        // kompass before 2026-12-03 (which renamed the previous output
        // after the exchange) was killed between the two, and
        // this folder holds the previous output (and what the user saved
        // into it during the run). Gone through as after a swap: its
        // outputs and what was carried go, anything else is moved into
        // the output. Any other (unfinished outputs, or a complete new
        // output not yet swapped in, with copies being carried): removed.
        match holds_previous_output(&tmp, out) {
            true => retire_left(&tmp, out)?,
            false => remove_tree(&tmp)?,
        }
        removed += 1;
    }
    Ok(removed)
}

/// Whether the killed run's staging folder `tmp` holds the output before
/// `out`'s: both manifests kompass's, `tmp`'s written first. Written in
/// the same tick of a coarse clock (FAT's two seconds, a network file
/// system's one) it may be either, and it is taken as the previous output:
/// gone through, a complete new output loses only kompass's files and the
/// copies of what is in `out`, where removing the previous output whole
/// would take what the user saved into it during the run.
fn holds_previous_output(tmp: &Path, out: &Path) -> bool {
    matches!((written_at(tmp), written_at(out)), (Some(a), Some(b)) if a <= b)
}

/// When kompass wrote the manifest in folder `dir` (none where it is not
/// kompass's).
fn written_at(dir: &Path) -> Option<std::time::SystemTime> {
    manifest::written_by_kompass(dir)
        .then(|| crate::io::modified(&dir.join(manifest::FILE_NAME)))
        .flatten()
}

/// Goes through `old`, a killed run's complete folder beside `out`
/// ([`retire::retire`]); an error if not all of it could be removed.
fn retire_left(old: &Path, out: &Path) -> Result<()> {
    let (gone, late) = retire::retire(old, out, &Own::of_output(old, None), &Default::default());
    announce_moved(&late);
    match gone {
        true => Ok(()),
        false => Err(Error::io(
            old,
            std::io::Error::other("not all of it could be removed"),
        )),
    }
}

/// The previous output `old` that a killed run's two-rename swap left
/// (`.out.old-<pid>`): put back where `out` is missing, or an empty
/// folder (a wrapper's `mkdir -p out` before it ran kompass again: the
/// previous output and the user's files in it were removed); gone
/// through as after a swap ([`retire::retire`]) where `out` is the new
/// output (its manifest there); else left, and named. Returns 1 if it
/// was removed.
fn put_back_or_retire(out: &Path, old: &Path) -> Result<usize> {
    // Empty, or holding placeholders only (a `.gitkeep`): put back, the
    // placeholders kept in it.
    if fs::symlink_metadata(out).is_err() || crate::io::holds_only_placeholders(out)? {
        for (entry, _) in carry::entries(out, "").unwrap_or_default() {
            // A placeholder a run killed before its exchange had carried
            // there already (a hard link to it): not kept twice.
            if retire::is_link_to(&old.join(entry.file_name()), &entry.path()) {
                fs::remove_file(entry.path()).map_err(|e| Error::io(&entry.path(), e))?;
                continue;
            }
            let (dst, _) = carry::free_name(old, out, &entry.file_name());
            fs::rename(entry.path(), dst).map_err(|e| Error::io(&entry.path(), e))?;
        }
        let _ = fs::remove_dir(out);
        fs::rename(old, out).map_err(|e| Error::io(old, e))?;
        return Ok(0);
    }
    if !out.join(crate::io::manifest::FILE_NAME).is_file() {
        return Err(Error::Usage(format!(
            "{}: the previous output, left by a run that was killed, is kept there: {} holds \
             something that is not kompass's output",
            crate::io::named(old),
            crate::io::named(out)
        )));
    }
    retire_left(old, out).map(|()| 1)
}

/// Whether `old` is the complete new output of the killed run whose lock
/// file is beside `out` (its manifest written after that run wrote its
/// mark there), not a previous output (written by an earlier run).
pub(super) fn killed_before_its_exchange(old: &Path, out: &Path) -> bool {
    let lock = crate::io::modified(&sibling(out, "lock"));
    matches!((written_at(old), lock), (Some(m), Some(l)) if m > l)
}

/// The previous output of `out` that a killed run's swap left aside
/// (`.<out>.old-<pid>`, the pid its lock file names), if there is one.
pub(super) fn left_aside_by_killed_run(out: &Path) -> Option<PathBuf> {
    old_output_of(out, lock::named_pid(&sibling(out, "lock"))?)
}

/// The folder `.<out>.old-<pid>` that run `pid` left, if it is there.
fn old_output_of(out: &Path, pid: u32) -> Option<PathBuf> {
    let old = sibling(out, &format!("old-{pid}"));
    fs::symlink_metadata(&old)
        .is_ok_and(|m| m.is_dir())
        .then_some(old)
}
