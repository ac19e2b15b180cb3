//! The linking scatter plots, one panel per linked item: the dual-scored
//! pairs, the fitted link with its 95 % interval as a band (dashed where
//! it extrapolates, beyond the pairs' scores) and the identity line.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::cut;
use super::{
    Chart, DrawResult, GREY, Head, LIGHT, Labels, PALETTE, VERMILLION, font, frame_text, swatch,
    whole_ticks,
};

/// One linked item: pairs, the linked value at each score point, maxima.
pub struct LinkPanel {
    /// The item linked from (`2 Samhällsutveckling`).
    pub label: String,
    /// The item it is linked to, which may have another number (2020's
    /// area 2 is linked to the 2010 scale's area 8).
    pub target: String,
    pub pairs: Vec<(f64, f64)>,
    pub curve: Vec<(f64, f64)>,
    /// The link's 95 % interval (low, high) at each point of `curve`, none
    /// where its error is not estimated.
    pub band: Vec<Option<(f64, f64)>>,
    pub max_from: f64,
    pub max_to: f64,
}

impl LinkPanel {
    /// The lowest and highest score linked from among the pairs: the link
    /// extrapolates outside them.
    fn range(&self) -> Option<(f64, f64)> {
        let xs = self.pairs.iter().map(|p| p.0);
        let lo = xs.clone().reduce(f64::min)?;
        Some((lo, xs.reduce(f64::max)?))
    }

    /// The band's points with their score linked from: (x, low, high).
    fn banded_points(&self) -> impl Iterator<Item = Option<(f64, f64, f64)>> + '_ {
        (self.curve.iter().zip(&self.band)).map(|(&(x, _), b)| b.map(|(lo, hi)| (x, lo, hi)))
    }

    /// The band's runs of points that have an interval, each as a closed
    /// outline: along the high ends, then back along the low ends.
    fn band_outlines(&self) -> Vec<Vec<(f64, f64)>> {
        let points: Vec<Option<(f64, f64, f64)>> = self.banded_points().collect();
        (points.split(Option::is_none))
            .filter(|run| run.len() >= 2)
            .map(|run| {
                let run: Vec<(f64, f64, f64)> = run.iter().flatten().copied().collect();
                let high = run.iter().map(|&(x, _, hi)| (x, hi));
                high.chain(run.iter().rev().map(|&(x, lo, _)| (x, lo)))
                    .collect()
            })
            .collect()
    }

    /// Whether the band has two points in a row to draw.
    fn has_band(&self) -> bool {
        self.band
            .windows(2)
            .any(|w| w[0].is_some() && w[1].is_some())
    }

    /// The interval at the point of the band nearest score `x` among those
    /// over the pairs' scores (`range`) that have one (an equipercentile
    /// link has none at the pairs' extremes; a score off the scale's
    /// resolution lies between two points), as the chart's text gives it
    /// (`44,5: 23,7–31,2`, to one decimal at most).
    fn interval_at(&self, x: f64, (lo, hi): (f64, f64), w: &Labels) -> Option<String> {
        let (at, low, high) = (self.banded_points().flatten())
            .filter(|b| b.0 >= lo - 0.5 && b.0 <= hi + 0.5)
            .min_by(|a, b| (a.0 - x).abs().total_cmp(&(b.0 - x).abs()))?;
        Some(format!("{}: {} – {}", w.score(at), w.num(low), w.num(high)))
    }
}

pub struct LinkingChart {
    /// Its id, title, caption and labels.
    pub head: Head,
    pub panels: Vec<LinkPanel>,
    pub axis: (String, String),
}

impl Chart for LinkingChart {
    fn head(&self) -> &Head {
        &self.head
    }

