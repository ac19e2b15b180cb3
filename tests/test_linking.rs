//! Scale linking: hand-checked on the seed, recovery of the generator's
//! truth, symmetry, determinism, and a scale without pairs.

use std::collections::{BTreeMap, HashMap};

use crate::workdir::{Workdir, row, stdout, words};

fn num(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("not a number: '{s}'"))
}

/// linking.csv rows by (from_scale, item).
fn links(wd: &Workdir, dir: &str) -> BTreeMap<(String, String), HashMap<String, String>> {
    wd.table(&format!("{dir}/linking.csv"))
        .records()
        .into_iter()
        .map(|r| ((r["from_scale"].clone(), r["item"].clone()), r))
        .collect()
}

#[test]
fn ostersund_alone_links_by_mean_exactly() {
    let wd = Workdir::new();
    wd.copy_fixture("ostersund_long.csv");
    let out = wd.run_expect(&["link", "-i", "ostersund_long.csv", "-o", "out"], 0);
    assert!(
        stdout(&out).contains("linking old -> new: 9 item(s), mean (1 pair)"),
        "{}",
        stdout(&out)
    );
    let l = links(&wd, "out");
    // One pair: mean linking, new = old + (new - old) of Östersund.
    let a1 = &l[&("old".into(), "1".into())];
    assert_eq!(
        (a1["method"].as_str(), a1["n_pairs"].as_str()),
        ("mean", "1")
    );
    assert_eq!(
        (a1["slope"].as_str(), a1["intercept"].as_str()),
        ("1", "-11")
    );
    assert_eq!(a1["slope_se"], "", "no SE from a single pair");
    assert_eq!(l[&("old".into(), "6".into())]["intercept"], "7");
    assert_eq!(l[&("old".into(), "total".into())]["intercept"], "-67.5");

    let conc: BTreeMap<(String, String), String> = wd
        .table("out/concordance.csv")
        .records()
        .into_iter()
        .map(|r| {
            (
                (r["item"].clone(), r["from_score"].clone()),
                r["linked_score"].clone(),
            )
        })
        .collect();
    let at = |item: &str, x: &str| conc[&(item.to_string(), x.to_string())].clone();
    // By hand: area 1 is old - 11, area 2 old - 13.5, area 6 old + 7, total old - 67.5.
    assert_eq!(at("1", "79"), "68");
    assert_eq!(at("6", "67"), "74");
    assert_eq!(at("1", "90"), "79");
    assert_eq!(at("1", "50.5"), "39.5");
    assert_eq!(at("2", "79.5"), "66");
    assert_eq!(at("2", "60"), "46.5");
    assert_eq!(at("1", "5"), "0", "5 - 11 < 0 is clamped to 0");
    assert_eq!(at("6", "95"), "100", "95 + 7 > 100 is clamped to 100");
    assert_eq!(at("total", "700"), "632.5");
    // Every half point from 0 to 100 for areas, 0 to 800 for the total.
    assert_eq!(conc.len(), 8 * 201 + 1601);

    let scores = wd.table("out/linked_scores.csv").records();
    assert_eq!(scores.len(), 9);
    let a6 = row(&scores, &[("item", "6")]);
    assert_eq!(
        (
            a6["score"].as_str(),
            a6["linked_score"].as_str(),
            a6["method"].as_str()
        ),
        ("67", "74", "mean")
    );
}

/// Per area, the (old, new) scores of every evaluation scored on both
/// scales (one country, municipality and year) in a generated export.
fn dual_scored(rows: &[HashMap<String, String>]) -> HashMap<String, Vec<(f64, f64)>> {
    type Key<'a> = (&'a str, &'a str, &'a str, &'a str);
    let mut scores: BTreeMap<Key, (Option<f64>, Option<f64>)> = BTreeMap::new();
    for r in rows {
        let key = (
            &*r["country"],
            &*r["municipality_code"],
            &*r["eval_year"],
            &*r["item"],
        );
        let at = scores.entry(key).or_default();
        match r["scale"].as_str() {
            "old" => at.0 = Some(num(&r["score"])),
            "new" => at.1 = Some(num(&r["score"])),
            _ => {}
        }
    }
    let mut pairs: HashMap<String, Vec<(f64, f64)>> = HashMap::new();
    for ((.., item), both) in scores {
        if let (Some(old), Some(new)) = both {
            pairs.entry(item.to_string()).or_default().push((old, new));
        }
    }
    pairs
}

/// A mean-sigma line through pairs (x, y) and its normal-theory SEs over
/// N pairs (Kolen & Brennan 2014, ch. 7): the slope's √(s²ᵧ(1 − r²)/N)/sₓ,
/// the intercept's (the linked value at 0, z = −x̄/sₓ)
/// √(s²ᵧ(1 − r)[2 + (1 + r)z²]/N).
#[derive(Debug)]
struct NormalTheory {
    n: usize,
    slope: f64,
    intercept: f64,
    slope_se: f64,
    intercept_se: f64,
}

