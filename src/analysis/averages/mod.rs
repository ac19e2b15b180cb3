//! Average profiles: per scale, grouping, group and item, the distribution of
//! scores across evaluations (n, mean, SD, quartiles, min, max and the
//! population-weighted mean), computed with one counting sort per grouping.
//!
//! Basis `latest` counts each municipality's most recent evaluation on the
//! scale, `all` every evaluation. An item's statistics count only the
//! evaluations that have it, so `n` differs between items of a partial data
//! set and area means need not add up to the total mean.

mod difference;
mod write;

use std::collections::BTreeMap;
use std::ops::Range;

use clap::ValueEnum;

use crate::analysis::frame::{BANDS, Frame, GroupCodes, Point, ScaleKind};
use crate::analysis::grouped::{Grouped, KeySpace, Present};
use crate::analysis::link_error;
use crate::error::Result;
use crate::linking::Linking;
use crate::stats::interval::{Errors, half_widths};
use crate::stats::quartiles::Quartiles;
use crate::stats::sum::Sum;
use rayon::prelude::*;

pub use difference::Difference;
use difference::differences;
pub use write::write;

/// Which evaluations a summary counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum, Default)]
pub enum Basis {
    /// Each municipality's most recent evaluation on the scale.
    #[default]
    Latest,
    /// Every evaluation.
    All,
}

impl Basis {
    /// Whether the averages of `grouping` on this basis have a 95 %
    /// interval: not with every evaluation in a grouping that may hold a
    /// municipality more than once (every one but `eval_year`), whose
    /// evaluations are not independent draws (sd / √n would make the
    /// interval too narrow).
    pub fn has_intervals(self, grouping: Grouping) -> bool {
        self == Basis::Latest || grouping == Grouping::EvalYear
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Latest => "latest",
            Basis::All => "all",
        }
    }
}

/// How municipalities are grouped for an average, in output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grouping {
    /// Per country.
    National,
    /// SKL's 2011 municipality groups (Swedish municipalities).
    Kommungrupp2011,
    /// SKR's 2017 municipality groups.
    Kommungrupp2017,
    /// Per country and evaluation year (`SE 2012`).
    EvalYear,
    /// Per population band (Swedish municipalities).
    PopulationBand,
}

impl Grouping {
    /// Every grouping, in output order.
    pub const ALL: [Grouping; 5] = [
        Grouping::National,
        Grouping::Kommungrupp2011,
        Grouping::Kommungrupp2017,
        Grouping::EvalYear,
        Grouping::PopulationBand,
    ];

    /// The name in `averages.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Grouping::National => "national",
            Grouping::Kommungrupp2011 => "kommungrupp2011",
            Grouping::Kommungrupp2017 => "kommungrupp2017",
            Grouping::EvalYear => "eval_year",
            Grouping::PopulationBand => "population_band",
        }
    }

    /// Whether its groups are of Swedish municipalities only (SKL's and
    /// SKR's groups, the population bands): each is part of Sweden's
    /// average, and compared with it (`group_differences.csv`).
    pub fn is_swedish(self) -> bool {
        matches!(
            self,
            Grouping::Kommungrupp2011 | Grouping::Kommungrupp2017 | Grouping::PopulationBand
        )
    }

    /// The code of the group point `p` belongs to (`None`: in none, as a
    /// Norwegian municipality in the SKL groups).
    pub fn code(self, f: &Frame, p: &Point) -> Option<u32> {
        let m = p.muni as usize;
        match self {
            Grouping::National => Some(f.codes.country[m]),
            Grouping::Kommungrupp2011 => f.codes.group_2011[m],
            Grouping::Kommungrupp2017 => f.codes.group_2017[m],
            Grouping::EvalYear => Some(year_code(&f.codes, p.year, f.codes.country[m])),
            Grouping::PopulationBand => f.codes.band[m],
        }
    }

    /// How many codes a grouping by municipality has (codes are `0..n`);
    /// `None` for the years (with their countries), found in the points.
    fn labels(self, codes: &GroupCodes) -> Option<usize> {
        match self {
            Grouping::National => Some(codes.countries.len()),
            Grouping::Kommungrupp2011 => Some(codes.g2011.len()),
            Grouping::Kommungrupp2017 => Some(codes.g2017.len()),
            Grouping::EvalYear => None,
            Grouping::PopulationBand => Some(BANDS.len()),
        }
    }

    /// The group label of code `code` (see [`GroupCodes`]).
    fn label(self, codes: &GroupCodes, code: u32) -> String {
        let pick = |v: &Vec<String>| v.get(code as usize).cloned().unwrap_or_default();
        match self {
            Grouping::National => pick(&codes.countries),
            Grouping::Kommungrupp2011 => pick(&codes.g2011),
            Grouping::Kommungrupp2017 => pick(&codes.g2017),
            Grouping::EvalYear => {
                let countries = year_countries(codes);
                let country =
                    (codes.countries.get((code % countries) as usize)).map_or("", String::as_str);
                format!("{country} {}", code / countries)
            }
            Grouping::PopulationBand => BANDS
                .get(code as usize)
                .map_or(String::new(), |b| b.0.to_string()),
        }
    }
}

