//! Codes municipalities had before a reform (Norway's of 2020 and 2024;
//! Sweden's Heby, 1917 until it changed county in 2007), shipped in
//! `data/reference/former/` (Norway's derived from SSB's grouping of the
//! codes of 1994–2024 by `former_codes.py` there). A `renumbered` code is
//! today's municipality under an older number: its rows count as today's
//! code's. A `merged` one is a municipality merged with others (or
//! renamed) since: it stays a municipality of its own, and its
//! `unknown-municipality` warning names the one that took it over; one
//! renumbered before the merger counts as the code it went on under
//! (Ørland's 1621, until 2017, as 5015, 2018–2019: its `kept_as`).

use std::path::Path;

use crate::error::{Error, Result};
use crate::io::table::{Table, field};

/// What became of a former code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The same municipality under today's code.
    Renumbered,
    /// Merged with another (or renamed): today's municipality is another.
    Merged,
}

/// A code no longer in use, and today's municipality that took it over.
#[derive(Debug, Clone)]
pub struct FormerCode {
    /// Its name while the code was in use.
    pub name: String,
    /// The last year the code was in use.
    pub until: u16,
    /// Today's code.
    pub code: String,
    pub change: Change,
    /// The code its rows count as: today's for a renumbered code; a
    /// merged one's own, or the code it went on under until the merger
    /// (Ørland's 1621, until 2017: 5015, 2018–2019).
    pub kept_as: String,
}

/// The former codes, by country and code.
#[derive(Debug, Clone, Default)]
pub struct FormerCodes {
    pub(super) by_key: foldhash::HashMap<String, foldhash::HashMap<String, FormerCode>>,
    /// The names under its renumbered former codes of each of today's
    /// municipalities that had some, by country and today's code.
    names: foldhash::HashMap<(String, String), Vec<String>>,
}

impl FormerCodes {
    /// The shipped tables, of the former codes whose municipality today
    /// is in `known` and which are not codes of `known` themselves (a
    /// register that lists a former code keeps it a municipality).
    pub fn shipped(known: impl Fn(&str, &str) -> bool) -> Result<Self> {
        let mut former = FormerCodes::default();
        for (name, text) in crate::reference::embedded::FORMER {
            let path = Path::new("data/reference/former").join(name);
            former.add(&path, text)?;
        }
        for (country, codes) in &mut former.by_key {
            codes.retain(|old, f| !known(country, old) && known(country, &f.code));
            for f in codes.values().filter(|f| f.change == Change::Renumbered) {
                let today = (country.clone(), f.code.clone());
                former.names.entry(today).or_default().push(f.name.clone());
            }
        }
        Ok(former)
    }

    fn add(&mut self, path: &Path, text: &str) -> Result<()> {
        let (table, mut records) = Table::open(path, text.as_bytes().to_vec())?;
        let what = "tables of former codes";
        let col = |name| table.require(name, what);
        let [country, old, name, until, code, change, kept_as] = [
            "country", "old_code", "old_name", "until", "code", "change", "kept_as",
        ]
        .map(col);
        let (country, old, name, until, code, change, kept_as) =
            (country?, old?, name?, until?, code?, change?, kept_as?);
        while let Some((line, rec)) = records.next_record()? {
            let bad = |column: &str, value: &str| {
                let msg = format!("'{value}' is not a {column}");
                Error::config(path, msg).at_cell(line, column, value)
            };
            let change = match field(rec, change) {
                "renumbered" => Change::Renumbered,
                "merged" => Change::Merged,
                other => return Err(bad("change (renumbered or merged)", other)),
            };
            let year = field(rec, until);
            let former = FormerCode {
                name: field(rec, name).to_string(),
                until: year.parse().map_err(|_| bad("year", year))?,
                code: field(rec, code).to_string(),
                change,
                kept_as: field(rec, kept_as).to_string(),
            };
            (self
                .by_key
                .entry(field(rec, country).to_uppercase())
                .or_default())
            .insert(field(rec, old).to_string(), former);
        }
        Ok(())
    }

    /// The former code `code` of `country`, if it is one.
    pub fn get(&self, country: &str, code: &str) -> Option<&FormerCode> {
        self.by_key.get(country)?.get(code)
    }

    /// The names today's municipality `code` of `country` had under its
    /// renumbered former codes.
    pub fn names_of(&self, country: &str, code: &str) -> impl Iterator<Item = &str> {
        let today = (country.to_string(), code.to_string());
        (self.names.get(&today).into_iter()).flat_map(|n| n.iter().map(String::as_str))
    }
}
