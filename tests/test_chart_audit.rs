//! The report and charts audit (2026-12-02): a municipality of many
//! rounds gets a rounds chart whose keys all lie on the image, at most one
//! colour per round; the SVGs name fonts a viewer without DejaVu Sans has;
//! an evaluation without a total has a total row (`–`) in its comparison
//! as its missing areas have.

use crate::workdir::{Workdir, words};

/// The rounds chart (SVG) of a run into `out` on area 1 of 0114 in each
/// of `years` on the 2010 scale (wide layout).
fn rounds_svg(wd: &Workdir, years: std::ops::RangeInclusive<u32>, out: &str) -> String {
    let rows: String = years
        .map(|y| format!("0114,{y},new,{}\n", 40 + y % 7))
        .collect();
    wd.create(
        "in.csv",
        format!("municipality_code,eval_year,scale,a1\n{rows}"),
    );
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", out, "-q", "--report", "none"],
        0,
    );
    String::from_utf8(wd.read(&format!("{out}/charts/rounds_SE_0114.svg"))).unwrap()
}

/// Every `<text>` element of `svg` whose content is `what`, with its x.
fn text_x(svg: &str, what: &str) -> Option<f64> {
    // plotters writes the text on a line of its own.
    let at = svg.find(&format!(">\n{what}\n</text>"))?;
    let tag = &svg[svg[..at].rfind("<text")?..at];
    let x = tag.split("x=\"").nth(1)?.split('"').next()?;
    x.parse().ok()
}

/// Six rounds: the sixth key was drawn at x = 900, on the edge of a chart
/// 900 pixels wide (its bars had no key); ten: keys 9 and 10 took the
/// colours of 1 and 2, and were off the image too. Now the keys wrap
/// (five a row, from x = 80 at 160 pixels), and the chart draws the eight
/// latest rounds, the caption naming the others.
#[test]
fn a_rounds_chart_keeps_its_keys_on_the_image() {
    let wd = Workdir::new();
    let svg = rounds_svg(&wd, 2010..=2015, "a");
    for year in 2010..=2015 {
        let x = text_x(&svg, &year.to_string()).expect("a key per round");
        assert!(x + 40.0 < 900.0, "{year} at {x}");
    }
    assert_eq!(
        text_x(&svg, "2015"),
        Some(102.0),
        "the sixth key starts a row"
    );
    let svg = rounds_svg(&wd, 2010..=2019, "b");
    assert_eq!(text_x(&svg, "2010"), None);
    assert_eq!(text_x(&svg, "2011"), None);
    assert_eq!(text_x(&svg, "2012"), Some(102.0));
    assert_eq!(text_x(&svg, "2019"), Some(422.0));
    assert!(svg.contains("8 utvärderingar; tidigare omgångar, ej med: 2 (2010–2011)"));
    // The description lists the rounds drawn.
    assert!(!svg.contains("2011 (1: "));
    assert!(svg.contains("2012 (1: "));
}

/// Ten rounds on the 2010 scale, 2011 and 2016 also on the old: the
/// caption names 2016 as also on the old scale, not 2011, a round left
/// out of the chart (it named both, as if 2011 were drawn).
#[test]
fn a_rounds_caption_names_only_drawn_years_on_another_scale() {
    let wd = Workdir::new();
    let rows: String = (2010..=2019)
        .map(|y| format!("0114,{y},new,{}\n", 40 + y % 7))
        .collect();
    wd.create(
        "in.csv",
        format!("municipality_code,eval_year,scale,a1\n{rows}0114,2011,old,50\n0114,2016,old,55\n"),
    );
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "a", "-q", "--report", "none"],
        0,
    );
    let svg = String::from_utf8(wd.read("a/charts/rounds_SE_0114.svg")).unwrap();
    assert!(
        svg.contains(
            "tidigare omgångar, ej med: 2 (2010–2011); också på äldre skala, ej med: 2016"
        ),
        "{svg}"
    );
}

