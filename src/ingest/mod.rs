//! Reading evaluation exports into observations: one score of one item of one
//! evaluation, with the file and line it came from.
//!
//! Row-level rules (numbers, codes, items, maxima) are checked here; a row
//! that breaks one is rejected whole and kept, with its raw text, for
//! `rejects.csv`. Rules that need all rows at once (conflicts, duplicates,
//! sums) are checked in `validate`.
//!
//! A large file is parsed in pieces of whole lines on all cores and the
//! pieces merged in order, which gives exactly the result of one pass; the
//! next file is read and parsed while they are merged (`file`).

mod again;
mod chunks;
mod columns;
mod file;
pub mod header;
mod info;
mod kept;
pub use kept::Seen;
mod names;
mod piece;
mod row;
mod rows_again;
mod titles;

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::io::Input;
use crate::io::dialect::{Decimal, Delimiter, Encoding};
use crate::reference::instrument::{Instruments, ItemIx, ScaleIx};
use crate::reference::register::Register;
use crate::validate::rules::{Context, Finding, NO_FILE, Rule};
use crate::validate::spill::{Sink, Spilled};
use chunks::Lines;
use file::{ParsedFile, Reading};
pub use info::{FileInfo, KeyColumns, ReadAs, ScoreColumn};
/// The item an item cell names, as a long export's is read (for the
/// published averages' `item`).
pub(crate) use names::item_in;
use piece::Chunk;
pub use rows_again::RawRow;

/// How input files are read (each `Auto` is sniffed per file).
#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub delimiter: Delimiter,
    pub decimal: Decimal,
    pub encoding: Encoding,
    /// The country of the rows of a file without a country column, as
    /// given (`--country`: `NO`, `Norge`), read by the register's
    /// [`Register::country_of`].
    pub country: String,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            delimiter: Delimiter::default(),
            decimal: Decimal::default(),
            encoding: Encoding::default(),
            country: crate::reference::country::DEFAULT.to_string(),
        }
    }
}

/// An evaluation: a municipality scored on one scale in one year.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EvalKey {
    pub country: String,
    pub code: String,
    pub year: u16,
    pub scale: ScaleIx,
}

/// What the input says about an evaluation besides its scores.
#[derive(Debug, Clone)]
pub struct EvalInfo {
    pub key: EvalKey,
    /// The first in byte order of the non-empty municipality names its
    /// rows give, if any (`validate::names::settle`; until then the one
    /// read first).
    pub given_name: Option<String>,
    /// Where that name is given (its first place is where it is reported).
    pub name_seen: Seen,
    /// Where it first appears.
    pub file: u32,
    pub line: u32,
}

/// A text rows of an evaluation give, where it first stands: a
/// municipality name other than the evaluation's first
/// ([`EvalInfo::given_name`]), checked against the register there
/// (`name-mismatch`), or a code from before a reform, counted as today's
/// and reported there (`renumbered`).
#[derive(Debug, Clone)]
pub struct Given {
    pub text: String,
    pub seen: Seen,
}

/// Per evaluation, texts its rows give ([`Given`]), each once (an
/// evaluation has a few rows per item at most, so a short list each).
pub type PerEval = foldhash::HashMap<u32, Vec<Given>>;

/// One published score.
#[derive(Debug, Clone, Copy)]
pub struct Observation {
    pub eval: u32,
    pub item: ItemIx,
    /// Read from kompass's own `evaluations.csv` (an `origin` column):
    /// whether kompass had derived it; `None` from an export.
    pub table: Option<bool>,
    pub value: f64,
    pub file: u32,
    pub line: u32,
}

const _: () = assert!(std::mem::size_of::<Observation>() == 24);

/// A rejected input row, or a score cell rejected on its own in a row
/// whose other scores were used (`cell`).
#[derive(Debug, Clone)]
pub struct RejectedRow {
    pub file: u32,
    pub line: u32,
    /// The first error found in the row, or the cell's (an index into the
    /// findings).
    pub finding: usize,
    pub raw: String,
    /// A wide row's score cell (above its maximum, negative), the row's
    /// other scores used: in `rejects.csv`, but the row counts as used.
    pub cell: bool,
}

