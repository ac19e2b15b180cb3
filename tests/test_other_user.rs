//! A run by a user who is not root, in an output folder where the user
//! has put files of another user's: what the system lets kompass keep of
//! them. Run as `nobody` (uid 65534) with `setpriv`, which needs root: as
//! another user the test says it was skipped and passes, unless `.ci/run`
//! found that this machine can run it (`workdir::skip`).

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::nobody::{self, NOBODY, chmod, chown_nobody, run_as_nobody};
use crate::test_keep::{Y2020, day, set_mtime};
use crate::test_safety::SMALL;
use crate::workdir::{Workdir, assert_stderr_has, stderr, stdout};

/// A file the runner may hard-link (its own) stays the same file; one it
/// may not (root's, which `fs.protected_hardlinks` keeps other users from
/// linking) is copied, with its bytes, mode and times, and is the
/// runner's (only root can give a file to another user); one it cannot
/// read stops the run (exit 1), the previous output left as it was.
#[test]
fn as_another_user_a_file_it_may_not_link_is_copied_with_its_mode_and_times() {
    // The temp folder and a copy of the binary, open to nobody.
    let Some(wd) = nobody::workdir() else { return };
    let shared = wd.create("shared/in.csv", SMALL);
    let shared = shared.parent().expect("folder");
    chown_nobody(shared);
    let args = [
        "run",
        "-i",
        "shared/in.csv",
        "-o",
        "shared/out",
        "-q",
        "--charts",
        "none",
        "--report",
        "none",
        "--bootstrap",
        "20",
        "--force",
    ];
    let out = run_as_nobody(&wd, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // Root's notes (mode 644, a time of 2020) and nobody's own file.
    let notes = wd.create("shared/out/notes.txt", "root's\n");
    chmod(&notes, 0o644);
    set_mtime(&notes, Y2020);
    let own = wd.create("shared/out/own.txt", "nobody's\n");
    chown_nobody(&own);
    let stat = |p: &Path| std::fs::metadata(p).expect("stat");
    let (notes_ino, own_ino) = (stat(&notes).ino(), stat(&own).ino());

    let out = run_as_nobody(&wd, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(wd.read("shared/out/notes.txt"), b"root's\n");
    let copied = stat(&notes);
    assert_ne!(copied.ino(), notes_ino, "root's file is a copy");
    assert_eq!(copied.mode() & 0o7777, 0o644);
    assert_eq!(copied.modified().expect("mtime"), day(Y2020));
    assert_eq!((copied.uid(), copied.gid()), (NOBODY, NOBODY));
    assert_eq!(stat(&own).ino(), own_ino, "nobody's own file is linked");
    assert_eq!(wd.read("shared/out/own.txt"), b"nobody's\n");

    an_unreadable_file_stops_the_run(&wd, &args, shared, &notes, &copied);
    let sticky = roots_output_in_a_sticky_folder_is_refused(&wd, &args);
    roots_lock_file_in_nobodys_folder(&wd, &sticky[5..]);
}

/// A file nobody cannot read (root's `secret.txt`, mode 600, in nobody's
/// output) stops nobody's run with `args` (exit 1), the previous output
/// left as it was; `notes` stays the `copied` file of the run before.
fn an_unreadable_file_stops_the_run(
    wd: &Workdir,
    args: &[&str],
    shared: &Path,
    notes: &Path,
    copied: &std::fs::Metadata,
) {
    let stat = |p: &Path| std::fs::metadata(p).expect("stat");
    // A file nobody cannot read cannot be carried: the run stops, and the
    // outputs stay those of the input before (a run that went through
    // would write other averages).
    let secret = wd.create("shared/out/secret.txt", "root only\n");
    chmod(&secret, 0o600);
    let averages = wd.read("shared/out/averages.csv");
    std::fs::write(shared.join("in.csv"), SMALL.replace(",55,", ",65,")).expect("write");
    let out = run_as_nobody(wd, args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("secret.txt: Permission denied")
            && stderr(&out).contains("the previous output is left as it was"),
        "{}",
        stderr(&out)
    );
    assert_eq!(wd.read("shared/out/averages.csv"), averages);
    assert_eq!(wd.read("shared/out/secret.txt"), b"root only\n");
    assert_eq!(stat(notes).ino(), copied.ino());
}

/// Root's output in a folder with the sticky bit is refused to nobody
/// before the run (exit 2). `args` are those of the shared run; returns
/// the arguments (without `run`) of the run in the sticky folder.
fn roots_output_in_a_sticky_folder_is_refused(
    wd: &Workdir,
    args: &[&'static str],
) -> Vec<&'static str> {
    // Root's output in a folder with the sticky bit: nobody may not rename
    // it, which replacing it takes; refused before the run (exit 2), where
    // it had failed at the swap after all the work ("Operation not
    // permitted", exit 1), every scheduled run again.
    wd.create("sticky/in.csv", SMALL);
    chmod(&wd.file("sticky"), 0o1777);
    let args = [&["-i", "sticky/in.csv", "-o", "sticky/out"][..], &args[5..]].concat();
    let root = wd.run(&[&["run"][..], &args].concat());
    assert_eq!(root.status.code(), Some(0), "{}", stderr(&root));
    let out = run_as_nobody(wd, &[&["run"][..], &args].concat());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_stderr_has(
        &out,
        "a folder with the sticky bit, where only its owner may rename it",
    );
    args
}

/// Root's lock file in nobody's folder: held by a live run of root's, it
/// locks nobody's run out (exit 4); left by a killed one, nobody's run
/// replaces it and goes on. `tail` are the options after the output.
fn roots_lock_file_in_nobodys_folder(wd: &Workdir, tail: &[&str]) {
    // Root's lock file (mode 644) in nobody's folder. Held by a live run of
    // root's: nobody's run is locked out (exit 4; it was exit 1, "cannot
    // open or create the lock file", and --wait did not wait).
    let lock = wd.create("shared/.o.lock", crate::test_leftovers::lock_of(99999));
    chmod(&lock, 0o644);
    let held = std::fs::File::open(&lock).expect("open");
    held.lock().expect("lock");
    let mine = [&["run", "-i", "shared/in.csv", "-o", "shared/o"][..], tail].concat();
    let out = run_as_nobody(wd, &mine);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    // Left by a killed run of root's (with its staging folder): nobody's
    // run replaces the lock file with its own and goes on, removing the
    // leftovers (it had failed every time until root ran again).
    drop(held);
    std::fs::create_dir(wd.file("shared/.o.tmp-99999")).expect("mkdir");
    let out = run_as_nobody(wd, &mine);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(wd.file("shared/o/averages.csv").is_file());
    assert!(!wd.file("shared/.o.tmp-99999").exists() && !lock.exists());
}

/// As another user: a folder of root's in the previous output (which
/// nobody may not empty) is carried into the new output as a copy, and
/// what cannot be removed of the previous output is left beside it, with
/// a warning naming where (README, "Running on a schedule"); a register
/// nobody may not read, or a register folder it may not look into, stops
/// the run (exit 1), naming the file.
#[test]
fn as_another_user_what_cannot_be_removed_is_left_and_said() {
    let Some(wd) = nobody::workdir() else { return };
    wd.create("w/in.csv", SMALL);
    chown_nobody(&wd.file("w"));
    chown_nobody(&wd.file("w/in.csv"));
    let args = [
        "run", "-i", "w/in.csv", "-o", "w/out", "-q", "--charts", "none",
    ];
    let args = [&args[..], &["--bootstrap", "20", "--force"]].concat();
    let out = run_as_nobody(&wd, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Root's folder and file (mode 755 and 644: nobody reads them).
    wd.create("w/out/rootdir/r.txt", "root's\n");
    let out = run_as_nobody(&wd, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(wd.read("w/out/rootdir/r.txt"), b"root's\n");
    let left: Vec<String> = (std::fs::read_dir(wd.file("w")).unwrap().flatten())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".out.old-"))
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    assert_stderr_has(
        &out,
        &format!(
            "warning: the previous output could not be removed entirely; what is left of it is \
             in {}: look through it and remove it",
            wd.file("w").join(&left[0]).display()
        ),
    );
    assert!(wd.exists(&format!("w/{}/rootdir/r.txt", left[0])));
    // A register only root may read.
    let register = wd.create("w/se_reg.csv", "code,name\n0114,A\n0115,B\n");
    chmod(&register, 0o600);
    let reg = ["--register", "w/se_reg.csv", "-o", "w/out2"];
    let out = run_as_nobody(&wd, &[&args[..3], &reg, &args[5..]].concat());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_stderr_has(&out, "w/se_reg.csv: Permission denied");
    assert!(!wd.exists("w/out2"));
    // A register folder nobody may list but not look into (mode 744): its
    // file cannot be looked at, the system's error (exit 1), not skipped.
    wd.create("w/reg/se_reg.csv", "code,name\n0114,A\n0115,B\n");
    chmod(&wd.file("w/reg"), 0o744);
    let reg = ["--register", "w/reg", "-o", "w/out3"];
    let out = run_as_nobody(&wd, &[&args[..3], &reg, &args[5..]].concat());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_stderr_has(&out, "w/reg/se_reg.csv: Permission denied");
    assert!(!wd.exists("w/out3"));
}

/// As the output's owner who made two of its files unreadable (mode 000):
/// an output was said to be "changed since kompass wrote it", and the
/// manifest "cannot be read as kompass's (cut short or not kompass's
/// JSON)"; each now gives the system's reason (helper audit of
/// scheduled reruns, 2026-12-07).
#[test]
fn an_unreadable_output_or_manifest_is_said_to_be_unreadable() {
    let Some(wd) = nobody::workdir() else { return };
    wd.create("w/in.csv", SMALL);
    chown_nobody(&wd.file("w"));
    chown_nobody(&wd.file("w/in.csv"));
    let args = [
        "run", "-i", "w/in.csv", "-o", "w/out", "--charts", "none", "--report", "none",
    ];
    let args = [&args[..], &["--bootstrap", "20"]].concat();
    let out = run_as_nobody(&wd, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    chmod(&wd.file("w/out/trends.csv"), 0o000);
    let out = run_as_nobody(&wd, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        said.contains(
            "trends.csv, which cannot be read (Permission denied (os error 13)): taken as \
             changed since kompass wrote it (kept as trends.csv.kept)"
        ),
        "{said}"
    );
    chmod(&wd.file("w/out/manifest.json"), 0o000);
    let out = run_as_nobody(&wd, &args);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_stderr_has(
        &out,
        "its manifest.json cannot be read: Permission denied (os error 13) (let this user read \
         it, and the next run goes on from it)",
    );
    assert!(
        !stderr(&out).contains("removed or damaged"),
        "{}",
        stderr(&out)
    );
}

/// A register, instrument folder, published file, config file or export
/// in a folder nobody may not enter (mode 000) was "no such file" (exit
/// 2), as if mistyped; each now gives the system's reason, exit 1, as a
/// file that cannot be read does (reference audit of the seventy-sixth
/// session). A name not there at all stays "no such file", exit 2.
#[test]
fn a_file_in_a_folder_that_cannot_be_entered_is_not_said_missing() {
    let Some(wd) = nobody::workdir() else { return };
    wd.create("w/in.csv", SMALL);
    wd.create("w/locked/p.csv", "x\n");
    wd.create("w/locked/in.csv", SMALL);
    wd.create("w/locked/k.toml", "inputs = [\"../in.csv\"]\n");
    wd.create(
        "w/k.toml",
        "inputs = [\"in.csv\"]\npublished = \"locked/p.csv\"\n",
    );
    for p in ["w", "w/in.csv", "w/k.toml", "w/locked"] {
        chown_nobody(&wd.file(p));
    }
    chmod(&wd.file("w/locked"), 0o000);
    let run = [
        "run", "-o", "w/out", "--charts", "none", "--report", "none", "-q",
    ];
    let cases: [(&[&str], &str); 6] = [
        (
            &["w/in.csv", "--published", "w/locked/p.csv"],
            "w/locked/p.csv",
        ),
        (
            &["w/in.csv", "--register", "w/locked/r.csv"],
            "w/locked/r.csv",
        ),
        (&["w/in.csv", "--instruments", "w/locked/i"], "w/locked/i"),
        (&["w/locked/in.csv"], "w/locked/in.csv"),
        (&["--config", "w/locked/k.toml"], "w/locked/k.toml"),
        (&["--config", "w/k.toml"], "w/locked/p.csv"),
    ];
    for (args, path) in cases {
        let out = run_as_nobody(&wd, &[&run[..], args].concat());
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert_stderr_has(&out, &format!("{path}: Permission denied"));
    }
    let out = run_as_nobody(
        &wd,
        &[&run[..], &["w/in.csv", "--published", "w/p.csv"]].concat(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_stderr_has(&out, "--published w/p.csv: no such file");
}
