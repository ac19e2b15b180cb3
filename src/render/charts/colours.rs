//! The charts' colours: the Okabe–Ito palette (Okabe & Ito 2008, "Color
//! Universal Design"), told apart with every common form of
//! colour-blindness, in the order rounds and scales take it, each colour's
//! edge where it is lighter than 3:1 on white (README, "Colour contrast"),
//! and the boxes and keys drawn in a round's or scale's colours.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{DrawResult, font};

/// The municipality's own marks, and the linking chart's pairs.
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
/// The linking chart's link and its band.
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
/// The national average in the radar and box charts: charcoal (12.6:1 on
/// white), no round's or scale's colour (it was vermillion, the fourth
/// round's and the 2020 scale's too).
pub const AVERAGE: RGBColor = RGBColor(51, 51, 51);
pub const GREY: RGBColor = RGBColor(110, 110, 110);
/// Grid lines and radar rings: the major grid only.
pub const LIGHT: RGBColor = RGBColor(221, 221, 221);
/// One colour per round / scale / area (Okabe–Ito). The first four, the
/// rounds and scales a chart usually has, are each at least 3:1 on white
/// (WCAG 2.1, 1.4.11, for a chart's marks: blue 5.19, bluish green 3.42,
/// reddish purple 3.06, vermillion 3.87); orange (2.25:1), sky blue (2.31)
/// and yellow (1.32) come after them and are drawn with an [`EDGE`]. Under
/// simulated protanopia, deuteranopia and tritanopia (Machado et al. 2009)
/// no two of the first four are closer than ΔE 17 (CIELAB), as close as
/// the order before them, with orange second, came.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(213, 94, 0),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(240, 228, 66),
];

/// Each [`PALETTE`] colour's edge: its outline round a bar or a key's
/// swatch, and its colour as a line, a point, an error bar or a mark. A
/// colour at least 3:1 on white is its own edge; orange, sky blue and
/// yellow have their own hue darkened to 3.1:1 (`#C28600`, `#4A9AC7`,
/// `#9D952B`), so that every mark of a round or scale stands out from the
/// white as WCAG asks, whatever its fill.
pub const EDGE: [RGBColor; 8] = {
    let mut edge = PALETTE;
    edge[4] = RGBColor(194, 134, 0);
    edge[5] = RGBColor(74, 154, 199);
    edge[7] = RGBColor(157, 149, 43);
    edge
};

/// A round's or a scale's colours: the `fill` of its bars and its key's
/// swatch, and their `edge` (see [`EDGE`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hue {
    pub fill: RGBColor,
    pub edge: RGBColor,
}

impl Hue {
    /// The `i`-th round's or scale's colours (a ninth takes the first's).
    pub fn nth(i: usize) -> Hue {
        let i = i % PALETTE.len();
        Hue {
            fill: PALETTE[i],
            edge: EDGE[i],
        }
    }

    /// The hue of a line's key: its edge, the line's colour, throughout
    /// (a key of orange outlined in dark orange did not look like its
    /// line, drawn in the dark orange).
    pub fn solid(self) -> Hue {
        Hue {
            fill: self.edge,
            edge: self.edge,
        }
    }

    /// The outline a filled area of this hue needs: none where the fill is
    /// its own edge.
    pub fn outline(self) -> Option<ShapeStyle> {
        (self.edge != self.fill).then(|| self.edge.stroke_width(1))
    }
}

/// A box of `hue` over the pixels from `(x0, y0)` up to, not including,
/// `(x1, y1)`, as plotters fills a rectangle with these corners, outlined
/// on its own outermost pixels where the hue needs it (plotters outlines
/// a rectangle one pixel beyond its fill on the right and at the foot: an
/// outlined bar was a pixel wider than the others, over the axis).
pub fn hue_box<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    [(x0, y0), (x1, y1)]: [(i32, i32); 2],
    hue: Hue,
) -> DrawResult<DB> {
    root.draw(&Rectangle::new([(x0, y0), (x1, y1)], hue.fill.filled()))?;
    match hue.outline() {
        Some(style) if x1 - 1 > x0 && y1 - 1 > y0 => {
            root.draw(&Rectangle::new([(x0, y0), (x1 - 1, y1 - 1)], style))
        }
        _ => Ok(()),
    }
}

/// A key as [`super::swatch`] draws it, in a round's or scale's [`Hue`],
/// outlined where it needs it.
pub fn hue_swatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    hue: Hue,
    text: &str,
) -> DrawResult<DB> {
    hue_box(root, [(x, y), (x + 16, y + 12)], hue)?;
    root.draw(&Text::new(text.to_string(), (x + 22, y - 1), font(15.0)))
}
