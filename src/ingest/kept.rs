//! The municipality names of the rows kept, once later rules have
//! rejected rows read as kept (a `conflict`, a `superseded` score): a
//! rejected row's name is not checked against the register
//! (`name-mismatch`), nor shown as a municipality's. (Its code from
//! before a reform is still reported, `renumbered`: the conflict names
//! today's code.)
//!
//! Each name an evaluation's rows give is kept with the first two places
//! it stands and how many rows give it ([`Seen`]). That tells where it
//! first stands among the rows kept, or that no row kept gives it, unless
//! its first two places are both rejected and more rows give it: only
//! then are the files read again without the rejected rows, and the names
//! of the evaluations concerned taken from that reading.

use std::collections::{HashMap, HashSet};

use super::file::Reading;
use super::titles::ItemTitles;
use super::{EvalKey, Ingested};
use crate::error::{Error, Result};
use crate::io::discover::Input;
use crate::reference::instrument::Instruments;
use crate::reference::register::Register;

/// Where a text is given by an evaluation's rows: the first two places
/// (file, line) it stands, and how many rows give it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Seen {
    pub first: (u32, u32),
    pub then: Option<(u32, u32)>,
    pub rows: u32,
}

/// What is left of a [`Seen`] once rows are rejected.
enum Left {
    /// Given by a row kept, first at `.first`.
    Kept(Seen),
    /// Given by no row kept.
    Gone,
    /// Its first two places rejected, and more rows give it.
    Unknown,
}

impl Seen {
    /// One row's, at `at`.
    pub fn at(at: (u32, u32)) -> Seen {
        Seen {
            first: at,
            then: None,
            rows: 1,
        }
    }

    /// Adds the rows of `other`: the earliest two places of both.
    pub fn add(&mut self, other: Seen) {
        self.rows += other.rows;
        for p in std::iter::once(other.first).chain(other.then) {
            if p < self.first {
                self.then = Some(self.first);
                self.first = p;
            } else if p != self.first && self.then.is_none_or(|t| p < t) {
                self.then = Some(p);
            }
        }
    }

    /// What is left once the rows `gone` says are rejected.
    fn without(&self, gone: impl Fn((u32, u32)) -> bool) -> Left {
        match (gone(self.first), self.then) {
            (false, _) => Left::Kept(*self),
            (true, Some(then)) if !gone(then) => Left::Kept(Seen {
                first: then,
                then: None,
                rows: self.rows - 1,
            }),
            (true, _) if self.rows > 2 => Left::Unknown,
            (true, _) => Left::Gone,
        }
    }
}

impl Ingested {
    /// Drops from the evaluations' names those only the rows at
    /// `rejected` (file, line; sorted) gave, and moves a name a rejected
    /// row gave first to the first row kept that gives it.
    pub fn names_without(
        &mut self,
        rejected: &[(u32, u32)],
        refs: (&Instruments, &Register),
    ) -> Result<()> {
        if rejected.is_empty() {
            return Ok(());
        }
        let gone = |at: (u32, u32)| rejected.binary_search(&at).is_ok();
        let mut unknown = Vec::new();
        for (&e, others) in &mut self.other_names {
            let mut unsure = false;
            others.retain_mut(|g| match g.seen.without(gone) {
                Left::Kept(seen) => {
                    g.seen = seen;
                    true
                }
                Left::Gone => false,
                Left::Unknown => {
                    unsure = true;
                    true
                }
            });
            if unsure {
                unknown.push(e);
            }
        }
        for (e, info) in self.evals.iter_mut().enumerate() {
            if info.given_name.is_none() {
                continue;
            }
            match info.name_seen.without(gone) {
                Left::Kept(seen) => info.name_seen = seen,
                Left::Unknown => unknown.push(e as u32),
                // Another name of its rows in its place, if any
                // (`validate::names::settle` then takes the first in
                // byte order).
                Left::Gone => match (self.other_names.get_mut(&(e as u32))).and_then(Vec::pop) {
                    Some(other) => {
                        (info.given_name, info.name_seen) = (Some(other.text), other.seen)
                    }
                    None => info.given_name = None,
                },
            }
        }
        self.other_names.retain(|_, others| !others.is_empty());
        if unknown.is_empty() {
            return Ok(());
        }
        unknown.sort_unstable();
        unknown.dedup();
        self.names_read_again(&unknown, rejected, refs)
    }

    /// The names of evaluations `concerned` taken from the files read
    /// again without the rows at `rejected`.
    fn names_read_again(
        &mut self,
        concerned: &[u32],
        rejected: &[(u32, u32)],
        refs: (&Instruments, &Register),
    ) -> Result<()> {
        let mut skip = vec![Vec::new(); self.files.len()];
        for &(file, line) in rejected {
            skip[file as usize].push(line);
        }
        let keys: HashSet<&EvalKey> = (concerned.iter())
            .map(|&e| &self.evals[e as usize].key)
            .collect();
        let mut again = self.read_again(&skip, refs)?;
        let by_key: HashMap<&EvalKey, u32> = (again.evals.iter().enumerate())
            .filter(|(_, info)| keys.contains(&info.key))
            .map(|(e, info)| (&info.key, e as u32))
            .collect();
        let kept: Vec<Option<u32>> = (concerned.iter())
            .map(|&e| by_key.get(&self.evals[e as usize].key).copied())
            .collect();
        for (&e, kept) in concerned.iter().zip(kept) {
            let info = &mut self.evals[e as usize];
            let name = kept.map(|k| &again.evals[k as usize]);
            info.given_name = name.and_then(|n| n.given_name.clone());
            info.name_seen = name.map_or(info.name_seen, |n| n.name_seen);
            match kept.and_then(|k| again.other_names.remove(&k)) {
                Some(names) => self.other_names.insert(e, names),
                None => self.other_names.remove(&e),
            };
        }
        Ok(())
    }

    /// Every file read again as it was, but for the rows at the lines
    /// `skip` lists for it, for the evaluations' names (no scores kept,
    /// no findings nor rejected rows). A file that is no longer what was
    /// read is an error.
    fn read_again(&self, skip: &[Vec<u32>], refs: (&Instruments, &Register)) -> Result<Ingested> {
        let (instruments, register) = refs;
        let ctx = Reading {
            opts: self.read_with.clone(),
            instruments,
            register,
            titles: ItemTitles::of(instruments),
            sink: None,
            names_only: Some(skip),
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
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::{Left, Seen};

    /// The earliest two places of rows merged in any order, and what is
    /// left of them once rows are rejected.
    #[test]
    fn a_texts_places_are_its_first_two_and_its_rows() {
        let mut s = Seen::at((0, 9));
        s.add(Seen::at((0, 5)));
        let mut piece = Seen::at((1, 2));
        piece.add(Seen::at((1, 3)));
        s.add(piece);
        s.add(Seen::at((0, 7)));
        assert_eq!((s.first, s.then, s.rows), ((0, 5), Some((0, 7)), 5));
        let left = |gone: &[(u32, u32)]| s.without(|at| gone.contains(&at));
        assert!(matches!(left(&[(0, 9)]), Left::Kept(k) if k.first == (0, 5)));
        assert!(matches!(left(&[(0, 5)]), Left::Kept(k) if k.first == (0, 7)));
        assert!(matches!(left(&[(0, 5), (0, 7)]), Left::Unknown));
        let two = Seen { rows: 2, ..s };
        assert!(matches!(two.without(|at| at.1 < 8), Left::Gone));
        assert!(matches!(Seen::at((0, 1)).without(|_| true), Left::Gone));
    }
}
