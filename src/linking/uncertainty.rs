//! A fitted link's uncertainty from its bootstrap (or jackknife)
//! replicates: each score point's SE, the replicates held within a band
//! around the target scale and raised to a linear link's normal-theory
//! floor where resamples were dropped, and the SEs of slope and intercept.

use super::ConcordancePoint;
use super::bootstrap::Boot;
use super::methods::{Fitted, Method};
use super::normal_theory::{LinearSe, raise};
use super::pooled::Pool;
use crate::stats::mean_sd;

/// The uncertainty of the link `fitted` from its bootstrap `boot`, at the
/// score points `grid`, for pairs of `n` municipalities and linked values
/// up to `max_to`.
pub(super) fn uncertainty(
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
    let drawn = !jackknife && !replicates.is_empty();
    Uncertainty {
        concordance,
        replicates,
        // The mean link's slope is fixed at 1: no SE.
        slope_se: (scaled_sd(&slopes).filter(|_| method != Method::Mean))
            .map(|se| floor.as_ref().map_or(se, |f| se.max(f.slope))),
        intercept_se: (scaled_sd(&intercepts))
            .map(|se| floor.as_ref().map_or(se, |f| se.max(f.intercept))),
        boot_dropped,
        drawn,
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
    /// Whether its SEs are from bootstrap draws (not the jackknife's
    /// replicates, not the analytic SE, and not none).
    pub(super) drawn: bool,
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
