//! How far to trust a link: the SEs a change or an average carries
//! through it, the leave-one-out choice of method, linking.csv's judgement
//! columns, invariance across countries and the analytic SEs of few pairs.

use crate::test_analysis::close;
use crate::workdir::{Workdir, row, stdout, words};

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
        &words("run -i ostersund_long.csv panel.csv -o out -q --charts none"),
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
        &words("run -i in.csv -o out -q --charts none --bootstrap 200"),
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
    // The link's SE by hand: s(y − x) / √2 = sd(−10, −6) / √2 = 2, so
    // se_link = 0.5. Two pairs are a weak link: each error with its own t,
    // 55.5 ± √((t(0.975, 3) · 6.8496)² + (t(0.975, 1) · 0.5)²) = 55.5 ±
    // √(21.7986² + 6.3531²) = 55.5 ± 22.7053 (t from scipy's t.ppf;
    // Welch's ν, 3.03, would give ± 21.73).
    assert!((se_link - 0.5).abs() < 1e-4, "{se_link}");
    close(&r["ci_low"], 32.7947);
    close(&r["ci_high"], 78.2053);
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

/// `auto` takes linear with pairs of 5 or more municipalities, mean with fewer, whichever
/// fits the pairs better: for x = (50, 55, 60, 65, 70), y = 2x − 50 is
/// linear exactly (linear LOO 0, mean LOO 7.5 by hand), and y = x − 10 ± 1
/// is fitted better by the mean link, which auto no longer picks for that
/// (a pick by fit would leave its own error out of the SEs). `loo_mae` is
/// the linear link's, as computed above.
#[test]
fn auto_takes_linear_from_5_pairs_however_well_mean_fits() {
    let x = [50.0, 55.0, 60.0, 65.0, 70.0];
    let codes = ["0114", "0115", "0117", "0120", "0123"];
    for y in [
        [50.0, 60.0, 70.0, 80.0, 90.0],
        [40.0, 47.0, 49.0, 56.0, 60.0],
    ] {
        let (_, linear) = loo_by_hand(&x, &y);
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
            let method = if pairs == 5 { "linear" } else { "mean" };
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
                assert!((loo - linear).abs() < 1e-4, "{loo} vs {linear}");
            }
        }
    }
    // The two cases by hand, to check the computation above.
    let (mean, linear) = loo_by_hand(&x, &[50.0, 60.0, 70.0, 80.0, 90.0]);
    assert!((mean - 7.5).abs() < 1e-12 && linear.abs() < 1e-12);
    let (mean, linear) = loo_by_hand(&x, &[40.0, 47.0, 49.0, 56.0, 60.0]);
    assert!(mean < linear, "{mean} {linear}");
}

/// linking.csv's judgement columns, by hand for three pairs (50, 40), (60,
/// 55), (70, 58): means 60 and 51, r = cov / (sx · sy) with sx = 10,
/// sy = √((121 + 16 + 49) / 2) = √93 = 9.6437, cov = ((−10)(−11) + 0·4 +
/// 10·7) / 2 = 90: r = 90 / 96.437 = 0.9333; with the
/// mean link (above) slope_se is empty (the slope is fixed at 1); one
/// linked score (a 2008 old score of 80, outside the pairs' 50–70) is
/// extrapolated; the pairs' residual around it, `resid_rms`, below. Three
/// pairs are fewer than 5: a link-weak warning, which says the mean
/// link's interval leaves out its slope's error.
#[test]
fn linking_csv_says_how_far_to_trust_a_link() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,a1\n0114,2010,old,50\n0114,2010,new,40\n\
         0115,2010,old,60\n0115,2010,new,55\n0117,2010,old,70\n0117,2010,new,58\n\
         0120,2008,old,80\n0120,2012,new,60\n",
    );
    wd.run_expect(&words("link -i in.csv -o out -q --bootstrap 50"), 0);
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
    // The mean link y = x + 51 − 60 = x − 9 links 50, 60, 70 to 41, 51,
    // 61: residuals −1, 4, −3, root mean square √(26 / 3) = 2.9439.
    assert_eq!(r["resid_rms"], "2.9439");
    let v = wd.table("out/validation.csv").records();
    let weak: Vec<&str> = v
        .iter()
        .filter(|r| r["rule"] == "link-weak")
        .map(|r| r["message"].as_str())
        .collect();
    assert_eq!(weak.len(), 1);
    assert!(weak[0].contains("1 (3 pairs, r = 0.93)"), "{}", weak[0]);
    // The mean link's slope of 1 is an assumption its interval leaves out
    // (coverage audit, 2026-12-06).
    assert!(
        weak[0].ends_with(
            "; a mean link (of item(s) 1) takes the scales to differ by a shift alone, and its \
             intervals leave out the error of that, which grows with a score's distance from \
             the pairs' scores"
        ),
        "{}",
        weak[0]
    );
}

