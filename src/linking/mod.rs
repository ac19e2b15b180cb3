//! Scale linking: putting `old`-scale and `2020`-scale scores on the `new`
//! scale (or any other target), with their uncertainty.
//!
//! Evaluations of the same municipality and year scored on two scales form
//! the linking sample (a single-group design). Per item that the instrument
//! files declare as corresponding, a linking function is fitted (see
//! `methods`), its uncertainty estimated by a bootstrap over pairs (pairs
//! stay together), and its quality by leave-one-out. Linked scores are
//! clamped to the target item's range. A scale without pairs is not linked:
//! that is reported, never guessed.

mod loo;
pub mod methods;
pub mod write;

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::reference::instrument::{Instruments, ItemIx, ScaleIx};
use crate::stats::mean_sd;
use crate::stats::rng::Rng;
use crate::validate::Validated;
use crate::validate::rules::{Context, Finding, NO_FILE, Rule};
use loo::leave_one_out;
use methods::{Fitted, Method, MethodChoice, fit};

/// How to link.
#[derive(Debug, Clone)]
pub struct LinkOptions {
    pub method: MethodChoice,
    /// Bootstrap replicates.
    pub bootstrap: u32,
    pub seed: u64,
    /// Target scale (id or alias).
    pub to: String,
}

impl Default for LinkOptions {
    fn default() -> Self {
        LinkOptions {
            method: MethodChoice::Auto,
            bootstrap: 1000,
            seed: 2010,
            to: "new".into(),
        }
    }
}

/// The fitted link of one item of one scale.
#[derive(Debug, Clone)]
pub struct ItemLink {
    pub from: ScaleIx,
    pub from_item: ItemIx,
    pub to_item: ItemIx,
    pub method: Method,
    /// The dual-scored pairs (from, to), in evaluation key order.
    pub pairs: Vec<(f64, f64)>,
    pub mean_from: Option<f64>,
    pub sd_from: Option<f64>,
    pub mean_to: Option<f64>,
    pub sd_to: Option<f64>,
    pub fitted: Fitted,
    pub slope_se: Option<f64>,
    pub intercept_se: Option<f64>,
    pub loo_mae: Option<f64>,
    /// Linked scores clamped to [0, max].
    pub clamped: u64,
    /// Pearson's correlation of the pairs (none for fewer than two pairs or
    /// no spread).
    pub r: Option<f64>,
    /// Linked scores outside the range of the pairs' `from` scores: the
    /// link extrapolates there.
    pub extrapolated: u64,
    /// Every possible `from` score (0 to max in steps of the scale's
    /// resolution), its linked score and bootstrap SE.
    pub concordance: Vec<(f64, f64, Option<f64>)>,
    /// The bootstrap replicates of the link: for each, the linked score of
    /// every `concordance` point. A summary of linked scores is recomputed
    /// under each replicate to give its linking error (see
    /// `analysis::trends`).
    pub replicates: Vec<Vec<f64>>,
    /// Replicates whose resample could not be fitted (no spread), left out.
    pub boot_dropped: u32,
}

impl ItemLink {
    /// The linked value of `x` by the fitted link (`rep` None) or by
    /// bootstrap replicate `rep`, interpolated between concordance points.
    pub fn value_at(&self, x: f64, rep: Option<usize>) -> f64 {
        let n = self.concordance.len();
        let y = |i: usize| match rep {
            Some(r) => self.replicates[r][i],
            None => self.concordance[i].1,
        };
        if n < 2 {
            return if n == 1 { y(0) } else { f64::NAN };
        }
        let step = self.concordance[1].0 - self.concordance[0].0;
        let pos = ((x - self.concordance[0].0) / step).clamp(0.0, (n - 1) as f64);
        let lo = (pos.floor() as usize).min(n - 2);
        let frac = pos - lo as f64;
        y(lo) + frac * (y(lo + 1) - y(lo))
    }
}

/// One evaluation item expressed on the target scale.
#[derive(Debug, Clone, Copy)]
pub struct LinkedScore {
    pub eval: u32,
    /// Index into [`Linking::items`].
    pub link: usize,
    pub score: f64,
    pub linked: f64,
    pub se: Option<f64>,
}

