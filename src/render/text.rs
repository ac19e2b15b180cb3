//! The words charts and the report use, in Swedish (default) or English:
//! `Labels` holds the language, the texts shared by several pages and
//! charts (the instrument's names and question texts, numbers as written,
//! not-linked reasons), and `Labels::pick`, with which a text used in one
//! place gives both its wordings there.

use clap::ValueEnum;

use crate::analysis::averages::Basis;
use crate::linking::methods::Method;
use crate::linking::reason::{ItemWhy, ScaleReason};
use crate::reference::instrument::{Item, ItemIx, ItemKind, Scale};
use crate::validate::rules::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Lang {
    /// Svenska.
    #[default]
    Sv,
    /// English.
    En,
}

/// The words charts and the report use.
#[derive(Debug, Clone, Copy)]
pub struct Labels {
    pub lang: Lang,
}

impl Lang {
    /// The HTML `lang` code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }
}

impl Labels {
    pub fn pick<'s>(&self, sv: &'s str, en: &'s str) -> &'s str {
        match self.lang {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }

    pub fn national_average(&self) -> &'static str {
        self.pick("Medel kommuner", "National average")
    }

    /// [`Labels::national_average`] of `country`'s municipalities, with
    /// its code where the data hold more than one country (`mixed`):
    /// "Medel kommuner (NO)", as a Norwegian radar's key and page head
    /// name the mean they show.
    pub fn national_average_of(&self, country: &str, mixed: bool) -> String {
        match mixed {
            true => format!("{} ({country})", self.national_average()),
            false => self.national_average().to_string(),
        }
    }

