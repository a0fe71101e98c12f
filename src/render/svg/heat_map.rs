//! The winner map of a sweep.
//!
//! Cells: mining wins in solid vermillion, AI wins in blue with white
//! hatching, ties dotted light grey, points that could not be computed
//! white with a grey cross, so each kind reads without colour. Row values
//! rise upward (the first row at the bottom), like a chart's y axis.
//!
//! The flip line: a thick black segment along every edge shared by two
//! cells whose winners differ, where both are known (Mine, Ai or Tie).
//! An edge next to a Missing cell gets no line: nothing is known about
//! where the winner changes there, and a line would claim a flip that
//! may not exist.
//!
//! A one-axis sweep (`columns: None`) is drawn as a single strip of cells
//! along the x axis, the swept values left to right under it, as the
//! values of a horizontal axis read; the strip is lower
//! ([`HEAT_STRIP_HEIGHT`]) since one row needs no height.
//!
//! Labels are thinned (every k-th column or row, k the smallest that
//! leaves room for the widest label), never rotated, so they stay level
//! and cannot overlap; a grid of 50 × 50 labels every few cells.

use super::frame::{self, BELOW, LEFT, LEGEND_TOP, Plot, RIGHT};
use super::style::{self, AXIS, Entry, MINE, Swatch, cross_path};
use super::text::{SMALL, id_prefix, num, text_at, width};
use super::{Cell, HeatMap, WIDTH};

/// The height of a two-axis winner map (93 mm at 186 mm wide).
pub const HEAT_MAP_HEIGHT: u32 = 360;
/// The height of a one-axis strip.
pub const HEAT_STRIP_HEIGHT: u32 = 190;

/// The height [`super::heat_map`] draws `chart` at.
pub fn heat_map_height(chart: &HeatMap) -> u32 {
    if chart.columns.is_some() {
        HEAT_MAP_HEIGHT
    } else {
        HEAT_STRIP_HEIGHT
    }
}

/// An edge between two cells of `grid[row][column]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edge {
    /// Between (row, column) and (row, column + 1).
    Right { row: usize, column: usize },
    /// Between (row, column) and (row + 1, column).
    Above { row: usize, column: usize },
}

fn at(grid: &[Vec<Cell>], row: usize, column: usize) -> Cell {
    grid.get(row)
        .and_then(|r| r.get(column))
        .copied()
        .unwrap_or(Cell::Missing)
}

/// The edges of the flip line of `grid` (`columns` wide): between two
/// known cells (not Missing) with different winners; row by row, each
/// row's right edges then its upper edges.
pub(crate) fn flip_edges(grid: &[Vec<Cell>], columns: usize) -> Vec<Edge> {
    let differ = |a: Cell, b: Cell| a != b && a != Cell::Missing && b != Cell::Missing;
    let mut edges = Vec::new();
    for row in 0..grid.len() {
        for column in 0..columns {
            if column + 1 < columns && differ(at(grid, row, column), at(grid, row, column + 1)) {
                edges.push(Edge::Right { row, column });
            }
        }
        for column in 0..columns {
            if row + 1 < grid.len() && differ(at(grid, row, column), at(grid, row + 1, column)) {
                edges.push(Edge::Above { row, column });
            }
        }
    }
    edges
}

/// The grid as drawn: rows bottom to top, labels along x and (two axes) y.
struct Layout<'a> {
    grid: Vec<Vec<Cell>>,
    columns: usize,
    x_labels: &'a [String],
    x_title: &'a str,
    y: Option<(&'a [String], &'a str)>,
}

fn layout(chart: &HeatMap) -> Layout<'_> {
    match &chart.columns {
        Some(columns) => {
            let width = chart
                .cells
                .iter()
                .map(Vec::len)
                .max()
                .unwrap_or(0)
                .max(columns.labels.len());
            let rows = chart.cells.len().max(chart.rows.labels.len());
            Layout {
                grid: (0..rows)
                    .map(|r| (0..width).map(|c| at(&chart.cells, r, c)).collect())
                    .collect(),
                columns: width,
                x_labels: &columns.labels,
                x_title: &columns.title,
                y: Some((&chart.rows.labels, &chart.rows.title)),
            }
        }
        None => {
            let n = chart.cells.len().max(chart.rows.labels.len());
            Layout {
                grid: vec![(0..n).map(|r| at(&chart.cells, r, 0)).collect()],
                columns: n,
                x_labels: &chart.rows.labels,
                x_title: &chart.rows.title,
                y: None,
            }
        }
    }
}

