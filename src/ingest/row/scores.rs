//! A row's score cells: the long layout's item and score, the wide
//! layout's cell per item, each checked against the scale's items, range
//! and resolution (the rest of the row's checks are in [`super`]).

use super::{ItemCtx, RowCheck, dates};
use crate::ingest::header::{Header, Layout, Role};
use crate::ingest::names::item_in;
use crate::io::dialect::Decimal;
use crate::io::number::{not_a_number, parse_number, trim_cell};
use crate::reference::instrument::{ItemIx, Scale};
use crate::stats::NOISE;
use crate::validate::rules::Rule;

impl<'a> RowCheck<'a> {
    /// The row's score cells, checked against `scale` when it is known.
    pub(in crate::ingest) fn scores(
        &mut self,
        scale: Option<&Scale>,
        decimal: Decimal,
        scores: &mut Vec<(ItemIx, f64)>,
    ) {
        match self.header.layout {
            Layout::Long => self.long_scores(scale, decimal, scores),
            Layout::Wide => self.wide_scores(scale, decimal, scores),
        }
    }

    fn long_scores(
        &mut self,
        scale: Option<&Scale>,
        decimal: Decimal,
        scores: &mut Vec<(ItemIx, f64)>,
    ) {
        let item_col = self.header.col(&Role::Item);
        let raw_item = self.text(&Role::Item);
        let mut item = None;
        if raw_item.is_empty() {
            self.fail(Rule::MissingField, item_col, "item is empty".into());
        } else if let Some(scale) = scale {
            item = item_in(scale, raw_item);
            if item.is_none() {
                let date = dates::date_item(raw_item).filter(|i| scale.item(i).is_some());
                let hint = date
                    .map(|i| format!(" (a date a spreadsheet made of {i}?)"))
                    .unwrap_or_default();
                self.fail(
                    Rule::UnknownItem,
                    item_col,
                    format!(
                        "item '{raw_item}' does not exist on scale {}{hint}",
                        scale.id
                    ),
                );
            }
        }
        let target = scale.zip(item);
        let Some((score_col, raw_score)) = self.field(&Role::Score) else {
            return;
        };
        let score = if raw_score.is_empty() {
            self.fail(Rule::MissingField, Some(score_col), "score is empty".into());
            None
        } else if is_missing_mark(raw_score) {
            let message = format!(
                "score '{raw_score}' is a mark for a missing score, not a number: a row of the \
                 long layout without its score has nothing to read (leave the row out)"
            );
            self.fail(Rule::BadNumber, Some(score_col), message);
            None
        } else {
            self.score(score_col, raw_score, decimal, target)
        };
        let max = self.field(&Role::Max).filter(|(_, v)| !v.is_empty());
        if let Some((max_col, raw_max)) = max {
            match parse_number(raw_max, decimal) {
                None => self.fail(
                    Rule::BadNumber,
                    Some(max_col),
                    format!("max {}", not_a_number(raw_max, decimal)),
                ),
                Some(m) => {
                    if let Some((scale, ix)) = target {
                        let expected = scale.get(ix).max;
                        if (m - expected).abs() > NOISE {
                            self.fail(
                                Rule::MaxMismatch,
                                Some(max_col),
                                format!(
                                    "max {m} given, but item {} of scale {} has max {expected}",
                                    scale.get(ix).id,
                                    scale.id
                                ),
                            );
                        }
                    }
                }
            }
        }
        if let (Some(v), Some((_, ix))) = (score, target) {
            scores.push((ix, v));
        }
    }

    fn wide_scores(
        &mut self,
        scale: Option<&Scale>,
        decimal: Decimal,
        scores: &mut Vec<(ItemIx, f64)>,
    ) {
        let header: &'a Header = self.header;
        let rec: &'a csv::StringRecord = self.rec;
        let mut cells = 0;
        let before = scores.len();
        for (col, id) in header.item_columns() {
            let raw = trim_cell(rec.get(col).unwrap_or(""));
            if raw.is_empty() {
                continue;
            }
            self.item = ItemCtx::Id(id);
            if is_missing_mark(raw) {
                let message = format!(
                    "a mark for a missing score ('{raw}'): not published, like an empty cell"
                );
                self.note(Rule::NotPublished, col, message);
                continue;
            }
            cells += 1;
            let Some(scale) = scale else { continue };
            // A column named with an item's title on other scales only (a
            // 2020 area's name over a row of the 2010 scale).
            let titled = header.titled.iter().find(|(c, _)| *c == col);
            if let Some((_, scales)) = titled.filter(|(_, s)| !s.contains(&scale.id)) {
                let message = format!(
                    "column '{}' names item {id} of scale(s) {}, not of the row's scale {}",
                    header.names[col],
                    scales.join(", "),
                    scale.id
                );
                self.fail(Rule::UnknownItem, Some(col), message);
                continue;
            }
            match scale.item(id) {
                None => self.fail(
                    Rule::UnknownItem,
                    Some(col),
                    format!("item '{id}' does not exist on scale {}", scale.id),
                ),
                Some(ix) => {
                    if let Some(v) = self.score(col, raw, decimal, Some((scale, ix))) {
                        scores.push((ix, v));
                    }
                }
            }
        }
        self.item = ItemCtx::Nothing;
        if cells == 0 {
            self.fail(Rule::MissingField, None, "the row has no score".into());
        }
        // Not one score left: the row is rejected, for its first cell.
        if scores.len() == before && !self.cells.is_empty() && self.first_error.is_none() {
            self.first_error = Some(self.cells[0]);
        }
        if self.first_error.is_some() {
            self.cells.clear();
        }
    }

    /// A score cell: a number, not negative, not above the item's max.
    fn score(
        &mut self,
        col: usize,
        raw: &str,
        decimal: Decimal,
        item: Option<(&Scale, ItemIx)>,
    ) -> Option<f64> {
        let Some(v) = parse_number(raw, decimal) else {
            self.fail(
                Rule::BadNumber,
                Some(col),
                format!("score {}", not_a_number(raw, decimal)),
            );
            return None;
        };
        if v < -NOISE {
            self.out_of_range(Rule::NegativeScore, col, format!("score {raw} is negative"));
            return None;
        }
        // Binary noise below zero (`-0,0000000001`) is zero, as noise
        // above the maximum is the maximum.
        let v = v.max(0.0);
        if let Some((scale, ix)) = item {
            let it = scale.get(ix);
            if v > it.max + NOISE {
                self.out_of_range(
                    Rule::AboveMax,
                    col,
                    format!(
                        "score {raw} is above the maximum {} of item {} on scale {}",
                        it.max, it.id, scale.id
                    ),
                );
                return None;
            }
            let points = v / scale.resolution;
            if !crate::stats::whole_steps(points) {
                let message = format!(
                    "score {raw} lies between the score points of scale {} (steps of {})",
                    scale.id, scale.resolution
                );
                self.note(Rule::OffResolution, col, message);
            }
        }
        Some(v)
    }
}

/// A cell that marks a score as missing rather than giving one: dashes,
/// dots, "not available".
pub(super) fn is_missing_mark(raw: &str) -> bool {
    matches!(raw, "–" | "—" | "-" | "−" | ".." | "..." | "…")
        || raw.eq_ignore_ascii_case("na")
        || raw.eq_ignore_ascii_case("n/a")
}
