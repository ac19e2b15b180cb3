//! The 95 % interval of a mean that may carry a linking error besides its
//! sampling error: a mean change in `trend_summary.csv` or a mean score in
//! `averages.csv`. Which t quantiles it takes is decided here, once, and
//! the quantiles of many rows are found once per degrees of freedom.
//!
//! - A native scale: mean ± t(0.975, n − 1) · sd / √n.
//! - The linked scale: mean ± t(0.975, ν) · √(se_sampling² + se_link²),
//!   ν by Welch–Satterthwaite from n − 1 and the linking SE's degrees of
//!   freedom (Kolen & Brennan 2014, ch. 7: the link's error is estimated
//!   from the dual-scored pairs; pairs − 1, less for a linear link's slope:
//!   `linking::dof`).
//! - Through a weak link (2–4 pairs), or a mean of two values (its
//!   sampling SE of one degree of freedom): each error with its own t,
//!   √((t(n − 1) · se_sampling)² + (t(ν_link) · se_link)²). A linking
//!   SE from so few pairs is often low by chance, and Welch's single ν
//!   then trusts it: in an independent simulation (`benches/coverage/`)
//!   its intervals of changes covered 93.1 % at 3 pairs and 88.7 % at 2;
//!   these, 95.2–97.6 %. Likewise the sampling SE of two values, near 0
//!   whenever they happen to agree: Welch's ν then follows the link's
//!   pairs, t falls from 12.7 towards 2.4, and the mean changes of two
//!   municipalities through a link of 5–16 covered 90.8 % end to end
//!   (an audit, 2026-12-04); each its own t, 96.5 %.

use rayon::prelude::*;

use super::t_quantile;
use crate::linking::ItemLink;

/// What a mean's interval is made of.
#[derive(Debug, Clone, Copy)]
pub struct Errors {
    /// How many values the mean is of.
    pub n: u64,
    /// Their sample SD (n ≥ 2).
    pub sd: Option<f64>,
    /// On the linked scale.
    pub linked: bool,
    /// The error shared through the links (the linked scale; `None` where
    /// a link used has no replicates, or too many of the values lie in an
    /// equipercentile link's tails: `analysis::link_error`).
    pub se_link: Option<f64>,
    /// The fewest municipalities whose dual-scored pairs are behind the
    /// linked values (the sample size of a link's error).
    pub link_municipalities: Option<usize>,
    /// The degrees of freedom of `se_link` (the fewest of the links':
    /// [`crate::linking::ItemLink::error_df`]).
    pub link_df: Option<f64>,
}

/// How an interval is formed: the degrees of freedom of its t quantiles.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Rule {
    /// One t for the whole SE (native: n − 1; linked: Welch's ν).
    One(f64),
    /// A weak link or two values: t(n − 1) for the sampling SE, t(ν_link)
    /// for the linking SE (pairs − 1 through a weak link).
    EachOwn(f64, f64),
}

/// A linking SE and what its interval takes of the links: the degrees of
/// freedom they give it and the fewest municipalities behind it.
#[derive(Debug, Clone, Copy)]
pub struct LinkPart {
    pub se: f64,
    pub df: Option<f64>,
    pub municipalities: Option<usize>,
}

impl Rule {
    /// The rule of a sampling SE `s` of `df_s` degrees of freedom (n − 1
    /// for a mean of n values) and, on the linked scale, its linking part
    /// `link`: each error its own t through a weak link (2–4
    /// municipalities) or where the sampling part rests on two values
    /// (df_s below 2), with a linking error; else one t,
    /// Welch–Satterthwaite's ν of both (df_s without a linking error).
    fn of(df_s: f64, s: f64, link: Option<LinkPart>) -> Rule {
        let Some(l) = link else {
            return Rule::One(df_s);
        };
        let dl = (l.municipalities).map(|p| link_df_or(l.df, p));
        match (l.municipalities, dl) {
            (Some(p), Some(dl))
                if l.se > 0.0 && p >= 2 && (p < ItemLink::MIN_PAIRS || df_s < 2.0) =>
            {
                Rule::EachOwn(df_s, dl)
            }
            _ => Rule::One(welch_df(df_s, s, dl.map(|dl| (l.se, dl)))),
        }
    }

