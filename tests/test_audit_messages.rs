//! Messages that say what is wrong where they named the wrong thing or
//! nothing (the hostile-input audit of the thirtieth session), and a
//! separator line as spreadsheets save it back, read as one.

use crate::workdir::{Workdir, words};

const EXPORT: &str = "country,municipality_code,eval_year,scale,item,score\n\
                      SE,2380,2010,new,1,68\n";

/// A UTF-8 export cut short in the middle of a letter (`ö` is 0xC3 0xB6;
/// the file ends after 0xC3) was said to mix two encodings.
#[test]
fn a_file_cut_in_a_letter_is_said_to_be_cut_short() {
    let wd = Workdir::new();
    let mut bytes = b"country,municipality_code,municipality,eval_year,scale,item,score\n\
                      SE,2380,\xc3\xb6,2010,new,1,68\nSE,2380,\xc3"
        .to_vec();
    wd.create("cut.csv", &bytes);
    wd.run_says(
        &["validate", "-i", "cut.csv", "-o", "o", "-q"],
        1,
        "cut.csv: line 3: byte 0xC3 (Windows-1252 'Ã') ends the file in the middle of a UTF-8 \
         letter: the file was cut short",
    );
    // Whole, it is read.
    bytes.extend_from_slice(b"\xb6,2010,new,2,66\n");
    wd.create("cut.csv", &bytes);
    wd.run_expect(&["validate", "-i", "cut.csv", "-o", "o", "-q"], 0);
}

/// A device as the published file is not "no such file"; a folder of
/// sub-folders says they are not read; `inputs = []` says it is empty; a
/// negative population is not "not a whole number".
#[test]
fn what_is_there_is_named_as_it_is() {
    let wd = Workdir::new();
    wd.create("in.csv", EXPORT);
    #[cfg(unix)]
    {
        let args = ["run", "-i", "in.csv", "--published", "/dev/null", "-o", "o"];
        wd.run_says(&args, 2, "--published /dev/null: is not a regular file");
    }
    wd.create("sets/se/in.csv", EXPORT);
    wd.create("sets/no/in.csv", EXPORT);
    wd.run_says(
        &["validate", "-i", "sets", "-o", "o"],
        2,
        "sets: no *.csv, *.tsv or *.txt files in this folder (its 2 sub-folder(s), such as no, \
         are not read: name each as this folder was named)",
    );
    wd.create("conf/kompass.toml", "inputs = []\n");
    wd.run_says(
        &["run", "--config", "conf/kompass.toml", "-o", "o"],
        2,
        "no input: `inputs` in conf/kompass.toml is an empty list",
    );
    wd.create(
        "reg.csv",
        "country,code,name,population\nSE,2380,Östersund,-5\n",
    );
    let args = words("validate -i in.csv --register reg.csv -o o");
    wd.run_says(
        &args,
        2,
        "reg.csv: line 2, column population: '-5' is not a whole number of 0 or more",
    );
}

/// A header that ends with a separator has a last column without a name,
/// which every row lacks: the rejects say so (6 fields, the header 7).
#[test]
fn a_header_with_a_separator_too_many_is_named_in_the_rejects() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "country,municipality_code,eval_year,scale,item,score,\nSE,2380,2010,new,1,68\n",
    );
    wd.run_expect(&["validate", "-i", "in.csv", "-o", "o", "-q"], 0);
    let messages: Vec<String> = wd.table("o/rejects.csv").column("message");
    assert_eq!(
        messages,
        [
            "the row has 6 fields, the header 7; the header ends with a separator too many (its \
          last column has no name)"
        ]
    );
}

/// Excel's separator line as LibreOffice saves it back (`sep=` then the
/// row's empty cells) and as a quoted cell: a separator line, not "a
/// title?" above the header. Two rows each, read.
#[test]
fn a_separator_line_saved_back_by_a_spreadsheet_is_read() {
    let wd = Workdir::new();
    let body =
        "land;kommunkod;år;skala;fråga;poäng\r\nSE;2380;2010;ny;1;68\r\nSE;2380;2010;ny;2;66\r\n";
    for (name, sep) in [("lo.csv", "sep=;;;;;"), ("quoted.csv", "\"sep=;\";;;;;")] {
        wd.create(name, format!("{sep}\r\n{body}"));
        let out = wd.run_expect(&["validate", "-i", name, "-o", "o", "-q"], 0);
        assert_eq!(crate::workdir::stderr(&out), "");
        assert_eq!(wd.table("o/evaluations.csv").column("item"), ["1", "2"]);
    }
}

