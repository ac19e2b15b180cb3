//! Scratch files: anonymous files in the run's staging folder for what
//! would not fit in memory (the findings and rejected rows of inputs with
//! millions of bad rows, `validate::spill`). They have no name in the
//! folder (`tempfile::tempfile_in`: `O_TMPFILE` where the file system has
//! it, else created and unlinked at once), so nothing is left behind, not
//! even by a run that is killed, and nothing of the user's can be touched.

use std::fs::File;
use std::io::{self, Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// A file appended to in batches (from any thread) and read back by range.
#[derive(Debug)]
pub struct Scratch {
    /// Where it lies, for error messages.
    dir: PathBuf,
    /// The file and its length so far.
    writer: Mutex<(File, u64)>,
    /// The same file for positional reads (which move no shared cursor).
    reader: File,
}

impl Scratch {
    /// A new scratch file in folder `dir` (which kompass owns).
    pub fn create_in(dir: &Path) -> Result<Scratch> {
        // Through the gate every output is created through: none is made
        // once an interrupt is removing the staging folder.
        let file = crate::io::outdir::creating(|| tempfile::tempfile_in(dir));
        let file = file.map_err(|e| Error::io(dir, e))?;
        let reader = file.try_clone().map_err(|e| Error::io(dir, e))?;
        Ok(Scratch {
            dir: dir.to_path_buf(),
            writer: Mutex::new((file, 0)),
            reader,
        })
    }

    /// Appends `bytes`; returns where they lie.
    pub fn append(&self, bytes: &[u8]) -> Result<Range<u64>> {
        let mut w = self
            .writer
            .lock()
            .map_err(|_| Error::Internal("a scratch file's writer panicked".into()))?;
        let (file, len) = &mut *w;
        file.write_all(bytes).map_err(|e| self.error(e))?;
        let start = *len;
        *len += bytes.len() as u64;
        Ok(start..*len)
    }

    /// A reader of the bytes in `range` (buffered by the caller).
    pub fn read(&self, range: Range<u64>) -> RangeReader<'_> {
        RangeReader {
            file: &self.reader,
            at: range.start,
            end: range.end,
        }
    }

    /// An error reading or writing it, named by its folder.
    pub fn error(&self, e: io::Error) -> Error {
        Error::io(&self.dir.join("(scratch file)"), e)
    }
}

/// The bytes of a range of a [`Scratch`], by positional reads.
pub struct RangeReader<'a> {
    file: &'a File,
    at: u64,
    end: u64,
}

impl Read for RangeReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = usize::try_from(self.end - self.at).unwrap_or(usize::MAX);
        let want = buf.len().min(left);
        if want == 0 {
            return Ok(0);
        }
        let n = read_at(self.file, &mut buf[..want], self.at)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        self.at += n as u64;
        Ok(n)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, at)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_are_read_back_by_range_and_leave_no_name() {
        let dir = tempfile::tempdir().unwrap();
        let s = Scratch::create_in(dir.path()).unwrap();
        let a = s.append(b"first batch").unwrap();
        let b = s.append(b"; second").unwrap();
        assert_eq!((a.clone(), b.clone()), (0..11, 11..19));
        let mut text = String::new();
        s.read(b).read_to_string(&mut text).unwrap();
        assert_eq!(text, "; second");
        let mut text = String::new();
        s.read(a).read_to_string(&mut text).unwrap();
        assert_eq!(text, "first batch");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
