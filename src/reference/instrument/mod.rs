//! The Kommunkompassen instrument versions ("scales"), loaded from data files.
//!
//! Each version is one TOML file (`data/instrument/<id>.toml`): its id, aliases,
//! the smallest step of published scores, the total maximum, and its areas
//! with their sub-questions and maximum points. The shipped files are embedded
//! at build time; `--instruments DIR` loads another folder instead. Files are
//! checked when loaded: unique ids and aliases, sub-question maxima adding up
//! to their area's maximum, area maxima adding up to the total maximum
//! (`file`), and links between versions one to one (`links`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::io::config_text::{parse_toml, read_config_text};
use crate::io::files_with_extension;

mod file;
mod links;
mod names;
use file::{ScaleFile, build_scale};

/// The label of the analysis scale that holds linked scores (see
/// `analysis::frame`): reserved, so no instrument id or alias may use it.
pub const LINKED: &str = "linked";

/// Index of a scale in [`Instruments`].
pub type ScaleIx = u8;
/// Index of an item within its [`Scale`].
pub type ItemIx = u16;

/// The names of the total as an item (long layout), in lower case:
/// English, Swedish, and KS's and KL's Norwegian and Danish (`sum`,
/// `samlet`, `i alt`). (A wide column `summa` is not read as the total: a
/// long export may carry a column of that name beside its scores, which
/// would make it a mix of the two layouts.)
pub const TOTAL_NAMES: [&str; 7] = [
    TOTAL, "totalt", "summa", "sum", "totalsum", "samlet", "i alt",
];

/// The id of every scale's total, an item of its own: reserved, so no
/// item of an instrument file may use it.
pub const TOTAL: &str = "total";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Total,
    Area,
    Question,
}

impl ItemKind {
    /// What an item of this kind is, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            ItemKind::Total => "the total",
            ItemKind::Area => "an area",
            ItemKind::Question => "a sub-question",
        }
    }

    /// Whether the report shows items of this kind: totals, areas (when
    /// `areas`; the index shows totals only), never sub-questions.
    pub fn in_report(self, areas: bool) -> bool {
        match self {
            ItemKind::Total => true,
            ItemKind::Area => areas,
            ItemKind::Question => false,
        }
    }
}

/// One scored item: the total, an area or a sub-question.
#[derive(Debug, Clone)]
pub struct Item {
    /// `total`, `1`–`8`, `1.1`–`8.6`.
    pub id: String,
    pub kind: ItemKind,
    pub max: f64,
    pub name_sv: String,
    pub name_en: String,
    /// An area's name in KS's Norwegian reports (`Resultatfokus og
    /// effektivitet`), where its instrument file gives one: a column
    /// named with it holds the area's scores ([`crate::ingest`]'s titled
    /// columns); shown nowhere.
    pub name_no: Option<String>,
    /// Items whose sum this item is: areas for the total, sub-questions for an
    /// area, none for a sub-question.
    pub parts: Vec<ItemIx>,
    /// Items of other versions that measure the same thing, as
    /// (version id, item id), declared in the instrument file.
    pub links: Vec<(String, String)>,
}

impl Item {
    /// `v` in percent of the item's maximum.
    pub fn percent(&self, v: f64) -> f64 {
        100.0 * v / self.max
    }
}

/// One instrument version.
#[derive(Debug, Clone)]
pub struct Scale {
    pub id: String,
    pub name_sv: String,
    pub name_en: String,
    pub aliases: Vec<String>,
    /// Short names for chart axes and legends (the id when not given).
    pub short_sv: String,
    pub short_en: String,
    /// The first year evaluations used this version, if known.
    pub in_use_from: Option<u16>,
    /// Smallest step of published scores (1 point, or 0.5 on the old scale).
    pub resolution: f64,
    /// Items in output order: each area followed by its sub-questions, the
    /// total last.
    pub items: Vec<Item>,
    by_id: foldhash::HashMap<String, ItemIx>,
}

impl Scale {
    /// Finds an item by the id written in an export: `3`, `3.4`, or `3,4`
    /// as Swedish Excel writes it, or `total` (or another of
    /// [`TOTAL_NAMES`], in any case and with any white space between its
    /// words: `I  alt`) where no item has that id.
    pub fn item(&self, raw: &str) -> Option<ItemIx> {
        let t = raw.trim();
        if let Some(ix) = self.by_id.get(t) {
            return Some(*ix);
        }
        // An item's own id first, in any case: an instrument file may
        // name one `sum` (review, 2026-12-07).
        let lower = t.to_lowercase();
        if let Some(ix) = self.by_id.get(&lower.replace(',', ".")) {
            return Some(*ix);
        }
        let words = || lower.split_whitespace();
        (TOTAL_NAMES.iter().any(|n| n.split(' ').eq(words())))
            .then(|| self.by_id.get(TOTAL).copied())
            .flatten()
    }

    pub fn total(&self) -> ItemIx {
        (self.items.len() - 1) as ItemIx
    }

    /// The areas, in order.
    pub fn areas(&self) -> &[ItemIx] {
        &self.items[self.total() as usize].parts
    }

