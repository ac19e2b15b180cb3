//! Where each municipality stands: on its latest evaluation per scale and
//! item, its rank and percentile rank in its country and in its 2017
//! municipality group, its difference to the national mean; and the three
//! best municipalities per item ("role models").
//!
//! Rank: 1 = best, ties share the best rank of the tie (1 + number scoring
//! higher). Percentile rank: 100 × (number scoring lower + half the number
//! tied, itself excluded) / (n − 1); empty when n = 1.

use std::path::Path;

use crate::analysis::frame::{Frame, Point};
use crate::error::Result;
use crate::io::CsvOut;
use crate::io::Written;
use crate::io::dialect::{OutputDialect, STAT_DECIMALS};
use crate::io::{Kind, RowOut};
use crate::reference::instrument::{Instruments, ItemKind};

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

/// Where a point stands, kept compact: there is one per item of every
/// municipality's latest evaluation (tens of millions at scale), so a
/// missing percentile is NaN (8 bytes) rather than an `Option` (16).
#[derive(Debug, Clone, Copy)]
struct Standing {
    national_mean: f64,
    percentile: f64,
    group_percentile: f64,
    group_mean: f64,
    rank: u32,
    n: u32,
    /// 0: no group.
    group_rank: u32,
    group_n: u32,
}

impl Standing {
    /// Before ranking: no percentiles, no group.
    const UNRANKED: Standing = Standing {
        national_mean: f64::NAN,
        percentile: f64::NAN,
        group_percentile: f64::NAN,
        group_mean: f64::NAN,
        rank: 0,
        n: 0,
        group_rank: 0,
        group_n: 0,
    };
}

/// A stored percentile: NaN is none.
fn present(x: f64) -> Option<f64> {
    (!x.is_nan()).then_some(x)
}

/// Every latest point with where it stands, and the output order (by
/// country, code, scale and item).
#[derive(Debug, Default)]
pub struct Benchmarks {
    points: Vec<Point>,
    standing: Vec<Standing>,
    order: Vec<u32>,
}

impl Benchmarks {
    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    fn get(&self, i: u32) -> Benchmark {
        let (p, s) = (self.points[i as usize], self.standing[i as usize]);
        let group = (s.group_n > 0).then_some(());
        Benchmark {
            point: p,
            national_mean: s.national_mean,
            rank: s.rank as usize,
            n: s.n as usize,
            percentile: present(s.percentile),
            group_mean: group.map(|_| s.group_mean),
            group_rank: group.map(|_| s.group_rank as usize),
            group_n: group.map(|_| s.group_n as usize),
            group_percentile: present(s.group_percentile),
        }
    }

    /// Every benchmark, in output order.
    pub fn iter(&self) -> impl Iterator<Item = Benchmark> + '_ {
        self.order.iter().map(|&i| self.get(i))
    }

    /// The benchmarks the report shows (areas and totals, not
    /// sub-questions), in output order.
    pub fn areas_and_totals(&self, f: &Frame, instruments: &Instruments) -> Vec<Benchmark> {
        self.order
            .iter()
            .filter(|&&i| {
                let p = &self.points[i as usize];
                instruments
                    .get(f.scales[p.scale as usize].instrument)
                    .get(p.item)
                    .kind
                    != ItemKind::Question
            })
            .map(|&i| self.get(i))
            .collect()
    }
}

/// How many strongest and weakest sub-questions the report names.
pub const EXTREMES: usize = 3;

/// Per municipality and native scale (latest evaluation), up to
/// [`EXTREMES`] strongest sub-questions (above the national average, in
/// percent of max; strongest first) and up to as many weakest (below it;
/// weakest first), never the same question twice. Kept apart from the
/// benchmarks so that these can be freed.
pub fn extremes(bench: &Benchmarks, f: &Frame, instruments: &Instruments) -> Vec<Benchmark> {
    let question = |p: &Point| {
        let scale = &f.scales[p.scale as usize];
        !scale.is_linked()
            && instruments.get(scale.instrument).get(p.item).kind == ItemKind::Question
    };
    let relative = |b: &Benchmark| {
        let max = instruments
            .get(f.scales[b.point.scale as usize].instrument)
            .get(b.point.item)
            .max;
        (b.point.value - b.national_mean) / max
    };
    let ordered: Vec<u32> = (bench.order.iter().copied())
        .filter(|&i| question(&bench.points[i as usize]))
        .collect();
    let key = |i: &u32| {
        let p = &bench.points[*i as usize];
        (p.muni, p.scale)
    };
    let mut out = Vec::new();
    for run in ordered.chunk_by(|a, b| key(a) == key(b)) {
        let mut group: Vec<Benchmark> = run.iter().map(|&i| bench.get(i)).collect();
        // Stable: ties stay in item order.
        group.sort_by(|a, b| relative(b).total_cmp(&relative(a)));
        let k = EXTREMES.min(group.len() / 2);
        let strong = group.iter().take(k).filter(|b| relative(b) > 0.0);
        let weak = group.iter().rev().take(k).filter(|b| relative(b) < 0.0);
        out.extend(strong.chain(weak).cloned());
    }
    out
}

