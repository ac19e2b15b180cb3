//! kompass's own `evaluations.csv` read back beside a new export: a score
//! it derived gives way where the new export publishes the item or changes
//! one of its parts, and the figures are those a run on the original
//! exports gives, whatever order the files come in (the hostile-input
//! audit of 2026-12-02: a derived total stayed, labelled published, beside
//! a conflict in one of its areas, and a published total beside a derived
//! one was rejected as a conflict).
//!
//! The expected figures are sums by hand of the exports below: the areas
//! 68, 66, 77, 64, 57, 74, 66 and 76 add up to 548; with area 1 published
//! as 70, to 550; area 1's sub-questions 10 + 15 + 18 + 20 + 5 = 68.

use crate::workdir::{Workdir, stdout};

const WIDE: &str = "municipality_code,eval_year,scale,a1,a2,a3,a4,a5,a6,a7,a8\n\
                    0120,2012,new,68,66,77,64,57,74,66,76\n";

/// Area 1's sub-questions and the other areas, in the long layout.
const SUBS: &str = "municipality_code,eval_year,scale,item,score\n\
                    0120,2012,new,1.1,10\n0120,2012,new,1.2,15\n0120,2012,new,1.3,18\n\
                    0120,2012,new,1.4,20\n0120,2012,new,1.5,5\n0120,2012,new,2,66\n\
                    0120,2012,new,3,77\n0120,2012,new,4,64\n0120,2012,new,5,57\n\
                    0120,2012,new,6,74\n0120,2012,new,7,66\n0120,2012,new,8,76\n";

/// Each canonical score of `dir`'s `evaluations.csv`: item, score, origin.
fn scores(wd: &Workdir, dir: &str) -> Vec<[String; 3]> {
    let t = wd.table(&format!("{dir}/evaluations.csv"));
    (t.select(&["item", "score", "origin"]).into_iter())
        .map(|r| [r[0].clone(), r[1].clone(), r[2].clone()])
        .collect()
}

/// `(item, score, origin)` rows from a compact list.
fn want(rows: &[(&str, &str, &str)]) -> Vec<[String; 3]> {
    (rows.iter())
        .map(|(i, s, o)| [i.to_string(), s.to_string(), o.to_string()])
        .collect()
}

/// Areas 2 to 8 of the exports, published.
fn areas_2_to_8() -> Vec<[String; 3]> {
    let areas = [("2", "66"), ("3", "77"), ("4", "64"), ("5", "57")];
    let more = [("6", "74"), ("7", "66"), ("8", "76")];
    (areas.into_iter().chain(more))
        .flat_map(|(area, score)| want(&[(area, score, "published")]))
        .collect()
}

/// The line of `dir`'s `evaluations.csv` that holds item `item`.
fn line_of(wd: &Workdir, dir: &str, item: &str) -> String {
    let t = wd.table(&format!("{dir}/evaluations.csv"));
    let at = t.column("item").iter().position(|i| i == item);
    (at.expect("item in the table") + 2).to_string()
}

/// The `superseded` rows of `dir`'s `rejects.csv`: line and message.
fn superseded(wd: &Workdir, dir: &str) -> Vec<(String, String)> {
    let r = wd.table(&format!("{dir}/rejects.csv")).records();
    (r.into_iter())
        .filter(|r| r["rule"] == "superseded")
        .map(|r| (r["line"].clone(), r["message"].clone()))
        .collect()
}

/// `out1/evaluations.csv` read back beside `new`, in both orders (into
/// `<new>-1` and `<new>-2`): each run's scores are `expected`, its rows
/// reconcile as `rows` (`10 = 7 accepted + 3 rejected`), and its
/// `superseded` rows stand at `lines`; the messages of those of each run.
fn read_back(
    wd: &Workdir,
    new: &str,
    expected: &[[String; 3]],
    rows: &str,
    lines: &[String],
) -> Vec<Vec<String>> {
    let table = "out1/evaluations.csv";
    let runs = [([table, new], 1), ([new, table], 2)];
    (runs.into_iter())
        .map(|(inputs, n)| {
            let dir = format!("{new}-{n}");
            let said = validate(wd, &inputs, &dir);
            assert_eq!(scores(wd, &dir), expected, "{dir}");
            assert!(said.contains(&format!("rows read {rows}")), "{said}");
            let stale = superseded(wd, &dir);
            let at: Vec<&String> = stale.iter().map(|s| &s.0).collect();
            assert_eq!(at, lines.iter().collect::<Vec<_>>(), "{dir}");
            stale.into_iter().map(|s| s.1).collect()
        })
        .collect()
}

