//! Where each municipality stands: on its latest evaluation per scale and
//! item, its rank and percentile rank in its country and in its 2017
//! municipality group, its difference to the national mean; and the three
//! best municipalities per item, every one tied at the third place
//! included ("role models").
//!
//! Rank: 1 = best, ties share the best rank of the tie (1 + number scoring
//! higher). Percentile rank: 100 × (number scoring lower + half the number
//! tied, itself excluded) / (n − 1); empty when n = 1.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::analysis::frame::{Frame, GroupCodes, Point};
use crate::analysis::grouped::{Grouped, KeySpace, per_municipality};
use crate::error::Result;
use crate::io::dialect::{STAT_DECIMALS, as_written};
use crate::reference::instrument::{Instruments, ItemKind};
use crate::stats::sum::Sum;
use rayon::prelude::*;

mod write;
pub use write::write;

/// One municipality's position on one item.
#[derive(Debug, Clone)]
pub struct Benchmark {
    pub point: Point,
    pub national_mean: f64,
    pub rank: usize,
    pub n: usize,
    pub percentile: Option<f64>,
    /// The mean of its kommungrupp (2017) on the same latest points.
    pub group_mean: Option<f64>,
    pub group_rank: Option<usize>,
    pub group_n: Option<usize>,
    pub group_percentile: Option<f64>,
}

/// Where a point stands within one ranking: the number of points of its
/// group scoring lower, and that plus the number tied with it (itself
/// included). Rank, percentile, the group's n and mean follow from these
/// and the group's key, so a point costs 8 bytes per ranking.
/// Aligned as a `u64`, so that the `AtomicU64`s it is built from are
/// turned into places in place.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(8))]
struct Place {
    lower: u32,
    upto: u32,
}

impl Place {
    /// Not ranked (no group).
    const NONE: Place = Place {
        lower: u32::MAX,
        upto: u32::MAX,
    };

    /// As one word (for the stores from all cores in `rank`).
    fn bits(self) -> u64 {
        u64::from(self.lower) << 32 | u64::from(self.upto)
    }

    fn from_bits(bits: u64) -> Place {
        Place {
            lower: (bits >> 32) as u32,
            upto: bits as u32,
        }
    }

    /// Rank (1 + number scoring higher) and percentile rank among `n`
    /// (rank 0 and none for a point not ranked).
    fn position(self, n: usize) -> (usize, Option<f64>) {
        if self.upto == u32::MAX || self.upto as usize > n {
            return (0, None);
        }
        let (lower, upto) = (self.lower as usize, self.upto as usize);
        let tied = (upto - lower).saturating_sub(1);
        let pct = (n > 1).then(|| 100.0 * (lower as f64 + tied as f64 / 2.0) / (n - 1) as f64);
        (n - upto + 1, pct)
    }
}

/// One ranking (national, or within the 2017 groups): each latest point's
/// place, and per group key its n and mean.
#[derive(Debug, Default)]
struct Ranking {
    space: Option<KeySpace>,
    places: Vec<Place>,
    groups: Vec<(u32, f64)>,
}

/// Every latest point (as indices into the frame's points, in frame order)
/// with where it stands nationally and in its group.
#[derive(Debug, Default)]
pub struct Benchmarks {
    ix: Vec<u32>,
    /// Positions in `ix` in output order ([`output_order`]).
    order: Vec<u32>,
    national: Ranking,
    group: Ranking,
}

impl Benchmarks {
    pub fn len(&self) -> usize {
        self.ix.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ix.is_empty()
    }

    /// The benchmark of the latest point at position `k`.
    fn get(&self, f: &Frame, k: usize) -> Benchmark {
        let p = f.points[self.ix[k] as usize];
        let codes = &f.codes;
        let country = codes.country[p.muni as usize];
        let (n, mean) = self.national.group(k, p.scale, country, p.item);
        let (rank, percentile) = self.national.places[k].position(n);
        let group = codes.group_2017[p.muni as usize].and_then(|g| {
            let code = group_code(codes, country, g);
            let (n, mean) = self.group.group(k, p.scale, code, p.item);
            let (rank, pct) = self.group.places[k].position(n);
            // A percentile among fewer than 5 says little: left empty.
            (n > 0).then_some((mean, rank, n, pct.filter(|_| n >= MIN_GROUP_FOR_PERCENTILE)))
        });
        Benchmark {
            point: p,
            national_mean: mean,
            rank,
            n,
            percentile,
            group_mean: group.map(|g| g.0),
            group_rank: group.map(|g| g.1),
            group_n: group.map(|g| g.2),
            group_percentile: group.and_then(|g| g.3),
        }
    }

