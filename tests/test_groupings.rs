//! The groupings of `averages.csv` that a register gives (SKL's 2011
//! groups, the population bands at their edges; the years per country),
//! the bootstrap seed of the links, and a run with its standard output
//! closed. Expected values
//! by hand from the rows written here.

use crate::workdir::{Workdir, stderr};

/// Five Swedish municipalities at the population bands' edges (README,
/// "Groupings": under 15,000; 15,000 ≤ p < 50,000; 50,000 ≤ p ≤ 200,000;
/// over 200,000), in three 2011 groups, 10 among them, and one of
/// population 0, in no band (no size, as it is no weight; the numbers
/// audit of 2026-12-06: it was counted under 15,000).
const REGISTER: &str = "code,name,group_2011_code,group_2011_name,group_2017_code,\
    group_2017_name,population\n\
    0114,A,1,Storstäder,A1,Storstad,14999\n\
    0115,B,1,Storstäder,A1,Storstad,15000\n\
    0117,C,2,Förortskommuner,A2,Pendlingskommun,50000\n\
    0120,D,2,Förortskommuner,B3,Större stad,200000\n\
    0123,E,10,Kommuner i glesbefolkad region,B3,Större stad,200001\n\
    0125,F,10,Kommuner i glesbefolkad region,B3,Större stad,0\n";

const TOTALS: &str = "municipality_code,eval_year,scale,item,score\n\
    0114,2012,new,total,410\n0115,2012,new,total,420\n0117,2013,new,total,430\n\
    0120,2013,new,total,440\n0123,2014,new,total,450\n0125,2014,new,total,460\n";

/// An expected row of [`rows`].
fn r(group: &str, n: &str, mean: &str, sd: &str) -> Vec<String> {
    [group, n, mean, sd].map(String::from).to_vec()
}

/// The latest-basis totals of one grouping on the new scale: (group, n,
/// mean, sd).
fn rows(wd: &Workdir, grouping: &str) -> Vec<Vec<String>> {
    let t = wd.table("out/averages.csv");
    let cols = [
        "scale", "grouping", "basis", "item", "group", "n", "mean", "sd",
    ];
    (t.select(&cols).into_iter())
        .filter(|r| r[..4] == ["new", grouping, "latest", "total"])
        .map(|r| r[4..].to_vec())
        .collect()
}

