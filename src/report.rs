//! The static HTML report (`report/`): `index.html` with the national
//! profiles, group averages, trend and linking summaries, validation counts
//! and the list of municipalities; one page per municipality with its
//! evaluations, a table per area like section 4 of an SKL report, its
//! charts, benchmarks and role models for its weakest areas.
//!
//! Plain HTML5 and one inline style sheet: no script, no network; charts are
//! referenced as `../charts/*.png` and data files as `../*.csv`, so the
//! output folder can be copied anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::aggregate::frame::{Frame, LINKED};
use crate::aggregate::{Average, Basis};
use crate::benchmark::Benchmark;
use crate::charts::{ChartSet, Lang};
use crate::error::{Error, Result};
use crate::instrument::{Instruments, ItemKind};
use crate::linking::Linking;
use crate::rules::Severity;
use crate::trends::TrendSummary;
use crate::validate::Validated;

/// What the report is built from.
pub struct Inputs<'a> {
    pub data: &'a Validated,
    /// Findings about the published figures (not yet in `data`).
    pub published: &'a [crate::rules::Finding],
    pub frame: &'a Frame,
    pub averages: &'a [Average],
    pub basis: Basis,
    pub trends: &'a [TrendSummary],
    /// Area and total benchmarks (the report shows no sub-questions).
    pub benchmarks: &'a [Benchmark],
    pub role_models: &'a [(usize, crate::aggregate::frame::Point)],
    pub linking: Option<&'a Linking>,
    pub instruments: &'a Instruments,
    pub charts: ChartSet,
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
    crate::dialect::OutputDialect::default().num(x, 1)
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:2em;max-width:1100px;color:#222}\
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}\
td.t,th.t{text-align:left}th{background:#eef}img{max-width:100%;border:1px solid #ddd;margin:.5em 0}\
nav a{margin-right:1em}";

fn page(title: &str, body: &str, lang: Lang) -> String {
    let code = match lang {
        Lang::Sv => "sv",
        Lang::En => "en",
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        esc(title)
    )
}

struct Words(Lang);

impl Words {
    fn t(&self, sv: &'static str, en: &'static str) -> &'static str {
        match self.0 {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }
}

/// Writes the report; returns the files written.
pub fn write(dir: &Path, inp: &Inputs) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut files = Vec::new();
    let index = dir.join("index.html");
    std::fs::write(&index, index_page(inp)).map_err(|e| Error::io(&index, e))?;
    files.push(index);
    let index = Index::new(inp);
    // Municipality pages on all cores.
    let pages = crate::parallel::map(&inp.frame.munis, |m, muni| {
        let path = dir.join(format!("{}_{}.html", muni.country, muni.code));
        std::fs::write(&path, muni_page(inp, &index, m)).map_err(|e| Error::io(&path, e))?;
        Ok(path)
    })?;
    files.extend(pages);
    Ok(files)
}

fn chart(inp: &Inputs, name: &str, alt: &str) -> String {
    if inp.charts == ChartSet::None {
        return String::new();
    }
    format!(
        "<p><img src=\"../charts/{name}.png\" alt=\"{}\"></p>\n",
        esc(alt)
    )
}

