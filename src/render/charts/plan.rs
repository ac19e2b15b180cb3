//! Which charts to draw, built from the analysis: a profile per evaluation
//! and rounds per municipality (unless `--charts summary`), and per country
//! and scale the distribution, trend, sub-question and linking charts.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::lines::{LinkPanel, TrendLine, TrendPoint};
use super::rounds::{LinkError, Round};
use super::{
    ChartId, ChartSet, Distribution, Drawn, Labels, Lang, LinkingChart, Profile, Questions, Rounds,
    TrendChart,
};
use crate::analysis::averages::{Average, Basis, Grouping};
use crate::analysis::frame::Frame;
use crate::error::Result;
use crate::linking::Linking;
use crate::reference::instrument::{Instruments, ItemIx, ItemKind};
use crate::stats::{mean_sd, t_half_width};

/// Everything the charts are drawn from.
pub struct Inputs<'a> {
    pub frame: &'a Frame,
    pub averages: &'a [Average],
    pub basis: Basis,
    pub linking: Option<&'a Linking>,
    pub instruments: &'a Instruments,
    pub lang: Lang,
}

impl Inputs<'_> {
    fn labels(&self) -> Labels {
        Labels { lang: self.lang }
    }

    /// National average rows by (frame scale, country, item).
    fn national(&self) -> BTreeMap<(usize, &str, ItemIx), &Average> {
        self.averages
            .iter()
            .filter(|a| a.grouping == Grouping::National)
            .map(|a| ((a.scale, a.group.as_str(), a.item), a))
            .collect()
    }
}

/// Draws the charts into `dir`; returns the files written.
pub fn draw(dir: &Path, set: ChartSet, inp: &Inputs) -> Result<Drawn> {
    let mut drawn = Drawn::default();
    if set == ChartSet::None {
        return Ok(drawn);
    }
    crate::io::create_dir(dir)?;
    if set == ChartSet::All {
        drawn.render_all(dir, &profiles(inp))?;
        drawn.render_all(dir, &rounds(inp))?;
    }
    drawn.render_all(dir, &distributions(inp))?;
    drawn.render_all(dir, &trends(inp))?;
    drawn.render_all(dir, &questions(inp))?;
    drawn.render_all(dir, &linking(inp))?;
    Ok(drawn)
}

/// A radar per evaluation (municipality and year; the link target scale
/// when the year has it, else its first scale).
pub fn profiles(inp: &Inputs) -> Vec<Profile> {
    let f = inp.frame;
    let national = inp.national();
    let target = inp.linking.map(|l| l.to);
    let mut by: BTreeMap<(usize, u16), BTreeMap<usize, BTreeMap<ItemIx, f64>>> = BTreeMap::new();
    for s in f.native_scales() {
        for p in f.scale_points(s) {
            by.entry((p.muni as usize, p.year))
                .or_default()
                .entry(s)
                .or_default()
                .insert(p.item, p.value);
        }
    }
    let labels = inp.labels();
    let mut out = Vec::new();
    for ((m, year), scales) in by {
        let s = scales
            .keys()
            .copied()
            .find(|s| Some(f.scales[*s].instrument) == target)
            .unwrap_or_else(|| *scales.keys().next().unwrap_or(&0));
        let scale = inp.instruments.get(f.scales[s].instrument);
        let values = &scales[&s];
        let muni = &f.munis[m];
        let areas = scale.areas();
        let pct = |ix: ItemIx, v: f64| 100.0 * v / scale.get(ix).max;
        // The national means of the areas rest on n_lo to n_hi evaluations.
        let (n_lo, n_hi) = areas
            .iter()
            .filter_map(|a| national.get(&(s, muni.country.as_str(), *a)).map(|r| r.n))
            .fold((u64::MAX, 0), |(lo, hi), n| (lo.min(n), hi.max(n)));
        out.push(Profile {
            id: ChartId::Profile {
                country: muni.country.clone(),
                code: muni.code.clone(),
                year,
            },
            title: format!("{} {year} — {}", muni.name, labels.scale_name(scale)),
            caption: labels.caption_between(n_lo.min(n_hi), n_hi, inp.basis == Basis::Latest),
            areas: areas.iter().map(|&a| labels.item_label(scale, a)).collect(),
            values: areas
                .iter()
                .map(|&a| values.get(&a).map(|v| pct(a, *v)))
                .collect(),
            average: areas
                .iter()
                .map(|&a| {
                    national
                        .get(&(s, muni.country.as_str(), a))
                        .map(|r| pct(a, r.mean))
                })
                .collect(),
            who: format!("{} {year}", muni.name),
            labels,
        });
    }
    out
}

