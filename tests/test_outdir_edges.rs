//! Output folders that hold or sit inside something kompass must not
//! replace: a volume mounted inside the folder, a folder inside another
//! kompass output folder. Refused before any work (exit 2), nothing
//! touched.

use crate::test_safety::{SMALL, run_small};
use crate::workdir::{Need, Workdir, assert_stderr_has, skip, stderr};

/// A folder mounted inside the output folder (a bind mount of the user's
/// documents) was copied into the new output and then emptied through the
/// mount when the old output was removed, with exit 0. Needs `mount` (root,
/// as in CI); elsewhere it says it was skipped.
#[cfg(target_os = "linux")]
#[test]
fn a_volume_mounted_inside_the_output_folder_is_refused() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    wd.create("docs/thesis.txt", "my thesis\n");
    assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
    std::fs::create_dir(wd.file("out/docs")).unwrap();
    let bind = std::process::Command::new("mount")
        .args(["--bind"])
        .arg(wd.file("docs"))
        .arg(wd.file("out/docs"))
        .output();
    if !bind.as_ref().is_ok_and(|o| o.status.success()) {
        skip(Need::Mount, &format!("cannot bind-mount here ({bind:?})"));
        return;
    }
    let before = wd.read("out/averages.csv");
    let out = run_small(&wd, "out", &["--force"]);
    // Every mount under the test's folder undone, wherever a run that
    // went ahead moved it.
    let root = wd.file("");
    let table = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    let unmount = (table.lines())
        .filter_map(|l| l.split(' ').nth(4))
        .filter(|p| std::path::Path::new(p).starts_with(&root))
        .map(|p| {
            std::process::Command::new("umount")
                .args(["-l", p])
                .status()
        })
        .all(|s| s.is_ok_and(|s| s.success()));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_stderr_has(&out, "out/docs inside it is a mount point");
    assert!(unmount, "umount");
    assert_eq!(wd.read("docs/thesis.txt"), b"my thesis\n");
    assert_eq!(wd.read("out/averages.csv"), before);
}

