//! Small statistics the summaries need: mean and SD (and the float noise
//! below which values are one, `NOISE`), Student's
//! t quantile (via the regularized incomplete beta function); the 95 %
//! interval of a mean, native or with a linking error (`interval`);
//! rounding as a reader rounds; the quartiles of a
//! group by selection (`quartiles`); a sum that does not depend on the
//! order of its terms (`sum`); and the seeded random numbers (`rng`).

pub mod interval;
pub mod quartiles;
pub mod rng;
pub mod sum;

/// `x` rounded to `decimals` decimals, half away from zero, as the exact
/// figure it stands for rounds: a percentage such as 100 · 2.3 / 20 is
/// 11.499999999999998 in binary floating point, and is 11.5, "12 %". So
/// `x` is first taken to nine decimals more than are shown (far finer than
/// any score or average is given, far coarser than the float's error).
pub fn round_half_away(x: f64, decimals: usize) -> f64 {
    let scale = 10f64.powi(decimals as i32);
    let exact = (x * scale * 1e9).round() / 1e9;
    exact.round() / scale
}

/// Values closer than this are one value as every output writes it (to
/// six decimals at most, on scales of at most 2,001 points), whatever
/// their floats: 381.6 typed in and 381.59999999999997 summed from its
/// areas, or the changes 50 → 50.1 and 70 → 70.1; so are a score and its
/// maximum, or zero, or a repeat of it, as a spreadsheet's binary noise
/// leaves them (`100.0000000001`).
pub const NOISE: f64 = 1e-9;

/// Whether `steps`, a value over its scale's resolution, is a whole number
/// of steps (a score point), but for the noise of a score written with
/// many decimals (`33.3333333` of thirds).
pub fn whole_steps(steps: f64) -> bool {
    (steps - steps.round()).abs() <= 1e-6
}

/// The SD of values whose range (largest less smallest) is `range`: 0
/// where they are all one value but for float noise ([`NOISE`]), whose
/// SD of 1e-14 would give an interval of no width where equal values
/// have none.
pub fn sd_beyond_noise(sd: f64, range: f64) -> f64 {
    if range < NOISE { 0.0 } else { sd }
}

/// Mean and sample SD (n − 1; 0 for one value).
pub fn mean_sd(v: &[f64]) -> (f64, f64) {
    // As `mean_sd_pair_of_sums` divides (n bound first): the same NaN bits
    // for no values (`mean_sd_pair_is_mean_sd_to_the_bit`).
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    (mean, sd_about(v, mean))
}

/// The sample SD (n − 1; 0 for one value) of `v`, whose mean is `mean`.
pub fn sd_about(v: &[f64], mean: f64) -> f64 {
    if v.len() < 2 {
        return 0.0;
    }
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (v.len() as f64 - 1.0);
    var.sqrt()
}

/// [`mean_sd`] of `x` and of `y` (of the same length) at once: the same
/// figures to the bit, as each sum is taken in the same order, from the
/// same start as the standard library's (−0), in about half the time. A
/// sum of floats waits for each addition before the next (their order
/// fixes the result, so it is not split up); two sums side by side keep
/// the core busy while one waits. The bootstrap of the links fits a
/// thousand resamples per item, and at 1,000,000 evaluations these sums
/// were most of its time.
pub fn mean_sd_pair(x: &[f64], y: &[f64]) -> ((f64, f64), (f64, f64)) {
    let (mut sx, mut sy) = (-0.0, -0.0);
    for (a, b) in x.iter().zip(y) {
        sx += a;
        sy += b;
    }
    mean_sd_pair_of_sums(x, y, (sx, sy))
}

/// [`mean_sd_pair`] with the sums of `x` and `y` already taken (in their
/// order, from −0), as the links' bootstrap takes them while it draws.
pub fn mean_sd_pair_of_sums(
    x: &[f64],
    y: &[f64],
    (sx, sy): (f64, f64),
) -> ((f64, f64), (f64, f64)) {
    debug_assert_eq!(x.len(), y.len());
    let n = x.len() as f64;
    let (mx, my) = (sx / n, sy / n);
    if x.len() < 2 {
        return ((mx, 0.0), (my, 0.0));
    }
    let (mut vx, mut vy) = (-0.0, -0.0);
    for (a, b) in x.iter().zip(y) {
        vx += (a - mx).powi(2);
        vy += (b - my).powi(2);
    }
    let k = n - 1.0;
    ((mx, (vx / k).sqrt()), (my, (vy / k).sqrt()))
}

/// ln Γ(x) for x > 0 (Lanczos approximation, g = 7, n = 9).
fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let t = x + 7.5;
    let sum = C[1..]
        .iter()
        .enumerate()
        .fold(C[0], |acc, (i, c)| acc + c / (x + i as f64 + 1.0));
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// Continued fraction for the incomplete beta function (modified Lentz).
fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..300 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// The regularized incomplete beta function I_x(a, b).
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    if x < (a + 1.0) / (a + b + 2.0) {
        ln_front.exp() * beta_cf(a, b, x) / a
    } else {
        1.0 - ln_front.exp() * beta_cf(b, a, 1.0 - x) / b
    }
}

