//! The whole-process benchmark behind `make bench`: generates (and caches)
//! data sets of increasing size with `kompass synth`, runs `kompass run
//! --charts none --report summary` on each as a separate process, and reports
//! wall time, rows per second, peak memory (the child's max RSS from `wait4`,
//! so Unix only) and the time of each stage (from its manifest). Then, on the
//! same input in the same run, the three peer scripts in `benches/peers/`
//! (pandas, python-polars and DuckDB doing read, reject, latest-basis
//! national averages and same-scale trends; they install their packages with
//! pip), with the ratio of each to kompass. Each size is measured `--runs`
//! times (3 by default), kompass and the peers taking turns, so that one
//! slow minute on the machine does not decide a ratio: the table gives the
//! median wall time of each (and kompass's fastest and slowest), the ratios
//! of the medians, and the highest peak memory of the runs. Writes the table
//! to `--table` as CSV too.
//!
//!     cargo bench --bench pipeline -- [--sizes 1000,10000] [--peers pandas,polars,duckdb|none]
//!                                     [--runs N] [--cache DIR] [--table FILE]
//!
//! The in-process micro-benchmarks are in `benches/micro.rs`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use kompass::error::{Error, Result};
use kompass::io::CsvOut;
use kompass::io::dialect::OutputDialect;
use kompass::io::manifest::Manifest;

#[cfg(not(unix))]
fn main() {
    eprintln!("the pipeline benchmark measures peak memory with wait4: Unix only");
}

#[cfg(unix)]
fn main() -> std::process::ExitCode {
    let mut sizes = vec![1_000, 10_000, 100_000, 1_000_000];
    let mut cache = PathBuf::from("target/bench-data");
    // Not in notebooks-out/: a file there that kompass did not write would
    // make it refuse the folder on a fresh clone.
    let mut table = PathBuf::from("target/bench-data/bench.csv");
    let mut peers: Vec<String> = PEERS.iter().map(|p| p.to_string()).collect();
    let mut runs = 3;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--sizes" => {
                let v = args.next().unwrap_or_default();
                match v.split(',').map(str::parse).collect() {
                    Ok(s) => sizes = s,
                    Err(_) => {
                        eprintln!("--sizes: expected numbers separated by commas, got '{v}'");
                        return std::process::ExitCode::from(2);
                    }
                }
            }
            "--peers" => {
                let v = args.next().unwrap_or_default();
                peers = v
                    .split(',')
                    .filter(|p| !p.is_empty() && *p != "none")
                    .map(str::to_string)
                    .collect();
                if let Some(p) = peers.iter().find(|p| !PEERS.contains(&p.as_str())) {
                    eprintln!("--peers: unknown peer '{p}' (known: {})", PEERS.join(", "));
                    return std::process::ExitCode::from(2);
                }
            }
            "--runs" => {
                let v = args.next().unwrap_or_default();
                match v.parse::<usize>() {
                    Ok(r) if r > 0 => runs = r,
                    _ => {
                        eprintln!("--runs: expected a whole number above 0, got '{v}'");
                        return std::process::ExitCode::from(2);
                    }
                }
            }
            "--cache" => cache = args.next().map(PathBuf::from).unwrap_or(cache),
            "--table" => table = args.next().map(PathBuf::from).unwrap_or(table),
            // `cargo bench` passes `--bench`; anything else is cargo's too.
            _ => {}
        }
    }
    match run(&sizes, &peers, runs, &cache, &table) {
        Ok(_) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Seed of the benchmark data sets.
const SEED: &str = "42";

/// The peer scripts (`benches/peers/<name>_peer.py`).
const PEERS: [&str; 3] = ["pandas", "polars", "duckdb"];

/// One size measured `runs` times.
struct Measure {
    evaluations: u64,
    rows: u64,
    mb: f64,
    /// kompass's wall seconds, one per run.
    walls: Vec<f64>,
    /// The highest peak memory of kompass's runs.
    max_rss_mb: f64,
    /// The stage times of kompass's median run.
    stages: Stages,
    /// Each peer's name, wall seconds (one per run) and highest peak MB.
    peers: Vec<(String, Vec<f64>, f64)>,
}

impl Measure {
    /// kompass's median wall time.
    fn wall(&self) -> f64 {
        median(&self.walls)
    }
}

/// The median of `xs` (the mean of the middle two for an even count).
fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// The fastest and the slowest of `xs`.
fn range(xs: &[f64]) -> (f64, f64) {
    xs.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        })
}