/// The result of the link stage.
#[derive(Debug, Clone)]
pub struct Linking {
    pub to: ScaleIx,
    pub items: Vec<ItemLink>,
    /// Sorted like the canonical table (evaluation, then item).
    pub scores: Vec<LinkedScore>,
    /// Scales present in the data that could not be linked, with the reason.
    pub unlinked: Vec<(ScaleIx, String)>,
}

/// FNV-1a, to give each item its own bootstrap stream.
fn stream_id(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Canonical values of each evaluation, by item.
fn values_by_eval(data: &Validated, instruments: &Instruments) -> BTreeMap<u32, Vec<Option<f64>>> {
    let mut out: BTreeMap<u32, Vec<Option<f64>>> = BTreeMap::new();
    for s in &data.scores {
        let scale = data.evals[s.eval as usize].key.scale;
        let n = instruments.get(scale).items.len();
        out.entry(s.eval).or_insert_with(|| vec![None; n])[s.item as usize] = Some(s.value);
    }
    out
}

/// Fits every link and expresses every evaluation not on the target scale.
pub fn link(
    data: &mut Validated,
    instruments: &Instruments,
    opts: &LinkOptions,
) -> Result<Linking> {
    let to = link_target(instruments, &opts.to)?;
    let pairs = Pairs::new(data, instruments);
    let mut items = Vec::new();
    let mut unlinked = Vec::new();
    for from in pairs.scales(instruments).into_iter().filter(|&s| s != to) {
        let before = items.len();
        let reasons = link_scale(&pairs, instruments, from, to, opts, &mut items);
        if items.len() == before {
            let why = reasons
                .first()
                .cloned()
                .unwrap_or_else(|| "no item corresponds".into());
            unlinked.push((from, why));
        }
    }
    for (from, why) in &unlinked {
        data.findings.push(not_linked(instruments, *from, to, why));
    }
    data.findings.extend(weak_links(&items, instruments, to));
    let scores = link_scores(data, instruments, to, &mut items);
    Ok(Linking {
        to,
        items,
        scores,
        unlinked,
    })
}

/// The scale named by `--link-to`.
pub fn link_target(instruments: &Instruments, name: &str) -> Result<ScaleIx> {
    instruments.lookup(name).ok_or_else(|| {
        Error::Usage(format!(
            "--link-to: unknown scale '{name}' (known: {})",
            instruments.names()
        ))
    })
}

/// Every evaluation's values, and the evaluations of each (country, code,
/// year) by scale: where the dual-scored pairs come from.
struct Pairs<'d> {
    values: BTreeMap<u32, Vec<Option<f64>>>,
    /// (country, code, year) -> scale -> evaluation.
    by_year: BTreeMap<(&'d str, &'d str, u16), BTreeMap<ScaleIx, u32>>,
    data: &'d Validated,
}

impl<'d> Pairs<'d> {
    fn new(data: &'d Validated, instruments: &Instruments) -> Self {
        let values = values_by_eval(data, instruments);
        let mut by_year: BTreeMap<(&str, &str, u16), BTreeMap<ScaleIx, u32>> = BTreeMap::new();
        for &eval in values.keys() {
            let k = &data.evals[eval as usize].key;
            by_year
                .entry((&k.country, &k.code, k.year))
                .or_default()
                .insert(k.scale, eval);
        }
        Pairs {
            values,
            by_year,
            data,
        }
    }

    /// The scales present, in id order.
    fn scales(&self, instruments: &Instruments) -> Vec<ScaleIx> {
        let mut present: Vec<ScaleIx> = self
            .values
            .keys()
            .map(|&e| self.data.evals[e as usize].key.scale)
            .collect();
        present.sort_by_key(|&s| instruments.get(s).id.clone());
        present.dedup();
        present
    }

