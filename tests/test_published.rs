//! Published average profiles (`--published`) beside kompass's own: each
//! compared on its basis, its broken rows named, a source's two bases and
//! its scale however spelled.

use std::collections::HashMap;

use crate::test_analysis::{PROFILE, run};
use crate::test_side_tables::EXPORT;
use crate::workdir::{Workdir, assert_stderr_has, row, stderr};

/// Each published mean is set beside ours on its own basis, and a row with
/// nothing of ours to set it beside is named, not dropped in silence; a
/// basis by its Swedish name (`Alla`) too (user audit, 2026-12-05: the
/// Swedish column names were read, `alla` refused); a country by its name
/// or in small letters, as an export's (README audit, 2026-12-06: `Norge`
/// and `Sverige` were unknown countries, named `NORGE`).
/// By hand: item 1 of 0114 is 40 in 2010 and 60 in 2012, of 0115 70 in
/// 2012; up to 2012 the latest are 60 and 70 (65.00, n = 2) and all three
/// average 56.67 (n = 3); up to 2011 only 0114's 40 (40.00, n = 1).
#[test]
fn published_rows_are_compared_on_their_basis_or_named() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n\
         0114,2010,new,1,40\n0114,2012,new,1,60\n0115,2012,new,1,70\n",
    );
    wd.create(
        "published.csv",
        "source,published_year,country,scale,basis,item,mean,n\n\
         a,2012,Sverige,new,,1,50,\n\
         b,2012,se,new,Alla,1,50,3\n\
         c,2011,SE,new,Latest,1,50,\n\
         d,2009,SE,new,,1,50,\n\
         e,2012,SE,new,,1.1,10,\n\
         f,2012,SE,2020,all,1,50,\n",
    );
    let args = ["run", "-i", "in.csv", "--published", "published.csv"];
    let run = [
        &args[..],
        &["-o", "out", "--charts", "none", "--report", "none"],
    ]
    .concat();
    wd.run_expect(&run, 0);
    let v = wd.table("out/validation.csv").records();
    check_published_messages(&v);
    // Read as SE, as its comparison with the SE scores above says too.
    assert_eq!(row(&v, &[("line", "2")])["country"], "SE");
    // The column names what is missing: the years, the item, the scale.
    let columns: Vec<(&str, &str)> = (v.iter())
        .filter(|r| r["rule"] == "published-unmatched")
        .map(|r| (r["column"].as_str(), r["value"].as_str()))
        .collect();
    assert_eq!(
        columns,
        [
            ("published_year", "2009"),
            ("item", "1.1"),
            ("scale", "2020")
        ]
    );
    a_bad_basis_or_n_stops_the_run(&wd, &run);
}

/// The published rows of `published_rows_are_compared_on_their_basis_or_named`
/// in `v` (its validation.csv): each compared on its own basis (lines 2-4)
/// or named as unmatched (lines 5-7), and no other.
fn check_published_messages(v: &[HashMap<String, String>]) {
    let published: Vec<(&str, &str, &str)> = (v.iter())
        .filter(|r| r["rule"].starts_with("published"))
        .map(|r| {
            (
                r["line"].as_str(),
                r["rule"].as_str(),
                r["message"].as_str(),
            )
        })
        .collect();
    let said = |line: &str, rule: &str, text: &str| {
        assert!(
            published
                .iter()
                .any(|&(l, r, m)| l == line && r == rule && m.contains(text)),
            "line {line}: {rule} '{text}' not in {published:?}"
        );
    };
    said(
        "2",
        "published-difference",
        "ours is 65.00 (n = 2, latest per municipality up to 2012)",
    );
    said(
        "3",
        "published-difference",
        "(n = 3, b, 2012); ours is 56.67 (n = 3, every evaluation",
    );
    said(
        "4",
        "published-difference",
        "ours is 40.00 (n = 1, latest per municipality up to 2011)",
    );
    said(
        "5",
        "published-unmatched",
        "no municipality's latest SE evaluation on the new scale up to 2009 has item 1",
    );
    said("6", "published-unmatched", "up to 2012 has item 1.1");
    said(
        "7",
        "published-unmatched",
        "no SE evaluation on the 2020 scale up to 2012 has item 1",
    );
    assert_eq!(published.len(), 6, "{published:?}");
}

