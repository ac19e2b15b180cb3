//! `validation.csv` names an evaluation one way: a row's error (read from
//! the row as written) and a finding about the evaluation as a whole both
//! give the country in capitals and the scale and item by their ids.

use crate::workdir::Workdir;

#[test]
fn row_errors_name_the_evaluation_as_other_findings_do() {
    let wd = Workdir::new();
    // A Swedish export in lower case, `Ny` and `1,1`: sub-question 1.1 at
    // 16 is above its maximum 15 (an error on line 2), and area 1's 60 is
    // not the sum of its sub-questions (a warning about the evaluation).
    // Line 8's scale is unknown: written as given.
    wd.create(
        "f.csv",
        b"land;kommunkod;\xe5r;skala;fr\xe5ga;po\xe4ng\r\n\
          se;0114;2012;Ny;1,1;16\r\nse;0114;2012;Ny;1,1;15\r\n\
          se;0114;2012;Ny;1,2;5\r\nse;0114;2012;Ny;1,3;5\r\n\
          se;0114;2012;Ny;1,4;5\r\nse;0114;2012;Ny;1,5;5\r\n\
          se;0114;2012;Ny;1;60\r\nse;0114;2012;xx;1,1;5\r\n",
    );
    wd.run_expect(&["validate", "-i", "f.csv", "-o", "out", "-q"], 0);
    let keys = wd.table("out/validation.csv").select(&[
        "rule",
        "line",
        "country",
        "municipality_code",
        "scale",
        "item",
        "value",
    ]);
    assert_eq!(
        keys,
        [
            ["above-max", "2", "SE", "0114", "new", "1.1", "16"],
            ["area-sum", "8", "SE", "0114", "new", "1", "60"],
            ["unknown-scale", "9", "SE", "0114", "xx", "1,1", "xx"],
        ]
    );
}

/// An input named by its absolute path inside the working folder (as a
/// config file given by its absolute path names its inputs) is one path in
/// `inputs.csv`, `rejects.csv` and `validation.csv`, which join on it.
#[test]
fn the_three_tables_name_an_input_alike() {
    let wd = Workdir::new();
    let path = wd.create(
        "f.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,new,1,50\n0114,2012,new,2,x\n",
    );
    let abs = path.to_str().unwrap();
    wd.run_expect(&["validate", "-i", abs, "-o", "out", "-q"], 0);
    let inputs = wd.table("out/inputs.csv").column("path");
    let rejects = wd.table("out/rejects.csv").column("file");
    let found = wd.table("out/validation.csv").column("file");
    assert_eq!(inputs, ["f.csv"]);
    assert_eq!((rejects, found), (inputs.clone(), inputs));
}

/// The messages that name another row (a conflict's scores, the row a
/// duplicate repeats) give its file as `inputs.csv` does: named as `./d`
/// or by its whole path, the folder gives the same `rejects.csv` and
/// `validation.csv` (the path as typed made them differ, though a rerun
/// with the other spelling was up to date).
#[test]
fn messages_name_other_rows_files_as_inputs_csv_does() {
    let wd = Workdir::new();
    let path = wd.create(
        "d/f.csv",
        "municipality_code,eval_year,scale,item,score
0114,2012,new,1,50
0114,2012,new,1,51
         0114,2012,new,2,40
0114,2012,new,2,40
",
    );
    let dir = path.parent().unwrap().to_str().unwrap().to_string();
    for (spelling, out) in [("./d", "dot"), (dir.as_str(), "abs")] {
        wd.run_expect(&["validate", "-i", spelling, "-o", out, "-q"], 0);
    }
    let messages = wd.table("dot/validation.csv").column("message");
    assert_eq!(
        messages,
        [
            "item 1 of SE 0114 2012 (new) is given with different scores: 50 at d/f.csv:2; 51 at d/f.csv:3",
            "item 1 of SE 0114 2012 (new) is given with different scores: 50 at d/f.csv:2; 51 at d/f.csv:3",
            "repeats SE 0114 2012 (new) item(s) 2 with the same score(s) as d/f.csv:4; kept once",
        ]
    );
    for f in ["validation.csv", "rejects.csv"] {
        assert!(
            wd.read(&format!("dot/{f}")) == wd.read(&format!("abs/{f}")),
            "{f}"
        );
    }
}

