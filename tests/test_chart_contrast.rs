//! The marks of rounds and scales stand out from the charts' white: every
//! bar, key, line, point and error bar at least 3:1 against it, as WCAG
//! 2.1 asks of a chart's graphical objects (1.4.11), by its own colour or
//! by an outline. The contrast is computed here from the SVG's colours with
//! WCAG's formula (relative luminance of sRGB); kompass computes none.

use crate::workdir::{Workdir, words};

/// WCAG 2.1's contrast of `#RRGGBB` drawn at `opacity` over white,
/// against white.
fn contrast(hex: &str, opacity: f64) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"));
        let c = (opacity * c + (1.0 - opacity) * 255.0) / 255.0;
        match c <= 0.04045 {
            true => c / 12.92,
            false => ((c + 0.055) / 1.055).powf(2.4),
        }
    };
    let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    1.05 / (luminance + 0.05)
}

/// The value of attribute `name` in the element `tag` (the text from the
/// tag's name to its `>`).
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[at..].split('"').next()
}

/// Every element `<kind ...>` of `svg`, as its text from the space after
/// its name up to `>`.
fn elements<'a>(svg: &'a str, kind: &str) -> Vec<&'a str> {
    (svg.split(&format!("<{kind}")).skip(1))
        .filter(|t| t.starts_with(' '))
        .map(|t| &t[..t.find('>').unwrap_or(t.len())])
        .collect()
}

/// The colours of the axes, the grid and the page: not a round's or a
/// scale's.
const NEUTRAL: [&str; 5] = ["#FFFFFF", "#000000", "#6E6E6E", "#DDDDDD", "none"];

/// Eight rounds of one municipality (2010–2017), five without area 1:
/// their keys in eight colours, the first four (the rounds a municipality
/// usually has) each 3:1 or more on white by its fill alone; every bar or
/// key whose fill is lighter (orange, sky blue, yellow) is outlined at 3:1
/// or more, on the bar's own pixels; the marks of the missing areas are
/// boxes of whole pixels in a colour of 3:1 or more. Before, the second
/// round was orange, 2.25:1, no bar had an outline, and a missing area's
/// mark was a dash of text, lightened at its edges.
#[test]
fn every_round_s_bars_stand_out_from_the_white() {
    let wd = Workdir::new();
    let mut rows = String::from("municipality_code,eval_year,scale,item,score\n");
    for (k, year) in (2010..=2017).enumerate() {
        for area in 1..=8 {
            if area == 1 && [1, 2, 4, 5, 7].contains(&k) {
                continue;
            }
            rows += &format!("0114,{year},new,{area},{}\n", 40 + area + k);
        }
    }
    wd.create("in.csv", rows);
    let args = ["run", "-i", "in.csv", "-o", "out", "-q", "--report", "none"];
    wd.run_expect(&args, 0);
    let svg = String::from_utf8(wd.read("out/charts/rounds_SE_0114.svg")).expect("utf-8");
    let rects = elements(&svg, "rect");
    let place = |r: &str| ["x", "y", "width", "height"].map(|a| attr(r, a)?.parse::<i32>().ok());
    // An outline on the fill's own outermost pixels: from its corner, a
    // pixel narrower and shorter (its strokes centred there).
    let on_its_pixels = |o: &str, r: &str| match (place(o), place(r)) {
        ([Some(x), Some(y), Some(w), Some(h)], [Some(rx), Some(ry), Some(rw), Some(rh)]) => {
            (x, y, w + 1, h + 1) == (rx, ry, rw, rh)
        }
        _ => false,
    };
    // The keys, 16 × 12 at the top, in the rounds' order (row by row).
    let mut keys: Vec<(i32, i32, &str)> = (rects.iter())
        .filter(|r| attr(r, "width") == Some("16") && attr(r, "height") == Some("12"))
        .filter_map(|r| {
            let fill = attr(r, "fill").filter(|f| *f != "none")?;
            let at = |a: &str| attr(r, a).and_then(|v| v.parse().ok());
            Some((at("y")?, at("x")?, fill))
        })
        .collect();
    keys.sort();
    let fills: Vec<&str> = keys.iter().map(|k| k.2).collect();
    assert_eq!(fills.len(), 8, "{fills:?}");
    let distinct: std::collections::BTreeSet<&&str> = fills.iter().collect();
    assert_eq!(distinct.len(), 8, "{fills:?}");
    for fill in &fills[..4] {
        assert!(
            contrast(fill, 1.0) >= 3.0,
            "{fill}: {:.2}",
            contrast(fill, 1.0)
        );
    }
    // Every filled mark of a round's colour: its fill, or an outline in
    // the same place, at 3:1 or more.
    let mut outlined = 0;
    for r in &rects {
        let Some(fill) = attr(r, "fill").filter(|f| !NEUTRAL.contains(f)) else {
            continue;
        };
        if contrast(fill, 1.0) >= 3.0 {
            continue;
        }
        let outline = (rects.iter())
            .filter(|o| attr(o, "fill") == Some("none") && on_its_pixels(o, r))
            .filter_map(|o| attr(o, "stroke"))
            .find(|s| *s != "none" && contrast(s, 1.0) >= 3.0);
        assert!(outline.is_some(), "{fill} without an outline: {r}");
        outlined += 1;
    }
    // Three light rounds, each with 7 bars and a key.
    assert_eq!(outlined, 3 * 8);
    // The five missing areas' marks and the key's (black), 10 × 3.
    let marks: Vec<&&str> = (rects.iter())
        .filter(|r| attr(r, "width") == Some("10") && attr(r, "height") == Some("3"))
        .collect();
    assert_eq!(marks.len(), 6, "{marks:?}");
    crisp(&svg);
}

