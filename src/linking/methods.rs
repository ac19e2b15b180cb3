//! Linking functions from one scale to another, fitted on dual-scored pairs
//! (x on the `from` scale, y on the `to` scale, same evaluation):
//!
//! - identity:  y = x · max_to / max_from (percent of max)
//! - mean:      y = x + (mean_y − mean_x)
//! - linear:    y = mean_y + (sd_y / sd_x) · (x − mean_x)   (mean-sigma)
//! - equipercentile: y = P_y⁻¹(P_x(x)) with Kolen & Brennan's
//!   continuization (see [`equipercentile`]).

use super::reason::ItemWhy;
use crate::stats::mean_sd_pair;
use clap::ValueEnum;

/// The method asked for on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum MethodChoice {
    /// With pairs of 5 or more municipalities `linear` (`mean` when the
    /// pairs have no spread on the `from` scale); `mean` with pairs of 1
    /// to 4 (however many years each was dual-scored); else no linking. Not
    /// picked by how well each fits the pairs: the SEs would leave the
    /// pick's own error out, and the mean link's bias away from the pairs'
    /// mean with it.
    #[default]
    Auto,
    /// Percent of max, the naive reference: needs no pairs (it links
    /// every item with a counterpart, paired or not), with no SE.
    Identity,
    /// The pairs' mean difference added: one pair or more.
    Mean,
    /// Mean and SD matched (mean-sigma): 2 pairs or more.
    Linear,
    /// Percentile ranks matched (Kolen & Brennan): 100 pairs or more,
    /// else not linked.
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

