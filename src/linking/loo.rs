//! The leave-one-out error of a link: each dual-scored pair linked by the
//! function fitted without it, in one pass for the mean and linear links.

use super::methods::{Method, Range, fit};

/// Mean absolute error of linking each pair's `from` score with a function
/// fitted without that pair (for `identity`, nothing is fitted: its error on
/// every pair).
pub(super) fn leave_one_out(
    method: Method,
    x: &[f64],
    y: &[f64],
    from: Range,
    to: Range,
) -> Option<f64> {
    if matches!(method, Method::Mean | Method::Linear) {
        return leave_one_out_line(method, x, y, to.max);
    }
    leave_one_out_refit(method, x, y, from, to)
}

/// [`leave_one_out`] by refitting without each pair in turn.
fn leave_one_out_refit(
    method: Method,
    x: &[f64],
    y: &[f64],
    from: Range,
    to: Range,
) -> Option<f64> {
    let n = x.len();
    let mut errors = Vec::with_capacity(n);
    for i in 0..n {
        let f = if method == Method::Identity {
            fit(method, &[], &[], from, to)
        } else {
            if n < 2 {
                return None;
            }
            let xs: Vec<f64> = x
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, v)| *v)
                .collect();
            let ys: Vec<f64> = y
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, v)| *v)
                .collect();
            fit(method, &xs, &ys, from, to)
        };
        if let Some(f) = f {
            errors.push((f.apply(x[i]).clamp(0.0, to.max) - y[i]).abs());
        }
    }
    (!errors.is_empty()).then(|| errors.iter().sum::<f64>() / errors.len() as f64)
}

/// [`leave_one_out`] for the mean and linear methods in one pass: each
/// fit without pair i comes from the full sums with pair i taken out (means
/// downdated, sums of squares by Welford's downdate), instead of refitting
/// on n − 1 pairs n times, which grew with the square of the pairs.
fn leave_one_out_line(method: Method, x: &[f64], y: &[f64], max_to: f64) -> Option<f64> {
    let n = x.len();
    if n < 2 || (method == Method::Linear && n < 3) {
        // Without pair i too little is left to fit on.
        return None;
    }
    let (nf, k) = (n as f64, n as f64 - 1.0);
    let (sx, sy) = (x.iter().sum::<f64>(), y.iter().sum::<f64>());
    let (mx, my) = (sx / nf, sy / nf);
    let ssx: f64 = x.iter().map(|v| (v - mx).powi(2)).sum();
    let ssy: f64 = y.iter().map(|v| (v - my).powi(2)).sum();
    let mut total = 0.0;
    let mut count = 0usize;
    for i in 0..n {
        let (mxi, myi) = ((sx - x[i]) / k, (sy - y[i]) / k);
        let slope = match method {
            Method::Linear => {
                let ssxi = ssx - nf / k * (x[i] - mx).powi(2);
                let ssyi = (ssy - nf / k * (y[i] - my).powi(2)).max(0.0);
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
        let linked = (myi - slope * mxi) + slope * x[i];
        total += (linked.clamp(0.0, max_to) - y[i]).abs();
        count += 1;
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
            for method in [Method::Mean, Method::Linear] {
                let fast = leave_one_out(method, &x, &y, R100, R60);
                let slow = leave_one_out_refit(method, &x, &y, R100, R60);
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
        assert_eq!(
            leave_one_out(Method::Linear, &x, &y, R100, R100).map(|v| (v * 1e9).round()),
            leave_one_out_refit(Method::Linear, &x, &y, R100, R100).map(|v| (v * 1e9).round())
        );
    }
}
