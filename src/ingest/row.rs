//! The row-level rules: one data row checked against the register and the
//! instrument, its key fields (`keys`) and its item and score cells, each
//! break recorded as a finding with the row's context.

use crate::io::dialect::Decimal;
use crate::io::number::{not_a_number, parse_number, trim_cell};
use crate::reference::instrument::{Instruments, ItemIx, Scale};
use crate::reference::register::Register;
use crate::stats::NOISE;
use crate::validate::rules::{Context, Finding, Rule, Text};

use super::EvalKey;
use super::header::{Header, Layout, Role};
use super::names::item_in;
use crate::io::quotes::Stray;

mod code_hint;
pub(in crate::ingest) mod dates;
mod keys;
pub(in crate::ingest) mod split;

/// Which item a finding is about.
#[derive(Clone, Copy)]
enum ItemCtx<'a> {
    /// The long layout's item column.
    Column,
    /// A wide-layout cell's item, while that cell is checked.
    Id(&'a str),
    /// None (a wide row as a whole).
    Nothing,
}

/// Checks one data row, collecting its findings.
pub(super) struct RowCheck<'a> {
    file: u32,
    line: u32,
    header: &'a Header,
    rec: &'a csv::StringRecord,
    first_error: Option<usize>,
    /// The findings of score cells rejected on their own (a wide row's
    /// score above its maximum or negative: its other scores are used).
    cells: Vec<usize>,
    findings: &'a mut Vec<Finding>,
    item: ItemCtx<'a>,
    /// The file's field separator.
    delimiter: u8,
    /// To name a finding's scale and item as the other findings do.
    instruments: &'a Instruments,
    /// To name a finding's municipality by today's code where the row
    /// gives a former one ([`Register::kept_under`]).
    register: &'a Register,
    /// The country of a row whose file has no country column (`--country`).
    default_country: &'a str,
}

impl<'a> RowCheck<'a> {
    pub(super) fn new(
        file: u32,
        line: u32,
        header: &'a Header,
        rec: &'a csv::StringRecord,
        findings: &'a mut Vec<Finding>,
        (delimiter, instruments, register): (u8, &'a Instruments, &'a Register),
    ) -> Self {
        RowCheck {
            file,
            line,
            header,
            rec,
            first_error: None,
            cells: Vec::new(),
            findings,
            item: ItemCtx::Column,
            delimiter,
            instruments,
            register,
            default_country: crate::reference::country::DEFAULT,
        }
    }

    /// The same, for a row whose file has no country column read as
    /// `country`'s (`--country`; Sweden's by default).
    pub(super) fn in_country(self, country: &'a str) -> Self {
        RowCheck {
            default_country: country,
            ..self
        }
    }

    /// The index of the row's first error finding, if it broke a rule.
    pub(super) fn first_error(&self) -> Option<usize> {
        self.first_error
    }

    /// The findings of the score cells rejected on their own in a row that
    /// is otherwise used (taken: no copy per row).
    pub(super) fn take_rejected_cells(&mut self) -> Vec<usize> {
        std::mem::take(&mut self.cells)
    }

    /// Rejects the row for a stray quote (`quotes::quoting`): the lines
    /// from `line` to `to` were read as this one row. `written` is the
    /// field as written, where it differs from the field as read.
    pub(super) fn stray_quote(&mut self, stray: Stray, line: u32, to: u32, written: Option<&str>) {
        let field = stray.field();
        // The field as read, up to the end of the text: its last line end
        // is not the user's.
        let read = self.rec.get(field).unwrap_or("");
        let read = read.trim_end_matches(['\r', '\n']);
        let message = stray.message(line, to, read);
        let column = self.column_name(field);
        let value = written.unwrap_or(read).into();
        // A stray quote inside a field can split it, shifting the cells
        // after it (`=HYPERLINK("x";"y")` under `;`): as for `field-count`,
        // a row whose key cells show the shift names no evaluation.
        if self.rec.len() != self.header.names.len() && !self.keys_line_up() {
            self.fail_unkeyed(Rule::BadQuote, column, value, message);
        } else {
            // A wide layout's score cell names its item, as its other
            // findings do (it named none).
            let header: &'a Header = self.header;
            let before = self.item;
            if let Some((_, id)) = header.item_columns().find(|&(c, _)| c == field) {
                self.item = ItemCtx::Id(id);
            }
            self.fail_at(Rule::BadQuote, column, value, message);
            self.item = before;
        }
    }

    /// Notes that the row took the lines from its own to `to`: its quoted
    /// field `field` ran over a line end and closed where its field ends
    /// (`quotes::Quoting::Spans`). That is well-formed (a name on two
    /// lines), but so is one quote too many that took the next row into
    /// its field; the row is read, with a warning naming the field and the
    /// lines.
    pub(super) fn spans_lines(&mut self, field: usize, to: u32) {
        let message = format!(
            "a quoted field runs over a line end: lines {}-{to} were read as this one row",
            self.line
        );
        self.note(Rule::MultiLine, field, message);
    }

