//! Exports as people save them: column names with spaces (`Område 1`,
//! `Municipality Code`), a title line above the header, a workbook beside
//! its CSV, two exports joined with their headers, a repeat of scores
//! first given on different lines. Each is read, or named, never passed
//! over in silence.

use crate::workdir::{Workdir, stderr, stdout, strings, words};

/// `text` as `in.csv`, validated into `out` (exit 0): the folder and what
/// the run printed.
pub(crate) fn validated(text: &str) -> (Workdir, String) {
    let wd = Workdir::new();
    wd.create("in.csv", text);
    let out = wd.run_expect(&["validate", "-i", "in.csv", "-o", "out"], 0);
    (wd, stdout(&out))
}

/// Scores under `Område 1`... and `Fråga 1.1` (a space before the number)
/// are read: they were `unknown-column` warnings, and the row counted as
/// accepted with only its total (8 of 9 scores lost while the counts
/// reconciled).
#[test]
fn spaced_item_columns_are_read() {
    let (wd, said) = validated(
        "Kommunkod;År;Skala;Område 1;Område 2;Område 3;Område 4;Område 5;Område 6;Område 7;\
         Område 8;Fråga 1.1\n\
         0114;2012;ny;50;51;52;53;54;55;56;57;9\n",
    );
    assert!(
        said.contains("rows read 1 = 1 accepted + 0 rejected"),
        "{said}"
    );
    assert!(said.contains("0 warning(s)"), "{said}");
    let t = wd.table("out/evaluations.csv");
    let got: Vec<(String, String)> = (t.records().into_iter())
        .map(|r| (r["item"].clone(), r["score"].clone()))
        .collect();
    // The 8 areas as given, 1.1, and the total derived by hand: 50 + 51 +
    // ... + 57 = 428.
    let mut want: Vec<(String, String)> = (1..=8)
        .map(|a| (a.to_string(), (49 + a).to_string()))
        .collect();
    want.push(("1.1".into(), "9".into()));
    want.push(("total".into(), "428".into()));
    want.sort();
    let mut got = got;
    got.sort();
    assert_eq!(got, want);
}

/// An area or a sub-question named with the English word (`Area 2`,
/// `question1.1`) or Swedish without its letters å, ä, ö (`omrade3`, as
/// `fraga` stands for `fråga`), or with a title after that word
/// (`Omrade 8 Kommunen som samhällsbyggare`): read as `a2`, `q1.1`,
/// `omr3` and area 8 are (each was an `unknown-column` warning, its
/// scores not read). `Area 2021`, a year, stays unread.
#[test]
fn english_and_unaccented_item_words_are_read() {
    let (wd, said) = validated(
        "municipality_code,eval_year,scale,a1,Area 2,omrade3,question1.1,\
         Omrade 8 Kommunen som samhällsbyggare,Area 2021\n\
         0114,2012,new,50,51,52,9,57,7\n",
    );
    assert!(said.contains("1 warning(s)"), "{said}");
    let warned = wd.table("out/validation.csv").column("column");
    assert_eq!(warned, ["Area 2021"]);
    let t = wd.table("out/evaluations.csv");
    let got = t.select(&["item", "score"]);
    let want = [
        ["1", "50"],
        ["1.1", "9"],
        ["2", "51"],
        ["3", "52"],
        ["8", "57"],
    ];
    assert_eq!(got, strings(&want));
}

/// A long export with `Municipality Code` and `Eval Year` (spaces for
/// `_`), and one with `kommunnr`, in an input folder: read (both were
/// skipped whole as "not an export", their rows in no count).
#[test]
fn spaced_and_swedish_key_names_are_read() {
    let wd = Workdir::new();
    wd.create(
        "in/a.csv",
        "Municipality Code,Eval Year,Scale,Item,Score\n0117,2012,new,1,50\n",
    );
    wd.create(
        "in/b.csv",
        "kommunnr;år;skala;fråga;poäng\n0120;2012;ny;2;40\n",
    );
    let out = wd.run_expect(&["validate", "-i", "in", "-o", "out", "--strict"], 0);
    assert!(stdout(&out).contains("all files: rows read 2 = 2 accepted + 0 rejected"));
    let t = wd.table("out/evaluations.csv");
    let got = t.select(&["municipality_code", "item", "score"]);
    assert_eq!(got, vec![vec!["0117", "1", "50"], vec!["0120", "2", "40"]]);
}

