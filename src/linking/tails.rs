//! Where an equipercentile link has no SE: in its tails, at score points
//! with too few pairs at or beyond them, counted and as a normal fit of the
//! pairs expects them, where the bootstrap's intervals cover too little
//! (`tests/test_coverage.rs`, `benches/coverage/eq_tail.py`).

use super::ConcordancePoint;
use super::methods::Range;

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
