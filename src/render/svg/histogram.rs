//! The histogram of a site's NPV advantage over the risk paths.
//!
//! Bars on the "AI ahead" side (advantage > 0) are blue and hatched,
//! the others ("mining ahead or tied") vermillion and solid, each outlined,
//! so the two sides differ in colour *and* texture. A black vertical line
//! marks zero (no advantage), labelled above the plot. The top band of the
//! plot is kept free of bars (the value axis ends below it) and holds the
//! `note`, so the note can never cover a bar. The note goes to the
//! plot's right corner, or its left when the zero line would cross it
//! there; when the zero line would cross it on both sides, the line
//! stops below the note's band (it is labelled above the plot anyway).
//! The note is drawn on a white halo.
//! With no bars (or none with a finite, non-empty interval) the chart is
//! a message instead of a plot.

use super::axis::{self, Ticks};
use super::frame::{self, BELOW, HALO, LEFT, LEGEND_TOP, Plot, RIGHT};
use super::style::{self, AXIS, Entry, MINE, Swatch};
use super::text::{SMALL, id_prefix, num, text_at, width};
use super::{Bar, Histogram, Unit, WIDTH};

/// The height of a histogram, in user units (70 mm at 186 mm wide).
pub const HISTOGRAM_HEIGHT: u32 = 270;

/// The band at the top of the plot kept for the note.
const NOTE_BAND: f64 = 22.0;
/// The row above the plot for the zero line's label.
const ZERO_ROW: f64 = 16.0;

pub(crate) fn render(chart: &Histogram) -> String {
    let id = id_prefix(&chart.id);
    let bars: Vec<Bar> = chart
        .bars
        .iter()
        .copied()
        .filter(|b| b.lo.is_finite() && b.hi.is_finite() && b.hi > b.lo)
        .collect();
    let height = HISTOGRAM_HEIGHT as f64;
    if bars.is_empty() {
        let mut out = frame::open(&id, &chart.title, HISTOGRAM_HEIGHT, "");
        out.push_str(&text_at(
            WIDTH as f64 / 2.0,
            height / 2.0,
            " text-anchor=\"middle\" font-size=\"13\"",
            "No paths to show",
        ));
        if !chart.note.is_empty() {
            out.push_str(&text_at(
                WIDTH as f64 / 2.0,
                height / 2.0 + 20.0,
                " text-anchor=\"middle\"",
                &chart.note,
            ));
        }
        out.push_str("</svg>");
        return out;
    }
    let entries = [
        Entry {
            swatch: Swatch::Fill(format!("url(#{id}-hatch)"), 1.0, false),
            label: "AI ahead (advantage > 0)".to_string(),
        },
        Entry {
            swatch: Swatch::Fill(MINE.to_string(), 1.0, false),
            label: "Mining ahead or tied".to_string(),
        },
    ];
    let (legend, legend_bottom) = style::legend(&entries, 16.0, RIGHT, LEGEND_TOP);
    let (lo, hi) =
        axis::data_range(bars.iter().flat_map(|b| [b.lo, b.hi]).chain([0.0])).unwrap_or((0.0, 1.0));
    let most = bars.iter().map(|b| b.count).max().unwrap_or(0) as f64;
    let top = legend_bottom + 8.0 + ZERO_ROW;
    let bottom = height - BELOW;
    let counts = axis::vertical(
        0.0,
        most.max(1.0),
        Unit::Plain,
        bottom - top - NOTE_BAND,
        true,
    );
    let left = frame::left_for(&counts).max(LEFT);
    let plot = Plot {
        left,
        top,
        right: RIGHT,
        bottom,
    };
    let xs = axis::horizontal(lo, hi, chart.x.unit, plot.width());
    // The data area: the plot less the note band.
    let data = Plot {
        top: top + NOTE_BAND,
        ..plot
    };
    let mut out = frame::open(&id, &chart.title, HISTOGRAM_HEIGHT, &style::patterns(&id));
    out.push_str(&frame::y_axis(&data, &counts, "Paths"));
    out.push_str(&format!(
        "<path d=\"M{} {}V{}\" stroke=\"{AXIS}\" stroke-width=\"1\"/>",
        num(plot.left),
        num(plot.top),
        num(data.top)
    ));
    out.push_str(&frame::value_x_axis(&plot, &xs, &chart.x.title));
    out.push_str(&bars_svg(&data, &xs, &counts, &bars, &id));
    let zero = (xs.lo <= 0.0 && xs.hi >= 0.0).then(|| plot.x(&xs, 0.0));
    let note = (!chart.note.is_empty()).then(|| note_place(&plot, zero, width(&chart.note, SMALL)));
    let line_top = match note {
        Some(NotePlace { clear: false, .. }) => data.top,
        _ => plot.top - 2.0,
    };
    out.push_str(&zero_line(&plot, &xs, line_top));
    if let Some(place) = note {
        out.push_str(&text_at(
            place.x,
            plot.top + 15.0,
            &format!(
                " text-anchor=\"{}\" font-weight=\"600\" fill=\"#000000\"{HALO}",
                place.anchor
            ),
            &chart.note,
        ));
    }
    out.push_str(&legend);
    out.push_str("</svg>");
    out
}

