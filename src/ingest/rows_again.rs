//! An input file's rows read again, by line, for the rows rejected only
//! once all rows were seen (conflicts): their text and fields as written,
//! from a file checked unchanged since it was parsed.

#[cfg(test)]
use super::Ingested;
use super::file::gone_since_listed;
use super::{FileInfo, Lines};
use crate::error::{Error, Result};
use crate::io::modified;
use crate::io::records::records;
use crate::io::{self, dialect::Encoding};

#[cfg(test)]
impl Ingested {
    /// The raw text of the rows at `lines` of file `file`, read again, with
    /// their fields as written: [`FileInfo::each_row_again`]'s rows, all
    /// at once (for the tests).
    pub fn raw_rows(
        &self,
        file: u32,
        lines: &[u32],
        encoding: Encoding,
    ) -> Result<std::collections::HashMap<u32, RawRow>> {
        let mut out = std::collections::HashMap::new();
        self.files[file as usize].each_raw_row(lines, encoding, |line, raw| {
            out.insert(line, raw);
            Ok(())
        })?;
        Ok(out)
    }
}

impl FileInfo {
    /// The rows `items` (sorted by `line`) are about, read again one by one
    /// in line order (nothing of them held: a conflict can reject millions
    /// of rows): `each` gets every run of items of one line with the row's
    /// text, or an empty row when it is not found again (never expected:
    /// the file is checked unchanged), so that no item is left out.
    pub fn each_row_again<T>(
        &self,
        items: &[T],
        line: impl Fn(&T) -> u32,
        encoding: Encoding,
        mut each: impl FnMut(&[T], &RawRow) -> Result<()>,
    ) -> Result<()> {
        let rows: Vec<&[T]> = items.chunk_by(|a, b| line(a) == line(b)).collect();
        let lines: Vec<u32> = rows.iter().map(|r| line(&r[0])).collect();
        let none = RawRow::default();
        let mut k = 0;
        self.each_raw_row(&lines, encoding, |at, raw| {
            while let Some(row) = rows.get(k).filter(|r| line(&r[0]) <= at) {
                k += 1;
                each(row, if line(&row[0]) == at { &raw } else { &none })?;
            }
            Ok(())
        })?;
        rows[k..].iter().try_for_each(|row| each(row, &none))
    }

    /// The raw text of the rows at `lines` of this file, read again (for
    /// rows rejected only once all rows were seen), with their fields as
    /// written, one row at a time in line order, to `each`. A file whose
    /// text is no longer what was parsed is an error: its rows would not
    /// be the ones the findings are about.
    fn each_raw_row(
        &self,
        lines: &[u32],
        encoding: Encoding,
        mut each: impl FnMut(u32, RawRow) -> Result<()>,
    ) -> Result<()> {
        let info = self;
        let before = modified(&info.path);
        let decoded = io::read_text(&info.path, encoding).map_err(gone_since_listed)?;
        let text = decoded.text();
        if text.len() != info.text_len || before != info.modified {
            return Err(Error::input(
                &info.path,
                "changed while kompass was reading it (its rows are needed again for \
                 rejects.csv); run again once it is written",
            ));
        }
        let mut wanted = lines.to_vec();
        wanted.sort_unstable();
        wanted.dedup();
        let mut rdr = records(text, info.delimiter);
        let mut rec = csv::StringRecord::new();
        let mut found = 0;
        let mut line_of = Lines::new(text, 1);
        while found < wanted.len()
            && rdr
                .read_record(&mut rec)
                .map_err(|e| Error::input(&info.path, e.to_string()))?
        {
            let (start, end) = (line_of.record_start(rdr.start(&rec)), rdr.end());
            let line = line_of.line_at(start);
            if wanted.binary_search(&line).is_ok() {
                found += 1;
                let raw = text
                    .get(start..end)
                    .unwrap_or("")
                    .trim_end_matches(['\r', '\n']);
                let fields = rec.clone();
                let text = raw.to_string();
                each(line, RawRow { text, fields })?;
            }
        }
        Ok(())
    }
}

/// A row read again ([`FileInfo::each_row_again`]).
#[derive(Debug, Default)]
pub struct RawRow {
    /// Its text, without the line end.
    pub text: String,
    /// Its fields as written (unquoted).
    pub fields: csv::StringRecord,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::header::Layout;

    #[test]
    fn rows_are_read_again_unless_the_file_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.csv");
        let text = "a,b\n1,2\n\"3\n\",4\n5,6\r\n";
        std::fs::write(&path, text).unwrap();
        let ing = Ingested {
            files: vec![FileInfo {
                path: path.clone(),
                layout: Layout::Long,
                delimiter: b',',
                encoding: "utf-8",
                rows_read: 3,
                header_line: 1,
                text_len: text.len(),
                modified: modified(&path),
                read: Default::default(),
                score_columns: Vec::new(),
                key_columns: Default::default(),
                read_as: None,
            }],
            ..Ingested::default()
        };
        // Lines in any order; a quoted line break makes line 3 two lines.
        let raw = ing.raw_rows(0, &[5, 2], Encoding::Auto).unwrap();
        assert_eq!(raw.len(), 2);
        assert_eq!(raw[&2].text, "1,2");
        assert_eq!(raw[&5].text, "5,6");
        assert_eq!(raw[&5].fields.get(1), Some("6"));
        // The same length, another score, a later time: changed too.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&path, text.replace("5,6", "5,7")).unwrap();
        let err = ing.raw_rows(0, &[2], Encoding::Auto).unwrap_err();
        assert!(err.to_string().contains("changed while kompass"));
        std::fs::write(&path, format!("{text}7,8\n")).unwrap();
        let err = ing.raw_rows(0, &[2], Encoding::Auto).unwrap_err();
        assert!(
            err.to_string()
                .contains("changed while kompass was reading it")
        );
    }
}
