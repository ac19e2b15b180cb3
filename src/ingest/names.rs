//! What a header's column names mean: a name made comparable
//! ([`normalised`]), the role its name gives a column ([`role_of`]: English
//! and Swedish names, an item's number for the wide layout), and the roles
//! read otherwise beside other columns (a second code column, an `origin`
//! column outside kompass's own table), and the key column a misspelt name
//! likely meant ([`misspelt`]).

use super::header::Role;
use crate::error::meant::closest;
use crate::reference::instrument::{ItemIx, Scale, TOTAL};

/// A column name as [`role_of`] matches it: lower case, each run of spaces
/// or dashes one `_` (`Municipality Code`, `municipality-code` and
/// `municipality_code` are one name; `Område 1` is `område_1`).
pub(super) fn normalised(name: &str) -> String {
    let mut n = String::with_capacity(name.len());
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        if c.is_whitespace() || c == '-' {
            if !n.ends_with('_') {
                n.push('_');
            }
        } else {
            n.push(c);
        }
    }
    n
}

/// Other names of the code column (`Kommunnr`, `Kommune nummer`,
/// `Kommunenr.`), read as it only where no column has one of its own
/// names: beside `kommunkod` such a column is another one, not the same
/// thing twice.
const SECONDARY_CODES: [&str; 10] = [
    "kommunnr",
    "kommun_nr",
    "kommunnr.",
    "kommunnummer",
    "kommun_nummer",
    "kommunenr",
    "kommune_nr",
    "kommunenr.",
    "kommunenummer",
    "kommune_nummer",
];

/// `roles` of the columns named `names` ([`normalised`]) with an `origin`
/// column read as unknown unless `percent` and `source` are there too:
/// only kompass's own `evaluations.csv` says which scores kompass derived
/// (in an export, such a column would have turned its rows' scores into
/// derived ones, with no source).
pub(super) fn origin_only_in_own_table(names: &[String], mut roles: Vec<Role>) -> Vec<Role> {
    let own = ["percent", "source"]
        .iter()
        .all(|c| names.iter().any(|n| n == c));
    if !own {
        roles
            .iter_mut()
            .filter(|r| **r == Role::Origin)
            .for_each(|r| *r = Role::Unknown);
    }
    roles
}

/// The words an area column's name may begin with, before its number
/// (`Område 1`, `omrade1`, `Area 1`), longest first; `omr1` and `a1` too,
/// but not before a title (`A1 Offentlighet ...` is no title).
pub(super) const AREA_WORDS: [&str; 3] = ["område", "omrade", "area"];

/// The words a sub-question column's name may begin with (`Delfråga
/// 1,2`, `Question 1.1`) besides the item column's names but `item`
/// ([`ITEM_NAMES`]: `Fråga 1.1`, `fraga1_1`, `spørsmål 1.1`); `q1.1` and
/// `f1.1` too, but not before a title.
pub(super) const QUESTION_WORDS: [&str; 3] = ["delfråga", "delfraga", "question"];

/// The names of the long layout's item column: `item`, then Swedish,
/// Norwegian and Danish, with their letters and without; each but `item`
/// a sub-question column's prefix too.
pub(super) const ITEM_NAMES: [&str; 7] = [
    "item",
    "fråga",
    "fraga",
    "spørsmål",
    "spørgsmål",
    "sporsmal",
    "sporgsmal",
];

/// The columns known by name, with their names ([`normalised`]).
const NAMED: [(Role, &[&str]); 9] = [
    (Role::Country, &["country", "land"]),
    (
        Role::Code,
        &[
            "municipality_code",
            "kommunkod",
            "kommun_kod",
            "code",
            "kod",
            "kommunekode",
            "kommune_kode",
        ],
    ),
    (
        Role::Name,
        &[
            "municipality",
            "kommun",
            "kommunnamn",
            "kommun_namn",
            "name",
            "namn",
            "kommune",
            "kommunenavn",
            "kommune_navn",
        ],
    ),
    (
        Role::Year,
        &[
            "eval_year",
            "år",
            "year",
            "utvärderingsår",
            "ar",
            "årstall",
            "aar",
            "arstall",
            "aarstall",
            "årstal",
            "arstal",
            "aarstal",
        ],
    ),
    (
        Role::Scale,
        &["scale", "skala", "poängskala", "poengskala", "pointskala"],
    ),
    (Role::Item, &ITEM_NAMES),
    (
        Role::Score,
        &[
            "score", "poäng", "poang", "uppnått", "poeng", "point", "points",
        ],
    ),
    (
        Role::Max,
        &[
            "max",
            "maxpoäng",
            "max_poäng",
            "maks",
            "makspoeng",
            "maks_poeng",
            "makspoint",
            "maks_point",
        ],
    ),
    (Role::Origin, &["origin"]),
];

