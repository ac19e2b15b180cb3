//! What the report's pages say of the countries, the empty cells and the
//! notes they carry (the report audit of the seventy-fifth session, over
//! Swedish, Norwegian and Danish pages in both languages): a note only
//! where what it speaks of is on the page, an empty cell explained.

use crate::workdir::{Workdir, words};

/// Runs `in.csv` into `out` (`extra` flags) and reads the report's
/// `page`.
pub(crate) fn run_page(wd: &Workdir, extra: &str, page: &str) -> String {
    let args = format!("run -i in.csv -o out -q {extra}");
    wd.run_expect(&words(&args), 0);
    String::from_utf8(wd.read(&format!("out/report/{page}"))).unwrap()
}

/// Three Swedish municipalities (0114 and 0115 of group A2, Stockholm
/// 0180 of A1 on the 2020 scale) and Oslo. By hand:
/// - 0115 has area 1 only on the new scale: its area 2 row shows the
///   others' means, Sweden's 70 (0114 alone, n = 1; Oslo's 44 is
///   Norway's) and A2's 70, and `–` for its score, differences, ranks
///   and percentiles (all but the `–` was empty); area 3, which no one
///   has, empty means; its total Sweden's and A2's 500.
/// - SKL's reports are Swedish: their remark on percent is on 0114's
///   page, not on Oslo's.
/// - The group pages' national average is Sweden's, named so beside
///   Norway: "Medel kommuner (SE)".
/// - A2 has no 2020 total and A1 no new one: the index's group table
///   says why a scale is empty, and A2's page why areas 3–8 are.
/// - No change crosses the change of scale: the list's note has no `*`.
#[test]
fn empty_cells_and_country_notes_are_explained() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "country,municipality_code,eval_year,scale,item,score\n\
         SE,0114,2012,new,1,60\nSE,0114,2012,new,2,70\nSE,0114,2012,new,total,500\n\
         SE,0115,2012,new,1,50\nSE,0180,2020,2020,total,400\n\
         NO,0301,2012,new,1,40\nNO,0301,2012,new,2,44\n",
    );
    let page = run_page(&wd, "--charts none", "SE_0115.html");
    let gap = |label: &str, nat: &str| {
        format!(
            "<tr><td class=\"t\">{label}</td><td>–</td><td>{nat}</td><td>–</td><td>{nat}</td>{}</tr>",
            "<td>–</td>".repeat(5)
        )
    };
    let area2 = gap(
        "2 Tillgänglighet och brukarorientering",
        "70 <small>(n=1)</small>",
    );
    assert!(page.contains(&area2), "{page}");
    assert!(
        page.contains(&gap("3 Politisk styrning och kontroll", "")),
        "{page}"
    );
    assert!(
        page.contains(&gap("Totalt", "500 <small>(n=1)</small>")),
        "{page}"
    );
    assert!(page.contains("utan poäng ingen skillnad, rang eller percentil"));
    let skl = "SKL:s rapporter räknade procenten på oavrundade poäng";
    let read = |p: &str| String::from_utf8(wd.read(&format!("out/report/{p}"))).unwrap();
    assert!(read("SE_0114.html").contains(skl));
    let oslo = read("NO_0301.html");
    assert!(
        oslo.contains("Procent är uppnått av max") && !oslo.contains(skl),
        "{oslo}"
    );
    let group = read("group_A2.html");
    assert!(group.contains("<th>Medel kommuner (SE)</th>"), "{group}");
    assert!(!group.contains("<th>Medel kommuner</th>"), "{group}");
    assert!(group.contains("En rad utan gruppens medel: ingen av gruppens kommuner har området"));
    assert!(!group.contains("skalbytet"), "{group}");
    let index = read("index.html");
    assert!(index.contains("En skala utan medel: ingen av gruppens kommuner har en totalpoäng"));
    assert!(!index.contains("* över skalbytet, på"), "{index}");
}

/// Where validation finds nothing, the index says so: it showed a table
/// of its heads alone.
#[test]
fn no_findings_are_said_not_tabled() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,new,total,500\n",
    );
    let index = run_page(&wd, "--charts none --lang en", "index.html");
    assert_eq!(wd.table("out/validation.csv").records().len(), 0);
    let validation = &index[index.find("id=\"validering\"").unwrap()..];
    let validation = &validation[..validation.find("<h2").unwrap_or(validation.len())];
    assert!(validation.contains("Validation found nothing to note (validation.csv is empty)."));
    assert!(!validation.contains("<table"), "{validation}");
}

