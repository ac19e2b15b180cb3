//! The report's `index.html`: national profiles, group averages, trend and
//! linking summaries, validation counts and the list of municipalities, one
//! function per section (the linking and validation ones in `checks`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::list::Listing;
use super::{INTERVAL_HEAD, Inputs, chart, charts, esc, note, page, scale_title, table_head};
use crate::analysis::averages::{Average, AverageIndex, Grouping};
use crate::analysis::frame::labels::natural;
use crate::analysis::trends::{StepKind, TrendSummary};
use crate::render::charts::ChartId;
use crate::render::text::Labels;

/// The whole page.
pub(super) fn index_page(inp: &Inputs, listing: &Listing) -> String {
    let w = inp.analysed.labels();
    let order = &listing.order;
    let mut b = String::new();
    heading(&mut b, &w);
    scales(&mut b, inp, &w, order);
    profiles(&mut b, inp, &w, order);
    groups(&mut b, inp, &w, listing);
    trends(&mut b, inp, &w, order);
    super::checks::linking(&mut b, inp, &w);
    super::checks::validation(&mut b, inp, &w);
    super::list::municipalities(&mut b, inp, &w, listing, None);
    page(None, &b, inp.analysed.lang)
}

fn heading(b: &mut String, w: &Labels) {
    let _ = writeln!(
        b,
        "<h1>Kommunkompassen — {}</h1>",
        w.pick("sammanställning", "summary")
    );
    let _ = writeln!(
        b,
        "<nav><a href=\"#skalor\">{}</a><a href=\"#profil\">{}</a><a href=\"#grupper\">{}</a><a href=\"#trender\">{}</a><a href=\"#lankning\">{}</a><a href=\"#validering\">{}</a><a href=\"#kommuner\">{}</a></nav>",
        w.pick("Skalor", "Scales"),
        w.pick("Profiler", "Profiles"),
        w.pick("Kommungrupper", "Groups"),
        w.pick("Trender", "Trends"),
        w.pick("Länkning", "Linking"),
        w.pick("Validering", "Validation"),
        w.pick("Kommuner", "Municipalities")
    );
}

/// The instrument versions in the data, oldest first: evaluations and
/// municipalities on each.
fn scales(b: &mut String, inp: &Inputs, w: &Labels, order: &[usize]) {
    let f = inp.analysed.frame;
    let _ = writeln!(b, "<h2 id=\"skalor\">{}</h2>", w.pick("Skalor", "Scales"));
    // Per instrument: evaluations, and the municipalities (country, code).
    // (A hash set: at 1,000,000 evaluations a BTreeSet took 0.4 s.)
    type Count<'a> = (u64, foldhash::HashSet<(&'a str, &'a str)>);
    let mut evals: BTreeMap<u8, Count> = BTreeMap::new();
    for e in &inp.data.evals {
        let x = evals.entry(e.key.scale).or_default();
        x.0 += 1;
        x.1.insert((e.key.country.as_str(), e.key.code.as_str()));
    }
    table_head(
        b,
        &[w.pick("Skala", "Scale"), "id"],
        &[
            w.pick("I bruk från", "In use from"),
            w.pick("Utvärderingar", "Evaluations"),
            w.pick("Kommuner", "Municipalities"),
        ],
    );
    for &s in order.iter().filter(|&&s| !f.scales[s].is_linked()) {
        let fs = &f.scales[s];
        let scale = inp.analysed.instruments.get(fs.instrument);
        let (n, munis) = evals
            .get(&fs.instrument)
            .map_or((0, 0), |(n, m)| (*n, m.len()));
        let _ = writeln!(
            b,
            "<tr><td class=\"t\">{}</td><td class=\"t\">{}</td><td>{}</td><td>{n}</td><td>{munis}</td></tr>",
            esc(w.scale_name(scale)),
            esc(&fs.label),
            scale.in_use_from.map_or(String::new(), |y| y.to_string())
        );
    }
    b.push_str("</table>\n");
}

