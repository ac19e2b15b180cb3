//! Interrupts (SIGINT, SIGTERM, SIGHUP): what the run in progress must not
//! leave behind, and the gate every output file or folder is created
//! through, so that once the process is stopping nothing new appears while
//! that is removed.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, RwLock};

/// What an interrupt does with a path the run in progress holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Held {
    /// The lock file or the staging folder: removed.
    Ours,
    /// The previous output after the swap, not yet gone through: gone
    /// through as the run would have ([`super::retire()`]) against the new
    /// output `out`, with what kompass wrote in it (`own`) and the names
    /// carrying gave what it could not keep at its own (`moved`): it may
    /// hold what the user saved into the folder during the run.
    Previous {
        out: PathBuf,
        own: super::Own,
        moved: BTreeMap<String, OsString>,
    },
    /// What is left of the previous output after it was gone through (a
    /// file that could not be moved): the user's, named in a warning, not
    /// removed, and not left for a later run (its lock file goes).
    Left,
    /// A folder made for the output (one of its parents that was not
    /// there): removed if empty, after the lock file in it.
    Made,
}

/// The lock file of the run in progress and its staging folder or, once
/// swapped, the old output.
static CLEANUP: Mutex<Vec<(PathBuf, Held)>> = Mutex::new(Vec::new());

/// Held while the previous output is gone through after the swap: an
/// interrupt waits for that to finish (about a second at 1,000,000
/// evaluations), or does it itself if it has not begun, rather than
/// remove what the user saved during the run with the rest.
static RETIRING: Mutex<()> = Mutex::new(());

/// Set when the process is interrupted.
static STOPPING: AtomicBool = AtomicBool::new(false);

/// Held shared while an output file or folder is created or renamed, and
/// exclusively by the interrupt before it removes anything: the removal
/// then waits for the creations under way, and none starts after it.
static GATE: RwLock<()> = RwLock::new(());

/// The registry of what to clean up (usable even if a thread panicked
/// while holding it: it is a plain list).
pub(super) fn registry() -> MutexGuard<'static, Vec<(PathBuf, Held)>> {
    CLEANUP.lock().unwrap_or_else(|e| e.into_inner())
}

pub(super) fn remember(path: &Path) {
    registry().push((path.to_path_buf(), Held::Ours));
}

/// Folders made for the output, shallowest first, so that they are
/// removed deepest first, and after the lock file and the staging folder
/// registered later ([`clean_up`] goes from the last registered).
pub(super) fn remember_made(folders: &[PathBuf]) {
    let mut held = registry();
    held.extend(folders.iter().rev().map(|p| (p.clone(), Held::Made)));
}

pub(super) fn forget(path: &Path) {
    registry().retain(|(p, _)| p != path);
}

/// Held while the previous output is gone through ([`RETIRING`]).
pub(super) fn retiring() -> MutexGuard<'static, ()> {
    RETIRING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether the process is being interrupted.
pub(super) fn stopping() -> bool {
    STOPPING.load(Ordering::SeqCst)
}

/// The error of a creation refused because the process is stopping.
pub(super) fn interrupted() -> std::io::Error {
    std::io::Error::other("the run was interrupted")
}

/// Runs `create` (which makes or renames an output file or folder) unless
/// the process is being interrupted: every output is created through this.
pub fn creating<T>(create: impl FnOnce() -> std::io::Result<T>) -> std::io::Result<T> {
    let _open = GATE.read().unwrap_or_else(|e| e.into_inner());
    if stopping() {
        return Err(interrupted());
    }
    create()
}

/// Held for good once the command has ended ([`ended`]): an interrupt
/// from then on is too late to stop it ([`on_interrupt`]).
static ENDED: Mutex<()> = Mutex::new(());

/// The command has ended and the process exits with its code: an
/// interrupt that comes now waits for the lock, which is never given
/// back, and so does nothing (no "interrupted (exit 130)" printed while
/// the process exits 0), and one that came first holds the lock until it
/// has exited with 130, so that the process does not exit 0 after it
/// printed that (a SIGINT in a run's last moment did: safety audit,
/// 2026-12-01). For the binary's `main` only.
pub fn ended() {
    std::mem::forget(ENDED.lock().unwrap_or_else(|e| e.into_inner()));
}

