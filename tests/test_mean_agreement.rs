//! The same mean of the same values is one figure in every file:
//! `averages.csv`, `benchmarks.csv` and `year_totals.csv` each summed the
//! values their own way (Kahan's sum in the analysis table's order, a plain
//! sum in ascending order, a plain sum in the table's order), and where the
//! mean falls near a written decimal's midpoint, the last decimal differed
//! (the helper audit of 2026-12-07). The expected figures are the exact
//! sum rounded to a float, over n, written to 4 decimals as the float's
//! exact value rounds (half to even):
//!
//! ```text
//! python3 -c "import math; from decimal import Decimal as D
//! for v in ([39.7932,81,63,67,87,90,38,85], [8.19,92.25,28.19,19.02,37.06,92.28,32.67,82.41],
//!           [139.14,77.01,752.89,64.1,357.95,775.55,297.03,139.28]):
//!     print(D(math.fsum(v)/len(v)).quantize(D('0.0001')))"
//! ```
//!
//! gives 68.8491, 49.0087 and 325.3687 (a plain sum gives 68.8492, 49.0088
//! and 325.3688).

use crate::workdir::{Workdir, stderr};

/// Eight municipalities of SKR's group A2, one evaluation each, in 2012 on
/// the new scale: `scores` as item `item`.
fn export(item: &str, scores: &[&str]) -> String {
    let codes = [
        "0114", "0115", "0117", "0120", "0123", "0125", "0126", "0127",
    ];
    let mut text = String::from("municipality_code,eval_year,scale,item,score\n");
    for (code, s) in codes.iter().zip(scores) {
        text += &format!("{code},2012,new,{item},{s}\n");
    }
    text
}

fn run(wd: &Workdir, out: &str, basis: &str) {
    let args = [
        "run", "-i", "in.csv", "-o", out, "-q", "--charts", "none", "--report", "none", "--basis",
        basis,
    ];
    let done = wd.run(&args);
    assert_eq!(done.status.code(), Some(0), "{}", stderr(&done));
}

/// The national and group means of `benchmarks.csv` (new scale, area 1,
/// every row alike) and of `averages.csv` (latest basis, area 1).
fn means(wd: &Workdir, out: &str) -> [String; 4] {
    let b = wd.table(&format!("{out}/benchmarks.csv"));
    let ours = b.select(&["scale", "item", "national_mean", "group_mean"]);
    let area: Vec<&[String]> = (ours.iter())
        .filter(|r| r[..2] == ["new", "1"])
        .map(|r| &r[1..])
        .collect();
    assert_eq!(area.len(), 8);
    assert!(area.iter().all(|r| r[1..] == area[0][1..]), "{area:?}");
    let a = wd.table(&format!("{out}/averages.csv"));
    let avg = |grouping: &str| {
        (a.select(&["scale", "basis", "grouping", "item", "mean"])
            .into_iter())
        .find(|r| r[..4] == ["new", "latest", grouping, "1"])
        .map(|r| r[4].clone())
        .expect("an average")
    };
    [
        area[0][1].clone(),
        area[0][2].clone(),
        avg("national"),
        avg("kommungrupp2017"),
    ]
}

#[test]
fn benchmarks_and_averages_write_one_mean() {
    let wd = Workdir::new();
    for (scores, mean) in [
        (
            ["39.7932", "81", "63", "67", "87", "90", "38", "85"],
            "68.8491",
        ),
        (
            [
                "8.19", "92.25", "28.19", "19.02", "37.06", "92.28", "32.67", "82.41",
            ],
            "49.0087",
        ),
    ] {
        wd.create("in.csv", export("1", &scores));
        run(&wd, "out", "latest");
        assert_eq!(means(&wd, "out"), [mean; 4].map(String::from));
    }
}

#[test]
fn year_totals_and_the_years_averages_write_one_mean() {
    let wd = Workdir::new();
    let totals = [
        "139.14", "77.01", "752.89", "64.1", "357.95", "775.55", "297.03", "139.28",
    ];
    wd.create("in.csv", export("total", &totals));
    run(&wd, "out", "all");
    let y = wd.table("out/year_totals.csv");
    let years = y.select(&["country", "scale", "eval_year", "n", "mean_total"]);
    assert_eq!(years, [["SE", "new", "2012", "8", "325.3687"]]);
    let a = wd.table("out/averages.csv");
    let row = (a
        .select(&["scale", "grouping", "group", "item", "n", "mean"])
        .into_iter())
    .find(|r| r[..4] == ["new", "eval_year", "SE 2012", "total"])
    .expect("the year's average");
    assert_eq!(row[4..], ["8", "325.3687"]);
}
