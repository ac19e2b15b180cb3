//! An output file written past the page cache where the system allows it
//! (see [`OutFile`]).

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

mod direct;

#[cfg(target_os = "linux")]
use direct::just_made;
use direct::{create_new, put, through_cache};

/// Bytes per block written.
const BLOCK: usize = 1 << 22;

/// What a direct write needs its memory, file offset and length aligned
/// to: a page, which covers every logical block size up to it.
const ALIGN: usize = 4096;

/// Blocks in flight per file: one being filled, two being written.
const BLOCKS: usize = 3;

/// A file written in whole blocks, with `O_DIRECT` on Linux: the bytes go
/// from a block of memory to the disk without a copy into the page cache.
/// At 1,000,000 evaluations the CSV outputs are 5.7 GB, and the kernel's
/// copy of them into fresh cache pages (and its writeback of those) took a
/// third of the run's CPU time in the benchmark stage; a direct write of
/// the same bytes costs a fraction of that. A direct write waits for the
/// disk, so from the first full block on the blocks are written by a
/// thread of the file's own while the next one is filled (on the caller's
/// thread if no thread can be started).
///
/// What is left at [`OutFile::finish`] (less than a block) is written
/// direct when it is a whole number of pages, else through the page cache.
/// Where the file system refuses `O_DIRECT` (tmpfs on older kernels, some
/// network and overlay file systems) the file is a plain one; a direct
/// write refused or cut short turns the flag off and goes on through the
/// cache. The bytes are the same either way. Elsewhere than Linux the
/// blocks and the thread are the same, without `O_DIRECT`.
///
/// After a failed write every later call fails (nothing is written twice).
pub struct OutFile {
    /// Where it was created (for the error of its flush).
    path: std::path::PathBuf,
    file: Arc<File>,
    block: Block,
    /// `O_DIRECT` is on (as of the last block written on this thread; a
    /// writer thread's own view comes back when it stops).
    direct: bool,
    writer: Option<Writer>,
    /// No writer thread could be started: blocks are written here.
    inline: bool,
    failed: bool,
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
    full: SyncSender<Block>,
    empty: Receiver<Block>,
    /// Whether `O_DIRECT` is still on when it ends.
    thread: JoinHandle<io::Result<bool>>,
}

impl Writer {
    fn start(file: &Arc<File>, mut direct: bool) -> io::Result<Writer> {
        let (full, to_write) = sync_channel::<Block>(BLOCKS);
        let (written, empty) = sync_channel(BLOCKS);
        for _ in 1..BLOCKS {
            let _ = written.send(Block::new());
        }
        let file = Arc::clone(file);
        let thread = std::thread::Builder::new()
            .name("kompass-write".into())
            .spawn(move || {
                for mut block in to_write {
                    put(&file, &mut direct, block.bytes())?;
                    block.clear();
                    // The file is closing when nobody takes the block back.
                    let _ = written.send(block);
                }
                Ok(direct)
            })?;
        Ok(Writer {
            full,
            empty,
            thread,
        })
    }

    /// Waits for every block sent to be written.
    fn stop(self) -> io::Result<bool> {
        drop(self.full);
        self.thread
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the file's writer thread panicked")))
    }
}

impl OutFile {
    /// Creates the file at `path` (through
    /// [`outdir::creating`](crate::io::outdir::creating), like every
    /// output), which must not be there: an output is always a new file
    /// (in a fresh staging folder, or a `.partial` name `synth` has made
    /// sure is free), and a file or a symbolic link found at its place is
    /// not written through ([`create_new`]: `O_EXCL`, which does not follow
    /// a link; a link at `synth`'s `.evaluations.csv.partial` had the data
    /// written into the file it pointed to, outside the folder).
    pub fn create(path: &Path) -> io::Result<OutFile> {
        crate::io::outdir::creating(|| Self::open(path))
    }

