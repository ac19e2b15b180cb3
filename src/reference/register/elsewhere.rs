//! A code the register lacks in a row's country but has in another: the
//! note that names the other, as a Norwegian or Danish export without a
//! country column (its rows read as Sweden's) would otherwise draw a
//! message pointing elsewhere (a lost leading zero, an unknown code).

use super::{Municipality, Register};

impl Register {
    /// The municipalities of the register's other countries than
    /// `country` with code `code`, in the order of their countries.
    pub fn elsewhere(&self, country: &str, code: &str) -> Vec<&Municipality> {
        (self.countries().into_iter())
            .filter(|c| *c != country)
            .filter_map(|c| self.get(c, code))
            .collect()
    }

    /// `; NO 0301 is Oslo: ...` for a row of `country` whose code `code`
    /// is another country's (only those named `name`, where given), to
    /// end a message about the code with: the row's country is likely
    /// wrong, or, where its file has no `country_column`, missing.
    pub fn elsewhere_note(
        &self,
        (country, code): (&str, &str),
        name: Option<&str>,
        country_column: bool,
    ) -> Option<String> {
        let others: Vec<String> = (self.elsewhere(country, code).into_iter())
            .filter(|m| name.is_none_or(|n| self.is_name_of(m, n)))
            .map(|m| format!("{} {} is {}", m.country, m.code, m.name))
            .collect();
        if others.is_empty() {
            return None;
        }
        let why = if country_column {
            "is the row's country wrong?".to_string()
        } else {
            format!("the file has no country column, so its rows are read as {country}'s")
        };
        Some(format!("; {}: {why}", others.join(" and ")))
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
                 read as SE's"
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
        assert!(reg.elsewhere_note(("SE", "9999"), None, false).is_none());
        assert!(reg.elsewhere_note(("NO", "0301"), None, false).is_none());
    }
}
