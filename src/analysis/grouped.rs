//! Grouping points by a small dense integer key with a counting sort: one
//! pass to count, one to place, no hashing and no comparison sort. Within a
//! group the points keep their input order (the sort is stable), which is
//! a fixed order (that of the polars group-by this replaced), so sums and variances are
//! accumulated in the same order as before; each group can then be sorted
//! by value on its own (all groups on all cores).

use std::ops::Range;

use crate::error::{Error, Result};

/// Largest key space a grouping may use (a guard against a runaway key,
/// such as an implausible year range; real ones are a few thousand).
const MAX_KEYS: usize = 1 << 26;

/// Where each key's run starts in a key-ordered list of points.
#[derive(Debug, Default)]
pub struct Grouped {
    /// `starts[k]..starts[k + 1]` is key `k`'s run.
    starts: Vec<u32>,
}

impl Grouped {
    /// Counts the points per key: `keys` are the points' keys, each below
    /// `len` (`None`: the point is in no group and left out).
    pub fn count(keys: impl Iterator<Item = Option<u32>>, len: usize) -> Result<Grouped> {
        if len > MAX_KEYS {
            return Err(Error::Usage(format!(
                "the scores fall into {len} combinations of scale, group and item to \
                 average or rank, more than the {MAX_KEYS} kompass counts at once: \
                 instruments of thousands of items over thousands of groups or evaluation \
                 years (see the year-range warnings in validation.csv)"
            )));
        }
        let mut starts = vec![0u32; len + 1];
        for k in keys.flatten() {
            starts[k as usize + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        Ok(Grouped { starts })
    }

    /// The points of `members`, (point index, key) pairs with the keys
    /// counted, placed in key order; within a key they keep their order in
    /// `members`.
    pub fn place(&self, members: impl Iterator<Item = (u32, Option<u32>)>) -> Vec<u32> {
        let mut next = self.starts.clone();
        let mut order = vec![0u32; self.starts.last().map_or(0, |&n| n as usize)];
        for (i, k) in members {
            if let Some(k) = k {
                let at = &mut next[k as usize];
                order[*at as usize] = i;
                *at += 1;
            }
        }
        order
    }

    /// Sorts each key's run of `order` (as placed by [`Grouped::place`])
    /// by `value`, ascending, then gives `visit` the run's key and its
    /// (value, point) pairs in that order: every run on all cores,
    /// reading each value once and in order (no walk of the sorted runs
    /// through the points afterwards). Returns what `visit` returns, in key
    /// order.
    pub fn sort_and_visit<R: Send>(
        &self,
        order: &mut [u32],
        value: impl Fn(u32) -> f64 + Sync,
        visit: impl Fn(usize, &[(f64, u32)]) -> R + Sync,
    ) -> Vec<(usize, R)> {
        use rayon::prelude::*;
        let mut runs: Vec<(usize, &mut [u32])> = Vec::new();
        let mut rest = order;
        for (k, w) in self.starts.windows(2).enumerate() {
            let (run, tail) = rest.split_at_mut((w[1] - w[0]) as usize);
            if !run.is_empty() {
                runs.push((k, run));
            }
            rest = tail;
        }
        runs.into_par_iter()
            .map_init(Vec::new, |pairs: &mut Vec<(f64, u32)>, (k, run)| {
                pairs.clear();
                pairs.extend(run.iter().map(|&i| (value(i), i)));
                pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
                for (slot, (_, i)) in run.iter_mut().zip(pairs.iter()) {
                    *slot = *i;
                }
                (k, visit(k, pairs))
            })
            .collect()
    }

    /// The keys with at least one point, in key order, with their runs.
    pub fn groups(&self) -> impl Iterator<Item = (usize, Range<usize>)> + '_ {
        (self.starts.windows(2).enumerate())
            .filter(|(_, w)| w[1] > w[0])
            .map(|(k, w)| (k, w[0] as usize..w[1] as usize))
    }
}

/// Walks `runs` (each sorted by municipality, `muni` of an element) one
/// municipality at a time, in ascending order: `each` gets, per run in
/// order, the range of that municipality's elements in it (empty where it
/// has none). The frame's scales are such runs.
pub fn per_municipality<T>(
    runs: &[&[T]],
    muni: impl Fn(&T) -> u32,
    mut each: impl FnMut(&[Range<usize>]) -> Result<()>,
) -> Result<()> {
    let mut at = vec![0usize; runs.len()];
    let mut parts = vec![0..0; runs.len()];
    loop {
        let next = (runs.iter().zip(&at))
            .filter_map(|(r, &c)| r.get(c).map(&muni))
            .min();
        let Some(m) = next else { return Ok(()) };
        for ((r, c), part) in runs.iter().zip(&mut at).zip(&mut parts) {
            let start = *c;
            while r.get(*c).is_some_and(|x| muni(x) == m) {
                *c += 1;
            }
            *part = start..*c;
        }
        each(&parts)?;
    }
}

/// The codes some points have, numbered in ascending order from 0: a
/// key space over their numbers is as large as the codes present, not as
/// their range (the years of the `eval_year` grouping, with their
/// countries, ran from 1000 to 9999 where two files said so, and four
/// instruments of 2,000 questions then passed [`MAX_KEYS`]).
#[derive(Debug)]
pub struct Present {
    lo: u32,
    /// Code `c`'s number at `c - lo` (`u32::MAX`: no point has it).
    numbers: Vec<u32>,
    /// The codes by number.
    codes: Vec<u32>,
}

impl Present {
    /// The codes of `codes` (each more than once, in any order).
    pub fn of(codes: impl Iterator<Item = u32> + Clone) -> Present {
        let (lo, hi) = (codes.clone()).fold((u32::MAX, 0), |(lo, hi), c| (lo.min(c), hi.max(c)));
        let mut numbers = vec![u32::MAX; if hi >= lo { (hi - lo) as usize + 1 } else { 0 }];
        for c in codes {
            numbers[(c - lo) as usize] = 0;
        }
        let mut codes = Vec::new();
        for (at, n) in numbers.iter_mut().enumerate() {
            if *n == 0 {
                *n = codes.len() as u32;
                codes.push(lo + at as u32);
            }
        }
        Present { lo, numbers, codes }
    }

