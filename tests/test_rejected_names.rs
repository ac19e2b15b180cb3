//! A row rejected once every row is read (a `conflict`) gives its
//! evaluation no name: its name is not checked against the register nor
//! shown (the mutation audit of the seventy-sixth session: a rejected
//! row's name was a `name-mismatch`, and shown for a municipality the
//! register has not). Its code from before a reform is still reported:
//! the conflict names today's code (`test_former_codes`).

use crate::workdir::Workdir;

const HEAD: &str = "country,municipality_code,municipality,eval_year,scale,item,score\n";

/// By hand, each block a score of item 2 given twice with different
/// scores (a `conflict`: both rows rejected), one of the two with another
/// name or code than the evaluation's other rows:
/// - 0114: "Nyby" only on rejected line 3: no `name-mismatch`;
/// - 0199 (not in the register): "Aaa" only on rejected line 6: the
///   outputs show "Alby", and the warning lists no other name;
/// - Heby's code before 2007, 1917, only on rejected line 9: a
///   `renumbered` there, which tells why its conflict names 0331;
/// - 0117: "Åkersberga" on rejected line 12 and used line 14: its
///   `name-mismatch` at line 14, where a used row first gives it.
///
/// 13 rows: 5 used (lines 2, 5, 8, 11, 14), 8 rejected.
#[test]
fn a_rejected_rows_name_counts_for_nothing() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        format!(
            "{HEAD}SE,0114,Upplands Väsby,2012,new,1,50\nSE,0114,Nyby,2012,new,2,60\n\
             SE,0114,Upplands Väsby,2012,new,2,61\nSE,0199,Alby,2012,new,1,50\n\
             SE,0199,Aaa,2012,new,2,60\nSE,0199,Alby,2012,new,2,61\n\
             SE,0331,Heby,2012,new,1,50\nSE,1917,Heby,2012,new,2,60\n\
             SE,0331,Heby,2012,new,2,61\nSE,0117,Österåker,2012,new,1,50\n\
             SE,0117,Åkersberga,2012,new,2,60\nSE,0117,Österåker,2012,new,2,61\n\
             SE,0117,Åkersberga,2012,new,3,40\n"
        ),
    );
    wd.run_expect(&["validate", "-i", "in.csv", "-o", "out", "-q"], 0);
    let v = wd.table("out/validation.csv").records();
    let at = |rule: &str| -> Vec<&str> {
        (v.iter().filter(|r| r["rule"] == rule))
            .map(|r| r["line"].as_str())
            .collect()
    };
    assert_eq!(at("conflict"), ["3", "4", "6", "7", "9", "10", "12", "13"]);
    assert_eq!(at("name-mismatch"), ["14"], "{v:?}");
    assert_eq!(at("renumbered"), ["9"], "{v:?}");
    let unknown = (v.iter())
        .find(|r| r["rule"] == "unknown-municipality")
        .expect("0199 is not in the register");
    assert_eq!(unknown["line"], "5");
    assert!(!unknown["message"].contains("Aaa"), "{unknown:?}");
    let e = wd.table("out/evaluations.csv").records();
    let names: std::collections::BTreeSet<(&str, &str)> = (e.iter())
        .map(|r| (r["municipality_code"].as_str(), r["municipality"].as_str()))
        .collect();
    assert!(names.contains(&("0199", "Alby")), "{names:?}");
    assert_eq!(e.len(), 5);
    assert_eq!(wd.table("out/rejects.csv").records().len(), 8);
}

/// The same in a file read in pieces on all cores (over 256 KiB): the
/// rejected "Aaa" is the first name of the last piece's rows of 0199
/// (the pieces' names are merged), the file read again without it.
#[test]
fn a_rejected_rows_name_counts_for_nothing_in_a_file_read_in_pieces() {
    let wd = Workdir::new();
    let mut text = format!("{HEAD}SE,0199,Alby,2012,new,1,60\n");
    for year in 2002..2025 {
        let scale = if year >= 2010 { "new" } else { "old" };
        for code in 160..199 {
            for item in 1..=8 {
                text.push_str(&format!(
                    "SE,0{code},Kommun med ett längre namn,{year},{scale},{item},50\n"
                ));
            }
        }
    }
    text.push_str("SE,0199,Aaa,2012,new,2,70\nSE,0199,Alby,2012,new,2,71\n");
    assert!(text.len() > 256 * 1024);
    wd.create("in.csv", &text);
    wd.run_expect(&["validate", "-i", "in.csv", "-o", "out", "-q"], 0);
    let e = wd.table("out/evaluations.csv").records();
    let of_0199: Vec<&str> = (e.iter())
        .filter(|r| r["municipality_code"] == "0199" && r["eval_year"] == "2012")
        .map(|r| r["municipality"].as_str())
        .collect();
    assert_eq!(of_0199, ["Alby"]);
    assert_eq!(wd.table("out/rejects.csv").records().len(), 2);
}

/// By hand, where the rejected rows are an evaluation's first:
/// - 0199: "Aaa" only on rejected line 2, its first name: "Alby", of
///   the row kept, takes its place (the outputs show it); its
///   `unknown-municipality` at line 4, its first row kept;
/// - 0117: "Åkersberga" on rejected lines 5 and 6 and on kept lines 8
///   and 9 (its first two places rejected, more rows giving it: the file
///   is read again): its `name-mismatch` at line 8; "Österåker", the
///   register's, none.
#[test]
fn an_evaluations_first_name_on_rejected_rows_gives_way() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        format!(
            "{HEAD}SE,0199,Aaa,2012,new,1,60\nSE,0199,Alby,2012,new,1,61\n\
             SE,0199,Alby,2012,new,2,62\nSE,0117,Åkersberga,2012,new,1,60\n\
             SE,0117,Åkersberga,2012,new,1,61\nSE,0117,Österåker,2012,new,2,62\n\
             SE,0117,Åkersberga,2012,new,3,63\nSE,0117,Åkersberga,2012,new,4,63\n"
        ),
    );
    wd.run_expect(&["validate", "-i", "in.csv", "-o", "out", "-q"], 0);
    let v = wd.table("out/validation.csv").records();
    let mismatch: Vec<(&str, &str)> = (v.iter())
        .filter(|r| r["rule"] == "name-mismatch")
        .map(|r| (r["line"].as_str(), r["value"].as_str()))
        .collect();
    assert_eq!(mismatch, [("8", "Åkersberga")], "{v:?}");
    // A finding about the evaluation stands at its first row kept (the
    // unknown code 0199 stood at rejected line 2).
    let unknown: Vec<&str> = (v.iter())
        .filter(|r| r["rule"] == "unknown-municipality")
        .map(|r| r["line"].as_str())
        .collect();
    assert_eq!(unknown, ["4"], "{v:?}");
    let e = wd.table("out/evaluations.csv").records();
    let of_0199: std::collections::BTreeSet<&str> = (e.iter())
        .filter(|r| r["municipality_code"] == "0199")
        .map(|r| r["municipality"].as_str())
        .collect();
    assert_eq!(of_0199.into_iter().collect::<Vec<_>>(), ["Alby"]);
}