/// Everything read from the inputs.
#[derive(Debug, Default)]
pub struct Ingested {
    pub files: Vec<FileInfo>,
    pub evals: Vec<EvalInfo>,
    pub obs: Vec<Observation>,
    pub findings: Vec<Finding>,
    pub rejected: Vec<RejectedRow>,
    /// The findings and rejected rows put on disk (before those in memory
    /// where they share a line).
    pub spilled: Spilled,
    /// Files found in an input folder that are not exports, and why.
    pub skipped: Vec<(PathBuf, String)>,
    /// Names given by rows of an evaluation other than its first.
    pub other_names: PerEval,
    /// Codes from before a reform given by rows of an evaluation, which
    /// is keyed by today's ([`Register::kept_under`]).
    pub former_codes: PerEval,
    /// A piece of a file without a country column: the distinct codes of
    /// its rows whose keys were read, as written (into [`ReadAs`]).
    pub written_codes: Vec<(String, Option<String>)>,
    /// How the files were read (the country resolved), to read them again
    /// ([`Ingested::names_without`]).
    pub read_with: ReadOptions,
    /// Positions in `evals`, found by their keys (which are not copied).
    eval_ix: hashbrown::HashTable<u32>,
    /// Seeded per process, so that crafted codes cannot make the lookups
    /// collide (the table's order is never read: output is the same).
    hasher: foldhash::fast::RandomState,
}

/// Reads every file in order. The next file is read and parsed while the
/// pieces of the one before are merged (the merge is on one core).
/// Findings beyond `sink`'s limit go to its files (none: all in memory).
pub fn read_all(
    inputs: &[Input],
    opts: ReadOptions,
    (instruments, register): (&Instruments, &Register),
    sink: Option<std::sync::Arc<Sink>>,
) -> Result<Ingested> {
    crate::io::prefetch(inputs.iter().map(|i| i.path.as_path()));
    let mut out = Ingested::spilling(sink.clone(), 1);
    let country = register.country_of(&opts.country);
    let ctx = Reading {
        opts: ReadOptions { country, ..opts },
        instruments,
        register,
        titles: titles::ItemTitles::of(instruments),
        sink,
        names_only: None,
    };
    out.read_with = ctx.opts.clone();
    // Each file is parsed as the next file index (again with its real one
    // when a file before it was skipped), in the text memory of the last.
    let mut next = (inputs.first()).map(|i| ctx.parse_file(i, 0, Vec::new()));
    for (k, input) in inputs.iter().enumerate() {
        let Some(parsed) = next.take() else { break };
        let file_ix = out.files.len();
        let mut parsed = match parsed {
            Ok(p) if p.file != file_ix => ctx.parse_file(input, file_ix, p.into_buffer()),
            r => r,
        };
        let buffer = (parsed.as_mut()).map_or(Vec::new(), |p| std::mem::take(&mut p.buffer));
        let after = inputs.get(k + 1).map(|i| (i, file_ix + 1));
        let (absorbed, parsed_next) = rayon::join(
            || parsed.and_then(|p| out.absorb(p)),
            || after.map(|(i, ix)| ctx.parse_file(i, ix, buffer)),
        );
        next = parsed_next;
        match absorbed {
            Err(Error::NotExport { path, msg }) if input.in_folder => {
                // Nothing of the file is kept (a file is absorbed only when
                // all of it was read); a warning says so.
                out.findings.push(Finding {
                    rule: Rule::SkippedFile,
                    file: NO_FILE,
                    line: 0,
                    column: Default::default(),
                    // As inputs.csv gives paths: the same however the
                    // folder was named.
                    value: crate::io::shown(&path).into(),
                    message: format!(
                        "{}: not an export, not read ({msg})",
                        crate::io::shown(&path)
                    ),
                    context: Context::default(),
                });
                out.skipped.push((path, msg));
            }
            r => r?,
        }
    }
    // Input folders that held files but no export are missing input, as an
    // empty folder is: a run does not go on to replace a previous output
    // with empty tables.
    if out.files.is_empty()
        && let Some((path, msg)) = out.skipped.first()
    {
        return Err(Error::Usage(format!(
            "no exports to read: every file found in the input folders was skipped, e.g. {}: {msg}",
            crate::io::named(path)
        )));
    }
    // So are exports with a header and no rows (a nightly export that
    // failed half-way): nothing to compute, and the previous output is
    // worth more than empty tables.
    if let Some(first) = out.files.first()
        && out.files.iter().all(|f| f.rows_read == 0)
    {
        return Err(Error::Usage(format!(
            "no rows to read: every input file has a header and no rows, e.g. {}; any \
             previous output is left as it was",
            crate::io::named(&first.path)
        )));
    }
    Ok(out)
}

