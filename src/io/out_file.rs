//! An output file written past the page cache where the system allows it
//! (see [`OutFile`]).

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

/// Bytes per direct write, and the alignment the kernel asks of a direct
/// write's memory, offset and length (a page: every block size up to it).
const BLOCK: usize = 1 << 22;
const ALIGN: usize = 4096;

/// A file being written in whole blocks with `O_DIRECT` on Linux: the bytes
/// go from a block of memory to the disk without a copy into the page
/// cache. At 1,000,000 evaluations the CSV outputs are 5.7 GB, and the
/// kernel's copy of them into fresh cache pages (and its writeback of
/// those) took a third of the run's CPU time in the benchmark stage; a
/// direct write of the same bytes costs a fraction of that. A direct write
/// waits for the disk, so from the first full block on the blocks are
/// written by a thread of the file's own while the next one is filled.
///
/// The last part of the file (less than a block) is written through the
/// page cache, as are whole files where the file system refuses `O_DIRECT`
/// (tmpfs on older kernels, some network and overlay file systems): the
/// flag is turned off at the first refusal or short write, and the bytes
/// are the same either way. Elsewhere than Linux, a plain file.
pub struct OutFile {
    /// The file, while no writer thread holds it.
    file: Option<File>,
    block: Block,
    direct: bool,
    writer: Option<Writer>,
}

/// Up to `BLOCK` bytes from an aligned place in memory: `buf[at..]`. The
/// capacity (`BLOCK + ALIGN`) is never exceeded, so the bytes never move;
/// it is not filled in advance, so a small file's block costs only the
/// pages it uses.
struct Block {
    buf: Vec<u8>,
    at: usize,
}

impl Block {
    fn new() -> Block {
        let mut buf: Vec<u8> = Vec::with_capacity(BLOCK + ALIGN);
        let at = buf.as_ptr().align_offset(ALIGN).min(ALIGN);
        buf.resize(at, 0);
        Block { buf, at }
    }

    fn len(&self) -> usize {
        self.buf.len() - self.at
    }

    fn bytes(&self) -> &[u8] {
        &self.buf[self.at..]
    }

    fn clear(&mut self) {
        self.buf.truncate(self.at);
    }
}

/// The thread writing full blocks in order, and the blocks it gives back.
struct Writer {
    full: std::sync::mpsc::SyncSender<Block>,
    empty: std::sync::mpsc::Receiver<Block>,
    thread: std::thread::JoinHandle<io::Result<(File, bool)>>,
}

/// Blocks in flight per file: one being filled, two being written.
const BLOCKS: usize = 3;

impl Writer {
    fn start(file: File, mut direct: bool) -> Writer {
        let (full, to_write) = std::sync::mpsc::sync_channel::<Block>(BLOCKS);
        let (written, empty) = std::sync::mpsc::sync_channel(BLOCKS);
        for _ in 1..BLOCKS {
            let _ = written.send(Block::new());
        }
        let thread = std::thread::spawn(move || {
            for mut block in to_write {
                put(&file, &mut direct, block.bytes())?;
                block.clear();
                // The file is closing when nobody takes the block back.
                let _ = written.send(block);
            }
            Ok((file, direct))
        });
        Writer {
            full,
            empty,
            thread,
        }
    }

    /// Waits for every block sent to be written; the file back.
    fn stop(self) -> io::Result<(File, bool)> {
        drop(self.full);
        self.thread
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the file's writer thread panicked")))
    }
}

impl OutFile {
    /// Creates (or truncates) the file at `path`.
    pub fn create(path: &Path) -> io::Result<OutFile> {
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::fs::OpenOptionsExt;
            let direct = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .custom_flags(libc::O_DIRECT)
                .open(path);
            match direct {
                Ok(file) => return Ok(OutFile::new(file, true)),
                Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(OutFile::new(File::create(path)?, false))
    }

    fn new(file: File, direct: bool) -> OutFile {
        OutFile {
            file: Some(file),
            block: Block::new(),
            direct,
            writer: None,
        }
    }

    /// Writes what is still buffered and returns the file.
    pub fn finish(mut self) -> io::Result<File> {
        self.flush()?;
        self.file
            .take()
            .ok_or_else(|| io::Error::other("an output file was lost"))
    }

    /// Hands the full block to the writer thread (started at the first)
    /// for an empty one. The block being filled is always a whole one,
    /// also after an error (a `BufWriter` dropped after an error still
    /// writes what it holds).
    fn send_block(&mut self) -> io::Result<()> {
        if self.writer.is_none() {
            let file =
                (self.file.take()).ok_or_else(|| io::Error::other("an output file was lost"))?;
            self.writer = Some(Writer::start(file, self.direct));
        }
        let Some(writer) = &self.writer else {
            return Ok(());
        };
        let sent = writer.empty.recv().ok().and_then(|empty| {
            let full = std::mem::replace(&mut self.block, empty);
            writer.full.send(full).ok()
        });
        if sent.is_none() {
            // The thread stopped: at an error, which stopping it returns.
            self.stop_writer()?;
            return Err(io::Error::other("an output file's writer thread stopped"));
        }
        Ok(())
    }

    /// Waits for the writer thread, if any, and takes the file back.
    fn stop_writer(&mut self) -> io::Result<()> {
        if let Some(writer) = self.writer.take() {
            let (file, direct) = writer.stop()?;
            self.file = Some(file);
            self.direct = direct;
        }
        Ok(())
    }
}

impl Write for OutFile {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let n = (BLOCK - self.block.len()).min(data.len());
        self.block.buf.extend_from_slice(&data[..n]);
        if self.block.len() == BLOCK {
            self.send_block()?;
        }
        Ok(n)
    }