/// A published file with a basis or an n that is not one stops the `run`
/// in `wd` (exit 2), naming the cell.
fn a_bad_basis_or_n_stops_the_run(wd: &Workdir, run: &[&str]) {
    // A basis or an n that is not one stops the run, naming the cell.
    for (row, said) in [
        (
            "g,2012,SE,new,some,1,50,",
            "line 2, column basis: 'some' is not a basis",
        ),
        (
            "g,2012,SE,new,,1,50,-3",
            "line 2, column n: '-3' is not a whole number",
        ),
        // An average of no evaluations (it was shown as "n = 0").
        (
            "g,2012,SE,new,,1,50,0",
            "line 2, column n: '0' is not a whole number of 1 or more",
        ),
        // A whole number too large to hold is one (it was "not a whole
        // number": reference audit of the seventy-sixth session).
        (
            "g,2012,SE,new,,1,50,18446744073709551616",
            "line 2, column n: '18446744073709551616' is too large (at most \
             18446744073709551615)",
        ),
    ] {
        let header = "source,published_year,country,scale,basis,item,mean,n";
        wd.create("published.csv", format!("{header}\n{row}\n"));
        let err = stderr(&wd.run_expect(run, 2));
        assert!(err.contains(said), "{err}");
    }
}

/// A source that publishes two profiles of a year, its latest evaluations'
/// and all of them, has each checked on its own: the areas of one were
/// added up against the total of the other (`published-inconsistent`,
/// "add up to 400 but the published total is 480"). Each adds up here:
/// 8 · 50 = 400 and 8 · 60 = 480.
#[test]
fn a_sources_two_bases_are_two_profiles() {
    let wd = Workdir::new();
    wd.create("in/export.csv", EXPORT);
    let rows: String = (["all,total,480".to_string()].into_iter())
        .chain((1..=8).map(|a| format!("latest,{a},50")))
        .chain(["latest,total,400".to_string()])
        .chain((1..=8).map(|a| format!("all,{a},60")))
        .map(|r| format!("SKR,2011,SE,new,{r},\n"))
        .collect();
    wd.create(
        "published.csv",
        format!("source,published_year,country,scale,basis,item,mean,n\n{rows}"),
    );
    let args = ["run", "-i", "in", "--published", "published.csv", "-q"];
    wd.run_expect(&[&args[..], &["-o", "out", "--charts", "none"]].concat(), 0);
    let v = wd.table("out/validation.csv");
    assert!(
        !v.column("rule")
            .iter()
            .any(|r| r == "published-inconsistent")
    );
    assert_eq!(
        (v.column("rule").iter())
            .filter(|r| *r == "published-difference")
            .count(),
        18
    );
}

/// A profile is one however its rows spell the scale and item: areas
/// written `ny` and the total `new` are added up together (8 · 50 = 400
/// against a published 480: `published-inconsistent`), and the finding
/// names the scale by its id, as every other finding does.
#[test]
fn a_profile_is_one_however_its_rows_spell_the_scale() {
    let wd = Workdir::new();
    wd.create("in/export.csv", EXPORT);
    let rows: String = ((1..=8).map(|a| format!("ny,latest,{a},50")))
        .chain(["new,latest,totalt,480".to_string()])
        .map(|r| format!("SKR,2011,SE,{r}\n"))
        .collect();
    wd.create(
        "published.csv",
        format!("source,published_year,country,scale,basis,item,mean\n{rows}"),
    );
    let args = ["run", "-i", "in", "--published", "published.csv", "-q"];
    wd.run_expect(&[&args[..], &["-o", "out", "--charts", "none"]].concat(), 0);
    let v = wd.table("out/validation.csv").records();
    let found: Vec<(&str, &str)> = (v.iter())
        .filter(|r| r["rule"] == "published-inconsistent")
        .map(|r| (r["scale"].as_str(), r["item"].as_str()))
        .collect();
    assert_eq!(found, [("new", "total")], "{v:?}");
}

