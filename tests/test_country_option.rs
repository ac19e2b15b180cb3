//! `--country` as a whole: an export without a country column read with
//! `--country` gives the figures the same export with the column gives.

use crate::workdir::{Workdir, words};

/// A generated Norwegian export with its country column cut off, read
/// with `--country NO`, gives every table of figures byte for byte as the
/// export with the column does (an independent path: the column's cell
/// read on every row against one option); read without it, every code is
/// unknown in Sweden, and one `other-country` warning says whose they
/// are.
#[test]
fn an_export_without_its_country_column_gives_the_same_figures() {
    let wd = Workdir::new();
    wd.run_expect(&words("synth -n 120 --countries NO --seed 7 -o gen -q"), 0);
    let text = String::from_utf8(wd.read("gen/evaluations.csv")).expect("UTF-8");
    let mut cut = String::new();
    for line in text.lines() {
        let (country, rest) = line.split_once(',').expect("a first column");
        assert!(country == "country" || country == "NO", "{line}");
        cut.push_str(rest);
        cut.push('\n');
    }
    wd.create("cut.csv", cut);
    let common = "--charts none --report none -q";
    wd.run_expect(
        &words(&format!("run gen/evaluations.csv -o with {common}")),
        0,
    );
    wd.run_expect(
        &words(&format!("run cut.csv --country NO -o without {common}")),
        0,
    );
    for table in [
        "evaluations.csv",
        "averages.csv",
        "trends.csv",
        "trend_summary.csv",
        "benchmarks.csv",
        "linking.csv",
        "linked_scores.csv",
        "concordance.csv",
        "year_totals.csv",
        "role_models.csv",
    ] {
        // (`source` is the file's number and the line: 1 in both.)
        let a = wd.read(&format!("with/{table}"));
        let b = wd.read(&format!("without/{table}"));
        assert!(a.len() > 100, "{table} holds no figures");
        assert!(a == b, "{table} differs");
    }
    wd.run_expect(&words("validate cut.csv -o as_se -q"), 0);
    let rules = wd.table("as_se/validation.csv").column("rule");
    assert_eq!(rules.iter().filter(|r| *r == "other-country").count(), 1);
    let unknown = rules
        .iter()
        .filter(|r| *r == "unknown-municipality")
        .count();
    assert_eq!(unknown + 1, rules.len(), "{rules:?}");
}
