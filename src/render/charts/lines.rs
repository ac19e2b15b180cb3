//! The trend chart: the mean total per evaluation year with its 95 %
//! interval as an error bar, one line per scale.

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    Chart, DrawResult, GREY, Head, Hue, LIGHT, bar_key, error_bar, font, frame_text, hue_swatch,
    whole_ticks,
};
use crate::analysis::year_totals::YearTotal;

/// One scale's line: its yearly mean totals.
pub struct TrendLine {
    pub label: String,
    /// Its colour, [`Hue::nth`]: the scale's own, the same in every
    /// country's chart and every run (it followed the line's place, so
    /// that the 2020 scale was green in one chart and blue, the old
    /// scale's colour elsewhere, in another).
    pub colour: usize,
    /// Each year's mean total, its 95 % interval (as computed, beyond the
    /// scale where it reaches beyond it, and cut at the scale's ends only
    /// where it is drawn) and n.
    pub points: Vec<YearTotal>,
}

/// A point's place on the year axis.
fn year_x(p: &YearTotal) -> f64 {
    f64::from(p.year)
}

pub struct TrendChart {
    /// Its id, title, caption and labels.
    pub head: Head,
    pub lines: Vec<TrendLine>,
    pub y_max: f64,
}

impl Chart for TrendChart {
    fn head(&self) -> &Head {
        &self.head
    }

    fn describe(&self) -> String {
        let w = &self.head.labels;
        let lines: Vec<String> = (self.lines.iter())
            .map(|l| {
                let p: Vec<String> = (l.points.iter())
                    // At most one decimal, as the report's tables and the
                    // other charts give means (whole points had put 480
                    // here where the tables said 480,4).
                    .map(|p| match p.interval {
                        Some((lo, hi)) => format!(
                            "{:.0}: {} ({} – {}, n = {})",
                            year_x(p),
                            w.num(p.mean),
                            w.num(lo),
                            w.num(hi),
                            p.n
                        ),
                        // A year of equal totals has no spread to
                        // estimate an interval from; say so, as n = 1 says
                        // itself.
                        None if p.n > 1 => format!(
                            "{:.0}: {} (n = {}, {})",
                            year_x(p),
                            w.num(p.mean),
                            p.n,
                            w.pick("alla lika: inget intervall", "all equal: no interval")
                        ),
                        None => format!("{:.0}: {} (n = {})", year_x(p), w.num(p.mean), p.n),
                    })
                    .collect();
                format!("{}: {}", l.label, p.join(", "))
            })
            .collect();
        let what = match self.has_intervals() {
            true => w.pick(
                "Linjediagram med 95 %-konfidensintervall:",
                "Line chart with 95 % confidence intervals:",
            ),
            false => w.pick("Linjediagram:", "Line chart:"),
        };
        self.head.description(what, &lines)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        frame_text(root, &self.head.title, &self.head.caption)?;
        // The keys on a line of their own under the title, off the data.
        let area = root.margin(76, 40, 10, 20);
        let years = self.lines.iter().flat_map(|l| l.points.iter().map(year_x));
        let (lo, hi) = years.fold((f64::MAX, f64::MIN), |(a, b), y| (a.min(y), b.max(y)));
        let (lo, hi) = if lo > hi {
            (2002.0, 2024.0)
        } else {
            (lo - 0.5, hi + 0.5)
        };
        // The years' n in a band of their own below 0, where no bar or
        // line reaches: over the plot, their boxes hid the low ends of
        // the bars and the arrowheads of those cut at 0.
        let rows = self.label_rows(root, area.dim_in_pixel().0, (lo, hi))?;
        let most = rows.iter().flatten().max().map_or(1, |r| r + 1);
        let band = self.band(area.dim_in_pixel().1, most);
        // The y axis's figures and mesh from 0 to the top, as without the
        // band (spread over the band too, 100-point steps became 200).
        let y = Floored {
            inner: (-band..self.y_max).into(),
            top: self.y_max,
        };
        let mut chart = ChartBuilder::on(&area)
            .x_label_area_size(X_LABELS)
            .y_label_area_size(Y_LABELS)
            .build_cartesian_2d(lo..hi, y)?;
        chart
            .configure_mesh()
            .max_light_lines(0)
            .bold_line_style(LIGHT)
            .x_labels(whole_ticks(hi - lo, 12))
            .y_labels(whole_ticks(self.y_max, 9))
            .x_desc(self.head.labels.year())
            .y_desc(self.head.labels.total_points())
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style(font(15.0))
            .axis_desc_style(font(16.0))
            .draw()?;
        // 0 as the plot's floor, over the band.
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(lo, 0.0), (hi, 0.0)],
            GREY.stroke_width(1),
        )))?;
        // Each year's interval as an error bar, not a band between years:
        // each year's mean is over other municipalities. Lines that share
        // a year have their bars side by side.
        let k = self.lines.len() as f64;
        let shared = |year: f64| {
            (self.lines.iter())
                .filter(|l| l.points.iter().any(|p| year_x(p) == year))
                .count()
                > 1
        };
        for (i, line) in self.lines.iter().enumerate() {
            let color = Hue::nth(line.colour).edge;
            let dx = (i as f64 - (k - 1.0) / 2.0) * 0.28;
            // A point of a year another line shares beside its bar, so
            // that two scales' close means do not hide each other.
            let x_of = |p: &YearTotal| match shared(year_x(p)) {
                true => year_x(p) + dx,
                false => year_x(p),
            };
            for p in &line.points {
                let Some(interval) = p.interval else { continue };
                // Drawn within the scale; the description gives it whole.
                let bounds = (0.0, self.y_max);
                let style = color.stroke_width(1);
                let cap = if shared(year_x(p)) { 0.06 } else { 0.12 };
                error_bar(&mut chart, x_of(p), interval, bounds, cap, style)?;
            }
            chart.draw_series(LineSeries::new(
                line.points.iter().map(|p| (x_of(p), p.mean)),
                color.stroke_width(2),
            ))?;
            chart.draw_series(
                line.points
                    .iter()
                    .map(|p| Circle::new((x_of(p), p.mean), 4, color.filled())),
            )?;
        }
        // After every line: a later line's bar ran through an earlier
        // line's labels.
        for (line, rows) in self.lines.iter().zip(&rows) {
            let color = Hue::nth(line.colour).edge;
            n_labels(root, &chart, line, color, rows)?;
        }
        self.keys(root)
    }
}

