//! The index's list of municipalities: a plain table (readable without
//! JavaScript) of every municipality with its group, latest total and last
//! change, and a small inline script that adds a search box and sortable
//! columns. No network, no library.

use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Inputs, ReportSet, esc, note};
use crate::analysis::trends::Trend;
use crate::reference::instrument::ItemIx;
use crate::render::text::{Labels, muni_name};

/// What the list shows of one municipality.
#[derive(Default, Clone, Copy)]
struct Row {
    /// Its latest evaluation: the year, and the total with its frame scale
    /// when that evaluation has one (else the scale it was given on).
    latest: Option<Latest>,
    /// The change of the total between its last two rounds.
    change: Option<Change>,
}

/// The change of a municipality's total into its latest round.
#[derive(Clone, Copy)]
struct Change {
    delta: f64,
    /// The change as shown, and its decimals
    /// ([`super::changes::shown_change`]).
    shown: (f64, usize),
    /// Across the change of scale: the half-width of its 95 % interval
    /// with the linking error (None where that error is not estimated).
    linked: Option<Option<f64>>,
}

/// A municipality's latest evaluation, as the list shows it.
#[derive(Clone, Copy)]
struct Latest {
    year: u16,
    /// The frame scale: the total's, else the latest one it was given on
    /// (in report order).
    scale: usize,
    total: Option<f64>,
}

