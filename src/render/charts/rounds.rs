//! Bar charts: a municipality's areas round by round (grouped bars, with
//! error bars, the 95 % linking interval, on the linked scale), and the mean percent
//! per sub-question, grouped by area.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::names::{self, area_key};
use super::{
    BLUE, Chart, DrawResult, Head, Hue, bar_key, category_axes, error_bar, font, frame_text,
    frame_text_in, hue_box, hue_swatch,
};

/// One round: its legend text and, per area, the score and its linking
/// error.
pub struct Round {
    pub label: String,
    /// Per area: the score and its linking error.
    pub values: Vec<Option<(f64, LinkError)>>,
}

/// The linking error of a bar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LinkError {
    /// A native score: none.
    Native,
    /// A linked score: the half-width of its 95 % linking interval.
    HalfWidth(f64),
    /// A linked score whose link has no SE (`link-unestimated`): marked
    /// `?`, never drawn as if it had no error.
    Unknown,
}

impl LinkError {
    /// The half-width of the error bar to draw, if any.
    fn bar(self) -> Option<f64> {
        match self {
            LinkError::HalfWidth(h) if h > 0.0 => Some(h),
            _ => None,
        }
    }
}

pub struct Rounds {
    /// Its id, title, caption and labels.
    pub head: Head,
    /// The title as drawn, a long name cut ([`crate::render::text::chart_name`]).
    pub heading: String,
    /// Area ids, "1".."8".
    pub areas: Vec<String>,
    /// The areas with their names, as the key under the axis gives them.
    pub names: Vec<String>,
    pub rounds: Vec<Round>,
    pub y_max: f64,
}

impl Chart for Rounds {
    fn head(&self) -> &Head {
        &self.head
    }

