//! What "up to date" and a waiting run take into account besides the
//! files' bytes: how the inputs' paths are written (the outputs give them
//! so), and the input folders as they are once the lock is held.

use crate::test_safety::{SMALL, run_small};
use crate::workdir::{Workdir, stdout, until_open};

const ONE: &str = "municipality_code,eval_year,scale,item,score\n0114,2012,new,1,50\n";

/// The outputs name an input as a fresh run from the working folder would:
/// `-i ./data/in.csv` wrote `./data/in.csv` into `inputs.csv` where
/// `-i data/in.csv` wrote `data/in.csv`, and a rerun under the other
/// spelling was "up to date" with the first one's; now both are
/// `data/in.csv`, and the rerun is rightly up to date (so is one by the
/// absolute path). A spelling with `..`, or another working folder,
/// writes other paths (`in.csv`): that reruns.
#[test]
fn inputs_are_named_alike_however_spelled_and_another_folder_reruns() {
    let wd = Workdir::new();
    wd.create("data/in.csv", ONE);
    std::fs::create_dir(wd.file("data/sub")).unwrap();
    let run = |input: &str| stdout(&wd.run_expect(&["validate", "-i", input, "-o", "v"], 0));
    assert!(!run("./data/in.csv").contains("up to date"));
    assert_eq!(wd.table("v/inputs.csv").rows[0][1], "data/in.csv");
    // `..` is kept as written (through a link it could name another
    // file): the outputs name it so, and the run reruns.
    assert!(!run("data/sub/../in.csv").contains("up to date"));
    assert_eq!(wd.table("v/inputs.csv").rows[0][1], "data/sub/../in.csv");
    let abs = wd.file("data/in.csv").display().to_string();
    assert!(!run(&abs).contains("up to date"));
    assert_eq!(wd.table("v/inputs.csv").rows[0][1], "data/in.csv");
    assert!(run("data/in.csv").contains("up to date"));
    let inner = wd.command(&["validate", "-i", "in.csv", "-o", "../v"]);
    let out = { inner }.current_dir(wd.file("data")).output().unwrap();
    assert!(out.status.success());
    assert!(!stdout(&out).contains("up to date"), "{}", stdout(&out));
    assert_eq!(wd.table("v/inputs.csv").rows[0][1], "in.csv");
}

