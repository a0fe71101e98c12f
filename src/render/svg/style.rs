//! Looks: the palette, dash patterns, fill textures and the legend.
//!
//! Colour alone never tells two things apart: a CFO may print in grayscale
//! and one reader in twelve does not see red and green apart. So every
//! series has an Okabe–Ito colour (a palette designed to stay distinct
//! under the common colour-vision deficiencies) *and* a second cue: mining
//! is a solid line or a solid fill, AI a dashed line or a hatched fill, a
//! reference dotted, a neutral main series (hashprice) solid dark grey and
//! thinner; ties are dotted grey, missing points white with a cross.

use super::text::{SMALL, escape, num, text_at, width};
use super::{Ink, Marker};

/// Okabe–Ito vermillion.
pub(crate) const MINE: &str = "#D55E00";
/// Okabe–Ito blue.
pub(crate) const AI: &str = "#0072B2";
/// Okabe–Ito black.
pub(crate) const REFERENCE: &str = "#000000";
/// A neutral main series: dark grey, apart from the black of a reference
/// and the axes' grey.
pub(crate) const NEUTRAL: &str = "#404040";
/// Axis lines, tick marks and labels.
pub(crate) const AXIS: &str = "#333333";
/// Gridlines.
pub(crate) const GRID: &str = "#E3E3E3";
/// Series line width.
pub(crate) const LINE_WIDTH: f64 = 2.25;
/// A neutral series' line width: thinner than a strategy's.
pub(crate) const NEUTRAL_WIDTH: f64 = 2.0;
/// A thin companion series' line width.
pub(crate) const THIN_WIDTH: f64 = 1.25;

/// The width a series in `ink` is drawn with.
pub(crate) fn line_width(ink: Ink) -> f64 {
    match ink {
        Ink::Neutral => NEUTRAL_WIDTH,
        Ink::Mine | Ink::Ai | Ink::Reference => LINE_WIDTH,
    }
}

pub(crate) fn colour(ink: Ink) -> &'static str {
    match ink {
        Ink::Mine => MINE,
        Ink::Ai => AI,
        Ink::Reference => REFERENCE,
        Ink::Neutral => NEUTRAL,
    }
}

/// The stroke attributes of a thin companion line in `ink`: its own dash
/// (mining dash-dot, AI dotted, others short dashes), apart from every
/// main line's (leading space included).
pub(crate) fn thin_stroke(ink: Ink) -> String {
    let dash = match ink {
        Ink::Mine => "7 2.5 1.5 2.5",
        Ink::Ai => "1.5 2.5",
        Ink::Reference | Ink::Neutral => "4 2",
    };
    format!(
        " fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" stroke-linejoin=\"round\" stroke-dasharray=\"{dash}\"",
        colour(ink),
        num(THIN_WIDTH)
    )
}

/// The stroke attributes of a line in `ink` (leading space included).
pub(crate) fn stroke(ink: Ink, line_width: f64) -> String {
    let dash = match ink {
        Ink::Mine | Ink::Neutral => "",
        Ink::Ai => " stroke-dasharray=\"9 4\"",
        Ink::Reference => " stroke-dasharray=\"2 3\"",
    };
    format!(
        " fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" stroke-linejoin=\"round\"{dash}",
        colour(ink),
        num(line_width)
    )
}

/// The `<pattern>` definitions of the textured fills, ids prefixed with
/// `id`: `{id}-hatch` (AI: white diagonal stripes on blue) and `{id}-dots`
/// (ties: dark dots on light grey).
pub(crate) fn patterns(id: &str) -> String {
    format!(
        "<pattern id=\"{id}-hatch\" patternUnits=\"userSpaceOnUse\" width=\"7\" height=\"7\" \
         patternTransform=\"rotate(45)\"><rect width=\"7\" height=\"7\" fill=\"{AI}\"/>\
         <rect width=\"2.5\" height=\"7\" fill=\"#FFFFFF\"/></pattern>\
         <pattern id=\"{id}-dots\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\">\
         <rect width=\"6\" height=\"6\" fill=\"#D9D9D9\"/><circle cx=\"3\" cy=\"3\" r=\"1.1\" \
         fill=\"#555555\"/></pattern>"
    )
}

/// What a legend entry shows before its text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Swatch {
    /// A short line in an ink's colour and dash.
    Line(Ink),
    /// A short thin companion line ([`thin_stroke`]).
    Thin(Ink),
    /// A marker's thin grey dashed line, upright.
    Marker,
    /// No swatch: the entry is text only (e.g. a ramp's heading).
    Text,
    /// A thick black line (the heat map's flip line).
    Thick,
    /// A filled box: fill, fill opacity, and whether to draw a cross.
    Fill(String, f64, bool),
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub swatch: Swatch,
    pub label: String,
}

/// The legend entry of a chart's markers (`label`, the chart's
/// `marker_legend`), when it names them and has any to draw.
pub(crate) fn marker_entry(label: Option<&str>, markers: &[Marker]) -> Option<Entry> {
    label.filter(|_| !markers.is_empty()).map(|label| Entry {
        swatch: Swatch::Marker,
        label: label.to_string(),
    })
}

const SWATCH: f64 = 26.0;
const ROW: f64 = 17.0;

