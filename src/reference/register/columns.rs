//! Reading a register file: which of its columns hold what ([`COLUMNS`],
//! a misspelt one named), a municipality from each record, populations as
//! Excel writes them and group codes checked against their names.

use super::Municipality;
use crate::error::Result;
use crate::error::meant::column_meant;
use crate::io::csv_out::unguarded;
use crate::io::table::{Table, field};
use crate::reference::country::{self, code_width};

/// The most digits a register's code may have.
const MAX_CODE_DIGITS: usize = 10;

/// Columns of a register file in the combined format (all countries in one
/// file), as `--register` reads it.
pub const COLUMNS: [&str; 8] = [
    "country",
    "code",
    "name",
    "group_2011_code",
    "group_2011_name",
    "group_2017_code",
    "group_2017_name",
    "population",
];

/// The column of [`COLUMNS`] missing from `headers` that `header`, if it
/// is none of them, is a misspelling of ([`column_meant`]). (`note`
/// beside `code` is another column; a register's `group_2017_code`
/// without the 2011 groups is read, not a misspelt `group_2011_code`.)
fn meant(header: &str, headers: &[String]) -> Option<&'static str> {
    if COLUMNS.contains(&header) {
        return None;
    }
    let missing: Vec<&'static str> = (COLUMNS.iter().copied())
        .filter(|c| !headers.iter().any(|x| x == c))
        .collect();
    column_meant(header, &missing)
}

/// The columns of `table` that are a misspelling of one it lacks
/// ([`meant`]), by their index, with the one meant; `country` not where
/// the file's name gives the country (a `county` column there is the
/// län).
pub(super) fn misspellings(table: &Table) -> impl Iterator<Item = (usize, &'static str)> + '_ {
    let (headers, named) = (table.headers(), file_country(table).is_some());
    (headers.iter().enumerate())
        .filter_map(move |(i, h)| meant(h, headers).map(|m| (i, m)))
        .filter(move |(_, m)| *m != "country" || !named)
}

/// [`misspellings`] said after a message that a column is missing: `;
/// 'nmae' may be name misspelt`.
fn misspelt(table: &Table) -> String {
    (misspellings(table))
        .map(|(i, m)| format!("; '{}' may be {m} misspelt", table.written(i)))
        .collect()
}

/// The country the name of a register file without a country column
/// gives: `SE` for `se_municipalities.csv`.
fn file_country(table: &Table) -> Option<String> {
    (table.path().file_name())
        .and_then(|n| n.to_str())
        .and_then(|n| n.split('_').next())
        .filter(|p| p.len() == 2)
        .map(|p| p.to_uppercase())
}

/// A whole number as a register states it: digits, perhaps grouped by
/// threes with spaces, as Excel writes a cell formatted `# ##0` (`975 551`,
/// with a space, a no-break space, a narrow no-break space or a thin
/// space). Else why it is not one: a number too large to hold is one
/// (a message said "not a whole number": reference audit of the
/// seventy-sixth session).
fn whole_number(text: &str) -> std::result::Result<u64, &'static str> {
    let groups: Vec<&str> = text
        .split([' ', '\u{a0}', '\u{202f}', '\u{2009}'])
        .collect();
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    // Ungrouped, any digits; grouped, 1 to 3 first and then threes.
    let grouped = |(i, g): (usize, &&str)| if i == 0 { g.len() <= 3 } else { g.len() == 3 };
    let ok = groups.iter().all(|g| digits(g))
        && (groups.len() == 1 || groups.iter().enumerate().all(grouped));
    if !ok {
        return Err("is not a whole number of 0 or more");
    }
    (groups.concat().parse()).map_err(|_| crate::io::number::TOO_LARGE)
}

/// Where a register table keeps each field, and the country its file name
/// gives (`se_municipalities.csv`) where it has no country column.
pub(super) struct Columns {
    code: usize,
    name: usize,
    country: Option<usize>,
    file_country: Option<String>,
    /// The optional columns: the groups of 2011 and 2017 (code, name),
    /// and the population.
    groups: [Option<usize>; 4],
    population: Option<usize>,
}