/// Each year's n of `line` in the band below 0, in the line's colour, in
/// its row of [`TrendChart::label_rows`] (over the points, they crossed
/// the bars of the years beside them).
fn n_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, Floored>>,
    line: &TrendLine,
    color: RGBColor,
    rows: &[i32],
) -> DrawResult<DB> {
    for (p, row) in line.points.iter().zip(rows) {
        let (x, y0) = chart.backend_coord(&(year_x(p), 0.0));
        let at = (x, y0 + BAND_TOP + LABEL_ROW * (row + 1));
        let text = n_text(p);
        // Black, on an opaque box underlined in the line's colour: the
        // 2010 scale's orange text on white was 2.2:1 at 13 px, and a
        // year's bar over the whole plot ran through the box.
        let style = n_style();
        let (w, h) = root.estimate_text_size(&text, &style)?;
        let (w, h) = (w as i32 / 2 + 1, h as i32);
        root.draw(&Rectangle::new(
            [(at.0 - w, at.1 - h), (at.0 + w, at.1 + 3)],
            WHITE.filled(),
        ))?;
        root.draw(&Rectangle::new(
            [(at.0 - w, at.1 + 1), (at.0 + w, at.1 + 3)],
            color.filled(),
        ))?;
        root.draw(&Text::new(text, at, style))?;
    }
    Ok(())
}

/// A point's n label and its style.
fn n_text(p: &YearTotal) -> String {
    format!("n={}", p.n)
}

fn n_style() -> TextStyle<'static> {
    font(13.0)
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Bottom))
}

