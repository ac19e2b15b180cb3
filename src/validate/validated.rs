//! The validated data set: the canonical scores (one per evaluation and
//! item, published with its source line or derived), the files read, the
//! findings and rejected rows, and what is asked of them afterwards (file
//! names, counts per rule, why there is nothing to compute).

use super::{rules, spill};
use crate::ingest::{EvalInfo, FileInfo, RejectedRow};
use crate::reference::instrument::ItemIx;
use crate::reference::register::Register;
use crate::validate::rules::Finding;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Published,
    /// The sum of published parts.
    Derived,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Published => "published",
            Origin::Derived => "derived",
        }
    }
}

/// One canonical score, kept to 24 bytes (there is one per input row).
#[derive(Debug, Clone, Copy)]
pub struct Score {
    pub value: f64,
    pub eval: u32,
    /// File index and line for published scores ([`Score::source`]);
    /// [`NO_SOURCE`] for derived ones.
    file: u32,
    line: u32,
    pub item: ItemIx,
    pub origin: Origin,
}

/// [`Score::file`] of a derived score.
const NO_SOURCE: u32 = u32::MAX;

const _: () = assert!(std::mem::size_of::<Score>() == 24);

impl Score {
    /// A score of evaluation `eval`, item `item`, from file index `file`,
    /// line `line` (`None`: derived).
    pub fn new(eval: u32, item: ItemIx, value: f64, source: Option<(u32, u32)>) -> Score {
        let (file, line) = source.unwrap_or((NO_SOURCE, 0));
        Score {
            value,
            eval,
            file,
            line,
            item,
            origin: match source {
                Some(_) => Origin::Published,
                None => Origin::Derived,
            },
        }
    }

    /// File index and line of a published score.
    pub fn source(&self) -> Option<(u32, u32)> {
        (self.file != NO_SOURCE).then_some((self.file, self.line))
    }
}

/// How many canonical scores a data set has, and how many were derived.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScoreCounts {
    /// Evaluations with at least one score.
    pub evaluations: usize,
    pub scores: usize,
    pub derived: usize,
}

/// The validated data set.
#[derive(Debug)]
pub struct Validated {
    pub files: Vec<FileInfo>,
    pub evals: Vec<EvalInfo>,
    /// Sorted by evaluation (country, code, year, scale id), then by item in
    /// instrument order.
    /// Empty once released ([`Validated::release_scores`]).
    pub scores: Vec<Score>,
    /// How many scores there are (kept when they are released).
    pub counts: ScoreCounts,
    pub findings: Vec<Finding>,
    /// Sorted by file and line; one entry per rejected row, and one per
    /// score cell rejected on its own in a row otherwise used
    /// ([`RejectedRow::cell`]).
    pub rejected: Vec<RejectedRow>,
    /// Findings and rejected rows on disk, to be merged with those above
    /// (before them where they share a line).
    pub spilled: spill::Spilled,
    /// Other files findings may point to (published averages), numbered
    /// after the input files.
    pub other_files: Vec<std::path::PathBuf>,
    /// Files in an input folder that are not exports, and why.
    pub skipped: Vec<(std::path::PathBuf, String)>,
    /// The names of the municipalities the register has not.
    pub unregistered: super::Unregistered,
}

impl Validated {
    /// Frees the canonical scores once everything that reads them is done
    /// (`evaluations.csv`, the analysis frame): at 1,000,000 evaluations
    /// they are about 0.9 GB. Their counts stay in [`Validated::counts`].
    pub fn release_scores(&mut self) {
        self.scores = Vec::new();
    }

    /// The name municipality `code` of `country` goes by in the outputs:
    /// the register's, else the one its rows give ([`super::Unregistered`]).
    pub fn municipality_name<'a>(
        &'a self,
        register: &'a Register,
        country: &str,
        code: &str,
    ) -> Option<&'a str> {
        (register.get(country, code).map(|m| m.name.as_str()))
            .or_else(|| self.unregistered.get(country, code))
    }

    /// The path of an input (or other) file as `inputs.csv` gives it
    /// ([`crate::io::shown`]), or "" for [`crate::validate::rules::NO_FILE`].
    pub fn file_name(&self, file: u32) -> String {
        let i = file as usize;
        match self.files.get(i) {
            Some(f) => crate::io::shown(&f.path),
            None => self
                .other_files
                .get(i.wrapping_sub(self.files.len()))
                .map_or(String::new(), |p| crate::io::shown(p)),
        }
    }

    /// [`Validated::file_name`] of every file, by index.
    pub fn file_names(&self) -> Vec<String> {
        (0..self.next_other_file())
            .map(|i| self.file_name(i))
            .collect()
    }

    /// The index the next [`Validated::add_other_file`] will return.
    pub fn next_other_file(&self) -> u32 {
        (self.files.len() + self.other_files.len()) as u32
    }

    /// Registers another file findings may point to; returns its index.
    pub fn add_other_file(&mut self, path: &std::path::Path) -> u32 {
        self.other_files.push(path.to_path_buf());
        (self.files.len() + self.other_files.len() - 1) as u32
    }

    /// The number of findings per rule, those on disk included.
    pub fn rule_counts(&self) -> std::collections::BTreeMap<rules::Rule, u64> {
        let mut n: std::collections::BTreeMap<_, u64> = self.spilled.rule_counts().collect();
        for f in &self.findings {
            *n.entry(f.rule).or_default() += 1;
        }
        n
    }

    /// The evaluations that have at least one score (counted when
    /// validated, so it holds after [`Validated::release_scores`]).
    pub fn evaluation_count(&self) -> usize {
        self.counts.evaluations
    }

    /// Why there is nothing to compute: rows were read and no score was
    /// accepted (every row rejected: a wide row whose every score cell is
    /// rejected is rejected whole), with the counts and the rule that
    /// rejected the most, with its first finding (where it is held in
    /// memory); `None` when a score was accepted.
    pub fn nothing_to_compute(&self) -> Option<String> {
        if self.files.iter().all(|f| f.rows_read == 0) || self.evaluation_count() > 0 {
            return None;
        }
        let total = self.reconciliation().total;
        let (read, rows) = (total.read, total.rejected);
        let counts = self.rule_counts();
        let errors = counts
            .iter()
            .filter(|(r, _)| r.severity() == rules::Severity::Error);
        let most = errors.max_by_key(|(r, n)| (**n, std::cmp::Reverse(**r)));
        let first = most.and_then(|(r, _)| {
            let f = (self.findings.iter())
                .filter(|f| f.rule == *r)
                .min_by_key(|f| (f.file, f.line))?;
            let at = format!("{}, line {}", self.file_name(f.file), f.line);
            Some(format!(". The first: {at}: {}", f.message))
        });
        let most = most
            .map(|(r, n)| format!("; the most frequent error `{}` ({n} finding(s))", r.code()))
            .unwrap_or_default();
        Some(format!(
            "no score accepted: of {read} row(s) read, {rows} were rejected{most}; nothing \
             to compute, and any previous output is left as it was (`kompass validate` writes \
             each rejected row with its file, line and reason to rejects.csv){}",
            first.unwrap_or_default()
        ))
    }
}
