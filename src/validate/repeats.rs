//! The same item of the same evaluation given more than once: with
//! different scores a conflict (every row involved is rejected; of a wide
//! row, the cell, its other scores used), with the same score a duplicate
//! (kept once).

use std::collections::BTreeMap;

use super::SAME;
use crate::error::Result;
use crate::ingest::header::Layout;
use crate::ingest::{FileInfo, Ingested, Observation, RawRow, RejectedRow};
use crate::io::dialect::Encoding;
use crate::reference::instrument::{Instruments, ItemIx};
use crate::validate::rules::{Context, Finding, Rule};

/// What conflicts reject, each with its first conflict finding: whole
/// rows (a long row is its score; a wide row with no other score), and a
/// wide row's cells (the row's other scores used, as for a score out of
/// range).
#[derive(Debug, Default)]
pub(super) struct Conflicts {
    pub rows: BTreeMap<(u32, u32), usize>,
    pub cells: BTreeMap<(u32, u32, ItemIx), usize>,
}

impl Conflicts {
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty() && self.cells.is_empty()
    }

    /// Whether observation `o` is rejected with them.
    pub fn take(&self, o: &Observation) -> bool {
        self.rows.contains_key(&(o.file, o.line))
            || self.cells.contains_key(&(o.file, o.line, o.item))
    }

    /// A wide row none of whose scores is left (`obs`: every observation)
    /// is rejected whole, with its first conflict finding.
    fn whole_rows(&mut self, obs: &[Observation]) {
        let mut left: BTreeMap<(u32, u32), usize> =
            (self.cells.keys()).map(|&(f, l, _)| ((f, l), 0)).collect();
        for o in obs {
            if let Some(n) = left.get_mut(&(o.file, o.line))
                && !self.cells.contains_key(&(o.file, o.line, o.item))
            {
                *n += 1;
            }
        }
        for ((f, l), _) in left.into_iter().filter(|&(_, n)| n == 0) {
            // The row's cells only (a range of the map), not every cell.
            let of_row = (f, l, ItemIx::MIN)..=(f, l, ItemIx::MAX);
            let cells: Vec<_> = self.cells.range(of_row).map(|(&k, &i)| (k, i)).collect();
            let first = cells.iter().map(|&(_, i)| i).min();
            for (k, _) in cells {
                self.cells.remove(&k);
            }
            self.rows.extend(first.map(|i| ((f, l), i)));
        }
    }
}

/// Groups of the same item of the same evaluation with different values:
/// adds a finding for every observation involved and returns what they
/// reject.
pub(super) fn find_conflicts(
    ing: &mut Ingested,
    obs: &[Observation],
    instruments: &Instruments,
) -> Conflicts {
    let mut found = Conflicts::default();
    let names = file_names(ing);
    for group in obs.chunk_by(|a, b| a.eval == b.eval && a.item == b.item) {
        let first = group[0];
        if group.iter().all(|o| (o.value - first.value).abs() < SAME) {
            continue;
        }
        let info = &ing.evals[first.eval as usize];
        let scale = instruments.get(info.key.scale);
        let item = &scale.get(first.item).id;
        let all: Vec<String> = group
            .iter()
            .map(|o| format!("{} at {}:{}", o.value, names[o.file as usize], o.line))
            .collect();
        let message = format!(
            "item {item} of {} {} {} ({}) is given with different scores: {}",
            info.key.country,
            info.key.code,
            info.key.year,
            scale.id,
            all.join("; ")
        );
        let ctx = Context::of(instruments, info, item);
        for o in group {
            let at = ing.findings.len();
            match ing.files[o.file as usize].layout {
                Layout::Wide => found.cells.entry((o.file, o.line, o.item)).or_insert(at),
                Layout::Long => found.rows.entry((o.file, o.line)).or_insert(at),
            };
            ing.findings.push(Finding {
                rule: Rule::Conflict,
                file: o.file,
                line: o.line,
                column: ing.files[o.file as usize]
                    .score_column(scale, o.item)
                    .into(),
                value: compact_str::format_compact!("{}", o.value),
                message: message.clone(),
                context: ctx.clone(),
            });
        }
    }
    found.whole_rows(obs);
    found
}