/// An interrupt: says so on stderr, then [`clean_up_and_exit`] with
/// `code`, unless the command has [`ended`] (then the process is exiting
/// with the command's own code, and this waits for that for good).
pub fn on_interrupt(code: i32) {
    let _running = ENDED.lock().unwrap_or_else(|e| e.into_inner());
    STOPPING.store(true, Ordering::SeqCst);
    let _ = writeln!(std::io::stderr(), "kompass: interrupted (exit {code})");
    clean_up_and_exit(code)
}

/// Removes the staging folder, or goes through the old output after the
/// swap (see [`Held::Previous`]), and then removes the lock file of the
/// run in progress, and ends the process with `code`; called when the
/// process is interrupted (on the signal handler's thread). First the gate
/// is closed: the writers still at work on other threads finish the file
/// they were creating and create no other. A going through of the
/// previous output under way is finished first, and none begins after.
/// The registry stays locked until the process ends, so the run's own
/// thread cannot go on to swap a half-removed staging folder in, and the
/// lock file goes last, so no other run starts on the folder before the
/// staging folder is gone.
pub fn clean_up_and_exit(code: i32) -> ! {
    STOPPING.store(true, Ordering::SeqCst);
    let _closed = GATE.write().unwrap_or_else(|e| e.into_inner());
    let _retiring = retiring();
    let held = registry();
    clean_up(&held);
    std::process::exit(code)
}

/// What [`clean_up_and_exit`] does with the paths `held` (in the order
/// they were registered: the lock file first).
fn clean_up(held: &[(PathBuf, Held)]) {
    let mut all_gone = true;
    for (p, what) in held.iter().rev() {
        let Ok(meta) = fs::symlink_metadata(p) else {
            continue;
        };
        match what {
            Held::Previous { out, own, moved } => {
                let (gone, late) = super::retire::retire(p, out, own, moved);
                super::announce_moved(&late);
                if !gone {
                    crate::io::warn(&super::left_text(p));
                }
            }
            Held::Left => crate::io::warn(&super::left_text(p)),
            // Again if a file still being written was in the way.
            Held::Ours if meta.is_dir() => {
                all_gone &= (0..3).any(|_| super::remove_tree(p).is_ok());
            }
            // The lock file, unless a folder was left: then it stays,
            // naming this run, for the next run to finish.
            Held::Ours if all_gone => {
                let _ = fs::remove_file(p);
            }
            Held::Ours => {}
            // Not empty (the output, the lock file left for the next run,
            // a file of someone else's): stays.
            Held::Made => {
                let _ = fs::remove_dir(p);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Interrupted after the swap, before the previous output was gone
    /// through: a file saved into the folder during the run, only in the
    /// previous output, is moved into the new output, kompass's own files
    /// go, and so does the lock file; before the swap the staging folder
    /// and then the lock file go.
    #[test]
    fn the_previous_output_is_gone_through_not_removed() {
        let dir = tempfile::tempdir().unwrap();
        let (lock, old, new, staging) = (
            dir.path().join(".out.lock"),
            dir.path().join(".out.old-7"),
            dir.path().join("out"),
            dir.path().join(".out.tmp-8"),
        );
        fs::write(&lock, "7\n").unwrap();
        fs::create_dir(&old).unwrap();
        fs::create_dir(&new).unwrap();
        fs::write(old.join("averages.csv"), "old output").unwrap();
        fs::write(new.join("averages.csv"), "new output").unwrap();
        fs::write(old.join("late.txt"), "saved during the run").unwrap();
        let previous = Held::Previous {
            out: new.clone(),
            own: super::super::Own::new(["averages.csv".to_string()], []),
            moved: BTreeMap::new(),
        };
        clean_up(&[(lock.clone(), Held::Ours), (old.clone(), previous)]);
        assert!(!old.exists() && !lock.exists());
        let read = |name: &str| fs::read_to_string(new.join(name)).unwrap();
        assert_eq!(read("late.txt"), "saved during the run");
        assert_eq!(read("averages.csv"), "new output");

        fs::write(&lock, "8\n").unwrap();
        fs::create_dir(&staging).unwrap();
        fs::write(staging.join("averages.csv"), "x").unwrap();
        clean_up(&[(lock.clone(), Held::Ours), (staging.clone(), Held::Ours)]);
        assert!(!staging.exists() && !lock.exists());
    }
}