/// Upplands Väsby and Vallentuna dual-scored in 2010 (area 1: a mean
/// link, +11), Österåker on the old scale in 2008 (areas 1 and 2) and the
/// new one in 2012 (area 1).
const DUAL: &str = "municipality_code,eval_year,scale,item,score\n\
                    0114,2010,old,1,50\n0114,2010,new,1,60\n0115,2010,old,1,40\n\
                    0115,2010,new,1,52\n0117,2008,old,1,45\n0117,2008,old,2,50\n\
                    0117,2012,new,1,58\n";

/// Upplands Väsby 2010 on the old and the new scale: two radars whose
/// `alt` texts were the same ("Upplands Väsby 2010 mot medel kommuner")
/// name their scales. Österåker's one change, 2008 old → 2012 new, is
/// across the change of scale (a mean link of 0114 and 0115): the note
/// that same-scale changes carry no linking error spoke of tables not on
/// its page, and its area 2 row, with no score at either end, had an
/// empty interval where its change is `–`.
#[test]
fn radars_of_one_year_are_told_apart_and_a_linked_page_s_notes_fit() {
    let wd = Workdir::new();
    wd.create("in.csv", DUAL);
    let page = run_page(&wd, "--charts all", "SE_0114.html");
    let alts: Vec<&str> = (page.split("alt=\"Radardiagram: ").skip(1))
        .filter_map(|a| a.split('"').next())
        .collect();
    assert_eq!(alts.len(), 2, "{page}");
    assert!(
        alts[0]
            .starts_with("Upplands Väsby 2010, Kommunkompassen före 2010 (äldre poängskala) mot")
    );
    assert!(
        alts[1].starts_with(
            "Upplands Väsby 2010, Kommunkompassen, reviderad 2010 (ny poängskala) mot"
        )
    );
    let linked = String::from_utf8(wd.read("out/report/SE_0117.html")).unwrap();
    assert!(linked.contains(">2008 → 2012 — Poäng länkade till 2010 års skala</h3>"));
    assert!(!linked.contains("Förändringar på samma skala"), "{linked}");
    let row = "<tr><td class=\"t\">2 Tillgänglighet och brukarorientering</td><td>–</td><td>–</td>\
               <td>–</td><td>–</td></tr>";
    assert!(linked.contains(row), "{linked}");
}

/// Notes that name what the run wrote (review of the seventy-fifth
/// session): with `--format parquet` the linked value's note names
/// `linked_scores.parquet` (it named the CSV, not in the folder), and
/// under `--basis all`, where a row without a score shows no means (the
/// averages are of another basis than the benchmarks'), its note does not
/// say it shows them.
#[test]
fn notes_name_the_files_and_figures_the_run_wrote() {
    let wd = Workdir::new();
    wd.create("in.csv", DUAL);
    let page = run_page(&wd, "--charts none --format parquet", "SE_0117.html");
    assert!(wd.exists("out/linked_scores.parquet") && !wd.exists("out/linked_scores.csv"));
    assert!(
        page.contains("på sin skala, och i linked_scores.parquet."),
        "{page}"
    );
    assert!(page.contains("men de andra kommunernas medel."), "{page}");
    let all = run_page(&wd, "--charts none --basis all", "SE_0117.html");
    let note = "utan poäng ingen skillnad, rang eller percentil.";
    assert!(all.contains(note), "{all}");
    assert!(
        all.contains("på sin skala, och i linked_scores.csv."),
        "{all}"
    );
}

/// An area table's head row shows the area's number and name over its
/// sub-questions' (as SKL's reports do), so a screen reader named the
/// columns "1" and "Offentlighet och demokrati", and Upplands Väsby's two
/// 2010 tables of area 1 (old and new scale) had nothing to tell them
/// apart (accessibility audit of the seventy-sixth session): the columns
/// are named "Nr" and "Fråga" for a screen reader, and each table by an
/// unseen caption with its area, year and scale.
#[test]
fn an_area_tables_caption_and_columns_name_it() {
    let wd = Workdir::new();
    wd.create("in.csv", DUAL);
    let page = run_page(&wd, "--charts none", "SE_0114.html");
    let captions: Vec<&str> = (page.split("<caption class=\"sr\">").skip(1))
        .map(|c| &c[..c.find("</caption>").unwrap()])
        .collect();
    assert_eq!(captions.len(), 16, "{page}");
    for scale in [
        "Kommunkompassen före 2010 (äldre poängskala)",
        "Kommunkompassen, reviderad 2010 (ny poängskala)",
    ] {
        let name = format!("1 Offentlighet och demokrati — 2010, {scale}");
        assert_eq!(
            captions.iter().filter(|c| **c == name).count(),
            1,
            "{captions:?}"
        );
    }
    let head = "<tr><th class=\"t\" aria-label=\"Nr\">1</th>\
                <th class=\"t\" aria-label=\"Fråga\">Offentlighet och demokrati</th>";
    assert_eq!(page.matches(head).count(), 2, "{page}");
}
