//! The linking error of a summary of linked scores. Every municipality's
//! linked score went through the same fitted link, so the link's error is
//! shared by all of them and does not shrink as municipalities are added.
//! The summary is recomputed under each bootstrap replicate of the links
//! (the same replicate for every municipality); the SD over replicates is
//! its `se_link` (Kolen & Brennan 2014, ch. 7).
//! A summary is of one item of the linked scale, and each version links at
//! most one of its items to it (the instrument files are checked for
//! that), so the links in one summary are of different versions, whose
//! replicates are independent draws: the summary's linking variance is
//! the sum of each link's part (its SD over that link's replicates,
//! squared), as a change through two links has √(a² + b²).

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::analysis::averages::{Average, Basis, Grouping};
use crate::analysis::frame::{Frame, Point, latest_per_muni};
use crate::linking::{Deviations, ItemLink, Linking, within_shares};
use crate::reference::instrument::ItemIx;
use crate::stats::interval::{Errors, LinkPart};
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

    /// Adds every term of `other`, its weight times `factor`.
    pub fn add_scaled(&mut self, other: &LinkedTerms, factor: f64) {
        for (key, w) in &other.weights {
            *self.weights.entry(*key).or_default() += w * factor;
        }
    }

    /// The summary's linking error and what its interval needs of the
    /// links, from one pass over its terms ([`LinkedTerms::errors_of`]).
    pub fn errors(&self, linking: Option<&Linking>, m: u64) -> TermErrors {
        self.errors_weighing(linking, m, m as f64)
    }

    /// [`LinkedTerms::errors`] of a statistic whose values, linked or
    /// not, weigh `weight` in all, of which the shares of the terms in an
    /// equipercentile link's tails are taken: a mean's m values weigh m;
    /// a group's difference from its country, with weights n_r and −n_g
    /// over n_g · N, weighs 2 · n_g · n_r (its share the mean of the group's
    /// and the rest's).
    pub fn errors_weighing(&self, linking: Option<&Linking>, m: u64, weight: f64) -> TermErrors {
        self.errors_of(linking.map_or(&[], |l| &l.items), m, weight)
    }

    /// [`LinkedTerms::errors`] through these links (none: no linking
    /// known, so no SE where there is a linked term).
    fn errors_of(&self, items: &[ItemLink], m: u64, weight: f64) -> TermErrors {
        // Sorted, so that the sums are added in the same order every run.
        let mut keys: Vec<(&(u16, u32), &f64)> =
            self.weights.iter().filter(|(_, w)| **w != 0.0).collect();
        keys.sort_by_key(|(k, _)| **k);
        let entering = entering(&keys, items);
        TermErrors {
            se_link: match keys.is_empty() {
                true => Some(0.0),
                false => se_link(&keys, &entering, items, (m, weight)),
            },
            municipalities: (entering.values())
                .map(|(link, _, _)| link.municipalities)
                .min(),
            df: (entering.values())
                .map(|(link, level, centred)| link.error_df(*level, *centred))
                .min_by(f64::total_cmp),
        }
    }
}

/// A summary's linking error and what its interval needs of the links
/// (see [`Errors`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TermErrors {
    /// The SD over the links' bootstrap replicates of the mean over `m`
    /// terms: 0 with no linked term, `None` when a link used has fewer
    /// than two replicates (no SE can be given), or a term has no SE of
    /// its own but in an equipercentile link's tails, or more of the terms
    /// than `linking::tails` allows lie there.
    pub se_link: Option<f64>,
    /// The fewest municipalities among the links used (the sample size of
    /// a link's error: one per pair, but where a municipality was scored
    /// on both scales in more than one year).
    pub municipalities: Option<usize>,
    /// The degrees of freedom of the linking error: the fewest of the
    /// links' ([`ItemLink::error_df`] of each link's summed weight and
    /// weighted standardised score: where the weights sum to 0, the
    /// slope's alone).
    pub df: Option<f64>,
}

impl TermErrors {
    /// What an interval takes of the links (`None` without an SE).
    pub fn link_part(&self) -> Option<LinkPart> {
        (self.se_link).map(|se| LinkPart {
            se,
            df: self.df,
            municipalities: self.municipalities,
        })
    }

