//! One test per validation rule: a small inline export, and the rule code and
//! line that must come out in rejects.csv (errors) or validation.csv.

use crate::workdir::{Workdir, stdout};

const LONG: &str = "country,municipality_code,municipality,eval_year,scale,item,score,max\n";

/// Runs `validate` on `body` (after `header`) and returns the workdir.
fn validate(header: &str, body: &str) -> Workdir {
    let wd = Workdir::new();
    wd.create("in.csv", format!("{header}{body}"));
    wd.run_expect(&["validate", "-i", "in.csv", "-o", "out"], 0);
    wd
}

/// (rule, line, column, value) of every rejected row.
fn rejects(wd: &Workdir) -> Vec<(String, String, String, String)> {
    wd.table("out/rejects.csv")
        .records()
        .into_iter()
        .map(|r| {
            (
                r["rule"].clone(),
                r["line"].clone(),
                r["column"].clone(),
                r["value"].clone(),
            )
        })
        .collect()
}

/// (severity, rule, line) of every finding.
fn findings(wd: &Workdir) -> Vec<(String, String, String)> {
    wd.table("out/validation.csv")
        .records()
        .into_iter()
        .map(|r| (r["severity"].clone(), r["rule"].clone(), r["line"].clone()))
        .collect()
}

fn s(v: &[&str]) -> (String, String, String, String) {
    (v[0].into(), v[1].into(), v[2].into(), v[3].into())
}

fn f(sev: &str, rule: &str, line: &str) -> (String, String, String) {
    (sev.into(), rule.into(), line.into())
}

/// Asserts that exactly the row at `line` is rejected for `rule`, and that
/// the good row (line 2) survives.
fn assert_rejected(body: &str, rule: &str, line: &str, column: &str, value: &str) {
    let wd = validate(LONG, body);
    assert_eq!(rejects(&wd), vec![s(&[rule, line, column, value])]);
    assert!(findings(&wd).contains(&f("error", rule, line)));
    let ev = wd.table("out/evaluations.csv");
    assert!(
        ev.column("source").contains(&"1:2".to_string()),
        "good row kept"
    );
}

const GOOD: &str = "SE,0114,Upplands Väsby,2012,new,1,55,100\n";

#[test]
fn field_count() {
    // The first column without a field is named.
    assert_rejected(
        &format!("{GOOD}SE,0114,Upplands Väsby,2012,new,2,55\n"),
        "field-count",
        "3",
        "max",
        "",
    );
}

#[test]
fn missing_field() {
    assert_rejected(
        &format!("{GOOD}SE,,Upplands Väsby,2012,new,2,55,100\n"),
        "missing-field",
        "3",
        "municipality_code",
        "",
    );
    // An empty country where the file has the column: not Sweden by
    // default (1860 is Vestvågøy in Norway, Laxå in Sweden).
    assert_rejected(
        &format!("{GOOD},1860,Vestvågøy,2012,new,2,55,100\n"),
        "missing-field",
        "3",
        "country",
        "",
    );
}

#[test]
fn missing_score() {
    assert_rejected(
        &format!("{GOOD}SE,0114,Upplands Väsby,2012,new,2,,100\n"),
        "missing-field",
        "3",
        "score",
        "",
    );
}

#[test]
fn unknown_country() {
    assert_rejected(
        &format!("{GOOD}FI,0114,Upplands Väsby,2012,new,2,55,100\n"),
        "unknown-country",
        "3",
        "country",
        "FI",
    );
}

#[test]
fn bad_code() {
    // Excel dropped the leading zero.
    assert_rejected(
        &format!("{GOOD}SE,114,Upplands Väsby,2012,new,2,55,100\n"),
        "bad-code",
        "3",
        "municipality_code",
        "114",
    );
    assert_rejected(
        &format!("{GOOD}SE,01A4,Upplands Väsby,2012,new,2,55,100\n"),
        "bad-code",
        "3",
        "municipality_code",
        "01A4",
    );
}

