//! Paths in a config file and on the command line that cannot be used are
//! refused before anything is written, where they stand (the config
//! audit): a pipe that would hang the run, `~` that no shell expanded, a
//! NUL, an empty path; values that flags override are checked all the
//! same; a failed run leaves no folder it made; a file name that is not
//! UTF-8 is written `\xFF`, not `�`.

use crate::workdir::{Workdir, assert_stderr_has, stderr, words};

const EXPORT: &str = "municipality_code,eval_year,scale,item,score\n0114,2012,new,1,50\n";

/// `args` run with a deadline: a run that waits on a pipe fails the test
/// (killed after 20 s) instead of hanging it. Returns stderr.
#[cfg(unix)]
fn within_deadline(wd: &Workdir, args: &[&str], code: i32) -> String {
    use std::time::{Duration, Instant};
    let mut child = (wd.command(args).stdout(std::process::Stdio::null()))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run kompass");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("{args:?} still running after 20 s (waiting on the pipe)");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("output");
    assert_eq!(out.status.code(), Some(code), "{}", stderr(&out));
    stderr(&out)
}

/// A named pipe at the place of an output folder's `manifest.json` is no
/// manifest: the folder is refused as not kompass's (exit 2), its pipe
/// left (the never-destroy audit, 2026-12-04: the run waited for a writer
/// forever).
#[cfg(unix)]
#[test]
fn a_pipe_as_the_output_s_manifest_is_refused_not_waited_on() {
    let wd = Workdir::new();
    wd.create("in.csv", EXPORT);
    wd.run_expect(&words("validate -i in.csv -o o -q"), 0);
    std::fs::remove_file(wd.file("o/manifest.json")).expect("remove");
    let made = std::process::Command::new("mkfifo")
        .arg(wd.file("o/manifest.json"))
        .status();
    assert!(made.expect("mkfifo").success());
    let err = within_deadline(&wd, &words("validate -i in.csv -o o -q"), 2);
    let says = "--out o: this folder is not empty and has no manifest.json written by kompass";
    assert!(err.contains(says), "{err}");
    let kind = std::fs::symlink_metadata(wd.file("o/manifest.json")).expect("there");
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(&kind.file_type()));
}

/// A FIFO as `--config` or `--register` is refused (exit 2); both waited
/// for a writer forever.
#[cfg(unix)]
#[test]
fn a_pipe_as_config_or_register_is_refused() {
    let wd = Workdir::new();
    wd.create("in.csv", EXPORT);
    for name in ["k.toml", "r.csv"] {
        let made = std::process::Command::new("mkfifo")
            .arg(wd.file(name))
            .status();
        assert!(made.expect("mkfifo").success());
    }
    let err = within_deadline(&wd, &words("run --config k.toml -o o"), 2);
    let says = "k.toml: not a regular file (a device, pipe or socket); --config names a file";
    assert!(err.contains(says), "{err}");
    let err = within_deadline(&wd, &words("validate -i in.csv -o o --register r.csv"), 2);
    let says = "--register r.csv: not a regular file (a device, pipe or socket)";
    assert!(err.contains(says), "{err}");
    std::os::unix::fs::symlink("nowhere.toml", wd.file("dangling.toml")).unwrap();
    wd.run_says(
        &words("run --config dangling.toml -o o"),
        2,
        "dangling.toml: config file not found (a symbolic link to nothing)",
    );
    assert!(!wd.exists("o"));
}

