//! The analysis of the validated (and linked) scores: the analysis frame
//! every stage reads, average profiles, trends between rounds, the mean
//! total per evaluation year, standings (ranks, percentiles, role models),
//! the linking error of a summary, the check of published figures, and the
//! counting sort the groupings share.

pub mod averages;
pub mod frame;
pub mod grouped;
pub mod link_error;
pub mod published;
pub mod standings;
pub mod trends;
pub mod year_totals;
