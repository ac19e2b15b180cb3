//! The change table of a municipality page: each area and the total
//! between consecutive rounds (the rows of `trends.csv`), linked ends and
//! the change's linking error marked, each change as its shown ends give
//! it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::compare::{linked_note, linked_value, with_gaps};
use super::muni::{MISSING, Page, sum_note, summed};
use super::{Inputs, esc, note, scale_title, score_as_shown, table_head};
use crate::analysis::trends::Trend;
use crate::linking::interval_half_width;
use crate::reference::instrument::{ItemIx, Scale};

/// The change per area between consecutive rounds, linked values and
/// their linking error marked.
pub(super) fn changes(b: &mut String, p: &Page, changes: &[&Trend]) {
    let (inp, w) = (p.inp, &p.w);
    let _ = writeln!(
        b,
        "<h2 id=\"forandring\">{}</h2>",
        w.pick("Förändring mellan omgångar", "Change between rounds")
    );
    let mut steps: BTreeMap<(u16, u16, usize), Vec<&Trend>> = BTreeMap::new();
    for t in changes {
        steps
            .entry((t.from_year, t.to_year, usize::from(t.scale)))
            .or_default()
            .push(t);
    }
    let (mut any_linked, mut any_summed, mut any_missing) = (false, false, false);
    let mut any_native = false;
    for ((from, to, s), rows) in &steps {
        let scale = inp.analysed.scale_of(*s);
        let _ = writeln!(
            b,
            "<h3>{from} → {to} — {}</h3>",
            esc(&scale_title(inp, w, *s))
        );
        let (fy, ty) = (from.to_string(), to.to_string());
        // The interval of the linking error only across the change of
        // scale: on one scale there is none, and an empty column read as
        // no uncertainty.
        let across = inp.analysed.frame.scales[*s].is_linked();
        any_native |= !across;
        let mut heads = vec![fy.as_str(), ty.as_str(), w.pick("Förändring", "Change")];
        if across {
            heads.push(w.pick(
                "95 %-intervall, länkningsfel",
                "95 % interval, linking error",
            ));
        }
        table_head(b, &[w.area()], &heads);
        let (linked, summed, missing) = step_rows(b, (p, across), scale, rows);
        any_linked |= linked;
        any_summed |= summed;
        any_missing |= missing;
        b.push_str("</table>\n");
    }
    if any_missing {
        let _ = writeln!(
            b,
            "<p class=\"note\">{MISSING} {}</p>",
            w.pick(
                "Området eller totalen har ingen poäng i omgången så markerad (eller avvisades vid valideringen, rejects.csv): ingen förändring.",
                "The area or the total has no score in the round so marked (or it was rejected by validation, rejects.csv): no change."
            )
        );
    }
    if steps.is_empty() {
        let _ = writeln!(
            b,
            "<p>{}</p>",
            w.pick(
                "Ingen förändring att visa: kommunen har inte två omgångar i följd på jämförbara \
                 skalor med ett område eller totalen gemensamt.",
                "No change to show: the municipality has no two successive rounds on comparable \
                 scales with an area or the total in common."
            )
        );
    }
    if any_linked {
        linked_note(b, p, false);
    }
    // Said only beside a table on one scale: under a page's only, linked,
    // table it spoke of tables not there.
    if any_linked && any_native {
        note(
            b,
            w.pick(
                "Förändringar på samma skala har inget länkningsfel; intervallet visas bara i tabellerna över skalbytet.",
                "Changes on one scale carry no linking error; the interval is shown only in the tables across the change of scale."
            ),
        );
    }
    if any_summed {
        sum_note(b, p);
    }
}

/// The rows of one step of the change table: every area and the total, one
/// without both ends with the end it has and `–` for the other and the
/// change (it was left out without a word, where the comparison table
/// above shows it; then both ends were blank, the one there too); the rows
/// as they are where no area has both; with the interval's column where the step is `across`
/// the change of scale. Returns whether an end is linked, whether one is
/// a sum of its parts, and whether a row is `–`.
fn step_rows(
    b: &mut String,
    (p, across): (&Page, bool),
    scale: &Scale,
    rows: &[&Trend],
) -> (bool, bool, bool) {
    let (mut any_linked, mut any_summed, mut any_missing) = (false, false, false);
    for (item, t) in with_gaps(scale, rows, |t| t.item) {
        let Some(t) = t else {
            let (linked, summed, missing) = gap_row(b, (p, across), scale, rows[0], item);
            any_linked |= linked;
            any_summed |= summed;
            any_missing |= missing;
            continue;
        };
        let (linked, summed) = change_row(b, (p, across), scale, t);
        any_linked |= linked;
        any_summed |= summed;
    }
    (any_linked, any_summed, any_missing)
}

