//! The SVG charts through the public API, as the report uses them: one
//! chart of each kind (and the awkward cases) on one page; each must be a
//! single well-formed `<svg class="chart">` with no script or external
//! reference, ids unique across the page, every `url(#…)` pointing at an
//! id of its own chart, and the same bytes on every render.

use hashpivot::calendar::YearMonth;
use hashpivot::render::svg::{
    Bar, Cell, FAN_HEIGHT, Fan, FanChart, GridAxis, GridPoint, HEAT_MAP_HEIGHT, HEAT_STRIP_HEIGHT,
    HISTOGRAM_HEIGHT, HeatMap, Histogram, Ink, LINE_HEIGHT, LineChart, Marker, MonthAxis, Point,
    Series, Shade, Unit, ValueAxis, fan_chart, heat_map, histogram, line_chart,
};

const NASTY: &str = "R&D \"east\" <site> 'b'";

fn axis(months: usize) -> MonthAxis {
    MonthAxis {
        start: YearMonth {
            year: 2026,
            month: 3,
        },
        months,
    }
}

fn money(title: &str) -> ValueAxis {
    ValueAxis {
        title: title.to_string(),
        unit: Unit::Usd,
    }
}

/// Every chart of the page, with its expected height.
fn page() -> Vec<(String, u32)> {
    let months = 600;
    let line = LineChart {
        id: "s1-cash".into(),
        title: format!("{NASTY}: cumulative cash"),
        x: axis(months),
        y: money("Cumulative cash, USD"),
        series: vec![
            Series {
                name: NASTY.into(),
                ink: Ink::Mine,
                values: (0..months)
                    .map(|i| (i % 50 != 7).then_some(i as f64 * 1e5 - 3e7))
                    .collect(),
                thin: false,
            },
            Series {
                name: "AI".into(),
                ink: Ink::Ai,
                values: vec![Some(f64::NAN), Some(1.0), None, Some(f64::NEG_INFINITY)],
                thin: true,
            },
        ],
        markers: (0..5)
            .map(|k| Marker {
                month: k * 3,
                label: format!("Marker {k} & co"),
            })
            .collect(),
        points: vec![Point {
            month: months - 1,
            value: 3e7,
            label: NASTY.into(),
        }],
        levels: vec![],
        shades: vec![Shade {
            month: 10,
            strength: 0.3,
        }],
        shade_legend: Some("Fleet rows off".into()),
        marker_legend: Some("dashed: halvings".into()),
    };
    let empty = LineChart {
        id: "s1-empty".into(),
        series: vec![],
        markers: vec![],
        points: vec![],
        shades: vec![],
        shade_legend: None,
        x: axis(1),
        ..line.clone()
    };
    let fan = FanChart {
        id: "s1-fan".into(),
        title: "Fan".into(),
        x: axis(24),
        y: money("Cumulative cash, USD"),
        fan: Fan {
            name: "Mining".into(),
            ink: Ink::Mine,
            p5: vec![-2.0; 24],
            p25: vec![-1.0; 24],
            p50: vec![0.0; 24],
            p75: vec![1.0; 24],
            p95: vec![f64::NAN; 24],
        },
        y_range: Some((-3.0, 3.0)),
        markers: vec![],
        marker_legend: None,
    };
    let bars = Histogram {
        id: "s1-hist".into(),
        title: "Advantage".into(),
        x: money("NPV advantage, USD"),
        bars: vec![
            Bar {
                lo: -1e6,
                hi: 0.0,
                count: 3,
                above_zero: false,
            },
            Bar {
                lo: 0.0,
                hi: 1e6,
                count: 9,
                above_zero: true,
            },
        ],
        note: NASTY.into(),
    };
    let no_bars = Histogram {
        id: "s1-hist-empty".into(),
        bars: vec![],
        ..bars.clone()
    };
    let grid = HeatMap {
        id: "sweep".into(),
        title: NASTY.into(),
        rows: GridAxis {
            title: "rows".into(),
            labels: vec!["a".into(), "b".into()],
        },
        columns: Some(GridAxis {
            title: "columns".into(),
            labels: vec!["<1>".into(), "&2".into(), "3".into()],
        }),
        cells: vec![
            vec![Cell::Mine, Cell::Tie, Cell::Ai],
            vec![Cell::Missing, Cell::Ai],
        ],
        flips: vec![vec![0.5, 1.5], vec![f64::NAN]],
        mark: Some(GridPoint {
            x: 1.0,
            y: 1.0,
            label: NASTY.into(),
        }),
    };
    let strip = HeatMap {
        id: "strip".into(),
        columns: None,
        ..grid.clone()
    };
    vec![
        (line_chart(&line), LINE_HEIGHT),
        (line_chart(&empty), LINE_HEIGHT),
        (fan_chart(&fan), FAN_HEIGHT),
        (histogram(&bars), HISTOGRAM_HEIGHT),
        (histogram(&no_bars), HISTOGRAM_HEIGHT),
        (heat_map(&grid), HEAT_MAP_HEIGHT),
        (heat_map(&strip), HEAT_STRIP_HEIGHT),
    ]
}

