//! The sections a municipality page leads with: where it stands against the
//! national and the kommungrupp average (the numbers of `benchmarks.csv` and
//! `averages.csv`; its change between rounds: `changes`, its strongest and
//! weakest sub-questions: `strengths`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::muni::{MISSING, Page, sum_note, summed};
use super::{as_shown_to, esc, note, scale_title, score_as_shown, table_head};
use crate::analysis::averages::Grouping;
use crate::analysis::standings::Benchmark;
use crate::linking::interval_half_width;
use crate::reference::instrument::{ItemIx, Scale};
use crate::render::text::Labels;

/// A linked score: value ± the half-width of its 95 % interval (see
/// [`interval_half_width`]), marked with `*` (see [`linked_note`]).
pub(super) fn linked_value(w: &Labels, value: f64, half: Option<f64>) -> String {
    match half {
        Some(h) => format!(
            "<span class=\"linked\">{}&nbsp;±&nbsp;{}*</span>",
            w.num(value),
            w.spread(h)
        ),
        None => format!("<span class=\"linked\">{}*</span>", w.num(value)),
    }
}

/// The footnote every table with linked values carries (`with_interval`:
/// the table shows value ± its linking error), with where the score it
/// was converted from stands: a value's hover title names it, which a
/// touch screen or a screen reader may never show.
pub(super) fn linked_note(b: &mut String, p: &Page, with_interval: bool) {
    // The file in the format it was written in (`linked_scores.parquet`).
    let file = p.inp.format.file("linked_scores");
    let _ = write!(
        b,
        "<p class=\"note\">* {}",
        p.w.pick(
            &format!("Länkat värde: poäng från en annan skala, omräknade med länkningen. Poängen det räknades om från står under <a href=\"#utvarderingar\">Utvärderingar</a>, på sin skala, och i {file}."),
            &format!("Linked value: points from another scale, converted by the link. The score it was converted from is under <a href=\"#utvarderingar\">Evaluations</a>, on its own scale, and in {file}.")
        )
    );
    if with_interval {
        let _ = write!(
            b,
            " {}",
            p.w.pick(
                "± är ett 95 %-intervall för länkningsfelet: standardfelet gånger t-fördelningens 97,5 %-kvantil med länkfelets frihetsgrader (länkens antal par − 1; för en linjär länk färre långt från parens medelvärde, ned till en fjärdedel): 12,7 för 2 par, 2,26 för 10 vid medelvärdet, nära 1,96 för många. Det är länkens fel, inte hur långt kommunens egen poäng på den andra skalan kan ligga från den länkade. Utan ±: länkningsfelet kan inte skattas (ett enda par, eller par utan spridning kring länken).",
                "± is a 95 % interval of the linking error: the standard error times Student's t quantile (97.5 %) with the degrees of freedom of the link's error (its pairs − 1; for a linear link fewer far from the pairs' mean, down to a quarter): 12.7 for 2 pairs, 2.26 for 10 at their mean, near 1.96 for many. It is the error of the link, not how far the municipality's own score on the other scale could be from the linked one. Without ±: the linking error cannot be estimated (a single pair, or pairs without spread around the link)."
            )
        );
    }
    b.push_str("</p>\n");
}

/// Benchmarks grouped by frame scale.
pub(super) fn by_scale<'b>(rows: &[&'b Benchmark]) -> BTreeMap<usize, Vec<&'b Benchmark>> {
    let mut out: BTreeMap<usize, Vec<&Benchmark>> = BTreeMap::new();
    for x in rows {
        out.entry(x.point.scale as usize).or_default().push(x);
    }
    out
}

/// Whether the page's comparison tables have the group columns: a
/// municipality without a 2017 group (every Norwegian and Danish one, a
/// code the register lacks) has none.
fn has_group_columns(p: &Page) -> bool {
    p.muni.group_2017.is_some()
}

fn rank(r: Option<usize>, n: Option<usize>) -> String {
    match (r, n) {
        (Some(r), Some(n)) => format!("{r}&nbsp;/&nbsp;{n}"),
        _ => String::new(),
    }
}

fn pct(w: &Labels, x: Option<f64>) -> String {
    x.map_or(String::new(), |p| w.fixed(p, 0))
}

