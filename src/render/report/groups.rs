//! One page per kommungrupp (SKR 2017 groups): the group's average profile
//! on each scale beside the national one (the numbers of `averages.csv`), and
//! its municipalities. Written with `--report all` and `summary`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use rayon::prelude::*;

use super::list::Listing;
use super::{INTERVAL_HEAD, Inputs, esc, note, page, scale_title, table_head};
use crate::analysis::averages::{AverageIndex, Difference, Grouping};
use crate::render::text::Labels;

/// Letters and digits of a group's code in its page's name at most.
const CODE_IN_NAME: usize = 40;

/// The pages of the groups: group (its full text) → file name. A page is
/// named by the group's code, its first [`CODE_IN_NAME`] letters and digits
/// ("B3 Större stad" → `group_B3.html`; a code of 245 letters made a name
/// longer than a file system allows, and the run failed at its end);
/// groups whose codes come out alike, ignoring case
/// (`Å1` beside `1`, `a2` beside `A2`), are told apart by a number, in
/// their natural order ([`crate::analysis::frame::labels::natural`]:
/// `group_A2.html`, `group_a2-2.html`), so no page overwrites another, on
/// a file system that ignores case too.
pub(super) fn file_names<'a>(
    groups: impl IntoIterator<Item = &'a str>,
) -> BTreeMap<String, String> {
    let mut groups: Vec<&str> = groups.into_iter().collect();
    groups.sort_by(|a, b| crate::analysis::frame::labels::natural(a, b));
    groups.dedup();
    let mut taken = BTreeSet::new();
    let mut names = BTreeMap::new();
    for g in groups {
        let code: String = (g.split_whitespace().next().unwrap_or(""))
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(CODE_IN_NAME)
            .collect();
        let code = if code.is_empty() {
            "x".to_string()
        } else {
            code
        };
        let mut name = code.clone();
        let mut k = 1;
        while !taken.insert(name.to_ascii_lowercase()) {
            k += 1;
            name = format!("{code}-{k}");
        }
        names.insert(g.to_string(), format!("group_{name}.html"));
    }
    names
}

/// Every group page: (file name, HTML).
pub(super) fn group_pages(inp: &Inputs, listing: &Listing) -> Vec<(String, String)> {
    let groups: Vec<(&String, &String)> = listing.group_files.iter().collect();
    (groups.into_par_iter())
        .map(|(g, file)| (file.clone(), group_page(inp, g, listing)))
        .collect()
}

fn group_page(inp: &Inputs, group: &str, listing: &Listing) -> String {
    let order = &listing.order;
    let w = inp.analysed.labels();
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<p><a href=\"index.html\">← {}</a></p>\n<h1>{}</h1>\n<p>{} (SKR 2017). {}: {}.</p>",
        w.pick("Sammanställning", "Summary"),
        super::group_name(group),
        w.pick("Kommungrupp", "Municipality group"),
        w.pick("Underlag", "Basis"),
        w.basis_long(inp.analysed.basis)
    );
    // Where no mean has an interval (every evaluation as the basis), no
    // column for it.
    let half = inp.analysed.basis.has_intervals(Grouping::Kommungrupp2017);
    if half {
        note(
        &mut b,
        w.pick(
            "± är halva 95 %-intervallet för gruppens medel: standardfelet (sd / √n) gånger t-fördelningens 97,5 %-kvantil, på den länkade skalan med länkningsfelet (som i averages.csv). Med få kommuner i gruppen är det brett. ± efter skillnaden är halva 95 %-intervallet för skillnaden mot riket (group_differences.csv): gruppen är en del av riket, så skillnaden skattas mot resten av riket (Welchs t), på den länkade skalan med länkningsfelet; ett intervall som omfattar 0 säger inte att gruppen skiljer sig. Tomt för en enda kommun (i gruppen, eller i resten av riket för skillnaden), för lika poäng (sd 0) och när länkningsfelet inte kan skattas.",
            "± is half the 95 % interval of the group's mean: the standard error (sd / √n) times Student's t quantile (97.5 %), on the linked scale with the linking error (as in averages.csv). With few municipalities in the group it is wide. ± after the difference is half the 95 % interval of the difference from the country's mean (group_differences.csv): the group is part of the country, so the difference is estimated against the rest of the country (Welch's t), on the linked scale with the linking error; an interval that spans 0 does not say the group differs. Empty for a single municipality (in the group, or for the difference in the rest of the country), for equal scores (sd 0), and where the linking error cannot be estimated."
        ),
    );
    }
    let index = AverageIndex::new(inp.analysed.averages);
    let differences: BTreeMap<(usize, u16), &Difference> = (inp.differences.iter())
        .filter(|d| d.grouping == Grouping::Kommungrupp2017 && d.group == group)
        .map(|d| ((d.scale, d.item), d))
        .collect();
    for &s in order {
        scale_table(&mut b, (inp, &w, &index, &differences), group, s, half);
    }
    super::list::municipalities(&mut b, inp, &w, listing, Some(group));
    page(Some(group), &b, inp.analysed.lang)
}

