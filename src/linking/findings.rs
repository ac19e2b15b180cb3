//! The findings of the link stage about whole scales: a scale that could
//! not be linked, and the weakest links.

use super::ItemLink;
use super::methods::{LINEAR_MIN_PAIRS, Method};
use crate::reference::instrument::{Instruments, ScaleIx};
use crate::validate::rules::{Context, Finding, NO_FILE, Rule};

/// The weakest links, one finding per scale and kind: items whose linking
/// error cannot be estimated (a single pair or municipality, pairs without
/// spread around the link, a linear link of fewer than 5 municipalities,
/// `--bootstrap 0`: no replicates, `link-unestimated`), and items whose
/// pairs come from fewer than 5 municipalities or correlate below 0.87 (a
/// concordance is not usually trusted below that: `link-weak`).
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
            .map(|l| match (l.municipalities, l.method, l.without_spread) {
                _ if l.pairs.len() == 1 => format!("{} (a single pair)", id(l)),
                (1, _, _) => format!("{} ({})", id(l), pairs(l)),
                // Two pairs are always on one line: too few is the reason.
                (m, Method::Linear, _) if m < LINEAR_MIN_PAIRS => {
                    format!(
                        "{} ({}, too few for a linear link's error)",
                        id(l),
                        pairs(l)
                    )
                }
                (_, Method::Linear, true) => format!("{} ({}, all on one line)", id(l), pairs(l)),
                (m, _, true) if m == l.pairs.len() => {
                    format!("{} ({}, all with the same difference)", id(l), pairs(l))
                }
                (_, _, true) => format!(
                    "{} ({}, each municipality's mean difference the same)",
                    id(l),
                    pairs(l)
                ),
                (_, _, false) if l.replicates.is_empty() => {
                    format!("{} ({}, no bootstrap replicates)", id(l), pairs(l))
                }
                (_, _, false) => format!("{} ({}, a single bootstrap replicate)", id(l), pairs(l)),
            })
            .collect();
        let weak: Vec<String> = of()
            .filter(|l| !l.is_unestimated() && l.is_weak())
            .map(|l| match l.r {
                Some(r) => format!("{} ({}, r = {r:.2})", id(l), pairs(l)),
                None => format!("{} ({}, no r)", id(l), pairs(l)),
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
                    "{} -> {to_id}: weak link for item(s) {} (pairs of fewer than {min_pairs} municipalities or r below {min_r})",
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

/// A link's pairs as a finding names them: `6 pairs`, or `6 pairs of 3
/// municipalities` where municipalities were scored on both scales in
/// more than one year.
fn pairs(l: &ItemLink) -> String {
    match (l.pairs.len(), l.municipalities) {
        (n, m) if n == m => format!("{n} pairs"),
        (n, 1) => format!("{n} pairs of one municipality"),
        (n, m) => format!("{n} pairs of {m} municipalities"),
    }
}