#[test]
fn bad_year() {
    assert_rejected(
        &format!("{GOOD}SE,0114,Upplands Väsby,12,new,2,55,100\n"),
        "bad-year",
        "3",
        "eval_year",
        "12",
    );
    // Four digits, but not a year: it would have been written back as `0`.
    assert_rejected(
        &format!("{GOOD}SE,0114,Upplands Väsby,0000,new,2,55,100\n"),
        "bad-year",
        "3",
        "eval_year",
        "0000",
    );
}

#[test]
fn unknown_scale() {
    assert_rejected(
        &format!("{GOOD}SE,0114,Upplands Väsby,2012,newest,2,55,100\n"),
        "unknown-scale",
        "3",
        "scale",
        "newest",
    );
}

#[test]
fn unknown_item() {
    assert_rejected(
        &format!("{GOOD}SE,0114,Upplands Väsby,2012,new,9,55,100\n"),
        "unknown-item",
        "3",
        "item",
        "9",
    );
    // The old scale has no sub-questions.
    assert_rejected(
        &format!("{GOOD}SE,0114,Upplands Väsby,2008,old,1.1,5,15\n"),
        "unknown-item",
        "3",
        "item",
        "1.1",
    );
}

#[test]
fn bad_number() {
    assert_rejected(
        &format!("{GOOD}SE,0114,Upplands Väsby,2012,new,2,5x,100\n"),
        "bad-number",
        "3",
        "score",
        "5x",
    );
}

/// A mark for a missing score in a wide row is not published, like an
/// empty cell: the row's other scores are read, with a warning; in a long
/// row it leaves the row without a score (`bad-number`); a cell that is no
/// score at all still rejects the wide row.
#[test]
fn not_published() {
    let wide = "municipality_code,eval_year,scale,a1,a2,a3,q1.1\n";
    let wd = validate(wide, "0114,2012,new,50,–,..,n/a\n0115,2012,new,40,7x,30,\n");
    assert_eq!(rejects(&wd), vec![s(&["bad-number", "3", "a2", "7x"])]);
    let marks: Vec<_> = (wd.table("out/validation.csv").records().into_iter())
        .filter(|r| r["rule"] == "not-published")
        .map(|r| (r["line"].clone(), r["column"].clone(), r["value"].clone()))
        .collect();
    assert_eq!(
        marks,
        [
            ("2".into(), "a2".into(), "–".into()),
            ("2".into(), "a3".into(), "..".into()),
            ("2".into(), "q1.1".into(), "n/a".into())
        ]
    );
    // The message is text, not a cell the formula guard must mark.
    let v = wd.table("out/validation.csv").records();
    let message = &v.iter().find(|r| r["rule"] == "not-published").unwrap()["message"];
    assert!(
        message.starts_with("a mark for a missing score ('–')"),
        "{message}"
    );
    let ev = wd.table("out/evaluations.csv").records();
    let got: Vec<_> = (ev.iter())
        .map(|r| {
            (
                r["municipality_code"].as_str(),
                r["item"].as_str(),
                r["score"].as_str(),
            )
        })
        .collect();
    assert_eq!(got, [("0114", "1", "50")]);
    assert_rejected(
        &format!("{GOOD}SE,0114,Upplands Väsby,2012,new,2,–,100\n"),
        "bad-number",
        "3",
        "score",
        "–",
    );
}

#[test]
fn negative_score() {
    assert_rejected(
        &format!("{GOOD}SE,0114,Upplands Väsby,2012,new,2,-1,100\n"),
        "negative-score",
        "3",
        "score",
        "-1",
    );
}

#[test]
fn above_max() {
    // 1.1 has max 15 in the seed's catalogue.
    assert_rejected(
        &format!("{GOOD}SE,0114,Upplands Väsby,2012,new,1.1,16,15\n"),
        "above-max",
        "3",
        "score",
        "16",
    );
}

#[test]
fn max_mismatch() {
    assert_rejected(
        &format!("{GOOD}SE,0114,Upplands Väsby,2012,new,1.1,10,20\n"),
        "max-mismatch",
        "3",
        "max",
        "20",
    );
}

