//! One page per municipality: its evaluations and charts, a table per area
//! like section 4 of an SKL report, its benchmarks and role models for its
//! weakest areas, one function per section.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::{Index, Inputs, chart, esc, num, page, table_head};
use crate::analysis::frame::Muni;
use crate::analysis::standings::Benchmark;
use crate::reference::instrument::ItemKind;
use crate::render::charts::ChartId;
use crate::render::text::Labels;
use crate::validate::Score;

/// What every section of one municipality's page reads.
struct Page<'p, 'a> {
    inp: &'p Inputs<'a>,
    index: &'p Index<'a>,
    w: Labels,
    muni: &'a Muni,
    /// Its evaluations, in key order (the canonical table is sorted).
    evals: &'p [u32],
}

impl<'a> Page<'_, 'a> {
    /// The canonical scores of evaluation `e`.
    fn scores_of(&self, e: u32) -> &'a [Score] {
        self.index.scores.get(&e).copied().unwrap_or(&[])
    }
}

/// The page of municipality `m`.
pub(super) fn muni_page(inp: &Inputs, index: &Index, m: usize) -> String {
    let muni = &inp.frame.munis[m];
    let evals: &[u32] = index
        .evals
        .get(&(muni.country.as_str(), muni.code.as_str()))
        .map_or(&[], Vec::as_slice);
    let p = Page {
        inp,
        index,
        w: Labels { lang: inp.lang },
        muni,
        evals,
    };
    let mut b = String::new();
    heading(&mut b, &p);
    evaluations(&mut b, &p);
    charts(&mut b, &p);
    area_tables(&mut b, &p);
    // Benchmarks on the latest evaluation per scale.
    let mine: Vec<&Benchmark> = index.benchmarks.get(&m).cloned().unwrap_or_default();
    if !mine.is_empty() {
        benchmarks(&mut b, &p, &mine);
        role_models(&mut b, &p, &mine);
    }
    page(&muni.name, &b, inp.lang)
}

fn heading(b: &mut String, p: &Page) {
    let (muni, w) = (p.muni, &p.w);
    let _ = writeln!(
        b,
        "<p><a href=\"index.html\">← {}</a></p>",
        w.pick("Sammanställning", "Summary")
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
            w.pick("Kommungrupp 2017", "Municipality group 2017"),
            esc(g)
        );
    }
}

/// Its evaluations with their totals.
fn evaluations(b: &mut String, p: &Page) {
    let (inp, w, evals) = (p.inp, &p.w, p.evals);
    let data = inp.data;
    let _ = writeln!(b, "<h2>{}</h2>", w.pick("Utvärderingar", "Evaluations"));
    table_head(
        b,
        &[w.pick("År", "Year"), w.pick("Skala", "Scale")],
        &[w.pick("Totalt", "Total")],
    );
    for &e in evals {
        let key = &data.evals[e as usize].key;
        let scale = inp.instruments.get(key.scale);
        let total = p
            .scores_of(e)
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
}

/// Its profile per year and its rounds, where drawn.
fn charts(b: &mut String, p: &Page) {
    let (inp, muni, evals) = (p.inp, p.muni, p.evals);
    let data = inp.data;
    let years: BTreeSet<u16> = evals
        .iter()
        .map(|&e| data.evals[e as usize].key.year)
        .collect();
    let (country, code) = (muni.country.clone(), muni.code.clone());
    for year in years {
        let id = ChartId::Profile {
            country: country.clone(),
            code: code.clone(),
            year,
        };
        b.push_str(&chart(inp, id, &format!("{} {year}", muni.name)));
    }
    b.push_str(&chart(inp, ChartId::Rounds { country, code }, &muni.name));
}

/// A table per area, like section 4 of an SKL report.
fn area_tables(b: &mut String, p: &Page) {
    let (inp, w, evals) = (p.inp, &p.w, p.evals);
    let data = inp.data;
    for &e in evals {
        let key = &data.evals[e as usize].key;
        let scale = inp.instruments.get(key.scale);
        let scores: BTreeMap<u16, f64> = p.scores_of(e).iter().map(|s| (s.item, s.value)).collect();
        let _ = writeln!(
            b,
            "<h2>{} {} — {}</h2>",
            w.pick("Poängfördelning", "Points"),
            key.year,
            esc(&scale.id)
        );
        for &a in scale.areas() {
            let area = scale.get(a);
            if !scores.contains_key(&a) && area.parts.iter().all(|p| !scores.contains_key(p)) {
                continue;
            }
            let name = &w.item_name(area);
            let _ = writeln!(
                b,
                "<table class=\"area\">\n<tr><th class=\"t\">{}</th><th class=\"t\">{}</th><th>{}</th><th>Max</th><th>{}</th></tr>",
                esc(&area.id),
                esc(name),
                w.pick("Uppnått", "Achieved"),
                w.pick("Procent", "Percent")
            );
            for &q in &area.parts {
                let it = scale.get(q);
                let v = scores.get(&q);
                let _ = writeln!(
                    b,
                    "<tr><td class=\"t\">{}</td><td class=\"t\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&it.id),
                    esc(&w.item_name(it)),
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
}

/// Where it stands on each area and the total.
fn benchmarks(b: &mut String, p: &Page, mine: &[&Benchmark]) {
    let (inp, w) = (p.inp, &p.w);
    let f = inp.frame;
    let _ = writeln!(
        b,
        "<h2>{}</h2>",
        w.pick(
            "Jämförelse med andra kommuner",
            "Compared with other municipalities"
        )
    );
    table_head(
        b,
        &[w.pick("Skala", "Scale"), w.pick("Fråga", "Item")],
        &[
            w.pick("Poäng", "Score"),
            w.pick("Riksmedel", "National mean"),
            w.pick("Skillnad", "Difference"),
            w.pick("Rang", "Rank"),
            w.pick("Percentil", "Percentile"),
        ],
    );
    for x in mine {
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
}

/// Role models for its three weakest areas (lowest percentile) on its
/// latest evaluation of the first native scale it has.
fn role_models(b: &mut String, p: &Page, mine: &[&Benchmark]) {
    let (inp, index, w, muni) = (p.inp, p.index, &p.w, p.muni);
    let f = inp.frame;
    let mut weakest: Vec<&&Benchmark> = mine
        .iter()
        .filter(|x| !f.scales[x.point.scale as usize].is_linked())
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
            w.pick(
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
                esc(&w.item_name(scale.get(x.point.item))),
                models.join(", ")
            );
        }
        b.push_str("</ul>\n");
    }
}
