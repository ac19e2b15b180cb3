//! The municipality page leads with the comparison: on a small data set
//! whose every figure is worked out by hand below (not by kompass), the
//! comparison table (national and kommungrupp average, rank, percentile),
//! the strongest and weakest sub-questions with their role models, and the
//! change between rounds.

use crate::workdir::Workdir;

/// Six Swedish municipalities on the new scale, area 1 with its five
/// sub-questions (max 15, 20, 25, 30, 10) and area 2. Östersund (2380) has
/// two rounds; 0114 is in group A2, the others in B3 "Större stad".
pub(crate) const DATA: &str = "\
country,municipality_code,eval_year,scale,item,score
SE,2380,2010,new,1.1,8
SE,2380,2010,new,1.2,10
SE,2380,2010,new,1.3,12
SE,2380,2010,new,1.4,15
SE,2380,2010,new,1.5,5
SE,2380,2010,new,1,50
SE,2380,2010,new,2,40
SE,2380,2013,new,1.1,12
SE,2380,2013,new,1.2,14
SE,2380,2013,new,1.3,10
SE,2380,2013,new,1.4,18
SE,2380,2013,new,1.5,6
SE,2380,2013,new,1,60
SE,2380,2013,new,2,55
SE,0181,2010,new,1.1,10
SE,0181,2010,new,1.2,15
SE,0181,2010,new,1.3,20
SE,0181,2010,new,1.4,18
SE,0181,2010,new,1.5,7
SE,0181,2010,new,1,70
SE,0181,2010,new,2,65
SE,0380,2011,new,1.1,6
SE,0380,2011,new,1.2,8
SE,0380,2011,new,1.3,10
SE,0380,2011,new,1.4,12
SE,0380,2011,new,1.5,4
SE,0380,2011,new,1,40
SE,0380,2011,new,2,45
SE,0484,2011,new,1.1,9
SE,0484,2011,new,1.2,11
SE,0484,2011,new,1.3,15
SE,0484,2011,new,1.4,14
SE,0484,2011,new,1.5,6
SE,0484,2011,new,1,55
SE,0484,2011,new,2,60
SE,0580,2012,new,1.1,11
SE,0580,2012,new,1.2,13
SE,0580,2012,new,1.3,17
SE,0580,2012,new,1.4,16
SE,0580,2012,new,1.5,8
SE,0580,2012,new,1,65
SE,0580,2012,new,2,50
SE,0114,2012,new,1.1,7
SE,0114,2012,new,1.2,9
SE,0114,2012,new,1.3,11
SE,0114,2012,new,1.4,13
SE,0114,2012,new,1.5,5
SE,0114,2012,new,1,45
SE,0114,2012,new,2,35
";

/// The text of an HTML fragment: tags dropped, `&nbsp;` as a space,
/// whitespace collapsed.
pub(crate) fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The cells (as text) of the first table row after `after` whose first
/// cell is `label`.
pub(crate) fn row(page: &str, after: &str, label: &str) -> Vec<String> {
    let start = page
        .find(after)
        .unwrap_or_else(|| panic!("no '{after}' on the page"));
    let rest = &page[start..];
    let first = format!("<td class=\"t\">{label}</td>");
    let at = rest
        .find(&first)
        .unwrap_or_else(|| panic!("no row '{label}' after '{after}'"));
    let tr = &rest[at..rest[at..].find("</tr>").map_or(rest.len(), |e| at + e)];
    tr.split("<td")
        .skip(1)
        .map(|c| text(&format!("<td{c}")))
        .collect()
}

/// Runs `in.csv` into `out` with the report and no charts.
fn report_of(wd: &Workdir) {
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "out", "-q", "--charts", "none"],
        0,
    );
}

fn ostersund_page(wd: &Workdir) -> String {
    wd.create("in.csv", DATA);
    report_of(wd);
    let page = String::from_utf8(wd.read("out/report/SE_2380.html")).unwrap();
    // The comparison comes first, before the charts and the section-4
    // tables.
    let (compare, strong, change, tables) = (
        page.find("id=\"jamforelse\"").expect("comparison"),
        page.find("id=\"delfragor\"").expect("sub-questions"),
        page.find("id=\"forandring\"").expect("change"),
        page.find("Poängfördelning").expect("section-4 tables"),
    );
    assert!(compare < strong && strong < change && change < tables);
    page
}

