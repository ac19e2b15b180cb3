//! Findings and rejected rows put on disk (`KOMPASS_SPILL_AT`): with a
//! limit of one or a few findings, every output is byte-identical to a run
//! that keeps them in memory, on inputs that break every kind of rule
//! (planted faults in long and wide exports, conflicts, repeats, a wide
//! row's cell rejected on its own and then its row for a conflict).

use std::process::Output;

use crate::workdir::{Workdir, stdout};

/// A wide export whose row 2 has a cell above its maximum (rejected on its
/// own) and, with row 4, a conflict in its only other score (the row is
/// then rejected whole); row 3 is repeated by row 5 (a duplicate); row 6
/// is not a number.
const WIDE: &str = "municipality_code,eval_year,scale,a1,a2,a3,total\n\
                    2380,2010,new,68,166,,\n\
                    0114,2010,new,60,50,55,\n\
                    2380,2010,new,61,,,\n\
                    0114,2010,new,60,50,55,\n\
                    0117,2010,new,7x,50,,\n";

/// Generates the planted-fault exports and the wide file into `wd`.
fn inputs(wd: &Workdir) {
    for (dir, layout, seed) in [("gen/long", "long", "5"), ("gen/wide", "wide", "6")] {
        let args = [
            "synth",
            "-n",
            "600",
            "--seed",
            seed,
            "--countries",
            "SE,NO,DK",
            "--faults",
            "0.15",
            "--files",
            "2",
            "--layout",
            layout,
            "-o",
            dir,
            "-q",
        ];
        wd.run_expect(&args, 0);
    }
    wd.create("in/w.csv", WIDE);
}

/// `kompass <cmd>` on the inputs into `out`, with `KOMPASS_SPILL_AT` set
/// to `limit` (none: unset).
fn run(wd: &Workdir, cmd: &str, out: &str, limit: Option<&str>) -> Output {
    let mut c = wd.command(&[
        cmd, "-i", "gen/long", "-i", "gen/wide", "-i", "in", "-o", out,
    ]);
    if cmd == "run" {
        c.args(["--charts", "none"]);
    }
    c.env_remove("KOMPASS_SPILL_AT");
    if let Some(n) = limit {
        c.env("KOMPASS_SPILL_AT", n);
    }
    let o = c.output().expect("kompass runs");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// The manifest without what differs from folder to folder (its path,
/// times, file times and the fingerprint over them).
fn manifest_counts(wd: &Workdir, out: &str) -> serde_json::Value {
    let text = wd.read(&format!("{out}/manifest.json"));
    let v: serde_json::Value = serde_json::from_slice(&text).expect("manifest is JSON");
    serde_json::json!({ "findings": v["findings"], "inputs": v["inputs"]
        .as_array().map(|a| a.iter().map(|i| {
            let mut i = i.clone();
            i.as_object_mut().map(|o| o.remove("modified_ns"));
            i
        }).collect::<Vec<_>>()) })
}

#[test]
fn findings_on_disk_give_the_same_outputs_as_in_memory() {
    let wd = Workdir::new();
    inputs(&wd);
    let base = run(&wd, "run", "mem", None);
    let rejects = wd.table("mem/rejects.csv").records();
    // The inputs break the rules these outputs are about: enough rejected
    // rows and cells, conflicts and repeats that a limit of 1 and of 7
    // makes many runs, and the superseded cell below.
    assert!(rejects.len() > 100, "{} rejects", rejects.len());
    let rules: Vec<String> = wd.table("mem/validation.csv").column("rule");
    for rule in [
        "conflict",
        "duplicate",
        "above-max",
        "bad-number",
        "area-sum",
        "total-sum",
    ] {
        assert!(rules.iter().any(|r| r == rule), "no {rule} finding");
    }
    // w.csv's row 2: its cell 166 (above a2's maximum 100) was rejected on
    // its own, then the whole row for its conflicting a1 (68 against 61):
    // one entry for the row, none for the cell.
    let w2: Vec<(String, String)> = (rejects.iter())
        .filter(|r| r["file"] == "in/w.csv" && r["line"] == "2")
        .map(|r| (r["rule"].clone(), r["column"].clone()))
        .collect();
    assert_eq!(w2, [("conflict".to_string(), "a1".to_string())]);
    for limit in ["1", "7"] {
        let out = format!("disk{limit}");
        let o = run(&wd, "run", &out, Some(limit));
        for f in [
            "rejects.csv",
            "validation.csv",
            "inputs.csv",
            "evaluations.csv",
            "averages.csv",
            "report/index.html",
        ] {
            assert!(
                wd.read(&format!("mem/{f}")) == wd.read(&format!("{out}/{f}")),
                "{f} differs with KOMPASS_SPILL_AT={limit}"
            );
        }
        assert_eq!(manifest_counts(&wd, "mem"), manifest_counts(&wd, &out));
        // The run's summary (findings per rule, rows reconciled) is the
        // same but for the folder's name and the time taken.
        let summary = |o: &Output, dir: &str| {
            let text = stdout(o).replace(dir, "OUT");
            let timed = |l: &&str| l.starts_with("done in");
            text.lines()
                .filter(|l| !timed(l))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(summary(&base, "mem"), summary(&o, &out));
    }
    // validate alone too, and no scratch file is left in the output.
    run(&wd, "validate", "v0", None);
    run(&wd, "validate", "v1", Some("1"));
    for f in ["rejects.csv", "validation.csv", "inputs.csv"] {
        let same = wd.read(&format!("v0/{f}")) == wd.read(&format!("v1/{f}"));
        assert!(same, "validate's {f} differs with KOMPASS_SPILL_AT=1");
    }
    let mut names: Vec<String> = std::fs::read_dir(wd.file("v1"))
        .expect("v1 lists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let want = [
        "evaluations.csv",
        "inputs.csv",
        "manifest.json",
        "rejects.csv",
        "validation.csv",
    ];
    assert_eq!(names, want);
}

#[test]
fn a_limit_that_is_not_a_count_is_refused() {
    let wd = Workdir::new();
    wd.create("in/w.csv", WIDE);
    for bad in ["0", "many", "-3"] {
        let mut c = wd.command(&["validate", "-i", "in", "-o", "v"]);
        let o = c.env("KOMPASS_SPILL_AT", bad).output().expect("runs");
        assert_eq!(o.status.code(), Some(2), "KOMPASS_SPILL_AT={bad}");
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(
            err.contains(&format!("KOMPASS_SPILL_AT is '{bad}'")),
            "{err}"
        );
        assert!(!wd.exists("v/rejects.csv"));
    }
}
