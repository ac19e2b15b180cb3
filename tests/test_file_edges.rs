//! The edges of an input file: lines with no data before its header, a
//! side table's quote that takes rows below it, the same file under two
//! names, old Mac line ends in an error's line number. Each case's rows are
//! counted by hand from the text written here.

use crate::workdir::{Workdir, assert_stderr_has, stderr, stdout, words};

/// Östersund 2010, areas 1 and 2 on the 2010 scale (seed report, Tabell 1:
/// 68 and 66), Swedish headers as Excel saves them.
const ROWS: &str = "SE;2380;Östersund;2010;ny;1;68;100\r\nSE;2380;Östersund;2010;ny;2;66;100\r\n";
const HEADER: &str = "land;kommunkod;kommun;år;skala;fråga;poäng;max\r\n";

/// A first row left empty in Excel is saved as `;;;;;;;`: the header is on
/// the next line, and its rows are read, counted and placed at their own
/// lines, in a folder as when the file is named (it was skipped as "not an
/// export", its rows in no count). So is a line of spaces, in an export as
/// in a register.
#[test]
fn lines_of_separators_before_the_header_are_passed_over() {
    let wd = Workdir::new();
    wd.create("in/a.csv", format!(";;;;;;;\r\n{HEADER}{ROWS}"));
    wd.create(
        "in/b.csv",
        "   \r\n\r\n ; ;\r\ncountry,municipality_code,eval_year,scale,item,score\r\n\
         SE,0114,2012,new,1,50\r\n",
    );
    wd.create("reg.csv", ";;;;\ncountry;code;name\nSE;2380;Östersund\n");
    let out = wd.run_expect(
        &["validate", "-i", "in", "--register", "reg.csv", "-o", "out"],
        0,
    );
    let said = stdout(&out);
    assert!(
        said.contains("in/a.csv: long layout, UTF-8, ';'; rows read 2 = 2 accepted + 0 rejected"),
        "{said}"
    );
    assert!(
        said.contains("in/b.csv: long layout, UTF-8, ','; rows read 1 = 1 accepted + 0 rejected"),
        "{said}"
    );
    assert!(
        said.contains("all files: rows read 3 = 3 accepted"),
        "{said}"
    );
    let e = wd.table("out/evaluations.csv").records();
    let got: Vec<(&str, &str, &str, &str)> = e
        .iter()
        .map(|r| {
            (
                r["municipality_code"].as_str(),
                r["item"].as_str(),
                r["score"].as_str(),
                r["source"].as_str(),
            )
        })
        .collect();
    // Files in path order (1: a.csv, 2: b.csv); lines counted from 1 with
    // the lines before the header.
    assert_eq!(
        got,
        [
            ("0114", "1", "50", "2:5"),
            ("2380", "1", "68", "1:3"),
            ("2380", "2", "66", "1:4"),
        ]
    );
    // The register's Östersund was read (no unknown-municipality for it),
    // 0114 is not in it.
    let v = wd.table("out/validation.csv").records();
    let unknown: Vec<&str> = (v.iter())
        .filter(|r| r["rule"] == "unknown-municipality")
        .map(|r| r["municipality_code"].as_str())
        .collect();
    assert_eq!(unknown, ["0114"]);
    // A file of such lines alone has no header: not an export, said so.
    wd.create("junk.csv", ";;;;\r\n   \r\n");
    let out = wd.run_expect(&["validate", "-i", "junk.csv", "-o", "o2"], 1);
    assert_stderr_has(
        &out,
        "junk.csv: no header row: no line of the file has data",
    );
}

