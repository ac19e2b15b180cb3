//! `--link-method identity`: percent of max, the naive reference. It fits
//! nothing to the pairs, so it links every item with a counterpart,
//! paired or not, estimates no error (no `link-unestimated`, no
//! `link-weak`), and a change through it has no linking SE and no
//! interval (README, "Scale linking": the methods' table and "1 pair").

use crate::workdir::{Workdir, row};

/// Seven municipalities scored old and new on area 1 in 2010, and two
/// scored old in 2008 and new in 2012 on areas 1 and 2 (area 2 has no
/// dual-scored pair).
const EXPORT: &str = "municipality_code,eval_year,scale,a1,a2\n\
    0114,2010,old,50,\n0114,2010,new,45,\n0115,2010,old,60,\n0115,2010,new,52,\n\
    0117,2010,old,70,\n0117,2010,new,66,\n0120,2010,old,55,\n0120,2010,new,50,\n\
    0123,2010,old,80,\n0123,2010,new,71,\n0125,2010,old,65,\n0125,2010,new,60,\n\
    0126,2010,old,75,\n0126,2010,new,64,\n\
    0128,2008,old,40,55\n0128,2012,new,45,60\n0127,2008,old,90,70\n0127,2012,new,85,68\n";

fn identity_run(text: &str) -> Workdir {
    let wd = Workdir::new();
    wd.create("in.csv", text);
    crate::test_analysis::run(&wd, "in.csv", &["--link-method", "identity"]);
    wd
}

/// Old and new areas both have a maximum of 100, so percent of max is
/// y = x. By hand: area 1's pairs differ by 5, 8, 4, 5, 9, 5 and 11,
/// so `loo_mae` (for `identity` the plain error) is 47 / 7 = 6.7143;
/// 40 and 90 lie outside the pairs' 50–80 (`n_extrapolated` 2). Area 2
/// has no pair and is linked all the same, as is every other area and
/// the total (9 rows), each with slope 1, intercept 0 and no SE.
#[test]
fn identity_links_every_item_with_a_counterpart_and_estimates_no_error() {
    let wd = identity_run(EXPORT);
    let links = wd.table("out/linking.csv").records();
    let items: Vec<&str> = links.iter().map(|l| l["item"].as_str()).collect();
    assert_eq!(items, ["1", "2", "3", "4", "5", "6", "7", "8", "total"]);
    for l in &links {
        assert_eq!(
            [&l["method"], &l["slope"], &l["intercept"], &l["slope_se"]],
            ["identity", "1", "0", ""]
        );
        assert_eq!(l["intercept_se"], "");
    }
    let area_1 = row(&links, &[("item", "1")]);
    assert_eq!(
        [
            &area_1["n_pairs"],
            &area_1["loo_mae"],
            &area_1["n_extrapolated"]
        ],
        ["7", "6.7143", "2"]
    );
    let area_2 = row(&links, &[("item", "2")]);
    assert_eq!([&area_2["n_pairs"], &area_2["loo_mae"]], ["0", ""]);

    let linked = wd.table("out/linked_scores.csv").records();
    assert_eq!(linked.len(), 11, "7 + 2 old scores of area 1, 2 of area 2");
    for l in &linked {
        assert_eq!(l["linked_score"], l["score"]);
        assert_eq!([&l["linked_se"], &l["method"]], ["", "identity"]);
    }
    let concordance = wd.table("out/concordance.csv").records();
    let at = row(&concordance, &[("item", "1"), ("from_score", "79.5")]);
    assert_eq!(
        [&at["linked_score"], &at["linked_se"], &at["linked_df"]],
        ["79.5", "", ""]
    );
    let rules = wd.table("out/validation.csv").column("rule");
    assert!(rules.is_empty(), "identity draws no finding: {rules:?}");
}

/// A change through identity is the plain difference, with no linking
/// SE, and its summary no interval: 0127's 90 → 85 and 0128's 40 → 45
/// on area 1 (mean 0, SD √50 = 7.0711), 70 → 68 and 55 → 60 on area 2
/// (mean 1.5, SD √24.5 = 4.9497).
#[test]
fn a_change_through_identity_has_no_linking_error_and_no_interval() {
    let wd = identity_run(EXPORT);
    let trends = wd.table("out/trends.csv").records();
    for (code, item, delta) in [
        ("0127", "1", "-5"),
        ("0127", "2", "-2"),
        ("0128", "1", "5"),
        ("0128", "2", "5"),
    ] {
        let t = row(&trends, &[("municipality_code", code), ("item", item)]);
        assert_eq!(
            [&t["scale"], &t["delta"], &t["delta_se"]],
            ["cross-scale", delta, ""]
        );
    }
    let summary = wd.table("out/trend_summary.csv").records();
    for (item, mean, sd) in [("1", "0", "7.0711"), ("2", "1.5", "4.9497")] {
        let s = row(
            &summary,
            &[
                ("scale", "cross-scale"),
                ("item", item),
                ("step_kind", "round"),
            ],
        );
        assert_eq!([&s["n"], &s["mean_delta"], &s["sd"]], ["2", mean, sd]);
        assert_eq!(
            [&s["se_link"], &s["se_total"], &s["ci_low"], &s["ci_high"]],
            ["", "", "", ""]
        );
    }
}

/// Identity needs no pairs: with no dual-scored evaluation, where `auto`
/// leaves the old scale unlinked (`no-linking`, no cross-scale change),
/// identity still links it.
#[test]
fn identity_links_a_scale_without_pairs() {
    let text = "municipality_code,eval_year,scale,a1,a2\n\
                0128,2008,old,40,55\n0128,2012,new,45,60\n";
    let wd = identity_run(text);
    let links = wd.table("out/linking.csv").records();
    assert_eq!(links.len(), 9);
    assert!(links.iter().all(|l| l["n_pairs"] == "0"));
    let trends = wd.table("out/trends.csv").records();
    let t = row(&trends, &[("item", "2")]);
    assert_eq!([&t["scale"], &t["delta"]], ["cross-scale", "5"]);

    let auto = Workdir::new();
    auto.create("in.csv", text);
    crate::test_analysis::run(&auto, "in.csv", &[]);
    assert!(auto.table("out/linking.csv").records().is_empty());
    assert!(auto.table("out/trends.csv").records().is_empty());
    let rules = auto.table("out/validation.csv").column("rule");
    assert_eq!(rules, ["no-linking"]);
}