/// What a register's or the instruments' folder names like a file to read
/// and is none is not left out without a word (side-input audit,
/// 2026-12-06: a link to nothing as `dk_x.csv` left every Danish row
/// `unknown-country`, the run exit 0): a link to nothing ends the run
/// saying where it points (exit 1), as an export's does; a pipe is refused
/// (exit 2) without waiting on it; a folder is skipped with a warning;
/// an editor's lock is left out.
#[cfg(unix)]
#[test]
fn a_side_folder_s_entry_that_is_no_file_is_named() {
    let wd = Workdir::new();
    wd.create("in.csv", EXPORT);
    for country in ["se", "no", "dk"] {
        let name = format!("{country}_municipalities.csv");
        let text = std::fs::read(format!("data/reference/{name}")).expect("shipped");
        std::fs::create_dir_all(wd.file("reg")).unwrap();
        std::fs::write(wd.file(&format!("reg/{name}")), text).unwrap();
    }
    let run = words("validate -i in.csv -o o --force -q --register reg");
    std::os::unix::fs::symlink("nowhere.csv", wd.file("reg/dk_x.csv")).unwrap();
    wd.run_says(
        &run,
        1,
        "reg/dk_x.csv: a symbolic link to nowhere.csv, which is not there",
    );
    std::fs::remove_file(wd.file("reg/dk_x.csv")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(wd.file("reg/no_y.csv"))
        .status();
    assert!(made.expect("mkfifo").success());
    let err = within_deadline(&wd, &run, 2);
    assert!(
        err.contains("reg/no_y.csv: not a regular file (a pipe, a device or a socket)"),
        "{err}"
    );
    std::fs::remove_file(wd.file("reg/no_y.csv")).unwrap();
    std::fs::create_dir_all(wd.file("reg/old.csv")).unwrap();
    assert_stderr_has(
        &wd.run_expect(&run, 0),
        "reg/old.csv: a folder named like a file to read, skipped",
    );
    // Emacs's lock beside a register file it has open, a link to nothing:
    // no file of the register's (it ended the run, exit 1).
    let lock = wd.file("reg/.#se_municipalities.csv");
    std::os::unix::fs::symlink("anna@host.1234:1700000000", lock).unwrap();
    wd.run_expect(&run, 0);
    std::fs::create_dir_all(wd.file("ins")).unwrap();
    std::os::unix::fs::symlink("gone.toml", wd.file("ins/new.toml")).unwrap();
    wd.run_says(
        &words("validate -i in.csv -o o --force -q --instruments ins"),
        1,
        "ins/new.toml: a symbolic link to gone.toml, which is not there",
    );
}

/// `out = "~/x"` made a folder named `~` beside the config file; an empty
/// path had no line; a NUL in `out` was an error about the lock file (exit
/// 1). Each is exit 2 at the key's value, nothing written.
#[test]
fn unusable_paths_in_the_file_are_refused_where_they_stand() {
    let wd = Workdir::new();
    wd.create("c/in.csv", EXPORT);
    for (value, says) in [
        (
            "\"~/kompass-out\"",
            "c/k.toml: line 2, column 7: out: a path starting with ~, which kompass does not \
             expand (a shell does): write the folder out (/home/me/...), or ./~ for a folder \
             named so",
        ),
        (
            "\"~alice/kompass-out\"",
            "c/k.toml: line 2, column 7: out: a path starting with ~, which kompass does not \
             expand",
        ),
        (
            "\"\"",
            "c/k.toml: line 2, column 7: out: an empty path; name a file or folder, or leave \
             the key out",
        ),
        (
            "\"a\\u0000b\"",
            "c/k.toml: line 2, column 7: out: a path with a NUL character, which no file name \
             has",
        ),
        // As `-o -` is (audit, 2026-12-04: a folder named `-` was made).
        (
            "\"-\"",
            "c/k.toml: line 2, column 7: out: kompass reads no standard input and writes no \
             file to standard output: name a file or folder (./- for one named so)",
        ),
    ] {
        wd.create(
            "c/k.toml",
            format!("inputs = [\"in.csv\"]\nout = {value}\n"),
        );
        wd.run_says(&words("run --config c/k.toml"), 2, says);
        assert!(!wd.exists("c/~"), "{value}");
        assert_eq!(
            std::fs::read_dir(wd.file("c")).unwrap().count(),
            2,
            "{value}"
        );
    }
    // A folder named `~` is reached as ./~.
    wd.create("c/k.toml", "inputs = [\"in.csv\"]\nout = \"./~/o\"\n");
    wd.run_expect(&words("validate --config c/k.toml -q"), 0);
    assert!(wd.exists("c/~/o/validation.csv"));
}

/// A path flag starting with `~`, which no shell expanded (`--out=~/x`, a
/// scheduler's `-o '~/x'`), made a folder named `~` (synth and CLI audit,
/// 2026-12-02), as the config file's value is refused; `-` is no standard
/// input; `./~` is a folder named so.
#[test]
fn a_path_flag_starting_with_a_tilde_is_refused() {
    let wd = Workdir::new();
    wd.create("in.csv", EXPORT);
    for args in [
        "validate -i in.csv --out=~/x",
        "synth -n 3 -o ~/x",
        "validate -i ~/in.csv -o o",
        "validate -i in.csv -o o --register ~alice/reg.csv",
    ] {
        let out = wd.run_says(
            &words(args),
            2,
            "a path starting with ~, which kompass does not expand",
        );
        assert_stderr_has(&out, "invalid value '~");
        assert!(!wd.exists("~") && !wd.exists("o"), "{args}");
    }
    wd.run_says(
        &words("validate -i - -o o"),
        2,
        "kompass reads no standard input",
    );
    wd.run_expect(&words("validate -i in.csv -o ./~/x -q"), 0);
    assert!(wd.exists("~/x/validation.csv"));
    // A file named so that a glob found is read.
    wd.create("~in.csv", EXPORT);
    wd.run_expect(&words("validate -i ~in.csv -o o2 -q"), 0);
}

/// Values the flags override are checked all the same: the run went on
/// (exit 0) with a `link_to` that names no scale and a missing register,
/// instruments folder and published file in the config file, and with a
/// malformed register or instrument file (synth and CLI audit,
/// 2026-12-02: such files were checked to exist, not loaded).
#[test]
fn values_flags_override_are_checked_all_the_same() {
    let wd = Workdir::new();
    wd.create("in.csv", EXPORT);
    wd.create("reg.csv", "country,code,name\nSE,0114,Upplands Väsby\n");
    wd.create("badreg.csv", "code,name\n");
    wd.create("badins/old.toml", "x = [\n");
    let flags = words(
        "run --config k.toml -o o -q --charts none --report none --link-to new --register reg.csv \
         --instruments ins",
    );
    std::fs::create_dir(wd.file("ins")).unwrap();
    for f in ["old.toml", "new.toml"] {
        let text = std::fs::read(format!(
            "{}/data/instrument/{f}",
            env!("CARGO_MANIFEST_DIR")
        ));
        wd.create(&format!("ins/{f}"), text.unwrap());
    }
    for (line, says) in [
        (
            "link_to = \"bogus\"",
            "k.toml: line 2, column 11: link_to = \"bogus\" (overridden by --link-to, checked \
             all the same): ",
        ),
        (
            "register = \"nope.csv\"",
            "k.toml: line 2, column 12: register = \"nope.csv\" (overridden by --register, \
             checked all the same): no such file or folder",
        ),
        (
            "register = \"badreg.csv\"",
            "k.toml: line 2, column 12: register = \"badreg.csv\" (overridden by --register, \
             checked all the same): badreg.csv: no 'country' column",
        ),
        (
            "instruments = \"badins\"",
            "k.toml: line 2, column 15: instruments = \"badins\" (overridden by --instruments, \
             checked all the same): badins/old.toml: line 2",
        ),
    ] {
        wd.create("k.toml", format!("inputs = [\"in.csv\"]\n{line}\n"));
        wd.run_says(&flags, 2, says);
        assert!(!wd.exists("o"));
    }
    // Usable values overridden are fine.
    wd.create(
        "k.toml",
        "inputs = [\"in.csv\"]\nlink_to = \"old\"\nregister = \"reg.csv\"\n",
    );
    wd.run_expect(&flags, 0);
}

/// A run that fails leaves no folder it made for its output: `deep/a/b`
/// stayed behind a failed `-o deep/a/b/out`. One that succeeds keeps them.
#[test]
fn a_failed_run_leaves_no_folder_it_made() {
    let wd = Workdir::new();
    wd.create("bad.csv", b"\x00\x01\x02\x03\x04binary".as_slice());
    wd.run_expect(&words("validate -i bad.csv -o deep/a/b/out"), 1);
    assert!(!wd.exists("deep"));
    wd.create("in.csv", EXPORT);
    wd.run_expect(&words("validate -i in.csv -o deep/a/b/out -q"), 0);
    assert!(wd.exists("deep/a/b/out/validation.csv"));
}

/// An interrupted run leaves no folder it made either (it exited without
/// removing them: the audit of reruns, 2026-12-02): SIGTERM while the
/// input is read; then SIGINT while a first run's output stands beside a
/// second run's staging folder, which keeps the folders that hold it
/// (`kept/a`).
#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_no_folder_it_made() {
    use std::io::{BufRead, BufReader};
    let wd = Workdir::new();
    wd.run_expect(&words("synth -n 3000 --seed 5 -o big -q"), 0);
    let interrupt = |out: &str, signal: i32| {
        let args = format!("run -i big --register big/meta/register.csv -o {out} -v --force");
        let mut child = (wd.command(&words(&args)))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run kompass");
        let lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let mut lines = lines.map_while(Result::ok);
        assert!(lines.any(|l| l == "kompass: stage ingest"));
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(child.id() as libc::pid_t, signal) };
        let status = child.wait().expect("the run's end");
        assert_eq!(status.code(), Some(130), "{out}");
    };
    interrupt("deep/a/b/out", libc::SIGTERM);
    assert!(!wd.exists("deep"));
    assert!(wd.exists("big/evaluations.csv"));
    let first = "run -i big --register big/meta/register.csv -o kept/a/out -q --charts none";
    wd.run_expect(&words(first), 0);
    interrupt("kept/a/out", libc::SIGINT);
    assert!(wd.exists("kept/a/out/validation.csv"));
}

