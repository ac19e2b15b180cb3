//! Links whose pairs leave no spread around them: their linking error is
//! not estimated (no SE of 0), and no interval is given for changes and
//! averages through them.

use crate::workdir::{Workdir, row};

/// Writes `text` to `in.csv` and runs `kompass run` on it into `out`.
fn run(wd: &Workdir, text: &str, extra: &[&str]) {
    wd.create("in.csv", text);
    crate::test_analysis::run(wd, "in.csv", extra);
}

/// A wide export of area 1 scored old and new in 2010 by one municipality
/// per pair (old, new), codes 0114, 0115, ... from the register.
fn dual_scored<X: std::fmt::Display, Y: std::fmt::Display>(pairs: &[(X, Y)]) -> String {
    const CODES: [&str; 6] = ["0114", "0115", "0117", "0120", "0123", "0125"];
    let mut text = String::from("municipality_code,eval_year,scale,a1\n");
    for (code, (x, y)) in CODES.iter().zip(pairs) {
        text += &format!("{code},2010,old,{x}\n{code},2010,new,{y}\n");
    }
    text
}

/// The `link-unestimated` warnings' messages.
fn unestimated(wd: &Workdir) -> Vec<String> {
    wd.table("out/validation.csv")
        .records()
        .into_iter()
        .filter(|r| r["rule"] == "link-unestimated")
        .map(|r| r["message"].clone())
        .collect()
}

/// Two dual-scored evaluations, by hand: area 1 old 70 / new 60 and old 56
/// / new 46 (differences −10 and −10: no spread, the mean link x − 10 with
/// no estimate of its error); area 2 old 70 / new 60 and old 56 / new 50
/// (differences −10 and −6: s_d = √8, SE = √8 / √2 = 2, Kolen & Brennan
/// ch. 7). A panel of two municipalities scored old in 2008 and new in
/// 2012 changes through the links: area 1's change gets no linking error
/// and no interval; area 2's gets both.
#[test]
fn a_mean_link_without_spread_gets_no_standard_error_and_no_interval() {
    let wd = Workdir::new();
    run(
        &wd,
        "municipality_code,eval_year,scale,a1,a2\n\
         0114,2010,old,70,70\n0114,2010,new,60,60\n\
         0115,2010,old,56,56\n0115,2010,new,46,50\n\
         0117,2008,old,80,80\n0117,2012,new,75,75\n\
         0120,2008,old,50,50\n0120,2012,new,46,46\n",
        &["--basis", "all"],
    );
    let l = wd.table("out/linking.csv").records();
    let a1 = row(&l, &[("from_scale", "old"), ("item", "1")]);
    let a2 = row(&l, &[("from_scale", "old"), ("item", "2")]);
    assert_eq!(
        (a1["method"].as_str(), a1["intercept"].as_str()),
        ("mean", "-10")
    );
    assert_eq!(
        a1["intercept_se"], "",
        "no SE of 0 from pairs without spread"
    );
    assert_eq!(a2["intercept_se"], "2", "by hand: √8 / √2");
    let c = wd.table("out/concordance.csv").records();
    let at = |item: &str| row(&c, &[("item", item), ("from_score", "80")]);
    assert_eq!(
        (
            at("1")["linked_score"].as_str(),
            at("1")["linked_se"].as_str()
        ),
        ("70", "")
    );
    assert_eq!(at("2")["linked_se"], "2");

    let warnings = unestimated(&wd);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("item(s) 1 (2 pairs, all with the same difference) cannot"),
        "{warnings:?}"
    );

    check_changes_through_the_links(&wd);
    check_linked_averages(&wd);
}

/// The changes 2008 → 2012 through the links of
/// `a_mean_link_without_spread_gets_no_standard_error_and_no_interval`:
/// area 1's without linking error or interval, area 2's with both.
fn check_changes_through_the_links(wd: &Workdir) {
    // Changes 2008 (old, linked) → 2012 (new): 0117 area 1 80 − 10 = 70 →
    // 75, +5; 0120 50 − 10 = 40 → 46, +6.
    let s = wd.table("out/trend_summary.csv").records();
    let step = |item: &str| {
        row(
            &s,
            &[
                ("scale", "cross-scale"),
                ("item", item),
                ("step_kind", "years"),
                ("step", "2008→2012"),
            ],
        )
    };
    let r1 = step("1");
    assert_eq!((r1["n"].as_str(), r1["mean_delta"].as_str()), ("2", "5.5"));
    assert_eq!(
        (
            r1["se_link"].as_str(),
            r1["se_total"].as_str(),
            r1["ci_low"].as_str(),
            r1["ci_high"].as_str()
        ),
        ("", "", "", ""),
        "no interval that leaves the link's error out"
    );
    // Area 2: 80 − 8 = 72 → 75 and 50 − 8 = 42 → 46, +3 and +4; the
    // linking error of the mean change is the link's SE, 2 (every linked
    // score enters once with weight −1, and a mean link's error is the
    // same at every score).
    let r2 = step("2");
    assert_eq!(r2["mean_delta"], "3.5");
    let se_link: f64 = r2["se_link"].parse().unwrap();
    assert!((se_link - 2.0).abs() < 1e-3, "{se_link}");
    assert!(!r2["ci_low"].is_empty());
}

