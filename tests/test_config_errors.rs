//! What goes wrong in a config file, a side table or a synth call is named
//! as the user wrote it: the config key and its line, the file with no
//! header, the count out of range.

use std::path::Path;

use crate::workdir::{Workdir, stderr, words};

/// An export with two different scores for the same item: two errors
/// (and a row that is accepted: a run with none stops with exit 2).
const CONFLICT: &str = "municipality_code,eval_year,scale,item,score\n\
                        0114,2012,new,1,50\n0114,2012,new,1,60\n0115,2012,new,1,55\n";

/// `strict = true` in the config file is named as such, on a run and on an
/// unchanged rerun ("up to date"); `--strict` as the flag (it said
/// "--strict" either way).
#[test]
fn strict_is_named_where_it_was_asked_for() {
    let wd = Workdir::new();
    wd.create("conf/in.csv", CONFLICT);
    wd.create(
        "conf/kompass.toml",
        "inputs = [\"in.csv\"]\nstrict = true\n",
    );
    let args = ["run", "--config", "conf/kompass.toml", "-o", "out", "-q"];
    for _ in 0..2 {
        let err = stderr(&wd.run_expect(&[&args[..], &["--charts", "none"]].concat(), 3));
        let said = "conf/kompass.toml: line 2, column 10: strict = true: the data has 2 error(s) and 0 \
                    warning(s)";
        assert!(err.contains(said), "{err}");
    }
    let flag = ["validate", "-i", "conf/in.csv", "-o", "v", "--strict"];
    let err = stderr(&wd.run_expect(&flag, 3));
    assert!(
        err.starts_with("kompass: --strict: the data has 2 error(s)"),
        "{err}"
    );
}

/// A config file's input that is not there names the key; a quoted key
/// (`"basis" = "x"`) is found at its line as a bare one is; a config file
/// in Windows-1252 is refused at the line of its first such byte (it said
/// "not valid UTF-8 (byte 71)").
#[test]
fn config_errors_name_the_key_and_the_line() {
    let wd = Workdir::new();
    wd.create("conf/in.csv", CONFLICT);
    let cases: [(&str, &[u8], &str); 4] = [
        // The key's text in a comment and inside a string before it is
        // not the key: its value stands on line 5.
        (
            "inside.toml",
            b"inputs = [\"in.csv\"]\n# link_to = \"x\"\nout = \"\"\"\nlink_to = x\"\"\"\nlink_to = \"nwe\"\n",
            "conf/inside.toml: line 5, column 11: link_to = \"nwe\": unknown scale",
        ),
        (
            "missing.toml",
            b"inputs = [\"nope.csv\"]\n",
            "conf/missing.toml: line 1, column 10: inputs: conf/nope.csv: no such file or folder",
        ),
        (
            "quoted.toml",
            b"inputs = [\"in.csv\"]\n\"basis\" = \"x\"\n",
            "conf/quoted.toml: line 2, column 11: basis = \"x\" is not one of: latest, all",
        ),
        (
            "latin.toml",
            b"inputs = [\"in.csv\"]\n# \xd6stersund\nbasis = \"all\"\n",
            "conf/latin.toml: line 2: byte 0xD6 (Windows-1252 '\u{d6}') is not UTF-8",
        ),
    ];
    for (name, text, said) in cases {
        let path = format!("conf/{name}");
        wd.create(&path, text);
        let err = stderr(&wd.run_expect(&["run", "--config", &path, "-o", "out", "-q"], 2));
        assert!(err.contains(said), "{err}");
    }
}