/// A run that waits for the lock (`--wait`) lists its input folder after
/// the wait: a file removed meanwhile ended it ("No such file or
/// directory", exit 1), and one added was not read.
#[test]
fn a_waiting_run_reads_the_folder_as_it_is_after_the_wait() {
    let wd = Workdir::new();
    wd.create("data/a.csv", ONE);
    wd.create("data/b.csv", ONE.replace("0114", "0115"));
    let held = std::fs::File::create(wd.file(".v.lock")).unwrap();
    held.lock().unwrap();
    let mut waiting = wd
        .command(&["validate", "-i", "data", "-o", "v", "-q", "--wait"])
        .spawn()
        .unwrap();
    until_open(waiting.id(), &wd.file(".v.lock"));
    assert!(waiting.try_wait().unwrap().is_none(), "did not wait");
    std::fs::remove_file(wd.file("data/b.csv")).unwrap();
    wd.create("data/c.csv", ONE.replace("0114", "0117"));
    held.unlock().unwrap();
    drop(held);
    assert!(waiting.wait().unwrap().success());
    let paths: Vec<String> = (wd.table("v/inputs.csv").rows.iter())
        .map(|r| r[1].clone())
        .collect();
    assert_eq!(paths, ["data/a.csv", "data/c.csv"]);
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
        ("in.csv", "sub/../out"),
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

/// A run that waited for another's lock (`--wait`) says how long its own
/// work took: `done in` and the manifest's total counted the wait (a
/// validate of one row "done in 7.12 s" behind a run that held the lock
/// for 7 s; CLI audit).
#[test]
fn a_waiting_run_s_time_leaves_out_the_wait() {
    use std::time::{Duration, Instant};
    let wd = Workdir::new();
    wd.create("in.csv", ONE);
    let held = std::fs::File::create(wd.file(".v.lock")).unwrap();
    held.lock().unwrap();
    let begun = Instant::now();
    let waiting = wd
        .command(&["validate", "-i", "in.csv", "-o", "v", "--wait"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    until_open(waiting.id(), &wd.file(".v.lock"));
    let holding = Instant::now();
    std::thread::sleep(Duration::from_secs(2));
    let held_for = holding.elapsed().as_secs_f64();
    held.unlock().unwrap();
    drop(held);
    let out = waiting.wait_with_output().unwrap();
    let wall = begun.elapsed().as_secs_f64();
    assert!(out.status.success());
    let text = stdout(&out);
    let done = text.split("done in ").nth(1).expect("done in");
    let done: f64 = done[..done.find(' ').unwrap()].parse().unwrap();
    let manifest: serde_json::Value = serde_json::from_slice(&wd.read("v/manifest.json")).unwrap();
    let total = manifest["timings_seconds"]["total"].as_f64().unwrap();
    // The run's own work is what the process took but the wait, at most.
    for (what, secs) in [("done in", done), ("the manifest's total", total)] {
        assert!(
            secs + held_for <= wall + 0.01,
            "{what} {secs} s, waited {held_for:.2} s of {wall:.2} s"
        );
    }
}

/// A register file read before the wait and removed during it: the run
/// used it, so its outputs are not up to date once it is gone. The
/// fingerprint had listed the register's folder after the wait, so it
/// left the file out, and every later run served those outputs as up to
/// date (scheduled-rerun audit).
#[cfg(target_os = "linux")]
#[test]
fn a_register_file_removed_while_a_run_waits_is_not_forgotten() {
    let wd = Workdir::new();
    wd.create("in.csv", ONE);
    for name in ["se_municipalities.csv", "dk_municipalities.csv"] {
        let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/reference");
        wd.create(
            &format!("reg/{name}"),
            std::fs::read(shipped.join(name)).unwrap(),
        );
    }
    let args = ["validate", "-i", "in.csv", "--register", "reg", "-o", "v"];
    wd.run_expect(&args, 0);
    let held = std::fs::File::create(wd.file(".v.lock")).unwrap();
    held.lock().unwrap();
    let mut waiting = (wd.command(&[&args[..], &["-q", "--wait", "--force"]].concat()))
        .spawn()
        .unwrap();
    until_open(waiting.id(), &wd.file(".v.lock"));
    assert!(waiting.try_wait().unwrap().is_none(), "did not wait");
    std::fs::remove_file(wd.file("reg/dk_municipalities.csv")).unwrap();
    held.unlock().unwrap();
    drop(held);
    assert!(waiting.wait().unwrap().success());
    let next = stdout(&wd.run_expect(&args, 0));
    assert!(!next.contains("up to date"), "{next}");
    assert!(stdout(&wd.run_expect(&args, 0)).contains("up to date"));
}

/// The published figures' path is written as the working folder shows it
/// (validation.csv's `file`): a run from another folder writes another
/// path, so it is not up to date with the first one's outputs (the inputs
/// here are named by an absolute path outside both folders, so only the
/// published file's path differs).
#[test]
fn the_published_file_s_path_as_shown_is_part_of_up_to_date() {
    let wd = Workdir::new();
    wd.create("data/in.csv", ONE);
    let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/data/published/averages.csv");
    wd.create("a/pub/averages.csv", std::fs::read(shipped).unwrap());
    let (input, out) = (wd.file("data/in.csv"), wd.file("out"));
    let published = wd.file("a/pub/averages.csv");
    let run = |cwd: &str| {
        let args = [
            "run",
            "-i",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ];
        let more = [
            "--published",
            published.to_str().unwrap(),
            "--charts",
            "none",
        ];
        let mut cmd = wd.command(&[&args[..], &more, &["--report", "none"]].concat());
        let o = cmd.current_dir(wd.file(cwd)).output().unwrap();
        assert!(o.status.success(), "{o:?}");
        let files: Vec<String> = (wd.table("out/validation.csv").records().iter())
            .filter(|r| r["rule"].starts_with("published-"))
            .map(|r| r["file"].clone())
            .collect();
        (stdout(&o).contains("up to date"), files[0].clone())
    };
    assert_eq!(run("a"), (false, "pub/averages.csv".into()));
    assert_eq!(run("a"), (true, "pub/averages.csv".into()));
    assert_eq!(run("a/pub"), (false, "averages.csv".into()));
}

/// `--strict` changes the exit code, not the outputs: a strict run after
/// a plain one is up to date (and judges the findings the manifest
/// counts: a warning gives exit 3), where it had rerun everything.
#[test]
fn strict_alone_does_not_rerun() {
    let wd = Workdir::new();
    wd.create("in.csv", format!("{ONE}0114,2012,new,1,50\n"));
    let args = ["validate", "-i", "in.csv", "-o", "v"];
    wd.run_expect(&args, 0);
    let strict = wd.run_expect(&[&args[..], &["--strict"]].concat(), 3);
    assert!(
        stdout(&strict).contains("up to date"),
        "{}",
        stdout(&strict)
    );
    assert!(stdout(&wd.run_expect(&args, 0)).contains("up to date"));
}

/// The link target is recorded by its scale's id however it was spelt:
/// `--link-to NEW` and `--link-to ny` (an alias) wrote `"NEW"` and `"ny"`
/// into the manifest, and a rerun under the other spelling redid the
/// whole run for outputs byte for byte the same.
#[test]
fn the_link_target_is_recorded_by_its_id() {
    let wd = Workdir::new();
    wd.create("in.csv", ONE);
    let run = |to: &str| stdout(&wd.run_expect(&["run", "-i", "in.csv", "--link-to", to], 0));
    assert!(!run("NEW").contains("up to date"));
    let m: serde_json::Value =
        serde_json::from_slice(&wd.read("notebooks-out/manifest.json")).expect("the manifest");
    assert_eq!(m["config"]["link_to"], "new", "{}", m["config"]);
    assert!(run("new").starts_with("up to date"));
    assert!(run("ny").starts_with("up to date"));
}

/// A command is up to date whatever the keys it does not read: `validate`
/// and `link` with a `kompass.toml` shared with `run` reran when only
/// `lang` (or `charts`, `basis`) changed; `validate` when a link key did.
/// `run` reads them all and reruns.
#[test]
fn keys_a_command_does_not_read_do_not_rerun_it() {
    let wd = Workdir::new();
    wd.create("in.csv", ONE);
    let config = |extra: &str| wd.create("k.toml", format!("inputs = [\"in.csv\"]\n{extra}"));
    let fresh = |cmd: &str, out: &str| {
        let out = wd.run_expect(&[cmd, "--config", "k.toml", "-o", out], 0);
        !stdout(&out).contains("up to date")
    };
    config("lang = \"sv\"\nbootstrap = 20\n");
    assert!(fresh("validate", "v") && fresh("link", "l") && fresh("run", "r"));
    config("lang = \"en\"\ncharts = \"none\"\nbasis = \"all\"\nbootstrap = 20\n");
    assert!(!fresh("validate", "v") && !fresh("link", "l"));
    assert!(fresh("run", "r"));
    config("lang = \"en\"\ncharts = \"none\"\nbasis = \"all\"\nbootstrap = 30\n");
    assert!(!fresh("validate", "v"));
    assert!(fresh("link", "l") && fresh("run", "r"));
    // A key every command reads reruns every one.
    config("lang = \"en\"\ncharts = \"none\"\nbasis = \"all\"\nbootstrap = 30\nexcel = true\n");
    assert!(fresh("validate", "v") && fresh("link", "l") && fresh("run", "r"));
}

/// A manifest edited since kompass wrote it (its seal) is no record of the
/// output: an unchanged rerun took its findings, outputs and
/// configuration as edited for up to date (audit of reruns: its warning
/// removed, `--strict` exited 0 on data with a duplicate row; an output
/// unlisted and removed, the folder without it). Now the run is redone:
/// `--strict` exits 3 again, the removed output is back, and the edited
/// manifest is kept as the user's.
#[test]
fn an_edited_manifest_is_no_record_of_an_up_to_date_output() {
    let wd = Workdir::new();
    wd.create("in.csv", format!("{ONE}0114,2012,new,1,50\n"));
    let args = ["validate", "-i", "in.csv", "-o", "v", "--strict"];
    wd.run_expect(&args, 3);
    let text = String::from_utf8(wd.read("v/manifest.json")).unwrap();
    // The warnings' counts left out: `"warning": {}`.
    let start = text.find("\"warning\": {").expect("the warnings") + "\"warning\": {".len();
    let end = start + text[start..].find('}').expect("their end");
    let edited = format!("{}{}", &text[..start], &text[end..]);
    assert!(edited.contains("\"warning\": {}"), "{edited}");
    wd.create("v/manifest.json", &edited);
    let out = wd.run_expect(&args, 3);
    assert!(!stdout(&out).contains("up to date"), "{}", stdout(&out));
    assert_eq!(wd.read("v/manifest.json.kept"), edited.as_bytes());
    // Unchanged since, the new manifest is one: up to date.
    let out = wd.run_expect(&args, 3);
    assert!(stdout(&out).contains("up to date"), "{}", stdout(&out));
}
