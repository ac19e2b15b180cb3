//! What kompass keeps of the user's in its output folder beyond the bytes:
//! the folder's permissions, a file's permissions, times and owner; and an
//! output the user changed after kompass wrote it, or one a manifest lists
//! that kompass did not write as it says.

use std::time::{Duration, SystemTime};

use crate::test_safety::{SMALL, run_small};
use crate::workdir::{Workdir, assert_stderr_has, stderr, stdout};

/// 2020-01-01 and 2019-05-05, as file times.
pub(crate) fn day(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
}
pub(crate) const Y2020: u64 = 1_577_836_800;
const Y2019: u64 = 1_557_014_400;

pub(crate) fn set_mtime(path: &std::path::Path, secs: u64) {
    let times = std::fs::FileTimes::new().set_modified(day(secs));
    std::fs::File::open(path)
        .and_then(|f| f.set_times(times))
        .expect("set the time");
}

fn mtime(path: &std::path::Path) -> SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("mtime")
}

#[cfg(unix)]
#[test]
fn the_folder_s_permissions_and_the_user_s_files_times_and_owner_survive() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    std::fs::create_dir(wd.file("out")).expect("mkdir");
    let mode = |p: &str| {
        std::fs::metadata(wd.file(p))
            .expect("stat")
            .permissions()
            .mode()
            & 0o7777
    };
    let chmod = |p: &str, m: u32| {
        std::fs::set_permissions(wd.file(p), std::fs::Permissions::from_mode(m)).expect("chmod")
    };
    chmod("out", 0o750);
    assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
    assert_eq!(
        mode("out"),
        0o750,
        "the first run keeps the empty folder's mode"
    );
    wd.create("out/run.sh", "#!/bin/sh\n");
    chmod("out/run.sh", 0o740);
    set_mtime(&wd.file("out/run.sh"), Y2020);
    wd.create("out/notes/a.txt", "mine\n");
    set_mtime(&wd.file("out/notes/a.txt"), Y2019);
    set_mtime(&wd.file("out/notes"), Y2019);
    // A colleague's file (the tests run as root, who may give it away).
    let nobody = 65534;
    let given = std::os::unix::fs::chown(wd.file("out/notes/a.txt"), Some(nobody), Some(nobody));
    chmod("out", 0o700);
    assert_eq!(
        run_small(&wd, "out", &["-q", "--force"]).status.code(),
        Some(0)
    );
    assert_eq!(mode("out"), 0o700, "a folder closed to others stays closed");
    assert_eq!(mode("out/run.sh"), 0o740);
    assert_eq!(mtime(&wd.file("out/run.sh")), day(Y2020));
    assert_eq!(mtime(&wd.file("out/notes/a.txt")), day(Y2019));
    assert_eq!(mtime(&wd.file("out/notes")), day(Y2019));
    assert_eq!(wd.read("out/notes/a.txt"), b"mine\n");
    match given {
        Ok(()) => {
            let meta = std::fs::metadata(wd.file("out/notes/a.txt")).expect("stat");
            assert_eq!((meta.uid(), meta.gid()), (nobody, nobody));
        }
        Err(e) => crate::workdir::skip(
            crate::workdir::Need::Mount,
            &format!("the owner check: cannot give a file away ({e})"),
        ),
    }
}

