//! The report's `index.html`: national profiles, group averages, trend and
//! linking summaries, validation counts and the list of municipalities, one
//! function per section.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::{Inputs, chart, esc, num, page, table_head};
use crate::analysis::averages::{Average, Grouping};
use crate::analysis::trends::{self, StepKind};
use crate::render::charts::ChartId;
use crate::render::text::Labels;
use crate::validate::rules::Severity;

/// The whole page.
pub(super) fn index_page(inp: &Inputs) -> String {
    let w = Labels { lang: inp.lang };
    let mut b = String::new();
    heading(&mut b, &w);
    profiles(&mut b, inp, &w);
    groups(&mut b, inp, &w);
    trends(&mut b, inp, &w);
    linking(&mut b, inp, &w);
    validation(&mut b, inp, &w);
    municipalities(&mut b, inp, &w);
    page("Kommunkompassen", &b, inp.lang)
}

fn heading(b: &mut String, w: &Labels) {
    let _ = writeln!(
        b,
        "<h1>Kommunkompassen — {}</h1>",
        w.pick("sammanställning", "summary")
    );
    let _ = writeln!(
        b,
        "<nav><a href=\"#profil\">{}</a><a href=\"#grupper\">{}</a><a href=\"#trender\">{}</a><a href=\"#lankning\">{}</a><a href=\"#validering\">{}</a><a href=\"#kommuner\">{}</a></nav>",
        w.pick("Profiler", "Profiles"),
        w.pick("Kommungrupper", "Groups"),
        w.pick("Trender", "Trends"),
        w.pick("Länkning", "Linking"),
        w.pick("Validering", "Validation"),
        w.pick("Kommuner", "Municipalities")
    );
}

/// The national profiles per scale and country, with their charts.
fn profiles(b: &mut String, inp: &Inputs, w: &Labels) {
    let f = inp.frame;
    let basis = w.basis_long(inp.basis);
    let _ = writeln!(
        b,
        "<h2 id=\"profil\">{}</h2>\n<p>{}: {basis}.</p>",
        w.pick("Nationella profiler", "National profiles"),
        w.pick("Underlag", "Basis")
    );
    for (s, fs) in f.scales.iter().enumerate() {
        let scale = inp.instruments.get(fs.instrument);
        let rows: Vec<&Average> = inp
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
            "<h3>{} {}</h3>\n<table>\n<tr><th class=\"t\">{}</th>",
            w.pick("Skala", "Scale"),
            esc(&fs.label),
            w.pick("Område", "Area")
        );
        for c in &countries {
            let _ = write!(b, "<th>{c} {}</th><th>n</th>", w.pick("medel", "mean"));
        }
        b.push_str("</tr>\n");
        let mut items: Vec<_> = scale.areas().to_vec();
        items.push(scale.total());
        for it in items {
            let label = w.item_label(scale, it);
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
        if !fs.is_linked() {
            for c in &countries {
                let (country, scale) = (c.to_string(), fs.label.clone());
                b.push_str(&chart(
                    inp,
                    ChartId::Distribution { country, scale },
                    &format!("{c} {}", fs.label),
                ));
                let (country, scale) = (c.to_string(), fs.label.clone());
                b.push_str(&chart(
                    inp,
                    ChartId::Questions { country, scale },
                    &format!("{c} {}", fs.label),
                ));
            }
        }
    }
}

/// The total per 2017 municipality group.
fn groups(b: &mut String, inp: &Inputs, w: &Labels) {
    let f = inp.frame;
    let _ = writeln!(
        b,
        "<h2 id=\"grupper\">{}</h2>",
        w.pick(
            "Kommungrupper (SKR 2017), totalpoäng",
            "Municipality groups (SKR 2017), total"
        )
    );
    table_head(
        b,
        &[w.pick("Skala", "Scale"), w.pick("Grupp", "Group")],
        &["n", w.pick("medel", "mean"), "sd"],
    );
    for a in inp
        .averages
        .iter()
        .filter(|a| a.grouping == Grouping::Kommungrupp2017)
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
}

/// The mean change of the total between rounds.
fn trends(b: &mut String, inp: &Inputs, w: &Labels) {
    let f = inp.frame;
    let _ = writeln!(
        b,
        "<h2 id=\"trender\">{}</h2>",
        w.pick(
            "Förändring mellan omgångar, totalpoäng",
            "Change between rounds, total"
        )
    );
    let countries: BTreeSet<&str> = f.munis.iter().map(|m| m.country.as_str()).collect();
    for c in &countries {
        let country = c.to_string();
        b.push_str(&chart(
            inp,
            ChartId::Trend { country },
            &format!("trend {c}"),
        ));
    }
    table_head(
        b,
        &[w.pick("Skala", "Scale"), w.pick("Steg", "Step")],
        &["n", w.pick("medelförändring", "mean change"), "95 %"],
    );
    for t in inp.trends.iter().filter(|t| t.kind == StepKind::Round) {
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
            esc(trends::scale_label(f, t.scale)),
            esc(&t.step),
            t.n,
            num(t.mean)
        );
    }
    b.push_str("</table>\n");
}

/// The linking functions and their quality.
fn linking(b: &mut String, inp: &Inputs, w: &Labels) {
    let _ = writeln!(
        b,
        "<h2 id=\"lankning\">{}</h2>",
        w.pick("Länkning mellan skalor", "Linking between scales")
    );
    match inp.linking {
        Some(l) => {
            let to = inp.instruments.get(l.to);
            table_head(
                b,
                &[
                    w.pick("Från", "From"),
                    w.pick("Fråga", "Item"),
                    w.pick("Metod", "Method"),
                ],
                &[w.pick("par", "pairs"), "slope", "intercept", "LOO MAE"],
            );
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
                    w.pick("Ej länkad:", "Not linked:"),
                    esc(&inp.instruments.get(*from).id),
                    esc(why)
                );
            }
            let mut from: Vec<u8> = l.items.iter().map(|i| i.from).collect();
            from.dedup();
            for s in from {
                let (from, to) = (inp.instruments.get(s).id.clone(), to.id.clone());
                b.push_str(&chart(inp, ChartId::Linking { from, to }, "linking"));
            }
        }
        None => b.push_str("<p>-</p>\n"),
    }
}

/// Counts of findings per rule, and links to the data files.
fn validation(b: &mut String, inp: &Inputs, w: &Labels) {
    let _ = writeln!(
        b,
        "<h2 id=\"validering\">{}</h2>",
        w.pick("Validering", "Validation")
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
        w.pick("Inlästa rader:", "Rows read:"),
        w.pick("avvisade:", "rejected:"),
        inp.data.rejected.len()
    );
    table_head(b, &["severity", "rule"], &["n"]);
    for ((sev, code), n) in counts {
        let _ = writeln!(
            b,
            "<tr><td class=\"t\">{}</td><td class=\"t\">{code}</td><td>{n}</td></tr>",
            sev.as_str()
        );
    }
    b.push_str("</table>\n");
}

/// Every municipality, by country and name.
fn municipalities(b: &mut String, inp: &Inputs, w: &Labels) {
    let f = inp.frame;
    let _ = writeln!(
        b,
        "<h2 id=\"kommuner\">{}</h2>\n<ul>",
        w.pick("Kommuner", "Municipalities")
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
}