    fn describe(&self) -> String {
        let w = &self.head.labels;
        let panels: Vec<String> = (self.panels.iter())
            .map(|p| {
                let n = p.pairs.len();
                let ends = (p.range().into_iter())
                    .flat_map(|r| [p.interval_at(r.0, r, w), p.interval_at(r.1, r, w)])
                    .collect::<Option<Vec<String>>>()
                    .map_or(String::new(), |at| {
                        format!(
                            ", {} {}",
                            w.pick(
                                "95 %-intervall för länkningen vid",
                                "95 % interval of the link at"
                            ),
                            at.join(w.pick(" och vid ", " and at "))
                        )
                    });
                format!("{} → {} ({}){ends}", p.label, p.target, w.pairs(n))
            })
            .collect();
        let what = match self.banded() {
            true => w.pick(
                "Spridningsdiagram per område: dubbelbedömda utvärderingar, länkningen med sitt 95 %-intervall (streckad utanför parens poäng) och identitetslinjen:",
                "Scatter plots per area: dual-scored evaluations, the link with its 95 % interval (dashed beyond the pairs' scores) and the identity line:",
            ),
            false => w.pick(
                "Spridningsdiagram per område: dubbelbedömda utvärderingar, länkningen (streckad utanför parens poäng; dess fel är inte skattat) och identitetslinjen:",
                "Scatter plots per area: dual-scored evaluations, the link (dashed beyond the pairs' scores; its error is not estimated) and the identity line:",
            ),
        };
        self.head.description(what, &panels)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        frame_text(root, &self.head.title, &self.head.caption)?;
        let inner = root.margin(70, 40, 10, 10);
        let cells = inner.split_evenly((3, 3));
        for (panel, cell) in self.panels.iter().zip(cells.iter()) {
            // Two lines over the panel: the item, and the item it is
            // linked to; each cut with "…" to the panel's width.
            let (w, _) = cell.dim_in_pixel();
            let style = font(14.0).pos(Pos::new(HPos::Center, VPos::Top));
            let room = w.saturating_sub(16);
            let lines = [
                cut(cell, panel.label.clone(), &style, room)?,
                cut(cell, format!("→ {}", panel.target), &style, room)?,
            ];
            for (k, line) in lines.into_iter().enumerate() {
                cell.draw(&Text::new(
                    line,
                    (w as i32 / 2, 4 + 17 * k as i32),
                    style.clone(),
                ))?;
            }
            let mut chart = ChartBuilder::on(cell)
                .margin(10)
                .margin_top(42)
                .x_label_area_size(34)
                .y_label_area_size(44)
                .build_cartesian_2d(0.0..panel.max_from, 0.0..panel.max_to)?;
            chart
                .configure_mesh()
                .max_light_lines(0)
                .bold_line_style(LIGHT)
                .x_desc(self.axis.0.clone())
                .y_desc(self.axis.1.clone())
                .x_labels(whole_ticks(panel.max_from, 6))
                .y_labels(whole_ticks(panel.max_to, 6))
                .x_label_formatter(&|x| format!("{x:.0}"))
                .y_label_formatter(&|y| format!("{y:.0}"))
                .label_style(font(13.0))
                .axis_desc_style(font(13.0))
                .draw()?;
            // The link's interval under everything else.
            let outlines = panel.band_outlines();
            chart.draw_series(
                (outlines.iter().cloned())
                    .map(|outline| Polygon::new(outline, VERMILLION.mix(BAND).filled())),
            )?;
            // Its bounds, one pixel of vermillion (3.87:1 on white; the
            // fill alone is 1.3:1): an outline's first half is its upper
            // bound, the rest its lower.
            for outline in &outlines {
                let (upper, lower) = outline.split_at(outline.len() / 2);
                for bound in [upper, lower] {
                    let style = VERMILLION.stroke_width(1);
                    chart.draw_series(LineSeries::new(bound.iter().copied(), style))?;
                }
            }
            let ratio = panel.max_to / panel.max_from;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(0.0, 0.0), (panel.max_from, panel.max_from * ratio)],
                GREY.stroke_width(1),
            )))?;
            draw_link(&mut chart, panel)?;
            // The pairs over the link, which hid them where they lie on it.
            chart.draw_series(
                panel
                    .pairs
                    .iter()
                    .map(|p| Circle::new(*p, 3, PALETTE[0].mix(0.8).filled())),
            )?;
        }
        self.legend(root)
    }
}

impl LinkingChart {
    /// Whether a panel has an interval band to draw.
    fn banded(&self) -> bool {
        self.panels.iter().any(LinkPanel::has_band)
    }

    /// The legend over the panels: pairs, link, identity line and band.
    fn legend<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let w = &self.head.labels;
        let mut legend = vec![
            (
                w.pick("Dubbelbedömda utvärderingar", "Dual-scored evaluations"),
                PALETTE[0].to_rgba(),
            ),
            (
                w.pick(
                    "Länkning (streckad: utanför paren)",
                    "Link (dashed: beyond the pairs)",
                ),
                VERMILLION.to_rgba(),
            ),
            (
                w.pick("Identitet (procent av max)", "Identity (percent of max)"),
                GREY.to_rgba(),
            ),
        ];
        if self.banded() {
            legend.push((
                w.pick("95 %-intervall för länkningen", "95 % interval of the link"),
                VERMILLION.mix(BAND),
            ));
        }
        let mut x = 20;
        for (text, color) in legend {
            swatch(root, (x, 48), color, text)?;
            if color == VERMILLION.mix(BAND) {
                // Bounded as the band is, on the swatch's own pixels.
                let bounds = Rectangle::new([(x, 48), (x + 15, 59)], VERMILLION.stroke_width(1));
                root.draw(&bounds)?;
            }
            x += 22 + root.estimate_text_size(text, &font(15.0))?.0 as i32 + 26;
        }
        Ok(())
    }
}

/// The opacity of the link's interval band.
const BAND: f64 = 0.22;

/// The fitted link: solid over the pairs' scores, dashed beyond them,
/// where it extrapolates.
fn draw_link<DB: DrawingBackend>(
    chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    panel: &LinkPanel,
) -> DrawResult<DB> {
    let (lo, hi) = panel.range().unwrap_or((f64::MIN, f64::MAX));
    let part = |keep: &dyn Fn(f64) -> bool| -> Vec<(f64, f64)> {
        panel.curve.iter().copied().filter(|p| keep(p.0)).collect()
    };
    let style = VERMILLION.stroke_width(2);
    for beyond in [part(&|x| x <= lo), part(&|x| x >= hi)] {
        if beyond.len() >= 2 {
            chart.draw_series(DashedLineSeries::new(beyond, 7, 5, style))?;
        }
    }
    chart.draw_series(LineSeries::new(part(&|x| x >= lo && x <= hi), style))?;
    Ok(())
}
