//! What a `synth` generation stopped as it wrote or put in place its truth
//! leaves at the truth's temporary name (`meta/.truth.json.partial`), and
//! what the next generation and a run make of it (review of the session's
//! change, 2026-12-06).

use crate::workdir::{Workdir, assert_stderr_has, words};

const LEFT: &str = "gen/meta/.truth.json.partial";

/// A half-written truth (empty: a kill as it was written, a power cut) is
/// removed by the next generation, which went ahead and then failed
/// (`File exists`, exit 1) or was refused (exit 2), every time after.
#[test]
fn a_half_written_truth_is_removed_by_the_next_generation() {
    let wd = Workdir::new();
    wd.run_expect(&words("synth -n 40 --files 2 -q -o gen"), 0);
    wd.create(LEFT, "");
    wd.run_expect(&words("synth -n 40 --files 2 --seed 9 -q -o gen"), 0);
    assert!(!wd.exists(LEFT));
    assert!(wd.exists("gen/evaluations_002.csv"));
    // Over a generation stopped itself: its provisional truth in place.
    let provisional = wd.read("gen/meta/truth.json");
    let mut truth: serde_json::Value = serde_json::from_slice(&provisional).unwrap();
    truth["complete"] = serde_json::Value::Bool(false);
    wd.create("gen/meta/truth.json", truth.to_string());
    wd.create(LEFT, "{\"generator\":\"kompass syn");
    wd.run_expect(&words("synth -n 40 --files 2 --seed 9 -q -o gen"), 0);
    assert!(!wd.exists(LEFT));
}

/// A first generation's truth left alone (no truth in place) makes the
/// folder count as empty only where nothing else is in it: beside a file
/// of the user's the folder is refused, as one with no generation is.
#[test]
fn a_first_truth_left_beside_a_file_of_yours_is_refused() {
    let wd = Workdir::new();
    let first = "{\"generator\":\"kompass synth 0.1.0\",\"complete\":false,\
                 \"files\":[\"meta/truth.json\",\"meta/.truth.json.partial\"],\"blake3\":{}}\n";
    wd.create(LEFT, first);
    wd.create("gen/notes.txt", "mine\n");
    let out = wd.run_expect(&words("synth -n 40 -q -o gen"), 2);
    assert_stderr_has(&out, "holds no earlier kompass synth generation");
    assert_eq!(wd.read("gen/notes.txt"), b"mine\n");
    assert!(wd.exists(LEFT));
    std::fs::remove_file(wd.file("gen/notes.txt")).unwrap();
    wd.run_expect(&words("synth -n 40 -q -o gen"), 0);
    assert!(!wd.exists(LEFT));
}

/// A run goes by the latest truth as the next generation does: a finished
/// truth left at its temporary name (a kill as it was put in place) is a
/// finished generation, read; the provisional one in place alone is not.
#[test]
fn a_run_reads_a_generation_whose_finished_truth_was_left_aside() {
    let wd = Workdir::new();
    wd.run_expect(&words("synth -n 40 --files 2 -q -o gen"), 0);
    let finished = wd.read("gen/meta/truth.json");
    let mut truth: serde_json::Value = serde_json::from_slice(&finished).unwrap();
    truth["complete"] = serde_json::Value::Bool(false);
    wd.create("gen/meta/truth.json", truth.to_string());
    let out = wd.run_expect(&words("validate -i gen -q -o v1"), 2);
    assert_stderr_has(&out, "not finished");
    wd.create(LEFT, finished);
    wd.run_expect(&words("validate -i gen -q -o v2"), 0);
}
