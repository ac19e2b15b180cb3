//! Does the 95 % interval of a change across the scale change cover the
//! truth? Many data sets are generated with a known relation between the
//! old and the new scale and a known true change, and run through ingest,
//! validation, linking and the trend summary in-process (no binary, so
//! that hundreds of replicates stay fast).
//!
//! Each data set: 10 municipalities scored on both scales in 2010 (the
//! dual-scored pairs the link is fitted on) and a panel of 150 scored on
//! the old scale in 2008 and on the new scale in 2012. Latent new-scale
//! score θ ~ N(55, 10); new = θ + N(0, 4), whole points; old = 12 + 1.1·θ +
//! N(0, 4.4), half points (SD ratio about 1.1, correlation about 0.85);
//! the panel gains Δ = 6 new-scale points. Both groups share θ's
//! distribution, so the mean-sigma link maps the panel's mean old score to
//! its mean θ, and the true mean change on the new scale is Δ.
//!
//! The linked score of one old score far from the pairs' mean is checked
//! the same way, on data sets of 30 pairs alone: the true link is the
//! population's linear link of the scores as drawn (`true_link`), close to
//! e(x) = (x − 12)/1.1 (new SD √116, old SD 1.1·√116: slope 1/1.1) but for
//! the old scores capped at 100 (1 % of draws: 75.70 at old 95 where the
//! formula gives 75.45, as the statistics audit of 2026-12-01 found).

use std::io::Write as _;

use kompass::analysis::frame::Frame;
use kompass::analysis::trends::{self, StepKind};
use kompass::ingest::{self, ReadOptions};
use kompass::io::Input;
use kompass::linking::methods::MethodChoice;
use kompass::linking::{self, ConcordancePoint, LinkOptions, Linking};
use kompass::reference::instrument::Instruments;
use kompass::reference::register::Register;
use kompass::stats::rng::Rng;
use kompass::validate;

const DELTA: f64 = 6.0;
const PAIRS: usize = 10;
const PANEL: usize = 150;
const DATA_SETS: u64 = 200;
/// The change's data sets: enough for a band of 92.5–97.5 % to tell an
/// interval whose linking SE is 30 % too small (88 % in the statistics
/// audit's rerun of this scenario) or 30 % too large (98.5 %) from one
/// that covers as it claims (about 96 %, the wide side of 95 % for a link
/// of 10 pairs).
const CHANGE_DATA_SETS: u64 = 400;
/// t(0.975, df) for the intervals the tests build themselves, from
/// `scipy.stats.t.ppf(0.975, df)`: not kompass's `t_quantile`, so that a
/// wrong quantile there cannot widen the intervals checked here.
pub const T975_29: f64 = 2.045_229_642;
pub const T975_149: f64 = 1.976_013_178;
pub const T975_7_25: f64 = 2.348_194_849;

/// A new-scale score of latent θ: θ + N(0, 4), whole points.
pub(crate) fn new_score(theta: f64, rng: &mut Rng) -> f64 {
    (theta + rng.gauss(0.0, 4.0)).round().clamp(0.0, 100.0)
}

/// An old-scale score of latent θ: 12 + 1.1·θ + N(0, 4.4), half points.
pub(crate) fn old_score(theta: f64, rng: &mut Rng) -> f64 {
    ((12.0 + 1.1 * theta + rng.gauss(0.0, 4.4)) * 2.0)
        .round()
        .clamp(0.0, 200.0)
        / 2.0
}

/// The sample SD of `v` (n − 1), computed here, not by kompass.
fn sd(v: &[f64]) -> f64 {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
}

/// One data set as a wide export (area 1 only): `pairs` dual-scored
/// municipalities, then `panel` scored in 2008 and 2012.
pub(crate) fn data_set(seed: u64, codes: &[String], pairs: usize, panel: usize) -> String {
    let mut rng = Rng::new(seed);
    let (new, old) = (new_score, old_score);
    let mut text = String::from("municipality_code,eval_year,scale,a1\n");
    for code in &codes[..pairs] {
        let theta = rng.gauss(55.0, 10.0);
        text += &format!("{code},2010,new,{}\n", new(theta, &mut rng));
        text += &format!("{code},2010,old,{}\n", old(theta, &mut rng));
    }
    for code in &codes[pairs..pairs + panel] {
        let theta = rng.gauss(55.0, 10.0);
        text += &format!("{code},2008,old,{}\n", old(theta, &mut rng));
        text += &format!("{code},2012,new,{}\n", new(theta + DELTA, &mut rng));
    }
    text
}

