//! What a person reads: texts in Swedish and English, the charts and the
//! static HTML report.

pub mod charts;
mod collate;
mod numbers;
pub mod report;
pub mod text;

use crate::analysis::averages::{Average, AverageIndex, Basis};
use crate::analysis::frame::Frame;
use crate::linking::Linking;
use crate::reference::instrument::{Instruments, Scale};

/// What the charts and the report are both drawn from: the analysis
/// frame, the average rows and the basis they count, the links, the
/// instruments and the language.
pub struct Analysed<'a> {
    pub frame: &'a Frame,
    pub averages: &'a [Average],
    pub basis: Basis,
    pub linking: Option<&'a Linking>,
    pub instruments: &'a Instruments,
    pub lang: text::Lang,
}

impl Analysed<'_> {
    pub fn labels(&self) -> text::Labels {
        text::Labels { lang: self.lang }
    }

    /// The instrument version of the frame's scale `s` (the linked scale's
    /// is its target's).
    pub fn scale_of(&self, s: usize) -> &Scale {
        self.instruments.get(self.frame.scales[s].instrument)
    }

    /// The average rows by scale, grouping, group and item.
    pub fn average_index(&self) -> AverageIndex<'_> {
        AverageIndex::new(self.averages)
    }
}
