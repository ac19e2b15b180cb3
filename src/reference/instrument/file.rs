//! An instrument file as written (`ScaleFile`) and its check into a
//! [`Scale`]: unique item ids, finite maxima that add up (sub-questions to
//! their area, areas to the total), a resolution fine enough and no finer
//! than the links can carry, a scale id that can name files.

use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::{Item, ItemIx, ItemKind, Scale, TOTAL};
use crate::error::{Error, Result};
use crate::io::config_text::at_offset;
use crate::stats::NOISE;

/// A version's id or alias as it is looked up: lower case, each run of
/// white space (a no-break space, a tab, two spaces) one space, none
/// around it: an export's `Ny\u{a0}2015` is the alias `ny 2015`.
pub(super) fn name_key(name: &str) -> String {
    (name.split_whitespace())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The words for "scale" an export may write after a version's name
/// (`Ny skala`, `gamla poängskalan`, `Old scale`; Norwegian and Danish
/// `gamle poengskala`, `nye skalaen`, `ældre pointskala`).
const SCALE_WORDS: [&str; 10] = [
    "skala",
    "skalan",
    "poängskala",
    "poängskalan",
    "scale",
    "skalaen",
    "poengskala",
    "poengskalaen",
    "pointskala",
    "pointskalaen",
];

/// Whether `key` (as [`name_key`] makes it) is a word for "scale" alone.
pub(super) fn is_scale_word(key: &str) -> bool {
    SCALE_WORDS.contains(&key)
}

/// `name` as [`name_key`] makes it, without a last word for "scale" and,
/// before that word, a Swedish `års` ("year's") after a year (`2010 års
/// skala` is `2010`); `None` where it has no such word, or nothing
/// before it.
pub(super) fn without_scale_word(name: &str) -> Option<String> {
    let key = name_key(name);
    let mut words: Vec<&str> = key.split(' ').collect();
    if words.len() < 2 || !SCALE_WORDS.contains(words.last()?) {
        return None;
    }
    words.pop();
    let year = |w: &str| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit());
    if let [.., y, "års"] = words[..]
        && year(y)
    {
        words.pop();
    }
    Some(words.join(" "))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ScaleFile {
    id: String,
    name_sv: String,
    name_en: String,
    #[serde(default)]
    aliases: Vec<String>,
    /// A short name for chart axes and legends ("äldre skala").
    #[serde(default)]
    short_sv: Option<String>,
    #[serde(default)]
    short_en: Option<String>,
    /// The first year evaluations used this version (orders the report).
    #[serde(default)]
    in_use_from: Option<Spanned<toml::Value>>,
    resolution: Spanned<f64>,
    total_max: Spanned<f64>,
    /// Versions whose total measures the same as this one's.
    #[serde(default)]
    total_links: Vec<String>,
    area: Vec<AreaFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AreaFile {
    id: Spanned<String>,
    name_sv: String,
    name_en: String,
    /// Its name in KS's Norwegian reports, where known.
    #[serde(default)]
    name_no: Option<String>,
    max: f64,
    /// The corresponding area of other versions: `links = { new = "1" }`.
    #[serde(default)]
    links: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    question: Vec<QuestionFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionFile {
    id: Spanned<String>,
    text_sv: String,
    #[serde(default)]
    text_en: Option<String>,
    max: f64,
}

/// The most score points an item may have (its max over the resolution,
/// plus one): 2,001, a total of 800 at half points or an area of 100 at
/// 0.05. Finer scales would make the links' bootstrap replicates gigabytes.
const MAX_POINTS: f64 = 2001.0;

/// Checks an instrument file `file` (read from `path`, whose text is
/// `text`) into a [`Scale`]. An error names the line and column of the
/// value or the item it is about.
pub(super) fn build_scale(path: &Path, text: &str, file: ScaleFile) -> Result<Scale> {
    let at = Place { path, text };
    check_names_and_resolution(at, &file)?;
    let in_use_from = match &file.in_use_from {
        None => None,
        Some(y) => Some(year(y.get_ref()).ok_or_else(|| {
            let msg = format!(
                "in_use_from = {} is not a year (four digits, such as 2010)",
                y.get_ref()
            );
            at.fail(y.span(), msg)
        })?),
    };
    let mut items = Items {
        at,
        resolution: *file.resolution.get_ref(),
        items: Vec::new(),
        by_id: Default::default(),
    };
    let total_max = *file.total_max.get_ref();
    items.points(TOTAL, total_max, file.total_max.span())?;
    let mut area_ixs = Vec::new();
    let mut area_sum = 0.0;
    for area in file.area {
        area_sum += area.max;
        area_ixs.push(items.area(area)?);
    }
    if area_ixs.is_empty() {
        return Err(Error::config(path, "no areas defined"));
    }
    if (area_sum - total_max).abs() > NOISE {
        return Err(at.fail(
            file.total_max.span(),
            format!("area maxima add up to {area_sum}, not to total_max {total_max}"),
        ));
    }
    let total_ix = items.next_ix()?;
    let Items {
        mut items,
        mut by_id,
        ..
    } = items;
    by_id.insert(TOTAL.into(), total_ix);
    items.push(Item {
        id: TOTAL.into(),
        kind: ItemKind::Total,
        max: total_max,
        name_sv: "Totalt".into(),
        name_en: "Total".into(),
        name_no: None,
        parts: area_ixs,
        links: file
            .total_links
            .into_iter()
            .map(|s| (s, TOTAL.to_string()))
            .collect(),
    });
    let short_sv = file.short_sv.unwrap_or_else(|| file.id.clone());
    let short_en = file.short_en.unwrap_or_else(|| file.id.clone());
    Ok(Scale {
        id: file.id,
        name_sv: file.name_sv,
        name_en: file.name_en,
        aliases: file.aliases,
        short_sv,
        short_en,
        in_use_from,
        resolution: *file.resolution.get_ref(),
        items,
        by_id,
    })
}

/// `in_use_from`'s year: a whole number of four digits (a string, a
/// fraction or a negative number said so, not in the parser's words,
/// "expected i64").
fn year(v: &toml::Value) -> Option<u16> {
    let y = v.as_integer().and_then(|y| u16::try_from(y).ok())?;
    (1000..=9999).contains(&y).then_some(y)
}

/// Why an id starts with a letter or a digit: the CSV outputs guard a cell
/// that starts with `-`, `+`, `=` or `@` as a formula (`'-a`), and an
/// export read back would not find the guarded id; a file named `-a.html`
/// reads as an option to a shell command.
const LEADING: &str = "a CSV output writes a leading '-', '+', '=' or '@' guarded against \
                       spreadsheet formulas, and such an id would not be read back";

/// Whether `id` starts with a letter or a digit.
fn starts_alphanumeric(id: &str) -> bool {
    id.chars().next().is_some_and(char::is_alphanumeric)
}

/// A number of an instrument file for a message: in exponent form from
/// 10^15 on and under 10^-15 (`1e308`, `1e-300`, as such a file would
/// write it), not in hundreds of digits; else as usual (`0.0000001`).
fn as_written(x: f64) -> String {
    match x != 0.0 && !(1e-15..1e15).contains(&x.abs()) {
        true => format!("{x:e}"),
        false => x.to_string(),
    }
}

/// The longest scale id, in characters: two name one chart's files
/// (`linking_<from>_<to>.svg`, and its temporary name beside it), which
/// must stay well under a file system's 255 bytes.
const MAX_ID_CHARS: usize = 64;

/// A scale's id names its charts and pages (`distribution_SE_new.png`);
/// an alias is a name (an empty one would read an empty `scale` cell as
/// this version); its resolution is a positive number.
fn check_names_and_resolution(at: Place, file: &ScaleFile) -> Result<()> {
    let fail = |msg: String| Err(Error::config(at.path, msg));
    if file.id.trim().is_empty() {
        return fail("empty id".into());
    }
    if file.id.chars().count() > MAX_ID_CHARS {
        return fail(format!(
            "id of {} characters: a scale id is at most {MAX_ID_CHARS} (it names files)",
            file.id.chars().count()
        ));
    }
    if file.aliases.iter().any(|a| name_key(a).is_empty()) {
        return fail("an empty alias: an empty `scale` cell names no version".into());
    }
    if !(file.id.chars()).all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return fail(format!(
            "id '{}': a scale id is letters, digits, '_' and '-' only (it names files)",
            file.id
        ));
    }
    if !starts_alphanumeric(&file.id) {
        return fail(format!(
            "id '{}': a scale id starts with a letter or a digit ({LEADING})",
            file.id
        ));
    }
    let resolution = *file.resolution.get_ref();
    if !resolution.is_finite() || resolution <= 0.0 {
        let msg = format!(
            "resolution must be positive, got {}",
            as_written(resolution)
        );
        return Err(at.fail(file.resolution.span(), msg));
    }
    Ok(())
}

/// An instrument file: its path and text, for errors that name a place
/// in it.
#[derive(Clone, Copy)]
struct Place<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Place<'_> {
    /// The error `msg` at the value written at `span` of the file (its
    /// line and column, the value's first line as the offending value).
    fn fail(&self, span: Range<usize>, msg: String) -> Error {
        let value = (self.text.get(span.clone())).unwrap_or("");
        let value = value.lines().next().unwrap_or("").trim();
        at_offset(Error::config(self.path, msg), self.text, span.start, value)
    }
}

/// The items of a scale as its file's areas are checked, one by one.
struct Items<'a> {
    at: Place<'a>,
    resolution: f64,
    items: Vec<Item>,
    by_id: foldhash::HashMap<String, ItemIx>,
}

