//! Item columns named with their titles, as a report's tables name them
//! (`1. Offentlighet och demokrati`, `Område 8 Kommunen som
//! samhällsbyggare`, `1.1 Finns en plan/strategi för demokratiutveckling
//! och information?`): such a column holds the item's scores when its title
//! is that item's name in one of the instruments, a slip of a letter or two
//! allowed (a report writes "Kommun som samhällsbyggare" for "Kommunen som
//! samhällsbyggare", and a PDF breaks "perso- nalpolitik"). A title that is
//! not the item's name (`Område 1 (kommentar)`) leaves the column unread,
//! and its `unknown-column` warning says how to name it to be read.

use super::names::{AREA_WORDS, ITEM_NAMES, QUESTION_WORDS};
use crate::reference::instrument::{Instruments, ItemKind};

/// The names of every item of every instrument, by item id, folded.
#[derive(Debug, Clone, Default)]
pub struct ItemTitles {
    /// (item id, folded name, scale id), Swedish, English and, for an
    /// area whose instrument file gives one, Norwegian.
    names: Vec<(String, Vec<char>, String)>,
}

impl ItemTitles {
    /// The titles of the areas and sub-questions of `instruments`.
    pub fn of(instruments: &Instruments) -> ItemTitles {
        let items = (instruments.scales().iter())
            .flat_map(|s| s.items.iter().map(|i| (i, &s.id)))
            .filter(|(i, _)| i.kind != ItemKind::Total);
        let mut names: Vec<(String, Vec<char>, String)> = items
            .flat_map(|(i, s)| {
                [Some(&i.name_sv), Some(&i.name_en), i.name_no.as_ref()]
                    .into_iter()
                    .flatten()
                    .map(|n| (i.id.clone(), folded(n), s.clone()))
            })
            .filter(|(_, n, _)| !n.is_empty())
            .collect();
        names.sort();
        names.dedup();
        ItemTitles { names }
    }

    /// The scales (ids) on which `title` is the name of item `id`: the
    /// same letters and digits, or off by at most one edit in eight but no
    /// more than two letters longer or shorter (a word added, `... max`,
    /// `... snitt`, `... 2015`, is another column); a title with `%` is a
    /// percent, not the item's points. None: it names no item.
    pub fn scales(&self, id: &str, title: &str) -> Vec<String> {
        if title.contains('%') {
            return Vec::new();
        }
        let title = folded(title);
        let mut scales: Vec<String> = (self.names.iter())
            .filter(|(i, name, _)| {
                i == id
                    && title.len().abs_diff(name.len()) <= 2
                    && strsim::generic_levenshtein(&title, name) <= name.len() / 8
            })
            .map(|(_, _, scale)| scale.clone())
            .collect();
        scales.sort();
        scales.dedup();
        scales
    }

    /// Whether some instrument has an area or sub-question `id`.
    pub fn has(&self, id: &str) -> bool {
        self.names.iter().any(|(i, _, _)| i == id)
    }
}

/// The item id and the title a column name gives, when it is an item's
/// number (an area's `1`–`99`, a sub-question's `1.1`, `1,1`), after
/// `Område`, `Fråga` or `Delfråga` or alone, then a title that holds a
/// letter, after a space (and a `.` or `:` before it, or not).
pub fn titled(name: &str) -> Option<(String, &str)> {
    let name = name.trim();
    let lower = name.to_lowercase();
    // Byte lengths agree: these prefixes lower-case to themselves.
    let mut prefixes = (AREA_WORDS.iter())
        .chain(&["omr"])
        .chain(&QUESTION_WORDS)
        .chain(&ITEM_NAMES[1..]);
    let skip = prefixes
        .find(|p| lower.starts_with(*p))
        .map_or(0, |p| p.len());
    // (`get`: a look-alike letter, such as the Ångström sign, lower-cases
    // to fewer bytes; such a name is no title.)
    let spacing = |c: char| c.is_whitespace() || c == '_';
    let rest = name.get(skip..)?.trim_start_matches(spacing);
    let number_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(rest.len());
    let id = item_id(rest[..number_end].trim_end_matches(['.', ',']))?;
    let after = &rest[number_end..];
    let title = after.trim_start_matches(':').trim_start_matches(spacing);
    let spaced = title.len() < after.trim_start_matches(':').len();
    (spaced && title.chars().any(char::is_alphabetic)).then_some((id, title))
}