    /// Every benchmark, in output order.
    pub fn iter<'a>(&'a self, f: &'a Frame) -> impl Iterator<Item = Benchmark> + 'a {
        self.order.iter().map(move |&k| self.get(f, k as usize))
    }

    /// The benchmarks the report shows (areas and totals, not
    /// sub-questions; the totals only when `areas` is false: the index
    /// lists only those), in output order.
    pub fn areas_and_totals(
        &self,
        f: &Frame,
        instruments: &Instruments,
        areas: bool,
    ) -> Vec<Benchmark> {
        let shown = |k: usize| {
            let p = &f.points[self.ix[k] as usize];
            (instruments.get(f.scales[p.scale as usize].instrument))
                .get(p.item)
                .kind
                .in_report(areas)
        };
        // The positions first, then the benchmarks straight into a vector
        // of their number: collected from a filter, the benchmarks (a
        // million at 1,000,000 evaluations) were held twice for a moment.
        let shown: Vec<u32> = (self.order.par_iter().copied())
            .filter(|&k| shown(k as usize))
            .collect();
        (shown.par_iter())
            .map(|&k| self.get(f, k as usize))
            .collect()
    }
}

/// The positions of the latest points `ix` in output order: by
/// municipality, scale and item (a merge of the scales' runs, which are
/// each in municipality order).
fn output_order(f: &Frame, ix: &[u32]) -> Vec<u32> {
    let scale = |i: &u32| f.points[*i as usize].scale;
    let runs: Vec<&[u32]> = ix.chunk_by(|a, b| scale(a) == scale(b)).collect();
    let starts: Vec<usize> = (runs.iter())
        .scan(0, |at, r| {
            *at += r.len();
            Some(*at - r.len())
        })
        .collect();
    let mut out = Vec::with_capacity(ix.len());
    let muni = |i: &u32| f.points[*i as usize].muni;
    // The municipality's runs in scale order (never fails).
    let _ = per_municipality(&runs, muni, |parts| {
        for (start, part) in starts.iter().zip(parts) {
            out.extend((part.clone()).map(|k| (start + k) as u32));
        }
        Ok(())
    });
    out
}

impl Ranking {
    /// The n and mean of the group of key (scale, code, item) that the
    /// point at position `k` is ranked in ((0, NaN) when not ranked).
    fn group(&self, k: usize, scale: u8, code: u32, item: u16) -> (usize, f64) {
        match (&self.space, self.places[k].upto) {
            (Some(space), upto) if upto != u32::MAX => {
                let (n, mean) = self.groups[space.key(scale, code, item) as usize];
                (n as usize, mean)
            }
            _ => (0, f64::NAN),
        }
    }
}

/// The code of 2017 group `g` of a municipality in country `country` (the
/// groups are ranked within a country).
fn group_code(codes: &GroupCodes, country: u32, g: u32) -> u32 {
    country * codes.g2017.len() as u32 + g
}

/// How many strongest and weakest sub-questions the report names.
pub const EXTREMES: usize = 3;

/// The difference of `value` to `mean` as the report shows it, and as
/// [`extremes`] picks by it: whole percents of `max`, each rounded first
/// (81 % against 79 %: `+2`).
pub fn shown_difference(value: f64, mean: f64, max: f64) -> f64 {
    let percent = |x: f64| crate::stats::round_half_away(100.0 * x / max, 0);
    percent(value) - percent(mean)
}

