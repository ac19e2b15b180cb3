//! The findings of the link stage about whole scales: a scale that could
//! not be linked, and the weakest links.

use super::ItemLink;
use super::fit::ANALYTIC_BELOW;
use super::methods::Method;
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
            .map(|l| format!("{} ({})", id(l), why_unestimated(l)))
            .collect();
        let weak_links: Vec<&ItemLink> = of()
            .filter(|l| !l.is_unestimated() && l.is_weak())
            .collect();
        let weak: Vec<String> = (weak_links.iter())
            .map(|l| match l.r.filter(|_| l.pairs.len() >= 3) {
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
        // A mean link's interval carries the error of its shift, not of its
        // slope of 1 (README, "What a weak link's interval leaves out").
        let shifts: Vec<String> = (weak_links.iter())
            .filter(|l| l.method == Method::Mean)
            .map(|l| id(l))
            .collect();
        let assumed = match shifts.as_slice() {
            [] => String::new(),
            items => format!(
                "; a mean link (of item(s) {}) takes the scales to differ by a shift alone, and its \
                 intervals leave out the error of that, which grows with a score's distance from \
                 the pairs' scores",
                items.join(", ")
            ),
        };
        if !weak.is_empty() {
            out.push(finding(
                Rule::LinkWeak,
                format!(
                    "{} -> {to_id}: weak link for item(s) {} (pairs of fewer than {min_pairs} municipalities or r below {min_r}){assumed}",
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

/// Why link `l`'s error cannot be estimated (`link-unestimated`): its
/// pairs as [`pairs`] names them and the reason.
fn why_unestimated(l: &ItemLink) -> String {
    let n = pairs(l);
    match (l.municipalities, l.method, l.without_spread) {
        _ if l.pairs.len() == 1 => "a single pair".into(),
        (1, _, _) => n,
        // As `fit_item` rules (two pairs are always on one line: too few
        // is the reason).
        (m, Method::Linear, _) if m < ANALYTIC_BELOW => {
            format!("{n}, too few for a linear link's error")
        }
        (m, Method::Equipercentile, _) if m < ANALYTIC_BELOW => {
            format!("{n}, too few municipalities for an equipercentile link's error")
        }
        (_, Method::Linear, true) if l.sd_to.is_some_and(|s| s == 0.0) => {
            format!("{n}, all with the same score on the target scale: a flat line")
        }
        (_, Method::Linear, true) => format!("{n}, all on one line"),
        (_, Method::Equipercentile, true) => format!(
            "{n}, each score to link from with one score on the target scale, rising with it: \
             no spread around the link"
        ),
        _ if l.lone_spread => format!(
            "{n}, all but one municipality with the same score to link from: a line resting on \
             one municipality"
        ),
        (m, _, true) if m == l.pairs.len() => format!("{n}, all with the same difference"),
        (_, _, true) => format!("{n}, each municipality's mean difference the same"),
        (_, _, false) if l.replicates.is_empty() => format!("{n}, no bootstrap replicates"),
        (_, _, false) => format!("{n}, a single bootstrap replicate"),
    }
}
