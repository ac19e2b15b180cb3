//! The same item of the same evaluation given more than once with the same
//! score: a duplicate, kept once (with different scores, a conflict:
//! `conflicts`).

use crate::error::Result;
use crate::ingest::{Ingested, Observation};
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
        // The columns as the row's file names them: its score column (long
        // layout), or each repeated item's column (wide).
        let mut columns: Vec<&str> = (items.iter())
            .filter_map(|(_, ix, _)| ing.files.get(file as usize)?.score_column(scale, *ix))
            .map(|c| c.name.as_str())
            .collect();
        columns.dedup();
        let column = match columns.is_empty() {
            true => "item".to_string(),
            false => columns.join(", "),
        };
        let firsts = items
            .iter()
            .map(|(_, ix, o)| ((o.file, o.line), scale.get(*ix).id.as_str()));
        let message = format!(
            "repeats {} {} {} ({}) item(s) {} with the same score(s) as {}; kept once",
            info.key.country,
            info.key.code,
            info.key.year,
            scale.id,
            ids.join(", "),
            where_first(firsts, &names)
        );
        let ctx = Context::of(instruments, info, item);
        ing.findings.push(Finding {
            rule: Rule::Duplicate,
            file,
            line,
            column: column.into(),
            value: ids.join(", ").into(),
            message,
            context: ctx,
        });
        ing.spill_over()?;
    }
    Ok(obs)
}

/// Where the scores a row repeats were first given: `a.csv:2` when on one
/// line, else each line with its items (`a.csv:2 (1), a.csv:9 (3)`), in
/// the order of the row's items, at most `SHOWN` (8) lines and how many more.
fn where_first<'a>(
    firsts: impl Iterator<Item = ((u32, u32), &'a str)>,
    names: &[String],
) -> String {
    const SHOWN: usize = 8;
    let mut lines: Vec<((u32, u32), Vec<&str>)> = Vec::new();
    for (at, id) in firsts {
        match lines.iter_mut().find(|(l, _)| *l == at) {
            Some((_, ids)) => ids.push(id),
            None => lines.push((at, vec![id])),
        }
    }
    let place = |(file, line): (u32, u32)| format!("{}:{line}", names[file as usize]);
    if let [(at, _)] = lines.as_slice() {
        return place(*at);
    }
    let mut shown: Vec<String> = (lines.iter().take(SHOWN))
        .map(|(at, ids)| format!("{} ({})", place(*at), ids.join(", ")))
        .collect();
    if lines.len() > SHOWN {
        let more = lines.len() - SHOWN;
        shown.push(format!(
            "{more} line{} more",
            if more == 1 { "" } else { "s" }
        ));
    }
    shown.join(", ")
}
