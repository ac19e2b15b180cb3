//! Scale linking: hand-checked on the seed, recovery of the generator's
//! truth, symmetry, determinism, and a scale without pairs.

use std::collections::{BTreeMap, HashMap};

use crate::workdir::{Workdir, row, stdout};

fn num(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("not a number: '{s}'"))
}

/// linking.csv rows by (from_scale, item).
fn links(wd: &Workdir, dir: &str) -> BTreeMap<(String, String), HashMap<String, String>> {
    wd.table(&format!("{dir}/linking.csv"))
        .records()
        .into_iter()
        .map(|r| ((r["from_scale"].clone(), r["item"].clone()), r))
        .collect()
}

#[test]
fn ostersund_alone_links_by_mean_exactly() {
    let wd = Workdir::new();
    wd.copy_fixture("ostersund_long.csv");
    let out = wd.run_expect(&["link", "-i", "ostersund_long.csv", "-o", "out"], 0);
    assert!(
        stdout(&out).contains("linking old -> new: 9 item(s), mean (1 pairs)"),
        "{}",
        stdout(&out)
    );
    let l = links(&wd, "out");
    // One pair: mean linking, new = old + (new - old) of Östersund.
    let a1 = &l[&("old".into(), "1".into())];
    assert_eq!(
        (a1["method"].as_str(), a1["n_pairs"].as_str()),
        ("mean", "1")
    );
    assert_eq!(
        (a1["slope"].as_str(), a1["intercept"].as_str()),
        ("1", "-11")
    );
    assert_eq!(a1["slope_se"], "", "no SE from a single pair");
    assert_eq!(l[&("old".into(), "6".into())]["intercept"], "7");
    assert_eq!(l[&("old".into(), "total".into())]["intercept"], "-67.5");

    let conc: BTreeMap<(String, String), String> = wd
        .table("out/concordance.csv")
        .records()
        .into_iter()
        .map(|r| {
            (
                (r["item"].clone(), r["from_score"].clone()),
                r["linked_score"].clone(),
            )
        })
        .collect();
    let at = |item: &str, x: &str| conc[&(item.to_string(), x.to_string())].clone();
    // By hand: area 1 is old - 11, area 2 old - 13.5, area 6 old + 7, total old - 67.5.
    assert_eq!(at("1", "79"), "68");
    assert_eq!(at("6", "67"), "74");
    assert_eq!(at("1", "90"), "79");
    assert_eq!(at("1", "50.5"), "39.5");
    assert_eq!(at("2", "79.5"), "66");
    assert_eq!(at("2", "60"), "46.5");
    assert_eq!(at("1", "5"), "0", "5 - 11 < 0 is clamped to 0");
    assert_eq!(at("6", "95"), "100", "95 + 7 > 100 is clamped to 100");
    assert_eq!(at("total", "700"), "632.5");
    // Every half point from 0 to 100 for areas, 0 to 800 for the total.
    assert_eq!(conc.len(), 8 * 201 + 1601);

    let scores = wd.table("out/linked_scores.csv").records();
    assert_eq!(scores.len(), 9);
    let a6 = row(&scores, &[("item", "6")]);
    assert_eq!(
        (
            a6["score"].as_str(),
            a6["linked_score"].as_str(),
            a6["method"].as_str()
        ),
        ("67", "74", "mean")
    );
}

