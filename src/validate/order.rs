//! The canonical order of evaluations (country, code, year, scale id),
//! compared on a compact key so that sorting a million evaluations does
//! not chase their strings.

use std::cmp::Ordering;

use std::collections::BTreeSet;

use rayon::prelude::*;

use crate::ingest::{EvalInfo, EvalKey};
use crate::reference::instrument::Instruments;

/// The places of the evaluations `with_scores` (indices into `evals`) in
/// key order, sorted on all cores on a compact key of each (see
/// [`EvalOrder`]); ties (none among distinct evaluations) keep their order.
pub(super) fn evaluation_order(
    evals: &[EvalInfo],
    with_scores: &[u32],
    instruments: &Instruments,
) -> Vec<u32> {
    let scale_rank = scale_ranks(instruments);
    let countries: BTreeSet<&str> = (evals.iter()).map(|e| e.key.country.as_str()).collect();
    let countries: Vec<&str> = countries.into_iter().collect();
    let mut rank: Vec<(EvalOrder, u32)> = (with_scores.par_iter().enumerate())
        .map(|(r, &eval)| {
            let k = &evals[eval as usize].key;
            let order = EvalOrder::of(k, &countries, scale_rank[k.scale as usize]);
            (order, r as u32)
        })
        .collect();
    rank.par_sort_unstable_by(|(a, ra), (b, rb)| {
        let code = |r: u32| &evals[with_scores[r as usize] as usize].key.code;
        a.cmp_with(b, || code(*ra).cmp(code(*rb))).then(ra.cmp(rb))
    });
    rank.into_iter().map(|(_, r)| r).collect()
}

/// Each scale's rank in the order of the scale ids.
fn scale_ranks(instruments: &Instruments) -> Vec<u8> {
    let scales = instruments.scales();
    let mut by_id: Vec<usize> = (0..scales.len()).collect();
    by_id.sort_by(|&a, &b| scales[a].id.cmp(&scales[b].id));
    let mut rank = vec![0u8; scales.len()];
    for (r, s) in by_id.into_iter().enumerate() {
        rank[s] = u8::try_from(r).unwrap_or(u8::MAX);
    }
    rank
}

/// An evaluation's place in key order (country, code, year, scale id):
/// the country's and the scale id's ranks, and the code's first 8 bytes,
/// with the codes compared whole only when those cannot tell.
#[derive(Debug, Clone, Copy)]
struct EvalOrder {
    country: u32,
    code: u64,
    /// The code is its prefix: 8 bytes or fewer, no NUL.
    exact: bool,
    year: u16,
    scale: u8,
}

impl EvalOrder {
    /// `countries` sorted and without repeats, the evaluation's among them.
    pub(super) fn of(k: &EvalKey, countries: &[&str], scale: u8) -> EvalOrder {
        let country = countries.partition_point(|c| *c < k.country.as_str());
        EvalOrder {
            country: country as u32,
            code: prefix(&k.code),
            exact: k.code.len() <= 8 && !k.code.contains('\0'),
            year: k.year,
            scale,
        }
    }

    /// The order of two keys; `codes` compares the whole codes when the
    /// prefixes cannot tell.
    pub(super) fn cmp_with(&self, other: &EvalOrder, codes: impl FnOnce() -> Ordering) -> Ordering {
        let exact = self.exact && other.exact;
        (self.country.cmp(&other.country))
            .then(self.code.cmp(&other.code))
            .then_with(|| if exact { Ordering::Equal } else { codes() })
            .then((self.year, self.scale).cmp(&(other.year, other.scale)))
    }
}

/// The first 8 bytes of `s`, big-endian and padded with zeros: of two
/// strings, the one with the smaller prefix is the smaller (equal
/// prefixes say nothing unless both strings are exact).
fn prefix(s: &str) -> u64 {
    let mut b = [0u8; 8];
    let n = s.len().min(8);
    b[..n].copy_from_slice(&s.as_bytes()[..n]);
    u64::from_be_bytes(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::rng::Rng;

    #[test]
    fn compact_order_is_the_order_of_the_strings() {
        let mut rng = Rng::new(7);
        let alphabet = ['0', '1', '9', '\0', 'a'];
        let string = |rng: &mut Rng, max: u32| -> String {
            let len = rng.range(0, max);
            (0..len)
                .map(|_| alphabet[rng.range(0, 4) as usize])
                .collect()
        };
        let keys: Vec<EvalKey> = (0..400)
            .map(|_| EvalKey {
                country: ["DK", "NO", "SE", "SEX"][rng.range(0, 3) as usize].to_string(),
                code: string(&mut rng, 11),
                year: 2000 + rng.range(0, 2) as u16,
                scale: rng.range(0, 1) as u8,
            })
            .collect();
        let mut countries: Vec<&str> = keys.iter().map(|k| k.country.as_str()).collect();
        countries.sort_unstable();
        countries.dedup();
        // Scale 0 is "new", 1 is "old": ranks in id order.
        let ids = ["new", "old"];
        let order = |k: &EvalKey| EvalOrder::of(k, &countries, k.scale);
        for a in &keys {
            for b in &keys {
                let want = (&a.country, &a.code, a.year, ids[a.scale as usize]).cmp(&(
                    &b.country,
                    &b.code,
                    b.year,
                    ids[b.scale as usize],
                ));
                let got = order(a).cmp_with(&order(b), || a.code.cmp(&b.code));
                assert_eq!(got, want, "{a:?} {b:?}");
            }
        }
    }
}