/// Its latest evaluation on each scale against the national and the
/// kommungrupp average, with rank and percentile in both.
pub(super) fn comparison(b: &mut String, p: &Page, mine: &[&Benchmark]) {
    let (inp, w) = (p.inp, &p.w);
    let _ = writeln!(
        b,
        "<h2 id=\"jamforelse\">{}</h2>",
        w.pick(
            "Jämförelse med andra kommuner",
            "Compared with other municipalities"
        )
    );
    let grouped = has_group_columns(p);
    comparison_notes_above(b, p, grouped);
    let by_scale = by_scale(mine);
    let (mut any_linked, mut missing, mut any_summed) = (false, false, false);
    let mut linked_scale = false;
    for s in p.scales.iter().filter(|s| by_scale.contains_key(s)) {
        let rows = &by_scale[s];
        linked_scale |= inp.analysed.frame.scales[*s].is_linked();
        // The footnote only where a value shown is linked.
        any_linked |= rows.iter().any(|x| x.point.is_linked());
        let scale = inp.analysed.scale_of(*s);
        let _ = writeln!(
            b,
            "<h3>{} — {}</h3>",
            esc(&scale_title(inp, w, *s)),
            rows[0].point.year
        );
        let group_mean = [
            w.pick("Medel kommungrupp", "Group average"),
            w.pick("Skillnad", "Difference"),
        ];
        let group_rank = [
            w.pick("Rang i gruppen", "Rank in group"),
            w.pick("Percentil i gruppen", "Percentile in group"),
        ];
        let some = |cells: [&'static str; 2]| cells.into_iter().filter(|_| grouped);
        let several = inp.analysed.frame.several_countries();
        let average = w.national_average_of(&p.muni.country, several);
        let columns: Vec<&str> = [
            w.pick("Poäng", "Score"),
            average.as_str(),
            w.pick("Skillnad", "Difference"),
        ]
        .into_iter()
        .chain(some(group_mean))
        .chain([
            w.pick("Rang i landet", "Rank in country"),
            w.pick("Percentil", "Percentile"),
        ])
        .chain(some(group_rank))
        .collect();
        table_head(b, &[w.area()], &columns);
        let (gap, summed) = comparison_rows(b, p, scale, rows);
        (missing, any_summed) = (missing | gap, any_summed | summed);
        b.push_str("</table>\n");
    }
    comparison_notes(b, p, [missing, any_linked, linked_scale, any_summed]);
}

/// The notes above the comparison tables: what they compare, and, for
/// a municipality without a group (`grouped` false), why they have no
/// group columns.
fn comparison_notes_above(b: &mut String, p: &Page, grouped: bool) {
    let (inp, w) = (p.inp, &p.w);
    let file = inp.format.file("benchmarks");
    let intro = match grouped {
        true => w.pick(
            &format!("Senaste utvärdering på varje skala. Riksmedel, medel för kommungruppen (SKR 2017), rang och percentil bland kommunernas senaste utvärderingar på skalan i landet respektive gruppen, alla år i underlaget ({file}): inte det medel som publicerades när utvärderingen gjordes. Rang 1 är högst; percentil: andelen av de andra kommunerna med lägre poäng, lika poäng räknade till hälften; för grupper under 5 kommuner anges ingen."),
            &format!("Latest evaluation on each scale. National average, municipality group (SKR 2017) average, rank and percentile among the municipalities' latest evaluations on the scale in the country and in the group, all years in the data ({file}): not the average published when the evaluation was made. Rank 1 is the highest; percentile: the share of the other municipalities scoring lower, ties counted half; none for groups under 5 municipalities.")
        ).to_string(),
        false => w.pick(
            &format!("Senaste utvärdering på varje skala. Riksmedel, rang och percentil bland kommunernas senaste utvärderingar på skalan i landet, alla år i underlaget ({file}): inte det medel som publicerades när utvärderingen gjordes. Rang 1 är högst; percentil: andelen av de andra kommunerna med lägre poäng, lika poäng räknade till hälften."),
            &format!("Latest evaluation on each scale. National average, rank and percentile among the municipalities' latest evaluations on the scale in the country, all years in the data ({file}): not the average published when the evaluation was made. Rank 1 is the highest; percentile: the share of the other municipalities scoring lower, ties counted half.")
        ).to_string(),
    };
    note(b, &intro);
    // A municipality without a group has no group columns: say why (an
    // empty column read as a group too small).
    if !grouped {
        let swedish = crate::reference::country::is_sweden(&p.muni.country);
        let why = match (p.muni.registered, swedish) {
            (false, _) => w.pick(
                "Kommunen finns inte i registret (dess kod i dess land): den har ingen kommungrupp, och tabellerna inga kolumner för gruppen.",
                "The municipality is not in the register (its code in its country): it has no municipality group, and the tables no group columns.",
            ),
            (true, true) => w.pick(
                "Kommunen har ingen kommungrupp i registret: tabellerna har inga kolumner för gruppen.",
                "The municipality has no municipality group in the register: the tables have no group columns.",
            ),
            (true, false) => w.pick(
                "Kommunen har ingen kommungrupp i registret (SKR:s grupper gäller bara svenska kommuner): tabellerna har inga kolumner för gruppen.",
                "The municipality has no municipality group in the register (SKR's groups are for Swedish municipalities only): the tables have no group columns.",
            ),
        };
        note(b, why);
    }
}

/// The notes under the comparison tables, each where it applies: an area
/// without a score, a linked score, a mean on the linked scale, a sum.
fn comparison_notes(b: &mut String, p: &Page, [missing, linked, linked_scale, summed]: [bool; 4]) {
    let w = &p.w;
    if missing {
        // The others' means are shown on the benchmarks' basis only.
        let means = match p.inp.analysed.basis {
            crate::analysis::averages::Basis::Latest => w.pick(
                ", men de andra kommunernas medel",
                ", but the other municipalities' means",
            ),
            crate::analysis::averages::Basis::All => "",
        };
        let _ = writeln!(
            b,
            "<p class=\"note\">{MISSING} {}{means}.</p>",
            w.pick(
                "Området finns inte i utvärderingen eller avvisades vid valideringen (rejects.csv): utan poäng ingen skillnad, rang eller percentil",
                "The area is not in the evaluation or was rejected by validation (rejects.csv): without a score no difference, rank or percentile"
            )
        );
    }
    if linked {
        linked_note(b, p, true);
    }
    if linked_scale {
        linked_mean_note(b, w);
    }
    if summed {
        sum_note(b, p);
    }
}

/// Whether benchmark `x`'s score is a sum of its parts (or linked from
/// one).
fn derived(p: &Page, x: &Benchmark) -> bool {
    let link = x.point.is_linked().then_some(x.point.link);
    p.derived(x.point.year, usize::from(x.point.scale), x.point.item, link)
}

/// The rows of one scale's comparison table: every area once any is in
/// the evaluation, one without a score a row of `–` (as the area tables
/// show it; it was left out), then the total. Returns whether a row is
/// `–`, and whether a score is marked as a sum of its parts.
fn comparison_rows(b: &mut String, p: &Page, scale: &Scale, rows: &[&Benchmark]) -> (bool, bool) {
    let (mut missing, mut summed) = (false, false);
    for (item, x) in with_gaps(scale, rows, |x| x.point.item) {
        match x {
            Some(x) => summed |= comparison_row(b, p, scale, x),
            // The total too (an evaluation of some areas and no total had
            // no total row, where its Evaluations table shows one, `–`).
            None => {
                missing = true;
                comparison_gap_row(b, p, (scale, usize::from(rows[0].point.scale)), item);
            }
        }
    }
    (missing, summed)
}

/// The items of a table of `scale` with its `rows` (`item_of` each):
/// every area once any row is an area's, then the total, each with its
/// row or none (a row of `–`: it was left out); the rows as they are
/// where none is an area's (a total alone).
pub(super) fn with_gaps<'r, R>(
    scale: &Scale,
    rows: &'r [R],
    item_of: impl Fn(&R) -> ItemIx,
) -> Vec<(ItemIx, Option<&'r R>)> {
    let of = |item: ItemIx| rows.iter().find(|r| item_of(r) == item);
    let areas = scale.areas();
    match areas.iter().any(|&a| of(a).is_some()) {
        true => (areas.iter().copied().chain([scale.total()]))
            .map(|item| (item, of(item)))
            .collect(),
        false => rows.iter().map(|r| (item_of(r), Some(r))).collect(),
    }
}

