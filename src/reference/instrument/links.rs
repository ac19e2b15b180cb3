//! The links between instrument versions, as their files declare them
//! (`links = { new = "1" }`): the item of another version that measures
//! the same, and the checks that each link names such an item, of the
//! same kind, one to one, and alike in both files.

use std::path::PathBuf;

use super::{Instruments, ItemIx, ScaleIx};
use crate::error::{Error, Result};

impl Instruments {
    /// Checks the declared links (`links = { new = "1" }`) of the files at
    /// `paths`: each names an item of another version, of the same kind (an
    /// area an area, a sub-question a sub-question: an area linked to a
    /// sub-question would put 0–100 scores on a 0–15 scale).
    pub(super) fn check_links(&self, paths: &[PathBuf]) -> Result<()> {
        for (own, (path, scale)) in paths.iter().zip(&self.scales).enumerate() {
            for item in &scale.items {
                for (other, id) in &item.links {
                    let refuse = |why: String| Err(Error::config(path, why));
                    if self.lookup(other) == Some(own as ScaleIx) {
                        return refuse(format!(
                            "item {} links to {other}, its own version: a link names the item \
                             of another version that measures the same",
                            item.id
                        ));
                    }
                    let Some(target) = self.lookup(other).map(|o| self.get(o)) else {
                        let ids: Vec<&str> = self.scales.iter().map(|s| s.id.as_str()).collect();
                        return refuse(format!(
                            "item {} links to version '{other}', which is none of the versions \
                             read ({}) nor an alias of one",
                            item.id,
                            ids.join(", ")
                        ));
                    };
                    let Some(to) = target.item(id).map(|i| target.get(i)) else {
                        return refuse(format!(
                            "item {} links to {other} item {id}, which does not exist",
                            item.id
                        ));
                    };
                    if to.kind != item.kind {
                        return refuse(format!(
                            "item {} ({}) links to {other} item {id} ({}): a link joins items \
                             of the same kind",
                            item.id,
                            item.kind.noun(),
                            to.kind.noun()
                        ));
                    }
                }
            }
        }
        self.check_one_to_one(paths)
    }

    /// Checks that the links between each two versions, declared in either
    /// file, join one item to one item: two items linked to the same one
    /// would each be fitted to the same target, the second taking its
    /// place on the linked scale while the other went unused, and the
    /// links of one summary would no longer be of different versions (see
    /// `analysis::link_error`); nor may the two files contradict each
    /// other (`2020` item 2 to new 8, new 8 to `2020` item 3).
    fn check_one_to_one(&self, paths: &[PathBuf]) -> Result<()> {
        let n = self.scales.len();
        for (a, b) in (0..n)
            .flat_map(|a| (0..n).map(move |b| (a, b)))
            .filter(|(a, b)| a != b)
        {
            let (from, to) = (a as ScaleIx, b as ScaleIx);
            let (fs, ts) = (self.get(from), self.get(to));
            // Named at the one file, with the other where the link may be
            // declared (either file can declare it).
            let other = crate::io::shown(&paths[b]);
            let refuse = |why: String| {
                let why = format!("{why} (links declared here or in {other})");
                Err(Error::config(&paths[a], why))
            };
            let mut taken: Vec<Option<ItemIx>> = vec![None; ts.items.len()];
            for i in 0..fs.items.len() {
                let item = i as ItemIx;
                let Some(c) = self.counterpart(from, item, to) else {
                    continue;
                };
                let (fid, cid) = (&fs.get(item).id, &ts.get(c).id);
                if let Some(first) = taken[usize::from(c)] {
                    return refuse(format!(
                        "items {} and {fid} of version {} both link to {} item {cid}: a link \
                         joins one item to one item",
                        fs.get(first).id,
                        fs.id,
                        ts.id
                    ));
                }
                taken[usize::from(c)] = Some(item);
                if let Some(back) = self.counterpart(to, c, from).filter(|&k| k != item) {
                    return refuse(format!(
                        "{} item {fid} links to {} item {cid}, but {} item {cid} links to {} \
                         item {}: the two files must agree",
                        fs.id,
                        ts.id,
                        ts.id,
                        fs.id,
                        fs.get(back).id
                    ));
                }
            }
        }
        Ok(())
    }

    /// The item of version `to` that measures the same as item `item` of
    /// version `from`, as declared in either version's file.
    pub fn counterpart(&self, from: ScaleIx, item: ItemIx, to: ScaleIx) -> Option<ItemIx> {
        let (f, t) = (self.get(from), self.get(to));
        let it = f.get(item);
        let declared = it
            .links
            .iter()
            .find(|(s, _)| self.lookup(s) == Some(to))
            .and_then(|(_, id)| t.item(id));
        declared.or_else(|| {
            t.items
                .iter()
                .position(|other| {
                    other
                        .links
                        .iter()
                        .any(|(s, id)| self.lookup(s) == Some(from) && f.item(id) == Some(item))
                })
                .map(|ix| ix as ItemIx)
        })
    }
}