/// A `;` export (Windows-1252, as Excel saves it) whose column names hold
/// as many commas as the header has semicolons, or more: Excel does not
/// quote them, and the header, split on the commas, was no export's. Named,
/// the file stopped the run (exit 1); in an input folder it was skipped as
/// "not an export", its rows in no count. The scores are those of the rows
/// as written.
#[test]
fn a_semicolon_export_with_commas_in_its_column_names_is_read() {
    let wd = Workdir::new();
    let cp1252 = |text: &str| -> Vec<u8> { text.chars().map(|c| c as u8).collect() };
    wd.create(
        "dir/source.csv",
        cp1252(
            "kommunkod;år;skala;totalt;Källa (rapport, sida, datum, länk, anm.)\r\n\
                0114;2012;ny;548;SKL\r\n",
        ),
    );
    wd.create(
        "titles.csv",
        cp1252(
            "kommunkod;år;skala;4. Ledarskap, ansvar och delegation;\
             4,1 Finns kommunövergripande strategi för ledarskap, ansvar och delegation?;\
             6,6 Hur arbetar kommunen med mångfald, (etnicitet, kulturellt och kön)?\r\n\
             0180;2012;ny;20;10;8\r\n",
        ),
    );
    wd.run_expect(&["validate", "-i", "dir", "-o", "o", "-q"], 0);
    let rows = wd
        .table("o/evaluations.csv")
        .select(&["municipality_code", "item", "score"]);
    assert_eq!(rows, [["0114", "total", "548"]]);
    wd.run_expect(&["validate", "-i", "titles.csv", "-o", "o", "-q"], 0);
    let rows = wd
        .table("o/evaluations.csv")
        .select(&["item", "score", "max"]);
    assert_eq!(
        rows,
        [["4", "20", "100"], ["4.1", "10", "15"], ["6.6", "8", "10"]]
    );
    // With the wrong separator named, the hint names the one that reads
    // it (it said ',', which does not); a title line above such a header,
    // over a row with commas in a cell, is named as a title.
    wd.run_says(
        &[
            "validate",
            "-i",
            "dir/source.csv",
            "-o",
            "o",
            "--delimiter",
            "comma",
        ],
        1,
        "the header line looks separated by ';', not ','",
    );
    wd.create(
        "title.csv",
        "Kommunkompassen resultat\n\
         kommunkod;år;skala;totalt;Källa (rapport, sida, datum, länk, anm.)\n\
         0114;2012;ny;433;rapport, s 3, 2012, x, y, z\n",
    );
    wd.run_says(
        &["validate", "-i", "title.csv", "-o", "o"],
        1,
        "title.csv: line 2 is an export's header, below line(s) that are not part of the table",
    );
}

/// A name column headed `Kommun namn` or `Kommun-namn` (as `Kommun kod`
/// was read as the code) is read and checked, where it was an unknown
/// column; a wide column a spreadsheet made a date of (`1.2` typed under a
/// Nordic locale) names the sub-question it likely was, as an item cell
/// does.
#[test]
fn a_spaced_name_column_is_read_and_a_date_column_named() {
    let wd = Workdir::new();
    for header in ["Kommun namn", "Kommun-namn", "kommun_namn", "Kommune navn"] {
        wd.create(
            "in.csv",
            format!("kommunkod;{header};år;skala;totalt\n0114;Solna;2012;ny;548\n"),
        );
        wd.run_expect(&["validate", "-i", "in.csv", "-o", "o", "-q"], 0);
        let v = wd.table("o/validation.csv").select(&["rule", "value"]);
        assert_eq!(v, [["name-mismatch", "Solna"]], "{header}");
    }
    wd.create(
        "dates.csv",
        "kommunkod;år;skala;omr1;2024-02-01;01-feb;09-feb\n0114;2012;ny;70;10;12;5\n",
    );
    wd.run_expect(&["validate", "-i", "dates.csv", "-o", "o", "-q"], 0);
    let v = wd.table("o/validation.csv").column("message");
    assert_eq!(
        v,
        [
            "column '2024-02-01' is not read (a date a spreadsheet made of 1.2?); if it holds \
             sub-question 1.2's scores, name it 'Fråga 1.2'",
            "column '01-feb' is not read (a date a spreadsheet made of 1.2?); if it holds \
             sub-question 1.2's scores, name it 'Fråga 1.2'",
            "column '09-feb' is not read",
        ]
    );
    // In a long export the hint would mix the layouts: none.
    wd.create(
        "long.csv",
        "municipality_code,eval_year,scale,item,score,01-feb\n0114,2012,new,1,55,7\n",
    );
    wd.run_expect(&["validate", "-i", "long.csv", "-o", "o", "-q"], 0);
    let v = wd.table("o/validation.csv").column("message");
    assert_eq!(v, ["column '01-feb' is not read"]);
}

