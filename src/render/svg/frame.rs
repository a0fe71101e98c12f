//! What every chart shares: the `<svg>` element and its title, the plot
//! rectangle, value and month axes, and marker labels.
//!
//! Layout runs top to bottom in fixed bands so nothing can land on the
//! data: the title, the legend rows, the marker label rows, then the plot,
//! then the tick labels and the axis title below it. The plot's left edge
//! is [`LEFT`] unless a tick label needs more, so charts stacked in a
//! report line up.

use super::WIDTH;
use super::axis::{self, MonthTick, Ticks};
use super::style::{AXIS, GRID};
use super::text::{FONT, SMALL, TITLE, escape, num, text_at, width};
use super::{Marker, MonthAxis};

/// The plot's usual left edge: room for the rotated axis title and tick
/// labels like `−$125.5M`.
pub(crate) const LEFT: f64 = 92.0;
/// The plot's right edge.
pub(crate) const RIGHT: f64 = WIDTH as f64 - 18.0;
/// Below the plot: tick labels and the axis title.
pub(crate) const BELOW: f64 = 46.0;
/// The first legend row's baseline.
pub(crate) const LEGEND_TOP: f64 = 42.0;
/// The height of one row of marker labels.
pub(crate) const MARKER_ROW: f64 = 15.0;

/// A white halo behind text that may sit on lines (leading space included).
pub(crate) const HALO: &str =
    " stroke=\"#FFFFFF\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"";

/// The opening of a chart: the `<svg>` element, its `<title>`, a white
/// background and the visible title; `defs` (patterns, clip paths) as given.
pub(crate) fn open(id: &str, title: &str, height: u32, defs: &str) -> String {
    let mut size = TITLE;
    while size > 10.0 && width(title, size) * 0.95 > WIDTH as f64 - 32.0 {
        size -= 1.0;
    }
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"100%\" role=\"img\" aria-labelledby=\"{id}-title\" font-family=\"{}\" font-size=\"{}\" fill=\"{AXIS}\">",
        escape(FONT),
        num(SMALL)
    );
    out.push_str(&format!(
        "<title id=\"{id}-title\">{}</title>",
        escape(title)
    ));
    if !defs.is_empty() {
        out.push_str(&format!("<defs>{defs}</defs>"));
    }
    out.push_str(&format!(
        "<rect width=\"{WIDTH}\" height=\"{height}\" fill=\"#FFFFFF\"/>"
    ));
    out.push_str(&text_at(
        16.0,
        22.0,
        &format!(
            " font-size=\"{}\" font-weight=\"600\" fill=\"#000000\"",
            num(size)
        ),
        title,
    ));
    out
}

/// The plot rectangle, in user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Plot {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Plot {
    pub(crate) fn width(&self) -> f64 {
        self.right - self.left
    }

    pub(crate) fn height(&self) -> f64 {
        self.bottom - self.top
    }

    /// The y of `value` on the vertical axis `ticks`.
    pub(crate) fn y(&self, ticks: &Ticks, value: f64) -> f64 {
        self.bottom - ticks.fraction(value) * self.height()
    }

    /// The x of `value` on the horizontal value axis `ticks`.
    pub(crate) fn x(&self, ticks: &Ticks, value: f64) -> f64 {
        self.left + ticks.fraction(value) * self.width()
    }

    /// The x of month `i` on `axis`.
    pub(crate) fn month(&self, axis: MonthAxis, i: f64) -> f64 {
        self.left + axis::month_x(axis, i, self.width())
    }

    /// A `<clipPath>` with id `{id}-clip` around the plot.
    pub(crate) fn clip(&self, id: &str) -> String {
        format!(
            "<clipPath id=\"{id}-clip\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>",
            num(self.left),
            num(self.top),
            num(self.width()),
            num(self.height())
        )
    }
}

/// The left edge needed for vertical tick labels of `ticks`.
pub(crate) fn left_for(ticks: &Ticks) -> f64 {
    LEFT.max(28.0 + ticks.label_width() + 10.0)
}