/// Pairs from two countries, each with 5: Swedish new = old − 10,
/// Norwegian new = old. The pooled mean link is old − 5; each country's own
/// link differs from it by 5 points over most of the range (less near 0,
/// where both are clamped): the RMSD over the old scale's 201 score points
/// (0 to 100 by halves), computed here, is above 2: a link-variant warning.
#[test]
fn a_link_that_differs_by_country_is_reported() {
    let wd = Workdir::new();
    two_countries(
        &wd,
        |country, _, x| if country == "SE" { x - 10 } else { x },
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
    // Within each country every difference is the same: sampling alone
    // gives no RMSD at all.
    assert_eq!(t[0]["rmsd_sampling"], "0");
    assert_eq!(t[1]["rmsd_sampling"], "0");
    let v = wd.table("out/validation.csv").records();
    assert!(
        v.iter()
            .any(|r| r["rule"] == "link-variant" && r["message"].contains("1 in NO")),
        "{v:?}"
    );
}

/// Below 5 pairs the mean link gets the analytic SE (Kolen & Brennan,
/// ch. 7), by hand: pairs (70, 60) and (56, 50): d = y − x = −10, −6,
/// s_d = √8, SE = √8 / √2 = 2 at every score (also where the link leaves
/// the scale and the score is clamped). A linear link asked for with
/// 3 pairs, (50, 40), (60, 55), (70, 58), is fitted (slope √93 / 10 =
/// 0.9644) but its error is not estimated: empty SEs, a
/// `link-unestimated` warning.
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
    // SE 2 on the scale; at 0 the link gives −8, clamped to 0, with the
    // link's SE 2 (the SD of replicates clamped alike was 0).
    let score =
        |r: &&std::collections::HashMap<String, String>| r["from_score"].parse::<f64>().unwrap();
    let ses: std::collections::BTreeSet<&str> = c
        .iter()
        .filter(|r| r["item"] == "1" && (20.0..=90.0).contains(&score(r)))
        .map(|r| r["linked_se"].as_str())
        .collect();
    assert_eq!(ses.into_iter().collect::<Vec<_>>(), vec!["2"]);
    let at_0 = c
        .iter()
        .find(|r| r["item"] == "1" && score(r) == 0.0)
        .unwrap();
    assert_eq!(
        (at_0["linked_score"].as_str(), at_0["linked_se"].as_str()),
        ("0", "2")
    );
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
    wd.run_expect(&words("link -i lin.csv -o l -q --link-method linear"), 0);
    let c = wd.table("l/concordance.csv").records();
    let se_at = |x: &str| {
        c.iter()
            .find(|r| r["item"] == "1" && r["from_score"] == x)
            .map(|r| r["linked_se"].clone())
            .unwrap()
    };
    assert_eq!((se_at("60"), se_at("70")), (String::new(), String::new()));
    let l = wd.table("l/linking.csv").records();
    assert_eq!(
        (
            l[0]["method"].as_str(),
            l[0]["slope"].as_str(),
            l[0]["slope_se"].as_str(),
            l[0]["intercept_se"].as_str()
        ),
        ("linear", "0.9644", "", "")
    );
    let v = wd.table("l/validation.csv").records();
    assert!(
        v.iter().any(|r| r["rule"] == "link-unestimated"
            && r["message"].contains("1 (3 pairs, too few for a linear link's error)")),
        "{v:?}"
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
    wd.run_expect(&words("link -i in.csv -o out -q --bootstrap 200"), 0);
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

/// Two countries whose own mean links are 3 points either side of the
/// pooled one, but whose differences y − x spread widely (SD √104 in
/// each, by hand: deviations −8, 8, −12, 12, 0 from the mean): sampling
/// alone gives an RMSD of √(104/5 · (1 − 5/10)) = 3.2249, and 3 points
/// is no evidence that the link differs by country. The 2-point rule
/// alone warned; the RMSD must now also exceed 4 times that.
#[test]
fn a_country_difference_within_sampling_is_not_reported() {
    let wd = Workdir::new();
    let d = [-11, 5, -15, 9, -3];
    two_countries(
        &wd,
        |country, i, x| if country == "SE" { x + d[i] } else { x - d[i] },
    );
    let t = wd.table("out/link_invariance.csv").records();
    assert_eq!(t.len(), 2, "{t:?}");
    for r in &t {
        let rmsd: f64 = r["rmsd"].parse().unwrap();
        assert!(rmsd > 2.0 && rmsd < 3.0, "{r:?}");
        assert_eq!(r["rmsd_sampling"], "3.2249", "{r:?}");
    }
    let v = wd.table("out/validation.csv").records();
    assert!(!v.iter().any(|r| r["rule"] == "link-variant"), "{v:?}");
}

/// Area 1 of five Swedish and five Norwegian municipalities at old 50, 55,
/// 60, 65 and 70, the i-th of each country with new score `new(country,
/// i, old)`, linked by a mean link (20 replicates) into `out`.
fn two_countries(wd: &Workdir, new: impl Fn(&str, usize, i32) -> i32) {
    let mut text = String::from("country,municipality_code,eval_year,scale,a1\n");
    let codes = [
        ("SE", ["0114", "0115", "0117", "0120", "0123"]),
        ("NO", ["0301", "1101", "1103", "1106", "1108"]),
    ];
    for (country, codes) in codes {
        for (i, (code, x)) in codes.iter().zip([50, 55, 60, 65, 70]).enumerate() {
            let y = new(country, i, x);
            text += &format!("{country},{code},2010,old,{x}\n{country},{code},2010,new,{y}\n");
        }
    }
    wd.create("in.csv", text);
    let args = [
        "link",
        "-i",
        "in.csv",
        "-o",
        "out",
        "-q",
        "--link-method",
        "mean",
    ];
    wd.run_expect(&[&args[..], &["--bootstrap", "20"]].concat(), 0);
}
