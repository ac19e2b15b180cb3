//! The swap of a run's staging folder for its output: made durable first
//! (a write the disk refuses late is an error before anything is
//! replaced), then exchanged in one step.

use std::fs;
use std::path::{Path, PathBuf};

use super::interrupt::{self, Held, registry, stopping};
use super::{Carried, Own, sibling};
use crate::error::{Error, Result};

/// Replaces `out` by `staging` in one step: an atomic exchange of the two
/// folders where the file system has one (Linux; `staging` renamed to
/// `.<out>.old-<pid>` first, so that the exchange leaves the old output
/// there), else two renames, the
/// first undone if the second fails. Returns where the old output now is
/// (`.<out>.old-<pid>`), for the caller to go through with [`super::retire()`] (at
/// 1,000,000 evaluations that takes a second, which the caller spends
/// beside other work); the new output is in place all the same if that
/// leaves something (named for the user) or is cut short by a `kill -9`
/// (the next run goes through the rest).
/// The registry is held through the swap, so an interrupt removes the
/// staging folder before it and, after it, goes through the old output as
/// [`super::retire()`] does (or waits for that to finish), never removing the new
/// output.
pub fn replace(
    out: &Path,
    staging: &Path,
    own: &Own,
    carried: &Carried,
) -> Result<Option<PathBuf>> {
    let mut registry = registry();
    // An interrupt that came first leaves the previous output.
    if stopping() {
        return Err(Error::io(out, interrupt::interrupted()));
    }
    // The previous output's place: registered as such, so that an
    // interrupt goes through it (it may hold what the user saved into the
    // folder during the run), not remove it.
    let previous = Held::Previous {
        out: out.to_path_buf(),
        own: own.clone(),
        moved: carried.moved.clone(),
    };
    // `from` renamed to `to`: what an interrupt does with it is now `held`
    // (the staging folder's own, or the previous output's), or nothing.
    let mut moved = |from: &Path, to: Option<(&Path, Held)>| {
        registry.retain(|(p, _)| p != from);
        registry.extend(to.map(|(p, held)| (p.to_path_buf(), held)));
    };
    if !out.exists() {
        fs::rename(staging, out).map_err(|e| Error::io(out, e))?;
        moved(staging, None);
        return Ok(None);
    }
    if !out.is_dir() {
        return Err(Error::Usage(format!(
            "{}: the output exists and is not a folder",
            crate::io::named(out)
        )));
    }
    let old = sibling(out, &format!("old-{}", std::process::id()));
    if fs::symlink_metadata(&old).is_ok() {
        return Err(Error::Usage(format!(
            "{}: kompass needs this name for a moment to swap its output, and something is \
             already there; move it away",
            crate::io::named(&old)
        )));
    }
    // The new output takes the name the old output is to have, and the
    // exchange then leaves the old output under it in the same step: a
    // `kill -9` at any moment leaves at `.<out>.old-<pid>` either the
    // complete new output, not swapped in, or the previous output, which
    // the next run goes through against the folder in place
    // (`super::leftovers`: the new output's files and the copies
    // of what is in place go, anything else is moved in). The previous
    // output was for a moment under the staging folder's name, which the
    // next run removes whole where the previous output had no manifest
    // (a folder of placeholders and what the user saved into it during
    // the run: safety audit, 2026-12-02).
    fs::rename(staging, &old).map_err(|e| Error::io(out, e))?;
    moved(staging, Some((&old, Held::Ours)));
    let Err(e) = exchange(&old, out) else {
        moved(&old, Some((&old, previous)));
        return Ok(Some(old));
    };
    // Back under its own name, for the error's clean-up or the two renames;
    // where that fails, removed where it is (it holds the new output and
    // copies of what is in place), or left for the next run, which goes
    // through it against the previous output.
    if let Err(back) = fs::rename(&old, staging) {
        drop(registry);
        let gone = super::discard(&old).is_ok();
        if !gone {
            LEFT_ASIDE.store(true, std::sync::atomic::Ordering::SeqCst);
        }
        let left = match gone {
            true => String::new(),
            false => format!(
                "; this run's output is left at {}, which the next run removes",
                crate::io::named(&old)
            ),
        };
        let why = format!(
            "{e}; moving this run's output back to its staging folder failed too ({back}); the \
             previous output is as it was{left}"
        );
        return Err(Error::io(out, std::io::Error::new(e.kind(), why)));
    }
    moved(&old, Some((staging, Held::Ours)));
    if !unsupported(&e) {
        return Err(Error::io(out, not_renamable(e)));
    }
    two_renames(out, staging, &old)?;
    moved(staging, Some((&old, previous)));
    Ok(Some(old))
}