    /// Sets them in `e`: those of the terms `t`, or (no term: a summary of
    /// native scores) a linking error of 0.
    pub fn set(t: Option<&LinkedTerms>, linking: Option<&Linking>, e: &mut Errors) {
        let got = t.map(|t| t.errors(linking, e.n));
        e.se_link = got.map_or(Some(0.0), |g| g.se_link);
        e.link_municipalities = got.and_then(|g| g.municipalities);
        e.link_df = got.and_then(|g| g.df);
    }
}

/// The terms `keys` (sorted, of non-zero weight) per link the summary
/// depends on ([`ItemLink::enters`]: not a mean link whose weights sum to
/// 0, as where a score is linked into one municipality's change and
/// another out of a second's, nor a linear one whose standardised scores'
/// weighted sum is 0 too): the link, Σ w and Σ w · z (z its
/// [`ItemLink::standardised`] scores). Every figure of the summary's
/// linking error is of these links alone.
fn entering<'a>(
    keys: &[(&(u16, u32), &f64)],
    items: &'a [ItemLink],
) -> BTreeMap<u16, (&'a ItemLink, f64, f64)> {
    let mut by_link: BTreeMap<u16, (&ItemLink, f64, f64)> = BTreeMap::new();
    for ((l, bits), w) in keys {
        if let Some(link) = items.get(usize::from(*l)) {
            let z = link.standardised(f64::from(f32::from_bits(*bits)));
            let e = by_link.entry(*l).or_insert((link, 0.0, 0.0));
            (e.1, e.2) = (e.1 + **w, e.2 + **w * z);
        }
    }
    by_link.retain(|_, (link, level, centred)| link.enters(*level, *centred));
    by_link
}

/// [`TermErrors::se_link`] of the terms `keys` (sorted, of non-zero
/// weight) through the links `entering` ([`entering`]), each score's
/// place among its link's points, and the fitted link there, found once.
fn se_link(
    keys: &[(&(u16, u32), &f64)],
    entering: &BTreeMap<u16, (&ItemLink, f64, f64)>,
    items: &[ItemLink],
    (m, weight): (u64, f64),
) -> Option<f64> {
    if m == 0 {
        return None;
    }
    // The links are independent draws, so the variances of their
    // parts add up (as a change through two links has √(a² + b²) in
    // trends.csv); pairing their replicates by number added the
    // chance correlation of a thousand draws (1.3871 for 1.3913).
    // The weight of the terms in equipercentile links' tails, and of
    // those of them outside the pairs.
    let (mut variance, mut tails) = (0.0, (0.0, 0.0));
    for of_link in keys.chunk_by(|a, b| a.0.0 == b.0.0) {
        let l = of_link[0].0.0;
        let link = items.get(usize::from(l))?;
        if !entering.contains_key(&l) {
            continue;
        }
        let reps = link.replicates.len();
        if reps < 2 {
            return None;
        }
        let mut terms: Vec<Term> = Vec::with_capacity(of_link.len());
        let mut span = None;
        for ((_, bits), w) in of_link {
            let x = f32::from_bits(*bits);
            // A linked score where its link's SE is not known: an
            // equipercentile link's tail enters with its replicates, up
            // to a share of the summary, and of that its score points
            // outside the pairs up to a smaller one (`linking::tails`);
            // anything else leaves the summary without an SE too.
            if link.se_at(f64::from(x)).is_none() {
                let (lo, hi) = (*span.get_or_insert_with(|| link.pairs_span()))?;
                tails.0 += w.abs();
                if f64::from(x) < lo || f64::from(x) > hi {
                    tails.1 += w.abs();
                }
            }
            terms.extend(Term::new(link, x, **w));
        }
        variance += mean_sd(&replicate_means(&terms, reps, m as f64)).1.powi(2);
    }
    within_shares(tails.0, tails.1, weight).then(|| variance.sqrt())
}