/// The linked scale's averages of the same run: area 1's without linking
/// error, area 2's with one.
fn check_linked_averages(wd: &Workdir) {
    // The linked scale's averages over all evaluations (`--basis all`)
    // have the 2008 scores linked: area 1's gets no linking error, area
    // 2's one.
    let a = wd.table("out/averages.csv").records();
    let avg = |item: &str| {
        row(
            &a,
            &[
                ("scale", "linked"),
                ("basis", "all"),
                ("grouping", "national"),
                ("item", item),
            ],
        )
    };
    assert_eq!(avg("1")["se_link"], "");
    assert!(!avg("2")["se_link"].is_empty());
}

/// A mean of changes whose linked scores came through one link in both
/// directions does not depend on the link's shift: a change out of the old
/// scale subtracts it, a change into it adds it. Link x − 10 from the
/// pairs old 70 / new 60 and 56 / 46 (no spread: no SE, no replicates).
/// By hand, rounds 1 → 2: 0117 old 80 in 2008 → 70, new 75 in 2012, +5;
/// 0120 new 46 in 2010, old 50 in 2011 → 40, −6. Mean −0.5, SD 11 / √2 =
/// 7.7782, SE 5.5, no linking error; t(0.975, 1) = 12.7062: −0.5 ±
/// 69.8841. (Before, the link's want of an SE left the mean without an
/// interval; each change alone still has none.)
#[test]
fn a_link_whose_shift_cancels_in_a_mean_change_leaves_it_its_interval() {
    let wd = Workdir::new();
    run(
        &wd,
        "municipality_code,eval_year,scale,a1\n\
         0114,2010,old,70\n0114,2010,new,60\n\
         0115,2010,old,56\n0115,2010,new,46\n\
         0117,2008,old,80\n0117,2012,new,75\n\
         0120,2010,new,46\n0120,2011,old,50\n",
        &[],
    );
    let s = wd.table("out/trend_summary.csv").records();
    let r = row(
        &s,
        &[
            ("scale", "cross-scale"),
            ("item", "1"),
            ("step_kind", "round"),
            ("step", "1→2"),
        ],
    );
    let got = |k: &str| r[k].parse::<f64>().unwrap_or(f64::NAN);
    assert_eq!((r["n"].as_str(), r["mean_delta"].as_str()), ("2", "-0.5"));
    for (k, want) in [
        ("sd", 7.7782),
        ("se_sampling", 5.5),
        ("se_link", 0.0),
        ("se_total", 5.5),
        ("ci_low", -70.3841),
        ("ci_high", 69.3841),
    ] {
        assert!((got(k) - want).abs() < 2e-4, "{k}: {} for {want}", r[k]);
    }
    let t = wd.table("out/trends.csv").records();
    let change = row(&t, &[("municipality_code", "0120"), ("item", "1")]);
    assert_eq!(
        (change["delta"].as_str(), change["delta_se"].as_str()),
        ("-6", "")
    );
}

/// A linear link of two pairs always fits them exactly (r = 1), and five
/// pairs with one difference give every bootstrap resample the same mean
/// link: both are left unestimated, each named in the warning (two pairs
/// for their number: they were said to be "all on one line", as any two
/// are).
#[test]
fn a_perfect_fit_is_not_an_estimate_of_the_linking_error() {
    let wd = Workdir::new();
    run(
        &wd,
        "municipality_code,eval_year,scale,a1\n\
         0114,2010,old,50\n0114,2010,new,40\n\
         0115,2010,old,60\n0115,2010,new,55\n",
        &["--link-method", "linear"],
    );
    let l = wd.table("out/linking.csv").records();
    let a1 = row(&l, &[("from_scale", "old"), ("item", "1")]);
    assert_eq!(
        (
            a1["method"].as_str(),
            a1["slope"].as_str(),
            a1["slope_se"].as_str(),
            a1["intercept_se"].as_str()
        ),
        ("linear", "1.5", "", "")
    );
    let warnings = unestimated(&wd);
    assert!(
        warnings.len() == 1
            && warnings[0].contains("1 (2 pairs, too few for a linear link's error)"),
        "{warnings:?}"
    );

    let wd = Workdir::new();
    let pairs = [50, 55, 61, 64, 70, 73].map(|x| (x, x - 4));
    run(&wd, &dual_scored(&pairs), &["--link-method", "mean"]);
    let l = wd.table("out/linking.csv").records();
    let a1 = row(&l, &[("from_scale", "old"), ("item", "1")]);
    assert_eq!(
        (
            a1["n_pairs"].as_str(),
            a1["intercept"].as_str(),
            a1["intercept_se"].as_str()
        ),
        ("6", "-4", "")
    );
    let warnings = unestimated(&wd);
    assert!(
        warnings.len() == 1 && warnings[0].contains("1 (6 pairs, all with the same difference)"),
        "{warnings:?}"
    );
}

