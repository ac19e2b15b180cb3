//! `group_differences.csv`: a Swedish group's average less Sweden's, with
//! its 95 % interval against the rest of Sweden (Welch), and the group
//! page's ± beside the difference. Expected values by hand from the rows
//! written here (t quantiles from scipy).

use crate::test_analysis::{close, run};
use crate::workdir::{Workdir, row};

/// Area 1 on the new scale: SKR 2017's A1 (Stockholm 60, Malmö 70,
/// Göteborg 80), A2 (Upplands Väsby 50, Vallentuna 55, Österåker 45) and
/// B3 (Östersund 50), in the shipped register.
const SCORES: &str = "municipality_code,eval_year,scale,a1\n\
    0180,2012,new,60\n1280,2012,new,70\n1480,2013,new,80\n\
    0114,2012,new,50\n0115,2013,new,55\n0117,2014,new,45\n2380,2014,new,50\n";

/// Sweden: N = 7, mean 410 / 7 = 58.571429.
/// A1: n 3, mean 70, s² 100; the rest (50, 55, 45, 50) n 4, mean 50, s²
/// 50/3. d = 70 − 410/7 = 11.428571 (= 4/7 · 20); a = 100/3, b = 50/12,
/// se = 4/7 · √37.5 = 3.499271; ν = 37.5² / (a²/2 + b²/3) = 2.505155,
/// t = 3.569398: −1.061719 … 23.918862.
/// A2: n 3, mean 50, s² 25; the rest (60, 70, 80, 50) mean 65, s² 500/3.
/// d = −60/7 = −8.571429; se = 4/7 · √50 = 4.040610; ν = 2500 /
/// ((25/3)²/2 + (500/12)²/3) = 4.075472, t = 2.756285: −19.708501 …
/// 2.565644.
/// B3: Östersund alone, d = 50 − 410/7 = −8.571429, no SE, no interval.
#[test]
fn a_group_differs_from_sweden_with_its_interval() {
    let wd = Workdir::new();
    wd.create("in.csv", SCORES);
    run(&wd, "in.csv", &[]);
    let t = wd.table("out/group_differences.csv").records();
    let of = |group: &str| {
        row(
            &t,
            &[
                ("scale", "new"),
                ("grouping", "kommungrupp2017"),
                ("group", group),
                ("item", "1"),
            ],
        )
    };
    let a1 = of("A1 Storstäder");
    assert_eq!((a1["n"].as_str(), a1["national_n"].as_str()), ("3", "7"));
    close(&a1["difference"], 11.428571);
    close(&a1["se_sampling"], 3.499271);
    close(&a1["se_total"], 3.499271);
    assert_eq!(a1["se_link"], "");
    close(&a1["ci_low"], -1.061719);
    close(&a1["ci_high"], 23.918862);
    let a2 = of("A2 Pendlingskommun nära storstad");
    close(&a2["difference"], -8.571429);
    close(&a2["se_sampling"], 4.040610);
    close(&a2["ci_low"], -19.708501);
    close(&a2["ci_high"], 2.565644);
    let b3 = of("B3 Större stad");
    close(&b3["difference"], -8.571429);
    let empty = [&b3["se_sampling"], &b3["ci_low"], &b3["ci_high"]];
    assert_eq!(empty.map(String::as_str), ["", "", ""]);
    // The national grouping and the years have no differences.
    assert!((t.iter()).all(|r| {
        ["kommungrupp2011", "kommungrupp2017", "population_band"].contains(&r["grouping"].as_str())
    }));
    // The group page: the mean as shown, 58,6, so the difference 70 −
    // 58,6 = +11,4, and beside it half the interval, 3.569398 · 3.499271 =
    // 12.49.
    let page = String::from_utf8(wd.read("out/report/group_A1.html")).expect("UTF-8");
    assert!(page.contains("<td>+11,4</td><td>12,5</td>"), "{page}");
}

/// A group whose scores are all equal has no interval for its difference,
/// as its mean has none (an SD of 0 from three equal scores is no
/// estimate of their spread; the review of 2026-12-07: A1's 70, 70, 70
/// had 0.7484 … 7.2516 from the rest's spread alone). By hand: Sweden
/// 594 / 9 = 66, A1 d = 4; the rest 61 ×4, 70 ×2: mean 64, s² 21.6, se =
/// 6/9 · √(0 + 21.6/6) = 1.264911, written, but no interval.
#[test]
fn a_group_of_equal_scores_has_no_interval_for_its_difference() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,a1\n\
         0180,2012,new,70\n1280,2012,new,70\n1480,2012,new,70\n\
         0114,2012,new,61\n0115,2012,new,61\n0117,2012,new,61\n0120,2012,new,61\n\
         2180,2012,new,70\n1380,2012,new,70\n",
    );
    run(&wd, "in.csv", &[]);
    let t = wd.table("out/group_differences.csv").records();
    let want = [
        ("scale", "new"),
        ("grouping", "kommungrupp2017"),
        ("group", "A1 Storstäder"),
        ("item", "1"),
    ];
    let a1 = row(&t, &want);
    close(&a1["difference"], 4.0);
    close(&a1["se_sampling"], 1.264911);
    assert_eq!((a1["ci_low"].as_str(), a1["ci_high"].as_str()), ("", ""));
    let page = String::from_utf8(wd.read("out/report/group_A1.html")).expect("UTF-8");
    assert!(page.contains("<td>+4</td><td></td>"), "{page}");
}
