//! `kompass synth`: determinism, planted faults found exactly, clean data
//! clean, and the realism claims checked on the generated files themselves
//! (statistics computed here from the CSV, not by kompass).

use std::collections::{BTreeMap, BTreeSet};

use crate::workdir::{Workdir, stderr, stdout, words};

fn synth(wd: &Workdir, out: &str, extra: &[&str]) {
    let mut args = vec!["synth", "--out", out];
    args.extend_from_slice(extra);
    wd.run_expect(&args, 0);
}

#[test]
fn same_arguments_same_bytes_other_seed_other_data() {
    let wd = Workdir::new();
    let args = [
        "-n",
        "400",
        "--seed",
        "7",
        "--countries",
        "SE,NO,DK",
        "--faults",
        "0.1",
        "--files",
        "2",
    ];
    synth(&wd, "a", &args);
    synth(&wd, "b", &args);
    for f in [
        "evaluations_001.csv",
        "evaluations_002.csv",
        "meta/truth.json",
        "meta/faults.csv",
    ] {
        assert!(
            wd.read(&format!("a/{f}")) == wd.read(&format!("b/{f}")),
            "{f} differs between runs"
        );
    }
    let mut other = args;
    other[3] = "8";
    synth(&wd, "c", &other);
    assert!(
        wd.read("a/evaluations_001.csv") != wd.read("c/evaluations_001.csv"),
        "seed 8 gave seed 7's data"
    );
}

/// A country named twice is drawn once (`SE,NO,se` is `SE,NO`: the same
/// data), and more files than evaluations is a usage error, not an abort.
#[test]
fn countries_once_and_files_bounded() {
    let wd = Workdir::new();
    synth(&wd, "a", &["-n", "60", "--countries", "SE,NO"]);
    synth(&wd, "b", &["-n", "60", "--countries", "SE,NO,se"]);
    assert!(wd.read("a/evaluations.csv") == wd.read("b/evaluations.csv"));
    // A missing --avoid path names the option.
    let out = wd.run(&["synth", "-n", "60", "--avoid", "nope", "--out", "c"]);
    assert_eq!(out.status.code(), Some(2));
    let says = "--avoid: nope: no such file or folder";
    assert!(crate::workdir::stderr(&out).contains(says));
    for files in ["61", "4294967295", "0", "4294967296", "-1"] {
        let out = wd.run(&["synth", "-n", "60", "--files", files, "--out", "c"]);
        assert_eq!(out.status.code(), Some(2), "--files {files}");
        let says = match files {
            "61" | "4294967295" => {
                format!("--files must be between 1 and the number of evaluations (60), got {files}")
            }
            // The parser's "not in 0..=4294967295" named 0, which is refused.
            _ => format!(
                "'{files}' is not a number of files: give a whole number from 1 to the number \
                 of evaluations (-n)"
            ),
        };
        assert!(
            crate::workdir::stderr(&out).contains(&says),
            "{}",
            crate::workdir::stderr(&out)
        );
    }
}

/// (file name, line, rule) of each listed fault or finding.
fn triples(t: &crate::workdir::Table) -> BTreeSet<(String, String, String)> {
    t.records()
        .into_iter()
        .map(|r| (file_name(&r["file"]), r["line"].clone(), r["rule"].clone()))
        .collect()
}

fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_string()
}

fn check_faults(layout: &str, dialect: &str) {
    let wd = Workdir::new();
    synth(
        &wd,
        "gen",
        &[
            "-n",
            "1500",
            "--seed",
            "3",
            "--countries",
            "SE,NO,DK",
            "--faults",
            "0.08",
            "--files",
            "2",
            "--layout",
            layout,
            "--dialect",
            dialect,
        ],
    );
    wd.run_expect(
        &words("validate -i gen --register gen/meta/register.csv -o out"),
        0,
    );
    let planted = triples(&wd.table("gen/meta/faults.csv"));
    assert!(planted.len() > 60, "{} faults", planted.len());
    let rules: BTreeSet<&str> = planted.iter().map(|t| t.2.as_str()).collect();
    for rule in [
        "above-max",
        "negative-score",
        "bad-number",
        "bad-code",
        "conflict",
        "area-sum",
    ] {
        assert!(
            rules.contains(rule),
            "no {rule} planted in {layout}/{dialect}"
        );
    }
    let found = triples(&wd.table("out/validation.csv"));
    assert_eq!(found, planted, "findings differ from the planted faults");
    let rejected: BTreeSet<(String, String)> = wd
        .table("out/rejects.csv")
        .records()
        .into_iter()
        .map(|r| (file_name(&r["file"]), r["line"].clone()))
        .collect();
    let error_lines: BTreeSet<(String, String)> = planted
        .iter()
        .filter(|t| t.2 != "area-sum" && t.2 != "total-sum")
        .map(|t| (t.0.clone(), t.1.clone()))
        .collect();
    assert_eq!(
        rejected, error_lines,
        "rejected rows are exactly the faulty ones"
    );
}

