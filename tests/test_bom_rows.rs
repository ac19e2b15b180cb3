//! A UTF-8 BOM at the start of a row is the row's own, wherever the row
//! falls: right after the header, or at the start of a piece of a large
//! file parsed on another core. The csv crate drops a BOM at the start of
//! what it reads, so a BOM-only line after the header moved the next row's
//! line number one up and gave it a `raw` of two lines, and in a large
//! file the rows starting with a BOM at a piece's start were read (one per
//! piece: 8 on 2 cores, 1 on one) while all the others were rejected.

use crate::workdir::{Workdir, row};

const HEADER: &str = "country,municipality_code,eval_year,scale,item,score\n";

#[test]
fn a_bom_only_line_after_the_header_is_a_row_of_its_own() {
    let wd = Workdir::new();
    let text = format!("{HEADER}\u{feff}\nDK,741,2005,old,1,55.5x\nDK,741,2005,old,2,55.5\n");
    wd.create("bom.csv", text);
    wd.run_expect(
        &[
            "run", "-i", "bom.csv", "-o", "out", "-q", "--charts", "none", "--report", "none",
        ],
        0,
    );
    let rejects = wd.table("out/rejects.csv").records();
    assert_eq!(rejects.len(), 2, "{rejects:?}");
    // Line 2 holds the BOM alone (one field of six), line 3 the bad number.
    let bom = row(&rejects, &[("line", "2")]);
    assert_eq!(
        (bom["rule"].as_str(), bom["raw"].as_str()),
        ("field-count", "\u{feff}")
    );
    let bad = row(&rejects, &[("line", "3")]);
    assert_eq!(
        (bad["rule"].as_str(), bad["raw"].as_str()),
        ("bad-number", "DK,741,2005,old,1,55.5x")
    );
    let inputs = wd.table("out/inputs.csv").records();
    assert_eq!(
        (
            inputs[0]["rows_read"].as_str(),
            inputs[0]["rows_used"].as_str()
        ),
        ("3", "1")
    );
}

/// A file larger than the 256 KiB below which one core parses it: every
/// row starts with a BOM, so every row is rejected, `unknown-country`,
/// whatever the number of cores (a second file has the run's one score).
#[test]
fn rows_starting_with_a_bom_are_rejected_in_every_piece_of_a_large_file() {
    let wd = Workdir::new();
    const ROWS: usize = 20_000;
    let line = "\u{feff}DK,741,2005,old,1,55\n";
    let mut text = String::from(HEADER);
    for _ in 0..ROWS {
        text.push_str(line);
    }
    assert!(text.len() > 256 << 10, "{}", text.len());
    wd.create("in/big.csv", text);
    wd.create("in/small.csv", format!("{HEADER}DK,741,2005,old,2,55\n"));
    wd.run_expect(
        &[
            "run", "-i", "in", "-o", "out", "-q", "--charts", "none", "--report", "none",
        ],
        0,
    );
    let inputs = wd.table("out/inputs.csv").records();
    let big = row(&inputs, &[("path", "in/big.csv")]);
    assert_eq!(
        [&big["rows_read"], &big["rows_used"], &big["rows_rejected"]],
        [&ROWS.to_string(), "0", &ROWS.to_string()]
    );
    let rejects = wd.table("out/rejects.csv").records();
    assert_eq!(rejects.len(), ROWS);
    for (k, r) in rejects.iter().enumerate() {
        assert_eq!(r["line"], (k + 2).to_string());
        assert_eq!(r["rule"], "unknown-country", "{r:?}");
        assert_eq!(r["raw"], line.trim_end(), "{r:?}");
    }
    assert_eq!(wd.table("out/evaluations.csv").column("score"), ["55"]);
}
