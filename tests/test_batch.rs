//! Scheduled reruns: config file, incremental no-op, atomic replacement
//! under kill -9, the lock, byte-identical outputs.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::workdir::{Workdir, assert_stderr_has, stderr, stdout, words};

const SMALL: &str =
    "municipality_code,eval_year,scale,a1,total\n0114,2012,new,55,470\n0115,2013,new,60,480\n";

/// BLAKE3 (hex) of a file, by the `blake3` crate.
fn hash(path: &Path) -> String {
    blake3::hash(&std::fs::read(path).unwrap())
        .to_hex()
        .to_string()
}

/// The previous complete output is in `out`: its manifest lists files whose
/// hashes match.
fn assert_intact(wd: &Workdir, out: &str) -> serde_json::Value {
    let m: serde_json::Value =
        serde_json::from_slice(&wd.read(&format!("{out}/manifest.json"))).expect("manifest");
    let outputs = m["outputs"].as_array().expect("outputs");
    assert!(outputs.len() >= 10, "{} outputs", outputs.len());
    for o in outputs {
        let p = wd.file(&format!("{out}/{}", o["path"].as_str().unwrap()));
        assert_eq!(hash(&p), o["blake3"].as_str().unwrap(), "{}", p.display());
    }
    m
}

/// A run over the generated data in `big` into `res`.
const BIG_RUN: [&str; 12] = [
    "run",
    "-i",
    "big",
    "--register",
    "big/meta/register.csv",
    "-o",
    "res",
    "-q",
    "--charts",
    "none",
    "--bootstrap",
    "50",
];

#[test]
fn unchanged_rerun_is_a_no_op_and_changes_rerun() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    wd.create(
        "kompass.toml",
        "inputs = [\"in.csv\"]\nout = \"res\"\nbootstrap = 50\n",
    );
    let first = wd.run_expect(&["run"], 0);
    assert!(
        stdout(&first).contains("wrote res/averages.csv"),
        "{}",
        stdout(&first)
    );
    let m = assert_intact(&wd, "res");
    assert_eq!(m["inputs"][0]["rows_read"], 2);
    assert_eq!(m["config"]["bootstrap"], 50);
    let before = std::fs::metadata(wd.file("res/averages.csv"))
        .unwrap()
        .modified()
        .unwrap();
    let bytes = wd.read("res/manifest.json");

    let again = wd.run_expect(&["run"], 0);
    assert!(
        stdout(&again).starts_with("up to date"),
        "{}",
        stdout(&again)
    );
    assert_eq!(
        std::fs::metadata(wd.file("res/averages.csv"))
            .unwrap()
            .modified()
            .unwrap(),
        before
    );
    assert!(wd.read("res/manifest.json") == bytes, "manifest untouched");

    // One input's content changes: rerun.
    wd.create("in.csv", SMALL.replace("55,470", "56,471"));
    assert!(stdout(&wd.run_expect(&["run"], 0)).contains("wrote"));
    assert!(stdout(&wd.run_expect(&["run"], 0)).starts_with("up to date"));
    // The configuration changes: rerun.
    wd.create(
        "kompass.toml",
        "inputs = [\"in.csv\"]\nout = \"res\"\nbootstrap = 50\nbasis = \"all\"\n",
    );
    assert!(stdout(&wd.run_expect(&["run"], 0)).contains("wrote"));
    let basis = wd.table("res/averages.csv").column("basis");
    assert!(!basis.is_empty() && basis.iter().all(|b| b == "all"));
    // --force reruns anyway; a damaged output reruns too.
    assert!(stdout(&wd.run_expect(&["run", "--force"], 0)).contains("wrote"));
    wd.create("res/trends.csv", "tampered");
    assert!(stdout(&wd.run_expect(&["run"], 0)).contains("wrote"));
    assert_intact(&wd, "res");
}