/// Every rectangle and every line of horizontal and vertical strokes in
/// `svg` is drawn on whole pixels (`shape-rendering="crispEdges"`): a
/// one-pixel outline or error bar at a whole coordinate was drawn by a
/// browser half on each of two pixels, lightened below 3:1.
fn crisp(svg: &str) {
    for kind in ["rect", "polyline", "line"] {
        for e in elements(svg, kind) {
            let straight = match kind {
                "polyline" => {
                    let points: Vec<(&str, &str)> = (attr(e, "points").expect("points"))
                        .split_whitespace()
                        .filter_map(|p| p.split_once(','))
                        .collect();
                    points
                        .windows(2)
                        .all(|w| w[0].0 == w[1].0 || w[0].1 == w[1].1)
                }
                "line" => attr(e, "x1") == attr(e, "x2") || attr(e, "y1") == attr(e, "y2"),
                _ => true,
            };
            if straight {
                assert_eq!(attr(e, "shape-rendering"), Some("crispEdges"), "{kind} {e}");
            }
        }
    }
}

/// The trend chart of a country evaluated on all four shipped scales:
/// every line, point, error bar, key and n label's underline in a scale's
/// colour at 3:1 or more on white, as drawn (an SVG opacity below 1
/// counted), the straight ones on whole pixels. Before, the 2010
/// scale's line was orange (2.25:1) and every error bar was drawn at 70 %
/// opacity (the bluish green's 2.36:1).
#[test]
fn every_scale_s_line_stands_out_from_the_white() {
    let wd = Workdir::new();
    let mut rows = String::from("municipality_code,eval_year,scale,item,score\n");
    for (scale, year) in [("old", 2008), ("new", 2012), ("2015", 2016), ("2020", 2021)] {
        for (code, total) in [("0114", 500), ("0115", 540), ("0117", 470)] {
            rows += &format!("{code},{year},{scale},total,{total}\n");
        }
    }
    wd.create("in.csv", rows);
    let args = ["run", "-i", "in.csv", "-o", "out", "-q", "--report", "none"];
    wd.run_expect(&args, 0);
    let svg = String::from_utf8(wd.read("out/charts/trend_SE.svg")).expect("utf-8");
    let mut colours = std::collections::BTreeSet::new();
    for kind in ["polyline", "circle", "rect"] {
        for e in elements(&svg, kind) {
            let opacity: f64 = attr(e, "opacity").map_or(1.0, |o| o.parse().expect("opacity"));
            for paint in ["stroke", "fill"] {
                let Some(c) = attr(e, paint).filter(|c| !NEUTRAL.contains(c)) else {
                    continue;
                };
                let ratio = contrast(c, opacity);
                assert!(ratio >= 3.0, "{kind} {paint} {c} at {opacity}: {ratio:.2}");
                colours.insert(c.to_string());
            }
        }
    }
    // The four scales' lines, each in its own colour.
    assert_eq!(colours.len(), 4, "{colours:?}");
    crisp(&svg);
}

