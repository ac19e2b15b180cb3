//! Which chart is which: one [`ChartId`] per chart, and the one function
//! that turns it into a file name, used by the chart plan (which draws it)
//! and the report (which links it).

use std::fmt;

/// A chart, named by what it shows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChartId {
    /// One evaluation's profile against the national average: `scale`
    /// names it where its year has profiles on several scales, but for
    /// the one on the link target scale (the year's profile before such
    /// years had more than one).
    Profile {
        country: String,
        code: String,
        year: u16,
        scale: Option<String>,
    },
    /// One municipality's rounds side by side.
    Rounds { country: String, code: String },
    /// The distribution per area, per country and analysis scale.
    Distribution { country: String, scale: String },
    /// The mean total per evaluation year, per country.
    Trend { country: String },
    /// The mean per sub-question, per country and analysis scale.
    Questions { country: String, scale: String },
    /// One linking (pairs and concordance per item).
    Linking { from: String, to: String },
}

impl ChartId {
    /// The file name without extension (`.png` and `.svg` are added).
    pub fn file_stem(&self) -> String {
        self.to_string()
    }

    /// Width and height in pixels: one size per kind of chart, the same for
    /// the PNG, the SVG and the report's `<img>`.
    pub fn size(&self) -> (u32, u32) {
        match self {
            ChartId::Profile { .. } => super::radar::SIZE,
            // The category charts with the key of area names under their axes.
            ChartId::Questions { .. } => (1200, 600 + super::names::HEIGHT as u32),
            ChartId::Rounds { .. } | ChartId::Distribution { .. } => {
                (900, 640 + super::names::HEIGHT as u32)
            }
            ChartId::Linking { .. } => (1050, 1050),
            ChartId::Trend { .. } => (900, 640),
        }
    }
}

impl fmt::Display for ChartId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChartId::Profile {
                country,
                code,
                year,
                scale: None,
            } => write!(f, "profile_{country}_{code}_{year}"),
            ChartId::Profile {
                country,
                code,
                year,
                scale: Some(scale),
            } => write!(f, "profile_{country}_{code}_{year}_{scale}"),
            ChartId::Rounds { country, code } => write!(f, "rounds_{country}_{code}"),
            ChartId::Distribution { country, scale } => {
                write!(f, "distribution_{country}_{scale}")
            }
            ChartId::Trend { country } => write!(f, "trend_{country}"),
            ChartId::Questions { country, scale } => write!(f, "questions_{country}_{scale}"),
            ChartId::Linking { from, to } => write!(f, "linking_{from}_{to}"),
        }
    }
}
