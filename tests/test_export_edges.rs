//! Exports as spreadsheets and old programs leave them: Excel's lock file
//! beside an open CSV, binary noise just below zero, a stray quote or a
//! name left out that shifts a row's cells, a `sep=` line among the rows
//! of joined exports, a DOS end-of-file mark, rows under another
//! separator than the header's, a note line (most found by the ingest
//! audit of the thirty-ninth session).

use crate::test_header_variants::validated;
use crate::workdir::{Workdir, stdout, strings};

const HEADER: &str = "country;municipality_code;municipality;eval_year;scale;item;score;max\r\n";

/// Excel keeps `~$name.csv` (the owner's name in 165 bytes) beside a CSV
/// it has open: it was listed as an input and skipped as a binary file,
/// a `skipped-file` warning that failed `--strict` (exit 3) with nothing
/// said under `-q`. It is no file of the user's: not listed at all; nor
/// is Emacs's lock, `.#c.csv`, a link to nothing that ended the run
/// (exit 1).
#[test]
fn excel_s_lock_file_beside_an_open_csv_is_not_an_input() {
    let wd = Workdir::new();
    wd.create(
        "in/c.csv",
        format!("{HEADER}SE;0114;Upplands Väsby;2012;new;1.4;20;30\r\n"),
    );
    let mut lock = vec![7u8];
    lock.extend(b"Anna Svensson");
    lock.resize(165, 0);
    wd.create("in/~$c.csv", lock);
    std::os::unix::fs::symlink("anna@host.1234:1700000000", wd.file("in/.#c.csv")).unwrap();
    // A regular file so named is no lock: read.
    wd.create(
        "in/.#d.csv",
        format!("{HEADER}SE;0115;Vallentuna;2012;new;1.4;25;30\r\n"),
    );
    let out = wd.run_expect(&["validate", "-i", "in", "--strict", "-o", "out"], 0);
    assert!(
        stdout(&out).contains("rows read 2 = 2 accepted + 0 rejected"),
        "{}",
        stdout(&out)
    );
    assert!(wd.table("out/validation.csv").records().is_empty());
    let inputs = wd.table("out/inputs.csv").column("path");
    assert_eq!(inputs.len(), 2, "{inputs:?}");
    assert!(inputs[0].ends_with(".#d.csv") && inputs[1].ends_with("/c.csv"));
}

/// A score a spreadsheet saved from its binary form as a hair below zero
/// (`-0,0000000001`) is zero, as a hair above the maximum is the maximum
/// (`100,0000000001` was accepted while `-0,0000000001` was a
/// `negative-score` error); a hundredth below zero is still negative.
#[test]
fn binary_noise_below_zero_is_zero() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        format!(
            "{HEADER}SE;0114;Upplands Väsby;2012;new;1.1;-0,0000000001;15\r\n\
             SE;0114;Upplands Väsby;2012;new;1.2;-0,01;20\r\n\
             SE;0114;Upplands Väsby;2012;new;2;100,0000000001;100\r\n"
        ),
    );
    let out = wd.run_expect(&["validate", "-i", "in.csv", "-o", "out"], 0);
    assert!(
        stdout(&out).contains("rows read 3 = 2 accepted + 1 rejected"),
        "{}",
        stdout(&out)
    );
    let kept = wd.table("out/evaluations.csv").select(&["item", "score"]);
    assert_eq!(kept, [["1.1", "0"], ["2", "100"]]);
    let rejects = wd.table("out/rejects.csv").select(&["line", "rule"]);
    assert_eq!(rejects, [["3", "negative-score"]]);
}

/// A formula with a quoted argument in an unquoted cell under `;`
/// (`=HYPERLINK("http://x";"y")`) splits in two at the separator between
/// its quotes, shifting the cells after it; the row is `bad-quote`, and
/// its key cells show the shift: it names no evaluation (it named year
/// `y)`, scale `2012` and item `new`), as a shifted `field-count` row.
#[test]
fn a_stray_quote_that_shifts_the_cells_names_no_evaluation() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        format!(
            "{HEADER}SE;0999;=HYPERLINK(\"http://x\";\"y\");2012;new;1.4;20;30\r\n\
             SE;0114;Upplands Väsby;2012;new;1.4;20;30\r\n"
        ),
    );
    let out = wd.run_expect(&["validate", "-i", "in.csv", "-o", "out"], 0);
    assert!(
        stdout(&out).contains("rows read 2 = 1 accepted + 1 rejected"),
        "{}",
        stdout(&out)
    );
    let found = wd.table("out/validation.csv").records();
    assert_eq!(found.len(), 1, "{found:?}");
    let f = &found[0];
    assert_eq!((f["line"].as_str(), f["rule"].as_str()), ("2", "bad-quote"));
    for key in ["municipality_code", "eval_year", "scale", "item"] {
        assert_eq!(f[key], "", "{key}: {f:?}");
    }
}

