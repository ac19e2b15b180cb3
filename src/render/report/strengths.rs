//! A municipality page's strongest and weakest sub-questions against the
//! national average (percent of max), the weak ones with their role models
//! (the best of the country, linked to their pages).

use std::fmt::Write as _;

use super::compare::by_scale;
use super::muni::Page;
use super::{esc, note, percent, scale_title, table_head_with};
use crate::analysis::standings::{Benchmark, shown_difference};
use crate::render::text::{Labels, muni_name};

/// What a side of the strongest and weakest says when it has none.
fn none_on_side(w: &Labels, weak: bool) -> &'static str {
    match weak {
        true => w.pick(
            "Ingen delfråga under riksmedel (i hela procentenheter).",
            "No sub-question below the national average (in whole percentage points).",
        ),
        false => w.pick(
            "Ingen delfråga över riksmedel (i hela procentenheter).",
            "No sub-question above the national average (in whole percentage points).",
        ),
    }
}

/// The strongest and weakest sub-questions relative to the national
/// average (percent of max), the weak ones with their role models.
pub(super) fn strongest_weakest(b: &mut String, p: &Page, extremes: &[&Benchmark]) {
    let (inp, w) = (p.inp, &p.w);
    let _ = writeln!(
        b,
        "<h2 id=\"delfragor\">{}</h2>\n<p class=\"note\">{}</p>",
        w.pick("Starkast och svagast", "Strongest and weakest"),
        w.pick(
            "Delfrågorna där kommunen ligger mest över och mest under riksmedel, i procent av max. Goda exempel: de kommuner i landet med högst poäng på delfrågan (senaste utvärdering).",
            "The sub-questions where the municipality is furthest above and below the national average, in percent of max. Role models: the municipalities in the country with the highest score on the sub-question (latest evaluation)."
        )
    );
    let by_scale = by_scale(extremes);
    for s in p.scales.iter().filter(|s| by_scale.contains_key(s)) {
        let rows = &by_scale[s];
        let scale = inp.analysed.scale_of(*s);
        let (strong, weak): (Vec<&Benchmark>, Vec<&Benchmark>) =
            rows.iter().partition(|x| x.point.value > x.national_mean);
        for (title, part, weak) in [
            (w.pick("Starkast", "Strongest"), strong, false),
            (w.pick("Svagast", "Weakest"), weak, true),
        ] {
            let _ = writeln!(
                b,
                "<h3>{title} — {} {}</h3>",
                esc(&scale_title(inp, w, *s)),
                rows[0].point.year
            );
            // Said, not left out: a reader looks for the other half.
            if part.is_empty() {
                note(b, none_on_side(w, weak));
                continue;
            }
            let models_head = [w.pick("Goda exempel", "Role models")];
            table_head_with(
                b,
                &[w.pick("Fråga", "Question"), w.pick("Text", "Text")],
                &[
                    w.pick("Poäng", "Score"),
                    "Max",
                    w.pick("Procent av max", "Percent of max"),
                    w.pick("Riksmedel", "National average"),
                    w.pick("Skillnad, procentenheter", "Difference, percentage points"),
                ],
                if weak { &models_head } else { &[] },
            );
            for x in part {
                let it = scale.get(x.point.item);
                let _ = write!(
                    b,
                    "<tr><td class=\"t\">{}</td><td class=\"t q\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} <small>(n={})</small></td><td>{}</td>",
                    esc(&it.id),
                    esc(&w.item_name(it)),
                    w.score(x.point.value),
                    w.num(it.max),
                    percent(w, x.point.value, it),
                    percent(w, x.national_mean, it),
                    x.n,
                    w.signed(shown_difference(x.point.value, x.national_mean, it.max))
                );
                if weak {
                    let _ = write!(b, "<td class=\"t\">{}</td>", role_models(p, x));
                }
                b.push_str("</tr>\n");
            }
            b.push_str("</table>\n");
        }
    }
}

/// The role models of one item, linked to their pages ("Name 2012 (14)").
fn role_models(p: &Page, x: &Benchmark) -> String {
    let (f, w) = (p.inp.analysed.frame, &p.w);
    let key = (
        usize::from(x.point.scale),
        x.point.item,
        p.muni.country.as_str(),
    );
    // Not the municipality itself (it can be among the best of its country
    // and still below the average).
    let models: Vec<&&crate::analysis::frame::Point> = (p.index.models.get(&key))
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter(|m| !std::ptr::eq(&f.munis[m.muni as usize], p.muni))
        .collect();
    let mut links: Vec<String> = models
        .iter()
        .take(SHOWN_MODELS)
        .map(|m| {
            let r = &f.munis[m.muni as usize];
            format!(
                "<a href=\"{}_{}.html\">{}</a>&nbsp;{}&nbsp;({})",
                esc(&r.country),
                esc(&r.code),
                esc(&muni_name(r)),
                m.year,
                w.score(m.value)
            )
        })
        .collect();
    if models.len() > SHOWN_MODELS {
        links.push(format!(
            "{} {} (<a href=\"../role_models.csv\">role_models.csv</a>)",
            p.w.pick("och", "and"),
            p.w.pick_n(models.len() - SHOWN_MODELS, "till", "more")
        ));
    }
    links.join(", ")
}

/// Role models named per question: the rest of a tie are counted.
const SHOWN_MODELS: usize = 5;
