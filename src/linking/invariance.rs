//! Does one link hold in every country? All countries' dual-scored pairs
//! are pooled into one link per item; where two or more countries each have
//! at least [`MIN_PAIRS`] pairs, the link is fitted per country too and
//! compared with the pooled one by the root mean squared difference over
//! the whole score range (population invariance, Dorans & Holland 2000).
//! An equipercentile link is fitted per country only from the pairs the
//! method needs, and compared where that country has pairs: beyond them
//! its link is held at the edge of its data, by construction.

use super::ItemLink;
use super::methods::{EQUIPERCENTILE_MIN_PAIRS, Method, Range, fit};
use crate::reference::instrument::Instruments;
use crate::validate::rules::{Finding, Rule};

/// Pairs a country needs for a link of its own.
pub const MIN_PAIRS: usize = 5;
/// RMSD (points on the target scale) above which a link is not invariant.
pub const MAX_RMSD: f64 = 2.0;
/// How many times the RMSD that sampling alone gives (see
/// [`CountryFit::sampling`]) a country's RMSD must also exceed to be
/// reported: with about ten pairs a country's own link is more than 2
/// points from the pooled one by chance (`link-variant` fired on
/// synthetic data whose link is one in every country: the total in DK,
/// RMSD 5.96 of 11 pairs). Over 20 such sets of 4,000 evaluations (1,002
/// comparisons) RMSD / sampling averaged 0.96; above 2 points 160 were
/// reported by the points alone, 25 at 3 times, 7 at 4: its normal-theory
/// SE from a handful of pairs (an r near 1 from 7) is often too small.
pub const SAMPLING_TIMES: f64 = 4.0;

/// One country's link against the pooled one.
#[derive(Debug, Clone)]
pub struct CountryFit {
    pub country: String,
    pub pairs: usize,
    /// √(mean over the score points of (country link − pooled link)²).
    pub rmsd: f64,
    /// The RMSD sampling alone gives where the link is one in every
    /// country: √(mean over the same points of SE²·(1 − n/N)), SE the
    /// normal-theory SE of a link of the country's n pairs (Kolen &
    /// Brennan 2014, ch. 7: s(y − x)/√n for `mean`, the single-group
    /// formula for `linear`), N the pooled pairs (of which the country's
    /// are a part). None for `equipercentile` (its 100 pairs a country
    /// has are compared on the RMSD alone), and for a linear link where
    /// the country's pairs have no correlation (one score on a scale).
    pub sampling: Option<f64>,
}

impl CountryFit {
    /// Whether the country's link differs from the pooled one by more
    /// than [`MAX_RMSD`] points and than [`SAMPLING_TIMES`] the RMSD of
    /// sampling alone.
    pub fn variant(&self) -> bool {
        self.rmsd > MAX_RMSD && self.sampling.is_none_or(|s| self.rmsd > SAMPLING_TIMES * s)
    }
}

/// [`CountryFit::sampling`] for a `method` link of the pairs `x`, `y` (of
/// `pooled` pairs in all) over the score points `grid`.
fn sampling(method: Method, (x, y): (&[f64], &[f64]), pooled: usize, grid: &[f64]) -> Option<f64> {
    let n = x.len();
    let nested = 1.0 - n as f64 / pooled as f64;
    let mean_sq = match method {
        Method::Mean => {
            let d: Vec<f64> = x.iter().zip(y).map(|(a, b)| b - a).collect();
            crate::stats::mean_sd(&d).1.powi(2) / n as f64
        }
        Method::Linear => {
            let se = super::normal_theory::linear_se(x, y, n, grid)?;
            se.at.iter().map(|s| s * s).sum::<f64>() / se.at.len().max(1) as f64
        }
        Method::Equipercentile | Method::Identity => return None,
    };
    Some((mean_sq * nested.max(0.0)).sqrt())
}

/// The per-country comparison of `link`, whose pairs came from `countries`
/// (in the same order); empty unless two or more countries have enough
/// pairs.
pub fn per_country(link: &ItemLink, countries: &[&str], from: Range, to: Range) -> Vec<CountryFit> {
    let mut names: Vec<&str> = countries.to_vec();
    names.sort_unstable();
    names.dedup();
    let pairs_of = |c: &str| -> (Vec<f64>, Vec<f64>) {
        link.pairs
            .iter()
            .zip(countries)
            .filter(|(_, k)| **k == c)
            .map(|(p, _)| *p)
            .unzip()
    };
    // A country's own link needs what the method needs (an equipercentile
    // link of 11 pairs was fitted, where the pooled one is refused below
    // 100).
    let need = match link.method {
        Method::Equipercentile => EQUIPERCENTILE_MIN_PAIRS,
        _ => MIN_PAIRS,
    };
    let enough: Vec<&str> = names
        .into_iter()
        .filter(|c| pairs_of(c).0.len() >= need)
        .collect();
    if enough.len() < 2 {
        return Vec::new();
    }
    let grid: Vec<f64> = link.concordance.iter().map(|c| c.x).collect();
    enough
        .into_iter()
        .filter_map(|c| {
            let (x, y) = pairs_of(c);
            let own = fit(link.method, &x, &y, from, to)?;
            let (lo, hi) = match link.method {
                Method::Equipercentile => x
                    .iter()
                    .fold((f64::MAX, f64::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v))),
                _ => (f64::MIN, f64::MAX),
            };
            let points = (link.concordance.iter()).filter(|c| (lo..=hi).contains(&c.x));
            let (sq, n) = points.fold((0.0, 0usize), |(sq, n), c| {
                (
                    sq + (own.apply(c.x).clamp(0.0, to.max) - c.linked).powi(2),
                    n + 1,
                )
            });
            (n > 0).then(|| CountryFit {
                country: c.to_string(),
                pairs: x.len(),
                rmsd: (sq / n as f64).sqrt(),
                sampling: sampling(link.method, (&x, &y), link.pairs.len(), &grid),
            })
        })
        .collect()
}

/// One `link-variant` warning per scale whose links differ between
/// countries by more than [`MAX_RMSD`] points.
pub fn variant_links(items: &[ItemLink], instruments: &Instruments, to: u8) -> Vec<Finding> {
    let mut from: Vec<u8> = items.iter().map(|l| l.from).collect();
    from.dedup();
    let mut out = Vec::new();
    for f in from {
        let fs = instruments.get(f);
        let bad: Vec<String> = items
            .iter()
            .filter(|l| l.from == f)
            .flat_map(|l| {
                l.invariance.iter().filter(|c| c.variant()).map(move |c| {
                    let sampling = (c.sampling)
                        .map_or_else(String::new, |s| format!(", {s:.2} from sampling"));
                    format!(
                        "{} in {} (RMSD {:.2}{sampling})",
                        fs.get(l.from_item).id,
                        c.country,
                        c.rmsd
                    )
                })
            })
            .collect();
        if bad.is_empty() {
            continue;
        }
        out.push(super::findings::about_scale(
            Rule::LinkVariant,
            &fs.id,
            format!(
                "{} -> {}: the link differs by country for item(s) {} (more than {MAX_RMSD} points from the pooled link over the score range, and more than {SAMPLING_TIMES} times what sampling alone gives)",
                fs.id,
                instruments.get(to).id,
                bad.join(", ")
            ),
        ));
    }
    out
}
