//! Input handling: layouts, dialects, partial evaluations, derived scores,
//! reconciliation, and structural failures with their exit codes.

use crate::workdir::{Workdir, assert_stderr_has, stderr, stdout, strings, words};

#[test]
fn mixed_good_and_bad_rows_reconcile() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code;eval_year;scale;item;score\n\
         0114;2012;new;1;55\n\
         0114;2012;new;2;5x\n\
         0114;2012;new;3;60,5\n\
         0114;2012;new;4;101\n\
         0115;2013;old;1;70,5\n\
         0115;2013;old;1.1;7\n\
         0115;2013;old;total;500\n",
    );
    let out = wd.run_expect(&["validate", "-i", "in.csv", "-o", "out"], 0);
    assert!(
        stdout(&out).contains("rows read 7 = 4 accepted + 3 rejected"),
        "{}",
        stdout(&out)
    );
    let rejected: Vec<String> = wd.table("out/rejects.csv").column("line");
    assert_eq!(rejected, vec!["3", "5", "7"]);
    let t = wd.table("out/evaluations.csv");
    let got: Vec<(String, String, String)> = t
        .records()
        .into_iter()
        .map(|r| {
            (
                r["municipality_code"].clone(),
                r["item"].clone(),
                r["score"].clone(),
            )
        })
        .collect();
    let want = [
        ("0114", "1", "55"),
        ("0114", "3", "60.5"),
        ("0115", "1", "70.5"),
        ("0115", "total", "500"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn totals_and_areas_are_derived_only_from_complete_parts() {
    let wd = Workdir::new();
    // 0114: all 8 areas, no total -> total 8 x 50 + 3 = 403 derived.
    // 0115: all sub-questions of area 7 (12+22+11+11+11 = 67), area absent -> derived;
    //       only 2 of 5 sub-questions of area 1 -> no area 1.
    // 0117: total only (a partial evaluation): nothing derived.
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,a1,a2,a3,a4,a5,a6,a7,a8,total,q7.1,q7.2,q7.3,q7.4,q7.5,q1.1,q1.2\n\
         0114,2012,new,50,50,50,50,50,50,50,53,,,,,,,,\n\
         0115,2012,new,,,,,,,,,,12,22,11,11,11,5,6\n\
         0117,2012,new,,,,,,,,,470,,,,,,,\n",
    );
    wd.run_expect(&["validate", "-i", "in.csv", "-o", "out"], 0);
    let rec = wd.table("out/evaluations.csv").records();
    let find = |code: &str, item: &str| {
        rec.iter()
            .find(|r| r["municipality_code"] == code && r["item"] == item)
            .map(|r| (r["score"].clone(), r["origin"].clone(), r["source"].clone()))
    };
    assert_eq!(
        find("0114", "total"),
        Some(("403".into(), "derived".into(), "".into()))
    );
    assert_eq!(
        find("0114", "8"),
        Some(("53".into(), "published".into(), "1:2".into()))
    );
    assert_eq!(
        find("0115", "7"),
        Some(("67".into(), "derived".into(), "".into()))
    );
    assert_eq!(find("0115", "1"), None);
    assert_eq!(find("0115", "total"), None);
    assert_eq!(
        find("0117", "total"),
        Some(("470".into(), "published".into(), "1:4".into()))
    );
    assert_eq!(
        rec.iter()
            .filter(|r| r["municipality_code"] == "0117")
            .count(),
        1
    );
    assert!(wd.table("out/validation.csv").rows.is_empty());
}

#[test]
fn swedish_headers_tabs_bom_crlf_quotes() {
    let wd = Workdir::new();
    let text = "\u{feff} Land \tKommunkod\tKommun\tÅr\tSkala\tFråga\tPoäng\r\n\
                no\t0301\t\"Oslo\"\t2014\täldre\t1\t\"41,5\"\r\n\
                DK\t101\tKøbenhavn\t2015\tNY\t2\t44\r\n";
    wd.create("exports/in.tsv", text);
    let out = wd.run_expect(&["validate", "-i", "exports", "-o", "out"], 0);
    assert!(
        stdout(&out).contains("UTF-8 with BOM, tabs;"),
        "{}",
        stdout(&out)
    );
    let rec = wd.table("out/evaluations.csv").records();
    assert_eq!(rec.len(), 2);
    assert_eq!(
        (
            rec[0]["country"].as_str(),
            rec[0]["municipality_code"].as_str(),
            rec[0]["score"].as_str()
        ),
        ("DK", "101", "44")
    );
    assert_eq!(
        (
            rec[1]["country"].as_str(),
            rec[1]["municipality"].as_str(),
            rec[1]["score"].as_str()
        ),
        ("NO", "Oslo - Oslove", "41.5")
    );
    assert!(wd.table("out/validation.csv").rows.is_empty());
}

#[test]
fn structural_failures_have_clear_messages_and_exit_codes() {
    let wd = Workdir::new();
    wd.create("noheader.csv", "a,b,c\n1,2,3\n");
    let out = wd.run_expect(&["validate", "-i", "noheader.csv", "-o", "out"], 1);
    assert_stderr_has(&out, "noheader.csv: no recognisable header");
    // A first line of a lone quote: its names are empty, and said to be
    // (the message ended "found: " and nothing).
    wd.create("quote.csv", "\"");
    let out = wd.run_expect(&["validate", "-i", "quote.csv", "-o", "out"], 1);
    assert_stderr_has(
        &out,
        "found: only empty names (a line of a lone quote or separators?)",
    );

    wd.create("empty.csv", "");
    let out = wd.run_expect(&["validate", "-i", "empty.csv", "-o", "out"], 1);
    assert_stderr_has(&out, "empty.csv: empty file");

    wd.create(
        "latin.csv",
        b"kommunkod;\xe5r;skala;fr\xe5ga;po\xe4ng\n0114;2012;ny;1;55\n".as_slice(),
    );
    let out = wd.run_expect(&words("validate -i latin.csv -o out --encoding utf-8"), 1);
    assert_stderr_has(
        &out,
        "latin.csv: line 1: byte 0xE5 (Windows-1252 'å') is not UTF-8 as the encoding option \
         says (--encoding, or `encoding` in the config file): try windows-1252",
    );
    // Sniffed, the same file reads as Windows-1252.
    wd.run_expect(&["validate", "-i", "latin.csv", "-o", "out"], 0);

    let out = wd.run_expect(&["validate", "-i", "missing.csv", "-o", "out"], 2);
    assert!(stderr(&out).contains("missing.csv: no such file or folder"));
    wd.run_expect(&["validate", "-o", "out"], 2);
    let out = wd.run_expect(
        &["validate", "-i", "latin.csv", "--decimal", "sometimes"],
        2,
    );
    assert_stderr_has(&out, "--decimal");
    assert!(!stderr(&out).contains("panicked"));
}

#[test]
fn a_byte_order_mark_a_blank_first_line_and_a_broken_header_in_a_folder() {
    let wd = Workdir::new();
    // A UTF-8 file with a BOM, read as Windows-1252 on request: the mark
    // would have become part of `country`'s name, that column gone unread
    // and the Norwegian row filed as Swedish.
    wd.create(
        "bom.csv",
        b"\xef\xbb\xbfcountry,municipality_code,eval_year,scale,item,score\nNO,1860,2010,new,1,68\n"
            .as_slice(),
    );
    let out = wd.run_expect(
        &words("validate -i bom.csv -o o1 --encoding windows-1252"),
        1,
    );
    assert_stderr_has(&out, "bom.csv: starts with a UTF-8 byte order mark");
    wd.run_expect(&["validate", "-i", "bom.csv", "-o", "o1", "-q"], 0);
    let rows = wd.table("o1/evaluations.csv").records();
    assert_eq!(
        (rows[0]["country"].as_str(), rows[0]["score"].as_str()),
        ("NO", "68")
    );

    a_blank_first_line(&wd);
    a_broken_header_in_a_folder(&wd);
}

/// Empty lines before a semicolon header, in an input folder in `wd`: the
/// separator sniffed on the header line, the header's line reported.
fn a_blank_first_line(wd: &Workdir) {
    // Empty lines before a semicolon header: the separator is sniffed on
    // the header line, and the scores are read as given.
    wd.create(
        "blank/in.csv",
        b"\n\r\nland;kommunkod;\xe5r;skala;fr\xe5ga;po\xe4ng;extra\n\
          SE;0114;2010;ny;1;50,5;x\n"
            .as_slice(),
    );
    wd.run_expect(&["validate", "-i", "blank", "-o", "o2", "-q"], 0);
    let rows = wd.table("o2/evaluations.csv").records();
    let got: Vec<(&str, &str)> = (rows.iter())
        .map(|r| (r["item"].as_str(), r["score"].as_str()))
        .collect();
    assert!(got.contains(&("1", "50.5")), "{got:?}");
    // The unread column is reported on the header's own line.
    let v = wd.table("o2/validation.csv").records();
    let unknown = v.iter().find(|r| r["rule"] == "unknown-column").unwrap();
    assert_eq!(unknown["line"], "3");
}

/// In an input folder in `wd`: files that are not exports skipped, an
/// export with a broken header ending the run (exit 1), naming it.
fn a_broken_header_in_a_folder(wd: &Workdir) {
    // In an input folder, a file that is not an export is skipped, but an
    // export with a broken header (a column twice, a key column missing)
    // ends the run: its rows would otherwise vanish from every count.
    wd.create("dir/notes.csv", "a,b\n1,2\n");
    // Published averages have `scale` and `item`, but means: not an export.
    wd.create(
        "dir/published.csv",
        "source,published_year,country,scale,basis,item,mean,n\nSKL,2011,SE,new,latest,1,60,10\n",
    );
    wd.create(
        "dir/good.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2010,new,1,50\n",
    );
    wd.run_expect(&["validate", "-i", "dir", "-o", "o3", "-q"], 0);
    for (name, header, says) in [
        (
            "twice.csv",
            "municipality_code,eval_year,scale,item,score,score",
            "mean the same thing",
        ),
        (
            "nokey.csv",
            "municipality_code,eval_year,item,score",
            "lacks column(s) scale",
        ),
    ] {
        wd.create(
            &format!("dir/{name}"),
            format!("{header}\n0115,2010,new,1,50,50\n"),
        );
        let out = wd.run_expect(&["validate", "-i", "dir", "-o", "o3", "-q"], 1);
        assert!(
            stderr(&out).contains(name) && stderr(&out).contains(says),
            "{}",
            stderr(&out)
        );
        std::fs::remove_file(wd.file(&format!("dir/{name}"))).unwrap();
    }
}

#[test]
fn an_excel_separator_line_names_the_separator() {
    let wd = Workdir::new();
    // Excel's `sep=;` first line, then a header whose names hold commas:
    // sniffed, the header would split on ','. In an input folder the file
    // was skipped as "not an export", its rows in no count.
    wd.create(
        "dir/in.csv",
        b"sep=;\r\nkommunkod;\xe5r;skala;fr\xe5ga;po\xe4ng;\"a,b,c\"\r\n\
          0114;2010;ny;1,1;11,5;x\r\n0114;2010;ny;1,2;x;y\r\n"
            .as_slice(),
    );
    wd.run_expect(&["validate", "-i", "dir", "-o", "o", "-q"], 0);
    let rows = wd.table("o/evaluations.csv").records();
    let got: Vec<(&str, &str, &str)> = (rows.iter())
        .map(|r| {
            (
                r["item"].as_str(),
                r["score"].as_str(),
                r["source"].as_str(),
            )
        })
        .collect();
    assert_eq!(got, [("1.1", "11.5", "1:3")]);
    // Findings name the file's own lines: the header on 2, the bad row on 4.
    let v = wd.table("o/validation.csv").records();
    let line_of = |rule: &str| {
        let r = v.iter().find(|r| r["rule"] == rule);
        r.map(|r| r["line"].clone()).unwrap_or_default()
    };
    assert_eq!(
        (line_of("unknown-column"), line_of("bad-number")),
        ("2".into(), "4".into())
    );
    // A separator line that does not fit the header is named as what set
    // the separator (not the option, which was not given); one with no
    // header after it is not called empty.
    wd.create(
        "lie.csv",
        "sep=,\nkommunkod;år;skala;fråga;poäng\n0114;2010;ny;1;50\n",
    );
    let out = wd.run_expect(&["validate", "-i", "lie.csv", "-o", "o3"], 1);
    assert_stderr_has(&out, "not ',' as its separator line 'sep=,' says");
    wd.create("only.csv", "sep=;\r\n");
    let out = wd.run_expect(&["validate", "-i", "only.csv", "-o", "o3"], 1);
    assert!(stderr(&out).contains("only.csv: no header row after its separator line 'sep=;'"));
    // A separator kompass does not read is named.
    wd.create("pipe.csv", "sep=|\nkommunkod|år\n");
    let out = wd.run_expect(&["validate", "-i", "pipe.csv", "-o", "o2"], 1);
    assert_stderr_has(&out, "pipe.csv: line 1: 'sep=|' names the separator '|'");
}

#[test]
fn outputs_are_byte_identical_across_runs() {
    let wd = Workdir::new();
    wd.copy_fixture("ostersund_wide.csv");
    wd.create(
        "bad.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,new,1,500\n0114,2012,new,1,50\n",
    );
    for out in ["a", "b"] {
        wd.run_expect(
            &["validate", "-i", "ostersund_wide.csv", "bad.csv", "-o", out],
            0,
        );
    }
    for f in ["evaluations.csv", "rejects.csv", "validation.csv"] {
        assert_eq!(
            wd.read(&format!("a/{f}")),
            wd.read(&format!("b/{f}")),
            "{f}"
        );
    }
}

/// `source` in evaluations.csv is a file id and a line; the files are
/// listed once in inputs.csv (paths relative to the working folder), with
/// rows read = used + rejected per file.
#[test]
fn source_is_a_file_id_listed_in_inputs_csv() {
    let wd = Workdir::new();
    wd.create(
        "exports/a.csv",
        "country,municipality_code,eval_year,scale,item,score\n\
         SE,0114,2012,new,1,60\nSE,0114,2012,new,2,x\n",
    );
    wd.create(
        "exports/b.csv",
        "country;municipality_code;eval_year;scale;item;score\n\
         SE;0115;2013;new;1;55\nSE;0115;2013;new;2;45\n",
    );
    wd.run_expect(&["validate", "-i", "exports", "-o", "out", "-q"], 0);
    let inputs = wd.table("out/inputs.csv");
    assert_eq!(
        inputs.header,
        [
            "file_id",
            "path",
            "layout",
            "encoding",
            "delimiter",
            "rows_read",
            "rows_used",
            "rows_rejected",
            "cells_rejected",
            "country_read_as"
        ]
    );
    assert_eq!(
        inputs.rows,
        [
            [
                "1",
                "exports/a.csv",
                "long",
                "UTF-8",
                "comma",
                "2",
                "1",
                "1",
                "0",
                ""
            ],
            [
                "2",
                "exports/b.csv",
                "long",
                "UTF-8",
                "semicolon",
                "2",
                "2",
                "0",
                "0",
                ""
            ]
        ]
    );
    let ev = wd.table("out/evaluations.csv");
    let got: Vec<(String, String, String)> = ev
        .records()
        .into_iter()
        .map(|r| {
            (
                r["municipality_code"].clone(),
                r["item"].clone(),
                r["source"].clone(),
            )
        })
        .collect();
    // Line numbers count the header as line 1.
    let want = [
        ("0114", "1", "1:2"),
        ("0115", "1", "2:2"),
        ("0115", "2", "2:3"),
    ];
    assert_eq!(
        got,
        want.map(|(c, i, s)| (c.to_string(), i.to_string(), s.to_string()))
    );
}

/// A scale named with a word for "scale" after it, as the seed report
/// writes them ("ny poängskala", "gamla poängskalan") and exports do
/// (`Ny skala`, `2010 års skala`, `Old scale`): that version (each row
/// was rejected as `unknown-scale`). A word for scale alone is no scale.
#[test]
fn a_scale_named_with_a_word_for_scale_is_read() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "kommunkod;år;skala;fråga;poäng\n\
         0114;2012;Ny skala;1;50\n0115;2012;2010 års skala;1;51\n\
         0117;2008;gamla poängskalan;1;52\n0120;2008;Old scale;1;53\n\
         0123;2021;2020 års skala;1;54\n0125;2012;skala;1;55\n",
    );
    let out = wd.run_expect(&words("validate in.csv -o out"), 0);
    assert!(
        stdout(&out).contains("rows read 6 = 5 accepted + 1 rejected"),
        "{}",
        stdout(&out)
    );
    let got = wd
        .table("out/evaluations.csv")
        .select(&["municipality_code", "scale", "score"]);
    let want = [
        ["0114", "new", "50"],
        ["0115", "new", "51"],
        ["0117", "old", "52"],
        ["0120", "old", "53"],
        ["0123", "2020", "54"],
    ];
    assert_eq!(got, strings(&want));
    let rejects = wd
        .table("out/rejects.csv")
        .select(&["line", "rule", "value"]);
    assert_eq!(rejects, [["7", "unknown-scale", "skala"]]);
}
