//! The lock on an output folder: `.<out>.lock` beside it, locked with the
//! operating system's file lock (released however the process ends) and
//! holding kompass's mark with the pid of the run that holds it. After a
//! `kill -9` the file stays, and the pid in it names the only leftovers
//! the next run may remove (`.<out>.tmp-<pid>`, `.<out>.old-<pid>`); that
//! run writes its own pid only once they are removed, so that a run
//! stopped while removing them leaves them named still. A file of that
//! name that is not kompass's (other content, a folder, a symbolic or hard
//! link) is refused, never written or removed.

use std::fs::{self, File};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::interrupt::{forget, remember, remember_made};
use crate::error::{Error, Result};

/// The mark's text before the pid.
const MARK: &str = "kompass lock file: a run is writing the folder beside it, pid ";

/// The mark of kompass before it named the pid (no leftovers can be told).
const MARK_WITHOUT_PID: &str = "kompass lock file: a run is writing the folder beside it\n";

/// Holds the lock on an output folder until dropped; dropping it removes
/// the lock file.
#[derive(Debug)]
pub struct Lock {
    file: File,
    path: PathBuf,
    /// The pid in the lock file when it was taken: a run that was killed.
    left_by: Option<u32>,
    /// Whether the file holds this run's mark (else it is left as found,
    /// naming the killed run, when this run ends).
    ours: bool,
    /// How long it waited for another run's lock (`--wait`).
    waited: Duration,
    /// The folders made for the lock file; last, so dropped after the
    /// file is closed and removed.
    _made: Made,
}

/// The folders [`lock`] made for the lock file (the output's parents that
/// were not there), deepest first: each removed when dropped if it is
/// empty then, so that a run that failed leaves no folder it made, and one
/// that wrote its output (in them) leaves them. An interrupted run exits
/// without dropping it: they are in the interrupt's registry too
/// ([`remember_made`]), which removes them alike.
#[derive(Debug, Default)]
struct Made(Vec<PathBuf>);

impl Made {
    /// The folders of `parent` and above it that are not there, which
    /// [`lock`] then makes.
    fn missing(parent: &Path) -> Made {
        let mut missing = Vec::new();
        let mut at = Some(parent);
        while let Some(p) = at.filter(|p| !p.as_os_str().is_empty()) {
            // Only a folder known not to be there is one it makes.
            match fs::symlink_metadata(p) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                _ => break,
            }
            missing.push(p.to_path_buf());
            at = p.parent();
        }
        Made(missing)
    }
}

impl Drop for Made {
    fn drop(&mut self) {
        for p in &self.0 {
            forget(p);
        }
        for p in &self.0 {
            if fs::remove_dir(p).is_err() {
                break;
            }
        }
    }
}

impl Lock {
    /// The pid of a killed run whose lock file this run took over, if any.
    pub fn left_by(&self) -> Option<u32> {
        self.left_by
    }

    /// How long taking it waited for another run's lock (`--wait`).
    pub fn waited(&self) -> Duration {
        self.waited
    }

    /// Writes this run's mark, once the killed run's leftovers are gone:
    /// from here on the lock file is removed when the run ends (or is
    /// interrupted).
    pub fn claim(&mut self) -> Result<()> {
        let ours = format!("{MARK}{}\n", std::process::id());
        // Written over what is there, then cut to its length: a killed
        // run's mark (as long, give or take a digit) is overwritten in
        // place, and stays if even that fails.
        // Inside the gate, and known to the interrupt as it is written: an
        // interrupt that came first would leave the mark behind (kill
        // audit, 2026-12-06); one that comes now removes the file.
        let written = super::interrupt::creating(|| {
            ((&self.file).rewind())
                .and_then(|()| (&self.file).write_all(ours.as_bytes()))
                .and_then(|()| self.file.set_len(ours.len() as u64))
                .map(|()| remember(&self.path))
        });
        if let Err(e) = written {
            // A lock file this run made (a full disk: not even the mark
            // fits) is not left behind, empty, for the next run.
            if self.left_by.is_none() && is_same_file(&self.file, &self.path) {
                let _ = fs::remove_file(&self.path);
            }
            let why = format!(
                "cannot write this run's mark into the lock file of the output folder: {e} \
                 (nothing was run)"
            );
            return Err(Error::io(&self.path, std::io::Error::new(e.kind(), why)));
        }
        self.ours = true;
        Ok(())
    }