/// The comparison row of `item`, which the evaluation has no score for:
/// `–` as its score, differences, ranks and percentiles, and the means
/// of the other municipalities as the rows with a score have them, where
/// the run's basis is `latest` (as the benchmarks'; under `all` the
/// averages are of every evaluation, and the cells are empty). The row
/// was all empty but its `–`, the national mean there in averages.csv
/// (report audit of the seventy-fifth session).
fn comparison_gap_row(b: &mut String, p: &Page, (scale, s): (&Scale, usize), item: ItemIx) {
    let (inp, w) = (p.inp, &p.w);
    let muni = p.muni;
    let latest = inp.analysed.basis == crate::analysis::averages::Basis::Latest;
    let mean = |grouping: Grouping, group: Option<&str>| {
        let a = group
            .filter(|_| latest)
            .and_then(|g| p.index.averages.get(s, grouping, g, item));
        a.map_or(String::new(), |a| {
            let half = (a.half_interval())
                .filter(|_| inp.analysed.frame.scales[s].is_linked())
                .map_or(String::new(), |h| format!("&nbsp;±&nbsp;{}", w.spread(h)));
            format!("{}{half} <small>(n={})</small>", w.num(a.mean), a.n())
        })
    };
    let national = mean(Grouping::National, Some(muni.country.as_str()));
    let group = match has_group_columns(p) {
        true => format!(
            "<td>{}</td><td>{MISSING}</td>",
            mean(Grouping::Kommungrupp2017, muni.group_2017.as_deref())
        ),
        false => String::new(),
    };
    let places = format!("<td>{MISSING}</td>").repeat(if has_group_columns(p) { 4 } else { 2 });
    let _ = writeln!(
        b,
        "<tr><td class=\"t\">{}</td><td>{MISSING}</td><td>{national}</td><td>{MISSING}</td>{group}{places}</tr>",
        esc(&w.item_label(scale, item))
    );
}

