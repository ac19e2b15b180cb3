//! A file without a country column a fifth or more of whose codes are
//! another country's and not the country's it is read as (`--country`,
//! Sweden by default): a Norwegian export read as Sweden's. Its codes that are only
//! Norway's draw a finding each, but those Sweden has too are taken as
//! Swedish municipalities without a word (Spydeberg's `0123`, until 2019,
//! is Järfälla's), so one `other-country` warning per such file says so.

use crate::ingest::{EvalInfo, FileInfo};
use crate::reference::register::Register;
use crate::validate::rules::{Context, Finding, Rule};

/// Codes listed in the message, of each kind.
const SHOWN: usize = 3;

/// One `other-country` warning for each file without a country column
/// (of `files`) where a fifth or more of the distinct codes of the
/// evaluations it first gives (of `evals`) are one other country's and
/// not the country's it is read as, today's or former codes (a Swedish
/// file of 290 municipalities with a typo that is a Norwegian code draws
/// none: that code's `unknown-municipality` names it).
pub(super) fn other_country(
    evals: &[EvalInfo],
    files: &[FileInfo],
    register: &Register,
) -> Vec<Finding> {
    // Each file's distinct codes, with the country it was read as.
    let mut codes: Vec<Vec<(&str, &str)>> = vec![Vec::new(); files.len()];
    for info in evals {
        let file = info.file as usize;
        if files.get(file).is_some_and(|f| !f.key_columns.country) {
            codes[file].push((&info.key.country, &info.key.code));
        }
    }
    let mut found = Vec::new();
    for (file, mut codes) in codes.into_iter().enumerate() {
        codes.sort_unstable();
        codes.dedup();
        if let Some(f) = check_file(&codes, register) {
            found.push(Finding {
                file: file as u32,
                line: files[file].header_line,
                column: files[file].key_columns.code.as_str().into(),
                ..f
            });
        }
    }
    found
}

/// The name of `code` in `country`: today's municipality's, or `X's until
/// 2019` for a code from before a reform.
fn name_of(register: &Register, country: &str, code: &str) -> Option<String> {
    match register.get(country, code) {
        Some(m) => Some(m.name.clone()),
        None => (register.former(country, code)).map(|f| format!("{}'s until {}", f.name, f.until)),
    }
}

/// The finding for one file's distinct (country, code) pairs, sorted,
/// all of one country (a file without the column is read as one), if a
/// fifth or more are another country's only.
fn check_file(codes: &[(&str, &str)], register: &Register) -> Option<Finding> {
    let country = codes.first()?.0;
    let (ours, others): (Vec<&str>, Vec<&str>) =
        (codes.iter().map(|c| c.1)).partition(|code| name_of(register, country, code).is_some());
    // The other country most of the rest is, and its codes.
    let mut best: Option<(&str, Vec<&str>)> = None;
    for c in register.countries().into_iter().filter(|c| *c != country) {
        let theirs: Vec<&str> = (others.iter().copied())
            .filter(|code| name_of(register, c, code).is_some())
            .collect();
        if theirs.len() > best.as_ref().map_or(0, |b| b.1.len()) {
            best = Some((c, theirs));
        }
    }
    let (other, theirs) = best?;
    if theirs.len() * 5 < codes.len() {
        return None;
    }
    let list = |of: &str, codes: &[&str]| {
        let mut shown: Vec<String> = (codes.iter().take(SHOWN))
            .map(|code| format!("{code} {}", name_of(register, of, code).unwrap_or_default()))
            .collect();
        if codes.len() > SHOWN {
            shown.push("...".into());
        }
        shown.join(", ")
    };
    let verb = |n: usize| if n == 1 { "is" } else { "are" };
    let is = verb(theirs.len());
    let mut message = format!(
        "the file has no country column, so its rows are read as {country}'s, but {} of its {} \
         municipality codes {is} not {country}'s and {is} {other}'s ({})",
        theirs.len(),
        codes.len(),
        list(other, &theirs)
    );
    if !ours.is_empty() {
        message.push_str(&format!(
            "; {} {} {country}'s too, read as {country}'s municipalities ({})",
            ours.len(),
            verb(ours.len()),
            list(country, &ours)
        ));
    }
    message.push_str(&format!(
        ": is it {other}'s export? (--country {other} reads the run's files without one as \
         {other}'s)"
    ));
    Some(Finding {
        rule: Rule::OtherCountry,
        file: 0,
        line: 0,
        column: Default::default(),
        value: Default::default(),
        message,
        context: Context {
            country: country.into(),
            ..Context::default()
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_of_another_country_s_codes_is_named() {
        let reg = Register::shipped().expect("shipped register");
        // Oslo, Stavanger and Bergen are Norway's only; 0123 (Spydeberg's
        // until 2019) is Järfälla's in Sweden.
        let codes = [
            ("SE", "0123"),
            ("SE", "0301"),
            ("SE", "1103"),
            ("SE", "4601"),
        ];
        let f = check_file(&codes, &reg).expect("a finding");
        assert_eq!(
            f.message,
            "the file has no country column, so its rows are read as SE's, but 3 of its 4 \
             municipality codes are not SE's and are NO's (0301 Oslo - Oslove, 1103 Stavanger, \
             4601 Bergen); 1 is SE's too, read as SE's municipalities (0123 Järfälla): is it \
             NO's export? (--country NO reads the run's files without one as NO's)"
        );
        // One of six codes is fewer than a fifth (a Swedish file with a
        // typo); one of five is a fifth.
        let mut codes = vec![
            ("SE", "0114"),
            ("SE", "0115"),
            ("SE", "0117"),
            ("SE", "0120"),
        ];
        codes.extend([("SE", "0123"), ("SE", "0301")]);
        assert!(check_file(&codes, &reg).is_none());
        codes.truncate(4);
        codes.push(("SE", "0301"));
        let f = check_file(&codes, &reg).expect("one of five");
        assert!(
            f.message
                .contains("but 1 of its 5 municipality codes is not SE's and is NO's")
        );
        // A former code of Norway's counts as Norway's.
        let codes = [("SE", "0219"), ("SE", "0301"), ("SE", "0114")];
        let f = check_file(&codes, &reg).expect("a finding");
        assert!(
            f.message
                .contains("(0219 Bærum's until 2019, 0301 Oslo - Oslove)")
        );
        assert!(check_file(&[], &reg).is_none());
    }
}