/// The data set `text` read, validated and linked (200 replicates), and
/// its analysis frame.
pub(crate) fn linked(text: &str, seed: u64) -> (Instruments, Linking, Frame) {
    linked_by(text, seed, MethodChoice::Auto)
}

/// [`linked`] with the link method `method`.
fn linked_by(text: &str, seed: u64, method: MethodChoice) -> (Instruments, Linking, Frame) {
    linked_with(text, seed, method, 200)
}

/// [`linked_by`] with `bootstrap` replicates.
pub(crate) fn linked_with(
    text: &str,
    seed: u64,
    method: MethodChoice,
    bootstrap: u32,
) -> (Instruments, Linking, Frame) {
    let instruments = Instruments::shipped().unwrap();
    let register = Register::shipped().unwrap();
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(text.as_bytes()).unwrap();
    let inputs = [Input {
        path: file.path().to_path_buf(),
        in_folder: false,
    }];
    let opts = ReadOptions::default();
    let ing = ingest::read_all(&inputs, opts.clone(), (&instruments, &register), None).unwrap();
    let mut data = validate::validate(ing, &instruments, &register, 2026).unwrap();
    let link_opts = LinkOptions {
        bootstrap,
        seed,
        method,
        ..LinkOptions::default()
    };
    let linking = linking::link(&mut data, &instruments, &link_opts).unwrap();
    let frame = Frame::build(&data, Some(&linking), &instruments, &register);
    (instruments, linking, frame)
}

/// (mean change, its sampling SE, linking SE, n, the interval) of area 1's
/// change between rounds 1 and 2 on the linked scale.
fn summary(text: &str, seed: u64) -> (f64, f64, f64, u64, (f64, f64)) {
    let (instruments, linking, frame) = linked(text, seed);
    let t = trends::trends(&frame);
    let rows = trends::summarise(&frame, &t, Some(&linking)).unwrap();
    let new = instruments.lookup("new").unwrap();
    let area1 = instruments.get(new).item("1").unwrap();
    let r = rows
        .iter()
        .find(|r| {
            Some(r.scale) == frame.linked_scale()
                && r.item == area1
                && r.kind == StepKind::Round
                && r.step == "1→2"
        })
        .expect("the linked change of area 1");
    (
        r.mean,
        r.se_sampling().unwrap(),
        r.errors.se_link.unwrap(),
        r.n(),
        r.ci.unwrap(),
    )
}

/// Swedish municipality codes (all 290).
pub(crate) fn codes() -> Vec<String> {
    let register = Register::shipped().unwrap();
    register
        .municipalities()
        .iter()
        .filter(|m| m.country == "SE")
        .map(|m| m.code.clone())
        .collect()
}

/// The linked score of old 95 (about two SDs above the pairs' mean of
/// 72.5), with its interval as the report gives it (± t(ν) × SE, ν from
/// 29 down to 29 / 4 as the link is read far from its pairs' mean),
/// covers the true link's 75.70 whatever link `auto` takes. (Taking the
/// mean link when its leave-one-out error was the smaller, as kompass did,
/// it covered about 4 times in 5: that link's slope of 1 is 2 points off
/// at 95, and its SE, taken as if the choice were known, leaves that out.)
#[test]
fn the_interval_of_a_linked_score_far_from_the_pairs_covers_the_truth() {
    let share = coverage_of_linked_score(95.0);
    assert!((0.92..=0.98).contains(&share), "coverage {share}");
}

/// Old 15 links to 2.27 (the formula's (15 − 12)/1.1 = 2.73 but for the
/// cap at 100), near the bottom of the scale:
/// about half the estimates fall below 0 and are clamped to it. With the
/// SE taken from replicates clamped alike (as until 2026-11-30) the
/// interval was far narrower for a clamped estimate and covered the truth
/// 85 times in 100 (the statistics audit found 85 % at old 17 and 40 %
/// among the clamped estimates); with the link's own SE it covers 97
/// times in 100 (the clamped score's interval is conservative, but not
/// so wide that it would cover every time).
#[test]
fn the_interval_of_a_linked_score_at_the_edge_of_the_scale_covers_the_truth() {
    let share = coverage_of_linked_score(15.0);
    assert!((0.93..=0.99).contains(&share), "coverage {share}");
}

