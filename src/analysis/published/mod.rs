//! Published average profiles (`data/published/averages.csv`): checks that
//! they are consistent with themselves, and compares them with ours.
//!
//! Columns: `source, published_year, country, scale, basis, item, mean, n`.
//! A published profile's area means should add up to its total mean within
//! rounding (half a point per figure); each published mean is compared with
//! our mean of the same country and scale over the evaluations up to the
//! publication year, each municipality's latest or, with `basis = all`,
//! every one (an `info` finding). A row that cannot be compared, for want
//! of a known scale or item or of any evaluation of ours to compare with,
//! is a `published-unmatched` warning.

mod read;

use std::collections::BTreeMap;

use crate::analysis::averages::Basis;
use crate::analysis::frame::{Frame, Point, latest_per_muni};
use crate::io::dialect::in_message;
use crate::reference::instrument::{Instruments, ItemIx, ScaleIx};
use crate::reference::register::Register;
use crate::stats::NOISE;
use crate::validate::rules::{Context, Finding, Rule};
use crate::validate::{rounding_allowance, within_rounding};

pub use read::{Published, read};
use read::{Row, as_named};

/// A row that names a known scale and item with a mean within the item's
/// range: the row (country, scale and item by their ids where known), with
/// the scale and item as indices, looked up once, its country as the
/// register reads it (`DK` for `Danmark`, known or not), and whether it is
/// compared with ours (its country the register's).
struct Matched {
    row: Row,
    scale: ScaleIx,
    item: ItemIx,
    country: String,
    compared: bool,
}

/// Findings about the published averages (file index `file`): rows that
/// cannot be compared, profiles that do not add up, and each comparable
/// mean beside ours.
pub fn check(
    published: &Published,
    file: u32,
    f: &Frame,
    instruments: &Instruments,
    register: &Register,
) -> Vec<Finding> {
    let (rows, mut out) = comparable(published, file, instruments, register);
    out.extend(inconsistent(&rows, file, instruments));
    out.extend(differences(&rows, file, f, instruments));
    // Each column as the file names it.
    for finding in &mut out {
        finding.column = as_named(&published.names, &finding.column).into();
    }
    out
}

/// The rows that name a known scale and item with a mean within the
/// item's range, the scale and item by their ids (`new` and `1` where a
/// row wrote `ny` and `område 1`: one profile however its rows spell
/// them), compared where their country is known; a `published-unmatched`
/// warning for each row not compared. A profile's consistency is checked
/// over every such row whatever its country: it needs none of our data
/// (a mean out of range is left out of it: its warning says enough).
/// A warning names the column as the file does (`land`, not `country`).
fn comparable(
    published: &Published,
    file: u32,
    instruments: &Instruments,
    register: &Register,
) -> (Vec<Matched>, Vec<Finding>) {
    let countries = register.countries();
    let mut kept = Vec::new();
    let mut out = Vec::new();
    for r in &published.rows {
        let (country, scale_ix, item_ix) = r.looked_up(instruments, register);
        let scale = scale_ix.map(|s| instruments.get(s));
        let item = scale.zip(item_ix).map(|(s, i)| s.get(i));
        // Within float noise, as a score's range is checked.
        let in_range = item.is_some_and(|i| (-NOISE..=i.max + NOISE).contains(&r.mean));
        let found = match (scale_ix.zip(item_ix), item) {
            _ if !countries.contains(&country.as_str()) => {
                let why = format!("not in the register ({})", countries.join(", "));
                Err(("country", r.country.clone(), why))
            }
            (None, _) if scale.is_none() => {
                let why = "not an instrument version or alias".to_string();
                Err(("scale", r.scale.clone(), why))
            }
            (Some(ixs), Some(_)) if in_range => Ok(ixs),
            (Some(_), Some(i)) => {
                let why = format!("outside the item's range, 0 to {}", i.max);
                Err(("mean", r.mean_text.clone(), why))
            }
            _ => {
                let why = "the item does not exist on that scale".to_string();
                Err(("item", r.item.clone(), why))
            }
        };
        let mut named = r.clone();
        if countries.contains(&country.as_str()) {
            named.country.clone_from(&country);
        }
        if let Some(s) = scale {
            named.scale = s.id.clone();
        }
        if let Some(i) = item {
            named.item = i.id.clone();
        }
        if let Some((scale, item)) = scale_ix.zip(item_ix).filter(|_| in_range) {
            kept.push(Matched {
                row: named.clone(),
                scale,
                item,
                country,
                compared: found.is_ok(),
            });
        }
        match found {
            Ok(_) => {}
            Err((column, value, why)) => {
                let named_column = as_named(&published.names, column);
                let message =
                    format!("published row not compared: {named_column} '{value}': {why}");
                out.push(Finding {
                    column: column.into(),
                    value: value.into(),
                    ..finding(Rule::PublishedUnmatched, file, &named, message)
                });
            }
        }
    }
    (kept, out)
}

/// A finding about published row `r` of file `file`.
fn finding(rule: Rule, file: u32, r: &Row, message: String) -> Finding {
    Finding {
        rule,
        file,
        line: r.line,
        column: "mean".into(),
        value: r.mean_text.as_str().into(),
        message,
        context: Context {
            country: r.country.as_str().into(),
            scale: r.scale.as_str().into(),
            year: compact_str::format_compact!("{}", r.year),
            item: r.item.as_str().into(),
            ..Context::default()
        },
    }
}