    /// Whether the lock file names this run ([`Lock::claim`]): only then
    /// does the next run remove what this one leaves.
    pub fn claimed(&self) -> bool {
        self.ours
    }

    /// Leaves the lock file, naming this run, for the next run: what this
    /// run could not remove (its old output) is then the next run's to
    /// remove.
    pub fn leave_for_next_run(&mut self) {
        if self.ours {
            forget(&self.path);
            self.ours = false;
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked (the file is closed after this): a run
        // waiting on the old file finds it gone and takes a new one.
        if self.ours {
            forget(&self.path);
            let _ = fs::remove_file(&self.path);
        }
        let _ = self.file.unlock();
    }
}

/// Takes the lock on `out` (the lock file is `path`): at once (a held lock
/// is [`Error::Locked`]) or, with `wait`, when the other run is done.
pub fn lock(out: &Path, path: PathBuf, wait: bool) -> Result<Lock> {
    let made = path.parent().map(Made::missing).unwrap_or_default();
    // Known to the interrupt before they are made.
    remember_made(&made.0);
    // The pid of a killed run whose lock file (another user's) this run
    // replaced with one of its own.
    let mut carried: Option<u32> = None;
    let mut waited = Duration::ZERO;
    loop {
        // Made on every try: a run that failed meanwhile may have removed
        // the folders it made, this one's with them.
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let (file, writable) = open(&path)?;
        if wait {
            let asked = Instant::now();
            file.lock().map_err(|e| Error::io(&path, e))?;
            waited += asked.elapsed();
        } else {
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(Error::Locked {
                        out: out.to_path_buf(),
                        // Not a killed run's pid, which the file names
                        // until its holder has removed that run's leftovers.
                        pid: in_progress(&path),
                        lock: path,
                        holder: crate::error::Holder::Run,
                    });
                }
                Err(fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
            }
        }
        // The run before may have removed the file while this one waited
        // on it: then lock the file that is there now.
        if !is_same_file(&file, &path) {
            continue;
        }
        let left_by = left_by(&file, &path)?.or(carried);
        if !writable {
            // Another user's lock file, left by a run of theirs that was
            // killed (a live one holds the lock): replaced, while its lock
            // is held, by one of this user's naming the same run, so that
            // its leftovers are still known (a run waiting on the old file
            // finds it gone and takes the new one).
            replace_foreign(&path, left_by)?;
            carried = left_by;
            continue;
        }
        return Ok(Lock {
            file,
            path,
            left_by,
            ours: false,
            waited,
            _made: made,
        });
    }
}

/// Replaces the lock file at `path` (another user's, whose lock this run
/// holds) by one of this user's naming the killed run `left_by` as the
/// old one did: written whole beside it, then renamed over it in one step,
/// so that no other run ever finds the name missing or the file empty
/// (and forgets the killed run).
fn replace_foreign(path: &Path, left_by: Option<u32>) -> Result<()> {
    let refused = |e: std::io::Error| {
        let why = format!(
            "{e}: the lock file is another user's, left by a run of theirs that was killed, \
             and this user may not replace it; remove it (or run as that user)"
        );
        Error::io(path, std::io::Error::new(e.kind(), why))
    };
    let mut new = path.as_os_str().to_owned();
    new.push(format!(".new-{}", std::process::id()));
    let new = PathBuf::from(new);
    let mark = left_by.map_or(String::new(), |pid| format!("{MARK}{pid}\n"));
    let written = File::options()
        .write(true)
        .create_new(true)
        .open(&new)
        .and_then(|mut f| f.write_all(mark.as_bytes()));
    if let Err(e) = written.and_then(|()| fs::rename(&new, path)) {
        let _ = fs::remove_file(&new);
        return Err(refused(e));
    }
    Ok(())
}

