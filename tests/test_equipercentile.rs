//! An equipercentile link outside its pairs: where the data say nothing,
//! the linked score is held at the edge of the target scores and carries
//! no SE, nor does it in the last few pairs of either tail, and neither
//! does any figure through such a point. The expected values are the pairs
//! written here, by hand.

use crate::workdir::{Workdir, row, words};

/// 120 dual-scored evaluations of area 1 in 2010 (old x = 40 + i mod 40,
/// new y = x − 10 + i mod 3, so y runs 30..71), and two municipalities
/// scored old in 2008 and new in 2012: 9001 with old 90, above every
/// pair's 79, and 9002 with old 60, inside.
fn input() -> (String, String) {
    let mut data = String::from("municipality_code,eval_year,scale,a1\n");
    let mut register = String::from("country,code,name\n");
    for i in 0..120 {
        let code = 1000 + i;
        let x = 40 + i % 40;
        let y = x - 10 + i % 3;
        data.push_str(&format!("{code},2010,old,{x}\n{code},2010,new,{y}\n"));
        register.push_str(&format!("SE,{code},M{code}\n"));
    }
    data.push_str("9001,2008,old,90\n9001,2012,new,70\n9002,2008,old,60\n9002,2012,new,55\n");
    register.push_str("SE,9001,Above\nSE,9002,Inside\n");
    (data, register)
}

/// `in.csv` and `reg.csv` linked by `equipercentile` into `out`.
fn run(wd: &Workdir) {
    wd.run_expect(
        &words("run -i in.csv --register reg.csv --link-method equipercentile --bootstrap 200 --charts none --report none -o out -q"),
        0,
    );
}

/// `n` and `se_link` of area 1's cross-scale change from round 1 to 2.
fn cross_scale_step(wd: &Workdir) -> (String, String) {
    let s = wd.table("out/trend_summary.csv").records();
    let step = row(
        &s,
        &[
            ("scale", "cross-scale"),
            ("item", "1"),
            ("step_kind", "round"),
        ],
    );
    (step["n"].clone(), step["se_link"].clone())
}

#[test]
fn outside_its_pairs_an_equipercentile_link_has_no_error_estimate() {
    let wd = Workdir::new();
    let (data, register) = input();
    wd.create("in.csv", data);
    wd.create("reg.csv", register);
    run(&wd);
    // Old 90 is above every pair (their old scores are 40..79): held at
    // the highest new score of the pairs, 71, + ½ (it was the top of the
    // scale, 100.5 clamped to 100, with an SE of 0).
    let c = wd.table("out/concordance.csv").records();
    let at = |x: &str| row(&c, &[("item", "1"), ("from_score", x)]);
    assert_eq!(
        (
            at("90")["linked_score"].as_str(),
            at("90")["linked_se"].as_str()
        ),
        ("71.5", "")
    );
    assert_eq!(at("80")["linked_se"], "", "just above the pairs");
    assert_eq!(at("39.5")["linked_se"], "", "just below the pairs");
    assert_eq!(
        at("20")["linked_score"],
        "29.5",
        "the lowest new score, 30, − ½"
    );
    // Each old score 40..79 has 3 pairs: 78 has 6 at or above it, 41 has
    // 6 at or below it, too few for an SE (EQUIPERCENTILE_TAIL_PAIRS is
    // 7); 77 and 42 have 9, but the pairs' normal fit (mean 59.5, SD
    // 11.5918) expects 120 · P(Z > 17.5 / 11.5918) = 7.87 there, and 9.28
    // at 43 and 76, fewer than 10 (EQUIPERCENTILE_EXPECTED_BEYOND); 43.5
    // and 75.5 expect 10.05 (scipy's norm.sf).
    for tail in ["40", "41", "42", "43", "76", "77", "78", "79"] {
        assert_eq!(
            at(tail)["linked_se"],
            "",
            "{tail} is in a tail of the pairs"
        );
    }
    for inside in ["43.5", "44", "60", "75", "75.5"] {
        assert_ne!(at(inside)["linked_se"], "", "{inside} is inside the pairs");
    }
    let l = wd.table("out/linked_scores.csv").records();
    let above = row(&l, &[("municipality_code", "9001")]);
    assert_eq!(
        (above["linked_score"].as_str(), above["linked_se"].as_str()),
        ("71.5", "")
    );
    assert_ne!(row(&l, &[("municipality_code", "9002")])["linked_se"], "");
    let links = wd.table("out/linking.csv").records();
    let link = row(&links, &[("item", "1")]);
    assert_eq!(
        (link["n_extrapolated"].as_str(), link["clamped"].as_str()),
        ("1", "0")
    );

    // The change 2008 → 2012 through it: 70 − 71.5, with no SE; inside
    // the pairs the change has one.
    let t = wd.table("out/trends.csv").records();
    let change = row(&t, &[("municipality_code", "9001"), ("item", "1")]);
    assert_eq!(
        (
            change["scale"].as_str(),
            change["delta"].as_str(),
            change["delta_se"].as_str()
        ),
        ("cross-scale", "-1.5", "")
    );
    assert_ne!(
        row(&t, &[("municipality_code", "9002"), ("item", "1")])["delta_se"],
        ""
    );

    // The trend summary of the cross-scale step holds both changes, one
    // through a point without an SE: its linking error is not known
    // either (it was computed as if that point were certain).
    assert_eq!(cross_scale_step(&wd), ("2".into(), String::new()));
}

