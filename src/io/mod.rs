//! Everything that touches files: finding input exports, decoding them,
//! reading small CSV tables, writing CSV outputs, the output folder and its
//! manifest. No other module opens a file (but the run's own
//! `/proc/self/statm`, read for its resident size); elsewhere a path's
//! metadata is looked at, never a file opened.

pub mod config_text;
pub mod csv_line;
pub mod csv_out;
pub mod decode;
pub mod dialect;
pub mod discover;
pub mod flush;
pub mod manifest;
pub mod number;
pub mod out_file;
pub mod outdir;
pub mod parquet_out;
pub mod quotes;
pub mod records;
pub mod row_out;
pub mod scratch;
pub mod start;
pub mod table;
pub mod terminal;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub use csv_line::Cells;
pub use csv_out::{CsvOut, Written};
pub use decode::{Decoded, read_text, read_text_into};
pub use discover::{Input, discover, files_with_extension};
pub use parquet_out::{Format, Kind};
pub use row_out::RowOut;
pub use scratch::Scratch;
pub use table::Table;

/// A path as the user would type it: relative to the working folder when
/// it lies inside it, else as given, with a leading `./` dropped
/// (`./data/in.csv` is `data/in.csv`; `..` is kept as written, since
/// taking it out by the text could name another file through a link).
/// The `file` of `inputs.csv`, `rejects.csv` and `validation.csv`, which
/// join on it, and part of what "up to date" compares (see `run::batch`).
pub fn shown(path: &Path) -> String {
    use std::path::Component;
    let cwd = std::env::current_dir().ok();
    let rel = cwd.as_deref().and_then(|cwd| path.strip_prefix(cwd).ok());
    let clean: PathBuf = (rel.unwrap_or(path).components())
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    match clean.as_os_str().is_empty() {
        true => ".".to_string(),
        false => named(&clean),
    }
}

/// A path as the summary, the messages and the CSV outputs name it: its
/// [`text_of`], with the characters that would act on a terminal (an
/// escape sequence, a line feed that would start a line of its own, a
/// bidirectional override) written `\u{1b}` ([`terminal::escaped`]).
pub fn named(path: &Path) -> String {
    let text = text_of(path);
    match terminal::escaped(&text, false) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(e) => e,
    }
}

/// A path's text; a byte that is not UTF-8 (a name written in Latin-1)
/// as `\xFF`, so that two such names stay two (as U+FFFD both were `�`,
/// and `inputs.csv`, `rejects.csv` and `validation.csv` could not tell
/// their rows apart). The manifest names its files so.
pub fn text_of(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::fmt::Write as _;
        use std::os::unix::ffi::OsStrExt;
        let mut text = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            text.push_str(chunk.valid());
            for b in chunk.invalid() {
                let _ = write!(text, "\\x{b:02X}");
            }
        }
        text
    }
    #[cfg(not(unix))]
    path.display().to_string()
}

