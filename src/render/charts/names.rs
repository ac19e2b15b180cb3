//! The key of area names under the category charts (rounds, distribution,
//! sub-questions): their axes say "Område 3", the key what area 3 is
//! ("3 Politisk styrning och kontroll"), so that a chart read on its own,
//! without the report beside it, names what it shows.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{DrawResult, fitted, font};

/// Rows of names at most: eight areas in two columns.
const ROWS: usize = 4;

/// Pixels from one row of names to the next.
const ROW: i32 = 19;

/// The height the key takes under the axis labels, in pixels: every chart
/// with a key is this much taller than it was without one.
pub const HEIGHT: i32 = ROWS as i32 * ROW + 10;

/// Draws `names` in columns from the top left `(x, y)` over `width`
/// pixels, read down the columns (1–4, then 5–8), each name cut with "…"
/// where it does not fit its column.
pub fn area_key<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    width: u32,
    names: &[String],
) -> DrawResult<DB> {
    let columns = names.len().div_ceil(ROWS).max(2);
    let rows = names.len().div_ceil(columns);
    let column = width / columns as u32;
    for (i, name) in names.iter().enumerate() {
        let (c, r) = (i / rows.max(1), i % rows.max(1));
        let (text, size) = fitted(root, name, 14.0, 12.0, column.saturating_sub(12))?;
        let at = (x + c as i32 * column as i32, y + r as i32 * ROW);
        root.draw(&Text::new(text, at, font(size)))?;
    }
    Ok(())
}