pub(crate) fn render(chart: &HeatMap) -> String {
    let id = id_prefix(&chart.id);
    let height = heat_map_height(chart);
    let grid = layout(chart);
    let rows = grid.grid.len();
    let columns = grid.columns;
    if rows == 0 || columns == 0 {
        let mut out = frame::open(&id, &chart.title, height, "");
        out.push_str(&text_at(
            WIDTH as f64 / 2.0,
            height as f64 / 2.0,
            " text-anchor=\"middle\" font-size=\"13\"",
            "No grid points to show",
        ));
        out.push_str("</svg>");
        return out;
    }
    let edges = flip_edges(&grid.grid, columns);
    let present = |kind: Cell| grid.grid.iter().flatten().any(|c| *c == kind);
    let mut entries = vec![
        Entry {
            swatch: Swatch::Fill(MINE.to_string(), 1.0, false),
            label: "Mining wins".to_string(),
        },
        Entry {
            swatch: Swatch::Fill(format!("url(#{id}-hatch)"), 1.0, false),
            label: "AI wins".to_string(),
        },
    ];
    if present(Cell::Tie) {
        entries.push(Entry {
            swatch: Swatch::Fill(format!("url(#{id}-dots)"), 1.0, false),
            label: "Tie".to_string(),
        });
    }
    if present(Cell::Missing) {
        entries.push(Entry {
            swatch: Swatch::Fill("#FFFFFF".to_string(), 1.0, true),
            label: "Not computed".to_string(),
        });
    }
    if !edges.is_empty() {
        entries.push(Entry {
            swatch: Swatch::Thick,
            label: "Flip line (winner changes)".to_string(),
        });
    }
    let (legend, legend_bottom) = style::legend(&entries, 16.0, RIGHT, LEGEND_TOP);
    let y_label_width = grid
        .y
        .map(|(labels, _)| labels.iter().map(|l| width(l, SMALL)).fold(0.0, f64::max))
        .unwrap_or(0.0);
    let plot = Plot {
        left: LEFT
            .max(28.0 + y_label_width + 10.0)
            .min(WIDTH as f64 / 2.0),
        top: legend_bottom + 10.0,
        right: RIGHT,
        bottom: height as f64 - BELOW,
    };
    let cell_w = plot.width() / columns as f64;
    let cell_h = plot.height() / rows as f64;
    let x_of = |c: usize| plot.left + c as f64 * cell_w;
    let y_of = |r: usize| plot.bottom - r as f64 * cell_h;

    let mut out = frame::open(&id, &chart.title, height, &style::patterns(&id));
    // Cells: runs of one known kind in a row as one rect; missing cells one
    // by one. Each rect but the last row's and column's reaches 0.6 units
    // into its upper and right neighbour (drawn later, on top): abutting
    // anti-aliased edges would show hairline seams (crisp edges do too,
    // where rounding leaves a pixel row uncovered).
    for (r, row) in grid.grid.iter().enumerate() {
        let mut c = 0;
        while c < columns {
            let kind = row[c];
            let mut end = c + 1;
            while kind != Cell::Missing && end < columns && row[end] == kind {
                end += 1;
            }
            let (x0, x1, y0, y1) = (x_of(c), x_of(end), y_of(r + 1), y_of(r));
            let overlap_x = if end < columns { 0.6 } else { 0.0 };
            let overlap_y = if r + 1 < rows { 0.6 } else { 0.0 };
            let fill = match kind {
                Cell::Mine => MINE.to_string(),
                Cell::Ai => format!("url(#{id}-hatch)"),
                Cell::Tie => format!("url(#{id}-dots)"),
                Cell::Missing => "#FFFFFF".to_string(),
            };
            out.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"/>",
                num(x0),
                num(y0 - overlap_y),
                num(x1 - x0 + overlap_x),
                num(y1 - y0 + overlap_y)
            ));
            if kind == Cell::Missing {
                let inset = (cell_w.min(cell_h) * 0.2).min(6.0);
                out.push_str(&cross_path(x0 + inset, y0 + inset, x1 - inset, y1 - inset));
            }
            c = end;
        }
    }
    out.push_str(&format!(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{AXIS}\" stroke-width=\"1\"/>",
        num(plot.left),
        num(plot.top),
        num(plot.width()),
        num(plot.height())
    ));
    // The flip line.
    let mut d = String::new();
    for edge in &edges {
        match *edge {
            Edge::Right { row, column } => d.push_str(&format!(
                "M{} {}V{}",
                num(x_of(column + 1)),
                num(y_of(row)),
                num(y_of(row + 1))
            )),
            Edge::Above { row, column } => d.push_str(&format!(
                "M{} {}H{}",
                num(x_of(column)),
                num(y_of(row + 1)),
                num(x_of(column + 1))
            )),
        }
    }
    if !d.is_empty() {
        out.push_str(&format!(
            "<path d=\"{d}\" fill=\"none\" stroke=\"#000000\" stroke-width=\"3.5\" stroke-linecap=\"square\"/>"
        ));
    }
    // Column labels, thinned.
    let widest = grid
        .x_labels
        .iter()
        .map(|l| width(l, SMALL))
        .fold(0.0, f64::max);
    let every = thinning(cell_w, widest + 8.0);
    let mut labels = String::new();
    let mut marks = String::new();
    for (c, label) in grid
        .x_labels
        .iter()
        .enumerate()
        .take(columns)
        .step_by(every)
    {
        let x = x_of(c) + cell_w / 2.0;
        let half = width(label, SMALL) / 2.0;
        marks.push_str(&format!(
            "M{} {}V{}",
            num(x),
            num(plot.bottom),
            num(plot.bottom + 4.0)
        ));
        labels.push_str(&text_at(
            x.clamp(half + 2.0, WIDTH as f64 - half - 2.0),
            plot.bottom + 17.0,
            "",
            label,
        ));
    }
    out.push_str(&format!("<g text-anchor=\"middle\">{labels}</g>"));
    out.push_str(&frame::axis_title_below(&plot, grid.x_title));
    // Row labels, thinned.
    if let Some((y_labels, y_title)) = grid.y {
        let every = thinning(cell_h, 1.6 * SMALL);
        let mut labels = String::new();
        for (r, label) in y_labels.iter().enumerate().take(rows).step_by(every) {
            let y = y_of(r) - cell_h / 2.0;
            marks.push_str(&format!(
                "M{} {}H{}",
                num(plot.left - 4.0),
                num(y),
                num(plot.left)
            ));
            labels.push_str(&text_at(plot.left - 7.0, y + 4.0, "", label));
        }
        out.push_str(&format!("<g text-anchor=\"end\">{labels}</g>"));
        out.push_str(&frame::axis_title_left(&plot, y_title));
    }
    out.push_str(&format!(
        "<path d=\"{marks}\" stroke=\"{AXIS}\" stroke-width=\"1\"/>"
    ));
    out.push_str(&legend);
    out.push_str("</svg>");
    out
}

