//! Scores kompass derived, read back from its own `evaluations.csv`, that
//! no longer stand beside a new export: a published score of the same item
//! takes the place of a derived one, and an area or total whose parts have
//! changed since (a conflict rejected one, a published score replaced one)
//! is derived again from its parts as they are now, or not at all where
//! one is missing. Either way the figures are those a run on the original
//! exports gives, whatever order the files are read in; the derived row
//! that gave way is rejected (`superseded`), so that every row read is
//! used or rejected.

use super::{Score, same_score};
use crate::error::Result;
use crate::ingest::{EvalInfo, Ingested, Observation, RejectedRow};
use crate::io::dialect::{Encoding, in_message};
use crate::reference::instrument::{Instruments, ItemIx, ItemKind, Scale};
use crate::validate::repeats::file_names;
use crate::validate::rules::{Context, Finding, Rule};

/// A derived score read back that gave way: its row, evaluation, item and
/// value, and why.
#[derive(Debug, Clone, Copy)]
pub(super) struct Stale {
    file: u32,
    line: u32,
    eval: u32,
    item: ItemIx,
    value: f64,
    why: Why,
}

#[derive(Debug, Clone, Copy)]
enum Why {
    /// An export publishes the item: the first such score (file, line,
    /// value).
    Published(u32, u32, f64),
    /// One of its parts changed: that part, whether a conflict rejected
    /// it, and the sum of its parts now (`None`: one is missing).
    Parts(ItemIx, bool, Option<f64>),
}

impl Stale {
    pub(super) fn eval(&self) -> u32 {
        self.eval
    }
}

/// What changed of an evaluation since its table was written: its items
/// given with conflicting scores (all rejected) and the derived scores that
/// gave way to published ones ([`give_way`]).
pub(super) type Changed<'a> = (&'a [(u32, ItemIx)], &'a [Stale]);

/// Whether `o` is a score kompass derived, read back from its table.
pub(super) fn derived_mark(o: &Observation) -> bool {
    o.table == Some(true)
}

/// Whether a derived score read back, `value`, is the sum of its parts,
/// `sum`, as kompass's table writes both: to six decimals, so that the
/// sum of up to eight parts and the value are at most 4.5e-6 apart; a hand
/// edit or a changed part is further off (an edit of 5e-5 was taken for
/// the sum within 1e-4: the audit of 2026-12-06).
pub(super) fn is_sum(sum: f64, value: f64) -> bool {
    (sum - value).abs() <= 1e-5
}

/// Drops from `obs` (sorted by evaluation, item, [`derived_mark`], file
/// and line: of each item its published scores first) every derived score
/// read back whose item is also published with another score, and
/// returns them, in order. One of the same score stays, for
/// `repeats::drop_duplicates` to keep the published one.
pub(super) fn give_way(obs: &mut Vec<Observation>) -> Vec<Stale> {
    let mut stale = Vec::new();
    let mut first: Option<Observation> = None;
    obs.retain(|o| {
        let same_item = |f: &Observation| f.eval == o.eval && f.item == o.item;
        if !first.as_ref().is_some_and(same_item) {
            first = Some(*o);
            return true;
        }
        let Some(published) = first.filter(|f| !derived_mark(f)) else {
            return true;
        };
        if !derived_mark(o) || same_score(o, &published) {
            return true;
        }
        stale.push(Stale {
            file: o.file,
            line: o.line,
            eval: o.eval,
            item: o.item,
            value: o.value,
            why: Why::Published(published.file, published.line, published.value),
        });
        false
    });
    stale
}