#[test]
fn comparison_table_by_hand() {
    let wd = Workdir::new();
    let page = ostersund_page(&wd);
    let table = ">Kommunkompassen, reviderad 2010 (ny poängskala) — 2013</h3>";
    // Area 1, latest evaluations: 60 (Östersund 2013), 70, 40, 55, 65, 45.
    // National mean 335/6 = 55.83; difference +4.17. Rank: 70 and 65 are
    // higher, so 3 of 6; percentile: 3 lower of the 5 others = 60.
    // Group B3 (all but 0114): mean 290/5 = 58, difference +2; rank 3 of
    // 5; percentile 2 lower of 4 others = 50.
    assert_eq!(
        row(&page, table, "1 Offentlighet och demokrati"),
        [
            "1 Offentlighet och demokrati",
            "60",
            "55,8 (n=6)",
            "+4,2",
            "58 (n=5)",
            "+2",
            "3 / 6",
            "60",
            "3 / 5",
            "50"
        ]
    );
    // Area 2: 55, 65, 45, 60, 50, 35. Mean 310/6 = 51.67, difference
    // +3.33; 65 and 60 higher: rank 3, 3 lower: 60. Group: 275/5 = 55,
    // difference 0; rank 3 of 5, 2 lower of 4: 50.
    assert_eq!(
        row(&page, table, "2 Tillgänglighet och brukarorientering"),
        [
            "2 Tillgänglighet och brukarorientering",
            "55",
            "51,7 (n=6)",
            "+3,3",
            "55 (n=5)",
            "0",
            "3 / 6",
            "60",
            "3 / 5",
            "50"
        ]
    );
    // Nothing here is linked: no footnote about linked values.
    assert!(
        !page.contains("Länkat värde"),
        "a linked-value note without linked values"
    );
    // 0114 is alone in its group A2: a group rank, but no group
    // percentile (fewer than 5).
    let other = String::from_utf8(wd.read("out/report/SE_0114.html")).unwrap();
    let cells = row(&other, "id=\"jamforelse\"", "1 Offentlighet och demokrati");
    assert_eq!(cells[8..], ["1 / 1", ""]);
}

#[test]
fn strongest_and_weakest_with_role_models_by_hand() {
    let wd = Workdir::new();
    let page = ostersund_page(&wd);
    // Östersund 2013 against the national means of the latest evaluations
    // (percent of max):
    //   1.1: 12/15 = 80 %, mean 55/6 = 9.17 of 15 = 61.1 %: +18.9
    //   1.2: 14/20 = 70 %, mean 70/6 = 11.67 of 20 = 58.3 %: +11.7
    //   1.3: 10/25 = 40 %, mean 83/6 = 13.83 of 25 = 55.3 %: −15.3
    //   1.4: 18/30 = 60 %, mean 91/6 = 15.17 of 30 = 50.6 %: +9.4
    //   1.5:  6/10 = 60 %, mean 36/6 = 6 of 10 = 60 %: 0
    // Five questions: up to two strongest, above the average (1.1, 1.2), and
    // up to two weakest, below it: only 1.3 (1.5 is at the average).
    let strong = ">Starkast";
    let weak = ">Svagast";
    assert_eq!(
        row(&page, strong, "1.1")[2..],
        ["12", "15", "80 %", "61 % (n=6)", "+19"]
    );
    assert_eq!(
        row(&page, strong, "1.2")[2..],
        ["14", "20", "70 %", "58 % (n=6)", "+12"]
    );
    let section =
        &page[page.find("id=\"delfragor\"").unwrap()..page.find("id=\"forandring\"").unwrap()];
    for q in ["1.3", "1.4", "1.5"] {
        let strong_part = &section[..section.find(weak).unwrap()];
        assert!(
            !strong_part.contains(&format!(">{q}<")),
            "{q} among the strongest"
        );
    }
    let weak_part = &section[section.find(weak).unwrap()..];
    for q in ["1.1", "1.2", "1.4", "1.5"] {
        assert!(
            !weak_part.contains(&format!(">{q}<")),
            "{q} among the weakest"
        );
    }
    let q13 = row(&page, weak, "1.3");
    assert_eq!(q13[2..7], ["10", "25", "40 %", "55 % (n=6)", "−15"]);
    // Role models on 1.3: the three highest latest scores in Sweden,
    // 20 (0181 Södertälje 2010), 17 (0580 Linköping 2012), 15 (0484
    // Eskilstuna 2011), linked to their pages.
    assert_eq!(
        q13[7],
        "Södertälje 2010 (20), Linköping 2012 (17), Eskilstuna 2011 (15)"
    );
    assert!(weak_part.contains("<a href=\"SE_0181.html\">Södertälje</a>"));
    assert!(page.find(strong) < page.find(weak), "strongest first");
}

