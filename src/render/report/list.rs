//! The index's list of municipalities: a plain table (readable without
//! JavaScript) of every municipality with its group, latest total and last
//! change, and a small inline script that adds a search box and sortable
//! columns. No network, no library.

use std::collections::HashMap;
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
    let rows = &listing.rows;
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
    let pages = inp.pages == ReportSet::All;
    for &m in &listing.by_name {
        let muni = &f.munis[m];
        if only.is_some_and(|g| muni.group_2017.as_deref() != Some(g)) {
            continue;
        }
        let name = if pages {
            format!(
                "<a href=\"{}_{}.html\">{}</a>",
                esc(&muni.country),
                esc(&muni.code),
                esc(&muni.name)
            )
        } else {
            esc(&muni.name).into_owned()
        };
        let group = match muni.group_2017.as_deref() {
            Some(g) if only.is_none() => {
                format!("<a href=\"{}\">{}</a>", super::groups::file_name(g), esc(g))
            }
            Some(g) => esc(g).into_owned(),
            None => String::new(),
        };
        let r = rows.get(&m).copied().unwrap_or_default();
        let (year, total, scale) = match r.latest {
            Some((y, _, v, s)) => {
                let scale = inp.instruments.get(f.scales[s].instrument);
                (
                    format!(" data-v=\"{y}\">{y}"),
                    format!(" data-v=\"{v}\">{}", num(v)),
                    esc(w.scale_short(scale)).into_owned(),
                )
            }
            None => (">".into(), ">".into(), String::new()),
        };
        let change = match r.change {
            Some((_, d, linked)) => {
                let star = if linked { "*" } else { "" };
                let sign = if d > 0.0 { "+" } else { "" };
                format!(" data-v=\"{d}\">{sign}{}{star}", num(d))
            }
            None => ">".into(),
        };
        let _ = writeln!(
            b,
            "<tr><td class=\"t\">{}</td><td class=\"t\">{}</td><td class=\"t\">{name}</td><td class=\"t\">{group}</td><td{year}</td><td{total}</td><td class=\"t\">{scale}</td><td{change}</td></tr>",
            esc(&muni.country),
            esc(&muni.code),
        );
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

/// What the index and the group pages share, computed once per report:
/// the scales in report order and each municipality's row.
pub(super) struct Listing {
    pub order: Vec<usize>,
    rows: HashMap<usize, Row>,
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
        by_name.sort_by(|&x, &y| {
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
fn rows(inp: &Inputs, order: &[usize]) -> HashMap<usize, Row> {
    let f = inp.frame;
    let total = |s: usize| inp.instruments.get(f.scales[s].instrument).total();
    let rank = |s: usize| order.iter().position(|&o| o == s).unwrap_or(usize::MAX);
    let mut out: HashMap<usize, Row> = HashMap::new();
    for x in inp.benchmarks {
        let s = usize::from(x.point.scale);
        if f.scales[s].is_linked() || x.point.item != total(s) {
            continue;
        }
        let row = out.entry(x.point.muni as usize).or_default();
        let this = (x.point.year, rank(s), x.point.value, s);
        if row.latest.is_none_or(|l| (l.0, l.1) < (this.0, this.1)) {
            row.latest = Some(this);
        }
    }
    for t in (inp.changes.iter()).filter(|t| t.item == total(usize::from(t.scale))) {
        let row = out.entry(t.muni as usize).or_default();
        let linked = t.from_link.is_some() || t.to_link.is_some();
        if row.change.is_none_or(|c| c.0 < t.to_year) {
            row.change = Some((t.to_year, t.delta(), linked));
        }
    }
    out
}