/// The register, the instrument definitions and the published figures are
/// read like the inputs: an edit to one reruns, and the manifest lists them.
#[test]
fn edited_reference_files_rerun() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    wd.create(
        "reg/se_municipalities.csv",
        "code,name,group_2017_code,group_2017_name,population\n\
         0114,Upplands Väsby,A2,Pendlingskommun,46786\n\
         0115,Vallentuna,A2,Pendlingskommun,34090\n",
    );
    wd.create(
        "pub.csv",
        "source,published_year,country,scale,basis,item,mean,n\nSKR,2013,SE,new,latest,1,57,2\n",
    );
    wd.create(
        "kompass.toml",
        "inputs = [\"in.csv\"]\nout = \"res\"\nbootstrap = 50\nregister = \"reg\"\n\
         published = \"pub.csv\"\ncharts = \"none\"\n",
    );
    wd.run_expect(&["run", "-q"], 0);
    let m = assert_intact(&wd, "res");
    let listed: Vec<&str> = m["reference"]
        .as_array()
        .expect("reference files")
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(listed[0].ends_with("se_municipalities.csv") && listed[1].ends_with("pub.csv"));
    assert_eq!(
        m["reference"][1]["blake3"].as_str().unwrap(),
        hash(&wd.file("pub.csv"))
    );
    assert!(stdout(&wd.run_expect(&["run"], 0)).starts_with("up to date"));

    a_moved_municipality_reruns(&wd);

    // A corrected published mean: rerun, and the comparison follows it.
    wd.create(
        "pub.csv",
        "source,published_year,country,scale,basis,item,mean,n\nSKR,2013,SE,new,latest,1,58,2\n",
    );
    assert!(stdout(&wd.run_expect(&["run"], 0)).contains("wrote"));
    let v = wd.table("res/validation.csv");
    let values = v.column("value");
    assert!(values.iter().any(|x| x == "58"), "{values:?}");

    validate_checks_the_published_figures_but_does_not_list_them(&wd);
}