/// Files smaller than this are parsed on one thread (the generated test
/// sets with planted faults are larger, so the tests cover the split).
const PARALLEL_MIN_BYTES: usize = 256 << 10;

impl Ingested {
    /// Rejects the row at `at` (file, line), whose text is `raw` (line end
    /// included), for its first error `first_error` (else the last
    /// finding).
    fn reject_row(
        &mut self,
        (file, line): (u32, u32),
        first_error: Option<usize>,
        raw: Option<&str>,
    ) {
        let finding = first_error.unwrap_or(self.findings.len().saturating_sub(1));
        self.reject((file, line), &[finding], raw, false);
    }

    /// Adds an entry of `rejects.csv` for each finding of `findings`, of
    /// the row at `at` (file, line) whose text is `raw` (line end
    /// included): the row itself, or (`cell`) score cells of a row used.
    fn reject(
        &mut self,
        (file, line): (u32, u32),
        findings: &[usize],
        raw: Option<&str>,
        cell: bool,
    ) {
        let raw = raw.unwrap_or("").trim_end_matches(['\r', '\n']);
        self.rejected
            .extend(findings.iter().map(|&finding| RejectedRow {
                file,
                line,
                finding,
                raw: raw.to_string(),
                cell,
            }));
    }

    /// Keeps the accepted row at `at` (file, line): its evaluation, new
    /// (`key`) or the row before's (`Err(eval)`), with the name it gives,
    /// and its `scores` (`table`: from kompass's own table, derived there
    /// or not). Its warnings, `findings[before..]`, name the
    /// evaluation as read (`new` where the row wrote `ny`), as later
    /// findings do. Returns the evaluation.
    fn keep_row(
        &mut self,
        instruments: &Instruments,
        (at, table): ((u32, u32), Option<bool>),
        key: std::result::Result<EvalKey, u32>,
        name: Option<&str>,
        scores: &[(ItemIx, f64)],
        before: usize,
    ) -> u32 {
        let eval = match key {
            Err(eval) => {
                self.name_given(eval, name, Seen::at(at));
                eval
            }
            Ok(key) => self.eval_for(key, name, Seen::at(at), at),
        };
        let info = &self.evals[eval as usize];
        for f in &mut self.findings[before..] {
            let item = std::mem::take(&mut f.context.item);
            f.context = Context::of(instruments, info, &item);
        }
        let (file, line) = at;
        self.obs
            .extend(scores.iter().map(|&(item, value)| Observation {
                eval,
                item,
                table,
                value,
                file,
                line,
            }));
        eval
    }

    /// Nothing read yet; findings beyond `1 / share` of `sink`'s limit go
    /// to its files.
    fn spilling(sink: Option<std::sync::Arc<Sink>>, share: usize) -> Ingested {
        Ingested {
            spilled: Spilled::to(sink, share),
            ..Ingested::default()
        }
    }

    /// Writes the findings held to disk once there are enough of them
    /// ([`Spilled`]); call only where no index into them is pending.
    pub fn spill_over(&mut self) -> Result<()> {
        match self.spilled.is_due(self.findings.len()) {
            true => (self.spilled).write(&mut self.findings, &mut self.rejected),
            false => Ok(()),
        }
    }

