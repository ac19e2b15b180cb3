//! A linear link of 5 to 8 municipalities takes the jackknife's SE, not
//! the bootstrap's (README, "Scale linking"; `src/linking/jackknife.rs`):
//! checked against the jackknife (with its normal-theory floor) computed
//! here, from the pairs, by code that is not kompass's.

use crate::workdir::{Workdir, row};

/// Mean and sample SD (n − 1), computed here.
pub(crate) fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

/// The mean-sigma line (slope, intercept) of pairs `x`, `y`.
pub(crate) fn line(x: &[f64], y: &[f64]) -> (f64, f64) {
    let ((mx, sx), (my, sy)) = (mean_sd(x), mean_sd(y));
    (sy / sx, my - sy / sx * mx)
}

/// Pearson's r of pairs `x`, `y` (sample covariance over the SDs).
pub(crate) fn correlation(x: &[f64], y: &[f64]) -> f64 {
    let ((mx, sx), (my, sy)) = (mean_sd(x), mean_sd(y));
    let covariance = (x.iter().zip(y))
        .map(|(a, b)| (a - mx) * (b - my))
        .sum::<f64>()
        / (x.len() as f64 - 1.0);
    covariance / (sx * sy)
}

/// The jackknife SEs over municipalities of the slope and of the linked
/// value at each of `at`: each municipality's pairs (`units[i]` is pair
/// i's) left out in turn, √((N − 1)/N · Σ (θ₋ᵢ − θ̄)²), each at least the
/// normal-theory SE of N municipalities (Kolen & Brennan 2014, ch. 7):
/// s²ᵧ(1 − r)[2 + (1 + r)z²]/N at z = (g − x̄)/sₓ, the slope's
/// √(s²ᵧ(1 − r²)/N)/sₓ.
fn jackknife(x: &[f64], y: &[f64], units: &[u32], at: &[f64]) -> (f64, Vec<f64>) {
    let mut ids = units.to_vec();
    ids.dedup();
    let lines: Vec<(f64, f64)> = (ids.iter())
        .map(|u| {
            let keep: Vec<usize> = (0..x.len()).filter(|&j| units[j] != *u).collect();
            let pick = |v: &[f64]| keep.iter().map(|&j| v[j]).collect::<Vec<f64>>();
            line(&pick(x), &pick(y))
        })
        .collect();
    let n = lines.len() as f64;
    let se = |v: Vec<f64>| {
        let mean = v.iter().sum::<f64>() / n;
        ((n - 1.0) / n * v.iter().map(|t| (t - mean).powi(2)).sum::<f64>()).sqrt()
    };
    let ((mx, sx), (_, sy)) = (mean_sd(x), mean_sd(y));
    let r = correlation(x, y);
    let floor = |g: f64| {
        let z = (g - mx) / sx;
        (sy * sy * (1.0 - r) * (2.0 + (1.0 + r) * z * z) / n).sqrt()
    };
    let slope = se(lines.iter().map(|l| l.0).collect());
    let slope = slope.max((sy * sy * (1.0 - r * r) / n).sqrt() / sx);
    let at = (at.iter())
        .map(|&g| se(lines.iter().map(|(b, a)| a + b * g).collect()).max(floor(g)))
        .collect();
    (slope, at)
}

/// Five municipalities scored on both scales in 2010, the first also in
/// 2012 (its two pairs are left out together), old and new area 1; and
/// `more` municipalities with pairs of their own after them.
fn export(more: usize) -> (String, Vec<f64>, Vec<f64>, Vec<u32>) {
    let mut pairs = vec![
        (1, 2010, 60.0, 50.0),
        (1, 2012, 64.0, 55.0),
        (2, 2010, 65.0, 58.0),
        (3, 2010, 70.0, 61.0),
        (4, 2010, 80.0, 70.0),
        (5, 2010, 90.0, 84.0),
    ];
    for k in 0..more {
        let old = 55.0 + 4.5 * k as f64;
        pairs.push((6 + k as u32, 2010, old, old - 9.0 + (k % 3) as f64));
    }
    let codes = crate::test_coverage::codes();
    let mut text = String::from("municipality_code,eval_year,scale,a1\n");
    for (m, year, old, new) in &pairs {
        let code = &codes[*m as usize];
        text += &format!("{code},{year},old,{old}\n{code},{year},new,{new}\n");
    }
    let x = pairs.iter().map(|p| p.2).collect();
    let y = pairs.iter().map(|p| p.3).collect();
    let units = pairs.iter().map(|p| p.0).collect();
    (text, x, y, units)
}