    pub fn percent_of_max(&self) -> &'static str {
        self.pick("Procent av max", "Percent of max")
    }

    pub fn points(&self) -> &'static str {
        self.pick("Poäng", "Points")
    }

    pub fn total_points(&self) -> &'static str {
        self.pick("Totalpoäng", "Total points")
    }

    pub fn area(&self) -> &'static str {
        self.pick("Område", "Area")
    }

    pub fn year(&self) -> &'static str {
        self.pick("Utvärderingsår", "Evaluation year")
    }

    /// The basis of an average, short, for a chart's caption ("senaste
    /// per kommun"; [`Labels::basis_long`] in a sentence).
    pub fn basis(&self, basis: Basis) -> &'static str {
        match (basis, self.lang) {
            (Basis::Latest, Lang::Sv) => "senaste per kommun",
            (Basis::All, Lang::Sv) => "alla utvärderingar",
            (Basis::Latest, Lang::En) => "latest per municipality",
            (Basis::All, Lang::En) => "all evaluations",
        }
    }

    /// "Källa: kompass, 128 utvärderingar, senaste per kommun".
    pub fn caption(&self, n: u64, basis: Basis) -> String {
        self.caption_between(n, n, basis)
    }

    /// [`Labels::caption`] for averages over `lo` to `hi` evaluations (the
    /// areas of a profile may rest on different numbers).
    pub fn caption_between(&self, lo: u64, hi: u64, basis: Basis) -> String {
        let n = self.evaluations_between(lo, hi);
        match self.lang {
            Lang::Sv => format!("Källa: kompass, {n}, {}", self.basis(basis)),
            Lang::En => format!("Source: kompass, {n}, {}", self.basis(basis)),
        }
    }

    /// A profile's caption where no area has a national average (every
    /// latest evaluation on the scale gave its total only).
    pub fn no_average_caption(&self) -> String {
        self.pick(
            "Källa: kompass; inget riksmedel för områdena",
            "Source: kompass; no national average of the areas",
        )
        .to_string()
    }

    /// The basis of an average, as a sentence part ("senaste utvärdering per
    /// kommun").
    pub fn basis_long(&self, basis: Basis) -> &'static str {
        match (basis, self.lang) {
            (Basis::Latest, Lang::Sv) => "senaste utvärdering per kommun",
            (Basis::All, Lang::Sv) => "alla utvärderingar",
            (Basis::Latest, Lang::En) => "latest evaluation per municipality",
            (Basis::All, Lang::En) => "all evaluations",
        }
    }

    /// A scale version's name.
    pub fn scale_name<'s>(&self, scale: &'s Scale) -> &'s str {
        match self.lang {
            Lang::Sv => &scale.name_sv,
            Lang::En => &scale.name_en,
        }
    }

    /// A scale version's short name, for axes and legends ("äldre skala").
    pub fn scale_short<'s>(&self, scale: &'s Scale) -> &'s str {
        match self.lang {
            Lang::Sv => &scale.short_sv,
            Lang::En => &scale.short_en,
        }
    }

    /// A scale's short name, as "länkat till" it where `linked`.
    pub fn scale_as_drawn(&self, scale: &Scale, linked: bool) -> String {
        match linked {
            true => format!(
                "{} {}",
                self.pick("länkat till", "linked to"),
                self.scale_short(scale)
            ),
            false => self.scale_short(scale).to_string(),
        }
    }

    /// A linking method's name ("linjär" / "linear").
    pub fn method(&self, m: Method) -> &'static str {
        match m {
            Method::Identity => self.pick("identitet", "identity"),
            Method::Mean => self.pick("medelvärde", "mean"),
            Method::Linear => self.pick("linjär", "linear"),
            Method::Equipercentile => self.pick("ekvipercentil", "equipercentile"),
        }
    }

    /// Why `scale` is not linked, in the report's language, each item
    /// named as the report's tables name it ("Totalt", "3 Politisk
    /// styrning och kontroll").
    pub fn not_linked(&self, scale: &Scale, why: &ScaleReason) -> String {
        match (why, self.lang) {
            (ScaleReason::Items(items), _) => {
                let texts: Vec<String> = (items.iter())
                    .map(|r| {
                        // Always the scale's (the reasons name its items);
                        // the id alone only were it not.
                        let label = match scale.item(&r.item) {
                            Some(ix) => self.item_label(scale, ix),
                            None => format!("{} {}", self.pick("fråga", "item"), r.item),
                        };
                        format!("{label}: {}", self.item_not_linked(&r.why))
                    })
                    .collect();
                texts.join("; ")
            }
            (_, Lang::En) => why.to_string(),
            (ScaleReason::NoItemCorresponds, Lang::Sv) => {
                "ingen fråga har en motsvarighet på skalan".into()
            }
            (ScaleReason::NoPairs, Lang::Sv) => {
                "ingen fråga har utvärderingar bedömda på båda skalorna".into()
            }
        }
    }

    /// Why an item is not linked, in the report's language.
    fn item_not_linked(&self, why: &ItemWhy) -> String {
        if self.lang == Lang::En {
            return why.to_string();
        }
        match why {
            ItemWhy::NoPairs => "inga utvärderingar bedömda på båda skalorna".into(),
            ItemWhy::TooFewPairs { method, need, have } => format!(
                "länkning med metoden {} kräver minst {need} par, här finns {have}",
                self.method(*method)
            ),
            ItemWhy::Unsupported(method) => {
                format!("paren räcker inte för metoden {}", self.method(*method))
            }
        }
    }

    /// A finding's severity ("fel" / "error").
    pub fn severity(&self, s: Severity) -> &'static str {
        match s {
            Severity::Error => self.pick("fel", "error"),
            Severity::Warning => self.pick("varning", "warning"),
            Severity::Info => self.pick("info", "info"),
        }
    }

    /// A count and a word: "6 till" / "6 more".
    pub fn pick_n(&self, n: usize, sv: &str, en: &str) -> String {
        format!("{n} {}", self.pick(sv, en))
    }

    /// "262–263 utvärderingar" (items of a chart resting on different
    /// numbers), or [`Labels::evaluations`] when `lo` is `hi`.
    pub fn evaluations_between(&self, lo: u64, hi: u64) -> String {
        match self.lang {
            _ if lo >= hi => self.evaluations(hi),
            Lang::Sv => format!("{lo}–{hi} utvärderingar"),
            Lang::En => format!("{lo}–{hi} evaluations"),
        }
    }

    /// "12 utvärderingar" / "1 evaluation".
    pub fn evaluations(&self, n: u64) -> String {
        match (self.lang, n) {
            (Lang::Sv, 1) => "1 utvärdering".into(),
            (Lang::Sv, n) => format!("{n} utvärderingar"),
            (Lang::En, 1) => "1 evaluation".into(),
            (Lang::En, n) => format!("{n} evaluations"),
        }
    }

    /// "3 par" / "1 pair": a link's pairs.
    pub fn pairs(&self, n: usize) -> String {
        match (self.lang, n) {
            (Lang::Sv, n) => format!("{n} par"),
            (Lang::En, 1) => "1 pair".into(),
            (Lang::En, n) => format!("{n} pairs"),
        }
    }

    /// "1 dubbelbedömd utvärdering" / "3 dual-scored evaluations".
    pub fn dual_scored(&self, n: usize) -> String {
        match (self.lang, n) {
            (Lang::Sv, 1) => "1 dubbelbedömd utvärdering".into(),
            (Lang::Sv, n) => format!("{n} dubbelbedömda utvärderingar"),
            (Lang::En, 1) => "1 dual-scored evaluation".into(),
            (Lang::En, n) => format!("{n} dual-scored evaluations"),
        }
    }

    /// An item's name (area) or question text (sub-question). In English,
    /// an item without an English text shows the Swedish one, marked
    /// "(sv)".
    pub fn item_name(&self, item: &Item) -> String {
        match self.lang {
            Lang::Sv => item.name_sv.clone(),
            Lang::En if item.name_en.is_empty() => format!("{} (sv)", item.name_sv),
            Lang::En => item.name_en.clone(),
        }
    }

    /// An item with its id ("3 Politisk styrning och kontroll"); the total
    /// by its name alone.
    pub fn item_label(&self, scale: &Scale, ix: ItemIx) -> String {
        let it = scale.get(ix);
        let name = self.item_name(it);
        if it.kind == ItemKind::Total {
            return name;
        }
        format!("{} {name}", it.id)
    }
}