    /// (score on `from`, score on `to`) of every evaluation year that has
    /// both items.
    fn of(
        &self,
        from: ScaleIx,
        from_item: ItemIx,
        to: ScaleIx,
        to_item: ItemIx,
    ) -> Vec<(f64, f64)> {
        self.by_year
            .values()
            .filter_map(|scales| Some((scales.get(&from)?, scales.get(&to)?)))
            .filter_map(|(&ef, &et)| {
                Some((
                    self.values[&ef][from_item as usize]?,
                    self.values[&et][to_item as usize]?,
                ))
            })
            .collect()
    }
}

/// Fits a link for every item of `from` with a counterpart on `to` (added
/// to `items`); returns why items could not be linked.
fn link_scale(
    pairs: &Pairs,
    instruments: &Instruments,
    from: ScaleIx,
    to: ScaleIx,
    opts: &LinkOptions,
    items: &mut Vec<ItemLink>,
) -> Vec<String> {
    let scale = instruments.get(from);
    let mut reasons = Vec::new();
    for from_item in 0..scale.items.len() as ItemIx {
        let Some(to_item) = instruments.counterpart(from, from_item, to) else {
            continue;
        };
        let pairs = pairs.of(from, from_item, to, to_item);
        let id = &scale.get(from_item).id;
        let chosen = Method::choose(opts.method, pairs.len()).map(|m| match opts.method {
            MethodChoice::Auto => {
                better_of_mean_and_linear(m, &pairs, instruments, from, from_item, to, to_item)
            }
            _ => m,
        });
        match chosen {
            Ok(method) => {
                match fit_item(
                    instruments,
                    from,
                    from_item,
                    to,
                    to_item,
                    method,
                    pairs,
                    opts,
                ) {
                    Some(l) => items.push(l),
                    None => reasons.push(format!(
                        "item {id}: the pairs do not support {}",
                        method.as_str()
                    )),
                }
            }
            Err(why) => reasons.push(format!("item {id}: {why}")),
        }
    }
    reasons
}

/// Under `auto` with enough pairs for `linear`: `linear` only if its
/// leave-one-out error is smaller than `mean`'s (with few pairs and similar
/// spreads the mean link, one parameter, is usually the better one).
fn better_of_mean_and_linear(
    proposed: Method,
    pairs: &[(f64, f64)],
    instruments: &Instruments,
    from: ScaleIx,
    from_item: ItemIx,
    to: ScaleIx,
    to_item: ItemIx,
) -> Method {
    if proposed != Method::Linear {
        return proposed;
    }
    let max_from = instruments.get(from).get(from_item).max;
    let max_to = instruments.get(to).get(to_item).max;
    let (x, y): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
    let loo = |m| leave_one_out(m, &x, &y, max_from, max_to);
    match (loo(Method::Mean), loo(Method::Linear)) {
        (Some(mean), Some(linear)) if linear < mean => Method::Linear,
        (None, Some(_)) => Method::Linear,
        _ => Method::Mean,
    }
}

/// The weakest links, one finding per scale and kind: items linked from a
/// single pair (no SE can be estimated: `link-unestimated`), and items
/// whose pairs are fewer than 5 or correlate below 0.87 (a concordance is
/// not usually trusted below that: `link-weak`).
fn weak_links(items: &[ItemLink], instruments: &Instruments, to: ScaleIx) -> Vec<Finding> {
    /// Correlation below which a link is weak (Dorans).
    const MIN_R: f64 = 0.87;
    /// Pairs below which a link is weak.
    const MIN_PAIRS: usize = 5;
    let mut out = Vec::new();
    let mut from: Vec<ScaleIx> = items.iter().map(|l| l.from).collect();
    from.dedup();
    for f in from {
        let fs = instruments.get(f);
        let of = || {
            items
                .iter()
                .filter(move |l| l.from == f && l.method != Method::Identity)
        };
        let id = |l: &ItemLink| fs.get(l.from_item).id.clone();
        let single: Vec<String> = of().filter(|l| l.pairs.len() == 1).map(id).collect();
        let weak: Vec<String> = of()
            .filter(|l| l.pairs.len() > 1)
            .filter(|l| l.pairs.len() < MIN_PAIRS || l.r.is_none_or(|r| r < MIN_R))
            .map(|l| match l.r {
                Some(r) => format!("{} ({} pairs, r = {r:.2})", id(l), l.pairs.len()),
                None => format!("{} ({} pairs, no r)", id(l), l.pairs.len()),
            })
            .collect();
        let finding = |rule: Rule, message: String| Finding {
            rule,
            file: NO_FILE,
            line: 0,
            column: String::new(),
            value: String::new(),
            message,
            context: Context {
                scale: fs.id.clone(),
                ..Context::default()
            },
        };
        let to_id = &instruments.get(to).id;
        if !single.is_empty() {
            out.push(finding(
                Rule::LinkUnestimated,
                format!(
                    "{} -> {to_id}: item(s) {} linked from a single dual-scored evaluation: no standard error, and no interval for changes through them",
                    fs.id,
                    single.join(", ")
                ),
            ));
        }
        if !weak.is_empty() {
            out.push(finding(
                Rule::LinkWeak,
                format!(
                    "{} -> {to_id}: weak link for item(s) {} (fewer than {MIN_PAIRS} pairs or r below {MIN_R})",
                    fs.id,
                    weak.join(", ")
                ),
            ));
        }
    }
    out
}

