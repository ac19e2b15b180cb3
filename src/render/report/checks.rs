//! The index's sections on how far its figures can be trusted: the
//! linking functions with their quality, and the validation counts.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Inputs, chart, esc, note, table_head};
use crate::linking::ItemLink;
use crate::linking::methods::Method;
use crate::render::charts::ChartId;
use crate::render::text::{Labels, Lang};
use crate::validate::rules::{Rule, Severity};

/// The linking functions and their quality.
pub(super) fn linking(b: &mut String, inp: &Inputs, w: &Labels) {
    let _ = writeln!(
        b,
        "<h2 id=\"lankning\">{}</h2>",
        w.pick("Länkning mellan skalor", "Linking between scales")
    );
    let Some(l) = inp.analysed.linking else {
        let _ = writeln!(b, "<p>{}</p>", w.pick("Ingen länkning.", "No linking."));
        return;
    };
    let to = inp.analysed.instruments.get(l.to);
    note(b, linking_note(w));
    if !l.items.is_empty() {
        table_head(
            b,
            &[
                w.pick("Från → till", "From → to"),
                w.pick("Område → område", "Area → area"),
                w.pick("Metod", "Method"),
            ],
            &[
                w.pick("Par", "Pairs"),
                "r",
                w.pick("Lutning", "Slope"),
                w.pick("Konstant", "Intercept"),
                w.pick("Medelfel, utanför", "Error, left out"),
                w.pick("Kvalitet", "Quality"),
            ],
        );
        for i in &l.items {
            let fs = inp.analysed.instruments.get(i.from);
            // The mean link's slope is not estimated but fixed at 1.
            let (sl, ic) = match i.fitted.line() {
                Some((_, c)) if i.method == Method::Mean => {
                    (w.pick("1 (fast)", "1 (fixed)").to_string(), w.fixed(c, 2))
                }
                Some((s, c)) => (w.fixed(s, 3), w.fixed(c, 2)),
                None => (String::new(), String::new()),
            };
            let quality = match (i.is_weak(), i.is_unestimated()) {
                (_, true) => w.pick("svag, felet ej skattat", "weak, error not estimated"),
                (true, false) => w.pick("svag", "weak"),
                (false, false) => w.pick("god", "good"),
            };
            // Two points always lie on a line: their r says nothing (`–`,
            // and the note says why: an empty cell said nothing).
            let r =
                (i.r.filter(|_| i.pairs.len() >= 3)).map_or("–".to_string(), |r| w.fixed(r, 2));
            let _ = writeln!(
                b,
                "<tr><td class=\"t\">{} → {}</td><td class=\"t\">{} → {}</td><td class=\"t\">{}</td><td>{}</td><td>{}</td><td>{sl}</td><td>{ic}</td><td>{}</td><td>{quality}</td></tr>",
                esc(w.scale_short(fs)),
                esc(w.scale_short(to)),
                esc(&w.item_label(fs, i.from_item)),
                esc(&w.item_label(to, i.to_item)),
                w.method(i.method),
                i.pairs.len(),
                r,
                i.loo_mae.map_or(String::new(), |v| w.fixed(v, 2))
            );
        }
        b.push_str("</table>\n");
    }
    for (from, why) in &l.unlinked {
        let scale = inp.analysed.instruments.get(*from);
        let _ = writeln!(
            b,
            "<p><strong>{} {}</strong>: {}</p>",
            w.pick("Ej länkad:", "Not linked:"),
            esc(w.scale_name(scale)),
            esc(&w.not_linked(scale, why))
        );
    }
    let mut from: Vec<u8> = l.items.iter().map(|i| i.from).collect();
    from.dedup();
    for s in from {
        let (from, to) = (inp.analysed.instruments.get(s).id.clone(), to.id.clone());
        b.push_str(&chart(inp, ChartId::Linking { from, to }));
    }
}

