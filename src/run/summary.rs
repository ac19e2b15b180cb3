//! The run summary printed at the end: per-file reconciliation (rows read =
//! accepted + rejected), evaluations, findings by rule, files written.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::io::dialect::Delimiter;
use crate::run::pipeline::Outcome;
use crate::validate::Reconciliation;
use crate::validate::rules::Severity;

/// The summary block as text, with the input files' `counts`; written
/// files are named under `out` (they were written into `staging` and
/// moved there). Charts and report pages
/// are counted in one line each; `verbose` lists them too.
pub fn render(
    outcome: &Outcome,
    counts: &Reconciliation,
    staging: &std::path::Path,
    out: &std::path::Path,
    verbose: bool,
) -> String {
    let data = &outcome.data;
    let mut s = String::new();
    let _ = writeln!(s, "inputs: {} file(s)", data.files.len());
    for (f, c) in data.files.iter().zip(&counts.files) {
        // The country of a file without a country column (`--country`).
        let read_as = (f.read_as.as_ref()).map_or(String::new(), |r| {
            format!(", read as {}'s (no country column)", r.country)
        });
        let _ = writeln!(
            s,
            "  {}: {} layout, {}, {}{read_as}; rows read {} = {} accepted + {} rejected{}",
            crate::io::named(&f.path),
            f.layout.as_str(),
            f.encoding,
            Delimiter::named(f.delimiter),
            c.read,
            c.accepted(),
            c.rejected,
            cells_rejected(c.cells_rejected)
        );
    }
    for (path, why) in &data.skipped {
        let _ = writeln!(
            s,
            "  {}: skipped, not an export ({why})",
            crate::io::named(path)
        );
    }
    let all = counts.total;
    let _ = writeln!(
        s,
        "  all files: rows read {} = {} accepted + {} rejected{}",
        all.read,
        all.accepted(),
        all.rejected,
        cells_rejected(all.cells_rejected)
    );
    let counts = data.counts;
    let _ = writeln!(
        s,
        "evaluations: {} with {} scores ({} published, {} derived)",
        data.evaluation_count(),
        counts.scores,
        counts.scores - counts.derived,
        counts.derived
    );
    let mut by_rule: BTreeMap<(Severity, &str), u64> = BTreeMap::new();
    for (rule, n) in data.rule_counts() {
        *by_rule.entry((rule.severity(), rule.code())).or_default() += n;
    }
    let _ = writeln!(
        s,
        "findings: {} error(s), {} warning(s)",
        outcome.count(Severity::Error),
        outcome.count(Severity::Warning)
    );
    for ((sev, code), n) in by_rule {
        let _ = writeln!(s, "  {:<8}{code:<24}{n}", sev.as_str());
    }
    if let Some(l) = &outcome.linking {
        linking(&mut s, l, &outcome.instruments);
    }
    written(&mut s, outcome, staging, out, verbose);
    s
}

/// One line per linked scale (items, methods, pairs, scores linked) and
/// one per scale that could not be linked.
fn linking(
    s: &mut String,
    l: &crate::linking::Linking,
    ins: &crate::reference::instrument::Instruments,
) {
    let to = &ins.get(l.to).id;
    let mut from_scales: Vec<_> = l.items.iter().map(|i| i.from).collect();
    from_scales.dedup();
    for from in from_scales {
        let items: Vec<_> = l.items.iter().filter(|i| i.from == from).collect();
        let pairs = items.iter().map(|i| i.pairs.len()).max().unwrap_or(0);
        let mut methods: Vec<&str> = items.iter().map(|i| i.method.as_str()).collect();
        methods.sort_unstable();
        methods.dedup();
        let linked: u64 = items.iter().map(|i| i.linked).sum();
        let _ = writeln!(
            s,
            "linking {} -> {to}: {} item(s), {} ({pairs} pair{}), {linked} score{} linked",
            ins.get(from).id,
            items.len(),
            methods.join("/"),
            if pairs == 1 { "" } else { "s" },
            if linked == 1 { "" } else { "s" },
        );
    }
    for (from, why) in &l.unlinked {
        let _ = writeln!(
            s,
            "NOT LINKED {} -> {to}: {why}; its evaluations are left out of cross-scale results",
            ins.get(*from).id
        );
    }
}

/// The files written: each CSV file with its rows; charts and report pages
/// counted per folder (and listed under `verbose`).
fn written(
    s: &mut String,
    outcome: &Outcome,
    staging: &std::path::Path,
    out: &std::path::Path,
    verbose: bool,
) {
    let mut folders: BTreeMap<std::path::PathBuf, usize> = BTreeMap::new();
    for w in &outcome.written {
        let rel = w.path.strip_prefix(staging).unwrap_or(&w.path);
        let path = out.join(rel);
        let in_folder = rel.components().count() > 1;
        if in_folder {
            *folders
                .entry(path.parent().unwrap_or(out).to_path_buf())
                .or_default() += 1;
        }
        if in_folder && verbose {
            // A chart or page: no rows to count.
            let _ = writeln!(s, "wrote {}", crate::io::named(&path));
        } else if !in_folder {
            let rows = if w.rows == 1 { "row" } else { "rows" };
            let _ = writeln!(s, "wrote {} ({} {rows})", crate::io::named(&path), w.rows);
        }
    }
    for (folder, n) in folders {
        let _ = writeln!(s, "wrote {n} files into {}", crate::io::named(&folder));
    }
}

/// The reconciliation line's note of the score cells rejected on their
/// own in accepted (wide) rows; nothing without any.
fn cells_rejected(n: u64) -> String {
    match n {
        0 => String::new(),
        1 => "; 1 score cell of an accepted row rejected".into(),
        n => format!("; {n} score cells of accepted rows rejected"),
    }
}
