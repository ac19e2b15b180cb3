//! A bootstrap's SE is scaled for small samples: the SD of B replicates
//! drawn from n municipalities is about √((n − 1)/n) of the statistic's
//! SE, so every replicate's deviation is scaled by √(n/(n − 1)) (Efron &
//! Tibshirani 1993, §5.3; README, "Scale linking"). For a `mean` link of
//! one pair per municipality the scaled bootstrap SE is the textbook SE of
//! a mean, s_d / √n, computed here from the pairs.

use crate::workdir::{Workdir, row, words};

/// Six municipalities, each scored on both scales in 2010 (old in half
/// points, new in whole points): area 1's (old, new).
const PAIRS: [(f64, f64); 6] = [
    (60.0, 51.0),
    (65.5, 58.0),
    (70.0, 60.0),
    (74.0, 68.0),
    (81.0, 70.0),
    (88.5, 80.0),
];

/// The `linked_se` of old 70 through a `mean` link of [`PAIRS`] with
/// `--link-seed seed`, 10,000 replicates.
fn linked_se(seed: &str) -> f64 {
    let codes = crate::test_coverage::codes();
    let mut text = String::from("municipality_code,eval_year,scale,a1\n");
    for (code, (old, new)) in codes.iter().zip(PAIRS) {
        text += &format!("{code},2010,old,{old}\n{code},2010,new,{new}\n");
    }
    let wd = Workdir::new();
    wd.create("in.csv", &text);
    let run = "run -i in.csv -o out -q --charts none --report none --link-method mean";
    let args = format!("{run} --bootstrap 10000 --link-seed {seed}");
    wd.run_expect(&words(&args), 0);
    let links = wd.table("out/linking.csv").records();
    let area_1 = row(&links, &[("item", "1")]);
    assert_eq!(
        (
            area_1["method"].as_str(),
            area_1["n_municipalities"].as_str()
        ),
        ("mean", "6")
    );
    let concordance = wd.table("out/concordance.csv").records();
    let c = row(&concordance, &[("item", "1"), ("from_score", "70")]);
    c["linked_se"].parse().expect("a number")
}

/// The SE at any score is the SE of the mean difference new − old: s_d /
/// √6 = 0.7265 here. Unscaled, the replicates' SD is about √(5/6) of it
/// (0.663, 8.7 % low); 10,000 replicates put the bootstrap's own error
/// near 1 / √(2 · 10,000) = 0.7 %, so 3 % is four of those.
#[test]
fn a_mean_link_s_bootstrap_se_is_the_se_of_a_mean() {
    let d: Vec<f64> = PAIRS.iter().map(|(old, new)| new - old).collect();
    let (_, sd) = crate::test_jackknife::mean_sd(&d);
    let want = sd / (d.len() as f64).sqrt();
    for seed in ["2010", "7"] {
        let got = linked_se(seed);
        assert!(
            (got / want - 1.0).abs() < 0.03,
            "seed {seed}: linked_se {got}, s_d / √n {want}"
        );
    }
}