/// A `kompass.toml` shared by a nightly `validate` and `run`: `validate`
/// refuses what `run` would, also the keys it does not use (it passed a
/// `link_to` that names no scale and a missing `published` file, and
/// stayed green on a file `run` refused); `link` the `published` file.
#[test]
fn every_command_checks_every_key_of_the_config_file() {
    let wd = Workdir::new();
    wd.create("conf/in.csv", CONFLICT);
    let cases = [
        (
            "link_to = \"nwe\"\n",
            "conf/kompass.toml: line 2, column 11: link_to = \"nwe\": unknown scale (known: 2015, \
             2020, new, old; did you mean new?)",
        ),
        (
            "published = \"missing.csv\"\n",
            "conf/kompass.toml: line 2, column 13: published = \"conf/missing.csv\": no such file",
        ),
    ];
    for (line, said) in cases {
        wd.create(
            "conf/kompass.toml",
            format!("inputs = [\"in.csv\"]\n{line}"),
        );
        for cmd in ["validate", "link", "run"] {
            let args = [cmd, "--config", "conf/kompass.toml", "-o", "out", "-q"];
            let err = stderr(&wd.run_expect(&args, 2));
            assert!(err.contains(said), "{cmd}: {err}");
        }
    }
}

/// A folder at `./kompass.toml` is not read, and the run says so (it was
/// passed over without a word: the run went on without the options the
/// user meant it to have).
#[test]
fn a_folder_named_kompass_toml_is_named() {
    let wd = Workdir::new();
    wd.create("in.csv", CONFLICT);
    wd.create("kompass.toml/notes.txt", "not a config\n");
    let out = wd.run_expect(&["validate", "-i", "in.csv", "-o", "o", "-q"], 0);
    let said = "kompass: warning: kompass.toml is not a regular file (a folder, a pipe or device, or \
                a link to nothing)";
    assert!(stderr(&out).contains(said), "{}", stderr(&out));
}

/// A register's municipality without a name is a configuration error at
/// its cell (it was read, and its rows and report page had no name).
#[test]
fn a_register_row_without_a_name_is_refused() {
    let wd = Workdir::new();
    wd.create("conf/in.csv", CONFLICT);
    wd.create("se_reg.csv", "code,name\n0114,Upplands Väsby\n0115, \n");
    let args = [
        "validate",
        "-i",
        "conf/in.csv",
        "--register",
        "se_reg.csv",
        "-o",
        "o",
    ];
    let err = stderr(&wd.run_expect(&args, 2));
    assert!(
        err.contains("se_reg.csv: line 3, column name: SE 0115 has no name"),
        "{err}"
    );
    // Nor a name of characters that show as nothing (a zero-width space, a
    // right-to-left override): its link in the index was empty.
    wd.create("se_reg.csv", "code,name\n0114,\u{200b}\u{202e}\n");
    let err = stderr(&wd.run_expect(&args, 2));
    let said = "line 2, column name: SE 0114 has no name (only characters that show as nothing)";
    assert!(err.contains(said), "{err}");
}

/// An empty side table says that it has no header line, not only that a
/// column is missing.
#[test]
fn an_empty_side_table_says_it_has_no_header() {
    let wd = Workdir::new();
    wd.create("in.csv", CONFLICT);
    wd.create("empty.csv", "");
    for (flag, said) in [
        (
            "--published",
            "empty.csv: the file has no header line: published averages need a 'source' or 'källa' column",
        ),
        (
            "--register",
            "empty.csv: the file has no header line: a register needs the columns 'code' and 'name'",
        ),
    ] {
        let err = stderr(&wd.run_expect(&["run", "-i", "in.csv", flag, "empty.csv", "-q"], 2));
        assert!(err.contains(said), "{err}");
    }
}

/// A message that quotes a huge value (here a 100,000-character config
/// value) keeps its start and end and says how much it left out, instead
/// of writing the value whole to the log of every scheduled run.
#[test]
fn a_huge_value_is_not_copied_whole_into_the_message() {
    let wd = Workdir::new();
    let value = "x".repeat(100_000);
    wd.create(
        "k.toml",
        format!("inputs = [\"in.csv\"]\nlang = \"{value}\"\n"),
    );
    let out = wd.run_expect(&["validate", "--config", "k.toml"], 2);
    let err = stderr(&out);
    assert!(err.len() < 1400, "{}", err.len());
    assert!(err.starts_with("kompass: k.toml: line 2"), "{err}");
    assert!(err.contains("characters left out"), "{err}");
}

