//! Fitting one item's link: the function, then from its bootstrap
//! replicates ([`super::bootstrap`], scaled for small samples; a linear
//! link of 5–8 municipalities, its jackknife's, [`super::jackknife`]) the
//! SEs ([`super::uncertainty`]), and the figures `linking.csv` reports.

use super::bootstrap::Boot;
use super::loo::leave_one_out;
use super::methods::LINEAR_MIN_PAIRS;
use super::methods::{Fitted, Method, Range, fit, spread};
use super::normal_theory::{analytic, linear_se, lone_spread, mean_link_se, units_agree};
use super::pooled::Pool;
use super::tails::without_data;
use super::uncertainty::{Uncertainty, uncertainty};
use super::{Deviations, ItemLink, LinkOptions};
use crate::reference::instrument::{Instruments, ItemIx, ScaleIx};
use crate::stats::mean_sd;

/// FNV-1a, to give each scale (and each item's analytic replicates) its
/// own random stream.
pub(super) fn stream_id(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Pearson's correlation (none for fewer than two pairs or no spread).
pub(super) fn correlation(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() < 2 {
        return None;
    }
    let ((mx, sx), (my, sy)) = (mean_sd(x), mean_sd(y));
    if !spread(mx, sx) || !spread(my, sy) {
        return None;
    }
    let cov = x
        .iter()
        .zip(y)
        .map(|(a, b)| (a - mx) * (b - my))
        .sum::<f64>()
        / (x.len() - 1) as f64;
    Some(cov / (sx * sy))
}

/// Whether two or more pairs leave no spread around a `method` link: a mean
/// link's differences y − x all equal, a linear link's pairs all on one
/// rising line (r = 1), an equipercentile link's each score to link from
/// with one target score, rising with it (every pair on the link: 100
/// municipalities all at old 60 and new 55, or new = old − 5). Then every
/// resample gives the same link, and the SE would be 0.
fn without_spread(method: Method, x: &[f64], y: &[f64]) -> bool {
    if x.len() < 2 {
        return false;
    }
    match method {
        Method::Mean => {
            let d: Vec<f64> = x.iter().zip(y).map(|(a, b)| b - a).collect();
            let (m, s) = mean_sd(&d);
            !spread(m, s)
        }
        // No r: no spread on the target scale (all the same score), so a
        // slope of 0 in every resample (no spread on the source scale
        // leaves no line to fit at all).
        Method::Linear => correlation(x, y).is_none_or(|r| r >= 1.0 - 1e-12),
        Method::Equipercentile => {
            let mut pairs: Vec<(f64, f64)> = x.iter().copied().zip(y.iter().copied()).collect();
            pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            // Sorted by x: one y per x, rising with x (several x of one y
            // are a flat run, whose link moves with the resample's
            // proportions).
            pairs.windows(2).all(|w| match w[0].0 == w[1].0 {
                true => w[0].1 == w[1].1,
                false => w[0].1 < w[1].1,
            })
        }
        Method::Identity => false,
    }
}

/// One item's dual-scored pairs, and for each the dual-scored evaluation
/// year it comes from (an index below the number of evaluation years
/// scored on both scales, [`super::pairs::Pairs::municipalities`]) and
/// its municipality's number (the same for a municipality's years, which
/// follow each other), and how many municipalities they are.
#[derive(Debug, Clone, Default)]
pub struct Sample {
    pub pairs: Vec<(f64, f64)>,
    pub evals: Vec<u32>,
    pub municipalities: Vec<u32>,
    pub units: usize,
}

/// An item's link fitted, or fitted and waiting for its bootstrap
/// replicates, which the items of a scale draw together
/// ([`super::bootstrap`]).
pub(super) enum Fit {
    Linked(ItemLink),
    Pending(Prepared),
}

/// An item's link fitted to its pairs, before its uncertainty
/// ([`finish`]).
pub(super) struct Prepared {
    link: (ScaleIx, ItemIx, ItemIx, Method, Fitted),
    pairs: Vec<(f64, f64)>,
    /// The pairs' scores on the `from` and the `to` scale.
    pub(super) x: Vec<f64>,
    pub(super) y: Vec<f64>,
    /// For each pair, which dual-scored evaluation year it comes from.
    pub(super) evals: Vec<u32>,
    /// Each pair's municipality (as [`Sample::municipalities`]): how many
    /// there are is the bootstrap's sample size.
    ids: Vec<u32>,
    /// The score points of the `from` item.
    pub(super) grid: Vec<f64>,
    pub(super) ranges: (Range, Range),
    spread: bool,
    /// Its spread on the source scale rests on one municipality.
    lone: bool,
    /// Whether it gets bootstrap replicates.
    pub(super) estimable: bool,
}

impl Prepared {
    pub(super) fn method(&self) -> Method {
        self.link.3
    }

    /// The link fitted to all the pairs.
    pub(super) fn fitted(&self) -> &Fitted {
        &self.link.4
    }

    /// Each pair's municipality, a municipality's pairs together.
    pub(super) fn ids(&self) -> &[u32] {
        &self.ids
    }

    /// A linear link of pairs `x`, `y` of municipalities `ids` (in runs),
    /// both scales 0 to 10 in whole points.
    #[cfg(test)]
    pub(super) fn for_tests(x: &[f64], y: &[f64], ids: &[u32]) -> Prepared {
        let range = Range {
            max: 10.0,
            step: 1.0,
        };
        let fitted = fit(Method::Linear, x, y, range, range).expect("a line");
        Prepared {
            link: (0, 0, 0, Method::Linear, fitted),
            pairs: x.iter().copied().zip(y.iter().copied()).collect(),
            x: x.to_vec(),
            y: y.to_vec(),
            evals: (0..x.len() as u32).collect(),
            ids: ids.to_vec(),
            grid: (0..=10).map(f64::from).collect(),
            ranges: (range, range),
            spread: true,
            lone: false,
            estimable: true,
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn fit_item(
    instruments: &Instruments,
    from: ScaleIx,
    from_item: ItemIx,
    to: ScaleIx,
    to_item: ItemIx,
    method: Method,
    sample: Sample,
    opts: &LinkOptions,
) -> Option<Fit> {
    let Sample {
        pairs,
        evals,
        municipalities,
        units: n,
    } = sample;
    let fs = instruments.get(from);
    let (rf, rt) = super::ranges(instruments, from, from_item, to, to_item);
    let (x, y): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
    let fitted = fit(method, &x, &y, rf, rt)?;
    let grid: Vec<f64> = {
        let steps = (rf.max / fs.resolution).round() as usize;
        (0..=steps).map(|i| i as f64 * fs.resolution).collect()
    };
    // Pairs without spread around the link (a mean link's differences all
    // equal, a linear link's pairs on one rising line) give every replicate
    // the fitted link and an SE of 0: not an estimate of the linking error
    // but the absence of one, so the link is left unestimated like a single
    // pair's (no replicates, no SEs, a `link-unestimated` warning), and
    // changes through it get no interval rather than one that leaves the
    // link's error out.
    let mut spread = !without_spread(method, &x, &y);
    // Below ANALYTIC_BELOW municipalities the mean link gets normal-theory
    // replicates with its analytic SE; otherwise a bootstrap over them.
    // A linear link of so few municipalities' pairs (or an equipercentile
    // link of 100 pairs or more from so few) has no usable error estimate (its
    // bootstrap is degenerate, and its normal-theory SE rests on a sample
    // correlation of 2 to 4 pairs, often near 1: intervals from it cover
    // the truth about 4 times in 5): it is left unestimated. So is every
    // link with `--bootstrap 0`, analytic or not.
    let few = n < ANALYTIC_BELOW;
    let replicable =
        opts.bootstrap > 0 && !(few && matches!(method, Method::Linear | Method::Equipercentile));
    let analytic_se =
        (few && method == Method::Mean && n >= 2).then(|| mean_link_se(&pairs, &municipalities, n));
    // Pairs that differ, but whose municipalities' deviations from the
    // mean difference cancel out (−10 and −6 in one, −8 in the other):
    // no spread between the units either, however many there are (every
    // resample of municipalities has the mean link; from 5 on its SE was 0,
    // and an analytic SE of rounding residue, 4e-16, passed as one).
    spread &= !(method == Method::Mean && units_agree(&pairs, &municipalities));
    if let (true, true, Some(se)) = (spread, replicable, analytic_se) {
        return Some(Fit::Linked(analytic(
            (from, from_item, to_item),
            (pairs, &municipalities, se),
            fitted,
            &grid,
            (rf, rt),
            opts,
            stream_id(&format!("{}/{}", fs.id, fs.get(from_item).id)),
        )));
    }
    // A linear link whose spread on the source scale rests on one
    // municipality has no usable bootstrap (see [`lone_spread`]).
    let lone = method == Method::Linear && lone_spread(&x, &municipalities);
    let estimable = spread && replicable && !lone && n >= 2 && method != Method::Identity;
    Some(Fit::Pending(Prepared {
        link: (from, from_item, to_item, method, fitted),
        pairs,
        x,
        y,
        evals,
        ids: municipalities,
        grid,
        ranges: (rf, rt),
        spread,
        lone,
        estimable,
    }))
}

/// The link of `p` with its uncertainty from its bootstrap replicates
/// `boot` (none when it is not estimable).
pub(super) fn finish(p: Prepared, boot: Boot) -> ItemLink {
    let Prepared {
        link,
        pairs,
        x,
        grid,
        ranges: (rf, rt),
        spread,
        lone,
        ids,
        y,
        ..
    } = p;
    let (method, fitted) = (link.3, &link.4);
    let n = count_runs(&ids);
    // Resamples that could not be fitted (no spread on the source scale,
    // or fewer than two of the item's pairs drawn, none for a mean link)
    // leave a bootstrap of those that could, whose spread is too small:
    // the normal-theory SE is its floor then (a simulation of tied scores,
    // `benches/coverage/ties.py`: 95 % intervals covering 91.6 % where 5 to
    // 20 % of resamples were dropped, 94.0 % with the floor).
    // Where the band below held a replicate, its spread is cut short: the
    // same floor applies (see `uncertainty::held_and_floored`).
    let floor = (method == Method::Linear)
        .then(|| linear_se(&x, &y, n, &grid))
        .flatten();
    let pool = (method == Method::Equipercentile)
        .then(|| Pool::of(&x, &y, (rf, rt)))
        .flatten();
    let mut uncertainty = uncertainty(method, fitted, &grid, boot, (n, rt.max), floor, pool);
    if method == Method::Equipercentile {
        without_data(&mut uncertainty.concordance, &x, rf);
    }
    item_link(link, (pairs, &ids), uncertainty, (!spread, lone), (rf, rt))
}

/// The link `fitted` by `method` of `pairs` with its uncertainty, and the
/// pairs' own figures: means, SDs (2 pairs or more), r, leave-one-out error
/// (each municipality left out with all its pairs; `ids`, each pair's
/// municipality, also say how many municipalities they are).
pub(super) fn item_link(
    (from, from_item, to_item, method, fitted): (ScaleIx, ItemIx, ItemIx, Method, Fitted),
    (pairs, ids): (Vec<(f64, f64)>, &[u32]),
    u: Uncertainty,
    (without_spread, lone_spread): (bool, bool),
    (rf, rt): (Range, Range),
) -> ItemLink {
    let n = pairs.len();
    let (x, y): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
    let stats = |v: &[f64]| (!v.is_empty()).then(|| mean_sd(v));
    let (mf, sf) = stats(&x).unzip();
    let (mt, st) = stats(&y).unzip();
    // The linking error reads each replicate's deviation from the fitted
    // (clamped) value of a point.
    let at_points: Vec<f64> = u.concordance.iter().map(|c| c.linked).collect();
    ItemLink {
        from,
        from_item,
        to_item,
        method,
        mean_from: mf,
        sd_from: sf.filter(|_| n >= 2),
        mean_to: mt,
        sd_to: st.filter(|_| n >= 2),
        fitted,
        slope_se: u.slope_se,
        intercept_se: u.intercept_se,
        loo_mae: leave_one_out(method, (&x, &y), ids, rf, rt),
        clamped: 0,
        r: correlation(&x, &y),
        extrapolated: 0,
        linked: 0,
        replicates: Deviations::new(&u.replicates, &at_points),
        concordance: u.concordance,
        boot_dropped: u.boot_dropped,
        bootstrapped: u.drawn,
        without_spread,
        lone_spread,
        invariance: Vec::new(),
        pairs,
        municipalities: count_runs(ids),
    }
}

/// Municipalities (with their pairs) below which the bootstrap of a link
/// is degenerate (every resample of 2 pairs gives the same line or none;
/// with 3 the SE is far too small): the mean link gets its analytic SE
/// instead, a linear link none. The bound below which `auto` takes no
/// linear link ([`LINEAR_MIN_PAIRS`]), for the same reason.
pub const ANALYTIC_BELOW: usize = LINEAR_MIN_PAIRS;

/// The number of runs of equal values in `v`: of municipalities, whose
/// pairs follow each other.
pub(super) fn count_runs(v: &[u32]) -> usize {
    super::loo::runs(v).len()
}
