//! Which charts to draw, built from the analysis: a profile per evaluation
//! and rounds per municipality (unless `--charts summary`), and per country
//! and scale the distribution, trend, sub-question and linking charts.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::lines::{LinkPanel, TrendLine};
use super::rounds::Round;
use super::{
    ChartSet, Distribution, Labels, Lang, LinkingChart, Profile, Questions, Rounds, TrendChart,
    render_all,
};
use crate::aggregate::frame::{Frame, LINKED};
use crate::aggregate::{Average, Basis};
use crate::error::Result;
use crate::instrument::{Instruments, ItemIx, ItemKind, Scale};
use crate::linking::Linking;
use crate::stats::t_quantile;

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

    fn scale_name(&self, scale: &Scale) -> String {
        match self.lang {
            Lang::Sv => scale.name_sv.clone(),
            Lang::En => scale.name_en.clone(),
        }
    }

    fn area_label(&self, scale: &Scale, area: ItemIx) -> String {
        let it = scale.get(area);
        let name = match self.lang {
            Lang::Sv => &it.name_sv,
            Lang::En => &it.name_en,
        };
        if it.kind == ItemKind::Total {
            return name.clone();
        }
        format!("{} {name}", it.id)
    }

    /// National average rows by (frame scale, country, item).
    fn national(&self) -> BTreeMap<(usize, &str, ItemIx), &Average> {
        self.averages
            .iter()
            .filter(|a| a.grouping == "national")
            .map(|a| ((a.scale, a.group.as_str(), a.item), a))
            .collect()
    }
}

/// Draws the charts into `dir`; returns the files written.
pub fn draw(dir: &Path, set: ChartSet, inp: &Inputs) -> Result<Vec<PathBuf>> {
    if set == ChartSet::None {
        return Ok(Vec::new());
    }
    std::fs::create_dir_all(dir).map_err(|e| crate::error::Error::io(dir, e))?;
    let mut files = Vec::new();
    if set == ChartSet::All {
        files.extend(render_all(dir, &profiles(inp))?);
        files.extend(render_all(dir, &rounds(inp))?);
    }
    files.extend(render_all(dir, &distributions(inp))?);
    files.extend(render_all(dir, &trends(inp))?);
    files.extend(render_all(dir, &questions(inp))?);
    files.extend(render_all(dir, &linking(inp))?);
    Ok(files)
}

fn native_scales(f: &Frame) -> Vec<usize> {
    (0..f.scales.len())
        .filter(|&s| f.scales[s].label != LINKED)
        .collect()
}