#[test]
fn every_planted_fault_is_reported_long_plain() {
    check_faults("long", "plain");
}

#[test]
fn every_planted_fault_is_reported_wide_excel() {
    check_faults("wide", "excel-sv");
}

#[test]
fn clean_data_has_no_finding() {
    let wd = Workdir::new();
    synth(
        &wd,
        "gen",
        &[
            "-n",
            "600",
            "--seed",
            "9",
            "--countries",
            "SE,NO,DK",
            "--layout",
            "wide",
            "--dialect",
            "excel-sv",
        ],
    );
    synth(
        &wd,
        "gen2",
        &["-n", "600", "--seed", "9", "--countries", "SE"],
    );
    for g in ["gen", "gen2"] {
        let reg = format!("{g}/meta/register.csv");
        let reg_args: Vec<&str> = if wd.exists(&reg) {
            vec!["--register", &reg]
        } else {
            vec![]
        };
        let mut args = vec!["validate", "-i", g, "-o", "out", "--strict"];
        args.extend(reg_args);
        let out = wd.run_expect(&args, 0);
        assert!(
            stdout(&out).contains("0 error(s), 0 warning(s)"),
            "{}",
            stdout(&out)
        );
    }
}

/// One generated evaluation: its key and item -> score.
type Evals = BTreeMap<(String, String, u16, String), BTreeMap<String, f64>>;