    /// The half-width of sampling SE `s` and linking SE `l` (0 without
    /// one) by this rule, `t` the quantile at given degrees of freedom.
    fn half_width(self, s: f64, l: f64, t: impl Fn(f64) -> f64) -> f64 {
        match self {
            Rule::EachOwn(ds, dl) => weak_half_width((t(ds), s), (t(dl), l)),
            Rule::One(d) => t(d) * s.hypot(l),
        }
    }

    /// The degrees of freedom whose quantiles it takes.
    fn dfs(self) -> impl Iterator<Item = f64> {
        let (a, b) = match self {
            Rule::One(d) => (d, None),
            Rule::EachOwn(ds, dl) => (ds, Some(dl)),
        };
        std::iter::once(a).chain(b)
    }
}

impl Errors {
    /// `n` values of a native scale with sample SD `sd`.
    pub fn native(n: u64, sd: f64) -> Errors {
        Errors {
            n,
            sd: Some(sd),
            linked: false,
            se_link: None,
            link_municipalities: None,
            link_df: None,
        }
    }

    /// The 95 % half-width of this one mean (its t quantiles found for it
    /// alone; for many rows, [`half_widths`]).
    pub fn half_width_alone(&self) -> Option<f64> {
        (self.rule()).and_then(|r| self.half_width(r, |d| t_quantile(0.975, d)))
    }

    /// sd / √n (n ≥ 2).
    pub fn se_sampling(&self) -> Option<f64> {
        self.sd
            .filter(|_| self.n >= 2)
            .map(|sd| sd / (self.n as f64).sqrt())
    }

    /// √(se_sampling² + se_link²); the sampling SE alone on a native scale.
    pub fn se_total(&self) -> Option<f64> {
        total_se(self.se_sampling()?, self.linked, self.se_link)
    }

    /// The interval's rule, when it has one: n ≥ 2 values not all equal
    /// (an SD of 0 from a few equal scores is not an estimate of their
    /// spread, and its interval would have no width) and, on the linked
    /// scale, a known linking error.
    fn rule(&self) -> Option<Rule> {
        if self.sd.is_some_and(|sd| sd == 0.0) {
            return None;
        }
        let s = self.se_sampling()?;
        let df_s = (self.n - 1) as f64;
        match self.linked {
            false => Some(Rule::of(df_s, s, None)),
            true => (self.link_part()).map(|l| Rule::of(df_s, s, Some(l))),
        }
    }

    /// The linking part, where the linking SE is known.
    fn link_part(&self) -> Option<LinkPart> {
        (self.se_link).map(|se| LinkPart {
            se,
            df: self.link_df,
            municipalities: self.link_municipalities,
        })
    }

    /// The half-width, with `t` the quantile at given degrees of freedom.
    fn half_width(&self, rule: Rule, t: impl Fn(f64) -> f64) -> Option<f64> {
        let l = match self.linked {
            true => self.se_link?,
            false => 0.0,
        };
        Some(rule.half_width(self.se_sampling()?, l, t))
    }
}

/// The 95 % half-width of each row's mean (`None`: no interval). Student's t
/// quantile is found once per degrees of freedom, on all cores: each is a
/// bisection on the t CDF, and a native row's n − 1 is shared by many.
pub fn half_widths(rows: &[Errors]) -> Vec<Option<f64>> {
    let rules: Vec<Option<Rule>> = rows.iter().map(Errors::rule).collect();
    let mut dfs: Vec<u64> = (rules.iter().flatten())
        .flat_map(|r| r.dfs())
        .map(f64::to_bits)
        .collect();
    dfs.sort_unstable();
    dfs.dedup();
    let quantiles: Vec<f64> = dfs
        .par_iter()
        .map(|&d| t_quantile(0.975, f64::from_bits(d)))
        .collect();
    let t = |d: f64| {
        dfs.binary_search(&d.to_bits())
            .map_or(f64::NAN, |i| quantiles[i])
    };
    (rows.iter().zip(rules))
        .map(|(e, rule)| rule.and_then(|r| e.half_width(r, t)))
        .collect()
}

/// A linking SE's degrees of freedom: `df` where the links give them, else
/// the fewest municipalities behind it, `p`, less 1 (at least 1).
fn link_df_or(df: Option<f64>, p: usize) -> f64 {
    df.unwrap_or(p.saturating_sub(1).max(1) as f64)
}

