//! Charts of unusual evaluations: a year published with its total only,
//! one scored with areas on one scale and a total on the other, items
//! resting on different numbers, names longer than a chart is wide, a
//! year on two scales, and trend intervals of one evaluation or beyond the
//! scale.

use crate::workdir::Workdir;

/// Writes `in.csv`: areas 1 to 8 of the evaluation `key` (code, year,
/// scale) scoring `base` + the area's number, then the rows `more`.
fn export(wd: &Workdir, key: &str, base: u32, more: &str) {
    let areas: String = (1..=8)
        .map(|a| format!("{key},{a},{}\n", base + a))
        .collect();
    wd.create(
        "in.csv",
        format!("municipality_code,eval_year,scale,item,score\n{areas}{more}"),
    );
}

/// An evaluation published with its total only has no areas to draw: it
/// got an empty radar under a legend naming it ("0 utvärderingar"), a
/// round in the legend with no bars, and an empty heading on its page.
/// Now no radar, the rounds chart's caption names the round, and the page
/// says "only the total" with the total: 470 of 800.
#[test]
fn an_evaluation_of_its_total_only_gets_no_empty_chart() {
    let wd = Workdir::new();
    export(&wd, "0114,2012,new", 50, "0114,2016,new,total,470\n");
    wd.run_expect(&["run", "-i", "in.csv", "-o", "out", "-q"], 0);
    assert!(wd.exists("out/charts/profile_SE_0114_2012.svg"));
    assert!(!wd.exists("out/charts/profile_SE_0114_2016.svg"));
    assert!(!wd.exists("out/charts/profile_SE_0114_2016.png"));
    let rounds = String::from_utf8(wd.read("out/charts/rounds_SE_0114.svg")).expect("utf-8");
    assert!(
        rounds.contains("1 utvärdering; bara totalen, inga staplar: 2016"),
        "the caption"
    );
    let page = String::from_utf8(wd.read("out/report/SE_0114.html")).expect("utf-8");
    assert!(page.contains("Inga områden i underlaget: totalen 470 av 800."));
    assert!(!page.contains("profile_SE_0114_2016"));
}

/// A year scored on two scales has a radar on each, both on the page: the
/// one on the link target scale named by the year, the other by its scale
/// too. By hand: area a scores 50 + a of 100 on the new scale and 60 + a
/// on the old, so the old radar has 61 % ... 68 %. Before, only the new
/// scale's was drawn (and a 2020-scale evaluation beside a 2010-scale one
/// of the same year, whose areas differ, had no chart at all).
#[test]
fn a_year_on_two_scales_has_a_radar_on_each() {
    let wd = Workdir::new();
    let old: String = (1..=8)
        .map(|a| format!("0114,2010,old,{a},{}\n", 60 + a))
        .collect();
    export(&wd, "0114,2010,new", 50, &old);
    wd.run_expect(&["run", "-i", "in.csv", "-o", "out", "-q"], 0);
    let svg = |name: &str| String::from_utf8(wd.read(&format!("out/charts/{name}.svg")));
    let new = svg("profile_SE_0114_2010").expect("utf-8");
    assert!(
        new.contains("Upplands Väsby 2010 — Kommunkompassen, reviderad 2010"),
        "{new}"
    );
    assert!(new.contains("1 Offentlighet och demokrati: 51 %"), "{new}");
    let old = svg("profile_SE_0114_2010_old").expect("utf-8");
    assert!(
        old.contains("Upplands Väsby 2010 — Kommunkompassen före 2010"),
        "{old}"
    );
    for a in 1..=8 {
        assert!(
            old.contains(&format!(": {} % (medel", 60 + a)),
            "area {a}: {old}"
        );
    }
    assert!(wd.exists("out/charts/profile_SE_0114_2010_old.png"));
    let page = String::from_utf8(wd.read("out/report/SE_0114.html")).expect("utf-8");
    let shown = crate::test_chart_audit::radars_shown(&page);
    // The older scale's first, as the page's tables list them (it came
    // second).
    assert_eq!(shown, ["profile_SE_0114_2010_old", "profile_SE_0114_2010"]);
}

