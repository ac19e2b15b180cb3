//! Writing the link stage: `linking.csv`, `concordance.csv`,
//! `linked_scores.csv`, `link_invariance.csv`.

use std::path::Path;

use super::{ConcordancePoint, ItemLink, Linking};
use crate::error::Result;
use crate::ingest::header::own::LINKED_SCORES;
use crate::io::CsvOut;
use crate::io::Written;
use crate::io::dialect::{OutputDialect, SCORE_DECIMALS, STAT_DECIMALS};
use crate::io::{Cells, Kind, RowOut};
use crate::reference::instrument::Instruments;
use crate::validate::Validated;

/// Writes the linking outputs: `linking.csv`, `concordance.csv`,
/// `linked_scores.csv` and `link_invariance.csv`.
pub fn write_linking_outputs(
    dir: &Path,
    dialect: OutputDialect,
    linking: &Linking,
    data: &Validated,
    instruments: &Instruments,
) -> Result<Vec<Written>> {
    Ok(vec![
        linking_csv(dir, dialect, linking, instruments)?,
        concordance_csv(dir, dialect, linking, instruments)?,
        linked_scores_csv(dir, dialect, linking, data, instruments)?,
        invariance_csv(dir, dialect, linking, instruments)?,
    ])
}

/// `link_invariance.csv`: per item and country with enough pairs, the RMSD
/// between the country's own link and the pooled one.
fn invariance_csv(
    dir: &Path,
    dialect: OutputDialect,
    linking: &Linking,
    instruments: &Instruments,
) -> Result<Written> {
    let to = instruments.get(linking.to);
    let mut out = CsvOut::create(
        dir,
        "link_invariance.csv",
        dialect,
        &[
            "from_scale",
            "to_scale",
            "item",
            "country",
            "n_pairs",
            "rmsd",
            "rmsd_sampling",
        ],
    )?;
    for l in &linking.items {
        let from = instruments.get(l.from);
        for c in &l.invariance {
            out.text(&from.id)?;
            out.text(&to.id)?;
            out.text(&from.get(l.from_item).id)?;
            out.text(&c.country)?;
            out.int(c.pairs as u64)?;
            out.num(c.rmsd, STAT_DECIMALS)?;
            out.opt_num(c.sampling, STAT_DECIMALS)?;
            out.end()?;
        }
    }
    out.finish()
}

/// `linking.csv`: one row per linked item, with the link's figures.
fn linking_csv(
    dir: &Path,
    dialect: OutputDialect,
    linking: &Linking,
    instruments: &Instruments,
) -> Result<Written> {
    let opt = |x: Option<f64>| dialect.opt(x, STAT_DECIMALS);
    let to = instruments.get(linking.to);
    let mut out = CsvOut::create(
        dir,
        "linking.csv",
        dialect,
        &[
            "from_scale",
            "to_scale",
            "item",
            "method",
            "n_pairs",
            "mean_from",
            "sd_from",
            "mean_to",
            "sd_to",
            "slope",
            "intercept",
            "slope_se",
            "intercept_se",
            "loo_mae",
            "clamped",
            "to_item",
            "r",
            "n_extrapolated",
            "boot_dropped",
            "n_municipalities",
            "resid_rms",
        ],
    )?;
    for l in &linking.items {
        let from = instruments.get(l.from);
        let (slope, intercept) = l.fitted.line().unzip();
        out.row([
            from.id.clone(),
            to.id.clone(),
            from.get(l.from_item).id.clone(),
            l.method.as_str().to_string(),
            l.pairs.len().to_string(),
            opt(l.mean_from),
            opt(l.sd_from),
            opt(l.mean_to),
            opt(l.sd_to),
            opt(slope),
            opt(intercept),
            opt(l.slope_se),
            opt(l.intercept_se),
            opt(l.loo_mae),
            l.clamped.to_string(),
            to.get(l.to_item).id.clone(),
            // Two pairs always lie on a line: r = 1 says nothing (the
            // report gives `–`; the researcher audit of the seventy-sixth
            // session found the three disagreeing).
            opt(l.r.filter(|_| l.pairs.len() >= 3)),
            l.extrapolated.to_string(),
            l.boot_dropped.to_string(),
            l.municipalities.to_string(),
            opt(resid_rms(l, to.get(l.to_item).max)),
        ])?;
    }
    out.finish()
}