/// The release binary cargo built for this benchmark.
fn exe() -> Result<PathBuf> {
    Ok(PathBuf::from(env!("CARGO_BIN_EXE_kompass")))
}

/// Runs a child process to completion; returns (seconds, max RSS in MB).
#[cfg(unix)]
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

#[cfg(unix)]
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

#[cfg(unix)]
fn run(
    sizes: &[u64],
    peers: &[String],
    runs: usize,
    cache: &Path,
    table: &Path,
) -> Result<Vec<Measure>> {
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
        let mut m = Measure {
            evaluations: n,
            rows,
            mb,
            walls: Vec::new(),
            max_rss_mb: 0.0,
            stages: Vec::new(),
            peers: Vec::new(),
        };
        let mut stages = Vec::new();
        for r in 1..=runs {
            eprintln!("bench: run {r} of {runs} on {n} evaluations ({rows} rows, {mb:.0} MB)");
            let (wall, rss, run_stages) = run_kompass(&dir, cache, &trash, n)?;
            m.walls.push(wall);
            m.max_rss_mb = m.max_rss_mb.max(rss);
            stages.push(run_stages);
            for (p, wall, rss) in run_peers(peers, &dir, &trash, n)? {
                match m.peers.iter_mut().find(|x| x.0 == p) {
                    Some(x) => {
                        x.1.push(wall);
                        x.2 = x.2.max(rss);
                    }
                    None => m.peers.push((p, vec![wall], rss)),
                }
            }
        }
        // The stages of the run whose time is the median (the lower middle
        // one for an even count).
        let mut by_time: Vec<usize> = (0..m.walls.len()).collect();
        by_time.sort_by(|&a, &b| m.walls[a].total_cmp(&m.walls[b]));
        if let Some(&mid) = by_time.get((by_time.len().saturating_sub(1)) / 2) {
            m.stages = std::mem::take(&mut stages[mid]);
        }
        out.push(m);
    }
    std::fs::remove_dir_all(&trash).map_err(|e| Error::io(&trash, e))?;
    print_table(&out, runs);
    write_table(&out, table)?;
    Ok(out)
}

/// Each stage's seconds, from a run's manifest.
type Stages = Vec<(String, f64)>;

/// One timed `kompass run` on the data set in `dir`, into `out<n>` in the
/// cache: (wall seconds, peak MB, the stage times from its manifest).
#[cfg(unix)]
fn run_kompass(dir: &Path, cache: &Path, trash: &Path, n: u64) -> Result<(f64, f64, Stages)> {
    let result = cache.join(format!("out{n}"));
    // Untimed: move the previous result aside (it is deleted before the
    // next run's is moved there, after the peers ran, or after the last
    // size) and flush the page cache, so that a run is charged neither for
    // writing back the last one's files (about 14 GB at 1,000,000
    // evaluations) nor for deleting them: ext4 skips inodes deleted in the
    // last 30 s or so when it creates files, which made the report's tens
    // of thousands of pages several times slower.
    let aside = trash.join(format!("out{n}"));
    if aside.exists() {
        std::fs::remove_dir_all(&aside).map_err(|e| Error::io(&aside, e))?;
    }
    if result.exists() {
        std::fs::rename(&result, &aside).map_err(|e| Error::io(&result, e))?;
    }
    // SAFETY: sync() takes no arguments and cannot fail.
    unsafe { libc::sync() };
    let mut cmd = Command::new(exe()?);
    cmd.args(["run", "-i"])
        .arg(dir)
        .args([
            "--charts", "none", "--report", "summary", "--force", "-q", "-o",
        ])
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
    Ok((wall, rss, stages))
}