/// Rank and percentile rank of `x` among `sorted` (ascending, including x).
pub fn position(x: f64, sorted: &[f64]) -> (usize, Option<f64>) {
    let lower = sorted.partition_point(|v| *v < x);
    let upto = sorted.partition_point(|v| *v <= x);
    let n = sorted.len();
    let higher = n - upto;
    let tied = (upto - lower).saturating_sub(1);
    let pct = (n > 1).then(|| 100.0 * (lower as f64 + tied as f64 / 2.0) / (n - 1) as f64);
    (higher + 1, pct)
}

/// Municipalities a group needs for a group percentile.
pub const MIN_GROUP_FOR_PERCENTILE: usize = 5;

/// Role models per country, scale and item: the municipalities ranked 1 to
/// this (every one tied at the cut included).
pub const ROLE_MODELS: usize = 3;

/// Ranks every point among the points with the same key (`None`: not
/// ranked): sorts once by key and value, then walks each group.
fn rank_within<K: Ord + Copy>(
    points: &[Point],
    key: impl Fn(&Point) -> Option<K>,
    mut put: impl FnMut(usize, f64, usize, (usize, Option<f64>)),
) {
    let mut order: Vec<(K, f64, u32)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| key(p).map(|k| (k, p.value, i as u32)))
        .collect();
    order.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut values: Vec<f64> = Vec::new();
    for group in order.chunk_by(|a, b| a.0 == b.0) {
        values.clear();
        values.extend(group.iter().map(|g| g.1));
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        for &(_, v, i) in group {
            put(i as usize, mean, values.len(), position(v, &values));
        }
    }
}

pub fn benchmarks(f: &Frame) -> Benchmarks {
    let points = f.latest_points();
    let codes = &f.codes;
    let mut standing = vec![Standing::UNRANKED; points.len()];
    rank_within(
        &points,
        |p| Some((p.scale, codes.country[p.muni as usize], p.item)),
        |i, mean, n, (rank, pct)| {
            let s = &mut standing[i];
            (s.national_mean, s.n, s.rank) = (mean, n as u32, rank as u32);
            s.percentile = pct.unwrap_or(f64::NAN);
        },
    );
    rank_within(
        &points,
        |p| {
            codes.group_2017[p.muni as usize]
                .map(|g| (p.scale, codes.country[p.muni as usize], p.item, g))
        },
        |i, mean, n, (rank, pct)| {
            let s = &mut standing[i];
            // A percentile among fewer than 5 says little: left empty.
            let pct = pct.filter(|_| n >= MIN_GROUP_FOR_PERCENTILE);
            (s.group_n, s.group_rank) = (n as u32, rank as u32);
            s.group_percentile = pct.unwrap_or(f64::NAN);
            s.group_mean = mean;
        },
    );
    // Municipality indices are in (country, code) order.
    let mut order: Vec<u32> = (0..points.len() as u32).collect();
    order.sort_unstable_by_key(|&i| {
        let p = &points[i as usize];
        (p.muni, p.scale, p.item)
    });
    Benchmarks {
        points,
        standing,
        order,
    }
}

/// The three best municipalities per country, native scale and item (areas
/// and sub-questions), on their latest evaluation; ties by code.
pub fn role_models(
    f: &Frame,
    bench: &Benchmarks,
    instruments: &Instruments,
) -> Vec<(usize, Point)> {
    let codes = &f.codes;
    let mut candidates: Vec<Point> = bench
        .points
        .iter()
        .copied()
        .filter(|p| {
            let scale = &f.scales[p.scale as usize];
            let kind = instruments.get(scale.instrument).get(p.item).kind;
            !scale.is_linked() && kind != ItemKind::Total
        })
        .collect();
    let group = |p: &Point| (codes.country[p.muni as usize], p.scale, p.item);
    // Within a country, municipality index order is code order.
    candidates.sort_unstable_by(|a, b| {
        group(a)
            .cmp(&group(b))
            .then(b.value.total_cmp(&a.value))
            .then(a.muni.cmp(&b.muni))
    });
    // Positions are competition ranks (ties share the best); everyone with
    // a position up to ROLE_MODELS is listed, so a tie at the cut is not
    // broken by code.
    let mut out = Vec::new();
    for g in candidates.chunk_by(|a, b| group(a) == group(b)) {
        let mut position = 0;
        for (i, p) in g.iter().enumerate() {
            if i == 0 || p.value != g[i - 1].value {
                position = i + 1;
            }
            if position > ROLE_MODELS {
                break;
            }
            out.push((position, *p));
        }
    }
    out
}

