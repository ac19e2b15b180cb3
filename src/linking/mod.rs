//! Scale linking: putting `old`-scale and `2020`-scale scores on the `new`
//! scale (or any other target), with their uncertainty.
//!
//! Evaluations of the same municipality and year scored on two scales form
//! the linking sample (a single-group design). Per item that the instrument
//! files declare as corresponding, a linking function is fitted (see
//! `methods`), its uncertainty estimated by a bootstrap over municipalities
//! (a municipality's dual-scored pairs stay together; for a linear link of
//! 5–8 municipalities, a jackknife over them), and its quality by
//! leave-one-out. Linked scores are
//! clamped to the target item's range. A scale without pairs is not linked:
//! that is reported, never guessed.

mod bootstrap;
mod deviations;
mod dof;
mod findings;
mod fit;
mod invariance;
mod jackknife;
mod loo;
pub mod methods;
mod normal_theory;
mod options;
mod pairs;
mod pooled;
pub mod reason;
mod scale;
mod scores;
mod tails;
mod uncertainty;
pub mod write;

use crate::error::{Error, Result};
use crate::reference::instrument::{Instruments, ItemIx, ScaleIx};
use crate::validate::Validated;
use crate::validate::rules::Finding;

pub use deviations::Deviations;
use findings::{items_not_linked, not_linked, weak_links};
use methods::{Fitted, Method, Range};
use pairs::Pairs;
use reason::{ItemReason, ScaleReason};
use scale::link_scale;
use scores::link_scores;
pub use tails::within_shares;

pub use options::{
    LinkOptions, MAX_BOOTSTRAP, allowed_replicates, bootstrap_replicates, link_seed, link_target,
};

/// The fitted link of one item of one scale.
#[derive(Debug, Clone)]
pub struct ItemLink {
    pub from: ScaleIx,
    pub from_item: ItemIx,
    pub to_item: ItemIx,
    pub method: Method,
    /// The dual-scored pairs (from, to), in evaluation key order.
    pub pairs: Vec<(f64, f64)>,
    /// The municipalities the pairs come from (one pair each, but where a
    /// municipality was scored on both scales in more than one year): the
    /// sample size of the link's error.
    pub municipalities: usize,
    pub mean_from: Option<f64>,
    pub sd_from: Option<f64>,
    pub mean_to: Option<f64>,
    pub sd_to: Option<f64>,
    pub fitted: Fitted,
    pub slope_se: Option<f64>,
    pub intercept_se: Option<f64>,
    pub loo_mae: Option<f64>,
    /// Linked scores clamped to [0, max].
    pub clamped: u64,
    /// Pearson's correlation of the pairs (none for fewer than two pairs or
    /// no spread).
    pub r: Option<f64>,
    /// Linked scores outside the range of the pairs' `from` scores: the
    /// link extrapolates there.
    pub extrapolated: u64,
    /// Scores linked through it.
    pub linked: u64,
    /// Every possible `from` score (0 to max in steps of the scale's
    /// resolution), its linked score and SE.
    pub concordance: Vec<ConcordancePoint>,
    /// The bootstrap replicates of the link, as each one's deviation from
    /// the fitted link at every `concordance` point. A summary of linked
    /// scores is recomputed under each replicate to give its linking error
    /// (see `analysis::link_error`).
    pub replicates: Deviations,
    /// Replicates whose resample could not be fitted (no spread), left out.
    pub boot_dropped: u32,
    /// Whether its SEs are from bootstrap draws (`--bootstrap` of them):
    /// not a jackknife's, not the analytic SE of a mean link of few
    /// municipalities, and not none.
    pub bootstrapped: bool,
    /// Its pairs leave no spread around it (so no replicates and no SE:
    /// `link-unestimated`).
    pub without_spread: bool,
    /// A linear link whose pairs' spread on the source scale rests on one
    /// municipality (so no replicates and no SE: `link-unestimated`).
    pub lone_spread: bool,
    /// Per-country links against this pooled one (see `invariance`).
    pub invariance: Vec<invariance::CountryFit>,
}

impl ItemLink {
    /// Correlation below which a link is weak (Dorans).
    pub const MIN_R: f64 = 0.87;
    /// Pairs below which a link is weak.
    pub const MIN_PAIRS: usize = 5;

    /// Fewer than [`Self::MIN_PAIRS`] pairs (of as many municipalities),
    /// or a correlation below
    /// [`Self::MIN_R`] (or none): a concordance not usually trusted.
    pub fn is_weak(&self) -> bool {
        self.municipalities < Self::MIN_PAIRS || self.r.is_none_or(|r| r < Self::MIN_R)
    }

    /// Whether its error cannot be estimated (`link-unestimated`): fewer
    /// than two replicates, so no SE and no interval through it.
    pub fn is_unestimated(&self) -> bool {
        self.method != Method::Identity && self.replicates.len() < 2
    }

