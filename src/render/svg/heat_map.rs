//! The winner map of a sweep.
//!
//! Cells: mining wins in solid vermillion, AI wins in blue with white
//! hatching, ties dotted light grey, points that could not be computed
//! white with a grey cross, so each kind reads without colour. Row values
//! rise upward (the first row at the bottom), like a chart's y axis.
//!
//! The flip line is drawn where the caller says the winner flips
//! ([`HeatMap::flips`], positions in grid steps, interpolated between grid
//! values as `sweep` states the flip), not along cell edges: cells sit at
//! evenly spaced grid values, so a flip between two of them is somewhere
//! inside the neighbouring cells, and a line on the edge between them
//! would put it at the midpoint whatever the figures say. With two axes
//! the `k`-th flips of neighbouring rows are joined through the rows'
//! centres when the rows have as many flips; a row with a different
//! number (or none) breaks the line. Each piece reaches half a row past
//! its first and last row, so a strip's flip is a mark across the strip.
//! The line is black on a white casing, so it reads on both fills.
//!
//! The caller's own point ([`HeatMap::mark`], e.g. the file's values) is a
//! ring with its label on a white halo.
//!
//! A one-axis sweep (`columns: None`) is drawn as a single strip of cells
//! along the x axis, the swept values left to right under it, as the
//! values of a horizontal axis read; the strip is lower
//! ([`HEAT_STRIP_HEIGHT`]) since one row needs no height.
//!
//! Labels are thinned (every k-th column or row, k the smallest that
//! leaves room for the widest label), never rotated, so they stay level
//! and cannot overlap; a grid of 50 × 50 labels every few cells.

use super::frame::{self, BELOW, HALO, LEFT, LEGEND_TOP, Plot, RIGHT};
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

fn at(grid: &[Vec<Cell>], row: usize, column: usize) -> Cell {
    grid.get(row)
        .and_then(|r| r.get(column))
        .copied()
        .unwrap_or(Cell::Missing)
}