/// A fifth scale (an instrument folder's own, in use from 2025) is drawn
/// in orange's darker edge, `#C28600` (3.1:1), and its key is that colour
/// throughout, as its line is: the key was the light orange (2.25:1)
/// outlined in the edge, and did not look like its line.
#[test]
fn a_fifth_scale_s_key_is_its_line_s_colour() {
    let wd = Workdir::new();
    wd.instruments_edited("ins", "", |t| t);
    wd.create(
        "ins/kk25.toml",
        "id = \"kk25\"\nname_sv = \"KK 2025\"\nname_en = \"KK 2025\"\nresolution = 1\n\
         total_max = 100\nin_use_from = 2025\n[[area]]\nid = \"1\"\nname_sv = \"a\"\n\
         name_en = \"a\"\nmax = 100\n",
    );
    let mut rows = String::from("municipality_code,eval_year,scale,item,score\n");
    for code in ["0114", "0115", "0117"] {
        rows += &format!("{code},2025,kk25,1,60\n{code},2021,2020,total,500\n");
    }
    wd.create("in.csv", rows);
    let args = words("run -i in.csv --instruments ins -o out -q --report none");
    wd.run_expect(&args, 0);
    let svg = String::from_utf8(wd.read("out/charts/trend_SE.svg")).expect("utf-8");
    let paints = |kind: &str, paint: &str| -> Vec<String> {
        (elements(&svg, kind).iter())
            .filter_map(|e| attr(e, paint).map(str::to_string))
            .collect()
    };
    // Its line in the edge; no key or mark in the light orange.
    assert!(
        paints("polyline", "stroke").contains(&"#C28600".to_string()),
        "{svg}"
    );
    let fills = paints("rect", "fill");
    assert!(fills.contains(&"#C28600".to_string()), "{svg}");
    assert!(!fills.contains(&"#E69F00".to_string()), "{svg}");
}

/// The linking chart's 95 % band, vermillion at 22 % (1.3:1 on white by
/// WCAG's formula), is bounded by lines of 3:1 or more: each band's
/// upper and lower bound a one-pixel line on the band's own points, and
/// the key's swatch an outline on its own pixels. Before, neither had a
/// bound. (The shipped sample: nine areas and the total, old to 2010.)
#[test]
fn the_linking_band_is_bounded() {
    let wd = Workdir::new();
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/data/kompass.example.toml");
    let args = [
        "run", "--config", config, "-o", "out", "-q", "--report", "none",
    ];
    wd.run_expect(&args, 0);
    let svg = String::from_utf8(wd.read("out/charts/linking_old_new.svg")).expect("utf-8");
    let points = |e: &str| -> Vec<String> {
        (attr(e, "points").expect("points").split_whitespace())
            .map(str::to_string)
            .collect()
    };
    let bands: Vec<&str> = (elements(&svg, "polygon").into_iter())
        .filter(|p| attr(p, "fill").is_some_and(|f| !NEUTRAL.contains(&f)))
        .collect();
    assert!(!bands.is_empty(), "no band");
    let lines: Vec<&str> = (elements(&svg, "polyline").into_iter())
        .filter(|l| attr(l, "stroke-width") == Some("1") && attr(l, "opacity") == Some("1"))
        .filter(|l| attr(l, "stroke").is_some_and(|c| !NEUTRAL.contains(&c)))
        .collect();
    for band in &bands {
        let fill = attr(band, "fill").expect("fill");
        let opacity: f64 = attr(band, "opacity")
            .expect("opacity")
            .parse()
            .expect("a number");
        assert!(contrast(fill, opacity) < 3.0, "the band alone: {band}");
        let edge: Vec<String> = points(band);
        let bounds: Vec<&&str> = (lines.iter())
            .filter(|l| points(l).iter().all(|p| edge.contains(p)))
            .filter(|l| contrast(attr(l, "stroke").expect("stroke"), 1.0) >= 3.0)
            .collect();
        // Its upper and its lower bound, every point of the band on one.
        assert_eq!(bounds.len(), 2, "{band}");
        let on_bounds: usize = bounds.iter().map(|l| points(l).len()).sum();
        assert_eq!(on_bounds, edge.len(), "{band}");
    }
    let key = (elements(&svg, "rect").into_iter())
        .filter(|r| attr(r, "opacity") == Some("0.22"))
        .find(|r| attr(r, "width") == Some("16"))
        .expect("the band's key");
    let (x, y) = (attr(key, "x"), attr(key, "y"));
    let outlined = (elements(&svg, "rect").into_iter()).any(|r| {
        (
            attr(r, "x"),
            attr(r, "y"),
            attr(r, "width"),
            attr(r, "height"),
        ) == (x, y, Some("15"), Some("11"))
            && attr(r, "fill") == Some("none")
            && attr(r, "stroke").is_some_and(|c| contrast(c, 1.0) >= 3.0)
    });
    assert!(outlined, "the key: {key}");
}
