//! The report's index and group pages: `--report summary|none`, the list
//! of municipalities, the index's counts, and one page per group however
//! alike their codes.

use crate::test_report::{DATA, row, text};
use crate::test_report_names::report_with_register;
use crate::workdir::{Workdir, stdout};

/// `--report summary` writes the index and a page per kommungrupp, no page
/// per municipality, and links to none; `--report none` writes no report.
#[test]
fn report_summary_and_none() {
    let wd = Workdir::new();
    wd.create("in.csv", DATA);
    let base = ["run", "-i", "in.csv", "--charts", "none", "-o"];
    let out = wd.run_expect(
        &[&base[..], &["summary", "--report", "summary"]].concat(),
        0,
    );
    // The canonical scores are freed before the analysis under `summary`;
    // the run summary still counts the 7 evaluations of DATA (6
    // municipalities, Östersund twice).
    let said =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("evaluations: 7 with 49 scores"), "{said}");
    let mut pages: Vec<String> = std::fs::read_dir(wd.file("summary/report"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    // 0114 is in A2, the five others in B3.
    assert_eq!(pages, ["group_A2.html", "group_B3.html", "index.html"]);
    let index = String::from_utf8(wd.read("summary/report/index.html")).unwrap();
    assert!(!index.contains("SE_2380.html"), "links a page not written");
    // An SKR group's name marked Swedish (for a screen reader on an
    // English page; on both, for the same markup).
    assert!(
        index.contains("<a href=\"group_B3.html\"><span lang=\"sv\">B3 Större stad</span></a>")
    );
    // The scales table: DATA's 7 evaluations of 6 municipalities
    // (Östersund twice), on the new scale.
    let scales = row(
        &index,
        "id=\"skalor\"",
        "Kommunkompassen, reviderad 2010 (ny poängskala)",
    );
    assert_eq!(scales[1..], ["new", "2010", "7", "6"]);
    // The B3 page: its average, by hand (latest evaluations): area 1
    // (60 + 70 + 40 + 55 + 65) / 5 = 58 ± t(0.975, 4) · sd / √5 = 2.776445
    // · 11.5109 / 2.2361 = 14.29 (scipy's t.ppf) against Sweden's 335 / 6 =
    // 55.8, and its five municipalities, not 0114; the difference has no
    // interval, the rest of Sweden being 0114 alone (no spread).
    let b3 = String::from_utf8(wd.read("summary/report/group_B3.html")).unwrap();
    assert_eq!(
        row(&b3, "<h2", "1 Offentlighet och demokrati")[1..],
        ["58", "14,3", "11,5", "5", "55,8", "6", "+2,2", ""]
    );
    let list = &b3[b3.find("id=\"kommunlista\"").unwrap()..];
    assert_eq!(list.matches("<tr><td").count(), 5);
    assert!(list.contains("Östersund") && !list.contains("Upplands Väsby"));
    wd.run_expect(&[&base[..], &["none", "--report", "none"]].concat(), 0);
    assert!(!wd.exists("none/report"));
    assert!(wd.exists("none/averages.csv"));
}

/// The index's municipality list shows each municipality's latest
/// evaluation (any scale), its total only when that evaluation has one,
/// and the change of the total between its last two rounds only:
/// - 0180: old 2008 total 600, old 2010 total 640, new 2014 area 1 only:
///   2014, no total, the 2010 scale, no change (not 640 or +40);
/// - 0181: new 2010 total 500, new 2012 total 520: 2012, 520, +20;
/// - 0182: old 2010 total 610 and new 2010 total 540 (dual-scored, latest):
///   the new scale's 540; one round, no change;
/// - 0183: new 2012 500, 2015-scale 2016 480 (not linked: a chain of its
///   own), new 2019 530, new 2021 560: 2021, 560, +30 (2019 → 2021);
/// - 0184: new 2012 500, 2015-scale 2016 480: 2016, 480, the 2015 scale,
///   no change (its chain's first round);
/// - 0185: new 2018 411, new 2020 450 and 2020-scale 2020 440: the 2020
///   scale's 440 and no change (the +39 is the 2010 scale's, to 450: it
///   was shown beside 440);
/// - 0186: new 2018 400, 2020-scale 2022 430, linked by 0185's one pair
///   (mean link, + 10): 2022, 430, +40* (400 to the linked 440), `± ?`:
///   one pair, no linking error;
/// - 0187: old 2008 600, new 2012 520, the old scale linked by 0182's and
///   0188's pairs (mean link, differences 540 − 610 = −70 and 520 − 600 =
///   −80: −75, SE s(d)/√2 = 7.0711/√2 = 5): 2012, 520, −5* (the linked 525
///   to the native 520: a total on the target scale after a linked round)
///   ± t(0.975, 1) × 5 = 12.706 × 5 = 63.5, the interval's half-width
///   (the list gave the change alone, +30* where the interval was 4.6 to
///   55.4).
#[test]
fn the_municipality_list_shows_the_latest_evaluation_and_its_last_change() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "country,municipality_code,eval_year,scale,item,score\n\
         SE,0180,2008,old,total,600\nSE,0180,2010,old,total,640\nSE,0180,2014,new,1,55\n\
         SE,0181,2010,new,total,500\nSE,0181,2012,new,total,520\n\
         SE,0182,2010,old,total,610\nSE,0182,2010,new,total,540\n\
         SE,0183,2012,new,total,500\nSE,0183,2016,2015,total,480\n\
         SE,0183,2019,new,total,530\nSE,0183,2021,new,total,560\n\
         SE,0184,2012,new,total,500\nSE,0184,2016,2015,total,480\n\
         SE,0185,2018,new,total,411\nSE,0185,2020,new,total,450\nSE,0185,2020,2020,total,440\n\
         SE,0186,2018,new,total,400\nSE,0186,2022,2020,total,430\n\
         SE,0187,2008,old,total,600\nSE,0187,2012,new,total,520\n\
         SE,0188,2010,old,total,600\nSE,0188,2010,new,total,520\n",
    );
    wd.run_expect(
        &[
            "run", "-i", "in.csv", "-o", "out", "-q", "--charts", "none", "--report", "summary",
        ],
        0,
    );
    let index = String::from_utf8(wd.read("out/report/index.html")).unwrap();
    let list = &index[index.find("id=\"kommunlista\"").unwrap()..];
    let of = |code: &str| {
        let at = list
            .find(&format!(">{code}</td>"))
            .unwrap_or_else(|| panic!("no row for {code}"));
        let tr = &list[at..at + list[at..].find("</tr>").unwrap()];
        // Year, total, scale and change: the last four cells.
        let cells: Vec<String> = tr
            .split("<td")
            .skip(1)
            .map(|c| text(&format!("<td{c}")))
            .collect();
        cells[cells.len() - 4..].to_vec()
    };
    assert_eq!(of("0180"), ["2014", "", "2010 års skala", ""]);
    assert_eq!(of("0181"), ["2012", "520", "2010 års skala", "+20"]);
    assert_eq!(of("0182"), ["2010", "540", "2010 års skala", ""]);
    assert_eq!(of("0183"), ["2021", "560", "2010 års skala", "+30"]);
    assert_eq!(of("0184"), ["2016", "480", "2015 års skala", ""]);
    assert_eq!(of("0185"), ["2020", "440", "2020 års skala", ""]);
    assert_eq!(of("0186"), ["2022", "430", "2020 års skala", "+40* ± ?"]);
    assert_eq!(of("0187"), ["2012", "520", "2010 års skala", "−5* ± 63,5"]);
    assert!(
        index.contains("* över skalbytet, på 2010 års skala (länkade poäng: inte skillnaden"),
        "the note"
    );
}

