//! Volumes mounted in or at an output folder: kompass replaces its output
//! folder as a whole, so a mount point inside it would have the volume's
//! files copied out and removed. The system's mount points are read from
//! `/proc/self/mountinfo` (Linux; elsewhere none are found).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::io::resolved;

/// Why the folder at `at` (resolved) cannot be replaced because a volume
/// is mounted inside it (the first of them in path order), given the
/// system's mount points.
pub(super) fn volume_inside(at: &Path, mounts: &[PathBuf]) -> Option<String> {
    let inside = first_inside(at, mounts)?;
    Some(format!(
        "{} inside it is a mount point (a volume, a separate file system): kompass replaces \
         its output folder as a whole, so it would copy the volume's files into the new output \
         and remove them from the volume; unmount it, or move it out of the output folder",
        crate::io::named(inside)
    ))
}

/// The first (in path order) of `mounts` strictly inside `at` (resolved).
pub(super) fn first_inside<'m>(at: &Path, mounts: &'m [PathBuf]) -> Option<&'m PathBuf> {
    mounts
        .iter()
        .filter(|m| *m != at && m.starts_with(at))
        .min()
}

/// Whether a volume is mounted at folder `dir` (a bind mount shares its
/// device number with the folder it is in, so the system's list of mount
/// points is read, once for every folder asked about).
pub(super) fn mounted_at(dir: &Path) -> bool {
    mount_points().contains(&resolved(dir))
}

/// [`volume_inside`] checked again just before the user's files are
/// carried: a volume mounted inside the output folder while the run
/// worked (the previous output is left as it was).
pub(super) fn no_volume_inside(out: &Path) -> Result<()> {
    match volume_inside(&resolved(out), &mount_points()) {
        Some(why) => Err(Error::Usage(format!(
            "{}: {why} (mounted while this run worked; the previous output is left as it was)",
            crate::io::named(out)
        ))),
        None => Ok(()),
    }
}

/// The mount points listed in `/proc/self/mountinfo` (bind mounts too; a
/// btrfs subvolume, which can be renamed, not), as resolved paths. Linux
/// only: elsewhere none.
pub(super) fn mount_points() -> Vec<PathBuf> {
    let Ok(table) = std::fs::read_to_string("/proc/self/mountinfo") else {
        return Vec::new();
    };
    // Field 5 is the mount point, with space, tab, newline and backslash
    // written as octal escapes (`\040`).
    table
        .lines()
        .filter_map(|line| line.split(' ').nth(4))
        .map(|point| PathBuf::from(unescape_octal(point)))
        .collect()
}

/// `\040`-style octal escapes replaced by their bytes (`a\040b` is
/// `a b`).
fn unescape_octal(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes.get(i + 1..i + 4).filter(|d| {
            bytes[i] == b'\\' && d[0] <= b'3' && d.iter().all(|c| (b'0'..=b'7').contains(c))
        });
        match octal {
            Some(d) => {
                out.push((d[0] - b'0') * 64 + (d[1] - b'0') * 8 + (d[2] - b'0'));
                i += 4;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn mountinfo_escapes() {
        assert_eq!(
            super::unescape_octal(r"/mnt/my\040disk\134x"),
            r"/mnt/my disk\x"
        );
        assert_eq!(super::unescape_octal(r"/a\9b\04"), r"/a\9b\04");
    }
}
