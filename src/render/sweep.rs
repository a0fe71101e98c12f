//! Sweep output: a winner map per site (table), or one record per grid
//! point and site (CSV, JSON lines) that can be written as each point is
//! computed, so memory does not grow with the grid. Its own module because
//! a sweep's rows are grid points, not the scenario summaries the
//! [`Renderer`](super::Renderer)s take.

use super::Field;
use super::csv::line;
use super::number::{Colour, Percent, compact, fixed, group, paint, percent, places};
use crate::summary::Winner;
use crate::sweep::{Axis, AxisValue, Grid, PointResult, SiteFigures, flips};
use rust_decimal::Decimal;
use std::fmt::Write;

/// What a sweep table shows in each cell. The command line's `--metric`
/// takes these by their kebab-case names (`advantage`, `mine-npv`, …), so
/// the variants are the one list of metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Metric {
    // The winner and its NPV advantage, e.g. `AI +1.2B`.
    #[default]
    Advantage,
    MineNpv,
    AiNpv,
    MineIrr,
    AiIrr,
    MinePayback,
    AiPayback,
}

impl Metric {
    fn describe(self) -> &'static str {
        match self {
            Metric::Advantage => "winner and NPV advantage",
            Metric::MineNpv => "NPV of keeping mining",
            Metric::AiNpv => "NPV of converting to AI",
            Metric::MineIrr => "IRR of keeping mining, a year",
            Metric::AiIrr => "IRR of converting to AI, a year",
            Metric::MinePayback => "payback of keeping mining, months",
            Metric::AiPayback => "payback of converting to AI, months",
        }
    }
}

const FIGURE_KEYS: [&str; 9] = [
    "site",
    "mine_npv_usd",
    "ai_npv_usd",
    "mine_irr",
    "ai_irr",
    "mine_payback_months",
    "ai_payback_months",
    "winner",
    "npv_advantage_usd",
];

/// The CSV header: `point`, the axis keys, the figures, `error`.
pub fn csv_header(grid: &Grid) -> String {
    let mut fields = vec!["point".to_string()];
    fields.extend(grid.axes.iter().map(|a| a.key.clone()));
    fields.extend(FIGURE_KEYS.iter().map(|k| k.to_string()));
    fields.push("error".into());
    let mut out = String::new();
    line(&mut out, fields.into_iter());
    out
}

/// The CSV records of one point: one per site, or one carrying the error.
pub fn csv_rows(result: &PointResult) -> String {
    let mut out = String::new();
    for (figures, error) in records(result) {
        let mut fields = vec![result.point.to_string()];
        fields.extend(result.values.iter().cloned());
        fields.extend(figures.iter().map(|f| f.clone().unwrap_or_default()));
        fields.push(error.unwrap_or_default());
        line(&mut out, fields.into_iter());
    }
    out
}

/// The CSV's columns, as [`csv_header`] names them.
pub fn columns(grid: &Grid) -> Vec<String> {
    let mut fields = vec!["point".to_string()];
    fields.extend(grid.axes.iter().map(|a| a.key.clone()));
    fields.extend(FIGURE_KEYS.iter().map(|k| k.to_string()));
    fields.push("error".into());
    fields
}

/// The CSV records of one point as [`Field`]s (for `--format parquet`):
/// the point a number, an axis value a number when `numeric` says its axis
/// is one, the figures numbers, `site`, `winner` and `error` text, an empty
/// cell null.
pub fn field_rows(result: &PointResult, numeric: &[bool]) -> Vec<Vec<Field>> {
    records(result)
        .into_iter()
        .map(|(figures, error)| {
            let mut row = vec![Field::Number(result.point.to_string())];
            row.extend(result.values.iter().enumerate().map(|(i, v)| {
                if numeric.get(i).copied().unwrap_or(false) {
                    Field::Number(v.clone())
                } else {
                    Field::Text(v.clone())
                }
            }));
            row.extend(FIGURE_KEYS.iter().zip(figures).map(|(key, f)| match f {
                None => Field::Null,
                Some(t) if matches!(*key, "site" | "winner") => Field::Text(t),
                Some(t) => Field::Number(t),
            }));
            row.push(error.map_or(Field::Null, Field::Text));
            row
        })
        .collect()
}

