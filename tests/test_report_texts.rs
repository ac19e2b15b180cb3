//! What the report's texts say in unusual cases: that they say it in the
//! report's language, and only what is true of the data.

use crate::workdir::Workdir;

pub fn page(wd: &Workdir, name: &str) -> String {
    String::from_utf8(wd.read(name)).expect("utf-8")
}

/// A 2015-revision evaluation with no dual-scored one: the Swedish index
/// said "Ej länkad: ...: no item has dual-scored evaluations" (English),
/// under an empty table head, and the trend table's "* Över skalbytet"
/// note with no row marked `*`. The English report keeps the English
/// reason.
#[test]
fn an_unlinked_scale_is_explained_in_the_reports_language() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,new,total,500\n\
         0114,2016,new,total,520\n0115,2016,2015,total,480\n",
    );
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "sv", "-q", "--charts", "none"],
        0,
    );
    let index = page(&wd, "sv/report/index.html");
    assert!(
        index.contains(
            "reviderad 2015</strong>: ingen fråga har utvärderingar bedömda på båda skalorna</p>"
        ),
        "{index}"
    );
    assert!(!index.contains("dual-scored"));
    assert!(!index.contains("<th>LOO MAE</th>"), "no table of no links");
    assert!(
        !index.contains("Över skalbytet"),
        "no row is across the change"
    );
    let args = ["run", "-i", "in.csv", "-o", "en", "-q", "--charts", "none"];
    wd.run_expect(&[&args[..], &["--lang", "en"]].concat(), 0);
    let index = page(&wd, "en/report/index.html");
    assert!(index.contains("2015 revision</strong>: no item has dual-scored evaluations</p>"));
}

/// A municipality with two evaluations on the 2010 scale that share no
/// item (a total in 2011, areas 1 and 2 in 2015) was told "has one
/// evaluation per scale": it has two.
#[test]
fn no_change_to_show_is_not_said_to_be_one_evaluation() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2011,new,total,450\n\
         0114,2015,new,1,60\n0114,2015,new,2,55\n",
    );
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "out", "-q", "--charts", "none"],
        0,
    );
    let muni = page(&wd, "out/report/SE_0114.html");
    assert!(
        muni.contains(
            "<p>Ingen förändring att visa: kommunen har inte två omgångar i följd på jämförbara \
             skalor med ett område eller totalen gemensamt.</p>"
        ),
        "{muni}"
    );
    assert!(!muni.contains("en utvärdering på varje skala"));
}

/// A score kept as given (an `off-resolution` warning, 62.25 on the old
/// scale) was shown rounded, 62,3; and a difference was taken from the
/// unrounded mean, so that "534 | 527,3 | +6,8" did not add up as read.
#[test]
fn scores_as_given_and_differences_that_add_up() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2006,old,1,62.25\n\
         0114,2012,new,total,534\n0115,2012,new,total,520.5\n0117,2012,new,total,527.25\n",
    );
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "out", "-q", "--charts", "none"],
        0,
    );
    let muni = page(&wd, "out/report/SE_0114.html");
    assert!(muni.contains("<td>62,25</td>"), "{muni}");
    // The mean of 534, 520.5 and 527.25 is 527.25, shown 527,3.
    assert!(
        muni.contains(
            "<td class=\"t\">Totalt</td><td>534</td><td>527,3 <small>(n=3)</small></td><td>+6,7</td>"
        ),
        "{muni}"
    );
}

/// A linked end of a change names, on hover, the item it was linked from:
/// the 2020 scale's area 2 is linked to the new scale's area 8, and the
/// hover said only "linked from 58 (2020 scale)". Without a pointer (a
/// touch screen, a screen reader) the note says where the score stands:
/// under Evaluations, on its own scale, 58 in 2021 (HTML audit of the
/// seventy-fourth session: only the hover named it).
#[test]
fn a_linked_value_names_the_item_it_was_linked_from() {
    let wd = Workdir::new();
    // 2020 area 2 to new area 8: new − 2020 = 5 and 6, a mean link + 5.5.
    // Österåker: new 60 in 2016, 58 on the 2020 scale in 2021 (63.5).
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n\
         0114,2020,2020,2,50\n0114,2020,new,8,55\n\
         0115,2020,2020,2,60\n0115,2020,new,8,66\n\
         0117,2016,new,8,60\n0117,2021,2020,2,58\n\
         0114,2020,2020,total,400\n0114,2020,new,total,440\n\
         0115,2020,2020,total,420\n0115,2020,new,total,466\n\
         0117,2016,new,total,450\n0117,2021,2020,total,410\n",
    );
    let args = ["run", "-i", "in.csv", "-o", "en", "-q", "--charts", "none"];
    wd.run_expect(&[&args[..], &["--lang", "en"]].concat(), 0);
    let muni = page(&wd, "en/report/SE_0117.html");
    assert!(
        muni.contains("<span title=\"linked from 58 (2020 scale: 2 Community development)\">"),
        "{muni}"
    );
    let note = "The score it was converted from is under <a href=\"#utvarderingar\">Evaluations</a>, \
                on its own scale, and in linked_scores.csv.";
    assert!(muni.contains(note), "{muni}");
    // Under Evaluations, 2021's area 2 on the 2020 scale: 58.
    let evaluations = &muni[muni.find("<h2 id=\"utvarderingar\">").unwrap()..];
    let points = &evaluations[evaluations.find("Points 2021 — ").unwrap()..];
    let area = &points[points
        .find("<th class=\"t\" aria-label=\"Question\">Community development</th>")
        .unwrap()..];
    let area = &area[..area.find("</table>").unwrap()];
    let sum = "<th class=\"t\" scope=\"row\">The area</th><td>58</td>";
    assert!(area.contains(sum), "{area}");
    // The index's trend table names the change of the total (through a
    // mean link + 43) as trend_summary.csv's `cross-scale`, not as the
    // averages' linked scale.
    let index = page(&wd, "en/report/index.html");
    let row = "<tr><td class=\"t\">Across the change of scale (to the 2010 scale)</td>";
    assert!(index.contains(row), "{index}");
}