/// Each replicate's sum over `terms`, divided by `m`: every replicate
/// summed over the terms in their order from −0, as [`Iterator::sum`] sums
/// them (the same figures to the bit), a term added to all the replicates'
/// sums at once from the deviations at its points, which lie side by side
/// (this loop was the largest entry of a run's profile after the number
/// formatting: 4.6 % of the samples at 100,000 one sum at a time, 3.8 %
/// four side by side, reading each replicate's own list of points).
fn replicate_means(terms: &[Term], reps: usize, m: f64) -> Vec<f64> {
    let mut sums = vec![-0.0f64; reps];
    for t in terms {
        let (w, frac, lo) = (t.weight, t.frac, &t.lo[..reps]);
        if frac > 0.0 {
            let hi = &t.hi[..reps];
            for ((sum, d_lo), d_hi) in sums.iter_mut().zip(lo).zip(hi) {
                *sum += w * (d_lo + frac * (d_hi - d_lo));
            }
        } else {
            for (sum, d_lo) in sums.iter_mut().zip(lo) {
                *sum += w * d_lo;
            }
        }
    }
    sums.iter_mut().for_each(|sum| *sum /= m);
    sums
}

/// One linked score in a summary: its link's replicates' deviations from
/// the fitted link at the points around it, where it falls between them,
/// and its weight.
struct Term<'a> {
    /// At the point at or below the score, then at the one above (empty
    /// when the score is on a point).
    lo: &'a [f64],
    hi: &'a [f64],
    frac: f64,
    weight: f64,
}

impl<'a> Term<'a> {
    fn new(link: &'a ItemLink, x: f32, weight: f64) -> Option<Term<'a>> {
        let position = link.position(f64::from(x))?;
        Some(Term::at(&link.replicates, position, weight))
    }

    /// The term at `position` (from [`ItemLink::position`]) of a link with
    /// these replicates.
    fn at(deviations: &'a Deviations, (lo, frac): (usize, f64), weight: f64) -> Term<'a> {
        Term {
            lo: deviations.at(lo),
            hi: if frac > 0.0 {
                deviations.at(lo + 1)
            } else {
                &[]
            },
            frac,
            weight,
        }
    }

    /// The weight times replicate `b`'s difference from the fitted link at
    /// the term's score (interpolated between the points around it), as
    /// [`replicate_means`] adds it.
    #[cfg(test)]
    fn weighted(&self, b: usize) -> f64 {
        let d_lo = self.lo[b];
        let d = if self.frac > 0.0 {
            d_lo + self.frac * (self.hi[b] - d_lo)
        } else {
            d_lo
        };
        self.weight * d
    }
}

/// The linked scores of each group's averages on the linked scale: per
/// grouping (in [`Grouping::ALL`]'s order), by group code and item.
pub type GroupTerms = Vec<foldhash::HashMap<(u32, ItemIx), LinkedTerms>>;

/// Sets the linking error of every average of the linked scale: its mean
/// recomputed under each replicate (native scores of the target scale
/// enter unchanged, so a group with few linked scores has a small one).
/// Returns the terms it took them from (none without a linked scale).
pub fn average_link_errors(
    f: &Frame,
    basis: Basis,
    rows: &mut [Average],
    linking: Option<&Linking>,
) -> GroupTerms {
    let Some(ls) = f.linked_scale() else {
        return GroupTerms::new();
    };
    // Walked in place, not copied (the linked scale is half the frame),
    // once per grouping, the groupings side by side.
    let points = || -> Box<dyn Iterator<Item = &Point>> {
        match basis {
            Basis::All => Box::new(f.scale_points(ls).iter()),
            Basis::Latest => Box::new(latest_per_muni(f.scale_points(ls))),
        }
    };
    let terms: GroupTerms = Grouping::ALL
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
        TermErrors::set(t, linking, &mut r.errors);
    });
    terms
}

#[cfg(test)]
mod tests {
    use super::{LinkedTerms, Term, replicate_means};
    use crate::linking::methods::Method;
    use crate::linking::{ConcordancePoint, Deviations, ItemLink};