/// The same pairs with only the inside municipality: every figure through
/// the link has its error (the rule above only takes the outside one's).
#[test]
fn inside_its_pairs_every_figure_keeps_its_error() {
    let wd = Workdir::new();
    let (data, register) = input();
    let data = data.replace("9001,2008,old,90\n9001,2012,new,70\n", "");
    wd.create("in.csv", data);
    wd.create("reg.csv", register);
    run(&wd);
    let (n, se_link) = cross_scale_step(&wd);
    assert_eq!(n, "1");
    assert_ne!(se_link, "");
}

/// Per country, an equipercentile link needs the method's 100 pairs (a
/// Danish link of 10 pairs was fitted), and is compared with the pooled
/// one where the country has pairs: Sweden's pairs (old 40–79) and
/// Norway's (20–59) follow one relation, new = old − 10 + (i mod 3), and
/// over the whole range each country's link, held at the edge of its own
/// pairs, was more than 2 points from the pooled one (`link-variant` for a
/// link that holds in both).
#[test]
fn a_country_s_equipercentile_link_is_compared_where_it_has_pairs() {
    let wd = Workdir::new();
    let mut data = String::from("country,municipality_code,eval_year,scale,a1\n");
    let mut register = String::from("country,code,name\n");
    let mut add = |country: &str, code: u32, x: u32, y: u32| {
        data.push_str(&format!(
            "{country},{code},2010,old,{x}\n{country},{code},2010,new,{y}\n"
        ));
        register.push_str(&format!("{country},{code},M{code}\n"));
    };
    for i in 0..120 {
        add("SE", 1000 + i, 40 + i % 40, 30 + i % 40 + i % 3);
        add("NO", 5000 + i, 20 + i % 40, 10 + i % 40 + i % 3);
    }
    for i in 0..10 {
        add("DK", 600 + i, 50 + i, 40 + i);
    }
    wd.create("in.csv", data);
    wd.create("reg.csv", register);
    run(&wd);
    let rows = wd.table("out/link_invariance.csv").records();
    let countries: Vec<&str> = rows.iter().map(|r| r["country"].as_str()).collect();
    assert_eq!(countries, ["NO", "SE"], "no link of Denmark's 10 pairs");
    for r in &rows {
        let rmsd: f64 = r["rmsd"].parse().expect("a number");
        assert!(rmsd < 2.0, "{r:?}");
    }
    let v = wd.table("out/validation.csv").records();
    assert!(!v.iter().any(|r| r["rule"] == "link-variant"), "{v:?}");
}

