//! One page per municipality, one function per section: it leads with the
//! comparison (see `compare`), then its charts, its evaluations and a table
//! per area like section 4 of an SKL report.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Index, Inputs, changes, compare, esc, note, page, percent, strengths, table_head};
use crate::analysis::frame::Muni;
use crate::reference::instrument::{ItemIx, Scale};
use crate::render::charts::ChartId;
use crate::render::text::{Labels, muni_name};
use crate::validate::{Origin, Score};

/// What every section of one municipality's page reads.
pub(super) struct Page<'p, 'a> {
    pub inp: &'p Inputs<'a>,
    pub index: &'p Index<'a>,
    pub w: Labels,
    pub muni: &'a Muni,
    /// Its index in the frame's municipalities (and its points').
    pub m: u32,
    /// Its evaluations, by year (a year's older scale first).
    evals: &'p [u32],
    /// The frame's scales in the order the report shows them.
    pub scales: &'p [usize],
}

impl<'a> Page<'_, 'a> {
    /// The canonical scores of evaluation `e`.
    fn scores_of(&self, e: u32) -> &'a [Score] {
        self.index.scores.get(&e).copied().unwrap_or(&[])
    }

    /// Whether a score shown on frame scale `scale` for `year` and `item`
    /// is a sum of its parts ([`SUM`]): the source score for one linked by
    /// link `link`, the municipality's own score on that scale otherwise.
    pub(super) fn derived(&self, year: u16, scale: usize, item: ItemIx, link: Option<u16>) -> bool {
        let inp = self.inp;
        let given = match link {
            Some(l) => (inp.analysed.linking)
                .and_then(|k| k.items.get(usize::from(l)))
                .map(|i| (i.from, i.from_item)),
            None => Some((inp.analysed.frame.scales[scale].instrument, item)),
        };
        let Some((on, item)) = given else {
            return false;
        };
        (self.evals.iter())
            .filter(|&&e| {
                let key = &inp.data.evals[e as usize].key;
                key.year == year && key.scale == on
            })
            .flat_map(|&e| self.scores_of(e))
            .any(|s| s.item == item && s.origin == Origin::Derived)
    }
}

/// `shown` with [`SUM`] after it when the score is `derived`.
pub(super) fn summed(shown: String, derived: bool) -> String {
    match derived {
        true => format!("{shown}&nbsp;{SUM}"),
        false => shown,
    }
}

/// The page of municipality `m`.
pub(super) fn muni_page(inp: &Inputs, index: &Index, m: usize) -> String {
    let muni = &inp.analysed.frame.munis[m];
    let evals: &[u32] = index
        .evals
        .get(&(muni.country.as_str(), muni.code.as_str()))
        .map_or(&[], Vec::as_slice);
    let p = Page {
        inp,
        index,
        w: inp.analysed.labels(),
        muni,
        m: u32::try_from(m).unwrap_or(u32::MAX),
        evals,
        scales: &index.scales,
    };
    let w = &p.w;
    // The sections, and the page's table of contents of those written.
    let mut body = String::new();
    let mut nav: Vec<(&str, &str)> = Vec::new();
    if let Some(mine) = index.benchmarks.get(&m) {
        compare::comparison(&mut body, &p, mine);
        nav.push(("jamforelse", w.pick("Jämförelse", "Comparison")));
    }
    if let Some(extremes) = index.extremes.get(&m) {
        strengths::strongest_weakest(&mut body, &p, extremes);
        nav.push((
            "delfragor",
            w.pick("Starkast och svagast", "Strongest and weakest"),
        ));
    }
    changes::changes(
        &mut body,
        &p,
        index.changes.get(&m).map_or(&[], Vec::as_slice),
    );
    nav.push(("forandring", w.pick("Förändring", "Change")));
    if chart_section(&mut body, &p) {
        nav.push(("diagram", w.pick("Diagram", "Charts")));
    }
    evaluations(&mut body, &p);
    nav.push((
        "utvarderingar",
        w.pick("Utvärderingar och poäng", "Evaluations and points"),
    ));
    area_tables(&mut body, &p);
    let mut b = String::new();
    heading(&mut b, &p, &nav);
    b.push_str(&body);
    page(Some(&muni_name(muni)), &b, inp.analysed.lang)
}

fn heading(b: &mut String, p: &Page, nav: &[(&str, &str)]) {
    let (muni, w) = (p.muni, &p.w);
    let _ = writeln!(
        b,
        "<p><a href=\"index.html\">← {}</a></p>",
        w.pick("Sammanställning", "Summary")
    );
    let name = muni_name(muni);
    let _ = match name == muni.name.as_str() {
        true => writeln!(
            b,
            "<h1>{} ({} {})</h1>",
            esc(&name),
            esc(&muni.country),
            esc(&muni.code)
        ),
        // Named by its code alone.
        false => writeln!(b, "<h1>{}</h1>", esc(&name)),
    };
    if let Some(g) = &muni.group_2017 {
        let _ = writeln!(
            b,
            "<p>{}: {}</p>",
            w.pick("Kommungrupp (SKR 2017)", "Municipality group (SKR 2017)"),
            super::group_name(g)
        );
    }
    b.push_str("<nav>");
    for (id, label) in nav {
        let _ = write!(b, "<a href=\"#{id}\">{label}</a>");
    }
    b.push_str("</nav>\n");
}

