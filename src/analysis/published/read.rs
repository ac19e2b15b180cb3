//! Reading a file of published average profiles (`--published`): its
//! columns by their English or Swedish names, every row checked as it is
//! read, so that a broken file stops the run before any data is read.

use std::path::Path;

use crate::analysis::averages::Basis;
use crate::error::meant::column_meant;
use crate::error::{Error, Result};
use crate::ingest::item_in;
use crate::io::dialect::Decimal;
use crate::io::number::parse_number;
use crate::io::table::{Records, Table, field};
use crate::reference::instrument::{Instruments, ItemIx, ScaleIx};
use crate::reference::register::Register;

/// One row of published figures, as the file writes it.
#[derive(Clone)]
pub(super) struct Row {
    pub(super) line: u32,
    pub(super) source: String,
    pub(super) year: u16,
    pub(super) country: String,
    pub(super) scale: String,
    pub(super) item: String,
    pub(super) mean: f64,
    /// The mean as the file writes it (`100,5`), for findings' `value`.
    pub(super) mean_text: String,
    pub(super) basis: Basis,
    /// The number of evaluations it says it averages, if given.
    pub(super) n: Option<u64>,
}

/// The published figures of a `--published` file, read before any data so
/// that a broken file stops the run at once.
pub struct Published {
    path: std::path::PathBuf,
    pub(super) rows: Vec<Row>,
    /// Each column's English name with its name in the file (`mean`,
    /// `medel`), for findings to name the file's column.
    pub(super) names: Vec<(&'static str, String)>,
    /// Columns of the file that look like an optional column misspelt
    /// (as written, the one meant): `underlagg` would otherwise compare
    /// every row as `latest` without a word. The caller warns of them.
    pub misspelt: Vec<(String, &'static str)>,
}

/// Reads the published figures in `path`: a row whose year is not four
/// digits from 1000 on, whose mean is not a number, whose `n` is not a
/// whole number of 1 or more, whose `basis` is not `latest` (`senaste`),
/// `all` (`alla`) or empty (`latest`), or with a stray quote in a key or number stops the run (exit 2, naming
/// line, column and value).
pub fn read(path: &Path) -> Result<Published> {
    let (table, mut records) = Table::open(path, crate::io::read_bytes(path)?)?;
    (read_rows(&table, &mut records)).map_err(|e| records.or_later_error(e))
}

/// The rows of published figures in `table`, read from `records`.
fn read_rows(table: &Table, records: &mut Records) -> Result<Published> {
    let path = table.path();
    let col = |name: &str| table.require(name, "published averages");
    // Each column by its English or its Swedish name.
    let (src, yr, ct, sc, it, mn) = (
        col("source/källa")?,
        col("published_year/publiceringsår")?,
        col("country/land")?,
        col("scale/skala")?,
        col("item/fråga")?,
        col("mean/medel")?,
    );
    let (basis_col, n_col) = (table.column("basis/underlag")?, table.column("n/antal")?);
    // A stray quote in a key or a number is refused, as in an export.
    let keys = [yr, ct, sc, it, mn]
        .into_iter()
        .chain(basis_col)
        .chain(n_col);
    records.strict(table, keys);
    let columns = [
        Some(src),
        Some(yr),
        Some(ct),
        Some(sc),
        Some(it),
        Some(mn),
        basis_col,
        n_col,
    ];
    let names = file_names(table, columns.into_iter());
    let misspelt = misspelt(table, &columns);
    let mut rows = Vec::new();
    while let Some((line, rec)) = records.next_record()? {
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        let get = |c: usize| field(rec, c).to_string();
        // `said`: what the value is (`is not a number`).
        let bad = |column: &str, said: &str, value: &str| {
            Error::config(path, format!("'{value}' {said}")).at_cell(
                u64::from(line),
                as_named(&names, column),
                value,
            )
        };
        let (year, mean) = (get(yr), get(mn));
        let optional = |c: Option<usize>| c.map_or(String::new(), get);
        let (basis, n) = (optional(basis_col), optional(n_col));
        // By its English or its Swedish name, as the columns.
        let basis = match basis.to_lowercase().as_str() {
            "" | "senaste" => Basis::Latest,
            "alla" => Basis::All,
            _ => <Basis as clap::ValueEnum>::from_str(&basis, true)
                .map_err(|_| bad("basis", NOT_A_BASIS, &basis))?,
        };
        let n = match n.as_str() {
            "" => None,
            n => Some(count(n).map_err(|said| bad("n", said, n))?),
        };
        rows.push(Row {
            line,
            source: get(src),
            year: crate::io::number::parse_year(&year).ok_or_else(|| {
                bad(
                    "published_year",
                    "is not a year (four digits from 1000 on)",
                    &year,
                )
            })?,
            // As written: `comparable` reads it as an export's cell.
            country: get(ct),
            scale: get(sc),
            item: get(it),
            mean: parse_number(&mean, Decimal::Auto)
                .ok_or_else(|| bad("mean", "is not a number", &mean))?,
            // `field` trimmed it.
            mean_text: mean,
            basis,
            n,
        });
    }
    not_empty(path, &rows)?;
    Ok(Published {
        path: path.to_path_buf(),
        rows,
        names,
        misspelt,
    })
}

/// Refuses a file of no rows: asked for and empty, nothing would be
/// checked or compared, silently.
fn not_empty(path: &Path, rows: &[Row]) -> Result<()> {
    if rows.is_empty() {
        return Err(Error::config(
            path,
            "lists no published averages (a header and no rows); give a file with rows, or \
             leave --published out",
        ));
    }
    Ok(())
}

/// The file's columns that are none of the columns read (`columns`, in
/// the order [`file_names`] takes them) and a misspelling
/// ([`column_meant`]) of an optional column's English or Swedish name the
/// file lacks: `underlagg`, `basi`, `antl`.
fn misspelt(table: &Table, columns: &[Option<usize>; 8]) -> Vec<(String, &'static str)> {
    // `basis` and `n`, the last two (`n` too short to be told from others).
    let optional: [(Option<usize>, &[&'static str]); 2] = [
        (columns[6], &["basis", "underlag"]),
        (columns[7], &["antal"]),
    ];
    let missing: Vec<&'static str> = (optional.into_iter())
        .filter(|(c, _)| c.is_none())
        .flat_map(|(_, names)| names.iter().copied())
        .collect();
    (table.headers().iter().enumerate())
        .filter(|(i, _)| !columns.contains(&Some(*i)))
        .filter_map(|(i, h)| {
            column_meant(h, &missing).map(|meant| (table.written(i).to_string(), meant))
        })
        .collect()
}

/// Each column's English name, in the order [`read`] finds them, with the
/// name `table` gives it (`medel` for `mean`), for those it has (`columns`).
fn file_names(
    table: &Table,
    columns: impl Iterator<Item = Option<usize>>,
) -> Vec<(&'static str, String)> {
    const ENGLISH: [&str; 8] = [
        "source",
        "published_year",
        "country",
        "scale",
        "item",
        "mean",
        "basis",
        "n",
    ];
    (ENGLISH.into_iter().zip(columns))
        .filter_map(|(english, c)| Some((english, table.written(c?).to_string())))
        .collect()
}

/// What a `basis` cell that names none is.
const NOT_A_BASIS: &str = "is not a basis (latest or senaste, all or alla, or empty for latest)";

/// A published `n`: a whole number of 1 or more (an average of no
/// evaluations is no average), in digits only, as a year's (`+5` was read
/// as 5 where `+2011` is no year). Else what is wrong with it: not one,
/// or too large to hold (it was "not a whole number": reference audit of
/// the seventy-sixth session).
fn count(n: &str) -> std::result::Result<u64, &'static str> {
    const NOT: &str = "is not a whole number of 1 or more";
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NOT);
    }
    match n.parse::<u64>() {
        Ok(0) => Err(NOT),
        Ok(n) => Ok(n),
        Err(_) => Err(crate::io::number::TOO_LARGE),
    }
}

/// The name the file gives the column `english` names, by `names` (as
/// [`file_names`] found them); `english` itself where it gives none.
pub(super) fn as_named<'n>(names: &'n [(&'static str, String)], english: &'n str) -> &'n str {
    (names.iter().find(|(e, _)| *e == english)).map_or(english, |(_, name)| name.as_str())
}

impl Row {
    /// Its country, scale and item as the comparison reads them: the
    /// country a code in any case or a name (`Norge`), as an export's
    /// cell; the scale and item by id or alias (`ny`, `område 1`), none
    /// where unknown.
    pub(super) fn looked_up(
        &self,
        instruments: &Instruments,
        register: &Register,
    ) -> (String, Option<ScaleIx>, Option<ItemIx>) {
        let scale = instruments.lookup(&self.scale);
        let item = scale.and_then(|s| item_in(instruments.get(s), &self.item));
        (register.country_of(&self.country), scale, item)
    }
}

impl Published {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Refuses a figure given twice: two rows of one source (in any case),
    /// year, country, scale, item and basis, the country, scale and item
    /// as the comparison reads them (`SE` and `Sverige`, `new` and `ny`,
    /// `1` and `område 1` alike; as written, in any case, where the
    /// instruments or the register do not know them). Each would be
    /// compared, the consistency check taking the first.
    pub fn once_each(&self, instruments: &Instruments, register: &Register) -> Result<()> {
        let mut given: std::collections::BTreeMap<_, u32> = Default::default();
        for r in &self.rows {
            let (country, scale, item) = r.looked_up(instruments, register);
            let key = (
                r.source.to_lowercase(),
                r.year,
                country,
                scale.ok_or_else(|| r.scale.to_lowercase()),
                item.ok_or_else(|| r.item.to_lowercase()),
                r.basis,
            );
            if let Some(first) = given.insert(key, r.line) {
                return Err(Error::config(
                    &self.path,
                    format!(
                        "the figure of this row's source, year, country, scale, item and basis \
                         ({}, {}, {}, {}, {}, {}) is given on line {first} too: one published \
                         mean per figure",
                        r.source,
                        r.year,
                        r.country,
                        r.scale,
                        r.item,
                        r.basis.as_str()
                    ),
                )
                .at_cell(u64::from(r.line), as_named(&self.names, "item"), &r.item));
            }
        }
        Ok(())
    }
}