#[test]
fn generated_pairs_recover_the_truth() {
    let wd = Workdir::new();
    wd.run_expect(
        &[
            "synth",
            "-n",
            "8000",
            "--seed",
            "77",
            "--countries",
            "SE,NO,DK",
            "-o",
            "gen",
            "-q",
        ],
        0,
    );
    wd.run_expect(
        &[
            "link",
            "-i",
            "gen",
            "--register",
            "gen/meta/register.csv",
            "-o",
            "out",
            "-q",
            "--bootstrap",
            "200",
        ],
        0,
    );
    let truth: serde_json::Value = serde_json::from_slice(&wd.read("gen/meta/truth.json")).unwrap();
    let l = links(&wd, "out");
    let rel = truth["model"]["old_from_new"].as_array().unwrap();
    for (a, r) in rel.iter().enumerate() {
        // The generator: old = i + s * new + noise, so new = (old - i) / s.
        let (s, i) = (
            r["slope"].as_f64().unwrap(),
            r["intercept"].as_f64().unwrap(),
        );
        let (want_slope, want_intercept) = (1.0 / s, -i / s);
        let row = &l[&("old".into(), (a + 1).to_string())];
        assert_eq!(row["method"], "linear");
        assert!(num(&row["n_pairs"]) >= 190.0, "{} pairs", row["n_pairs"]);
        let (slope, slope_se) = (num(&row["slope"]), num(&row["slope_se"]));
        let (icpt, icpt_se) = (num(&row["intercept"]), num(&row["intercept_se"]));
        assert!(slope_se > 0.0 && icpt_se > 0.0);
        assert!(
            (slope - want_slope).abs() <= 4.0 * slope_se,
            "area {}: slope {slope} vs {want_slope} (SE {slope_se})",
            a + 1
        );
        assert!(
            (icpt - want_intercept).abs() <= 4.0 * icpt_se,
            "area {}: intercept {icpt} vs {want_intercept} (SE {icpt_se})",
            a + 1
        );
        // Leave-one-out error of a good link is near the generator's noise.
        assert!(num(&row["loo_mae"]) < 3.0);
    }
    // The 2020 scale links through the declared correspondence (2020 area 2 -> new area 8).
    assert_eq!(l[&("2020".into(), "2".into())]["to_item"], "8");
}

#[test]
fn linear_there_and_back_is_the_identity() {
    let wd = Workdir::new();
    wd.run_expect(
        &["synth", "-n", "1500", "--seed", "4", "-o", "gen", "-q"],
        0,
    );
    let base = [
        "link",
        "-i",
        "gen",
        "--register",
        "gen/meta/register.csv",
        "--link-method",
        "linear",
        "--bootstrap",
        "20",
        "-q",
    ];
    let mut to_new = base.to_vec();
    to_new.extend(["-o", "a"]);
    wd.run_expect(&to_new, 0);
    let mut to_old = base.to_vec();
    to_old.extend(["-o", "b", "--link-to", "old"]);
    wd.run_expect(&to_old, 0);
    let (fwd, back) = (links(&wd, "a"), links(&wd, "b"));
    for item in ["1", "4", "8", "total"] {
        let f = &fwd[&("old".into(), item.into())];
        let b = &back[&("new".into(), item.into())];
        assert_eq!(b["to_scale"], "old");
        for x in [40.0, 55.5, 71.0] {
            let y = num(&f["intercept"]) + num(&f["slope"]) * x;
            let x_again = num(&b["intercept"]) + num(&b["slope"]) * y;
            // Parameters are written with 4 decimals.
            assert!(
                (x_again - x).abs() < 0.05,
                "item {item}: {x} -> {y} -> {x_again}"
            );
        }
    }
}

#[test]
fn bootstrap_is_deterministic_and_equipercentile_runs() {
    let wd = Workdir::new();
    wd.run_expect(
        &["synth", "-n", "5000", "--seed", "12", "-o", "gen", "-q"],
        0,
    );
    for out in ["a", "b"] {
        wd.run_expect(
            &[
                "link",
                "-i",
                "gen",
                "--register",
                "gen/meta/register.csv",
                "-o",
                out,
                "--link-method",
                "equipercentile",
                "-q",
                "--bootstrap",
                "50",
            ],
            0,
        );
    }
    for f in ["linking.csv", "concordance.csv", "linked_scores.csv"] {
        assert!(
            wd.read(&format!("a/{f}")) == wd.read(&format!("b/{f}")),
            "{f} differs"
        );
    }
    let l = links(&wd, "a");
    let a1 = &l[&("old".into(), "1".into())];
    assert_eq!(a1["method"], "equipercentile");
    assert_eq!(a1["slope"], "", "an equipercentile link has no slope");
    let se: Vec<String> = wd.table("a/concordance.csv").column("linked_se");
    assert!(se.iter().filter(|s| !s.is_empty()).count() > 100);
    // Monotone: a higher old score never links lower.
    let conc = wd.table("a/concordance.csv").records();
    let area1: Vec<f64> = conc
        .iter()
        .filter(|r| r["from_scale"] == "old" && r["item"] == "1")
        .map(|r| num(&r["linked_score"]))
        .collect();
    assert!(area1.windows(2).all(|w| w[1] >= w[0] - 1e-9));
}

