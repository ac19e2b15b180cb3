//! KS's and KL's own ways of writing what kompass reads (helper audit of
//! Norwegian and Danish exports, 2026-12-07): Danish codes as Denmark's
//! address register (DAR) writes them, with four digits (`0101` for
//! Danmarks Statistik's `101`); the total as `Sum`, `Samlet` or `I alt`;
//! and headers such as `Kommune nummer`, `Kommunenr.`, `Årstal` and
//! `Maks point`. Each was refused, or (the codes of a file read as
//! Sweden's) filed under Swedish municipalities without a word of
//! Denmark.

use crate::workdir::{Workdir, stdout, strings, words};

/// `text` as `in.csv`, validated with `extra` options (exit 0): the
/// findings' rules and `evaluations.csv`'s country, code, name, year,
/// item and score.
fn validate(text: &str, extra: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let wd = Workdir::new();
    wd.create("in.csv", text);
    let line = format!("validate in.csv -o out {extra}");
    let out = wd.run_expect(&words(line.trim()), 0);
    assert!(stdout(&out).contains("rows read"), "{}", stdout(&out));
    let rules = wd.table("out/validation.csv").column("rule");
    let t = wd.table("out/evaluations.csv");
    let cols = [
        "country",
        "municipality_code",
        "municipality",
        "eval_year",
        "item",
        "score",
    ];
    (rules, t.select(&cols))
}

/// DAR's codes (`0101` København, `0580` Aabenraa, `0851` Aalborg) in a
/// Danish file are Danmarks Statistik's (`101`, `580`, `851`), with no
/// finding; a code with two zeros more, or whose three digits are no
/// Danish municipality's, is still `bad-code`.
#[test]
fn dar_s_four_digit_codes_are_denmark_s_three() {
    let rows = "0101,København,2012,ny,1,70\n0580,Aabenraa,2012,ny,1,60\n\
                0851,Aalborg,2014,ny,1,55\n";
    let want = [
        ["DK", "101", "København", "2012", "1", "70"],
        ["DK", "580", "Aabenraa", "2012", "1", "60"],
        ["DK", "851", "Aalborg", "2014", "1", "55"],
    ];
    // By the country column, and by --country in a file without one.
    let with_column: String = rows.lines().map(|r| format!("DK,{r}\n")).collect();
    let (rules, got) = validate(
        &format!("land,kommunekode,kommunenavn,år,skala,spørgsmål,point\n{with_column}"),
        "",
    );
    assert_eq!((rules, got), (vec![], strings(&want)));
    let header = "kommunekode,kommunenavn,år,skala,spørgsmål,point\n";
    let (rules, got) = validate(&format!("{header}{rows}"), "--country DK");
    assert_eq!((rules, got), (vec![], strings(&want)));
    // 00101 has two zeros more; 999 is no Danish municipality's code.
    let (rules, got) = validate(
        &format!("{header}{rows}00101,København,2016,ny,1,40\n0999,X,2016,ny,1,40\n"),
        "--country DK",
    );
    assert_eq!(rules, ["bad-code", "bad-code"]);
    assert_eq!(got, strings(&want));
}

/// Read as Sweden's (no country column, no --country), a DAR export is
/// named as Denmark's: one `other-country` warning naming the codes that
/// are Denmark's only (`0101`, `0851`, which Sweden has not), and the
/// code Sweden has too (`0580`, Linköping's) kept as Sweden's, as the
/// rule says, with a `name-mismatch` naming Denmark's Aabenraa (before:
/// no word of Denmark).
#[test]
fn a_dar_export_read_as_sweden_s_is_named_denmark_s() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "kommunekode,kommunenavn,år,skala,spørgsmål,point\n0101,København,2012,ny,1,70\n\
         0580,Aabenraa,2012,ny,1,60\n0851,Aalborg,2014,ny,1,55\n",
    );
    wd.run_expect(&words("validate in.csv -o out"), 0);
    let found = wd.table("out/validation.csv").select(&["rule", "message"]);
    let rules: Vec<&str> = found.iter().map(|f| f[0].as_str()).collect();
    let want = [
        "other-country",
        "unknown-municipality",
        "name-mismatch",
        "unknown-municipality",
    ];
    assert_eq!(rules, want);
    assert!(
        found[0][1].contains(
            "but 2 of its 3 municipality codes are not SE's and are DK's (0101 København, \
             0851 Aalborg); 1 is SE's, read as SE's municipality (0580 Linköping): is it DK's \
             export?"
        ),
        "{}",
        found[0][1]
    );
    assert!(
        found[2][1].contains("DK 0580 is Aabenraa"),
        "{}",
        found[2][1]
    );
}

