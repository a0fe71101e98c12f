//! The line chart: series over months, with markers, highlighted points,
//! reference levels and shaded months.
//!
//! Drawing order is back to front: shading, grid and axes, reference
//! levels, series (clipped to the plot), markers, points; the legend sits
//! in its own band above the plot, so it can never cover data. Shading is
//! one grey rectangle per month, one month wide and centred on the month,
//! darker with `strength` (opacity 0.12 + 0.5 × strength); neighbouring
//! months are merged into one rectangle only when their strengths are
//! equal, so the merge never changes what is drawn. The legend shows the
//! shading as a ramp of three swatches drawn by the same rule (25 %, 50 %,
//! 100 %), so a reader can tell how much was off.
//!
//! A ring's label goes where the lines are not: of the places around the
//! ring (right, left, then above, below and the four corners, then the
//! same one, two and three label heights farther up and down), inside the plot,
//! the first in that order whose box keeps [`CLEAR`] units from every
//! series and level line, else the one with the most room or the fewest
//! crossings; it is drawn
//! on a white halo, so a line passing near it never cuts a letter.

use super::axis::{self, Ticks};
use super::frame::{self, BELOW, HALO, LEFT, LEGEND_TOP, MARKER_ROW, Plot, RIGHT};
use super::style::{self, Entry, Swatch};
use super::text::{SMALL, id_prefix, num, text_at, width};
use super::{Ink, LineChart, MonthAxis, Series, Shade, Unit};

/// The height of a line chart, in user units (93 mm at 186 mm wide).
pub const LINE_HEIGHT: u32 = 340;

/// The fill of shaded months.
const SHADE: &str = "#666666";

/// The legend's ramp of the shading: strengths and their labels.
const RAMP: [(f64, &str); 3] = [(0.25, "25 %"), (0.5, "50 %"), (1.0, "100 %")];

/// The opacity of a shaded month of `strength` (0, 1].
fn shade_opacity(strength: f64) -> f64 {
    0.12 + 0.5 * strength
}

/// The room a ring's label keeps from every line when it can.
pub(crate) const CLEAR: f64 = 5.0;

pub(crate) fn render(chart: &LineChart) -> String {
    let id = id_prefix(&chart.id);
    let months = chart.x.months;
    let mut entries: Vec<Entry> = chart
        .series
        .iter()
        .map(|s| Entry {
            swatch: if s.thin {
                Swatch::Thin(s.ink)
            } else {
                Swatch::Line(s.ink)
            },
            label: s.name.clone(),
        })
        .collect();
    entries.extend(chart.levels.iter().map(|l| Entry {
        swatch: Swatch::Line(Ink::Reference),
        label: l.label.clone(),
    }));
    entries.extend(style::marker_entry(
        chart.marker_legend.as_deref(),
        &chart.markers,
    ));
    if !chart.shades.is_empty() {
        entries.push(Entry {
            swatch: Swatch::Text,
            label: format!(
                "{}:",
                chart
                    .shade_legend
                    .clone()
                    .unwrap_or_else(|| "Shaded months".to_string())
            ),
        });
        for (strength, label) in RAMP {
            entries.push(Entry {
                swatch: Swatch::Fill(SHADE.to_string(), shade_opacity(strength), false),
                label: label.to_string(),
            });
        }
    }
    let (legend, legend_bottom) = style::legend(&entries, 16.0, RIGHT, LEGEND_TOP);

    // A price per unit of hashrate is read as a proportion (a halving
    // halves it): its axis starts at zero, so a fall is drawn to scale.
    let from_zero = (chart.y.unit == Unit::UsdPerPhDay).then_some(0.0);
    let values = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().take(months).flatten().copied())
        .chain(from_zero)
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
    let mut lines: Vec<Vec<(f64, f64)>> = chart
        .series
        .iter()
        .flat_map(|s| runs(&plot, &ticks, chart.x, &s.values))
        .collect();
    lines.extend(
        chart
            .levels
            .iter()
            .filter(|l| l.value.is_finite())
            .map(|l| {
                let y = plot.y(&ticks, l.value);
                vec![(plot.left, y), (plot.right, y)]
            }),
    );
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
            &lines,
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
    if series.thin {
        return thin_path(plot, ticks, x, &values, series.ink);
    }
    line_path(
        plot,
        ticks,
        x,
        &values,
        series.ink,
        style::line_width(series.ink),
    )
}