/// A stray quote in a register or a published file takes the rows below
/// it into one field until the next quote: the record still has the
/// header's width, and SE 0115 and 0117 would be gone from the register
/// (0114's name three lines long), items 1 and 2 gone from the published
/// averages, without a word. It is a configuration error at its lines.
#[test]
fn a_side_table_field_over_several_lines_is_an_error() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "country,municipality_code,eval_year,scale,item,score\nSE,0115,2010,new,1,50\n",
    );
    wd.create(
        "reg.csv",
        "country,code,name,population\nSE,0114,\"Upplands Väsby,1\nSE,0115,Vallentuna,2\n\
         SE,0117,Österåker\",3\nSE,0120,Värmdö,4\n",
    );
    let out = wd.run_expect(&words("validate -i in.csv --register reg.csv -o o1"), 2);
    let err = stderr(&out);
    assert!(
        err.contains("reg.csv: line 2: a quoted field runs over lines 2-4 (a stray '\"')"),
        "{err}"
    );
    wd.create(
        "pub.csv",
        "source,published_year,country,scale,basis,item,mean,n\r\n\
         Medel,2011,SE,new,,4,59,\r\n\"SKL Tabell 1,2011,SE,new,,1,49,\r\n\
         SKL Tabell 1,2011,SE,new,,2,54,\r\nSKL Tabell 1\",2011,SE,new,,3,66,\r\n",
    );
    let out = wd.run_expect(
        &words("run -i in.csv --published pub.csv --charts none --report none -o o2"),
        2,
    );
    let err = stderr(&out);
    assert!(
        err.contains("pub.csv: line 3: a quoted field runs over lines 3-5"),
        "{err}"
    );
    assert!(!wd.exists("o2/evaluations.csv"));
}

/// A stray quote in a side table's header: the register's rows 2-3 read
/// as its fourth column's name (gone, every row an unknown municipality,
/// exit 0, from the hostile-input audit); never closed, the whole
/// published file its header. Both a configuration error at their lines.
#[test]
fn a_side_table_header_over_several_lines_is_an_error() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "country,municipality_code,eval_year,scale,item,score\nSE,0115,2010,new,1,50\n",
    );
    wd.create(
        "reg.csv",
        "country,code,name,\"population\nSE,0115,Vallentuna,2\nSE,0114,Väsby,1\"\n\
         SE,0117,Österåker,3\n",
    );
    let reg = words("validate -i in.csv --register reg.csv -o o3");
    wd.run_says(
        &reg,
        2,
        "reg.csv: line 1: a quoted field of the header runs over lines 1-3",
    );
    wd.create(
        "pub.csv",
        "source,published_year,country,scale,basis,item,mean,\"n\r\nMedel,2011,SE,new,,4,59,\r\n",
    );
    wd.run_says(
        &words("run -i in.csv --published pub.csv -o o4 --charts none"),
        2,
        "pub.csv: line 1: a quoted field of the header is never closed (a stray '\"'): the rest \
         of the file, lines 1-2,",
    );
}

/// A hard link is another name of the same file: read once, as a
/// symbolic link or `./in.csv` is (its rows were counted twice, the second
/// time as duplicates).
#[cfg(unix)]
#[test]
fn a_file_under_two_names_is_read_once() {
    let wd = Workdir::new();
    let a = wd.create("d/a.csv", format!("{HEADER}{ROWS}"));
    std::fs::hard_link(&a, wd.file("hard.csv")).unwrap();
    let out = wd.run_expect(&["validate", "-i", "d/a.csv", "hard.csv", "-o", "out"], 0);
    let said = stdout(&out);
    assert!(said.contains("inputs: 1 file(s)"), "{said}");
    assert!(
        said.contains("all files: rows read 2 = 2 accepted"),
        "{said}"
    );
    assert_eq!(wd.table("out/validation.csv").records().len(), 0);
}

/// Old Mac line ends (a carriage return alone) count as line ends in an
/// encoding error's line, as in every other line kompass names: the 0xD6
/// is on line 3 (it was said to be on line 1).
#[test]
fn an_encoding_error_is_placed_on_its_line_with_old_mac_line_ends() {
    let wd = Workdir::new();
    let mut text =
        b"land;kommunkod;kommun;\xc3\xa5r;skala;fr\xc3\xa5ga;po\xc3\xa4ng;max\r".to_vec();
    text.extend_from_slice(b"SE;2380;X;2010;ny;1;68;100\rSE;2380;\xd6stersund;2010;ny;2;66;100\r");
    wd.create("mac.csv", &text);
    for encoding in ["auto", "utf-8"] {
        let out = wd.run_expect(
            &[
                "validate",
                "-i",
                "mac.csv",
                "--encoding",
                encoding,
                "-o",
                "out",
            ],
            1,
        );
        let err = stderr(&out);
        assert!(
            err.contains("mac.csv: line 3: byte 0xD6"),
            "{encoding}: {err}"
        );
    }
}

