//! The benchmark harness behind `kompass bench` (see `cmd/bench.rs`).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::dialect::{Decimal, OutputDialect};
use crate::error::{Error, Result};
use crate::files::CsvOut;
use crate::manifest::Manifest;

/// Seed of the benchmark data sets.
const SEED: &str = "42";

/// One measured run.
pub struct Measure {
    pub evaluations: u64,
    pub rows: u64,
    pub mb: f64,
    pub wall: f64,
    pub max_rss_mb: f64,
    pub stages: Vec<(String, f64)>,
}

fn exe() -> Result<PathBuf> {
    std::env::current_exe().map_err(|e| Error::io(Path::new("kompass"), e))
}

/// Runs a child process to completion; returns (seconds, max RSS in MB).
fn timed(cmd: &mut Command) -> Result<(f64, f64)> {
    let start = Instant::now();
    let child = cmd
        .spawn()
        .map_err(|e| Error::io(Path::new("kompass"), e))?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child; status and usage are valid for writing.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed().as_secs_f64();
    if rc < 0 {
        return Err(Error::io(
            Path::new("wait4"),
            std::io::Error::last_os_error(),
        ));
    }
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        return Err(Error::Usage(format!("benchmark step failed: {cmd:?}")));
    }
    std::mem::forget(child);
    Ok((wall, usage.ru_maxrss as f64 / 1024.0))
}

fn data_set(cache: &Path, n: u64) -> Result<PathBuf> {
    let dir = cache.join(format!("n{n}"));
    if dir.join("meta/truth.json").is_file() {
        return Ok(dir);
    }
    let files = (n / 100_000).clamp(1, 16).to_string();
    eprintln!("bench: generating {n} evaluations into {}", dir.display());
    timed(
        Command::new(exe()?)
            .args([
                "synth",
                "-n",
                &n.to_string(),
                "--seed",
                SEED,
                "--countries",
                "SE,NO,DK",
                "--layout",
                "long",
            ])
            .args(["--files", &files, "-q", "-o"])
            .arg(&dir),
    )?;
    Ok(dir)
}

fn input_size(dir: &Path) -> Result<(u64, f64)> {
    let mut rows = 0u64;
    let mut bytes = 0u64;
    for entry in std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .flatten()
    {
        let p = entry.path();
        if p.extension().is_some_and(|e| e == "csv") {
            let data = std::fs::read(&p).map_err(|e| Error::io(&p, e))?;
            bytes += data.len() as u64;
            rows += data.iter().filter(|&&b| b == b'\n').count() as u64 - 1;
        }
    }
    Ok((rows, bytes as f64 / 1e6))
}

pub fn run(sizes: &[u64], cache: &Path, table: &Path) -> Result<Vec<Measure>> {
    std::fs::create_dir_all(cache).map_err(|e| Error::io(cache, e))?;
    let trash = cache.join("previous-results");
    if trash.exists() {
        std::fs::remove_dir_all(&trash).map_err(|e| Error::io(&trash, e))?;
    }
    std::fs::create_dir_all(&trash).map_err(|e| Error::io(&trash, e))?;
    let mut out = Vec::new();
    for &n in sizes {
        let dir = data_set(cache, n)?;
        let (rows, mb) = input_size(&dir)?;
        let result = cache.join(format!("out{n}"));
        // Untimed: move the previous result aside (it is deleted after the
        // last run) and flush the page cache, so that a run is charged
        // neither for writing back the last one's files (about 14 GB at
        // 1,000,000 evaluations) nor for deleting them: ext4 skips inodes
        // deleted in the last 30 s or so when it creates files, which made
        // the report's tens of thousands of pages several times slower.
        if result.exists() {
            let aside = trash.join(format!("out{n}"));
            std::fs::rename(&result, &aside).map_err(|e| Error::io(&result, e))?;
        }
        // SAFETY: sync() takes no arguments and cannot fail.
        unsafe { libc::sync() };
        eprintln!("bench: running on {n} evaluations ({rows} rows, {mb:.0} MB)");
        let mut cmd = Command::new(exe()?);
        cmd.args(["run", "-i"])
            .arg(&dir)
            .args(["--charts", "summary", "--force", "-q", "-o"])
            .arg(&result);
        let register = dir.join("meta/register.csv");
        if register.is_file() {
            cmd.arg("--register").arg(register);
        }
        let (wall, rss) = timed(&mut cmd)?;
        let stages = Manifest::read(&result)
            .map(|m| {
                m.timings_seconds
                    .into_iter()
                    .filter(|(k, _)| k != "total")
                    .collect()
            })
            .unwrap_or_default();
        out.push(Measure {
            evaluations: n,
            rows,
            mb,
            wall,
            max_rss_mb: rss,
            stages,
        });
    }
    std::fs::remove_dir_all(&trash).map_err(|e| Error::io(&trash, e))?;
    print_table(&out);
    write_table(&out, table)?;
    Ok(out)
}

