//! The output folder of a run: a lock so that two runs never write it at
//! once, a staging folder beside it that the run writes into, and an atomic
//! swap that replaces the old output only when everything succeeded.
//!
//! Beside `notebooks-out/` live, while a run is going on,
//! `.notebooks-out.lock` (the lock file), `.notebooks-out.tmp-<pid>/` (the
//! run's staging folder) and, on file systems without an atomic exchange,
//! for a moment `.notebooks-out.old-<pid>/` (the previous output). A run
//! that ends, fails or is interrupted removes its own; after a `kill -9`
//! the next run removes a staging folder and a lock file, and puts back an
//! `.old-` folder if the output folder is missing (never deletes it then).
//! Only those exact names are touched (`<pid>` all digits, an `.old-`
//! folder only with kompass's manifest in it, a lock file only when empty
//! or kompass's): a folder or file of the user's that merely starts so is
//! left alone.

mod carry;
mod owner;

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

pub use carry::{Own, carry_over};
pub use owner::check;

use crate::error::{Error, Result};
use crate::io::manifest;

/// The folder the output folder is in.
fn beside(out: &Path) -> &Path {
    out.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// `.<name>.<suffix>` beside the output folder.
fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map_or("out".into(), |n| n.to_string_lossy().into_owned());
    beside(out).join(format!(".{name}.{suffix}"))
}

/// What an interrupted run (SIGINT, SIGTERM, SIGHUP) must not leave
/// behind: the lock file of the run in progress and its staging folder or,
/// once swapped, the old output.
static CLEANUP: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Set when the process is interrupted: from then on no output file or
/// folder is created, so that the run's writers, still at work on other
/// threads, do not refill the staging folder being removed.
static STOPPING: AtomicBool = AtomicBool::new(false);

/// The registry of what to clean up (usable even if a thread panicked
/// while holding it: it is a plain list).
fn registry() -> MutexGuard<'static, Vec<PathBuf>> {
    CLEANUP.lock().unwrap_or_else(|e| e.into_inner())
}

fn remember(path: &Path) {
    registry().push(path.to_path_buf());
}

fn forget(path: &Path) {
    registry().retain(|p| p != path);
}

/// An error once the process is being interrupted: every output file and
/// folder is created through a function that asks this first.
pub fn refuse_if_stopping() -> std::io::Result<()> {
    if STOPPING.load(Ordering::SeqCst) {
        return Err(std::io::Error::other("the run was interrupted"));
    }
    Ok(())
}

/// Removes the staging folder (or, after the swap, the old output) and
/// then the lock file of the run in progress, and ends the process with
/// `code`; called when the process is interrupted (on the signal handler's
/// thread). The registry stays locked until the process ends, so the run's
/// own thread cannot go on to swap a half-removed staging folder in, and
/// the lock file goes last, so no other run starts on the folder before
/// the staging folder is gone.
pub fn clean_up_and_exit(code: i32) -> ! {
    STOPPING.store(true, Ordering::SeqCst);
    let held = registry();
    for p in held.iter().rev() {
        if fs::symlink_metadata(p).is_ok_and(|m| m.is_dir()) {
            remove_for_good(p);
        } else {
            // The lock file, once: after that the name may be another
            // run's lock.
            let _ = fs::remove_file(p);
        }
    }
    std::process::exit(code)
}

/// Removes folder `dir` until it stays gone: a writer that was creating a
/// file in it when the process was interrupted may add it (and recreate the
/// folder) after a first removal.
fn remove_for_good(dir: &Path) {
    for _ in 0..50 {
        let _ = remove_tree(dir);
        std::thread::sleep(Duration::from_millis(20));
        if fs::symlink_metadata(dir).is_err() {
            return;
        }
    }
}

/// Removes a folder and everything in it, making read-only folders in it
/// writable first if need be (a copied read-only folder of the user's must
/// not stop the old output from being removed).
pub fn remove_tree(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            make_writable(path);
            fs::remove_dir_all(path).map_err(|e| Error::io(path, e))
        }
        r => r.map_err(|e| Error::io(path, e)),
    }
}

fn make_writable(dir: &Path) {
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return;
    };
    if !meta.is_dir() {
        return;
    }
    let mut perms = meta.permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    let _ = fs::set_permissions(dir, perms);
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            make_writable(&e.path());
        }
    }
}

/// Holds the lock on an output folder until dropped; dropping it removes
/// the lock file.
#[derive(Debug)]
pub struct Lock {
    file: File,
    path: PathBuf,
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked (the file is closed after this): a run
        // waiting on the old file finds it gone and takes a new one.
        forget(&self.path);
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// What kompass writes into its lock file, so that it never takes (and
/// later removes) a file of the user's that happens to have the name.
const LOCK_MARK: &[u8] = b"kompass lock file: a run is writing the folder beside it\n";

/// Takes the lock on `out`: at once (a held lock is [`Error::Locked`]) or,
/// with `wait`, when the other run is done. The operating system releases it
/// when the process ends, however it ends; the lock file is removed when
/// the run ends (by the next run after a `kill -9`). A file of that name
/// that kompass did not write (not empty, not its mark) is refused.
pub fn lock(out: &Path, wait: bool) -> Result<Lock> {
    let path = sibling(out, "lock");
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    loop {
        let file = File::options()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        if wait {
            file.lock().map_err(|e| Error::io(&path, e))?;
        } else {
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(Error::Locked {
                        out: out.to_path_buf(),
                        lock: path,
                    });
                }
                Err(fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
            }
        }
        // The run before may have removed the file while this one waited
        // on it: then lock the file that is there now.
        if is_same_file(&file, &path) {
            mark(&file, &path)?;
            remember(&path);
            return Ok(Lock { file, path });
        }
    }
}

