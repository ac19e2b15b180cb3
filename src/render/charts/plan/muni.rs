//! The charts of one municipality: a profile (radar) per evaluation and
//! its rounds side by side, each only where there are areas to draw.

use std::collections::{BTreeMap, BTreeSet};

use super::Inputs;
use crate::analysis::averages::AverageIndex;
use crate::reference::instrument::ItemIx;
use crate::render::charts::rounds::{LinkError, Round};
use crate::render::charts::{ChartId, Head, Profile, Rounds};
use crate::render::text::{Labels, chart_name, muni_name};

/// A radar per evaluation with areas: per municipality and year, on each
/// scale it was scored on that year. Where a year has several, the one on
/// the link target scale (else the first) is named by the year alone, and
/// the others by their scale too (Östersund 2010 old beside 2010 new; a
/// 2020-scale evaluation beside a 2010-scale one, whose areas differ).
pub fn profiles(inp: &Inputs) -> Vec<Profile> {
    let f = inp.analysed.frame;
    let index = inp.analysed.average_index();
    let target = inp.analysed.linking.map(|l| l.to);
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
    let mut out = Vec::new();
    let mixed = f.several_countries();
    for ((m, year), scales) in by {
        // The link target's scale, else the first, of those on which the
        // year has an area: a scale with its total only has no profile (an
        // empty radar under a legend naming it).
        let has_areas = |s: &usize| {
            let scale = inp.analysed.scale_of(*s);
            scale.areas().iter().any(|a| scales[s].contains_key(a))
        };
        let drawable: Vec<usize> = scales.keys().copied().filter(has_areas).collect();
        let Some(&first) = drawable.first() else {
            continue;
        };
        let main = (drawable.iter().copied())
            .find(|s| Some(f.scales[*s].instrument) == target)
            .unwrap_or(first);
        for s in drawable {
            let named = (s != main).then(|| inp.analysed.scale_of(s).id.clone());
            out.push(profile(
                inp,
                &index,
                (m, year, s, named),
                &scales[&s],
                mixed,
            ));
        }
    }
    out
}

/// The radar of municipality `m`'s evaluation of `year` on frame scale
/// `s` (its [`ChartId::Profile`] named by `scale` where not the year's
/// main one), with its `values` by item, against the national averages
/// of `index` (their legend with the country's code where `mixed`: the
/// data hold more than one country).
fn profile(
    inp: &Inputs,
    index: &AverageIndex,
    (m, year, s, scale_named): (usize, u16, usize, Option<String>),
    values: &BTreeMap<ItemIx, f64>,
    mixed: bool,
) -> Profile {
    let labels = inp.labels();
    let scale = inp.analysed.scale_of(s);
    let muni = &inp.analysed.frame.munis[m];
    let areas = scale.areas();
    let pct = |ix: ItemIx, v: f64| scale.get(ix).percent(v);
    // The national means of the areas rest on n_lo to n_hi evaluations.
    let (n_lo, n_hi) = areas
        .iter()
        .filter_map(|&a| index.national(s, &muni.country, a).map(|r| r.n()))
        .fold((u64::MAX, 0), |(lo, hi), n| (lo.min(n), hi.max(n)));
    let name = muni_name(muni);
    let who = format!("{name} {year}");
    let legend = format!("{} {year}", chart_name(&name));
    Profile {
        head: Head {
            id: ChartId::Profile {
                country: muni.country.clone(),
                code: muni.code.clone(),
                year,
                scale: scale_named,
            },
            // The whole name in the title and `alt` text; cut where drawn.
            title: format!("{who} — {}", labels.scale_name(scale)),
            caption: match n_hi {
                0 => labels.no_average_caption(),
                _ => labels.caption_between(n_lo, n_hi, inp.analysed.basis),
            },
            labels,
        },
        heading: format!("{legend} — {}", labels.scale_name(scale)),
        areas: areas.iter().map(|&a| labels.item_label(scale, a)).collect(),
        values: areas
            .iter()
            .map(|&a| values.get(&a).map(|v| pct(a, *v)))
            .collect(),
        average: areas
            .iter()
            .map(|&a| index.national(s, &muni.country, a).map(|r| pct(a, r.mean)))
            .collect(),
        who: format!("{who}, {}", labels.scale_name(scale)),
        legend,
        average_legend: labels.national_average_of(&muni.country, mixed),
    }
}

/// A municipality's scores by frame scale, year and item: (value, its
/// linking error, native scale).
type Years = BTreeMap<u16, BTreeMap<ItemIx, (f64, LinkError, u8)>>;