fn print_table(rows: &[Measure]) {
    println!(
        "{:>12} {:>12} {:>9} {:>9} {:>12} {:>10}  stages (s)",
        "evaluations", "input rows", "input MB", "wall s", "rows/s", "peak MB"
    );
    for m in rows {
        let stages: Vec<String> = m
            .stages
            .iter()
            .map(|(k, v)| format!("{k} {v:.2}"))
            .collect();
        println!(
            "{:>12} {:>12} {:>9.1} {:>9.2} {:>12.0} {:>10.0}  {}",
            m.evaluations,
            m.rows,
            m.mb,
            m.wall,
            m.rows as f64 / m.wall,
            m.max_rss_mb,
            stages.join(", ")
        );
    }
    if let (Some(a), Some(b)) = (
        rows.iter().find(|m| m.evaluations == 100_000),
        rows.iter().find(|m| m.evaluations == 1_000_000),
    ) {
        println!("time(1,000,000) / time(100,000) = {:.2}", b.wall / a.wall);
    }
}

fn write_table(rows: &[Measure], path: &Path) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or("bench.csv".into(), |n| n.to_string_lossy().into_owned());
    let d = OutputDialect::default();
    let mut out = CsvOut::create(
        dir,
        &name,
        d,
        &[
            "evaluations",
            "input_rows",
            "input_mb",
            "wall_seconds",
            "rows_per_second",
            "peak_rss_mb",
            "stages",
        ],
    )?;
    for m in rows {
        let stages: Vec<String> = m.stages.iter().map(|(k, v)| format!("{k}={v}")).collect();
        out.row([
            m.evaluations.to_string(),
            m.rows.to_string(),
            d.num(m.mb, 1),
            d.num(m.wall, 3),
            d.num(m.rows as f64 / m.wall, 0),
            d.num(m.max_rss_mb, 0),
            stages.join(";"),
        ])?;
    }
    out.finish()?;
    Ok(())
}

/// One micro-benchmark result.
struct Micro {
    name: &'static str,
    unit: &'static str,
    units: u64,
    /// Median nanoseconds per unit over the repetitions.
    ns: f64,
}

/// Repetitions of each micro-benchmark; the median is reported.
const REPEATS: usize = 5;

/// Runs `f` `REPEATS` times; it returns the number of units it handled and
/// the time the measured part took. The median time per unit.
fn median_per_unit(mut f: impl FnMut() -> Result<(u64, Duration)>) -> Result<(u64, f64)> {
    let mut per = Vec::with_capacity(REPEATS);
    let mut units = 0;
    for _ in 0..REPEATS {
        let (n, spent) = f()?;
        units = n;
        per.push(spent.as_nanos() as f64 / n.max(1) as f64);
    }
    per.sort_by(f64::total_cmp);
    Ok((units, per[REPEATS / 2]))
}

/// [`median_per_unit`] of all of `f`.
fn time_per_unit(mut f: impl FnMut() -> Result<u64>) -> Result<(u64, f64)> {
    median_per_unit(|| {
        let start = Instant::now();
        let n = std::hint::black_box(f()?);
        Ok((n, start.elapsed()))
    })
}

