//! From a new user's trial with files made by hand from the seed report
//! (Östersund 2011): score columns named as the report's tables name them,
//! Excel's trailing empty columns, a Windows-1252 file behind a UTF-8 BOM,
//! published averages with Swedish column names, and the messages that
//! name their columns as the user's file does.

use crate::workdir::{Workdir, assert_stderr_has, stderr};

/// The seed's Table 1 header ("1. Offentlighet och demokrati" ...
/// "TOTALT", with the report's own spellings: "perso- nalpolitik" as the
/// PDF breaks it, "Kommun som samhällsbyggare") and its rows: Östersund
/// 2010 on the new scale (68 66 77 64 57 74 66 76, 547) and the old one
/// (79 79,5 81 77 73 67 70 88, 614,5).
const TABLE_1: &str = "Kommunkod;Kommun;År;Skala;1. Offentlighet och demokrati;\
2. Tillgänglighet och brukarorientering;3. Politisk styrning och kontroll;\
4. Ledarskap, ansvar och delegation;5. Resultat och effektivitet;\
6. Kommunen som arbetsgivare perso- nalpolitik;7. Verksamhetsutveckling;\
8. Kommun som samhällsbyggare;TOTALT\n\
2380;Östersund;2010;ny;68;66;77;64;57;74;66;76;547\n\
2380;Östersund;2010;äldre;79;79,5;81;77;73;67;70;88;614,5\n";

/// (scale, item, score) of every row of `evaluations.csv` in `dir`.
fn scores(wd: &Workdir, dir: &str) -> Vec<(String, String, String)> {
    let t = wd.table(&format!("{dir}/evaluations.csv"));
    (t.select(&["scale", "item", "score"]).into_iter())
        .map(|r| (r[0].clone(), r[1].clone(), r[2].clone()))
        .collect()
}

/// Every area and the total of both scales are read: they had been 8
/// `unknown-column` warnings and the totals alone, exit 0.
#[test]
fn columns_named_as_the_report_s_table_1_are_read() {
    let wd = Workdir::new();
    wd.create("t1.csv", TABLE_1);
    wd.run_expect(&["validate", "-i", "t1.csv", "-o", "out", "-q"], 0);
    let got = scores(&wd, "out");
    let new = ["68", "66", "77", "64", "57", "74", "66", "76", "547"];
    let old = ["79", "79.5", "81", "77", "73", "67", "70", "88", "614.5"];
    let items = ["1", "2", "3", "4", "5", "6", "7", "8", "total"];
    let mut want: Vec<(String, String, String)> = Vec::new();
    for (scale, values) in [("new", new), ("old", old)] {
        for (item, v) in items.iter().zip(values) {
            want.push((scale.into(), item.to_string(), v.into()));
        }
    }
    let (mut got, mut want) = (got, want);
    got.sort();
    want.sort();
    assert_eq!(got, want);
    let findings = wd.table("out/validation.csv").column("rule");
    assert!(
        !findings.contains(&"unknown-column".to_string()),
        "{findings:?}"
    );
}

/// `Delfråga 1.2` and a bare `1.3` are sub-questions; a title that is not
/// the item's name is not read, and its warning says how to name it; a
/// note in brackets is just not read.
#[test]
fn sub_questions_by_number_and_titles_that_are_not_the_item_s() {
    let wd = Workdir::new();
    wd.create(
        "a.csv",
        "kommunkod;år;skala;Område 1;Fråga 1,1;Delfråga 1.2;1.3;\
         3. Offentlighet och demokrati;Område 1 (kommentar)\n\
         2380;2010;ny;68;11;16;15;5;bra\n",
    );
    wd.run_expect(&["validate", "-i", "a.csv", "-o", "out", "-q"], 0);
    let items: Vec<String> = scores(&wd, "out").into_iter().map(|s| s.1).collect();
    assert_eq!(items, ["1", "1.1", "1.2", "1.3"]);
    let messages = wd.table("out/validation.csv").column("message");
    assert_eq!(
        messages,
        [
            "column '3. Offentlighet och demokrati' is not read: it begins with item 3's \
             number, but 'Offentlighet och demokrati' is not that item's name in any \
             instrument; if it holds item 3's scores, name it 'Område 3'",
            "column 'Område 1 (kommentar)' is not read",
        ]
    );
}