#[test]
fn the_2011_groups_and_the_population_bands_at_their_edges() {
    let wd = Workdir::new();
    wd.create("se_register.csv", REGISTER);
    wd.create("in.csv", TOTALS);
    let args = [
        "run",
        "-i",
        "in.csv",
        "--register",
        "se_register.csv",
        "-o",
        "out",
    ];
    let out = wd.run(&[&args[..], &["-q", "--charts", "none", "--report", "none"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // 1: 410 and 420, mean 415, sd √((25 + 25)/1) = 7.0711; 2: 430 and
    // 440; 10: 450 and 460, after 2 (as text it came between 1 and 2).
    assert_eq!(
        rows(&wd, "kommungrupp2011"),
        [
            r("1 Storstäder", "2", "415", "7.0711"),
            r("2 Förortskommuner", "2", "435", "7.0711"),
            r("10 Kommuner i glesbefolkad region", "2", "455", "7.0711"),
        ]
    );
    // 14,999 under 15,000; 15,000 in the second band; 50,000 and 200,000
    // both in the third; 200,001 over; 0 in none.
    assert_eq!(
        rows(&wd, "population_band"),
        [
            r("under 15000", "1", "410", ""),
            r("15000-50000", "1", "420", ""),
            r("50000-200000", "2", "435", "7.0711"),
            r("over 200000", "1", "450", ""),
        ]
    );
}

/// `--link-seed` draws the links' bootstrap replicates: the same seed
/// gives the same SEs, another seed others, and the fitted links are the
/// same either way.
#[test]
fn the_link_seed_draws_the_bootstrap_and_nothing_else() {
    let wd = Workdir::new();
    let config = format!("{}/data/kompass.example.toml", env!("CARGO_MANIFEST_DIR"));
    let run = |out: &str, seed: &str| {
        let args = [
            "run",
            "--config",
            &config,
            "-o",
            out,
            "-q",
            "--link-seed",
            seed,
        ];
        let extra = ["--charts", "none", "--report", "none", "--bootstrap", "100"];
        let done = wd.run(&[&args[..], &extra].concat());
        assert_eq!(done.status.code(), Some(0), "{}", stderr(&done));
        let t = wd.table(&format!("{out}/concordance.csv"));
        (t.column("linked_score"), t.column("linked_se"))
    };
    let (a, b, c) = (run("a", "7"), run("b", "7"), run("c", "8"));
    assert!(a.0.len() > 100, "{} concordance rows", a.0.len());
    assert_eq!(a, b, "the same seed, the same links and SEs");
    assert_eq!(a.0, c.0, "the fitted links do not depend on the seed");
    let differ = (a.1.iter().zip(&c.1)).filter(|(x, y)| x != y).count();
    assert!(
        differ > a.1.len() / 2,
        "{differ} of {} SEs differ",
        a.1.len()
    );
}

/// A run whose standard output is closed (`>&-`) treats it as one that
/// discards what is written: exit 0, every output written.
#[test]
fn a_closed_standard_output_is_no_error() {
    let wd = Workdir::new();
    wd.create("in.csv", TOTALS);
    let kompass = env!("CARGO_BIN_EXE_kompass");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "exec '{kompass}' run -i in.csv -o out --charts none >&-"
        ))
        .current_dir(wd.file(""))
        .output()
        .expect("run sh");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // 410, 420, ..., 460: mean 435, sd √((2 · (25² + 15² + 5²)) / 5) = √350.
    assert_eq!(rows(&wd, "national"), [vec!["SE", "6", "435", "18.7083"]]);
}

/// The population-weighted mean rests on the evaluations whose population
/// the register gives, and says how many (`n_pop_weighted`): 2 of the 3
/// here, (1,000 · 410 + 3,000 · 420) / 4,000 = 417.5 by hand, beside a
/// mean of 440 over all 4 (the row gave no count of its own, and the
/// weighted mean read as one of n = 3). A population of 0 is no weight
/// and not counted (averages audit: it was counted, beside an empty mean
/// where it was the only one): 410 + 420 + 430 + 500 = 1,760 / 4 = 440.
#[test]
fn the_weighted_mean_says_how_many_it_rests_on() {
    let wd = Workdir::new();
    wd.create(
        "se_register.csv",
        "code,name,population\n0114,A,1000\n0115,B,3000\n0117,C,\n0120,D,0\n",
    );
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n\
         0114,2012,new,total,410\n0115,2012,new,total,420\n0117,2013,new,total,430\n\
         0120,2014,new,total,500\n",
    );
    let args = "run -i in.csv --register se_register.csv -o out -q --charts none --report none";
    let out = wd.run(&args.split(' ').collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let t = wd.table("out/averages.csv");
    let cols = [
        "scale",
        "grouping",
        "basis",
        "item",
        "n",
        "mean",
        "mean_pop_weighted",
        "n_pop_weighted",
    ];
    let national: Vec<Vec<String>> = (t.select(&cols).into_iter())
        .filter(|r| r[..4] == ["new", "national", "latest", "total"])
        .map(|r| r[4..].to_vec())
        .collect();
    assert_eq!(national, [["4", "440", "417.5", "2"]]);
}

/// A year's average is one country's, as a national average is: Sweden's
/// 2012 evaluations (410, 420) and Norway's (600, 640) make two groups,
/// `SE 2012` (mean 415, sd √50 = 7.0711) and `NO 2012` (620, √800 =
/// 28.2843), in year order and within a year by country; Norway's 2013
/// (500) comes after both (years audit: the four made one group `2012`
/// of mean 517.5, a Norwegian and a Swedish population in one figure).
#[test]
fn the_year_groups_are_per_country() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "country,municipality_code,eval_year,scale,item,score\n\
         SE,0114,2012,new,total,410\nSE,0115,2012,new,total,420\n\
         NO,0301,2012,new,total,600\nNO,1103,2012,new,total,640\n\
         NO,4601,2013,new,total,500\n",
    );
    let args = "run -i in.csv -o out -q --charts none --report none";
    let out = wd.run(&args.split(' ').collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        rows(&wd, "eval_year"),
        [
            r("NO 2012", "2", "620", "28.2843"),
            r("SE 2012", "2", "415", "7.0711"),
            r("NO 2013", "1", "500", ""),
        ]
    );
}

/// Years a millennium apart (1000 and 9999, each a `year-range` warning,
/// its row kept) on four instruments of 2,000 questions each: the
/// `eval_year` groups are those of the years present. The key space ran
/// over every year between, times the scales and items (90,360,000 keys),
/// and the run ended in an internal error (exit 5; style review F2).
#[test]
fn years_far_apart_on_large_instruments_are_averaged() {
    let wd = Workdir::new();
    let mut rows = String::from("municipality_code,eval_year,scale,item,score\n");
    for id in ["k1", "k2", "k3", "k4"] {
        let mut text = format!(
            "id = \"{id}\"\nname_sv = \"{id}\"\nname_en = \"{id}\"\nresolution = 1\n\
             total_max = 2000\n"
        );
        for a in 1..=8 {
            text +=
                &format!("[[area]]\nid = \"{a}\"\nname_sv = \"a\"\nname_en = \"a\"\nmax = 250\n");
            for q in 1..=250 {
                text += &format!("[[area.question]]\nid = \"{a}.{q}\"\ntext_sv = \"q\"\nmax = 1\n");
            }
        }
        wd.create(&format!("ins/{id}.toml"), text);
        rows += &format!("0114,1000,{id},1.1,1\n0115,9999,{id},8.250,0\n");
    }
    wd.create("in.csv", rows);
    let args = "run -i in.csv --instruments ins --link-to k1 -o out -q --charts none --report none";
    let out = wd.run(&args.split(' ').collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let t = wd.table("out/averages.csv");
    let cols = ["scale", "grouping", "basis", "group", "item", "n", "mean"];
    let years: Vec<Vec<String>> = (t.select(&cols).into_iter())
        .filter(|r| r[..3] == ["k4", "eval_year", "latest"])
        .map(|r| r[3..].to_vec())
        .collect();
    let row = |cells: [&str; 4]| cells.map(String::from).to_vec();
    assert_eq!(
        years,
        [
            row(["SE 1000", "1.1", "1", "1"]),
            row(["SE 9999", "8.250", "1", "0"])
        ]
    );
}
