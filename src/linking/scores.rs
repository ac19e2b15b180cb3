//! Every evaluation score of a linked scale expressed on the target scale:
//! through its item's link, clamped to the target item's range (counted),
//! with the link's SE at that score.

use std::collections::BTreeMap;

use super::{ItemLink, LinkedScore};
use crate::reference::instrument::{Instruments, ItemIx, ScaleIx};
use crate::validate::Validated;

/// Every score of a linked item through its link, clamped to the target's
/// range (counted per link), with its SE.
pub(super) fn link_scores(
    data: &Validated,
    instruments: &Instruments,
    to: ScaleIx,
    items: &mut [ItemLink],
) -> Vec<LinkedScore> {
    let mut scores = Vec::new();
    let mut index: BTreeMap<(ScaleIx, ItemIx), usize> = BTreeMap::new();
    for (i, l) in items.iter().enumerate() {
        index.insert((l.from, l.from_item), i);
    }
    // The range of each link's pairs (outside it the link extrapolates;
    // without pairs, everywhere).
    let spans: Vec<(f64, f64)> = (items.iter())
        .map(|l| (l.pairs_range()).unwrap_or((f64::INFINITY, f64::NEG_INFINITY)))
        .collect();
    for run in data.scores.chunk_by(|a, b| a.eval == b.eval) {
        let scale = data.evals[run[0].eval as usize].key.scale;
        // Scores on the target scale are not linked: skip their evaluation.
        if scale == to {
            continue;
        }
        for s in run {
            let Some(&li) = index.get(&(scale, s.item)) else {
                continue;
            };
            let l = &mut items[li];
            let max = instruments.get(to).get(l.to_item).max;
            let raw = l.fitted.apply(s.value);
            let linked = raw.clamp(0.0, max);
            if beyond(raw, max) {
                l.clamped += 1;
            }
            let (lo, hi) = spans[li];
            if s.value < lo || s.value > hi {
                l.extrapolated += 1;
            }
            l.linked += 1;
            scores.push(LinkedScore {
                eval: s.eval,
                link: li,
                score: s.value,
                linked,
                se: l.se_at(s.value),
            });
        }
    }
    scores
}

/// Whether linked score `raw` lies outside [0, `max`] by more than
/// floating-point rounding: an equipercentile link of old 100 that is 100
/// in exact fractions (P = 399/400 at both inverses) came out
/// 100.00000000000001 and was counted as clamped (numbers audit).
fn beyond(raw: f64, max: f64) -> bool {
    let rounding = 1e-9 * max.max(1.0);
    raw < -rounding || raw > max + rounding
}

#[cfg(test)]
mod tests {
    use super::beyond;

    #[test]
    fn a_score_off_the_scale_by_rounding_is_not_beyond_it() {
        assert!(!beyond(100.00000000000001, 100.0));
        assert!(!beyond(-1e-13, 100.0));
        assert!(!beyond(100.0, 100.0) && !beyond(0.0, 100.0));
        assert!(beyond(100.001, 100.0) && beyond(-0.001, 100.0));
    }
}
