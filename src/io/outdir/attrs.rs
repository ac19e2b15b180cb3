//! Extended attributes carried with a folder or file that kompass copies
//! (Linux): a POSIX access list (`system.posix_acl_access`, and a
//! folder's `system.posix_acl_default`) is one. Copying only the mode bits
//! opened a folder with an access list to its whole group (the group bits
//! of such a folder are the list's mask) and closed it to the users the
//! list named.

use std::path::Path;

/// The access list of a file or folder, whose loss changes who may use it.
#[cfg(target_os = "linux")]
const ACCESS_LIST: &[u8] = b"system.posix_acl_access";

/// Copies every extended attribute of `src` to `dst` that the system lets
/// kompass set. Where the access list cannot be copied, `dst` is closed
/// to its group and to others (never more open than `src` was) and a
/// warning says so.
#[cfg(target_os = "linux")]
pub(super) fn copy_attributes(src: &Path, dst: &Path) {
    copy_where(src, dst, |_| true);
}

/// Copies only the default access list of folder `src` to `dst` (a
/// staging folder about to be written: the outputs made in it then get
/// the access the output folder gives new files; its own list, which may
/// close it to its owner, comes with [`copy_attributes`] at the end).
#[cfg(target_os = "linux")]
pub(super) fn copy_default_list(src: &Path, dst: &Path) {
    copy_where(src, dst, |name| name == b"system.posix_acl_default");
}

#[cfg(not(target_os = "linux"))]
pub(super) fn copy_default_list(_src: &Path, _dst: &Path) {}

/// The attributes of `src` whose names `keep` takes, copied to `dst`.
#[cfg(target_os = "linux")]
fn copy_where(src: &Path, dst: &Path, keep: impl Fn(&[u8]) -> bool) {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let (Ok(s), Ok(d)) = (
        CString::new(src.as_os_str().as_bytes()),
        CString::new(dst.as_os_str().as_bytes()),
    ) else {
        return;
    };
    let Some(names) = read(|buf, len| unsafe {
        // SAFETY: `s` is NUL-terminated; `buf` has room for `len` bytes (or
        // is null with `len` 0, to ask for the size).
        libc::listxattr(s.as_ptr(), buf.cast(), len)
    }) else {
        return;
    };
    for name in names
        .split(|&b| b == 0)
        .filter(|n| !n.is_empty() && keep(n))
    {
        let Ok(n) = CString::new(name) else { continue };
        let value = read(|buf, len| unsafe {
            // SAFETY: as above, `n` NUL-terminated too.
            libc::getxattr(s.as_ptr(), n.as_ptr(), buf.cast(), len)
        });
        // SAFETY: `d` and `n` are NUL-terminated; `v` is `v.len()` bytes.
        let set = value.is_some_and(|v| unsafe {
            libc::setxattr(d.as_ptr(), n.as_ptr(), v.as_ptr().cast(), v.len(), 0) == 0
        });
        if !set && name == ACCESS_LIST {
            close_to_others(src, dst);
        }
    }
}

#[cfg(not(target_os = "linux"))]
pub(super) fn copy_attributes(_src: &Path, _dst: &Path) {}

/// A list or a value read with the call `get(buf, len)` (`len` 0 asks for
/// its size); `None` when it cannot be read or changes size meanwhile.
#[cfg(target_os = "linux")]
fn read(get: impl Fn(*mut u8, usize) -> isize) -> Option<Vec<u8>> {
    let size = usize::try_from(get(std::ptr::null_mut(), 0)).ok()?;
    let mut buf = vec![0u8; size];
    let got = usize::try_from(get(buf.as_mut_ptr(), buf.len())).ok()?;
    buf.truncate(got);
    Some(buf)
}

/// Takes the group's and others' bits off `dst` (the copy of `src`) and
/// says so, naming `src`: the copy will be at its place.
#[cfg(target_os = "linux")]
fn close_to_others(src: &Path, dst: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(dst) {
        let mut perms = meta.permissions();
        perms.set_mode(perms.mode() & !0o077);
        let _ = std::fs::set_permissions(dst, perms);
    }
    crate::io::warn(&format!(
        "{}: its access list (ACL) could not be copied into the new output; it is closed to its \
         group and to others instead: set its access again",
        crate::io::named(src)
    ));
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;

    fn get(p: &Path, name: &str) -> Option<Vec<u8>> {
        let (p, n) = (
            CString::new(p.as_os_str().as_bytes()).unwrap(),
            CString::new(name).unwrap(),
        );
        super::read(|buf, len| unsafe { libc::getxattr(p.as_ptr(), n.as_ptr(), buf.cast(), len) })
    }

    /// A user attribute comes over to the copy as it was (the access
    /// lists, through the binary: `tests/test_access_lists.rs`).
    #[test]
    fn attributes_are_copied() {
        let dir = tempfile::tempdir().unwrap();
        let (src, dst) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir(&src).unwrap();
        std::fs::create_dir(&dst).unwrap();
        let (p, n) = (
            CString::new(src.as_os_str().as_bytes()).unwrap(),
            CString::new("user.kompass-test").unwrap(),
        );
        // SAFETY: NUL-terminated path and name; the value is 4 bytes.
        let set = unsafe { libc::setxattr(p.as_ptr(), n.as_ptr(), b"kept".as_ptr().cast(), 4, 0) };
        let why = std::io::Error::last_os_error();
        if set != 0 && why.raw_os_error() == Some(libc::EOPNOTSUPP) {
            eprintln!("skipped: the temporary folder's file system keeps no user attributes");
            return;
        }
        assert_eq!(set, 0, "{why}");
        assert_eq!(get(&dst, "user.kompass-test"), None);
        super::copy_attributes(&src, &dst);
        assert_eq!(
            get(&dst, "user.kompass-test").as_deref(),
            Some(&b"kept"[..])
        );
    }
}
