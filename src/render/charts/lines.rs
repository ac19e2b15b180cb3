//! Line charts: the mean total per evaluation year with its 95 % interval
//! as a band (one line per scale), and the linking scatter plots (dual-scored
//! pairs, the fitted link and the identity line, one panel per item).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ChartId;
use super::{
    Chart, DrawResult, GREY, LIGHT, Labels, PALETTE, VERMILLION, description, font, frame_text,
    whole_ticks,
};

/// One scale's yearly means: (year, mean, ci_low, ci_high, n).
pub struct TrendLine {
    pub label: String,
    pub points: Vec<TrendPoint>,
}

/// One year of a trend line: the mean total, its 95 % interval (none for a
/// single evaluation: no spread to estimate it from) and n.
pub struct TrendPoint {
    pub year: f64,
    pub mean: f64,
    pub interval: Option<(f64, f64)>,
    pub n: u64,
}

pub struct TrendChart {
    pub id: ChartId,
    pub title: String,
    pub caption: String,
    pub lines: Vec<TrendLine>,
    pub y_max: f64,
    pub labels: Labels,
}

impl Chart for TrendChart {
    fn id(&self) -> &ChartId {
        &self.id
    }

    fn title(&self) -> &str {
        &self.title
    }

    fn describe(&self) -> String {
        let w = &self.labels;
        let lines: Vec<String> = (self.lines.iter())
            .map(|l| {
                let p: Vec<String> = (l.points.iter())
                    .map(|p| match p.interval {
                        Some((lo, hi)) => format!(
                            "{:.0}: {:.0} ({lo:.0}–{hi:.0}, n = {})",
                            p.year, p.mean, p.n
                        ),
                        None => format!("{:.0}: {:.0} (n = {})", p.year, p.mean, p.n),
                    })
                    .collect();
                format!("{}: {}", l.label, p.join(", "))
            })
            .collect();
        description(
            w.pick(
                "Linjediagram med 95 %-konfidensintervall:",
                "Line chart with 95 % confidence intervals:",
            ),
            &self.title,
            &lines,
            &self.caption,
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        frame_text(root, &self.title, &self.caption)?;
        let area = root.margin(50, 40, 10, 20);
        let years = self
            .lines
            .iter()
            .flat_map(|l| l.points.iter().map(|p| p.year));
        let (lo, hi) = years.fold((f64::MAX, f64::MIN), |(a, b), y| (a.min(y), b.max(y)));
        let (lo, hi) = if lo > hi {
            (2002.0, 2024.0)
        } else {
            (lo - 0.5, hi + 0.5)
        };
        let mut chart = ChartBuilder::on(&area)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(lo..hi, 0.0..self.y_max)?;
        chart
            .configure_mesh()
            .max_light_lines(0)
            .bold_line_style(LIGHT)
            .x_labels(whole_ticks(hi - lo, 12))
            .y_labels(whole_ticks(self.y_max, 9))
            .x_desc(self.labels.year())
            .y_desc(self.labels.total_points())
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style(font(15.0))
            .axis_desc_style(font(16.0))
            .draw()?;
        for (i, line) in self.lines.iter().enumerate() {
            let color = PALETTE[i % PALETTE.len()];
            // The band over each run of years that have an interval; a
            // lone one as an error bar; none through a year without one.
            for run in line
                .points
                .chunk_by(|a, b| a.interval.is_some() == b.interval.is_some())
            {
                let spans: Vec<(f64, f64, f64)> = run
                    .iter()
                    .filter_map(|p| p.interval.map(|(lo, hi)| (p.year, lo, hi)))
                    .collect();
                match spans.as_slice() {
                    [] => {}
                    [(x, lo, hi)] => {
                        chart.draw_series(std::iter::once(PathElement::new(
                            vec![(*x, *lo), (*x, *hi)],
                            color.mix(0.5).stroke_width(3),
                        )))?;
                    }
                    _ => {
                        let band: Vec<(f64, f64)> = (spans.iter().map(|s| (s.0, s.2)))
                            .chain(spans.iter().rev().map(|s| (s.0, s.1)))
                            .collect();
                        chart.draw_series(std::iter::once(Polygon::new(
                            band,
                            color.mix(0.18).filled(),
                        )))?;
                    }
                }
            }
            chart
                .draw_series(LineSeries::new(
                    line.points.iter().map(|p| (p.year, p.mean)),
                    color.stroke_width(2),
                ))?
                .label(line.label.clone())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 16, y + 6)], color.filled())
                });
            chart.draw_series(
                line.points
                    .iter()
                    .map(|p| Circle::new((p.year, p.mean), 4, color.filled())),
            )?;
            for p in &line.points {
                let (x, y) = chart.backend_coord(&(p.year, p.mean));
                root.draw(&Text::new(
                    format!("n={}", p.n),
                    (x - 14, y - 22),
                    font(13.0).color(&GREY),
                ))?;
            }
        }
        // What the bands are: sampling error only (every line here is on a
        // native scale, no linking error enters).
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(lo, 0.0), (lo, 0.0)],
                GREY.mix(0.25).filled(),
            )))?
            .label(self.labels.pick(
                "Band: 95 %-konfidensintervall för medelvärdet",
                "Band: 95 % confidence interval of the mean",
            ))
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 6), (x + 16, y + 6)], GREY.mix(0.25).filled())
            });
        chart
            .configure_series_labels()
            .label_font(font(15.0))
            .background_style(WHITE.mix(0.8))
            .border_style(GREY)
            .position(SeriesLabelPosition::LowerRight)
            .draw()?;
        Ok(())
    }
}

