//! A municipality-year with scores on two scales that are both linked to
//! the target, and no native target score: the linked scale takes the one
//! whose link is the more precise (the smaller linking SE; a score whose
//! link has no SE only when there is no other), not whichever scale comes
//! first (the 2020 scale's single-pair link had been taken over the old
//! scale's estimated one: statistics audit, 2026-11-30).

use crate::workdir::{Workdir, row};

#[test]
fn the_more_precise_link_gives_the_linked_score() {
    let wd = Workdir::new();
    // Area 1. Old to new: new − old = 7 and 9, a mean link old + 8 with SE
    // sd(7, 9)/√2 = 1. 2020 to new: one pair, new − 2020 = 10, a mean link
    // 2020 + 10 without an SE. Värmdö (0120) in 2021 was scored 60 on the
    // old scale (linked: 68, SE 1) and 50 on the 2020 scale (linked: 60,
    // no SE).
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n\
         0114,2010,old,1,80\n0114,2010,new,1,87\n\
         0115,2010,old,1,70\n0115,2010,new,1,79\n\
         0117,2020,new,1,60\n0117,2020,2020,1,50\n\
         0120,2021,old,1,60\n0120,2021,2020,1,50\n",
    );
    let args = ["run", "-i", "in.csv", "-o", "out", "-q", "--charts", "none"];
    wd.run_expect(&[&args[..], &["--report", "none"]].concat(), 0);
    let linked = wd.table("out/linked_scores.csv").records();
    let at = |scale: &str| {
        let r = row(
            &linked,
            &[("municipality_code", "0120"), ("from_scale", scale)],
        );
        (r["linked_score"].clone(), r["linked_se"].clone())
    };
    assert_eq!(at("old"), ("68".into(), "1".into()));
    assert_eq!(at("2020"), ("60".into(), "".into()));

    let bench = wd.table("out/benchmarks.csv").records();
    let b = row(
        &bench,
        &[
            ("municipality_code", "0120"),
            ("scale", "linked"),
            ("item", "1"),
        ],
    );
    assert_eq!((b["score"].as_str(), b["score_se"].as_str()), ("68", "1"));
    // The national average on the linked scale, latest basis: 87, 79, 60
    // (native new) and 68.
    let avg = wd.table("out/averages.csv").records();
    let a = row(
        &avg,
        &[
            ("grouping", "national"),
            ("scale", "linked"),
            ("item", "1"),
            ("basis", "latest"),
        ],
    );
    assert_eq!((a["n"].as_str(), a["mean"].as_str()), ("4", "73.5"));
    // Two pairs always lie on a line: no r (it was 1 in linking.csv and
    // "r = 1.00" in the warning, `–` in the report: researcher audit of
    // the seventy-sixth session).
    let links = wd.table("out/linking.csv").records();
    let l = row(&links, &[("from_scale", "old"), ("item", "1")]);
    assert_eq!((l["n_pairs"].as_str(), l["r"].as_str()), ("2", ""));
    let weak = (wd.table("out/validation.csv").records().into_iter())
        .find(|r| r["rule"] == "link-weak" && r["message"].starts_with("old"))
        .expect("the old scale's link is weak");
    assert!(
        weak["message"].contains("item(s) 1 (2 pairs, no r)"),
        "{weak:?}"
    );
}