/// A thin companion line: each run of two or more points one path (a
/// lone point is too small to matter beside its main line).
fn thin_path(plot: &Plot, ticks: &Ticks, x: MonthAxis, values: &[Option<f64>], ink: Ink) -> String {
    let mut d = String::new();
    for run in runs(plot, ticks, x, values) {
        if run.len() < 2 {
            continue;
        }
        for (k, (px, py)) in run.iter().enumerate() {
            d.push(if k == 0 { 'M' } else { 'L' });
            d.push_str(&format!("{} {}", num(*px), num(*py)));
        }
    }
    if d.is_empty() {
        return String::new();
    }
    format!("<path d=\"{d}\"{}/>", style::thin_stroke(ink))
}

/// The runs of finite values of a series, as points on the plot.
fn runs(plot: &Plot, ticks: &Ticks, x: MonthAxis, values: &[Option<f64>]) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    let mut run = Vec::new();
    for (i, value) in values.iter().take(x.months).enumerate() {
        match value {
            Some(v) if v.is_finite() => run.push((plot.month(x, i as f64), plot.y(ticks, *v))),
            _ => {
                if !run.is_empty() {
                    out.push(std::mem::take(&mut run));
                }
            }
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
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
            style::opacity_text(shade_opacity(strength))
        ));
    }
    out
}

/// A box on the plot: left, top, right, bottom.
pub(crate) type Box2 = (f64, f64, f64, f64);

/// The distance from point `p` to box `b` (0 inside).
fn point_box(p: (f64, f64), b: Box2) -> f64 {
    let dx = (b.0 - p.0).max(p.0 - b.2).max(0.0);
    let dy = (b.1 - p.1).max(p.1 - b.3).max(0.0);
    dx.hypot(dy)
}

