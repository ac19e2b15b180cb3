//! Instrument definitions (`data/instrument/*.toml`, `--instruments`): a
//! new version needs no code change, and a broken file is exit 2 at load,
//! naming the file and the item.

use crate::workdir::{Workdir, assert_stderr_has, stderr, words};

#[test]
fn the_linked_scale_id_is_reserved() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,x,1,5\n",
    );
    let file = |id: &str, alias: &str| {
        format!(
            "id = \"{id}\"\naliases = [\"{alias}\"]\nname_sv = \"x\"\nname_en = \"x\"\nresolution = 1\ntotal_max = 100\n[[area]]\nid = \"1\"\nname_sv = \"a\"\nname_en = \"a\"\nmax = 100\n"
        )
    };
    for (dir, id, alias) in [("a", "linked", "y"), ("b", "x", "Linked")] {
        wd.create(&format!("{dir}/x.toml"), file(id, alias));
        let out = wd.run_expect(&["validate", "-i", "in.csv", "--instruments", dir], 2);
        assert_stderr_has(&out, "is reserved");
    }
    wd.create("c/x.toml", file("x", "y"));
    wd.run_expect(&words("validate -i in.csv --instruments c -o out"), 0);
}

#[test]
fn broken_instrument_files_are_a_configuration_error() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,x,1,5\n",
    );
    wd.create("ins/x.toml", "id = \"x\"\nname_sv = \"x\"\nname_en = \"x\"\nresolution = 1\ntotal_max = 200\n[[area]]\nid = \"1\"\nname_sv = \"a\"\nname_en = \"a\"\nmax = 100\n");
    let out = wd.run_expect(&["validate", "-i", "in.csv", "--instruments", "ins"], 2);
    // `total_max = 200` on line 5, its value from column 13.
    assert_stderr_has(
        &out,
        "x.toml: line 5, column 13: area maxima add up to 100, not to total_max 200",
    );
    // Values that passed the check and then crashed the link stage (a
    // capacity overflow, an abort allocating 32 GB) or named files outside
    // the output folder.
    let scale = |id: &str, res: &str, max: &str| instrument(id, res, max, "id = \"1\"");
    expect_at_load(
        &wd,
        &[
            (
                scale("x", "1", "inf"),
                "item total: max must be a positive number, got inf",
            ),
            (
                scale("x", "0.0000001", "100"),
                "item total: max 100 at resolution 0.0000001 makes 1000000001 score points",
            ),
            // As written, not in 309 digits.
            (
                scale("x", "1", "1e308"),
                "item total: max 1e308 at resolution 1 makes 1e308 score points; at most \
                 2001",
            ),
            (
                scale("x", "0.5", "1e308"),
                "item total: max 1e308 is not a whole number of steps of the resolution \
                 0.5",
            ),
            (
                scale("x", "1e-100", "100"),
                "item total: max 100 at resolution 1e-100 makes 1e102 score points",
            ),
            (
                scale("x", "-1e300", "100"),
                "resolution must be positive, got -1e300",
            ),
            (scale("x", "0.05", "100"), ""),
            // A full score off the scale (1 at 0.3), or under one step.
            (
                scale("x", "0.3", "1"),
                "item total: max 1 is not a whole number of steps of the resolution 0.3",
            ),
            (
                scale("x", "0.5", "0.1"),
                "item total: max 0.1 is not a whole number of steps of the resolution 0.5 \
                 (at least one)",
            ),
            (
                scale("../x", "1", "100"),
                "id '../x': a scale id is letters, digits",
            ),
            // An id the CSV outputs would guard as a formula ('-a), which
            // an export read back would not find (from the output audit of
            // 2026-12-01: every row of such an item rejected on reading
            // evaluations.csv back).
            (
                scale("-x", "1", "100"),
                "id '-x': a scale id starts with a letter or a digit",
            ),
            (
                instrument("x", "1", "100", "id = \"-a\""),
                "item id '-a': an item id starts with a letter or a digit",
            ),
            (instrument("x", "1", "100", "id = \"a-\""), ""),
            // An id too long to name a chart's file passed the check and
            // failed the run at its end, with nothing written; an empty
            // alias was taken (hostile-input trials, 2026-12-05).
            (
                scale(&"x".repeat(65), "1", "100"),
                "id of 65 characters: a scale id is at most 64 (it names files)",
            ),
            (scale(&"x".repeat(64), "1", "100"), ""),
            (
                format!("aliases = [\"y\", \" \"]\n{}", scale("x", "1", "100")),
                "an empty alias: an empty `scale` cell names no version",
            ),
        ],
    );
}

