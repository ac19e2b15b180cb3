//! The output folder of a run: a lock so that two runs never write it at
//! once, a staging folder beside it that the run writes into, and an atomic
//! swap that replaces the old output only when everything succeeded.
//!
//! Beside `notebooks-out/` live, while a run is going on,
//! `.notebooks-out.lock` (the lock file), `.notebooks-out.tmp-<pid>/` (the
//! run's staging folder) and, after the swap, for a moment
//! `.notebooks-out.old-<pid>/` (the previous output, gone through for what
//! the user saved during the run). A run that ends, fails or is
//! interrupted removes its own (an interrupt after the swap goes through
//! the previous output as the run would have). After a `kill -9` the lock file
//! stays with the killed run's pid in it, and the next run removes that
//! run's staging folder (goes through it if it holds a complete output:
//! after the exchange it is the previous output) and puts back its `.old-`
//! folder if the output folder is missing (never deletes it then; where
//! the new output is in place, it goes through it as the killed run would
//! have): only the names
//! with that pid, so that a folder of the user's that merely looks like
//! one (`.notebooks-out.tmp-backup`, a copy named `.notebooks-out.old-2023`)
//! is never touched.

mod attrs;
mod carry;
mod copy;
mod interrupt;
mod leftovers;
mod lock;
mod mounts;
mod owner;
mod retire;
mod swap;

use std::fs;
use std::path::{Path, PathBuf};

pub use carry::{Carried, Own, carry_over};
pub use interrupt::{clean_up_and_exit, creating, ended, on_interrupt};
pub use lock::Lock;
pub use owner::{check, check_found};
pub use swap::{durable, left_aside, replace};

use crate::error::{Error, Result};
use crate::io::manifest;
use interrupt::{Held, forget, registry, remember, retiring};

/// The folder the output folder is in.
fn beside(out: &Path) -> &Path {
    out.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// `.<name>.<suffix>` beside the output folder. The name is the folder's
/// own, bytes as they are (not made UTF-8: two names that differ only in
/// bytes that are not would share a lock); a name longer than
/// [`LONG_NAME`] bytes is cut to its first [`KEPT_OF_LONG_NAME`] and `~`
/// and 16 hex digits of its SHA-256, so that `.<name>.lock` stays within
/// the 255 bytes a file name may have (a folder name of 250 was refused as
/// "cannot open or create the lock file": File name too long).
fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out.file_name().unwrap_or("out".as_ref());
    let mut file = std::ffi::OsString::from(".");
    file.push(short_name(name));
    file.push(format!(".{suffix}"));
    beside(out).join(file)
}

/// Longest folder name used whole in the names beside it.
const LONG_NAME: usize = 200;
/// Bytes kept of a longer one.
const KEPT_OF_LONG_NAME: usize = 180;

#[cfg(unix)]
fn short_name(name: &std::ffi::OsStr) -> std::ffi::OsString {
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    let bytes = name.as_bytes();
    if bytes.len() <= LONG_NAME {
        return name.to_os_string();
    }
    let hash = manifest::sha256_hex(bytes);
    let mut short = bytes[..KEPT_OF_LONG_NAME].to_vec();
    short.extend_from_slice(format!("~{}", &hash[..16]).as_bytes());
    std::ffi::OsString::from_vec(short)
}

#[cfg(not(unix))]
fn short_name(name: &std::ffi::OsStr) -> std::ffi::OsString {
    name.to_os_string()
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
    // The owner's bits only (`set_readonly(false)` would make the folder
    // writable by everyone, and so leave it if it cannot be removed).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        perms.set_mode(perms.mode() | 0o700);
    }
    #[cfg(not(unix))]
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    let _ = fs::set_permissions(dir, perms);
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            make_writable(&e.path());
        }
    }
}

/// Takes the lock on `out` (`.<out>.lock` beside it): at once (a held
/// lock is [`Error::Locked`]) or, with `wait`, when the other run is done.
fn lock(out: &Path, wait: bool) -> Result<Lock> {
    lock::lock(out, sibling(out, "lock"), wait)
}

/// Takes the lock on `out` ([`lock()`]), removes what a killed run that
/// held it left ([`leftovers::clean_leftovers`]) and marks the lock this run's: what
/// `run` and `synth` do before they write. Leftovers that cannot be
/// removed (a folder of another user's in an old output) stay named in
/// the lock file for a later run, with a warning, and this one goes on.
pub fn take(out: &Path, wait: bool) -> Result<Lock> {
    let mut lock = lock(out, wait)?;
    match leftovers::clean_leftovers(out, lock.left_by()) {
        Ok(_) => lock.claim()?,
        Err(e) => crate::io::warn(&format!(
            "what an earlier run left beside the output (killed, or unable to remove the \
             output it replaced) could not be removed ({e}); it is left for a later run"
        )),
    }
    Ok(lock)
}

