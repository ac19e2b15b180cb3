//! Recognising an export's header: which column holds what, and whether the
//! file is in the long layout (one row per score) or the wide layout (one row
//! per evaluation). English and Swedish names are accepted; case and surrounding
//! spaces are ignored, and a space or a dash inside a name counts as `_` (a
//! UTF-8 BOM was removed when the file was decoded).

use super::titles::{ItemTitles, item_id, titled};
use crate::reference::instrument::TOTAL;

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    Country,
    Code,
    Name,
    Year,
    Scale,
    /// Long layout: the item id.
    Item,
    /// Long layout: the score.
    Score,
    /// Long layout: the item's maximum as the export states it.
    Max,
    /// Long layout: `published` or `derived`, as kompass's own
    /// `evaluations.csv` gives each score (that table read back).
    Origin,
    /// Wide layout: the score of this item (`total`, `3`, `3.4`).
    ItemScore(String),
    /// A column kompass does not read.
    Unknown,
}

/// The two export layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Layout {
    /// One row per score: item and score columns.
    #[default]
    Long,
    /// One row per evaluation: a column per area, total and sub-question.
    Wide,
}

impl Layout {
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Long => "long",
            Layout::Wide => "wide",
        }
    }
}

/// A recognised header.
#[derive(Debug, Clone)]
pub struct Header {
    pub layout: Layout,
    /// The column names as written (surrounding spaces removed).
    pub names: Vec<String>,
    pub roles: Vec<Role>,
    /// The columns with no name (Excel's trailing empty columns): no
    /// finding while empty, one (per column) when a row holds a value.
    pub nameless: Vec<usize>,
    /// The columns named with an item's title, with the scales (ids) on
    /// which the title is that item's name: a row on another scale does
    /// not read its score there as its own item's.
    pub titled: Vec<(usize, Vec<String>)>,
}

impl Header {
    pub fn col(&self, role: &Role) -> Option<usize> {
        self.roles.iter().position(|r| r == role)
    }

    /// Column indices holding wide-layout item scores, with their item ids.
    pub fn item_columns(&self) -> impl Iterator<Item = (usize, &str)> {
        self.roles.iter().enumerate().filter_map(|(i, r)| match r {
            Role::ItemScore(id) => Some((i, id.as_str())),
            _ => None,
        })
    }
}

