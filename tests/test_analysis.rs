//! Averages and benchmarks, against values computed by hand on small
//! inline files (the arithmetic is in the comments), and on the shipped sample
//! against counts and means read straight from the input files.

use std::collections::{BTreeMap, HashMap};

use crate::workdir::{Workdir, row};

/// Five Swedish municipalities on the new scale, area 1 and totals only.
/// Latest per municipality: area 1 = 60 (0114), 60 (0115), 70 (0117), none
/// (0120, total only), 80 (2380); totals 500, 450, 520, 480, 547.
/// 0114 also has an older 2010 evaluation: area 1 40, total 430.
pub(crate) const PROFILE: &str = "municipality_code,eval_year,scale,a1,total\n\
0114,2010,new,40,430\n\
0114,2014,new,60,500\n\
0115,2013,new,60,450\n\
0117,2012,new,70,520\n\
0120,2012,new,,480\n\
2380,2012,new,80,547\n";

pub(crate) fn run(wd: &Workdir, input: &str, extra: &[&str]) {
    let mut args = vec![
        "run",
        "-i",
        input,
        "-o",
        "out",
        "-q",
        "--bootstrap",
        "200",
        "--charts",
        "none",
    ];
    args.extend_from_slice(extra);
    wd.run_expect(&args, 0);
}

pub(crate) fn close(got: &str, want: f64) {
    let g: f64 = got
        .parse()
        .unwrap_or_else(|_| panic!("'{got}' is not a number"));
    assert!((g - want).abs() < 1e-3, "{got} vs {want}");
}

#[test]
fn national_profile_by_hand() {
    let wd = Workdir::new();
    wd.create("in.csv", PROFILE);
    run(&wd, "in.csv", &[]);
    let t = wd.table("out/averages.csv").records();
    let a1 = row(
        &t,
        &[
            ("scale", "new"),
            ("grouping", "national"),
            ("group", "SE"),
            ("item", "1"),
        ],
    );
    assert_eq!(a1["basis"], "latest");
    // [60, 60, 70, 80]: mean 67.5; sd sqrt(275 / 3) = 9.5743; type-7 quartiles
    // at positions 0.75, 1.5, 2.25: 60, 65, 72.5.
    assert_eq!(a1["n"], "4");
    close(&a1["mean"], 67.5);
    close(&a1["sd"], 9.5743);
    close(&a1["min"], 60.0);
    close(&a1["p25"], 60.0);
    close(&a1["median"], 65.0);
    close(&a1["p75"], 72.5);
    close(&a1["max"], 80.0);
    // Weighted by 2019 population: (46786·60 + 34090·60 + 45574·70 + 63779·80) / 190229.
    close(&a1["mean_pop_weighted"], 69.1012);
    assert_eq!(a1["n_pop_weighted"], "4");
    // 95 % interval: 67.5 ± t(0.975, 3) · sd / √4 = 3.182446 · 9.574271 / 2
    // = 15.2348 (scipy's t.ppf).
    close(&a1["ci_low"], 52.2652);
    close(&a1["ci_high"], 82.7348);
    // The total-only evaluation counts in the total's n only.
    let total = row(
        &t,
        &[
            ("scale", "new"),
            ("grouping", "national"),
            ("group", "SE"),
            ("item", "total"),
        ],
    );
    assert_eq!(total["n"], "5");
    close(&total["mean"], 499.4);
    check_groups_and_linked(&t);
}

/// The rows of `national_profile_by_hand`'s averages `t` beyond the
/// national ones: groups of one, a kommungrupp, a population band, an
/// evaluation year, and the linked scale (the new scale's own scores).
fn check_groups_and_linked(t: &[HashMap<String, String>]) {
    // A group of one: no SD, all quantiles the value.
    let b3 = row(
        t,
        &[
            ("scale", "new"),
            ("grouping", "kommungrupp2017"),
            ("group", "B3 Större stad"),
            ("item", "1"),
        ],
    );
    assert_eq!((b3["n"].as_str(), b3["sd"].as_str()), ("1", ""));
    close(&b3["p25"], 80.0);
    close(&b3["p75"], 80.0);
    let a2 = row(
        t,
        &[
            ("scale", "new"),
            ("grouping", "kommungrupp2017"),
            ("group", "A2 Pendlingskommun nära storstad"),
            ("item", "1"),
        ],
    );
    close(&a2["mean"], 190.0 / 3.0);
    let band = row(
        t,
        &[
            ("scale", "new"),
            ("grouping", "population_band"),
            ("group", "50000-200000"),
            ("item", "total"),
        ],
    );
    assert_eq!(band["n"], "1");
    let y2012 = row(
        t,
        &[
            ("scale", "new"),
            ("grouping", "eval_year"),
            ("group", "SE 2012"),
            ("item", "total"),
        ],
    );
    // Latest evaluations from 2012: 0117 (520), 0120 (480), 2380 (547).
    assert_eq!(y2012["n"], "3");
    close(&y2012["mean"], (520.0 + 480.0 + 547.0) / 3.0);
    // Nothing to link: the linked scale is the new scale's own scores.
    let linked = row(
        t,
        &[("scale", "linked"), ("grouping", "national"), ("item", "1")],
    );
    assert_eq!(
        (linked["n"].as_str(), linked["mean"].as_str()),
        ("4", "67.5")
    );
}