/// A radar per evaluation (municipality and year; the link target scale
/// when the year has it, else its first scale).
pub fn profiles(inp: &Inputs) -> Vec<Profile> {
    let f = inp.frame;
    let national = inp.national();
    let target = inp.linking.map(|l| l.to);
    let mut by: BTreeMap<(usize, u16), BTreeMap<usize, BTreeMap<ItemIx, f64>>> = BTreeMap::new();
    for s in native_scales(f) {
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
        let n = areas
            .iter()
            .filter_map(|a| national.get(&(s, muni.country.as_str(), *a)).map(|r| r.n))
            .max()
            .unwrap_or(0);
        out.push(Profile {
            name: format!("profile_{}_{}_{year}", muni.country, muni.code),
            title: format!("{} {year} — {}", muni.name, inp.scale_name(scale)),
            caption: labels.caption(n, inp.basis == Basis::Latest),
            areas: areas.iter().map(|&a| inp.area_label(scale, a)).collect(),
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
    // muni -> frame scale -> year -> item -> (value, se, native scale).
    type Years = BTreeMap<u16, BTreeMap<ItemIx, (f64, Option<f64>, u8)>>;
    let mut by: BTreeMap<usize, BTreeMap<usize, Years>> = BTreeMap::new();
    for p in &f.points {
        by.entry(p.muni as usize)
            .or_default()
            .entry(usize::from(p.scale))
            .or_default()
            .entry(p.year)
            .or_default()
            .insert(p.item, (p.value, p.se(), p.native));
    }
    let linked = f.scales.iter().position(|s| s.label == LINKED);
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
            labels
                .pick("poäng länkade till skalan", "scores linked to scale")
                .to_string()
                + " "
                + &scale.id
        } else {
            labels.pick("skala", "scale").to_string() + " " + &scale.id
        };
        out.push(Rounds {
            name: format!("rounds_{}_{}", muni.country, muni.code),
            title: format!("{} — {}", muni.name, scale_text),
            caption: labels
                .pick(
                    "Källa: kompass; felstaplar: ±1,96 × länkningens standardfel",
                    "Source: kompass; error bars: ±1.96 × linking standard error",
                )
                .to_string(),
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
    for s in native_scales(f) {
        let scale = inp.instruments.get(f.scales[s].instrument);
        for &c in &countries {
            let rows: Vec<&Average> = scale
                .areas()
                .iter()
                .filter_map(|a| {
                    inp.averages.iter().find(|r| {
                        r.scale == s && r.grouping == "national" && r.group == c && r.item == *a
                    })
                })
                .collect();
            if rows.is_empty() {
                continue;
            }
            let n = rows.iter().map(|r| r.n).max().unwrap_or(0);
            out.push(Distribution {
                name: format!("distribution_{c}_{}", f.scales[s].label),
                title: format!("{c} — {}", inp.scale_name(scale)),
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
    for s in native_scales(f) {
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
    by.into_iter()
        .map(|(c, scales)| {
            let n_all: u64 = scales
                .values()
                .flat_map(|y| y.values())
                .map(|v| v.len() as u64)
                .sum();
            let lines = scales
                .into_iter()
                .map(|(s, years)| TrendLine {
                    label: f.scales[s].label.clone(),
                    points: years
                        .into_iter()
                        .map(|(y, v)| {
                            let n = v.len();
                            let mean = v.iter().sum::<f64>() / n as f64;
                            let half = if n > 1 {
                                let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>()
                                    / (n - 1) as f64)
                                    .sqrt();
                                t_quantile(0.975, (n - 1) as f64) * sd / (n as f64).sqrt()
                            } else {
                                0.0
                            };
                            (
                                f64::from(y),
                                mean,
                                (mean - half).max(0.0),
                                (mean + half).min(800.0),
                                n as u64,
                            )
                        })
                        .collect(),
                })
                .collect();
            TrendChart {
                name: format!("trend_{c}"),
                title: format!(
                    "{c} — {}",
                    labels.pick(
                        "medelvärde totalpoäng per utvärderingsår",
                        "mean total per evaluation year"
                    )
                ),
                caption: labels.caption(n_all, false),
                lines,
                y_max: 800.0,
                labels,
            }
        })
        .collect()
}

pub fn questions(inp: &Inputs) -> Vec<Questions> {
    let f = inp.frame;
    let labels = inp.labels();
    let mut out = Vec::new();
    for s in native_scales(f) {
        let scale = inp.instruments.get(f.scales[s].instrument);
        let countries: BTreeSet<&str> = inp
            .averages
            .iter()
            .filter(|r| r.scale == s && r.grouping == "national")
            .map(|r| r.group.as_str())
            .collect();
        for c in countries {
            let mut bars = Vec::new();
            for (ai, &a) in scale.areas().iter().enumerate() {
                for &q in &scale.get(a).parts {
                    if let Some(r) = inp.averages.iter().find(|r| {
                        r.scale == s && r.grouping == "national" && r.group == c && r.item == q
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
                name: format!("questions_{c}_{}", f.scales[s].label),
                title: format!(
                    "{c} — {}",
                    labels.pick(
                        "medel per delfråga, procent av max",
                        "mean per sub-question, percent of max"
                    )
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
                name: format!("linking_{}_{}", fs.id, to.id),
                title: format!(
                    "{} {} → {}",
                    labels.pick("Länkning", "Linking"),
                    fs.id,
                    to.id
                ),
                caption: format!(
                    "{} {n} {}; {}",
                    labels.pick("Källa: kompass,", "Source: kompass,"),
                    labels.pick("par", "pairs"),
                    items.first().map_or("", |i| i.method.as_str())
                ),
                panels: items
                    .iter()
                    .map(|i| LinkPanel {
                        label: inp.area_label(fs, i.from_item).chars().take(34).collect(),
                        pairs: i.pairs.clone(),
                        curve: i.concordance.iter().map(|c| (c.0, c.1)).collect(),
                        max_from: fs.get(i.from_item).max,
                        max_to: to.get(i.to_item).max,
                    })
                    .collect(),
                axis: (fs.id.clone(), to.id.clone()),
                labels,
            }
        })
        .collect()
}