    /// The lowest and highest of its pairs' `from` scores (none without
    /// pairs): outside them the link extrapolates.
    pub fn pairs_range(&self) -> Option<(f64, f64)> {
        let mut from = self.pairs.iter().map(|p| p.0);
        let first = from.next()?;
        Some(from.fold((first, first), |(lo, hi), x| (lo.min(x), hi.max(x))))
    }

    /// The link's SE at score `x`: on a concordance point, its SE; between
    /// two, interpolated linearly (as [`methods::interpolate`] does), none
    /// unless both have one (an equipercentile link has none outside its
    /// pairs' scores and in the last few of a tail); beyond the ends, the
    /// end's.
    pub fn se_at(&self, x: f64) -> Option<f64> {
        let c = &self.concordance;
        let first = c.first()?;
        if x <= first.x {
            return first.se;
        }
        for w in c.windows(2) {
            let ((x0, s0), (x1, s1)) = ((w[0].x, w[0].se), (w[1].x, w[1].se));
            if x <= x1 {
                return match (s0, s1) {
                    (Some(s0), Some(s1)) if x1 > x0 => Some(s0 + (s1 - s0) * (x - x0) / (x1 - x0)),
                    _ if x == x1 || x1 <= x0 => s1,
                    _ => None,
                };
            }
        }
        c.last()?.se
    }

    /// Where `x` falls among the concordance points: the point below it
    /// and the fraction of the way to the next (0 on a point).
    pub fn position(&self, x: f64) -> Option<(usize, f64)> {
        let n = self.concordance.len();
        match n {
            0 => return None,
            1 => return Some((0, 0.0)),
            _ => {}
        }
        let step = self.concordance[1].x - self.concordance[0].x;
        let pos = ((x - self.concordance[0].x) / step).clamp(0.0, (n - 1) as f64);
        let lo = (pos.floor() as usize).min(n - 2);
        Some((lo, pos - lo as f64))
    }
}

/// One point of a link's concordance (a row of `concordance.csv`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConcordancePoint {
    /// A score on the scale linked from.
    pub x: f64,
    /// Its linked score, clamped to the target item's range.
    pub linked: f64,
    /// The link's SE there (none without replicates, or outside an
    /// equipercentile link's pairs and in its tails).
    pub se: Option<f64>,
}

impl ConcordancePoint {
    /// The point of link `fitted` at score `x`, clamped to [0, `max`].
    fn on(fitted: &Fitted, x: f64, max: f64, se: Option<f64>) -> Self {
        let linked = fitted.apply(x).clamp(0.0, max);
        ConcordancePoint { x, linked, se }
    }
}

/// One evaluation item expressed on the target scale.
#[derive(Debug, Clone, Copy)]
pub struct LinkedScore {
    pub eval: u32,
    /// Index into [`Linking::items`].
    pub link: usize,
    pub score: f64,
    pub linked: f64,
    pub se: Option<f64>,
}

/// The result of the link stage.
#[derive(Debug, Clone)]
pub struct Linking {
    pub to: ScaleIx,
    pub items: Vec<ItemLink>,
    /// Sorted like the canonical table (evaluation, then item). Empty once
    /// released ([`Linking::release_scores`]); each link counts its own in
    /// [`ItemLink::linked`].
    pub scores: Vec<LinkedScore>,
    /// Scales present in the data that could not be linked, with the reason.
    pub unlinked: Vec<(ScaleIx, ScaleReason)>,
    /// Per link (as `items`), the multipliers of its SE for a 95 %
    /// interval ([`Linking::t95`]).
    t95: Vec<dof::Multipliers>,
}

/// Fits every link to the scale `opts.to` names and expresses every
/// evaluation not on it; its findings are added to `data`'s.
pub fn link(
    data: &mut Validated,
    instruments: &Instruments,
    opts: &LinkOptions,
) -> Result<Linking> {
    let to = link_target(instruments, &opts.to)
        .map_err(|why| Error::Usage(format!("link target '{}': {why}", opts.to)))?;
    let (linking, findings) = link_read_only(data, instruments, opts, to)?;
    data.findings.extend(findings);
    Ok(linking)
}

