//! The index's list of municipalities: a plain table (readable without
//! JavaScript) of every municipality with its group, latest total and last
//! change, and a small inline script that adds a search box and sortable
//! columns. No network, no library.

use rayon::prelude::*;
use std::fmt::Write as _;

use super::{Inputs, ReportSet, esc, num};
use crate::render::text::Labels;

/// What the list shows of one municipality.
#[derive(Default, Clone, Copy)]
struct Row {
    /// Latest evaluation on a native scale: (year, scale order, total, frame scale).
    latest: Option<(u16, usize, f64, usize)>,
    /// Change of the total at its last step: (to year, delta, linked).
    change: Option<(u16, f64, bool)>,
}

/// Filters rows on every keystroke (on country, code, name and group) and
/// sorts by a column when its header is clicked (numbers by `data-v`, text in
/// the page language's order), empty cells last either way. The search box
/// is hidden until the script runs.
const SCRIPT: &str = r#"(function(){
var t=document.getElementById('kommunlista'),q=document.getElementById('sok'),c=document.getElementById('antal');
if(!t||!q)return;
var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows),heads=t.tHead.rows[0].cells;
q.parentNode.hidden=false;
function count(){var n=0;rows.forEach(function(r){if(!r.hidden)n++;});c.textContent=n+' / '+rows.length;}
function key(r){var k=[];for(var i=0;i<4;i++)k.push(r.cells[i].textContent);return k.join(' ').toLowerCase();}
q.addEventListener('input',function(){var v=q.value.trim().toLowerCase();
rows.forEach(function(r){r.hidden=v!==''&&key(r).indexOf(v)<0;});count();});
Array.prototype.forEach.call(heads,function(th,i){var b=document.createElement('button');
b.type='button';b.textContent=th.textContent;th.textContent='';th.appendChild(b);
b.addEventListener('click',function(){var asc=th.getAttribute('aria-sort')!=='ascending';
Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',asc?'ascending':'descending');var isNum=th.className.indexOf('num')>=0;
rows.sort(function(a,b){var x=a.cells[i],y=b.cells[i],r;
if(isNum){var u=x.getAttribute('data-v'),w=y.getAttribute('data-v');
if(u===null||w===null)return (u===null)-(w===null);r=parseFloat(u)-parseFloat(w);}
else{var s=x.textContent,t=y.textContent;if(s===''||t==='')return (s==='')-(t==='');
r=s.localeCompare(t,document.documentElement.lang);}
return asc?r:-r;});rows.forEach(function(r){body.appendChild(r);});});});
count();})();"#;

/// Rows of the list made per task.
const ROWS_PER_TASK: usize = 4096;

/// Every municipality (of kommungrupp `only`, if given), by country and
/// name, in a table with a search box and sortable columns; names link to
/// the municipality pages when they are written (`--report all`).
pub(super) fn municipalities(
    b: &mut String,
    inp: &Inputs,
    w: &Labels,
    listing: &Listing,
    only: Option<&str>,
) {
    let f = inp.frame;
    let _ = writeln!(
        b,
        "<h2 id=\"kommuner\">{}</h2>",
        w.pick("Kommuner", "Municipalities")
    );
    let _ = writeln!(
        b,
        "<p hidden><label for=\"sok\">{}</label> <input id=\"sok\" type=\"search\" autocomplete=\"off\" placeholder=\"{}\"> <span id=\"antal\"></span></p>",
        w.pick("Sök:", "Search:"),
        w.pick("kommun, kod eller grupp", "municipality, code or group")
    );
    let _ = writeln!(
        b,
        "<table id=\"kommunlista\">\n<thead><tr><th class=\"t\">{}</th><th class=\"t\">{}</th><th class=\"t\">{}</th><th class=\"t\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"t\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>",
        w.pick("Land", "Country"),
        w.pick("Kod", "Code"),
        w.pick("Kommun", "Municipality"),
        w.pick("Kommungrupp 2017", "Municipality group 2017"),
        w.pick("Senaste år", "Latest year"),
        w.pick("Senaste totalpoäng", "Latest total"),
        w.pick("Skala", "Scale"),
        w.pick("Förändring totalt", "Change in total"),
    );
    // Rows straight into text (hundreds of thousands of rows at 1,000,000
    // evaluations: no text of its own per cell), a stretch of them per
    // task on all cores, put in the page in order.
    let stretches: Vec<String> = (listing.by_name.par_chunks(ROWS_PER_TASK))
        .map(|stretch| {
            let mut t = String::new();
            for &m in stretch {
                let muni = &f.munis[m];
                if only.is_none_or(|g| muni.group_2017.as_deref() == Some(g)) {
                    row(&mut t, inp, w, listing, m, only);
                }
            }
            t
        })
        .collect();
    for t in stretches {
        b.push_str(&t);
    }
    b.push_str("</tbody>\n</table>\n");
    let _ = writeln!(
        b,
        "<p class=\"note\">{}</p>",
        w.pick(
            "Senaste totalpoäng: kommunens senaste utvärdering (på den skala den gjordes). Förändring: totalpoängen mellan de två senaste omgångarna; * över skalbytet (länkade poäng).",
            "Latest total: the municipality's latest evaluation (on the scale it used). Change: the total between the last two rounds; * across the change of scale (linked points)."
        )
    );
    let _ = writeln!(b, "<script>{SCRIPT}</script>");
}