/// Moves rows and cells rejected for conflicts to the rejected list, with
/// their rows' raw text read again from their files; each conflict
/// finding's value becomes its cell as written (`79,5`, not the number
/// read from it).
pub(super) fn reject_rows(
    ing: &mut Ingested,
    conflicts: &Conflicts,
    encoding: Encoding,
) -> Result<()> {
    let rows = &conflicts.rows;
    let cell_rows = conflicts.cells.keys().map(|&(f, l, _)| (f, l));
    let raws = rows_again(ing, rows.keys().copied().chain(cell_rows), encoding)?;
    values_as_written(&mut ing.findings, &ing.files, Rule::Conflict, &raws);
    // A cell rejected on its own in a row now rejected whole: the row's
    // entry says why (the cell's finding stays in the findings).
    (ing.rejected).retain(|r| !(r.cell && rows.contains_key(&(r.file, r.line))));
    if !ing.spilled.is_empty() && !rows.is_empty() {
        let mut whole: Vec<(u32, u32)> = rows.keys().copied().collect();
        whole.sort_unstable();
        ing.spilled.supersede(whole)?;
    }
    let cells = (conflicts.cells.iter()).map(|(&(f, l, _), &i)| ((f, l), i, true));
    let whole = rows.iter().map(|(&at, &i)| (at, i, false));
    for ((file, line), finding, cell) in cells.chain(whole) {
        let raw = raws.get(&(file, line)).map(|raw| raw.text.clone());
        ing.rejected.push(RejectedRow {
            file,
            line,
            finding,
            raw: raw.unwrap_or_default(),
            cell,
        });
    }
    Ok(())
}

/// Each input file's path as `inputs.csv` gives it, for messages that name
/// other rows: the same however the input was named (`-i .`, `-i /abs`).
fn file_names(ing: &Ingested) -> Vec<String> {
    ing.files
        .iter()
        .map(|f| crate::io::shown(&f.path))
        .collect()
}

/// The rows at `at` (file, line; in any order, repeats allowed) read
/// again from their files.
pub(super) fn rows_again(
    ing: &Ingested,
    at: impl Iterator<Item = (u32, u32)>,
    encoding: Encoding,
) -> Result<BTreeMap<(u32, u32), RawRow>> {
    let mut by_file: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (file, line) in at {
        by_file.entry(file).or_default().push(line);
    }
    let mut raws = BTreeMap::new();
    for (file, mut lines) in by_file {
        lines.sort_unstable();
        lines.dedup();
        for (line, raw) in ing.raw_rows(file, &lines, encoding)? {
            raws.insert((file, line), raw);
        }
    }
    Ok(raws)
}

/// Each finding of `rule` whose row is in `raws` gets its score cell as
/// written (`79,5`, `614,5`) for its `value`, not the number read from it.
pub(super) fn values_as_written(
    findings: &mut [Finding],
    files: &[FileInfo],
    rule: Rule,
    raws: &BTreeMap<(u32, u32), RawRow>,
) {
    for finding in findings.iter_mut().filter(|f| f.rule == rule) {
        let raw = raws.get(&(finding.file, finding.line));
        let index = (files.get(finding.file as usize)).and_then(|f| f.score_index(&finding.column));
        if let Some(cell) = raw.zip(index).and_then(|(raw, i)| raw.fields.get(i)) {
            finding.value = cell.into();
        }
    }
}

/// Keeps the first of equal scores of the same item and evaluation; one
/// warning per row that repeated something.
pub(super) fn drop_duplicates(
    ing: &mut Ingested,
    mut obs: Vec<Observation>,
    instruments: &Instruments,
) -> Result<Vec<Observation>> {
    // Each repeat's row, item and the score it repeats: a flat list, not a
    // map of lists (an export read twice repeats every row: 2.5 million
    // lists at 100,000 evaluations).
    let mut repeats: Vec<((u32, u32), ItemIx, Observation)> = Vec::new();
    // In place (no copy of tens of millions of observations): each later
    // one of a run of the same evaluation and item is dropped and noted
    // with the first, in order.
    obs.dedup_by(|o, first| {
        let repeat = o.eval == first.eval && o.item == first.item;
        if repeat {
            repeats.push(((o.file, o.line), o.item, *first));
        }
        repeat
    });
    let names = file_names(ing);
    // By row, each row's repeats in the order found (a stable sort).
    repeats.sort_by_key(|r| r.0);
    for items in repeats.chunk_by(|a, b| a.0 == b.0) {
        let ((file, line), _, first) = items[0];
        let info = &ing.evals[first.eval as usize];
        let scale = instruments.get(info.key.scale);
        let ids: Vec<&str> = items
            .iter()
            .map(|(_, ix, _)| scale.get(*ix).id.as_str())
            .collect();
        let item = if ids.len() == 1 { ids[0] } else { "" };
        let message = format!(
            "repeats {} {} {} ({}) item(s) {} with the same score(s) as {}:{}; kept once",
            info.key.country,
            info.key.code,
            info.key.year,
            scale.id,
            ids.join(", "),
            names[first.file as usize],
            first.line
        );
        let ctx = Context::of(instruments, info, item);
        ing.findings.push(Finding {
            rule: Rule::Duplicate,
            file,
            line,
            column: "item".into(),
            value: ids.join(", ").into(),
            message,
            context: ctx,
        });
        ing.spill_over()?;
    }
    Ok(obs)
}