/// The 95 % half-width of a difference between two means (a group's and
/// its country's, `analysis::averages::difference`) whose sampling SE `s`
/// has `df_s` degrees of freedom (Welch's, of the two samples' spreads)
/// and, on the linked scale, a linking part `link`: formed as a mean's
/// interval is ([`Rule::of`]).
pub fn difference_half_width(s: f64, df_s: f64, link: Option<LinkPart>) -> f64 {
    let l = link.map_or(0.0, |l| l.se);
    Rule::of(df_s, s, link).half_width(s, l, |d| t_quantile(0.975, d))
}

/// √((ts · s)² + (tl · l)²): a weak link's half-width.
fn weak_half_width((ts, s): (f64, f64), (tl, l): (f64, f64)) -> f64 {
    (ts * s).hypot(tl * l)
}

/// Welch–Satterthwaite's ν of a sampling SE `s` of `df_s` degrees of
/// freedom (n − 1 for a mean of n values) and, where there is one, a
/// linking SE and its degrees of freedom `link`.
fn welch_df(df_s: f64, s: f64, link: Option<(f64, f64)>) -> f64 {
    let Some((l, df_l)) = link else {
        return df_s;
    };
    let (s4, l4) = (s.powi(4), l.powi(4));
    if s4 + l4 == 0.0 {
        return df_s;
    }
    ((s * s + l * l).powi(2) / (s4 / df_s + l4 / df_l)).max(1.0)
}

/// A sampling SE `s` with a linking SE: √(s² + se_link²) on the linked
/// scale (`None` where the linking error is unknown), `s` alone on a
/// native one. A mean's, a change's and a group's difference's alike.
pub fn total_se(s: f64, linked: bool, se_link: Option<f64>) -> Option<f64> {
    match (linked, se_link) {
        (false, _) => Some(s),
        (true, l) => l.map(|l| s.hypot(l)),
    }
}

#[cfg(test)]
mod tests {
    use super::{Errors, half_widths, weak_half_width, welch_df};
    use crate::stats::rng::Rng;
    use crate::stats::t_quantile;

    /// Coverage by simulation with known truth: the mean of two changes
    /// d = μ + L + e (e ~ N(0, 1) each, L ~ N(0, 0.3²) the shared
    /// linking error) through a link of 7 municipalities, whose SE is
    /// estimated as 0.3 · √(χ²₆ / 6). Welch's ν covered 90.7 % of 40,000
    /// such means (the sampling SE of two values is near 0 whenever they
    /// agree, and ν then follows the link's 6, t 2.45 for an error that
    /// t(1) = 12.7 should cover); each error its own t covers 97.4 % (with
    /// L's SD 0.7, 1, 1.5 or 2.5: Welch 94.5–95.7 %, each its own t
    /// 98.6–99.0 %, wider than it need be, not narrower).
    #[test]
    fn a_mean_of_two_linked_values_covers_its_truth() {
        let mut rng = Rng::new(20_261_204);
        let (reps, tau) = (40_000, 0.3);
        let rows: Vec<(f64, Errors)> = (0..reps)
            .map(|_| {
                let shared = rng.gauss(0.0, tau);
                let (d1, d2) = (shared + rng.normal(), shared + rng.normal());
                let chi: f64 = (0..6).map(|_| rng.normal().powi(2)).sum();
                let row = Errors {
                    n: 2,
                    sd: Some((d1 - d2).abs() / 2.0_f64.sqrt()),
                    linked: true,
                    se_link: Some(tau * (chi / 6.0).sqrt()),
                    link_municipalities: Some(7),
                    link_df: None,
                };
                ((d1 + d2) / 2.0, row)
            })
            .collect();
        let errors: Vec<Errors> = rows.iter().map(|r| r.1).collect();
        let half = half_widths(&errors);
        let covered = (rows.iter().zip(&half))
            .filter(|((m, _), h)| h.is_some_and(|h| m.abs() <= h))
            .count();
        let share = covered as f64 / reps as f64;
        assert!((0.95..0.985).contains(&share), "covered {share}");
    }