/// A chart whose areas rest on different numbers of evaluations gives the
/// range in its title and caption, not the largest: area 1 has two
/// evaluations (0114, 0115), areas 2-8 one (0114).
#[test]
fn a_distribution_names_the_range_of_its_areas_n() {
    let wd = Workdir::new();
    export(&wd, "0114,2012,new", 50, "0115,2012,new,1,60\n");
    wd.run_expect(
        &[
            "run", "-i", "in.csv", "-o", "out", "-q", "--charts", "summary",
        ],
        0,
    );
    let chart = String::from_utf8(wd.read("out/charts/distribution_SE_new.svg")).expect("utf-8");
    assert!(
        chart.contains("2010 års skala (1–2 utvärderingar)"),
        "the title"
    );
    assert!(
        chart.contains("Källa: kompass, 1–2 utvärderingar"),
        "the caption"
    );
}

/// A chart's title and legend fit the chart: the Norwegian municipality
/// 5538 "Storfjord - Omasvuotna - Omasvuono" (the register's longest name)
/// ran off the radar's right edge, title and legend. Now their font is
/// smaller (an SVG's font size is the size × 2048 / 2384, DejaVu's em at
/// that pixel scale: 24 px is 20.62, 16 px 13.74), and a name longer than
/// any real one is cut with "…" rather than run off.
#[test]
fn a_long_name_fits_the_chart() {
    let wd = Workdir::new();
    let areas: String = (1..=8)
        .map(|a| format!("NO,5538,2012,new,{a},{}\n", 50 + a))
        .collect();
    wd.create(
        "in.csv",
        format!("country,municipality_code,eval_year,scale,item,score\n{areas}"),
    );
    wd.run_expect(&["run", "-i", "in.csv", "-o", "out", "-q"], 0);
    let svg = String::from_utf8(wd.read("out/charts/profile_NO_5538_2012.svg")).expect("utf-8");
    let size_of = |text: &str| -> f64 {
        let at = svg.find(&format!("\n{text}\n</text>")).expect(text);
        let tag = &svg[svg[..at].rfind("<text").expect("a text element")..at];
        let size = tag.split("font-size=\"").nth(1).expect("a font size");
        size[..size.find('"').expect("quoted")]
            .parse()
            .expect("a number")
    };
    let name = "Storfjord - Omasvuotna - Omasvuono";
    let title = format!("{name} 2012 — Kommunkompassen, reviderad 2010 (ny poängskala)");
    assert!(
        size_of(&title) < 19.0,
        "the title, whole, in a smaller font"
    );
    assert!(size_of(&format!("{name} 2012")) < 12.5, "the legend");
    // A name that is really a paragraph is cut.
    wd.create(
        "reg.csv",
        format!("country,code,name\nNO,5538,{}\n", "Lång".repeat(200)),
    );
    let args = [
        "run",
        "-i",
        "in.csv",
        "--register",
        "reg.csv",
        "-o",
        "long",
        "-q",
    ];
    wd.run_expect(&args, 0);
    let svg = String::from_utf8(wd.read("long/charts/profile_NO_5538_2012.svg")).expect("utf-8");
    let title = svg.lines().nth(5).expect("the title's line");
    // At most 40 characters of it, the last an ellipsis.
    let shown = format!("{}Lån… 2012 — Kommunkompassen", "Lång".repeat(9));
    assert!(title.starts_with(&shown), "{title}");
    // Cut only where drawn: the SVG's <title> and the report's alt texts
    // (radar and rounds chart) give the whole name (they were cut too).
    let whole = "Lång".repeat(200);
    assert!(
        svg.contains(&format!("<title>{whole} 2012 — ")),
        "svg title"
    );
    let rounds = String::from_utf8(wd.read("long/charts/rounds_NO_5538.svg")).expect("utf-8");
    assert!(
        rounds.contains(&format!("<title>{whole} — ")),
        "rounds title"
    );
    assert!(
        rounds.contains(&format!("\n{}Lån… — ", "Lång".repeat(9))),
        "drawn cut"
    );
    let page = String::from_utf8(wd.read("long/report/NO_5538.html")).expect("utf-8");
    let alts: Vec<&str> = page.split("alt=\"").skip(1).collect();
    assert!(alts.len() >= 2, "a radar and a rounds chart");
    for alt in alts {
        assert!(alt.contains(&whole) && !alt.contains('…'), "{alt}");
    }
}

