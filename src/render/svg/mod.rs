//! Charts as inline SVG, written by hand: the report's pictures
//! (`hashpivot report`), with no JavaScript, fonts or images.
//!
//! Why hand-written: a chart crate would bring a plotting stack for five
//! chart kinds whose every byte must be reproducible (a report is a golden
//! file). Each function here takes plain, already-computed series and
//! returns one `<svg>` element as text; nothing here knows a scenario.
//!
//! Drawing is the one place binary floats are allowed outside the money
//! path: values arrive as `f64` only to be placed on the page, and every
//! coordinate is written with a fixed number of decimals, so the same
//! inputs give the same bytes on every machine. Tick labels are chosen so
//! that they cannot overlap (their width is estimated from their length),
//! and every series is told apart by both a colour from a colour-blind-safe
//! palette (Okabe–Ito) and a dash pattern or fill texture, so a chart
//! survives grayscale printing.

use crate::calendar::YearMonth;

mod axis;
mod fan;
mod frame;
mod heat_map;
mod histogram;
mod line;
mod style;
mod text;

pub use fan::FAN_HEIGHT;
pub use heat_map::{HEAT_MAP_HEIGHT, HEAT_STRIP_HEIGHT, heat_map_height};
pub use histogram::HISTOGRAM_HEIGHT;
pub use line::LINE_HEIGHT;
/// The escaping of chart text, which the HTML report uses for all its text.
pub(crate) use text::escape;

/// Which palette entry and dash pattern a series uses. Mining and AI keep
/// the same look in every chart of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    /// Strategy `mine`: solid line, Okabe–Ito vermillion/orange.
    Mine,
    /// Strategy `ai`: dashed line, Okabe–Ito blue.
    Ai,
    /// A third series or a reference (e.g. "never convert"): dotted, grey/black.
    Reference,
    /// A chart's one main series that is neither strategy (e.g. the
    /// network's hashprice): solid, dark grey, a little thinner than a
    /// strategy's line, so it reads as the data and not as a level.
    Neutral,
}

/// How a value axis labels its ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// US dollars, ticks like `−$20M`, `$0`, `$1.5B`, `$800k`.
    Usd,
    /// USD per PH/s per day, ticks like `$45`, `$52.5`.
    UsdPerPhDay,
    /// A plain number with the axis label carrying the unit.
    Plain,
}

/// A value axis: its title (with the unit spelled out, e.g. "Cumulative
/// cash, USD") and how ticks are labelled.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueAxis {
    pub title: String,
    pub unit: Unit,
}

/// The horizontal axis of a chart over the scenario's months: index 0 is
/// `start`; ticks fall on Januaries (or every few years on long horizons),
/// labelled with the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthAxis {
    pub start: YearMonth,
    pub months: usize,
}

/// One series over the months: `values[i]` is month `i`'s value (`None`:
/// no point, the line breaks).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub ink: Ink,
    pub values: Vec<Option<f64>>,
    /// A thin companion of a main series in the same ink (e.g. the
    /// discounted cumulative cash beside the undiscounted): drawn thinner
    /// and with a dash of its own (mining dash-dot, AI dotted), so it is
    /// told apart from its main line in grayscale too.
    pub thin: bool,
}

/// A vertical marker at a month (a halving, a go-live, the best start):
/// a thin dashed line across the plot with `label` in the band above the
/// plot (never over the value axis' tick labels); labels of nearby
/// markers are staggered into rows so they do not overlap, and a label
/// that fits no row is left out (its line is still drawn). An empty
/// `label` draws the line alone; name such markers in the chart's
/// `marker_legend`.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub month: usize,
    pub label: String,
}

/// A highlighted point (e.g. the best start month): a ring drawn on the
/// series value at `month`, with `label` beside it, on the side (right,
/// left, above, below, or a corner) where it keeps the most room from
/// every series and level line, on a white halo.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub month: usize,
    pub value: f64,
    pub label: String,
}

