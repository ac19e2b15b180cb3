//! The static HTML report (`report/`): `index.html` with the scales,
//! national profiles, group averages, trend and linking summaries,
//! validation counts and the list of municipalities; a page per kommungrupp;
//! and (with `--report all`) a page per municipality that leads with its
//! comparison, then its charts and a table per area like section 4 of an SKL
//! report.
//!
//! Plain HTML5, one inline style sheet and, on the index and group pages, a
//! small inline script (search and sorting; the list is complete without
//! it); no network: charts are referenced as `../charts/*.png` and data
//! files as `../*.csv`, so the output folder can be copied anywhere.

mod changes;
mod checks;
mod compare;
mod finish;
mod groups;
mod index;
mod list;
mod muni;
mod strengths;

pub(crate) use finish::attribute;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::analysis::averages::Difference;
use crate::analysis::frame::Point;
use crate::analysis::standings::Benchmark;
use crate::analysis::trends::{Trend, TrendSummary};
use crate::error::Result;
use crate::io::write_file;
use crate::render::Analysed;
use crate::render::charts::ChartId;
use crate::render::text::{Labels, Lang};
use crate::validate::{Score, Validated};

/// What the report is built from.
pub struct Inputs<'a> {
    pub data: &'a Validated,
    /// Findings about the published figures (not yet in `data`).
    pub published: &'a [crate::validate::rules::Finding],
    /// The frame, averages, links, instruments and language (shared with
    /// the charts).
    pub analysed: &'a Analysed<'a>,
    pub trends: &'a [TrendSummary],
    /// The Swedish groups' differences from Sweden (`group_differences.csv`).
    pub differences: &'a [Difference],
    /// Area and total benchmarks (the report shows no sub-questions).
    pub benchmarks: &'a [Benchmark],
    /// Each municipality's strongest and weakest sub-questions
    /// ([`crate::analysis::standings::extremes`]).
    pub extremes: &'a [Benchmark],
    /// Changes of areas and totals between consecutive rounds.
    pub changes: &'a [Trend],
    pub role_models: &'a [(usize, Point)],
    /// The charts drawn, with what each shows (see [`chart`]).
    pub charts: &'a BTreeMap<ChartId, String>,
    /// Which pages to write (municipality pages only with `All`).
    pub pages: ReportSet,
    /// The format of the row-level tables (the index links
    /// `evaluations` in it).
    pub format: crate::io::parquet_out::Format,
}

/// A mean as the page shows it (one decimal): a difference is taken from
/// it, so that score (or mean), mean and difference add up as read ("534 |
/// 527,3 | +6,7", not +6,8 from 527,25).
fn as_shown(mean: f64) -> f64 {
    as_shown_to(mean, 1)
}

/// A mean as shown beside a score of `decimals` decimals (`62,25`: the
/// mean to two, `62,25 | 62,25 | 0`, not `62,25 | 62,3 | −0,1`).
fn as_shown_to(mean: f64, decimals: usize) -> f64 {
    crate::stats::round_half_away(mean, decimals)
}

/// A score as the page shows it, and its decimals: a linked one to one
/// decimal, a native one as the data gives it, up to four (the shortest
/// text of the rounded value is the score as written, `Labels::score`
/// without its zeros). Differences are taken from it, so that a row adds
/// up as read.
fn score_as_shown(value: f64, linked: bool) -> (f64, usize) {
    if linked {
        return (as_shown_to(value, 1), 1);
    }
    let shown = as_shown_to(value, 4);
    (shown, compare::decimals(&shown.to_string()))
}