/// A header's two names for one column are named with their places (5
/// and 6, counted from 1); a name with a zero-width space after it is
/// shown with it written out, where the header was said to lack it.
#[test]
fn a_header_s_columns_are_named_with_their_places_and_unseen_characters() {
    let wd = Workdir::new();
    wd.create(
        "two.csv",
        "country,municipality_code,eval_year,scale,score,poäng,item\n",
    );
    wd.run_says(
        &["validate", "-i", "two.csv", "-o", "o"],
        1,
        "two.csv: columns 5 'score' and 6 'poäng' mean the same thing: keep one of them",
    );
    wd.create(
        "zw.csv",
        "country,municipality_code,eval_year,scale,item,score\u{200b}\nSE,2380,2010,new,1,68\n",
    );
    wd.run_says(
        &["validate", "-i", "zw.csv", "-o", "o"],
        1,
        "zw.csv: the header lacks column(s) score/poäng (long layout); found: country, \
         municipality_code, eval_year, scale, item, score\\u{200b}",
    );
}

/// A register with a column it reads twice (`code`, columns 2 and 4) is
/// refused, as an export is, not read from the first one; a column it does
/// not read may come twice.
#[test]
fn a_register_column_given_twice_is_refused() {
    let wd = Workdir::new();
    wd.create("in.csv", EXPORT);
    wd.create(
        "reg.csv",
        "country,code,name,code\nSE,2380,Östersund,9999\n",
    );
    let args = words("validate -i in.csv --register reg.csv -o o");
    wd.run_says(
        &args,
        2,
        "reg.csv: line 1: columns 2 and 4 are both 'code': keep one of them",
    );
    wd.create(
        "reg.csv",
        "country,code,name,notes,notes\nSE,2380,Östersund,a,b\n",
    );
    wd.run_expect(&args, 0);
}

/// A message quoting a 200,000-character cell keeps its ends (what it
/// says of the value) and leaves the middle out, counted; the cell is
/// whole in `value`. The message was written whole, 200 KB a row.
#[test]
fn a_message_quoting_a_long_cell_leaves_its_middle_out() {
    let wd = Workdir::new();
    let long = "Ö".repeat(200_000);
    wd.create(
        "in.csv",
        format!(
            "country,municipality_code,municipality,eval_year,scale,item,score\n\
             SE,2380,{long},2010,new,1,68\n{long},2380,Östersund,2010,new,2,60\n"
        ),
    );
    wd.run_expect(&words("validate -i in.csv -o o -q"), 0);
    let findings = wd.table("o/validation.csv");
    let rejects = wd.table("o/rejects.csv");
    let named = findings.select(&["rule", "message", "value"]);
    let rejected = rejects.select(&["message", "value"]);
    let (named, rejected) = (&named[0], &rejected[0]);
    assert_eq!(named[0], "name-mismatch");
    // "SE 2380 is Östersund in the register, not '" is 43 characters, the
    // closing quote 1: 200,044 in all, 600 kept.
    let said = format!(
        "{} … [199444 characters left out] … {}'",
        &long[..2 * 357],
        &long[..2 * 199]
    );
    assert_eq!(
        named[1],
        format!("SE 2380 is Östersund in the register, not '{said}")
    );
    assert_eq!(named[2], long);
    // "country '" (9) and "' is not in the register (known: DK, NO, SE)"
    // (44): 200,053 in all.
    let said = format!(
        "country '{} … [199453 characters left out] … {}' is not in the register (known: DK, \
         NO, SE)",
        &long[..2 * 391],
        &long[..2 * 156]
    );
    assert_eq!(rejected[0], said);
    assert_eq!(rejected[1], long);
}

