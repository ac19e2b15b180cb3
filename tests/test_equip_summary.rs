//! Does the linking error of an average of scores linked `equipercentile`
//! cover the truth where some of the scores lie in the link's tails? A
//! linked score there has no SE of its own; an average enters them with
//! the link's replicates, unless more than 50 % of its scores lie in the
//! tails (`EQUIPERCENTILE_TAIL_SHARE`) or more than 2 % outside the pairs'
//! scores, where the link is held at an edge
//! (`EQUIPERCENTILE_OUTSIDE_SHARE`; README, "Outside and at the edges of
//! the pairs"). In-process, like `test_coverage`.
//!
//! Each data set: 150 municipalities scored on both scales in 2010 (θ ~
//! N(55, 10); new = θ in whole points, old = 11 + θ + N(0, 4) in half
//! points) and a group scored on the old scale in 2008: 130 drawn the
//! same way or with θ 1 SD lower, or 40 high in the upper tail (θ ~
//! N(70, 3)). The link's error alone is checked: the
//! truth is the mean of the true link at the panel's own old scores (so
//! no sampling error enters), the true link the equipercentile link of
//! the two normal marginals (`test_equip_discrete::true_link`), not
//! kompass's.

use std::ops::RangeInclusive;

use kompass::analysis::averages::{self, Basis, Grouping};
use kompass::linking::methods::MethodChoice;
use kompass::stats::rng::Rng;

use crate::test_coverage::{T975_149, codes, linked_with};
use crate::test_equip_discrete::{cumulative, true_link};

const PAIRS: usize = 150;
const DATA_SETS: u64 = 250;
const PANEL_LIKE_PAIRS: Panel = Panel {
    size: 130,
    mean: 55.0,
    sd: 10.0,
};
const PANEL_BELOW: Panel = Panel {
    size: 130,
    mean: 45.0,
    sd: 10.0,
};
const NOISE: f64 = 4.0;

/// Half points of an old score of latent `theta`.
fn old(theta: f64, rng: &mut Rng) -> f64 {
    ((11.0 + theta + rng.gauss(0.0, NOISE)) * 2.0)
        .round()
        .clamp(0.0, 200.0)
        / 2.0
}

/// The group scored in 2008: its size and its θ's mean and SD.
#[derive(Clone, Copy, Debug)]
struct Panel {
    size: usize,
    mean: f64,
    sd: f64,
}

/// One data set (area 1 only) and the old scores of its pairs and of its
/// panel.
fn data_set(seed: u64, codes: &[String], group: Panel) -> (String, Vec<f64>, Vec<f64>) {
    let mut rng = Rng::new(seed);
    let mut text = String::from("municipality_code,eval_year,scale,a1\n");
    let (mut pairs, mut panel) = (Vec::new(), Vec::new());
    for code in &codes[..PAIRS] {
        let theta = rng.gauss(55.0, 10.0);
        let (new, old) = (theta.round().clamp(0.0, 100.0), old(theta, &mut rng));
        text += &format!("{code},2010,new,{new}\n{code},2010,old,{old}\n");
        pairs.push(old);
    }
    for code in &codes[PAIRS..PAIRS + group.size] {
        let old = old(rng.gauss(group.mean, group.sd), &mut rng);
        text += &format!("{code},2008,old,{old}\n");
        panel.push(old);
    }
    (text, pairs, panel)
}

/// Whether old score `x` lies in the tails of an equipercentile link of
/// 150 pairs with old scores `pairs`, by the rule (README, "Scale
/// linking"; `test_coverage` checks the concordance against it): fewer
/// than 7 pairs at or beyond it, or more than 1.501086 SDs from their mean,
/// where their normal fit expects fewer than 10 of 150 beyond (scipy's
/// `norm.isf(10 / 150)`).
fn in_the_tails(pairs: &[f64], x: f64) -> bool {
    const Z_10_OF_150: f64 = 1.501_085_946;
    assert_eq!(pairs.len(), 150);
    let (mean, sd) = crate::test_jackknife::mean_sd(pairs);
    let up = pairs.iter().filter(|&&p| p >= x).count();
    let down = pairs.iter().filter(|&&p| p <= x).count();
    up.min(down) < 7 || (x - mean).abs() / sd > Z_10_OF_150
}

/// The shares of `panel`'s scores in the link's tails
/// ([`in_the_tails`], outside the pairs included) and outside the range
/// of `pairs`' scores.
fn shares(pairs: &[f64], panel: &[f64]) -> (f64, f64) {
    let lo = pairs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = pairs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let outside = panel.iter().filter(|&&x| x < lo || x > hi).count();
    let tails = panel.iter().filter(|&&x| in_the_tails(pairs, x)).count();
    let k = panel.len() as f64;
    (tails as f64 / k, outside as f64 / k)
}