/// Escapes text for HTML (borrowed when there is nothing to escape, as for
/// most names and ids). The invisible controls that turn the direction of
/// text (U+202A–U+202E, U+2066–U+2069) are left out: in a name, a
/// right-to-left override reversed the rest of its heading, "(SE 0116)"
/// shown as "(6110 ES)". A control character (NUL, U+0001, a form feed,
/// U+007F–U+009F; all but tab and line ends; U+FFFE, U+FFFF), which HTML
/// does not allow in text, is U+FFFD, as in the SVG charts. The CSV
/// outputs keep the name as given.
pub fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    let bidi = crate::render::text::is_direction_control;
    let control = crate::render::text::is_not_markup_text;
    // One pass over the text for the common case, nothing to change.
    if !s.contains(|c| matches!(c, '&' | '<' | '>' | '"') || bidi(c) || control(c)) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if bidi(c) => {}
            c if control(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `s` escaped for HTML, its `code` spans (between backticks, as the
/// rules' documentation writes options and values) as `<code>`.
pub fn with_code(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return esc(s).into_owned();
    }
    (parts.iter().enumerate())
        .map(|(i, p)| match i % 2 {
            1 => format!("<code>{}</code>", esc(p)),
            _ => esc(p).into_owned(),
        })
        .collect()
}

/// The pages' style. On a narrow screen a table's first column stays in
/// view as it scrolls sideways: its cells, and the first row's first head
/// (a head spanning two rows leaves the second row's first to another
/// column); in the list of municipalities the name (its third), not the
/// country. There an area table's long words (a question's, an area's
/// name in its head) break where the page's language hyphenates them,
/// anywhere where it cannot: "Verksamhetsutveckling" ran over the next
/// head at 390 px. A sort button's arrow has an empty alternative text
/// (`content: '▲' / ''`), so that a screen reader reads the button's name
/// and its `aria-sort`, not "black up-pointing triangle". `.sr` keeps
/// an area table's caption from the eye, not from a screen reader: in
/// its place, 1 px high and clipped, its margin taking the pixel back (a
/// caption taken out of the flow, `position: absolute`, made Chromium
/// give the narrow screen's fixed-layout area tables five equal columns,
/// the names broken mid-word).
const STYLE: &str = "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:1.5em auto;max-width:1180px;padding:0 1em;color:#222;line-height:1.4}\
h1{margin-bottom:.2em;overflow-wrap:break-word}h2{margin-top:1.8em;border-bottom:2px solid #0072b2;padding-bottom:.15em}h3{margin:1.2em 0 .3em;font-size:1.05em}\
table{border-collapse:collapse;margin:.5em 0 1em;font-size:14px;font-variant-numeric:tabular-nums;display:block;overflow-x:auto;max-width:100%}table.area{display:table}\
td,th{border-bottom:1px solid #ddd;padding:3px 8px;text-align:right;vertical-align:top}td.t,th.t{text-align:left}\
th,tr.sum td{background:#eef3f8;font-weight:600}tr:last-child td{border-bottom:1px solid #999}tr.sum td{border-bottom-color:#ddd}\
td.q{max-width:34em}td.t{max-width:30em;overflow-wrap:break-word}table.area{width:100%;max-width:62em}table.area tr>:first-child{width:3em}table.area tr>:nth-child(n+3){width:5.5em}small{color:#555}.sr{clip-path:inset(50%);height:1px;overflow:hidden;margin-bottom:-1px}.note{color:#555;font-size:13px;max-width:60em}\
.linked{font-style:italic;color:#6a3d00}img{max-width:100%;height:auto;border:1px solid #ddd;margin:.5em 0}\
figure{margin:.5em 0}.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(900px,100%),1fr));gap:0 14px}\
nav{margin:.5em 0 1em}nav a{margin-right:1.2em;display:inline-block}\
#sok{font-size:15px;padding:4px 8px;width:20em;max-width:90%;margin:.3em 0}th button{font:inherit;background:none;border:0;padding:0;cursor:pointer;color:#0050a0}\
th[aria-sort=ascending] button::after{content:' ▲';content:' ▲'/''}th[aria-sort=descending] button::after{content:' ▼';content:' ▼'/''}\
@media (max-width:760px){body{padding:0 .5em}h1{font-size:1.5em}table.area{table-layout:fixed}table.area th,table.area td{padding:3px 4px}table.area td,table.area th:nth-child(2){overflow-wrap:anywhere;-webkit-hyphens:auto;hyphens:auto}table.area th{font-size:13px}table.area tr>:first-child{width:30px}table.area tr>:nth-child(3){width:72px}table.area tr>:nth-child(4){width:40px}table.area tr>:nth-child(5){width:62px}td:first-child{position:sticky;left:0;background:#fff}tr:first-child>th:first-child{position:sticky;left:0}#kommunlista tr>:first-child{position:static}#kommunlista tr>:nth-child(3){position:sticky;left:0}#kommunlista td:nth-child(3){background:#fff}}@media print{nav,p:has(>#sok){display:none}body{max-width:none;margin:0}h2{break-after:avoid}table,img{break-inside:avoid}}";

/// The head of a column of the means' ± (half their 95 % interval), kept
/// on one line.
const INTERVAL_HEAD: &str = "±&nbsp;(95&nbsp;%)";

/// An SKR group's name (Swedish, in either language's report), escaped
/// and marked `lang="sv"`, so that a screen reader reading an English
/// page reads it as Swedish (accessibility audit of the seventy-fifth
/// session). On a Swedish page too, so that both have the same markup.
/// Written where it is formatted (the list has a row per municipality).
fn group_name(name: &str) -> GroupName<'_> {
    GroupName(name)
}

