//! The header's recognition: layouts, roles, item columns and the refusals.

use super::*;

/// A header recognised without the instruments' titles.
fn recognise<'a>(fields: impl IntoIterator<Item = &'a str>) -> Result<Header, Unusable> {
    super::recognise(fields, &ItemTitles::default())
}

#[test]
fn long_english_and_swedish() {
    let h = recognise([
        "Country",
        "municipality_code",
        "eval_year",
        "scale",
        "item",
        "score",
        "max",
    ])
    .unwrap();
    assert_eq!(h.layout, Layout::Long);
    assert_eq!(h.col(&Role::Country), Some(0));
    let h = recognise([
        "land",
        " Kommunkod ",
        "kommun",
        "År",
        "skala",
        "fråga",
        "poäng",
    ])
    .unwrap();
    assert_eq!(h.layout, Layout::Long);
    assert_eq!(h.col(&Role::Year), Some(3));
}

#[test]
fn wide() {
    let h = recognise([
        "kommunkod",
        "år",
        "skala",
        "omr1",
        "a2",
        "totalt",
        "q1.1",
        "f2,3",
        "note",
    ])
    .unwrap();
    assert_eq!(h.layout, Layout::Wide);
    let items: Vec<&str> = h.item_columns().map(|(_, id)| id).collect();
    assert_eq!(items, vec!["1", "2", "total", "1.1", "2.3"]);
    assert_eq!(h.roles[8], Role::Unknown);
}

/// Names with spaces or dashes for `_`, and the item's number after a
/// space (`Område 1`, `Fråga 1.1`) or a `_` (`q1_1`).
#[test]
fn spaced_names() {
    let h = recognise([
        "Municipality Code",
        "Eval-Year",
        "Scale",
        "Område 1",
        "omr_2",
        "A 3",
        "Fråga 1.1",
        "q2_3",
        "f 3,1",
        "Område 1 (kommentar)",
    ]);
    let h = h.expect("a wide header");
    assert_eq!(h.layout, Layout::Wide);
    let items: Vec<&str> = h.item_columns().map(|(_, id)| id).collect();
    assert_eq!(items, vec!["1", "2", "3", "1.1", "2.3", "3.1"]);
    assert_eq!(h.roles[9], Role::Unknown);
    // A quarter is no sub-question; a second code column by another
    // name is another column.
    let h = recognise(["Kommunkod", "Kommun nr", "år", "skala", "Q1 2021", "a1"]);
    let h = h.expect("a wide header");
    assert_eq!(
        (h.roles[1].clone(), h.roles[4].clone()),
        (Role::Unknown, Role::Unknown)
    );
    let long = recognise(["kommunnr", "år", "skala", "fråga", "poäng"]).expect("long");
    assert_eq!(
        (long.layout, long.col(&Role::Code)),
        (Layout::Long, Some(0))
    );
}

/// `origin` is read only beside `percent` and `source` (kompass's own
/// table); elsewhere it is a column kompass does not read.
#[test]
fn origin_only_in_kompass_own_table() {
    let key = [
        "country",
        "municipality_code",
        "eval_year",
        "scale",
        "item",
        "score",
    ];
    let own = recognise(
        key.into_iter()
            .chain(["max", "percent", "origin", "source"]),
    );
    assert_eq!(own.expect("own table").col(&Role::Origin), Some(8));
    for extra in [
        &["origin"][..],
        &["percent", "origin"],
        &["origin", "source"],
    ] {
        let h = recognise(key.iter().chain(extra).copied()).expect("an export");
        let at = key.len() + extra.iter().position(|c| *c == "origin").unwrap_or(0);
        assert_eq!((h.col(&Role::Origin), &h.roles[at]), (None, &Role::Unknown));
    }
}