/// The municipality groups are Swedish: a register that put a Norwegian
/// municipality in one had it averaged with the Swedish municipalities of
/// the same label in `averages.csv` (no country column there) while its
/// benchmarks kept the countries apart; a group name without its code was
/// dropped unseen; a code with two names made two groups, as did a name
/// with two codes (`A2`, `a2`). All are
/// configuration errors at the cell.
#[test]
fn register_groups_are_swedish_and_named_by_code() {
    let wd = Workdir::new();
    wd.create("in.csv", CONFLICT);
    let head =
        "country,code,name,group_2011_code,group_2011_name,group_2017_code,group_2017_name\n";
    for (rows, said) in [
        (
            "SE,0114,Upplands Väsby,,,A2,Pendlingskommun\nNO,0301,Oslo,,,A1,Storstäder\n",
            "reg.csv: line 3, column group_2017_code: NO municipality in a municipality group",
        ),
        (
            "SE,0114,Upplands Väsby,,Förortskommuner,,\n",
            "reg.csv: line 2, column group_2011_name: a group name without its code \
             (group_2011_code is empty)",
        ),
        // One code, two names: its municipalities were averaged as two
        // groups without a word (averages audit).
        (
            "SE,0114,Upplands Väsby,,,A1,Storstäder\nSE,0115,Vallentuna,,,A1,Storstad\n",
            "reg.csv: line 3, column group_2017_name: group_2017_code A1 named 'Storstad' here \
             and named 'Storstäder' on line 2; a group has one name",
        ),
        (
            "SE,0114,Upplands Väsby,2,,,\nSE,0115,Vallentuna,2,Förortskommuner,,\n",
            "reg.csv: line 3, column group_2011_name: group_2011_code 2 named 'Förortskommuner' \
             here and without a name on line 2",
        ),
        // A zero-width space written out, or the two names read alike.
        (
            "SE,0114,Upplands Väsby,,,A1,Storstäder\nSE,0115,Vallentuna,,,A1,Storstäder\u{200b}\n",
            "group_2017_code A1 named 'Storstäder\\u{200b}' here and named 'Storstäder' on line 2",
        ),
        // One name, two codes (a case or a stray character apart): two
        // groups of one name (side-input audit).
        (
            "SE,0114,Upplands Väsby,,,A2,Nära storstad\nSE,0115,Vallentuna,,,a2,Nära storstad\n",
            "reg.csv: line 3, column group_2017_code: group_2017_name 'Nära storstad' has code \
             'a2' here and 'A2' on line 2; a group has one code",
        ),
        (
            "SE,0114,Upplands Väsby,,,A2,Nära storstad\nSE,0115,Vallentuna,,,A2\u{200b},Nära storstad\n",
            "group_2017_name 'Nära storstad' has code 'A2\\u{200b}' here and 'A2' on line 2",
        ),
    ] {
        wd.create("reg.csv", format!("{head}{rows}"));
        let args = [
            "run",
            "-i",
            "in.csv",
            "--register",
            "reg.csv",
            "-o",
            "out",
            "-q",
        ];
        let err = stderr(&wd.run_expect(&args, 2));
        assert!(err.contains(said), "{err}");
        assert!(!wd.exists("out"), "nothing written");
    }
}

