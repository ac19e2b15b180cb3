//! In-process micro-benchmarks of the hot paths (`cargo bench --bench
//! micro`, part of `make bench`): number parsing (decimal commas) and
//! formatting, row parsing with validation, the cross-row rules, and the
//! analysis (frame, averages with polars, ranks). The row and analysis
//! benchmarks read the 10,000-evaluation data set that `benches/pipeline.rs`
//! caches in `target/bench-data/n10000` (generated here if missing).

use std::path::PathBuf;

use kompass::io::Input;
use std::process::Command;
use std::sync::OnceLock;

use divan::Bencher;
use divan::counter::ItemsCount;

use kompass::analysis::averages::{self, Basis};
use kompass::analysis::frame::Frame;
use kompass::analysis::standings;
use kompass::ingest::{self, Ingested, ReadOptions};
use kompass::io::dialect::{Decimal, OutputDialect};
use kompass::io::number::parse_number;
use kompass::reference::instrument::Instruments;
use kompass::reference::register::Register;
use kompass::validate::{self, Validated};

fn main() {
    divan::main();
}

/// The 10,000-evaluation data set, its files, instruments and register.
struct Set {
    paths: Vec<Input>,
    instruments: Instruments,
    register: Register,
}

fn set() -> &'static Set {
    static SET: OnceLock<Set> = OnceLock::new();
    SET.get_or_init(|| {
        let dir = PathBuf::from("target/bench-data/n10000");
        if !dir.join("meta/truth.json").is_file() {
            let status = Command::new(env!("CARGO_BIN_EXE_kompass"))
                .args([
                    "synth",
                    "-n",
                    "10000",
                    "--seed",
                    "42",
                    "--countries",
                    "SE,NO,DK",
                ])
                .args(["--layout", "long", "--files", "1", "-q", "-o"])
                .arg(&dir)
                .status()
                .expect("run kompass synth");
            assert!(status.success(), "kompass synth failed");
        }
        Set {
            paths: kompass::io::discover(std::slice::from_ref(&dir)).expect("data set"),
            instruments: Instruments::shipped().expect("shipped instruments"),
            register: Register::load(&dir.join("meta/register.csv")).expect("register"),
        }
    })
}

fn read(s: &Set) -> Ingested {
    ingest::read_all(
        &s.paths,
        ReadOptions::default(),
        (&s.instruments, &s.register),
        None,
    )
    .expect("ingest")
}

fn validated(s: &Set) -> Validated {
    validate::validate(read(s), &s.instruments, &s.register, 2026).expect("validate")
}

fn frame() -> &'static Frame {
    static FRAME: OnceLock<Frame> = OnceLock::new();
    FRAME.get_or_init(|| {
        let s = set();
        Frame::build(&validated(s), None, &s.instruments, &s.register)
    })
}

#[divan::bench]
fn parse_number_decimal_comma(b: Bencher) {
    let inputs: Vec<String> = (0..10_000)
        .map(|i| format!("{},{}", i % 100, i % 10))
        .collect();
    b.counter(ItemsCount::new(inputs.len())).bench(|| {
        inputs
            .iter()
            .map(|s| parse_number(divan::black_box(s), Decimal::Auto).unwrap_or(0.0))
            .sum::<f64>()
    });
}

#[divan::bench]
fn push_num_4_decimals_comma(b: Bencher) {
    let excel = OutputDialect {
        excel: true,
        ..OutputDialect::default()
    };
    let mut buf = String::new();
    b.counter(ItemsCount::new(10_000usize)).bench_local(|| {
        for i in 0..10_000u32 {
            buf.clear();
            excel.push_num(&mut buf, f64::from(i) / 7.0, 4);
            divan::black_box(&buf);
        }
    });
}

/// Scores as published (whole points and halves) with the 6 decimals of
/// `evaluations.csv`.
#[divan::bench]
fn push_num_scores_6_decimals(b: Bencher) {
    let plain = OutputDialect::default();
    let mut buf = String::new();
    b.counter(ItemsCount::new(10_000usize)).bench_local(|| {
        for i in 0..10_000u32 {
            buf.clear();
            plain.push_num(&mut buf, f64::from(i % 201) / 2.0, 6);
            divan::black_box(&buf);
        }
    });
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn ingest_read_parse_check_rows(b: Bencher) {
    let s = set();
    let rows: u64 = read(s).files.iter().map(|f| f.rows_read).sum();
    b.counter(ItemsCount::new(rows as usize)).bench(|| read(s));
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn validate_cross_row_rules(b: Bencher) {
    let s = set();
    let n = read(s).obs.len();
    b.counter(ItemsCount::new(n))
        .with_inputs(|| read(s))
        .bench_values(|ing| {
            validate::validate(ing, &s.instruments, &s.register, 2026).expect("validate")
        });
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn frame_build(b: Bencher) {
    let s = set();
    let data = validated(s);
    b.counter(ItemsCount::new(frame().points.len()))
        .bench(|| Frame::build(&data, None, &s.instruments, &s.register));
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn averages_five_groupings(b: Bencher) {
    let f = frame();
    b.counter(ItemsCount::new(f.points.len()))
        .bench(|| averages::averages(f, Basis::Latest).expect("averages"));
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn benchmarks_ranks_and_percentiles(b: Bencher) {
    let f = frame();
    b.counter(ItemsCount::new(f.points.len()))
        .bench(|| standings::benchmarks(f));
}
