//! Normal-theory SEs of a link (Kolen & Brennan 2014, ch. 7, single-group
//! design): the mean link's, used instead of a bootstrap for fewer than
//! five municipalities ([`super::fit::ANALYTIC_BELOW`]), and the linear link's, the floor of
//! its bootstrap SE where the bootstrap could not fit every resample (and
//! of its jackknife SE at every score, [`super::jackknife`]); and
//! the test that leaves a linear link whose spread on the source scale
//! rests on one municipality without an SE.

use super::LinkOptions;
use super::fit::{count_runs, item_link};
use super::methods::{Fitted, Method, Range, spread};
use super::uncertainty::Uncertainty;
use super::{ConcordancePoint, ItemLink};
use crate::reference::instrument::{ItemIx, ScaleIx};
use crate::stats::mean_sd;
use crate::stats::rng::Rng;

/// Whether some score `v` is such that the pairs' scores `x` on the source
/// scale differ from it in fewer than two municipalities (`ids`, each
/// pair's, a municipality's pairs together), counted by municipality
/// whatever the years each gives: a linear link's line then rests on one
/// municipality's pairs, which every bootstrap resample that can be
/// fitted holds, so that its SE leaves their error out (five
/// municipalities, four of them at old 50 and one at 80: 362 of 1,000
/// resamples without the fifth could not be fitted, and the SE at 80 was
/// 0.15 where the estimate varies by 3.1 between samples: intervals
/// covering 13 % in the statistics audit of 2026-12-02). Such a link is
/// left unestimated.
pub(super) fn lone_spread(x: &[f64], ids: &[u32]) -> bool {
    let mut scores = x.to_vec();
    scores.sort_by(f64::total_cmp);
    scores.dedup();
    scores.iter().any(|&v| {
        let off: Vec<u32> = (x.iter().zip(ids))
            .filter(|(s, _)| **s != v)
            .map(|(_, id)| *id)
            .collect();
        count_runs(&off) < 2
    })
}

/// The normal-theory SEs of the linear (mean-sigma) link of pairs `x`, `y`
/// from `units` municipalities, under bivariate normality (Kolen & Brennan
/// 2014, ch. 7; Braun & Holland 1982): at score g,
/// Var ê(g) ≈ s²ᵧ(1 − r)[2 + (1 + r)z²]/N with z = (g − x̄)/sₓ and N the
/// municipalities (not the pairs: a municipality's pairs are not
/// independent), at each of `grid`; of the slope s_y/s_x,
/// √(s²ᵧ(1 − r²)/N)/sₓ. None without spread on either scale.
pub(super) struct LinearSe {
    pub at: Vec<f64>,
    pub slope: f64,
    /// At score 0 (the intercept's SE).
    pub intercept: f64,
}

pub(super) fn linear_se(x: &[f64], y: &[f64], units: usize, grid: &[f64]) -> Option<LinearSe> {
    let r = super::fit::correlation(x, y)?;
    let ((mx, sx), (_, sy)) = (mean_sd(x), mean_sd(y));
    let n = units as f64;
    let at = (grid.iter())
        .map(|g| {
            let z = (g - mx) / sx;
            (sy * sy * (1.0 - r) * (2.0 + (1.0 + r) * z * z) / n).sqrt()
        })
        .collect();
    let slope = (sy * sy * (1.0 - r * r) / n).sqrt() / sx;
    let z = mx / sx;
    let intercept = (sy * sy * (1.0 - r) * (2.0 + (1.0 + r) * z * z) / n).sqrt();
    Some(LinearSe {
        at,
        slope,
        intercept,
    })
}

