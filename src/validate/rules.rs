//! Validation rules: their stable codes and severities, and the finding that
//! names where a rule was broken.
//!
//! An error rejects the input row (it goes to `rejects.csv`); a warning keeps
//! it. Every finding is listed in `validation.csv`.

use std::fmt;

use crate::ingest::EvalInfo;
use crate::reference::instrument::Instruments;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    /// Information (not counted by `--strict`).
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

macro_rules! rules {
    ($($variant:ident => ($code:literal, $sev:ident, $doc:literal, $sv:literal)),* $(,)?) => {
        /// A validation rule. The code is stable: scripts may match on it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $($variant),* }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            pub fn code(self) -> &'static str {
                match self { $(Rule::$variant => $code),* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$sev),* }
            }

            /// One line for the README and `--help`.
            pub fn doc(self) -> &'static str {
                match self { $(Rule::$variant => $doc),* }
            }

            /// Its meaning in short, in Swedish, for the Swedish report
            /// (the README's English line is the full account).
            pub fn doc_sv(self) -> &'static str {
                match self { $(Rule::$variant => $sv),* }
            }
        }
    };
}

rules! {
    FieldCount => ("field-count", Error, "the row has a different number of fields than the header, or a score split by a decimal comma unquoted (`79,5` in a comma-separated file) into a column kompass does not read", "raden har ett annat antal fält än rubrikraden, eller en poäng som ett decimalkomma utan citattecken delat in i en kolumn som inte läses"),
    RepeatedHeader => ("repeated-header", Error, "a row that repeats the header (exports joined one after another, each with its header line; the same columns in the same order, in either language): rejected, as it holds no scores", "en rad som upprepar rubrikraden (exporter som slagits ihop, var och en med sin rubrikrad): avvisad"),
    BadQuote => ("bad-quote", Error, "a quoted field never closes, or runs over a line end and then has text after its closing quote or closes holding as many separators as a whole row has (a stray `\"`, or two lines apart): the lines it took were read as one row, and it is rejected whole (its text in `rejects.csv`); so is a row whose quoted key or score field has text after its closing quote on its own line (`\"7\"9,5`, which would be read as 79,5; a name may: `\"Upplands\" Väsby`)", "ett citattecken som aldrig stängs eller står fel: raderna det tog läses som en rad och avvisas hela"),
    MultiLine => ("multi-line", Warning, "a quoted field runs over a line end and closes where its field ends, holding fewer separators than a row has: the row is read (a name on two lines), but the lines it took are named, since one `\"` too many takes the next row into a field this way", "ett citerat fält fortsätter över ett radslut (ett namn på två rader): raden läses, men kontrollera citattecknen"),
    MissingField => ("missing-field", Error, "a key field (code, year, scale, item, score; the country where the file has a country column) is empty, or a wide row has no score", "ett nyckelfält (kod, år, skala, fråga, poäng; landet där filen har en landskolumn) är tomt, eller en bred rad saknar poäng"),
    UnknownCountry => ("unknown-country", Error, "the country is not in the register", "landet finns inte i registret"),
    BadCode => ("bad-code", Error, "the municipality code is not all digits of the country's width (`114` for `0114`: a leading zero lost in Excel)", "kommunkoden är inte siffror med landets antal (`114` för `0114`: en inledande nolla tappad i Excel)"),
    BadYear => ("bad-year", Error, "the year is not four digits from 1000 on (`0000` is not a year)", "året är inte fyra siffror från 1000"),
    UnknownScale => ("unknown-scale", Error, "not an instrument version or alias", "ingen känd skala (version av instrumentet eller alias)"),
    UnknownItem => ("unknown-item", Error, "the item does not exist on that scale (e.g. `1.1` on the old scale), or a wide column named with an item's title names it on other scales only", "frågan finns inte på den skalan (t.ex. `1.1` på den äldre skalan), eller en bred kolumn namngiven med en frågas rubrik namnger den bara på andra skalor"),
    BadNumber => ("bad-number", Error, "a score or max is not a number (`5x`, `1e3`; in the long layout also a mark for a missing score, `–` or `n/a`: the row has no score)", "en poäng eller ett max är inte ett tal (`5x`, `1e3`; i långt format också ett tecken för saknad poäng, `–` eller `n/a`)"),
    NotPublished => ("not-published", Warning, "a wide row's score cell holds a mark for a missing score (`–`, `—`, `−`, `-`, `..`, `...`, `…`, `NA` or `N/A` in any case): read as not published, like an empty cell, and the row's other scores are used (in official Swedish statistics `–` can mean zero: write `0` if it does)", "en cell i en bred rad markerar att poängen saknas (`–`, `NA`): läst som ej publicerad, radens övriga poäng används (skriv `0` om `–` betyder noll)"),
    NegativeScore => ("negative-score", Error, "a score below zero", "en poäng under noll"),
    AboveMax => ("above-max", Error, "a score above the item's maximum", "en poäng över frågans maxpoäng"),
    OffResolution => ("off-resolution", Warning, "a score between its scale's score points (`79,25` where the old scale scores in halves, `10,5` on the 2010, 2015 or 2020 scale, which score in whole points): kept as given (unless another error rejects its row), but a typo or an average is likely", "en poäng mellan skalans poängsteg (`79,25` där skalan har halva poäng): behållen, men troligen ett skrivfel eller ett medelvärde"),
    MaxMismatch => ("max-mismatch", Error, "the row's `max` differs from the instrument", "radens max skiljer sig från instrumentets"),
    Conflict => ("conflict", Error, "the same item of the same evaluation given twice with different scores: every row involved is rejected (of a wide row, the item's cell alone, the row's other scores used), and the item is not derived from its parts; the message lists the scores with their file and line, up to 8 (of more, the first 7 and how many rows more, with the range of their scores)", "samma fråga i samma utvärdering angiven två gånger med olika poäng: alla inblandade rader avvisas, och frågan härleds inte ur sina delfrågor"),
    Superseded => ("superseded", Error, "an area or total kompass derived, read back from its own `evaluations.csv`, that no longer stands beside the other input: an export publishes the item (with another score; the same score is a `duplicate`), and the published score takes its place; or one of its parts has changed since (given with conflicting scores, or a published score in the place of a derived one), and it is derived again from its parts as they are now, or not at all where one is missing. The figures are those a run on the original exports gives; the derived row is rejected, the message saying which", "en delsumma eller totalpoäng som kompass härlett, inläst från dess egen tabell, som inte längre gäller: en export publicerar den med annan poäng, eller en av dess delar har ändrats; raden avvisas, och poängen blir den som en körning på de ursprungliga exporterna ger"),
    AreaSum => ("area-sum", Warning, "an area differs from the sum of its sub-questions by more than rounding allows", "ett område skiljer sig från summan av sina delfrågor mer än avrundning tillåter"),
    TotalSum => ("total-sum", Warning, "a total differs from the sum of its areas by more than rounding allows", "en totalpoäng skiljer sig från summan av områdena mer än avrundning tillåter"),
    UnknownMunicipality => ("unknown-municipality", Warning, "the code is not in the register (the evaluation is kept under it, a municipality of its own; a code a municipality had before it was merged with others or renamed, as Finnøy's `1141` until 2019, is named so, with the municipality that took it over: NO 1103 Stavanger; where the evaluation's rows give it a name other than the one the outputs show, which: `its rows name it 'Nyby', 'Nyby kommun': the outputs show 'Alby', the first in byte order of the names given it in any evaluation`, up to three listed)", "kommunkoden finns inte i registret (en kod från före en sammanslagning namnges, med kommunen som tog över den; ger raderna kommunen flera namn, sägs vilket utdata visar)"),
    OtherCountry => ("other-country", Warning, "a file without a country column a fifth or more of whose municipality codes are another country's and not the country's it is read as (`--country`, `SE` by default), today's or former codes (beside a name, the other country's municipality's name): its rows are kept as that country's, and those of its codes that are the country's are taken as its municipalities (a Norwegian export's `0123`, Spydeberg's until 2019, is Järfälla's in Sweden: without a name in the row, nothing else says so); one finding per file, on its header line, naming the other country, its codes and those taken as the country's, and `--country`", "en fil utan landskolumn där en femtedel eller fler av kommunkoderna är ett annat lands och inte det lands den läses som (`--country`): kontrollera vilket land filen gäller"),
    Renumbered => ("renumbered", Warning, "the code is one the municipality had before a reform or a change of county (Norway's of 2020 and 2024: Bærum's `0219` until 2019 and `3024` until 2023, `3201` today; Sweden's Heby, `1917` until 2006), renumbered without a merger: the rows count as today's code's (in every output; for a municipality merged with others since, as the code it went on under until the merger: Ørland's `1621` until 2017 as `5015`), each such code of an evaluation reported once, at the line where it first stands (a `conflict`'s row's too, the conflict naming today's code)", "kommunkoden är en som kommunen hade före en reform eller ett länsbyte (Norges 2020 och 2024; Hebys 1917 till 2006), utan sammanslagning: raderna räknas till dagens kod"),
    NameMismatch => ("name-mismatch", Warning, "the name does not match the register's (case, spaces (a run of spaces or no-break spaces counts as one), a dash's kind (–, —), a trailing \"kommun\" (after a genitive -s too: \"Östersunds kommun\") and either part of a parallel name like \"Oslo - Oslove\", or its parts in another order or joined by a slash (\"Kautokeino - Guovdageaidnu\", \"Guovdageaidnu/Kautokeino\"), and the register's aside in brackets, as a county, left out (\"Herøy\" for \"Herøy (Møre og Romsdal)\", not \"Herøy (Nordland)\"; an aside the register has not names another municipality: \"Nes (Buskerud)\" is not today's Nes) are tolerated; every used row's name is checked (a rejected row's is not, a `conflict`'s too), each different name of an evaluation reported once, at the first row used that gives it)", "namnet stämmer inte med registrets (skiftläge, mellanslag, tankstreck, \"kommun\" och genitiv-s tolereras)"),
    Duplicate => ("duplicate", Warning, "a score repeated with the same value: kept once", "samma poäng angiven två gånger: behållen en gång"),
    YearRange => ("year-range", Warning, "the year is before 2002 or after the current year, or more than a year before its scale came into use (`in_use_from`: a 2020-scale evaluation of 2008, a 2010-scale one of 2005)", "året är före 2002, efter innevarande år eller mer än ett år före skalans första användningsår"),
    SkippedFile => ("skipped-file", Warning, "a file in an input folder that is not an export (no recognisable header, or empty): not read; `value` names it", "en fil i en indatamapp som inte är en export (ingen igenkänd rubrikrad, eller tom): inte läst"),
    EmptyFile => ("empty-file", Warning, "a file with a header and no data rows (nothing read from it)", "en fil med rubrikrad men utan datarader"),
    UnknownColumn => ("unknown-column", Warning, "a header column kompass does not read, or a value in a column the header gives no name", "en kolumn i rubrikraden som kompass inte läser, eller ett värde i en kolumn utan namn i rubrikraden"),
    PublishedInconsistent => ("published-inconsistent", Warning, "a published average profile whose area means do not add up to its total within rounding", "en publicerad medelprofil vars områden inte summerar till totalen inom avrundning"),
    PublishedUnmatched => ("published-unmatched", Warning, "a published average that cannot be compared with ours: its country, scale or item is unknown, its mean is outside the item's range, or none of our evaluations up to its year (on its basis) has the item (`column` and `value` say which)", "ett publicerat medelvärde som inte kan jämföras med våra (okänt land, skala eller fråga, medel utanför frågans intervall, eller inga utvärderingar till och med dess år)"),
    PublishedDifference => ("published-difference", Info, "a published average beside ours for the same country, scale and period (not counted by `--strict`)", "ett publicerat medelvärde bredvid vårt för samma land, skala och period (räknas inte av `--strict`)"),
    LinkUnestimated => ("link-unestimated", Warning, "items whose linking error cannot be estimated (a single dual-scored pair or the pairs of a single municipality, pairs without spread around the link, a linear or equipercentile link of pairs of fewer than 5 municipalities, a linear link whose pairs share one score to link from but one municipality's, or no bootstrap replicates with `--bootstrap 0`): no standard error, and no interval for changes through them; one finding per scale", "frågor vars länkningsfel inte kan skattas (ett enda par eller en enda kommuns par, par utan spridning kring länken, en linjär länk eller ekvipercentillänk av par från färre än 5 kommuner, en linjär länk vars par har samma poäng att länka från utom en kommuns, eller `--bootstrap 0`): inget standardfel och inget intervall genom dem; en anmärkning per skala"),
    LinkWeak => ("link-weak", Warning, "items whose link rests on pairs of fewer than 5 municipalities or pairs that correlate below 0.87 (those already `link-unestimated` are not repeated); one finding per scale", "frågor vars länk vilar på par från färre än 5 kommuner eller på par med korrelation under 0,87; en anmärkning per skala"),
    LinkVariant => ("link-variant", Warning, "items whose link fitted in one country differs from the pooled link by more than 2 points (RMSD over the score range) and more than 4 times what sampling alone gives; one finding per scale", "frågor vars länk skattad i ett land skiljer sig från den gemensamma med mer än 2 poäng och mer än 4 gånger vad slumpen ger; en anmärkning per skala"),
    NoLinking => ("no-linking", Warning, "a scale in the data, or some of its items, cannot be linked to the target scale (no or too few dual-scored evaluations, or pairs no link can be fitted to; one finding per scale); `file` is empty", "en skala, eller några av dess frågor, kan inte länkas till målskalan (inga eller för få utvärderingar bedömda på båda, eller par som ingen länk kan skattas på); en anmärkning per skala"),
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A finding's short text: a code, a year, a column's name, a value. Up to
/// 24 bytes it is held in place, without an allocation of its own: a file
/// whose every row is rejected holds one finding per row, and eight small
/// strings each had taken a third of its memory.
pub type Text = compact_str::CompactString;

/// The evaluation and item a finding is about, as far as known (raw text from
/// the row when the row could not be parsed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    pub country: Text,
    pub code: Text,
    pub year: Text,
    pub scale: Text,
    pub item: Text,
}

