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

    /// The evaluation years scored on both `from` and `to`, in key order
    /// (a municipality's years follow each other): each with its country,
    /// the number of its municipality among them (from 0, in the same
    /// order) and its evaluations on `from` and on `to`.
    fn both(&self, from: ScaleIx, to: ScaleIx) -> Vec<(&'d str, u32, u32, u32)> {
        let mut municipality = 0;
        let mut last = None;
        (self.by_year.iter())
            .filter_map(|(key, scales)| {
                let (ef, et) = (*scales.get(&from)?, *scales.get(&to)?);
                if last.is_some_and(|l| l != (key.0, key.1)) {
                    municipality += 1;
                }
                last = Some((key.0, key.1));
                Some((key.0, municipality, ef, et))
            })
            .collect()
    }

    /// Where each municipality's evaluation years scored on both `from`
    /// and `to` start among them ([`Pairs::of`] numbers the years in this
    /// order), and their number at the end: the bootstrap draws
    /// municipalities, each with all its dual-scored years, as scores of
    /// one municipality in two years are not independent.
    pub(super) fn municipalities(&self, from: ScaleIx, to: ScaleIx) -> Vec<u32> {
        let both = self.both(from, to);
        let mut starts: Vec<u32> = (both.iter().enumerate())
            .filter(|(i, y)| *i == 0 || both[i - 1].1 != y.1)
            .map(|(i, _)| i as u32)
            .collect();
        starts.push(both.len() as u32);
        starts
    }

    /// (score on `from`, score on `to`) of every evaluation year that has
    /// both items, with its country, which of the dual-scored evaluation
    /// years of the two scales it is and its municipality (for a bootstrap
    /// that resamples whole municipalities).
    pub(super) fn of(
        &self,
        from: ScaleIx,
        from_item: ItemIx,
        to: ScaleIx,
        to_item: ItemIx,
    ) -> (Sample, Vec<&'d str>) {
        let mut sample = Sample::default();
        let mut countries = Vec::new();
        for (i, (country, municipality, ef, et)) in self.both(from, to).into_iter().enumerate() {
            let (Some(x), Some(y)) = (
                self.values[&ef][from_item as usize],
                self.values[&et][to_item as usize],
            ) else {
                continue;
            };
            sample.pairs.push((x, y));
            sample.evals.push(i as u32);
            sample.municipalities.push(municipality);
            countries.push(country);
        }
        // The sample size of the link's error: the municipalities, each
        // with its dual-scored years (one year each but where a
        // municipality was scored on both scales in more than one year).
        sample.units = super::fit::count_runs(&sample.municipalities);
        (sample, countries)
    }
}
