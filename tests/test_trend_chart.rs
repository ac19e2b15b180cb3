//! The trend chart's texts and labels (the English report and trend
//! charts audit of the seventy-fourth session), and the linking chart's
//! counts of one.

use crate::test_chart_audit::texts;
use crate::workdir::{Workdir, words};

/// Runs `in.csv` in English into `out` (no report) and reads `chart`'s
/// SVG.
fn chart_svg(wd: &Workdir, out: &str, chart: &str) -> String {
    let args = format!("run -i in.csv -q --lang en --report none -o {out}");
    wd.run_expect(&words(&args), 0);
    String::from_utf8(wd.read(&format!("{out}/charts/{chart}.svg"))).unwrap()
}

/// The `y` of each `<text>` element of `svg` whose text is `what`.
fn ys(svg: &str, what: &str) -> Vec<f64> {
    (svg.split("<text ").skip(1))
        .filter(|t| {
            t.split_once(">\n")
                .is_some_and(|(_, rest)| rest.starts_with(&format!("{what}\n</text>")))
        })
        .filter_map(|t| t.split(" y=\"").nth(1)?.split('"').next()?.parse().ok())
        .collect()
}

/// Each year's n was written in boxes over the foot of the plot, which hid
/// the low ends of the bars there and the arrowheads of those cut at 0
/// (old scale 2010: 100 and 700, t(1)'s interval −3411.9–4211.9): the
/// labels are below the 0 line (the y axis's `0`), in a band of their own.
/// The key lists the scales in the order they came into use, the old one
/// first, where both first appear in one year (it read "2010 scale, old
/// scale", the instrument files' order), and the lines' texts so too.
#[test]
fn the_years_n_stand_below_the_plot_and_the_scales_in_time() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2010,new,total,400\n\
         0115,2010,new,total,500\n0114,2010,old,total,100\n0115,2010,old,total,700\n",
    );
    let svg = chart_svg(&wd, "out", "trend_SE");
    let zero = ys(&svg, "0");
    assert_eq!(zero.len(), 1, "{svg}");
    let n = ys(&svg, "n=2");
    assert_eq!(n.len(), 2, "{svg}");
    assert!(
        n.iter().all(|&y| y > zero[0] + 8.0),
        "n at {n:?}, 0 at {zero:?}"
    );
    let t = texts(&svg);
    let at = |what: &str| t.iter().position(|x| *x == what).expect(what);
    assert!(at("old scale") < at("2010 scale"), "{t:?}");
    assert!(
        svg.contains("old scale: 2010: 400 (−3411.9 – 4211.9, n = 2); 2010 scale: 2010: 450"),
        "{svg}"
    );
}

/// A chart with no interval to draw (each year one evaluation, or equal
/// ones) keyed one ("95 % confidence interval of the mean") and began its
/// text "Line chart with 95 % confidence intervals": neither, now. A year
/// of equal totals says why it has none, as `n = 1` does.
#[test]
fn a_chart_without_intervals_does_not_name_them() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2010,new,total,400\n\
         0114,2012,new,total,450\n0115,2012,new,total,450\n",
    );
    let svg = chart_svg(&wd, "out", "trend_SE");
    assert!(!svg.contains("confidence interval"), "{svg}");
    assert!(svg.contains("<desc>Line chart: SE"), "{svg}");
    assert!(
        svg.contains("2010 scale: 2010: 400 (n = 1), 2012: 450 (n = 2, all equal: no interval)"),
        "{svg}"
    );
    // One year of spread keys the bars again.
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2010,new,total,400\n\
         0115,2010,new,total,420\n0114,2012,new,total,450\n",
    );
    let svg = chart_svg(&wd, "out2", "trend_SE");
    assert!(
        texts(&svg).contains(&"95 % confidence interval of the mean"),
        "{svg}"
    );
    assert!(
        svg.contains("<desc>Line chart with 95 % confidence intervals: SE"),
        "{svg}"
    );
}

/// A link of one dual-scored evaluation was titled "(1 dual-scored
/// evaluations)" and captioned "1 pairs" (Swedish "1 dubbelbedömda
/// utvärderingar"): one is singular.
#[test]
fn a_link_of_one_pair_says_one() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2010,new,total,400\n\
         0114,2010,old,total,420\n",
    );
    let en = texts(&chart_svg(&wd, "out", "linking_old_new")).join("\n");
    assert!(
        en.contains("Linking old scale → 2010 scale (1 dual-scored evaluation)"),
        "{en}"
    );
    assert!(en.contains("Source: kompass, 1 pair; mean"), "{en}");
    wd.run_expect(&words("run -i in.csv -q --report none -o sv"), 0);
    let sv = String::from_utf8(wd.read("sv/charts/linking_old_new.svg")).unwrap();
    assert!(sv.contains("(1 dubbelbedömd utvärdering)"), "{sv}");
    assert!(sv.contains("Totalt → Totalt (1 par)"), "{sv}");
}

/// Three scales sharing a year stack three rows of n labels in the band
/// below 0, which took the y axis's figures from 100-point steps to 200
/// (the figures were spread over the band too, in review): the axis has
/// 0 to 800 in steps of 100 as a chart of one scale has, and no figure
/// or tick below 0.
#[test]
fn the_band_leaves_the_y_axis_as_it_was() {
    let wd = Workdir::new();
    let rows: String = (["old", "new", "2015"].iter())
        .flat_map(|s| {
            [
                format!("0114,2016,{s},total,400\n"),
                format!("0115,2016,{s},total,500\n"),
            ]
        })
        .collect();
    wd.create(
        "in.csv",
        format!("municipality_code,eval_year,scale,item,score\n{rows}"),
    );
    let svg = chart_svg(&wd, "out", "trend_SE");
    let t = texts(&svg);
    let figures: Vec<&str> = (t.iter().copied())
        .filter(|x| x.parse::<i32>().is_ok_and(|v| v % 100 == 0 && v < 2000))
        .collect();
    assert_eq!(
        figures,
        ["0", "100", "200", "300", "400", "500", "600", "700", "800"],
        "{t:?}"
    );
    assert_eq!(ys(&svg, "n=2").len(), 3, "{svg}");
}

/// Two neighbouring years' n labels as wide as a year's room stood in one
/// row and ran into each other (100 evaluations in 2002 and in 2003 and
/// one in 2024: 23 years on the axis, about 34 pixels a year, "n=100"
/// about 40 wide): a label now goes down a row where it would touch one
/// before it, and a narrow one far from both stays in the first row.
#[test]
fn neighbouring_years_wide_n_labels_take_two_rows() {
    let wd = Workdir::new();
    let register = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/reference/se_municipalities.csv");
    let register = std::fs::read_to_string(register).unwrap();
    let codes: Vec<&str> = (register.lines().skip(1))
        .filter_map(|l| l.split(',').next())
        .take(100)
        .collect();
    assert_eq!(codes.len(), 100);
    let mut rows = String::from("municipality_code,eval_year,scale,item,score\n");
    for c in &codes {
        rows.push_str(&format!("{c},2002,old,total,500\n{c},2003,old,total,510\n"));
    }
    rows.push_str("0114,2024,2020,total,400\n");
    wd.create("in.csv", rows);
    let svg = chart_svg(&wd, "out", "trend_SE");
    let (wide, narrow) = (ys(&svg, "n=100"), ys(&svg, "n=1"));
    assert_eq!((wide.len(), narrow.len()), (2, 1), "{svg}");
    assert!((wide[0] - wide[1]).abs() >= 16.0, "{wide:?}");
    assert_eq!(narrow[0], wide[0].min(wide[1]), "{wide:?} {narrow:?}");
}
