//! What a recognised header's columns give the rest of ingest: the
//! `unknown-column` findings (a named column kompass does not read; a
//! column with no name that holds values), the names of the key columns
//! for findings to use, and the columns scores are read from.

use super::chunks::Lines;
use super::header::{Header, Layout, Role};
use super::names::{normalised, role_of};
use super::titles::{ItemTitles, unread};
use super::{KeyColumns, ScoreColumn};
use crate::io::records::records;
use crate::validate::rules::{Context, Finding, Rule};

/// An `unknown-column` finding, on the header's line `line` of file
/// `file`, for each named column of `header` kompass does not read (`titles`
/// to say how to name one that looks like an item's), and for each column
/// with no name that holds a value in `body` (the rows, split at
/// `delimiter`): one finding per column, with its first such line and how
/// many rows hold one (Excel's empty columns after a table are no finding;
/// a pandas index, a nameless first column, is one, not one per row).
pub(super) fn findings(
    header: &Header,
    (file, line): (u32, u32),
    titles: &ItemTitles,
    (body, delimiter, body_line): (&str, u8, u32),
) -> Vec<Finding> {
    let finding = |column: String, value: String, message: String| Finding {
        rule: Rule::UnknownColumn,
        file,
        line,
        column: column.into(),
        value: value.into(),
        message,
        context: Context::default(),
    };
    // kompass's own evaluations.csv read back: its `percent` and `source`
    // are its own, not the user's.
    let own =
        |name: &str| header.col(&Role::Origin).is_some() && ["percent", "source"].contains(&name);
    let unknown = (header.roles.iter().zip(&header.names))
        .filter(|(role, name)| **role == Role::Unknown && !name.is_empty() && !own(name));
    let message = |name: &str| match role_of(&normalised(name)) == Role::Origin {
        true => format!(
            "column '{name}' is not read: only kompass's own evaluations.csv (with its percent \
             and source columns) says which scores kompass derived; every score of this file \
             is read as published"
        ),
        false => unread(name, titles, header.layout == Layout::Wide),
    };
    let mut out: Vec<Finding> = unknown
        .map(|(_, name)| finding(name.clone(), name.clone(), message(name)))
        .collect();
    for (col, (first, rows, value)) in filled(&header.nameless, (body, delimiter), body_line) {
        let message = format!(
            "column {} has no name in the header, and {rows} row(s) hold a value in it, the \
             first on line {first} ('{value}'): not read",
            col + 1
        );
        out.push(finding(format!("({})", col + 1), value, message));
    }
    out
}

/// For each of the columns `nameless` that holds a value in a row of `body`
/// (whose first byte is on line `body_line`): its first such line, how
/// many rows hold one, and the first value.
fn filled(
    nameless: &[usize],
    (body, delimiter): (&str, u8),
    body_line: u32,
) -> Vec<(usize, (u64, u64, String))> {
    if nameless.is_empty() {
        return Vec::new();
    }
    let mut seen: Vec<Option<(u64, u64, String)>> = vec![None; nameless.len()];
    let mut rdr = records(body, delimiter);
    let mut rec = csv::StringRecord::new();
    // Counted as the rows' own findings count them (blank lines and CRLF
    // line ends alike).
    let mut lines = Lines::new(body, body_line);
    while rdr.read_record(&mut rec).unwrap_or(false) {
        let at = lines.record_start(rdr.start(&rec));
        let line = u64::from(lines.line_at(at));
        for (k, &col) in nameless.iter().enumerate() {
            let value = rec.get(col).map_or("", str::trim);
            if !value.is_empty() {
                seen[k]
                    .get_or_insert_with(|| (line, 0, value.to_string()))
                    .1 += 1;
            }
        }
    }
    (nameless.iter().zip(seen))
        .filter_map(|(&col, s)| Some((col, s?)))
        .collect()
}

/// The names `header` gives its code, name and year columns.
pub(super) fn key_columns(header: &Header) -> KeyColumns {
    let standard = KeyColumns::default();
    let named = |role: Role, or: String| {
        let at = header.col(&role).and_then(|i| header.names.get(i));
        at.cloned().unwrap_or(or)
    };
    KeyColumns {
        code: named(Role::Code, standard.code),
        name: named(Role::Name, standard.name),
        year: named(Role::Year, standard.year),
    }
}

/// The columns of `header` that hold scores, with their items.
pub(super) fn score_columns(header: &Header) -> Vec<ScoreColumn> {
    let named = header.roles.iter().zip(&header.names).enumerate();
    named
        .filter_map(|(index, (role, name))| {
            let item = match role {
                Role::Score => String::new(),
                Role::ItemScore(id) => id.clone(),
                _ => return None,
            };
            let name = name.clone();
            let titled = header.titled.iter().find(|(c, _)| *c == index);
            let scales = titled.map(|(_, s)| s.clone());
            Some(ScoreColumn {
                item,
                name,
                index,
                scales,
            })
        })
        .collect()
}
