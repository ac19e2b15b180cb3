//! An SVG chart drawn as its PNG. As a browser draws it, its text is where
//! its PNG has it: plotters measured text at one size and wrote an SVG's
//! `font-size` 6.2 % smaller (the size / 1.24 for an em of the size / 1.164
//! in DejaVu Sans), so a title in the SVG was 700 px wide where the PNG's
//! was 746. A box's outline is as wide as the PNG's: plotters wrote an
//! SVG rectangle without its stroke width (1 px where the PNG's is 2).
//!
//! Headless Chromium draws the SVG (found as the browser test finds it);
//! the browser must have DejaVu Sans, the font kompass bundles for its
//! PNGs (Debian's `fonts-dejavu-core`, found by `fc-match` of `fontconfig`;
//! `make test` installs both with chromium).

use std::path::Path;
use std::process::Command;

use crate::test_browser::chromium;
use crate::workdir::{Workdir, skip_unless_required};

/// Why fontconfig does not find DejaVu Sans itself (not a stand-in), if
/// it does not.
fn dejavu_missing() -> Option<&'static str> {
    let Ok(out) = Command::new("fc-match").arg("DejaVu Sans").output() else {
        return Some("there is no fc-match (make test installs fontconfig)");
    };
    let found = String::from_utf8_lossy(&out.stdout).starts_with("DejaVuSans.ttf");
    (!found).then_some("fontconfig has no DejaVu Sans (make test installs fonts-dejavu-core)")
}

/// The first and last column and row with ink (darker than mid-grey) in
/// the top 40 rows of the picture at `path`: the chart's title line.
fn title_ink(path: &Path) -> [u32; 4] {
    let img = image::open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_luma8();
    let mut ink = [u32::MAX, u32::MAX, 0, 0];
    for (x, y, _) in img
        .enumerate_pixels()
        .filter(|(_, y, p)| *y < 40 && p[0] < 128)
    {
        ink = [ink[0].min(x), ink[1].min(y), ink[2].max(x), ink[3].max(y)];
    }
    assert!(ink[0] < ink[2], "{} has no title", path.display());
    ink
}

/// A run, charts but no report, on evaluations of Swedish municipalities
/// (code, year) on the new scale, the k-th scoring 50 + 5k + a in area a.
fn charts_of(evaluations: &[(&str, u32)]) -> Workdir {
    let wd = Workdir::new();
    let mut rows = String::from("country,municipality_code,eval_year,scale,item,score\n");
    for (k, (code, year)) in evaluations.iter().enumerate() {
        for a in 1..=8 {
            rows += &format!("SE,{code},{year},new,{a},{}\n", 50 + 5 * k + a);
        }
    }
    wd.create("in.csv", rows);
    let args = ["run", "-i", "in.csv", "-o", "out", "-q", "--report", "none"];
    wd.run_expect(&args, 0);
    wd
}

#[test]
fn an_svg_charts_title_is_as_wide_as_in_its_png() {
    let Some(browser) = chromium() else {
        let why = "chromium is not installed (make test installs it)";
        skip_unless_required("KOMPASS_REQUIRE_BROWSER", why);
        return;
    };
    if let Some(why) = dejavu_missing() {
        skip_unless_required("KOMPASS_REQUIRE_BROWSER", why);
        return;
    }
    let wd = charts_of(&[("2380", 2010)]);
    let chart = wd.file("out/charts/profile_SE_2380_2010");
    let shot = wd.file("svg.png");
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
        ])
        .args(["--force-device-scale-factor=1", "--window-size=900,680"])
        .arg(format!("--user-data-dir={}", wd.file("chromium").display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}.svg", chart.display()))
        .output()
        .expect("chromium runs");
    assert!(shot.exists(), "{}", String::from_utf8_lossy(&out.stderr));
    let (png, svg) = (title_ink(&chart.with_extension("png")), title_ink(&shot));
    // "Östersund 2010 — Kommunkompassen, reviderad 2010 (ny poängskala)",
    // about 750 px: the same place within the pixel a browser rounds to.
    assert!(
        png[2] - png[0] > 700,
        "the title's width in the PNG: {png:?}"
    );
    for (p, s) in png.iter().zip(&svg) {
        assert!(p.abs_diff(*s) <= 2, "PNG {png:?}, SVG as drawn {svg:?}");
    }
}

/// The distribution chart's boxes (one per area, outlined 2 px wide) are
/// four lines each of that width in the SVG, as in the PNG.
#[test]
fn an_svg_box_outline_is_as_wide_as_in_its_png() {
    let wd = charts_of(&[
        ("0114", 2012),
        ("0115", 2012),
        ("0117", 2012),
        ("0120", 2012),
    ]);
    let svg = String::from_utf8(wd.read("out/charts/distribution_SE_new.svg")).expect("utf-8");
    let outlined = (svg.split("<rect ").skip(1))
        .filter(|r| r[..r.find('>').expect("a closed tag")].contains("fill=\"none\""));
    assert_eq!(
        outlined.count(),
        0,
        "a rectangle's outline without its width"
    );
    let sides = (svg.split("<line ").skip(1))
        .map(|l| &l[..l.find('>').expect("a closed tag")])
        .filter(|l| l.contains("opacity=\"1\" stroke=\"#0072B2\" stroke-width=\"2\""));
    assert_eq!(sides.count(), 8 * 4, "eight boxes of four sides");
}
