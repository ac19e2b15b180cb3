//! Trends between rounds, native and through a link, and their summary,
//! against values computed by hand (the arithmetic is in the comments).

use crate::test_analysis::{close, run};
use crate::workdir::{Workdir, row};

use std::collections::HashMap;

/// The summary row of area 1's changes on the new scale from one round to
/// the next (`step`, `1→2`).
fn new_area_1_round<'a>(
    sum: &'a [HashMap<String, String>],
    step: &str,
) -> &'a HashMap<String, String> {
    let want = [("scale", "new"), ("item", "1"), ("step_kind", "round")];
    row(sum, &[&want[..], &[("step", step)]].concat())
}

/// Three pairs scored on both scales in 2010 link old to new (area 1):
/// old 60, 70, 80 (mean 70); new 50, 60, 64 (mean 58). Differences y − x:
/// −10, −10, −16, mean −12, s_d = √((4 + 4 + 16) / 2) = √12: `auto` takes
/// the mean link x − 12 (3 pairs), with the analytic SE √12 / √3 = 2 at
/// every score (Kolen & Brennan ch. 7).
const TRENDS: &str = "municipality_code,eval_year,scale,a1\n\
0183,2010,old,60\n0183,2010,new,50\n\
0184,2010,old,70\n0184,2010,new,60\n\
0186,2010,old,80\n0186,2010,new,64\n\
0180,2008,old,75\n0180,2012,new,65\n\
0181,2010,new,50\n0181,2013,new,55\n0181,2016,new,62\n\
0182,2011,new,40\n0182,2014,new,49\n";

#[test]
fn trends_native_linked_and_summarised() {
    let wd = Workdir::new();
    wd.create("in.csv", TRENDS);
    run(&wd, "in.csv", &[]);
    let t = wd.table("out/trends.csv").records();
    // Three rounds, two steps, on the native scale, no SE.
    let steps: Vec<(String, String, String, String)> = t
        .iter()
        .filter(|r| r["municipality_code"] == "0181")
        .map(|r| {
            (
                r["round_from"].clone(),
                r["round_to"].clone(),
                r["scale"].clone(),
                r["delta"].clone(),
            )
        })
        .collect();
    let want = [("1", "2", "new", "5"), ("2", "3", "new", "7")];
    let want: Vec<(String, String, String, String)> = want
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
        .collect();
    assert_eq!(steps, want);
    assert!(
        t.iter()
            .filter(|r| r["municipality_code"] == "0181")
            .all(|r| r["delta_se"].is_empty())
    );
    // Old 2008 -> new 2012, on the linked scale: 75 links to 75 − 12 = 63,
    // and the change 65 − 63 = 2 carries the link's SE, 2.
    let s = row(&t, &[("municipality_code", "0180"), ("item", "1")]);
    assert_eq!(
        (
            s["scale"].as_str(),
            s["from_score"].as_str(),
            s["delta"].as_str(),
            s["delta_se"].as_str()
        ),
        ("cross-scale", "63", "2", "2")
    );
    // Dual-scored years alone make no step.
    assert!(t.iter().all(|r| r["municipality_code"] != "0183"));

    let sum = wd.table("out/trend_summary.csv").records();
    // Round 1 -> 2 on new, area 1: 0181 (+5) and 0182 (+9): mean 7, sd √8,
    // 95 % interval 7 ± 12.7062·√8/√2 = 7 ± 25.4124.
    let r = new_area_1_round(&sum, "1→2");
    assert_eq!(r["n"], "2");
    close(&r["mean_delta"], 7.0);
    close(&r["sd"], 8f64.sqrt());
    close(&r["ci_low"], 7.0 - 25.4124);
    close(&r["ci_high"], 7.0 + 25.4124);
    let one = row(
        &sum,
        &[
            ("scale", "new"),
            ("item", "1"),
            ("step_kind", "years"),
            ("step", "2013→2016"),
        ],
    );
    assert_eq!((one["n"].as_str(), one["ci_low"].as_str()), ("1", ""));
}