#[test]
fn a_scale_without_pairs_is_not_linked_and_says_so() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2008,old,1,60\n0114,2012,new,1,55\n",
    );
    let out = wd.run_expect(&["link", "-i", "in.csv", "-o", "out"], 0);
    assert!(
        stdout(&out).contains("NOT LINKED old -> new: item 1: no dual-scored evaluations"),
        "{}",
        stdout(&out)
    );
    let v = wd.table("out/validation.csv").records();
    assert_eq!(v.len(), 1);
    assert_eq!(
        (
            v[0]["rule"].as_str(),
            v[0]["scale"].as_str(),
            v[0]["file"].as_str()
        ),
        ("no-linking", "old", "")
    );
    assert!(wd.table("out/linking.csv").rows.is_empty());
    assert!(wd.table("out/linked_scores.csv").rows.is_empty());
    wd.run_expect(&["link", "-i", "in.csv", "-o", "out", "--strict"], 3);
}

/// Östersund alone links old to new by the mean (one pair: no SE). A
/// municipality scored old in 2008 and new in 2012 then has a change on the
/// linked scale whose SE is unknown: empty, never 0, and no interval.
#[test]
fn a_change_through_a_link_without_se_has_an_empty_se() {
    let wd = Workdir::new();
    wd.copy_fixture("ostersund_long.csv");
    wd.create(
        "panel.csv",
        "municipality_code,eval_year,scale,a1\n0114,2008,old,60\n0114,2012,new,55\n",
    );
    wd.run_expect(
        &[
            "run",
            "-i",
            "ostersund_long.csv",
            "panel.csv",
            "-o",
            "out",
            "-q",
            "--charts",
            "none",
        ],
        0,
    );
    // By hand: the mean link adds 68 − 79 = −11, so 2008's 60 is 49 and the
    // change to 2012's 55 is 6.
    let t = wd.table("out/trends.csv").records();
    let r = row(&t, &[("municipality_code", "0114"), ("item", "1")]);
    assert_eq!(
        (
            r["scale"].as_str(),
            r["from_score"].as_str(),
            r["delta"].as_str(),
            r["delta_se"].as_str()
        ),
        ("cross-scale", "49", "6", "")
    );
    let s = wd.table("out/trend_summary.csv").records();
    let r = row(
        &s,
        &[("scale", "cross-scale"), ("item", "1"), ("step", "1→2")],
    );
    assert_eq!(
        (
            r["n"].as_str(),
            r["mean_delta"].as_str(),
            r["se_link"].as_str(),
            r["ci_low"].as_str()
        ),
        ("1", "6", "", "")
    );
}

/// The averages of the linked scale carry the linking error of their
/// linked scores only. Two dual-scored pairs (area 1: old 70 / new 60 and
/// old 56 / new 50) give the mean link x − 8. Latest per municipality on
/// the linked scale: 0114 60 and 0115 50 (native, 2010), 0117 80 − 8 = 72
/// (linked, 2008), 0120 40 (native, 2012): n = 4, mean 55.5, sd =
/// √(563 / 3) = 13.6991, se = sd / 2 = 6.8496; one linked score of four, so
/// se_link is a quarter of the link's SE (the same at every score for a
/// mean link).
#[test]
fn averages_of_the_linked_scale_carry_the_linking_error() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,a1\n0114,2010,new,60\n0114,2010,old,70\n\
         0115,2010,new,50\n0115,2010,old,56\n0117,2008,old,80\n0120,2012,new,40\n",
    );
    wd.run_expect(
        &[
            "run",
            "-i",
            "in.csv",
            "-o",
            "out",
            "-q",
            "--charts",
            "none",
            "--bootstrap",
            "200",
        ],
        0,
    );
    let a = wd.table("out/averages.csv").records();
    let r = row(
        &a,
        &[("scale", "linked"), ("grouping", "national"), ("item", "1")],
    );
    assert_eq!(
        (
            r["n"].as_str(),
            r["mean"].as_str(),
            r["sd"].as_str(),
            r["se"].as_str()
        ),
        ("4", "55.5", "13.6991", "6.8496")
    );
    let c = wd.table("out/concordance.csv").records();
    let at80 = row(&c, &[("item", "1"), ("from_score", "80")]);
    assert_eq!(at80["linked_score"], "72");
    let link_se: f64 = at80["linked_se"].parse().unwrap();
    assert!(link_se > 0.5, "{link_se}");
    let se_link: f64 = r["se_link"].parse().unwrap();
    assert!(
        (se_link - link_se / 4.0).abs() < 1e-4,
        "{se_link} vs {link_se} / 4"
    );
    // Native scales have no linking error.
    let native = row(
        &a,
        &[("scale", "new"), ("grouping", "national"), ("item", "1")],
    );
    assert_eq!(native["se_link"], "");
}