/// Filters rows on every keystroke (on code, name and group) and
/// sorts by a column when its header is clicked (numbers, and names in their
/// country's alphabetical order, by `data-v`; other text in the page
/// language's order), empty cells last either way. The search box
/// is hidden until the script runs.
const SCRIPT: &str = r#"(function(){
var t=document.getElementById('kommunlista'),q=document.getElementById('sok'),c=document.getElementById('antal');
if(!t||!q)return;
var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows),heads=t.tHead.rows[0].cells;
q.parentNode.hidden=false;
function count(){var n=0;rows.forEach(function(r){if(!r.hidden)n++;});c.textContent=n+' / '+rows.length;}
function key(r){var k=[];for(var i=1;i<4;i++)k.push(r.cells[i].textContent);return k.join(' ').toLowerCase();}
q.addEventListener('input',function(){var v=q.value.trim().toLowerCase();
rows.forEach(function(r){r.hidden=v!==''&&key(r).indexOf(v)<0;});count();});
Array.prototype.forEach.call(heads,function(th,i){var b=document.createElement('button');
b.type='button';b.textContent=th.textContent;th.textContent='';th.appendChild(b);
b.addEventListener('click',function(){var asc=th.getAttribute('aria-sort')!=='ascending';
Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',asc?'ascending':'descending');var isNum=th.className.indexOf('num')>=0;
rows.sort(function(a,b){var x=a.cells[i],y=b.cells[i],r;
var u=x.getAttribute('data-v'),w=y.getAttribute('data-v');
if(isNum||u!==null||w!==null){if(u===null||w===null)return (u===null)-(w===null);r=parseFloat(u)-parseFloat(w);}
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
    let f = inp.analysed.frame;
    let _ = writeln!(
        b,
        "<h2 id=\"kommuner\">{}</h2>",
        w.pick("Kommuner", "Municipalities")
    );
    let _ = writeln!(
        b,
        "<p hidden><label for=\"sok\">{}</label> <input id=\"sok\" type=\"search\" autocomplete=\"off\" placeholder=\"{}\"> <span id=\"antal\" aria-live=\"polite\"></span></p>",
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
    // Each stretch says whether a row's change has a `*`, for the note.
    let stretches: Vec<(String, bool)> = (listing.by_name.par_chunks(ROWS_PER_TASK))
        .map(|stretch| {
            let (mut t, mut starred) = (String::new(), false);
            for &m in stretch {
                let muni = &f.munis[m];
                if only.is_none_or(|g| muni.group_2017.as_deref() == Some(g)) {
                    row(&mut t, inp, w, listing, m, only);
                    starred |= listing.rows[m].change.is_some_and(|c| c.linked.is_some());
                }
            }
            (t, starred)
        })
        .collect();
    let mut starred = false;
    for (t, any) in stretches {
        b.push_str(&t);
        starred |= any;
    }
    b.push_str("</tbody>\n</table>\n");
    // The scale a change across the change of scale is on.
    let target = (inp.analysed.linking)
        .map(|k| esc(w.scale_short(inp.analysed.instruments.get(k.to))))
        .unwrap_or_default();
    // What `*` means only where a row has one (a group page without one
    // explained it all the same).
    let star = match starred {
        true => w.pick(
            &format!("; * över skalbytet, på {target} (länkade poäng: inte skillnaden mot den totalpoäng som visas), med ± halva bredden av 95 % konfidensintervallet med länkningsfelet (? där det inte kan skattas)"),
            &format!("; * across the change of scale, on the {target} (linked points: not the difference from the total shown), with ± half the width of the 95 % confidence interval with the linking error (? where it cannot be estimated)"),
        ).to_string(),
        false => String::new(),
    };
    note(
        b,
        w.pick(
            &format!("Senaste år och totalpoäng: kommunens senaste utvärdering, på den skala den gjordes (ingen totalpoäng när den utvärderingen saknar en). Förändring: totalpoängen mellan de två senaste omgångarna fram till den totalpoäng som visas, när båda har en{star}. Kommungrupp: SKR:s grupper 2017, för svenska kommuner."),
            &format!("Latest year and total: the municipality's latest evaluation, on the scale it used (no total when that evaluation has none). Change: the total between the last two rounds, into the total shown, when both have one{star}. Municipality group: SKR's groups of 2017, for Swedish municipalities."),
        ),
    );
    let _ = writeln!(b, "<script>{SCRIPT}</script>");
}

/// One municipality's row of the list.
fn row(b: &mut String, inp: &Inputs, w: &Labels, listing: &Listing, m: usize, only: Option<&str>) {
    let f = inp.analysed.frame;
    let muni = &f.munis[m];
    let (country, code) = (esc(&muni.country), esc(&muni.code));
    let _ = write!(
        b,
        "<tr><td class=\"t\">{country}</td><td class=\"t\"{}>{code}</td><td class=\"t\" data-v=\"{}\">",
        // By country, then by value: as text, Denmark's three digits fell
        // among the four-digit codes, and by value alone among Sweden's
        // `0180`.
        // (The country's code is its place among the countries' labels.)
        muni.code.parse::<u32>().map_or(String::new(), |v| {
            let country = u64::from(f.codes.country[m]);
            format!(" data-v=\"{}\"", country * 1_000_000 + u64::from(v))
        }),
        listing.name_rank[m]
    );
    if inp.pages == ReportSet::All {
        let _ = write!(
            b,
            "<a href=\"{country}_{code}.html\">{}</a>",
            esc(&muni_name(muni))
        );
    } else {
        b.push_str(&esc(&muni_name(muni)));
    }
    b.push_str("</td><td class=\"t\">");
    match muni.group_2017.as_deref() {
        Some(g) if only.is_none() => {
            let _ = write!(
                b,
                "<a href=\"{}\">{}</a>",
                listing.group_file(g),
                super::group_name(g)
            );
        }
        Some(g) => {
            let _ = write!(b, "{}", super::group_name(g));
        }
        None => {}
    }
    b.push_str("</td><td");
    let r = listing.rows[m];
    match r.latest {
        Some(l) => {
            let scale = inp.analysed.scale_of(l.scale);
            let _ = write!(b, " data-v=\"{}\">{}</td><td", l.year, l.year);
            if let Some(v) = l.total {
                // A score as the data gives it (530,75), as on its page.
                let _ = write!(b, " data-v=\"{v}\">{}", w.score(v));
            } else {
                b.push('>');
            }
            // In the order the scales came into use (as text, "old scale"
            // came after "2020 scale").
            let _ = write!(
                b,
                "</td><td class=\"t\" data-v=\"{}\">{}",
                listing.in_time[l.scale],
                esc(w.scale_short(scale))
            );
        }
        None => b.push_str("></td><td></td><td class=\"t\">"),
    }
    b.push_str("</td><td");
    match r.change {
        Some(c) => {
            // Across the change of scale, its interval's half-width (the
            // subtraction of a linked total from the native one before
            // is no such change).
            let linked = match c.linked {
                Some(Some(h)) => format!("* ± {}", w.spread(h)),
                Some(None) => "* ± ?".into(),
                None => String::new(),
            };
            let _ = write!(
                b,
                " data-v=\"{}\">{}{linked}",
                c.delta,
                w.signed_to(c.shown.0, c.shown.1)
            );
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
    /// The municipalities by country, name (in the country's alphabetical
    /// order) and code (sorted once for the index and every group page).
    by_name: Vec<usize>,
    /// Per municipality: its place among all names, each in its country's
    /// alphabetical order (what a click on the name column sorts by: the
    /// browser knows one language's order only).
    name_rank: Vec<u32>,
    /// Each group's page ([`super::groups::file_names`]).
    pub group_files: BTreeMap<String, String>,
    /// Per frame scale: how many instrument versions came into use before
    /// its own (what the scale column sorts by).
    in_time: Vec<usize>,
}

impl Listing {
    pub fn new(inp: &Inputs) -> Self {
        let order = super::chronological(inp);
        let rows = rows(inp, &order);
        let f = inp.analysed.frame;
        // Names in their country's alphabetical order (Swedish å, ä, ö at
        // the end, Norwegian and Danish æ, ø, å); a municipality is one
        // (country, code): no ties.
        let keys: Vec<Vec<u32>> = (f.munis.par_iter())
            .map(|m| crate::render::collate::key(&m.country, &m.name))
            .collect();
        let mut by_name: Vec<usize> = (0..f.munis.len()).collect();
        by_name.par_sort_unstable_by(|&x, &y| {
            let (a, c) = (&f.munis[x], &f.munis[y]);
            (&a.country, &keys[x], &a.name, &a.code).cmp(&(&c.country, &keys[y], &c.name, &c.code))
        });
        let mut by_key: Vec<usize> = (0..f.munis.len()).collect();
        by_key.par_sort_unstable_by(|&x, &y| {
            let (a, c) = (&f.munis[x], &f.munis[y]);
            (&keys[x], &a.name, &a.country, &a.code).cmp(&(&keys[y], &c.name, &c.country, &c.code))
        });
        let mut name_rank = vec![0u32; f.munis.len()];
        for (rank, &m) in by_key.iter().enumerate() {
            name_rank[m] = rank as u32;
        }
        let groups = (f.munis.iter()).filter_map(|m| m.group_2017.as_deref());
        let ins = inp.analysed.instruments;
        let in_time = (f.scales.iter())
            .map(|fs| {
                (0..ins.scales().len())
                    .filter_map(|i| u8::try_from(i).ok())
                    .filter(|&i| ins.in_time(i) < ins.in_time(fs.instrument))
                    .count()
            })
            .collect();
        Listing {
            order,
            rows,
            by_name,
            name_rank,
            group_files: super::groups::file_names(groups),
            in_time,
        }
    }

    /// The page of group `group`.
    pub fn group_file(&self, group: &str) -> &str {
        self.group_files.get(group).map_or("", String::as_str)
    }
}

/// Latest evaluation, its total and the total's change into it, per
/// municipality. The latest evaluation is its last year on any native
/// scale; one without a total shows none (not an older one). The change is
/// the trend into that year from the round before it in the same chain
/// (`trends::chain`: a year on a scale not linked to the target is a chain
/// of its own), when both have the total (on a scale both share, or
/// through the link), and it ends at the total shown.
fn rows(inp: &Inputs, order: &[usize]) -> Vec<Row> {
    let f = inp.analysed.frame;
    let total = |s: usize| total_of(inp, s);
    let rank = |s: usize| order.iter().position(|&o| o == s).unwrap_or(usize::MAX);
    // Each municipality's evaluation years (per native scale run, in year
    // order), with the scale in report order, gathered on all cores.
    // Kept to 8 bytes an evaluation (millions at 1,000,000): the scale's
    // place in report order and its frame index fit a byte each.
    let mut years: Vec<(u32, u16, u8, u8)> = (f
        .points
        .par_chunk_by(|a, b| (a.scale, a.muni, a.year) == (b.scale, b.muni, b.year)))
    .filter(|run| !f.scales[usize::from(run[0].scale)].is_linked())
    .map(|run| {
        let (p, s) = (&run[0], usize::from(run[0].scale));
        (p.muni, p.year, rank(s).min(255) as u8, run[0].scale)
    })
    .collect();
    years.par_sort_unstable();
    let mut out = vec![Row::default(); f.munis.len()];
    // Per municipality: the latest year and its latest scale (the last
    // entry).
    for run in years.chunk_by(|a, b| a.0 == b.0) {
        let m = run[0].0 as usize;
        let &(_, year, _, scale) = &run[run.len() - 1];
        out[m].latest = Some(Latest {
            year,
            scale: usize::from(scale),
            total: None,
        });
    }
    // The latest evaluation's total (on the scale latest in report order
    // when it has one on several).
    let mut best = vec![None::<usize>; f.munis.len()];
    for x in inp.benchmarks {
        let s = usize::from(x.point.scale);
        let m = x.point.muni as usize;
        let Some(l) = out[m].latest.as_mut() else {
            continue;
        };
        if f.scales[s].is_linked() || x.point.item != total(s) || x.point.year != l.year {
            continue;
        }
        if best[m].is_none_or(|r| r < rank(s)) {
            best[m] = Some(rank(s));
            l.scale = s;
            l.total = Some(x.point.value);
        }
    }
    last_changes(inp, &rank, &mut out);
    out
}

/// The total's item on frame scale `s`.
fn total_of(inp: &Inputs, s: usize) -> ItemIx {
    inp.analysed.scale_of(s).total()
}

/// Each municipality's change into the last round that ends at the total
/// shown in `out`: on its scale, or on the linked scale from that total
/// (linked, or native where the total is on the target scale); of those,
/// the one latest in report order (`rank`: across the change of scale). A
/// change on another scale of the same year was shown beside the total,
/// as if from it (2020 total 440, +39 of the 2010 scale's 411 to 450).
fn last_changes(inp: &Inputs, rank: &dyn Fn(usize) -> usize, out: &mut [Row]) {
    let f = inp.analysed.frame;
    let total = |s: usize| total_of(inp, s);
    let source = |t: &Trend| match t.to_link {
        Some((link, _)) => inp
            .analysed
            .linking
            .and_then(|l| l.items.get(usize::from(link)))
            .map(|k| k.from),
        None => Some(f.scales[usize::from(t.scale)].instrument),
    };
    let mut chosen = vec![None::<usize>; f.munis.len()];
    for t in (inp.changes.iter()).filter(|t| t.item == total(usize::from(t.scale))) {
        let m = t.muni as usize;
        let Some(l) = out[m]
            .latest
            .filter(|l| l.year == t.to_year && l.total.is_some())
        else {
            continue;
        };
        let s = usize::from(t.scale);
        let ends_at_total = match f.scales[s].is_linked() {
            true => source(t) == Some(f.scales[l.scale].instrument),
            false => s == l.scale,
        };
        if !ends_at_total {
            continue;
        }
        if chosen[m].is_none_or(|r| r < rank(s)) {
            chosen[m] = Some(rank(s));
            out[m].change = Some(Change {
                delta: t.delta(),
                shown: super::changes::shown_change(t),
                linked: super::changes::change_half_width(inp, t),
            });
        }
    }
}
