//! What a municipality page marks in its tables: a missing total, an
//! area without a score in the comparison, a score kompass derived from
//! its parts, a side with no sub-questions.

use crate::test_report_texts::page;
use crate::workdir::Workdir;

/// An evaluation without a total shows `–` in the evaluations table, as a
/// missing score shows everywhere else (the cell was empty), and an area's
/// sum row is named (its first two cells were empty).
#[test]
fn a_missing_total_and_the_area_row_are_named() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,new,1,55\n0114,2012,new,1.1,9\n",
    );
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "out", "-q", "--charts", "none"],
        0,
    );
    let page = String::from_utf8(wd.read("out/report/SE_0114.html")).unwrap();
    let table = &page[page.find("id=\"utvarderingar\"").unwrap()..];
    let row = &table[table.find("<tr><td").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.ends_with("<td>–</td>"), "{row}");
    // The area's row: a row header and its figures as data.
    assert!(page.contains(
        "<tr class=\"sum\"><td class=\"t\"></td><th class=\"t\" scope=\"row\">Området</th><td>55</td>"
    ));
}

/// The comparison table has every area once any is in the evaluation, one
/// without a score a row of `–` (it was left out, where the area tables
/// show it), and a note says why; an evaluation of its total alone has no
/// rows of `–`. 0114: areas 1-7 and the total (wide, no area 8); 0115:
/// area 1 only, for a national mean of area 1 of (50 + 60) / 2 = 55; 0117:
/// the total alone. A row of `–` has the others' means where they have
/// one (0115's area 2: 0114's 50, in Sweden and in their group A2), else
/// nothing (area 8: no one has it); its differences, ranks and
/// percentiles `–` (they were empty).
#[test]
fn the_comparison_names_an_area_without_a_score() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,a1,a2,a3,a4,a5,a6,a7,total\n\
         0114,2012,new,50,50,50,50,50,50,50,400\n0115,2012,new,60,,,,,,,\n\
         0117,2012,new,,,,,,,,420\n",
    );
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "out", "-q", "--charts", "none"],
        0,
    );
    let page = String::from_utf8(wd.read("out/report/SE_0114.html")).unwrap();
    let row = |label: &str| crate::test_report::row(&page, "id=\"jamforelse\"", label);
    assert_eq!(
        row("1 Offentlighet och demokrati")[1..4],
        ["50", "55 (n=2)", "−5"]
    );
    let eight = row("8 Kommunen som samhällsbyggare");
    let none = ["–", "", "–", "", "–", "–", "–", "–", "–"];
    assert_eq!(eight[1..], none, "{eight:?}");
    let other = String::from_utf8(wd.read("out/report/SE_0115.html")).unwrap();
    let two = crate::test_report::row(
        &other,
        "id=\"jamforelse\"",
        "2 Tillgänglighet och brukarorientering",
    );
    let others = ["–", "50 (n=1)", "–", "50 (n=1)", "–", "–", "–", "–", "–"];
    assert_eq!(two[1..], others, "{two:?}");
    assert!(page.contains("Området finns inte i utvärderingen eller avvisades"));
    let total_only = String::from_utf8(wd.read("out/report/SE_0117.html")).unwrap();
    let table = &total_only[total_only.find("id=\"jamforelse\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    assert!(!table.contains("<td>–</td>"), "{table}");
    assert!(table.contains("<td class=\"t\">Totalt</td>"));
}

/// A score derived from its parts is marked `Σ` on the municipality's page,
/// with a note saying so, as `evaluations.csv` marks it `derived` (from the
/// nothing-lost audit: the page showed derived totals and areas as if
/// the data had given them). By hand: Östersund 2010's eight areas of the
/// seed, 68 + 66 + 77 + 64 + 57 + 74 + 66 + 76 = 548, no total given; area
/// 1 of 2012 from its sub-questions 15 + 20 + 25 + 30 + 10 = 100, with the
/// published total 700. A page without a derived score has neither. The
/// comparison (0114's latest: area 1) and the change between rounds
/// (Östersund's total 2010 -> 2013, 548 -> 560 given) mark it too.
#[test]
fn a_score_derived_from_its_parts_is_marked_on_the_page() {
    let wd = Workdir::new();
    let mut text = String::from(
        "municipality_code,eval_year,scale,item,score\n0114,2012,new,total,700\n\
         0115,2012,new,total,400\n2380,2013,new,total,560\n",
    );
    for (area, v) in [68, 66, 77, 64, 57, 74, 66, 76].iter().enumerate() {
        text += &format!("2380,2010,new,{},{v}\n", area + 1);
    }
    text += &crate::test_wide_cells::area_1_in_full("0114,2012,new");
    wd.create("in.csv", &text);
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "sv", "-q", "--charts", "none"],
        0,
    );
    let ostersund = page(&wd, "sv/report/SE_2380.html");
    assert!(
        ostersund.contains("<td>2010</td><td class=\"t\">2010 (ny)</td><td>548&nbsp;Σ</td>")
            || ostersund.contains("<td>548&nbsp;Σ</td></tr>"),
        "{ostersund}"
    );
    assert!(ostersund.contains("<p class=\"note\">Σ Summan av delarna"));
    let vasby = page(&wd, "sv/report/SE_0114.html");
    assert!(vasby.contains("<td>700</td></tr>"), "{vasby}");
    assert!(vasby.contains("Området</th><td>100&nbsp;Σ</td>"), "{vasby}");
    assert!(!page(&wd, "sv/report/SE_0115.html").contains('Σ'));
    // The sections after the evaluations table: the comparison, the change.
    let section = |page: &str, id: &str| {
        let at = page.find(&format!("<h2 id=\"{id}\"")).expect(id);
        let end = page[at + 4..]
            .find("<h2")
            .map_or(page.len(), |e| at + 4 + e);
        page[at..end].to_string()
    };
    let compared = section(&vasby, "jamforelse");
    assert!(
        compared.contains("<td class=\"t\">1 Offentlighet och demokrati</td><td>100&nbsp;Σ</td>"),
        "{compared}"
    );
    assert!(compared.contains("<p class=\"note\">Σ Summan av delarna"));
    let change = section(&ostersund, "forandring");
    assert!(
        change.contains("<td class=\"t\">Totalt</td><td>548&nbsp;Σ</td><td>560</td><td>+12</td>"),
        "{change}"
    );
    assert!(change.contains("<p class=\"note\">Σ Summan av delarna"));
    assert!(!section(&ostersund, "jamforelse").contains('Σ'));
    // The notes name the tables as --format wrote them (Parquet audit:
    // `benchmarks.csv` in a folder of `benchmarks.parquet`).
    let names = |page: &str, ext: &str| {
        page.contains(&format!("(origin = derived i evaluations.{ext})"))
            && page.contains(&format!("underlaget (benchmarks.{ext})"))
    };
    assert!(names(&vasby, "csv"), "{vasby}");
    let args = ["run", "-i", "in.csv", "-o", "pq", "-q", "--charts", "none"];
    wd.run_expect(&[&args[..], &["--format", "parquet"]].concat(), 0);
    let parquet = page(&wd, "pq/report/SE_0114.html");
    assert!(names(&parquet, "parquet"), "{parquet}");
    assert!(!parquet.contains("evaluations.csv") && !parquet.contains("benchmarks.csv"));
}

/// A municipality above the national average on every sub-question: the
/// weak side says there is none (its heading had been left out, and the
/// page showed "Starkast och svagast" with the strongest alone). 0114 has
/// 10 of 15, 16 of 20, 20 of 25, 24 of 30 and 8 of 10; 0115 half of each
/// but 1.1 (5): every national mean is below 0114's score.
#[test]
fn a_side_with_no_sub_question_says_so() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,q1.1,q1.2,q1.3,q1.4,q1.5\n\
         0114,2012,new,10,16,20,24,8\n0115,2012,new,5,10,12.5,15,5\n",
    );
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "out", "-q", "--charts", "none"],
        0,
    );
    let page = String::from_utf8(wd.read("out/report/SE_0114.html")).unwrap();
    let weak = page.find(">Svagast").expect("the weak side's heading");
    assert!(page.find(">Starkast").expect("the strong side") < weak);
    assert!(
        page[weak..].contains(
            "<p class=\"note\">Ingen delfråga under riksmedel (i hela procentenheter).</p>"
        ),
        "{}",
        &page[weak..]
    );
}