/// Error `e` of a run that failed before its swap, as the user knows the
/// place: a path in the staging folder `staging` (removed by now, and the
/// name of an output being written, `.evaluations.csv.partial`, is not the
/// output's) named as the same place in `out`, and said to have left the
/// previous output as it was. Any other error is returned as it is.
pub fn as_in_output(e: Error, out: &Path, staging: &Path) -> Error {
    let Error::Io { path, source } = e else {
        return e;
    };
    let Ok(rel) = path.strip_prefix(staging) else {
        return Error::Io { path, source };
    };
    let shown = match rel.as_os_str().is_empty() {
        true => out.to_path_buf(),
        false => crate::io::csv_out::unpartial_path(&out.join(rel)),
    };
    let left = match fs::symlink_metadata(out).is_ok() {
        true => "the previous output is as it was",
        false => "nothing of it is left",
    };
    let source = match source.get_ref().is_some_and(|e| e.is::<Told>()) {
        true => source,
        false => std::io::Error::new(
            source.kind(),
            format!("{source} (writing the new output; {left})"),
        ),
    };
    Error::io(&shown, source)
}

/// The message of an I/O error that already says what became of the
/// previous output (made by [`told`]): [`as_in_output`] adds nothing.
/// Those made today name a place in the output folder, not the staging
/// folder, which `as_in_output` leaves alone anyway; the mark keeps one
/// made later for a place in the staging folder from saying it twice.
#[derive(Debug)]
struct Told(String);

