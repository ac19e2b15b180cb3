//! The config file's keys for the input dialect, the link method and the
//! output's encoding and format each take effect (each is read by its own
//! line in `cmd`, and two keys of one type swapped would still compile),
//! and a flag overrides them.

use crate::workdir::{Workdir, row, stderr};

/// Seven municipalities scored old and new on area 1 in 2010, in a
/// Swedish export: `;`, and 0115's new score with a decimal comma (a
/// half point on a scale of whole points: an `off-resolution` warning).
const EXPORT: &str = "municipality_code;eval_year;scale;a1\n\
    0114;2010;old;50\n0114;2010;new;45\n0115;2010;old;60\n0115;2010;new;52,5\n\
    0117;2010;old;70\n0117;2010;new;66\n0120;2010;old;55\n0120;2010;new;50\n\
    0123;2010;old;80\n0123;2010;new;71\n0125;2010;old;65\n0125;2010;new;60\n\
    0126;2010;old;75\n0126;2010;new;64\n";

/// A config of `keys` beside the usual ones, into `out`.
fn config(wd: &Workdir, name: &str, out: &str, keys: &str) {
    wd.create(
        name,
        format!(
            "inputs = [\"in.csv\"]\nout = \"{out}\"\ncharts = \"none\"\n\
             report = \"none\"\n{keys}"
        ),
    );
}

/// `link_method = "mean"` where `auto` takes `linear` (7 municipalities):
/// the mean link's intercept is the pairs' mean difference, by hand
/// (−5 − 7.5 − 4 − 5 − 9 − 5 − 11) / 7 = −46.5 / 7 = −6.6429.
/// `format = "parquet"` writes the row-level tables as Parquet, and
/// `out_encoding = "windows-1252"` the CSVs in it: Österåker (0117, among
/// the first three on area 1 on both scales) as `0xD6 ster 0xE5 ker` in `role_models.csv`.
/// `delimiter = "semicolon"` and `decimal = "comma"` read the export as
/// it is (52,5 a score, no reject).
#[test]
fn the_dialect_link_and_output_keys_take_effect() {
    let wd = Workdir::new();
    wd.create("in.csv", EXPORT);
    config(
        &wd,
        "k.toml",
        "a",
        "delimiter = \"semicolon\"\ndecimal = \"comma\"\nlink_method = \"mean\"\n\
         out_encoding = \"windows-1252\"\nformat = \"parquet\"\n",
    );
    wd.run_expect(&["run", "--config", "k.toml", "-q"], 0);
    let links = wd.table("a/linking.csv").records();
    let area_1 = row(&links, &[("item", "1")]);
    assert_eq!(
        [&area_1["method"], &area_1["n_pairs"], &area_1["intercept"]],
        ["mean", "7", "-6.6429"]
    );
    assert!(wd.table("a/rejects.csv").records().is_empty());
    for table in ["evaluations", "benchmarks", "trends", "linked_scores"] {
        assert!(wd.exists(&format!("a/{table}.parquet")), "{table}.parquet");
        assert!(!wd.exists(&format!("a/{table}.csv")), "{table}.csv");
    }
    let roles = wd.read("a/role_models.csv");
    let cp1252 = b"\xd6ster\xe5ker";
    assert!(roles.windows(cp1252.len()).any(|w| w == cp1252));
    assert!(!String::from_utf8_lossy(&roles).contains("Österåker"));
}

/// `decimal = "point"` makes 52,5 no number (`bad-number`, its row
/// rejected, 6 pairs left); `delimiter = "tab"` reads the header as one
/// column, which no export has (exit 1); `--delimiter semicolon` and
/// `--decimal comma` override them.
#[test]
fn the_dialect_keys_are_read_and_flags_override_them() {
    let wd = Workdir::new();
    wd.create("in.csv", EXPORT);
    config(&wd, "point.toml", "p", "decimal = \"point\"\n");
    wd.run_expect(&["run", "--config", "point.toml", "-q"], 0);
    let rejects = wd.table("p/rejects.csv").records();
    assert_eq!(rejects.len(), 1);
    assert_eq!(
        [
            &rejects[0]["rule"],
            &rejects[0]["value"],
            &rejects[0]["line"]
        ],
        ["bad-number", "52,5", "5"]
    );
    let links = wd.table("p/linking.csv").records();
    assert_eq!(row(&links, &[("item", "1")])["n_pairs"], "6");

    config(
        &wd,
        "tab.toml",
        "t",
        "delimiter = \"tab\"\ndecimal = \"point\"\n",
    );
    let out = wd.run_expect(&["run", "--config", "tab.toml", "-q"], 1);
    assert!(
        stderr(&out).contains("no recognisable header"),
        "{}",
        stderr(&out)
    );
    let args = [
        "run",
        "--config",
        "tab.toml",
        "-q",
        "--delimiter",
        "semicolon",
        "--decimal",
        "comma",
    ];
    wd.run_expect(&args, 0);
    assert!(wd.table("t/rejects.csv").records().is_empty());
    let links = wd.table("t/linking.csv").records();
    assert_eq!(row(&links, &[("item", "1")])["n_pairs"], "7");
}

