//! Min, quartiles and max of a group of values by selection: the few order
//! statistics they need are found with `select_nth_unstable` (linear time)
//! instead of sorting the whole group. Values are ordered by `total_cmp`,
//! so a value read here is bit for bit the one a full sort would put at
//! that rank.

/// A group's five-number summary; quartiles by linear interpolation
/// between the two nearest ranks (R's type 7, polars'
/// `QuantileMethod::Linear`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quartiles {
    pub min: f64,
    pub p25: f64,
    pub median: f64,
    pub p75: f64,
    pub max: f64,
}

/// The quantiles the summary holds.
const QS: [f64; 3] = [0.25, 0.5, 0.75];

impl Quartiles {
    /// The summary of `values` (reordered in place); NaN for no values.
    pub fn of(values: &mut [f64]) -> Quartiles {
        let Some(last) = values.len().checked_sub(1) else {
            let nan = f64::NAN;
            return Quartiles {
                min: nan,
                p25: nan,
                median: nan,
                p75: nan,
                max: nan,
            };
        };
        // Every rank read: 0, the two neighbours of each quantile, last.
        let mut ranks = Vec::with_capacity(8);
        ranks.push(0);
        for q in QS {
            let (lo, hi) = neighbours(last, q);
            ranks.extend([lo, hi]);
        }
        ranks.push(last);
        ranks.sort_unstable();
        ranks.dedup();
        let mut found = Vec::with_capacity(ranks.len());
        select(values, 0, &ranks, &mut found);
        found.sort_unstable_by_key(|&(rank, _)| rank);
        let at = |rank: usize| {
            let i = found.partition_point(|&(r, _)| r < rank);
            found[i].1
        };
        let quantile = |q: f64| {
            let x = last as f64 * q;
            let (lo, hi) = neighbours(last, q);
            let (a, b) = (at(lo), at(hi));
            if lo == hi || a == b {
                a
            } else {
                (x - lo as f64) * (b - a) + a
            }
        };
        Quartiles {
            min: at(0),
            p25: quantile(QS[0]),
            median: quantile(QS[1]),
            p75: quantile(QS[2]),
            max: at(last),
        }
    }
}

/// The ranks either side of quantile `q` among ranks `0..=last`.
fn neighbours(last: usize, q: f64) -> (usize, usize) {
    let x = last as f64 * q;
    (x as usize, x.ceil() as usize)
}

/// Puts the values at ascending `ranks` (of the whole slice, which starts
/// at rank `offset`) into `found`: the middle rank is selected, then the
/// lower ranks in the part below it and the higher in the part above.
fn select(values: &mut [f64], offset: usize, ranks: &[usize], found: &mut Vec<(usize, f64)>) {
    if ranks.is_empty() {
        return;
    }
    let mid = ranks.len() / 2;
    let r = ranks[mid] - offset;
    let (below, nth, above) = values.select_nth_unstable_by(r, f64::total_cmp);
    found.push((ranks[mid], *nth));
    select(below, offset, &ranks[..mid], found);
    select(above, offset + r + 1, &ranks[mid + 1..], found);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::rng::Rng;

    /// Type 7 from a fully sorted copy, as the summary was computed before.
    fn by_sorting(values: &[f64]) -> Quartiles {
        let mut v = values.to_vec();
        v.sort_unstable_by(f64::total_cmp);
        let q = |q: f64| {
            let at = (v.len() - 1) as f64 * q;
            let (lo, hi) = (at as usize, at.ceil() as usize);
            let (a, b) = (v[lo], v[hi]);
            if lo == hi || a == b {
                a
            } else {
                (at - lo as f64) * (b - a) + a
            }
        };
        Quartiles {
            min: v[0],
            p25: q(0.25),
            median: q(0.5),
            p75: q(0.75),
            max: v[v.len() - 1],
        }
    }

    #[test]
    fn five_numbers_by_hand() {
        // Sorted: 1 2 3 4 10; p25 at rank 1, p75 at rank 3.
        let got = Quartiles::of(&mut [4.0, 10.0, 1.0, 3.0, 2.0]);
        let want = Quartiles {
            min: 1.0,
            p25: 2.0,
            median: 3.0,
            p75: 4.0,
            max: 10.0,
        };
        assert_eq!(got, want);
        // Four values: p25 at rank 0.75 -> 1 + 0.75 * (2 - 1).
        assert_eq!(Quartiles::of(&mut [2.0, 4.0, 1.0, 3.0]).p25, 1.75);
        assert_eq!(Quartiles::of(&mut [7.5]).median, 7.5);
        assert!(Quartiles::of(&mut []).max.is_nan());
    }

    #[test]
    fn same_bits_as_a_full_sort() {
        let mut rng = Rng::new(15);
        for n in 1..200 {
            // Few distinct values (ties, as published half points are),
            // and signed zeros.
            let values: Vec<f64> = (0..n)
                .map(|_| match rng.range(0, 5) {
                    0 => -0.0,
                    1 => 0.0,
                    _ => f64::from(rng.range(0, 40)) / 2.0,
                })
                .collect();
            let want = by_sorting(&values);
            let got = Quartiles::of(&mut values.clone());
            let bits = |q: Quartiles| [q.min, q.p25, q.median, q.p75, q.max].map(f64::to_bits);
            assert_eq!(bits(got), bits(want), "n = {n}: {values:?}");
        }
    }
}