impl std::fmt::Display for Told {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Told {}

/// An I/O error of `kind` whose `message` says what became of the
/// previous output.
pub fn told(kind: std::io::ErrorKind, message: String) -> std::io::Error {
    std::io::Error::new(kind, Told(message))
}

/// A fresh staging folder for this process (a folder already of that
/// name is not kompass's to remove: refused).
pub fn staging(out: &Path) -> Result<PathBuf> {
    let path = sibling(out, &format!("tmp-{}", std::process::id()));
    if fs::symlink_metadata(&path).is_ok() {
        return Err(Error::Usage(format!(
            "{}: kompass stages its output under this name, and something is already there; \
             move it away",
            crate::io::named(&path)
        )));
    }
    // Known to the interrupt as it is made, inside the gate: an interrupt
    // between the two left it behind, empty (kill audit, 2026-12-06).
    let made = || fs::create_dir(&path).map(|()| remember(&path));
    creating(made).map_err(|e| Error::io(&path, e))?;
    // The old output's permissions and owner from the start, so that what
    // the run writes inherits its group where it is set-group-ID.
    if out.is_dir() {
        copy::keep_access_writable(out, &path)?;
    }
    Ok(path)
}

/// Removes the staging folder of a run that failed; an interrupt meanwhile
/// removes it too. Why it is not gone, if not: then the caller leaves its lock
/// file for the next run ([`Lock::leave_for_next_run`]), which then
/// removes the rest.
pub fn discard(staging: &Path) -> Result<()> {
    let gone = match remove_tree(staging) {
        // Removed meanwhile (by an interrupt): gone all the same.
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => Ok(()),
        gone => gone,
    };
    forget(staging);
    gone
}

/// Removes the previous output `old` after the swap ([`replace`]),
/// moving what the user saved into the output folder during the run into
/// the new output ([`retire::retire`], with what [`replace`] registered);
/// whether it is gone, and what was moved. An interrupt meanwhile waits
/// for it to finish (and does it itself if it has not begun); once it is
/// gone through, what is left is no longer the interrupt's: it may be the
/// user's.
pub fn retire(old: &Path) -> (bool, Vec<String>) {
    let _busy = retiring();
    let held = (registry().iter())
        .find(|(p, _)| p == old)
        .map(|(_, h)| h.clone());
    let Some(Held::Previous { out, own, moved }) = held else {
        return (false, Vec::new());
    };
    let done = retire::retire(old, &out, &own, &moved);
    match done.0 {
        true => forget(old),
        // Named by the run ([`announce_left`]), or by an interrupt.
        false => (registry().iter_mut())
            .filter(|(p, _)| p == old)
            .for_each(|(_, held)| *held = Held::Left),
    }
    done
}

/// The warning that what is left of the previous output at `left` is
/// there for the user to look through.
fn left_text(left: &Path) -> String {
    let mounts = mounts::mount_points();
    let mounted =
        mounts::first_inside(&crate::io::resolved(left), &mounts).map_or(String::new(), |m| {
            format!(
                " (a volume is mounted inside it, at {}: unmount it first, or its files go with \
                 the rest)",
                crate::io::named(m)
            )
        });
    format!(
        "the previous output could not be removed entirely; what is left of it is in {}: look \
         through it and remove it{mounted}",
        crate::io::named(left)
    )
}

/// Says where what is left of the previous output is ([`retire()`] could
/// not go through all of it): the user's, not a later run's, to remove.
pub fn announce_left(left: &Path) {
    let mut registry = registry();
    crate::io::warn(&left_text(left));
    registry.retain(|(p, _)| p != left);
}

/// Says what [`retire()`] moved into the new output (under `--quiet` too:
/// the user's files are not where they left them).
pub fn announce_moved(late: &[String]) {
    for k in late {
        crate::io::warn(&format!("kept: {k}: moved into the new output"));
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    /// A write error in the staging folder is named at the output's place,
    /// with the previous output said to be as it was (once); others as
    /// they were.
    #[cfg(target_os = "linux")]
    #[test]
    fn errors_in_the_staging_folder_are_named_in_the_output() {
        use crate::error::Error;
        use std::path::Path;
        let dir = tempfile::tempdir().unwrap();
        let out = &dir.path().join("res");
        std::fs::create_dir(out).unwrap();
        let staging = &dir.path().join(".res.tmp-7");
        let full = || std::io::Error::from_raw_os_error(libc::ENOSPC);
        let shown = |e| super::as_in_output(e, out, staging).to_string();
        let at = |rel: &str| format!("{}{rel}", crate::io::named(out));
        let partial = staging.join("report/.trends.csv.partial");
        assert_eq!(
            shown(Error::io(&partial, full())),
            at(
                "/report/trends.csv: No space left on device (os error 28) (writing the new \
                output; the previous output is as it was)"
            )
        );
        let flushed = super::told(
            std::io::ErrorKind::Other,
            "full (the previous output is as it was)".into(),
        );
        assert_eq!(
            shown(Error::io(staging, flushed)),
            at(": full (the previous output is as it was)")
        );
        std::fs::remove_dir(out).unwrap();
        assert_eq!(
            shown(Error::io(&staging.join("a.csv"), full())),
            at(
                "/a.csv: No space left on device (os error 28) (writing the new output; \
                nothing of it is left)"
            )
        );
        assert_eq!(
            shown(Error::io(Path::new("in.csv"), full())),
            "in.csv: No space left on device (os error 28)"
        );
    }

    /// Made removable for its owner only: a read-only folder of the user's
    /// (0o555) becomes 0o755, not 0o777; one closed to all (0o000), 0o700.
    #[test]
    fn made_writable_for_the_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("archive");
        std::fs::create_dir(&sub).unwrap();
        std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o555)).unwrap();
        let closed = dir.path().join("closed");
        std::fs::create_dir(&closed).unwrap();
        std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o000)).unwrap();
        super::make_writable(dir.path());
        let mode = |p| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!((mode(&sub), mode(&closed)), (0o755, 0o700));
    }

    /// The names beside a long output folder stay within 255 bytes, and
    /// two long names alike in their first 180 bytes get locks of their
    /// own; a name that is not UTF-8 keeps its bytes.
    #[test]
    fn names_beside_long_and_non_utf8_folders() {
        use std::os::unix::ffi::{OsStrExt, OsStringExt};
        let long = |last: &str| std::path::PathBuf::from(format!("d/{}{last}", "å".repeat(125)));
        let (a, b) = (long("a"), long("b"));
        let lock = |p: &std::path::Path| super::sibling(p, "lock");
        let name = |p: std::path::PathBuf| p.file_name().unwrap().as_bytes().to_vec();
        assert_ne!(lock(&a), lock(&b));
        let n = name(super::sibling(&a, &format!("tmp-{}", u32::MAX)));
        assert!(
            n.len() <= 255 && n.starts_with(&[b'.', 0xc3, 0xa5]),
            "{}",
            n.len()
        );
        let latin = std::path::PathBuf::from(std::ffi::OsString::from_vec(b"\xd6rebro".to_vec()));
        assert_eq!(name(lock(&latin)), b".\xd6rebro.lock");
        assert_eq!(
            lock(std::path::Path::new("out")),
            std::path::Path::new("./.out.lock")
        );
    }
}