/// A number as the pages write it ("61,8", "−1,6", "+4").
fn shown(cell: &str) -> f64 {
    let plain = cell.replace('−', "-").replace('+', "").replace(',', ".");
    plain
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {cell}"))
}

/// The kommungrupp pages' difference from Sweden's average is taken from
/// the two means as shown, so that each row adds up as read: group_B3's
/// area 1 of the old scale read "61,8 | 63,4 | −1,5" (from 61.8333 and
/// 63.3649), 62 rows of the sample's 324 (report audit, 2026-11-30).
#[test]
fn group_pages_differences_add_up_as_read() {
    let wd = Workdir::new();
    let sample = format!("{}/data/sample/se-excel", env!("CARGO_MANIFEST_DIR"));
    let args = ["run", "-i", &sample, "-o", "out", "-q", "--charts", "none"];
    wd.run_expect(&[&args[..], &["--report", "summary"]].concat(), 0);
    let mut rows = 0;
    for entry in std::fs::read_dir(wd.file("out/report")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.starts_with("group_") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // Item, mean, ± of its interval, SD, n, Sweden's mean, its n, the
        // difference and its ±.
        for line in text
            .lines()
            .filter(|l| l.starts_with("<tr><td class=\"t\">"))
        {
            let cells: Vec<&str> = (line.split("<td>").skip(1))
                .map(|c| c.split("</td>").next().unwrap())
                .collect();
            if cells.len() != 8 || cells[6].is_empty() {
                continue;
            }
            let want = shown(cells[0]) - shown(cells[4]);
            assert!((shown(cells[6]) - want).abs() < 1e-9, "{name}: {line}");
            rows += 1;
        }
    }
    assert!(rows > 300, "{rows} rows");
}

/// The municipality list gives a latest total as the data gives it
/// (530,75, as on the municipality's page), not rounded to 530,8.
#[test]
fn the_list_gives_totals_as_given() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,new,total,530.75\n\
         0115,2012,new,total,500\n",
    );
    let args = ["run", "-i", "in.csv", "-o", "out", "-q", "--charts", "none"];
    wd.run_expect(&args, 0);
    let index = page(&wd, "out/report/index.html");
    assert!(index.contains("data-v=\"530.75\">530,75<"), "{index}");
}

/// The Swedish report gave the findings' rule codes alone (their meaning
/// only in English); a Danish page's empty group columns read as a group
/// too small; the sub-question charts, two to a row, had question ids
/// about 5 px high; the trend table's wide intervals through a link of
/// few pairs were not explained on the index.
#[test]
fn what_the_reader_needs_is_said_where_it_is_shown() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "country,municipality_code,eval_year,scale,item,score\n\
         SE,0114,2012,new,1,150\nSE,0114,2012,new,1.1,10\nSE,0114,2015,new,1.1,12\n\
         DK,101,2012,new,1.1,9\nDK,101,2012,new,1,40\n",
    );
    let args = ["run", "-i", "in.csv", "-q", "--report", "all"];
    wd.run_expect(&[&args[..], &["-o", "sv"]].concat(), 0);
    wd.run_expect(&[&args[..], &["-o", "en", "--lang", "en"]].concat(), 0);
    let (sv, en) = (
        page(&wd, "sv/report/index.html"),
        page(&wd, "en/report/index.html"),
    );
    let row = |doc: &str| format!("<td class=\"t\">above-max</td><td class=\"t q\">{doc}</td>");
    assert!(sv.contains(&row("en poäng över frågans maxpoäng")), "{sv}");
    assert!(
        en.contains(&row("a score above the item's maximum")),
        "{en}"
    );
    let head =
        "<th class=\"t\">Allvarsgrad</th><th class=\"t\">Regel</th><th class=\"t\">Betydelse</th>";
    assert!(sv.contains(head));
    assert!(sv.contains("(12,7 för 2 par, 4,3 för 3)"));
    assert!(en.contains("(12.7 for 2 pairs, 4.3 for 3)"));
    let no_group = "Kommunen har ingen kommungrupp i registret";
    assert!(page(&wd, "sv/report/DK_101.html").contains(no_group));
    assert!(!page(&wd, "sv/report/SE_0114.html").contains(no_group));
    // The sub-question chart at full width, outside the two-column grid.
    assert!(sv.contains("questions_"), "the chart is drawn");
    for grid in sv.split("<div class=\"charts\">").skip(1) {
        let inside = grid.split("</div>").next().unwrap_or("");
        assert!(!inside.contains("questions_"), "{inside}");
    }
}