/// The index counts the evaluations the run summary counts: those with a
/// score. 0114's only rows conflict (50 and 60 for area 1): both are
/// rejected, and 0114 2012 is no evaluation of the data; 0115 2013 is.
#[test]
fn the_index_counts_evaluations_as_the_summary_does() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n\
         0114,2012,new,1,50\n0114,2012,new,1,60\n0115,2013,new,1,55\n",
    );
    let out = wd.run_expect(&["run", "-i", "in.csv", "-o", "out", "--charts", "none"], 0);
    assert!(
        crate::workdir::stdout(&out).contains("evaluations: 1 with 1 scores"),
        "{}",
        crate::workdir::stdout(&out)
    );
    let index = text(&String::from_utf8(wd.read("out/report/index.html")).unwrap());
    assert!(index.contains("Utvärderingar: 1."), "{index}");
}

/// Groups whose codes give the same page name (`Å1` beside `1`, `a2`
/// beside `A2` and `b3` beside `B3` on a file system that ignores case;
/// a code with two names or a name with two codes is refused by the
/// register) each get their own page: the last one written had overwritten
/// the others, and the index linked both to it. Numbered in sorted order.
#[test]
fn every_group_has_its_own_page_however_alike_their_codes() {
    let wd = Workdir::new();
    wd.create(
        "register.csv",
        "country,code,name,group_2017_code,group_2017_name\n\
         SE,0114,Upplands Väsby,A2,Pendlingskommun nära storstad\n\
         SE,0115,Vallentuna,a2,Pendlingskommun nära storstäder\n\
         SE,0117,Österåker,Å1,Storstäder Å\n\
         SE,0120,Värmdö,1,Storstäder\n\
         SE,0123,Järfälla,b3,Större städer\n\
         SE,0125,Ekerö,B3,Större stad\n",
    );
    let rows: String = ["0114", "0115", "0117", "0120", "0123", "0125"]
        .iter()
        .map(|code| format!("{code},2012,new,total,400\n"))
        .collect();
    wd.create(
        "in.csv",
        format!("municipality_code,eval_year,scale,item,score\n{rows}"),
    );
    let args = ["run", "-i", "in.csv", "--register", "register.csv"];
    let out = wd.run_expect(&[&args[..], &["-o", "out", "--charts", "none"]].concat(), 0);
    let pages = [
        ("1 Storstäder", "group_1.html"),
        ("A2 Pendlingskommun nära storstad", "group_A2.html"),
        ("a2 Pendlingskommun nära storstäder", "group_a2-2.html"),
        ("B3 Större stad", "group_B3.html"),
        ("b3 Större städer", "group_b3-2.html"),
        ("Å1 Storstäder Å", "group_1-2.html"),
    ];
    // The index and the six group pages, each page its group's.
    assert!(
        stdout(&out).contains("wrote 13 files into out/report"),
        "{}",
        stdout(&out)
    );
    let index = String::from_utf8(wd.read("out/report/index.html")).expect("utf-8");
    for (group, page) in pages {
        let html = String::from_utf8(wd.read(&format!("out/report/{page}"))).expect("utf-8");
        assert!(
            html.contains(&format!("<h1><span lang=\"sv\">{group}")),
            "{page}: not {group}"
        );
        let link = format!("<a href=\"{page}\"><span lang=\"sv\">{group}</span></a>");
        assert!(index.contains(&link), "{link}");
    }
}