/// An output edited with its size and modification time kept (a byte
/// changed, the time set back to the nanosecond) is the user's and is
/// kept, not overwritten: on a rerun that finds nothing else changed (an
/// audit's case: the rerun had seen the hash differ, then taken the file
/// as written by its size and time), with `--force`, and with other inputs
/// (safety audit, 2026-12-02: those two did not hash the outputs, and the
/// edit was lost).
#[test]
fn an_edit_that_keeps_size_and_time_is_kept() {
    let other = format!("{SMALL}0180,2014,new,50,450\n");
    for (args, input) in [
        (&[][..], SMALL),
        (&["--force"][..], SMALL),
        (&[][..], &other),
    ] {
        let wd = Workdir::new();
        wd.create("in.csv", SMALL);
        assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
        wd.create("in.csv", input);
        let path = wd.file("out/averages.csv");
        let when = std::fs::metadata(&path).unwrap().modified().unwrap();
        let mut edited = wd.read("out/averages.csv");
        let at = edited.iter().position(|b| *b == b'n').unwrap();
        edited[at] = b'N';
        wd.create("out/averages.csv", &edited);
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(when).unwrap();
        drop(file);
        let out = run_small(&wd, "out", args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_stderr_has(
            &out,
            "kept: averages.csv, changed since kompass wrote it (kept as averages.csv.kept)",
        );
        assert_eq!(wd.read("out/averages.csv.kept"), edited, "{args:?}");
        assert_ne!(wd.read("out/averages.csv"), edited);
    }
}

#[test]
fn an_output_the_user_changed_is_kept_not_replaced() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
    let mut edited = wd.read("out/averages.csv");
    edited.extend_from_slice(b"my notes\n");
    wd.create("out/averages.csv", &edited);
    // An output only touched (a copy without its times) is still kompass's.
    set_mtime(&wd.file("out/trends.csv"), Y2020 * 2);
    let out = run_small(&wd, "out", &["--force"]);
    assert_eq!(out.status.code(), Some(0));
    assert_stderr_has(
        &out,
        "kept: averages.csv, changed since kompass wrote it (kept as averages.csv.kept)",
    );
    assert_eq!(wd.read("out/averages.csv.kept"), edited);
    assert!(!wd.exists("out/trends.csv.kept"));
    assert!(
        !stderr(&out).contains("kept: trends.csv"),
        "{}",
        stderr(&out)
    );
    // On stderr under --quiet, as a warning: a cron line that sends stdout
    // to /dev/null still says that the user's file was set aside.
    wd.create("out/averages.csv", &edited);
    let out = run_small(&wd, "out", &["--force", "-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert_stderr_has(
        &out,
        "kompass: warning: kept: averages.csv, changed since kompass",
    );
}

/// A manifest copied into a project folder for the record (a hand-made
/// one here, listing the user's notes) does not make the folder kompass's:
/// none of the outputs it lists is there as kompass wrote it, so the
/// folder is refused and nothing in it is touched. (Until 2026-12-01 such
/// a folder was taken: its files were kept, but the folder was replaced
/// as a whole, the project's `.git` carried into the new one.)
#[test]
fn a_manifest_that_lists_a_file_kompass_did_not_write_does_not_make_the_folder_kompass_s() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    let manifest = r#"{"tool":"kompass","outputs":[{"path":"notes.txt","sha256":"x","rows":0}]}"#;
    wd.create("proj/manifest.json", manifest);
    wd.create("proj/notes.txt", "my notes\n");
    let out = run_small(&wd, "proj", &["-q"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("its manifest.json lists no output that is in it as kompass wrote it"),
        "{}",
        stderr(&out)
    );
    assert_eq!(wd.read("proj/notes.txt"), b"my notes\n");
    assert_eq!(wd.read("proj/manifest.json"), manifest.as_bytes());
    // A sub-folder, as the refusal suggests, is not inside an output.
    assert_eq!(
        run_small(&wd, "proj/kompass-out", &["-q"]).status.code(),
        Some(0)
    );
    assert_eq!(wd.read("proj/notes.txt"), b"my notes\n");
}

/// A real manifest copied into a project folder (say, to keep the record
/// of a run) where a file of the user's has the name and the size of an
/// output it lists, and is older: that file is not kompass's (a size and an
/// older time were taken as proof, without the hash; the time must be the
/// one recorded, to the nanosecond, or the hash match), and as no output
/// the manifest lists is there as kompass wrote it, the folder is refused.
/// The same folder with one real output in it is kompass's: the user's
/// file is then kept as `.kept`.
#[test]
fn a_copied_manifest_does_not_make_a_file_of_the_same_size_kompass_s() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert_eq!(run_small(&wd, "a", &["-q"]).status.code(), Some(0));
    let theirs = wd.read("a/averages.csv");
    let mut mine = theirs.clone();
    let last = mine.len() - 2;
    mine[last] = if mine[last] == b'1' { b'2' } else { b'1' };
    wd.create("proj/averages.csv", &mine);
    set_mtime(&wd.file("proj/averages.csv"), Y2020);
    wd.create("proj/manifest.json", wd.read("a/manifest.json"));
    assert_eq!(run_small(&wd, "proj", &["-q"]).status.code(), Some(2));
    assert_eq!(wd.read("proj/averages.csv"), mine);
    wd.create("proj/trends.csv", wd.read("a/trends.csv"));
    assert_eq!(run_small(&wd, "proj", &["-q"]).status.code(), Some(0));
    assert_eq!(wd.read("proj/averages.csv.kept"), mine);
    assert_eq!(wd.read("proj/averages.csv"), theirs);
}