/// A horizontal reference line at `value` (e.g. the NPV of never
/// converting), drawn in [`Ink::Reference`], named in the legend.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub value: f64,
    pub label: String,
}

/// A month shaded behind the lines, with `strength` in (0, 1] setting how
/// dark (used for the share of the month's mining switched off); the
/// legend names the shading with `LineChart::shade_legend`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shade {
    pub month: usize,
    pub strength: f64,
}

/// A line chart over months.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    /// A prefix unique within the page for the chart's internal ids
    /// (patterns, clip paths): ASCII letters, digits and `-` only.
    pub id: String,
    /// Shown above the plot (also the SVG's `<title>`, for screen readers).
    pub title: String,
    pub x: MonthAxis,
    pub y: ValueAxis,
    pub series: Vec<Series>,
    pub markers: Vec<Marker>,
    pub points: Vec<Point>,
    pub levels: Vec<Level>,
    pub shades: Vec<Shade>,
    /// The legend entry of the shading (required when `shades` is not
    /// empty), followed in the legend by a ramp of three swatches drawn
    /// as the shading is: 25 %, 50 % and 100 % strength.
    pub shade_legend: Option<String>,
    /// A legend entry for the markers' dashed lines (e.g. "dashed:
    /// halvings"), when their labels alone do not name them all.
    pub marker_legend: Option<String>,
}

/// The fan of one strategy: per month the P5, P25, P50, P75 and P95 of
/// its paths (same length as the axis).
#[derive(Debug, Clone, PartialEq)]
pub struct Fan {
    pub name: String,
    pub ink: Ink,
    pub p5: Vec<f64>,
    pub p25: Vec<f64>,
    pub p50: Vec<f64>,
    pub p75: Vec<f64>,
    pub p95: Vec<f64>,
}

/// A fan chart: the P5–P95 band light, P25–P75 darker, the median a line;
/// `y_range`, when given, fixes the value axis (so two fans side by side
/// share a scale), else it spans the fan.
#[derive(Debug, Clone, PartialEq)]
pub struct FanChart {
    /// A prefix unique within the page for the chart's internal ids
    /// (patterns, clip paths): ASCII letters, digits and `-` only.
    pub id: String,
    pub title: String,
    pub x: MonthAxis,
    pub y: ValueAxis,
    pub fan: Fan,
    pub y_range: Option<(f64, f64)>,
    pub markers: Vec<Marker>,
    /// As [`LineChart::marker_legend`].
    pub marker_legend: Option<String>,
}

/// One histogram bar: the paths with a value in `(lo, hi]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    pub lo: f64,
    pub hi: f64,
    pub count: usize,
    /// Which side of zero the bar's paths are on: bars with values above
    /// zero use [`Ink::Ai`] ("AI ahead"), the others [`Ink::Mine`].
    pub above_zero: bool,
}

/// A histogram of a site's NPV advantage of converting over the paths,
/// with a vertical line at zero, the two sides in the two strategies'
/// inks and legend entries, and `note` (e.g. "P(AI beats mining) = 62.3 %
/// ± 0.5 %") printed in the plot's corner.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// A prefix unique within the page for the chart's internal ids
    /// (patterns, clip paths): ASCII letters, digits and `-` only.
    pub id: String,
    pub title: String,
    pub x: ValueAxis,
    pub bars: Vec<Bar>,
    pub note: String,
}

/// What won at one grid point of a sweep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Mine,
    Ai,
    Tie,
    /// The point could not be computed (or the site lacks a strategy).
    Missing,
}

/// An axis of a heat map: its title (what the varied key means, with its
/// unit) and one label per row or column, in grid order.
#[derive(Debug, Clone, PartialEq)]
pub struct GridAxis {
    pub title: String,
    pub labels: Vec<String>,
}