/// One evaluation's derived areas and total read back whose parts have
/// changed (`changed`: its items given with conflicting scores, and those
/// whose derived score gave way in [`give_way`], its `superseded`): each
/// derived again from its parts as `have` now holds them, or dropped where
/// one is missing; noted in `stale` unless the sum is what it was.
pub(super) fn rederive(
    (scale, eval): (&Scale, u32),
    group: &[Observation],
    (conflicted, superseded): Changed,
    have: &mut [Option<Score>],
    stale: &mut Vec<Stale>,
) {
    let mut changed: Vec<ItemIx> = (conflicted.iter().map(|c| c.1))
        .chain(superseded.iter().map(|s| s.item))
        .collect();
    let total = scale.total();
    for &ix in scale.areas().iter().chain(std::iter::once(&total)) {
        let Some(o) = group.iter().find(|o| o.item == ix && derived_mark(o)) else {
            continue;
        };
        let parts = &scale.get(ix).parts;
        let Some(&part) = parts.iter().find(|p| changed.contains(p)) else {
            continue;
        };
        let now: Option<f64> = parts
            .iter()
            .map(|&p| have[p as usize].map(|s| s.value))
            .sum();
        // Named: where the sum cannot be made, a part that is missing (not
        // the first that changed, which may have a score).
        let part = match now {
            None => (parts.iter().copied())
                .find(|&p| have[p as usize].is_none())
                .unwrap_or(part),
            Some(_) => part,
        };
        have[ix as usize] = now.map(|sum| Score::new(eval, ix, sum, None));
        if now.is_some_and(|sum| is_sum(sum, o.value)) {
            continue;
        }
        changed.push(ix);
        stale.push(Stale {
            file: o.file,
            line: o.line,
            eval,
            item: ix,
            value: o.value,
            why: Why::Parts(part, conflicted.iter().any(|c| c.1 == part), now),
        });
    }
}

/// The `superseded` findings and rejected rows of `stale`, each row read
/// again for its text (a row of kompass's long table rejected whole; a
/// wide row, the cell). Returns the rows rejected whole (file, line).
pub(super) fn reject_stale(
    ing: &mut Ingested,
    mut stale: Vec<Stale>,
    instruments: &Instruments,
    encoding: Encoding,
) -> Result<Vec<(u32, u32)>> {
    let mut whole = Vec::new();
    stale.sort_by_key(|s| (s.file, s.line, s.item));
    let names = file_names(ing);
    ing.rows_again(
        &stale,
        |s| (s.file, s.line),
        encoding,
        |ing, info, row, raw| {
            for s in row {
                let eval = &ing.evals[s.eval as usize];
                let scale = instruments.get(eval.key.scale);
                let column = info.score_column(scale, s.item);
                let cell = column.is_some_and(|c| !c.item.is_empty());
                let value = column.and_then(|c| raw.fields.get(c.index));
                let value = value.map_or_else(|| in_message(s.value).into(), |v| v.into());
                let finding = Finding {
                    rule: Rule::Superseded,
                    file: s.file,
                    line: s.line,
                    column: column.map_or("", |c| c.name.as_str()).into(),
                    value,
                    message: s.message(scale, eval, &names),
                    context: Context::of(instruments, eval, &scale.get(s.item).id),
                };
                let (file, line, finding_ix) = (s.file, s.line, ing.findings.len());
                if !cell {
                    whole.push((file, line));
                }
                let raw = raw.text.clone();
                (ing.rejected).push(RejectedRow {
                    file,
                    line,
                    finding: finding_ix,
                    raw,
                    cell,
                });
                ing.findings.push(finding);
            }
            ing.spill_over()
        },
    )?;
    Ok(whole)
}

impl Stale {
    fn message(&self, scale: &Scale, info: &EvalInfo, names: &[String]) -> String {
        let named = |ix: ItemIx| {
            let item = scale.get(ix);
            match item.kind {
                ItemKind::Total => "the total".to_string(),
                ItemKind::Area => format!("area {}", item.id),
                ItemKind::Question => format!("item {}", item.id),
            }
        };
        let k = &info.key;
        let head = format!(
            "{} of {} {} {} ({}) was derived by kompass ({}), read back from its own table",
            named(self.item),
            k.country,
            k.code,
            k.year,
            scale.id,
            in_message(self.value)
        );
        let parts = match scale.get(self.item).kind {
            ItemKind::Total => "areas",
            _ => "sub-questions",
        };
        match self.why {
            Why::Published(file, line, value) => format!(
                "{head}; an export publishes it ({} at {}:{line}): the published score takes its \
                 place",
                in_message(value),
                names[file as usize]
            ),
            Why::Parts(part, _, Some(sum)) => format!(
                "{head}; {} has another score now, and its {parts} add up to {}: derived again",
                named(part),
                in_message(sum)
            ),
            Why::Parts(part, conflict, None) => format!(
                "{head}; {} {}, so it is no longer the sum of its {parts}: not used, and not \
                 derived (a run on the original exports derives none either)",
                named(part),
                match conflict {
                    true => "is now given with conflicting scores (rejected)",
                    false => "has no score now",
                }
            ),
        }
    }
}
