//! Fitting one item's link: the function, then from its bootstrap
//! replicates ([`super::bootstrap`], scaled for small samples; a linear
//! link of 5–8 municipalities, its jackknife's, [`super::jackknife`]) the
//! SEs, and the figures `linking.csv` reports.

use super::bootstrap::Boot;
use super::loo::leave_one_out;
use super::methods::LINEAR_MIN_PAIRS;
use super::methods::{Fitted, Method, Range, fit, spread};
use super::normal_theory::{
    LinearSe, analytic, linear_se, lone_spread, mean_link_se, raise, units_agree,
};
use super::pooled::Pool;
use super::tails::without_data;
use super::{ConcordancePoint, Deviations, ItemLink, LinkOptions};
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
    // same floor applies (see `held_and_floored`).
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

/// The uncertainty of the link `fitted` from its bootstrap `boot`, at the
/// score points `grid`, for pairs of `n` municipalities and linked values
/// up to `max_to`.
fn uncertainty(
    method: Method,
    fitted: &Fitted,
    grid: &[f64],
    boot: Boot,
    (n, max_to): (usize, f64),
    floor: Option<LinearSe>,
    pool: Option<Pool>,
) -> Uncertainty {
    let Boot {
        lines,
        mut replicates,
        dropped: boot_dropped,
        jackknife,
    } = boot;
    // The bootstrap SD of a statistic of n municipalities (the units
    // drawn) is biased low by about
    // √((n − 1) / n) (Efron & Tibshirani 1993, §5.3):
    // every replicate's deviation from the fitted link is scaled by
    // √(n / (n − 1)), and so are the SDs of slopes and intercepts, so that
    // the SEs below and the linking error of every summary (recomputed
    // under the replicates) are corrected alike.
    // (Jackknife replicates give the jackknife SE as they are.)
    let k = if n >= 2 && !jackknife {
        (n as f64 / (n - 1) as f64).sqrt()
    } else {
        1.0
    };
    // Replicates are not clamped to the scale, as linked scores are: the
    // SE at a score linked to (or near) the edge is the link's error
    // there, not the far smaller spread of replicates piled up at the
    // edge, which gave intervals that missed a true value just inside
    // (85 % coverage at old 98.5 on a link near the top, 40 % where the
    // estimate was clamped: statistics audit, 2026-11-30). The interval
    // around a clamped score is then conservative at the edge itself.
    // They are held within a band a scale wide on either side
    // ([`REPLICATE_BAND`]): a resample with next to no spread gives a line
    // far steeper than the link, whose values at the ends of the scale
    // are not the link's error there. A jackknife's are not held: each is
    // the link fitted to all municipalities but one, no resample of 2 or
    // 3, and
    // held they gave a `linked_se` at old 0 below the `intercept_se`
    // (41.49 against 70.41). They take the floor at every score instead:
    // where the spread rests on a few municipalities with tied scores,
    // every fit leaving one out holds them, as every resample did (see
    // [`super::jackknife`]).
    let centre: Vec<f64> = grid.iter().map(|g| fitted.apply(*g)).collect();
    let band = (!jackknife).then(|| replicate_band(max_to));
    let floor = held_and_floored(
        &mut replicates,
        &centre,
        (k, band),
        floor,
        boot_dropped > 0 || jackknife,
    );
    if let Some(pool) = pool {
        pool.apply(&mut replicates, &centre, grid, replicate_band(max_to));
    }
    let sd = |v: &[f64]| (v.len() >= 2).then(|| mean_sd(v).1);
    let scaled_sd = |v: &[f64]| sd(v).map(|s| k * s);
    let slopes: Vec<f64> = lines.iter().map(|l| l.0).collect();
    let intercepts: Vec<f64> = lines.iter().map(|l| l.1).collect();
    let mut column = Vec::with_capacity(replicates.len());
    let concordance = grid
        .iter()
        .enumerate()
        .map(|(i, &g)| {
            column.clear();
            column.extend(replicates.iter().map(|r| r[i]));
            ConcordancePoint::on(fitted, g, max_to, sd(&column))
        })
        .collect();
    Uncertainty {
        concordance,
        replicates,
        // The mean link's slope is fixed at 1: no SE.
        slope_se: (scaled_sd(&slopes).filter(|_| method != Method::Mean))
            .map(|se| floor.as_ref().map_or(se, |f| se.max(f.slope))),
        intercept_se: (scaled_sd(&intercepts))
            .map(|se| floor.as_ref().map_or(se, |f| se.max(f.intercept))),
        boot_dropped,
    }
}

/// The replicates scaled by `k` around the fitted values `centre`, held
/// within the `band` ([`REPLICATE_BAND`] of the target scale; none for a
/// jackknife's),
/// and raised to a linear link's normal-theory `floor` (at every point,
/// and its slope and intercept: the floor returned) where resamples were
/// `dropped` (or the replicates are a jackknife's) or the band held a
/// replicate anywhere: its spread is cut
/// short there, and where the fitted line itself leaves the band every
/// replicate is held at its edge (an SE of 0, or of a fraction of the
/// truth just inside, that fell as the score went further from the pairs,
/// where a dropped resample gave the floor: 0 or 61 at old 0 by the
/// seed). The whole link, not the points held alone: a floor point by
/// point made steps in the SE (17.76 at old 23.5 beside 13.25 at 24, by
/// the replicates that left the band up to 23.5). After the band: a floor
/// is not a wild resample's line, and raised within the band it would
/// fall where the link leaves it.
fn held_and_floored(
    replicates: &mut [Vec<f64>],
    centre: &[f64],
    (k, band): (f64, Option<(f64, f64)>),
    floor: Option<LinearSe>,
    dropped: bool,
) -> Option<LinearSe> {
    let mut held = false;
    for r in replicates.iter_mut() {
        for (v, e) in r.iter_mut().zip(centre) {
            *v = e + k * (*v - e);
            if let Some((lo, hi)) = band {
                held |= !(lo..=hi).contains(v);
                *v = v.clamp(lo, hi);
            }
        }
    }
    let floor = floor.filter(|_| dropped || held);
    if let Some(f) = &floor {
        raise(replicates, centre, &f.at);
    }
    floor
}

/// A link's uncertainty: every score point's linked value and SE, the
/// replicates, the SEs of slope and intercept, and the replicates that
/// could not be fitted.
pub(super) struct Uncertainty {
    pub(super) concordance: Vec<ConcordancePoint>,
    pub(super) replicates: Vec<Vec<f64>>,
    pub(super) slope_se: Option<f64>,
    pub(super) intercept_se: Option<f64>,
    pub(super) boot_dropped: u32,
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
        without_spread,
        lone_spread,
        invariance: Vec::new(),
        pairs,
        municipalities: count_runs(ids),
    }
}

/// How far beyond the scale a bootstrap replicate may go, in scale
/// widths: the linked score is clamped to [0, max], its replicates to
/// [−max, 2·max] (see [`uncertainty`]; the mean link's analytic
/// replicates are shifts of the link by its SE, never wild).
pub const REPLICATE_BAND: f64 = 1.0;

/// The band replicates are held in on a scale of maximum `max`.
fn replicate_band(max: f64) -> (f64, f64) {
    (-REPLICATE_BAND * max, (1.0 + REPLICATE_BAND) * max)
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