/// Vallentuna moved to another group in the register of `wd`'s config:
/// a rerun, with the group averages changed, then up to date again.
fn a_moved_municipality_reruns(wd: &Workdir) {
    // Vallentuna moves to another group: the group averages change.
    let groups = |wd: &Workdir| {
        let t = wd.table("res/averages.csv");
        let (g, c) = (t.col("grouping"), t.col("group"));
        let mut v: Vec<String> = t
            .rows
            .iter()
            .filter(|r| r[g] == "kommungrupp2017")
            .map(|r| r[c].split(' ').next().unwrap_or("").to_string())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    assert_eq!(groups(wd), ["A2"]);
    wd.create(
        "reg/se_municipalities.csv",
        "code,name,group_2017_code,group_2017_name,population\n\
         0114,Upplands Väsby,A2,Pendlingskommun,46786\n\
         0115,Vallentuna,B3,Större stad,34090\n",
    );
    assert!(stdout(&wd.run_expect(&["run"], 0)).contains("wrote"));
    assert_eq!(groups(wd), ["A2", "B3"]);
    assert!(stdout(&wd.run_expect(&["run"], 0)).starts_with("up to date"));
}

/// `validate` with a config in `wd` naming published figures: a missing
/// file stops it (exit 2); an existing one is not listed in its manifest.
fn validate_checks_the_published_figures_but_does_not_list_them(wd: &Workdir) {
    // `validate` checks the published figures a config names, as `run`
    // would (a nightly `validate` stayed green on a missing file), but does
    // not use them: its manifest does not list them.
    wd.create(
        "val.toml",
        "inputs = [\"in.csv\"]\nout = \"val\"\npublished = \"nope.csv\"\n",
    );
    let out = wd.run_expect(&["validate", "--config", "val.toml", "-q"], 2);
    assert!(
        stderr(&out)
            .contains("val.toml: line 3, column 13: published = \"nope.csv\": no such file")
    );
    std::fs::copy(wd.file("pub.csv"), wd.file("nope.csv")).unwrap();
    wd.run_expect(&["validate", "--config", "val.toml", "-q"], 0);
    let m: serde_json::Value = serde_json::from_slice(&wd.read("val/manifest.json")).unwrap();
    assert_eq!(m["reference"].as_array().map(Vec::len), Some(0));
}

#[test]
fn config_errors_and_flag_overrides() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    wd.create("bad.toml", "inputs = [\"in.csv\"]\nbasis_typo = \"all\"\n");
    let out = wd.run_expect(&["run", "--config", "bad.toml"], 2);
    assert_stderr_has(&out, "unknown field `basis_typo`");
    wd.create(
        "bad2.toml",
        "inputs = [\"in.csv\"]\nbasis = \"sometimes\"\n",
    );
    let out = wd.run_expect(&["run", "--config", "bad2.toml"], 2);
    assert_stderr_has(&out, "basis = \"sometimes\" is not one of: latest, all");
    assert!(!stderr(&out).contains("did you mean"), "{}", stderr(&out));
    // A misspelt key or value is given the one it likely meant.
    wd.create("bad3.toml", "inputs = [\"in.csv\"]\nlnag = \"en\"\n");
    let out = wd.run_expect(&["run", "--config", "bad3.toml"], 2);
    assert_stderr_has(
        &out,
        "line 2, column 1: unknown field `lnag`, expected one of",
    );
    assert_stderr_has(&out, "`lang` (did you mean `lang`?)");
    wd.create("bad4.toml", "inputs = [\"in.csv\"]\ncharts = \"sumary\"\n");
    let out = wd.run_expect(&["run", "--config", "bad4.toml"], 2);
    assert_stderr_has(
        &out,
        "charts = \"sumary\" is not one of: all, summary, none (did you mean \"summary\"?)",
    );
    wd.run_expect(&["run", "--config", "missing.toml"], 2);
    wd.run_expect(&["run"], 2);
    // Flags override the file.
    wd.create(
        "sub/kompass.toml",
        "inputs = [\"../in.csv\"]\nout = \"cfg-out\"\nbasis = \"all\"\nbootstrap = 20\n",
    );
    wd.run_expect(
        &words("run --config sub/kompass.toml --out flag-out --basis latest"),
        0,
    );
    assert!(!wd.exists("sub/cfg-out") && wd.exists("flag-out/averages.csv"));
    let basis = wd.table("flag-out/averages.csv").column("basis");
    assert!(!basis.is_empty() && basis.iter().all(|b| b == "latest"));
    // Paths in the file are relative to the file.
    wd.run_expect(&["run", "--config", "sub/kompass.toml"], 0);
    assert!(wd.exists("sub/cfg-out/averages.csv"));
}