/// Without a dual-scored evaluation the old scale is not linked: 0180's
/// old 75 (2008) and new 65 (2012) make no change, while 0181's two new
/// rounds (60 in 2010, 68 in 2014) make one of +8 (so the empty row set
/// is not that of trends never computed: the test honesty audit).
#[test]
fn no_linking_no_cross_scale_trend() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,a1\n0180,2008,old,75\n0180,2012,new,65\n\
         0181,2010,new,60\n0181,2014,new,68\n",
    );
    run(&wd, "in.csv", &[]);
    let trends = wd.table("out/trends.csv").records();
    let rows: Vec<(&str, &str, &str)> = (trends.iter())
        .map(|r| {
            (
                r["municipality_code"].as_str(),
                r["scale"].as_str(),
                r["delta"].as_str(),
            )
        })
        .collect();
    assert_eq!(rows, [("0181", "new", "8")]);
}

/// Two rounds that share a scale for some items only: an item both have on
/// that scale changes natively, the others through the link. By hand:
/// 2010 pairs 0183 (old 60, 50 / new 50, 45) and 0184 (old 70, 60 / new
/// 58, 54) give mean links a1: x − 11, a2: x − 5.5. 0190 has old a1 70 and
/// a2 60 in 2008; in 2012 old a2 64 and new a1 66. a2: old 60 → 64, +4,
/// natively (and not again through the link); a1: 70 − 11 = 59 → 66, +7,
/// cross-scale.
#[test]
fn an_item_the_rounds_share_no_scale_for_changes_through_the_link() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,a1,a2\n\
         0183,2010,old,60,50\n0183,2010,new,50,45\n\
         0184,2010,old,70,60\n0184,2010,new,58,54\n\
         0190,2008,old,70,60\n0190,2012,old,,64\n0190,2012,new,66,\n",
    );
    run(&wd, "in.csv", &[]);
    let t = wd.table("out/trends.csv").records();
    let changes: Vec<(&str, &str, &str, &str)> = t
        .iter()
        .filter(|r| r["municipality_code"] == "0190")
        .map(|r| {
            (
                r["item"].as_str(),
                r["scale"].as_str(),
                r["from_score"].as_str(),
                r["delta"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        vec![("2", "old", "60", "4"), ("1", "cross-scale", "59", "7")]
    );
}

/// A round on a scale with no link to the target (the 2015 revision, no
/// municipality scored on both) is a chain of its own: its changes are
/// native, and it does not break the chain of the rounds around it, which
/// lost every change across it. By hand: 0160's 2010-scale 2012 → 2019 is
/// +10 natively (rounds 1 → 2 of its chain), its 2015-scale 2016 → 2018
/// +2; 0162's 2012 → 2021 goes through the 2020 link of three dual-scored
/// 2020 evaluations, area 1 (new 1 ↔ 2020 1): differences 9, 7, 8, a mean
/// link x + 8 with SE sd(9, 7, 8)/√3 = 0.5774, so 45 → 53 from 52: +1.
#[test]
fn a_round_on_an_unlinked_scale_is_a_chain_of_its_own() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,a1\n\
         0120,2020,new,50\n0120,2020,2020,41\n0123,2020,new,55\n0123,2020,2020,48\n\
         0125,2020,new,60\n0125,2020,2020,52\n\
         0160,2012,new,50\n0160,2016,2015,55\n0160,2018,2015,57\n0160,2019,new,60\n\
         0162,2012,new,52\n0162,2016,2015,55\n0162,2021,2020,45\n",
    );
    run(&wd, "in.csv", &[]);
    let t = wd.table("out/trends.csv").records();
    let got: Vec<String> = (t.iter())
        .filter(|r| r["municipality_code"] != "0120" && r["item"] == "1")
        .map(|r| {
            let c = |k: &str| r[k].as_str();
            let years = format!(
                "{} {}-{}",
                c("municipality_code"),
                c("from_year"),
                c("to_year")
            );
            let rounds = format!("{}-{}", c("round_from"), c("round_to"));
            format!(
                "{years} {rounds} {} {} {}",
                c("scale"),
                c("delta"),
                c("delta_se")
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "0160 2012-2019 1-2 new 10 ",
            "0160 2016-2018 1-2 2015 2 ",
            "0162 2012-2021 1-2 cross-scale 1 0.5774",
        ]
    );
}

/// `year_totals.csv`, the figures of the trend charts: every evaluation of
/// a year counts (not only each municipality's latest). New 2012: 520,
/// 480, 547: mean 515.6667, SD 33.709544, ± t(0.975, 2) · SD / √3 =
/// 4.302653 · 19.462223 = 83.7391 (431.9275 to 599.4058); old 2008: 480,
/// 500: 490 ± 12.706205 · 14.142136 / √2 = 127.0620 (scipy's t.ppf). A
/// year of one evaluation has no interval. With `--excel` the same figures
/// with decimal commas.
#[test]
fn year_totals_by_hand() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,a1,total\n\
         0114,2010,new,40,430\n0114,2014,new,60,500\n0115,2013,new,60,450\n\
         0117,2012,new,70,520\n0120,2012,new,,480\n2380,2012,new,80,547\n\
         0114,2008,old,50,480\n0115,2008,old,55,500\n",
    );
    run(&wd, "in.csv", &[]);
    let t = wd.table("out/year_totals.csv");
    let want = [
        ["SE", "new", "2010", "1", "430", "", ""],
        ["SE", "new", "2012", "3", "515.6667", "431.9275", "599.4058"],
        ["SE", "new", "2013", "1", "450", "", ""],
        ["SE", "new", "2014", "1", "500", "", ""],
        ["SE", "old", "2008", "2", "490", "362.938", "617.062"],
    ];
    let cols = [
        "country",
        "scale",
        "eval_year",
        "n",
        "mean_total",
        "ci_low",
        "ci_high",
    ];
    assert_eq!(t.select(&cols), want.map(|r| r.map(String::from)));
    let wd2 = Workdir::new();
    wd2.create("in.csv", wd.read("in.csv"));
    run(&wd2, "in.csv", &["--excel"]);
    let text = String::from_utf8(wd2.read("out/year_totals.csv")).expect("UTF-8");
    assert!(
        text.contains("\nSE;new;2012;3;515,6667;431,9275;599,4058\n"),
        "{text}"
    );
}

