//! Finished output files flushed to the disk beside the run, and the wait
//! for those flushes before the output is made durable and swapped in.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// The flushes of finished files still running, each with its file's
/// path, and the first that failed among those already done.
struct Flushing {
    running: Vec<(PathBuf, JoinHandle<io::Result<()>>)>,
    failed: Option<(PathBuf, io::Error)>,
}

static FLUSHING: Mutex<Flushing> = Mutex::new(Flushing {
    running: Vec::new(),
    failed: None,
});

fn flushing() -> std::sync::MutexGuard<'static, Flushing> {
    FLUSHING.lock().unwrap_or_else(|e| e.into_inner())
}

/// A flush thread's result (a panic is an error).
fn joined(handle: JoinHandle<io::Result<()>>) -> io::Result<()> {
    (handle.join()).unwrap_or_else(|_| Err(io::Error::other("a file's flush thread panicked")))
}

impl Flushing {
    /// Keeps `result` if it is the first error.
    fn note(&mut self, path: PathBuf, result: io::Result<()>) {
        if let Err(e) = result
            && self.failed.is_none()
        {
            self.failed = Some((path, e));
        }
    }

    /// Collects the flushes already done, so that the list holds only
    /// those running (`kompass synth --files` may write thousands of
    /// files before it waits for them).
    fn reap(&mut self) {
        let (done, running) = std::mem::take(&mut self.running)
            .into_iter()
            .partition::<Vec<_>, _>(|(_, h)| h.is_finished());
        self.running = running;
        for (path, handle) in done {
            self.note(path, joined(handle));
        }
    }
}

/// Starts flushing the data of `file`, written at `path`, to the disk
/// (`fdatasync`) on a thread of its own, so that making the run's output
/// durable before it replaces the previous one
/// ([`crate::io::outdir::durable`]) does not wait for every byte at the
/// end: the disk takes them while the run goes on. A direct write leaves
/// its bytes in the disk's own cache; flushing the 300 MB of
/// `benchmarks.csv` there took about 0.1 s here, and one `syncfs` of all
/// the outputs at the end of a run 0.4 s. Where no thread can be started,
/// nothing is started: the file is made durable with the rest of the
/// folder (on Linux; elsewhere only the folder is flushed).
pub(super) fn beside(path: &Path, file: &Arc<File>) {
    let file = Arc::clone(file);
    let mut flushing = flushing();
    flushing.reap();
    let started = std::thread::Builder::new()
        .name("kompass-flush".into())
        .spawn(move || file.sync_data());
    if let Ok(handle) = started {
        flushing.running.push((path.to_path_buf(), handle));
    }
}

/// Waits for the flushes of the files finished so far; the first that
/// failed (the disk refused a write only on its way there), with the path
/// its file was written at.
pub fn flushed() -> Result<(), (PathBuf, io::Error)> {
    let (running, mut failed) = {
        let mut flushing = flushing();
        (
            std::mem::take(&mut flushing.running),
            flushing.failed.take(),
        )
    };
    for (path, handle) in running {
        if let Err(e) = joined(handle)
            && failed.is_none()
        {
            failed = Some((path, e));
        }
    }
    failed.map_or(Ok(()), Err)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// `/dev/null` cannot be flushed (EINVAL): its flush fails.
    fn null() -> (&'static Path, Arc<File>) {
        let path = Path::new("/dev/null");
        let file = std::fs::OpenOptions::new().write(true).open(path);
        (path, Arc::new(file.unwrap()))
    }

    /// A failed flush is returned with its file's path, whether it was
    /// waited for or collected when a later one started; once returned,
    /// it is gone (the next wait is clean).
    #[test]
    fn a_failed_flush_is_returned_once_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good");
        let file = Arc::new(File::create(&good).unwrap());
        let (path, dev) = null();
        beside(&good, &file);
        beside(path, &dev);
        assert_eq!(flushed().unwrap_err().0, path);
        assert!(flushed().is_ok());
        // Done before the next flush starts: collected by it.
        beside(path, &dev);
        while flushing().running.iter().any(|(_, h)| !h.is_finished()) {
            std::thread::yield_now();
        }
        beside(&good, &file);
        assert!(flushing().failed.is_some());
        assert_eq!(flushed().unwrap_err().0, path);
        assert!(flushed().is_ok());
    }
}
