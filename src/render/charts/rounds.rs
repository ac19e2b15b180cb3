//! Bar charts: a municipality's areas round by round (grouped bars, with
//! error bars, the 95 % linking interval, on the linked scale), and the mean percent
//! per sub-question, grouped by area.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ChartId;
use super::{
    BLUE, Chart, DrawResult, Labels, PALETTE, category_axes, description, font, frame_text,
};

/// One round: its legend text and, per area, the score and its linking
/// interval.
pub struct Round {
    pub label: String,
    /// Per area: the score and, for a linked one, the half-width of its
    /// 95 % linking interval.
    pub values: Vec<Option<(f64, Option<f64>)>>,
}

pub struct Rounds {
    pub id: ChartId,
    pub title: String,
    pub caption: String,
    /// Area ids, "1".."8".
    pub areas: Vec<String>,
    pub rounds: Vec<Round>,
    pub y_max: f64,
    pub labels: Labels,
}

impl Chart for Rounds {
    fn id(&self) -> &ChartId {
        &self.id
    }

    fn title(&self) -> &str {
        &self.title
    }

    fn describe(&self) -> String {
        let w = &self.labels;
        let rounds: Vec<String> = (self.rounds.iter())
            .map(|r| {
                let v: Vec<String> = (self.areas.iter().zip(&r.values))
                    .map(|(a, v)| match v {
                        Some((v, Some(half))) if *half > 0.0 => {
                            format!("{a}: {v:.0} ± {half:.1}")
                        }
                        Some((v, _)) => format!("{a}: {v:.0}"),
                        None => format!("{a}: –"),
                    })
                    .collect();
                format!("{} ({})", r.label, v.join(", "))
            })
            .collect();
        description(
            w.pick(
                "Stapeldiagram, poäng per område och omgång:",
                "Bar chart, points per area and round:",
            ),
            &self.title,
            &rounds,
            &self.caption,
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        frame_text(root, &self.title, &self.caption)?;
        let area = root.margin(72, 40, 10, 10);
        let n = self.areas.len() as f64;
        let mut chart = category_axes(&area, n, self.y_max, self.labels.points())?;
        let k = self.rounds.len().max(1) as f64;
        let w = 0.8 / k;
        for (r, round) in self.rounds.iter().enumerate() {
            let color = PALETTE[r % PALETTE.len()];
            for (a, v) in round.values.iter().enumerate() {
                let Some((value, half)) = v else { continue };
                let x0 = a as f64 + 0.1 + r as f64 * w;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x0, 0.0), (x0 + w * 0.92, *value)],
                    color.filled(),
                )))?;
                if let Some(half) = half.filter(|h| *h > 0.0) {
                    let xm = x0 + w * 0.46;
                    let (lo, hi) = ((value - half).max(0.0), (value + half).min(self.y_max));
                    let style = BLACK.stroke_width(1);
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(xm, lo), (xm, hi)],
                        style,
                    )))?;
                    for y in [lo, hi] {
                        chart.draw_series(std::iter::once(PathElement::new(
                            vec![(xm - w * 0.2, y), (xm + w * 0.2, y)],
                            style,
                        )))?;
                    }
                }
            }
        }
        for (a, id) in self.areas.iter().enumerate() {
            let style = font(16.0).pos(Pos::new(HPos::Center, VPos::Top));
            let (x, y) = chart.backend_coord(&(a as f64 + 0.5, 0.0));
            root.draw(&Text::new(
                format!("{} {id}", self.labels.area()),
                (x, y + 6),
                style,
            ))?;
        }
        for (r, round) in self.rounds.iter().enumerate() {
            let x = 80 + r as i32 * 160;
            let y = 50;
            root.draw(&Rectangle::new(
                [(x, y), (x + 16, y + 12)],
                PALETTE[r % PALETTE.len()].filled(),
            ))?;
            root.draw(&Text::new(round.label.clone(), (x + 22, y - 1), font(15.0)))?;
        }
        let bars = self.rounds.iter().flat_map(|r| &r.values);
        if bars.flatten().any(|(_, se)| se.is_some_and(|s| s > 0.0)) {
            // What the error bars are: bottom right, beside the caption
            // (the rounds' keys may fill the top line).
            let (w, h) = root.dim_in_pixel();
            let (x, y) = (w as i32 - 380, h as i32 - 30);
            root.draw(&PathElement::new(vec![(x + 8, y), (x + 8, y + 16)], BLACK))?;
            for y in [y, y + 16] {
                root.draw(&PathElement::new(vec![(x + 4, y), (x + 12, y)], BLACK))?;
            }
            root.draw(&Text::new(
                self.labels.pick(
                    "95 %-intervall för länkningsfelet",
                    "95 % interval of the linking error",
                ),
                (x + 22, y + 1),
                font(15.0),
            ))?;
        }
        Ok(())
    }
}

/// Mean percent of max per sub-question.
pub struct Questions {
    pub id: ChartId,
    pub title: String,
    pub caption: String,
    /// (question id, area index, mean percent, n).
    pub bars: Vec<(String, usize, f64, u64)>,
    pub labels: Labels,
}

impl Chart for Questions {
    fn id(&self) -> &ChartId {
        &self.id
    }

    fn title(&self) -> &str {
        &self.title
    }

    fn describe(&self) -> String {
        let w = &self.labels;
        let bars: Vec<String> = (self.bars.iter())
            .map(|(id, _, pct, n)| format!("{id}: {pct:.0} % (n = {n})"))
            .collect();
        description(
            w.pick("Stapeldiagram:", "Bar chart:"),
            &self.title,
            &bars,
            &self.caption,
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        frame_text(root, &self.title, &self.caption)?;
        let area = root.margin(50, 40, 10, 10);
        // A gap of one bar between areas.
        let groups = self.bars.iter().map(|b| b.1).max().map_or(0, |m| m + 1);
        let slots = self.bars.len() + groups.saturating_sub(1);
        let mut chart = category_axes(
            &area,
            slots.max(1) as f64,
            100.0,
            self.labels.percent_of_max(),
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
                format!("{} {id}", self.labels.area()),
                (px, py + 36),
                font(15.0).pos(Pos::new(HPos::Center, VPos::Top)),
            ))?;
        }
        Ok(())
    }
}
