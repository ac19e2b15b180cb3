//! The system calls under [`OutFile`](super::OutFile): a new file made
//! (or the one a refused `O_DIRECT` open left), whole writes that turn
//! `O_DIRECT` off where the file system refuses it or a write is cut
//! short, and the flag turned off.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use super::ALIGN;

/// The file at `path` that a refused `O_DIRECT` open may just have made,
/// opened as it is and not through a link; else a new one.
#[cfg(target_os = "linux")]
pub(super) fn just_made(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    match create_new(path) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .custom_flags(libc::O_NOFOLLOW)
            .open(path),
        r => r,
    }
}

/// A new file at `path`; an error if anything is there (see
/// [`OutFile::create`](super::OutFile::create)).
pub(super) fn create_new(path: &Path) -> io::Result<File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// Writes all of `bytes` at the file's offset. A direct write refused
/// (`EINVAL`: the file system or device cannot) or cut short (the offset is
/// no longer aligned) turns `O_DIRECT` off and goes on through the cache.
pub(super) fn put(file: &File, direct: &mut bool, mut bytes: &[u8]) -> io::Result<()> {
    let mut file = file;
    while !bytes.is_empty() {
        match file.write(bytes) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => {
                bytes = &bytes[n..];
                if *direct && !n.is_multiple_of(ALIGN) && !bytes.is_empty() {
                    *direct = false;
                    through_cache(file)?;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if *direct && is_refusal(&e) => {
                *direct = false;
                through_cache(file)?;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn is_refusal(e: &io::Error) -> bool {
    e.raw_os_error() == Some(libc::EINVAL)
}

#[cfg(not(target_os = "linux"))]
fn is_refusal(_: &io::Error) -> bool {
    false
}

/// Turns `O_DIRECT` off: later writes go through the page cache.
#[cfg(target_os = "linux")]
pub(super) fn through_cache(file: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: fcntl on a descriptor this File owns, reading then setting
    // its status flags; no memory is passed.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    // SAFETY: as above.
    if flags < 0 || unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_DIRECT) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
pub(super) fn through_cache(_: &File) -> io::Result<()> {
    Ok(())
}