/// A group of fewer than 5 has a group rank and mean but no group
/// percentile; its national percentile is there.
#[test]
fn small_groups_get_no_group_percentile() {
    let wd = Workdir::new();
    // 0114 and 0115 are both A2; 0181 is B3. Area 1: 60, 40, 50.
    wd.create(
        "in.csv",
        "country,municipality_code,eval_year,scale,item,score\n\
         SE,0114,2012,new,1,60\nSE,0115,2012,new,1,40\nSE,0181,2012,new,1,50\n",
    );
    report_of(&wd);
    let page = String::from_utf8(wd.read("out/report/SE_0114.html")).unwrap();
    // National: mean 50, +10, rank 1 of 3, 2 lower of 2 others = 100.
    // Group A2: mean (60 + 40) / 2 = 50, +10, rank 1 of 2, no percentile.
    assert_eq!(
        row(&page, "id=\"jamforelse\"", "1 Offentlighet och demokrati")[1..],
        [
            "60", "50 (n=3)", "+10", "50 (n=2)", "+10", "1 / 3", "100", "1 / 2", ""
        ]
    );
}

#[test]
fn change_between_rounds_by_hand() {
    let wd = Workdir::new();
    let page = ostersund_page(&wd);
    let step = ">2010 → 2013 — Kommunkompassen, reviderad 2010 (ny poängskala)</h3>";
    // Same scale: 50 → 60 and 40 → 55, no linking error, and no column
    // for its interval (an empty one read as no uncertainty).
    assert_eq!(
        row(&page, step, "1 Offentlighet och demokrati")[1..],
        ["50", "60", "+10"]
    );
    assert_eq!(
        row(&page, step, "2 Tillgänglighet och brukarorientering")[1..],
        ["40", "55", "+15"]
    );
    // English throughout with --lang en.
    wd.run_expect(
        &[
            "run", "-i", "in.csv", "-o", "en", "-q", "--charts", "none", "--lang", "en",
        ],
        0,
    );
    let en = String::from_utf8(wd.read("en/report/SE_2380.html")).unwrap();
    // Decimal points in English, commas in Swedish (as in
    // comparison_table_by_hand): area 1's national mean 335 / 6.
    let table = ">Municipality Compass, 2010 revision (new scale) — 2013</h3>";
    assert_eq!(
        row(&en, table, "1 Public access and democracy")[2..4],
        ["55.8 (n=6)", "+4.2"]
    );
    for words in [
        "Compared with other municipalities",
        "Strongest and weakest",
        "Change between rounds",
        "Role models",
        "Municipality Compass, 2010 revision (new scale)",
    ] {
        assert!(en.contains(words), "no '{words}' in English");
    }
    for word in [
        "Jämförelse",
        "Starkast",
        "Förändring",
        "Goda exempel",
        "Kommungrupp",
        "Riksmedel",
        "Poängfördelning",
        "Utvärdering",
        "Skillnad",
        "Område",
    ] {
        assert!(!en.contains(word), "Swedish '{word}' in English page");
    }
    let index = String::from_utf8(wd.read("en/report/index.html")).unwrap();
    for word in [
        "Kommungrupp",
        "Skala",
        "Medel",
        "Länkning",
        "Sök",
        "varning",
    ] {
        assert!(!index.contains(word), "Swedish '{word}' in English index");
    }
}