/// Its evaluations with their totals (`–` for one not in the data).
fn evaluations(b: &mut String, p: &Page) {
    let (inp, w, evals) = (p.inp, &p.w, p.evals);
    let data = inp.data;
    let _ = writeln!(
        b,
        "<h2 id=\"utvarderingar\">{}</h2>",
        w.pick("Utvärderingar", "Evaluations")
    );
    table_head(
        b,
        &[w.pick("År", "Year"), w.pick("Skala", "Scale")],
        &[w.pick("Totalt", "Total")],
    );
    let mut summed = false;
    for &e in evals {
        let key = &data.evals[e as usize].key;
        let scale = inp.analysed.instruments.get(key.scale);
        let total = p.scores_of(e).iter().find(|s| s.item == scale.total());
        summed |= total.is_some_and(|s| s.origin == Origin::Derived);
        let _ = writeln!(
            b,
            "<tr><td class=\"t\">{}</td><td class=\"t\">{}</td><td>{}</td></tr>",
            key.year,
            esc(w.scale_name(scale)),
            score_shown(w, total)
        );
    }
    b.push_str("</table>\n");
    if summed {
        sum_note(b, p);
    }
}

/// A score as its page shows it: `–` when it is not in the data, a sum of
/// its parts (derived) with [`SUM`] after it.
fn score_shown(w: &Labels, s: Option<&Score>) -> String {
    match s {
        None => MISSING.to_string(),
        Some(s) => summed(w.score(s.value), s.origin == Origin::Derived),
    }
}

/// The mark of a score derived from its parts (an area from its
/// sub-questions, a total from its areas), which the data did not give.
const SUM: &str = "Σ";

/// The note under a table with a score marked [`SUM`]
/// (`evaluations.csv` or `.parquet`, as `--format` wrote it).
pub(super) fn sum_note(b: &mut String, p: &Page) {
    let file = p.inp.format.file("evaluations");
    let _ = writeln!(
        b,
        "<p class=\"note\">{SUM} {}</p>",
        p.w.pick(
            &format!("Summan av delarna (delfrågorna, områdena): poängen finns inte i underlaget (origin = derived i {file}); för ett länkat värde gäller det poängen det länkats från."),
            &format!("The sum of its parts (sub-questions, areas): the score is not in the data (origin = derived in {file}); for a linked value, the score it was linked from.")
        )
    );
}

/// Its profile per evaluation and its rounds, where drawn; false (and
/// nothing written) when none was. A year's profile is named by the year
/// alone, or by its scale too where the year has several (the chart plan
/// says which: the charts drawn are looked up under both names).
fn chart_section(b: &mut String, p: &Page) -> bool {
    let (inp, muni, evals) = (p.inp, p.muni, p.evals);
    let data = inp.data;
    let (country, code) = (muni.country.clone(), muni.code.clone());
    let mut profiles: Vec<ChartId> = Vec::new();
    for &e in evals {
        let key = &data.evals[e as usize].key;
        let scale = &inp.analysed.instruments.get(key.scale).id;
        // The name the chart plan gave its profile: by its scale where
        // drawn so, else by the year alone (the target scale's, or the
        // year's only one), so the radars come in the order of the page's
        // evaluations, as its tables list them.
        let named = |scale| ChartId::Profile {
            country: country.clone(),
            code: code.clone(),
            year: key.year,
            scale,
        };
        let by_scale = named(Some(scale.clone()));
        let id = match inp.charts.contains_key(&by_scale) {
            true => by_scale,
            false => named(None),
        };
        if !profiles.contains(&id) {
            profiles.push(id);
        }
    }
    let profiles = profiles.into_iter();
    let rounds = ChartId::Rounds {
        country: country.clone(),
        code: code.clone(),
    };
    let figures = super::charts(inp, profiles.chain(std::iter::once(rounds)));
    if figures.is_empty() {
        return false;
    }
    let _ = writeln!(
        b,
        "<h2 id=\"diagram\">{}</h2>",
        p.w.pick("Diagram", "Charts")
    );
    b.push_str(&figures);
    true
}