/// A value of the wrong type is said in the user's terms, with the key
/// and what it holds (it was the deserializer's `invalid value: integer
/// \`-1\`, expected u64`).
#[test]
fn a_value_of_the_wrong_type_says_what_the_key_holds() {
    let wd = Workdir::new();
    let cases = [
        (
            "link_seed = -1",
            "line 1, column 13: link_seed = -1 is not a whole number from 0 to 9223372036854775807",
        ),
        (
            "bootstrap = 1.5 # replicates",
            "bootstrap = 1.5 is not a whole number of replicates: 0 (none) or 2 to 10000",
        ),
        ("strict = \"yes\"", "strict = \"yes\" is not true or false"),
        (
            "inputs = \"in.csv\"",
            "inputs = \"in.csv\" is not a list of files or folders in brackets",
        ),
        ("basis = 1", "basis = 1 is not a word in quotes"),
    ];
    for (line, said) in cases {
        wd.create("k.toml", format!("{line}\n"));
        let err = stderr(&wd.run_expect(&["run", "--config", "k.toml", "-o", "out", "-q"], 2));
        assert!(err.contains(said), "{line}: {err}");
    }
}

/// A small wide export.
const SMALL: &str =
    "municipality_code,eval_year,scale,a1,total\n0114,2012,new,55,470\n0115,2013,new,60,480\n";

#[test]
fn a_bad_value_from_the_config_file_is_named_as_the_file_gives_it() {
    let wd = Workdir::new();
    wd.create("in.csv", SMALL);
    // Each value as a key of the file, then as its flag: the message names
    // the key in the file, or the flag.
    for (key, value, flag, says) in [
        (
            "register",
            "nope.csv",
            "--register",
            "no such file or folder",
        ),
        (
            "instruments",
            "nope",
            "--instruments",
            "no such file or folder",
        ),
        ("published", "nope.csv", "--published", "no such file"),
        (
            "link_to",
            "nosuch",
            "--link-to",
            "unknown scale (known: 2015, 2020, new, old)",
        ),
        (
            "out",
            "..",
            "--out",
            "kompass replaces its output folder as a whole, so it cannot be",
        ),
    ] {
        let out = if key == "out" { "" } else { "out = \"o\"\n" };
        wd.create(
            "sub/kompass.toml",
            format!("inputs = [\"../in.csv\"]\n{out}{key} = \"{value}\"\n"),
        );
        let out = wd.run_expect(&["run", "--config", "sub/kompass.toml", "-q"], 2);
        let err = stderr(&out);
        let shown = Path::new("sub").join(value);
        let shown = if key == "link_to" {
            value.to_string()
        } else {
            shown.display().to_string()
        };
        // The value stands after `key = `, on the second line (`out`) or
        // the third.
        let (line, column) = (if key == "out" { 2 } else { 3 }, key.len() + 4);
        let at = format!("line {line}, column {column}");
        assert!(
            err.contains(&format!(
                "sub/kompass.toml: {at}: {key} = \"{shown}\": {says}"
            )),
            "{key}: {err}"
        );
        assert!(!err.contains(flag), "{key}: {err}");
        // The same value as a flag is named by the flag.
        let out = wd.run_expect(
            &["run", "--config", "sub/kompass.toml", "-q", flag, value],
            2,
        );
        let err = stderr(&out);
        assert!(err.contains(&format!("{flag} {value}: ")), "{flag}: {err}");
        assert!(!err.contains("kompass.toml:"), "{flag}: {err}");
    }
}

/// What the config file turns on, a flag turns off (`--no-strict`, the last
/// of `--strict` / `--no-strict` winning); a word the file's key does not
/// take is named at its line and column.
#[test]
fn config_switches_can_be_turned_off_and_bad_words_are_placed() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,new,1,5x\n0114,2012,new,2,50\n",
    );
    wd.create(
        "k.toml",
        "inputs = [\"in.csv\"]\nstrict = true\nexcel = true\n",
    );
    wd.run_expect(&["validate", "--config", "k.toml", "-o", "a", "-q"], 3);
    assert!(
        String::from_utf8(wd.read("a/evaluations.csv"))
            .unwrap()
            .contains(';')
    );
    wd.run_expect(
        &words("validate --config k.toml -o b -q --no-strict --no-excel"),
        0,
    );
    let plain = String::from_utf8(wd.read("b/evaluations.csv")).unwrap();
    assert!(plain.starts_with("country,municipality_code,"), "{plain}");
    let args = ["validate", "--config", "k.toml", "-o", "c", "-q"];
    wd.run_expect(&[&args[..], &["--no-strict", "--strict"]].concat(), 3);
    wd.create("k.toml", "inputs = [\"in.csv\"]\n\n  basis =  \"some\"\n");
    let out = wd.run_expect(&["run", "--config", "k.toml", "-o", "d", "-q"], 2);
    assert!(
        stderr(&out)
            .contains("k.toml: line 3, column 12: basis = \"some\" is not one of: latest, all"),
        "{}",
        stderr(&out)
    );
}