/// The index's table of links: a mean link's slope is fixed at 1, not
/// estimated ("1,000" read as a fit); two pairs' r (always 1) is not shown
/// as a perfect correlation (`–`, which the note explains: the cell was
/// empty without a word); a link whose error cannot be estimated (one
/// pair) is marked so, not only "svag". By hand: area 1, one pair (50,
/// 40): intercept −10; area 2, pairs (60, 55) and (70, 62): intercept
/// (55 + 62 − 60 − 70) / 2 = −6.5, leave-one-out errors |70 − 5 − 62| and
/// |60 − 8 − 55|, both 3.
#[test]
fn the_table_of_links_says_what_was_estimated() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,a1,a2\n0114,2010,old,50,60\n0114,2010,new,40,55\n\
         0115,2010,old,,70\n0115,2010,new,,62\n",
    );
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "o", "-q", "--charts", "none"],
        0,
    );
    let index = page(&wd, "o/report/index.html");
    let row = |area: &str| {
        (index.split("<tr>"))
            .find(|r| r.contains(&format!("</td><td class=\"t\">{area} ")) && r.contains(" → "))
            .unwrap_or_else(|| panic!("a row of area {area}: {index}"))
            .to_string()
    };
    let cells = "<td class=\"t\">medelvärde</td><td>1</td><td>–</td><td>1 (fast)</td>\
                 <td>\u{2212}10,00</td><td></td><td>svag, felet ej skattat</td>";
    assert!(row("1").contains(cells), "{}", row("1"));
    let cells = "<td class=\"t\">medelvärde</td><td>2</td><td>–</td><td>1 (fast)</td>\
                 <td>\u{2212}6,50</td><td>3,00</td><td>svag</td>";
    assert!(row("2").contains(cells), "{}", row("2"));
    assert!(index.contains("r – under 3 par, som alltid ligger på en linje"));
}

/// An area an evaluation does not have left a gap in its rounds chart that
/// read as a score of 0: it is marked with a dash (area 2 of 2014),
/// and the key says what the dash is; its radar names it at the area's
/// axis. The text (the image's `alt`) gave "–" for it already.
#[test]
fn an_area_without_a_score_is_marked_in_the_rounds_chart() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,a1,a2,a3,a4,a5,a6,a7,a8
\
         0114,2010,new,50,60,70,50,50,50,50,50\n0114,2014,new,55,,72,50,50,50,50,50\n",
    );
    wd.run_expect(&["run", "-i", "in.csv", "-o", "o", "-q"], 0);
    let svg = page(&wd, "o/charts/rounds_SE_0114.svg");
    // The dash at area 2 and the one of the key: 10 × 3 pixels each.
    assert_eq!(svg.matches("width=\"10\" height=\"3\"").count(), 2, "{svg}");
    assert!(svg.contains("ingen poäng för området"), "the key: {svg}");
    assert!(svg.contains("2014 (1: 55; 2: –; 3: 72"), "{svg}");
    // The radar of 2014 says it at area 2's axis, and only there.
    let radar = page(&wd, "o/charts/profile_SE_0114_2014.svg");
    assert_eq!(radar.matches("(ingen poäng)").count(), 1, "{radar}");
    let radar = page(&wd, "o/charts/profile_SE_0114_2010.svg");
    assert!(!radar.contains("(ingen poäng)"), "{radar}");
}

/// Every chart on a page links to its SVG, which exists (a narrow screen
/// shrinks the image and its text; the SVG opens whole and zooms), and
/// every image is inside such a link.
#[test]
fn every_chart_links_to_its_svg() {
    let wd = crate::workdir::Workdir::new();
    wd.create("in.csv", crate::test_report::DATA);
    wd.run_expect(&["run", "-i", "in.csv", "-o", "out", "-q"], 0);
    let mut pages = 0;
    for entry in std::fs::read_dir(wd.file("out/report")).unwrap() {
        let page = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let images = page.matches("<img src=\"../charts/").count();
        let mut linked = 0;
        for part in page.split("<figure><a href=\"../charts/").skip(1) {
            let svg = &part[..part.find('"').unwrap()];
            let stem = svg.strip_suffix(".svg").expect("an SVG");
            assert!(
                part[svg.len()..].starts_with(&format!("\"><img src=\"../charts/{stem}.png\""))
            );
            assert!(wd.exists(&format!("out/charts/{svg}")), "{svg}");
            linked += 1;
        }
        assert_eq!(linked, images);
        pages += usize::from(images > 0);
    }
    assert!(pages >= 2, "{pages} pages with charts");
}
