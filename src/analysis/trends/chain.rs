//! The changes of each municipality between its consecutive rounds: the
//! rounds of one chain are the years it was evaluated on scales comparable
//! with each other (the link target and the scales linked to it); a scale
//! with no link to the target is a chain of its own, its changes native,
//! and its years do not break the others' chain.

use crate::analysis::frame::{Frame, Point};
use crate::analysis::grouped::per_municipality;
use crate::error::Result;
use crate::reference::instrument::ItemIx;

use super::Trend;

/// Every municipality's changes between consecutive rounds, in output
/// order (municipality, from year, scale, item).
pub fn trends(f: &Frame) -> Vec<Trend> {
    let mut out = Vec::new();
    let _ = for_each(f, |t| {
        out.push(t);
        Ok(())
    });
    out
}

/// Calls `each` with every change, in output order (municipality, from
/// year, scale, item), one municipality at a time: the changes need not be
/// held at once (but for a municipality with a scale of its own).
pub fn for_each(f: &Frame, mut each: impl FnMut(Trend) -> Result<()>) -> Result<()> {
    let linked = f.linked_scale().map(|i| i as u8);
    let comparable = comparable_scales(f, linked);
    // Each scale's points are in municipality order: one cursor per scale
    // walks them a municipality at a time, so only one municipality's
    // points are gathered (by year, scale and item) at once.
    let runs: Vec<&[Point]> = f.points.chunk_by(|a, b| a.scale == b.scale).collect();
    let (mut muni, mut apart): (Vec<&Point>, Vec<&Point>) = (Vec::new(), Vec::new());
    let mut held: Vec<Trend> = Vec::new();
    per_municipality(
        &runs,
        |p| p.muni,
        |parts| {
            muni.clear();
            apart.clear();
            for (r, part) in runs.iter().zip(parts) {
                let points = &r[part.clone()];
                match points.first() {
                    Some(p) if !comparable[usize::from(p.scale)] => apart.extend(points),
                    _ => muni.extend(points),
                }
            }
            // The keys are unique (one point per scale, year and item).
            muni.sort_unstable_by_key(|p| (p.year, p.scale, p.item));
            if apart.is_empty() {
                return chain(f, linked, &muni, &mut each);
            }
            // The chain of comparable rounds and each other scale's own,
            // merged in output order.
            held.clear();
            let mut hold = |t| {
                held.push(t);
                Ok(())
            };
            chain(f, linked, &muni, &mut hold)?;
            apart.sort_unstable_by_key(|p| (p.scale, p.year, p.item));
            for own in apart.chunk_by(|a, b| a.scale == b.scale) {
                chain(f, linked, own, &mut hold)?;
            }
            held.sort_unstable_by_key(|t| (t.from_year, t.scale, t.item));
            held.drain(..).try_for_each(&mut each)
        },
    )?;
    // Municipality indices are in (country, code) order; within one, the
    // rounds come by year, a round's pairs by scale, their items in order.
    Ok(())
}

/// Per frame scale, whether it is on the link target's footing: the
/// target, `linked`, or a scale with a link to it (every scale when
/// nothing is linked).
fn comparable_scales(f: &Frame, linked: Option<u8>) -> Vec<bool> {
    let Some(l) = linked else {
        return vec![true; f.scales.len()];
    };
    // The target's items: those of `linked`, each its own counterpart.
    let items = (0..=ItemIx::MAX)
        .take_while(|&t| f.counterpart(l, t).is_some())
        .count();
    (0..f.scales.len())
        .map(|s| (0..items).any(|t| f.counterpart(s as u8, t as ItemIx).is_some()))
        .collect()
}

/// The changes between consecutive rounds of one chain of one
/// municipality's points `muni` (sorted by year, scale and item), its
/// rounds numbered from 1.
fn chain(
    f: &Frame,
    linked: Option<u8>,
    muni: &[&Point],
    each: &mut impl FnMut(Trend) -> Result<()>,
) -> Result<()> {
    let rounds: Vec<&[&Point]> = muni.chunk_by(|a, b| a.year == b.year).collect();
    for (r, w) in rounds.windows(2).enumerate() {
        let (a, b) = (by_scale(w[0]), by_scale(w[1]));
        let shared = |s: u8| b.iter().find(|g| g[0].scale == s);
        let natives: Vec<(&[&Point], &[&Point])> = a
            .iter()
            .filter(|g| Some(g[0].scale) != linked)
            .filter_map(|g| shared(g[0].scale).map(|h| (*g, *h)))
            .collect();
        // An item of the link target is changed natively when a
        // scale both rounds share has it (or the item linked to
        // it) in both; any other item both rounds have on the
        // linked scale, through linking.
        let has = |g: &[&Point], item: ItemIx| g.binary_search_by_key(&item, |p| p.item).is_ok();
        let native_change = |target: ItemIx| {
            natives.iter().any(|(xs, ys)| {
                f.counterpart(xs[0].scale, target)
                    .is_some_and(|i| has(xs, i) && has(ys, i))
            })
        };
        let la = a.iter().find(|g| Some(g[0].scale) == linked).copied();
        let lb = b.iter().find(|g| Some(g[0].scale) == linked).copied();
        let pairs = natives.iter().copied().chain(la.zip(lb));
        for (xs, mut ys) in pairs {
            let s = xs[0].scale;
            for x in xs {
                // Both by item: the later round's points walked once.
                while ys.first().is_some_and(|y| y.item < x.item) {
                    ys = &ys[1..];
                }
                let Some(y) = ys.first().filter(|y| y.item == x.item) else {
                    continue;
                };
                if Some(s) == linked && native_change(x.item) {
                    continue;
                }
                each(change(f, (x, y), Some(s) == linked, r as u16 + 1))?;
            }
        }
    }
    Ok(())
}

/// The change from point `x` to point `y` of the same item and scale,
/// rounds `round` and `round + 1`; on the linked scale (`linked`) with its
/// SE: a native end has no linking error, and a linked end without an SE
/// makes the change's SE unknown.
fn change(f: &Frame, (x, y): (&Point, &Point), linked: bool, round: u16) -> Trend {
    let end_se = |p: &Point| match p.is_linked() {
        true => f.se(p),
        false => Some(0.0),
    };
    let delta_se = linked
        .then(|| Some((end_se(x)?.powi(2) + end_se(y)?.powi(2)).sqrt()))
        .flatten();
    Trend {
        muni: x.muni,
        scale: x.scale,
        item: x.item,
        from_year: x.year,
        to_year: y.year,
        round_from: round,
        round_to: round + 1,
        from_score: x.value,
        to_score: y.value,
        delta_se,
        from_link: f.linked_from(x),
        to_link: f.linked_from(y),
    }
}

/// One round's points split by scale.
fn by_scale<'p, 'a>(round: &'a [&'p Point]) -> Vec<&'a [&'p Point]> {
    round.chunk_by(|a, b| a.scale == b.scale).collect()
}
