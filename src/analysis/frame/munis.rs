//! The frame's municipalities: each one in the canonical table, in
//! (country, code) order, with what the register says about it (name,
//! population, groups, population band).

use super::{BANDS, Muni};
use crate::reference::register::Register;
use crate::validate::Validated;

/// The municipalities of the canonical table with their register
/// attributes, in (country, code) order, and each evaluation's index
/// among them.
pub(super) fn municipalities(data: &Validated, register: &Register) -> (Vec<Muni>, Vec<usize>) {
    use rayon::prelude::*;
    // An evaluation of each municipality, in order of first appearance.
    let mut firsts: Vec<usize> = Vec::new();
    let mut eval_muni = vec![usize::MAX; data.evals.len()];
    // The canonical scores are sorted by evaluation key: a municipality's
    // evaluations follow each other, and first appearances come in
    // (country, code) order.
    let mut last: Option<(&str, &str)> = None;
    for run in data.scores.chunk_by(|a, b| a.eval == b.eval) {
        let e = run[0].eval as usize;
        let info = &data.evals[e];
        let key = (info.key.country.as_str(), info.key.code.as_str());
        if last != Some(key) {
            firsts.push(e);
            last = Some(key);
        }
        eval_muni[e] = firsts.len() - 1;
    }
    // Their names and groups on all cores (hundreds of thousands at
    // 1,000,000 evaluations, five strings each).
    let munis: Vec<Muni> = (firsts.par_iter())
        .map(|&e| {
            let info = &data.evals[e];
            let key = &info.key;
            let given = data.unregistered.get(&key.country, &key.code);
            muni(register, &key.country, &key.code, given)
        })
        .collect();
    debug_assert!(
        munis
            .windows(2)
            .all(|w| (&w[0].country, &w[0].code) < (&w[1].country, &w[1].code))
    );
    (munis, eval_muni)
}

/// Municipality `code` of `country` with its register attributes; the
/// name in the data (`given`) where the register has none.
fn muni(register: &Register, country: &str, code: &str, given: Option<&str>) -> Muni {
    let m = register.get(country, code);
    let join = |c: &Option<String>, n: &Option<String>| match (c, n) {
        (Some(c), Some(n)) => Some(format!("{c} {n}")),
        (Some(c), None) => Some(c.clone()),
        _ => None,
    };
    let population = m.and_then(|m| m.population).map(|p| p as f64);
    let swedish = crate::reference::country::is_sweden(country);
    Muni {
        country: country.to_string(),
        code: code.to_string(),
        name: m
            .map(|m| m.name.clone())
            .or_else(|| given.map(str::to_string))
            .unwrap_or_default(),
        population,
        group_2011: m.and_then(|m| join(&m.group_2011_code, &m.group_2011_name)),
        group_2017: m.and_then(|m| join(&m.group_2017_code, &m.group_2017_name)),
        // A population of 0 is no size (as it is no weight).
        band: population.filter(|&p| swedish && p > 0.0).map(|p| {
            BANDS
                .iter()
                .position(|(_, hi)| p < *hi)
                .unwrap_or(BANDS.len() - 1)
        }),
        registered: m.is_some(),
    }
}
