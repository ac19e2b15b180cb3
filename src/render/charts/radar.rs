//! The profile chart: a radar ("spider") of a municipality's areas, in
//! percent of max, against the national average of the same scale. Plotters
//! has no radar chart; this draws one.
//!
//! Geometry (documented for checking): the canvas is 900 × 680 px, the
//! centre (450, 350), the 100 % ring has radius 220 px. Area k of n
//! (k = 0 for area 1) lies at angle θ = −90° + 360° · k / n, clockwise; a
//! value of p % is drawn at (round(450 + 2.2 p cos θ), round(350 + 2.2 p sin θ)).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{AVERAGE, BLUE, Chart, DrawResult, GREY, Head, LIGHT, fitted, font, frame_text};

pub const SIZE: (u32, u32) = (900, 680);
pub const CENTER: (f64, f64) = (450.0, 350.0);
pub const RADIUS: f64 = 220.0;
/// The legend's left edge (top right, from y 52).
const LEGEND_X: i32 = 640;

/// Pixel position of `pct` percent on spoke `k` of `n`.
pub fn vertex(k: usize, n: usize, pct: f64) -> (i32, i32) {
    let theta = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * k as f64 / n as f64;
    let r = RADIUS * pct / 100.0;
    (
        (CENTER.0 + r * theta.cos()).round() as i32,
        (CENTER.1 + r * theta.sin()).round() as i32,
    )
}

pub struct Profile {
    /// Its id, title, caption and labels.
    pub head: Head,
    /// The title as drawn, a long name cut ([`crate::render::text::chart_name`]).
    pub heading: String,
    /// "1 Offentlighet och demokrati", ...
    pub areas: Vec<String>,
    /// Percent of max, per area.
    pub values: Vec<Option<f64>>,
    pub average: Vec<Option<f64>>,
    /// The municipality, year and scale, its whole name (the `alt` text:
    /// two radars of a year scored on two scales had the same one).
    pub who: String,
    /// Legend text of the municipality polygon: `who`, a long name cut.
    pub legend: String,
    /// Legend text of the average's polygon: "Medel kommuner", with the
    /// country's code where the data hold more than one country ("Medel
    /// kommuner (NO)": a Norwegian radar is drawn against Norway's).
    pub average_legend: String,
}

/// Splits a label into lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// Lines of an area's name at its axis at most.
const LABEL_LINES: usize = 3;

/// The rings, in percent of max.
const RINGS: [f64; 5] = [20.0, 40.0, 60.0, 80.0, 100.0];

/// The polygon's vertices, where every area has a value.
fn vertices(values: &[Option<f64>]) -> Option<Vec<(i32, i32)>> {
    let n = values.len();
    (values.iter().enumerate())
        .map(|(k, v)| v.map(|p| vertex(k, n, p)))
        .collect()
}

/// The pale fill of a whole polygon, drawn before every line, so that no
/// fill tints another polygon's line away from its legend's colour.
fn fill<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    values: &[Option<f64>],
    color: RGBColor,
) -> DrawResult<DB> {
    if let Some(pts) = vertices(values) {
        root.draw(&Polygon::new(pts, color.mix(0.15).filled()))?;
    }
    Ok(())
}

/// A polygon's line and points, or a partial evaluation's points alone.
fn polygon<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    values: &[Option<f64>],
    color: RGBColor,
) -> DrawResult<DB> {
    let n = values.len();
    match vertices(values) {
        Some(pts) => {
            let mut closed = pts.clone();
            closed.push(pts[0]);
            root.draw(&PathElement::new(closed, color.stroke_width(3)))?;
            for p in pts {
                root.draw(&Circle::new(p, 4, color.filled()))?;
            }
        }
        None => {
            // A partial evaluation: only the published areas, no polygon.
            for (k, v) in values.iter().enumerate() {
                if let Some(p) = v {
                    root.draw(&Circle::new(vertex(k, n, *p), 5, color.filled()))?;
                }
            }
        }
    }
    Ok(())
}

impl Profile {
    /// Area `k`'s label outside the end of its axis, aligned to the side
    /// it is on.
    fn axis_label<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        k: usize,
    ) -> DrawResult<DB> {
        let (n, label) = (self.areas.len(), &self.areas[k]);
        let theta = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * k as f64 / n as f64;
        let (c, s) = (theta.cos(), theta.sin());
        let h = if c > 0.3 {
            HPos::Left
        } else if c < -0.3 {
            HPos::Right
        } else {
            HPos::Center
        };
        let style = font(16.0).pos(Pos::new(h, VPos::Top));
        let r = RADIUS + 14.0;
        let x = (CENTER.0 + r * c).round() as i32;
        let lines = wrap(label, 24);
        // At most three lines, each cut with "…" to the room on its side
        // of the chart: a name of thousands of letters ran off it.
        // A name at the top stays clear of the legend on its right.
        let room = match h {
            HPos::Left => SIZE.0 as i32 - x - 8,
            HPos::Right => x - 8,
            HPos::Center if s < 0.0 => 2 * x.min(LEGEND_X - x) - 16,
            HPos::Center => 2 * x.min(SIZE.0 as i32 - x) - 16,
        };
        let mut lines = (lines.iter().enumerate().take(LABEL_LINES))
            .map(
                |(i, line)| match i + 1 == LABEL_LINES && lines.len() > LABEL_LINES {
                    true => format!("{line} …"),
                    false => line.clone(),
                },
            )
            .map(|line| super::cut(root, line, &style, room.max(0) as u32))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        // An area the evaluation has no score for: said at its axis
        // (a partial evaluation is drawn as dots, and a missing dot
        // was not seen).
        if self.values.get(k).is_some_and(Option::is_none) {
            lines.push(
                self.head
                    .labels
                    .pick("(ingen poäng)", "(no score)")
                    .to_string(),
            );
        }
        let y0 = (CENTER.1 + r * s).round() as i32;
        let line_h = 17;
        let top = if s < -0.3 {
            y0 - line_h * lines.len() as i32
        } else if s > 0.3 {
            y0 + 2
        } else {
            y0 - line_h * lines.len() as i32 / 2
        };
        for (i, line) in lines.iter().enumerate() {
            root.draw(&Text::new(
                line.clone(),
                (x, top + i as i32 * line_h),
                style.clone(),
            ))?;
        }
        Ok(())
    }
}