    fn describe(&self) -> String {
        let w = &self.head.labels;
        let rounds: Vec<String> = (self.rounds.iter())
            .map(|r| {
                let v: Vec<String> = (self.areas.iter().zip(&r.values))
                    .map(|(a, v)| match v {
                        Some((v, LinkError::Unknown)) => format!(
                            "{a}: {} ({})",
                            w.num(*v),
                            w.pick("länkningsfelet okänt", "linking error unknown")
                        ),
                        // As the pages write it: 70,05, not 70,1.
                        Some((v, LinkError::Native)) => format!("{a}: {}", w.score(*v)),
                        Some((v, err)) => match err.bar() {
                            Some(half) => {
                                format!("{a}: {} ± {}", w.num(*v), w.spread(half))
                            }
                            None => format!("{a}: {}", w.num(*v)),
                        },
                        None => format!("{a}: –"),
                    })
                    .collect();
                // "; " between: "1: 70,5, 2: 50" reads as three numbers.
                format!("{} ({})", r.label, v.join("; "))
            })
            .collect();
        self.head.description(
            w.pick(
                "Stapeldiagram, poäng per område och omgång:",
                "Bar chart, points per area and round:",
            ),
            &rounds,
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        // The caption left of the keys drawn at the bottom right (it ran
        // under them).
        let width = root.dim_in_pixel().0;
        let room = match self.which_keys().contains(&true) {
            false => width.saturating_sub(40),
            true => width.saturating_sub(KEYS_FROM_RIGHT + 20 + 10),
        };
        frame_text_in(root, &self.heading, (&self.head.caption, room))?;
        // The rounds' keys in rows of KEYS_PER_ROW under the title, the
        // plot below them (a sixth key was drawn beyond the image's edge).
        let key_rows = self.rounds.len().div_ceil(KEYS_PER_ROW).max(1) as i32;
        // Room at the bottom for the keys there beyond the first (three
        // stood on the area names, in a browser's SVG font the first key
        // 2 px under them).
        let bottom_keys = self.which_keys().into_iter().filter(|&k| k).count() as i32;
        let bottom = 40 + BOTTOM_KEY_ROW * (bottom_keys - 1).max(0);
        let area = root.margin(
            72 + KEY_ROW * (key_rows - 1),
            bottom + names::HEIGHT,
            10,
            10,
        );
        let n = self.areas.len() as f64;
        let mut chart = category_axes(&area, n, self.y_max, self.head.labels.points())?;
        let k = self.rounds.len().max(1) as f64;
        let w = 0.8 / k;
        for (r, round) in self.rounds.iter().enumerate() {
            let hue = Hue::nth(r);
            for (a, v) in round.values.iter().enumerate() {
                let x0 = a as f64 + 0.1 + r as f64 * w;
                let xm = x0 + w * 0.46;
                let Some((value, err)) = v else {
                    // Not in this evaluation: marked, so that the gap is
                    // not read as a score of 0.
                    let (x, y) = chart.backend_coord(&(xm, 0.0));
                    missing_mark(root, (x, y - 15), hue.edge)?;
                    continue;
                };
                let top_left = chart.backend_coord(&(x0, *value));
                let foot_right = chart.backend_coord(&(x0 + w * 0.92, 0.0));
                hue_box(root, [top_left, foot_right], hue)?;
                if *err == LinkError::Unknown {
                    let (x, y) = chart.backend_coord(&(xm, *value));
                    let style = font(16.0).pos(Pos::new(HPos::Center, VPos::Bottom));
                    root.draw(&Text::new("?", (x, y - 3), style))?;
                }
                if let Some(half) = err.bar() {
                    let (interval, bounds) = ((value - half, value + half), (0.0, self.y_max));
                    error_bar(
                        &mut chart,
                        xm,
                        interval,
                        bounds,
                        w * 0.2,
                        BLACK.stroke_width(1),
                    )?;
                }
            }
        }
        for (a, id) in self.areas.iter().enumerate() {
            let style = font(16.0).pos(Pos::new(HPos::Center, VPos::Top));
            let (x, y) = chart.backend_coord(&(a as f64 + 0.5, 0.0));
            root.draw(&Text::new(
                format!("{} {id}", self.head.labels.area()),
                (x, y + 6),
                style,
            ))?;
        }
        // Close under the area labels (no `n =` line under them here).
        let top = root.dim_in_pixel().1 as i32 - bottom - names::HEIGHT - 14;
        area_key(root, (70, top), width.saturating_sub(80), &self.names)?;
        for (r, round) in self.rounds.iter().enumerate() {
            let (row, column) = ((r / KEYS_PER_ROW) as i32, (r % KEYS_PER_ROW) as i32);
            let at = (80 + column * 160, 50 + row * KEY_ROW);
            hue_swatch(root, at, Hue::nth(r), &round.label)?;
        }
        self.keys(root)
    }
}

/// Rounds' keys in a row: five of 160 pixels from x = 80 fill the
/// 900-pixel chart ("2002 (länkad)" is about 130).
const KEYS_PER_ROW: usize = 5;

/// Pixels from one row of keys to the next.
const KEY_ROW: i32 = 22;

/// Pixels from one key at the bottom right to the next.
const BOTTOM_KEY_ROW: i32 = 24;

/// Where the keys at the bottom right start, in pixels from the right.
const KEYS_FROM_RIGHT: u32 = 380;

impl Rounds {
    /// Which keys are drawn at the bottom right: error bars, `?` marks,
    /// dashes of areas without a score.
    fn which_keys(&self) -> [bool; 3] {
        let errs = || self.rounds.iter().flat_map(|r| &r.values).flatten();
        [
            errs().any(|(_, e)| e.bar().is_some()),
            errs().any(|(_, e)| *e == LinkError::Unknown),
            (self.rounds.iter()).any(|r| r.values.iter().any(Option::is_none)),
        ]
    }