    pub fn get(&self, ix: ItemIx) -> &Item {
        &self.items[ix as usize]
    }
}

/// All loaded instrument versions.
#[derive(Debug, Clone)]
pub struct Instruments {
    scales: Vec<Scale>,
    by_name: HashMap<String, ScaleIx>,
    /// The files read (none for the shipped definitions): what the run's
    /// fingerprint hashes.
    pub files: Vec<PathBuf>,
}

impl Instruments {
    /// The instrument versions shipped in `data/instrument/`.
    pub fn shipped() -> Result<Self> {
        let files = crate::reference::embedded::INSTRUMENTS
            .iter()
            .map(|(name, text)| {
                (
                    PathBuf::from("data/instrument").join(name),
                    text.to_string(),
                )
            })
            .collect();
        Self::from_texts(files)
    }

    /// Every `*.toml` file in `dir`.
    pub fn load_dir(dir: &Path) -> Result<Self> {
        let paths = files_with_extension(dir, &["toml"])?;
        if paths.is_empty() {
            return Err(Error::config(
                dir,
                "no instrument definitions (*.toml files) in this folder",
            ));
        }
        let mut files = Vec::with_capacity(paths.len());
        for p in &paths {
            let text = read_config_text(p)?;
            files.push((p.clone(), text));
        }
        let mut ins = Self::from_texts(files)?;
        ins.files = paths;
        Ok(ins)
    }

    fn from_texts(files: Vec<(PathBuf, String)>) -> Result<Self> {
        let mut scales = Vec::new();
        let mut paths = Vec::new();
        let mut names = names::Names::default();
        for (path, text) in files {
            let file: ScaleFile = parse_toml(&path, &text)?;
            let scale = build_scale(&path, &text, file)?;
            // The analysis frame adds the linked scale after the last.
            let ix = (ScaleIx::try_from(scales.len()).ok())
                .filter(|&ix| ix < ScaleIx::MAX)
                .ok_or_else(|| {
                    Error::config(&path, "too many instrument versions (at most 255)")
                })?;
            names.add(&scale, ix, &path, (&scales, &paths))?;
            scales.push(scale);
            paths.push(path);
        }
        if scales.is_empty() {
            return Err(Error::Usage("no instrument definitions found".into()));
        }
        let ins = Instruments {
            scales,
            by_name: names.by_name,
            files: Vec::new(),
        };
        ins.check_links(&paths)?;
        Ok(ins)
    }

    /// Finds a scale by id or alias, in any case and white space
    /// ([`file::name_key`]), also with a word for "scale" after it
    /// ([`file::without_scale_word`]: `Ny skala`, `2010 års skala`,
    /// `Old scale`).
    pub fn lookup(&self, name: &str) -> Option<ScaleIx> {
        (self.by_name.get(&name.trim().to_lowercase()))
            .or_else(|| self.by_name.get(&file::name_key(name)))
            .or_else(|| self.by_name.get(&file::without_scale_word(name)?))
            .copied()
    }

    /// Version `ix`'s place in time, by which versions are ordered alike
    /// everywhere (the report's sections, a year's evaluations on two
    /// scales, the trend charts' colours): the year it came into use
    /// (`in_use_from`), versions without one after those with; then its id.
    pub fn in_time(&self, ix: ScaleIx) -> (u16, &str) {
        let s = self.get(ix);
        (s.in_use_from.unwrap_or(u16::MAX), s.id.as_str())
    }

    pub fn get(&self, ix: ScaleIx) -> &Scale {
        &self.scales[ix as usize]
    }

    pub fn scales(&self) -> &[Scale] {
        &self.scales
    }

    /// The versions' ids, for messages (`known: 2015, 2020, new, old`).
    pub fn names(&self) -> String {
        self.ids().collect::<Vec<_>>().join(", ")
    }