    /// Writes everything sent and buffered (a part block: after it the
    /// file is written through the page cache, the next offset not being
    /// aligned).
    fn flush(&mut self) -> io::Result<()> {
        self.stop_writer()?;
        let len = self.block.len();
        if len == 0 {
            return Ok(());
        }
        let file =
            (self.file.as_ref()).ok_or_else(|| io::Error::other("an output file was lost"))?;
        if !len.is_multiple_of(ALIGN) && self.direct {
            self.direct = false;
            through_cache(file)?;
        }
        put(file, &mut self.direct, self.block.bytes())?;
        self.block.clear();
        Ok(())
    }
}

impl Drop for OutFile {
    /// A file dropped unfinished (after an error): its writer thread, if
    /// any, writes what it was sent and ends before the file is gone.
    fn drop(&mut self) {
        let _ = self.stop_writer();
    }
}

/// Writes a whole file: from a block up directly (as [`OutFile`]), a
/// smaller one in one plain write (a 4 MiB block per report page would
/// cost more than it saves).
pub fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if bytes.len() < BLOCK {
        return std::fs::write(path, bytes);
    }
    let mut out = OutFile::create(path)?;
    out.write_all(bytes)?;
    out.finish().map(drop)
}

/// Writes all of `bytes` at the file's offset. A direct write refused
/// (`EINVAL`: the file system or device cannot) or cut short (the offset is
/// no longer aligned) turns `O_DIRECT` off and goes on through the cache.
fn put(file: &File, direct: &mut bool, mut bytes: &[u8]) -> io::Result<()> {
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
fn through_cache(file: &File) -> io::Result<()> {
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
fn through_cache(_: &File) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every length around the block and page edges comes back as
    /// written, in writes of awkward sizes, direct (where the file system
    /// allows it) and through the cache; and with a flush in the middle,
    /// after which the rest goes through the cache.
    #[test]
    fn bytes_come_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let lengths = [
            0,
            1,
            ALIGN - 1,
            ALIGN,
            BLOCK - 1,
            BLOCK,
            BLOCK + 1,
            5 * BLOCK + ALIGN + 3,
        ];
        for cached in [false, true] {
            for (i, &n) in lengths.iter().enumerate() {
                let data: Vec<u8> = (0..n).map(|k| (k * 31 + k / 7) as u8).collect();
                let path = dir.path().join(format!("f{i}{cached}"));
                let mut out = if cached {
                    OutFile::new(File::create(&path).unwrap(), false)
                } else {
                    OutFile::create(&path).unwrap()
                };
                for piece in data.chunks(4_093 + i * 1_000_003) {
                    out.write_all(piece).unwrap();
                }
                out.finish().unwrap();
                assert_eq!(std::fs::read(&path).unwrap(), data, "length {n}");
            }
        }
        let path = dir.path().join("flushed");
        let mut out = OutFile::create(&path).unwrap();
        let data: Vec<u8> = (0..3 * BLOCK).map(|k| (k % 251) as u8).collect();
        out.write_all(&data[..BLOCK + 17]).unwrap();
        out.flush().unwrap();
        assert!(!out.direct);
        out.write_all(&data[BLOCK + 17..]).unwrap();
        out.finish().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), data);
    }

    /// Whole files, below and above a block, come back as written.
    #[test]
    fn whole_files_come_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        for n in [10, BLOCK + 5] {
            let data: Vec<u8> = (0..n).map(|k| (k % 241) as u8).collect();
            let path = dir.path().join(format!("w{n}"));
            write_whole(&path, &data).unwrap();
            assert_eq!(std::fs::read(&path).unwrap(), data);
        }
    }

    /// A write that fails on the writer thread (here: a full device) is
    /// returned, and writing on or dropping the file afterwards (as a
    /// `BufWriter` dropped after an error does) does not panic.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_failed_write_is_returned_and_nothing_panics() {
        let mut out = OutFile::create(Path::new("/dev/full")).unwrap();
        let data = vec![7u8; 3 * BLOCK];
        let written = out.write_all(&data).and_then(|()| out.flush());
        assert!(written.is_err());
        let _ = out.write_all(&data);
        let _ = out.flush();
        drop(out);
        let mut out = OutFile::create(Path::new("/dev/full")).unwrap();
        let _ = out.write_all(&data[..BLOCK + 1]);
        drop(out);
    }

    /// A direct write the kernel refuses (here: memory not aligned) is
    /// made through the cache instead, and direct writing stops.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_refused_direct_write_goes_through_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("refused");
        let out = OutFile::create(&path).unwrap();
        let was_direct = out.direct;
        let file = out.finish().unwrap();
        let data: Vec<u8> = (0..=ALIGN).map(|k| (k % 253) as u8).collect();
        let mut direct = was_direct;
        put(&file, &mut direct, &data[1..]).unwrap();
        assert!(!direct);
        assert_eq!(std::fs::read(&path).unwrap(), &data[1..]);
        // Where the folder takes O_DIRECT (not every tmpfs does), the flag
        // was on and the write above was refused.
        if was_direct {
            use std::os::fd::AsRawFd;
            // SAFETY: reads the status flags of a descriptor this File owns.
            let flags = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_GETFL) };
            assert_eq!(flags & libc::O_DIRECT, 0);
        }
    }
}