/// One JSON object per line per site (or per failed point), with the CSV's
/// fields. Each value has its JSON type: an axis value is a number, a
/// boolean or a string as `--set` reads it ([`AxisValue`]; a number with
/// its exact digits), the figures are numbers with the CSV's digits,
/// `site`, `winner` and `error` strings, and a figure that does not exist
/// `null`.
pub fn jsonl_rows(grid: &Grid, result: &PointResult) -> String {
    let mut out = String::new();
    for (figures, error) in records(result) {
        let mut fields: Vec<(&str, Json)> = vec![("point", Json::Raw(result.point.to_string()))];
        for (axis, value) in grid.axes.iter().zip(&result.values) {
            let value = match AxisValue::of(value) {
                AxisValue::Number(n) => Json::Raw(n.to_string()),
                AxisValue::Bool(b) => Json::Raw(b.to_string()),
                AxisValue::Text(t) => Json::Text(t),
            };
            fields.push((&axis.key, value));
        }
        for (key, value) in FIGURE_KEYS.iter().zip(figures) {
            let text = matches!(*key, "site" | "winner");
            fields.push((key, Json::of(value, text)));
        }
        fields.push(("error", Json::of(error, true)));
        // Build the line by hand so numbers keep their exact digits.
        out.push('{');
        for (n, (key, value)) in fields.into_iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            out.push_str(&serde_json::Value::String(key.to_string()).to_string());
            out.push(':');
            match value {
                Json::Null => out.push_str("null"),
                Json::Raw(v) => out.push_str(&v),
                Json::Text(v) => out.push_str(&serde_json::Value::String(v).to_string()),
            }
        }
        out.push_str("}\n");
    }
    out
}

/// A JSON value of a record: `null`, a number or boolean written as its
/// text, or a string.
enum Json {
    Null,
    Raw(String),
    Text(String),
}

impl Json {
    fn of(value: Option<String>, text: bool) -> Json {
        match value {
            None => Json::Null,
            Some(v) if text => Json::Text(v),
            Some(v) => Json::Raw(v),
        }
    }
}

/// Each record of a point: its site figures as text (rounded as in the
/// summary JSON), or the error.
fn records(result: &PointResult) -> Vec<(Vec<Option<String>>, Option<String>)> {
    match &result.outcome {
        Ok(sites) => sites.iter().map(|s| (figure_texts(s), None)).collect(),
        Err(message) => vec![(vec![None; FIGURE_KEYS.len()], Some(message.to_string()))],
    }
}

fn figure_texts(s: &SiteFigures) -> Vec<Option<String>> {
    let usd = |v: Option<Decimal>| v.map(|v| fixed(v, places::USD));
    let irr = |v: Option<Decimal>| v.map(|v| fixed(v, places::IRR));
    vec![
        Some(s.site.clone()),
        usd(s.mine_npv_usd),
        usd(s.ai_npv_usd),
        irr(s.mine_irr),
        irr(s.ai_irr),
        s.mine_payback_months.map(|m| m.to_string()),
        s.ai_payback_months.map(|m| m.to_string()),
        s.winner.map(|w| w.as_str().to_string()),
        usd(s.npv_advantage_usd),
    ]
}