/// An item's number as its id: an area's `1`–`99` or a sub-question's
/// `1.1` (`1,1` as Swedish Excel writes it), each part one or two digits.
pub fn item_id(number: &str) -> Option<String> {
    let id = number.replace(',', ".");
    let short = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    let mut parts = id.split('.');
    let whole =
        parts.next().is_some_and(short) && parts.next().is_none_or(short) && parts.next().is_none();
    whole.then_some(id)
}

/// The `unknown-column` message of a column named `name`: in a `wide`
/// export, for one that gives the number of an item of `titles` and a
/// title that is not its name, or a date a spreadsheet made of a
/// sub-question's number (`1.2` typed under a Nordic locale, saved as
/// `01-feb` or `2024-02-01`), how to name it to be read if it holds the
/// item's scores (in a long export, a column so named would mix the two
/// layouts).
pub fn unread(name: &str, titles: &ItemTitles, wide: bool) -> String {
    if !wide {
        return format!("column '{name}' is not read");
    }
    let date = super::row::dates::date_item(name).filter(|id| titles.has(id));
    if let Some(id) = date {
        return format!(
            "column '{name}' is not read (a date a spreadsheet made of {id}?); if it holds \
             sub-question {id}'s scores, name it 'Fråga {id}'"
        );
    }
    // (A note in brackets, `Område 1 (kommentar)`, is no title gone wrong.)
    let titled =
        titled(name).filter(|(id, t)| t.starts_with(char::is_alphabetic) && titles.has(id));
    let Some((id, title)) = titled else {
        return format!("column '{name}' is not read");
    };
    let named = if id.contains('.') {
        "Fråga"
    } else {
        "Område"
    };
    format!(
        "column '{name}' is not read: it begins with item {id}'s number, but '{title}' is not \
         that item's name in any instrument; if it holds item {id}'s scores, name it \
         '{named} {id}'"
    )
}

/// Lower-case letters and digits of `s`, nothing else.
fn folded(s: &str) -> Vec<char> {
    (s.chars().flat_map(char::to_lowercase))
        .filter(|c| c.is_alphanumeric())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_of_a_report_s_tables() {
        let t = ItemTitles::of(&Instruments::shipped().expect("shipped"));
        for (name, id) in [
            ("1. Offentlighet och demokrati", "1"),
            ("6. Kommunen som arbetsgivare perso- nalpolitik", "6"),
            ("8. Kommun som samhällsbyggare", "8"),
            ("Område 4 Ledarskap, ansvar och delegation", "4"),
            ("1: Public access and democracy", "1"),
            (
                "1.1 Finns en plan/strategi för demokratiutveckling och information?",
                "1.1",
            ),
            ("Fråga 1,2 Hur informeras medborgarna?", "1.2"),
            ("1. Samspel mellan förtroendevalda och medborgare", "1"),
        ] {
            let (got, title) = titled(name).unwrap_or_else(|| panic!("{name}"));
            assert_eq!(got, id, "{name}");
            assert!(!t.scales(&got, title).is_empty(), "{name}");
        }
        // The scales a title names its item on.
        let scales = |name: &str| titled(name).map(|(id, title)| t.scales(&id, title));
        let old_new = ["2015", "new", "old"].map(String::from).to_vec();
        assert_eq!(scales("1. Offentlighet och demokrati"), Some(old_new));
        assert_eq!(scales("4. Effektivitet"), Some(vec!["2020".to_string()]));
        assert_eq!(
            scales("1.\u{a0}Offentlighet och demokrati").map(|s| s.len()),
            Some(3)
        );
        // Not a title, or not the item's name: a word or a year added, a
        // percent, another item's name, a note.
        for name in [
            "Område 1 (kommentar)",
            "1. Kommentar",
            "3. Offentlighet och demokrati",
            "6. Kommunen som arbetsgivare - personalpolitik max",
            "1.1 Finns en plan/strategi för demokratiutveckling och information? snitt",
            "1. Offentlighet och demokrati (%)",
            "1. Offentlighet och demokrati 2015",
        ] {
            let named = titled(name).is_some_and(|(id, title)| !t.scales(&id, title).is_empty());
            assert!(!named, "{name}");
        }
        for name in [
            "Område 1",
            "1.3",
            "Q1 2021",
            "omr1",
            "2021 prognos",
            "123 Kommun",
            "1.2.3 x",
        ] {
            assert_eq!(titled(name), None, "{name}");
        }
    }
}