/// The national profiles per scale and country, with their charts.
fn profiles(b: &mut String, inp: &Inputs, w: &Labels, order: &[usize]) {
    let f = inp.analysed.frame;
    let basis = w.basis_long(inp.analysed.basis);
    let _ = writeln!(
        b,
        "<h2 id=\"profil\">{}</h2>\n<p>{}: {basis}.</p>",
        w.pick("Nationella profiler", "National profiles"),
        w.pick("Underlag", "Basis")
    );
    let index = AverageIndex::new(inp.analysed.averages);
    for &s in order {
        let fs = &f.scales[s];
        let scale = inp.analysed.instruments.get(fs.instrument);
        let rows: Vec<&Average> = inp
            .analysed
            .averages
            .iter()
            .filter(|a| a.scale == s && a.grouping == Grouping::National)
            .collect();
        let countries: BTreeSet<&str> = rows.iter().map(|a| a.group.as_str()).collect();
        if countries.is_empty() {
            continue;
        }
        let _ = writeln!(
            b,
            "<h3>{}</h3>\n<table>\n<tr><th class=\"t\">{}</th>",
            esc(&scale_title(inp, w, s)),
            w.pick("Område", "Area")
        );
        let half = inp.analysed.basis.has_intervals(Grouping::National);
        for c in &countries {
            let _ = write!(b, "<th>{c} {}</th>", w.pick("medel", "mean"));
            if half {
                let _ = write!(b, "<th>{INTERVAL_HEAD}</th>");
            }
            let _ = write!(b, "<th>{c} sd</th><th>n</th>");
        }
        b.push_str("</tr>\n");
        let mut items: Vec<_> = scale.areas().to_vec();
        items.push(scale.total());
        for it in items {
            let label = w.item_label(scale, it);
            let _ = write!(b, "<tr><td class=\"t\">{}</td>", esc(&label));
            for c in &countries {
                mean_sd_n(b, w, index.national(s, c, it), half);
            }
            b.push_str("</tr>\n");
        }
        b.push_str("</table>\n");
        if half {
            mean_interval_note(b, w, fs.is_linked());
        }
        if !fs.is_linked() {
            let ids = |kind: fn(String, String) -> ChartId| {
                countries
                    .iter()
                    .map(move |c| kind(c.to_string(), fs.label.clone()))
            };
            b.push_str(&charts(
                inp,
                ids(|country, scale| ChartId::Distribution { country, scale }),
            ));
            // One to a row, at full size: two to a row, the question ids
            // under their bars were about 5 px high.
            let questions = ids(|country, scale| ChartId::Questions { country, scale });
            b.push_str(&questions.map(|id| chart(inp, id)).collect::<String>());
        }
    }
}

/// Four cells: an average's mean, the mean's ± (half its 95 % interval:
/// the sampling error, and on the linked scale the linking error too), SD
/// and n; empty without one. Without the ± (`half` false: with every
/// evaluation as the basis, where no mean has one) three.
fn mean_sd_n(b: &mut String, w: &Labels, a: Option<&Average>, half: bool) {
    let cells = match a {
        Some(a) => [
            w.num(a.mean),
            a.half_interval().map_or(String::new(), |h| w.spread(h)),
            a.errors.sd.map_or(String::new(), |sd| w.spread(sd)),
            a.n().to_string(),
        ],
        None => Default::default(),
    };
    for (k, cell) in cells.iter().enumerate() {
        if half || k != 1 {
            let _ = write!(b, "<td>{cell}</td>");
        }
    }
}

/// What the ± of the means is, under their table: with the linking error
/// where the table has the linked scale (`linked`).
fn mean_interval_note(b: &mut String, w: &Labels, linked: bool) {
    let text = match linked {
        true => w.pick(
            "± är halva 95 %-intervallet för medlet: på den länkade skalan samplingsfelet och länkningsfelet, annars samplingsfelet (standardfelet sd / √n gånger t-fördelningens 97,5 %-kvantil), som i averages.csv. Med få kommuner är det brett (med två ofta bredare än skalan själv), och en skillnad inom det säger lite. Tomt för en enda kommun eller lika poäng (sd 0) och när länkningsfelet inte kan skattas.",
            "± is half the 95 % interval of the mean: on the linked scale the sampling and the linking error, otherwise the sampling error (the standard error sd / √n times Student's t quantile, 97.5 %), as in averages.csv. With few municipalities it is wide (with two often wider than the scale itself), and a difference within it says little. Empty for a single municipality or equal scores (sd 0), and where the linking error cannot be estimated.",
        ),
        false => w.pick(
            "± är halva 95 %-intervallet för medlet, samplingsfelet: standardfelet (sd / √n) gånger t-fördelningens 97,5 %-kvantil, som i averages.csv. Med få kommuner är det brett (med två ofta bredare än skalan själv), och en skillnad inom det säger lite. Tomt för en enda kommun eller lika poäng (sd 0).",
            "± is half the 95 % interval of the mean, the sampling error: the standard error (sd / √n) times Student's t quantile (97.5 %), as in averages.csv. With few municipalities it is wide (with two often wider than the scale itself), and a difference within it says little. Empty for a single municipality or equal scores (sd 0).",
        ),
    };
    note(b, text);
}