/// A generated data set's `meta/register.csv` (written when it adds
/// municipalities of its own: 12 evaluations of 2) has the formula guard
/// (`'=Väsby`); read back as the register of that data set, it is the
/// name `=Väsby` again: no `name-mismatch` on every row, and the name
/// guarded once in the outputs (it was `''=Väsby`).
#[test]
fn a_register_kompass_wrote_reads_back_as_its_text() {
    let wd = Workdir::new();
    wd.create(
        "reg.csv",
        "country,code,name\nSE,0114,=Väsby\nSE,0115,@Vallentuna\n",
    );
    wd.run_expect(
        &words("synth -n 12 --countries SE --register reg.csv -o gen -q"),
        0,
    );
    let written = String::from_utf8(wd.read("gen/meta/register.csv")).unwrap();
    assert!(written.contains("SE,0114,'=Väsby"), "{written}");
    wd.run_expect(
        &words("validate -i gen --register gen/meta/register.csv -o out"),
        0,
    );
    assert_eq!(wd.table("out/validation.csv").records().len(), 0);
    let names: std::collections::BTreeSet<String> = wd
        .table("out/evaluations.csv")
        .column("municipality")
        .into_iter()
        .collect();
    assert!(
        names.contains("'=Väsby") && names.contains("'@Vallentuna"),
        "{names:?}"
    );
    assert!(names.iter().all(|n| !n.starts_with("''")), "{names:?}");
}

/// What an input folder holds besides files is named, not left out
/// without a word: a pipe and a link to a device are skipped with a notice
/// (the pipe never opened: it would wait for a writer), a link to nothing
/// (a share not mounted) ends the run, as an unreadable file does.
#[cfg(unix)]
#[test]
fn pipes_devices_and_links_to_nothing_in_an_input_folder_are_named() {
    let wd = Workdir::new();
    wd.create("in/a.csv", crate::test_safety::SMALL);
    let fifo = wd.file("in/f.csv");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    std::os::unix::fs::symlink("/dev/null", wd.file("in/z.csv")).unwrap();
    wd.run_expect(&["validate", "-i", "in", "-o", "out", "-q"], 0);
    let skipped = (wd.table("out/validation.csv").records().into_iter())
        .filter(|r| r["rule"] == "skipped-file")
        .map(|r| r["value"].clone())
        .collect::<Vec<_>>();
    assert_eq!(skipped, ["in/f.csv", "in/z.csv"]);
    std::os::unix::fs::symlink("/nonexistent/share/b.csv", wd.file("in/b.csv")).unwrap();
    // In the folder, and named directly (that was "no such file or
    // folder", exit 2: a mistyped argument).
    for input in ["in", "in/b.csv"] {
        let out = wd.run_expect(&["validate", "-i", input, "-o", "out2", "-q"], 1);
        let said = "in/b.csv: a symbolic link to /nonexistent/share/b.csv, which is not there";
        assert!(stderr(&out).contains(said), "{input}: {}", stderr(&out));
    }
    // A link to a device named directly is not taken for a link to
    // nothing: it is named for what it is, as before.
    let out = wd.run_expect(&["validate", "-i", "in/z.csv", "-o", "out3", "-q"], 2);
    assert_stderr_has(&out, "in/z.csv: not a regular file or a folder");
}

/// A link that leads back to itself is said to be one (it was the
/// system's "Too many levels of symbolic links (os error 40)": the input
/// audit of 2026-12-06), in a folder or named directly, exit 1; a file
/// named with a `/` at the end is said to be a file (it was "no such file
/// or folder"), exit 2 as a mistyped argument.
#[cfg(unix)]
#[test]
fn a_link_to_itself_and_a_file_named_as_a_folder_are_said_to_be() {
    let wd = Workdir::new();
    wd.create("in/a.csv", crate::test_safety::SMALL);
    std::os::unix::fs::symlink("self.csv", wd.file("in/self.csv")).unwrap();
    for input in ["in", "in/self.csv"] {
        let out = wd.run_expect(&["validate", "-i", input, "-o", "out", "-q"], 1);
        let said = "in/self.csv: a symbolic link to self.csv, which leads back to it (a loop of \
                    links, or a chain of more than the system follows): it names no file";
        assert!(stderr(&out).contains(said), "{input}: {}", stderr(&out));
    }
    wd.run_says(
        &["validate", "-i", "in/a.csv/", "-o", "out", "-q"],
        2,
        "in/a.csv/: a file, named with a '/' at the end as a folder is: leave out the '/'",
    );
    assert!(!wd.exists("out"));
}