impl Columns {
    /// The columns read as codes or numbers (country, code, group codes,
    /// population): a stray quote there is refused ([`Records::strict`]).
    ///
    /// [`Records::strict`]: crate::io::table::Records::strict
    pub(super) fn strict(&self) -> impl Iterator<Item = usize> + use<> {
        let [g2011, _, g2017, _] = self.groups;
        [Some(self.code), self.country, g2011, g2017, self.population]
            .into_iter()
            .flatten()
    }

    pub(super) fn of(table: &Table) -> Result<Columns> {
        let col = |name: &str| table.column(name);
        let (Some(code), Some(name)) = (col("code")?, col("name")?) else {
            // The names it has, and those a register's columns have (an
            // export's `kommunkod` is no register's name).
            let found: Vec<&str> = (0..table.headers().len())
                .map(|i| table.written(i))
                .collect();
            let found = if found.iter().all(|n| n.is_empty()) {
                String::new()
            } else {
                format!(
                    "; found: {} (a register's columns: {})",
                    found.join(", "),
                    COLUMNS.join(", ")
                )
            };
            let msg = format!(
                "a register needs the columns 'code' and 'name'{found}{}",
                misspelt(table)
            );
            return Err(table.lacks(msg));
        };
        let file_country = file_country(table);
        let country = col("country")?;
        if country.is_none() && file_country.is_none() {
            return Err(table.error(format!(
                "no 'country' column and the file name does not start with a country (se_, \
                 no_, dk_){}",
                misspelt(table)
            )));
        }
        let groups = [
            col(COLUMNS[3])?,
            col(COLUMNS[4])?,
            col(COLUMNS[5])?,
            col(COLUMNS[6])?,
        ];
        Ok(Columns {
            code,
            name,
            country,
            file_country,
            groups,
            population: col(COLUMNS[7])?,
        })
    }

    /// The country and code of record `rec`, on line `line` of `table`,
    /// checked.
    fn key(&self, table: &Table, line: u64, rec: &csv::StringRecord) -> Result<(String, String)> {
        let country = match self.country {
            Some(c) => field(rec, c).to_uppercase(),
            None => self.file_country.clone().unwrap_or_default(),
        };
        let code = field(rec, self.code).to_string();
        if country.is_empty() {
            return Err(
                (table.error("the country is empty".to_string())).at_cell(line, "country", "")
            );
        }
        if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
            let quoted = crate::io::number::behind_apostrophe(&code);
            let message = match (code.is_empty(), quoted) {
                (true, _) => "the code is empty".to_string(),
                (_, Some(c)) => format!(
                    "'{code}' is not a code of digits (an apostrophe before the digits: {c}?)"
                ),
                _ => format!("'{code}' is not a code of digits"),
            };
            return Err((table.error(message)).at_cell(line, "code", &code));
        }
        // Codes have 3 or 4 digits (6 for synth's own municipalities): one
        // of thousands is no municipality's, and would be every score's
        // width to pad to.
        if code.len() > MAX_CODE_DIGITS {
            let message = format!(
                "a code of {} digits is no municipality's (at most {MAX_CODE_DIGITS})",
                code.len()
            );
            let shown = match code.get(..12) {
                Some(start) if code.len() > 12 => format!("{start}…"),
                _ => code.clone(),
            };
            return Err((table.error(message)).at_cell(line, "code", &shown));
        }
        // Country and code name the report page and the charts of the
        // municipality (`SE_0114.html`): letters and digits only, so that no
        // register can make a path out of them.
        if !(2..=3).contains(&country.len()) || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            // As written (`Sverige`, not `SVERIGE`).
            let written = self.country.map_or(country.as_str(), |c| field(rec, c));
            return Err(table
                .error(format!(
                    "'{written}' is not a country code (two or three letters, as SE, NO, DK)"
                ))
                .at_cell(line, "country", written));
        }
        if let Some(width) = code_width(&country).filter(|w| code.len() < *w) {
            return Err(table
                .error(format!(
                    "{country} code '{code}' has {} digit(s) where {country}'s have {width}: a \
                     leading zero lost ('{code:0>width$}'), as Excel drops it when it saves a \
                     code column as numbers; format the column as text and save it again",
                    code.len()
                ))
                .at_cell(line, "code", &code));
        }
        Ok((country, code))
    }

    /// The municipality of record `rec`, on line `line` of `table`.
    pub(super) fn municipality(
        &self,
        table: &Table,
        line: u64,
        rec: &csv::StringRecord,
    ) -> Result<Municipality> {
        // Text as kompass would have written it (a generated data set's
        // register: `'=Väsby` for `=Väsby`) is read as the text.
        let opt = |col: Option<usize>| {
            col.and_then(|c| rec.get(c))
                .map(|s| unguarded(s.trim()))
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let (country, code) = self.key(table, line, rec)?;
        // A municipality without a name would head its report page and
        // every output row with nothing, and `name-mismatch` would compare
        // the data's names with nothing.
        let name = unguarded(field(rec, self.name));
        if !name.chars().any(visible) {
            let why = match name.is_empty() {
                true => "",
                false => " (only characters that show as nothing)",
            };
            return Err(table
                .error(format!("{country} {code} has no name{why}"))
                .at_cell(line, "name", name));
        }
        let population = match opt(self.population) {
            Some(p) => Some(whole_number(&p).map_err(|why| {
                (table.error(format!("'{p}' {why}"))).at_cell(line, "population", &p)
            })?),
            None => None,
        };
        let [g2011_code, g2011_name, g2017_code, g2017_name] = self.groups.map(opt);
        group_check(
            table,
            line,
            &country,
            [&g2011_code, &g2011_name, &g2017_code, &g2017_name],
        )?;
        Ok(Municipality {
            name: name.to_string(),
            group_2011_code: g2011_code,
            group_2011_name: g2011_name,
            group_2017_code: g2017_code,
            group_2017_name: g2017_name,
            population,
            country,
            code,
        })
    }
}