/// Columns that only look like items or codes once spaces count as `_`
/// stay unread: a quarter (`Q1 2021`) is no sub-question 1.2021, and a
/// `Kommun nr` beside `Kommunkod` is another column, not the code twice.
#[test]
fn a_quarter_and_a_second_code_column_are_not_read() {
    let (wd, said) =
        validated("Kommunkod;Kommun nr;År;Skala;Q1 2021;Område 1\n0114;1;2012;ny;3;50\n");
    assert!(said.contains("rows read 1 = 1 accepted + 0 rejected"));
    let v = wd.table("out/validation.csv");
    assert_eq!(v.column("value"), vec!["Kommun nr", "Q1 2021"]);
    assert_eq!(wd.table("out/evaluations.csv").column("score"), vec!["50"]);
}

/// An export with scores and a key column but no recognisable code column
/// ends the run (it was skipped in a folder, as notes would be).
#[test]
fn scores_without_a_code_column_end_the_run() {
    let wd = Workdir::new();
    wd.create(
        "in/a.csv",
        "kommun_id;år;skala;fråga;poäng\n0120;2012;ny;2;40\n",
    );
    let err = stderr(&wd.run_expect(&["validate", "-i", "in", "-o", "out"], 1));
    assert!(
        err.contains("in/a.csv: the header lacks column(s) municipality_code"),
        "{err}"
    );
    assert!(!wd.exists("out"));
}

/// A key column misspelt ends the run as a missing one does, and the
/// message names the column that looks like it (in the header as
/// written, Swedish or English).
#[test]
fn a_misspelt_key_column_is_named() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "kommunkod;utvärderingsår;skala;fråga;Poänq\n0120;2012;ny;2;40\n",
    );
    let err = stderr(&wd.run_expect(&words("validate in.csv -o out"), 1));
    assert_eq!(
        err.trim_end(),
        "kompass: in.csv: the header lacks column(s) score/poäng (long layout); found: \
         kommunkod, utvärderingsår, skala, fråga, Poänq; column 5, 'Poänq', may be poäng misspelt"
    );
    assert!(!wd.exists("out"));
    // The code column's other names too (`kommunnummer`, read as the code
    // where no column has one of its own names).
    wd.create(
        "in.csv",
        "Kommunnumer;år;skala;fråga;poäng\n0120;2012;ny;2;40\n",
    );
    let err = stderr(&wd.run_expect(&words("validate in.csv -o out"), 1));
    assert!(
        err.trim_end().ends_with(
            "(long layout); found: Kommunnumer, år, skala, fråga, poäng; column 1, \
             'Kommunnumer', may be kommunnummer misspelt"
        ),
        "{err}"
    );
}

/// A title line above the header is named, with the header's line (the
/// file was skipped as having no recognisable header).
#[test]
fn a_title_above_the_header_is_named() {
    let wd = Workdir::new();
    wd.create(
        "in/ok.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,new,1,50\n",
    );
    wd.create(
        "in/title.csv",
        "Kommunkompassen export 2012,,,,\n\nmunicipality_code,eval_year,scale,item,score\n\
         0115,2012,new,1,60\n",
    );
    let err = stderr(&wd.run_expect(&["validate", "-i", "in", "-o", "out"], 1));
    let said = "in/title.csv: line 3 is an export's header, below line(s) that are not part \
                of the table (a title?)";
    assert!(err.contains(said), "{err}");
    // Notes above a table that is no export are no export: skipped; so
    // are notes naming an export's columns on a line of their own (no row
    // of that many fields follows), and a small table of totals by year.
    wd.create("in/title.csv", "Notes\nwhat,why\nx,y\n");
    wd.create(
        "in/notes.txt",
        "Export från Stratsys 2021-03-01\nKolumner: kommunkod;år;skala;fråga;poäng\n",
    );
    wd.create("in/totals.csv", "år;totalt\n2012;450\n");
    let out = wd.run_expect(&["validate", "-i", "in", "-o", "out"], 0);
    for name in ["title.csv", "notes.txt", "totals.csv"] {
        assert!(
            stdout(&out).contains(&format!("in/{name}: skipped, not an export")),
            "{name}"
        );
    }
}

