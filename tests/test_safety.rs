//! Safety of the output folder: kompass writes only into a folder that is
//! its own and keeps what the user put there, and leaves nothing behind
//! when it refuses, fails or is interrupted (the rest of the safety tests
//! are in `test_input_safety`).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;

use sha2::{Digest, Sha256};

use crate::nobody;
use crate::workdir::{Need, Workdir, assert_stderr_has, skip, stderr};

pub(crate) const SMALL: &str =
    "municipality_code,eval_year,scale,a1,total\n0114,2012,new,55,470\n0115,2013,new,60,480\n";

/// Every file and symbolic link below `dir` with its content's hash (a
/// link's target), by path.
pub(crate) fn tree(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let rel = p.strip_prefix(dir).unwrap().display().to_string();
            let kind = e.file_type().unwrap();
            if kind.is_symlink() {
                out.insert(rel, std::fs::read_link(&p).unwrap().display().to_string());
            } else if kind.is_dir() {
                out.insert(rel + "/", String::new());
                stack.push(p);
            } else {
                out.insert(
                    rel,
                    format!("{:x}", Sha256::digest(std::fs::read(&p).unwrap())),
                );
            }
        }
    }
    out
}

/// Names in `dir` a run may leave behind: staging folders and lock files.
pub(crate) fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.ends_with(".lock") || n.contains(".old-"))
        .collect()
}

/// No staging folder, old output or lock file beside the test's outputs.
fn assert_no_leftovers(wd: &Workdir) {
    let found = leftovers(&wd.file("."));
    assert!(found.is_empty(), "{found:?}");
}

pub(crate) fn run_small(wd: &Workdir, out: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "run",
        "-i",
        "in.csv",
        "-o",
        out,
        "--bootstrap",
        "20",
        "--charts",
        "none",
    ];
    args.extend_from_slice(extra);
    wd.run(&args)
}

#[test]
fn a_folder_that_is_not_kompass_s_is_refused_and_untouched() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    wd.create("project/src/main.rs", "fn main() {}\n");
    wd.create("project/.git/HEAD", "ref: refs/heads/main\n");
    wd.create("project/notes.txt", "mine\n");
    let before = tree(&wd.file("project"));
    let out = run_small(&wd, "project", &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "--out project: this folder is not empty and has no manifest.json written by kompass"
        ) && stderr(&out).contains("choose an empty folder or a new sub-folder"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(&wd.file("project")), before, "the folder is untouched");
    assert_no_leftovers(&wd);
    // An output file that is not a folder is refused before any work too.
    wd.create("afile.txt", "x");
    let out = run_small(&wd, "afile.txt", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("it exists and is not a folder"));
    assert_eq!(wd.read("afile.txt"), b"x");
    assert_no_leftovers(&wd);
}

#[test]
fn what_the_user_put_in_kompass_s_folder_survives_reruns() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
    wd.create("out/README.md", "my notes\n");
    wd.create("out/.gitkeep", "");
    wd.create("out/notes/2024/summary.txt", "keep me\n");
    wd.create("out/.git/HEAD", "ref: refs/heads/main\n");
    wd.create("out/report/extra.html", "<p>mine</p>\n");
    std::fs::create_dir_all(wd.file("out/empty-folder")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("notes/2024/summary.txt", wd.file("out/latest")).unwrap();
    let mine = |t: BTreeMap<String, String>| -> BTreeMap<String, String> {
        t.into_iter()
            .filter(|(k, _)| {
                ["README", ".git", "notes", "report/extra", "empty", "latest"]
                    .iter()
                    .any(|p| k.starts_with(p))
            })
            .collect()
    };
    let before = mine(tree(&wd.file("out")));
    assert!(before.len() >= 8, "{before:?}");
    for extra in [&["-q", "--force"][..], &["-q", "--force", "--basis", "all"]] {
        assert_eq!(run_small(&wd, "out", extra).status.code(), Some(0));
        assert_eq!(mine(tree(&wd.file("out"))), before);
        assert!(wd.exists("out/.gitkeep") && wd.exists("out/averages.csv"));
    }
    assert_no_leftovers(&wd);
}

