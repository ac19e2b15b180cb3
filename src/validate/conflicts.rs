//! The same item of the same evaluation given with different scores: every
//! row involved is rejected (of a wide row, the cell, its other scores
//! used; the whole row when it has no other score).
//!
//! Found in the sorted observations, the conflicting ones are noted in a
//! few bytes each; then each file is read again once, row by row, and each
//! row's findings (its cells as written) and rejected entry are made in
//! line order, so that they can go to disk as they are made
//! (`validate::spill`): an export read twice with every score changed
//! held about 1 KB per row.

use std::collections::HashMap;

use super::repeats::file_names;
use super::same_score;
use crate::error::Result;
use crate::ingest::{EvalInfo, Ingested, Observation, RawRow, RejectedRow};
use crate::io::dialect::Encoding;
use crate::reference::instrument::{Instruments, ItemIx};
use crate::validate::rules::{Context, Finding, Rule};

/// An observation in a conflict: where it is, its item, and its group
/// (the range of the observations of its evaluation and item).
#[derive(Debug, Clone, Copy)]
struct Involved {
    file: u32,
    line: u32,
    item: ItemIx,
    group: u32,
}

/// What [`reject_conflicts`] found.
#[derive(Debug, Default)]
pub(super) struct Conflicts {
    /// The (evaluation, item) of each conflict, sorted.
    pub(super) items: Vec<(u32, ItemIx)>,
    /// The rows rejected whole (file, line; sorted).
    pub(super) rows: Vec<(u32, u32)>,
}

/// Finds the conflicts of `obs` (sorted by evaluation, item, file and
/// line), adds their findings and rejected rows to `ing`, and drops the
/// observations they reject from `obs`.
pub(super) fn reject_conflicts(
    ing: &mut Ingested,
    obs: &mut Vec<Observation>,
    instruments: &Instruments,
    encoding: Encoding,
) -> Result<Conflicts> {
    let (mut involved, groups) = involved(obs);
    if involved.is_empty() {
        return Ok(Conflicts::default());
    }
    // The (evaluation, item) of each group, in order: derived from
    // nothing (`derive::derive_and_check`).
    let conflicted = (groups.iter())
        .map(|&(from, _)| (obs[from].eval, obs[from].item))
        .collect();
    // By row; a row's cells in item order (the order of their groups).
    involved.sort_by_key(|c| (c.file, c.line, c.item));
    let whole = whole_rows(&involved, obs);
    // An ingest cell rejected on its own in a row now rejected whole: the
    // row's entry says why (the cell's finding stays in the findings).
    let is_whole = |at: &(u32, u32)| whole.binary_search(at).is_ok();
    (ing.rejected).retain(|r| !(r.cell && is_whole(&(r.file, r.line))));
    if !ing.spilled.is_empty() {
        ing.spilled.supersede(whole.clone())?;
    }
    let names = file_names(ing);
    // The listings of the groups too large to list whole, made once (a
    // group's rows are far apart: one file's first and last).
    let long: HashMap<u32, String> = (groups.iter().enumerate())
        .filter(|(_, (from, to))| to - from > LISTED)
        .map(|(g, &(from, to))| (g as u32, listing(&obs[from..to], &names)))
        .collect();
    let refs = (obs.as_slice(), groups.as_slice(), names.as_slice(), &long);
    // Each row with its text (a row not found again still rejected).
    ing.rows_again(
        &involved,
        |c| (c.file, c.line),
        encoding,
        |ing, _, row, raw| {
            let whole = is_whole(&(row[0].file, row[0].line));
            reject_row(ing, row, raw, refs, whole, instruments);
            ing.spill_over()
        },
    )?;
    // The observations of the conflicting groups (sorted ranges) go.
    let (mut i, mut next) = (0, groups.iter().peekable());
    obs.retain(|_| {
        while next.next_if(|g| g.1 <= i).is_some() {}
        let drop = next.peek().is_some_and(|g| g.0 <= i);
        i += 1;
        !drop
    });
    Ok(Conflicts {
        items: conflicted,
        rows: whole,
    })
}

/// Moves where each evaluation first appears ([`EvalInfo`]'s `file` and
/// `line`, where findings about the evaluation stand) from a row rejected
/// whole (`gone`, sorted) to its first row kept among `obs` (what is left
/// once the conflicts are dropped): an `unknown-municipality` stood at a
/// rejected row (the code review of the seventy-sixth session). An
/// evaluation whose rows were all rejected keeps its first.
pub(super) fn first_rows_kept(evals: &mut [EvalInfo], obs: &[Observation], gone: &[(u32, u32)]) {
    let moved = |info: &EvalInfo| gone.binary_search(&(info.file, info.line)).is_ok();
    if gone.is_empty() || !evals.iter().any(moved) {
        return;
    }
    let mut first: HashMap<u32, (u32, u32)> = HashMap::new();
    for o in obs.iter().filter(|o| moved(&evals[o.eval as usize])) {
        let at = first.entry(o.eval).or_insert((o.file, o.line));
        *at = (*at).min((o.file, o.line));
    }
    for (eval, (file, line)) in first {
        (evals[eval as usize].file, evals[eval as usize].line) = (file, line);
    }
}