/// One linked item: pairs, the linked value at each score point, maxima.
pub struct LinkPanel {
    pub label: String,
    pub pairs: Vec<(f64, f64)>,
    pub curve: Vec<(f64, f64)>,
    pub max_from: f64,
    pub max_to: f64,
}

pub struct LinkingChart {
    pub id: ChartId,
    pub title: String,
    pub caption: String,
    pub panels: Vec<LinkPanel>,
    pub axis: (String, String),
    pub labels: Labels,
}

impl Chart for LinkingChart {
    fn id(&self) -> &ChartId {
        &self.id
    }

    fn title(&self) -> &str {
        &self.title
    }

    fn describe(&self) -> String {
        let w = &self.labels;
        let panels: Vec<String> = (self.panels.iter())
            .map(|p| format!("{} ({} {})", p.label, p.pairs.len(), w.pick("par", "pairs")))
            .collect();
        description(
            w.pick(
                "Spridningsdiagram per område: dubbelbedömda utvärderingar, länkningen och identitetslinjen:",
                "Scatter plots per area: dual-scored evaluations, the link and the identity line:"
            ),
            &self.title,
            &panels,
            &self.caption,
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        frame_text(root, &self.title, &self.caption)?;
        let inner = root.margin(70, 40, 10, 10);
        let cells = inner.split_evenly((3, 3));
        for (panel, cell) in self.panels.iter().zip(cells.iter()) {
            let mut chart = ChartBuilder::on(cell)
                .caption(panel.label.clone(), font(14.0))
                .margin(10)
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
            let ratio = panel.max_to / panel.max_from;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(0.0, 0.0), (panel.max_from, panel.max_from * ratio)],
                GREY.stroke_width(1),
            )))?;
            chart.draw_series(
                panel
                    .pairs
                    .iter()
                    .map(|p| Circle::new(*p, 3, PALETTE[0].mix(0.6).filled())),
            )?;
            chart.draw_series(LineSeries::new(
                panel.curve.iter().copied(),
                VERMILLION.stroke_width(2),
            ))?;
        }
        let legend = [
            (
                self.labels
                    .pick("Dubbelbedömda utvärderingar", "Dual-scored evaluations"),
                PALETTE[0],
            ),
            (self.labels.pick("Länkning", "Link"), VERMILLION),
            (
                self.labels
                    .pick("Identitet (procent av max)", "Identity (percent of max)"),
                GREY,
            ),
        ];
        for (i, (text, color)) in legend.iter().enumerate() {
            let x = 20 + i as i32 * 300;
            root.draw(&Rectangle::new([(x, 48), (x + 16, 60)], color.filled()))?;
            root.draw(&Text::new(text.to_string(), (x + 22, 47), font(15.0)))?;
        }
        Ok(())
    }
}