/// The pieces of the flip line, in grid steps (x along the horizontal
/// axis, y along the rows, cell centres at whole numbers), by the rule of
/// the module's documentation: `flips[r]` are row `r`'s flip positions,
/// `rows` the number of rows drawn.
pub(crate) fn flip_pieces(flips: &[Vec<f64>], rows: usize) -> Vec<Vec<(f64, f64)>> {
    let row = |r: usize| -> Vec<f64> {
        let mut v: Vec<f64> = flips
            .get(r)
            .map(|v| v.iter().copied().filter(|x| x.is_finite()).collect())
            .unwrap_or_default();
        v.sort_by(f64::total_cmp);
        v
    };
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut open: Vec<Vec<(f64, f64)>> = Vec::new();
    let close = |open: &mut Vec<Vec<(f64, f64)>>, pieces: &mut Vec<Vec<(f64, f64)>>| {
        for mut piece in open.drain(..) {
            // Half a row past the last row's centre.
            if let Some(&(x, y)) = piece.last() {
                piece.push((x, y + 0.5));
            }
            pieces.push(piece);
        }
    };
    for r in 0..rows {
        let here = row(r);
        if here.len() != open.len() {
            close(&mut open, &mut pieces);
            open = here
                .iter()
                .map(|&x| vec![(x, r as f64 - 0.5), (x, r as f64)])
                .collect();
        } else {
            for (piece, &x) in open.iter_mut().zip(&here) {
                piece.push((x, r as f64));
            }
        }
    }
    close(&mut open, &mut pieces);
    pieces
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
    let pieces = flip_pieces(&chart.flips, rows);
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
    if !pieces.is_empty() {
        entries.push(Entry {
            swatch: Swatch::Thick,
            label: "Flip line (interpolated between grid points)".to_string(),
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
    // The flip line, on a white casing.
    let px = |x: f64| plot.left + (x + 0.5) * cell_w;
    let py = |y: f64| plot.bottom - (y + 0.5) * cell_h;
    let mut d = String::new();
    for piece in &pieces {
        for (k, (x, y)) in piece.iter().enumerate() {
            d.push(if k == 0 { 'M' } else { 'L' });
            d.push_str(&format!(
                "{} {}",
                num(px(*x).clamp(plot.left, plot.right)),
                num(py(*y).clamp(plot.top, plot.bottom))
            ));
        }
    }
    if !d.is_empty() {
        out.push_str(&format!(
            "<path d=\"{d}\" fill=\"none\" stroke=\"#FFFFFF\" stroke-width=\"6.5\" stroke-linejoin=\"round\"/>\
             <path d=\"{d}\" fill=\"none\" stroke=\"#000000\" stroke-width=\"3.5\" stroke-linejoin=\"round\" class=\"flip\"/>"
        ));
    }
    if let Some(mark) = chart.mark.as_ref().filter(|m| {
        m.x.is_finite()
            && m.y.is_finite()
            && (-0.5..=columns as f64 - 0.5).contains(&m.x)
            && (-0.5..=rows as f64 - 0.5).contains(&m.y)
    }) {
        let (x, y) = (px(mark.x), py(mark.y));
        let w = width(&mark.label, SMALL);
        let (lx, anchor) = if x + 11.0 + w <= plot.right {
            (x + 11.0, "start")
        } else {
            (x - 11.0, "end")
        };
        out.push_str(&format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"7\" fill=\"none\" stroke=\"#FFFFFF\" stroke-width=\"5\"/>\
             <circle cx=\"{}\" cy=\"{}\" r=\"7\" fill=\"none\" stroke=\"#000000\" stroke-width=\"2\" class=\"mark\"/>{}",
            num(x),
            num(y),
            num(x),
            num(y),
            text_at(
                lx,
                y + 4.0,
                &format!(" text-anchor=\"{anchor}\" font-weight=\"600\" fill=\"#000000\"{HALO}"),
                &mark.label
            )
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
    use crate::render::svg::{GridAxis, GridPoint, heat_map};
    use Cell::{Ai, Mine, Missing, Tie};

    #[test]
    fn flips_of_neighbouring_rows_join_when_their_counts_match() {
        // Row 0 and 1 one flip each: one piece from half a row below row
        // 0 to half a row above row 1. Row 2 none: a break. Rows 3 and 4
        // two flips each: two pieces, the first flips joined and the
        // second flips joined.
        let flips = vec![vec![1.5], vec![1.7], vec![], vec![2.4, 0.2], vec![0.3, 2.2]];
        assert_eq!(
            flip_pieces(&flips, 5),
            [
                vec![(1.5, -0.5), (1.5, 0.0), (1.7, 1.0), (1.7, 1.5)],
                vec![(0.2, 2.5), (0.2, 3.0), (0.3, 4.0), (0.3, 4.5)],
                vec![(2.4, 2.5), (2.4, 3.0), (2.2, 4.0), (2.2, 4.5)],
            ]
        );
        // One flip, then two: the single flip's piece ends, two begin.
        assert_eq!(flip_pieces(&[vec![1.0], vec![0.5, 1.5]], 2).len(), 3);
        assert!(flip_pieces(&[], 3).is_empty());
    }

    fn axis(title: &str, n: usize, prefix: &str) -> GridAxis {
        GridAxis {
            title: title.into(),
            labels: (0..n).map(|i| format!("{prefix}{i}")).collect(),
        }
    }

    /// The d of the drawn flip line.
    fn flip_d(svg: &str) -> String {
        svg.split("<path d=\"")
            .find(|p| p.contains("class=\"flip\""))
            .and_then(|p| p.split('"').next())
            .unwrap_or_default()
            .to_string()
    }

    #[test]
    fn a_strip_draws_its_flip_at_the_interpolated_value() {
        // Grid 0, 50,000, …, 200,000 (five cells); mining wins below the
        // flip, AI above; the flip at 86,203.45 is 36,203.45 / 50,000 =
        // 0.724069 of the way from the second value to the third: 1.724069
        // grid steps. The strip's plot runs from 92 to 702 (610 wide, no
        // row labels), cells 122 wide, cell k centred at 92 + (k + 0.5) ×
        // 122, so the flip is at 92 + 2.224069 × 122 = 363.34 → "363.3",
        // inside the third cell (336 … 458), not on its edge at 336.
        let strip = HeatMap {
            id: "strip".into(),
            title: "Winner by BTC price".into(),
            rows: axis("BTC price in month 0 (USD)", 5, "$"),
            columns: None,
            cells: vec![vec![Mine], vec![Mine], vec![Ai], vec![Ai], vec![Ai]],
            flips: vec![vec![1.724069]],
            mark: Some(GridPoint {
                x: 1.9,
                y: 0.0,
                label: "this file".into(),
            }),
        };
        let svg = heat_map(&strip);
        well_formed(&svg);
        assert!(svg.contains("viewBox=\"0 0 720 190\""));
        let d = flip_d(&svg);
        assert!(d.starts_with("M363.3 144L363.3 "), "{d}");
        assert_eq!(d.matches("363.3").count(), 3, "{d}");
        // The file's own point: 92 + 2.4 × 122 = 384.8, ringed and labelled.
        assert!(svg.contains("<circle cx=\"384.8\""), "{svg}");
        assert!(svg.contains(">this file</text>"));
        assert!(svg.contains("Flip line (interpolated between grid points)"));
    }

    #[test]
    fn a_two_axis_map_joins_its_rows_flips() {
        let chart = HeatMap {
            id: "sweep".into(),
            title: "Winner by hashprice & power price".into(),
            rows: axis("power price, USD/MWh", 3, "$"),
            columns: Some(axis("hashprice, USD/PH/day", 3, "$")),
            cells: vec![
                vec![Mine, Mine, Missing],
                vec![Mine, Ai, Ai],
                vec![Ai, Ai, Tie],
            ],
            flips: vec![vec![1.5], vec![0.5], vec![]],
            mark: None,
        };
        let svg = heat_map(&chart);
        well_formed(&svg);
        // One piece: rows 0 and 1 (row 2 has none): M, then three L.
        let d = flip_d(&svg);
        assert_eq!(d.matches('M').count(), 1, "{d}");
        assert_eq!(d.matches('L').count(), 3, "{d}");
        assert!(svg.contains("Winner by hashprice &amp; power price"));
        assert!(svg.contains(">Not computed</text>") && svg.contains(">Tie</text>"));
        // A mark outside the grid is not drawn.
        let outside = HeatMap {
            mark: Some(GridPoint {
                x: 7.0,
                y: 0.0,
                label: "this file".into(),
            }),
            ..chart
        };
        assert!(!heat_map(&outside).contains("this file"));
    }

    #[test]
    fn a_big_grid_thins_its_labels() {
        let n = 50;
        let big = HeatMap {
            id: "big".into(),
            title: "50 × 50".into(),
            rows: axis("rows", n, "row "),
            columns: Some(axis("columns", n, "$1,000.")),
            cells: (0..n)
                .map(|r| (0..n).map(|c| if r + c < n { Mine } else { Ai }).collect())
                .collect(),
            flips: (0..n).map(|r| vec![(n - r) as f64 - 1.5]).collect(),
            mark: None,
        };
        let svg = heat_map(&big);
        well_formed(&svg);
        // Column labels "$1,000.k" are 8–9 chars, ~61 units: cells are
        // 12.2 wide, so every 6th label (room 69): columns 0, 6, …, 48 = 9.
        assert_eq!(svg.matches(">$1,000.").count(), 9);
        assert!(svg.contains(">$1,000.0<") && svg.contains(">$1,000.48<"));
        // Fifty rows with one flip each: one piece of 50 + 2 points.
        let d = flip_d(&svg);
        assert_eq!(d.matches('M').count(), 1);
        assert_eq!(d.matches('L').count(), 51);
    }

    #[test]
    fn an_empty_map_is_a_message() {
        let svg = heat_map(&HeatMap {
            id: "e".into(),
            title: "t".into(),
            rows: axis("r", 0, ""),
            columns: None,
            cells: vec![],
            flips: vec![],
            mark: None,
        });
        well_formed(&svg);
        assert!(svg.contains("No grid points to show"));
    }
}
