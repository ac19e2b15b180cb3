//! An evaluation's canonical scores: areas and totals derived from
//! complete parts, published sums checked against their parts within the
//! rounding allowance.

use super::{Score, rounding_allowance, within_rounding};
use crate::error::Result;
use crate::ingest::{EvalInfo, Ingested, Observation};
use crate::io::dialect::{Encoding, in_message};
use crate::reference::instrument::{Instruments, ItemIx, ItemKind};
use crate::validate::rules::{Context, Finding, Rule};
use crate::validate::stale::{Changed, Stale, derived_mark, is_sum, rederive};

/// A published area or total that its published parts do not add up to
/// within rounding: what its `area-sum` or `total-sum` finding is made of
/// once its row is read again ([`sum_findings`]). 40 bytes, where the
/// finding takes some 300 with its message: an export of wrong sums has
/// one per area and total of every evaluation, and these were all held
/// as findings until the last was made.
#[derive(Debug, Clone, Copy)]
pub(super) struct SumFault {
    file: u32,
    line: u32,
    eval: u32,
    item: ItemIx,
    /// The parts added up.
    parts: u16,
    /// The rounded published figures behind the parts (for the allowance).
    figures: u32,
    given: f64,
    sum: f64,
}

/// Builds one evaluation's canonical scores from its observations (sorted by
/// item): derives missing areas and totals from complete parts and notes
/// where published sums disagree by more than rounding allows. An item of
/// `changed.0` (the evaluation's items given with conflicting scores, all
/// rejected) is not derived: the export gave it, with figures its parts
/// need not agree with (70 and 71 where the parts add up to 100), and a
/// sum in their place would be a figure the export did not give. A
/// derived score read back whose parts are among those, or among
/// `changed.1` (derived scores that gave way to published ones), is
/// derived again, or dropped, and noted in `stale`.
pub(super) fn derive_and_check(
    (faults, stale): (&mut Vec<SumFault>, &mut Vec<Stale>),
    (evals, changed): (&[EvalInfo], Changed),
    group: &[Observation],
    instruments: &Instruments,
    scores: &mut Vec<Score>,
) {
    let eval = group[0].eval;
    let info = &evals[eval as usize];
    let scale = instruments.get(info.key.scale);
    let mut have: Vec<Option<Score>> = vec![None; scale.items.len()];
    // kompass's own table read back: its derived scores stay derived, and
    // nothing more is derived (what it did not derive, it had a reason not
    // to: a total whose published figures conflicted).
    let own = group.iter().any(|o| o.table.is_some());
    // A `derived` mark is kompass's only where it could have derived the
    // item: an area or total with all its parts there, and their sum (to
    // the table's six decimals). Elsewhere (a hand-edited table marking a
    // sub-question, a total without its areas, an area edited away from
    // its parts' sum) the score is the row's: published, its row its
    // source (an `area-sum` finding named the evaluation's first row).
    let value_of = |ix: &ItemIx| group.iter().find(|o| o.item == *ix).map(|o| o.value);
    let derivable = |ix: ItemIx, value: f64| {
        let parts = &scale.get(ix).parts;
        let sum: Option<f64> = parts.iter().map(value_of).sum();
        !parts.is_empty() && sum.is_some_and(|sum| is_sum(sum, value))
    };
    for o in group {
        let derived = derived_mark(o) && derivable(o.item, o.value);
        let source = (!derived).then_some((o.file, o.line));
        have[o.item as usize] = Some(Score::new(eval, o.item, o.value, source));
    }
    // A derived score read back whose parts have changed since: derived
    // again, or dropped.
    rederive((scale, eval), group, changed, &mut have, stale);
    let conflicted = changed.0;
    // Rounded published figures behind each item's value.
    let mut figures = vec![1usize; scale.items.len()];
    let check = |faults: &mut Vec<SumFault>,
                 have: &mut Vec<Option<Score>>,
                 figures: &mut Vec<usize>,
                 ix: ItemIx| {
        let item = scale.get(ix);
        let parts: Option<Vec<Score>> = item.parts.iter().map(|&p| have[p as usize]).collect();
        let Some(parts) = parts.filter(|p| !p.is_empty()) else {
            return;
        };
        let sum: f64 = parts.iter().map(|p| p.value).sum();
        let part_figures: usize = item.parts.iter().map(|&p| figures[p as usize]).sum();
        match have[ix as usize] {
            None if own || conflicted.iter().any(|c| c.1 == ix) => {}
            None => {
                have[ix as usize] = Some(Score::new(eval, ix, sum, None));
                figures[ix as usize] = part_figures;
            }
            Some(given) => {
                // kompass's own sum read back: its parts' figures, as when
                // it was derived (the total's allowance counts them); still
                // checked (a hand-edited table).
                if given.source().is_none() {
                    figures[ix as usize] = part_figures;
                }
                if !within_rounding(given.value, sum, part_figures) {
                    let (file, line) = given.source().unwrap_or((info.file, info.line));
                    faults.push(SumFault {
                        file,
                        line,
                        eval,
                        item: ix,
                        parts: u16::try_from(parts.len()).unwrap_or(u16::MAX),
                        figures: u32::try_from(part_figures).unwrap_or(u32::MAX),
                        given: given.value,
                        sum,
                    });
                }
            }
        }
    };
    for &area in scale.areas() {
        check(faults, &mut have, &mut figures, area);
    }
    check(faults, &mut have, &mut figures, scale.total());
    scores.extend(have.into_iter().flatten());
}