/// Raises each score point's bootstrap replicates (`replicates[b][i]`,
/// around the fitted values `centre[i]`) to a spread of at least
/// `floor[i]`: their deviations from the fitted value scaled by
/// floor / SD where their SD is smaller (so that every figure's linking
/// error recomputed under the replicates is raised alike, the replicates'
/// correlation between points kept). A point whose replicates all agree
/// takes the deviations of the point with the widest spread, scaled.
pub(super) fn raise(replicates: &mut [Vec<f64>], centre: &[f64], floor: &[f64]) {
    if replicates.len() < 2 {
        return;
    }
    let sd_at = |reps: &[Vec<f64>], i: usize| {
        let column: Vec<f64> = reps.iter().map(|r| r[i]).collect();
        mean_sd(&column).1
    };
    let sds: Vec<f64> = (0..centre.len()).map(|i| sd_at(replicates, i)).collect();
    // The widest point's deviations from their mean in SDs, taken before
    // any point is raised.
    let widest = (0..sds.len()).max_by(|&a, &b| sds[a].total_cmp(&sds[b]));
    let pattern: Option<Vec<f64>> = widest.filter(|&w| sds[w] > 0.0).map(|w| {
        let mean = replicates.iter().map(|r| r[w]).sum::<f64>() / replicates.len() as f64;
        replicates.iter().map(|r| (r[w] - mean) / sds[w]).collect()
    });
    for (i, (&sd, &want)) in sds.iter().zip(floor).enumerate() {
        if want <= sd {
            continue;
        }
        match &pattern {
            _ if sd > 0.0 => {
                for r in replicates.iter_mut() {
                    r[i] = centre[i] + (r[i] - centre[i]) * want / sd;
                }
            }
            Some(z) => {
                for (r, z) in replicates.iter_mut().zip(z) {
                    r[i] = centre[i] + z * want;
                }
            }
            None => {}
        }
    }
}

/// The SE of a mean link, whose intercept is the mean difference y − x
/// over the pairs: s(y − x)/√n (Kolen & Brennan 2014, ch. 7), and where a
/// municipality gives several pairs (they are not independent) the
/// cluster-robust SE of that mean, √(U/(U − 1) · Σ r_u²)/N over the U
/// municipalities of the N pairs, r_u the sum of municipality u's
/// differences from the mean: the same as the first where each gives one
/// pair (taken as the first then, to the bit).
/// (`units`: how many municipalities, [`super::fit::Sample::units`].)
pub(super) fn mean_link_se(pairs: &[(f64, f64)], municipalities: &[u32], units: usize) -> f64 {
    let d: Vec<f64> = pairs.iter().map(|(x, y)| y - x).collect();
    if units == d.len() {
        return mean_sd(&d).1 / (d.len() as f64).sqrt();
    }
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let deviations: Vec<(f64, u32)> = (d.iter().map(|v| v - mean))
        .zip(municipalities.iter().copied())
        .collect();
    let squares: f64 = (deviations.chunk_by(|a, b| a.1 == b.1))
        .map(|run| run.iter().map(|r| r.0).sum::<f64>().powi(2))
        .sum();
    let u = units as f64;
    (u / (u - 1.0) * squares).sqrt() / n
}

/// Whether every municipality's mean difference y − x is the same (up to
/// rounding: [`spread`]'s tolerance); `municipalities` names each pair's,
/// in runs.
pub(super) fn units_agree(pairs: &[(f64, f64)], municipalities: &[u32]) -> bool {
    let by_unit = pairs.iter().zip(municipalities).collect::<Vec<_>>();
    let means: Vec<f64> = (by_unit.chunk_by(|a, b| a.1 == b.1))
        .map(|run| run.iter().map(|((x, y), _)| y - x).sum::<f64>() / run.len() as f64)
        .collect();
    let (m, s) = mean_sd(&means);
    means.len() >= 2 && !spread(m, s)
}

/// The mean link of fewer than [`super::fit::ANALYTIC_BELOW`] municipalities with its
/// normal-theory SE (Kolen & Brennan 2014, ch. 7, single-group design):
/// SE `se` ([`mean_link_se`]) at every score. Its replicates are
/// e(x) + SE·u_b, with
/// u normal draws made exactly mean 0 and SD 1, so that the SD over
/// replicates is the analytic SE, and every summary's linking error
/// follows from them as from bootstrap replicates; the SE is the same at
/// a score linked to the edge of the scale (replicates are not clamped:
/// see `fit::uncertainty`). (A linear link of so few pairs is left
/// unestimated, see [`super::fit::fit_item`].)
pub(super) fn analytic(
    (from, from_item, to_item): (ScaleIx, ItemIx, ItemIx),
    (pairs, ids, se): (Vec<(f64, f64)>, &[u32], f64),
    fitted: Fitted,
    grid: &[f64],
    (rf, rt): (Range, Range),
    opts: &LinkOptions,
    stream: u64,
) -> ItemLink {
    let reps = opts.bootstrap.max(2) as usize;
    let mut rng = Rng::derive(opts.seed, stream);
    let standard = |v: &mut Vec<f64>| {
        let (m, s) = mean_sd(v);
        v.iter_mut()
            .for_each(|z| *z = if s > 0.0 { (*z - m) / s } else { 0.0 });
    };
    let mut u: Vec<f64> = (0..reps).map(|_| rng.normal()).collect();
    standard(&mut u);
    let replicates: Vec<Vec<f64>> = (0..reps)
        .map(|b| grid.iter().map(|&g| fitted.apply(g) + se * u[b]).collect())
        .collect();
    let concordance = (grid.iter())
        .map(|&g| ConcordancePoint::on(&fitted, g, rt.max, Some(se)))
        .collect();
    let uncertainty = Uncertainty {
        concordance,
        replicates,
        // The mean link's slope is fixed at 1: no SE.
        slope_se: None,
        intercept_se: Some(se),
        boot_dropped: 0,
        drawn: false,
    };
    let link = (from, from_item, to_item, Method::Mean, fitted);
    item_link(link, (pairs, ids), uncertainty, (false, false), (rf, rt))
}