    /// The versions' ids, in their order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.scales.iter().map(|s| s.id.as_str())
    }

    /// Every name a version goes by (its id and aliases), each with its id.
    pub fn names_meant(&self) -> impl Iterator<Item = (&str, &str)> {
        (self.scales.iter()).flat_map(|s| {
            let id = s.id.as_str();
            std::iter::once(id)
                .chain(s.aliases.iter().map(String::as_str))
                .map(move |n| (n, id))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A version named with a word for "scale" after it, as exports and
    /// the seed report write it (`ny poängskala`, `gamla poängskalan`).
    #[test]
    fn a_word_for_scale_after_a_name_is_read() {
        let ins = Instruments::shipped().expect("shipped files are valid");
        let id = |name: &str| ins.lookup(name).map(|ix| ins.get(ix).id.clone());
        for (name, want) in [
            ("Ny skala", "new"),
            ("2010 års skala", "new"),
            ("nya  poängskalan", "new"),
            ("Gamla poängskalan", "old"),
            ("Old scale", "old"),
            ("2020 års skala", "2020"),
            ("2015 Scale", "2015"),
        ] {
            assert_eq!(id(name).as_deref(), Some(want), "{name}");
        }
        for name in ["skala", "års skala", "ny års skala", "KK2020", "2010 års"] {
            assert_eq!(id(name), None, "{name}");
        }
    }

    #[test]
    fn shipped_instruments_load() {
        let ins = Instruments::shipped().expect("shipped files are valid");
        let new = ins.get(ins.lookup("NY").expect("alias"));
        assert_eq!(new.areas().len(), 8);
        let questions = new
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Question)
            .count();
        assert_eq!(questions, 45);
        assert_eq!(new.get(new.item("1.4").unwrap()).max, 30.0);
        assert_eq!(new.item("1,4"), new.item("1.4"));
        assert_eq!(new.item("Totalt"), Some(new.total()));
        let old = ins.lookup("äldre").expect("old");
        let y2020 = ins.lookup("2020").expect("2020");
        let new_ix = ins.lookup("new").expect("new");
        let old_scale = ins.get(old);
        let a6 = old_scale.item("6").unwrap();
        assert_eq!(ins.counterpart(old, a6, new_ix), new.item("6"));
        assert_eq!(
            ins.counterpart(new_ix, new.item("6").unwrap(), old),
            Some(a6)
        );
        assert_eq!(
            ins.counterpart(old, old_scale.total(), new_ix),
            Some(new.total())
        );
        // 2020 area 2 (Samhällsutveckling) is the new scale's area 8.
        let y = ins.get(y2020);
        assert_eq!(
            ins.counterpart(y2020, y.item("2").unwrap(), new_ix),
            new.item("8")
        );
        assert_eq!(ins.counterpart(new_ix, new.item("1.1").unwrap(), old), None);
    }

    /// Two items of a version linked to the same item of another, and two
    /// files that disagree, are refused.
    #[test]
    fn links_join_one_item_to_one() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/instrument");
        let files = |edit: &dyn Fn(&str, String) -> String| -> Vec<(PathBuf, String)> {
            ["2015", "2020", "new", "old"]
                .iter()
                .map(|id| {
                    let p = dir.join(format!("{id}.toml"));
                    let text = std::fs::read_to_string(&p).expect("shipped");
                    (p, edit(id, text))
                })
                .collect()
        };
        assert!(Instruments::from_texts(files(&|_, t| t)).is_ok());
        // 2020 area 2 linked to new 1, which 2020 area 1 links to already.
        let twice = |id: &str, t: String| match id {
            "2020" => t.replacen("links = { new = \"8\" }", "links = { new = \"1\" }", 1),
            _ => t,
        };
        let err = Instruments::from_texts(files(&twice)).expect_err("two items to one");
        let said = err.to_string();
        assert!(said.contains("both link to new item 1"), "{said}");
        // new 8 linked back to 2020 area 3, where 2020 area 2 links to new 8.
        let disagree = |id: &str, t: String| match id {
            "new" => {
                let (at, _) = t.match_indices("max = 100\n").nth(7).expect("area 8");
                let at = at + "max = 100\n".len();
                format!("{}links = {{ 2020 = \"3\" }}\n{}", &t[..at], &t[at..])
            }
            _ => t,
        };
        let err = Instruments::from_texts(files(&disagree)).expect_err("files disagree");
        assert!(
            err.to_string().contains("the two files must agree"),
            "{err}"
        );
    }

    #[test]
    fn bad_sums_are_rejected() {
        let text = r#"
id = "x"
name_sv = "x"
name_en = "x"
resolution = 1
total_max = 100
[[area]]
id = "1"
name_sv = "a"
name_en = "a"
max = 100
[[area.question]]
id = "1.1"
text_sv = "q"
max = 90
"#;
        let err = Instruments::from_texts(vec![(PathBuf::from("x.toml"), text.into())])
            .expect_err("90 is not 100");
        assert!(err.to_string().contains("add up to 90"), "{err}");
    }

    /// An item id an export's cell could never give, or would read as
    /// another's, is refused (reference audit of the seventy-sixth
    /// session): `"2 "` never matched, `1,1` took the cell `1,1` from
    /// sub-question 1.1, `A` beside `a` is one in any case.
    #[test]
    fn item_ids_an_export_reads_alike_are_refused() {
        let text = |a: &str, b: &str| {
            format!(
                "id = \"x\"\nname_sv = \"x\"\nname_en = \"x\"\nresolution = 1\ntotal_max = 20\n\
                 [[area]]\nid = \"{a}\"\nname_sv = \"a\"\nname_en = \"a\"\nmax = 10\n\
                 [[area]]\nid = \"{b}\"\nname_sv = \"b\"\nname_en = \"b\"\nmax = 10\n"
            )
        };
        let load = |a: &str, b: &str| Instruments::from_texts(vec![("x.toml".into(), text(a, b))]);
        assert!(load("1", "2").is_ok());
        for (a, b, says) in [
            ("1", "2 ", "item id '2 ': white space around it"),
            ("1", "1,1", "item id '1,1': a comma"),
            ("a", "A", "item id 'A': another item's id in another case"),
            ("1", "Total", "item id 'Total' is the scale's total's"),
        ] {
            let err = load(a, b).expect_err(b).to_string();
            assert!(err.contains(says), "{err}");
        }
    }
}