/// The English report is English on the group pages too, shows the rules'
/// `code` as code rather than backticks, and with `--charts none` names
/// no "charts above".
#[test]
fn the_english_report_and_a_report_without_charts_say_what_is_there() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "country,municipality_code,eval_year,scale,item,score\n\
         SE,0114,2010,new,total,400\nSE,0114,2014,new,total,420\nSE,114,2012,new,total,410\n",
    );
    wd.run_expect(
        &[
            "run", "-i", "in.csv", "-o", "out", "--charts", "none", "--lang", "en", "-q",
        ],
        0,
    );
    let index = String::from_utf8(wd.read("out/report/index.html")).expect("utf-8");
    assert!(
        index.contains("(<code>114</code> for <code>0114</code>"),
        "{index}"
    );
    assert!(!index.contains('`'), "no backtick left");
    assert!(!index.contains("charts above"), "no charts were drawn");
    // "SE" is Sweden in the profile's columns: the standard errors are
    // written out.
    assert!(index.contains("<th>Std. error sampling</th>") && !index.contains("SE sampling"));
    // Upplands Väsby is in group A2 (SKR 2017).
    let group = String::from_utf8(wd.read("out/report/group_A2.html")).expect("utf-8");
    assert!(
        group.contains("<p>Municipality group (SKR 2017). Basis:"),
        "{group}"
    );
}

/// A mean on the linked scale carries its error on the pages, as in
/// `averages.csv`: the index's national profile and kommungrupp table have
/// a "± (95 %)" column (on every scale), and a municipality's comparison gives the national
/// and group means with ±; they were shown bare. 2020 totals linked to the
/// new scale by the mean difference of three dual-scored municipalities,
/// (40 + 46 + 50) / 3: 0117's 410 of 2021 is 455.33, and the national mean
/// of the latest totals on the linked scale (440, 466, 480, 455.33) 460.33.
#[test]
fn a_linked_mean_carries_its_error_on_the_pages() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n\
         0114,2020,2020,total,400\n0114,2020,new,total,440\n\
         0115,2020,2020,total,420\n0115,2020,new,total,466\n\
         0116,2020,2020,total,430\n0116,2020,new,total,480\n\
         0117,2016,new,total,450\n0117,2021,2020,total,410\n",
    );
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "o", "-q", "--charts", "none"],
        0,
    );
    // Half of each interval as averages.csv gives it, as a page writes it.
    let averages = wd.table("o/averages.csv").records();
    let half = |grouping: &str| {
        let r = (averages.iter())
            .find(|r| r["scale"] == "linked" && r["grouping"] == grouping && r["item"] == "total")
            .expect("a linked row");
        let ci: f64 = r["ci_high"].parse::<f64>().unwrap() - r["ci_low"].parse::<f64>().unwrap();
        assert!(ci > 0.0);
        format!("{:.1}", ci / 2.0).replace('.', ",")
    };
    let (national, group) = (half("national"), half("kommungrupp2017"));
    let index = String::from_utf8(wd.read("o/report/index.html")).unwrap();
    assert!(index.contains("<th>SE medel</th><th>±&nbsp;(95&nbsp;%)</th><th>SE sd</th><th>n</th>"));
    let row = format!("<tr><td class=\"t\">Totalt</td><td>460,3</td><td>{national}</td>");
    assert!(index.contains(&row), "{row}");
    assert!(index.contains(
        "± är halva 95 %-intervallet för medlet: på den länkade skalan samplingsfelet och \
         länkningsfelet"
    ));
    // Without charts the change table's heading is the section's.
    assert!(index.contains("<h2 id=\"trender\">Förändring mellan omgångar, totalpoäng</h2>"));
    // A native scale's means carry their sampling error on the index too
    // (they were shown bare): the 2020 totals 400, 420, 430, 410, mean 415,
    // sd √(500 / 3) = 12.91, ± t(0.975, 3) · 12.91 / 2 = 3.1824 · 6.455 =
    // 20.54.
    let row = "<tr><td class=\"t\">Totalt</td><td>415</td><td>20,5</td><td>12,9</td><td>4</td>";
    assert!(index.contains(row), "{row}");
    let page = String::from_utf8(wd.read("o/report/SE_0117.html")).unwrap();
    let cells = format!(
        "<td>460,3&nbsp;±&nbsp;{national} <small>(n=4)</small></td><td>−5</td>\
         <td>453,8&nbsp;±&nbsp;{group} <small>(n=3)</small></td>"
    );
    assert!(page.contains(&cells), "{cells}");
    assert!(page.contains("På den länkade skalan är medlens ± halva deras 95 %-intervall"));
    // A native scale's means are shown without.
    assert!(page.contains("<td>415 <small>(n=4)</small></td>"));
}