/// The role of the column named `n` ([`normalised`]).
pub(super) fn role_of(n: &str) -> Role {
    if let Some((role, _)) = NAMED.iter().find(|(_, names)| names.contains(&n)) {
        return role.clone();
    }
    match n {
        n if SECONDARY_CODES.contains(&n) => return Role::Code,
        "total" | "totalt" => return Role::ItemScore(TOTAL.into()),
        _ => {}
    }
    // A prefix, then the item's number, a `_` between them or not
    // (`omr1`, `Område 1`, `q1.1`, `Fråga 1,1`, `q1_1`). Where a `_` (a
    // space, a dash) stands in the name, each number has at most two
    // digits: `Q1 2021` is a quarter, not sub-question 1.2021.
    let spaced = n.contains('_');
    let digits = |p: &str| {
        !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && (!spaced || p.len() <= 2)
    };
    // What follows the first of `prefixes` that `n` begins with, less a
    // `_` right after it.
    let number = |prefixes: &[&[&str]]| {
        (prefixes.iter().copied().flatten())
            .find_map(|p| n.strip_prefix(p).map(|r| r.strip_prefix('_').unwrap_or(r)))
    };
    let area = number(&[&AREA_WORDS, &["omr", "a"]]);
    if let Some(id) = area.filter(|rest| digits(rest)) {
        return Role::ItemScore(id.to_string());
    }
    let question = number(&[&QUESTION_WORDS, &ITEM_NAMES[1..], &["q", "f"]])
        .map(|rest| rest.replace([',', '_'], "."))
        .filter(|rest| {
            let mut parts = rest.split('.');
            let ok = |p: Option<&str>| p.is_some_and(digits);
            ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
        });
    match question {
        Some(id) => Role::ItemScore(id),
        None => Role::Unknown,
    }
}

/// `roles` of the columns named `names` ([`normalised`]) with a code
/// column by one of its [`SECONDARY_CODES`] names read as unknown where
/// another column has one of its own names.
pub(super) fn secondary_codes_demoted(names: &[String], mut roles: Vec<Role>) -> Vec<Role> {
    let secondary = |i: usize| SECONDARY_CODES.contains(&names[i].as_str());
    let codes: Vec<usize> = (0..roles.len())
        .filter(|&i| roles[i] == Role::Code)
        .collect();
    if codes.iter().any(|&i| !secondary(i)) {
        for &i in codes.iter().filter(|&&i| secondary(i)) {
            roles[i] = Role::Unknown;
        }
    }
    roles
}

/// For a column of `role` that the header lacks: the first column of
/// `names` read as none ([`Role::Unknown`] in `roles`) whose name is one
/// of the role's names misspelt (as [`closest`] finds one: a letter or
/// two apart, `municipalty_code`, `eval_yaer`; the code's
/// [`SECONDARY_CODES`] too, `kommunnumer`), with the name it likely
/// meant.
pub(super) fn misspelt<'a>(
    role: &Role,
    names: &'a [String],
    roles: &[Role],
) -> Option<(usize, &'a str, &'static str)> {
    let (_, known) = NAMED.iter().find(|(r, _)| r == role)?;
    let secondary: &[&str] = if *role == Role::Code {
        &SECONDARY_CODES
    } else {
        &[]
    };
    (names.iter().zip(roles).enumerate())
        .filter(|(_, (name, r))| **r == Role::Unknown && !name.is_empty())
        .find_map(|(i, (name, _))| {
            let meant = closest(&normalised(name), known.iter().chain(secondary).copied());
            meant.map(|m| (i, name.as_str(), m))
        })
}

/// The item of `scale` a long export's item cell names: by its id
/// (`2`, `1,3`, `totalt`: [`Scale::item`]), else as a wide header names
/// its column (`Område 2`, `omr3`, `a4`, `Fråga 1.3`, `q1.2`, `Area 6`).
pub(crate) fn item_in(scale: &Scale, cell: &str) -> Option<ItemIx> {
    scale
        .item(cell)
        .or_else(|| match role_of(&normalised(cell)) {
            Role::ItemScore(id) => scale.item(&id),
            _ => None,
        })
}
