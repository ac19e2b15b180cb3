//! Findings and rejected rows put on disk once there are many, so that the
//! memory of a run does not grow with its bad rows: a file whose every row
//! is rejected holds a finding and a rejected row with its text per row
//! (about 400 bytes; 10 GB at 25 million rows).
//!
//! Whenever `limit` findings are held (by the whole after each file, by
//! validation after each of its rules; a piece of a file being parsed
//! holds its share of the limit, the file's pieces being parsed side by
//! side),
//! they and their rejected rows are written to two scratch files
//! ([`crate::io::Scratch`]) as one *run*, sorted by file and line, and
//! cleared. `rejects.csv` and `validation.csv` merge the runs with what is
//! left in memory in file and line order, a row's findings in the order
//! they were made (runs are made in that order where it matters: a row's
//! findings of one stage are written together, and a stage's findings
//! after the stage before it), so the files are byte-identical to a run
//! that kept everything in memory (tested with a limit of one finding).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::BufReader;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

mod record;

use crate::error::Result;
use crate::ingest::RejectedRow;
use crate::io::Scratch;
use crate::validate::rules::{Finding, Rule};
use record::{Get, get_finding, get_reject, put_finding, put_reject};

/// The read buffers of a merge's runs together (each 512 B to 32 KiB).
const MERGE_BUFFERS: usize = 32 << 20;

/// Findings held in memory before they go to disk, unless
/// `KOMPASS_SPILL_AT` says otherwise (tests set 1).
pub const DEFAULT_LIMIT: usize = 50_000;

/// The two scratch files runs go to, and how many findings make a run.
#[derive(Debug)]
pub struct Sink {
    findings: Scratch,
    rejects: Scratch,
    limit: usize,
}

impl Sink {
    /// Scratch files in folder `dir` (the run's staging folder).
    pub fn in_folder(dir: &Path, limit: usize) -> Result<Arc<Sink>> {
        Ok(Arc::new(Sink {
            findings: Scratch::create_in(dir)?,
            rejects: Scratch::create_in(dir)?,
            limit: limit.max(1),
        }))
    }
}

/// One batch on disk: its findings' bytes and its rejected rows' bytes.
#[derive(Debug, Clone)]
struct Run {
    findings: Range<u64>,
    rejects: Range<u64>,
}

/// What of a set of findings is on disk: the runs, in the order they are
/// to be merged, and their counts (per rule; rows and cells per file).
#[derive(Debug, Default)]
pub struct Spilled {
    sink: Option<Arc<Sink>>,
    /// How many findings held make a run: the sink's limit split into
    /// shares (a piece of a file holds its share while the file's pieces
    /// are parsed side by side); none without a sink.
    due_at: Option<usize>,
    runs: Vec<Run>,
    by_rule: Vec<u64>,
    /// Rejected rows and rejected cells per input file.
    per_file: Vec<[u64; 2]>,
    /// Rows rejected whole after their runs were written (conflicts): a
    /// cell of theirs rejected on its own is left out of `rejects.csv`.
    superseded: Vec<(u32, u32)>,
}

impl Spilled {
    /// Nothing on disk yet; batches go to `sink` (none: all kept in
    /// memory) once `1 / share` of its limit is held.
    pub fn to(sink: Option<Arc<Sink>>, share: usize) -> Spilled {
        let due_at = (sink.as_ref()).map(|s| (s.limit / share.max(1)).max(1));
        Spilled {
            sink,
            due_at,
            ..Spilled::default()
        }
    }

    /// Whether `held` findings in memory make a run.
    pub fn is_due(&self, held: usize) -> bool {
        self.due_at.is_some_and(|at| held >= at)
    }