fn index_page(inp: &Inputs) -> String {
    let w = Words(inp.lang);
    let f = inp.frame;
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<h1>Kommunkompassen — {}</h1>",
        w.t("sammanställning", "summary")
    );
    let _ = writeln!(
        b,
        "<nav><a href=\"#profil\">{}</a><a href=\"#grupper\">{}</a><a href=\"#trender\">{}</a><a href=\"#lankning\">{}</a><a href=\"#validering\">{}</a><a href=\"#kommuner\">{}</a></nav>",
        w.t("Profiler", "Profiles"),
        w.t("Kommungrupper", "Groups"),
        w.t("Trender", "Trends"),
        w.t("Länkning", "Linking"),
        w.t("Validering", "Validation"),
        w.t("Kommuner", "Municipalities")
    );
    let basis = match (inp.basis, inp.lang) {
        (Basis::Latest, Lang::Sv) => "senaste utvärdering per kommun",
        (Basis::All, Lang::Sv) => "alla utvärderingar",
        (Basis::Latest, Lang::En) => "latest evaluation per municipality",
        (Basis::All, Lang::En) => "all evaluations",
    };
    let _ = writeln!(
        b,
        "<h2 id=\"profil\">{}</h2>\n<p>{}: {basis}.</p>",
        w.t("Nationella profiler", "National profiles"),
        w.t("Underlag", "Basis")
    );
    for (s, fs) in f.scales.iter().enumerate() {
        let scale = inp.instruments.get(fs.instrument);
        let rows: Vec<&Average> = inp
            .averages
            .iter()
            .filter(|a| a.scale == s && a.grouping == "national")
            .collect();
        let countries: BTreeSet<&str> = rows.iter().map(|a| a.group.as_str()).collect();
        if countries.is_empty() {
            continue;
        }
        let _ = writeln!(
            b,
            "<h3>{} {}</h3>\n<table>\n<tr><th class=\"t\">{}</th>",
            w.t("Skala", "Scale"),
            esc(&fs.label),
            w.t("Område", "Area")
        );
        for c in &countries {
            let _ = write!(b, "<th>{c} {}</th><th>n</th>", w.t("medel", "mean"));
        }
        b.push_str("</tr>\n");
        let mut items: Vec<_> = scale.areas().to_vec();
        items.push(scale.total());
        for it in items {
            let name = match inp.lang {
                Lang::Sv => &scale.get(it).name_sv,
                Lang::En => &scale.get(it).name_en,
            };
            let label = if it == scale.total() {
                name.clone()
            } else {
                format!("{} {name}", scale.get(it).id)
            };
            let _ = write!(b, "<tr><td class=\"t\">{}</td>", esc(&label));
            for c in &countries {
                match rows.iter().find(|a| a.group == *c && a.item == it) {
                    Some(a) => {
                        let _ = write!(b, "<td>{}</td><td>{}</td>", num(a.mean), a.n);
                    }
                    None => b.push_str("<td></td><td></td>"),
                }
            }
            b.push_str("</tr>\n");
        }
        b.push_str("</table>\n");
        if fs.label != LINKED {
            for c in &countries {
                b.push_str(&chart(
                    inp,
                    &format!("distribution_{c}_{}", fs.label),
                    &format!("{c} {}", fs.label),
                ));
                if scale.items.iter().any(|i| i.kind == ItemKind::Question) {
                    b.push_str(&chart(
                        inp,
                        &format!("questions_{c}_{}", fs.label),
                        &format!("{c} {}", fs.label),
                    ));
                }
            }
        }
    }
    let _ = writeln!(
        b,
        "<h2 id=\"grupper\">{}</h2>",
        w.t(
            "Kommungrupper (SKR 2017), totalpoäng",
            "Municipality groups (SKR 2017), total"
        )
    );
    b.push_str(&format!("<table>\n<tr><th class=\"t\">{}</th><th class=\"t\">{}</th><th>n</th><th>{}</th><th>sd</th></tr>\n", w.t("Skala", "Scale"), w.t("Grupp", "Group"), w.t("medel", "mean")));
    for a in inp
        .averages
        .iter()
        .filter(|a| a.grouping == "kommungrupp2017")
    {
        let fs = &f.scales[a.scale];
        if inp.instruments.get(fs.instrument).total() != a.item {
            continue;
        }
        let _ = writeln!(
            b,
            "<tr><td class=\"t\">{}</td><td class=\"t\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&fs.label),
            esc(&a.group),
            a.n,
            num(a.mean),
            a.sd.map_or(String::new(), num)
        );
    }
    b.push_str("</table>\n");
    let _ = writeln!(
        b,
        "<h2 id=\"trender\">{}</h2>",
        w.t(
            "Förändring mellan omgångar, totalpoäng",
            "Change between rounds, total"
        )
    );
    let countries: BTreeSet<&str> = f.munis.iter().map(|m| m.country.as_str()).collect();
    for c in &countries {
        b.push_str(&chart(inp, &format!("trend_{c}"), &format!("trend {c}")));
    }
    b.push_str(&format!("<table>\n<tr><th class=\"t\">{}</th><th class=\"t\">{}</th><th>n</th><th>{}</th><th>95 %</th></tr>\n", w.t("Skala", "Scale"), w.t("Steg", "Step"), w.t("medelförändring", "mean change")));
    for t in inp.trends.iter().filter(|t| t.kind == "round") {
        let fs = &f.scales[t.scale];
        if inp.instruments.get(fs.instrument).total() != t.item {
            continue;
        }
        let ci = t.ci.map_or(String::new(), |(lo, hi)| {
            format!("{} – {}", num(lo), num(hi))
        });
        let _ = writeln!(
            b,
            "<tr><td class=\"t\">{}</td><td class=\"t\">{}</td><td>{}</td><td>{}</td><td>{ci}</td></tr>",
            esc(&fs.label),
            esc(&t.step),
            t.n,
            num(t.mean)
        );
    }
    b.push_str("</table>\n");
    let _ = writeln!(
        b,
        "<h2 id=\"lankning\">{}</h2>",
        w.t("Länkning mellan skalor", "Linking between scales")
    );
    match inp.linking {
        Some(l) => {
            let to = inp.instruments.get(l.to);
            b.push_str(&format!("<table>\n<tr><th class=\"t\">{}</th><th class=\"t\">{}</th><th class=\"t\">{}</th><th>{}</th><th>{}</th><th>{}</th><th>LOO MAE</th></tr>\n", w.t("Från", "From"), w.t("Fråga", "Item"), w.t("Metod", "Method"), w.t("par", "pairs"), "slope", "intercept"));
            for i in &l.items {
                let fs = inp.instruments.get(i.from);
                let (sl, ic) = i
                    .fitted
                    .line()
                    .map_or((String::new(), String::new()), |(s, c)| {
                        (format!("{s:.3}"), format!("{c:.2}"))
                    });
                let _ = writeln!(
                    b,
                    "<tr><td class=\"t\">{} → {}</td><td class=\"t\">{}</td><td class=\"t\">{}</td><td>{}</td><td>{sl}</td><td>{ic}</td><td>{}</td></tr>",
                    esc(&fs.id),
                    esc(&to.id),
                    esc(&fs.get(i.from_item).id),
                    i.method.as_str(),
                    i.pairs.len(),
                    i.loo_mae.map_or(String::new(), |v| format!("{v:.2}"))
                );
            }
            b.push_str("</table>\n");
            for (from, why) in &l.unlinked {
                let _ = writeln!(
                    b,
                    "<p><strong>{} {}</strong>: {}</p>",
                    w.t("Ej länkad:", "Not linked:"),
                    esc(&inp.instruments.get(*from).id),
                    esc(why)
                );
            }
            let mut from: Vec<u8> = l.items.iter().map(|i| i.from).collect();
            from.dedup();
            for s in from {
                b.push_str(&chart(
                    inp,
                    &format!("linking_{}_{}", inp.instruments.get(s).id, to.id),
                    "linking",
                ));
            }
        }
        None => b.push_str("<p>-</p>\n"),
    }
    let _ = writeln!(
        b,
        "<h2 id=\"validering\">{}</h2>",
        w.t("Validering", "Validation")
    );
    let mut counts: BTreeMap<(Severity, &str), usize> = BTreeMap::new();
    for x in inp.data.findings.iter().chain(inp.published) {
        *counts
            .entry((x.rule.severity(), x.rule.code()))
            .or_default() += 1;
    }
    let read: u64 = inp.data.files.iter().map(|f| f.rows_read).sum();
    let _ = writeln!(
        b,
        "<p>{} {read}, {} {}. <a href=\"../rejects.csv\">rejects.csv</a> · <a href=\"../validation.csv\">validation.csv</a> · <a href=\"../evaluations.csv\">evaluations.csv</a></p>",
        w.t("Inlästa rader:", "Rows read:"),
        w.t("avvisade:", "rejected:"),
        inp.data.rejected.len()
    );
    b.push_str(
        "<table>\n<tr><th class=\"t\">severity</th><th class=\"t\">rule</th><th>n</th></tr>\n",
    );
    for ((sev, code), n) in counts {
        let _ = writeln!(
            b,
            "<tr><td class=\"t\">{}</td><td class=\"t\">{code}</td><td>{n}</td></tr>",
            sev.as_str()
        );
    }
    b.push_str("</table>\n");
    let _ = writeln!(
        b,
        "<h2 id=\"kommuner\">{}</h2>\n<ul>",
        w.t("Kommuner", "Municipalities")
    );
    let mut order: Vec<usize> = (0..f.munis.len()).collect();
    order.sort_by(|&x, &y| {
        (&f.munis[x].country, &f.munis[x].name, &f.munis[x].code).cmp(&(
            &f.munis[y].country,
            &f.munis[y].name,
            &f.munis[y].code,
        ))
    });
    for m in order {
        let muni = &f.munis[m];
        let _ = writeln!(
            b,
            "<li><a href=\"{}_{}.html\">{} {} {}</a></li>",
            muni.country,
            muni.code,
            muni.country,
            muni.code,
            esc(&muni.name)
        );
    }
    b.push_str("</ul>\n");
    page("Kommunkompassen", &b, inp.lang)
}