impl Items<'_> {
    fn fail(&self, span: Range<usize>, msg: String) -> Error {
        self.at.fail(span, msg)
    }

    /// Each item's score points (0 to max by the resolution) are linked one
    /// by one, each with a value per bootstrap replicate: a finite max, a
    /// whole number of steps of the resolution, and at most [`MAX_POINTS`]
    /// points.
    /// (`at`: where the item's max, or its id, is written.)
    fn points(&self, id: &str, max: f64, at: Range<usize>) -> Result<()> {
        if !max.is_finite() || max <= 0.0 {
            return Err(self.fail(
                at,
                format!(
                    "item {id}: max must be a positive number, got {}",
                    as_written(max)
                ),
            ));
        }
        let resolution = self.resolution;
        // Whole steps of the resolution, at least one: a full score is on
        // the scale (`max = 1` at 0.3 flagged a full score `off-resolution`;
        // `max = 1e-300` let any tiny score pass and printed percentages of
        // hundreds of digits).
        let steps = max / resolution;
        let (max, resolution) = (as_written(max), as_written(resolution));
        if steps.round() < 1.0 || !crate::stats::whole_steps(steps) {
            return Err(self.fail(
                at.clone(),
                format!(
                    "item {id}: max {max} is not a whole number of steps of the resolution \
                 {resolution} (at least one): a full score would be off the scale"
                ),
            ));
        }
        let n = steps.round() + 1.0;
        if n > MAX_POINTS {
            let n = as_written(n);
            return Err(self.fail(
                at.clone(),
                format!(
                    "item {id}: max {max} at resolution {resolution} makes {n} score points; at \
                 most {MAX_POINTS} are supported (links keep a value per point and bootstrap \
                 replicate): give a coarser resolution"
                ),
            ));
        }
        Ok(())
    }

    /// Refuses an item id that an export's item cell could never give or
    /// would read as another item's ([`super::Scale::item`] reads a cell
    /// trimmed, in any case, its `,` as `.`): with white space around it
    /// (`"2 "`), with a comma (`1,1`, which an export means as `1.1`), or
    /// another's in another case (reference audit of the seventy-sixth
    /// session: each was accepted, the first never matched, the second
    /// took `1,1` from sub-question 1.1).
    fn read_alike(&self, id: &str, at: Range<usize>) -> Result<()> {
        let why = if id.trim() != id {
            "white space around it, which an export's item cell is read without: no cell would give it"
        } else if id.contains(',') {
            "a comma, which an export's item cell is read as a point (`1,1` is `1.1`, as Swedish Excel writes it)"
        } else if (self.by_id.keys()).any(|k| k != id && k.to_lowercase() == id.to_lowercase()) {
            "another item's id in another case, which an export's item cell is read in"
        } else {
            return Ok(());
        };
        Err(self.fail(at, format!("item id '{id}': {why}")))
    }

    /// The index the next item gets.
    fn next_ix(&self) -> Result<ItemIx> {
        ItemIx::try_from(self.items.len())
            .map_err(|_| Error::config(self.at.path, "too many items"))
    }

    /// Adds `item`, whose id is written at `at`: a valid, unique id and a
    /// usable max.
    fn push(&mut self, item: Item, at: Range<usize>) -> Result<ItemIx> {
        let ix = self.next_ix()?;
        let fail = |msg: String| Err(self.fail(at.clone(), msg));
        if item.id.is_empty() {
            return fail("an item id is empty".into());
        }
        if item.id.eq_ignore_ascii_case(TOTAL) {
            return fail(format!(
                "item id '{}' is the scale's total's, which kompass adds: choose another id",
                item.id
            ));
        }
        if !starts_alphanumeric(&item.id) {
            return fail(format!(
                "item id '{}': an item id starts with a letter or a digit ({LEADING})",
                item.id
            ));
        }
        self.read_alike(&item.id, at.clone())?;
        self.points(&item.id, item.max, at.clone())?;
        if self.by_id.insert(item.id.clone(), ix).is_some() {
            return Err(self.fail(at, format!("item id '{}' is defined twice", item.id)));
        }
        self.items.push(item);
        Ok(ix)
    }

    /// Adds an area and its sub-questions, whose maxima add up to its own.
    fn area(&mut self, area: AreaFile) -> Result<ItemIx> {
        let at = area.id.span();
        let id = area.id.into_inner();
        // `1.1` is a sub-question's id: an area's would make `1.1.1` its
        // sub-questions' and `1.1` mean two things in a wide file's header.
        if id.contains('.') {
            return Err(self.fail(
                at,
                format!(
                    "area id '{id}': an area's id has no '.' (an id such as '1.1' names a \
                     sub-question of area '1')"
                ),
            ));
        }
        // TOML writes a date as a table of one private key.
        if area.links.keys().any(|k| k.starts_with("$__toml_private")) {
            return Err(self.fail(
                at,
                format!(
                    "area {id}: links is a table of version and item, such as \
                     links = {{ new = \"1\" }}, not a date"
                ),
            ));
        }
        let item = Item {
            id: id.clone(),
            kind: ItemKind::Area,
            max: area.max,
            name_sv: area.name_sv,
            name_en: area.name_en,
            name_no: area.name_no.filter(|n| !n.trim().is_empty()),
            parts: Vec::new(),
            links: area.links.into_iter().collect(),
        };
        let area_ix = self.push(item, at.clone())?;
        let mut q_sum = 0.0;
        let mut parts = Vec::new();
        for q in area.question {
            let q_at = q.id.span();
            let q_id = q.id.into_inner();
            if q_id.trim().is_empty() {
                let msg = format!("area {id}: a sub-question without an id");
                return Err(self.fail(q_at, msg));
            }
            if !q_id.starts_with(&format!("{id}.")) {
                let msg = format!(
                    "sub-question '{q_id}' does not belong to area '{id}' (ids must start with '{id}.')"
                );
                return Err(self.fail(q_at, msg));
            }
            q_sum += q.max;
            let item = Item {
                id: q_id,
                kind: ItemKind::Question,
                max: q.max,
                name_sv: q.text_sv,
                name_en: q.text_en.unwrap_or_default(),
                name_no: None,
                parts: Vec::new(),
                links: Vec::new(),
            };
            parts.push(self.push(item, q_at)?);
        }
        if !parts.is_empty() && (q_sum - area.max).abs() > NOISE {
            let msg = format!(
                "area {id}: sub-question maxima add up to {q_sum}, not to the area's max {}",
                area.max
            );
            return Err(self.fail(at, msg));
        }
        self.items[area_ix as usize].parts = parts;
        Ok(area_ix)
    }
}
