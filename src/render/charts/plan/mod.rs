//! Which charts to draw, built from the analysis: a profile per evaluation
//! and rounds per municipality (unless `--charts summary`), and per country
//! and scale the distribution, trend, sub-question and linking charts.

use std::collections::BTreeSet;
use std::path::Path;

use super::lines::TrendLine;
use super::linking::LinkPanel;
use super::{
    ChartId, ChartSet, Distribution, Drawn, Head, Labels, LinkingChart, Questions, TrendChart,
};
use crate::analysis::averages::{Average, Basis, Grouping};
use crate::analysis::year_totals::ByCountry;
use crate::error::Result;
use crate::linking::Linking;
use crate::reference::instrument::ItemKind;
use crate::render::Analysed;

mod muni;

pub use muni::{profiles, rounds};

/// Everything the charts are drawn from.
pub struct Inputs<'a> {
    pub analysed: &'a Analysed<'a>,
    /// Each country's mean total per evaluation year and scale.
    pub year_totals: &'a ByCountry<'a>,
}

impl Inputs<'_> {
    pub(super) fn labels(&self) -> Labels {
        self.analysed.labels()
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

pub fn distributions(inp: &Inputs) -> Vec<Distribution> {
    let f = inp.analysed.frame;
    let index = inp.analysed.average_index();
    let labels = inp.labels();
    let mut out = Vec::new();
    let countries: BTreeSet<&str> = f.munis.iter().map(|m| m.country.as_str()).collect();
    for s in f.native_scales() {
        let scale = inp.analysed.scale_of(s);
        for &c in &countries {
            let rows: Vec<&Average> = (scale.areas().iter())
                .filter_map(|&a| index.national(s, c, a))
                .collect();
            if rows.is_empty() {
                continue;
            }
            // The areas may rest on different numbers of evaluations.
            let hi = rows.iter().map(|r| r.n()).max().unwrap_or(0);
            let lo = rows.iter().map(|r| r.n()).min().unwrap_or(0);
            out.push(Distribution {
                head: Head {
                    id: ChartId::Distribution {
                        country: c.to_string(),
                        scale: f.scales[s].label.clone(),
                    },
                    title: format!(
                        "{c} — {}, {} ({})",
                        labels.pick("poäng per område", "points per area"),
                        labels.scale_short(scale),
                        labels.evaluations_between(lo, hi)
                    ),
                    caption: labels.caption_between(lo, hi, inp.analysed.basis),
                    labels,
                },
                areas: rows
                    .iter()
                    .map(|r| {
                        (
                            scale.get(r.item).id.clone(),
                            [r.min, r.p25, r.median, r.p75, r.max, r.mean],
                            r.n(),
                        )
                    })
                    .collect(),
                names: rows
                    .iter()
                    .map(|r| labels.item_label(scale, r.item))
                    .collect(),
            });
        }
    }
    out
}

/// A scale's colour in the trend charts: its place among the instrument
/// definitions in the order they came into use (old, 2010, 2015, 2020 for
/// the shipped ones: [`Instruments::in_time`]), so that a scale has one
/// colour everywhere.
///
/// [`Instruments::in_time`]: crate::reference::instrument::Instruments::in_time
fn scale_colour(inp: &Inputs, instrument: u8) -> usize {
    let ins = inp.analysed.instruments;
    let mut order: Vec<u8> = (0..ins.scales().len())
        .filter_map(|i| u8::try_from(i).ok())
        .collect();
    order.sort_unstable_by_key(|&i| ins.in_time(i));
    order.iter().position(|&o| o == instrument).unwrap_or(0)
}

/// Per country, the mean total per evaluation year of each scale, with its
/// 95 % t-interval (every evaluation of the year counts).
pub fn trends(inp: &Inputs) -> Vec<TrendChart> {
    let f = inp.analysed.frame;
    let labels = inp.labels();
    // The axis to the largest total maximum of the scales drawn (800 for
    // the shipped instruments; an instrument file may define another).
    let total_max = |s: usize| {
        let scale = inp.analysed.scale_of(s);
        scale.get(scale.total()).max
    };
    (inp.year_totals.iter())
        .map(|(&c, scales)| {
            let y_max = scales.keys().map(|&s| total_max(s)).fold(0.0, f64::max);
            let n_all: u64 = scales.values().flatten().map(|y| y.n).sum();
            let mut lines: Vec<TrendLine> = (scales.iter())
                .map(|(&s, years)| TrendLine {
                    label: labels.scale_short(inp.analysed.scale_of(s)).to_string(),
                    colour: scale_colour(inp, f.scales[s].instrument),
                    points: years.clone(),
                })
                .collect();
            // Key and side-by-side bars in the order the scales came into
            // use, as the index's table of scales lists them and as their
            // colours go (each scale's first year in the data put two
            // first seen in one year in the instrument files' order).
            lines.sort_by_key(|l| l.colour);
            TrendChart {
                head: Head {
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
                    caption: labels.caption(n_all, Basis::All),
                    labels,
                },
                lines,
                y_max,
            }
        })
        .collect()
}

pub fn questions(inp: &Inputs) -> Vec<Questions> {
    let f = inp.analysed.frame;
    let index = inp.analysed.average_index();
    let labels = inp.labels();
    let mut out = Vec::new();
    for s in f.native_scales() {
        let scale = inp.analysed.scale_of(s);
        let countries: BTreeSet<&str> = inp
            .analysed
            .averages
            .iter()
            .filter(|r| r.scale == s && r.grouping == Grouping::National)
            .map(|r| r.group.as_str())
            .collect();
        for c in countries {
            let mut bars = Vec::new();
            for (ai, &a) in scale.areas().iter().enumerate() {
                for &q in &scale.get(a).parts {
                    if let Some(r) = index.national(s, c, q) {
                        bars.push((
                            scale.get(q).id.clone(),
                            ai,
                            scale.get(q).percent(r.mean),
                            r.n(),
                        ));
                    }
                }
            }
            if bars.is_empty() || scale.items.iter().all(|i| i.kind != ItemKind::Question) {
                continue;
            }
            // The sub-questions may rest on different numbers.
            let hi = bars.iter().map(|b| b.3).max().unwrap_or(0);
            let lo = bars.iter().map(|b| b.3).min().unwrap_or(0);
            out.push(Questions {
                head: Head {
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
                        labels.evaluations_between(lo, hi)
                    ),
                    caption: labels.caption_between(lo, hi, inp.analysed.basis),
                    labels,
                },
                names: (scale.areas().iter().enumerate())
                    .filter(|(ai, _)| bars.iter().any(|b| b.1 == *ai))
                    .map(|(_, &a)| labels.item_label(scale, a))
                    .collect(),
                bars,
            });
        }
    }
    out
}

