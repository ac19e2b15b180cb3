//! `--country` as a whole: an export without a country column read with
//! `--country` gives the figures the same export with the column gives.

use crate::workdir::{Workdir, stdout, words};

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
    // So does `inputs.csv` (`country_read_as`), empty for a file with
    // the column.
    let read_as = |out: &str| {
        wd.table(&format!("{out}/inputs.csv"))
            .column("country_read_as")
    };
    assert_eq!(read_as("with"), [""]);
    assert_eq!(read_as("without"), ["NO"]);
    // The summary says what a file without the column was read as.
    let out = wd.run_expect(&words("validate cut.csv --country NO -o as_no"), 0);
    let line = "cut.csv: long layout, UTF-8, ',', read as NO's (no country column); rows read";
    assert!(stdout(&out).contains(line), "{}", stdout(&out));
    let out = wd.run_expect(&words("validate gen/evaluations.csv -o with_column"), 0);
    assert!(!stdout(&out).contains("read as"), "{}", stdout(&out));
    wd.run_expect(&words("validate cut.csv -o as_se -q"), 0);
    assert_eq!(read_as("as_se"), ["SE"]);
    let rules = wd.table("as_se/validation.csv").column("rule");
    assert_eq!(rules.iter().filter(|r| *r == "other-country").count(), 1);
    let unknown = rules
        .iter()
        .filter(|r| *r == "unknown-municipality")
        .count();
    assert_eq!(unknown + 1, rules.len(), "{rules:?}");
}

/// A Swedish export with a typo that is a Norwegian code, beside the
/// Swedish name it is a typo for, is no Norwegian export: neither the
/// file (`other-country`) nor the row (`unknown-municipality`) is told it
/// may be Norway's (recheck, 2026-12-05: `1120` beside Värmdö was called
/// Klepp's, and the file "NO's export?"). Beside Klepp's name it is.
#[test]
fn a_typo_beside_its_swedish_name_is_not_another_country_s() {
    let wd = Workdir::new();
    let export = |name: &str| {
        format!(
            "kommunkod;kommun;år;skala;fråga;poäng\n0114;Upplands Väsby;2016;ny;totalt;400\n\
             0127;Botkyrka;2016;ny;totalt;410\n0160;Täby;2016;ny;totalt;420\n\
             1120;{name};2016;ny;totalt;430\n"
        )
    };
    wd.create("se.csv", export("Värmdö"));
    wd.run_expect(&words("validate se.csv -o se -q"), 0);
    let found = wd.table("se/validation.csv").select(&["rule", "message"]);
    let want = [[
        "unknown-municipality",
        "SE municipality code 1120 is not in the register",
    ]];
    assert_eq!(found, want);
    wd.create("no.csv", export("Klepp"));
    wd.run_expect(&words("validate no.csv -o no -q"), 0);
    let found = wd.table("no/validation.csv").select(&["rule", "line"]);
    let want = [["other-country", "1"], ["unknown-municipality", "5"]];
    assert_eq!(found, want);
    let message = &wd.table("no/validation.csv").column("message")[1];
    assert!(
        message.ends_with(
            "; NO 1120 is Klepp: the file has no country column, so its rows \
                               are read as SE's (--country NO reads the run's files without one \
                               as NO's; or give it a country column)"
        ),
        "{message}"
    );
}

/// A Norwegian export whose leading zeros were lost, read as Denmark's:
/// `301` is a well-formed Danish code, unknown in Denmark, and beside
/// Oslo's name it is NO 0301 (2026-12-06: nothing pointed to Norway);
/// without a name, or beside another's, no lead. The outputs name DK 301
/// Bergen, the first of its names in byte order, which 2016's warning says.
#[test]
fn a_danish_well_formed_code_beside_a_norwegian_name_is_named() {
    let wd = Workdir::new();
    wd.create(
        "no.csv",
        "kommunenummer;kommune;år;skala;spørsmål;poeng\n301;Oslo;2016;ny;totalt;400\n\
         301;;2017;ny;totalt;410\n301;Bergen;2018;ny;totalt;420\n",
    );
    wd.run_expect(&words("validate no.csv --country DK -o out -q"), 0);
    let found = wd.table("out/validation.csv").select(&["rule", "line"]);
    let unknown = |line: &str| ["unknown-municipality".to_string(), line.to_string()];
    assert_eq!(found, [unknown("2"), unknown("3"), unknown("4")]);
    let messages = wd.table("out/validation.csv").column("message");
    let plain = "DK municipality code 301 is not in the register";
    let oslo = format!(
        "{plain}; NO 0301 is Oslo - Oslove: the file has no country column, so its rows are \
         read as DK's (--country NO reads the run's files without one as NO's; or give it a \
         country column); its rows name it 'Oslo': the outputs show 'Bergen', the first in byte \
         order of the names given it in any evaluation"
    );
    assert_eq!(messages, [oslo.as_str(), plain, plain]);
}
