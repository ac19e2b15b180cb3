//! Text in the charts at the size it was measured, the PNG's drawn glyph
//! by glyph at its true place; an SVG rectangle's outline at its width.
//!
//! plotters 0.3.7 draws ab_glyph text with each glyph's bitmap at the pen
//! position, ignoring the glyph's left side bearing and rounding the pen to
//! whole pixels, so letters sit unevenly ("Tillgängl ighet"; plotters issue
//! #576). [`Glyphs::png`] wraps a bitmap backend and draws text in the
//! bundled font itself: each glyph positioned at the pen with its bearing,
//! rasterised at its sub-pixel place.
//!
//! plotters measures text (every layout decision: anchors, titles cut by
//! width) with ab_glyph at a pixel scale of the font size, which for
//! ab_glyph is the font's height from descent to ascent (1.164 em in
//! DejaVu Sans), but writes an SVG's `font-size` (its em) as the size /
//! 1.24: an SVG's text was 6.2 % narrower than measured and than its PNG.
//! [`Glyphs::svg`] wraps the SVG backend and gives it the size whose em is
//! the measured one, and draws a rectangle's outline as the PNG does (the
//! SVG backend leaves out its width). Everything else goes to the wrapped
//! backend unchanged, and the text's measured size is plotters' own, so
//! every layout decision stays as it was.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, ScaleFont, point};
use plotters_backend::rasterizer::draw_rect;
use plotters_backend::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontFamily, FontStyle, FontTransform,
};

use super::FONT;

/// The bundled regular and bold faces, parsed once per process.
fn faces() -> Option<&'static (FontRef<'static>, FontRef<'static>)> {
    static FACES: OnceLock<Option<(FontRef<'static>, FontRef<'static>)>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            let regular = FontRef::try_from_slice(dejavu::sans::regular()).ok()?;
            let bold = FontRef::try_from_slice(dejavu::sans::bold()).ok()?;
            Some((regular, bold))
        })
        .as_ref()
}

/// plotters' SVG `font-size` is a text's size divided by this.
const SVG_SIZE: f64 = 1.24;

/// The bundled font's em per unit of ab_glyph's pixel scale (1 / 1.164 in
/// DejaVu Sans): the em, in pixels, of text measured at size 1.
fn em_per_size() -> f64 {
    faces()
        .and_then(|(regular, _)| {
            let per_em = f64::from(regular.units_per_em()?);
            Some(per_em / f64::from(regular.height_unscaled()))
        })
        .unwrap_or(1.0 / SVG_SIZE)
}

/// How the wrapped backend's text in the bundled font is drawn.
#[derive(Clone, Copy)]
enum Drawn {
    /// By [`draw_glyphs`], into pixels.
    Glyphs,
    /// By the (SVG) backend, at the size whose `font-size` is the em the
    /// text was measured at.
    AtMeasuredEm,
}

/// A backend whose text in the bundled font is drawn as measured; text in
/// any other family, and everything else, by the wrapped backend.
pub struct Glyphs<B>(B, Drawn);

impl<B> Glyphs<B> {
    /// A bitmap backend, its text drawn by [`draw_glyphs`].
    pub fn png(backend: B) -> Self {
        Glyphs(backend, Drawn::Glyphs)
    }
    /// An SVG backend, its `font-size` the em the text was measured at.
    pub fn svg(backend: B) -> Self {
        Glyphs(backend, Drawn::AtMeasuredEm)
    }
}