/// An item a spreadsheet made a date of (`1.2` typed under a Nordic
/// locale is the 1st of February) is still `unknown-item`, and the
/// message names the sub-question it likely was (user audit, 2026-12-05:
/// `item '01-jan' does not exist on scale new`, nothing more). A date no
/// sub-question could be (`01-jul`, `2024-01-09`: area 9) gets no hint.
#[test]
fn an_item_made_a_date_names_the_sub_question() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "kommunkod;år;skala;fråga;poäng\n0114;2012;ny;01-jan;8\n0114;2012;ny;2024-02-03;7\n\
         0114;2012;ny;01.04.2024;5\n0114;2012;ny;01-jul;5\n0114;2012;ny;2024-01-09;5\n\
         0114;2012;ny;1;40\n",
    );
    wd.run_expect(&words("validate in.csv -o out"), 0);
    let t = wd.table("out/rejects.csv");
    let got: Vec<Vec<String>> = t.select(&["line", "rule", "message"]);
    let item = |cell: &str, hint: &str| format!("item '{cell}' does not exist on scale new{hint}");
    let want = [
        [
            "2",
            "unknown-item",
            &item("01-jan", " (a date a spreadsheet made of 1.1?)"),
        ],
        [
            "3",
            "unknown-item",
            &item("2024-02-03", " (a date a spreadsheet made of 3.2?)"),
        ],
        [
            "4",
            "unknown-item",
            &item("01.04.2024", " (a date a spreadsheet made of 1.4?)"),
        ],
        ["5", "unknown-item", &item("01-jul", "")],
        ["6", "unknown-item", &item("2024-01-09", "")],
    ];
    assert_eq!(got, crate::workdir::strings(&want));
}

/// A year a spreadsheet saved as a number with decimals or as a date is
/// still `bad-year`, and the message says what it likely is (it said
/// only `is not four digits from 1000 on`); a cell neither is (`12`,
/// `2012.5`) gets no hint.
#[test]
fn a_year_saved_as_a_number_or_a_date_is_named_so() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "kommunkod;år;skala;fråga;poäng\n0114;2012.0;ny;1;40\n0114;2012,00;ny;1;40\n\
         0114;2012-10-01;ny;1;40\n0114;01.10.2012 00:00;ny;1;40\n0114;12;ny;1;40\n\
         0114;2012.5;ny;1;40\n0114;2012;ny;1;40\n",
    );
    wd.run_expect(&words("validate in.csv -o out"), 0);
    let got = wd.table("out/rejects.csv").column("message");
    let year =
        |cell: &str, hint: &str| format!("year '{cell}' is not four digits from 1000 on{hint}");
    let want = [
        year("2012.0", " (a number with decimals: 2012?)"),
        year("2012,00", " (a number with decimals: 2012?)"),
        year("2012-10-01", " (a date: its year 2012?)"),
        year("01.10.2012 00:00", " (a date: its year 2012?)"),
        year("12", ""),
        year("2012.5", ""),
    ];
    assert_eq!(got, want);
}

/// A score cell a spreadsheet left as an error value, or wrote as a
/// percentage or in exponent notation with a decimal comma, is
/// `bad-number` as before, and the message says which (each said only
/// `is not a number`: user audit, 2026-12-05).
#[test]
fn a_spreadsheet_s_error_value_or_percentage_is_named() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "kommunkod;år;skala;fråga;poäng\n0114;2012;ny;1;#VALUE!\n0114;2012;ny;2;#SAKNAS!\n\
         0114;2012;ny;3;79,5%\n0114;2012;ny;4;7,95E+01\n0114;2012;ny;5;79 p\n0114;2012;ny;6;40\n",
    );
    wd.run_expect(&words("validate in.csv -o out"), 0);
    let got = wd.table("out/rejects.csv").column("message");
    let error = "a spreadsheet's error value (the formula that made the cell failed), not a number";
    let want = [
        format!("score '#VALUE!' is {error}"),
        format!("score '#SAKNAS!' is {error}"),
        "score '79,5%' is a percentage: kompass reads points".to_string(),
        "score '7,95E+01' is in exponent notation, which kompass does not read: write the \
         number out"
            .to_string(),
        "score '79 p' is not a number".to_string(),
    ];
    assert_eq!(got, want);
}