fn validate(wd: &Workdir, inputs: &[&str], out: &str) -> String {
    let mut args = vec!["validate", "-i"];
    args.extend_from_slice(inputs);
    args.extend_from_slice(&["-o", out]);
    stdout(&wd.run_expect(&args, 0))
}

/// Area 1 given again with another score: a conflict, rejected; the total
/// derived from the areas read back is no longer their sum and is dropped,
/// as a run on the two exports derives none. The read-back rows add up:
/// 9 read (8 areas and the total) and the correction's 1 = 10, of which
/// the two area-1 rows and the total's are rejected.
#[test]
fn a_derived_total_whose_area_now_conflicts_is_not_used() {
    let wd = Workdir::new();
    wd.create("w8.csv", WIDE);
    wd.create(
        "corr.csv",
        "municipality_code,eval_year,scale,a1\n0120,2012,new,70\n",
    );
    validate(&wd, &["w8.csv"], "out1");
    assert_eq!(scores(&wd, "out1").last().unwrap()[..2], ["total", "548"]);
    let expected = areas_2_to_8();
    validate(&wd, &["w8.csv", "corr.csv"], "orig");
    assert_eq!(scores(&wd, "orig"), expected);
    let total = [line_of(&wd, "out1", "total")];
    for said in read_back(
        &wd,
        "corr.csv",
        &expected,
        "10 = 7 accepted + 3 rejected",
        &total,
    ) {
        let m = &said[0];
        assert!(
            m.contains("the total of SE 0120 2012 (new) was derived by kompass (548)"),
            "{m}"
        );
        assert!(
            m.contains("area 1 is now given with conflicting scores (rejected)"),
            "{m}"
        );
    }
}

/// A total published by a new export takes the place of the one kompass
/// derived (548): 550 published, in either order, its source the new
/// export's row; the derived row is rejected, not a conflict. The same
/// figure (548) published is a `duplicate`, and the published row is the
/// one kept, in either order.
#[test]
fn a_published_total_takes_the_place_of_a_derived_one() {
    let wd = Workdir::new();
    wd.create("w8.csv", WIDE);
    validate(&wd, &["w8.csv"], "out1");
    let head = "country,municipality_code,eval_year,scale,item,score\n";
    wd.create("add550.csv", format!("{head}SE,0120,2012,new,total,550\n"));
    wd.create("add548.csv", format!("{head}SE,0120,2012,new,total,548\n"));
    validate(&wd, &["w8.csv", "add550.csv"], "orig");
    let orig = scores(&wd, "orig");
    assert_eq!(
        orig.last().unwrap(),
        &want(&[("total", "550", "published")])[0]
    );
    let total = [line_of(&wd, "out1", "total")];
    let rows = "10 = 9 accepted + 1 rejected";
    for said in read_back(&wd, "add550.csv", &orig, rows, &total) {
        assert!(
            said[0].contains("an export publishes it (550 at add550.csv:2)"),
            "{said:?}"
        );
    }
    let mut same = orig.clone();
    same.last_mut().unwrap()[1] = "548".into();
    read_back(
        &wd,
        "add548.csv",
        &same,
        "10 = 10 accepted + 0 rejected",
        &[],
    );
    // The source: the new export's row (input 2, then 1), and no conflict.
    for (dir, file, rule) in [
        ("add550.csv-1", "2", "superseded"),
        ("add550.csv-2", "1", "superseded"),
        ("add548.csv-1", "2", "duplicate"),
        ("add548.csv-2", "1", "duplicate"),
    ] {
        let t = wd.table(&format!("{dir}/evaluations.csv")).records();
        assert_eq!(t.last().unwrap()["source"], format!("{file}:2"), "{dir}");
        let v = wd.table(&format!("{dir}/validation.csv"));
        assert_eq!(v.column("rule"), [rule], "{dir}");
    }
}

