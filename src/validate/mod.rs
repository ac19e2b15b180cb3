//! Rules that need every row at once: conflicting and duplicate scores,
//! areas and totals derived from their parts, sums that disagree by more than
//! rounding allows, checks against the register and the calendar, and a
//! file read as another country's than its codes are.
//!
//! The result is the canonical table: one score per evaluation and item, each
//! either published (with its source line) or derived (a sum of published
//! parts). Nothing is ever invented: an area is derived only when all its
//! sub-questions are present, a total only when all areas are.

mod checks;
mod conflicts;
mod derive;
mod gather;
mod names;
mod order;
mod other_country;
pub mod output;
mod reconcile;
mod repeats;
pub mod rules;
pub mod spill;
mod stale;
mod validated;

pub use names::Unregistered;
pub use reconcile::{Reconciliation, RowCounts};
pub use validated::{Origin, Score, ScoreCounts, Validated};

use std::ops::Range;

use rayon::prelude::*;

use crate::error::Result;
use crate::ingest::{EvalInfo, Ingested, Observation, RejectedRow};
use crate::reference::instrument::Instruments;
use crate::reference::register::Register;
use crate::validate::rules::Finding;
use checks::check_evaluations;
use conflicts::reject_conflicts;
use derive::{SumFault, derive_and_check, sum_findings};
use gather::gather;
use order::evaluation_order;
use repeats::drop_duplicates;

/// Scores of one item that differ by less than this are the same score.
const SAME: f64 = crate::stats::NOISE;

/// Whether two scores of one item are the same: within [`SAME`], or, where
/// one was read back from `evaluations.csv`, within the half unit of its
/// last decimal that the table rounded it to (an export's `10.3333333`
/// beside the table's `10.333333` made from it is a duplicate, not a
/// conflict that rejected both).
fn same_score(a: &Observation, b: &Observation) -> bool {
    let read_back = a.table.is_some() || b.table.is_some();
    let rounding = match read_back {
        true => 0.5 * 10f64.powi(-(output::SCORE_DECIMALS as i32)),
        false => 0.0,
    };
    (a.value - b.value).abs() < rounding + SAME
}

/// Rounding error a published figure may carry: half a point.
const HALF_POINT: f64 = 0.5;

/// How far a published sum may be from the sum of its `parts` published
/// parts, each rounded to a whole point (half a point off at most): half a
/// point for each of the parts and for the sum itself.
pub fn rounding_allowance(parts: usize) -> f64 {
    HALF_POINT * (1 + parts) as f64
}

/// Whether a published sum `given` agrees with the sum `sum` of its `parts`
/// published parts within rounding.
pub fn within_rounding(given: f64, sum: f64, parts: usize) -> bool {
    (given - sum).abs() <= rounding_allowance(parts) + SAME
}
/// The first year Kommunkompassen was used in Sweden.
pub const FIRST_YEAR: u16 = 2002;

/// Applies the cross-row rules. The files are read again (in the
/// encoding they were read in, `ing.read_with`) for the raw text of rows
/// rejected here.
pub fn validate(
    mut ing: Ingested,
    instruments: &Instruments,
    register: &Register,
    current_year: u16,
) -> Result<Validated> {
    let encoding = ing.read_with.encoding;
    let mut obs = std::mem::take(&mut ing.obs);
    // Stable sorts on all cores: the same order as one core gives.
    // Of each item its published scores first: a derived one read back
    // gives way to them (`stale`).
    let key = |o: &Observation| (o.eval, o.item, stale::derived_mark(o), o.file, o.line);
    // Long exports list an evaluation's items in order: often nothing to do.
    if !obs.is_sorted_by_key(key) {
        obs.par_sort_by_key(key);
    }

    let superseded = stale::give_way(&mut obs);
    let conflicts = reject_conflicts(&mut ing, &mut obs, instruments, encoding)?;
    let (conflicted, mut gone) = (conflicts.items, conflicts.rows);
    conflicts::first_rows_kept(&mut ing.evals, &obs, &gone);
    // Between the rules no finding is pointed to by index.
    ing.spill_over()?;
    let obs = drop_duplicates(&mut ing, obs, instruments)?;
    let changed = (conflicted.as_slice(), superseded.as_slice());
    let (mut parts, faults, mut stale) = check_scores(&ing.evals, obs, changed, instruments);
    sum_findings(&mut ing, faults, instruments, encoding)?;
    stale.extend(superseded);
    gone.extend(stale::reject_stale(&mut ing, stale, instruments, encoding)?);
    ing.spill_over()?;
    let runs = runs_of(&parts);
    // The evaluation of each run.
    let with_scores: Vec<u32> = (runs.iter())
        .map(|(p, range)| parts[*p][range.start].eval)
        .collect();
    // The names and former codes of the rows kept only (rows read as kept
    // were rejected since).
    gone.sort_unstable();
    gone.dedup();
    ing.names_without(&gone, (instruments, register))?;
    names::settle(&mut ing);
    let unregistered = Unregistered::of(&ing.evals, register);
    let found = check_evaluations(
        (&ing.evals, &ing.files),
        (
            &std::mem::take(&mut ing.other_names),
            &std::mem::take(&mut ing.former_codes),
            &unregistered,
        ),
        &with_scores,
        instruments,
        register,
        current_year,
    );
    ing.findings.extend(found);
    (ing.findings).extend(other_country::other_country(&ing.files, register));
    ing.spill_over()?;
    let rank = evaluation_order(&ing.evals, &with_scores, instruments);
    let scores = gather(&parts, &runs, &rank);
    parts.clear();
    let (findings, rejected) = in_line_order(
        std::mem::take(&mut ing.findings),
        std::mem::take(&mut ing.rejected),
    );

    let counts = ScoreCounts {
        evaluations: scores.chunk_by(|a, b| a.eval == b.eval).count(),
        scores: scores.len(),
        derived: (scores.iter())
            .filter(|s| s.origin == Origin::Derived)
            .count(),
    };
    Ok(Validated {
        files: ing.files,
        evals: ing.evals,
        scores,
        counts,
        findings,
        rejected,
        spilled: ing.spilled,
        other_files: Vec::new(),
        skipped: ing.skipped,
        unregistered,
    })
}