/// Config mistakes the synth and CLI audit (2026-12-02) found unnamed: a
/// value of a list of the wrong type and a dotted key named without their
/// key, a `[table]` without a word that the file has none, an encoding's
/// other names left out of the list and of the suggestion.
#[test]
fn config_mistakes_name_their_key_and_what_was_meant() {
    let wd = Workdir::new();
    wd.create("in.csv", CONFLICT);
    for (line, says) in [
        (
            "inputs = [\"in.csv\", 1]",
            "k.toml: line 1, column 21: inputs: invalid type: integer `1`",
        ),
        (
            "basis.x = \"x\"",
            "k.toml: line 2, column 1: basis.x: invalid type: map",
        ),
        // An element on a line of its own, and a key that takes a value
        // written as a table: neither named its key.
        (
            "inputs = [\n  \"in.csv\",\n  1,\n]",
            "k.toml: line 3, column 3: inputs: invalid type: integer `1`",
        ),
        // A list as an element on a line of its own is no table.
        (
            "inputs = [\n  \"in.csv\",\n  [\"b\"],\n]",
            "k.toml: line 3, column 3: inputs: invalid type: sequence",
        ),
        (
            "[report]\nx = 1",
            "k.toml: line 2, column 1: report: invalid type: map, expected a string (written as \
             a table, [report]: it takes a value, report = ...)",
        ),
        ("[run]", "unknown field `run`, expected one of `inputs`"),
        (
            "encoding = \"latin-1\"",
            "encoding = \"latin-1\" is not one of: auto, utf-8, windows-1252 (or utf8, cp1252, \
             latin1) (did you mean \"windows-1252\"?)",
        ),
    ] {
        let text = match line.starts_with("inputs") {
            true => format!("{line}\n"),
            false => format!("inputs = [\"in.csv\"]\n{line}\n"),
        };
        wd.create("k.toml", text);
        let out = wd.run(&["validate", "--config", "k.toml", "-o", "o"]);
        assert_eq!(out.status.code(), Some(2), "{line}");
        assert!(stderr(&out).contains(says), "{line}: {}", stderr(&out));
        if line == "[run]" {
            assert!(stderr(&out).contains("; a table ([...]) this file does not have"));
        }
    }
}

/// A config key's choice or number that a flag overrides is checked all
/// the same and, refused, says it was overridden, as a path does (CLI
/// audit, 2026-12-02: `bootstrap: 1 replicates` did not say so).
#[test]
fn an_overridden_choice_or_number_is_refused_as_overridden() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,new,1,50\n",
    );
    for (toml, flag, said) in [
        (
            "bootstrap = 1",
            ["--bootstrap", "5"],
            "c.toml: line 2, column 13: bootstrap = 1 (overridden by --bootstrap, checked all \
             the same): 1 replicates: give 0",
        ),
        (
            "basis = \"x\"",
            ["--basis", "all"],
            "c.toml: line 2, column 9: basis = \"x\" (overridden by --basis, checked all the \
             same) is not one of: latest, all",
        ),
    ] {
        wd.create("c.toml", format!("inputs = [\"in.csv\"]\n{toml}\n"));
        let err = stderr(&wd.run_expect(
            &["run", "--config", "c.toml", "-o", "o", flag[0], flag[1]],
            2,
        ));
        assert!(err.contains(said), "{err}");
        assert!(!wd.exists("o"));
    }
}