/// Excel writes empty columns after a table (`;;` at the end of every
/// line): no finding, and `--strict` passes; a column with no name that
/// holds values is one finding, named by its place, with its first line
/// and its count of rows (a pandas index, a nameless first column, is a
/// value on every row: one finding, not one per row).
#[test]
fn trailing_empty_columns_are_no_finding_and_a_value_under_one_is() {
    let wd = Workdir::new();
    let header = "kommunkod;kommun;år;skala;fråga;poäng;;\n";
    wd.create(
        "in/a.csv",
        format!("{header}2380;Östersund;2010;ny;1;68;;\n2380;Östersund;2010;ny;2;66;;\n"),
    );
    let out = wd.run(&["validate", "-i", "in", "-o", "out", "--strict", "-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(wd.table("out/validation.csv").records().len(), 0);
    wd.create(
        "in/a.csv",
        format!(
            "{header}2380;Östersund;2010;ny;1;68;;\n2380;Östersund;2010;ny;2;66;;x\n\
             2380;Östersund;2010;ny;3;77;;y\n"
        ),
    );
    wd.run_expect(&["validate", "-i", "in", "-o", "out2", "-q"], 0);
    let t = wd.table("out2/validation.csv");
    let rows = t.select(&["rule", "line", "column", "value", "message"]);
    assert_eq!(
        rows,
        [[
            "unknown-column",
            "1",
            "(8)",
            "x",
            "column 8 has no name in the header, and 2 row(s) hold a value in it, the first on \
             line 3 ('x'): not read"
        ]]
    );
    assert_eq!(scores(&wd, "out2").len(), 3, "every score read");
}

/// A tool that put a UTF-8 BOM before Windows-1252 text: `auto` says to
/// read it as Windows-1252, and `--encoding windows-1252` does (it had
/// refused, pointing back at `auto`); a real UTF-8 file with a BOM is
/// still refused as Windows-1252.
#[test]
fn windows_1252_behind_a_bom() {
    let wd = Workdir::new();
    let text = "kommunkod;kommun;år;skala;fråga;poäng\n2380;Östersund;2010;ny;1;68\n";
    let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(&cp1252);
    wd.create("a.csv", &bytes);
    wd.run_says(
        &["validate", "-i", "a.csv", "-o", "out", "-q"],
        1,
        "a.csv: line 1: byte 0xE5 (Windows-1252 'å') is not UTF-8, though the file starts \
         with a UTF-8 BOM: its letters look like Windows-1252 behind the mark; read it with \
         --encoding windows-1252",
    );
    let as_1252 = |file, out| {
        [
            "validate",
            "-i",
            file,
            "-o",
            out,
            "-q",
            "--encoding",
            "windows-1252",
        ]
    };
    wd.run_expect(&as_1252("a.csv", "out"), 0);
    let t = wd.table("out/evaluations.csv");
    assert_eq!(t.select(&["municipality", "score"]), [["Östersund", "68"]]);
    assert_eq!(
        wd.table("out/inputs.csv").column("encoding"),
        ["windows-1252"]
    );
    let mut utf8 = b"\xEF\xBB\xBF".to_vec();
    utf8.extend_from_slice(text.as_bytes());
    wd.create("b.csv", &utf8);
    let out = wd.run_expect(&as_1252("b.csv", "out2"), 1);
    assert_stderr_has(&out, "its letters are UTF-8, not Windows-1252");
}

/// Published averages with Swedish column names, as an SKR analyst types
/// them; the seed's "Medel kommuner" for area 1 is 49, Östersund's own 68
/// is the only evaluation: a difference of +19, in the column `Medel` (as
/// the file writes it).
#[test]
fn published_averages_with_swedish_column_names() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "kommunkod;kommun;år;skala;fråga;poäng\n2380;Östersund;2010;ny;1;68\n",
    );
    wd.create(
        "pub.csv",
        "Källa;Publiceringsår;Land;Skala;Underlag;Fråga;Medel;Antal\n\
         Östersund 2011;2011;SE;ny;;1;49;\n",
    );
    let args = [
        "run",
        "-i",
        "in.csv",
        "-o",
        "out",
        "--published",
        "pub.csv",
        "-q",
    ];
    // The published-difference findings: column, value and message.
    let differences = || -> Vec<Vec<String>> {
        (wd.table("out/validation.csv")
            .select(&["rule", "column", "value", "message"])
            .into_iter())
        .filter(|r| r[0] == "published-difference")
        .map(|r| r[1..].to_vec())
        .collect()
    };
    wd.run_expect(&args, 0);
    let rows = differences();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!((rows[0][0].as_str(), rows[0][1].as_str()), ("Medel", "49"));
    assert!(rows[0][2].ends_with("difference +19.00"), "{}", rows[0][2]);
    // A published mean a hair above ours (68.003): the difference rounds
    // to nothing, +0.00, not -0.00 (from the published-figures audit of
    // 2026-12-01).
    wd.create(
        "pub.csv",
        "Källa;Publiceringsår;Land;Skala;Underlag;Fråga;Medel;Antal\n\
         x;2011;SE;ny;;1;68,003;\n",
    );
    wd.run_expect(&[&args[..], &["--force"]].concat(), 0);
    let rows = differences();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(
        rows[0][2].ends_with(
            "ours is 68.00 (n = 1, latest per municipality up to 2011): difference +0.00"
        ),
        "{}",
        rows[0][2]
    );
    // A mean that is not a number is named by the file's column.
    wd.create(
        "pub.csv",
        "källa;publiceringsår;land;skala;fråga;medel\nx;2011;SE;ny;1;4x9\n",
    );
    wd.run_says(&args, 2, "line 2, column medel: '4x9' is not a number");
}

