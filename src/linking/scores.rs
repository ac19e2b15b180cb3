//! Every evaluation score of a linked scale expressed on the target scale:
//! through its item's link, clamped to the target item's range (counted),
//! with the link's SE at that score.

use std::collections::BTreeMap;

use super::{ItemLink, LinkedScore, methods};
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
    let se_curves: Vec<Option<Vec<(f64, f64)>>> =
        items.iter().map(|l| se_curve(&l.concordance)).collect();
    // The range of each link's pairs (outside it the link extrapolates).
    let spans: Vec<(f64, f64)> = (items.iter())
        .map(|l| {
            (l.pairs.iter()).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                (lo.min(p.0), hi.max(p.0))
            })
        })
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
            if linked != raw {
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
                se: match &se_curves[li] {
                    Some(c) => Some(methods::interpolate(c, s.value)),
                    None => se_between(&l.concordance, s.value),
                },
            });
        }
    }
    scores
}

/// The SE at score `x` of a link some of whose points have none (an
/// equipercentile link outside its pairs' scores): on a point, its SE;
/// between two, interpolated, none unless both have one.
fn se_between(concordance: &[(f64, f64, Option<f64>)], x: f64) -> Option<f64> {
    let first = concordance.first()?;
    if x <= first.0 {
        return first.2;
    }
    for w in concordance.windows(2) {
        let ((x0, _, s0), (x1, _, s1)) = (w[0], w[1]);
        if x <= x1 {
            return match (s0, s1) {
                _ if x == x1 => s1,
                (Some(s0), Some(s1)) if x1 > x0 => Some(s0 + (s1 - s0) * (x - x0) / (x1 - x0)),
                _ => None,
            };
        }
    }
    concordance.last()?.2
}

/// The bootstrap SE by score point, to interpolate between (none when the
/// SEs could not be estimated at every point).
fn se_curve(concordance: &[(f64, f64, Option<f64>)]) -> Option<Vec<(f64, f64)>> {
    concordance
        .iter()
        .map(|&(u, _, se)| se.map(|s| (u, s)))
        .collect()
}