/// [`group_name`]'s text.
struct GroupName<'a>(&'a str);

impl std::fmt::Display for GroupName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<span lang=\"sv\">{}</span>", esc(self.0))
    }
}

/// A note under a table or heading: `<p class="note">text</p>`.
fn note(b: &mut String, text: impl std::fmt::Display) {
    let _ = writeln!(b, "<p class=\"note\">{text}</p>");
}

/// `v` in whole percent of `item`'s maximum, as a page shows it ("93 %").
fn percent(w: &Labels, v: f64, item: &crate::reference::instrument::Item) -> String {
    format!("{}&nbsp;%", w.fixed(item.percent(v), 0))
}

/// A whole page of `body`, titled `title` and the instrument's name
/// (`Östersund — Kommunkompassen`: a browser's tab or bookmark said
/// `Östersund` alone), or the name alone (the index). The body in one
/// `<main>` landmark, which a screen reader jumps to (the page had none:
/// accessibility audit of the seventy-fifth session).
fn page(title: Option<&str>, body: &str, lang: Lang) -> String {
    let code = lang.code();
    let title = match title {
        None => INSTRUMENT.to_string(),
        Some(t) => format!("{t} — {INSTRUMENT}"),
    };
    let body = finish::tables_named(&finish::outputs_linked(body));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        esc(&title)
    )
}

/// The instrument's name, which every page's title ends with.
const INSTRUMENT: &str = "Kommunkompassen";

/// Which report pages to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum ReportSet {
    /// The index, a page per kommungrupp and a page per municipality.
    #[default]
    All,
    /// The index and the kommungrupp pages (no page per municipality).
    Summary,
    None,
}

/// Writes the report; returns the files written.
pub fn write(dir: &Path, inp: &Inputs) -> Result<Vec<PathBuf>> {
    if inp.pages == ReportSet::None {
        return Ok(Vec::new());
    }
    crate::io::create_dir(dir)?;
    let mut files = Vec::new();
    let index = dir.join("index.html");
    let listing = list::Listing::new(inp);
    // The index beside the group pages (which are made on all cores).
    let (index_html, group_pages) = rayon::join(
        || index::index_page(inp, &listing),
        || groups::group_pages(inp, &listing),
    );
    write_file(&index, index_html)?;
    files.push(index);
    for (file, html) in group_pages {
        let path = dir.join(file);
        write_file(&path, html)?;
        files.push(path);
    }
    if inp.pages == ReportSet::Summary {
        return Ok(files);
    }
    let index = Index::new(inp, listing.order);
    // Municipality pages on all cores.
    let pages: Vec<PathBuf> = (inp.analysed.frame.munis.par_iter().enumerate())
        .map(|(m, muni)| {
            let path = dir.join(format!("{}_{}.html", muni.country, muni.code));
            write_file(&path, muni::muni_page(inp, &index, m))?;
            Ok(path)
        })
        .collect::<Result<_>>()?;
    files.extend(pages);
    Ok(files)
}

/// Opens a table with its header row: `left` columns aligned left (text),
/// `right` ones right (numbers).
fn table_head(b: &mut String, left: &[&str], right: &[&str]) {
    table_head_with(b, left, right, &[]);
}

/// [`table_head`] with text columns `after` the number columns too.
fn table_head_with(b: &mut String, left: &[&str], right: &[&str], after: &[&str]) {
    b.push_str("<table>\n<tr>");
    for (h, class) in (left.iter().map(|h| (h, " class=\"t\"")))
        .chain(right.iter().map(|h| (h, "")))
        .chain(after.iter().map(|h| (h, " class=\"t\"")))
    {
        let _ = write!(b, "<th{class}>{h}</th>");
    }
    b.push_str("</tr>\n");
}

/// The image of a chart, if it was drawn (nothing otherwise: the report
/// links only charts that exist), with the chart's own description as its
/// `alt` text.
fn chart(inp: &Inputs, id: ChartId) -> String {
    let Some(alt) = inp.charts.get(&id) else {
        return String::new();
    };
    let (w, h) = id.size();
    // Each chart links to its SVG, which a narrow screen (where the page
    // shrinks the image and its text) can open whole and zoom.
    let stem = id.file_stem();
    format!(
        "<figure><a href=\"../charts/{stem}.svg\"><img src=\"../charts/{stem}.png\" width=\"{w}\" \
         height=\"{h}\" alt=\"{}\"></a></figure>\n",
        esc(alt)
    )
}

