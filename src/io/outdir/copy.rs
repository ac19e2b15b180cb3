//! How a carried entry is copied (`carry`): a file as a second hard link
//! to it, else as a copy of its bytes with its permissions, times and, as
//! far as the system allows, owner; a symbolic link as a link to the same
//! target; a folder with its contents, permissions, owner and times; and a
//! folder's access given to its new copy in the staging folder. A folder
//! where a volume was mounted while the run carried it is refused.

use std::fs;
use std::path::Path;

use super::creating;
use crate::error::{Error, Result};

/// Refuses folder `sub` when a volume is mounted there (mounted while the
/// run carried the user's files): its files would be copied, then
/// removed from the volume with the old output.
pub(super) fn not_mounted(sub: &Path) -> Result<()> {
    if !super::mounts::mounted_at(sub) {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "{}: a volume was mounted here while this run carried your files: kompass replaces its \
         output folder as a whole, so it would copy the volume's files into the new output and \
         remove them from the volume; unmount it, or move it out of the output folder (the \
         previous output is left as it was)",
        crate::io::named(sub)
    )))
}

/// Copies a file, a symbolic link or a whole folder; a named pipe, socket
/// or device is carried as a hard link only (the same one: a server
/// listening on the socket is still reached through it), which a file
/// system without hard links refuses.
pub(super) fn copy(src: &Path, dst: &Path, kind: fs::FileType) -> Result<()> {
    if !(kind.is_file() || kind.is_dir() || kind.is_symlink()) {
        return match creating(|| fs::hard_link(src, dst)) {
            Ok(()) => Ok(()),
            Err(e) => Err(Error::Usage(format!(
                "{}: kompass keeps what you put in its output folder by carrying it into the \
                 new output, and this is not a file, folder or link (a named pipe, socket or \
                 device), which it can carry only as a second hard link, and that was \
                 refused ({e}: a file system without hard links, or another user's file where \
                 the system protects those, fs.protected_hardlinks); move it elsewhere (the \
                 previous output is left as it was)",
                crate::io::named(src)
            ))),
        };
    }
    if kind.is_symlink() {
        let target = fs::read_link(src).map_err(|e| Error::io(src, e))?;
        #[cfg(unix)]
        creating(|| std::os::unix::fs::symlink(&target, dst)).map_err(|e| Error::io(dst, e))?;
        #[cfg(unix)]
        if let Ok(meta) = fs::symlink_metadata(src) {
            same_owner(&meta, dst, true);
        }
        #[cfg(not(unix))]
        return Err(Error::io(
            src,
            std::io::Error::other(format!(
                "a symbolic link to {} cannot be carried over on this system",
                crate::io::named(&target)
            )),
        ));
    } else if kind.is_dir() {
        creating(|| fs::create_dir(dst)).map_err(|e| Error::io(dst, e))?;
        let meta = fs::metadata(src).map_err(|e| Error::io(src, e))?;
        for entry in fs::read_dir(src).map_err(|e| Error::io(src, e))? {
            let entry = entry.map_err(|e| Error::io(src, e))?;
            let kind = entry.file_type().map_err(|e| Error::io(&entry.path(), e))?;
            if kind.is_dir() {
                not_mounted(&entry.path())?;
            }
            copy(&entry.path(), &dst.join(entry.file_name()), kind)?;
        }
        keep_access(src, dst)?;
        // Last: filling the folder set its modification time. A folder's
        // times are kept where the system lets kompass set them.
        if let (Ok(dir), Ok(times)) = (fs::File::open(dst), times_of(&meta)) {
            let _ = dir.set_times(times);
        }
    } else {
        copy_file(src, dst)?;
    }
    Ok(())
}

/// Carries a file: a hard link to it, else a copy of its bytes with its
/// permissions, times and owner. Only making the new file passes the
/// interrupt's gate: a large file of the user's does not hold up an
/// interrupt while its bytes are copied.
fn copy_file(src: &Path, dst: &Path) -> Result<()> {
    // A file system without hard links (FAT, some network shares), or a
    // system that protects them (a file of another user's), says no.
    if creating(|| fs::hard_link(src, dst)).is_ok() {
        return Ok(());
    }
    let mut from = fs::File::open(src).map_err(|e| Error::io(src, e))?;
    let mut to = creating(|| fs::File::create_new(dst)).map_err(|e| Error::io(dst, e))?;
    std::io::copy(&mut from, &mut to).map_err(|e| Error::io(dst, e))?;
    // On the disk before the swap, as the outputs are (`durable`): the
    // original is removed once the swap is done, and a copy that the
    // storage refused late would be all that is left of it.
    to.sync_all().map_err(|e| Error::io(dst, e))?;
    let meta = from.metadata().map_err(|e| Error::io(src, e))?;
    fs::set_permissions(dst, meta.permissions()).map_err(|e| Error::io(dst, e))?;
    let times = times_of(&meta).map_err(|e| Error::io(src, e))?;
    to.set_times(times).map_err(|e| Error::io(dst, e))?;
    #[cfg(unix)]
    same_owner(&meta, dst, false);
    super::attrs::copy_attributes(src, dst);
    Ok(())
}

/// A folder's permissions and owner given to its new copy `dst` (the output
/// folder itself, a sub-folder, a folder of the user's): a folder the user
/// closed to others stays closed.
pub(super) fn keep_access(src: &Path, dst: &Path) -> Result<()> {
    given_access(src, dst, false)
}

/// [`keep_access`] for a staging folder the run is about to write into:
/// open to its owner whatever the old folder's mode (which it gets at the
/// swap).
pub(super) fn keep_access_writable(src: &Path, dst: &Path) -> Result<()> {
    given_access(src, dst, true)
}

fn given_access(src: &Path, dst: &Path, writable: bool) -> Result<()> {
    let meta = fs::metadata(src).map_err(|e| Error::io(src, e))?;
    set_mode(dst, meta.permissions(), writable)?;
    #[cfg(unix)]
    same_owner(&meta, dst, false);
    // Last: an access list sets the group bits (its mask) as they were.
    match writable {
        false => super::attrs::copy_attributes(src, dst),
        true => super::attrs::copy_default_list(src, dst),
    }
    Ok(())
}

#[cfg_attr(not(unix), allow(unused_mut, unused_variables))]
fn set_mode(dst: &Path, mut perms: fs::Permissions, writable: bool) -> Result<()> {
    #[cfg(unix)]
    if writable {
        use std::os::unix::fs::PermissionsExt;
        perms.set_mode(perms.mode() | 0o700);
    }
    fs::set_permissions(dst, perms).map_err(|e| Error::io(dst, e))
}

fn times_of(meta: &fs::Metadata) -> std::io::Result<fs::FileTimes> {
    Ok(fs::FileTimes::new()
        .set_accessed(meta.accessed()?)
        .set_modified(meta.modified()?))
}

/// Gives `dst` the owner and group of `meta`, as far as allowed: only root
/// may give a file away, a user may give it a group of theirs. Refused, the
/// file stays the running user's (it is theirs to read either way).
#[cfg(unix)]
fn same_owner(meta: &fs::Metadata, dst: &Path, link: bool) {
    use std::os::unix::fs::{MetadataExt, chown, lchown};
    let set = |uid, gid| {
        if link {
            lchown(dst, uid, gid)
        } else {
            chown(dst, uid, gid)
        }
    };
    if set(Some(meta.uid()), Some(meta.gid())).is_err() {
        let _ = set(None, Some(meta.gid()));
    }
}
