//! The replicates of a linear link of few municipalities: the jackknife
//! over municipalities, in place of the bootstrap.
//!
//! A bootstrap resample of 5 to 8 municipalities often holds only 2 or 3
//! of them, whose line is far steeper or flatter than the link: the
//! bootstrap SE of 5 was on average about 6 times the normal-theory one at
//! the pairs' mean, and its intervals (with the degrees of freedom of
//! [`super::dof`]) covered 98–100 % at widths of up to 1,845 points on a
//! scale of 100 (`benches/coverage/small_links.py`). The jackknife leaves
//! one municipality out at a time (all of its pairs): its SE is the
//! estimate of the influence values' variance that [`super::dof`]'s
//! degrees of freedom are derived for, and with them its intervals
//! covered 95.3 % and above from 5 to 30 municipalities, normal and
//! heavy-tailed pairs alike, 4 to 6 times narrower at 5 and as wide
//! as the bootstrap's from 9 on, where the bootstrap is kept.
//!
//! The normal-theory SE (Kolen & Brennan 2014, ch. 7) is its floor at
//! every score, as it is a bootstrap's where resamples were dropped: where
//! the spread rests on a few municipalities with tied scores, every fit
//! leaving one out still holds them (four at old 50 and two at 80, both
//! at new 80: a jackknife SE of 0.03 at 80 where the normal-theory SE is
//! 0.49). With the floor, the intervals of tied scores (rounded to 0.5 to
//! 30 points, or all at 50 or 80) covered 96.1–99.3 % at 5 to 8
//! municipalities, the bootstrap's 95.9–99.5 %
//! (`benches/coverage/jack_ties.py`).
//!
//! The N fits leaving one out are made into N replicates around the link,
//! e(g) + c · (e₋ᵢ(g) − ē₋(g)) with c = (N − 1)/√N, so that their SD (over
//! N − 1) is the jackknife SE, √((N − 1)/N · Σ (e₋ᵢ − ē₋)²) (Efron &
//! Tibshirani 1993, ch. 11), at every score and for every summary of
//! linked scores recomputed under them (`analysis::link_error`), as with
//! the bootstrap's; no small-sample scaling is applied to them, and they
//! are not held within the replicate band (no fit leaving one out is a
//! resample of 2 or 3 municipalities).

use super::bootstrap::Boot;
use super::fit::Prepared;
use super::loo::{runs, without};
use super::methods::{Fitted, Method, fit};

/// Linear links of fewer municipalities than this (and at least
/// [`super::methods::LINEAR_MIN_PAIRS`], below which a linear link has no
/// SE) take jackknife replicates.
pub const JACKKNIFE_BELOW: usize = 9;

/// The jackknife replicates of `p` if it is a linear link of fewer than
/// [`JACKKNIFE_BELOW`] municipalities; `None` for any other, or where a
/// fit leaving a municipality out cannot be made (no spread left on the
/// source scale), which keeps the bootstrap.
pub(super) fn replicates(p: &Prepared) -> Option<Boot> {
    let (method, fitted) = (p.method(), p.fitted());
    let runs = runs(p.ids());
    let n = runs.len();
    if method != Method::Linear || !(2..JACKKNIFE_BELOW).contains(&n) {
        return None;
    }
    let (rf, rt) = p.ranges;
    let mut left_out = Vec::with_capacity(n);
    for run in &runs {
        left_out.push(fit(method, &without(&p.x, run), &without(&p.y, run), rf, rt)?.line()?);
    }
    let (slope, intercept) = fitted.line()?;
    let mean = |of: fn(&(f64, f64)) -> f64| left_out.iter().map(of).sum::<f64>() / n as f64;
    let (slopes, intercepts) = (mean(|l| l.0), mean(|l| l.1));
    let c = (n - 1) as f64 / (n as f64).sqrt();
    let lines: Vec<(f64, f64)> = (left_out.iter())
        .map(|(b, a)| (slope + c * (b - slopes), intercept + c * (a - intercepts)))
        .collect();
    let replicates = (lines.iter())
        .map(|&(slope, intercept)| {
            let line = Fitted::Line { slope, intercept };
            p.grid.iter().map(|g| line.apply(*g)).collect()
        })
        .collect();
    Some(Boot {
        lines,
        replicates,
        dropped: 0,
        jackknife: true,
    })
}

#[cfg(test)]
mod tests {
    /// By hand, x = 0, 1, 2, 4 and y = 0, 2, 2, 6 of municipalities 1, 1,
    /// 2, 3 (municipality 1 with two pairs): leaving out municipality 1
    /// leaves (2, 2), (4, 6): slope √8/√2 = 2, intercept 4 − 2·3 = −2;
    /// leaving out 2 leaves x 0, 1, 4 (mean 5/3, SD √(13/3)) and y 0, 2, 6
    /// (mean 8/3, SD √(28/3)): slope √(28/13); leaving out 3 leaves (0, 0),
    /// (1, 2), (2, 2): SDs 1 and √(4/3), slope √(4/3), intercept
    /// 4/3 − √(4/3). The replicates' slopes are the full slope plus
    /// (N − 1)/√N = 2/√3 times each left-out slope's deviation from their
    /// mean, so their SD is the jackknife's √((N − 1)/N · Σ (bᵢ − b̄)²).
    #[test]
    fn the_replicates_are_the_jackknife_s() {
        use super::super::fit::Prepared;
        let p = Prepared::for_tests(&[0.0, 1.0, 2.0, 4.0], &[0.0, 2.0, 2.0, 6.0], &[1, 1, 2, 3]);
        let boot = super::replicates(&p).expect("a jackknife");
        let left = [2.0, (28f64 / 13.0).sqrt(), (4f64 / 3.0).sqrt()];
        let mean = left.iter().sum::<f64>() / 3.0;
        let jack = (2.0 / 3.0 * left.iter().map(|b| (b - mean).powi(2)).sum::<f64>()).sqrt();
        let slopes: Vec<f64> = boot.lines.iter().map(|l| l.0).collect();
        let (m, sd) = crate::stats::mean_sd(&slopes);
        let full = p.fitted().line().expect("a line").0;
        assert!((m - full).abs() < 1e-12, "{m} {full}");
        assert!((sd - jack).abs() < 1e-12, "{sd} {jack}");
        let c = 2.0 / 3f64.sqrt();
        assert!((slopes[0] - (full + c * (2.0 - mean))).abs() < 1e-12);
        assert!(boot.jackknife && boot.dropped == 0 && boot.replicates.len() == 3);
        // Each replicate is its line at the score points.
        let (b, a) = boot.lines[2];
        assert!((boot.replicates[2][4] - (a + 4.0 * b)).abs() < 1e-12);
    }
}
