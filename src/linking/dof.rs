//! How far a linking SE can be trusted: the degrees of freedom of a
//! link's bootstrap SE, and the t multiplier of a 95 % interval through
//! the link that follows from them.
//!
//! A bootstrap SE is an estimate, from the link's municipalities, of the
//! variance of the link's influence values (a jackknife SE, that of a
//! linear link of 5–8 municipalities, is that estimate itself). For a
//! linear (mean-sigma) link of bivariate normal pairs with correlation ρ,
//! the linked score at standardised source score z has influence values
//! σ_Y · a · (1 + z·b/2) with a and b independent normals of variances
//! 2(1 − ρ) and 2(1 + ρ): its variance is 2σ_Y²(1 − ρ)(1 + s²)/N with s²
//! = (1 + ρ)z²/2, Kolen & Brennan's (2014, ch. 7) single-group formula,
//! whose first part is the level's error and the second the slope's. The
//! kurtosis of those values is κ = 3(1 + 6s² + 3s⁴)/(1 + s²)², 3 at the
//! pairs' mean and up to 9 far from it, so their sample variance has the
//! relative variance (κ − 1)/N of a χ² of ν = 2(N − 1)/(κ − 1) degrees of
//! freedom (Satterthwaite 1946): N − 1 at the mean, a quarter of it for
//! the slope alone. With t(N − 1) everywhere, the 2020 → new links of
//! 21–51 municipalities covered 93.2 % over their score points (92.4 %
//! below 3 SDs out); with this ν, 95.2 % (94.7–95.9 % in every band of z;
//! `benches/coverage/eq_synth.py`, README "Uncertainty").
//!
//! Mean and equipercentile links, and links of fewer than
//! [`ItemLink::MIN_PAIRS`] municipalities (their intervals take each error
//! with its own t, checked at 95–98 %), keep N − 1.

use super::ItemLink;
use super::methods::Method;
use crate::stats::t_quantile;

/// The 95 % multipliers of one link at each concordance point.
#[derive(Debug, Clone, Default)]
pub(super) struct Multipliers {
    at_points: Vec<f64>,
}

impl Multipliers {
    /// The link's multipliers (found once per link: each is a t quantile).
    pub(super) fn of(link: &ItemLink) -> Multipliers {
        let t = |df: f64| t_quantile(0.975, df);
        let at_points = if link.df_varies() {
            (link.concordance.iter())
                .map(|c| t(link.df_at(c.x)))
                .collect()
        } else {
            vec![t(link.error_df(1.0, 0.0))]
        };
        Multipliers { at_points }
    }

    /// At score `x` (the nearest concordance point's).
    pub(super) fn at(&self, link: &ItemLink, x: f64) -> f64 {
        let i = (link.position(x)).map_or(0, |(lo, frac)| lo + usize::from(frac >= 0.5));
        (self.at_points.get(i).or(self.at_points.first()))
            .copied()
            .unwrap_or(f64::NAN)
    }
}

impl ItemLink {
    /// Whether the degrees of freedom of its SE depend on where on the
    /// scale (a linear link of at least [`ItemLink::MIN_PAIRS`]
    /// municipalities with a correlation and a spread).
    fn df_varies(&self) -> bool {
        self.method == Method::Linear
            && self.municipalities >= Self::MIN_PAIRS
            && self.r.is_some()
            && self.sd_from.is_some_and(|s| s > 0.0)
    }

    /// (x − mean_from) / sd_from (0 without them).
    pub fn standardised(&self, x: f64) -> f64 {
        match (self.mean_from, self.sd_from) {
            (Some(m), Some(s)) if s > 0.0 => (x - m) / s,
            _ => 0.0,
        }
    }

    /// Whether Σ w · linked(x) over some scores linked through it depends
    /// on the link, with `level` = Σ w and `centred` = Σ w · z (as in
    /// [`ItemLink::error_df`]): where the weights sum to 0 a mean link's
    /// shift cancels (each replicate moves every score by the same amount,
    /// a clamped one too: replicates are not clamped) and so does an identity
    /// link; a linear link's slope cancels only where `centred` is 0 too;
    /// an equipercentile link's curve never does.
    pub fn enters(&self, level: f64, centred: f64) -> bool {
        level != 0.0
            || match self.method {
                Method::Linear => centred.abs() >= 1e-9,
                Method::Equipercentile => true,
                Method::Mean | Method::Identity => false,
            }
    }