/// One municipality's row of the list.
fn row(b: &mut String, inp: &Inputs, w: &Labels, listing: &Listing, m: usize, only: Option<&str>) {
    let f = inp.frame;
    let muni = &f.munis[m];
    let (country, code) = (esc(&muni.country), esc(&muni.code));
    let _ = write!(
        b,
        "<tr><td class=\"t\">{country}</td><td class=\"t\">{code}</td><td class=\"t\">"
    );
    if inp.pages == ReportSet::All {
        let _ = write!(
            b,
            "<a href=\"{country}_{code}.html\">{}</a>",
            esc(&muni.name)
        );
    } else {
        b.push_str(&esc(&muni.name));
    }
    b.push_str("</td><td class=\"t\">");
    match muni.group_2017.as_deref() {
        Some(g) if only.is_none() => {
            let _ = write!(
                b,
                "<a href=\"{}\">{}</a>",
                super::groups::file_name(g),
                esc(g)
            );
        }
        Some(g) => b.push_str(&esc(g)),
        None => {}
    }
    b.push_str("</td><td");
    let r = listing.rows[m];
    match r.latest {
        Some((y, _, v, s)) => {
            let scale = inp.instruments.get(f.scales[s].instrument);
            let _ = write!(
                b,
                " data-v=\"{y}\">{y}</td><td data-v=\"{v}\">{}</td><td class=\"t\">{}",
                num(v),
                esc(w.scale_short(scale))
            );
        }
        None => b.push_str("></td><td></td><td class=\"t\">"),
    }
    b.push_str("</td><td");
    match r.change {
        Some((_, d, linked)) => {
            let star = if linked { "*" } else { "" };
            let sign = if d > 0.0 { "+" } else { "" };
            let _ = write!(b, " data-v=\"{d}\">{sign}{}{star}", num(d));
        }
        None => b.push('>'),
    }
    b.push_str("</td></tr>\n");
}

/// What the index and the group pages share, computed once per report:
/// the scales in report order and each municipality's row.
pub(super) struct Listing {
    pub order: Vec<usize>,
    /// Per municipality (by index).
    rows: Vec<Row>,
    /// The municipalities by country, name and code (sorted once for the
    /// index and every group page).
    by_name: Vec<usize>,
}

impl Listing {
    pub fn new(inp: &Inputs) -> Self {
        let order = super::chronological(inp);
        let rows = rows(inp, &order);
        let f = inp.frame;
        let mut by_name: Vec<usize> = (0..f.munis.len()).collect();
        // A municipality is one (country, code): no ties.
        by_name.par_sort_unstable_by(|&x, &y| {
            let (a, c) = (&f.munis[x], &f.munis[y]);
            (&a.country, &a.name, &a.code).cmp(&(&c.country, &c.name, &c.code))
        });
        Listing {
            order,
            rows,
            by_name,
        }
    }
}

/// Latest total and last change per municipality.
fn rows(inp: &Inputs, order: &[usize]) -> Vec<Row> {
    let f = inp.frame;
    let total = |s: usize| inp.instruments.get(f.scales[s].instrument).total();
    let rank = |s: usize| order.iter().position(|&o| o == s).unwrap_or(usize::MAX);
    let mut out = vec![Row::default(); f.munis.len()];
    for x in inp.benchmarks {
        let s = usize::from(x.point.scale);
        if f.scales[s].is_linked() || x.point.item != total(s) {
            continue;
        }
        let row = &mut out[x.point.muni as usize];
        let this = (x.point.year, rank(s), x.point.value, s);
        if row.latest.is_none_or(|l| (l.0, l.1) < (this.0, this.1)) {
            row.latest = Some(this);
        }
    }
    for t in (inp.changes.iter()).filter(|t| t.item == total(usize::from(t.scale))) {
        let row = &mut out[t.muni as usize];
        let linked = t.from_link.is_some() || t.to_link.is_some();
        if row.change.is_none_or(|c| c.0 < t.to_year) {
            row.change = Some((t.to_year, t.delta(), linked));
        }
    }
    out
}