/// A code a spreadsheet saved as a number with decimals, in exponent
/// notation, or as a formula for the text is `bad-code` as before, and the
/// message says which (no hint before: user audit, 2026-12-05), with the
/// code meant only where the register has it (review: `12345.0` was
/// `12345?`, `1.0` `0001?`, `9` `0009`).
#[test]
fn a_code_saved_as_a_number_or_a_formula_is_named_so() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "kommunkod;år;skala;fråga;poäng\n114.0;2012;ny;1;40\n0114,00;2012;ny;1;40\n\
         1,14E+02;2012;ny;1;40\n\"=\"\"0114\"\"\";2012;ny;1;40\n\"=\"\"114\"\"\";2012;ny;1;40\n\
         114.5;2012;ny;1;40\n12345.0;2012;ny;1;40\n1.0;2012;ny;1;40\n9;2012;ny;1;40\n\
         0114;2012;ny;2;40\n",
    );
    wd.run_expect(&words("validate in.csv -o out"), 0);
    let got = wd.table("out/rejects.csv").column("message");
    let code = |cell: &str, hint: &str| {
        format!("code '{cell}' is not a 4-digit SE municipality code{hint}")
    };
    let formula = " (a spreadsheet's formula for the text: 0114?)";
    let want = [
        code("114.0", " (a number with decimals: 0114?)"),
        code("0114,00", " (a number with decimals: 0114?)"),
        code(
            "1,14E+02",
            " (a number in exponent notation: the column was saved as numbers; save it as text)",
        ),
        code("=\"0114\"", formula),
        code("=\"114\"", formula),
        code("114.5", ""),
        code("12345.0", " (a number with decimals)"),
        code("1.0", " (a number with decimals)"),
        code("9", ""),
    ];
    assert_eq!(got, want);
}

/// A control character in a config file's comment (or an instrument
/// file's) said nothing of what was wrong ("k.toml: line 2, column 11: "
/// and no more), and one after a value said "expected newline, `#`"
/// (hostile-content audit). Both name the character; an unclosed string
/// still says so, its line end no control character.
#[test]
fn a_control_character_in_a_toml_file_is_named() {
    let wd = Workdir::new();
    wd.create("in.csv", EXPORT);
    let said = |name: &str, text: &str, args: &str| {
        wd.create(name, text);
        let out = wd.run_expect(&words(args), 2);
        String::from_utf8_lossy(&out.stderr).trim_end().to_string()
    };
    let control = "a control character (U+0001): TOML allows none but tab, in comments and \
                   strings too; remove it";
    let validate = "validate -i in.csv -o out --config k.toml";
    let err = said("k.toml", "lang = \"en\"\n# comment \u{1} x\n", validate);
    assert_eq!(
        err,
        format!("kompass: k.toml: line 2, column 11: {control}")
    );
    let err = said("k.toml", "lang = \"en\" # x \u{1}\n", validate);
    assert_eq!(
        err,
        format!("kompass: k.toml: line 1, column 17: {control}")
    );
    let err = said("k.toml", "lang = \"en\nstrict = true\n", validate);
    assert_eq!(
        err,
        "kompass: k.toml: line 1, column 11: invalid basic string"
    );
    wd.instruments_edited("ins", "", |text| text);
    let err = said(
        "ins/old.toml",
        "# \u{1b}[31m\n",
        "validate -i in.csv -o out --instruments ins",
    );
    assert!(
        err.ends_with(&format!(
            "old.toml: line 1, column 3: {}",
            control.replace("0001", "001B")
        )),
        "{err}"
    );
}
