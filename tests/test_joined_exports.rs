//! Exports joined one after another (`cat`), each with its header line
//! (ingest audit, 2026-12-02): a header line of other columns among the
//! rows ends the run at its line, as the rows under it cannot be read in
//! the file's header's columns (they were, their scores on other items);
//! the same columns in the other language are a `repeated-header` row; a
//! byte order mark before a later name of the header is no part of it. A
//! folder named like an export in an input folder is said to be skipped.
//! A separator line among the rows is named as one, LibreOffice's as wide
//! as the header too (mutation fuzz, 2026-12-06).

use crate::workdir::{Workdir, assert_stderr_has, stdout};

/// Two wide exports, the second with areas 1 and 2 the other way round:
/// read under the first's header, 0115's area 1 was 10 where its export
/// says 20.
#[test]
fn a_header_line_of_other_columns_ends_the_run_at_its_line() {
    let wd = Workdir::new();
    wd.create(
        "in/a.csv",
        "kommunkod;år;skala;omr1;omr2\n0114;2012;ny;10;20\n\
         kommunkod;år;skala;omr2;omr1\n0115;2012;ny;10;20\n",
    );
    let out = wd.run_expect(&["validate", "-i", "in", "-o", "out"], 1);
    assert_stderr_has(
        &out,
        "in/a.csv: line 3: a header line of other columns than the file's header \
         (kommunkod, år, skala, omr1, omr2): column 4 is 'omr2' here, 'omr1' there",
    );
    assert!(!wd.exists("out/evaluations.csv"));
    // The long layout, item and score the other way round (0115's item 5
    // was 3 where its export gives item 3 a 5); a header line of a column
    // more (a header line that is no export's header by itself, of fewer
    // columns than a long export needs, is left to `field-count`).
    let long = "municipality_code,eval_year,scale,item,score\n0114,2012,new,1,68\n";
    wd.create(
        "in/a.csv",
        format!("{long}\n\nmunicipality_code,eval_year,scale,score,item\n0115,2012,new,5,3\n"),
    );
    let out = wd.run_expect(&["validate", "-i", "in", "-o", "out"], 1);
    assert_stderr_has(&out, "line 5: a header line of other columns");
    assert_stderr_has(&out, "column 4 is 'score' here, 'item' there");
    wd.create(
        "in/a.csv",
        format!("{long}municipality_code,eval_year,scale,item,score,max\n0115,2012,new,3,5,10\n"),
    );
    let out = wd.run_expect(&["validate", "-i", "in", "-o", "out"], 1);
    assert_stderr_has(&out, "line 3: a header line of other columns");
    assert_stderr_has(&out, "its column 6 ('max') is beyond the header's last");
    wd.create(
        "in/a.csv",
        format!("{long}municipality_code,eval_year,scale,item\n0115,2012,new,3\n"),
    );
    wd.run_expect(&["validate", "-i", "in", "-o", "out", "-q"], 0);
    let r = wd.table("out/rejects.csv");
    assert_eq!(r.column("rule"), vec!["field-count", "field-count"]);
}

/// The header's columns again in English under a Swedish header are the
/// header again (they were three errors: `bad-code`, `bad-year`,
/// `unknown-scale`); a municipality named like a column is a row.
#[test]
fn the_same_columns_in_the_other_language_are_a_repeated_header() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "kommunkod;kommun;år;skala;omr1\n0114;Land;2012;ny;10\n\
         municipality_code;municipality;eval_year;scale;a1\n0115;Kod;2012;ny;30\n",
    );
    wd.run_expect(&["validate", "-i", "in.csv", "-o", "out"], 0);
    let r = wd.table("out/rejects.csv");
    assert_eq!(
        r.select(&["line", "rule"]),
        vec![vec!["3", "repeated-header"]]
    );
    let t = wd.table("out/evaluations.csv");
    assert_eq!(
        t.select(&["municipality_code", "score"]),
        vec![vec!["0114", "10"], vec!["0115", "30"]]
    );
}

/// A byte order mark before a later name of the header (a file that began
/// with one pasted into the header line) is removed as the first name's
/// is: the file was refused for lacking its `scale` column.
#[test]
fn a_byte_order_mark_before_any_header_name_is_removed() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "Country , MUNICIPALITY-CODE,Eval Year,\u{feff}scale,item,score\nSE,0114,2012,old,1,70\n",
    );
    wd.run_expect(&["validate", "-i", "in.csv", "-o", "out"], 0);
    let t = wd.table("out/evaluations.csv");
    assert_eq!(
        t.select(&["scale", "item", "score"]),
        vec![vec!["old", "1", "70"]]
    );
}

