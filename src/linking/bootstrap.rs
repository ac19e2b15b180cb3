//! The bootstrap replicates of the links of one scale's items, over whole
//! dual-scored evaluations: replicate b draws the same evaluations for
//! every item of the scale (one random stream per scale and replicate), so
//! the items of one evaluation move together; an item takes the pairs of
//! the drawn evaluations that have it.

use rayon::prelude::*;

use super::LinkOptions;
use super::fit::Prepared;
use super::methods::{Method, fit, line};
use crate::stats::mean_sd_pair_of_sums;
use crate::stats::rng::Rng;

/// The bootstrap replicates of one link.
#[derive(Debug, Default)]
pub(super) struct Boot {
    /// Slope and intercept of each replicate (for the mean and linear links).
    pub(super) lines: Vec<(f64, f64)>,
    /// The linked value of every concordance point, per replicate.
    pub(super) replicates: Vec<Vec<f64>>,
    /// Replicates whose resample could not be fitted.
    pub(super) dropped: u32,
}

/// One replicate of one link: its line (if it has one) and its values at
/// the score points; `None` when its resample could not be fitted.
type Replicate = Option<(Option<(f64, f64)>, Vec<f64>)>;

/// No pair of the item in this dual-scored evaluation year.
const NO_PAIR: u32 = u32::MAX;

/// The replicates of every link in `items` (in their order), all of one
/// scale: `dual` dual-scored evaluation years, random stream `stream`.
/// Each replicate's draws are made once for all the items (they were
/// made once per item, the same draws each time: at 1,000,000
/// evaluations 9 × 1000 × 36,777 of them), and the replicates are shared
/// out among the cores, not the items (9 items on 2 cores left one idle
/// at the end). Every replicate is the same as when it was drawn per item.
pub(super) fn replicates(
    items: &[&Prepared],
    dual: u32,
    stream: u64,
    opts: &LinkOptions,
) -> Vec<Boot> {
    let mut boots: Vec<Boot> = items.iter().map(|_| Boot::default()).collect();
    if items.is_empty() || dual == 0 {
        return boots;
    }
    let pair_of: Vec<Vec<u32>> = items
        .iter()
        .map(|p| {
            let mut of = vec![NO_PAIR; dual as usize];
            for (k, &e) in p.evals.iter().enumerate() {
                // Every pair's year is below `dual` (`Pairs::dual` counts
                // the years `Pairs::of` numbers).
                debug_assert!(e < dual, "pair of year {e} of {dual}");
                if let Some(slot) = of.get_mut(e as usize) {
                    *slot = k as u32;
                }
            }
            of
        })
        .collect();
    let per_replicate: Vec<Vec<Replicate>> = (0..u64::from(opts.bootstrap))
        .into_par_iter()
        .map_init(Scratch::default, |s, b| {
            let mut rng = Rng::derive(opts.seed, stream ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            s.draws.clear();
            s.draws
                .extend((0..dual).map(|_| (rng.next_u64() % u64::from(dual)) as u32));
            (items.iter().zip(&pair_of))
                .map(|(p, of)| replicate(p, of, s))
                .collect()
        })
        .collect();
    for reps in per_replicate {
        for (boot, r) in boots.iter_mut().zip(reps) {
            match r {
                None => boot.dropped += 1,
                Some((line, values)) => {
                    boot.lines.extend(line);
                    boot.replicates.push(values);
                }
            }
        }
    }
    boots
}

/// A thread's memory for the replicates it makes.
#[derive(Default)]
struct Scratch {
    draws: Vec<u32>,
    x: Vec<f64>,
    y: Vec<f64>,
}

/// The replicate of link `p` for the evaluation years drawn in `s`
/// (`of`: each year's pair of `p`, if any).
///
/// The mean and linear links' sums are taken while the pairs are drawn
/// (in the same order as [`fit`] takes them: the same figures).
fn replicate(p: &Prepared, of: &[u32], s: &mut Scratch) -> Replicate {
    s.x.clear();
    s.y.clear();
    let (mut sx, mut sy) = (-0.0, -0.0);
    for &e in &s.draws {
        let k = of[e as usize];
        if k != NO_PAIR {
            let (a, b) = (p.x[k as usize], p.y[k as usize]);
            s.x.push(a);
            s.y.push(b);
            sx += a;
            sy += b;
        }
    }
    let method = p.method();
    // Two pairs fit a line; one a mean link.
    let enough = s.x.len() >= 2 || (method == Method::Mean && !s.x.is_empty());
    if !enough {
        return None;
    }
    let (rf, rt) = p.ranges;
    let f = match method {
        Method::Mean | Method::Linear => line(method, mean_sd_pair_of_sums(&s.x, &s.y, (sx, sy)))?,
        _ => fit(method, &s.x, &s.y, rf, rt)?,
    };
    Some((f.line(), p.grid.iter().map(|g| f.apply(*g)).collect()))
}