/// An SVG's text names DejaVu Sans and what to use without it (it fell
/// back to a monospace font where DejaVu was missing).
#[test]
fn svg_charts_name_fallback_fonts() {
    let wd = Workdir::new();
    let svg = rounds_svg(&wd, 2010..=2011, "a");
    assert!(svg.contains("font-family=\"DejaVu Sans, Verdana, sans-serif\""));
    assert!(!svg.contains("font-family=\"DejaVu Sans\""));
}

/// Areas 1, 3 and 5 without a total: the comparison listed every area,
/// the missing as `–`, and no total row.
#[test]
fn an_evaluation_without_a_total_has_a_total_row() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,a1,a3,a5\n0114,2019,new,55,60,65\n\
         0115,2019,new,50,50,50\n",
    );
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "a", "-q", "--charts", "none"],
        0,
    );
    let page = String::from_utf8(wd.read("a/report/SE_0114.html")).unwrap();
    let comparison = &page[page.find("id=\"jamforelse\"").expect("a comparison")..];
    let table = &comparison[..comparison.find("</table>").unwrap()];
    assert!(
        table.contains("<tr><td class=\"t\">Totalt</td><td>–</td>"),
        "{table}"
    );
    assert!(
        table.contains("<tr><td class=\"t\">2 Tillgänglighet och brukarorientering</td><td>–</td>")
    );
}

/// A score kept as given with two decimals is compared with means to two
/// decimals: 62,25 against a mean of 62,25 showed `62,3 | −0,1`, where
/// `benchmarks.csv` has a difference of 0. Expected by hand: area 1's
/// mean of 62.25 and 60 is 61.125, shown 61,13 beside 62,25 (+1,12), and
/// 61,1 beside 60 (−1,1).
#[test]
fn a_score_of_two_decimals_is_compared_with_means_to_two() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,a1,a2\n0117,2011,old,62.25,62.25\n\
         0114,2011,old,60,62.25\n",
    );
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "a", "-q", "--charts", "none"],
        0,
    );
    let row = |code: &str, area: &str| {
        let page = String::from_utf8(wd.read(&format!("a/report/SE_{code}.html"))).unwrap();
        let at = page
            .find(&format!("<td class=\"t\">{area}"))
            .expect("a row");
        page[at..at + page[at..].find("</tr>").unwrap()].to_string()
    };
    let national = |row: &str| {
        let cells: Vec<&str> = row.split("<td>").skip(1).collect();
        (
            cells[0].split('<').next().unwrap().to_string(),
            cells[1].split(' ').next().unwrap().to_string(),
            cells[2].split('<').next().unwrap().to_string(),
        )
    };
    assert_eq!(
        national(&row("0117", "1 ")),
        ("62,25".into(), "61,13".into(), "+1,12".into())
    );
    assert_eq!(
        national(&row("0114", "1 ")),
        ("60".into(), "61,1".into(), "−1,1".into())
    );
    assert_eq!(
        national(&row("0117", "2 ")),
        ("62,25".into(), "62,25".into(), "0".into())
    );
}

/// The `y` of the `<text>` element of `svg` whose content starts with
/// `what`.
fn text_y(svg: &str, what: &str) -> f64 {
    let at = svg.find(&format!(">\n{what}")).expect("the text");
    let tag = &svg[svg[..at].rfind("<text").expect("its tag")..at];
    let y = tag.split(" y=\"").nth(1).and_then(|v| v.split('"').next());
    y.and_then(|v| v.parse().ok()).expect("its y")
}

