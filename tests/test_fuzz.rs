//! The front door under random input: mutations of valid exports
//! (truncated rows, stray quotes, random bytes, NUL, very long fields,
//! mixed line ends, BOMs in odd places, thousands of columns) go through
//! ingest and validation in-process. Nothing panics, and every row read is
//! either used (it gave at least one score) or rejected, never both and
//! never neither.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use proptest::prelude::*;

use kompass::ingest::{self, ReadOptions};
use kompass::io::Input;
use kompass::reference::instrument::Instruments;
use kompass::reference::register::Register;
use kompass::validate;

const LONG: &str = include_str!("data/ostersund_long.csv");
const WIDE: &str = include_str!("data/ostersund_wide.csv");
const EXCEL: &[u8] = include_bytes!("data/ostersund_excel_sv.csv");

fn reference() -> &'static (Instruments, Register) {
    static R: OnceLock<(Instruments, Register)> = OnceLock::new();
    R.get_or_init(|| {
        (
            Instruments::shipped().unwrap(),
            Register::shipped().unwrap(),
        )
    })
}

/// One change to a file's bytes, at a position given as a fraction.
#[derive(Debug, Clone)]
enum Mutation {
    Truncate(f64),
    Insert(f64, Vec<u8>),
    Delete(f64, usize),
    DuplicateLine(f64),
    LongField(f64, usize),
    Columns(f64, usize),
    LineEnds(bool),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = 0.0..1.0f64;
    let bytes = prop_oneof![
        Just(b"\"".to_vec()),
        Just(b"\0".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\xFF\xFE".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\n".to_vec()),
        Just(b";".to_vec()),
        Just(b",,".to_vec()),
        Just("=HYPERLINK(\"x\")".as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 1..8),
    ];
    prop_oneof![
        at.clone().prop_map(Mutation::Truncate),
        (at.clone(), bytes).prop_map(|(a, b)| Mutation::Insert(a, b)),
        (at.clone(), 1..20usize).prop_map(|(a, n)| Mutation::Delete(a, n)),
        at.clone().prop_map(Mutation::DuplicateLine),
        (at.clone(), 1000..20_000usize).prop_map(|(a, n)| Mutation::LongField(a, n)),
        (at, 100..10_000usize).prop_map(|(a, n)| Mutation::Columns(a, n)),
        any::<bool>().prop_map(Mutation::LineEnds),
    ]
}