/// `path` made absolute, with `.`, `..` and symbolic links resolved: one
/// spelling per place, so that `data/../out`, `out` and `/abs/out` compare
/// equal (for the manifest and for checks of where folders are). Each
/// component that exists is resolved on disk (a link, then its `..`); past
/// the first one that does not, `..` removes the component before it.
pub fn resolved(path: &Path) -> PathBuf {
    use std::path::Component;
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for comp in abs.components() {
        match comp {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                out.push(name);
                if let Ok(real) = out.canonicalize() {
                    out = real;
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Prints `text` on stdout. A closed pipe (`kompass run | head -1`) is not
/// an error: everything is written before anything is printed, so the
/// rest of the text is dropped and the run still succeeds.
pub fn print(text: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let text = terminal::escaped(text, true);
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        let _ = STDOUT_FAILED.set(e.to_string());
    }
}

/// A file's modification time, when the file system keeps one.
pub fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Writes `kompass: warning: <text>` on stderr (under `--quiet` too: a
/// warning says the outputs are not what the user may take them for, and
/// a cron line that sends stdout to /dev/null keeps stderr).
pub fn warn(text: &str) {
    use std::io::Write as _;
    // One line: a line feed in a name or a value is written out too.
    let text = terminal::escaped(text, false);
    let _ = writeln!(std::io::stderr().lock(), "kompass: warning: {text}");
}

/// Why stdout could not be written, the first time it could not (a full
/// disk under a redirected summary; a reader that closed the pipe is no
/// failure).
static STDOUT_FAILED: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Why [`print()`] could not write to stdout, if it could not: the run's
/// summary (and its `kept:` lines) were lost, which the exit code says.
pub fn stdout_failure() -> Option<&'static str> {
    STDOUT_FAILED.get().map(String::as_str)
}

/// Whether folder `dir` holds nothing but, at most, a `.gitkeep` or `.keep`
/// (files that exist only to keep an empty folder in version control, as
/// the shipped `notebooks-out/` has): where kompass may write a new output.
pub fn holds_only_placeholders(dir: &Path) -> Result<bool> {
    Ok(std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .flatten()
        .all(|e| is_placeholder(&e.file_name())))
}

/// Whether `name` is a placeholder's (`.gitkeep`, `.keep`: see
/// [`holds_only_placeholders`]).
pub fn is_placeholder(name: &std::ffi::OsStr) -> bool {
    matches!(name.to_str(), Some(".gitkeep" | ".keep"))
}

/// The names of the entries of folder `dir`; `None` where it, or one of
/// its entries, cannot be read.
pub fn entry_names(dir: &Path) -> Option<Vec<std::ffi::OsString>> {
    let entries = std::fs::read_dir(dir).ok()?;
    entries
        .map(|e| e.map(|e| e.file_name()))
        .collect::<std::io::Result<_>>()
        .ok()
}

/// Removes file `path` where it can: what a failed or abandoned write
/// leaves behind. Never a folder; a file that is not there or cannot be
/// removed is left as it is (the error that led here is the one to report).
pub fn discard_file(path: &Path) {
    let _ = std::fs::remove_file(path);
}

/// Removes folder `dir` if it is empty; one with anything in it stays.
pub fn discard_empty_dir(dir: &Path) {
    let _ = std::fs::remove_dir(dir);
}

/// Whether folder `dir` holds nothing at all.
pub fn is_empty_dir(dir: &Path) -> Result<bool> {
    Ok(std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .next()
        .is_none())
}

/// Removes a file, or a folder with everything in it.
pub fn remove(path: &Path) -> Result<()> {
    let r = if path.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
    r.map_err(|e| Error::io(path, e))
}

/// Asks the system to read the files at `paths` into its cache ahead of
/// use (Linux: `posix_fadvise(WILLNEED)`, which queues the reads of what is
/// not cached and returns without waiting for them), so that those parts
/// are read from disk while the first file is parsed. Inputs larger than
/// the free memory may be partly evicted again before they are parsed (no
/// worse than without it). A file that cannot be opened is left to the
/// read that reports it.
pub fn prefetch<'a>(paths: impl IntoIterator<Item = &'a Path>) {
    #[cfg(target_os = "linux")]
    for path in paths {
        use std::os::fd::AsRawFd;
        // Regular files only: opening a pipe would wait for a writer.
        if std::fs::metadata(path).is_ok_and(|m| m.is_file())
            && let Ok(file) = std::fs::File::open(path)
        {
            // SAFETY: advice on a descriptor this File owns (offset 0 and
            // length 0: the whole file); no memory is passed.
            let _ =
                unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_WILLNEED) };
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = paths;
}

/// Creates `dir` and its parents if missing (not once the run is being
/// interrupted: see [`outdir::creating`]).
pub fn create_dir(dir: &Path) -> Result<()> {
    outdir::creating(|| std::fs::create_dir_all(dir)).map_err(|e| Error::io(dir, e))
}

/// Writes a file that must never be seen half-written (a generation's
/// record of its files): under its `.partial` name, then renamed over the
/// old one.
pub fn write_file_whole(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    put_in_place(&write_file_aside(path, contents)?, path)
}

/// Writes a file that is to replace `path` under its partial name beside
/// it, and returns that name; [`put_in_place`] renames it to `path`.
pub fn write_file_aside(path: &Path, contents: impl AsRef<[u8]>) -> Result<PathBuf> {
    let tmp = csv_out::partial_path(path);
    write_file(&tmp, contents)?;
    Ok(tmp)
}

/// Renames `tmp` (from [`write_file_aside`]) to `path`.
pub fn put_in_place(tmp: &Path, path: &Path) -> Result<()> {
    outdir::creating(|| std::fs::rename(tmp, path)).map_err(|e| Error::io(path, e))
}

/// Flushes the entries of folder `dir` (a rename into it) to the disk,
/// where the system lets a folder be flushed; its errors are not checked
/// (a folder cannot be opened as a file on every system).
pub fn flush_folder(dir: &Path) {
    let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
}

/// Whether a failure to look at a path says that nothing is there (or a
/// file stands where a folder of its path should): not one that says it
/// cannot be looked at (a folder on the way without permission), which is
/// the system's reason to give, not "no such file".
pub fn is_missing(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
    )
}

/// Writes a whole file (a report page, a JSON file).
pub fn write_file(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    out_file::write_whole(path, contents.as_ref()).map_err(|e| Error::io(path, e))
}

/// Opens `path` to read it; a symbolic link to nothing (a share that is
/// not mounted) says so rather than "no such file" beside a listed name,
/// and one that leads back to itself rather than the system's "Too many
/// levels of symbolic links".
pub(crate) fn open_file(path: &Path) -> Result<std::fs::File> {
    std::fs::File::open(path).map_err(|e| match std::fs::read_link(path) {
        Ok(to) if e.kind() == std::io::ErrorKind::NotFound => Error::input(
            path,
            format!(
                "a symbolic link to {}, which is not there (a share not mounted?)",
                crate::io::named(&to)
            ),
        ),
        Ok(to) if links_loop(&e) => Error::input(
            path,
            format!(
                "a symbolic link to {}, which leads back to it (a loop of links, or a chain of \
                 more than the system follows): it names no file",
                crate::io::named(&to)
            ),
        ),
        _ => Error::io(path, e),
    })
}

/// Whether `e` is the system's "Too many levels of symbolic links".
fn links_loop(e: &std::io::Error) -> bool {
    #[cfg(target_os = "linux")]
    return e.raw_os_error() == Some(libc::ELOOP);
    #[cfg(not(target_os = "linux"))]
    return e.to_string().contains("symbolic links");
}

/// A file's bytes (a reference file read whole, as the register).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    // Opened as an export is: a link to nothing says where it points.
    let mut bytes = Vec::new();
    (open_file(path)?.read_to_end(&mut bytes)).map_err(|e| Error::io(path, e))?;
    note_read(path, &bytes);
    Ok(bytes)
}

/// The size and BLAKE3 of each reference file (register, instrument
/// definitions, published figures) as it was first read, by resolved
/// path: the manifest records what the run read, not what a file held when
/// it was hashed later (an edit in between would make the next run "up to
/// date" with outputs of the old file).
static READS: std::sync::Mutex<Vec<(PathBuf, u64, String)>> = std::sync::Mutex::new(Vec::new());

/// Notes what was read of `path` ([`read_as`]).
pub(crate) fn note_read(path: &Path, bytes: &[u8]) {
    let real = resolved(path);
    let mut reads = READS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !reads.iter().any(|(p, _, _)| *p == real) {
        reads.push((real, bytes.len() as u64, manifest::hash_hex(bytes)));
    }
}

/// The size and BLAKE3 of reference file `path` as this process first
/// read it, if it did.
pub fn read_as(path: &Path) -> Option<(u64, String)> {
    let real = resolved(path);
    let reads = READS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    (reads.iter())
        .find(|(p, _, _)| *p == real)
        .map(|(_, size, sha)| (*size, sha.clone()))
}