/// The report audit of the thirty-ninth session, on the shipped sample:
/// the trend chart's n labels were in the scale's colour, the 2010
/// scale's orange 2.2:1 on white at 13 px: they are black (underlined in
/// the colour, `check_svg_style` keeping the palette); the rounds chart's
/// three keys at the bottom stood on its area names (the first key's text
/// 16 px below "Område 1", 3 px below the name's foot): they have a row
/// of their own each.
#[test]
fn chart_labels_are_legible_and_keys_clear_the_axis() {
    let wd = Workdir::new();
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/data/kompass.example.toml");
    let args = [
        "run", "--config", config, "-o", "out", "-q", "--report", "none",
    ];
    wd.run_expect(&[&args[..], &["--bootstrap", "50"]].concat(), 0);
    let svg = |name: &str| String::from_utf8(wd.read(&format!("out/charts/{name}.svg"))).unwrap();
    let trend = svg("trend_DK");
    let labels: Vec<&str> = (trend.split("</text>"))
        .filter(|t| {
            t.trim_end()
                .rsplit('>')
                .next()
                .is_some_and(|l| l.trim().starts_with("n="))
        })
        .collect();
    assert!(labels.len() >= 20, "{} n labels", labels.len());
    for l in labels {
        let tag = &l[l.rfind("<text").expect("tag")..];
        assert!(tag.contains("fill=\"#000000\""), "{tag}");
    }
    let rounds = svg("rounds_NO_3450");
    let (names, key) = (
        text_y(&rounds, "Område 1"),
        text_y(&rounds, "95 %-intervall"),
    );
    assert!(key - names >= 40.0, "the key {key}, the area names {names}");
    assert!(rounds.contains(">\ningen poäng för området") && rounds.contains("okänt"));
}

/// A change between rounds is the difference of its ends as shown, to as
/// many decimals as they have: `500,25 | 510 | +9,75` (the change table
/// and the index's list showed the exact change to one decimal, `+9,8`,
/// which the row's figures do not give). Expected by hand: 510 − 500.25
/// = 9.75; 510.25 − 500 = 10.25; 71 − 70.125 = 0.875.
#[test]
fn a_change_is_the_difference_of_its_ends_as_shown() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0187,2007,old,total,500.25\n\
         0187,2009,old,total,510\n0188,2007,new,total,500\n0188,2009,new,total,510.25\n\
         0188,2007,new,1,70.125\n0188,2009,new,1,71\n",
    );
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "a", "-q", "--charts", "none"],
        0,
    );
    let page =
        |code: &str| String::from_utf8(wd.read(&format!("a/report/SE_{code}.html"))).unwrap();
    let change = |page: &str, label: &str, from: &str| {
        let at = (page.match_indices(&format!("<td class=\"t\">{label}")))
            .map(|(at, _)| &page[at..at + page[at..].find("</tr>").unwrap()])
            .find(|row| row.contains(&format!("<td>{from}</td>")))
            .expect("the change row")
            .to_string();
        at.split("<td>")
            .nth(3)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(change(&page("0187"), "Totalt", "500,25"), "+9,75");
    assert_eq!(change(&page("0188"), "Totalt", "500"), "+10,25");
    assert_eq!(change(&page("0188"), "1 ", "70,125"), "+0,875");
    let index = String::from_utf8(wd.read("a/report/index.html")).unwrap();
    assert!(index.contains("data-v=\"10.25\">+10,25<"), "{index}");
    assert!(index.contains("data-v=\"9.75\">+9,75<"), "{index}");
}

/// The texts of `svg`'s `<text>` elements (plotters writes each on a line
/// of its own).
pub fn texts(svg: &str) -> Vec<&str> {
    (svg.split("<text ").skip(1))
        .filter_map(|t| t.split_once(">\n")?.1.split_once("\n</text>"))
        .map(|(text, _)| text)
        .collect()
}