/// Equal values have no interval, also where their floats are not equal
/// (audit: three totals of 400.1 had a mean of 400.1000000000001 and an
/// interval 400.1–400.1; changes 50 → 50.1, 60 → 60.1 and 70 → 70.1 are
/// 0.1 each but 0.10000000000000142 and 0.09999999999999432 as floats,
/// and their summary had SD 0 with an interval 0.1–0.1). By hand: 2012
/// mean 400.1, SD 0, no interval; the change of area 1 from round 1 to 2
/// is 0.1 three times: mean 0.1, SD 0, no interval; 2013 (400, 420):
/// 410 ± 12.706205 · 14.142136 / √2 = 127.0620 as before. 53.0 + 54.1 +
/// 63.3 + 49.4 + 40.7 + 34.8 + 54.9 + 31.4 = 381.6.
#[test]
fn equal_values_have_no_interval_whatever_their_floats() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,a1,total\n\
         0181,2012,new,50,400.1\n0380,2012,new,60,400.1\n0484,2012,new,70,400.1\n\
         0181,2013,new,50.1,400\n0380,2013,new,60.1,420\n0484,2014,new,70.1,\n",
    );
    run(&wd, "in.csv", &[]);
    let t = wd.table("out/year_totals.csv");
    let cols = ["eval_year", "n", "mean_total", "ci_low", "ci_high"];
    let want = [
        ["2012", "3", "400.1", "", ""],
        ["2013", "2", "410", "282.938", "537.062"],
    ];
    assert_eq!(t.select(&cols), want.map(|r| r.map(String::from)));
    let sum = wd.table("out/trend_summary.csv").records();
    let r = new_area_1_round(&sum, "1→2");
    let got = [
        &r["n"],
        &r["mean_delta"],
        &r["sd"],
        &r["ci_low"],
        &r["ci_high"],
    ];
    assert_eq!(got.map(String::as_str), ["3", "0.1", "0", "", ""]);
    // A total given (381.6) beside the same total summed from its areas,
    // 381.59999999999997 as a float (review: year_totals and averages
    // still gave 381.6–381.6).
    let wd = Workdir::new();
    let areas = "50,50,50,50,50,50,50,31.6";
    wd.create(
        "in.csv",
        format!(
            "municipality_code,eval_year,scale,a1,a2,a3,a4,a5,a6,a7,a8,total\n\
             0181,2012,new,{areas},381.6\n0380,2012,new,{areas},381.6\n\
             0484,2012,new,53.0,54.1,63.3,49.4,40.7,34.8,54.9,31.4,\n"
        ),
    );
    run(&wd, "in.csv", &[]);
    let t = wd.table("out/year_totals.csv");
    assert_eq!(t.select(&cols), [["2012", "3", "381.6", "", ""]]);
    let a = wd.table("out/averages.csv").records();
    let want = [
        ("scale", "new"),
        ("grouping", "national"),
        ("item", "total"),
    ];
    let r = row(&a, &want);
    let got = [&r["n"], &r["mean"], &r["sd"], &r["ci_low"], &r["ci_high"]];
    assert_eq!(got.map(String::as_str), ["3", "381.6", "0", "", ""]);
}