/// The vertical value axis: gridlines, the zero line (darker) when zero is
/// on the axis, tick marks, labels and the rotated axis `title`.
pub(crate) fn y_axis(plot: &Plot, ticks: &Ticks, title: &str) -> String {
    let mut grid = String::new();
    let mut marks = String::new();
    let mut labels = String::new();
    for (value, label) in ticks.values.iter().zip(&ticks.labels) {
        let y = plot.y(ticks, *value);
        grid.push_str(&format!(
            "M{} {}H{}",
            num(plot.left),
            num(y),
            num(plot.right)
        ));
        marks.push_str(&format!(
            "M{} {}H{}",
            num(plot.left - 5.0),
            num(y),
            num(plot.left)
        ));
        labels.push_str(&text_at(plot.left - 8.0, y + 4.0, "", label));
    }
    let mut out = format!(
        "<path d=\"{grid}\" stroke=\"{GRID}\" stroke-width=\"1\"/>\
         <path d=\"{marks}\" stroke=\"{AXIS}\" stroke-width=\"1\"/>\
         <g text-anchor=\"end\">{labels}</g>"
    );
    if ticks.lo < 0.0 && ticks.hi > 0.0 {
        out.push_str(&format!(
            "<path d=\"M{} {}H{}\" stroke=\"#000000\" stroke-width=\"1.5\"/>",
            num(plot.left),
            num(plot.y(ticks, 0.0)),
            num(plot.right)
        ));
    }
    out.push_str(&format!(
        "<path d=\"M{} {}V{}\" stroke=\"{AXIS}\" stroke-width=\"1\"/>",
        num(plot.left),
        num(plot.top),
        num(plot.bottom)
    ));
    out.push_str(&axis_title_left(plot, title));
    out
}

/// The rotated title of a vertical axis.
pub(crate) fn axis_title_left(plot: &Plot, title: &str) -> String {
    format!(
        "<text transform=\"translate(18 {}) rotate(-90)\" text-anchor=\"middle\" font-size=\"{}\">{}</text>",
        num((plot.top + plot.bottom) / 2.0),
        num(title_size(title, plot.height() + 30.0)),
        escape(title)
    )
}

/// The font size of an axis title: 12, smaller (down to 9) when the title
/// would be longer than `room`.
fn title_size(title: &str, room: f64) -> f64 {
    let mut size = 12.0;
    while size > 9.0 && width(title, size) * 0.9 > room {
        size -= 0.5;
    }
    size
}

/// The title of a horizontal axis, centred under the plot.
pub(crate) fn axis_title_below(plot: &Plot, title: &str) -> String {
    text_at(
        (plot.left + plot.right) / 2.0,
        plot.bottom + 37.0,
        &format!(
            " text-anchor=\"middle\" font-size=\"{}\"",
            num(title_size(title, plot.width()))
        ),
        title,
    )
}

/// Horizontal tick labels centred at their x, kept inside the chart.
fn labels_below(plot: &Plot, ticks: &[(f64, String)]) -> String {
    let mut labels = String::new();
    for (x, label) in ticks {
        let half = width(label, SMALL) / 2.0;
        let cx = x.clamp(half + 2.0, WIDTH as f64 - half - 2.0);
        labels.push_str(&text_at(cx, plot.bottom + 17.0, "", label));
    }
    format!("<g text-anchor=\"middle\">{labels}</g>")
}

/// Vertical gridlines and tick marks at `xs`, and the bottom axis line.
fn x_grid(plot: &Plot, xs: &[f64]) -> String {
    let mut grid = String::new();
    let mut marks = String::new();
    for x in xs {
        grid.push_str(&format!(
            "M{} {}V{}",
            num(*x),
            num(plot.top),
            num(plot.bottom)
        ));
        marks.push_str(&format!(
            "M{} {}V{}",
            num(*x),
            num(plot.bottom),
            num(plot.bottom + 5.0)
        ));
    }
    let mut out = String::new();
    if !grid.is_empty() {
        out.push_str(&format!(
            "<path d=\"{grid}\" stroke=\"{GRID}\" stroke-width=\"1\"/><path d=\"{marks}\" stroke=\"{AXIS}\" stroke-width=\"1\"/>"
        ));
    }
    out.push_str(&format!(
        "<path d=\"M{} {}H{}\" stroke=\"{AXIS}\" stroke-width=\"1\"/>",
        num(plot.left),
        num(plot.bottom),
        num(plot.right)
    ));
    out
}