/// Published profiles whose area means do not add up to their total mean
/// within rounding.
fn inconsistent(rows: &[Matched], file: u32, instruments: &Instruments) -> Vec<Finding> {
    let mut out = Vec::new();
    // A profile: one source's figures of a year, country, scale and basis
    // (a source may publish the latest evaluations' and all of them); the
    // source in any case and the country as the register reads it, as a
    // figure given twice is found.
    let mut profiles: BTreeMap<_, Vec<&Matched>> = BTreeMap::new();
    for m in rows {
        let r = &m.row;
        let key = (
            r.source.to_lowercase(),
            r.year,
            &m.country,
            m.scale,
            r.basis,
        );
        profiles.entry(key).or_default().push(m);
    }
    for profile in profiles.values() {
        let scale = instruments.get(profile[0].scale);
        let of_item = |item: ItemIx| profile.iter().find(|m| m.item == item).map(|m| &m.row);
        let areas: Option<Vec<f64>> = (scale.areas().iter())
            .map(|&a| of_item(a).map(|r| r.mean))
            .collect();
        let total = of_item(scale.total());
        if let (Some(areas), Some(total)) = (areas, total) {
            let sum: f64 = areas.iter().sum();
            let allowed = rounding_allowance(areas.len());
            if !within_rounding(total.mean, sum, areas.len()) {
                out.push(finding(
                    Rule::PublishedInconsistent,
                    file,
                    total,
                    format!(
                        "published area averages add up to {} but the published total is {} \
                         (difference {}; rounding allows {allowed})",
                        in_message(sum),
                        total.mean,
                        in_message(total.mean - sum)
                    ),
                ));
            }
        }
    }
    out
}

/// Each published mean beside ours over the same country, scale, period
/// and basis: among evaluations up to the publication year, each
/// municipality's latest, or every one. A row with nothing of ours to set
/// it beside is a `published-unmatched` warning.
fn differences(rows: &[Matched], file: u32, f: &Frame, instruments: &Instruments) -> Vec<Finding> {
    let mut out = Vec::new();
    // Ours per scale, country, year and basis, each taken once: the rows
    // of one profile share it (a pass over the scale's points per row
    // took half a minute for 2,000 rows at 50,000 evaluations).
    let mut taken: BTreeMap<_, Ours> = BTreeMap::new();
    for Matched {
        row: r,
        scale: target,
        item,
        ..
    } in rows.iter().filter(|m| m.compared)
    {
        let (target, item) = (*target, *item);
        let scale = instruments.get(target);
        let fs = (f.scales.iter()).position(|s| s.instrument == target && !s.is_linked());
        let points = fs.map_or(&[][..], |fs| f.scale_points(fs));
        let key = (target, r.country.as_str(), r.year, r.basis);
        let of = taken
            .entry(key)
            .or_insert_with(|| Ours::of(f, points, &r.country, r.year, r.basis));
        let ours = of.by_item.get(&item).map_or(&[][..], Vec::as_slice);
        let (over, none) = match r.basis {
            Basis::Latest => ("latest per municipality", "no municipality's latest"),
            Basis::All => ("every evaluation", "no"),
        };
        let given_n = r.n.map_or(String::new(), |n| format!("n = {n}, "));
        // Its source, where the row names one (an empty one left `(, 2011)`).
        let source = match r.source.as_str() {
            "" => String::new(),
            s => format!("{s}, "),
        };
        if ours.is_empty() {
            let message = format!(
                "published row not compared: {none} {} evaluation on the {} scale up to {} \
                 has item {}",
                r.country, scale.id, r.year, r.item
            );
            // What is missing: the scale (no evaluation on it at all), the
            // years (none up to the publication's), or the item.
            let (column, value) = if !of.any_of_country {
                ("scale", r.scale.clone())
            } else if !of.any_until {
                ("published_year", r.year.to_string())
            } else {
                ("item", r.item.clone())
            };
            out.push(Finding {
                column: column.into(),
                value: value.into(),
                ..finding(Rule::PublishedUnmatched, file, r, message)
            });
            continue;
        }
        let n = ours.len();
        let mean = ours.iter().sum::<f64>() / n as f64;
        // A difference that rounds to nothing is +0.00, not -0.00.
        let difference = match mean - r.mean {
            d if d.abs() < 0.005 => 0.0,
            d => d,
        };
        out.push(finding(
            Rule::PublishedDifference,
            file,
            r,
            format!(
                "published mean of item {} is {} ({given_n}{source}{}); ours is {:.2} (n = {n}, {over} up to {}): difference {:+.2}",
                // + 0.0: a mean written -0 is 0, as a score is.
                r.item, r.mean + 0.0, r.year, mean, r.year, difference
            ),
        ));
    }
    out
}

/// Our scores of one scale, country, publication year and basis, per item
/// in the order of the scale's points (so that each mean sums them as a
/// pass over the points would).
struct Ours {
    by_item: BTreeMap<ItemIx, Vec<f64>>,
    /// Whether the country has any evaluation on the scale, and any up to
    /// the year: what a row without ours lacks.
    any_of_country: bool,
    any_until: bool,
}

impl Ours {
    fn of(f: &Frame, points: &[Point], country: &str, year: u16, basis: Basis) -> Ours {
        let of_country = |p: &&Point| f.munis[p.muni as usize].country == country;
        let until: Vec<Point> = (points.iter())
            .filter(of_country)
            .filter(|p| p.year <= year)
            .copied()
            .collect();
        let mut by_item: BTreeMap<ItemIx, Vec<f64>> = BTreeMap::new();
        let counted: Box<dyn Iterator<Item = &Point>> = match basis {
            Basis::Latest => Box::new(latest_per_muni(&until)),
            Basis::All => Box::new(until.iter()),
        };
        for p in counted {
            by_item.entry(p.item).or_default().push(p.value);
        }
        Ours {
            by_item,
            any_of_country: points.iter().any(|p| of_country(&p)),
            any_until: !until.is_empty(),
        }
    }
}
