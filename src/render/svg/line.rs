//! The line chart: series over months, with markers, highlighted points,
//! reference levels and shaded months.
//!
//! Drawing order is back to front: shading, grid and axes, reference
//! levels, series (clipped to the plot), markers, points; the legend sits
//! in its own band above the plot, so it can never cover data. Shading is
//! one grey rectangle per month, one month wide and centred on the month,
//! darker with `strength` (opacity 0.12 + 0.5 × strength); neighbouring
//! months are merged into one rectangle only when their strengths are
//! equal, so the merge never changes what is drawn.

use super::axis::{self, Ticks};
use super::frame::{self, BELOW, HALO, LEFT, LEGEND_TOP, MARKER_ROW, Plot, RIGHT};
use super::style::{self, Entry, Swatch};
use super::text::{SMALL, id_prefix, num, text_at, width};
use super::{Ink, LineChart, MonthAxis, Series, Shade};

/// The height of a line chart, in user units (93 mm at 186 mm wide).
pub const LINE_HEIGHT: u32 = 340;

/// The fill of shaded months.
const SHADE: &str = "#666666";

pub(crate) fn render(chart: &LineChart) -> String {
    let id = id_prefix(&chart.id);
    let months = chart.x.months;
    let mut entries: Vec<Entry> = chart
        .series
        .iter()
        .map(|s| Entry {
            swatch: Swatch::Line(s.ink),
            label: s.name.clone(),
        })
        .collect();
    entries.extend(chart.levels.iter().map(|l| Entry {
        swatch: Swatch::Line(Ink::Reference),
        label: l.label.clone(),
    }));
    if !chart.shades.is_empty() {
        entries.push(Entry {
            swatch: Swatch::Fill(SHADE.to_string(), 0.4, false),
            label: chart
                .shade_legend
                .clone()
                .unwrap_or_else(|| "Shaded months".to_string()),
        });
    }
    let (legend, legend_bottom) = style::legend(&entries, 16.0, RIGHT, LEGEND_TOP);

    let values = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().take(months).flatten().copied())
        .chain(chart.levels.iter().map(|l| l.value))
        .chain(
            chart
                .points
                .iter()
                .filter(|p| p.month < months)
                .map(|p| p.value),
        );
    let (lo, hi) = axis::data_range(values).unwrap_or((0.0, 1.0));
    let (plot, ticks) = layout(
        LINE_HEIGHT,
        legend_bottom,
        lo,
        hi,
        chart.y.unit,
        chart.x,
        &chart.markers,
    );

    let mut out = frame::open(&id, &chart.title, LINE_HEIGHT, &plot.clip(&id));
    out.push_str(&shades(&plot, chart.x, &chart.shades));
    out.push_str(&frame::y_axis(&plot, &ticks, &chart.y.title));
    out.push_str(&frame::month_axis(&plot, chart.x));
    out.push_str(&format!("<g clip-path=\"url(#{id}-clip)\">"));
    for level in chart.levels.iter().filter(|l| l.value.is_finite()) {
        let y = plot.y(&ticks, level.value);
        out.push_str(&format!(
            "<path d=\"M{} {}H{}\"{}/>",
            num(plot.left),
            num(y),
            num(plot.right),
            style::stroke(Ink::Reference, 2.0)
        ));
    }
    for series in &chart.series {
        out.push_str(&series_path(&plot, &ticks, chart.x, series));
    }
    out.push_str("</g>");
    out.push_str(&frame::markers(&plot, chart.x, &chart.markers));
    for point in chart
        .points
        .iter()
        .filter(|p| p.month < months && p.value.is_finite())
    {
        out.push_str(&ring(
            &plot,
            plot.month(chart.x, point.month as f64),
            plot.y(&ticks, point.value),
            &point.label,
        ));
    }
    out.push_str(&legend);
    out.push_str("</svg>");
    out
}

