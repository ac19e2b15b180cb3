//! Recognising an export's header: which column holds what, and whether the
//! file is in the long layout (one row per score) or the wide layout (one row
//! per evaluation). English and Swedish names are accepted; case and surrounding
//! spaces are ignored, and a space or a dash inside a name counts as `_` (a
//! UTF-8 BOM was removed when the file was decoded).

use super::names::{
    misspelt, normalised, origin_only_in_own_table, role_of, secondary_codes_demoted,
};
use super::titles::{ItemTitles, item_id, titled};

pub mod own;
pub mod spill;

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
    /// The columns a decimal comma split unquoted may have put a score's
    /// decimals in (`ingest::row::split`): set once the rows are seen.
    pub split_into: Vec<usize>,
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

/// A header cell without the spaces and byte order marks around it (a
/// mark before any name, one that came with a joined file's first name,
/// goes with the spaces).
pub(super) fn bare(f: &str) -> &str {
    f.trim_matches(|c: char| c == '\u{feff}' || c.is_whitespace())
}

/// Recognises a header row (of text decoded by `io::decode`, which removed
/// any BOM), or says in one line what is wrong with it; a column named with
/// an item's title (`1. Offentlighet och demokrati`) holds that item's
/// scores where `titles` gives it that name.
pub fn recognise<'a>(
    fields: impl IntoIterator<Item = &'a str>,
    titles: &ItemTitles,
) -> Result<Header, Unusable> {
    let names: Vec<String> = fields.into_iter().map(|f| bare(f).to_string()).collect();
    if let Some(own) = own::own_output(&names) {
        return Err(Unusable::NotAnExport(format!(
            "the header of kompass's own {own}: an output of a run, whose rows are no \
             evaluations; give the run's evaluations.csv instead"
        )));
    }
    let normal: Vec<String> = names.iter().map(|n| normalised(n)).collect();
    let (roles, titled): (Vec<Role>, Vec<Option<Vec<String>>>) = (names.iter().zip(&normal))
        .map(|(name, n)| role_in(name, n, titles))
        .unzip();
    let roles = origin_only_in_own_table(&normal, secondary_codes_demoted(&normal, roles));
    let has = |r: Role| roles.contains(&r);
    let wide = roles.iter().any(|r| matches!(r, Role::ItemScore(_)));
    // An export's header names scores and what they are of: a
    // municipality, or a year and a scale; a mistake in one is `Broken`,
    // while any other table (published averages, with `item` and `scale`
    // but means, not scores; a register, with codes but no scores; a small
    // table of totals by year) is not an export at all.
    let keyed = has(Role::Code) || (has(Role::Year) && has(Role::Scale));
    // Items by municipality are an export's rows even when the score
    // column is not recognised (`poäng (max 15)`): a broken header, whose
    // rows would otherwise be in no count.
    let scored = has(Role::Score) || wide || (has(Role::Item) && has(Role::Code));
    let export = scored && keyed;
    let unusable = |msg: String| {
        if export {
            Unusable::Broken(msg)
        } else {
            Unusable::NotAnExport(msg)
        }
    };
    // Two columns of one item are one too many, but for two titles of it
    // on different scales (`4. Effektivitet`, the 2020 scale's area 4,
    // beside the 2010 scale's `4. Ledarskap, ansvar och delegation`):
    // each row reads the one of its scale.
    let apart = |a: usize, b: usize| match (&titled[a], &titled[b]) {
        (Some(x), Some(y)) => !x.iter().any(|s| y.contains(s)),
        _ => false,
    };
    for (i, r) in roles.iter().enumerate() {
        let again = (0..i).find(|&j| roles[j] == *r && !apart(i, j));
        if let Some(first) = again.filter(|_| *r != Role::Unknown) {
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
        let names_missing: Vec<&str> = missing.iter().map(|(_, n)| *n).collect();
        return Err(unusable(format!(
            "the header lacks column(s) {} ({} layout); found: {}{}",
            names_missing.join(", "),
            layout.as_str(),
            shown(&names.join(", ")),
            misspellings(missing.iter().map(|(role, _)| role), &names, &roles)
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
        split_into: Vec::new(),
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
                 item + score (long layout) or a1-a8 / total (wide layout); found: {}{}",
                match names.iter().all(|n| n.trim().is_empty()) {
                    true => "only empty names (a line of a lone quote or separators?)".into(),
                    false => shown(&names.join(", ")),
                },
                misspellings([Role::Item, Role::Score].iter(), names, roles)
            )));
        }
    })
}

/// For each of the `missing` roles, the column of `names` whose name looks
/// like one of its names misspelt, if any, as the end of a message
/// (`; column 5, 'Poänq', may be poäng misspelt`).
fn misspellings<'a>(
    missing: impl Iterator<Item = &'a Role>,
    names: &[String],
    roles: &[Role],
) -> String {
    missing
        .filter_map(|role| misspelt(role, names, roles))
        .map(|(i, name, meant)| {
            format!(
                "; column {}, '{}', may be {meant} misspelt",
                i + 1,
                crate::io::terminal::message(name)
            )
        })
        .collect()
}

/// The columns a header of `layout` needs and `roles` lack: each role,
/// named by its English and its Swedish name.
fn missing_columns(roles: &[Role], layout: Layout) -> Vec<(Role, &'static str)> {
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
        .collect()
}

/// A header line as an error message shows it: at most 200 characters,
/// a control character written `\u{..}` (`kommunkod\u{0}`), and not at all
/// when more than 1 in 20 of its characters are control characters (a
/// binary file's bytes, as the input's check counts them).
pub(super) fn shown(line: &str) -> String {
    const MAX: usize = 200;
    let controls = line
        .chars()
        .filter(|c| c.is_control() && *c != '\t')
        .count();
    if controls * 20 > line.chars().count() {
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
mod tests;