    /// A warning about field `col` that does not reject the row.
    fn note(&mut self, rule: Rule, col: usize, message: String) {
        let column = self.column_name(col);
        let value = self.rec.get(col).unwrap_or("").into();
        self.push(rule, column, value, message);
    }

    /// The header's name of column `col` (empty past its end).
    fn column_name(&self, col: usize) -> Text {
        self.header
            .names
            .get(col)
            .map_or(Text::default(), |n| n.as_str().into())
    }

    fn fail(&mut self, rule: Rule, col: Option<usize>, message: String) {
        let (column, value) = match col {
            Some(c) => (self.column_name(c), self.rec.get(c).unwrap_or("").into()),
            None => (Text::default(), Text::default()),
        };
        self.fail_at(rule, column, value, message);
    }

    /// A score out of range: in the long layout the row (it is the score);
    /// in the wide layout the cell alone, where the row's other cells are
    /// its own scores, as they would be rows of a long export (a cell that
    /// is not a number rejects the wide row: its columns may be shifted).
    fn out_of_range(&mut self, rule: Rule, col: usize, message: String) {
        if self.header.layout == Layout::Long {
            return self.fail(rule, Some(col), message);
        }
        self.cells.push(self.findings.len());
        self.note(rule, col, message);
    }

    /// [`RowCheck::fail`] naming `column` and `value` itself.
    fn fail_at(&mut self, rule: Rule, column: Text, value: Text, message: String) {
        self.first_error_here();
        self.push(rule, column, value, message);
    }

    /// Records an error about a row that names no evaluation (the header
    /// line again, a row of one field): its key columns are left empty,
    /// where they would hold the header's names or the whole row.
    fn fail_unkeyed(&mut self, rule: Rule, column: Text, value: Text, message: String) {
        self.first_error_here();
        self.push_with(rule, column, value, message, Context::default());
    }

    /// Marks the finding about to be added as the row's first error, if it
    /// has none yet.
    fn first_error_here(&mut self) {
        if self.first_error.is_none() {
            self.first_error = Some(self.findings.len());
        }
    }

    /// Adds a finding about this row.
    fn push(&mut self, rule: Rule, column: Text, value: Text, message: String) {
        let context = self.context();
        self.push_with(rule, column, value, message, context);
    }

    fn push_with(
        &mut self,
        rule: Rule,
        column: Text,
        value: Text,
        message: String,
        context: Context,
    ) {
        self.findings.push(Finding {
            rule,
            file: self.file,
            line: self.line,
            column,
            value,
            message,
            context,
        });
    }

    fn field(&self, role: &Role) -> Option<(usize, &'a str)> {
        let c = self.header.col(role)?;
        let rec: &'a csv::StringRecord = self.rec;
        Some((c, trim_cell(rec.get(c).unwrap_or(""))))
    }

    fn text(&self, role: &Role) -> &'a str {
        self.field(role).map_or("", |(_, v)| v)
    }

    /// Records that the row is the header line again (exports joined one
    /// after another, each with its header line): no row of scores.
    pub(super) fn repeated_header(&mut self) {
        let message = "the header line again, not a row of scores (exports joined one \
                       after another, each with its header?)";
        self.fail_unkeyed(
            Rule::RepeatedHeader,
            Text::default(),
            Text::default(),
            message.into(),
        );
    }

    /// Parses the row; on success returns the evaluation key and fills
    /// `scores`. Any error found is recorded and makes it return `None`.
    pub(super) fn parse(
        &mut self,
        instruments: &Instruments,
        register: &Register,
        decimal: Decimal,
        scores: &mut Vec<(ItemIx, f64)>,
    ) -> Option<EvalKey> {
        if self.rec.len() != self.header.names.len() {
            self.field_count();
            return None;
        }
        let country = self.country();
        let widths = register.code_widths(&country);
        if widths.is_none() {
            self.unknown_country(register, &country);
        }
        let code = self.code(&country, widths);
        let year = self.year();
        let scale_ix = self.scale(instruments);
        let scale = scale_ix.map(|ix| instruments.get(ix));
        self.scores(scale, decimal, scores);
        if self.first_error.is_some() {
            return None;
        }
        Some(EvalKey {
            country,
            code,
            year: year?,
            scale: scale_ix?,
        })
    }

    /// The row's score cells, checked against `scale` when it is known.
    pub(super) fn scores(
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
        } else if missing_mark(raw_score) {
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
            if missing_mark(raw) {
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
fn missing_mark(raw: &str) -> bool {
    matches!(raw, "–" | "—" | "-" | "−" | ".." | "..." | "…")
        || raw.eq_ignore_ascii_case("na")
        || raw.eq_ignore_ascii_case("n/a")
}