    fn open(path: &Path) -> io::Result<OutFile> {
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::fs::OpenOptionsExt;
            let direct = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .custom_flags(libc::O_DIRECT)
                .open(path);
            match direct {
                Ok(file) => Ok(OutFile::new(path, file, true)),
                // A file system without direct I/O (ramfs; tmpfs before
                // Linux 6.6) may refuse it after making the file (the
                // name was free: `O_EXCL` passed): that file, just made,
                // is opened as it is, not through a link.
                Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
                    Ok(OutFile::new(path, just_made(path)?, false))
                }
                Err(e) => Err(e),
            }
        }
        #[cfg(not(target_os = "linux"))]
        Ok(OutFile::new(path, create_new(path)?, false))
    }

    fn new(path: &Path, file: File, direct: bool) -> OutFile {
        OutFile {
            path: path.to_path_buf(),
            file: Arc::new(file),
            block: Block::new(),
            direct,
            writer: None,
            inline: false,
            failed: false,
        }
    }

    /// Writes what is left and starts flushing the file to the disk on a
    /// thread of its own ([`super::flush::flushed`] waits for it).
    pub fn finish(mut self) -> io::Result<()> {
        self.check()?;
        self.stop_writer()?;
        let len = self.block.len();
        if len > 0 {
            if !len.is_multiple_of(ALIGN) && self.direct {
                self.direct = false;
                through_cache(&self.file)?;
            }
            put(&self.file, &mut self.direct, self.block.bytes())?;
        }
        super::flush::beside(&self.path, &self.file);
        Ok(())
    }

    /// [`OutFile::finish`] for a file renamed to `name` once finished: a
    /// late error of its flush names it there, not at its `.partial` name.
    pub fn finish_as(mut self, name: &Path) -> io::Result<()> {
        name.clone_into(&mut self.path);
        self.finish()
    }

    fn check(&self) -> io::Result<()> {
        if self.failed {
            return Err(io::Error::other("an earlier write to this file failed"));
        }
        Ok(())
    }

    /// Writes the full block: hands it to the writer thread (started at the
    /// first) for an empty one, so that the block being filled is always a
    /// whole one.
    fn send_block(&mut self) -> io::Result<()> {
        if self.writer.is_none() && !self.inline {
            match Writer::start(&self.file, self.direct) {
                Ok(w) => self.writer = Some(w),
                Err(_) => self.inline = true,
            }
        }
        let Some(writer) = &self.writer else {
            put(&self.file, &mut self.direct, self.block.bytes())?;
            self.block.clear();
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

    /// Waits for the writer thread, if any.
    fn stop_writer(&mut self) -> io::Result<()> {
        if let Some(writer) = self.writer.take() {
            self.direct = writer.stop()?;
        }
        Ok(())
    }
}

impl Write for OutFile {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.check()?;
        let n = (BLOCK - self.block.len()).min(data.len());
        self.block.buf.extend_from_slice(&data[..n]);
        if self.block.len() == BLOCK {
            let sent = self.send_block();
            self.failed = sent.is_err();
            sent?;
        }
        Ok(n)
    }

    /// Writes nothing: blocks are written as they fill, the rest by
    /// [`OutFile::finish`]. A part block written now would end direct
    /// writing (the next offset would not be aligned), and the Parquet
    /// writer flushes after every column chunk. Nothing reads the file
    /// before it is finished (it has its temporary name until then).
    fn flush(&mut self) -> io::Result<()> {
        self.check()
    }
}

impl Drop for OutFile {
    /// A file dropped unfinished (after an error): its writer thread, if
    /// any, writes what it was sent and ends before the file is closed.
    fn drop(&mut self) {
        let _ = self.stop_writer();
    }
}

/// Writes a whole file: from a block up as an [`OutFile`], a smaller one in
/// one plain write (a 4 MiB block per report page would cost more than it
/// saves).
pub fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if bytes.len() < BLOCK {
        return crate::io::outdir::creating(|| create_new(path)?.write_all(bytes));
    }
    let mut out = OutFile::create(path)?;
    out.write_all(bytes)?;
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every length around the block and page edges comes back as
    /// written, in writes of awkward sizes, direct (where the file system
    /// allows it) and through the cache; and with flushes in the middle,
    /// which write nothing and leave direct writing on.
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
                    OutFile::new(&path, File::create(&path).unwrap(), false)
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
        let direct = out.direct;
        out.write_all(&data[..BLOCK + 17]).unwrap();
        out.flush().unwrap();
        out.write_all(&data[BLOCK + 17..2 * BLOCK + 5]).unwrap();
        out.flush().unwrap();
        out.write_all(&data[2 * BLOCK + 5..]).unwrap();
        out.stop_writer().unwrap();
        assert_eq!(out.direct, direct);
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
    /// returned; every later call fails too, and writing on or dropping
    /// the file afterwards (as a `BufWriter` dropped after an error does)
    /// does not panic.
    /// The device that is always full (opened as it is: `create` makes
    /// new files only).
    #[cfg(target_os = "linux")]
    fn full() -> OutFile {
        let file = std::fs::OpenOptions::new().write(true).open("/dev/full");
        OutFile::new(Path::new("/dev/full"), file.unwrap(), false)
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_failed_write_is_returned_and_nothing_panics() {
        let mut out = full();
        let data = vec![7u8; 3 * BLOCK];
        assert!(out.write_all(&data).is_err());
        assert!(out.write_all(&data).is_err());
        assert!(out.flush().is_err());
        assert!(out.finish().is_err());
        let mut out = full();
        let _ = out.write_all(&data[..BLOCK + 1]);
        drop(out);
    }

    /// A direct write the kernel refuses (here: memory not aligned) is
    /// made through the cache instead, and direct writing stops. Checked
    /// where the folder's file system enforces the alignment (ext4, XFS,
    /// btrfs; not every tmpfs, NFS or older ZFS): a misaligned write on a
    /// direct file of its own is refused there.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_refused_direct_write_goes_through_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let data: Vec<u8> = (0..=ALIGN).map(|k| (k % 253) as u8).collect();
        let probe = OutFile::create(&dir.path().join("probe")).unwrap();
        let enforced = probe.direct && (&*probe.file).write(&data[1..]).is_err();
        let path = dir.path().join("refused");
        let out = OutFile::create(&path).unwrap();
        let mut direct = out.direct;
        put(&out.file, &mut direct, &data[1..]).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), &data[1..]);
        if enforced {
            assert!(!direct);
            use std::os::fd::AsRawFd;
            // SAFETY: reads the status flags of a descriptor this File owns.
            let flags = unsafe { libc::fcntl(out.file.as_raw_fd(), libc::F_GETFL) };
            assert_eq!(flags & libc::O_DIRECT, 0);
        }
    }
}
