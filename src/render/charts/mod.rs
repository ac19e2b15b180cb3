//! Charts with plotters, each written as PNG and SVG into `charts/`:
//! municipality profiles (radar against the national average), rounds
//! (grouped bars), distributions (box plots), trends over evaluation years,
//! linking scatter plots and sub-question bars.
//!
//! Text uses the bundled DejaVu Sans (registered with plotters' ab_glyph
//! backend: no system font lookup; in the PNGs drawn by [`glyphs`]), Swedish
//! labels by default and English
//! with `--lang en`. Every chart is drawn by one function for both formats;
//! the same data give byte-identical files. Charts are rendered on all
//! cores.

mod boxes;
mod colours;
mod glyphs;
pub mod id;
mod lines;
mod linking;
mod names;
pub mod plan;
mod radar;
mod rounds;
mod svg;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Once;

use clap::ValueEnum;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use rayon::prelude::*;

use crate::error::{Error, Result};
pub use crate::render::text::Lang;

/// Which charts to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ChartSet {
    /// Overview and per-municipality charts.
    #[default]
    All,
    /// Overview charts only (no per-municipality charts).
    Summary,
    None,
}

/// The font family name the bundled font is registered under.
pub const FONT: &str = "DejaVu Sans";

/// How many ticks an axis of whole points from 0 to `span` gets: at most
/// `want`, and never so many that plotters would step by less than one (on a
/// point scale every tick is a whole number).
pub fn whole_ticks(span: f64, want: usize) -> usize {
    let whole = if span.is_finite() && span >= 1.0 {
        span.floor() as usize + 1
    } else {
        2
    };
    want.min(whole).max(2)
}

/// What every chart has: which it is, its title and caption, and the
/// words of its language.
pub struct Head {
    /// Which chart it is (its file name).
    pub id: ChartId,
    /// The SVG's `<title>` (with a municipality's whole name, where the
    /// chart draws a heading of its own with a long name cut).
    pub title: String,
    /// The line under the chart: its source and counts.
    pub caption: String,
    /// The words of the chart's language.
    pub labels: Labels,
}

impl Head {
    /// A chart's description (the SVG's `<desc>`, the report's `alt`):
    /// what `kind` of chart, its title, its numbers (`parts`), its caption.
    pub fn description(&self, kind: &str, parts: &[String]) -> String {
        format!(
            "{kind} {}. {}. {}",
            self.title,
            parts.join("; "),
            self.caption
        )
    }
}

/// Registers the bundled font once per process.
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are a valid TrueType font shipped by the `dejavu` crate.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

pub fn font(size: f64) -> TextStyle<'static> {
    (FONT, size).into_font().color(&BLACK)
}

pub type DrawResult<DB> =
    std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A chart that can draw itself on any plotters backend.
pub trait Chart: Sync {
    /// Its id, title, caption and labels.
    fn head(&self) -> &Head;
    /// Which chart it is (its file name).
    fn id(&self) -> &ChartId {
        &self.head().id
    }
    /// Its size: one per kind of chart ([`ChartId::size`]).
    fn size(&self) -> (u32, u32) {
        self.id().size()
    }
    /// The title (also the SVG's `<title>`).
    fn title(&self) -> &str {
        &self.head().title
    }
    /// What the chart shows, in words: the SVG's `<desc>` and the report's
    /// `alt` text.
    fn describe(&self) -> String;
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB>;
}

fn chart_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::io(
        path,
        std::io::Error::other(format!("drawing the chart: {e}")),
    )
}