/// The winner map: per site, the grid of cells, and for each row where the
/// winner flips along the column axis (with one axis, along it); then the
/// points that could not be computed (their cells say `error`), each with
/// its message.
pub fn table(
    scenario: &str,
    grid: &Grid,
    results: &[PointResult],
    metric: Metric,
    color: bool,
) -> String {
    let mut out = String::new();
    let bold = |text: String| paint(&text, Colour::Bold, color);
    let _ = writeln!(out, "{}", bold(format!("Sweep of {scenario}")));
    let rows_axis = &grid.axes[0];
    let cols_axis = grid.axes.get(1);
    match cols_axis {
        Some(c) => {
            let parts = [
                format!("rows: {}", rows_axis.key),
                format!("columns: {}", c.key),
                format!("cells: {}", metric.describe()),
            ];
            let one_line = parts.join(" · ");
            if one_line.chars().count() <= WIDTH {
                let _ = writeln!(out, "{one_line}");
            } else {
                for part in parts {
                    let _ = writeln!(out, "{part}");
                }
            }
        }
        None => {
            let _ = writeln!(
                out,
                "rows: {} · cells: {}",
                rows_axis.key,
                metric.describe()
            );
        }
    }
    let sites: Vec<String> = results
        .iter()
        .find_map(|r| r.outcome.as_ref().ok())
        .map(|s| s.iter().map(|f| f.site.clone()).collect())
        .unwrap_or_default();
    let by_point: std::collections::HashMap<usize, &PointResult> =
        results.iter().map(|r| (r.point, r)).collect();
    let at = |point: usize, site: &str| -> Option<&SiteFigures> {
        by_point
            .get(&point)
            .and_then(|r| r.outcome.as_ref().ok())
            .and_then(|s| s.iter().find(|f| f.site == site))
    };
    let (rows, cols) = (grid.rows(), grid.columns());
    let row_labels = Labels::of(rows_axis);
    let col_labels = cols_axis.map(Labels::of);
    // The flips run along the columns, or down the one axis.
    let flip_axis = cols_axis.unwrap_or(rows_axis);
    let flip_labels = col_labels.as_ref().unwrap_or(&row_labels);
    let flip_numbers = flip_axis.numbers();
    for site in &sites {
        let _ = writeln!(out, "\n{}", bold(format!("Site: {site}")));
        // Header row: the row axis name, then each column value.
        let mut header = vec![String::new()];
        match &col_labels {
            Some(c) => header.extend(c.texts.iter().cloned()),
            None => header.push(String::new()),
        }
        let mut body: Vec<Vec<(String, Option<Winner>)>> = Vec::with_capacity(rows);
        for r in 0..rows {
            let mut line = vec![(row_labels.texts[r].clone(), None)];
            for c in 0..cols {
                line.push(cell(at(r * cols + c, site), metric));
            }
            body.push(line);
        }
        let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
        for line in &body {
            for (i, (text, _)) in line.iter().enumerate() {
                widths[i] = widths[i].max(text.chars().count());
            }
        }
        // Columns in panels of as many as fit WIDTH beside the row labels;
        // a grid too wide for one says so, and each panel repeats them.
        let panels = panels(&widths);
        if panels.len() > 1 {
            let _ = writeln!(
                out,
                "{} columns in {} parts, to fit {WIDTH} characters:",
                cols,
                panels.len()
            );
        }
        for (p, panel) in panels.iter().enumerate() {
            if p > 0 {
                out.push('\n');
            }
            let mut head = format!("{:<w$} │", header[0], w = widths[0]);
            for &i in panel {
                let _ = write!(head, " {:>w$}", header[i], w = widths[i]);
            }
            let _ = writeln!(out, "{}", head.trim_end());
            let rule: usize = widths[0] + 2 + panel.iter().map(|&i| widths[i] + 1).sum::<usize>();
            let _ = writeln!(out, "{}", "─".repeat(rule));
            for line in &body {
                let mut text = format!("{:>w$} │", line[0].0, w = widths[0]);
                for &i in panel {
                    let (cell, winner) = &line[i];
                    let padded = format!(" {cell:>w$}", w = widths[i]);
                    text.push_str(&match winner {
                        Some(Winner::Ai) => paint(&padded, Colour::Ai, color),
                        Some(Winner::Mine) => paint(&padded, Colour::Mine, color),
                        _ => padded,
                    });
                }
                let _ = writeln!(out, "{}", text.trim_end());
            }
        }
        // Below the grid, one line per row.
        let advantage = |point: usize| at(point, site).and_then(SiteFigures::signed_advantage);
        match (&flip_numbers, cols_axis) {
            (None, _) => {
                let _ = writeln!(out, "flip: not a number axis ({})", short(&flip_axis.key));
            }
            (Some(xs), Some(c)) => {
                let _ = writeln!(out, "Where the winner flips along {}:", short(&c.key));
                for (r, line) in body.iter().enumerate() {
                    let adv: Vec<_> = (0..cols).map(|c| advantage(r * cols + c)).collect();
                    let flip = flip_text(xs, &adv, flip_labels.places);
                    let _ = writeln!(out, "{:>w$} │ {flip}", line[0].0, w = widths[0]);
                }
            }
            (Some(xs), None) => {
                let adv: Vec<_> = (0..rows).map(advantage).collect();
                let _ = writeln!(
                    out,
                    "{}",
                    one_axis_flips(&rows_axis.key, xs, &adv, flip_labels.places)
                );
            }
        }
    }
    let failed: Vec<&PointResult> = results.iter().filter(|r| r.outcome.is_err()).collect();
    if !failed.is_empty() {
        let _ = writeln!(
            out,
            "\nPoints that could not be computed (\"error\" in the grid):"
        );
        for r in failed {
            if let Err(e) = &r.outcome {
                let _ = writeln!(out, "  point {} ({}): {e}", r.point, r.values.join(", "));
            }
        }
    }
    out
}