/// An area named with thousands of letters in an instrument file (area 3
/// one word of 3,000, area 2 sixty words): at the radar's axis at most
/// three lines, each cut with "…" to the room on its side, and cut in the
/// distribution chart's key. The radar drew the 3,000 letters off the
/// chart (and cutting a text one letter at a time took minutes of the
/// charts stage; hostile-content audit).
#[test]
fn an_area_name_of_thousands_of_letters_is_cut() {
    let wd = Workdir::new();
    wd.instruments_edited("ins", "new", |text| {
        text.replacen(
            "\"Politisk styrning och kontroll\"",
            &format!("\"{}\"", "Å".repeat(3000)),
            1,
        )
        .replacen(
            "\"Tillgänglighet och brukarorientering\"",
            &format!("\"{}\"", "ord ".repeat(60)),
            1,
        )
    });
    let rows: String = ["0114", "0115"]
        .iter()
        .flat_map(|code| (1..=8).map(move |a| format!("SE,{code},2012,new,{a},{}\n", 50 + a)))
        .collect();
    wd.create(
        "in.csv",
        format!("country,municipality_code,eval_year,scale,item,score\n{rows}"),
    );
    let args = [
        "run",
        "-i",
        "in.csv",
        "--instruments",
        "ins",
        "-o",
        "out",
        "-q",
        "--report",
        "none",
    ];
    wd.run_expect(&args, 0);
    for chart in ["profile_SE_0114_2012", "distribution_SE_new"] {
        let svg = String::from_utf8(wd.read(&format!("out/charts/{chart}.svg"))).unwrap();
        let texts = texts(&svg);
        let long = texts.iter().map(|t| t.chars().count()).max().unwrap();
        assert!(long < 120, "{chart}: a text of {long} letters");
        let cut = texts
            .iter()
            .filter(|t| t.contains("ÅÅÅ"))
            .collect::<Vec<_>>();
        assert_eq!(cut.len(), 1, "{chart}: {cut:?}");
        assert!(cut[0].ends_with("…"), "{chart}: {}", cut[0]);
    }
    let svg = String::from_utf8(wd.read("out/charts/profile_SE_0114_2012.svg")).unwrap();
    let words = texts(&svg)
        .into_iter()
        .filter(|t| t.starts_with("ord "))
        .count();
    assert_eq!(
        words, 2,
        "the lines of area 2's name but the first (\"2 ord ...\")"
    );
}

/// The radar (PNG) of 0114 2012 from a run with area 1 of the shipped
/// 2010 instrument named `name`.
fn radar_with_area_1(wd: &Workdir, name: &str, out: &str) -> image::RgbImage {
    let ins = format!("{out}-ins");
    wd.instruments_edited(&ins, "new", |text| {
        text.replacen("\"Offentlighet och demokrati\"", &format!("\"{name}\""), 1)
    });
    let rows: String = (1..=8)
        .map(|a| format!("0114,2012,new,{a},{}\n", 50 + a))
        .collect();
    wd.create(
        "in.csv",
        format!("municipality_code,eval_year,scale,item,score\n{rows}"),
    );
    let args = [
        "run",
        "-i",
        "in.csv",
        "--instruments",
        &ins,
        "-o",
        out,
        "-q",
    ];
    wd.run_expect(&[&args[..], &["--report", "none"]].concat(), 0);
    image::load_from_memory(&wd.read(&format!("{out}/charts/profile_SE_0114_2012.png")))
        .unwrap()
        .to_rgb8()
}

/// Area 1's name is centred above the chart; three long words of it are
/// cut clear of the legend at the top right (they ran under it: the room
/// was the chart's width; review of the radar labels).
#[test]
fn a_long_name_at_the_top_stays_clear_of_the_legend() {
    let wd = Workdir::new();
    let short = radar_with_area_1(&wd, "Offentlighet och demokrati", "short");
    let words = ["Å".repeat(60), "Ä".repeat(60), "Ö".repeat(60)].join(" ");
    let long = radar_with_area_1(&wd, &words, "long");
    let legend = (636..900).flat_map(|x| (48..100).map(move |y| (x, y)));
    let differ = legend
        .filter(|&(x, y)| short.get_pixel(x, y) != long.get_pixel(x, y))
        .count();
    assert_eq!(differ, 0, "pixels of the legend's corner changed");
    // The long name is drawn (cut) left of the legend.
    let drawn = (268..636)
        .flat_map(|x| (65..116).map(move |y| (x, y)))
        .filter(|&(x, y)| short.get_pixel(x, y) != long.get_pixel(x, y))
        .count();
    assert!(drawn > 500, "{drawn} pixels of the name");
}

