//! A mean link of few pairs where it leaves the scale: a linked score at
//! the top is clamped to it, and keeps the link's SE, in
//! `linked_scores.csv`, `trends.csv` and the trend summary alike (the SD
//! of replicates clamped alike, as until 2026-11-30, was 0 there and made
//! intervals that missed true values just inside the scale).

use crate::workdir::{Workdir, row};

fn num(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("not a number: '{s}'"))
}

#[test]
fn a_clamped_linked_score_keeps_the_se_of_its_link() {
    let wd = Workdir::new();
    // Two dual-scored pairs of area 6: new − old = 7 and 9, so the mean
    // link is old + 8 with SE = sd(7, 9)/√2 = 1. Österåker's old 99 links
    // to 107, clamped to 100; Värmdö's old 91.5 to 99.5. Both keep SE 1
    // (the clamped replicates' SD was 0 and 0.7439).
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n\
         0114,2010,old,6,80\n0114,2010,new,6,87\n\
         0115,2010,old,6,70\n0115,2010,new,6,79\n\
         0117,2008,old,6,99\n0117,2012,new,6,90\n\
         0120,2008,old,6,91.5\n0120,2012,new,6,95\n",
    );
    let args = ["run", "-i", "in.csv", "-o", "out", "-q"];
    wd.run_expect(
        &[&args[..], &["--charts", "none", "--report", "none"]].concat(),
        0,
    );
    let linked = wd.table("out/linked_scores.csv").records();
    let at = |code: &str| row(&linked, &[("municipality_code", code)]).clone();
    let inside = at("0114");
    assert_eq!(
        (
            inside["linked_score"].as_str(),
            inside["linked_se"].as_str()
        ),
        ("88", "1")
    );
    let top = at("0117");
    assert_eq!(
        (top["linked_score"].as_str(), top["linked_se"].as_str()),
        ("100", "1")
    );
    let near = at("0120");
    assert_eq!(
        (near["linked_score"].as_str(), near["linked_se"].as_str()),
        ("99.5", "1")
    );

    let trends = wd.table("out/trends.csv").records();
    let delta_se = |code: &str| row(&trends, &[("municipality_code", code)])["delta_se"].clone();
    assert_eq!(
        (delta_se("0117"), delta_se("0120")),
        ("1".into(), "1".into())
    );
    // The mean of the two changes: both earlier ends went through the
    // same link, whose error they share (it does not shrink with two), so
    // the linking error of the mean is the link's SE, 1.
    let se = 1.0;
    let summary = wd.table("out/trend_summary.csv").records();
    let s = row(
        &summary,
        &[("scale", "cross-scale"), ("step_kind", "round")],
    );
    assert_eq!(s["n"], "2");
    assert!((num(&s["se_link"]) - se).abs() < 0.00051, "{s:?} {se}");
}
