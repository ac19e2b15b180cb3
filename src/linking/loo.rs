//! The leave-one-out error of a link: each dual-scored pair linked by the
//! function fitted without its municipality (all of its pairs, where it was
//! scored on both scales in more than one year: its pairs are not
//! independent, and leaving one of them out would keep the others, which
//! link it nearly as well, and make the error look smaller), in one pass
//! for the mean and linear links.

use std::ops::Range as Span;

use super::methods::{Method, Range, fit};

/// Mean absolute error of linking each pair's `from` score with a function
/// fitted without that pair's municipality (`municipalities`: each pair's,
/// a municipality's pairs following each other); for `identity`, nothing
/// is fitted: its error on every pair.
pub(super) fn leave_one_out(
    method: Method,
    (x, y): (&[f64], &[f64]),
    municipalities: &[u32],
    from: Range,
    to: Range,
) -> Option<f64> {
    let runs = runs(municipalities);
    if matches!(method, Method::Mean | Method::Linear) {
        return leave_one_out_line(method, x, y, &runs, to.max);
    }
    leave_one_out_refit(method, (x, y), &runs, from, to)
}

/// The index ranges of the runs of equal values of `v`.
pub(super) fn runs(v: &[u32]) -> Vec<Span<usize>> {
    let mut at = 0;
    (v.chunk_by(|a, b| a == b))
        .map(|run| {
            at += run.len();
            at - run.len()..at
        })
        .collect()
}

/// The values of `v` but those at the indices `run` (a municipality's
/// pairs left out).
pub(super) fn without(v: &[f64], run: &Span<usize>) -> Vec<f64> {
    (v.iter().enumerate())
        .filter(|(j, _)| !run.contains(j))
        .map(|(_, v)| *v)
        .collect()
}

/// [`leave_one_out`] by refitting without each municipality in turn.
fn leave_one_out_refit(
    method: Method,
    (x, y): (&[f64], &[f64]),
    runs: &[Span<usize>],
    from: Range,
    to: Range,
) -> Option<f64> {
    let mut errors = Vec::with_capacity(x.len());
    for run in runs {
        let f = if method == Method::Identity {
            fit(method, &[], &[], from, to)
        } else {
            if runs.len() < 2 {
                return None;
            }
            fit(method, &without(x, run), &without(y, run), from, to)
        };
        if let Some(f) = f {
            for i in run.clone() {
                errors.push((f.apply(x[i]).clamp(0.0, to.max) - y[i]).abs());
            }
        }
    }
    (!errors.is_empty()).then(|| errors.iter().sum::<f64>() / errors.len() as f64)
}

/// [`leave_one_out`] for the mean and linear methods in one pass: each
/// fit without a municipality's pairs comes from the full sums with them
/// taken out (means downdated, sums of squares by the downdate of a group:
/// its own sum of squares and its mean's distance from the whole one),
/// instead of refitting on the rest once per municipality, which grew with
/// the square of the pairs. A municipality of one pair is taken out to
/// the bit as a single pair was.
fn leave_one_out_line(
    method: Method,
    x: &[f64],
    y: &[f64],
    runs: &[Span<usize>],
    max_to: f64,
) -> Option<f64> {
    let n = x.len();
    if runs.len() < 2 || (method == Method::Linear && n < 3) {
        // Without a municipality too little is left to fit on.
        return None;
    }
    let nf = n as f64;
    let (sx, sy) = (x.iter().sum::<f64>(), y.iter().sum::<f64>());
    let (mx, my) = (sx / nf, sy / nf);
    let ssx: f64 = x.iter().map(|v| (v - mx).powi(2)).sum();
    let ssy: f64 = y.iter().map(|v| (v - my).powi(2)).sum();
    let mut total = 0.0;
    let mut count = 0usize;
    for run in runs {
        let (gx, gy) = (&x[run.clone()], &y[run.clone()]);
        let gf = gx.len() as f64;
        let k = nf - gf;
        if k < 1.0 || (method == Method::Linear && k < 2.0) {
            continue;
        }
        let (sgx, sgy) = (gx.iter().sum::<f64>(), gy.iter().sum::<f64>());
        let (mxi, myi) = ((sx - sgx) / k, (sy - sgy) / k);
        let slope = match method {
            Method::Linear => {
                let (mgx, mgy) = (sgx / gf, sgy / gf);
                let within = |v: &[f64], m: f64| v.iter().map(|v| (v - m).powi(2)).sum::<f64>();
                let ssxi = ssx - within(gx, mgx) - gf * nf / k * (mgx - mx).powi(2);
                let ssyi = (ssy - within(gy, mgy) - gf * nf / k * (mgy - my).powi(2)).max(0.0);
                // No spread left on the `from` scale: `linear` cannot fit
                // (as `methods::spread` says of a refit). Measured against
                // the whole sum: the downdated one carries its rounding
                // error (about 1e-16 · ssx), which a test of the SD alone
                // would take for spread, and fit a line of no slope to it.
                if ssxi <= 1e-9 * (1.0 + ssx) {
                    continue;
                }
                (ssyi / ssxi).sqrt()
            }
            _ => 1.0,
        };
        for (xi, yi) in gx.iter().zip(gy) {
            let linked = (myi - slope * mxi) + slope * xi;
            total += (linked.clamp(0.0, max_to) - yi).abs();
            count += 1;
        }
    }
    (count > 0).then(|| total / count as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const R100: Range = Range {
        max: 100.0,
        step: 0.5,
    };
    const R60: Range = Range {
        max: 60.0,
        step: 1.0,
    };

    /// The one-pass leave-one-out error equals refitting n times.
    #[test]
    fn leave_one_out_in_one_pass_equals_refitting() {
        let mut state = 7u64;
        let mut draw = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for n in [2usize, 3, 5, 40, 500] {
            let x: Vec<f64> = (0..n)
                .map(|_| (draw() * 40.0).round() / 2.0 + 30.0)
                .collect();
            let y: Vec<f64> = x.iter().map(|v| 0.9 * v + 5.0 + draw() * 6.0).collect();
            // One pair per municipality, and municipalities of one to
            // three pairs.
            let singles: Vec<u32> = (0..n as u32).collect();
            let groups: Vec<u32> = (0..n as u32).map(|i| i / (1 + i % 3)).collect();
            let mut groups = groups;
            groups.sort_unstable();
            for (method, munis) in [Method::Mean, Method::Linear]
                .into_iter()
                .flat_map(|m| [(m, &singles), (m, &groups)])
            {
                let fast = leave_one_out(method, (&x, &y), munis, R100, R60);
                let slow = leave_one_out_refit(method, (&x, &y), &runs(munis), R100, R60);
                match (fast, slow) {
                    (Some(a), Some(b)) => {
                        assert!((a - b).abs() < 1e-9, "{method:?} n={n}: {a} vs {b}")
                    }
                    (a, b) => assert_eq!(a, b, "{method:?} n={n}"),
                }
            }
        }
        // No spread left without one pair: linear cannot fit, as refitting says.
        let (x, y) = ([10.0, 10.0, 10.0, 12.0], [20.0, 21.0, 22.0, 23.0]);
        let munis = [0, 1, 2, 3];
        assert_eq!(
            leave_one_out(Method::Linear, (&x, &y), &munis, R100, R100).map(|v| (v * 1e9).round()),
            (leave_one_out_refit(Method::Linear, (&x, &y), &runs(&munis), R100, R100))
                .map(|v| (v * 1e9).round())
        );
    }
}
