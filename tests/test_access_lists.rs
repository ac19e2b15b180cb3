//! Access lists (POSIX ACLs) and extended attributes of the user's folders
//! in the output folder, and of the output folder itself, survive a rerun
//! (Linux): the folders are made anew in the new output, and with their
//! mode bits alone a folder with a list was opened to its whole group.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::test_safety::{SMALL, run_small};
use crate::workdir::Workdir;

const ACL: &str = "system.posix_acl_access";

/// An access list: owner rwx, user 65534 r-x, group ---, mask r-x,
/// others --- (the kernel's format, version 2).
fn acl() -> Vec<u8> {
    let entry = |tag: u16, perm: u16, id: u32| {
        [
            &tag.to_le_bytes()[..],
            &perm.to_le_bytes(),
            &id.to_le_bytes(),
        ]
        .concat()
    };
    [
        2u32.to_le_bytes().to_vec(),
        entry(0x01, 7, u32::MAX),
        entry(0x02, 5, 65534),
        entry(0x04, 0, u32::MAX),
        entry(0x10, 5, u32::MAX),
        entry(0x20, 0, u32::MAX),
    ]
    .concat()
}

/// Whether `p` is on a tmpfs.
fn on_tmpfs(p: &Path) -> bool {
    // SAFETY: a NUL-terminated path and a zeroed statfs for the call to fill.
    unsafe {
        let mut st: libc::statfs = std::mem::zeroed();
        libc::statfs(c(p).as_ptr(), &mut st) == 0 && st.f_type == libc::TMPFS_MAGIC
    }
}

fn c(p: &Path) -> CString {
    CString::new(p.as_os_str().as_bytes()).expect("path")
}

fn set(p: &Path, name: &str, value: &[u8]) -> bool {
    let n = CString::new(name).expect("name");
    // SAFETY: NUL-terminated path and name; `value` is value.len() bytes.
    unsafe {
        libc::setxattr(
            c(p).as_ptr(),
            n.as_ptr(),
            value.as_ptr().cast(),
            value.len(),
            0,
        ) == 0
    }
}

fn get(p: &Path, name: &str) -> Option<Vec<u8>> {
    let n = CString::new(name).expect("name");
    let mut buf = vec![0u8; 4096];
    // SAFETY: as above; `buf` has room for its length.
    let got = unsafe {
        libc::getxattr(
            c(p).as_ptr(),
            n.as_ptr(),
            buf.as_mut_ptr().cast(),
            buf.len(),
        )
    };
    buf.truncate(usize::try_from(got).ok()?);
    Some(buf)
}

fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).expect("stat").permissions().mode() & 0o777
}

#[test]
fn a_folder_s_access_list_and_attributes_survive_a_rerun() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
    wd.create("out/private/notes.txt", "mine\n");
    let (out, private) = (wd.file("out"), wd.file("out/private"));
    assert!(
        set(&private, ACL, &acl()) && set(&out, ACL, &acl()),
        "the temporary folder's file system takes no access lists"
    );
    // User attributes: every disk file system takes them, a tmpfs only
    // from Linux 6.6 on (there the check is left out, and said to be).
    let user = set(&private, "user.project", b"kompass");
    assert!(
        user || on_tmpfs(&private),
        "the temporary folder's file system takes no user attributes"
    );
    if !user {
        crate::workdir::skipped("user attributes (a tmpfs before Linux 6.6)");
    }
    let before = (get(&private, ACL), mode(&private), mode(&out));
    assert_eq!(before.1, 0o750, "the list's mask is the group's bits");
    let rerun = run_small(&wd, "out", &["-q", "--force"]);
    assert_eq!(rerun.status.code(), Some(0), "{rerun:?}");
    assert_eq!(wd.read("out/private/notes.txt"), b"mine\n");
    assert_eq!(
        (get(&private, ACL), mode(&private), mode(&out)),
        before,
        "the sub-folder's list and both folders' modes are as they were"
    );
    assert_eq!(get(&out, ACL), Some(acl()), "the output folder's own list");
    if user {
        assert_eq!(
            get(&private, "user.project").as_deref(),
            Some(&b"kompass"[..])
        );
    }
    // The output folder's default list (what new files in it get): kept,
    // and the new outputs made under it, so user 65534 still reads them.
    assert!(set(&out, "system.posix_acl_default", &acl()));
    let rerun = run_small(&wd, "out", &["-q", "--force"]);
    assert_eq!(rerun.status.code(), Some(0), "{rerun:?}");
    assert_eq!(get(&out, "system.posix_acl_default"), Some(acl()));
    let averages = get(&wd.file("out/averages.csv"), ACL);
    assert!(
        averages.is_some(),
        "a new output has the folder's default list"
    );
}