impl Profile {
    /// Whether any area has a national average (none where every latest
    /// evaluation on the scale gave its total only).
    fn averaged(&self) -> bool {
        self.average.iter().any(Option::is_some)
    }
}

impl Chart for Profile {
    fn head(&self) -> &Head {
        &self.head
    }

    fn describe(&self) -> String {
        let w = &self.head.labels;
        let pct = |v: &Option<f64>| v.map_or("–".to_string(), |v| format!("{} %", w.fixed(v, 0)));
        let averaged = self.averaged();
        let values: Vec<String> = (self.areas.iter().zip(&self.values).zip(&self.average))
            .map(|((a, v), m)| match averaged {
                true => format!("{a}: {} ({} {})", pct(v), w.pick("medel", "mean"), pct(m)),
                false => format!("{a}: {}", pct(v)),
            })
            .collect();
        let against = match averaged {
            true => format!(
                " {} {}",
                w.pick("mot", "against"),
                // "medel kommuner (NO)": the first letter only.
                (self.average_legend.chars().take(1))
                    .flat_map(char::to_lowercase)
                    .chain(self.average_legend.chars().skip(1))
                    .collect::<String>()
            ),
            false => String::new(),
        };
        format!(
            "{} {}{against}. {}. {}",
            w.pick("Radardiagram:", "Radar chart:"),
            self.who,
            values.join("; "),
            self.head.caption
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        frame_text(root, &self.heading, &self.head.caption)?;
        let n = self.areas.len();
        for ring in RINGS {
            let mut pts: Vec<(i32, i32)> = (0..n).map(|k| vertex(k, n, ring)).collect();
            pts.push(pts[0]);
            root.draw(&PathElement::new(pts, LIGHT.stroke_width(1)))?;
        }
        for k in 0..n {
            root.draw(&PathElement::new(
                vec![vertex(k, n, 0.0), vertex(k, n, 100.0)],
                LIGHT.stroke_width(1),
            ))?;
            self.axis_label(root, k)?;
        }
        fill(root, &self.average, AVERAGE)?;
        fill(root, &self.values, BLUE)?;
        polygon(root, &self.average, AVERAGE)?;
        polygon(root, &self.values, BLUE)?;
        // The rings' values over the polygons, which would hide them, each
        // on a pale ground (the polygons' lines crossed them), midway
        // between the last area's spoke and the first's, where no value
        // lies (on area 1's spoke they covered its value).
        for ring in RINGS {
            let (a, b) = (vertex(n.saturating_sub(1), n, ring), vertex(0, n, ring));
            let (x, y) = ((a.0 + b.0) / 2, (a.1 + b.1) / 2);
            let (text, style) = (format!("{ring:.0}"), font(13.0).color(&GREY));
            let (w, h) = root.estimate_text_size(&text, &style)?;
            let at = (x - w as i32 / 2, y - h as i32 / 2);
            let ground = [(at.0 - 1, at.1 - 1), (at.0 + w as i32 + 1, at.1 + h as i32)];
            root.draw(&Rectangle::new(ground, WHITE.mix(0.8).filled()))?;
            root.draw(&Text::new(text, at, style))?;
        }
        // Legend, top right: the national average's only where there is
        // one.
        let mut items = vec![(self.legend.as_str(), BLUE)];
        if self.averaged() {
            items.push((self.average_legend.as_str(), AVERAGE));
        }
        // Up to the chart's right edge: a long name in a smaller font, or
        // cut with "…".
        let text_x = LEGEND_X + 28;
        let room = (root.dim_in_pixel().0).saturating_sub(text_x as u32 + 8);
        for (i, (text, color)) in items.iter().enumerate() {
            let y = 52 + i as i32 * 22;
            let key = [(LEGEND_X, y), (LEGEND_X + 20, y + 14)];
            root.draw(&Rectangle::new(key, color.filled()))?;
            let (text, size) = fitted(root, text, 16.0, 12.0, room)?;
            root.draw(&Text::new(text, (text_x, y), font(size)))?;
        }
        root.draw(&Text::new(
            self.head.labels.percent_of_max().to_string(),
            (20, 46),
            font(15.0).color(&GREY),
        ))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vertices() {
        assert_eq!(vertex(0, 8, 100.0), (450, 130));
        assert_eq!(vertex(2, 8, 100.0), (670, 350));
        assert_eq!(vertex(4, 8, 50.0), (450, 460));
        assert_eq!(
            wrap("Kommunen som arbetsgivare - personalpolitik", 24),
            vec!["Kommunen som", "arbetsgivare -", "personalpolitik"]
        );
    }
}