/// 120 pairs whose new score is the old one less 5 (old 40–59): every pair
/// lies on the link, every resample gives the same one, and the SE was 0
/// at every whole score (0.0275 at the halves between them) with no
/// warning, where a mean or linear link of the same pairs is left
/// unestimated. So is an equipercentile link now: no SE anywhere, and a
/// `link-unestimated` warning that says why.
#[test]
fn an_equipercentile_link_of_pairs_without_spread_is_not_estimated() {
    let wd = Workdir::new();
    let mut data = String::from("municipality_code,eval_year,scale,a1\n");
    let mut register = String::from("country,code,name\n");
    for i in 0..120 {
        let (code, x) = (1000 + i, 40 + i % 20);
        data.push_str(&format!("{code},2010,old,{x}\n{code},2010,new,{}\n", x - 5));
        register.push_str(&format!("SE,{code},M{code}\n"));
    }
    wd.create("in.csv", data);
    wd.create("reg.csv", register);
    run(&wd);
    let concordance = wd.table("out/concordance.csv").records();
    let area_1 = (concordance.iter()).filter(|r| r["from_scale"] == "old" && r["item"] == "1");
    let at_50 = area_1
        .clone()
        .find(|r| r["from_score"] == "50")
        .expect("old 50");
    assert_eq!(at_50["linked_score"], "45");
    assert!(area_1.clone().count() == 201 && area_1.clone().all(|r| r["linked_se"].is_empty()));
    let found = wd.table("out/validation.csv").records();
    let unestimated = row(&found, &[("rule", "link-unestimated")]);
    assert!(
        unestimated["message"].contains(
            "1 (120 pairs, each score to link from with one score on the target scale, rising \
             with it: no spread around the link)"
        ),
        "{}",
        unestimated["message"]
    );
}

/// A flat run is spread: 130 pairs whose old scores 40 and 60 both have
/// new 50 (old 20, 40, 60, 80 to new 20, 50, 50, 90) link old 40–60 to 50
/// by the proportions of the pairs, which move from resample to resample
/// (SE 0.034–0.068 there). The test for pairs without spread took it for
/// one (the review of the thirty-ninth session): the link is estimated.
#[test]
fn an_equipercentile_link_with_a_flat_run_is_estimated() {
    let wd = Workdir::new();
    let mut data = String::from("municipality_code,eval_year,scale,a1\n");
    let mut register = String::from("country,code,name\n");
    for i in 0..130 {
        let (code, (x, y)) = (1000 + i, [(20, 20), (40, 50), (60, 50), (80, 90)][i % 4]);
        data.push_str(&format!("{code},2010,old,{x}\n{code},2010,new,{y}\n"));
        register.push_str(&format!("SE,{code},M{code}\n"));
    }
    wd.create("in.csv", data);
    wd.create("reg.csv", register);
    run(&wd);
    let concordance = wd.table("out/concordance.csv").records();
    let at_50 = (concordance.iter())
        .find(|r| r["from_scale"] == "old" && r["item"] == "1" && r["from_score"] == "50")
        .expect("old 50");
    let linked: f64 = at_50["linked_score"].parse().unwrap();
    assert!((linked - 50.0).abs() < 0.1, "{linked}");
    let se: f64 = at_50["linked_se"].parse().expect("an SE");
    assert!(se > 0.0, "{se}");
    let found = wd.table("out/validation.csv").records();
    assert!(
        !found.iter().any(|r| r["rule"] == "link-unestimated"),
        "{found:?}"
    );
}

/// 200 evaluations scored old and new on area 3 in 2010 (a generated set's
/// pairs, `tests/data/equipercentile_at_max.csv`), one of them old 100 and
/// new 100, the top of both. Equipercentile: in exact fractions old 100's
/// percentile rank is 399/400 and both inverses give new 100, within the
/// scale; in floating point it came out 100.00000000000001, clamped and
/// counted (`clamped` 1; numbers audit). Nothing is clamped, and old 100
/// links to 100.
#[test]
fn a_score_linked_to_the_maximum_exactly_is_not_clamped() {
    let wd = Workdir::new();
    wd.copy_fixture("equipercentile_at_max.csv");
    let args = "run -i equipercentile_at_max.csv -o out -q --charts none --report none \
                --link-method equipercentile";
    wd.run_expect(&words(args), 0);
    let links = wd.table("out/linking.csv").records();
    let area_3 = row(&links, &[("from_scale", "old"), ("item", "3")]);
    assert_eq!(
        (&area_3["n_pairs"][..], &area_3["clamped"][..]),
        ("200", "0")
    );
    let concordance = wd.table("out/concordance.csv").records();
    let top = [("from_scale", "old"), ("item", "3"), ("from_score", "100")];
    assert_eq!(row(&concordance, &top)["linked_score"], "100");
}