/// A duplicate in a wide file names the file's column (`omr1`), not
/// `item`; a long row whose score is a missing-value mark says so.
#[test]
fn findings_name_the_file_s_own_columns_and_marks() {
    let wd = Workdir::new();
    wd.create(
        "w.csv",
        "kommunkod;år;skala;omr1;omr2\n2380;2010;ny;68;66\n2380;2010;ny;68;\n",
    );
    wd.run_expect(&["validate", "-i", "w.csv", "-o", "out", "-q"], 0);
    let t = wd.table("out/validation.csv");
    assert_eq!(
        t.select(&["rule", "line", "column", "value"]),
        [["duplicate", "3", "omr1", "1"]]
    );
    wd.create(
        "l.csv",
        "kommunkod;år;skala;fråga;poäng\n2380;2010;ny;1;68\n2380;2010;ny;2;-\n",
    );
    wd.run_expect(&["validate", "-i", "l.csv", "-o", "out2", "-q"], 0);
    let t = wd.table("out2/rejects.csv");
    assert_eq!(
        t.select(&["line", "column", "message"]),
        [[
            "3",
            "poäng",
            "score '-' is a mark for a missing score, not a number: a row of the long layout \
             without its score has nothing to read (leave the row out)"
        ]]
    );
}

/// What is not an item's column stays unread (from the review of the
/// first version, which read these): a version `1.10` or a date `31.12`
/// (no instrument has such a sub-question), a range `3-4`, a title with a
/// word added (`... max`) or a percent (`(%)`); each is an
/// `unknown-column` warning, the row's scores are read.
#[test]
fn numbers_and_titles_that_are_not_an_item_s_scores_stay_unread() {
    let wd = Workdir::new();
    wd.create(
        "a.csv",
        "kommunkod;år;skala;omr1;1.10;31.12;3-4;\
         6. Kommunen som arbetsgivare - personalpolitik max;\
         1. Offentlighet och demokrati (%)\n2380;2010;ny;68;2;5;7;100;68\n",
    );
    wd.run_expect(&["validate", "-i", "a.csv", "-o", "out", "-q"], 0);
    assert_eq!(
        scores(&wd, "out"),
        [("new".into(), "1".into(), "68".into())]
    );
    let t = wd.table("out/validation.csv");
    let columns: Vec<Vec<String>> = t.select(&["rule", "column"]);
    let want: Vec<[&str; 2]> = [
        "1.10",
        "31.12",
        "3-4",
        "6. Kommunen som arbetsgivare - personalpolitik max",
        "1. Offentlighet och demokrati (%)",
    ]
    .map(|c| ["unknown-column", c])
    .to_vec();
    assert_eq!(columns, want);
    // In a long file such a column is no reason to call it wide; one that
    // is an item's number is, and the message names it.
    wd.create(
        "l.csv",
        "kommunkod;år;skala;fråga;poäng;1.10\n2380;2010;ny;1;68;x\n",
    );
    wd.run_expect(&["validate", "-i", "l.csv", "-o", "out2", "-q"], 0);
    wd.create(
        "m.csv",
        "kommunkod;år;skala;fråga;poäng;1.3\n2380;2010;ny;1;68;5\n",
    );
    wd.run_says(
        &["validate", "-i", "m.csv", "-o", "out3", "-q"],
        1,
        "mixes the long layout (item, score) with the wide layout (a1-a8, total; here: 1.3)",
    );
}

/// A title that names its item on another scale than the row's: the 2020
/// scale's area 4 is "Effektivitet", the 2010 scale's area 4 "Ledarskap,
/// ansvar och delegation". Over a 2010 row the cell is not read as
/// Ledarskap (the row is rejected, naming the column); over a 2020 row it
/// is area 4.
#[test]
fn a_title_of_another_scale_s_item_is_not_read_as_this_scale_s() {
    let wd = Workdir::new();
    wd.create(
        "a.csv",
        "kommunkod;år;skala;omr1;4. Effektivitet\n2380;2010;ny;68;55\n2380;2021;2020;60;55\n",
    );
    wd.run_expect(&["validate", "-i", "a.csv", "-o", "out", "-q"], 0);
    assert_eq!(
        scores(&wd, "out"),
        [
            ("2020".into(), "1".into(), "60".into()),
            ("2020".into(), "4".into(), "55".into())
        ]
    );
    let t = wd.table("out/rejects.csv");
    assert_eq!(
        t.select(&["line", "rule", "column", "message"]),
        [[
            "2",
            "unknown-item",
            "4. Effektivitet",
            "column '4. Effektivitet' names item 4 of scale(s) 2020, not of the row's scale new"
        ]]
    );
}

