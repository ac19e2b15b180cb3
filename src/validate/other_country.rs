//! A file without a country column a fifth or more of whose codes are
//! another country's and not the country's it is read as (`--country`,
//! Sweden by default): a Norwegian export read as Sweden's. Its codes
//! that are only Norway's draw a finding each, but those Sweden has too
//! are taken as Swedish municipalities without a word where the rows give
//! no names (Spydeberg's `0123`, until 2019, is Järfälla's), so one
//! `other-country` warning per such file says so.

use crate::ingest::FileInfo;
use crate::reference::register::Register;
use crate::validate::rules::{Context, Finding, Rule};

/// Codes listed in the message, of each kind.
const SHOWN: usize = 3;

/// One `other-country` warning for each file of `files` without a
/// country column where a fifth or more of the distinct codes its rows
/// give, as written, are one other country's and not the country's it is
/// read as, today's or former codes (a Swedish file of 290 municipalities
/// with a typo that is a Norwegian code draws none: that code's
/// `unknown-municipality` names it).
pub(super) fn other_country(files: &[FileInfo], register: &Register) -> Vec<Finding> {
    let mut found = Vec::new();
    for (file, f) in files.iter().enumerate() {
        let Some(read_as) = &f.read_as else { continue };
        if let Some(message) = check_file(&read_as.country, &read_as.codes, register) {
            found.push(Finding {
                rule: Rule::OtherCountry,
                file: u32::try_from(file).unwrap_or(u32::MAX),
                line: f.header_line,
                column: f.key_columns.code.as_str().into(),
                value: Default::default(),
                message,
                context: Context {
                    country: read_as.country.as_str().into(),
                    ..Context::default()
                },
            });
        }
    }
    found
}

/// The message for a file read as `country`'s whose rows give the
/// distinct `codes` (each with a name its rows give it, if any), if a
/// fifth or more are another country's only, of the name where given (a
/// Swedish row's typo `1120` beside the name Värmdö is no Norwegian
/// Klepp's).
fn check_file(
    country: &str,
    codes: &[(String, Option<String>)],
    register: &Register,
) -> Option<String> {
    let (ours, others): (Vec<_>, Vec<_>) =
        (codes.iter()).partition(|(code, _)| register.has_code(country, code, None));
    let ours: Vec<&str> = ours.into_iter().map(|(code, _)| code.as_str()).collect();
    // The other country most of the rest is, and its codes.
    let mut best: Option<(&str, Vec<&str>)> = None;
    for c in register.countries().into_iter().filter(|c| *c != country) {
        // A file's codes taken together: DAR's `0101` is Denmark's `101`
        // without a name too (one row's message names it only beside its
        // municipality's name).
        let theirs: Vec<&str> = (others.iter())
            .filter(|(code, name)| {
                register.has_code(c, code, name.as_deref())
                    || (name.is_none() && register.unpadded(c, code).is_some())
            })
            .map(|(code, _)| code.as_str())
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
            .map(
                |code| match register.code_of(of, register.unpadded(of, code).unwrap_or(code)) {
                    Some(owner) => format!("{code} {}", owner.said()),
                    None => code.to_string(),
                },
            )
            .collect();
        if codes.len() > SHOWN {
            shown.push("...".into());
        }
        shown.join(", ")
    };
    let (is, codes_are) = match (theirs.len(), codes.len()) {
        (_, 1) => ("is", "its one municipality code is".to_string()),
        (1, n) => ("is", format!("1 of its {n} municipality codes is")),
        (k, n) if k == n => ("are", format!("all {n} of its municipality codes are")),
        (k, n) => ("are", format!("{k} of its {n} municipality codes are")),
    };
    let mut message = format!(
        "the file has no country column, so its rows are read as {country}'s, but {codes_are} \
         not {country}'s and {is} {other}'s ({})",
        list(other, &theirs)
    );
    if !ours.is_empty() {
        let (are, municipalities) = match ours.len() {
            1 => ("is", "municipality"),
            _ => ("are", "municipalities"),
        };
        message.push_str(&format!(
            "; {} {are} {country}'s, read as {country}'s {municipalities} ({})",
            ours.len(),
            list(country, &ours)
        ));
    }
    message.push_str(&format!(
        ": is it {other}'s export? (--country {other} reads the run's files without one as \
         {other}'s; or give it a country column)"
    ));
    Some(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Codes without names.
    fn strings(codes: &[&str]) -> Vec<(String, Option<String>)> {
        codes.iter().map(|c| (c.to_string(), None)).collect()
    }

    #[test]
    fn a_file_of_another_country_s_codes_is_named() {
        let reg = Register::shipped().expect("shipped register");
        // Oslo, Stavanger and Bergen are Norway's only; 0123 (Spydeberg's
        // until 2019) is Järfälla's in Sweden.
        let f = check_file("SE", &strings(&["0123", "0301", "1103", "4601"]), &reg);
        assert_eq!(
            f.as_deref(),
            Some(
                "the file has no country column, so its rows are read as SE's, but 3 of its 4 \
                 municipality codes are not SE's and are NO's (0301 Oslo - Oslove, 1103 \
                 Stavanger, 4601 Bergen); 1 is SE's, read as SE's municipality (0123 \
                 Järfälla): is it NO's export? (--country NO reads the run's files without one \
                 as NO's; or give it a country column)"
            )
        );
        // One of six codes is fewer than a fifth (a Swedish file with a
        // typo); one of five is a fifth.
        let mut codes = strings(&["0114", "0115", "0117", "0120", "0127", "0301"]);
        assert!(check_file("SE", &codes, &reg).is_none());
        codes.remove(4);
        let f = check_file("SE", &codes, &reg).expect("one of five");
        assert!(f.contains("but 1 of its 5 municipality codes is not SE's and is NO's"));
        // A former code of Norway's counts as Norway's; one code alone.
        let f = check_file("SE", &strings(&["0114", "0219", "0301"]), &reg);
        assert!(f.is_some_and(|f| f.contains("(0219 Bærum's until 2019, 0301 Oslo - Oslove)")));
        let f = check_file("SE", &strings(&["0301"]), &reg).expect("one code");
        assert!(f.contains("but its one municipality code is not SE's and is NO's (0301"));
        let f = check_file("SE", &strings(&["0301", "1103"]), &reg).expect("two codes");
        assert!(f.contains("but all 2 of its municipality codes are not SE's and are NO's (0301"));
        assert!(check_file("SE", &[], &reg).is_none());
        // A Swedish file's typo (`1120` for Värmdö's `0120`) is Klepp's
        // code in Norway, but the row names Värmdö.
        let mut codes = strings(&["0114", "0127", "0160", "1120"]);
        codes[3].1 = Some("Värmdö".into());
        assert!(check_file("SE", &codes, &reg).is_none());
        codes[3].1 = Some("Klepp".into());
        assert!(check_file("SE", &codes, &reg).is_some());
        // DAR's four-digit Danish codes, with or without names; not
        // beside another municipality's name.
        let mut codes = strings(&["0101", "0114", "0851"]);
        let f = check_file("SE", &codes, &reg).expect("DAR's codes");
        assert!(
            f.contains("are DK's (0101 København, 0851 Aalborg); 1 is SE's"),
            "{f}"
        );
        codes[0].1 = Some("København".into());
        assert!(check_file("SE", &codes, &reg).is_some());
        codes[0].1 = Some("Oslo".into());
        assert!(check_file("SE", &codes, &reg).is_some_and(|f| f.contains("1 of its 3")));
    }
}