    /// Appends a file read and parsed.
    fn absorb(&mut self, parsed: ParsedFile) -> Result<()> {
        let ParsedFile {
            mut info,
            findings,
            parts,
            ..
        } = parsed;
        let file_ix = self.files.len() as u32;
        // Room for every piece at once (at 1,000,000 evaluations the
        // observations are 0.6 GB: grown piece by piece they were copied
        // several times; so were the findings of a file whose rows are
        // all rejected, at 200 bytes each).
        let sum = |n: fn(&Ingested) -> usize| parts.iter().map(|(p, _)| n(p)).sum::<usize>();
        self.obs.reserve(sum(|p| p.obs.len()));
        self.evals.reserve(sum(|p| p.evals.len()));
        self.findings
            .reserve(findings.len() + sum(|p| p.findings.len()));
        self.rejected.reserve(sum(|p| p.rejected.len()));
        self.findings.extend(findings);
        for (part, rows) in parts {
            info.rows_read += rows;
            self.merge(part);
        }
        if info.rows_read == 0 {
            self.findings.push(Finding {
                rule: Rule::EmptyFile,
                file: file_ix,
                line: info.header_line,
                column: Default::default(),
                value: Default::default(),
                message: "the file has a header and no data rows".into(),
                context: Context::default(),
            });
        }
        self.files.push(info);
        self.spill_over()
    }

    /// Appends a later piece of the same file, renumbering its evaluations
    /// and finding references as if it had been read in the same pass.
    fn merge(&mut self, part: Ingested) {
        let base = self.findings.len();
        let ids: Vec<u32> = part
            .evals
            .into_iter()
            .map(|e| {
                self.eval_for(
                    e.key,
                    e.given_name.as_deref(),
                    e.name_seen,
                    (e.file, e.line),
                )
            })
            .collect();
        for (eval, names) in part.other_names {
            for n in names {
                self.name_given(ids[eval as usize], Some(&n.text), n.seen);
            }
        }
        for (eval, codes) in part.former_codes {
            for c in codes {
                given(
                    self.former_codes.entry(ids[eval as usize]).or_default(),
                    &c.text,
                    c.seen,
                );
            }
        }
        self.obs.extend(part.obs.into_iter().map(|mut o| {
            o.eval = ids[o.eval as usize];
            o
        }));
        self.findings.extend(part.findings);
        self.spilled.append(part.spilled);
        self.rejected.extend(part.rejected.into_iter().map(|mut r| {
            r.finding += base;
            r
        }));
    }

    /// Notes municipality name `name` given where `seen` says by rows of
    /// evaluation `eval`: its first name, or another one (each listed
    /// once per evaluation).
    fn name_given(&mut self, eval: u32, name: Option<&str>, seen: Seen) {
        let Some(name) = name else { return };
        let info = &mut self.evals[eval as usize];
        match info.given_name.as_deref() {
            None => {
                info.given_name = Some(name.to_string());
                info.name_seen = seen;
            }
            Some(first) if first == name => info.name_seen.add(seen),
            Some(_) => given(self.other_names.entry(eval).or_default(), name, seen),
        }
    }

    /// Notes the code `code` from before a reform given at `at` (file,
    /// line) by a row of evaluation `eval`, which has today's (none: the
    /// row gave today's).
    pub(super) fn former_code_given(&mut self, eval: u32, code: Option<String>, at: (u32, u32)) {
        if let Some(code) = code {
            given(
                self.former_codes.entry(eval).or_default(),
                &code,
                Seen::at(at),
            );
        }
    }

    /// The evaluation of `key` (added when new), with municipality name
    /// `name` given where `seen` says; `first` is where it first appears.
    fn eval_for(&mut self, key: EvalKey, name: Option<&str>, seen: Seen, first: (u32, u32)) -> u32 {
        use std::hash::BuildHasher as _;
        let hash = self.hasher.hash_one(&key);
        let (table, evals, hasher) = (&mut self.eval_ix, &mut self.evals, &self.hasher);
        if let Some(&ix) = table.find(hash, |&ix| evals[ix as usize].key == key) {
            self.name_given(ix, name, seen);
            return ix;
        }
        let ix = evals.len() as u32;
        // Growing rehashes only the positions already in `evals` (`ix` is
        // pushed just below).
        table.insert_unique(hash, ix, |&i| hasher.hash_one(&evals[i as usize].key));
        self.evals.push(EvalInfo {
            key,
            given_name: name.map(str::to_string),
            name_seen: seen,
            file: first.0,
            line: first.1,
        });
        ix
    }
}

/// Notes `text` given where `seen` says in `list`, each text once, with
/// the earliest places it stands and its rows.
fn given(list: &mut Vec<Given>, text: &str, seen: Seen) {
    match list.iter_mut().find(|g| g.text == text) {
        Some(g) => g.seen.add(seen),
        None => list.push(Given {
            text: text.to_string(),
            seen,
        }),
    }
}