/// Area 1's `slope_se` and the `linked_se` at old 60, 75 and 90 of a run
/// on `text` with `--link-seed seed`, as written.
fn written(text: &str, seed: &str) -> (f64, Vec<f64>, String) {
    let wd = Workdir::new();
    wd.create("in.csv", text);
    let args = ["--link-method", "linear", "--link-seed", seed];
    crate::test_analysis::run(&wd, "in.csv", &args);
    let links = wd.table("out/linking.csv").records();
    let area_1 = row(&links, &[("item", "1")]);
    let num = |s: &str| s.parse::<f64>().expect("a number");
    let concordance = wd.table("out/concordance.csv").records();
    let at = ["60", "75", "90"].map(|x| {
        let c = row(&concordance, &[("item", "1"), ("from_score", x)]);
        num(&c["linked_se"])
    });
    let n = area_1["n_municipalities"].clone();
    (num(&area_1["slope_se"]), at.to_vec(), n)
}

/// 5 municipalities (6 pairs): the slope's SE and the linked values' at
/// old 60, 75 and 90 are the jackknife's, to the 4 decimals written (the
/// bootstrap's differed by 30 % or more), whatever the `--link-seed`. With 4 more (9): the bootstrap's
/// again, which is not the jackknife's.
#[test]
fn a_linear_link_of_few_municipalities_takes_the_jackknife_s_se() {
    let at = [60.0, 75.0, 90.0];
    let (text, x, y, units) = export(0);
    let (slope, se_at, n) = written(&text, "2010");
    assert_eq!(n, "5");
    // No seed draws it.
    assert_eq!(written(&text, "7"), (slope, se_at.clone(), n));
    let (want_slope, want_at) = jackknife(&x, &y, &units, &at);
    assert!((slope - want_slope).abs() < 6e-5, "{slope} {want_slope}");
    for (got, want) in se_at.iter().zip(&want_at) {
        assert!((got - want).abs() < 6e-5, "{se_at:?} {want_at:?}");
    }
    let (text, x, y, units) = export(4);
    let (slope, _, n) = written(&text, "2010");
    assert_eq!(n, "9");
    let (jack, _) = jackknife(&x, &y, &units, &at);
    assert!(
        (slope - jack).abs() > 1e-3,
        "{slope} is the jackknife's {jack}"
    );
}

/// Coverage with known truth, in-process (`test_coverage`'s generator:
/// old half points, new whole points, r about 0.85): a `linear` link of 6
/// municipalities, its linked scores at old 49, 72.5 and 96 (about −2, 0
/// and +2 SDs from the pairs' mean) ± the half-width kompass gives them
/// (t with the degrees of freedom of `linking::dof`), against the
/// population's link (`test_coverage::true_link`), over 400 data sets:
/// 99.1 %, mean width 87.2 (the bootstrap it replaced: 99.25 %, 113.4).
#[test]
fn the_jackknife_s_intervals_cover_the_truth() {
    use crate::test_coverage::{codes, data_set, linear_link, true_link};
    use kompass::linking;
    const SETS: u64 = 400;
    const SCORES: [f64; 3] = [49.0, 72.5, 96.0];
    let truth: Vec<f64> = SCORES.iter().map(|&x| true_link(x)).collect();
    let codes = codes();
    let (mut covered, mut all, mut width) = (0u32, 0u32, 0.0);
    for seed in 0..SETS {
        let (linking, ix, at) = linear_link(data_set(20_000 + seed, &codes, 6, 0), seed, &SCORES);
        for ((&x, &truth), at) in SCORES.iter().zip(&truth).zip(at) {
            let Some((value, se)) = at else { continue };
            let half = linking::interval_half_width(Some(&linking), se, [(ix as u16, x as f32)]);
            covered += u32::from((value - truth).abs() <= half);
            width += 2.0 * half;
            all += 1;
        }
    }
    let share = f64::from(covered) / f64::from(all);
    eprintln!(
        "6 municipalities: {share:.4} covered of {all}, mean width {:.2}",
        width / f64::from(all)
    );
    assert!(all > 1000, "{all} intervals");
    assert!((0.95..=0.995).contains(&share), "coverage {share}");
    // The bootstrap it replaced: 99.25 %, mean width 113.4.
    assert!(width / f64::from(all) < 100.0, "mean width {width}");
}