/// kompass writes files only: a folder of the user's (or a link) put where
/// the last run wrote a file is kept, as `<name>.kept` beside the new file,
/// not removed with kompass's old output.
#[test]
fn a_folder_of_the_user_s_where_kompass_wrote_a_file_is_kept() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
    std::fs::remove_file(wd.file("out/trends.csv")).unwrap();
    wd.create("out/trends.csv/important.txt", "my work\n");
    let out = run_small(&wd, "out", &["--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(wd.read("out/trends.csv.kept/important.txt"), b"my work\n");
    assert!(wd.file("out/trends.csv").is_file());
    assert_stderr_has(
        &out,
        "kept: your folder trends.csv (kept as trends.csv.kept)",
    );
    // A `.kept` of the user's is carried as it is; their new folder at the
    // same place takes the next free name.
    std::fs::remove_file(wd.file("out/trends.csv")).unwrap();
    wd.create("out/trends.csv/later.txt", "more\n");
    let out = run_small(&wd, "out", &["--force"]);
    assert_eq!(wd.read("out/trends.csv.kept/important.txt"), b"my work\n");
    assert_eq!(wd.read("out/trends.csv.kept2/later.txt"), b"more\n");
    assert_stderr_has(
        &out,
        "kept: your folder trends.csv (kept as trends.csv.kept2)",
    );
    assert!(!wd.exists("out/trends.csv.kept.kept"));
    assert_no_leftovers(&wd);
}

/// An output folder written by another kompass version, whose manifest
/// has a configuration key this one does not know: its outputs are still
/// kompass's and are replaced, not kept aside as the user's `.kept` files
/// (which grew by one set on every run when two versions took turns).
#[test]
fn another_version_s_outputs_are_not_taken_for_the_user_s() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
    let text = String::from_utf8(wd.read("out/manifest.json")).unwrap();
    let newer = text.replacen("\"config\": {", "\"config\": {\n    \"future_key\": 1,", 1);
    assert_ne!(newer, text);
    // Sealed by the version that wrote it, as this one seals its own.
    wd.create("out/manifest.json", crate::test_keep::resealed(&newer));
    let out = run_small(&wd, "out", &["--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("kept:"), "{}", stderr(&out));
    let kept: Vec<String> = tree(&wd.file("out"))
        .into_keys()
        .filter(|k| k.contains(".kept"))
        .collect();
    assert!(kept.is_empty(), "{kept:?}");
    assert_no_leftovers(&wd);
}

/// A log redirected into the output folder (`>> out/run.log`) would be
/// copied into the new output before the run prints to it, and what it
/// prints lost with the old folder: refused, the log as it was.
#[cfg(target_os = "linux")]
#[test]
fn a_log_written_inside_the_output_folder_is_refused() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
    wd.create("out/run.log", "--- earlier\n");
    let log = std::fs::OpenOptions::new()
        .append(true)
        .open(wd.file("out/run.log"))
        .unwrap();
    let status = wd
        .command(&[
            "run", "-i", "in.csv", "-o", "out", "--force", "--charts", "none",
        ])
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
    let text = String::from_utf8(wd.read("out/run.log")).unwrap();
    assert!(text.starts_with("--- earlier\n"), "{text}");
    assert!(
        text.contains("run.log, inside it: kompass replaces the folder as a whole"),
        "{text}"
    );
    assert_no_leftovers(&wd);
}

/// A mount point cannot be renamed, so it cannot be replaced as a whole:
/// refused with a message saying so (it failed at the swap with "Device or
/// resource busy"). `/proc` is a mount point on every Linux.
#[cfg(target_os = "linux")]
#[test]
fn a_mount_point_is_refused_before_any_work() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    let out = wd.run(&["run", "-i", "in.csv", "-o", "/proc"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_stderr_has(&out, "--out /proc: it is a mount point");
}

#[test]
fn a_dot_dot_path_cannot_reach_a_folder_that_is_not_kompass_s() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    wd.create("project/src/main.rs", "fn main() {}\n");
    let before = tree(&wd.file("."));
    // `missing` does not exist: `missing/../project` is `project`.
    let out = run_small(&wd, "missing/../project", &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("is not empty and has no manifest.json"));
    assert_eq!(
        tree(&wd.file(".")),
        before,
        "nothing created, nothing touched"
    );
}

/// A register's country names the municipality's report page and charts
/// (`SE_0114.html`): one like `../../../victim` is refused before anything
/// is written, instead of writing a page over a file outside `--out`.
#[test]
fn a_register_country_cannot_make_a_path() {
    let wd = Workdir::new();
    wd.create("reg.csv", "country,code,name\n../../../VICTIM,0114,Väsby\n");
    wd.create(
        "in.csv",
        "country,municipality_code,municipality,eval_year,scale,item,score\n\
         ../../../victim,0114,Väsby,2012,new,1,50\n",
    );
    wd.create("VICTIM_0114.html", "the user's page\n");
    let before = tree(&wd.file("."));
    let out = wd.run(&[
        "run",
        "-i",
        "in.csv",
        "--register",
        "reg.csv",
        "-o",
        "work/out",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_stderr_has(
        &out,
        "line 2, column country: '../../../VICTIM' is not a country code",
    );
    assert_eq!(tree(&wd.file(".")), before, "nothing written");
}

/// A folder of the user's in the output that the runner may not write
/// into: reruns keep it and its file, and leave nothing behind. Root
/// writes into any folder, so as root the runs are nobody's (in nobody's
/// folder), and the test checks first that the folder is read-only to
/// whoever runs kompass.
#[test]
fn a_read_only_folder_of_the_user_s_does_not_wedge_reruns() {
    let as_nobody = nobody::is_root();
    if as_nobody && !nobody::can_act_as_nobody() {
        skip(
            Need::OtherUser,
            "as root a read-only folder is not read-only: the runs need setpriv to be nobody's",
        );
        return;
    }
    let wd = Workdir::new();
    wd.create("work/in.csv", SMALL);
    let args = |extra: &'static [&'static str]| {
        let mut args = vec!["run", "-i", "work/in.csv", "-o", "work/out"];
        args.extend(["--bootstrap", "20", "--charts", "none", "-q"]);
        args.extend(extra);
        args
    };
    let run = |args: &[&str]| match as_nobody {
        true => nobody::run_as_nobody(&wd, args),
        false => wd.run(args),
    };
    if as_nobody {
        nobody::open_to_nobody(&wd);
        nobody::chown_nobody(&wd.file("work"));
        nobody::chown_nobody(&wd.file("work/in.csv"));
    }
    let out = run(&args(&[]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let old = wd.create("work/out/archive/2019.txt", "old\n");
    let dir = wd.file("work/out/archive");
    if as_nobody {
        nobody::chown_nobody(&dir);
        nobody::chown_nobody(&old);
    }
    nobody::chmod(&dir, 0o555);
    let denied = match as_nobody {
        true => !nobody::as_nobody(&wd, Path::new("touch"), &["work/out/archive/x"])
            .status
            .success(),
        false => std::fs::File::create(dir.join("x")).is_err(),
    };
    assert!(denied, "the folder is read-only to the runner");
    for _ in 0..2 {
        let out = run(&args(&["--force"]));
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(wd.read("work/out/archive/2019.txt"), b"old\n");
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o7777, 0o555, "the folder stays read-only");
        assert!(wd.exists("work/out/averages.csv"));
        assert_no_leftovers(&wd);
    }
}

#[test]
fn a_previous_output_left_aside_by_a_killed_swap_is_put_back() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
    wd.create("out/mine.txt", "keep\n");
    // As a run killed between the two renames of the fallback swap leaves
    // it: its old output, and its lock file naming it.
    std::fs::rename(wd.file("out"), wd.file(".out.old-99999")).unwrap();
    wd.create(".out.lock", crate::test_leftovers::lock_of(99999));
    assert_eq!(
        run_small(&wd, "out", &["-q", "--force"]).status.code(),
        Some(0)
    );
    assert_eq!(wd.read("out/mine.txt"), b"keep\n");
    assert_no_leftovers(&wd);
    // With an empty folder in its place (a wrapper's `mkdir -p out`): put
    // back all the same (it was removed, with mine.txt). With the new
    // output in place (killed after the second rename): mine.txt, saved
    // meanwhile, is moved into it.
    for new_output in [false, true] {
        std::fs::rename(wd.file("out"), wd.file(".out.old-99999")).unwrap();
        match new_output {
            false => std::fs::create_dir(wd.file("out")).unwrap(),
            true => assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0)),
        }
        wd.create(".out.lock", crate::test_leftovers::lock_of(99999));
        let out = run_small(&wd, "out", &["-q", "--force"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(wd.read("out/mine.txt"), b"keep\n");
        assert_no_leftovers(&wd);
    }
    // With a folder of the user's in its place (`mkdir -p out` and a file
    // saved into it): refused, naming where the previous output is; once
    // the folder is moved away, put back.
    std::fs::rename(wd.file("out"), wd.file(".out.old-99999")).unwrap();
    wd.create("out/draft.txt", "new\n");
    wd.create(".out.lock", crate::test_leftovers::lock_of(99999));
    let out = run_small(&wd, "out", &["-q", "--force"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("left by a run that was killed, is at")
            && stderr(&out).contains(".out.old-99999"),
        "{}",
        stderr(&out)
    );
    std::fs::rename(wd.file("out"), wd.file("drafts")).unwrap();
    let out = run_small(&wd, "out", &["-q", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(wd.read("out/mine.txt"), b"keep\n");
    assert_no_leftovers(&wd);
}

#[test]
fn the_current_folder_and_nested_inputs_are_refused_cleanly() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    let before = tree(&wd.file("."));
    let out = run_small(&wd, ".", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "cannot be the current folder");
    assert_eq!(tree(&wd.file(".")), before, "nothing written, nothing left");
    // The output inside an input folder, and an input inside the output.
    wd.create("data/in.csv", SMALL);
    let out = wd.run(&["validate", "-i", "data", "-o", "data/out"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "inside the input folder data");
    let out = wd.run(&["validate", "-i", "data", "-o", "data"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "it is the input data itself");
    let out = wd.run(&["validate", "-i", "data/in.csv", "-o", "data"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "is inside it");
    assert!(!wd.exists("data/out") && leftovers(&wd.file(".")).is_empty());
}

#[test]
fn a_failed_run_leaves_no_staging_folder_or_lock() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
    let before = tree(&wd.file("out"));
    wd.create("bad.csv", b"PK\x03\x04 not a csv");
    let out = wd.run(&["run", "-i", "bad.csv", "-o", "out", "--charts", "none"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(tree(&wd.file("out")), before);
    assert_no_leftovers(&wd);
}

#[cfg(unix)]
#[test]
fn an_interrupted_run_cleans_up_and_keeps_the_previous_output() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert_eq!(run_small(&wd, "res", &["-q"]).status.code(), Some(0));
    let before = tree(&wd.file("res"));
    wd.run_expect(
        &["synth", "-n", "3000", "--seed", "3", "-o", "big", "-q"],
        0,
    );
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let mut child = wd
            .command(&[
                "run",
                "-i",
                "big",
                "--register",
                "big/meta/register.csv",
                "-o",
                "res",
                "-v",
                "--charts",
                "none",
                "--bootstrap",
                "20",
                "--force",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let reached = (lines.by_ref())
            .map_while(Result::ok)
            .any(|l| l == "kompass: stage validate");
        assert!(reached);
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(child.id() as libc::pid_t, signal) };
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "signal {signal}");
        // It says so, rather than end in silence.
        let rest: Vec<String> = lines.map_while(Result::ok).collect();
        assert!(
            rest.iter().any(|l| l.starts_with("kompass: interrupted")),
            "{rest:?}"
        );
        assert_eq!(tree(&wd.file("res")), before);
        assert_no_leftovers(&wd);
    }
}