/// An output folder inside another kompass output folder: a run there
/// replaces it with everything else (and, at the same time as a run here,
/// took this run's staging folder from under it). Refused, whether the
/// inner folder exists yet or not.
#[test]
fn an_output_folder_inside_another_is_refused() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
    for inner in ["out/inner", "out/report/x"] {
        let out = run_small(&wd, inner, &["-q"]);
        assert_eq!(out.status.code(), Some(2), "{inner}");
        assert_stderr_has(
            &out,
            ", a kompass output folder, which a run there replaces",
        );
        assert!(!wd.exists(inner));
    }
    // Beside it is fine.
    assert_eq!(run_small(&wd, "out2", &["-q"]).status.code(), Some(0));
    // A manifest kept for the record in the project folder (the current
    // folder, which no run can replace) does not make the outputs below it
    // nested.
    wd.create("manifest.json", wd.read("out/manifest.json"));
    let out = run_small(&wd, "out3", &["-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// An output folder inside one a run is writing now (no output folder yet:
/// its lock file names a running process) was accepted, and that run then
/// carried it into its own output as a user's folder (an audit's race).
/// Refused; once the lock file names a process that is gone (a killed
/// run's), or one that holds no lock on it (a killed run's pid given to
/// another process: refused too, until 2026-12-03), the folder is no
/// one's and the run goes ahead.
#[cfg(unix)]
#[test]
fn an_output_folder_inside_one_being_written_is_refused() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    let mark =
        |pid: u32| format!("kompass lock file: a run is writing the folder beside it, pid {pid}\n");
    // This test's own process stands for the run in progress, and holds
    // the lock.
    wd.create("p/.out.lock", mark(std::process::id()));
    let held = std::fs::File::open(wd.file("p/.out.lock")).unwrap();
    held.lock().unwrap();
    let out = run_small(&wd, "p/out/sub", &["-q"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let said = format!(
        "out, the output folder of a kompass run in progress (pid {}), which a run there \
         replaces as a whole",
        std::process::id()
    );
    assert_stderr_has(&out, &said);
    assert!(!wd.exists("p/out"));
    // A running process that holds no lock on it.
    drop(held);
    let out = run_small(&wd, "p/out/sub", &["-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::remove_dir_all(wd.file("p/out")).unwrap();
    // A process that has ended.
    let mut ended = std::process::Command::new("true").spawn().unwrap();
    let pid = ended.id();
    ended.wait().unwrap();
    wd.create("p/.out.lock", mark(pid));
    let out = run_small(&wd, "p/out/sub", &["-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// An output folder holding a folder that a run is writing now (its lock
/// file, held, names a running process) was replaced as a whole, the
/// other run's folder and staging folder carried into the new output as
/// a user's files. Refused, nothing touched; a lock file no one holds (a
/// finished run's, whose pid went to another process) is a user's file.
#[cfg(unix)]
#[test]
fn an_output_folder_holding_one_being_written_is_refused() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
    let mark = format!(
        "kompass lock file: a run is writing the folder beside it, pid {}\n",
        std::process::id()
    );
    wd.create("out/deep/.sub.lock", &mark);
    wd.create("out/deep/.sub.tmp-1/averages.csv", "partial\n");
    // This test's own process stands for the run in progress.
    let held = std::fs::File::open(wd.file("out/deep/.sub.lock")).unwrap();
    held.lock().unwrap();
    let before = wd.read("out/manifest.json");
    let out = run_small(&wd, "out", &["-q"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let said = format!(
        "out: a kompass run in progress (pid {}) is writing a folder inside it (its lock file \
         is out/deep/.sub.lock)",
        std::process::id()
    );
    assert_stderr_has(&out, &said);
    assert_eq!(wd.read("out/manifest.json"), before);
    assert!(wd.exists("out/deep/.sub.tmp-1/averages.csv"));
    // A folder that is no output yet, holding the lock file of a run on a
    // folder in it (as when both runs start at once): said so too.
    wd.create("new/.sub.lock", &mark);
    let top = std::fs::File::open(wd.file("new/.sub.lock")).unwrap();
    top.lock().unwrap();
    let out = run_small(&wd, "new", &["-q"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_stderr_has(&out, "new: a kompass run in progress (pid");
    drop((held, top));
    let out = run_small(&wd, "out", &["-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(wd.exists("out/deep/.sub.lock") && wd.exists("out/deep/.sub.tmp-1/averages.csv"));
}

/// A user's folder named through a parent (`missing/../proj`) is refused
/// with a sub-folder to use that works as written: resolved (the
/// suggestion was `missing/../proj/kompass-out`, which the shell cannot
/// follow while `missing` does not exist).
#[test]
fn a_suggested_sub_folder_is_a_path_that_works() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    wd.create("proj/notes.txt", "my notes\n");
    let out = run_small(&wd, "missing/../proj", &["-q"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    let suggested = wd.file("proj").canonicalize().unwrap().join("kompass-out");
    assert!(
        err.contains(&format!("(e.g. {})", suggested.display())),
        "{err}"
    );
    assert!(!err.contains("missing/../proj/kompass-out"), "{err}");
    let out = run_small(&wd, suggested.to_str().unwrap(), &["-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(wd.read("proj/notes.txt"), b"my notes\n");
}

/// A symbolic link in an input folder to one of the outputs: the run read
/// its own previous `evaluations.csv` as an export (a corrected score then
/// conflicted with the stale one, both rejected), though the same file
/// named directly was refused. Refused now too, nothing touched.
#[cfg(unix)]
#[test]
fn a_link_in_an_input_folder_into_the_output_is_refused() {
    let wd = Workdir::new();
    wd.create("data/in.csv", SMALL);
    let run = |wd: &Workdir| wd.run(&["validate", "-i", "data", "-o", "out", "-q"]);
    assert_eq!(run(&wd).status.code(), Some(0));
    std::os::unix::fs::symlink("../out/evaluations.csv", wd.file("data/z.csv")).unwrap();
    let before = crate::test_safety::tree(&wd.file("out"));
    let out = run(&wd);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_stderr_has(&out, "--out out: the input data/z.csv is inside it");
    assert_eq!(crate::test_safety::tree(&wd.file("out")), before);
}

/// A tmpfs of `size` mounted at `small` in `wd`, or the test said to be
/// skipped (false) where the machine cannot mount one.
#[cfg(target_os = "linux")]
fn small_tmpfs(wd: &Workdir, size: &str) -> bool {
    std::fs::create_dir(wd.file("small")).unwrap();
    let tmpfs = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(wd.file("small"))
        .output();
    let mounted = tmpfs.as_ref().is_ok_and(|o| o.status.success());
    if !mounted {
        skip(
            Need::Mount,
            &format!("cannot mount a tmpfs here ({tmpfs:?})"),
        );
    }
    mounted
}

/// On a full disk the run fails at its lock file, which does not stay
/// behind empty (the previous output is left as it was). Needs `mount`
/// (root, as in CI) for a small tmpfs; elsewhere it says it was skipped.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_leaves_no_lock_file() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    if !small_tmpfs(&wd, "2M") {
        return;
    }
    let first = run_small(&wd, "small/out", &["-q", "--report", "none"]);
    let before = std::fs::read(wd.file("small/out/averages.csv"));
    // Fill the rest of the volume.
    let fill = std::fs::write(wd.file("small/fill"), vec![0u8; 4 << 20]);
    let second = run_small(&wd, "small/out", &["-q", "--report", "none", "--force"]);
    let lock_left = wd.exists("small/.out.lock");
    let after = std::fs::read(wd.file("small/out/averages.csv"));
    let _ = std::process::Command::new("umount")
        .arg(wd.file("small"))
        .status();
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(fill.is_err(), "the volume is full");
    assert_eq!(second.status.code(), Some(1), "{}", stderr(&second));
    // Said with what it means (operator audit, 2026-12-06: the bare
    // "No space left on device" did not say nothing was done).
    assert_stderr_has(
        &second,
        "small/.out.lock: cannot write this run's mark into the lock file of the output folder: \
         No space left on device (os error 28) (nothing was run)",
    );
    assert!(!lock_left, "the lock file was left behind");
    assert_eq!(before.unwrap(), after.unwrap());
}

/// A generation that fills the disk removes the temporary file it was
/// writing (it left a `.evaluations.csv.partial` of the volume's size, and
/// the disk full) and names the file as it would have been called; the
/// next generation into the folder, with room, is whole (synth audit,
/// 2026-12-02). A folder the failed generation made, with none of its
/// files in place, is removed (it stayed, holding an unfinished
/// `meta/truth.json`); one that was there before stays, listing what the
/// next generation removes.
#[cfg(target_os = "linux")]
#[test]
fn a_synth_that_fills_the_disk_leaves_no_temporary_file() {
    let wd = Workdir::new();
    if !small_tmpfs(&wd, "600k") {
        return;
    }
    let full = wd.run(&["synth", "-n", "3000", "-o", "small/s"]);
    let made_left = wd.exists("small/s");
    std::fs::create_dir(wd.file("small/t")).unwrap();
    let full_t = wd.run(&["synth", "-n", "3000", "-o", "small/t", "-q"]);
    let left = crate::test_safety::tree(&wd.file("small/t"));
    let again = wd.run(&["synth", "-n", "30", "-o", "small/s", "-q"]);
    let whole = wd.exists("small/s/evaluations.csv");
    let _ = std::process::Command::new("umount")
        .arg(wd.file("small"))
        .status();
    assert_eq!(full.status.code(), Some(1), "{}", stderr(&full));
    assert_stderr_has(&full, "small/s/evaluations.csv: No space left on device");
    assert!(!made_left, "the folder the generation made stayed");
    assert_eq!(full_t.status.code(), Some(1), "{}", stderr(&full_t));
    let kept = ["meta/", "meta/truth.json"].map(String::from);
    assert_eq!(left.keys().cloned().collect::<Vec<_>>(), kept, "{left:?}");
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(whole);
}

/// A manifest cut short is said to be unreadable, not missing (the folder
/// is still refused: kompass cannot tell its files from the user's, and
/// the message says how to start it anew); and
/// `inputs = []` in a config file names that file, not kompass.toml.
#[test]
fn an_unreadable_manifest_and_an_empty_inputs_list_are_named() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
    let manifest = wd.read("out/manifest.json");
    wd.create("out/manifest.json", &manifest[..manifest.len() / 2]);
    let out = run_small(&wd, "out", &["-q", "--force"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "its manifest.json cannot be read as kompass's");
    // It says what to do with an output whose manifest was damaged, not
    // only to choose another folder (operator audit, 2026-12-06).
    assert_stderr_has(
        &out,
        "; it holds kompass's inputs.csv and validation.csv, as every output folder of kompass's \
         does: if it is one whose manifest.json was removed or damaged, rename it (or move what \
         you put in it elsewhere and remove it), and the next run writes it anew",
    );
    // A project's own files of those names (other columns) are not taken
    // for kompass's.
    wd.create("proj/inputs.csv", "name,value\na,1\n");
    wd.create("proj/validation.csv", "fold,score\n1,0.9\n");
    let out = run_small(&wd, "proj", &["-q"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains("it holds"), "{}", stderr(&out));
    wd.create("sub/my.toml", "inputs = []\n");
    let out = wd.run_expect(&["run", "--config", "sub/my.toml", "-o", "o2"], 2);
    assert_stderr_has(&out, "`inputs` in sub/my.toml is an empty list");
}

/// An output folder whose name is 250 bytes long: its lock file
/// `.<name>.lock` would have 256, and the run was refused ("cannot open or
/// create the lock file ...: File name too long"). The names beside it are
/// shortened; the run and its rerun work and leave only the folder.
#[test]
fn a_long_output_folder_name_is_no_lock_error() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    let out = "k".repeat(250);
    for said in ["", "up to date"] {
        let run = wd.run_expect(&["run", "-i", "in.csv", "-o", &out, "--charts", "none"], 0);
        assert!(String::from_utf8_lossy(&run.stdout).contains(said));
    }
    assert!(wd.exists(&format!("{out}/averages.csv")));
    let mut beside: Vec<String> = std::fs::read_dir(wd.file("."))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, vec!["in.csv".to_string(), out]);
}

/// A file system without direct I/O (ramfs; tmpfs before Linux 6.6) makes
/// the file and then refuses `O_DIRECT`: with outputs created new
/// (`O_EXCL`), the fallback found the file there and every run and
/// generation failed ("File exists"). Needs `mount` (root, as in CI).
#[cfg(target_os = "linux")]
#[test]
fn outputs_are_written_on_a_file_system_without_direct_io() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.file("ram")).unwrap();
    let mount = std::process::Command::new("mount")
        .args(["-t", "ramfs", "ramfs"])
        .arg(wd.file("ram"))
        .output();
    if !mount.as_ref().is_ok_and(|o| o.status.success()) {
        skip(
            Need::Mount,
            &format!("cannot mount a ramfs here ({mount:?})"),
        );
        return;
    }
    wd.create("in.csv", SMALL);
    let synth = wd.run(&["synth", "-n", "20", "-o", "ram/s", "-q"]);
    let run = run_small(&wd, "ram/out", &["-q"]);
    let unmounted = std::process::Command::new("umount")
        .args(["-l"])
        .arg(wd.file("ram"))
        .status();
    assert!(synth.status.success(), "{}", stderr(&synth));
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(unmounted.is_ok_and(|s| s.success()), "umount");
}
