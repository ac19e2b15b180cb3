//! The frame's `linked` scale: per (municipality, year, item) a native
//! score of the link target where there is one, else the linked score of
//! the most precise link (the smallest linking SE; one without an SE only
//! where there is no other; among equals the first in the canonical
//! table), item by item. Built a (municipality, year) at a time.

use super::{NOT_LINKED, Point, native_point};
use crate::linking::Linking;
use crate::validate::{Score, Validated};

/// What building the linked scale reads.
pub(super) struct Sources<'a> {
    pub(super) data: &'a Validated,
    pub(super) l: &'a Linking,
    /// Each evaluation's municipality (index into `Frame::munis`).
    pub(super) eval_muni: &'a [usize],
    /// The linked scale's index in the frame.
    pub(super) linked: u8,
}

impl Sources<'_> {
    /// (municipality, year) of evaluation `e`.
    fn place(&self, e: u32) -> (usize, u16) {
        (
            self.eval_muni[e as usize],
            self.data.evals[e as usize].key.year,
        )
    }

    /// The point of linked score `i` of the linking on the linked scale.
    fn linked_point(&self, i: usize) -> Point {
        let (data, l) = (self.data, self.l);
        let s = &l.scores[i];
        let info = &data.evals[s.eval as usize];
        Point {
            scale: self.linked,
            muni: self.eval_muni[s.eval as usize] as u32,
            end: i as u32,
            year: info.key.year,
            item: l.items[s.link].to_item,
            value: s.linked,
            native: info.key.scale,
            link: u16::try_from(s.link).unwrap_or(NOT_LINKED),
        }
    }

    /// The order of preference among the candidates for one (municipality,
    /// year, item), lowest first: native target scores, then linked
    /// scores by their linking SE, those without one last.
    fn preference(&self, p: &Point) -> (bool, u64) {
        if p.native == self.l.to {
            return (false, 0);
        }
        // An SE is not negative: its bits order as its value does.
        let se = self.l.scores[p.end as usize].se;
        (true, se.map_or(u64::MAX, f64::to_bits))
    }

    /// The scores of the link target among `scores`, as points of the
    /// linked scale.
    fn target_natives<'s>(&'s self, scores: &'s [Score]) -> impl Iterator<Item = Point> + 's {
        (scores.iter())
            .filter(|s| self.data.evals[s.eval as usize].key.scale == self.l.to)
            .map(|s| native_point(self.data, self.eval_muni, self.linked, s))
    }

    /// The points of the linked scale, sorted by (municipality, year,
    /// item): the general way, all candidates at once, sorted.
    pub(super) fn linked_points(&self) -> Vec<Point> {
        let l = self.l;
        let mut candidates: Vec<Point> = self.target_natives(&self.data.scores).collect();
        candidates.extend((0..l.scores.len()).map(|i| self.linked_point(i)));
        // Stable: among equally preferred linked scores of one (muni, year,
        // item) the first stays first.
        candidates.sort_by_key(|p| (p.muni, p.year, p.item, self.preference(p)));
        candidates.dedup_by_key(|p| (p.muni, p.year, p.item));
        candidates.shrink_to_fit();
        candidates
    }

    /// Appends the points of the linked scale to `points`, one
    /// (municipality, year) at a time: per item a native score of the
    /// target scale where there is one, else the preferred linked score (as
    /// [`Sources::linked_points`], without holding them all apart).
    /// Returns false, having appended part, if the linked scores are not in
    /// the canonical table's order.
    pub(super) fn append_linked(&self, points: &mut Vec<Point>) -> bool {
        self.walk(points) == self.l.scores.len()
    }

    /// The walk of [`Sources::append_linked`]; returns the number of linked
    /// scores it used.
    fn walk(&self, out: &mut Vec<Point>) -> usize {
        let (data, l) = (self.data, self.l);
        let mut group: Vec<((bool, u64), u32, Point)> = Vec::new();
        let mut next = 0;
        for run in (data.scores).chunk_by(|a, b| self.place(a.eval) == self.place(b.eval)) {
            let here = self.place(run[0].eval);
            group.clear();
            group.extend(self.target_natives(run).map(|p| ((false, 0), 0, p)));
            while (l.scores.get(next)).is_some_and(|s| self.place(s.eval) == here) {
                let p = self.linked_point(next);
                group.push((self.preference(&p), next as u32, p));
                next += 1;
            }
            group.sort_unstable_by_key(|(rank, i, p)| (p.item, *rank, *i));
            group.dedup_by_key(|(_, _, p)| p.item);
            out.extend(group.iter().map(|g| g.2));
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::Sources;
    use crate::analysis::frame::munis::municipalities;
    use crate::analysis::frame::{NOT_LINKED, Point};
    use crate::ingest::{self, ReadOptions};
    use crate::linking::Linking;
    use crate::linking::{self, LinkOptions};
    use crate::reference::instrument::Instruments;
    use crate::reference::register::Register;
    use crate::synth::{self, SynthOptions};
    use crate::validate::Validated;

    fn fields(p: &Point) -> (u64, u32, u32, u16, u16, u8, u8, u16) {
        let Point {
            value,
            muni,
            end,
            year,
            item,
            scale,
            native,
            link,
        } = *p;
        (value.to_bits(), muni, end, year, item, scale, native, link)
    }

    /// The data in `dir`, validated, linked (5 bootstrap replicates), and
    /// each evaluation's municipality.
    fn linked_of(dir: &std::path::Path, register: &Register) -> (Validated, Linking, Vec<usize>) {
        let instruments = Instruments::shipped().unwrap();
        let paths = crate::io::discover(&[dir.to_path_buf()]).unwrap();
        let read = ingest::read_all(
            &paths,
            ReadOptions::default(),
            (&instruments, register),
            None,
        );
        let data = crate::validate::validate(read.unwrap(), &instruments, register, 2026);
        let data = data.unwrap();
        let link_opts = LinkOptions {
            bootstrap: 5,
            ..LinkOptions::default()
        };
        let new = instruments.lookup("new").unwrap();
        let (l, _) = linking::link_read_only(&data, &instruments, &link_opts, new).unwrap();
        let (_, eval_muni) = municipalities(&data, register);
        (data, l, eval_muni)
    }

    /// The sources of the linked scale (frame index 9).
    fn sources<'a>(data: &'a Validated, l: &'a Linking, eval_muni: &'a [usize]) -> Sources<'a> {
        Sources {
            data,
            l,
            eval_muni,
            linked: 9,
        }
    }

    /// Both ways of building the linked scale pick, for a municipality-year
    /// scored on two scales linked to the target, the more precise link's
    /// score: Värmdö 2021, old 60 (old + 8, SE 1: 68) and 2020-scale 50
    /// (a single pair, 2020 + 10, no SE: 60).
    #[test]
    fn both_ways_take_the_more_precise_link() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("in.csv"),
            "municipality_code,eval_year,scale,item,score\n\
             0114,2010,old,1,80\n0114,2010,new,1,87\n0115,2010,old,1,70\n0115,2010,new,1,79\n\
             0117,2020,new,1,60\n0117,2020,2020,1,50\n0120,2021,old,1,60\n0120,2021,2020,1,50\n",
        )
        .unwrap();
        let register = Register::shipped().unwrap();
        let (data, l, eval_muni) = linked_of(dir.path(), &register);
        let sources = sources(&data, &l, &eval_muni);
        let general: Vec<_> = sources.linked_points().iter().map(fields).collect();
        let mut points = Vec::new();
        assert!(sources.append_linked(&mut points));
        let walk: Vec<_> = points.iter().map(fields).collect();
        assert!(walk == general);
        // Värmdö's point: the last municipality, one point for 2021.
        let year_2021: Vec<_> = points.iter().filter(|p| p.year == 2021).collect();
        assert_eq!(year_2021.len(), 1);
        let old = Instruments::shipped().unwrap().lookup("old");
        assert_eq!((year_2021[0].value, Some(year_2021[0].native)), (68.0, old));
    }

    /// The linked scale built a (municipality, year) at a time is the one
    /// the general way gives (all candidates sorted, duplicates dropped),
    /// on generated data with old/new and new/2020 dual-scored years.
    #[test]
    fn the_walk_gives_the_general_way_s_points() {
        let dir = tempfile::tempdir().unwrap();
        let instruments = Instruments::shipped().unwrap();
        let opts = SynthOptions {
            evaluations: 1500,
            seed: 7,
            out: dir.path().to_path_buf(),
            layout: crate::ingest::header::Layout::Long,
            dialect: Default::default(),
            countries: vec!["SE".into(), "NO".into(), "DK".into()],
            faults: 0.0,
            files: 1,
            avoid: Vec::new(),
            register_path: None,
            progress: false,
        };
        synth::generate(&opts, &instruments, &Register::shipped().unwrap()).unwrap();
        let register = Register::load(&dir.path().join("meta/register.csv")).unwrap();
        let (data, l, eval_muni) = linked_of(dir.path(), &register);
        assert!(l.scores.len() > 1000, "{} linked scores", l.scores.len());
        let sources = sources(&data, &l, &eval_muni);
        let general: Vec<_> = sources.linked_points().iter().map(fields).collect();
        // The data have (municipality, year, item)s with a native target
        // score and a linked one, or two linked ones: some were dropped.
        let candidates = (data.scores.iter())
            .filter(|s| data.evals[s.eval as usize].key.scale == l.to)
            .count()
            + l.scores.len();
        assert!(
            general.len() < candidates,
            "{} of {candidates}",
            general.len()
        );
        let natives = general.iter().filter(|p| p.7 == NOT_LINKED).count();
        assert!(natives > 1000 && natives < general.len(), "{natives}");
        let mut points = Vec::new();
        assert!(sources.append_linked(&mut points));
        let got: Vec<_> = points.iter().map(fields).collect();
        assert_eq!(got.len(), general.len());
        assert!(got == general);
    }
}