/// The winner map of a sweep: `cells[r][c]` for row value `r` and
/// column value `c` (one column when the sweep has one axis: `columns` is
/// then `None` and the map is a single strip). Mining and AI cells are
/// filled in their inks and with a texture (AI hatched), ties grey,
/// missing points white with a cross. Row values rise upward, like a
/// chart's y axis.
///
/// Positions on the map are in *grid steps*: cell `k` is centred at `k`,
/// so a value 72 % of the way from the second grid value to the third is
/// at 1.72. The caller interpolates (the map knows no values, only
/// cells), so the flip line sits exactly where the text says the winner
/// flips, not on a cell edge.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatMap {
    /// A prefix unique within the page for the chart's internal ids
    /// (patterns, clip paths): ASCII letters, digits and `-` only.
    pub id: String,
    pub title: String,
    pub rows: GridAxis,
    pub columns: Option<GridAxis>,
    pub cells: Vec<Vec<Cell>>,
    /// Where the winner flips, per drawn row, as positions along the
    /// horizontal axis: with two axes `flips[r]` for row `r` (along the
    /// columns), for a strip `flips[0]` (along its one axis). The thick
    /// flip line joins the `k`-th flip of a row to the `k`-th flip of the
    /// next row through the rows' centres when both rows have the same
    /// number of flips; otherwise (or after a row without a flip) the
    /// line breaks. Each piece reaches half a row past its first and last
    /// row, so a strip's flip, or a flip in one row alone, is a vertical
    /// mark the height of its row.
    pub flips: Vec<Vec<f64>>,
    /// A point to ring and label (e.g. the file's own values, "this
    /// file"), when inside the grid.
    pub mark: Option<GridPoint>,
}

/// A point on a heat map, in grid steps (see [`HeatMap`]): `x` along the
/// horizontal axis (the columns, or a strip's one axis), `y` along the
/// rows (0 for a strip).
#[derive(Debug, Clone, PartialEq)]
pub struct GridPoint {
    pub x: f64,
    pub y: f64,
    pub label: String,
}

/// The width every chart is drawn at, in SVG user units (the `viewBox`);
/// the page scales it to the column width (`width="100%"`).
pub const WIDTH: u32 = 720;

/// A line chart as one `<svg class="chart">` element.
pub fn line_chart(chart: &LineChart) -> String {
    line::render(chart)
}

/// A fan chart as one `<svg class="chart">` element.
pub fn fan_chart(chart: &FanChart) -> String {
    fan::render(chart)
}

/// A histogram as one `<svg class="chart">` element.
pub fn histogram(chart: &Histogram) -> String {
    histogram::render(chart)
}

/// A winner map as one `<svg class="chart">` element.
pub fn heat_map(chart: &HeatMap) -> String {
    heat_map::render(chart)
}

#[cfg(test)]
pub(crate) mod tests {
    //! Helpers shared by the chart tests: sample charts and a small
    //! well-formedness checker (no XML crate needed for our own output:
    //! balanced tags, quoted attributes, known entities, one root).
    use super::*;

    pub(crate) fn sample_line() -> LineChart {
        let months = 240;
        LineChart {
            id: "site-1-cash".into(),
            title: "Cumulative cash: mining vs AI".into(),
            x: MonthAxis {
                start: YearMonth {
                    year: 2026,
                    month: 3,
                },
                months,
            },
            y: ValueAxis {
                title: "Cumulative cash, USD".into(),
                unit: Unit::Usd,
            },
            series: vec![
                Series {
                    name: "Keep mining".into(),
                    ink: Ink::Mine,
                    values: (0..months)
                        .map(|i| Some(-20e6 + i as f64 * 0.4e6))
                        .collect(),
                    thin: false,
                },
                Series {
                    name: "Convert to AI".into(),
                    ink: Ink::Ai,
                    values: (0..months)
                        .map(|i| Some(-60e6 + i as f64 * 0.75e6))
                        .collect(),
                    thin: false,
                },
            ],
            markers: vec![
                Marker {
                    month: 25,
                    label: "Halving".into(),
                },
                Marker {
                    month: 27,
                    label: "AI go-live".into(),
                },
                Marker {
                    month: 73,
                    label: "Halving".into(),
                },
            ],
            points: vec![],
            levels: vec![],
            shades: vec![],
            shade_legend: None,
            marker_legend: None,
        }
    }