impl NormalTheory {
    fn of(pairs: &[(f64, f64)]) -> NormalTheory {
        use crate::test_jackknife::{correlation, line, mean_sd};
        let (x, y): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
        let ((mx, sx), (_, sy)) = (mean_sd(&x), mean_sd(&y));
        let (slope, intercept) = line(&x, &y);
        let (r, n, z) = (correlation(&x, &y), pairs.len() as f64, -mx / sx);
        NormalTheory {
            n: pairs.len(),
            slope,
            intercept,
            slope_se: (sy * sy * (1.0 - r * r) / n).sqrt() / sx,
            intercept_se: (sy * sy * (1.0 - r) * (2.0 + (1.0 + r) * z * z) / n).sqrt(),
        }
    }
}

/// A linear link of generated pairs: its line is the pairs' mean-sigma
/// line, its bootstrap SEs near the normal-theory ones, and the
/// generator's true line within 4 of those.
#[test]
fn generated_pairs_recover_the_truth() {
    let wd = Workdir::new();
    wd.run_expect(
        &words("synth -n 8000 --seed 77 --countries SE,NO,DK -o gen -q"),
        0,
    );
    wd.run_expect(
        &words("link -i gen --register gen/meta/register.csv -o out -q --bootstrap 200"),
        0,
    );
    let truth: serde_json::Value = serde_json::from_slice(&wd.read("gen/meta/truth.json")).unwrap();
    let l = links(&wd, "out");
    let rel = truth["model"]["old_from_new"].as_array().unwrap();
    assert_eq!(rel.len(), 8, "one relation per area");
    let pairs = dual_scored(&wd.table("gen/evaluations.csv").records());
    for (a, r) in rel.iter().enumerate() {
        // The generator: old = i + s * new + noise, so new = (old - i) / s.
        let (s, i) = (
            r["slope"].as_f64().unwrap(),
            r["intercept"].as_f64().unwrap(),
        );
        let (want_slope, want_intercept) = (1.0 / s, -i / s);
        let row = &l[&("old".into(), (a + 1).to_string())];
        assert_eq!(row["method"], "linear");
        assert!(num(&row["n_pairs"]) >= 190.0, "{} pairs", row["n_pairs"]);
        let (slope, slope_se) = (num(&row["slope"]), num(&row["slope_se"]));
        let (icpt, icpt_se) = (num(&row["intercept"]), num(&row["intercept_se"]));
        // The line and its normal-theory SEs from the pairs, computed here.
        let fit = NormalTheory::of(&pairs[&(a + 1).to_string()]);
        assert_eq!(row["n_pairs"], fit.n.to_string(), "area {}", a + 1);
        assert!((slope - fit.slope).abs() < 6e-5, "{slope} {fit:?}");
        assert!((icpt - fit.intercept).abs() < 6e-5, "{icpt} {fit:?}");
        // The bootstrap's SEs (200 replicates: about 5 % off themselves)
        // near the normal-theory ones; the truth within 4 of those.
        for (se, nt) in [(slope_se, fit.slope_se), (icpt_se, fit.intercept_se)] {
            assert!(
                (0.67..1.5).contains(&(se / nt)),
                "area {}: {se} {fit:?}",
                a + 1
            );
        }
        assert!(
            (slope - want_slope).abs() <= 4.0 * fit.slope_se,
            "area {}: slope {slope} vs {want_slope} ({fit:?})",
            a + 1
        );
        assert!(
            (icpt - want_intercept).abs() <= 4.0 * fit.intercept_se,
            "area {}: intercept {icpt} vs {want_intercept} ({fit:?})",
            a + 1
        );
        // Leave-one-out error of a good link is near the generator's noise.
        assert!(num(&row["loo_mae"]) < 3.0);
    }
    // The 2020 scale links through the declared correspondence (2020 area 2 -> new area 8).
    assert_eq!(l[&("2020".into(), "2".into())]["to_item"], "8");
    // Every linked score's `linked_df` is the concordance's at its score,
    // empty where its SE is (an interval from one file: researcher audit
    // of the seventy-sixth session).
    let df: std::collections::HashMap<(String, String, String), String> =
        (wd.table("out/concordance.csv").records().into_iter())
            .map(|r| {
                (
                    (
                        r["from_scale"].clone(),
                        r["item"].clone(),
                        r["from_score"].clone(),
                    ),
                    r["linked_df"].clone(),
                )
            })
            .collect();
    let scores = wd.table("out/linked_scores.csv").records();
    assert!(scores.len() > 1000);
    for r in &scores {
        let want = &df[&(
            r["from_scale"].clone(),
            r["item"].clone(),
            r["score"].clone(),
        )];
        assert_eq!(&r["linked_df"], want, "{r:?}");
        assert_eq!(
            r["linked_df"].is_empty(),
            r["linked_se"].is_empty(),
            "{r:?}"
        );
    }
}

