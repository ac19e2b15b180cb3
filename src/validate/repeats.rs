//! The same item of the same evaluation given more than once with the same
//! score: a duplicate, kept once (with different scores, a conflict:
//! `conflicts`). And rows read again for a finding's cell as written.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::ingest::{FileInfo, Ingested, Observation, RawRow};
use crate::io::dialect::Encoding;
use crate::reference::instrument::{Instruments, ItemIx};
use crate::validate::rules::{Context, Finding, Rule};

/// Each input file's path as `inputs.csv` gives it, for messages that name
/// other rows: the same however the input was named (`-i .`, `-i /abs`).
pub(super) fn file_names(ing: &Ingested) -> Vec<String> {
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