/// The swap where there is no exchange: `out` renamed to `old`, then
/// `staging` to `out`; the first undone if the second fails and, where
/// that fails too, the error says where the previous output is (and
/// [`left_aside`] says so to the caller, who leaves the lock file for the
/// next run, which puts it back).
fn two_renames(out: &Path, staging: &Path, old: &Path) -> Result<()> {
    fs::rename(out, old).map_err(|e| Error::io(out, not_renamable(e)))?;
    let Err(e) = fs::rename(staging, out) else {
        return Ok(());
    };
    let Err(back) = fs::rename(old, out) else {
        return Err(Error::io(out, e));
    };
    LEFT_ASIDE.store(true, std::sync::atomic::Ordering::SeqCst);
    let why = format!(
        "{e}; the previous output is at {} (putting it back failed: {back}): the next run puts \
         it back, or rename it to {} yourself",
        crate::io::named(old),
        crate::io::named(out)
    );
    Err(Error::io(out, std::io::Error::new(e.kind(), why)))
}

/// Whether an exchange failed because the system or file system has none
/// (the only case for the two-rename fallback).
fn unsupported(e: &std::io::Error) -> bool {
    #[cfg(target_os = "linux")]
    {
        matches!(
            e.raw_os_error(),
            Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
        )
    }
    #[cfg(not(target_os = "linux"))]
    {
        e.kind() == std::io::ErrorKind::Unsupported
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths; AT_FDCWD resolves them
    // relative to the current folder, as std::fs does.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "no atomic exchange on this system",
    ))
}

/// Set when [`replace`] left a folder at `.<out>.old-<pid>` for the next
/// run: the previous output moved aside and not put back, or the new
/// output moved there and neither swapped in nor removed.
static LEFT_ASIDE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether this run's [`replace`] left the previous output aside under
/// its name (`.<out>.old-<pid>`), for the next run to put back (or the
/// new output there, for it to go through). Not
/// whether something is there: a folder of the user's by that name makes
/// [`replace`] refuse, and must not become the next run's to go through.
pub fn left_aside() -> bool {
    LEFT_ASIDE.load(std::sync::atomic::Ordering::SeqCst)
}

/// Makes what was written into `staging` durable before it replaces
/// anything: waits for the flushes of the CSV and Parquet outputs, each
/// started when its file was finished ([`crate::io::flush`]), then one
/// `syncfs(2)` of the folder's file system (Linux) for the rest (the
/// report's pages, the folder's entries). A write that the storage
/// refuses only on its way to the disk (a full thin-provisioned or
/// overcommitted volume, a quota counted at writeback, a network file
/// system) is reported here, naming its file, while the previous output
/// is still in place; without it such a run ended with exit 0 and a
/// corrupt output in place of a good one. One call for the pages and the
/// rest, not an `fsync` per file: a report of 30,000 pages would cost a
/// journal commit each.
pub fn durable(staging: &Path) -> Result<()> {
    crate::io::flush::flushed().map_err(|(path, e)| Error::io(&path, e))?;
    #[cfg(target_os = "linux")]
    {
        let dir = fs::File::open(staging).map_err(|e| Error::io(staging, e))?;
        use std::os::fd::AsRawFd;
        // SAFETY: syncfs takes an open descriptor, which `dir` holds until
        // after the call.
        if unsafe { libc::syncfs(dir.as_raw_fd()) } != 0 {
            // Named by the caller as the output it was writing, with what
            // became of the previous one (`as_in_output`).
            return Err(Error::io(staging, std::io::Error::last_os_error()));
        }
    }
    // Elsewhere as far as the system allows (a folder cannot be opened as
    // a file on every system): a flush of the folder, its errors not
    // checked.
    #[cfg(not(target_os = "linux"))]
    crate::io::flush_folder(staging);
    Ok(())
}

/// `e`, explained where the output folder cannot be renamed at all: on an
/// overlay file system a folder of a lower layer (a container image's)
/// gives `EXDEV`, and every run would end so after all its work.
fn not_renamable(e: std::io::Error) -> std::io::Error {
    #[cfg(target_os = "linux")]
    if e.raw_os_error() == Some(libc::EPERM) {
        return super::told(
            e.kind(),
            format!(
                "{e}: the system does not let this user rename this folder (it is immutable or \
                 append-only, or another user's in a folder with the sticky bit), and kompass \
                 replaces its output by renaming; write to a folder of your own (the previous \
                 output is as it was)"
            ),
        );
    }
    #[cfg(target_os = "linux")]
    if e.raw_os_error() == Some(libc::EXDEV) {
        return super::told(
            e.kind(),
            format!(
                "{e}: the file system cannot rename this folder (a folder of an overlay's \
                 lower layer, as in a container image, cannot be), and kompass replaces its \
                 output by renaming; write to a new folder, or move this one's files to a \
                 new folder of the same name (the previous output is as it was)"
            ),
        );
    }
    e
}