/// An evaluation scored on two scales, with areas on one and the total
/// only on the other (0126 in 2010: old areas, a new total), is drawn on
/// the scale with areas: the radar and the rounds chart picked the scale
/// first and then, finding no areas on it, drew nothing.
#[test]
fn a_dual_scored_year_is_drawn_on_the_scale_with_areas() {
    let wd = Workdir::new();
    export(&wd, "0126,2010,old", 60, "0126,2010,new,total,450\n");
    wd.run_expect(&["run", "-i", "in.csv", "-o", "out", "-q"], 0);
    let radar = String::from_utf8(wd.read("out/charts/profile_SE_0126_2010.svg")).expect("utf-8");
    assert!(
        radar.contains("Kommunkompassen före 2010"),
        "on the old scale"
    );
    let rounds = String::from_utf8(wd.read("out/charts/rounds_SE_0126.svg")).expect("utf-8");
    assert!(rounds.contains("äldre skala"), "on the old scale");
}

/// Rounds on the 2010 scale with areas and a 2020 round of its total only
/// (linked, through another municipality's dual-scored totals): every bar
/// is native, so the chart is on the 2010 scale, not "linked to" it (the
/// total-only round sent it to the linked scale), and its caption still
/// names the 2020 round.
#[test]
fn a_total_only_round_on_another_scale_does_not_make_the_bars_linked() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,a1,total\n0114,2010,new,50,\n0114,2013,new,55,\n\
         0114,2020,2020,,480\n0115,2020,new,,500\n0115,2020,2020,,490\n",
    );
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "out", "-q", "--report", "none"],
        0,
    );
    let svg = String::from_utf8(wd.read("out/charts/rounds_SE_0114.svg")).unwrap();
    assert!(
        svg.contains("<title>Upplands Väsby — poäng per område och omgång, 2010 års skala</title>"),
        "{svg}"
    );
    assert!(!svg.contains("länkad"), "no bar is linked");
    assert!(svg.contains("Källa: kompass, 2 utvärderingar; bara totalen, inga staplar: 2020"));
}

/// The rounds chart's description (its `alt` text on the page) gives a
/// score as the page does: old-scale half points kept (62,5, not 63), a
/// score kept as given (70,05, not 70,1), no trailing zero, the areas
/// apart by "; " ("1: 70,05, 2: 50" read as three numbers); so does the
/// distribution's mean (70, not 70,0).
#[test]
fn chart_descriptions_give_scores_as_the_pages_do() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n\
         0114,2002,old,1,62.5\n0114,2002,old,2,63\n0115,2002,old,1,77.5\n\
         0125,2012,new,1,70.05\n0125,2012,new,2,50\n",
    );
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "out", "-q", "--report", "none"],
        0,
    );
    let svg = String::from_utf8(wd.read("out/charts/rounds_SE_0114.svg")).unwrap();
    assert!(svg.contains("2002 (1: 62,5; 2: 63; 3: –"), "{svg}");
    let svg = String::from_utf8(wd.read("out/charts/rounds_SE_0125.svg")).unwrap();
    assert!(svg.contains("2012 (1: 70,05; 2: 50; 3: –"), "{svg}");
    let dist = String::from_utf8(wd.read("out/charts/distribution_SE_old.svg")).unwrap();
    // Area 1: 62.5 and 77.5, mean 70.
    assert!(dist.contains("medel 70 (n = 2)"), "{dist}");
}