/// Every how many cells of size `cell` a label needs `room`.
fn thinning(cell: f64, room: f64) -> usize {
    if cell <= 0.0 || !cell.is_finite() {
        return 1;
    }
    ((room / cell).ceil() as usize).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::svg::tests::well_formed;
    use crate::render::svg::{GridAxis, heat_map};
    use Cell::{Ai, Mine, Missing, Tie};

    #[test]
    fn flip_edges_of_a_hand_built_grid() {
        // Row 0 is the bottom row.
        //   row 2:  Ai    Ai    Ai
        //   row 1:  Mine  Ai    Ai
        //   row 0:  Mine  Mine  Missing
        // Right edges: row 0: Mine|Mine no, Mine|Missing no (missing);
        // row 1: Mine|Ai yes, Ai|Ai no; row 2: none. → 1.
        // Above edges: col 0: Mine/Mine no, Mine/Ai yes; col 1: Mine/Ai
        // yes, Ai/Ai no; col 2: Missing/Ai no, Ai/Ai no. → 2.
        let grid = vec![
            vec![Mine, Mine, Missing],
            vec![Mine, Ai, Ai],
            vec![Ai, Ai, Ai],
        ];
        let edges = flip_edges(&grid, 3);
        assert_eq!(
            edges,
            [
                Edge::Above { row: 0, column: 1 },
                Edge::Right { row: 1, column: 0 },
                Edge::Above { row: 1, column: 0 },
            ]
        );
        // A tie differs from both winners.
        assert_eq!(flip_edges(&[vec![Mine, Tie, Ai]], 3).len(), 2);
    }

    fn axis(title: &str, n: usize, prefix: &str) -> GridAxis {
        GridAxis {
            title: title.into(),
            labels: (0..n).map(|i| format!("{prefix}{i}")).collect(),
        }
    }

    #[test]
    fn the_drawn_flip_line_has_one_segment_per_edge() {
        let chart = HeatMap {
            id: "sweep".into(),
            title: "Winner by hashprice & power price".into(),
            rows: axis("power price, USD/MWh", 3, "$"),
            columns: Some(axis("hashprice, USD/PH/day", 3, "$")),
            cells: vec![
                vec![Mine, Mine, Missing],
                vec![Mine, Ai, Ai],
                vec![Ai, Ai, Ai],
            ],
        };
        let svg = heat_map(&chart);
        well_formed(&svg);
        let flip = svg
            .split("<path d=\"")
            .find(|p| p.contains("stroke-width=\"3.5\" stroke-linecap"))
            .unwrap_or_default();
        let d = flip.split('"').next().unwrap_or_default();
        assert_eq!(d.matches('M').count(), 3, "{d}");
        assert!(svg.contains("Winner by hashprice &amp; power price"));
        assert!(svg.contains(">Not computed</text>") && !svg.contains(">Tie</text>"));
    }

    #[test]
    fn a_strip_and_a_big_grid() {
        let strip = HeatMap {
            id: "strip".into(),
            title: "Winner by hashprice".into(),
            rows: axis("hashprice, USD/PH/day", 7, "$4"),
            columns: None,
            cells: vec![
                vec![Mine],
                vec![Mine],
                vec![Tie],
                vec![Ai],
                vec![Ai],
                vec![],
                vec![Ai],
            ],
        };
        let svg = heat_map(&strip);
        well_formed(&svg);
        assert!(svg.contains("viewBox=\"0 0 720 190\""));
        // Mine|Mine, Mine|Tie ✓, Tie|Ai ✓, Ai|Ai, Ai|Missing, Missing|Ai: 2 segments.
        let d = svg
            .split("<path d=\"")
            .find(|p| p.contains("stroke-width=\"3.5\" stroke-linecap"))
            .and_then(|p| p.split('"').next())
            .unwrap_or_default();
        assert_eq!(d.matches('M').count(), 2);

        let n = 50;
        let big = HeatMap {
            id: "big".into(),
            title: "50 × 50".into(),
            rows: axis("rows", n, "row "),
            columns: Some(axis("columns", n, "$1,000.")),
            cells: (0..n)
                .map(|r| (0..n).map(|c| if r + c < n { Mine } else { Ai }).collect())
                .collect(),
        };
        let svg = heat_map(&big);
        well_formed(&svg);
        // Column labels "$1,000.k" are 8–9 chars, ~61 units: cells are
        // 12.2 wide, so every 6th label (room 69): columns 0, 6, …, 48 = 9.
        assert_eq!(svg.matches(">$1,000.").count(), 9);
        assert!(svg.contains(">$1,000.0<") && svg.contains(">$1,000.48<"));
    }

    #[test]
    fn an_empty_map_is_a_message() {
        let svg = heat_map(&HeatMap {
            id: "e".into(),
            title: "t".into(),
            rows: axis("r", 0, ""),
            columns: None,
            cells: vec![],
        });
        well_formed(&svg);
        assert!(svg.contains("No grid points to show"));
    }
}