/// Writes `benchmarks.csv` and `role_models.csv`.
pub fn write(
    dir: &Path,
    dialect: OutputDialect,
    f: &Frame,
    rows: &Benchmarks,
    models: &[(usize, Point)],
    instruments: &Instruments,
) -> Result<Vec<Written>> {
    Ok(vec![
        benchmarks_csv(dir, dialect, f, rows, instruments)?,
        role_models_csv(dir, dialect, f, models, instruments)?,
    ])
}

/// `benchmarks.csv`: every benchmark, in output order.
fn benchmarks_csv(
    dir: &Path,
    dialect: OutputDialect,
    f: &Frame,
    rows: &Benchmarks,
    instruments: &Instruments,
) -> Result<Written> {
    let mut out = RowOut::create(
        dir,
        "benchmarks",
        dialect.rows,
        dialect,
        &[
            ("country", Kind::Text),
            ("municipality_code", Kind::Text),
            ("municipality", Kind::Text),
            ("scale", Kind::Text),
            ("item", Kind::Text),
            ("eval_year", Kind::Int),
            ("score", Kind::Num),
            ("score_se", Kind::Num),
            ("national_mean", Kind::Num),
            ("diff_to_mean", Kind::Num),
            ("rank", Kind::Int),
            ("n", Kind::Int),
            ("percentile", Kind::Num),
            ("kommungrupp2017", Kind::Text),
            ("group_mean", Kind::Num),
            ("group_rank", Kind::Int),
            ("group_n", Kind::Int),
            ("group_percentile", Kind::Num),
        ],
    )?;
    for b in rows.iter() {
        let p = &b.point;
        let m = &f.munis[p.muni as usize];
        let item = &instruments
            .get(f.scales[p.scale as usize].instrument)
            .get(p.item)
            .id;
        let d = STAT_DECIMALS;
        out.text(&m.country)?;
        out.text(&m.code)?;
        out.text(&m.name)?;
        out.text(&f.scales[p.scale as usize].label)?;
        out.text(item)?;
        out.int(u64::from(p.year))?;
        out.num(p.value, d)?;
        out.opt_num(p.se(), d)?;
        out.num(b.national_mean, d)?;
        out.num(p.value - b.national_mean, d)?;
        out.int(b.rank as u64)?;
        out.int(b.n as u64)?;
        out.opt_num(b.percentile, d)?;
        out.text(m.group_2017.as_deref().unwrap_or(""))?;
        out.opt_num(b.group_mean, d)?;
        out.opt_int(b.group_rank.map(|v| v as u64))?;
        out.opt_int(b.group_n.map(|v| v as u64))?;
        out.opt_num(b.group_percentile, d)?;
        out.end()?;
    }
    out.finish()
}

/// `role_models.csv`.
fn role_models_csv(
    dir: &Path,
    dialect: OutputDialect,
    f: &Frame,
    models: &[(usize, Point)],
    instruments: &Instruments,
) -> Result<Written> {
    let num = |x: f64| dialect.num(x, STAT_DECIMALS);
    let item_id = |p: &Point| {
        instruments
            .get(f.scales[p.scale as usize].instrument)
            .get(p.item)
            .id
            .clone()
    };
    let mut out = CsvOut::create(
        dir,
        "role_models.csv",
        dialect,
        &[
            "country",
            "scale",
            "item",
            "position",
            "municipality_code",
            "municipality",
            "eval_year",
            "score",
        ],
    )?;
    for (pos, p) in models {
        let m = &f.munis[p.muni as usize];
        out.row([
            m.country.clone(),
            f.scales[p.scale as usize].label.clone(),
            item_id(p),
            pos.to_string(),
            m.code.clone(),
            m.name.clone(),
            p.year.to_string(),
            num(p.value),
        ])?;
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::position;

    #[test]
    fn ranks_with_ties_by_hand() {
        let v = [40.0, 50.0, 60.0, 60.0, 70.0];
        // 60: one higher -> rank 2; lower 2 (50, 40), one other tie -> (2 + 0.5) / 4.
        assert_eq!(position(60.0, &v), (2, Some(62.5)));
        assert_eq!(position(70.0, &v), (1, Some(100.0)));
        assert_eq!(position(40.0, &v), (5, Some(0.0)));
        assert_eq!(position(5.0, &[5.0]), (1, None));
    }
}