/// A workbook in an input folder is named and skipped (`skipped-file`,
/// so `--strict` fails); it was left out without a word. Named directly it
/// ends the run, as before.
#[test]
fn a_workbook_in_a_folder_is_skipped_with_a_warning() {
    let wd = Workdir::new();
    wd.create(
        "in/a.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,new,1,50\n",
    );
    wd.create("in/a.xlsx", b"PK\x03\x04 a zip file's bytes".as_slice());
    let out = wd.run_expect(&["validate", "-i", "in", "-o", "out"], 0);
    let said = stdout(&out);
    assert!(said.contains("in/a.xlsx: skipped, not an export (a spreadsheet workbook, not read"));
    let v = wd.table("out/validation.csv");
    assert_eq!(v.column("rule"), vec!["skipped-file"]);
    assert_eq!(v.column("value"), vec!["in/a.xlsx"]);
    wd.run_expect(&["validate", "-i", "in", "-o", "out2", "--strict"], 3);
    let err = stderr(&wd.run_expect(&["validate", "-i", "in/a.xlsx", "-o", "o3"], 1));
    assert!(err.contains("looks like an Excel workbook"), "{err}");
    // A text file named like a workbook (a web tool's `.xls`) in a folder
    // is not read either (it would repeat the CSV saved from it); Excel's
    // lock file beside an open workbook is not listed at all.
    wd.create(
        "in/b.xls",
        "municipality_code\teval_year\tscale\titem\tscore\n0114\t2012\tnew\t1\t50\n",
    );
    wd.create("in/~$a.xlsx", b"\x08owner".as_slice());
    let out = wd.run_expect(&["validate", "-i", "in", "-o", "out5"], 0);
    assert!(stdout(&out).contains("in/b.xls: skipped, not an export (a spreadsheet workbook"));
    assert!(!stdout(&out).contains("~$a.xlsx"));
    assert_eq!(wd.table("out5/evaluations.csv").column("score"), vec!["50"]);
    // A workbook alone in a folder: nothing to read (exit 2).
    wd.create("only/b.xls", b"\xD0\xCF\x11\xE0 an old workbook".as_slice());
    let err = stderr(&wd.run_expect(&["validate", "-i", "only", "-o", "o4"], 2));
    assert!(
        err.contains("every file found in the input folders was skipped"),
        "{err}"
    );
    // A run's Parquet table put back among the exports: named and skipped
    // as a workbook is (Parquet audit, 2026-12-02: passed over unsaid).
    wd.create(
        "in/evaluations.parquet",
        b"PAR1 a table's bytes PAR1".as_slice(),
    );
    let out = wd.run_expect(&["validate", "-i", "in", "-o", "out6"], 0);
    assert!(stdout(&out).contains(
        "in/evaluations.parquet: skipped, not an export (an Apache Parquet table, not read"
    ));
    let v = wd.table("out6/validation.csv");
    assert!(
        v.column("value")
            .iter()
            .any(|f| f == "in/evaluations.parquet")
    );
    // A Parquet dataset's folder (pyarrow's and Spark's layout) too.
    wd.create("in/scores.parquet/part-0.parquet", b"PAR1 PAR1".as_slice());
    let out = wd.run_expect(&["validate", "-i", "in", "-o", "out7"], 0);
    let said = "in/scores.parquet: skipped, not an export (an Apache Parquet table";
    assert!(stdout(&out).contains(said), "{}", stdout(&out));
}

/// Two exports joined with `cat`, each with its header: the second header
/// is rejected as `repeated-header` (it was `unknown-country` for
/// 'country', and in a file without a country column `bad-code` for the
/// word `municipality_code`), and the rows around it are read.
#[test]
fn a_repeated_header_is_rejected_as_such() {
    let wd = Workdir::new();
    let header = "country,municipality_code,eval_year,scale,item,score\n";
    wd.create(
        "in.csv",
        format!(
            "{header}SE,0114,2012,new,1,50\n\u{feff}{}SE,0115,2012,new,1,60\n",
            header.to_uppercase()
        ),
    );
    let out = wd.run_expect(&["validate", "-i", "in.csv", "-o", "out"], 0);
    assert!(stdout(&out).contains("rows read 3 = 2 accepted + 1 rejected"));
    let r = wd.table("out/rejects.csv");
    assert_eq!(
        r.select(&["line", "rule"]),
        vec![vec!["3", "repeated-header"]]
    );
    // Its finding names no evaluation: the key columns are empty, not the
    // header's words (`COUNTRY`, `MUNICIPALITY_CODE`).
    let keys = ["country", "municipality_code", "eval_year", "scale", "item"];
    let v = wd.table("out/validation.csv");
    let mut want = vec!["repeated-header"];
    want.extend([""; 5]);
    assert_eq!(v.select(&[&["rule"][..], &keys].concat()), vec![want]);
    let t = wd.table("out/evaluations.csv");
    assert_eq!(t.column("score"), vec!["50", "60"]);
}

