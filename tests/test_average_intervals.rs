//! When an average or a mean change has a 95 % interval, and when not:
//! values by hand (t quantiles from scipy's `t.ppf`), and the cases left
//! empty rather than too narrow (values all equal; `--basis all` in a
//! grouping that may hold a municipality twice).

use crate::test_analysis::close;
use crate::workdir::{Workdir, row};

/// Three municipalities, each scored in 2010 and 2012 on areas 1–3:
/// - area 1: 60, 60, 50 → 70, 70, 64 (changes 10, 10, 14);
/// - area 2: 50, 40, 45 → 55, 45, 50 (changes all 5);
/// - area 3: 20, 25, 30 → 30, 30, 30 (latest all 30).
const DATA: &str = "municipality_code,eval_year,scale,a1,a2,a3\n\
    0114,2010,new,60,50,20\n0115,2010,new,60,40,25\n0117,2010,new,50,45,30\n\
    0114,2012,new,70,55,30\n0115,2012,new,70,45,30\n0117,2012,new,64,50,30\n";

fn run(wd: &Workdir, out: &str, basis: &str) {
    wd.run_expect(
        &[
            "run", "-i", "in.csv", "-o", out, "-q", "--charts", "none", "--report", "none",
            "--basis", basis,
        ],
        0,
    );
}

#[test]
fn intervals_by_hand_and_where_there_is_none() {
    let wd = Workdir::new();
    wd.create("in.csv", DATA);
    run(&wd, "latest", "latest");
    let a = wd.table("latest/averages.csv").records();
    let national = |item: &str| {
        row(
            &a,
            &[
                ("scale", "new"),
                ("grouping", "national"),
                ("group", "SE"),
                ("item", item),
            ],
        )
    };
    // Area 1, latest 70, 70, 64: 68 ± t(0.975, 2) · sd / √3 = 4.302653 ·
    // 3.464102 / 1.732051 = 8.6053.
    let a1 = national("1");
    close(&a1["ci_low"], 59.3947);
    close(&a1["ci_high"], 76.6053);
    // Area 2, 55, 45, 50: 50 ± 4.302653 · 5 / √3 = 12.4207.
    let a2 = national("2");
    close(&a2["ci_low"], 37.5793);
    close(&a2["ci_high"], 62.4207);
    // Area 3, all 30: SD 0, no interval (not [30, 30]).
    let a3 = national("3");
    assert_eq!((a3["sd"].as_str(), a3["n"].as_str()), ("0", "3"));
    assert_eq!((a3["ci_low"].as_str(), a3["ci_high"].as_str()), ("", ""));

    let t = wd.table("latest/trend_summary.csv").records();
    let change = |item: &str| {
        row(
            &t,
            &[
                ("scale", "new"),
                ("item", item),
                ("step_kind", "round"),
                ("step", "1→2"),
            ],
        )
    };
    // Area 1's changes 10, 10, 14: 11.3333 ± 4.302653 · 2.309401 / √3 =
    // 5.7369.
    let c1 = change("1");
    close(&c1["ci_low"], 5.5965);
    close(&c1["ci_high"], 17.0702);
    // Area 2's changes all 5: no interval.
    let c2 = change("2");
    assert_eq!((c2["mean_delta"].as_str(), c2["sd"].as_str()), ("5", "0"));
    assert_eq!((c2["ci_low"].as_str(), c2["ci_high"].as_str()), ("", ""));

    // Every evaluation: the national group holds each municipality twice,
    // so no interval; a year holds each once: 2010's area 1, 60, 60, 50:
    // 56.6667 ± 4.302653 · 5.773503 / √3 = 14.3422.
    run(&wd, "all", "all");
    let a = wd.table("all/averages.csv").records();
    let all = row(
        &a,
        &[
            ("scale", "new"),
            ("grouping", "national"),
            ("group", "SE"),
            ("item", "1"),
        ],
    );
    assert_eq!(all["n"], "6");
    assert_eq!((all["ci_low"].as_str(), all["ci_high"].as_str()), ("", ""));
    let y2010 = row(
        &a,
        &[
            ("scale", "new"),
            ("grouping", "eval_year"),
            ("group", "SE 2010"),
            ("item", "1"),
        ],
    );
    close(&y2010["ci_low"], 42.3245);
    close(&y2010["ci_high"], 71.0088);
}

/// The ± cells of the group pages' rows (the second cell of each); with
/// every evaluation as the basis (`out` "all") none, the pages checked to
/// have no ± column.
fn group_page_plus_minus(wd: &Workdir, out: &str) -> Vec<String> {
    let mut cells = Vec::new();
    for entry in std::fs::read_dir(wd.file(&format!("{out}/report"))).unwrap() {
        let path = entry.unwrap().path();
        if !path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("group_")
        {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        if out == "all" {
            // No mean has an interval: no ± column (it stood empty on
            // every row), nor a note about it.
            assert!(!text.contains("(95&nbsp;%)") && !text.contains("± är halva"));
            continue;
        }
        for line in text
            .lines()
            .filter(|l| l.starts_with("<tr><td class=\"t\">"))
        {
            let cell = line
                .split("<td>")
                .nth(2)
                .unwrap()
                .split("</td>")
                .next()
                .unwrap();
            cells.push(cell.to_string());
        }
    }
    cells
}

/// The kommungrupp pages give the ± of averages.csv's interval: some with
/// the latest evaluations; with every evaluation (a municipality counted
/// twice) no mean has one, and the pages have no ± column.
#[test]
fn group_pages_leave_the_interval_out_where_averages_csv_does() {
    let wd = Workdir::new();
    wd.create("in.csv", DATA);
    for basis in ["latest", "all"] {
        let args = [
            "run", "-i", "in.csv", "-o", basis, "-q", "--charts", "none", "--report", "summary",
            "--basis", basis,
        ];
        wd.run_expect(&args, 0);
    }
    let latest = group_page_plus_minus(&wd, "latest");
    assert!(latest.iter().any(|c| !c.is_empty()), "{latest:?}");
    assert!(group_page_plus_minus(&wd, "all").is_empty());
}