    /// [`ItemLink::error_df`] of one score `x` linked through it: its SE's
    /// degrees of freedom there (`concordance.csv`'s and
    /// `linked_scores.csv`'s `linked_df`, a linked score's interval).
    pub fn df_at(&self, x: f64) -> f64 {
        self.error_df(1.0, self.standardised(x))
    }

    /// The degrees of freedom of the linking error of Σ w · linked(x) over
    /// some scores linked through it, with `level` = Σ w and `centred` =
    /// Σ w · z (z their [`ItemLink::standardised`] scores): a linear
    /// link's error there is its error at the weighted mean score
    /// (s² = (1 + ρ)/2 · (centred / level)²), the slope's alone where the
    /// weights sum to 0. N − 1 (at least 1) where the degrees of freedom
    /// do not vary (see the module's note).
    pub fn error_df(&self, level: f64, centred: f64) -> f64 {
        let plain = self.municipalities.saturating_sub(1).max(1) as f64;
        if !self.df_varies() {
            return plain;
        }
        let rho = self.r.unwrap_or(0.0).clamp(-1.0, 1.0);
        let kappa = if level == 0.0 {
            9.0
        } else {
            let s2 = (1.0 + rho) / 2.0 * (centred / level).powi(2);
            3.0 * (1.0 + 6.0 * s2 + 3.0 * s2 * s2) / (1.0 + s2).powi(2)
        };
        (2.0 * plain / (kappa - 1.0)).max(1.0)
    }

    /// A link of `municipalities` with correlation `r`, pairs of mean 50
    /// and SD 10 on both scales, the identity line and no replicates.
    #[cfg(test)]
    pub(crate) fn for_tests(method: Method, municipalities: usize, r: f64) -> ItemLink {
        use super::Deviations;
        use super::methods::Fitted;
        ItemLink {
            from: 0,
            from_item: 0,
            to_item: 0,
            method,
            pairs: Vec::new(),
            municipalities,
            mean_from: Some(50.0),
            sd_from: Some(10.0),
            mean_to: Some(50.0),
            sd_to: Some(10.0),
            fitted: Fitted::Line {
                slope: 1.0,
                intercept: 0.0,
            },
            slope_se: None,
            intercept_se: None,
            loo_mae: None,
            clamped: 0,
            r: Some(r),
            extrapolated: 0,
            linked: 0,
            concordance: Vec::new(),
            replicates: Deviations::default(),
            boot_dropped: 0,
            bootstrapped: false,
            without_spread: false,
            lone_spread: false,
            invariance: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::ItemLink;
    use super::super::methods::Method;

    fn link(method: Method, municipalities: usize, r: f64) -> ItemLink {
        ItemLink::for_tests(method, municipalities, r)
    }

    /// By hand: 35 municipalities, ρ = 0.9. At the mean, κ = 3 and ν =
    /// 34. At z = 1: s² = 0.95, κ = 3(1 + 5.7 + 2.7075)/1.95² = 7.42209,
    /// ν = 68/6.42209 = 10.5884. The slope alone (weights summing to 0,
    /// level 0): κ = 9, ν = 68/8 = 8.5. A mean link, an equipercentile
    /// one and a linear one of 4 municipalities: N − 1 anywhere.
    #[test]
    fn degrees_of_freedom_by_hand() {
        let l = link(Method::Linear, 35, 0.9);
        assert_eq!(l.error_df(1.0, 0.0), 34.0);
        assert!((l.error_df(1.0, 1.0) - 10.5884).abs() < 1e-4);
        assert!((l.error_df(2.0, -2.0) - 10.5884).abs() < 1e-4);
        assert_eq!(l.error_df(0.0, 1.0), 8.5);
        assert!((l.standardised(60.0) - 1.0).abs() < 1e-12);
        for other in [
            link(Method::Mean, 35, 0.9),
            link(Method::Equipercentile, 35, 0.9),
        ] {
            assert_eq!(other.error_df(1.0, 3.0), 34.0);
            assert_eq!(other.error_df(0.0, 1.0), 34.0);
        }
        assert_eq!(link(Method::Linear, 4, 0.9).error_df(1.0, 3.0), 3.0);
        // Far out ν falls towards a quarter of N − 1, never below 1.
        assert!((link(Method::Linear, 35, 0.9).error_df(1.0, 1e6) - 8.5).abs() < 1e-6);
        assert_eq!(link(Method::Linear, 5, 0.9).error_df(0.0, 1.0), 1.0);
    }
}
