//! What kompass removes is only ever its own: names that merely look like
//! its staging folders, old outputs, lock files or generated exports are
//! the user's and stay; an interrupt while files are being written leaves
//! nothing behind, before or after the swap; and inputs or settings that
//! cannot work are refused before anything is written.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use sha2::{Digest, Sha256};

use crate::test_safety::{SMALL, leftovers, run_small, tree};
use crate::workdir::{Workdir, stderr};

#[test]
fn folders_and_files_named_like_leftovers_are_the_users() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    wd.create(".out.tmp-backup/f", "precious\n");
    wd.create(".out.old-2023/g", "mine\n");
    wd.create(".out.old-77/h", "no manifest: not an old output\n");
    wd.create(".out.lock", "my lock notes\n");
    let mine = tree(&wd.file("."));
    // A lock file of the user's: refused, nothing written or removed.
    let out = run_small(&wd, "out", &["-q"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not one of its locks"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(&wd.file(".")), mine);
    // Without it the run goes ahead, and a real leftover (a killed run's
    // staging folder, `.tmp-<pid>`) is removed; the look-alikes stay.
    std::fs::remove_file(wd.file(".out.lock")).unwrap();
    wd.create(".out.tmp-4242/partial.csv", "x\n");
    let out = run_small(&wd, "out", &["-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!wd.exists(".out.tmp-4242"));
    assert!(!wd.exists(".out.lock"));
    assert_eq!(wd.read(".out.tmp-backup/f"), b"precious\n");
    assert_eq!(wd.read(".out.old-2023/g"), b"mine\n");
    assert_eq!(
        wd.read(".out.old-77/h"),
        b"no manifest: not an old output\n"
    );
    // The output folder missing and a look-alike old output beside it:
    // not put in its place.
    std::fs::remove_dir_all(wd.file("out")).unwrap();
    let out = run_small(&wd, "out", &["-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!wd.exists("out/g") && !wd.exists("out/h"));
    assert_eq!(
        wd.read(".out.old-77/h"),
        b"no manifest: not an old output\n"
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
    assert!(
        stderr(&out).contains("evaluations_005.csv is there and was not written"),
        "{}",
        stderr(&out)
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
    assert!(
        stderr(&out).contains("did not list the files"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(&wd.file("gen")), before);
}

#[test]
fn settings_that_cannot_work_are_usage_errors() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    wd.create("noregister/readme.txt", "x");
    wd.create("headeronly/se_kommuner.csv", "code,name\n");
    wd.create("afile", "x");
    std::fs::create_dir(wd.file("conf")).unwrap();
    let cases: [(&[&str], &str); 5] = [
        (&["--register", "noregister"], "no register files"),
        (&["--register", "headeronly"], "lists no municipalities"),
        (&["--config", "conf"], "this is a folder"),
        (&["-o", "afile/out"], "is a file, not a folder"),
        (
            &["-o", "dangling"],
            "symbolic link to a folder that does not exist",
        ),
    ];
    #[cfg(unix)]
    std::os::unix::fs::symlink(wd.file("nowhere"), wd.file("dangling")).unwrap();
    for (args, says) in cases {
        let mut all = vec!["validate", "-i", "in.csv"];
        if args[0] != "-o" {
            all.extend(["-o", "out"]);
        }
        all.extend_from_slice(args);
        let out = wd.run(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert!(!wd.exists("out") && leftovers(&wd.file(".")).is_empty());
    }
    #[cfg(unix)]
    {
        let out = wd.run(&["validate", "-i", "/dev/null", "-o", "out"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("not a regular file"),
            "{}",
            stderr(&out)
        );
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
/// the listed SHA-256.
fn complete(dir: &std::path::Path) -> bool {
    let Ok(text) = std::fs::read(dir.join("manifest.json")) else {
        return false;
    };
    let m: serde_json::Value = serde_json::from_slice(&text).unwrap();
    m["outputs"].as_array().unwrap().iter().all(|o| {
        std::fs::read(dir.join(o["path"].as_str().unwrap()))
            .is_ok_and(|b| format!("{:x}", Sha256::digest(b)) == o["sha256"].as_str().unwrap())
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
    // a moment later), and at the swap.
    let cases = [
        ("report", libc::SIGINT, 0),
        ("report", libc::SIGTERM, 300),
        ("swap", libc::SIGTERM, 0),
    ];
    for (stage, signal, ms) in cases {
        let before = tree(&wd.file("res"));
        let mut child = wd
            .command(&args)
            .arg("-v")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let mark = format!("kompass: stage {stage}");
        assert!(lines.map_while(Result::ok).any(|l| l == mark));
        std::thread::sleep(std::time::Duration::from_millis(ms));
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(child.id() as libc::pid_t, signal) };
        let status = child.wait().unwrap();
        assert!(
            matches!(status.code(), Some(130 | 0)),
            "{stage}: {status:?}"
        );
        // Before the swap the previous output, after it the new one, whole.
        let now = tree(&wd.file("res"));
        assert!(now == before || complete(&wd.file("res")), "{stage}");
        let found = leftovers(&wd.file("."));
        assert!(found.is_empty(), "{stage}: {found:?}");
    }
}