    /// Writes `findings` and `rejected` (whose `finding`s index
    /// `findings`) as a run, sorted by file and line (each one's place
    /// among those of its line kept), and clears them.
    pub fn write(
        &mut self,
        findings: &mut Vec<Finding>,
        rejected: &mut Vec<RejectedRow>,
    ) -> Result<()> {
        let Some(sink) = self.sink.clone() else {
            return Ok(());
        };
        rejected.sort_by_key(|r| (r.file, r.line));
        let mut bytes = Vec::new();
        for r in rejected.iter() {
            let f = &findings[r.finding];
            self.count_reject(r.file, r.cell, 1);
            put_reject(&mut bytes, r, f);
        }
        let rejects = sink.rejects.append(&bytes)?;
        findings.sort_by_key(|f| (f.file, f.line));
        bytes.clear();
        for f in findings.iter() {
            self.count(f.rule, 1);
            put_finding(&mut bytes, f);
        }
        let findings_at = sink.findings.append(&bytes)?;
        self.runs.push(Run {
            findings: findings_at,
            rejects,
        });
        findings.clear();
        rejected.clear();
        Ok(())
    }

    /// Takes over `other`'s runs (a later piece of the same file), after
    /// its own.
    pub fn append(&mut self, other: Spilled) {
        self.runs.extend(other.runs);
        for (i, n) in other.by_rule.into_iter().enumerate() {
            self.count(Rule::ALL[i], n);
        }
        for (file, [rows, cells]) in other.per_file.into_iter().enumerate() {
            self.count_reject(file as u32, false, rows);
            self.count_reject(file as u32, true, cells);
        }
    }

    /// Whether anything is on disk.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// Findings on disk per rule (rules with none left out).
    pub fn rule_counts(&self) -> impl Iterator<Item = (Rule, u64)> + '_ {
        (self.by_rule.iter().enumerate())
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| (Rule::ALL[i], *n))
    }

    /// Rejected rows (`cells` false) or cells on disk of input file `file`.
    pub fn rejected_in(&self, file: usize, cells: bool) -> u64 {
        self.per_file.get(file).map_or(0, |n| n[usize::from(cells)])
    }

    /// Leaves out of `rejects.csv` the cells on disk rejected on their own
    /// in rows now rejected whole (`rows`, sorted), as the rows in memory
    /// are; their counts go down.
    pub fn supersede(&mut self, rows: Vec<(u32, u32)>) -> Result<()> {
        let mut dropped = Vec::new();
        for r in self.merged(|r| &r.rejects, |s| &s.rejects, get_reject) {
            let (_, (r, _)) = r?;
            if r.cell && rows.binary_search(&(r.file, r.line)).is_ok() {
                dropped.push(r.file);
            }
        }
        self.superseded = rows;
        for file in dropped {
            self.per_file[file as usize][1] -= 1;
        }
        Ok(())
    }

    /// The findings on disk in file and line order.
    pub fn findings(&self) -> impl Iterator<Item = Result<Finding>> + '_ {
        self.merged(|r| &r.findings, |s| &s.findings, get_finding)
            .map(|f| f.map(|(_, f)| f))
    }

    /// The rejected rows on disk in file and line order, each with its
    /// finding (its `finding` index is 0 and means nothing).
    pub fn rejects(&self) -> impl Iterator<Item = Result<(RejectedRow, Finding)>> + '_ {
        self.merged(|r| &r.rejects, |s| &s.rejects, get_reject)
            .map(|r| r.map(|(_, r)| r))
            .filter(|r| match r {
                Ok((r, _)) => !(r.cell && self.superseded.binary_search(&(r.file, r.line)).is_ok()),
                Err(_) => true,
            })
    }

    fn merged<'a, T: 'a>(
        &'a self,
        range: fn(&Run) -> &Range<u64>,
        file: fn(&Sink) -> &Scratch,
        get: Get<T>,
    ) -> Merge<'a, T> {
        // Each run's read buffer: 32 KiB while there are few runs, less
        // when there are many (a small `KOMPASS_SPILL_AT` on a big input),
        // so that the buffers stay within MERGE_BUFFERS; never more than
        // the run.
        let each = (MERGE_BUFFERS / self.runs.len().max(1)).clamp(512, 32 << 10);
        let reader = |sink: &'a Sink, r: &Run| {
            let range = range(r).clone();
            let len = usize::try_from(range.end - range.start).unwrap_or(usize::MAX);
            BufReader::with_capacity(each.min(len).max(1), file(sink).read(range))
        };
        let readers = match &self.sink {
            Some(sink) => self.runs.iter().map(|r| reader(sink, r)).collect(),
            None => Vec::new(),
        };
        Merge {
            scratch: self.sink.as_deref().map(file),
            readers,
            heads: Vec::new(),
            heap: BinaryHeap::new(),
            get,
            started: false,
        }
    }

    fn count(&mut self, rule: Rule, n: u64) {
        let i = rule as usize;
        if self.by_rule.len() <= i {
            self.by_rule.resize(Rule::ALL.len(), 0);
        }
        self.by_rule[i] += n;
    }

    fn count_reject(&mut self, file: u32, cell: bool, n: u64) {
        let file = file as usize;
        if self.per_file.len() <= file {
            self.per_file.resize(file + 1, [0, 0]);
        }
        self.per_file[file][usize::from(cell)] += n;
    }
}

