//! What kompass removes is only ever its own: names that merely look like
//! its staging folders, old outputs, lock files or generated exports are
//! the user's and stay; an interrupt while files are being written leaves
//! nothing behind, before or after the swap; and inputs or settings that
//! cannot work are refused before anything is written.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::test_safety::{SMALL, leftovers, run_small, tree};
use crate::workdir::{Workdir, assert_stderr_has, copy_dir, stderr};

/// The lock file a run with pid `pid` leaves when it is killed.
pub(crate) fn lock_of(pid: u32) -> String {
    format!("kompass lock file: a run is writing the folder beside it, pid {pid}\n")
}

#[test]
fn folders_and_files_named_like_leftovers_are_the_users() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
    // A backup copy of the output (manifest and all), folders whose names
    // end in digits as a killed run's would, and a lock file of the user's.
    copy_dir(&wd.file("out"), &wd.file(".out.old-2023"));
    wd.create(".out.old-2023/notes.txt", "mine\n");
    wd.create(".out.tmp-2024/scratch.txt", "x\n");
    wd.create(".out.tmp-backup/f", "precious\n");
    wd.create(".out.lock", "my lock notes\n");
    let mine = tree(&wd.file("."));
    // The lock file is refused: nothing written or removed.
    let out = run_small(&wd, "out", &["-q", "--force"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_stderr_has(&out, "not one of its locks");
    assert_eq!(tree(&wd.file(".")), mine);
    // As a link (to a file, or to none): refused, the link and its target
    // as they were.
    #[cfg(unix)]
    for target in ["target.txt", "missing.txt"] {
        std::fs::remove_file(wd.file(".out.lock")).unwrap();
        wd.create("target.txt", "");
        std::os::unix::fs::symlink(wd.file(target), wd.file(".out.lock")).unwrap();
        let out = run_small(&wd, "out", &["-q", "--force"]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert_stderr_has(&out, "a symbolic link");
        assert_eq!(wd.read("target.txt"), b"");
        assert!(!wd.exists("missing.txt"));
        assert!(std::fs::symlink_metadata(wd.file(".out.lock")).is_ok());
    }
    // A killed run's lock file names its pid: its staging folder goes, the
    // look-alikes stay, whether the output is there or not.
    std::fs::remove_file(wd.file(".out.lock")).unwrap();
    wd.create(".out.lock", lock_of(4242));
    wd.create(".out.tmp-4242/partial.csv", "x\n");
    let out = run_small(&wd, "out", &["-q", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!wd.exists(".out.tmp-4242") && !wd.exists(".out.lock"));
    // Said first, under `--quiet` too (it was silent, however long).
    assert_stderr_has(
        &out,
        "an earlier run into this folder (process 4242) was stopped before it finished; \
         what it left beside it is put back or cleared up first (",
    );
    assert_stderr_has(&out, "/.out.tmp-4242)");
    std::fs::remove_dir_all(wd.file("out")).unwrap();
    let out = run_small(&wd, "out", &["-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!wd.exists("out/notes.txt"));
    assert_eq!(wd.read(".out.old-2023/notes.txt"), b"mine\n");
    assert_eq!(wd.read(".out.tmp-2024/scratch.txt"), b"x\n");
    assert_eq!(wd.read(".out.tmp-backup/f"), b"precious\n");
}

/// A run killed between the exchange and the rename after it leaves the
/// previous output under its staging folder's name: the next run goes
/// through it (a note saved into it during the run is moved into the
/// output) rather than remove it whole; it is told by its manifest, older
/// than the output's. A complete staging folder beside the older output
/// (killed just before the exchange, while carrying) is removed as
/// before: nothing of it is moved in.
#[test]
fn a_killed_run_s_complete_staging_folder_is_gone_through() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
    wd.create("out/notes.txt", "mine\n");
    copy_dir(&wd.file("out"), &wd.file(".out.tmp-4242"));
    wd.create(".out.tmp-4242/late.txt", "late\n");
    assert_eq!(
        run_small(&wd, "out", &["-q", "--force"]).status.code(),
        Some(0)
    );
    // Older than the output's, whatever the file system's clock grain.
    age_manifest(&wd, ".out.tmp-4242", -10);
    wd.create(".out.lock", lock_of(4242));
    let out = run_small(&wd, "out", &["-q", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(wd.read("out/late.txt"), b"late\n");
    assert_eq!(wd.read("out/notes.txt"), b"mine\n");
    // Newer than the output (killed before the exchange, a copy of a
    // file of the user's half carried): removed, nothing of it moved in.
    copy_dir(&wd.file("out"), &wd.file(".out.tmp-4243"));
    age_manifest(&wd, ".out.tmp-4243", 10);
    wd.create(".out.tmp-4243/half.txt", "half a cop");
    wd.create(".out.lock", lock_of(4243));
    let out = run_small(&wd, "out", &["-q", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!wd.file("out/half.txt").exists());
    let kept: Vec<String> = (std::fs::read_dir(wd.file("out")).unwrap().flatten())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".kept"))
        .collect();
    assert!(kept.is_empty(), "{kept:?}");
    // As old as the output's (one tick of a coarse clock): either could be
    // the previous output, so it is gone through, not removed whole.
    copy_dir(&wd.file("out"), &wd.file(".out.tmp-4244"));
    age_manifest(&wd, ".out.tmp-4244", 0);
    wd.create(".out.tmp-4244/saved.txt", "saved during the run\n");
    wd.create(".out.lock", lock_of(4244));
    let out = run_small(&wd, "out", &["-q", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(wd.read("out/saved.txt"), b"saved during the run\n");
    assert_eq!(wd.read("out/notes.txt"), b"mine\n");
    assert!(
        leftovers(&wd.file(".")).is_empty(),
        "{:?}",
        leftovers(&wd.file("."))
    );
}

#[test]
fn synth_removes_only_what_the_generation_before_wrote() {
    let wd = Workdir::new();
    wd.run_expect(&["synth", "-n", "20", "-o", "gen", "-q"], 0);
    let truth: serde_json::Value = serde_json::from_slice(&wd.read("gen/meta/truth.json")).unwrap();
    assert_eq!(
        truth["files"],
        serde_json::json!(["evaluations.csv", "meta/faults.csv", "meta/truth.json"])
    );
    wd.create("gen/evaluations_005.csv", "my,own\n");
    wd.create("gen/meta/notes.txt", "mine\n");
    // One file again: the user's export-like file is not the generation's.
    wd.run_expect(&["synth", "-n", "20", "--seed", "9", "-o", "gen", "-q"], 0);
    assert_eq!(wd.read("gen/evaluations_005.csv"), b"my,own\n");
    assert_eq!(wd.read("gen/meta/notes.txt"), b"mine\n");
    // Six files would write over it: refused before anything is removed.
    let before = tree(&wd.file("gen"));
    let out = wd.run(&["synth", "-n", "20", "--files", "6", "-o", "gen", "-q"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_stderr_has(
        &out,
        "evaluations_005.csv is there and is not listed as written",
    );
    assert_eq!(tree(&wd.file("gen")), before);
    // A generation that did not list its files: nothing is guessed.
    let mut truth: serde_json::Value =
        serde_json::from_slice(&wd.read("gen/meta/truth.json")).unwrap();
    truth.as_object_mut().unwrap().remove("files");
    wd.create("gen/meta/truth.json", truth.to_string());
    let before = tree(&wd.file("gen"));
    let out = wd.run(&["synth", "-n", "20", "-o", "gen", "-q"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_stderr_has(&out, "did not list the files");
    assert_eq!(tree(&wd.file("gen")), before);
}

#[test]
fn synth_keeps_out_of_a_linked_meta_and_recovers_from_an_interrupt() {
    let wd = Workdir::new();
    wd.run_expect(&["synth", "-n", "20", "-o", "gen", "-q"], 0);
    // meta/ a link to a folder elsewhere: refused, nothing there touched.
    std::fs::rename(wd.file("gen/meta"), wd.file("shared")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(wd.file("shared"), wd.file("gen/meta")).unwrap();
        let before = tree(&wd.file("shared"));
        let out = wd.run(&["synth", "-n", "20", "-o", "gen", "-q"]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert_stderr_has(&out, "meta is not a folder of its own");
        assert_eq!(tree(&wd.file("shared")), before);
        std::fs::remove_file(wd.file("gen/meta")).unwrap();
    }
    std::fs::rename(wd.file("shared"), wd.file("gen/meta")).unwrap();
    // Interrupted while it writes: its temporary files are listed, so the
    // next generation removes them and the user's file stays.
    wd.create("gen/notes.txt", "mine\n");
    #[cfg(unix)]
    {
        let mut child = wd
            .command(&["synth", "-n", "2000000", "-o", "gen", "-q"])
            .spawn()
            .unwrap();
        let partial = wd.file("gen/.evaluations.csv.partial");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !partial.exists() {
            if let Some(status) = child.try_wait().unwrap() {
                panic!("synth ended ({status}) before its file was begun");
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no partial file in 60 s"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
        assert_eq!(child.wait().unwrap().code(), Some(130));
        assert!(partial.exists());
    }
    // A file of the user's at a name the generation may write is not
    // taken for the interrupted generation's: refused, and kept.
    wd.create("gen/meta/register.csv", "my register\n");
    let out = wd.run(&["synth", "-n", "20", "-o", "gen", "-q"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(wd.read("gen/meta/register.csv"), b"my register\n");
    std::fs::rename(wd.file("gen/meta/register.csv"), wd.file("register.csv")).unwrap();
    wd.run_expect(&["synth", "-n", "20", "-o", "gen", "-q"], 0);
    let names: Vec<String> = tree(&wd.file("gen")).into_keys().collect();
    assert!(!names.iter().any(|n| n.contains(".partial")), "{names:?}");
    assert_eq!(wd.read("gen/notes.txt"), b"mine\n");
}

/// A named pipe or a socket of the user's in the output is carried as a
/// second hard link: the same one, so a server listening on the socket is
/// still reached at its place in the new output (it was refused at the
/// end of the run, exit 2, every run again; copying a pipe would wait for
/// a writer for ever). What cannot be locked is refused, not waited on.
#[test]
fn what_cannot_be_copied_is_linked_and_what_cannot_be_locked_is_refused() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
    #[cfg(unix)]
    {
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        wd.create("out/notes/a.txt", "mine\n");
        for at in ["out/pipe", "out/notes/pipe"] {
            let fifo = std::ffi::CString::new(wd.file(at).to_str().unwrap()).unwrap();
            // SAFETY: a valid NUL-terminated path.
            assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        }
        let listener = std::os::unix::net::UnixListener::bind(wd.file("out/sock")).unwrap();
        let inode = |at: &str| std::fs::symlink_metadata(wd.file(at)).unwrap().ino();
        let before = [
            inode("out/pipe"),
            inode("out/notes/pipe"),
            inode("out/sock"),
        ];
        let out = run_small(&wd, "out", &["-q", "--force"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let after = [
            inode("out/pipe"),
            inode("out/notes/pipe"),
            inode("out/sock"),
        ];
        assert_eq!(after, before);
        for at in ["out/pipe", "out/notes/pipe"] {
            assert!(
                std::fs::symlink_metadata(wd.file(at))
                    .unwrap()
                    .file_type()
                    .is_fifo()
            );
        }
        assert_eq!(wd.read("out/notes/a.txt"), b"mine\n");
        assert!(leftovers(&wd.file(".")).is_empty());
        let _client = std::os::unix::net::UnixStream::connect(wd.file("out/sock")).unwrap();
        assert!(listener.accept().is_ok());
    }
    // A folder where the lock file goes: refused (exit 2), left as it is.
    wd.create(".out.lock/mine.txt", "x\n");
    let out = run_small(&wd, "out", &["-q", "--force"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_stderr_has(&out, "a folder");
    assert_eq!(wd.read(".out.lock/mine.txt"), b"x\n");
    std::fs::remove_dir_all(wd.file(".out.lock")).unwrap();
    // The lock file of a killed run of a kompass that wrote no pid: taken
    // over (nothing of that run can be told apart, so nothing is removed).
    wd.create(
        ".out.lock",
        "kompass lock file: a run is writing the folder beside it\n",
    );
    wd.create(".out.tmp-31337/partial.csv", "x\n");
    let out = run_small(&wd, "out", &["-q", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!wd.exists(".out.lock") && wd.exists(".out.tmp-31337/partial.csv"));
}

#[test]
fn settings_that_cannot_work_are_usage_errors() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    wd.create("noregister/readme.txt", "x");
    wd.create("headeronly/se_kommuner.csv", "code,name\n");
    wd.create("afile", "x");
    std::fs::create_dir(wd.file("conf")).unwrap();
    let cases: [(&[&str], &str); 7] = [
        (&["--register", "noregister"], "no register files"),
        (&["--register", "headeronly"], "lists no municipalities"),
        (&["--config", "conf"], "this is a folder"),
        (&["-o", "afile/out"], "is a file, not a folder"),
        (
            &["-o", "dangling"],
            "symbolic link to a folder that does not exist",
        ),
        (
            &["-o", "dangling/sub"],
            "symbolic link to a folder that does not exist",
        ),
        (&["-o", "loop"], "symbolic link that cannot be followed"),
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(wd.file("nowhere"), wd.file("dangling")).unwrap();
        std::os::unix::fs::symlink(wd.file("loop"), wd.file("loop")).unwrap();
    }
    for (args, says) in cases {
        let mut all = vec!["validate", "-i", "in.csv"];
        if args[0] != "-o" {
            all.extend(["-o", "out"]);
        }
        all.extend_from_slice(args);
        let out = wd.run(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert!(!wd.exists("out") && !wd.exists("nowhere"));
        assert!(leftovers(&wd.file(".")).is_empty());
    }
    #[cfg(unix)]
    {
        let out = wd.run(&["validate", "-i", "/dev/null", "-o", "out"]);
        assert_eq!(out.status.code(), Some(2));
        assert_stderr_has(&out, "not a regular file");
    }
    // A binary file's bytes are not printed.
    wd.create("bin.csv", b"\x7fELF\x02\x01\x01\x00\x00\x00,\x03\x00>\n");
    let out = wd.run(&["validate", "-i", "bin.csv", "-o", "out"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("control characters") && !err.contains("ELF"),
        "{err}"
    );
}

/// Whether `out` is a whole output: every file its manifest lists, with
/// the listed BLAKE3 hash.
fn complete(dir: &std::path::Path) -> bool {
    let Ok(text) = std::fs::read(dir.join("manifest.json")) else {
        return false;
    };
    let m: serde_json::Value = serde_json::from_slice(&text).unwrap();
    m["outputs"].as_array().unwrap().iter().all(|o| {
        std::fs::read(dir.join(o["path"].as_str().unwrap()))
            .is_ok_and(|b| blake3::hash(&b).to_hex().as_str() == o["blake3"].as_str().unwrap())
    })
}

#[cfg(unix)]
#[test]
fn an_interrupt_while_files_are_written_leaves_nothing_behind() {
    let wd = Workdir::new();
    wd.run_expect(
        &["synth", "-n", "3000", "--seed", "5", "-o", "big", "-q"],
        0,
    );
    let args = [
        "run",
        "-i",
        "big",
        "--register",
        "big/meta/register.csv",
        "-o",
        "res",
        "--charts",
        "none",
        "--bootstrap",
        "20",
        "--force",
    ];
    wd.run_expect(&args, 0);
    // While the report's pages are written by all cores (at its start and
    // a moment later), and at the swap. At the report's start (3,000
    // pages to write) the run must stop: a kompass that let a signal wait
    // for its end would pass every case but that one.
    let cases = [
        ("report", libc::SIGINT, 0, true),
        ("report", libc::SIGTERM, 200, false),
        ("swap", libc::SIGTERM, 0, false),
    ];
    for (stage, signal, ms, must_stop) in cases {
        let before = tree(&wd.file("res"));
        let mut child = wd
            .command(&args)
            .arg("-v")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let mut lines = stderr.lines().map_while(Result::ok);
        let mark = format!("kompass: stage {stage}");
        assert!(lines.any(|l| l == mark));
        std::thread::sleep(std::time::Duration::from_millis(ms));
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(child.id() as libc::pid_t, signal) };
        let status = child.wait().unwrap();
        // Whether the run had reached the swap when the signal came (on a
        // loaded machine it can come that late: the new output is then in
        // place, whole, though the exit is 130).
        let swapped = lines.any(|l| l == "kompass: stage swap");
        // Interrupted while writing the report: the previous output exactly;
        // at the swap: the previous output or the new one, whole; not
        // interrupted (the signal came after the end): the new one.
        let now = tree(&wd.file("res"));
        // Where the run must stop, it stops before its swap (a kompass that
        // held the signal until it had written every page and swapped would
        // exit 130 with the new output in place).
        assert!(
            !(must_stop && swapped),
            "{stage} +{ms} ms: swapped before it stopped"
        );
        match (status.code(), stage) {
            (Some(130), "report") if !swapped => assert_eq!(now, before, "{stage} +{ms} ms"),
            (Some(130), _) => assert!(now == before || complete(&wd.file("res"))),
            (Some(0), _) if !must_stop => {
                assert!(complete(&wd.file("res")), "{stage} +{ms} ms")
            }
            (code, _) => panic!("{stage} +{ms} ms: exit {code:?}"),
        }
        let found = leftovers(&wd.file("."));
        assert!(found.is_empty(), "{stage}: {found:?}");
    }
}

/// Sets the modification time of `dir`'s manifest `seconds` from that of
/// `out`'s (what tells a killed run's staging folder older or newer than
/// the output), not left to the file system's clock grain.
fn age_manifest(wd: &Workdir, dir: &str, seconds: i64) {
    let of = |d: &str| wd.file(&format!("{d}/manifest.json"));
    let base = std::fs::metadata(of("out")).unwrap().modified().unwrap();
    let shift = std::time::Duration::from_secs(seconds.unsigned_abs());
    let at = if seconds < 0 {
        base - shift
    } else {
        base + shift
    };
    let file = std::fs::File::options().write(true).open(of(dir)).unwrap();
    file.set_modified(at).unwrap();
}
