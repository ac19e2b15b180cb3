//! Running kompass as `nobody` (uid 65534) with `setpriv`, which needs
//! root: for the tests of what the system lets a user who is not root do
//! (root ignores a folder's permissions, so as root those tests would
//! test nothing).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use crate::workdir::{Need, Workdir, skip};

pub const NOBODY: u32 = 65534;

/// Whether this process runs as root.
pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// Whether this process may act as another user, with `setpriv`, on a
/// system that keeps users from linking others' files (Linux's
/// `fs.protected_hardlinks`, on by default).
pub fn can_act_as_nobody() -> bool {
    let setpriv = Command::new("setpriv").arg("--version").output().is_ok();
    let protected =
        std::fs::read_to_string("/proc/sys/fs/protected_hardlinks").is_ok_and(|v| v.trim() == "1");
    is_root() && setpriv && protected
}

pub fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Gives `path` to nobody.
pub fn chown_nobody(path: &Path) {
    std::os::unix::fs::chown(path, Some(NOBODY), Some(NOBODY)).expect("chown");
}

/// Opens `wd` to nobody (mode 755) and puts a copy of kompass in it that
/// nobody may run (the build's own may be in a folder closed to it).
///
/// The copy is made by `cp`, not by this process: a file this process
/// holds open for writing is inherited by every child another test's
/// thread forks meanwhile, until that child's `exec`, and running the
/// copy then fails with "Text file busy" (`setpriv` exits 126; seen once
/// in about 30 runs of the suite). `cp`'s descriptor is its own.
pub fn open_to_nobody(wd: &Workdir) {
    chmod(&wd.file(""), 0o755);
    let copy = Command::new("cp")
        .arg(env!("CARGO_BIN_EXE_kompass"))
        .arg(wd.file("kompass"))
        .status()
        .expect("run cp");
    assert!(copy.success(), "cp kompass: {copy}");
    chmod(&wd.file("kompass"), 0o755);
}

/// Runs `program` with `args` as nobody in `wd`.
pub fn as_nobody(wd: &Workdir, program: &Path, args: &[&str]) -> Output {
    Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(program)
        .args(args)
        .current_dir(wd.file(""))
        .output()
        .expect("run setpriv")
}

/// Runs kompass (the copy [`open_to_nobody`] put in `wd`) as nobody in
/// `wd`.
pub fn run_as_nobody(wd: &Workdir, args: &[&str]) -> Output {
    as_nobody(wd, &wd.file("kompass"), args)
}

/// A private folder open to nobody, with a copy of kompass in it; `None`
/// where this process cannot act as nobody (the test then says it was
/// skipped, or fails where `.ci/run` found that it can).
pub fn workdir() -> Option<Workdir> {
    if !can_act_as_nobody() {
        let why = "acting as another user needs root, setpriv and fs.protected_hardlinks = 1";
        skip(Need::OtherUser, why);
        return None;
    }
    let wd = Workdir::new();
    open_to_nobody(&wd);
    Some(wd)
}
