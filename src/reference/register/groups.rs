//! The register's municipality groups checked as one classification: a
//! group code has one name and a group name one code (within a country),
//! else its municipalities would be averaged as two groups without a word.

use std::collections::HashMap;

use super::Register;
use crate::error::{Error, Result};

/// A group column's prefix (`group_2011`), and its code and name of one
/// municipality.
type Group<'a> = (&'static str, Option<&'a str>, Option<&'a str>);

impl Register {
    /// Where municipality `at` of the list is listed, as seen from the
    /// file of municipality `i`: `line 3`, or `line 3 of se.csv`.
    fn place(&self, i: usize, at: usize) -> String {
        let (file, _) = &self.listed_at[i];
        let (first_file, first_line) = &self.listed_at[at];
        match first_file == file {
            true => format!("line {first_line}"),
            false => format!("line {first_line} of {}", crate::io::shown(first_file)),
        }
    }

    /// Municipality `i`'s groups: each classification's code and name.
    fn groups(&self, i: usize) -> [Group<'_>; 2] {
        let m = &self.list[i];
        [
            (
                "group_2011",
                m.group_2011_code.as_deref(),
                m.group_2011_name.as_deref(),
            ),
            (
                "group_2017",
                m.group_2017_code.as_deref(),
                m.group_2017_name.as_deref(),
            ),
        ]
    }

    /// Refuses a group code given two names (`A1, Storstad` on one line,
    /// `A1, Storstäder` on another, or a name on one and none on the
    /// other): its municipalities would be averaged as two groups, each
    /// ranked among its own, without a word (averages audit, 2026-12-02).
    pub(super) fn one_name_per_group(&self) -> Result<()> {
        let mut named: HashMap<(&str, &str), (Option<&str>, usize)> = HashMap::new();
        for i in 0..self.list.len() {
            for (column, code, name) in self.groups(i) {
                let Some(code) = code else {
                    continue;
                };
                let (first, at) = *named.entry((column, code)).or_insert((name, i));
                if first == name {
                    continue;
                }
                // A character that shows as nothing written out: the two
                // names would read alike.
                let shown = |n: Option<&str>| match n {
                    Some(n) => format!("named '{}'", crate::io::terminal::message(n)),
                    None => "without a name".into(),
                };
                let (file, line) = &self.listed_at[i];
                let first_file = &self.listed_at[at].0;
                // A name column misspelt in one file reads as no name
                // there: its warning would come only after the load.
                let misspelt = (self.misspelt.iter())
                    .find(|(p, _, meant)| {
                        *meant == format!("{column}_name") && (**p == **file || **p == **first_file)
                    })
                    .map(|(p, h, meant)| {
                        let p = crate::io::shown(p);
                        format!(" ({p}'s column '{h}' is not read: did you mean '{meant}'?)")
                    })
                    .unwrap_or_default();
                let msg = format!(
                    "{column}_code {code} {} here and {} on {}; a group has one name (with \
                     two, its municipalities would be averaged as two groups){misspelt}",
                    shown(name),
                    shown(first),
                    self.place(i, at)
                );
                let cell = format!("{column}_name");
                return Err(Error::config(file, msg).at_cell(*line, &cell, name.unwrap_or("")));
            }
        }
        Ok(())
    }

    /// Refuses a group name of one country given two codes (`A2` on one
    /// line, `a2`, `A2"` or `A2` and a zero-width space on another): its
    /// municipalities were averaged as two groups of one name (side-input
    /// audit, 2026-12-06). Groups without a name are not compared.
    pub(super) fn one_code_per_name(&self) -> Result<()> {
        let mut coded: HashMap<(&str, &str, &str), (&str, usize)> = HashMap::new();
        for i in 0..self.list.len() {
            let country = self.list[i].country.as_str();
            for (column, code, name) in self.groups(i) {
                let (Some(code), Some(name)) = (code, name.filter(|n| !n.trim().is_empty())) else {
                    continue;
                };
                let (first, at) = *coded.entry((column, country, name)).or_insert((code, i));
                if first == code {
                    continue;
                }
                let shown = crate::io::terminal::message;
                let msg = format!(
                    "{column}_name '{}' has code '{}' here and '{}' on {}; a group has one \
                     code (with two, its municipalities would be averaged as two groups)",
                    shown(name),
                    shown(code),
                    shown(first),
                    self.place(i, at)
                );
                let (file, line) = &self.listed_at[i];
                let cell = format!("{column}_code");
                return Err(Error::config(file, msg).at_cell(*line, &cell, code));
            }
        }
        Ok(())
    }
}