/// Writes `<name>.png` and `<name>.svg` into `dir`.
pub fn render<C: Chart>(dir: &Path, chart: &C) -> Result<[PathBuf; 2]> {
    register_fonts();
    let name = chart.id().file_stem();
    let size = chart.size();
    let png = dir.join(format!("{name}.png"));
    let mut pixels = vec![0u8; size.0 as usize * size.1 as usize * 3];
    {
        let root =
            glyphs::Glyphs::png(BitMapBackend::with_buffer(&mut pixels, size)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| chart_err(&png, e))?;
        chart.draw(&root).map_err(|e| chart_err(&png, e))?;
        root.present().map_err(|e| chart_err(&png, e))?;
    }
    // Encoded as plotters' own file target does (image's PNG encoder with
    // its defaults), and written like every other output.
    let mut encoded = std::io::Cursor::new(Vec::new());
    image::write_buffer_with_format(
        &mut encoded,
        &pixels,
        size.0,
        size.1,
        image::ColorType::Rgb8,
        image::ImageOutputFormat::Png,
    )
    .map_err(|e| chart_err(&png, e))?;
    crate::io::write_file(&png, encoded.into_inner())?;
    let svg = dir.join(format!("{name}.svg"));
    let mut text = String::new();
    {
        let root =
            glyphs::Glyphs::svg(SVGBackend::with_string(&mut text, size)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| chart_err(&svg, e))?;
        chart.draw(&root).map_err(|e| chart_err(&svg, e))?;
        root.present().map_err(|e| chart_err(&svg, e))?;
    }
    let text = svg::finished(&text, chart.title(), &chart.describe());
    crate::io::write_file(&svg, text.as_bytes())?;
    Ok([png, svg])
}

/// The charts drawn: their files, in drawing order, and what each shows
/// (by id: the charts the report may link to, with their `alt` texts).
#[derive(Debug, Default)]
pub struct Drawn {
    pub files: Vec<PathBuf>,
    pub described: BTreeMap<ChartId, String>,
}

impl Drawn {
    /// Renders charts on all cores and adds them, in input order.
    pub fn render_all<C: Chart>(&mut self, dir: &Path, charts: &[C]) -> Result<()> {
        let files: Vec<[PathBuf; 2]> = charts
            .par_iter()
            .map(|c| render(dir, c))
            .collect::<Result<_>>()?;
        self.files.extend(files.into_iter().flatten());
        self.described
            .extend(charts.iter().map(|c| (c.id().clone(), c.describe())));
        Ok(())
    }
}

/// A chart context with f64 coordinates on both axes.
pub type CategoryChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The plotting area of the bar and box charts: x from 0 to `x_max` with no
/// axis (the charts label their categories themselves), y from 0 to `y_max`
/// with whole-number labels and the description `y_desc`.
pub fn category_axes<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    x_max: f64,
    y_max: f64,
    y_desc: &str,
) -> std::result::Result<CategoryChart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut chart = ChartBuilder::on(area)
        .x_label_area_size(50)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..x_max, 0.0..y_max)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .disable_x_axis()
        .max_light_lines(0)
        .bold_line_style(LIGHT)
        .y_labels(whole_ticks(y_max, 11))
        .y_desc(y_desc)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .label_style(font(15.0))
        .axis_desc_style(font(16.0))
        .draw()?;
    Ok(chart)
}

/// A title at the top and a caption at the bottom-left.
pub fn frame_text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    caption: &str,
) -> DrawResult<DB> {
    let room = root.dim_in_pixel().0.saturating_sub(40);
    frame_text_in(root, title, (caption, room))
}

/// [`frame_text`] with the caption fitted in `room` pixels (keys drawn
/// beside it at the bottom right).
pub fn frame_text_in<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    (caption, room): (&str, u32),
) -> DrawResult<DB> {
    let (w, h) = root.dim_in_pixel();
    let (title, size) = fitted(root, title, 24.0, 16.0, w.saturating_sub(40))?;
    root.draw(&Text::new(title, (20, 14), font(size)))?;
    let (caption, size) = fitted(root, caption, 15.0, 12.0, room)?;
    root.draw(&Text::new(
        caption,
        (20, h as i32 - 26),
        font(size).color(&GREY),
    ))?;
    Ok(())
}

/// `text` in a font of `size` pixels, smaller (down to `smallest`) where
/// that does not fit in `width` pixels, and cut with "…" where even the
/// smallest does not: a long name ("Storfjord - Omasvuotna - Omasvuono")
/// and the scale's name ran off the chart.
pub fn fitted<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
    smallest: f64,
    width: u32,
) -> std::result::Result<(String, f64), DrawingAreaErrorKind<DB::ErrorType>> {
    let mut size = size;
    while size > smallest && area.estimate_text_size(text, &font(size))?.0 > width {
        size -= 1.0;
    }
    Ok((cut(area, text.to_string(), &font(size), width)?, size))
}