/// P(Z > z) for a standard normal Z, by the complementary error function
/// of Numerical Recipes' `erfcc` (relative error below 1.2 × 10⁻⁷).
pub fn normal_upper(z: f64) -> f64 {
    let x = z / std::f64::consts::SQRT_2;
    let a = x.abs();
    let t = 1.0 / (1.0 + 0.5 * a);
    let poly = -a * a - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    0.5 * if x >= 0.0 { erfc } else { 2.0 - erfc }
}

/// P(T ≤ t) for Student's t with `df` degrees of freedom.
pub fn t_cdf(t: f64, df: f64) -> f64 {
    let tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t));
    if t >= 0.0 { 1.0 - tail } else { tail }
}

/// The density of Student's t with `df` degrees of freedom at `t`.
fn t_density(t: f64, df: f64) -> f64 {
    let ln_c =
        ln_gamma((df + 1.0) / 2.0) - ln_gamma(df / 2.0) - 0.5 * (df * std::f64::consts::PI).ln();
    (ln_c - (df + 1.0) / 2.0 * (t * t / df).ln_1p()).exp()
}

/// The `p` quantile of Student's t with `df` degrees of freedom (p in
/// (0, 1)): Newton's steps on the CDF kept inside a bracket that each
/// step narrows, a bisection step wherever Newton's would leave it; done
/// when a step moves less than a few ulps (about five evaluations of the
/// CDF instead of the fifty-odd of a bisection to the last bit).
pub fn t_quantile(p: f64, df: f64) -> f64 {
    if p < 0.5 {
        return -t_quantile(1.0 - p, df);
    }
    let (mut lo, mut hi) = (0.0, 1.0);
    while t_cdf(hi, df) < p {
        (lo, hi) = (hi, hi * 2.0);
    }
    let mut t = 0.5 * (lo + hi);
    for _ in 0..200 {
        let gap = t_cdf(t, df) - p;
        if gap < 0.0 {
            lo = t;
        } else {
            hi = t;
        }
        let newton = t - gap / t_density(t, df);
        let next = if newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        if (next - t).abs() <= 4.0 * f64::EPSILON * t || lo >= hi {
            return next;
        }
        t = next;
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pair's figures are `mean_sd`'s to the bit: on random values of
    /// every length up to 40 (the sums round differently in any other
    /// order), on one value, none, and values that are all −0.
    #[test]
    fn mean_sd_pair_is_mean_sd_to_the_bit() {
        let mut rng = rng::Rng::new(7);
        let bits = |(m, s): (f64, f64)| (m.to_bits(), s.to_bits());
        let mut cases: Vec<(Vec<f64>, Vec<f64>)> = (0..40)
            .map(|n| {
                let mut draw = || (rng.next_u64() % 20_001) as f64 / 137.0 - 40.0;
                (
                    (0..n).map(|_| draw()).collect(),
                    (0..n).map(|_| draw()).collect(),
                )
            })
            .collect();
        cases.push((vec![-0.0; 3], vec![-0.0; 3]));
        for (x, y) in &cases {
            let (px, py) = mean_sd_pair(x, y);
            assert_eq!(bits(px), bits(mean_sd(x)), "{x:?}");
            assert_eq!(bits(py), bits(mean_sd(y)), "{y:?}");
        }
    }

    #[test]
    fn t_quantiles_match_tables() {
        // Published two-sided 95 % critical values.
        for (df, want) in [
            (1.0, 12.7062),
            (2.0, 4.3027),
            (5.0, 2.5706),
            (10.0, 2.2281),
            (30.0, 2.0423),
            (120.0, 1.9799),
        ] {
            let got = t_quantile(0.975, df);
            assert!((got - want).abs() < 5e-4, "df {df}: {got} vs {want}");
        }
        assert!((t_cdf(0.0, 7.0) - 0.5).abs() < 1e-12);
    }

    /// 97.5 % quantiles at whole and fractional degrees of freedom (a
    /// Welch–Satterthwaite ν is seldom whole) against scipy's `t.ppf`, and
    /// the CDF at the quantile found is the probability asked for.
    #[test]
    fn t_quantiles_match_scipy() {
        for (df, want) in [
            (1.0, 12.706_204_736_174_694),
            (1.5, 6.016_663_104_427_929),
            (2.7, 3.392_148_383_173_750_7),
            (3.0, 3.182_446_305_283_707_8),
            (7.25, 2.348_194_849_105_371),
            (26.0, 2.055_529_438_642_873_5),
            (58.3, 2.001_498_197_878_836),
            (199.9, 1.971_902_228_375_926_4),
            (1e4, 1.960_201_239_890_626),
        ] {
            let got = t_quantile(0.975, df);
            assert!((got - want).abs() < 1e-9 * want, "df {df}: {got} vs {want}");
            assert!((t_cdf(got, df) - 0.975).abs() < 1e-13, "df {df}");
        }
    }

    /// Upper tail probabilities of the standard normal against scipy's
    /// `norm.sf`, to the approximation's relative error.
    #[test]
    fn normal_upper_tails_match_scipy() {
        for (z, want) in [
            (-1.0, 0.841_344_746_068_542_9),
            (0.0, 0.5),
            (0.5, 0.308_537_538_725_986_9),
            (1.5, 0.066_807_201_268_858_07),
            (2.0, 0.022_750_131_948_179_195),
            (3.0, 0.001_349_898_031_630_093_3),
        ] {
            let got = normal_upper(z);
            assert!((got - want).abs() <= 2e-7 * want, "z {z}: {got} vs {want}");
        }
    }
}
