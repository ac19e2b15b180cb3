//! The static HTML report (`report/`): `index.html` with the national
//! profiles, group averages, trend and linking summaries, validation counts
//! and the list of municipalities; one page per municipality with its
//! evaluations, a table per area like section 4 of an SKL report, its
//! charts, benchmarks and role models for its weakest areas.
//!
//! Plain HTML5 and one inline style sheet: no script, no network; charts are
//! referenced as `../charts/*.png` and data files as `../*.csv`, so the
//! output folder can be copied anywhere.

mod index;
mod muni;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::analysis::averages::{Average, Basis};
use crate::analysis::frame::{Frame, Point};
use crate::analysis::standings::Benchmark;
use crate::analysis::trends::TrendSummary;
use crate::error::Result;
use crate::io::write_file;
use crate::linking::Linking;
use crate::reference::instrument::Instruments;
use crate::render::charts::ChartId;
use crate::render::text::Lang;
use crate::validate::{Score, Validated};

/// What the report is built from.
pub struct Inputs<'a> {
    pub data: &'a Validated,
    /// Findings about the published figures (not yet in `data`).
    pub published: &'a [crate::validate::rules::Finding],
    pub frame: &'a Frame,
    pub averages: &'a [Average],
    pub basis: Basis,
    pub trends: &'a [TrendSummary],
    /// Area and total benchmarks (the report shows no sub-questions).
    pub benchmarks: &'a [Benchmark],
    pub role_models: &'a [(usize, Point)],
    pub linking: Option<&'a Linking>,
    pub instruments: &'a Instruments,
    /// The charts drawn (see [`chart`]).
    pub charts: &'a BTreeSet<ChartId>,
    pub lang: Lang,
}

/// Escapes text for HTML (borrowed when there is nothing to escape, as for
/// most names and ids).
pub fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"']) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;"),
    )
}

fn num(x: f64) -> String {
    crate::io::dialect::OutputDialect::default().num(x, 1)
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:2em;max-width:1100px;color:#222}\
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}\
td.t,th.t{text-align:left}th{background:#eef}img{max-width:100%;border:1px solid #ddd;margin:.5em 0}\
nav a{margin-right:1em}";

fn page(title: &str, body: &str, lang: Lang) -> String {
    let code = lang.code();
    format!(
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        esc(title)
    )
}

/// Writes the report; returns the files written.
pub fn write(dir: &Path, inp: &Inputs) -> Result<Vec<PathBuf>> {
    crate::io::create_dir(dir)?;
    let mut files = Vec::new();
    let index = dir.join("index.html");
    write_file(&index, index::index_page(inp))?;
    files.push(index);
    let index = Index::new(inp);
    // Municipality pages on all cores.
    let pages: Vec<PathBuf> = (inp.frame.munis.par_iter().enumerate())
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
    b.push_str("<table>\n<tr>");
    for h in left {
        b.push_str("<th class=\"t\">");
        b.push_str(h);
        b.push_str("</th>");
    }
    for h in right {
        b.push_str("<th>");
        b.push_str(h);
        b.push_str("</th>");
    }
    b.push_str("</tr>\n");
}

/// The image of a chart, if it was drawn (nothing otherwise: the report
/// links only charts that exist).
fn chart(inp: &Inputs, id: ChartId, alt: &str) -> String {
    if !inp.charts.contains(&id) {
        return String::new();
    }
    format!(
        "<p><img src=\"../charts/{}.png\" alt=\"{}\"></p>\n",
        id.file_stem(),
        esc(alt)
    )
}

/// Lookups by municipality, built once for all pages.
struct Index<'a> {
    /// Evaluations per (country, code), in key order.
    evals: BTreeMap<(&'a str, &'a str), Vec<u32>>,
    /// The canonical scores of each evaluation (a contiguous run).
    scores: BTreeMap<u32, &'a [Score]>,
    benchmarks: BTreeMap<usize, Vec<&'a Benchmark>>,
    /// Role models by (frame scale, item, country), best first.
    models: BTreeMap<(usize, u16, &'a str), Vec<&'a Point>>,
}

impl<'a> Index<'a> {
    fn new(inp: &Inputs<'a>) -> Self {
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
        let mut benchmarks: BTreeMap<usize, Vec<&Benchmark>> = BTreeMap::new();
        for b in inp.benchmarks {
            benchmarks.entry(b.point.muni as usize).or_default().push(b);
        }
        let mut models: BTreeMap<_, Vec<_>> = BTreeMap::new();
        for (_, p) in inp.role_models {
            let country = inp.frame.munis[p.muni as usize].country.as_str();
            models
                .entry((usize::from(p.scale), p.item, country))
                .or_default()
                .push(p);
        }
        Index {
            evals,
            scores,
            benchmarks,
            models,
        }
    }
}