/// The values of attribute `name` in `svg`.
fn attribute<'a>(svg: &'a str, name: &str) -> Vec<&'a str> {
    let key = format!(" {name}=\"");
    svg.match_indices(&key)
        .filter_map(|(i, _)| svg[i + key.len()..].split('"').next())
        .collect()
}

/// Balanced tags, one root; entities only the five we write.
fn well_formed(svg: &str) {
    let mut stack = Vec::new();
    let mut roots = 0;
    for piece in svg.split('<').skip(1) {
        let (tag, text) = piece
            .split_once('>')
            .unwrap_or_else(|| panic!("unclosed <{piece}"));
        for entity in text.split('&').skip(1) {
            let name = entity.split(';').next().unwrap_or_default();
            assert!(
                ["amp", "lt", "gt", "quot", "#39"].contains(&name),
                "bad entity &{entity}"
            );
        }
        assert!(!text.contains('>'), "raw > in {text}");
        assert_eq!(
            tag.matches('"').count() % 2,
            0,
            "unbalanced quotes in <{tag}>"
        );
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name.to_string()));
        } else {
            if stack.is_empty() {
                roots += 1;
            }
            if !tag.ends_with('/') {
                let name = tag.split_whitespace().next().unwrap_or_default();
                stack.push(name.to_string());
            }
        }
    }
    assert!(stack.is_empty() && roots == 1, "{stack:?} {roots}");
}

#[test]
fn every_chart_is_one_safe_self_contained_svg() {
    for (svg, height) in page() {
        well_formed(&svg);
        assert!(svg.starts_with(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 720 {height}\" width=\"100%\" role=\"img\" aria-labelledby=\""
        )));
        assert!(svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<svg").count(), 1);
        // The one URL is the namespace; no script, no links, no NaN.
        assert_eq!(svg.matches("http").count(), 1);
        for bad in [
            "<script",
            "href",
            "NaN",
            "inf",
            "<image",
            "<foreignObject",
            "@import",
        ] {
            assert!(!svg.contains(bad), "{bad} in {svg}");
        }
        // Caller text is escaped.
        assert!(!svg.contains(NASTY));
        // The title is what aria-labelledby names.
        let label = attribute(&svg, "aria-labelledby")[0];
        assert!(svg.contains(&format!("<title id=\"{label}\">")));
        // Every url(#id) is an id of this chart.
        let ids = attribute(&svg, "id");
        for target in svg.split("url(#").skip(1) {
            let id = target.split(')').next().unwrap_or_default();
            assert!(ids.contains(&id), "url(#{id}) undefined");
        }
        // Coordinates have at most one decimal.
        for x in attribute(&svg, "x").into_iter().chain(attribute(&svg, "y")) {
            let decimals = x.split('.').nth(1).map_or(0, str::len);
            assert!(decimals <= 1, "{x}");
        }
    }
}

#[test]
fn ids_are_unique_on_a_page() {
    let page = page();
    let mut ids: Vec<&str> = page
        .iter()
        .flat_map(|(svg, _)| attribute(svg, "id"))
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count);
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    assert_eq!(page(), page());
}

/// The `(x, y, anchor)` of the first `<text>` whose content is `label`.
fn text_place(svg: &str, label: &str) -> Option<(f64, f64, String)> {
    let end = svg.find(&format!(">{label}</text>"))?;
    let start = svg[..end].rfind("<text ")?;
    let tag = &svg[start..end];
    let value = |name: &str| -> Option<String> {
        let key = format!(" {name}=\"");
        let from = tag.find(&key)? + key.len();
        Some(tag[from..].split('"').next()?.to_string())
    };
    Some((
        value("x")?.parse().ok()?,
        value("y")?.parse().ok()?,
        value("text-anchor").unwrap_or_default(),
    ))
}

