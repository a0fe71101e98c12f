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
}

/// A vertical marker at a month (a halving, a go-live, the best start):
/// a thin dashed line across the plot with `label` at its top; labels of
/// nearby markers are staggered so they do not overlap.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub month: usize,
    pub label: String,
}

/// A highlighted point (e.g. the best start month): a ring drawn on the
/// series value at `month`, with `label` beside it.
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
    /// The legend entry of the shading (required when `shades` is not empty).
    pub shade_legend: Option<String>,
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

/// An axis of a heat map: its title (the varied key) and one label per
/// row or column, in grid order.
#[derive(Debug, Clone, PartialEq)]
pub struct GridAxis {
    pub title: String,
    pub labels: Vec<String>,
}

/// The winner map of a sweep: `cells[r][c]` for row value `r` and
/// column value `c` (one column when the sweep has one axis: `columns` is
/// then `None` and the map is a single strip). Mining and AI cells are
/// filled in their inks and with a texture (AI hatched), ties grey,
/// missing points white with a cross; a thick black line runs along every
/// edge between cells with different winners (the flip line). Row values
/// rise upward, like a chart's y axis.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatMap {
    /// A prefix unique within the page for the chart's internal ids
    /// (patterns, clip paths): ASCII letters, digits and `-` only.
    pub id: String,
    pub title: String,
    pub rows: GridAxis,
    pub columns: Option<GridAxis>,
    pub cells: Vec<Vec<Cell>>,
}

/// The width every chart is drawn at, in SVG user units (the `viewBox`);
/// the page scales it to the column width (`width="100%"`).
pub const WIDTH: u32 = 720;

/// A line chart as one `<svg class="chart">` element.
pub fn line_chart(chart: &LineChart) -> String {
    let _ = chart;
    todo!("svg helper")
}

/// A fan chart as one `<svg class="chart">` element.
pub fn fan_chart(chart: &FanChart) -> String {
    let _ = chart;
    todo!("svg helper")
}

/// A histogram as one `<svg class="chart">` element.
pub fn histogram(chart: &Histogram) -> String {
    let _ = chart;
    todo!("svg helper")
}

/// A winner map as one `<svg class="chart">` element.
pub fn heat_map(chart: &HeatMap) -> String {
    let _ = chart;
    todo!("svg helper")
}