/// Charts side by side (two to a row on a wide screen), those drawn.
fn charts(inp: &Inputs, ids: impl Iterator<Item = ChartId>) -> String {
    let figures: String = ids.map(|id| chart(inp, id)).collect();
    if figures.is_empty() {
        return figures;
    }
    format!("<div class=\"charts\">\n{figures}</div>\n")
}

/// The frame's scales in chronological order ([`Instruments::in_time`]),
/// the linked scale last.
///
/// [`Instruments::in_time`]: crate::reference::instrument::Instruments::in_time
fn chronological(inp: &Inputs) -> Vec<usize> {
    let f = inp.analysed.frame;
    let keys: Vec<_> = (f.scales.iter())
        .map(|fs| {
            (
                fs.is_linked(),
                inp.analysed.instruments.in_time(fs.instrument),
            )
        })
        .collect();
    let mut order: Vec<usize> = (0..f.scales.len()).collect();
    order.sort_by_key(|&s| keys[s]);
    order
}

/// A frame scale's name: the instrument's, or for the linked scale what
/// it holds ("Alla poäng länkade till 2010 års skala").
fn scale_title(inp: &Inputs, w: &Labels, s: usize) -> String {
    let fs = &inp.analysed.frame.scales[s];
    let scale = inp.analysed.instruments.get(fs.instrument);
    if fs.is_linked() {
        format!(
            "{} {}",
            w.pick("Poäng länkade till", "Points linked to the"),
            w.scale_short(scale)
        )
    } else {
        w.scale_name(scale).to_string()
    }
}

/// Lookups by municipality, built once for all pages.
struct Index<'a> {
    /// Evaluations per (country, code), by year and, within a year, by
    /// the year each scale came into use.
    evals: BTreeMap<(&'a str, &'a str), Vec<u32>>,
    /// The canonical scores of each evaluation (a contiguous run).
    scores: BTreeMap<u32, &'a [Score]>,
    benchmarks: BTreeMap<usize, Vec<&'a Benchmark>>,
    /// Strongest and weakest sub-questions by municipality.
    extremes: BTreeMap<usize, Vec<&'a Benchmark>>,
    /// Changes of areas and totals by municipality.
    changes: BTreeMap<usize, Vec<&'a Trend>>,
    /// The frame's scales in report order ([`chronological`]).
    scales: Vec<usize>,
    /// Role models by (frame scale, item, country), best first.
    models: BTreeMap<(usize, u16, &'a str), Vec<&'a Point>>,
    /// The average rows, for the interval of a linked national mean.
    averages: crate::analysis::averages::AverageIndex<'a>,
}

impl<'a> Index<'a> {
    /// `scales`: the report order ([`chronological`]).
    fn new(inp: &Inputs<'a>, scales: Vec<usize>) -> Self {
        let data = inp.data;
        let mut evals: BTreeMap<(&str, &str), Vec<u32>> = BTreeMap::new();
        let mut scores = BTreeMap::new();
        for run in data.scores.chunk_by(|a, b| a.eval == b.eval) {
            let key = &data.evals[run[0].eval as usize].key;
            evals
                .entry((key.country.as_str(), key.code.as_str()))
                .or_default()
                .push(run[0].eval);
            scores.insert(run[0].eval, run);
        }
        // A year scored on two scales lists the older scale first.
        for list in evals.values_mut() {
            list.sort_by_key(|&e| {
                let key = &data.evals[e as usize].key;
                (key.year, inp.analysed.instruments.in_time(key.scale))
            });
        }
        let by_muni = |xs: &'a [Benchmark]| {
            let mut out: BTreeMap<usize, Vec<&Benchmark>> = BTreeMap::new();
            for b in xs {
                out.entry(b.point.muni as usize).or_default().push(b);
            }
            out
        };
        let mut changes: BTreeMap<usize, Vec<&Trend>> = BTreeMap::new();
        for t in inp.changes {
            changes.entry(t.muni as usize).or_default().push(t);
        }
        let mut models: BTreeMap<_, Vec<_>> = BTreeMap::new();
        for (_, p) in inp.role_models {
            let country = inp.analysed.frame.munis[p.muni as usize].country.as_str();
            models
                .entry((usize::from(p.scale), p.item, country))
                .or_default()
                .push(p);
        }
        Index {
            evals,
            scores,
            benchmarks: by_muni(inp.benchmarks),
            extremes: by_muni(inp.extremes),
            changes,
            scales,
            models,
            averages: crate::analysis::averages::AverageIndex::new(inp.analysed.averages),
        }
    }
}