/// How many countries a year's code counts ([`year_code`]; at least 1).
fn year_countries(codes: &GroupCodes) -> u32 {
    (codes.countries.len() as u32).max(1)
}

/// The code of an `eval_year` group: year and country in one number,
/// year first (the groups in year order, a year's countries in label
/// order), with no codes between one year's and the next's.
fn year_code(codes: &GroupCodes, year: u16, country: u32) -> u32 {
    u32::from(year) * year_countries(codes) + country
}

/// One row of `averages.csv`.
#[derive(Debug, Clone)]
pub struct Average {
    pub scale: usize,
    pub grouping: Grouping,
    pub group: String,
    /// The group's code ([`Grouping::code`]).
    pub code: u32,
    pub item: u16,
    pub mean: f64,
    /// n, SD and the linking error of the mean (the linked scale only; see
    /// `analysis::link_error`), with the fewest dual-scored pairs behind
    /// its linked scores.
    pub errors: Errors,
    pub min: f64,
    pub p25: f64,
    pub median: f64,
    pub p75: f64,
    pub max: f64,
    pub mean_pop_weighted: Option<f64>,
    /// The evaluations whose population is known, which
    /// `mean_pop_weighted` rests on (fewer than `n` where the register
    /// lacks some populations).
    pub n_pop_weighted: u64,
    /// The 95 % interval of the mean ([`crate::stats::interval`]: with the
    /// linking error on the linked scale); none for n < 2, values all
    /// equal, where the linking error is unknown, and under `--basis all`
    /// but in `eval_year` groups. Set by [`summarise`].
    pub ci: Option<(f64, f64)>,
}

/// The average rows by (scale, grouping, group, item), for the charts and
/// the report to look rows up (a key's first row, as a search finds it).
pub struct AverageIndex<'a>(BTreeMap<(usize, Grouping, u16), BTreeMap<&'a str, &'a Average>>);

impl<'a> AverageIndex<'a> {
    pub fn new(rows: &'a [Average]) -> Self {
        let mut by: BTreeMap<_, BTreeMap<&'a str, &'a Average>> = BTreeMap::new();
        for a in rows {
            (by.entry((a.scale, a.grouping, a.item)).or_default())
                .entry(a.group.as_str())
                .or_insert(a);
        }
        AverageIndex(by)
    }

    /// The row of `group` in `grouping` for `item` on frame scale `scale`.
    pub fn get(
        &self,
        scale: usize,
        grouping: Grouping,
        group: &str,
        item: u16,
    ) -> Option<&'a Average> {
        self.0.get(&(scale, grouping, item))?.get(group).copied()
    }

    /// The national average of `country`.
    pub fn national(&self, scale: usize, country: &str, item: u16) -> Option<&'a Average> {
        self.get(scale, Grouping::National, country, item)
    }
}

impl Average {
    /// The sampling SE of the mean, sd / √n.
    pub fn se(&self) -> Option<f64> {
        self.errors.se_sampling()
    }

    /// How many values the mean is of.
    pub fn n(&self) -> u64 {
        self.errors.n
    }

