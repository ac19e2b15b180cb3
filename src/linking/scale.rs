//! One scale's items linked to the target scale: each item with a
//! counterpart fitted (on all cores), their bootstraps drawn together (each
//! replicate one stream of municipalities, from which every item takes as
//! many of its own as it has), and why an item could not be linked.

use crate::reference::instrument::{Instruments, ItemIx, ScaleIx};

use super::bootstrap::{self, Boot};
use super::fit::{self, Fit, Prepared, fit_item};
use super::methods::{self, Method, MethodChoice};
use super::pairs::Pairs;
use super::reason::{ItemReason, ItemWhy};
use super::{ItemLink, LinkOptions, invariance, jackknife};

/// Fits a link for every item of `from` with a counterpart on `to` (added
/// to `items`); returns why items could not be linked.
pub(super) fn link_scale(
    pairs: &Pairs,
    instruments: &Instruments,
    from: ScaleIx,
    to: ScaleIx,
    opts: &LinkOptions,
    items: &mut Vec<ItemLink>,
) -> Vec<Unlinked> {
    use rayon::prelude::*;
    let scale = instruments.get(from);
    let fitted: Vec<std::result::Result<Pending, Unlinked>> = (0..scale.items.len() as ItemIx)
        .into_par_iter()
        .filter_map(|from_item| {
            let to_item = instruments.counterpart(from, from_item, to)?;
            Some(link_item(
                pairs,
                instruments,
                (from, from_item),
                (to, to_item),
                opts,
            ))
        })
        .collect();
    // A linear link of few municipalities takes the jackknife. A fit
    // leaving one out fails only where one municipality carries all the
    // spread, which `lone_spread` has left unestimated: the bootstrap then
    // is a safeguard.
    let jackknifed: Vec<Option<Boot>> = (fitted.iter())
        .map(|r| match r {
            Ok((Fit::Pending(p), _)) if p.estimable => jackknife::replicates(p),
            _ => None,
        })
        .collect();
    // The bootstrap of the other items together: each replicate draws one
    // stream of municipalities, with their dual-scored evaluations, and
    // each item takes as many with its pairs as it has (the draws do not
    // depend on which items take them).
    let estimable: Vec<&Prepared> = (fitted.iter().zip(&jackknifed))
        .filter_map(|r| match r {
            (Ok((Fit::Pending(p), _)), None) if p.estimable => Some(p),
            _ => None,
        })
        .collect();
    let municipalities = pairs.municipalities(from, to);
    let stream = fit::stream_id(&scale.id);
    let mut boots = bootstrap::replicates(&estimable, &municipalities, stream, opts).into_iter();
    let mut reasons = Vec::new();
    let mut finishing = Vec::new();
    for (result, jack) in fitted.into_iter().zip(jackknifed) {
        match result {
            Ok((Fit::Pending(p), countries)) => {
                let boot = match (p.estimable, jack) {
                    (_, Some(jack)) => jack,
                    (true, None) => boots.next().unwrap_or_default(),
                    (false, None) => Boot::default(),
                };
                finishing.push((Fit::Pending(p), Some(boot), countries));
            }
            Ok((linked, countries)) => finishing.push((linked, None, countries)),
            Err(why) => reasons.push(why),
        }
    }
    debug_assert!(boots.next().is_none(), "a bootstrap without its item");
    let linked: Vec<ItemLink> = (finishing.into_par_iter())
        .map(|(f, boot, countries)| {
            let mut l = match f {
                Fit::Pending(p) => fit::finish(p, boot.unwrap_or_default()),
                Fit::Linked(l) => l,
            };
            let (rf, rt) = super::ranges(instruments, l.from, l.from_item, to, l.to_item);
            l.invariance = invariance::per_country(&l, &countries, rf, rt);
            l
        })
        .collect();
    items.extend(linked);
    reasons
}

/// An item's link fitted, and the country of each of its pairs.
type Pending<'d> = (Fit, Vec<&'d str>);

/// Why an item was not linked, and whether it had dual-scored pairs at all
/// (an item without is usual: the dual-scored evaluations give some items
/// only).
pub(super) struct Unlinked {
    pub(super) had_pairs: bool,
    pub(super) why: ItemReason,
}

/// Fits the link of one item, or says why it cannot be fitted.
fn link_item<'d>(
    pairs: &Pairs<'d>,
    instruments: &Instruments,
    (from, from_item): (ScaleIx, ItemIx),
    (to, to_item): (ScaleIx, ItemIx),
    opts: &LinkOptions,
) -> std::result::Result<Pending<'d>, Unlinked> {
    let (sample, countries) = pairs.of(from, from_item, to, to_item);
    let pairs = &sample.pairs;
    let id = &instruments.get(from).get(from_item).id;
    let had_pairs = !pairs.is_empty();
    // Under `auto`, `linear` unless the pairs have no spread on the `from`
    // scale to fit a line to (then `mean`).
    let flat = || {
        let x: Vec<f64> = pairs.iter().map(|p| p.0).collect();
        let (m, s) = crate::stats::mean_sd(&x);
        !methods::spread(m, s)
    };
    // `auto` chooses by the municipalities the pairs come from (a linear
    // link's error needs 5), a method asked for needs its pairs to fit.
    let n = match opts.method {
        MethodChoice::Auto => sample.units,
        _ => pairs.len(),
    };
    let chosen = Method::choose(opts.method, n).map(|m| match (opts.method, m) {
        (MethodChoice::Auto, Method::Linear) if flat() => Method::Mean,
        _ => m,
    });
    let unlinked = |why| Unlinked {
        had_pairs,
        why: ItemReason {
            item: id.clone(),
            why,
        },
    };
    let method = chosen.map_err(unlinked)?;
    match fit_item(
        instruments,
        from,
        from_item,
        to,
        to_item,
        method,
        sample,
        opts,
    ) {
        Some(f) => Ok((f, countries)),
        None => Err(unlinked(ItemWhy::Unsupported(method))),
    }
}