#[cfg(test)]
mod tests {
    use super::{linear_se, lone_spread, raise};

    /// The spread rests on one municipality where all others share the
    /// most common score, counted by municipality, not by pair.
    #[test]
    fn a_spread_resting_on_one_municipality_is_found() {
        assert!(lone_spread(
            &[50.0, 50.0, 50.0, 50.0, 80.0],
            &[1, 2, 3, 4, 5]
        ));
        assert!(!lone_spread(
            &[50.0, 50.0, 50.0, 80.0, 80.0],
            &[1, 2, 3, 4, 5]
        ));
        // Two pairs off the mode, both of municipality 4.
        assert!(lone_spread(
            &[50.0, 50.0, 50.0, 60.0, 80.0],
            &[1, 2, 3, 4, 4]
        ));
        assert!(!lone_spread(
            &[50.0, 52.0, 54.0, 56.0, 80.0],
            &[1, 2, 3, 4, 5]
        ));
        // Municipality 1 with four years at 80 (or 30), four others at 50:
        // the spread rests on municipality 1 whichever side it is on (the
        // most common score counted by pair missed it at 80).
        let ids = [1, 1, 1, 1, 2, 3, 4, 5];
        for lone in [80.0, 30.0] {
            let x = [lone, lone, lone, lone, 50.0, 50.0, 50.0, 50.0];
            assert!(lone_spread(&x, &ids), "{lone}");
        }
    }

    /// The formula at hand-worked figures: x = 0, 2, 4 (mean 2, SD 2),
    /// y = 1, 2, 6 (SD √7, r = 5/(2·√7) = 0.9449), 3 municipalities: at
    /// x = 4 (z = 1), 7(1 − r)(2 + (1 + r))/3 = 0.5071, SE 0.7121; the
    /// slope's √(7(1 − r²)/3)/2 = √(7 · 0.10714/3)/2 = 0.25.
    #[test]
    fn the_linear_link_s_normal_theory_se() {
        let se = linear_se(&[0.0, 2.0, 4.0], &[1.0, 2.0, 6.0], 3, &[2.0, 4.0]).expect("spread");
        let r = 5.0 / (2.0 * 7f64.sqrt());
        assert!((se.at[1] - (7.0 * (1.0 - r) * (3.0 + r) / 3.0).sqrt()).abs() < 1e-12);
        assert!((se.at[1] - 0.7121).abs() < 5e-5, "{}", se.at[1]);
        assert!((se.at[0] - (14.0 * (1.0 - r) / 3.0).sqrt()).abs() < 1e-12);
        assert!((se.slope - 0.25).abs() < 1e-12, "{}", se.slope);
        // At 0 (z = −1) as at 4.
        assert!((se.intercept - se.at[1]).abs() < 1e-12);
        assert!(linear_se(&[1.0, 1.0], &[1.0, 2.0], 2, &[1.0]).is_none());
    }

    /// A point's replicates are widened to the floor around the fitted
    /// value, another's left as they are where they are wider; a point
    /// whose replicates agree takes the widest point's deviations.
    #[test]
    fn replicates_are_raised_to_the_floor() {
        let sd = |v: &[f64]| crate::stats::mean_sd(v).1;
        let mut reps = vec![
            vec![10.0, 6.0, 1.0],
            vec![12.0, 8.0, 1.0],
            vec![14.0, 7.0, 1.0],
        ];
        raise(&mut reps, &[12.0, 7.0, 1.0], &[4.0, 1.0, 3.0]);
        let column = |i: usize| reps.iter().map(|r| r[i]).collect::<Vec<f64>>();
        assert_eq!(column(0), [8.0, 12.0, 16.0]);
        assert_eq!(column(1), [6.0, 8.0, 7.0]);
        assert_eq!(column(2), [-2.0, 1.0, 4.0]);
        assert!((sd(&column(2)) - 3.0).abs() < 1e-12);
    }
}