/// Grouped bars per municipality: one bar per round with areas, on a scale
/// every such round has natively (the first), else on the linked scale. A
/// round of a total only has no bars, so it does not send the chart to the
/// linked scale (it did: a municipality whose rounds were all native but a
/// 2020 total was drawn "linked to" the 2010 scale, every bar native).
pub fn rounds(inp: &Inputs) -> Vec<Rounds> {
    let f = inp.analysed.frame;
    let linked = f.linked_scale();
    let mut out = Vec::new();
    for (m, scales) in by_municipality(inp) {
        let with_areas: BTreeMap<usize, BTreeSet<u16>> = (scales.iter())
            .filter(|(s, _)| Some(**s) != linked)
            .map(|(s, y)| (*s, area_years(inp, *s, y)))
            .collect();
        let all = AllRounds::of(inp, &scales, &with_areas);
        let shared = (with_areas.iter())
            .filter(|(_, y)| !y.is_empty() && y.len() == all.with_areas.len())
            .map(|(s, _)| *s);
        let mut candidates = shared.chain(linked.filter(|l| scales.contains_key(l)));
        let shown = |s: usize| rounds_chart(inp, m, s, &scales[&s], &all);
        out.extend(candidates.find_map(shown));
    }
    out
}

/// A municipality's years on its native scales: those without a score of
/// an area on any, those with one, and those with a total.
struct AllRounds {
    no_areas: BTreeSet<u16>,
    with_areas: BTreeSet<u16>,
    with_total: BTreeSet<u16>,
    /// The years with areas of each native scale (frame scale index).
    per_scale: BTreeMap<usize, BTreeSet<u16>>,
}

impl AllRounds {
    /// `scales`: a municipality's points by frame scale; `with_areas`: the
    /// years with areas of each native one.
    fn of(
        inp: &Inputs,
        scales: &BTreeMap<usize, Years>,
        with_areas: &BTreeMap<usize, BTreeSet<u16>>,
    ) -> AllRounds {
        let f = inp.analysed.frame;
        let native = || (scales.iter()).filter(|(s, _)| Some(**s) != f.linked_scale());
        let years: BTreeSet<u16> = with_areas.values().flatten().copied().collect();
        // Rounds of no area, on any scale: named in the caption.
        let no_areas = (native().flat_map(|(_, y)| y.keys().copied()))
            .filter(|y| !years.contains(y))
            .collect();
        let with_total = native()
            .flat_map(|(s, y)| {
                let total = inp.analysed.scale_of(*s).total();
                (y.iter()).filter(move |(_, items)| items.contains_key(&total))
            })
            .map(|(year, _)| *year)
            .collect();
        AllRounds {
            no_areas,
            with_areas: years,
            with_total,
            per_scale: with_areas.clone(),
        }
    }
}

/// The caption's words for rounds not drawn: those without a score of an
/// area, which have no bars ("; bara totalen, inga staplar: 2007", or
/// "utan områdespoäng" for one of sub-questions only: it has no total
/// either), and those with areas on another scale only, not linked to the
/// one drawn ("; på en annan skala, ej med: 2016"); or nothing.
fn not_drawn_text(
    labels: &Labels,
    no_areas: &BTreeSet<u16>,
    all: &AllRounds,
    elsewhere: &BTreeSet<u16>,
) -> String {
    let (total, neither): (BTreeSet<u16>, BTreeSet<u16>) =
        no_areas.iter().partition(|y| all.with_total.contains(y));
    let mut text = String::new();
    for (years, sv, en) in [
        (
            &total,
            "bara totalen, inga staplar:",
            "total only, no bars:",
        ),
        (
            &neither,
            "utan områdespoäng, inga staplar:",
            "no area scores, no bars:",
        ),
        (
            elsewhere,
            "på en annan skala, ej med:",
            "on another scale, not shown:",
        ),
    ] {
        if !years.is_empty() {
            let years: Vec<String> = years.iter().map(u16::to_string).collect();
            text.push_str(&format!("; {} {}", labels.pick(sv, en), years.join(", ")));
        }
    }
    text
}

/// The caption's words for rounds drawn on native scale `s` whose year
/// also has areas on another native scale, not drawn here (Östersund 2010
/// on the 2010 scale and the old one: "; också på äldre skala, ej med:
/// 2010"); or nothing.
fn also_elsewhere(inp: &Inputs, s: usize, shown: &BTreeSet<u16>, all: &AllRounds) -> String {
    let labels = inp.labels();
    let mut text = String::new();
    for (other, years) in (all.per_scale.iter()).filter(|(o, _)| **o != s) {
        let both: Vec<String> = years.intersection(shown).map(u16::to_string).collect();
        if both.is_empty() {
            continue;
        }
        let scale = labels.scale_short(inp.analysed.scale_of(*other));
        let (also, not_shown) = (
            labels.pick("också på", "also on"),
            labels.pick("ej med", "not shown"),
        );
        text.push_str(&format!(
            "; {also} {scale}, {not_shown}: {}",
            both.join(", ")
        ));
    }
    text
}

/// The years in which `years` (a municipality's points on frame scale
/// `s`) has a score of an area.
fn area_years(inp: &Inputs, s: usize, years: &Years) -> BTreeSet<u16> {
    let scale = inp.analysed.scale_of(s);
    (years.iter())
        .filter(|(_, items)| scale.areas().iter().any(|a| items.contains_key(a)))
        .map(|(year, _)| *year)
        .collect()
}

