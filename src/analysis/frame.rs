//! The analysis table: every score of every evaluation on its native scale,
//! plus the `linked` scale (everything expressed on the link target: native
//! scores of the target scale, else linked scores), with each
//! municipality's register attributes. Averages, trends and benchmarks all
//! read this one table.

pub mod labels;
mod linked;
mod munis;

use crate::linking::Linking;
use crate::reference::instrument::{Instruments, ItemIx, ScaleIx};
use crate::reference::register::Register;
use crate::validate::{Score, Validated};
use rayon::prelude::*;

/// Label of the linked scale in the outputs. Instrument loading reserves it,
/// so no native scale can carry it; code tells the two apart by
/// [`ScaleKind`], never by label.
pub use crate::reference::instrument::LINKED;

pub use crate::reference::country::BANDS;

/// A municipality and what the register says about it.
#[derive(Debug, Clone)]
pub struct Muni {
    pub country: String,
    pub code: String,
    pub name: String,
    pub population: Option<f64>,
    /// "3 Större städer" (SKL 2011 groups), Swedish municipalities only.
    pub group_2011: Option<String>,
    /// "B3 Större stad" (SKL 2017 groups).
    pub group_2017: Option<String>,
    /// Index into [`BANDS`] (Swedish municipalities only).
    pub band: Option<usize>,
    /// Whether the register has the municipality (its code in its country).
    pub registered: bool,
}

/// One score in the analysis table. Kept to 24 bytes: the frame holds one
/// per score and linked score (tens of millions at scale); what only a
/// linked score has (its source score and SE) is in [`Frame::linked_ends`].
#[derive(Debug, Clone, Copy)]
pub struct Point {
    pub value: f64,
    /// Index into [`Frame::munis`].
    pub muni: u32,
    /// For a linked score, index into [`Frame::linked_ends`] (else
    /// [`NO_END`]).
    pub end: u32,
    pub year: u16,
    /// Item index within the scale's instrument (the target's for `linked`).
    pub item: ItemIx,
    /// Index into [`Frame::scales`].
    pub scale: u8,
    /// The scale the score was given on.
    pub native: ScaleIx,
    /// For a linked score: the link (index into `Linking::items`);
    /// [`NOT_LINKED`] for native ones.
    pub link: u16,
}

/// What a linked score was linked from: the source score and the linking
/// SE (NaN when the link has none).
#[derive(Debug, Clone, Copy)]
pub struct LinkedEnd {
    pub source: f32,
    pub se: f64,
}

/// [`Point::end`] of a native score.
pub const NO_END: u32 = u32::MAX;

impl Point {
    /// A placeholder, overwritten before use.
    const EMPTY: Point = Point {
        value: f64::NAN,
        muni: 0,
        end: NO_END,
        year: 0,
        item: 0,
        scale: 0,
        native: 0,
        link: NOT_LINKED,
    };
}

/// [`Point::link`] of a native score.
pub const NOT_LINKED: u16 = u16::MAX;

const _: () = assert!(std::mem::size_of::<Point>() == 24);

impl Point {
    /// Whether it is a linked score.
    pub fn is_linked(&self) -> bool {
        self.link != NOT_LINKED
    }
}

/// What an analysis scale holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScaleKind {
    /// The scores given on one instrument version.
    Native,
    /// Everything expressed on the link target: its native scores, else
    /// linked ones.
    Linked,
}

/// An analysis scale: a native one, or `linked`.
#[derive(Debug, Clone)]
pub struct FrameScale {
    /// The instrument id, or [`LINKED`].
    pub label: String,
    /// Instrument whose items it has (the target scale for `linked`).
    pub instrument: ScaleIx,
    pub kind: ScaleKind,
}

impl FrameScale {
    pub fn is_linked(&self) -> bool {
        self.kind == ScaleKind::Linked
    }
}