/// Two Excel exports joined one after the other: the second's `sep=;`
/// line among the rows is a `field-count` error whose message says what
/// the line is (it said only "the row has 2 fields, the header 8"); the
/// second header is `repeated-header`, its rows read.
#[test]
fn a_sep_line_among_the_rows_is_named() {
    let wd = Workdir::new();
    let export = format!("sep=;\r\n{HEADER}SE;0114;Upplands Väsby;2012;new;1.4;20;30\r\n");
    let second = export.replace(";1.4;20;30", ";2;50;100");
    wd.create("in.csv", format!("{export}{second}"));
    let out = wd.run_expect(&["validate", "-i", "in.csv", "-o", "out"], 0);
    assert!(
        stdout(&out).contains("rows read 4 = 2 accepted + 2 rejected"),
        "{}",
        stdout(&out)
    );
    let rejects = wd.table("out/rejects.csv").records();
    let lines: Vec<(&str, &str)> = (rejects.iter())
        .map(|r| (r["line"].as_str(), r["rule"].as_str()))
        .collect();
    assert_eq!(lines, [("4", "field-count"), ("5", "repeated-header")]);
    assert!(
        rejects[0]["message"].contains("separator line (`sep=`)")
            && rejects[0]["message"].contains("exports joined one after another"),
        "{}",
        rejects[0]["message"]
    );
}

/// `--encoding windows-1252` on a file that is UTF-8 throughout, without
/// a BOM: its `Näcken` was read as `NÃ¤cken` into every output without a
/// word (with a BOM the file was refused). It is refused as that one is
/// (exit 1), naming the line of a UTF-8 letter; a file of ASCII alone is
/// both, and read.
#[test]
fn windows_1252_asked_of_a_utf8_file_is_refused() {
    let wd = Workdir::new();
    let rows = "SE;0114;Upplands Väsby;2012;new;1.4;20;30\r\n";
    wd.create("in.csv", format!("{HEADER}{rows}"));
    let args = ["validate", "-i", "in.csv", "--encoding", "windows-1252"];
    wd.run_says(
        &[&args[..], &["-o", "out"]].concat(),
        1,
        "in.csv: is UTF-8 (its letters are, line 2), not Windows-1252 as the encoding option \
         says (--encoding, or `encoding` in the config file): try auto",
    );
    assert!(!wd.exists("out"));
    wd.create("in.csv", format!("{HEADER}{}", rows.replace('ä', "a")));
    wd.run_expect(&[&args[..], &["-o", "ascii"]].concat(), 0);
    let scores = wd.table("ascii/evaluations.csv").select(&["item", "score"]);
    assert_eq!(scores, [["1.4", "20"]]);
}

/// A DOS end-of-file mark on the last line is rejected saying what it is
/// (it was "the row has 1 fields, the header 5" alone).
#[test]
fn a_dos_end_of_file_mark_is_named() {
    let (wd, said) =
        validated("municipality_code,eval_year,scale,item,score\r\n0114,2012,new,1,50\r\n\u{1a}");
    assert!(said.contains("rows read 2 = 1 accepted + 1 rejected"));
    let r = wd.table("out/rejects.csv");
    let got = r.select(&["line", "rule", "message"]);
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0][0].as_str(), got[0][1].as_str()),
        ("3", "field-count")
    );
    assert!(
        got[0][2].contains("a DOS end-of-file mark (Ctrl-Z, 0x1A)"),
        "{got:?}"
    );
}