/// Each evaluation's canonical scores, checked, on all cores: runs of whole
/// evaluations kept in order, one part per piece of work; the sums that do
/// not add up, in the order one pass gives; and the derived scores read
/// back whose parts changed (`stale::rederive`). `changed`: the
/// (evaluation, item) given with conflicting scores (sorted), derived from
/// nothing, and the derived scores that gave way to published ones.
fn check_scores(
    evals: &[EvalInfo],
    obs: Vec<Observation>,
    (conflicted, superseded): stale::Changed,
    instruments: &Instruments,
) -> (Vec<Vec<Score>>, Vec<SumFault>, Vec<stale::Stale>) {
    type Part = (Vec<Score>, Vec<SumFault>, Vec<stale::Stale>);
    let parts: Vec<Part> = obs
        .par_chunk_by(|a, b| a.eval == b.eval)
        .fold(
            || (Vec::new(), Vec::new(), Vec::new()),
            |(mut scores, mut faults, mut stale), group| {
                let eval = group[0].eval;
                let c = conflicted.partition_point(|c| c.0 < eval);
                let c = c..c + conflicted[c..].partition_point(|c| c.0 == eval);
                let s = superseded.partition_point(|s| s.eval() < eval);
                let s = s..s + superseded[s..].partition_point(|s| s.eval() == eval);
                let changed = (&conflicted[c], &superseded[s]);
                derive_and_check(
                    (&mut faults, &mut stale),
                    (evals, changed),
                    group,
                    instruments,
                    &mut scores,
                );
                (scores, faults, stale)
            },
        )
        .collect();
    drop(obs);
    let (mut faults, mut stale) = (Vec::new(), Vec::new());
    let parts = (parts.into_iter())
        .map(|(scores, mut of_part, mut stale_of_part)| {
            faults.append(&mut of_part);
            stale.append(&mut stale_of_part);
            scores
        })
        .collect();
    (parts, faults, stale)
}

/// One run of scores per evaluation (a part and a range in it), in
/// evaluation order, items in instrument order.
fn runs_of(parts: &[Vec<Score>]) -> Vec<(usize, Range<usize>)> {
    (parts.iter().enumerate())
        .flat_map(|(p, scores)| {
            let mut start = 0;
            scores.chunk_by(|a, b| a.eval == b.eval).map(move |run| {
                start += run.len();
                (p, start - run.len()..start)
            })
        })
        .collect()
}

/// The findings in the order of their file and line (each one's place
/// among those of the same line kept), and the rejected rows with the
/// new places of their findings, in the same order. The findings are
/// moved in place: a copy of them doubled the memory of a file whose rows
/// are all rejected.
fn in_line_order(
    mut findings: Vec<Finding>,
    mut rejected: Vec<RejectedRow>,
) -> (Vec<Finding>, Vec<RejectedRow>) {
    let key = |f: &Finding| (f.file, f.line);
    if !findings.is_sorted_by_key(key) {
        let mut order: Vec<usize> = (0..findings.len()).collect();
        order.sort_by_key(|&i| (key(&findings[i]), i));
        let mut new_ix = vec![0usize; findings.len()];
        for (n, &i) in order.iter().enumerate() {
            new_ix[i] = n;
        }
        for r in &mut rejected {
            r.finding = new_ix[r.finding];
        }
        // Each finding swapped straight to its place: one cycle of the
        // permutation at a time.
        for i in 0..findings.len() {
            while new_ix[i] != i {
                let to = new_ix[i];
                findings.swap(i, to);
                new_ix.swap(i, to);
            }
        }
    }
    rejected.sort_by_key(|r| (r.file, r.line));
    (findings, rejected)
}

/// This year by the system clock (UTC), for the year-range rule.
pub fn current_year() -> u16 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // Days to civil year (H. Hinnant's algorithm).
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    u16::try_from(year).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::rules::{Context, Rule};

    fn finding(file: u32, line: u32, value: &str) -> Finding {
        Finding {
            rule: Rule::AboveMax,
            file,
            line,
            column: "score".into(),
            value: value.into(),
            message: String::new(),
            context: Context::default(),
        }
    }

    #[test]
    fn findings_are_put_in_line_order_in_place_and_rejects_follow_them() {
        // Found out of order (a file's findings, then the evaluations'),
        // two on line 3 of file 0 keeping their order.
        let found = vec![
            finding(1, 2, "a"),
            finding(0, 3, "b"),
            finding(0, 9, "c"),
            finding(0, 3, "d"),
            finding(0, 1, "e"),
        ];
        let rejected = [(1, 2, 0), (0, 9, 2), (0, 3, 3)]
            .map(|(file, line, finding)| RejectedRow {
                file,
                line,
                finding,
                raw: String::new(),
                cell: false,
            })
            .to_vec();
        let (found, rejected) = in_line_order(found, rejected);
        let values: Vec<&str> = found.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(values, ["e", "b", "d", "c", "a"]);
        let theirs: Vec<&str> = (rejected.iter())
            .map(|r| found[r.finding].value.as_str())
            .collect();
        assert_eq!(theirs, ["d", "c", "a"]);
    }
}
