//! Planting faults in generated rows, each with the rule code and row that
//! validation must report: out-of-range and malformed scores, malformed
//! codes, conflicting duplicates, wrong maxima and area/sub-question sums
//! that disagree beyond rounding.

use super::export::{CODE, LONG_MAX, Renderer, Row, SynthEval};
use crate::ingest::header::Layout;
use crate::reference::instrument::{ItemIx, Scale};
use crate::stats::rng::Rng;
use crate::validate::rules::Rule;

/// A planted fault: the row (index into the evaluation's rows) and the rule.
#[derive(Debug, Clone)]
pub struct Planted {
    pub row: usize,
    pub rule: Rule,
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    AboveMax,
    Negative,
    BadNumber,
    BadCode,
    Conflict,
    MaxMismatch,
    AreaSum,
}

/// Areas whose value and every sub-question are published.
fn checkable_areas(ev: &SynthEval, scale: &Scale) -> Vec<ItemIx> {
    scale
        .areas()
        .iter()
        .copied()
        .filter(|&a| {
            let parts = &scale.get(a).parts;
            ev.values[a as usize].is_some()
                && !parts.is_empty()
                && parts.iter().all(|&p| ev.values[p as usize].is_some())
        })
        .collect()
}

/// Plants one fault in an evaluation's rows.
pub fn plant(
    rows: &mut Vec<Row>,
    ev: &SynthEval,
    scale: &Scale,
    r: &Renderer,
    rng: &mut Rng,
) -> Vec<Planted> {
    let areas = checkable_areas(ev, scale);
    let kinds = kinds(r.layout, !areas.is_empty());
    let kind = kinds[rng.range(0, kinds.len() as u32 - 1) as usize];
    let row = rng.range(0, rows.len() as u32 - 1) as usize;
    let cell = {
        let cells = &rows[row].scores;
        cells[rng.range(0, cells.len() as u32 - 1) as usize]
    };
    let (field, item) = cell;
    let max = scale.get(item).max;
    let one = |rule: Rule, note: String| vec![Planted { row, rule, note }];
    match kind {
        Kind::AboveMax => {
            let v = max + f64::from(rng.range(1, 9));
            rows[row].fields[field] = r.num(v);
            one(
                Rule::AboveMax,
                format!("item {} set to {v} (max {max})", scale.get(item).id),
            )
        }
        Kind::Negative => {
            let v = -f64::from(rng.range(1, 9));
            rows[row].fields[field] = r.num(v);
            one(
                Rule::NegativeScore,
                format!("item {} set to {v}", scale.get(item).id),
            )
        }
        Kind::BadNumber => {
            // Not "n/a": in a wide row that is a mark for a missing
            // score (`not-published`), not a bad number.
            let junk = if rng.chance(0.5) {
                format!("ca {}", rows[row].fields[field])
            } else {
                format!("{}x", rows[row].fields[field])
            };
            rows[row].fields[field] = junk.clone();
            one(
                Rule::BadNumber,
                format!("item {} written as '{junk}'", scale.get(item).id),
            )
        }
        Kind::BadCode => {
            let note = bad_code(&mut rows[row]);
            one(Rule::BadCode, note)
        }
        Kind::MaxMismatch => {
            rows[row].fields[LONG_MAX] = r.num(max + 5.0);
            one(
                Rule::MaxMismatch,
                format!(
                    "max of item {} written as {}",
                    scale.get(item).id,
                    max + 5.0
                ),
            )
        }
        Kind::Conflict => conflict(rows, (row, field, item), ev, scale, r),
        Kind::AreaSum => area_sum(rows, ev, scale, r, rng, &areas),
    }
}

/// The kinds of fault a `layout` row can have: a max only in the long
/// layout, an area's sum only where an area and its parts are published
/// (`areas`).
fn kinds(layout: Layout, areas: bool) -> Vec<Kind> {
    let mut kinds = vec![
        Kind::AboveMax,
        Kind::Negative,
        Kind::BadNumber,
        Kind::BadCode,
        Kind::Conflict,
    ];
    if layout == Layout::Long {
        kinds.push(Kind::MaxMismatch);
    }
    if areas {
        kinds.push(Kind::AreaSum);
    }
    kinds
}

