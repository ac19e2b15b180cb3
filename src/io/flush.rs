//! Finished output files flushed to the disk beside the run, and the wait
//! for those flushes before the output is made durable and swapped in.

use std::fs::File;
use std::io;
use std::sync::Arc;
use std::thread::JoinHandle;

/// The flushes of finished files still running ([`beside`]).
static FLUSHING: std::sync::Mutex<Vec<JoinHandle<io::Result<()>>>> =
    std::sync::Mutex::new(Vec::new());

/// Starts flushing `file`'s data to the disk (`fdatasync`) on a thread of
/// its own, so that making the run's output durable before it replaces
/// the previous one ([`crate::io::outdir::durable`]) does not wait for
/// every byte at the end: the disk takes them while the run goes on. A
/// direct write leaves its bytes in the disk's own cache; flushing the
/// 300 MB of `benchmarks.csv` there took about 0.1 s here, and one
/// `syncfs` of all the outputs at the end of a run 0.4 s. Where no thread
/// can be started, nothing is started: that `syncfs` covers the file.
pub(super) fn beside(file: &Arc<File>) {
    let file = Arc::clone(file);
    let started = std::thread::Builder::new()
        .name("kompass-flush".into())
        .spawn(move || file.sync_data());
    if let Ok(handle) = started {
        FLUSHING
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(handle);
    }
}

/// Waits for the flushes of the files finished so far; the first error,
/// if any (the disk refused a write only on its way there).
pub fn flushed() -> io::Result<()> {
    let running = std::mem::take(&mut *FLUSHING.lock().unwrap_or_else(|e| e.into_inner()));
    let mut first = Ok(());
    for handle in running {
        let done = (handle.join())
            .unwrap_or_else(|_| Err(io::Error::other("a file's flush thread panicked")));
        if first.is_ok() {
            first = done;
        }
    }
    first
}
