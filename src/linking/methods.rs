//! Linking functions from one scale to another, fitted on dual-scored pairs
//! (x on the `from` scale, y on the `to` scale, same evaluation):
//!
//! - identity:  y = x · max_to / max_from (percent of max)
//! - mean:      y = x + (mean_y − mean_x)
//! - linear:    y = mean_y + (sd_y / sd_x) · (x − mean_x)   (mean-sigma)
//! - equipercentile: y = Q_y(P_x(x)), P the mid-percentile rank, Q its
//!   inverse, both interpolated linearly between score points.

use crate::stats::mean_sd;
use clap::ValueEnum;

/// The method asked for on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum MethodChoice {
    /// With 5 or more pairs, `mean` or `linear`, whichever has the smaller
    /// leave-one-out error; `mean` with 1 to 4; else no linking.
    #[default]
    Auto,
    Identity,
    Mean,
    Linear,
    Equipercentile,
}

/// A method actually used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Identity,
    Mean,
    Linear,
    Equipercentile,
}

/// Pairs needed before `auto` considers `linear`: below 5 the bootstrap of
/// a two-parameter link is degenerate or far too small (with 3 pairs about
/// 5 points where the truth is about 13), so `auto` stays with the
/// one-parameter mean link. And pairs needed by `equipercentile` at all.
pub const LINEAR_MIN_PAIRS: usize = 5;
pub const EQUIPERCENTILE_MIN_PAIRS: usize = 30;

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Identity => "identity",
            Method::Mean => "mean",
            Method::Linear => "linear",
            Method::Equipercentile => "equipercentile",
        }
    }

    /// The method for `n` pairs, or why there is none.
    pub fn choose(choice: MethodChoice, n: usize) -> Result<Method, String> {
        match choice {
            MethodChoice::Identity => Ok(Method::Identity),
            _ if n == 0 => Err("no dual-scored evaluations".into()),
            MethodChoice::Auto if n >= LINEAR_MIN_PAIRS => Ok(Method::Linear),
            MethodChoice::Auto | MethodChoice::Mean => Ok(Method::Mean),
            MethodChoice::Linear if n >= 2 => Ok(Method::Linear),
            MethodChoice::Linear => Err(format!(
                "linear linking needs 2 or more pairs, there is {n}"
            )),
            MethodChoice::Equipercentile if n >= EQUIPERCENTILE_MIN_PAIRS => {
                Ok(Method::Equipercentile)
            }
            MethodChoice::Equipercentile => Err(format!(
                "equipercentile linking needs {EQUIPERCENTILE_MIN_PAIRS} or more pairs, there are {n}"
            )),
        }
    }
}

/// A fitted linking function.
#[derive(Debug, Clone)]
pub enum Fitted {
    Line {
        slope: f64,
        intercept: f64,
    },
    /// Piecewise linear through the points (x ascending).
    Curve {
        points: Vec<(f64, f64)>,
    },
}

impl Fitted {
    /// The linked score, not yet clamped.
    pub fn apply(&self, x: f64) -> f64 {
        match self {
            Fitted::Line { slope, intercept } => intercept + slope * x,
            Fitted::Curve { points } => interpolate(points, x),
        }
    }

    pub fn line(&self) -> Option<(f64, f64)> {
        match self {
            Fitted::Line { slope, intercept } => Some((*slope, *intercept)),
            Fitted::Curve { .. } => None,
        }
    }
}

/// Fits `method` to the pairs; `None` when the data cannot support it (no
/// pairs, or no spread on the `from` scale for `linear`).
pub fn fit(method: Method, x: &[f64], y: &[f64], max_from: f64, max_to: f64) -> Option<Fitted> {
    if method == Method::Identity {
        return Some(Fitted::Line {
            slope: max_to / max_from,
            intercept: 0.0,
        });
    }
    if x.is_empty() {
        return None;
    }
    let (mx, sx) = mean_sd(x);
    let (my, sy) = mean_sd(y);
    match method {
        Method::Mean => Some(Fitted::Line {
            slope: 1.0,
            intercept: my - mx,
        }),
        // No spread: a relative tolerance, so that identical decimal scores
        // (whose SD is a rounding residue) do not give a slope of 1e17.
        Method::Linear => (sx > 1e-9 * mx.abs().max(1.0)).then(|| {
            let slope = sy / sx;
            Fitted::Line {
                slope,
                intercept: my - slope * mx,
            }
        }),
        Method::Equipercentile => Some(equipercentile(x, y, max_from, max_to)),
        Method::Identity => None,
    }
}