/// The box plots' key draws the national mean as the chart does, a
/// charcoal cross (two strokes), not a filled square (the visual review
/// of 2026-12-07: a square in the key, a cross in the plot).
#[test]
fn the_box_plot_key_marks_the_mean_as_the_plot_does() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,new,1,50\n\
         0115,2012,new,1,60\n0117,2012,new,1,70\n",
    );
    let args = ["run", "-i", "in.csv", "-o", "out", "-q", "--report", "none"];
    wd.run_expect(&args, 0);
    let svg = String::from_utf8(wd.read("out/charts/distribution_SE_new.svg")).unwrap();
    let charcoal = "#333333";
    let squares = (svg.lines()).filter(|l| l.starts_with("<rect") && l.contains(charcoal));
    assert_eq!(squares.count(), 0, "{svg}");
    // One cross for the mean of area 1 and one in the key.
    let strokes = (svg.lines()).filter(|l| l.starts_with("<line") && l.contains(charcoal));
    assert_eq!(strokes.count(), 4, "{svg}");
    // The plot's cross on a white halo (the median's black line ran under
    // it), the key's on the white.
    let halo = (svg.lines()).filter(|l| l.starts_with("<line") && l.contains("#FFFFFF"));
    assert_eq!(halo.count(), 2, "{svg}");
}

/// A year on three scales (2010, 2015 and 2020, linked to 2020): the
/// radars come in the order of the scales' use, as the page's tables
/// list the evaluations (the target scale's, named by the year alone,
/// came second, pulled in by the first evaluation's lookup).
#[test]
fn a_year_on_three_scales_has_its_radars_in_the_tables_order() {
    let wd = Workdir::new();
    let mut text = String::from("municipality_code,eval_year,scale,item,score\n");
    for scale in ["new", "2015", "2020"] {
        for a in 1..=8 {
            text.push_str(&format!("0114,2019,{scale},{a},{}\n", 50 + a));
        }
    }
    wd.create("in.csv", text);
    wd.run_expect(&words("run -i in.csv -o out -q --link-to 2020"), 0);
    let page = String::from_utf8(wd.read("out/report/SE_0114.html")).unwrap();
    let shown = radars_shown(&page);
    let want = [
        "profile_SE_0114_2019_new",
        "profile_SE_0114_2019_2015",
        "profile_SE_0114_2019",
    ];
    assert_eq!(shown, want);
    // The tables' order, by the scales' names in their headings.
    let at = |name: &str| page.find(&format!("\">{name}")).expect(name);
    let (new, y2015, y2020) = (
        at("Kommunkompassen, reviderad 2010"),
        at("Kommunkompassen, reviderad 2015"),
        at("Kommunkompassen, reviderad 2019/2020"),
    );
    assert!(new < y2015 && y2015 < y2020, "{page}");
}

/// The file stems of the radars a report page shows, in its order.
pub fn radars_shown(page: &str) -> Vec<&str> {
    let img = "<img src=\"../charts/";
    (page.match_indices(img))
        .map(|(at, _)| &page[at + img.len()..])
        .filter_map(|rest| rest.split_once(".png").map(|(stem, _)| stem))
        .filter(|stem| stem.starts_with("profile_"))
        .collect()
}

/// The radar's ring values (20 to 100) stood on area 1's spoke, just
/// right of it, over area 1's value where it lay near a ring: they stand
/// midway between the last area's spoke and the first's, where no value
/// is drawn. By the chart's geometry (radar.rs): the 100 ring's corners
/// on those spokes are (294, 194) and (450, 130), its label's middle at
/// their middle, (372, 162); every label clear of the spoke at x = 450.
#[test]
fn the_rings_values_stand_off_the_first_spoke() {
    let wd = Workdir::new();
    let rows: String = (1..=8)
        .map(|a| format!("0114,2012,new,{a},{}\n", 20 + 5 * a))
        .collect();
    wd.create(
        "in.csv",
        format!("municipality_code,eval_year,scale,item,score\n{rows}"),
    );
    wd.run_expect(&words("run -i in.csv -q --report none -o out"), 0);
    let svg = String::from_utf8(wd.read("out/charts/profile_SE_0114_2012.svg")).unwrap();
    for ring in ["20", "40", "60", "80", "100"] {
        let x = text_x(&svg, ring).expect(ring);
        // At 13 px a figure is under 9 px wide.
        let right = x + 9.0 * ring.len() as f64;
        assert!(right < 450.0, "{ring} at x = {x}");
    }
    let (x, y) = (text_x(&svg, "100").unwrap(), text_y(&svg, "100"));
    assert!(
        (x - 372.0).abs() < 15.0 && (y - 162.0).abs() < 12.0,
        "({x}, {y})"
    );
}