/// kompass's own `evaluations.csv` read back as an input gives the same
/// figures (from the reruns audit: its derived scores came back as
/// published, a total the first run refused to derive was derived, and
/// `percent`, `origin` and `source` were unknown columns). 0114 gives its
/// areas, no total (derived: 8 × 50 = 400); 0115 its areas and two
/// different totals (a conflict: both rejected, none derived); 0117 its
/// areas and a total of 480; 9999, not in the register, is named
/// `+Ny kommun`, which evaluations.csv writes `'+Ny kommun` (it came back
/// as `''+Ny kommun`). 0120 gives area 1's sub-questions (area 1 derived:
/// 50), areas 2-8 and a total 6 off their sum, within rounding for 12
/// figures and the total's (0.5 x 13 = 6.5): read back, the derived area
/// counted as one figure (4.5), and the total warned.
#[test]
fn evaluations_csv_read_back_gives_the_same_figures() {
    let wd = Workdir::new();
    let mut text = String::from("municipality_code,eval_year,scale,item,score,municipality\n");
    for (code, area) in [("0114", 50), ("0115", 55), ("0117", 60)] {
        for a in 1..=8 {
            text += &format!("{code},2012,new,{a},{area},\n");
        }
    }
    text += "0115,2012,new,total,440,\n0115,2012,new,total,441,\n0117,2012,new,total,480,\n";
    for item in ["1.1", "1.2", "1.3", "1.4", "1.5"] {
        text += &format!("0120,2012,new,{item},10,\n");
    }
    for a in 2..=8 {
        text += &format!("0120,2012,new,{a},50,\n");
    }
    text += "0120,2012,new,total,406,\n";
    // A municipality not in the register is named as its rows name it,
    // behind the formula guard: read back, the guard is taken off again.
    text += "9999,2012,new,1,40,+Ny kommun\n";
    wd.create("in.csv", &text);
    let run = |input: &str, out: &str| {
        let args = [
            "run", "-i", input, "-o", out, "-q", "--charts", "none", "--report", "none",
        ];
        wd.run_expect(&args, 0);
    };
    run("in.csv", "first");
    std::fs::copy(wd.file("first/evaluations.csv"), wd.file("back.csv")).expect("copy");
    run("back.csv", "second");
    let columns = [
        "municipality_code",
        "municipality",
        "item",
        "score",
        "origin",
    ];
    let first = wd.table("first/evaluations.csv").select(&columns);
    let totals: Vec<[&str; 3]> = (first.iter())
        .filter(|r| r[2] == "total")
        .map(|r| [r[0].as_str(), r[3].as_str(), r[4].as_str()])
        .collect();
    assert_eq!(
        totals,
        [
            ["0114", "400", "derived"],
            ["0117", "480", "published"],
            ["0120", "406", "published"]
        ]
    );
    assert_eq!(first.last().map(|r| r[1].as_str()), Some("'+Ny kommun"));
    assert_eq!(wd.table("second/evaluations.csv").select(&columns), first);
    assert_eq!(
        wd.read("second/averages.csv"),
        wd.read("first/averages.csv")
    );
    // The same finding about 9999, not in the register (the first run's
    // conflict is in its input, not in the table).
    let findings = |dir: &str| -> Vec<Vec<String>> {
        let t = wd.table(&format!("{dir}/validation.csv"));
        (t.select(&["rule", "message"]).into_iter())
            .filter(|r| r[0] != "conflict")
            .collect()
    };
    assert_eq!(findings("second"), findings("first"));
    assert_eq!(findings("second")[0][0], "unknown-municipality");
    // A derived area edited by hand (0120's area 1, 50 -> 80) is still
    // checked against its sub-questions: 80 against 50, 30 off.
    let text = String::from_utf8(wd.read("back.csv")).unwrap();
    let edited: Vec<String> = (text.lines())
        .map(
            |l| match l.starts_with("SE,0120,") && l.contains(",new,1,50,100,50,derived,") {
                true => l.replace(",new,1,50,100,50,", ",new,1,80,100,80,"),
                false => l.to_string(),
            },
        )
        .collect();
    assert_ne!(edited.join("\n") + "\n", text, "the derived area's row");
    wd.create("back.csv", edited.join("\n") + "\n");
    run("back.csv", "third");
    let third = findings("third");
    assert!(
        third
            .iter()
            .any(|r| r[0] == "area-sum" && r[1].contains("80")),
        "{third:?}"
    );
}