/// The group's table of frame scale `s`: its mean (± half its interval
/// where `half`), SD and n per area and the total beside Sweden's, and
/// the difference; none where the group has no average on the scale.
fn scale_table(
    b: &mut String,
    (inp, w, index, differences): (
        &Inputs,
        &Labels,
        &AverageIndex,
        &BTreeMap<(usize, u16), &Difference>,
    ),
    group: &str,
    s: usize,
    half: bool,
) {
    let scale = inp.analysed.scale_of(s);
    let mut items: Vec<u16> = scale.areas().to_vec();
    items.push(scale.total());
    if items
        .iter()
        .all(|&i| index.get(s, Grouping::Kommungrupp2017, group, i).is_none())
    {
        return;
    }
    let _ = writeln!(b, "<h2>{}</h2>", esc(&scale_title(inp, w, s)));
    let mut heads = vec![w.pick("Medel gruppen", "Group mean")];
    heads.extend(half.then_some(INTERVAL_HEAD));
    // Sweden's, named so where the data hold other countries too, as
    // a municipality page's column is (it said "Medel kommuner" beside
    // pages saying "Medel kommuner (NO)").
    let several = inp.analysed.frame.several_countries();
    let national = w.national_average_of(crate::reference::country::SWEDEN, several);
    heads.extend(["sd", "n", national.as_str(), "n"]);
    heads.push(w.pick("Skillnad", "Difference"));
    heads.extend(half.then_some(INTERVAL_HEAD));
    table_head(b, &[w.area()], &heads);
    // A row per area and the total, the group's cells empty where it
    // has no average, as the national profiles' are.
    let mut any_empty = false;
    for it in items {
        let a = index.get(s, Grouping::Kommungrupp2017, group, it);
        any_empty |= a.is_none();
        // The groups are Swedish: compared with Sweden's average.
        let national = index.national(s, crate::reference::country::SWEDEN, it);
        let _ = writeln!(
            b,
            "<tr><td class=\"t\">{}</td><td>{}</td>{}<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{}</tr>",
            esc(&w.item_label(scale, it)),
            a.map_or(String::new(), |a| w.num(a.mean)),
            match half {
                true => format!(
                    "<td>{}</td>",
                    a.and_then(|a| a.half_interval())
                        .map_or(String::new(), |h| w.spread(h))
                ),
                false => String::new(),
            },
            a.and_then(|a| a.errors.sd)
                .map_or(String::new(), |sd| w.spread(sd)),
            a.map_or(String::new(), |a| a.n().to_string()),
            national.map_or(String::new(), |n| w.num(n.mean)),
            national.map_or(String::new(), |n| n.n().to_string()),
            // From the means as shown, so that the row adds up as read.
            a.zip(national).map_or(String::new(), |(a, n)| {
                w.signed(super::as_shown(a.mean) - super::as_shown(n.mean))
            }),
            match half {
                true => format!(
                    "<td>{}</td>",
                    (differences.get(&(s, it)))
                        .and_then(|d| d.half_interval())
                        .map_or(String::new(), |h| w.spread(h))
                ),
                false => String::new(),
            },
        );
    }
    b.push_str("</table>\n");
    if any_empty {
        note(
            b,
            w.pick(
                "En rad utan gruppens medel: ingen av gruppens kommuner har området på skalan (i underlaget).",
                "A row without the group's mean: none of the group's municipalities has the area on the scale (in the basis).",
            ),
        );
    }
}
