//! Where each municipality stands: on its latest evaluation per scale and
//! item, its rank and percentile rank in its country and in its 2017
//! municipality group, its difference to the national mean; and the three
//! best municipalities per item ("role models").
//!
//! Rank: 1 = best, ties share the best rank of the tie (1 + number scoring
//! higher). Percentile rank: 100 × (number scoring lower + half the number
//! tied, itself excluded) / (n − 1); empty when n = 1.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::aggregate::frame::{Frame, LINKED, Point};
use crate::dialect::{OutputDialect, STAT_DECIMALS};
use crate::error::Result;
use crate::files::CsvOut;
use crate::instrument::{Instruments, ItemKind};
use crate::output::Written;

/// One municipality's position on one item.
#[derive(Debug, Clone)]
pub struct Benchmark {
    pub point: Point,
    pub national_mean: f64,
    pub rank: usize,
    pub n: usize,
    pub percentile: Option<f64>,
    pub group_rank: Option<usize>,
    pub group_n: Option<usize>,
    pub group_percentile: Option<f64>,
}

/// Each municipality's latest evaluation per frame scale (all its items).
pub fn latest_points(f: &Frame) -> Vec<Point> {
    let munis = f.munis.len();
    let mut latest = vec![0u16; f.scales.len() * munis];
    for p in &f.points {
        let y = &mut latest[p.scale * munis + p.muni];
        *y = (*y).max(p.year);
    }
    f.points
        .iter()
        .filter(|p| latest[p.scale * munis + p.muni] == p.year)
        .copied()
        .collect()
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

/// Small integer codes for the municipalities' countries and 2017 groups,
/// and each municipality's rank in (country, code) order, so that grouping
/// and sorting compare numbers, not strings.
struct Codes {
    country: Vec<u32>,
    group: Vec<Option<u32>>,
    rank: Vec<u32>,
}

impl Codes {
    fn new(f: &Frame) -> Codes {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut code = |s: &str| {
            let n = ids.len() as u32;
            *ids.entry(s.to_string()).or_insert(n)
        };
        let country = f.munis.iter().map(|m| code(&m.country)).collect();
        let group = f
            .munis
            .iter()
            .map(|m| m.group_2017.as_deref().map(&mut code))
            .collect();
        let mut order: Vec<usize> = (0..f.munis.len()).collect();
        order.sort_by(|&a, &b| {
            (&f.munis[a].country, &f.munis[a].code).cmp(&(&f.munis[b].country, &f.munis[b].code))
        });
        let mut rank = vec![0u32; order.len()];
        for (r, m) in order.into_iter().enumerate() {
            rank[m] = r as u32;
        }
        Codes {
            country,
            group,
            rank,
        }
    }
}

pub fn benchmarks(f: &Frame) -> Vec<Benchmark> {
    let points = latest_points(f);
    let codes = Codes::new(f);
    type Key = (usize, u32, u16, Option<u32>);
    let national_key = |p: &Point| -> Key { (p.scale, codes.country[p.muni], p.item, None) };
    let group_key = |p: &Point| -> Option<Key> {
        codes.group[p.muni].map(|g| (p.scale, codes.country[p.muni], p.item, Some(g)))
    };
    let mut values: HashMap<Key, Vec<f64>> = HashMap::new();
    for p in &points {
        values.entry(national_key(p)).or_default().push(p.value);
        if let Some(k) = group_key(p) {
            values.entry(k).or_default().push(p.value);
        }
    }
    for v in values.values_mut() {
        v.sort_by(f64::total_cmp);
    }
    let means: HashMap<Key, f64> = values
        .iter()
        .map(|(k, v)| (*k, v.iter().sum::<f64>() / v.len() as f64))
        .collect();
    let mut out: Vec<Benchmark> = points
        .iter()
        .map(|p| {
            let all = &values[&national_key(p)];
            let (rank, percentile) = position(p.value, all);
            let g = group_key(p).map(|k| {
                let v = &values[&k];
                (position(p.value, v), v.len())
            });
            Benchmark {
                point: *p,
                national_mean: means[&national_key(p)],
                rank,
                n: all.len(),
                percentile,
                group_rank: g.map(|((r, _), _)| r),
                group_n: g.map(|(_, n)| n),
                group_percentile: g.and_then(|((_, pct), _)| pct),
            }
        })
        .collect();
    out.sort_by_key(|b| (codes.rank[b.point.muni], b.point.scale, b.point.item));
    out
}

/// The three best municipalities per country, native scale and item (areas
/// and sub-questions), on their latest evaluation; ties by code.
pub fn role_models(f: &Frame, instruments: &Instruments) -> Vec<(usize, Point)> {
    let mut by: BTreeMap<(&str, usize, u16), Vec<Point>> = BTreeMap::new();
    for p in latest_points(f) {
        let scale = &f.scales[p.scale];
        let kind = instruments.get(scale.instrument).get(p.item).kind;
        if scale.label == LINKED || kind == ItemKind::Total {
            continue;
        }
        by.entry((&f.munis[p.muni].country, p.scale, p.item))
            .or_default()
            .push(p);
    }
    let mut out = Vec::new();
    for (_, mut v) in by {
        v.sort_by(|a, b| {
            b.value
                .total_cmp(&a.value)
                .then_with(|| f.munis[a.muni].code.cmp(&f.munis[b.muni].code))
        });
        out.extend(v.into_iter().take(3).enumerate().map(|(i, p)| (i + 1, p)));
    }
    out
}

/// Writes `benchmarks.csv` and `role_models.csv`.
pub fn write(
    dir: &Path,
    dialect: OutputDialect,
    f: &Frame,
    rows: &[Benchmark],
    models: &[(usize, Point)],
    instruments: &Instruments,
) -> Result<Vec<Written>> {
    let num = |x: f64| dialect.num(x, STAT_DECIMALS);
    let opt = |x: Option<f64>| dialect.opt(x, STAT_DECIMALS);
    let optn = |x: Option<usize>| x.map_or(String::new(), |v| v.to_string());
    let item_id = |p: &Point| {
        instruments
            .get(f.scales[p.scale].instrument)
            .get(p.item)
            .id
            .clone()
    };
    let mut out = CsvOut::create(
        dir,
        "benchmarks.csv",
        dialect,
        &[
            "country",
            "municipality_code",
            "municipality",
            "scale",
            "item",
            "eval_year",
            "score",
            "national_mean",
            "diff_to_mean",
            "rank",
            "n",
            "percentile",
            "kommungrupp2017",
            "group_rank",
            "group_n",
            "group_percentile",
        ],
    )?;
    for b in rows {
        let p = &b.point;
        let m = &f.munis[p.muni];
        // Borrowed text fields: only the numbers are formatted per row.
        let item = &instruments.get(f.scales[p.scale].instrument).get(p.item).id;
        let numbers = [
            p.year.to_string(),
            num(p.value),
            num(b.national_mean),
            num(p.value - b.national_mean),
            b.rank.to_string(),
            b.n.to_string(),
            opt(b.percentile),
            optn(b.group_rank),
            optn(b.group_n),
            opt(b.group_percentile),
        ];
        let [year, score, mean, diff, rank, n, pct, grank, gn, gpct] = &numbers;
        out.row([
            m.country.as_str(),
            m.code.as_str(),
            m.name.as_str(),
            f.scales[p.scale].label.as_str(),
            item.as_str(),
            year,
            score,
            mean,
            diff,
            rank,
            n,
            pct,
            m.group_2017.as_deref().unwrap_or(""),
            grank,
            gn,
            gpct,
        ])?;
    }
    let a = out.finish()?;
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
        let m = &f.munis[p.muni];
        out.row([
            m.country.clone(),
            f.scales[p.scale].label.clone(),
            item_id(p),
            pos.to_string(),
            m.code.clone(),
            m.name.clone(),
            p.year.to_string(),
            num(p.value),
        ])?;
    }
    let b = out.finish()?;
    Ok([a, b]
        .into_iter()
        .map(|(path, rows)| Written { path, rows })
        .collect())
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