/// The plot and its value ticks for a chart `height` tall whose legend
/// ends at `legend_bottom`: the left edge widens for long tick labels and
/// the top moves down for marker label rows, until both fit.
pub(crate) fn layout(
    height: u32,
    legend_bottom: f64,
    lo: f64,
    hi: f64,
    unit: super::Unit,
    x: MonthAxis,
    markers: &[super::Marker],
) -> (Plot, Ticks) {
    let mut left = LEFT;
    let mut rows = 0usize;
    let mut result = None;
    for _ in 0..6 {
        let top = legend_bottom + 10.0 + rows as f64 * MARKER_ROW;
        let plot = Plot {
            left,
            top,
            right: RIGHT,
            bottom: height as f64 - BELOW,
        };
        let ticks = axis::vertical(lo, hi, unit, plot.height(), false);
        let need_left = frame::left_for(&ticks);
        let need_rows = frame::marker_rows(&plot, x, markers);
        let settled = need_left <= left && need_rows <= rows;
        left = left.max(need_left);
        rows = rows.max(need_rows);
        result = Some((plot, ticks));
        if settled {
            break;
        }
    }
    let fallback = || {
        let plot = Plot {
            left,
            top: legend_bottom + 10.0,
            right: RIGHT,
            bottom: height as f64 - BELOW,
        };
        let ticks = axis::vertical(lo, hi, unit, plot.height(), false);
        (plot, ticks)
    };
    result.unwrap_or_else(fallback)
}

/// A series as one `<path>`: `M` starts a run, `L` continues it; a `None`
/// or non-finite value ends the run. A run of one point is a dot.
pub(crate) fn series_path(plot: &Plot, ticks: &Ticks, x: MonthAxis, series: &Series) -> String {
    let values: Vec<Option<f64>> = series.values.iter().take(x.months).copied().collect();
    line_path(
        plot,
        ticks,
        x,
        &values,
        series.ink,
        style::line_width(series.ink),
    )
}

/// A line through `values` in `ink`, as [`series_path`] describes.
pub(crate) fn line_path(
    plot: &Plot,
    ticks: &Ticks,
    x: MonthAxis,
    values: &[Option<f64>],
    ink: Ink,
    line_width: f64,
) -> String {
    let mut d = String::new();
    let mut dots = String::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    let flush = |run: &mut Vec<(f64, f64)>, d: &mut String, dots: &mut String| {
        if run.len() == 1 {
            dots.push_str(&format!(
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"/>",
                num(run[0].0),
                num(run[0].1),
                num(line_width),
                style::colour(ink)
            ));
        } else {
            for (k, (px, py)) in run.iter().enumerate() {
                d.push(if k == 0 { 'M' } else { 'L' });
                d.push_str(&format!("{} {}", num(*px), num(*py)));
            }
        }
        run.clear();
    };
    for (i, value) in values.iter().enumerate() {
        match value {
            Some(v) if v.is_finite() => run.push((plot.month(x, i as f64), plot.y(ticks, *v))),
            _ => flush(&mut run, &mut d, &mut dots),
        }
    }
    flush(&mut run, &mut d, &mut dots);
    let mut out = String::new();
    if !d.is_empty() {
        out.push_str(&format!(
            "<path d=\"{d}\"{}/>",
            style::stroke(ink, line_width)
        ));
    }
    out.push_str(&dots);
    out
}

/// The shaded months: grey rectangles behind everything, merged across
/// neighbouring months of equal strength.
fn shades(plot: &Plot, x: MonthAxis, shades: &[Shade]) -> String {
    let mut kept: Vec<(usize, f64)> = shades
        .iter()
        .filter(|s| s.month < x.months && s.strength.is_finite() && s.strength > 0.0)
        .map(|s| (s.month, s.strength.min(1.0)))
        .collect();
    kept.sort_by_key(|k| k.0);
    let mut runs: Vec<(usize, usize, f64)> = Vec::new();
    for (month, strength) in kept {
        match runs.last_mut() {
            Some(run) if run.1 + 1 == month && run.2 == strength => run.1 = month,
            _ => runs.push((month, month, strength)),
        }
    }
    let mut out = String::new();
    for (first, last, strength) in runs {
        let (x0, x1) = if x.months <= 1 {
            (plot.left, plot.right)
        } else {
            (
                plot.month(x, first as f64 - 0.5).max(plot.left),
                plot.month(x, last as f64 + 0.5).min(plot.right),
            )
        };
        out.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{SHADE}\" fill-opacity=\"{}\"/>",
            num(x0),
            num(plot.top),
            num(x1 - x0),
            num(plot.height()),
            style::opacity_text(0.12 + 0.5 * strength)
        ));
    }
    out
}