fn read_evals(wd: &Workdir, name: &str) -> Evals {
    let mut evals = Evals::new();
    for r in wd.table(name).records() {
        let key = (
            r["country"].clone(),
            r["municipality_code"].clone(),
            r["eval_year"].parse().unwrap(),
            r["scale"].clone(),
        );
        evals
            .entry(key)
            .or_default()
            .insert(r["item"].clone(), r["score"].parse().unwrap());
    }
    evals
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// Type-7 quantile.
fn quantile(xs: &[f64], p: f64) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let h = (v.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

#[test]
fn realism_on_2000_evaluations() {
    let wd = Workdir::new();
    synth(
        &wd,
        "gen",
        &["-n", "2000", "--seed", "2024", "--countries", "SE,NO,DK"],
    );
    let evals = read_evals(&wd, "gen/evaluations.csv");
    assert_eq!(evals.len(), 2000);
    let totals = |country: &str, scale: &str| -> Vec<f64> {
        evals
            .iter()
            .filter(|(k, _)| k.0 == country && k.3 == scale)
            .filter_map(|(_, v)| v.get("total").copied())
            .collect()
    };
    // Swedish new-scale area means near the seed's "Medel kommuner" profile.
    let seed_profile = [49.0, 54.0, 66.0, 56.0, 55.0, 57.0, 50.0, 67.0];
    for (a, want) in seed_profile.iter().enumerate() {
        let xs: Vec<f64> = evals
            .iter()
            .filter(|(k, _)| k.0 == "SE" && k.3 == "new")
            .filter_map(|(_, v)| v.get(&(a + 1).to_string()).copied())
            .collect();
        let m = mean(&xs);
        assert!(
            (m - want).abs() <= 6.0,
            "SE new area {} mean {m:.1} vs published {want}",
            a + 1
        );
    }
    let se = totals("SE", "new");
    let m = mean(&se);
    assert!((455.0..=490.0).contains(&m), "SE new total mean {m:.1}");
    let (lo, hi) = (quantile(&se, 0.025), quantile(&se, 0.975));
    assert!(
        lo >= 355.0 && hi <= 690.0,
        "SE new totals 95% range {lo}-{hi}"
    );
    // Norway markedly lower: average under 350.
    let no = mean(&totals("NO", "new"));
    assert!(no < 350.0 && no < m - 80.0, "NO new total mean {no:.1}");
    // Gains between consecutive rounds on the same scale: typically 35-85.
    let mut by_muni: BTreeMap<(String, String, String), Vec<(u16, f64)>> = BTreeMap::new();
    for (k, v) in &evals {
        if let Some(t) = v.get("total") {
            by_muni
                .entry((k.0.clone(), k.1.clone(), k.3.clone()))
                .or_default()
                .push((k.2, *t));
        }
    }
    let gains: Vec<f64> = by_muni
        .values()
        .flat_map(|h| h.windows(2).map(|w| w[1].1 - w[0].1).collect::<Vec<_>>())
        .collect();
    assert!(gains.len() > 300, "{} gains", gains.len());
    let med = quantile(&gains, 0.5);
    assert!((35.0..=85.0).contains(&med), "median gain {med}");
    assert!(quantile(&gains, 0.25) >= 25.0 && quantile(&gains, 0.75) <= 95.0);
    // Years, gaps and scales follow the rules.
    for (_, _, year, scale) in evals.keys() {
        assert!((2002..=2024).contains(year));
        let expected: &[&str] = match year {
            ..2010 => &["old"],
            2010 => &["new", "old"],
            2011..2020 => &["new"],
            2020 => &["2020", "new"],
            _ => &["2020"],
        };
        assert!(expected.contains(&scale.as_str()), "{year} on {scale}");
    }
    let dual = evals.keys().filter(|k| k.2 == 2010 && k.3 == "old").count();
    assert!(
        dual > 10,
        "{dual} evaluations scored on both scales in 2010"
    );
}

#[test]
fn areas_are_rounded_sums_of_sub_questions() {
    let wd = Workdir::new();
    synth(&wd, "gen", &["-n", "300", "--seed", "5"]);
    let evals = read_evals(&wd, "gen/evaluations.csv");
    let mut checked = 0;
    for v in evals.values() {
        for a in 1..=8 {
            let subs: Vec<f64> = (1..=6)
                .filter_map(|q| v.get(&format!("{a}.{q}")).copied())
                .collect();
            if let (Some(area), false) = (v.get(&a.to_string()), subs.is_empty()) {
                let sum: f64 = subs.iter().sum();
                assert!(
                    (area - sum).abs() <= 0.5 * (subs.len() + 1) as f64,
                    "{area} vs {sum}"
                );
                assert!(subs.iter().all(|s| s.fract() == 0.0));
                checked += 1;
            }
        }
    }
    assert!(checked > 100);
}

#[test]
fn a_generation_waits_for_the_lock_on_its_folder() {
    let wd = Workdir::new();
    // Another process holds the lock `run` and `synth` take on `syn`.
    let held = std::fs::File::create(wd.file(".syn.lock")).unwrap();
    held.lock().unwrap();
    let out = wd.run_expect(&["synth", "-n", "50", "--out", "syn", "-q"], 4);
    assert!(
        crate::workdir::stderr(&out)
            .contains("syn: another kompass run or synth is writing this folder (lock .syn.lock)"),
        "{}",
        crate::workdir::stderr(&out)
    );
    assert!(!wd.exists("syn/evaluations.csv"));
    // With --wait it waits, and goes on once the lock is released; then
    // it removes the lock file.
    let mut waiting = wd
        .command(&["synth", "-n", "50", "--out", "syn", "-q", "--wait"])
        .spawn()
        .unwrap();
    crate::workdir::until_open(waiting.id(), &wd.file(".syn.lock"));
    assert!(waiting.try_wait().unwrap().is_none(), "did not wait");
    assert!(!wd.exists("syn/evaluations.csv"));
    held.unlock().unwrap();
    drop(held);
    assert!(waiting.wait().unwrap().success());
    assert!(wd.exists("syn/evaluations.csv") && !wd.exists(".syn.lock"));
    // What a killed run left beside the folder, named in its lock file, is
    // removed first, as `run` removes it.
    std::fs::write(
        wd.file(".syn.lock"),
        "kompass lock file: a run is writing the folder beside it, pid 99999\n",
    )
    .unwrap();
    std::fs::create_dir(wd.file(".syn.tmp-99999")).unwrap();
    synth(&wd, "syn", &["-n", "50", "-q"]);
    assert!(!wd.exists(".syn.tmp-99999") && !wd.exists(".syn.lock"));
}

/// A link of the user's at the name `synth` writes a file under first
/// (`.evaluations.csv.partial`) had the generation written into the file
/// it points to, outside the folder, with exit 0; a file of theirs at
/// `meta/.faults.csv.partial` was renamed into place as `faults.csv`. Both
/// are refused (exit 2) with nothing written.
#[cfg(unix)]
#[test]
fn a_link_or_file_at_a_partial_name_is_not_written_through() {
    let wd = Workdir::new();
    synth(&wd, "sy", &["-n", "20", "-q"]);
    wd.create("victim.txt", "precious");
    std::os::unix::fs::symlink("../victim.txt", wd.file("sy/.evaluations.csv.partial")).unwrap();
    let args = ["synth", "-n", "20", "-o", "sy", "--seed", "3", "-q"];
    let err = stderr(&wd.run_expect(&args, 2));
    assert!(
        err.contains(".evaluations.csv.partial is there and is not listed as written"),
        "{err}"
    );
    assert_eq!(wd.read("victim.txt"), b"precious");
    std::fs::remove_file(wd.file("sy/.evaluations.csv.partial")).unwrap();
    wd.create("sy/meta/.faults.csv.partial", "mine");
    let err = stderr(&wd.run_expect(&args, 2));
    assert!(err.contains("meta/.faults.csv.partial is there"), "{err}");
    assert_eq!(wd.read("sy/meta/.faults.csv.partial"), b"mine");
}

/// `truth.json`'s realised pairs and gains count what the files hold:
/// municipality-years on two scales, and each municipality's years after
/// its first (counted here from `evaluations.csv`). The last history is cut
/// short at `-n`: until 2026-12-01 its pairs and gains were counted as
/// drawn (the shipped sample's truth gave 7 old/new pairs for 6 written).
#[test]
fn realised_pairs_and_gains_are_what_was_written() {
    let wd = Workdir::new();
    for seed in 1..=12 {
        let out = format!("g{seed}");
        synth(&wd, &out, &["-n", "23", "--seed", &seed.to_string(), "-q"]);
        let evals = read_evals(&wd, &format!("{out}/evaluations.csv"));
        let mut years: BTreeMap<(String, String), BTreeSet<u16>> = BTreeMap::new();
        let mut scales: BTreeMap<(String, String, u16), u64> = BTreeMap::new();
        for (country, code, year, _) in evals.keys() {
            let muni = (country.clone(), code.clone());
            years.entry(muni).or_default().insert(*year);
            *scales
                .entry((country.clone(), code.clone(), *year))
                .or_default() += 1;
        }
        let gains: usize = years.values().map(|y| y.len() - 1).sum();
        let pairs = scales.values().filter(|n| **n == 2).count();
        let truth: serde_json::Value =
            serde_json::from_slice(&wd.read(&format!("{out}/meta/truth.json"))).unwrap();
        let real = &truth["realised"];
        assert_eq!(real["gains"], gains as u64, "seed {seed}");
        let written =
            real["pairs_old_new"].as_u64().unwrap() + real["pairs_new_2020"].as_u64().unwrap();
        assert_eq!(written, pairs as u64, "seed {seed}");
    }
}

/// An earlier generation's file edited since (an export made into a test
/// case): the next generation stops before it removes anything, and the
/// edit survives; put back as written, the generation goes on. (Until the
/// thirty-first session the edited file was removed with the rest.)
#[test]
fn synth_keeps_a_file_changed_since_its_generation() {
    let wd = Workdir::new();
    let args = ["synth", "-n", "20", "--files", "2", "-o", "gen", "-q"];
    wd.run_expect(&args, 0);
    let written = wd.read("gen/evaluations_002.csv");
    let mut edited = written.clone();
    edited.extend_from_slice(b"my test case\n");
    wd.create("gen/evaluations_002.csv", &edited);
    let before = crate::test_safety::tree(&wd.file("gen"));
    wd.run_says(
        &args,
        2,
        "evaluations_002.csv was changed since the earlier generation wrote it (its BLAKE3 is \
         not the one meta/truth.json gives), and this generation would remove it",
    );
    assert_eq!(
        crate::test_safety::tree(&wd.file("gen")),
        before,
        "nothing removed"
    );
    assert_eq!(wd.read("gen/evaluations_002.csv"), edited);
    wd.create("gen/evaluations_002.csv", &written);
    wd.run_expect(&args, 0);
    assert_eq!(wd.read("gen/evaluations_002.csv"), written);
}