/// Rounds on the 2010 scale in 2012 and 2019 with areas, and a round of
/// the 2015 revision in 2016 (no link: no evaluation scored on both): the
/// chart was titled "länkat till 2010 års skala" though every bar is a
/// native score, and the 2016 round was left out unseen. A round of
/// sub-questions only was called "total only" though it has no total.
#[test]
fn rounds_left_out_are_named_and_native_bars_are_not_linked() {
    let wd = Workdir::new();
    let areas = |key: &str, base: u32| -> String {
        (1..=8)
            .map(|a| format!("{key},{a},{}\n", base + a))
            .collect()
    };
    export(
        &wd,
        "0114,2012,new",
        50,
        &format!(
            "{}{}0115,2012,new,1.1,7\n0115,2019,new,1,60\n",
            areas("0114,2016,2015", 40),
            areas("0114,2019,new", 55)
        ),
    );
    wd.run_expect(&["run", "-i", "in.csv", "-o", "out", "-q"], 0);
    let svg = String::from_utf8(wd.read("out/charts/rounds_SE_0114.svg")).unwrap();
    assert!(
        svg.contains("<title>Upplands Väsby — poäng per område och omgång, 2010 års skala</title>"),
        "{svg}"
    );
    assert!(svg.contains("Källa: kompass, 2 utvärderingar; på en annan skala, ej med: 2016"));
    let svg = String::from_utf8(wd.read("out/charts/rounds_SE_0115.svg")).unwrap();
    assert!(svg.contains("Källa: kompass, 1 utvärdering; utan områdespoäng, inga staplar: 2012"));
}

/// A scale has one colour in every trend chart: the 2020 scale, the only
/// line of Denmark's chart, got the first colour there (the old scale's
/// in Sweden's, where it was third).
#[test]
fn a_scale_has_the_same_colour_in_every_trend_chart() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "country,municipality_code,eval_year,scale,item,score\n\
         SE,0114,2008,old,total,500\nSE,0115,2008,old,total,510\n\
         SE,0114,2012,new,total,520\nSE,0115,2012,new,total,480\n\
         SE,0114,2021,2020,total,530\nSE,0115,2021,2020,total,540\n\
         DK,101,2021,2020,total,450\nDK,147,2022,2020,total,470\n",
    );
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "out", "-q", "--report", "none"],
        0,
    );
    // The colours of lines and markers (not the axes' black and grey).
    let colours = |name: &str| -> std::collections::BTreeSet<String> {
        let svg = String::from_utf8(wd.read(name)).unwrap();
        (svg.split("stroke=\"#").skip(1))
            .map(|s| s[..6].to_string())
            .filter(|c| !["000000", "6E6E6E", "DDDDDD"].contains(&c.as_str()))
            .collect()
    };
    let (se, dk) = (
        colours("out/charts/trend_SE.svg"),
        colours("out/charts/trend_DK.svg"),
    );
    assert_eq!((se.len(), dk.len()), (3, 1), "{se:?} {dk:?}");
    assert!(dk.is_subset(&se), "{se:?} {dk:?}");
    assert!(!dk.contains("0072B2"), "the old scale's colour: {dk:?}");
}