/// How many of a group's scores a conflict's message lists: a key column
/// filled down a whole export puts every row in one group, and every
/// row's message listing all the others made the findings grow with the
/// square of the rows (6,000 rows, 1.5 GB of `rejects.csv` and
/// `validation.csv`).
const LISTED: usize = 8;

/// A group's scores as its conflict messages give them (`50 at f.csv:2;
/// 51 at f.csv:3`): the first [`LISTED`], then how many rows more and the
/// range of their scores.
fn listing(group: &[Observation], names: &[String]) -> String {
    let at = |o: &Observation| format!("{} at {}:{}", o.value, names[o.file as usize], o.line);
    let shown = if group.len() <= LISTED {
        group.len()
    } else {
        LISTED - 1
    };
    let mut text: Vec<String> = group[..shown].iter().map(at).collect();
    let rest = &group[shown..];
    if !rest.is_empty() {
        let (lo, hi) = (rest.iter()).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), o| {
            (lo.min(o.value), hi.max(o.value))
        });
        let scores = if lo == hi {
            format!("{lo}")
        } else {
            format!("{lo} to {hi}")
        };
        text.push(format!("and {} rows more ({scores})", rest.len()));
    }
    text.join("; ")
}

/// The conflicting observations of `obs`, and their groups (ranges of
/// `obs`, in order).
fn involved(obs: &[Observation]) -> (Vec<Involved>, Vec<(usize, usize)>) {
    let (mut involved, mut groups) = (Vec::new(), Vec::new());
    let mut at = 0;
    for group in obs.chunk_by(|a, b| a.eval == b.eval && a.item == b.item) {
        let first = group[0];
        let range = (at, at + group.len());
        at += group.len();
        if group.iter().all(|o| same_score(o, &first)) {
            continue;
        }
        let g = groups.len() as u32;
        groups.push(range);
        involved.extend(group.iter().map(|o| Involved {
            file: o.file,
            line: o.line,
            item: o.item,
            group: g,
        }));
    }
    (involved, groups)
}

/// The rows (sorted) of `involved` (sorted by row) with no other score in
/// `obs`: rejected whole (a long row always; a wide row when every score
/// it gives is in a conflict).
fn whole_rows(involved: &[Involved], obs: &[Observation]) -> Vec<(u32, u32)> {
    let rows: Vec<((u32, u32), usize)> = (involved
        .chunk_by(|a, b| (a.file, a.line) == (b.file, b.line)))
    .map(|r| ((r[0].file, r[0].line), r.len()))
    .collect();
    let mut scores = vec![0usize; rows.len()];
    for o in obs {
        if let Ok(i) = rows.binary_search_by_key(&(o.file, o.line), |r| r.0) {
            scores[i] += 1;
        }
    }
    (rows.iter().zip(scores))
        .filter(|((_, conflicting), scores)| conflicting == scores)
        .map(|((at, _), _)| *at)
        .collect()
}

/// The observations, their conflicting groups (ranges of them), the
/// files' names and the listings of the long groups.
type Groups<'a> = (
    &'a [Observation],
    &'a [(usize, usize)],
    &'a [String],
    &'a HashMap<u32, String>,
);

/// One row's conflict findings (one per cell, its text as written in
/// `raw`) and its rejected entries: the whole row with its first finding,
/// or each cell with its own.
fn reject_row(
    ing: &mut Ingested,
    row: &[Involved],
    raw: &RawRow,
    (obs, groups, names, long): Groups,
    whole: bool,
    instruments: &Instruments,
) {
    let first = ing.findings.len();
    for c in row {
        let (from, to) = groups[c.group as usize];
        let group = &obs[from..to];
        let info = &ing.evals[group[0].eval as usize];
        let scale = instruments.get(info.key.scale);
        let item = &scale.get(c.item).id;
        let file = &ing.files[c.file as usize];
        let column = file.score_column(scale, c.item);
        let cell = column.and_then(|col| raw.fields.get(col.index));
        let column = column.map_or("", |col| col.name.as_str());
        // The cell as written; else the score read, looked up only then (a
        // lookup per cell through its group was rows × group size: 100,000
        // conflicting rows of one evaluation took 33 s).
        let value = match cell {
            Some(cell) => cell.into(),
            None => (group.iter())
                .find(|o| (o.file, o.line) == (c.file, c.line))
                .map(|o| compact_str::format_compact!("{}", o.value))
                .unwrap_or_default(),
        };
        let message = format!(
            "item {item} of {} {} {} ({}) is given with different scores: {}",
            info.key.country,
            info.key.code,
            info.key.year,
            scale.id,
            long.get(&c.group)
                .map_or_else(|| listing(group, names), String::clone)
        );
        let context = Context::of(instruments, info, item);
        ing.findings.push(Finding {
            rule: Rule::Conflict,
            file: c.file,
            line: c.line,
            column: column.into(),
            value,
            message,
            context,
        });
    }
    let entry = |finding: usize, cell: bool| RejectedRow {
        file: row[0].file,
        line: row[0].line,
        finding,
        raw: raw.text.clone(),
        cell,
    };
    match whole {
        true => ing.rejected.push(entry(first, false)),
        false => {
            let cells = (first..ing.findings.len()).map(|f| entry(f, true));
            ing.rejected.extend(cells);
        }
    }
}