/// A row repeating scores first given on two lines names both (it named
/// the first alone, so item 3's line was wrong).
#[test]
fn a_duplicate_names_each_line_it_repeats() {
    let wd = Workdir::new();
    wd.create(
        "in/a.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,new,1,50\n\
         0114,2012,new,2,40\n0114,2012,new,3,30\n",
    );
    wd.create(
        "in/b.csv",
        "municipality_code;eval_year;scale;a1;a3\n0114;2012;new;50;30\n",
    );
    wd.run_expect(&["validate", "-i", "in", "-o", "out"], 0);
    let v = wd.table("out/validation.csv");
    let said = v.column("message");
    let want = "repeats SE 0114 2012 (new) item(s) 1, 3 with the same score(s) as in/a.csv:2 \
                (1), in/a.csv:4 (3); kept once";
    assert_eq!(said, vec![want]);
}

/// A byte order mark or a zero-width space inside a cell (exports joined
/// byte for byte) is written out in the message that quotes the cell, and
/// a NUL byte too; the `value` column keeps the cell as it was.
#[test]
fn a_message_shows_what_would_not_show() {
    let (wd, _) = validated(
        "country,municipality_code,eval_year,scale,item,score\nSE,0114,2012,new,1,50\n\
         \u{feff}SE,0115,2012,new,1,60\nSE,\u{200b}0117,2012,new,1,70\nSE,0120,2012,new,1,7\u{0}\n",
    );
    let r = wd.table("out/rejects.csv");
    let got = r.select(&["line", "value", "message"]);
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0][1], "\u{feff}SE");
    assert!(
        got[0][2].starts_with("country '\\u{feff}SE' is not in the register"),
        "{got:?}"
    );
    assert!(got[1][2].starts_with("code '\\u{200b}0117'"), "{got:?}");
    assert!(got[2][2].contains("'7\\u{0}'"), "{got:?}");
    assert!(
        !got.iter()
            .any(|g| g[2].contains(['\u{feff}', '\u{200b}', '\u{0}']))
    );
}

/// A score in exponent notation is said to be one (it was "'1e2' is not
/// a number", though it is one, in a notation not read); `inf` is no
/// number at all.
#[test]
fn a_score_in_exponent_notation_is_named_so() {
    let (wd, _) = validated(
        "municipality_code,eval_year,scale,item,score\n0114,2012,new,1,1e2\n\
         0115,2012,new,1,inf\n",
    );
    let v = wd.table("out/validation.csv");
    assert_eq!(
        v.select(&["rule", "message"]),
        [
            [
                "bad-number",
                "score '1e2' is in exponent notation, which kompass does not read: write the \
                 number out"
            ],
            ["bad-number", "score 'inf' is not a number"]
        ]
    );
}

/// A sum of areas with binary noise is quoted as the outputs write
/// numbers: 10.1 + 10.2 + ... = 81.3 (by hand), not 81.29999999999998.
#[test]
fn a_sum_in_a_message_is_written_as_a_figure() {
    let (wd, _) = validated(
        "municipality_code,eval_year,scale,a1,a2,a3,a4,a5,a6,a7,a8,total\n\
         0114,2012,old,10.1,10.2,10.1,10.2,10.1,10.2,10.1,10.3,100\n",
    );
    let v = wd.table("out/validation.csv");
    let said = v.column("message");
    let want = "the total is 100 but its 8 areas add up to 81.3 (difference 18.7; rounding allows \
                4.5)";
    assert!(said.iter().any(|m| m == want), "{said:?}");
}

/// An export whose score column is not recognised (`poäng (max 15)`), in a
/// folder beside a good one, ends the run naming it: it was skipped as "not
/// an export", its rows in no count (an audit's case).
#[test]
fn an_unrecognised_score_column_ends_the_run() {
    let wd = Workdir::new();
    wd.create(
        "in/a.csv",
        "kommunkod;år;skala;fråga;poäng\n0114;2012;ny;1,1;10\n",
    );
    wd.create(
        "in/b.csv",
        "land;kommunkod;år;skala;fråga;poäng (max 15)\r\nSE;0115;2012;ny;1,1;11\r\n\
         SE;0117;2012;ny;1,1;12\r\n",
    );
    let err = stderr(&wd.run_expect(&["validate", "-i", "in", "-o", "out"], 1));
    let said = "in/b.csv: the header lacks column(s) score/poäng (long layout); found: land, \
                kommunkod, år, skala, fråga, poäng (max 15)";
    assert!(err.contains(said), "{err}");
    assert!(!wd.exists("out"));
}