/// Writes kompass's mark into the lock file just locked, or refuses a file
/// that holds anything else (the lock is released as `file` is dropped).
fn mark(mut file: &File, path: &Path) -> Result<()> {
    let mut held = Vec::new();
    (file.take(LOCK_MARK.len() as u64 + 1))
        .read_to_end(&mut held)
        .map_err(|e| Error::io(path, e))?;
    if held.is_empty() {
        return file.write_all(LOCK_MARK).map_err(|e| Error::io(path, e));
    }
    if held == LOCK_MARK {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "{}: kompass uses this name for the lock of its output folder, and this file is not \
         one of its locks; move it away (kompass does not write or remove it)",
        path.display()
    )))
}

#[cfg(unix)]
fn is_same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}

/// Removes what killed runs left beside `out` (call with the lock held):
/// staging folders, and old outputs of a fallback swap, except that when
/// `out` is missing, an old output is the previous output and is put back.
/// Only `.<name>.tmp-<pid>` and `.<name>.old-<pid>` (digits) are leftovers,
/// and an old output only with kompass's manifest in it.
pub fn clean_leftovers(out: &Path) -> Result<usize> {
    let tmp = sibling(out, "tmp-");
    let old = sibling(out, "old-");
    let name_of = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    let (Some(tmp), Some(old)) = (name_of(&tmp), name_of(&old)) else {
        return Ok(0);
    };
    let parent = beside(out);
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(0);
    };
    let mut found: Vec<(String, PathBuf)> = entries
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, p)| {
            let pid = |prefix: &str| {
                n.strip_prefix(prefix)
                    .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            };
            pid(&tmp) || (pid(&old) && manifest::written_by_kompass(p))
        })
        .collect();
    found.sort();
    let mut removed = 0;
    for (name, path) in found {
        if name.starts_with(&old) && !out.exists() {
            fs::rename(&path, out).map_err(|e| Error::io(&path, e))?;
            continue;
        }
        remove_tree(&path)?;
        removed += 1;
    }
    Ok(removed)
}

/// A fresh staging folder for this process.
pub fn staging(out: &Path) -> Result<PathBuf> {
    let path = sibling(out, &format!("tmp-{}", std::process::id()));
    if path.exists() {
        fs::remove_dir_all(&path).map_err(|e| Error::io(&path, e))?;
    }
    fs::create_dir_all(&path).map_err(|e| Error::io(&path, e))?;
    remember(&path);
    Ok(path)
}

/// Removes the staging folder of a run that failed, or the old output after
/// the swap (best effort: what is left is cleaned up by the next run's
/// [`clean_leftovers`]); an interrupt meanwhile removes it too.
pub fn discard(staging: &Path) {
    let _ = remove_tree(staging);
    forget(staging);
}

/// Replaces `out` by `staging` in one step: an atomic exchange of the two
/// folders where the file system has one (Linux), else two renames, the
/// first undone if the second fails. Returns where the old output now is,
/// for the caller to remove with [`remove_tree`] (at 1,000,000 evaluations
/// that takes a second, which the caller spends beside other work); if
/// that fails or is not done, the new output is in place all the same and
/// the next run removes the rest.
/// The old output stays registered for an interrupt to remove until
/// [`discard`] has removed it: the registry is held through the swap, so
/// an interrupt removes the staging folder before it and the old output
/// after it, never the new output.
pub fn replace(out: &Path, staging: &Path) -> Result<Option<PathBuf>> {
    let mut registry = registry();
    let mut moved = |from: &Path, to: Option<&Path>| {
        registry.retain(|p| p != from);
        registry.extend(to.map(Path::to_path_buf));
    };
    if !out.exists() {
        fs::rename(staging, out).map_err(|e| Error::io(out, e))?;
        moved(staging, None);
        return Ok(None);
    }
    if !out.is_dir() {
        return Err(Error::Usage(format!(
            "{}: the output exists and is not a folder",
            out.display()
        )));
    }
    match exchange(staging, out) {
        // `staging` now holds the old output (and stays registered).
        Ok(()) => return Ok(Some(staging.to_path_buf())),
        Err(e) if !unsupported(&e) => return Err(Error::io(out, e)),
        Err(_) => {}
    }
    let old = sibling(out, &format!("old-{}", std::process::id()));
    fs::rename(out, &old).map_err(|e| Error::io(out, e))?;
    if let Err(e) = fs::rename(staging, out) {
        // Put the previous output back before reporting.
        let _ = fs::rename(&old, out);
        return Err(Error::io(out, e));
    }
    moved(staging, Some(&old));
    Ok(Some(old))
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