/// A name-less DAR export read as Sweden's: each row's message names
/// Denmark's København after Halden's former code, as the file's
/// `other-country` warning names Denmark (before: the rows named Norway
/// only); `--country` is suggested for Norway's exact code, never for
/// DAR's form (read so only beside the municipality's name).
#[test]
fn a_name_less_dar_code_s_row_names_denmark_too() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "kommunekode,år,skala,spørgsmål,point\n0101,2012,ny,1,70\n0851,2012,ny,1,60\n",
    );
    wd.run_expect(&words("validate in.csv -o out"), 0);
    let found = wd.table("out/validation.csv").select(&["rule", "message"]);
    let rules: Vec<&str> = found.iter().map(|f| f[0].as_str()).collect();
    assert_eq!(
        rules,
        [
            "other-country",
            "unknown-municipality",
            "unknown-municipality"
        ]
    );
    assert!(
        found[0][1].contains("are DK's (0101 København, 0851 Aalborg)"),
        "{}",
        found[0][1]
    );
    let halden = &found[1][1];
    assert!(
        halden.contains(
            "NO 0101 was Halden's code until 2019 and DK 0101 is 101 (København) as Denmark's \
             address register writes it: the file has no country column, so its rows are read \
             as SE's (--country NO reads"
        ),
        "{halden}"
    );
    assert!(
        found[2][1].ends_with(
            "DK 0851 is 851 (Aalborg) as Denmark's address register writes it: the file has no \
             country column, so its rows are read as SE's"
        ),
        "{}",
        found[2][1]
    );
}

/// `Sum`, `Totalsum`, `Samlet` and `I alt` (with any white space between
/// its words) name the total, as `totalt` and `summa` do (before:
/// `unknown-item`, every published total lost).
#[test]
fn norwegian_and_danish_words_for_the_total_are_read() {
    let (rules, got) = validate(
        "land;kommunenr;kommune;år;skala;spørsmål;poeng\nNO;0301;Oslo;2012;ny;Sum;500\n\
         NO;0301;Oslo;2014;ny;Totalsum;510\nNO;0301;Oslo;2016;ny;SAMLET;520\n\
         NO;0301;Oslo;2018;ny;I alt;530\nNO;0301;Oslo;2019;ny; i \u{a0} alt ;540\n",
        "",
    );
    assert_eq!(rules, Vec::<String>::new());
    let want = [
        ("2012", "500"),
        ("2014", "510"),
        ("2016", "520"),
        ("2018", "530"),
        ("2019", "540"),
    ];
    let want = want.map(|(y, s)| ["NO", "0301", "Oslo - Oslove", y, "total", s]);
    assert_eq!(got, strings(&want));
}