/// A profile with no national average behind it (the scale's only latest
/// evaluation, 0181's of 2023, gave its total only) has no average in its
/// legend, caption or description: the legend named "Medel kommuner" with
/// nothing drawn, the caption said "0 utvärderingar" and the description
/// "(medel –)" for every area.
#[test]
fn a_profile_without_an_average_does_not_name_one() {
    let wd = Workdir::new();
    export(&wd, "0181,2021,2020", 50, "0181,2023,2020,total,430\n");
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "out", "-q", "--report", "none"],
        0,
    );
    let svg = String::from_utf8(wd.read("out/charts/profile_SE_0181_2021.svg")).unwrap();
    assert!(
        svg.contains("Källa: kompass; inget riksmedel för områdena"),
        "{svg}"
    );
    for absent in [
        "Medel kommuner",
        "medel kommuner",
        "0 utvärderingar",
        "(medel –)",
    ] {
        assert!(!svg.contains(absent), "{absent}: {svg}");
    }
    // With an average (0114's areas 41-48 and 0181's area 1 of 51, both
    // of 2021), it is named: area 1's is 46.
    export(&wd, "0114,2021,2020", 40, "0181,2021,2020,1,51\n");
    let args = [
        "run", "-i", "in.csv", "-o", "out2", "-q", "--report", "none",
    ];
    wd.run_expect(&args, 0);
    let svg = String::from_utf8(wd.read("out2/charts/profile_SE_0114_2021.svg")).unwrap();
    assert!(
        svg.contains("Medel kommuner") && svg.contains("41 % (medel 46 %)"),
        "{svg}"
    );
    // Of one country, the average is not named by it.
    // (the description ends its "against" there, the legend is the name).
    assert!(
        svg.contains(" mot medel kommuner. ") && svg.contains(">\nMedel kommuner\n</text>"),
        "{svg}"
    );
}

/// A control character in a name is drawn in the PNG as in the SVG and
/// the pages, U+FFFD, and a line end as a space: the PNG had the font's
/// empty box for each. The PNG of `Ny\u{1}by\nstad` is the PNG of
/// `Ny\u{FFFD}by stad`, byte for byte.
#[test]
fn a_png_draws_a_control_character_as_the_svg_does() {
    let wd = Workdir::new();
    let png = |name: &str, out: &str| {
        let areas: String = (1..=8)
            .map(|a| format!("SE,9901,\"{name}\",2012,new,{a},{}\n", 50 + a))
            .collect();
        wd.create(
            "in.csv",
            format!("country,municipality_code,municipality,eval_year,scale,item,score\n{areas}"),
        );
        let args = ["run", "-i", "in.csv", "-o", out, "-q", "--report", "none"];
        wd.run_expect(&args, 0);
        wd.read(&format!("{out}/charts/profile_SE_9901_2012.png"))
    };
    let drawn = png("Ny\u{1}by\nstad", "a");
    assert_eq!(drawn, png("Ny\u{FFFD}by stad", "b"));
    assert_ne!(drawn, png("Nyby stad", "c"));
}

/// A year with a single evaluation has no 95 % interval in the trend
/// chart (no spread to estimate it from), not a zero-width one; a year
/// with two has one, by hand: totals 500 and 520 in 2012, mean 510, sd
/// √200, half-width t(0.975, 1) · √200 / √2 = 12.7062 · 10 = 127.06 (the
/// text gives one decimal, as the report's tables: 382,9–637,1). An
/// interval beyond the scale is drawn cut at its ends, and its text gives
/// it whole (it gave the cut ends, "0–800"): totals 10 and 790 in 2016,
/// mean 400, sd 780 / √2, half-width 12.7062 · 780 / 2 = 4955.42.
#[test]
fn a_single_evaluation_gets_no_interval_in_the_trend_chart() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "country,municipality_code,eval_year,scale,item,score\n\
         SE,0114,2012,new,total,500\nSE,0115,2012,new,total,520\nSE,0117,2014,new,total,480\n\
         SE,0120,2016,new,total,10\nSE,0121,2016,new,total,790\n",
    );
    wd.run_expect(&["run", "-i", "in.csv", "-o", "out", "-q"], 0);
    let index = std::fs::read_to_string(wd.file("out/report/index.html")).unwrap();
    let alt = index
        .split("alt=\"")
        .find(|a| a.contains("SE — medelvärde totalpoäng"))
        .expect("the trend chart's text");
    assert!(alt.contains("2012: 510 (382,9 – 637,1, n = 2)"), "{alt}");
    assert!(alt.contains("2014: 480 (n = 1)"), "{alt}");
    assert!(
        alt.contains("2016: 400 (\u{2212}4555,4 – 5355,4, n = 2)"),
        "{alt}"
    );
    check_cut_bars(&String::from_utf8(wd.read("out/charts/trend_SE.svg")).expect("utf-8"));
}