/// Over `DATA_SETS` data sets: the share of the panel's 2008 averages
/// with a linking SE, and the share of those whose mean ± t(149) ·
/// `se_link` covers the mean of the true link at the panel's scores.
/// Checks on the way that an average has an SE exactly where at most 50 %
/// of the panel lies in the link's tails and at most 2 % outside the
/// pairs' scores.
fn coverage(group: Panel, first: u64) -> (f64, f64) {
    let codes = codes();
    assert!(codes.len() >= PAIRS + group.size);
    let f = cumulative(66.0, 10f64.hypot(NOISE), 0.5, 100.0);
    let g = cumulative(55.0, 10.0, 1.0, 100.0);
    let (mut with_se, mut covered) = (0u32, 0u32);
    for seed in first..first + DATA_SETS {
        let (text, pairs, panel) = data_set(seed, &codes, group);
        let (instruments, linking, frame) =
            linked_with(&text, seed, MethodChoice::Equipercentile, 400);
        let rows = averages::summarise(&frame, Basis::All, Some(&linking)).unwrap();
        let new = instruments.lookup("new").unwrap();
        let area1 = instruments.get(new).item("1").unwrap();
        let avg = (rows.iter())
            .find(|r| {
                Some(r.scale) == frame.linked_scale()
                    && r.grouping == Grouping::EvalYear
                    && r.group == "SE 2008"
                    && r.item == area1
            })
            .expect("the panel's linked average");
        assert_eq!(avg.n(), group.size as u64);
        let (tails, outside) = shares(&pairs, &panel);
        let given = tails <= 0.5 && outside <= 0.02;
        assert_eq!(
            avg.errors.se_link.is_some(),
            given,
            "seed {seed}: {tails}, {outside}"
        );
        let Some(se) = avg.errors.se_link else {
            continue;
        };
        let truth = (panel.iter())
            .map(|&x| true_link(&f, &g, (x * 2.0).round() as usize))
            .sum::<f64>()
            / group.size as f64;
        with_se += 1;
        covered += u32::from((avg.mean - truth).abs() <= T975_149 * se);
    }
    let given = f64::from(with_se) / DATA_SETS as f64;
    (given, f64::from(covered) / f64::from(with_se.max(1)))
}

/// [`coverage`] of `group` from seed `first`, which must give an SE in
/// a share of the data sets within `given` and cover within `covers`.
fn check(group: Panel, first: u64, given: RangeInclusive<f64>, covers: RangeInclusive<f64>) {
    let (with_se, share) = coverage(group, first);
    eprintln!("equipercentile average of {group:?}: SE in {with_se:.3}, covers {share:.3}");
    assert!(
        given.contains(&with_se),
        "an SE in {with_se:.3} of the averages"
    );
    assert!(covers.contains(&share), "coverage {share:.3}");
}

/// A panel drawn like the pairs: about 1 in 7 of its scores lies in the
/// link's tails (no SE of its own), and most averages have an SE (none
/// did before 2026-12-06), which covers the link's error at the panel's
/// scores 93–97 % of the time.
#[test]
fn an_equipercentile_average_with_scores_in_the_tails_has_an_se_that_covers() {
    check(PANEL_LIKE_PAIRS, 30_000, 0.6..=1.0, 0.93..=0.97);
}

/// A panel 1 SD below the pairs: a quarter to a third of it in the lower
/// tail, and often more than 2 % of it below every pair, where the
/// average has no SE; where it has one, it covers 92–98 % of the time.
#[test]
fn an_equipercentile_average_of_a_panel_below_the_pairs_covers_where_it_has_an_se() {
    check(PANEL_BELOW, 40_000, 0.1..=0.5, 0.92..=0.98);
}

/// A group of 40 high in the upper tail (θ ~ N(70, 3), old scores about
/// 81 against the pairs' 66 ± 10.8): often more than 50 % of it in the
/// tail, where the average has no SE (with 60–80 % the link's error alone
/// was covered 75–93 % of the time); where it has one, it covers the
/// link's error 91–98 % of the time (92.9 %: the replicates understate
/// the link's error in the tail, and half the group is there).
#[test]
fn an_equipercentile_average_of_a_group_in_the_tail_covers_where_it_has_an_se() {
    let high = Panel {
        size: 40,
        mean: 70.0,
        sd: 3.0,
    };
    check(high, 50_000, 0.3..=0.8, 0.91..=0.98);
}