/// Rows separated by commas under a header separated by tabs: each row is
/// one field, said to be separated otherwise than the header, and names
/// no evaluation (its key columns held the whole row, uppercased, as the
/// country: "DK,741,SAMSØ,...").
#[test]
fn rows_separated_otherwise_than_the_header_are_named_so() {
    let (wd, said) = validated(
        "country\tmunicipality_code\tmunicipality\teval_year\tscale\titem\tscore\tmax\n\
         DK,741,Samsø,2005,old,1,55.5,100\n",
    );
    assert!(
        said.contains("rows read 1 = 0 accepted + 1 rejected"),
        "{said}"
    );
    let v = wd.table("out/validation.csv");
    let got = v.select(&["rule", "country", "municipality_code", "message"]);
    assert_eq!(
        got,
        [[
            "field-count",
            "",
            "",
            "the row has 1 field, the header 8; it is separated by ',' where the header is by \
             tabs: one separator for the whole file"
        ]]
    );
}

/// A note line in a `;` file (one field, no other separator to split on)
/// names no evaluation either: its key columns are empty, not the note
/// uppercased.
#[test]
fn a_note_line_names_no_evaluation() {
    let (wd, _) = validated(
        "municipality_code;eval_year;scale;item;score\n0114;2012;new;1;50\n\
         Källa: SCB, 2020\n",
    );
    let v = wd.table("out/validation.csv");
    let got = v.select(&["rule", "line", "country", "municipality_code"]);
    assert_eq!(got, [["field-count", "3", "", ""]]);
}

/// A row with a name left out has its cells shifted: its finding names
/// no evaluation rather than the year `new` (audit: `eval_year` was `new`,
/// `scale` `1` and `item` `50`). A row a field short at its end keeps its
/// keys, which line up (0115, 2012, new, item 1); so do rows whose key
/// cells are empty, cut off, misspelt or Excel's `'0125` (review: those
/// lost their keys too).
#[test]
fn a_shifted_row_names_no_evaluation() {
    let (wd, _) = validated(
        "country,municipality_code,municipality,eval_year,scale,item,score,max\n\
         SE,0114,2012,new,1,50,100\nSE,0115,Stockholm,2012,new,1,50\n\
         SE,'0125,X,2012,new,1,50\nSE,0136,Haninge,2012\nSE,0137,Y,2012,nyy,1\n\
         SE,,Z,2012,new,1,50\nSE,0138,W,new,1,50,100\n",
    );
    let v = wd.table("out/validation.csv");
    let cols = [
        "rule",
        "line",
        "municipality_code",
        "eval_year",
        "scale",
        "item",
    ];
    let got: Vec<Vec<String>> = (v.select(&cols).into_iter())
        .filter(|r| r[0] == "field-count")
        .collect();
    let want = [
        ["field-count", "2", "", "", "", ""],
        ["field-count", "3", "0115", "2012", "new", "1"],
        // With the guard's `'` before Excel's.
        ["field-count", "4", "''0125", "2012", "new", "1"],
        ["field-count", "5", "0136", "2012", "", ""],
        ["field-count", "6", "0137", "2012", "nyy", "1"],
        ["field-count", "7", "", "2012", "new", "1"],
        ["field-count", "8", "", "", "", ""],
    ];
    assert_eq!(got, want);
}

/// kompass's own `benchmarks.csv` and `role_models.csv` have an export's
/// key and score columns: given with `-i` they were read as exports (exit
/// 0, a full set of results: role models' averages shown as national
/// ones; the round-trip audit of the thirty-ninth session). Named, they
/// are refused (exit 1) as kompass's outputs, nothing written; in a
/// folder beside `evaluations.csv` they are skipped with a notice, and
/// the scores are those of `evaluations.csv` alone. So are
/// `validation.csv`, `trends.csv` and `linked_scores.csv`, with a
/// municipality's keys and items (the input audit of 2026-12-06: read as
/// broken exports, they stopped a run of a folder holding a previous
/// run's outputs, exit 1); every other output lacks an export's columns
/// and is skipped as no export. A Parquet table is named as one.
#[test]
fn kompass_s_own_outputs_are_not_read_as_exports() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        format!(
            "{HEADER}SE;0114;Upplands Väsby;2012;new;1.4;20;30\r\n\
             SE;0115;Vallentuna;2012;new;1.4;25;30\r\n"
        ),
    );
    let args = [
        "run", "-i", "in.csv", "-q", "--charts", "none", "--report", "none",
    ];
    wd.run_expect(&[&args[..], &["-o", "a"]].concat(), 0);
    wd.run_expect(
        &[&args[..], &["-o", "p", "--format", "parquet"]].concat(),
        0,
    );
    let own = [
        "benchmarks.csv",
        "role_models.csv",
        "validation.csv",
        "trends.csv",
        "linked_scores.csv",
    ];
    for name in own {
        let out = wd.run_says(
            &["validate", "-i", &format!("a/{name}"), "-o", "b"],
            1,
            &format!("the header of kompass's own {name}: an output of a run"),
        );
        assert!(!wd.exists("b"), "{}", stdout(&out));
    }
    wd.run_says(
        &["validate", "-i", "p/evaluations.parquet", "-o", "b"],
        1,
        "this is an Apache Parquet file (as `--format parquet` writes the row-level tables)",
    );
    // Every CSV output of the run beside its evaluations.csv.
    std::fs::create_dir_all(wd.file("back")).unwrap();
    let mut copied = 0;
    for e in std::fs::read_dir(wd.file("a")).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "csv") {
            std::fs::copy(e.path(), wd.file("back").join(e.file_name())).unwrap();
            copied += 1;
        }
    }
    assert_eq!(copied, 15);
    let out = wd.run_expect(&["validate", "-i", "back", "-o", "b"], 0);
    for name in own {
        assert!(stdout(&out).contains(&format!(
            "back/{name}: skipped, not an export (the header of kompass's own {name}"
        )));
    }
    assert!(
        stdout(&out).contains("rows read 2 = 2 accepted + 0 rejected"),
        "{}",
        stdout(&out)
    );
    let scores = wd
        .table("b/evaluations.csv")
        .select(&["municipality_code", "item", "score"]);
    assert_eq!(scores, [["0114", "1.4", "20"], ["0115", "1.4", "25"]]);
}

