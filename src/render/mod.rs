//! What a person reads: texts in Swedish and English, the charts and the
//! static HTML report.

pub mod charts;
mod collate;
mod numbers;
pub mod report;
pub mod text;
