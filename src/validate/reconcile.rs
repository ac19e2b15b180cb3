//! Each input file's reconciliation, rows read = rows accepted + rows
//! rejected, with the score cells rejected on their own in rows used:
//! counted here once, and only formatted by the run summary, `inputs.csv`,
//! the manifest and the report.

use super::Validated;

/// One input file's counts, or all files' together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowCounts {
    pub read: u64,
    pub rejected: u64,
    /// Score cells rejected on their own, in rows otherwise used (a wide
    /// row's score above its maximum): rows of `rejects.csv` too.
    pub cells_rejected: u64,
}

impl RowCounts {
    /// Rows used: every row read that was not rejected.
    pub fn accepted(&self) -> u64 {
        self.read - self.rejected
    }
}

/// The counts of every input file (in the order of [`Validated::files`])
/// and their total.
#[derive(Debug, Clone, Default)]
pub struct Reconciliation {
    pub files: Vec<RowCounts>,
    pub total: RowCounts,
}

impl Validated {
    /// Each input file's rows read, rejected and cells rejected, those
    /// spilled to disk included.
    pub fn reconciliation(&self) -> Reconciliation {
        let mut files: Vec<RowCounts> = (self.files.iter().enumerate())
            .map(|(i, f)| RowCounts {
                read: f.rows_read,
                rejected: self.spilled.rejected_in(i, false),
                cells_rejected: self.spilled.rejected_in(i, true),
            })
            .collect();
        // Those in memory, rows and cells in one pass.
        for r in &self.rejected {
            let c = &mut files[r.file as usize];
            match r.cell {
                true => c.cells_rejected += 1,
                false => c.rejected += 1,
            }
        }
        let total = files.iter().fold(RowCounts::default(), |a, f| RowCounts {
            read: a.read + f.read,
            rejected: a.rejected + f.rejected,
            cells_rejected: a.cells_rejected + f.cells_rejected,
        });
        Reconciliation { files, total }
    }
}
