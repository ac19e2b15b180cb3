//! A mean link of few pairs where it leaves the scale: the SE of a linked
//! score at the top is the SD of its clamped replicates, in
//! `linked_scores.csv`, `trends.csv` and the trend summary alike.

use crate::workdir::{Workdir, row};

fn num(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("not a number: '{s}'"))
}

#[test]
fn a_clamped_linked_score_has_the_se_of_its_clamped_replicates() {
    let wd = Workdir::new();
    // Two dual-scored pairs of area 6: new − old = 7 and 9, so the mean
    // link is old + 8 with SE = sd(7, 9)/√2 = 1. Österåker's old 99 links
    // to 107, seven SEs above the top: every replicate is clamped to 100.
    // Värmdö's old 91.5 links to 99.5: a replicate 99.5 + u is clamped
    // when u > 0.5, and the SD of min(Z, 0.5) for Z normal is
    // √(Φ(c) − cφ(c) + c²(1 − Φ(c)) − (c(1 − Φ(c)) − φ(c))²) = 0.7439 at
    // c = 0.5 (1,000 replicates: within about 0.02 of it).
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
        ("100", "0")
    );
    let near = at("0120");
    assert_eq!(near["linked_score"], "99.5");
    let se = num(&near["linked_se"]);
    assert!((se - 0.7439).abs() < 0.06, "{se}");

    let trends = wd.table("out/trends.csv").records();
    let delta_se = |code: &str| row(&trends, &[("municipality_code", code)])["delta_se"].clone();
    assert_eq!(delta_se("0117"), "0");
    assert_eq!(delta_se("0120"), near["linked_se"]);
    // The mean of the two changes: one linked end constant, the other
    // with SD `se`, so the linking error of the mean is se/2.
    let summary = wd.table("out/trend_summary.csv").records();
    let s = row(
        &summary,
        &[("scale", "cross-scale"), ("step_kind", "round")],
    );
    assert_eq!(s["n"], "2");
    assert!(
        (num(&s["se_link"]) - se / 2.0).abs() < 0.00051,
        "{s:?} {se}"
    );
}