/// kompass's `evaluations.csv` read back keeps a `derived` area derived
/// only where it is its sub-questions' sum: 0114's area 1 derived from
/// 15 + 20 + 25 + 30 + 10 = 100 stays derived; edited to 90 (a hand-edited
/// table), it is the row's, published with its line as source, and the
/// `area-sum` finding names that row and its 90 (it named the
/// evaluation's first row and that row's score: the round-trip audit).
#[test]
fn a_derived_score_read_back_is_kompass_s_only_where_it_is_the_sum() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n\
         0114,2012,new,1.1,15\n0114,2012,new,1.2,20\n0114,2012,new,1.3,25\n\
         0114,2012,new,1.4,30\n0114,2012,new,1.5,10\n",
    );
    wd.run_expect(&["validate", "-i", "in.csv", "-o", "a", "-q"], 0);
    let table = String::from_utf8(wd.read("a/evaluations.csv")).unwrap();
    let derived = "0114,Upplands Väsby,2012,new,1,100,100,100,derived,";
    assert!(table.contains(derived), "{table}");
    wd.create("back.csv", &table);
    wd.run_expect(&["validate", "-i", "back.csv", "-o", "b", "-q"], 0);
    let origin = |dir: &str| {
        let rows = wd.table(&format!("{dir}/evaluations.csv")).records();
        let area = rows.into_iter().find(|r| r["item"] == "1").expect("area 1");
        (
            area["score"].clone(),
            area["origin"].clone(),
            area["source"].clone(),
        )
    };
    assert_eq!(origin("b"), ("100".into(), "derived".into(), String::new()));
    let line = table.lines().position(|l| l.contains(derived)).unwrap() + 1;
    wd.create(
        "edited.csv",
        table.replace(derived, "0114,Upplands Väsby,2012,new,1,90,100,90,derived,"),
    );
    wd.run_expect(&["validate", "-i", "edited.csv", "-o", "c", "-q"], 0);
    assert_eq!(
        origin("c"),
        ("90".into(), "published".into(), format!("1:{line}"))
    );
    let found = wd.table("c/validation.csv").records();
    let f = found
        .iter()
        .find(|r| r["rule"] == "area-sum")
        .expect("area-sum");
    assert_eq!(
        (f["line"].as_str(), f["value"].as_str()),
        (line.to_string().as_str(), "90")
    );
    // An edit in the fifth decimal is one too (it stayed derived: the
    // audit of 2026-12-06).
    let fifth = "0114,Upplands Väsby,2012,new,1,99.99995,100,99.99995,derived,";
    wd.create("fifth.csv", table.replace(derived, fifth));
    wd.run_expect(&["validate", "-i", "fifth.csv", "-o", "d", "-q"], 0);
    assert_eq!(
        origin("d"),
        ("99.99995".into(), "published".into(), format!("1:{line}"))
    );
}

