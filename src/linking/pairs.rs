//! The linking sample: the evaluation years scored on more than one scale,
//! and the pairs of scores of corresponding items they give.

use std::collections::BTreeMap;

use super::fit::Sample;
use crate::reference::instrument::{Instruments, ItemIx, ScaleIx};
use crate::validate::Validated;

/// The values of the evaluations scored on several scales in one year, and
/// those evaluations by (country, code, year) and scale: where the
/// dual-scored pairs come from.
pub(super) struct Pairs<'d> {
    /// The canonical values, by item, of the evaluations in `by_year`.
    values: BTreeMap<u32, Vec<Option<f64>>>,
    /// (country, code, year) -> scale -> evaluation, for the evaluation
    /// years scored on more than one scale.
    by_year: BTreeMap<(&'d str, &'d str, u16), BTreeMap<ScaleIx, u32>>,
    /// The scales of the evaluations with scores, in id order.
    present: Vec<ScaleIx>,
}

impl<'d> Pairs<'d> {
    pub(super) fn new(data: &'d Validated, instruments: &Instruments) -> Self {
        // The evaluations with scores by (country, code, year): the
        // canonical order already, so the years scored on several scales
        // follow each other (sorted first should they ever not). Only
        // their values are kept.
        let mut evals: Vec<u32> = (data.scores.chunk_by(|a, b| a.eval == b.eval))
            .map(|run| run[0].eval)
            .collect();
        let year = |e: &u32| {
            let k = &data.evals[*e as usize].key;
            (k.country.as_str(), k.code.as_str(), k.year)
        };
        if !evals.is_sorted_by_key(year) {
            evals.sort_by_key(year);
        }
        let mut present: Vec<ScaleIx> = (evals.iter())
            .map(|&e| data.evals[e as usize].key.scale)
            .collect();
        present.sort_by_key(|&s| instruments.get(s).id.clone());
        present.dedup();
        let mut by_year = BTreeMap::new();
        let mut dual = vec![false; data.evals.len()];
        for same in evals.chunk_by(|a, b| year(a) == year(b)) {
            let scales: BTreeMap<ScaleIx, u32> = (same.iter())
                .map(|&e| (data.evals[e as usize].key.scale, e))
                .collect();
            if scales.len() > 1 {
                for &e in same {
                    dual[e as usize] = true;
                }
                by_year.insert(year(&same[0]), scales);
            }
        }
        let mut values: BTreeMap<u32, Vec<Option<f64>>> = BTreeMap::new();
        for s in data.scores.iter().filter(|s| dual[s.eval as usize]) {
            let scale = data.evals[s.eval as usize].key.scale;
            let n = instruments.get(scale).items.len();
            values.entry(s.eval).or_insert_with(|| vec![None; n])[s.item as usize] = Some(s.value);
        }
        Pairs {
            values,
            by_year,
            present,
        }
    }

    /// The scales present, in id order.
    pub(super) fn scales(&self) -> &[ScaleIx] {
        &self.present
    }

    /// The evaluation years scored on both `from` and `to`.
    pub(super) fn dual(&self, from: ScaleIx, to: ScaleIx) -> u32 {
        let both = |scales: &&BTreeMap<ScaleIx, u32>| {
            scales.contains_key(&from) && scales.contains_key(&to)
        };
        self.by_year.values().filter(both).count() as u32
    }

    /// (score on `from`, score on `to`) of every evaluation year that has
    /// both items, with its country, and which of the dual-scored
    /// evaluation years of the two scales it is (for a bootstrap that
    /// resamples whole evaluations).
    pub(super) fn of(
        &self,
        from: ScaleIx,
        from_item: ItemIx,
        to: ScaleIx,
        to_item: ItemIx,
    ) -> (Sample, Vec<&'d str>) {
        let dual: Vec<(&str, u32, u32)> = self
            .by_year
            .iter()
            .filter_map(|(key, scales)| Some((key.0, *scales.get(&from)?, *scales.get(&to)?)))
            .collect();
        let mut sample = Sample::default();
        let mut countries = Vec::new();
        for (i, (country, ef, et)) in dual.into_iter().enumerate() {
            let (Some(x), Some(y)) = (
                self.values[&ef][from_item as usize],
                self.values[&et][to_item as usize],
            ) else {
                continue;
            };
            sample.pairs.push((x, y));
            sample.evals.push(i as u32);
            countries.push(country);
        }
        (sample, countries)
    }
}