/// The invisible controls that turn the direction of the text after them
/// (U+202A–U+202E, U+2066–U+2069): left out of what the report and the
/// charts show, where a right-to-left override in a name reversed the
/// rest of its line.
pub fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether HTML and XML do not allow `c` in text: a control character
/// (NUL, U+0001, a form feed, U+007F–U+009F; all but tab and line ends)
/// or U+FFFE, U+FFFF. The pages and the charts show it as U+FFFD.
pub fn is_not_markup_text(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// A municipality's name in a chart's title or legend: without direction
/// controls, and at most [`CHART_NAME`] characters (the rest as "…"), so
/// that a name that is really a paragraph does not run off the chart.
pub fn chart_name(name: &str) -> String {
    let mut chars = name.chars().filter(|&c| !is_direction_control(c));
    let mut out: String = chars.by_ref().take(CHART_NAME).collect();
    if chars.next().is_some() {
        out.pop();
        out.push('…');
    }
    out
}

/// The most characters of a name a chart shows ([`chart_name`]); the
/// longest Nordic municipality names have about 20.
pub const CHART_NAME: usize = 40;

/// A municipality's name as the pages and charts show it: its code
/// (`SE 9951`) where the name shows nothing (a code not in the register
/// whose rows left the name empty, blank, or only invisible and direction
/// characters), so that its page has a title and its link something to
/// click. The CSV outputs keep the name as given.
pub fn muni_name(m: &crate::analysis::frame::Muni) -> std::borrow::Cow<'_, str> {
    use crate::io::terminal::{acts, unseen};
    let blank = |c: char| c.is_whitespace() || unseen(c) || (acts(c, false) && !c.is_control());
    match m.name.chars().all(blank) {
        true => format!("{} {}", m.country, m.code).into(),
        false => m.name.as_str().into(),
    }
}

#[cfg(test)]
mod tests {
    use super::chart_name;

    #[test]
    fn chart_names_are_shown_whole_or_cut_with_an_ellipsis() {
        assert_eq!(chart_name("Upplands Väsby"), "Upplands Väsby");
        assert_eq!(chart_name("\u{202e}Eda\u{2069}"), "Eda");
        let long = "Lång".repeat(20);
        let shown = chart_name(&long);
        assert_eq!(shown.chars().count(), 40);
        assert!(shown.ends_with("Lån…"), "{shown}");
        assert_eq!(chart_name(&"x".repeat(40)), "x".repeat(40));
    }
}