impl<B: DrawingBackend> DrawingBackend for Glyphs<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.present()
    }
    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        match self.1 {
            // Four lines of the stroke's width, as the PNG draws them: the
            // SVG backend writes a rectangle's outline without its width
            // (one pixel where the PNG's box was two).
            Drawn::AtMeasuredEm if !fill && style.stroke_width() > 1 => {
                draw_rect(&mut self.0, upper_left, bottom_right, style, false)
            }
            _ => self.0.draw_rect(upper_left, bottom_right, style, fill),
        }
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.fill_polygon(vert, style)
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<B::ErrorType>> {
        match self.1 {
            Drawn::Glyphs => self.0.estimate_text_size(&drawn(text), style),
            Drawn::AtMeasuredEm => self.0.estimate_text_size(text, style),
        }
    }
    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.blit_bitmap(pos, size, src)
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        let bundled = style.family().as_str() == FONT;
        match (faces(), self.1) {
            (Some((regular, bold)), Drawn::Glyphs) if bundled => {
                let face = match style.style() {
                    FontStyle::Bold => bold,
                    _ => regular,
                };
                draw_glyphs(&mut self.0, face, &drawn(text), style, pos)
            }
            (_, Drawn::Glyphs) => self.0.draw_text(&drawn(text), style, pos),
            (_, Drawn::AtMeasuredEm) if bundled => {
                let size = style.size() * SVG_SIZE * em_per_size();
                self.0.draw_text(text, &Sized { style, size }, pos)
            }
            (_, Drawn::AtMeasuredEm) => self.0.draw_text(text, style, pos),
        }
    }
}

/// `style` at another size: all the SVG backend reads of it but its
/// colour, transform, weight, anchor and family (its layout box and
/// drawing stay the measured ones).
struct Sized<'a, S> {
    style: &'a S,
    size: f64,
}

impl<S: BackendTextStyle> BackendTextStyle for Sized<'_, S> {
    type FontError = S::FontError;

    fn color(&self) -> BackendColor {
        self.style.color()
    }
    fn size(&self) -> f64 {
        self.size
    }
    fn transform(&self) -> FontTransform {
        self.style.transform()
    }
    fn style(&self) -> FontStyle {
        self.style.style()
    }
    fn anchor(&self) -> Pos {
        self.style.anchor()
    }
    fn family(&self) -> FontFamily<'_> {
        self.style.family()
    }
    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), Self::FontError> {
        self.style.layout_box(text)
    }
    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        text: &str,
        pos: BackendCoord,
        draw: F,
    ) -> Result<Result<(), E>, Self::FontError> {
        self.style.draw(text, pos, draw)
    }
}

/// `text` as the SVG shows it ([`super::svg::xml_chars`]: a control character
/// U+FFFD, a direction control left out), a line end or tab a space: the
/// font's empty box was drawn for each in the PNG.
fn drawn(text: &str) -> std::borrow::Cow<'_, str> {
    let text = super::svg::xml_chars(text);
    match text.contains(['\n', '\r', '\t']) {
        true => text.replace(['\n', '\r', '\t'], " ").into(),
        false => text,
    }
}

