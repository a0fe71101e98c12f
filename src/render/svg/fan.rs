//! The fan chart: the spread of one strategy's paths by month.
//!
//! Two bands in the strategy's own colour, the outer (P5–P95) light and
//! the inner (P25–P75) darker, and the median as the strategy's line (so
//! it keeps its dash pattern in grayscale). With `y_range` the axis is
//! derived from that range alone, so two fans given the same range get
//! the same ticks and can be compared side by side; data outside it is
//! clipped at the plot's edge.

use super::axis::{self, Ticks};
use super::frame::{self, LEGEND_TOP, Plot, RIGHT};
use super::line::{layout, line_path};
use super::style::{self, Entry, LINE_WIDTH, Swatch};
use super::text::{id_prefix, num};
use super::{FanChart, MonthAxis};

/// The height of a fan chart, in user units (83 mm at 186 mm wide).
pub const FAN_HEIGHT: u32 = 320;

/// Fill opacities of the outer and inner band.
const OUTER: f64 = 0.18;
const INNER: f64 = 0.42;

pub(crate) fn render(chart: &FanChart) -> String {
    let id = id_prefix(&chart.id);
    let fan = &chart.fan;
    let colour = style::colour(fan.ink).to_string();
    let mut entries = vec![
        Entry {
            swatch: Swatch::Fill(colour.clone(), OUTER, false),
            label: "P5\u{2013}P95".to_string(),
        },
        Entry {
            swatch: Swatch::Fill(colour.clone(), INNER, false),
            label: "P25\u{2013}P75".to_string(),
        },
        Entry {
            swatch: Swatch::Line(fan.ink),
            label: format!("{}, median", fan.name),
        },
    ];
    entries.extend(style::marker_entry(
        chart.marker_legend.as_deref(),
        &chart.markers,
    ));
    let (legend, legend_bottom) = style::legend(&entries, 16.0, RIGHT, LEGEND_TOP);
    let months = chart.x.months;
    let given = chart
        .y_range
        .filter(|(lo, hi)| lo.is_finite() && hi.is_finite());
    let (lo, hi) = match given {
        Some(range) => range,
        None => axis::data_range(
            [&fan.p5, &fan.p25, &fan.p50, &fan.p75, &fan.p95]
                .into_iter()
                .flat_map(|v| v.iter().take(months).copied()),
        )
        .unwrap_or((0.0, 1.0)),
    };
    let (plot, ticks) = layout(
        FAN_HEIGHT,
        legend_bottom,
        lo,
        hi,
        chart.y.unit,
        chart.x,
        &chart.markers,
    );
    let mut out = frame::open(&id, &chart.title, FAN_HEIGHT, &plot.clip(&id));
    out.push_str(&frame::y_axis(&plot, &ticks, &chart.y.title));
    out.push_str(&frame::month_axis(&plot, chart.x));
    out.push_str(&format!("<g clip-path=\"url(#{id}-clip)\">"));
    out.push_str(&band(
        &plot, &ticks, chart.x, &fan.p5, &fan.p95, &colour, OUTER,
    ));
    out.push_str(&band(
        &plot, &ticks, chart.x, &fan.p25, &fan.p75, &colour, INNER,
    ));
    let median: Vec<Option<f64>> = fan.p50.iter().map(|v| Some(*v)).collect();
    out.push_str(&line_path(
        &plot, &ticks, chart.x, &median, fan.ink, LINE_WIDTH,
    ));
    out.push_str("</g>");
    out.push_str(&frame::markers(&plot, chart.x, &chart.markers));
    out.push_str(&legend);
    out.push_str("</svg>");
    out
}

/// The band between `low` and `high`: one closed path per run of months
/// where both are finite (along the top, back along the bottom).
fn band(
    plot: &Plot,
    ticks: &Ticks,
    x: MonthAxis,
    low: &[f64],
    high: &[f64],
    colour: &str,
    opacity: f64,
) -> String {
    let n = x.months.min(low.len()).min(high.len());
    let mut d = String::new();
    let mut run: Vec<usize> = Vec::new();
    let flush = |run: &mut Vec<usize>, d: &mut String| {
        if run.len() >= 2 {
            for (k, &i) in run.iter().enumerate() {
                d.push(if k == 0 { 'M' } else { 'L' });
                d.push_str(&format!(
                    "{} {}",
                    num(plot.month(x, i as f64)),
                    num(plot.y(ticks, high[i]))
                ));
            }
            for &i in run.iter().rev() {
                d.push_str(&format!(
                    "L{} {}",
                    num(plot.month(x, i as f64)),
                    num(plot.y(ticks, low[i]))
                ));
            }
            d.push('Z');
        }
        run.clear();
    };
    for i in 0..n {
        if low[i].is_finite() && high[i].is_finite() {
            run.push(i);
        } else {
            flush(&mut run, &mut d);
        }
    }
    flush(&mut run, &mut d);
    if d.is_empty() {
        return String::new();
    }
    format!(
        "<path d=\"{d}\" fill=\"{colour}\" fill-opacity=\"{}\" stroke=\"none\"/>",
        style::opacity_text(opacity)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::YearMonth;
    use crate::render::svg::tests::well_formed;
    use crate::render::svg::{Fan, Ink, Marker, Unit, ValueAxis, fan_chart};

    pub(crate) fn sample_fan(y_range: Option<(f64, f64)>) -> FanChart {
        let months = 120;
        let f = |spread: f64| -> Vec<f64> {
            (0..months)
                .map(|i| -30e6 + i as f64 * 0.5e6 + spread * i as f64 * 0.1e6)
                .collect()
        };
        FanChart {
            id: "site-1-fan-ai".into(),
            title: "Convert to AI: cumulative cash over 2,000 paths".into(),
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
            fan: Fan {
                name: "Convert to AI".into(),
                ink: Ink::Ai,
                p5: f(-2.0),
                p25: f(-0.8),
                p50: f(0.0),
                p75: f(0.8),
                p95: f(2.0),
            },
            y_range,
            markers: vec![Marker {
                month: 25,
                label: "Halving".into(),
            }],
            marker_legend: None,
        }
    }

    #[test]
    fn a_fan_has_two_bands_a_median_and_its_legend() {
        let svg = fan_chart(&sample_fan(None));
        well_formed(&svg);
        assert_eq!(
            svg.matches("fill=\"#0072B2\" fill-opacity=\"0.18\" stroke=\"none\"")
                .count(),
            1
        );
        assert_eq!(
            svg.matches("fill=\"#0072B2\" fill-opacity=\"0.42\" stroke=\"none\"")
                .count(),
            1
        );
        assert!(svg.contains(">P5\u{2013}P95</text>") && svg.contains(">P25\u{2013}P75</text>"));
        assert!(svg.contains(">Convert to AI, median</text>"));
        assert!(svg.contains("stroke-dasharray=\"9 4\""));
    }

    #[test]
    fn a_given_range_sets_the_axis() {
        // −100M … 100M on the fan's axis: ticks by 50M (the 25M step gives
        // 8 intervals, more than 6), whatever the data.
        let svg = fan_chart(&sample_fan(Some((-100e6, 100e6))));
        well_formed(&svg);
        for label in ["\u{2212}$100M", "\u{2212}$50M", ">$0<", "$50M", "$100M"] {
            assert!(svg.contains(label), "{label}");
        }
        assert!(!svg.contains("$150M"));
    }
}