/// A file in an input folder with no line end in its first 16 MiB is not
/// read whole (2 GB of one line took 6.5 GB of memory and aborted): it is
/// skipped with a notice; named directly, it ends the run (exit 1).
#[test]
fn a_file_without_a_line_end_is_not_read_whole() {
    let wd = Workdir::new();
    wd.create("in/a.csv", crate::test_safety::SMALL);
    wd.create("in/blob.txt", vec![b'a'; (16 << 20) + 1]);
    wd.run_expect(&["validate", "-i", "in", "-o", "out", "-q"], 0);
    let v = wd.table("out/validation.csv").records();
    let says = "no line end in its first 16 MiB: not a CSV export";
    assert!(
        v.iter()
            .any(|r| r["rule"] == "skipped-file" && r["message"].contains(says)),
        "{v:?}"
    );
    let out = wd.run_expect(&["validate", "-i", "in/blob.txt", "-o", "out2"], 1);
    assert!(stderr(&out).contains(says), "{}", stderr(&out));
}

/// Random bytes in an input folder (a stray binary `.txt`) are skipped as
/// a binary file, not refused as "mixes two encodings", which ended the
/// run for one junk file.
#[test]
fn random_bytes_in_an_input_folder_are_skipped_as_binary() {
    let wd = Workdir::new();
    wd.create("in/a.csv", crate::test_safety::SMALL);
    let mut x: u64 = 42;
    let noise: Vec<u8> = (0..200_000)
        .map(|_| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (x >> 56) as u8
        })
        .collect();
    wd.create("in/r.txt", noise);
    wd.run_expect(&["validate", "-i", "in", "-o", "out", "-q"], 0);
    let v = wd.table("out/validation.csv").records();
    assert!(
        v.iter()
            .any(|r| r["rule"] == "skipped-file" && r["message"].contains("a binary file")),
        "{v:?}"
    );
}

/// Two file names that are not UTF-8 (Latin-1 `ÿ.csv` and `þ.csv`) were
/// both `d/�.csv` in `inputs.csv` and `rejects.csv`, which join on it:
/// a rejected row's file could not be told. Each byte that is not UTF-8
/// is written as `\xFF`.
#[cfg(target_os = "linux")]
#[test]
fn file_names_that_are_not_utf8_stay_apart() {
    use std::os::unix::ffi::OsStrExt;
    let wd = Workdir::new();
    std::fs::create_dir(wd.file("d")).unwrap();
    let header = "municipality_code,eval_year,scale,item,score\n";
    for (byte, row) in [
        (0xFFu8, "0114,2012,new,1,50\n"),
        (0xFE, "0115,2012,new,1,5x\n"),
    ] {
        let name = [byte, b'.', b'c', b's', b'v'];
        let path = wd.file("d").join(std::ffi::OsStr::from_bytes(&name));
        std::fs::write(path, format!("{header}{row}")).unwrap();
    }
    wd.run_expect(&["validate", "-i", "d", "-o", "out", "-q"], 0);
    let inputs = wd
        .table("out/inputs.csv")
        .select(&["path", "rows_rejected"]);
    assert_eq!(inputs, [["d/\\xFE.csv", "1"], ["d/\\xFF.csv", "0"]]);
    let rejects = wd.table("out/rejects.csv").column("file");
    assert_eq!(rejects, ["d/\\xFE.csv"]);
}

/// A broken header below line 1 (after blank lines, or Excel's `sep=`
/// line) is named at its line: "columns ... mean the same thing" gave no
/// line, and the reader looked at line 1.
#[test]
fn a_broken_header_below_line_one_is_named_at_its_line() {
    let wd = Workdir::new();
    let header = "municipality_code;eval_year;scale;item;score;poäng\n";
    wd.create("blank.csv", format!("\n\n{header}"));
    wd.create("sep.csv", format!("sep=;\n{header}"));
    wd.create("first.csv", header);
    for (file, at) in [
        ("blank.csv", "line 3: "),
        ("sep.csv", "line 2: "),
        ("first.csv", ""),
    ] {
        let out = wd.run(&["validate", "-i", file, "-o", "out", "-q"]);
        assert_eq!(out.status.code(), Some(1), "{file}");
        let says = format!("{file}: {at}columns 5 'score' and 6 'poäng' mean the same thing");
        assert!(stderr(&out).contains(&says), "{}", stderr(&out));
    }
}