pub fn linking(inp: &Inputs) -> Vec<LinkingChart> {
    let Some(l) = inp.analysed.linking else {
        return Vec::new();
    };
    let labels = inp.labels();
    let to = inp.analysed.instruments.get(l.to);
    let mut from_scales: Vec<u8> = l.items.iter().map(|i| i.from).collect();
    from_scales.dedup();
    from_scales
        .into_iter()
        .map(|from| {
            let fs = inp.analysed.instruments.get(from);
            let items: Vec<_> = (l.items.iter().enumerate())
                .filter(|(_, i)| i.from == from)
                .collect();
            let n = items.iter().map(|(_, i)| i.pairs.len()).max().unwrap_or(0);
            LinkingChart {
                head: Head {
                    id: ChartId::Linking {
                        from: fs.id.clone(),
                        to: to.id.clone(),
                    },
                    title: format!(
                        "{} {} → {} ({})",
                        labels.pick("Länkning", "Linking"),
                        labels.scale_short(fs),
                        labels.scale_short(to),
                        labels.dual_scored(n)
                    ),
                    caption: format!(
                        "{} {}; {}",
                        labels.pick("Källa: kompass,", "Source: kompass,"),
                        labels.pairs(n),
                        items.first().map_or("", |(_, i)| labels.method(i.method))
                    ),
                    labels,
                },
                panels: items
                    .iter()
                    .map(|&(ix, i)| LinkPanel {
                        label: labels.item_label(fs, i.from_item),
                        target: labels.item_label(to, i.to_item),
                        pairs: i.pairs.clone(),
                        curve: i.concordance.iter().map(|c| (c.x, c.linked)).collect(),
                        band: link_band(l, ix, to.get(i.to_item).max),
                        max_from: fs.get(i.from_item).max,
                        max_to: to.get(i.to_item).max,
                    })
                    .collect(),
                axis: (
                    format!("{}, {}", labels.points(), labels.scale_short(fs)),
                    format!("{}, {}", labels.points(), labels.scale_short(to)),
                ),
            }
        })
        .collect()
}

/// Link `ix`'s 95 % interval at each of its concordance points: the linked
/// score ± t·SE, t of the link's degrees of freedom there
/// ([`Linking::t95`], as a linked score's interval takes it), cut at 0 and
/// the target item's maximum `max`; none where the SE is not estimated.
fn link_band(l: &Linking, ix: usize, max: f64) -> Vec<Option<(f64, f64)>> {
    let link = u16::try_from(ix).unwrap_or(u16::MAX);
    (l.items[ix].concordance.iter())
        .map(|c| {
            let half = l.t95(link, c.x) * c.se?;
            Some(((c.linked - half).max(0.0), (c.linked + half).min(max)))
        })
        .collect()
}
