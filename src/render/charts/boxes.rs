//! The distribution chart: per area, a box plot across municipalities
//! (minimum, quartiles, median, maximum) with the national mean marked.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::names::{self, area_key};
use super::{AVERAGE, BLUE, Chart, DrawResult, Head, category_axes, font, frame_text};

/// Per area: label and (min, p25, median, p75, max, mean, n).
pub struct Distribution {
    /// Its id, title, caption and labels.
    pub head: Head,
    pub areas: Vec<(String, [f64; 6], u64)>,
    /// The areas with their names, as the key under the axis gives them.
    pub names: Vec<String>,
}

impl Chart for Distribution {
    fn head(&self) -> &Head {
        &self.head
    }

    fn describe(&self) -> String {
        let w = &self.head.labels;
        let areas: Vec<String> = (self.areas.iter())
            .map(|(a, [_, p25, med, p75, _, mean], n)| {
                format!(
                    "{} {a}: {} {}, {} {} – {}, {} {} (n = {n})",
                    w.area(),
                    w.pick("median", "median"),
                    w.fixed(*med, 0),
                    w.pick("kvartiler", "quartiles"),
                    w.fixed(*p25, 0),
                    w.fixed(*p75, 0),
                    w.pick("medel", "mean"),
                    w.num(*mean)
                )
            })
            .collect();
        self.head.description(
            w.pick("Lådagram, poäng per område:", "Box plot, points per area:"),
            &areas,
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        frame_text(root, &self.head.title, &self.head.caption)?;
        let area = root.margin(72, 40 + names::HEIGHT, 10, 10);
        let n = self.areas.len().max(1) as f64;
        let mut chart = category_axes(&area, n, 100.0, self.head.labels.points())?;
        for (i, (label, [min, p25, med, p75, max, mean], count)) in self.areas.iter().enumerate() {
            let x = i as f64;
            let line = BLUE.stroke_width(2);
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x + 0.5, *min), (x + 0.5, *p25)],
                line,
            )))?;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x + 0.5, *p75), (x + 0.5, *max)],
                line,
            )))?;
            for y in [min, max] {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x + 0.4, *y), (x + 0.6, *y)],
                    line,
                )))?;
            }
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x + 0.25, *p25), (x + 0.75, *p75)],
                BLUE.mix(0.25).filled(),
            )))?;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x + 0.25, *p25), (x + 0.75, *p75)],
                line,
            )))?;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x + 0.25, *med), (x + 0.75, *med)],
                BLACK.stroke_width(3),
            )))?;
            let (mx, my) = chart.backend_coord(&(x + 0.5, *mean));
            // On a white halo: the median's black line runs under it.
            root.draw(&Cross::new((mx, my), 8, WHITE.stroke_width(7)))?;
            root.draw(&Cross::new((mx, my), 7, AVERAGE.stroke_width(3)))?;
            let (px, py) = chart.backend_coord(&(x + 0.5, 0.0));
            root.draw(&Text::new(
                format!("{} {label}", self.head.labels.area()),
                (px, py + 6),
                font(16.0).pos(Pos::new(HPos::Center, VPos::Top)),
            ))?;
            root.draw(&Text::new(
                format!("n = {count}"),
                (px, py + 24),
                font(14.0).pos(Pos::new(HPos::Center, VPos::Top)),
            ))?;
        }
        let (w, h) = root.dim_in_pixel();
        let top = h as i32 - 40 - names::HEIGHT + 6;
        area_key(root, (70, top), w.saturating_sub(80), &self.names)?;
        // Each key as it is drawn (`true`: a box; else the mean's cross,
        // which was a square too).
        let keys = [
            (
                (self.head.labels).pick("Median, kvartiler, min-max", "Median, quartiles, min-max"),
                true,
            ),
            (self.head.labels.national_average(), false),
        ];
        for (i, (text, a_box)) in keys.into_iter().enumerate() {
            let x = 80 + i as i32 * 260;
            match a_box {
                true => root.draw(&Rectangle::new([(x, 50), (x + 16, 62)], BLUE.filled()))?,
                false => root.draw(&Cross::new((x + 8, 56), 6, AVERAGE.stroke_width(3)))?,
            }
            root.draw(&Text::new(text.to_string(), (x + 22, 49), font(15.0)))?;
        }
        Ok(())
    }
}