/// Every point of the frame by municipality, frame scale, year and item.
fn by_municipality(inp: &Inputs) -> BTreeMap<usize, BTreeMap<usize, Years>> {
    let f = inp.analysed.frame;
    let half = |p: &crate::analysis::frame::Point| match f.se(p) {
        _ if !p.is_linked() => LinkError::Native,
        Some(se) => LinkError::HalfWidth(crate::linking::interval_half_width(
            inp.analysed.linking,
            se,
            f.linked_from(p),
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
    by
}

/// The rounds chart of municipality `m` on frame scale `s`, whose scores
/// by year are `years`: the rounds with an area to show (a round of a
/// total only has no bars: the caption names it, with the years of
/// `totals`, rounds of a total only on other scales); none without one.
/// The bars of the rounds chart on scale `s`: one round per year in
/// `with_areas`, a value per area of the scale, labelled "(länkad)" where
/// a value went through a link.
fn round_bars(inp: &Inputs, s: usize, years: &Years, with_areas: &BTreeSet<u16>) -> Vec<Round> {
    let (f, labels) = (inp.analysed.frame, inp.labels());
    let linked = f.linked_scale();
    let scale = inp.analysed.scale_of(s);
    years
        .iter()
        .filter(|(year, _)| with_areas.contains(year))
        .map(|(year, items)| {
            let linked_here = items.values().any(|v| {
                v.0.is_finite() && Some(v.2) != Some(f.scales[s].instrument) && Some(s) == linked
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
        .collect()
}

/// The most rounds a rounds chart draws, the latest: one colour of
/// [`crate::render::charts::PALETTE`] each (a ninth took the first's).
const MAX_ROUNDS: usize = crate::render::charts::PALETTE.len();

fn rounds_chart(
    inp: &Inputs,
    m: usize,
    s: usize,
    years: &Years,
    all: &AllRounds,
) -> Option<Rounds> {
    let (f, labels) = (inp.analysed.frame, inp.labels());
    let scale = inp.analysed.scale_of(s);
    let muni = &f.munis[m];
    let with_areas = area_years(inp, s, years);
    let elsewhere: BTreeSet<u16> = all.with_areas.difference(&with_areas).copied().collect();
    // A year with areas on another scale is named as such, not also as
    // one of a total only (its total on this scale).
    let totals_only: BTreeSet<u16> = (years.keys())
        .filter(|year| !with_areas.contains(year))
        .chain(&all.no_areas)
        .filter(|year| !elsewhere.contains(year))
        .copied()
        .collect();
    let mut rounds = round_bars(inp, s, years, &with_areas);
    if rounds.is_empty() {
        return None;
    }
    // The latest rounds, one colour each: the earlier ones are named in
    // the caption (the page's tables give them all).
    // (A round per year of `with_areas`, in order.)
    let cut = rounds.len().saturating_sub(MAX_ROUNDS);
    rounds.drain(..cut);
    let earlier: Vec<u16> = with_areas.iter().take(cut).copied().collect();
    // On the linked scale only if a bar is linked (its rounds may all be
    // native scores of the target scale, the others left out).
    let any_linked =
        (rounds.iter().flat_map(|r| r.values.iter().flatten())).any(|v| v.1 != LinkError::Native);
    let scale_text = labels.scale_as_drawn(scale, any_linked);
    let what = labels.pick("poäng per område och omgång", "points per area and round");
    let mut totals_only = not_drawn_text(&labels, &totals_only, all, &elsewhere);
    if let (Some(first), Some(last)) = (earlier.first(), earlier.last()) {
        let before = labels.pick("tidigare omgångar, ej med:", "earlier rounds, not shown:");
        let years = match first == last {
            true => first.to_string(),
            false => format!("{first}–{last}"),
        };
        totals_only.push_str(&format!("; {before} {} ({years})", earlier.len()));
    }
    if Some(s) != f.linked_scale() {
        let drawn: BTreeSet<u16> = with_areas.iter().skip(cut).copied().collect();
        totals_only.push_str(&also_elsewhere(inp, s, &drawn, all));
    }
    Some(Rounds {
        head: Head {
            id: ChartId::Rounds {
                country: muni.country.clone(),
                code: muni.code.clone(),
            },
            // The whole name in the title and `alt` text; cut where drawn.
            title: format!("{} — {what}, {scale_text}", muni_name(muni)),
            caption: format!(
                "{}: kompass, {}{totals_only}",
                labels.pick("Källa", "Source"),
                labels.evaluations(rounds.len() as u64),
            ),
            labels,
        },
        heading: format!("{} — {what}, {scale_text}", chart_name(&muni_name(muni))),
        areas: scale
            .areas()
            .iter()
            .map(|a| scale.get(*a).id.clone())
            .collect(),
        names: (scale.areas().iter())
            .map(|&a| labels.item_label(scale, a))
            .collect(),
        rounds,
        y_max: 100.0,
    })
}