/// The row of `item`, which the step of `step` (any of its changes) has
/// no change of: the ends it has (a linked one marked, a sum of its parts
/// marked [`summed`]) and `–` for one it has not, and as the change. An
/// item with both ends has its change on a scale both rounds share, in
/// that scale's table above (the linked scale's is the last): its change
/// cell says so. Returns whether an end is linked, whether one is a sum,
/// and whether an end is `–`.
fn gap_row(
    b: &mut String,
    (p, across): (&Page, bool),
    scale: &Scale,
    step: &Trend,
    item: ItemIx,
) -> (bool, bool, bool) {
    let s = usize::from(step.scale);
    let (mut linked, mut sums) = (false, false);
    let ends = [step.from_year, step.to_year].map(|y| {
        let (v, link) = end_of(p, s, y, item)?;
        let derived = p.derived(y, s, item, link.map(|l| l.0));
        linked |= link.is_some();
        sums |= derived;
        Some(summed(shown_end(p, v, link), derived))
    });
    let missing = ends.iter().any(Option::is_none);
    let change = match missing {
        true => MISSING,
        false => p.w.pick("på sin skala ovan", "on its own scale above"),
    };
    let [from, to] = ends.map(|e| e.unwrap_or_else(|| MISSING.to_string()));
    // No change here, no interval: `–`, as the change (it was empty).
    let interval = if across {
        format!("<td>{MISSING}</td>")
    } else {
        String::new()
    };
    let _ = writeln!(
        b,
        "<tr><td class=\"t\">{}</td><td>{from}</td><td>{to}</td><td>{change}</td>{interval}</tr>",
        esc(&p.w.item_label(scale, item)),
    );
    (linked, sums, missing)
}

/// One change of the table (`t`, on `scale`): its two ends (a linked one
/// with where it was linked from), the change and, where an end is
/// linked, the interval with the linking error. Returns whether an end is
/// linked, and whether one is a sum of its parts (marked [`summed`]). The
/// interval's cell only where the table is `across` the change of scale.
fn change_row(
    b: &mut String,
    (p, across): (&Page, bool),
    scale: &Scale,
    t: &Trend,
) -> (bool, bool) {
    let (inp, w) = (p.inp, &p.w);
    let derived = |year, link: Option<(u16, f32)>| {
        p.derived(year, usize::from(t.scale), t.item, link.map(|l| l.0))
    };
    let ends = [(t.from_year, t.from_link), (t.to_year, t.to_link)].map(|(y, l)| derived(y, l));
    let end =
        |v: f64, link: Option<(u16, f32)>, derived: bool| summed(shown_end(p, v, link), derived);
    let linked = t.is_linked();
    let interval = match change_half_width(inp, t) {
        Some(Some(h)) => format!("{} – {}", w.num(t.delta() - h), w.num(t.delta() + h)),
        Some(None) => w.pick("okänt", "unknown").to_string(),
        None => String::new(),
    };
    let interval = match across {
        true => format!("<td>{interval}</td>"),
        false => String::new(),
    };
    let _ = writeln!(
        b,
        "<tr><td class=\"t\">{}</td><td>{}</td><td>{}</td><td>{}</td>{interval}</tr>",
        esc(&w.item_label(scale, t.item)),
        end(t.from_score, t.from_link, ends[0]),
        end(t.to_score, t.to_link, ends[1]),
        {
            let (change, decimals) = shown_change(t);
            w.signed_to(change, decimals)
        }
    );
    (linked, ends[0] || ends[1])
}

