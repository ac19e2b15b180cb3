//! The same item of the same evaluation given more than once: with
//! different scores a conflict (every row involved is rejected; of a wide
//! row, the cell, its other scores used), with the same score a duplicate
//! (kept once).

use std::collections::BTreeMap;

use super::SAME;
use crate::error::Result;
use crate::ingest::header::Layout;
use crate::ingest::{Ingested, Observation, RejectedRow};
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
            .map(|o| {
                format!(
                    "{} at {}:{}",
                    o.value,
                    ing.files[o.file as usize].path.display(),
                    o.line
                )
            })
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
    let mut by_file: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    let cell_rows = conflicts.cells.keys().map(|&(f, l, _)| (f, l));
    for (file, line) in rows.keys().copied().chain(cell_rows) {
        by_file.entry(file).or_default().push(line);
    }
    for lines in by_file.values_mut() {
        lines.sort_unstable();
        lines.dedup();
    }
    let mut raws = BTreeMap::new();
    for (file, lines) in by_file {
        for (line, raw) in ing.raw_rows(file, &lines, encoding)? {
            raws.insert((file, line), raw);
        }
    }
    for finding in ing.findings.iter_mut() {
        if finding.rule != Rule::Conflict {
            continue;
        }
        let raw = raws.get(&(finding.file, finding.line));
        let index = ing.files[finding.file as usize].score_index(&finding.column);
        if let Some(cell) = raw.zip(index).and_then(|(raw, i)| raw.fields.get(i)) {
            finding.value = (*cell).into();
        }
    }
    // A cell rejected on its own in a row now rejected whole: the row's
    // entry says why (the cell's finding stays in the findings).
    (ing.rejected).retain(|r| !(r.cell && rows.contains_key(&(r.file, r.line))));
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

/// Keeps the first of equal scores of the same item and evaluation; one
/// warning per row that repeated something.
pub(super) fn drop_duplicates(
    ing: &mut Ingested,
    mut obs: Vec<Observation>,
    instruments: &Instruments,
) -> Vec<Observation> {
    let mut repeats: BTreeMap<(u32, u32), Vec<(ItemIx, Observation)>> = BTreeMap::new();
    // In place (no copy of tens of millions of observations): each later
    // one of a run of the same evaluation and item is dropped and noted
    // with the first, in order.
    obs.dedup_by(|o, first| {
        let repeat = o.eval == first.eval && o.item == first.item;
        if repeat {
            (repeats.entry((o.file, o.line)).or_default()).push((o.item, *first));
        }
        repeat
    });
    for ((file, line), items) in repeats {
        let first = items[0].1;
        let info = &ing.evals[first.eval as usize];
        let scale = instruments.get(info.key.scale);
        let ids: Vec<&str> = items
            .iter()
            .map(|(ix, _)| scale.get(*ix).id.as_str())
            .collect();
        let item = if ids.len() == 1 { ids[0] } else { "" };
        let message = format!(
            "repeats {} {} {} ({}) item(s) {} with the same score(s) as {}:{}; kept once",
            info.key.country,
            info.key.code,
            info.key.year,
            scale.id,
            ids.join(", "),
            ing.files[first.file as usize].path.display(),
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
    }
    obs
}