/// The widest a table line may be, as the summary table's.
const WIDTH: usize = super::table::WIDTH;

/// The column indices (1-based; 0 is the row labels) of each panel: in
/// order, as many per panel as fit [`WIDTH`] beside the labels (at least
/// one, however wide).
fn panels(widths: &[usize]) -> Vec<Vec<usize>> {
    let fixed = widths[0] + 2;
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut used = fixed;
    for (i, w) in widths.iter().enumerate().skip(1) {
        let need = w + 1;
        match out.last_mut() {
            Some(panel) if used + need <= WIDTH => {
                panel.push(i);
                used += need;
            }
            _ => {
                out.push(vec![i]);
                used = fixed + need;
            }
        }
    }
    out
}

/// An axis's values as the table labels them, and the decimals its
/// numbers are shown with.
///
/// Numbers are grouped (`40,000`). Exact values are shown as they are
/// unless that takes more decimals than telling neighbours apart needs: a
/// range's `0.3333333333333333333333333333` is shown with two significant
/// digits of the smallest step between neighbours (`0.33`), which keeps
/// every two neighbours distinct. Text (`2026-01`, `true`) is shown as
/// given. CSV and JSON lines carry the exact values.
pub(crate) struct Labels {
    pub(crate) texts: Vec<String>,
    pub(crate) places: u32,
}

impl Labels {
    pub(crate) fn of(axis: &Axis) -> Labels {
        let Some(numbers) = axis.numbers() else {
            return Labels {
                texts: axis.values.clone(),
                places: 0,
            };
        };
        let exact = numbers
            .iter()
            .map(|n| n.normalize().scale())
            .max()
            .unwrap_or(0);
        let step = numbers
            .windows(2)
            .filter_map(|w| w[1].checked_sub(w[0]))
            .map(|d| d.abs())
            .filter(|d| !d.is_zero())
            .min();
        // Two significant digits of the step: for 10^e ≤ step < 10^(e+1),
        // 1 − e decimals. Neighbours then differ by at least 10 units of
        // the last decimal shown, so rounding cannot make them equal.
        let places = match step {
            Some(step) => u32::try_from(1 - magnitude(step)).unwrap_or(0),
            None => exact,
        };
        if exact <= places + 1 {
            // At most one decimal more than needed: the exact values.
            let texts = numbers
                .iter()
                .map(|n| group(&plain(n.normalize())))
                .collect();
            Labels {
                texts,
                places: exact,
            }
        } else {
            let texts = numbers.iter().map(|n| group(&fixed(*n, places))).collect();
            Labels { texts, places }
        }
    }
}

/// `e` such that 10^e ≤ |x| < 10^(e+1), for x ≠ 0.
fn magnitude(x: Decimal) -> i64 {
    let x = x.normalize();
    let digits = x.mantissa().unsigned_abs().to_string().len() as i64;
    digits - 1 - i64::from(x.scale())
}

/// A decimal's digits, never `-0`.
fn plain(mut x: Decimal) -> String {
    if x.is_zero() {
        x.set_sign_positive(true);
    }
    x.to_string()
}

fn cell(figures: Option<&SiteFigures>, metric: Metric) -> (String, Option<Winner>) {
    let Some(f) = figures else {
        return ("error".into(), None);
    };
    let dash = || "—".to_string();
    let text = match metric {
        Metric::Advantage => match (f.winner, f.npv_advantage_usd) {
            (Some(Winner::Tie), _) => "tie".to_string(),
            (Some(w), Some(a)) => format!(
                "{} +{}",
                if w == Winner::Ai { "AI" } else { "mine" },
                compact(a, "")
            ),
            _ => dash(),
        },
        Metric::MineNpv => f.mine_npv_usd.map_or_else(dash, |v| compact(v, "")),
        Metric::AiNpv => f.ai_npv_usd.map_or_else(dash, |v| compact(v, "")),
        Metric::MineIrr => f.mine_irr.map_or_else(dash, |v| percent(v, Percent::CELL)),
        Metric::AiIrr => f.ai_irr.map_or_else(dash, |v| percent(v, Percent::CELL)),
        Metric::MinePayback => f.mine_payback_months.map_or_else(dash, |m| m.to_string()),
        Metric::AiPayback => f.ai_payback_months.map_or_else(dash, |m| m.to_string()),
    };
    (text, f.winner)
}