/// Per municipality and native scale (latest evaluation), up to
/// [`EXTREMES`] strongest sub-questions (above the national average, in
/// percent of max; strongest first) and up to as many weakest (below it;
/// weakest first), never the same question twice; between equal
/// differences, the first in item order. Kept apart from the
/// benchmarks so that these can be freed.
pub fn extremes(bench: &Benchmarks, f: &Frame, instruments: &Instruments) -> Vec<Benchmark> {
    let question = |p: &Point| {
        let scale = &f.scales[p.scale as usize];
        !scale.is_linked()
            && instruments.get(scale.instrument).get(p.item).kind == ItemKind::Question
    };
    let max = |b: &Benchmark| {
        (instruments.get(f.scales[b.point.scale as usize].instrument))
            .get(b.point.item)
            .max
    };
    // The difference as the report shows it: whole percents of max,
    // each rounded, then the exact one (to 1e-9 of max, past the floating
    // point noise of means that differ in their last bits).
    let level = |b: &Benchmark| {
        let exact = (b.point.value - b.national_mean) / max(b);
        (
            shown_difference(b.point.value, b.national_mean, max(b)) as i64,
            (exact * 1e9).round() as i64,
        )
    };
    let point = |k: u32| &f.points[bench.ix[k as usize] as usize];
    let ordered: Vec<u32> = (bench.order.iter().copied())
        .filter(|&k| question(point(k)))
        .collect();
    let key = |k: &u32| {
        let p = point(*k);
        (p.muni, p.scale)
    };
    let mut out = Vec::new();
    for run in ordered.chunk_by(|a, b| key(a) == key(b)) {
        let mut group: Vec<Benchmark> = run.iter().map(|&k| bench.get(f, k as usize)).collect();
        // By the difference shown, then the exact one; equal ones stay in
        // item order (a stable sort) at either end, so that which of two
        // equally weak questions is named does not hang on float noise.
        group.sort_by_key(|b| std::cmp::Reverse(level(b)));
        // Only a difference the report shows: "+0" is no strength.
        let k = EXTREMES.min(group.len() / 2);
        let strong: Vec<Benchmark> = (group.iter().take(k))
            .filter(|b| level(b).0 > 0)
            .cloned()
            .collect();
        group.sort_by_key(level);
        let weak = group.iter().take(k).filter(|b| level(b).0 < 0);
        out.extend(strong.into_iter().chain(weak.cloned()));
    }
    out
}

/// Municipalities a group needs for a group percentile.
pub const MIN_GROUP_FOR_PERCENTILE: usize = 5;

/// Role models per country, scale and item: the municipalities ranked 1 to
/// this (every one tied at the cut included).
pub const ROLE_MODELS: usize = 3;

/// The key of a point in no group (a real key is below its key space's
/// size; a space above `MAX_KEYS`, 2^26, is refused by `Grouped::count`
/// before any key is used).
const NO_KEY: u32 = u32::MAX;

/// Ranks the latest points `ix` among those with the same key (`None`: not
/// ranked): a counting sort by key, then each group sorted by value and
/// walked once, on all cores, for its mean (summed in ascending order) and
/// the ties.
fn rank(f: &Frame, ix: &[u32], code: impl Fn(&Point) -> Option<u32> + Sync) -> Result<Ranking> {
    let point = |k: u32| &f.points[ix[k as usize] as usize];
    // The items and the codes' range in one pass on all cores.
    let (items, range) = (ix.par_iter())
        .map(|&i| {
            let p = &f.points[i as usize];
            let c = code(p);
            let item = usize::from(p.item) + 1;
            (item, c.map_or((u32::MAX, 0), |c| (c, c)))
        })
        .reduce(
            || (0, (u32::MAX, 0)),
            |(i, (lo, hi)), (j, (l, h))| (i.max(j), (lo.min(l), hi.max(h))),
        );
    let space = KeySpace::new(f.scales.len(), range, items);
    // Each point's key, found once on all cores (the count and the
    // placing then read them in order).
    let keys: Vec<u32> = (0..ix.len() as u32)
        .into_par_iter()
        .map(|k| {
            let p = point(k);
            code(p).map_or(NO_KEY, |c| space.key(p.scale, c, p.item))
        })
        .collect();
    let key = |k: u32| Some(k).filter(|&k| k != NO_KEY);
    let grouped = Grouped::count(keys.iter().map(|&k| key(k)), space.len())?;
    let mut order = grouped.place((0..ix.len() as u32).zip(keys.iter().map(|&k| key(k))));
    drop(keys);
    // Each point's place is stored by the run that holds it; the runs are
    // disjoint, so relaxed stores from all cores are enough.
    let slots: Vec<AtomicU64> = (0..ix.len())
        .map(|_| AtomicU64::new(Place::NONE.bits()))
        .collect();
    let stats = grouped.sort_and_visit(
        &mut order,
        |k| point(k).value,
        |_, members| {
            let n = members.len();
            // The mean as the averages take it ([`Sum`]: the same float
            // whatever the order of the values; these are sorted).
            let mean = Sum::of(members.iter().map(|m| m.0)).mean(n);
            // Ties are scores written alike (linked scores from two links
            // can differ below the last decimal written); sorted by value,
            // they are next to each other.
            let written = |x: f64| as_written(x, STAT_DECIMALS);
            let mut lower = 0;
            while lower < n {
                let v = written(members[lower].0);
                let mut upto = lower + 1;
                while upto < n && written(members[upto].0) == v {
                    upto += 1;
                }
                let place = Place {
                    lower: lower as u32,
                    upto: upto as u32,
                };
                for &(_, k) in &members[lower..upto] {
                    slots[k as usize].store(place.bits(), Ordering::Relaxed);
                }
                lower = upto;
            }
            (n as u32, mean)
        },
    );
    drop(order);
    let mut groups = vec![(0u32, f64::NAN); space.len()];
    for (g, stat) in stats {
        groups[g] = stat;
    }
    let places = (slots.into_iter())
        .map(|s| Place::from_bits(s.into_inner()))
        .collect();
    Ok(Ranking {
        space: Some(space),
        places,
        groups,
    })
}