    /// A mean link (3 municipalities) whose weights sum to 0 (a score
    /// linked into one change, another out of a second) moves the summary
    /// by nothing: it gives neither the fewest municipalities nor the
    /// degrees of freedom, and its want of replicates leaves the summary's
    /// linking SE known. By hand (links of mean 50, SD 10): the linear
    /// link's term at its pairs' mean gives its N − 1 = 34; the same
    /// weights through the linear link leave its slope (κ = 9, ν = 34 · 2 / 8
    /// = 8.5); weights not summing to 0 bring the mean link in (N − 1 = 2).
    #[test]
    fn a_mean_link_whose_terms_cancel_does_not_enter() {
        let items = [
            ItemLink::for_tests(Method::Mean, 3, 0.9),
            ItemLink::for_tests(Method::Linear, 35, 0.9),
        ];
        let terms = |ts: &[(u16, f32, f64)]| {
            let mut t = LinkedTerms::default();
            ts.iter().for_each(|&(l, x, w)| t.add(l, x, w));
            t
        };
        let of = |t: &LinkedTerms| {
            let got = t.errors_of(&items, 2, 2.0);
            (got.municipalities, got.df)
        };
        let cancelled = [(0, 40.0, 1.0), (0, 60.0, -1.0)];
        let both = terms(&[cancelled[0], cancelled[1], (1, 50.0, 1.0)]);
        assert_eq!(of(&both), (Some(35), Some(34.0)));
        assert_eq!(of(&terms(&cancelled)), (None, None));
        assert_eq!(
            terms(&cancelled).errors_of(&items, 2, 2.0).se_link,
            Some(0.0)
        );
        let slope = terms(&[(1, 40.0, 1.0), (1, 60.0, -1.0)]);
        assert_eq!(of(&slope), (Some(35), Some(8.5)));
        let level = terms(&[cancelled[0], (0, 60.0, -2.0), (1, 50.0, 1.0)]);
        assert_eq!(of(&level), (Some(3), Some(2.0)));
        assert_eq!(level.errors_of(&items, 2, 2.0).se_link, None);
    }

    /// An equipercentile link's summary takes scores in its tails up to 50
    /// % of its n, and of them scores outside its pairs up to 2 %: a link
    /// on 0–10 with pairs from 1 to 10 and an SE at 2–8 alone (0 is
    /// outside, 9 in the tail), 4 replicates.
    #[test]
    fn an_equipercentile_summary_takes_its_tails_up_to_their_shares() {
        let mut link = ItemLink::for_tests(Method::Equipercentile, 150, 0.9);
        link.pairs = vec![(1.0, 1.0), (5.0, 5.0), (10.0, 10.0)];
        link.concordance = (0..=10)
            .map(|i| ConcordancePoint {
                se: (2..=8).contains(&i).then_some(0.5),
                ..point(f64::from(i), f64::from(i))
            })
            .collect();
        let replicates: Vec<Vec<f64>> = (0..4)
            .map(|b| {
                (0..=10)
                    .map(|i| f64::from(i) + 0.1 * f64::from(b))
                    .collect()
            })
            .collect();
        link.replicates = Deviations::new(&replicates, &fitted(&link.concordance));
        let items = [link];
        let se = |at5: u32, at9: u32, at0: u32| {
            let mut t = LinkedTerms::default();
            t.add(0, 5.0, f64::from(at5));
            t.add(0, 9.0, f64::from(at9));
            t.add(0, 0.0, f64::from(at0));
            let m = at5 + at9 + at0;
            t.errors_of(&items, u64::from(m), f64::from(m)).se_link
        };
        // Every replicate moves every score by 0.1 · b: an SD of 0.1291.
        let sd = (0.0125f64 * 4.0 / 3.0).sqrt();
        let given = se(50, 48, 2).expect("50 % in the tails, 2 % outside");
        assert!((given - sd).abs() < 1e-12, "{given}");
        assert_eq!(se(50, 47, 3), None, "3 % outside");
        assert_eq!(se(49, 51, 0), None, "51 % in the tails");
        // A score linked into one change and out of another cancels.
        let mut t = LinkedTerms::default();
        for (x, w) in [(5.0, 1.0), (9.0, 1.0), (9.0, -1.0)] {
            t.add(0, x, w);
        }
        assert!(t.errors_of(&items, 1, 1.0).se_link.is_some());
    }

