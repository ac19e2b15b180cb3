//! The municipalities a generation draws from: the register's, then
//! invented ones.

use std::path::{Path, PathBuf};

use super::SynthOptions;
use crate::error::Result;
use crate::io::CsvOut;
use crate::io::dialect::OutputDialect;
use crate::reference::country;
use crate::reference::register::{self, Municipality, Register};
use crate::stats::rng::Rng;

/// Municipalities to draw from: the register's, shuffled, then invented
/// ones (6-digit codes starting with 9, outside every real range), which are
/// written to `meta/register.csv` together with the real register.
pub(super) struct Pool<'a> {
    real: Vec<Vec<Municipality>>,
    next: Vec<usize>,
    countries: Vec<String>,
    pub(super) invented: u64,
    /// The last number an invented code was made of ([`Pool::next`]).
    serial: u64,
    /// The register and the (country, code)s avoided (sorted): an invented
    /// code is none of theirs (a register from an earlier generation holds
    /// 900001 and on: the same code was invented again, two municipalities'
    /// histories under one code).
    taken: (&'a Register, &'a [(String, String)]),
    sweden_groups: Vec<Municipality>,
    register_out: Option<CsvOut>,
    all: Vec<Municipality>,
    meta: PathBuf,
}

impl<'a> Pool<'a> {
    pub(super) fn new(opts: &'a SynthOptions, register: &'a Register, meta: &Path) -> Self {
        let real = opts
            .countries
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut list: Vec<Municipality> = register
                    .municipalities()
                    .iter()
                    .filter(|m| &m.country == c)
                    .filter(|m| {
                        opts.avoid
                            .binary_search(&(m.country.clone(), m.code.clone()))
                            .is_err()
                    })
                    .cloned()
                    .collect();
                Rng::derive(opts.seed, 100 + i as u64).shuffle(&mut list);
                list
            })
            .collect();
        let sweden_groups = register
            .municipalities()
            .iter()
            .filter(|m| country::is_sweden(&m.country) && m.group_2017_code.is_some())
            .cloned()
            .collect();
        Pool {
            real,
            next: vec![0; opts.countries.len()],
            countries: opts.countries.clone(),
            invented: 0,
            serial: 0,
            taken: (register, &opts.avoid),
            sweden_groups,
            register_out: None,
            all: register.municipalities().to_vec(),
            meta: meta.to_path_buf(),
        }
    }

    pub(super) fn next(&mut self, c: usize, rng: &mut Rng) -> Result<Municipality> {
        if let Some(m) = self.real[c].get(self.next[c]) {
            self.next[c] += 1;
            return Ok(m.clone());
        }
        self.invented += 1;
        let country = self.countries[c].clone();
        let code = loop {
            self.serial += 1;
            let code = format!("9{:05}", self.serial);
            let (register, avoid) = self.taken;
            let avoided =
                avoid.binary_search_by(|(c, k)| (c.as_str(), k.as_str()).cmp(&(&country, &code)));
            if register.get(&country, &code).is_none() && avoided.is_err() {
                break code;
            }
        };
        let mut m = Municipality {
            name: format!("Syntetisk {country} {code}"),
            country,
            code,
            population: Some((rng.gauss(9.6, 0.9).exp()).round() as u64),
            ..Municipality::default()
        };
        if country::is_sweden(&m.country) && !self.sweden_groups.is_empty() {
            let g = &self.sweden_groups[rng.range(0, self.sweden_groups.len() as u32 - 1) as usize];
            m.group_2011_code = g.group_2011_code.clone();
            m.group_2011_name = g.group_2011_name.clone();
            m.group_2017_code = g.group_2017_code.clone();
            m.group_2017_name = g.group_2017_name.clone();
        }
        if self.register_out.is_none() {
            let mut out = CsvOut::create(
                &self.meta,
                "register.csv",
                OutputDialect::default(),
                &register::COLUMNS,
            )?;
            for real in std::mem::take(&mut self.all) {
                out.row(real.fields())?;
            }
            self.register_out = Some(out);
        }
        if let Some(out) = self.register_out.as_mut() {
            out.row(m.fields())?;
        }
        Ok(m)
    }

    /// Puts `meta/register.csv` in place, where there is one, listed in
    /// `record` before.
    pub(super) fn finish(self, record: &mut super::folder::Provisional) -> Result<()> {
        match self.register_out {
            Some(out) => record.put("meta/register.csv", || out.finish_aside()),
            None => Ok(()),
        }
    }
}