/// Small integer codes for the municipalities' countries and groups,
/// numbered in label order (so sorting by code sorts by label), so that
/// grouping and sorting compare numbers, not strings.
#[derive(Debug, Clone, Default)]
pub struct GroupCodes {
    /// The labels behind the codes.
    pub countries: Vec<String>,
    pub g2011: Vec<String>,
    pub g2017: Vec<String>,
    /// Per municipality (index into [`Frame::munis`]).
    pub country: Vec<u32>,
    pub group_2011: Vec<Option<u32>>,
    pub group_2017: Vec<Option<u32>>,
    /// Index into [`BANDS`] (Swedish municipalities only).
    pub band: Vec<Option<u32>>,
}

impl GroupCodes {
    fn new(munis: &[Muni]) -> GroupCodes {
        fn codes<'a>(
            labels: impl Iterator<Item = Option<&'a String>>,
        ) -> (Vec<String>, Vec<Option<u32>>) {
            let all: Vec<Option<&String>> = labels.collect();
            let distinct: std::collections::BTreeSet<&String> =
                all.iter().flatten().copied().collect();
            let mut sorted: Vec<&String> = distinct.into_iter().collect();
            sorted.sort_by(|a, b| labels::natural(a, b));
            let code = all
                .iter()
                .map(|l| {
                    l.map(|l| {
                        sorted
                            .binary_search_by(|s| labels::natural(s, l))
                            .unwrap_or(0) as u32
                    })
                })
                .collect();
            (sorted.into_iter().cloned().collect(), code)
        }
        let (countries, country) = codes(munis.iter().map(|m| Some(&m.country)));
        let (g2011, group_2011) = codes(munis.iter().map(|m| m.group_2011.as_ref()));
        let (g2017, group_2017) = codes(munis.iter().map(|m| m.group_2017.as_ref()));
        GroupCodes {
            countries,
            g2011,
            g2017,
            country: country.into_iter().map(|c| c.unwrap_or(0)).collect(),
            group_2011,
            group_2017,
            band: munis.iter().map(|m| m.band.map(|b| b as u32)).collect(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Frame {
    pub scales: Vec<FrameScale>,
    /// In (country, code) order, so that municipality indices sort as
    /// the outputs do.
    pub munis: Vec<Muni>,
    /// Integer codes of the municipalities' countries and groups.
    pub codes: GroupCodes,
    /// Sorted by scale, municipality, year, item.
    pub points: Vec<Point>,
    /// Per linked score of the linking (same index), what it was linked
    /// from.
    pub linked_ends: Vec<LinkedEnd>,
    /// Per frame scale, per item of the link target: the scale's own item
    /// that is (or is linked to) it, if any ([`Frame::counterpart`]).
    counterparts: Vec<Vec<Option<ItemIx>>>,
}

impl Frame {
    /// Linking SE of a linked score (`None` for native ones, and for linked
    /// ones whose link has no SE).
    pub fn se(&self, p: &Point) -> Option<f64> {
        let end = self.linked_ends.get(p.end as usize)?;
        (!end.se.is_nan()).then_some(end.se)
    }

    /// Whether the data hold municipalities of more than one country
    /// (then a national mean is named with its country's code).
    pub fn several_countries(&self) -> bool {
        self.codes.countries.len() > 1
    }

    /// The link and source score of a linked score.
    pub fn linked_from(&self, p: &Point) -> Option<(u16, f32)> {
        let end = self.linked_ends.get(p.end as usize)?;
        p.is_linked().then_some((p.link, end.source))
    }

    pub fn build(
        data: &Validated,
        linking: Option<&Linking>,
        instruments: &Instruments,
        register: &Register,
    ) -> Frame {
        let (munis, eval_muni) = munis::municipalities(data, register);
        // Scales in instrument order, then `linked`.
        let mut present: Vec<ScaleIx> = data.evals.iter().map(|e| e.key.scale).collect();
        present.sort_unstable();
        present.dedup();
        let mut scales: Vec<FrameScale> = present
            .iter()
            .map(|&s| FrameScale {
                label: instruments.get(s).id.clone(),
                instrument: s,
                kind: ScaleKind::Native,
            })
            .collect();
        let native = |s: &Score| {
            let native = data.evals[s.eval as usize].key.scale;
            let scale = present.binary_search(&native).unwrap_or(0);
            native_point(data, &eval_muni, scale as u8, s)
        };
        // The native points placed by scale (a counting sort: the canonical
        // scores come in (municipality, year, item) order within a scale),
        // then the linked scale's, which is last, built in place. The
        // capacity is an upper bound, so the table is never copied to grow;
        // the unused rest is given back at the end.
        let natives = data.scores.len();
        let room = linking.map_or(0, |l| linked_room(data, l));
        let mut points = by_scale(&data.scores, scales.len(), room, native);
        if let Some(l) = linking {
            // The instrument files are at most 255 versions (refused
            // beyond, where they are read), so 255 fits the linked scale.
            debug_assert!(scales.len() < 256);
            let linked = scales.len() as u8;
            scales.push(FrameScale {
                label: LINKED.into(),
                instrument: l.to,
                kind: ScaleKind::Linked,
            });
            let sources = linked::Sources {
                data,
                l,
                eval_muni: &eval_muni,
                linked,
            };
            if !sources.append_linked(&mut points) {
                // The linked scores were not in evaluation order: the
                // general (slower, larger) way.
                points.truncate(natives);
                points.extend(sources.linked_points());
            }
        }
        points.shrink_to_fit();
        let key = |p: &Point| (p.scale, p.muni, p.year, p.item);
        if !points.is_sorted_by_key(key) {
            // In place: the keys are unique (one score per evaluation and
            // item, one linked point per municipality, year and item).
            points.sort_unstable_by_key(key);
        }
        let linked_ends = (linking.iter())
            .flat_map(|l| &l.scores)
            .map(|s| LinkedEnd {
                source: s.score as f32,
                se: s.se.unwrap_or(f64::NAN),
            })
            .collect();
        let counterparts = counterparts(&scales, linking, instruments);
        Frame {
            scales,
            codes: GroupCodes::new(&munis),
            munis,
            points,
            linked_ends,
            counterparts,
        }
    }

    /// The item of frame scale `scale` that is item `target` of the link
    /// target: the same item on the target scale (and on `linked`), the
    /// item linked to it on a scale linked from; `None` on a scale not
    /// linked, or without such an item.
    pub fn counterpart(&self, scale: u8, target: ItemIx) -> Option<ItemIx> {
        *self
            .counterparts
            .get(usize::from(scale))?
            .get(usize::from(target))?
    }

    /// The indices in [`Frame::points`] of each municipality's latest
    /// evaluation per frame scale (all its items; see [`latest_per_muni`]),
    /// in frame order.
    pub fn latest_indices(&self) -> Vec<u32> {
        let mut out = Vec::new();
        let mut start = 0;
        for scale in (self.points).chunk_by(|a, b| a.scale == b.scale) {
            let at = |i: usize| (start + i) as u32;
            out.extend(latest_runs(scale).flat_map(|r| at(r.start)..at(r.end)));
            start += scale.len();
        }
        out
    }

    /// The index of the linked scale, if there is one.
    pub fn linked_scale(&self) -> Option<usize> {
        self.scales.iter().position(FrameScale::is_linked)
    }

    /// The id of item `item` of frame scale `scale` (`1.4`, `total`), as
    /// its instrument file names it.
    pub fn item_id<'i>(&self, instruments: &'i Instruments, scale: usize, item: ItemIx) -> &'i str {
        &instruments.get(self.scales[scale].instrument).get(item).id
    }

    /// The indices of the native scales, in order.
    pub fn native_scales(&self) -> Vec<usize> {
        (0..self.scales.len())
            .filter(|&s| !self.scales[s].is_linked())
            .collect()
    }

    /// Points of one scale (a contiguous run).
    pub fn scale_points(&self, scale: usize) -> &[Point] {
        let lo = self
            .points
            .partition_point(|p| usize::from(p.scale) < scale);
        let hi = self
            .points
            .partition_point(|p| usize::from(p.scale) <= scale);
        &self.points[lo..hi]
    }
}

/// Canonical score `s` as a point of frame scale `scale`.
fn native_point(data: &Validated, eval_muni: &[usize], scale: u8, s: &Score) -> Point {
    let info = &data.evals[s.eval as usize];
    Point {
        scale,
        muni: eval_muni[s.eval as usize] as u32,
        year: info.key.year,
        item: s.item,
        value: s.value,
        end: NO_END,
        native: info.key.scale,
        link: NOT_LINKED,
    }
}

/// The points of each municipality's latest evaluation among `points`,
/// which are sorted by municipality and year (as one scale's points are):
/// all items of that evaluation, and only those (an earlier evaluation does
/// not fill in an item the latest one lacks).
pub fn latest_per_muni(points: &[Point]) -> impl Iterator<Item = &Point> {
    latest_runs(points).flat_map(|r| &points[r])
}

/// Where in `points` (sorted by municipality and year) each
/// municipality's latest evaluation stands: [`latest_per_muni`] and
/// [`Frame::latest_indices`] both take it from here.
fn latest_runs(points: &[Point]) -> impl Iterator<Item = std::ops::Range<usize>> {
    let mut start = 0;
    points.chunk_by(|a, b| a.muni == b.muni).map(move |m| {
        let last = m[m.len() - 1].year;
        let run = start + m.partition_point(|p| p.year < last)..start + m.len();
        start += m.len();
        run
    })
}

/// [`Frame::counterpart`]'s table: per frame scale, per target item.
fn counterparts(
    scales: &[FrameScale],
    linking: Option<&Linking>,
    instruments: &Instruments,
) -> Vec<Vec<Option<ItemIx>>> {
    let Some(l) = linking else {
        return vec![Vec::new(); scales.len()];
    };
    let items = instruments.get(l.to).items.len();
    scales
        .iter()
        .map(|scale| {
            let mut of = vec![None; items];
            if scale.instrument == l.to {
                for (j, slot) in of.iter_mut().enumerate() {
                    *slot = ItemIx::try_from(j).ok();
                }
            }
            for link in l.items.iter().filter(|k| k.from == scale.instrument) {
                if let Some(slot) = of.get_mut(usize::from(link.to_item)) {
                    *slot = Some(link.from_item);
                }
            }
            of
        })
        .collect()
}

/// An upper bound of the linked scale's points: the target scale's own
/// scores and the linked ones.
fn linked_room(data: &Validated, l: &Linking) -> usize {
    let target = (data.scores.iter()).filter(|s| data.evals[s.eval as usize].key.scale == l.to);
    target.count() + l.scores.len()
}

/// The points of `scores` (`native` gives each one's) placed by their
/// scale, of `scales`, by a counting sort, in a table with `room` for more
/// points after them (the table is never copied to grow).
fn by_scale(
    scores: &[Score],
    scales: usize,
    room: usize,
    native: impl Fn(&Score) -> Point,
) -> Vec<Point> {
    let mut starts = vec![0usize; scales + 1];
    for s in scores {
        starts[native(s).scale as usize + 1] += 1;
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    let mut points: Vec<Point> = Vec::with_capacity(scores.len() + room);
    // The whole table, the room too, first written on all cores: where the
    // system is slow to hand out fresh memory (this VM's host, on some
    // days: 5-8 s per GB on one core), its first touch was most of the
    // stage, on one core (at 1,000,000 evaluations 1.2 GB, the linked
    // scale's walk 7.2 of the frame's 13 s; see the README's
    // "Performance"). The room written and not used is given back with
    // the rest of it at the end.
    points.par_extend(rayon::iter::repeat_n(Point::EMPTY, scores.len() + room));
    points.truncate(scores.len());
    for s in scores {
        let p = native(s);
        let at = &mut starts[p.scale as usize];
        points[*at] = p;
        *at += 1;
    }
    points
}