/// A control character in one column name: the names are shown with it
/// written out, not called a binary file's bytes.
#[test]
fn a_control_character_in_a_column_name_is_written_out() {
    let wd = Workdir::new();
    wd.create(
        "nul.csv",
        "land;kommunkod\0;år;skala;fråga;poäng\nSE;0114;2012;ny;1;50\n",
    );
    let err = stderr(&wd.run_expect(&["validate", "-i", "nul.csv", "-o", "o"], 1));
    let said = "found: land, kommunkod\\u{0}, år, skala, fråga, poäng; column 2, \
                'kommunkod\\u{0}', may be kommunkod misspelt";
    assert!(err.contains(said), "{err}");
    assert!(!err.contains("binary"), "{err}");
}

/// `origin` says which scores kompass derived only in its own table (with
/// `percent` and `source`): in an export it is an unknown column and every
/// score is published, with its line; in its own table edited by hand, a
/// `derived` mark kompass could not have made (a sub-question, a total
/// without its areas, an area not its parts' sum) is read as published.
/// Area 1's parts add up to 67.
#[test]
fn origin_marks_only_what_kompass_could_have_derived() {
    let rows = [
        ("1", "99,100", "derived"),
        ("1.1", "11,15", ""),
        ("1.2", "16,20", "published"),
        ("1.3", "15,25", "x"),
        ("1.4", "19,30", "DERIVED"),
        ("1.5", "6,10", ""),
        ("total", "800,800", "derived"),
    ];
    let scores = |wd: &Workdir| -> Vec<(String, String, String)> {
        let t = wd.table("out/evaluations.csv");
        t.select(&["item", "origin", "source"])
            .into_iter()
            .map(|r| (r[0].clone(), r[1].clone(), r[2].clone()))
            .collect()
    };
    let wd = Workdir::new();
    let mut export =
        "country,municipality_code,eval_year,scale,item,score,max,origin\n".to_string();
    for (item, score, origin) in rows {
        export += &format!("SE,0114,2012,new,{item},{score},{origin}\n");
    }
    wd.create("in.csv", &export);
    let out = wd.run_expect(&["validate", "-i", "in.csv", "-o", "out"], 0);
    let published = |line: usize| ("published".to_string(), format!("1:{line}"));
    let got = scores(&wd);
    for (k, (item, _, _)) in rows.iter().enumerate() {
        let row = got.iter().find(|r| r.0 == *item).expect(item);
        assert_eq!((row.1.clone(), row.2.clone()), published(k + 2), "{item}");
    }
    let v = wd.table("out/validation.csv").records();
    let origin = v
        .iter()
        .find(|r| r["rule"] == "unknown-column")
        .expect("origin named");
    assert!(
        origin["message"].contains("only kompass's own evaluations.csv"),
        "{origin:?}"
    );
    assert!(
        v.iter().any(|r| r["rule"] == "area-sum"),
        "{}",
        stdout(&out)
    );
    // kompass's own table, edited: only area 1 (all its parts there, and
    // their sum: 67 here, where 99 would be the row's) stays derived.
    let wd = Workdir::new();
    let mut own = "country,municipality_code,municipality,eval_year,scale,item,score,max,percent,\
                   origin,source\n"
        .to_string();
    for (item, score, origin) in rows {
        let score = if item == "1" { "67,100" } else { score };
        own += &format!("SE,0114,Upplands Väsby,2012,new,{item},{score},,{origin},\n");
    }
    wd.create("in.csv", &own);
    wd.run_expect(&["validate", "-i", "in.csv", "-o", "out"], 0);
    let got = scores(&wd);
    for (k, (item, _, _)) in rows.iter().enumerate() {
        let row = got.iter().find(|r| r.0 == *item).expect(item);
        let want = match *item {
            "1" => ("derived".to_string(), String::new()),
            _ => published(k + 2),
        };
        assert_eq!((row.1.clone(), row.2.clone()), want, "{item}");
    }
}