/// An instrument file of one area (`area`: its id and links) of `max`
/// points at `res`, scale id `id`.
fn instrument(id: &str, res: &str, max: &str, area: &str) -> String {
    format!(
        "id = \"{id}\"\nname_sv = \"x\"\nname_en = \"x\"\nresolution = {res}\n\
         total_max = {max}\n[[area]]\n{area}\nname_sv = \"a\"\nname_en = \"a\"\n\
         max = {max}\n"
    )
}

/// Runs `validate` on `in.csv` with each instrument file as `ins/x.toml`:
/// exit 2 with the message `said`, or exit 0 where `said` is empty.
fn expect_at_load(wd: &Workdir, cases: &[(String, &str)]) {
    for (toml, said) in cases {
        wd.create("ins/x.toml", toml);
        let args = ["validate", "-i", "in.csv", "--instruments", "ins"];
        let out = wd.run(&[&args[..], &["-o", "o", "--force"]].concat());
        let want = if said.is_empty() { 0 } else { 2 };
        assert_eq!(out.status.code(), Some(want), "{toml}: {}", stderr(&out));
        // The file is named, then (for a value or an item of it) the line
        // and column where it is written, then what is wrong.
        let err = stderr(&out);
        let at = err.find(said).unwrap_or_else(|| panic!("{said}: {err}"));
        let placed = err[..at].rsplit_once("x.toml: ").is_some_and(|(_, place)| {
            let line = place.starts_with("line ") && place.contains(", column ");
            place.is_empty() || (line && place.ends_with(": "))
        });
        assert!(said.is_empty() || placed, "{err}");
    }
}

#[test]
fn a_new_scale_version_needs_no_code_change() {
    let wd = Workdir::new();
    wd.create("in.csv", "municipality_code,eval_year,scale,item,score\n0114,2026,kk26,1,30\n0114,2026,KK,total,30\n");
    wd.create("ins/kk26.toml", "id = \"kk26\"\naliases = [\"kk\"]\nname_sv = \"x\"\nname_en = \"x\"\nresolution = 1\ntotal_max = 100\n[[area]]\nid = \"1\"\nname_sv = \"a\"\nname_en = \"a\"\nmax = 100\n");
    wd.run_expect(&words("validate -i in.csv --instruments ins -o out"), 0);
    assert_eq!(
        wd.table("out/evaluations.csv").column("scale"),
        vec!["kk26", "kk26"]
    );
}

/// A link to the item's own version was dropped without a word (the
/// author meant another version), and an area id with a '.' was taken,
/// though `1.1` is how a sub-question of area 1 is named: both are exit 2
/// at load, naming the file and the item.
#[test]
fn a_link_to_its_own_version_and_a_dotted_area_id_are_refused() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,x,1,5\n",
    );
    let scale = |area: &str| instrument("x", "1", "100", area);
    expect_at_load(
        &wd,
        &[
            (
                scale("id = \"1\"\nlinks = { x = \"1\" }"),
                "item 1 links to x, its own version",
            ),
            (
                scale("id = \"1.1\""),
                "area id '1.1': an area's id has no '.'",
            ),
            (scale("id = \"1\""), ""),
        ],
    );
}

/// An area linked to a sub-question of another version was fitted, and
/// put the area's 0–100 scores on the sub-question's scale: exit 2 at
/// load, naming both items and their kinds.
#[test]
fn a_link_joins_items_of_the_same_kind() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,x,1,5\n",
    );
    wd.create(
        "ins/y.toml",
        instrument("y", "1", "100", "id = \"1\"")
            + "[[area.question]]\nid = \"1.1\"\ntext_sv = \"q\"\nmax = 100\n",
    );
    let scale = |area: &str| instrument("x", "1", "100", area);
    expect_at_load(
        &wd,
        &[
            (
                scale("id = \"1\"\nlinks = { y = \"1.1\" }"),
                "item 1 (an area) links to y item 1.1 (a sub-question): a link joins \
                 items of the same kind",
            ),
            (scale("id = \"1\"\nlinks = { y = \"1\" }"), ""),
        ],
    );
}

/// What is wrong with a link or a sub-question is named as it is: a link
/// to no version read said "links to nope item 1, which does not exist"
/// (the version is missing, not the item); `links` written as a date named
/// the TOML reader's private key as the version; a sub-question without
/// an id "does not belong to area '1'".
#[test]
fn a_broken_link_or_question_is_named_as_it_is() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,x,1,5\n",
    );
    wd.create("ins/y.toml", instrument("y", "1", "100", "id = \"1\""));
    let scale = |area: &str| instrument("x", "1", "100", area);
    let question = "[[area.question]]\nid = \" \"\ntext_sv = \"q\"\nmax = 100\n";
    expect_at_load(
        &wd,
        &[
            (
                scale("id = \"1\"\nlinks = { nope = \"1\" }"),
                "item 1 links to version 'nope', which is none of the versions read \
                 (x, y) nor an alias of one",
            ),
            (
                scale("id = \"1\"\nlinks = { y = \"9\" }"),
                "item 1 links to y item 9, which does not exist",
            ),
            (
                scale("id = \"1\"\nlinks = 1979-05-27"),
                "area 1: links is a table of version and item",
            ),
            (
                scale("id = \"1\"") + question,
                "area 1: a sub-question without an id",
            ),
        ],
    );
}