    /// Half the width of the mean's 95 % interval, the ± the pages show.
    pub fn half_interval(&self) -> Option<f64> {
        self.ci.map(|(lo, hi)| (hi - lo) / 2.0)
    }
}

/// Every average row with its errors: [`averages`], the linking errors
/// of the linked scale ([`link_error::average_link_errors`]) and then each
/// mean's 95 % interval.
pub fn summarise(f: &Frame, basis: Basis, linking: Option<&Linking>) -> Result<Vec<Average>> {
    Ok(rows_and_terms(f, basis, linking)?.0)
}

/// [`summarise`], and each Swedish group's difference from Sweden
/// ([`differences`]).
pub fn summarise_with_differences(
    f: &Frame,
    basis: Basis,
    linking: Option<&Linking>,
) -> Result<(Vec<Average>, Vec<Difference>)> {
    let (rows, terms) = rows_and_terms(f, basis, linking)?;
    let differences = differences(basis, &rows, &terms, linking);
    Ok((rows, differences))
}

/// The average rows with their errors, and the linked terms their linking
/// errors were found from.
fn rows_and_terms(
    f: &Frame,
    basis: Basis,
    linking: Option<&Linking>,
) -> Result<(Vec<Average>, link_error::GroupTerms)> {
    let mut rows = averages(f, basis)?;
    let terms = link_error::average_link_errors(f, basis, &mut rows, linking);
    intervals(basis, &mut rows);
    Ok((rows, terms))
}

/// Sets every row's 95 % interval, where its basis and grouping give one
/// ([`Basis::has_intervals`]).
fn intervals(basis: Basis, rows: &mut [Average]) {
    let errors: Vec<Errors> = rows.iter().map(|r| r.errors).collect();
    for (r, half) in rows.iter_mut().zip(half_widths(&errors)) {
        let given = basis.has_intervals(r.grouping);
        r.ci = half.filter(|_| given).map(|h| (r.mean - h, r.mean + h));
    }
}

/// Computes every average row. Per grouping, a counting sort
/// ([`Grouped`]) puts the points in (scale, group, item) order keeping the
/// frame's order (in which the sums are accumulated); each group's values
/// copied once give its quartiles by selection ([`Quartiles`]).
pub fn averages(f: &Frame, basis: Basis) -> Result<Vec<Average>> {
    let members: Vec<u32> = match basis {
        Basis::All => (0..f.points.len() as u32).collect(),
        Basis::Latest => f.latest_indices(),
    };
    let items = members
        .iter()
        .map(|&i| usize::from(f.points[i as usize].item) + 1)
        .max()
        .unwrap_or(0);
    let population: Vec<Option<f64>> = f.munis.iter().map(|m| m.population).collect();
    // The groupings side by side (each also takes its groups on all cores).
    let per_grouping: Vec<Result<Vec<Average>>> = Grouping::ALL
        .par_iter()
        .map(|&g| grouping_rows(f, g, &members, items, &population))
        .collect();
    // The first grouping's error, whichever thread met it first.
    let mut rows = Vec::new();
    for r in per_grouping {
        rows.extend(r?);
    }
    // In output order: scale, grouping, group, item.
    rows.sort_unstable_by_key(|r| (r.scale, r.grouping, r.code, r.item));
    Ok(rows)
}