/// A key column filled down a whole export puts every row in one
/// conflict: each row's message lists the first 7 scores and how many
/// rows more, with their range (it listed every other row, and the
/// findings grew with the square of the rows: 6,000 rows gave 1.5 GB).
/// Every row is still rejected, the counts reconciled.
#[test]
fn a_conflict_of_many_rows_lists_a_few_and_counts_the_rest() {
    let wd = Workdir::new();
    let rows = 300;
    let scores: Vec<u32> = (0..rows).map(|i| (i * 37) % 101).collect();
    let body: String = (scores.iter())
        .map(|s| format!("0114,2012,new,1,{s}\n"))
        .collect();
    wd.create(
        "f.csv",
        format!("municipality_code,eval_year,scale,item,score\n{body}"),
    );
    wd.run_expect(&["validate", "-i", "f.csv", "-o", "out", "-q"], 0);
    let first: Vec<String> = (scores.iter().take(7).enumerate())
        .map(|(i, s)| format!("{s} at f.csv:{}", i + 2))
        .collect();
    let rest = &scores[7..];
    let (lo, hi) = (rest.iter().min().unwrap(), rest.iter().max().unwrap());
    let expected = format!(
        "item 1 of SE 0114 2012 (new) is given with different scores: {}; and {} rows more ({lo} to {hi})",
        first.join("; "),
        rows - 7
    );
    let messages = wd.table("out/validation.csv").column("message");
    assert_eq!(messages.len(), rows as usize);
    assert!(messages.iter().all(|m| *m == expected), "{}", messages[0]);
    let rejects = wd.table("out/rejects.csv");
    assert_eq!(rejects.rows.len(), rows as usize);
    let inputs = &wd.table("out/inputs.csv").records()[0];
    assert_eq!(
        (
            inputs["rows_read"].as_str(),
            inputs["rows_rejected"].as_str()
        ),
        ("300", "300")
    );
}

/// A number longer than kompass reads says its start and length, not
/// "is not a number" (a 61-digit score).
#[test]
fn a_long_number_says_its_length() {
    let wd = Workdir::new();
    let long = format!("1{}", "0".repeat(60));
    wd.create(
        "w.csv",
        format!("municipality_code,eval_year,scale,a1,total\n0115,2012,new,50,{long}\n"),
    );
    wd.run_expect(&["validate", "-i", "w.csv", "-o", "out", "-q"], 0);
    let v = wd.table("out/validation.csv").records();
    let bad = crate::workdir::row(&v, &[("rule", "bad-number")]);
    assert_eq!(
        bad["message"],
        "score '10000000000000000000…' has 61 characters: kompass reads numbers of at most 40"
    );
}

/// A sum that disagrees with its parts names the score's column as the
/// header does and gives the score as written (`614,5` in a Swedish
/// export, read again from its row), as every other finding does; it gave
/// no column and the number read (`614.5`), and called a total "total
/// total".
#[test]
fn a_sum_finding_names_its_column_and_its_score_as_written() {
    let wd = Workdir::new();
    // Östersund 2010 on the old scale: the seed's total, 614,5, against
    // areas of 50 each (400).
    wd.create(
        "w.csv",
        "kommunkod;år;skala;omr1;omr2;omr3;omr4;omr5;omr6;omr7;omr8;totalt\n\
         2380;2010;äldre;50;50;50;50;50;50;50;50;614,5\n",
    );
    // Area 1 of the new scale given as 79,5 against its sub-questions'
    // 5 × 5 = 25.
    wd.create(
        "l.csv",
        "kommunkod;år;skala;fråga;poäng\n0114;2012;ny;1.1;5\n0114;2012;ny;1.2;5\n\
         0114;2012;ny;1.3;5\n0114;2012;ny;1.4;5\n0114;2012;ny;1.5;5\n0114;2012;ny;1;79,5\n",
    );
    wd.run_expect(
        &["validate", "-i", "w.csv", "-i", "l.csv", "-o", "out", "-q"],
        0,
    );
    // Rounding allows half a point per published figure: 0,5 × (8 areas +
    // the total) = 4,5 and 0,5 × (5 sub-questions + the area) = 3.
    let v = wd.table("out/validation.csv");
    let sums: Vec<Vec<String>> = (v.select(&["file", "rule", "column", "value", "message"]))
        .into_iter()
        .filter(|r| r[1].ends_with("-sum"))
        .collect();
    assert_eq!(
        sums,
        [
            [
                "w.csv",
                "total-sum",
                "totalt",
                "614,5",
                "the total is 614.5 but its 8 areas add up to 400 (difference 214.5; rounding allows 4.5)"
            ],
            [
                "l.csv",
                "area-sum",
                "poäng",
                "79,5",
                "area 1 is 79.5 but its 5 sub-questions add up to 25 (difference 54.5; rounding allows 3)"
            ],
        ]
    );
}