/// Runs each peer script on the data set in `dir` (output into `trash`);
/// a peer that cannot run (no python3, pip failing) is reported and left out.
#[cfg(unix)]
fn run_peers(
    peers: &[String],
    dir: &Path,
    trash: &Path,
    n: u64,
) -> Result<Vec<(String, f64, f64)>> {
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peers");
    let mut out = Vec::new();
    for p in peers {
        // Untimed: the script's package is installed first if needed.
        let ready = Command::new("python3")
            .current_dir(&scripts)
            .args(["-c", &format!("from common import need; need({p:?})")])
            .status();
        if !ready.is_ok_and(|s| s.success()) {
            eprintln!("bench: peer {p} cannot run (python3 or pip failed): left out");
            continue;
        }
        // SAFETY: sync() takes no arguments and cannot fail.
        unsafe { libc::sync() };
        eprintln!("bench: peer {p} on {n} evaluations");
        let mut cmd = Command::new("python3");
        cmd.arg(scripts.join(format!("{p}_peer.py")))
            .arg(dir)
            .arg(trash.join(format!("{p}{n}")));
        let (wall, rss) = timed(&mut cmd)?;
        out.push((p.clone(), wall, rss));
    }
    Ok(out)
}

fn print_table(rows: &[Measure], runs: usize) {
    println!("median of {runs} run(s) per size, kompass and the peers taking turns");
    println!(
        "{:>12} {:>12} {:>9} {:>9} {:>15} {:>12} {:>10}  stages of the median run (s)",
        "evaluations", "input rows", "input MB", "wall s", "fastest-slowest", "rows/s", "peak MB"
    );
    for m in rows {
        let stages: Vec<String> = m
            .stages
            .iter()
            .map(|(k, v)| format!("{k} {v:.2}"))
            .collect();
        let (lo, hi) = range(&m.walls);
        println!(
            "{:>12} {:>12} {:>9.1} {:>9.2} {:>15} {:>12.0} {:>10.0}  {}",
            m.evaluations,
            m.rows,
            m.mb,
            m.wall(),
            format!("{lo:.2}-{hi:.2}"),
            m.rows as f64 / m.wall(),
            m.max_rss_mb,
            stages.join(", ")
        );
    }
    if rows.iter().any(|m| !m.peers.is_empty()) {
        println!();
        println!(
            "{:>12} {:>10}  peers: median seconds, highest peak MB and (peer time / kompass time)",
            "evaluations", "kompass s"
        );
        for m in rows {
            let peers: Vec<String> = m
                .peers
                .iter()
                .map(|(p, walls, rss)| {
                    let wall = median(walls);
                    format!("{p} {wall:.2} s {rss:.0} MB ({:.2}x)", wall / m.wall())
                })
                .collect();
            println!(
                "{:>12} {:>10.2}  {}",
                m.evaluations,
                m.wall(),
                peers.join(", ")
            );
        }
    }
    if let (Some(a), Some(b)) = (
        rows.iter().find(|m| m.evaluations == 100_000),
        rows.iter().find(|m| m.evaluations == 1_000_000),
    ) {
        println!(
            "time(1,000,000) / time(100,000) = {:.2} (medians)",
            b.wall() / a.wall()
        );
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
            "runs",
            "wall_seconds",
            "wall_min_seconds",
            "wall_max_seconds",
            "rows_per_second",
            "peak_rss_mb",
            "stages",
            "pandas_seconds",
            "pandas_ratio",
            "polars_seconds",
            "polars_ratio",
            "duckdb_seconds",
            "duckdb_ratio",
        ],
    )?;
    for m in rows {
        let stages: Vec<String> = m.stages.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let (lo, hi) = range(&m.walls);
        let mut cells = vec![
            m.evaluations.to_string(),
            m.rows.to_string(),
            d.num(m.mb, 1),
            m.walls.len().to_string(),
            d.num(m.wall(), 3),
            d.num(lo, 3),
            d.num(hi, 3),
            d.num(m.rows as f64 / m.wall(), 0),
            d.num(m.max_rss_mb, 0),
            stages.join(";"),
        ];
        for p in PEERS {
            match m.peers.iter().find(|x| x.0 == p) {
                Some((_, walls, _)) => {
                    let wall = median(walls);
                    cells.push(d.num(wall, 3));
                    cells.push(d.num(wall / m.wall(), 2));
                }
                None => cells.extend([String::new(), String::new()]),
            }
        }
        out.row(cells)?;
    }
    out.finish()?;
    Ok(())
}