/// Grouped bars per municipality: one bar per round, on a scale every round
/// has natively, else on the linked scale.
pub fn rounds(inp: &Inputs) -> Vec<Rounds> {
    let f = inp.frame;
    let labels = inp.labels();
    // muni -> frame scale -> year -> item -> (value, its linking error,
    // native scale).
    type Years = BTreeMap<u16, BTreeMap<ItemIx, (f64, LinkError, u8)>>;
    let half = |p: &crate::analysis::frame::Point| match f.se(p) {
        _ if !p.is_linked() => LinkError::Native,
        Some(se) => LinkError::HalfWidth(crate::linking::interval_half_width(
            inp.linking,
            se,
            [p.link],
        )),
        None => LinkError::Unknown,
    };
    let mut by: BTreeMap<usize, BTreeMap<usize, Years>> = BTreeMap::new();
    for p in &f.points {
        by.entry(p.muni as usize)
            .or_default()
            .entry(usize::from(p.scale))
            .or_default()
            .entry(p.year)
            .or_default()
            .insert(p.item, (p.value, half(p), p.native));
    }
    let linked = f.linked_scale();
    let mut out = Vec::new();
    for (m, scales) in by {
        let years: BTreeSet<u16> = scales
            .iter()
            .filter(|(s, _)| Some(**s) != linked)
            .flat_map(|(_, y)| y.keys().copied())
            .collect();
        let shared = scales
            .iter()
            .find(|(s, y)| Some(**s) != linked && y.len() == years.len())
            .map(|(s, _)| *s);
        let Some(s) = shared.or(linked.filter(|l| scales.contains_key(l))) else {
            continue;
        };
        let scale = inp.instruments.get(f.scales[s].instrument);
        let muni = &f.munis[m];
        let rounds: Vec<Round> = scales[&s]
            .iter()
            .map(|(year, items)| {
                let linked_here = items.values().any(|v| {
                    v.0.is_finite()
                        && Some(v.2) != Some(f.scales[s].instrument)
                        && Some(s) == linked
                });
                Round {
                    label: if linked_here {
                        format!("{year} ({})", labels.pick("länkad", "linked"))
                    } else {
                        year.to_string()
                    },
                    values: scale
                        .areas()
                        .iter()
                        .map(|a| items.get(a).map(|v| (v.0, v.1)))
                        .collect(),
                }
            })
            .collect();
        let scale_text = if Some(s) == linked {
            format!(
                "{} {}",
                labels.pick("länkat till", "linked to"),
                labels.scale_short(scale)
            )
        } else {
            labels.scale_short(scale).to_string()
        };
        let n_rounds = rounds.len() as u64;
        out.push(Rounds {
            id: ChartId::Rounds {
                country: muni.country.clone(),
                code: muni.code.clone(),
            },
            title: format!(
                "{} — {}, {scale_text}",
                muni.name,
                labels.pick("poäng per område och omgång", "points per area and round")
            ),
            caption: format!(
                "{}: kompass, {}",
                labels.pick("Källa", "Source"),
                labels.evaluations(n_rounds)
            ),
            areas: scale
                .areas()
                .iter()
                .map(|a| scale.get(*a).id.clone())
                .collect(),
            rounds,
            y_max: 100.0,
            labels,
        });
    }
    out
}