impl Context {
    /// Item `item` of the evaluation `info`, as read: the scale by its id
    /// (`new`, where the row wrote `ny`), the country in capitals.
    pub fn of(instruments: &Instruments, info: &EvalInfo, item: &str) -> Context {
        Context {
            country: info.key.country.as_str().into(),
            code: info.key.code.as_str().into(),
            year: compact_str::format_compact!("{}", info.key.year),
            scale: instruments.get(info.key.scale).id.as_str().into(),
            item: item.into(),
        }
    }
}

/// [`Finding::file`] of a finding about the data set as a whole.
pub const NO_FILE: u32 = u32::MAX;

/// One broken rule at one place.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: Rule,
    /// Index of the input file (in the order files are read), or [`NO_FILE`].
    pub file: u32,
    /// 1-based line of the file (the header's when about the header, as
    /// `empty-file` and `unknown-column` are); 0 when about no line.
    pub line: u32,
    /// Header name of the offending column, if there is one.
    pub column: Text,
    /// The offending value as written.
    pub value: Text,
    pub message: String,
    pub context: Context,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_documented_in_the_readme_as_in_the_code() {
        let readme = include_str!("../../README.md");
        for rule in Rule::ALL {
            assert!(
                readme.contains(&format!(
                    "| `{}` | {} | {} |",
                    rule.code(),
                    rule.severity().as_str(),
                    rule.doc()
                )),
                "README lacks rule {}",
                rule.code()
            );
            assert!(!rule.doc().is_empty());
        }
    }

    /// `link-weak`'s text gives the limits `ItemLink::is_weak` applies.
    #[test]
    fn the_weak_link_rule_names_the_limits_in_force() {
        use crate::linking::ItemLink;
        let doc = Rule::LinkWeak.doc();
        assert!(doc.contains(&format!(
            "fewer than {} municipalities",
            ItemLink::MIN_PAIRS
        )));
        assert!(doc.contains(&format!("below {}", ItemLink::MIN_R)));
        let sv = Rule::LinkWeak.doc_sv();
        assert!(sv.contains(&format!("färre än {} kommuner", ItemLink::MIN_PAIRS)));
        let r = format!("{}", ItemLink::MIN_R).replace('.', ",");
        assert!(sv.contains(&format!("under {r}")), "{sv}");
    }
}