/// Draws `text` as plotters lays it out (its layout box, anchor and
/// rotation), with the baseline where the SVG has it and each glyph at its
/// exact pen position and left side bearing.
fn draw_glyphs<B: DrawingBackend, S: BackendTextStyle>(
    backend: &mut B,
    face: &FontRef<'static>,
    text: &str,
    style: &S,
    pos: BackendCoord,
) -> Result<(), DrawingErrorKind<B::ErrorType>> {
    let color = style.color();
    if color.alpha == 0.0 {
        return Ok(());
    }
    let ((min_x, min_y), (max_x, max_y)) = style
        .layout_box(text)
        .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
    let (width, height) = (max_x - min_x, max_y - min_y);
    let dx = match style.anchor().h_pos {
        HPos::Left => 0,
        HPos::Right => -width,
        HPos::Center => -width / 2,
    };
    let dy = match style.anchor().v_pos {
        VPos::Top => 0,
        VPos::Center => -height / 2,
        VPos::Bottom => -height,
    };
    let trans = style.transform();
    let (w, h) = backend.get_size();
    let font = face.as_scaled(style.size() as f32);
    // Where the SVG puts it (`dy="0.76em"` at the em the text was measured
    // at), so that a PNG and its SVG place text alike; plotters' own PNG
    // text sat about a tenth of the size higher.
    let baseline = (0.76 * style.size() * em_per_size()).round() as f32;
    let mut pen = 0f32;
    let mut prev = None;
    // Each glyph's pixels and coverage, in one buffer for the whole text.
    let mut coverage = Vec::new();
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = prev {
            pen += font.kern(p, id);
        }
        prev = Some(id);
        let glyph = id.with_scale_and_position(font.scale(), point(pen, baseline));
        pen += font.h_advance(id);
        let Some(outline) = face.outline_glyph(glyph) else {
            continue;
        };
        let bounds = outline.px_bounds();
        coverage.clear();
        outline.draw(|x, y, a| coverage.push((x as i32, y as i32, a)));
        for &(x, y, a) in &coverage {
            let (x, y) = (bounds.min.x as i32 + x, bounds.min.y as i32 + y);
            let (x, y) = trans.transform(x + dx - min_x, y + dy - min_y);
            let (x, y) = (pos.0 + x, pos.1 + y);
            if x >= 0 && x < w as i32 && y >= 0 && y < h as i32 && a > 0.0 {
                let mixed = BackendColor {
                    alpha: color.alpha * f64::from(a.min(1.0)),
                    rgb: color.rgb,
                };
                backend.draw_pixel((x, y), mixed)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    /// The columns and rows with ink when `text` is drawn in the bundled
    /// font at `size`, left and top anchored at (10, 10), into a 300 × 80
    /// picture.
    fn ink(text: &str, size: f64) -> (Vec<usize>, Vec<usize>) {
        super::super::register_fonts();
        let (w, h) = (300usize, 80usize);
        let mut pixels = vec![255u8; w * h * 3];
        {
            let root = Glyphs::png(BitMapBackend::with_buffer(
                &mut pixels,
                (w as u32, h as u32),
            ))
            .into_drawing_area();
            root.draw(&Text::new(
                text.to_string(),
                (10, 10),
                super::super::font(size),
            ))
            .expect("drawn");
        }
        let dark = |x: usize, y: usize| pixels[(y * w + x) * 3] < 128;
        let cols = (0..w).filter(|&x| (0..h).any(|y| dark(x, y))).collect();
        let rows = (0..h).filter(|&y| (0..w).any(|x| dark(x, y))).collect();
        (cols, rows)
    }

    /// The first column of each run of inked columns.
    fn starts(cols: &[usize]) -> Vec<usize> {
        let mut out = Vec::new();
        for (i, &c) in cols.iter().enumerate() {
            if i == 0 || cols[i - 1] + 1 != c {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn glyphs_start_at_pen_plus_bearing_and_sit_on_the_svg_baseline() {
        let size = 40.0;
        let face = &faces().expect("bundled font").0;
        let font = face.as_scaled(size as f32);
        let id = font.glyph_id('H');
        let (advance, bearing) = (font.h_advance(id), font.h_side_bearing(id));
        assert!(
            bearing > 2.0,
            "DejaVu's H has a visible left bearing: {bearing}"
        );
        let (cols, rows) = ink("HHHH", size);
        // Each H starts at the pen (10 + k advances, no kerning between
        // H and H) plus its bearing; plotters' own drawing put it at the
        // pen, `bearing` pixels too far left.
        let found = starts(&cols);
        assert_eq!(found.len(), 4, "four separate letters: {found:?}");
        for (k, &x) in found.iter().enumerate() {
            let want = 10.0 + k as f32 * advance + bearing;
            assert!(
                (x as f32 - want).abs() <= 1.0,
                "H {k} starts at {x}, not {want:.1} ({found:?})"
            );
        }
        // The baseline (the H's last inked row) where the SVG puts it:
        // 0.76 em below the top, the em DejaVu's at a pixel scale of 40
        // (units per em 2048, ascent 1901, descent 483).
        let base = 10.0 + 0.76 * size * 2048.0 / (1901.0 + 483.0);
        let last = *rows.last().expect("ink") as f64;
        assert!(
            (last + 1.0 - base).abs() <= 1.0,
            "baseline at {last}, not {base:.1}"
        );
    }
}
