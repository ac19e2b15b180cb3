//! How far a Swedish group's average (a kommungrupp, a population band)
//! lies from Sweden's, with its 95 % interval: `group_differences.csv` and
//! the group pages. The group is part of the country, so the two means
//! share its municipalities: with n_g of the country's N in the group and
//! the rest r (n_r = N − n_g), d = ḡ − n̄ = (n_r / N)(ḡ − r̄), whose
//! sampling SE is (n_r / N) · √(s_g² / n_g + s_r² / n_r) with Welch's
//! degrees of freedom, the rest's mean and SD found from the country's and
//! the group's. On the linked scale d is recomputed under each replicate
//! of the links as an average is (`analysis::link_error`): a member's
//! linked score enters with weight n_r, the rest's with −n_g, over n_g · N,
//! so the part of a link's error both means share cancels.

use rayon::prelude::*;

use super::{Average, AverageIndex, Basis, Grouping};
use crate::analysis::link_error::{GroupTerms, LinkedTerms, TermErrors};
use crate::linking::Linking;
use crate::reference::country::SWEDEN;
use crate::stats::interval::{difference_half_width, total_se};

/// One row of `group_differences.csv`.
#[derive(Debug, Clone)]
pub struct Difference {
    pub scale: usize,
    pub grouping: Grouping,
    pub group: String,
    /// The group's code ([`Grouping::code`]).
    pub code: u32,
    pub item: u16,
    /// The group's n and Sweden's.
    pub n: u64,
    pub national_n: u64,
    /// The group's mean less Sweden's.
    pub difference: f64,
    /// None for fewer than two in the group or in the rest of Sweden.
    pub se_sampling: Option<f64>,
    /// On the linked scale (0 without linked scores; `None` where a link
    /// has no error estimate); `None` on a native scale.
    pub se_link: Option<f64>,
    pub linked: bool,
    /// None where the sampling SE is none or 0, the linking error unknown,
    /// and under `--basis all`.
    pub ci: Option<(f64, f64)>,
}

impl Difference {
    /// √(se_sampling² + se_link²); the sampling SE alone on a native scale.
    pub fn se_total(&self) -> Option<f64> {
        total_se(self.se_sampling?, self.linked, self.se_link)
    }

    /// Half the interval's width, the ± the group pages show.
    pub fn half_interval(&self) -> Option<f64> {
        self.ci.map(|(lo, hi)| (hi - lo) / 2.0)
    }
}

/// The difference of every Swedish group's average (`rows`) from
/// Sweden's on the same scale and item, in the rows' order (the register
/// gives groups to Swedish municipalities only, so a group is part of
/// Sweden's average).
pub fn differences(
    basis: Basis,
    rows: &[Average],
    terms: &GroupTerms,
    linking: Option<&Linking>,
) -> Vec<Difference> {
    let index = AverageIndex::new(rows);
    let terms_of = |g: Grouping, code: u32, item: u16| {
        let at = Grouping::ALL.iter().position(|&x| x == g)?;
        terms.get(at)?.get(&(code, item))
    };
    (rows.par_iter())
        .filter(|g| g.grouping.is_swedish())
        .filter_map(|g| {
            let nat = index.national(g.scale, SWEDEN, g.item)?;
            let linked = g.errors.linked.then(|| {
                let (ng, nn) = (g.n() as f64, nat.n() as f64);
                let mut d = LinkedTerms::default();
                if let Some(t) = terms_of(g.grouping, g.code, g.item) {
                    d.add_scaled(t, nn);
                }
                if let Some(t) = terms_of(Grouping::National, nat.code, nat.item) {
                    d.add_scaled(t, -ng);
                }
                let weight = 2.0 * ng * (nn - ng);
                d.errors_weighing(linking, g.n() * nat.n(), weight)
            });
            Some(difference(g, nat, linked, basis))
        })
        .collect()
}

/// Group average `g` against its country's, `nat`, with the linking
/// errors of the difference on the linked scale (`linked`).
fn difference(g: &Average, nat: &Average, linked: Option<TermErrors>, basis: Basis) -> Difference {
    let sampling = sampling(g, nat);
    let difference = g.mean - nat.mean;
    // On a native scale no link (`Some(None)`); on the linked scale the
    // links' part, `None` where it is unknown.
    let link = match linked {
        None => Some(None),
        Some(l) => l.link_part().map(Some),
    };
    let ci = match (sampling, link) {
        (Some(s), Some(link)) if s.spread && basis.has_intervals(g.grouping) => {
            let h = difference_half_width(s.se, s.df, link);
            Some((difference - h, difference + h))
        }
        _ => None,
    };
    Difference {
        scale: g.scale,
        grouping: g.grouping,
        group: g.group.clone(),
        code: g.code,
        item: g.item,
        n: g.n(),
        national_n: nat.n(),
        difference,
        se_sampling: sampling.map(|s| s.se),
        se_link: linked.and_then(|l| l.se_link),
        linked: g.errors.linked,
        ci,
    }
}

/// The sampling part of a group's difference from its country's mean.
#[derive(Debug, Clone, Copy)]
struct Sampling {
    se: f64,
    /// Welch's degrees of freedom.
    df: f64,
    /// Whether both the group and the rest have a spread to estimate it
    /// from: an SD of 0 from a few equal scores is none, as for a mean
    /// (`stats::interval`), and gives no interval.
    spread: bool,
}

/// The sampling SE of a group's difference from its country's mean and
/// its Welch degrees of freedom, from the two averages: the rest's n,
/// mean and sum of squares are the country's less the group's. None for
/// fewer than two in the group or in the rest.
fn sampling(g: &Average, nat: &Average) -> Option<Sampling> {
    let (ng, nn) = (g.n() as f64, nat.n() as f64);
    let nr = nn - ng;
    if ng < 2.0 || nr < 2.0 {
        return None;
    }
    let rest_mean = (nn * nat.mean - ng * g.mean) / nr;
    let ss_g = (ng - 1.0) * g.errors.sd?.powi(2);
    let ss_n = (nn - 1.0) * nat.errors.sd?.powi(2);
    let between = ng * nr / nn * (g.mean - rest_mean).powi(2);
    // Rounding may leave a hair below 0 where the rest are all equal.
    let ss_r = (ss_n - ss_g - between).max(0.0);
    let (a, b) = (ss_g / (ng - 1.0) / ng, ss_r / (nr - 1.0) / nr);
    // The rest all equal: what is left of Sweden's sum of squares is the
    // float error of the subtraction (the group's SD was judged so from
    // its range: `sd_beyond_noise`).
    let spread = g.errors.sd.is_some_and(|sd| sd > 0.0) && ss_r > 1e-9 * ss_n;
    let df = match a + b > 0.0 {
        true => (a + b).powi(2) / (a * a / (ng - 1.0) + b * b / (nr - 1.0)),
        false => 1.0,
    };
    Some(Sampling {
        se: nr / nn * (a + b).sqrt(),
        df,
        spread,
    })
}
