//! The bootstrap replicates of the links of one scale's items, over whole
//! municipalities with their dual-scored evaluations: replicate b draws
//! municipalities from one random stream per scale and replicate, and
//! each item takes, in the order drawn, as many as it has municipalities
//! (of those that have its pairs, each with all its years' pairs of the
//! item), so the items of one evaluation, and the years of a municipality
//! scored on both scales more than once, move together, and an item's
//! resample is as large as its own set whatever the other items have (an
//! item scored in 10 of the scale's 30 municipalities took from 30 draws
//! the random few of its own among them, some replicates only 2 or 3,
//! and its SE was 1.6–1.8 times as large).

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
    /// Whether they are the jackknife's ([`super::jackknife`]), not drawn.
    pub(super) jackknife: bool,
}

/// One replicate of one link: its line (if it has one) and its values at
/// the score points; `None` when its resample could not be fitted.
type Replicate = Option<(Option<(f64, f64)>, Vec<f64>)>;

/// The replicates of every link in `items` (in their order), all of one
/// scale: the dual-scored evaluation years of each municipality start at
/// `starts` (the number of years last, see
/// [`super::pairs::Pairs::municipalities`]), random stream `stream`.
/// The draws come in rounds of as many as the scale has municipalities,
/// until every item has taken as many as it has; where every item has
/// pairs in every municipality (the usual case), one round.
/// Each replicate's draws are made once for all the items (they were
/// made once per item, the same draws each time: at 1,000,000
/// evaluations 9 × 1000 × 36,777 of them), and the replicates are shared
/// out among the cores, not the items (9 items on 2 cores left one idle
/// at the end). Every item takes the same pairs as when the draws were
/// made per item.
///
/// The pairs are laid out by evaluation year, the items of a year side by
/// side ([`Years`]), and each replicate goes through its draws once for
/// all the items: a draw reads one place, where a pass per item read one
/// place per item (at 1,000,000 evaluations the pairs are larger than the
/// processor's caches, and those reads were most of the link stage). Each
/// item still takes its pairs in the order drawn: the same figures.
pub(super) fn replicates(
    items: &[&Prepared],
    starts: &[u32],
    stream: u64,
    opts: &LinkOptions,
) -> Vec<Boot> {
    let mut boots: Vec<Boot> = items.iter().map(|_| Boot::default()).collect();
    let units = starts.len().saturating_sub(1) as u64;
    if items.is_empty() || units == 0 {
        return boots;
    }
    let years = Years::of(items, starts);
    let per_replicate: Vec<Vec<Replicate>> = (0..u64::from(opts.bootstrap))
        .into_par_iter()
        .map_init(Scratch::default, |s, b| {
            let mut rng = Rng::derive(opts.seed, stream ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            years.start(s);
            for _ in 0..MAX_ROUNDS {
                s.draws.clear();
                s.draws
                    .extend((0..units).map(|_| (rng.next_u64() % units) as u32));
                if years.resample(s) {
                    break;
                }
            }
            (items.iter().zip(&s.drawn))
                .map(|(p, d)| replicate(p, d))
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

/// Every item's pair (x, y) in each dual-scored evaluation year, the items
/// of a year side by side, a municipality's years one after the other; x
/// is NaN where the year has no pair of the item (scores are never NaN).
struct Years<'s> {
    items: usize,
    cells: Vec<(f64, f64)>,
    /// Per item, how many municipalities have its pairs.
    own: Vec<u32>,
    /// Where each municipality's years start, their number last.
    starts: &'s [u32],
}

impl<'s> Years<'s> {
    /// `starts` ends with the number of dual-scored years (at least one
    /// municipality's start before it).
    fn of(items: &[&Prepared], starts: &'s [u32]) -> Self {
        let dual = starts.last().copied().unwrap_or(0);
        let n = items.len();
        let mut cells = vec![(f64::NAN, f64::NAN); dual as usize * n];
        for (i, p) in items.iter().enumerate() {
            for (k, &e) in p.evals.iter().enumerate() {
                // Every pair's year is below `dual` (the last of
                // `Pairs::municipalities`, the number of years `Pairs::of`
                // numbers).
                debug_assert!(e < dual, "pair of year {e} of {dual}");
                if let Some(cell) = cells.get_mut(e as usize * n + i) {
                    *cell = (p.x[k], p.y[k]);
                }
            }
        }
        let mut years = Years {
            items: n,
            cells,
            own: Vec::new(),
            starts,
        };
        let mut own = vec![0; n];
        for u in 0..starts.len().saturating_sub(1) as u32 {
            let cells = years.municipality(u).unwrap_or_default();
            for (i, own) in own.iter_mut().enumerate() {
                *own += u32::from(cells.iter().skip(i).step_by(n).any(|c| !c.0.is_nan()));
            }
        }
        years.own = own;
        years
    }

    /// A replicate begun: no item has taken a municipality yet.
    fn start(&self, s: &mut Scratch) {
        s.drawn.resize_with(self.items, Drawn::default);
        for d in &mut s.drawn {
            d.x.clear();
            d.y.clear();
            d.sums = (-0.0, -0.0);
            d.taken = 0;
        }
    }

    /// Adds to each item, of the municipalities drawn in `s` in the order
    /// drawn, those with its pairs (with their sums) until it has as many
    /// as its own; whether every item has them now.
    fn resample(&self, s: &mut Scratch) -> bool {
        let n = self.items;
        // Items still short of their own number: none left, the rest of
        // the draws would add nothing (a second round is mostly short).
        let mut left = (s.drawn.iter().zip(&self.own))
            .filter(|(d, own)| d.taken < **own)
            .count();
        for (j, &u) in s.draws.iter().enumerate() {
            if left == 0 {
                break;
            }
            if let Some(&ahead) = s.draws.get(j + PREFETCH_AHEAD) {
                self.prefetch(ahead);
            }
            let Some(years) = self.municipality(u) else {
                continue;
            };
            for d in &mut s.drawn {
                d.hit = false;
            }
            for year in years.chunks_exact(n) {
                for ((&(a, b), d), &own) in year.iter().zip(&mut s.drawn).zip(&self.own) {
                    if !a.is_nan() && d.taken < own {
                        d.x.push(a);
                        d.y.push(b);
                        d.sums.0 += a;
                        d.sums.1 += b;
                        d.hit = true;
                    }
                }
            }
            for (d, &own) in s.drawn.iter_mut().zip(&self.own) {
                if d.hit {
                    d.taken += 1;
                    left -= usize::from(d.taken == own);
                }
            }
        }
        left == 0
    }

    /// Municipality `u`'s pairs, year by year, item by item.
    fn municipality(&self, u: u32) -> Option<&[(f64, f64)]> {
        let (first, end) = (
            self.starts.get(u as usize)?,
            self.starts.get(u as usize + 1)?,
        );
        (self.cells).get(*first as usize * self.items..*end as usize * self.items)
    }

    /// Asks the processor to fetch municipality `u`'s pairs into its cache: the
    /// draws are random, the table larger than the caches at 1,000,000
    /// evaluations, and each read waited for memory. Only a hint (no
    /// effect on the figures; nothing elsewhere).
    #[inline]
    fn prefetch(&self, u: u32) {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
            let Some(year) = self.municipality(u) else {
                return;
            };
            let (first, bytes) = (year.as_ptr().cast::<i8>(), std::mem::size_of_val(year));
            for offset in (0..bytes).step_by(64) {
                // SAFETY: a prefetch reads nothing and cannot fault; the
                // addresses are within `year` anyway.
                unsafe { _mm_prefetch::<_MM_HINT_T0>(first.wrapping_add(offset)) };
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = u;
    }
}

/// How many draws ahead a year's pairs are fetched: enough for a read from
/// memory to arrive before its draw is reached.
const PREFETCH_AHEAD: usize = 16;

/// The most rounds of draws a replicate makes: an item of one municipality
/// of N misses it in all of them with probability (1 − 1/N)^(64·N) <
/// e⁻⁶⁴, so this bounds the loop without changing any figure.
const MAX_ROUNDS: usize = 64;

/// A thread's memory for the replicates it makes.
#[derive(Default)]
struct Scratch {
    draws: Vec<u32>,
    /// Per item, the pairs drawn.
    drawn: Vec<Drawn>,
}

/// One item's pairs in one replicate, with the sums of their x and y.
#[derive(Default)]
struct Drawn {
    x: Vec<f64>,
    y: Vec<f64>,
    sums: (f64, f64),
    /// How many drawn municipalities it has taken.
    taken: u32,
    /// Whether it took the municipality drawn last (which has its pairs,
    /// and the item was still short of its own number).
    hit: bool,
}

/// The replicate of link `p` for its pairs drawn, `d`.
///
/// The mean and linear links' sums are taken while the pairs are drawn
/// (in the same order as [`fit`] takes them: the same figures).
fn replicate(p: &Prepared, d: &Drawn) -> Replicate {
    let method = p.method();
    // Two pairs fit a line; one a mean link.
    let enough = d.x.len() >= 2 || (method == Method::Mean && !d.x.is_empty());
    if !enough {
        return None;
    }
    let (rf, rt) = p.ranges;
    let f = match method {
        Method::Mean | Method::Linear => line(method, mean_sd_pair_of_sums(&d.x, &d.y, d.sums))?,
        _ => fit(method, &d.x, &d.y, rf, rt)?,
    };
    Some((f.line(), p.grid.iter().map(|g| f.apply(*g)).collect()))
}
