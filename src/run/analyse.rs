//! The analysis stages of a run, once the analysis frame is built: the
//! trends on a thread of their own beside the averages and then the
//! benchmarks, then the charts and the report that draw on all three.

use crate::analysis::averages::{self, Average, Difference};
use crate::analysis::frame::{Frame, Point};
use crate::analysis::standings::{self, Benchmark};
use crate::analysis::trends::{self, Trend, TrendSummary};
use crate::analysis::year_totals;
use crate::error::{Error, Result};
use crate::io::Written;
use crate::linking::Linking;
use crate::reference::instrument::Instruments;
use crate::render::report;
use crate::render::{Analysed, charts};
use crate::run::pipeline::{Settings, StageTime, Timed, joined, timed};
use crate::validate::Validated;
use crate::validate::rules::Finding;

/// Averages, benchmarks and trends, then the charts and the report; the
/// files written (analysis first, in the order of the stages before they
/// were reordered) and the stage times.
pub(super) fn analyse(
    settings: &Settings,
    frame: &Frame,
    data: &Validated,
    published: &[Finding],
    linking: Option<&Linking>,
    instruments: &Instruments,
) -> Result<(Vec<Written>, Vec<StageTime>)> {
    let dir = &settings.out;
    let v = settings.control.verbose;
    // Municipality pages show areas too; the index only totals.
    let pages = settings.report == report::ReportSet::All;
    // The trends stream one municipality at a time on a thread of their
    // own, beside the averages and then the benchmarks (which use both
    // cores inside). Averages and benchmarks run one after the other, each
    // freeing its row-level tables once written: side by side they held
    // them all at once (at 1,000,000 evaluations several GB).
    let (ranked, trends) = std::thread::scope(|s| {
        let trends = s.spawn(|| trends_stage(settings, frame, linking, instruments, pages));
        let ranked = averages_and_benchmarks(settings, frame, linking, instruments, pages);
        (ranked, joined(trends))
    });
    let ranked = ranked?;
    let (trends, t_trends) = trends?;
    let (summary, changes, years) = (trends.summary, trends.changes, trends.years);
    let mut written = ranked.averages_written;
    written.extend(trends.written);
    written.extend(ranked.benchmarks_written);
    let analysed = Analysed {
        frame,
        averages: &ranked.averages,
        basis: settings.basis,
        linking,
        instruments,
        lang: settings.lang,
    };
    let (drawn, t_charts) = timed(v, "charts", || {
        let inputs = charts::plan::Inputs {
            analysed: &analysed,
            year_totals: &years,
        };
        charts::plan::draw(&dir.join("charts"), settings.charts, &inputs)
    })?;
    let (pages, t_report) = timed(v, "report", || {
        report::write(
            &dir.join("report"),
            &report::Inputs {
                data,
                published,
                analysed: &analysed,
                trends: &summary,
                differences: &ranked.differences,
                benchmarks: &ranked.benchmarks,
                extremes: &ranked.extremes,
                changes: &changes,
                role_models: &ranked.role_models,
                charts: &drawn.described,
                pages: settings.report,
                format: settings.output.rows,
            },
        )
    })?;
    written.extend(drawn.files.into_iter().chain(pages).map(|path| Written {
        path,
        rows: 0,
        unmappable: 0,
        blake3: None,
    }));
    let [t_averages, t_bench] = ranked.times;
    Ok((
        written,
        vec![t_averages, t_trends, t_bench, t_charts, t_report],
    ))
}

/// What the averages and benchmark stages keep for the charts and the
/// report, and what they wrote.
struct Ranked {
    averages: Vec<Average>,
    /// The Swedish groups' differences from Sweden.
    differences: Vec<Difference>,
    /// Areas and totals (the municipality pages also want their areas).
    benchmarks: Vec<Benchmark>,
    /// Each municipality's strongest and weakest sub-questions (only for
    /// the municipality pages).
    extremes: Vec<Benchmark>,
    role_models: Vec<(usize, Point)>,
    averages_written: Vec<Written>,
    benchmarks_written: Vec<Written>,
    /// The averages' time, then the benchmarks'.
    times: [StageTime; 2],
}

/// The averages, then the benchmarks, each written and its row-level
/// tables freed.
fn averages_and_benchmarks(
    settings: &Settings,
    frame: &Frame,
    linking: Option<&Linking>,
    instruments: &Instruments,
    pages: bool,
) -> Result<Ranked> {
    let (dir, dialect) = (&settings.out, settings.output);
    let v = settings.control.verbose;
    let ((averages, differences, averages_written), t_averages) = timed(v, "averages", || {
        let basis = settings.basis;
        let (averages, differences) = averages::summarise_with_differences(frame, basis, linking)?;
        let written = averages::write(
            (dir, dialect),
            (&averages, &differences),
            frame,
            basis,
            instruments,
        )?;
        Ok((averages, differences, Vec::from(written)))
    })?;
    let ((benchmarks, extremes, role_models, benchmarks_written), t_bench) =
        timed(v, "benchmarks", || {
            let bench = standings::benchmarks(frame)?;
            let models = standings::role_models(frame, &bench, instruments);
            let written = standings::write(dir, dialect, frame, &bench, &models, instruments)?;
            // The report shows areas and totals and, on the municipality
            // pages, each one's strongest and weakest sub-questions: the
            // rest is freed.
            let extremes = match settings.report {
                report::ReportSet::All => standings::extremes(&bench, frame, instruments),
                _ => Vec::new(),
            };
            let bench = bench.areas_and_totals(frame, instruments, pages);
            Ok((bench, extremes, models, written))
        })?;
    Ok(Ranked {
        averages,
        differences,
        benchmarks,
        extremes,
        role_models,
        averages_written,
        benchmarks_written,
        times: [t_averages, t_bench],
    })
}

/// What the trends stage keeps for the charts and the report, and what it
/// wrote.
struct Trends<'f> {
    summary: Vec<TrendSummary>,
    /// The changes the report shows.
    changes: Vec<Trend>,
    /// The mean total per evaluation year (the trend charts).
    years: year_totals::ByCountry<'f>,
    written: Vec<Written>,
}

/// The changes between rounds, streamed into `trends.csv` (only their
/// summary keys and the ones the report shows are kept), their summary,
/// and the mean total per evaluation year.
fn trends_stage<'f>(
    settings: &Settings,
    frame: &'f Frame,
    linking: Option<&Linking>,
    instruments: &Instruments,
    pages: bool,
) -> Timed<Trends<'f>> {
    let (dir, dialect) = (&settings.out, settings.output);
    timed(settings.control.verbose, "trends", || {
        let mut rows = trends::TrendRows::create(dir, dialect)?;
        let mut steps = trends::Steps::new(frame);
        let mut changes = Vec::new();
        let mut last = None;
        trends::for_each(frame, |t| {
            let key = (t.muni, t.from_year, t.scale, t.item);
            if last.is_some_and(|l| l >= key) {
                return Err(Error::Internal("changes out of order".into()));
            }
            last = Some(key);
            rows.row(frame, &t, instruments)?;
            steps.add(&t);
            if trends::shown(&t, frame, instruments, pages) {
                changes.push(t);
            }
            Ok(())
        })?;
        let rows = rows.finish()?;
        let summary = trends::summarise_steps(frame, steps, linking)?;
        let table = trends::summary_csv(dir, dialect, frame, &summary, instruments)?;
        let years = year_totals::year_totals(frame, instruments);
        let by_year = year_totals::write(dir, dialect, frame, &years)?;
        Ok(Trends {
            summary,
            changes,
            years,
            written: vec![rows, table, by_year],
        })
    })
}