/// A file name that is not UTF-8 is written with its byte as `\xFF` in
/// messages, as the outputs write it; messages showed U+FFFD.
#[cfg(unix)]
#[test]
fn a_name_that_is_not_utf8_is_written_with_its_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let wd = Workdir::new();
    let name = std::ffi::OsStr::from_bytes(b"in\xff.csv");
    let out = wd
        .command(&["validate", "-o", "o", "-i"])
        .arg(name)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("in\\xFF.csv"), "{err}");
    assert!(!err.contains('\u{FFFD}'), "{err}");
}

/// `KOMPASS_SPILL_AT` (a test setting) is checked on a run found up to
/// date too; it was passed over there.
#[test]
fn a_bad_spill_setting_is_refused_on_an_up_to_date_run() {
    let wd = Workdir::new();
    wd.create("in.csv", EXPORT);
    let args = words("validate -i in.csv -o o -q");
    wd.run_expect(&args, 0);
    let out = wd
        .command(&args)
        .env("KOMPASS_SPILL_AT", "0")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("KOMPASS_SPILL_AT is '0'"));
}

/// A register or a file of published averages that the config file names
/// and whose content is refused was reported by its own path alone, where
/// a missing one is named as the key that gave it (the config audit of
/// the thirty-ninth session): named so now, before what is wrong with it
/// (exit 2); the same file given by its flag is named by the error alone.
#[test]
fn a_malformed_file_the_config_names_is_named_as_its_key() {
    let wd = Workdir::new();
    wd.create("in.csv", EXPORT);
    wd.create("p.csv", "source_x,country\n1,SE\n");
    wd.create("r.csv", "country,code,name\nSE,abc,X\n");
    for (key, file, says) in [
        (
            "published",
            "p.csv",
            "cfg/k.toml: line 2, column 13: published = \"cfg/../p.csv\": cfg/../p.csv: \
             published averages need a 'source' or 'källa' column",
        ),
        (
            "register",
            "r.csv",
            "cfg/k.toml: line 2, column 12: register = \"cfg/../r.csv\": cfg/../r.csv: line 2, \
             column code: 'abc' is not a code of digits",
        ),
    ] {
        wd.create(
            "cfg/k.toml",
            format!("inputs = [\"../in.csv\"]\n{key} = \"../{file}\"\n"),
        );
        let err = stderr(&wd.run_expect(&["validate", "--config", "cfg/k.toml", "-o", "o"], 2));
        assert!(err.contains(says), "{key}: {err}");
        let err = stderr(&wd.run_expect(
            &["run", "-i", "in.csv", &format!("--{key}"), file, "-o", "o"],
            2,
        ));
        assert!(
            err.starts_with(&format!("kompass: {file}: ")),
            "{key}: {err}"
        );
    }
}