/// [`link`] to the scale `to`, looked up already (a run's
/// `arguments::check_arguments` looks up `opts.to` before any work, and
/// names it as the user gave it where it is no scale), without touching
/// `data`: its findings are returned, so that the data outputs can be
/// written while the links are fitted.
pub fn link_read_only(
    data: &Validated,
    instruments: &Instruments,
    opts: &LinkOptions,
    to: ScaleIx,
) -> Result<(Linking, Vec<Finding>)> {
    let pairs = Pairs::new(data, instruments);
    let mut items = Vec::new();
    let mut unlinked = Vec::new();
    let mut partly = Vec::new();
    for from in pairs.scales().iter().copied().filter(|&s| s != to) {
        let before = items.len();
        let reasons = link_scale(&pairs, instruments, from, to, opts, &mut items);
        if items.len() == before {
            // The reasons of the items that had pairs; without any, that
            // no item had (not the first item's "no dual-scored
            // evaluations", as if the others had been tried and failed).
            let empty = reasons.is_empty();
            let tried: Vec<ItemReason> = (reasons.into_iter())
                .filter(|r| r.had_pairs)
                .map(|r| r.why)
                .collect();
            let why = match (tried.is_empty(), empty) {
                (false, _) => ScaleReason::Items(tried),
                (true, true) => ScaleReason::NoItemCorresponds,
                (true, false) => ScaleReason::NoPairs,
            };
            unlinked.push((from, why));
        } else {
            // Some items linked, these not though they had pairs: named,
            // not dropped in silence.
            let unfit: Vec<String> = (reasons.into_iter())
                .filter(|r| r.had_pairs)
                .map(|r| r.why.to_string())
                .collect();
            if !unfit.is_empty() {
                partly.push((from, unfit));
            }
        }
    }
    let mut findings: Vec<Finding> = unlinked
        .iter()
        .map(|(from, why)| not_linked(instruments, *from, to, &why.to_string()))
        .collect();
    findings
        .extend((partly.iter()).map(|(from, why)| items_not_linked(instruments, *from, to, why)));
    findings.extend(weak_links(&items, instruments, to));
    findings.extend(invariance::variant_links(&items, instruments, to));
    // A point names its link in 16 bits (`Point::link`; `u16::MAX`: none).
    let most = usize::from(crate::analysis::frame::NOT_LINKED) - 1;
    if items.len() > most {
        let n = items.len();
        return Err(Error::Usage(format!(
            "{n} items would be linked; kompass links at most {most} (fewer items or versions)"
        )));
    }
    let scores = link_scores(data, instruments, to, &mut items);
    let t95 = {
        use rayon::prelude::*;
        items.par_iter().map(dof::Multipliers::of).collect()
    };
    let linking = Linking {
        to,
        items,
        scores,
        unlinked,
        t95,
    };
    Ok((linking, findings))
}

impl Linking {
    /// The multiplier of link `link`'s SE for a 95 % interval of a score
    /// `x` linked through it: Student's t
    /// quantile with the degrees of freedom of the SE there
    /// ([`ItemLink::error_df`]: (municipalities − 1) but for a linear
    /// link, whose slope's error is less well estimated; 12.71 for 2, 2.26
    /// for 10, near 1.96 for many), at the concordance point nearest `x`;
    /// 1.96 for a link not known.
    pub fn t95(&self, link: u16, x: f64) -> f64 {
        let l = usize::from(link);
        match (self.t95.get(l), self.items.get(l)) {
            (Some(m), Some(item)) => m.at(item, x),
            _ => Z95,
        }
    }

    /// Frees the linked scores once everything that reads them is done
    /// (`linked_scores.csv`, the analysis frame, which keeps what the
    /// analysis needs of them): about 0.2 GB at 1,000,000 evaluations.
    pub fn release_scores(&mut self) {
        self.scores = Vec::new();
    }
}

/// The multiplier of a 95 % interval where the degrees of freedom are not
/// known (or many): the normal quantile, to two decimals as the report's
/// note gives it.
const Z95: f64 = 1.96;

/// The half-width of the 95 % interval of a linking SE `se` of a linked
/// score or a change whose ends `ends` (link, score linked from) came
/// through links: `se` times the
/// largest of their [`Linking::t95`] at their scores (the fewest degrees
/// of freedom); 1.96 without linking. (A change's two ends never come
/// through one link: that change is native. Were they to, `delta_se` =
/// √(se_from² + se_to²) is mostly the level's error, so each end's own t
/// is the one that fits it, not the slope's.)
pub fn interval_half_width(
    linking: Option<&Linking>,
    se: f64,
    ends: impl IntoIterator<Item = (u16, f32)>,
) -> f64 {
    let t = (ends.into_iter())
        .map(|(l, x)| linking.map_or(Z95, |k| k.t95(l, f64::from(x))))
        .fold(Z95, f64::max);
    t * se
}

/// The score ranges of an item on the scale linked from and its
/// counterpart on the target scale.
fn ranges(
    instruments: &Instruments,
    from: ScaleIx,
    from_item: ItemIx,
    to: ScaleIx,
    to_item: ItemIx,
) -> (Range, Range) {
    let range = |s: ScaleIx, i: ItemIx| Range {
        max: instruments.get(s).get(i).max,
        step: instruments.get(s).resolution,
    };
    (range(from, from_item), range(to, to_item))
}