/// Writes the row's code as Excel loses a leading zero (`114` for
/// `0114`), or with a letter; returns the note.
fn bad_code(row: &mut Row) -> String {
    let code = row.fields[CODE].clone();
    let bad = match code.strip_prefix('0') {
        Some(rest) => rest.to_string(),
        None => format!("{}X", &code[..code.len() - 1]),
    };
    row.fields[CODE] = bad.clone();
    format!("code {code} written as '{bad}'")
}

/// Gives the score of `item` in cell `field` of row `row` a second time,
/// one step away, in a copy of the row after it. A wide row's other
/// scores are given twice too, as they were: the copy also repeats them
/// (a `duplicate`), and they are used.
fn conflict(
    rows: &mut Vec<Row>,
    (row, field, item): (usize, usize, ItemIx),
    ev: &SynthEval,
    scale: &Scale,
    r: &Renderer,
) -> Vec<Planted> {
    let max = scale.get(item).max;
    let v = ev.values[item as usize].unwrap_or(0.0);
    let step = scale.resolution;
    let other = if v + step <= max { v + step } else { v - step };
    let mut copy = rows[row].clone();
    copy.fields[field] = r.num(other);
    rows.insert(row + 1, copy);
    let note = format!("item {} given as {v} and as {other}", scale.get(item).id);
    let planted = |row| Planted {
        row,
        rule: Rule::Conflict,
        note: note.clone(),
    };
    let mut found = vec![planted(row), planted(row + 1)];
    if rows[row].scores.len() > 1 {
        found.push(Planted {
            row: row + 1,
            rule: Rule::Duplicate,
            note: "the row's other scores given twice".into(),
        });
    }
    found
}

/// Moves an area away from the sum of its sub-questions by more than
/// rounding allows; also reports the total if that now disagrees too.
fn area_sum(
    rows: &mut [Row],
    ev: &SynthEval,
    scale: &Scale,
    r: &Renderer,
    rng: &mut Rng,
    areas: &[ItemIx],
) -> Vec<Planted> {
    let area = areas[rng.range(0, areas.len() as u32 - 1) as usize];
    let it = scale.get(area);
    let sum: f64 = it.parts.iter().filter_map(|&p| ev.values[p as usize]).sum();
    let allowed = 0.5 * (it.parts.len() + 1) as f64;
    let shift = (allowed + 2.0).ceil();
    let new = if sum + shift <= it.max {
        sum + shift
    } else {
        sum - shift
    };
    let find = |rows: &[Row], ix: ItemIx| {
        rows.iter()
            .enumerate()
            .find_map(|(n, row)| row.scores.iter().find(|c| c.1 == ix).map(|c| (n, c.0)))
    };
    let Some((row, field)) = find(rows, area) else {
        return Vec::new();
    };
    rows[row].fields[field] = r.num(new);
    let mut out = vec![Planted {
        row,
        rule: Rule::AreaSum,
        note: format!(
            "area {} set to {new}; its sub-questions add up to {sum}",
            it.id
        ),
    }];
    let total = scale.total();
    let areas_all: Option<Vec<f64>> = scale
        .areas()
        .iter()
        .map(|&a| ev.values[a as usize])
        .collect();
    if let (Some(t), Some(vals)) = (ev.values[total as usize], areas_all) {
        let areas_sum: f64 =
            vals.iter().sum::<f64>() - ev.values[area as usize].unwrap_or(0.0) + new;
        let allowed = 0.5 * (1 + scale.areas().len()) as f64;
        let total_row = find(rows, total).filter(|_| (t - areas_sum).abs() > allowed + 1e-9);
        if let Some((trow, _)) = total_row {
            out.push(Planted {
                row: trow,
                rule: Rule::TotalSum,
                note: format!("total {t} now differs from the areas' sum {areas_sum}"),
            });
        }
    }
    out
}