/// Area 1 derived from its sub-questions (68) and the total from the
/// areas (548), read back beside an export that publishes area 1 as 70:
/// area 1 is 70, published, and the total is derived again from the areas
/// as they are now, 550, as a run on the two exports gives; both derived
/// rows read back are rejected, each saying why. Rows: 5 sub-questions, 8
/// areas and the total read back, and the new export's 1.
#[test]
fn a_derived_total_is_derived_again_when_an_area_is_published() {
    let wd = Workdir::new();
    wd.create("subs.csv", SUBS);
    wd.create(
        "area.csv",
        "municipality_code,eval_year,scale,item,score\n0120,2012,new,1,70\n",
    );
    validate(&wd, &["subs.csv"], "out1");
    let first = scores(&wd, "out1");
    assert!(
        first.contains(&want(&[("1", "68", "derived")])[0]),
        "{first:?}"
    );
    assert!(first.contains(&want(&[("total", "548", "derived")])[0]));
    validate(&wd, &["subs.csv", "area.csv"], "orig");
    let orig = scores(&wd, "orig");
    assert!(
        orig.contains(&want(&[("1", "70", "published")])[0]),
        "{orig:?}"
    );
    assert!(orig.contains(&want(&[("total", "550", "derived")])[0]));
    let lines = [line_of(&wd, "out1", "1"), line_of(&wd, "out1", "total")];
    let rows = "15 = 13 accepted + 2 rejected";
    for said in read_back(&wd, "area.csv", &orig, rows, &lines) {
        let area = "area 1 of SE 0120 2012 (new) was derived by kompass (68)";
        assert!(said[0].contains(area), "{said:?}");
        let total = "area 1 has another score now, and its areas add up to 550";
        assert!(said[1].contains(total), "{said:?}");
    }
}

/// A sub-question given again with another score: a conflict, rejected;
/// area 1, derived from the sub-questions, can no longer be derived, and
/// neither can the total from the areas: both derived rows read back are
/// rejected, and what is left is what a run on the two exports gives.
#[test]
fn a_conflict_in_a_sub_question_takes_its_area_and_the_total_with_it() {
    let wd = Workdir::new();
    wd.create("subs.csv", SUBS);
    wd.create(
        "q.csv",
        "municipality_code,eval_year,scale,item,score\n0120,2012,new,1.1,12\n",
    );
    validate(&wd, &["subs.csv"], "out1");
    let mut expected = want(&[("1.2", "15", "published"), ("1.3", "18", "published")]);
    expected.extend(want(&[
        ("1.4", "20", "published"),
        ("1.5", "5", "published"),
    ]));
    expected.extend(areas_2_to_8());
    validate(&wd, &["subs.csv", "q.csv"], "orig");
    assert_eq!(scores(&wd, "orig"), expected);
    let lines = [line_of(&wd, "out1", "1"), line_of(&wd, "out1", "total")];
    let rows = "15 = 11 accepted + 4 rejected";
    for said in read_back(&wd, "q.csv", &expected, rows, &lines) {
        let area = "item 1.1 is now given with conflicting scores (rejected)";
        assert!(said[0].contains(area), "{said:?}");
        assert!(said[1].contains("area 1 has no score now"), "{said:?}");
    }
}

