//! The hashes of the manifest: of the files a run read and wrote (BLAKE3,
//! streamed, or while written), of an earlier kompass's outputs (SHA-256),
//! and the fingerprint of a run before it runs (its configuration, inputs
//! and executable), by which a rerun finds it has nothing to do.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::run::config::ConfigFile;

/// A writer that hashes what passes through it: outputs are hashed while
/// they are written, not read back for the manifest.
pub struct Hashing<W> {
    inner: W,
    hasher: blake3::Hasher,
}

impl<W: std::io::Write> Hashing<W> {
    pub fn new(inner: W) -> Self {
        Hashing {
            inner,
            hasher: blake3::Hasher::new(),
        }
    }

    /// The inner writer and the BLAKE3 (hex) of everything written.
    pub fn finish(self) -> (W, String) {
        (self.inner, self.hasher.finalize().to_hex().to_string())
    }
}

impl<W: std::io::Write> std::io::Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// BLAKE3 (hex) of bytes read, as [`hash_file`] gives it: the hash of
/// every file the manifest lists.
pub fn hash_hex(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// SHA-256 (hex) of a few bytes: lock-file names (which must not change
/// between versions: two versions at one folder take the same lock).
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// BLAKE3 (hex) of a file, streamed, and its size; a pipe, a device or a
/// socket (skipped in an input folder, or put where an output was) is not
/// opened: size 0, no hash.
pub fn hash_file(path: &Path) -> Result<(u64, String)> {
    let mut hasher = blake3::Hasher::new();
    let size = stream(path, |b| {
        hasher.update(b);
    })?;
    Ok((size, hasher.finalize().to_hex().to_string()))
}

/// SHA-256 (hex) of a file: an output listed by a manifest of an earlier
/// kompass, which hashed with it (see [`super::found`]).
pub(super) fn sha256_file(path: &Path) -> Result<String> {
    let mut hasher = Sha256::new();
    stream(path, |b| hasher.update(b))?;
    Ok(format!("{:x}", hasher.finalize()))
}

/// Reads `path` through `take`, 64 KiB at a time, and returns its size;
/// a file that is not a regular one is not opened (size 0, nothing read).
fn stream(path: &Path, mut take: impl FnMut(&[u8])) -> Result<u64> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Ok(0);
    }
    let mut file = crate::io::open_file(path)?;
    // On the stack: a heap buffer per file cost more than hashing the
    // tens of thousands of small report pages.
    let mut buf = [0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        size += n as u64;
        take(&buf[..n]);
    }
    Ok(size)
}

/// The fingerprint of a run before it runs.
pub fn fingerprint(
    stage: &str,
    config: &ConfigFile,
    inputs: &[(PathBuf, u64, String)],
    context: &[String],
) -> String {
    let mut h = Sha256::new();
    for c in context {
        h.update(c.as_bytes());
        h.update([0]);
    }
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update([0]);
    h.update(executable().as_bytes());
    h.update([0]);
    h.update(stage.as_bytes());
    h.update([0]);
    // `--strict` changes the exit code, not the outputs (an up-to-date run
    // judges the findings its manifest counts): a strict job and another
    // sharing the folder had rerun each other every time.
    let config = ConfigFile {
        strict: None,
        ..config.clone()
    };
    h.update(
        serde_json::to_string(&config)
            .unwrap_or_default()
            .as_bytes(),
    );
    for (path, size, sha) in inputs {
        h.update([0]);
        h.update(path.as_os_str().as_encoded_bytes());
        h.update(size.to_le_bytes());
        h.update(sha.as_bytes());
    }
    format!("{:x}", h.finalize())
}

/// The running executable as a rebuild changes it: its size and
/// modification time, and on Unix its inode and change time (a build of
/// changed code under the same version number reruns, also where builds
/// set every file's modification time alike, as Nix and
/// `SOURCE_DATE_EPOCH` builds do, and a rebuild kept the size: the change
/// time is the system's own, set when the file was written, and no tool
/// sets it back; hashing the binary itself would cost a large part of a
/// small run). Empty where the system does not say.
fn executable() -> String {
    let meta = std::env::current_exe().and_then(std::fs::metadata);
    let Ok(meta) = meta else {
        return String::new();
    };
    let modified = (meta.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    #[cfg(unix)]
    let written = {
        use std::os::unix::fs::MetadataExt;
        format!(
            " {} {} {}.{}",
            meta.dev(),
            meta.ino(),
            meta.ctime(),
            meta.ctime_nsec()
        )
    };
    #[cfg(not(unix))]
    let written = String::new();
    format!("{} {modified}{written}", meta.len())
}
