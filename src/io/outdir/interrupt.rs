//! Interrupts (SIGINT, SIGTERM, SIGHUP): what the run in progress must not
//! leave behind, and the gate every output file or folder is created
//! through, so that once the process is stopping nothing new appears while
//! that is removed.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, RwLock};

/// The lock file of the run in progress and its staging folder or, once
/// swapped, the old output.
static CLEANUP: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Set when the process is interrupted.
static STOPPING: AtomicBool = AtomicBool::new(false);

/// Held shared while an output file or folder is created or renamed, and
/// exclusively by the interrupt before it removes anything: the removal
/// then waits for the creations under way, and none starts after it.
static GATE: RwLock<()> = RwLock::new(());

/// The registry of what to clean up (usable even if a thread panicked
/// while holding it: it is a plain list).
pub(super) fn registry() -> MutexGuard<'static, Vec<PathBuf>> {
    CLEANUP.lock().unwrap_or_else(|e| e.into_inner())
}

pub(super) fn remember(path: &Path) {
    registry().push(path.to_path_buf());
}

pub(super) fn forget(path: &Path) {
    registry().retain(|p| p != path);
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

/// Removes the staging folder (or, after the swap, the old output) and
/// then the lock file of the run in progress, and ends the process with
/// `code`; called when the process is interrupted (on the signal handler's
/// thread). First the gate is closed: the writers still at work on other
/// threads finish the file they were creating and create no other. The
/// registry stays locked until the process ends, so the run's own thread
/// cannot go on to swap a half-removed staging folder in, and the lock
/// file goes last, so no other run starts on the folder before the staging
/// folder is gone.
pub fn clean_up_and_exit(code: i32) -> ! {
    STOPPING.store(true, Ordering::SeqCst);
    let _closed = GATE.write().unwrap_or_else(|e| e.into_inner());
    let held = registry();
    let mut all_gone = true;
    for p in held.iter().rev() {
        if fs::symlink_metadata(p).is_ok_and(|m| m.is_dir()) {
            // Again if a file still being written was in the way.
            all_gone &= (0..3).any(|_| super::remove_tree(p).is_ok());
        } else if all_gone {
            // The lock file, unless a folder could not be removed: then it
            // stays, naming this run, for the next run to finish.
            let _ = fs::remove_file(p);
        }
    }
    std::process::exit(code)
}