/// The total per 2017 municipality group.
fn groups(b: &mut String, inp: &Inputs, w: &Labels, listing: &Listing) {
    let order = &listing.order;
    let f = inp.analysed.frame;
    let _ = writeln!(
        b,
        "<h2 id=\"grupper\">{}</h2>\n<p class=\"note\">{}: {}. averages.csv {}.</p>",
        w.pick(
            "Kommungrupper (SKR 2017), totalpoäng",
            "Municipality groups (SKR 2017), total"
        ),
        w.pick("Underlag", "Basis"),
        w.basis_long(inp.analysed.basis),
        w.pick(
            "har alla områden och grupperingar",
            "has every area and grouping"
        )
    );
    let of_groups =
        || (inp.analysed.averages.iter()).filter(|a| a.grouping == Grouping::Kommungrupp2017);
    let totals: BTreeMap<(&str, usize), &Average> = of_groups()
        .filter(|a| inp.analysed.scale_of(a.scale).total() == a.item)
        .map(|a| ((a.group.as_str(), a.scale), a))
        .collect();
    // Every group with an average, each linked to its page, on every scale
    // with one; the total's cells empty where a group has none (its
    // evaluations all without a total), as the national profiles' are.
    let with_any: BTreeSet<(&str, usize)> =
        of_groups().map(|a| (a.group.as_str(), a.scale)).collect();
    let scales: Vec<usize> = (order.iter().copied())
        .filter(|s| with_any.iter().any(|k| k.1 == *s))
        .collect();
    if scales.is_empty() {
        return;
    }
    let short = |s: usize| {
        let fs = &f.scales[s];
        w.scale_as_drawn(inp.analysed.instruments.get(fs.instrument), fs.is_linked())
    };
    b.push_str("<table>\n<tr><th class=\"t\" rowspan=\"2\">");
    b.push_str(w.pick("Kommungrupp", "Group"));
    b.push_str("</th>");
    // Where no mean has an interval (every evaluation as the basis), no
    // column for it.
    let half = inp.analysed.basis.has_intervals(Grouping::Kommungrupp2017);
    for &s in &scales {
        let span = 3 + usize::from(half);
        let _ = write!(b, "<th colspan=\"{span}\">{}</th>", esc(&short(s)));
    }
    b.push_str("</tr>\n<tr>");
    for _ in &scales {
        let _ = write!(b, "<th>{}</th>", w.pick("medel", "mean"));
        if half {
            let _ = write!(b, "<th>{INTERVAL_HEAD}</th>");
        }
        b.push_str("<th>sd</th><th>n</th>");
    }
    b.push_str("</tr>\n");
    let mut groups: Vec<&str> = with_any.iter().map(|k| k.0).collect();
    groups.dedup();
    groups.sort_by(|a, b| natural(a, b));
    let mut any_empty = false;
    for g in groups {
        let _ = write!(
            b,
            "<tr><td class=\"t\"><a href=\"{}\">{}</a></td>",
            listing.group_file(g),
            super::group_name(g)
        );
        for &s in &scales {
            let total = totals.get(&(g, s)).copied();
            any_empty |= total.is_none();
            mean_sd_n(b, w, total, half);
        }
        b.push_str("</tr>\n");
    }
    b.push_str("</table>\n");
    if half {
        mean_interval_note(b, w, scales.iter().any(|&s| f.scales[s].is_linked()));
    }
    if any_empty {
        empty_group_note(b, w);
    }
}

/// Why a group's scale is empty in the table of the groups' totals (it
/// said nothing of why: report audit of the seventy-fifth session).
fn empty_group_note(b: &mut String, w: &Labels) {
    note(
        b,
        w.pick(
            "En skala utan medel: ingen av gruppens kommuner har en totalpoäng på den (i underlaget).",
            "A scale without a mean: none of the group's municipalities has a total on it (in the basis).",
        ),
    );
}

