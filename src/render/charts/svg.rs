//! An SVG chart as plotters wrote it, finished: its title and description
//! first, its fonts' fallbacks, the characters XML does not allow
//! replaced, and its straight lines and boxes drawn on whole pixels.

use super::FONT;
use crate::render::report::attribute;

/// The SVG plotters wrote (`svg`) as kompass writes it: with `title` and
/// `desc` ([`with_title`]), fonts to fall back to, only characters XML
/// allows, and crisp straight edges ([`crisp`]).
pub fn finished(svg: &str, title: &str, desc: &str) -> String {
    let text = crisp(&with_fallback_fonts(&with_title(svg, title, desc)));
    xml_chars(&text).into_owned()
}

/// `svg` with its rectangles, and its lines and polylines of horizontal
/// and vertical segments (axes, grid, error bars, outlines), drawn on
/// whole pixels (`shape-rendering="crispEdges"`), as the PNG draws them:
/// a browser drew a one-pixel line at a whole coordinate half on each of
/// two pixels, lightened, the 3.42:1 bluish green of an error bar 2.0:1
/// at 100 %. Slanted lines, circles and text keep their smoothing.
fn crisp(svg: &str) -> String {
    const CRISP: &str = " shape-rendering=\"crispEdges\"";
    let mut out = String::with_capacity(svg.len() + svg.len() / 8);
    let mut rest = svg;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        let name_end = tag.find([' ', '/', '>']).unwrap_or(tag.len());
        let name = &tag[1..name_end];
        let straight = match name {
            "rect" => true,
            "polyline" => attribute(tag, "points").is_some_and(axis_aligned),
            "line" => {
                let at = |a: &str| attribute(tag, a);
                (at("x1").is_some() && at("x1") == at("x2"))
                    || (at("y1").is_some() && at("y1") == at("y2"))
            }
            _ => false,
        };
        out.push_str(&tag[..name_end]);
        if straight && attribute(tag, "shape-rendering").is_none() {
            out.push_str(CRISP);
        }
        out.push_str(&tag[name_end..]);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Whether the points of a polyline (`x,y x,y ...`) run only
/// horizontally and vertically.
fn axis_aligned(points: &str) -> bool {
    let points: Vec<Option<(&str, &str)>> = points
        .split_whitespace()
        .map(|p| p.split_once(','))
        .collect();
    points.windows(2).all(|w| match (w[0], w[1]) {
        (Some((x0, y0)), Some((x1, y1))) => x0 == x1 || y0 == y1,
        _ => false,
    })
}

/// `svg` with every character XML does not allow in text (control
/// characters but tab and line ends, U+007F–U+009F too, U+FFFE, U+FFFF: a
/// name with `\x01` in an input cell) replaced by U+FFFD, so that the
/// file stays well-formed XML, and without the controls that turn the
/// direction of text (in a name or in an instrument file's texts), as in
/// the pages.
pub(super) fn xml_chars(svg: &str) -> std::borrow::Cow<'_, str> {
    use crate::render::text::{is_direction_control, is_not_markup_text};
    if !svg.contains(|c| is_not_markup_text(c) || is_direction_control(c)) {
        return svg.into();
    }
    (svg.chars())
        .filter(|&c| !is_direction_control(c))
        .map(|c| match is_not_markup_text(c) {
            true => '\u{FFFD}',
            false => c,
        })
        .collect::<String>()
        .into()
}

/// The SVG's text in DejaVu Sans where the viewer has it, else in Verdana
/// (a wide sans-serif as DejaVu is), else in the viewer's sans-serif, as
/// the pages' style falls back: an SVG names its
/// font and does not carry it (every text fell back to a monospace font
/// where DejaVu was missing: charts audit, 2026-12-02).
fn with_fallback_fonts(svg: &str) -> String {
    let only = format!("font-family=\"{FONT}\"");
    svg.replace(
        &only,
        &format!("font-family=\"{FONT}, Verdana, sans-serif\""),
    )
}

/// The SVG with `<title>` and `<desc>` as the first children of `<svg>`
/// (what screen readers and file browsers show).
fn with_title(svg: &str, title: &str, desc: &str) -> String {
    let esc = crate::render::report::esc;
    let head = svg.find('>').map_or(0, |i| i + 1);
    format!(
        "{}\n<title>{}</title>\n<desc>{}</desc>{}",
        &svg[..head],
        esc(title),
        esc(desc),
        &svg[head..]
    )
}
