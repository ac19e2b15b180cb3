//! Why a scale, or an item of it, is not linked: typed, so that the
//! findings and the run summary say it in English and the report in its
//! own language (a Swedish report said "no item has dual-scored
//! evaluations").

use std::fmt;

use super::methods::Method;

/// Why a scale is not linked to the target.
#[derive(Debug, Clone, PartialEq)]
pub enum ScaleReason {
    /// None of its items has a counterpart on the target scale.
    NoItemCorresponds,
    /// None of its items has dual-scored evaluations.
    NoPairs,
    /// Its items that had dual-scored evaluations, each with its reason.
    Items(Vec<ItemReason>),
}

/// Why one item is not linked.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemReason {
    /// The item's id (`1.4`).
    pub item: String,
    pub why: ItemWhy,
}

/// The reason of an [`ItemReason`].
#[derive(Debug, Clone, PartialEq)]
pub enum ItemWhy {
    /// No evaluation is scored on both scales.
    NoPairs,
    /// The method asked for needs `need` pairs; there are `have`.
    TooFewPairs {
        method: Method,
        need: usize,
        have: usize,
    },
    /// The pairs do not support the method (no spread to fit a line to,
    /// say).
    Unsupported(Method),
}

impl fmt::Display for ScaleReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScaleReason::NoItemCorresponds => f.write_str("no item corresponds"),
            ScaleReason::NoPairs => f.write_str("no item has dual-scored evaluations"),
            ScaleReason::Items(items) => {
                let texts: Vec<String> = items.iter().map(ItemReason::to_string).collect();
                f.write_str(&texts.join("; "))
            }
        }
    }
}

impl fmt::Display for ItemReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "item {}: {}", self.item, self.why)
    }
}

impl fmt::Display for ItemWhy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemWhy::NoPairs => f.write_str("no dual-scored evaluations"),
            ItemWhy::TooFewPairs { method, need, have } => {
                let verb = if *have == 1 { "is" } else { "are" };
                write!(
                    f,
                    "{} linking needs {need} or more pairs, there {verb} {have}",
                    method.as_str()
                )
            }
            ItemWhy::Unsupported(method) => {
                write!(f, "the pairs do not support {}", method.as_str())
            }
        }
    }
}
