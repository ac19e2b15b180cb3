//! What a municipality's page says of what it lacks (the report audit of
//! the thirty-ninth session): a municipality not in the register, and an
//! area or total without a score at both ends of a change.

use crate::test_report::row;
use crate::workdir::Workdir;

/// Runs `in.csv` into `out` with the report and no charts; the page of
/// `name`.
fn page_of(wd: &Workdir, name: &str) -> String {
    let args = ["run", "-i", "in.csv", "-o", "out", "-q", "--charts", "none"];
    wd.run_expect(&args, 0);
    String::from_utf8(wd.read(&format!("out/report/{name}"))).unwrap()
}

/// A Swedish code the register does not have (9953) has no group: its
/// page said that SKR's groups are for Swedish municipalities only, which
/// is no reason for a Swedish one. It says the municipality is not in the
/// register; a registered municipality of another country keeps the
/// old note.
#[test]
fn a_municipality_not_in_the_register_is_said_to_be_so() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "country,municipality_code,municipality,eval_year,scale,item,score\n\
         SE,9953,Tåtalby,2012,new,total,480\nSE,9953,Tåtalby,2016,new,total,510\n\
         NO,0301,Oslo,2012,new,total,450\n",
    );
    let page = page_of(&wd, "SE_9953.html");
    assert!(
        page.contains("Kommunen finns inte i registret (dess kod i dess land)"),
        "{page}"
    );
    assert!(!page.contains("gäller bara svenska kommuner"));
    let oslo = String::from_utf8(wd.read("out/report/NO_0301.html")).unwrap();
    assert!(oslo.contains("SKR:s grupper gäller bara svenska kommuner"));
}

/// Areas 2, 3, 5, 6, 7 and 8 and the total of 0114's 2014 round are not
/// given: the change from 2010 listed areas 1 and 4 alone, without a word
/// (the comparison table above it shows such rows as `–`). Every area and
/// the total now has a row, `–` in the change where an end has no score,
/// with a note. By hand: area 1 50 → 55 is +5, area 4 60 → 70 is +10.
#[test]
fn the_change_table_names_an_area_without_both_ends() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,a1,a2,a3,a4,a5,a6,a7,a8,total\n\
         0114,2010,new,50,50,50,60,50,50,50,50,410\n\
         0114,2014,new,55,,,70,,,,,\n",
    );
    let page = page_of(&wd, "SE_0114.html");
    let change = |label: &str| row(&page, "id=\"forandring\"", label);
    assert_eq!(
        change("1 Offentlighet och demokrati")[1..4],
        ["50", "55", "+5"]
    );
    assert_eq!(
        change("4 Ledarskap, ansvar och delegation")[1..4],
        ["60", "70", "+10"]
    );
    for label in [
        "2 Tillgänglighet och brukarorientering",
        "8 Kommunen som samhällsbyggare",
        "Totalt",
    ] {
        assert_eq!(change(label)[1..5], ["", "", "–", ""], "{label}");
    }
    assert!(page.contains("Området eller totalen har ingen poäng i en av de två omgångarna"));
}