pub fn distributions(inp: &Inputs) -> Vec<Distribution> {
    let f = inp.frame;
    let labels = inp.labels();
    let mut out = Vec::new();
    let countries: BTreeSet<&str> = f.munis.iter().map(|m| m.country.as_str()).collect();
    for s in f.native_scales() {
        let scale = inp.instruments.get(f.scales[s].instrument);
        for &c in &countries {
            let rows: Vec<&Average> = scale
                .areas()
                .iter()
                .filter_map(|a| {
                    inp.averages.iter().find(|r| {
                        r.scale == s
                            && r.grouping == Grouping::National
                            && r.group == c
                            && r.item == *a
                    })
                })
                .collect();
            if rows.is_empty() {
                continue;
            }
            let n = rows.iter().map(|r| r.n).max().unwrap_or(0);
            out.push(Distribution {
                id: ChartId::Distribution {
                    country: c.to_string(),
                    scale: f.scales[s].label.clone(),
                },
                title: format!(
                    "{c} — {}, {} ({})",
                    labels.pick("poäng per område", "points per area"),
                    labels.scale_short(scale),
                    labels.evaluations(n)
                ),
                caption: labels.caption(n, inp.basis == Basis::Latest),
                areas: rows
                    .iter()
                    .map(|r| {
                        (
                            scale.get(r.item).id.clone(),
                            [r.min, r.p25, r.median, r.p75, r.max, r.mean],
                            r.n,
                        )
                    })
                    .collect(),
                labels,
            });
        }
    }
    out
}

