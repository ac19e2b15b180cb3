//! The municipality names of the rows kept, once later rules have
//! rejected rows read as kept (a `conflict`, a `superseded` score): a
//! rejected row's name is not checked against the register
//! (`name-mismatch`), nor shown as a municipality's. (Its code from
//! before a reform is still reported, `renumbered`: the conflict names
//! today's code.)
//!
//! Each evaluation holds its names where they first stand, not every
//! row's. Where no rejected row is the first to give one (always, but for
//! a rejected row that gave another name than the rows before it), every
//! one is still given where it is noted, by a row kept; otherwise the
//! files are read again without the rejected rows, and the names of the
//! evaluations concerned taken from that reading.

use std::collections::HashMap;

use super::file::Reading;
use super::titles::ItemTitles;
use super::{EvalKey, Given, Ingested};
use crate::error::{Error, Result};
use crate::io::discover::Input;
use crate::reference::instrument::Instruments;
use crate::reference::register::Register;

impl Ingested {
    /// Drops from the evaluations' names those only the rows at
    /// `rejected` (file, line; sorted) gave, and moves a name a rejected
    /// row gave first to the first row kept that gives it.
    pub fn names_without(
        &mut self,
        rejected: &[(u32, u32)],
        refs: (&Instruments, &Register),
    ) -> Result<()> {
        let gone = |at: (u32, u32)| rejected.binary_search(&at).is_ok();
        let noted_gone = |g: &[Given]| g.iter().any(|g| gone((g.file, g.line)));
        let mut concerned: Vec<u32> = (0..self.evals.len() as u32)
            .filter(|&e| {
                let info = &self.evals[e as usize];
                info.given_name.is_some() && gone(info.name_at)
            })
            .collect();
        concerned.extend(
            (self.other_names.iter())
                .filter(|(_, g)| noted_gone(g))
                .map(|(&e, _)| e),
        );
        if concerned.is_empty() {
            return Ok(());
        }
        concerned.sort_unstable();
        concerned.dedup();
        let mut skip = vec![Vec::new(); self.files.len()];
        for &(file, line) in rejected {
            skip[file as usize].push(line);
        }
        let mut again = self.read_again(&skip, refs)?;
        let by_key: HashMap<&EvalKey, u32> = (again.evals.iter().enumerate())
            .map(|(e, info)| (&info.key, e as u32))
            .collect();
        for e in concerned {
            let info = &mut self.evals[e as usize];
            let kept = by_key.get(&info.key).copied();
            let name = kept.map(|k| &again.evals[k as usize]);
            info.given_name = name.and_then(|n| n.given_name.clone());
            info.name_at = name.map_or(info.name_at, |n| n.name_at);
            match kept.and_then(|k| again.other_names.remove(&k)) {
                Some(names) => self.other_names.insert(e, names),
                None => self.other_names.remove(&e),
            };
        }
        Ok(())
    }

    /// Every file read again as it was, but for the rows at the lines
    /// `skip` lists for it, for the evaluations' names (no scores kept;
    /// the findings and rejected rows of each dropped once it is read). A
    /// file that is no longer what was read is an error.
    fn read_again(&self, skip: &[Vec<u32>], refs: (&Instruments, &Register)) -> Result<Ingested> {
        let (instruments, register) = refs;
        let ctx = Reading {
            opts: self.read_with.clone(),
            instruments,
            register,
            titles: ItemTitles::of(instruments),
            sink: None,
            again: Some(skip),
        };
        let mut out = Ingested::default();
        for (k, info) in self.files.iter().enumerate() {
            let input = Input {
                path: info.path.clone(),
                in_folder: false,
            };
            let parsed = ctx.parse_file(&input, k, Vec::new())?;
            if (parsed.info.text_len, parsed.info.modified) != (info.text_len, info.modified) {
                return Err(Error::input(
                    &info.path,
                    "changed while kompass was reading it (its rows are needed again for the \
                     municipality names of the rows kept); run again once it is written",
                ));
            }
            out.absorb(parsed)?;
            out.findings.clear();
            out.rejected.clear();
        }
        Ok(out)
    }
}