#[test]
fn broken_headers() {
    let not_export = |fields: &[&str], says: &str| match recognise(fields.iter().copied()) {
        Err(Unusable::NotAnExport(m)) => assert!(m.contains(says), "{m}"),
        other => panic!("{fields:?}: {other:?}"),
    };
    let broken = |fields: &[&str], says: &str| match recognise(fields.iter().copied()) {
        Err(Unusable::Broken(m)) => assert!(m.contains(says), "{m}"),
        other => panic!("{fields:?}: {other:?}"),
    };
    not_export(&["foo", "bar"], "no recognisable header");
    not_export(&["code", "name", "year"], "no recognisable header");
    broken(&["kommunkod", "år", "item", "score"], "scale");
    broken(&["kod", "code", "år", "skala", "a1"], "same thing");
    broken(
        &["kod", "år", "skala", "item", "score", "score"],
        "same thing",
    );
    // Tables that are not exports, whatever their mistakes: published
    // averages (item and scale, but means), a lone score column twice.
    let published = [
        "source",
        "published_year",
        "country",
        "scale",
        "basis",
        "item",
        "mean",
        "n",
    ];
    not_export(&published, "lacks column(s) municipality_code");
    // Items by municipality with a score column not recognised: an
    // export's rows (in no count if skipped).
    broken(
        &[
            "land",
            "kommunkod",
            "år",
            "skala",
            "fråga",
            "poäng (max 15)",
        ],
        "lacks column(s) score/poäng",
    );
    not_export(&["score", "score"], "same thing");
    // Scores with a key column: an export, whose missing code ends the
    // run rather than leave its rows in no count.
    broken(
        &["kommun_id", "år", "skala", "fråga", "poäng"],
        "municipality_code",
    );
    broken(
        &["Område 1", "Område 2", "year", "scale"],
        "municipality_code",
    );
    // Scores by year alone, or by scale alone: a small table, no export.
    not_export(&["år", "totalt"], "lacks column(s) municipality_code");
    not_export(&["skala", "total"], "lacks column(s) municipality_code");
    broken(&["kod", "år", "skala", "item", "score", "a1"], "mixes");
}

#[test]
fn a_shown_header_is_short_and_has_no_control_characters() {
    assert_eq!(shown("a, b"), "a, b");
    let long = "x".repeat(250);
    assert_eq!(shown(&long), format!("{}…", "x".repeat(200)));
    assert!(!shown("\u{7f}ELF\u{2}\u{1}").contains("ELF"));
    // One control character among names: the names, it written out.
    let names = "land, kommunkod\u{0}, år, skala, fråga, poäng";
    assert_eq!(
        shown(names),
        "land, kommunkod\\u{0}, år, skala, fråga, poäng"
    );
}

/// A key column missing names the column that looks like it misspelt (a
/// letter apart, two in a name of eight letters or more, in any case),
/// and no other: `year_of_eval` is too far from `eval_year`, and a
/// misspelt column that is not missing (`kommun_nmn`) gets no hint.
#[test]
fn a_missing_key_column_names_its_likely_misspelling() {
    let message = |fields: &[&str]| match recognise(fields.iter().copied()) {
        Err(Unusable::Broken(m)) => m,
        other => panic!("{fields:?}: {other:?}"),
    };
    let m = message(&["municipalty_code", "eval_year", "scale", "item", "score"]);
    assert!(
        m.ends_with("; column 1, 'municipalty_code', may be municipality_code misspelt"),
        "{m}"
    );
    let m = message(&["Kommunkd", "år", "Skala", "Fråga", "Poäng"]);
    assert!(
        m.ends_with("column 1, 'Kommunkd', may be kommunkod misspelt"),
        "{m}"
    );
    let m = message(&["kod", "år", "scael", "item", "scroe", "kommun_nmn"]);
    assert!(
        m.ends_with(
            "; column 3, 'scael', may be scale misspelt; column 5, 'scroe', may be score misspelt"
        ),
        "{m}"
    );
    let m = message(&["kod", "year_of_eval", "scale", "item", "score"]);
    assert!(
        m.ends_with("found: kod, year_of_eval, scale, item, score"),
        "{m}"
    );
    // Neither layout: an item and a score column misspelt are named too.
    match recognise(["kod", "år", "skala", "itme", "scroe"]) {
        Err(Unusable::NotAnExport(m)) => assert!(
            m.ends_with(
                "found: kod, år, skala, itme, scroe; column 4, 'itme', may be item misspelt; \
                 column 5, 'scroe', may be score misspelt"
            ),
            "{m}"
        ),
        other => panic!("{other:?}"),
    }
}
