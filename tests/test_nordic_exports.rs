//! Exports from KS (Norway) and KL (Denmark), with their own words for the
//! columns and the scales: read as the Swedish and English ones are (each
//! was a header with no key columns, the file refused or skipped); and a
//! country given by its name (`Sverige`, `Norway`), not its code.

use crate::workdir::{Workdir, stdout, strings, words};

/// `text` as `in.csv`, validated (exit 0, no finding): `evaluations.csv`'s
/// code, year, scale, item and score.
fn read(text: &str) -> Vec<Vec<String>> {
    let wd = Workdir::new();
    wd.create("in.csv", text);
    let out = wd.run_expect(&words("validate in.csv -o out --strict"), 0);
    assert!(
        stdout(&out).contains("0 error(s), 0 warning(s)"),
        "{}",
        stdout(&out)
    );
    let t = wd.table("out/evaluations.csv");
    t.select(&["municipality_code", "eval_year", "scale", "item", "score"])
}

/// A Norwegian long export: `Kommunenummer`, `Kommune`, `Årstall`,
/// `Spørsmål`, `Poeng`, `Maks`, and the old scale as `gammel skala`.
#[test]
fn a_norwegian_long_export_is_read() {
    let got = read(
        "Land;Kommunenummer;Kommune;Årstall;Skala;Spørsmål;Poeng;Maks\n\
         NO;0301;Oslo;2012;ny;1;50;100\nNO;0301;Oslo;2008;gammel skala;1;55,5;100\n\
         NO;0301;Oslo;2012;nye;spørsmål 1.1;10;15\n",
    );
    let want = [
        ["0301", "2008", "old", "1", "55.5"],
        ["0301", "2012", "new", "1", "50"],
        ["0301", "2012", "new", "1.1", "10"],
    ];
    assert_eq!(got, strings(&want));
}

/// A Danish wide export: `kommunekode`, `kommunenavn`, `område 1`,
/// `spørgsmål 1.1`, and the scales `nye` and `ældre`.
#[test]
fn a_danish_wide_export_is_read() {
    let got = read(
        "land;kommunekode;kommunenavn;år;skala;område 1;område 2;spørgsmål 1.1\n\
         DK;101;København;2012;nye;50;60;10\nDK;101;København;2006;ældre;55;65;\n",
    );
    let want = [
        ["101", "2006", "old", "1", "55"],
        ["101", "2006", "old", "2", "65"],
        ["101", "2012", "new", "1", "50"],
        ["101", "2012", "new", "1.1", "10"],
        ["101", "2012", "new", "2", "60"],
    ];
    assert_eq!(got, strings(&want));
}

/// A country named instead of coded (`Sverige`, `Norge`, `Danmark`, in
/// English, or by ISO's three letters, in any case) is that country; a
/// country the register does not have (`France`) is still
/// `unknown-country`, and a finding names the row's country by its code.
#[test]
fn a_country_by_its_name_is_read() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "land,kommunkod,år,skala,fråga,poäng\n\
         Sverige,0114,2012,ny,1,50\nNorway,0301,2012,ny,1,51\nDANMARK,101,2012,ny,1,52\n\
         swe,0115,2012,ny,1,53\nNOR,1103,2012,ny,1,54\nse,0117,2012,ny,1,55\n\
         France,0120,2012,ny,1,56\nSweden,0123,2012,ny,1,101\n",
    );
    wd.run_expect(&words("validate in.csv -o out"), 0);
    let got = wd
        .table("out/evaluations.csv")
        .select(&["country", "municipality_code", "score"]);
    let want = [
        ["DK", "101", "52"],
        ["NO", "0301", "51"],
        ["NO", "1103", "54"],
        ["SE", "0114", "50"],
        ["SE", "0115", "53"],
        ["SE", "0117", "55"],
    ];
    assert_eq!(got, strings(&want));
    let findings =
        wd.table("out/validation.csv")
            .select(&["rule", "line", "country", "municipality_code"]);
    let want = [
        ["unknown-country", "8", "FRANCE", "0120"],
        ["above-max", "9", "SE", "0123"],
    ];
    assert_eq!(findings, strings(&want));
}