/// A series running level through the ring (the label's usual place,
/// right of it, and the place left of it both on the line), others far
/// above and below, sends the label above the ring: centred on it, its baseline 13 units up (10 of
/// gap and 3 of descender), where nothing passes.
#[test]
fn a_ring_label_leaves_the_line_that_runs_through_its_usual_place() {
    let months = 120;
    let level = LineChart {
        id: "ring".into(),
        title: "Ring".into(),
        x: axis(months),
        y: money("USD"),
        series: vec![
            Series {
                name: "flat".into(),
                ink: Ink::Mine,
                values: vec![Some(0.0); months],
                thin: false,
            },
            Series {
                name: "high".into(),
                ink: Ink::Reference,
                values: vec![Some(5e6); months],
                thin: false,
            },
            Series {
                name: "low".into(),
                ink: Ink::Ai,
                values: vec![Some(-5e6); months],
                thin: false,
            },
        ],
        markers: vec![],
        points: vec![Point {
            month: 60,
            value: 0.0,
            label: "AI's cash ahead from 2031-03".into(),
        }],
        levels: vec![],
        shades: vec![],
        shade_legend: None,
        marker_legend: None,
    };
    let svg = line_chart(&level);
    let cy: f64 = svg
        .split("<circle cx=\"")
        .nth(1)
        .and_then(|c| c.split("cy=\"").nth(1))
        .and_then(|c| c.split('"').next())
        .and_then(|c| c.parse().ok())
        .unwrap_or(f64::NAN);
    let cx: f64 = svg
        .split("<circle cx=\"")
        .nth(1)
        .and_then(|c| c.split('"').next())
        .and_then(|c| c.parse().ok())
        .unwrap_or(f64::NAN);
    let (x, y, anchor) = text_place(&svg, "AI&#39;s cash ahead from 2031-03").unwrap();
    assert_eq!(anchor, "middle", "{svg}");
    assert!((x - cx).abs() < 0.11, "{x} {cx}");
    assert!((y - (cy - 13.0)).abs() < 0.11, "{y} {cy}");
    // With no line near, the label keeps its usual place, right of the ring.
    let alone = LineChart {
        series: vec![],
        ..level
    };
    let svg = line_chart(&alone);
    let (_, _, anchor) = text_place(&svg, "AI&#39;s cash ahead from 2031-03").unwrap();
    assert_eq!(anchor, "start");
}

/// The shading's legend is a ramp drawn by the shading's own rule
/// (opacity 0.12 + 0.5 × strength): 50 % → 0.37, 100 % → 0.62; a thin
/// series has its own width (1.25, written 1.2) and dash.
#[test]
fn the_shading_has_a_ramp_and_thin_lines_their_own_dash() {
    let (svg, _) = &page()[0];
    assert!(svg.contains(">Fleet rows off:</text>"));
    for (opacity, label) in [("0.37", "50 %"), ("0.62", "100 %")] {
        let at = svg.find(&format!(">{label}</text>")).unwrap_or(0);
        assert!(
            svg[..at]
                .rfind(&format!("fill-opacity=\"{opacity}\""))
                .is_some(),
            "{label}"
        );
    }
    assert!(
        svg.contains("stroke-width=\"1.2\" stroke-linejoin=\"round\" stroke-dasharray=\"1.5 2.5\"")
    );
    assert!(svg.contains(">dashed: halvings</text>"));
}

/// The histogram's note moves to the left corner when the zero line
/// runs through the right one: bars from −9M to +1M put zero at 90 % of
/// the axis, under a right-aligned note 200 units wide.
#[test]
fn the_histogram_note_keeps_off_the_zero_line() {
    let chart = Histogram {
        id: "h".into(),
        title: "Advantage".into(),
        x: money("NPV advantage, USD"),
        bars: (-9..1)
            .map(|i| Bar {
                lo: i as f64 * 1e6,
                hi: (i + 1) as f64 * 1e6,
                count: 10,
                above_zero: i >= 0,
            })
            .collect(),
        note: "P(AI beats mining) = 45.15 % \u{b1} 1.11 %".into(),
    };
    let svg = histogram(&chart);
    let (_, _, anchor) = text_place(&svg, "P(AI beats mining) = 45.15 % \u{b1} 1.11 %").unwrap();
    assert_eq!(anchor, "start");
}
