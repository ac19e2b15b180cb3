//! A private folder per test: write inline input files, run the real
//! `kompass` binary in it, read its outputs back.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Workdir {
    dir: tempfile::TempDir,
}

/// A CSV output read back: header names and rows.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header))
    }

    /// Rows as maps from column name to value.
    pub fn records(&self) -> Vec<HashMap<String, String>> {
        self.rows
            .iter()
            .map(|r| self.header.iter().cloned().zip(r.iter().cloned()).collect())
            .collect()
    }

    /// The values of `names`, in that order, in every row.
    pub fn select(&self, names: &[&str]) -> Vec<Vec<String>> {
        let cols: Vec<usize> = names.iter().map(|n| self.col(n)).collect();
        (self.rows.iter())
            .map(|r| cols.iter().map(|&c| r[c].clone()).collect())
            .collect()
    }

    /// The value of `column` in every row.
    pub fn column(&self, name: &str) -> Vec<String> {
        let c = self.col(name);
        self.rows.iter().map(|r| r[c].clone()).collect()
    }
}

impl Workdir {
    pub fn new() -> Self {
        Workdir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn create(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, content).expect("write input");
        p
    }

    /// Copies a file from `tests/data` into the folder.
    pub fn copy_fixture(&self, name: &str) -> PathBuf {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name);
        let bytes = std::fs::read(&src).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
        self.create(name, bytes)
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kompass"));
        cmd.current_dir(self.dir.path()).args(args);
        cmd
    }

    /// Runs kompass and returns its output, whatever the exit code.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run kompass")
    }

    /// Runs kompass and expects exit code `code`.
    pub fn run_expect(&self, args: &[&str], code: i32) -> Output {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "kompass {args:?}\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Runs kompass, expects exit code `code` and `text` on stderr.
    #[track_caller]
    pub fn run_says(&self, args: &[&str], code: i32, text: &str) -> Output {
        let out = self.run_expect(args, code);
        assert_stderr_has(&out, text);
        out
    }

    pub fn read(&self, name: &str) -> Vec<u8> {
        let p = self.dir.path().join(name);
        std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    /// Reads a comma-separated UTF-8 output.
    pub fn table(&self, name: &str) -> Table {
        self.table_with(name, b',')
    }

    pub fn table_with(&self, name: &str, delimiter: u8) -> Table {
        let bytes = self.read(name);
        let bytes = bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(&bytes)
            .to_vec();
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(bytes.as_slice());
        let header = rdr
            .headers()
            .expect("header")
            .iter()
            .map(String::from)
            .collect();
        let rows = rdr
            .records()
            .map(|r| r.expect("record").iter().map(String::from).collect())
            .collect();
        Table { header, rows }
    }
}

/// The one record of `t` whose columns have the values in `want`.
pub fn row<'a>(
    t: &'a [HashMap<String, String>],
    want: &[(&str, &str)],
) -> &'a HashMap<String, String> {
    let found: Vec<_> = t
        .iter()
        .filter(|r| want.iter().all(|(k, v)| r[*k] == *v))
        .collect();
    assert_eq!(found.len(), 1, "rows matching {want:?}: {}", found.len());
    found[0]
}

/// Rows written inline (`[["0114", "2012"], ...]`) as a table's
/// `select` returns them, to compare with.
pub fn strings<const N: usize>(rows: &[[&str; N]]) -> Vec<Vec<String>> {
    (rows.iter())
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A command line's words (`"validate -i in.csv -o o"`): for arguments
/// without spaces.
pub fn words(line: &str) -> Vec<&str> {
    line.split(' ').collect()
}

/// Asserts that `out`'s stderr holds `text`, showing all of it if not.
#[track_caller]
pub fn assert_stderr_has(out: &Output, text: &str) {
    let err = stderr(out);
    assert!(err.contains(text), "stderr lacks {text:?}:\n{err}");
}

impl Workdir {
    /// The bytes of a file in `tests/data`.
    pub fn read_fixture_text(&self, name: &str) -> Vec<u8> {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name);
        std::fs::read(&src).unwrap_or_else(|e| panic!("{}: {e}", src.display()))
    }
}

