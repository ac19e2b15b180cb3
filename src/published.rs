//! Published average profiles (`data/published/averages.csv`): checks that
//! they are consistent with themselves, and compares them with ours.
//!
//! Columns: `source, published_year, country, scale, basis, item, mean, n`.
//! A published profile's area means should add up to its total mean within
//! rounding (half a point per figure); each published mean is compared with
//! our mean of the same country and scale over the evaluations up to the
//! publication year, each municipality's latest (an `info` finding).

use std::collections::BTreeMap;
use std::path::Path;

use crate::aggregate::frame::{Frame, LINKED};
use crate::dialect::{Decimal, parse_number};
use crate::error::{Error, Result};
use crate::instrument::Instruments;
use crate::rules::{Context, Finding, Rule};

struct Row {
    line: u32,
    source: String,
    year: u16,
    country: String,
    scale: String,
    item: String,
    mean: f64,
}

fn read(path: &Path) -> Result<Vec<Row>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let text = text.trim_start_matches('\u{feff}');
    let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| Error::input(path, e.to_string()))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| Error::input(path, format!("published averages need a '{name}' column")))
    };
    let (src, yr, ct, sc, it, mn) = (
        col("source")?,
        col("published_year")?,
        col("country")?,
        col("scale")?,
        col("item")?,
        col("mean")?,
    );
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i as u32 + 2;
        let rec = rec.map_err(|e| Error::input(path, format!("line {line}: {e}")))?;
        let get = |c: usize| rec.get(c).unwrap_or("").trim().to_string();
        let bad = |what: &str| Error::input(path, format!("line {line}: {what}"));
        rows.push(Row {
            line,
            source: get(src),
            year: get(yr)
                .parse()
                .map_err(|_| bad("published_year is not a year"))?,
            country: get(ct).to_uppercase(),
            scale: get(sc),
            item: get(it),
            mean: parse_number(&get(mn), Decimal::Auto)
                .ok_or_else(|| bad("mean is not a number"))?,
        });
    }
    Ok(rows)
}

/// Findings about the published averages in `path` (file index `file`).
pub fn check(path: &Path, file: u32, f: &Frame, instruments: &Instruments) -> Result<Vec<Finding>> {
    let rows = read(path)?;
    let mut out = Vec::new();
    let finding = |rule: Rule, r: &Row, message: String| Finding {
        rule,
        file,
        line: r.line,
        column: "mean".into(),
        value: r.mean.to_string(),
        message,
        context: Context {
            country: r.country.clone(),
            scale: r.scale.clone(),
            year: r.year.to_string(),
            item: r.item.clone(),
            ..Context::default()
        },
    };
    // Internal consistency, per published profile.
    let mut profiles: BTreeMap<(&str, u16, &str, &str), Vec<&Row>> = BTreeMap::new();
    for r in &rows {
        profiles
            .entry((&r.source, r.year, &r.country, &r.scale))
            .or_default()
            .push(r);
    }
    for ((_, _, _, scale_name), profile) in &profiles {
        let Some(scale) = instruments.lookup(scale_name).map(|s| instruments.get(s)) else {
            continue;
        };
        let area = |id: &str| {
            profile
                .iter()
                .find(|r| scale.item(&r.item).map(|i| &scale.get(i).id) == Some(&id.to_string()))
        };
        let areas: Option<Vec<f64>> = scale
            .areas()
            .iter()
            .map(|&a| area(&scale.get(a).id).map(|r| r.mean))
            .collect();
        let total = profile
            .iter()
            .find(|r| scale.item(&r.item) == Some(scale.total()));
        if let (Some(areas), Some(total)) = (areas, total) {
            let sum: f64 = areas.iter().sum();
            let allowed = 0.5 * (areas.len() + 1) as f64;
            if (sum - total.mean).abs() > allowed + 1e-9 {
                out.push(finding(
                    Rule::PublishedInconsistent,
                    total,
                    format!(
                        "published area averages add up to {sum} but the published total is {} (difference {}; rounding allows {allowed})",
                        total.mean,
                        total.mean - sum
                    ),
                ));
            }
        }
    }
    // Ours over the same country, scale and period: latest per municipality
    // among evaluations up to the publication year.
    for r in &rows {
        let Some(target) = instruments.lookup(&r.scale) else {
            continue;
        };
        let Some(fs) = f
            .scales
            .iter()
            .position(|s| s.instrument == target && s.label != LINKED)
        else {
            continue;
        };
        let scale = instruments.get(f.scales[fs].instrument);
        let Some(item) = scale.item(&r.item) else {
            continue;
        };
        let mut latest: BTreeMap<usize, (u16, f64)> = BTreeMap::new();
        for p in f.scale_points(fs) {
            if p.item == item && p.year <= r.year && f.munis[p.muni as usize].country == r.country {
                let e = latest.entry(p.muni as usize).or_insert((p.year, p.value));
                if p.year >= e.0 {
                    *e = (p.year, p.value);
                }
            }
        }
        if latest.is_empty() {
            continue;
        }
        let n = latest.len();
        let ours = latest.values().map(|v| v.1).sum::<f64>() / n as f64;
        out.push(finding(
            Rule::PublishedDifference,
            r,
            format!(
                "published mean of item {} is {} ({}, {}); ours is {:.2} (n = {n}, latest per municipality up to {}): difference {:+.2}",
                r.item, r.mean, r.source, r.year, ours, r.year, ours - r.mean
            ),
        ));
    }
    Ok(out)
}