/// Rows read, used and rejected, the findings per rule, and links to the
/// data files.
pub(super) fn validation(b: &mut String, inp: &Inputs, w: &Labels) {
    let _ = writeln!(
        b,
        "<h2 id=\"validering\">{}</h2>",
        w.pick("Validering", "Validation")
    );
    let mut counts: BTreeMap<(Severity, Rule), u64> = BTreeMap::new();
    for (rule, n) in inp.data.rule_counts() {
        *counts.entry((rule.severity(), rule)).or_default() += n;
    }
    for x in inp.published {
        *counts.entry((x.rule.severity(), x.rule)).or_default() += 1;
    }
    let all = inp.data.reconciliation().total;
    let (read, rejected) = (all.read, all.rejected);
    // Score cells rejected on their own in rows used (the wide layout):
    // rows of rejects.csv too.
    let cells = match all.cells_rejected {
        0 => String::new(),
        n => format!(
            "; {n} {}",
            w.pick(
                "poängceller avvisade i använda rader",
                "score cells rejected in rows used"
            )
        ),
    };
    let evaluations = inp.format.file("evaluations");
    let _ = writeln!(
        b,
        "<p>{} {read} = {} {} + <a href=\"../rejects.csv\">{} {rejected}</a>{cells} (rejects.csv). {} {}. <a href=\"../validation.csv\">validation.csv</a> · <a href=\"../{evaluations}\">{evaluations}</a></p>",
        w.pick("Inlästa rader:", "Rows read:"),
        w.pick("använda", "used"),
        all.accepted(),
        w.pick("avvisade", "rejected"),
        w.pick("Utvärderingar:", "Evaluations:"),
        // With at least one score, as the run summary counts them (an
        // evaluation whose every row was rejected is not in the data).
        inp.data.evaluation_count()
    );
    // No findings, said (a table of its head alone said nothing).
    if counts.is_empty() {
        let _ = writeln!(
            b,
            "<p>{}</p>",
            w.pick(
                "Valideringen fann inget att anmärka på (validation.csv är tom).",
                "Validation found nothing to note (validation.csv is empty)."
            )
        );
        return;
    }
    // Each rule's meaning: the README's line in English, a short one in
    // Swedish (the Swedish report showed the rule codes alone).
    let left = [
        w.pick("Allvarsgrad", "Severity"),
        w.pick("Regel", "Rule"),
        w.pick("Betydelse", "Meaning"),
    ];
    table_head(b, &left, &["n"]);
    for ((sev, rule), n) in counts {
        let doc = w.pick(rule.doc_sv(), rule.doc());
        let _ = writeln!(
            b,
            "<tr><td class=\"t\">{}</td><td class=\"t\">{}</td><td class=\"t q\">{}</td><td>{n}</td></tr>",
            w.severity(sev),
            rule.code(),
            super::with_code(doc),
        );
    }
    b.push_str("</table>\n");
}

/// The note over the links' table: what a link is, and when it is weak
/// (the limits [`ItemLink::is_weak`] applies).
fn linking_note(w: &Labels) -> String {
    let (pairs, r) = (ItemLink::MIN_PAIRS, w.score(ItemLink::MIN_R));
    match w.lang {
        Lang::Sv => format!(
            "Länkningen omräknar poäng till en skala från utvärderingar bedömda på två skalor samtidigt (Kolen &amp; Brennan). Medelfel, utanför: det genomsnittliga absoluta felet när varje kommuns par omräknas med en länk skattad utan dem (loo_mae); svag: par från färre än {pairs} kommuner eller r under {r}; r – under 3 par, som alltid ligger på en linje, och för par utan spridning (linking.csv)."
        ),
        Lang::En => format!(
            "The link converts points to one scale from evaluations scored on two scales at once (Kolen &amp; Brennan). Error, left out: the mean absolute error of each municipality's pairs converted by a link fitted without them (loo_mae); weak: pairs of fewer than {pairs} municipalities or r below {r}; r – below 3 pairs, which always lie on a line, and for pairs without spread (linking.csv)."
        ),
    }
}