impl Workdir {
    pub fn exists(&self, name: &str) -> bool {
        self.dir.path().join(name).exists()
    }
}

impl Workdir {
    /// The path of a file in the folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// What a test may need that a machine may not give, each with the
/// variable `.ci/run` sets to 1 where it found the machine gives it.
#[derive(Debug, Clone, Copy)]
pub enum Need {
    /// Root, with tmpfs, ramfs and bind mounts (and `chown`).
    Mount,
    /// Root acting as `nobody` with `setpriv`, on a system with
    /// `fs.protected_hardlinks = 1`.
    OtherUser,
    /// Root with loop devices and `mkfs.ext4` (a thin volume).
    Loop,
    /// `strace` allowed to trace and to inject faults.
    Strace,
}

impl Need {
    fn variable(self) -> &'static str {
        match self {
            Need::Mount => "KOMPASS_REQUIRE_MOUNT",
            Need::OtherUser => "KOMPASS_REQUIRE_OTHER_USER",
            Need::Loop => "KOMPASS_REQUIRE_LOOP",
            Need::Strace => "KOMPASS_REQUIRE_STRACE",
        }
    }
}

/// A test that needs what this machine does not give (`need`) says it was
/// skipped and passes, unless `.ci/run` found that the machine gives it
/// (its variable, or `KOMPASS_REQUIRE_PRIVILEGED`, is 1): then it fails,
/// so that in CI the test cannot pass without running.
pub fn skip(need: Need, why: &str) {
    not_required("KOMPASS_REQUIRE_PRIVILEGED", why);
    not_required(need.variable(), why);
    skipped(why);
}

/// A test that cannot run here (`why`) says it was skipped and passes,
/// unless the environment variable `required` is 1 (set by `.ci/run`
/// where the machine can run it): then it fails.
pub fn skip_unless_required(required: &str, why: &str) {
    not_required(required, why);
    skipped(why);
}

/// Fails where the environment variable `required` is 1: the machine was
/// found to give what this test lacks (`why`).
fn not_required(required: &str, why: &str) {
    assert!(
        std::env::var(required).as_deref() != Ok("1"),
        "{required}=1, but {why}"
    );
}

/// Says that a test, or a part of one, was skipped (`why`): on stderr,
/// and as a line of `skipped.txt` in Cargo's folder for test files
/// (`target/tmp/`), which `make test` lists after the tests (libtest
/// keeps a passing test's stderr to itself, so a skip said there alone
/// went unseen).
pub fn skipped(why: &str) {
    use std::io::Write;
    eprintln!("skipped: {why}");
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let list = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("skipped.txt");
    let file = (std::fs::OpenOptions::new().create(true).append(true)).open(list);
    if let Ok(mut file) = file {
        let _ = writeln!(file, "{test}: {why}");
    }
}

/// Waits (up to 30 s) until process `pid` has `file` open: it has read
/// what it reads before the lock and waits on it (a fixed sleep was not
/// enough on a loaded machine).
#[cfg(target_os = "linux")]
pub fn until_open(pid: u32, file: &std::path::Path) {
    let file = std::fs::canonicalize(file).unwrap();
    let start = std::time::Instant::now();
    let fds = || {
        std::fs::read_dir(format!("/proc/{pid}/fd"))
            .into_iter()
            .flatten()
            .flatten()
    };
    while !fds().any(|e| std::fs::read_link(e.path()).is_ok_and(|p| p == file)) {
        assert!(
            start.elapsed().as_secs() < 30,
            "the run never waited on the lock"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Copies the folder `from` with everything in it to `to`.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

impl Workdir {
    /// The shipped instrument files in the folder `dir`, version `id`'s
    /// text through `edit` (a name or link changed for a test).
    pub fn instruments_edited(&self, dir: &str, id: &str, edit: impl Fn(String) -> String) {
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/instrument");
        for version in ["2015", "2020", "new", "old"] {
            let text = std::fs::read_to_string(shipped.join(format!("{version}.toml"))).unwrap();
            let text = if version == id { edit(text) } else { text };
            self.create(&format!("{dir}/{version}.toml"), text);
        }
    }
}
