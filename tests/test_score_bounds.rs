//! The edges of what the checks let through: a score's range, where the
//! tolerance is only float noise (half a point outside its item's range
//! is rejected, a ten-billionth outside is the edge itself), a year's
//! range, and a published sum's rounding allowance, which counts the
//! rounded figures behind its parts.

use crate::workdir::{Workdir, strings};

const LONG: &str = "country,municipality_code,municipality,eval_year,scale,item,score,max\n";

/// A row of Upplands Väsby's: year, scale, item, score and max.
fn line(year: &str, scale: &str, item: &str, score: &str, max: &str) -> String {
    format!("SE,0114,Upplands Väsby,{year},{scale},{item},{score},{max}\n")
}

/// `validate` of [`LONG`] and `rows`, in a folder of its own.
fn validated(rows: &[String]) -> Workdir {
    let wd = Workdir::new();
    wd.create("in.csv", format!("{LONG}{}", rows.concat()));
    wd.run_expect(&["validate", "-i", "in.csv", "-o", "out"], 0);
    wd
}

/// Half a point above an item's maximum, a score point of the old scale,
/// is `above-max`; 1e-10 above it is the maximum.
#[test]
fn half_a_point_above_the_maximum_is_above_it() {
    let rejected = |wd: &Workdir| {
        wd.table("out/rejects.csv")
            .select(&["rule", "line", "value"])
    };
    let good = line("2012", "new", "1", "55", "100");
    let wd = validated(&[good.clone(), line("2008", "old", "1", "100.5", "100")]);
    assert_eq!(rejected(&wd), strings(&[["above-max", "3", "100.5"]]));
    let wd = validated(&[good, line("2008", "old", "1", "100.0000000001", "100")]);
    assert!(rejected(&wd).is_empty(), "{:?}", rejected(&wd));
    let scores = wd
        .table("out/evaluations.csv")
        .select(&["eval_year", "item", "score"]);
    let max = strings(&[["2008", "1", "100"]]);
    assert!(scores.contains(&max[0]), "{scores:?}");
}

/// An evaluation of this year (by `date -u`, not by kompass's clock) is in
/// range, one of next year is not (`year-range`); nor is 2001, the year
/// before the first evaluations, while 2002 is.
#[test]
fn this_year_is_in_range_and_next_year_is_not() {
    let date = std::process::Command::new("date")
        .args(["-u", "+%Y"])
        .output()
        .expect("date runs");
    let year: u16 = (String::from_utf8_lossy(&date.stdout).trim())
        .parse()
        .expect("a year");
    let next = (year + 1).to_string();
    let wd = validated(&[
        line(&year.to_string(), "new", "1", "55", "100"),
        line(&next, "new", "2", "55", "100"),
        line("2002", "old", "1", "55", "100"),
        line("2001", "old", "2", "55", "100"),
    ]);
    let findings = wd
        .table("out/validation.csv")
        .select(&["rule", "line", "value"]);
    let out_of_range: Vec<Vec<String>> = (findings.into_iter())
        .filter(|f| f[0] == "year-range")
        .collect();
    let want = [["year-range", "3", &next], ["year-range", "5", "2001"]];
    assert_eq!(out_of_range, strings(&want));
}

/// A total given beside its 45 sub-questions (new scale) and no areas:
/// the areas are their sums, and the total's rounding allowance counts the
/// 45 rounded figures behind them and its own, half a point each: 23
/// points (README, "Validation"). 22 over the sum is within it, 24 is a
/// `total-sum` warning.
#[test]
fn a_total_s_allowance_counts_the_figures_behind_derived_areas() {
    const QUESTIONS: [usize; 8] = [5, 6, 5, 6, 6, 6, 5, 6];
    let mut rows = Vec::new();
    for (code, name, total) in [("0114", "Upplands Väsby", 67), ("0115", "Vallentuna", 69)] {
        for (area, n) in QUESTIONS.iter().enumerate() {
            for q in 1..=*n {
                rows.push(format!("SE,{code},{name},2012,new,{}.{q},1,\n", area + 1));
            }
        }
        rows.push(format!("SE,{code},{name},2012,new,total,{total},\n"));
    }
    let wd = validated(&rows);
    let findings =
        (wd.table("out/validation.csv")).select(&["rule", "municipality_code", "message"]);
    let message =
        "the total is 69 but its 8 areas add up to 45 (difference 24; rounding allows 23)";
    assert_eq!(findings, strings(&[["total-sum", "0115", message]]));
}
