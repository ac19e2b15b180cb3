//! Findings name the cell as the export wrote it, not the number read from
//! it: a Swedish export's `79,5` is `79,5` in `rejects.csv` and
//! `validation.csv`.

use crate::workdir::Workdir;

const SV_LONG: &str = "land;kommunkod;kommun;år;skala;fråga;poäng;max\r\n";

/// (file, line, column, value) of every rejected row, in order.
fn rejected(wd: &Workdir) -> Vec<[String; 4]> {
    let table = wd.table("out/rejects.csv");
    let records = table.records().into_iter();
    let row = |r: std::collections::HashMap<String, String>| {
        [
            r["file"].clone(),
            r["line"].clone(),
            r["column"].clone(),
            r["value"].clone(),
        ]
    };
    records.map(row).collect()
}

fn s(v: [&str; 4]) -> [String; 4] {
    v.map(str::to_string)
}

#[test]
fn a_conflict_names_its_cells_as_written() {
    let wd = Workdir::new();
    let body = "SE;2380;Östersund;2010;ny;1;79,5;100\r\n\
                SE;2380;Östersund;2010;ny;1;78,50;100\r\n\
                SE;2380;Östersund;2010;ny;2;66;100\r\n";
    wd.create("sv.csv", format!("{SV_LONG}{body}"));
    // A wide export of the same evaluation, its area 2 another score.
    wd.create(
        "wide.csv",
        "land;kommunkod;år;skala;omr1;omr2\r\nSE;2380;2010;ny;;066,0\r\nSE;0114;2010;ny;50;51\r\n",
    );
    wd.run_expect(
        &["validate", "-i", "sv.csv", "-i", "wide.csv", "-o", "out"],
        0,
    );
    // 66 and 066,0 are the same score: a duplicate, not a conflict. The
    // two scores of area 1 conflict, each named as its cell is written.
    assert_eq!(
        rejected(&wd),
        vec![
            s(["sv.csv", "2", "poäng", "79,5"]),
            s(["sv.csv", "3", "poäng", "78,50"]),
        ]
    );
    let findings = wd.table("out/validation.csv");
    let values: Vec<String> = findings
        .records()
        .into_iter()
        .filter(|r| r["rule"] == "conflict")
        .map(|r| r["value"].clone())
        .collect();
    assert_eq!(values, vec!["79,5", "78,50"]);

    // A wide row with a conflict: its item's column and cell.
    let wd = Workdir::new();
    wd.create(
        "wide.csv",
        "land;kommunkod;år;skala;omr1;omr2\r\nSE;2380;2010;ny;68;79,5\r\n",
    );
    wd.create(
        "sv.csv",
        format!("{SV_LONG}SE;2380;Östersund;2010;ny;2;+78;100\r\n"),
    );
    wd.run_expect(
        &["validate", "-i", "wide.csv", "-i", "sv.csv", "-o", "out"],
        0,
    );
    assert_eq!(
        rejected(&wd),
        vec![
            s(["wide.csv", "2", "omr2", "79,5"]),
            s(["sv.csv", "2", "poäng", "+78"]),
        ]
    );
    // A number with its sign is no formula: written as it is.
    let text = String::from_utf8(wd.read("out/rejects.csv")).unwrap();
    assert!(text.contains(",poäng,+78,"), "{text}");
}