/// The distance from point `p` to the segment `a`–`b`.
fn point_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (vx, vy) = (b.0 - a.0, b.1 - a.1);
    let len2 = vx * vx + vy * vy;
    let t = if len2 > 0.0 {
        (((p.0 - a.0) * vx + (p.1 - a.1) * vy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (p.0 - a.0 - t * vx).hypot(p.1 - a.1 - t * vy)
}

/// Whether the segment `a`–`b` passes through box `b` (Liang–Barsky).
fn crosses(a: (f64, f64), b: (f64, f64), r: Box2) -> bool {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - r.0),
        (dx, r.2 - a.0),
        (-dy, a.1 - r.1),
        (dy, r.3 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t0 <= t1
}

/// The least distance between box `r` and any of `lines` (polylines; a
/// one-point line is a point).
pub(crate) fn clearance(r: Box2, lines: &[Vec<(f64, f64)>]) -> f64 {
    let corners = [(r.0, r.1), (r.2, r.1), (r.0, r.3), (r.2, r.3)];
    let mut best = f64::INFINITY;
    for line in lines {
        if line.len() == 1 {
            best = best.min(point_box(line[0], r));
        }
        for w in line.windows(2) {
            let (a, b) = (w[0], w[1]);
            // Far from the box on either axis: no need for the exact distance.
            if a.0.min(b.0) > r.2 + best
                || a.0.max(b.0) < r.0 - best
                || a.1.min(b.1) > r.3 + best
                || a.1.max(b.1) < r.1 - best
            {
                continue;
            }
            if crosses(a, b, r) {
                return 0.0;
            }
            let d = point_box(a, r).min(point_box(b, r)).min(
                corners
                    .iter()
                    .map(|c| point_segment(*c, a, b))
                    .fold(f64::INFINITY, f64::min),
            );
            best = best.min(d);
        }
    }
    best
}

/// Where a ring's label goes: the text anchor and baseline, and its box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LabelSpot {
    pub x: f64,
    pub baseline: f64,
    pub anchor: &'static str,
    pub bounds: Box2,
}

/// The label places around a ring at (`x`, `y`) for a label `w` wide, in
/// order of preference, that fit inside the plot.
fn spots(plot: &Plot, x: f64, y: f64, w: f64) -> Vec<LabelSpot> {
    // A label's box: 11 units of text, from 9 above the baseline to 3 below.
    let (up, down) = (9.0, 3.0);
    let gap = 10.0;
    let beside = y + 4.0;
    let mut candidates = vec![(x + gap, beside, "start"), (x - gap, beside, "end")];
    // Above and below, then farther (a label a line or two away still
    // reads as the ring's when nothing else is near).
    for far in [0.0, 16.0, 32.0, 48.0] {
        let above = y - gap - down - far;
        let below = y + gap + up + far;
        candidates.extend([
            (x, above, "middle"),
            (x, below, "middle"),
            (x + 4.0, above, "start"),
            (x - 4.0, above, "end"),
            (x + 4.0, below, "start"),
            (x - 4.0, below, "end"),
        ]);
    }
    candidates
        .into_iter()
        .map(|(lx, baseline, anchor)| {
            let left = match anchor {
                "start" => lx,
                "end" => lx - w,
                _ => lx - w / 2.0,
            };
            LabelSpot {
                x: lx,
                baseline,
                anchor,
                bounds: (left, baseline - up, left + w, baseline + down),
            }
        })
        .filter(|s| {
            s.bounds.0 >= plot.left + 2.0
                && s.bounds.2 <= plot.right - 2.0
                && s.bounds.1 >= plot.top + 2.0
                && s.bounds.3 <= plot.bottom - 2.0
        })
        .collect()
}

/// The place for a ring's label: the first spot that keeps [`CLEAR`]
/// from every line, else the one with the most room, else the one the
/// fewest line segments cross (the first on ties);
/// when no spot fits in the plot, beside the ring, pulled inside.
pub(crate) fn label_spot(
    plot: &Plot,
    x: f64,
    y: f64,
    label: &str,
    lines: &[Vec<(f64, f64)>],
) -> LabelSpot {
    let w = width(label, SMALL);
    let mut best: Option<(f64, LabelSpot)> = None;
    for spot in spots(plot, x, y, w) {
        // Clear of every line: the room; crossed: minus the crossings.
        let crossed = lines
            .iter()
            .flat_map(|l| l.windows(2))
            .filter(|w| crosses(w[0], w[1], spot.bounds))
            .count();
        let room = if crossed > 0 {
            -(crossed as f64)
        } else {
            clearance(spot.bounds, lines)
        };
        if room >= CLEAR {
            return spot;
        }
        if best.is_none_or(|(b, _)| room > b) {
            best = Some((room, spot));
        }
    }
    if let Some((_, spot)) = best {
        return spot;
    }
    let (lx, anchor) = if x + 10.0 + w <= plot.right {
        (x + 10.0, "start")
    } else {
        ((x - 10.0).max(plot.left + w), "end")
    };
    let baseline = (y + 4.0).clamp(plot.top + 12.0, plot.bottom - 3.0);
    let left = if anchor == "start" { lx } else { lx - w };
    LabelSpot {
        x: lx,
        baseline,
        anchor,
        bounds: (left, baseline - 9.0, left + w, baseline + 3.0),
    }
}

/// A highlighted point: a ring, and its label where the lines are not
/// ([`label_spot`]), on a white halo.
fn ring(plot: &Plot, x: f64, y: f64, label: &str, lines: &[Vec<(f64, f64)>]) -> String {
    let spot = label_spot(plot, x, y, label, lines);
    format!(
        "<circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"none\" stroke=\"#000000\" stroke-width=\"2\"/>{}",
        num(x),
        num(y),
        text_at(
            spot.x,
            spot.baseline,
            &format!(
                " text-anchor=\"{}\" font-weight=\"600\" fill=\"#000000\"{HALO}",
                spot.anchor
            ),
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
                thin: false,
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
                    thin: false,
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
        // 0.12 + 0.5 × 0.5 = 0.37 and 0.12 + 0.5 = 0.62; the legend's ramp
        // adds one swatch of each (50 % and 100 %).
        assert_eq!(
            svg.matches("fill=\"#666666\" fill-opacity=\"0.37\"")
                .count(),
            1 + 1
        );
        assert_eq!(
            svg.matches("fill=\"#666666\" fill-opacity=\"0.62\"")
                .count(),
            2 + 1
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

#[cfg(test)]
mod zero_tests {
    use super::*;
    use crate::calendar::YearMonth;

    /// Hashprice from $31 down to $15 (a halving): its axis starts at
    /// $0, so the drop is drawn at its true proportion; the same series as
    /// plain numbers keeps its own range (no `0` tick).
    #[test]
    fn a_hashprice_axis_starts_at_zero() {
        let chart = |unit| LineChart {
            id: "z".into(),
            title: "Hashprice".into(),
            x: MonthAxis {
                start: YearMonth::parse("2028-01").unwrap(),
                months: 6,
            },
            y: super::super::ValueAxis {
                title: "USD per PH/s per day".into(),
                unit,
            },
            series: vec![Series {
                name: "Hashprice".into(),
                ink: Ink::Neutral,
                thin: false,
                values: [31.0, 30.0, 29.0, 15.0, 15.5, 16.0].map(Some).to_vec(),
            }],
            markers: vec![],
            marker_legend: None,
            points: vec![],
            levels: vec![],
            shades: vec![],
            shade_legend: None,
        };
        let svg = render(&chart(Unit::UsdPerPhDay));
        assert!(svg.contains(">$0</text>"), "{svg}");
        let plain = render(&chart(Unit::Plain));
        assert!(!plain.contains(">0</text>"), "{plain}");
    }
}