#[test]
fn basis_all_counts_every_evaluation() {
    let wd = Workdir::new();
    wd.create("in.csv", PROFILE);
    run(&wd, "in.csv", &["--basis", "all"]);
    let t = wd.table("out/averages.csv").records();
    let a1 = row(
        &t,
        &[("scale", "new"), ("grouping", "national"), ("item", "1")],
    );
    assert_eq!(a1["basis"], "all");
    // [40, 60, 60, 70, 80]: mean 62, sd sqrt(880 / 4) = 14.8324, median 60.
    assert_eq!(a1["n"], "5");
    close(&a1["mean"], 62.0);
    close(&a1["sd"], 14.8324);
    close(&a1["median"], 60.0);
    assert_eq!(
        row(
            &t,
            &[
                ("scale", "new"),
                ("grouping", "national"),
                ("item", "total")
            ]
        )["n"],
        "6"
    );
}

#[test]
fn benchmarks_and_role_models_with_ties() {
    let wd = Workdir::new();
    wd.create("in.csv", PROFILE);
    run(&wd, "in.csv", &[]);
    let b = wd.table("out/benchmarks.csv").records();
    // Area 1, latest: 60 (0114), 60 (0115), 70 (0117), 80 (2380); mean 67.5.
    let v = row(
        &b,
        &[
            ("municipality_code", "0114"),
            ("scale", "new"),
            ("item", "1"),
        ],
    );
    assert_eq!(
        (v["rank"].as_str(), v["n"].as_str(), v["eval_year"].as_str()),
        ("3", "4", "2014")
    );
    // (0 lower + 1 tie / 2) / (4 - 1)
    close(&v["percentile"], 100.0 * 0.5 / 3.0);
    close(&v["diff_to_mean"], -7.5);
    // Within A2 (60, 60, 70): rank 2; a group of 3, fewer than 5: no group
    // percentile (it would be (0 + 0.5) / 2 = 25).
    assert_eq!(
        (
            v["group_rank"].as_str(),
            v["group_n"].as_str(),
            v["group_percentile"].as_str()
        ),
        ("2", "3", "")
    );
    let o = row(
        &b,
        &[
            ("municipality_code", "0117"),
            ("scale", "new"),
            ("item", "1"),
        ],
    );
    assert_eq!(o["rank"], "2");
    close(&o["percentile"], 200.0 / 3.0);
    let ost = row(
        &b,
        &[
            ("municipality_code", "2380"),
            ("scale", "new"),
            ("item", "1"),
        ],
    );
    assert_eq!(
        (
            ost["rank"].as_str(),
            ost["group_n"].as_str(),
            ost["group_percentile"].as_str()
        ),
        ("1", "1", "")
    );
    close(&ost["percentile"], 100.0);

    let r = wd.table("out/role_models.csv").records();
    let top: Vec<(String, String)> = r
        .iter()
        .filter(|x| x["scale"] == "new" && x["item"] == "1")
        .map(|x| (x["position"].clone(), x["municipality_code"].clone()))
        .collect();
    // 0114 and 0115 tie at 60 for third place: both are listed.
    let want: Vec<(String, String)> = [("1", "2380"), ("2", "0117"), ("3", "0114"), ("3", "0115")]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(top, want, "every municipality tied at the cut");
    assert!(
        r.iter().all(|x| x["item"] != "total"),
        "role models are areas and sub-questions"
    );
}