/// A linked score's ± and a change's interval through a link use Student's
/// t with the link's pairs − 1 degrees of freedom, not 1.96: two pairs
/// (old 70 / new 60, old 56 / new 50) give the mean link x − 8 with SE
/// √8 / √2 = 2 (Kolen & Brennan's analytic SE), and t(0.975, 1) = 12.7062,
/// so ± 25.4. 0191's old 66 links to 58 ± 25.4; 0190's change from old 80
/// (72 linked) in 2008 to new 75 in 2012 is +3 with interval 3 ± 25.41:
/// −22.4 – 28.4 (with 1.96: 58 ± 3.9 and −0.9 – 6.9).
#[test]
fn linked_intervals_use_t_with_the_links_pairs() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "country,municipality_code,eval_year,scale,item,score\n\
         SE,0183,2010,old,1,70\nSE,0183,2010,new,1,60\n\
         SE,0184,2010,old,1,56\nSE,0184,2010,new,1,50\n\
         SE,0190,2008,old,1,80\nSE,0190,2012,new,1,75\n\
         SE,0191,2008,old,1,66\n",
    );
    report_of(&wd);
    let page = |code: &str| {
        text(&String::from_utf8(wd.read(&format!("out/report/SE_{code}.html"))).unwrap())
    };
    assert!(page("0191").contains("58 ± 25,4*"), "{}", page("0191"));
    assert!(page("0190").contains("−22,4 – 28,4"), "{}", page("0190"));
}

/// The area tables mark a missing sub-question `–` (with a note), give an
/// area with no sub-question at all one row, and list a year scored on two
/// scales older scale first.
#[test]
fn area_tables_mark_what_is_missing() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "country,municipality_code,eval_year,scale,item,score\n\
         SE,0114,2010,new,1,50\nSE,0114,2010,old,1,61\n\
         SE,0114,2012,new,1.1,8\nSE,0114,2012,new,1.2,10\nSE,0114,2012,new,1.3,12\n\
         SE,0114,2012,new,1.4,15\nSE,0114,2012,new,2,35\n",
    );
    report_of(&wd);
    let page = String::from_utf8(wd.read("out/report/SE_0114.html")).unwrap();
    let years = &page[page.find("id=\"utvarderingar\"").unwrap()..];
    let old = years.find("Kommunkompassen före 2010").unwrap();
    let new = years.find("Kommunkompassen, reviderad 2010").unwrap();
    assert!(old < new, "2010 old after 2010 new");
    let t2012 = "Poängfördelning 2012";
    // 1.5 (max 10) is not in the data; area 1 is not either (not all its
    // parts are), so it is not derived.
    assert_eq!(row(&page, t2012, "1.5")[2..], ["–", "10", "–"]);
    assert!(page.contains("– Poängen finns inte i underlaget eller avvisades"));
    let from = page.find(t2012).unwrap();
    let area2 = &page[from + page[from..].find("Tillgänglighet").unwrap()..];
    assert!(!area2.contains("<td class=\"t\">2.1</td>"));
    assert!(page.contains("Inga delfrågor i underlaget, bara området."));
    // Areas 3 to 8 are not in 2012's data at all: each is a table of its
    // own whose area row is `–` (they were left out, and with them the
    // note's reason), with no sub-question rows and no "only the area".
    let y2012 = &page[from..];
    assert_eq!(y2012.matches("<table class=\"area\">").count(), 8);
    let area8 = &y2012[y2012.find(">Kommunen som samhällsbyggare</th>").unwrap()..];
    let area8 = &area8[..area8.find("</table>").unwrap()];
    // After its heading row, the area's row alone.
    assert!(
        area8.contains("Området</th><td>–</td><td>100</td><td>–</td>")
            && area8.matches("<tr").count() == 1,
        "{area8}"
    );
}