/// The trend chart's y axis: from below 0 (the n labels' band) to `top`,
/// its figures and mesh from 0 to `top` only, as a plot from 0 has them.
struct Floored {
    inner: RangedCoordf64,
    top: f64,
}

impl Ranged for Floored {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        RangedCoordf64::from(0.0..self.top).key_points(hint)
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
}

/// The n labels' rows: the first row's text ends this far below 0, each
/// further row (lines sharing a year, or a label as wide as its
/// neighbour's year) one row lower.
const BAND_TOP: i32 = 4;
const LABEL_ROW: i32 = 16;
/// The space, in pixels, kept between two n labels in one row.
const LABEL_GAP: i32 = 4;
/// The x and y axes' label areas, in pixels: where the plot is built and
/// where the labels' band and rows reckon its size.
const X_LABELS: u32 = 40;
const Y_LABELS: u32 = 60;

impl TrendChart {
    /// Whether any year has an interval to draw (a chart of single
    /// evaluations has none, and its key and text do not name one).
    fn has_intervals(&self) -> bool {
        (self.lines.iter()).any(|l| l.points.iter().any(|p| p.interval.is_some()))
    }

    /// Each n label's row, by line and point: the first row whose labels
    /// so far (by line, then year) its box clears by [`LABEL_GAP`], in a
    /// plot area `width` pixels wide over the years `span`. One row per
    /// line sharing a year had a 3-digit n run into the next year's over
    /// two decades.
    fn label_rows<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        width: u32,
        span: (f64, f64),
    ) -> Result<Vec<Vec<i32>>, DrawingAreaErrorKind<DB::ErrorType>> {
        // The plot's width less the y labels' area, as built.
        let plot = f64::from(width.saturating_sub(Y_LABELS)).max(1.0);
        let px = |year: f64| ((year - span.0) / (span.1 - span.0) * plot).round() as i32;
        let mut placed: Vec<(i32, i32, i32)> = Vec::new();
        let mut rows = Vec::with_capacity(self.lines.len());
        for line in &self.lines {
            let mut of_line = Vec::with_capacity(line.points.len());
            for p in &line.points {
                let (w, _) = root.estimate_text_size(&n_text(p), &n_style())?;
                let half = w as i32 / 2 + 1;
                let (from, to) = (px(year_x(p)) - half, px(year_x(p)) + half);
                let clear = |row: i32| {
                    !(placed.iter())
                        .any(|&(r, a, b)| r == row && from < b + LABEL_GAP && a < to + LABEL_GAP)
                };
                let row = (0..).find(|&r| clear(r)).unwrap_or(0);
                placed.push((row, from, to));
                of_line.push(row);
            }
            rows.push(of_line);
        }
        Ok(rows)
    }

    /// The height below 0, in points, of the n labels' band in a plot area
    /// `height` pixels high with `rows` rows of labels.
    fn band(&self, height: u32, rows: i32) -> f64 {
        // The plot's height less the x labels' area and the band.
        let (band_px, x_labels) = (
            f64::from(BAND_TOP + LABEL_ROW * rows + 6),
            f64::from(X_LABELS),
        );
        let plot_px = f64::from(height).max(band_px + x_labels + 1.0) - x_labels;
        self.y_max * band_px / (plot_px - band_px)
    }

    /// The scales' colours and what the bars are (sampling error only:
    /// every line here is on a native scale, no linking error enters).
    fn keys<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (mut x, y) = (80, 50);
        let style = font(15.0);
        for line in &self.lines {
            hue_swatch(root, (x, y), Hue::nth(line.colour).solid(), &line.label)?;
            let (w, _) = root.estimate_text_size(&line.label, &style)?;
            x += 22 + w as i32 + 24;
        }
        if self.has_intervals() {
            let text = self.head.labels.pick(
                "95 %-konfidensintervall för medelvärdet",
                "95 % confidence interval of the mean",
            );
            bar_key(root, (x, y - 3), 18, GREY.stroke_width(2), text)?;
        }
        Ok(())
    }
}