#[test]
fn shipped_sample_national_profile() {
    let wd = Workdir::new();
    let root = env!("CARGO_MANIFEST_DIR");
    let inputs: Vec<String> = [
        "data/sample/se-excel",
        "data/sample/no-wide",
        "data/sample/dk-long",
        "data/published/evaluations.csv",
    ]
    .iter()
    .map(|p| format!("{root}/{p}"))
    .collect();
    let mut args = vec![
        "run",
        "-o",
        "out",
        "-q",
        "--bootstrap",
        "50",
        "--charts",
        "none",
        "-i",
    ];
    args.extend(inputs.iter().map(String::as_str));
    wd.run_expect(&args, 0);
    // Expected: from the input files themselves (not kompass's outputs),
    // each municipality's latest new-scale evaluation, and its score of the
    // area where it has one (given, or all its sub-questions given: their
    // sum), their n and mean. The Danish file has planted faults and is
    // left out of the expectation.
    let (latest, has) = new_scale_items(root);
    let t = wd.table("out/averages.csv").records();
    for country in ["SE", "NO"] {
        for area in 1..=8 {
            let item = area.to_string();
            let scores: Vec<f64> = (latest.iter())
                .filter(|((c, _), _)| c == country)
                .filter_map(|((c, code), y)| has.get(&(c.clone(), code.clone(), *y, item.clone())))
                .copied()
                .collect();
            let want = scores.len();
            let r = row(
                &t,
                &[
                    ("scale", "new"),
                    ("grouping", "national"),
                    ("group", country),
                    ("item", &item),
                ],
            );
            assert_eq!(r["n"], want.to_string(), "{country} area {area}");
            assert!(want > 5);
            let mean = scores.iter().sum::<f64>() / want as f64;
            let got: f64 = r["mean"].parse().unwrap();
            assert!(
                (got - mean).abs() < 6e-5,
                "{country} area {area}: {got} {mean}"
            );
        }
    }
}

/// Sub-questions per area on the new scale (seed, section 4).
const QUESTIONS: [usize; 8] = [5, 6, 5, 6, 6, 6, 5, 6];

/// (country, code) → latest year, and the (country, code, year, item) cells
/// given on the new scale with their scores, read straight from the
/// shipped Swedish and Norwegian sample files and the published
/// evaluations, with each area all of whose sub-questions are given (their
/// sum) where the area is not.
#[allow(clippy::type_complexity)]
fn new_scale_items(
    root: &str,
) -> (
    BTreeMap<(String, String), u16>,
    BTreeMap<(String, String, u16, String), f64>,
) {
    let mut cells: BTreeMap<(String, String, u16, String), f64> = BTreeMap::new();
    let score = |v: &str| -> f64 { v.replace(',', ".").parse().unwrap() };
    // Long files: (path, delimiter, Windows-1252?).
    let long = [
        ("data/sample/se-excel/evaluations_001.csv", b';', true),
        ("data/sample/se-excel/evaluations_002.csv", b';', true),
        ("data/published/evaluations.csv", b',', false),
    ];
    for (path, delim, cp1252) in long {
        let bytes = std::fs::read(format!("{root}/{path}")).unwrap();
        let text = if cp1252 {
            encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned()
        } else {
            String::from_utf8(bytes).unwrap()
        };
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delim)
            .from_reader(text.as_bytes());
        for r in rdr.records() {
            // country, code, name, year, scale, item, score, max
            let r = r.unwrap();
            if !["new", "ny"].contains(&&r[4]) || r[6].is_empty() {
                continue;
            }
            let item = r[5].replace(',', ".");
            let year: u16 = r[3].parse().unwrap();
            cells.insert(
                (r[0].to_string(), r[1].to_string(), year, item),
                score(&r[6]),
            );
        }
    }
    let wide =
        std::fs::read_to_string(format!("{root}/data/sample/no-wide/evaluations.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(wide.as_bytes());
    let head: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    for r in rdr.records() {
        let r = r.unwrap();
        if &r[4] != "new" {
            continue;
        }
        let year: u16 = r[3].parse().unwrap();
        for (h, v) in head.iter().zip(r.iter()).skip(5) {
            if !v.is_empty() {
                let item = h.trim_start_matches(['a', 'q']).to_string();
                cells.insert((r[0].to_string(), r[1].to_string(), year, item), score(v));
            }
        }
    }
    let mut latest: BTreeMap<(String, String), u16> = BTreeMap::new();
    for (c, code, y, _) in cells.keys() {
        let e = latest.entry((c.clone(), code.clone())).or_insert(*y);
        *e = (*e).max(*y);
    }
    // Areas derived from all their sub-questions, where not given.
    let mut has = cells.clone();
    for (c, code, y, _) in cells.keys() {
        for (a, n) in QUESTIONS.iter().enumerate() {
            let parts: Option<Vec<f64>> = (1..=*n)
                .map(|q| cells.get(&(c.clone(), code.clone(), *y, format!("{}.{q}", a + 1))))
                .map(|v| v.copied())
                .collect();
            if let Some(parts) = parts {
                let area = (c.clone(), code.clone(), *y, (a + 1).to_string());
                has.entry(area).or_insert(parts.iter().sum());
            }
        }
    }
    (latest, has)
}