/// `linking.csv`'s row of area 1 after a run with the config `keys`.
fn area_1(wd: &Workdir, out: &str, keys: &str) -> std::collections::HashMap<String, String> {
    config(wd, &format!("{out}.toml"), out, keys);
    wd.run_expect(&["run", "--config", &format!("{out}.toml"), "-q"], 0);
    let links = wd.table(&format!("{out}/linking.csv")).records();
    links
        .into_iter()
        .find(|l| l["item"] == "1")
        .expect("area 1 linked")
}

/// `bootstrap = 0` leaves the link without replicates (no SE, a
/// `link-unestimated` warning); `link_seed` draws them (the same seed,
/// the same SEs; another, others: two more municipalities, 9, so that the
/// link is bootstrapped, not a jackknife's); `link_to = "old"` links the
/// new scale to the old one.
#[test]
fn the_link_keys_take_effect() {
    let wd = Workdir::new();
    let nine = "0127;2010;old;85\n0127;2010;new;78\n0128;2010;old;58\n0128;2010;new;55\n";
    wd.create("in.csv", format!("{EXPORT}{nine}"));
    let none = area_1(&wd, "b0", "bootstrap = 0\n");
    assert_eq!([&none["method"], &none["slope_se"]], ["linear", ""]);
    let rules = wd.table("b0/validation.csv").column("rule");
    assert!(rules.contains(&"link-unestimated".to_string()), "{rules:?}");
    let first = area_1(&wd, "b1", "");
    assert!(!first["slope_se"].is_empty());

    let se = |out: &str, seed: u32| {
        let l = area_1(&wd, out, &format!("link_seed = {seed}\n"));
        (l["slope_se"].clone(), l["intercept_se"].clone())
    };
    let (one, again, two) = (se("s1", 1), se("s1b", 1), se("s2", 2));
    assert!(!one.0.is_empty());
    assert_eq!(one, again);
    assert_ne!(one, two);

    let back = area_1(&wd, "to", "link_to = \"old\"\n");
    assert_eq!(
        [&back["from_scale"], &back["to_scale"], &back["method"]],
        ["new", "old", "linear"]
    );
}