/// Leave-one-out MAE of the mean and the mean-sigma linear link, computed
/// here independently of kompass (scores within 0–100, no clamping).
fn loo_by_hand(x: &[f64], y: &[f64]) -> (f64, f64) {
    let n = x.len();
    let (mut mean_err, mut lin_err) = (0.0, 0.0);
    for i in 0..n {
        let xs: Vec<f64> = (0..n).filter(|&j| j != i).map(|j| x[j]).collect();
        let ys: Vec<f64> = (0..n).filter(|&j| j != i).map(|j| y[j]).collect();
        let k = xs.len() as f64;
        let (mx, my) = (xs.iter().sum::<f64>() / k, ys.iter().sum::<f64>() / k);
        let sd =
            |v: &[f64], m: f64| (v.iter().map(|a| (a - m).powi(2)).sum::<f64>() / (k - 1.0)).sqrt();
        mean_err += (x[i] + (my - mx) - y[i]).abs();
        lin_err += (my + sd(&ys, my) / sd(&xs, mx) * (x[i] - mx) - y[i]).abs();
    }
    (mean_err / n as f64, lin_err / n as f64)
}

/// `auto` with 5 or more pairs picks mean or linear by the leave-one-out
/// error (checked against the computation above); with fewer, mean. For x =
/// (50, 55, 60, 65, 70): y = 2x − 50 is linear exactly (linear LOO 0, mean
/// LOO 7.5 by hand); y = x − 10 ± 1 favours the mean link.
#[test]
fn auto_picks_the_link_with_the_smaller_leave_one_out_error() {
    let x = [50.0, 55.0, 60.0, 65.0, 70.0];
    let codes = ["0114", "0115", "0117", "0120", "0123"];
    for y in [
        [50.0, 60.0, 70.0, 80.0, 90.0],
        [40.0, 47.0, 49.0, 56.0, 60.0],
    ] {
        let (mean, linear) = loo_by_hand(&x, &y);
        let want = if linear < mean { "linear" } else { "mean" };
        for pairs in [5, 4] {
            let wd = Workdir::new();
            let mut text = String::from("municipality_code,eval_year,scale,a1\n");
            for i in 0..pairs {
                text += &format!(
                    "{},2010,old,{}\n{},2010,new,{}\n",
                    codes[i], x[i], codes[i], y[i]
                );
            }
            wd.create("in.csv", text);
            let out = wd.run_expect(
                &["link", "-i", "in.csv", "-o", "out", "--bootstrap", "20"],
                0,
            );
            let method = if pairs == 5 { want } else { "mean" };
            assert!(
                stdout(&out).contains(&format!(
                    "linking old -> new: 1 item(s), {method} ({pairs} pairs)"
                )),
                "{}",
                stdout(&out)
            );
            if pairs == 5 {
                let l = wd.table("out/linking.csv").records();
                let loo: f64 = l[0]["loo_mae"].parse().unwrap();
                assert!(
                    (loo - mean.min(linear)).abs() < 1e-4,
                    "{loo} vs {mean} / {linear}"
                );
            }
        }
    }
    // The first case by hand, to check the computation above.
    let (mean, linear) = loo_by_hand(&x, &[50.0, 60.0, 70.0, 80.0, 90.0]);
    assert!((mean - 7.5).abs() < 1e-12 && linear.abs() < 1e-12);
}

