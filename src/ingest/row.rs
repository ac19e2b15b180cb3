//! The row-level rules: one data row checked against the register and the
//! instrument, its key fields (`keys`) and its item and score cells
//! (`scores`), each break recorded as a finding with the row's context.

use crate::io::dialect::Decimal;
use crate::io::number::trim_cell;
use crate::reference::instrument::{Instruments, ItemIx};
use crate::reference::register::Register;
use crate::validate::rules::{Context, Finding, Rule, Text};

use super::EvalKey;
use super::header::{Header, Layout, Role};
use crate::io::quotes::Stray;

mod code_hint;
pub(in crate::ingest) mod dates;
mod keys;
mod scores;
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
        // a row whose key cells show the shift names no evaluation. Nor
        // does one whose field took lines where a key cell comes after
        // it: that cell is a later line's (the code of line 2 with the
        // year and scale of line 5).
        let keys = [Role::Country, Role::Code, Role::Year, Role::Scale];
        let later = to > line
            && keys
                .iter()
                .any(|r| self.header.col(r).is_some_and(|c| c > field));
        if later || (self.rec.len() != self.header.names.len() && !self.keys_line_up()) {
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
        if self.rec.len() != self.header.names.len() || self.separator_line().is_some() {
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
}
