//! The findings of the link stage about whole scales: a scale that could
//! not be linked, and the weakest links.

use super::ItemLink;
use super::methods::{LINEAR_MIN_PAIRS, Method};
use crate::reference::instrument::{Instruments, ScaleIx};
use crate::validate::rules::{Context, Finding, NO_FILE, Rule};

/// The weakest links, one finding per scale and kind: items whose linking
/// error cannot be estimated (a single pair, pairs without spread around
/// the link, a linear link of fewer than 5 pairs, `--bootstrap 0`: no
/// replicates, `link-unestimated`), and items
/// whose pairs are fewer than 5 or correlate below 0.87 (a concordance is
/// not usually trusted below that: `link-weak`).
pub(super) fn weak_links(
    items: &[ItemLink],
    instruments: &Instruments,
    to: ScaleIx,
) -> Vec<Finding> {
    let (min_pairs, min_r) = (ItemLink::MIN_PAIRS, ItemLink::MIN_R);
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
        let unestimated: Vec<String> = of()
            .filter(|l| l.is_unestimated())
            .map(|l| match (l.pairs.len(), l.method, l.without_spread) {
                (1, _, _) => format!("{} (a single pair)", id(l)),
                // Two pairs are always on one line: too few is the reason.
                (n, Method::Linear, _) if n < LINEAR_MIN_PAIRS => {
                    format!("{} ({n} pairs, too few for a linear link's error)", id(l))
                }
                (n, Method::Linear, true) => format!("{} ({n} pairs, all on one line)", id(l)),
                (n, _, true) => format!("{} ({n} pairs, all with the same difference)", id(l)),
                (n, _, false) if l.replicates.is_empty() => {
                    format!("{} ({n} pairs, no bootstrap replicates)", id(l))
                }
                (n, _, false) => format!("{} ({n} pairs, a single bootstrap replicate)", id(l)),
            })
            .collect();
        let weak: Vec<String> = of()
            .filter(|l| !l.is_unestimated() && l.is_weak())
            .map(|l| match l.r {
                Some(r) => format!("{} ({} pairs, r = {r:.2})", id(l), l.pairs.len()),
                None => format!("{} ({} pairs, no r)", id(l), l.pairs.len()),
            })
            .collect();
        let finding = |rule: Rule, message: String| about_scale(rule, &fs.id, message);
        let to_id = &instruments.get(to).id;
        if !unestimated.is_empty() {
            out.push(finding(
                Rule::LinkUnestimated,
                format!(
                    "{} -> {to_id}: the linking error of item(s) {} cannot be estimated: no standard error, and no interval for changes through them",
                    fs.id,
                    unestimated.join(", ")
                ),
            ));
        }
        if !weak.is_empty() {
            out.push(finding(
                Rule::LinkWeak,
                format!(
                    "{} -> {to_id}: weak link for item(s) {} (fewer than {min_pairs} pairs or r below {min_r})",
                    fs.id,
                    weak.join(", ")
                ),
            ));
        }
    }
    out
}

/// A finding of the link stage about scale `scale` as a whole (no file,
/// line 0).
pub(super) fn about_scale(rule: Rule, scale: &str, message: String) -> Finding {
    Finding {
        rule,
        file: NO_FILE,
        line: 0,
        column: Default::default(),
        value: Default::default(),
        message,
        context: Context {
            scale: scale.into(),
            ..Context::default()
        },
    }
}

/// The finding that scale `from` could not be linked to `to`.
pub(super) fn not_linked(
    instruments: &Instruments,
    from: ScaleIx,
    to: ScaleIx,
    why: &str,
) -> Finding {
    let (from, to) = (&instruments.get(from).id, &instruments.get(to).id);
    about_scale(
        Rule::NoLinking,
        from,
        format!(
            "scale {from} is not linked to {to} ({why}): its evaluations are left out of cross-scale results"
        ),
    )
}

/// The items of a linked scale that could not be linked (each with why):
/// their scores are left out of cross-scale results.
pub(super) fn items_not_linked(
    instruments: &Instruments,
    from: ScaleIx,
    to: ScaleIx,
    why: &[String],
) -> Finding {
    let (from, to) = (&instruments.get(from).id, &instruments.get(to).id);
    about_scale(
        Rule::NoLinking,
        from,
        format!(
            "items of scale {from} not linked to {to}: {}; their scores are left out of cross-scale results",
            why.join("; ")
        ),
    )
}