/// A published mean's `value` is the cell as the file writes it, as every
/// finding's is (the published-figures audit of 2026-12-04: `100,5` of a
/// Swedish file was given as `100.5`, `11.0` as `11`), in the message of a
/// row not compared too; the comparison reads the number. A mean above
/// the maximum by float noise is within it, as a score is (it was not
/// compared), and one written `-0` is named 0 in the message (it said
/// `-0`). The message names the column as the file does (`medel`: it
/// said `mean` of a Swedish file, audit of the seventy-fourth session).
#[test]
fn a_published_mean_is_named_as_written() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2010,new,1,40\n",
    );
    wd.create(
        "published.csv",
        "källa;publiceringsår;land;skala;fråga;medel\n\
         a;2011;SE;ny;1;100,5\nb;2011;SE;ny;1;49,5\nc;2011;SE;ny;1;11.0\n\
         d;2011;SE;ny;1;100.0000000001\ne;2011;SE;ny;1;-0\n",
    );
    let args = ["run", "-i", "in.csv", "--published", "published.csv", "-q"];
    wd.run_expect(&[&args[..], &["-o", "out", "--charts", "none"]].concat(), 0);
    let v = wd.table("out/validation.csv").records();
    let found: Vec<(&str, &str, &str)> = (v.iter())
        .filter(|r| r["rule"].starts_with("published-"))
        .map(|r| {
            (
                r["rule"].as_str(),
                r["column"].as_str(),
                r["value"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("published-unmatched", "medel", "100,5"),
            ("published-difference", "medel", "49,5"),
            ("published-difference", "medel", "11.0"),
            ("published-difference", "medel", "100.0000000001"),
            ("published-difference", "medel", "-0"),
        ]
    );
    assert!(
        v[0]["message"]
            .contains("published row not compared: medel '100,5': outside the item's range"),
        "{v:?}"
    );
    // By hand: ours is 40, so 49,5 is a difference of -9.50.
    assert!(v[1]["message"].contains("difference -9.50"), "{v:?}");
    // A mean written -0 is 0, as a score is: 40 − 0.
    let zero = "published mean of item 1 is 0 (e, 2011); ours is 40.00";
    assert!(v[4]["message"].contains(zero), "{v:?}");
    assert!(v[4]["message"].contains("difference +40.00"), "{v:?}");
}

#[test]
fn published_profile_is_checked() {
    let wd = Workdir::new();
    wd.create("in.csv", PROFILE);
    let published = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/published/averages.csv"
    ))
    .unwrap();
    wd.create("averages.csv", published);
    run(&wd, "in.csv", &["--published", "averages.csv"]);
    let v = wd.table("out/validation.csv").records();
    // The seed's area averages add up to 454 against its total 462.
    let bad = row(&v, &[("rule", "published-inconsistent")]);
    assert_eq!(
        (
            bad["file"].as_str(),
            bad["line"].as_str(),
            bad["item"].as_str()
        ),
        ("averages.csv", "10", "total")
    );
    assert!(bad["message"].contains("add up to 454"));
    // Ours up to 2011: only 0114's 2010 evaluation (area 1: 40) vs published 49.
    let diff = row(&v, &[("rule", "published-difference"), ("item", "1")]);
    assert_eq!(diff["severity"], "info");
    assert!(
        diff["message"].contains("ours is 40.00 (n = 1"),
        "{}",
        diff["message"]
    );
}