#[test]
fn killed_runs_leave_the_previous_output() {
    let wd = Workdir::new();
    wd.create("small/in.csv", SMALL);
    wd.run_expect(
        &["run", "-i", "small", "-o", "res", "--bootstrap", "20", "-q"],
        0,
    );
    let before = assert_intact(&wd, "res");
    wd.run_expect(
        &["synth", "-n", "6000", "--seed", "1", "-o", "big", "-q"],
        0,
    );
    // `-v` announces each stage on stderr as it begins: kill the run there.
    let mut args = BIG_RUN.to_vec();
    args.retain(|a| *a != "-q");
    args.push("-v");
    for stage in ["ingest", "validate", "link", "frame", "averages", "report"] {
        let mut child = wd
            .command(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let want = format!("kompass: stage {stage}");
        let lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let reached = lines.map_while(Result::ok).any(|l| l == want);
        child.kill().ok(); // SIGKILL
        child.wait().unwrap();
        assert!(reached, "the run never reported stage {stage}");
        let now = assert_intact(&wd, "res");
        assert_eq!(
            now["fingerprint"], before["fingerprint"],
            "killed at stage {stage}"
        );
    }
    // The next run cleans up what the killed ones left.
    wd.run_expect(&words("run -i small -o res --bootstrap 20 -q --force"), 0);
    let leftovers: Vec<String> = std::fs::read_dir(wd.file("."))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".res.tmp-") || n.starts_with(".res.old-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_second_concurrent_run_exits_4() {
    let wd = Workdir::new();
    wd.run_expect(
        &["synth", "-n", "3000", "--seed", "2", "-o", "big", "-q"],
        0,
    );
    let mut first = wd
        .command(&BIG_RUN)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the first run holds the lock (its staging folder exists).
    let start = Instant::now();
    while !std::fs::read_dir(wd.file("."))
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with(".res.tmp-"))
    {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "first run never started"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    // Held still while the second runs, so that it cannot have ended
    // (on a loaded machine the second could otherwise start after it).
    let stopped = Stopped::new(first.id());
    let second = wd.run(&BIG_RUN);
    drop(stopped);
    assert_eq!(second.status.code(), Some(4), "{}", stderr(&second));
    // It names the run holding the folder, and the folder and the lock
    // as typed (they were named by their absolute paths: user audit,
    // 2026-12-05).
    let holder = format!(
        "kompass: res: another kompass run (pid {}) is writing this output folder (lock \
         .res.lock); try again later or pass --wait",
        first.id()
    );
    assert!(stderr(&second).contains(&holder), "{}", stderr(&second));
    let status = first.wait().unwrap();
    assert!(status.success(), "the first run failed");
    assert_intact(&wd, "res");
}

#[test]
fn runs_in_different_folders_are_byte_identical() {
    let (a, b) = (Workdir::new(), Workdir::new());
    for wd in [&a, &b] {
        wd.copy_fixture("ostersund_wide.csv");
        wd.run_expect(
            &words("synth -n 300 --seed 8 -o gen --countries SE,NO -q"),
            0,
        );
        wd.run_expect(
            &words("run -i ostersund_wide.csv gen -o out -q --bootstrap 50"),
            0,
        );
    }
    let m: serde_json::Value = serde_json::from_slice(&a.read("out/manifest.json")).unwrap();
    let outputs = m["outputs"].as_array().unwrap();
    assert!(outputs.len() > 10, "{} outputs", outputs.len());
    for o in outputs {
        let name = format!("out/{}", o["path"].as_str().unwrap());
        assert!(a.read(&name) == b.read(&name), "{name} differs");
    }
}

/// A child process stopped (SIGSTOP) until this is dropped, also when the
/// test panics meanwhile (SIGCONT): no stopped process left behind.
struct Stopped(libc::pid_t);

impl Stopped {
    fn new(pid: u32) -> Stopped {
        let pid = pid as libc::pid_t;
        // SAFETY: a signal to our own child process.
        unsafe { libc::kill(pid, libc::SIGSTOP) };
        Stopped(pid)
    }
}

impl Drop for Stopped {
    fn drop(&mut self) {
        // SAFETY: a signal to our own child process.
        unsafe { libc::kill(self.0, libc::SIGCONT) };
    }
}

/// A folder that `synth` is writing in place (no output yet, its lock
/// held by a live process) is busy, exit 4 as the README says, and said to
/// be a generation, not a folder of the user's; `--wait` does not wait on
/// it (generated, it is data the run would refuse to replace).
#[test]
fn a_folder_being_generated_is_busy_not_foreign() {
    let wd = Workdir::new();
    wd.copy_fixture("ostersund_wide.csv");
    wd.create("gen/evaluations.csv", "half a generation");
    let mut lock = std::fs::File::create(wd.file(".gen.lock")).unwrap();
    let mark = crate::test_leftovers::lock_of(std::process::id());
    std::io::Write::write_all(&mut lock, mark.as_bytes()).unwrap();
    lock.lock().unwrap();
    let args = ["run", "-i", "ostersund_wide.csv", "-o", "gen", "-q"];
    for wait in [false, true] {
        let args = [&args[..], if wait { &["--wait"] } else { &[] }].concat();
        let mut child = wd.command(&args).stderr(Stdio::piped()).spawn().unwrap();
        let start = Instant::now();
        while child.try_wait().unwrap().is_none() {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "it waited on a generation (--wait: {wait})"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
        // The lock file names the test's own process as the generation.
        let pid = std::process::id();
        assert_stderr_has(
            &out,
            &format!("kompass synth (pid {pid}) is generating data in this folder now"),
        );
        assert_stderr_has(&out, "choose another --out");
    }
    drop(lock);
    assert_eq!(wd.read("gen/evaluations.csv"), b"half a generation");
}