    /// Panics unless `svg` is one well-formed element: every `<x …>` closed
    /// in order, attributes quoted, `&` only in known entities, no text
    /// outside the root, no `NaN`.
    pub(crate) fn well_formed(svg: &str) {
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{svg}"
        );
        assert!(!svg.contains("NaN"), "NaN in {svg}");
        let mut stack: Vec<String> = Vec::new();
        let mut rest = svg;
        let mut roots = 0;
        while let Some(open) = rest.find('<') {
            let text = &rest[..open];
            assert!(
                !stack.is_empty() || text.trim().is_empty(),
                "text outside the root: {text}"
            );
            check_text(text);
            let close = rest[open..]
                .find('>')
                .map(|c| open + c)
                .unwrap_or_else(|| panic!("unclosed tag in {rest}"));
            let tag = &rest[open + 1..close];
            rest = &rest[close + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(
                    stack.pop().as_deref(),
                    Some(name.trim()),
                    "mismatched </{name}>"
                );
                continue;
            }
            let self_closing = tag.ends_with('/');
            let body = tag.trim_end_matches('/');
            let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
            let name = &body[..name_end];
            assert!(
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()),
                "bad tag <{tag}>"
            );
            check_attributes(&body[name_end..]);
            if stack.is_empty() {
                roots += 1;
            }
            if !self_closing {
                stack.push(name.to_string());
            }
        }
        assert!(rest.trim().is_empty(), "trailing text {rest}");
        assert!(stack.is_empty(), "unclosed {stack:?}");
        assert_eq!(roots, 1);
    }

    fn check_text(text: &str) {
        assert!(!text.contains('>'), "raw > in {text}");
        let mut parts = text.split('&');
        parts.next();
        for part in parts {
            let entity = part.split(';').next().unwrap_or_default();
            assert!(
                part.contains(';') && (["amp", "lt", "gt", "quot", "#39"].contains(&entity)),
                "bad entity in {text}"
            );
        }
    }

    fn check_attributes(mut attrs: &str) {
        let mut names = Vec::new();
        loop {
            attrs = attrs.trim_start();
            if attrs.is_empty() {
                break;
            }
            let eq = attrs
                .find("=\"")
                .unwrap_or_else(|| panic!("unquoted attribute {attrs}"));
            let name = &attrs[..eq];
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':'),
                "bad name {name}"
            );
            assert!(!names.contains(&name.to_string()), "duplicate {name}");
            names.push(name.to_string());
            let value_end = attrs[eq + 2..]
                .find('"')
                .unwrap_or_else(|| panic!("unterminated {attrs}"))
                + eq
                + 2;
            let value = &attrs[eq + 2..value_end];
            assert!(!value.contains('<'), "< in attribute {value}");
            check_text(value);
            attrs = &attrs[value_end + 1..];
        }
    }

    #[test]
    fn the_checker_rejects_broken_markup() {
        let bad = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><g></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>a & b</text></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" x=1></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg><svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
        ];
        for svg in bad {
            assert!(
                std::panic::catch_unwind(|| well_formed(svg)).is_err(),
                "{svg}"
            );
        }
        well_formed(
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><text a=\"&quot;\">R&amp;D</text><g/></svg>",
        );
    }

    #[test]
    fn a_line_chart_is_one_labelled_svg() {
        let svg = line_chart(&sample_line());
        well_formed(&svg);
        assert!(svg.contains("class=\"chart\" viewBox=\"0 0 720 340\" width=\"100%\" role=\"img\" aria-labelledby=\"site-1-cash-title\""));
        assert!(
            svg.contains("<title id=\"site-1-cash-title\">Cumulative cash: mining vs AI</title>")
        );
        assert!(!svg.contains("<script") && !svg.contains("href"));
    }
}
