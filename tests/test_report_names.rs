//! Municipalities' names in the report: direction and control characters
//! left out, each country's alphabetical order, a code where no name is
//! given.

use crate::workdir::Workdir;

/// Runs `in.csv` with `register.csv` into `out`, without charts.
pub fn report_with_register(wd: &Workdir) {
    let args = ["run", "-i", "in.csv", "--register", "register.csv"];
    wd.run_expect(
        &[&args[..], &["-o", "out", "--charts", "none", "-q"]].concat(),
        0,
    );
}

/// The report of one evaluation of Vallentuna (SE 0116), named `name` in
/// the register.
fn report_of_one_named(name: &str) -> Workdir {
    let wd = Workdir::new();
    wd.create(
        "register.csv",
        format!("country,code,name\nSE,0116,{name}\n"),
    );
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0116,2012,new,total,400\n",
    );
    report_with_register(&wd);
    wd
}

/// A right-to-left override in a municipality's name (U+202E) reversed the
/// rest of its heading, "(SE 0116)" shown as "(6110 ES)": the report
/// leaves the direction controls out, the CSV outputs keep the name as
/// given.
#[test]
fn a_names_direction_controls_do_not_turn_the_page() {
    let wd = report_of_one_named("\u{202e}Vallentuna\u{2066}x\u{2069}");
    for page in ["out/report/SE_0116.html", "out/report/index.html"] {
        let html = String::from_utf8(wd.read(page)).expect("utf-8");
        assert!(html.contains("Vallentunax"), "{page}: the name");
        assert!(
            !html.contains(['\u{202e}', '\u{2066}', '\u{2069}']),
            "{page}"
        );
    }
    let page = String::from_utf8(wd.read("out/report/SE_0116.html")).expect("utf-8");
    assert!(page.contains("<h1>Vallentunax (SE 0116)"), "the heading");
    let names = wd.table("out/benchmarks.csv").column("municipality");
    assert_eq!(names[0], "\u{202e}Vallentuna\u{2066}x\u{2069}");
}

/// Control characters in a name (NUL, U+0001, a form feed), which HTML
/// does not allow in text, are U+FFFD on the pages, as in the SVG charts;
/// the CSV outputs keep the name as given.
#[test]
fn a_names_control_characters_are_not_written_into_a_page() {
    let wd = report_of_one_named("Valle\u{0}n\u{1}tu\u{c}na");
    for page in ["out/report/SE_0116.html", "out/report/index.html"] {
        let html = String::from_utf8(wd.read(page)).expect("utf-8");
        assert!(
            html.contains("Valle\u{fffd}n\u{fffd}tu\u{fffd}na"),
            "{page}"
        );
        assert!(!html.contains(['\u{0}', '\u{1}', '\u{c}']), "{page}");
    }
    let names = wd.table("out/benchmarks.csv").column("municipality");
    assert_eq!(names[0], "Valle\u{0}n\u{1}tu\u{c}na");
}

/// The municipality list is in each country's alphabetical order: Swedish
/// å, ä, ö after z, Danish æ, ø, å with "aa" read as å (Unicode's order
/// put Älmhult before Åmål and Aabenraa first).
#[test]
fn the_list_is_in_each_country_s_alphabetical_order() {
    let wd = Workdir::new();
    wd.create(
        "register.csv",
        "country,code,name\nSE,0114,Älmhult\nSE,0115,Åmål\nSE,0117,Ale\nSE,0120,Örebro\n\
         DK,101,Aabenraa\nDK,147,Assens\nDK,151,Ærø\n",
    );
    let mut rows = String::from("country,municipality_code,eval_year,scale,item,score\n");
    for (country, code) in [
        ("SE", "0114"),
        ("SE", "0115"),
        ("SE", "0117"),
        ("SE", "0120"),
        ("DK", "101"),
        ("DK", "147"),
        ("DK", "151"),
    ] {
        rows.push_str(&format!("{country},{code},2012,new,total,400\n"));
    }
    wd.create("in.csv", rows);
    report_with_register(&wd);
    let index = String::from_utf8(wd.read("out/report/index.html")).expect("utf-8");
    let at = |name: &str| index.find(&format!(".html\">{name}</a>")).expect(name);
    let order = [
        "Assens", "Ærø", "Aabenraa", "Ale", "Åmål", "Älmhult", "Örebro",
    ];
    let places: Vec<usize> = order.iter().map(|n| at(n)).collect();
    assert!(
        places.windows(2).all(|w| w[0] < w[1]),
        "{order:?} at {places:?}"
    );
}

/// A municipality not in the register whose rows leave its name empty,
/// blank or only direction characters is named by its code on the pages:
/// its page had `<title></title>` and the index an empty link (nothing to
/// click); the CSV outputs keep the name as given.
#[test]
fn a_municipality_without_a_name_is_named_by_its_code() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "country,municipality_code,municipality,eval_year,scale,item,score\n\
         SE,9951,,2014,new,total,436\nSE,9952,\u{202e}\u{202c},2014,new,total,440\n\
         SE,9953,\"   \",2014,new,total,450\nSE,9954,Nyby,2014,new,total,460\n",
    );
    wd.run_expect(
        &["run", "-i", "in.csv", "-o", "out", "-q", "--charts", "none"],
        0,
    );
    let index = String::from_utf8(wd.read("out/report/index.html")).unwrap();
    for code in ["9951", "9952", "9953"] {
        let link = format!("<a href=\"SE_{code}.html\">SE {code}</a>");
        assert!(index.contains(&link), "{link}");
        let page = String::from_utf8(wd.read(&format!("out/report/SE_{code}.html"))).unwrap();
        let title = format!("<title>SE {code} — Kommunkompassen</title>");
        assert!(page.contains(&title) && page.contains(&format!("<h1>SE {code}</h1>")));
    }
    assert!(index.contains("<a href=\"SE_9954.html\">Nyby</a>"));
    let page = String::from_utf8(wd.read("out/report/SE_9954.html")).unwrap();
    let title = "<title>Nyby — Kommunkompassen</title>";
    assert!(page.contains(title) && page.contains("<h1>Nyby (SE 9954)</h1>"));
    let names = wd.table("out/evaluations.csv").column("municipality");
    // (Ingest trims a name's spaces.)
    assert_eq!(names, ["", "\u{202e}\u{202c}", "", "Nyby"]);
}
