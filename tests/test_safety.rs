//! Safety: kompass writes only into a folder that is its own and keeps what
//! the user put there; leaves nothing behind when it refuses, fails or is
//! interrupted; writes cells a spreadsheet cannot run; ends quietly on a
//! closed pipe; checks arguments before reading data; and says what to do
//! when an input is not what it should be.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

use sha2::{Digest, Sha256};

use crate::workdir::{Workdir, stderr, stdout};

const SMALL: &str =
    "municipality_code,eval_year,scale,a1,total\n0114,2012,new,55,470\n0115,2013,new,60,480\n";

/// Every file and symbolic link below `dir` with its content's hash (a
/// link's target), by path.
fn tree(dir: &Path) -> BTreeMap<String, String> {
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
fn leftovers(dir: &Path) -> Vec<String> {
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

fn run_small(wd: &Workdir, out: &str, extra: &[&str]) -> std::process::Output {
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

#[test]
fn a_read_only_folder_of_the_user_s_does_not_wedge_reruns() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
    wd.create("out/archive/2019.txt", "old\n");
    let dir = wd.file("out/archive");
    let mut perms = std::fs::metadata(&dir).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&dir, perms).unwrap();
    for _ in 0..2 {
        let out = run_small(&wd, "out", &["-q", "--force"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(wd.read("out/archive/2019.txt"), b"old\n");
        assert_no_leftovers(&wd);
    }
}

#[test]
fn a_previous_output_left_aside_by_a_killed_swap_is_put_back() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
    wd.create("out/mine.txt", "keep\n");
    // As a run killed between the two renames of the fallback swap leaves it.
    std::fs::rename(wd.file("out"), wd.file(".out.old-99999")).unwrap();
    assert_eq!(
        run_small(&wd, "out", &["-q", "--force"]).status.code(),
        Some(0)
    );
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
    assert!(
        stderr(&out).contains("cannot be the current folder"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(&wd.file(".")), before, "nothing written, nothing left");
    // The output inside an input folder, and an input inside the output.
    wd.create("data/in.csv", SMALL);
    let out = wd.run(&["validate", "-i", "data", "-o", "data/out"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("inside the input folder data"),
        "{}",
        stderr(&out)
    );
    let out = wd.run(&["validate", "-i", "data", "-o", "data"]);
    assert_eq!(out.status.code(), Some(2));
    let out = wd.run(&["validate", "-i", "data/in.csv", "-o", "data"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is inside it"), "{}", stderr(&out));
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
        let lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let reached = lines
            .map_while(Result::ok)
            .any(|l| l == "kompass: stage validate");
        assert!(reached);
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(child.id() as libc::pid_t, signal) };
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "signal {signal}");
        assert_eq!(tree(&wd.file("res")), before);
        assert_no_leftovers(&wd);
    }
}

#[test]
fn spreadsheet_formulas_are_neutralised_numbers_are_not() {
    let wd = Workdir::new();
    // A hostile name for 0114 (a name-mismatch warning quotes it) and a
    // drop of 4 points between rounds (a negative delta in trends.csv).
    wd.create(
        "in.csv",
        "municipality_code,municipality,eval_year,scale,a1,total\n\
         0114,\"=HYPERLINK(\"\"http://x\"\";\"\"click\"\")\",2010,new,55,470\n\
         0114,Upplands Väsby,2012,new,51,466\n",
    );
    wd.run_expect(
        &[
            "run",
            "-i",
            "in.csv",
            "-o",
            "out",
            "-q",
            "--excel",
            "--charts",
            "none",
            "--bootstrap",
            "10",
        ],
        0,
    );
    let v = wd.table_with("out/validation.csv", b';');
    let values = v.column("value");
    assert!(
        values
            .iter()
            .any(|x| x == "'=HYPERLINK(\"http://x\";\"click\")"),
        "{values:?}"
    );
    assert!(values.iter().all(|x| !x.starts_with('=')));
    let t = wd.table_with("out/trends.csv", b';');
    assert!(
        t.column("delta").contains(&"-4".to_string()),
        "{:?}",
        t.column("delta")
    );
    // Numbers written as text are never changed ("-4", and "-0114", which
    // is a number too); other text starting with '-' or ' is.
    wd.create(
        "neg.csv",
        "municipality_code,municipality,eval_year,scale,item,score\n\
         0114,,2012,new,1,-4\n-0114,,2012,new,1,50\n0115,'Quoted,2012,new,1,50\n\
         0117,-Foo,2012,new,1,50\n",
    );
    wd.run_expect(&["validate", "-i", "neg.csv", "-o", "out2", "-q"], 0);
    let v = wd.table("out2/validation.csv").records();
    let value = |rule: &str| {
        v.iter()
            .find(|r| r["rule"] == rule)
            .map(|r| r["value"].clone())
            .unwrap_or_else(|| panic!("no {rule} finding"))
    };
    assert_eq!(value("negative-score"), "-4");
    assert_eq!(value("bad-code"), "-0114");
    let names: Vec<&str> = v
        .iter()
        .filter(|r| r["rule"] == "name-mismatch")
        .map(|r| r["value"].as_str())
        .collect();
    assert_eq!(names, vec!["''Quoted", "'-Foo"]);
    // The original is the cell with one leading ' removed.
    let raw: Vec<String> = wd.table("out2/rejects.csv").column("raw");
    assert!(raw.contains(&"0114,,2012,new,1,-4".to_string()), "{raw:?}");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    let mut child = wd
        .command(&[
            "run",
            "-i",
            "in.csv",
            "-o",
            "out",
            "--bootstrap",
            "10",
            "--charts",
            "none",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // As `| head -0`: the reader goes away before kompass prints.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    assert!(wd.exists("out/manifest.json"));
}

#[test]
fn arguments_are_checked_before_any_data_is_read() {
    let wd = Workdir::new();
    // An input that would fail to read: the argument error comes first.
    wd.create("bad.csv", b"PK\x03\x04");
    for (flag, value, says) in [
        (
            "--link-to",
            "nosuch",
            "--link-to: unknown scale 'nosuch' (known: 2020, new, old)",
        ),
        (
            "--register",
            "missing.csv",
            "--register missing.csv: no such file or folder",
        ),
        (
            "--instruments",
            "missing",
            "--instruments missing: no such file or folder",
        ),
        (
            "--published",
            "missing.csv",
            "--published missing.csv: no such file",
        ),
    ] {
        let out = wd.run(&["run", "-i", "bad.csv", "-o", "out", flag, value]);
        assert_eq!(out.status.code(), Some(2), "{flag}");
        assert!(stderr(&out).contains(says), "{flag}: {}", stderr(&out));
        assert!(!wd.exists("out") && leftovers(&wd.file(".")).is_empty());
    }
    wd.create("bad.toml", "inputs = [\"a\"\nout = 3\n");
    let out = wd.run(&["run", "--config", "bad.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("bad.toml: line 2, column 1:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn inputs_that_are_not_csv_say_what_to_do() {
    let wd = Workdir::new();
    let cases: [(&str, &[u8], &[&str], &str); 4] = [
        (
            "book.csv",
            b"PK\x03\x04...",
            &[],
            "looks like an Excel workbook (.xlsx)",
        ),
        ("u16.csv", b"\xFF\xFEc\x00o\x00", &[], "UTF-16 text"),
        (
            "comma.csv",
            SMALL.as_bytes(),
            &["--delimiter", "semicolon"],
            "looks separated by ',', not ';' as --delimiter says: try --delimiter auto",
        ),
        ("bin.csv", b"\x00\x01\x02", &[], "no recognisable header"),
    ];
    for (name, bytes, extra, says) in cases {
        wd.create(name, bytes);
        let mut args = vec!["validate", "-i", name, "-o", "out"];
        args.extend_from_slice(extra);
        let out = wd.run(&args);
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(stderr(&out).contains(says), "{name}: {}", stderr(&out));
    }
    // "79,5" unquoted in a comma-separated file.
    wd.create(
        "dec.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,new,1,79,5\n",
    );
    wd.run_expect(&["validate", "-i", "dec.csv", "-o", "out", "-q"], 0);
    let r = wd.table("out/rejects.csv").records();
    assert!(r[0]["message"].contains("needs quotes (\"79,5\") or the file ';' separators"));
}

#[test]
fn a_folder_input_skips_what_is_not_an_export() {
    let wd = Workdir::new();
    wd.create("data/in.csv", SMALL);
    wd.create("data/notes.txt", "what I did on Monday\n");
    wd.create(
        "data/empty.csv",
        "municipality_code,eval_year,scale,a1,total\n",
    );
    let out = wd.run_expect(&["validate", "-i", "data", "-o", "out"], 0);
    assert!(
        stdout(&out).contains("data/notes.txt: skipped, not an export (no recognisable header"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("rows read 2 = 2 accepted + 0 rejected"));
    let v = wd.table("out/validation.csv").records();
    let found: Vec<(&str, &str, &str)> = v
        .iter()
        .map(|r| (r["rule"].as_str(), r["file"].as_str(), r["value"].as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("empty-file", "data/empty.csv", ""),
            ("skipped-file", "", "data/notes.txt")
        ]
    );
    // A warning: --strict still fails.
    wd.run_expect(
        &["validate", "-i", "data", "-o", "out", "--strict", "-q"],
        3,
    );
    // Named on its own, the same file is an error.
    wd.run_expect(&["validate", "-i", "data/notes.txt", "-o", "out2"], 1);
}

#[test]
fn up_to_date_whatever_the_spelling_of_the_paths() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    std::fs::create_dir_all(wd.file("sub")).unwrap();
    let abs_in = wd.file("in.csv").display().to_string();
    let abs_out = wd.file("out").display().to_string();
    let first = run_small(&wd, "out", &[]);
    assert!(stdout(&first).contains("wrote"));
    for (input, out) in [
        ("./in.csv", "./out"),
        (abs_in.as_str(), abs_out.as_str()),
        ("sub/../in.csv", "sub/../out"),
    ] {
        let o = wd.run(&[
            "run",
            "-i",
            input,
            "-o",
            out,
            "--bootstrap",
            "20",
            "--charts",
            "none",
        ]);
        assert!(
            stdout(&o).starts_with("up to date"),
            "{input} {out}: {}",
            stdout(&o)
        );
    }
}

#[test]
fn synth_writes_only_into_its_own_folder() {
    let wd = Workdir::new();
    wd.create("mine/notes.txt", "x");
    let out = wd.run(&["synth", "-n", "10", "-o", "mine", "-q"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("holds no earlier kompass synth generation"));
    assert_eq!(tree(&wd.file("mine")).len(), 1);
    // Its own earlier generation is replaced whole; other files stay.
    wd.run_expect(&["synth", "-n", "40", "--files", "3", "-o", "gen", "-q"], 0);
    wd.create("gen/README.txt", "mine");
    wd.run_expect(&["synth", "-n", "40", "-o", "gen", "-q"], 0);
    let names: Vec<String> = tree(&wd.file("gen")).into_keys().collect();
    assert!(
        !names.iter().any(|n| n.starts_with("evaluations_")),
        "{names:?}"
    );
    assert!(
        names.contains(&"evaluations.csv".to_string()) && names.contains(&"README.txt".to_string())
    );
}

#[test]
fn charts_and_pages_are_counted_not_listed() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    let out = wd.run_expect(
        &["run", "-i", "in.csv", "-o", "out", "--bootstrap", "10"],
        0,
    );
    let text = stdout(&out);
    assert!(
        text.contains("files into out/charts") && text.contains("files into out/report"),
        "{text}"
    );
    assert!(!text.contains("wrote out/charts/"), "{text}");
    let out = wd.run_expect(
        &[
            "run",
            "-i",
            "in.csv",
            "-o",
            "out",
            "--bootstrap",
            "10",
            "--force",
            "-v",
        ],
        0,
    );
    assert!(stdout(&out).contains("wrote out/report/index.html"));
}