/// The month axis under the plot: gridlines and labels at the ticks of
/// [`axis::month_ticks`], and its title naming the first and last month.
pub(crate) fn month_axis(plot: &Plot, axis: MonthAxis) -> String {
    let ticks: Vec<MonthTick> = axis::month_ticks(axis, plot.width());
    let xs: Vec<f64> = ticks
        .iter()
        .map(|t| plot.month(axis, t.index as f64))
        .collect();
    let labelled: Vec<(f64, String)> = xs
        .iter()
        .copied()
        .zip(ticks.into_iter().map(|t| t.label))
        .collect();
    let mut out = x_grid(plot, &xs);
    out.push_str(&labels_below(plot, &labelled));
    out.push_str(&axis_title_below(plot, &axis::month_title(axis)));
    out
}

/// A horizontal value axis under the plot, with the zero line (darker)
/// when zero is inside it.
pub(crate) fn value_x_axis(plot: &Plot, ticks: &Ticks, title: &str) -> String {
    let xs: Vec<f64> = ticks.values.iter().map(|v| plot.x(ticks, *v)).collect();
    let labelled: Vec<(f64, String)> = xs
        .iter()
        .copied()
        .zip(ticks.labels.iter().cloned())
        .collect();
    let mut out = x_grid(plot, &xs);
    out.push_str(&labels_below(plot, &labelled));
    out.push_str(&axis_title_below(plot, title));
    out
}

/// A label placed in a row of marker labels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Placed {
    /// 0: the row nearest the plot.
    pub row: usize,
    /// The label's centre after clamping inside the chart.
    pub centre: f64,
}

/// Gap between labels in one row.
const LABEL_GAP: f64 = 6.0;
/// The most rows of marker labels; a label that fits in none is left out
/// (its line is still drawn) rather than drawn over another.
pub(crate) const MARKER_ROWS: usize = 3;

/// Places labels of widths `widths` centred at `xs` into rows so that no
/// two in a row overlap: left to right (ties in input order), each into
/// the first row where it starts [`LABEL_GAP`] after the row's last label
/// ends, centres clamped so every label stays between `lo` and `hi` (the
/// plot's left edge and the chart's right edge: a label never reaches
/// over the value axis' tick labels, which sit left of the plot).
pub(crate) fn stagger(xs: &[f64], widths: &[f64], lo: f64, hi: f64) -> Vec<Option<Placed>> {
    let mut order: Vec<usize> = (0..xs.len().min(widths.len())).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]).then(a.cmp(&b)));
    let mut ends: Vec<f64> = Vec::new();
    let mut placed = vec![None; xs.len()];
    for i in order {
        let half = widths[i] / 2.0;
        let centre = xs[i].clamp(lo + half, (hi - half).max(lo + half));
        let start = centre - half;
        let row = ends.iter().position(|end| start >= end + LABEL_GAP);
        let row = match row {
            Some(r) => r,
            None if ends.len() < MARKER_ROWS => {
                ends.push(f64::NEG_INFINITY);
                ends.len() - 1
            }
            None => continue,
        };
        ends[row] = centre + half;
        placed[i] = Some(Placed { row, centre });
    }
    placed
}

/// How many label rows `markers` need on a plot.
pub(crate) fn marker_rows(plot: &Plot, axis: MonthAxis, markers: &[Marker]) -> usize {
    let placed = place_markers(plot, axis, markers);
    placed
        .iter()
        .flatten()
        .map(|p| p.row + 1)
        .max()
        .unwrap_or(0)
}

