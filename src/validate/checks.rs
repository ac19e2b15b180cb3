//! The checks of each evaluation as a whole: its municipality against the
//! register, its year against the calendar.

use rayon::prelude::*;

use super::{FIRST_YEAR, context};
use crate::ingest::EvalInfo;
use crate::reference::instrument::Instruments;
use crate::reference::register::{Register, name_matches};
use crate::validate::rules::{Finding, Rule};

/// Per-evaluation checks against the register and the calendar, of the
/// evaluations `with_scores` on all cores; the findings in that order.
pub(super) fn check_evaluations(
    evals: &[EvalInfo],
    with_scores: &[u32],
    instruments: &Instruments,
    register: &Register,
    current_year: u16,
) -> Vec<Finding> {
    (with_scores.par_iter())
        .flat_map_iter(|&eval| {
            let mut found = Vec::new();
            check_evaluation(&mut found, &evals[eval as usize], instruments, register);
            check_year(&mut found, &evals[eval as usize], instruments, current_year);
            found
        })
        .collect()
}

/// An evaluation's municipality against the register.
fn check_evaluation(
    found: &mut Vec<Finding>,
    info: &EvalInfo,
    instruments: &Instruments,
    register: &Register,
) {
    let key = &info.key;
    let mut warn = |rule: Rule, column: &str, value: &str, message: String| {
        found.push(finding(info, instruments, rule, column, value, message));
    };
    match register.get(&key.country, &key.code) {
        None => warn(
            Rule::UnknownMunicipality,
            "municipality_code",
            &key.code,
            format!(
                "{} municipality code {} is not in the register",
                key.country, key.code
            ),
        ),
        Some(m) => {
            if let Some(given) = info
                .given_name
                .as_deref()
                .filter(|given| !name_matches(&m.name, given))
            {
                warn(
                    Rule::NameMismatch,
                    "municipality",
                    given,
                    format!(
                        "{} {} is {} in the register, not '{given}'",
                        key.country, key.code, m.name
                    ),
                );
            }
        }
    }
}

/// An evaluation's year against the calendar.
fn check_year(
    found: &mut Vec<Finding>,
    info: &EvalInfo,
    instruments: &Instruments,
    current_year: u16,
) {
    let year = info.key.year;
    if !(FIRST_YEAR..=current_year).contains(&year) {
        found.push(finding(
            info,
            instruments,
            Rule::YearRange,
            "eval_year",
            &year.to_string(),
            format!("evaluation year {year} is outside {FIRST_YEAR}-{current_year}"),
        ));
    }
}

/// A finding about evaluation `info` as a whole.
fn finding(
    info: &EvalInfo,
    instruments: &Instruments,
    rule: Rule,
    column: &str,
    value: &str,
    message: String,
) -> Finding {
    Finding {
        rule,
        file: info.file,
        line: info.line,
        column: column.to_string(),
        value: value.to_string(),
        message,
        context: context(instruments, info, ""),
    }
}
