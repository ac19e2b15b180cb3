//! The previous output gone through after the swap (`io/outdir/retire`):
//! kompass's folders that the new run does not write are removed, not
//! moved in as the user's; a name of the user's that is not UTF-8 keeps
//! its bytes.

use crate::test_safety::{SMALL, run_small};
use crate::workdir::{Workdir, stderr, stdout};

/// What a run printed, on stdout and stderr (kept and moved files are
/// warnings, on stderr).
fn said(out: &std::process::Output) -> String {
    format!("{}{}", stdout(out), stderr(out))
}

/// The names in `out/charts`.
fn charts(wd: &Workdir) -> Vec<String> {
    (std::fs::read_dir(wd.file("out/charts")).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// `--charts summary` then `--charts none`: the old `charts/` was moved
/// into the new output as "saved during the run", and the next run with
/// charts kept its files as the user's (`*.png.kept`).
#[test]
fn a_folder_of_kompass_the_new_run_does_not_write_is_removed() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    let run = |charts: &str| {
        let args = ["run", "-i", "in.csv", "-o", "out", "--bootstrap", "20"];
        wd.run(&[&args[..], &["--charts", charts]].concat())
    };
    let first = run("summary");
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(wd.exists("out/charts"));
    let none = run("none");
    assert!(none.status.success(), "{}", stderr(&none));
    assert!(
        !said(&none).contains("saved during the run"),
        "{}",
        said(&none)
    );
    assert!(!wd.exists("out/charts"));
    // With a file of the user's in it: that file alone is left.
    assert!(run("summary").status.success());
    wd.create("out/charts/mine.txt", "my notes on the charts\n");
    let none = run("none");
    assert!(none.status.success(), "{}", stderr(&none));
    assert!(
        !said(&none).contains("saved during the run"),
        "{}",
        said(&none)
    );
    let names = charts(&wd);
    assert_eq!(names, ["mine.txt"], "only the user's file is left there");
    let again = run("summary");
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(!said(&again).contains("kept"), "{}", said(&again));
    let names = charts(&wd);
    assert!(names.contains(&"mine.txt".to_string()), "{names:?}");
    assert!(names.iter().any(|n| n.ends_with(".png")), "{names:?}");
    assert!(!names.iter().any(|n| n.contains(".kept")), "{names:?}");
}

/// A file of the user's named in Windows-1252 bytes (`\xd6rebro.txt`)
/// was carried as `\u{fffd}rebro.txt` and then also moved in as
/// `\u{fffd}rebro.txt.kept`, "saved during the run".
#[cfg(target_os = "linux")]
#[test]
fn a_name_that_is_not_utf8_keeps_its_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    assert!(run_small(&wd, "out", &["-q"]).status.success());
    let name = std::ffi::OsStr::from_bytes(b"\xd6rebro.txt");
    std::fs::write(wd.file("out").join(name), "mine\n").unwrap();
    let again = run_small(&wd, "out", &["--force"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(!said(&again).contains("kept"), "{}", said(&again));
    assert_eq!(std::fs::read(wd.file("out").join(name)).unwrap(), b"mine\n");
    let count = std::fs::read_dir(wd.file("out")).unwrap().count();
    let fresh = Workdir::new();
    fresh.create("in.csv", SMALL);
    assert!(run_small(&fresh, "out", &["-q"]).status.success());
    let outputs = std::fs::read_dir(fresh.file("out")).unwrap().count();
    assert_eq!(count, outputs + 1, "the outputs and the one file");
}