/// The finding that scale `from` could not be linked to `to`.
fn not_linked(instruments: &Instruments, from: ScaleIx, to: ScaleIx, why: &str) -> Finding {
    Finding {
        rule: Rule::NoLinking,
        file: NO_FILE,
        line: 0,
        column: String::new(),
        value: String::new(),
        message: format!(
            "scale {} is not linked to {} ({why}): its evaluations are left out of cross-scale results",
            instruments.get(from).id,
            instruments.get(to).id
        ),
        context: Context {
            scale: instruments.get(from).id.clone(),
            ..Context::default()
        },
    }
}

/// Every score of a linked item through its link, clamped to the target's
/// range (counted per link), with its SE.
fn link_scores(
    data: &Validated,
    instruments: &Instruments,
    to: ScaleIx,
    items: &mut [ItemLink],
) -> Vec<LinkedScore> {
    let mut scores = Vec::new();
    let mut index: BTreeMap<(ScaleIx, ItemIx), usize> = BTreeMap::new();
    for (i, l) in items.iter().enumerate() {
        index.insert((l.from, l.from_item), i);
    }
    let se_curves: Vec<Option<Vec<(f64, f64)>>> =
        items.iter().map(|l| se_curve(&l.concordance)).collect();
    for s in &data.scores {
        let scale = data.evals[s.eval as usize].key.scale;
        let Some(&li) = index.get(&(scale, s.item)) else {
            continue;
        };
        let l = &mut items[li];
        let max = instruments.get(to).get(l.to_item).max;
        let raw = l.fitted.apply(s.value);
        let linked = raw.clamp(0.0, max);
        if linked != raw {
            l.clamped += 1;
        }
        let (lo, hi) = l
            .pairs
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                (lo.min(p.0), hi.max(p.0))
            });
        if s.value < lo || s.value > hi {
            l.extrapolated += 1;
        }
        scores.push(LinkedScore {
            eval: s.eval,
            link: li,
            score: s.value,
            linked,
            se: se_curves[li]
                .as_ref()
                .map(|c| methods::interpolate(c, s.value)),
        });
    }
    scores
}

/// Pearson's correlation (none for fewer than two pairs or no spread).
fn correlation(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() < 2 {
        return None;
    }
    let ((mx, sx), (my, sy)) = (mean_sd(x), mean_sd(y));
    if sx <= 1e-9 * mx.abs().max(1.0) || sy <= 1e-9 * my.abs().max(1.0) {
        return None;
    }
    let cov = x
        .iter()
        .zip(y)
        .map(|(a, b)| (a - mx) * (b - my))
        .sum::<f64>()
        / (x.len() - 1) as f64;
    Some(cov / (sx * sy))
}