/// `kompass link` on `in.csv` with `extra` options, and its
/// `link-unestimated` warnings and the SEs of `linking.csv`'s first row.
fn link(wd: &Workdir, extra: &[&str]) -> (Vec<String>, (String, String)) {
    let mut args = vec!["link", "-i", "in.csv", "-o", "out", "-q"];
    args.extend_from_slice(extra);
    wd.run_expect(&args, 0);
    let l = wd.table("out/linking.csv").records();
    let ses = (l[0]["slope_se"].clone(), l[0]["intercept_se"].clone());
    (unestimated(wd), ses)
}

/// With `--bootstrap 0` a link has no replicates for another reason than
/// its pairs: the warning says so, not "without spread"; and that holds
/// for the mean link of 2 to 4 pairs too, whose SE is analytic.
#[test]
fn no_replicates_asked_for_is_not_called_no_spread() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        dual_scored(&[(50, 41), (55, 47), (61, 50), (64, 58), (70, 60)]),
    );
    let (warnings, ses) = link(&wd, &["--bootstrap", "0"]);
    assert!(
        warnings.len() == 1 && warnings[0].contains("1 (5 pairs, no bootstrap replicates)"),
        "{warnings:?}"
    );
    assert_eq!(ses, (String::new(), String::new()));
    wd.create("in.csv", dual_scored(&[(50, 41), (55, 47), (61, 50)]));
    let (warnings, ses) = link(&wd, &["--bootstrap", "0"]);
    assert!(
        warnings.len() == 1 && warnings[0].contains("1 (3 pairs, no bootstrap replicates)"),
        "{warnings:?}"
    );
    assert_eq!(ses, (String::new(), String::new()));
}

/// A linear link asked for with 3 pairs: fitted, but its error is not
/// estimated (the normal-theory SE of 3 pairs rests on a correlation often
/// near 1 and covered the truth about 4 times in 5). The same pairs under
/// the mean link get its analytic SE: differences −9, −8, −11, s_d = √(7/3),
/// SE = √(7/3) / √3 = 0.8819.
#[test]
fn a_linear_link_of_fewer_than_5_pairs_is_not_estimated() {
    let wd = Workdir::new();
    wd.create("in.csv", dual_scored(&[(50, 41), (55, 47), (61, 50)]));
    let (warnings, ses) = link(&wd, &["--link-method", "linear"]);
    assert!(
        warnings.len() == 1
            && warnings[0].contains("1 (3 pairs, too few for a linear link's error)"),
        "{warnings:?}"
    );
    assert_eq!(ses, (String::new(), String::new()));
    let l = wd.table("out/linking.csv").records();
    assert_eq!(l[0]["method"], "linear");
    let (warnings, ses) = link(&wd, &["--link-method", "mean"]);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(ses, (String::new(), "0.8819".to_string()));
}

/// An item no link can be fitted to while the scale's others link (linear
/// asked for, two pairs with the same old score: no spread to fit a line
/// to) is named in a `no-linking` warning, not dropped in silence.
#[test]
fn an_item_that_cannot_be_linked_is_named() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,a1,a2\n\
         0114,2010,old,50,50\n0114,2010,new,40,45\n\
         0115,2010,old,50,60\n0115,2010,new,45,52\n",
    );
    link(&wd, &["--link-method", "linear"]);
    let l = wd.table("out/linking.csv");
    assert_eq!(l.column("item"), ["2"]);
    let v = wd.table("out/validation.csv").records();
    let no = row(&v, &[("rule", "no-linking")]);
    assert_eq!(
        no["message"],
        "items of scale old not linked to new: item 1: the pairs do not support linear; \
         their scores are left out of cross-scale results"
    );
}

/// Five pairs whose new scores are all the same (a ceiling): the linear
/// link `auto` takes has slope 0 in every resample, and an SE of 0 would
/// not be an estimate: left unestimated, as pairs on one line are, with
/// the reason a flat line's (it said "all on one line").
#[test]
fn a_linear_link_to_one_score_is_not_estimated() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        dual_scored(&[(50, 60), (55, 60), (61, 60), (64, 60), (70, 60)]),
    );
    let (warnings, ses) = link(&wd, &[]);
    assert!(
        warnings.len() == 1
            && warnings[0]
                .contains("1 (5 pairs, all with the same score on the target scale: a flat line)"),
        "{warnings:?}"
    );
    assert_eq!(ses, (String::new(), String::new()));
}

/// Six municipalities all at old 62.3 (an `off-resolution` score, kept):
/// summed in floating point their SD is 7.8e-15, a rounding residue, not
/// a spread, so `auto` takes the `mean` link (slope 1, intercept by hand
/// the new scores' mean 56 less 62.3: -6.3), not a linear one of slope
/// 5.7e14.
#[test]
fn equal_decimal_scores_have_no_spread() {
    let pairs = [50, 55, 60, 52, 58, 61].map(|new| ("62.3", new));
    let wd = Workdir::new();
    run(&wd, &dual_scored(&pairs), &[]);
    let links = wd.table("out/linking.csv").records();
    let area_1 = row(&links, &[("item", "1")]);
    let line = [&area_1["method"], &area_1["slope"], &area_1["intercept"]];
    assert_eq!(line, ["mean", "1", "-6.3"]);
}