/// Findings about an evaluation as a whole name the column as the header
/// of their file does (`år`, `kommunkod`, `kommun`), as row findings do;
/// they gave the standard names (`eval_year`, ...) whatever the header.
#[test]
fn an_evaluation_s_findings_name_the_header_s_columns() {
    let wd = Workdir::new();
    wd.create(
        "sv.csv",
        "land;kommunkod;kommun;år;skala;fråga;poäng\n\
         SE;0114;Upplands Väsby;2030;ny;2;10\n\
         SE;9999;X;2012;ny;1;5\n\
         SE;0115;Upplands Väsby;2012;ny;1;5\n",
    );
    wd.create(
        "en.csv",
        "country,code,name,year,scale,item,score\nSE,0117,Österåker,2031,new,1,5\n",
    );
    wd.run_expect(
        &[
            "validate", "-i", "sv.csv", "-i", "en.csv", "-o", "out", "-q",
        ],
        0,
    );
    let got = (wd.table("out/validation.csv")).select(&["file", "rule", "column", "value"]);
    assert_eq!(
        got,
        [
            ["sv.csv", "year-range", "år", "2030"],
            ["sv.csv", "unknown-municipality", "kommunkod", "9999"],
            ["sv.csv", "name-mismatch", "kommun", "Upplands Väsby"],
            ["en.csv", "year-range", "year", "2031"],
        ]
    );
}

/// A municipality the register has not, whose rows name it three ways
/// ("Nyby kommun" and "Nyby" in 2011, "Nyby kommun" and "Alby" in 2013,
/// each evaluation's rows split between two files): every output shows
/// the first name in byte order, "Alby", whichever file is read first, and
/// each evaluation's warning says so (the determinism audit of 2026-12-06:
/// the name read first was shown, so the order of the files or of the rows
/// changed `benchmarks.csv`, the report and the charts; the review's:
/// the frame took its earliest evaluation's).
#[test]
fn an_unregistered_municipality_is_named_alike_in_any_order() {
    let wd = Workdir::new();
    let head = "country,municipality_code,municipality,eval_year,scale,item,score\n";
    let rows = |year: u32, name: &str, areas: std::ops::RangeInclusive<u32>| -> String {
        let own = areas
            .clone()
            .map(|a| format!("SE,9999,{name},{year},new,{a},{}\n", 50 + a));
        let other = areas.map(|a| format!("SE,0114,,{year},new,{a},60\n"));
        own.chain(other).collect()
    };
    for (file, y2011, y2013) in [
        (
            "a.csv",
            rows(2011, "Nyby kommun", 1..=4),
            rows(2013, "Alby", 5..=8),
        ),
        (
            "b.csv",
            rows(2011, "Nyby", 5..=8),
            rows(2013, "Nyby kommun", 1..=4),
        ),
    ] {
        wd.create(file, format!("{head}{y2011}{y2013}"));
    }
    let says = |names: &str| {
        format!(
            "SE municipality code 9999 is not in the register; its rows name it {names}: the \
             outputs show 'Alby', the first in byte order of the names given it in any evaluation"
        )
    };
    for (out, files) in [("ab", ["a.csv", "b.csv"]), ("ba", ["b.csv", "a.csv"])] {
        let args = [
            "run", "-i", files[0], files[1], "-o", out, "--charts", "none", "-q",
        ];
        wd.run_expect(&args, 0);
        let table = |f: &str| wd.table(&format!("{out}/{f}"));
        let names = table("evaluations.csv").select(&["municipality_code", "municipality"]);
        let nyby: Vec<&Vec<String>> = names.iter().filter(|r| r[0] == "9999").collect();
        assert_eq!(nyby.len(), 18, "{out}: 8 areas and the total, twice");
        assert!(nyby.iter().all(|r| r[1] == "Alby"), "{out}: {nyby:?}");
        let bench = table("benchmarks.csv").select(&["municipality_code", "municipality"]);
        assert!(
            bench
                .iter()
                .filter(|r| r[0] == "9999")
                .all(|r| r[1] == "Alby"),
            "{out}"
        );
        let index =
            String::from_utf8_lossy(&wd.read(&format!("{out}/report/index.html"))).into_owned();
        assert!(index.contains(">Alby<") && !index.contains("Nyby"), "{out}");
        let warnings: Vec<String> = (table("validation.csv").records().iter())
            .filter(|r| r["rule"] == "unknown-municipality")
            .map(|r| r["message"].clone())
            .collect();
        assert_eq!(
            warnings,
            [says("'Nyby', 'Nyby kommun'"), says("'Alby', 'Nyby kommun'")],
            "{out}"
        );
    }
    let same = |f: &str| wd.read(&format!("ab/{f}")) == wd.read(&format!("ba/{f}"));
    assert!(same("benchmarks.csv") && same("averages.csv") && same("report/SE_9999.html"));
}