/// Ranks every municipality's latest points in its country and in its 2017
/// group.
pub fn benchmarks(f: &Frame) -> Result<Benchmarks> {
    let ix = f.latest_indices();
    let codes = &f.codes;
    let national = rank(f, &ix, |p| Some(codes.country[p.muni as usize]))?;
    let group = rank(f, &ix, |p| {
        let m = p.muni as usize;
        codes.group_2017[m].map(|g| group_code(codes, codes.country[m], g))
    })?;
    // After the rankings, whose working tables are freed by then.
    let order = output_order(f, &ix);
    Ok(Benchmarks {
        ix,
        order,
        national,
        group,
    })
}

/// The three best municipalities per country, native scale and item (areas
/// and sub-questions), on their latest evaluation, every one tied at the
/// cut included; best first, ties (scores written alike) by code.
pub fn role_models(
    f: &Frame,
    bench: &Benchmarks,
    instruments: &Instruments,
) -> Vec<(usize, Point)> {
    // A role model's position is its national rank (1 + the number scoring
    // higher, ties sharing it): the points ranked up to ROLE_MODELS, every
    // one tied at the cut included, read off the national ranking.
    let codes = &f.codes;
    let mut models: Vec<(usize, Point)> = (0..bench.ix.len())
        .into_par_iter()
        .filter_map(|k| {
            let p = f.points[bench.ix[k] as usize];
            let scale = &f.scales[p.scale as usize];
            if scale.is_linked()
                || instruments.get(scale.instrument).get(p.item).kind == ItemKind::Total
            {
                return None;
            }
            let country = codes.country[p.muni as usize];
            let (n, _) = bench.national.group(k, p.scale, country, p.item);
            let (rank, _) = bench.national.places[k].position(n);
            (rank <= ROLE_MODELS).then_some((rank, p))
        })
        .collect();
    // By country, scale and item; best first (by rank: scores written
    // alike share it); ties by code (municipality indices are in code
    // order within a country).
    models.sort_unstable_by(|(ra, a), (rb, b)| {
        let group = |p: &Point| (codes.country[p.muni as usize], p.scale, p.item);
        group(a)
            .cmp(&group(b))
            .then(ra.cmp(rb))
            .then(a.muni.cmp(&b.muni))
    });
    models
}

#[cfg(test)]
mod tests {
    use super::Place;

    /// The place of `x` among `sorted` (ascending, x included), counted by
    /// hand: the number below it and the number up to and with it.
    fn place(x: f64, sorted: &[f64]) -> (usize, Option<f64>) {
        let lower = sorted.iter().filter(|v| **v < x).count() as u32;
        let upto = sorted.iter().filter(|v| **v <= x).count() as u32;
        Place { lower, upto }.position(sorted.len())
    }

    #[test]
    fn ranks_with_ties_by_hand() {
        let v = [40.0, 50.0, 60.0, 60.0, 70.0];
        // 60: one higher -> rank 2; lower 2 (50, 40), one other tie -> (2 + 0.5) / 4.
        assert_eq!(place(60.0, &v), (2, Some(62.5)));
        assert_eq!(place(70.0, &v), (1, Some(100.0)));
        assert_eq!(place(40.0, &v), (5, Some(0.0)));
        assert_eq!(place(5.0, &[5.0]), (1, None));
    }
}