/// A highlighted point: a ring, and its label beside it (right, or left
/// near the right edge; above, or below near the top), inside the plot.
fn ring(plot: &Plot, x: f64, y: f64, label: &str) -> String {
    let w = width(label, SMALL);
    let (lx, anchor) = if x + 9.0 + w <= plot.right {
        (x + 9.0, "start")
    } else {
        ((x - 9.0).max(plot.left + w), "end")
    };
    let ly = if y - 9.0 - SMALL >= plot.top {
        y - 9.0
    } else {
        (y + 9.0 + SMALL).min(plot.bottom - 3.0)
    };
    format!(
        "<circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"none\" stroke=\"#000000\" stroke-width=\"2\"/>{}",
        num(x),
        num(y),
        text_at(
            lx,
            ly,
            &format!(" text-anchor=\"{anchor}\" font-weight=\"600\" fill=\"#000000\"{HALO}"),
            label
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::YearMonth;
    use crate::render::svg::tests::{sample_line, well_formed};
    use crate::render::svg::{Level, Marker, Point, ValueAxis, line_chart};

    #[test]
    fn a_none_breaks_the_line() {
        let chart = LineChart {
            series: vec![Series {
                name: "Mine".into(),
                ink: Ink::Mine,
                values: vec![
                    Some(1.0),
                    Some(2.0),
                    None,
                    Some(3.0),
                    Some(4.0),
                    None,
                    Some(5.0),
                ],
            }],
            markers: vec![],
            points: vec![],
            levels: vec![],
            shades: vec![],
            shade_legend: None,
            ..sample_line()
        };
        let svg = line_chart(&chart);
        well_formed(&svg);
        // Two runs of two points (two M, two L) and the lone last point as a dot.
        let path = svg
            .split("<path d=\"")
            .find(|p| p.contains("stroke=\"#D55E00\""))
            .unwrap_or_default();
        let d = path.split('"').next().unwrap_or_default();
        assert_eq!(d.matches('M').count(), 2, "{d}");
        assert_eq!(d.matches('L').count(), 2, "{d}");
        assert_eq!(svg.matches("<circle").count(), 1);
    }

    #[test]
    fn empty_flat_and_nan_series_still_draw() {
        for values in [
            vec![],
            vec![Some(5.0); 24],
            vec![Some(f64::NAN), Some(f64::INFINITY), None],
            vec![Some(0.0); 3],
        ] {
            let chart = LineChart {
                series: vec![Series {
                    name: "s".into(),
                    ink: Ink::Ai,
                    values,
                }],
                x: MonthAxis {
                    start: YearMonth {
                        year: 2026,
                        month: 1,
                    },
                    months: 24,
                },
                ..sample_line()
            };
            let svg = line_chart(&chart);
            well_formed(&svg);
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        }
    }

    #[test]
    fn equal_neighbouring_shades_merge_and_others_do_not() {
        let chart = LineChart {
            shades: vec![
                Shade {
                    month: 3,
                    strength: 0.5,
                },
                Shade {
                    month: 4,
                    strength: 0.5,
                },
                Shade {
                    month: 5,
                    strength: 1.0,
                },
                Shade {
                    month: 7,
                    strength: 1.0,
                },
                Shade {
                    month: 8,
                    strength: f64::NAN,
                },
            ],
            shade_legend: Some("Fleet rows off".into()),
            ..sample_line()
        };
        let svg = line_chart(&chart);
        // Months 3–4 (0.5) one rect, 5 one, 7 one: three; opacities
        // 0.12 + 0.5 × 0.5 = 0.37 and 0.12 + 0.5 = 0.62.
        assert_eq!(
            svg.matches("fill=\"#666666\" fill-opacity=\"0.37\"")
                .count(),
            1
        );
        assert_eq!(
            svg.matches("fill=\"#666666\" fill-opacity=\"0.62\"")
                .count(),
            2
        );
        assert!(svg.contains("Fleet rows off"));
    }

    #[test]
    fn levels_points_and_markers_are_drawn_inside() {
        let chart = LineChart {
            levels: vec![Level {
                value: 2.0e6,
                label: "Never convert".into(),
            }],
            points: vec![Point {
                month: 239,
                value: 9.0e6,
                label: "Best start: Jan 2030".into(),
            }],
            markers: vec![
                Marker {
                    month: 0,
                    label: "Go-live".into(),
                },
                Marker {
                    month: 1,
                    label: "Halving".into(),
                },
            ],
            y: ValueAxis {
                title: "NPV, USD".into(),
                unit: crate::render::svg::Unit::Usd,
            },
            ..sample_line()
        };
        let svg = line_chart(&chart);
        well_formed(&svg);
        assert!(svg.contains(">Never convert</text>"));
        assert!(svg.contains("Best start: Jan 2030"));
        // The two marker labels overlap in one row: two rows.
        assert!(svg.contains(">Go-live</text>") && svg.contains(">Halving</text>"));
    }
}