/// `Kommune nummer` (a space inside the word, as `Kommune nr` already
/// was), `Kommunenr.` (with its full stop), Danish `Årstal` and `Maks
/// point` name the code, year and max columns (before: the run stopped,
/// `Kommune nummer` called a misspelling; `Maks point` an unknown column,
/// the max unchecked).
#[test]
fn spaced_and_abbreviated_headers_are_read() {
    let body = "DK;101;København;2012;ny;1;70;100\n";
    for header in [
        "Land;Kommune nummer;Kommunenavn;Årstal;Skala;Spørgsmål;Point;Maks point",
        "Land;Kommunenr.;Kommunenavn;Aarstal;Skala;Spørgsmål;Point;Maks poeng",
    ] {
        let (rules, got) = validate(&format!("{header}\n{body}"), "");
        assert_eq!(rules, Vec::<String>::new(), "{header}");
        let want = [["DK", "101", "København", "2012", "1", "70"]];
        assert_eq!(got, strings(&want), "{header}");
    }
    // The max is read: 90 is not the instrument's 100 for area 1.
    let (rules, got) = validate(
        "Land;Kommune nummer;Årstal;Skala;Spørgsmål;Point;Maks point\n\
         DK;101;2012;ny;1;70;90\nDK;101;2012;ny;2;60;100\n",
        "",
    );
    assert_eq!(rules, ["max-mismatch"]);
    assert_eq!(
        got,
        strings(&[["DK", "101", "København", "2012", "2", "60"]])
    );
}

/// A parallel Sámi name in the other order or joined by a slash, and a
/// name without the county in brackets the register adds to tell two
/// municipalities apart, are the municipality's names: no
/// `name-mismatch` (Nordic audit, 2026-12-07: each drew one); the other
/// county's is one.
#[test]
fn a_parallel_name_s_parts_and_a_county_in_brackets_are_its_names() {
    let (rules, got) = validate(
        "land;kommunenummer;kommune;år;skala;spørsmål;poeng\n\
         NO;5612;Kautokeino - Guovdageaidnu;2012;ny;1;50\n\
         NO;5612;Guovdageaidnu/Kautokeino;2014;ny;1;52\nNO;1515;Herøy;2012;ny;1;40\n\
         NO;1818;Herøy (Møre og Romsdal);2012;ny;1;45\n",
        "",
    );
    assert_eq!(rules, ["name-mismatch"]);
    let codes: Vec<&str> = got.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(codes, ["1515", "1818", "5612", "5612"]);
}

/// A Danish row's DAR code is read as Denmark's only beside the
/// municipality's name: without one, or beside another's (a Swedish
/// export read as Denmark's: `0580` is Linköping's), it is `bad-code`,
/// its hint naming the three digits and, without a name, Sweden's
/// municipality too (review, 2026-12-07: each was read as Aabenraa's
/// without a word).
#[test]
fn a_dar_code_is_read_only_beside_its_municipality_s_name() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "land,kommunekode,kommunenavn,år,skala,spørgsmål,point\nDK,0580,Aabenraa,2012,ny,1,60\n\
         DK,0580,,2014,ny,1,61\nDK,0580,Linköping,2016,ny,1,62\n",
    );
    wd.run_expect(&words("validate in.csv -o out"), 0);
    let ev = wd.table("out/evaluations.csv");
    assert_eq!(
        ev.select(&["municipality_code", "eval_year"]),
        strings(&[["580", "2012"]])
    );
    let rejects = wd
        .table("out/rejects.csv")
        .select(&["line", "rule", "message"]);
    let hint = "code '0580' is not a 3-digit DK municipality code (Denmark's address \
                register's four digits for 580? read as 580 beside the municipality's name); \
                SE 0580 is Linköping: is the row's country wrong?";
    assert_eq!(rejects[0], ["3", "bad-code", hint]);
    assert_eq!(rejects[1][..2], ["4", "bad-code"]);
    assert!(
        rejects[1][2].contains("SE 0580 is Linköping"),
        "{}",
        rejects[1][2]
    );
}

/// An instrument's own item id wins over a word for the total: an area
/// `sum` is read as it in any case (review, 2026-12-07: `Sum` and `SUM`
/// were read as the total).
#[test]
fn an_item_named_sum_is_that_item() {
    let wd = Workdir::new();
    wd.instruments_edited("ins", "2020", |t| {
        t.replacen("id = \"8\"", "id = \"sum\"", 1)
    });
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2021,2020,SUM,50\n",
    );
    wd.run_expect(&words("validate in.csv -o out --instruments ins"), 0);
    let ev = wd.table("out/evaluations.csv");
    assert_eq!(ev.select(&["item", "score"]), strings(&[["sum", "50"]]));
}
