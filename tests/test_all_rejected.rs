//! A run in which no score is accepted (every row rejected) has nothing to compute: it stops with exit 2 and
//! leaves the previous output as it was, as a run of exports with a header
//! and no rows does; `validate` still writes the rejects.

use crate::workdir::Workdir;

const HEADER: &str = "country,municipality_code,eval_year,scale,item,score\n";

/// From the hostile-input audit: a nightly export whose scale column was
/// mistyped had every row rejected, and the run replaced the last good
/// output with empty tables, exit 0. Counted by hand: 3 rows read, 3
/// rejected, 2 findings for the scale `nwe`, 1 for the score `abc`.
#[test]
fn a_run_with_every_row_rejected_keeps_the_previous_output() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        format!("{HEADER}SE,2380,2010,new,1,68\nSE,2380,2010,new,2,66\n"),
    );
    let run = ["run", "-i", "in.csv", "-o", "out", "--charts", "none", "-q"];
    wd.run_expect(&run, 0);
    let before = wd.read("out/evaluations.csv");
    wd.create(
        "in.csv",
        format!("{HEADER}SE,2380,2010,nwe,1,68\nSE,2380,2010,nwe,2,66\nSE,2380,2010,new,3,abc\n"),
    );
    wd.run_says(
        &run,
        2,
        "no score accepted: of 3 row(s) read, 3 were rejected; the most frequent error \
         `unknown-scale` (2 finding(s)); nothing to compute, and any previous output is left as \
         it was",
    );
    assert_eq!(wd.read("out/evaluations.csv"), before);
    // `validate` is how to see why: every row in rejects.csv.
    wd.run_expect(&["validate", "-i", "in.csv", "-o", "checked", "-q"], 0);
    let lines: Vec<String> = wd.table("checked/rejects.csv").column("line");
    assert_eq!(lines, ["2", "3", "4"]);
}

/// A wide export whose every score cell is above its maximum of 100 (150,
/// 150; 101, 120): each row, left with no score, is rejected whole, four
/// `above-max` findings (findings, not rows: from the review); nothing is
/// written where no output was.
#[test]
fn a_wide_export_with_every_score_cell_rejected_has_nothing_to_compute() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,a1,a2\n0114,2012,new,150,150\n0115,2012,new,101,120\n",
    );
    wd.run_says(
        &["run", "-i", "in.csv", "-o", "out", "-q"],
        2,
        "no score accepted: of 2 row(s) read, 2 were rejected; the most frequent error \
         `above-max` (4 finding(s))",
    );
    assert!(!wd.exists("out"));
}