/// The 2015 revision is a scale of its own (same areas as 2010, updated
/// criteria): read where an export names it, never averaged with 2010-scale
/// scores, and across the revision only through a link of evaluations
/// scored on both. By hand: pairs (2015, 2010) of area 1 = (60, 55) and
/// (70, 66), differences −5 and −4: a mean link x − 4.5 (2 pairs), so
/// Värmdö's 60 of 2016 links to 55.5 on the 2010 scale, a change of +5.5
/// from its 50 of 2012.
#[test]
fn the_2015_revision_is_a_scale_of_its_own() {
    let wd = Workdir::new();
    let head = "municipality_code,eval_year,scale,item,score\n";
    wd.create(
        "alone.csv",
        format!("{head}0120,2012,new,1,50\n0120,2016,2015,1,60\n"),
    );
    wd.run_expect(&words("run -i alone.csv -o a -q --charts none"), 0);
    let v = wd.table("a/validation.csv").records();
    assert!(
        v.iter()
            .any(|r| r["rule"] == "no-linking" && r["scale"] == "2015"),
        "{v:?}"
    );
    assert_eq!(wd.table("a/trends.csv").records().len(), 0);
    let means: Vec<String> = (wd.table("a/averages.csv").records().iter())
        .filter(|r| r["grouping"] == "national" && r["scale"] != "linked")
        .map(|r| format!("{} {} {}", r["scale"], r["n"], r["mean"]))
        .collect();
    assert_eq!(means, ["2015 1 60", "new 1 50"]);

    wd.create(
        "pairs.csv",
        format!(
            "{head}0120,2012,new,1,50\n0120,2016,ny 2015,1,60\n\
             0114,2016,2015,1,60\n0114,2016,new,1,55\n\
             0115,2016,reviderad 2015,1,70\n0115,2016,ny,1,66\n"
        ),
    );
    wd.run_expect(&words("run -i pairs.csv -o p -q --charts none"), 0);
    let t = wd.table("p/trends.csv").records();
    let r = crate::workdir::row(&t, &[("municipality_code", "0120")]);
    assert_eq!(
        [&r["scale"], &r["from_score"], &r["to_score"], &r["delta"]],
        ["cross-scale", "50", "55.5", "5.5"]
    );
}

/// Two areas of the 2020 version linked to new area 1 (the shipped files
/// with one link changed) are refused, naming both: both were fitted to the
/// one target, new area 8 left without a link, and the run went on.
#[test]
fn two_items_linked_to_one_are_refused() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,new,1,5\n",
    );
    wd.instruments_edited("ins", "2020", |text| {
        text.replacen("links = { new = \"8\" }", "links = { new = \"1\" }", 1)
    });
    let out = wd.run_expect(&["validate", "-i", "in.csv", "--instruments", "ins"], 2);
    let err = stderr(&out);
    assert!(
        err.contains("2020.toml: items 1 and 2 of version 2020 both link to new item 1"),
        "{err}"
    );
}

/// Two instrument files with the same id: the error names both files
/// (`new.toml`, read first, given the id `old`, and `old.toml`); it named
/// only the second, as if `old.toml` clashed with itself.
#[test]
fn two_files_with_one_id_are_both_named() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,old,1,5\n",
    );
    wd.create("ins/new.toml", instrument("old", "1", "100", "id = \"1\""));
    wd.create("ins/old.toml", instrument("old", "1", "100", "id = \"1\""));
    let out = wd.run_expect(&["validate", "-i", "in.csv", "--instruments", "ins"], 2);
    let err = stderr(&out);
    assert!(
        err.contains("old.toml: name or alias 'old' is also used by version 'old' (ins/new.toml)"),
        "{err}"
    );
}

/// One file giving a name twice, its id as an alias (in another case)
/// or an alias twice: exit 2 naming it; it was an internal error (exit 5,
/// a panic looking up the version the name clashed with, not yet read).
#[test]
fn a_name_given_twice_in_one_file_is_named() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,x,1,5\n",
    );
    let with = |aliases: &str| {
        instrument("x", "1", "100", "id = \"1\"").replacen(
            "name_sv",
            &format!("aliases = [{aliases}]\nname_sv"),
            1,
        )
    };
    expect_at_load(
        &wd,
        &[
            (
                with("\"X\""),
                "name or alias 'X' is given twice in version 'x'",
            ),
            (
                with("\"y\", \"Y \""),
                "name or alias 'Y ' is given twice in version 'x'",
            ),
            (with("\"y\""), ""),
        ],
    );
}

