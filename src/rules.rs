//! Validation rules: their stable codes and severities, and the finding that
//! names where a rule was broken.
//!
//! An error rejects the input row (it goes to `rejects.csv`); a warning keeps
//! it. Every finding is listed in `validation.csv`.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    /// Information (not counted by `--strict`).
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

macro_rules! rules {
    ($($variant:ident => ($code:literal, $sev:ident, $doc:literal)),* $(,)?) => {
        /// A validation rule. The code is stable: scripts may match on it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $($variant),* }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            pub fn code(self) -> &'static str {
                match self { $(Rule::$variant => $code),* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$sev),* }
            }

            /// One line for the README and `--help`.
            pub fn doc(self) -> &'static str {
                match self { $(Rule::$variant => $doc),* }
            }
        }
    };
}

rules! {
    FieldCount => ("field-count", Error, "the row has a different number of fields than the header"),
    MissingField => ("missing-field", Error, "a key field (code, year, scale, item, score) is empty, or a wide row has no score"),
    UnknownCountry => ("unknown-country", Error, "the country is not in the register (SE, NO, DK)"),
    BadCode => ("bad-code", Error, "the municipality code is not all digits of the country's width (0114, not 114)"),
    BadYear => ("bad-year", Error, "the evaluation year is not a four-digit year"),
    UnknownScale => ("unknown-scale", Error, "the scale is not an instrument version or alias"),
    UnknownItem => ("unknown-item", Error, "the item does not exist on that scale"),
    BadNumber => ("bad-number", Error, "a score or max is not a number"),
    NegativeScore => ("negative-score", Error, "a score below zero"),
    AboveMax => ("above-max", Error, "a score above the item's maximum"),
    MaxMismatch => ("max-mismatch", Error, "the row's max differs from the instrument's maximum for the item"),
    Conflict => ("conflict", Error, "the same item of the same evaluation is given twice with different scores (every row involved is rejected)"),
    AreaSum => ("area-sum", Warning, "an area differs from the sum of its sub-questions by more than rounding allows"),
    TotalSum => ("total-sum", Warning, "a total differs from the sum of its areas by more than rounding allows"),
    UnknownMunicipality => ("unknown-municipality", Warning, "the municipality code is not in the register"),
    NameMismatch => ("name-mismatch", Warning, "the municipality name does not match the register's name for the code"),
    Duplicate => ("duplicate", Warning, "a score repeated with the same value (kept once)"),
    YearRange => ("year-range", Warning, "the evaluation year is before 2002 or in the future"),
    UnknownColumn => ("unknown-column", Warning, "a header column kompass does not know (its values are not read)"),
    PublishedInconsistent => ("published-inconsistent", Warning, "a published average profile whose area means do not add up to its total mean within rounding"),
    PublishedDifference => ("published-difference", Info, "a published average next to ours for the same country, scale and period"),
    NoLinking => ("no-linking", Warning, "a scale in the data has no dual-scored evaluations to link it to the target scale: cross-scale results leave it out"),
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The evaluation and item a finding is about, as far as known (raw text from
/// the row when the row could not be parsed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    pub country: String,
    pub code: String,
    pub year: String,
    pub scale: String,
    pub item: String,
}

/// [`Finding::file`] of a finding about the data set as a whole.
pub const NO_FILE: u32 = u32::MAX;

/// One broken rule at one place.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: Rule,
    /// Index of the input file (in the order files are read), or [`NO_FILE`].
    pub file: u32,
    /// 1-based line, the header being line 1; 0 when about a whole file.
    pub line: u32,
    /// Header name of the offending column, if there is one.
    pub column: String,
    /// The offending value as written.
    pub value: String,
    pub message: String,
    pub context: Context,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_documented_in_the_readme() {
        let readme = include_str!("../README.md");
        for rule in Rule::ALL {
            assert!(
                readme.contains(&format!(
                    "| `{}` | {} |",
                    rule.code(),
                    rule.severity().as_str()
                )),
                "README lacks rule {}",
                rule.code()
            );
            assert!(!rule.doc().is_empty());
        }
    }
}