/// An output folder of a kompass before 2026-12-01, whose manifest gives
/// each output's SHA-256 (and, older still, no modification time), is
/// still kompass's: an output whose SHA-256 (by the `sha2` crate here) is
/// the recorded one is replaced, one the user changed (same size, one digit
/// changed) is kept, and the user's notes beside them survive.
#[test]
fn an_output_folder_whose_manifest_gives_sha_256_is_still_kompass_s() {
    use sha2::{Digest, Sha256};
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
    let mut m: serde_json::Value = serde_json::from_slice(&wd.read("out/manifest.json")).unwrap();
    for o in m["outputs"].as_array_mut().unwrap() {
        let bytes = wd.read(&format!("out/{}", o["path"].as_str().unwrap()));
        let o = o.as_object_mut().unwrap();
        o.remove("blake3").expect("a BLAKE3 hash");
        o.remove("modified_ns");
        o.insert(
            "sha256".into(),
            format!("{:x}", Sha256::digest(&bytes)).into(),
        );
    }
    // Nor had it a seal (`manifest_blake3`, since 2026-12-04).
    (m.as_object_mut().unwrap().remove("manifest_blake3")).expect("a seal");
    wd.create("out/manifest.json", serde_json::to_string(&m).unwrap());
    let theirs = wd.read("out/averages.csv");
    let mut mine = theirs.clone();
    let last = mine.len() - 2;
    mine[last] = if mine[last] == b'1' { b'2' } else { b'1' };
    wd.create("out/averages.csv", &mine);
    wd.create("out/notes.txt", "my notes\n");
    let out = run_small(&wd, "out", &["--force", "-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    let kept: Vec<&str> = (err.lines()).filter(|l| l.contains("kept:")).collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(kept[0].contains("kept: averages.csv, changed since kompass"));
    assert_eq!(wd.read("out/averages.csv.kept"), mine);
    assert_eq!(wd.read("out/averages.csv"), theirs);
    assert_eq!(wd.read("out/notes.txt"), b"my notes\n");
}

/// An output the user changed that the next run does not write (CSV
/// tables, then `--format parquet`) is theirs and stays under its name, and
/// the run says so: it was kept without a word, and a script still reading
/// `benchmarks.csv` read the edited, stale table unawares. One left as
/// kompass wrote it goes, without a word.
#[test]
fn a_changed_output_the_run_does_not_write_is_kept_and_said() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
    let mut edited = wd.read("out/benchmarks.csv");
    edited.extend_from_slice(b"edited\n");
    wd.create("out/benchmarks.csv", &edited);
    let out = run_small(&wd, "out", &["-q", "--format", "parquet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let kept: Vec<String> = (stderr(&out).lines())
        .filter(|l| l.contains("kept:"))
        .map(str::to_string)
        .collect();
    assert_eq!(
        kept,
        [
            "kompass: warning: kept: benchmarks.csv, changed since kompass wrote it (kept where it \
             is): this run does not write it"
        ],
    );
    assert_eq!(wd.read("out/benchmarks.csv"), edited);
    assert!(wd.exists("out/benchmarks.parquet"));
    assert!(!wd.exists("out/trends.csv"));
}

/// Manifest `text` with its seal (`manifest_blake3`, its last field)
/// made again for what it now holds, as kompass makes it: the BLAKE3 of
/// the manifest without that field.
pub(crate) fn resealed(text: &str) -> String {
    let (body, _) = (text.rsplit_once(",\n  \"manifest_blake3\": \"")).expect("sealed");
    let unsealed = format!("{body}\n}}\n");
    let hash = blake3::hash(unsealed.as_bytes()).to_hex();
    format!("{body},\n  \"manifest_blake3\": \"{hash}\"\n}}\n")
}

/// A manifest ends with its own hash, `manifest_blake3`: the BLAKE3 of
/// the manifest without that last field (checked here from that
/// definition). One the user edited is theirs: kept as
/// `manifest.json.kept` by the next run (before 2026-12-04 it was
/// replaced without a word); one without the field, as an earlier kompass
/// wrote it, is kompass's.
#[test]
fn an_edited_manifest_is_kept_as_the_user_s() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert_eq!(run_small(&wd, "out", &["-q"]).status.code(), Some(0));
    let text = String::from_utf8(wd.read("out/manifest.json")).expect("UTF-8");
    let (body, seal) =
        (text.rsplit_once(",\n  \"manifest_blake3\": \"")).expect("a seal as the last field");
    let hash = seal
        .strip_suffix("\"\n}\n")
        .expect("the seal ends the manifest");
    let unsealed = format!("{body}\n}}\n");
    assert_eq!(blake3::hash(unsealed.as_bytes()).to_hex().as_str(), hash);
    assert_eq!(resealed(&text), text);
    let edited = text.replacen(
        "\"tool\": \"kompass\",",
        "\"tool\": \"kompass\",\n  \"note\": \"rerun after the 2011 data came\",",
        1,
    );
    assert_ne!(edited, text);
    wd.create("out/manifest.json", &edited);
    let out = run_small(&wd, "out", &["--force", "-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_stderr_has(
        &out,
        "kompass: warning: kept: manifest.json, changed since kompass wrote it (kept as \
         manifest.json.kept): kompass now writes there",
    );
    assert_eq!(wd.read("out/manifest.json.kept"), edited.as_bytes());
    let new = String::from_utf8(wd.read("out/manifest.json")).expect("UTF-8");
    assert!(new.contains("\"manifest_blake3\"") && !new.contains("\"note\""));
    // Unsealed, as an earlier kompass wrote it: replaced without a word.
    std::fs::remove_file(wd.file("out/manifest.json.kept")).expect("remove");
    let (body, _) = new.rsplit_once(",\n  \"manifest_blake3\"").expect("sealed");
    wd.create("out/manifest.json", format!("{body}\n}}\n"));
    let out = run_small(&wd, "out", &["--force", "-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("manifest"), "{}", stderr(&out));
    assert!(!wd.exists("out/manifest.json.kept"));
}
