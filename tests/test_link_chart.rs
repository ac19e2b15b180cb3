//! The linking chart's band: the link's 95 % interval at the dual-scored
//! pairs' lowest and highest scores, as the chart's text gives it, against
//! `concordance.csv`'s linked score, SE and degrees of freedom with a t
//! quantile computed here, and the pairs found from `evaluations.csv`.

use std::collections::BTreeMap;

use crate::workdir::Workdir;

const CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/kompass.example.toml");

/// Student's t distribution function at `t` with `df` degrees of freedom,
/// from x = √df·tan θ: F(t) = ½ + ½·∫₀^atan(t/√df) cos^(df−1) θ dθ over the
/// same integral to π/2 (Simpson's rule).
fn t_cdf(t: f64, df: f64) -> f64 {
    let integral = |to: f64| {
        let n = 4000;
        let h = to / f64::from(n);
        let f = |th: f64| th.cos().powf(df - 1.0);
        let inner: f64 = (1..n)
            .map(|k| f(f64::from(k) * h) * if k % 2 == 1 { 4.0 } else { 2.0 })
            .sum();
        (f(0.0) + inner + f(to)) * h / 3.0
    };
    0.5 + 0.5 * integral((t / df.sqrt()).atan()) / integral(std::f64::consts::FRAC_PI_2)
}

/// The t quantile of 0.975 by bisection.
fn t975(df: f64) -> f64 {
    let (mut lo, mut hi) = (0.0, 100.0);
    for _ in 0..60 {
        let mid = f64::midpoint(lo, hi);
        if t_cdf(mid, df) < 0.975 {
            lo = mid
        } else {
            hi = mid
        }
    }
    f64::midpoint(lo, hi)
}

#[test]
fn the_t_quantile_here_is_the_tables() {
    for (df, t) in [(2.0, 4.3027), (5.0, 2.5706), (30.0, 2.0423)] {
        assert!((t975(df) - t).abs() < 5e-4, "t(0.975, {df}) = {}", t975(df));
    }
}

/// Area 1 old → new in the shipped sample: the pairs are the evaluations
/// scored on both scales in one year; the chart gives the band at their
/// lowest and highest old score.
#[test]
fn the_linking_chart_gives_the_link_s_interval_at_the_pairs_ends() {
    let wd = Workdir::new();
    let args = ["run", "--config", CONFIG, "-o", "out", "-q", "--lang", "en"];
    wd.run_expect(&args, 0);
    // Area 1's old and new score per evaluation key (country, code, year).
    let mut scores: BTreeMap<(String, String, String), [Option<f64>; 2]> = BTreeMap::new();
    for r in wd.table("out/evaluations.csv").records() {
        let side = match (r["item"].as_str(), r["scale"].as_str()) {
            ("1", "old") => 0,
            ("1", "new") => 1,
            _ => continue,
        };
        let key = (
            r["country"].clone(),
            r["municipality_code"].clone(),
            r["eval_year"].clone(),
        );
        scores.entry(key).or_default()[side] = r["score"].parse().ok();
    }
    let old: Vec<f64> = (scores.values()).filter_map(|s| s[1].and(s[0])).collect();
    assert!(old.len() >= 5, "{old:?}");
    let lowest = old.iter().copied().fold(f64::MAX, f64::min);
    let highest = old.iter().copied().fold(f64::MIN, f64::max);
    let concordance = wd.table("out/concordance.csv").records();
    let band = |x: f64| {
        let r = (concordance.iter())
            .find(|r| {
                (
                    r["from_scale"].as_str(),
                    r["to_scale"].as_str(),
                    r["item"].as_str(),
                ) == ("old", "new", "1")
                    && r["from_score"].parse::<f64>().ok() == Some(x)
            })
            .unwrap_or_else(|| panic!("no concordance point at {x}"));
        let num = |c: &str| r[c].parse::<f64>().unwrap();
        let half = t975(num("linked_df")) * num("linked_se");
        let (lo, hi) = (
            (num("linked_score") - half).max(0.0),
            (num("linked_score") + half).min(100.0),
        );
        let one = |v: f64| format!("{:.1}", v).trim_end_matches(".0").to_string();
        format!("{x}: {} – {}", one(lo), one(hi))
    };
    let svg = String::from_utf8(wd.read("out/charts/linking_old_new.svg")).unwrap();
    let want = format!(
        "1 Public access and democracy → 1 Public access and democracy ({} pairs), 95 % \
         interval of the link at {} and at {};",
        old.len(),
        band(lowest),
        band(highest)
    );
    assert!(svg.contains(&want), "no '{want}' in\n{svg}");
}

/// A link whose error is not estimated (one dual-scored municipality) has
/// no band, and neither the legend nor the chart's text names one.
#[test]
fn a_link_without_an_error_draws_and_names_no_band() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n\
         0114,2010,old,1,60\n0114,2010,new,1,50\n0115,2008,old,1,70\n0117,2012,new,1,55\n",
    );
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "out", "-q", "--lang", "en"],
        0,
    );
    let svg = String::from_utf8(wd.read("out/charts/linking_old_new.svg")).unwrap();
    assert!(svg.contains("the link (dashed beyond the pairs' scores; its error is not estimated)"));
    assert!(!svg.contains("interval of the link"), "{svg}");
}
