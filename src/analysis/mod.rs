//! The analysis of the validated (and linked) scores: the analysis frame
//! every stage reads, average profiles, trends between rounds, standings
//! (ranks, percentiles, role models) and the check of published figures.

pub mod averages;
pub mod frame;
pub mod grouped;
pub mod link_error;
pub mod published;
pub mod standings;
pub mod trends;
pub mod year_totals;