/// The mean change of the total between rounds, with its sampling and
/// linking error.
fn trends(b: &mut String, inp: &Inputs, w: &Labels, order: &[usize]) {
    let f = inp.analysed.frame;
    // One to a row, at full size: two to a row, their year and n labels
    // were too small to read.
    let countries: BTreeSet<&str> = f.munis.iter().map(|m| m.country.as_str()).collect();
    let mut charts = String::new();
    for c in countries {
        let id = ChartId::Trend {
            country: c.to_string(),
        };
        charts.push_str(&chart(inp, id));
    }
    let change = w.pick(
        "Förändring mellan omgångar, totalpoäng",
        "Change between rounds, total",
    );
    // Under the section's heading the charts, where drawn, then the table
    // under its own; without charts the table's is the section's.
    match charts.is_empty() {
        true => {
            let _ = writeln!(b, "<h2 id=\"trender\">{change}</h2>");
        }
        false => {
            let _ = writeln!(
                b,
                "<h2 id=\"trender\">{}</h2>",
                w.pick("Totalpoäng över åren", "Total points over the years")
            );
            year_totals_note(b, w);
            b.push_str(&charts);
            let _ = writeln!(b, "<h3>{change}</h3>");
        }
    }
    let several = f.several_countries();
    trends_note(b, w, several);
    trend_head(b, w, several);
    let rank = |s: usize| order.iter().position(|&o| o == s);
    let mut rows: Vec<_> = (inp.trends.iter())
        .filter(|t| t.kind == StepKind::Round)
        .filter(|t| inp.analysed.scale_of(t.scale).total() == t.item)
        .collect();
    rows.sort_by_key(|t| (t.country, rank(t.scale)));
    let any_linked = rows.iter().any(|t| t.errors.linked);
    let any_open = (rows.iter()).any(|t| t.ci.is_none() || t.se_sampling().is_none());
    let any_native = rows.iter().any(|t| !t.errors.linked);
    for t in rows {
        trend_row(b, inp, w, t, several);
    }
    b.push_str("</table>\n");
    // An empty interval cell said nothing of why (audit of the English
    // report: `1→2 | 2 | −60* | 20 | |`), nor did an empty standard
    // error (a single change's sampling error, a row without a link's
    // linking error).
    let mut said = Vec::new();
    if any_open {
        said.push(w.pick(
            "Ett standardfel eller intervall är tomt där inget kan skattas: för en enda förändring, för förändringar som alla är lika (intervallet) och genom en länkning vars fel inte är skattat.",
            "A standard error or interval is empty where none can be estimated: for a single change, for changes all equal (the interval) and through a link whose error is not estimated.",
        ));
    }
    if any_native {
        said.push(w.pick(
            "– som länkningsfel: förändringen är inom en skala, utan länk.",
            "– as the linking error: the change is within one scale, without a link.",
        ));
    }
    if !said.is_empty() {
        note(b, said.join(" "));
    }
    if !any_linked {
        return;
    }
    let _ = writeln!(
        b,
        "<p class=\"note\">* {}</p>",
        w.pick(
            "Över skalbytet: poäng länkade till en skala; intervallet inkluderar länkningsfelet.",
            "Across the change of scale: points linked to one scale; the interval includes the linking error."
        )
    );
}

/// The trend table's head: a country column first where `several` are.
fn trend_head(b: &mut String, w: &Labels, several: bool) {
    let (country, scale, step) = (
        w.pick("Land", "Country"),
        w.pick("Skala", "Scale"),
        w.pick("Steg", "Step"),
    );
    let left: &[&str] = match several {
        true => &[country, scale, step],
        false => &[scale, step],
    };
    table_head(
        b,
        left,
        &[
            "n",
            w.pick("Medelförändring", "Mean change"),
            w.pick("Standardfel urval", "Std. error sampling"),
            w.pick("Standardfel länkning", "Std. error linking"),
            w.pick("95 %-intervall", "95 % interval"),
        ],
    );
}

