//! The checks of each evaluation as a whole: its municipality against the
//! register (every name its rows give, where it is given; a code from
//! before a reform), its year against the calendar.

use rayon::prelude::*;

use super::FIRST_YEAR;
use crate::ingest::{EvalInfo, FileInfo, Given, KeyColumns, PerEval};
use crate::reference::instrument::Instruments;
use crate::reference::register::{Change, Register};
use crate::validate::Unregistered;
use crate::validate::rules::{Context, Finding, Rule};

/// Per-evaluation checks against the register and the calendar, of the
/// evaluations `with_scores` on all cores; the findings in that order.
/// `others` are the names rows give besides each evaluation's first,
/// `former` the codes from before a reform they give: named for an
/// evaluation without scores too (its rows given under a former and
/// today's code with different scores, a `conflict` that names today's
/// code), after the others.
pub(super) fn check_evaluations(
    (evals, files): (&[EvalInfo], &[FileInfo]),
    (others, former, unregistered): (&PerEval, &PerEval, &Unregistered),
    with_scores: &[u32],
    instruments: &Instruments,
    register: &Register,
    current_year: u16,
) -> Vec<Finding> {
    let columns = Columns {
        files,
        standard: KeyColumns::default(),
    };
    let mut found: Vec<Finding> = (with_scores.par_iter())
        .flat_map_iter(|&eval| {
            let mut found = Vec::new();
            let info = &evals[eval as usize];
            let codes = in_order(former, eval);
            for &code in &codes {
                renumbered(&mut found, (info, code), &columns, instruments, register);
            }
            // The code as its first row wrote it (a former one, or the key's).
            let written = (codes.iter())
                .find(|c| c.seen.first == (info.file, info.line))
                .map_or(info.key.code.as_str(), |c| c.text.as_str());
            let names = in_order(others, eval);
            let given = (written, names.as_slice(), &columns);
            let shown = unregistered.get(&info.key.country, &info.key.code);
            check_evaluation(&mut found, info, given, shown, (instruments, register));
            let year = &columns.of(info.file).year;
            check_year(&mut found, (info, year), instruments, current_year);
            found
        })
        .collect();
    // (Usually none: no pass over the evaluations then.)
    let mut unscored: foldhash::HashSet<u32> = former.keys().copied().collect();
    if !unscored.is_empty() {
        for e in with_scores {
            unscored.remove(e);
        }
    }
    let mut unscored: Vec<u32> = unscored.into_iter().collect();
    unscored.sort_unstable();
    for eval in unscored {
        for code in in_order(former, eval) {
            let info = &evals[eval as usize];
            renumbered(&mut found, (info, code), &columns, instruments, register);
        }
    }
    found
}

/// The texts rows of evaluation `eval` give, in input order, whatever
/// order the pieces were merged in.
fn in_order(of: &PerEval, eval: u32) -> Vec<&Given> {
    let mut given: Vec<&Given> = of.get(&eval).into_iter().flatten().collect();
    given.sort_by_key(|n| n.seen.first);
    given
}

/// Each file's names of its key columns: a finding names its column as
/// the header of its file does (`kommunkod`, `år`).
struct Columns<'a> {
    files: &'a [FileInfo],
    /// For a finding without a file.
    standard: KeyColumns,
}

impl Columns<'_> {
    fn of(&self, file: u32) -> &KeyColumns {
        let f = self.files.get(file as usize);
        f.map_or(&self.standard, |f| &f.key_columns)
    }

    /// Whether `file` has a country column: without one, a code of
    /// another country's is likely a Norwegian or Danish export's, read as
    /// Sweden's (or `--country`'s).
    fn country_column(&self, file: u32) -> bool {
        (self.files.get(file as usize)).is_some_and(|f| f.read_as.is_none())
    }
}

