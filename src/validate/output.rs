//! Writing the validated data set: `evaluations.csv` (whose `source` names
//! a file by its id in `inputs.csv`), `inputs.csv`, `rejects.csv` and
//! `validation.csv`. Rows are sorted and numbers formatted the same way on
//! every run, so the same inputs give byte-identical files.

use std::borrow::Cow;
use std::path::Path;

use crate::error::Result;
use crate::ingest::RejectedRow;
use crate::ingest::header::own::VALIDATION;
use crate::io::dialect::{Delimiter, OutputDialect};
use crate::io::{self, CsvOut, Written};
use crate::io::{Kind, RowOut};
use crate::reference::instrument::Instruments;
use crate::reference::register::Register;
use crate::validate::Validated;
use crate::validate::rules::Finding;
use crate::validate::spill::merge_by_line;

pub(super) use crate::io::dialect::SCORE_DECIMALS;

/// Decimals written for percentages.
const PERCENT_DECIMALS: usize = 2;

/// Writes `evaluations.csv`, `inputs.csv` and `rejects.csv`, which no
/// later stage adds to.
pub fn write_data_outputs(
    dir: &Path,
    dialect: OutputDialect,
    data: &Validated,
    instruments: &Instruments,
    register: &Register,
) -> Result<Vec<Written>> {
    Ok(vec![
        evaluations(dir, dialect, data, instruments, register)?,
        inputs(dir, dialect, data)?,
        rejects(dir, dialect, data)?,
    ])
}

/// `inputs.csv`: one row per input file, its id (what `source` in
/// `evaluations.csv` names), path, how it was read, its reconciliation,
/// and the country its rows were read as where it has no country column.
fn inputs(dir: &Path, dialect: OutputDialect, data: &Validated) -> Result<Written> {
    let mut out = CsvOut::create(
        dir,
        "inputs.csv",
        dialect,
        &[
            "file_id",
            "path",
            "layout",
            "encoding",
            "delimiter",
            "rows_read",
            "rows_used",
            "rows_rejected",
            "cells_rejected",
            "country_read_as",
        ],
    )?;
    let counts = data.reconciliation().files;
    for (i, (f, c)) in data.files.iter().zip(&counts).enumerate() {
        out.int(i as u64 + 1)?;
        out.text(&io::shown(&f.path))?;
        out.text(f.layout.as_str())?;
        out.text(f.encoding)?;
        out.text(&Delimiter::word_for(f.delimiter))?;
        out.int(c.read)?;
        out.int(c.accepted())?;
        out.int(c.rejected)?;
        out.int(c.cells_rejected)?;
        out.text((f.read_as.as_ref()).map_or("", |r| r.country.as_str()))?;
        out.end()?;
    }
    out.finish()
}

fn evaluations(
    dir: &Path,
    dialect: OutputDialect,
    data: &Validated,
    instruments: &Instruments,
    register: &Register,
) -> Result<Written> {
    let mut out = RowOut::create(
        dir,
        "evaluations",
        dialect.rows,
        dialect,
        &[
            ("country", Kind::Text),
            ("municipality_code", Kind::Text),
            ("municipality", Kind::Text),
            ("eval_year", Kind::Int),
            ("scale", Kind::Text),
            ("item", Kind::Text),
            ("score", Kind::Num),
            ("max", Kind::Num),
            ("percent", Kind::Num),
            ("origin", Kind::Text),
            ("source", Kind::Text),
        ],
    )?;
    // The name of each evaluation's municipality: the register's, else the
    // one its rows give.
    let names: Vec<&str> = (data.evals.iter())
        .map(|info| {
            let key = &info.key;
            (data.municipality_name(register, &key.country, &key.code)).unwrap_or("")
        })
        .collect();
    out.rows(data.scores.len(), |k, out| {
        let s = &data.scores[k];
        let key = &data.evals[s.eval as usize].key;
        let scale = instruments.get(key.scale);
        let item = scale.get(s.item);
        let mut buf = [0u8; 24];
        let source = s.source().map_or("", |(f, l)| file_line(&mut buf, f, l));
        // The evaluation's fields, the same on all its rows.
        out.repeated(u64::from(s.eval), |out| {
            out.text(&key.country)?;
            out.text(&key.code)?;
            out.text(names[s.eval as usize])?;
            out.int(u64::from(key.year))?;
            out.text(&scale.id)
        })?;
        out.text(&item.id)?;
        out.num(s.value, SCORE_DECIMALS)?;
        out.num(item.max, SCORE_DECIMALS)?;
        out.num(item.percent(s.value), PERCENT_DECIMALS)?;
        out.text(s.origin.as_str())?;
        out.text(source)?;
        out.end()
    })?;
    out.finish()
}

/// `source` of a score read from file `file` (0-based) at `line`: the
/// file's id in inputs.csv (1-based), a colon and the line, put in `buf`
/// (no allocation per row).
fn file_line(buf: &mut [u8; 24], file: u32, line: u32) -> &str {
    let (mut a, mut b) = (itoa::Buffer::new(), itoa::Buffer::new());
    let (id, line) = (a.format(u64::from(file) + 1), b.format(line));
    let n = id.len() + 1 + line.len();
    buf[..id.len()].copy_from_slice(id.as_bytes());
    buf[id.len()] = b':';
    buf[id.len() + 1..n].copy_from_slice(line.as_bytes());
    // Only ASCII digits and a colon were written.
    std::str::from_utf8(&buf[..n]).unwrap_or("")
}

fn rejects(dir: &Path, dialect: OutputDialect, data: &Validated) -> Result<Written> {
    let mut out = CsvOut::create(
        dir,
        "rejects.csv",
        dialect,
        &["file", "line", "rule", "column", "value", "message", "raw"],
    )?;
    let names = data.file_names();
    let disk = (data.spilled.rejects()).map(|r| r.map(|(r, f)| (Cow::Owned(r), Cow::Owned(f))));
    let mem = (data.rejected.iter())
        .map(|r| (Cow::Borrowed(r), Cow::Borrowed(&data.findings[r.finding])));
    let at = |(r, _): &(Cow<RejectedRow>, Cow<Finding>)| (r.file, r.line);
    merge_by_line(disk, mem, at, |(r, f)| {
        out.row([
            names.get(r.file as usize).map_or("", String::as_str),
            &r.line.to_string(),
            f.rule.code(),
            &f.column,
            &f.value,
            &crate::io::terminal::message(&f.message),
            &r.raw,
        ])
    })?;
    out.finish()
}

/// Writes `validation.csv`: every finding, including those of later stages.
pub fn write_findings(dir: &Path, dialect: OutputDialect, data: &Validated) -> Result<Written> {
    let mut out = CsvOut::create(dir, "validation.csv", dialect, &VALIDATION)?;
    // By file and line; findings about the whole data set last.
    let mut order: Vec<&Finding> = data.findings.iter().collect();
    order.sort_by_key(|f| (f.file, f.line));
    let names = data.file_names();
    let disk = data.spilled.findings().map(|f| f.map(Cow::Owned));
    let mem = order.into_iter().map(Cow::Borrowed);
    merge_by_line(
        disk,
        mem,
        |f| (f.file, f.line),
        |f| {
            let c = &f.context;
            out.row([
                f.rule.severity().as_str(),
                f.rule.code(),
                names.get(f.file as usize).map_or("", String::as_str),
                &f.line.to_string(),
                &c.country,
                &c.code,
                &c.year,
                &c.scale,
                &c.item,
                &crate::io::terminal::message(&f.message),
                &f.column,
                &f.value,
            ])
        },
    )?;
    out.finish()
}