impl SumFault {
    /// Its finding: the score's column as the header names it (in
    /// `file`, if known), its text as written (`cell`, `614,5`), else the
    /// number.
    fn finding(
        &self,
        instruments: &Instruments,
        info: &EvalInfo,
        column: &str,
        cell: Option<&str>,
    ) -> Finding {
        let scale = instruments.get(info.key.scale);
        let item = scale.get(self.item);
        let (rule, what, named) = match item.kind {
            ItemKind::Total => (Rule::TotalSum, "areas", "the total".to_string()),
            _ => (Rule::AreaSum, "sub-questions", format!("area {}", item.id)),
        };
        let value = match cell {
            Some(cell) => cell.into(),
            None => compact_str::format_compact!("{}", self.given),
        };
        let (given, sum) = (self.given, self.sum);
        Finding {
            rule,
            file: self.file,
            line: self.line,
            column: column.into(),
            value,
            message: format!(
                "{named} is {given} but its {} {what} add up to {} (difference {}; rounding allows \
                 {})",
                self.parts,
                in_message(sum),
                in_message((given - sum).abs()),
                rounding_allowance(self.figures as usize),
            ),
            context: Context::of(instruments, info, &item.id),
        }
    }
}

/// The `area-sum` and `total-sum` findings of `faults`, with their score
/// cells as written (`614,5`): their rows read again one by one, file by
/// file, each finding made in line order and put on disk beyond the limit
/// as it is made ([`Ingested::spill_over`]).
pub(super) fn sum_findings(
    ing: &mut Ingested,
    mut faults: Vec<SumFault>,
    instruments: &Instruments,
    encoding: Encoding,
) -> Result<()> {
    // Stable: a wide row's areas, then its total, as they were checked.
    faults.sort_by_key(|f| (f.file, f.line));
    // A score's own file (a published score has its source).
    ing.rows_again(
        &faults,
        |f| (f.file, f.line),
        encoding,
        |ing, info, row, raw| {
            for f in row {
                let eval = &ing.evals[f.eval as usize];
                let scale = instruments.get(eval.key.scale);
                let column = info.score_column(scale, f.item);
                // A row not found again (no fields) keeps the number.
                let cell = column.and_then(|c| raw.fields.get(c.index));
                let column = column.map_or("", |c| c.name.as_str());
                let finding = f.finding(instruments, eval, column, cell);
                ing.findings.push(finding);
            }
            ing.spill_over()
        },
    )?;
    Ok(())
}