/// A sub-question whose difference shows as 0 is no strength: the page
/// shows the difference of the whole percents (until 2026-11-30 it was
/// the exact difference, rounded, that decided). By hand, 20
/// municipalities: 0114's 1.1 is 10 of 15, 66.67 % shown "67 %", the
/// national mean (10 · 19 + 9.5) / 20 = 9.975, 66.5 % shown "67 %" (half
/// away from zero): 67 − 67 = 0, though 0114 is 0.17 points above; 1.2
/// (18 against 198 / 20 = 9.9 of 20) and 1.3 are strengths.
#[test]
fn a_difference_shown_as_zero_is_no_strength() {
    let wd = Workdir::new();
    let mut csv = String::from("country,municipality_code,eval_year,scale,item,score\n");
    let codes = [
        "0114", "0115", "0117", "0120", "0123", "0125", "0126", "0127", "0128", "0136", "0138",
        "0139", "0140", "0160", "0162", "0163", "0180", "0181", "0182", "0183",
    ];
    for code in codes {
        let q11 = if code == "0126" { "9.5" } else { "10" };
        let (q12, q13) = if code == "0114" {
            ("18", "20")
        } else {
            ("10", "10")
        };
        for (item, score) in [
            ("1.1", q11),
            ("1.2", q12),
            ("1.3", q13),
            ("1.4", "15"),
            ("1.5", "5"),
            ("2.1", "8"),
        ] {
            csv += &format!("SE,{code},2012,new,{item},{score}\n");
        }
    }
    wd.create("in.csv", csv);
    report_of(&wd);
    let page = String::from_utf8(wd.read("out/report/SE_0114.html")).unwrap();
    let strong = &page[page.find(">Starkast").unwrap()..page.find("id=\"forandring\"").unwrap()];
    assert!(
        strong.contains("<td class=\"t\">1.2</td>") && strong.contains("<td class=\"t\">1.3</td>")
    );
    assert!(!strong.contains("<td class=\"t\">1.1</td>"), "{strong}");
}

/// Percentages at an exact half are rounded up, as a reader rounds them,
/// not down by floating point's hair (100 · 2.3 / 20 = 11.499999999999998).
/// By hand: ten municipalities, sub-question 5.2 (max 20) scores
/// 1, 2, 2, 2, 2, 3, 3, 3, 3, 2: sum 23, mean 2.3, 11.5 % of max, shown
/// "12 %"; 0114's 1 of 20 is 5 %, its difference −6.5 points, shown "−7".
/// 5.1 (max 15, section 4 of the seed): 0114's 15 is 100 % against a
/// mean of 60/10 = 6, 40 %: +60.
#[test]
fn percentages_at_an_exact_half_round_as_a_reader_rounds() {
    let wd = Workdir::new();
    let scores = [
        ("0114", 15, 1),
        ("0115", 5, 2),
        ("0117", 5, 2),
        ("0120", 5, 2),
        ("0123", 5, 2),
        ("0125", 5, 3),
        ("0126", 5, 3),
        ("0127", 5, 3),
        ("0128", 5, 3),
        ("0136", 5, 2),
    ];
    let rows: String = (scores.iter())
        .map(|(code, a, b)| format!("{code},2012,new,5.1,{a}\n{code},2012,new,5.2,{b}\n"))
        .collect();
    wd.create(
        "in.csv",
        format!("municipality_code,eval_year,scale,item,score\n{rows}"),
    );
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "out", "--charts", "summary"],
        0,
    );
    let page = String::from_utf8(wd.read("out/report/SE_0114.html")).expect("utf-8");
    assert_eq!(
        row(&page, ">Svagast", "5.2")[2..7],
        ["1", "20", "5 %", "12 % (n=10)", "−7"]
    );
    assert_eq!(
        row(&page, ">Starkast", "5.1")[2..7],
        ["15", "15", "100 %", "40 % (n=10)", "+60"]
    );
    let chart = String::from_utf8(wd.read("out/charts/questions_SE_new.svg")).expect("utf-8");
    assert!(chart.contains("5.2: 12 %"), "the chart's label");
}