/// In-process timings of the hot paths: number parsing (decimal commas)
/// and formatting, row parsing with validation, the cross-row rules, and
/// the aggregation (frame, averages with polars, ranks). The row and
/// aggregation benchmarks read the cached 10,000-evaluation data set.
pub fn micro(cache: &Path, table: &Path) -> Result<()> {
    use crate::aggregate::{self, Basis, frame::Frame};
    use crate::ingest::{self, ReadOptions};
    use crate::instrument::Instruments;
    use crate::register::Register;
    use crate::validate;

    let mut out = Vec::new();
    let inputs: Vec<String> = (0..1_000_000)
        .map(|i| format!("{},{}", i % 100, i % 10))
        .collect();
    let (units, ns) = time_per_unit(|| {
        let mut sum = 0.0;
        for s in &inputs {
            sum +=
                crate::dialect::parse_number(std::hint::black_box(s), Decimal::Auto).unwrap_or(0.0);
        }
        std::hint::black_box(sum);
        Ok(inputs.len() as u64)
    })?;
    out.push(Micro {
        name: "parse_number (decimal comma)",
        unit: "value",
        units,
        ns,
    });

    let excel = OutputDialect { excel: true };
    let (units, ns) = time_per_unit(|| {
        let mut buf = String::new();
        for i in 0..1_000_000u32 {
            buf.clear();
            excel.push_num(&mut buf, f64::from(i) / 7.0, 4);
            std::hint::black_box(&buf);
        }
        Ok(1_000_000)
    })?;
    out.push(Micro {
        name: "push_num (4 decimals, comma)",
        unit: "value",
        units,
        ns,
    });

    let dir = data_set(cache, 10_000)?;
    let paths = crate::files::discover(std::slice::from_ref(&dir))?;
    let instruments = Instruments::shipped()?;
    let register = Register::load(&dir.join("meta/register.csv"))?;
    let opts = ReadOptions::default();
    let read = || ingest::read_all(&paths, opts, &instruments, &register);
    let (units, ns) = time_per_unit(|| {
        let ing = read()?;
        Ok(ing.files.iter().map(|f| f.rows_read).sum())
    })?;
    out.push(Micro {
        name: "ingest: read, parse, check rows",
        unit: "row",
        units,
        ns,
    });

    let (units, ns) = median_per_unit(|| {
        let ing = read()?;
        let rows = ing.obs.len() as u64;
        let start = Instant::now();
        let v = validate::validate(ing, &instruments, &register, opts.encoding, 2026)?;
        let spent = start.elapsed();
        std::hint::black_box(&v);
        Ok((rows, spent))
    })?;
    out.push(Micro {
        name: "validate: cross-row rules, derived sums",
        unit: "score",
        units,
        ns,
    });
    let data = validate::validate(read()?, &instruments, &register, opts.encoding, 2026)?;
    let (units, ns) = time_per_unit(|| {
        let frame = Frame::build(&data, None, &instruments, &register);
        Ok(frame.points.len() as u64)
    })?;
    out.push(Micro {
        name: "frame: build the analysis table",
        unit: "point",
        units,
        ns,
    });
    let frame = Frame::build(&data, None, &instruments, &register);
    let (units, ns) = time_per_unit(|| {
        let rows = aggregate::averages(&frame, Basis::Latest)?;
        std::hint::black_box(&rows);
        Ok(frame.points.len() as u64)
    })?;
    out.push(Micro {
        name: "averages (polars, 5 groupings)",
        unit: "point",
        units,
        ns,
    });
    let (units, ns) = time_per_unit(|| {
        let rows = crate::benchmark::benchmarks(&frame);
        Ok(rows.len() as u64)
    })?;
    out.push(Micro {
        name: "benchmarks: ranks and percentiles",
        unit: "point",
        units,
        ns,
    });

    let mut stdout = std::io::stdout();
    let _ = writeln!(
        stdout,
        "{:<40} {:>12} {:>8} {:>12}",
        "micro-benchmark", "units", "unit", "ns per unit"
    );
    for m in &out {
        let _ = writeln!(
            stdout,
            "{:<40} {:>12} {:>8} {:>12.1}",
            m.name, m.units, m.unit, m.ns
        );
    }
    let d = OutputDialect::default();
    let dir = table
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut csv = CsvOut::create(
        dir,
        "bench_micro.csv",
        d,
        &["benchmark", "units", "unit", "ns_per_unit"],
    )?;
    for m in &out {
        csv.text(m.name)?;
        csv.int(m.units)?;
        csv.text(m.unit)?;
        csv.num(m.ns, 1)?;
        csv.end()?;
    }
    csv.finish()?;
    Ok(())
}