/// A mean of `x`'s row, `mean` of `grouping` (the national or the
/// kommungrupp's); on the linked scale with ± half its 95 % interval
/// (sampling and linking error, as in `averages.csv`; see
/// [`linked_mean_note`]).
fn mean_shown(p: &Page, x: &Benchmark, (grouping, d): (Grouping, usize), mean: f64) -> String {
    let (f, w) = (p.inp.analysed.frame, &p.w);
    let s = usize::from(x.point.scale);
    let muni = &f.munis[x.point.muni as usize];
    let group = match grouping {
        Grouping::Kommungrupp2017 => muni.group_2017.as_deref(),
        _ => Some(muni.country.as_str()),
    };
    let row = (group.filter(|_| f.scales[s].is_linked()))
        .and_then(|g| p.index.averages.get(s, grouping, g, x.point.item));
    match row.and_then(|a| a.half_interval()) {
        Some(half) => format!("{}&nbsp;±&nbsp;{}", w.num_to(mean, d), w.spread(half)),
        None => w.num_to(mean, d),
    }
}

/// Under a comparison on the linked scale: what the national mean's ± is.
fn linked_mean_note(b: &mut String, w: &Labels) {
    note(
        b,
        w.pick(
            "På den länkade skalan är medlens ± halva deras 95 %-intervall: samplingsfelet och länkningsfelet, som i averages.csv (inget när länkningsfelet inte kan skattas, för en enda kommun, och med alla utvärderingar som underlag).",
            "On the linked scale the means' ± is half their 95 % interval: the sampling and the linking error, as in averages.csv (none where the linking error cannot be estimated, for a single municipality, and with every evaluation as the basis)."
        ),
    );
}

/// One row of a comparison table (`x`, on `scale`): the score (a linked
/// one with its interval), the national and group averages and the
/// differences from them, the ranks and percentiles. Returns whether the
/// score is marked as a sum of its parts.
fn comparison_row(b: &mut String, p: &Page, scale: &Scale, x: &Benchmark) -> bool {
    let (inp, w) = (p.inp, &p.w);
    let item = x.point.item;
    let score = if x.point.is_linked() {
        let f = inp.analysed.frame;
        let half = (f.se(&x.point))
            .map(|se| interval_half_width(inp.analysed.linking, se, f.linked_from(&x.point)));
        linked_value(w, x.point.value, half)
    } else {
        w.score(x.point.value)
    };
    // The score as shown (a linked one to one decimal, a native one as
    // the data gives it, up to four), and the means to its decimals where
    // it has more than one (a score kept as given, `62,25`), so that the
    // difference is that of what is shown: 62,25 against a mean of 62,25
    // is 0, not −0,1 from 62,3 (report audit, 2026-12-02); a linked 47,25
    // shown 47,3 against 50,5 is −3,2, not −3,3 (edge-case audit,
    // 2026-12-04).
    let (shown, d) = score_as_shown(x.point.value, x.point.is_linked());
    let d = d.max(1);
    let derived = derived(p, x);
    let score = summed(score, derived);
    let (gmean, gdiff) = match (x.group_mean, x.group_n) {
        (Some(m), Some(n)) => (
            format!(
                "{} <small>(n={n})</small>",
                mean_shown(p, x, (Grouping::Kommungrupp2017, d), m)
            ),
            w.signed_to(shown - as_shown_to(m, d), d),
        ),
        _ => (String::new(), String::new()),
    };
    let cells = |a: String, b: String| match has_group_columns(p) {
        true => format!("<td>{a}</td><td>{b}</td>"),
        false => String::new(),
    };
    let _ = writeln!(
        b,
        "<tr><td class=\"t\">{}</td><td>{score}</td><td>{} <small>(n={})</small></td><td>{}</td>{}<td>{}</td><td>{}</td>{}</tr>",
        esc(&w.item_label(scale, item)),
        mean_shown(p, x, (Grouping::National, d), x.national_mean),
        x.n,
        w.signed_to(shown - as_shown_to(x.national_mean, d), d),
        cells(gmean, gdiff),
        rank(Some(x.rank), Some(x.n)),
        pct(w, x.percentile),
        cells(rank(x.group_rank, x.group_n), pct(w, x.group_percentile)),
    );
    derived
}

/// The decimals of a figure as written (`62,25`: 2; `60`: 0).
pub(super) fn decimals(shown: &str) -> usize {
    shown.rsplit_once([',', '.']).map_or(0, |(_, d)| d.len())
}