    /// The number of `code`, one of those given.
    pub fn number(&self, code: u32) -> u32 {
        self.numbers[(code - self.lo) as usize]
    }

    /// The code numbered `number`.
    pub fn code(&self, number: u32) -> u32 {
        self.codes[number as usize]
    }

    /// The numbers' range, as [`KeySpace::new`] takes it.
    pub fn range(&self) -> (u32, u32) {
        match self.codes.len() {
            0 => (u32::MAX, 0),
            n => (0, n as u32 - 1),
        }
    }
}

/// A dense key space for (scale, code, item) triples: codes from `lo` to
/// `hi` and items below `items`, numbered in (scale, code, item) order.
#[derive(Debug, Clone, Copy)]
pub struct KeySpace {
    lo: u32,
    codes: usize,
    items: usize,
    scales: usize,
}

impl KeySpace {
    /// The space for `scales` scales, codes `lo..=hi` and `items` items
    /// (an empty code range when no point has a code).
    pub fn new(scales: usize, (lo, hi): (u32, u32), items: usize) -> KeySpace {
        let codes = if hi >= lo { (hi - lo) as usize + 1 } else { 0 };
        KeySpace {
            lo,
            codes,
            items,
            scales,
        }
    }

    /// How many keys there are.
    pub fn len(&self) -> usize {
        self.scales
            .saturating_mul(self.codes)
            .saturating_mul(self.items)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The key of a (scale, code, item) triple.
    pub fn key(&self, scale: u8, code: u32, item: u16) -> u32 {
        ((usize::from(scale) * self.codes + (code - self.lo) as usize) * self.items
            + usize::from(item)) as u32
    }

    /// The (scale, code, item) triple of a key.
    pub fn parts(&self, key: usize) -> (usize, u32, u16) {
        let item = key % self.items;
        let rest = key / self.items;
        (
            rest / self.codes,
            (rest % self.codes) as u32 + self.lo,
            item as u16,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_keep_input_order_and_drop_keyless() {
        let members = [(10, Some(2)), (11, None), (12, Some(0)), (13, Some(2))];
        let g = Grouped::count(members.iter().map(|m| m.1), 4).unwrap();
        let order = g.place(members.iter().copied());
        let got: Vec<(usize, Vec<u32>)> = g.groups().map(|(k, r)| (k, order[r].to_vec())).collect();
        assert_eq!(got, vec![(0, vec![12]), (2, vec![10, 13])]);
    }

    /// Codes numbered in ascending order, each once; a space past the cap
    /// is a usage error (exit 2), not an internal one.
    #[test]
    fn present_codes_are_numbered_and_a_runaway_space_refused() {
        let p = Present::of([29_997u32, 3_000, 29_997, 6_036].into_iter());
        assert_eq!(p.range(), (0, 2));
        let numbers: Vec<u32> = [3_000, 6_036, 29_997].map(|c| p.number(c)).to_vec();
        assert_eq!(numbers, [0, 1, 2]);
        assert_eq!([0, 1, 2].map(|n| p.code(n)), [3_000, 6_036, 29_997]);
        assert_eq!(Present::of(std::iter::empty()).range(), (u32::MAX, 0));
        let refused = Grouped::count(std::iter::empty(), MAX_KEYS + 1);
        assert!(matches!(refused, Err(Error::Usage(_))), "{refused:?}");
    }

    #[test]
    fn every_run_is_visited_sorted_in_key_order() {
        let members = [
            (0, Some(1)),
            (1, Some(3)),
            (2, Some(1)),
            (3, None),
            (4, Some(1)),
        ];
        let value = |i: u32| [5.0, 2.0, -1.0, 9.0, 5.0][i as usize];
        let g = Grouped::count(members.iter().map(|m| m.1), 4).unwrap();
        let mut order = g.place(members.iter().copied());
        let seen = g.sort_and_visit(&mut order, value, |k, pairs| (k, pairs.to_vec()));
        let values: Vec<(usize, Vec<f64>)> = (seen.into_iter())
            .map(|(k, (k2, pairs))| {
                assert_eq!(k, k2);
                (k, pairs.iter().map(|p| p.0).collect())
            })
            .collect();
        assert_eq!(values, vec![(1, vec![-1.0, 5.0, 5.0]), (3, vec![2.0])]);
        assert_eq!(order[0], 2);
        assert_eq!(order[3], 1);
    }

    #[test]
    fn runs_are_walked_a_municipality_at_a_time() {
        let (a, b) = ([1u32, 1, 3], [0u32, 1, 2, 2]);
        let runs: [&[u32]; 2] = [&a, &b];
        let mut seen = Vec::new();
        per_municipality(
            &runs,
            |&m| m,
            |parts| {
                seen.push(parts.to_vec());
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(
            seen,
            vec![
                vec![0..0, 0..1],
                vec![0..2, 1..2],
                vec![2..2, 2..4],
                vec![2..3, 4..4],
            ]
        );
    }

    #[test]
    fn key_space_round_trips_in_order() {
        let s = KeySpace::new(3, (2003, 2010), 40);
        assert_eq!(s.len(), 3 * 8 * 40);
        let a = s.key(1, 2005, 7);
        assert_eq!(s.parts(a as usize), (1, 2005, 7));
        assert!(s.key(1, 2005, 8) > a && s.key(1, 2006, 0) > a && s.key(2, 2003, 0) > a);
    }
}