/// `text` as it fits in `width` pixels, cut with "…" where it does not:
/// its longest beginning that fits with "…" (just "…" where none does),
/// found by halving, as a text grows wider with every letter (one letter
/// off at a time measured a name of 5,000 letters 5,000 times: minutes).
pub fn cut<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: String,
    style: &TextStyle,
    width: u32,
) -> std::result::Result<String, DrawingAreaErrorKind<DB::ErrorType>> {
    if area.estimate_text_size(&text, style)?.0 <= width {
        return Ok(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let cut_at = |n: usize| chars[..n].iter().collect::<String>() + "…";
    // The longest fitting beginning has `fits` letters or more, fewer
    // than `over`.
    let (mut fits, mut over) = (0, chars.len());
    while over - fits > 1 {
        let mid = fits + (over - fits) / 2;
        match area.estimate_text_size(&cut_at(mid), style)?.0 <= width {
            true => fits = mid,
            false => over = mid,
        }
    }
    Ok(cut_at(fits))
}

/// An error bar on `chart` from `lo` to `hi` at `x`, drawn within the
/// plot's `bounds` (`0..max`), with caps `cap` wide either side at the
/// ends that lie within them: an end cut at the edge has no cap, so that
/// it does not read as the interval's end, but an arrowhead pointing on
/// past the edge (an interval of −179 to 952 on a scale of 800 is a bar
/// from 0 to 800 with an arrowhead at either end; without them a reader
/// could not tell that it goes further).
pub fn error_bar<DB: DrawingBackend, Y: Ranged<ValueType = f64>>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, Y>>,
    x: f64,
    (lo, hi): (f64, f64),
    (floor, ceiling): (f64, f64),
    cap: f64,
    style: ShapeStyle,
) -> DrawResult<DB> {
    let (a, b) = (lo.max(floor), hi.min(ceiling));
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(x, a), (x, b)],
        style,
    )))?;
    // An arrowhead's height, 2.5 % of the plot's: about 12 pixels.
    let head = 0.025 * (ceiling - floor);
    for y in [lo, hi] {
        // The edge a cut end stops at, and which way is inward there.
        let cut = match y {
            y if y < floor => Some((floor, 1.0)),
            y if y > ceiling => Some((ceiling, -1.0)),
            _ => None,
        };
        let end = match cut {
            Some((edge, inward)) => {
                let arm = edge + inward * head;
                vec![(x - cap, arm), (x, edge), (x + cap, arm)]
            }
            None => vec![(x - cap, y), (x + cap, y)],
        };
        chart.draw_series(std::iter::once(PathElement::new(end, style)))?;
    }
    Ok(())
}

/// A key: a square of `color` at `(x, y)` and its text to the right.
pub fn swatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    color: impl Color,
    text: &str,
) -> DrawResult<DB> {
    root.draw(&Rectangle::new([(x, y), (x + 16, y + 12)], color.filled()))?;
    root.draw(&Text::new(text.to_string(), (x + 22, y - 1), font(15.0)))
}

/// A key's error bar glyph, `height` pixels tall from `(x, y)`, and its
/// text to the right.
pub fn bar_key<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    height: i32,
    style: ShapeStyle,
    text: &str,
) -> DrawResult<DB> {
    root.draw(&PathElement::new(
        vec![(x + 8, y), (x + 8, y + height)],
        style,
    ))?;
    for y in [y, y + height] {
        root.draw(&PathElement::new(vec![(x + 4, y), (x + 12, y)], style))?;
    }
    let top = y + (height - 16) / 2;
    root.draw(&Text::new(text.to_string(), (x + 22, top + 1), font(15.0)))
}

pub use crate::render::text::Labels;
pub use boxes::Distribution;
pub use colours::{
    AVERAGE, BLUE, EDGE, GREY, Hue, LIGHT, PALETTE, VERMILLION, hue_box, hue_swatch,
};
pub use id::ChartId;
pub use lines::TrendChart;
pub use linking::LinkingChart;
pub use radar::Profile;
pub use rounds::{Questions, Rounds};
