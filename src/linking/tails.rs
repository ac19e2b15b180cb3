//! Where an equipercentile link has no SE: in its tails, at score points
//! with too few pairs at or beyond them, counted and as a normal fit of the
//! pairs expects them, where the bootstrap's intervals cover too little
//! (`tests/test_coverage.rs`, `benches/coverage/eq_tail.py`).

use super::methods::{Method, Range};
use super::{ConcordancePoint, ItemLink};

/// Pairs an equipercentile link needs at or beyond a score point, on the
/// side of its nearer end, for an SE there. In the tail the link rests on
/// a handful of pairs, and a bootstrap replicate without them holds the
/// link at the edge of its data there: in `tests/test_coverage.rs` (200
/// sets of 150 pairs from two normal scales, whose equipercentile link is
/// known) the replicates' 95 % intervals cover the truth 67 % of the time
/// with 1 pair beyond, 78 % with 2, 87–92 % with 3 to 6, and about 93 %
/// from 7 on, as inside (pooled over the scores).
pub const EQUIPERCENTILE_TAIL_PAIRS: usize = 7;

/// Pairs an equipercentile link needs beyond a score point as the pairs'
/// normal fit expects them (n · P(Z > |x − mean| / sd)), for an SE there,
/// besides the [`EQUIPERCENTILE_TAIL_PAIRS`] counted. The count alone
/// chose the samples whose tail happened to be over-filled, where the link
/// is off: an independent simulation (`benches/coverage/eq_tail.py`,
/// `eq_fixed.py`: 960 links of 150 pairs) found the intervals it let
/// through covering 90.5 % at 1.75 SD from the mean and 79 % at 2 SD,
/// against 93.5–95.4 % within 1.5 SD. 10 expected of 150 pairs is 1.50 SD
/// from the mean (of 100, the fewest an equipercentile link takes, 1.28
/// SD; of 1,000, 2.33 SD). The fit is normal and symmetric: for pairs
/// with shorter tails (a uniform spread, scores against the ceiling) it
/// withholds an SE where more pairs than it expects lie beyond.
pub const EQUIPERCENTILE_EXPECTED_BEYOND: f64 = 10.0;

/// An equipercentile link's points with fewer than
/// [`EQUIPERCENTILE_TAIL_PAIRS`] pairs' `from` scores (as the link rounds
/// them to score points of `rf`) at or beyond them, or fewer than
/// [`EQUIPERCENTILE_EXPECTED_BEYOND`] expected there, have no SE: beyond
/// every pair the data say nothing (the link is held at the edge of the
/// target scores in every replicate, and its SE would be 0), and in the
/// last few pairs the bootstrap's SE is too small. Every figure through
/// them has no interval.
pub(super) fn without_data(concordance: &mut [ConcordancePoint], x: &[f64], rf: Range) {
    let (mean, sd) = crate::stats::mean_sd(x);
    let n = x.len() as f64;
    // Whether the fit expects enough pairs beyond `g` (a fit of pairs that
    // are not numbers expects nothing: NaN is not enough).
    let fitted = |g: f64| {
        let expected = match sd > 0.0 {
            true => n * crate::stats::normal_upper((g - mean).abs() / sd),
            false => n,
        };
        expected >= EQUIPERCENTILE_EXPECTED_BEYOND
    };
    let mut points: Vec<f64> = x.iter().map(|&v| rf.nearest_point(v)).collect();
    points.sort_by(f64::total_cmp);
    for c in concordance.iter_mut() {
        let g = c.x;
        let below = points.partition_point(|&p| p <= g);
        let above = points.len() - points.partition_point(|&p| p < g);
        if below.min(above) < EQUIPERCENTILE_TAIL_PAIRS || !fitted(g) {
            c.se = None;
        }
    }
}

/// The share of a summary's terms (of their number, by weight) that may
/// lie in an equipercentile link's tails, where a linked score has no SE
/// of its own, for the summary to have a linking SE. Spread over a group
/// they are a part of its error, and the summary is recomputed under
/// each replicate with them as with the rest; but the replicates
/// understate the link's error there, and the more of the summary they
/// are, the more its SE does. In `tests/test_equip_summary.rs` (150
/// pairs, groups of 10 to 130 drawn like the pairs or far in a tail; the
/// link's error alone against the true link) the SE covered 95–96 % with
/// at most 30 % of a group in the tails, 87–94 % with 30–50 %, 75–93 %
/// with 60–80 %. A lower share is no safer: the groups it lets through
/// are those with fewer scores in the tails than their like, whose means
/// lie off (`benches/coverage/eq_share.py`, 100 pairs and a panel 1 SD
/// below them: with at most 30 % the averages' intervals covered the
/// true mean 82 % of the time, with 50 % 91 %).
const EQUIPERCENTILE_TAIL_SHARE: f64 = 0.5;

/// The share of a summary's terms that may be scores outside an
/// equipercentile link's pairs (part of [`EQUIPERCENTILE_TAIL_SHARE`]),
/// for the summary to have a linking SE. There the link is not estimated
/// (every replicate holds it at its own edge): an independent simulation
/// (`benches/coverage/eq_share.py`: 200 data sets of 150 pairs and a
/// panel of 130 drawn like the pairs or 1 SD below them) found the
/// linking error alone covering 94.1 % with at most 2 % of the panel
/// there, 90.3 % with 2–5 %, 76.3 % with more.
const EQUIPERCENTILE_OUTSIDE_SHARE: f64 = 0.02;

/// Whether a summary of `m` terms, `tails` of them (by weight) in
/// equipercentile links' tails and `outside` of those outside the links'
/// pairs ([`ItemLink::pairs_span`]), has a linking SE: within
/// [`EQUIPERCENTILE_TAIL_SHARE`] and [`EQUIPERCENTILE_OUTSIDE_SHARE`].
pub fn within_shares(tails: f64, outside: f64, m: f64) -> bool {
    tails <= EQUIPERCENTILE_TAIL_SHARE * m && outside <= EQUIPERCENTILE_OUTSIDE_SHARE * m
}

impl ItemLink {
    /// An equipercentile link's lowest and highest score points with pairs
    /// (its [`ItemLink::pairs_range`] at their nearest points, as the link
    /// counts each pair's `from` score), widened by a millionth of a step (as the off-resolution check
    /// allows: a score read as f32 lies that far off its point, 0.3 at
    /// 0.30000001); outside them the link is held at an edge. None for
    /// another method, whose linked scores have an SE wherever it has
    /// replicates.
    pub fn pairs_span(&self) -> Option<(f64, f64)> {
        let c = &self.concordance;
        if self.method != Method::Equipercentile || c.len() < 2 {
            return None;
        }
        let rf = Range {
            max: c[c.len() - 1].x,
            step: c[1].x - c[0].x,
        };
        let (lo, hi) = self.pairs_range()?;
        let slack = 1e-6 * rf.step;
        Some((rf.nearest_point(lo) - slack, rf.nearest_point(hi) + slack))
    }
}