/// Pairs needed before `auto` takes `linear`: below 5 a linear link's
/// error cannot be estimated (the bootstrap of a two-parameter link is
/// degenerate or far too small, with 3 pairs about 5 points where the
/// truth is about 13, and so is its normal-theory SE, the sample
/// correlation of 3 pairs often near 1: [`super::fit::ANALYTIC_BELOW`],
/// the same 5), so `auto` stays with the one-parameter mean link. And
/// pairs needed by `equipercentile` at all.
pub const LINEAR_MIN_PAIRS: usize = 5;
pub const EQUIPERCENTILE_MIN_PAIRS: usize = 100;

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
    pub fn choose(choice: MethodChoice, n: usize) -> Result<Method, ItemWhy> {
        let too_few = |method, need| ItemWhy::TooFewPairs {
            method,
            need,
            have: n,
        };
        match choice {
            MethodChoice::Identity => Ok(Method::Identity),
            _ if n == 0 => Err(ItemWhy::NoPairs),
            MethodChoice::Auto if n >= LINEAR_MIN_PAIRS => Ok(Method::Linear),
            MethodChoice::Auto | MethodChoice::Mean => Ok(Method::Mean),
            MethodChoice::Linear if n >= 2 => Ok(Method::Linear),
            MethodChoice::Linear => Err(too_few(Method::Linear, 2)),
            MethodChoice::Equipercentile if n >= EQUIPERCENTILE_MIN_PAIRS => {
                Ok(Method::Equipercentile)
            }
            MethodChoice::Equipercentile => {
                Err(too_few(Method::Equipercentile, EQUIPERCENTILE_MIN_PAIRS))
            }
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

/// Whether scores with mean `mean` and SD `sd` spread at all: a relative
/// tolerance, so that identical decimal scores (whose SD is a rounding
/// residue) do not count as spread and give a slope of 1e17.
pub fn spread(mean: f64, sd: f64) -> bool {
    sd > 1e-9 * mean.abs().max(1.0)
}

/// Fits `method` to the pairs; `None` when the data cannot support it (no
/// pairs, or no spread on the `from` scale for `linear`).
pub fn fit(method: Method, x: &[f64], y: &[f64], from: Range, to: Range) -> Option<Fitted> {
    if method == Method::Identity {
        return Some(Fitted::Line {
            slope: to.max / from.max,
            intercept: 0.0,
        });
    }
    if x.is_empty() {
        return None;
    }
    match method {
        Method::Mean | Method::Linear => line(method, mean_sd_pair(x, y)),
        Method::Equipercentile => Some(equipercentile(x, y, from, to)),
        Method::Identity => None,
    }
}

/// The mean or linear link of pairs whose `from` and `to` scores have
/// these means and SDs (`None` for another method, or a linear link
/// without spread on the `from` scale).
pub fn line(method: Method, ((mx, sx), (my, sy)): ((f64, f64), (f64, f64))) -> Option<Fitted> {
    match method {
        Method::Mean => Some(Fitted::Line {
            slope: 1.0,
            intercept: my - mx,
        }),
        Method::Linear => spread(mx, sx).then(|| {
            let slope = sy / sx;
            Fitted::Line {
                slope,
                intercept: my - slope * mx,
            }
        }),
        Method::Equipercentile | Method::Identity => None,
    }
}

/// A score scale: its maximum and the step between score points (1, or
/// 0.5 on the old scale). Its score points are 0, step, ..., max.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub max: f64,
    pub step: f64,
}

impl Range {
    /// The number of score points above 0 (K in Kolen & Brennan).
    fn points(self) -> usize {
        (self.max / self.step).round() as usize
    }

    /// The index of the score point nearest `v` (half-way: the one above,
    /// as scores are not negative; below 0, the first).
    pub fn nearest_index(self, v: f64) -> usize {
        (v / self.step).round().max(0.0) as usize
    }

    /// The score point nearest `v`, as [`Range::nearest_index`] finds it.
    pub fn nearest_point(self, v: f64) -> f64 {
        self.nearest_index(v) as f64 * self.step
    }
}

/// The cumulative relative frequency F at every score point of `r` (scores
/// rounded to the nearest score point).
fn cumulative(v: &[f64], r: Range) -> Vec<f64> {
    let k = r.points();
    let mut counts = vec![0.0; k + 1];
    for x in v {
        let i = r.nearest_index(*x).min(k);
        counts[i] += 1.0;
    }
    let n = v.len() as f64;
    let mut acc = 0.0;
    counts
        .iter()
        .map(|c| {
            acc += c;
            acc / n
        })
        .collect()
}

/// Kolen & Brennan's equipercentile link (ch. 2; the continuization of
/// R's `equate`): each score point x of the `from` scale has the
/// percentile rank P(x) = F(x − h) + ½·(F(x) − F(x − h)) (uniform over
/// x ± h/2), and links to the `to` score with the same percentile rank,
/// the mean of the upper and the lower inverse (see [`inverse`]). Between
/// score points the link is linear.
fn equipercentile(x: &[f64], y: &[f64], from: Range, to: Range) -> Fitted {
    let f = cumulative(x, from);
    let g = cumulative(y, to);
    let at = |c: &[f64], i: usize| if i == 0 { 0.0 } else { c[i - 1] };
    let points = (0..f.len())
        .map(|i| {
            let p = at(&f, i) + 0.5 * (f[i] - at(&f, i));
            (i as f64 * from.step, inverse(&g, to.step, p))
        })
        .collect();
    Fitted::Curve { points }
}

/// The score with percentile rank `p` (0 to 1) on a scale of step `h`
/// whose cumulative relative frequencies at its score points are `g`.
/// With y_U the smallest score point with G(y_U) > p, the upper inverse is
/// y_U − h/2 + h·(p − G(y_U − h)) / (G(y_U) − G(y_U − h)); with y_L the
/// largest with G(y_L) < p, the lower one is y_L + h/2 + h·(p − G(y_L)) /
/// (G(y_L + h) − G(y_L)). They agree where every score point between has
/// data, and where some have none (a gap in the pairs' target scores) the
/// link takes their mean, as R's `equate` and `SNSequate` do (Kolen &
/// Brennan 2014, §2.5). At p = 0 or 1 (a `from` score below or above every
/// pair) the data say nothing; the link is held at the edge of the target
/// scores, the lowest − h/2 or the highest + h/2 (`equate` puts them at
/// the ends of the scale), and such points have no SE (see `fit`).
///
/// `g` is a cumulative distribution, never decreasing, so each "first
/// point where" is a binary search (a linear scan made an equipercentile
/// link of a total, 1,601 points, cost 1.3 M steps per fit).
fn inverse(g: &[f64], h: f64, p: f64) -> f64 {
    const TOL: f64 = 1e-12;
    let below = |i: usize| if i == 0 { 0.0 } else { g[i - 1] };
    // The first point whose cumulative is above `v` (`None`: none is).
    let first_above = |v: f64| Some(g.partition_point(|&c| c <= v)).filter(|&i| i < g.len());
    let lowest = first_above(TOL).unwrap_or(0);
    let highest = Some(g.partition_point(|&c| c < 1.0 - TOL))
        .filter(|&i| i < g.len())
        .unwrap_or(g.len() - 1);
    if p <= TOL {
        return h * (lowest as f64 - 0.5);
    }
    if p >= 1.0 - TOL {
        return h * (highest as f64 + 0.5);
    }
    let u = first_above(p + TOL).unwrap_or(highest);
    let upper = h * (u as f64 - 0.5 + (p - below(u)) / (g[u] - below(u)));
    // The last point below u whose cumulative is under p − TOL.
    let lower = match g[..u].partition_point(|&c| c < p - TOL) {
        0 => h * (-0.5 + p / g[0]),
        l => {
            let l = l - 1;
            h * (l as f64 + 0.5 + (p - g[l]) / (g[l + 1] - g[l]))
        }
    };
    (upper + lower) / 2.0
}

/// Piecewise-linear interpolation through points sorted by x; constant
/// beyond the ends. The segment is found by binary search: the first
/// point at or beyond `x` (a scan from the start made every replicate
/// of a total's equipercentile link cost 1,601² steps).
pub fn interpolate(points: &[(f64, f64)], x: f64) -> f64 {
    let Some(first) = points.first() else {
        return x;
    };
    if x <= first.0 {
        return first.1;
    }
    let i = 1 + points[1..].partition_point(|p| p.0 < x);
    let Some(&(x1, y1)) = points.get(i) else {
        return points[points.len() - 1].1;
    };
    let (x0, y0) = points[i - 1];
    if x1 > x0 {
        y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    } else {
        y1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const R100: Range = Range {
        max: 100.0,
        step: 1.0,
    };

    #[test]
    fn mean_and_linear_by_hand() {
        // x: 10, 20, 30 (mean 20, sd 10); y: 15, 35, 55 (mean 35, sd 20).
        let (x, y) = ([10.0, 20.0, 30.0], [15.0, 35.0, 55.0]);
        let m = fit(Method::Mean, &x, &y, R100, R100).unwrap();
        assert_eq!(m.apply(20.0), 35.0);
        let l = fit(Method::Linear, &x, &y, R100, R100).unwrap();
        assert_eq!(l.line(), Some((2.0, -5.0)));
        let i = fit(
            Method::Identity,
            &[],
            &[],
            R100,
            Range {
                max: 800.0,
                step: 1.0,
            },
        )
        .unwrap();
        assert_eq!(i.apply(50.0), 400.0);
    }

    #[test]
    fn equipercentile_of_a_shift_is_the_shift() {
        // y = x + 5 exactly: every x score maps to x + 5 in the data range.
        let x: Vec<f64> = (0..40).map(|i| 30.0 + (i % 20) as f64).collect();
        let y: Vec<f64> = x.iter().map(|v| v + 5.0).collect();
        let e = fit(Method::Equipercentile, &x, &y, R100, R100).unwrap();
        for v in [30.0, 37.0, 49.0] {
            assert!(
                (e.apply(v) - (v + 5.0)).abs() < 1e-9,
                "{v} -> {}",
                e.apply(v)
            );
        }
        // Halfway between score points: linear interpolation.
        assert!((e.apply(37.5) - 42.5).abs() < 1e-9);
        // Below the data (percentile rank 0): the lower edge of the target
        // distribution, half a step below its lowest score (35).
        assert_eq!(e.apply(0.0), 34.5);
    }

    /// Kolen & Brennan (2014), the example of ch. 2 (Table 2.3; also
    /// SNSequate's `eqp.eq` example): a 4-item test, x frequencies .2, .3,
    /// .2, .2, .1 and y frequencies .1, .2, .2, .3, .2. By hand: P(x) = 10,
    /// 35, 60, 80, 95; e.g. P = 35 lies in y = 2 (G: .3 -> .5), so e(1) =
    /// 2 − .5 + (.35 − .3)/(.5 − .3) = 1.75.
    #[test]
    fn equipercentile_reproduces_kolen_and_brennan_table_2_3() {
        let x = [0.0, 0.0, 1.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0];
        let y = [0.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0, 4.0];
        let r = Range {
            max: 4.0,
            step: 1.0,
        };
        let e = fit(Method::Equipercentile, &x, &y, r, r).unwrap();
        let got: Vec<String> = (0..=4)
            .map(|v| format!("{:.4}", e.apply(f64::from(v))))
            .collect();
        assert_eq!(got, ["0.5000", "1.7500", "2.8333", "3.5000", "4.2500"]);
    }

    /// A gap in the target scores (no pair scored 2 on y): the link takes
    /// the mean of the upper and the lower inverse, as R's `equate` does.
    /// By hand, x = 0, 1, 2, 2, 3, 4 and y = 0, 1, 1, 3, 3, 4 on 0..4: G =
    /// 1/6, 1/2, 1/2, 5/6, 1; P(2) = 1/3 + ½·1/3 = 1/2, whose upper inverse
    /// is 3 − .5 + (.5 − .5)/(1/3) = 2.5 and lower 0 + .5 + (.5 − 1/6)/(1/3)
    /// = 1.5: e(2) = 2 (y_U alone gave 2.5). Elsewhere both agree: P(1) =
    /// 1/4 → .75, P(3) = 3/4 → 3.25, P(4) = 11/12 → 4. Outside the pairs'
    /// x (x = 1, 1, 2, 3 against y = 1, 2, 2, 3): held at the edges of the
    /// target scores, 1 − .5 and 3 + .5 (not 4.5, the top of the scale).
    #[test]
    fn equipercentile_across_a_gap_and_outside_the_pairs() {
        let r = Range {
            max: 4.0,
            step: 1.0,
        };
        let shown = |e: &Fitted| -> Vec<String> {
            (0..=4)
                .map(|v| format!("{:.4}", e.apply(f64::from(v))))
                .collect()
        };
        let x = [0.0, 1.0, 2.0, 2.0, 3.0, 4.0];
        let y = [0.0, 1.0, 1.0, 3.0, 3.0, 4.0];
        let e = fit(Method::Equipercentile, &x, &y, r, r).unwrap();
        assert_eq!(
            shown(&e),
            ["0.0000", "0.7500", "2.0000", "3.2500", "4.0000"]
        );
        let e = fit(
            Method::Equipercentile,
            &[1.0, 1.0, 2.0, 3.0],
            &[1.0, 2.0, 2.0, 3.0],
            r,
            r,
        )
        .unwrap();
        assert_eq!(
            shown(&e),
            ["0.5000", "1.5000", "2.2500", "3.0000", "3.5000"]
        );
    }

    #[test]
    fn auto_choice() {
        // Below 5 pairs auto stays with the mean link; from 5 it takes
        // linear (mean only when the pairs have no spread to fit a line to).
        assert_eq!(Method::choose(MethodChoice::Auto, 1), Ok(Method::Mean));
        assert_eq!(Method::choose(MethodChoice::Auto, 4), Ok(Method::Mean));
        assert_eq!(Method::choose(MethodChoice::Auto, 5), Ok(Method::Linear));
        assert!(Method::choose(MethodChoice::Auto, 0).is_err());
        assert!(Method::choose(MethodChoice::Equipercentile, 99).is_err());
        assert_eq!(
            Method::choose(MethodChoice::Equipercentile, 100),
            Ok(Method::Equipercentile)
        );
    }
}