/// Gives `write` the items of `disk` and of `mem` (each in file and line
/// order, `at`) in file and line order, `disk`'s first where they share a
/// line (those on disk were made first).
pub fn merge_by_line<T>(
    disk: impl Iterator<Item = Result<T>>,
    mem: impl Iterator<Item = T>,
    at: impl Fn(&T) -> (u32, u32),
    mut write: impl FnMut(&T) -> Result<()>,
) -> Result<()> {
    let mut mem = mem.peekable();
    for d in disk {
        let d = d?;
        while let Some(m) = mem.next_if(|m| at(m) < at(&d)) {
            write(&m)?;
        }
        write(&d)?;
    }
    mem.try_for_each(|m| write(&m))
}

/// The runs' records merged by (file, line), the earlier run first.
struct Merge<'a, T> {
    scratch: Option<&'a Scratch>,
    readers: Vec<BufReader<crate::io::scratch::RangeReader<'a>>>,
    heads: Vec<Option<T>>,
    heap: BinaryHeap<Reverse<((u32, u32), usize)>>,
    get: Get<T>,
    started: bool,
}

impl<T> Merge<'_, T> {
    /// Reads run `i`'s next record into its head.
    fn advance(&mut self, i: usize) -> Result<()> {
        let next = (self.get)(&mut self.readers[i]);
        let next = next.map_err(|e| match self.scratch {
            Some(s) => s.error(e),
            None => crate::error::Error::Internal(e.to_string()),
        })?;
        self.heads[i] = next.map(|(at, t)| {
            self.heap.push(Reverse((at, i)));
            t
        });
        Ok(())
    }
}