/// linking.csv's judgement columns, by hand for three pairs (50, 40), (60,
/// 55), (70, 58): means 60 and 51, r = cov / (sx · sy) with sx = 10,
/// sy = √((121 + 16 + 49) / 2) = √93 = 9.6437, cov = ((−10)(−11) + 0·4 +
/// 10·7) / 2 = 90: r = 90 / 96.437 = 0.9333; with the
/// mean link (above) slope_se is empty (the slope is fixed at 1); one
/// linked score (a 2008 old score of 80, outside the pairs' 50–70) is
/// extrapolated. Three pairs are fewer than 5: a link-weak warning.
#[test]
fn linking_csv_says_how_far_to_trust_a_link() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,a1\n0114,2010,old,50\n0114,2010,new,40\n\
         0115,2010,old,60\n0115,2010,new,55\n0117,2010,old,70\n0117,2010,new,58\n\
         0120,2008,old,80\n0120,2012,new,60\n",
    );
    wd.run_expect(
        &[
            "link",
            "-i",
            "in.csv",
            "-o",
            "out",
            "-q",
            "--bootstrap",
            "50",
        ],
        0,
    );
    let l = wd.table("out/linking.csv").records();
    let r = &l[0];
    assert_eq!(
        (
            r["method"].as_str(),
            r["r"].as_str(),
            r["slope_se"].as_str(),
            r["n_extrapolated"].as_str(),
            r["boot_dropped"].as_str()
        ),
        ("mean", "0.9333", "", "1", "0")
    );
    let v = wd.table("out/validation.csv").records();
    let weak: Vec<&str> = v
        .iter()
        .filter(|r| r["rule"] == "link-weak")
        .map(|r| r["message"].as_str())
        .collect();
    assert_eq!(weak.len(), 1);
    assert!(weak[0].contains("1 (3 pairs, r = 0.93)"), "{}", weak[0]);
}