/// A column name as [`role_of`] matches it: lower case, each run of spaces
/// or dashes one `_` (`Municipality Code`, `municipality-code` and
/// `municipality_code` are one name; `Område 1` is `område_1`).
fn normalised(name: &str) -> String {
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

/// Other names of the code column (`Kommunnr`), read as it only where no
/// column has one of its own names: beside `kommunkod` such a column is
/// another one, not the same thing twice.
const SECONDARY_CODES: [&str; 3] = ["kommunnr", "kommun_nr", "kommunnummer"];

/// The role of the column named `n` ([`normalised`]).
fn role_of(n: &str) -> Role {
    match n {
        "country" | "land" => return Role::Country,
        "municipality_code" | "kommunkod" | "kommun_kod" | "code" | "kod" => return Role::Code,
        n if SECONDARY_CODES.contains(&n) => return Role::Code,
        "municipality" | "kommun" | "kommunnamn" | "name" | "namn" => return Role::Name,
        "eval_year" | "år" | "year" | "utvärderingsår" | "ar" => return Role::Year,
        "scale" | "skala" | "poängskala" => return Role::Scale,
        "item" | "fråga" | "fraga" => return Role::Item,
        "score" | "poäng" | "poang" | "uppnått" => return Role::Score,
        "max" | "maxpoäng" => return Role::Max,
        "origin" => return Role::Origin,
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
    let number = |prefixes: &[&str]| {
        (prefixes.iter()).find_map(|p| n.strip_prefix(p).map(|r| r.strip_prefix('_').unwrap_or(r)))
    };
    if let Some(id) = number(&["område", "omr", "a"]).filter(|rest| digits(rest)) {
        return Role::ItemScore(id.to_string());
    }
    let question = number(&["delfråga", "delfraga", "fråga", "fraga", "q", "f"])
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
fn secondary_codes_demoted(names: &[String], mut roles: Vec<Role>) -> Vec<Role> {
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

/// Why a header row cannot be read, in one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unusable {
    /// It names no scores with a municipality code or a year and a scale:
    /// not an export at all (notes, published averages, a register),
    /// skipped in an input folder.
    NotAnExport(String),
    /// An export's header with a mistake (a column twice, a key column
    /// missing, two layouts mixed): its rows cannot be read, which ends
    /// the run wherever the file was found.
    Broken(String),
}

impl Unusable {
    pub fn message(&self) -> &str {
        match self {
            Unusable::NotAnExport(m) | Unusable::Broken(m) => m,
        }
    }
}

/// The role of the column named `name` (`n` [`normalised`]): by
/// [`role_of`]; else a sub-question's number alone (`1.3`, `1,3`; not
/// `1.10`, a version, or `31.12`, a date: a sub-question some instrument
/// has); else an item named with its title in `titles`, with the scales
/// it names it on.
fn role_in(name: &str, n: &str, titles: &ItemTitles) -> (Role, Option<Vec<String>>) {
    let role = role_of(n);
    if role != Role::Unknown {
        return (role, None);
    }
    if let Some(id) = item_id(name).filter(|id| id.contains('.') && titles.has(id)) {
        return (Role::ItemScore(id), None);
    }
    match titled(name).map(|(id, title)| (titles.scales(&id, title), id)) {
        Some((scales, id)) if !scales.is_empty() => (Role::ItemScore(id), Some(scales)),
        _ => (Role::Unknown, None),
    }
}

/// Recognises a header row (of text decoded by `io::decode`, which removed
/// any BOM), or says in one line what is wrong with it; a column named with
/// an item's title (`1. Offentlighet och demokrati`) holds that item's
/// scores where `titles` gives it that name.
pub fn recognise<'a>(
    fields: impl IntoIterator<Item = &'a str>,
    titles: &ItemTitles,
) -> Result<Header, Unusable> {
    let names: Vec<String> = fields.into_iter().map(|f| f.trim().to_string()).collect();
    let normal: Vec<String> = names.iter().map(|n| normalised(n)).collect();
    let (roles, titled): (Vec<Role>, Vec<Option<Vec<String>>>) = (names.iter().zip(&normal))
        .map(|(name, n)| role_in(name, n, titles))
        .unzip();
    let roles = secondary_codes_demoted(&normal, roles);
    let has = |r: Role| roles.contains(&r);
    let wide = roles.iter().any(|r| matches!(r, Role::ItemScore(_)));
    // An export's header names scores and what they are of: a
    // municipality, or a year and a scale; a mistake in one is `Broken`,
    // while any other table (published averages, with `item` and `scale`
    // but means, not scores; a register, with codes but no scores; a small
    // table of totals by year) is not an export at all.
    let keyed = has(Role::Code) || (has(Role::Year) && has(Role::Scale));
    let export = (has(Role::Score) || wide) && keyed;
    let unusable = |msg: String| {
        if export {
            Unusable::Broken(msg)
        } else {
            Unusable::NotAnExport(msg)
        }
    };
    for (i, r) in roles.iter().enumerate() {
        if *r != Role::Unknown && roles[..i].contains(r) {
            let first = roles.iter().position(|x| x == r).unwrap_or(0);
            return Err(unusable(format!(
                "columns {} '{}' and {} '{}' mean the same thing: keep one of them",
                first + 1,
                names[first],
                i + 1,
                names[i]
            )));
        }
    }
    let layout = layout_of(&roles, &names, unusable)?;
    let missing = missing_columns(&roles, layout);
    if !missing.is_empty() {
        return Err(unusable(format!(
            "the header lacks column(s) {} ({} layout); found: {}",
            missing.join(", "),
            layout.as_str(),
            shown(&names.join(", "))
        )));
    }
    let nameless = (names.iter().enumerate())
        .filter(|(_, n)| n.is_empty())
        .map(|(i, _)| i)
        .collect();
    let titled = (titled.into_iter().enumerate())
        .filter_map(|(i, scales)| Some((i, scales?)))
        .collect();
    Ok(Header {
        layout,
        names,
        roles,
        nameless,
        titled,
    })
}

/// The layout of a header of `roles` (columns `names`): the long one has
/// item and score columns, the wide one item-score columns; both, or
/// neither, is unusable (`unusable` says how, as for the rest of the
/// header).
fn layout_of(
    roles: &[Role],
    names: &[String],
    unusable: impl Fn(String) -> Unusable,
) -> Result<Layout, Unusable> {
    let has = |r: Role| roles.contains(&r);
    let wide = roles.iter().any(|r| matches!(r, Role::ItemScore(_)));
    let long = has(Role::Item) || has(Role::Score);
    Ok(match (long, wide) {
        (true, true) => {
            let wide = (roles.iter().zip(names))
                .filter(|(r, _)| matches!(r, Role::ItemScore(_)))
                .map(|(_, n)| n.as_str());
            return Err(unusable(format!(
                "mixes the long layout (item, score) with the wide layout (a1-a8, total; here: {})",
                shown(&wide.collect::<Vec<_>>().join(", "))
            )));
        }
        (true, false) => Layout::Long,
        (false, true) => Layout::Wide,
        (false, false) => {
            return Err(Unusable::NotAnExport(format!(
                "no recognisable header: expected municipality_code, eval_year, scale and either \
                 item + score (long layout) or a1-a8 / total (wide layout); found: {}",
                match names.iter().all(|n| n.trim().is_empty()) {
                    true => "only empty names (a line of a lone quote or separators?)".into(),
                    false => shown(&names.join(", ")),
                }
            )));
        }
    })
}

/// The columns a header of `layout` needs and `roles` lack, each by its
/// English and its Swedish name.
fn missing_columns(roles: &[Role], layout: Layout) -> Vec<&'static str> {
    let mut needed = vec![
        (Role::Code, "municipality_code/kommunkod"),
        (Role::Year, "eval_year/år"),
        (Role::Scale, "scale/skala"),
    ];
    if layout == Layout::Long {
        needed.extend([(Role::Item, "item/fråga"), (Role::Score, "score/poäng")]);
    }
    (needed.into_iter())
        .filter(|(role, _)| !roles.contains(role))
        .map(|(_, name)| name)
        .collect()
}

/// A header line as an error message shows it: at most 200 characters,
/// and not at all when it holds control characters (a binary file's bytes
/// would upset the terminal).
fn shown(line: &str) -> String {
    const MAX: usize = 200;
    if line.chars().any(|c| c.is_control() && c != '\t') {
        return "control characters, not column names (is this a binary file?)".into();
    }
    // A name with a character that shows as nothing (`score` and a
    // zero-width space) is written with it: `score\u{200b}`.
    let line = crate::io::terminal::message(line);
    match line.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.into_owned(),
    }
}

#[cfg(test)]
mod tests {
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
    }
}