fn bars_svg(data: &Plot, xs: &Ticks, counts: &Ticks, bars: &[Bar], id: &str) -> String {
    let mut out = String::new();
    for bar in bars {
        let x0 = data.x(xs, bar.lo);
        let x1 = data.x(xs, bar.hi);
        let y = data.y(counts, bar.count as f64);
        let fill = if bar.above_zero {
            format!("url(#{id}-hatch)")
        } else {
            MINE.to_string()
        };
        out.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" stroke=\"{AXIS}\" stroke-width=\"0.75\"/>",
            num(x0),
            num(y),
            num((x1 - x0).max(0.5)),
            num(data.bottom - y)
        ));
    }
    out
}

/// Where the note goes in its band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct NotePlace {
    pub x: f64,
    pub anchor: &'static str,
    /// Whether the zero line (at its x) stays clear of the note.
    pub clear: bool,
}

/// The note's place for a note `w` wide and the zero line at `zero`: the
/// right corner, else the left, when the line misses it there (by 6
/// units); else the right corner with the line stopped below the band.
pub(crate) fn note_place(plot: &Plot, zero: Option<f64>, w: f64) -> NotePlace {
    let right = (plot.right - 6.0).max(plot.left + 6.0 + w);
    let left = plot.left + 6.0;
    let misses = |x0: f64, x1: f64| zero.is_none_or(|z| z < x0 - 6.0 || z > x1 + 6.0);
    if misses(right - w, right) {
        NotePlace {
            x: right,
            anchor: "end",
            clear: true,
        }
    } else if misses(left, left + w) {
        NotePlace {
            x: left,
            anchor: "start",
            clear: true,
        }
    } else {
        NotePlace {
            x: right,
            anchor: "end",
            clear: false,
        }
    }
}

/// The zero line from `top` down through the plot, labelled in the row
/// above the plot.
fn zero_line(plot: &Plot, xs: &Ticks, top: f64) -> String {
    if !(xs.lo <= 0.0 && xs.hi >= 0.0) {
        return String::new();
    }
    let x = plot.x(xs, 0.0);
    let label = "no advantage";
    let half = width(label, SMALL) / 2.0;
    let cx = x.clamp(half + 2.0, WIDTH as f64 - half - 2.0);
    format!(
        "<path d=\"M{} {}V{}\" stroke=\"#000000\" stroke-width=\"1.75\"/>{}",
        num(x),
        num(top),
        num(plot.bottom),
        text_at(
            cx,
            plot.top - 6.0,
            " text-anchor=\"middle\" fill=\"#000000\"",
            label
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::svg::tests::well_formed;
    use crate::render::svg::{ValueAxis, histogram};

    pub(crate) fn sample(bars: Vec<Bar>) -> Histogram {
        Histogram {
            id: "site-1-adv".into(),
            title: "NPV advantage of converting, 2,000 paths".into(),
            x: ValueAxis {
                title: "NPV of AI minus NPV of mining, USD".into(),
                unit: Unit::Usd,
            },
            bars,
            note: "P(AI beats mining) = 62.3 % \u{b1} 0.5 %".into(),
        }
    }

    fn bars() -> Vec<Bar> {
        (-4..8)
            .map(|i| Bar {
                lo: i as f64 * 2.5e6,
                hi: (i + 1) as f64 * 2.5e6,
                count: (60 - i * i) as usize * 4,
                above_zero: i >= 0,
            })
            .collect()
    }

    #[test]
    fn both_sides_differ_in_fill() {
        let svg = histogram(&sample(bars()));
        well_formed(&svg);
        // 8 bars above zero (i = 0 … 7) hatched and 4 below solid, plus
        // one legend swatch each.
        assert_eq!(
            svg.matches("fill=\"url(#site-1-adv-hatch)\"").count(),
            8 + 1
        );
        assert_eq!(svg.matches("fill=\"#D55E00\"").count(), 4 + 1);
        assert!(svg.contains(">no advantage</text>"));
        assert!(svg.contains("P(AI beats mining) = 62.3 % \u{b1} 0.5 %"));
        assert!(svg.contains(">Paths</text>"));
        assert!(svg.contains("<pattern id=\"site-1-adv-hatch\""));
    }

    #[test]
    fn one_bar_and_no_bar() {
        let one = histogram(&sample(vec![Bar {
            lo: 1e6,
            hi: 2e6,
            count: 2000,
            above_zero: true,
        }]));
        well_formed(&one);
        assert!(one.contains(">2,000<") || one.contains(">2,500<"), "{one}");
        for bars in [
            vec![],
            vec![Bar {
                lo: f64::NAN,
                hi: 1.0,
                count: 3,
                above_zero: true,
            }],
        ] {
            let none = histogram(&sample(bars));
            well_formed(&none);
            assert!(none.contains(">No paths to show</text>"));
            assert!(!none.contains("<rect x="));
        }
    }
}