/// A scale's alias with a no-break space, two spaces or a tab between its
/// words (as a spreadsheet may write `ny 2015`) is that alias; before, it
/// was an unknown scale whose message quoted what looked like the alias.
#[test]
fn a_scale_alias_spaced_otherwise_is_the_alias() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n\
         0114,2016,Ny\u{a0}2015,1,55\n0115,2016,ny  2015,1,60\n0117,2016,ny\t2015,1,65\n",
    );
    wd.run_expect(&["validate", "-i", "in.csv", "-o", "out"], 0);
    assert_eq!(wd.table("out/rejects.csv").records().len(), 0);
    let ev = wd.table("out/evaluations.csv").records();
    let scales: Vec<&str> = ev.iter().map(|r| r["scale"].as_str()).collect();
    assert_eq!(scales, ["2015", "2015", "2015"], "{ev:?}");
}

/// `synth` draws 8 areas of 100 points per evaluation: an instrument
/// folder whose version has another shape is refused before anything is
/// written (the code review of 2026-12-06: a ninth area of `new` panicked,
/// index out of bounds, exit 5; seven wrote totals of eight areas' points,
/// `total-sum` findings the truth did not plant).
#[test]
fn synth_refuses_an_instrument_of_another_shape() {
    let wd = Workdir::new();
    let ninth = "\n[[area]]\nid = \"9\"\nname_sv = \"Nio\"\nname_en = \"Nine\"\nmax = 100\n\n\
                 [[area.question]]\nid = \"9.1\"\ntext_sv = \"N\"\ntext_en = \"N\"\nmax = 100\n";
    wd.instruments_edited("nine", "new", |text| {
        format!(
            "{}{ninth}",
            text.replacen("total_max = 800", "total_max = 900", 1)
        )
    });
    wd.instruments_edited("seven", "old", |text| {
        let last = text.rfind("[[area]]").unwrap_or(text.len());
        text[..last].replacen("total_max = 800", "total_max = 700", 1)
    });
    for (dir, says) in [
        ("nine", "version 'new' does not fit (it has 9 areas)"),
        ("seven", "version 'old' does not fit (it has 7 areas)"),
    ] {
        // The folder is a valid instrument folder for a run.
        wd.create(
            "in.csv",
            "municipality_code,eval_year,scale,item,score\n0114,2012,new,1,5\n",
        );
        wd.run_expect(
            &[
                "validate",
                "-i",
                "in.csv",
                "--instruments",
                dir,
                "-q",
                "-o",
                "v",
            ],
            0,
        );
        let out = wd.run_expect(&["synth", "-n", "30", "--instruments", dir, "-o", "gen"], 2);
        let err = stderr(&out);
        assert!(
            err.contains("synth models instrument versions of 8 areas of 100 points each"),
            "{err}"
        );
        assert!(err.contains(says), "{err}");
        assert!(!wd.exists("gen"), "{dir}");
    }
}

/// An error about a value or an item of an instrument file names the line
/// and column where it is written (the reference audit of the
/// seventy-sixth session: those found after the file was parsed named the
/// file alone). By hand, in the file below: `in_use_from`'s value at line
/// 6, column 15; area 1's id at line 8, column 6; its sub-question's at
/// line 13, column 6.
#[test]
fn instrument_errors_name_the_line_of_the_value_or_item() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "municipality_code,eval_year,scale,item,score\n0114,2012,x,1,5\n",
    );
    let file = |year: &str, q: &str, max: &str| {
        format!(
            "id = \"x\"\nname_sv = \"x\"\nname_en = \"x\"\nresolution = 1\ntotal_max = 100\n\
             in_use_from = {year}\n[[area]]\nid = \"1\"\nname_sv = \"a\"\nname_en = \"a\"\n\
             max = 100\n[[area.question]]\nid = \"{q}\"\ntext_sv = \"q\"\nmax = {max}\n"
        )
    };
    let cases = [
        (
            file("-5", "1.1", "100"),
            "line 6, column 15: in_use_from = -5 is not a year (four digits, such as 2010)",
        ),
        (
            file("2010", "1.1", "90"),
            "line 8, column 6: area 1: sub-question maxima add up to 90, not to the area's max 100",
        ),
        (
            file("2010", "2.1", "100"),
            "line 13, column 6: sub-question '2.1' does not belong to area '1'",
        ),
        (file("2010", "1.1", "100"), ""),
    ];
    expect_at_load(&wd, &cases.map(|(t, s)| (t, s)));
}
