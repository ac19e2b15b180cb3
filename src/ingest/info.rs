//! What is known of one input file once read: how it was read, its
//! reconciliation, the columns its findings name (its scores' and its
//! keys', as its header names them), and what tells that it changed;
//! and rows of the input files read again for what a later rule needs of
//! them ([`FileInfo::each_row_again`]).

use std::path::PathBuf;

use super::header::Layout;
use crate::reference::instrument::ItemIx;

/// One input file as read.
#[derive(Debug, Clone)]
pub struct FileInfo {
    pub path: PathBuf,
    pub layout: Layout,
    pub delimiter: u8,
    pub encoding: &'static str,
    /// Data rows read (the header not counted).
    pub rows_read: u64,
    /// The header's line (1 unless a `sep=` line or blank lines stand
    /// above it): where a finding about the whole file points.
    pub header_line: u32,
    /// The length of its decoded text and its modification time (taken
    /// before it was read), to tell when it changed before it is read
    /// again (see [`FileInfo::each_row_again`]).
    pub text_len: usize,
    pub modified: Option<std::time::SystemTime>,
    /// The size and BLAKE3 of the bytes read ([`crate::io::Decoded::read`]).
    pub read: (u64, String),
    /// The columns scores are read from, as the header names them: the
    /// long layout's score column (item id empty), or each wide-layout item
    /// column with its item id as the header gives it.
    pub score_columns: Vec<ScoreColumn>,
    /// The header's names of the columns an evaluation's findings point to.
    pub key_columns: KeyColumns,
    /// Without a country column: the country its rows are read as and
    /// the codes they give.
    pub read_as: Option<ReadAs>,
}

/// What a file without a country column is read as: the run's country
/// (`--country`) and the distinct municipality codes of its rows whose
/// keys were read, as written (a code from before a reform as it stands,
/// not today's), sorted, each with the first name a row gives it, if
/// any: for `other-country`.
#[derive(Debug, Clone, Default)]
pub struct ReadAs {
    pub country: String,
    pub codes: Vec<(String, Option<String>)>,
}

/// `codes` sorted by code, each code once, with a name where any of its
/// entries gives one (the first such in their order).
pub(super) fn distinct_codes(
    mut codes: Vec<(String, Option<String>)>,
) -> Vec<(String, Option<String>)> {
    // Stable: of one code, the entries stay in their order.
    codes.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| b.1.is_some().cmp(&a.1.is_some()))
    });
    codes.dedup_by(|a, b| a.0 == b.0);
    codes
}

/// The header's names of the code, name and year columns (`kommunkod`,
/// `år`), which `unknown-municipality`, `name-mismatch` and `year-range`
/// name as their `column`; the standard names where a file has none.
#[derive(Debug, Clone)]
pub struct KeyColumns {
    pub code: String,
    pub name: String,
    pub year: String,
}

impl Default for KeyColumns {
    fn default() -> Self {
        KeyColumns {
            code: "municipality_code".into(),
            name: "municipality".into(),
            year: "eval_year".into(),
        }
    }
}

/// A column of a file that holds scores ([`FileInfo::score_columns`]).
#[derive(Debug, Clone)]
pub struct ScoreColumn {
    /// The item id as the header gives it; empty for the long layout's
    /// score column.
    pub item: String,
    /// The column's name in the header.
    pub name: String,
    /// Its position in a row, from 0.
    pub index: usize,
    /// The scales whose item the column's title names (`4. Effektivitet`:
    /// the 2020 scale's), none where it is read on every scale.
    pub scales: Option<Vec<String>>,
}

impl FileInfo {
    /// The column that holds the score of item `item` of `scale` in this
    /// file (for a finding about the score: its name, and where in a row
    /// read again its cell is).
    pub fn score_column(
        &self,
        scale: &crate::reference::instrument::Scale,
        item: ItemIx,
    ) -> Option<&ScoreColumn> {
        // A title of another scale's item is not this one's column (two
        // scales' titles of one area stand side by side).
        let on_scale = |c: &&ScoreColumn| (c.scales.as_ref()).is_none_or(|s| s.contains(&scale.id));
        (self.score_columns.iter())
            .filter(on_scale)
            .find(|c| c.item.is_empty() || scale.item(&c.item) == Some(item))
    }
}

impl super::Ingested {
    /// The rows of `items` (sorted by file and line, `at` giving each
    /// one's), read again file by file, each row once with its items and
    /// its text, in line order, to `each` (with its file); a row not found
    /// again comes with no fields (as [`FileInfo::each_row_again`]).
    pub fn rows_again<T>(
        &mut self,
        items: &[T],
        at: impl Fn(&T) -> (u32, u32),
        encoding: crate::io::dialect::Encoding,
        mut each: impl FnMut(&mut Self, &FileInfo, &[T], &super::RawRow) -> crate::error::Result<()>,
    ) -> crate::error::Result<()> {
        for of_file in items.chunk_by(|a, b| at(a).0 == at(b).0) {
            let info = self.files[at(&of_file[0]).0 as usize].clone();
            let line = |t: &T| at(t).1;
            info.each_row_again(of_file, line, encoding, |row, raw| {
                each(self, &info, row, raw)
            })?;
        }
        Ok(())
    }
}
