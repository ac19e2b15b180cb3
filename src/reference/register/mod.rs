//! The municipality register: which municipalities exist, their names, the
//! Swedish municipality groups and population.
//!
//! The shipped register is `data/reference/{se,no,dk}_municipalities.csv`
//! (embedded at build time). `--register PATH` replaces it with a CSV file or
//! a folder of CSV files. A file's country is its `country` column or, without
//! one, the two letters its name starts with (`se_…`). Codes are text; the
//! width of a country's codes (4 digits in SE and NO, 3 in DK) is taken from
//! the register itself and used to recognise malformed codes in the data.
//! Codes from before a reform ([`former`], Norway's of 2020 and 2024) are
//! known too, with the municipality that has them today.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

mod columns;
mod elsewhere;
mod former;
mod groups;
mod names;

pub use columns::COLUMNS;
use columns::{Columns, misspellings};
pub use elsewhere::CodeOf;
pub use former::{Change, FormerCode};
pub use names::name_matches;

use crate::error::{Error, Result};
use crate::io::files_with_extension;
use crate::io::table::{Records, Table};
use crate::reference::country;

/// One municipality of the register.
#[derive(Debug, Clone, Default)]
pub struct Municipality {
    pub country: String,
    pub code: String,
    pub name: String,
    pub group_2011_code: Option<String>,
    pub group_2011_name: Option<String>,
    pub group_2017_code: Option<String>,
    pub group_2017_name: Option<String>,
    pub population: Option<u64>,
}

#[derive(Debug, Clone, Default)]
pub struct Register {
    list: Vec<Municipality>,
    /// Country, then code: looked up without building a key.
    by_key: foldhash::HashMap<String, foldhash::HashMap<String, usize>>,
    /// Digits a code may have, per country (sorted; usually one width).
    code_widths: HashMap<String, Vec<usize>>,
    /// Where each municipality of `list` is listed (file, line), to name
    /// the first place of one listed twice.
    listed_at: Vec<(std::sync::Arc<Path>, u64)>,
    /// Columns of its files that look like a misspelt column kompass
    /// reads (file, column, the one meant): `populaton` would otherwise
    /// drop the population bands without a word. The caller warns of them;
    /// other columns (`county_name`) are not read, as documented.
    pub misspelt: Vec<(PathBuf, String, &'static str)>,
    /// The files read (none for the shipped register): what the run's
    /// fingerprint hashes.
    pub files: Vec<PathBuf>,
    /// Codes from before a reform whose municipality today is listed.
    former: former::FormerCodes,
}

impl Register {
    /// The register shipped in `data/reference/`.
    pub fn shipped() -> Result<Self> {
        let mut reg = Register::default();
        for (name, text) in crate::reference::embedded::REGISTER {
            let path = PathBuf::from("data/reference").join(name);
            reg.add(&path, text.as_bytes().to_vec())?;
        }
        reg.finish()
    }

    /// A CSV file or every `*.csv` file in a folder; a register without a
    /// single municipality is refused (every row would be rejected as
    /// unknown).
    pub fn load(path: &Path) -> Result<Self> {
        let paths = if path.is_dir() {
            files_with_extension(path, &["csv"])?
        } else {
            vec![path.to_path_buf()]
        };
        if paths.is_empty() {
            return Err(Error::config(
                path,
                "no register files (*.csv) in this folder; a register is a CSV file or a folder \
                 of them with the columns 'code' and 'name'",
            ));
        }
        let mut reg = Register::default();
        for p in &paths {
            let bytes = crate::io::read_bytes(p)?;
            reg.add(p, bytes)?;
        }
        reg.files = paths;
        if reg.list.is_empty() {
            return Err(Error::config(
                path,
                "the register lists no municipalities (a header and no rows); every score \
                 would be rejected as from an unknown municipality",
            ));
        }
        reg.finish()
    }

    /// Adds the municipalities of the register file `path` (read as
    /// `bytes`), one record at a time.
    fn add(&mut self, path: &Path, bytes: Vec<u8>) -> Result<()> {
        let (table, mut records) = Table::open(path, bytes)?;
        // A record that is not valid CSV is the error even after another
        // one (as when the file was read whole before it was checked).
        (self.add_records(&table, &mut records)).map_err(|e| records.or_later_error(e))
    }