/// Lines that read as the header's columns however they are named (item
/// titles, a sub-question's number alone) are the header again; a row of
/// units under the header, and a header line with a separator more at its
/// end, are no header of other columns (review of the change: each stopped
/// the run, where the rows under them read as before).
#[test]
fn a_header_line_named_otherwise_or_a_units_row_does_not_stop_the_run() {
    let wd = Workdir::new();
    for (text, rule) in [
        (
            "kommunkod;år;skala;omr1;omr2\n0114;2021;ny;10;20\n\
             kommunkod;år;skala;1. Offentlighet och demokrati;2. Tillgänglighet och brukarorientering\n\
             0117;2021;ny;10;20\n",
            "repeated-header",
        ),
        (
            "kommunkod;år;skala;q1.1;q1.2\n0114;2012;ny;1;2\n\
             municipality_code;eval_year;scale;1.1;1.2\n0115;2012;ny;1;2\n",
            "repeated-header",
        ),
        (
            "kommunkod;år;skala;omr1;omr2\n;;;Poäng;Poäng\n0114;2021;ny;10;20\n0117;2021;ny;10;20\n",
            "missing-field",
        ),
        (
            "kommunkod;år;skala;omr1;omr2\n0114;2012;ny;10;20\nkommunkod;år;skala;omr1;omr2;\n\
             0117;2012;ny;10;20\n",
            "field-count",
        ),
    ] {
        wd.create("in/a.csv", text);
        wd.run_expect(&["validate", "-i", "in", "-o", "out", "-q"], 0);
        let r = wd.table("out/rejects.csv");
        assert_eq!(r.column("rule"), vec![rule], "{text}");
        let t = wd.table("out/evaluations.csv");
        assert_eq!(t.column("municipality_code").len(), 4, "{text}");
    }
}

/// A folder named like an export in an input folder (`x.csv/`) was passed
/// over without a word (ingest audit, 2026-12-02): now a `skipped-file`
/// warning naming it, the export beside it read.
#[test]
fn a_folder_named_like_an_export_is_skipped_with_a_warning() {
    let wd = Workdir::new();
    let export = "municipality_code,eval_year,scale,item,score\n0114,2012,new,1,50\n";
    wd.create("in/a.csv", export);
    wd.create("in/x.csv/b.csv", export.replace("0114", "0115"));
    let out = wd.run_expect(&["validate", "-i", "in", "-o", "out"], 0);
    assert!(
        stdout(&out).contains("in/x.csv: skipped, not an export (a folder named like a file"),
        "{}",
        stdout(&out)
    );
    let v = wd.table("out/validation.csv");
    assert_eq!(
        v.select(&["rule", "value"]),
        vec![vec!["skipped-file", "in/x.csv"]]
    );
    let t = wd.table("out/evaluations.csv");
    assert_eq!(t.column("municipality_code"), vec!["0114"]);
}

/// Exports joined one after another, the second saved back by LibreOffice:
/// its separator line `sep=;;;;` is as wide as the header (`sep=` and the
/// row's empty cells), and was read as a row (`bad-code`: "code 'sep=' is
/// not a 4-digit SE municipality code"; with a country column
/// `unknown-country`). It is the separator line the README names, one
/// `field-count` row naming no evaluation, as a narrower one is, in no
/// column, its value the line (the narrow one named column `skala`, the
/// wider `(empty), (empty)`); the rows around it are read.
#[test]
fn a_libreoffice_separator_line_among_the_rows_is_named() {
    let wd = Workdir::new();
    let header = "kommunkod;år;skala;fråga;poäng\r\n";
    for (name, sep) in [
        ("wide", "sep=;;;;"),
        ("wider", "sep=;;;;;;"),
        ("narrow", "sep=;"),
    ] {
        let text = format!("{header}0114;2012;ny;1;50\r\n{sep}\r\n0114;2012;ny;2;60\r\n");
        wd.create(&format!("{name}.csv"), text);
        let out = wd.run_expect(&["validate", "-i", &format!("{name}.csv"), "-o", name], 0);
        assert!(
            stdout(&out).contains("rows read 3 = 2 accepted + 1 rejected"),
            "{name}: {}",
            stdout(&out)
        );
        let rejects = wd.table(&format!("{name}/rejects.csv")).records();
        assert_eq!(rejects.len(), 1, "{name}: {rejects:?}");
        let r = &rejects[0];
        assert_eq!(
            [&r["line"], &r["rule"], &r["raw"], &r["column"], &r["value"]],
            ["3", "field-count", sep, "", sep],
            "{name}"
        );
        assert!(
            r["message"].starts_with("a spreadsheet's separator line (`sep=`)")
                && r["message"].contains("exports joined one after another"),
            "{name}: {}",
            r["message"]
        );
        // It names no evaluation.
        let findings = wd.table(&format!("{name}/validation.csv")).records();
        let f = crate::workdir::row(&findings, &[("line", "3")]);
        assert_eq!(
            [&f["municipality_code"], &f["eval_year"]],
            ["", ""],
            "{name}"
        );
    }
}

/// A separator line under a header of 250 columns (LibreOffice writes
/// `sep=` and 249 `;`) has its value cut at 200 characters, as the extra
/// fields of a row are: it was written whole.
#[test]
fn a_long_separator_line_s_value_is_cut() {
    let wd = Workdir::new();
    let extra: String = (1..=245).map(|i| format!(";x{i}")).collect();
    let empty = ";".repeat(245);
    let sep = format!("sep={}", ";".repeat(249));
    wd.create(
        "in.csv",
        format!("kommunkod;år;skala;fråga;poäng{extra}\n0114;2012;ny;1;50{empty}\n{sep}\n"),
    );
    wd.run_expect(&["validate", "-i", "in.csv", "-o", "o", "-q"], 0);
    let rejects = wd.table("o/rejects.csv").records();
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    let want = format!("{}…", &sep[..200]);
    assert_eq!(rejects[0]["value"], want);
    assert_eq!(rejects[0]["raw"], sep, "the raw line is whole");
}