/// One row of the trend table: a step's mean change of the total, its
/// errors and interval, after its country where `several` are.
fn trend_row(b: &mut String, inp: &Inputs, w: &Labels, t: &TrendSummary, several: bool) {
    let ci = t.ci.map_or(String::new(), |(lo, hi)| {
        format!("{} – {}", w.num(lo), w.num(hi))
    });
    let se = |x: Option<f64>| x.map_or(String::new(), |x| w.spread(x));
    // No link, no linking error: a dash, where an empty cell is one that
    // could not be estimated.
    let link = match t.errors.linked {
        true => se(t.errors.se_link),
        false => "–".to_string(),
    };
    let mean = if t.errors.linked {
        format!("<span class=\"linked\">{}*</span>", w.signed(t.mean))
    } else {
        w.signed(t.mean)
    };
    // A change across the scale change is `cross-scale` in
    // trend_summary.csv, not the averages' "linked" scale.
    let scale = match t.errors.linked {
        true => format!(
            "{} ({} {})",
            w.pick("Över skalbytet", "Across the change of scale"),
            w.pick("till", "to the"),
            w.scale_short(inp.analysed.scale_of(t.scale))
        ),
        false => scale_title(inp, w, t.scale),
    };
    if several {
        let codes = &inp.analysed.frame.codes.countries;
        let country = codes.get(t.country).map_or("", String::as_str);
        let _ = write!(b, "<tr><td class=\"t\">{}</td>", esc(country));
    } else {
        b.push_str("<tr>");
    }
    let _ = writeln!(
        b,
        "<td class=\"t\">{}</td><td class=\"t\">{}</td><td>{}</td><td>{mean}</td><td>{}</td><td>{}</td><td>{ci}</td></tr>",
        esc(&scale),
        esc(&t.step),
        t.n(),
        se(t.se_sampling()),
        link,
    );
}

/// What the charts of the mean total per year show, and what they do not:
/// each year's mean is over the municipalities evaluated that year, and a
/// step between two scales' lines is the scales'.
fn year_totals_note(b: &mut String, w: &Labels) {
    let _ = writeln!(
        b,
        "<p class=\"note\">{}</p>",
        w.pick(
            "Medeltotal per utvärderingsår, per land och skala (year_totals.csv), med 95 %-konfidensintervall (inget för ett år med en enda utvärdering eller bara lika totaler): varje års medel är över de kommuner som utvärderades det året, inte samma kommuner år efter år, så en skillnad mellan år är ingen förändring för kommunerna. Skalorna har olika poäng: ett steg mellan två skalors linjer är skalornas, inte kommunernas. Förändringen för samma kommuner står i tabellen nedan.",
            "Mean total per evaluation year, per country and scale (year_totals.csv), with 95 % confidence intervals (none for a year of a single evaluation or of equal totals only): each year's mean is over the municipalities evaluated that year, not the same ones year after year, so a difference between years is not a change in the same municipalities' scores. The scales score differently: a step between two scales' lines is the scales', not the municipalities'. The change for the same municipalities is in the table below."
        )
    );
}

/// What the trend table shows: per country where `several` are.
fn trends_note(b: &mut String, w: &Labels, several: bool) {
    let per_country = match several {
        false => "",
        true => w.pick(
            ", per land: en kommuns förändring räknas i dess lands medel",
            ", per country: a municipality's change counts in its country's mean",
        ),
    };
    let _ = writeln!(
        b,
        "<p class=\"note\">{}{per_country}. {}</p>",
        w.pick(
            "Medelförändring mellan en kommuns omgångar (1→2: första till andra jämförbara utvärderingen)",
            "Mean change between a municipality's rounds (1→2: first to second comparable evaluation)"
        ),
        w.pick(
            "Standardfel: urval (kommunernas spridning) och länkning (där en ände är länkad från en annan skala); intervallet är ett 95 %-konfidensintervall med båda (trend_summary.csv). Genom en länk av få par (2–4) tas länkningsfelet med t-fördelningens kvantil för länkens antal par − 1 frihetsgrader (12,7 för 2 par, 4,3 för 3): intervallet blir då mycket bredare än standardfelen ensamma antyder.",
            "Standard errors: sampling (the spread between municipalities) and linking (where an end is linked from another scale); the interval is a 95 % confidence interval with both (trend_summary.csv). Through a link of few pairs (2–4) the linking error takes the t quantile of the link's pairs − 1 degrees of freedom (12.7 for 2 pairs, 4.3 for 3): the interval is then much wider than the standard errors alone suggest."
        )
    );
}