fn place_markers(plot: &Plot, axis: MonthAxis, markers: &[Marker]) -> Vec<Option<Placed>> {
    let shown: Vec<&Marker> = shown(axis, markers);
    let xs: Vec<f64> = shown
        .iter()
        .map(|m| plot.month(axis, m.month as f64))
        .collect();
    let widths: Vec<f64> = shown.iter().map(|m| width(&m.label, SMALL)).collect();
    stagger(&xs, &widths, plot.left, WIDTH as f64 - 2.0)
}

/// The markers inside the axis that have a label.
fn shown(axis: MonthAxis, markers: &[Marker]) -> Vec<&Marker> {
    markers
        .iter()
        .filter(|m| m.month < axis.months && !m.label.is_empty())
        .collect()
}

/// The markers: a thin dashed line from its label down through the plot,
/// labels in rows above the plot (row 0 just above it); markers without a
/// label are a line across the plot alone.
pub(crate) fn markers(plot: &Plot, axis: MonthAxis, markers: &[Marker]) -> String {
    let labelled: Vec<&Marker> = shown(axis, markers);
    let placed = place_markers(plot, axis, markers);
    let mut lines = String::new();
    let mut labels = String::new();
    for marker in markers
        .iter()
        .filter(|m| m.month < axis.months && m.label.is_empty())
    {
        let x = plot.month(axis, marker.month as f64);
        lines.push_str(&format!(
            "M{} {}V{}",
            num(x),
            num(plot.top),
            num(plot.bottom)
        ));
    }
    for (marker, place) in labelled.iter().zip(placed) {
        let x = plot.month(axis, marker.month as f64);
        let top = match place {
            Some(p) => {
                let baseline = plot.top - 5.0 - p.row as f64 * MARKER_ROW;
                labels.push_str(&text_at(p.centre, baseline, HALO, &marker.label));
                baseline + 3.0
            }
            None => plot.top,
        };
        lines.push_str(&format!("M{} {}V{}", num(x), num(top), num(plot.bottom)));
    }
    if lines.is_empty() {
        return String::new();
    }
    format!(
        "<path d=\"{lines}\" stroke=\"#555555\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>\
         <g text-anchor=\"middle\" fill=\"#000000\">{labels}</g>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_axis_titles_shrink() {
        // 20 characters at 12: 20 × 0.62 × 12 × 0.9 = 133.9 ≤ 200: 12.
        assert_eq!(title_size(&"x".repeat(20), 200.0), 12.0);
        // 40 characters need 267.8 at 12; at 11: 245.5, at 10.5: 234.4 ≤ 240.
        assert_eq!(title_size(&"x".repeat(40), 240.0), 10.5);
        assert_eq!(title_size(&"x".repeat(400), 240.0), 9.0);
    }

    #[test]
    fn nearby_marker_labels_take_rows() {
        // Three labels 60 wide at 300, 320, 340 overlap pairwise: rows 0, 1, 2.
        // One at 400 starts at 370 ≥ 330 + 6 (end of the first): row 0 again.
        // One at 10 is clamped to centre 32 (half 30 + 2) and is first in
        // left-to-right order: row 0.
        let placed = stagger(&[300.0, 320.0, 340.0, 400.0, 10.0], &[60.0; 5], 2.0, 718.0);
        let rows: Vec<Option<usize>> = placed.iter().map(|p| p.map(|p| p.row)).collect();
        assert_eq!(rows, [Some(0), Some(1), Some(2), Some(0), Some(0)]);
        assert_eq!(placed[4].map(|p| p.centre), Some(32.0));
        // A fourth overlapping label finds no row: left out, never overlapped.
        let placed = stagger(&[300.0, 301.0, 302.0, 303.0], &[60.0; 4], 2.0, 718.0);
        assert_eq!(placed[3], None);
        // Clamped at the right edge: centre 720 − 30 − 2.
        let placed = stagger(&[719.0], &[60.0], 2.0, 718.0);
        assert_eq!(placed[0].map(|p| p.centre), Some(688.0));
        // A label at the plot's left edge (92) stays right of it: centre
        // 92 + 30, so it never covers the tick labels left of the plot.
        let placed = stagger(&[92.0], &[60.0], 92.0, 718.0);
        assert_eq!(placed[0].map(|p| p.centre), Some(122.0));
    }
}