/// Mean total per evaluation year and scale, with a 95 % t-interval, per
/// country (every evaluation of the year counts).
pub fn trends(inp: &Inputs) -> Vec<TrendChart> {
    let f = inp.frame;
    let labels = inp.labels();
    let mut by: BTreeMap<&str, BTreeMap<usize, BTreeMap<u16, Vec<f64>>>> = BTreeMap::new();
    for s in f.native_scales() {
        let total = inp.instruments.get(f.scales[s].instrument).total();
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
    // The axis to the largest total maximum of the scales drawn (800 for
    // the shipped instruments; an instrument file may define another).
    let total_max = |s: usize| {
        let scale = inp.instruments.get(f.scales[s].instrument);
        scale.get(scale.total()).max
    };
    by.into_iter()
        .map(|(c, scales)| {
            let y_max = scales.keys().map(|&s| total_max(s)).fold(0.0, f64::max);
            let n_all: u64 = scales
                .values()
                .flat_map(|y| y.values())
                .map(|v| v.len() as u64)
                .sum();
            let mut lines: Vec<TrendLine> = scales
                .into_iter()
                .map(|(s, years)| TrendLine {
                    label: labels
                        .scale_short(inp.instruments.get(f.scales[s].instrument))
                        .to_string(),
                    points: years
                        .into_iter()
                        .map(|(y, v)| {
                            let n = v.len() as u64;
                            let (mean, sd) = mean_sd(&v);
                            // None for a single evaluation (no spread to
                            // estimate it from), not a zero-width interval.
                            let interval = t_half_width(sd, n)
                                .map(|half| ((mean - half).max(0.0), (mean + half).min(y_max)));
                            TrendPoint {
                                year: f64::from(y),
                                mean,
                                interval,
                                n,
                            }
                        })
                        .collect(),
                })
                .collect();
            // Legend in chronological order (by each scale's first year).
            let first = |l: &TrendLine| l.points.first().map_or(f64::MAX, |p| p.year);
            lines.sort_by(|a, b| first(a).total_cmp(&first(b)));
            TrendChart {
                id: ChartId::Trend {
                    country: c.to_string(),
                },
                title: format!(
                    "{c} — {} ({})",
                    labels.pick(
                        "medelvärde totalpoäng per utvärderingsår",
                        "mean total per evaluation year"
                    ),
                    labels.evaluations(n_all)
                ),
                caption: labels.caption(n_all, false),
                lines,
                y_max,
                labels,
            }
        })
        .collect()
}

pub fn questions(inp: &Inputs) -> Vec<Questions> {
    let f = inp.frame;
    let labels = inp.labels();
    let mut out = Vec::new();
    for s in f.native_scales() {
        let scale = inp.instruments.get(f.scales[s].instrument);
        let countries: BTreeSet<&str> = inp
            .averages
            .iter()
            .filter(|r| r.scale == s && r.grouping == Grouping::National)
            .map(|r| r.group.as_str())
            .collect();
        for c in countries {
            let mut bars = Vec::new();
            for (ai, &a) in scale.areas().iter().enumerate() {
                for &q in &scale.get(a).parts {
                    if let Some(r) = inp.averages.iter().find(|r| {
                        r.scale == s
                            && r.grouping == Grouping::National
                            && r.group == c
                            && r.item == q
                    }) {
                        bars.push((
                            scale.get(q).id.clone(),
                            ai,
                            100.0 * r.mean / scale.get(q).max,
                            r.n,
                        ));
                    }
                }
            }
            if bars.is_empty() || scale.items.iter().all(|i| i.kind != ItemKind::Question) {
                continue;
            }
            let n = bars.iter().map(|b| b.3).max().unwrap_or(0);
            out.push(Questions {
                id: ChartId::Questions {
                    country: c.to_string(),
                    scale: f.scales[s].label.clone(),
                },
                title: format!(
                    "{c} — {}, {} ({})",
                    labels.pick(
                        "medel per delfråga i procent av max",
                        "mean per sub-question in percent of max"
                    ),
                    labels.scale_short(scale),
                    labels.evaluations(n)
                ),
                caption: labels.caption(n, inp.basis == Basis::Latest),
                bars,
                labels,
            });
        }
    }
    out
}

pub fn linking(inp: &Inputs) -> Vec<LinkingChart> {
    let Some(l) = inp.linking else {
        return Vec::new();
    };
    let labels = inp.labels();
    let to = inp.instruments.get(l.to);
    let mut from_scales: Vec<u8> = l.items.iter().map(|i| i.from).collect();
    from_scales.dedup();
    from_scales
        .into_iter()
        .map(|from| {
            let fs = inp.instruments.get(from);
            let items: Vec<_> = l.items.iter().filter(|i| i.from == from).collect();
            let n = items.iter().map(|i| i.pairs.len()).max().unwrap_or(0);
            LinkingChart {
                id: ChartId::Linking {
                    from: fs.id.clone(),
                    to: to.id.clone(),
                },
                title: format!(
                    "{} {} → {} ({} {})",
                    labels.pick("Länkning", "Linking"),
                    labels.scale_short(fs),
                    labels.scale_short(to),
                    n,
                    labels.pick("dubbelbedömda utvärderingar", "dual-scored evaluations")
                ),
                caption: format!(
                    "{} {n} {}; {}",
                    labels.pick("Källa: kompass,", "Source: kompass,"),
                    labels.pick("par", "pairs"),
                    items.first().map_or("", |i| labels.method(i.method))
                ),
                panels: items
                    .iter()
                    .map(|i| LinkPanel {
                        label: labels.item_label(fs, i.from_item),
                        target: labels.item_label(to, i.to_item),
                        pairs: i.pairs.clone(),
                        curve: i.concordance.iter().map(|c| (c.0, c.1)).collect(),
                        max_from: fs.get(i.from_item).max,
                        max_to: to.get(i.to_item).max,
                    })
                    .collect(),
                axis: (
                    format!("{}, {}", labels.points(), labels.scale_short(fs)),
                    format!("{}, {}", labels.points(), labels.scale_short(to)),
                ),
                labels,
            }
        })
        .collect()
}
