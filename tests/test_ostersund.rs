//! The seed report (Östersund 2011, SKL): Östersund's 2010 evaluation typed
//! into three exports (long, wide, Swedish Excel). Expected scores and
//! maxima are the seed's, copied by hand from its Table 1 and section 4;
//! the expected percent is computed here from them (score / max), as
//! kompass documents it, not the seed's, which its report took from
//! unrounded points.

use crate::workdir::{Workdir, words};

/// (item, achieved, max) from section 4 and Table 1 of the seed.
pub const NEW: &[(&str, &str, &str)] = &[
    ("1", "68", "100"),
    ("1.1", "11", "15"),
    ("1.2", "16", "20"),
    ("1.3", "15", "25"),
    ("1.4", "19", "30"),
    ("1.5", "6", "10"),
    ("2", "66", "100"),
    ("2.1", "14", "15"),
    ("2.2", "14", "25"),
    ("2.3", "7", "15"),
    ("2.4", "10", "15"),
    ("2.5", "8", "15"),
    ("2.6", "13", "15"),
    ("3", "77", "100"),
    ("3.1", "11", "15"),
    ("3.2", "17", "25"),
    ("3.3", "19", "25"),
    ("3.4", "20", "20"),
    ("3.5", "11", "15"),
    ("4", "64", "100"),
    ("4.1", "6", "15"),
    ("4.2", "5", "10"),
    ("4.3", "14", "20"),
    ("4.4", "11", "15"),
    ("4.5", "13", "20"),
    ("4.6", "16", "20"),
    ("5", "57", "100"),
    ("5.1", "8", "15"),
    ("5.2", "12", "20"),
    ("5.3", "9", "20"),
    ("5.4", "9", "15"),
    ("5.5", "11", "20"),
    ("5.6", "9", "10"),
    ("6", "74", "100"),
    ("6.1", "11", "15"),
    ("6.2", "15", "20"),
    ("6.3", "19", "25"),
    ("6.4", "11", "15"),
    ("6.5", "14", "15"),
    ("6.6", "5", "10"),
    ("7", "66", "100"),
    ("7.1", "12", "15"),
    ("7.2", "22", "25"),
    ("7.3", "11", "20"),
    ("7.4", "11", "20"),
    ("7.5", "11", "20"),
    ("8", "76", "100"),
    ("8.1", "11", "15"),
    ("8.2", "12", "20"),
    ("8.3", "17", "20"),
    ("8.4", "13", "15"),
    ("8.5", "8", "10"),
    ("8.6", "15", "20"),
    ("total", "547", "800"),
];

/// Table 1, "Äldre poängskala".
const OLD: &[(&str, &str)] = &[
    ("1", "79"),
    ("2", "79.5"),
    ("3", "81"),
    ("4", "77"),
    ("5", "73"),
    ("6", "67"),
    ("7", "70"),
    ("8", "88"),
    ("total", "614.5"),
];

/// evaluations.csv without its `source` column (which names the file and
/// line, and so differs between the three exports by design).
fn canonical(fixture: &str) -> Vec<Vec<String>> {
    let wd = Workdir::new();
    wd.copy_fixture(fixture);
    wd.run_expect(&["validate", "--input", fixture, "--out", "out"], 0);
    let validation = wd.table("out/validation.csv");
    assert!(
        validation.rows.is_empty(),
        "{fixture}: findings {:?}",
        validation.rows
    );
    assert!(wd.table("out/rejects.csv").rows.is_empty());
    let t = wd.table("out/evaluations.csv");
    let src = t.col("source");
    t.rows
        .into_iter()
        .map(|mut r| {
            assert!(!r[src].is_empty(), "every Östersund score is published");
            r.remove(src);
            r
        })
        .collect()
}

#[test]
fn three_exports_give_the_seed_figures() {
    let long = canonical("ostersund_long.csv");
    let wide = canonical("ostersund_wide.csv");
    let excel = canonical("ostersund_excel_sv.csv");
    assert_eq!(long, wide, "long and wide layouts differ");
    assert_eq!(long, excel, "long and Swedish Excel exports differ");

    let mut expected: Vec<Vec<String>> = Vec::new();
    for (item, score, max) in NEW {
        let pct = 100.0 * score.parse::<f64>().unwrap() / max.parse::<f64>().unwrap();
        expected.push(row("new", item, score, max, pct));
    }
    for (item, score) in OLD {
        let max = if *item == "total" { "800" } else { "100" };
        let pct = 100.0 * score.parse::<f64>().unwrap() / max.parse::<f64>().unwrap();
        expected.push(row("old", item, score, max, pct));
    }
    assert_eq!(long.len(), 45 + 9 + 9);
    assert_eq!(long, expected);
}