/// The index's table of groups runs in the groups' natural order, as
/// `averages.csv` does: `C9` before `C10` (as text, `C10` came first).
#[test]
fn the_index_lists_groups_in_their_natural_order() {
    let wd = Workdir::new();
    wd.create(
        "register.csv",
        "country,code,name,group_2017_code,group_2017_name\n\
         SE,0114,Upplands Väsby,C10,Tio\n\
         SE,0115,Vallentuna,C9,Nio\n",
    );
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,new,total,400\n\
         0115,2012,new,total,410\n",
    );
    report_with_register(&wd);
    let index = String::from_utf8(wd.read("out/report/index.html")).expect("utf-8");
    let at = |g: &str| {
        index
            .find(&format!(">{g}</span></a>"))
            .unwrap_or_else(|| panic!("{g}"))
    };
    assert!(at("C9 Nio") < at("C10 Tio"));
    assert!(index.contains("<a href=\"group_C9.html\"><span lang=\"sv\">C9 Nio</span></a>"));
}

/// With every evaluation as the basis no mean has an interval (a
/// municipality may count more than once): the index and the group pages
/// have no ± column, where it stood empty on every row.
#[test]
fn with_every_evaluation_as_the_basis_no_column_of_intervals() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n\
         0114,2012,new,total,440\n0114,2016,new,total,460\n0115,2012,new,total,500\n",
    );
    let run = |basis: &str| {
        let args = [
            "run", "-i", "in.csv", "-o", basis, "-q", "--charts", "none", "--basis", basis,
        ];
        wd.run_expect(&args, 0);
        let index = String::from_utf8(wd.read(&format!("{basis}/report/index.html"))).unwrap();
        let group = String::from_utf8(wd.read(&format!("{basis}/report/group_A2.html"))).unwrap();
        (index, group)
    };
    let (index, group) = run("all");
    assert!(!index.contains("(95&nbsp;%)") && !group.contains("(95&nbsp;%)"));
    assert!(!index.contains("± är halva") && !group.contains("± är halva"));
    // Totals 440, 460, 500: mean 466.7, sd √(1866.7 / 2) = 30.6, n 3.
    assert!(index.contains("<tr><td class=\"t\">Totalt</td><td>466,7</td><td>30,6</td><td>3</td>"));
    let (index, group) = run("latest");
    assert!(index.contains("±&nbsp;(95&nbsp;%)") && group.contains("±&nbsp;(95&nbsp;%)"));
}

/// An SD and a ± keep their one decimal where it is 0, so that their
/// column reads alike: area 1 of 50, 60 and 70 is 60, SD 10 (by hand:
/// √((100 + 0 + 100) / 2)), ± t(0.975, 2) · 10 / √3 = 4.302653 · 5.773503
/// = 24.84 (scipy's t.ppf); the SD was shown `10` beside `8,6` and the
/// mean stays `60`, as a score is shown.
#[test]
fn a_spread_keeps_its_decimal() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n\
         0114,2012,new,1,50\n0115,2012,new,1,60\n0117,2012,new,1,70\n",
    );
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "out", "-q", "--charts", "none"],
        0,
    );
    let index = String::from_utf8(wd.read("out/report/index.html")).unwrap();
    assert_eq!(
        row(&index, "id=\"profil\"", "1 Offentlighet och demokrati")[1..],
        ["60", "24,8", "10,0", "3"]
    );
}
