//! An evaluation's canonical scores: areas and totals derived from
//! complete parts, published sums checked against their parts within the
//! rounding allowance.

use super::{Score, rounding_allowance, within_rounding};
use crate::error::Result;
use crate::ingest::{EvalInfo, FileInfo, Ingested, Observation};
use crate::io::dialect::Encoding;
use crate::reference::instrument::{Instruments, ItemIx, ItemKind};
use crate::validate::rules::{Context, Finding, Rule};

/// Builds one evaluation's canonical scores from its observations (sorted by
/// item): derives missing areas and totals from complete parts and warns
/// where published sums disagree by more than rounding allows.
pub(super) fn derive_and_check(
    findings: &mut Vec<Finding>,
    (evals, files): (&[EvalInfo], &[FileInfo]),
    group: &[Observation],
    instruments: &Instruments,
    scores: &mut Vec<Score>,
) {
    let eval = group[0].eval;
    let info = &evals[eval as usize];
    let scale = instruments.get(info.key.scale);
    let mut have: Vec<Option<Score>> = vec![None; scale.items.len()];
    for o in group {
        have[o.item as usize] = Some(Score::new(eval, o.item, o.value, Some((o.file, o.line))));
    }
    // Rounded published figures behind each item's value.
    let mut figures = vec![1usize; scale.items.len()];
    let check = |findings: &mut Vec<Finding>,
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
            None => {
                have[ix as usize] = Some(Score::new(eval, ix, sum, None));
                figures[ix as usize] = part_figures;
            }
            Some(given) => {
                let allowed = rounding_allowance(part_figures);
                let diff = (given.value - sum).abs();
                if !within_rounding(given.value, sum, part_figures) {
                    let (rule, what) = match item.kind {
                        ItemKind::Total => (Rule::TotalSum, "areas"),
                        _ => (Rule::AreaSum, "sub-questions"),
                    };
                    let (file, line) = given.source().unwrap_or((info.file, info.line));
                    // The score's column as the header names it; its text
                    // as written is put in `value` once the row is read
                    // again (`sums_as_written`).
                    let column =
                        (files.get(file as usize)).map_or("", |f| f.score_column(scale, ix));
                    let named = match item.kind {
                        ItemKind::Total => "the total".to_string(),
                        _ => format!("area {}", item.id),
                    };
                    findings.push(Finding {
                        rule,
                        file,
                        line,
                        column: column.into(),
                        value: compact_str::format_compact!("{}", given.value),
                        message: format!(
                            "{named} is {} but its {} {what} add up to {sum} (difference {diff}; rounding allows {allowed})",
                            given.value,
                            parts.len()
                        ),
                        context: Context::of(instruments, info, &item.id),
                    });
                }
            }
        }
    };
    for &area in scale.areas() {
        check(findings, &mut have, &mut figures, area);
    }
    check(findings, &mut have, &mut figures, scale.total());
    scores.extend(have.into_iter().flatten());
}

/// The `area-sum` and `total-sum` findings from `findings[before..]`
/// with their score cells as written (`614,5`), their rows read again one
/// by one, file by file (none of their texts held: an export of wrong
/// sums has one per area of every evaluation).
pub(super) fn sums_as_written(ing: &mut Ingested, before: usize, encoding: Encoding) -> Result<()> {
    let sums = [Rule::AreaSum, Rule::TotalSum];
    let mut at: Vec<(u32, u32, usize)> = (before..ing.findings.len())
        .filter(|&i| sums.contains(&ing.findings[i].rule))
        .map(|i| (ing.findings[i].file, ing.findings[i].line, i))
        .collect();
    at.sort_unstable();
    for of_file in at.chunk_by(|a, b| a.0 == b.0) {
        let info = ing.files[of_file[0].0 as usize].clone();
        info.each_row_again(
            of_file,
            |a| a.1,
            encoding,
            |row, raw| {
                for &(_, _, i) in row {
                    let f = &mut ing.findings[i];
                    // A row not found again (no fields) keeps the number.
                    let cell = info.score_index(&f.column).and_then(|c| raw.fields.get(c));
                    if let Some(cell) = cell {
                        f.value = cell.into();
                    }
                }
                Ok(())
            },
        )?;
    }
    Ok(())
}
