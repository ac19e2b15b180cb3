//! Writing the validated data set: `evaluations.csv`, `rejects.csv` and
//! `validation.csv`. Rows are sorted and numbers formatted the same way on
//! every run, so the same inputs give byte-identical files.

use std::path::Path;

use crate::error::Result;
use crate::io::dialect::OutputDialect;
use crate::io::{CsvOut, Written};
use crate::reference::instrument::Instruments;
use crate::reference::register::Register;
use crate::validate::Validated;

/// Decimals written for scores and for percentages.
const SCORE_DECIMALS: usize = 6;
const PERCENT_DECIMALS: usize = 2;

/// Writes `evaluations.csv` and `rejects.csv`, which no later stage adds to.
pub fn write_data_outputs(
    dir: &Path,
    dialect: OutputDialect,
    data: &Validated,
    instruments: &Instruments,
    register: &Register,
) -> Result<Vec<Written>> {
    Ok(vec![
        evaluations(dir, dialect, data, instruments, register)?,
        rejects(dir, dialect, data)?,
    ])
}

fn evaluations(
    dir: &Path,
    dialect: OutputDialect,
    data: &Validated,
    instruments: &Instruments,
    register: &Register,
) -> Result<Written> {
    let mut out = CsvOut::create(
        dir,
        "evaluations.csv",
        dialect,
        &[
            "country",
            "municipality_code",
            "municipality",
            "eval_year",
            "scale",
            "item",
            "score",
            "max",
            "percent",
            "origin",
            "source",
        ],
    )?;
    let mut last_eval = None;
    let mut name = String::new();
    let file_names: Vec<String> = data
        .files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    let mut source = String::new();
    for s in &data.scores {
        let info = &data.evals[s.eval as usize];
        let key = &info.key;
        if last_eval != Some(s.eval) {
            last_eval = Some(s.eval);
            name = register
                .get(&key.country, &key.code)
                .map(|m| m.name.clone())
                .or_else(|| info.given_name.clone())
                .unwrap_or_default();
        }
        let scale = instruments.get(key.scale);
        let item = scale.get(s.item);
        source.clear();
        if let Some((f, l)) = s.source {
            use std::fmt::Write as _;
            let _ = write!(source, "{}:{l}", file_names[f as usize]);
        }
        out.text(&key.country)?;
        out.text(&key.code)?;
        out.text(&name)?;
        out.int(u64::from(key.year))?;
        out.text(&scale.id)?;
        out.text(&item.id)?;
        out.num(s.value, SCORE_DECIMALS)?;
        out.num(item.max, SCORE_DECIMALS)?;
        out.num(100.0 * s.value / item.max, PERCENT_DECIMALS)?;
        out.text(s.origin.as_str())?;
        out.text(&source)?;
        out.end()?;
    }
    out.finish()
}

fn rejects(dir: &Path, dialect: OutputDialect, data: &Validated) -> Result<Written> {
    let mut out = CsvOut::create(
        dir,
        "rejects.csv",
        dialect,
        &["file", "line", "rule", "column", "value", "message", "raw"],
    )?;
    for r in &data.rejected {
        let f = &data.findings[r.finding];
        out.row([
            &data.file_name(r.file),
            &r.line.to_string(),
            f.rule.code(),
            &f.column,
            &f.value,
            &f.message,
            &r.raw,
        ])?;
    }
    out.finish()
}

/// Writes `validation.csv`: every finding, including those of later stages.
pub fn write_findings(dir: &Path, dialect: OutputDialect, data: &Validated) -> Result<Written> {
    let mut out = CsvOut::create(
        dir,
        "validation.csv",
        dialect,
        &[
            "severity",
            "rule",
            "file",
            "line",
            "country",
            "municipality_code",
            "eval_year",
            "scale",
            "item",
            "message",
            "column",
            "value",
        ],
    )?;
    // By file and line; findings about the whole data set last.
    let mut order: Vec<&crate::validate::rules::Finding> = data.findings.iter().collect();
    order.sort_by_key(|f| (f.file, f.line));
    for f in order {
        let c = &f.context;
        out.row([
            f.rule.severity().as_str(),
            f.rule.code(),
            &data.file_name(f.file),
            &f.line.to_string(),
            &c.country,
            &c.code,
            &c.year,
            &c.scale,
            &c.item,
            &f.message,
            &f.column,
            &f.value,
        ])?;
    }
    out.finish()
}
