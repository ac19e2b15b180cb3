//! The linking error of a summary of linked scores. Every municipality's
//! linked score went through the same fitted link, so the link's error is
//! shared by all of them and does not shrink as municipalities are added.
//! The summary is recomputed under each bootstrap replicate of the links
//! (the same replicate for every municipality); the SD over replicates is
//! its `se_link` (Kolen & Brennan 2014, ch. 7; `shared/docs/linking-notes`).
//! Links of different items and scales are bootstrapped independently, so
//! replicate b of one link and replicate b of another form one joint draw.

use rayon::prelude::*;

use crate::analysis::averages::{Average, Basis, Grouping};
use crate::analysis::frame::{Frame, Point, latest_per_muni};
use crate::linking::{ItemLink, Linking};
use crate::reference::instrument::ItemIx;
use crate::stats::mean_sd;

/// The linked scores in one summary (a mean over `m` terms): per link and
/// score linked from, the summed weight it enters the statistic with (+1
/// for the later round of a change, −1 for the earlier).
#[derive(Debug, Default, Clone)]
pub struct LinkedTerms {
    weights: foldhash::HashMap<(u16, u32), f64>,
}

impl LinkedTerms {
    /// Adds a linked score `x` of link `link` entering with `weight`.
    pub fn add(&mut self, link: u16, x: f32, weight: f64) {
        *self.weights.entry((link, x.to_bits())).or_default() += weight;
    }

    /// The fewest dual-scored pairs among the links used (the degrees of
    /// freedom of the linking error are taken as that minus one).
    pub fn pairs(&self, linking: Option<&Linking>) -> Option<usize> {
        let linking = linking?;
        self.weights
            .iter()
            .filter(|(_, w)| **w != 0.0)
            .filter_map(|((l, _), _)| linking.items.get(usize::from(*l)))
            .map(|it| it.pairs.len())
            .min()
    }

    /// The SD over the links' bootstrap replicates of the mean over `m`
    /// terms: 0 with no linked term, `None` when a link used has fewer than
    /// two replicates (no SE can be given).
    pub fn se_link(&self, linking: Option<&Linking>, m: u64) -> Option<f64> {
        if self.weights.values().all(|w| *w == 0.0) {
            return Some(0.0);
        }
        let linking = linking?;
        let item = |l: u16| linking.items.get(usize::from(l));
        let reps = self
            .weights
            .keys()
            .map(|(l, _)| item(*l).map_or(0, |it| it.replicates.len()))
            .min()?;
        if reps < 2 || m == 0 {
            return None;
        }
        // Sorted, so that the sums are added in the same order every run;
        // each score's place among the link's points found once.
        let mut keys: Vec<(&(u16, u32), &f64)> = self.weights.iter().collect();
        keys.sort_by_key(|(k, _)| **k);
        let terms: Vec<(&ItemLink, (usize, f64), f64)> = keys
            .into_iter()
            .filter(|(_, w)| **w != 0.0)
            .filter_map(|((l, bits), w)| {
                let it = &linking.items[usize::from(*l)];
                let pos = it.position(f64::from(f32::from_bits(*bits)))?;
                Some((it, pos, *w))
            })
            .collect();
        let stats: Vec<f64> = (0..reps)
            .map(|b| {
                terms
                    .iter()
                    .map(|(it, pos, w)| w * it.deviation(b, *pos))
                    .sum::<f64>()
                    / m as f64
            })
            .collect();
        Some(mean_sd(&stats).1)
    }
}

/// Sets the linking error of every average of the linked scale: its mean
/// recomputed under each replicate (native scores of the target scale
/// enter unchanged, so a group with few linked scores has a small one).
pub fn average_link_errors(
    f: &Frame,
    basis: Basis,
    rows: &mut [Average],
    linking: Option<&Linking>,
) {
    let Some(ls) = f.linked_scale() else {
        return;
    };
    // Walked in place, not copied (the linked scale is half the frame),
    // once per grouping, the groupings side by side.
    let points = || -> Box<dyn Iterator<Item = &Point>> {
        match basis {
            Basis::All => Box::new(f.scale_points(ls).iter()),
            Basis::Latest => Box::new(latest_per_muni(f.scale_points(ls))),
        }
    };
    let terms: Vec<foldhash::HashMap<(u32, ItemIx), LinkedTerms>> = Grouping::ALL
        .par_iter()
        .map(|&g| {
            let mut terms: foldhash::HashMap<(u32, ItemIx), LinkedTerms> = Default::default();
            for p in points() {
                if let (Some((link, x)), Some(code)) = (f.linked_from(p), g.code(f, p)) {
                    terms.entry((code, p.item)).or_default().add(link, x, 1.0);
                }
            }
            terms
        })
        .collect();
    let of = |g: Grouping| Grouping::ALL.iter().position(|&x| x == g);
    rows.par_iter_mut().filter(|r| r.scale == ls).for_each(|r| {
        let t = of(r.grouping).and_then(|g| terms[g].get(&(r.code, r.item)));
        r.se_link = match t {
            Some(t) => t.se_link(linking, r.n),
            None => Some(0.0),
        };
    });
}