#[test]
fn conflict_rejects_both_rows() {
    let body = format!(
        "{GOOD}SE,0114,Upplands Väsby,2012,new,2,60,100\nSE,0114,Upplands Väsby,2012,new,2,61,100\n"
    );
    let wd = validate(LONG, &body);
    let r = rejects(&wd);
    assert_eq!(
        r,
        vec![
            s(&["conflict", "3", "score", "60"]),
            s(&["conflict", "4", "score", "61"])
        ]
    );
    let raw = wd.table("out/rejects.csv").column("raw");
    assert_eq!(raw[0], "SE,0114,Upplands Väsby,2012,new,2,60,100");
    let items = wd.table("out/evaluations.csv").column("item");
    assert_eq!(items, vec!["1"], "area 2 is gone, area 1 stays");
    // In a wide export the column is the item's.
    let wd = validate(
        "municipality_code,eval_year,scale,a1\n",
        "0114,2012,new,50\n0114,2012,new,51\n",
    );
    assert_eq!(
        rejects(&wd),
        vec![
            s(&["conflict", "2", "a1", "50"]),
            s(&["conflict", "3", "a1", "51"])
        ]
    );
}

#[test]
fn duplicate_is_kept_once() {
    let body = format!("{GOOD}{GOOD}");
    let wd = validate(LONG, &body);
    assert!(rejects(&wd).is_empty());
    assert_eq!(findings(&wd), vec![f("warning", "duplicate", "3")]);
    assert_eq!(wd.table("out/evaluations.csv").rows.len(), 1);
    assert!(
        stdout(&wd.run(&["validate", "-i", "in.csv", "-o", "out2"]))
            .contains("rows read 2 = 2 accepted + 0 rejected")
    );
}

/// The warnings of `rule` when `given` replaces the `{}` in `body`.
fn sum_warnings(header: &str, body: &str, given: &str, rule: &str) -> usize {
    let wd = validate(header, &body.replace("{}", given));
    findings(&wd).iter().filter(|x| x.1 == rule).count()
}

#[test]
fn area_sum() {
    // 1.1-1.5 add up to 10+10+10+10+10 = 50. Rounding allows half a point
    // for each of the 5 sub-questions and for the area: 0.5 x (5 + 1) = 3,
    // so 47 and 53 pass and anything further off warns.
    let body = "SE,0114,,2012,new,1,{},100\nSE,0114,,2012,new,1.1,10,15\nSE,0114,,2012,new,1.2,10,20\nSE,0114,,2012,new,1.3,10,25\nSE,0114,,2012,new,1.4,10,30\nSE,0114,,2012,new,1.5,10,10\n";
    for (given, warnings) in [("53", 0), ("53.01", 1), ("47", 0), ("46.99", 1), ("56", 1)] {
        assert_eq!(
            sum_warnings(LONG, body, given, "area-sum"),
            warnings,
            "area 1 = {given}"
        );
    }
    let wd = validate(LONG, &body.replace("{}", "56"));
    assert_eq!(findings(&wd), vec![f("warning", "area-sum", "2")]);
}

#[test]
fn total_sum() {
    let wide = "municipality_code,eval_year,scale,a1,a2,a3,a4,a5,a6,a7,a8,total\n";
    // Areas add up to 400; 8 areas and the total: 0.5 x (8 + 1) = 4.5.
    let body = "0114,2012,new,50,50,50,50,50,50,50,50,{}\n";
    for (given, warnings) in [("404.5", 0), ("404.51", 1), ("395.5", 0), ("395.49", 1)] {
        assert_eq!(
            sum_warnings(wide, body, given, "total-sum"),
            warnings,
            "total = {given}"
        );
    }
    let wd = validate(
        wide,
        "0114,2012,new,50,50,50,50,50,50,50,50,405\n0115,2012,new,50,50,50,50,50,50,50,50,404\n",
    );
    assert_eq!(findings(&wd), vec![f("warning", "total-sum", "2")]);
}

#[test]
fn unknown_municipality() {
    let wd = validate(LONG, "SE,0199,,2012,new,1,55,100\n");
    assert_eq!(
        findings(&wd),
        vec![f("warning", "unknown-municipality", "2")]
    );
    assert_eq!(wd.table("out/evaluations.csv").rows.len(), 1, "kept");
}

#[test]
fn name_mismatch() {
    let wd = validate(
        LONG,
        "SE,0114,Vallentuna,2012,new,1,55,100\nSE,0115,Vallentuna kommun,2012,new,1,55,100\n",
    );
    assert_eq!(findings(&wd), vec![f("warning", "name-mismatch", "2")]);
}