/// Findings about the header and its columns stand at the file's own
/// lines (validation audit, 2026-12-02): the first value under a column
/// without a name below blank lines was put on the first blank line (line
/// 3 for 6); `empty-file` under a `sep=` line was at line 1, the `sep=`
/// line, not the header on line 3; a stray quote in a wide layout's score
/// cell named no item, where its cell's other findings name one.
#[test]
fn header_findings_and_wide_quotes_name_their_lines_and_items() {
    let wd = Workdir::new();
    wd.create(
        "blank.csv",
        "municipality_code,municipality,eval_year,scale,item,score,\n\
         0114,Upplands Väsby,2012,new,1,50,\n\n\n\n0114,Upplands Väsby,2012,new,3,50,x\n",
    );
    wd.run_expect(&["validate", "-i", "blank.csv", "-o", "o1", "-q"], 0);
    let v = wd.table("o1/validation.csv");
    assert_eq!(v.column("rule"), vec!["unknown-column"]);
    assert_eq!(v.column("line"), vec!["1"]);
    assert!(v.records()[0]["message"].contains("the first on line 6 ('x')"));
    // With CRLF line ends (Excel's), whose LF the reader leaves to the
    // next row (the review: a count of `\n` made it line 5 for 4).
    wd.create(
        "crlf.csv",
        "municipality_code,eval_year,scale,item,score,\r\n0115,2012,new,1,60,\r\n\
         0116,2012,new,1,60,\r\n0114,2012,new,1,50,x\r\n",
    );
    wd.run_expect(&["validate", "-i", "crlf.csv", "-o", "o5", "-q"], 0);
    let v = wd.table("o5/validation.csv");
    assert!(v.records()[0]["message"].contains("the first on line 4 ('x')"));
    wd.create("in/sep.csv", "sep=;\n;;;\nkommunkod;år;skala;fråga;poäng\n");
    wd.create(
        "in/a.csv",
        "kommunkod;år;skala;fråga;poäng\n0114;2012;ny;1;50\n",
    );
    wd.run_expect(&["validate", "-i", "in", "-o", "o3", "-q"], 0);
    let v = wd.table("o3/validation.csv");
    assert_eq!(v.column("rule"), vec!["empty-file"]);
    assert_eq!(v.column("line"), vec!["3"]);
    wd.create(
        "wide.csv",
        "country;municipality_code;municipality;eval_year;scale;a1;a2\n\
         SE;0115;Vallentuna;2012;new;\"5\"0;50\n",
    );
    wd.run_expect(&["validate", "-i", "wide.csv", "-o", "o4", "-q"], 0);
    let v = wd.table("o4/validation.csv").records();
    let quote = v.iter().find(|r| r["rule"] == "bad-quote").unwrap();
    assert_eq!(
        (quote["column"].as_str(), quote["item"].as_str()),
        ("a1", "1")
    );
}

/// A long export's item cells named as a wide header names its columns
/// (`Område 2`, `omr 3`, `a4`, `q1.2`, `Fråga 1.3`, `Area 6`) are those
/// items (each was an `unknown-item` reject); `5.` and `1.1.` are no
/// item's id or name, and `Område 1.1` names an area by a sub-question's
/// number: rejected, each with its cell.
#[test]
fn item_cells_named_as_columns_are_read() {
    let rows = [
        "Område 2;50",
        "omr 3;51",
        "a4;52",
        "q1.2;10",
        "Fråga 1.3;11",
        "Area 6;53",
        "5.;54",
        "1.1.;12",
        "Område 1.1;13",
    ];
    let text: String = (rows.iter())
        .map(|r| format!("SE;0114;Upplands Väsby;2012;new;{r};\r\n"))
        .collect();
    let (wd, said) = validated(&format!("{HEADER}{text}"));
    assert!(
        said.contains("rows read 9 = 6 accepted + 3 rejected"),
        "{said}"
    );
    let got = wd.table("out/evaluations.csv").select(&["item", "score"]);
    let want = [
        ["1.2", "10"],
        ["1.3", "11"],
        ["2", "50"],
        ["3", "51"],
        ["4", "52"],
        ["6", "53"],
    ];
    assert_eq!(got, strings(&want));
    let rejects = wd
        .table("out/rejects.csv")
        .select(&["line", "rule", "value"]);
    let want = [
        ["8", "unknown-item", "5."],
        ["9", "unknown-item", "1.1."],
        ["10", "unknown-item", "Område 1.1"],
    ];
    assert_eq!(rejects, strings(&want));
}