    /// What the error bars, the `?` marks and the dashes of areas without
    /// a score are, for those drawn: bottom right, beside the caption
    /// (the rounds' keys may fill the top line).
    fn keys<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let which = self.which_keys();
        let [bars, unknown, missing] = which;
        let (w, h) = root.dim_in_pixel();
        let x = (w - KEYS_FROM_RIGHT) as i32;
        let lines = which.into_iter().filter(|&k| k).count() as i32;
        let mut y = h as i32 - 30 - BOTTOM_KEY_ROW * (lines - 1).max(0);
        if bars {
            let text = self.head.labels.pick(
                "95 %-intervall för länkningsfelet",
                "95 % interval of the linking error",
            );
            bar_key(root, (x, y), 16, BLACK.stroke_width(1), text)?;
            y += BOTTOM_KEY_ROW;
        }
        if unknown {
            let style = font(16.0).pos(Pos::new(HPos::Center, VPos::Top));
            root.draw(&Text::new("?", (x + 8, y), style))?;
            root.draw(&Text::new(
                self.head.labels.pick(
                    "länkat, länkningsfelet okänt",
                    "linked, linking error unknown",
                ),
                (x + 22, y + 1),
                font(15.0),
            ))?;
            y += BOTTOM_KEY_ROW;
        }
        if missing {
            missing_mark(root, (x + 8, y + 8), BLACK)?;
            // Not in the evaluation, or on the linked scale not linked.
            let text = self
                .head
                .labels
                .pick("ingen poäng för området", "no score for the area");
            root.draw(&Text::new(text, (x + 22, y + 1), font(15.0)))?;
        }
        Ok(())
    }
}

/// The mark of an area without a score in a round, centred on `(x, y)`:
/// a dash of 10 × 3 whole pixels in `color` (as text, "–", it was under
/// two pixels thick and lightened at its edges, the round's purple 2.9:1
/// on white at best).
fn missing_mark<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    color: RGBColor,
) -> DrawResult<DB> {
    root.draw(&Rectangle::new(
        [(x - 5, y - 1), (x + 5, y + 2)],
        color.filled(),
    ))
}

/// Mean percent of max per sub-question.
pub struct Questions {
    /// Its id, title, caption and labels.
    pub head: Head,
    /// (question id, area index, mean percent, n).
    pub bars: Vec<(String, usize, f64, u64)>,
    /// The areas with bars, with their names, as the key under the axis
    /// gives them.
    pub names: Vec<String>,
}

impl Chart for Questions {
    fn head(&self) -> &Head {
        &self.head
    }

    fn describe(&self) -> String {
        let w = &self.head.labels;
        let bars: Vec<String> = (self.bars.iter())
            .map(|(id, _, pct, n)| format!("{id}: {} % (n = {n})", w.fixed(*pct, 0)))
            .collect();
        self.head
            .description(w.pick("Stapeldiagram:", "Bar chart:"), &bars)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        frame_text(root, &self.head.title, &self.head.caption)?;
        let area = root.margin(50, 40 + names::HEIGHT, 10, 10);
        // A gap of one bar between areas.
        let groups = self.bars.iter().map(|b| b.1).max().map_or(0, |m| m + 1);
        let slots = self.bars.len() + groups.saturating_sub(1);
        let mut chart = category_axes(
            &area,
            slots.max(1) as f64,
            100.0,
            self.head.labels.percent_of_max(),
        )?;
        let mut slot = 0usize;
        // Each area's first and last slot, and its id.
        let mut spans: Vec<(usize, usize, &str)> = Vec::new();
        for (id, _, pct, _) in &self.bars {
            let area_id = id.split('.').next().unwrap_or(id);
            match spans.last_mut() {
                Some(last) if last.2 == area_id => last.1 = slot,
                Some(_) => {
                    slot += 1;
                    spans.push((slot, slot, area_id));
                }
                None => spans.push((slot, slot, area_id)),
            }
            let x = slot as f64;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x + 0.1, 0.0), (x + 0.9, *pct)],
                BLUE.filled(),
            )))?;
            let (px, py) = chart.backend_coord(&(x + 0.5, 0.0));
            let style = font(13.0)
                .transform(FontTransform::Rotate270)
                .pos(Pos::new(HPos::Right, VPos::Center));
            root.draw(&Text::new(id.clone(), (px, py + 6), style))?;
            slot += 1;
        }
        for (first, last, id) in spans {
            let mid = (first + last + 1) as f64 / 2.0;
            let (px, py) = chart.backend_coord(&(mid, 0.0));
            root.draw(&Text::new(
                format!("{} {id}", self.head.labels.area()),
                (px, py + 36),
                font(15.0).pos(Pos::new(HPos::Center, VPos::Top)),
            ))?;
        }
        let (w, h) = root.dim_in_pixel();
        // Under the area labels, which stand lower than the other charts'.
        let top = h as i32 - 40 - names::HEIGHT + 14;
        area_key(root, (70, top), w.saturating_sub(80), &self.names)
    }
}