/// Every name an evaluation's rows give is checked where it stands, not
/// only the first: 0114's rows 3 and 5 give other names (each reported
/// once, at its first line: row 6 repeats row 5's); 0115's first row gives
/// none and its second a wrong one (line 8, not 0115's first line 7).
#[test]
fn name_mismatch_on_any_row_at_its_line() {
    let wd = validate(
        LONG,
        "SE,0114,Upplands Väsby,2012,new,1,55,100
         SE,0114,Stockholm,2012,new,2,55,100
         SE,0114,Upplands Väsby,2012,new,3,55,100
         SE,0114,Solna,2012,new,4,55,100
         SE,0114,Solna,2012,new,5,55,100
         SE,0115,,2012,new,1,55,100
         SE,0115,Stockholm,2012,new,2,55,100
",
    );
    let mismatches: Vec<(String, String)> = wd
        .table("out/validation.csv")
        .records()
        .into_iter()
        .filter(|r| r["rule"] == "name-mismatch")
        .map(|r| (r["line"].clone(), r["value"].clone()))
        .collect();
    let want = [("3", "Stockholm"), ("5", "Solna"), ("8", "Stockholm")];
    assert_eq!(
        mismatches,
        want.map(|(l, v)| (l.to_string(), v.to_string()))
    );
}

#[test]
fn year_range() {
    let wd = validate(
        LONG,
        "SE,0114,,2001,new,1,55,100\nSE,0114,,2999,new,1,55,100\nSE,0114,,2002,old,1,55,100\n\
         SE,0115,,2008,2020,1,55,100\nSE,0115,,2019,2020,1,55,100\n\
         SE,0117,,2005,new,1,55,100\nSE,0117,,2009,new,1,55,100\n",
    );
    // Before its scale: 2008 on the 2020 scale, 2005 on the 2010 scale;
    // the year before (a pilot) passes.
    let lines = ["2", "3", "5", "7"];
    assert_eq!(findings(&wd), lines.map(|l| f("warning", "year-range", l)));
}

#[test]
fn unknown_column() {
    let wd = validate(
        "municipality_code,eval_year,scale,item,score,comment\n",
        "0114,2012,new,1,55,fine\n",
    );
    assert_eq!(findings(&wd), vec![f("warning", "unknown-column", "1")]);
}

#[test]
fn strict_turns_findings_into_exit_3() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        format!("{LONG}{GOOD}SE,0114,,2012,new,2,500,100\n"),
    );
    wd.run_expect(&["validate", "-i", "in.csv", "-o", "out", "--strict"], 3);
    assert_eq!(
        wd.table("out/rejects.csv").rows.len(),
        1,
        "outputs still written"
    );
    wd.create("ok.csv", format!("{LONG}{GOOD}"));
    wd.run_expect(&["validate", "-i", "ok.csv", "-o", "out", "--strict"], 0);
}

/// A finding about a row of an export without a country column names the
/// country the row is read as (Sweden), not an empty one.
#[test]
fn findings_name_the_default_country() {
    let wd = validate(
        "municipality_code,eval_year,scale,item,score\n",
        "0114,20x2,new,1,55\n",
    );
    let v = wd.table("out/validation.csv").records();
    assert_eq!(
        (v[0]["rule"].as_str(), v[0]["country"].as_str()),
        ("bad-year", "SE")
    );
}

/// Lines without data (only separators, as Excel writes under a table, or
/// spaces) are not rows: not counted, not findings; line numbers count
/// them (the row after them is line 5).
#[test]
fn separator_only_lines_are_not_rows() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "land;kommunkod;år;skala;fråga;poäng\nSE;0114;2012;ny;1;50\n;;;;;\n   \nSE;0114;2012;ny;2;x\n",
    );
    let out = wd.run_expect(&["validate", "-i", "in.csv", "-o", "out"], 0);
    assert!(
        stdout(&out).contains("rows read 2 = 1 accepted + 1 rejected"),
        "{}",
        stdout(&out)
    );
    assert_eq!(findings(&wd), vec![f("error", "bad-number", "5")]);
}
