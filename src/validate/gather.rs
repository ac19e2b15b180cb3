//! Putting the validated scores together: each core's runs of whole
//! evaluations copied, in the canonical order, into one table.

use std::ops::Range;

use rayon::prelude::*;

use super::Score;

/// The runs of scores `runs` (a part and a range in it) in the order
/// `order`, one after the other: copied on all cores, each core filling
/// its own stretch of the result.
pub(super) fn gather(
    parts: &[Vec<Score>],
    runs: &[(usize, Range<usize>)],
    order: &[u32],
) -> Vec<Score> {
    /// Scores per batch of whole runs.
    const BATCH: usize = 1 << 16;
    let run = |r: u32| &parts[runs[r as usize].0][runs[r as usize].1.clone()];
    let total: usize = order.iter().map(|&r| run(r).len()).sum();
    let mut out: Vec<Score> = Vec::with_capacity(total);
    let mut batches = Vec::new();
    let mut rest = &mut out.spare_capacity_mut()[..total];
    let (mut from, mut len) = (0, 0);
    for (i, &r) in order.iter().enumerate() {
        len += run(r).len();
        if len >= BATCH || i + 1 == order.len() {
            let (head, tail) = std::mem::take(&mut rest).split_at_mut(len);
            batches.push((&order[from..=i], head));
            (rest, from, len) = (tail, i + 1, 0);
        }
    }
    batches.into_par_iter().for_each(|(rs, slots)| {
        let copies = rs.iter().flat_map(|&r| run(r));
        for (slot, score) in slots.iter_mut().zip(copies) {
            slot.write(*score);
        }
    });
    // SAFETY: the batches split the first `total` slots between them, and
    // each batch wrote all of its slots: its runs hold as many scores as
    // its stretch has slots.
    unsafe { out.set_len(total) };
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::instrument::ItemIx;
    use crate::stats::rng::Rng;

    /// Against one run after the other on one core, with runs of 1 to 40
    /// scores in three parts, in a shuffled order, across several batches.
    #[test]
    fn gathers_the_runs_in_order() {
        let mut rng = Rng::new(11);
        let mut parts: Vec<Vec<Score>> = vec![Vec::new(); 3];
        let mut runs = Vec::new();
        let mut eval = 0u32;
        while runs.len() < 12_000 {
            let p = rng.range(0, 2) as usize;
            let len = rng.range(1, 40) as usize;
            let start = parts[p].len();
            for i in 0..len {
                let value = f64::from(rng.range(0, 1000));
                let item = ItemIx::try_from(i).unwrap_or_default();
                parts[p].push(Score::new(eval, item, value, Some((0, eval))));
            }
            runs.push((p, start..start + len));
            eval += 1;
        }
        let mut order: Vec<u32> = (0..runs.len() as u32).collect();
        rng.shuffle(&mut order);
        let want: Vec<Score> = (order.iter())
            .flat_map(|&r| {
                parts[runs[r as usize].0][runs[r as usize].1.clone()]
                    .iter()
                    .copied()
            })
            .collect();
        assert!(want.len() > 3 * (1 << 16), "several batches");
        let got = gather(&parts, &runs, &order);
        assert_eq!(got.len(), want.len());
        let key = |s: &Score| (s.eval, s.item, s.value.to_bits(), s.source());
        assert!(got.iter().map(key).eq(want.iter().map(key)));
        assert!(gather(&parts, &runs, &[]).is_empty());
    }
}