/// `encoding = "utf-8"` refuses a Windows-1252 export (exit 1) that
/// `auto` reads; `instruments` names the folder of scales (with only
/// the 2010 scale's file, the old-scale rows are rejected); `lang`,
/// `charts` and `report` shape the report: English, summary charts
/// without a profile per municipality, and no report at all with
/// `report = "none"`.
#[test]
fn the_encoding_instrument_and_report_keys_take_effect() {
    let wd = Workdir::new();
    let latin = "kommunkod;kommun;år;skala;fråga;poäng\n\
                 0117;Österåker;2012;ny;1;66\n0114;Upplands Väsby;2012;ny;1;45\n";
    let (text, _, _) = encoding_rs::WINDOWS_1252.encode(latin);
    wd.create("in.csv", text.as_ref());
    config(&wd, "auto.toml", "a", "");
    wd.run_expect(&["run", "--config", "auto.toml", "-q"], 0);
    config(&wd, "utf8.toml", "u", "encoding = \"utf-8\"\n");
    let out = wd.run_expect(&["run", "--config", "utf8.toml", "-q"], 1);
    assert!(stderr(&out).contains("in.csv"), "{}", stderr(&out));

    wd.create("in.csv", EXPORT);
    let new_only =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/instrument/new.toml");
    wd.create(
        "ins/new.toml",
        std::fs::read(new_only).expect("shipped new.toml"),
    );
    config(&wd, "ins.toml", "i", "instruments = \"ins\"\n");
    wd.run_expect(&["run", "--config", "ins.toml", "-q"], 0);
    let rejects = wd.table("i/rejects.csv").column("rule");
    assert_eq!(rejects.len(), 7, "the seven old-scale rows: {rejects:?}");

    wd.create(
        "en.toml",
        "inputs = [\"in.csv\"]\nout = \"e\"\nbootstrap = 20\nlang = \"en\"\n\
         charts = \"summary\"\nreport = \"summary\"\n",
    );
    wd.run_expect(&["run", "--config", "en.toml", "-q"], 0);
    let index = String::from_utf8(wd.read("e/report/index.html")).expect("UTF-8");
    assert!(index.contains("lang=\"en\""));
    assert!(wd.exists("e/charts/linking_old_new.svg"));
    assert!(!wd.exists("e/charts/profile_SE_0114_2010.svg"));
    config(&wd, "none.toml", "n", "");
    wd.run_expect(&["run", "--config", "none.toml", "-q"], 0);
    assert!(!wd.exists("n/report") && !wd.exists("n/charts"));
}

/// TOML allows U+0080 to U+009F (C1 controls) in comments and strings: in
/// a comment the config is read; as a value the parser's message stands
/// (it was "a control character (U+0085): TOML allows none but tab",
/// untrue; review of the control-character messages).
#[test]
fn a_c1_control_is_no_toml_control_character() {
    let wd = Workdir::new();
    wd.create("in.csv", EXPORT);
    config(&wd, "k.toml", "out", "lang = \"en\" # \u{85} x\n");
    wd.run_expect(&["validate", "--config", "k.toml", "-q"], 0);
    config(&wd, "k.toml", "out", "lang = \u{85}\n");
    let out = wd.run_expect(&["validate", "--config", "k.toml"], 2);
    assert_eq!(
        stderr(&out).trim_end(),
        "kompass: k.toml: line 5, column 8: invalid string; expected `\"`, `'`"
    );
}

/// A config file without `inputs` (and no input named) and with a value
/// no key takes: the value is named, with its line and column, before the
/// missing input (the helper audit of scheduled reruns, 2026-12-07: the
/// missing input hid it until inputs were added).
#[test]
fn a_broken_value_is_named_before_a_missing_input() {
    let wd = Workdir::new();
    wd.create("b.toml", "basis = \"x\"\n");
    let out = wd.run_expect(&["run", "--config", "b.toml"], 2);
    let err = stderr(&out);
    assert!(
        err.contains("b.toml: line 1, column 9: basis = \"x\" is not one of: latest, all"),
        "{err}"
    );
    assert!(!err.contains("no input"), "{err}");
}

/// A file saved with old Mac line ends (a carriage return alone) is one
/// line to TOML: the message says so, wherever the parser stops on it
/// (it was the parser's "invalid table header; expected newline, `#`",
/// "not valid TOML here" after a comment, "invalid basic string"); a CR
/// LF line end is read.
#[test]
fn a_carriage_return_alone_is_named() {
    let wd = Workdir::new();
    wd.create("in.csv", EXPORT);
    let said = "a carriage return without a line feed (a line end of old Mac files): TOML's \
                lines end in a line feed (LF) or CR LF; save the file with those";
    for (text, column) in [
        ("[report]\rlang = \"en\"\n", 9),
        ("# note\rinputs = [\"in.csv\"]\n", 7),
        ("inputs = [\"in.csv\"]\rout = \"o\"\n", 20),
        ("out = \"o\"  \r", 12),
        ("lang = \"e\rn\"\n", 10),
    ] {
        wd.create("m.toml", text);
        let out = wd.run_expect(&["validate", "--config", "m.toml"], 2);
        assert_eq!(
            stderr(&out).trim_end(),
            format!("kompass: m.toml: line 1, column {column}: {said}"),
            "{text:?}"
        );
    }
    wd.create("m.toml", "inputs = [\"in.csv\"]\r\nout = \"o\"\r\n");
    wd.run_expect(&["validate", "--config", "m.toml", "-q"], 0);
}