/// Area 1 published in the place of the derived one, and area 2 given
/// again with another score: the derived total is no longer the sum of
/// its areas because area 2 has no score now, and the message names area
/// 2 (the validation audit of 2026-12-04: it named area 1, which has one,
/// the first part that changed). 14 rows read back and 2 new; rejected
/// the derived area 1, both area 2 rows and the total.
#[test]
fn a_derived_total_names_the_area_it_lacks() {
    let wd = Workdir::new();
    wd.create("subs.csv", SUBS);
    wd.create(
        "new.csv",
        "municipality_code,eval_year,scale,item,score\n0120,2012,new,1,70\n0120,2012,new,2,60\n",
    );
    validate(&wd, &["subs.csv"], "out1");
    let subs = [("1.1", "10"), ("1.2", "15"), ("1.3", "18"), ("1.4", "20")];
    let mut expected: Vec<[String; 3]> =
        ([("1", "70")].into_iter().chain(subs).chain([("1.5", "5")]))
            .flat_map(|(item, score)| want(&[(item, score, "published")]))
            .collect();
    expected.extend(areas_2_to_8().into_iter().skip(1));
    validate(&wd, &["subs.csv", "new.csv"], "orig");
    assert_eq!(scores(&wd, "orig"), expected);
    let lines = [line_of(&wd, "out1", "1"), line_of(&wd, "out1", "total")];
    let rows = "16 = 12 accepted + 4 rejected";
    for said in read_back(&wd, "new.csv", &expected, rows, &lines) {
        let area = "area 2 is now given with conflicting scores (rejected), so it is no longer";
        assert!(said[1].contains(area), "{said:?}");
    }
}

/// A score with more decimals than the table keeps (6), or within the
/// noise kompass lets pass (`79.5000004` on the old scale, written
/// `79.5`), read back beside the export it came from: the same score, a
/// `duplicate`, as a run on the export alone gives it (the validation
/// audit of 2026-12-04: a conflict, both rows rejected, the score lost).
#[test]
fn a_score_the_table_rounded_is_the_same_score_read_back() {
    let wd = Workdir::new();
    wd.create(
        "x.csv",
        "municipality_code,eval_year,scale,item,score\n\
         0120,2012,new,2,10.3333333\n0120,2008,old,2,79.5000004\n",
    );
    validate(&wd, &["x.csv"], "out1");
    let expected = scores(&wd, "out1");
    assert_eq!(expected.len(), 2);
    assert_eq!([&expected[0][1], &expected[1][1]], ["79.5", "10.333333"]);
    read_back(&wd, "x.csv", &expected, "4 = 4 accepted + 0 rejected", &[]);
    let rules: Vec<String> = wd.table("x.csv-1/validation.csv").column("rule");
    assert_eq!(
        rules.iter().filter(|r| *r == "duplicate").count(),
        2,
        "{rules:?}"
    );
}

/// The shipped sample's `evaluations.csv` read back beside the exports it
/// came from, in either order: every derived score stands (none is
/// `superseded`) and the figures are those of the run on the exports
/// alone, byte for byte (the old scale's links and the 2020 scale
/// included).
#[test]
fn the_sample_read_back_beside_its_exports_gives_the_same_figures() {
    let wd = Workdir::new();
    let root = env!("CARGO_MANIFEST_DIR");
    let exports = ["se-excel", "no-wide", "dk-long"].map(|d| format!("{root}/data/sample/{d}"));
    let published = format!("{root}/data/published/evaluations.csv");
    let run = |inputs: &[&str], out: &str| {
        let mut args = vec!["run", "-o", out, "-q", "--bootstrap", "50"];
        args.extend(["--charts", "none", "--report", "none", "-i"]);
        args.extend(inputs);
        wd.run_expect(&args, 0);
    };
    let mut inputs: Vec<&str> = exports.iter().map(String::as_str).collect();
    inputs.push(&published);
    run(&inputs, "first");
    let table = wd.file("first/evaluations.csv");
    let table = table.to_str().expect("a path in UTF-8");
    let mut after = inputs.clone();
    after.push(table);
    let mut before = vec![table];
    before.extend(&inputs);
    for (inputs, out) in [(after, "after"), (before, "before")] {
        run(&inputs, out);
        assert_eq!(superseded(&wd, out), [], "{out}");
        for f in [
            "averages",
            "trends",
            "trend_summary",
            "benchmarks",
            "linking",
        ] {
            let (a, b) = (format!("first/{f}.csv"), format!("{out}/{f}.csv"));
            assert!(wd.read(&a) == wd.read(&b), "{out}: {f}.csv differs");
        }
    }
}