/// A published row that cannot be compared is named, not dropped; a
/// published mean that is not a number stops the run before any data.
#[test]
fn published_rows_that_cannot_be_compared_are_named() {
    let wd = Workdir::new();
    wd.create("in.csv", PROFILE);
    wd.create(
        "pub.csv",
        "source,published_year,country,scale,basis,item,mean,n\n\
         SKR,2011,SE,newer,latest,1,50,2\n\
         SKR,2011,SE,new,latest,9.9,50,2\n\
         SKR,2011,Xx,new,latest,1,50,2\n\
         SKR-b,2011,SE,new,latest,1,500,2\n\
         SKR,2011,SE,new,latest,1,49,2\n",
    );
    run(&wd, "in.csv", &["--published", "pub.csv"]);
    let v = wd.table("out/validation.csv").records();
    let found: Vec<(&str, &str, &str, &str)> = v
        .iter()
        .filter(|r| r["rule"].starts_with("published-"))
        .map(|r| {
            let (rule, line) = (r["rule"].as_str(), r["line"].as_str());
            (rule, line, r["column"].as_str(), r["value"].as_str())
        })
        .collect();
    assert_eq!(
        found,
        [
            ("published-unmatched", "2", "scale", "newer"),
            ("published-unmatched", "3", "item", "9.9"),
            ("published-unmatched", "4", "country", "Xx"),
            ("published-unmatched", "5", "mean", "500"),
            ("published-difference", "6", "mean", "49"),
        ]
    );
    let range = row(&v, &[("line", "5")]);
    assert!(range["message"].contains("outside the item's range, 0 to 100"));
    let country = row(&v, &[("line", "4")]);
    assert!(country["message"].contains("country 'Xx': not in the register (DK, NO, SE)"));

    wd.create(
        "pub.csv",
        "source,published_year,country,scale,basis,item,mean,n\nSKR,2011,SE,new,latest,1,abc,2\n",
    );
    let args = [
        "run",
        "-i",
        "in.csv",
        "-o",
        "out2",
        "--published",
        "pub.csv",
    ];
    let out = wd.run(&args);
    assert_eq!(out.status.code(), Some(2));
    let says = "pub.csv: line 2, column mean: 'abc' is not a number";
    assert!(stderr(&out).contains(says), "{}", stderr(&out));
    assert!(!wd.exists("out2"));
    // A row of the wrong length is the same kind of error (exit 2, a
    // broken configuration file), not an unreadable input (exit 1).
    wd.create(
        "pub.csv",
        "source,published_year,country,scale,basis,item,mean,n\nSKR,2011,SE,new,,1,49,2,x\n",
    );
    let out = wd.run(&args);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_stderr_has(&out, "pub.csv: line 2: 9 field(s) where the header has 8");
}

/// A column one letter from an optional column the file lacks
/// (`underlagg`, `Basi`, `antl`, a swap `bsais`) is named in a warning
/// with the one meant: it was ignored without a word, every row compared as `latest` (side-
/// input audit, 2026-12-06). A figure given twice (one source, year,
/// country, scale, item and basis, 49 and 90, the second written `s`,
/// `Sverige`, `ny`) stops the run naming both lines: each had been
/// compared, the consistency check taking the first.
#[test]
fn a_misspelt_column_is_named_and_a_figure_given_twice_refused() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2010,new,1,40\n",
    );
    let run = [
        "run",
        "-i",
        "in.csv",
        "--published",
        "p.csv",
        "-o",
        "o",
        "--force",
    ];
    for (column, meant) in [
        ("underlagg", "underlag"),
        ("Basi", "basis"),
        ("antl", "antal"),
        ("bsais", "basis"),
    ] {
        wd.create(
            "p.csv",
            format!(
                "source,published_year,country,scale,{column},item,mean\nS,2012,SE,new,all,1,50\n"
            ),
        );
        assert_stderr_has(
            &wd.run_expect(&[&run[..], &["-q"]].concat(), 0),
            &format!(
                "p.csv: the published column '{column}' is not read (did you mean '{meant}'?)"
            ),
        );
    }
    // Not a misspelling: a column of its own (`andel`, `note`).
    wd.create(
        "p.csv",
        "source,published_year,country,scale,andel,note,item,mean\nS,2012,SE,new,x,y,1,50\n",
    );
    let err = stderr(&wd.run_expect(&run, 0));
    assert!(!err.contains("is not read"), "{err}");
    wd.create(
        "p.csv",
        "source,published_year,country,scale,basis,item,mean\n\
         S,2011,SE,new,,1,49\nS,2011,SE,new,all,1,49\ns,2011,Sverige,ny,,1,90\n",
    );
    assert_stderr_has(
        &wd.run_expect(&run, 2),
        "p.csv: line 4, column item: the figure of this row's source, year, country, scale, \
         item and basis (s, 2011, Sverige, ny, 1, latest) is given on line 2 too",
    );
}