impl<T> Iterator for Merge<'_, T> {
    type Item = Result<((u32, u32), T)>;

    fn next(&mut self) -> Option<Self::Item> {
        if !self.started {
            self.started = true;
            self.heads = (0..self.readers.len()).map(|_| None).collect();
            for i in 0..self.readers.len() {
                if let Err(e) = self.advance(i) {
                    return Some(Err(e));
                }
            }
        }
        let Reverse((at, i)) = self.heap.pop()?;
        let head = self.heads[i].take()?;
        Some(self.advance(i).map(|()| (at, head)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::rules::Context;

    fn finding(rule: Rule, file: u32, line: u32, value: &str) -> Finding {
        Finding {
            rule,
            file,
            line,
            column: "score".into(),
            value: value.into(),
            message: format!("message of {value}"),
            context: Context {
                country: "SE".into(),
                code: "0114".into(),
                year: "2010".into(),
                scale: "new".into(),
                item: "1.4".into(),
            },
        }
    }

    fn reject(file: u32, line: u32, finding: usize, cell: bool) -> RejectedRow {
        RejectedRow {
            file,
            line,
            finding,
            raw: format!("raw {file}:{line};\"å\""),
            cell,
        }
    }

    /// Where they share a line, those on disk come first (they were made
    /// first); otherwise file and line order.
    #[test]
    fn the_merge_puts_disk_before_memory_on_the_same_line() {
        let disk = [(0, 1, "d1"), (0, 2, "d2"), (1, 1, "d3")].map(Ok);
        let mem = [(0, 2, "m1"), (0, 3, "m2"), (1, 0, "m3"), (1, 1, "m4")];
        let mut got = Vec::new();
        merge_by_line(
            disk.into_iter(),
            mem.into_iter(),
            |t| (t.0, t.1),
            |t| {
                got.push(t.2);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(got, ["d1", "d2", "m1", "m2", "m3", "d3", "m4"]);
    }

    /// Runs are sorted when written, read back whole (every field), merged
    /// by line with the earlier run first on the same line, and counted.
    #[test]
    fn runs_round_trip_in_line_order_with_their_counts() {
        let dir = tempfile::tempdir().unwrap();
        let sink = Sink::in_folder(dir.path(), 1).unwrap();
        let mut spilled = Spilled::to(Some(sink), 1);
        assert!(spilled.is_due(1) && !spilled.is_due(0));
        let mut f = vec![
            finding(Rule::BadNumber, 0, 9, "7x"),
            finding(Rule::AboveMax, 0, 3, "166"),
            finding(Rule::Duplicate, 0, 3, "dup"),
        ];
        let mut r = vec![reject(0, 9, 0, false), reject(0, 3, 1, true)];
        spilled.write(&mut f, &mut r).unwrap();
        assert!(f.is_empty() && r.is_empty());
        let mut f = vec![
            finding(Rule::Conflict, 0, 3, "68"),
            finding(Rule::Conflict, 1, 2, "61"),
        ];
        let mut r = vec![reject(1, 2, 1, false), reject(0, 3, 0, false)];
        spilled.write(&mut f, &mut r).unwrap();

        let got: Vec<Finding> = spilled.findings().map(Result::unwrap).collect();
        let values: Vec<&str> = got.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(values, ["166", "dup", "68", "7x", "61"]);
        assert_eq!(got[0], finding(Rule::AboveMax, 0, 3, "166"));
        let rejects: Vec<(u32, u32, bool, String)> = (spilled.rejects())
            .map(|r| r.unwrap())
            .map(|(r, f)| (r.file, r.line, r.cell, format!("{} {}", f.rule, r.raw)))
            .collect();
        let raw = |f, l| format!("raw {f}:{l};\"å\"");
        assert_eq!(
            rejects,
            [
                (0, 3, true, format!("above-max {}", raw(0, 3))),
                (0, 3, false, format!("conflict {}", raw(0, 3))),
                (0, 9, false, format!("bad-number {}", raw(0, 9))),
                (1, 2, false, format!("conflict {}", raw(1, 2))),
            ]
        );
        let counts: std::collections::BTreeMap<Rule, u64> = spilled.rule_counts().collect();
        let want = [
            (Rule::AboveMax, 1),
            (Rule::BadNumber, 1),
            (Rule::Conflict, 2),
            (Rule::Duplicate, 1),
        ];
        assert_eq!(counts, want.into_iter().collect());
        assert_eq!(
            (spilled.rejected_in(0, false), spilled.rejected_in(0, true)),
            (2, 1)
        );
        // Row 0:3 rejected whole later: its cell leaves rejects.csv.
        spilled.supersede(vec![(0, 3)]).unwrap();
        assert_eq!(spilled.rejected_in(0, true), 0);
        assert_eq!(spilled.rejects().count(), 3);
    }

    /// Without a sink nothing is written and nothing is due.
    #[test]
    fn without_a_sink_everything_stays_in_memory() {
        let mut spilled = Spilled::to(None, 1);
        assert!(!spilled.is_due(usize::MAX));
        let mut f = vec![finding(Rule::BadNumber, 0, 2, "x")];
        let mut r = vec![reject(0, 2, 0, false)];
        spilled.write(&mut f, &mut r).unwrap();
        assert_eq!((f.len(), r.len()), (1, 1));
        assert!(spilled.is_empty() && spilled.findings().next().is_none());
    }
}