/// The municipality's score of `item` on frame scale `s` in `year`, with
/// the link it came through (as a change's end has it), if it has one.
fn end_of(p: &Page, s: usize, year: u16, item: ItemIx) -> Option<(f64, Option<(u16, f32)>)> {
    let f = p.inp.analysed.frame;
    let points = f.scale_points(s);
    let m = p.m;
    // A scale's points are sorted by municipality and year.
    let at = points.partition_point(|q| (q.muni, q.year) < (m, year));
    (points[at..].iter())
        .take_while(|q| (q.muni, q.year) == (m, year))
        .find(|q| q.item == item)
        .map(|q| (q.value, f.linked_from(q)))
}

/// Change `t` as its ends are shown, and the decimals to show it to: the
/// difference of the two figures as written (a linked end to one decimal,
/// a score as the data gives it, up to four), to as many decimals as the
/// end with more (at least one), so that the row adds up as read:
/// `500,25 | 510 | +9,75`, not the exact change rounded to one decimal
/// (`+9,8`); `23,4* | 43,7* | +20,3` where the exact change of the linked
/// ends is 20,36 (report audit, 2026-12-02).
pub(super) fn shown_change(t: &Trend) -> (f64, usize) {
    let end = |v: f64, link: Option<(u16, f32)>| score_as_shown(v, link.is_some());
    let (from, d_from) = end(t.from_score, t.from_link);
    let (to, d_to) = end(t.to_score, t.to_link);
    (to - from, d_from.max(d_to).max(1))
}

/// The half-width of the 95 % interval of change `t` across the change
/// of scale, with its linking error (`delta_se` times the larger t
/// quantile of its ends' links at their scores, [`interval_half_width`]):
/// `None` for a change on one scale,
/// `Some(None)` where the linking error is not estimated.
pub(super) fn change_half_width(inp: &Inputs, t: &Trend) -> Option<Option<f64>> {
    let half = |se| interval_half_width(inp.analysed.linking, se, t.links());
    t.is_linked().then(|| t.delta_se.map(half))
}

/// One end of a change as shown: a linked one with where it was linked
/// from (in its title).
fn shown_end(p: &Page, v: f64, link: Option<(u16, f32)>) -> String {
    let (inp, w) = (p.inp, &p.w);
    match link {
        Some((l, src)) => {
            // The scale and the item it was linked from: a 2020-scale area
            // is linked to a new-scale area of another number.
            let from = (inp.analysed.linking)
                .and_then(|k| k.items.get(usize::from(l)))
                .map(|i| {
                    let scale = inp.analysed.instruments.get(i.from);
                    let item = w.item_label(scale, i.from_item);
                    format!("{}: {item}", w.scale_short(scale))
                })
                .unwrap_or_default();
            format!(
                "<span title=\"{} {} ({})\">{}</span>",
                w.pick("länkat från", "linked from"),
                w.score(f64::from(src)),
                esc(&from),
                linked_value(w, v, None)
            )
        }
        None => w.score(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trend(ends: (f64, f64), links: (bool, bool)) -> Trend {
        let link = |l: bool, i: u16| l.then_some((i, 50.0));
        Trend {
            muni: 0,
            scale: 0,
            item: 0,
            from_year: 2008,
            to_year: 2021,
            round_from: 1,
            round_to: 2,
            from_score: ends.0,
            to_score: ends.1,
            delta_se: None,
            from_link: link(links.0, 0),
            to_link: link(links.1, 1),
        }
    }

    /// By hand: linked ends 23.36 and 43.72 are shown 23,4 and 43,7, whose
    /// difference is 20,3 (the exact 20.36 would show +20,4); a score of
    /// 62.25 against a linked 60.04 (60,0) is 2.25 to two decimals.
    #[test]
    fn a_change_is_taken_from_its_ends_as_shown() {
        let (c, d) = shown_change(&trend((23.36, 43.72), (true, true)));
        assert!((c - 20.3).abs() < 1e-9 && d == 1, "{c} {d}");
        let (c, d) = shown_change(&trend((60.04, 62.25), (true, false)));
        assert!((c - 2.25).abs() < 1e-9 && d == 2, "{c} {d}");
        let (c, d) = shown_change(&trend((500.0, 510.0), (false, false)));
        assert!((c - 10.0).abs() < 1e-9 && d == 1, "{c} {d}");
    }
}