/// The average rows of one grouping: `members` are the points counted
/// (frame order).
fn grouping_rows(
    f: &Frame,
    grouping: Grouping,
    members: &[u32],
    items: usize,
    population: &[Option<f64>],
) -> Result<Vec<Average>> {
    let coded = |i: u32| grouping.code(f, &f.points[i as usize]);
    // All of a municipality grouping's codes (no pass over the points:
    // keys of groups without points are skipped, and the keys' order is
    // the codes' either way); the years the points have, numbered.
    let years = (grouping.labels(&f.codes).is_none())
        .then(|| Present::of(members.iter().filter_map(|&i| coded(i))));
    let code = |i: u32| coded(i).map(|c| years.as_ref().map_or(c, |y| y.number(c)));
    let range = match grouping.labels(&f.codes) {
        Some(0) => (u32::MAX, 0),
        Some(n) => (0, n as u32 - 1),
        None => years.as_ref().map_or((u32::MAX, 0), Present::range),
    };
    let space = KeySpace::new(f.scales.len(), range, items);
    let key = |i: u32| {
        let p = &f.points[i as usize];
        code(i).map(|c| space.key(p.scale, c, p.item))
    };
    let grouped = Grouped::count(members.iter().map(|&i| key(i)), space.len())?;
    let in_order = grouped.place(members.iter().map(|&i| (i, key(i))));
    // The groups on all cores; each copies its values once for the
    // quartiles (found by selection, not by sorting the group).
    let groups: Vec<(usize, Range<usize>)> = grouped.groups().collect();
    let rows = (groups.into_par_iter())
        .map_init(Buffers::default, |buf, (key, run)| {
            let (scale, number, item) = space.parts(key);
            let code = years.as_ref().map_or(number, |y| y.code(number));
            let group = &in_order[run];
            // Each point read once: its value and its municipality's
            // population.
            buf.points.clear();
            buf.points.extend(group.iter().map(|&i| {
                let p = &f.points[i as usize];
                (p.value, population[p.muni as usize])
            }));
            let stats = Stats::of(&buf.points);
            buf.values.clear();
            buf.values.extend(buf.points.iter().map(|p| p.0));
            let q = Quartiles::of(&mut buf.values);
            Average {
                scale,
                grouping,
                group: grouping.label(&f.codes, code),
                code,
                item,
                mean: stats.mean,
                errors: Errors {
                    n: group.len() as u64,
                    sd: stats.sd,
                    linked: f.scales[scale].kind == ScaleKind::Linked,
                    se_link: None,
                    link_municipalities: None,
                    link_df: None,
                },
                min: q.min,
                p25: q.p25,
                median: q.median,
                p75: q.p75,
                max: q.max,
                mean_pop_weighted: stats.weighted,
                n_pop_weighted: stats.weighted_n,
                ci: None,
            }
        })
        .collect();
    Ok(rows)
}

/// A group's points as read (value and population), and their values to
/// reorder for the quartiles; reused from group to group.
#[derive(Default)]
struct Buffers {
    points: Vec<(f64, Option<f64>)>,
    values: Vec<f64>,
}

/// A group's mean, SD and population-weighted mean: the sums by
/// [`Sum`] (the mean the same float in whatever order its values come, as
/// `benchmarks.csv` and `year_totals.csv` take it), the variance by
/// Welford's method in the group's point order.
struct Stats {
    mean: f64,
    sd: Option<f64>,
    weighted: Option<f64>,
    /// The values with a population, which `weighted` rests on.
    weighted_n: u64,
}

impl Stats {
    /// The statistics of a group's (value, population) pairs, in frame
    /// order (not empty).
    fn of(group: &[(f64, Option<f64>)]) -> Stats {
        let (mut sum, mut weighted, mut pop) = (Sum::default(), Sum::default(), Sum::default());
        let (mut mean, mut m2, mut weighted_n) = (0.0, 0.0, 0);
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for (k, &(v, population)) in group.iter().enumerate() {
            sum.add(v);
            (lo, hi) = (lo.min(v), hi.max(v));
            let delta = v - mean;
            let next = delta / (k + 1) as f64 + mean;
            m2 += delta * (v - next);
            mean = next;
            // A population of 0 (the register allows it) is no weight:
            // counted, it made n_pop_weighted 2 beside an empty mean.
            if let Some(w) = population.filter(|w| *w > 0.0) {
                weighted.add(v * w);
                pop.add(w);
                weighted_n += 1;
            }
        }
        let n = group.len();
        let weighted = weighted.value() / pop.value();
        Stats {
            // One value: itself, −0 too ([`Sum`] starts at −0; the running
            // mean would turn −0 into 0).
            mean: sum.mean(n),
            // Equal values but for float noise (a total given and the
            // same summed from its areas) have SD 0: no interval.
            sd: (n > 1)
                .then(|| crate::stats::sd_beyond_noise((m2 / (n - 1) as f64).sqrt(), hi - lo)),
            weighted: weighted.is_finite().then_some(weighted),
            weighted_n,
        }
    }
}