fn apply(mut b: Vec<u8>, m: &Mutation) -> Vec<u8> {
    let pos = |f: f64, b: &[u8]| ((b.len() as f64) * f) as usize;
    match m {
        Mutation::Truncate(f) => b.truncate(pos(*f, &b)),
        Mutation::Insert(f, x) => {
            let p = pos(*f, &b);
            b.splice(p..p, x.iter().copied());
        }
        Mutation::Delete(f, n) => {
            let p = pos(*f, &b);
            let end = (p + n).min(b.len());
            b.drain(p..end);
        }
        Mutation::DuplicateLine(f) => {
            let p = pos(*f, &b);
            let start = b[..p]
                .iter()
                .rposition(|&c| c == b'\n')
                .map_or(0, |i| i + 1);
            let end = b[p..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(b.len(), |i| p + i + 1);
            let line = b[start..end].to_vec();
            b.splice(start..start, line);
        }
        Mutation::LongField(f, n) => {
            let p = pos(*f, &b);
            b.splice(p..p, std::iter::repeat_n(b'7', *n));
        }
        Mutation::Columns(f, n) => {
            let p = pos(*f, &b);
            b.splice(p..p, std::iter::repeat_n(b',', *n));
        }
        Mutation::LineEnds(crlf) => {
            let text: Vec<u8> = b.iter().copied().filter(|&c| c != b'\r').collect();
            b = if *crlf {
                text.iter()
                    .flat_map(|&c| {
                        if c == b'\n' {
                            vec![b'\r', b'\n']
                        } else {
                            vec![c]
                        }
                    })
                    .collect()
            } else {
                text.iter()
                    .map(|&c| if c == b'\n' { b'\r' } else { c })
                    .collect()
            };
        }
    }
    b
}

/// Reads `bytes` as an export and checks the invariants; returns the rows
/// read and rejected (`None`: the file could not be read at all, which is
/// an error message, not a panic).
fn check(bytes: &[u8]) -> Result<Option<(u64, usize)>, TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.csv");
    std::fs::write(&path, bytes).unwrap();
    let (instruments, register) = reference();
    let inputs = [Input {
        path,
        in_folder: false,
    }];
    let opts = ReadOptions::default();
    // A file that cannot be read at all is an error, not a panic.
    let Ok(ing) = ingest::read_all(&inputs, opts.clone(), (instruments, register), None) else {
        return Ok(None);
    };
    let read: u64 = ing.files.iter().map(|f| f.rows_read).sum();
    let used: BTreeSet<u32> = ing.obs.iter().map(|o| o.line).collect();
    let (cells, rows): (Vec<_>, Vec<_>) = ing.rejected.iter().partition(|r| r.cell);
    let rejected: BTreeSet<u32> = rows.iter().map(|r| r.line).collect();
    prop_assert_eq!(rejected.len(), rows.len(), "a row rejected twice");
    prop_assert!(used.is_disjoint(&rejected), "a row both used and rejected");
    // A score cell rejected on its own is in a row that was used.
    prop_assert!(
        cells.iter().all(|c| used.contains(&c.line)),
        "a cell of a row not used"
    );
    prop_assert_eq!(
        read,
        (used.len() + rejected.len()) as u64,
        "rows read = rows used + rows rejected"
    );
    // Validation moves conflicting rows to the rejects; it must not panic
    // and must not lose rows either.
    let v = validate::validate(ing, instruments, register, 2026)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let rows = v.rejected.iter().filter(|r| !r.cell).count();
    prop_assert!(rows as u64 <= read);
    Ok(Some((read, rows)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn mutated_exports_reconcile(
        base in 0..3usize,
        ms in proptest::collection::vec(mutation(), 1..5),
    ) {
        let mut b = match base {
            0 => LONG.as_bytes().to_vec(),
            1 => WIDE.as_bytes().to_vec(),
            _ => EXCEL.to_vec(),
        };
        for m in &ms {
            b = apply(b, m);
        }
        check(&b)?;
    }
}

/// Each kind of mutation, mild and past the header, leaves each export
/// readable: the invariants above are checked on rows, not passed over
/// as a file that could not be read at all (`check`'s `None`).
#[test]
fn mild_mutations_leave_the_exports_readable() {
    let mutations = [
        Mutation::Truncate(0.6),
        Mutation::Insert(0.6, b"\"".to_vec()),
        Mutation::Insert(0.6, b"\0".to_vec()),
        Mutation::Insert(0.6, b"\xEF\xBB\xBF".to_vec()),
        Mutation::Insert(0.6, b";".to_vec()),
        Mutation::Delete(0.6, 5),
        Mutation::DuplicateLine(0.6),
        Mutation::LongField(0.6, 5000),
        Mutation::Columns(0.6, 1000),
        Mutation::LineEnds(true),
    ];
    for (base, b) in [LONG.as_bytes(), WIDE.as_bytes(), EXCEL].iter().enumerate() {
        for m in &mutations {
            let read = check(&apply(b.to_vec(), m)).unwrap();
            assert!(
                read.is_some_and(|(rows, _)| rows > 0),
                "{base} {m:?}: {read:?}"
            );
        }
    }
}

#[test]
fn the_unmutated_exports_reconcile_with_no_rejects() {
    // Rows in the fixtures, counted by hand: 63 long rows, 2 wide rows (new
    // and old), 63 rows in the Swedish Excel export.
    for (b, rows) in [(LONG.as_bytes(), 63), (WIDE.as_bytes(), 2), (EXCEL, 63)] {
        assert_eq!(check(b).unwrap(), Some((rows, 0)));
    }
}