/// The last part of a dotted key: `price_usd` for `bitcoin.price_usd`.
pub(crate) fn short(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

/// Where the winner flips along `xs`, given the signed advantage at each
/// (`None`: a point without both NPVs): the flip values, or why there is
/// none. `label_places` as [`flip_value`]'s. The HTML report's winner map
/// says the same words.
pub(crate) fn flip_text(xs: &[Decimal], adv: &[Option<Decimal>], label_places: u32) -> String {
    let found = flips(xs, adv);
    if found.is_empty() {
        no_flip_text(adv)
    } else {
        found
            .iter()
            .map(|x| flip_value(*x, label_places))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Why a row has no flip: none in range, and how many of its points
/// (`adv`, as [`flip_text`]'s) lack both NPVs. The HTML report's flip
/// table says the same words.
pub(crate) fn no_flip_text(adv: &[Option<Decimal>]) -> String {
    let missing = adv.iter().filter(|a| a.is_none()).count();
    match missing {
        0 => "no flip in range".to_string(),
        _ => format!(
            "no flip in range ({missing} of {} points without both NPVs)",
            adv.len()
        ),
    }
}

/// With one axis (`key`): "The winner flips at price_usd = 86,203", or
/// "price_usd: no flip in range".
pub(crate) fn one_axis_flips(
    key: &str,
    xs: &[Decimal],
    adv: &[Option<Decimal>],
    label_places: u32,
) -> String {
    let key = short(key);
    let text = flip_text(xs, adv, label_places);
    if flips(xs, adv).is_empty() {
        format!("{key}: {text}")
    } else {
        format!("The winner flips at {key} = {text}")
    }
}

/// A flip point, to a precision that suits its size (130,663 or 0.3571),
/// and at least as fine as the axis's labels (`label_places`).
pub(crate) fn flip_value(x: Decimal, label_places: u32) -> String {
    let places = if x.abs() >= Decimal::ONE_THOUSAND {
        0
    } else if x.abs() >= Decimal::ONE {
        2
    } else {
        4
    };
    group(&plain(x.round_dp(places.max(label_places)).normalize()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::Axis;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn figures(site: &str, mine: &str, ai: &str) -> SiteFigures {
        let (m, a) = (d(mine), d(ai));
        SiteFigures {
            site: site.into(),
            mine_npv_usd: Some(m),
            ai_npv_usd: Some(a),
            mine_irr: Some(d("0.1234567")),
            ai_irr: None,
            mine_payback_months: Some(12),
            ai_payback_months: None,
            winner: Some(if m > a {
                Winner::Mine
            } else if a > m {
                Winner::Ai
            } else {
                Winner::Tie
            }),
            npv_advantage_usd: Some((m - a).abs()),
        }
    }

    fn sample() -> (Grid, Vec<PointResult>) {
        let grid = Grid::new(vec![
            Axis::parse("bitcoin.hashrate_growth_annual=0,0.5").unwrap(),
            Axis::parse("bitcoin.price_usd=40000..80000:3").unwrap(),
        ])
        .unwrap();
        let npvs = [
            ("-300", "0"),
            ("-100", "0"),
            ("100", "0"),
            ("-2000000000", "0"),
            ("-1500000", "0"),
            ("0", "0"),
        ];
        let mut results: Vec<PointResult> = npvs
            .iter()
            .enumerate()
            .map(|(i, (m, a))| PointResult {
                point: i,
                values: grid.point(i).into_iter().map(str::to_string).collect(),
                outcome: Ok(vec![figures("North, 1", m, a)]),
            })
            .collect();
        results[4].outcome = Err(hashpivot_core::Error::Input(
            hashpivot_core::Diagnostic::new("site[0].mining.uptime = 0 needs 0 < uptime ≤ 1", None),
        ));
        (grid, results)
    }

    /// The fixture holds no rounding tie (IRR 0.1234567 → 0.123457 drops
    /// more than half; the NPVs are whole): `tie_records` has them.
    #[test]
    fn csv_records() {
        let (grid, results) = sample();
        let mut text = csv_header(&grid);
        for r in &results {
            text.push_str(&csv_rows(r));
        }
        insta::assert_snapshot!(text);
    }

    /// No rounding tie, as in `csv_records`: `tie_records` has them.
    #[test]
    fn jsonl_records() {
        let (grid, results) = sample();
        let text: String = results.iter().map(|r| jsonl_rows(&grid, r)).collect();
        for line in text.lines() {
            serde_json::from_str::<serde_json::Value>(line).unwrap();
        }
        insta::assert_snapshot!(text);
    }

    /// No rounding tie (300 → +300, 2,000,000,000 → +2.0B): `tie_cells` has
    /// them.
    #[test]
    fn winner_map() {
        let (grid, results) = sample();
        insta::assert_snapshot!(table(
            "Hand-built",
            &grid,
            &results,
            Metric::Advantage,
            false
        ));
    }

    /// Ties in the records, worked by hand (half-even): mine NPV -1,500.005
    /// → -1500.00 (0 even), AI NPV 250,000.125 → 250000.12 (2 even), the
    /// advantage 251,500.135 → 251500.14 (3 odd, up); mine IRR 0.1234565 →
    /// 0.123456 (6 even); AI IRR -0.0000005 → 0.000000 (0 even), never
    /// -0.000000.
    #[test]
    fn tie_records() {
        let (grid, _) = sample();
        let result = PointResult {
            point: 0,
            values: grid.point(0).into_iter().map(str::to_string).collect(),
            outcome: Ok(vec![SiteFigures {
                site: "North".into(),
                mine_npv_usd: Some(d("-1500.005")),
                ai_npv_usd: Some(d("250000.125")),
                mine_irr: Some(d("0.1234565")),
                ai_irr: Some(d("-0.0000005")),
                mine_payback_months: Some(12),
                ai_payback_months: None,
                winner: Some(Winner::Ai),
                npv_advantage_usd: Some(d("251500.135")),
            }]),
        };
        assert_eq!(
            csv_rows(&result),
            "0,0,40000,North,-1500.00,250000.12,0.123456,0.000000,12,,ai,251500.14,\n"
        );
        assert_eq!(
            jsonl_rows(&grid, &result),
            concat!(
                r#"{"point":0,"bitcoin.hashrate_growth_annual":0,"bitcoin.price_usd":40000,"#,
                r#""site":"North","mine_npv_usd":-1500.00,"ai_npv_usd":250000.12,"#,
                r#""mine_irr":0.123456,"ai_irr":0.000000,"mine_payback_months":12,"#,
                r#""ai_payback_months":null,"winner":"ai","npv_advantage_usd":251500.14,"#,
                r#""error":null}"#,
                "\n"
            )
        );
    }

    /// Ties in the winner map's cells, worked by hand (half-even): the
    /// advantage 12,500 → 12.5k → +12k (2 even; whole from ten up); mine
    /// NPV -1,250,000 → -1.25M → -1.2M (2 even; one decimal below ten); AI
    /// NPV 950.5 → 950 (0 even); mine IRR 0.1225 → 0.122 → 12.2% (2 even);
    /// AI IRR -0.0005 → 0.0% (0 even), never -0.0%.
    #[test]
    fn tie_cells() {
        let f = SiteFigures {
            site: "North".into(),
            mine_npv_usd: Some(d("-1250000")),
            ai_npv_usd: Some(d("950.5")),
            mine_irr: Some(d("0.1225")),
            ai_irr: Some(d("-0.0005")),
            mine_payback_months: None,
            ai_payback_months: Some(7),
            winner: Some(Winner::Ai),
            npv_advantage_usd: Some(d("12500")),
        };
        let text = |metric| cell(Some(&f), metric).0;
        assert_eq!(text(Metric::Advantage), "AI +12k");
        assert_eq!(text(Metric::MineNpv), "-1.2M");
        assert_eq!(text(Metric::AiNpv), "950");
        assert_eq!(text(Metric::MineIrr), "12.2%");
        assert_eq!(text(Metric::AiIrr), "0.0%");
        assert_eq!(text(Metric::MinePayback), "—");
        assert_eq!(text(Metric::AiPayback), "7");
    }

    #[test]
    fn labels_round_long_numbers_and_keep_text() {
        let labels = |arg: &str| Labels::of(&Axis::parse(arg).unwrap()).texts;
        // Thirds: two significant digits of the step, not 28 decimals.
        assert_eq!(labels("x=0..1:4"), ["0.00", "0.33", "0.67", "1.00"]);
        assert_eq!(Labels::of(&Axis::parse("x=0..1:4").unwrap()).places, 2);
        // Exact values that are short enough stay exact.
        assert_eq!(labels("x=40000..80000:3"), ["40,000", "60,000", "80,000"]);
        assert_eq!(labels("x=0.125,0.25,0.375"), ["0.125", "0.25", "0.375"]);
        assert_eq!(labels("x=1_000,2e3"), ["1,000", "2,000"]);
        assert_eq!(labels("x=1.123456789,5"), ["1.1", "5.0"]);
        // 100 points: whole dollars, every two neighbours distinct.
        let prices = labels("x=40000..200000:100");
        assert_eq!(prices[..3], ["40,000", "41,616", "43,232"]);
        assert!(prices.windows(2).all(|w| w[0] != w[1]), "{prices:?}");
        // Text and booleans as given: no separators inside them.
        assert_eq!(labels("start=2026-01,2027-01"), ["2026-01", "2027-01"]);
        assert_eq!(labels("x=true,false"), ["true", "false"]);
        assert_eq!(labels("x=2026-01,5"), ["2026-01", "5"]);
    }

    /// Flip values to a precision that suits their size, never coarser
    /// than the labels: 86,203.45 ≥ 1,000 → whole (86,203); 0.05 < 1 → 4
    /// decimals, normalized (0.05); 5.125 between 1 and 1,000 → 2 decimals,
    /// half-even (5.12). One axis: the sentence, or "no flip" with the
    /// points that lack both NPVs.
    #[test]
    fn flip_values_and_sentences() {
        assert_eq!(flip_value(Decimal::new(8_620_345, 2), 0), "86,203");
        assert_eq!(flip_value(Decimal::new(5, 2), 3), "0.05");
        assert_eq!(flip_value(Decimal::new(5_125, 3), 0), "5.12");
        assert_eq!(short("bitcoin.price_usd"), "price_usd");
        let xs = [d("1"), d("2"), d("3")];
        // Advantage -1 at 1, +1 at 2: the flip halfway, at 1.5.
        assert_eq!(
            one_axis_flips("a.x", &xs, &[Some(d("-1")), Some(d("1")), Some(d("2"))], 0),
            "The winner flips at x = 1.5"
        );
        assert_eq!(
            one_axis_flips("a.x", &xs, &[Some(d("1")), None, Some(d("2"))], 0),
            "x: no flip in range (1 of 3 points without both NPVs)"
        );
    }

    /// `--metric` takes the variants' names: the one list, which the README
    /// repeats.
    #[test]
    fn every_metric_has_one_name() {
        use clap::ValueEnum;
        let names: Vec<String> = Metric::value_variants()
            .iter()
            .map(|m| m.to_possible_value().unwrap().get_name().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "advantage",
                "mine-npv",
                "ai-npv",
                "mine-irr",
                "ai-irr",
                "mine-payback",
                "ai-payback"
            ]
        );
        let readme = include_str!("../../README.md");
        assert!(readme.contains(&format!("`--metric {}`", names.join("|"))));
        let mut described: Vec<&str> = Metric::value_variants()
            .iter()
            .map(|m| m.describe())
            .collect();
        described.sort();
        described.dedup();
        assert_eq!(described.len(), names.len());
        assert_eq!(Metric::from_str("mine-irr", false), Ok(Metric::MineIrr));
    }

    #[test]
    fn colour_only_when_asked() {
        let (grid, results) = sample();
        let plain = table("Hand-built", &grid, &results, Metric::Advantage, false);
        assert!(!plain.contains('\x1b'));
        let coloured = table("Hand-built", &grid, &results, Metric::Advantage, true);
        assert!(coloured.starts_with("\x1b[1mSweep of Hand-built\x1b[0m\n"));
        assert!(coloured.contains("\x1b[1;34m  AI +300\x1b[0m"));
        assert!(coloured.contains("\x1b[35m mine +100\x1b[0m"));
    }
}