/// The error bars of `a_single_evaluation_gets_no_interval_in_the_trend_chart`'s
/// trend chart (its strokes one pixel wide in a scale's colour, not the
/// axes' black or greys): 2012's whole, with a cap at either end; 2016's
/// cut at the plot's foot and top, with no cap there but an arrowhead
/// pointing on past each edge (before, a bare end, which a reader could
/// not tell from a short bar's).
fn check_cut_bars(svg: &str) {
    let strokes: Vec<Vec<(i32, i32)>> = (svg.split("<polyline").skip(1))
        .map(|p| &p[..p.find('>').unwrap_or(p.len())])
        .filter(|p| p.contains("stroke-width=\"1\""))
        .filter(|p| {
            !["#000000", "#6E6E6E", "#DDDDDD"]
                .iter()
                .any(|c| p.contains(c))
        })
        .filter_map(|p| p.split("points=\"").nth(1)?.split('"').next())
        .map(|points| {
            (points.split_whitespace())
                .filter_map(|xy| xy.split_once(','))
                .map(|(x, y)| (x.parse().unwrap_or(-1), y.parse().unwrap_or(-1)))
                .collect()
        })
        .collect();
    let bars: Vec<&Vec<(i32, i32)>> = (strokes.iter())
        .filter(|s| s.len() == 2 && s[0].0 == s[1].0)
        .collect();
    assert_eq!(bars.len(), 2, "{strokes:?}");
    // 2016's bar is the one across the plot (2012's is a fraction of it).
    let (whole, cut) =
        match (bars[0][0].1 - bars[0][1].1).abs() > (bars[1][0].1 - bars[1][1].1).abs() {
            true => (bars[1], bars[0]),
            false => (bars[0], bars[1]),
        };
    // A mark at an end: a stroke through it other than the bars.
    let through = |s: &Vec<(i32, i32)>, end: (i32, i32)| {
        s.contains(&end)
            || (s.len() == 2
                && s[0].1 == end.1
                && s[1].1 == end.1
                && s[0].0 < end.0
                && end.0 < s[1].0)
    };
    let at = |end: (i32, i32)| -> Vec<&Vec<(i32, i32)>> {
        (strokes.iter())
            .filter(|s| s.as_slice() != whole.as_slice() && s.as_slice() != cut.as_slice())
            .filter(|s| through(s, end))
            .collect()
    };
    for end in [whole[0], whole[1]] {
        let marks = at(end);
        assert!(
            marks.len() == 1 && marks[0].len() == 2,
            "a cap at 2012's end {end:?}: {marks:?}"
        );
    }
    let (foot, top) = match cut[0].1 > cut[1].1 {
        true => (cut[0], cut[1]),
        false => (cut[1], cut[0]),
    };
    for (end, inward) in [(foot, -1), (top, 1)] {
        let marks = at(end);
        assert!(
            marks.len() == 1 && marks[0].len() == 3 && marks[0][1] == end,
            "an arrowhead, not a cap, at 2016's cut end {end:?}: {marks:?}"
        );
        let arms = [marks[0][0], marks[0][2]];
        assert!(
            arms.iter()
                .all(|a| (a.1 - end.1).signum() == inward && a.0 != end.0),
            "pointing past the edge at {end:?}: {arms:?}"
        );
    }
}