/// Lookups by municipality, built once for all pages.
struct Index<'a> {
    /// Evaluations per (country, code), in key order.
    evals: BTreeMap<(&'a str, &'a str), Vec<u32>>,
    /// The canonical scores of each evaluation (a contiguous run).
    scores: BTreeMap<u32, &'a [crate::validate::Score]>,
    benchmarks: BTreeMap<usize, Vec<&'a Benchmark>>,
    /// Role models by (frame scale, item, country), best first.
    models: BTreeMap<(usize, u16, &'a str), Vec<&'a crate::aggregate::frame::Point>>,
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

fn muni_page(inp: &Inputs, index: &Index, m: usize) -> String {
    let w = Words(inp.lang);
    let f = inp.frame;
    let data = inp.data;
    let muni = &f.munis[m];
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<p><a href=\"index.html\">← {}</a></p>",
        w.t("Sammanställning", "Summary")
    );
    let _ = writeln!(
        b,
        "<h1>{} ({} {})</h1>",
        esc(&muni.name),
        muni.country,
        muni.code
    );
    if let Some(g) = &muni.group_2017 {
        let _ = writeln!(
            b,
            "<p>{}: {}</p>",
            w.t("Kommungrupp 2017", "Municipality group 2017"),
            esc(g)
        );
    }
    // Its evaluations, in key order (the canonical table is sorted).
    let evals: &[u32] = index
        .evals
        .get(&(muni.country.as_str(), muni.code.as_str()))
        .map_or(&[], Vec::as_slice);
    let scores_of = |e: u32| index.scores.get(&e).copied().unwrap_or(&[]);
    let _ = writeln!(b, "<h2>{}</h2>", w.t("Utvärderingar", "Evaluations"));
    b.push_str(&format!(
        "<table>\n<tr><th class=\"t\">{}</th><th class=\"t\">{}</th><th>{}</th></tr>\n",
        w.t("År", "Year"),
        w.t("Skala", "Scale"),
        w.t("Totalt", "Total")
    ));
    for &e in evals {
        let key = &data.evals[e as usize].key;
        let scale = inp.instruments.get(key.scale);
        let total = scores_of(e)
            .iter()
            .find(|s| s.item == scale.total())
            .map_or(String::new(), |s| num(s.value));
        let _ = writeln!(
            b,
            "<tr><td class=\"t\">{}</td><td class=\"t\">{}</td><td>{total}</td></tr>",
            key.year,
            esc(&scale.id)
        );
    }
    b.push_str("</table>\n");
    if inp.charts == ChartSet::All {
        let years: BTreeSet<u16> = evals
            .iter()
            .map(|&e| data.evals[e as usize].key.year)
            .collect();
        for y in years {
            b.push_str(&chart(
                inp,
                &format!("profile_{}_{}_{y}", muni.country, muni.code),
                &format!("{} {y}", muni.name),
            ));
        }
        b.push_str(&chart(
            inp,
            &format!("rounds_{}_{}", muni.country, muni.code),
            &muni.name,
        ));
    }
    // A table per area, like section 4 of an SKL report.
    for &e in evals {
        let key = &data.evals[e as usize].key;
        let scale = inp.instruments.get(key.scale);
        let scores: BTreeMap<u16, f64> = scores_of(e).iter().map(|s| (s.item, s.value)).collect();
        let _ = writeln!(
            b,
            "<h2>{} {} — {}</h2>",
            w.t("Poängfördelning", "Points"),
            key.year,
            esc(&scale.id)
        );
        for &a in scale.areas() {
            let area = scale.get(a);
            if !scores.contains_key(&a) && area.parts.iter().all(|p| !scores.contains_key(p)) {
                continue;
            }
            let name = match inp.lang {
                Lang::Sv => &area.name_sv,
                Lang::En => &area.name_en,
            };
            let _ = writeln!(
                b,
                "<table class=\"area\">\n<tr><th class=\"t\">{}</th><th class=\"t\">{}</th><th>{}</th><th>Max</th><th>{}</th></tr>",
                esc(&area.id),
                esc(name),
                w.t("Uppnått", "Achieved"),
                w.t("Procent", "Percent")
            );
            for &q in &area.parts {
                let it = scale.get(q);
                let v = scores.get(&q);
                let _ = writeln!(
                    b,
                    "<tr><td class=\"t\">{}</td><td class=\"t\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&it.id),
                    esc(&it.name_sv),
                    v.map_or(String::new(), |v| num(*v)),
                    num(it.max),
                    v.map_or(String::new(), |v| format!("{:.0}%", 100.0 * v / it.max))
                );
            }
            let v = scores.get(&a);
            let _ = writeln!(
                b,
                "<tr><th class=\"t\"></th><th class=\"t\"></th><th>{}</th><th>{}</th><th>{}</th></tr>\n</table>",
                v.map_or(String::new(), |v| num(*v)),
                num(area.max),
                v.map_or(String::new(), |v| format!("{:.0}%", 100.0 * v / area.max))
            );
        }
    }
    // Benchmarks on the latest evaluation per scale.
    let mine: Vec<&Benchmark> = index.benchmarks.get(&m).cloned().unwrap_or_default();
    if !mine.is_empty() {
        let _ = writeln!(
            b,
            "<h2>{}</h2>",
            w.t(
                "Jämförelse med andra kommuner",
                "Compared with other municipalities"
            )
        );
        b.push_str(&format!(
            "<table>\n<tr><th class=\"t\">{}</th><th class=\"t\">{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
            w.t("Skala", "Scale"),
            w.t("Fråga", "Item"),
            w.t("Poäng", "Score"),
            w.t("Riksmedel", "National mean"),
            w.t("Skillnad", "Difference"),
            w.t("Rang", "Rank"),
            w.t("Percentil", "Percentile")
        ));
        for x in &mine {
            let fs = &f.scales[x.point.scale as usize];
            let scale = inp.instruments.get(fs.instrument);
            let _ = writeln!(
                b,
                "<tr><td class=\"t\">{} {}</td><td class=\"t\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} / {}</td><td>{}</td></tr>",
                esc(&fs.label),
                x.point.year,
                esc(&scale.get(x.point.item).id),
                num(x.point.value),
                num(x.national_mean),
                num(x.point.value - x.national_mean),
                x.rank,
                x.n,
                x.percentile.map_or(String::new(), |p| format!("{p:.0}"))
            );
        }
        b.push_str("</table>\n");
        // Role models for its three weakest areas (lowest percentile) on its
        // latest evaluation of the first native scale it has.
        let mut weakest: Vec<&&Benchmark> = mine
            .iter()
            .filter(|x| f.scales[x.point.scale as usize].label != LINKED)
            .filter(|x| {
                inp.instruments
                    .get(f.scales[x.point.scale as usize].instrument)
                    .get(x.point.item)
                    .kind
                    == ItemKind::Area
            })
            .filter(|x| x.percentile.is_some())
            .collect();
        weakest.sort_by(|x, y| {
            x.percentile
                .unwrap_or(0.0)
                .total_cmp(&y.percentile.unwrap_or(0.0))
                .then(x.point.item.cmp(&y.point.item))
        });
        if !weakest.is_empty() {
            let _ = writeln!(
                b,
                "<h2>{}</h2>\n<ul>",
                w.t(
                    "Goda exempel för de svagaste områdena",
                    "Role models for the weakest areas"
                )
            );
            for x in weakest.iter().take(3) {
                let fs = &f.scales[x.point.scale as usize];
                let scale = inp.instruments.get(fs.instrument);
                let models: Vec<String> = index
                    .models
                    .get(&(
                        usize::from(x.point.scale),
                        x.point.item,
                        muni.country.as_str(),
                    ))
                    .map_or(&[][..], Vec::as_slice)
                    .iter()
                    .map(|p| {
                        let r = &f.munis[p.muni as usize];
                        format!(
                            "<a href=\"{}_{}.html\">{}</a> {} ({})",
                            r.country,
                            r.code,
                            esc(&r.name),
                            p.year,
                            num(p.value)
                        )
                    })
                    .collect();
                let _ = writeln!(
                    b,
                    "<li>{} {} ({}): {}</li>",
                    esc(&fs.label),
                    esc(&inp.instruments.get(fs.instrument).get(x.point.item).id),
                    esc(&scale.get(x.point.item).name_sv),
                    models.join(", ")
                );
            }
            b.push_str("</ul>\n");
        }
    }
    page(&muni.name, &b, inp.lang)
}