/// A link whose terms cancel is not used (audit: the step from round 1 to
/// 2 lost its `se_link` to a link without replicates that did not enter
/// its mean). Old → new has two pairs of one difference (−10): no SE.
/// 2020 → new: 40/48, 50/57, 60/69, differences 8, 7, 9, mean 8, SD 1,
/// SE 1/√3 = 0.57735. Round 1 → 2 across scales: 0180 old 60 (→ 50) to
/// 65, +15; 0181 new 50 to old 60 (→ 50), 0; 0182 2020 50 (→ 58) to 62,
/// +4: mean 19/3, SD √(1086/18) = 7.7675 (deviations 26/3, −19/3, −7/3),
/// se_sampling 7.7675/√3 = 4.4845. Old 60 enters +1 and −1, so only the
/// 2020 link's error remains: 0.57735/3 = 0.19245. A weak link (3
/// municipalities): ± √((t(2)·4.4845)² + (t(2)·0.19245)²), t(0.975, 2) =
/// 4.302653.
#[test]
fn a_link_whose_terms_cancel_is_not_used() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,a1\n\
         0114,2010,old,60\n0114,2010,new,50\n0115,2010,old,70\n0115,2010,new,60\n\
         0128,2020,2020,40\n0128,2020,new,48\n0136,2020,2020,50\n0136,2020,new,57\n\
         0138,2020,2020,60\n0138,2020,new,69\n0180,2008,old,60\n0180,2012,new,65\n\
         0181,2008,new,50\n0181,2012,old,60\n0182,2021,2020,50\n0182,2023,new,62\n",
    );
    run(&wd, "in.csv", &[]);
    let sum = wd.table("out/trend_summary.csv").records();
    let want = [
        ("scale", "cross-scale"),
        ("step_kind", "round"),
        ("step", "1→2"),
    ];
    let r = row(&sum, &want);
    let (mean, sd) = (19.0 / 3.0, (1086.0f64 / 18.0).sqrt());
    let (s, l) = (sd / 3f64.sqrt(), 1.0 / 3f64.sqrt() / 3.0);
    let half = 4.302653 * s.hypot(l);
    assert_eq!(r["n"], "3");
    close(&r["mean_delta"], mean);
    close(&r["se_sampling"], s);
    close(&r["se_link"], l);
    close(&r["ci_low"], mean - half);
    close(&r["ci_high"], mean + half);
}

