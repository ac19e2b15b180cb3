//! A code the register lacks in a row's country but has in another, as
//! a municipality's code today or as one from before a reform: the note
//! that names the other, as a Norwegian or Danish export without a
//! country column (its rows read as Sweden's, or `--country`'s) would
//! otherwise draw a message pointing elsewhere (a lost leading zero, an
//! unknown code).

use super::{FormerCode, Municipality, Register, name_matches};
use crate::reference::country;

/// Whose a code of a country is: a municipality's today, or one's from
/// before a reform.
pub enum CodeOf<'a> {
    Today(&'a Municipality),
    Former(&'a FormerCode),
}

impl CodeOf<'_> {
    /// `Oslo - Oslove`, or `Bærum's until 2019` for a former code.
    pub fn said(&self) -> String {
        match self {
            CodeOf::Today(m) => m.name.clone(),
            CodeOf::Former(f) => format!("{}'s until {}", f.name, f.until),
        }
    }
}

impl Register {
    /// Whose code `code` of `country`'s is, today's or one from before
    /// a reform, if it is one.
    pub fn code_of(&self, country: &str, code: &str) -> Option<CodeOf<'_>> {
        match self.get(country, code) {
            Some(m) => Some(CodeOf::Today(m)),
            None => self.former(country, code).map(CodeOf::Former),
        }
    }

    /// The code of `country`'s that `code` writes with one leading zero
    /// more than the country's codes have, if the register has it
    /// (today's or from before a reform), in a country whose codes another
    /// register writes so ([`country::written_with_a_zero_more`]):
    /// Denmark's address register (DAR) writes Danmarks Statistik's `101`,
    /// København, as `0101`. Only a zero is taken off, and only from a code
    /// of no width the country's codes have. A lead only: a row's code is
    /// read so only beside its municipality's name (`ingest::row`), as a
    /// Swedish export read as Denmark's has `0580` of Linköping's, which
    /// is Aabenraa's `580` so written.
    pub fn unpadded<'a>(&self, country: &str, code: &'a str) -> Option<&'a str> {
        if !country::written_with_a_zero_more(country) {
            return None;
        }
        let rest = code.strip_prefix('0')?;
        let widths = self.code_widths(country)?;
        let fits = widths.contains(&rest.len()) && !widths.contains(&code.len());
        (fits && rest.bytes().all(|b| b.is_ascii_digit()) && self.code_of(country, rest).is_some())
            .then_some(rest)
    }

    /// Whether `code` is a code of `country`'s, today's or one from before
    /// a reform, of a municipality named `name` where given (the name
    /// under that code).
    pub fn has_code(&self, country: &str, code: &str, name: Option<&str>) -> bool {
        self.named(country, code, name).is_some()
    }

    /// [`Register::code_of`], where `name` (if given) is its name; beside
    /// a name, also with a zero more than the country's codes have
    /// ([`Register::unpadded`]: DAR's `0101` in a row of København's),
    /// as zeros are put back only beside one ([`Register::elsewhere`]).
    fn named(&self, country: &str, code: &str, name: Option<&str>) -> Option<CodeOf<'_>> {
        let of = match (self.code_of(country, code), name) {
            (Some(of), _) => of,
            (None, Some(_)) => self.code_of(country, self.unpadded(country, code)?)?,
            (None, None) => return None,
        };
        let fits = name.is_none_or(|n| match &of {
            CodeOf::Today(m) => self.is_name_of(m, n),
            CodeOf::Former(f) => name_matches(&f.name, n),
        });
        fits.then_some(of)
    }

    /// `NO 1860 is Vestvågøy` or `NO 0219 was Bærum's code until 2019`
    /// for each of the register's other countries than `country` that has
    /// code `code` today or before a reform (only those named `name`,
    /// where given), in the order of their countries, each with its
    /// country. Where the row gives a name, the code is also tried with
    /// the zeros put back to the other country's width (a Danish row's
    /// well-formed `301` of Oslo's is NO 0301).
    fn elsewhere<'a>(
        &'a self,
        country: &str,
        code: &str,
        name: Option<&str>,
    ) -> Vec<(&'a str, String)> {
        let mut found = Vec::new();
        // The zeros put back only beside a name (a Swedish `136` without
        // one, Haninge's `0136`, is no lead to Rygge's former `0136`).
        let digits = !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit());
        let pad = name.is_some() && digits;
        for c in self.countries().into_iter().filter(|c| *c != country) {
            let widths = (self.code_widths(c)).filter(|_| pad).unwrap_or_default();
            let padded =
                (widths.iter().filter(|&&w| w > code.len())).map(|&w| format!("{code:0>w$}"));
            let mut tried = std::iter::once(code.to_string()).chain(padded);
            let Some((code, of)) = tried.find_map(|t| self.named(c, &t, name).map(|of| (t, of)))
            else {
                continue;
            };
            let said = match of {
                CodeOf::Today(m) => format!("{c} {code} is {}", m.name),
                CodeOf::Former(f) => {
                    format!("{c} {code} was {}'s code until {}", f.name, f.until)
                }
            };
            found.push((c, said));
        }
        found
    }

    /// `; NO 0301 is Oslo: ...` for a row of `country` whose code `code`
    /// is another country's, today's or a former one (only those named
    /// `name`, where given), to end a message about the code with: the
    /// row's country is likely wrong, or, where its file has no
    /// `country_column`, missing (and where one country has the code,
    /// `--country` names it for such files).
    pub fn elsewhere_note(
        &self,
        (country, code): (&str, &str),
        name: Option<&str>,
        country_column: bool,
    ) -> Option<String> {
        let others = self.elsewhere(country, code, name);
        // In a file without a country column, a name-less code another
        // register writes with a zero more is named after them, as the
        // file's `other-country` check counts it ([`Register::unpadded`]):
        // a lead only, never `--country`'s (it reads the code so only
        // beside its municipality's name).
        let name_less = !country_column && name.is_none();
        let dar: Vec<String> = (self.countries().into_iter())
            .filter(|c| name_less && *c != country)
            .filter_map(|c| {
                let u = self.unpadded(c, code)?;
                let of = self.code_of(c, u)?.said();
                Some(format!(
                    "{c} {code} is {u} ({of}) as Denmark's address register writes it"
                ))
            })
            .collect();
        if others.is_empty() && dar.is_empty() {
            return None;
        }
        let mut why = match country_column {
            true => "is the row's country wrong?".to_string(),
            false => format!("the file has no country column, so its rows are read as {country}'s"),
        };
        if let (false, [(other, _)]) = (country_column, others.as_slice()) {
            why.push_str(&format!(
                " (--country {other} reads the run's files without one as {other}'s; or give it \
                 a country column)"
            ));
        }
        let named: Vec<&str> = (others.iter().map(|(_, text)| text.as_str()))
            .chain(dar.iter().map(String::as_str))
            .collect();
        Some(format!("; {}: {why}", named.join(" and ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_of_another_country_is_named() {
        let reg = Register::shipped().expect("shipped register");
        let dk = reg.elsewhere_note(("SE", "101"), None, false);
        assert_eq!(
            dk.as_deref(),
            Some(
                "; DK 101 is København: the file has no country column, so its rows are \
                 read as SE's (--country DK reads the run's files without one as DK's; or give \
                 it a country column)"
            )
        );
        let no = reg.elsewhere_note(("SE", "0301"), None, true);
        assert_eq!(
            no.as_deref(),
            Some("; NO 0301 is Oslo - Oslove: is the row's country wrong?")
        );
        // Laxå's code is Vestvågøy's in Norway: named only for its name.
        assert!(
            reg.elsewhere_note(("SE", "1860"), Some("Laxå"), false)
                .is_none()
        );
        assert!(
            (reg.elsewhere_note(("SE", "1860"), Some("Vestvågøy"), false))
                .is_some_and(|n| n.starts_with("; NO 1860 is Vestvågøy:"))
        );
        // A Norwegian code from before the 2020 reform (Bærum's, Kongsberg's,
        // the latter Aneby's in Sweden; Bærum's without a name is also
        // DAR's Hillerød).
        let baerum = reg.elsewhere_note(("SE", "0219"), None, false).unwrap();
        assert!(baerum.starts_with(
            "; NO 0219 was Bærum's code until 2019 and DK 0219 is 219 (Hillerød) as Denmark's \
             address register writes it:"
        ));
        assert!(baerum.contains("(--country NO reads"), "{baerum}");
        assert!(
            reg.elsewhere_note(("SE", "0604"), Some("Aneby"), false)
                .is_none()
        );
        assert!(
            (reg.elsewhere_note(("SE", "0604"), Some("Kongsberg"), false))
                .is_some_and(|n| n.starts_with("; NO 0604 was Kongsberg's code until 2019:"))
        );
        // A name-less 0101 in a file without a country column: Halden's
        // former code, `--country NO`'s, and DAR's København, a lead only;
        // with a country column, Halden's alone.
        assert_eq!(
            reg.elsewhere_note(("SE", "0101"), None, false).as_deref(),
            Some(
                "; NO 0101 was Halden's code until 2019 and DK 0101 is 101 (København) as \
                 Denmark's address register writes it: the file has no country column, so its \
                 rows are read as SE's (--country NO reads the run's files without one as NO's; \
                 or give it a country column)"
            )
        );
        assert_eq!(
            reg.elsewhere_note(("SE", "0101"), None, true).as_deref(),
            Some("; NO 0101 was Halden's code until 2019: is the row's country wrong?")
        );
        // A Danish row's well-formed 301 of Oslo's: the zero put back for
        // Norway's four digits, only for the row's name.
        assert!(
            (reg.elsewhere_note(("DK", "301"), Some("Oslo"), false))
                .is_some_and(|n| n.starts_with("; NO 0301 is Oslo - Oslove:"))
        );
        assert!(reg.elsewhere_note(("DK", "301"), None, false).is_none());
        assert!(
            reg.elsewhere_note(("DK", "301"), Some("Bergen"), false)
                .is_none()
        );
        assert!(reg.elsewhere_note(("SE", "9999"), None, false).is_none());
        // DAR's four digits for Danmarks Statistik's three, in Denmark only.
        assert_eq!(reg.unpadded("DK", "0101"), Some("101"));
        assert_eq!(reg.unpadded("DK", "101"), None);
        assert_eq!(reg.unpadded("DK", "0999"), None);
        assert_eq!(reg.unpadded("DK", "00101"), None);
        assert_eq!(reg.unpadded("SE", "00114"), None);
        assert_eq!(reg.unpadded("SE", "0114"), None);
        // A lead to Denmark only beside the name (as the zeros put back).
        assert!(
            (reg.elsewhere_note(("SE", "0219"), Some("Hillerød"), false))
                .is_some_and(|n| n.starts_with("; DK 0219 is Hillerød:"))
        );
        assert!(reg.elsewhere_note(("NO", "0301"), None, false).is_none());
    }
}