/// Pairs from two countries, each with 5: Swedish new = old − 10,
/// Norwegian new = old. The pooled mean link is old − 5; each country's own
/// link differs from it by 5 points over most of the range (less near 0,
/// where both are clamped): the RMSD over the old scale's 201 score points
/// (0 to 100 by halves), computed here, is above 2: a link-variant warning.
#[test]
fn a_link_that_differs_by_country_is_reported() {
    let wd = Workdir::new();
    let mut text = String::from("country,municipality_code,eval_year,scale,a1\n");
    let xs = [50, 55, 60, 65, 70];
    for (code, x) in ["0114", "0115", "0117", "0120", "0123"].iter().zip(xs) {
        text += &format!("SE,{code},2010,old,{x}\nSE,{code},2010,new,{}\n", x - 10);
    }
    for (code, x) in ["0301", "1101", "1103", "1106", "1108"].iter().zip(xs) {
        text += &format!("NO,{code},2010,old,{x}\nNO,{code},2010,new,{x}\n");
    }
    wd.create("in.csv", text);
    wd.run_expect(
        &[
            "link",
            "-i",
            "in.csv",
            "-o",
            "out",
            "-q",
            "--link-method",
            "mean",
            "--bootstrap",
            "20",
        ],
        0,
    );
    let clamp = |v: f64| v.clamp(0.0, 100.0);
    let rmsd = |shift: f64| {
        let sq: f64 = (0..=200)
            .map(|i| f64::from(i) / 2.0)
            .map(|g| (clamp(g + shift) - clamp(g - 5.0)).powi(2))
            .sum();
        (sq / 201.0).sqrt()
    };
    let t = wd.table("out/link_invariance.csv").records();
    let got: Vec<(String, String, f64)> = t
        .iter()
        .map(|r| {
            (
                r["country"].clone(),
                r["n_pairs"].clone(),
                r["rmsd"].parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(got.len(), 2, "{got:?}");
    for ((country, n, value), shift) in got.iter().zip([0.0, -10.0]) {
        assert_eq!(n, "5", "{country}");
        assert!(
            (value - rmsd(shift)).abs() < 1e-4,
            "{country}: {value} vs {}",
            rmsd(shift)
        );
        assert!(*value > 2.0);
    }
    assert_eq!((got[0].0.as_str(), got[1].0.as_str()), ("NO", "SE"));
    let v = wd.table("out/validation.csv").records();
    assert!(
        v.iter()
            .any(|r| r["rule"] == "link-variant" && r["message"].contains("1 in NO")),
        "{v:?}"
    );
}

/// Below 5 pairs the mean and linear links get the analytic SEs (Kolen &
/// Brennan, ch. 7), by hand:
/// - mean, pairs (70, 60) and (56, 50): d = y − x = −10, −6, s_d = √8, SE
///   = √8 / √2 = 2 at every score;
/// - linear (asked for), pairs (50, 40), (60, 55), (70, 58): s_x = 10, s_y
///   = √93, r = 9 / √93 = 0.9333; Var e(x) = s_y²(1 − r)[2 + (1 + r)z²]/3,
///   z = (x − 60)/10: SE 2.0342 at 60, 2.8527 at 70, 12.1712 at 0 (the
///   intercept's SE); slope SE = (s_y/s_x)·√((1 − r²)/3) = 0.2.
#[test]
fn small_samples_get_the_analytic_standard_errors() {
    let wd = Workdir::new();
    wd.create(
        "mean.csv",
        "municipality_code,eval_year,scale,a1\n0114,2010,old,70\n0114,2010,new,60\n\
         0115,2010,old,56\n0115,2010,new,50\n",
    );
    wd.run_expect(&["link", "-i", "mean.csv", "-o", "m", "-q"], 0);
    let c = wd.table("m/concordance.csv").records();
    let ses: std::collections::BTreeSet<&str> = c
        .iter()
        .filter(|r| r["item"] == "1")
        .map(|r| r["linked_se"].as_str())
        .collect();
    assert_eq!(ses.into_iter().collect::<Vec<_>>(), vec!["2"]);
    let l = wd.table("m/linking.csv").records();
    assert_eq!(
        (
            l[0]["method"].as_str(),
            l[0]["intercept_se"].as_str(),
            l[0]["slope_se"].as_str()
        ),
        ("mean", "2", "")
    );

    wd.create(
        "lin.csv",
        "municipality_code,eval_year,scale,a1\n0114,2010,old,50\n0114,2010,new,40\n\
         0115,2010,old,60\n0115,2010,new,55\n0117,2010,old,70\n0117,2010,new,58\n",
    );
    wd.run_expect(
        &[
            "link",
            "-i",
            "lin.csv",
            "-o",
            "l",
            "-q",
            "--link-method",
            "linear",
        ],
        0,
    );
    let c = wd.table("l/concordance.csv").records();
    let se_at = |x: &str| {
        c.iter()
            .find(|r| r["item"] == "1" && r["from_score"] == x)
            .map(|r| r["linked_se"].clone())
            .unwrap()
    };
    assert_eq!(
        (se_at("60"), se_at("70")),
        ("2.0342".to_string(), "2.8527".to_string())
    );
    let l = wd.table("l/linking.csv").records();
    assert_eq!(
        (
            l[0]["method"].as_str(),
            l[0]["slope_se"].as_str(),
            l[0]["intercept_se"].as_str()
        ),
        ("linear", "0.2", "12.1712")
    );
}

/// The bootstrap resamples whole dual-scored evaluations: one draw of
/// evaluations serves every item of the scale, so two items with the same
/// pairs get the same replicates, and the same SEs at every score (with an
/// independent resample per item they would differ).
#[test]
fn the_items_of_one_evaluation_move_together_in_the_bootstrap() {
    let wd = Workdir::new();
    let mut text = String::from("municipality_code,eval_year,scale,a1,a2\n");
    for (code, (x, y)) in ["0114", "0115", "0117", "0120", "0123", "0125", "0126"]
        .iter()
        .zip([
            (50, 41),
            (55, 47),
            (61, 50),
            (64, 58),
            (70, 60),
            (73, 66),
            (80, 69),
        ])
    {
        text += &format!("{code},2010,old,{x},{x}\n{code},2010,new,{y},{y}\n");
    }
    wd.create("in.csv", text);
    wd.run_expect(
        &[
            "link",
            "-i",
            "in.csv",
            "-o",
            "out",
            "-q",
            "--bootstrap",
            "200",
        ],
        0,
    );
    let c = wd.table("out/concordance.csv").records();
    let se = |item: &str| -> Vec<String> {
        c.iter()
            .filter(|r| r["item"] == item)
            .map(|r| r["linked_se"].clone())
            .collect()
    };
    assert_eq!(se("1").len(), 201);
    // Where scores are not clamped to 0, there is an SE.
    let at60 = row(&c, &[("item", "1"), ("from_score", "60")]);
    assert!(at60["linked_se"].parse::<f64>().unwrap() > 0.0);
    assert_eq!(se("1"), se("2"));
}