/// An evaluation's municipality against the register: its code (`written`
/// as its first row gives it), and each distinct name its rows give
/// (`others` besides its first), where it is first given.
fn check_evaluation(
    found: &mut Vec<Finding>,
    info: &EvalInfo,
    (written, others, columns): (&str, &[&Given], &Columns),
    shown: Option<&str>,
    (instruments, register): (&Instruments, &Register),
) {
    let key = &info.key;
    let country_column = columns.country_column(info.file);
    let elsewhere = |name| register.elsewhere_note((&key.country, &key.code), name, country_column);
    let Some(m) = register.get(&key.country, &key.code) else {
        // A code from before a reform whose municipality was merged with
        // others: that today's is another municipality.
        let merged = (register.former(&key.country, &key.code))
            .filter(|f| f.change == Change::Merged)
            .and_then(|f| {
                let today = register.get(&key.country, &f.code)?;
                Some(format!(
                    ": it was the code of {} until {}, which is part of {} {} {} today, after a \
                     merger or a new name; its scores are kept under {}, a municipality of its \
                     own",
                    f.name, f.until, key.country, f.code, today.name, key.code
                ))
            });
        found.push(finding(
            info,
            instruments,
            Rule::UnknownMunicipality,
            &columns.of(info.file).code,
            written,
            format!(
                "{} municipality code {} is not in the register{}{}",
                key.country,
                key.code,
                // Another country's only for the name given, if any (a
                // Swedish row's typo `1120` named Värmdö is no Klepp).
                merged
                    .or_else(|| elsewhere(info.given_name.as_deref()))
                    .unwrap_or_default(),
                names_shown(info, others, shown)
            ),
        ));
        return;
    };
    let first = (info.given_name.as_deref()).map(|n| (n, info.name_seen.first));
    let rest = others.iter().map(|o| (o.text.as_str(), o.seen.first));
    for (given, (file, line)) in first.into_iter().chain(rest) {
        if !register.is_name_of(m, given) {
            let mut f = finding(
                info,
                instruments,
                Rule::NameMismatch,
                &columns.of(file).name,
                given,
                format!(
                    "{} {} is {} in the register, not '{given}'{}",
                    key.country,
                    key.code,
                    m.name,
                    elsewhere(Some(given)).unwrap_or_default()
                ),
            );
            (f.file, f.line) = (file, line);
            found.push(f);
        }
    }
}

/// For an evaluation of a municipality the register has not, whose rows
/// give it a name other than the one the outputs show (`shown`, the first
/// in byte order of those given in any of its evaluations): which.
fn names_shown(info: &EvalInfo, others: &[&Given], shown: Option<&str>) -> String {
    let Some(shown) = shown else {
        return String::new();
    };
    let first = info.given_name.as_deref();
    let mut names: Vec<&str> = first
        .into_iter()
        .chain(others.iter().map(|o| o.text.as_str()))
        .collect();
    if names.iter().all(|&n| n == shown) {
        return String::new();
    }
    names.sort_unstable();
    let listed: Vec<String> = names.iter().take(3).map(|n| format!("'{n}'")).collect();
    let more = match names.len().saturating_sub(3) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    format!(
        "; its rows name it {}{more}: the outputs show '{shown}', the first in byte order of the \
         names given it in any evaluation",
        listed.join(", ")
    )
}

/// A `renumbered` warning: rows of evaluation `info` give `code`, its
/// municipality's code before a reform, where it first stands; they count
/// as today's code's.
fn renumbered(
    found: &mut Vec<Finding>,
    (info, code): (&EvalInfo, &Given),
    columns: &Columns,
    instruments: &Instruments,
    register: &Register,
) {
    let key = &info.key;
    let Some(former) = register.former(&key.country, &code.text) else {
        return;
    };
    let (country, kept) = (&key.country, &key.code);
    // Today's municipality, or the code it went on under until a merger.
    let now = match (register.get(country, kept), register.former(country, kept)) {
        // (Not "from" a year: the code may have had another in between.)
        (None, Some(f)) => format!(
            "it went on as {country} {kept} {} until {}",
            f.name, f.until
        ),
        (m, _) => format!("it is {country} {kept} {} today", m.map_or("", |m| &m.name)),
    };
    let message = format!(
        "{country} {} was the code of {} until {}; {now}, whose scores these are",
        code.text, former.name, former.until
    );
    let column = &columns.of(code.seen.first.0).code;
    let mut f = finding(
        info,
        instruments,
        Rule::Renumbered,
        column,
        &code.text,
        message,
    );
    (f.file, f.line) = code.seen.first;
    found.push(f);
}

/// An evaluation's year against the calendar and its scale's years.
fn check_year(
    found: &mut Vec<Finding>,
    (info, column): (&EvalInfo, &str),
    instruments: &Instruments,
    current_year: u16,
) {
    let year = info.key.year;
    let scale = instruments.get(info.key.scale);
    let message = if !(FIRST_YEAR..=current_year).contains(&year) {
        format!("evaluation year {year} is outside {FIRST_YEAR}-{current_year}")
    } else if let Some(from) = scale.in_use_from.filter(|&from| year + 1 < from) {
        // A revision's pilot evaluations may come the year before it.
        format!(
            "evaluation year {year} is more than a year before scale {} came into use ({from}): \
             the year or the scale mistyped?",
            scale.id
        )
    } else {
        return;
    };
    found.push(finding(
        info,
        instruments,
        Rule::YearRange,
        column,
        &year.to_string(),
        message,
    ));
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
        column: column.into(),
        value: value.into(),
        message,
        context: Context::of(instruments, info, ""),
    }
}