/// Distinct score points and their mid-percentile ranks
/// P(u) = (#{v < u} + #{v = u} / 2) / n, anchored at (0, 0) and (max, 1)
/// where the data do not reach the ends of the scale.
fn mid_ranks(v: &[f64], max: f64) -> Vec<(f64, f64)> {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len() as f64;
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let mut j = i;
        while j < s.len() && s[j] == s[i] {
            j += 1;
        }
        out.push((s[i], (i as f64 + (j - i) as f64 / 2.0) / n));
        i = j;
    }
    if out.first().is_some_and(|p| p.0 > 0.0) {
        out.insert(0, (0.0, 0.0));
    }
    if out.last().is_some_and(|p| p.0 < max) {
        out.push((max, 1.0));
    }
    out
}

fn equipercentile(x: &[f64], y: &[f64], max_from: f64, max_to: f64) -> Fitted {
    let px = mid_ranks(x, max_from);
    // Q_y: percentile rank -> score, the inverse of y's mid-rank function.
    let qy: Vec<(f64, f64)> = mid_ranks(y, max_to)
        .into_iter()
        .map(|(v, p)| (p, v))
        .collect();
    let points = px.iter().map(|&(u, p)| (u, interpolate(&qy, p))).collect();
    Fitted::Curve { points }
}

/// Piecewise-linear interpolation through points sorted by x; constant
/// beyond the ends.
pub fn interpolate(points: &[(f64, f64)], x: f64) -> f64 {
    let Some(first) = points.first() else {
        return x;
    };
    if x <= first.0 {
        return first.1;
    }
    for w in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if x <= x1 {
            return if x1 > x0 {
                y0 + (y1 - y0) * (x - x0) / (x1 - x0)
            } else {
                y1
            };
        }
    }
    points[points.len() - 1].1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_linear_by_hand() {
        // x: 10, 20, 30 (mean 20, sd 10); y: 15, 35, 55 (mean 35, sd 20).
        let (x, y) = ([10.0, 20.0, 30.0], [15.0, 35.0, 55.0]);
        let m = fit(Method::Mean, &x, &y, 100.0, 100.0).unwrap();
        assert_eq!(m.apply(20.0), 35.0);
        let l = fit(Method::Linear, &x, &y, 100.0, 100.0).unwrap();
        assert_eq!(l.line(), Some((2.0, -5.0)));
        let i = fit(Method::Identity, &[], &[], 100.0, 800.0).unwrap();
        assert_eq!(i.apply(50.0), 400.0);
    }

    #[test]
    fn equipercentile_of_a_shift_is_the_shift() {
        // y = x + 5 exactly: every x score maps to x + 5 in the data range.
        let x: Vec<f64> = (0..40).map(|i| 30.0 + (i % 20) as f64).collect();
        let y: Vec<f64> = x.iter().map(|v| v + 5.0).collect();
        let e = fit(Method::Equipercentile, &x, &y, 100.0, 100.0).unwrap();
        for v in [30.0, 37.0, 49.0] {
            assert!(
                (e.apply(v) - (v + 5.0)).abs() < 1e-9,
                "{v} -> {}",
                e.apply(v)
            );
        }
        // Halfway between score points: linear interpolation.
        assert!((e.apply(37.5) - 42.5).abs() < 1e-9);
        // Ends anchored at the scale's ends.
        assert_eq!(e.apply(0.0), 0.0);
        assert_eq!(e.apply(100.0), 100.0);
    }

    #[test]
    fn auto_choice() {
        // Below 5 pairs auto stays with the mean link; from 5 it proposes
        // linear (which the link stage keeps only if its leave-one-out
        // error is the smaller).
        assert_eq!(Method::choose(MethodChoice::Auto, 1), Ok(Method::Mean));
        assert_eq!(Method::choose(MethodChoice::Auto, 4), Ok(Method::Mean));
        assert_eq!(Method::choose(MethodChoice::Auto, 5), Ok(Method::Linear));
        assert!(Method::choose(MethodChoice::Auto, 0).is_err());
        assert!(Method::choose(MethodChoice::Equipercentile, 29).is_err());
    }
}
