//! The mean total of each evaluation year, per country and native scale,
//! over every evaluation of that year (not the latest-basis averages of
//! `averages.csv`), with a 95 % interval from the year's spread: what the
//! report's trend chart of each country draws, written to
//! `year_totals.csv`.

use std::collections::BTreeMap;

use super::frame::Frame;
use crate::reference::instrument::Instruments;
use crate::stats::interval::Errors;
use crate::stats::sd_about;
use crate::stats::sum::Sum;

/// One year's mean total on one scale.
#[derive(Debug, Clone, PartialEq)]
pub struct YearTotal {
    pub year: u16,
    pub mean: f64,
    /// None for a single evaluation or equal ones (no spread to estimate
    /// it from), not a zero-width interval.
    pub interval: Option<(f64, f64)>,
    pub n: u64,
}

mod write;

pub use write::write;

/// Per country, per native frame scale, the years' mean totals in year
/// order.
pub type ByCountry<'f> = BTreeMap<&'f str, BTreeMap<usize, Vec<YearTotal>>>;

/// The years' mean totals of every country and native scale.
pub fn year_totals<'f>(f: &'f Frame, instruments: &Instruments) -> ByCountry<'f> {
    let mut by: BTreeMap<&str, BTreeMap<usize, BTreeMap<u16, Vec<f64>>>> = BTreeMap::new();
    for s in f.native_scales() {
        let total = instruments.get(f.scales[s].instrument).total();
        for p in f.scale_points(s).iter().filter(|p| p.item == total) {
            by.entry(&f.munis[p.muni as usize].country)
                .or_default()
                .entry(s)
                .or_default()
                .entry(p.year)
                .or_default()
                .push(p.value);
        }
    }
    let of_years = |years: BTreeMap<u16, Vec<f64>>| -> Vec<YearTotal> {
        (years.into_iter())
            .map(|(year, v)| year_total(year, &v))
            .collect()
    };
    (by.into_iter())
        .map(|(c, scales)| {
            (
                c,
                scales.into_iter().map(|(s, y)| (s, of_years(y))).collect(),
            )
        })
        .collect()
}

/// The mean of a year's totals `v`, with its 95 % interval: none for
/// equal totals (three of 400.1 sum to a mean of 400.1000000000001, whose
/// SD of 7e-14 gave an interval of no width; so did 381.6 beside the
/// same total summed from its areas, 381.59999999999997).
fn year_total(year: u16, v: &[f64]) -> YearTotal {
    let n = v.len() as u64;
    // The mean as the averages take it ([`Sum`]: `averages.csv`'s
    // `eval_year` rows under `--basis all` hold the same figure).
    let mean = Sum::of(v.iter().copied()).mean(v.len());
    let sd = sd_about(v, mean);
    let (lo, hi) = v
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
            (lo.min(*x), hi.max(*x))
        });
    let sd = crate::stats::sd_beyond_noise(sd, hi - lo);
    let interval =
        (Errors::native(n, sd).half_width_alone()).map(|half| (mean - half, mean + half));
    YearTotal {
        year,
        mean,
        interval,
        n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A year's mean and interval by hand: 500, 520, 540 → mean 520, SD
    /// 20, ± t(0.975, 2) · 20 / √3 = 4.302653 · 11.547005 = 49.6828.
    #[test]
    fn a_years_mean_and_interval_by_hand() {
        let t = year_total(2010, &[500.0, 520.0, 540.0]);
        assert_eq!((t.year, t.mean, t.n), (2010, 520.0, 3));
        let (lo, hi) = t.interval.expect("an interval");
        assert!((hi - 520.0 - 49.6828).abs() < 1e-3 && (520.0 - lo - 49.6828).abs() < 1e-3);
        assert_eq!(year_total(2012, &[600.0]).interval, None);
        assert_eq!(year_total(2012, &[600.0, 600.0]).interval, None);
    }
}