fn row(scale: &str, item: &str, score: &str, max: &str, pct: f64) -> Vec<String> {
    let pct = format!("{pct:.2}");
    let pct = pct.trim_end_matches('0').trim_end_matches('.').to_string();
    [
        "SE",
        "2380",
        "Östersund",
        "2010",
        scale,
        item,
        score,
        max,
        &pct,
        "published",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

#[test]
fn excel_output_dialect() {
    let wd = Workdir::new();
    wd.copy_fixture("ostersund_long.csv");
    wd.run_expect(&words("validate -i ostersund_long.csv -o out --excel"), 0);
    let bytes = wd.read("out/evaluations.csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let t = wd.table_with("out/evaluations.csv", b';');
    let rec = t.records();
    let old2 = rec
        .iter()
        .find(|r| r["scale"] == "old" && r["item"] == "2")
        .expect("old area 2");
    assert_eq!(old2["score"], "79,5");
    let total = rec
        .iter()
        .find(|r| r["scale"] == "old" && r["item"] == "total")
        .expect("old total");
    assert_eq!(total["score"], "614,5");
    // 614.5 / 800 = 76.8125 % -> 76,81
    assert_eq!(total["percent"], "76,81");
}

/// `--out-encoding windows-1252`: the outputs in Swedish Excel's own
/// encoding (no BOM; Ö is the byte 0xD6), the same text as the UTF-8
/// outputs once decoded; a character Windows-1252 lacks (ŋ in a Sami name)
/// is written `?` and counted in a warning, not turned into `&#331;`.
#[test]
fn windows_1252_outputs() {
    let wd = Workdir::new();
    wd.copy_fixture("ostersund_long.csv");
    let args = ["validate", "-i", "ostersund_long.csv", "--excel", "-q"];
    wd.run_expect(&[&args[..], &["-o", "utf8"]].concat(), 0);
    wd.run_expect(
        &[&args[..], &["-o", "ansi", "--out-encoding", "windows-1252"]].concat(),
        0,
    );
    let ansi = wd.read("ansi/evaluations.csv");
    assert!(!ansi.starts_with(b"\xEF\xBB\xBF") && ansi.contains(&0xD6));
    let decoded: String = ansi.iter().map(|&b| char::from(b)).collect();
    let utf8 = String::from_utf8(wd.read("utf8/evaluations.csv")).unwrap();
    // Latin-1 and Windows-1252 agree on every character of this file.
    assert_eq!(decoded, utf8.trim_start_matches('\u{FEFF}'));

    wd.create(
        "sami.csv",
        "country,municipality_code,municipality,eval_year,scale,a1\nNO,9999,Porsáŋgu,2014,new,50\n",
    );
    let out = wd.run_expect(
        &words("validate -i sami.csv -o sami --out-encoding windows-1252"),
        0,
    );
    let says = "kompass: warning: sami/evaluations.csv: 1 character(s) that Windows-1252 does \
                not have written as '?'";
    assert!(
        crate::workdir::stderr(&out).contains(says),
        "{}",
        crate::workdir::stderr(&out)
    );
    let bytes = wd.read("sami/evaluations.csv");
    assert!(bytes.windows(6).any(|w| w == b"Pors\xE1?"), "{bytes:?}");

    // kompass's own arrow in the trend steps is written `->`, not `?`.
    wd.create(
        "rounds.csv",
        "municipality_code,eval_year,scale,a1\n0114,2012,new,50\n0114,2016,new,55\n",
    );
    let args = ["run", "-i", "rounds.csv", "-o", "r", "--charts", "none"];
    let out = wd.run_expect(
        &[&args[..], &["--out-encoding", "windows-1252"]].concat(),
        0,
    );
    assert!(!crate::workdir::stderr(&out).contains("does not have"));
    let steps = wd.table("r/trend_summary.csv").column("step");
    assert!(steps.contains(&"1->2".to_string()), "{steps:?}");
}

#[test]
fn an_area_five_points_off_is_warned_about() {
    let wd = Workdir::new();
    let text = String::from_utf8(wd.read_fixture_text("ostersund_long.csv")).unwrap();
    // Area 1 published as 73 instead of 68: its sub-questions add up to 67.
    let changed = text.replacen("new,1,68,100", "new,1,73,100", 1);
    assert_ne!(changed, text);
    wd.create("in.csv", changed);
    wd.run_expect(&["validate", "-i", "in.csv", "-o", "out"], 0);
    let v = wd.table("out/validation.csv").records();
    let rules: Vec<(&str, &str, &str)> = v
        .iter()
        .map(|r| (r["rule"].as_str(), r["line"].as_str(), r["item"].as_str()))
        .collect();
    // Area 1 is line 2; the total (line 55) is now 6 points from the areas' sum 553
    // (547 published), above the 4.5 that 9 rounded figures allow.
    assert_eq!(
        rules,
        vec![("area-sum", "2", "1"), ("total-sum", "55", "total")]
    );
}