/// A change through two links has their errors in quadrature, in the
/// summary as in `trends.csv` (audit: the summary paired the links'
/// replicates by number, and their chance correlation gave 0.8338 where
/// the change has 0.8165). Old → new: differences −10, −11, −9, a mean
/// link of SE 1/√3; 2020 → new: 8, 7, 9, SE 1/√3. 0190's old 60 (→ 50)
/// to 2020 50 (→ 58) is +8 with √(1/3 + 1/3) = 0.8165, and the summary
/// of that one change has the same se_link.
#[test]
fn a_change_through_two_links_has_their_errors_in_quadrature() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,a1\n\
         0114,2010,old,60\n0114,2010,new,50\n0115,2010,old,70\n0115,2010,new,59\n\
         0116,2010,old,80\n0116,2010,new,71\n0128,2020,2020,40\n0128,2020,new,48\n\
         0136,2020,2020,50\n0136,2020,new,57\n0138,2020,2020,60\n0138,2020,new,69\n\
         0190,2008,old,60\n0190,2021,2020,50\n",
    );
    run(&wd, "in.csv", &[]);
    let se = (2.0f64 / 3.0).sqrt();
    let t = wd.table("out/trends.csv").records();
    let change = row(&t, &[("municipality_code", "0190")]);
    close(&change["delta"], 8.0);
    close(&change["delta_se"], se);
    let sum = wd.table("out/trend_summary.csv").records();
    for kind in ["round", "years"] {
        let r = row(&sum, &[("scale", "cross-scale"), ("step_kind", kind)]);
        assert_eq!(r["n"], "1");
        close(&r["se_link"], se);
    }
}

/// A mean change is of one country's municipalities, as a national
/// average is (researcher audit: `trend_summary.csv` pooled Sweden's
/// changes of +10 and +12 with Norway's +30 and +28 into one mean of 20).
/// By hand, the total from round 1 to 2 on the new scale: SE +10, +12:
/// mean 11, SD √2, 95 % interval 11 ± 12.7062 · √2 / √2 = −1.7062 –
/// 23.7062; NO +30, +28: 29, 16.2938 – 41.7062. Across the change of
/// scale (old 2008 → new 2012, through TRENDS' mean link x − 12 of three
/// Swedish pairs, SE 2 at every score): SE 0180 65 − (75 − 12) = 2, NO
/// 0303 70 − 63 = 7, each one change with the link's error, 2.
#[test]
fn trend_summary_is_per_country() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "country,municipality_code,eval_year,scale,total\n\
         SE,0183,2010,old,60\nSE,0183,2010,new,50\n\
         SE,0184,2010,old,70\nSE,0184,2010,new,60\n\
         SE,0186,2010,old,80\nSE,0186,2010,new,64\n\
         SE,0180,2008,old,75\nSE,0180,2012,new,65\n\
         SE,0181,2010,new,50\nSE,0181,2014,new,60\n\
         SE,0182,2010,new,40\nSE,0182,2014,new,52\n\
         NO,0301,2010,new,50\nNO,0301,2014,new,80\n\
         NO,0302,2010,new,60\nNO,0302,2014,new,88\n\
         NO,0303,2008,old,75\nNO,0303,2012,new,70\n",
    );
    run(&wd, "in.csv", &[]);
    let sum = wd.table("out/trend_summary.csv");
    let cols = [
        "country",
        "scale",
        "step_kind",
        "step",
        "n",
        "mean_delta",
        "se_link",
        "ci_low",
        "ci_high",
    ];
    let mut got = sum.select(&cols);
    got.retain(|r| r[2] == "round");
    let want = [
        [
            "NO", "new", "round", "1→2", "2", "29", "", "16.2938", "41.7062",
        ],
        ["NO", "cross-scale", "round", "1→2", "1", "7", "2", "", ""],
        [
            "SE", "new", "round", "1→2", "2", "11", "", "-1.7062", "23.7062",
        ],
        ["SE", "cross-scale", "round", "1→2", "1", "2", "2", "", ""],
    ];
    assert_eq!(got, want.map(|r| r.map(String::from)));
    // The report's table of changes names each row's country.
    let index = String::from_utf8(wd.read("out/report/index.html")).expect("UTF-8");
    for country in ["NO", "SE"] {
        let cell = format!("<tr><td class=\"t\">{country}</td><td class=\"t\">");
        assert!(index.contains(&cell), "{country}: {index}");
    }
    assert!(index.contains(", per land: "), "{index}");
}