/// How far the pairs' target scores lie from their linked scores (the
/// link as applied, within 0 and the target item's `max`): the root mean
/// square over the pairs, from 3 pairs on. What one municipality's own
/// score on the target scale may differ from its linked one besides the
/// link's error (README: "For one municipality, read a linked score as ±
/// √(linked_se² + that residual's variance)"; no output gave it:
/// researcher audit of the seventy-sixth session).
fn resid_rms(l: &ItemLink, max: f64) -> Option<f64> {
    let n = l.pairs.len();
    let squares = (l.pairs.iter()).map(|&(x, y)| (y - l.fitted.apply(x).clamp(0.0, max)).powi(2));
    (n >= 3).then(|| (squares.sum::<f64>() / n as f64).sqrt())
}

/// `concordance.csv`: each link's table from score to linked score, SE
/// and the SE's degrees of freedom.
fn concordance_csv(
    dir: &Path,
    dialect: OutputDialect,
    linking: &Linking,
    instruments: &Instruments,
) -> Result<Written> {
    let num = |x: f64| dialect.num(x, STAT_DECIMALS);
    let opt = |x: Option<f64>| dialect.opt(x, STAT_DECIMALS);
    let to = instruments.get(linking.to);
    let mut out = CsvOut::create(
        dir,
        "concordance.csv",
        dialect,
        &[
            "from_scale",
            "to_scale",
            "item",
            "from_score",
            "linked_score",
            "linked_se",
            "to_item",
            "linked_df",
        ],
    )?;
    for l in &linking.items {
        let from = instruments.get(l.from);
        for &ConcordancePoint { x, linked: y, se } in &l.concordance {
            out.row([
                from.id.clone(),
                to.id.clone(),
                from.get(l.from_item).id.clone(),
                num(x),
                num(y),
                opt(se),
                to.get(l.to_item).id.clone(),
                opt(se.map(|_| l.df_at(x))),
            ])?;
        }
    }
    out.finish()
}

/// `linked_scores.csv`: every linked score.
fn linked_scores_csv(
    dir: &Path,
    dialect: OutputDialect,
    linking: &Linking,
    data: &Validated,
    instruments: &Instruments,
) -> Result<Written> {
    let to = instruments.get(linking.to);
    let mut out = RowOut::create(
        dir,
        "linked_scores",
        dialect.rows,
        dialect,
        &LINKED_SCORES
            .into_iter()
            .zip(LINKED_SCORE_KINDS)
            .collect::<Vec<_>>(),
    )?;
    for s in &linking.scores {
        let l = &linking.items[s.link];
        let key = &data.evals[s.eval as usize].key;
        let from = instruments.get(l.from);
        out.text(&key.country)?;
        out.text(&key.code)?;
        out.int(u64::from(key.year))?;
        out.text(&from.id)?;
        out.text(&from.get(l.from_item).id)?;
        out.num(s.score, SCORE_DECIMALS)?;
        out.num(s.linked, STAT_DECIMALS)?;
        out.opt_num(s.se, STAT_DECIMALS)?;
        out.text(l.method.as_str())?;
        out.text(&to.id)?;
        out.text(&to.get(l.to_item).id)?;
        // The SE's degrees of freedom, as `concordance.csv` gives them at
        // the score: an interval from this file alone (the researcher
        // audit of the seventy-sixth session had to join the two).
        let df = s.se.map(|_| l.df_at(s.score));
        out.opt_num(df, STAT_DECIMALS)?;
        out.end()?;
    }
    out.finish()
}

/// The kinds of `linked_scores.csv`'s columns ([`LINKED_SCORES`]).
const LINKED_SCORE_KINDS: [Kind; 12] = [
    Kind::Text,
    Kind::Text,
    Kind::Int,
    Kind::Text,
    Kind::Text,
    Kind::Num,
    Kind::Num,
    Kind::Num,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Num,
];