    /// A concordance point without an SE.
    fn point(x: f64, linked: f64) -> ConcordancePoint {
        let se = None;
        ConcordancePoint { x, linked, se }
    }

    /// The fitted value of every concordance point.
    fn fitted(concordance: &[ConcordancePoint]) -> Vec<f64> {
        concordance.iter().map(|c| c.linked).collect()
    }

    /// All replicates summed at once give each replicate's mean to the bit
    /// as one sum at a time does (7 replicates, and the first 5 of them as
    /// a summary whose other link has only 5; terms of both signs, so that
    /// another order would round otherwise; and none, a sum of −0).
    #[test]
    fn replicate_means_are_the_plain_sums_to_the_bit() {
        let concordance: Vec<ConcordancePoint> = (0..5)
            .map(|i| point(f64::from(i), 1.1 * f64::from(i)))
            .collect();
        let replicates: Vec<Vec<f64>> = (0..7)
            .map(|b| {
                (0..5)
                    .map(|i| (1.37 * f64::from(b * 5 + i)).sin() * 1e3)
                    .collect()
            })
            .collect();
        let deviations = Deviations::new(&replicates, &fitted(&concordance));
        let terms: Vec<Term> = (0..4)
            .flat_map(|lo| [0.0, 0.3, 0.71].map(|frac| (lo, frac)))
            .enumerate()
            .map(|(i, p)| Term::at(&deviations, p, [0.7, -1.3, 2.9][i % 3]))
            .collect();
        for (terms, reps) in [(&terms[..], 7), (&terms[..], 5), (&terms[..0], 7)] {
            let got = replicate_means(terms, reps, 3.0);
            assert_eq!(got.len(), reps);
            for (b, got) in got.iter().enumerate() {
                let want = terms.iter().map(|t| t.weighted(b)).sum::<f64>() / 3.0;
                assert_eq!(got.to_bits(), want.to_bits(), "replicate {b}");
            }
        }
    }

    /// `weighted` gives, to the bit, the weight times the replicate's
    /// difference from the fitted link interpolated as written out here.
    #[test]
    fn terms_weigh_the_interpolated_deviation() {
        let concordance: Vec<ConcordancePoint> = (0..6)
            .map(|i| point(f64::from(i), 0.9 * f64::from(i) + 0.3))
            .collect();
        // Irregular values (all mantissa bits in use), so that another
        // order of the same operations rounds differently.
        let replicates: Vec<Vec<f64>> = (0..4)
            .map(|b| {
                (0..6)
                    .map(|i| {
                        let k = f64::from(b * 7 + i);
                        0.9 * f64::from(i) + 0.3 + 0.05 * (1.618 * k).sin()
                    })
                    .collect()
            })
            .collect();
        let by_hand = |b: usize, lo: usize, frac: f64, w: f64| {
            let d = |i: usize| replicates[b][i] - concordance[i].linked;
            let dev = if frac > 0.0 {
                d(lo) + frac * (d(lo + 1) - d(lo))
            } else {
                d(lo)
            };
            w * dev
        };
        // The last point as `position` gives it: the one before, all the
        // way (and the last point itself, as a position with no fraction).
        let mut cases = vec![(4, 1.0, 2.0), (5, 0.0, 2.0)];
        for lo in 0..5 {
            for (k, frac) in [0.0, 0.125, 0.3, 0.5, 0.77].into_iter().enumerate() {
                cases.push((lo, frac, [1.0, -1.0, 3.0][(lo + k) % 3]));
            }
        }
        let deviations = Deviations::new(&replicates, &fitted(&concordance));
        for (lo, frac, w) in cases {
            let t = Term::at(&deviations, (lo, frac), w);
            for b in 0..4 {
                let (got, want) = (t.weighted(b), by_hand(b, lo, frac, w));
                assert_eq!(got.to_bits(), want.to_bits(), "lo {lo} frac {frac} rep {b}");
            }
        }
    }
}