#[test]
fn linear_there_and_back_is_the_identity() {
    let wd = Workdir::new();
    wd.run_expect(
        &["synth", "-n", "1500", "--seed", "4", "-o", "gen", "-q"],
        0,
    );
    let base = [
        "link",
        "-i",
        "gen",
        "--register",
        "gen/meta/register.csv",
        "--link-method",
        "linear",
        "--bootstrap",
        "20",
        "-q",
    ];
    let mut to_new = base.to_vec();
    to_new.extend(["-o", "a"]);
    wd.run_expect(&to_new, 0);
    let mut to_old = base.to_vec();
    to_old.extend(["-o", "b", "--link-to", "old"]);
    wd.run_expect(&to_old, 0);
    let (fwd, back) = (links(&wd, "a"), links(&wd, "b"));
    for item in ["1", "4", "8", "total"] {
        let f = &fwd[&("old".into(), item.into())];
        let b = &back[&("new".into(), item.into())];
        assert_eq!(b["to_scale"], "old");
        for x in [40.0, 55.5, 71.0] {
            let y = num(&f["intercept"]) + num(&f["slope"]) * x;
            let x_again = num(&b["intercept"]) + num(&b["slope"]) * y;
            // Parameters are written with 4 decimals.
            assert!(
                (x_again - x).abs() < 0.05,
                "item {item}: {x} -> {y} -> {x_again}"
            );
        }
    }
}

#[test]
fn bootstrap_is_deterministic_and_equipercentile_runs() {
    let wd = Workdir::new();
    wd.run_expect(
        &["synth", "-n", "5000", "--seed", "12", "-o", "gen", "-q"],
        0,
    );
    for out in ["a", "b"] {
        wd.run_expect(
            &[
                "link",
                "-i",
                "gen",
                "--register",
                "gen/meta/register.csv",
                "-o",
                out,
                "--link-method",
                "equipercentile",
                "-q",
                "--bootstrap",
                "50",
            ],
            0,
        );
    }
    for f in ["linking.csv", "concordance.csv", "linked_scores.csv"] {
        assert!(
            wd.read(&format!("a/{f}")) == wd.read(&format!("b/{f}")),
            "{f} differs"
        );
    }
    let l = links(&wd, "a");
    let a1 = &l[&("old".into(), "1".into())];
    assert_eq!(a1["method"], "equipercentile");
    assert_eq!(a1["slope"], "", "an equipercentile link has no slope");
    let se: Vec<String> = wd.table("a/concordance.csv").column("linked_se");
    assert!(se.iter().filter(|s| !s.is_empty()).count() > 100);
    // Monotone: a higher old score never links lower.
    let conc = wd.table("a/concordance.csv").records();
    let area1: Vec<f64> = conc
        .iter()
        .filter(|r| r["from_scale"] == "old" && r["item"] == "1")
        .map(|r| num(&r["linked_score"]))
        .collect();
    assert!(area1.windows(2).all(|w| w[1] >= w[0] - 1e-9));
}

#[test]
fn a_scale_without_pairs_is_not_linked_and_says_so() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2008,old,1,60\n0114,2012,new,1,55\n",
    );
    let out = wd.run_expect(&["link", "-i", "in.csv", "-o", "out"], 0);
    assert!(
        stdout(&out).contains("NOT LINKED old -> new: no item has dual-scored evaluations"),
        "{}",
        stdout(&out)
    );
    let v = wd.table("out/validation.csv").records();
    assert_eq!(v.len(), 1);
    assert_eq!(
        (
            v[0]["rule"].as_str(),
            v[0]["scale"].as_str(),
            v[0]["file"].as_str()
        ),
        ("no-linking", "old", "")
    );
    assert!(wd.table("out/linking.csv").rows.is_empty());
    assert!(wd.table("out/linked_scores.csv").rows.is_empty());
    wd.run_expect(&["link", "-i", "in.csv", "-o", "out", "--strict"], 3); // Items that had pairs and still could not be linked are all named,
    // not only the first.
    wd.create(
        "two.csv",
        "municipality_code,eval_year,scale,item,score\n\
         0114,2010,old,1,60\n0114,2010,new,1,55\n0114,2010,old,2,50\n0114,2010,new,2,45\n",
    );
    let out = wd.run_expect(&words("link -i two.csv -o out2 --link-method linear"), 0);
    let said = stdout(&out);
    let line = said
        .lines()
        .find(|l| l.starts_with("NOT LINKED old -> new"))
        .unwrap_or("");
    assert!(
        line.contains("item 1: ") && line.contains("; item 2: "),
        "{said}"
    );
}

/// `linked_scores.csv` writes the score linked from as the input gave it,
/// with `evaluations.csv`'s 6 decimals (links audit, 2026-12-07: it had 4,
/// so `50.00002` was `50`).
#[test]
fn a_linked_score_s_source_keeps_its_decimals() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2010,old,1,50.00002\n\
         0114,2010,new,1,50\n0115,2010,old,1,60.000001\n0115,2010,new,1,60\n\
         0117,2008,old,1,0.00001\n",
    );
    wd.run_expect(&words("link in.csv -o out -q"), 0);
    let got = wd
        .table("out/linked_scores.csv")
        .select(&["municipality_code", "score"]);
    let want = [
        ["0114", "50.00002"],
        ["0115", "60.000001"],
        ["0117", "0.00001"],
    ];
    assert_eq!(got, crate::workdir::strings(&want));
}