    /// Welch–Satterthwaite's ν: between the smaller and the sum of n − 1
    /// and pairs − 1, by hand for equal SEs (ν = (2s²)² / (s⁴/149 +
    /// s⁴/9) = 4 / (1/149 + 1/9) = 33.95); no link, n − 1.
    #[test]
    fn degrees_of_freedom_of_a_change() {
        assert!((welch_df(149.0, 1.0, Some((1.0, 9.0))) - 33.949_367).abs() < 1e-5);
        assert!(welch_df(149.0, 1.0, Some((0.1, 2.0))) > 140.0);
        assert_eq!(welch_df(149.0, 1.0, None), 149.0);
        // Two changes and a small linking error: 1.0201 / (1 + 0.0001 / 3).
        assert!((welch_df(1.0, 1.0, Some((0.1, 3.0))) - 1.020_066).abs() < 1e-5);
    }

    /// The shipped sample's area 3, 27 changes through a 2-pair link
    /// (se_sampling 0.8076, se_link 0.2559): t(0.975, 26) = 2.055529 and
    /// t(0.975, 1) = 12.706205 (tables), √(1.660045² + 3.251518²) =
    /// 3.650770, where Welch's ν (24.9) gave ± 1.75.
    #[test]
    fn a_weak_link_s_interval_takes_each_error_with_its_own_t() {
        let half = weak_half_width(
            (t_quantile(0.975, 26.0), 0.8076),
            (t_quantile(0.975, 1.0), 0.2559),
        );
        assert!((half - 3.650_770).abs() < 1e-4, "{half}");
    }

    /// 2.5706 · 2 / √6 = 2.0989 (t from the table in `stats`); none for
    /// one value or for equal ones.
    #[test]
    fn half_width_of_a_mean() {
        let h = Errors::native(6, 2.0).half_width_alone().unwrap();
        assert!((h - 2.0989).abs() < 5e-4, "{h}");
        assert_eq!(Errors::native(1, 2.0).half_width_alone(), None);
        assert_eq!(Errors::native(4, 0.0).half_width_alone(), None);
    }

    /// Each kind of row, against t tables: native n = 10, sd 2:
    /// t(9) = 2.262157 · 2 / √10 = 1.430714; linked through 10 pairs,
    /// n = 150, sd √150 (se_sampling 1), se_link 1: ν = 33.95 (above),
    /// t(33.95) = 2.032356 · √2 = 2.874186; through 3 pairs (sd √27, n = 27:
    /// se_sampling 1, se_link 0.5): √((t(26) · 1)² + (t(2) · 0.5)²) =
    /// √(2.055529² + 2.151326²) = 2.975467 (scipy's
    /// `t.ppf`); none for n = 1, for an
    /// unknown linking error, for a native row without an SD, and for
    /// values all equal (SD 0).
    #[test]
    fn every_kind_of_row_gets_its_rule() {
        let native = |n, sd| Errors {
            n,
            sd,
            linked: false,
            se_link: None,
            link_municipalities: None,
            link_df: None,
        };
        let linked = |n: u64, l, p| Errors {
            n,
            sd: Some((n as f64).sqrt()),
            linked: true,
            se_link: l,
            link_municipalities: p,
            link_df: None,
        };
        let rows = [
            native(10, Some(2.0)),
            linked(150, Some(1.0), Some(10)),
            linked(27, Some(0.5), Some(3)),
            native(1, Some(0.0)),
            linked(27, None, Some(3)),
            native(10, None),
            // No linked score among them: the sampling error alone, n − 1.
            linked(10, Some(0.0), None),
            native(3, Some(0.0)),
        ];
        let h = half_widths(&rows);
        let near =
            |got: Option<f64>, want: f64, tol: f64| got.is_some_and(|g| (g - want).abs() < tol);
        assert!(near(h[0], 1.430_714, 1e-5), "{:?}", h[0]);
        assert!(near(h[1], 2.874_186, 1e-5), "{:?}", h[1]);
        assert!(near(h[2], 2.975_467, 1e-5), "{:?}", h[2]);
        assert_eq!(h[3..6], [None, None, None]);
        assert!(near(h[6], 2.262_157, 1e-5), "{:?}", h[6]);
        assert_eq!(h[7], None);
    }
}