/// A table per area, like section 4 of an SKL report.
fn area_tables(b: &mut String, p: &Page) {
    let (inp, w, evals) = (p.inp, &p.w, p.evals);
    let data = inp.data;
    let (mut missing, mut summed, mut tables) = (false, false, false);
    for &e in evals {
        let key = &data.evals[e as usize].key;
        let scale = inp.analysed.instruments.get(key.scale);
        let scores: BTreeMap<u16, &Score> = p.scores_of(e).iter().map(|s| (s.item, s)).collect();
        let _ = writeln!(
            b,
            "<h3>{} {} — {}</h3>",
            w.pick("Poängfördelning", "Points"),
            key.year,
            esc(w.scale_name(scale))
        );
        let shown = |a: &ItemIx| {
            let area = scale.get(*a);
            scores.contains_key(a) || area.parts.iter().any(|p| scores.contains_key(p))
        };
        if !scale.areas().iter().any(shown) {
            let total = scores.get(&scale.total());
            let _ = writeln!(
                b,
                "<p class=\"note\">{} {}.</p>",
                w.pick(
                    "Inga områden i underlaget: totalen",
                    "No areas in the data: the total"
                ),
                total.map_or(MISSING.to_string(), |s| format!(
                    "{} {} {}",
                    score_shown(w, Some(*s)),
                    w.pick("av", "of"),
                    w.num(scale.get(scale.total()).max)
                ))
            );
        }
        // Every area once any is in the data: one not in it (or rejected)
        // is a row of `–`, not left out.
        let any = scale.areas().iter().any(shown);
        for a in scale.areas().iter().filter(|_| any) {
            missing |= area_table(b, w, scale, &scores, (*a, key.year));
            summed |= scores.get(a).is_some_and(|s| s.origin == Origin::Derived);
        }
        tables |= any;
    }
    if tables {
        let percent = w.pick(
            "Procent är uppnått av max för poängen i underlaget.",
            "Percent is the points in the data as a share of the maximum.",
        );
        // SKL's reports are Swedish: a Norwegian or Danish page had the
        // remark about them too (report audit of the seventy-fifth
        // session).
        let skl = match crate::reference::country::is_sweden(&p.muni.country) {
            true => w.pick(
                " SKL:s rapporter räknade procenten på oavrundade poäng, så den kan där skilja sig några procentenheter.",
                " SKL's reports computed it from unrounded points, so theirs can differ by a few percentage points.",
            ),
            false => "",
        };
        note(b, format!("{percent}{skl}"));
    }
    if missing {
        let _ = writeln!(
            b,
            "<p class=\"note\">{MISSING} {}</p>",
            w.pick(
                "Poängen finns inte i underlaget eller avvisades vid valideringen (rejects.csv).",
                "The score is not in the data or was rejected by validation (rejects.csv)."
            )
        );
    }
    if summed {
        sum_note(b, p);
    }
}

/// The table of area `a` of `scale` with the evaluation's (of `year`) `scores`: its
/// sub-questions where any was given (an evaluation may publish areas
/// only), then the area (`–` when it is not in the data either). Returns whether a score in it is missing (marked
/// `–`).
fn area_table(
    b: &mut String,
    w: &Labels,
    scale: &Scale,
    scores: &BTreeMap<ItemIx, &Score>,
    (a, year): (ItemIx, u16),
) -> bool {
    let area = scale.get(a);
    let parts = area.parts.iter().any(|p| scores.contains_key(p));
    // The head row shows the area's number and name over those of its
    // sub-questions, as SKL's reports do; a screen reader reads the
    // columns' names instead (`aria-label`), and the area and year from
    // the caption, which names the table (the head row named the area,
    // not its columns: accessibility audit of the seventy-sixth session).
    let name = w.item_name(area);
    let (id, name) = (esc(&area.id), esc(&name));
    let _ = writeln!(
        b,
        "<table class=\"area\">\n<caption class=\"sr\">{id} {name} — {year}, {}</caption>\n<tr><th class=\"t\" aria-label=\"{}\">{id}</th><th class=\"t\" aria-label=\"{}\">{name}</th><th>{}</th><th>Max</th><th>{}</th></tr>",
        esc(w.scale_name(scale)),
        w.pick("Nr", "No."),
        w.pick("Fråga", "Question"),
        w.pick("Uppnått", "Achieved"),
        w.pick("Procent", "Percent")
    );
    for &q in area.parts.iter().filter(|_| parts) {
        let it = scale.get(q);
        let v = scores.get(&q);
        let _ = writeln!(
            b,
            "<tr><td class=\"t\">{}</td><td class=\"t\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&it.id),
            esc(&w.item_name(it)),
            score_shown(w, v.copied()),
            w.num(it.max),
            v.map_or(MISSING.to_string(), |s| percent(w, s.value, it))
        );
    }
    let v = scores.get(&a);
    if !parts && !area.parts.is_empty() && v.is_some() {
        let _ = writeln!(
            b,
            "<tr><td class=\"t\"></td><td class=\"t note\" colspan=\"4\">{}</td></tr>",
            w.pick(
                "Inga delfrågor i underlaget, bara området.",
                "No sub-questions in the data, only the area."
            )
        );
    }
    // The area's own row: a header of its row, its figures data (they
    // were headers, and its empty first cell one too: HTML audit).
    let _ = writeln!(
        b,
        "<tr class=\"sum\"><td class=\"t\"></td><th class=\"t\" scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>\n</table>",
        w.pick("Området", "The area"),
        score_shown(w, v.copied()),
        w.num(area.max),
        v.map_or(MISSING.to_string(), |s| percent(w, s.value, area))
    );
    (parts && area.parts.iter().any(|p| !scores.contains_key(p))) || v.is_none()
}

/// A score not in the data.
pub(super) const MISSING: &str = "–";
