//! A row's key fields checked one by one (the number of fields, country,
//! municipality code, year and scale), each break recorded as a finding;
//! and the key fields a finding of the row names ([`RowCheck::context`]).

use super::ItemCtx;
use super::RowCheck;
use super::code_hint::{self, CodeCell};
use super::split::digits;
use crate::ingest::header::Role;
use crate::ingest::names::item_in;
use crate::io::dialect::Delimiter;
use crate::reference::instrument::{Instruments, ScaleIx};
use crate::reference::register::Register;
use crate::validate::rules::{Context, Rule, Text};

impl RowCheck<'_> {
    /// The row's key fields (built only for a finding) as [`Context::of`]
    /// names them where they can be read (the country in capitals, the
    /// scale and item by their ids: `new` and `1.1` where the row wrote
    /// `ny` and `1,1`; the code today's where the row gives a former one,
    /// as `evaluations.csv` has it), else as given; `value` keeps what was
    /// written.
    pub(super) fn context(&self) -> Context {
        let text = |role: &Role| self.field(role).map_or(Text::default(), |(_, v)| v.into());
        // An absent country is the run's `--country` (as `parse` reads
        // it); an empty cell in a file with the column stays empty
        // (`missing-field`).
        let country: Text = match self.field(&Role::Country) {
            None => self.default_country.into(),
            Some((_, c)) => self.register.country_of(c).into(),
        };
        let code = text(&Role::Code);
        let code = (self.dar_code(&country, &code)).map_or(code.clone(), Text::from);
        let code = (self.register.kept_under(&country, &code)).map_or(code, Text::from);
        let raw_scale = text(&Role::Scale);
        let scale = (self.instruments.lookup(&raw_scale)).map(|ix| self.instruments.get(ix));
        let item = |raw: Text| match scale.and_then(|s| item_in(s, &raw).map(|ix| s.get(ix))) {
            Some(item) => item.id.as_str().into(),
            None => raw,
        };
        Context {
            country,
            code,
            year: text(&Role::Year),
            scale: scale.map_or(raw_scale, |s| s.id.as_str().into()),
            item: match self.item {
                ItemCtx::Column => item(text(&Role::Item)),
                ItemCtx::Id(id) => item(id.into()),
                ItemCtx::Nothing => Text::default(),
            },
        }
    }

    /// Records a `field-count` error: the row has another number of fields
    /// than the header, with a hint where the cause is plain.
    pub(super) fn field_count(&mut self) {
        let ncols = self.header.names.len();
        let n = self.rec.len();
        // Empty fields past the header's end: separators at the row's end.
        let trailing = n > ncols && self.rec.iter().skip(ncols).all(str::is_empty);
        // "79,5" unquoted in a comma-separated file splits in two: number
        // fields side by side from the first score column on that, joined,
        // give the header's columns, the key fields before it in theirs (a
        // code and a year side by side, or a name split at its comma, are
        // no score).
        let split_decimal = self.delimiter == b','
            && n > ncols
            && !trailing
            && self.split_scores_line_up()
            && self.keys_line_up();
        // A DOS end-of-file mark (Ctrl-Z) that an old program left on the
        // last line.
        let dos_end =
            n == 1 && self.rec[0].trim_matches('\u{1a}').is_empty() && !self.rec[0].is_empty();
        // A row with another separator than the header's (a tab-separated
        // header over comma-separated rows): one field that splits on it
        // into the header's columns.
        let other = (n == 1)
            .then(|| other_separator(&self.rec[0], self.delimiter, ncols))
            .flatten();
        let sep_line = self.separator_line();
        let other_hint;
        let hint = if dos_end {
            "; it is a DOS end-of-file mark (Ctrl-Z, 0x1A) that an old program wrote, not a row"
        } else if let Some(sep) = other {
            other_hint = format!(
                "; it is separated by {} where the header is by {}: one separator for the whole file",
                Delimiter::named(sep),
                Delimiter::named(self.delimiter)
            );
            &other_hint
        } else if split_decimal {
            "; if a score has a decimal comma (79,5), it needs quotes (\"79,5\") or the file ';' separators"
        } else if trailing {
            "; the row ends with a separator too many"
        } else if n + 1 == ncols && self.column_name(n).trim().is_empty() {
            // The header's last column has no name: a separator too many
            // at the end of the header line, which every row then lacks.
            "; the header ends with a separator too many (its last column has no name)"
        } else {
            ""
        };
        // Where the row and the header part: the first column without a
        // field, or the fields beyond the header's last column; a `sep=`
        // line is its own value, in no column.
        // Either cut at 200 characters (a header of hundreds of columns).
        let cut = |mut value: String| {
            if let Some((cut, _)) = value.char_indices().nth(200) {
                value.truncate(cut);
                value.push('…');
            }
            value
        };
        let (column, value) = if let Some(line) = &sep_line {
            (Default::default(), cut(line.clone()).into())
        } else if n < ncols {
            (self.column_name(n), Default::default())
        } else {
            let extra: Vec<&str> = (self.rec.iter().skip(ncols))
                .map(|f| if f.is_empty() { "(empty)" } else { f })
                .collect();
            (Default::default(), cut(extra.join(", ")).into())
        };
        let fields = if n == 1 { "field" } else { "fields" };
        let message = match sep_line {
            // As wide as the header too (LibreOffice's `sep=;;;;`).
            Some(_) => "a spreadsheet's separator line (`sep=`), as at the top of an export, not \
                        a row: exports joined one after another?"
                .to_string(),
            None => format!("the row has {n} {fields}, the header {ncols}{hint}"),
        };
        // A row of one field (under a header of more) names no evaluation:
        // that field is the whole row, not a country; nor does one whose
        // key cells show its cells shifted (a name left out put the scale
        // under eval_year).
        if (n == 1 && ncols > 1) || sep_line.is_some() || !self.keys_line_up() {
            self.fail_unkeyed(Rule::FieldCount, column, value, message);
        } else {
            self.fail_at(Rule::FieldCount, column, value, message);
        }
    }

    /// The row's line, where it is a spreadsheet's `sep=` line, as at the
    /// top of an export (one export's lines after another's): `sep=;` or
    /// LibreOffice's `sep=;;;;`, which is as wide as the header (it was
    /// read as a row, `bad-code 'sep='`). Only a row whose first field
    /// starts with `sep=` is looked at further (a cheap first test, as
    /// `Delimiter::excel_line` makes it, before the row is joined).
    pub(super) fn separator_line(&self) -> Option<String> {
        let first = self.rec.get(0).unwrap_or("");
        let first = first.trim_start_matches([' ', '\u{feff}', '"']);
        if !first
            .get(..4)
            .is_some_and(|s| s.eq_ignore_ascii_case("sep="))
        {
            return None;
        }
        let sep = (self.delimiter as char).to_string();
        let line = self.rec.iter().collect::<Vec<_>>().join(&sep);
        Delimiter::excel_line(&line).map(|_| line)
    }

    /// Whether the row's fields from the first score column on, each two
    /// number fields side by side in a score or maximum column joined (a
    /// score a decimal comma split), give the header's columns with a
    /// number or nothing in each score and maximum column: a score and its
    /// maximum followed by a text field too many (`50,100,x`) are no split
    /// score (mutation audit of the seventy-sixth session).
    fn split_scores_line_up(&self) -> bool {
        let (rec, roles) = (self.rec, &self.header.roles);
        let numeric = |c: usize| {
            matches!(
                roles.get(c),
                Some(Role::Score | Role::Max | Role::ItemScore(_))
            )
        };
        let Some(first) = (0..roles.len()).find(|&c| numeric(c) && roles[c] != Role::Max) else {
            return false;
        };
        let mut extra = rec.len().saturating_sub(roles.len());
        let (mut i, mut col) = (first, first);
        while i < rec.len() && col < roles.len() {
            if extra > 0 && numeric(col) && digits(&rec[i]) && rec.get(i + 1).is_some_and(digits) {
                (extra, i) = (extra - 1, i + 2);
            } else {
                if numeric(col) && !score_like(&rec[i]) {
                    return false;
                }
                i += 1;
            }
            col += 1;
        }
        // Fields left over, empty: separators at the row's end.
        let rest = rec.len().saturating_sub(i);
        col == roles.len() && extra == rest && rec.iter().skip(i).all(|f| f.trim().is_empty())
    }

    /// Whether the row's key cells line up with the header's: a code
    /// cell that does not start with a digit (Excel's `'` aside), a year
    /// cell that is not four digits or a scale cell holding a number that
    /// is no scale says that a row with a field more or less than the
    /// header has its cells in other columns (an empty cell, or a
    /// misspelt scale name, says nothing of it).
    pub(super) fn keys_line_up(&self) -> bool {
        let given = |role: &Role| Some(self.text(role)).filter(|v| !v.is_empty());
        let code = given(&Role::Code).is_none_or(|c| {
            c.trim_start_matches('\'')
                .starts_with(|c: char| c.is_ascii_digit())
        });
        let year = given(&Role::Year)
            .is_none_or(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()));
        let scale = given(&Role::Scale)
            .is_none_or(|s| self.instruments.lookup(s).is_some() || s.parse::<f64>().is_err());
        code && year && scale
    }

    /// The row's country, upper case: the run's `--country` (Sweden by
    /// default) where the file has no country column; where it has one,
    /// each row names its country (an empty cell in a Norwegian file
    /// would otherwise file the row under the Swedish municipality of the
    /// same code).
    pub(super) fn country(&mut self) -> String {
        match self.field(&Role::Country) {
            None => self.default_country.to_string(),
            Some((col, "")) => {
                self.fail(
                    Rule::MissingField,
                    Some(col),
                    "country is empty (the file has a country column: each row names its country)"
                        .into(),
                );
                self.default_country.to_string()
            }
            Some((_, c)) => self.register.country_of(c),
        }
    }

    /// Records an `unknown-country` error for `country`, not in `register`.
    pub(super) fn unknown_country(&mut self, register: &Register, country: &str) {
        let known = register.countries().join(", ");
        let col = self.header.col(&Role::Country);
        // As the row writes it (the run's `--country` where it names none).
        let given = Some(self.text(&Role::Country))
            .filter(|g| !g.is_empty())
            .unwrap_or(country);
        let mut message = format!("country '{given}' is not in the register (known: {known})");
        if col.is_none() {
            message.push_str(&format!(
                ": the file has no country column, so its rows are read as {country}'s \
                 (--country names another)"
            ));
        }
        self.fail(Rule::UnknownCountry, col, message);
    }

    /// The row's municipality code, checked against the widths of
    /// `country`'s codes (when the register knows the country).
    pub(super) fn code(&mut self, country: &str, widths: Option<&[usize]>) -> String {
        let code = self.text(&Role::Code).to_string();
        let code_col = self.header.col(&Role::Code);
        if code.is_empty() {
            self.fail(
                Rule::MissingField,
                code_col,
                "municipality_code is empty".into(),
            );
        } else if let Some(widths) = widths {
            let digits = code.bytes().all(|b| b.is_ascii_digit());
            if !digits || !widths.contains(&code.len()) {
                // Only a code of another width is looked at for DAR's form
                // (not every row's).
                if let Some(unpadded) = self.dar_code(country, &code) {
                    return unpadded.to_string();
                }
                let cell = CodeCell {
                    code: &code,
                    country,
                    name: Some(self.text(&Role::Name)).filter(|n| !n.is_empty()),
                    country_column: self.header.col(&Role::Country).is_some(),
                };
                let hint = code_hint::hint(&cell, widths[0], self.register);
                let expected: Vec<String> = widths.iter().map(usize::to_string).collect();
                self.fail(
                    Rule::BadCode,
                    code_col,
                    format!(
                        "code '{code}' is not a {}-digit {country} municipality code{hint}",
                        expected.join(" or "),
                    ),
                );
            }
        }
        code
    }

    /// The code `code` of `country`'s is, written as Denmark's address
    /// register (DAR) writes it, with a zero more (`0101` for `101`,
    /// [`Register::unpadded`]), where the row gives the municipality's
    /// name: without it, `0580` is as likely Linköping's code in a Swedish
    /// export read as Denmark's as Aabenraa's (a `bad-code`, its hint
    /// naming `580`).
    fn dar_code<'c>(&self, country: &str, code: &'c str) -> Option<&'c str> {
        let name = Some(self.text(&Role::Name)).filter(|n| !n.is_empty())?;
        let unpadded = self.register.unpadded(country, code)?;
        (self.register.has_code(country, unpadded, Some(name))).then_some(unpadded)
    }

    /// The row's evaluation year: four digits from 1000 on.
    pub(super) fn year(&mut self) -> Option<u16> {
        let col = self.header.col(&Role::Year);
        let raw = self.text(&Role::Year);
        if raw.is_empty() {
            self.fail(Rule::MissingField, col, "eval_year is empty".into());
            return None;
        }
        let year = crate::io::number::parse_year(raw);
        if year.is_none() {
            let hint = super::dates::year_hint(raw).unwrap_or_default();
            self.fail(
                Rule::BadYear,
                col,
                format!("year '{raw}' is not four digits from 1000 on{hint}"),
            );
        }
        year
    }

    /// The row's scale: a version of `instruments` or an alias of one.
    pub(super) fn scale(&mut self, instruments: &Instruments) -> Option<ScaleIx> {
        let col = self.header.col(&Role::Scale);
        let raw = self.text(&Role::Scale);
        if raw.is_empty() {
            self.fail(Rule::MissingField, col, "scale is empty".into());
            return None;
        }
        let ix = instruments.lookup(raw);
        if ix.is_none() {
            let known = instruments.names();
            self.fail(
                Rule::UnknownScale,
                col,
                format!("scale '{raw}' is unknown (known: {known}, and their aliases)"),
            );
        }
        ix
    }
}

/// The separator other than `delimiter` (comma, semicolon, tab) that
/// splits `row` into `ncols` fields, if one does.
fn other_separator(row: &str, delimiter: u8, ncols: usize) -> Option<u8> {
    [b',', b';', b'\t']
        .into_iter()
        .filter(|&d| d != delimiter && ncols > 1)
        .find(|&d| row.bytes().filter(|&b| b == d).count() + 1 == ncols)
}

/// Whether a cell can stand in a score or maximum column: empty, a number
/// (`66`, `"66,5"` quoted) or a mark for a missing score (`-`, `NA`).
fn score_like(cell: &str) -> bool {
    let v = crate::io::number::trim_cell(cell);
    v.is_empty()
        || crate::io::number::parse_number(v, crate::io::dialect::Decimal::Auto).is_some()
        || super::scores::is_missing_mark(v)
}