/// The bootstrap SE by score point, to interpolate between (none when the
/// SEs could not be estimated).
fn se_curve(concordance: &[(f64, f64, Option<f64>)]) -> Option<Vec<(f64, f64)>> {
    concordance
        .iter()
        .map(|&(u, _, se)| se.map(|s| (u, s)))
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn fit_item(
    instruments: &Instruments,
    from: ScaleIx,
    from_item: ItemIx,
    to: ScaleIx,
    to_item: ItemIx,
    method: Method,
    pairs: Vec<(f64, f64)>,
    opts: &LinkOptions,
) -> Option<ItemLink> {
    let fs = instruments.get(from);
    let max_from = fs.get(from_item).max;
    let max_to = instruments.get(to).get(to_item).max;
    let (x, y): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
    let fitted = fit(method, &x, &y, max_from, max_to)?;
    let n = pairs.len();
    let grid: Vec<f64> = {
        let steps = (max_from / fs.resolution).round() as usize;
        (0..=steps).map(|i| i as f64 * fs.resolution).collect()
    };
    // Bootstrap over pairs: slope, intercept and the linked grid per replicate.
    let estimable = n >= 2 && method != Method::Identity;
    let mut lines = Vec::new();
    let mut replicates: Vec<Vec<f64>> = Vec::new();
    let mut boot_dropped = 0u32;
    if estimable {
        let mut rng = Rng::derive(
            opts.seed,
            stream_id(&format!("{}/{}", fs.id, fs.get(from_item).id)),
        );
        let (mut bx, mut by) = (vec![0.0; n], vec![0.0; n]);
        for _ in 0..opts.bootstrap {
            for i in 0..n {
                let j = (rng.next_u64() % n as u64) as usize;
                bx[i] = x[j];
                by[i] = y[j];
            }
            let Some(f) = fit(method, &bx, &by, max_from, max_to) else {
                boot_dropped += 1;
                continue;
            };
            if let Some(line) = f.line() {
                lines.push(line);
            }
            replicates.push(
                grid.iter()
                    .map(|g| f.apply(*g).clamp(0.0, max_to))
                    .collect(),
            );
        }
    }
    // The bootstrap SD of a statistic of n pairs is biased low by about
    // √((n − 1) / n) (Efron & Tibshirani 1993, §5.3; the linking notes):
    // every replicate's deviation from the fitted link is scaled by
    // √(n / (n − 1)), so that the SEs below and the linking error of every
    // summary (recomputed under the replicates) are corrected alike.
    if n >= 2 {
        let k = (n as f64 / (n - 1) as f64).sqrt();
        for r in &mut replicates {
            for (v, g) in r.iter_mut().zip(&grid) {
                let e = fitted.apply(*g).clamp(0.0, max_to);
                *v = (e + k * (*v - e)).clamp(0.0, max_to);
            }
        }
    }
    let sd = |v: &[f64]| (v.len() >= 2).then(|| mean_sd(v).1);
    let slopes: Vec<f64> = lines.iter().map(|l| l.0).collect();
    let intercepts: Vec<f64> = lines.iter().map(|l| l.1).collect();
    let mut column = Vec::with_capacity(replicates.len());
    let concordance = grid
        .iter()
        .enumerate()
        .map(|(i, &g)| {
            column.clear();
            column.extend(replicates.iter().map(|r| r[i]));
            (g, fitted.apply(g).clamp(0.0, max_to), sd(&column))
        })
        .collect();
    let loo_mae = leave_one_out(method, &x, &y, max_from, max_to);
    let stats = |v: &[f64]| (!v.is_empty()).then(|| mean_sd(v));
    let (mf, sf) = stats(&x).unzip();
    let (mt, st) = stats(&y).unzip();
    Some(ItemLink {
        from,
        from_item,
        to_item,
        method,
        pairs,
        mean_from: mf,
        sd_from: sf.filter(|_| n >= 2),
        mean_to: mt,
        sd_to: st.filter(|_| n >= 2),
        fitted,
        // The mean link's slope is fixed at 1: no SE.
        slope_se: sd(&slopes).filter(|_| method != Method::Mean),
        intercept_se: sd(&intercepts),
        loo_mae,
        clamped: 0,
        r: correlation(&x, &y),
        extrapolated: 0,
        concordance,
        replicates,
        boot_dropped,
    })
}