/// Opens (creating) the lock file, never through a symbolic link; and
/// whether it could be opened for writing (one of another user's is
/// opened to read: its lock can be taken all the same).
fn open(path: &Path) -> Result<(File, bool)> {
    let mut options = File::options();
    options.create(true).truncate(false).read(true).write(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    if let Ok(m) = fs::symlink_metadata(path) {
        if m.file_type().is_symlink() {
            return Err(not_ours(path, "a symbolic link"));
        }
        if m.is_dir() {
            return Err(not_ours(path, "a folder"));
        }
    }
    let opened = options
        .open(path)
        .map(|f| (f, true))
        .or_else(|e| match e.kind() {
            std::io::ErrorKind::PermissionDenied if path.is_file() => {
                options.write(false).create(false);
                options.open(path).map(|f| (f, false)).map_err(|_| e)
            }
            _ => Err(e),
        });
    opened.map_err(|e| {
        #[cfg(target_os = "linux")]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return not_ours(path, "a symbolic link");
        }
        let why = format!(
            "cannot open or create the lock file of the output folder: {e} (kompass writes \
             its lock beside the output folder, so it needs to write in the folder that holds it)"
        );
        Error::io(path, std::io::Error::new(e.kind(), why))
    })
}

fn not_ours(path: &Path, what: &str) -> Error {
    Error::Usage(format!(
        "{}: kompass uses this name for the lock of its output folder, and this is {what}, \
         not one of its locks; move it away (kompass does not write or remove it)",
        crate::io::named(path)
    ))
}

/// The pid named in the lock file at `path`, read without taking the
/// lock (`None`: no file, or one without a pid).
pub(super) fn named_pid(path: &Path) -> Option<u32> {
    pid_in(&fs::read_to_string(path).ok()?)
}

/// The pid of the run writing the output folder whose lock file is
/// `path`, if one is: the file names a process that is running (a killed
/// run's names one that is not).
pub(super) fn in_progress(path: &Path) -> Option<u32> {
    named_pid(path).filter(|&pid| running(pid))
}

/// The pid of the run holding the lock file at `path` now: named in it,
/// running, and holding the lock (a lock file whose pid went to another
/// process since is no run's).
pub(super) fn holder(path: &Path) -> Option<u32> {
    in_progress(path).filter(|_| held(path))
}

/// Whether the lock file at `path` is locked now (a shared lock tried on
/// it and given back at once): a stale lock file whose pid was given to
/// another process since is not a run in progress.
pub(super) fn held(path: &Path) -> bool {
    let Ok(file) = File::open(path) else {
        return false;
    };
    matches!(file.try_lock_shared(), Err(fs::TryLockError::WouldBlock))
}

/// Whether process `pid` is running (another user's too).
#[cfg(unix)]
fn running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 sends nothing; it only asks whether the process
    // exists.
    let sent = unsafe { libc::kill(pid, 0) };
    sent == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn running(_: u32) -> bool {
    false
}

/// The pid in a lock file's text, if it is kompass's mark with one.
fn pid_in(held: &str) -> Option<u32> {
    held.strip_prefix(MARK)?.strip_suffix('\n')?.parse().ok()
}

/// The pid a killed run left in the lock file just locked (`None`: a new
/// file, or one from a kompass that wrote no pid); refuses a file that
/// holds anything else, or is linked elsewhere too (the lock is released
/// as `file` is dropped).
fn left_by(file: &File, path: &Path) -> Result<Option<u32>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = file.metadata().map_err(|e| Error::io(path, e))?;
        if !meta.is_file() || meta.nlink() != 1 {
            return Err(not_ours(path, "not a plain file of its own"));
        }
    }
    let mut held = String::new();
    let read = (file.take(MARK.len() as u64 + 16)).read_to_string(&mut held);
    if read.is_err() {
        return Err(not_ours(path, "a file with other content"));
    }
    if held.is_empty() || held == MARK_WITHOUT_PID {
        return Ok(None);
    }
    pid_in(&held)
        .map(Some)
        .ok_or_else(|| not_ours(path, "a file with other content"))
}

#[cfg(unix)]
fn is_same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}
