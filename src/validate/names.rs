//! The names rows give a municipality: each evaluation's first in byte
//! order, and the name a municipality the register has not goes by in the
//! outputs, the first in byte order of the names its rows give in any of
//! its evaluations, so that the same rows give the same name whatever the
//! order of the files and of the rows in them.

use std::collections::BTreeMap;

use crate::ingest::{EvalInfo, Ingested};
use crate::reference::register::Register;

/// Makes each evaluation's name the first in byte order of those its rows
/// give, the others its other names (the name read first went before).
pub(super) fn settle(ing: &mut Ingested) {
    for (&eval, others) in &mut ing.other_names {
        let info = &mut ing.evals[eval as usize];
        let Some(first) = info.given_name.as_mut() else {
            continue;
        };
        let Some(least) = others.iter_mut().min_by(|a, b| a.text.cmp(&b.text)) else {
            continue;
        };
        if least.text < *first {
            std::mem::swap(first, &mut least.text);
            std::mem::swap(&mut info.name_seen, &mut least.seen);
        }
    }
}

/// Per country, per code, the name of each municipality the register has
/// not and some row names.
#[derive(Debug, Default)]
pub struct Unregistered(BTreeMap<String, BTreeMap<String, String>>);

impl Unregistered {
    /// The names of the municipalities of `evals` the register has not
    /// (each evaluation's first in byte order once [`settle`]d).
    pub(super) fn of(evals: &[EvalInfo], register: &Register) -> Unregistered {
        let mut names: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for info in evals {
            let (country, code) = (&info.key.country, &info.key.code);
            let Some(name) = info.given_name.as_deref() else {
                continue;
            };
            if register.get(country, code).is_some() {
                continue;
            }
            let codes = names.entry(country.clone()).or_default();
            match codes.get_mut(code.as_str()) {
                Some(least) if name < least.as_str() => *least = name.to_string(),
                Some(_) => {}
                None => {
                    codes.insert(code.clone(), name.to_string());
                }
            }
        }
        Unregistered(names)
    }

    /// The name of municipality `code` of `country`, if it is one of them.
    pub fn get(&self, country: &str, code: &str) -> Option<&str> {
        Some(self.0.get(country)?.get(code)?.as_str())
    }
}