    fn add_records(&mut self, table: &Table, records: &mut Records) -> Result<()> {
        let columns = Columns::of(table)?;
        records.strict(table, columns.strict());
        for (i, meant) in misspellings(table) {
            let header = table.headers()[i].clone();
            (self.misspelt).push((table.path().to_path_buf(), header, meant));
        }
        let file: std::sync::Arc<Path> = table.path().into();
        while let Some((line, rec)) = records.next_record()? {
            let m = columns.municipality(table, line, rec)?;
            let codes = self.by_key.entry(m.country.clone()).or_default();
            if let Some(first) = codes.insert(m.code.clone(), self.list.len()) {
                let (at, first_line) = &self.listed_at[first];
                let place = match **at == *file {
                    true => format!("line {first_line}"),
                    false => format!("line {first_line} of {}", crate::io::shown(at)),
                };
                return Err(table
                    .error(format!(
                        "{} {} is listed twice (first on {place})",
                        m.country, m.code
                    ))
                    .at_line(line));
            }
            self.list.push(m);
            self.listed_at.push((file.clone(), line));
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Self> {
        self.one_name_per_group()?;
        self.one_code_per_name()?;
        let mut widths: HashMap<String, Vec<usize>> = HashMap::new();
        for m in &self.list {
            let w = widths.entry(m.country.clone()).or_default();
            if !w.contains(&m.code.len()) {
                w.push(m.code.len());
                w.sort_unstable();
            }
        }
        self.code_widths = widths;
        self.former = former::FormerCodes::shipped(|c, code| self.get(c, code).is_some())?;
        Ok(self)
    }

    pub fn get(&self, country: &str, code: &str) -> Option<&Municipality> {
        let i = *self.by_key.get(country)?.get(code)?;
        Some(&self.list[i])
    }

    /// The former code `code` of `country` (not listed, its municipality
    /// today listed), if it is one.
    pub fn former(&self, country: &str, code: &str) -> Option<&FormerCode> {
        self.former.get(country, code)
    }

    /// The code the rows of a code before a reform count as, where it is
    /// another ([`FormerCode::kept_as`]): today's for a renumbered code,
    /// the code it went on under until the merger for a merged one
    /// renumbered before.
    pub fn kept_under(&self, country: &str, code: &str) -> Option<&str> {
        let f = self.former(country, code)?;
        (f.kept_as != code).then_some(f.kept_as.as_str())
    }

    /// Whether `given` is a name of municipality `m`: its name in the
    /// register or under a code it had before a reform
    /// ([`name_matches`]).
    pub fn is_name_of(&self, m: &Municipality, given: &str) -> bool {
        name_matches(&m.name, given)
            || (self.former.names_of(&m.country, &m.code)).any(|n| name_matches(n, given))
    }

    /// The numbers of digits the country's codes have (4 for SE, plus 6 in a
    /// register with synthetic municipalities), if the country is known.
    pub fn code_widths(&self, country: &str) -> Option<&[usize]> {
        self.code_widths.get(country).map(Vec::as_slice)
    }

    /// The country `given` names: its code in capitals (`se` is `SE`),
    /// or, where the register has no such code, the code of the country
    /// it names ([`country::named`]: `Sverige`, `Norway`, `NOR`); else
    /// `given` in capitals, which the register may not have. Surrounding
    /// white space is not read, as in any cell.
    pub fn country_of(&self, given: &str) -> String {
        let given = given.trim();
        let upper = given.to_uppercase();
        // (No name is two letters: a code, the usual cell, is looked up
        // once, by the caller.)
        if upper.len() > 2
            && self.code_widths(&upper).is_none()
            && let Some(code) = country::named(given)
        {
            return code.to_string();
        }
        upper
    }

    /// The countries in the register, sorted.
    pub fn countries(&self) -> Vec<&str> {
        let mut c: Vec<&str> = self.code_widths.keys().map(String::as_str).collect();
        c.sort_unstable();
        c
    }

    pub fn municipalities(&self) -> &[Municipality] {
        &self.list
    }
}

impl Municipality {
    /// The fields of this municipality in [`COLUMNS`] order.
    pub fn fields(&self) -> [String; 8] {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        [
            self.country.clone(),
            self.code.clone(),
            self.name.clone(),
            o(&self.group_2011_code),
            o(&self.group_2011_name),
            o(&self.group_2017_code),
            o(&self.group_2017_name),
            self.population.map_or(String::new(), |p| p.to_string()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_register() {
        let reg = Register::shipped().expect("valid");
        assert_eq!(reg.countries(), vec!["DK", "NO", "SE"]);
        assert_eq!(reg.code_widths("SE"), Some([4].as_slice()));
        assert_eq!(reg.code_widths("DK"), Some([3].as_slice()));
        for country in reg.countries() {
            let width = country::code_width(country);
            assert_eq!(
                reg.code_widths(country),
                width.as_ref().map(std::slice::from_ref)
            );
        }
        let ost = reg.get("SE", "2380").expect("Östersund");
        assert_eq!(ost.name, "Östersund");
        assert_eq!(ost.group_2017_code.as_deref(), Some("B3"));
        assert_eq!(
            reg.municipalities()
                .iter()
                .filter(|m| m.country == "SE")
                .count(),
            290
        );
    }

    /// Norway's codes before 2020 and 2024, as SSB gives them: Bærum
    /// 0219 until 2019 and 3024 until 2023 is 3201; Bergen 1201 is 4601;
    /// Finnøy 1141 was merged into Stavanger 1103 (SSB's grouping's
    /// years and names, `data/reference/SOURCES.md`).
    #[test]
    fn former_codes() {
        let reg = Register::shipped().expect("valid");
        assert_eq!(reg.kept_under("NO", "0219"), Some("3201"));
        assert_eq!(reg.kept_under("NO", "3024"), Some("3201"));
        assert_eq!(reg.kept_under("NO", "1201"), Some("4601"));
        assert_eq!(reg.kept_under("SE", "0219"), None);
        assert_eq!(reg.kept_under("NO", "3201"), None, "today's code");
        let finnøy = reg.former("NO", "1141").expect("a former code");
        assert_eq!(
            (finnøy.change, finnøy.code.as_str()),
            (Change::Merged, "1103")
        );
        assert_eq!((finnøy.name.as_str(), finnøy.until), ("Finnøy", 2019));
        assert_eq!(reg.kept_under("NO", "1141"), None);
        // Moss of 2020-2023, after Rygge joined it, is today's Moss; not
        // so Ålesund of 2020-2023, which Haram left in 2024 (its number
        // changed within its county), nor Trondheim before Klæbu joined.
        assert_eq!(reg.kept_under("NO", "3002"), Some("3103"));
        assert_eq!(reg.kept_under("NO", "0104"), None);
        assert_eq!(reg.kept_under("NO", "1507"), None);
        assert_eq!(reg.kept_under("NO", "1601"), None);
        // Ørland's 1621 went on as 5015 in Trøndelag's new numbering of
        // 2018, until Ørland and Bjugn merged in 2020; Ølen's 1214 as 1159
        // in Rogaland in 2002, until it merged with Vindafjord in 2006.
        assert_eq!(reg.kept_under("NO", "1621"), Some("5015"));
        assert_eq!(reg.kept_under("NO", "5015"), None);
        assert_eq!(reg.kept_under("NO", "1214"), Some("1159"));
        assert_eq!(
            reg.former("NO", "1621").map(|f| f.change),
            Some(Change::Merged)
        );
        // Sweden's: Heby, 1917 in Västmanland until 2006, 0331 in Uppsala
        // county since.
        assert_eq!(reg.kept_under("SE", "1917"), Some("0331"));
        assert_eq!(reg.kept_under("DK", "1917"), None);
        // Each one's municipality today is listed; none is listed itself.
        let all: Vec<(&String, &FormerCode)> = (reg.former.by_key.get("NO").into_iter())
            .flat_map(|codes| codes.iter())
            .collect();
        assert_eq!(all.len(), 477);
        for (old, f) in all {
            assert!(reg.get("NO", old).is_none() && reg.get("NO", &f.code).is_some());
            // Kept as today's, its own or a merged code of its municipality.
            let kept = reg
                .former("NO", &f.kept_as)
                .map(|k| (k.change, k.code.as_str()));
            assert!(match f.change {
                Change::Renumbered => f.kept_as == f.code,
                Change::Merged => f.kept_as == *old || kept == Some((Change::Merged, &f.code)),
            });
        }
        let m = reg.get("NO", "3228").expect("Nes");
        assert!(reg.is_name_of(m, "Nes (Akershus)") && reg.is_name_of(m, "Nes kommune"));
        assert!(!reg.is_name_of(reg.get("NO", "3118").expect("Indre Østfold"), "Askim"));
    }
}