/// The municipality groups are SKL's and SKR's, of Swedish municipalities:
/// another country's municipality in one would be averaged with the
/// Swedish ones of the same label (`averages.csv` has no country column),
/// and a group's name without its code would be dropped unseen (the code
/// names the group, and its page).
fn group_check(table: &Table, line: u64, country: &str, g: [&Option<String>; 4]) -> Result<()> {
    let names = [
        "group_2011_code",
        "group_2011_name",
        "group_2017_code",
        "group_2017_name",
    ];
    let foreign = (names.iter().zip(g)).find_map(|(n, v)| Some((n, v.as_ref()?)));
    if let Some((column, value)) = foreign.filter(|_| !country::is_sweden(country)) {
        return Err(table
            .error(format!(
                "{country} municipality in a municipality group: the groups are SKL's and \
                 SKR's, for Swedish municipalities only; leave the group columns of {country} \
                 municipalities empty"
            ))
            .at_cell(line, column, value));
    }
    for (code, name) in [(0, 1), (2, 3)] {
        if let (None, Some(value)) = (g[code], g[name]) {
            return Err(table
                .error(format!(
                    "a group name without its code ({} is empty)",
                    names[code]
                ))
                .at_cell(line, names[name], value));
        }
    }
    Ok(())
}

/// Whether `c` shows as something: not white space, a control character,
/// or an invisible formatting character (a zero-width space or joiner, a
/// direction mark or override, a soft hyphen, a variation selector, a
/// byte order mark, a Hangul filler). A name of only such characters
/// shows as nothing, on its page and in its link in the index.
fn visible(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFF8}'
        ))
}

#[cfg(test)]
mod tests {
    use super::whole_number;

    #[test]
    fn populations_as_excel_writes_them() {
        assert_eq!(whole_number("975551"), Ok(975_551));
        assert_eq!(whole_number("975 551"), Ok(975_551));
        assert_eq!(whole_number("1\u{a0}234\u{202f}567"), Ok(1_234_567));
        for bad in [
            "", "12x", "97 5551", "9755 51", "1  000", " 100", "1.000", "-5", "+5",
        ] {
            let why = whole_number(bad).expect_err(bad);
            assert_eq!(why, "is not a whole number of 0 or more", "{bad:?}");
        }
        // A whole number too large to hold is said to be one.
        assert_eq!(whole_number("18446744073709551615"), Ok(u64::MAX));
        let why = whole_number("18 446 744 073 709 551 616").expect_err("2^64");
        assert_eq!(why, format!("is too large (at most {})", u64::MAX));
    }
}
