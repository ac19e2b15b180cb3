//! The edges of what the checks let through: a score's range, where the
//! tolerance is only float noise (half a point outside its item's range
//! is rejected, a ten-billionth outside is the edge itself), a year's
//! range, and a published sum's rounding allowance, which counts the
//! rounded figures behind its parts.

use crate::workdir::Workdir;

const LONG: &str = "country,municipality_code,municipality,eval_year,scale,item,score,max\n";

/// A row of Upplands Väsby's: year, scale, item, score and max.
fn line(year: &str, scale: &str, item: &str, score: &str, max: &str) -> String {
    format!("SE,0114,Upplands Väsby,{year},{scale},{item},{score},{max}\n")
}

/// `validate` of [`LONG`] and `rows`: the (rule, line, value) of each row
/// in `rejects.csv`, and the scores of `evaluations.csv` by (year, item).
fn validate(rows: &[String]) -> (Vec<[String; 3]>, Vec<[String; 3]>) {
    let wd = Workdir::new();
    wd.create("in.csv", format!("{LONG}{}", rows.concat()));
    wd.run_expect(&["validate", "-i", "in.csv", "-o", "out"], 0);
    let rejected = (wd.table("out/rejects.csv").records().into_iter())
        .map(|r| [r["rule"].clone(), r["line"].clone(), r["value"].clone()])
        .collect();
    let scores = (wd.table("out/evaluations.csv").records().into_iter())
        .map(|r| {
            [
                r["eval_year"].clone(),
                r["item"].clone(),
                r["score"].clone(),
            ]
        })
        .collect();
    (rejected, scores)
}

/// Half a point above an item's maximum, a score point of the old scale,
/// is `above-max`; 1e-10 above it is the maximum.
#[test]
fn half_a_point_above_the_maximum_is_above_it() {
    let good = line("2012", "new", "1", "55", "100");
    let (rejected, _) = validate(&[good.clone(), line("2008", "old", "1", "100.5", "100")]);
    assert_eq!(rejected, [["above-max", "3", "100.5"].map(String::from)]);
    let (rejected, scores) = validate(&[good, line("2008", "old", "1", "100.0000000001", "100")]);
    assert!(rejected.is_empty(), "{rejected:?}");
    let max = ["2008", "1", "100"].map(String::from);
    assert!(scores.contains(&max), "{scores:?}");
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
    let rows = [
        line(&year.to_string(), "new", "1", "55", "100"),
        line(&(year + 1).to_string(), "new", "2", "55", "100"),
        line("2002", "old", "1", "55", "100"),
        line("2001", "old", "2", "55", "100"),
    ];
    let wd = Workdir::new();
    wd.create("in.csv", format!("{LONG}{}", rows.concat()));
    wd.run_expect(&["validate", "-i", "in.csv", "-o", "out"], 0);
    let out_of_range: Vec<(String, String)> = (wd.table("out/validation.csv").records())
        .into_iter()
        .filter(|r| r["rule"] == "year-range")
        .map(|r| (r["line"].clone(), r["value"].clone()))
        .collect();
    let want = [("3", (year + 1).to_string()), ("5", "2001".into())];
    assert_eq!(out_of_range, want.map(|(l, y)| (l.to_string(), y)));
}

/// A total given beside its 45 sub-questions (new scale) and no areas:
/// the areas are their sums, and the total's rounding allowance counts the
/// 45 rounded figures behind them and its own, half a point each: 23
/// points (README, "Validation"). 22 over the sum is within it, 24 is a
/// `total-sum` warning.
#[test]
fn a_total_s_allowance_counts_the_figures_behind_derived_areas() {
    const QUESTIONS: [usize; 8] = [5, 6, 5, 6, 6, 6, 5, 6];
    let mut text = String::from(LONG);
    for (code, name, total) in [("0114", "Upplands Väsby", 67), ("0115", "Vallentuna", 69)] {
        for (area, n) in QUESTIONS.iter().enumerate() {
            for q in 1..=*n {
                text += &format!("SE,{code},{name},2012,new,{}.{q},1,\n", area + 1);
            }
        }
        text += &format!("SE,{code},{name},2012,new,total,{total},\n");
    }
    let wd = Workdir::new();
    wd.create("in.csv", &text);
    wd.run_expect(&["validate", "-i", "in.csv", "-o", "out"], 0);
    let findings: Vec<(String, String, String)> = (wd.table("out/validation.csv").records())
        .into_iter()
        .map(|r| {
            (
                r["rule"].clone(),
                r["municipality_code"].clone(),
                r["message"].clone(),
            )
        })
        .collect();
    let message =
        "the total is 69 but its 8 areas add up to 45 (difference 24; rounding allows 23)";
    assert_eq!(
        findings,
        [("total-sum".into(), "0115".into(), message.into())]
    );
}