/// The room before an entry's text.
fn swatch_room(entry: &Entry) -> f64 {
    match entry.swatch {
        Swatch::Text => 0.0,
        Swatch::Marker => 12.0,
        _ => SWATCH + 6.0,
    }
}

/// The width an entry takes in a legend row, gap after it included.
fn entry_width(entry: &Entry) -> f64 {
    swatch_room(entry) + width(&entry.label, SMALL) + 18.0
}

/// The legend laid out in rows from `left` to `right`, first text baseline
/// at `top`: the SVG, and the y just below its last row.
pub(crate) fn legend(entries: &[Entry], left: f64, right: f64, top: f64) -> (String, f64) {
    let mut out = String::new();
    let (mut x, mut y) = (left, top);
    for (k, entry) in entries.iter().enumerate() {
        let w = entry_width(entry);
        // A text entry heads the fills after it (a ramp): they wrap as one.
        let group = match entry.swatch {
            Swatch::Text => {
                w + entries[k + 1..]
                    .iter()
                    .take_while(|e| matches!(e.swatch, Swatch::Fill(..)))
                    .map(entry_width)
                    .sum::<f64>()
            }
            _ => w,
        };
        if x > left && x + group - 18.0 > right {
            x = left;
            y += ROW;
        }
        let mid = y - 4.0;
        match &entry.swatch {
            Swatch::Line(ink) => out.push_str(&format!(
                "<path d=\"M{} {}H{}\"{}/>",
                num(x),
                num(mid),
                num(x + SWATCH),
                stroke(*ink, line_width(*ink))
            )),
            Swatch::Thin(ink) => out.push_str(&format!(
                "<path d=\"M{} {}H{}\"{}/>",
                num(x),
                num(mid),
                num(x + SWATCH),
                thin_stroke(*ink)
            )),
            Swatch::Marker => out.push_str(&format!(
                "<path d=\"M{} {}V{}\" stroke=\"#555555\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>",
                num(x + 4.0),
                num(mid - 8.0),
                num(mid + 6.0)
            )),
            Swatch::Text => {}
            Swatch::Thick => out.push_str(&format!(
                "<path d=\"M{} {}H{}\" stroke=\"#000000\" stroke-width=\"3.5\"/>",
                num(x),
                num(mid),
                num(x + SWATCH)
            )),
            Swatch::Fill(fill, opacity, cross) => {
                let (x0, y0, x1, y1) = (x + 3.0, mid - 6.0, x + SWATCH - 3.0, mid + 6.0);
                out.push_str(&format!(
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"12\" fill=\"{}\" fill-opacity=\"{}\" stroke=\"{AXIS}\" stroke-width=\"0.75\"/>",
                    num(x0),
                    num(y0),
                    num(x1 - x0),
                    escape(fill),
                    opacity_text(*opacity)
                ));
                if *cross {
                    out.push_str(&cross_path(x0, y0, x1, y1));
                }
            }
        }
        out.push_str(&text_at(x + swatch_room(entry), y, "", &entry.label));
        x += w;
    }
    (out, y + 6.0)
}

/// An opacity with two decimals.
pub(crate) fn opacity_text(opacity: f64) -> String {
    let o = if opacity.is_finite() {
        opacity.clamp(0.0, 1.0)
    } else {
        1.0
    };
    format!("{o:.2}")
}

/// The grey cross of a missing cell, corner to corner of the box.
pub(crate) fn cross_path(x0: f64, y0: f64, x1: f64, y1: f64) -> String {
    format!(
        "<path d=\"M{} {}L{} {}M{} {}L{} {}\" stroke=\"#888888\" stroke-width=\"1\"/>",
        num(x0),
        num(y0),
        num(x1),
        num(y1),
        num(x0),
        num(y1),
        num(x1),
        num(y0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_ink_has_its_own_dash() {
        assert!(!stroke(Ink::Mine, 2.0).contains("dasharray"));
        assert!(stroke(Ink::Ai, 2.0).contains("stroke-dasharray=\"9 4\""));
        assert!(stroke(Ink::Reference, 2.0).contains("stroke-dasharray=\"2 3\""));
        // Neutral: solid, dark grey, 2 wide; a strategy's 2.25 is written
        // with one decimal, half to even: 2.2.
        let neutral = stroke(Ink::Neutral, line_width(Ink::Neutral));
        assert!(!neutral.contains("dasharray"));
        assert!(
            neutral.contains("stroke=\"#404040\" stroke-width=\"2\""),
            "{neutral}"
        );
        assert!(stroke(Ink::Mine, line_width(Ink::Mine)).contains("stroke-width=\"2.2\""));
    }

    #[test]
    fn a_long_legend_wraps() {
        let entry = |label: &str| Entry {
            swatch: Swatch::Line(Ink::Mine),
            label: label.to_string(),
        };
        // Each entry: 26 + 6 + 30 × 6.82 + 18 = 254.6 wide; two fit in 16 … 704.
        let long = "x".repeat(30);
        let (_, bottom) = legend(
            &[entry(&long), entry(&long), entry(&long)],
            16.0,
            704.0,
            40.0,
        );
        assert_eq!(bottom, 40.0 + 17.0 + 6.0);
        let (_, bottom) = legend(&[entry("a")], 16.0, 704.0, 40.0);
        assert_eq!(bottom, 46.0);
    }
}