/// The population's linear link at `old`, 0 below 0: the means and SDs of
/// 2,000,000 new and old scores drawn as the data sets draw them (their
/// Monte Carlo error is under 0.01 points at old 95), computed here, not by
/// kompass.
pub(crate) fn true_link(old: f64) -> f64 {
    const DRAWS: usize = 2_000_000;
    let mut rng = Rng::new(0x7E57);
    let (mut new, mut olds) = (Vec::with_capacity(DRAWS), Vec::with_capacity(DRAWS));
    for _ in 0..DRAWS {
        let theta = rng.gauss(55.0, 10.0);
        new.push(new_score(theta, &mut rng));
        olds.push(old_score(theta, &mut rng));
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let slope = sd(&new) / sd(&olds);
    (mean(&new) + slope * (old - mean(&olds))).max(0.0)
}

/// The share of [`DATA_SETS`] data sets of 30 pairs in which the linked
/// score of `old`, with its interval as the report gives it (± t(ν) × SE,
/// kompass's multiplier checked to lie between scipy's t(29) and
/// t(7.25)), covers the true link ([`true_link`]).
fn coverage_of_linked_score(old_score: f64) -> f64 {
    const FAR_PAIRS: usize = 30;
    let truth = true_link(old_score);
    eprintln!("true link at old {old_score}: {truth:.3}");
    let codes = codes();
    let mut covered = 0;
    for seed in 0..DATA_SETS {
        let (instruments, linking, _) = linked(&data_set(seed, &codes, FAR_PAIRS, 0), seed);
        let old = instruments.lookup("old").unwrap();
        let area1 = instruments.get(old).item("1").unwrap();
        let ix = (linking.items.iter())
            .position(|l| l.from == old && l.from_item == area1)
            .expect("area 1 linked");
        let ConcordancePoint {
            linked: value, se, ..
        } = (linking.items[ix].concordance.iter())
            .find(|c| c.x == old_score)
            .copied()
            .expect("the score on the concordance");
        // ± t(ν) · linked_se, as the README says to read it and the
        // report computes it: ν 29 at the pairs' mean, down to 29 / 4 for
        // a linear link far from it (`linking::dof`).
        assert_eq!(linking.items[ix].pairs.len(), FAR_PAIRS);
        let se = se.unwrap();
        let half = far_half_width(&linking, ix, old_score, se);
        if (value - truth).abs() <= half {
            covered += 1;
        }
    }
    let share = covered as f64 / DATA_SETS as f64;
    eprintln!("linked score at old {old_score}: coverage {share:.3} over {DATA_SETS} data sets");
    share
}

/// Area 1's `linear` link of the data set `text` (200 replicates, seed
/// `seed`): the linking, the link's index, and each of `scores`' linked
/// value and SE (none where it has no SE).
pub(crate) fn linear_link(
    text: String,
    seed: u64,
    scores: &[f64],
) -> (Linking, usize, Vec<Option<(f64, f64)>>) {
    let (instruments, linking, _) = linked_with(&text, seed, MethodChoice::Linear, 200);
    let old = instruments.lookup("old").unwrap();
    let ix = (linking.items.iter())
        .position(|l| l.from == old)
        .expect("area 1 linked");
    let at = (scores.iter())
        .map(|&x| {
            let c = linking.items[ix].concordance.iter().find(|c| c.x == x);
            c.and_then(|c| c.se.map(|se| (c.linked, se)))
        })
        .collect();
    (linking, ix, at)
}

/// The half-width kompass gives the linked score of `old` through link
/// `ix` of 30 municipalities with SE `se`, checked to lie between t(29) ·
/// se and t(29 / 4) · se (scipy's quantiles).
fn far_half_width(linking: &Linking, ix: usize, old: f64, se: f64) -> f64 {
    let half = linking::interval_half_width(Some(linking), se, [(ix as u16, old as f32)]);
    assert!(
        T975_29 * se * (1.0 - 1e-9) <= half && half <= T975_7_25 * se * (1.0 + 1e-9),
        "{half} outside t(29) · {se} to t(7.25) · {se}"
    );
    half
}

/// A linear link of 30 municipalities, 1.5 and 2 SDs either side of the
/// pairs' mean (old 49, 55, 90 and 96 about 72.5 ± 11.85): there the SE
/// rests on the slope's error, estimated from the pairs' fourth moments
/// and so less surely than the level's, and the interval takes its
/// fewer degrees of freedom (`linking::dof`). Over 1,000 data sets its
/// intervals cover the true link 94–97.5 % of the time, pooled over the
/// four scores (94.9 %); t(29) times the same SE, kompass's multiplier
/// until 2026-12-04, covers under 93.5 % (92.2 %).
#[test]
fn a_linear_link_far_from_its_pairs_mean_takes_the_slopes_degrees_of_freedom() {
    const SETS: u64 = 1000;
    const SCORES: [f64; 4] = [49.0, 55.0, 90.0, 96.0];
    let truth: Vec<f64> = SCORES.iter().map(|&x| true_link(x)).collect();
    let codes = codes();
    let (mut covered, mut covered_plain, mut all) = (0, 0, 0);
    for seed in 0..SETS {
        let (linking, ix, at) = linear_link(data_set(10_000 + seed, &codes, 30, 0), seed, &SCORES);
        for ((&x, &truth), at) in SCORES.iter().zip(&truth).zip(at) {
            let (value, se) = at.expect("an SE");
            let gap = (value - truth).abs();
            covered += u32::from(gap <= far_half_width(&linking, ix, x, se));
            covered_plain += u32::from(gap <= T975_29 * se);
            all += 1;
        }
    }
    let share = |k: u32| f64::from(k) / f64::from(all);
    let (share, plain) = (share(covered), share(covered_plain));
    eprintln!("far from the mean: {share:.4} covered, {plain:.4} with t(29)");
    assert!((0.94..=0.975).contains(&share), "coverage {share}");
    assert!(
        plain < 0.935,
        "t(29) covered {plain}: the scenario does not tell"
    );
}

#[test]
fn the_interval_of_a_change_across_the_scale_change_covers_the_truth() {
    let codes = codes();
    let (mut covered, mut covered_without_link) = (0, 0);
    for seed in 0..CHANGE_DATA_SETS {
        let text = data_set(seed, &codes, PAIRS, PANEL);
        let (mean, se_sampling, se_link, n, (lo, hi)) = summary(&text, seed);
        assert_eq!(n, PANEL as u64);
        assert!(se_link > 0.0);
        if lo <= DELTA && DELTA <= hi {
            covered += 1;
        }
        // The interval without the linking error, as kompass had it.
        let h = T975_149 * se_sampling;
        if (mean - DELTA).abs() <= h {
            covered_without_link += 1;
        }
    }
    let share = |k: u64| k as f64 / CHANGE_DATA_SETS as f64;
    eprintln!(
        "coverage over {CHANGE_DATA_SETS} data sets: {:.3} with the linking error, {:.3} without",
        share(covered),
        share(covered_without_link)
    );
    assert!(
        (0.925..=0.975).contains(&share(covered)),
        "coverage {} with the linking error",
        share(covered)
    );
    assert!(
        share(covered_without_link) < 0.85,
        "without the linking error the interval should not cover: {}",
        share(covered_without_link)
    );
}

/// An equipercentile link of 150 pairs: old and new are both normal here,
/// so the population's equipercentile link is the true linear one, e(x) =
/// (x − 12)/1.1. Its intervals cover that 91–97 times in 100 wherever it
/// gives one, pooled over the scores (at a fixed score see the README,
/// "Scale linking"); a point with fewer than
/// `EQUIPERCENTILE_TAIL_PAIRS` pairs at or beyond it has none, nor one
/// where the pairs' normal fit expects fewer than 10 beyond it
/// (`EQUIPERCENTILE_EXPECTED_BEYOND`): of 150 pairs, more than 1.501086
/// SDs from their mean (scipy's `norm.isf(10 / 150)`).
#[test]
fn the_interval_of_an_equipercentile_link_covers_the_truth() {
    const EQ_PAIRS: usize = 150;
    let codes = codes();
    const Z_10_OF_150: f64 = 1.501_085_946;
    // (covered, intervals) inside and in the tails (7 to 20 pairs beyond),
    // and of the intervals the replicates would give where kompass gives
    // none: by pairs beyond (1 to 6), and beyond the normal fit's 10.
    let (mut inside, mut tail, mut unfitted) = ((0u32, 0u32), (0u32, 0u32), (0u32, 0u32));
    let mut withheld = [(0u32, 0u32); 7];
    for seed in 0..DATA_SETS {
        let text = data_set(seed, &codes, EQ_PAIRS, 0);
        let (instruments, linking, _) = linked_by(&text, seed, MethodChoice::Equipercentile);
        let old = instruments.lookup("old").unwrap();
        let area1 = instruments.get(old).item("1").unwrap();
        let ix = (linking.items.iter())
            .position(|l| l.from == old && l.from_item == area1)
            .expect("area 1 linked");
        let link = &linking.items[ix];
        assert_eq!(link.pairs.len(), EQ_PAIRS);
        let from: Vec<f64> = link.pairs.iter().map(|p| p.0).collect();
        let (mean, sd_from) = (from.iter().sum::<f64>() / from.len() as f64, sd(&from));
        for (
            i,
            &ConcordancePoint {
                x,
                linked: value,
                se,
            },
        ) in link.concordance.iter().enumerate()
        {
            let truth = (x - 12.0) / 1.1;
            let up = link.pairs.iter().filter(|p| p.0 >= x).count();
            let down = link.pairs.iter().filter(|p| p.0 <= x).count();
            let beyond = up.min(down);
            let fitted = (x - mean).abs() / sd_from <= Z_10_OF_150;
            assert_eq!(
                se.is_some(),
                beyond >= 7 && fitted,
                "seed {seed}, old {x}: {beyond} pairs beyond"
            );
            if !(0.0..=100.0).contains(&truth) || beyond == 0 {
                continue;
            }
            // The replicates' SD there (of their deviations from the
            // fitted link, the same SD).
            let se = se.unwrap_or_else(|| sd(link.replicates.at(i)));
            let half = T975_149 * se;
            let count = match (beyond, fitted) {
                (1..=6, _) => &mut withheld[beyond],
                (_, false) => &mut unfitted,
                (7..=20, true) => &mut tail,
                _ => &mut inside,
            };
            count.1 += 1;
            if (value - truth).abs() <= half {
                count.0 += 1;
            }
        }
    }
    check_equipercentile_coverage(inside, tail, unfitted, &withheld);
}

/// Prints and checks the equipercentile intervals' coverage, as (covered,
/// intervals): `inside` within 92–97 %, in the `tail` within 91–97 %, and
/// where kompass gives none (`withheld` by pairs beyond, 1 to 6; `unfitted`
/// beyond the normal fit's 10) printed, 1 or 2 pairs beyond covering less.
fn check_equipercentile_coverage(
    inside: (u32, u32),
    tail: (u32, u32),
    unfitted: (u32, u32),
    withheld: &[(u32, u32)],
) {
    let share = |(c, n): (u32, u32)| f64::from(c) / f64::from(n);
    eprintln!(
        "equipercentile coverage over {DATA_SETS} data sets: {:.3} inside ({} intervals), {:.3} \
         in the tails ({})",
        share(inside),
        inside.1,
        share(tail),
        tail.1
    );
    let shares: Vec<String> = (1..=6)
        .map(|k| format!("{k}: {:.3}", share(withheld[k])))
        .collect();
    eprintln!(
        "  and where none is given, by pairs beyond: {}; beyond the normal fit's 10: {:.3} ({})",
        shares.join(", "),
        share(unfitted),
        unfitted.1
    );
    assert!(
        (0.92..=0.97).contains(&share(inside)),
        "inside: {}",
        share(inside)
    );
    assert!(
        (0.91..=0.97).contains(&share(tail)),
        "tails: {}",
        share(tail)
    );
    // Why none is given there: with 1 or 2 pairs beyond, the replicates'
    // SE would cover far less often than it claims.
    assert!(share(withheld[1]) < 0.85 && share(withheld[2]) < 0.88);
}
